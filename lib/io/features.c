/*
 * io/features.c — bz_read_features and the bz_features accessors: every matching feature's
 * geometry and attributes (as text), collected by the GDAL reading loop (read.c).
 */
#include "io/read.h"
#include "core/text.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct feature_rec {
    GEOSGeometry *geom; /* may be NULL */
    size_t nattrs;
    char **keys, **values; /* values[i] NULL when unset */
} feature_rec;

struct bz_features {
    bz_context *ctx; /* frees the geometries */
    size_t count, capacity;
    feature_rec *items;
};

static void feature_rec_free(bz_context *ctx, feature_rec *rec)
{
    if (rec->geom)
        GEOSGeom_destroy_r(ctx->geos, rec->geom);
    for (size_t i = 0; i < rec->nattrs; i++) {
        free(rec->keys[i]);
        free(rec->values[i]);
    }
    free(rec->keys);
    free(rec->values);
}

static int collect_feature(bzi_reader *r, OGRLayerH layer, OGRFeatureH f, GEOSGeometry *g)
{
    (void)layer;
    bz_features *fs = r->data;
    if (fs->count == fs->capacity) {
        size_t cap = fs->capacity ? 2 * fs->capacity : 32;
        feature_rec *items = realloc(fs->items, cap * sizeof *items);
        if (!items) {
            if (g)
                GEOSGeom_destroy_r(r->ctx->geos, g);
            return bzi_nomem(r->ctx, "storing features");
        }
        fs->items = items;
        fs->capacity = cap;
    }
    feature_rec *rec = &fs->items[fs->count++];
    memset(rec, 0, sizeof *rec);
    rec->geom = g;
    int n = OGR_F_GetFieldCount(f);
    if (n <= 0)
        return BZ_OK;
    rec->keys = calloc((size_t)n, sizeof *rec->keys);
    rec->values = calloc((size_t)n, sizeof *rec->values);
    if (!rec->keys || !rec->values)
        return bzi_nomem(r->ctx, "storing attributes");
    for (int i = 0; i < n; i++) {
        rec->keys[i] = bzi_dup_text(OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, i)));
        rec->nattrs = (size_t)i + 1;
        if (!rec->keys[i])
            return bzi_nomem(r->ctx, "storing attributes");
        if (!OGR_F_IsFieldSetAndNotNull(f, i))
            continue;
        rec->values[i] = bzi_dup_text(OGR_F_GetFieldAsString(f, i));
        if (!rec->values[i])
            return bzi_nomem(r->ctx, "storing attributes");
    }
    return BZ_OK;
}

int bz_read_features(bz_features **out, bz_context *ctx, const char *path,
                     const bz_read_options *opts)
{
    int rc = bzi_read_check_args(ctx, out, path, opts, "bz_read_features");
    if (rc != BZ_OK)
        return rc;
    *out = NULL;
    bz_features *fs = calloc(1, sizeof *fs);
    if (!fs)
        return bzi_nomem(ctx, "reading features");
    fs->ctx = ctx;
    rc = bzi_read_with(ctx, path, opts, collect_feature, fs);
    if (rc != BZ_OK) {
        bz_features_free(fs);
        return rc;
    }
    *out = fs;
    return BZ_OK;
}

size_t bz_features_count(const bz_features *features)
{
    return features ? features->count : 0;
}

const GEOSGeometry *bz_features_geometry(const bz_features *features, size_t i)
{
    if (!features || i >= features->count)
        return NULL;
    return features->items[i].geom;
}

const char *bz_features_attr(const bz_features *features, size_t i, const char *field)
{
    if (!features || !field || i >= features->count)
        return NULL;
    const feature_rec *rec = &features->items[i];
    /* Exact name first; then as OGR does, ignoring case (Shapefile/DBF may change it). */
    for (size_t k = 0; k < rec->nattrs; k++)
        if (strcmp(rec->keys[k], field) == 0)
            return rec->values[k];
    for (size_t k = 0; k < rec->nattrs; k++)
        if (strcasecmp(rec->keys[k], field) == 0)
            return rec->values[k];
    return NULL;
}

void bz_features_free(bz_features *features)
{
    if (!features)
        return;
    for (size_t i = 0; i < features->count; i++)
        feature_rec_free(features->ctx, &features->items[i]);
    free(features->items);
    free(features);
}

/*
 * io/read_places.c — bz_read_places: the collector of settlements (points with a name and a
 * population, found under the usual field names or the ones the options give) for the GDAL
 * reading loop (read.c).
 */
#include "io/read.h"
#include "zones/places.h"

#include <math.h>
#include <stdlib.h>

typedef struct places_state {
    bz_places *places;
    OGRLayerH layer; /* the layer the field indices below belong to */
    int name_field, pop_field;
} places_state;

/* The first of `candidates` that the layer has (OGR matches names case-insensitively, so
 * order the list by preference), or -1. */
static int find_field(OGRFeatureDefnH defn, const char *const *candidates)
{
    for (size_t i = 0; candidates[i]; i++) {
        int k = OGR_FD_GetFieldIndex(defn, candidates[i]);
        if (k >= 0)
            return k;
    }
    return -1;
}

/* *index of the field the options name (`asked`; missing is BZ_ERR_NOT_FOUND), else of the
 * first of `usual` the layer has (or -1). */
static int pick_field(int *index, bzi_reader *r, OGRFeatureDefnH defn, const char *asked,
                      const char *const *usual)
{
    const char *one[2] = {asked, NULL};
    *index = find_field(defn, asked ? one : usual);
    if (asked && *index < 0)
        return bzi_error(r->ctx, BZ_ERR_NOT_FOUND, "%s: layer '%s' has no field '%s'", r->path,
                         r->layer_name, asked);
    return BZ_OK;
}

static int places_fields(bzi_reader *r, places_state *s, OGRLayerH layer)
{
    static const char *const names[] = {"name", "NAME", "name_en", "NAMEASCII", NULL};
    static const char *const pops[] = {"population", "POP_MAX", "pop", NULL};
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    const bz_read_options *o = r->opts;
    s->layer = layer;
    int rc = pick_field(&s->name_field, r, defn, o ? o->name_field : NULL, names);
    return rc == BZ_OK ? pick_field(&s->pop_field, r, defn, o ? o->population_field : NULL, pops)
                       : rc;
}

static int collect_place(bzi_reader *r, OGRLayerH layer, OGRFeatureH f, GEOSGeometry *g)
{
    places_state *s = r->data;
    int rc = s->layer == layer ? BZ_OK : places_fields(r, s, layer);
    bzi_geom_list p = {0};
    if (rc == BZ_OK)
        rc = bzi_take_parts(r, &p, g, GEOS_POINT);
    else
        GEOSGeom_destroy_r(r->ctx->geos, g);
    const char *name = "";
    if (s->name_field >= 0 && OGR_F_IsFieldSetAndNotNull(f, s->name_field))
        name = OGR_F_GetFieldAsString(f, s->name_field);
    double pop = NAN;
    if (s->pop_field >= 0 && OGR_F_IsFieldSetAndNotNull(f, s->pop_field)) {
        const char *text = OGR_F_GetFieldAsString(f, s->pop_field);
        char *end = NULL;
        double v = strtod(text, &end);
        if (end != text && isfinite(v))
            pop = v;
    }
    /* A MultiPoint feature gives one place per point, all with the feature's name. */
    for (size_t i = 0; rc == BZ_OK && i < p.n; i++) {
        double lon = NAN, lat = NAN;
        GEOSGeomGetX_r(r->ctx->geos, p.v[i], &lon);
        GEOSGeomGetY_r(r->ctx->geos, p.v[i], &lat);
        rc = bzi_places_push(r->ctx, s->places, lon, lat, name, pop);
    }
    bzi_geom_list_clear(r->ctx->geos, &p);
    return rc;
}

int bz_read_places(bz_places **out, bz_context *ctx, const char *path, const bz_read_options *opts)
{
    int rc = bzi_read_check_args(ctx, out, path, opts, "bz_read_places");
    if (rc != BZ_OK)
        return rc;
    *out = NULL;
    places_state s = {bzi_places_new(), NULL, -1, -1};
    if (!s.places)
        return bzi_nomem(ctx, "reading places");
    rc = bzi_read_with(ctx, path, opts, collect_place, &s);
    if (rc == BZ_OK && s.places->count == 0)
        rc = bzi_error(ctx, BZ_ERR_TYPE, "%s: the matching features hold no points", path);
    if (rc != BZ_OK) {
        bz_places_free(s.places);
        return rc;
    }
    *out = s.places;
    return BZ_OK;
}

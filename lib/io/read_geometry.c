/*
 * io/read_geometry.c — bz_read_line and bz_read_polygon: the collectors of line parts and of
 * polygons (unwrapped at the antimeridian, validated or repaired), behind the GeoJSON fast
 * path (geojson_read.c) and the GDAL reading loop (read.c).
 */
#include "io/geojson_read.h"
#include "io/read.h"
#include "zones/antimeridian.h"
#include "zones/union.h"

#include <math.h>
#include <stdlib.h>

/* ---------------------------------------------------------------------------------------- */
/* Lines                                                                                    */
/* ---------------------------------------------------------------------------------------- */

/* The GeoJSON fast path (geojson_read.c) hands every feature here, as read_layer would. The
 * collectors of lines and polygons look at neither the OGR layer nor the feature. */
static int collect_without_gdal(void *user, const char *layer_name, long long fid, GEOSGeometry *g)
{
    bzi_reader *r = user;
    r->layer_name = layer_name;
    r->fid = fid;
    return r->collect(r, NULL, NULL, g);
}

/* Read the parts `collect` gathers into a parts list, then move them into one new collection
 * of `type` (*out). None at all is BZ_ERR_TYPE: "the matching features hold no <what>". */
static int read_parts(bz_context *ctx, const char *path, const bz_read_options *opts,
                      bzi_collect_fn collect, int type, const char *what, GEOSGeometry **out)
{
    bzi_geom_list p = {0};
    bzi_reader fast = bzi_reader_for(ctx, path, opts, collect, &p);
    /* An ordinary GeoJSON file is read without GDAL; when the fast path gives up, nothing of
     * it remains and GDAL reads the file from scratch. */
    int rc = bzi_geojson_read(ctx, path, opts, collect_without_gdal, &fast);
    if (rc == BZI_GEOJSON_GAVE_UP) {
        bzi_geom_list_clear(ctx->geos, &p);
        p = (bzi_geom_list){0};
        rc = bzi_read_with(ctx, path, opts, collect, &p);
    }
    if (rc == BZ_OK && p.n == 0)
        rc = bzi_error(ctx, BZ_ERR_TYPE, "%s: the matching features hold no %s", path, what);
    if (rc != BZ_OK) {
        bzi_geom_list_clear(ctx->geos, &p);
        return rc;
    }
    /* The collection takes the parts; the array stays ours. */
    *out = GEOSGeom_createCollection_r(ctx->geos, type, p.v, (unsigned)p.n);
    if (!*out) {
        free(p.v); /* GEOS owns the members from the call on, even when it fails (geos_c.h) */
        return bzi_geos_error(ctx, type == GEOS_MULTILINESTRING ? "collecting the lines"
                                                                : "collecting the polygons");
    }
    free(p.v);
    return BZ_OK;
}

static int collect_line(bzi_reader *r, OGRLayerH layer, OGRFeatureH f, GEOSGeometry *g)
{
    (void)layer;
    (void)f;
    return bzi_take_parts(r, r->data, g, GEOS_LINESTRING);
}

/* ---------------------------------------------------------------------------------------- */
/* Polygons                                                                                 */
/* ---------------------------------------------------------------------------------------- */

/* Check (or repair) each polygon a feature gave, from index `from` on. */
static int validate_polygons(bzi_reader *r, bzi_geom_list *p, size_t from)
{
    bz_context *ctx = r->ctx;
    GEOSContextHandle_t h = ctx->geos;
    size_t end = p->n;
    for (size_t i = from; i < end; i++) {
        char *reason = NULL;
        GEOSGeometry *where = NULL;
        char valid = GEOSisValidDetail_r(h, p->v[i], 0, &reason, &where);
        if (valid == 1)
            continue;
        if (valid == 2)
            return bzi_geos_error(ctx, "checking a polygon");
        double x = NAN, y = NAN;
        if (where) {
            GEOSGeomGetX_r(h, where, &x);
            GEOSGeomGetY_r(h, where, &y);
            GEOSGeom_destroy_r(h, where);
        }
        if (!r->opts || !r->opts->make_valid) {
            int rc = bzi_error(ctx, BZ_ERR_GEOMETRY,
                               "%s: layer '%s', feature %lld, polygon %zu: %s at lon %.7f, "
                               "lat %.7f (make_valid repairs it)",
                               r->path, r->layer_name, r->fid, i - from,
                               reason ? reason : "invalid", x, y);
            GEOSFree_r(h, reason);
            return rc;
        }
        GEOSFree_r(h, reason);
        GEOSGeometry *fixed = GEOSMakeValid_r(h, p->v[i]);
        if (!fixed)
            return bzi_geos_error(ctx, "repairing a polygon");
        /* The repair may give a collection: keep its polygons in place of the broken one. */
        GEOSGeom_destroy_r(h, p->v[i]);
        p->v[i] = GEOSGeom_createEmptyPolygon_r(h);
        size_t others = 0;
        int rc = p->v[i] ? bzi_extract_parts(ctx, p, fixed, GEOS_POLYGON, &others)
                         : bzi_geos_error(ctx, "repairing a polygon");
        GEOSGeom_destroy_r(h, fixed);
        if (rc != BZ_OK)
            return rc;
    }
    return BZ_OK;
}

static int collect_polygon(bzi_reader *r, OGRLayerH layer, OGRFeatureH f, GEOSGeometry *g)
{
    (void)layer;
    (void)f;
    bzi_geom_list *p = r->data;
    size_t before = p->n;
    int rc = bzi_take_parts(r, p, g, GEOS_POLYGON);
    /* A ring that jumps ±180° between two vertices (a projected outline past the antimeridian,
     * or one written that way) is read the short way round, as lines are (antimeridian.h). */
    for (size_t i = before; rc == BZ_OK && i < p->n; i++) {
        GEOSGeometry *u = NULL;
        rc = bzi_polygon_unwrap(r->ctx, p->v[i], &u);
        if (u) {
            GEOSGeom_destroy_r(r->ctx->geos, p->v[i]);
            p->v[i] = u;
        }
    }
    return rc == BZ_OK ? validate_polygons(r, p, before) : rc;
}

/* GEOS gives a Polygon, a MultiPolygon or (rarely) a collection: always hand out a
 * MultiPolygon. Consumes g. */
static int as_multipolygon(GEOSGeometry **out, bz_context *ctx, GEOSGeometry *g)
{
    if (GEOSGeomTypeId_r(ctx->geos, g) == GEOS_MULTIPOLYGON) {
        *out = g;
        return BZ_OK;
    }
    int e = bzi_multipolygon_of(ctx->geos, g, out);
    GEOSGeom_destroy_r(ctx->geos, g);
    return e ? bzi_fail(ctx, e, "making a MultiPolygon") : BZ_OK;
}

/* bz_read_line and bz_read_polygon (polygons != 0): out is the bz_line ** or GEOSGeometry ** of
 * the one called. The parts read become the line, or the union of the polygons. */
static int read_typed(void *out, bz_context *ctx, const char *path, const bz_read_options *opts,
                      int polygons)
{
    const char *fn = polygons ? "bz_read_polygon" : "bz_read_line";
    int rc = bzi_read_check_args(ctx, out, path, opts, fn);
    if (rc != BZ_OK)
        return rc;
    bz_line **line = polygons ? NULL : out;
    GEOSGeometry **polygon = polygons ? out : NULL;
    if (line)
        *line = NULL;
    else
        *polygon = NULL;
    GEOSGeometry *all = NULL, *u = NULL;
    rc = polygons ? read_parts(ctx, path, opts, collect_polygon, GEOS_GEOMETRYCOLLECTION,
                               "polygons", &all)
                  : read_parts(ctx, path, opts, collect_line, GEOS_MULTILINESTRING, "lines", &all);
    if (rc != BZ_OK)
        return rc;
    rc = polygons ? bzi_union_polygons(&u, ctx, all) : bz_line_from_geos(line, ctx, all);
    GEOSGeom_destroy_r(ctx->geos, all);
    if (rc != BZ_OK)
        return bzi_error_prefix(ctx, "%s: ", path);
    return polygons ? as_multipolygon(polygon, ctx, u) : BZ_OK;
}

int bz_read_line(bz_line **out, bz_context *ctx, const char *path, const bz_read_options *opts)
{
    return read_typed(out, ctx, path, opts, 0);
}

int bz_read_polygon(GEOSGeometry **out, bz_context *ctx, const char *path,
                    const bz_read_options *opts)
{
    return read_typed(out, ctx, path, opts, 1);
}

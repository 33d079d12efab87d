/*
 * diff.c — how a territory changed between two dates, and intersection areas.
 *
 * Plain GEOS overlays in lon/lat: an overlay is exact whatever the projection (it only
 * compares and intersects edges), so only the areas need the ellipsoid (bz_geodesic_area).
 * Inputs are repaired first (bzi_valid_multipolygon) because published control maps are not
 * always valid and GEOS refuses to overlay invalid polygons.
 */
#include "zones/antimeridian.h"
#include "core/context.h"
#include "core/polygon.h"

#include <stdlib.h>

/* *out = a − b, clipped to clip when it is not NULL, as a valid MultiPolygon. */
static int change(bz_context *ctx, const GEOSGeometry *a, const GEOSGeometry *b,
                  const GEOSGeometry *clip, GEOSGeometry **out)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *d = GEOSDifference_r(h, a, b);
    if (!d)
        return bzi_geos_error(ctx, "subtracting one territory from the other");
    if (clip) {
        GEOSGeometry *c = GEOSIntersection_r(h, d, clip);
        GEOSGeom_destroy_r(h, d);
        if (!c)
            return bzi_geos_error(ctx, "clipping the change to the region");
        d = c;
    }
    int st = bzi_valid_multipolygon(ctx, d, "tidying the change", out);
    GEOSGeom_destroy_r(h, d);
    return st;
}

int bz_territory_diff(GEOSGeometry **gained, GEOSGeometry **lost, double *gained_m2,
                      double *lost_m2, bz_context *ctx, const GEOSGeometry *old_territory,
                      const GEOSGeometry *new_territory, const GEOSGeometry *region)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!gained || !lost || !old_territory || !new_territory)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_territory_diff: NULL argument");
    *gained = *lost = NULL;
    GEOSContextHandle_t h = ctx->geos;
    const GEOSGeometry *in[3] = {old_territory, new_territory, region};
    const char *what[3] = {"old territory", "new territory", "region"};
    for (int i = 0; i < 3; i++)
        if (in[i] && !bzi_is_polygonal(h, in[i]))
            return bzi_error(ctx, BZ_ERR_TYPE, "the %s must be polygonal, got a %s", what[i],
                             bzi_geom_type_name(h, in[i]));

    int st = BZ_OK;
    GEOSGeometry *v[3] = {NULL, NULL, NULL}, *g = NULL, *l = NULL;
    /* all three in one frame (antimeridian.h), so that halves split at ±180° meet */
    double center = 0;
    bzi_framed f[3] = {{0}};
    st = bzi_polygons_center(ctx, in, 3, &center);
    for (int i = 0; i < 3 && !st; i++)
        if (in[i])
            st = bzi_framed_make(ctx, in[i], center, what[i], &f[i]);
    for (int i = 0; i < 3 && !st; i++)
        if (in[i])
            st = bzi_valid_multipolygon(ctx, f[i].use, what[i], &v[i]);
    for (int i = 0; i < 3; i++)
        bzi_framed_free(ctx, &f[i]);
    if (!st)
        st = change(ctx, v[1], v[0], v[2], &g);
    if (!st)
        st = change(ctx, v[0], v[1], v[2], &l);
    double ga = 0, la = 0;
    if (!st)
        st = bz_geodesic_area(&ga, ctx, g);
    if (!st)
        st = bz_geodesic_area(&la, ctx, l);
    if (!st) {
        if (gained_m2)
            *gained_m2 = ga;
        if (lost_m2)
            *lost_m2 = la;
        *gained = g;
        *lost = l;
        g = l = NULL;
    }
    for (int i = 0; i < 3; i++)
        if (v[i])
            GEOSGeom_destroy_r(h, v[i]);
    if (g)
        GEOSGeom_destroy_r(h, g);
    if (l)
        GEOSGeom_destroy_r(h, l);
    return st;
}

int bz_intersection_area(double *area_m2, bz_context *ctx, const GEOSGeometry *a,
                         const GEOSGeometry *b)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!a || !b || !area_m2)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_intersection_area: NULL argument");
    GEOSContextHandle_t h = ctx->geos;
    if (!bzi_is_polygonal(h, a) || !bzi_is_polygonal(h, b))
        return bzi_error(ctx, BZ_ERR_TYPE,
                         "intersection area needs two polygonal geometries, got a %s and a %s",
                         bzi_geom_type_name(h, a), bzi_geom_type_name(h, b));
    GEOSGeometry *va = NULL, *vb = NULL, *x = NULL;
    const GEOSGeometry *both[2] = {a, b};
    double center = 0;
    bzi_framed fa = {0}, fb = {0};
    int st = bzi_polygons_center(ctx, both, 2, &center);
    if (!st)
        st = bzi_framed_make(ctx, a, center, "reading the first polygon", &fa);
    if (!st)
        st = bzi_framed_make(ctx, b, center, "reading the second polygon", &fb);
    if (!st)
        st = bzi_valid_multipolygon(ctx, fa.use, "repairing the first polygon", &va);
    if (!st)
        st = bzi_valid_multipolygon(ctx, fb.use, "repairing the second polygon", &vb);
    bzi_framed_free(ctx, &fa);
    bzi_framed_free(ctx, &fb);
    if (!st && !(x = GEOSIntersection_r(h, va, vb)))
        st = bzi_geos_error(ctx, "intersecting two polygons");
    double area = 0;
    if (!st)
        st = bz_geodesic_area(&area, ctx, x);
    if (!st)
        *area_m2 = area;
    GEOSGeometry *tmp[3] = {va, vb, x};
    for (int i = 0; i < 3; i++)
        if (tmp[i])
            GEOSGeom_destroy_r(h, tmp[i]);
    return st;
}

/*
 * diff.c — how a territory changed between two dates, and intersection areas.
 *
 * Plain GEOS overlays in lon/lat: an overlay is exact whatever the projection (it only
 * compares and intersects edges), so only the areas need the ellipsoid (bz_geodesic_area).
 * Inputs are repaired first (bzi_valid_multipolygon) because published control maps are not
 * always valid and GEOS refuses to overlay invalid polygons.
 */
#include "sides.h"

#include <stdlib.h>

/* a − b, clipped to clip when it is not NULL, as a valid MultiPolygon. */
static GEOSGeometry *change(GEOSContextHandle_t h, const GEOSGeometry *a, const GEOSGeometry *b,
                            const GEOSGeometry *clip)
{
    GEOSGeometry *d = GEOSDifference_r(h, a, b);
    if (!d)
        return NULL;
    if (clip) {
        GEOSGeometry *c = GEOSIntersection_r(h, d, clip);
        GEOSGeom_destroy_r(h, d);
        if (!c)
            return NULL;
        d = c;
    }
    GEOSGeometry *mp = bzi_valid_multipolygon(h, d);
    GEOSGeom_destroy_r(h, d);
    return mp;
}

int bz_territory_diff(GEOSGeometry **gained, GEOSGeometry **lost, bz_context *ctx,
                      const GEOSGeometry *old_territory, const GEOSGeometry *new_territory,
                      const GEOSGeometry *region, double *gained_m2, double *lost_m2)
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
    for (int i = 0; i < 3; i++) {
        if (in[i] && !(v[i] = bzi_valid_multipolygon(h, in[i]))) {
            st = bzi_geos_error(ctx, what[i]);
            goto done;
        }
    }
    g = change(h, v[1], v[0], v[2]);
    l = g ? change(h, v[0], v[1], v[2]) : NULL;
    if (!l) {
        st = bzi_geos_error(ctx, "overlaying the two territories");
        goto done;
    }
    double ga = 0, la = 0;
    if ((st = bz_geodesic_area(ctx, g, &ga)) || (st = bz_geodesic_area(ctx, l, &la)))
        goto done;
    if (gained_m2)
        *gained_m2 = ga;
    if (lost_m2)
        *lost_m2 = la;
    *gained = g;
    *lost = l;
    g = l = NULL;
done:
    for (int i = 0; i < 3; i++)
        if (v[i])
            GEOSGeom_destroy_r(h, v[i]);
    if (g)
        GEOSGeom_destroy_r(h, g);
    if (l)
        GEOSGeom_destroy_r(h, l);
    return st;
}

int bz_intersection_area(bz_context *ctx, const GEOSGeometry *a, const GEOSGeometry *b,
                         double *area_m2)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!a || !b || !area_m2)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_intersection_area: NULL argument");
    GEOSContextHandle_t h = ctx->geos;
    if (!bzi_is_polygonal(h, a) || !bzi_is_polygonal(h, b))
        return bzi_error(ctx, BZ_ERR_TYPE,
                         "intersection area needs two polygonal geometries, "
                         "got a %s and a %s",
                         bzi_geom_type_name(h, a), bzi_geom_type_name(h, b));
    GEOSGeometry *va = bzi_valid_multipolygon(h, a);
    GEOSGeometry *vb = va ? bzi_valid_multipolygon(h, b) : NULL;
    GEOSGeometry *x = vb ? GEOSIntersection_r(h, va, vb) : NULL;
    if (va)
        GEOSGeom_destroy_r(h, va);
    if (vb)
        GEOSGeom_destroy_r(h, vb);
    if (!x)
        return bzi_geos_error(ctx, "intersecting two polygons");
    double area = 0;
    int st = bz_geodesic_area(ctx, x, &area);
    GEOSGeom_destroy_r(h, x);
    if (!st)
        *area_m2 = area;
    return st;
}

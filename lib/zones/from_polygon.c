/* from_polygon.c — bz_zones_from_polygon: a result around a zone polygon the caller already has
 * (made elsewhere, or edited), split by the sides' grounds like a computed one, with the same
 * inputs' checks and the same ending (zones.c). */
#include "zones/zones.h"
#include "zones/antimeridian.h"
#include "zones/inputs.h"
#include "zones/multi.h"
#include "zones/result.h"
#include "zones/sides.h"
#include "geo/line.h"

#include <math.h>

/* How far a polygon reaches from anywhere in it at most: its envelope's geodesic diagonal. */
static int polygon_reach(bz_context *ctx, const GEOSGeometry *g, double *reach)
{
    double x0, y0, x1, y1;
    if (!GEOSGeom_getXMin_r(ctx->geos, g, &x0) || !GEOSGeom_getYMin_r(ctx->geos, g, &y0) ||
        !GEOSGeom_getXMax_r(ctx->geos, g, &x1) || !GEOSGeom_getYMax_r(ctx->geos, g, &y1))
        return bzi_geos_error(ctx, "measuring the zone polygon's extent");
    double s12 = 0.0;
    geod_inverse(&ctx->geod, y0, x0, y1, x1, &s12, NULL, NULL);
    *reach = s12;
    return BZ_OK;
}

int bz_zones_from_polygon(bz_zones **out, bz_context *ctx, const bz_line *line,
                          const GEOSGeometry *region, const GEOSGeometry *territory,
                          const GEOSGeometry *zone)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || !zone)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_zones_from_polygon: NULL argument");
    *out = NULL;
    bzi_framed fr = {0}, ft = {0}, fz = {0};
    int rc = bzi_frame_inputs(ctx, line, region, territory, &fr, &ft);
    if (rc == BZ_OK)
        rc = bzi_check_forms(ctx, line, fr.use, ft.use);
    if (rc == BZ_OK) {
        const GEOSGeometry *all[3] = {fr.use, ft.use, zone};
        double c = line ? bzi_line_center(line) : 0;
        rc = line ? BZ_OK : bzi_polygons_center(ctx, all, 3, &c);
        if (rc == BZ_OK)
            rc = bzi_framed_make(ctx, zone, c, "reading the zone polygon", &fz);
    }
    if (rc == BZ_OK)
        rc = bzi_check_polygonal(ctx, fz.use, "the zone");
    if (rc == BZ_OK && GEOSisEmpty_r(ctx->geos, fz.use))
        rc = bzi_error(ctx, BZ_ERR_GEOMETRY, "the zone polygon is empty");
    double reach = 0.0;
    if (rc == BZ_OK)
        rc = polygon_reach(ctx, fz.use, &reach);
    bz_zones *z = NULL;
    static const bz_zone_options defaults = BZ_ZONE_OPTIONS_INIT;
    if (rc == BZ_OK)
        rc = bzi_zones_begin(&z, ctx, line, fr.use, ft.use, defaults.derive_tolerance_m);
    if (rc == BZ_OK && !line)
        rc = bzi_reframe_inputs(ctx, z->line, &fr, &ft);
    if (rc == BZ_OK && !line) {
        bzi_framed moved;
        rc = bzi_framed_make(ctx, fz.use, bzi_line_center(z->line),
                             "moving the zone polygon into the line's frame", &moved);
        if (rc == BZ_OK && moved.own) {
            bzi_framed_free(ctx, &fz);
            fz = moved;
        }
    }
    if (rc == BZ_OK)
        rc = bzi_side_grounds(ctx, z->line, fr.use, ft.use, reach + REACH_MARGIN_M,
                              &z->ground[BZ_SIDE_A], &z->ground[BZ_SIDE_B]);
    if (rc) {
        bz_zones_free(z);
        bzi_framed_free(ctx, &fr);
        bzi_framed_free(ctx, &ft);
        bzi_framed_free(ctx, &fz);
        return rc;
    }
    region = fr.use;
    territory = ft.use;
    zone = fz.use;
    GEOSContextHandle_t h = ctx->geos;
    int st = BZ_ERR_GEOS;
    z->distance[0] = z->distance[1] = NAN;
    GEOSGeometry *edge = GEOSBoundary_r(h, zone);
    if (!edge)
        rc = bzi_geos_error(ctx, "taking the zone polygon's edge");
    /* The zone's edge minus the contact line: what lies on the line is not a withdrawal line. */
    GEOSGeometry *away = edge ? GEOSDifference_r(h, edge, bz_line_geometry(z->line)) : NULL;
    if (edge && !away)
        rc = bzi_geos_error(ctx, "removing the contact line from the zone's edge");
    for (int s = 0; s < 2 && rc == BZ_OK; s++) {
        z->zone[s] = bzi_as_multi(h, GEOSIntersection_r(h, zone, z->ground[s]), GEOS_POLYGON, &st);
        z->withdrawal[s] = bzi_as_merged_lines(h, GEOSIntersection_r(h, away, z->ground[s]), &st);
        if (!z->zone[s] || !z->withdrawal[s])
            rc = bzi_geom_fail(ctx, st, "splitting the zone polygon by sides");
    }
    if (edge)
        GEOSGeom_destroy_r(h, edge);
    if (away)
        GEOSGeom_destroy_r(h, away);
    if (rc == BZ_OK && !region)
        rc = bzi_zones_trim_grounds(z, zone);
    if (rc == BZ_OK)
        rc = bzi_zones_finish(z, region);
    bzi_framed_free(ctx, &fr);
    bzi_framed_free(ctx, &ft);
    bzi_framed_free(ctx, &fz);
    return bzi_zones_hand_out(out, z, rc);
}

/* inputs.c — the zone computations' inputs at the boundary: the distances checked, the region
 * and territory read the library's one way (antimeridian.h) and checked polygonal and valid by
 * one rule (reject, naming where; bzi_check_polygonal). See zones.c. */
#include "zones/inputs.h"
#include "core/polygon.h"

#include <math.h>

int bzi_check_distance(bz_context *ctx, double d, int side)
{
    if (isnan(d) || isinf(d) || d < 0.0 || d > BZ_MAX_DISTANCE_M)
        return bzi_error(ctx, BZ_ERR_ARGUMENT,
                         "withdrawal distance of side %s is %.10g m: it must be a number in "
                         "[0, %.0f] m",
                         side == BZ_SIDE_A ? "A" : "B", d, BZ_MAX_DISTANCE_M);
    if (d > 0.0 && d < BZ_MIN_DISTANCE_M)
        return bzi_error(ctx, BZ_ERR_ARGUMENT,
                         "withdrawal distance of side %s is %.10g m: the smallest distance "
                         "supported is %g m (0.1 mm; below that the lon/lat edges the zones are "
                         "cut along stray from their geodesics by more than the distance)",
                         side == BZ_SIDE_A ? "A" : "B", d, BZ_MIN_DISTANCE_M);
    return BZ_OK;
}

/* Polygonal and valid (GEOS's validity, with the place of the first problem). */
int bzi_check_polygonal(bz_context *ctx, const GEOSGeometry *g, const char *what)
{
    GEOSContextHandle_t h = ctx->geos;
    int type = GEOSGeomTypeId_r(h, g);
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
        char *name = type < 0 ? NULL : GEOSGeomType_r(h, g); /* GEOS allocates the name */
        int rc = bzi_error(ctx, BZ_ERR_TYPE, "%s must be a Polygon or MultiPolygon, got %s", what,
                           name ? name : "an unreadable geometry");
        if (name)
            GEOSFree_r(h, name);
        return rc;
    }
    return bzi_check_valid(ctx, g, what);
}

/* The forms: territory needs a region; without a territory a line is needed. */
int bzi_check_forms(bz_context *ctx, const bz_line *line, const GEOSGeometry *region,
                    const GEOSGeometry *territory)
{
    if (territory && !region)
        return bzi_error(ctx, BZ_ERR_ARGUMENT,
                         "a territory needs a region (side B is the region minus the territory)");
    if (!territory && !line)
        return bzi_error(ctx, BZ_ERR_ARGUMENT,
                         "no contact line: give a line, or a territory and a region");
    if (region) {
        int rc = bzi_check_polygonal(ctx, region, "the region");
        if (rc)
            return rc;
    }
    if (territory)
        return bzi_check_polygonal(ctx, territory, "the territory");
    return BZ_OK;
}

/* The region and territory read the library's one way (antimeridian.h), in the frame of the
 * line, or of the polygons themselves when the line is still to be derived. */
int bzi_frame_inputs(bz_context *ctx, const bz_line *line, const GEOSGeometry *region,
                     const GEOSGeometry *territory, bzi_framed *fr, bzi_framed *ft)
{
    const GEOSGeometry *both[2] = {region, territory};
    double c = line ? bzi_line_center(line) : 0;
    int rc = line ? BZ_OK : bzi_polygons_center(ctx, both, 2, &c);
    if (rc == BZ_OK)
        rc = bzi_framed_make(ctx, region, c, "reading the region", fr);
    if (rc == BZ_OK)
        rc = bzi_framed_make(ctx, territory, c, "reading the territory", ft);
    return rc;
}

/* Once a derived line is known: the inputs moved into its frame (by whole turns, if at all). */
int bzi_reframe_inputs(bz_context *ctx, const bz_line *line, bzi_framed *fr, bzi_framed *ft)
{
    bzi_framed *f[2] = {fr, ft};
    for (int i = 0; i < 2; i++) {
        bzi_framed moved;
        int rc = bzi_framed_make(ctx, f[i]->use, bzi_line_center(line),
                                 "moving the inputs into the line's frame", &moved);
        if (rc)
            return rc;
        if (moved.own) {
            bzi_framed_free(ctx, f[i]);
            *f[i] = moved;
        }
    }
    return BZ_OK;
}

/* zones/sides.h — the ground of each side (sides.c). */
#ifndef BZ_SIDES_H
#define BZ_SIDES_H

#include "core/context.h"

/*
 * The ground of side A and side B as valid lon/lat (Multi)Polygons (possibly empty), in the
 * unwrapped longitudes of `line` (see bz_line). The caller frees both with GEOSGeom_destroy_r.
 * The region and territory must be valid (the caller checked them with bzi_check_valid where
 * they entered the library): they are not checked or repaired again here.
 *  - territory form (territory and region non-NULL): A = territory ∩ region,
 *    B = region − territory. `line` may be NULL.
 *  - line + region (territory NULL): the region split by the line into the part LEFT of the
 *    line's direction (A) and the part RIGHT of it (B). At open ends the line is continued
 *    along its end direction (geodesic) far enough to divide everything within reach_m: to the
 *    region's edge, but along the end direction for at most max(reach_m·1.05 + 1 km, twice the
 *    end's distance to the edge); a continuation still inside then goes the shortest way to the
 *    edge (so an end near the border pointing inland does not cut the whole region in two).
 *    Where the line curls back ahead of an end, the continuation runs straight only while the
 *    end is the nearest point of the line, and then along the divide where ground of one side
 *    meets ground of the other (within 0.2 m, or 2e-6 of reach_m beyond 100 km).
 *  - line alone (both NULL): the two halves (left = A, right = B) of a frame that covers at
 *    least every point within reach_m of the line.
 * Ground that touches no part of the line (an island) goes to the side of the nearest point
 * of the line. With a line of several parts the frame is also cut where two parts are equally
 * near (bisector.c), and each piece takes its side from its nearest part alone.
 */
int bzi_side_grounds(bz_context *ctx, const bz_line *line, const GEOSGeometry *region,
                     const GEOSGeometry *territory, double reach_m, GEOSGeometry **ground_a,
                     GEOSGeometry **ground_b);

#endif

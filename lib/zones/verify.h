/* verify.h — measuring withdrawal lines against exact geodesic distances (verify.c). */
#ifndef BZ_VERIFY_H
#define BZ_VERIFY_H

#include "core/context.h"

/* What a verification found. */
typedef struct bzi_verify_result {
    double max_error_m;          /* largest |distance to the line − requested distance| */
    double worst_lon, worst_lat; /* where it was found (NaN when nothing was sampled) */
    size_t samples;              /* points measured (excluded ones not counted) */
} bzi_verify_result;

/*
 * Sample a withdrawal line (every vertex, points at most step_m apart along each segment, and the
 * midpoint of every edge long enough to sag noticeably)
 * and measure each sample's exact geodesic distance to `line` with bz_line_distance.
 * Samples within a few decimetres of the boundary of `ground` (may be NULL) are left out when
 * their error exceeds exclude_above_m: they lie on the region's edge or the side boundary, which
 * are not at the requested distance by construction. Uses bzi_thread_count(ctx) threads, each
 * with its own context.
 */
int bzi_verify_withdrawal(bz_context *ctx, const bz_line *line, const GEOSGeometry *withdrawal,
                          double distance_m, const GEOSGeometry *ground, double step_m,
                          double exclude_above_m, bzi_verify_result *out);

#endif

/* verify.h — measuring withdrawal lines against exact geodesic distances (verify.c). */
#ifndef BZ_VERIFY_H
#define BZ_VERIFY_H

#include "internal.h"

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

/* What the area check (verify_area.c) found: the first point where a result disagrees with the
 * definition of a zone, or kind 0 (BZI_AREA_OK). */
enum {
    BZI_AREA_OK = 0,
    BZI_AREA_MISSING,   /* within the side's distance, on its ground, not in its zone */
    BZI_AREA_EXTRA,     /* in a zone, farther from the line than its distance */
    BZI_AREA_NO_GROUND, /* within the distances (inside the region), on neither side's ground */
    BZI_AREA_HOLE       /* a hole of a zone on its ground within its distance */
};
typedef struct bzi_area_result {
    int kind;
    int side;             /* the side concerned */
    double lon, lat;      /* where */
    double distance_m;    /* that point's exact distance from the line */
    size_t part, segment; /* the line's segment nearest to it */
    size_t samples;       /* points judged */
} bzi_area_result;

/*
 * Sample across the band (stations along the line, points along its normal at shares of each
 * side's distance) and judge every sample and every hole of the zones by the definition, with
 * the exact distance: see verify_area.c. margin[s] is how far side s's withdrawal line and the
 * side boundary may stray (points closer than twice that to either are not judged). `region`
 * is NULL in the line-alone form. Returns BZ_OK with out->kind telling what was found, or a
 * failure status.
 */
int bzi_verify_area(bz_context *ctx, const bz_line *line, const double dist[2],
                    const double margin[2], const GEOSGeometry *const zone[2],
                    const GEOSGeometry *const ground[2], const GEOSGeometry *region,
                    bzi_area_result *out);

#endif

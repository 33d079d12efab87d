/* zones/verify_area.h — checking a result's area by the definition, across the band
 * (verify_area.c). */
#ifndef BZ_ZONES_VERIFY_AREA_H
#define BZ_ZONES_VERIFY_AREA_H

#include "core/context.h"

#include <stddef.h>

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

/* The same in three stages, so that the samples can be judged on another thread. */
typedef struct bzi_area_check bzi_area_check;
/* Note what the check needs, on ctx's thread: the geometries and `line` must outlive the check,
 * unchanged. The caller frees *check with bzi_verify_area_free (also after a failure). */
int bzi_verify_area_prepare(bz_context *ctx, const bz_line *line, const double dist[2],
                            const double margin[2], const GEOSGeometry *const zone[2],
                            const GEOSGeometry *const ground[2], const GEOSGeometry *region,
                            bzi_area_check **check);
/* Index the geometries (reading only their coordinates) and judge the samples into *out, with
 * ctx: any thread's own context, while other threads may read the same geometries. */
int bzi_verify_area_walk(bz_context *ctx, bzi_area_check *check, bzi_area_result *out);
/* After the walk, on the thread that prepared the check: judge the zones' holes. *out holds the
 * walk's result and becomes the check's (a hole found comes before what the walk found). */
int bzi_verify_area_holes(bz_context *ctx, bzi_area_check *check, bzi_area_result *out);
void bzi_verify_area_free(bzi_area_check *check);

#endif

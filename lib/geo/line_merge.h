/* geo/line_merge.h — merging a new line's parts that continue each other (line_merge.c). */
#ifndef BZ_GEO_LINE_MERGE_H
#define BZ_GEO_LINE_MERGE_H

#include "core/context.h"

#include <stddef.h>

/* A part whose points are `n` lon/lat pairs at `xy` (in a shared working buffer). */
typedef struct bzi_run {
    double *xy;
    size_t n;
} bzi_run;

/* Longitude folded into (-180, 180], for comparing points across wraps. */
double bzi_fold_lon(double lon);

/* Merge runs into final parts in `coords` (capacity = total points); part_start gets nparts + 1
 * offsets. A part whose end is another's start, where no third end meets, is joined to it.
 * Parts that are not the first are moved by whole turns next to the part before. BZ_OK, or
 * BZ_ERR_NOMEM (recorded). */
int bzi_merge_runs(bz_context *ctx, const bzi_run *runs, size_t nruns, double *coords,
                   size_t *part_start, size_t *nparts);

#endif

/* zones/bisector_gaps.h — closing the gaps the sampled diagram leaves in the curves between a
 * line's parts (bisector_gaps.c). */
#ifndef BZ_ZONES_BISECTOR_GAPS_H
#define BZ_ZONES_BISECTOR_GAPS_H

#include "zones/bisector_refine.h"
#include "zones/curve_set.h"

/* Where a curve of the set ends within r->refine_m of the line and joins nothing (the line's
 * parts and the other curves, united, have no other line there), and another such end on the
 * bisector of the same two nearest parts lies within max_gap_m of it (each the other's
 * nearest), the curve between the two along that bisector is added to the set. BZ_OK, or a
 * status recorded in r->ctx (also in r->status). */
int bzi_close_curve_gaps(bzi_refiner *r, bzi_curve_set *curves, double max_gap_m);

#endif

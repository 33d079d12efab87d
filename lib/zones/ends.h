/* zones/ends.h — continuing the contact line's open ends out of a frame (ends.c). */
#ifndef BZ_ZONES_ENDS_H
#define BZ_ZONES_ENDS_H

#include "core/context.h"
#include "core/coords.h"

/* Where a continuation goes: the frame, its rings (for closing a continuation off), and how
 * far along the end direction it may run. */
typedef struct bzi_continuation {
    const GEOSPreparedGeometry *frame;
    const GEOSGeometry *edge; /* the frame's boundary */
    double max_m;             /* INFINITY: until it leaves the frame */
    double reach_m;           /* the zones' reach (how closely a divide is followed) */
    /* the curves between the parts of a multi-part line (NULL for one part): a continuation
     * ends just past the first it crosses */
    const GEOSPreparedGeometry *cuts;
    int any_cut; /* 1 if there is any such curve (none where every part's ends are shared) */
    const bz_line *line; /* the whole line (NULL: a close-off is not checked against its reach) */
} bzi_continuation;

/* Part `k` of the line with both open ends continued out of the frame (a closed part is not
 * continued), its segments densified along their geodesics, as lon/lat pairs in *out (emptied
 * first). BZ_OK, or a status recorded in ctx. */
int bzi_continued_part(bz_context *ctx, const bz_line *line, size_t k,
                       const bzi_continuation *frame, bzi_coords *out);

#endif

/* zones/bisector_refine.h — refining the curves between parts onto the geodesic bisector
 * (bisector_refine.c). */
#ifndef BZ_ZONES_BISECTOR_REFINE_H
#define BZ_ZONES_BISECTOR_REFINE_H

#include "core/context.h"
#include "core/coords.h"

/* What refining needs: the line, each part as a line of its own with its lon/lat box, and how
 * far from the line refining is worth it. The first failure is kept in `status`. */
typedef struct bzi_refiner {
    bz_context *ctx;
    const bz_line *line;
    bz_line **parts;
    const double *bbox; /* per part: min lon, min lat, max lon, max lat */
    size_t nparts;
    double refine_m;
    int status;
} bzi_refiner;

/* (lon, lat) moved onto the geodesic bisector of its two nearest parts (to about its nearest
 * point there) into out[0], out[1]; *moved = 0 when it stays (farther than refine_m, or one
 * part only near). A failure is recorded in r->status. */
void bzi_refine_point(bzi_refiner *r, double lon, double lat, double *out, int *moved);

/* Append the refined curve from p (refined rp) to q (refined rq), p and q excluded, into out,
 * halving until each chord is within the tolerance of the bisector. BZ_OK, BZ_ERR_NOMEM, or
 * r->status. */
int bzi_refine_between(bzi_refiner *r, const double *p, const double *rp, const double *q,
                       const double *rq, int depth, bzi_coords *out);

#endif

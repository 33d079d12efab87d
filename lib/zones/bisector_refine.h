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
    size_t *hint; /* per part, then the whole line: the leaf of its last answer, where its next
                     search starts (the points asked come one after another along a curve);
                     NULL: none */
} bzi_refiner;

/* (lon, lat) moved onto the geodesic bisector of parts ka and kb (to about its nearest point
 * there) into out[0], out[1], or where a third part is nearer there, onto the bisector of its
 * own two nearest parts; *moved = 0 when it stays (both parts farther than refine_m). A failure
 * is recorded in r->status. */
void bzi_refine_pair(bzi_refiner *r, int ka, int kb, double lon, double lat, double *out,
                     int *moved);

/* The two parts nearest to (lon, lat) into *k1 (the nearest) and *k2, their distances (m) into
 * *d1, *d2; *k2 = -1 when the nearest lies farther than refine_m, both -1 on failure (recorded
 * in r->status, returned). */
int bzi_refine_two_nearest(bzi_refiner *r, double lon, double lat, int *k1, int *k2, double *d1,
                           double *d2);
/* The part nearest to (lon, lat) when it is neither ka nor kb (a diagram edge "between" ka and
 * kb that lies along that part, see bisector.c), else -1; *clearly = 1 when it is nearer than
 * half their distance. -1 also on failure, recorded in r->status. */
int bzi_refine_third_part(bzi_refiner *r, int ka, int kb, double lon, double lat, int *clearly);

/* A vertex of the diagram where the curves between the n parts in `parts` meet (n >= 2):
 * moved to the point equally far from the three nearest of them (their two with n = 2), as
 * bzi_refine_pair. Where three or more parts meet and no such point is found, *by_pair = 1 and
 * out is not set: the caller moves the vertex onto each curve's own bisector (bisector.c). */
void bzi_refine_vertex(bzi_refiner *r, const int *parts, size_t n, double lon, double lat,
                       double *out, int *moved, int *by_pair);

/* Append the curve between parts ka and kb from p to q (both moved onto their bisector, or
 * beyond reach), p and q excluded, into out: the chord is halved, its middle moved onto the
 * bisector, until each chord is within the tolerance of it. BZ_OK, BZ_ERR_NOMEM, or
 * r->status. */
int bzi_refine_between(bzi_refiner *r, int ka, int kb, const double *p, const double *q, int depth,
                       bzi_coords *out);

#endif

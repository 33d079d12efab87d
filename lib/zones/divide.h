/* zones/divide.h — where the sides meet past an open end that the line curls back towards
 * (divide.c). */
#ifndef BZ_ZONES_DIVIDE_H
#define BZ_ZONES_DIVIDE_H

#include "core/context.h"

/* Tracing the divide of one open end of part `part`. */
typedef struct bzi_divide {
    bz_context *ctx;
    const bz_line *line;
    size_t part;
    int sigma;      /* the side on the divide's left as it runs away from the end: +1 (A) at a
                       part's last end, -1 (B) at its first */
    double tol_m;   /* how far a chord of the divide may stray from it within the zones' reach */
    double reach_m; /* the zones' reach: beyond it the divide's course is kept more coarsely */
    size_t hint;    /* bzi_line_distance_hint's (SIZE_MAX at first) */
    double turn_deg, turn_h; /* the last step's turn from the heading, and its length (0, 0 at
                                first) */
} bzi_divide;

/* What a step found. */
enum {
    BZI_DIVIDE_STEP = 0,  /* the next point of the divide */
    BZI_DIVIDE_OTHER = 1, /* another part of the line is nearer there: its ground begins */
    BZI_DIVIDE_LOST = 2   /* no divide found round the point (not expected) */
};

/* 1 in *out when the point q, at distance t_m from the end (on the end's continuation), has
 * its nearest point of the line elsewhere on the same part (the end no longer decides its side),
 * 0 when the end is its nearest point or another part is nearer. BZ_OK or a status. */
int bzi_divide_past_end(bzi_divide *dv, double qlon, double qlat, double t_m, int *out);

/*
 * One step along the divide from p (on it, heading azi, at dist_m from the line): *how receives
 * BZI_DIVIDE_STEP with the next point q (at most a quarter of dist_m away, so never across the
 * line), the divide's azimuth at q in *azi_q and q's distance from the line in *dist_q; or
 * BZI_DIVIDE_OTHER or BZI_DIVIDE_LOST (q unset). *h_m is the step to try, and receives the next
 * one. The chord p-q strays at most tol_m from the divide within the zones' reach. BZ_OK or a
 * status.
 */
int bzi_divide_step(bzi_divide *dv, const double *p, double azi, double dist_m, double *h_m,
                    double *q, double *azi_q, double *dist_q, int *how);

#endif

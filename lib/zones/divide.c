/*
 * divide.c — where the sides meet past an open end that the line curls back towards (see
 * divide.h; ends.c uses it).
 *
 * Why: a point takes the side of its nearest point of the line. Where that nearest point is an
 * open end, the end's continuation (its final geodesic direction) divides the sides; but a line
 * that curls back within reach of its end has points ahead of the end, and past some point X of
 * the continuation these are nearer than the end. From X on the sides meet where the end's
 * ground meets the ground of those points (and farther out, wherever ground of one side meets
 * ground of the other), not along the straight continuation: cut straight on, a wedge of ground
 * went to the wrong side (oracle seed 4 cases 353, 1721, 1870: 520-34,500 km^2 at 100-999 km).
 * How: the divide is traced by the side alone. From a point P on it, the points at distance h
 * round P (h at most a quarter of P's distance from the line, so the circle never reaches the
 * line) are classified by their nearest point (bz_line_distance's side, which is the
 * definition's: segment, vertex bisector, end direction); the divide leaves P where the circle
 * passes from the side on its left to the other, found by halving the azimuth. A step is kept
 * when the divide passes within tol/2 of the chord's middle (two classifications), which bounds
 * the chord's distance from it by tol even across a corner; otherwise h is halved.
 */
#include "zones/divide.h"
#include "geo/distance.h"
#include "geo/geodesic.h"
#include "geo/line.h"

#include <math.h>

/* The arc searched ahead first, either side of the heading (degrees). */
#define AHEAD_DEG 60.0
/* Azimuths round the whole circle when the divide is not ahead. */
#define SCAN_N 24

/* The side (+1, -1; 0 on the line) of x by its nearest point, its distance from the line in
 * *dist, and *other = 1 when that nearest point is on another part. */
static int side_at(bzi_divide *dv, const double *x, int *side, double *dist, int *other)
{
    bz_nearest nr;
    int st = bzi_line_distance_hint(dv->ctx, dv->line, x[0], x[1], &dv->hint, &nr);
    if (st)
        return st;
    *side = nr.side;
    *dist = nr.distance_m;
    *other = nr.part != dv->part;
    return BZ_OK;
}

/* The point s metres from p along azimuth azi (longitude continuous with p's); *azi2 the
 * azimuth there when non-NULL. */
static void go(const struct geod_geodesic *g, const double *p, double azi, double s, double *q,
               double *azi2)
{
    double lat, lon, a2;
    geod_direct(g, p[1], p[0], azi, s, &lat, &lon, &a2);
    q[0] = lon + 360.0 * round((p[0] - lon) / 360.0);
    q[1] = lat;
    if (azi2)
        *azi2 = a2;
}

/* *side of the point h metres from p along azimuth azi; *other |= 1 when another part is
 * nearer there. */
static int classify(bzi_divide *dv, const double *p, double azi, double h, int *side, int *other)
{
    double q[2], dist;
    go(&dv->ctx->geod, p, azi, h, q, NULL);
    int o = 0;
    int st = side_at(dv, q, side, &dist, &o);
    *other |= o;
    return st;
}

/* 1 in *found when the circle of radius h round p passes from side sigma at azimuth lo to
 * -sigma at hi. */
static int try_arc(bzi_divide *dv, const double *p, double lo, double hi, double h, int *found,
                   int *other)
{
    int sl = 0, sh = 0, st;
    if ((st = classify(dv, p, lo, h, &sl, other)) || (st = classify(dv, p, hi, h, &sh, other)))
        return st;
    *found = !*other && sl == dv->sigma && sh == -dv->sigma;
    return BZ_OK;
}

/* Azimuths lo < hi (degrees, hi - lo <= 360) of the circle of radius h round p between which it
 * passes from side sigma to -sigma, the crossing nearest the heading; *found = 0 if none. The
 * arc where the last step's turn would put it is tried first, then AHEAD_DEG either side of
 * the heading, then the whole circle. */
static int bracket(bzi_divide *dv, const double *p, double azi, double h, double *lo, double *hi,
                   int *found, int *other)
{
    int st;
    double turn = dv->turn_h > 0 ? dv->turn_deg * h / dv->turn_h : 0.0;
    double w = fmin(AHEAD_DEG, fmax(1.0, 2.0 * fabs(turn)));
    *lo = azi + turn - w;
    *hi = azi + turn + w;
    if ((st = try_arc(dv, p, *lo, *hi, h, found, other)) || *found || *other)
        return st;
    *lo = azi - AHEAD_DEG;
    *hi = azi + AHEAD_DEG;
    if (w < AHEAD_DEG && ((st = try_arc(dv, p, *lo, *hi, h, found, other)) || *found || *other))
        return st;
    /* a sharp turn (a corner of the divide): round the whole circle from behind */
    int s[SCAN_N];
    for (int i = 0; i < SCAN_N; i++)
        if ((st = classify(dv, p, azi + 180.0 + 360.0 * i / SCAN_N, h, &s[i], other)))
            return st;
    if (*other)
        return BZ_OK;
    double best = INFINITY;
    for (int i = 0; i < SCAN_N; i++) {
        int j = (i + 1) % SCAN_N;
        if (s[i] != dv->sigma || s[j] != -dv->sigma)
            continue;
        double a = azi + 180.0 + 360.0 * i / SCAN_N, b = a + 360.0 / SCAN_N;
        double turn = fabs(remainder(0.5 * (a + b) - azi, 360.0));
        if (turn < best) {
            best = turn;
            *lo = a;
            *hi = b;
            *found = 1;
        }
    }
    return BZ_OK;
}

int bzi_divide_past_end(bzi_divide *dv, double qlon, double qlat, double t_m, int *out)
{
    bz_nearest nr;
    *out = 0;
    int st = bzi_line_distance_hint(dv->ctx, dv->line, qlon, qlat, &dv->hint, &nr);
    if (st)
        return st;
    /* the distances are good to a centimetre */
    *out = nr.part == dv->part && nr.distance_m < t_m - (0.01 + 1e-9 * t_m);
    return BZ_OK;
}

int bzi_divide_step(bzi_divide *dv, const double *p, double azi, double dist_m, double *h_m,
                    double *q, double *azi_q, double *dist_q, int *how)
{
    const struct geod_geodesic *g = &dv->ctx->geod;
    double h = fmin(*h_m, 0.25 * dist_m);
    int other = 0, st;
    for (; h >= 0.125 * dv->tol_m; h *= 0.5) {
        other = 0;
        /* far beyond the zones' reach the divide only has to keep out of them */
        double tol = dv->tol_m + fmax(0.0, 0.01 * (dist_m - h - dv->reach_m));
        double lo = 0, hi = 0;
        int found = 0;
        if ((st = bracket(dv, p, azi, h, &lo, &hi, &found, &other)))
            return st;
        if (other || !found)
            continue;
        while (h * (hi - lo) * (3.14159265358979323846 / 180.0) > 0.25 * tol) {
            double mid = 0.5 * (lo + hi);
            int s = 0;
            if ((st = classify(dv, p, mid, h, &s, &other)))
                return st;
            if (other)
                break;
            if (s == dv->sigma)
                lo = mid;
            else
                hi = mid;
        }
        if (other)
            continue;
        int side = 0, o = 0;
        go(g, p, 0.5 * (lo + hi), h, q, NULL);
        if ((st = side_at(dv, q, &side, dist_q, &o)))
            return st;
        if ((other = o))
            continue;
        /* the chord p-q: the divide must pass within tol/2 of its middle */
        double s12, a1, a2, m[2], am, x[2];
        geod_inverse(g, p[1], p[0], q[1], q[0], &s12, &a1, &a2);
        go(g, p, a1, 0.5 * s12, m, &am);
        int sl = 0, sr = 0;
        go(g, m, am - 90.0, 0.5 * tol, x, NULL);
        double d;
        if ((st = side_at(dv, x, &sl, &d, &other)))
            return st;
        go(g, m, am + 90.0, 0.5 * tol, x, NULL);
        if (!other && (st = side_at(dv, x, &sr, &d, &other)))
            return st;
        if (other || sl != dv->sigma || sr != -dv->sigma)
            continue;
        *azi_q = a2;
        /* the next step: a chord turning by t from the last strays about h t / 8 from an arc */
        double turn = remainder(a1 - azi, 360.0);
        double sag = h * fabs(turn) * (3.14159265358979323846 / 180.0) / 8.0;
        dv->turn_deg = turn;
        dv->turn_h = h;
        *h_m = h * (sag > 0 ? fmin(2.0, fmax(0.5, 0.8 * sqrt(0.5 * tol / sag))) : 2.0);
        *how = BZI_DIVIDE_STEP;
        return BZ_OK;
    }
    *how = other ? BZI_DIVIDE_OTHER : BZI_DIVIDE_LOST;
    return BZ_OK;
}

/* bisector_refine.c — moving the Voronoi diagram's vertices onto the exact geodesic bisector of
 * their two nearest parts, and cutting an edge until its chord follows the bisector (the second
 * half of bisector.c's "How"). */
#include "zones/bisector_refine.h"
#include "geo/distance.h"

#include <math.h>
#include <stdint.h>

#define DEG_RAD (3.14159265358979323846 / 180.0)
/* How far a chord of the bisector may stray from it. */
#define BIS_TOL_M 0.2
/* Shortest piece of a curve that is cut again. */
#define BIS_MIN_M 1.0
/* Deepest halving of one Voronoi edge. */
#define BIS_MAX_DEPTH 18

/* A distance (m) that (lon, lat) is at least from the box b: a degree of latitude is at least
 * 110.5 km, one of longitude at least 111.3 km × cos of the larger |latitude|. */
static double box_bound(const double *b, double lon, double lat)
{
    double dy = lat < b[1] ? b[1] - lat : lat > b[3] ? lat - b[3] : 0;
    double dx = lon < b[0] ? b[0] - lon : lon > b[2] ? lon - b[2] : 0;
    double c = cos(fmin(89.9, fmax(fmax(fabs(b[1]), fabs(b[3])), fabs(lat))) * DEG_RAD);
    return fmax(dy * 110500.0, dx * 111300.0 * c) * 0.99;
}

/* The nearest two parts of (lon, lat) and their nearest points; *k2 = -1 (not looked for) when
 * the nearest lies farther than refine_m. */
static int two_nearest(bzi_refiner *r, double lon, double lat, bz_nearest *n1, int *k1,
                       bz_nearest *n2, int *k2)
{
    n1->distance_m = n2->distance_m = INFINITY;
    *k1 = *k2 = -1;
    bz_nearest any;
    int st0 = bz_line_distance(&any, r->ctx, r->line, lon, lat);
    if (st0)
        return st0;
    if (any.distance_m > r->refine_m)
        return BZ_OK;
    *n1 = any;
    *k1 = (int)any.part;
    /* the part whose box is nearest first: its distance then spares most of the others */
    size_t first = SIZE_MAX;
    double best = INFINITY;
    for (size_t k = 0; k < r->nparts; k++) {
        double bb = (int)k == *k1 ? INFINITY : box_bound(r->bbox + 4 * k, lon, lat);
        if (bb < best) {
            best = bb;
            first = k;
        }
    }
    for (size_t j = 0; j <= r->nparts && first != SIZE_MAX; j++) {
        size_t k = j == 0 ? first : j - 1;
        if ((j > 0 && k == first) || (int)k == *k1 ||
            box_bound(r->bbox + 4 * k, lon, lat) > n2->distance_m)
            continue;
        bz_nearest n;
        int st = bz_line_distance(&n, r->ctx, r->parts[k], lon, lat);
        if (st)
            return st;
        if (n.distance_m < n1->distance_m) {
            *n2 = *n1;
            *k2 = *k1;
            *n1 = n;
            *k1 = (int)k;
        } else if (n.distance_m < n2->distance_m) {
            *n2 = n;
            *k2 = (int)k;
        }
    }
    return BZ_OK;
}

/* f at t metres along the geodesic from (lat0, lon0) at azimuth azi: the distance to part ka
 * less the distance to part kb, times sgn; the point in q. */
static int diff_along(bzi_refiner *r, int ka, int kb, double sgn, double lat0, double lon0,
                      double azi, double t, double *q, double *f)
{
    double qlat, qlon;
    geod_direct(&r->ctx->geod, lat0, lon0, azi, t, &qlat, &qlon, NULL);
    q[0] = qlon + 360.0 * round((lon0 - qlon) / 360.0);
    q[1] = qlat;
    bz_nearest na, nb;
    int st = bz_line_distance(&na, r->ctx, r->parts[ka], q[0], q[1]);
    if (!st)
        st = bz_line_distance(&nb, r->ctx, r->parts[kb], q[0], q[1]);
    if (!st)
        *f = sgn * (na.distance_m - nb.distance_m);
    return st;
}

/* The root of f (see diff_along) between t = lo and t = hi, where flo < 0 < fhi, by regula
 * falsi (Illinois), to 1 mm; the point in out. */
static int root_along(bzi_refiner *r, int ka, int kb, double sgn, double lat0, double lon0,
                      double azi, double lo, double hi, double flo, double fhi, double *out)
{
    int side = 0;
    for (int it = 0; it < 60 && hi - lo > 1e-3; it++) {
        double t = flo != fhi ? lo - flo * (hi - lo) / (fhi - flo) : 0.5 * (lo + hi);
        if (!(t > lo && t < hi))
            t = 0.5 * (lo + hi);
        double f = 0.0;
        int st = diff_along(r, ka, kb, sgn, lat0, lon0, azi, t, out, &f);
        if (st)
            return st;
        if (fabs(f) < 1e-3)
            return BZ_OK;
        if (f < 0) {
            lo = t;
            flo = f;
            if (side == -1)
                fhi *= 0.5;
            side = -1;
        } else {
            hi = t;
            fhi = f;
            if (side == 1)
                flo *= 0.5;
            side = 1;
        }
    }
    return BZ_OK;
}

/* Unit vector (east, north) of an azimuth in degrees. */
static void unit_of(double azi, double *e, double *n)
{
    *e = sin(azi * DEG_RAD);
    *n = cos(azi * DEG_RAD);
}

/*
 * (lon, lat) moved onto the bisector of its two nearest parts if it lies within refine_m of the
 * line; *moved = 0 (and the point kept) otherwise.
 *
 * It moves to about the NEAREST point of the bisector: along the gradient of f = (distance to
 * part a) - (distance to part b), which is the difference of the unit vectors towards the two
 * nearest points, by about f / |grad f| (a Newton step), then to the root on that geodesic.
 * Moving instead along the geodesic between the two nearest points lands on the bisector too,
 * but where those points are two parts' ends (two collinear parts, the gap between them) that
 * is the gap's middle, kilometres away: a vertex of the diagram near where three parts are
 * equally near was carried there, and the curve through it cut across a part's ground (seed 1
 * cases 18, 114, 130, 135 of the oracle). That way remains the fallback where the gradient
 * gives no bracket (it always brackets: f < 0 at a's point, > 0 at b's).
 */
void bzi_refine_point(bzi_refiner *r, double lon, double lat, double *out, int *moved)
{
    out[0] = lon;
    out[1] = lat;
    *moved = 0;
    /* GEOS widens the diagram's box by the sites' extent whatever box it is given, so near a
     * pole some of its vertices lie beyond it (lat 92.6: seed 1 cases 30 and 51 of the
     * oracle). No such point is on the Earth, let alone within reach of the line: the curve
     * keeps it as drawn, and it lies outside every frame (the line-alone box stops at
     * 89.99 degrees, and a region cannot pass a pole). */
    if (r->status || !(fabs(lat) <= 90.0))
        return;
    bz_nearest a, b;
    int ka, kb;
    r->status = two_nearest(r, lon, lat, &a, &ka, &b, &kb);
    if (r->status || kb < 0 || a.distance_m > r->refine_m)
        return;
    const struct geod_geodesic *g = &r->ctx->geod;
    double f0 = a.distance_m - b.distance_m;
    *moved = 1;
    if (fabs(f0) < 1e-3)
        return;
    if (a.distance_m > 0 && b.distance_m > 0) {
        double s, aza, azb, ae, an, be, bn;
        geod_inverse(g, lat, lon, a.lat, a.lon, &s, &aza, NULL);
        geod_inverse(g, lat, lon, b.lat, b.lon, &s, &azb, NULL);
        unit_of(aza, &ae, &an);
        unit_of(azb, &be, &bn);
        /* moving towards a's point shortens the distance to a: grad f = u_b - u_a */
        double ge = be - ae, gn = bn - an, norm = hypot(ge, gn);
        if (norm > 1e-3) {
            /* towards the sign change: up the gradient where f < 0, down it where f > 0 */
            double azi = atan2(ge, gn) / DEG_RAD + (f0 > 0 ? 180.0 : 0.0);
            double sgn = f0 < 0 ? 1.0 : -1.0; /* the sign that makes f negative at p */
            double t0 = fabs(f0) / norm, ft = 0.0, q[2];
            /* the Newton step itself first: on a smooth stretch it lands within 1 mm */
            r->status = diff_along(r, ka, kb, sgn, lat, lon, azi, t0, q, &ft);
            if (r->status)
                return;
            if (fabs(ft) < 1e-3) {
                out[0] = q[0];
                out[1] = q[1];
                return;
            }
            double t = ft > 0 ? t0 : 1.25 * t0 + 0.01;
            for (int k = 0; k < 4 && !r->status; k++, t *= 2.0) {
                if (k > 0 || ft < 0)
                    r->status = diff_along(r, ka, kb, sgn, lat, lon, azi, t, q, &ft);
                if (r->status)
                    return;
                if (ft >= 0) {
                    r->status = ft < 1e-3 ? BZ_OK
                                          : root_along(r, ka, kb, sgn, lat, lon, azi, 0.0, t,
                                                       -fabs(f0), ft, q);
                    out[0] = q[0];
                    out[1] = q[1];
                    return;
                }
            }
        }
    }
    /* along the geodesic from a's nearest point to b's: f = -s12 at 0, +s12 at s12 */
    double s12, azi1, q[2] = {lon, lat};
    geod_inverse(g, a.lat, a.lon, b.lat, b.lon, &s12, &azi1, NULL);
    r->status = root_along(r, ka, kb, 1.0, a.lat, a.lon, azi1, 0.0, s12, -s12, s12, q);
    out[0] = q[0];
    out[1] = q[1];
}

/* Distance (m, locally flat) of p from the chord a-b. */
static double chord_offset(const double *a, const double *b, const double *p)
{
    double c = cos(p[1] * DEG_RAD) * 111320.0, m = 110574.0;
    double bx = (b[0] - a[0]) * c, by = (b[1] - a[1]) * m;
    double px = (p[0] - a[0]) * c, py = (p[1] - a[1]) * m;
    double l2 = bx * bx + by * by;
    double t = l2 > 0 ? (px * bx + py * by) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(px - t * bx, py - t * by);
}

/* Append the refined curve from p (refined rp) to q (refined rq), p and q excluded, into out. */
int bzi_refine_between(bzi_refiner *r, const double *p, const double *rp, const double *q,
                       const double *rq, int depth, bzi_coords *out)
{
    double m[2] = {0.5 * (p[0] + q[0]), 0.5 * (p[1] + q[1])}, rm[2];
    int moved = 0;
    bzi_refine_point(r, m[0], m[1], rm, &moved);
    if (r->status)
        return r->status;
    /* pieces under BIS_MIN_M are not cut again: where the two nearest parts change (three parts
     * about equally near) the curve turns a corner that no chord follows */
    if (!moved || depth >= BIS_MAX_DEPTH || chord_offset(rp, rq, rm) <= BIS_TOL_M ||
        chord_offset(p, p, q) < BIS_MIN_M) {
        if (!moved || depth >= BIS_MAX_DEPTH)
            return BZ_OK;
        /* the midpoint is kept when the chord would do: it costs nothing more */
        return bzi_coords_push2_distinct(out, rm[0], rm[1]) ? BZ_ERR_NOMEM : BZ_OK;
    }
    int st = bzi_refine_between(r, p, rp, m, rm, depth + 1, out);
    if (!st && bzi_coords_push2_distinct(out, rm[0], rm[1]))
        st = BZ_ERR_NOMEM;
    if (!st)
        st = bzi_refine_between(r, m, rm, q, rq, depth + 1, out);
    return st;
}

/* bisector_refine.c — moving the points of a curve between two parts onto the exact geodesic
 * bisector of those two parts, a vertex where the curves of three parts meet onto the point
 * equally far from all three, and cutting a curve until its chord follows the bisector (the
 * second half of bisector.c's "How"). */
#include "zones/bisector_refine.h"
#include "geo/distance.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define DEG_RAD (3.14159265358979323846 / 180.0)
/* How far a chord of the bisector may stray from it. */
#define BIS_TOL_M 0.2
/* Shortest piece of a curve that is cut again. */
#define BIS_MIN_M 1.0
/* Deepest halving of one Voronoi edge. */
#define BIS_MAX_DEPTH 18
/* Newton steps towards the point equally far from three parts, and halvings of one step. */
#define TRIPLE_ITER 40
#define TRIPLE_HALVE 12

static int part_distance(bzi_refiner *r, int k, double lon, double lat, bz_nearest *n)
{
    return bzi_line_distance_hint(r->ctx, r->parts[k], lon, lat, r->hint ? r->hint + k : NULL, n);
}

/* The distance alone (no nearest point, no side: most of the refining's questions). */
static int part_distance_only(bzi_refiner *r, int k, double lon, double lat, double *d)
{
    return bzi_line_distance_only(r->ctx, r->parts[k], lon, lat, r->hint ? r->hint + k : NULL, d);
}

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
    int st0 = bzi_line_distance_hint(r->ctx, r->line, lon, lat,
                                     r->hint ? r->hint + r->nparts : NULL, &any);
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
        double below = 0.0;
        int st = bzi_line_distance_below(r->ctx, r->parts[k], lon, lat,
                                         r->hint ? r->hint + k : NULL, n2->distance_m, &below);
        if (st)
            return st;
        if (!(below < n2->distance_m))
            continue; /* not among the two nearest: its nearest point is not needed */
        bz_nearest n;
        st = part_distance(r, (int)k, lon, lat, &n);
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
    double da = 0.0, db = 0.0;
    int st = part_distance_only(r, ka, q[0], q[1], &da);
    if (!st)
        st = part_distance_only(r, kb, q[0], q[1], &db);
    if (!st)
        *f = sgn * (da - db);
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

/* Unit vector (east, north) at (lon, lat) towards n's nearest point: minus the gradient of the
 * distance to that part. */
static void toward(const struct geod_geodesic *g, double lon, double lat, const bz_nearest *n,
                   double *e, double *nn)
{
    double s, azi;
    geod_inverse(g, lat, lon, n->lat, n->lon, &s, &azi, NULL);
    *e = sin(azi * DEG_RAD);
    *nn = cos(azi * DEG_RAD);
}

/*
 * (lon, lat), a distances a from part ka and b from part kb, moved onto their bisector, to about
 * its nearest point there: along the gradient of f = (distance to ka) - (distance to kb), which
 * is the difference of the unit vectors towards the two nearest points, by about f / |grad f|
 * (a Newton step), then to the root on that geodesic.
 * Moving instead along the geodesic between the two nearest points lands on the bisector too,
 * but where those points are two parts' ends (two collinear parts, the gap between them) that
 * is the gap's middle, as far away as the line is: a vertex of the diagram near where three
 * parts meet was carried kilometres along the gap (seed 1 cases 18, 114, 130, 135 of the
 * oracle). That way is the fallback where the gradient is too flat to trust (its Newton step
 * longer than the way to the farther nearest point: a point beside a part's end, both nearest
 * points straight ahead) or gives no bracket. Far from two short parts a few hundred metres
 * apart the gradient is flat too (6.7e-4 at 600 km from a lane of 600 m parts) but the step
 * short: a threshold on |grad f| alone (1e-3 before) sent such points to the gap's middle, a
 * continent away (seed 4 case 1475).
 */
static void onto_pair(bzi_refiner *r, int ka, int kb, double lon, double lat, const bz_nearest *a,
                      const bz_nearest *b, double *out)
{
    const struct geod_geodesic *g = &r->ctx->geod;
    out[0] = lon;
    out[1] = lat;
    double f0 = a->distance_m - b->distance_m;
    if (fabs(f0) < 1e-3)
        return;
    if (a->distance_m > 0 && b->distance_m > 0) {
        double ae, an, be, bn;
        toward(g, lon, lat, a, &ae, &an);
        toward(g, lon, lat, b, &be, &bn);
        /* moving towards a's point shortens the distance to a: grad f = u_b - u_a */
        double ge = be - ae, gn = bn - an, norm = hypot(ge, gn);
        double t0 = norm > 0 ? fabs(f0) / norm : INFINITY;
        if (t0 <= fmax(a->distance_m, b->distance_m)) {
            /* towards the sign change: up the gradient where f < 0, down it where f > 0 */
            double azi = atan2(ge, gn) / DEG_RAD + (f0 > 0 ? 180.0 : 0.0);
            double sgn = f0 < 0 ? 1.0 : -1.0; /* the sign that makes f negative at p */
            double ft = 0.0, q[2];
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
    geod_inverse(g, a->lat, a->lon, b->lat, b->lon, &s12, &azi1, NULL);
    r->status = root_along(r, ka, kb, 1.0, a->lat, a->lon, azi1, 0.0, s12, -s12, s12, q);
    out[0] = q[0];
    out[1] = q[1];
}

/*
 * A curve's point moved onto its own two parts' bisector has them as its nearest parts, unless
 * the diagram joined two parts that no point is nearest to: with its samples far apart against
 * the parts' spacing (lanes 50 m apart sampled every 200 m at d = 1 mm), two outer lanes'
 * samples are neighbours across the middle lane, between its samples, and their bisector is
 * the middle lane itself (seed 4 case 1431: the curve laid along a part cut the 1 mm zone
 * there). Such a point, at less than half its own parts' distance from a third part, goes onto
 * the bisector of its own two nearest parts, found by asking every part. A third part only a
 * little nearer is left alone: there the diagram's cells meet a little off where the parts'
 * do (a stretch of curve past a junction into a third part's cell, see bisector.c's sampling),
 * and moved onto that part's curve it would double it, cutting slivers (22 of them in a 999 km
 * zone of seed 4 case 14). 1 if *out was moved so.
 */
static int third_nearer(bzi_refiner *r, int ka, int kb, double lon, double lat, double *out)
{
    double da = 0.0;
    r->status = part_distance_only(r, ka, out[0], out[1], &da);
    if (r->status)
        return 0;
    double half = 0.5 * da;
    /* one search of the whole line instead of one per part: a part nearer than half of ka's
     * distance is the line's nearest, and only then is it looked for by name */
    double dall = 0.0;
    r->status = bzi_line_distance_only(r->ctx, r->line, out[0], out[1],
                                       r->hint ? r->hint + r->nparts : NULL, &dall);
    int nearer = 0;
    if (!r->status && dall < half) {
        for (size_t k = 0; k < r->nparts && !nearer && !r->status; k++) {
            if ((int)k == ka || (int)k == kb ||
                !(box_bound(r->bbox + 4 * k, out[0], out[1]) < half))
                continue; /* (a part's box farther than that: the part too) */
            double dq = 0.0;
            r->status = bzi_line_distance_below(r->ctx, r->parts[k], out[0], out[1],
                                                r->hint ? r->hint + k : NULL, half, &dq);
            nearer = dq < half;
        }
    }
    if (r->status || !nearer)
        return 0;
    bz_nearest n1, n2;
    int k1, k2;
    r->status = two_nearest(r, lon, lat, &n1, &k1, &n2, &k2);
    if (r->status || k2 < 0)
        return 0;
    onto_pair(r, k1, k2, lon, lat, &n1, &n2, out);
    return 1;
}

int bzi_refine_two_nearest(bzi_refiner *r, double lon, double lat, int *k1, int *k2, double *d1,
                           double *d2)
{
    bz_nearest n1, n2;
    n1.distance_m = n2.distance_m = INFINITY;
    if (!r->status)
        r->status = two_nearest(r, lon, lat, &n1, k1, &n2, k2);
    if (r->status)
        *k1 = *k2 = -1;
    *d1 = n1.distance_m;
    *d2 = n2.distance_m;
    return r->status;
}

int bzi_refine_third_part(bzi_refiner *r, int ka, int kb, double lon, double lat, int *clearly)
{
    double da = 0.0, db = 0.0;
    *clearly = 0;
    if (r->status || (r->status = part_distance_only(r, ka, lon, lat, &da)) ||
        (r->status = part_distance_only(r, kb, lon, lat, &db)))
        return -1;
    bz_nearest n;
    r->status =
        bzi_line_distance_hint(r->ctx, r->line, lon, lat, r->hint ? r->hint + r->nparts : NULL, &n);
    if (r->status || (int)n.part == ka || (int)n.part == kb || !(n.distance_m < fmin(da, db)))
        return -1;
    *clearly = n.distance_m < 0.5 * fmin(da, db);
    return (int)n.part;
}

void bzi_refine_pair(bzi_refiner *r, int ka, int kb, double lon, double lat, double *out,
                     int *moved)
{
    out[0] = lon;
    out[1] = lat;
    *moved = 0;
    /* GEOS widens the diagram's box by the sites' extent whatever box it is given, so near a
     * pole some of its vertices lie beyond it (lat 92.6: seed 1 cases 30 and 51 of the
     * oracle). No such point is on the Earth, let alone within reach of the line: the curve
     * keeps it as drawn, and it lies outside every frame (the line-alone box stops at
     * 89.99 degrees, and a region cannot pass a pole). */
    if (r->status || ka == kb || !(fabs(lat) <= 90.0))
        return;
    bz_nearest a, b;
    r->status = part_distance(r, ka, lon, lat, &a);
    if (!r->status)
        r->status = part_distance(r, kb, lon, lat, &b);
    if (r->status || fmin(a.distance_m, b.distance_m) > r->refine_m)
        return;
    *moved = 1;
    onto_pair(r, ka, kb, lon, lat, &a, &b, out);
    if (!r->status)
        third_nearer(r, ka, kb, lon, lat, out);
}

/* The largest of |d0 - d1| and |d0 - d2|. */
static double triple_residual(const bz_nearest *n)
{
    return fmax(fabs(n[0].distance_m - n[1].distance_m), fabs(n[0].distance_m - n[2].distance_m));
}

/*
 * The point equally far (to 1 mm) from parts k[0], k[1], k[2], by Newton's method in the plane
 * tangent at the current point: the gradients of d0 - d1 and d0 - d2 are u1 - u0 and u2 - u0
 * (u: the unit vector towards each part's nearest point), each step halved until the residual
 * falls. n holds the three distances at (lon, lat) and receives them at the answer. 1 with the
 * point in out, 0 where the gradients are parallel or the residual stops falling.
 */
static int triple_point(bzi_refiner *r, const int *k, bz_nearest *n, double lon, double lat,
                        double *out)
{
    const struct geod_geodesic *g = &r->ctx->geod;
    double x = lon, y = lat, res = triple_residual(n), walked = 0.0;
    const double reach = 2.0 * n[2].distance_m + 0.4 * r->refine_m;
    for (int it = 0; it < TRIPLE_ITER && !r->status; it++) {
        if (res < 1e-3) {
            out[0] = x;
            out[1] = y;
            return 1;
        }
        double u[3][2];
        for (int i = 0; i < 3; i++) {
            if (!(n[i].distance_m > 0))
                return 0;
            toward(g, x, y, &n[i], &u[i][0], &u[i][1]);
        }
        double g1e = u[1][0] - u[0][0], g1n = u[1][1] - u[0][1];
        double g2e = u[2][0] - u[0][0], g2n = u[2][1] - u[0][1];
        double det = g1e * g2n - g1n * g2e;
        if (!(fabs(det) > 1e-12))
            return 0;
        double f1 = n[0].distance_m - n[1].distance_m, f2 = n[0].distance_m - n[2].distance_m;
        double de = (-f1 * g2n + f2 * g1n) / det, dn = (-f2 * g1e + f1 * g2e) / det;
        double step = hypot(de, dn), azi = atan2(de, dn) / DEG_RAD;
        if (!isfinite(step))
            return 0;
        /* A first step longer than the diagram's resolution (two of its sample steps, see
         * bisector.c) beyond twice the parts' distance: no point equally far from the three lies
         * where this vertex's cells meet (three parallel lanes have none at all), and the vertex
         * goes onto its two nearest parts' bisector. Newton's halvings searched for one in vain
         * 50,000 times in seed 5 case 1704 (14 parts in 5 close lanes), 60 % of its time. */
        if (it == 0 && step > reach)
            return 0;
        int better = 0;
        for (int hv = 0; hv < TRIPLE_HALVE && !better; hv++, step *= 0.5) {
            /* The walk as a whole stays within that reach too: on the sphere three parts have
             * a second point equally far from all three, near their antipodes, and from three
             * short parts of a lane (nearly collinear: the near point lies far out) later steps
             * ran there, 19,700 km off; the curves drawn to it crossed the frame as straight
             * lon/lat chords and stopped an end's continuation (seed 7 case 759 of the oracle:
             * 1,852 km² on the wrong side at 88°N). The walk's length bounds its distance. */
            if (walked + step > reach)
                continue;
            double ny, nx;
            bz_nearest m[3];
            geod_direct(g, y, x, azi, step, &ny, &nx, NULL);
            nx += 360.0 * round((x - nx) / 360.0);
            if (!(fabs(ny) <= 90.0))
                continue;
            for (int i = 0; i < 3 && !r->status; i++)
                r->status = part_distance(r, k[i], nx, ny, &m[i]);
            if (r->status)
                return 0;
            double nres = triple_residual(m);
            if (nres < res) {
                x = nx;
                y = ny;
                res = nres;
                walked += step;
                for (int i = 0; i < 3; i++)
                    n[i] = m[i];
                better = 1;
            }
        }
        if (!better)
            return 0;
    }
    if (res < 1e-3) {
        out[0] = x;
        out[1] = y;
        return 1;
    }
    return 0;
}

/*
 * A vertex of the diagram lies where the cells of several samples meet. Where they belong to
 * two parts it goes onto those parts' bisector; where to three or more, onto the point equally
 * far from the three nearest (where their three curves meet), so that every curve ending there
 * ends at one point of its own bisector. A vertex moved onto the bisector of only its two
 * nearest parts, whichever those were, belonged to none of the curves but one, and where the
 * diagram's samples lie far apart the curves of the other two came out kilometres off (seed 4
 * case 1467 of the oracle). With no such point (parallel gradients, a fourth of the parts
 * nearer there, or three parallel lanes, whose cells meet only where the diagram's samples lie
 * far apart) each curve ending there goes onto its own bisector (*by_pair): moved onto the
 * bisector of the two nearest parts, the vertex carried the curve between the middle lane and
 * the other outer lane across the middle lane, and the curves crossing it every few tens of
 * metres cut its 1 mm zone into pieces that went to the wrong side (seed 7 case 1705: 168 km).
 */
void bzi_refine_vertex(bzi_refiner *r, const int *parts, size_t n, double lon, double lat,
                       double *out, int *moved, int *by_pair)
{
    *by_pair = 0;
    if (n == 2) {
        bzi_refine_pair(r, parts[0], parts[1], lon, lat, out, moved);
        return;
    }
    out[0] = lon;
    out[1] = lat;
    *moved = 0;
    if (r->status || n < 2 || !(fabs(lat) <= 90.0))
        return;
    int k[3] = {-1, -1, -1};
    bz_nearest nr[3];
    memset(nr, 0, sizeof nr);
    for (size_t i = 0; i < n; i++) {
        bz_nearest q;
        r->status = part_distance(r, parts[i], lon, lat, &q);
        if (r->status)
            return;
        int kq = parts[i];
        for (int j = 0; j < 3; j++) { /* insert into the three nearest, in order */
            if (k[j] < 0 || q.distance_m < nr[j].distance_m) {
                bz_nearest tq = nr[j];
                int tk = k[j];
                nr[j] = q;
                k[j] = kq;
                q = tq;
                kq = tk;
                if (kq < 0)
                    break;
            }
        }
    }
    if (nr[0].distance_m > r->refine_m)
        return;
    *moved = 1;
    if (triple_point(r, k, nr, lon, lat, out)) {
        /* none of the others may be nearer there */
        int ok = 1;
        for (size_t i = 0; i < n && ok && !r->status; i++) {
            if (parts[i] == k[0] || parts[i] == k[1] || parts[i] == k[2])
                continue;
            double dq = 0.0;
            r->status = part_distance_only(r, parts[i], out[0], out[1], &dq);
            ok = dq >= nr[0].distance_m - 1e-3;
        }
        if (ok && !r->status)
            third_nearer(r, k[0], k[1], lon, lat, out);
        if (ok || r->status)
            return;
    }
    out[0] = lon;
    out[1] = lat;
    *by_pair = !r->status;
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

int bzi_refine_between(bzi_refiner *r, int ka, int kb, const double *p, const double *q, int depth,
                       bzi_coords *out)
{
    /* the middle of the chord, moved onto the bisector: the chord's ends lie on it already
     * (or beyond reach), so it moves only as far as the chord strays */
    double m[2] = {0.5 * (p[0] + q[0]), 0.5 * (p[1] + q[1])}, rm[2];
    int moved = 0;
    bzi_refine_pair(r, ka, kb, m[0], m[1], rm, &moved);
    if (r->status)
        return r->status;
    /* pieces under BIS_MIN_M are not cut again */
    if (!moved || depth >= BIS_MAX_DEPTH || chord_offset(p, q, rm) <= BIS_TOL_M ||
        chord_offset(p, p, q) < BIS_MIN_M) {
        if (!moved || depth >= BIS_MAX_DEPTH)
            return BZ_OK;
        /* the midpoint is kept when the chord would do: it costs nothing more */
        return bzi_coords_push2_distinct(out, rm[0], rm[1]) ? BZ_ERR_NOMEM : BZ_OK;
    }
    int st = bzi_refine_between(r, ka, kb, p, rm, depth + 1, out);
    if (!st && bzi_coords_push2_distinct(out, rm[0], rm[1]))
        st = BZ_ERR_NOMEM;
    if (!st)
        st = bzi_refine_between(r, ka, kb, rm, q, depth + 1, out);
    return st;
}

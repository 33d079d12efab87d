/* distance.c — a static segment index over a line and the exact geodesic point-to-line distance.
 *
 * The index is a packed R-tree in line order: consecutive segments of a line lie next to each
 * other, so groups of BZI_INDEX_FANOUT consecutive segment boxes make tight nodes without any
 * sorting. It is built once with the line and only read afterwards, so threads may share it.
 *
 * A segment is the geodesic between its two vertices. Its box in (unwrapped) lon/lat covers the
 * geodesic, not only the straight chord: a geodesic bows towards the pole by about
 * sin(2·lat)·dlon²/16 radians of latitude at its middle, so boxes are padded by twice that.
 */
#include "core/context.h"
#include "geo/line.h"
#include "geo/line_index.h"
#include "geo/distance.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEG (3.14159265358979323846 / 180.0)
#define WGS84_A 6378137.0
#define WGS84_F (1 / 298.257223563)
/* Smallest meridional radius of curvature of WGS84, a(1 - e²): one radian of latitude is never
 * shorter than this, so it turns a latitude gap into a lower bound in metres. */
#define WGS84_M_MIN 6335439.327083
/* Mean radius, for the spherical Newton step only (it affects speed of convergence, not the
 * result). */
#define MEAN_RADIUS 6371008.8
/* Stop refining the foot of the perpendicular when the step is below this (metres). */
#define FOOT_STEP_TOL 1e-5
/* Beyond this best distance (metres), nodes are also bounded through the distance to one of their
 * vertices, which costs a geodesic but stays tight however far the point is. */
#define FAR_M 30000.0
/* A point closer than this (metres) is on the line: side 0. */
#define ON_LINE_M 1e-6

/* ---------------------------------------------------------------------------------------- */
/* Exact distance to one geodesic segment                                                   */
/* ---------------------------------------------------------------------------------------- */

typedef struct foot {
    double dist;     /* metres from the query point */
    double lon, lat; /* the foot on the segment (longitude continuous with the segment) */
    double t, len;   /* distance of the foot along the segment, the segment's length */
    double azi_seg;  /* azimuth of the segment at the foot */
    double azi_p;    /* azimuth from the foot to the query point */
} foot;

/*
 * A lower bound of the distance from P to the short segment A-B from a local flat estimate, or
 * -1 when none is known (a segment over 2 km, a point or segment beyond 80° of latitude, or an
 * estimate over 200 km). The estimate maps lon/lat to metres with the ellipsoid's radii at the
 * mean latitude of P and the segment; measured against geod_inverse at latitudes up to 80°, its
 * relative error stays below 4e-7 + 0.04·(d / 1000 km)². The margin takes 2.5 times that, plus
 * the change of scale along the segment and the bow of the geodesic from the chord, so only
 * segments that can really come within a centimetre of the best get the exact computation.
 */
static double approx_lower_bound(const double *a, const double *b, double plon, double plat)
{
    if (fabs(plat) > 80 || fabs(a[1]) > 80 || fabs(b[1]) > 80)
        return -1;
    const double e2 = WGS84_F * (2 - WGS84_F);
    double phm = 0.25 * (2 * plat + a[1] + b[1]) * DEG;
    double sm = sin(phm), w = 1 - e2 * sm * sm;
    double kx = WGS84_A * cos(phm) / sqrt(w) * DEG, ky = WGS84_A * (1 - e2) / (w * sqrt(w)) * DEG;
    double ax = remainder(a[0] - plon, 360.0) * kx, ay = (a[1] - plat) * ky;
    double dx = (b[0] - a[0]) * kx, dy = (b[1] - a[1]) * ky;
    double l2 = dx * dx + dy * dy;
    if (l2 > 2000.0 * 2000.0)
        return -1;
    double t = l2 > 0 ? -(ax * dx + ay * dy) / l2 : 0;
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    double qx = ax + t * dx, qy = ay + t * dy;
    double f = sqrt(qx * qx + qy * qy), len = sqrt(l2);
    if (f > 200000.0)
        return -1;
    double tanm = tan(fmax(fabs(plat), fmax(fabs(a[1]), fabs(b[1]))) * DEG);
    double fr = f / 1e6;
    double margin = 1e-3 + f * (1e-6 + 0.1 * fr * fr) + (f + len) * len / WGS84_A * (1 + tanm);
    return f - margin;
}

/* An upper bound of the geodesic length of A-B: the length of the path along the straight
 * lon/lat chord, with the largest radii of curvature the ellipsoid has (a / sqrt(1 - e²), at the
 * poles) and the parallel radius at the segment's lowest |latitude|. */
static double length_upper_bound(const double *a, const double *b)
{
    const double e2 = WGS84_F * (2 - WGS84_F);
    double rmax = WGS84_A / sqrt(1 - e2) * DEG;
    double lowlat = (a[1] > 0) == (b[1] > 0) ? fmin(fabs(a[1]), fabs(b[1])) : 0.0;
    double dy = (b[1] - a[1]) * rmax, dx = (b[0] - a[0]) * rmax * cos(lowlat * DEG);
    return sqrt(dx * dx + dy * dy);
}

/*
 * The nearest point of the geodesic A→B to P. Starting at A, each step moves the foot X along the
 * segment by the along-track distance of P as seen from X: on a sphere of radius R that is
 * R·atan2(sin(s/R)·cos(α), cos(s/R)), with s, α the distance and the angle between the segment
 * and the direction to P at X. The step is exact on the sphere, so on the ellipsoid the error
 * shrinks by a factor of order the flattening per step: a few steps reach 10 µm. The foot is
 * clamped to [0, L] (the distance along a geodesic from a point nearer than a quarter meridian
 * has one minimum, so clamping finds the nearest end). `best` lets a segment be abandoned early:
 * every point of it is at least dist(A, P) − L from P.
 */
static int segment_foot(const struct geod_geodesic *g, const double *a, const double *b,
                        double plon, double plat, double best, foot *f)
{
    double s = 0, azp = 0;
    geod_inverse(g, a[1], a[0], plat, plon, &s, &azp, NULL);
    if (s - length_upper_bound(a, b) >= best)
        return 0; /* cheaper than setting up the geodesic line */
    struct geod_geodesicline l;
    geod_inverseline(&l, g, a[1], a[0], b[1], b[0],
                     GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_AZIMUTH | GEOD_DISTANCE_IN);
    double len = l.s13;
    if (s - len >= best)
        return 0;
    double t = 0, x = a[0], y = a[1], azx = l.azi1;
    for (int it = 0; it < 40; it++) {
        double sig = s / MEAN_RADIUS;
        double step = MEAN_RADIUS * atan2(sin(sig) * cos((azp - azx) * DEG), cos(sig));
        double tn = t + step;
        if (tn < 0)
            tn = 0;
        if (tn > len)
            tn = len;
        if (fabs(tn - t) < FOOT_STEP_TOL)
            break;
        t = tn;
        geod_genposition(&l, GEOD_LONG_UNROLL, t, &y, &x, &azx, NULL, NULL, NULL, NULL, NULL);
        geod_inverse(g, y, x, plat, plon, &s, &azp, NULL);
    }
    f->dist = s;
    f->lon = x;
    f->lat = y;
    f->t = t;
    f->len = len;
    f->azi_seg = azx;
    f->azi_p = azp;
    return 1;
}

/* ---------------------------------------------------------------------------------------- */
/* Best-first search                                                                        */
/* ---------------------------------------------------------------------------------------- */

typedef struct heap_item {
    double lb;
    int level;
    size_t node;
} heap_item;

typedef struct heap {
    heap_item *items;
    size_t n, cap;
    heap_item local[256];
} heap;

/* Not bzi_grow (core/grow.h): the heap starts in `local`, on the stack, and moves to the heap
 * only when a query needs more than 256 items (most need a few dozen). */
static int heap_push(heap *h, heap_item it)
{
    if (h->n == h->cap) {
        size_t cap = h->cap * 2;
        heap_item *p =
            h->items == h->local ? malloc(cap * sizeof *p) : realloc(h->items, cap * sizeof *p);
        if (!p)
            return -1;
        if (h->items == h->local)
            memcpy(p, h->local, h->n * sizeof *p);
        h->items = p;
        h->cap = cap;
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (h->items[parent].lb <= it.lb)
            break;
        h->items[i] = h->items[parent];
        i = parent;
    }
    h->items[i] = it;
    return 0;
}

static heap_item heap_pop(heap *h)
{
    heap_item top = h->items[0];
    heap_item last = h->items[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->items[c + 1].lb < h->items[c].lb)
            c++;
        if (h->items[c].lb >= last.lb)
            break;
        h->items[i] = h->items[c];
        i = c;
    }
    if (h->n)
        h->items[i] = last;
    return top;
}

/*
 * Metres per degree that no path shorter than `best` from a point at latitude plat can beat.
 * Such a path changes latitude by at most best / M_min radians, so it stays in a band of
 * latitudes; there the meridional radius M(φ) is at least its value at the band's lowest |φ|, and
 * a parallel's radius N(φ)·cos φ at least its value at the band's highest |φ|. In that band the
 * length element ds² = M²dφ² + (N cos φ)²dλ² is at least that of a flat metric with those two
 * constants, in which the shortest path is straight: hence the hypot() in box_lower_bound().
 */
typedef struct scales {
    double kx, ky;
} scales;

static scales bound_scales(double plat, double best)
{
    const double e2 = WGS84_F * (2 - WGS84_F);
    double band = best / WGS84_M_MIN / DEG;
    double lo = fmax(0.0, fabs(plat) - band), hi = fabs(plat) + band;
    double slo = sin(lo * DEG), shi = sin(fmin(hi, 90.0) * DEG);
    double wlo = 1 - e2 * slo * slo, whi = 1 - e2 * shi * shi;
    scales k;
    k.ky = WGS84_A * (1 - e2) / (wlo * sqrt(wlo)) * DEG;
    k.kx = hi >= 90 ? 0.0 : WGS84_A * cos(hi * DEG) / sqrt(whi) * DEG;
    return k;
}

/* A lower bound in metres of the distance from P to any point of a box (see bound_scales). */
static double box_lower_bound(const bzi_segbox *b, double plon, double plat, scales k)
{
    double dy = fmax(fmax(b->miny - plat, plat - b->maxy), 0.0) * k.ky;
    /* longitude gap measured round the circle, so a line spanning more than 180° of longitude
     * (near a pole) is still bounded correctly from either side */
    double w = b->maxx - b->minx, gap = 0;
    if (w < 360) {
        double east = plon - b->minx;
        east -= 360 * floor(east / 360); /* how far P lies east of the box's west edge */
        if (east > w)
            gap = fmin(east - w, 360 - east);
    }
    double dx = gap * k.kx;
    return sqrt(dx * dx + dy * dy);
}

/* An upper bound of the geodesic distance from c (a vertex inside box b) to any point of b: the
 * straight lon/lat path with the ellipsoid's largest radii (see length_upper_bound). */
static double box_radius_from(const bzi_segbox *b, const double *c)
{
    const double e2 = WGS84_F * (2 - WGS84_F);
    double rmax = WGS84_A / sqrt(1 - e2) * DEG;
    double lowlat = (b->miny > 0 || b->maxy < 0) ? fmin(fabs(b->miny), fabs(b->maxy)) : 0.0;
    double dx = fmax(c[0] - b->minx, b->maxx - c[0]) * rmax * cos(lowlat * DEG);
    double dy = fmax(c[1] - b->miny, b->maxy - c[1]) * rmax;
    return sqrt(dx * dx + dy * dy);
}

/* A cheap first candidate: walk down choosing the child nearest in a locally scaled degree
 * metric. Any segment gives a valid upper bound; a near one makes the search prune early. */
static size_t greedy_leaf(const bzi_line_index *ix, double plon, double plat)
{
    double kx = cos(plat * DEG);
    size_t node = 0;
    for (int level = ix->nlevels - 1; level > 0; level--) {
        size_t c0 = node * BZI_INDEX_FANOUT, c1 = c0 + BZI_INDEX_FANOUT, bestc = c0;
        if (c1 > ix->level_count[level - 1])
            c1 = ix->level_count[level - 1];
        double bestd = INFINITY;
        for (size_t c = c0; c < c1; c++) {
            const bzi_segbox *b = ix->boxes + ix->level_start[level - 1] + c;
            double dx = fmax(fmax(b->minx - plon, plon - b->maxx), 0.0) * kx;
            double dy = fmax(fmax(b->miny - plat, plat - b->maxy), 0.0);
            double d = dx * dx + dy * dy;
            if (d < bestd) {
                bestd = d;
                bestc = c;
            }
        }
        node = bestc;
    }
    return node;
}

/* +1 when azimuth `azi_p` is left of direction `azi_dir`, -1 right, 0 straight along/behind. */
static int side_of_direction(double azi_dir, double azi_p)
{
    double s = sin((azi_p - azi_dir) * DEG);
    return s < 0 ? 1 : (s > 0 ? -1 : 0);
}

/*
 * The side of P when its nearest point is the vertex V. At an open end of a part the side is
 * that of the end segment extended (its direction at V). At a vertex between an incoming and an
 * outgoing segment, P is left when the direction V→P lies in the left wedge, i.e. turning
 * counter-clockwise from the outgoing direction it is met before the direction back along the
 * incoming segment; this holds for convex and reflex corners alike.
 */
static int side_at_vertex(const struct geod_geodesic *g, const bz_line *line, size_t part, size_t v,
                          double azi_p)
{
    size_t first = line->part_start[part], last = line->part_start[part + 1] - 1;
    const double *c = line->coords;
    int closed = bzi_line_part_closed(line, part, NULL);
    size_t prev, next;
    int has_prev = 1, has_next = 1;
    if (v == first || v == last) {
        if (closed) {
            prev = last - 1;
            next = first + 1;
        } else {
            has_prev = v == last;
            has_next = v == first;
            prev = v - (v == last);
            next = v + (v == first);
        }
    } else {
        prev = v - 1;
        next = v + 1;
    }
    double azi_out = 0, azi_back = 0, tmp = 0, s = 0;
    const double *pv = c + 2 * v;
    if (has_next)
        geod_inverse(g, pv[1], pv[0], c[2 * next + 1], c[2 * next], &s, &azi_out, &tmp);
    if (has_prev)
        geod_inverse(g, pv[1], pv[0], c[2 * prev + 1], c[2 * prev], &s, &azi_back, &tmp);
    if (!has_prev)
        return side_of_direction(azi_out, azi_p);
    if (!has_next) {
        /* Direction of travel at the end: the reverse of the azimuth back along the segment. */
        return side_of_direction(azi_back + 180.0, azi_p);
    }
    double wedge = fmod(azi_out - azi_back + 720.0, 360.0); /* ccw sweep out → back */
    double turn = fmod(azi_out - azi_p + 720.0, 360.0);     /* ccw sweep out → P */
    if (turn == 0 || turn == wedge)
        return 0;
    return turn < wedge ? 1 : -1;
}

/* The search behind bz_line_distance. `hint`, when given, is a leaf (segment in index order) to
 * start from instead of the greedy descent, and receives the leaf of the answer: a caller
 * measuring points in order along a curve starts each search next to the last answer, where the
 * bound is already nearly exact and the search prunes most (see verify.c). */
static int nearest(bz_context *ctx, const bz_line *line, double lon, double lat, size_t *hint,
                   bz_nearest *out)
{
    const bzi_line_index *ix = line->index;
    if (!ix || ix->nseg == 0)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_line_distance: line has no segment index");
    const struct geod_geodesic *g = &ctx->geod;
    double plon = lon + 360.0 * round((ix->lon_mid - lon) / 360.0);

    foot best = {INFINITY, 0, 0, 0, 0, 0, 0};
    size_t best_v = 0;
    size_t first = hint && *hint < ix->nseg ? *hint : greedy_leaf(ix, plon, lat), best_leaf = first;
    {
        size_t v = ix->seg_vertex[first];
        segment_foot(g, line->coords + 2 * v, line->coords + 2 * v + 2, plon, lat, INFINITY, &best);
        best_v = v;
    }

    double k_best = best.dist;
    scales k = bound_scales(lat, best.dist);
    heap h = {NULL, 0, 256, {{0, 0, 0}}};
    h.items = h.local;
    int rc = BZ_OK;
    if (heap_push(&h, (heap_item){0.0, ix->nlevels - 1, 0}))
        rc = BZ_ERR_NOMEM;
    while (rc == BZ_OK && h.n) {
        heap_item it = heap_pop(&h);
        if (it.lb >= best.dist)
            break;                 /* every item left has a bound at least this large */
        if (best.dist != k_best) { /* the band shrinks with every better answer */
            k = bound_scales(lat, best.dist);
            k_best = best.dist;
        }
        const bzi_segbox *b = ix->boxes + ix->level_start[it.level] + it.node;
        if (box_lower_bound(b, plon, lat, k) >= best.dist)
            continue; /* the bound has tightened since the item was pushed */
        if (it.level == 0) {
            size_t v = ix->seg_vertex[it.node];
            if (it.node == first)
                continue;
            const double *a = line->coords + 2 * v;
            if (approx_lower_bound(a, a + 2, plon, lat) >= best.dist)
                continue;
            foot f;
            if (segment_foot(g, line->coords + 2 * v, line->coords + 2 * v + 2, plon, lat,
                             best.dist, &f) &&
                f.dist < best.dist) {
                best = f;
                best_v = v;
                best_leaf = it.node;
            }
            continue;
        }
        size_t c0 = it.node * BZI_INDEX_FANOUT, c1 = c0 + BZI_INDEX_FANOUT;
        if (c1 > ix->level_count[it.level - 1])
            c1 = ix->level_count[it.level - 1];
        for (size_t c = c0; c < c1; c++) {
            const bzi_segbox *cb = ix->boxes + ix->level_start[it.level - 1] + c;
            double lb = box_lower_bound(cb, plon, lat, k);
            if (lb < best.dist && it.level > 1 && best.dist > FAR_M) {
                /* far away the band makes box bounds loose: bound via a vertex of the node */
                size_t first_leaf = c;
                for (int l = it.level - 1; l > 0; l--)
                    first_leaf *= BZI_INDEX_FANOUT;
                const double *v = line->coords + 2 * ix->seg_vertex[first_leaf];
                double dv = 0;
                geod_inverse(g, lat, plon, v[1], v[0], &dv, NULL, NULL);
                lb = fmax(lb, dv - box_radius_from(cb, v));
            }
            if (lb < best.dist && heap_push(&h, (heap_item){lb, it.level - 1, c})) {
                rc = BZ_ERR_NOMEM;
                break;
            }
        }
    }
    if (h.items != h.local)
        free(h.items);
    if (rc)
        return bzi_nomem(ctx, "searching the nearest segment");

    size_t part = bzi_line_part_of(line, best_v);
    int side;
    if (best.dist < ON_LINE_M)
        side = 0;
    else if (best.t <= 0)
        side = side_at_vertex(g, line, part, best_v, best.azi_p);
    else if (best.t >= best.len)
        side = side_at_vertex(g, line, part, best_v + 1, best.azi_p);
    else
        side = side_of_direction(best.azi_seg, best.azi_p);

    out->distance_m = best.dist;
    out->lon = best.lon;
    out->lat = best.lat;
    out->part = part;
    out->segment = best_v - line->part_start[part];
    out->side = side;
    if (hint)
        *hint = best_leaf;
    return BZ_OK;
}

static int check_query(bz_context *ctx, const bz_line *line, double lon, double lat,
                       const bz_nearest *out)
{
    if (!line || !out)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_line_distance: NULL argument");
    if (!isfinite(lon) || !isfinite(lat) || fabs(lat) > 90)
        return bzi_error(ctx, BZ_ERR_ARGUMENT,
                         "bz_line_distance: bad query point lon %.9g, lat %.9g", lon, lat);
    return BZ_OK;
}

int bz_line_distance(bz_nearest *out, bz_context *ctx, const bz_line *line, double lon, double lat)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    int rc = check_query(ctx, line, lon, lat, out);
    return rc ? rc : nearest(ctx, line, lon, lat, NULL, out);
}

int bzi_line_distance_hint(bz_context *ctx, const bz_line *line, double lon, double lat,
                           size_t *hint, bz_nearest *out)
{
    int rc = check_query(ctx, line, lon, lat, out);
    return rc ? rc : nearest(ctx, line, lon, lat, hint, out);
}

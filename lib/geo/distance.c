/* distance.c — the exact geodesic point-to-line distance over a line's segment index.
 *
 * The index (line_index.c) is a packed R-tree in line order. The search is best-first over its
 * nodes, bounded from below by straight (Earth-centred) distances: no path on the surface is
 * shorter, and they need no trigonometry per node. Those bounds are about d³/(24R²) short of the
 * truth (1 mm at 10 km), so near the answer only the segments that really come close are
 * measured: each through P's azimuthal equidistant projection (one geodesic per vertex, see
 * chord_estimate), and only where that is not exact enough by solving the foot on the geodesic.
 */
#include "core/context.h"
#include "geo/line.h"
#include "geo/line_index.h"
#include "geo/distance.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DEG (3.14159265358979323846 / 180.0)
#define WGS84_A 6378137.0
#define WGS84_F (1 / 298.257223563)
/* Smallest radius of curvature of WGS84, a(1 - e²) (meridional, at the equator). */
#define WGS84_M_MIN 6335439.327083
/* Mean radius, for the spherical Newton step only (it affects speed of convergence, not the
 * result). */
#define MEAN_RADIUS 6371008.8
/* Stop refining the foot of the perpendicular when the step is below this (metres). */
#define FOOT_STEP_TOL 1e-5
/* Beyond this best distance (metres), nodes are also bounded through the geodesic distance to one
 * of their vertices: straight distances fall short of geodesic ones by d³/(24R²), 100 km at
 * 4,600 km (a pole seen from 48°N), which would let thousands of segments through. */
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

/* Earth-centred x, y, z of a point on the ellipsoid (as line_index.c computes the vertices'). */
static void ecef(double lon, double lat, double *xyz)
{
    const double e2 = WGS84_F * (2 - WGS84_F);
    double sp = sin(lat * DEG), cp = cos(lat * DEG), n = WGS84_A / sqrt(1 - e2 * sp * sp);
    xyz[0] = n * cp * cos(lon * DEG);
    xyz[1] = n * cp * sin(lon * DEG);
    xyz[2] = n * (1 - e2) * sp;
}

/*
 * A lower bound of the distance from P to the segment A-B (all three Earth-centred). No path on
 * the surface is shorter than the straight line between its ends, so the geodesic distance from
 * P to any point X is at least |PX|; the geodesic A-B strays from the chord AB by at most
 * bzi_geodesic_pad, so the distance from P to the chord less that is a bound. It falls short of
 * the true distance by about d³/(24R²): 1 mm at 10 km, where a flat estimate in lon/lat needs a
 * margin of 0.15 m, so near the answer only the segments that really come close are solved.
 */
static double chord_lower_bound(const double *a, const double *b, const double *p)
{
    double ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2];
    return bzi_point_chord_dist(a, b, p) - bzi_geodesic_pad(ux * ux + uy * uy + uz * uz);
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
 * A vertex as P sees it: its exact geodesic distance s from P and the azimuths of the geodesic
 * P→V at both ends. (x, y) = s·(sin azi_p, cos azi_p) is its place in P's azimuthal equidistant
 * projection, where the distance of every point from the origin is its true distance from P.
 */
typedef struct seen {
    size_t v; /* the vertex, SIZE_MAX = empty */
    double s, x, y;
    double azi_v; /* azimuth at V of the geodesic from P, continued beyond V */
} seen;

/* Consecutive candidate segments share vertices: each query keeps the last few it measured. */
#define SEEN_CACHE 16

typedef struct query {
    const struct geod_geodesic *g;
    const double *coords;
    double plon, plat;
    seen cache[SEEN_CACHE];
} query;

static const seen *see(query *q, size_t v)
{
    seen *e = q->cache + v % SEEN_CACHE;
    if (e->v != v) {
        const double *c = q->coords + 2 * v;
        double azi_p = 0;
        geod_inverse(q->g, q->plat, q->plon, c[1], c[0], &e->s, &azi_p, &e->azi_v);
        e->x = e->s * sin(azi_p * DEG);
        e->y = e->s * cos(azi_p * DEG);
        e->v = v;
    }
    return e;
}

/*
 * The distance from P to the segment A-B read off P's azimuthal equidistant projection: the
 * distance from the origin to the chord between the images of A and B (exact at a vertex, where
 * the chord's nearest point is an end). The image of the geodesic A-B is not straight but bends
 * with a curvature of about 2r/(3R²) at distance r from P (on a sphere of radius R; geodesics
 * through P map to straight lines), so it stays within κℓ²/8 = rℓ²/(12R²) of its chord of
 * length ℓ. Measured on WGS84 (6,000 random segments of 1 m to 10 km at 10 m to 1,000 km from
 * P, latitudes to 85°): at most rℓ²/(11.2·M_min²). `sag` takes rℓ²/(4·M_min²), 2.8 times the
 * worst measured, plus the rounding of the solved geodesics. The true distance lies within `sag`
 * of `d`.
 */
typedef struct estimate {
    double d, sag;
    double t; /* fraction of the segment at the chord's nearest point: 0 = A, 1 = B */
} estimate;

static estimate chord_estimate(const seen *a, const seen *b)
{
    double dx = b->x - a->x, dy = b->y - a->y, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? -(a->x * dx + a->y * dy) / l2 : 0;
    estimate e;
    if (t <= 0) {
        e.t = 0;
        e.d = a->s;
    } else if (t >= 1) {
        e.t = 1;
        e.d = b->s;
    } else {
        e.t = t;
        e.d = hypot(a->x + t * dx, a->y + t * dy);
    }
    double r = fmax(a->s, b->s);
    e.sag = 0.25 * r * l2 / (WGS84_M_MIN * WGS84_M_MIN) + 1e-8 + 1e-12 * r;
    return e;
}

/*
 * The nearest point of the geodesic A→B to P. Starting at the fraction t0 of the segment (0 =
 * A, seen from P as `sa`), each step moves the foot X along the segment by the along-track
 * distance of P as seen from X: on a sphere of radius R that is R·atan2(sin(s/R)·cos(α),
 * cos(s/R)), with s, α the distance and the angle between the segment and the direction to P at
 * X. The step is exact on the sphere, so on the ellipsoid the error shrinks by a factor of order
 * the flattening per step: a few steps reach 10 µm. The foot is clamped to [0, L] (the distance
 * along a geodesic from a point nearer than a quarter meridian has one minimum, so clamping finds
 * the nearest end). `best` lets a segment be abandoned early: every point of it is at least
 * dist(A, P) − L from P.
 */
static int segment_foot(const struct geod_geodesic *g, const double *a, const double *b,
                        double plon, double plat, double best, const seen *sa, double t0, foot *f)
{
    double s = sa->s, azp = sa->azi_v + 180.0;
    if (s - length_upper_bound(a, b) >= best)
        return 0; /* cheaper than setting up the geodesic line */
    struct geod_geodesicline l;
    geod_inverseline(&l, g, a[1], a[0], b[1], b[0],
                     GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_AZIMUTH | GEOD_DISTANCE_IN);
    double len = l.s13;
    if (s - len >= best)
        return 0;
    double t = 0, x = a[0], y = a[1], azx = l.azi1;
    if (t0 > 0) {
        t = t0 * len;
        geod_genposition(&l, GEOD_LONG_UNROLL, t, &y, &x, &azx, NULL, NULL, NULL, NULL, NULL);
        geod_inverse(g, y, x, plat, plon, &s, &azp, NULL);
    }
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

/* The foot at a vertex seen from P as `sv`, `end` = 0 at the segment's start, 1 at its end. */
static foot vertex_foot(const double *c, const seen *sv, int end)
{
    foot f = {sv->s, c[0], c[1], end ? 1.0 : 0.0, 1.0, 0.0, sv->azi_v + 180.0};
    return f;
}

/* ---------------------------------------------------------------------------------------- */
/* Best-first search                                                                        */
/* ---------------------------------------------------------------------------------------- */

typedef struct heap_item {
    double lb;
    int level;
    int far; /* lb already includes the far bound (see FAR_M) */
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

/* A lower bound of the geodesic distance from P to anything in node `node` of level `level`:
 * the straight distance to its segments' geodesics (a leaf), or to its x, y, z box or its
 * capsule, whichever is larger (a node above). */
static double node_lower_bound(const bzi_line_index *ix, int level, size_t node, const double *p)
{
    if (level == 0) {
        const double *a = ix->ecef + 3 * ix->seg_vertex[node];
        return chord_lower_bound(a, a + 3, p);
    }
    size_t k = ix->level_start[level] - ix->nseg + node;
    const bzi_box3 *b = ix->box3 + k;
    double d2 = 0;
    for (int i = 0; i < 3; i++) {
        double gap = fmax(fmax(b->min[i] - p[i], p[i] - b->max[i]), 0.0);
        d2 += gap * gap;
    }
    const bzi_capsule *c = ix->cap + k;
    return fmax(sqrt(d2), bzi_point_chord_dist(c->a, c->b, p) - c->r);
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

/* The far bound of node `node` of level `level` >= 1 (see FAR_M): the geodesic distance from P to
 * its first vertex less how far its lon/lat box reaches from there. */
static double far_lower_bound(const bzi_line_index *ix, const bz_line *line, int level, size_t node,
                              const struct geod_geodesic *g, double plon, double plat)
{
    size_t first_leaf = node;
    for (int l = level; l > 0; l--)
        first_leaf *= BZI_INDEX_FANOUT;
    const double *v = line->coords + 2 * ix->seg_vertex[first_leaf];
    double dv = 0;
    geod_inverse(g, plat, plon, v[1], v[0], &dv, NULL, NULL);
    return dv - box_radius_from(ix->boxes + ix->level_start[level] + node, v);
}

/* A cheap first candidate: walk down choosing the child nearest in a locally scaled degree
 * metric. Any segment gives a valid upper bound; a near one makes the search prune early. */
static size_t greedy_leaf(const bzi_line_index *ix, double plon, double plat)
{
    double kx = cos(plat * DEG);
    size_t node = 0;
    for (int level = ix->nlevels - 1; level > 0; level--) {
        size_t c0, c1;
        bzi_line_index_children(ix, level, node, &c0, &c1);
        size_t bestc = c0;
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

/* The best answer so far: the exact foot on segment v when `exact`, else the estimate of
 * segment v (within its sag of the truth, see chord_estimate) with its fraction t. */
typedef struct answer {
    double dist;
    size_t v, leaf;
    int exact;
    double t;
    foot f;
} answer;

/* Values of the estimate that are this close to the truth (metres) are taken as the distance:
 * a micrometre, far below anything a caller compares with. */
#define SAG_EXACT 1e-6
/* Beyond this distance from P (metres) the projection's sag bound is not relied upon. */
#define ESTIMATE_MAX_M 1000000.0

/* Let the segment starting at vertex v (leaf `leaf`) improve the answer. Most candidates are
 * settled by the estimate (a geodesic per new vertex); only long segments or far points need the
 * foot solved on the geodesic. */
static void consider(query *q, size_t v, size_t leaf, answer *ans)
{
    const seen *sa = see(q, v), *sb = see(q, v + 1);
    estimate e = chord_estimate(sa, sb);
    int trusted = fmax(sa->s, sb->s) <= ESTIMATE_MAX_M;
    if (trusted && e.d - e.sag >= ans->dist)
        return;
    if (trusted && e.sag <= SAG_EXACT) {
        if (e.d < ans->dist)
            *ans = (answer){e.d, v, leaf, 0, e.t, {0, 0, 0, 0, 0, 0, 0}};
        return;
    }
    const double *a = q->coords + 2 * v;
    foot f;
    if (segment_foot(q->g, a, a + 2, q->plon, q->plat, ans->dist, sa, trusted ? e.t : 0.0, &f) &&
        f.dist < ans->dist)
        *ans = (answer){f.dist, v, leaf, 1, 0.0, f};
}

/* The exact foot of an answer settled by its estimate. */
static foot answer_foot(query *q, const answer *ans)
{
    const double *a = q->coords + 2 * ans->v;
    if (ans->t <= 0)
        return vertex_foot(a, see(q, ans->v), 0);
    if (ans->t >= 1)
        return vertex_foot(a + 2, see(q, ans->v + 1), 1);
    foot f;
    segment_foot(q->g, a, a + 2, q->plon, q->plat, INFINITY, see(q, ans->v), ans->t, &f);
    return f;
}

/* The search behind bz_line_distance. `hint`, when given, is a leaf (segment in index order) to
 * start from instead of the greedy descent, and receives the leaf of the answer: a caller
 * measuring points in order along a curve starts each search next to the last answer, where the
 * bound is already nearly exact and the search prunes most (see verify.c). With `out` NULL only
 * the distance is wanted (*dist_only): neither the foot nor the side is worked out. */
static int nearest(bz_context *ctx, const bz_line *line, double lon, double lat, size_t *hint,
                   double below, bz_nearest *out, double *dist_only)
{
    const bzi_line_index *ix = line->index;
    if (!ix || ix->nseg == 0)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_line_distance: line has no segment index");
    const struct geod_geodesic *g = &ctx->geod;
    double plon = lon + 360.0 * round((ix->lon_mid - lon) / 360.0);
    query q;
    q.g = g;
    q.coords = line->coords;
    q.plon = plon;
    q.plat = lat;
    for (int i = 0; i < SEEN_CACHE; i++)
        q.cache[i].v = SIZE_MAX;
    double p3[3];
    ecef(plon, lat, p3);

    /* the threshold, when one is given, is the answer to beat (see bzi_line_distance_below) */
    answer ans = {below, SIZE_MAX, 0, 0, 0.0, {INFINITY, 0, 0, 0, 0, 0, 0}};
    size_t first = hint && *hint < ix->nseg ? *hint : greedy_leaf(ix, plon, lat);
    /* (a first guess that cannot beat the threshold is not measured: asked whether the line is
     * nearer than just below the distance of the guess, the search then solves no geodesic) */
    if (node_lower_bound(ix, 0, first, p3) < ans.dist)
        consider(&q, ix->seg_vertex[first], first, &ans);

    heap h = {NULL, 0, 256, {{0, 0, 0, 0}}};
    h.items = h.local;
    int rc = BZ_OK;
    if (heap_push(&h, (heap_item){0.0, ix->nlevels - 1, 0, 0}))
        rc = BZ_ERR_NOMEM;
    while (rc == BZ_OK && h.n) {
        heap_item it = heap_pop(&h);
        if (it.lb >= ans.dist)
            break; /* every item left has a bound at least this large */
        if (it.level == 0) {
            if (it.node != first)
                consider(&q, ix->seg_vertex[it.node], it.node, &ans);
            continue;
        }
        /* The far bound costs a geodesic, so it is worked out only for a node the search
         * reaches while the best answer is still far, not for every node pushed: a first guess
         * far along a lane (the descent's boxes all overlap there) used to cost one for every
         * node pushed before a near segment was found (seed 5 case 1704: 45 % of the job). */
        if (!it.far && ans.dist > FAR_M) {
            double far = far_lower_bound(ix, line, it.level, it.node, g, plon, lat);
            if (far >= ans.dist)
                continue;
            if (far > it.lb) {
                if (heap_push(&h, (heap_item){far, it.level, 1, it.node}))
                    rc = BZ_ERR_NOMEM;
                continue;
            }
        }
        size_t c0, c1;
        bzi_line_index_children(ix, it.level, it.node, &c0, &c1);
        for (size_t c = c0; c < c1; c++) {
            double lb = node_lower_bound(ix, it.level - 1, c, p3);
            if (lb < ans.dist && heap_push(&h, (heap_item){lb, it.level - 1, 0, c})) {
                rc = BZ_ERR_NOMEM;
                break;
            }
        }
    }
    if (h.items != h.local)
        free(h.items);
    if (rc)
        return bzi_nomem(ctx, "searching the nearest segment");
    if (ans.v == SIZE_MAX) { /* nothing nearer than the threshold (or no finite distance) */
        if (!out) {
            *dist_only = INFINITY;
            return BZ_OK;
        }
        ans.v = ix->seg_vertex[first];
        ans.leaf = first;
    }
    if (hint)
        *hint = ans.leaf;
    if (!out) {
        *dist_only = ans.dist;
        return BZ_OK;
    }

    foot best = ans.exact ? ans.f : answer_foot(&q, &ans);
    size_t best_v = ans.v;
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
    return rc ? rc : nearest(ctx, line, lon, lat, NULL, INFINITY, out, NULL);
}

int bzi_line_distance_hint(bz_context *ctx, const bz_line *line, double lon, double lat,
                           size_t *hint, bz_nearest *out)
{
    int rc = check_query(ctx, line, lon, lat, out);
    return rc ? rc : nearest(ctx, line, lon, lat, hint, INFINITY, out, NULL);
}

int bzi_line_distance_only(bz_context *ctx, const bz_line *line, double lon, double lat,
                           size_t *hint, double *distance_m)
{
    bz_nearest unused;
    int rc = check_query(ctx, line, lon, lat, &unused);
    return rc ? rc : nearest(ctx, line, lon, lat, hint, INFINITY, NULL, distance_m);
}

int bzi_line_distance_below(bz_context *ctx, const bz_line *line, double lon, double lat,
                            size_t *hint, double below, double *distance_m)
{
    bz_nearest unused;
    int rc = check_query(ctx, line, lon, lat, &unused);
    return rc ? rc : nearest(ctx, line, lon, lat, hint, below, NULL, distance_m);
}

/* Neighbours of the hint on either side tried by bzi_line_surely_within. */
#define WITHIN_REACH 8

/*
 * An upper bound of the distance from P to segment `leaf`, from straight lines only. F, the
 * point of the chord nearest P, has a point X of the geodesic within the segment's pad (the
 * geodesic strays from the chord by at most that, and projecting it onto the chord covers the
 * chord), so |PX| <= |PF| + pad. A geodesic is a space curve of curvature at most 1/M_min, and a
 * curve of curvature at most k and length s <= pi/k has a chord of at least 2 sin(k s/2)/k
 * (Schur's comparison with the circle), so the geodesic distance from P to X is at most
 * 2 M_min asin(|PX| / 2 M_min). 1 µm covers the rounding.
 */
static double chord_upper_bound(const bzi_line_index *ix, size_t leaf, const double *p)
{
    const double *a = ix->ecef + 3 * ix->seg_vertex[leaf], *b = a + 3;
    double ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2];
    double px = bzi_point_chord_dist(a, b, p) + bzi_geodesic_pad(ux * ux + uy * uy + uz * uz);
    if (!(px < WGS84_M_MIN)) /* far beyond any use here; also keeps asin's argument below 1/2 */
        return INFINITY;
    return 2.0 * WGS84_M_MIN * asin(px / (2.0 * WGS84_M_MIN)) + 1e-6;
}

int bzi_line_surely_within(const bz_line *line, double lon, double lat, size_t *hint, double radius)
{
    const bzi_line_index *ix = line->index;
    if (!ix || *hint >= ix->nseg)
        return 0;
    double p3[3];
    ecef(lon + 360.0 * round((ix->lon_mid - lon) / 360.0), lat, p3);
    size_t lo = *hint > WITHIN_REACH ? *hint - WITHIN_REACH : 0;
    size_t hi = *hint + WITHIN_REACH < ix->nseg ? *hint + WITHIN_REACH : ix->nseg - 1;
    double best = INFINITY;
    for (size_t leaf = lo; leaf <= hi; leaf++) {
        double u = chord_upper_bound(ix, leaf, p3);
        if (u < best) {
            best = u;
            *hint = leaf;
        }
    }
    return best <= radius;
}

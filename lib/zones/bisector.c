/*
 * bisector.c — the curves between the parts of a multi-part line (see bisector.h).
 *
 * Why: the zone definition gives a point the side of its NEAREST point of the line. Between two
 * parts that nearest point switches from one part to the other along the curve of points equally
 * far from both, and sides.c must cut the ground there (two parts drawn the same way 8 km apart
 * give the ground between them half to A, half to B).
 * How: a Voronoi diagram of points sampled along every part (GEOS, in an azimuthal equidistant
 * plane about the line's middle, see `plane`) gives the curves' topology: the edges between two
 * samples of different parts, each between the two parts its samples belong to. That plane is
 * not the ellipsoid, so within refine_m of the line each edge's points are then moved onto the
 * exact geodesic bisector of the edge's own two parts (to about their nearest point there, see
 * bisector_refine.c), and an edge is cut in two until its chord is within BIS_TOL_M of that
 * bisector. A vertex of the diagram is moved once (vertex_map): onto the bisector of the two
 * parts whose edges meet there, or where three parts' edges meet, to the point equally far from
 * the three, so every edge ending there ends at one point of its own bisector and the curves
 * stay joined. (Moving every point onto the bisector of whichever two parts were nearest to it
 * carried the points of one curve onto another's: round a lane of short parts, seen from afar,
 * any two of them are nearly equally near; seed 4 cases 226 and 1475 of the oracle.) Where
 * three parts meet with no point equally far from them (three parallel lanes), the vertex is
 * moved once per pair instead, onto each curve's own bisector, and an edge of the diagram that
 * lies along a third part is drawn as that part's two curves (edges_along). Farther than
 * refine_m from the line the edges are only carried into lon/lat. The curves are collected as
 * coordinates (curve_set.c): ends a few units in the last place apart are joined (one vertex
 * asked for two pairs of parts comes back twice, a rounding apart), and where three parts met
 * with no point equally far from them, a stretch of a bisector that no edge of the diagram runs
 * along is drawn between the curves that stop either side of it (bisector_gaps.c).
 * Cost: on the DeepState front of 22 parts (1,462 km, 3,553 vertices) at 10 km, 0.09 s of
 * CPU, 0.27 s at 100 km (0.13 s and 0.58 s on the same machine when every point was moved onto
 * the bisector of its two nearest parts, found by asking every part; 0.85 s before the
 * nearest-point moves).
 * Files: one algorithm (sampling, the sites' k-d tree, the diagram, walking its edges into curves),
 * hence over 600 lines; the refinement onto the geodesic bisector is bisector_refine.c.
 */
#include "zones/bisector.h"
#include "zones/bisector_refine.h"
#include "zones/curve_set.h"
#include "zones/bisector_gaps.h"
#include "core/grow.h"
#include "core/coords.h"
#include "core/context.h"
#include "geo/line.h"
#include "core/polygon.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DEG_RAD (3.14159265358979323846 / 180.0)
/* The sphere of the diagram's plane. */
#define EARTH_R_M 6371008.8
/* How far a chord of the bisector may stray from it. */
#define BIS_TOL_M 0.2
/* Shortest piece of a curve that is cut again. */
#define BIS_MIN_M 1.0
/* Deepest halving of one Voronoi edge. */
#define BIS_MAX_DEPTH 18

typedef struct sites {
    double *xy; /* plane coordinates */
    int *part;
    size_t n, cap;
    /* a static 2-d tree over the sites: kd[lo, hi) is a node whose middle element splits it on
     * x (even depth) or y (odd depth); the sites lie on lines, so a uniform grid sized to their
     * mean density put a hundred sites in every cell a lane crossed (seed 1 case 44: 28 % of
     * the job in the grid's scan) */
    size_t *kd;
} sites;

static int sites_add(sites *s, double x, double y, int part)
{
    if (s->n == s->cap) { /* two arrays, one capacity */
        size_t cap_xy = s->cap, cap_part = s->cap;
        if (bzi_grow(&s->xy, &cap_xy, s->n + 1, 2 * sizeof *s->xy) ||
            BZI_GROW(s->part, cap_part, s->n + 1))
            return -1;
        s->cap = cap_part;
    }
    s->xy[2 * s->n] = x;
    s->xy[2 * s->n + 1] = y;
    s->part[s->n++] = part;
    return 0;
}

/* Nodes this small are scanned, not split. */
#define KD_LEAF 8

/* Put the element of rank k of kd[lo, hi) (by coordinate `axis`) at k, smaller ones before it,
 * larger ones after it (quickselect, middle pivot). */
static void kd_select(const sites *s, size_t lo, size_t hi, size_t k, int axis)
{
    size_t *kd = s->kd;
    while (hi - lo > 1) {
        double pivot = s->xy[2 * kd[lo + (hi - lo) / 2] + axis];
        size_t i = lo, j = hi - 1;
        while (i <= j) {
            while (s->xy[2 * kd[i] + axis] < pivot)
                i++;
            while (s->xy[2 * kd[j] + axis] > pivot)
                j--;
            if (i <= j) {
                size_t t = kd[i];
                kd[i] = kd[j];
                kd[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        /* now kd[lo, j] <= pivot <= kd[i, hi) and everything between equals the pivot */
        if (k <= j && j + 1 > lo)
            hi = j + 1;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

static void kd_build(const sites *s, size_t lo, size_t hi, int axis)
{
    while (hi - lo > KD_LEAF) {
        size_t mid = lo + (hi - lo) / 2;
        kd_select(s, lo, hi, mid, axis);
        kd_build(s, lo, mid, !axis);
        lo = mid + 1;
        axis = !axis;
    }
}

static int sites_index(sites *s)
{
    s->kd = malloc((s->n ? s->n : 1) * sizeof *s->kd);
    if (!s->kd)
        return -1;
    for (size_t i = 0; i < s->n; i++)
        s->kd[i] = i;
    kd_build(s, 0, s->n, 0);
    return 0;
}

typedef struct two_best {
    double x, y;
    double d1, d2; /* squared distances */
    size_t i1, i2;
} two_best;

static void kd_consider(const sites *s, size_t i, two_best *b)
{
    double dx = s->xy[2 * i] - b->x, dy = s->xy[2 * i + 1] - b->y;
    double d = dx * dx + dy * dy;
    if (d < b->d1) {
        b->d2 = b->d1;
        b->i2 = b->i1;
        b->d1 = d;
        b->i1 = i;
    } else if (d < b->d2) {
        b->d2 = d;
        b->i2 = i;
    }
}

static void kd_two(const sites *s, size_t lo, size_t hi, int axis, two_best *b)
{
    if (hi - lo <= KD_LEAF) {
        for (size_t k = lo; k < hi; k++)
            kd_consider(s, s->kd[k], b);
        return;
    }
    size_t mid = lo + (hi - lo) / 2, m = s->kd[mid];
    kd_consider(s, m, b);
    double diff = (axis ? b->y : b->x) - s->xy[2 * m + axis];
    if (diff < 0) {
        kd_two(s, lo, mid, !axis, b);
        if (diff * diff < b->d2)
            kd_two(s, mid + 1, hi, !axis, b);
    } else {
        kd_two(s, mid + 1, hi, !axis, b);
        if (diff * diff < b->d2)
            kd_two(s, lo, mid, !axis, b);
    }
}

/* The two sites nearest to (x, y) in the plane, if both lie within `reach` (INFINITY: any);
 * 0 when they do not. */
static int nearest_two_within(const sites *s, double x, double y, double reach, size_t *i1,
                              size_t *i2)
{
    two_best b = {x, y, reach * reach, reach * reach, SIZE_MAX, SIZE_MAX};
    kd_two(s, 0, s->n, 0, &b);
    *i1 = b.i1;
    *i2 = b.i2;
    return b.i2 != SIZE_MAX;
}

/* The two sites whose cells edge a-b divides (its generators; SIZE_MAX when there are fewer
 * than two sites). Every point inside the edge has them as its nearest two, but a search costs
 * about its distance from the sites in sample steps (nearly every site of a lane is as near to
 * a point far out on the perpendicular between two of its samples), and most edges of the
 * diagram run far out from a lane: each is asked a step from its ends, within a few hundred
 * steps first, so only an edge far from every site at both ends pays the full search. */
static void edge_generators(const sites *s, const double *a, const double *b, double step,
                            size_t *i1, size_t *i2)
{
    double len = hypot(b[0] - a[0], b[1] - a[1]);
    double f = len > 2.0 * step ? step / len : 0.5;
    double reach = 256.0 * step;
    if (nearest_two_within(s, a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), reach, i1, i2))
        return;
    if (f < 0.5 &&
        nearest_two_within(s, b[0] + f * (a[0] - b[0]), b[1] + f * (a[1] - b[1]), reach, i1, i2))
        return;
    nearest_two_within(s, 0.5 * (a[0] + b[0]), 0.5 * (a[1] + b[1]), INFINITY, i1, i2);
}

static void free_parts(bz_line **parts, size_t n)
{
    for (size_t k = 0; k < n; k++)
        bz_line_free(parts[k]);
    free(parts);
}

/* Every part of the line as a line of its own (for the distance to one part). */
static int split_parts(bz_context *ctx, const bz_line *line, bz_line ***out)
{
    size_t np = bz_line_num_parts(line);
    bz_line **parts = calloc(np, sizeof *parts);
    if (!parts)
        return bzi_nomem(ctx, "the parts of the line");
    for (size_t k = 0; k < np; k++) {
        size_t n = 0;
        const double *p = bz_line_part_coords(line, k, &n);
        double *c = malloc(2 * n * sizeof *c);
        size_t *st = malloc(2 * sizeof *st);
        if (!c || !st) {
            free(c);
            free(st);
            free_parts(parts, np);
            return bzi_nomem(ctx, "the parts of the line");
        }
        memcpy(c, p, 2 * n * sizeof *c);
        st[0] = 0;
        st[1] = n;
        int rc = bzi_line_new_owned(&parts[k], ctx, c, st, 1);
        if (rc) {
            free_parts(parts, np);
            return rc;
        }
    }
    *out = parts;
    return BZ_OK;
}

/*
 * The plane of the diagram: azimuthal equidistant (on the sphere) about the line's middle, in
 * metres. Distances from the middle are true and the distortion across grows only slowly with
 * them (+1 % at 1,100 km), near a pole as anywhere: a plane of lon/lat with longitude scaled by
 * one cosine (as before) squeezed a line round a pole into nonsense, and its curves with it
 * (seed 1 case 51 of the oracle).
 */
typedef struct plane {
    double u[3], e[3], n[3]; /* the middle, and east and north there (unit vectors) */
    double lon_ref;          /* longitudes come back within 180 degrees of this */
} plane;

static void unit_vec(double lon, double lat, double *v)
{
    double cl = cos(lat * DEG_RAD);
    v[0] = cl * cos(lon * DEG_RAD);
    v[1] = cl * sin(lon * DEG_RAD);
    v[2] = sin(lat * DEG_RAD);
}

static void plane_init(plane *pl, const bz_line *line)
{
    double m[3] = {0, 0, 0}, v[3], x0 = INFINITY, x1 = -INFINITY;
    size_t nv = line->part_start[line->nparts];
    for (size_t i = 0; i < nv; i++) {
        unit_vec(line->coords[2 * i], line->coords[2 * i + 1], v);
        for (int k = 0; k < 3; k++)
            m[k] += v[k];
        x0 = fmin(x0, line->coords[2 * i]);
        x1 = fmax(x1, line->coords[2 * i]);
    }
    double norm = sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]);
    double lat = norm > 1e-9 ? asin(fmax(-1.0, fmin(1.0, m[2] / norm))) / DEG_RAD : line->coords[1];
    double lon =
        norm > 1e-9 && hypot(m[0], m[1]) > 1e-12 ? atan2(m[1], m[0]) / DEG_RAD : line->coords[0];
    unit_vec(lon, lat, pl->u);
    pl->e[0] = -sin(lon * DEG_RAD);
    pl->e[1] = cos(lon * DEG_RAD);
    pl->e[2] = 0.0;
    pl->n[0] = -sin(lat * DEG_RAD) * cos(lon * DEG_RAD);
    pl->n[1] = -sin(lat * DEG_RAD) * sin(lon * DEG_RAD);
    pl->n[2] = cos(lat * DEG_RAD);
    pl->lon_ref = 0.5 * (x0 + x1); /* the middle of the line-alone frame (sides.c) */
}

static void plane_fwd(const plane *pl, double lon, double lat, double *x, double *y)
{
    double v[3];
    unit_vec(lon, lat, v);
    double d = v[0] * pl->u[0] + v[1] * pl->u[1] + v[2] * pl->u[2];
    double ex = v[0] * pl->e[0] + v[1] * pl->e[1] + v[2] * pl->e[2];
    double ny = v[0] * pl->n[0] + v[1] * pl->n[1] + v[2] * pl->n[2];
    double sc = hypot(ex, ny), c = atan2(sc, d);
    double k = sc > 1e-15 ? EARTH_R_M * c / sc : EARTH_R_M;
    *x = k * ex;
    *y = k * ny;
}

static void plane_inv(const plane *pl, double x, double y, double *lon, double *lat)
{
    double rho = hypot(x, y), c = rho / EARTH_R_M;
    double cc = cos(c), sc = sin(c), dx = rho > 0 ? x / rho : 0, dy = rho > 0 ? y / rho : 0;
    double v[3];
    for (int k = 0; k < 3; k++)
        v[k] = cc * pl->u[k] + sc * (dx * pl->e[k] + dy * pl->n[k]);
    *lat = atan2(v[2], hypot(v[0], v[1])) / DEG_RAD;
    double l = atan2(v[1], v[0]) / DEG_RAD;
    *lon = l + 360.0 * round((pl->lon_ref - l) / 360.0);
}

/* Sample every part at its ends and every `step` (plane metres) along it, and a part shorter
 * than SAMPLES_PER_PART steps every 1/SAMPLES_PER_PART of its length: a dense line's vertices
 * are not all needed, since only the curves' course comes from the diagram (their points are
 * then put on the exact bisector), but where its samples lie far apart against the parts the
 * diagram's cells meet in the wrong places: the curves' vertices are moved to where they
 * meet, but stretches of a curve then lie in a third part's cell, spurs that cut its ground
 * into slivers (35 km parts 2 km apart, d = 100 km, sampled every 20 km: 1,939 curve points
 * within reach nearer a third part than their own two, up to 3 km into its cell, and 226
 * faces; with 16 samples a part, 891, up to 0.8 km, and 76 faces; seed 4 case 1467 of the
 * oracle). An end shared with another part is left out: every point whose nearest point it is
 * lies as near to both parts, and the samples either side of it put the curve on the bisector
 * of the two parts' directions there, as at a vertex of one part. */
#define SAMPLES_PER_PART 16
static int sample_parts(const bz_line *line, const plane *pl, double step, sites *s)
{
    size_t np = bz_line_num_parts(line);
    for (size_t k = 0; k < np; k++) {
        size_t n = 0;
        const double *p = bz_line_part_coords(line, k, &n);
        double next = 0, along = 0; /* distance of the next sample, and of vertex i */
        double x1 = 0, y1 = 0, part_len = 0;
        plane_fwd(pl, p[0], p[1], &x1, &y1);
        for (size_t i = 0; i + 1 < n; i++) {
            double x0 = x1, y0 = y1;
            plane_fwd(pl, p[2 * i + 2], p[2 * i + 3], &x1, &y1);
            part_len += hypot(x1 - x0, y1 - y0);
        }
        double part_step = fmin(step, fmax(part_len / SAMPLES_PER_PART, 1e-3));
        plane_fwd(pl, p[0], p[1], &x1, &y1);
        for (size_t i = 0; i + 1 < n; i++) {
            double x0 = x1, y0 = y1;
            plane_fwd(pl, p[2 * i + 2], p[2 * i + 3], &x1, &y1);
            double len = hypot(x1 - x0, y1 - y0);
            /* the last sample is the end itself: none within a quarter step before it (two
             * samples at one place would be each other's nearest, hiding the other parts) */
            while (next <= along + len && (next == 0 || next < part_len - 0.25 * part_step)) {
                double t = len > 0 ? (next - along) / len : 0;
                int shared = next == 0 && bzi_line_end_of_other(line, k, p[0], p[1]);
                if (!shared && sites_add(s, x0 + t * (x1 - x0), y0 + t * (y1 - y0), (int)k))
                    return -1;
                next += part_step;
            }
            along += len;
        }
        if (!bzi_line_end_of_other(line, k, p[2 * n - 2], p[2 * n - 1]) &&
            sites_add(s, x1, y1, (int)k))
            return -1;
    }
    return 0;
}

static int cmp_seg(const void *pa, const void *pb)
{
    const double *a = pa, *b = pb;
    for (int k = 0; k < 4; k++)
        if (a[k] != b[k])
            return a[k] < b[k] ? -1 : 1;
    return 0;
}

/* 1 if both ends lie on one side of the box (x0, y0, x1, y1). */
static int on_box_side(const double *box, const double *a, const double *b)
{
    const double eps = 1e-3; /* metres: the clipped cells' corners lie on the box's sides */
    for (int k = 0; k < 4; k++)
        if (fabs(a[k & 1] - box[k]) < eps && fabs(b[k & 1] - box[k]) < eps)
            return 1;
    return 0;
}

/*
 * The edges of the Voronoi diagram of the sites, from its cells: *out receives nseg segments
 * (x0, y0, x1, y1), each once, without the sides of the diagram's box. GEOS's own edge output
 * (onlyEdges) clips all edges at once with an overlay that nodes them against each other: on 20
 * parts of 672 km (45,000 samples) that took 140 s (oracle seed 1 case 44), the cells take
 * well under a second. A vertex where four or more samples lie on one circle comes as several
 * circumcentres ~1e-9 m apart: coordinates are rounded to 1e-5 m, so they snap together.
 */
typedef struct seg_collect {
    double box[4];
    bzi_coords v;
} seg_collect;

/* bzi_ring_fn: every edge of a cell's ring, rounded, in one direction, off the box's sides. */
static int collect_ring(GEOSContextHandle_t h, const GEOSGeometry *ring, void *arg)
{
    seg_collect *sc = arg;
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n))
        return BZI_E_GEOS;
    double prev[2] = {0, 0};
    for (unsigned k = 0; k < n; k++) {
        double q[2];
        GEOSCoordSeq_getXY_r(h, cs, k, &q[0], &q[1]);
        q[0] = nearbyint(q[0] * 1e5) / 1e5;
        q[1] = nearbyint(q[1] * 1e5) / 1e5;
        int keep = k > 0 && (prev[0] != q[0] || prev[1] != q[1]) && !on_box_side(sc->box, prev, q);
        /* each edge in one direction (the two cells that share it run it both ways) */
        int swap = prev[0] > q[0] || (prev[0] == q[0] && prev[1] > q[1]);
        if (keep && (bzi_coords_push2(&sc->v, swap ? q[0] : prev[0], swap ? q[1] : prev[1]) ||
                     bzi_coords_push2(&sc->v, swap ? prev[0] : q[0], swap ? prev[1] : q[1])))
            return BZI_E_NOMEM;
        prev[0] = q[0];
        prev[1] = q[1];
    }
    return 0;
}

/*
 * The edges of the Voronoi diagram of the sites, from its cells: *out receives nseg segments
 * (x0, y0, x1, y1), each once, without the sides of the diagram's box. GEOS's own edge output
 * (onlyEdges) clips all edges at once with an overlay that nodes them against each other: on 20
 * parts of 672 km (45,000 samples) that took 140 s (oracle seed 1 case 44), the cells take
 * well under a second. A vertex where four or more samples lie on one circle comes as several
 * circumcentres ~1e-9 m apart: coordinates are rounded to 1e-5 m, so they snap together.
 * BZ_ERR_NOMEM or BZ_ERR_GEOS on failure.
 */
static int voronoi_segments(GEOSContextHandle_t h, const GEOSGeometry *cells, double **out,
                            size_t *nseg)
{
    seg_collect sc;
    memset(&sc, 0, sizeof sc);
    *out = NULL;
    *nseg = 0;
    if (!GEOSGeom_getXMin_r(h, cells, &sc.box[0]) || !GEOSGeom_getYMin_r(h, cells, &sc.box[1]) ||
        !GEOSGeom_getXMax_r(h, cells, &sc.box[2]) || !GEOSGeom_getYMax_r(h, cells, &sc.box[3]))
        return BZ_ERR_GEOS;
    int e = bzi_each_ring(h, cells, collect_ring, &sc);
    if (e) {
        free(sc.v.v);
        return e == BZI_E_NOMEM ? BZ_ERR_NOMEM : BZ_ERR_GEOS;
    }
    size_t m = sc.v.n / 4, w = 0;
    if (m)
        qsort(sc.v.v, m, 4 * sizeof *sc.v.v, cmp_seg);
    for (size_t i = 0; i < m; i++)
        if (w == 0 || cmp_seg(sc.v.v + 4 * i, sc.v.v + 4 * (w - 1)) != 0)
            memmove(sc.v.v + 4 * w++, sc.v.v + 4 * i, 4 * sizeof *sc.v.v);
    *out = sc.v.v;
    *nseg = w;
    return BZ_OK;
}

/*
 * The parts whose curves meet at each vertex of the diagram: for every edge between samples of
 * two parts, both parts at both its ends. A vertex is moved once (bzi_refine_vertex: onto the
 * bisector of its two parts, or to the point equally far from three), and every edge ending
 * there ends at the same point, so the curves stay joined.
 */
typedef struct vertex_part {
    double x, y;
    int part;
} vertex_part;

/* A vertex moved edge by edge: where it went for the edges between parts a < b. */
typedef struct pair_end {
    int a, b, moved;
    double ll[2];
    size_t next; /* the vertex's next entry, or SIZE_MAX */
} pair_end;

typedef struct vertex_map {
    vertex_part *vp; /* sorted by vertex, then part; each pair once */
    int *parts;      /* vp's parts, vertex by vertex */
    size_t *first;   /* per vertex: its first entry; first[nv] = the number of entries */
    size_t nv;
    double *refined;    /* per vertex: lon, lat once moved */
    signed char *state; /* per vertex: 0 not yet asked, 1 moved, 2 kept as drawn, 3 moved edge
                           by edge (an end of an edge along a third part, see edges_along, or
                           where three parts meet with no point equally far from them) */
    /* the answers for vertices moved edge by edge, kept: each is asked again by every edge of
     * its pair ending there, and an answer computed anew can differ in its last bits (another
     * search start), which left the curves a nanometre apart, unjoined */
    size_t *pair_first; /* per vertex: its first entry in ends, or SIZE_MAX */
    pair_end *ends;
    size_t nends, capends;
} vertex_map;

static int cmp_vertex_part(const void *pa, const void *pb)
{
    const vertex_part *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    if (a->y != b->y)
        return a->y < b->y ? -1 : 1;
    return (a->part > b->part) - (a->part < b->part);
}

static void vertex_map_free(vertex_map *vm)
{
    free(vm->vp);
    free(vm->parts);
    free(vm->first);
    free(vm->refined);
    free(vm->state);
    free(vm->pair_first);
    free(vm->ends);
    memset(vm, 0, sizeof *vm);
}

/* From the edges (segv) and each edge's two parts (pair; -1 for an edge within one part). 0, or
 * -1 when memory runs out. */
static int vertex_map_build(vertex_map *vm, const double *segv, const int *pair, size_t nseg)
{
    memset(vm, 0, sizeof *vm);
    size_t n = 0;
    for (size_t e = 0; e < nseg; e++)
        n += pair[2 * e] >= 0 && pair[2 * e] != pair[2 * e + 1] ? 4 : 0;
    vm->vp = malloc((n ? n : 1) * sizeof *vm->vp);
    if (!vm->vp)
        return -1;
    size_t w = 0;
    for (size_t e = 0; e < nseg; e++) {
        if (pair[2 * e] < 0 || pair[2 * e] == pair[2 * e + 1])
            continue;
        for (int end = 0; end < 2; end++)
            for (int j = 0; j < 2; j++)
                vm->vp[w++] = (vertex_part){segv[4 * e + 2 * end], segv[4 * e + 2 * end + 1],
                                            pair[2 * e + j]};
    }
    if (n)
        qsort(vm->vp, n, sizeof *vm->vp, cmp_vertex_part);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || cmp_vertex_part(vm->vp + i, vm->vp + m - 1) != 0)
            vm->vp[m++] = vm->vp[i];
    size_t nv = 0;
    for (size_t i = 0; i < m; i++)
        nv += i == 0 || vm->vp[i].x != vm->vp[i - 1].x || vm->vp[i].y != vm->vp[i - 1].y;
    vm->parts = malloc((m ? m : 1) * sizeof *vm->parts);
    vm->first = malloc((nv + 1) * sizeof *vm->first);
    vm->refined = malloc((nv ? 2 * nv : 1) * sizeof *vm->refined);
    vm->state = calloc(nv ? nv : 1, 1);
    vm->pair_first = malloc((nv ? nv : 1) * sizeof *vm->pair_first);
    if (!vm->parts || !vm->first || !vm->refined || !vm->state || !vm->pair_first) {
        vertex_map_free(vm);
        return -1;
    }
    size_t v = 0;
    for (size_t i = 0; i < m; i++) {
        if (i == 0 || vm->vp[i].x != vm->vp[i - 1].x || vm->vp[i].y != vm->vp[i - 1].y)
            vm->first[v++] = i;
        vm->parts[i] = vm->vp[i].part;
    }
    vm->first[nv] = m;
    vm->nv = nv;
    for (size_t i = 0; i < nv; i++)
        vm->pair_first[i] = SIZE_MAX;
    return 0;
}

/* The index of vertex (x, y), or SIZE_MAX. */
static size_t vertex_find(const vertex_map *vm, double x, double y)
{
    size_t lo = 0, hi = vm->nv;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const vertex_part *q = vm->vp + vm->first[mid];
        if (q->x < x || (q->x == x && q->y < y))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < vm->nv && vm->vp[vm->first[lo]].x == x && vm->vp[vm->first[lo]].y == y)
        return lo;
    return SIZE_MAX;
}

/* Vertex i (lon/lat ll) moved onto the bisector of parts p1, p2 alone, once for that pair. */
static void vertex_pair_refined(bzi_refiner *r, vertex_map *vm, size_t i, const double *ll, int p1,
                                int p2, double *out, int *moved)
{
    int a = p1 < p2 ? p1 : p2, b = p1 < p2 ? p2 : p1;
    size_t k = vm->pair_first[i];
    while (k != SIZE_MAX && (vm->ends[k].a != a || vm->ends[k].b != b))
        k = vm->ends[k].next;
    if (k == SIZE_MAX) {
        pair_end pe = {a, b, 0, {0, 0}, vm->pair_first[i]};
        bzi_refine_pair(r, a, b, ll[0], ll[1], pe.ll, &pe.moved);
        if (r->status)
            return;
        if (BZI_GROW(vm->ends, vm->capends, vm->nends + 1)) {
            r->status = BZ_ERR_NOMEM;
            return;
        }
        k = vm->nends++;
        vm->ends[k] = pe;
        vm->pair_first[i] = k;
    }
    out[0] = vm->ends[k].ll[0];
    out[1] = vm->ends[k].ll[1];
    *moved = vm->ends[k].moved;
}

/* Vertex i (lon/lat ll) moved as bzi_refine_vertex, once: its state set. */
static void vertex_settle(bzi_refiner *r, vertex_map *vm, size_t i, const double *ll)
{
    if (vm->state[i])
        return;
    int mv = 0, by_pair = 0;
    bzi_refine_vertex(r, vm->parts + vm->first[i], vm->first[i + 1] - vm->first[i], ll[0], ll[1],
                      vm->refined + 2 * i, &mv, &by_pair);
    if (!r->status)
        vm->state[i] = by_pair ? 3 : mv ? 1 : 2;
}

/* The vertex at plane point xy (lon/lat ll) moved as bzi_refine_vertex, once (or for the
 * edge's own pair, see edges_along). A point that is no vertex of a curve (the far end of a
 * tiny edge, see voronoi_segments) goes onto the bisector of the edge's own parts p1, p2. */
static void vertex_refined(bzi_refiner *r, vertex_map *vm, const double *xy, const double *ll,
                           int p1, int p2, double *out, int *moved)
{
    size_t i = vertex_find(vm, xy[0], xy[1]);
    if (i == SIZE_MAX) {
        bzi_refine_pair(r, p1, p2, ll[0], ll[1], out, moved);
        return;
    }
    vertex_settle(r, vm, i, ll);
    if (r->status)
        return;
    if (vm->state[i] == 3) {
        vertex_pair_refined(r, vm, i, ll, p1, p2, out, moved);
        return;
    }
    out[0] = vm->refined[2 * i];
    out[1] = vm->refined[2 * i + 1];
    *moved = vm->state[i] == 1;
}

/*
 * The edges of the diagram "between" two parts that lie along a third part: where the samples
 * lie far apart against the parts' spacing (lanes 50 m apart sampled every 200 m at d = 1 mm),
 * two outer lanes' samples are neighbours across the middle lane, between two of its samples,
 * and their edge crosses the middle lane: it continues both the middle lane's curve with one
 * outer lane and its curve with the other (it bounds both outer samples' cells). Moved onto the
 * outer lanes' bisector (the middle lane itself) or onto whichever curve was nearer, its chords
 * crossed the middle lane every few tens of metres and cut its 1 mm zone into pieces that went
 * to the wrong side (seed 7 case 1705 of the oracle: 190 km of a 3,656 km line). third[e]
 * receives the part such an edge lies along, -1 for every other edge:
 *  - the part nearest to the edge's middle, where that is neither of its own and nearer than
 *    half their distance, or nearer than both and an end of the edge is a vertex where three
 *    parts meet with no point equally far from them (bzi_refine_vertex: moved edge by edge);
 *    elsewhere a third part a little nearer is a junction drawn a little off (third_nearer);
 *  - where both ends are such vertices, the part both have besides the edge's own (beside the
 *    end of a part the edge's middle may be nearer one of its own).
 * The edge is then drawn as the two curves, one on each side of that part, whose ends join the
 * neighbouring edges' curves at each vertex moved edge by edge. Only edges within `far` of a
 * sample are asked. Measured on case 1705 (11,205 vertices, 42,209 edges, 2,940 such): 66 s
 * before, 11 s after (the crossing curves' halvings were most of the time).
 */
static int edges_along(bzi_refiner *r, const plane *pl, vertex_map *vm, const double *segv,
                       const int *epair, const double *edist, size_t nsegv, double far, int *third)
{
    for (size_t e = 0; e < nsegv && !r->status; e++) {
        int p1 = epair[2 * e], p2 = epair[2 * e + 1], clearly = 0;
        third[e] = -1;
        if (p1 < 0 || p1 == p2 || fmin(edist[2 * e], edist[2 * e + 1]) > far)
            continue;
        const double *a = segv + 4 * e;
        double lon, lat;
        plane_inv(pl, 0.5 * (a[0] + a[2]), 0.5 * (a[1] + a[3]), &lon, &lat);
        int p3 = bzi_refine_third_part(r, p1, p2, lon, lat, &clearly);
        if (clearly || r->status) {
            third[e] = p3;
            continue;
        }
        size_t v[2];
        int by_pair = 0;
        for (int end = 0; end < 2 && !r->status; end++) {
            double ll[2];
            if ((v[end] = vertex_find(vm, a[2 * end], a[2 * end + 1])) == SIZE_MAX)
                continue;
            plane_inv(pl, a[2 * end], a[2 * end + 1], &ll[0], &ll[1]);
            vertex_settle(r, vm, v[end], ll);
            by_pair += vm->state[v[end]] == 3;
        }
        if (by_pair == 2) {
            /* both ends where three parts meet with no point equally far from them: the part
             * both have besides the edge's own lies between those (the edge's middle may still
             * be nearer one of its own, beside the end of a part) */
            int common = -1, n = 0;
            for (size_t i = vm->first[v[0]]; i < vm->first[v[0] + 1]; i++) {
                int k = vm->parts[i];
                if (k == p1 || k == p2)
                    continue;
                for (size_t j = vm->first[v[1]]; j < vm->first[v[1] + 1]; j++)
                    if (vm->parts[j] == k) {
                        n++;
                        if (common < 0 || k == p3)
                            common = k;
                    }
            }
            third[e] = n ? common : p3;
        } else if (by_pair) {
            third[e] = p3;
        }
    }
    return r->status;
}

int bzi_part_bisectors(bz_context *ctx, const bz_line *line, double refine_m, const double box[4],
                       GEOSGeometry **out)
{
    GEOSContextHandle_t h = ctx->geos;
    *out = NULL;
    size_t np = bz_line_num_parts(line);
    if (np < 2) {
        *out = GEOSGeom_createEmptyCollection_r(h, GEOS_MULTILINESTRING);
        return *out ? BZ_OK : bzi_geos_error(ctx, "an empty set of bisectors");
    }
    double ext[4];
    bzi_line_bounds(line, ext);
    double x0 = ext[0], x1 = ext[1], y0 = ext[2], y1 = ext[3];
    plane pl;
    plane_init(&pl, line);
    /* samples about refine_m / 5 apart (at most ~100 km), so the diagram has the curves'
     * course before they are refined */
    double step = fmin(111000.0, fmax(refine_m / 5.0, 50.0));
    sites s;
    memset(&s, 0, sizeof s);
    bz_line **parts = NULL;
    GEOSGeometry *mp = NULL, *env = NULL, *edges = NULL;
    double *segv = NULL, *edist = NULL;
    int *epair = NULL;
    size_t nsegv = 0;
    vertex_map vm;
    memset(&vm, 0, sizeof vm);
    bzi_coords curve = {0};
    int st = BZ_OK;
    if (sample_parts(line, &pl, step, &s)) {
        st = bzi_nomem(ctx, "sampling the line's parts");
        goto done;
    }
    if (s.n < 2) { /* parts that are all shared ends: nothing to divide by */
        *out = GEOSGeom_createEmptyCollection_r(h, GEOS_MULTILINESTRING);
        st = *out ? BZ_OK : bzi_geos_error(ctx, "an empty set of bisectors");
        goto done;
    }
    if (sites_index(&s)) {
        st = bzi_nomem(ctx, "sampling the line's parts");
        goto done;
    }
    /* the sites as a MultiPoint */
    {
        GEOSGeometry **pts = malloc(s.n * sizeof *pts);
        if (!pts) {
            st = bzi_nomem(ctx, "sampling the line's parts");
            goto done;
        }
        size_t made = 0;
        for (; made < s.n; made++)
            if (!(pts[made] = GEOSGeom_createPointFromXY_r(h, s.xy[2 * made], s.xy[2 * made + 1])))
                break;
        if (made == s.n)
            mp = GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, pts, (unsigned)s.n);
        else
            for (size_t i = 0; i < made; i++)
                GEOSGeom_destroy_r(h, pts[i]);
        free(pts);
        if (!mp) {
            st = bzi_geos_error(ctx, "sampling the line's parts");
            goto done;
        }
    }
    {
        /* the frame's box and the line's, their edges sampled into the plane */
        double lo[2] = {fmin(box[0], x0), fmax(-90.0, fmin(box[1], y0))};
        double hi[2] = {fmax(box[2], x1), fmin(90.0, fmax(box[3], y1))};
        double bx0 = INFINITY, bx1 = -INFINITY, by0 = INFINITY, by1 = -INFINITY;
        for (int k = 0; k <= 32; k++) {
            double f = k / 32.0, px, py;
            const double lonlat[8] = {
                lo[0] + f * (hi[0] - lo[0]), lo[1], lo[0] + f * (hi[0] - lo[0]), hi[1], lo[0],
                lo[1] + f * (hi[1] - lo[1]), hi[0], lo[1] + f * (hi[1] - lo[1])};
            for (int q = 0; q < 4; q++) {
                plane_fwd(&pl, lonlat[2 * q], lonlat[2 * q + 1], &px, &py);
                bx0 = fmin(bx0, px);
                bx1 = fmax(bx1, px);
                by0 = fmin(by0, py);
                by1 = fmax(by1, py);
            }
        }
        double m = 0.1 * fmax(bx1 - bx0, by1 - by0) + 1000.0;
        const double b[10] = {bx0 - m, by0 - m, bx1 + m, by0 - m, bx1 + m,
                              by1 + m, bx0 - m, by1 + m, bx0 - m, by0 - m};
        GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, b, 5, 0, 0);
        GEOSGeometry *ring = cs ? GEOSGeom_createLinearRing_r(h, cs) : NULL;
        env = ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
    }
    edges = env ? GEOSVoronoiDiagram_r(h, mp, env, 0.0, 0) : NULL;
    if (edges) {
        int e = voronoi_segments(h, edges, &segv, &nsegv);
        if (e == BZ_ERR_NOMEM) {
            st = bzi_nomem(ctx, "the diagram of the line's parts");
            goto done;
        }
        if (e) {
            GEOSGeom_destroy_r(h, edges);
            edges = NULL;
        }
    }
    if (!edges) {
        st = bzi_geos_error(ctx, "dividing the ground between the line's parts");
        goto done;
    }
    st = split_parts(ctx, line, &parts);
    if (st)
        goto done;
    /* each edge's two parts (those of its two samples) and its ends' distances from them */
    epair = malloc((nsegv ? 2 * nsegv : 1) * sizeof *epair);
    edist = malloc((nsegv ? 2 * nsegv : 1) * sizeof *edist);
    if (!epair || !edist) {
        st = bzi_nomem(ctx, "the curves between the line's parts");
        goto done;
    }
    for (size_t e = 0; e < nsegv; e++) {
        const double *a = segv + 4 * e, *b = segv + 4 * e + 2;
        size_t i1, i2;
        edge_generators(&s, a, b, step, &i1, &i2);
        int p1 = i1 == SIZE_MAX ? -1 : s.part[i1], p2 = i2 == SIZE_MAX ? -1 : s.part[i2];
        /* the ends' distance from the sites: from either generator, both being nearest there */
        if (i1 != SIZE_MAX) {
            const double *g = s.xy + 2 * i1;
            edist[2 * e] = hypot(a[0] - g[0], a[1] - g[1]);
            edist[2 * e + 1] = hypot(b[0] - g[0], b[1] - g[1]);
        } else {
            edist[2 * e] = edist[2 * e + 1] = INFINITY;
        }
        /* between two samples of one part: no curve, unless it is the tiny edge between two
         * circumcentres of one vertex where four samples lie on one circle, which then joins
         * the curves at its ends. Those lie up to 0.25 mm apart (two lanes 6.6 km apart
         * sampled every 137 m at 77S: seed 9 case 334 of the oracle, where a curve broken there
         * let two parts' opposite sides merge into one face); 1e-5 of a step apart at most. */
        double len = hypot(b[0] - a[0], b[1] - a[1]);
        if (p1 < 0 || p2 < 0 || (p1 == p2 && len > fmax(1e-4, 1e-5 * step)))
            p1 = p2 = -1;
        epair[2 * e] = p1;
        epair[2 * e + 1] = p2;
    }
    if (vertex_map_build(&vm, segv, epair, nsegv)) {
        st = bzi_nomem(ctx, "the curves between the line's parts");
        goto done;
    }
    double *bbox = malloc(4 * np * sizeof *bbox);
    if (!bbox) {
        st = bzi_nomem(ctx, "the curves between the line's parts");
        goto done;
    }
    for (size_t k = 0; k < np; k++) {
        size_t n = 0;
        const double *p = bz_line_part_coords(line, k, &n);
        double *b = bbox + 4 * k;
        b[0] = b[1] = INFINITY;
        b[2] = b[3] = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            b[0] = fmin(b[0], p[2 * i]);
            b[1] = fmin(b[1], p[2 * i + 1]);
            b[2] = fmax(b[2], p[2 * i]);
            b[3] = fmax(b[3], p[2 * i + 1]);
        }
        /* geodesic segments bow poleward of their vertices' box */
        double bow = 0.02 * (b[2] - b[0]) * (b[2] - b[0]) + 1e-3;
        b[1] -= bow;
        b[3] += bow;
    }
    size_t *hints = malloc((np + 1) * sizeof *hints);
    if (!hints) {
        free(bbox);
        st = bzi_nomem(ctx, "the curves between the line's parts");
        goto done;
    }
    for (size_t k = 0; k <= np; k++)
        hints[k] = SIZE_MAX; /* no answer yet: the search starts from its own descent */
    bzi_refiner r = {ctx, line, parts, bbox, np, refine_m, BZ_OK, hints};
    bzi_curve_set curves = {0};
    int *third = malloc((nsegv ? nsegv : 1) * sizeof *third);
    if (!third)
        st = BZ_ERR_NOMEM;
    else
        st = edges_along(&r, &pl, &vm, segv, epair, edist, nsegv, 1.25 * refine_m + step, third);
    if (st == BZ_ERR_NOMEM)
        st = bzi_nomem(ctx, "the curves between the line's parts");
    else if (st == BZ_ERR_GEOS)
        st = bzi_geos_error(ctx, "the curves between the line's parts");
    for (size_t e = 0; e < nsegv && !st; e++) {
        /* an edge along a third part is drawn as the curves between it and each of the two */
        int pairs[4] = {epair[2 * e], epair[2 * e + 1], -1, -1}, npairs = 1;
        if (third[e] >= 0) {
            pairs[1] = pairs[2] = third[e];
            pairs[3] = epair[2 * e + 1];
            npairs = 2;
        }
        for (int pi = 0; pi < npairs && !st; pi++) {
            double a[2] = {segv[4 * e], segv[4 * e + 1]}, b[2] = {segv[4 * e + 2], segv[4 * e + 3]};
            int p1 = pairs[2 * pi], p2 = pairs[2 * pi + 1];
            double da = edist[2 * e], db = edist[2 * e + 1];
            double len = hypot(b[0] - a[0], b[1] - a[1]);
            if (p1 < 0)
                continue; /* between two samples of one part */
            /* Along the edge the distance to its two samples is sqrt(h^2 + (t - t0)^2 len^2):
             * only within `far` of them (where the line may be within refine_m: a plane
             * distance exceeds the true one by 1 % at 1,100 km from the middle, 4 % at
             * 3,000 km, and the line is within 0.6 step of a sample) is it cut into pieces of a
             * step, each moved onto the bisector of the edge's two parts;
             * farther out it only keeps the grounds apart, in pieces short enough that their
             * lon/lat chords follow the plane's straight edge (20 steps, and a fifth of the
             * way to a pole). A vertex far from every sample is far from the line: no
             * distance asked (the same vertex gets the same answer in every edge it ends). */
            double far = 1.25 * refine_m + step;
            double u0 = 1.0, u1 = 0.0; /* the share of the edge within far: empty */
            if (len > 0) {
                double t0 = 0.5 * (1.0 + (da * da - db * db) / (len * len));
                double h2 = fmax(0.0, da * da - t0 * t0 * len * len);
                if (far * far > h2) {
                    double w = sqrt(far * far - h2) / len;
                    u0 = t0 - w;
                    u1 = t0 + w;
                }
            }
            curve.n = 0;
            double prev[2], rprev[2], t = 0.0;
            plane_inv(&pl, a[0], a[1], &prev[0], &prev[1]);
            int moved = 0, moved_prev = 0;
            if (da > far) {
                rprev[0] = prev[0];
                rprev[1] = prev[1];
            } else {
                vertex_refined(&r, &vm, a, prev, p1, p2, rprev, &moved_prev);
            }
            if (bzi_coords_push2_distinct(&curve, rprev[0], rprev[1]))
                st = BZ_ERR_NOMEM;
            while (t < 1.0 && !st && !r.status) {
                int near = t >= u0 && t < u1;
                double piece =
                    near ? step
                         : fmin(20.0 * step, fmax(1000.0, 0.2 * (90.0 - fabs(prev[1])) * 111000.0));
                double tn = len > 0 ? t + piece / len : 1.0;
                if (t < u0 && tn > u0)
                    tn = u0; /* a piece ends where the edge comes within reach */
                else if (near && tn > u1)
                    tn = u1;
                if (!(tn < 1.0) || !(tn > t))
                    tn = 1.0;
                double q[2], rq[2];
                /* the last piece ends at b itself: a + (b - a) need not be b in floating
                 * point, and the next edge starts at b */
                if (tn == 1.0)
                    plane_inv(&pl, b[0], b[1], &q[0], &q[1]);
                else
                    plane_inv(&pl, a[0] + tn * (b[0] - a[0]), a[1] + tn * (b[1] - a[1]), &q[0],
                              &q[1]);
                int q_near = tn == 1.0 ? !(db > far) : tn >= u0 && tn <= u1;
                moved = 0;
                if (q_near && tn == 1.0) {
                    vertex_refined(&r, &vm, b, q, p1, p2, rq, &moved);
                } else if (q_near) {
                    bzi_refine_pair(&r, p1, p2, q[0], q[1], rq, &moved);
                } else {
                    rq[0] = q[0];
                    rq[1] = q[1];
                }
                if (fabs(q[0] - prev[0]) > 180.0) {
                    /* round a pole, across the frame's seam (lon_ref +- 180): end the curve
                     * on the seam and start again on its other side */
                    double seam = pl.lon_ref + (q[0] > prev[0] ? -180.0 : 180.0);
                    double qx = q[0] + (q[0] > prev[0] ? -360.0 : 360.0);
                    double f = (seam - prev[0]) / (qx - prev[0]);
                    double ys = prev[1] + f * (q[1] - prev[1]);
                    st = bzi_coords_push2_distinct(&curve, seam, ys) ? BZ_ERR_NOMEM
                         : bzi_curve_set_add(&curves, &curve)        ? BZ_ERR_NOMEM
                                                                     : BZ_OK;
                    if (st)
                        break;
                    curve.n = 0;
                    if (bzi_coords_push2_distinct(&curve,
                                                  seam + (seam > pl.lon_ref ? -360.0 : 360.0), ys))
                        st = BZ_ERR_NOMEM;
                } else if ((moved || moved_prev) && p1 != p2) {
                    st = bzi_refine_between(&r, p1, p2, rprev, rq, 0, &curve);
                }
                if (!st && bzi_coords_push2_distinct(&curve, rq[0], rq[1]))
                    st = BZ_ERR_NOMEM;
                memcpy(prev, q, sizeof prev);
                memcpy(rprev, rq, sizeof rprev);
                moved_prev = moved;
                t = tn;
            }
            if (!st)
                st = r.status;
            if (st == BZ_ERR_NOMEM)
                st = bzi_nomem(ctx, "the curves between the line's parts");
            else if (st == BZ_ERR_GEOS)
                st = bzi_geos_error(ctx, "the curves between the line's parts");
            if (st)
                break;
            if (bzi_curve_set_add(&curves, &curve)) {
                st = bzi_nomem(ctx, "the curves between the line's parts");
                break;
            }
        }
    }
    /* ends a few units in the last place apart (far below any distance asked: 1e-10 degrees
     * is 11 micrometres) are one vertex of the diagram */
    if (!st && bzi_curve_set_join_ends(&curves, 1e-10))
        st = bzi_nomem(ctx, "joining the curves between the line's parts");
    /* where three parts meet with no point equally far from them, the samples lie far apart
     * against the parts' spacing: a stretch of a bisector may have no edge (bisector_gaps.c) */
    int by_pair = 0;
    for (size_t i = 0; i < vm.nv && !by_pair; i++)
        by_pair = vm.state[i] == 3;
    if (!st && by_pair)
        st = bzi_close_curve_gaps(&r, &curves, 3.0 * step);
    if (!st) {
        int e2 = bzi_curve_set_geometry(h, &curves, out);
        if (e2)
            st = e2 == -1 ? bzi_nomem(ctx, "the curves between the line's parts")
                          : bzi_geos_error(ctx, "the curves between the line's parts");
    }
    bzi_curve_set_free(&curves);
    free(third);
    free(bbox);
    free(hints);
done:
    vertex_map_free(&vm);
    free(epair);
    free(edist);
    if (parts)
        free_parts(parts, np);
    if (mp)
        GEOSGeom_destroy_r(h, mp);
    if (env)
        GEOSGeom_destroy_r(h, env);
    if (edges)
        GEOSGeom_destroy_r(h, edges);
    free(segv);
    free(curve.v);
    free(s.xy);
    free(s.part);
    free(s.kd);
    return st;
}

/*
 * buffer_inward.c — is a piece's planar buffer anywhere closer to the piece than it should be?
 *
 * GEOS 3.11's buffer of a densely drawn, wiggly line is sometimes too small: measured on a
 * 100,000-vertex line (a vertex every 11 m, wiggles from 100 m to 30 km) at 10 km, a 2.5 km
 * piece's buffer had shell vertices 12.5 m inside the exact planar distance, and a 1.25 km one
 * a 4-vertex hole 161-176 m inside it (the same in Shapely on GEOS 3.11.1; GEOS's input
 * simplification and its buffer topology building, libgeos#1217, both do this). The outward
 * check in buffer.c cannot see it: a missing strip leaves no edge outside the limit.
 *
 * The check: every point of every ring must be at least `limit` from the polyline. The polyline
 * contains no ring point and its limit-neighbourhood is connected, so when no ring comes that
 * close the neighbourhood lies wholly inside the buffer: nothing within `limit` is missing,
 * and no hole lies within it. The distance from a straight ring edge to the whole polyline is
 * bounded below by a tree of bounding circles over runs of consecutive segments, so each edge
 * looks at the few runs near it, and exactly (segment to segment) only at leaves.
 */
#include "zones/buffer_inward.h"
#include "core/grow.h"

#include <math.h>
#include <stdlib.h>

/* Segments per leaf: small leaves prune better, large ones make a shallower tree. */
#define LEAF_SEGMENTS 8
/* Deeper than any tree of 2^64 segments. */
#define STACK_DEPTH 130

double bzi_point_segment_dist2(double x, double y, double ax, double ay, double bx, double by)
{
    double dx = bx - ax, dy = by - ay;
    double len2 = dx * dx + dy * dy;
    double t = len2 > 0.0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0.0;
    if (t < 0.0)
        t = 0.0;
    else if (t > 1.0)
        t = 1.0;
    double ex = ax + t * dx - x, ey = ay + t * dy - y;
    return ex * ex + ey * ey;
}

static double orient(double ax, double ay, double bx, double by, double cx, double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/* Squared distance between segments a-b and c-d (0 when they cross). */
static double seg_seg2(double ax, double ay, double bx, double by, double cx, double cy, double dx,
                       double dy)
{
    double o1 = orient(ax, ay, bx, by, cx, cy), o2 = orient(ax, ay, bx, by, dx, dy);
    double o3 = orient(cx, cy, dx, dy, ax, ay), o4 = orient(cx, cy, dx, dy, bx, by);
    if (((o1 < 0.0 && o2 > 0.0) || (o1 > 0.0 && o2 < 0.0)) &&
        ((o3 < 0.0 && o4 > 0.0) || (o3 > 0.0 && o4 < 0.0)))
        return 0.0;
    double m = bzi_point_segment_dist2(ax, ay, cx, cy, dx, dy);
    m = fmin(m, bzi_point_segment_dist2(bx, by, cx, cy, dx, dy));
    m = fmin(m, bzi_point_segment_dist2(cx, cy, ax, ay, bx, by));
    return fmin(m, bzi_point_segment_dist2(dx, dy, ax, ay, bx, by));
}

static size_t build(bzi_seg_tree *t, size_t lo, size_t hi)
{
    size_t k = t->nnodes++;
    bzi_seg_node *n = &t->nodes[k];
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (size_t i = lo; i <= hi; i++) {
        x0 = fmin(x0, t->px[i]);
        x1 = fmax(x1, t->px[i]);
        y0 = fmin(y0, t->py[i]);
        y1 = fmax(y1, t->py[i]);
    }
    double cx = 0.5 * (x0 + x1), cy = 0.5 * (y0 + y1), r2 = 0.0;
    for (size_t i = lo; i <= hi; i++) {
        double ex = t->px[i] - cx, ey = t->py[i] - cy;
        r2 = fmax(r2, ex * ex + ey * ey);
    }
    double w2 = 0.0;
    for (size_t i = lo + 1; i < hi; i++)
        w2 = fmax(w2, bzi_point_segment_dist2(t->px[i], t->py[i], t->px[lo], t->py[lo], t->px[hi],
                                              t->py[hi]));
    *n = (bzi_seg_node){cx, cy, sqrt(r2) * (1.0 + 1e-12), sqrt(w2) * (1.0 + 1e-12) + 1e-9, lo, hi,
                        0,  0};
    if (hi - lo > LEAF_SEGMENTS) {
        size_t mid = lo + (hi - lo) / 2;
        size_t left = build(t, lo, mid);
        size_t right = build(t, mid, hi);
        t->nodes[k].left = left;
        t->nodes[k].right = right;
    }
    return k;
}

int bzi_seg_tree_build(bzi_seg_tree *t, const double *px, const double *py, size_t npts)
{
    size_t nseg = npts - 1;
    size_t need = 4 * (nseg / LEAF_SEGMENTS + 1) + 1; /* a binary tree with <= nseg/4 leaves */
    if (BZI_GROW(t->nodes, t->cap, need))
        return -1;
    t->px = px;
    t->py = py;
    t->npts = npts;
    t->nnodes = 0;
    build(t, 0, nseg);
    return 0;
}

void bzi_seg_tree_free(bzi_seg_tree *t)
{
    free(t->nodes);
    *t = (bzi_seg_tree){0};
}

/* Can no segment of node n come closer than `limit` to the edge a-b? First its circle (one
 * point-to-segment distance), then the chord of its run, widened by how far the run strays from
 * it: every point of the run's segments lies within n->w of the chord, since the distance to a
 * segment is convex and the vertices are within it. Near the edge's nearest segments the circle
 * cannot decide (a run 80 m long is still within its radius of the limit 900 m along a 10 km
 * buffer), the chord can. */
static int node_clear(const bzi_seg_tree *t, const bzi_seg_node *n, double ax, double ay, double bx,
                      double by, double limit)
{
    double reach = limit + n->r;
    if (bzi_point_segment_dist2(n->cx, n->cy, ax, ay, bx, by) >= reach * reach)
        return 1;
    if (n->w >= n->r)
        return 0;
    reach = limit + n->w;
    return seg_seg2(ax, ay, bx, by, t->px[n->lo], t->py[n->lo], t->px[n->hi], t->py[n->hi]) >=
           reach * reach;
}

/* Flag every segment that comes closer than `limit` to the edge a-b; the number newly flagged. */
static size_t edge_flag(const bzi_seg_tree *t, double ax, double ay, double bx, double by,
                        double limit, unsigned char *flag)
{
    double lim2 = limit * limit;
    size_t stack[STACK_DEPTH];
    size_t top = 0, found = 0;
    stack[top++] = 0;
    while (top > 0) {
        const bzi_seg_node *n = &t->nodes[stack[--top]];
        if (node_clear(t, n, ax, ay, bx, by, limit))
            continue;
        if (n->left == 0) {
            for (size_t j = n->lo; j < n->hi; j++)
                if (!flag[j] && seg_seg2(ax, ay, bx, by, t->px[j], t->py[j], t->px[j + 1],
                                         t->py[j + 1]) < lim2) {
                    flag[j] = 1;
                    found++;
                }
            continue;
        }
        stack[top++] = n->left;
        stack[top++] = n->right;
    }
    return found;
}

static long ring_flag(GEOSContextHandle_t h, const GEOSGeometry *ring, const bzi_seg_tree *t,
                      double limit, unsigned char *flag)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int m = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &m))
        return -1;
    double x0 = 0.0, y0 = 0.0, x1, y1;
    long found = 0;
    for (unsigned int k = 0; k < m; k++) {
        if (!GEOSCoordSeq_getXY_r(h, cs, k, &x1, &y1))
            return -1;
        if (k > 0 || m == 1)
            found += (long)edge_flag(t, k > 0 ? x0 : x1, k > 0 ? y0 : y1, x1, y1, limit, flag);
        x0 = x1;
        y0 = y1;
    }
    return found;
}

long bzi_rings_flag_close(GEOSContextHandle_t h, const GEOSGeometry *g, const bzi_seg_tree *t,
                          double limit, unsigned char *flag)
{
    int ng = GEOSGetNumGeometries_r(h, g);
    if (ng < 0)
        return -1;
    long found = 0;
    for (int i = 0; i < ng; i++) {
        const GEOSGeometry *poly = GEOSGetGeometryN_r(h, g, i);
        if (!poly || GEOSGeomTypeId_r(h, poly) != GEOS_POLYGON || GEOSisEmpty_r(h, poly))
            continue;
        int nh = GEOSGetNumInteriorRings_r(h, poly);
        for (int j = -1; j < nh; j++) {
            const GEOSGeometry *ring =
                j < 0 ? GEOSGetExteriorRing_r(h, poly) : GEOSGetInteriorRingN_r(h, poly, j);
            long rc = ring ? ring_flag(h, ring, t, limit, flag) : -1;
            if (rc < 0)
                return -1;
            found += rc;
        }
    }
    return found;
}

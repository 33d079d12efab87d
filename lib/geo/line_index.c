/* line_index.c — a static segment index over a line: a packed R-tree in line order.
 *
 * Consecutive segments of a line lie next to each other, so groups of BZI_INDEX_FANOUT
 * consecutive segment boxes make tight nodes without any sorting. It is built once with the line
 * and only read afterwards, so threads may share it.
 *
 * A segment is the geodesic between its two vertices. Its box in (unwrapped) lon/lat covers the
 * geodesic, not only the straight chord: a geodesic bows towards the pole by about
 * sin(2·lat)·dlon²/16 radians of latitude at its middle, so boxes are padded by twice that.
 * The same nodes also get boxes in Earth-centred x, y, z around their vertices, padded by how far
 * a geodesic strays from its chord, and capsules (a segment from the node's first vertex to its
 * last, with a radius): the distance search (distance.c) bounds with the larger of the two.
 */
#include "geo/line_index.h"
#include "core/context.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEG (3.14159265358979323846 / 180.0)

static void box_extend(bzi_segbox *b, const bzi_segbox *c)
{
    if (c->minx < b->minx)
        b->minx = c->minx;
    if (c->miny < b->miny)
        b->miny = c->miny;
    if (c->maxx > b->maxx)
        b->maxx = c->maxx;
    if (c->maxy > b->maxy)
        b->maxy = c->maxy;
}

/* The box of the geodesic from (x0, y0) to (x1, y1). Longitude is monotonic along a geodesic
 * shorter than half the globe, so only latitude needs the bow padding. */
static bzi_segbox geodesic_box(double x0, double y0, double x1, double y1)
{
    bzi_segbox b = {fmin(x0, x1), fmin(y0, y1), fmax(x0, x1), fmax(y0, y1)};
    double dlon = (b.maxx - b.minx) * DEG;
    if (dlon > 20 * DEG) {
        b.miny = -90; /* long east-west segments: give up on a tight bound */
        b.maxy = 90;
        return b;
    }
    double pad = dlon * dlon / 8.0 / DEG;
    b.miny = fmax(-90.0, b.miny - pad);
    b.maxy = fmin(90.0, b.maxy + pad);
    return b;
}

/* Earth-centred coordinates of the line's vertices: the straight distance between two points is
 * never longer than a path between them on the surface, so it bounds geodesic distances from
 * below without any trigonometry per query (see distance.c). */
static void vertices_ecef(const double *coords, size_t npoints, double *xyz)
{
    const double a = 6378137.0, f = 1 / 298.257223563, e2 = f * (2 - f);
    for (size_t i = 0; i < npoints; i++) {
        double lam = coords[2 * i] * DEG, phi = coords[2 * i + 1] * DEG;
        double sp = sin(phi), cp = cos(phi), n = a / sqrt(1 - e2 * sp * sp);
        xyz[3 * i] = n * cp * cos(lam);
        xyz[3 * i + 1] = n * cp * sin(lam);
        xyz[3 * i + 2] = n * (1 - e2) * sp;
    }
}

/* The geodesic is a space curve whose curvature is the ellipsoid's normal curvature along it, at
 * most 1/M_min with M_min = a(1 - e²) the smallest radius of curvature; a curve of length s and
 * curvature at most κ stays within κs²/8 of its chord. Up to 100 km of chord the arc is less than
 * 1 % longer than the chord. Beyond, every point of the geodesic is nearer than half its length
 * (under π/2 times the chord) to one of the ends, so the chord's length is a pad. */
double bzi_geodesic_pad(double chord2)
{
    const double m_min = 6335439.327083;
    if (chord2 > 1e5 * 1e5)
        return sqrt(chord2);
    return 1.0201 * chord2 / (8 * m_min) + 1e-6; /* + rounding of the coordinates */
}

/* The x, y, z boxes of the nodes above the leaves. */
static void build_box3(bzi_line_index *ix)
{
    size_t nseg = ix->nseg;
    for (int l = 1; l < ix->nlevels; l++) {
        bzi_box3 *node = ix->box3 + ix->level_start[l] - nseg;
        const bzi_box3 *child = l > 1 ? ix->box3 + ix->level_start[l - 1] - nseg : NULL;
        for (size_t j = 0; j < ix->level_count[l]; j++) {
            size_t c0, c1;
            bzi_line_index_children(ix, l, j, &c0, &c1);
            bzi_box3 b = {{INFINITY, INFINITY, INFINITY}, {-INFINITY, -INFINITY, -INFINITY}};
            for (size_t c = c0; c < c1; c++) {
                bzi_box3 cb;
                if (child) {
                    cb = child[c];
                } else {
                    const double *p = ix->ecef + 3 * ix->seg_vertex[c], *q = p + 3;
                    double l2 = 0;
                    for (int k = 0; k < 3; k++)
                        l2 += (q[k] - p[k]) * (q[k] - p[k]);
                    double pad = bzi_geodesic_pad(l2);
                    for (int k = 0; k < 3; k++) {
                        cb.min[k] = fmin(p[k], q[k]) - pad;
                        cb.max[k] = fmax(p[k], q[k]) + pad;
                    }
                }
                for (int k = 0; k < 3; k++) {
                    b.min[k] = fmin(b.min[k], cb.min[k]);
                    b.max[k] = fmax(b.max[k], cb.max[k]);
                }
            }
            node[j] = b;
        }
    }
}

/* The capsules of the nodes above the leaves: each from the node's first vertex to its last,
 * wide enough for its children. The straight distance to a segment is convex along a straight
 * path, so a child's chord (or a child capsule's axis) is as near the node's axis as its farther
 * end; a segment's geodesic strays from its chord by at most its pad, a child capsule's contents
 * from its axis by its r. 1 µm per level covers the rounding. */
static void build_capsules(bzi_line_index *ix)
{
    size_t nseg = ix->nseg;
    for (int l = 1; l < ix->nlevels; l++) {
        bzi_capsule *node = ix->cap + ix->level_start[l] - nseg;
        const bzi_capsule *child = l > 1 ? ix->cap + ix->level_start[l - 1] - nseg : NULL;
        for (size_t j = 0; j < ix->level_count[l]; j++) {
            size_t c0, c1;
            bzi_line_index_children(ix, l, j, &c0, &c1);
            const double *a = child ? child[c0].a : ix->ecef + 3 * ix->seg_vertex[c0];
            const double *b = child ? child[c1 - 1].b : ix->ecef + 3 * (ix->seg_vertex[c1 - 1] + 1);
            bzi_capsule cap = {{a[0], a[1], a[2]}, {b[0], b[1], b[2]}, 0.0};
            for (size_t c = c0; c < c1; c++) {
                const double *p = child ? child[c].a : ix->ecef + 3 * ix->seg_vertex[c];
                const double *q = child ? child[c].b : p + 3;
                double wide = child ? child[c].r : 0.0;
                if (!child) {
                    double l2 = 0;
                    for (int k = 0; k < 3; k++)
                        l2 += (q[k] - p[k]) * (q[k] - p[k]);
                    wide = bzi_geodesic_pad(l2);
                }
                double far = fmax(bzi_point_chord_dist(cap.a, cap.b, p),
                                  bzi_point_chord_dist(cap.a, cap.b, q));
                cap.r = fmax(cap.r, far + wide);
            }
            cap.r += 1e-6;
            node[j] = cap;
        }
    }
}

void bzi_line_index_free(bzi_line_index *ix)
{
    if (!ix)
        return;
    free(ix->seg_vertex);
    free(ix->boxes);
    free(ix->ecef);
    free(ix->box3);
    free(ix->cap);
    free(ix);
}

/* How many of each array an index holds (at least one, so that malloc never gets 0). */
typedef struct index_sizes {
    size_t seg_vertex, boxes, ecef, box3; /* box3 also counts the capsules */
} index_sizes;

static index_sizes sizes_of(const bzi_line_index *ix, size_t npoints)
{
    int top = ix->nlevels - 1;
    size_t total = ix->level_start[top] + ix->level_count[top];
    index_sizes sz = {ix->nseg ? ix->nseg : 1, total ? total : 1, npoints ? 3 * npoints : 1,
                      total > ix->nseg ? total - ix->nseg : 1};
    return sz;
}

/* The five arrays of an index, uninitialised; nonzero when one could not be had (the caller
 * frees the index). */
static int alloc_arrays(bzi_line_index *ix, const index_sizes *sz)
{
    ix->seg_vertex = malloc(sz->seg_vertex * sizeof *ix->seg_vertex);
    ix->boxes = malloc(sz->boxes * sizeof *ix->boxes);
    ix->ecef = malloc(sz->ecef * sizeof *ix->ecef);
    ix->box3 = malloc(sz->box3 * sizeof *ix->box3);
    ix->cap = malloc(sz->box3 * sizeof *ix->cap);
    return !ix->seg_vertex || !ix->boxes || !ix->ecef || !ix->box3 || !ix->cap;
}

int bzi_line_index_build(bz_context *ctx, const double *coords, const size_t *part_start,
                         size_t nparts, bzi_line_index **out)
{
    size_t npoints = part_start[nparts];
    size_t nseg = npoints - nparts;
    bzi_line_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return bzi_nomem(ctx, "building the segment index");
    /* Level sizes: ceil(n / BZI_INDEX_FANOUT) per level up to one root. */
    size_t total = 0, n = nseg;
    int levels = 0;
    for (;;) {
        ix->level_start[levels] = total;
        ix->level_count[levels] = n;
        total += n;
        levels++;
        if (n <= 1 || levels == BZI_INDEX_MAX_LEVELS)
            break;
        n = (n + BZI_INDEX_FANOUT - 1) / BZI_INDEX_FANOUT;
    }
    ix->nlevels = levels;
    ix->nseg = nseg;
    index_sizes sz = sizes_of(ix, npoints);
    if (alloc_arrays(ix, &sz)) {
        bzi_line_index_free(ix);
        return bzi_nomem(ctx, "building the segment index");
    }
    size_t k = 0;
    double minx = INFINITY, maxx = -INFINITY;
    for (size_t p = 0; p < nparts; p++) {
        for (size_t v = part_start[p]; v + 1 < part_start[p + 1]; v++) {
            const double *c = coords + 2 * v;
            ix->seg_vertex[k] = v;
            ix->boxes[k] = geodesic_box(c[0], c[1], c[2], c[3]);
            minx = fmin(minx, ix->boxes[k].minx);
            maxx = fmax(maxx, ix->boxes[k].maxx);
            k++;
        }
    }
    ix->lon_mid = nseg ? 0.5 * (minx + maxx) : 0.0;
    vertices_ecef(coords, npoints, ix->ecef);
    build_box3(ix);
    build_capsules(ix);
    for (int l = 1; l < levels; l++) {
        const bzi_segbox *child = ix->boxes + ix->level_start[l - 1];
        bzi_segbox *node = ix->boxes + ix->level_start[l];
        for (size_t j = 0; j < ix->level_count[l]; j++) {
            size_t c0, c1;
            bzi_line_index_children(ix, l, j, &c0, &c1);
            node[j] = child[c0];
            for (size_t c = c0 + 1; c < c1; c++)
                box_extend(&node[j], &child[c]);
        }
    }
    *out = ix;
    return BZ_OK;
}

int bzi_line_index_copy(bz_context *ctx, const bzi_line_index *src, size_t npoints,
                        bzi_line_index **out)
{
    *out = NULL;
    bzi_line_index *ix = malloc(sizeof *ix);
    if (!ix)
        return bzi_nomem(ctx, "copying the segment index");
    *ix = *src;
    index_sizes sz = sizes_of(src, npoints);
    if (alloc_arrays(ix, &sz)) {
        bzi_line_index_free(ix);
        return bzi_nomem(ctx, "copying the segment index");
    }
    memcpy(ix->seg_vertex, src->seg_vertex, sz.seg_vertex * sizeof *ix->seg_vertex);
    memcpy(ix->boxes, src->boxes, sz.boxes * sizeof *ix->boxes);
    memcpy(ix->ecef, src->ecef, sz.ecef * sizeof *ix->ecef);
    memcpy(ix->box3, src->box3, sz.box3 * sizeof *ix->box3);
    memcpy(ix->cap, src->cap, sz.box3 * sizeof *ix->cap);
    *out = ix;
    return BZ_OK;
}

static int boxes_overlap(const bzi_segbox *a, const bzi_segbox *b)
{
    return a->minx <= b->maxx && b->minx <= a->maxx && a->miny <= b->maxy && b->miny <= a->maxy;
}

static int query_rec(const bzi_line_index *ix, int level, size_t node, const bzi_segbox *box,
                     int (*visit)(size_t, void *), void *user)
{
    const bzi_segbox *b = ix->boxes + ix->level_start[level] + node;
    if (!boxes_overlap(b, box))
        return 0;
    if (level == 0)
        return visit(ix->seg_vertex[node], user);
    size_t c0, c1;
    bzi_line_index_children(ix, level, node, &c0, &c1);
    for (size_t c = c0; c < c1; c++) {
        int r = query_rec(ix, level - 1, c, box, visit, user);
        if (r)
            return r;
    }
    return 0;
}

int bzi_line_index_query(const bzi_line_index *ix, const bzi_segbox *box,
                         int (*visit)(size_t seg_vertex, void *user), void *user)
{
    if (!ix || ix->nseg == 0)
        return 0;
    return query_rec(ix, ix->nlevels - 1, 0, box, visit, user);
}

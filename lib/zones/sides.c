/*
 * sides.c — the ground of side A and side B (see sides.h). One algorithm, the steps below
 * (step 1, continuing the ends, is in ends.c; the curves between parts in bisector.c), hence
 * over 600 lines: the edge matching of step 3 and the frames are its own parts.
 *
 * Why not GEOS's single-sided buffer: in GEOS 3.11 it puts lobes on the wrong side of curvy
 * lines and still returns a valid geometry (libgeos#665). Instead the frame (the region, or a
 * lon/lat box that covers everything within reach of the line) is cut by the line itself:
 *  1. every open end of the line is continued along its end azimuth (a geodesic sampled every
 *     EXT_STEP_M) while the end is still the nearest point of the line, and on along the divide
 *     where the sides meet where the line curls back ahead of it (divide.c), until it has left
 *     the frame, or, where that would run far inland, closed off at the nearest point of the
 *     frame's edge (see continue_end), so that the line divides the frame; with several parts,
 *     a continuation ends just past the first curve between parts that it crosses (beyond,
 *     another part's segments decide), is closed off at a curve where that is nearer than the
 *     edge, and an end shared with another part is not continued; a hole of the region does
 *     not stop a continuation;
 *  2. the continued line (its segments densified along their geodesics) and the frame's rings
 *     (and, for a line of several parts, the curves where two parts are equally near, from
 *     bisector.c) are noded together and polygonized into faces;
 *  3. with each face ring turned so that the face is on its left (exterior counter-clockwise,
 *     holes clockwise), ring edges that run along the line in the line's direction vote for
 *     side A (left), edges against it for side B (right), weighted by length; with several
 *     parts only the edges of the face's own part vote (another part's continuation may cross
 *     it): the nearest part of a point inside it, or where that point lies beyond the zones'
 *     reach and the face touches none of that part, the part most of its line edges lie on. A
 *     face touching no line edge (an island) takes the side of the nearest point of the line;
 *  4. each side's faces are merged (a cascaded union, only where two faces of one side share
 *     an edge).
 * Measured: the Ukraine outline (29k vertices) split by the 3,400 km line derived from a
 * DeepState map takes 0.2-0.4 s; split by a synthetic 1,350 km line of 100,000 vertices,
 * 0.4 s (line alone: 0.4 s). Noding and polygonizing the whole region stays cheap at that
 * size, so no corridor trick is needed.
 */
#include "zones/bisector.h"
#include "core/grow.h"
#include "core/coords.h"
#include "zones/ends.h"
#include "zones/sides.h"
#include "core/context.h"
#include "core/progress.h"
#include "geo/geodesic.h"
#include "core/polygon.h"
#include "core/seggrid.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Degrees (~0.1 mm): a face edge whose midpoint is this close to a line segment lies on it. */
#define MATCH_EPS 1e-9

/* ------------------------------------------------------------------------------------------ */
/* Splitting a frame by the line                                                              */
/* ------------------------------------------------------------------------------------------ */

static GEOSGeometry *linestring_of(GEOSContextHandle_t h, const double *xy, size_t n)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, xy, (unsigned)n, 0, 0);
    return cs ? GEOSGeom_createLineString_r(h, cs) : NULL;
}

/* bzi_ring_fn: append the ring to the bzi_geom_list `arg` as a LineString. */
static int push_ring_line(GEOSContextHandle_t h, const GEOSGeometry *ring, void *arg)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    GEOSCoordSequence *copy = cs ? GEOSCoordSeq_clone_r(h, cs) : NULL;
    if (!copy)
        return BZI_E_GEOS;
    return bzi_geom_list_push(h, arg, GEOSGeom_createLineString_r(h, copy));
}

/*
 * The line's segments by their end points. A face edge on the line almost always starts or ends
 * at a vertex of the line (GEOS's noding keeps the input vertices and adds nodes only where the
 * region's edge crosses), so the segments at its ends are the only candidates; the grid, whose
 * cells along a dense line hold a couple of hundred segments each, is asked only when neither
 * end is a vertex. (Measured on the real front: 30 million candidate tests became 0.6 million.)
 */
typedef struct endpoint_hash {
    size_t mask;   /* slots - 1 (a power of two) */
    double *key;   /* x, y per slot */
    size_t *value; /* segment index per slot; SIZE_MAX = empty */
} endpoint_hash;

static size_t point_slot(double x, double y, size_t mask)
{
    uint64_t a, b;
    x += 0.0; /* -0.0 and 0.0 are one point */
    y += 0.0;
    memcpy(&a, &x, sizeof a);
    memcpy(&b, &y, sizeof b);
    uint64_t z = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull + (a << 6) + (a >> 2));
    z ^= z >> 29;
    z *= 0xBF58476D1CE4E5B9ull;
    z ^= z >> 32;
    return (size_t)z & mask;
}

static void endpoint_hash_add(endpoint_hash *eh, double x, double y, size_t seg)
{
    size_t k = point_slot(x, y, eh->mask);
    while (eh->value[k] != SIZE_MAX)
        k = (k + 1) & eh->mask;
    eh->key[2 * k] = x;
    eh->key[2 * k + 1] = y;
    eh->value[k] = seg;
}

/* Both ends of every segment; -1 when memory runs out (the hash is then empty). */
static int endpoint_hash_build(endpoint_hash *eh, const double *seg, size_t nseg)
{
    size_t slots = 16;
    while (slots < 4 * nseg)
        slots *= 2;
    eh->mask = slots - 1;
    eh->key = malloc(2 * slots * sizeof *eh->key);
    eh->value = malloc(slots * sizeof *eh->value);
    if (!eh->key || !eh->value) {
        free(eh->key);
        free(eh->value);
        memset(eh, 0, sizeof *eh);
        return -1;
    }
    for (size_t k = 0; k < slots; k++)
        eh->value[k] = SIZE_MAX;
    for (size_t i = 0; i < nseg; i++) {
        endpoint_hash_add(eh, seg[4 * i], seg[4 * i + 1], i);
        endpoint_hash_add(eh, seg[4 * i + 2], seg[4 * i + 3], i);
    }
    return 0;
}

static void endpoint_hash_free(endpoint_hash *eh)
{
    free(eh->key);
    free(eh->value);
    memset(eh, 0, sizeof *eh);
}

/* visit(arg, i) for every segment with an end at (x, y), until it returns nonzero. */
static int endpoint_hash_query(const endpoint_hash *eh, double x, double y,
                               int (*visit)(void *arg, size_t i), void *arg)
{
    if (!eh->value)
        return 0;
    for (size_t k = point_slot(x, y, eh->mask); eh->value[k] != SIZE_MAX; k = (k + 1) & eh->mask)
        if (eh->key[2 * k] == x && eh->key[2 * k + 1] == y) {
            int r = visit(arg, eh->value[k]);
            if (r)
                return r;
        }
    return 0;
}

/*
 * Matching face edges with line segments. A face edge (p -> q, the face on its left) that lies
 * on line segment i adds its length to `vote` when it runs the segment's way and subtracts it
 * otherwise, and is remembered in `hits` (2i + 1 when along, 2i against). Once the face's side
 * is known, mark_hits records it on that hand of each segment hit (bit 1: A, bit 2: B), to find
 * segments with the same side on both hands. One pass over the face's rings does both.
 */
typedef struct edge_match {
    const double *seg;
    size_t lo, hi; /* only segments lo <= i < hi count (one part of a multi-part line) */
    double mx, my, dx, dy;
    double vote;
    size_t *hits; /* 2i + along, for every face edge on a line segment */
    double *lens; /* and its length */
    size_t nhits, cap, cap_lens;
    int nomem;
} edge_match;

static int match_segment(void *arg, size_t i)
{
    edge_match *m = arg;
    if (i < m->lo || i >= m->hi)
        return 0; /* another part's segment: the face votes by its nearest part */
    const double *s = m->seg + 4 * i;
    double ex = s[2] - s[0], ey = s[3] - s[1];
    double len2 = ex * ex + ey * ey;
    if (!(len2 > 0))
        return 0;
    double rx = m->mx - s[0], ry = m->my - s[1];
    double t = (rx * ex + ry * ey) / len2;
    if (t < 0 || t > 1)
        return 0;
    if (fabs(ex * ry - ey * rx) / sqrt(len2) > MATCH_EPS)
        return 0;
    int along = m->dx * ex + m->dy * ey > 0;
    double len = sqrt(m->dx * m->dx + m->dy * m->dy);
    m->vote += (along ? 1.0 : -1.0) * len;
    if (BZI_GROW(m->hits, m->cap, m->nhits + 1) || BZI_GROW(m->lens, m->cap_lens, m->nhits + 1)) {
        m->nomem = 1;
        return 1; /* stop the query: the caller reports it */
    }
    m->lens[m->nhits] = len;
    m->hits[m->nhits++] = 2 * i + (size_t)along;
    return 1;
}

/* Match every edge of one ring; `face_left_if_ccw` is 1 for an exterior ring, 0 for a hole. */
static int ring_match(GEOSContextHandle_t h, const GEOSGeometry *ring, int face_left_if_ccw,
                      const bzi_seggrid *grid, const endpoint_hash *ends, edge_match *m,
                      bzi_coords *buf)
{
    int ccw = 0;
    int e = bzi_ring_coords(h, ring, buf, &ccw);
    if (e)
        return e;
    unsigned n = (unsigned)(buf->n / 2);
    double sign = ((ccw != 0) == (face_left_if_ccw != 0)) ? 1.0 : -1.0;
    const double *xy = buf->v;
    for (unsigned i = 1; i < n && !m->nomem; i++) {
        const double *p = xy + 2 * (i - 1), *q = xy + 2 * i;
        m->mx = 0.5 * (p[0] + q[0]);
        m->my = 0.5 * (p[1] + q[1]);
        m->dx = sign * (q[0] - p[0]);
        m->dy = sign * (q[1] - p[1]);
        /* a face runs along the line segment after segment, one way or the other */
        size_t last = m->nhits ? m->hits[m->nhits - 1] / 2 : SIZE_MAX;
        if (last != SIZE_MAX &&
            (match_segment(m, last) || (last + 1 < grid->nseg && match_segment(m, last + 1)) ||
             (last > 0 && match_segment(m, last - 1))))
            continue;
        if (!endpoint_hash_query(ends, p[0], p[1], match_segment, m) &&
            !endpoint_hash_query(ends, q[0], q[1], match_segment, m))
            bzi_seggrid_query(grid, m->mx - MATCH_EPS, m->my - MATCH_EPS, m->mx + MATCH_EPS,
                              m->my + MATCH_EPS, match_segment, m);
    }
    return m->nomem ? BZI_E_NOMEM : 0;
}

/* *side = +1: the face is side A, -1: side B, 0: it touches no line edge; m->hits receives the
 * line segments it touches. */
static int face_side(GEOSContextHandle_t h, const GEOSGeometry *face, const bzi_seggrid *grid,
                     const endpoint_hash *ends, edge_match *m, bzi_coords *buf, int *side)
{
    m->seg = grid->seg;
    m->vote = 0;
    m->nhits = 0;
    int e = ring_match(h, GEOSGetExteriorRing_r(h, face), 1, grid, ends, m, buf);
    int nh = GEOSGetNumInteriorRings_r(h, face);
    for (int r = 0; r < nh && !e; r++)
        e = ring_match(h, GEOSGetInteriorRingN_r(h, face, r), 0, grid, ends, m, buf);
    *side = m->vote > 0 ? 1 : m->vote < 0 ? -1 : 0;
    return e;
}

/* Record side s (+1 A, -1 B) on the hand of every segment the face touched: hands[i] is the
 * segment's left, hands[nseg + i] its right. */
static void mark_hits(const edge_match *m, int s, unsigned char *hands, size_t nseg)
{
    unsigned char mark = s > 0 ? 1 : 2;
    for (size_t k = 0; k < m->nhits; k++) {
        size_t i = m->hits[k] / 2;
        hands[(m->hits[k] & 1) ? i : nseg + i] |= mark;
    }
}

/*
 * Merge one side's faces (taken) into a valid MultiPolygon. Faces of a polygonization overlap
 * nowhere, so unless two of them share an edge (`shared`: some line segment has this side on
 * both hands) they already form a valid MultiPolygon and the union, the costliest step on a
 * 100k-vertex line, is skipped. (Polygonize builds each face from minimal edge rings, which are
 * simple; checking GEOSisValid here anyway would cost 0.3 s on such a line.)
 */
static int merge_faces(GEOSContextHandle_t h, bzi_geom_list *faces, int shared, GEOSGeometry **out)
{
    GEOSGeometry *coll = bzi_geom_list_to_multipolygon(h, faces);
    *out = coll;
    if (!coll)
        return BZI_E_GEOS;
    if (!shared)
        return 0;
    /* GEOS 3.11's GEOSCoverageUnion would fit (the faces share edges exactly) but measured
     * 10-25x slower than the cascaded union on the Ukraine outline (0.7 s against 0.03 s). */
    *out = NULL;
    GEOSGeometry *u = GEOSUnaryUnion_r(h, coll);
    GEOSGeom_destroy_r(h, coll);
    if (!u)
        return BZI_E_GEOS;
    int e = bzi_valid_multipolygon_h(h, u, out);
    GEOSGeom_destroy_r(h, u);
    return e;
}

/* The continued line and the frame's rings as one MultiLineString; segs receives every
 * segment of the continued line (x0, y0, x1, y1). */
static int frame_linework(bz_context *ctx, const bz_line *line, const GEOSGeometry *frame,
                          const bzi_continuation *pframe, double reach_m, bzi_coords *segs,
                          size_t *part_end, GEOSGeometry **all)
{
    GEOSContextHandle_t h = ctx->geos;
    bzi_geom_list edges = {0};
    bzi_coords part = {0};
    GEOSGeometry *bis = NULL;
    const GEOSPreparedGeometry *cuts = NULL;
    int st = BZ_OK;
    /* every ring of the region, as a LineString */
    int e = bzi_each_ring(h, frame, push_ring_line, &edges);
    if (e) {
        st = bzi_fail(ctx, e, "taking the rings of the region");
        goto done;
    }
    size_t nparts = bz_line_num_parts(line);
    if (nparts > 1) { /* the ground between parts is cut where they are equally near */
        double box[4];
        if (!GEOSGeom_getXMin_r(h, frame, &box[0]) || !GEOSGeom_getYMin_r(h, frame, &box[1]) ||
            !GEOSGeom_getXMax_r(h, frame, &box[2]) || !GEOSGeom_getYMax_r(h, frame, &box[3])) {
            st = bzi_geos_error(ctx, "measuring the frame");
            goto done;
        }
        st = bzi_part_bisectors(ctx, line, reach_m, box, &bis);
        if (st)
            goto done;
        if (!(cuts = GEOSPrepare_r(h, bis))) {
            st = bzi_geos_error(ctx, "preparing the curves between the line's parts");
            goto done;
        }
    }
    bzi_continuation cont = *pframe;
    cont.cuts = cuts;
    cont.any_cut = bis && GEOSGetNumGeometries_r(h, bis) > 0;
    for (size_t k = 0; k < nparts; k++) {
        st = bzi_continued_part(ctx, line, k, &cont, &part);
        if (st)
            goto done;
        size_t n = part.n / 2;
        for (size_t i = 0; i + 1 < n; i++) {
            const double *a = part.v + 2 * i;
            if (bzi_coords_push2(segs, a[0], a[1]) || bzi_coords_push2(segs, a[2], a[3])) {
                st = bzi_nomem(ctx, "indexing the line's segments");
                goto done;
            }
        }
        if ((e = bzi_geom_list_push(h, &edges, linestring_of(h, part.v, n)))) {
            st = bzi_fail(ctx, e, "building the continued line");
            goto done;
        }
        part_end[k] = segs->n / 4;
    }
    if (bis) {
        int nb = GEOSGetNumGeometries_r(h, bis);
        for (int i = 0; i < nb && !e; i++)
            e = bzi_geom_list_push(h, &edges, GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, bis, i)));
        if (e) {
            st = bzi_fail(ctx, e, "adding the curves between the line's parts");
            goto done;
        }
    }
    *all = GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, edges.v, (unsigned)edges.n);
    free(edges.v); /* the collection owns the edges, or GEOS freed them (geos_c.h) */
    memset(&edges, 0, sizeof edges);
    if (!*all)
        st = bzi_geos_error(ctx, "collecting the line and the region's edges");
done:
    if (cuts)
        GEOSPreparedGeom_destroy_r(h, cuts);
    if (bis)
        GEOSGeom_destroy_r(h, bis);
    bzi_geom_list_clear(h, &edges);
    free(part.v);
    return st;
}

/* Node the linework and polygonize it: the faces of the frame. GEOSNode is the fast noder;
 * `robust` uses the union of the linework instead (OverlayNG, which falls back on snapping
 * when floating-point noding goes wrong), as does a GEOSNode that fails: a real border line
 * that runs within a hair of another source's outline (Natural Earth's Russia-Ukraine line in
 * world-atlas's two countries) made it throw "iterated noding failed to converge". */
static int polygonize_linework(bz_context *ctx, const GEOSGeometry *all, int robust,
                               GEOSGeometry **faces)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *noded = robust ? NULL : GEOSNode_r(h, all);
    if (!noded)
        noded = GEOSUnaryUnion_r(h, all);
    if (!noded)
        return bzi_geos_error(ctx, "noding the line with the region's edges");
    const GEOSGeometry *arr[1] = {noded};
    *faces = GEOSPolygonize_r(h, arr, 1);
    GEOSGeom_destroy_r(h, noded);
    return *faces ? BZ_OK : bzi_geos_error(ctx, "polygonizing the region cut by the line");
}

/* What classifying the faces needs and collects. */
typedef struct face_sorter {
    const bz_line *line;
    const GEOSPreparedGeometry *frame;
    const bzi_seggrid *grid;
    const endpoint_hash *ends;
    unsigned char *hands; /* per line segment: sides on its left, then on its right */
    size_t nseg;
    size_t nparts;    /* parts of the line; with more than one a face votes by its nearest */
    size_t *part_end; /* segments of parts 0..k end before part_end[k] */
    double reach_m;   /* the zones reach no farther from the line */
    bzi_coords ringbuf;
    edge_match match;      /* the current face's matches (its buffer is reused) */
    bzi_geom_list side[2]; /* the faces of A and of B */
    double covered;        /* planar area of the faces kept (degrees²) */
} face_sorter;

/* *s (+1 A, -1 B) set to the side that most of FACE_GRID x FACE_GRID points spread over the
 * face have by their nearest point of the line, of those within reach_m of it (the side of
 * ground no zone reaches does not matter: around a pole, or round the far side of a frame that
 * spans every longitude, it may be the other); left as it is on a tie or with no such point. */
#define FACE_GRID 7
static int face_majority(bz_context *ctx, const bz_line *line, const GEOSGeometry *face,
                         double reach_m, int *s)
{
    GEOSContextHandle_t h = ctx->geos;
    double x0, x1, y0, y1;
    if (!GEOSGeom_getXMin_r(h, face, &x0) || !GEOSGeom_getXMax_r(h, face, &x1) ||
        !GEOSGeom_getYMin_r(h, face, &y0) || !GEOSGeom_getYMax_r(h, face, &y1))
        return bzi_geos_error(ctx, "reading a face's extent");
    const GEOSPreparedGeometry *pf = GEOSPrepare_r(h, face);
    if (!pf)
        return bzi_geos_error(ctx, "preparing a face");
    int vote = 0, st = BZ_OK;
    for (int i = 0; i < FACE_GRID && st == BZ_OK; i++) {
        for (int j = 0; j < FACE_GRID && st == BZ_OK; j++) {
            double x = x0 + (x1 - x0) * (i + 0.5) / FACE_GRID;
            double y = y0 + (y1 - y0) * (j + 0.5) / FACE_GRID;
            GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
            char in = pt ? GEOSPreparedContains_r(h, pf, pt) : 2;
            GEOSGeom_destroy_r(h, pt);
            if (in == 2) {
                st = bzi_geos_error(ctx, "testing a point of a face");
            } else if (in) {
                bz_nearest nr;
                st = bz_line_distance(&nr, ctx, line, x, y);
                if (nr.distance_m <= reach_m)
                    vote += nr.side > 0 ? 1 : nr.side < 0 ? -1 : 0;
            }
        }
    }
    GEOSPreparedGeom_destroy_r(h, pf);
    if (st == BZ_OK && vote != 0)
        *s = vote > 0 ? 1 : -1;
    return st;
}

/* The part a face belongs to (fs->match holds its edges on every part's segments): *part (its
 * inner point's nearest part on entry) where some edge lies on it or where `trust` (the inner
 * point lies within the zones' reach), else the part most of the edges' length lies on;
 * *only = 1 when no edge lies on another part. 0, or -1 when memory runs out. */
static int face_part(face_sorter *fs, int trust, size_t *part, int *only)
{
    const edge_match *m = &fs->match;
    *only = 1;
    if (m->nhits == 0)
        return 0;
    double *len = calloc(fs->nparts, sizeof *len);
    if (!len)
        return -1;
    for (size_t k = 0; k < m->nhits; k++) {
        size_t i = m->hits[k] / 2, lo = 0, hi = fs->nparts - 1;
        while (lo < hi) { /* the part of segment i */
            size_t mid = lo + (hi - lo) / 2;
            if (fs->part_end[mid] <= i)
                lo = mid + 1;
            else
                hi = mid;
        }
        len[lo] += m->lens[k];
    }
    if (!(len[*part] > 0) && !trust) {
        size_t best = 0;
        for (size_t k = 1; k < fs->nparts; k++)
            if (len[k] > len[best])
                best = k;
        *part = best;
    }
    for (size_t k = 0; k < fs->nparts; k++)
        if (k != *part && len[k] > 0)
            *only = 0;
    free(len);
    return 0;
}

/* Put every face inside the frame on its side (see the top of the file). */
static int sort_faces(bz_context *ctx, const GEOSGeometry *faces, face_sorter *fs)
{
    GEOSContextHandle_t h = ctx->geos;
    int nf = GEOSGetNumGeometries_r(h, faces);
    for (int i = 0; i < nf; i++) {
        int cancel = bzi_progress_poll(ctx, 0.5 + 0.4 * i / nf); /* a zone computation's */
        if (cancel)
            return cancel;
        const GEOSGeometry *face = GEOSGetGeometryN_r(h, faces, i);
        GEOSGeometry *inner = GEOSPointOnSurface_r(h, face);
        if (!inner)
            return bzi_geos_error(ctx, "finding a point inside a face");
        double x = 0, y = 0, area = 0;
        GEOSGeomGetX_r(h, inner, &x);
        GEOSGeomGetY_r(h, inner, &y);
        char in = GEOSPreparedIntersects_r(h, fs->frame, inner);
        GEOSGeom_destroy_r(h, inner);
        if (in == 2)
            return bzi_geos_error(ctx, "testing a face against the region");
        if (!in)
            continue; /* a hole of the region */
        bz_nearest near;
        int have_near = 0;
        fs->match.lo = 0;
        fs->match.hi = SIZE_MAX;
        int s = 0, e = 0;
        if (fs->nparts > 1) {
            /* The face lies on one side of every curve between parts: its own part's segments
             * alone decide (a continuation of another part may cross it). That part is its inner
             * point's nearest part where the face's edges lie on that part or the inner point
             * lies within the zones' reach; else the part whose segments most of its edges on the
             * line lie on. Beyond that reach the curves are only drawn apart, not put on the
             * bisector, and a point's nearest part says little: the inner point of a long face
             * between two curves (40 km long at d = 10 km) lay in the next part's cell there,
             * whose segments the face never touches (seed 4 case 1639 of the oracle; the face's
             * edges touched its own part and, for a metre where two continuations overlap
             * across the curve, the next). */
            int st = bz_line_distance(&near, ctx, fs->line, x, y);
            if (st)
                return st;
            have_near = 1;
            e = face_side(h, face, fs->grid, fs->ends, &fs->match, &fs->ringbuf, &s);
            size_t part = near.part;
            int only = 1;
            if (!e) {
                st = face_part(fs, near.distance_m <= fs->reach_m, &part, &only);
                if (st)
                    return bzi_nomem(ctx, "sorting the faces by part");
            }
            if (!e && fs->match.nhits && part != near.part)
                have_near = 0; /* its inner point lies beyond its part's cell */
            if (!e && !only) { /* its own part's edges alone vote */
                fs->match.lo = part ? fs->part_end[part - 1] : 0;
                fs->match.hi = fs->part_end[part];
                e = face_side(h, face, fs->grid, fs->ends, &fs->match, &fs->ringbuf, &s);
            }
        } else {
            e = face_side(h, face, fs->grid, fs->ends, &fs->match, &fs->ringbuf, &s);
        }
        /* A face lies on one side of every curve between parts, so its edges along its nearest
         * part and its inner point's nearest point agree on its side. Where they do not, the
         * linework left the face open to the part's other hand (a 250 m hook of the DeepState
         * front with both ends at the border: the edges gave 15 km^2 outside the hook to the
         * hook's inside), and the side most of the face within the zones' reach has by the
         * definition is taken. An inner point beyond that reach says nothing: a face that
         * spans every longitude round a pole has the other side there by the definition (seed
         * 4 case 226: 2e6 km^2 given to the wrong side). */
        if (!e && have_near && s != 0 && near.side != 0 && (near.side < 0) != (s < 0) &&
            near.distance_m <= fs->reach_m) {
            int st = face_majority(ctx, fs->line, face, fs->reach_m, &s);
            if (st)
                return st;
        }
        if (!e && s != 0) /* mark the face's side along the line: is merging needed? */
            mark_hits(&fs->match, s, fs->hands, fs->nseg);
        if (e)
            return bzi_fail(ctx, e, "reading a face's rings");
        if (s == 0) { /* an island: the side of the nearest point of the line */
            int st =
                have_near || fs->nparts > 1 ? BZ_OK : bz_line_distance(&near, ctx, fs->line, x, y);
            if (st)
                return st;
            s = near.side < 0 ? -1 : 1;
        }
        GEOSArea_r(h, face, &area);
        fs->covered += area;
        if ((e = bzi_geom_list_push(h, &fs->side[s > 0 ? 0 : 1], GEOSGeom_clone_r(h, face))))
            return bzi_fail(ctx, e, "collecting the faces of a side");
    }
    return BZ_OK;
}

/*
 * The frame with its holes filled (*out NULL where it has none). The line's ends are continued
 * across a hole as across land, and closed off at the frame's outer edge, not at a hole's: a
 * continuation that ended in a hole tied the hole's ring to the line and to nothing else, so
 * the two sides of the line met round the far side of the hole in one face (seed 4 case 36 of
 * the oracle: 154 km^2 of a 5 km zone on the wrong side, and right before only because another
 * part's continuation happened to run into the same hole). The faces inside a hole are left
 * out all the same (sort_faces).
 */
static int filled_frame(bz_context *ctx, const GEOSGeometry *frame, GEOSGeometry **out)
{
    GEOSContextHandle_t h = ctx->geos;
    *out = NULL;
    int n = GEOSGetNumGeometries_r(h, frame), holes = 0;
    for (int i = 0; i < n; i++)
        holes += GEOSGetNumInteriorRings_r(h, GEOSGetGeometryN_r(h, frame, i)) > 0;
    if (!holes)
        return BZ_OK;
    bzi_geom_list shells = {0};
    int e = 0;
    for (int i = 0; i < n && !e; i++) {
        const GEOSGeometry *ring = GEOSGetExteriorRing_r(h, GEOSGetGeometryN_r(h, frame, i));
        GEOSGeometry *copy = ring ? GEOSGeom_clone_r(h, ring) : NULL;
        GEOSGeometry *poly = copy ? GEOSGeom_createPolygon_r(h, copy, NULL, 0) : NULL;
        e = bzi_geom_list_push(h, &shells, poly);
    }
    GEOSGeometry *coll = e ? NULL : bzi_geom_list_to_multipolygon(h, &shells);
    bzi_geom_list_clear(h, &shells);
    /* an island in another polygon's hole lies inside that polygon's shell: the union */
    *out = coll ? GEOSUnaryUnion_r(h, coll) : NULL;
    if (coll)
        GEOSGeom_destroy_r(h, coll);
    if (!*out)
        return e ? bzi_fail(ctx, e, "filling the region's holes")
                 : bzi_geos_error(ctx, "filling the region's holes");
    return BZ_OK;
}

/* Split `frame` (a valid MultiPolygon) by the line into the part left (A) and right (B). */
static int split_frame(bz_context *ctx, const bz_line *line, const GEOSGeometry *frame,
                       double max_m, double reach_m, GEOSGeometry **ground_a,
                       GEOSGeometry **ground_b)
{
    GEOSContextHandle_t h = ctx->geos;
    int st = BZ_OK;
    bzi_coords segs = {0};
    bzi_seggrid grid = {0};
    endpoint_hash ends = {0};
    GEOSGeometry *all = NULL, *faces = NULL;
    face_sorter fs;
    memset(&fs, 0, sizeof fs);
    fs.line = line;
    fs.grid = &grid;
    fs.ends = &ends;
    const GEOSPreparedGeometry *pframe = GEOSPrepare_r(h, frame);
    if (!pframe)
        return bzi_geos_error(ctx, "preparing the region");
    fs.frame = pframe;
    GEOSGeometry *edge = GEOSBoundary_r(h, frame);
    if (!edge) {
        GEOSPreparedGeom_destroy_r(h, pframe);
        return bzi_geos_error(ctx, "taking the region's edge");
    }
    /* The line's ends are continued through the region's holes (see filled_frame). */
    GEOSGeometry *filled = NULL, *filled_edge = NULL;
    const GEOSPreparedGeometry *pfilled = NULL;
    st = filled_frame(ctx, frame, &filled);
    if (!st && filled) {
        pfilled = GEOSPrepare_r(h, filled);
        filled_edge = pfilled ? GEOSBoundary_r(h, filled) : NULL;
        if (!filled_edge)
            st = bzi_geos_error(ctx, "taking the edge of the region with its holes filled");
    }
    bzi_continuation cont = {filled_edge ? pfilled : pframe,
                             filled_edge ? filled_edge : edge,
                             max_m,
                             reach_m,
                             NULL,
                             0,
                             line};
    if (st)
        goto done;

    fs.nparts = bz_line_num_parts(line);
    fs.reach_m = reach_m;
    fs.part_end = calloc(fs.nparts, sizeof *fs.part_end);
    if (!fs.part_end) {
        st = bzi_nomem(ctx, "indexing the line's segments");
        goto done;
    }
    st = frame_linework(ctx, line, frame, &cont, reach_m, &segs, fs.part_end, &all);
    if (!st)
        st = bzi_progress_poll(ctx, 0.2);
    if (st)
        goto done;
    fs.nseg = segs.n / 4;
    fs.hands = calloc(2 * fs.nseg + 1, 1);
    if (!fs.hands || bzi_seggrid_build(&grid, segs.v, fs.nseg) ||
        endpoint_hash_build(&ends, segs.v, fs.nseg)) {
        st = bzi_nomem(ctx, "indexing the line's segments");
        goto done;
    }
    double frame_area = 0;
    GEOSArea_r(h, frame, &frame_area);
    /* The kept faces tile the frame exactly. If floating-point noding lost a face (GEOSNode
     * does not snap), their areas fall short: node again the robust way. */
    for (int robust = 0; robust < 2; robust++) {
        if (faces)
            GEOSGeom_destroy_r(h, faces);
        faces = NULL;
        bzi_geom_list_clear(h, &fs.side[0]);
        bzi_geom_list_clear(h, &fs.side[1]);
        memset(fs.hands, 0, 2 * fs.nseg);
        fs.covered = 0;
        st = polygonize_linework(ctx, all, robust, &faces);
        if (!st)
            st = bzi_progress_poll(ctx, 0.5);
        if (!st)
            st = sort_faces(ctx, faces, &fs);
        if (st)
            goto done;
        if (fabs(fs.covered - frame_area) <= 1e-9 * frame_area)
            break;
        if (robust) {
            st = bzi_error(ctx, BZ_ERR_GEOS,
                           "cutting the region by the line lost %.3g %% of its area in GEOS",
                           100 * (1 - fs.covered / frame_area));
            goto done;
        }
    }
    st = bzi_progress_poll(ctx, 0.9);
    if (st)
        goto done;
    unsigned char shared = 0;
    for (size_t i = 0; i < fs.nseg; i++)
        shared |= fs.hands[i] & fs.hands[fs.nseg + i];
    if (fs.nparts > 1)
        shared = 3; /* faces of one side may also meet along a curve between parts */
    int e = merge_faces(h, &fs.side[0], shared & 1, ground_a);
    if (!e)
        e = merge_faces(h, &fs.side[1], shared & 2, ground_b);
    if (e) {
        if (*ground_a)
            GEOSGeom_destroy_r(h, *ground_a);
        *ground_a = *ground_b = NULL;
        st = bzi_fail(ctx, e, "merging the faces of a side");
    }
done:
    bzi_geom_list_clear(h, &fs.side[0]);
    bzi_geom_list_clear(h, &fs.side[1]);
    if (faces)
        GEOSGeom_destroy_r(h, faces);
    if (all)
        GEOSGeom_destroy_r(h, all);
    bzi_seggrid_free(&grid);
    endpoint_hash_free(&ends);
    free(segs.v);
    free(fs.ringbuf.v);
    free(fs.match.hits);
    free(fs.match.lens);
    free(fs.hands);
    free(fs.part_end);
    GEOSGeom_destroy_r(h, edge);
    GEOSPreparedGeom_destroy_r(h, pframe);
    if (filled_edge)
        GEOSGeom_destroy_r(h, filled_edge);
    if (pfilled)
        GEOSPreparedGeom_destroy_r(h, pfilled);
    if (filled)
        GEOSGeom_destroy_r(h, filled);
    return st;
}

/* Spherical great-circle distance (m) between two lon/lat points: only a cheap filter. */
static double sphere_m(const double *p, const double *q)
{
    const double r = 3.14159265358979323846 / 180.0;
    double sy = sin(0.5 * (q[1] - p[1]) * r), sx = sin(0.5 * (q[0] - p[0]) * r);
    double a = sy * sy + cos(p[1] * r) * cos(q[1] * r) * sx * sx;
    return 2.0 * 6371008.8 * asin(sqrt(fmin(1.0, a)));
}

/* Widen [*miny, *maxy] by the latitudes a segment's geodesic reaches between its vertices. A
 * geodesic bulges poleward of its end points (by degrees over a long segment at high latitude),
 * so vertex bounds alone would leave ground beside its middle outside both sides. Samples
 * every FRAME_STEP_M; between samples the geodesic strays from their latitude by far less than
 * the frame's margin. Longitude runs monotonically along a segment, so needs no samples. */
#define FRAME_STEP_M 1000.0
static void segment_lat_bounds(const struct geod_geodesic *g, const double *p, const double *q,
                               double *miny, double *maxy)
{
    if (sphere_m(p, q) < FRAME_STEP_M)
        return; /* a bulge of millimetres */
    struct geod_geodesicline gl;
    geod_inverseline(&gl, g, p[1], p[0], q[1], q[0], 0);
    size_t n = (size_t)ceil(gl.s13 / FRAME_STEP_M);
    for (size_t i = 1; i < n; i++) {
        double lat = 0.0;
        geod_position(&gl, gl.s13 * (double)i / (double)n, &lat, NULL, NULL);
        *miny = fmin(*miny, lat);
        *maxy = fmax(*maxy, lat);
    }
}

/* A lon/lat box covering every point within reach_m of the line (with room to spare): of its
 * geodesics, not only of its vertices. */
static int reach_frame(bz_context *ctx, const bz_line *line, double reach_m, GEOSGeometry **out)
{
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    size_t nparts = bz_line_num_parts(line);
    for (size_t k = 0; k < nparts; k++) {
        size_t n = 0;
        const double *p = bz_line_part_coords(line, k, &n);
        for (size_t i = 0; i < n; i++) {
            minx = fmin(minx, p[2 * i]);
            maxx = fmax(maxx, p[2 * i]);
            miny = fmin(miny, p[2 * i + 1]);
            maxy = fmax(maxy, p[2 * i + 1]);
            if (i > 0)
                segment_lat_bounds(&ctx->geod, p + 2 * (i - 1), p + 2 * i, &miny, &maxy);
        }
    }
    double d = reach_m * 1.05 + 1000.0;
    /* A degree of latitude is at least 110.57 km and a degree of longitude at latitude phi at
     * least 111.32 km * cos(phi): dividing by smaller figures errs on the large side. */
    double dlat = d / 110000.0;
    miny = fmax(miny - dlat, -89.99);
    maxy = fmin(maxy + dlat, 89.99);
    double c = cos(fmax(fabs(miny), fabs(maxy)) * (3.14159265358979323846 / 180.0));
    double dlon = d / (111000.0 * c);
    if (!(dlon < 180.0) || maxx - minx + 2 * dlon > 360.0) {
        double mid = 0.5 * (minx + maxx);
        minx = mid - 180.0;
        maxx = mid + 180.0;
    } else {
        minx -= dlon;
        maxx += dlon;
    }
    const double box[10] = {minx, miny, maxx, miny, maxx, maxy, minx, maxy, minx, miny};
    GEOSContextHandle_t h = ctx->geos;
    GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, box, 5, 0, 0);
    GEOSGeometry *ring = cs ? GEOSGeom_createLinearRing_r(h, cs) : NULL;
    GEOSGeometry *poly = ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
    if (!poly)
        return bzi_geos_error(ctx, "building the frame");
    int e = bzi_multipolygon_of(h, poly, out);
    GEOSGeom_destroy_r(h, poly);
    return e ? bzi_fail(ctx, e, "building the frame") : BZ_OK;
}

static int territory_grounds(bz_context *ctx, const GEOSGeometry *region,
                             const GEOSGeometry *territory, GEOSGeometry **ground_a,
                             GEOSGeometry **ground_b)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *r = NULL, *t = NULL, *a = NULL, *b = NULL;
    /* both valid: checked where they entered (bzi_check_valid), and framing keeps them so */
    int e = bzi_multipolygon_of(h, region, &r);
    if (!e)
        e = bzi_multipolygon_of(h, territory, &t);
    int st = e ? bzi_fail(ctx, e, "reading the region's and territory's polygons") : BZ_OK;
    if (!st) {
        a = GEOSIntersection_r(h, t, r);
        b = a ? GEOSDifference_r(h, r, t) : NULL;
        if (!b)
            st = bzi_geos_error(ctx, "intersecting the territory with the region");
    }
    if (!st)
        st = bzi_valid_multipolygon(ctx, a, "tidying side A's ground", ground_a);
    if (!st)
        st = bzi_valid_multipolygon(ctx, b, "tidying side B's ground", ground_b);
    if (st && *ground_a) {
        GEOSGeom_destroy_r(h, *ground_a);
        *ground_a = NULL;
    }
    GEOSGeometry *tmp[4] = {r, t, a, b};
    for (int i = 0; i < 4; i++)
        if (tmp[i])
            GEOSGeom_destroy_r(h, tmp[i]);
    return st;
}

int bzi_side_grounds(bz_context *ctx, const bz_line *line, const GEOSGeometry *region,
                     const GEOSGeometry *territory, double reach_m, GEOSGeometry **ground_a,
                     GEOSGeometry **ground_b)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!ground_a || !ground_b)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "side grounds: NULL output");
    *ground_a = *ground_b = NULL;
    GEOSContextHandle_t h = ctx->geos;
    if (region && !bzi_is_polygonal(h, region))
        return bzi_error(ctx, BZ_ERR_TYPE, "the region must be polygonal, got a %s",
                         bzi_geom_type_name(h, region));
    if (territory) {
        if (!bzi_is_polygonal(h, territory))
            return bzi_error(ctx, BZ_ERR_TYPE, "the territory must be polygonal, got a %s",
                             bzi_geom_type_name(h, territory));
        if (!region)
            return bzi_error(ctx, BZ_ERR_ARGUMENT,
                             "a territory needs a region (side B is the region minus it)");
        return territory_grounds(ctx, region, territory, ground_a, ground_b);
    }
    if (!line)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "side grounds: neither a line nor a territory");
    if (!(reach_m >= 0) || !isfinite(reach_m))
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "side grounds: reach must be >= 0 m, got %g",
                         reach_m);
    GEOSGeometry *frame = NULL;
    int st = BZ_OK;
    if (region) { /* valid: checked where it entered (bzi_check_valid); framing keeps it so */
        int e = bzi_multipolygon_of(h, region, &frame);
        st = e ? bzi_fail(ctx, e, "reading the region's polygons") : BZ_OK;
    } else {
        st = reach_frame(ctx, line, reach_m, &frame);
    }
    if (st)
        return st;
    /* Within a region a continuation runs along the end direction as far as the zones can
     * reach (sides.h); the box of the line-alone form is left long before that anyway. */
    double max_m = region ? reach_m * 1.05 + 1000.0 : INFINITY;
    st = split_frame(ctx, line, frame, max_m, reach_m, ground_a, ground_b);
    GEOSGeom_destroy_r(h, frame);
    return st;
}

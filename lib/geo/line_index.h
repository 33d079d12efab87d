/* geo/line_index.h — a static segment index (packed R-tree) over a line's parts (line_index.c).
 * It reads only the coordinate arrays, so it depends on nothing but core/. */
#ifndef BZ_GEO_LINE_INDEX_H
#define BZ_GEO_LINE_INDEX_H

#include "core/context.h"
#include <math.h>
#include <stddef.h>

/* One segment box of a line's spatial index (see line.c / distance.c). */
typedef struct bzi_segbox {
    double minx, miny, maxx, maxy;
} bzi_segbox;

/* A box in Earth-centred x, y, z (metres) that holds a node's geodesics, not only its chords. */
typedef struct bzi_box3 {
    double min[3], max[3];
} bzi_box3;

/* A capsule in Earth-centred x, y, z (metres): every point within r of the segment a-b. A node's
 * capsule runs from its first vertex to its last and holds its geodesics: along a smooth line it
 * is far tighter than the node's box, which an oblique run of line fills corner to corner. */
typedef struct bzi_capsule {
    double a[3], b[3], r;
} bzi_capsule;

#define BZI_INDEX_FANOUT 16
#define BZI_INDEX_MAX_LEVELS 24

/* The index over every segment of every part (read-only once built, so threads may share it).
 * A segment is the geodesic between its two vertices; its box covers the geodesic's bow. */
typedef struct bzi_line_index {
    size_t nseg;
    size_t *seg_vertex; /* global vertex index (into the coords) of each leaf's start: leaves
                           are the segments in line order, so the segment from vertex v of part
                           p is leaf v - p */
    int nlevels;        /* level 0 = leaves, nlevels - 1 = the root (one node) */
    size_t level_start[BZI_INDEX_MAX_LEVELS];
    size_t level_count[BZI_INDEX_MAX_LEVELS];
    bzi_segbox *boxes; /* every level, leaves first */
    double *ecef;      /* every vertex on the WGS84 ellipsoid in Earth-centred x, y, z (metres) */
    bzi_box3 *box3;    /* the same nodes in x, y, z, leaves left out: level l >= 1 starts at
                          level_start[l] - nseg */
    bzi_capsule *cap;  /* the same nodes' capsules, indexed as box3 */
    double lon_mid;    /* middle of the line's longitude range: queries are unwrapped to it */
} bzi_line_index;

/* The children of node `node` of level `level` >= 1: nodes [*c0, *c1) of level - 1. */
static inline void bzi_line_index_children(const bzi_line_index *ix, int level, size_t node,
                                           size_t *c0, size_t *c1)
{
    size_t n = ix->level_count[level - 1];
    *c0 = node * BZI_INDEX_FANOUT;
    *c1 = *c0 + BZI_INDEX_FANOUT < n ? *c0 + BZI_INDEX_FANOUT : n;
}

/* Build the index of nparts parts of lon/lat pairs `coords` (part p holds the points
 * part_start[p] .. part_start[p + 1] - 1) into *out. The caller frees it with
 * bzi_line_index_free (which accepts NULL). */
int bzi_line_index_build(bz_context *ctx, const double *coords, const size_t *part_start,
                         size_t nparts, bzi_line_index **out);
void bzi_line_index_free(bzi_line_index *index);
/* A deep copy of an index built over npoints vertices (the same as building it again over the
 * same coordinates, without the geodesics); the caller frees it with bzi_line_index_free. */
int bzi_line_index_copy(bz_context *ctx, const bzi_line_index *src, size_t npoints,
                        bzi_line_index **out);
/* How far (metres) the geodesic between two vertices strays at most from their chord, given the
 * chord's squared length (Earth-centred). */
double bzi_geodesic_pad(double chord2);
/* The straight distance (metres) from point p to the segment a-b, all three Earth-centred. */
static inline double bzi_point_chord_dist(const double *a, const double *b, const double *p)
{
    double ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2];
    double l2 = ux * ux + uy * uy + uz * uz;
    double wx = p[0] - a[0], wy = p[1] - a[1], wz = p[2] - a[2];
    double t = l2 > 0 ? (wx * ux + wy * uy + wz * uz) / l2 : 0;
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    double qx = wx - t * ux, qy = wy - t * uy, qz = wz - t * uz;
    return sqrt(qx * qx + qy * qy + qz * qz);
}
/* Call visit(v, user) for every segment whose (geodesic-covering) box overlaps `box`; v is the
 * global index into the coords of the segment's first vertex. Stops at the first nonzero
 * return of visit and returns it; 0 when every segment was visited (or ix is NULL). */
int bzi_line_index_query(const bzi_line_index *ix, const bzi_segbox *box,
                         int (*visit)(size_t v, void *user), void *user);

#endif

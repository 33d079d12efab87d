/* buffer_inward.h — the inward check of a planar piece buffer (implemented in buffer_inward.c). */
#ifndef BZ_BUFFER_INWARD_H
#define BZ_BUFFER_INWARD_H

#include <geos_c.h>
#include <stddef.h>

/* A bounding-circle tree over the segments of a planar polyline, for lower bounds on the
 * distance from a straight edge to the whole polyline. Each node also knows how far its run
 * strays from the chord between its end vertices: a far tighter bound for a run that is nearly
 * straight, as runs of a densely drawn line are. */
typedef struct bzi_seg_node {
    double cx, cy, r;   /* a circle that holds every vertex of segments [lo, hi) */
    double w;           /* every vertex of the run lies within w of the chord lo-hi */
    size_t lo, hi;      /* segments lo .. hi-1 (segment j joins vertices j and j+1) */
    size_t left, right; /* children (0 = leaf; the root is node 0, never a child) */
} bzi_seg_node;

typedef struct bzi_seg_tree {
    const double *px, *py; /* the polyline's vertices (borrowed) */
    size_t npts;
    bzi_seg_node *nodes;
    size_t nnodes, cap;
} bzi_seg_tree;

/* Build the tree over px/py (npts >= 2; the arrays must outlive the tree's use). Reuses
 * t->nodes' memory across calls; 0 on success, -1 when out of memory. */
int bzi_seg_tree_build(bzi_seg_tree *t, const double *px, const double *py, size_t npts);

void bzi_seg_tree_free(bzi_seg_tree *t);

/* Flag (flag[j] = 1, for the polyline's segments j) every segment that some point of some ring
 * (shells and holes) of the polygonal geometry g comes closer to than `limit`. Returns how many
 * were newly flagged (0: the rings keep clear), -1 on a GEOS failure. */
long bzi_rings_flag_close(GEOSContextHandle_t h, const GEOSGeometry *g, const bzi_seg_tree *t,
                          double limit, unsigned char *flag);

/* Squared planar distance from (x, y) to the segment (ax, ay)-(bx, by). */
double bzi_point_segment_dist2(double x, double y, double ax, double ay, double bx, double by);

#endif

/* edge_grid.c — polygon edges as indexed plane segments, for "is this point on the edge?" */
#include "core/edge_grid.h"
#include "core/polygon.h"

#include <stdlib.h>

/* Where ring_segments puts the segments, and a buffer for one ring's points. */
typedef struct edge_walk {
    bzi_coords *segs, ring;
} edge_walk;

/* bzi_ring_fn: append every segment (x0, y0, x1, y1) of the ring to w->segs. */
static int ring_segments(GEOSContextHandle_t h, const GEOSGeometry *rg, void *arg)
{
    edge_walk *w = arg;
    int e = bzi_ring_coords(h, rg, &w->ring, NULL);
    if (e)
        return e;
    const double *v = w->ring.v;
    for (size_t i = 0; i + 3 < w->ring.n; i += 2)
        if (bzi_coords_push2(w->segs, v[i], v[i + 1]) ||
            bzi_coords_push2(w->segs, v[i + 2], v[i + 3]))
            return BZI_E_NOMEM;
    return 0;
}

int bzi_polygon_segments(GEOSContextHandle_t h, const GEOSGeometry *g, bzi_coords *segs)
{
    edge_walk walk = {segs, {NULL, 0, 0}};
    int e = bzi_each_ring(h, g, ring_segments, &walk);
    free(walk.ring.v);
    return e;
}

int bzi_edge_grid_build(GEOSContextHandle_t h, const GEOSGeometry *g, bzi_edge_grid *eg)
{
    *eg = (bzi_edge_grid){{NULL, 0, 0}, {0}};
    int e = bzi_polygon_segments(h, g, &eg->segs);
    if (!e && bzi_seggrid_build(&eg->grid, eg->segs.v, eg->segs.n / 4))
        e = BZI_E_NOMEM;
    if (e)
        bzi_edge_grid_free(eg);
    return e;
}

/* The point being tested and the squared tolerance. */
typedef struct near_test {
    const double *seg;
    double x, y, tol2;
} near_test;

static int segment_is_near(void *arg, size_t i)
{
    const near_test *t = arg;
    const double *s = t->seg + 4 * i;
    double dx = s[2] - s[0], dy = s[3] - s[1];
    double len2 = dx * dx + dy * dy;
    double u = len2 > 0.0 ? ((t->x - s[0]) * dx + (t->y - s[1]) * dy) / len2 : 0.0;
    u = u < 0.0 ? 0.0 : (u > 1.0 ? 1.0 : u);
    double ex = s[0] + u * dx - t->x, ey = s[1] + u * dy - t->y;
    return ex * ex + ey * ey <= t->tol2;
}

int bzi_edge_grid_near(const bzi_edge_grid *eg, double x, double y, double tol)
{
    near_test t = {eg->segs.v, x, y, tol * tol};
    return bzi_seggrid_query(&eg->grid, x - tol, y - tol, x + tol, y + tol, segment_is_near, &t) !=
           0;
}

void bzi_edge_grid_free(bzi_edge_grid *eg)
{
    bzi_seggrid_free(&eg->grid);
    free(eg->segs.v);
    *eg = (bzi_edge_grid){{NULL, 0, 0}, {0}};
}

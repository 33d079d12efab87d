/* core/edge_grid.h — the edge segments of polygons with a grid index over them (edge_grid.c). */
#ifndef BZ_CORE_EDGE_GRID_H
#define BZ_CORE_EDGE_GRID_H

#include "core/coords.h"
#include "core/seggrid.h"

#include <geos_c.h>

/* Every ring segment of a polygonal geometry as x0, y0, x1, y1 in `segs` (segs.n / 4 of them),
 * indexed by `grid`. Zero-initialise; free with bzi_edge_grid_free. */
typedef struct bzi_edge_grid {
    bzi_coords segs;
    bzi_seggrid grid;
} bzi_edge_grid;

/* Append every ring segment of g's polygons (lines and points are skipped) to segs as x0, y0,
 * x1, y1. 0, or BZI_E_NOMEM / BZI_E_GEOS (core/polygon.h); segs is the caller's to free. */
int bzi_polygon_segments(GEOSContextHandle_t h, const GEOSGeometry *g, bzi_coords *segs);
/* Collect the segments of every ring of g's polygons (lines and points are skipped) and index
 * them. 0, or BZI_E_NOMEM / BZI_E_GEOS (core/polygon.h); on failure eg holds nothing. */
int bzi_edge_grid_build(GEOSContextHandle_t h, const GEOSGeometry *g, bzi_edge_grid *eg);
/* 1 if some segment lies within `tol` of (x, y), measured straight in the plane of the
 * coordinates, else 0. The test GEOSPreparedDistanceWithin makes on the boundary, without
 * GEOS's per-query cost of measuring every segment of a large boundary. */
int bzi_edge_grid_near(const bzi_edge_grid *eg, double x, double y, double tol);
void bzi_edge_grid_free(bzi_edge_grid *eg);

#endif

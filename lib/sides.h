/* sides.h — the ground of each side (implemented in sides.c). */
#ifndef BZ_SIDES_H
#define BZ_SIDES_H

#include "internal.h"

/*
 * The ground of side A and side B as valid lon/lat (Multi)Polygons (possibly empty), in the
 * unwrapped longitudes of `line` (see bz_line). The caller frees both with GEOSGeom_destroy_r.
 *  - territory form (territory and region non-NULL): A = territory ∩ region,
 *    B = region − territory. `line` may be NULL.
 *  - line + region (territory NULL): the region split by the line into the part LEFT of the
 *    line's direction (A) and the part RIGHT of it (B). At open ends the line is continued
 *    along its end direction (geodesic) far enough to divide everything within reach_m: to the
 *    region's edge, but along the end direction for at most max(reach_m·1.05 + 1 km, twice the
 *    end's distance to the edge); a continuation still inside then goes the shortest way to the
 *    edge (so an end near the border pointing inland does not cut the whole region in two).
 *  - line alone (both NULL): the two halves (left = A, right = B) of a frame that covers at
 *    least every point within reach_m of the line.
 * Ground that touches no part of the line (an island) goes to the side of the nearest point
 * of the line. With a line of several parts the frame is also cut where two parts are equally
 * near (bisector.c), and each piece takes its side from its nearest part alone.
 */
int bzi_side_grounds(bz_context *ctx, const bz_line *line, const GEOSGeometry *region,
                     const GEOSGeometry *territory, double reach_m, GEOSGeometry **ground_a,
                     GEOSGeometry **ground_b);

/* --- Helpers shared by sides.c, derive.c and diff.c (implemented in sides.c) ------------- */

/* 1 if g is a Polygon, a MultiPolygon or a collection of only those (empty counts), else 0. */
int bzi_is_polygonal(GEOSContextHandle_t h, const GEOSGeometry *g);

/* The name of g's geometry type ("MultiPolygon"), a constant string: GEOSGeomType_r returns
 * memory that must be freed, easy to leak on an error path. */
const char *bzi_geom_type_name(GEOSContextHandle_t h, const GEOSGeometry *g);

/* Helpers below fail in two ways, told apart so that the status is right: our own allocation
 * (BZI_E_NOMEM) or GEOS (BZI_E_GEOS). bzi_fail records either as a status naming `what`. */
#define BZI_E_NOMEM (-1)
#define BZI_E_GEOS (-2)
int bzi_fail(bz_context *ctx, int code, const char *what);

/* A growable list of owned geometries (sides.c, antimeridian.c). */
typedef struct bzi_geom_list {
    GEOSGeometry **v;
    size_t n, cap;
} bzi_geom_list;
/* Append g (taking it); on failure g is destroyed. A NULL g is GEOS's failure (BZI_E_GEOS). */
int bzi_geom_list_push(GEOSContextHandle_t h, bzi_geom_list *l, GEOSGeometry *g);
/* Destroy every geometry and empty the list. */
void bzi_geom_list_clear(GEOSContextHandle_t h, bzi_geom_list *l);

/* Call visit(h, ring, arg) for every ring of the polygons of g: part by part, each exterior
 * ring before its holes; empty polygons, lines and points are skipped. Stops at the first
 * nonzero return and gives it back; a ring GEOS cannot give is BZI_E_GEOS. */
typedef int (*bzi_ring_fn)(GEOSContextHandle_t h, const GEOSGeometry *ring, void *arg);
int bzi_each_ring(GEOSContextHandle_t h, const GEOSGeometry *g, bzi_ring_fn visit, void *arg);

/* *out = a new valid MultiPolygon holding the polygonal parts of g (lines and points dropped;
 * made valid with GEOSMakeValid if needed), possibly empty. Returns BZ_OK, or BZ_ERR_NOMEM /
 * BZ_ERR_GEOS with `what` in the message (*out NULL). */
int bzi_valid_multipolygon(bz_context *ctx, const GEOSGeometry *g, const char *what,
                           GEOSGeometry **out);

/*
 * A static grid index over n segments given as x0, y0, x1, y1 (borrowed: `seg` must outlive
 * the grid). Queries visit every segment whose bounding box may meet a box; a segment can be
 * visited more than once.
 */
typedef struct bzi_seggrid {
    const double *seg;
    size_t nseg;
    double minx, miny, cell;
    size_t nx, ny;
    size_t *start; /* nx * ny + 1 offsets into items */
    size_t *items; /* segment indices, cell after cell */
} bzi_seggrid;

/* Build the grid; returns 0, or -1 when memory runs out (the grid is then empty). */
int bzi_seggrid_build(bzi_seggrid *grid, const double *seg, size_t nseg);
void bzi_seggrid_free(bzi_seggrid *grid);
/* Call visit(arg, i) for candidate segments meeting [x0, x1] x [y0, y1] until it returns
 * non-zero; returns that value (0 if every candidate was visited). */
int bzi_seggrid_query(const bzi_seggrid *grid, double x0, double y0, double x1, double y1,
                      int (*visit)(void *arg, size_t i), void *arg);

#endif

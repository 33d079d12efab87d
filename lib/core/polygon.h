/* core/polygon.h — GEOS polygon helpers every layer above shares (polygon.c): type tests, a
 * list of owned geometries, rings, valid MultiPolygons, and two failure codes. */
#ifndef BZ_CORE_POLYGON_H
#define BZ_CORE_POLYGON_H

#include "core/context.h"
#include "core/coords.h"

#include <stddef.h>

/* 1 if g is a Polygon, a MultiPolygon or a collection of only those (empty counts), else 0. */
int bzi_is_polygonal(GEOSContextHandle_t h, const GEOSGeometry *g);

/* The name of g's geometry type ("MultiPolygon"), a constant string: GEOSGeomType_r returns
 * memory that must be freed, easy to leak on an error path. */
const char *bzi_geom_type_name(GEOSContextHandle_t h, const GEOSGeometry *g);

/* Helpers below fail in two ways, told apart so that the status is right: our own allocation
 * (BZI_E_NOMEM) or GEOS (BZI_E_GEOS). bzi_fail records either as a status naming `what`. The
 * values are apart from every public bz_status, so one can never pass for the other. */
#define BZI_E_NOMEM (-1001)
#define BZI_E_GEOS (-1002)
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
/* A MultiPolygon of the list's polygons (empty when the list is), taking them: the list is
 * emptied either way. NULL when GEOS fails. */
GEOSGeometry *bzi_geom_list_to_multipolygon(GEOSContextHandle_t h, bzi_geom_list *l);

/* Call visit(h, polygon, arg) for every non-empty Polygon of g, in order (MultiPolygons and
 * collections are walked, at any depth; lines and points are skipped). Stops at the first
 * nonzero return and gives it back. */
typedef int (*bzi_polygon_fn)(GEOSContextHandle_t h, const GEOSGeometry *polygon, void *arg);
int bzi_each_polygon(GEOSContextHandle_t h, const GEOSGeometry *g, bzi_polygon_fn visit, void *arg);

/* Call visit(h, ring, arg) for every ring of the polygons of g: part by part, each exterior
 * ring before its holes; empty polygons, lines and points are skipped. Stops at the first
 * nonzero return and gives it back; a ring GEOS cannot give is BZI_E_GEOS. */
typedef int (*bzi_ring_fn)(GEOSContextHandle_t h, const GEOSGeometry *ring, void *arg);
int bzi_each_ring(GEOSContextHandle_t h, const GEOSGeometry *g, bzi_ring_fn visit, void *arg);

/* The points of a ring (or any curve) into b, x, y pairs (b->n = 2 × the number of points, the
 * memory kept for the next ring); with ccw not NULL, *ccw = 1 if the ring runs counter-clockwise
 * (GEOS refuses that question for fewer than 4 points: BZI_E_GEOS). 0, or BZI_E_NOMEM /
 * BZI_E_GEOS. The one way the zone code reads a ring (antimeridian.c, derive.c, sides.c). */
int bzi_ring_coords(GEOSContextHandle_t h, const GEOSGeometry *ring, bzi_coords *b, int *ccw);

/* *out = a new MultiPolygon of the polygons of g (lines and points dropped, not validated).
 * 0, or BZI_E_NOMEM / BZI_E_GEOS. */
int bzi_multipolygon_of(GEOSContextHandle_t h, const GEOSGeometry *g, GEOSGeometry **out);
/* g (taken: consumed either way) as a MultiPolygon: a MultiPolygon is g itself, a non-empty
 * Polygon is wrapped, anything else is bzi_multipolygon_of(g) (an empty Polygon gives an empty
 * MultiPolygon). 0, or BZI_E_NOMEM / BZI_E_GEOS (also for a NULL g: a failed GEOS call). */
int bzi_multipolygon_take(GEOSContextHandle_t h, GEOSGeometry *g, GEOSGeometry **out);
/* bzi_valid_multipolygon on a bare handle: 0, or BZI_E_NOMEM / BZI_E_GEOS. */
int bzi_valid_multipolygon_h(GEOSContextHandle_t h, const GEOSGeometry *g, GEOSGeometry **out);

/* *out = a new valid MultiPolygon holding the polygonal parts of g (lines and points dropped;
 * made valid with GEOSMakeValid if needed), possibly empty. Returns BZ_OK, or BZ_ERR_NOMEM /
 * BZ_ERR_GEOS with `what` in the message (*out NULL). */
int bzi_valid_multipolygon(bz_context *ctx, const GEOSGeometry *g, const char *what,
                           GEOSGeometry **out);

/* The library's one validity rule for a region, territory or zone it is given: valid by GEOS, or
 * BZ_ERR_GEOMETRY naming `what` ("the region"), the first problem and where it is (inputs are
 * rejected, never repaired silently: read them with make_valid to repair). Checked once, where
 * the input enters (bz_zones_compute, bz_zones_from_polygon, bz_line_derive); the framing that
 * follows (antimeridian.c) keeps a valid polygon valid, so nothing after checks again. */
int bzi_check_valid(bz_context *ctx, const GEOSGeometry *g, const char *what);

/* An upper bound in metres of the widest disc that fits inside a ring (lon/lat): a polygon's
 * inradius is at most 2·area / perimeter, here in degrees scaled by the most metres a degree
 * spans. -1 on GEOS failure. A hole no wider than a tolerance lies within it of its own edge. */
double bzi_ring_width_bound_m(GEOSContextHandle_t h, const GEOSGeometry *ring);

/* Remove from the MultiPolygon *buf (replaced when any hole goes) every interior ring for which
 * drop_it(ctx, ring, arg) returns 1 (0 keeps it; a negative status stops, recorded in ctx).
 * `what` is the step for failure messages ("filling the geodesic buffer's false holes").
 * BZ_OK or that status. */
typedef int (*bzi_hole_fn)(bz_context *ctx, const GEOSGeometry *ring, void *arg);
int bzi_drop_holes(bz_context *ctx, GEOSGeometry **buf, bzi_hole_fn drop_it, void *arg,
                   const char *what);

#endif

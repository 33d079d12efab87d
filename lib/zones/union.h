/* union.h — the union of many polygons (implemented in union.c). */
#ifndef BZ_UNION_H
#define BZ_UNION_H

#include "core/context.h"

/*
 * *out = the union of the polygons of `collection` (a GeometryCollection or MultiPolygon, not
 * consumed), as GEOSUnaryUnion gives it, computed in two halves on two threads when the input
 * is large and the context allows more than one thread. The caller frees *out with
 * GEOSGeom_destroy_r. Returns BZ_OK, or BZ_ERR_NOMEM / BZ_ERR_GEOS with the message in ctx.
 */
int bzi_union_polygons(GEOSGeometry **out, bz_context *ctx, const GEOSGeometry *collection);

#endif

/* zones/multi.h — overlay results as Multi geometries (multi.c). */
#ifndef BZ_ZONES_MULTI_H
#define BZ_ZONES_MULTI_H

#include "core/context.h"

/* A Multi<type> of the parts of g of type `want` (GEOS_POLYGON or GEOS_LINESTRING; LinearRings
 * count as LineStrings). g is consumed; NULL in -> NULL out. On failure *st says why:
 * BZ_ERR_NOMEM, or BZ_ERR_GEOS (also when g was NULL, a failed GEOS call). */
GEOSGeometry *bzi_as_multi(GEOSContextHandle_t h, GEOSGeometry *g, int want, int *st);
/* Lines as a MultiLineString with touching pieces merged (g consumed), as bzi_as_multi. */
GEOSGeometry *bzi_as_merged_lines(GEOSContextHandle_t h, GEOSGeometry *g, int *st);
/* Lines without their segments along the meridians x0 and x1 (both ends within 1e-9° of one),
 * as a merged MultiLineString (g consumed), as bzi_as_multi: the seam of a frame that spans
 * every longitude, where a polygon cut at the frame's edges has edges that are no one's line. */
GEOSGeometry *bzi_lines_off_seam(GEOSContextHandle_t h, GEOSGeometry *g, double x0, double x1,
                                 int *st);
/* Report a failed geometry step: out of memory (st == BZ_ERR_NOMEM), or GEOS's own message. */
int bzi_geom_fail(bz_context *ctx, int st, const char *what);

#endif

/* zones/buffer_outward.h — the outward check of a piece's planar buffer (buffer_outward.c). */
#ifndef BZ_ZONES_BUFFER_OUTWARD_H
#define BZ_ZONES_BUFFER_OUTWARD_H

#include <geos_c.h>
#include <stddef.h>

/* 1 if every point of every ring of the planar buffer `buf` lies within `limit` of the polyline
 * px/py (npts >= 2 vertices), 0 if not, negative on a GEOS failure. */
int bzi_buffer_outward_ok(GEOSContextHandle_t h, const GEOSGeometry *buf, const double *px,
                          const double *py, size_t npts, double limit);

#endif

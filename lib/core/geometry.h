/* core/geometry.h — GEOS conveniences the zone and I/O code share (geometry.c). */
#ifndef BZ_CORE_GEOMETRY_H
#define BZ_CORE_GEOMETRY_H

#include "core/context.h"

/* A point strictly inside the area a ring encloses (GEOSPointOnSurface of the ring as a shell),
 * into *lon / *lat. Returns 1, or 0 when GEOS fails (its message is in the context). Used to
 * judge a hole by the zone definition (buffer.c, verify_area.c). */
int bzi_point_inside_ring(GEOSContextHandle_t h, const GEOSGeometry *ring, double *lon,
                          double *lat);

#endif

/* core/geometry.h — GEOS conveniences the zone and I/O code share (geometry.c). */
#ifndef BZ_CORE_GEOMETRY_H
#define BZ_CORE_GEOMETRY_H

#include "core/context.h"

#include <stddef.h>

/* A point strictly inside the area a ring encloses (GEOSPointOnSurface of the ring as a shell),
 * into *lon / *lat. Returns 1, or 0 when GEOS fails (its message is in the context). Used to
 * judge a hole by the zone definition (buffer.c, verify_area.c). */
int bzi_point_inside_ring(GEOSContextHandle_t h, const GEOSGeometry *ring, double *lon,
                          double *lat);

/* A test of one coordinate: nonzero rejects it. */
typedef int (*bzi_coord_test)(double x, double y, void *arg);
/* The first coordinate of g that reject() rejects, walking every part and every ring of every
 * polygon in order (the shell, then its holes) and counting from 0 over all of them. Returns 1
 * with *index, *x and *y filled, 0 when none is rejected, -1 when GEOS fails. */
int bzi_find_coord(GEOSContextHandle_t h, const GEOSGeometry *g, bzi_coord_test reject, void *arg,
                   size_t *index, double *x, double *y);

#endif

/* zones/buffer_holes.h — filling the geodesic buffer's false holes (buffer_holes.c). */
#ifndef BZ_ZONES_BUFFER_HOLES_H
#define BZ_ZONES_BUFFER_HOLES_H

#include "core/context.h"

/* Fill the holes of the MultiPolygon *buf (replaced when any is filled) in which a point lies
 * within distance_m of the line: pieces buffered in different planes can leave such slivers
 * where they meet. BZ_OK, or a status recorded in ctx. */
int bzi_fill_false_holes(bz_context *ctx, const bz_line *line, double distance_m,
                         GEOSGeometry **buf);

#endif

/* buffer.h — the geodesic buffer of a contact line (implemented in buffer.c). */
#ifndef BZ_BUFFER_H
#define BZ_BUFFER_H

#include "core/context.h"

/*
 * Every point within distance_m (WGS84 geodesic) of the line, as a valid MultiPolygon in the
 * line's unwrapped lon/lat. Its boundary lies within tolerance_m of the exact locus at
 * distance_m (never more than tolerance_m outside it). Round ends at open line ends.
 * distance_m > 0. Uses bzi_thread_count(ctx) worker threads.
 * The caller frees *out with GEOSGeom_destroy_r.
 */
int bzi_geodesic_buffer(GEOSGeometry **out, bz_context *ctx, const bz_line *line, double distance_m,
                        double tolerance_m);

#endif

/* zones/buffer_plane.h — a buffer piece's plane and the way back to lon/lat (buffer_plane.c). */
#ifndef BZ_ZONES_BUFFER_PLANE_H
#define BZ_ZONES_BUFFER_PLANE_H

#include <geodesic.h>
#include <geos_c.h>

typedef struct bzi_plane {
    const struct geod_geodesic *g;
    double lon0, lat0; /* centre (unwrapped longitude) */
    double max_edge;   /* longest edge sent back to lon/lat without intermediate points */
    double spike;      /* thinnest turn-back kept on the way back (metres; see below) */
} bzi_plane;

/* (lon, lat) in the plane: x east, y north, metres; exact distance from the centre. */
void bzi_plane_forward(const bzi_plane *p, double lon, double lat, double *x, double *y);

/* A planar polygon back in lon/lat (longitudes unrolled around the centre), every edge
 * densified to p->max_edge. A vertex where the ring turns back on itself (a spike or crack)
 * whose triangle with its neighbours is no higher than p->spike is dropped first: GEOS's
 * buffer of a curving line leaves such millimetre-thin spikes, valid in the plane, that the
 * lon/lat chords (each up to the chord sag off its planar edge) make cross themselves.
 * Dropping one moves the boundary by at most its height. NULL on failure, *st saying why
 * (BZ_ERR_NOMEM or BZ_ERR_GEOS). */
GEOSGeometry *bzi_plane_polygon_to_lonlat(GEOSContextHandle_t h, const bzi_plane *p,
                                          const GEOSGeometry *poly, int *st);

#endif

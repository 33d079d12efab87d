/* geo/geodesic.h — ellipsoidal areas, chords against geodesics (geodesic.c). */
#ifndef BZ_GEO_GEODESIC_H
#define BZ_GEO_GEODESIC_H

#include "core/context.h"
#include "core/coords.h"

/* The longest edge (metres) at latitude lat whose straight lon/lat chord stays within 1 cm of
 * its geodesic, at most `cap`. GEOS cuts and unites in lon/lat, the library measures edges as
 * geodesics: they must agree. A geodesic bows poleward of the chord by about L²·tan|φ|/(8R), so
 * L = sqrt(0.08·R / tan|φ|): 714 m at 45°, 542 m at 60°, 297 m at 80°, 115 m at 88.5°; 20 m at
 * the least (from 89.75°; within 0.01° of a pole a 20 m chord strays 4.5 cm). */
double bzi_lonlat_edge_m(double lat, double cap);
/* The same for a chord that may stray `sag_m` from its geodesic: sqrt(8·sag·R / tan|φ|), at
 * most `cap`, at least 20 m (which strays 9 µm at 48°, 0.3 mm at 88.5°, 4.5 mm within 0.01° of
 * a pole: bzi_lonlat_floor_sag_m). Distances of millimetres need a smaller sag than 1 cm. */
double bzi_lonlat_edge_sag_m(double lat, double cap, double sag_m);
/* How far the shortest chord bzi_lonlat_edge_sag_m gives (20 m) strays from its geodesic at
 * latitude lat: what a lon/lat edge of a result may be off near a pole, whatever sag was asked. */
double bzi_lonlat_floor_sag_m(double lat);

/* The n points xy (x, y pairs) into out (emptied first), with every edge whose lon/lat chord
 * strays more than sag_m from its geodesic (or is longer than cap_m) cut into equal steps of
 * longitude and latitude, i.e. points on the chord. *cut is set to 1 if any edge was cut.
 * 0, or -1 if memory ran out. */
int bzi_densify_chords(const struct geod_geodesic *g, const double *xy, size_t n, double sag_m,
                       double cap_m, bzi_coords *out, int *cut);

/* The area (m²) of a polygonal geometry whose edges are straight in lon/lat (as GEOS clips
 * them), to within sag_m of each edge: edges are cut on their chords first (sag_m <= 0: none
 * is, and every edge is read as the geodesic between its ends, as bz_geodesic_area does). */
int bzi_chord_area(bz_context *ctx, const GEOSGeometry *polygonal, double sag_m, double *area_m2);

/* A copy of a (Multi)Polygon with every edge cut on its lon/lat chord where it strays more than
 * sag_m from its geodesic, so that reading its edges as chords or as geodesics (as any
 * ellipsoidal area does) gives the same area. The caller frees *out. */
int bzi_chord_densified(bz_context *ctx, const GEOSGeometry *polygonal, double sag_m,
                        GEOSGeometry **out);

/* A fast approximate length (m) of a short lon/lat segment: the equirectangular distance at the
 * mean latitude on the mean-radius sphere (good to ~0.5 % over tens of km, away from the
 * poles). Used only to decide where to cut or sample (zones/buffer.c, zones/verify.c). */
double bzi_approx_length_m(double lon0, double lat0, double lon1, double lat1);

/* Geodesic area (m², signed: counter-clockwise positive) of one ring of lon/lat pairs. */
double bzi_ring_area(const struct geod_geodesic *g, const double *lonlat, size_t n);

#endif

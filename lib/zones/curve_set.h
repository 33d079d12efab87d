/* zones/curve_set.h — the curves between a line's parts, collected as coordinates, their ends
 * joined where they meet to within rounding, then made into GEOS linestrings (curve_set.c). */
#ifndef BZ_ZONES_CURVE_SET_H
#define BZ_ZONES_CURVE_SET_H

#include "core/coords.h"

#include <geos_c.h>
#include <stddef.h>

/* Curves one after another in pts; curve i is the points start[i] .. start[i + 1] - 1 (in
 * doubles, start[n] = pts.n). Zero-initialise before use, bzi_curve_set_free after. */
typedef struct bzi_curve_set {
    bzi_coords pts;
    size_t *start; /* n + 1 entries once a curve was added */
    size_t n, cap;
} bzi_curve_set;

/* Append the curve (points x0, y0, x1, y1, ... of `curve`); one of fewer than two points is
 * dropped. 0, or -1 if memory ran out (the set is unchanged). */
int bzi_curve_set_add(bzi_curve_set *s, const bzi_coords *curve);

/* Give every curve end within tol (in both coordinates) of another curve's end that other
 * end's exact coordinates. Two curves refined to one diagram vertex by different questions
 * (another pair of parts, another search start) end a few units in the last place apart, and
 * the polygonizer reads them as unjoined: the faces either side of the gap merge (seed 9
 * case 553 of the oracle). 0, or -1 if memory ran out (nothing changed). */
int bzi_curve_set_join_ends(bzi_curve_set *s, double tol);

/* The curves as one MultiLineString (repeated points dropped, curves of one point left out)
 * into *out, the caller frees it with GEOSGeom_destroy_r. 0, -1 if memory ran out, -2 on a
 * GEOS failure. */
int bzi_curve_set_geometry(GEOSContextHandle_t h, const bzi_curve_set *s, GEOSGeometry **out);

void bzi_curve_set_free(bzi_curve_set *s);

#endif

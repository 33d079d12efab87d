/* geo/distance.h — exact geodesic point-to-line distance (distance.c; the public
 * bz_line_distance is in bufferzone.h). */
#ifndef BZ_GEO_DISTANCE_H
#define BZ_GEO_DISTANCE_H

#include "geo/line.h"
#include <stddef.h>

/* bz_line_distance for points that come in order along a curve: *hint (SIZE_MAX at first) is
 * where the last search ended, and the next starts there: the same distance with less searching
 * (where the nearest point is a vertex, either segment at it may be named). */
int bzi_line_distance_hint(bz_context *ctx, const bz_line *line, double lon, double lat,
                           size_t *hint, bz_nearest *out);

/* The same search for the distance alone (the accuracy check's question): the foot and the side
 * are not worked out, and the distance is the estimate that settled the search, within a
 * micrometre of the exact one (see chord_estimate in distance.c). */
int bzi_line_distance_only(bz_context *ctx, const bz_line *line, double lon, double lat,
                           size_t *hint, double *distance_m);

/* bzi_line_distance_only for a question with a threshold: is the line nearer than `below`
 * (metres)? *distance_m is the distance when it is less than `below`, else INFINITY. Every part
 * of the line that cannot come nearer is pruned unmeasured, so asking a far part costs next to
 * nothing. */
int bzi_line_distance_below(bz_context *ctx, const bz_line *line, double lon, double lat,
                            size_t *hint, double below, double *distance_m);

/* 1 when the line surely comes within `radius` metres (geodesic) of the point, proven from the
 * straight distances to the chords of the segments at index leaf *hint and its neighbours (no
 * geodesic is solved); 0 when they do not prove it, whatever the truth. *hint (a leaf, or
 * SIZE_MAX: then 0) moves to the neighbour that came nearest. The upper bound is at most about
 * a segment's bow (length²/8R) plus radius³·1e-16/m² above the truth. */
int bzi_line_surely_within(const bz_line *line, double lon, double lat, size_t *hint,
                           double radius);

#endif

/* zones/result.h — the bz_zones result object (result.c: freeing it and its getters; zones.c
 * fills it). */
#ifndef BZ_ZONES_RESULT_H
#define BZ_ZONES_RESULT_H

#include "core/context.h"

struct bz_zones {
    bz_context *ctx;
    bz_line *line; /* a copy of the line used (given or derived) */
    GEOSGeometry *zone[2];
    GEOSGeometry *withdrawal[2];
    GEOSGeometry *ground[2];
    GEOSGeometry *buffer_zone;
    double distance[2];
    double area[2];
    double withdrawal_length[2];
    double buffer_area;
    double contact_length;
    double max_error;
    /* the line-alone frame spans every longitude (a line round a pole): zones are cut at its
     * edges, the meridians seam[0] and seam[1] (a turn apart), which are no withdrawal line */
    int round_frame;
    double seam[2];
};

#endif

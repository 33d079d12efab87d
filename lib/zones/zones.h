/* zones/zones.h — the steps of a zone computation that bz_zones_from_polygon (from_polygon.c)
 * shares with bz_zones_compute (zones.c). */
#ifndef BZ_ZONES_ZONES_H
#define BZ_ZONES_ZONES_H

#include "core/context.h"

/* The grounds must reach this far beyond the largest distance (open ends, rounding). */
#define REACH_MARGIN_M 1000.0

/* Start a result: the line (given, or derived from the territory) copied in; no grounds yet. */
int bzi_zones_begin(bz_zones **out, bz_context *ctx, const bz_line *line,
                    const GEOSGeometry *region, const GEOSGeometry *territory,
                    double derive_tolerance_m);
/* In the line-alone form a side's ground is reported as its half of `largest`. */
int bzi_zones_trim_grounds(bz_zones *z, const GEOSGeometry *largest);
/* Buffer zone, areas and lengths once zones and withdrawal lines are set. */
int bzi_zones_finish(bz_zones *z, const GEOSGeometry *region);
/* The end of every path that makes a result: on success *out = z, else z is freed and rc
 * (already recorded) returned. */
int bzi_zones_hand_out(bz_zones **out, bz_zones *z, int rc);

#endif

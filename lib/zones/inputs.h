/* zones/inputs.h — checking and framing the inputs of a zone computation (inputs.c). */
#ifndef BZ_ZONES_INPUTS_H
#define BZ_ZONES_INPUTS_H

#include "core/context.h"
#include "zones/antimeridian.h"

/* A withdrawal distance of side `side`: a number in [0, BZ_MAX_DISTANCE_M], 0 or at least
 * BZ_MIN_DISTANCE_M. BZ_OK or BZ_ERR_ARGUMENT (recorded). */
int bzi_check_distance(bz_context *ctx, double d, int side);
/* g is a Polygon or MultiPolygon (BZ_ERR_TYPE) and valid by GEOS (BZ_ERR_GEOMETRY, naming the
 * first problem and where); `what` names it ("the region"). */
int bzi_check_polygonal(bz_context *ctx, const GEOSGeometry *g, const char *what);
/* The forms: a territory needs a region; without a territory a line is needed; the region and
 * territory given pass bzi_check_polygonal. */
int bzi_check_forms(bz_context *ctx, const bz_line *line, const GEOSGeometry *region,
                    const GEOSGeometry *territory);
/* The region and territory in the frame of the line, or of the polygons themselves when the
 * line is still to be derived (bzi_framed_make). */
int bzi_frame_inputs(bz_context *ctx, const bz_line *line, const GEOSGeometry *region,
                     const GEOSGeometry *territory, bzi_framed *fr, bzi_framed *ft);
/* Once a derived line is known: the inputs moved into its frame (by whole turns, if at all). */
int bzi_reframe_inputs(bz_context *ctx, const bz_line *line, bzi_framed *fr, bzi_framed *ft);

#endif

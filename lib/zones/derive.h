/* zones/derive.h — the contact line of a control map (derive.c; the public bz_line_derive is
 * in bufferzone.h). */
#ifndef BZ_ZONES_DERIVE_H
#define BZ_ZONES_DERIVE_H

#include "core/context.h"

/* bz_line_derive for a territory and region the caller has already checked with
 * bzi_check_valid (bz_zones_compute checks its inputs where they enter): the same line, without
 * checking their validity a second time. */
int bzi_line_derive_valid(bz_line **out, bz_context *ctx, const GEOSGeometry *territory,
                          const GEOSGeometry *region, const bz_derive_options *opts);

#endif

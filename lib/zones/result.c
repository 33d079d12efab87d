/* result.c — the bz_zones result: freeing it, and the getters the public header promises
 * (NULL or NaN for a NULL result or a bad side). Computing it is zones.c's job. */
#include "zones/result.h"
#include "geo/line.h"

#include <math.h>
#include <stdlib.h>

void bz_zones_free(bz_zones *z)
{
    if (!z)
        return;
    GEOSContextHandle_t h = z->ctx->geos;
    for (int s = 0; s < 2; s++) {
        if (z->zone[s])
            GEOSGeom_destroy_r(h, z->zone[s]);
        if (z->withdrawal[s])
            GEOSGeom_destroy_r(h, z->withdrawal[s]);
        if (z->ground[s])
            GEOSGeom_destroy_r(h, z->ground[s]);
    }
    if (z->buffer_zone)
        GEOSGeom_destroy_r(h, z->buffer_zone);
    bz_line_free(z->line);
    free(z);
}

static int side_ok(const bz_zones *z, bz_side side)
{
    return z && (side == BZ_SIDE_A || side == BZ_SIDE_B);
}

const GEOSGeometry *bz_zones_zone(const bz_zones *z, bz_side side)
{
    return side_ok(z, side) ? z->zone[side] : NULL;
}

const GEOSGeometry *bz_zones_withdrawal_line(const bz_zones *z, bz_side side)
{
    return side_ok(z, side) ? z->withdrawal[side] : NULL;
}

const GEOSGeometry *bz_zones_buffer_zone(const bz_zones *z)
{
    return z ? z->buffer_zone : NULL;
}

const GEOSGeometry *bz_zones_side_ground(const bz_zones *z, bz_side side)
{
    return side_ok(z, side) ? z->ground[side] : NULL;
}

const bz_line *bz_zones_contact_line(const bz_zones *z)
{
    return z ? z->line : NULL;
}

double bz_zones_distance(const bz_zones *z, bz_side side)
{
    return side_ok(z, side) ? z->distance[side] : NAN;
}

double bz_zones_area(const bz_zones *z, bz_side side)
{
    return side_ok(z, side) ? z->area[side] : NAN;
}

double bz_zones_withdrawal_length(const bz_zones *z, bz_side side)
{
    return side_ok(z, side) ? z->withdrawal_length[side] : NAN;
}

double bz_zones_buffer_area(const bz_zones *z)
{
    return z ? z->buffer_area : NAN;
}

double bz_zones_contact_length(const bz_zones *z)
{
    return z ? z->contact_length : NAN;
}

double bz_zones_max_error(const bz_zones *z)
{
    return z ? z->max_error : NAN;
}

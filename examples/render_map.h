/*
 * render_map.h — what bz-render draws: classified shapes (zones, lines, land, changes), places,
 * and the facts for the legend; and the SVG writer that lays them out.
 */
#ifndef BZ_RENDER_MAP_H
#define BZ_RENDER_MAP_H

#include "render_geom.h"

#include <stdio.h>

/* Drawing order, bottom to top. */
typedef enum rm_layer {
    RM_LAND,       /* polygons without a known kind: the region, a territory */
    RM_ZONE,       /* kind=zone, coloured by side */
    RM_GAINED,     /* kind=gained (bz-diff) */
    RM_LOST,       /* kind=lost */
    RM_BUFFER,     /* kind=buffer_zone: outline only, the zones carry the fill */
    RM_OTHER_LINE, /* lines without a known kind */
    RM_WITHDRAWAL, /* kind=withdrawal_line, dashed, by side */
    RM_CONTACT,    /* kind=contact_line, bold */
    RM_LAYERS
} rm_layer;

#define RM_MAX_SIDES 6

typedef struct rm_item {
    rm_layer layer;
    int side;  /* index into rm_map.sides, or -1 */
    int input; /* which input file it came from */
    rg_shape shape;
} rm_item;

typedef struct rm_place {
    double lon, lat;
    double population; /* NaN when unknown */
    char *name;
} rm_place;

typedef struct rm_side {
    char *name;
    double distance_m; /* NaN when unknown */
    double zone_km2;   /* summed over the side's zone features; NaN when unknown */
} rm_side;

typedef struct rm_map {
    rm_item *items;
    size_t nitems, items_cap;
    rm_place *places;
    size_t nplaces, places_cap;
    rm_side sides[RM_MAX_SIDES];
    size_t nsides;
    double buffer_km2, contact_km, gained_km2, lost_km2; /* NaN when not given */
    const char **input_labels; /* one per input file (for land and unnamed lines) */
    size_t ninputs;
    const char *title;
    int width; /* pixels */
    int focus; /* 1: frame the map on zones and lines, not on the land */
} rm_map;

/* Write the whole SVG document. ctx is used for geodesic measures (the scale bar).
 * Returns 0, or -1 when there is nothing to draw. */
int rm_write_svg(FILE *out, bz_context *ctx, const rm_map *map);

#endif

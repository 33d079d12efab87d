/* zones/places.h — the settlements object (places.c) that readers fill and zones count. */
#ifndef BZ_ZONES_PLACES_H
#define BZ_ZONES_PLACES_H

#include "core/context.h"

#include <stddef.h>

/* Settlements: parallel arrays, grown by bzi_places_push while a file is read. */
struct bz_places {
    size_t count, capacity;
    double *lonlat;     /* 2 * count */
    char **names;       /* count malloc'ed strings, "" when unnamed */
    double *population; /* count values, NaN when unknown */
};

/* An empty set of places (NULL when out of memory). Free with bz_places_free(). */
bz_places *bzi_places_new(void);

/* Append a place; `name` is copied (NULL = ""). Returns BZ_OK or BZ_ERR_NOMEM (recorded). */
int bzi_places_push(bz_context *ctx, bz_places *p, double lon, double lat, const char *name,
                    double population);

#endif

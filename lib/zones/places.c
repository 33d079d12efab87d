/* places.c — settlements (points with a name and an optional population) and counting them
 * inside a polygonal area such as a withdrawal zone. Reading them is io_read.c's job. */
#include "core/text.h"
#include "core/grow.h"
#include "zones/places.h"
#include "core/context.h"
#include "core/polygon.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bz_places *bzi_places_new(void)
{
    return calloc(1, sizeof(bz_places));
}

int bzi_places_push(bz_context *ctx, bz_places *p, double lon, double lat, const char *name,
                    double population)
{
    if (p->count == p->capacity) { /* three arrays, one capacity */
        size_t cap_ll = p->capacity, cap_names = p->capacity, cap_pop = p->capacity;
        if (bzi_grow(&p->lonlat, &cap_ll, p->count + 1, 2 * sizeof *p->lonlat) ||
            BZI_GROW(p->names, cap_names, p->count + 1) ||
            BZI_GROW(p->population, cap_pop, p->count + 1))
            return bzi_nomem(ctx, "storing places");
        p->capacity = cap_pop;
    }
    char *copy = bzi_dup_text(name ? name : "");
    if (!copy)
        return bzi_nomem(ctx, "storing a place name");
    p->names[p->count] = copy;
    p->lonlat[2 * p->count] = lon;
    p->lonlat[2 * p->count + 1] = lat;
    p->population[p->count] = population;
    p->count++;
    return BZ_OK;
}

int bz_places_from_arrays(bz_places **out, bz_context *ctx, size_t n, const char *const *names,
                          const double *lon, const double *lat, const double *population)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || (n > 0 && (!lon || !lat)))
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_places_from_arrays: NULL %s",
                         !out   ? "out"
                         : !lon ? "lon array"
                                : "lat array");
    *out = NULL;
    /* Check everything first: a bad entry fails before anything is allocated. */
    for (size_t i = 0; i < n; i++) {
        double x = lon[i], y = lat[i];
        if (!isfinite(x) || !isfinite(y))
            return bzi_error(ctx, BZ_ERR_GEOMETRY,
                             "place %zu: coordinate is not finite (lon %g, lat %g)", i, x, y);
        if (x < -180.0 || x > 180.0)
            return bzi_error(ctx, BZ_ERR_GEOMETRY,
                             "place %zu: longitude %.9g outside [-180, 180] (lat %.9g)", i, x, y);
        if (y < -90.0 || y > 90.0)
            return bzi_error(ctx, BZ_ERR_GEOMETRY,
                             "place %zu: latitude %.9g outside [-90, 90] (lon %.9g)", i, y, x);
        /* NaN is "unknown"; a negative or infinite count of people is a caller's mistake. */
        if (population && !isnan(population[i]) &&
            !(population[i] >= 0.0 && isfinite(population[i])))
            return bzi_error(ctx, BZ_ERR_ARGUMENT,
                             "place %zu: population %g is not a number >= 0 (NaN = unknown)", i,
                             population[i]);
    }
    bz_places *p = bzi_places_new();
    if (!p)
        return bzi_nomem(ctx, "making places");
    for (size_t i = 0; i < n; i++) {
        int rc = bzi_places_push(ctx, p, lon[i], lat[i], names ? names[i] : NULL,
                                 population ? population[i] : NAN);
        if (rc != BZ_OK) {
            bz_places_free(p);
            return rc;
        }
    }
    *out = p;
    return BZ_OK;
}

size_t bz_places_count(const bz_places *places)
{
    return places ? places->count : 0;
}

const char *bz_places_name(const bz_places *places, size_t i)
{
    if (!places || i >= places->count)
        return "";
    return places->names[i];
}

double bz_places_population(const bz_places *places, size_t i)
{
    if (!places || i >= places->count)
        return NAN;
    return places->population[i];
}

void bz_places_coords(const bz_places *places, size_t i, double *lon, double *lat)
{
    int ok = places && i < places->count;
    if (lon)
        *lon = ok ? places->lonlat[2 * i] : NAN;
    if (lat)
        *lat = ok ? places->lonlat[2 * i + 1] : NAN;
}

void bz_places_free(bz_places *places)
{
    if (!places)
        return;
    for (size_t i = 0; i < places->count; i++)
        free(places->names[i]);
    free(places->names);
    free(places->lonlat);
    free(places->population);
    free(places);
}

/* Does the prepared area hold the point (lon, lat), also as lon ± 360 where the area reaches
 * past ±180 (xmin, xmax: its longitudes)? 0 or 1, 2 on a GEOS failure. */
static char area_holds(GEOSContextHandle_t h, const GEOSPreparedGeometry *prep, double xmin,
                       double xmax, double lon, double lat)
{
    const double shifts[3] = {0.0, 360.0, -360.0};
    for (int k = 0; k < 3; k++) {
        double x = lon + shifts[k];
        if (k > 0 && (x < xmin || x > xmax))
            continue;
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, lat);
        if (!pt)
            return 2;
        /* Intersects, not contains: a place on the zone's edge counts as inside. */
        char hit = GEOSPreparedIntersects_r(h, prep, pt);
        GEOSGeom_destroy_r(h, pt);
        if (hit)
            return hit;
    }
    return 0;
}

int bz_places_within(size_t *count, double *population, size_t *indices, bz_context *ctx,
                     const bz_places *places, const GEOSGeometry *area)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!places || !area || !count)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_places_within: NULL argument");
    GEOSContextHandle_t h = ctx->geos;
    if (!bzi_is_polygonal(h, area)) {         /* only areas can contain places */
        char *name = GEOSGeomType_r(h, area); /* GEOS allocates it */
        int rc = bzi_error(ctx, BZ_ERR_TYPE, "bz_places_within: the area must be polygonal, got %s",
                           name ? name : "another type");
        GEOSFree_r(h, name);
        return rc;
    }
    size_t inside = 0;
    double people = 0.0;
    if (!GEOSisEmpty_r(h, area)) {
        ctx->geos_msg[0] = '\0';
        /* Prepared once: each point test is then a fast indexed lookup. */
        const GEOSPreparedGeometry *prep = GEOSPrepare_r(h, area);
        if (!prep)
            return bzi_geos_error(ctx, "preparing the area for place counting");
        double xmin = 0.0, xmax = 0.0;
        if (!GEOSGeom_getXMin_r(h, area, &xmin) || !GEOSGeom_getXMax_r(h, area, &xmax)) {
            GEOSPreparedGeom_destroy_r(h, prep);
            return bzi_geos_error(ctx, "reading the area's extent for place counting");
        }
        for (size_t i = 0; i < places->count; i++) {
            char hit =
                area_holds(h, prep, xmin, xmax, places->lonlat[2 * i], places->lonlat[2 * i + 1]);
            if (hit == 2) {
                GEOSPreparedGeom_destroy_r(h, prep);
                return bzi_geos_error(ctx, "testing whether a place lies in the area");
            }
            if (!hit)
                continue;
            if (indices)
                indices[inside] = i;
            inside++;
            if (!isnan(places->population[i]))
                people += places->population[i];
        }
        GEOSPreparedGeom_destroy_r(h, prep);
    }
    *count = inside;
    if (population)
        *population = people;
    return BZ_OK;
}

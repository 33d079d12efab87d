/*
 * io_internal.h — what the I/O files (io_read.c, io_write.c, places.c) share: the places
 * object and GDAL plumbing (a quiet error handler, the WGS84 lon/lat spatial reference).
 * Only the I/O files include this header; it is the one place GDAL types meet the library.
 */
#ifndef BZ_IO_INTERNAL_H
#define BZ_IO_INTERNAL_H

#include "internal.h"

#include <stddef.h>

/* GDAL's headers declare 64-bit enumerators (wkbCurveZM, ...) that -Wpedantic flags in C;
 * the warning is about GDAL's code, not ours, so silence it for these includes only. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#endif
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

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

/*
 * GDAL reports problems through a process-wide handler that prints to stderr by default.
 * The library must not print, so every entry point that calls GDAL installs a quiet handler
 * for the duration of the call (the handler stack is thread-local) and keeps the last failure
 * message for our own error text.
 */
typedef struct bzi_gdal_quiet {
    char msg[512]; /* last CE_Failure / CE_Fatal message, "" if none */
} bzi_gdal_quiet;

/* Registers GDAL's drivers, once per process (under a mutex); every entry point that touches
 * GDAL gets here first, through bzi_gdal_quiet_begin. */
void bzi_gdal_init(void);

/* Installs the quiet handler (after bzi_gdal_init); pair with bzi_gdal_quiet_end. */
void bzi_gdal_quiet_begin(bzi_gdal_quiet *q);
void bzi_gdal_quiet_end(bzi_gdal_quiet *q);
/* The captured failure message, else GDAL's last message, else "no detail from GDAL". */
const char *bzi_gdal_msg(const bzi_gdal_quiet *q);

/* A malloc'ed copy of the string s, or NULL when out of memory. */
char *bzi_dup_text(const char *s);

/* WGS84 with longitude first (OAMS_TRADITIONAL_GIS_ORDER); NULL when GDAL cannot make it.
 * Release with OSRRelease(). */
OGRSpatialReferenceH bzi_wgs84_lonlat(void);

#endif

/*
 * io/gdal.h — the GDAL plumbing the I/O files share (gdal.c): drivers registered once, a quiet
 * error handler, the WGS84 lon/lat spatial reference. Only io/ includes this header; it is the
 * one place GDAL types meet the library.
 */
#ifndef BZ_IO_GDAL_H
#define BZ_IO_GDAL_H

#include "core/context.h"

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

/* WGS84 with longitude first (OAMS_TRADITIONAL_GIS_ORDER); NULL when GDAL cannot make it.
 * Release with OSRRelease(). */
OGRSpatialReferenceH bzi_wgs84_lonlat(void);

#endif

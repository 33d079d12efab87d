/*
 * io/geojson_read.h — the GeoJSON fast path of bz_read_line / bz_read_polygon (geojson_read.c)
 * and the internal options with which tests compare it against the GDAL path.
 */
#ifndef BZ_IO_GEOJSON_READ_H
#define BZ_IO_GEOJSON_READ_H

#include "core/context.h"

/* Receives one feature's geometry, in file order, with the layer name and FID GDAL would give
 * it. g is 2-D lon/lat, owned by the callee from now on (NULL for a feature without geometry).
 * Returns BZ_OK, or an error (already recorded in the context) that makes the fast path give
 * up. */
typedef int (*bzi_geojson_visit)(void *user, const char *layer_name, long long fid,
                                 GEOSGeometry *g);

/* bzi_geojson_read's answer when the fast path gave up (not an error: read with GDAL). */
#define BZI_GEOJSON_GAVE_UP 1

/*
 * Read `path` without GDAL when it is a plainly ordinary GeoJSON file of lines or polygons and
 * `opts` asks for nothing GDAL must do (no layer, no filter), handing every feature to `visit`.
 *
 * Returns BZ_OK when every feature was read and accepted by `visit`, with at least one geometry.
 * Returns BZI_GEOJSON_GAVE_UP when the fast path gave up, at any point, for any reason (not
 * eligible, unusual content, a geometry GEOS refuses, `visit` failing): the context's error
 * state is then exactly what it was before the call, and the caller must free whatever `visit`
 * kept and read the file through GDAL from scratch.
 * Returns BZ_ERR_NOMEM (recorded) when an allocation failed, here or in `visit`: the caller
 * frees what `visit` kept and reports it.
 */
int bzi_geojson_read(bz_context *ctx, const char *path, const bz_read_options *opts,
                     bzi_geojson_visit visit, void *user);

/*
 * Tests only: bz_read_options with version BZI_READ_OPTIONS_ROUTED (a number the public header
 * never hands out) are an bzi_read_options_routed, which can keep bz_read_line /
 * bz_read_polygon off the fast path and tells whether it was taken. Only the static library the
 * internal tests link (built with BZI_TEST_HOOKS) accepts that version; the shared library
 * rejects it like any other unknown version.
 */
#define BZI_READ_OPTIONS_ROUTED 0x425a4a01

typedef struct bzi_read_options_routed {
    bz_read_options base; /* must stay first; base.version = BZI_READ_OPTIONS_ROUTED */
    int gdal_only;        /* 1: never take the fast path */
    int *took_fast_path;  /* if not NULL: set to 1 when the fast path gave the result, else 0 */
    const char **gave_up; /* if not NULL: why the fast path gave up (a static string), or "" */
} bzi_read_options_routed;

#endif

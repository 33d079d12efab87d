/*
 * io/read.h — the GDAL/OGR reading loop (read.c) and what its collectors share: the reader
 * state handed to each collector, and taking the parts of one dimension out of a feature.
 */
#ifndef BZ_IO_READ_H
#define BZ_IO_READ_H

#include "core/context.h"
#include "core/polygon.h"
#include "io/gdal.h"

typedef struct bzi_reader bzi_reader;

/* Receives one feature's geometry (2-D lon/lat, owned by the collector; may be NULL for a
 * feature without geometry) and returns BZ_OK or an error already recorded in ctx. The layer
 * and feature are NULL when the GeoJSON fast path (geojson_read.c) read the file. */
typedef int (*bzi_collect_fn)(bzi_reader *r, OGRLayerH layer, OGRFeatureH f, GEOSGeometry *g);

struct bzi_reader {
    bz_context *ctx;
    const char *path;
    const bz_read_options *opts;
    const char *layer_name; /* current layer */
    long long fid;          /* current feature */
    bzi_collect_fn collect;
    void *data;         /* the collector's state */
    char open_msg[512]; /* a failure GDAL reported while opening, "" if none */
};

/* The public readers' argument checks (`fn` names the function in the message); a NULL
 * context is BZ_ERR_ARGUMENT, recorded nowhere. */
int bzi_read_check_args(bz_context *ctx, const void *out, const char *path,
                        const bz_read_options *opts, const char *fn);

/* A reader of `path` that hands each feature to `collect` with `data` as its state. */
bzi_reader bzi_reader_for(bz_context *ctx, const char *path, const bz_read_options *opts,
                          bzi_collect_fn collect, void *data);

/* Read every matching feature of `path` through GDAL. */
int bzi_read_with(bz_context *ctx, const char *path, const bz_read_options *opts,
                  bzi_collect_fn collect, void *data);

/* Copy every simple part of type `want` (GEOS_LINESTRING / GEOS_POLYGON / GEOS_POINT) out of
 * g into p, descending into collections; *others counts parts of another type. */
int bzi_extract_parts(bz_context *ctx, bzi_geom_list *p, const GEOSGeometry *g, int want,
                      size_t *others);

/* Take the parts of the wanted type from one feature (consumes g). A feature that is of another
 * type (not a GeometryCollection, which may mix types and gives what it has) is the caller's
 * mistake: BZ_ERR_TYPE naming the feature. */
int bzi_take_parts(bzi_reader *r, bzi_geom_list *p, GEOSGeometry *g, int want);

#endif

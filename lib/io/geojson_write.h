/*
 * io/geojson_write.h — GeoJSON written directly (geojson_write.c): RFC 7946 text as GDAL's
 * driver writes it, into a file, a stream, /vsimem/ or memory; and the geometry classes the
 * writers sort features by.
 */
#ifndef BZ_IO_GEOJSON_WRITE_H
#define BZ_IO_GEOJSON_WRITE_H

#include "core/context.h"
#include "io/gdal.h"
#include "io/palette.h"

#include <stdio.h>

/* What a geometry is, for the layers and styles: points, lines, polygons, or a mix. */
enum bzi_geom_class { CLASS_MIXED = -1, CLASS_POINT = 0, CLASS_LINE = 1, CLASS_POLYGON = 2 };
int bzi_geom_class(GEOSContextHandle_t h, const GEOSGeometry *g);

/* Where the bytes go. */
enum bzi_json_how { BZI_JSON_FILE, BZI_JSON_STREAM, BZI_JSON_VSI };

typedef struct bzi_json_out {
    bz_context *ctx;
    int fd;        /* the file (or the stream), -1 when closed */
    int stream;    /* a FIFO or a device: not fsync'ed */
    VSILFILE *vsi; /* the file when it is a GDAL virtual one */
    FILE *mem;     /* bzi_json_open_memory: the bytes go here (open_memstream) */
    char *mem_text;
    size_t mem_size;
    char *buf;  /* bytes not yet written */
    size_t len; /* how many */
    int err;    /* the first failed write, 0 if none; later bytes are dropped */
    double *xy; /* scratch: one coordinate sequence */
    size_t xy_cap;
    const GEOSGeometry **parts; /* scratch: the parts of one Multi* geometry */
    size_t parts_cap;
} bzi_json_out;

/* An empty, closed output (bzi_json_free is then a no-op). */
void bzi_json_init(bzi_json_out *j, bz_context *ctx);

/* Create `target` (BZI_JSON_FILE: it must not exist; BZI_JSON_VSI: a /vsimem/ path) or open
 * the stream (stream_fd: the descriptor /dev/fd/N names, else -1), and write the head of a
 * FeatureCollection called `name`. `shown` names the output in messages. */
int bzi_json_open(bzi_json_out *j, const char *target, int how, int stream_fd, const char *shown,
                  const char *name);

/* One feature (index: how many came before it) of geometry class cls, with its attributes and
 * its look's simplestyle properties. */
int bzi_json_feature(bzi_json_out *j, const GEOSGeometry *g, int cls, const bz_feature_attrs *a,
                     const bzi_look *look, size_t index, const char *path);

/* The same feature's text made apart, into *text (malloc'ed, the caller frees it; *size bytes),
 * on any context: features can then be made side by side and put in order with
 * bzi_json_feature_put, which writes exactly what bzi_json_feature would have. */
int bzi_json_feature_text(bz_context *ctx, const GEOSGeometry *g, int cls,
                          const bz_feature_attrs *a, const bzi_look *look, size_t index,
                          const char *path, char **text, size_t *size);
int bzi_json_feature_put(bzi_json_out *j, const char *text, size_t size, size_t index,
                         const char *path);

/* The collection's tail, then every byte to the disk; any failure on the way is reported. */
int bzi_json_close(bzi_json_out *j, const char *shown);

/* The same into memory: *out (malloc'ed, '\0'-terminated) and *size on closing. */
int bzi_json_open_memory(bzi_json_out *j, const char *name);
int bzi_json_close_memory(bzi_json_out *j, char **out, size_t *size);

/* Close and free whatever is open (after a failure: nothing more is written). */
void bzi_json_free(bzi_json_out *j);

#endif

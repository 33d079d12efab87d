/*
 * io/writer_state.h — the state of a bz_writer, shared by the files that make up the writer:
 * writer.c (opening, adding features, committing), writer_style.c (what to style),
 * commit.c (moving the finished files into place) and zones_write.c. Types only.
 */
#ifndef BZ_IO_WRITER_STATE_H
#define BZ_IO_WRITER_STATE_H

#include "core/context.h"
#include "io/gdal.h"
#include "io/geojson_write.h"
#include "io/style.h"

enum layout { LAYOUT_SINGLE, LAYOUT_PER_TYPE, LAYOUT_PER_KIND };

typedef struct out_layer {
    char *kind; /* LAYOUT_PER_KIND: the kind it holds */
    int cls;    /* LAYOUT_PER_TYPE / PER_KIND: the geometry class it holds */
    OGRLayerH layer;
    char name[256]; /* as the driver named it: to find it again when verifying */
    size_t count;   /* features written to it */
} out_layer;

struct bz_writer {
    bz_context *ctx;
    char *path;   /* the target */
    char *dir;    /* its directory */
    char *base;   /* its file name */
    char *stem;   /* the file name without extension */
    char *tmpdir; /* mkdtemp'd beside the target; everything is written in here */
    GDALDatasetH ds;
    OGRSpatialReferenceH srs;
    int layout, geojson, csv, overwrite;
    int vsi;       /* a GDAL virtual path (/vsimem/...): VSI calls instead of POSIX ones */
    int stream;    /* a FIFO or character device: GeoJSON goes straight in, no temporary file */
    int stream_fd; /* /dev/stdout, /dev/fd/N: the descriptor N the stream is (else -1) */
    int needs_geometry; /* FlatGeobuf skips features without geometry: refuse them instead */
    out_layer *layers;
    size_t nlayers;
    char **sides; /* distinct side names, in order of appearance: their colour index */
    size_t nsides;
    int style;             /* write QGIS styles (bz_write_options.no_style is 0) */
    bzi_style_item *items; /* distinct kind/side/class written, in order: what to style */
    size_t nitems;
    size_t nfeatures;
    int fail_status; /* an add failed: commit refuses and cleans up */
    char fail_msg[BZI_ERRMSG_SIZE];
    bzi_json_out json; /* GeoJSON is written directly (geojson_write.c), not through GDAL */
};

#endif

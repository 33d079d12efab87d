/*
 * io/output.h — the output policy: what an output path is (a new file, a regular file, a
 * symlink to one, a FIFO or device, a GDAL virtual file), whether writing there is allowed,
 * and the file-system steps the writer (writer.c, commit.c) takes to put a finished file in place.
 * The policy itself is documented for users with bz_writer in include/bufferzone.h.
 */
#ifndef BZ_IO_OUTPUT_H
#define BZ_IO_OUTPUT_H

#include "io/gdal.h"

#include <stddef.h>
#include <sys/stat.h>

enum bzi_out_kind {
    BZI_OUT_NEW,    /* nothing there yet: created */
    BZI_OUT_FILE,   /* a regular file: replaced atomically, permission bits and owner kept */
    BZI_OUT_STREAM, /* a FIFO or character device: written straight into, never replaced */
    BZI_OUT_VSI     /* a GDAL virtual path (/vsimem/...): GDAL's VSI functions, not POSIX */
};

typedef struct bzi_target {
    int kind;       /* enum bzi_out_kind */
    char *path;     /* malloc'ed: where to write (a symlink's final target; else the path) */
    struct stat st; /* FILE / STREAM: the existing file (mode, owner, device and inode) */
    int fd;         /* STREAM through /dev/stdout, /dev/fd/N, ...: the process's own open
                       descriptor N to write into (a dup of it), else -1 */
} bzi_target;

/* Whether `path` is a FIFO, a character device or an open descriptor (/dev/stdout, ...): the
 * writer's format defaults to GeoJSON there, the one format that can be streamed. */
int bzi_output_is_stream(const char *path);

/* Open a STREAM target for writing: a dup of its descriptor, or open() without O_CREAT (a
 * FIFO waits for its reader here). Returns the descriptor, or -1 with errno set. */
int bzi_stream_open(const bzi_target *t);

/* Whether `path` is a GDAL virtual file system path ("/vsimem/...", "/vsizip/..."). */
int bzi_is_vsi(const char *path);

/* Whether a GDAL virtual path exists (VSIStatL). */
int bzi_vsi_exists(const char *path);

/* What `path` is, following symlinks to their final target (also a dangling one). A
 * directory, socket or block device is BZ_ERR_IO naming it. Free with bzi_target_clear. */
int bzi_target_resolve(bzi_target *t, bz_context *ctx, const char *path);
void bzi_target_clear(bzi_target *t);

/*
 * Everything bz_output_check() decides, for the output `path` written by the OGR driver
 * `driver` (its short name; NULL = a format unknown here: one file of the caller's own).
 * style: the writer puts a QGIS style beside a GeoJSON file ("<name>.qml"), which must not
 * exist either without overwrite (a Shapefile set's .qml files are members of the set).
 * On success *t says where and how to write (free with bzi_target_clear; on failure it holds
 * nothing).
 */
int bzi_output_check(bzi_target *t, bz_context *ctx, const char *path, const char *driver,
                     int overwrite, int style, const char *const *inputs, size_t ninputs);

/* Before `tmp` replaces the regular file `old` describes: the same permission bits, and its
 * owner and group where the process may set them. `shown` names the output in messages. */
int bzi_keep_attributes(bz_context *ctx, const char *tmp, const struct stat *old,
                        const char *shown);

/* A fresh hidden directory "<dir>/.<base>.tmp-XXXXXX" beside the target (POSIX or VSI);
 * malloc'ed path, or NULL with errno set. */
char *bzi_out_mkdtemp(const char *dir, const char *base, int vsi);
/* Remove a VSI temporary directory and everything in it. */
void bzi_out_rmtree_vsi(const char *dir);

/* The files of a Shapefile output set: `<dir>/<stem>_<class>.<ext>`. */
extern const char *const bzi_shp_class_suffix[3]; /* points, lines, polygons */
extern const char *const bzi_shp_exts[9];
/* The path of one member into buf; 0 when it does not fit (then it cannot exist). */
int bzi_shp_member(char *buf, size_t size, const char *dir, const char *stem, int cls,
                   const char *ext);

/* The OGR driver name for a file name's extension (.geojson, .shp, .gpkg, ...), or NULL. */
const char *bzi_driver_for(const char *base);

/* The directory part of `path` into buf ("." when there is none, "/" for "/x"). */
void bzi_dir_of(char *buf, size_t size, const char *path);

/* What bz_output_check and bz_output_write refuse first: a NULL or empty argument (missing
 * != 0), options not initialised. `fn` names the function in the message. */
int bzi_output_check_call(bz_context *ctx, const char *fn, int missing,
                          const bz_write_options *opts);

#endif

/*
 * core/context.h — the context object every call carries (GEOS handle, geodesic, threads, the
 * last error) and the error functions. Internal (hidden) functions use the prefix bzi_.
 *
 * core/ is the bottom layer: it includes only the public header and system/GEOS/PROJ headers.
 */
#ifndef BZ_CORE_CONTEXT_H
#define BZ_CORE_CONTEXT_H

#include "bufferzone.h"

#include <geodesic.h>
#include <geos_c.h>
#include <stddef.h>

#if defined(__GNUC__)
#define BZI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BZI_PRINTF(f, a)
#endif

#define BZI_ERRMSG_SIZE 1024

struct bzi_progress; /* core/progress.h */

struct bz_context {
    GEOSContextHandle_t geos;      /* this context's GEOS handle (reentrant API only) */
    struct geod_geodesic geod;     /* WGS84 */
    int threads;                   /* 0 = auto */
    struct bzi_progress *progress; /* the running zone computation's callback, else NULL */
    int status;                    /* last error status (BZ_OK if none) */
    char errmsg[BZI_ERRMSG_SIZE];
    char geos_msg[BZI_ERRMSG_SIZE]; /* last message from GEOS's error handler */
};

/* Record an error and return `status`, so callers can write `return bzi_error(...)`. */
int bzi_error(bz_context *ctx, int status, const char *fmt, ...) BZI_PRINTF(3, 4);
/* BZ_ERR_GEOS with GEOS's last message appended to `what`. */
int bzi_geos_error(bz_context *ctx, const char *what);
/* BZ_ERR_NOMEM naming what could not be allocated. */
int bzi_nomem(bz_context *ctx, const char *what);
/* The one rule for option structs: `version` must be 1..current, where current is the struct's
 * BZ_*_VERSION macro as this library was built (older versions stay valid when a struct grows).
 * Otherwise BZ_ERR_ARGUMENT, naming the function `fn`, the struct `type` ("bz_read_options")
 * and the version. */
int bzi_check_options_version(bz_context *ctx, const char *fn, const char *type, int version,
                              int current);
/* Prepend context to the current message ("reading x.geojson: " + old message). */
int bzi_error_prefix(bz_context *ctx, const char *fmt, ...) BZI_PRINTF(2, 3);
/* Make a fresh GEOS handle whose errors go to ctx's buffer. */
GEOSContextHandle_t bzi_geos_handle_new(bz_context *ctx);

/* Number of worker threads a heavy job may use (>= 1). */
int bzi_thread_count(const bz_context *ctx);

#endif

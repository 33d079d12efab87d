/* context.c — the bz_context: one GEOS handle, WGS84, the thread count, and its last-error record
 * with the status names and the one option-version rule (errors live in the context, so they
 * are one module with it).
 *
 * core/ owns what every layer above shares and nothing about zones: the context and its errors
 * (context.c), progress and cancellation (progress.c), the one thread fan-out (pool.c), the one
 * way to grow an array (grow.c) and the lon/lat buffer on it (coords.c), GEOS polygon helpers
 * with the one MultiPolygon builder (polygon.c), geometry conversions (geometry.c), a segment
 * grid (seggrid.c) and text (text.c). It includes only the public header, GEOS, PROJ's geodesic
 * and the C library. */
#include "core/context.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ctype.h>
#include <stdarg.h>

/* GEOS reports errors through a handler; copy the text into the owning context (no printing).
 * GEOS formats the message itself before calling us, so `fmt` is "%s" plus one string. */
static void geos_message(const char *message, void *userdata)
{
    bz_context *ctx = userdata;
    snprintf(ctx->geos_msg, sizeof ctx->geos_msg, "%s", message);
}

static void geos_notice(const char *message, void *userdata)
{
    (void)message;
    (void)userdata; /* notices (e.g. "Self-intersection at ...") are not errors */
}

GEOSContextHandle_t bzi_geos_handle_new(bz_context *ctx)
{
    GEOSContextHandle_t h = GEOS_init_r();
    if (!h)
        return NULL;
    GEOSContext_setErrorMessageHandler_r(h, geos_message, ctx);
    GEOSContext_setNoticeMessageHandler_r(h, geos_notice, ctx);
    return h;
}

/* PROJ 9.1's geod_init (GeographicLib's geodesic.c) sets that file's static constants on every
 * call, while geod_inverse in other threads reads them: a data race helgrind reports when two
 * threads make contexts at once. So geod_init runs once per process, on a struct that is never
 * written again; each context copies it. (A mutex, not pthread_once: see bzi_gdal_init.) */
static pthread_mutex_t wgs84_lock = PTHREAD_MUTEX_INITIALIZER;
static struct geod_geodesic wgs84_template; /* guarded by wgs84_lock */
static int wgs84_ready;                     /* guarded by wgs84_lock */

static void wgs84_copy(struct geod_geodesic *out)
{
    pthread_mutex_lock(&wgs84_lock);
    if (!wgs84_ready) {
        geod_init(&wgs84_template, 6378137.0, 1.0 / 298.257223563);
        wgs84_ready = 1;
    }
    *out = wgs84_template;
    pthread_mutex_unlock(&wgs84_lock);
}

bz_context *bz_context_new(void)
{
    bz_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->geos = bzi_geos_handle_new(ctx);
    if (!ctx->geos) {
        bz_context_free(ctx);
        return NULL;
    }
    wgs84_copy(&ctx->geod);
    return ctx;
}

void bz_context_free(bz_context *ctx)
{
    if (!ctx)
        return;
    if (ctx->geos)
        GEOS_finish_r(ctx->geos);
    free(ctx);
}

GEOSContextHandle_t bz_context_geos(bz_context *ctx)
{
    return ctx ? ctx->geos : NULL;
}

int bz_context_set_threads(bz_context *ctx, int threads)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (threads < 0 || threads > BZ_MAX_THREADS)
        return bzi_error(ctx, BZ_ERR_ARGUMENT,
                         "bz_context_set_threads: thread count must be 0..%d (0 = one per CPU), "
                         "got %d",
                         BZ_MAX_THREADS, threads);
    ctx->threads = threads;
    return BZ_OK;
}

int bzi_thread_count(const bz_context *ctx)
{
    if (ctx->threads > 0)
        return ctx->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > 8)
        n = 8;
    return (int)n;
}

const char *bz_version(void)
{
    return BZ_VERSION;
}

/* ---------------------------------------------------------------------------------------- */
/* The last error                                                                           */
/* ---------------------------------------------------------------------------------------- */

const char *bz_status_string(int status)
{
    switch (status) {
    case BZ_OK: return "success";
    case BZ_ERR_ARGUMENT: return "invalid argument";
    case BZ_ERR_GEOMETRY: return "invalid geometry";
    case BZ_ERR_TYPE: return "wrong geometry type";
    case BZ_ERR_PROJECTION: return "projection error";
    case BZ_ERR_IO: return "input/output error";
    case BZ_ERR_FORMAT: return "unreadable or corrupt data";
    case BZ_ERR_NOT_FOUND: return "not found";
    case BZ_ERR_EXISTS: return "output exists";
    case BZ_ERR_NOMEM: return "out of memory";
    case BZ_ERR_GEOS: return "geometry engine error";
    case BZ_ERR_ACCURACY: return "accuracy bound not met";
    case BZ_ERR_CANCELLED: return "cancelled";
    default: return "unknown status";
    }
}

int bzi_error(bz_context *ctx, int status, const char *fmt, ...)
{
    if (!ctx)
        return status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->errmsg, sizeof ctx->errmsg, fmt, ap);
    va_end(ap);
    ctx->status = status;
    return status;
}

int bzi_error_prefix(bz_context *ctx, const char *fmt, ...)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    char prefix[BZI_ERRMSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    if (n < 0)
        return ctx->status;
    size_t plen = strlen(prefix);
    size_t olen = strlen(ctx->errmsg);
    if (plen + olen >= sizeof ctx->errmsg)
        olen = sizeof ctx->errmsg - 1 - plen; /* keep the prefix, cut the old tail */
    memmove(ctx->errmsg + plen, ctx->errmsg, olen);
    memcpy(ctx->errmsg, prefix, plen);
    ctx->errmsg[plen + olen] = '\0';
    return ctx->status;
}

int bzi_check_options_version(bz_context *ctx, const char *fn, const char *type, int version,
                              int current)
{
    if (version >= 1 && version <= current)
        return BZ_OK;
    /* bz_read_options -> BZ_READ_OPTIONS_INIT, the macro that sets the version */
    char init[64];
    size_t n = 0;
    for (; type[n] && n + sizeof "_INIT" < sizeof init; n++)
        init[n] = (char)toupper((unsigned char)type[n]);
    snprintf(init + n, sizeof init - n, "_INIT");
    if (version == 0)
        return bzi_error(ctx, BZ_ERR_ARGUMENT,
                         "%s: %s version 0: the struct is not initialised (use %s)", fn, type,
                         init);
    return bzi_error(ctx, BZ_ERR_ARGUMENT,
                     "%s: %s version %d is not supported (this library knows %s 1 to %d; "
                     "initialise the struct with %s)",
                     fn, type, version, current == 1 ? "version" : "versions", current, init);
}

int bzi_geos_error(bz_context *ctx, const char *what)
{
    if (ctx->geos_msg[0])
        return bzi_error(ctx, BZ_ERR_GEOS, "%s: %s", what, ctx->geos_msg);
    return bzi_error(ctx, BZ_ERR_GEOS, "%s failed in GEOS", what);
}

int bzi_nomem(bz_context *ctx, const char *what)
{
    return bzi_error(ctx, BZ_ERR_NOMEM, "out of memory while %s", what);
}

const char *bz_errmsg(const bz_context *ctx)
{
    return ctx ? ctx->errmsg : "no context";
}

int bz_errcode(const bz_context *ctx)
{
    return ctx ? ctx->status : BZ_ERR_ARGUMENT;
}

void bz_context_clear_error(bz_context *ctx)
{
    if (!ctx)
        return;
    ctx->status = BZ_OK;
    ctx->errmsg[0] = '\0';
    ctx->geos_msg[0] = '\0';
}

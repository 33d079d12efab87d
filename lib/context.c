/* context.c — the bz_context: one GEOS handle, one PROJ context, WGS84, the last error. */
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* PROJ would print to stderr by default; keep its messages out of the user's terminal. */
static void proj_log(void *userdata, int level, const char *message)
{
    (void)userdata;
    (void)level;
    (void)message;
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
    ctx->proj = proj_context_create();
    if (!ctx->geos || !ctx->proj) {
        bz_context_free(ctx);
        return NULL;
    }
    proj_log_func(ctx->proj, NULL, proj_log);
    wgs84_copy(&ctx->geod);
    return ctx;
}

void bz_context_free(bz_context *ctx)
{
    if (!ctx)
        return;
    if (ctx->geos)
        GEOS_finish_r(ctx->geos);
    if (ctx->proj)
        proj_context_destroy(ctx->proj);
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

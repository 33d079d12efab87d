/*
 * progress.c — progress reports and cancellation of a zone computation, per call and per
 * context (never GEOS's process-wide interrupt, which would stop every thread's GEOS work).
 *
 * The calling thread polls at stage boundaries and in its share of the long loops (buffer
 * pieces, verification samples, faces of the side split); worker threads only read the stop
 * flag. The callback is rate-limited to one call per ~10 ms so that polling in inner loops
 * costs a clock read, not a call into (say) Python.
 */
/* pthread_timedjoin_np: wait for a worker and wake up to call the callback meanwhile. */
#define _GNU_SOURCE 1

#include "core/context.h"
#include "core/progress.h"

#include <errno.h>

/* Callback calls at most this often (seconds) except the first (0) and the last (1). */
#define MIN_INTERVAL_S 0.010
/* How long a join waits before calling the callback again (nanoseconds). */
#define JOIN_SLICE_NS 5000000L

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + 1e-9 * (double)(now.tv_nsec - t->tv_nsec);
}

/* Call the callback with `fraction` (kept non-decreasing); 1 when it asks to stop. */
static int call(bzi_progress *p, double fraction)
{
    if (!(fraction >= p->last)) /* also NaN */
        fraction = p->last;
    if (fraction > 1.0)
        fraction = 1.0;
    p->last = fraction;
    clock_gettime(CLOCK_MONOTONIC, &p->last_call);
    if (p->fn(fraction, p->data) != 0) {
        atomic_store(&p->stop, 1);
        return 1;
    }
    return 0;
}

int bzi_progress_cancelled(bz_context *ctx)
{
    return bzi_error(ctx, BZ_ERR_CANCELLED, "cancelled by the progress callback");
}

int bzi_progress_begin(bzi_progress *p, bz_context *ctx, bz_progress_fn fn, void *data)
{
    ctx->progress = NULL;
    if (!fn)
        return BZ_OK;
    p->fn = fn;
    p->data = data;
    p->caller = pthread_self();
    atomic_init(&p->stop, 0);
    p->lo = 0.0;
    p->hi = 0.0;
    p->last = 0.0;
    ctx->progress = p;
    return call(p, 0.0) ? bzi_progress_cancelled(ctx) : BZ_OK;
}

int bzi_progress_end(bz_context *ctx, int rc)
{
    bzi_progress *p = ctx->progress;
    ctx->progress = NULL;
    if (!p || rc != BZ_OK)
        return rc;
    if (atomic_load(&p->stop) || call(p, 1.0))
        return bzi_progress_cancelled(ctx);
    return BZ_OK;
}

void bzi_progress_stage(bz_context *ctx, double lo, double hi)
{
    bzi_progress *p = ctx->progress;
    if (!p || !pthread_equal(pthread_self(), p->caller))
        return;
    p->lo = lo;
    p->hi = hi;
}

int bzi_progress_tick(bzi_progress *p, double done)
{
    if (!p)
        return BZ_OK;
    if (atomic_load_explicit(&p->stop, memory_order_relaxed))
        return BZ_ERR_CANCELLED;
    if (!pthread_equal(pthread_self(), p->caller) || seconds_since(&p->last_call) < MIN_INTERVAL_S)
        return BZ_OK;
    if (!(done >= 0.0)) /* NaN or negative: no news, report the last fraction again */
        done = 0.0;
    double f = p->lo + (done < 1.0 ? done : 1.0) * (p->hi - p->lo);
    return call(p, f) ? BZ_ERR_CANCELLED : BZ_OK;
}

int bzi_progress_poll(bz_context *ctx, double done)
{
    return bzi_progress_tick(ctx->progress, done) ? bzi_progress_cancelled(ctx) : BZ_OK;
}

void bzi_progress_join(bz_context *ctx, pthread_t thread)
{
    bzi_progress *p = ctx->progress;
    if (!p || !pthread_equal(pthread_self(), p->caller)) {
        pthread_join(thread, NULL);
        return;
    }
    for (;;) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += JOIN_SLICE_NS;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        int rc = pthread_timedjoin_np(thread, NULL, &until);
        if (rc == 0)
            return;
        if (rc != ETIMEDOUT) { /* cannot be waited for this way: wait plainly */
            pthread_join(thread, NULL);
            return;
        }
        /* The worker sees a stop at its next poll; keep waiting for it either way. */
        bzi_progress_tick(p, -1.0);
    }
}

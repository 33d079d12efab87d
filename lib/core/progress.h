/* core/progress.h — progress callback and cancellation of one zone computation (progress.c). */
#ifndef BZ_CORE_PROGRESS_H
#define BZ_CORE_PROGRESS_H

#include "core/context.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

/*
 * Progress and cancellation of one zone computation (progress.c). It lives on the stack of the
 * public call that has a callback; the calling thread's context points at it while the call
 * runs, and worker threads get the pointer too. Only the calling thread ever calls the user's
 * callback; when it asks to stop, `stop` is set and every thread sees it at its next poll.
 */
typedef struct bzi_progress {
    bz_progress_fn fn;
    void *data;
    pthread_t caller;          /* the thread that called the library */
    atomic_int stop;           /* set once the callback asked to stop */
    double lo, hi;             /* the current stage's share of [0, 1] */
    double last;               /* the last fraction reported (fractions never go back) */
    struct timespec last_call; /* when the callback was last called */
} bzi_progress;

/* Start reporting for a call of the calling thread: with a callback, ctx->progress = p and the
 * callback is called with 0 (it may already cancel); without one, ctx->progress = NULL. */
int bzi_progress_begin(bzi_progress *p, bz_context *ctx, bz_progress_fn fn, void *data);
/* The end of the call: on success the callback gets 1.0 (and may still cancel). Detaches p
 * from ctx. Returns rc, or BZ_ERR_CANCELLED (recorded) when the callback stopped it. */
int bzi_progress_end(bz_context *ctx, int rc);
/* The next stage covers [lo, hi] of the whole (calling thread only). */
void bzi_progress_stage(bz_context *ctx, double lo, double hi);
/* From any thread, cheap enough for inner loops: BZ_ERR_CANCELLED (not recorded anywhere) when
 * the computation is to stop, else BZ_OK. On the calling thread the callback is called with
 * `done` (the fraction of the current stage, in [0, 1]) when ~10 ms have passed since its last
 * call. p may be NULL (no callback: always BZ_OK). */
int bzi_progress_tick(bzi_progress *p, double done);
/* bzi_progress_tick for ctx->progress that records BZ_ERR_CANCELLED in ctx (use it with the
 * context of the running thread). */
int bzi_progress_poll(bz_context *ctx, double done);
/* Record the cancellation in ctx: BZ_ERR_CANCELLED, "cancelled by the progress callback". */
int bzi_progress_cancelled(bz_context *ctx);
/* pthread_join that keeps calling the callback while it waits (the calling thread must stay
 * responsive while workers finish). */
void bzi_progress_join(bz_context *ctx, pthread_t thread);

#endif

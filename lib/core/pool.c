/*
 * pool.c — the one thread fan-out: n tasks on up to k threads, the calling thread among them.
 *
 * Every parallel step of the library (the buffer's pieces, the verification's samples, the two
 * halves of a union, the grounds beside the buffers) is a handful of tasks with their own result
 * slots. Threads are started per call, not kept: a call makes at most a few dozen tasks that run
 * for milliseconds to seconds, so starting a thread (~20 µs) costs nothing measurable, and
 * nothing outlives the call. The calling thread runs task 0 itself and waits for the others with
 * bzi_progress_join, so that the progress callback (only ever called on the calling thread)
 * keeps being called while workers finish.
 */
#include "core/pool.h"
#include "core/progress.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct pool {
    bzi_task_fn task;
    void *arg;
    size_t n;
    atomic_size_t next; /* the next task to hand out */
} pool;

/* Take tasks in order until none is left. */
static void drain(pool *p)
{
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            return;
        p->task(p->arg, i);
    }
}

static void *worker_main(void *arg)
{
    drain(arg);
    return NULL;
}

void bzi_pool_run(bz_context *ctx, size_t n, int threads, bzi_task_fn task, void *arg)
{
    if (n == 0)
        return;
    pool p = {task, arg, n, 0};
    /* task 0 is the calling thread's, whatever the workers do */
    atomic_store(&p.next, 1);
    size_t extra = threads > 1 ? (size_t)threads - 1 : 0;
    if (extra > n - 1)
        extra = n - 1;
    pthread_t *tids = extra ? malloc(extra * sizeof *tids) : NULL;
    size_t started = 0;
    for (; tids && started < extra; started++)
        if (pthread_create(&tids[started], NULL, worker_main, &p) != 0)
            break;
    task(arg, 0);
    drain(&p); /* the tasks no worker took, all of them when no worker started */
    for (size_t t = 0; t < started; t++)
        bzi_progress_join(ctx, tids[t]);
    free(tids);
}

/* ---------------------------------------------------------------------------------------- */
/* Tasks with contexts of their own                                                         */
/* ---------------------------------------------------------------------------------------- */

typedef struct own_run {
    bzi_ctx_task_fn task;
    void *arg;
    bz_context **ctxs; /* per task; [0] is the caller's */
    int *status;       /* per task */
} own_run;

static void own_task(void *arg, size_t i)
{
    own_run *r = arg;
    r->status[i] = r->task(r->ctxs[i], r->arg, i);
}

static void free_own(bz_context **ctxs, size_t n)
{
    for (size_t i = 1; ctxs && i < n; i++)
        bz_context_free(ctxs[i]);
    free(ctxs);
}

int bzi_pool_run_own(bz_context *ctx, size_t n, bzi_ctx_task_fn task, void *arg)
{
    int threads = bzi_thread_count(ctx);
    bz_context **ctxs = NULL;
    int *status = NULL;
    if (threads > 1 && n > 1) {
        ctxs = calloc(n, sizeof *ctxs);
        status = calloc(n, sizeof *status);
        for (size_t i = 1; ctxs && status && i < n; i++) {
            if (!(ctxs[i] = bz_context_new())) {
                free_own(ctxs, n);
                ctxs = NULL;
                break;
            }
            ctxs[i]->threads = 1;
        }
        if (!ctxs || !status) { /* no room for the contexts: run them in place */
            free_own(ctxs, n);
            free(status);
            ctxs = NULL;
        }
    }
    if (!ctxs) {
        for (size_t i = 0; i < n; i++) {
            int rc = task(ctx, arg, i);
            if (rc != BZ_OK)
                return rc;
        }
        return BZ_OK;
    }
    ctxs[0] = ctx;
    own_run r = {task, arg, ctxs, status};
    bzi_pool_run(ctx, n, threads, own_task, &r);
    int rc = BZ_OK;
    for (size_t i = 0; i < n && rc == BZ_OK; i++)
        if (status[i] != BZ_OK)
            rc = i == 0 ? status[0] : bzi_error(ctx, status[i], "%s", bz_errmsg(ctxs[i]));
    free_own(ctxs, n);
    free(status);
    return rc;
}

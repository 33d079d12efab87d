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

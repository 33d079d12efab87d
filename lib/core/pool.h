/* core/pool.h — the library's one thread fan-out (pool.c). */
#ifndef BZ_CORE_POOL_H
#define BZ_CORE_POOL_H

#include "core/context.h"

#include <stddef.h>

/* One task of a fan-out: task(arg, i) for task number i. A task writes its result only to its
 * own slot (indexed by i), so that what the fan-out computes does not depend on which thread ran
 * which task, nor on how many threads there were. */
typedef void (*bzi_task_fn)(void *arg, size_t i);

/*
 * Run task(arg, i) for every i in [0, n), each exactly once, on up to `threads` threads: the
 * calling thread always runs task 0 first and then takes part like the workers (tasks are
 * handed out in order, one at a time). Tasks no thread could be started for run on the calling
 * thread. Returns once every task has finished; while it waits for the workers the calling
 * thread keeps calling ctx's progress callback (bzi_progress_join). Cancellation is the tasks'
 * business: they poll the progress (bzi_progress_tick) and stop early.
 */
void bzi_pool_run(bz_context *ctx, size_t n, int threads, bzi_task_fn task, void *arg);

/* One task of bzi_pool_run_own: task(c, arg, i) works on the context c it is given (its GEOS
 * handle, its error message) and returns a status. */
typedef int (*bzi_ctx_task_fn)(bz_context *c, void *arg, size_t i);

/*
 * Run task(c, arg, i) for every i in [0, n) on up to bzi_thread_count(ctx) threads, each task
 * with a context of its own (task 0 with ctx itself; the others' contexts are single-threaded
 * and see no progress callback: a task here is milliseconds of work). Returns BZ_OK, or the
 * status of the failing task with the lowest index, its message recorded in ctx. With one thread
 * (or no memory for the contexts) the tasks run in order on ctx and the first failure stops
 * them. Either way a task writes only its own slots, so the results do not depend on the
 * threads; after a failure some slots may be filled and others not.
 */
int bzi_pool_run_own(bz_context *ctx, size_t n, bzi_ctx_task_fn task, void *arg);

#endif

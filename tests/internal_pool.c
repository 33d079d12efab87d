/* internal_pool.c — bzi_pool_run_own (tasks that each work on a context of their own) and
 * bzi_line_copy (a line copied with its index, not built again):
 *  - every task runs once; on several threads each task has its own context, task 0 the
 *    caller's, and no two tasks share one; on one thread all run on the caller's context;
 *  - the failure reported is that of the failing task with the lowest index, with its own
 *    message, whichever thread finished first; on one thread the first failure stops the rest;
 *  - a copied line answers every distance query exactly as a line built from the same points,
 *    and frees on its own (the original freed first). */
#include "core/pool.h"
#include "geo/distance.h"
#include "geo/line.h"
#include "geo/line_index.h"

#include <geodesic.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "support.h"

#define NTASKS 7

typedef struct seen_tasks {
    bz_context *caller;
    bz_context *ctx[NTASKS]; /* the context each task was given */
    int runs[NTASKS];
    int fail_from; /* tasks with an index >= this fail ... */
    int fail_mod;  /* ... when index % fail_mod == 1 (0: none fail) */
} seen_tasks;

static int record_task(bz_context *c, void *arg, size_t i)
{
    seen_tasks *s = arg;
    s->ctx[i] = c;
    s->runs[i]++;
    if (s->fail_mod && (int)i >= s->fail_from && (int)i % s->fail_mod == 1)
        return bzi_error(c, i % 4 == 1 ? BZ_ERR_GEOMETRY : BZ_ERR_ACCURACY, "task %zu failed", i);
    /* a little work, so that the threads overlap */
    double x = 0.0;
    for (int k = 0; k < 20000; k++)
        x += sin((double)k + (double)i);
    return x > 1e9 ? BZ_ERR_GEOS : BZ_OK;
}

static void test_each_task_has_its_own_context(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    assert_non_null(ctx);
    for (int threads = 1; threads <= 8; threads *= 2) {
        assert_int_equal(bz_context_set_threads(ctx, threads), BZ_OK);
        seen_tasks s = {ctx, {NULL}, {0}, 0, 0};
        assert_int_equal(bzi_pool_run_own(ctx, NTASKS, record_task, &s), BZ_OK);
        for (int i = 0; i < NTASKS; i++) {
            assert_int_equal(s.runs[i], 1);
            if (threads == 1) {
                assert_ptr_equal(s.ctx[i], ctx);
                continue;
            }
            if (i == 0)
                assert_ptr_equal(s.ctx[i], ctx);
            for (int k = 0; k < i; k++)
                assert_ptr_not_equal(s.ctx[i], s.ctx[k]);
        }
    }
    bz_context_free(ctx);
}

static void test_first_failure_by_index(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    assert_non_null(ctx);
    for (int threads = 1; threads <= 8; threads *= 2) {
        assert_int_equal(bz_context_set_threads(ctx, threads), BZ_OK);
        /* tasks 1, 3, 5 fail (1 and 5 with BZ_ERR_GEOMETRY, 3 with BZ_ERR_ACCURACY) */
        seen_tasks s = {ctx, {NULL}, {0}, 0, 2};
        assert_int_equal(bzi_pool_run_own(ctx, NTASKS, record_task, &s), BZ_ERR_GEOMETRY);
        assert_string_equal(bz_errmsg(ctx), "task 1 failed");
        /* only task 3 and later fail: task 3's status and message */
        seen_tasks t = {ctx, {NULL}, {0}, 3, 2};
        assert_int_equal(bzi_pool_run_own(ctx, NTASKS, record_task, &t), BZ_ERR_ACCURACY);
        assert_string_equal(bz_errmsg(ctx), "task 3 failed");
        if (threads == 1) { /* in order on one thread: the failure stops the rest */
            assert_int_equal(t.runs[3], 1);
            assert_int_equal(t.runs[4], 0);
        } else {
            for (int i = 0; i < NTASKS; i++)
                assert_int_equal(t.runs[i], 1);
        }
        /* task 0 itself (the caller's context) */
        seen_tasks u = {ctx, {NULL}, {0}, 0, 1};
        assert_int_equal(bzi_pool_run_own(ctx, 1, record_task, &u), BZ_OK);
        assert_int_equal(u.runs[0], 1);
    }
    bz_context_free(ctx);
}

/* A wiggly line of n vertices at 50°N, 3° of longitude long, with a second part. */
static double *wiggly(size_t n, size_t *sizes)
{
    double *xy = malloc(2 * n * sizeof *xy);
    size_t first = n - 50;
    for (size_t i = 0; i < first; i++) {
        double t = (double)i / (double)(first - 1);
        xy[2 * i] = 10.0 + 3.0 * t;
        xy[2 * i + 1] = 50.0 + 0.05 * sin(90.0 * t) + 0.002 * sin(2000.0 * t);
    }
    for (size_t i = first; i < n; i++) { /* a second part, north of the first */
        xy[2 * i] = 10.5 + 0.01 * (double)(i - first);
        xy[2 * i + 1] = 51.0;
    }
    sizes[0] = first;
    sizes[1] = n - first;
    return xy;
}

static void test_line_copy_answers_alike(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    assert_non_null(ctx);
    size_t sizes[2], n = 20000;
    double *xy = wiggly(n, sizes);
    bz_line *line = NULL, *copy = NULL, *again = NULL;
    assert_int_equal(bz_line_from_parts(&line, ctx, xy, sizes, 2), BZ_OK);
    assert_int_equal(bzi_line_copy(&copy, ctx, line), BZ_OK);
    assert_int_equal(bz_line_from_parts(&again, ctx, xy, sizes, 2), BZ_OK);
    free(xy);
    /* the copy owns everything: the original goes first */
    bz_line_free(line);
    assert_int_equal(bz_line_num_parts(copy), 2);
    assert_int_equal(bz_line_num_points(copy), bz_line_num_points(again));
    const bzi_line_index *a = copy->index, *b = again->index;
    assert_int_equal(a->nseg, b->nseg);
    assert_int_equal(a->nlevels, b->nlevels);
    assert_memory_equal(a->seg_vertex, b->seg_vertex, a->nseg * sizeof *a->seg_vertex);
    assert_memory_equal(a->boxes, b->boxes, a->nseg * sizeof *a->boxes);
    assert_true(a->lon_mid == b->lon_mid);
    assert_int_equal(GEOSEquals_r(ctx->geos, bz_line_geometry(copy), bz_line_geometry(again)), 1);
    uint64_t rng = 42;
    for (int k = 0; k < 2000; k++) {
        double lon = 9.0 + 5.0 * support_random(&rng), lat = 49.0 + 3.0 * support_random(&rng);
        bz_nearest p, q;
        assert_int_equal(bz_line_distance(&p, ctx, copy, lon, lat), BZ_OK);
        assert_int_equal(bz_line_distance(&q, ctx, again, lon, lat), BZ_OK);
        assert_true(p.distance_m == q.distance_m);
        assert_true(p.lon == q.lon && p.lat == q.lat);
        assert_int_equal(p.part, q.part);
        assert_int_equal(p.segment, q.segment);
        assert_int_equal(p.side, q.side);
    }
    bz_line_free(copy);
    bz_line_free(again);
    bz_context_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_task_has_its_own_context),
        cmocka_unit_test(test_first_failure_by_index),
        cmocka_unit_test(test_line_copy_answers_alike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

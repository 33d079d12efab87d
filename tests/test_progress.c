/*
 * test_progress.c — the progress callback of bz_zones_compute (zone options version 2) and of
 * bz_line_derive (derive options version 2), and cancelling through them.
 *
 * Truth: the contract itself (fractions in [0, 1], non-decreasing, 0 first and exactly 1 last,
 * only from the calling thread, no call after a stop), and results with a callback compared
 * bit for bit (WKB) with the same computation without one. Cancelling at the first, a middle
 * and the last call must give BZ_ERR_CANCELLED with nothing returned; leaks are the business of
 * the valgrind and sanitizer runs of this suite.
 */
#include <bufferzone.h>
#include <geos_c.h>

#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after setjmp.h, stdarg.h, stddef.h: it needs them */

#include "support.h"

/* A wiggly line of n vertices from 36°E, 47°N towards the north-east, ~300 m apart: enough work
 * for several progress calls (the callback is called at most every ~10 ms). */
static bz_line *wiggly_line(bz_context *ctx, size_t n)
{
    double *ll = malloc(2 * n * sizeof *ll);
    assert_non_null(ll);
    for (size_t i = 0; i < n; i++) {
        double t = (double)i;
        ll[2 * i] = 36.0 + 0.003 * t + 0.01 * sin(t / 7.0);
        ll[2 * i + 1] = 47.0 + 0.0015 * t + 0.01 * cos(t / 5.0);
    }
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_lonlat(&line, ctx, ll, n), BZ_OK);
    free(ll);
    return line;
}

/* A region around the line's middle (the line crosses it), so the side split of sides.c runs. */
static GEOSGeometry *region_of(bz_context *ctx)
{
    return support_wkt(ctx, "POLYGON ((36.5 47.0, 39.5 47.0, 39.5 49.5, 36.5 49.5, 36.5 47.0))");
}

/* What the callback saw. */
typedef struct record {
    pthread_t caller;
    size_t calls;
    size_t cancel_at;  /* stop at this call (1-based); 0 = never */
    int cancel_at_one; /* stop at the call with fraction 1 */
    double fractions[4096];
    int wrong_thread;
} record;

static int on_progress(double fraction, void *data)
{
    record *r = data;
    if (!pthread_equal(pthread_self(), r->caller))
        r->wrong_thread = 1;
    if (r->calls < sizeof r->fractions / sizeof r->fractions[0])
        r->fractions[r->calls] = fraction;
    r->calls++;
    if (r->cancel_at && r->calls == r->cancel_at)
        return 1;
    if (r->cancel_at_one && fraction == 1.0)
        return 1;
    return 0;
}

static void record_init(record *r)
{
    memset(r, 0, sizeof *r);
    r->caller = pthread_self();
}

/* A record that stops the work at its first call (which 0), at the middle of `calls` (1) or at
 * the report of 1.0 (2), the three places a cancel is tested. */
static void record_cancelling(record *r, int which, size_t calls)
{
    record_init(r);
    if (which == 0) {
        r->cancel_at = 1;
    } else if (which == 1) {
        r->cancel_at = calls / 2 > 1 ? calls / 2 : 2;
        r->cancel_at_one = 1;
    } else {
        r->cancel_at_one = 1;
    }
}

/* Every geometry of a result as WKB, concatenated (to compare results bit for bit). */
static unsigned char *result_wkb(bz_context *ctx, const bz_zones *z, size_t *size)
{
    const GEOSGeometry *g[] = {bz_zones_zone(z, BZ_SIDE_A),
                               bz_zones_zone(z, BZ_SIDE_B),
                               bz_zones_withdrawal_line(z, BZ_SIDE_A),
                               bz_zones_withdrawal_line(z, BZ_SIDE_B),
                               bz_zones_buffer_zone(z),
                               bz_zones_side_ground(z, BZ_SIDE_A),
                               bz_zones_side_ground(z, BZ_SIDE_B)};
    unsigned char *all = NULL;
    size_t n = 0;
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
        unsigned char *b = NULL;
        size_t k = 0;
        assert_int_equal(bz_geometry_to_wkb(&b, &k, ctx, g[i]), BZ_OK);
        all = realloc(all, n + k);
        assert_non_null(all);
        memcpy(all + n, b, k);
        n += k;
        bz_free(b);
    }
    *size = n;
    return all;
}

static void assert_same_result(bz_context *ctx, const bz_zones *a, const bz_zones *b)
{
    size_t na = 0, nb = 0;
    unsigned char *wa = result_wkb(ctx, a, &na), *wb = result_wkb(ctx, b, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(wa, wb, na);
    free(wa);
    free(wb);
    assert_true(bz_zones_max_error(a) == bz_zones_max_error(b));
    assert_true(bz_zones_area(a, BZ_SIDE_A) == bz_zones_area(b, BZ_SIDE_A));
    assert_true(bz_zones_area(a, BZ_SIDE_B) == bz_zones_area(b, BZ_SIDE_B));
}

static void assert_fractions_ok(const record *r)
{
    assert_false(r->wrong_thread);
    assert_true(r->calls >= 1);
    size_t n = r->calls < 4096 ? r->calls : 4096;
    assert_true(r->fractions[0] == 0.0);
    for (size_t i = 0; i < n; i++) {
        assert_true(r->fractions[i] >= 0.0 && r->fractions[i] <= 1.0);
        if (i > 0 && r->fractions[i] < r->fractions[i - 1])
            fail_msg("fraction %zu = %.17g after %.17g", i, r->fractions[i], r->fractions[i - 1]);
    }
}

/* After a cancelled run: the calls were well formed and ended where record_cancelling asked. */
static void assert_stopped_where_asked(const record *r, int which)
{
    assert_fractions_ok(r);
    if (which == 0)
        assert_int_equal(r->calls, 1);
    else if (which == 2)
        assert_true(r->fractions[r->calls - 1] == 1.0);
    else if (r->fractions[r->calls - 1] < 1.0)
        assert_int_equal(r->calls, r->cancel_at); /* nothing after the stop */
}

/* Forms: 0 line alone, 1 line + region. Threads: 1 and the default. */
static void run_forms(bz_context *ctx,
                      void (*check)(bz_context *, const bz_line *, const GEOSGeometry *))
{
    bz_line *line = wiggly_line(ctx, 250);
    GEOSGeometry *region = region_of(ctx);
    for (int threads = 1; threads >= 0; threads--) {
        assert_int_equal(bz_context_set_threads(ctx, threads), BZ_OK);
        check(ctx, line, NULL);
        check(ctx, line, region);
    }
    bz_geometry_free(ctx, region);
    bz_line_free(line);
}

/* A callback that never stops: fractions from 0 to exactly 1, non-decreasing, on this thread;
 * the result is the same, bit for bit, as without a callback. */
static void check_reports(bz_context *ctx, const bz_line *line, const GEOSGeometry *region)
{
    bz_zones *plain = NULL, *watched = NULL;
    assert_int_equal(bz_zones_compute(&plain, ctx, line, region, NULL, 10000, 4000, NULL), BZ_OK);
    record r;
    record_init(&r);
    bz_zone_options o = BZ_ZONE_OPTIONS_INIT;
    o.progress = on_progress;
    o.progress_data = &r;
    assert_int_equal(bz_zones_compute(&watched, ctx, line, region, NULL, 10000, 4000, &o), BZ_OK);
    assert_fractions_ok(&r);
    assert_true(r.calls >= 2);
    assert_true(r.fractions[(r.calls < 4096 ? r.calls : 4096) - 1] == 1.0);
    if (getenv("BZ_TEST_VERBOSE"))
        fprintf(stderr, "%s: %zu calls\n", region ? "region" : "line alone", r.calls);
    assert_same_result(ctx, plain, watched);
    bz_zones_free(plain);
    bz_zones_free(watched);
}

static void test_progress_reports(void **state)
{
    run_forms(*state, check_reports);
}

/* Stopping at the first call, a middle call and the last call (fraction 1): BZ_ERR_CANCELLED,
 * the fixed message, *out NULL, and no call after the one that said stop. */
static void check_cancel(bz_context *ctx, const bz_line *line, const GEOSGeometry *region)
{
    record full;
    record_init(&full);
    bz_zone_options o = BZ_ZONE_OPTIONS_INIT;
    o.progress = on_progress;
    o.progress_data = &full;
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, line, region, NULL, 10000, 4000, &o), BZ_OK);
    bz_zones_free(z);
    for (int which = 0; which < 3; which++) {
        record r;
        record_cancelling(&r, which, full.calls);
        o.progress_data = &r;
        z = (bz_zones *)&r;
        bz_context_clear_error(ctx);
        int rc = bz_zones_compute(&z, ctx, line, region, NULL, 10000, 4000, &o);
        if (rc != BZ_ERR_CANCELLED)
            fail_msg("stop at call %zu (of %zu): status %d (%s)", r.cancel_at, full.calls, rc,
                     bz_errmsg(ctx));
        assert_null(z);
        assert_int_equal(bz_errcode(ctx), BZ_ERR_CANCELLED);
        assert_string_equal(bz_errmsg(ctx), "cancelled by the progress callback");
        assert_stopped_where_asked(&r, which);
    }
    /* The context works normally afterwards. */
    assert_int_equal(bz_zones_compute(&z, ctx, line, region, NULL, 10000, 4000, NULL), BZ_OK);
    bz_zones_free(z);
}

static void test_progress_cancel(void **state)
{
    run_forms(*state, check_cancel);
}

/* A version 1 struct (without the two callback fields), allocated at exactly its size so that
 * the sanitizers and valgrind catch a read past it: accepted, same result. */
typedef struct zone_options_v1 {
    int version;
    double max_error_m;
    int verify;
    double verify_step_m;
    double derive_tolerance_m;
} zone_options_v1;

static void test_options_version_1(void **state)
{
    bz_context *ctx = *state;
    bz_line *line = wiggly_line(ctx, 300);
    zone_options_v1 *v1 = malloc(sizeof *v1);
    assert_non_null(v1);
    *v1 = (zone_options_v1){1, 0.0, 1, 0.0, 1000.0};
    bz_zones *a = NULL, *b = NULL;
    assert_int_equal(
        bz_zones_compute(&a, ctx, line, NULL, NULL, 5000, 5000, (const bz_zone_options *)v1),
        BZ_OK);
    assert_int_equal(bz_zones_compute(&b, ctx, line, NULL, NULL, 5000, 5000, NULL), BZ_OK);
    assert_same_result(ctx, a, b);
    bz_zones_free(a);
    bz_zones_free(b);
    free(v1);

    /* Versions beyond the header's are refused, as before. */
    bz_zone_options o = BZ_ZONE_OPTIONS_INIT;
    assert_int_equal(BZ_ZONE_OPTIONS_VERSION, 2);
    o.version = BZ_ZONE_OPTIONS_VERSION + 1;
    assert_int_equal(bz_zones_compute(&a, ctx, line, NULL, NULL, 5000, 5000, &o), BZ_ERR_ARGUMENT);
    assert_null(a);
    bz_line_free(line);
}

/* Cancelling is per context: a computation stopped on one thread leaves another thread's
 * computation, running at the same time without a callback, whole and equal to the truth. */
typedef struct job {
    const bz_line *line;
    int cancel; /* 1: stop at the third progress call */
    int status;
    bz_zones *z;
    bz_context *ctx;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    j->ctx = bz_context_new();
    if (!j->ctx) {
        j->status = BZ_ERR_NOMEM;
        return NULL;
    }
    bz_context_set_threads(j->ctx, 1);
    record r;
    record_init(&r);
    r.cancel_at = 3;
    r.cancel_at_one = 1;
    bz_zone_options o = BZ_ZONE_OPTIONS_INIT;
    o.progress = j->cancel ? on_progress : NULL;
    o.progress_data = &r;
    j->status = bz_zones_compute(&j->z, j->ctx, j->line, NULL, NULL, 10000, 4000, &o);
    return NULL;
}

static void test_cancel_is_per_context(void **state)
{
    bz_context *ctx = *state;
    bz_line *line = wiggly_line(ctx, 250);
    bz_zones *truth = NULL;
    assert_int_equal(bz_context_set_threads(ctx, 1), BZ_OK);
    assert_int_equal(bz_zones_compute(&truth, ctx, line, NULL, NULL, 10000, 4000, NULL), BZ_OK);
    job jobs[2] = {{line, 1, 0, NULL, NULL}, {line, 0, 0, NULL, NULL}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, run_job, &jobs[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(jobs[0].status, BZ_ERR_CANCELLED);
    assert_null(jobs[0].z);
    assert_int_equal(jobs[1].status, BZ_OK);
    assert_same_result(ctx, truth, jobs[1].z);
    bz_zones_free(jobs[1].z);
    for (int i = 0; i < 2; i++)
        bz_context_free(jobs[i].ctx);
    bz_zones_free(truth);
    bz_line_free(line);
}

/* ---- bz_line_derive ---------------------------------------------------------------------- */

/* A territory with a wiggly edge of n vertices (~1 km apart) well inside a large region: all
 * of its boundary is front line, tested every 33 m (tolerance 100 m), so the walk takes long
 * enough for calls between the first (0) and the last (1). */
static void derive_inputs(bz_context *ctx, size_t n, GEOSGeometry **territory,
                          GEOSGeometry **region)
{
    size_t cap = 64 + 40 * n;
    char *wkt = malloc(cap);
    assert_non_null(wkt);
    size_t k = (size_t)snprintf(wkt, cap, "POLYGON ((");
    for (size_t i = 0; i < n; i++) { /* a circle of radius ~1.5 deg with wiggles */
        double a = 2.0 * 3.14159265358979323846 * (double)i / (double)n;
        double r = 1.5 + 0.02 * sin(37.0 * a);
        k += (size_t)snprintf(wkt + k, cap - k, "%.9f %.9f, ", 36.0 + r * cos(a) / 0.68,
                              48.0 + r * sin(a));
    }
    snprintf(wkt + k, cap - k, "%.9f %.9f))", 36.0 + (1.5 + 0.0) / 0.68, 48.0);
    *territory = support_wkt(ctx, wkt);
    free(wkt);
    *region = support_wkt(ctx, "POLYGON ((30 44, 42 44, 42 52, 30 52, 30 44))");
}

static int derive_with(bz_line **out, bz_context *ctx, const GEOSGeometry *territory,
                       const GEOSGeometry *region, record *r)
{
    bz_derive_options o = BZ_DERIVE_OPTIONS_INIT;
    o.tolerance_m = 100.0;
    o.progress = r ? on_progress : NULL;
    o.progress_data = r;
    return bz_line_derive(out, ctx, territory, region, &o);
}

static void assert_same_line(bz_context *ctx, const bz_line *a, const bz_line *b)
{
    unsigned char *wa = NULL, *wb = NULL;
    size_t na = 0, nb = 0;
    assert_int_equal(bz_geometry_to_wkb(&wa, &na, ctx, bz_line_geometry(a)), BZ_OK);
    assert_int_equal(bz_geometry_to_wkb(&wb, &nb, ctx, bz_line_geometry(b)), BZ_OK);
    assert_int_equal(na, nb);
    assert_memory_equal(wa, wb, na);
    bz_free(wa);
    bz_free(wb);
}

/* Reports from 0 to exactly 1, in order, on this thread; the same line as without a callback;
 * stopping at the first, a middle and the last call gives BZ_ERR_CANCELLED and no line. */
static void test_derive_progress(void **state)
{
    bz_context *ctx = *state;
    GEOSGeometry *territory = NULL, *region = NULL;
    derive_inputs(ctx, 1200, &territory, &region);
    bz_line *plain = NULL, *watched = NULL;
    assert_int_equal(derive_with(&plain, ctx, territory, region, NULL), BZ_OK);
    record full;
    record_init(&full);
    assert_int_equal(derive_with(&watched, ctx, territory, region, &full), BZ_OK);
    assert_fractions_ok(&full);
    assert_true(full.calls >= 2);
    assert_true(full.fractions[(full.calls < 4096 ? full.calls : 4096) - 1] == 1.0);
    if (getenv("BZ_TEST_VERBOSE"))
        fprintf(stderr, "derive: %zu calls\n", full.calls);
    /* calls between the first and the last report the walk: strictly between 0 and 1 */
    for (size_t i = 1; i + 1 < full.calls && i < 4096; i++)
        if (!(full.fractions[i] > 0.0 && full.fractions[i] < 1.0))
            fail_msg("call %zu of %zu: fraction %.17g", i, full.calls, full.fractions[i]);
    assert_same_line(ctx, plain, watched);
    bz_line_free(watched);
    for (int which = 0; which < 3; which++) {
        record r;
        record_cancelling(&r, which, full.calls);
        bz_line *line = (bz_line *)&r;
        bz_context_clear_error(ctx);
        int rc = derive_with(&line, ctx, territory, region, &r);
        if (rc != BZ_ERR_CANCELLED)
            fail_msg("stop at call %zu (of %zu): status %d (%s)", r.cancel_at, full.calls, rc,
                     bz_errmsg(ctx));
        assert_null(line);
        assert_string_equal(bz_errmsg(ctx), "cancelled by the progress callback");
        assert_stopped_where_asked(&r, which);
    }
    /* A version 1 struct, allocated at exactly its size: accepted, no callback, same line. */
    typedef struct derive_options_v1 {
        int version;
        double tolerance_m, min_length_m;
    } derive_options_v1;
    derive_options_v1 *v1 = malloc(sizeof *v1);
    assert_non_null(v1);
    *v1 = (derive_options_v1){1, 100.0, 0.0};
    bz_line *old = NULL;
    assert_int_equal(bz_line_derive(&old, ctx, territory, region, (const bz_derive_options *)v1),
                     BZ_OK);
    assert_same_line(ctx, plain, old);
    free(v1);
    bz_line_free(old);
    bz_line_free(plain);
    bz_geometry_free(ctx, territory);
    bz_geometry_free(ctx, region);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_progress_reports, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_progress_cancel, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_options_version_1, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_cancel_is_per_context, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_derive_progress, support_context_new,
                                        support_context_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

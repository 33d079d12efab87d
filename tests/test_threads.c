/* test_threads.c — eight threads, each with its own bz_context and its own input, compute
 * withdrawal zones at the same time; every result must equal, byte for byte, the one computed
 * on the main thread with nothing else running. Also run under ThreadSanitizer by .ci/run.
 *
 * Contexts must not share anything: GEOS handles, PROJ contexts, error buffers. A shared
 * static buffer, a non-reentrant GEOS call or a global PROJ context shows up here as a
 * differing result, a message from another thread, or a TSan report. */
#include <bufferzone.h>

#include <geodesic.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>

/* Modules land one by one: the test skips (exit 77) until the functions it calls exist. */
#pragma weak bz_line_from_lonlat
#pragma weak bz_line_free
#pragma weak bz_geodesic_inverse
#pragma weak bz_zones_compute
#pragma weak bz_zones_free
#pragma weak bz_zones_area
#pragma weak bz_zones_buffer_area
#pragma weak bz_zones_withdrawal_length
#pragma weak bz_zones_contact_length
#pragma weak bz_zones_max_error
#pragma weak bz_zones_zone
#pragma weak bz_zones_withdrawal_line
#pragma weak bz_zones_buffer_zone

#define BZ_TEST_PI 3.14159265358979323846 /* M_PI is not C11 */
#define NTHREADS 8
#define NVERTICES 120
#define NMEASURES 7
#define NGEOMS 5

/* One job: a wiggly line of about 80 km at its own place on the globe (different UTM zones and
 * latitudes per thread), its own distances, and for odd jobs a region to clip to. */
typedef struct job {
    int id;
    int worker_threads; /* bz_context_set_threads */
    double lonlat[2 * NVERTICES];
    double dist_a, dist_b;
    int with_region;
} job;

/* What a job produced: every number and the WKB of every geometry of the result. */
typedef struct result {
    int status;
    char errmsg[256];  /* the message of a deliberate error in the same context */
    char failmsg[512]; /* bz_errmsg when the job itself failed */
    double geodesic_m;
    double measures[NMEASURES];
    unsigned char *wkb[NGEOMS];
    size_t wkb_size[NGEOMS];
} result;

static void make_job(job *j, int id, int worker_threads)
{
    memset(j, 0, sizeof *j);
    j->id = id;
    j->worker_threads = worker_threads;
    double lon0 = -20.0 + 23.0 * id, lat0 = -35.0 + 12.5 * id; /* 8 zones, 35°S to 52°N */
    for (int i = 0; i < NVERTICES; i++) {
        double t = (double)i / (NVERTICES - 1);
        j->lonlat[2 * i] = lon0 + 1.0 * t;
        j->lonlat[2 * i + 1] = lat0 + 0.02 * sin(6.0 * BZ_TEST_PI * t + id);
    }
    j->dist_a = 3000.0 + 500.0 * id;
    j->dist_b = id == 3 ? 0.0 : 5000.0 - 300.0 * id;
    j->with_region = id % 2;
}

static int under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p && strstr(p, "vgpreload");
}

static void free_result(result *r)
{
    for (int k = 0; k < NGEOMS; k++)
        bz_free(r->wkb[k]);
    memset(r, 0, sizeof *r);
}

/* Run one job in a fresh context; returns 0 or the failing status (recorded in r->status). */
static int run_job(const job *j, result *r)
{
    memset(r, 0, sizeof *r);
    bz_context *ctx = bz_context_new();
    if (!ctx)
        return r->status = BZ_ERR_NOMEM;
    bz_context_set_threads(ctx, j->worker_threads);

    /* A deliberate error whose message is this job's own: latitude 91 + id at vertex id. */
    double bad[2 * NVERTICES];
    memcpy(bad, j->lonlat, sizeof bad);
    bad[2 * j->id + 1] = 91.0 + j->id;
    bz_line *bad_line = NULL;
    int s = bz_line_from_lonlat(&bad_line, ctx, bad, NVERTICES);
    snprintf(r->errmsg, sizeof r->errmsg, "%d %s", s, bz_errmsg(ctx));
    bz_line_free(bad_line);
    bz_context_clear_error(ctx);

    s = bz_geodesic_inverse(&r->geodesic_m, NULL, NULL, ctx, j->lonlat[0], j->lonlat[1],
                            j->lonlat[2 * NVERTICES - 2], j->lonlat[2 * NVERTICES - 1]);
    bz_line *line = NULL;
    GEOSGeometry *region = NULL;
    bz_zones *z = NULL;
    if (s == BZ_OK)
        s = bz_line_from_lonlat(&line, ctx, j->lonlat, NVERTICES);
    if (s == BZ_OK && j->with_region) {
        char wkt[256];
        double x0 = j->lonlat[0] + 0.2, x1 = j->lonlat[2 * NVERTICES - 2] - 0.2;
        double y0 = j->lonlat[1] - 0.15, y1 = j->lonlat[1] + 0.15;
        snprintf(wkt, sizeof wkt, "POLYGON((%.4f %.4f,%.4f %.4f,%.4f %.4f,%.4f %.4f,%.4f %.4f))",
                 x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
        s = bz_geometry_from_wkt(&region, ctx, wkt);
    }
    if (s == BZ_OK)
        s = bz_zones_compute(&z, ctx, line, region, NULL, j->dist_a, j->dist_b, NULL);
    if (s == BZ_OK) {
        double *m = r->measures;
        m[0] = bz_zones_area(z, BZ_SIDE_A);
        m[1] = bz_zones_area(z, BZ_SIDE_B);
        m[2] = bz_zones_buffer_area(z);
        m[3] = bz_zones_withdrawal_length(z, BZ_SIDE_A);
        m[4] = bz_zones_withdrawal_length(z, BZ_SIDE_B);
        m[5] = bz_zones_contact_length(z);
        m[6] = bz_zones_max_error(z);
        const GEOSGeometry *g[NGEOMS] = {
            bz_zones_zone(z, BZ_SIDE_A),
            bz_zones_zone(z, BZ_SIDE_B),
            bz_zones_withdrawal_line(z, BZ_SIDE_A),
            bz_zones_withdrawal_line(z, BZ_SIDE_B),
            bz_zones_buffer_zone(z),
        };
        for (int k = 0; k < NGEOMS && s == BZ_OK; k++)
            s = bz_geometry_to_wkb(&r->wkb[k], &r->wkb_size[k], ctx, g[k]);
    }
    r->status = s;
    if (s != BZ_OK)
        snprintf(r->failmsg, sizeof r->failmsg, "%s", bz_errmsg(ctx));
    bz_zones_free(z);
    bz_geometry_free(ctx, region);
    bz_line_free(line);
    bz_context_free(ctx);
    return s;
}

static void *thread_main(void *arg)
{
    void **pair = arg;
    run_job(pair[0], pair[1]);
    return NULL;
}

static void assert_same_result(const result *ref, const result *got, int id)
{
    assert_int_equal(got->status, ref->status);
    assert_string_equal(got->errmsg, ref->errmsg);
    /* bit-identical numbers: the same code on the same input in its own context */
    assert_memory_equal(&got->geodesic_m, &ref->geodesic_m, sizeof ref->geodesic_m);
    for (int k = 0; k < NMEASURES; k++) {
        if (memcmp(&got->measures[k], &ref->measures[k], sizeof(double)) != 0)
            fail_msg("job %d: measure %d is %.17g in a thread, %.17g alone", id, k,
                     got->measures[k], ref->measures[k]);
    }
    for (int k = 0; k < NGEOMS; k++) {
        assert_int_equal(got->wkb_size[k], ref->wkb_size[k]);
        assert_memory_equal(got->wkb[k], ref->wkb[k], ref->wkb_size[k]);
    }
}

/* Reference values on the main thread, one job after the other. */
static void run_reference(job jobs[NTHREADS], result ref[NTHREADS], int worker_threads)
{
    for (int i = 0; i < NTHREADS; i++) {
        make_job(&jobs[i], i, worker_threads);
        int s = run_job(&jobs[i], &ref[i]);
        if (s != BZ_OK)
            fail_msg("job %d alone failed with status %d: %s", i, s, ref[i].failmsg);
    }
}

/* The references themselves are checked against independent truth, so that "equal" below means
 * equal to something right: the end-to-end distance against geod_inverse, the deliberate error
 * against its documented status, the zones' areas against their strip approximation. */
static void check_reference(const job *j, const result *r)
{
    struct geod_geodesic g;
    geod_init(&g, 6378137.0, 1.0 / 298.257223563);
    double s12 = 0;
    geod_inverse(&g, j->lonlat[1], j->lonlat[0], j->lonlat[2 * NVERTICES - 1],
                 j->lonlat[2 * NVERTICES - 2], &s12, NULL, NULL);
    assert_true(fabs(r->geodesic_m - s12) <= 1e-6);
    char expect[16];
    snprintf(expect, sizeof expect, "%d ", BZ_ERR_GEOMETRY);
    assert_memory_equal(r->errmsg, expect, strlen(expect));
    /* Line alone: a side's zone is about length × distance plus half an end disk at each end
     * (the wiggle adds a few per cent of length). */
    if (!j->with_region) {
        double len = r->measures[5];
        double want_a = len * j->dist_a + BZ_TEST_PI * j->dist_a * j->dist_a / 2;
        double want_b = len * j->dist_b + BZ_TEST_PI * j->dist_b * j->dist_b / 2;
        assert_true(fabs(r->measures[0] - want_a) <= 0.05 * want_a + 1.0);
        assert_true(fabs(r->measures[1] - want_b) <= 0.05 * want_b + 1.0);
    }
    assert_true(r->measures[6] <= fmax(1.0, 1e-4 * fmax(j->dist_a, j->dist_b)));
}

static void concurrent_equals_alone(int worker_threads)
{
    job jobs[NTHREADS];
    result ref[NTHREADS], got[NTHREADS];
    run_reference(jobs, ref, worker_threads);
    for (int i = 0; i < NTHREADS; i++)
        check_reference(&jobs[i], &ref[i]);

    /* a few rounds: a race that needs an unlucky interleaving gets more chances (valgrind runs
     * threads one at a time, so more rounds there find nothing new) */
    int rounds = under_valgrind() ? 1 : 3;
    for (int round = 0; round < rounds; round++) {
        pthread_t tid[NTHREADS];
        void *args[NTHREADS][2];
        for (int i = 0; i < NTHREADS; i++) {
            args[i][0] = &jobs[i];
            args[i][1] = &got[i];
            assert_int_equal(pthread_create(&tid[i], NULL, thread_main, args[i]), 0);
        }
        for (int i = 0; i < NTHREADS; i++)
            assert_int_equal(pthread_join(tid[i], NULL), 0);
        for (int i = 0; i < NTHREADS; i++) {
            assert_same_result(&ref[i], &got[i], i);
            free_result(&got[i]);
        }
    }
    for (int i = 0; i < NTHREADS; i++)
        free_result(&ref[i]);
}

/* Eight callers, no worker threads inside each call. */
static void test_eight_contexts_single_worker(void **state)
{
    (void)state;
    concurrent_equals_alone(1);
}

/* Eight callers, each call also using two worker threads of its own (16 busy threads). */
static void test_eight_contexts_two_workers(void **state)
{
    (void)state;
    concurrent_equals_alone(2);
}

/* The header promises that results do not depend on the number of worker threads. */
static void test_worker_count_does_not_change_results(void **state)
{
    (void)state;
    for (int i = 0; i < NTHREADS; i += 3) {
        job one, four;
        result r1 = {0}, r4 = {0};
        make_job(&one, i, 1);
        make_job(&four, i, 4);
        if (run_job(&one, &r1) != BZ_OK || run_job(&four, &r4) != BZ_OK)
            fail_msg("job %d failed: %s / %s", i, r1.failmsg, r4.failmsg);
        for (int k = 0; k < NMEASURES; k++)
            assert_true(fabs(r1.measures[k] - r4.measures[k]) <=
                        1e-9 * fabs(r1.measures[k]) + 1e-6);
        free_result(&r1);
        free_result(&r4);
    }
}

int main(void)
{
    if (!bz_line_from_lonlat || !bz_geodesic_inverse || !bz_zones_compute || !bz_zones_free ||
        !bz_zones_area || !bz_zones_buffer_area || !bz_zones_withdrawal_length ||
        !bz_zones_contact_length || !bz_zones_max_error || !bz_zones_zone ||
        !bz_zones_withdrawal_line || !bz_zones_buffer_zone || !bz_line_free)
        return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eight_contexts_single_worker),
        cmocka_unit_test(test_eight_contexts_two_workers),
        cmocka_unit_test(test_worker_count_does_not_change_results),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

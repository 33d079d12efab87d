/* internal_distance.c — bzi_line_distance_hint (the search started where the last one ended, as
 * the accuracy check measures its samples) finds what bz_line_distance finds, for points
 * in order along a curve beside a wiggly line, for points in random order (a stale hint), and
 * for a hint that is out of range; and bzi_line_distance_only (the distance alone, settled by an
 * estimate) and bzi_line_distance_below (with a threshold just above and just below the truth)
 * against brute force to a micrometre, at the equator, 47.5°N, 71°N, 84°S and across the
 * antimeridian, from 1 m to 1,600 km off the line. */
#include "geo/distance.h"

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

/* The same nearest point. Where it is a vertex, both segments at it are nearest alike and either
 * may be named, with the point computed along the one or the other (a few 1e-15 degrees apart). */
static void assert_same(const bz_nearest *a, const bz_nearest *b)
{
    assert_near(a->distance_m, b->distance_m, 1e-9);
    assert_near(a->lon, b->lon, 1e-12);
    assert_near(a->lat, b->lat, 1e-12);
    assert_int_equal(a->part, b->part);
    assert_true(a->segment == b->segment || a->segment + 1 == b->segment ||
                b->segment + 1 == a->segment);
    assert_int_equal(a->side, b->side);
}

static void test_hint_changes_nothing(void **state)
{
    bz_context *ctx = *state;
    struct geod_geodesic g = support_wgs84();
    /* a wiggly 300 km line of 20,000 vertices at 50°N */
    size_t n = 20000;
    double *xy = malloc(2 * n * sizeof *xy);
    xy[0] = 30;
    xy[1] = 50;
    for (size_t i = 1; i < n; i++) {
        double s = 15.0 * (double)i;
        double azi = 80 + 50 * sin(s / 4000.0) + 20 * sin(s / 700.0);
        geod_direct(&g, xy[2 * i - 1], xy[2 * i - 2], azi, 15.0, &xy[2 * i + 1], &xy[2 * i], NULL);
    }
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, n), BZ_OK);
    uint64_t seed = 7;
    size_t hint = SIZE_MAX, stale = SIZE_MAX;
    for (size_t i = 0; i < n; i += 7) {
        /* in order: 8 km to the left of the line's vertices, wandering */
        double lat = 0, lon = 0;
        geod_direct(&g, xy[2 * i + 1], xy[2 * i], 0.0, 8000.0 + 500 * sin((double)i / 300.0), &lat,
                    &lon, NULL);
        bz_nearest a, b;
        assert_int_equal(bz_line_distance(&a, ctx, line, lon, lat), BZ_OK);
        assert_int_equal(bzi_line_distance_hint(ctx, line, lon, lat, &hint, &b), BZ_OK);
        assert_same(&a, &b);
        /* random points with the hint of the previous random one */
        double rlon = 29.5 + 5 * support_random(&seed), rlat = 49 + 3 * support_random(&seed);
        assert_int_equal(bz_line_distance(&a, ctx, line, rlon, rlat), BZ_OK);
        assert_int_equal(bzi_line_distance_hint(ctx, line, rlon, rlat, &stale, &b), BZ_OK);
        assert_same(&a, &b);
    }
    size_t bad = (size_t)-2; /* out of range: ignored */
    bz_nearest a, b;
    assert_int_equal(bz_line_distance(&a, ctx, line, 31, 50.2), BZ_OK);
    assert_int_equal(bzi_line_distance_hint(ctx, line, 31, 50.2, &bad, &b), BZ_OK);
    assert_same(&a, &b);
    assert_int_equal(bzi_line_distance_hint(ctx, line, NAN, 50, &bad, &b), BZ_ERR_ARGUMENT);
    bz_line_free(line);
    free(xy);
}

static double line_brute(const struct geod_geodesic *g, const double *xy, size_t n, double plon,
                         double plat)
{
    double best = INFINITY;
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        geod_inverse(g, xy[2 * i + 1], xy[2 * i], plat, plon, &s, NULL, NULL);
        best = fmin(best, s);
    }
    for (size_t i = 0; i + 1 < n; i++) {
        double s0 = 0, len = 0;
        geod_inverse(g, xy[2 * i + 1], xy[2 * i], plat, plon, &s0, NULL, NULL);
        geod_inverse(g, xy[2 * i + 1], xy[2 * i], xy[2 * i + 3], xy[2 * i + 2], &len, NULL, NULL);
        if (s0 - len < best)
            best =
                fmin(best, support_segment_brute(g, xy + 2 * i, xy + 2 * i + 2, plon, plat, 100));
    }
    return best;
}

static void test_distance_only_is_exact(void **state)
{
    bz_context *ctx = *state;
    struct geod_geodesic g = support_wgs84();
    const double start[][2] = {{10, 0}, {30, 47.5}, {60, 71}, {-40, -84}, {179.95, -20}};
    const double step[] = {12.0, 150.0, 900.0};
    size_t n = 600;
    double *xy = malloc(2 * n * sizeof *xy);
    uint64_t seed = 11;
    for (size_t c = 0; c < sizeof start / sizeof start[0]; c++) {
        for (size_t k = 0; k < sizeof step / sizeof step[0]; k++) {
            xy[0] = start[c][0];
            xy[1] = start[c][1];
            for (size_t i = 1; i < n; i++) { /* wiggly, heading east-north-east */
                double s = step[k] * (double)i;
                double azi = 70 + 60 * sin(s / (40 * step[k])) + 30 * sin(s / (7 * step[k]));
                geod_direct(&g, xy[2 * i - 1], xy[2 * i - 2], azi, step[k], &xy[2 * i + 1],
                            &xy[2 * i], NULL);
            }
            bz_line *line = NULL;
            assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, n), BZ_OK);
            size_t hint = SIZE_MAX;
            for (int q = 0; q < 60; q++) {
                size_t i = (size_t)(support_random(&seed) * (double)(n - 1));
                /* up to 50 km; every fourth up to 1,600 km (past FAR_M, the far bound's) */
                double off = pow(10.0, (q % 4 == 3 ? 6.2 : 4.7) * support_random(&seed));
                double lat = 0, lon = 0;
                geod_direct(&g, xy[2 * i + 1], xy[2 * i], 360 * support_random(&seed), off, &lat,
                            &lon, NULL);
                double only = 0, want = line_brute(&g, xy, n, lon, lat);
                bz_nearest a;
                assert_int_equal(bzi_line_distance_only(ctx, line, lon, lat, &hint, &only), BZ_OK);
                assert_int_equal(bz_line_distance(&a, ctx, line, lon, lat), BZ_OK);
                assert_near(only, want, 1e-6);
                assert_near(a.distance_m, want, 1e-6);
                /* with a threshold: the distance just above it, nothing just below it */
                double below = 0;
                assert_int_equal(bzi_line_distance_below(ctx, line, lon, lat, &hint,
                                                         want * 1.001 + 1e-5, &below),
                                 BZ_OK);
                assert_near(below, want, 1e-6);
                assert_int_equal(bzi_line_distance_below(ctx, line, lon, lat, &hint,
                                                         want * 0.999 - 1e-5, &below),
                                 BZ_OK);
                assert_true(isinf(below));
            }
            bz_line_free(line);
        }
    }
    free(xy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hint_changes_nothing, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_distance_only_is_exact, support_context_new,
                                        support_context_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* internal_distance.c — bzi_line_distance_hint (the search started where the last one ended, as
 * the accuracy check measures its samples) finds what bz_line_distance finds, for points
 * in order along a curve beside a wiggly line, for points in random order (a stale hint), and
 * for a hint that is out of range. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hint_changes_nothing, support_context_new,
                                        support_context_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_distance.c — the geodesic distance from a point to a line, against points placed at known
 * geodesic offsets with geod_direct (perpendicular to a geodesic segment: the foot and the
 * distance are then known exactly), and against geod_inverse to a segment's end. */
#include <bufferzone.h>

#include <geodesic.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs <setjmp.h>, <stdarg.h>, <stddef.h> and <stdint.h> first. */
#include <cmocka.h>

#include "support.h"

/* Geodesic distance between two lon/lat points. */
static double dist(double lon1, double lat1, double lon2, double lat2)
{
    struct geod_geodesic g = support_wgs84();
    double s = 0;
    geod_inverse(&g, lat1, lon1, lat2, lon2, &s, NULL, NULL);
    return s;
}

/*
 * A segment A→B of length len starting at (lon, lat) with azimuth azi; M the point at fraction
 * `frac` along it and P the point d metres from M at right angles (left when side = +1). The
 * distance from P to the segment is d and its foot is M.
 */
typedef struct setup {
    double a[2], b[2], m[2], p[2];
} setup;

static setup perpendicular(double lon, double lat, double azi, double len, double frac, double d,
                           int side)
{
    struct geod_geodesic g = support_wgs84();
    struct geod_geodesicline l;
    setup s;
    s.a[0] = lon;
    s.a[1] = lat;
    geod_lineinit(&l, &g, lat, lon, azi, 0);
    geod_genposition(&l, GEOD_LONG_UNROLL, len, &s.b[1], &s.b[0], NULL, NULL, NULL, NULL, NULL,
                     NULL);
    double azm = 0;
    geod_genposition(&l, GEOD_LONG_UNROLL, len * frac, &s.m[1], &s.m[0], &azm, NULL, NULL, NULL,
                     NULL, NULL);
    geod_direct(&g, s.m[1], s.m[0], azm - side * 90.0, d, &s.p[1], &s.p[0], NULL);
    return s;
}

/* Fold a longitude into [-180, 180] as an input point must be. */
static double fold(double lon)
{
    return lon - 360.0 * round(lon / 360.0);
}

static void test_perpendicular_offsets(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    const double lats[] = {0.0, 30.0, 48.5, 60.0, 67.0, 75.0, -45.0};
    const double azis[] = {90.0, 35.0, 120.0, 10.0, 250.0};
    const double offsets[] = {0.5, 37.0, 1000.0, 9876.5, 50000.0};
    for (size_t i = 0; i < sizeof lats / sizeof lats[0]; i++) {
        for (size_t j = 0; j < sizeof azis / sizeof azis[0]; j++) {
            for (size_t k = 0; k < sizeof offsets / sizeof offsets[0]; k++) {
                for (int side = -1; side <= 1; side += 2) {
                    setup s =
                        perpendicular(36.0, lats[i], azis[j], 80000.0, 0.37, offsets[k], side);
                    bz_line *line = NULL;
                    double xy[4] = {fold(s.a[0]), s.a[1], fold(s.b[0]), s.b[1]};
                    assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, 2), BZ_OK);
                    bz_nearest nr;
                    assert_int_equal(bz_line_distance(&nr, ctx, line, fold(s.p[0]), s.p[1]), BZ_OK);
                    assert_near(nr.distance_m, offsets[k], 0.01);
                    assert_int_equal(nr.side, side);
                    assert_near(dist(nr.lon, nr.lat, s.m[0], s.m[1]), 0.0, 0.01);
                    assert_int_equal(nr.part, 0);
                    assert_int_equal(nr.segment, 0);
                    bz_line_free(line);
                }
            }
        }
    }
    bz_context_free(ctx);
}

static void test_across_antimeridian(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    /* a segment from 179.7°E heading east across 180°, query points on both sides of it */
    for (int side = -1; side <= 1; side += 2) {
        setup s = perpendicular(179.7, 55.0, 80.0, 60000.0, 0.5, 3000.0, side);
        assert_true(s.b[0] > 180.0); /* really crosses */
        bz_line *line = NULL;
        double xy[4] = {s.a[0], s.a[1], fold(s.b[0]), s.b[1]};
        assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, 2), BZ_OK);
        bz_nearest nr;
        double qlon = fold(s.p[0]);
        assert_int_equal(bz_line_distance(&nr, ctx, line, qlon, s.p[1]), BZ_OK);
        assert_near(nr.distance_m, 3000.0, 0.01);
        assert_int_equal(nr.side, side);
        assert_near(dist(nr.lon, nr.lat, s.m[0], s.m[1]), 0.0, 0.01);
        /* the same point given 360° away is the same point */
        assert_int_equal(
            bz_line_distance(&nr, ctx, line, qlon > 0 ? qlon - 360 : qlon + 360, s.p[1]), BZ_OK);
        assert_near(nr.distance_m, 3000.0, 0.01);
        bz_line_free(line);
    }
    bz_context_free(ctx);
}

static void test_beyond_the_end(void **state)
{
    (void)state;
    struct geod_geodesic g = support_wgs84();
    bz_context *ctx = bz_context_new();
    setup s = perpendicular(30.0, 50.0, 45.0, 20000.0, 0.5, 100.0, 1);
    double xy[4] = {s.a[0], s.a[1], s.b[0], s.b[1]};
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, 2), BZ_OK);
    /* azimuth of the segment at B, then 3 km from B at 45° to the right of straight on */
    double azb = 0, s12 = 0, plat = 0, plon = 0;
    geod_inverse(&g, s.a[1], s.a[0], s.b[1], s.b[0], &s12, NULL, &azb);
    geod_direct(&g, s.b[1], s.b[0], azb + 45.0, 3000.0, &plat, &plon, NULL);
    bz_nearest nr;
    assert_int_equal(bz_line_distance(&nr, ctx, line, plon, plat), BZ_OK);
    assert_near(nr.distance_m, 3000.0, 1e-6);
    assert_near(nr.lon, s.b[0], 1e-9);
    assert_near(nr.lat, s.b[1], 1e-9);
    assert_int_equal(nr.side, -1);
    /* and behind the start, to the left */
    double aza = 0;
    geod_inverse(&g, s.a[1], s.a[0], s.b[1], s.b[0], &s12, &aza, NULL);
    geod_direct(&g, s.a[1], s.a[0], aza + 180.0 + 30.0, 2500.0, &plat, &plon, NULL);
    assert_int_equal(bz_line_distance(&nr, ctx, line, plon, plat), BZ_OK);
    assert_near(nr.distance_m, 2500.0, 1e-6);
    assert_int_equal(nr.side, 1);
    /* on the line: a vertex and a point in the middle */
    assert_int_equal(bz_line_distance(&nr, ctx, line, s.a[0], s.a[1]), BZ_OK);
    assert_near(nr.distance_m, 0.0, 1e-6);
    assert_int_equal(nr.side, 0);
    assert_int_equal(bz_line_distance(&nr, ctx, line, s.m[0], s.m[1]), BZ_OK);
    assert_near(nr.distance_m, 0.0, 1e-4);
    bz_line_free(line);
    bz_context_free(ctx);
}

/*
 * A 1,500 km line of 30 geodesic segments of 50 km, turning ±10° at each vertex. Points 3 km off
 * the middle of a segment at right angles are 3 km from the line (every other segment is more
 * than 20 km away), with that segment's index and the side they were put on. Reversing the line
 * swaps the side.
 */
static void test_long_multisegment_line(void **state)
{
    (void)state;
    struct geod_geodesic g = support_wgs84();
    bz_context *ctx = bz_context_new();
    const size_t nseg = 30;
    double xy[2 * 31];
    double lon = 22.0, lat = 47.0, azi = 70.0;
    xy[0] = lon;
    xy[1] = lat;
    for (size_t i = 0; i < nseg; i++) {
        double lat2 = 0, lon2 = 0, azi2 = 0;
        geod_direct(&g, lat, lon, azi, 50000.0, &lat2, &lon2, &azi2);
        lat = lat2;
        lon = lon2;
        azi = azi2 + (i % 2 ? 10.0 : -10.0);
        xy[2 * i + 2] = lon;
        xy[2 * i + 3] = lat;
    }
    bz_line *line = NULL, *rev = NULL;
    assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, nseg + 1), BZ_OK);
    assert_int_equal(bz_line_reverse(&rev, ctx, line), BZ_OK);
    double len = 0;
    assert_int_equal(bz_line_length(&len, ctx, line), BZ_OK);
    assert_near(len, 1500000.0, 1e-3);
    for (size_t k = 0; k < nseg; k += 7) {
        for (int side = -1; side <= 1; side += 2) {
            struct geod_geodesicline l;
            geod_inverseline(&l, &g, xy[2 * k + 1], xy[2 * k], xy[2 * k + 3], xy[2 * k + 2], 0);
            double mlat = 0, mlon = 0, mazi = 0, plat = 0, plon = 0;
            geod_position(&l, 0.5 * l.s13, &mlat, &mlon, &mazi);
            geod_direct(&g, mlat, mlon, mazi - side * 90.0, 3000.0, &plat, &plon, NULL);
            bz_nearest nr;
            assert_int_equal(bz_line_distance(&nr, ctx, line, plon, plat), BZ_OK);
            assert_near(nr.distance_m, 3000.0, 0.01);
            assert_int_equal(nr.segment, k);
            assert_int_equal(nr.side, side);
            assert_near(dist(nr.lon, nr.lat, mlon, mlat), 0.0, 0.01);
            assert_int_equal(bz_line_distance(&nr, ctx, rev, plon, plat), BZ_OK);
            assert_near(nr.distance_m, 3000.0, 0.01);
            assert_int_equal(nr.segment, nseg - 1 - k);
            assert_int_equal(nr.side, -side);
        }
    }
    bz_line_free(rev);
    bz_line_free(line);
    bz_context_free(ctx);
}

/* One 2,000 km geodesic segment at 60°N: 1 cm at 50 km off its middle. */
static void test_long_segment(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    for (int side = -1; side <= 1; side += 2) {
        setup s = perpendicular(10.0, 60.0, 80.0, 2000000.0, 0.5, 50000.0, side);
        double xy[4] = {s.a[0], s.a[1], s.b[0], s.b[1]};
        bz_line *line = NULL;
        assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, 2), BZ_OK);
        bz_nearest nr;
        assert_int_equal(bz_line_distance(&nr, ctx, line, s.p[0], s.p[1]), BZ_OK);
        assert_near(nr.distance_m, 50000.0, 0.01);
        assert_int_equal(nr.side, side);
        assert_near(dist(nr.lon, nr.lat, s.m[0], s.m[1]), 0.0, 0.01);
        bz_line_free(line);
    }
    bz_context_free(ctx);
}

/* At a corner the side follows the wedge: inside a left turn is left, outside is right. */
static void test_side_at_a_corner(void **state)
{
    (void)state;
    struct geod_geodesic g = support_wgs84();
    bz_context *ctx = bz_context_new();
    /* east along the equator to (1, 0), then north to (1, 1): a left turn at V = (1, 0) */
    const double xy[] = {0, 0, 1, 0, 1, 1};
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, 3), BZ_OK);
    double plat = 0, plon = 0;
    /* outside the corner (south-east of V): nearest point V, right side */
    geod_direct(&g, 0, 1, 135.0, 2000.0, &plat, &plon, NULL);
    bz_nearest nr;
    assert_int_equal(bz_line_distance(&nr, ctx, line, plon, plat), BZ_OK);
    assert_near(nr.distance_m, 2000.0, 1e-6);
    assert_near(dist(nr.lon, nr.lat, 1, 0), 0.0, 1e-6);
    assert_int_equal(nr.side, -1);
    /* inside the corner (north-west of V, nearer the segments than V): left */
    geod_direct(&g, 0, 1, 315.0, 2000.0, &plat, &plon, NULL);
    assert_int_equal(bz_line_distance(&nr, ctx, line, plon, plat), BZ_OK);
    assert_int_equal(nr.side, 1);
    assert_true(nr.distance_m < 2000.0);
    bz_line_free(line);
    bz_context_free(ctx);
}

static void test_parts_and_arguments(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    const double xy[] = {30, 48, 31, 48, 35, 49, 36, 49};
    const size_t sizes[] = {2, 2};
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_parts(&line, ctx, xy, sizes, 2), BZ_OK);
    bz_nearest nr;
    assert_int_equal(bz_line_distance(&nr, ctx, line, 35.5, 49.1), BZ_OK);
    assert_int_equal(nr.part, 1);
    assert_int_equal(nr.segment, 0);
    assert_int_equal(nr.side, 1); /* north of an eastward line is left */
    assert_true(nr.distance_m > 10000 && nr.distance_m < 12000);
    assert_int_equal(bz_line_distance(&nr, ctx, line, 30.2, 47.9), BZ_OK);
    assert_int_equal(nr.part, 0);
    assert_int_equal(nr.side, -1);
    assert_int_equal(bz_line_distance(&nr, ctx, line, NAN, 47.9), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(ctx), "lon nan"));
    assert_int_equal(bz_line_distance(&nr, ctx, line, 30, 95), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_line_distance(&nr, ctx, NULL, 30, 45), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_line_distance(NULL, ctx, line, 30, 45), BZ_ERR_ARGUMENT);
    bz_line_free(line);
    bz_context_free(ctx);
}

/*
 * Dense lines (20,000 vertices, ~1,000 km meanders at 47.5°N and 71°N) against brute force: the
 * exact distance to every segment computed here by ternary search on the geodesic with
 * geod_position and geod_inverse, minimum over all segments.
 */
static double brute_force(const double *xy, size_t n, double plon, double plat)
{
    struct geod_geodesic g = support_wgs84();
    double best = INFINITY;
    for (size_t i = 0; i < n; i++) { /* the nearest vertex bounds the answer from above */
        double s = 0;
        geod_inverse(&g, xy[2 * i + 1], xy[2 * i], plat, plon, &s, NULL, NULL);
        best = fmin(best, s);
    }
    for (size_t i = 0; i + 1 < n; i++) {
        double s0 = 0, len = 0;
        geod_inverse(&g, xy[2 * i + 1], xy[2 * i], xy[2 * i + 3], xy[2 * i + 2], &len, NULL, NULL);
        geod_inverse(&g, xy[2 * i + 1], xy[2 * i], plat, plon, &s0, NULL, NULL);
        if (s0 - len > best)
            continue; /* farther than the best answer from every point of the segment */
        double d = support_segment_brute(&g, xy + 2 * i, xy + 2 * i + 2, plon, plat, 60);
        if (d < best)
            best = d;
    }
    return best;
}

static void test_dense_line_against_brute_force(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    size_t n = 20000;
    double *xy = malloc(2 * n * sizeof *xy);
    const double base[] = {47.5, 71.0};
    for (size_t b = 0; b < 2; b++) {
        for (size_t i = 0; i < n; i++) {
            double t = (double)i / (double)(n - 1);
            xy[2 * i] = 24.0 + 13.0 * t;
            xy[2 * i + 1] = base[b] + 0.4 * sin(40.0 * t) + 0.02 * sin(900.0 * t);
        }
        bz_line *line = NULL;
        assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, n), BZ_OK);
        /* offsets from the base latitude; the last three are 50, 330 and 1,300 km away */
        const double q[][2] = {{30.0, 0.0},   {24.5, 0.8},   {36.9, -0.7},  {28.123, 0.41},
                               {20.0, -0.5},  {33.3, 2.4},   {31.0, 0.02},  {25.0, -1.1},
                               {29.99, 0.33}, {35.0, 0.405}, {27.0, -0.75}, {30.0, 3.0},
                               {31.0, -12.0}};
        for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
            double plon = q[i][0], plat = base[b] + q[i][1];
            bz_nearest nr;
            assert_int_equal(bz_line_distance(&nr, ctx, line, plon, plat), BZ_OK);
            assert_near(nr.distance_m, brute_force(xy, n, plon, plat), 0.01);
            /* the reported nearest point is at the reported distance */
            assert_near(dist(nr.lon, nr.lat, plon, plat), nr.distance_m, 1e-6);
        }
        bz_line_free(line);
    }
    free(xy);
    bz_context_free(ctx);
}

/* A line round the pole spanning 340° of longitude: points beyond its ends, across the gap, are
 * measured the short way round. */
static void test_line_round_the_pole(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    double xy[2 * 35];
    for (int i = 0; i < 35; i++) {
        xy[2 * i] = -170.0 + 10.0 * i;
        xy[2 * i + 1] = 85.0;
    }
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, 35), BZ_OK);
    const double q[][2] = {{179.9, 85.2}, {-179.0, 84.0}, {175.0, 86.5}, {0.0, 84.9}};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        bz_nearest nr;
        assert_int_equal(bz_line_distance(&nr, ctx, line, q[i][0], q[i][1]), BZ_OK);
        assert_near(nr.distance_m, brute_force(xy, 35, q[i][0], q[i][1]), 0.01);
    }
    bz_line_free(line);
    bz_context_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_perpendicular_offsets),
        cmocka_unit_test(test_across_antimeridian),
        cmocka_unit_test(test_beyond_the_end),
        cmocka_unit_test(test_long_multisegment_line),
        cmocka_unit_test(test_long_segment),
        cmocka_unit_test(test_side_at_a_corner),
        cmocka_unit_test(test_parts_and_arguments),
        cmocka_unit_test(test_dense_line_against_brute_force),
        cmocka_unit_test(test_line_round_the_pole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

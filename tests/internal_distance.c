/* internal_distance.c — bzi_line_distance_hint (the search started where the last one ended, as
 * the accuracy check measures its samples) finds what bz_line_distance finds, for points
 * in order along a curve beside a wiggly line, for points in random order (a stale hint), and
 * for a hint that is out of range; and bzi_line_distance_only (the distance alone, settled by an
 * estimate) and bzi_line_distance_below (with a threshold just above and just below the truth)
 * against brute force to a micrometre, at the equator, 47.5°N, 71°N, 84°S and across the
 * antimeridian, from 1 m to 1,600 km off the line. And the index's node capsules (what the
 * search prunes with) hold every point of their segments' geodesics, checked with this file's
 * own Earth-centred coordinates and distances. */
#include "geo/distance.h"
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

/* Where the wiggly test lines start (the equator, 47.5°N, 71°N, 84°S, the antimeridian) and
 * their vertex spacings (metres). */
static const double start[][2] = {{10, 0}, {30, 47.5}, {60, 71}, {-40, -84}, {179.95, -20}};
static const double step[] = {12.0, 150.0, 900.0};

/* n vertices from (lon, lat), `step` metres apart, wiggly, heading east-north-east. */
static void wiggly_line(const struct geod_geodesic *g, double lon, double lat, double spacing,
                        double *xy, size_t n)
{
    xy[0] = lon;
    xy[1] = lat;
    for (size_t i = 1; i < n; i++) {
        double s = spacing * (double)i;
        double azi = 70 + 60 * sin(s / (40 * spacing)) + 30 * sin(s / (7 * spacing));
        geod_direct(g, xy[2 * i - 1], xy[2 * i - 2], azi, spacing, &xy[2 * i + 1], &xy[2 * i],
                    NULL);
    }
}

static void test_distance_only_is_exact(void **state)
{
    bz_context *ctx = *state;
    struct geod_geodesic g = support_wgs84();
    size_t n = 600;
    double *xy = malloc(2 * n * sizeof *xy);
    uint64_t seed = 11;
    for (size_t c = 0; c < sizeof start / sizeof start[0]; c++) {
        for (size_t k = 0; k < sizeof step / sizeof step[0]; k++) {
            wiggly_line(&g, start[c][0], start[c][1], step[k], xy, n);
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

/* bzi_line_surely_within never claims a point nearer than it is (brute force decides), and
 * claims it for nine points in ten given a radius 5 cm or 1e-4 of it above the truth (what the
 * self-check's samples ask) and the hint of the nearest segment: wiggly lines at the
 * equator, 47.5°N, 71°N, 84°S and across the antimeridian, segments of 12 to 900 m, points 1 m to
 * 1,000 km off. */
static void test_surely_within_is_an_upper_bound(void **state)
{
    bz_context *ctx = *state;
    struct geod_geodesic g = support_wgs84();
    size_t n = 400, claimed = 0, asked = 0;
    double *xy = malloc(2 * n * sizeof *xy);
    uint64_t seed = 23;
    for (size_t c = 0; c < sizeof start / sizeof start[0]; c++) {
        for (size_t k = 0; k < sizeof step / sizeof step[0]; k++) {
            wiggly_line(&g, start[c][0], start[c][1], step[k], xy, n);
            bz_line *line = NULL;
            assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, n), BZ_OK);
            for (int q = 0; q < 80; q++) {
                size_t i = (size_t)(support_random(&seed) * (double)(n - 1));
                double off = pow(10.0, 6.0 * support_random(&seed));
                double lat = 0, lon = 0;
                geod_direct(&g, xy[2 * i + 1], xy[2 * i], 360 * support_random(&seed), off, &lat,
                            &lon, NULL);
                double want = line_brute(&g, xy, n, lon, lat);
                /* any hint, any radius: a claim must hold */
                for (int r = 0; r < 4; r++) {
                    size_t hint = (size_t)(support_random(&seed) * (double)(n - 1));
                    double radius = want * (0.9 + 0.2 * support_random(&seed));
                    if (bzi_line_surely_within(line, lon, lat, &hint, radius) && !(want <= radius))
                        fail_msg("claimed within %.9f m, the line is %.9f m away", radius, want);
                }
                /* the hint of the nearest segment, a centimetre (or 1e-6) of slack */
                size_t hint = SIZE_MAX;
                double only = 0;
                assert_int_equal(bzi_line_distance_only(ctx, line, lon, lat, &hint, &only), BZ_OK);
                /* just below the truth: never */
                size_t near = hint;
                if (bzi_line_surely_within(line, lon, lat, &near, want - fmax(1e-5, 1e-9 * want)))
                    fail_msg("claimed within just below the truth %.9f m", want);
                asked++;
                claimed += (size_t)bzi_line_surely_within(line, lon, lat, &hint,
                                                          want + fmax(0.05, 1e-4 * want));
            }
            bz_line_free(line);
        }
    }
    free(xy);
    assert_true(claimed > asked * 9 / 10);
}

/* Earth-centred x, y, z of a WGS84 point (the test's own). */
static void to_xyz(double lon, double lat, double *p)
{
    const double a = 6378137.0, f = 1 / 298.257223563, e2 = f * (2 - f);
    const double r = 3.14159265358979323846 / 180;
    double n = a / sqrt(1 - e2 * sin(lat * r) * sin(lat * r));
    p[0] = n * cos(lat * r) * cos(lon * r);
    p[1] = n * cos(lat * r) * sin(lon * r);
    p[2] = n * (1 - e2) * sin(lat * r);
}

/* Distance from p to the segment a-b, by ternary search on the (convex) distance along it. */
static double to_segment(const double *a, const double *b, const double *p)
{
    double lo = 0, hi = 1;
    for (int it = 0; it < 200; it++) {
        double m1 = lo + (hi - lo) / 3, m2 = hi - (hi - lo) / 3, d1 = 0, d2 = 0;
        for (int k = 0; k < 3; k++) {
            double x1 = a[k] + m1 * (b[k] - a[k]) - p[k], x2 = a[k] + m2 * (b[k] - a[k]) - p[k];
            d1 += x1 * x1;
            d2 += x2 * x2;
        }
        if (d1 < d2)
            hi = m2;
        else
            lo = m1;
    }
    double d = 0;
    for (int k = 0; k < 3; k++) {
        double x = a[k] + 0.5 * (lo + hi) * (b[k] - a[k]) - p[k];
        d += x * x;
    }
    return sqrt(d);
}

/* Every point of every segment's geodesic (17 along each) lies in the capsule of each node above
 * it: dense wiggly lines, segments of 300 to 3,000 km, a line across the antimeridian, one at
 * 88°N round the pole, several parts in one line (nodes that span a part's end), and straight
 * runs along one geodesic (where a node's capsule is as thin as its segments' bows allow). */
static void test_capsules_hold_their_geodesics(void **state)
{
    bz_context *ctx = *state;
    struct geod_geodesic g = support_wgs84();
    const struct {
        double lon, lat, step, heading, wiggle;
    } kinds[] = {{30, 48, 11, 80, 1},    {10, 0, 300e3, 45, 1}, {170, -30, 3000e3, 95, 1},
                 {179.9, 60, 40, 90, 1}, {0, 88, 2000, 90, 1},  {-60, -70, 15e3, 10, 1},
                 {20, 40, 250e3, 60, 0}, {5, 10, 3e3, 30, 0}};
    uint64_t seed = 5;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t n = kinds[k].step > 1e5 ? 40 : 3000, nparts = kinds[k].wiggle > 0 ? 1 + k % 3 : 1;
        size_t per = n / nparts;
        double *xy = malloc(2 * n * sizeof *xy);
        size_t starts[4];
        for (size_t p = 0; p < nparts; p++) {
            starts[p] = p * per;
            size_t end = p + 1 == nparts ? n : (p + 1) * per;
            xy[2 * starts[p]] = kinds[k].lon + 2.0 * (double)p;
            xy[2 * starts[p] + 1] = kinds[k].lat;
            for (size_t i = starts[p] + 1; i < end; i++) {
                double azi = kinds[k].heading +
                             kinds[k].wiggle *
                                 (70 * sin((double)i / 37) + 40 * (support_random(&seed) - 0.5));
                if (kinds[k].wiggle > 0)
                    geod_direct(&g, xy[2 * i - 1], xy[2 * i - 2], azi, kinds[k].step,
                                &xy[2 * i + 1], &xy[2 * i], NULL);
                else /* on along the geodesic from the part's start */
                    geod_direct(&g, xy[2 * starts[p] + 1], xy[2 * starts[p]], azi,
                                kinds[k].step * (double)(i - starts[p]), &xy[2 * i + 1], &xy[2 * i],
                                NULL);
                xy[2 * i] = remainder(xy[2 * i], 360.0); /* as a file would give it */
                xy[2 * i] += 360.0 * round((xy[2 * i - 2] - xy[2 * i]) / 360.0); /* unrolled */
            }
        }
        starts[nparts] = n;
        bzi_line_index *ix = NULL;
        assert_int_equal(bzi_line_index_build(ctx, xy, starts, nparts, &ix), BZ_OK);
        assert_true(ix->nlevels >= 2);
        size_t checked = 0;
        for (size_t leaf = 0; leaf < ix->nseg; leaf++) {
            const double *a = xy + 2 * ix->seg_vertex[leaf];
            struct geod_geodesicline l;
            geod_inverseline(&l, &g, a[1], a[0], a[3], a[2], GEOD_ALL);
            for (int j = 0; j <= 16; j++) {
                double lat = 0, lon = 0, p[3];
                geod_position(&l, l.s13 * j / 16.0, &lat, &lon, NULL);
                to_xyz(lon, lat, p);
                size_t node = leaf;
                for (int lv = 1; lv < ix->nlevels; lv++) {
                    node /= BZI_INDEX_FANOUT;
                    const bzi_capsule *c = ix->cap + ix->level_start[lv] - ix->nseg + node;
                    double d = to_segment(c->a, c->b, p);
                    if (!(d <= c->r))
                        fail_msg("kind %zu: segment %zu point %d is %.9f m from the capsule of "
                                 "node %zu of level %d (radius %.9f m)",
                                 k, leaf, j, d, node, lv, c->r);
                    checked++;
                }
            }
        }
        assert_true(checked > 0);
        bzi_line_index_free(ix);
        free(xy);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hint_changes_nothing, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_distance_only_is_exact, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_capsules_hold_their_geodesics, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_surely_within_is_an_upper_bound, support_context_new,
                                        support_context_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

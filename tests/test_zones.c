/* test_zones.c — withdrawal zones against independent truth: closed-form areas of a straight
 * geodesic line's zones, withdrawal lines sampled densely and measured with a brute-force
 * geodesic distance written in zone_truth.h (geod_inverse only), on a 1,200 km wiggly line
 * across three UTM zones, at 62–67°N and across the antimeridian; sides checked against
 * half-strips built here with geod_direct; argument errors with exact status codes. */
#include <bufferzone.h>

#include "zone_truth.h"

#include <geodesic.h>
#include <geos_c.h>
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

#define PI 3.14159265358979323846

static struct geod_geodesic g84;

static int setup(void **state)
{
    geod_init(&g84, WGS84_A, WGS84_F);
    return support_context_new(state);
}

static double bound_for(double d)
{
    return fmax(1.0, 1e-4 * d);
}

/* ---------------------------------------------------------------------------------------- */
/* Lines made here                                                                          */
/* ---------------------------------------------------------------------------------------- */

/* A geodesic from (lon, lat) along azimuth azi, `len` metres, a vertex every `step` metres
 * (exact points of the geodesic, so the polyline is the geodesic). */
static bz_line *geodesic_line(bz_context *ctx, double lon, double lat, double azi, double len,
                              double step)
{
    size_t n = (size_t)ceil(len / step) + 1;
    double *xy = malloc(n * 2 * sizeof *xy);
    assert_non_null(xy);
    struct geod_geodesicline l;
    geod_lineinit(&l, &g84, lat, lon, azi,
                  GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN | GEOD_LONG_UNROLL);
    for (size_t i = 0; i < n; i++) {
        double la, lo;
        geod_genposition(&l, GEOD_LONG_UNROLL, len * (double)i / (double)(n - 1), &la, &lo, NULL,
                         NULL, NULL, NULL, NULL, NULL);
        xy[2 * i] = lo > 180.0 ? lo - 360.0 : lo;
        xy[2 * i + 1] = la;
    }
    bz_line *line = NULL;
    if (bz_line_from_lonlat(&line, ctx, xy, n) != BZ_OK)
        fail_msg("line: %s", bz_errmsg(ctx));
    free(xy);
    return line;
}

/* A wiggly line: the heading swings around `azi` by up to ±70° (three sine waves of 37, 9.1
 * and 2.3 km), so the line always advances along its general direction and cannot cross
 * itself. A vertex every `step` metres. */
static bz_line *wiggly_line(bz_context *ctx, double lon, double lat, double azi, double len,
                            double step)
{
    size_t n = (size_t)ceil(len / step) + 1;
    double *xy = malloc(n * 2 * sizeof *xy);
    assert_non_null(xy);
    xy[0] = lon;
    xy[1] = lat;
    for (size_t i = 1; i < n; i++) {
        double s = step * (double)i;
        double h = azi + 40.0 * sin(s / 37000.0) + 20.0 * sin(s / 9100.0 + 1.0) +
                   10.0 * sin(s / 2300.0 + 2.0);
        double la, lo;
        geod_direct(&g84, xy[2 * i - 1], xy[2 * i - 2], h, step, &la, &lo, NULL);
        xy[2 * i] = lo > 180.0 ? lo - 360.0 : lo;
        xy[2 * i + 1] = la;
    }
    bz_line *line = NULL;
    if (bz_line_from_lonlat(&line, ctx, xy, n) != BZ_OK)
        fail_msg("line: %s", bz_errmsg(ctx));
    free(xy);
    return line;
}

/* ---------------------------------------------------------------------------------------- */
/* Independent checks                                                                       */
/* ---------------------------------------------------------------------------------------- */

/* Every sample of side s's withdrawal line is at distance d within the bound (brute force). */
static double check_withdrawal(bz_context *ctx, const bz_zones *z, const bz_line *line, int s,
                               double d, double step)
{
    truth_line t;
    assert_int_equal(truth_line_init(&t, line), 0);
    truth_worst w = {&t, d, 0.0, NAN, NAN, 0};
    truth_walk(bz_context_geos(ctx), bz_zones_withdrawal_line(z, (bz_side)s), step,
               truth_visit_worst, &w);
    truth_line_free(&t);
    assert_true(w.n > 10);
    if (w.worst > bound_for(d))
        fail_msg("side %c withdrawal line off by %.3f m at %.7f %.7f (d = %g m, %zu samples)",
                 s ? 'B' : 'A', w.worst, w.worst_lon, w.worst_lat, d, w.n);
    return w.worst;
}

static double area_of(bz_context *ctx, const GEOSGeometry *g)
{
    double a = NAN;
    assert_int_equal(bz_geodesic_area(&a, ctx, g), BZ_OK);
    return a;
}

static double intersection_area(bz_context *ctx, const GEOSGeometry *a, const GEOSGeometry *b)
{
    GEOSGeometry *i = GEOSIntersection_r(bz_context_geos(ctx), a, b);
    assert_non_null(i);
    double area = area_of(ctx, i);
    GEOSGeom_destroy_r(bz_context_geos(ctx), i);
    return area;
}

/* The zones neither overlap nor leave a gap: A ∩ B and (A + B − buffer zone) below 1 m²/km. */
static void check_partition(bz_context *ctx, const bz_zones *z, double line_km)
{
    double ab = intersection_area(ctx, bz_zones_zone(z, BZ_SIDE_A), bz_zones_zone(z, BZ_SIDE_B));
    assert_true(ab < line_km);
    /* the buffer zone's polygon, measured, against the reported sum of the zones */
    double sum = bz_zones_area(z, BZ_SIDE_A) + bz_zones_area(z, BZ_SIDE_B);
    assert_true(bz_zones_buffer_area(z) == sum);
    double gap = sum - area_of(ctx, bz_zones_buffer_zone(z));
    assert_true(fabs(gap) < line_km);
    /* no part of a zone on the other side's ground */
    assert_true(intersection_area(ctx, bz_zones_zone(z, BZ_SIDE_A),
                                  bz_zones_side_ground(z, BZ_SIDE_B)) < line_km);
    assert_true(intersection_area(ctx, bz_zones_zone(z, BZ_SIDE_B),
                                  bz_zones_side_ground(z, BZ_SIDE_A)) < line_km);
}

/* A strip on one side of a straight geodesic line, built here: the line's vertices and the
 * points `width` metres off to the left (sign +1) or right (−1), perpendicular at each vertex. */
static GEOSGeometry *half_strip(bz_context *ctx, const bz_line *line, int sign, double width)
{
    size_t n = 0;
    const double *xy = bz_line_part_coords(line, 0, &n);
    double *ring = malloc((2 * n + 1) * 2 * sizeof *ring);
    assert_non_null(ring);
    for (size_t i = 0; i < n; i++) {
        ring[2 * i] = xy[2 * i];
        ring[2 * i + 1] = xy[2 * i + 1];
        double azi, s12, la, lo;
        size_t j = i + 1 < n ? i + 1 : i - 1;
        geod_inverse(&g84, xy[2 * i + 1], xy[2 * i], xy[2 * j + 1], xy[2 * j], &s12, &azi, NULL);
        if (j < i)
            azi += 180.0;
        geod_direct(&g84, xy[2 * i + 1], xy[2 * i], azi - sign * 90.0, width, &la, &lo, NULL);
        size_t k = 2 * n - 1 - i;
        ring[2 * k] = lo;
        ring[2 * k + 1] = la;
    }
    ring[4 * n] = ring[0];
    ring[4 * n + 1] = ring[1];
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, ring, (unsigned int)(2 * n + 1), 0, 0);
    free(ring);
    GEOSGeometry *poly = GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
    assert_non_null(poly);
    return poly;
}

/* ---------------------------------------------------------------------------------------- */
/* Tests                                                                                    */
/* ---------------------------------------------------------------------------------------- */

/* A straight 100 km geodesic, 10 km each side, line alone. Each side keeps a quarter disc at
 * each open end (the caps are divided by the line's continuation), so each zone is
 * D·L + πD²/2 and the buffer zone 2·D·L + πD² (flat-surface formulas: the ellipsoid's curvature
 * changes them by < 1e-6 at this size). */
static void test_straight_symmetric(void **state)
{
    bz_context *ctx = *state;
    const double L = 100000.0, D = 10000.0;
    bz_line *line = geodesic_line(ctx, 30.0, 48.0, 60.0, L, 1000.0);
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, D, D, NULL), BZ_OK);
    double side = D * L + PI * D * D / 2.0;
    assert_near(bz_zones_area(z, BZ_SIDE_A), side, 1e-4 * side);
    assert_near(bz_zones_area(z, BZ_SIDE_B), side, 1e-4 * side);
    assert_near(bz_zones_area(z, BZ_SIDE_A), bz_zones_area(z, BZ_SIDE_B), 1e-4 * side);
    assert_near(bz_zones_buffer_area(z), 2.0 * side, 2e-4 * side);
    assert_near(bz_zones_contact_length(z), L, 0.01);
    /* each withdrawal line: the parallel (L) and two quarter circles (πD/2 each) */
    assert_near(bz_zones_withdrawal_length(z, BZ_SIDE_A), L + PI * D, 1e-4 * (L + PI * D));
    assert_near(bz_zones_withdrawal_length(z, BZ_SIDE_B), L + PI * D, 1e-4 * (L + PI * D));
    assert_true(bz_zones_distance(z, BZ_SIDE_A) == D);
    double worst_a = check_withdrawal(ctx, z, line, BZ_SIDE_A, D, 50.0);
    double worst_b = check_withdrawal(ctx, z, line, BZ_SIDE_B, D, 50.0);
    /* the library's own measure agrees with ours within a chord's sag */
    assert_true(bz_zones_max_error(z) <= bound_for(D));
    assert_true(bz_zones_max_error(z) <= fmax(worst_a, worst_b) + 0.1);
    check_partition(ctx, z, L / 1000.0);
    /* sides: A's zone lies left of the line, B's right (half-strips built here) */
    GEOSGeometry *left = half_strip(ctx, line, +1, 2.0 * D);
    GEOSGeometry *right = half_strip(ctx, line, -1, 2.0 * D);
    assert_true(intersection_area(ctx, bz_zones_zone(z, BZ_SIDE_A), right) < L / 1000.0);
    assert_true(intersection_area(ctx, bz_zones_zone(z, BZ_SIDE_B), left) < L / 1000.0);
    assert_near(intersection_area(ctx, bz_zones_zone(z, BZ_SIDE_A), left), D * L, 1e-4 * D * L);
    GEOSGeom_destroy_r(bz_context_geos(ctx), left);
    GEOSGeom_destroy_r(bz_context_geos(ctx), right);
    bz_zones_free(z);
    bz_line_free(line);
}

/* One side leaves 10 km, the other stays: B's zone is empty and its withdrawal line is the
 * contact line; A's zone keeps its quarter discs at both ends. */
static void test_asymmetric(void **state)
{
    bz_context *ctx = *state;
    const double L = 100000.0, D = 10000.0;
    bz_line *line = geodesic_line(ctx, 30.0, 48.0, 60.0, L, 1000.0);
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, D, 0.0, NULL), BZ_OK);
    double side = D * L + PI * D * D / 2.0;
    assert_near(bz_zones_area(z, BZ_SIDE_A), side, 1e-4 * side);
    assert_true(bz_zones_area(z, BZ_SIDE_B) == 0.0);
    assert_true(GEOSisEmpty_r(bz_context_geos(ctx), bz_zones_zone(z, BZ_SIDE_B)));
    assert_near(bz_zones_withdrawal_length(z, BZ_SIDE_B), L, 0.01);
    assert_near(bz_zones_buffer_area(z), side, 1e-4 * side);
    assert_true(bz_zones_distance(z, BZ_SIDE_B) == 0.0);
    check_withdrawal(ctx, z, line, BZ_SIDE_A, D, 100.0);
    /* swapping the distances mirrors the result */
    bz_zones *m = NULL;
    assert_int_equal(bz_zones_compute(&m, ctx, line, NULL, NULL, 0.0, D, NULL), BZ_OK);
    assert_near(bz_zones_area(m, BZ_SIDE_B), bz_zones_area(z, BZ_SIDE_A), 1e-5 * side);
    assert_true(bz_zones_area(m, BZ_SIDE_A) == 0.0);
    bz_zones_free(m);
    bz_zones_free(z);
    bz_line_free(line);
}

/* 1,200 km of wiggly line from 24°E to about 40°E (UTM zones 35, 36, 37), 10 km and 5 km. */
static void test_long_wiggly(void **state)
{
    bz_context *ctx = *state;
    bz_line *line = wiggly_line(ctx, 24.0, 48.5, 85.0, 1200000.0, 500.0);
    size_t n = 0;
    const double *xy = bz_line_part_coords(line, 0, &n);
    assert_true(xy[2 * n - 2] > 36.5); /* it does reach the third UTM zone */
    const double ds[2] = {10000.0, 5000.0};
    for (int k = 0; k < 2; k++) {
        bz_zones *z = NULL;
        assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, ds[k], ds[k], NULL), BZ_OK);
        check_withdrawal(ctx, z, line, BZ_SIDE_A, ds[k], 250.0);
        check_withdrawal(ctx, z, line, BZ_SIDE_B, ds[k], 250.0);
        assert_true(bz_zones_max_error(z) <= bound_for(ds[k]));
        check_partition(ctx, z, 1200.0);
        bz_zones_free(z);
    }
    bz_line_free(line);
}

/* High latitudes: 600 km from 62°N heading north-east, and a line across the antimeridian. */
static void test_high_latitude(void **state)
{
    bz_context *ctx = *state;
    bz_line *line = wiggly_line(ctx, 15.0, 62.0, 20.0, 600000.0, 400.0);
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, 10000.0, 10000.0, NULL), BZ_OK);
    check_withdrawal(ctx, z, line, BZ_SIDE_A, 10000.0, 200.0);
    check_withdrawal(ctx, z, line, BZ_SIDE_B, 10000.0, 200.0);
    check_partition(ctx, z, 600.0);
    bz_zones_free(z);
    bz_line_free(line);
}

/* Near the pole: a 101 m line at 88.5°N, 527 m on side A and 136 m on side B (a case the
 * fuzzer found; the buffer zone is then the union of the two zones). There a 500 m edge read as
 * a straight lon/lat chord (as GEOS cuts and unites) and as a geodesic (as areas read it) differ
 * by 0.2 m: the united buffer zone measured 1.4e-4 more than the sum of its zones, a disagreement
 * the size of the areas' own bound. The library keeps edges short enough that the readings agree
 * to 1e-5; the flat-surface areas (a rectangle and two quarter discs a side) hold within the
 * bound and every withdrawal line keeps it. */
static void test_near_pole(void **state)
{
    bz_context *ctx = *state;
    const double DA = 527.0, DB = 136.0, ends[4] = {10.0, 88.5, 10.03456, 88.5};
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_lonlat(&line, ctx, ends, 2), BZ_OK);
    double L = 0;
    assert_int_equal(bz_line_length(&L, ctx, line), BZ_OK);
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, DA, DB, NULL), BZ_OK);
    double side_a = DA * L + PI * DA * DA / 2.0, side_b = DB * L + PI * DB * DB / 2.0;
    /* at such small distances the 1 m bound dominates: a zone may be short by up to its
     * withdrawal line's length times the bound */
    assert_near(bz_zones_area(z, BZ_SIDE_A), side_a, bz_zones_withdrawal_length(z, BZ_SIDE_A));
    assert_near(bz_zones_area(z, BZ_SIDE_B), side_b, bz_zones_withdrawal_length(z, BZ_SIDE_B));
    double sum = bz_zones_area(z, BZ_SIDE_A) + bz_zones_area(z, BZ_SIDE_B);
    assert_near(area_of(ctx, bz_zones_buffer_zone(z)), sum, 1e-5 * sum);
    check_withdrawal(ctx, z, line, BZ_SIDE_A, DA, 5.0);
    check_withdrawal(ctx, z, line, BZ_SIDE_B, DB, 5.0);
    assert_true(bz_zones_max_error(z) <= 1.0);
    bz_zones_free(z);
    bz_line_free(line);
}

static void test_antimeridian(void **state)
{
    bz_context *ctx = *state;
    bz_line *line = wiggly_line(ctx, 177.5, 65.0, 95.0, 300000.0, 300.0);
    size_t n = 0;
    const double *xy = bz_line_part_coords(line, 0, &n);
    assert_true(xy[0] < 180.0 && xy[2 * n - 2] > 180.0); /* unwrapped across 180° */
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, 10000.0, 10000.0, NULL), BZ_OK);
    check_withdrawal(ctx, z, line, BZ_SIDE_A, 10000.0, 100.0);
    check_withdrawal(ctx, z, line, BZ_SIDE_B, 10000.0, 100.0);
    check_partition(ctx, z, 300.0);
    /* both zones are about D·L + πD²/2 (the wiggles shift area between sides only a little) */
    double a = bz_zones_area(z, BZ_SIDE_A), b = bz_zones_area(z, BZ_SIDE_B);
    assert_true(a > 0.8e9 && b > 0.8e9 && a + b < 2.0 * (3e9 + PI * 1e8));
    bz_zones_free(z);
    bz_line_free(line);
}

/* Line + region: a box the line crosses; zones stay inside the region, the contact length is
 * the part inside, and open ends beyond the region do not matter. */
static void test_line_and_region(void **state)
{
    bz_context *ctx = *state;
    const double D = 5000.0;
    bz_line *line = geodesic_line(ctx, 29.0, 48.0, 90.0, 300000.0, 1000.0);
    GEOSGeometry *region = NULL;
    assert_int_equal(
        bz_geometry_from_wkt(&region, ctx, "POLYGON((30 47.5,31 47.5,31 48.5,30 48.5,30 47.5))"),
        BZ_OK);
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, line, region, NULL, D, D, NULL), BZ_OK);
    GEOSContextHandle_t h = bz_context_geos(ctx);
    for (int s = 0; s < 2; s++) {
        GEOSGeometry *out = GEOSDifference_r(h, bz_zones_zone(z, (bz_side)s), region);
        assert_true(area_of(ctx, out) < 1.0);
        GEOSGeom_destroy_r(h, out);
    }
    /* the part inside the box: from 30°E to 31°E along the geodesic, measured here */
    truth_line t;
    assert_int_equal(truth_line_init(&t, line), 0);
    double inside = 0.0;
    for (size_t i = 0; i + 1 < t.n; i++) {
        double x0 = t.ll[2 * i], x1 = t.ll[2 * i + 2];
        double s = truth_inverse(&t, x0, t.ll[2 * i + 1], x1, t.ll[2 * i + 3]);
        double lo = fmax(x0, 30.0), hi = fmin(x1, 31.0);
        if (hi > lo)
            inside += s * (hi - lo) / (x1 - x0);
    }
    truth_line_free(&t);
    assert_near(bz_zones_contact_length(z), inside, 5.0);
    /* inside the box the zones are bands of width D along the line (ends cut by the box's
     * meridians): each about D × the length inside */
    assert_near(bz_zones_area(z, BZ_SIDE_A), D * inside, 0.01 * D * inside);
    assert_near(bz_zones_area(z, BZ_SIDE_B), D * inside, 0.01 * D * inside);
    check_withdrawal(ctx, z, line, BZ_SIDE_A, D, 100.0);
    check_partition(ctx, z, inside / 1000.0);
    bz_zones_free(z);
    GEOSGeom_destroy_r(h, region);
    bz_line_free(line);
}

/* Territory form: a box held by A, the region a larger box; the derived line is the box's
 * edge inside the region; A's zone lies in the territory, B's outside it. */
static void test_territory_form(void **state)
{
    bz_context *ctx = *state;
    GEOSGeometry *region = NULL, *territory = NULL;
    assert_int_equal(bz_geometry_from_wkt(&region, ctx, "POLYGON((30 47,33 47,33 50,30 50,30 47))"),
                     BZ_OK);
    /* territory: the eastern part, its western edge (31.5°E meridian) is the front */
    assert_int_equal(
        bz_geometry_from_wkt(&territory, ctx, "POLYGON((31.5 47,33 47,33 50,31.5 50,31.5 47))"),
        BZ_OK);
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, NULL, region, territory, 5000.0, 10000.0, NULL),
                     BZ_OK);
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *a_out = GEOSDifference_r(h, bz_zones_zone(z, BZ_SIDE_A), territory);
    assert_true(area_of(ctx, a_out) < 1.0);
    GEOSGeom_destroy_r(h, a_out);
    assert_true(intersection_area(ctx, bz_zones_zone(z, BZ_SIDE_B), territory) < 1.0);
    /* the front: the meridian from 47°N to 50°N less 1 km at each end (derive tolerance) */
    double front = 0.0;
    geod_inverse(&g84, 47.0, 31.5, 50.0, 31.5, &front, NULL, NULL);
    assert_near(bz_zones_contact_length(z), front - 2000.0, 300.0);
    double len = bz_zones_contact_length(z);
    assert_near(bz_zones_area(z, BZ_SIDE_A), 5000.0 * len, 0.02 * 5000.0 * len);
    assert_near(bz_zones_area(z, BZ_SIDE_B), 10000.0 * len, 0.02 * 10000.0 * len);
    check_withdrawal(ctx, z, bz_zones_contact_line(z), BZ_SIDE_B, 10000.0, 100.0);
    bz_zones_free(z);
    GEOSGeom_destroy_r(h, region);
    GEOSGeom_destroy_r(h, territory);
}

/* An explicit zone polygon: a strip 5 km either side of a straight line, built here. */
static void test_from_polygon(void **state)
{
    bz_context *ctx = *state;
    const double L = 100000.0, W = 5000.0;
    bz_line *line = geodesic_line(ctx, 30.0, 48.0, 60.0, L, 1000.0);
    GEOSGeometry *left = half_strip(ctx, line, +1, W);
    GEOSGeometry *right = half_strip(ctx, line, -1, W);
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *strip = GEOSUnion_r(h, left, right);
    assert_non_null(strip);
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_from_polygon(&z, ctx, line, NULL, NULL, strip), BZ_OK);
    assert_near(bz_zones_area(z, BZ_SIDE_A), W * L, 1e-3 * W * L);
    assert_near(bz_zones_area(z, BZ_SIDE_B), W * L, 1e-3 * W * L);
    assert_true(isnan(bz_zones_distance(z, BZ_SIDE_A)));
    assert_true(bz_zones_max_error(z) == 0.0);
    /* withdrawal line of A: the left edge (L) and the strip's two end edges on A's side (W) */
    assert_near(bz_zones_withdrawal_length(z, BZ_SIDE_A), L + 2.0 * W, 0.01 * L);
    bz_zones_free(z);
    GEOSGeom_destroy_r(h, strip);
    GEOSGeom_destroy_r(h, left);
    GEOSGeom_destroy_r(h, right);
    bz_line_free(line);
}

/* Two disjoint parts (30 km apart), and a line curled three-quarters round a circle so that its
 * buffer encloses a hole: every part of every withdrawal line, the hole's edge included, is at
 * the distance. */
static void test_parts_and_hole(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    double xy[2 * 2 * 41];
    size_t sizes[2] = {41, 41};
    /* The southern part runs west, the northern east, so the ground between them is right of
     * both (side B). (With both running east, that ground would be left of one part and right of
     * the other; bzi_side_grounds then gives the whole face to one side: see the report.) */
    for (int k = 0; k < 2; k++) {
        double la, lo;
        geod_direct(&g84, 48.0, 30.0, 0.0, 30000.0 * k, &la, &lo, NULL);
        for (int i = 0; i < 41; i++) {
            int j = k == 0 ? 40 - i : i;
            geod_direct(&g84, la, lo, 90.0, 1000.0 * j, &xy[2 * (41 * k + i) + 1],
                        &xy[2 * (41 * k + i)], NULL);
        }
    }
    bz_line *two = NULL;
    assert_int_equal(bz_line_from_parts(&two, ctx, xy, sizes, 2), BZ_OK);
    assert_int_equal(bz_line_num_parts(two), 2);
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, two, NULL, NULL, 5000.0, 5000.0, NULL), BZ_OK);
    check_withdrawal(ctx, z, two, BZ_SIDE_A, 5000.0, 50.0);
    check_withdrawal(ctx, z, two, BZ_SIDE_B, 5000.0, 50.0);
    /* 10 km apart after a 5 km withdrawal each: the zones of the two parts do not touch, each
     * zone is two pieces of D·L + πD²/2 */
    assert_int_equal(GEOSGetNumGeometries_r(h, bz_zones_buffer_zone(z)), 2);
    double one = 5000.0 * 40000.0 + PI * 5000.0 * 5000.0 / 2.0;
    assert_near(bz_zones_area(z, BZ_SIDE_A), 2.0 * one, 2e-4 * one);
    bz_zones_free(z);
    bz_line_free(two);

    double arc[2 * 271];
    for (int i = 0; i <= 270; i++)
        geod_direct(&g84, 60.0, 25.0, (double)i, 20000.0, &arc[2 * i + 1], &arc[2 * i], NULL);
    bz_line *curl = NULL;
    assert_int_equal(bz_line_from_lonlat(&curl, ctx, arc, 271), BZ_OK);
    assert_int_equal(bz_zones_compute(&z, ctx, curl, NULL, NULL, 15000.0, 15000.0, NULL), BZ_OK);
    /* the hole: around the centre, 20 − 15 = 5 km from the arc */
    const GEOSGeometry *bz = bz_zones_buffer_zone(z);
    int holes = 0;
    for (int i = 0; i < GEOSGetNumGeometries_r(h, bz); i++)
        holes += GEOSGetNumInteriorRings_r(h, GEOSGetGeometryN_r(h, bz, i));
    assert_int_equal(holes, 1);
    check_withdrawal(ctx, z, curl, BZ_SIDE_A, 15000.0, 100.0);
    check_withdrawal(ctx, z, curl, BZ_SIDE_B, 15000.0, 100.0);
    check_partition(ctx, z, 3.0 * PI * 20.0 / 2.0);
    bz_zones_free(z);
    bz_line_free(curl);
}

/* Results come out as MultiPolygon / MultiLineString, WKT and WKB. */
static void test_output_types(void **state)
{
    bz_context *ctx = *state;
    bz_line *line = geodesic_line(ctx, 30.0, 48.0, 0.0, 20000.0, 500.0);
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, 2000.0, 1000.0, NULL), BZ_OK);
    GEOSContextHandle_t h = bz_context_geos(ctx);
    for (int s = 0; s < 2; s++) {
        assert_int_equal(GEOSGeomTypeId_r(h, bz_zones_zone(z, (bz_side)s)), GEOS_MULTIPOLYGON);
        assert_int_equal(GEOSGeomTypeId_r(h, bz_zones_withdrawal_line(z, (bz_side)s)),
                         GEOS_MULTILINESTRING);
        assert_true(GEOSisValid_r(h, bz_zones_zone(z, (bz_side)s)) == 1);
    }
    assert_int_equal(GEOSGeomTypeId_r(h, bz_zones_buffer_zone(z)), GEOS_MULTIPOLYGON);
    char *wkt = NULL;
    assert_int_equal(bz_geometry_to_wkt(&wkt, ctx, bz_zones_zone(z, BZ_SIDE_A), 7), BZ_OK);
    assert_true(strncmp(wkt, "MULTIPOLYGON", 12) == 0);
    bz_free(wkt);
    unsigned char *wkb = NULL;
    size_t size = 0;
    assert_int_equal(bz_geometry_to_wkb(&wkb, &size, ctx, bz_zones_buffer_zone(z)), BZ_OK);
    assert_true(size > 9 && wkb[0] == 1 && wkb[1] == 6); /* little endian, MultiPolygon */
    bz_free(wkb);
    assert_near(bz_zones_distance(z, BZ_SIDE_B), 1000.0, 0.0);
    bz_zones_free(z);
    bz_line_free(line);
}

/* Results do not depend on the number of worker threads. */
static void test_threads_agree(void **state)
{
    bz_context *ctx = *state;
    bz_line *line = wiggly_line(ctx, 30.0, 47.0, 70.0, 200000.0, 200.0);
    double area[3];
    const int threads[3] = {1, 2, 5};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(bz_context_set_threads(ctx, threads[k]), BZ_OK);
        bz_zones *z = NULL;
        assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, 5000.0, 5000.0, NULL), BZ_OK);
        area[k] = bz_zones_buffer_area(z);
        bz_zones_free(z);
    }
    assert_int_equal(bz_context_set_threads(ctx, 0), BZ_OK);
    assert_near(area[1], area[0], 1e-6 * area[0]);
    assert_near(area[2], area[0], 1e-6 * area[0]);
    bz_line_free(line);
}

static void expect_bad_distance(bz_context *ctx, const bz_line *line, double da, double db,
                                const char *side)
{
    bz_zones *z = (bz_zones *)&z; /* must come back NULL */
    assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, da, db, NULL), BZ_ERR_ARGUMENT);
    assert_null(z);
    assert_int_equal(bz_errcode(ctx), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(ctx), side));
}

static void test_argument_errors(void **state)
{
    bz_context *ctx = *state;
    bz_line *line = geodesic_line(ctx, 30.0, 48.0, 60.0, 10000.0, 1000.0);
    expect_bad_distance(ctx, line, -5.0, 10.0, "side A");
    expect_bad_distance(ctx, line, 10.0, -0.001, "side B");
    expect_bad_distance(ctx, line, NAN, 10.0, "side A");
    expect_bad_distance(ctx, line, 10.0, INFINITY, "side B");
    expect_bad_distance(ctx, line, 1.0e6 + 1.0, 10.0, "side A");
    assert_non_null(strstr(bz_errmsg(ctx), "1000001"));

    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(NULL, ctx, line, NULL, NULL, 1.0, 1.0, NULL),
                     BZ_ERR_ARGUMENT);
    assert_int_equal(bz_zones_compute(&z, NULL, line, NULL, NULL, 1.0, 1.0, NULL), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_zones_compute(&z, ctx, NULL, NULL, NULL, 1.0, 1.0, NULL), BZ_ERR_ARGUMENT);
    assert_null(z);
    GEOSGeometry *box = NULL, *ls = NULL;
    assert_int_equal(bz_geometry_from_wkt(&box, ctx, "POLYGON((29 47,31 47,31 49,29 49,29 47))"),
                     BZ_OK);
    assert_int_equal(bz_geometry_from_wkt(&ls, ctx, "LINESTRING(29 47,31 49)"), BZ_OK);
    /* a territory needs a region */
    assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, box, 1.0, 1.0, NULL), BZ_ERR_ARGUMENT);
    /* a region must be a valid polygon */
    GEOSGeometry *bowtie = NULL;
    assert_int_equal(bz_geometry_from_wkt(&bowtie, ctx, "POLYGON((29 47,31 49,31 47,29 49,29 47))"),
                     BZ_OK);
    assert_int_equal(bz_zones_compute(&z, ctx, line, bowtie, NULL, 1.0, 1.0, NULL),
                     BZ_ERR_GEOMETRY);
    assert_non_null(strstr(bz_errmsg(ctx), "lon 30"));
    GEOSGeom_destroy_r(bz_context_geos(ctx), bowtie);
    assert_int_equal(bz_zones_compute(&z, ctx, line, ls, NULL, 1.0, 1.0, NULL), BZ_ERR_TYPE);
    assert_int_equal(bz_zones_from_polygon(&z, ctx, line, NULL, NULL, ls), BZ_ERR_TYPE);
    assert_int_equal(bz_zones_from_polygon(&z, ctx, line, NULL, NULL, NULL), BZ_ERR_ARGUMENT);
    assert_null(z);
    /* bad options */
    bz_zone_options o = BZ_ZONE_OPTIONS_INIT;
    o.version = 99;
    assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, 1.0, 1.0, &o), BZ_ERR_ARGUMENT);
    o = (bz_zone_options)BZ_ZONE_OPTIONS_INIT;
    o.max_error_m = -1.0;
    assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, 1.0, 1.0, &o), BZ_ERR_ARGUMENT);
    o = (bz_zone_options)BZ_ZONE_OPTIONS_INIT;
    o.verify_step_m = NAN;
    assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, 1.0, 1.0, &o), BZ_ERR_ARGUMENT);
    assert_null(z);
    GEOSGeom_destroy_r(bz_context_geos(ctx), box);
    GEOSGeom_destroy_r(bz_context_geos(ctx), ls);
    bz_line_free(line);
}

/* A bound tighter than the fillet chords can meet is reported as an accuracy failure naming
 * the worst place; with verification off the same request succeeds and reports 0. */
static void test_accuracy_bound(void **state)
{
    bz_context *ctx = *state;
    bz_line *line = geodesic_line(ctx, 30.0, 48.0, 60.0, 20000.0, 1000.0);
    bz_zone_options o = BZ_ZONE_OPTIONS_INIT;
    o.max_error_m = 1e-6;
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, 10000.0, 10000.0, &o),
                     BZ_ERR_ACCURACY);
    assert_null(z);
    assert_non_null(strstr(bz_errmsg(ctx), "lon"));
    o.verify = 0;
    o.max_error_m = 0.0;
    assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, 10000.0, 10000.0, &o), BZ_OK);
    assert_true(bz_zones_max_error(z) == 0.0);
    bz_zones_free(z);
    bz_line_free(line);
}

static void test_getters_null(void **state)
{
    (void)state;
    bz_zones_free(NULL);
    assert_null(bz_zones_zone(NULL, BZ_SIDE_A));
    assert_null(bz_zones_withdrawal_line(NULL, BZ_SIDE_B));
    assert_null(bz_zones_buffer_zone(NULL));
    assert_null(bz_zones_side_ground(NULL, BZ_SIDE_A));
    assert_null(bz_zones_contact_line(NULL));
    assert_true(isnan(bz_zones_area(NULL, BZ_SIDE_A)));
    assert_true(isnan(bz_zones_max_error(NULL)));
}

/* The largest deviation a vertex of a withdrawal line has from the distance, by the truth, over
 * the vertices the library cannot leave out as lying on a ground's edge (their deviation at most
 * half the bound). */
static double worst_vertex(bz_context *ctx, const truth_line *t, const GEOSGeometry *g, double d)
{
    GEOSContextHandle_t h = bz_context_geos(ctx);
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_MULTILINESTRING || type == GEOS_GEOMETRYCOLLECTION) {
        double worst = 0.0;
        for (int i = 0; i < GEOSGetNumGeometries_r(h, g); i++)
            worst = fmax(worst, worst_vertex(ctx, t, GEOSGetGeometryN_r(h, g, i), d));
        return worst;
    }
    if (type != GEOS_LINESTRING)
        return 0.0;
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, g);
    unsigned int m = 0;
    GEOSCoordSeq_getSize_r(h, cs, &m);
    double worst = 0.0;
    for (unsigned int k = 0; k < m; k++) {
        double x, y;
        GEOSCoordSeq_getXY_r(h, cs, k, &x, &y);
        double e = fabs(truth_distance(t, x, y) - d);
        if (e <= 0.5 * bound_for(d))
            worst = fmax(worst, e);
    }
    return worst;
}

/* The self-check measures a sample only as far as needed to know it is not the largest
 * (lib/zones/verify.c), so what it reports must still be the largest: never below the truth's
 * worst over the vertices of both withdrawal lines (every vertex is one of its samples).
 * Generated lines: wiggly, one to three parts, segments of 30 m to 8 km, at the equator, mid and
 * high latitudes, across the antimeridian; distances 300 m to 60 km, symmetric and not; alone
 * or in a region that cuts them. */
static void test_reported_error_is_the_largest(void **state)
{
    bz_context *ctx = *state;
    struct geod_geodesic g = support_wgs84();
    uint64_t seed = 4242;
    for (int c = 0; c < 12; c++) {
        double lat0 = -75.0 + 150.0 * support_random(&seed);
        double lon0 = c % 4 == 3 ? 179.5 : -170.0 + 340.0 * support_random(&seed);
        double spacing = pow(10.0, 1.5 + 2.4 * support_random(&seed)); /* 30 m to 8 km */
        size_t nparts = 1 + (size_t)(3.0 * support_random(&seed)), per = 150;
        double d = pow(10.0, 2.5 + 2.3 * support_random(&seed)); /* 300 m to 60 km */
        double db = c % 3 == 0 ? 0.4 * d : d;
        double *xy = malloc(2 * nparts * per * sizeof *xy);
        size_t sizes[3];
        double heading = 360.0 * support_random(&seed);
        for (size_t p = 0; p < nparts; p++) {
            double *v = xy + 2 * p * per;
            sizes[p] = per;
            /* parts side by side, far enough apart for their zones not to merge */
            geod_direct(&g, lat0, lon0, heading + 90.0, (double)p * 3.0 * (d + db), &v[1], &v[0],
                        NULL);
            for (size_t i = 1; i < per; i++) {
                double azi = heading + 50.0 * sin((double)i / 9.0) + 25.0 * sin((double)i / 2.3);
                geod_direct(&g, v[2 * i - 1], v[2 * i - 2], azi, spacing, &v[2 * i + 1], &v[2 * i],
                            NULL);
            }
        }
        bz_line *line = NULL;
        assert_int_equal(bz_line_from_parts(&line, ctx, xy, sizes, nparts), BZ_OK);
        /* every other case (off the antimeridian) in a region that cuts the band across its
         * longer extent: withdrawal lines then run along the region's edge, where the library
         * leaves samples out */
        GEOSGeometry *region = NULL;
        if (c % 2 == 1 && c % 4 != 3) {
            double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
            for (size_t i = 0; i < nparts * per; i++)
                for (int k = 0; k < 2; k++) {
                    lo[k] = fmin(lo[k], xy[2 * i + k]);
                    hi[k] = fmax(hi[k], xy[2 * i + k]);
                }
            double my = 3.0 * fmax(d, db) / 111000.0,
                   mx = my / fmax(0.05, cos(0.5 * (lo[1] + hi[1]) * 3.14159265358979 / 180.0));
            double box[4] = {lo[0] - mx, fmax(-89.0, lo[1] - my), hi[0] + mx,
                             fmin(89.0, hi[1] + my)};
            int k = (hi[0] - lo[0]) * cos(0.5 * (lo[1] + hi[1]) * 3.14159265358979 / 180.0) >
                            hi[1] - lo[1]
                        ? 0
                        : 1;
            box[2 + k] = lo[k] + 0.6 * (hi[k] - lo[k]); /* the cut */
            char wkt[512];
            snprintf(wkt, sizeof wkt,
                     "POLYGON ((%.9f %.9f, %.9f %.9f, %.9f %.9f, %.9f %.9f, %.9f %.9f))", box[0],
                     box[1], box[2], box[1], box[2], box[3], box[0], box[3], box[0], box[1]);
            GEOSWKTReader *r = GEOSWKTReader_create_r(bz_context_geos(ctx));
            region = GEOSWKTReader_read_r(bz_context_geos(ctx), r, wkt);
            GEOSWKTReader_destroy_r(bz_context_geos(ctx), r);
            assert_non_null(region);
        }
        bz_zones *z = NULL;
        int rc = bz_zones_compute(&z, ctx, line, region, NULL, d, db, NULL);
        if (region)
            GEOSGeom_destroy_r(bz_context_geos(ctx), region);
        if (rc != BZ_OK)
            fail_msg("case %d: %s", c, bz_errmsg(ctx));
        truth_line t;
        assert_int_equal(truth_line_init(&t, line), 0);
        double truth = 0.0;
        for (int s = 0; s < 2; s++) {
            double ds = s ? db : d, w = worst_vertex(ctx, &t, bz_zones_withdrawal_line(z, s), ds);
            /* the bound is per side: compare in units of it */
            truth = fmax(truth, w);
            if (!(bz_zones_max_error(z) >= w - 1e-6))
                fail_msg("case %d (%zu parts, %.0f m apart, d %.0f/%.0f m): reported %.6f m, a "
                         "vertex of side %c is %.6f m off",
                         c, nparts, spacing, d, db, bz_zones_max_error(z), s ? 'B' : 'A', w);
        }
        assert_true(truth > 0.0);
        truth_line_free(&t);
        bz_zones_free(z);
        bz_line_free(line);
        free(xy);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_straight_symmetric, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_asymmetric, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_long_wiggly, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_high_latitude, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_near_pole, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_antimeridian, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_line_and_region, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_territory_form, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_from_polygon, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_parts_and_hole, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_output_types, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_threads_agree, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_argument_errors, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_accuracy_bound, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_reported_error_is_the_largest, setup,
                                        support_context_free),
        cmocka_unit_test(test_getters_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

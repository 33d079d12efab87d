/* test_sides.c — the sides' grounds as users see them (bz_zones_side_ground after
 * bz_zones_compute), in the three forms, against areas from geod_polygonarea called here and
 * points stepped left and right of the line with geod_direct. The splitting itself is tested
 * in depth by internal_sides.c. */
#include <bufferzone.h>

#include <geodesic.h>
#include <geos_c.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "support.h"

static struct geod_geodesic g84;

static int setup(void **state)
{
    geod_init(&g84, WGS84_A, WGS84_F);
    return support_context_new(state);
}

/* Line + region: a meridian going north halves the cell; its west half (left) is side A. The
 * line ends inside the cell and is continued north along the meridian. */
static void test_line_and_region(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_wkt(&line, ctx, "LINESTRING(30.5 47.5, 30.5 48.6)"), BZ_OK);
    GEOSGeometry *region = support_wkt(ctx, "POLYGON((30 48,31 48,31 49,30 49,30 48))");
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, line, region, NULL, 2000, 2000, NULL), BZ_OK);
    double ta = truth_lonlat_rect_area(30, 48, 30.5, 49),
           tb = truth_lonlat_rect_area(30.5, 48, 31, 49);
    assert_near(truth_area(&g84, h, bz_zones_side_ground(z, BZ_SIDE_A)), ta, ta * 1e-6);
    assert_near(truth_area(&g84, h, bz_zones_side_ground(z, BZ_SIDE_B)), tb, tb * 1e-6);
    assert_true(support_covers_point(ctx, bz_zones_side_ground(z, BZ_SIDE_A), 30.25, 48.9));
    assert_true(support_covers_point(ctx, bz_zones_side_ground(z, BZ_SIDE_B), 30.75, 48.9));
    bz_zones_free(z);
    GEOSGeom_destroy_r(h, region);
    bz_line_free(line);
}

/* Territory form: A = territory ∩ region, B = region − territory. */
static void test_territory_and_region(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *region = support_wkt(ctx, "POLYGON((30 48,31 48,31 49,30 49,30 48))");
    GEOSGeometry *terr = support_wkt(ctx, "POLYGON((30.6 47,32 47,32 50,30.6 50,30.6 47))");
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, NULL, region, terr, 2000, 2000, NULL), BZ_OK);
    double ta = truth_lonlat_rect_area(30.6, 48, 31, 49),
           tb = truth_lonlat_rect_area(30, 48, 30.6, 49);
    assert_near(truth_area(&g84, h, bz_zones_side_ground(z, BZ_SIDE_A)), ta, ta * 1e-6);
    assert_near(truth_area(&g84, h, bz_zones_side_ground(z, BZ_SIDE_B)), tb, tb * 1e-6);
    bz_zones_free(z);
    GEOSGeom_destroy_r(h, terr);
    GEOSGeom_destroy_r(h, region);
}

/* Line alone: points within the distance left of the line are side A's, right are B's. */
static void test_line_alone(void **state)
{
    bz_context *ctx = *state;
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_wkt(&line, ctx, "LINESTRING(20 55, 20.6 55.3, 21 55.2)"), BZ_OK);
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, 3000, 3000, NULL), BZ_OK);
    const GEOSGeometry *ga = bz_zones_side_ground(z, BZ_SIDE_A);
    const GEOSGeometry *gb = bz_zones_side_ground(z, BZ_SIDE_B);
    const double v[3][2] = {{20, 55}, {20.6, 55.3}, {21, 55.2}};
    for (int s = 0; s < 2; s++) {
        double s12, azi1, azi2, mlat, mlon, az, lat, lon;
        geod_inverse(&g84, v[s][1], v[s][0], v[s + 1][1], v[s + 1][0], &s12, &azi1, &azi2);
        geod_direct(&g84, v[s][1], v[s][0], azi1, s12 / 2, &mlat, &mlon, &az);
        for (double r = 50; r < 3000; r += 700) {
            geod_direct(&g84, mlat, mlon, az - 90, r, &lat, &lon, NULL);
            assert_true(support_covers_point(ctx, ga, lon, lat));
            assert_false(support_covers_point(ctx, gb, lon, lat));
            geod_direct(&g84, mlat, mlon, az + 90, r, &lat, &lon, NULL);
            assert_true(support_covers_point(ctx, gb, lon, lat));
            assert_false(support_covers_point(ctx, ga, lon, lat));
        }
    }
    bz_zones_free(z);
    bz_line_free(line);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_line_and_region, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_territory_and_region, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_line_alone, setup, support_context_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

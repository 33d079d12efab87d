/* test_diff.c — bz_territory_diff and bz_intersection_area against independent truth: areas of
 * hand-made rectangles and triangles from geod_polygonarea called here, and (with
 * BZ_SHARED_DATA) the net change between two DeepState maps against the difference of their
 * areas (SOURCES.md: 109,361 and 116,995 km²). */
#include <bufferzone.h>

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

static struct geod_geodesic g84;

static int setup(void **state)
{
    geod_init(&g84, WGS84_A, WGS84_F);
    return support_context_new(state);
}

/* The territory moved east by half a degree: a strip gained in the east, one lost in the west. */
static void test_shifted_square(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *old_t = support_wkt(ctx, "POLYGON((30 48,31 48,31 49,30 49,30 48))");
    GEOSGeometry *new_t = support_wkt(ctx, "POLYGON((30.5 48,31.5 48,31.5 49,30.5 49,30.5 48))");
    GEOSGeometry *gained = NULL, *lost = NULL;
    double ga = 0, la = 0;
    assert_int_equal(bz_territory_diff(&gained, &lost, &ga, &la, ctx, old_t, new_t, NULL), BZ_OK);
    double tg = truth_lonlat_rect_area(31, 48, 31.5, 49),
           tl = truth_lonlat_rect_area(30, 48, 30.5, 49);
    assert_near(ga, tg, tg * 1e-6);
    assert_near(la, tl, tl * 1e-6);
    assert_near(truth_area(&g84, h, gained), tg, tg * 1e-6);
    assert_near(truth_area(&g84, h, lost), tl, tl * 1e-6);
    assert_int_equal(GEOSGeomTypeId_r(h, gained), GEOS_MULTIPOLYGON);
    assert_int_equal(GEOSGeomTypeId_r(h, lost), GEOS_MULTIPOLYGON);
    /* net change = area(new) - area(old) */
    assert_near(ga - la,
                truth_lonlat_rect_area(30.5, 48, 31.5, 49) - truth_lonlat_rect_area(30, 48, 31, 49),
                1e-3);
    bz_geometry_free(ctx, gained);
    bz_geometry_free(ctx, lost);

    /* clipped to a region; area pointers may be NULL */
    GEOSGeometry *region = support_wkt(ctx, "POLYGON((30 48,31.2 48,31.2 48.5,30 48.5,30 48))");
    assert_int_equal(bz_territory_diff(&gained, &lost, NULL, NULL, ctx, old_t, new_t, region),
                     BZ_OK);
    tg = truth_lonlat_rect_area(31, 48, 31.2, 48.5);
    tl = truth_lonlat_rect_area(30, 48, 30.5, 48.5);
    assert_near(truth_area(&g84, h, gained), tg, tg * 1e-6);
    assert_near(truth_area(&g84, h, lost), tl, tl * 1e-6);
    bz_geometry_free(ctx, gained);
    bz_geometry_free(ctx, lost);

    /* nothing changed: both empty MultiPolygons */
    assert_int_equal(bz_territory_diff(&gained, &lost, &ga, &la, ctx, old_t, old_t, NULL), BZ_OK);
    assert_true(GEOSisEmpty_r(h, gained) && GEOSisEmpty_r(h, lost));
    assert_int_equal(GEOSGeomTypeId_r(h, gained), GEOS_MULTIPOLYGON);
    assert_near(ga, 0, 0);
    assert_near(la, 0, 0);
    bz_geometry_free(ctx, gained);
    bz_geometry_free(ctx, lost);
    GEOSGeom_destroy_r(h, region);
    GEOSGeom_destroy_r(h, old_t);
    GEOSGeom_destroy_r(h, new_t);
}

/* A self-intersecting (bow-tie) old territory is repaired into its two triangles: what the
 * square gained is the other two triangles. */
static void test_invalid_input_repaired(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *bowtie = support_wkt(ctx, "POLYGON((0 0,1 1,1 0,0 1,0 0))");
    GEOSGeometry *square = support_wkt(ctx, "POLYGON((0 0,1 0,1 1,0 1,0 0))");
    GEOSGeometry *gained = NULL, *lost = NULL;
    double ga = 0, la = 0;
    assert_int_equal(bz_territory_diff(&gained, &lost, &ga, &la, ctx, bowtie, square, NULL), BZ_OK);
    const double bottom[6] = {0, 0, 1, 0, 0.5, 0.5}, top[6] = {1, 1, 0, 1, 0.5, 0.5};
    /* the library reads edges straight in lon/lat (RFC 7946), the diagonals too */
    double truth = truth_lonlat_ring_area(&g84, bottom, 3) + truth_lonlat_ring_area(&g84, top, 3);
    assert_near(ga, truth, truth * 1e-6);
    assert_near(la, 0, 1e-6);
    bz_geometry_free(ctx, gained);
    bz_geometry_free(ctx, lost);
    GEOSGeom_destroy_r(h, bowtie);
    GEOSGeom_destroy_r(h, square);
}

static void test_intersection_area(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *a = support_wkt(ctx, "POLYGON((30 48,31 48,31 49,30 49,30 48))");
    GEOSGeometry *b = support_wkt(ctx, "MULTIPOLYGON(((30.5 48.5,32 48.5,32 50,30.5 50,30.5 48.5)),"
                                       "((35 48,36 48,36 49,35 49,35 48)))");
    GEOSGeometry *far = support_wkt(ctx, "POLYGON((40 48,41 48,41 49,40 49,40 48))");
    double area = -1;
    assert_int_equal(bz_intersection_area(&area, ctx, a, b), BZ_OK);
    double truth = truth_lonlat_rect_area(30.5, 48.5, 31, 49);
    assert_near(area, truth, truth * 1e-6);
    assert_int_equal(bz_intersection_area(&area, ctx, a, far), BZ_OK);
    assert_near(area, 0, 0);
    assert_int_equal(bz_intersection_area(&area, ctx, a, a), BZ_OK);
    truth = truth_lonlat_rect_area(30, 48, 31, 49);
    assert_near(area, truth, truth * 1e-6);
    GEOSGeom_destroy_r(h, a);
    GEOSGeom_destroy_r(h, b);
    GEOSGeom_destroy_r(h, far);
}

static void test_errors(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *sq = support_wkt(ctx, "POLYGON((0 0,1 0,1 1,0 1,0 0))");
    GEOSGeometry *ln = support_wkt(ctx, "LINESTRING(0 0,1 1)");
    GEOSGeometry *gained = (GEOSGeometry *)1, *lost = (GEOSGeometry *)1;
    assert_int_equal(bz_territory_diff(&gained, &lost, NULL, NULL, ctx, ln, sq, NULL), BZ_ERR_TYPE);
    assert_null(gained);
    assert_null(lost);
    assert_non_null(strstr(bz_errmsg(ctx), "old territory"));
    assert_int_equal(bz_territory_diff(&gained, &lost, NULL, NULL, ctx, sq, sq, ln), BZ_ERR_TYPE);
    assert_non_null(strstr(bz_errmsg(ctx), "region"));
    assert_int_equal(bz_territory_diff(&gained, &lost, NULL, NULL, ctx, sq, NULL, NULL),
                     BZ_ERR_ARGUMENT);
    assert_int_equal(bz_territory_diff(NULL, &lost, NULL, NULL, ctx, sq, sq, NULL),
                     BZ_ERR_ARGUMENT);
    double area = 0;
    assert_int_equal(bz_intersection_area(&area, ctx, sq, ln), BZ_ERR_TYPE);
    assert_int_equal(bz_intersection_area(NULL, ctx, sq, sq), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_intersection_area(&area, NULL, sq, sq), BZ_ERR_ARGUMENT);
    GEOSGeom_destroy_r(h, sq);
    GEOSGeom_destroy_r(h, ln);
}

/* DeepState 2024-07-08 -> 2026-08-22: gained - lost equals the difference of the two maps'
 * areas, both as measured here and as published in SOURCES.md (within 0.1 %). */
static void test_real_deepstate(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    const char *dir = getenv("BZ_SHARED_DATA");
    GEOSGeometry *old_t =
        dir ? support_read_union(h, dir, "frontline/deepstate_occupied_2024-07-08.geojson") : NULL;
    GEOSGeometry *new_t =
        old_t ? support_read_union(h, dir, "frontline/deepstate_occupied_2026-08-22.geojson")
              : NULL;
    GEOSGeometry *region =
        new_t ? support_read_union(h, dir, "boundaries/ukraine_adm1_geoboundaries.geojson") : NULL;
    if (!region) {
        GEOSGeometry *got[2] = {old_t, new_t};
        for (int i = 0; i < 2; i++)
            if (got[i])
                GEOSGeom_destroy_r(h, got[i]);
        skip();
    }
    GEOSGeometry *gained = NULL, *lost = NULL;
    double ga = 0, la = 0;
    assert_int_equal(bz_territory_diff(&gained, &lost, &ga, &la, ctx, old_t, new_t, NULL), BZ_OK);
    double net_here = truth_area(&g84, h, new_t) - truth_area(&g84, h, old_t);
    double net_published = (116995.0 - 109361.0) * 1e6;
    printf("# gained %.1f km², lost %.1f km², net %.1f km² (areas: %.1f km²; SOURCES.md: %.0f km²)"
           "\n",
           ga / 1e6, la / 1e6, (ga - la) / 1e6, net_here / 1e6, net_published / 1e6);
    assert_near(ga - la, net_here, fabs(net_here) * 1e-4);
    assert_near(ga - la, net_published, net_published * 1e-3);
    assert_near(truth_area(&g84, h, gained), ga, ga * 1e-6);
    assert_near(truth_area(&g84, h, lost), la, la * 1e-6);
    /* gained lies in the new map only, lost in the old one only */
    double x = 0;
    assert_int_equal(bz_intersection_area(&x, ctx, gained, old_t), BZ_OK);
    assert_true(x < ga * 1e-6);
    assert_int_equal(bz_intersection_area(&x, ctx, lost, new_t), BZ_OK);
    assert_true(x < la * 1e-6);
    bz_geometry_free(ctx, gained);
    bz_geometry_free(ctx, lost);

    /* clipped to Ukraine's outline: never more than unclipped */
    double gc = 0, lc = 0;
    assert_int_equal(bz_territory_diff(&gained, &lost, &gc, &lc, ctx, old_t, new_t, region), BZ_OK);
    printf("# within the geoBoundaries outline: gained %.1f km², lost %.1f km²\n", gc / 1e6,
           lc / 1e6);
    assert_true(gc <= ga * (1 + 1e-9) && lc <= la * (1 + 1e-9));
    assert_true(gc > 0.95 * ga);
    bz_geometry_free(ctx, gained);
    bz_geometry_free(ctx, lost);
    GEOSGeom_destroy_r(h, old_t);
    GEOSGeom_destroy_r(h, new_t);
    GEOSGeom_destroy_r(h, region);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shifted_square, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_invalid_input_repaired, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_intersection_area, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_errors, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_real_deepstate, setup, support_context_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

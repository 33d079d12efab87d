/* test_derive.c — bz_line_derive against independent truth: hand-made territories whose front
 * is known vertex by vertex (lengths from geod_inverse called here), the metric tolerance
 * checked against geod_inverse distances, orientation checked by stepping left of the line
 * with geod_direct; with BZ_SHARED_DATA, the DeepState 2026-08-22 front. */
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

static double dist(double lon1, double lat1, double lon2, double lat2)
{
    double s12, a1, a2;
    geod_inverse(&g84, lat1, lon1, lat2, lon2, &s12, &a1, &a2);
    return s12;
}

/* Geodesic length of a polyline of lon/lat pairs, measured here. */
static double poly_length(const double *xy, size_t n)
{
    double s = 0;
    for (size_t i = 0; i + 1 < n; i++)
        s += dist(xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3]);
    return s;
}

static double line_length_here(const bz_line *line)
{
    double s = 0;
    for (size_t k = 0; k < bz_line_num_parts(line); k++) {
        size_t n = 0;
        const double *xy = bz_line_part_coords(line, k, &n);
        s += poly_length(xy, n);
    }
    return s;
}

static int inside(bz_context *ctx, const GEOSPreparedGeometry *g, double lon, double lat)
{
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(h, lon, lat);
    char r = GEOSPreparedIntersects_r(h, g, p);
    GEOSGeom_destroy_r(h, p);
    return r == 1;
}

/*
 * Of the segments of the line longer than min_seg_m, the fraction whose point offset_m to the
 * left of the geodesic midpoint is inside the territory and offset_m to the right is not.
 */
static double fraction_left(bz_context *ctx, const bz_line *line, const GEOSGeometry *terr,
                            double offset_m, double min_seg_m, int *checked)
{
    int good = 0, all = 0;
    const GEOSPreparedGeometry *pterr = GEOSPrepare_r(bz_context_geos(ctx), terr);
    for (size_t k = 0; k < bz_line_num_parts(line); k++) {
        size_t n = 0;
        const double *xy = bz_line_part_coords(line, k, &n);
        for (size_t i = 0; i + 1 < n; i++) {
            double s12, azi1, azi2, mlat, mlon, az, lat, lon;
            geod_inverse(&g84, xy[2 * i + 1], xy[2 * i], xy[2 * i + 3], xy[2 * i + 2], &s12, &azi1,
                         &azi2);
            if (s12 < min_seg_m)
                continue;
            geod_direct(&g84, xy[2 * i + 1], xy[2 * i], azi1, s12 / 2, &mlat, &mlon, &az);
            geod_direct(&g84, mlat, mlon, az - 90, offset_m, &lat, &lon, NULL);
            int left_in = inside(ctx, pterr, lon, lat);
            geod_direct(&g84, mlat, mlon, az + 90, offset_m, &lat, &lon, NULL);
            int right_in = inside(ctx, pterr, lon, lat);
            good += left_in && !right_in;
            all++;
        }
    }
    GEOSPreparedGeom_destroy_r(bz_context_geos(ctx), pterr);
    *checked = all;
    return all ? (double)good / all : 0.0;
}

/*
 * Region: the cell [30, 32] x [48, 50]. Territory: its east part, bounded on the west by a
 * zigzag front whose first and last legs are meridians (perpendicular to the region's edges),
 * and otherwise by the region's own edges. The derived line is the zigzag minus the 1 km next to
 * each edge, running south (territory on the left).
 */
static void test_zigzag_front(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    const double front[] = {31, 50, 31, 49.8, 30.8, 49.3, 31.3, 48.7, 31, 48.2, 31, 48};
    GEOSGeometry *region = support_wkt(ctx, "POLYGON((30 48,32 48,32 50,30 50,30 48))");
    GEOSGeometry *terr =
        support_wkt(ctx, "POLYGON((31 48,32 48,32 50,31 50,31 49.8,30.8 49.3,31.3 48.7,"
                         "31 48.2,31 48))");
    bz_line *line = NULL;
    assert_int_equal(bz_line_derive(&line, ctx, terr, region, NULL), BZ_OK);
    assert_int_equal(bz_line_num_parts(line), 1);
    size_t n = 0;
    const double *xy = bz_line_part_coords(line, 0, &n);
    /* the shared border never appears: 6 front vertices minus the two on the edge plus 2 cuts,
     * and the points that cut the long edges (straight in lon/lat), all on the zigzag */
    assert_true(n >= 6);
    GEOSGeometry *zig =
        support_wkt(ctx, "LINESTRING(31 50,31 49.8,30.8 49.3,31.3 48.7,31 48.2,31 48)");
    for (size_t i = 0; i < n; i++) {
        GEOSGeometry *p = GEOSGeom_createPointFromXY_r(h, xy[2 * i], xy[2 * i + 1]);
        double d = 1;
        GEOSDistance_r(h, zig, p, &d);
        assert_true(d < 1e-12);
        GEOSGeom_destroy_r(h, p);
    }
    GEOSGeom_destroy_r(h, zig);
    /* starts 1 km south of the north edge on the meridian 31, ends 1 km north of the south edge
     * (the distance to an edge along a parallel is the meridian arc) */
    assert_near(xy[0], 31, 1e-9);
    assert_near(dist(31, 50, xy[0], xy[1]), 1000, 10);
    assert_near(dist(31, 48, xy[2 * n - 2], xy[2 * n - 1]), 1000, 10);
    assert_true(xy[1] > xy[2 * n - 1]); /* running south: the territory (east) on the left */
    double truth = poly_length(front, 6) - 2000;
    double len = 0;
    assert_int_equal(bz_line_length(&len, ctx, line), BZ_OK);
    assert_near(len, truth, 20);
    assert_near(line_length_here(line), truth, 20);
    int checked = 0;
    assert_near(fraction_left(ctx, line, terr, 300, 0, &checked), 1.0, 0);
    assert_int_equal(checked, (int)n - 1);

    /* the same territory with its ring starting in the middle of the front, and clockwise:
     * the piece through the ring's first vertex is joined there, and the result is the same */
    GEOSGeometry *rotated =
        support_wkt(ctx, "POLYGON((30.8 49.3,31 49.8,31 50,32 50,32 48,31 48,31 48.2,"
                         "31.3 48.7,30.8 49.3))");
    bz_line *again = NULL;
    assert_int_equal(bz_line_derive(&again, ctx, rotated, region, NULL), BZ_OK);
    assert_int_equal(bz_line_num_parts(again), 1);
    size_t n2 = 0;
    const double *xy2 = bz_line_part_coords(again, 0, &n2);
    assert_int_equal(n2, n);
    for (size_t i = 0; i < 2 * n; i++)
        assert_near(xy2[i], xy[i], 1e-7);
    bz_line_free(again);
    GEOSGeom_destroy_r(h, rotated);
    bz_line_free(line);
    GEOSGeom_destroy_r(h, terr);
    GEOSGeom_destroy_r(h, region);
}

/* A territory inside the region (an enclave, with a hole): closed rings, territory on the left
 * of each (counter-clockwise outside, clockwise around the hole). */
static void test_enclave_with_hole(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *region = support_wkt(ctx, "POLYGON((30 48,32 48,32 50,30 50,30 48))");
    /* exterior given clockwise, hole counter-clockwise: the derivation must turn both */
    GEOSGeometry *terr =
        support_wkt(ctx, "POLYGON((30.5 48.5,30.5 49.5,31.5 49.5,31.5 48.5,30.5 48.5),"
                         "(30.9 48.9,31.1 48.9,31.1 49.1,30.9 49.1,30.9 48.9))");
    bz_line *line = NULL;
    assert_int_equal(bz_line_derive(&line, ctx, terr, region, NULL), BZ_OK);
    assert_int_equal(bz_line_num_parts(line), 2);
    const double outer[] = {30.5, 48.5, 31.5, 48.5, 31.5, 49.5, 30.5, 49.5, 30.5, 48.5};
    const double hole[] = {30.9, 48.9, 31.1, 48.9, 31.1, 49.1, 30.9, 49.1, 30.9, 48.9};
    double len = 0;
    assert_int_equal(bz_line_length(&len, ctx, line), BZ_OK);
    /* the rings' edges are straight in lon/lat (RFC 7946), as the library reads them */
    assert_near(len, truth_lonlat_length(&g84, outer, 5) + truth_lonlat_length(&g84, hole, 5),
                0.05);
    for (size_t k = 0; k < 2; k++) { /* each part is closed */
        size_t n = 0;
        const double *xy = bz_line_part_coords(line, k, &n);
        assert_true(n >= 5);
        assert_near(xy[0], xy[2 * n - 2], 0);
        assert_near(xy[1], xy[2 * n - 1], 0);
    }
    int checked = 0;
    assert_near(fraction_left(ctx, line, terr, 500, 0, &checked), 1.0, 0);
    assert_int_equal(checked, (int)bz_line_num_points(line) - 2); /* every segment */
    bz_line_free(line);
    GEOSGeom_destroy_r(h, terr);
    GEOSGeom_destroy_r(h, region);
}

/* Two squares of territory that touch at a corner (what make_valid makes of a ring that
 * touches itself): the pieces are cut where they meet, so that parts meet only at their ends.
 * Was: refused as "the line touches itself" (world-atlas's Luxembourg beside Germany). */
static void test_territory_touching_at_a_corner(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *region = support_wkt(ctx, "POLYGON((30 48,33 48,33 51,30 51,30 48))");
    GEOSGeometry *terr = support_wkt(ctx, "MULTIPOLYGON(((30.5 48.5,31.5 48.5,31.5 49.5,30.5 49.5,"
                                          "30.5 48.5)),((31.5 49.5,32.5 49.5,32.5 50.5,31.5 50.5,"
                                          "31.5 49.5)))");
    bz_line *line = NULL;
    if (bz_line_derive(&line, ctx, terr, region, NULL) != BZ_OK)
        fail_msg("%s", bz_errmsg(ctx));
    assert_true(bz_line_num_parts(line) >= 2);
    const double a[] = {30.5, 48.5, 31.5, 48.5, 31.5, 49.5, 30.5, 49.5, 30.5, 48.5};
    const double b[] = {31.5, 49.5, 32.5, 49.5, 32.5, 50.5, 31.5, 50.5, 31.5, 49.5};
    double len = 0;
    assert_int_equal(bz_line_length(&len, ctx, line), BZ_OK);
    assert_near(len, truth_lonlat_length(&g84, a, 5) + truth_lonlat_length(&g84, b, 5), 0.05);
    int checked = 0;
    assert_near(fraction_left(ctx, line, terr, 500, 0, &checked), 1.0, 0);
    assert_true(checked > 0);
    /* and the zones of that line: the territory form works end to end */
    bz_zones *z = NULL;
    if (bz_zones_compute(&z, ctx, NULL, region, terr, 5000, 5000, NULL) != BZ_OK)
        fail_msg("%s", bz_errmsg(ctx));
    assert_true(bz_zones_area(z, BZ_SIDE_A) > 0 && bz_zones_area(z, BZ_SIDE_B) > 0);
    bz_zones_free(z);
    bz_line_free(line);
    GEOSGeom_destroy_r(h, terr);
    GEOSGeom_destroy_r(h, region);
}

/*
 * The tolerance is metric: the territory's east edge runs 0.01° of longitude inside the
 * region's east edge (716-746 m between 48° and 50°N by geod_inverse). A tolerance below that
 * makes the edge front line; above it, it is border disagreement and left out.
 */
static void test_metric_tolerance(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *region = support_wkt(ctx, "POLYGON((30 48,32 48,32 50,30 50,30 48))");
    GEOSGeometry *terr = support_wkt(
        ctx, "POLYGON((31 48,31.99 48,31.99 50,31 50,31 49.8,30.8 49.3,31.3 48.7,31 48.2,31 48))");
    double gap_min = dist(31.99, 50, 32, 50), gap_max = dist(31.99, 48, 32, 48);
    assert_true(gap_min > 700 && gap_max < 760);
    bz_derive_options opts = BZ_DERIVE_OPTIONS_INIT;
    opts.tolerance_m = gap_max * 1.01 + 1; /* 1 % is the accuracy the tolerance promises */
    bz_line *line = NULL;
    assert_int_equal(bz_line_derive(&line, ctx, terr, region, &opts), BZ_OK);
    double len_out = 0;
    bz_line_length(&len_out, ctx, line);
    bz_line_free(line);
    opts.tolerance_m = gap_min * 0.99 - 1;
    assert_int_equal(bz_line_derive(&line, ctx, terr, region, &opts), BZ_OK);
    double len_in = 0;
    bz_line_length(&len_in, ctx, line);
    bz_line_free(line);
    /* the east edge (minus the tolerance at both ends) joins the front */
    double east = dist(31.99, 48, 31.99, 50);
    assert_true(len_in - len_out > east - 4 * gap_max);
    assert_true(len_in - len_out < east + 1000);
    GEOSGeom_destroy_r(h, terr);
    GEOSGeom_destroy_r(h, region);
}

static void test_not_found_and_errors(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *region = support_wkt(ctx, "POLYGON((30 48,32 48,32 50,30 50,30 48))");
    GEOSGeometry *same = support_wkt(ctx, "MULTIPOLYGON(((30 48,32 48,32 50,30 50,30 48)))");
    GEOSGeometry *away = support_wkt(ctx, "POLYGON((40 48,41 48,41 49,40 49,40 48))");
    GEOSGeometry *terr = support_wkt(ctx, "POLYGON((31 48,32 48,32 50,31 50,31 48))");
    GEOSGeometry *lines = support_wkt(ctx, "LINESTRING(30 48,31 49)");
    bz_line *line = (bz_line *)1;
    /* all of the territory's boundary is the region's edge, or lies outside the region */
    assert_int_equal(bz_line_derive(&line, ctx, same, region, NULL), BZ_ERR_NOT_FOUND);
    assert_null(line);
    assert_int_equal(bz_line_derive(&line, ctx, away, region, NULL), BZ_ERR_NOT_FOUND);
    /* the only piece (the meridian 31, 222 km less 2 km) is shorter than asked for */
    bz_derive_options opts = BZ_DERIVE_OPTIONS_INIT;
    opts.min_length_m = dist(31, 48, 31, 50) - 1000;
    assert_int_equal(bz_line_derive(&line, ctx, terr, region, &opts), BZ_ERR_NOT_FOUND);
    opts.min_length_m = dist(31, 48, 31, 50) - 3000;
    assert_int_equal(bz_line_derive(&line, ctx, terr, region, &opts), BZ_OK);
    bz_line_free(line);
    assert_int_equal(bz_line_derive(&line, ctx, lines, region, NULL), BZ_ERR_TYPE);
    assert_non_null(strstr(bz_errmsg(ctx), "territory"));
    assert_int_equal(bz_line_derive(&line, ctx, terr, lines, NULL), BZ_ERR_TYPE);
    assert_non_null(strstr(bz_errmsg(ctx), "region"));
    opts = (bz_derive_options)BZ_DERIVE_OPTIONS_INIT;
    opts.tolerance_m = -1;
    assert_int_equal(bz_line_derive(&line, ctx, terr, region, &opts), BZ_ERR_ARGUMENT);
    opts.tolerance_m = NAN;
    assert_int_equal(bz_line_derive(&line, ctx, terr, region, &opts), BZ_ERR_ARGUMENT);
    opts = (bz_derive_options)BZ_DERIVE_OPTIONS_INIT;
    opts.version = 99;
    assert_int_equal(bz_line_derive(&line, ctx, terr, region, &opts), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_line_derive(NULL, ctx, terr, region, NULL), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_line_derive(&line, ctx, NULL, region, NULL), BZ_ERR_ARGUMENT);
    /* invalid inputs are rejected, naming which and where (the library's one validity rule,
     * bzi_check_valid), not repaired on the quiet: a bow-tie region, a bow-tie territory */
    GEOSGeometry *bowtie = support_wkt(ctx, "POLYGON((30 48,32 50,32 48,30 50,30 48))");
    assert_int_equal(bz_line_derive(&line, ctx, terr, bowtie, NULL), BZ_ERR_GEOMETRY);
    assert_non_null(strstr(bz_errmsg(ctx), "the region is not a valid polygon"));
    assert_non_null(strstr(bz_errmsg(ctx), "lon 31.0000000, lat 49.0000000"));
    assert_null(line);
    assert_int_equal(bz_line_derive(&line, ctx, bowtie, region, NULL), BZ_ERR_GEOMETRY);
    assert_non_null(strstr(bz_errmsg(ctx), "the territory is not a valid polygon"));
    GEOSGeometry *all[6] = {region, same, away, terr, lines, bowtie};
    for (int i = 0; i < 6; i++)
        GEOSGeom_destroy_r(h, all[i]);
}

static double longest_part(const bz_line *line)
{
    double best = 0;
    for (size_t k = 0; k < bz_line_num_parts(line); k++) {
        size_t n = 0;
        const double *xy = bz_line_part_coords(line, k, &n);
        best = fmax(best, poly_length(xy, n));
    }
    return best;
}

/*
 * DeepState's occupied area of 2026-08-22 against two outlines of Ukraine. The land outline
 * (Minregion) leaves the front proper: its main piece runs ~1,140 km from the Russian border
 * near Kupiansk to the Dnipro mouth. geoBoundaries' oblasts reach out over the territorial sea,
 * so there the occupied coasts (Crimea, Azov) are inside the region too and join the line.
 */
static void test_real_deepstate(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    const char *dir = getenv("BZ_SHARED_DATA");
    GEOSGeometry *terr =
        dir ? support_read_union(h, dir, "frontline/deepstate_occupied_2026-08-22.geojson") : NULL;
    GEOSGeometry *land =
        terr ? support_read_union(h, dir, "boundaries/ukraine_oblasts_minregion_2020.geojson")
             : NULL;
    GEOSGeometry *sea =
        land ? support_read_union(h, dir, "boundaries/ukraine_adm1_geoboundaries.geojson") : NULL;
    if (!sea) {
        GEOSGeometry *got[2] = {terr, land};
        for (int i = 0; i < 2; i++)
            if (got[i])
                GEOSGeom_destroy_r(h, got[i]);
        skip();
    }
    const char *names[2] = {"minregion (land)", "geoBoundaries (with territorial sea)"};
    GEOSGeometry *regions[2] = {land, sea};
    for (int r = 0; r < 2; r++) {
        bz_line *line = NULL;
        assert_int_equal(bz_line_derive(&line, ctx, terr, regions[r], NULL), BZ_OK);
        double len = 0;
        assert_int_equal(bz_line_length(&len, ctx, line), BZ_OK);
        int checked = 0;
        double left = fraction_left(ctx, line, terr, 50, 200, &checked);
        printf("# %s: %zu pieces, %.1f km, longest %.1f km, %zu vertices; territory left of "
               "%.2f %% of %d segments\n",
               names[r], bz_line_num_parts(line), len / 1e3, longest_part(line) / 1e3,
               bz_line_num_points(line), 100 * left, checked);
        if (r == 0)
            assert_true(longest_part(line) > 1.1e6 && longest_part(line) < 1.4e6);
        else
            assert_true(len > 1.1e6);
        assert_true(checked > 500);
        assert_true(left > 0.99);
        /* every vertex lies on the territory's boundary, inside the region */
        GEOSGeometry *tb = GEOSBoundary_r(h, terr);
        const GEOSPreparedGeometry *ptb = GEOSPrepare_r(h, tb);
        const GEOSPreparedGeometry *preg = GEOSPrepare_r(h, regions[r]);
        for (size_t k = 0; k < bz_line_num_parts(line); k++) {
            size_t n = 0;
            const double *xy = bz_line_part_coords(line, k, &n);
            for (size_t i = 0; i < n; i++) {
                GEOSGeometry *p = GEOSGeom_createPointFromXY_r(h, xy[2 * i], xy[2 * i + 1]);
                double d = 1;
                GEOSPreparedDistance_r(h, ptb, p, &d);
                assert_true(d < 1e-9);
                assert_int_equal(GEOSPreparedIntersects_r(h, preg, p), 1);
                GEOSGeom_destroy_r(h, p);
            }
        }
        GEOSPreparedGeom_destroy_r(h, ptb);
        GEOSPreparedGeom_destroy_r(h, preg);
        GEOSGeom_destroy_r(h, tb);
        bz_line_free(line);
    }
    GEOSGeom_destroy_r(h, terr);
    GEOSGeom_destroy_r(h, land);
    GEOSGeom_destroy_r(h, sea);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_zigzag_front, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_enclave_with_hole, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_territory_touching_at_a_corner, setup,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_metric_tolerance, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_not_found_and_errors, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_real_deepstate, setup, support_context_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

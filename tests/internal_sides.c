/* internal_sides.c — bzi_side_grounds in its three forms, against independent truth: areas of
 * hand-made halves from geod_polygonarea called here directly, points offset to the left and
 * right of the line with geod_direct, and (with BZ_SHARED_DATA) the real Ukraine outline split
 * by the front derived from a DeepState map. */
#include "zones/sides.h"

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
#include <time.h>
#include <cmocka.h>

#include "support.h"

static struct geod_geodesic g84;

static int setup(void **state)
{
    geod_init(&g84, WGS84_A, WGS84_F);
    return support_context_new(state);
}

/* Grounds must not overlap: their intersection has no area. */
static void assert_disjoint(bz_context *ctx, const GEOSGeometry *a, const GEOSGeometry *b)
{
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *x = GEOSIntersection_r(h, a, b);
    assert_non_null(x);
    assert_true(truth_area(&g84, h, x) < 1.0); /* m² */
    GEOSGeom_destroy_r(h, x);
}

static void split_square_by(void **state, const char *line_wkt, double xa0, double ya0, double xa1,
                            double ya1, double xb0, double yb0, double xb1, double yb1)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_wkt(&line, ctx, line_wkt), BZ_OK);
    char region_wkt[256];
    snprintf(region_wkt, sizeof region_wkt, "POLYGON((%g %g,%g %g,%g %g,%g %g,%g %g))",
             fmin(xa0, xb0), fmin(ya0, yb0), fmax(xa1, xb1), fmin(ya0, yb0), fmax(xa1, xb1),
             fmax(ya1, yb1), fmin(xa0, xb0), fmax(ya1, yb1), fmin(xa0, xb0), fmin(ya0, yb0));
    GEOSGeometry *region = support_wkt(ctx, region_wkt);
    GEOSGeometry *ga = NULL, *gb = NULL;
    assert_int_equal(bzi_side_grounds(ctx, line, region, NULL, 10000, &ga, &gb), BZ_OK);
    double ta = truth_rect_area(&g84, xa0, ya0, xa1, ya1),
           tb = truth_rect_area(&g84, xb0, yb0, xb1, yb1);
    assert_near(truth_area(&g84, h, ga), ta, ta * 1e-6);
    assert_near(truth_area(&g84, h, gb), tb, tb * 1e-6);
    assert_true(support_covers_point(ctx, ga, 0.5 * (xa0 + xa1), 0.5 * (ya0 + ya1)));
    assert_true(support_covers_point(ctx, gb, 0.5 * (xb0 + xb1), 0.5 * (yb0 + yb1)));
    assert_int_equal(GEOSGeomTypeId_r(h, ga), GEOS_MULTIPOLYGON);
    assert_int_equal(GEOSisValid_r(h, ga), 1);
    assert_int_equal(GEOSisValid_r(h, gb), 1);
    GEOSGeom_destroy_r(h, ga);
    GEOSGeom_destroy_r(h, gb);
    GEOSGeom_destroy_r(h, region);
    bz_line_free(line);
}

/* A meridian going north through the square: west (left) is A, east is B. */
static void test_line_crossing_square(void **state)
{
    split_square_by(state, "LINESTRING(0.5 -0.5, 0.5 1.5)", 0, 0, 0.5, 1, 0.5, 0, 1, 1);
}

/* The same line going south: the sides swap. */
static void test_reversed_line(void **state)
{
    split_square_by(state, "LINESTRING(0.5 1.5, 0.5 -0.5)", 0.5, 0, 1, 1, 0, 0, 0.5, 1);
}

/* Open end inside the region: the line is continued along its end direction (north along the
 * meridian; east along the equator, both geodesics), so the square is still halved. */
static void test_open_end_inside(void **state)
{
    split_square_by(state, "LINESTRING(0.5 -0.5, 0.5 0.5)", 0, 0, 0.5, 1, 0.5, 0, 1, 1);
    /* eastward along the equator, ending at the centre: north is left (A) */
    split_square_by(state, "LINESTRING(-0.5 0, 0.5 0)", 0, 0, 1, 0.5, 0, -0.5, 1, 0);
    /* both ends inside: continued both ways */
    split_square_by(state, "LINESTRING(0.5 0.3, 0.5 0.6)", 0, 0, 0.5, 1, 0.5, 0, 1, 1);
}

/* An end near the region's edge that points inland (as derived fronts do where they touch the
 * border) is closed off at the edge, not continued across the whole region: only a small
 * corner near the end is in doubt, the far north-east stays side B. */
static void test_end_pointing_inland(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    bz_line *line = NULL;
    assert_int_equal(
        bz_line_from_wkt(&line, ctx, "LINESTRING(0.5 -0.2, 0.5 0.5, 0.8 0.995, 0.9 0.98)"), BZ_OK);
    GEOSGeometry *region = support_wkt(ctx, "POLYGON((0 0,2 0,2 1,0 1,0 0))");
    GEOSGeometry *ga = NULL, *gb = NULL;
    assert_int_equal(bzi_side_grounds(ctx, line, region, NULL, 10000, &ga, &gb), BZ_OK);
    /* left of the line, closed straight north from its end */
    double lat[7] = {0, 0, 0.5, 0.995, 0.98, 1, 1}, lon[7] = {0, 0.5, 0.5, 0.8, 0.9, 0.9, 0};
    double truth, perim;
    geod_polygonarea(&g84, lat, lon, 7, &truth, &perim);
    truth = fabs(truth);
    /* the corner in doubt: at most the reach-long continuation times its ~3 km to the edge */
    assert_near(truth_area(&g84, h, ga), truth, 60e6);
    assert_true(support_covers_point(ctx, gb, 1.9, 0.99));
    assert_true(support_covers_point(ctx, gb, 1.2, 0.99));
    assert_true(support_covers_point(ctx, ga, 0.2, 0.99));
    GEOSGeom_destroy_r(h, ga);
    GEOSGeom_destroy_r(h, gb);
    GEOSGeom_destroy_r(h, region);
    bz_line_free(line);
}

/* A closed line (a counter-clockwise loop around an enclave) divides without continuation:
 * inside is left (A), the rest of the region right (B) — the outer face sees the loop as its
 * hole, so this also checks the votes of hole rings. Reversed, the sides swap. */
static void test_closed_loop(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *region = support_wkt(ctx, "POLYGON((0 0,1 0,1 1,0 1,0 0))");
    const char *loops[2] = {"LINESTRING(0.3 0.3, 0.6 0.3, 0.6 0.7, 0.3 0.7, 0.3 0.3)",
                            "LINESTRING(0.3 0.3, 0.3 0.7, 0.6 0.7, 0.6 0.3, 0.3 0.3)"};
    double inner = truth_rect_area(&g84, 0.3, 0.3, 0.6, 0.7),
           outer = truth_rect_area(&g84, 0, 0, 1, 1) - inner;
    for (int k = 0; k < 2; k++) {
        bz_line *line = NULL;
        assert_int_equal(bz_line_from_wkt(&line, ctx, loops[k]), BZ_OK);
        GEOSGeometry *ga = NULL, *gb = NULL;
        assert_int_equal(bzi_side_grounds(ctx, line, region, NULL, 5000, &ga, &gb), BZ_OK);
        assert_near(truth_area(&g84, h, k ? gb : ga), inner, inner * 1e-6);
        assert_near(truth_area(&g84, h, k ? ga : gb), outer, outer * 1e-6);
        GEOSGeom_destroy_r(h, ga);
        GEOSGeom_destroy_r(h, gb);
        /* line alone: the loop's inside is all of A */
        assert_int_equal(bzi_side_grounds(ctx, line, NULL, NULL, 5000, &ga, &gb), BZ_OK);
        assert_near(truth_area(&g84, h, k ? gb : ga), inner, inner * 1e-6);
        assert_true(support_covers_point(ctx, k ? ga : gb, 0.45, 0.27)); /* 3.3 km out */
        GEOSGeom_destroy_r(h, ga);
        GEOSGeom_destroy_r(h, gb);
        bz_line_free(line);
    }
    GEOSGeom_destroy_r(h, region);
}

/* Islands touch no line edge: each goes to the side of the nearest point of the line. */
static void test_islands(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_wkt(&line, ctx, "LINESTRING(0.5 -0.5, 0.5 1.5)"), BZ_OK);
    GEOSGeometry *region = support_wkt(ctx, "MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0)),"
                                            "((2 0.3,2.2 0.3,2.2 0.5,2 0.5,2 0.3)),"
                                            "((-1.2 0.3,-1 0.3,-1 0.5,-1.2 0.5,-1.2 0.3)))");
    GEOSGeometry *ga = NULL, *gb = NULL;
    assert_int_equal(bzi_side_grounds(ctx, line, region, NULL, 5000, &ga, &gb), BZ_OK);
    double ta = truth_rect_area(&g84, 0, 0, 0.5, 1) + truth_rect_area(&g84, -1.2, 0.3, -1, 0.5);
    double tb = truth_rect_area(&g84, 0.5, 0, 1, 1) + truth_rect_area(&g84, 2, 0.3, 2.2, 0.5);
    assert_near(truth_area(&g84, h, ga), ta, ta * 1e-6);
    assert_near(truth_area(&g84, h, gb), tb, tb * 1e-6);
    assert_true(support_covers_point(ctx, ga, -1.1, 0.4));
    assert_true(support_covers_point(ctx, gb, 2.1, 0.4));
    GEOSGeom_destroy_r(h, ga);
    GEOSGeom_destroy_r(h, gb);
    GEOSGeom_destroy_r(h, region);
    bz_line_free(line);
}

/* Territory form: A = territory ∩ region, B = region − territory. */
static void test_territory_form(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *region = support_wkt(ctx, "POLYGON((30 48,31 48,31 49,30 49,30 48))");
    GEOSGeometry *terr = support_wkt(ctx, "POLYGON((29.5 48,30.6 48,30.6 49.5,29.5 49.5,29.5 48))");
    GEOSGeometry *ga = NULL, *gb = NULL;
    assert_int_equal(bzi_side_grounds(ctx, NULL, region, terr, 0, &ga, &gb), BZ_OK);
    double ta = truth_rect_area(&g84, 30, 48, 30.6, 49),
           tb = truth_rect_area(&g84, 30.6, 48, 31, 49);
    assert_near(truth_area(&g84, h, ga), ta, ta * 1e-6);
    assert_near(truth_area(&g84, h, gb), tb, tb * 1e-6);
    assert_int_equal(GEOSGeomTypeId_r(h, gb), GEOS_MULTIPOLYGON);
    GEOSGeom_destroy_r(h, ga);
    GEOSGeom_destroy_r(h, gb);
    GEOSGeom_destroy_r(h, terr);
    GEOSGeom_destroy_r(h, region);
}

/* Line alone: each half covers everything within reach on its side, end caps included. */
static void test_line_alone(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_wkt(&line, ctx, "LINESTRING(10 60, 10.5 60.5, 10.4 61)"), BZ_OK);
    const double reach = 20000;
    GEOSGeometry *ga = NULL, *gb = NULL;
    assert_int_equal(bzi_side_grounds(ctx, line, NULL, NULL, reach, &ga, &gb), BZ_OK);
    assert_disjoint(ctx, ga, gb);
    const double pts[3][2] = {{10, 60}, {10.5, 60.5}, {10.4, 61}};
    for (int s = 0; s < 2; s++) { /* points left/right of the middle of each segment */
        double s12, azi1, azi2, mlat, mlon, az;
        geod_inverse(&g84, pts[s][1], pts[s][0], pts[s + 1][1], pts[s + 1][0], &s12, &azi1, &azi2);
        geod_direct(&g84, pts[s][1], pts[s][0], azi1, s12 / 2, &mlat, &mlon, &az);
        for (double r = 100; r < reach; r += 4950) {
            double lat, lon;
            geod_direct(&g84, mlat, mlon, az - 90, r, &lat, &lon, NULL);
            assert_true(support_covers_point(ctx, ga, lon, lat));
            assert_false(support_covers_point(ctx, gb, lon, lat));
            geod_direct(&g84, mlat, mlon, az + 90, r, &lat, &lon, NULL);
            assert_true(support_covers_point(ctx, gb, lon, lat));
            assert_false(support_covers_point(ctx, ga, lon, lat));
        }
    }
    /* end caps: beyond the last vertex, left of the continued direction is A */
    double s12, azi1, azi_end;
    geod_inverse(&g84, 60.5, 10.5, 61, 10.4, &s12, &azi1, &azi_end);
    for (double da = 10; da < 180; da += 20) {
        double lat, lon;
        geod_direct(&g84, 61, 10.4, azi_end - da, reach * 0.99, &lat, &lon, NULL);
        assert_true(support_covers_point(ctx, ga, lon, lat));
        geod_direct(&g84, 61, 10.4, azi_end + da, reach * 0.99, &lat, &lon, NULL);
        assert_true(support_covers_point(ctx, gb, lon, lat));
    }
    GEOSGeom_destroy_r(h, ga);
    GEOSGeom_destroy_r(h, gb);
    bz_line_free(line);
}

/* Across the antimeridian the grounds come in the line's unwrapped longitudes (180.1, not
 * -179.9): left and right still hold there. */
static void test_line_alone_antimeridian(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_wkt(&line, ctx, "LINESTRING(179.7 -16.5, -179.7 -16.2)"), BZ_OK);
    GEOSGeometry *ga = NULL, *gb = NULL;
    assert_int_equal(bzi_side_grounds(ctx, line, NULL, NULL, 5000, &ga, &gb), BZ_OK);
    assert_disjoint(ctx, ga, gb);
    double s12, azi1, azi2;
    geod_inverse(&g84, -16.5, 179.7, -16.2, -179.7, &s12, &azi1, &azi2);
    for (double f = 0.1; f < 1; f += 0.2) {
        double mlat, mlon, az, lat, lon;
        geod_direct(&g84, -16.5, 179.7, azi1, f * s12, &mlat, &mlon, &az);
        geod_direct(&g84, mlat, mlon, az - 90, 4000, &lat, &lon, NULL);
        lon += lon < 0 ? 360 : 0; /* unwrapped like the line */
        assert_true(support_covers_point(ctx, ga, lon, lat));
        geod_direct(&g84, mlat, mlon, az + 90, 4000, &lat, &lon, NULL);
        lon += lon < 0 ? 360 : 0;
        assert_true(support_covers_point(ctx, gb, lon, lat));
    }
    GEOSGeom_destroy_r(h, ga);
    GEOSGeom_destroy_r(h, gb);
    bz_line_free(line);
}

/* A wiggly line (two sine waves, curvature radius down to ~350 m) across a region: points
 * 50 m left of every segment are in A, right in B, and A + B is the whole region. */
static void test_wiggly_line(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    enum { N = 1200 };
    double *xy = malloc(2 * N * sizeof *xy);
    for (int i = 0; i < N; i++) {
        double lon = 29.8 + 2.4 * i / (N - 1);
        xy[2 * i] = lon;
        xy[2 * i + 1] = 48.5 + 0.3 * sin(2 * 3.14159265358979323846 * lon * 1.5) +
                        0.02 * sin(2 * 3.14159265358979323846 * lon * 20);
    }
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, N), BZ_OK);
    GEOSGeometry *region = support_wkt(ctx, "POLYGON((30 48,32 48,32 49,30 49,30 48))");
    GEOSGeometry *ga = NULL, *gb = NULL;
    assert_int_equal(bzi_side_grounds(ctx, line, region, NULL, 10000, &ga, &gb), BZ_OK);
    double total = truth_rect_area(&g84, 30, 48, 32, 49);
    assert_near(truth_area(&g84, h, ga) + truth_area(&g84, h, gb), total, total * 1e-6);
    assert_disjoint(ctx, ga, gb);
    int checked = 0;
    for (int i = 0; i + 1 < N; i++) {
        if (xy[2 * i] < 30.01 || xy[2 * i] > 31.99)
            continue;
        double s12, azi1, azi2, mlat, mlon, az, lat, lon;
        geod_inverse(&g84, xy[2 * i + 1], xy[2 * i], xy[2 * i + 3], xy[2 * i + 2], &s12, &azi1,
                     &azi2);
        geod_direct(&g84, xy[2 * i + 1], xy[2 * i], azi1, s12 / 2, &mlat, &mlon, &az);
        geod_direct(&g84, mlat, mlon, az - 90, 50, &lat, &lon, NULL);
        assert_true(support_covers_point(ctx, ga, lon, lat));
        geod_direct(&g84, mlat, mlon, az + 90, 50, &lat, &lon, NULL);
        assert_true(support_covers_point(ctx, gb, lon, lat));
        checked++;
    }
    assert_true(checked > 900);
    GEOSGeom_destroy_r(h, ga);
    GEOSGeom_destroy_r(h, gb);
    GEOSGeom_destroy_r(h, region);
    bz_line_free(line);
    free(xy);
}

static void test_errors(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_wkt(&line, ctx, "LINESTRING(0 0, 1 1)"), BZ_OK);
    GEOSGeometry *pt = support_wkt(ctx, "POINT(0 0)");
    GEOSGeometry *sq = support_wkt(ctx, "POLYGON((0 0,1 0,1 1,0 1,0 0))");
    GEOSGeometry *ga = (GEOSGeometry *)1, *gb = (GEOSGeometry *)1;
    assert_int_equal(bzi_side_grounds(ctx, line, pt, NULL, 100, &ga, &gb), BZ_ERR_TYPE);
    assert_null(ga);
    assert_null(gb);
    assert_int_equal(bzi_side_grounds(ctx, NULL, sq, pt, 100, &ga, &gb), BZ_ERR_TYPE);
    assert_non_null(strstr(bz_errmsg(ctx), "territory"));
    assert_int_equal(bzi_side_grounds(ctx, NULL, NULL, sq, 100, &ga, &gb), BZ_ERR_ARGUMENT);
    assert_int_equal(bzi_side_grounds(ctx, NULL, sq, NULL, 100, &ga, &gb), BZ_ERR_ARGUMENT);
    assert_int_equal(bzi_side_grounds(ctx, line, NULL, NULL, -1, &ga, &gb), BZ_ERR_ARGUMENT);
    assert_int_equal(bzi_side_grounds(ctx, line, NULL, NULL, NAN, &ga, &gb), BZ_ERR_ARGUMENT);
    assert_null(ga);
    GEOSGeom_destroy_r(h, pt);
    GEOSGeom_destroy_r(h, sq);
    bz_line_free(line);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The Ukraine outline (geoBoundaries oblast union) split by the front derived from DeepState's
 * 2026-08-22 map: the line + region grounds must match the territory-form grounds. */
static void test_real_ukraine(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    const char *dir = getenv("BZ_SHARED_DATA");
    GEOSGeometry *terr =
        dir ? support_read_union(h, dir, "frontline/deepstate_occupied_2026-08-22.geojson") : NULL;
    GEOSGeometry *region =
        terr ? support_read_union(h, dir, "boundaries/ukraine_adm1_geoboundaries.geojson") : NULL;
    if (!region) {
        if (terr)
            GEOSGeom_destroy_r(h, terr);
        skip();
    }
    bz_line *line = NULL;
    assert_int_equal(bz_line_derive(&line, ctx, terr, region, NULL), BZ_OK);
    GEOSGeometry *ta = NULL, *tb = NULL, *la = NULL, *lb = NULL;
    assert_int_equal(bzi_side_grounds(ctx, NULL, region, terr, 0, &ta, &tb), BZ_OK);
    double t0 = now();
    assert_int_equal(bzi_side_grounds(ctx, line, region, NULL, 10000, &la, &lb), BZ_OK);
    double secs = now() - t0;
    double a_terr = truth_area(&g84, h, ta), b_terr = truth_area(&g84, h, tb);
    double a_line = truth_area(&g84, h, la), b_line = truth_area(&g84, h, lb);
    printf("# territory form: A %.0f km², B %.0f km²\n", a_terr / 1e6, b_terr / 1e6);
    printf("# line + region:  A %.0f km², B %.0f km² (%zu parts, %.2f s)\n", a_line / 1e6,
           b_line / 1e6, bz_line_num_parts(line), secs);
    /* SOURCES.md: the occupied area is 116,995 km²; Ukraine ~603,500 km² */
    assert_near(a_terr / 1e6, 116995, 116995 * 0.01);
    /* Where the front comes within 1 km of the border the derived line stops; the slivers
     * between its continued ends and the border are all the two forms may disagree on. */
    assert_near(a_line, a_terr, a_terr * 0.005);
    assert_near(b_line, b_terr, b_terr * 0.002);
    assert_near(a_line + b_line, a_terr + b_terr, (a_terr + b_terr) * 1e-6);
    GEOSGeometry *tmp[6] = {ta, tb, la, lb, terr, region};
    for (int i = 0; i < 6; i++)
        GEOSGeom_destroy_r(h, tmp[i]);
    bz_line_free(line);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_line_crossing_square, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_reversed_line, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_open_end_inside, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_end_pointing_inland, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_closed_loop, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_islands, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_territory_form, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_line_alone, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_line_alone_antimeridian, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_wiggly_line, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_errors, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_real_ukraine, setup, support_context_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_data_zones.c — withdrawal zones on real data: DeepState's occupied area of 2026-08-22
 * (territory, side A) and the union of Ukraine's oblasts (region), d = 5 km and 10 km, and the
 * asymmetric 10 km / 0. Withdrawal lines are sampled and measured with the brute-force geodesic
 * distance of zone_truth.h; sides are checked against the input territory itself.
 * Needs BZ_SHARED_DATA (exit 77, skipped, without it). DeepState data is read from the shared
 * directory only, never copied into the project. */
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

#define SAMPLE_STEP_M 500.0

static char territory_path[4096], region_path[4096], shared_dir[4096];

typedef struct data {
    bz_context *ctx;
    GEOSGeometry *territory, *region;
} data;

static int teardown(void **state);

static int setup(void **state)
{
    data *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    *state = d;
    d->ctx = bz_context_new();
    if (!d->ctx || bz_read_polygon(&d->territory, d->ctx, territory_path, NULL) != BZ_OK ||
        bz_read_polygon(&d->region, d->ctx, region_path, NULL) != BZ_OK) {
        fprintf(stderr, "reading: %s\n", d->ctx ? bz_errmsg(d->ctx) : "no context");
        teardown(state);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    data *d = *state;
    bz_geometry_free(d->ctx, d->territory);
    bz_geometry_free(d->ctx, d->region);
    bz_context_free(d->ctx);
    free(d);
    return 0;
}

static double area_of(bz_context *ctx, const GEOSGeometry *g)
{
    double a = NAN;
    assert_int_equal(bz_geodesic_area(&a, ctx, g), BZ_OK);
    return a;
}

static double overlay_area(bz_context *ctx, const GEOSGeometry *a, const GEOSGeometry *b,
                           int difference)
{
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *g = difference ? GEOSDifference_r(h, a, b) : GEOSIntersection_r(h, a, b);
    assert_non_null(g);
    double area = area_of(ctx, g);
    GEOSGeom_destroy_r(h, g);
    return area;
}

static void check_zones(data *d, double da, double db)
{
    bz_context *ctx = d->ctx;
    bz_zones *z = NULL;
    if (bz_zones_compute(&z, ctx, NULL, d->region, d->territory, da, db, NULL) != BZ_OK)
        fail_msg("zones %g/%g m: %s", da, db, bz_errmsg(ctx));
    const bz_line *line = bz_zones_contact_line(z);
    double km = bz_zones_contact_length(z) / 1000.0;
    /* the 2026 front is well over 1,000 km long */
    assert_true(km > 1000.0 && km < 3000.0);

    /* accuracy, measured here */
    truth_line t;
    assert_int_equal(truth_line_init(&t, line), 0);
    double dist[2] = {da, db};
    for (int s = 0; s < 2; s++) {
        if (dist[s] == 0.0)
            continue;
        truth_worst w = {&t, dist[s], 0.0, NAN, NAN, 0};
        truth_walk(bz_context_geos(ctx), bz_zones_withdrawal_line(z, (bz_side)s), SAMPLE_STEP_M,
                   truth_visit_worst, &w);
        assert_true((double)w.n * SAMPLE_STEP_M > 1000.0 * km);
        double bound = fmax(1.0, 1e-4 * dist[s]);
        if (w.worst > bound)
            fail_msg("side %c at %g m: withdrawal line off by %.3f m at %.7f %.7f", s ? 'B' : 'A',
                     dist[s], w.worst, w.worst_lon, w.worst_lat);
        assert_true(bz_zones_max_error(z) <= bound);
    }
    truth_line_free(&t);

    /* sides against the input: A's zone inside the territory, B's outside it, both inside the
     * region; no overlap, no gap (each below 1 m² per km of line) */
    const GEOSGeometry *za = bz_zones_zone(z, BZ_SIDE_A), *zb = bz_zones_zone(z, BZ_SIDE_B);
    assert_true(overlay_area(ctx, za, d->territory, 1) < km);
    assert_true(overlay_area(ctx, zb, d->territory, 0) < km);
    assert_true(overlay_area(ctx, za, d->region, 1) < km);
    assert_true(overlay_area(ctx, zb, d->region, 1) < km);
    assert_true(overlay_area(ctx, za, zb, 0) < km);
    double sum = bz_zones_area(z, BZ_SIDE_A) + bz_zones_area(z, BZ_SIDE_B);
    assert_true(bz_zones_buffer_area(z) == sum);
    assert_true(fabs(sum - area_of(ctx, bz_zones_buffer_zone(z))) < km);
    /* each zone is roughly its distance times the line's length (wiggles and the region's edge
     * make it differ by tens of per cent, not by factors) */
    for (int s = 0; s < 2; s++) {
        double expected = dist[s] * km * 1000.0;
        double a = bz_zones_area(z, (bz_side)s);
        if (expected == 0.0)
            assert_true(a == 0.0);
        else
            assert_true(a > 0.5 * expected && a < 1.5 * expected);
    }
    print_message("d = %g/%g m: line %.1f km, zones %.1f / %.1f km², max error %.3f m\n", da, db,
                  km, bz_zones_area(z, BZ_SIDE_A) / 1e6, bz_zones_area(z, BZ_SIDE_B) / 1e6,
                  bz_zones_max_error(z));
    bz_zones_free(z);
}

static void test_deepstate_5km(void **state)
{
    check_zones(*state, 5000.0, 5000.0);
}

static void test_deepstate_10km(void **state)
{
    check_zones(*state, 10000.0, 10000.0);
}

static void test_deepstate_asymmetric(void **state)
{
    check_zones(*state, 10000.0, 0.0);
}

/* The line + region form on the derived 22-part front, 10 km: every point of a 0.01-degree grid
 * inside the buffer zone that is clearly within the distance (50 m from the line and from d)
 * must lie in the zone of the side its nearest point of the line gives (bz_line_distance: the
 * definition's nearest point, not the code that splits the ground). A grid point stands for
 * about 0.7 km^2: a face of the ground put on the wrong side shows as a run of points. (Found
 * so: 15 km^2 outside a 250 m hook of the front, given to the hook's inside.) */
static void test_deepstate_parts_sides(void **state)
{
    data *d = *state;
    bz_context *ctx = d->ctx;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    bz_line *line = NULL;
    assert_int_equal(bz_line_derive(&line, ctx, d->territory, d->region, NULL), BZ_OK);
    assert_true(bz_line_num_parts(line) > 10);
    const double dist = 10000.0;
    bz_zones *z = NULL;
    if (bz_zones_compute(&z, ctx, line, d->region, NULL, dist, dist, NULL) != BZ_OK)
        fail_msg("zones: %s", bz_errmsg(ctx));
    const GEOSGeometry *all = bz_zones_buffer_zone(z);
    const GEOSPreparedGeometry *in_all = GEOSPrepare_r(h, all);
    const GEOSPreparedGeometry *in_a = GEOSPrepare_r(h, bz_zones_zone(z, BZ_SIDE_A));
    assert_non_null(in_all);
    assert_non_null(in_a);
    double x0, x1, y0, y1;
    assert_true(GEOSGeom_getXMin_r(h, all, &x0) && GEOSGeom_getXMax_r(h, all, &x1) &&
                GEOSGeom_getYMin_r(h, all, &y0) && GEOSGeom_getYMax_r(h, all, &y1));
    size_t checked = 0, wrong = 0;
    for (double y = y0; y <= y1; y += 0.01) {
        for (double x = x0; x <= x1; x += 0.01) {
            GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
            char inside = GEOSPreparedContains_r(h, in_all, pt);
            char in_zone_a = inside == 1 ? GEOSPreparedContains_r(h, in_a, pt) : 0;
            GEOSGeom_destroy_r(h, pt);
            if (inside != 1)
                continue;
            bz_nearest nr;
            assert_int_equal(bz_line_distance(&nr, ctx, line, x, y), BZ_OK);
            if (nr.distance_m < 50.0 || nr.distance_m > dist - 50.0 || nr.side == 0)
                continue;
            checked++;
            if ((nr.side > 0) != (in_zone_a == 1)) {
                wrong++;
                if (wrong <= 5)
                    print_message("wrong side at %.4f %.4f (nearest part %zu, %.0f m)\n", x, y,
                                  nr.part, nr.distance_m);
            }
        }
    }
    print_message("%zu grid points checked, %zu on the wrong side\n", checked, wrong);
    assert_true(checked > 20000);
    /* Still open (issue 10): a face near Kherson (46.11N, 32.92E; 4 points, ~3 km^2) and one
     * point near 50.42N, 36.16E stay on the wrong side: the linework leaves their faces open to
     * two sides, and a face takes one side whole. Before the majority rule: 12 points on the
     * bisectors of main 6fa6e1b, 32 with the nearest-point bisector vertices alone. */
    assert_true(wrong <= 8);
    GEOSPreparedGeom_destroy_r(h, in_all);
    GEOSPreparedGeom_destroy_r(h, in_a);
    bz_zones_free(z);
    bz_line_free(line);
}

/* Real borders from another pair of sources: Natural Earth's land border as the line,
 * world-atlas's two countries (TopoJSON: self-touching rings, repaired with make_valid;
 * Russia's rings written from -180 across the antimeridian) as the region, 10 km. Were:
 *  - Russia-Ukraine: the region read a turn west (-332..-180) and, once moved, GEOS's fast
 *    noder failed to converge where the border runs within a hair of the outline;
 *  - Belarus-Russia, Georgia-Russia, Russia-Norway: the united countries keep holes of 1e-16
 *    square degrees along their border, which the area check read as lost ground. */
static void check_border(const char *left, const char *right)
{
    bz_context *ctx = bz_context_new();
    assert_non_null(ctx);
    GEOSContextHandle_t h = bz_context_geos(ctx);
    char path[4200], where[200];
    bz_read_options ro = BZ_READ_OPTIONS_INIT;
    ro.layer = "countries";
    snprintf(where, sizeof where, "name IN ('%s', '%s')", left, right);
    ro.where = where;
    ro.make_valid = 1;
    GEOSGeometry *region = NULL;
    snprintf(path, sizeof path, "%s/boundaries/world_atlas_countries_10m.topojson", shared_dir);
    if (bz_read_polygon(&region, ctx, path, &ro) != BZ_OK)
        fail_msg("%s-%s region: %s", left, right, bz_errmsg(ctx));
    double x0 = 0, x1 = 0;
    assert_true(GEOSGeom_getXMin_r(h, region, &x0) && GEOSGeom_getXMax_r(h, region, &x1));
    assert_true(x0 >= -180.0 && x1 <= 180.0);
    bz_read_options lo = BZ_READ_OPTIONS_INIT;
    snprintf(where, sizeof where,
             "adm0_left = '%s' AND adm0_right = '%s' AND featurecla LIKE 'International%%'", left,
             right);
    lo.where = where;
    bz_line *line = NULL;
    snprintf(path, sizeof path, "%s/boundaries/ne_10m_admin_0_boundary_lines_land.geojson",
             shared_dir);
    if (bz_read_line(&line, ctx, path, &lo) != BZ_OK)
        fail_msg("%s-%s line: %s", left, right, bz_errmsg(ctx));
    const double dist = 10000.0;
    bz_zones *z = NULL;
    if (bz_zones_compute(&z, ctx, line, region, NULL, dist, dist, NULL) != BZ_OK)
        fail_msg("%s-%s zones: %s", left, right, bz_errmsg(ctx));
    double km = bz_zones_contact_length(z) / 1000.0;
    assert_true(km > 100.0);
    truth_line t;
    assert_int_equal(truth_line_init(&t, line), 0);
    for (int s = 0; s < 2; s++) {
        truth_worst w = {&t, dist, 0.0, NAN, NAN, 0};
        truth_walk(h, bz_zones_withdrawal_line(z, (bz_side)s), SAMPLE_STEP_M, truth_visit_worst,
                   &w);
        assert_true((double)w.n * SAMPLE_STEP_M > 500.0 * km);
        if (w.worst > 1.0)
            fail_msg("%s-%s side %c: withdrawal line off by %.3f m at %.7f %.7f", left, right,
                     s ? 'B' : 'A', w.worst, w.worst_lon, w.worst_lat);
        double a = bz_zones_area(z, (bz_side)s);
        assert_true(a > 0.5 * dist * km * 1000.0 && a < 1.5 * dist * km * 1000.0);
    }
    truth_line_free(&t);
    print_message("%s-%s, world-atlas region: line %.1f km, zones %.1f / %.1f km^2\n", left, right,
                  km, bz_zones_area(z, BZ_SIDE_A) / 1e6, bz_zones_area(z, BZ_SIDE_B) / 1e6);
    bz_zones_free(z);
    bz_line_free(line);
    bz_geometry_free(ctx, region);
    bz_context_free(ctx);
}

static void test_world_atlas_borders(void **state)
{
    (void)state;
    check_border("Russia", "Ukraine");
    check_border("Belarus", "Russia");
    check_border("Georgia", "Russia");
    check_border("Russia", "Norway");
}

int main(void)
{
    const char *dir = getenv("BZ_SHARED_DATA");
    if (!dir || !*dir)
        return 77;
    snprintf(shared_dir, sizeof shared_dir, "%s", dir);
    snprintf(territory_path, sizeof territory_path,
             "%s/frontline/deepstate_occupied_2026-08-22.geojson", dir);
    snprintf(region_path, sizeof region_path,
             "%s/boundaries/ukraine_oblasts_minregion_2020.geojson", dir);
    FILE *f = fopen(territory_path, "rb");
    if (!f)
        return 77;
    fclose(f);
    f = fopen(region_path, "rb");
    if (!f)
        return 77;
    fclose(f);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_deepstate_5km, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deepstate_10km, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deepstate_asymmetric, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deepstate_parts_sides, setup, teardown),
        cmocka_unit_test(test_world_atlas_borders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

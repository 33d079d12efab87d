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

/* The distance from (lon, lat) to the geodesic a-b by brute force (geod_position every 20 m, and
 * the nearest sample's neighbourhood every 0.5 m); *t receives the distance along it. */
static double truth_segment_distance(const double *a, const double *b, double lon, double lat,
                                     double *t)
{
    struct geod_geodesicline gl;
    geod_inverseline(&gl, &g84, a[1], a[0], b[1], b[0], 0);
    double best = INFINITY, at = 0;
    for (int pass = 0; pass < 2; pass++) {
        double lo = pass ? fmax(0.0, at - 20.0) : 0.0, hi = pass ? fmin(gl.s13, at + 20.0) : gl.s13;
        double step = pass ? 0.5 : 20.0;
        for (double s = lo;; s += step) {
            double plat, plon, d;
            s = fmin(s, hi);
            geod_position(&gl, s, &plat, &plon, NULL);
            geod_inverse(&g84, lat, lon, plat, plon, &d, NULL, NULL);
            if (d < best) {
                best = d;
                at = s;
            }
            if (s >= hi)
                break;
        }
    }
    *t = at;
    return best;
}

/*
 * An end that curls back: the line runs east along the equator from V0 (0, 0) to V1 (1, 0),
 * north to V2 (1, 0.5) and west to V3 (0.5, 0.5), so its end points back over its start. On the
 * end's continuation (west along 0.5 N) the end is the nearest point only to about 0 E, where the
 * equator segment is as near (0.5 degrees both ways); beyond, ground nearer V0 than V3 (west of
 * the bisector x + y = 0.5 of the two, in degrees) takes V0's side: the line leaves V0 eastwards,
 * so ground north of it is left, side A, although it lies north of the straight continuation of
 * the end (right of a westward line: B). By hand: (-0.2, 0.6) and (-0.3, 0.75) are nearer V0
 * (70 and 90 km) than V3 (78 and 92 km) and lie north of V0: A; (0.3, 0.55) and (-0.1, 0.75) are
 * nearer V3 (23 and 72 km), north of its westward continuation: B. (Before the divide was traced
 * the first two were in B: oracle seed 4 cases 353, 1721, 1870 are this class.) The nearest
 * point is checked by brute force along the three geodesics, in the line-alone form and with a
 * region.
 */
static void test_curled_end(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    const double v[4][2] = {{0, 0}, {1, 0}, {1, 0.5}, {0.5, 0.5}};
    const struct {
        double lon, lat;
        int vertex; /* the nearest point of the line, by hand */
        int side;   /* BZ_SIDE_A or BZ_SIDE_B */
    } probe[] = {{-0.2, 0.6, 0, BZ_SIDE_A},
                 {-0.3, 0.75, 0, BZ_SIDE_A},
                 {0.3, 0.55, 3, BZ_SIDE_B},
                 {-0.1, 0.75, 3, BZ_SIDE_B}};
    const double d = 100000.0;
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_wkt(&line, ctx, "LINESTRING(0 0, 1 0, 1 0.5, 0.5 0.5)"), BZ_OK);
    for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
        double best = INFINITY, at = 0;
        int seg = -1;
        for (int k = 0; k < 3; k++) {
            double t = 0,
                   dk = truth_segment_distance(v[k], v[k + 1], probe[i].lon, probe[i].lat, &t);
            if (dk < best) {
                best = dk;
                seg = k;
                at = t;
            }
        }
        double len = 0;
        geod_inverse(&g84, v[seg][1], v[seg][0], v[seg + 1][1], v[seg + 1][0], &len, NULL, NULL);
        /* the nearest point is the vertex named, and the probe well within d */
        if (probe[i].vertex == 0)
            assert_true(seg == 0 && at == 0.0);
        else
            assert_true(seg == 2 && at >= len - 0.5);
        assert_true(best < d - 5000.0);
    }
    GEOSGeometry *region = support_wkt(ctx, "POLYGON((-3 -3, 4 -3, 4 4, -3 4, -3 -3))");
    for (int form = 0; form < 2; form++) {
        bz_zones *z = NULL;
        assert_int_equal(bz_zones_compute(&z, ctx, line, form ? region : NULL, NULL, d, d, NULL),
                         BZ_OK);
        for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
            int other = probe[i].side == BZ_SIDE_A ? BZ_SIDE_B : BZ_SIDE_A;
            if (!support_covers_point(ctx, bz_zones_zone(z, probe[i].side), probe[i].lon,
                                      probe[i].lat) ||
                support_covers_point(ctx, bz_zones_zone(z, other), probe[i].lon, probe[i].lat))
                fail_msg("%s form: (%g, %g) is not in side %c's zone alone",
                         form ? "region" : "line-alone", probe[i].lon, probe[i].lat,
                         probe[i].side == BZ_SIDE_A ? 'A' : 'B');
        }
        bz_zones_free(z);
    }
    GEOSGeom_destroy_r(h, region);
    bz_line_free(line);
}

/*
 * An end outside the region that points back into it: the line runs north-east from V0 (0, 0)
 * to V1 (1, 1), leaves the region (lon < 0.95) on the way, and turns to end at V2, 550 m along
 * azimuth -37 degrees, 5.2 km outside the region. Ground whose nearest point is V2 lies back in
 * the region, north-west of V2: left of V2's direction it is A, right of it B. Before, an end
 * outside the region was not continued, and all the region north of the line was A (oracle seed 5
 * case 1149: 2,259 km² on the wrong side at 100 km). Probes, their nearest point checked by
 * brute force: 40 km from V2 at azimuth -20 (nearest V2, right of -37: B, beyond B's 5 km, so
 * in no zone) and at -70 (nearest the first segment, north-west of it: A).
 */
static void test_end_outside_region(void **state)
{
    bz_context *ctx = *state;
    double v[3][2] = {{0, 0}, {1, 1}, {0, 0}};
    geod_direct(&g84, v[1][1], v[1][0], -37.0, 550.0, &v[2][1], &v[2][0], NULL);
    double line_xy[6] = {v[0][0], v[0][1], v[1][0], v[1][1], v[2][0], v[2][1]};
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_lonlat(&line, ctx, line_xy, 3), BZ_OK);
    GEOSGeometry *region = support_wkt(ctx, "POLYGON((-3 -3, 0.95 -3, 0.95 4, -3 4, -3 -3))");
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, line, region, NULL, 100000.0, 5000.0, NULL), BZ_OK);
    const struct {
        double azi;
        int seg;  /* the nearest point's segment, and whether it is the segment's end */
        int side; /* the definition's side */
    } probe[] = {{-20.0, 1, BZ_SIDE_B}, {-70.0, 0, BZ_SIDE_A}};
    for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
        double lat, lon;
        geod_direct(&g84, v[2][1], v[2][0], probe[i].azi, 40000.0, &lat, &lon, NULL);
        assert_true(lon < 0.95); /* in the region */
        double best = INFINITY, at = 0, len = 0;
        int seg = -1;
        for (int k = 0; k < 2; k++) {
            double t = 0, dk = truth_segment_distance(v[k], v[k + 1], lon, lat, &t);
            if (dk < best) {
                best = dk;
                seg = k;
                at = t;
            }
        }
        geod_inverse(&g84, v[seg][1], v[seg][0], v[seg + 1][1], v[seg + 1][0], &len, NULL, NULL);
        assert_int_equal(seg, probe[i].seg);
        if (seg == 1)
            assert_true(at >= len - 0.5); /* V2 itself */
        int in_a = support_covers_point(ctx, bz_zones_zone(z, BZ_SIDE_A), lon, lat);
        int ground_b = support_covers_point(ctx, bz_zones_side_ground(z, BZ_SIDE_B), lon, lat);
        if (in_a != (probe[i].side == BZ_SIDE_A) || ground_b != (probe[i].side == BZ_SIDE_B))
            fail_msg("(%.4f, %.4f), %.0f m from the line, nearest segment %d: zone A %d, ground B "
                     "%d, expected side %c",
                     lon, lat, best, seg, in_a, ground_b, probe[i].side == BZ_SIDE_A ? 'A' : 'B');
    }
    bz_zones_free(z);
    bz_geometry_free(ctx, region);
    bz_line_free(line);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_line_and_region, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_territory_and_region, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_line_alone, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_curled_end, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_end_outside_region, setup, support_context_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

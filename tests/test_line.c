/* test_line.c — the contact line: construction, every validation error (status and message),
 * duplicate removal, merging, antimeridian unwrapping, reversal, length. */
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

/* cmocka.h needs <setjmp.h>, <stdarg.h>, <stddef.h> and <stdint.h> first. */
#include <cmocka.h>

#include "support.h"

#define PI 3.14159265358979323846

/* The call fails with `status` and the message contains every given fragment. */
#define assert_fails(call, ctx, status, ...)                                                       \
    do {                                                                                           \
        assert_int_equal((call), (status));                                                        \
        const char *frags_[] = {__VA_ARGS__};                                                      \
        for (size_t i_ = 0; i_ < sizeof frags_ / sizeof frags_[0]; i_++)                           \
            if (!strstr(bz_errmsg(ctx), frags_[i_]))                                               \
                fail_msg("message \"%s\" lacks \"%s\"", bz_errmsg(ctx), frags_[i_]);               \
    } while (0)

static double geodesic_sum(const double *xy, size_t n)
{
    struct geod_geodesic g;
    geod_init(&g, WGS84_A, WGS84_F);
    double sum = 0, s = 0;
    for (size_t i = 1; i < n; i++) {
        geod_inverse(&g, xy[2 * i - 1], xy[2 * i - 2], xy[2 * i + 1], xy[2 * i], &s, NULL, NULL);
        sum += s;
    }
    return sum;
}

static void test_simple_line(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    const double xy[] = {36.0, 48.0, 36.5, 48.2, 37.0, 48.1, 37.5, 48.6};
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, 4), BZ_OK);
    assert_non_null(line);
    assert_int_equal(bz_line_num_parts(line), 1);
    assert_int_equal(bz_line_num_points(line), 4);
    size_t n = 0;
    const double *c = bz_line_part_coords(line, 0, &n);
    assert_int_equal(n, 4);
    assert_memory_equal(c, xy, sizeof xy);
    assert_null(bz_line_part_coords(line, 1, &n));
    double len = 0;
    assert_int_equal(bz_line_length(&len, ctx, line), BZ_OK);
    assert_near(len, geodesic_sum(xy, 4), 1e-6);

    const GEOSGeometry *g = bz_line_geometry(line);
    GEOSContextHandle_t h = bz_context_geos(ctx);
    assert_int_equal(GEOSGeomTypeId_r(h, g), GEOS_MULTILINESTRING);
    assert_int_equal(GEOSGetNumGeometries_r(h, g), 1);
    assert_int_equal(GEOSGeomGetNumPoints_r(h, GEOSGetGeometryN_r(h, g, 0)), 4);
    double glen = 0;
    assert_int_equal(bz_geodesic_length(&glen, ctx, g), BZ_OK);
    assert_near(glen, len, 1e-6);
    bz_line_free(line);
    bz_line_free(NULL);
    bz_context_free(ctx);
}

static void test_validation_errors(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    bz_line *line = NULL;
    const double ok[] = {0, 0, 1, 1};
    assert_fails(bz_line_from_lonlat(&line, ctx, ok, 0), ctx, BZ_ERR_GEOMETRY, "empty");
    assert_null(line);
    assert_fails(bz_line_from_parts(&line, ctx, ok, NULL, 0), ctx, BZ_ERR_GEOMETRY, "empty");

    const double one[] = {30, 50, 30, 50, 30, 50};
    assert_fails(bz_line_from_lonlat(&line, ctx, one, 3), ctx, BZ_ERR_GEOMETRY, "part 0",
                 "fewer than two distinct points");

    const double nan_xy[] = {30, 50, 31, 50, NAN, 50.5};
    assert_fails(bz_line_from_lonlat(&line, ctx, nan_xy, 3), ctx, BZ_ERR_GEOMETRY, "vertex 2",
                 "not finite");
    const double inf_xy[] = {30, 50, 31, INFINITY};
    assert_fails(bz_line_from_lonlat(&line, ctx, inf_xy, 2), ctx, BZ_ERR_GEOMETRY, "vertex 1",
                 "not finite");

    const double lon_xy[] = {30, 50, 181, 50.5};
    assert_fails(bz_line_from_lonlat(&line, ctx, lon_xy, 2), ctx, BZ_ERR_GEOMETRY, "vertex 1",
                 "longitude 181", "lat 50.5");
    const double lon2_xy[] = {-180.5, 10, 30, 50};
    assert_fails(bz_line_from_lonlat(&line, ctx, lon2_xy, 2), ctx, BZ_ERR_GEOMETRY, "vertex 0",
                 "longitude -180.5");
    const double lat_xy[] = {30, 50, 31, 50, 32, 90.25};
    assert_fails(bz_line_from_lonlat(&line, ctx, lat_xy, 3), ctx, BZ_ERR_GEOMETRY, "vertex 2",
                 "latitude 90.25", "lon 32");

    /* the index names the part too */
    const double parts_xy[] = {0, 0, 1, 0, 5, 5, 6, -95};
    const size_t sizes[] = {2, 2};
    assert_fails(bz_line_from_parts(&line, ctx, parts_xy, sizes, 2), ctx, BZ_ERR_GEOMETRY,
                 "part 1, vertex 1", "latitude -95");
    const size_t sizes_short[] = {2, 1, 1};
    const double short_xy[] = {0, 0, 1, 0, 5, 5, 6, 6};
    assert_fails(bz_line_from_parts(&line, ctx, short_xy, sizes_short, 3), ctx, BZ_ERR_GEOMETRY,
                 "part 1 has fewer than two distinct points");

    assert_fails(bz_line_from_lonlat(NULL, ctx, ok, 2), ctx, BZ_ERR_ARGUMENT, "NULL");
    assert_fails(bz_line_from_lonlat(&line, ctx, NULL, 2), ctx, BZ_ERR_ARGUMENT, "NULL");
    assert_null(line);
    bz_context_free(ctx);
}

static void test_crossings(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    bz_line *line = NULL;
    /* a bow tie: segment 0 (0,0)-(2,2) and segment 2 (2,0)-(0,2) cross at (1, 1) */
    const double bow[] = {0, 0, 2, 2, 2, 0, 0, 2};
    assert_fails(bz_line_from_lonlat(&line, ctx, bow, 4), ctx, BZ_ERR_GEOMETRY, "crosses itself",
                 "lon 1.0000000, lat 1.0000000", "segments 0 and 2");
    assert_null(line);
    /* going back over itself: (0,0)-(2,0)-(1,0) overlaps along (1,0)-(2,0) */
    const double back[] = {30, 45, 32, 45, 31, 45};
    assert_fails(bz_line_from_lonlat(&line, ctx, back, 3), ctx, BZ_ERR_GEOMETRY, "overlaps");
    /* a lollipop: the end comes back onto vertex 1 */
    const double loop[] = {0, 0, 1, 0, 2, 0, 2, 1, 1, 0};
    assert_fails(bz_line_from_lonlat(&line, ctx, loop, 5), ctx, BZ_ERR_GEOMETRY, "touches",
                 "lon 1.0000000, lat 0.0000000");
    /* two parts crossing at (36.5, 48.5) */
    const double two[] = {36, 48, 37, 49, 36, 49, 37, 48};
    const size_t sizes[] = {2, 2};
    assert_fails(bz_line_from_parts(&line, ctx, two, sizes, 2), ctx, BZ_ERR_GEOMETRY,
                 "lon 36.5000000, lat 48.5000000", "part 0 segment 0 and part 1 segment 0");
    /* a T junction: part 1 ends on the middle of part 0 */
    const double tee[] = {0, 0, 2, 0, 1, 1, 1, 0};
    assert_fails(bz_line_from_parts(&line, ctx, tee, sizes, 2), ctx, BZ_ERR_GEOMETRY, "touches",
                 "lon 1.0000000, lat 0.0000000");
    /* a crossing across the antimeridian: (179.5,-0.5)-(-179.5,0.5) and (179.5,0.5)-(-179.5,-0.5)
     * meet at (180, 0) */
    const double am[] = {179.5, -0.5, -179.5, 0.5, 179.5, 0.5, -179.5, -0.5};
    assert_fails(bz_line_from_parts(&line, ctx, am, sizes, 2), ctx, BZ_ERR_GEOMETRY,
                 "lat 0.0000000");
    assert_null(line);

    /* allowed: a closed ring, and parts meeting only at their ends (a Y junction) */
    const double ring[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
    assert_int_equal(bz_line_from_lonlat(&line, ctx, ring, 5), BZ_OK);
    assert_int_equal(bz_line_num_points(line), 5);
    bz_line_free(line);
    const double y[] = {0, 0, 1, 1, 1, 1, 2, 1, 1, 1, 1, 2};
    const size_t ysizes[] = {2, 2, 2};
    assert_int_equal(bz_line_from_parts(&line, ctx, y, ysizes, 3), BZ_OK);
    assert_int_equal(bz_line_num_parts(line), 3); /* a junction of three is not merged */
    bz_line_free(line);
    bz_context_free(ctx);
}

static void test_duplicates_removed(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    const double xy[] = {30, 50, 30, 50, 31, 50.5, 31, 50.5, 31, 50.5, 32, 50};
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, 6), BZ_OK);
    size_t n = 0;
    const double *c = bz_line_part_coords(line, 0, &n);
    assert_int_equal(n, 3);
    const double expect[] = {30, 50, 31, 50.5, 32, 50};
    assert_memory_equal(c, expect, sizeof expect);
    bz_line_free(line);
    bz_context_free(ctx);
}

static void test_merging(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    bz_line *line = NULL;
    /* given out of order: part 0 continues part 1 (1's end is 0's start) */
    const double xy[] = {1, 0, 2, 0.5, 3, 0, 0, 0, 0.5, 0.2, 1, 0};
    const size_t sizes[] = {3, 3};
    assert_int_equal(bz_line_from_parts(&line, ctx, xy, sizes, 2), BZ_OK);
    assert_int_equal(bz_line_num_parts(line), 1);
    size_t n = 0;
    const double *c = bz_line_part_coords(line, 0, &n);
    assert_int_equal(n, 5);
    const double expect[] = {0, 0, 0.5, 0.2, 1, 0, 2, 0.5, 3, 0};
    assert_memory_equal(c, expect, sizeof expect);
    bz_line_free(line);

    /* ends meeting end to end are not a continuation: both directions are kept */
    const double rev[] = {0, 0, 1, 0, 2, 0.5, 1, 0};
    const size_t rsizes[] = {2, 2};
    assert_int_equal(bz_line_from_parts(&line, ctx, rev, rsizes, 2), BZ_OK);
    assert_int_equal(bz_line_num_parts(line), 2);
    c = bz_line_part_coords(line, 1, &n);
    assert_int_equal(n, 2);
    assert_memory_equal(c, rev + 4, 4 * sizeof(double));
    bz_line_free(line);

    /* disjoint parts stay separate parts of one front */
    const double dis[] = {0, 0, 1, 0, 5, 5, 6, 5};
    assert_int_equal(bz_line_from_parts(&line, ctx, dis, rsizes, 2), BZ_OK);
    assert_int_equal(bz_line_num_parts(line), 2);
    assert_int_equal(bz_line_num_points(line), 4);
    bz_line_free(line);

    /* two parts closing a loop become one closed part */
    const double cyc[] = {0, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 0};
    assert_int_equal(bz_line_from_parts(&line, ctx, cyc, sizes, 2), BZ_OK);
    assert_int_equal(bz_line_num_parts(line), 1);
    c = bz_line_part_coords(line, 0, &n);
    assert_int_equal(n, 5);
    assert_true(c[0] == c[8] && c[1] == c[9]);
    bz_line_free(line);

    /* the same through WKT: a MULTILINESTRING whose pieces continue each other */
    assert_int_equal(
        bz_line_from_wkt(&line, ctx, "MULTILINESTRING ((1 0, 2 0.5), (0 0, 0.5 0.2, 1 0))"), BZ_OK);
    assert_int_equal(bz_line_num_parts(line), 1);
    assert_int_equal(bz_line_num_points(line), 4);
    bz_line_free(line);
    bz_context_free(ctx);
}

static void test_antimeridian(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    bz_line *line = NULL;
    const double xy[] = {179.9, 0, -179.9, 0};
    assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, 2), BZ_OK);
    double len = 0;
    assert_int_equal(bz_line_length(&len, ctx, line), BZ_OK);
    /* 0.2° of the equator is a·0.2·π/180 = 22,263.9 m */
    assert_near(len, WGS84_A * 0.2 * PI / 180, 1e-6);
    size_t n = 0;
    const double *c = bz_line_part_coords(line, 0, &n);
    assert_near(c[2], 180.1, 1e-12); /* stored continuous */
    bz_line_free(line);

    /* two parts on either side of the antimeridian are unwrapped next to each other, and a
     * continuation across it (the first part ends at -179.5 == 180.5) is merged */
    const double parts[] = {179.0, 10, -179.5, 10.2, -179.5, 10.2, -179.0, 10.5};
    const size_t sizes[] = {2, 2};
    assert_int_equal(bz_line_from_parts(&line, ctx, parts, sizes, 2), BZ_OK);
    assert_int_equal(bz_line_num_parts(line), 1);
    c = bz_line_part_coords(line, 0, &n);
    assert_int_equal(n, 3);
    assert_near(c[4], 181.0, 1e-12);
    bz_line_free(line);
    bz_context_free(ctx);
}

static void test_wkt_and_geos(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_wkt(&line, ctx, "LINESTRING (36 48, 37 48.5, 38 48)"), BZ_OK);
    assert_int_equal(bz_line_num_points(line), 3);
    bz_line_free(line);
    line = NULL;
    assert_fails(bz_line_from_wkt(&line, ctx, "POINT (1 2)"), ctx, BZ_ERR_TYPE, "Point");
    assert_fails(bz_line_from_wkt(&line, ctx, "POLYGON ((0 0, 1 0, 1 1, 0 0))"), ctx, BZ_ERR_TYPE,
                 "Polygon");
    assert_fails(bz_line_from_wkt(&line, ctx, "LINESTRING (0 0, 1"), ctx, BZ_ERR_FORMAT, "WKT");
    assert_fails(bz_line_from_wkt(&line, ctx, "LINESTRING EMPTY"), ctx, BZ_ERR_GEOMETRY, "empty");
    assert_fails(bz_line_from_wkt(&line, ctx, "LINESTRING (0 0, 200 0)"), ctx, BZ_ERR_GEOMETRY,
                 "longitude 200");
    assert_null(line);

    GEOSGeometry *g = NULL;
    assert_int_equal(bz_geometry_from_wkt(&g, ctx,
                                          "GEOMETRYCOLLECTION (LINESTRING (0 0, 1 1), "
                                          "POINT (5 5))"),
                     BZ_OK);
    assert_fails(bz_line_from_geos(&line, ctx, g), ctx, BZ_ERR_TYPE, "member 1", "Point");
    bz_geometry_free(ctx, g);
    assert_int_equal(bz_geometry_from_wkt(&g, ctx,
                                          "GEOMETRYCOLLECTION (LINESTRING Z (0 0 5, 1 1 5), "
                                          "MULTILINESTRING ((3 3, 4 4)))"),
                     BZ_OK);
    assert_int_equal(bz_line_from_geos(&line, ctx, g), BZ_OK);
    assert_int_equal(bz_line_num_parts(line), 2);
    size_t n = 0;
    const double *c = bz_line_part_coords(line, 1, &n);
    assert_int_equal(n, 2);
    assert_true(c[0] == 3 && c[1] == 3 && c[2] == 4 && c[3] == 4);
    bz_geometry_free(ctx, g); /* the line keeps its own copy */
    assert_int_equal(bz_line_num_points(line), 4);
    bz_line_free(line);
    bz_context_free(ctx);
}

static void test_reverse(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    const double xy[] = {0, 0, 1, 0.1, 2, 0, 5, 5, 6, 5.5};
    const size_t sizes[] = {3, 2};
    bz_line *line = NULL, *rev = NULL;
    assert_int_equal(bz_line_from_parts(&line, ctx, xy, sizes, 2), BZ_OK);
    assert_int_equal(bz_line_reverse(&rev, ctx, line), BZ_OK);
    assert_int_equal(bz_line_num_parts(rev), 2);
    size_t n = 0;
    const double *c = bz_line_part_coords(rev, 0, &n);
    assert_int_equal(n, 3);
    const double e0[] = {2, 0, 1, 0.1, 0, 0};
    assert_memory_equal(c, e0, sizeof e0);
    c = bz_line_part_coords(rev, 1, &n);
    const double e1[] = {6, 5.5, 5, 5};
    assert_memory_equal(c, e1, sizeof e1);
    double l1 = 0, l2 = 0;
    assert_int_equal(bz_line_length(&l1, ctx, line), BZ_OK);
    assert_int_equal(bz_line_length(&l2, ctx, rev), BZ_OK);
    assert_near(l1, l2, 1e-6);
    assert_int_equal(bz_line_reverse(&rev, ctx, NULL), BZ_ERR_ARGUMENT);
    bz_line_free(rev);
    bz_line_free(line);
    bz_context_free(ctx);
}

/* A meander of n vertices from lon 22 to 38 about lat 48 that never crosses itself, with room
 * for `extra` more points after it. The caller frees it. */
static double *meander(size_t n, size_t extra)
{
    double *xy = malloc(2 * (n + extra) * sizeof *xy);
    assert_non_null(xy);
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / (double)(n - 1);
        xy[2 * i] = 22.0 + 16.0 * t;
        xy[2 * i + 1] = 48.0 + 0.3 * sin(200.0 * t) + 0.05 * sin(3000.0 * t);
    }
    return xy;
}

/* A 100,000-vertex meander (no crossing) builds; one extra vertex that crosses back is found. */
static void test_long_line(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    size_t n = 100000;
    double *xy = meander(n, 2);
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, n), BZ_OK);
    assert_int_equal(bz_line_num_points(line), n);
    bz_line_free(line);
    /* two more points go back south of the line and cross it northwards at lon 30 */
    xy[2 * n] = 30.0;
    xy[2 * n + 1] = 47.0;
    xy[2 * n + 2] = 30.0;
    xy[2 * n + 3] = 49.0;
    assert_fails(bz_line_from_lonlat(&line, ctx, xy, n + 2), ctx, BZ_ERR_GEOMETRY, "crosses itself",
                 "lon 30.0000000");
    assert_null(line);
    free(xy);
    bz_context_free(ctx);
}

/* A long line's crossings are looked for on several threads: the one reported is still the
 * first in the line's order, in the same words, whatever the number of threads. The tail
 * appended to a 100,000-vertex meander crosses it at lon 34 (in the second half of the
 * segments) and then at lon 26 (in the first): lon 26 is the first in order. */
static void test_long_line_threads(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    size_t n = 100000;
    double *xy = meander(n, 4);
    const double tail[] = {34.0, 47.0, 34.0, 49.5, 26.0, 49.5, 26.0, 47.0};
    memcpy(xy + 2 * n, tail, sizeof tail);
    char first[1024] = "";
    for (int threads = 1; threads <= 8; threads *= 2) {
        assert_int_equal(bz_context_set_threads(ctx, threads), BZ_OK);
        bz_line *line = NULL;
        assert_fails(bz_line_from_lonlat(&line, ctx, xy, n + 4), ctx, BZ_ERR_GEOMETRY,
                     "crosses itself", "lon 26.0000000");
        assert_null(line);
        if (threads == 1)
            snprintf(first, sizeof first, "%s", bz_errmsg(ctx));
        else
            assert_string_equal(bz_errmsg(ctx), first);
    }
    free(xy);
    bz_context_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_line),  cmocka_unit_test(test_validation_errors),
        cmocka_unit_test(test_crossings),    cmocka_unit_test(test_duplicates_removed),
        cmocka_unit_test(test_merging),      cmocka_unit_test(test_antimeridian),
        cmocka_unit_test(test_wkt_and_geos), cmocka_unit_test(test_reverse),
        cmocka_unit_test(test_long_line),    cmocka_unit_test(test_long_line_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

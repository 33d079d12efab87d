/* test_geometry.c — WKT and WKB in and out: round trips, rounding, ISO WKB bytes decoded by hand,
 * errors. */
#include <bufferzone.h>

#include <geos_c.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* cmocka.h needs <setjmp.h>, <stdarg.h>, <stddef.h> and <stdint.h> first. */
#include <cmocka.h>

/* A little-endian IEEE double from 8 bytes, assembled by hand (independent of the host). */
static double le_double(const unsigned char *p)
{
    uint64_t bits = 0;
    for (int i = 7; i >= 0; i--)
        bits = (bits << 8) | p[i];
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static uint32_t le_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_wkt_round_trip(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    const char *cases[] = {
        "POINT (30 10)",
        "LINESTRING (36.1234567 48.7654321, 37 49, -179.9 0)",
        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))",
        "MULTILINESTRING ((1 2, 3 4), (5 6, 7 8))",
        "GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1))",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        GEOSGeometry *g = NULL;
        assert_int_equal(bz_geometry_from_wkt(&g, ctx, cases[i]), BZ_OK);
        char *wkt = NULL;
        assert_int_equal(bz_geometry_to_wkt(&wkt, ctx, g, 7), BZ_OK);
        assert_string_equal(wkt, cases[i]);
        GEOSGeometry *back = NULL;
        assert_int_equal(bz_geometry_from_wkt(&back, ctx, wkt), BZ_OK);
        assert_int_equal(GEOSEqualsExact_r(bz_context_geos(ctx), g, back, 0.0), 1);
        bz_free(wkt);
        bz_geometry_free(ctx, back);
        bz_geometry_free(ctx, g);
    }
    bz_context_free(ctx);
}

static void test_wkt_rounding(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    GEOSGeometry *g = NULL;
    assert_int_equal(bz_geometry_from_wkt(&g, ctx, "POINT (36.123456789 48.987654321)"), BZ_OK);
    char *wkt = NULL;
    assert_int_equal(bz_geometry_to_wkt(&wkt, ctx, g, 3), BZ_OK);
    assert_string_equal(wkt, "POINT (36.123 48.988)");
    bz_free(wkt);
    assert_int_equal(bz_geometry_to_wkt(&wkt, ctx, g, 0), BZ_OK);
    assert_string_equal(wkt, "POINT (36 49)");
    bz_free(wkt);
    wkt = NULL;
    assert_int_equal(bz_geometry_to_wkt(&wkt, ctx, g, 18), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(ctx), "18"));
    assert_int_equal(bz_geometry_to_wkt(&wkt, ctx, g, -1), BZ_ERR_ARGUMENT);
    assert_null(wkt);
    /* a Z coordinate is dropped: the output is 2-D */
    bz_geometry_free(ctx, g);
    assert_int_equal(bz_geometry_from_wkt(&g, ctx, "POINT Z (1 2 3)"), BZ_OK);
    assert_int_equal(bz_geometry_to_wkt(&wkt, ctx, g, 7), BZ_OK);
    assert_string_equal(wkt, "POINT (1 2)");
    bz_free(wkt);
    bz_geometry_free(ctx, g);
    bz_context_free(ctx);
}

static void test_wkt_errors(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    GEOSGeometry *g = NULL;
    assert_int_equal(bz_geometry_from_wkt(&g, ctx, "LINESTRING (0 0, 1"), BZ_ERR_FORMAT);
    assert_null(g);
    assert_non_null(strstr(bz_errmsg(ctx), "WKT"));
    assert_int_equal(bz_geometry_from_wkt(&g, ctx, "CIRCLE (0 0, 1)"), BZ_ERR_FORMAT);
    assert_null(g);
    assert_int_equal(bz_geometry_from_wkt(&g, ctx, NULL), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_geometry_from_wkt(NULL, ctx, "POINT (1 2)"), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_geometry_from_wkt(&g, NULL, "POINT (1 2)"), BZ_ERR_ARGUMENT);
    char *wkt = NULL;
    assert_int_equal(bz_geometry_to_wkt(&wkt, ctx, NULL, 7), BZ_ERR_ARGUMENT);
    bz_context_free(ctx);
}

/* POINT (1.5 -2.25) as ISO WKB: 1 byte order (1 = little endian), uint32 type 1, two doubles. */
static void test_wkb_point_by_hand(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    GEOSGeometry *g = NULL;
    assert_int_equal(bz_geometry_from_wkt(&g, ctx, "POINT Z (1.5 -2.25 7)"), BZ_OK);
    unsigned char *wkb = NULL;
    size_t n = 0;
    assert_int_equal(bz_geometry_to_wkb(&wkb, &n, ctx, g), BZ_OK);
    assert_int_equal(n, 21); /* 2-D even though the input had Z */
    assert_int_equal(wkb[0], 1);
    assert_int_equal(le_u32(wkb + 1), 1);
    assert_true(le_double(wkb + 5) == 1.5);
    assert_true(le_double(wkb + 13) == -2.25);
    /* 1.5 is 0x3FF8000000000000: the last byte of the x field is 0x3F, the one before 0xF8 */
    assert_int_equal(wkb[12], 0x3F);
    assert_int_equal(wkb[11], 0xF8);
    bz_free(wkb);
    bz_geometry_free(ctx, g);
    bz_context_free(ctx);
}

/* LINESTRING: byte order, type 2, uint32 point count, then x y pairs. */
static void test_wkb_linestring_by_hand(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    GEOSGeometry *g = NULL;
    assert_int_equal(bz_geometry_from_wkt(&g, ctx, "LINESTRING (36 48, 37.5 49.25, -179.9 0)"),
                     BZ_OK);
    unsigned char *wkb = NULL;
    size_t n = 0;
    assert_int_equal(bz_geometry_to_wkb(&wkb, &n, ctx, g), BZ_OK);
    assert_int_equal(n, 1 + 4 + 4 + 3 * 16);
    assert_int_equal(wkb[0], 1);
    assert_int_equal(le_u32(wkb + 1), 2);
    assert_int_equal(le_u32(wkb + 5), 3);
    const double expect[] = {36, 48, 37.5, 49.25, -179.9, 0};
    for (int i = 0; i < 6; i++)
        assert_true(le_double(wkb + 9 + 8 * i) == expect[i]);
    /* and GEOS reads the bytes back to the same geometry */
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *back = GEOSGeomFromWKB_buf_r(h, wkb, n);
    assert_non_null(back);
    assert_int_equal(GEOSEqualsExact_r(h, g, back, 0.0), 1);
    GEOSGeom_destroy_r(h, back);
    bz_free(wkb);
    assert_int_equal(bz_geometry_to_wkb(NULL, &n, ctx, g), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_geometry_to_wkb(&wkb, NULL, ctx, g), BZ_ERR_ARGUMENT);
    bz_geometry_free(ctx, g);
    bz_context_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wkt_round_trip),
        cmocka_unit_test(test_wkt_rounding),
        cmocka_unit_test(test_wkt_errors),
        cmocka_unit_test(test_wkb_point_by_hand),
        cmocka_unit_test(test_wkb_linestring_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

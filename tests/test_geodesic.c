/* test_geodesic.c — geodesic inverse/direct, lengths and areas against independent truth:
 * geod_inverse/geod_direct called directly, and the closed-form area of a lat/lon cell on the
 * ellipsoid (area between two parallels and two meridians, from the authalic formula). */
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

/* cmocka.h needs <setjmp.h>, <stdarg.h>, <stddef.h> and <stdint.h> first. */
#include <cmocka.h>

#include "support.h"

#define PI 3.14159265358979323846
#define DEG (PI / 180.0)

/*
 * Closed-form area on the ellipsoid between latitudes lat1 < lat2 and across dlon degrees of
 * longitude: A = dλ · b²/2 · [q(φ2) − q(φ1)], q(φ) = sinφ/(1 − e²sin²φ) + atanh(e·sinφ)/e.
 */
static double cell_area(double lat1, double lat2, double dlon)
{
    double f = WGS84_F, a = WGS84_A;
    double b = a * (1 - f), e2 = f * (2 - f), e = sqrt(e2);
    double q[2];
    const double lats[2] = {lat1, lat2};
    for (int i = 0; i < 2; i++) {
        double s = sin(lats[i] * DEG);
        q[i] = s / (1 - e2 * s * s) + atanh(e * s) / e;
    }
    return dlon * DEG * b * b / 2 * (q[1] - q[0]);
}

/* A closed ring around the cell [lon0, lon0+dlon] x [lat0, lat1] whose parallels are densified
 * (n points per parallel) so that geodesic edges follow the parallels to < 1 m² in area.
 * ccw selects the orientation; the caller frees the array. *npoints receives the count. */
static double *cell_ring(double lon0, double dlon, double lat0, double lat1, int n, int ccw,
                         size_t *npoints)
{
    size_t m = (size_t)(2 * n + 1);
    double *xy = malloc(2 * m * sizeof *xy);
    size_t k = 0;
    for (int i = 0; i < n; i++) { /* south edge, west to east */
        xy[2 * k] = lon0 + dlon * i / (n - 1);
        xy[2 * k++ + 1] = lat0;
    }
    for (int i = 0; i < n; i++) { /* north edge, east to west */
        xy[2 * k] = lon0 + dlon - dlon * i / (n - 1);
        xy[2 * k++ + 1] = lat1;
    }
    xy[2 * k] = xy[0];
    xy[2 * k++ + 1] = xy[1];
    if (!ccw) {
        for (size_t i = 0; i < k / 2; i++) {
            double tx = xy[2 * i], ty = xy[2 * i + 1];
            xy[2 * i] = xy[2 * (k - 1 - i)];
            xy[2 * i + 1] = xy[2 * (k - 1 - i) + 1];
            xy[2 * (k - 1 - i)] = tx;
            xy[2 * (k - 1 - i) + 1] = ty;
        }
    }
    *npoints = k;
    return xy;
}

static GEOSGeometry *ring_geom(GEOSContextHandle_t h, const double *xy, size_t n)
{
    GEOSCoordSequence *s = GEOSCoordSeq_copyFromBuffer_r(h, xy, (unsigned)n, 0, 0);
    return GEOSGeom_createLinearRing_r(h, s);
}

static GEOSGeometry *cell_polygon(GEOSContextHandle_t h, double lon0, double dlon, double lat0,
                                  double lat1, int ccw)
{
    size_t n = 0;
    double *xy = cell_ring(lon0, dlon, lat0, lat1, 2000, ccw, &n);
    GEOSGeometry *shell = ring_geom(h, xy, n);
    free(xy);
    return GEOSGeom_createPolygon_r(h, shell, NULL, 0);
}

static void test_inverse_matches_geod_inverse(void **state)
{
    (void)state;
    struct geod_geodesic g = support_wgs84();
    bz_context *ctx = bz_context_new();
    const double pts[][4] = {{36.0, 48.0, 37.0, 49.0},
                             {-73.78, 40.64, 103.99, 1.36},
                             {179.9, 0.0, -179.9, 0.0},
                             {0.0, 0.0, 0.0, 89.9}};
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
        double s = 0, a1 = 0, a2 = 0, es = 0, ea1 = 0, ea2 = 0;
        assert_int_equal(
            bz_geodesic_inverse(&s, &a1, &a2, ctx, pts[i][0], pts[i][1], pts[i][2], pts[i][3]),
            BZ_OK);
        geod_inverse(&g, pts[i][1], pts[i][0], pts[i][3], pts[i][2], &es, &ea1, &ea2);
        assert_near(s, es, 1e-9);
        assert_near(a1, ea1, 1e-12);
        assert_near(a2, ea2, 1e-12);
    }
    /* 0.2° of the equator: a·0.2·π/180 = 22,263.898 m */
    double s = 0;
    assert_int_equal(bz_geodesic_inverse(&s, NULL, NULL, ctx, 179.9, 0, -179.9, 0), BZ_OK);
    assert_near(s, WGS84_A * 0.2 * DEG, 1e-6);
    assert_int_equal(bz_geodesic_inverse(&s, NULL, NULL, ctx, NAN, 0, 1, 1), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_geodesic_inverse(&s, NULL, NULL, ctx, 0, 91, 1, 1), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(ctx), "91"));
    assert_int_equal(bz_geodesic_inverse(NULL, NULL, NULL, ctx, 0, 0, 1, 1), BZ_ERR_ARGUMENT);
    bz_context_free(ctx);
}

static void test_direct_round_trip(void **state)
{
    (void)state;
    struct geod_geodesic g = support_wgs84();
    bz_context *ctx = bz_context_new();
    double lon2 = 0, lat2 = 0;
    assert_int_equal(bz_geodesic_direct(&lon2, &lat2, ctx, 36.5, 48.5, 73.0, 12345.678), BZ_OK);
    double s = 0, azi = 0;
    geod_inverse(&g, 48.5, 36.5, lat2, lon2, &s, &azi, NULL);
    assert_near(s, 12345.678, 1e-6);
    assert_near(azi, 73.0, 1e-9);
    /* one quarter of the equator from (0, 0) eastwards lands on (90, 0) */
    assert_int_equal(bz_geodesic_direct(&lon2, &lat2, ctx, 0, 0, 90, WGS84_A * PI / 2), BZ_OK);
    assert_near(lon2, 90.0, 1e-9);
    assert_near(lat2, 0.0, 1e-9);
    assert_int_equal(bz_geodesic_direct(&lon2, &lat2, ctx, 0, 0, INFINITY, 1), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_geodesic_direct(NULL, &lat2, ctx, 0, 0, 0, 1), BZ_ERR_ARGUMENT);
    bz_context_free(ctx);
}

static void test_cell_area_closed_form(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    GEOSContextHandle_t h = bz_context_geos(ctx);
    double expect = cell_area(48, 49, 1);
    /* sanity of the formula itself: about 8,2xx km² for this cell */
    assert_true(expect > 8.1e9 && expect < 8.3e9);
    for (int ccw = 0; ccw < 2; ccw++) {
        GEOSGeometry *poly = cell_polygon(h, 36, 1, 48, 49, ccw);
        double area = 0;
        assert_int_equal(bz_geodesic_area(&area, ctx, poly), BZ_OK);
        assert_near(area, expect, 10.0); /* 10 m² of 8.2e9: 1.2e-9 */
        GEOSGeom_destroy_r(h, poly);
    }
    bz_context_free(ctx);
}

static void test_polygon_with_hole(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    GEOSContextHandle_t h = bz_context_geos(ctx);
    size_t n1 = 0, n2 = 0;
    double *outer = cell_ring(36, 1, 48, 49, 2000, 1, &n1);
    double *inner = cell_ring(36.25, 0.5, 48.25, 48.75, 1000, 1, &n2); /* same orientation */
    GEOSGeometry *hole = ring_geom(h, inner, n2);
    GEOSGeometry *poly = GEOSGeom_createPolygon_r(h, ring_geom(h, outer, n1), &hole, 1);
    free(outer);
    free(inner);
    double area = 0;
    assert_int_equal(bz_geodesic_area(&area, ctx, poly), BZ_OK);
    assert_near(area, cell_area(48, 49, 1) - cell_area(48.25, 48.75, 0.5), 10.0);

    /* A MultiPolygon of that and a second cell, inside a collection with a line: the line adds
     * nothing, the polygons add up. */
    GEOSGeometry *second = cell_polygon(h, 40, 1, 50, 51, 0);
    GEOSGeometry *members[2] = {poly, second};
    GEOSGeometry *mp = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, members, 2);
    double line_xy[4] = {0, 0, 1, 1};
    GEOSGeometry *line =
        GEOSGeom_createLineString_r(h, GEOSCoordSeq_copyFromBuffer_r(h, line_xy, 2, 0, 0));
    GEOSGeometry *gc_members[2] = {mp, line};
    GEOSGeometry *gc = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, gc_members, 2);
    assert_int_equal(bz_geodesic_area(&area, ctx, gc), BZ_OK);
    assert_near(area, cell_area(48, 49, 1) - cell_area(48.25, 48.75, 0.5) + cell_area(50, 51, 1),
                20.0);
    GEOSGeom_destroy_r(h, gc);
    bz_context_free(ctx);
}

/* A cell densified on all four sides (every edge ~50 m, so the short-edge route is taken),
 * counter-clockwise, lon0 + i·step running east; the caller frees the array. */
static double *dense_cell_ring(double lon0, double dlon, double lat0, double dlat, int n,
                               size_t *npoints)
{
    double *xy = malloc(2 * (4 * (size_t)n + 1) * sizeof *xy);
    size_t k = 0;
    for (int side = 0; side < 4; side++) {
        for (int i = 0; i < n; i++) {
            double f = (double)i / n;
            double lon = side == 0   ? lon0 + f * dlon
                         : side == 1 ? lon0 + dlon
                         : side == 2 ? lon0 + dlon - f * dlon
                                     : lon0;
            double lat = side == 0   ? lat0
                         : side == 1 ? lat0 + f * dlat
                         : side == 2 ? lat0 + dlat
                                     : lat0 + dlat - f * dlat;
            xy[2 * k] = lon;
            xy[2 * k++ + 1] = lat;
        }
    }
    xy[2 * k] = xy[0];
    xy[2 * k++ + 1] = xy[1];
    *npoints = k;
    return xy;
}

/* Rings of short edges (the fast route) against the closed form to 1 m² (geodesic edges of
 * ~55 m along a parallel differ from it by ~0.04 m² over the cell): plain, across the antimeridian
 * with longitudes folded (jumps of 360), in the southern hemisphere, and as a hole. */
static void test_short_edge_rings(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    GEOSContextHandle_t h = bz_context_geos(ctx);
    const double cells[][4] = {{36, 1, 48, 1}, {179.5, 1, 60, 1}, {-70, 2, -35, 1.5}};
    for (size_t c = 0; c < 3; c++) {
        size_t n = 0;
        double *xy = dense_cell_ring(cells[c][0], cells[c][1], cells[c][2], cells[c][3], 2000, &n);
        for (size_t i = 0; i < n; i++)
            if (xy[2 * i] > 180)
                xy[2 * i] -= 360;
        GEOSGeometry *poly = GEOSGeom_createPolygon_r(h, ring_geom(h, xy, n), NULL, 0);
        free(xy);
        double area = 0;
        assert_int_equal(bz_geodesic_area(&area, ctx, poly), BZ_OK);
        assert_near(area, cell_area(cells[c][2], cells[c][2] + cells[c][3], cells[c][1]), 1.0);
        GEOSGeom_destroy_r(h, poly);
    }
    size_t n1 = 0, n2 = 0;
    double *outer = dense_cell_ring(36, 1, 48, 1, 2000, &n1);
    double *inner = dense_cell_ring(36.25, 0.5, 48.25, 0.5, 1000, &n2);
    GEOSGeometry *hole = ring_geom(h, inner, n2);
    GEOSGeometry *poly = GEOSGeom_createPolygon_r(h, ring_geom(h, outer, n1), &hole, 1);
    free(outer);
    free(inner);
    double area = 0;
    assert_int_equal(bz_geodesic_area(&area, ctx, poly), BZ_OK);
    assert_near(area, cell_area(48, 49, 1) - cell_area(48.25, 48.75, 0.5), 1.0);
    GEOSGeom_destroy_r(h, poly);
    bz_context_free(ctx);
}

/* Star-shaped rings around a centre whose edges run from a few metres to 300 km (so the fast
 * route cuts the long ones into pieces along their geodesics), at latitudes from 75°S to 75°N and
 * across the antimeridian, against geod_polygon called here directly: within 1e-9 of the area. */
static void test_mixed_edge_rings(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    GEOSContextHandle_t h = bz_context_geos(ctx);
    struct geod_geodesic g = support_wgs84();
    const double centres[][2] = {{37, 48}, {179.9, 61}, {-70, -35}, {10, 74}, {100, -74}};
    for (size_t c = 0; c < sizeof centres / sizeof centres[0]; c++) {
        for (int variant = 0; variant < 3; variant++) {
            size_t n = 0, cap = 4000;
            double *xy = malloc(2 * (cap + 1) * sizeof *xy);
            double az = 0;
            while (az < 360 && n < cap) {
                /* radius wanders between 20 and 320 km; the azimuth step decides edge lengths */
                double r = 170e3 + 150e3 * sin(3 * az * DEG + variant) * cos(az * DEG * 7);
                geod_direct(&g, centres[c][1], centres[c][0], az, r, &xy[2 * n + 1], &xy[2 * n],
                            NULL);
                n++;
                int long_edges = ((int)(az / 30) + variant) % 2;
                az += long_edges ? 25.0 + 10 * variant : 0.001 + 0.05 * (n % 5);
            }
            xy[2 * n] = xy[0];
            xy[2 * n + 1] = xy[1];
            struct geod_polygon p;
            geod_polygon_init(&p, 0);
            for (size_t i = 0; i < n; i++)
                geod_polygon_addpoint(&g, &p, xy[2 * i + 1], xy[2 * i]);
            double truth = 0;
            geod_polygon_compute(&g, &p, 0, 1, &truth, NULL);
            GEOSGeometry *poly = GEOSGeom_createPolygon_r(h, ring_geom(h, xy, n + 1), NULL, 0);
            free(xy);
            double area = 0;
            assert_int_equal(bz_geodesic_area(&area, ctx, poly), BZ_OK);
            assert_near(area, fabs(truth), 1e-9 * fabs(truth));
            GEOSGeom_destroy_r(h, poly);
        }
    }
    bz_context_free(ctx);
}

/* A hole that cannot lie inside its shell makes the polygon invalid: an error, not a number. */
static void test_invalid_hole(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    GEOSGeometry *g = NULL;
    double area = -1;
    assert_int_equal(bz_geometry_from_wkt(&g, ctx,
                                          "POLYGON ((36 48, 37 48, 37 49, 36 49, 36 48), "
                                          "(36.2 48.2, 18.4 48.2, 36.4 48.4, 36.2 48.2))"),
                     BZ_OK);
    assert_int_equal(bz_geodesic_area(&area, ctx, g), BZ_ERR_GEOMETRY);
    assert_non_null(strstr(bz_errmsg(ctx), "polygon 0: hole 0"));
    assert_true(area == -1); /* untouched */
    bz_geometry_free(ctx, g);
    assert_int_equal(bz_geometry_from_wkt(&g, ctx,
                                          "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((36 48, 37 48, "
                                          "37 49, 36 49, 36 48), (36.2 47.5, 36.4 48.4, 36.2 "
                                          "48.4, 36.2 47.5)))"),
                     BZ_OK);
    assert_int_equal(bz_geodesic_area(&area, ctx, g), BZ_ERR_GEOMETRY);
    assert_non_null(strstr(bz_errmsg(ctx), "polygon 1: hole 0"));
    assert_non_null(strstr(bz_errmsg(ctx), "47.5"));
    bz_geometry_free(ctx, g);
    bz_context_free(ctx);
}

static void test_area_across_antimeridian(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    GEOSContextHandle_t h = bz_context_geos(ctx);
    double expect = cell_area(60, 61, 1);
    /* continuous longitudes 179.5 .. 180.5 */
    GEOSGeometry *cont = cell_polygon(h, 179.5, 1, 60, 61, 1);
    double area = 0;
    assert_int_equal(bz_geodesic_area(&area, ctx, cont), BZ_OK);
    assert_near(area, expect, 10.0);
    GEOSGeom_destroy_r(h, cont);
    /* the same ring with longitudes folded into [-180, 180]: jumps of 360 */
    size_t n = 0;
    double *xy = cell_ring(179.5, 1, 60, 61, 2000, 0, &n);
    for (size_t i = 0; i < n; i++)
        if (xy[2 * i] > 180)
            xy[2 * i] -= 360;
    GEOSGeometry *folded = GEOSGeom_createPolygon_r(h, ring_geom(h, xy, n), NULL, 0);
    free(xy);
    assert_int_equal(bz_geodesic_area(&area, ctx, folded), BZ_OK);
    assert_near(area, expect, 10.0);
    GEOSGeom_destroy_r(h, folded);
    bz_context_free(ctx);
}

static void test_area_of_non_polygons_is_zero(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    GEOSGeometry *g = NULL;
    double area = -1;
    assert_int_equal(bz_geometry_from_wkt(&g, ctx, "LINESTRING (0 0, 1 1)"), BZ_OK);
    assert_int_equal(bz_geodesic_area(&area, ctx, g), BZ_OK);
    assert_true(area == 0.0);
    bz_geometry_free(ctx, g);
    assert_int_equal(bz_geometry_from_wkt(&g, ctx, "POLYGON EMPTY"), BZ_OK);
    assert_int_equal(bz_geodesic_area(&area, ctx, g), BZ_OK);
    assert_true(area == 0.0);
    bz_geometry_free(ctx, g);
    assert_int_equal(bz_geodesic_area(&area, ctx, NULL), BZ_ERR_ARGUMENT);
    bz_context_free(ctx);
}

static void test_length(void **state)
{
    (void)state;
    struct geod_geodesic g = support_wgs84();
    bz_context *ctx = bz_context_new();
    GEOSGeometry *geom = NULL;
    assert_int_equal(bz_geometry_from_wkt(&geom, ctx,
                                          "GEOMETRYCOLLECTION (MULTILINESTRING ((36 48, 37 49, "
                                          "38 48.5), (179.9 0, -179.9 0)), POINT (5 5), "
                                          "POLYGON ((0 0, 1 0, 1 1, 0 0)))"),
                     BZ_OK);
    double len = 0;
    assert_int_equal(bz_geodesic_length(&len, ctx, geom), BZ_OK);
    double expect = 0, s = 0;
    const double pairs[][4] = {{36, 48, 37, 49}, {37, 49, 38, 48.5}, {179.9, 0, -179.9, 0},
                               {0, 0, 1, 0},     {1, 0, 1, 1},       {1, 1, 0, 0}};
    for (size_t i = 0; i < 6; i++) {
        geod_inverse(&g, pairs[i][1], pairs[i][0], pairs[i][3], pairs[i][2], &s, NULL, NULL);
        expect += s;
    }
    assert_near(len, expect, 1e-6);
    bz_geometry_free(ctx, geom);
    /* the antimeridian piece alone is ~22 km, not 40,000 km */
    assert_int_equal(bz_geometry_from_wkt(&geom, ctx, "LINESTRING (179.9 0, -179.9 0)"), BZ_OK);
    assert_int_equal(bz_geodesic_length(&len, ctx, geom), BZ_OK);
    assert_near(len, WGS84_A * 0.2 * DEG, 1e-6);
    bz_geometry_free(ctx, geom);
    assert_int_equal(bz_geometry_from_wkt(&geom, ctx, "POINT (1 2)"), BZ_OK);
    assert_int_equal(bz_geodesic_length(&len, ctx, geom), BZ_OK);
    assert_true(len == 0.0);
    bz_geometry_free(ctx, geom);
    assert_int_equal(bz_geodesic_length(&len, ctx, NULL), BZ_ERR_ARGUMENT);
    bz_context_free(ctx);
}

/* Short edges (the chord route, up to about 2 km) against geod_inverse edge by edge, from
 * 1 cm to 2.2 km, every azimuth, 89.9°S to 89.9°N and across the antimeridian: within 1e-6 m.
 * Then a dense 30,000-vertex wiggly line as one LineString: its length within 1e-3 m of the sum
 * of geod_inverse over its edges. */
static void test_short_edge_lengths(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    GEOSContextHandle_t h = bz_context_geos(ctx);
    struct geod_geodesic g = support_wgs84();
    uint64_t seed = 12345;
    for (int i = 0; i < 3000; i++) {
        double lat = -89.9 + 179.8 * support_random(&seed),
               lon = -180 + 360 * support_random(&seed);
        double azi = 360 * support_random(&seed),
               len = 0.01 * pow(10, 5.34 * support_random(&seed));
        double lat2 = 0, lon2 = 0;
        geod_direct(&g, lat, lon, azi, len, &lat2, &lon2, NULL);
        double xy[4] = {lon, lat, lon2, lat2}, truth = 0, got = -1;
        geod_inverse(&g, lat, lon, lat2, lon2, &truth, NULL, NULL);
        GEOSGeometry *ls =
            GEOSGeom_createLineString_r(h, GEOSCoordSeq_copyFromBuffer_r(h, xy, 2, 0, 0));
        assert_int_equal(bz_geodesic_length(&got, ctx, ls), BZ_OK);
        assert_near(got, truth, 1e-6);
        GEOSGeom_destroy_r(h, ls);
    }
    size_t n = 30000;
    double *xy = malloc(2 * n * sizeof *xy), truth = 0, got = 0;
    xy[0] = 30;
    xy[1] = 60;
    for (size_t i = 1; i < n; i++) {
        double azi = 60 + 80 * sin((double)i / 300.0), s = 0;
        geod_direct(&g, xy[2 * i - 1], xy[2 * i - 2], azi, 5 + (double)(i % 700), &xy[2 * i + 1],
                    &xy[2 * i], NULL);
        geod_inverse(&g, xy[2 * i - 1], xy[2 * i - 2], xy[2 * i + 1], xy[2 * i], &s, NULL, NULL);
        truth += s;
    }
    GEOSGeometry *ls =
        GEOSGeom_createLineString_r(h, GEOSCoordSeq_copyFromBuffer_r(h, xy, (unsigned)n, 0, 0));
    free(xy);
    assert_int_equal(bz_geodesic_length(&got, ctx, ls), BZ_OK);
    assert_near(got, truth, 1e-3);
    GEOSGeom_destroy_r(h, ls);
    bz_context_free(ctx);
}

/*
 * Real polygons: DeepState's occupied area on five dates, against the ellipsoidal areas listed in
 * ../shared/data/SOURCES.md (SpatiaLite ST_Area(geometry, 1), rounded to 1 km²). Skipped when
 * the shared data is absent (BZ_SHARED_DATA unset or missing).
 */
static void test_real_areas(void **state)
{
    (void)state;
    const char *dir = getenv("BZ_SHARED_DATA");
    char path[4096];
    const struct {
        const char *date;
        double km2;
    } ref[] = {{"2024-07-08", 109361},
               {"2025-01-02", 111885},
               {"2025-08-03", 114287},
               {"2026-01-01", 116219},
               {"2026-08-22", 116995}};
    if (!dir)
        skip();
    snprintf(path, sizeof path, "%s/frontline/deepstate_occupied_%s.geojson", dir, ref[0].date);
    FILE *f = fopen(path, "rb");
    if (!f)
        skip();
    fclose(f);
    bz_context *ctx = bz_context_new();
    for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) {
        snprintf(path, sizeof path, "%s/frontline/deepstate_occupied_%s.geojson", dir, ref[i].date);
        GEOSGeometry *g = NULL;
        assert_int_equal(bz_read_polygon(&g, ctx, path, NULL), BZ_OK);
        double area = 0;
        assert_int_equal(bz_geodesic_area(&area, ctx, g), BZ_OK);
        assert_near(area / 1e6, ref[i].km2, 1.0);
        bz_geometry_free(ctx, g);
    }
    bz_context_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inverse_matches_geod_inverse),
        cmocka_unit_test(test_direct_round_trip),
        cmocka_unit_test(test_cell_area_closed_form),
        cmocka_unit_test(test_polygon_with_hole),
        cmocka_unit_test(test_short_edge_rings),
        cmocka_unit_test(test_mixed_edge_rings),
        cmocka_unit_test(test_short_edge_lengths),
        cmocka_unit_test(test_invalid_hole),
        cmocka_unit_test(test_area_across_antimeridian),
        cmocka_unit_test(test_area_of_non_polygons_is_zero),
        cmocka_unit_test(test_length),
        cmocka_unit_test(test_real_areas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

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

#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)

#define assert_near(a, b, tol)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (tol)))                                                             \
            fail_msg("%s = %.17g, expected %.17g within %g", #a, a_, b_, (double)(tol));           \
    } while (0)

static struct geod_geodesic g84;

static int setup(void **state)
{
    geod_init(&g84, WGS84_A, WGS84_F);
    bz_context *ctx = bz_context_new();
    *state = ctx;
    return ctx ? 0 : -1;
}

static int teardown(void **state)
{
    bz_context_free(*state);
    return 0;
}

static GEOSGeometry *wkt(bz_context *ctx, const char *text)
{
    GEOSGeometry *g = NULL;
    assert_int_equal(bz_geometry_from_wkt(&g, ctx, text), BZ_OK);
    return g;
}

/* |area| of a polygon given by its corners (geodesic edges), from geod_polygonarea. */
static double corners_area(const double *lonlat, int n)
{
    double lat[16], lon[16], area, perim;
    for (int i = 0; i < n; i++) {
        lon[i] = lonlat[2 * i];
        lat[i] = lonlat[2 * i + 1];
    }
    geod_polygonarea(&g84, lat, lon, n, &area, &perim);
    return fabs(area);
}

static double rect_area(double x0, double y0, double x1, double y1)
{
    const double c[8] = {x0, y0, x1, y0, x1, y1, x0, y1};
    return corners_area(c, 4);
}

/* Ellipsoidal area of every polygon in g (holes subtracted), by geod_polygonarea here. */
static double ring_area(GEOSContextHandle_t h, const GEOSGeometry *ring)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(h, cs, &n);
    double *lat = malloc(n * sizeof *lat), *lon = malloc(n * sizeof *lon);
    for (unsigned i = 0; i < n; i++)
        GEOSCoordSeq_getXY_r(h, cs, i, &lon[i], &lat[i]);
    double area = 0, perim = 0;
    geod_polygonarea(&g84, lat, lon, (int)n - 1, &area, &perim);
    free(lat);
    free(lon);
    return fabs(area);
}

static double area_of(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_POLYGON) {
        if (GEOSisEmpty_r(h, g))
            return 0;
        double a = ring_area(h, GEOSGetExteriorRing_r(h, g));
        for (int r = 0; r < GEOSGetNumInteriorRings_r(h, g); r++)
            a -= ring_area(h, GEOSGetInteriorRingN_r(h, g, r));
        return a;
    }
    double a = 0;
    if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION)
        for (int i = 0; i < GEOSGetNumGeometries_r(h, g); i++)
            a += area_of(h, GEOSGetGeometryN_r(h, g, i));
    return a;
}

/* The territory moved east by half a degree: a strip gained in the east, one lost in the west. */
static void test_shifted_square(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *old_t = wkt(ctx, "POLYGON((30 48,31 48,31 49,30 49,30 48))");
    GEOSGeometry *new_t = wkt(ctx, "POLYGON((30.5 48,31.5 48,31.5 49,30.5 49,30.5 48))");
    GEOSGeometry *gained = NULL, *lost = NULL;
    double ga = 0, la = 0;
    assert_int_equal(bz_territory_diff(&gained, &lost, ctx, old_t, new_t, NULL, &ga, &la), BZ_OK);
    double tg = rect_area(31, 48, 31.5, 49), tl = rect_area(30, 48, 30.5, 49);
    assert_near(ga, tg, tg * 1e-9);
    assert_near(la, tl, tl * 1e-9);
    assert_near(area_of(h, gained), tg, tg * 1e-9);
    assert_near(area_of(h, lost), tl, tl * 1e-9);
    assert_int_equal(GEOSGeomTypeId_r(h, gained), GEOS_MULTIPOLYGON);
    assert_int_equal(GEOSGeomTypeId_r(h, lost), GEOS_MULTIPOLYGON);
    /* net change = area(new) - area(old) */
    assert_near(ga - la, rect_area(30.5, 48, 31.5, 49) - rect_area(30, 48, 31, 49), 1e-3);
    bz_geometry_free(ctx, gained);
    bz_geometry_free(ctx, lost);

    /* clipped to a region; area pointers may be NULL */
    GEOSGeometry *region = wkt(ctx, "POLYGON((30 48,31.2 48,31.2 48.5,30 48.5,30 48))");
    assert_int_equal(bz_territory_diff(&gained, &lost, ctx, old_t, new_t, region, NULL, NULL),
                     BZ_OK);
    tg = rect_area(31, 48, 31.2, 48.5);
    tl = rect_area(30, 48, 30.5, 48.5);
    assert_near(area_of(h, gained), tg, tg * 1e-6);
    assert_near(area_of(h, lost), tl, tl * 1e-6);
    bz_geometry_free(ctx, gained);
    bz_geometry_free(ctx, lost);

    /* nothing changed: both empty MultiPolygons */
    assert_int_equal(bz_territory_diff(&gained, &lost, ctx, old_t, old_t, NULL, &ga, &la), BZ_OK);
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
    GEOSGeometry *bowtie = wkt(ctx, "POLYGON((0 0,1 1,1 0,0 1,0 0))");
    GEOSGeometry *square = wkt(ctx, "POLYGON((0 0,1 0,1 1,0 1,0 0))");
    GEOSGeometry *gained = NULL, *lost = NULL;
    double ga = 0, la = 0;
    assert_int_equal(bz_territory_diff(&gained, &lost, ctx, bowtie, square, NULL, &ga, &la), BZ_OK);
    const double bottom[6] = {0, 0, 1, 0, 0.5, 0.5}, top[6] = {1, 1, 0, 1, 0.5, 0.5};
    double truth = corners_area(bottom, 3) + corners_area(top, 3);
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
    GEOSGeometry *a = wkt(ctx, "POLYGON((30 48,31 48,31 49,30 49,30 48))");
    GEOSGeometry *b = wkt(ctx, "MULTIPOLYGON(((30.5 48.5,32 48.5,32 50,30.5 50,30.5 48.5)),"
                               "((35 48,36 48,36 49,35 49,35 48)))");
    GEOSGeometry *far = wkt(ctx, "POLYGON((40 48,41 48,41 49,40 49,40 48))");
    double area = -1;
    assert_int_equal(bz_intersection_area(ctx, a, b, &area), BZ_OK);
    double truth = rect_area(30.5, 48.5, 31, 49);
    assert_near(area, truth, truth * 1e-9);
    assert_int_equal(bz_intersection_area(ctx, a, far, &area), BZ_OK);
    assert_near(area, 0, 0);
    assert_int_equal(bz_intersection_area(ctx, a, a, &area), BZ_OK);
    truth = rect_area(30, 48, 31, 49);
    assert_near(area, truth, truth * 1e-9);
    GEOSGeom_destroy_r(h, a);
    GEOSGeom_destroy_r(h, b);
    GEOSGeom_destroy_r(h, far);
}

static void test_errors(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *sq = wkt(ctx, "POLYGON((0 0,1 0,1 1,0 1,0 0))");
    GEOSGeometry *ln = wkt(ctx, "LINESTRING(0 0,1 1)");
    GEOSGeometry *gained = (GEOSGeometry *)1, *lost = (GEOSGeometry *)1;
    assert_int_equal(bz_territory_diff(&gained, &lost, ctx, ln, sq, NULL, NULL, NULL), BZ_ERR_TYPE);
    assert_null(gained);
    assert_null(lost);
    assert_non_null(strstr(bz_errmsg(ctx), "old territory"));
    assert_int_equal(bz_territory_diff(&gained, &lost, ctx, sq, sq, ln, NULL, NULL), BZ_ERR_TYPE);
    assert_non_null(strstr(bz_errmsg(ctx), "region"));
    assert_int_equal(bz_territory_diff(&gained, &lost, ctx, sq, NULL, NULL, NULL, NULL),
                     BZ_ERR_ARGUMENT);
    assert_int_equal(bz_territory_diff(NULL, &lost, ctx, sq, sq, NULL, NULL, NULL),
                     BZ_ERR_ARGUMENT);
    double area = 0;
    assert_int_equal(bz_intersection_area(ctx, sq, ln, &area), BZ_ERR_TYPE);
    assert_int_equal(bz_intersection_area(ctx, sq, sq, NULL), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_intersection_area(NULL, sq, sq, &area), BZ_ERR_ARGUMENT);
    GEOSGeom_destroy_r(h, sq);
    GEOSGeom_destroy_r(h, ln);
}

/* ---- real data ---------------------------------------------------------------------------- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (b)
        b[n] = '\0';
    fclose(f);
    return b;
}

/* Union of the polygons of a GeoJSON file, read with GEOS's own GeoJSON reader. */
static GEOSGeometry *read_union(GEOSContextHandle_t h, const char *dir, const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *text = slurp(path);
    if (!text)
        return NULL;
    GEOSGeoJSONReader *r = GEOSGeoJSONReader_create_r(h);
    GEOSGeometry *g = GEOSGeoJSONReader_readGeometry_r(h, r, text);
    GEOSGeoJSONReader_destroy_r(h, r);
    free(text);
    if (!g)
        return NULL;
    GEOSGeometry *u = GEOSUnaryUnion_r(h, g);
    GEOSGeom_destroy_r(h, g);
    return u;
}

/* DeepState 2024-07-08 -> 2026-08-22: gained - lost equals the difference of the two maps'
 * areas, both as measured here and as published in SOURCES.md (within 0.1 %). */
static void test_real_deepstate(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    const char *dir = getenv("BZ_SHARED_DATA");
    GEOSGeometry *old_t =
        dir ? read_union(h, dir, "frontline/deepstate_occupied_2024-07-08.geojson") : NULL;
    GEOSGeometry *new_t =
        old_t ? read_union(h, dir, "frontline/deepstate_occupied_2026-08-22.geojson") : NULL;
    GEOSGeometry *region =
        new_t ? read_union(h, dir, "boundaries/ukraine_adm1_geoboundaries.geojson") : NULL;
    if (!region) {
        GEOSGeometry *got[2] = {old_t, new_t};
        for (int i = 0; i < 2; i++)
            if (got[i])
                GEOSGeom_destroy_r(h, got[i]);
        skip();
    }
    GEOSGeometry *gained = NULL, *lost = NULL;
    double ga = 0, la = 0;
    assert_int_equal(bz_territory_diff(&gained, &lost, ctx, old_t, new_t, NULL, &ga, &la), BZ_OK);
    double net_here = area_of(h, new_t) - area_of(h, old_t);
    double net_published = (116995.0 - 109361.0) * 1e6;
    printf("# gained %.1f km², lost %.1f km², net %.1f km² (areas: %.1f km²; SOURCES.md: %.0f km²)"
           "\n",
           ga / 1e6, la / 1e6, (ga - la) / 1e6, net_here / 1e6, net_published / 1e6);
    assert_near(ga - la, net_here, fabs(net_here) * 1e-4);
    assert_near(ga - la, net_published, net_published * 1e-3);
    assert_near(area_of(h, gained), ga, ga * 1e-6);
    assert_near(area_of(h, lost), la, la * 1e-6);
    /* gained lies in the new map only, lost in the old one only */
    double x = 0;
    assert_int_equal(bz_intersection_area(ctx, gained, old_t, &x), BZ_OK);
    assert_true(x < ga * 1e-6);
    assert_int_equal(bz_intersection_area(ctx, lost, new_t, &x), BZ_OK);
    assert_true(x < la * 1e-6);
    bz_geometry_free(ctx, gained);
    bz_geometry_free(ctx, lost);

    /* clipped to Ukraine's outline: never more than unclipped */
    double gc = 0, lc = 0;
    assert_int_equal(bz_territory_diff(&gained, &lost, ctx, old_t, new_t, region, &gc, &lc), BZ_OK);
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
        cmocka_unit_test_setup_teardown(test_shifted_square, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_input_repaired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intersection_area, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_real_deepstate, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_io_read.c — reading through GDAL: a Shapefile in a projected CRS, every read error with
 * its exact status, invalid polygons, 3-D input and collections, merged lines, sources without
 * a CRS or with one that cannot be transformed.
 * Writing is in test_io_write.c and test_io_commit.c; the fixture and file helpers in support.h.
 *
 * Truth comes from the test's own inputs (coordinates chosen here), PROJ called directly (UTM
 * coordinates of the projected Shapefile) and geod_polygonarea (areas).
 */
#include <bufferzone.h>
#include <geodesic.h>
#include <geos_c.h>
#include <proj.h>

#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h> /* after setjmp.h, stdarg.h, stddef.h: it needs them */

#include "support.h"

#define TOL 1e-7

typedef support_dir_fixture fixture;

static int setup(void **state)
{
    return support_dir_fixture_new(state, "test_io_read");
}

static int teardown(void **state)
{
    return support_dir_fixture_free(state);
}

/* ---------------------------------------------------------------------------------------- */
/* A Shapefile in a projected CRS                                                           */
/* ---------------------------------------------------------------------------------------- */

/* Little-endian double at byte offset `at` of a Shapefile header (the bounding box). */
static double le_double(const unsigned char *b, size_t at)
{
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--)
        u = (u << 8) | b[at + (size_t)i];
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static void test_projected_shapefile(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    if (!support_have_program("ogr2ogr"))
        skip();
    /* A line heading north-east through UTM zone 36 and its lon/lat GeoJSON twin. */
    static const double ll[] = {32.5, 47.5, 33.123456, 47.9, 33.4, 48.6};
    char twin[256], shp[256], cmd[1024];
    support_dir_path(twin, sizeof twin, f, "twin.geojson");
    support_dir_path(shp, sizeof shp, f, "utm.shp");
    bz_line *orig = NULL;
    assert_int_equal(bz_line_from_lonlat(&orig, ctx, ll, 3), BZ_OK);
    bz_writer *w = NULL;
    assert_int_equal(bz_writer_open(&w, ctx, twin, NULL), BZ_OK);
    bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;
    a.kind = "contact_line";
    assert_int_equal(bz_writer_add(w, bz_line_geometry(orig), &a), BZ_OK);
    assert_int_equal(bz_writer_commit(w), BZ_OK);
    /* Made with GDAL's own ogr2ogr, not with our writer: an independent projected file. */
    snprintf(cmd, sizeof cmd,
             "ogr2ogr -f 'ESRI Shapefile' -t_srs EPSG:32636 '%s' '%s' >/dev/null 2>&1", shp, twin);
    assert_int_equal(system(cmd), 0);

    /* Independent truth: PROJ's UTM 36N coordinates of our vertices bound the .shp file. */
    PJ *tr = proj_create_crs_to_crs(NULL, "EPSG:4326", "EPSG:32636", NULL);
    assert_non_null(tr);
    PJ *norm = proj_normalize_for_visualization(NULL, tr);
    proj_destroy(tr);
    double e_min = INFINITY, e_max = -INFINITY, n_min = INFINITY, n_max = -INFINITY;
    for (int i = 0; i < 3; i++) {
        PJ_COORD c = proj_coord(ll[2 * i], ll[2 * i + 1], 0, 0);
        c = proj_trans(norm, PJ_FWD, c);
        e_min = fmin(e_min, c.xy.x);
        e_max = fmax(e_max, c.xy.x);
        n_min = fmin(n_min, c.xy.y);
        n_max = fmax(n_max, c.xy.y);
    }
    proj_destroy(norm);
    size_t size = 0;
    unsigned char *hdr = (unsigned char *)support_read_file(shp, &size);
    assert_true(size > 100);
    assert_true(fabs(le_double(hdr, 36) - e_min) < 1e-3);
    assert_true(fabs(le_double(hdr, 44) - n_min) < 1e-3);
    assert_true(fabs(le_double(hdr, 52) - e_max) < 1e-3);
    assert_true(fabs(le_double(hdr, 60) - n_max) < 1e-3);
    assert_true(e_min > 100000.0); /* metres, not degrees */
    free(hdr);

    bz_line *from_shp = NULL, *from_json = NULL;
    assert_int_equal(bz_read_line(&from_shp, ctx, shp, NULL), BZ_OK);
    assert_int_equal(bz_read_line(&from_json, ctx, twin, NULL), BZ_OK);
    size_t ns = 0, nj = 0;
    const double *cs = bz_line_part_coords(from_shp, 0, &ns);
    const double *cj = bz_line_part_coords(from_json, 0, &nj);
    assert_int_equal(ns, 3);
    assert_int_equal(nj, 3);
    for (size_t i = 0; i < 6; i++) {
        assert_true(fabs(cs[i] - cj[i]) < TOL);
        assert_true(fabs(cs[i] - ll[i]) < TOL);
    }
    /* Left stays left: a point north-west of the line is on its left (+1) in both. */
    bz_nearest ns_near, nj_near;
    assert_int_equal(bz_line_distance(&ns_near, ctx, from_shp, 32.6, 48.3), BZ_OK);
    assert_int_equal(bz_line_distance(&nj_near, ctx, from_json, 32.6, 48.3), BZ_OK);
    assert_int_equal(ns_near.side, 1);
    assert_int_equal(nj_near.side, 1);
    assert_true(fabs(ns_near.distance_m - nj_near.distance_m) < 0.05);
    bz_line_free(from_shp);
    bz_line_free(from_json);
    bz_line_free(orig);
}

/* ---------------------------------------------------------------------------------------- */
/* Read errors                                                                              */
/* ---------------------------------------------------------------------------------------- */

static const char *const POINTS_GEOJSON =
    "{\"type\": \"FeatureCollection\", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"name\": \"a\"}, \"geometry\": "
    "{\"type\": \"Point\", \"coordinates\": [30, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"name\": \"b\"}, \"geometry\": "
    "{\"type\": \"Point\", \"coordinates\": [31, 50]}}]}";

static void test_read_errors(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    char path[256];
    bz_line *line = NULL;
    GEOSGeometry *poly = NULL;
    bz_read_options ro = BZ_READ_OPTIONS_INIT;

    support_dir_path(path, sizeof path, f, "nope.geojson");
    assert_int_equal(bz_read_line(&line, ctx, path, NULL), BZ_ERR_IO);
    assert_non_null(strstr(bz_errmsg(ctx), "nope.geojson"));
    assert_null(line);

    support_dir_path(path, sizeof path, f, "corrupt.geojson");
    support_write_text_ok(path, "{\"type\": \"FeatureCollection\", \"features\": [ {\"type\": ");
    assert_int_equal(bz_read_polygon(&poly, ctx, path, NULL), BZ_ERR_FORMAT);
    assert_non_null(strstr(bz_errmsg(ctx), "corrupt.geojson"));
    assert_null(poly);

    support_dir_path(path, sizeof path, f, "points.geojson");
    support_write_text_ok(path, POINTS_GEOJSON);
    ro.layer = "roads";
    assert_int_equal(bz_read_line(&line, ctx, path, &ro), BZ_ERR_NOT_FOUND);
    assert_non_null(strstr(bz_errmsg(ctx), "'roads'"));
    assert_non_null(strstr(bz_errmsg(ctx), "'points'")); /* the layers there are */

    ro.layer = NULL;
    ro.where = "name = 'zzz'";
    assert_int_equal(bz_read_line(&line, ctx, path, &ro), BZ_ERR_NOT_FOUND);
    assert_non_null(strstr(bz_errmsg(ctx), "name = 'zzz'"));
    assert_non_null(strstr(bz_errmsg(ctx), "'points'"));

    ro.where = "name = = 'x'";
    assert_int_equal(bz_read_line(&line, ctx, path, &ro), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(ctx), "filter"));

    /* Points where a line is needed: the error names the file, layer and feature. */
    ro.where = "name = 'b'";
    assert_int_equal(bz_read_line(&line, ctx, path, &ro), BZ_ERR_TYPE);
    assert_non_null(strstr(bz_errmsg(ctx), "points.geojson"));
    assert_non_null(strstr(bz_errmsg(ctx), "layer 'points'"));
    assert_non_null(strstr(bz_errmsg(ctx), "feature 1"));
    assert_non_null(strstr(bz_errmsg(ctx), "Point"));
    assert_null(line);
    assert_int_equal(bz_read_polygon(&poly, ctx, path, NULL), BZ_ERR_TYPE);

    /* Polygons are not lines either. */
    support_dir_path(path, sizeof path, f, "square.geojson");
    support_write_text_ok(path, "{\"type\": \"FeatureCollection\", \"features\": ["
                                "{\"type\": \"Feature\", \"properties\": {}, \"geometry\": "
                                "{\"type\": \"Polygon\", \"coordinates\": "
                                "[[[30, 50], [31, 50], [31, 51], [30, 50]]]}}]}");
    assert_int_equal(bz_read_line(&line, ctx, path, NULL), BZ_ERR_TYPE);
    assert_non_null(strstr(bz_errmsg(ctx), "feature 0"));
    assert_non_null(strstr(bz_errmsg(ctx), "Polygon"));

    /* NULL arguments. */
    assert_int_equal(bz_read_line(NULL, ctx, path, NULL), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_read_line(&line, ctx, NULL, NULL), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_read_line(&line, NULL, path, NULL), BZ_ERR_ARGUMENT);
}

static void test_invalid_polygon(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    char path[256];
    support_dir_path(path, sizeof path, f, "bowtie.geojson");
    /* A bow tie crossing itself at (30.5, 50.5). */
    support_write_text_ok(path, "{\"type\": \"FeatureCollection\", \"features\": ["
                                "{\"type\": \"Feature\", \"properties\": {}, \"geometry\": "
                                "{\"type\": \"Polygon\", \"coordinates\": "
                                "[[[30, 50], [31, 51], [31, 50], [30, 51], [30, 50]]]}}]}");
    GEOSGeometry *poly = NULL;
    assert_int_equal(bz_read_polygon(&poly, ctx, path, NULL), BZ_ERR_GEOMETRY);
    assert_null(poly);
    assert_non_null(strstr(bz_errmsg(ctx), "bowtie.geojson"));
    assert_non_null(strstr(bz_errmsg(ctx), "feature 0"));
    assert_non_null(strstr(bz_errmsg(ctx), "lon 30.5"));
    assert_non_null(strstr(bz_errmsg(ctx), "lat 50.5"));

    bz_read_options ro = BZ_READ_OPTIONS_INIT;
    ro.make_valid = 1;
    assert_int_equal(bz_read_polygon(&poly, ctx, path, &ro), BZ_OK);
    GEOSContextHandle_t h = bz_context_geos(ctx);
    assert_int_equal(GEOSGeomTypeId_r(h, poly), GEOS_MULTIPOLYGON);
    assert_int_equal(GEOSGetNumGeometries_r(h, poly), 2);
    assert_int_equal(GEOSisValid_r(h, poly), 1);
    /* The repair keeps both triangles: west (30,50)-(30.5,50.5)-(30,51), east likewise. */
    static const double west[] = {30, 50, 30.5, 50.5, 30, 51};
    static const double east[] = {31, 51, 30.5, 50.5, 31, 50};
    double expected = truth_ring_lonlat_area(west, 3) + truth_ring_lonlat_area(east, 3), got = 0;
    assert_int_equal(bz_geodesic_area(&got, ctx, poly), BZ_OK);
    assert_true(fabs(got - expected) < 1e-6 * expected);
    bz_geometry_free(ctx, poly);
}

static void test_3d_and_collections(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    char path[256];
    support_dir_path(path, sizeof path, f, "mixed3d.geojson");
    /* KML-born GeoJSON: z = 0 everywhere, a GeometryCollection mixing a polygon and a point,
     * and two overlapping squares that must be united. */
    support_write_text_ok(path,
                          "{\"type\": \"FeatureCollection\", \"features\": ["
                          "{\"type\": \"Feature\", \"properties\": {\"name\": \"occupied\"}, "
                          "\"geometry\": {\"type\": \"GeometryCollection\", \"geometries\": ["
                          "{\"type\": \"Polygon\", \"coordinates\": [[[30, 50, 0], [31, 50, 0], "
                          "[31, 51, 0], [30, 51, 0], [30, 50, 0]]]},"
                          "{\"type\": \"Point\", \"coordinates\": [30.5, 50.5, 0]}]}},"
                          "{\"type\": \"Feature\", \"properties\": {\"name\": \"occupied\"}, "
                          "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[30.5, 50, 0], "
                          "[31.5, 50, 0], [31.5, 51, 0], [30.5, 51, 0], [30.5, 50, 0]]]}},"
                          "{\"type\": \"Feature\", \"properties\": {\"name\": \"marker\"}, "
                          "\"geometry\": {\"type\": \"Point\", \"coordinates\": [35, 45, 0]}}]}");
    bz_read_options ro = BZ_READ_OPTIONS_INIT;
    ro.where = "name = 'occupied'";
    GEOSGeometry *poly = NULL;
    assert_int_equal(bz_read_polygon(&poly, ctx, path, &ro), BZ_OK);
    assert_int_equal(GEOSHasZ_r(h, poly), 0);
    assert_int_equal(GEOSGetNumGeometries_r(h, poly), 1);
    /* The union keeps every node: its edges are the geodesics between these vertices. */
    static const double united[] = {30,   50, 30.5, 50, 31,   50, 31.5, 50,
                                    31.5, 51, 31,   51, 30.5, 51, 30,   51};
    double area = 0, expected = truth_ring_lonlat_area(united, 8);
    assert_int_equal(bz_geodesic_area(&area, ctx, poly), BZ_OK);
    assert_true(fabs(area - expected) < 1e-6 * expected);
    bz_geometry_free(ctx, poly);

    bz_features *fs = NULL;
    assert_int_equal(bz_read_features(&fs, ctx, path, NULL), BZ_OK);
    assert_int_equal(bz_features_count(fs), 3);
    assert_int_equal(GEOSHasZ_r(h, bz_features_geometry(fs, 2)), 0);
    assert_string_equal(bz_features_attr(fs, 2, "name"), "marker");
    assert_null(bz_features_attr(fs, 2, "no_such_field"));
    assert_null(bz_features_geometry(fs, 3));
    bz_features_free(fs);
}

static void test_read_line_merges(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    char path[256];
    support_dir_path(path, sizeof path, f, "pieces.geojson");
    /* Two features that meet end to end form one part. */
    support_write_text_ok(
        path, "{\"type\": \"FeatureCollection\", \"features\": ["
              "{\"type\": \"Feature\", \"properties\": {}, \"geometry\": "
              "{\"type\": \"LineString\", \"coordinates\": [[30, 50], [30.5, 50.2]]}},"
              "{\"type\": \"Feature\", \"properties\": {}, \"geometry\": "
              "{\"type\": \"LineString\", \"coordinates\": [[30.5, 50.2], [31, 50.1]]}}]}");
    bz_line *line = NULL;
    assert_int_equal(bz_read_line(&line, ctx, path, NULL), BZ_OK);
    assert_int_equal(bz_line_num_parts(line), 1);
    assert_int_equal(bz_line_num_points(line), 3);
    bz_line_free(line);
}

static void test_no_crs(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    char path[256];
    bz_places *pl = NULL;
    /* CSV with WKT has no CRS: lon/lat is accepted only when it fits. */
    support_dir_path(path, sizeof path, f, "fits.csv");
    support_write_text_ok(path, "WKT,name\n\"POINT (30.5 50.25)\",Kyiv-ish\n");
    assert_int_equal(bz_read_places(&pl, ctx, path, NULL), BZ_OK);
    assert_int_equal(bz_places_count(pl), 1);
    double lon = 0, lat = 0;
    bz_places_coords(pl, 0, &lon, &lat);
    assert_true(fabs(lon - 30.5) < TOL && fabs(lat - 50.25) < TOL);
    bz_places_free(pl);
    pl = NULL;

    support_dir_path(path, sizeof path, f, "metres.csv");
    support_write_text_ok(path, "WKT,name\n\"POINT (500000 5300000)\",somewhere\n");
    assert_int_equal(bz_read_places(&pl, ctx, path, NULL), BZ_ERR_PROJECTION);
    assert_null(pl);
    assert_non_null(strstr(bz_errmsg(ctx), "metres.csv"));
    assert_non_null(strstr(bz_errmsg(ctx), "no CRS"));
}

static void test_untransformable_crs(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    char shp[256], prj[256];
    support_dir_path(shp, sizeof shp, f, "local.shp");
    bz_writer *w = NULL;
    assert_int_equal(bz_writer_open(&w, ctx, shp, NULL), BZ_OK);
    support_add_square(ctx, w);
    assert_int_equal(bz_writer_commit(w), BZ_OK);
    /* An engineering CRS (a site grid) has no relation to the Earth: no way to lon/lat. */
    support_dir_path(prj, sizeof prj, f, "local_polygons.prj");
    support_write_text_ok(prj, "LOCAL_CS[\"site grid\",UNIT[\"metre\",1]]");
    support_dir_path(shp, sizeof shp, f, "local_polygons.shp");
    GEOSGeometry *poly = NULL;
    assert_int_equal(bz_read_polygon(&poly, ctx, shp, NULL), BZ_ERR_PROJECTION);
    assert_null(poly);
    assert_non_null(strstr(bz_errmsg(ctx), "local_polygons.shp"));
    assert_non_null(strstr(bz_errmsg(ctx), "site grid"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_projected_shapefile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_polygon, setup, teardown),
        cmocka_unit_test_setup_teardown(test_3d_and_collections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_line_merges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_crs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_untransformable_crs, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_io_write.c — writing through GDAL: round trips per format (written here, read back with
 * bz_read_features), RFC 7946 output, zone results and the antimeridian split. Atomic writes
 * are in test_io_commit.c, reading's own errors in test_io_read.c; the fixture and file
 * helpers in support.h.
 *
 * Truth comes from the test's own inputs (coordinates chosen here), geod_polygonarea (areas)
 * and ogrinfo from gdal-bin (the outputs open cleanly in another GDAL program).
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
    return support_dir_fixture_new(state, "test_io_write");
}

static int teardown(void **state)
{
    return support_dir_fixture_free(state);
}

/* ---------------------------------------------------------------------------------------- */
/* Geometry helpers                                                                         */
/* All coordinates of g in order (rings and parts one after the other). */
static size_t coords_of(GEOSContextHandle_t h, const GEOSGeometry *g, double *xy, size_t max)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        size_t n = coords_of(h, GEOSGetExteriorRing_r(h, g), xy, max);
        for (int i = 0; i < GEOSGetNumInteriorRings_r(h, g); i++)
            n += coords_of(h, GEOSGetInteriorRingN_r(h, g, i), xy + 2 * n, max - n);
        return n;
    }
    if (type >= GEOS_MULTIPOINT) {
        size_t n = 0;
        for (int i = 0; i < GEOSGetNumGeometries_r(h, g); i++)
            n += coords_of(h, GEOSGetGeometryN_r(h, g, i), xy + 2 * n, max - n);
        return n;
    }
    const GEOSCoordSequence *s = GEOSGeom_getCoordSeq_r(h, g);
    unsigned size = 0;
    GEOSCoordSeq_getSize_r(h, s, &size);
    assert_true(size <= max);
    for (unsigned i = 0; i < size; i++)
        GEOSCoordSeq_getXY_r(h, s, i, &xy[2 * i], &xy[2 * i + 1]);
    return size;
}

/* Same coordinates in the same order within TOL; polygons are compared normalized (RFC 7946
 * output turns rings counter-clockwise), lines as they are (direction matters). */
static void assert_same_coords(bz_context *ctx, const GEOSGeometry *expected,
                               const GEOSGeometry *got, int normalize)
{
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *a = GEOSGeom_clone_r(h, expected), *b = GEOSGeom_clone_r(h, got);
    if (normalize) {
        GEOSNormalize_r(h, a);
        GEOSNormalize_r(h, b);
    }
    double xa[2 * 256], xb[2 * 256];
    size_t na = coords_of(h, a, xa, 256), nb = coords_of(h, b, xb, 256);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < 2 * na; i++)
        assert_true(fabs(xa[i] - xb[i]) <= TOL);
    GEOSGeom_destroy_r(h, a);
    GEOSGeom_destroy_r(h, b);
}

/* CSV cannot tell an empty text from no value: there an unset attribute may read as "". */
static int csv_nulls;

static void assert_unset(const bz_features *fs, size_t i, const char *field)
{
    const char *v = bz_features_attr(fs, i, field);
    if (v && !(csv_nulls && v[0] == '\0'))
        fail_msg("%s is \"%s\", expected unset", field, v);
}

static double attr_number(const bz_features *fs, size_t i, const char *field)
{
    const char *s = bz_features_attr(fs, i, field);
    assert_non_null(s);
    return strtod(s, NULL);
}

/* The feature of a given kind (features may come back in another order in some formats). */
static size_t find_kind(const bz_features *fs, const char *kind)
{
    for (size_t i = 0; i < bz_features_count(fs); i++) {
        const char *k = bz_features_attr(fs, i, "kind");
        if (k && strcmp(k, kind) == 0)
            return i;
    }
    fail_msg("no feature of kind %s", kind);
    return 0;
}

/* Three features of three geometry types, coordinates with 9 decimals (rounded to 7 on the
 * way through GeoJSON: the error stays below TOL). The polygon's exterior ring is clockwise
 * and its hole counter-clockwise, the opposite of RFC 7946. */
static const char *const POLY_WKT =
    "POLYGON ((30.123456789 48.000000001, 30.123456789 49.25, 31.5 49.25, 31.5 48.000000001, "
    "30.123456789 48.000000001), (30.6 48.5, 30.9 48.5, 30.9 48.8, 30.6 48.8, 30.6 48.5))";
static const char *const LINE_WKT =
    "LINESTRING (31.000000004 47.5, 31.2 47.812345678, 31.1 48.2, 31.4 48.9)";
static const char *const POINT_WKT = "POINT (32.987654321 46.5)";

static void write_three(fixture *f, const char *path, const bz_write_options *o)
{
    bz_context *ctx = f->ctx;
    GEOSGeometry *poly = support_wkt(ctx, POLY_WKT), *line = support_wkt(ctx, LINE_WKT),
                 *pt = support_wkt(ctx, POINT_WKT);
    bz_writer *w = NULL;
    assert_int_equal(bz_writer_open(&w, ctx, path, o), BZ_OK);
    bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;
    a.kind = "zone";
    a.side = "Ukraine";
    a.distance_m = 10000.0;
    a.area_km2 = 1234.5;
    assert_int_equal(bz_writer_add(w, poly, &a), BZ_OK);
    bz_feature_attrs b = BZ_FEATURE_ATTRS_INIT;
    b.kind = "contact_line";
    b.length_km = 187.25;
    b.name = "Лінія зіткнення"; /* UTF-8 must survive every format */
    assert_int_equal(bz_writer_add(w, line, &b), BZ_OK);
    bz_feature_attrs c = BZ_FEATURE_ATTRS_INIT;
    c.kind = "place";
    c.side = "Russia";
    assert_int_equal(bz_writer_add(w, pt, &c), BZ_OK);
    assert_int_equal(bz_writer_commit(w), BZ_OK);
    bz_geometry_free(ctx, poly);
    bz_geometry_free(ctx, line);
    bz_geometry_free(ctx, pt);
}

/* Read a file written by write_three (optionally one layer) and check what came back. */
static void check_three(fixture *f, const char *path, const char *layer, int expect_count)
{
    bz_context *ctx = f->ctx;
    bz_features *fs = NULL;
    bz_read_options ro = BZ_READ_OPTIONS_INIT;
    ro.layer = layer;
    assert_int_equal(bz_read_features(&fs, ctx, path, &ro), BZ_OK);
    assert_int_equal(bz_features_count(fs), expect_count);
    for (size_t i = 0; i < bz_features_count(fs); i++) {
        const char *kind = bz_features_attr(fs, i, "kind");
        assert_non_null(kind);
        const GEOSGeometry *g = bz_features_geometry(fs, i);
        assert_non_null(g);
        if (strcmp(kind, "zone") == 0) {
            GEOSGeometry *e = support_wkt(ctx, POLY_WKT);
            assert_same_coords(ctx, e, g, 1);
            bz_geometry_free(ctx, e);
            assert_string_equal(bz_features_attr(fs, i, "side"), "Ukraine");
            assert_true(fabs(attr_number(fs, i, "distance_m") - 10000.0) < 1e-9);
            assert_true(fabs(attr_number(fs, i, "area_km2") - 1234.5) < 1e-9);
            assert_unset(fs, i, "length_km");
            assert_unset(fs, i, "name");
        } else if (strcmp(kind, "contact_line") == 0) {
            GEOSGeometry *e = support_wkt(ctx, LINE_WKT);
            assert_same_coords(ctx, e, g, 0);
            bz_geometry_free(ctx, e);
            assert_unset(fs, i, "side");
            assert_string_equal(bz_features_attr(fs, i, "name"), "Лінія зіткнення");
            assert_true(fabs(attr_number(fs, i, "length_km") - 187.25) < 1e-9);
            assert_unset(fs, i, "distance_m");
        } else {
            assert_string_equal(kind, "place");
            GEOSGeometry *e = support_wkt(ctx, POINT_WKT);
            assert_same_coords(ctx, e, g, 0);
            bz_geometry_free(ctx, e);
            assert_string_equal(bz_features_attr(fs, i, "side"), "Russia");
        }
    }
    bz_features_free(fs);
}

/* ---------------------------------------------------------------------------------------- */
/* Round trips                                                                              */
/* ---------------------------------------------------------------------------------------- */

static void test_roundtrip_geojson(void **state)
{
    fixture *f = *state;
    char path[256];
    support_dir_path(path, sizeof path, f, "out.geojson");
    write_three(f, path, NULL);
    check_three(f, path, NULL, 3);
    support_assert_ogrinfo_clean(path);
    assert_int_equal(support_count_entries(f->dir), 2); /* + out.qml; no temporary left */

    /* The typed readers agree with the generic one. */
    GEOSGeometry *poly = NULL, *expected = support_wkt(f->ctx, POLY_WKT);
    bz_read_options ro = BZ_READ_OPTIONS_INIT;
    ro.where = "kind = 'zone'";
    assert_int_equal(bz_read_polygon(&poly, f->ctx, path, &ro), BZ_OK);
    assert_int_equal(GEOSGeomTypeId_r(bz_context_geos(f->ctx), poly), GEOS_MULTIPOLYGON);
    assert_same_coords(f->ctx, expected, poly, 1);
    bz_geometry_free(f->ctx, poly);
    bz_geometry_free(f->ctx, expected);

    bz_line *line = NULL;
    ro.where = "kind = 'contact_line'";
    assert_int_equal(bz_read_line(&line, f->ctx, path, &ro), BZ_OK);
    size_t n = 0;
    const double *c = bz_line_part_coords(line, 0, &n);
    assert_int_equal(n, 4);
    assert_true(fabs(c[0] - 31.000000004) < TOL && fabs(c[1] - 47.5) < TOL);
    assert_true(fabs(c[6] - 31.4) < TOL && fabs(c[7] - 48.9) < TOL);
    bz_line_free(line);
}

/* Signed shoelace area of a ring of lon/lat pairs: > 0 when counter-clockwise. */
static double shoelace(const double *xy, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i + 1 < n; i++)
        s += xy[2 * i] * xy[2 * i + 3] - xy[2 * i + 2] * xy[2 * i + 1];
    return s / 2.0;
}

/* Parse the rings of the first (Multi)Polygon in a GeoJSON text (GDAL writes a one-part
 * MultiPolygon as a Polygon); counts decimals as it goes. */
static size_t parse_rings(const char *text, double rings[][64], size_t sizes[], size_t maxrings,
                          int *max_decimals)
{
    const char *p = strstr(text, "\"Polygon\"");
    int multi = 0;
    if (!p) {
        p = strstr(text, "\"MultiPolygon\"");
        multi = 1;
    }
    assert_non_null(p);
    p = strstr(p, "\"coordinates\"");
    assert_non_null(p);
    p = strchr(p, '[');
    int depth = 1 - multi; /* as if inside a MultiPolygon */
    size_t nrings = 0, k = 0;
    *max_decimals = 0;
    for (; *p; p++) {
        if (*p == '[') {
            depth++;
            if (depth == 3)
                k = 0;
        } else if (*p == ']') {
            if (depth == 3 && nrings < maxrings)
                sizes[nrings++] = k / 2;
            if (--depth == 1 - multi)
                break;
        } else if (depth == 4 && (*p == '-' || (*p >= '0' && *p <= '9'))) {
            char *end = NULL;
            double v = strtod(p, &end);
            const char *dot = memchr(p, '.', (size_t)(end - p));
            int decimals = dot ? (int)(end - dot - 1) : 0;
            if (decimals > *max_decimals)
                *max_decimals = decimals;
            if (nrings < maxrings && k < 64)
                rings[nrings][k++] = v;
            p = end - 1;
        }
    }
    return nrings;
}

static void test_geojson_rfc7946(void **state)
{
    fixture *f = *state;
    char path[256];
    support_dir_path(path, sizeof path, f, "rfc.geojson");
    write_three(f, path, NULL);
    char *text = support_read_file(path, NULL);
    assert_non_null(text);
    /* RFC 7946: no crs member, rings counter-clockwise (holes clockwise), 7 decimals. */
    assert_null(strstr(text, "\"crs\""));
    double rings[2][64];
    size_t sizes[2];
    int decimals = 0;
    assert_int_equal(parse_rings(text, rings, sizes, 2, &decimals), 2);
    assert_int_equal(sizes[0], 5);
    assert_int_equal(sizes[1], 5);
    assert_true(shoelace(rings[0], sizes[0]) > 0.0);
    assert_true(shoelace(rings[1], sizes[1]) < 0.0);
    assert_int_equal(decimals, 7); /* 30.123456789 -> 30.1234568 */
    assert_non_null(strstr(text, "30.1234568"));
    /* simplestyle: the two sides get different fills, the contact line its own stroke. */
    assert_non_null(strstr(text, "\"fill\""));
    assert_non_null(strstr(text, "\"stroke\""));
    assert_non_null(strstr(text, "\"fill-opacity\""));
    free(text);
}

static void test_geojson_side_colours(void **state)
{
    fixture *f = *state;
    char path[256];
    support_dir_path(path, sizeof path, f, "sides.geojson");
    bz_context *ctx = f->ctx;
    GEOSGeometry *a = support_wkt(ctx, "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))");
    GEOSGeometry *b = support_wkt(ctx, "POLYGON ((0 0, 0 -1, 1 -1, 1 0, 0 0))");
    bz_writer *w = NULL;
    assert_int_equal(bz_writer_open(&w, ctx, path, NULL), BZ_OK);
    bz_feature_attrs at = BZ_FEATURE_ATTRS_INIT;
    at.kind = "zone";
    at.side = "left";
    assert_int_equal(bz_writer_add(w, a, &at), BZ_OK);
    at.side = "right";
    assert_int_equal(bz_writer_add(w, b, &at), BZ_OK);
    assert_int_equal(bz_writer_commit(w), BZ_OK);
    bz_features *fs = NULL;
    assert_int_equal(bz_read_features(&fs, ctx, path, NULL), BZ_OK);
    assert_int_equal(bz_features_count(fs), 2);
    const char *fill0 = bz_features_attr(fs, 0, "fill"), *fill1 = bz_features_attr(fs, 1, "fill");
    assert_non_null(fill0);
    assert_non_null(fill1);
    assert_int_equal(fill0[0], '#');
    assert_string_not_equal(fill0, fill1);
    bz_features_free(fs);
    bz_geometry_free(ctx, a);
    bz_geometry_free(ctx, b);
}

static void test_roundtrip_shapefile(void **state)
{
    fixture *f = *state;
    char path[256], member[256];
    support_dir_path(path, sizeof path, f, "out.shp");
    write_three(f, path, NULL);
    assert_false(support_exists(path)); /* one file per geometry type instead */
    static const char *const sets[] = {"out_polygons", "out_lines", "out_points"};
    static const char *const exts[] = {"shp", "shx", "dbf", "prj", "cpg"};
    for (size_t s = 0; s < 3; s++) {
        for (size_t e = 0; e < 5; e++) {
            snprintf(member, sizeof member, "%s/%s.%s", f->dir, sets[s], exts[e]);
            assert_true(support_exists(member));
        }
        snprintf(member, sizeof member, "%s/%s.shp", f->dir, sets[s]);
        check_three(f, member, NULL, 1);
        support_assert_ogrinfo_clean(member);
    }
    snprintf(member, sizeof member, "%s/out_polygons.cpg", f->dir);
    char *cpg = support_read_file(member, NULL);
    assert_non_null(strstr(cpg, "UTF-8"));
    free(cpg);
    assert_int_equal(support_count_entries(f->dir), 18); /* 3 x (5 files + a .qml) */

    /* The line file reads as a line with its direction. */
    bz_line *line = NULL;
    snprintf(member, sizeof member, "%s/out_lines.shp", f->dir);
    assert_int_equal(bz_read_line(&line, f->ctx, member, NULL), BZ_OK);
    size_t n = 0;
    const double *c = bz_line_part_coords(line, 0, &n);
    assert_int_equal(n, 4);
    assert_true(fabs(c[0] - 31.000000004) < TOL && fabs(c[7] - 48.9) < TOL);
    bz_line_free(line);
}

static void test_roundtrip_gpkg(void **state)
{
    fixture *f = *state;
    char path[256];
    support_dir_path(path, sizeof path, f, "out.gpkg");
    write_three(f, path, NULL);
    /* One layer per kind. */
    check_three(f, path, "zone", 1);
    check_three(f, path, "contact_line", 1);
    check_three(f, path, "place", 1);
    check_three(f, path, NULL, 3);
    support_assert_ogrinfo_clean(path);
    assert_int_equal(support_count_entries(f->dir), 1);
}

static void test_roundtrip_flatgeobuf(void **state)
{
    fixture *f = *state;
    char path[256];
    support_dir_path(path, sizeof path, f, "out.fgb");
    write_three(f, path, NULL);
    check_three(f, path, NULL, 3);
    support_assert_ogrinfo_clean(path);
}

static void test_roundtrip_kml(void **state)
{
    fixture *f = *state;
    char path[256];
    support_dir_path(path, sizeof path, f, "out.kml");
    write_three(f, path, NULL);
    check_three(f, path, NULL, 3);
    support_assert_ogrinfo_clean(path);
}

/* A zone result written whole: per side zone and withdrawal line, contact line, buffer. */
static void test_zones_write(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    static const double ll[] = {30.0, 50.0, 30.2, 50.1, 30.4, 50.05};
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_lonlat(&line, ctx, ll, 3), BZ_OK);
    GEOSGeometry *zone =
        support_wkt(ctx, "POLYGON ((29.9 49.9, 30.5 49.9, 30.5 50.2, 29.9 50.2, 29.9 49.9))");
    GEOSGeometry *region = support_wkt(ctx, "POLYGON ((29 49, 31 49, 31 51, 29 51, 29 49))");
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_from_polygon(&z, ctx, line, region, NULL, zone), BZ_OK);
    static const char *const names[] = {"z.geojson", "z.gpkg", "z.shp"};
    for (size_t k = 0; k < 3; k++) {
        char path[256];
        support_dir_path(path, sizeof path, f, names[k]);
        assert_int_equal(bz_zones_write(ctx, z, path, "north", NULL, NULL), BZ_OK);
        /* Read back every file of the output and sort the features by kind and side. */
        static const char *const files[3][2] = {
            {"z.geojson", NULL}, {"z.gpkg", NULL}, {"z_polygons.shp", "z_lines.shp"}};
        int seen_zone[2] = {0, 0}, seen_wl[2] = {0, 0}, seen_contact = 0, seen_buffer = 0;
        for (size_t m = 0; m < 2 && files[k][m]; m++) {
            support_dir_path(path, sizeof path, f, files[k][m]);
            support_assert_ogrinfo_clean(path);
            bz_features *fs = NULL;
            assert_int_equal(bz_read_features(&fs, ctx, path, NULL), BZ_OK);
            for (size_t i = 0; i < bz_features_count(fs); i++) {
                const char *kind = bz_features_attr(fs, i, "kind");
                const char *side = bz_features_attr(fs, i, "side");
                const GEOSGeometry *g = bz_features_geometry(fs, i);
                int s = side && strcmp(side, "B") == 0;
                assert_non_null(kind);
                if (strcmp(kind, "zone") == 0) {
                    assert_true(side && (strcmp(side, "north") == 0 || s));
                    double got = 0, want = bz_zones_area(z, s ? BZ_SIDE_B : BZ_SIDE_A);
                    assert_int_equal(bz_geodesic_area(&got, ctx, g), BZ_OK);
                    assert_true(fabs(got - want) < 1e-5 * want);
                    assert_true(fabs(attr_number(fs, i, "area_km2") - want / 1e6) < 1e-9 * want);
                    assert_null(bz_features_attr(fs, i, "distance_m")); /* NaN: unset */
                    seen_zone[s]++;
                } else if (strcmp(kind, "withdrawal_line") == 0) {
                    double want = bz_zones_withdrawal_length(z, s ? BZ_SIDE_B : BZ_SIDE_A);
                    assert_true(fabs(attr_number(fs, i, "length_km") - want / 1e3) < 1e-9 * want);
                    seen_wl[s]++;
                } else if (strcmp(kind, "contact_line") == 0) {
                    assert_same_coords(ctx, bz_line_geometry(line), g, 0);
                    assert_null(side);
                    seen_contact++;
                } else {
                    assert_string_equal(kind, "buffer_zone");
                    double got = 0, want = bz_zones_buffer_area(z);
                    assert_int_equal(bz_geodesic_area(&got, ctx, g), BZ_OK);
                    assert_true(fabs(got - want) < 1e-5 * want);
                    assert_int_equal(GEOSGeomTypeId_r(h, g) == GEOS_POLYGON ||
                                         GEOSGeomTypeId_r(h, g) == GEOS_MULTIPOLYGON,
                                     1);
                    seen_buffer++;
                }
            }
            bz_features_free(fs);
        }
        assert_true(seen_zone[0] == 1 && seen_zone[1] == 1);
        assert_true(seen_wl[0] == 1 && seen_wl[1] == 1);
        assert_int_equal(seen_contact, 1);
        assert_int_equal(seen_buffer, 1);
    }
    /* GeoPackage: one layer per kind. */
    char path[256];
    support_dir_path(path, sizeof path, f, "z.gpkg");
    bz_read_options ro = BZ_READ_OPTIONS_INIT;
    ro.layer = "withdrawal_line";
    bz_features *fs = NULL;
    assert_int_equal(bz_read_features(&fs, ctx, path, &ro), BZ_OK);
    assert_int_equal(bz_features_count(fs), 2);
    bz_features_free(fs);
    /* Written once: a second write without overwrite is refused. */
    assert_int_equal(bz_zones_write(ctx, z, path, NULL, NULL, NULL), BZ_ERR_EXISTS);
    bz_zones_free(z);
    bz_geometry_free(ctx, zone);
    bz_geometry_free(ctx, region);
    bz_line_free(line);
}

/* GeoJSON's features are formatted side by side when the context allows threads: the bytes are
 * those of one thread, file and string alike, for a wiggly line in a region and for zones across
 * the antimeridian (split into parts as they are written). */
static void test_zones_write_threads(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    enum { N = 1000 };
    static double xy[2 * N];
    for (int c = 0; c < 2; c++) {
        for (int i = 0; i < N; i++) {
            double t = (double)i / (N - 1);
            double lon = c ? 178.0 + 4.0 * t : 30.0 + 6.0 * t;
            xy[2 * i] = lon > 180.0 ? lon - 360.0 : lon;
            xy[2 * i + 1] = (c ? 65.0 : 48.0) + 0.08 * sin(40.0 * t) + 0.01 * sin(700.0 * t);
        }
        bz_line *line = NULL;
        assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, N), BZ_OK);
        GEOSGeometry *region =
            c ? NULL : support_wkt(ctx, "POLYGON ((29 46, 37 46, 37 50, 29 50, 29 46))");
        assert_int_equal(bz_context_set_threads(ctx, 1), BZ_OK);
        bz_zones *z = NULL;
        assert_int_equal(bz_zones_compute(&z, ctx, line, region, NULL, 5000.0, 8000.0, NULL),
                         BZ_OK);
        char path[256];
        support_dir_path(path, sizeof path, f, "zones.geojson");
        char *first = NULL, *mem_first = NULL;
        size_t first_size = 0, mem_first_size = 0;
        for (int threads = 1; threads <= 8; threads *= 2) {
            assert_int_equal(bz_context_set_threads(ctx, threads), BZ_OK);
            bz_write_options wo = BZ_WRITE_OPTIONS_INIT;
            wo.overwrite = 1;
            assert_int_equal(bz_zones_write(ctx, z, path, "A", "B", &wo), BZ_OK);
            size_t size = 0;
            char *text = support_read_file(path, &size);
            assert_non_null(text);
            char *mem = NULL;
            size_t mem_size = 0;
            assert_int_equal(bz_zones_to_geojson(&mem, &mem_size, ctx, z, "A", "B"), BZ_OK);
            if (threads == 1) {
                first = text;
                first_size = size;
                mem_first = mem;
                mem_first_size = mem_size;
                assert_int_equal(mem_size, size); /* the same name, "zones": the same bytes */
                assert_memory_equal(mem, text, size);
                continue;
            }
            assert_int_equal(size, first_size);
            assert_memory_equal(text, first, size);
            assert_int_equal(mem_size, mem_first_size);
            assert_memory_equal(mem, mem_first, mem_size);
            free(text);
            bz_free(mem);
        }
        free(first);
        bz_free(mem_first);
        bz_zones_free(z);
        bz_geometry_free(ctx, region);
        bz_line_free(line);
    }
    assert_int_equal(bz_context_set_threads(ctx, 0), BZ_OK);
}

static void test_roundtrip_csv(void **state)
{
    fixture *f = *state;
    char path[256];
    support_dir_path(path, sizeof path, f, "out.csv"); /* geometry as a WKT column, no CRS */
    write_three(f, path, NULL);
    csv_nulls = 1;
    check_three(f, path, NULL, 3);
    csv_nulls = 0;
}

/* An empty zone (a side that withdraws 0 m) is still a feature with its attributes. */
static void test_empty_geometries(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    GEOSGeometry *empty = support_wkt(ctx, "MULTIPOLYGON EMPTY"),
                 *line = support_wkt(ctx, LINE_WKT);
    static const char *const names[] = {"e.geojson", "e.gpkg", "e.kml", "e.shp"};
    static const char *const reads[] = {"e.geojson", "e.gpkg", "e.kml", "e_polygons.shp"};
    for (size_t k = 0; k < 4; k++) {
        char path[256];
        support_dir_path(path, sizeof path, f, names[k]);
        bz_writer *w = NULL;
        assert_int_equal(bz_writer_open(&w, ctx, path, NULL), BZ_OK);
        bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;
        a.kind = "zone";
        a.distance_m = 0.0;
        assert_int_equal(bz_writer_add(w, empty, &a), BZ_OK);
        a.kind = "withdrawal_line";
        assert_int_equal(bz_writer_add(w, line, &a), BZ_OK);
        assert_int_equal(bz_writer_commit(w), BZ_OK);
        support_dir_path(path, sizeof path, f, reads[k]);
        support_assert_ogrinfo_clean(path);
        bz_features *fs = NULL;
        assert_int_equal(bz_read_features(&fs, ctx, path, NULL), BZ_OK);
        size_t zone = find_kind(fs, "zone");
        const GEOSGeometry *g = bz_features_geometry(fs, zone);
        assert_true(g == NULL || GEOSisEmpty_r(bz_context_geos(ctx), g) == 1);
        assert_true(attr_number(fs, zone, "distance_m") == 0.0);
        bz_features_free(fs);
    }
    /* FlatGeobuf would drop such a feature without a word: refused, nothing written. */
    char path[256];
    support_dir_path(path, sizeof path, f, "e.fgb");
    bz_writer *w = NULL;
    assert_int_equal(bz_writer_open(&w, ctx, path, NULL), BZ_OK);
    assert_int_equal(bz_writer_add(w, empty, NULL), BZ_ERR_TYPE);
    assert_non_null(strstr(bz_errmsg(ctx), "FlatGeobuf"));
    assert_int_equal(bz_writer_commit(w), BZ_ERR_TYPE);
    assert_false(support_exists(path));
    bz_geometry_free(ctx, empty);
    bz_geometry_free(ctx, line);
}

static void test_roundtrip_named_driver(void **state)
{
    fixture *f = *state;
    char path[256];
    /* No telling extension: the driver is named in the options. */
    support_dir_path(path, sizeof path, f, "result.data");
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.format = "GeoJSON";
    write_three(f, path, &o);
    check_three(f, path, NULL, 3);
    /* Unknown extension without a format, and an unknown driver, are argument errors. */
    bz_writer *w = NULL;
    support_dir_path(path, sizeof path, f, "result.xyz");
    assert_int_equal(bz_writer_open(&w, f->ctx, path, NULL), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(f->ctx), "result.xyz"));
    o.format = "NoSuchDriver";
    assert_int_equal(bz_writer_open(&w, f->ctx, path, &o), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(f->ctx), "NoSuchDriver"));
    assert_null(w);
}

static void test_antimeridian_split(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    char path[256];
    support_dir_path(path, sizeof path, f, "dateline.geojson");
    /* An unwrapped line and box crossing 180°E, as a contact line near Chukotka would. */
    GEOSGeometry *line = support_wkt(ctx, "LINESTRING (179.5 65, 180.5 65.5)");
    GEOSGeometry *box = support_wkt(ctx, "POLYGON ((179 64, 181 64, 181 66, 179 66, 179 64))");
    bz_writer *w = NULL;
    assert_int_equal(bz_writer_open(&w, ctx, path, NULL), BZ_OK);
    bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;
    a.kind = "contact_line";
    assert_int_equal(bz_writer_add(w, line, &a), BZ_OK);
    a.kind = "zone";
    assert_int_equal(bz_writer_add(w, box, &a), BZ_OK);
    assert_int_equal(bz_writer_commit(w), BZ_OK);
    bz_features *fs = NULL;
    assert_int_equal(bz_read_features(&fs, ctx, path, NULL), BZ_OK);
    const GEOSGeometry *l = bz_features_geometry(fs, find_kind(fs, "contact_line"));
    assert_int_equal(GEOSGetNumGeometries_r(h, l), 2);
    double xy[32];
    size_t n = coords_of(h, l, xy, 16);
    assert_int_equal(n, 4);
    /* Direction kept: east from 179.5 to 180, then from -180 on to -179.5. */
    assert_true(fabs(xy[0] - 179.5) < TOL && fabs(xy[1] - 65.0) < TOL);
    assert_true(fabs(xy[2] - 180.0) < TOL && fabs(xy[3] - 65.25) < TOL);
    assert_true(fabs(xy[4] + 180.0) < TOL && fabs(xy[5] - 65.25) < TOL);
    assert_true(fabs(xy[6] + 179.5) < TOL && fabs(xy[7] - 65.5) < TOL);
    const GEOSGeometry *z = bz_features_geometry(fs, find_kind(fs, "zone"));
    assert_int_equal(GEOSGetNumGeometries_r(h, z), 2);
    double xmin, xmax;
    GEOSGeom_getXMin_r(h, z, &xmin);
    GEOSGeom_getXMax_r(h, z, &xmax);
    assert_true(xmin >= -180.0 && xmax <= 180.0);
    /* Nothing lost: the halves have the area of the box with its new nodes at 180°. */
    static const double noded[] = {179, 64, 180, 64, 181, 64, 181, 66, 180, 66, 179, 66};
    double whole = truth_ring_lonlat_area(noded, 6), halves = 0;
    assert_int_equal(bz_geodesic_area(&halves, ctx, z), BZ_OK);
    assert_true(fabs(whole - halves) < 1e-6 * whole);
    bz_features_free(fs);
    /* Read back as a contact line, the two pieces are one part again (unwrapped). */
    bz_line *again = NULL;
    bz_read_options ro = BZ_READ_OPTIONS_INIT;
    ro.where = "kind = 'contact_line'";
    assert_int_equal(bz_read_line(&again, ctx, path, &ro), BZ_OK);
    assert_int_equal(bz_line_num_parts(again), 1);
    const double *c = bz_line_part_coords(again, 0, &n);
    assert_int_equal(n, 3);
    assert_true(fabs(c[0] - 179.5) < TOL && fabs(c[4] - 180.5) < TOL);
    bz_line_free(again);
    bz_geometry_free(ctx, line);
    bz_geometry_free(ctx, box);
}

/* GeoJSON keeps 7 decimals: a valid polygon whose notch comes within 4e-8° (4 mm) of its own
 * bottom edge would touch it once rounded, and a GIS would read an invalid polygon. The writer
 * snaps such a polygon to the written grid; the file reads back valid, with the same area. */
static void test_geojson_rounding_keeps_polygons_valid(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    char path[256];
    support_dir_path(path, sizeof path, f, "rounding.geojson");
    const char *notched = "POLYGON ((30 50, 31 50, 31 51, 30.6 51, 30.5 50.00000004, "
                          "30.4 51, 30 51, 30 50))";
    /* the premise: this polygon is valid, and the same rounded to 7 decimals is not */
    GEOSGeometry *g = support_wkt(ctx, notched);
    GEOSGeometry *naive = support_wkt(ctx, "POLYGON ((30 50, 31 50, 31 51, 30.6 51, 30.5 50, "
                                           "30.4 51, 30 51, 30 50))");
    assert_int_equal(GEOSisValid_r(h, g), 1);
    assert_int_equal(GEOSisValid_r(h, naive), 0);
    bz_geometry_free(ctx, naive);

    bz_writer *w = NULL;
    assert_int_equal(bz_writer_open(&w, ctx, path, NULL), BZ_OK);
    bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;
    a.kind = "zone";
    assert_int_equal(bz_writer_add(w, g, &a), BZ_OK);
    /* a polygon that stays valid is written as it is (exact 7-decimal coordinates) */
    GEOSGeometry *plain = support_wkt(ctx, "POLYGON ((32 50, 32.1234567 50, 32 50.5, 32 50))");
    a.kind = "ground";
    assert_int_equal(bz_writer_add(w, plain, &a), BZ_OK);
    assert_int_equal(bz_writer_commit(w), BZ_OK);

    bz_features *fs = NULL;
    assert_int_equal(bz_read_features(&fs, ctx, path, NULL), BZ_OK);
    const GEOSGeometry *back = bz_features_geometry(fs, find_kind(fs, "zone"));
    assert_int_equal(GEOSisValid_r(h, back), 1);
    double before = 0, after = 0;
    /* edges read straight in lon/lat, as the zone functions read them: the snapped polygon
     * has a new node on its 1° bottom edge, which a geodesic reading would move */
    assert_int_equal(bz_intersection_area(&before, ctx, g, g), BZ_OK);
    assert_int_equal(bz_intersection_area(&after, ctx, back, back), BZ_OK);
    /* each vertex moves at most half a grid cell's diagonal (7.9 mm): the boundary sweeps at
     * most its length times that */
    double perimeter = 0;
    assert_int_equal(bz_geodesic_length(&perimeter, ctx, g), BZ_OK);
    assert_true(fabs(after - before) <= perimeter * 0.0079);
    assert_true(fabs(after - before) > 0.0); /* the snapped polygon was written, not g */
    const GEOSGeometry *same = bz_features_geometry(fs, find_kind(fs, "ground"));
    GEOSGeometry *n1 = GEOSGeom_clone_r(h, plain), *n2 = GEOSGeom_clone_r(h, same);
    GEOSNormalize_r(h, n1);
    GEOSNormalize_r(h, n2);
    assert_int_equal(GEOSEqualsExact_r(h, n1, n2, 0.0), 1);
    GEOSGeom_destroy_r(h, n1);
    GEOSGeom_destroy_r(h, n2);
    bz_features_free(fs);
    bz_geometry_free(ctx, plain);
    bz_geometry_free(ctx, g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip_geojson, setup, teardown),
        cmocka_unit_test_setup_teardown(test_geojson_rfc7946, setup, teardown),
        cmocka_unit_test_setup_teardown(test_geojson_side_colours, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_shapefile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_gpkg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_flatgeobuf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_kml, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zones_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zones_write_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_geometries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_named_driver, setup, teardown),
        cmocka_unit_test_setup_teardown(test_antimeridian_split, setup, teardown),
        cmocka_unit_test_setup_teardown(test_geojson_rounding_keeps_polygons_valid, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

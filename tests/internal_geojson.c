/* internal_geojson.c — the GeoJSON fast path of bz_read_line / bz_read_polygon
 * (io/geojson_read.c) against the GDAL path as independent truth: every file is read both ways
 * (the GDAL path forced through bzi_read_options_routed) and the outcomes must be identical —
 * the same status, the same message on failure (and the same error state after a success), and
 * on success the same geometry to the bit (GEOSEqualsExact with tolerance 0 and identical WKB).
 *
 * Files: every .geojson/.json in examples/data and tests/ (tests/bad_input included), with
 * $BZ_SHARED_DATA the team's boundaries, front lines and held-out data, and hand-written
 * cases: ordinary ones the fast path must take, unusual ones it must leave to GDAL (CRS, NaN,
 * GeometryCollection, trailing commas, unclosed rings, ids, escapes, top-level shapes, ...).
 * That the fast path is taken at all is asserted too, so that an implementation that always
 * gives up fails. */
#include "io/geojson_read.h"

#include <dirent.h>
#include <geos_c.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "support.h"

enum { LINE, POLYGON };
/* What a case expects of the fast path for one kind of reading. */
enum { EITHER = 0, FAST, GDAL };

static char tmpdir[64];

typedef struct outcome {
    int status;
    char msg[BZI_ERRMSG_SIZE];
    GEOSGeometry *geom;
    unsigned char *wkb;
    size_t wkb_size;
    int took_fast_path;
    const char *gave_up;
} outcome;

static void outcome_free(bz_context *ctx, outcome *o)
{
    bz_geometry_free(ctx, o->geom);
    bz_free(o->wkb);
}

/* Read `path` once, by the fast path if it takes it (gdal_only 0) or by GDAL (1). */
static void read_once(bz_context *ctx, const char *path, int kind, const bz_read_options *opts,
                      int gdal_only, outcome *o)
{
    memset(o, 0, sizeof *o);
    bz_read_options base = BZ_READ_OPTIONS_INIT;
    bzi_read_options_routed routed = {.base = opts ? *opts : base,
                                      .gdal_only = gdal_only,
                                      .took_fast_path = &o->took_fast_path,
                                      .gave_up = &o->gave_up};
    routed.base.version = BZI_READ_OPTIONS_ROUTED;
    /* A known error first: a success must leave it as it was, whichever path read. */
    assert_int_equal(bz_read_line(NULL, ctx, NULL, NULL), BZ_ERR_ARGUMENT);
    if (kind == POLYGON) {
        o->status = bz_read_polygon(&o->geom, ctx, path, &routed.base);
    } else {
        bz_line *line = NULL;
        o->status = bz_read_line(&line, ctx, path, &routed.base);
        if (o->status == BZ_OK) {
            o->geom = GEOSGeom_clone_r(bz_context_geos(ctx), bz_line_geometry(line));
            assert_non_null(o->geom);
        } else {
            assert_null(line);
        }
        bz_line_free(line);
    }
    snprintf(o->msg, sizeof o->msg, "%s", bz_errmsg(ctx));
    if (o->status == BZ_OK)
        assert_int_equal(bz_geometry_to_wkb(&o->wkb, &o->wkb_size, ctx, o->geom), BZ_OK);
}

/* Read `path` both ways and require identical outcomes; returns 1 if the fast path was taken.
 * *status (if not NULL) receives the common status. */
static int compare_status(bz_context *ctx, const char *path, int kind, const bz_read_options *opts,
                          int *status)
{
    outcome gdal, fast;
    read_once(ctx, path, kind, opts, 1, &gdal);
    read_once(ctx, path, kind, opts, 0, &fast);
    const char *what = kind == POLYGON ? "bz_read_polygon" : "bz_read_line";
    assert_int_equal(gdal.took_fast_path, 0);
    if (fast.status != gdal.status || strcmp(fast.msg, gdal.msg) != 0)
        fail_msg("%s(%s): fast path (taken %d, gave up: %s) gave %s \"%s\", GDAL %s \"%s\"", what,
                 path, fast.took_fast_path, fast.gave_up, bz_status_string(fast.status), fast.msg,
                 bz_status_string(gdal.status), gdal.msg);
    if (gdal.status == BZ_OK) {
        GEOSContextHandle_t h = bz_context_geos(ctx);
        if (GEOSEqualsExact_r(h, fast.geom, gdal.geom, 0.0) != 1 ||
            fast.wkb_size != gdal.wkb_size || memcmp(fast.wkb, gdal.wkb, gdal.wkb_size) != 0)
            fail_msg("%s(%s): the fast path's geometry differs from GDAL's", what, path);
    }
    int took = fast.took_fast_path;
    if (status)
        *status = gdal.status;
    printf("  %-16s %-60s %-14s %s\n", what, strrchr(path, '/') ? strrchr(path, '/') + 1 : path,
           bz_status_string(gdal.status), took ? "fast" : fast.gave_up);
    outcome_free(ctx, &gdal);
    outcome_free(ctx, &fast);
    return took;
}

static int compare(bz_context *ctx, const char *path, int kind, const bz_read_options *opts)
{
    return compare_status(ctx, path, kind, opts, NULL);
}

static int is_geojson_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 8 && strcasecmp(name + n - 8, ".geojson") == 0) ||
           (n > 5 && strcasecmp(name + n - 5, ".json") == 0);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Compare both readings of every GeoJSON file in `dir` (and its subdirectories if `deep`);
 * returns how many files were compared. */
static int compare_dir(bz_context *ctx, const char *dir, int deep)
{
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s", dir);
    char *names[512];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 512)
        if (e->d_name[0] != '.')
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (deep)
                count += compare_dir(ctx, path, deep);
        } else if (is_geojson_name(names[i])) {
            compare(ctx, path, LINE, NULL);
            compare(ctx, path, POLYGON, NULL);
            count++;
        }
        free(names[i]);
    }
    return count;
}

static const char *source_root(void)
{
    const char *root = getenv("BZ_SOURCE_ROOT");
    return root ? root : ".";
}

/* ---- the project's files ------------------------------------------------------------------ */

static void project_files(void **state)
{
    bz_context *ctx = *state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/examples/data", source_root());
    assert_true(compare_dir(ctx, dir, 0) >= 6);
    snprintf(dir, sizeof dir, "%s/tests", source_root());
    assert_true(compare_dir(ctx, dir, 1) >= 25); /* tests/bad_input and whatever else */
}

/* The plain sample files are exactly what the fast path is for. */
static void project_files_take_the_fast_path(void **state)
{
    bz_context *ctx = *state;
    static const struct {
        const char *file;
        int kind;
    } plain[] = {{"donbas_contact_line_2015.geojson", LINE},
                 {"korea_mdl_lsib.geojson", LINE},
                 {"ukraine_outline.geojson", POLYGON},
                 {"korea_outline.geojson", POLYGON},
                 {"donbas_breakaway_2015.geojson", POLYGON}};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/examples/data/%s", source_root(), plain[i].file);
        if (!compare(ctx, path, plain[i].kind, NULL))
            fail_msg("the fast path did not read %s", path);
    }
}

/* ---- the team's data ---------------------------------------------------------------------- */

/* Under valgrind (CI's memcheck run) the real maps would take many minutes: the hand-written
 * cases and the project's files exercise the same code there. */
static int under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p && strstr(p, "vgpreload");
}

static void shared_data(void **state)
{
    bz_context *ctx = *state;
    const char *data = getenv("BZ_SHARED_DATA");
    struct stat st;
    if (!data || stat(data, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("BZ_SHARED_DATA unset or missing: skipping the team's data\n");
        skip();
    }
    if (under_valgrind()) {
        printf("under valgrind: skipping the team's data\n");
        skip();
    }
    static const char *const dirs[] = {"boundaries", "frontline", "heldout"};
    int count = 0;
    for (size_t i = 0; i < 3; i++) {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/%s", data, dirs[i]);
        if (stat(dir, &st) == 0)
            count += compare_dir(ctx, dir, 1);
    }
    assert_true(count > 0);
    /* The benchmark's region and the plain line files must be read without GDAL. */
    static const struct {
        const char *file;
        int kind;
    } plain[] = {{"boundaries/ukraine_oblasts_minregion_2020.geojson", POLYGON},
                 {"boundaries/ne_10m_admin_0_boundary_lines_land.geojson", LINE},
                 {"heldout/korea_dmz_lsib.geojson", LINE}};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", data, plain[i].file);
        if (stat(path, &st) != 0)
            continue;
        if (!compare(ctx, path, plain[i].kind, NULL))
            fail_msg("the fast path did not read %s", path);
    }
}

/* ---- hand-written cases ------------------------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* Write `text` as tmpdir/name, compare both readings of both kinds, and check what the fast
 * path did against the expectations (EITHER, FAST, GDAL). A FAST reading must also succeed, so
 * that its geometry is compared. */
static void check_case(bz_context *ctx, const char *name, const char *text, int line_expect,
                       int polygon_expect, const bz_read_options *opts)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    write_file(path, text);
    const int expect[2] = {line_expect, polygon_expect};
    for (int kind = LINE; kind <= POLYGON; kind++) {
        int status = BZ_OK;
        int took = compare_status(ctx, path, kind, opts, &status);
        if (expect[kind] == FAST && status != BZ_OK)
            fail_msg("%s (%s): %s", name, kind == LINE ? "line" : "polygon", bz_errmsg(ctx));
        if (expect[kind] == FAST && !took)
            fail_msg("%s (%s): the fast path should read it", name,
                     kind == LINE ? "line" : "polygon");
        if (expect[kind] == GDAL && took)
            fail_msg("%s (%s): the fast path should leave it to GDAL", name,
                     kind == LINE ? "line" : "polygon");
    }
    remove(path);
}

#define FC(features) "{\"type\": \"FeatureCollection\", \"features\": [" features "]}"
#define FEATURE(geometry) "{\"type\": \"Feature\", \"properties\": {}, \"geometry\": " geometry "}"
#define LINE_GEOM(coords) "{\"type\": \"LineString\", \"coordinates\": " coords "}"
#define L1 "[[37.5, 48.0], [37.8, 48.2], [38.1, 48.1]]"
#define L2 "[[36.0, 47.0], [36.3, 47.2], [36.6, 47.1]]"
#define P1 "[[[36, 48], [37, 48], [37, 49], [36, 49], [36, 48]]]"
#define P2 "[[[38, 48], [39, 48], [39, 49], [38, 49], [38, 48]]]"
#define HOLE "[[36.2, 48.2], [36.2, 48.4], [36.4, 48.4], [36.4, 48.2], [36.2, 48.2]]"

static void ordinary_cases(void **state)
{
    bz_context *ctx = *state;
    check_case(ctx, "line.geojson", FC(FEATURE(LINE_GEOM(L1))), FAST, GDAL, NULL);
    check_case(ctx, "polygon.geojson",
               FC(FEATURE("{\"type\": \"Polygon\", \"coordinates\": " P1 "}")), GDAL, FAST, NULL);
    check_case(ctx, "holes_and_multi.geojson",
               FC(FEATURE("{\"type\": \"Polygon\", \"coordinates\": [[[36, 48], [37, 48], [37, "
                          "49], [36, 49], [36, 48]], " HOLE
                          "]}") ", " FEATURE("{\"type\": \"MultiPolygon\", \"coordinates\": [" P2
                                             ", [[[40, 48], [41, 48], "
                                             "[41, 49], [40, 48]]]]}")),
               GDAL, FAST, NULL);
    check_case(ctx, "multiline.geojson",
               FC(FEATURE("{\"type\": \"MultiLineString\", \"coordinates\": [" L1 ", " L2 "]}")),
               FAST, GDAL, NULL);
    check_case(ctx, "two_features.geojson", FC(FEATURE(LINE_GEOM(L1)) ",\n" FEATURE(LINE_GEOM(L2))),
               FAST, GDAL, NULL);
    check_case(ctx, "z.geojson",
               FC(FEATURE(LINE_GEOM("[[37.5, 48.0, 100], [37.8, 48.2, 0], [38.1, 48.1, -3.5]]"))),
               FAST, GDAL, NULL);
    check_case(ctx, "zm.geojson",
               FC(FEATURE(LINE_GEOM("[[37.5, 48.0, 1, 2], [37.8, 48.2, 0, 0], [38.1, 48.1, 5, "
                                    "6, 7]]"))),
               FAST, GDAL, NULL);
    check_case(ctx, "mixed_dimensions.geojson",
               FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, 48.2, 7], [38.1, 48.1]]"))), FAST, GDAL,
               NULL);
    /* null and missing geometries are features without geometry, for GDAL and for us */
    check_case(ctx, "null_geometry.geojson",
               FC("{\"type\": \"Feature\", \"properties\": {\"a\": 1}, \"geometry\": null}, "
                  "{\"type\": \"Feature\", \"properties\": {}}, " FEATURE(LINE_GEOM(L1))),
               FAST, GDAL, NULL);
    check_case(ctx, "properties_null_or_missing.geojson",
               FC("{\"type\": \"Feature\", \"properties\": null, \"geometry\": " LINE_GEOM(
                   L1) "}, {\"geometry\": " LINE_GEOM(L2) ", \"type\": \"Feature\"}"),
               FAST, GDAL, NULL);
    check_case(ctx, "ids_are_indices.geojson",
               FC("{\"type\": \"Feature\", \"id\": 0, \"properties\": {}, \"geometry\": " LINE_GEOM(
                   L1) "}, {\"type\": \"Feature\", \"id\": 1, \"properties\": {}, \"geometry\": "
                       "" LINE_GEOM(L2) "}"),
               FAST, GDAL, NULL);
    check_case(ctx, "name_and_bbox.geojson",
               "{\"type\": \"FeatureCollection\", \"name\": \"front\", \"bbox\": [36, 47, 39, "
               "49], \"features\": [{\"type\": \"Feature\", \"bbox\": [37.5, 48, 38.1, 48.2], "
               "\"properties\": {\"name\": \"x\"}, \"geometry\": {\"type\": \"LineString\", "
               "\"bbox\": [37.5, 48, 38.1, 48.2], \"coordinates\": " L1 "}}]}",
               FAST, GDAL, NULL);
    check_case(ctx, "compact.geojson",
               "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
               "\"properties\":{},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[37.5,48],"
               "[37.8,48.2],[38.1,48.1]]}}]}",
               FAST, GDAL, NULL);
    check_case(ctx, "whitespace.geojson",
               "\r\n\t {\r\n\t\"type\"\t:\r\n\"FeatureCollection\" ,\n\n\"features\" : [ \t{ "
               "\"type\" : \"Feature\" , \"properties\" : { \"a\" : [ 1 , 2 ] } , \"geometry\" "
               ": { \"type\" : \"LineString\" , \"coordinates\" : [ [ 37.5 , 48.0 ] ,\r\n [ "
               "37.8\t,\t48.2 ] , [38.1,48.1]\n] } } ] }\r\n\r\n   \t",
               FAST, GDAL, NULL);
    /* properties: escapes (also \u and a surrogate pair), raw UTF-8, nesting, every JSON type */
    check_case(ctx, "escaped_properties.geojson",
               FC("{\"type\": \"Feature\", \"properties\": {\"name\": "
                  "\"\\u0414\\u043e\\u043d\\u0431\\u0430\\u0441 \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t "
                  "\\ud83d\\ude00\", \"raw\": \"\xd0\x94\xd0\xbe\xd0\xbd\xd0\xb1\xd0\xb0\xd1\x81 "
                  "\xe2\x82\xac \xf0\x9f\x98\x80\", \"nested\": {\"a\": [1, -2.5e-3, {\"b\": "
                  "[[], {}, \"\"]}], \"c\": {\"d\": {\"e\": [true, false, null]}}}, "
                  "\"big\": 123456789012345678901234567890, \"neg\": -0, \"exp\": 1E+300, "
                  "\"\\u00e9\": \"x\", \"\": \"empty key\"}, \"geometry\": " LINE_GEOM(L1) "}"),
               FAST, GDAL, NULL);
    /* a top-level bare geometry and a top-level Feature: one feature, FID 0 */
    check_case(ctx, "bare_line.geojson", LINE_GEOM(L1), FAST, GDAL, NULL);
    check_case(ctx, "bare_multipolygon.geojson",
               "{\"type\": \"MultiPolygon\", \"coordinates\": [" P1 ", " P2 "]}", GDAL, FAST, NULL);
    check_case(ctx, "feature.geojson", FEATURE(LINE_GEOM(L1)), FAST, GDAL, NULL);
    check_case(ctx, "feature_id_0.geojson",
               "{\"type\": \"Feature\", \"id\": 0, \"geometry\": " LINE_GEOM(L1) "}", FAST, GDAL,
               NULL);
    /* numbers: integers (GDAL reads them as int64, so -0 is +0), -0.0, exponents, many digits */
    check_case(ctx, "numbers.geojson",
               FC(FEATURE(LINE_GEOM(
                   "[[-0, -0.0], [0.000375e0, 1E1], [0.1, 0.2], [0.30000000000000004, "
                   "2.2250738585072014e-308], [1, 5e-324], [2, -0], [3.0, -1.5e-320], [37, 48], "
                   "[37.123456789012345678901234567890, 48.1], [375e-1, 4.8e+1], "
                   "[0.0000376e6, 47.99999999999999999999], [38, 48.00000000000000000001], "
                   "[38.50000000000000000000001, 48.2], [100.5e0, 60.25E-0], "
                   "[179.99999999999999, 61]]"))),
               FAST, GDAL, NULL);
    check_case(ctx, "upper_case_extension.GEOJSON", FC(FEATURE(LINE_GEOM(L1))), FAST, GDAL, NULL);
    check_case(ctx, "plain.json", FC(FEATURE(LINE_GEOM(L1))), FAST, GDAL, NULL);
    char deep[2048] = "";
    for (int i = 0; i < 10; i++)
        strcat(deep, "{\"a\": [");
    for (int i = 0; i < 10; i++)
        strcat(deep, "]}");
    char text[4096];
    snprintf(text, sizeof text,
             FC("{\"type\": \"Feature\", \"properties\": {\"deep\": %s}, \"geometry\": " LINE_GEOM(
                 L1) "}"),
             deep);
    check_case(ctx, "nested_10.geojson", text, FAST, GDAL, NULL);
}

/* Options: an empty filter is no filter; a filter, a layer or make_valid go their own ways. */
static void options_cases(void **state)
{
    bz_context *ctx = *state;
    bz_read_options o = BZ_READ_OPTIONS_INIT;
    o.where = "";
    check_case(ctx, "empty_filter.geojson", FC(FEATURE(LINE_GEOM(L1))), FAST, GDAL, &o);
    o.where = "name = 'a'";
    check_case(
        ctx, "filter.geojson",
        FC("{\"type\": \"Feature\", \"properties\": {\"name\": \"a\"}, \"geometry\": " LINE_GEOM(
            L1) "}, {\"type\": \"Feature\", \"properties\": {\"name\": \"b\"}, "
                "\"geometry\": " LINE_GEOM(L2) "}"),
        GDAL, GDAL, &o);
    o.where = NULL;
    o.layer = "layer";
    check_case(ctx, "layer.geojson", FC(FEATURE(LINE_GEOM(L1))), GDAL, GDAL, &o);
    o.layer = NULL;
    /* an invalid polygon: the collector repairs it (make_valid) on either path, or fails (the
     * fast path gives up and GDAL's path reports it) */
    const char *bowtie =
        FC(FEATURE("{\"type\": \"Polygon\", \"coordinates\": [[[36, 48], [37, 49], [37, 48], "
                   "[36, 49], [36, 48]]]}"));
    check_case(ctx, "bowtie.geojson", bowtie, GDAL, GDAL, NULL);
    o.make_valid = 1;
    check_case(ctx, "bowtie_make_valid.geojson", bowtie, GDAL, FAST, &o);
}

/* What the fast path must leave to GDAL: each read both ways, outcomes identical. */
static void unusual_cases(void **state)
{
    bz_context *ctx = *state;
    static const struct {
        const char *name, *text;
    } cases[] = {
        {"crs.geojson",
         "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\": "
         "{\"name\": \"urn:ogc:def:crs:OGC:1.3:CRS84\"}}, \"features\": [" FEATURE(
             LINE_GEOM(L1)) "]}"},
        {"crs_projected.geojson",
         "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\": "
         "{\"name\": \"EPSG:3857\"}}, \"features\": [" FEATURE(
             LINE_GEOM("[[4180000, 6100000], [4200000, 6120000]]")) "]}"},
        {"crs_in_geometry.geojson",
         FC(FEATURE("{\"type\": \"LineString\", \"crs\": {\"type\": \"name\", \"properties\": "
                    "{\"name\": \"EPSG:4326\"}}, \"coordinates\": " L1 "}"))},
        {"crs_in_properties.geojson",
         FC("{\"type\": \"Feature\", \"properties\": {\"crs\": \"none\"}, \"geometry\": " LINE_GEOM(
             L1) "}")},
        {"nan.geojson", FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [NaN, 48.2], [38.1, 48.1]]")))},
        {"infinity.geojson",
         FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, -Infinity], [38.1, 48.1]]")))},
        {"huge_exponent.geojson", FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [1e400, 48.2]]")))},
        {"geometry_collection.geojson",
         FC(FEATURE("{\"type\": \"GeometryCollection\", \"geometries\": [" LINE_GEOM(L1) "]}"))},
        {"point.geojson", FC(FEATURE("{\"type\": \"Point\", \"coordinates\": [37.5, 48]}"))},
        {"trailing_comma.geojson", FC(FEATURE(LINE_GEOM(L1)) ",")},
        {"trailing_comma_in_coordinates.geojson",
         FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, 48.2],]")))},
        {"trailing_comma_in_properties.geojson",
         FC("{\"type\": \"Feature\", \"properties\": {\"a\": 1,}, \"geometry\": " LINE_GEOM(
             L1) "}")},
        {"comment.geojson", "/* a comment */ " FC(FEATURE(LINE_GEOM(L1)))},
        {"single_quotes.geojson",
         FC("{\"type\": \"Feature\", \"properties\": {'a': 1}, \"geometry\": " LINE_GEOM(L1) "}")},
        {"unclosed_ring.geojson",
         FC(FEATURE("{\"type\": \"Polygon\", \"coordinates\": [[[36, 48], [37, 48], [37, 49], "
                    "[36, 49]]]}"))},
        {"three_point_ring.geojson",
         FC(FEATURE("{\"type\": \"Polygon\", \"coordinates\": [[[36, 48], [37, 48], [36, "
                    "48]]]}"))},
        {"one_point_line.geojson", FC(FEATURE(LINE_GEOM("[[37.5, 48.0]]")))},
        {"empty_coordinates.geojson", FC(FEATURE(LINE_GEOM("[]")))},
        {"empty_ring.geojson", FC(FEATURE("{\"type\": \"Polygon\", \"coordinates\": [[]]}"))},
        {"one_number_position.geojson", FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8]]")))},
        {"string_coordinate.geojson", FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, \"48\"]]")))},
        {"string_z.geojson", FC(FEATURE(LINE_GEOM("[[37.5, 48.0, \"up\"], [37.8, 48.2]]")))},
        {"nested_wrongly.geojson", FC(FEATURE(LINE_GEOM("[[[37.5, 48.0], [37.8, 48.2]]]")))},
        {"ids_not_indices.geojson",
         FC("{\"type\": \"Feature\", \"id\": 5, \"properties\": {}, \"geometry\": " LINE_GEOM(
             L1) "}, {\"type\": \"Feature\", \"id\": 7, \"properties\": {}, \"geometry\": "
                 "" LINE_GEOM(L2) "}")},
        {"id_string.geojson",
         FC("{\"type\": \"Feature\", \"id\": \"a\", \"properties\": {}, \"geometry\": " LINE_GEOM(
             L1) "}")},
        {"id_float.geojson",
         FC("{\"type\": \"Feature\", \"id\": 0.5, \"properties\": {}, \"geometry\": " LINE_GEOM(
             L1) "}")},
        {"ids_some.geojson",
         FC("{\"type\": \"Feature\", \"id\": 0, \"properties\": {}, \"geometry\": " LINE_GEOM(
             L1) "}, " FEATURE(LINE_GEOM(L2)))},
        {"feature_id_9.geojson",
         "{\"type\": \"Feature\", \"id\": 9, \"geometry\": " LINE_GEOM(L1) "}"},
        {"coordinates_before_type.geojson",
         FC(FEATURE("{\"coordinates\": " L1 ", \"type\": \"LineString\"}"))},
        {"type_not_first.geojson",
         "{\"features\": [" FEATURE(LINE_GEOM(L1)) "], \"type\": \"FeatureCollection\"}"},
        {"lower_case_type.geojson",
         FC(FEATURE("{\"type\": \"linestring\", \"coordinates\": " L1 "}"))},
        {"unknown_collection_member.geojson",
         "{\"type\": \"FeatureCollection\", \"metadata\": {}, \"features\": [" FEATURE(
             LINE_GEOM(L1)) "]}"},
        {"unknown_feature_member.geojson",
         FC("{\"type\": \"Feature\", \"title\": \"x\", \"properties\": {}, "
            "\"geometry\": " LINE_GEOM(L1) "}")},
        {"duplicated_geometry.geojson",
         FC("{\"type\": \"Feature\", \"properties\": {}, \"geometry\": " LINE_GEOM(
             L1) ", \"geometry\": " LINE_GEOM(L2) "}")},
        {"duplicated_coordinates.geojson",
         FC(FEATURE("{\"type\": \"LineString\", \"coordinates\": " L1 ", \"coordinates\": " L2
                    "}"))},
        {"escaped_member_name.geojson",
         FC("{\"type\": \"Feature\", \"properties\": {}, \"geo\\u006detry\": " LINE_GEOM(L1) "}")},
        {"escaped_type.geojson",
         FC(FEATURE("{\"type\": \"Line\\u0053tring\", \"coordinates\": " L1 "}"))},
        {"longitude_200.geojson",
         FC(FEATURE(LINE_GEOM("[[179.5, 60.0], [200.0, 60.0], [200.5, 60.1]]")))},
        {"latitude_100.geojson", FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, 100.0]]")))},
        {"big_integer.geojson",
         FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [12345678901234567890123, 48.2]]")))},
        {"bom.geojson", "\xef\xbb\xbf" FC(FEATURE(LINE_GEOM(L1)))},
        {"two_values.geojson", FC(FEATURE(LINE_GEOM(L1))) "\n" FC(FEATURE(LINE_GEOM(L2)))},
        {"sequence.geojson", FEATURE(LINE_GEOM(L1)) "\n" FEATURE(LINE_GEOM(L2)) "\n"},
        {"json_fg_time.geojson",
         FC("{\"type\": \"Feature\", \"time\": {\"date\": \"2022-02-24\"}, \"properties\": {}, "
            "\"geometry\": " LINE_GEOM(L1) "}")},
        {"json_fg_place_in_properties.geojson",
         FC("{\"type\": \"Feature\", \"properties\": {\"place\": {\"type\": \"Point\"}}, "
            "\"geometry\": " LINE_GEOM(L1) "}")},
        {"topology_word.geojson",
         FC("{\"type\": \"Feature\", \"properties\": {\"type\": \"Topology\"}, \"geometry\": "
            "" LINE_GEOM(L1) "}")},
        {"esri_word.geojson",
         FC("{\"type\": \"Feature\", \"properties\": {\"g\": \"esriGeometryPolyline\"}, "
            "\"geometry\": " LINE_GEOM(L1) "}")},
        {"invalid_utf8.geojson", FC("{\"type\": \"Feature\", \"properties\": {\"a\": "
                                    "\"\xff\xfe\"}, \"geometry\": " LINE_GEOM(L1) "}")},
        {"overlong_utf8.geojson", FC("{\"type\": \"Feature\", \"properties\": {\"a\": "
                                     "\"\xc0\xaf\"}, \"geometry\": " LINE_GEOM(L1) "}")},
        {"bad_escape.geojson",
         FC("{\"type\": \"Feature\", \"properties\": {\"a\": \"\\x41\"}, \"geometry\": " LINE_GEOM(
             L1) "}")},
        {"ascii_letter_escape.geojson",
         FC("{\"type\": \"Feature\", \"properties\": {\"\\u006eame2\": \"x\"}, "
            "\"geometry\": " LINE_GEOM(L1) "}")},
        {"duplicated_features.geojson",
         "{\"type\": \"FeatureCollection\", \"features\": [" FEATURE(
             LINE_GEOM(L1)) "], \"features\": [" FEATURE(LINE_GEOM(L2)) "]}"},
        {"single_quoted_value.geojson",
         FC("{\"type\": \"Feature\", \"properties\": {\"a\": 'b'}, \"geometry\": " LINE_GEOM(
             L1) "}")},
        {"plus_sign.geojson", FC(FEATURE(LINE_GEOM("[[+37.5, 48.0], [37.8, 48.2]]")))},
        {"bare_point.geojson", "{\"type\": \"Point\", \"coordinates\": [37.5, 48]}"},
        {"no_features.geojson", "{\"type\": \"FeatureCollection\", \"features\": []}"},
        {"only_null_geometries.geojson",
         FC("{\"type\": \"Feature\", \"properties\": {}, \"geometry\": null}")},
        {"feature_type_wrong.geojson",
         FC("{\"type\": \"Geature\", \"properties\": {}, \"geometry\": " LINE_GEOM(L1) "}")},
        {"truncated.geojson", "{\"type\": \"FeatureCollection\", \"features\": [" FEATURE(
                                  LINE_GEOM("[[37.5, 48.0], [37.8, 48.2"))},
        {"not_an_object.geojson", "[" FC(FEATURE(LINE_GEOM(L1))) "]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(ctx, cases[i].name, cases[i].text, GDAL, GDAL, NULL);

    /* Unusual, but json-c reads them as GDAL does (the old hand-written tokenizer gave up on
     * them): either path, the same outcome. */
    static const struct {
        const char *name, *text;
    } lenient[] = {
        {"control_character.geojson", FC("{\"type\": \"Feature\", \"properties\": {\"a\": "
                                         "\"tab\there\"}, \"geometry\": " LINE_GEOM(L1) "}")},
        {"unpaired_surrogate.geojson", FC("{\"type\": \"Feature\", \"properties\": {\"a\": "
                                          "\"\\ud83d x\"}, \"geometry\": " LINE_GEOM(L1) "}")},
        {"leading_zero.geojson", FC(FEATURE(LINE_GEOM("[[037.5, 48.0], [37.8, 48.2]]")))},
    };
    for (size_t i = 0; i < sizeof lenient / sizeof lenient[0]; i++)
        check_case(ctx, lenient[i].name, lenient[i].text, EITHER, EITHER, NULL);

    /* deeper than json-c (32 levels) reads, in the properties */
    char deep[4096] = "";
    for (int i = 0; i < 40; i++)
        strcat(deep, "{\"a\": [");
    for (int i = 0; i < 40; i++)
        strcat(deep, "]}");
    char text[8192];
    snprintf(text, sizeof text,
             FC("{\"type\": \"Feature\", \"properties\": {\"deep\": %s}, \"geometry\": " LINE_GEOM(
                 L1) "}"),
             deep);
    check_case(ctx, "nested_40.geojson", text, GDAL, GDAL, NULL);
}

/* Coordinates in every number format: the fast path's doubles must be GDAL's to the bit, both
 * where GDAL parses numbers with its streaming parser (a FeatureCollection) and where it uses
 * json-c (a top-level geometry). */
static void random_numbers(void **state)
{
    bz_context *ctx = *state;
    static const char *const formats[] = {"%.17g", "%.15g", "%.16g", "%.6f", "%.7f", "%.12e",
                                          "%.3E",  "%.20f", "%.25g", "%.1f", "%.0f"};
    const size_t nformats = sizeof formats / sizeof formats[0];
    const int n = 20000;
    size_t size = (size_t)n * 120 + 512, used = 0;
    char *coordinates = malloc(size), *text = malloc(size);
    assert_non_null(coordinates);
    assert_non_null(text);
    uint64_t seed = 20240824;
    used += (size_t)snprintf(coordinates, size, "[");
    for (int i = 0; i < n; i++) {
        /* x strictly increasing even when printed with few digits (so a valid line) */
        double x = -10.0 + 0.001 * i + 0.0004 * support_random(&seed);
        double y = 44.0 + 8.0 * support_random(&seed);
        char xs[64], ys[64];
        snprintf(xs, sizeof xs, formats[i % 4], x); /* enough digits to stay increasing */
        snprintf(ys, sizeof ys, formats[(size_t)(support_random(&seed) * nformats) % nformats], y);
        used +=
            (size_t)snprintf(coordinates + used, size - used, "%s[%s, %s]", i ? ", " : "", xs, ys);
    }
    snprintf(coordinates + used, size - used, "]");
    snprintf(text, size, "{\"type\": \"LineString\", \"coordinates\": %s}", coordinates);
    check_case(ctx, "random_numbers_bare.geojson", text, FAST, GDAL, NULL);
    snprintf(text, size,
             "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
             "\"properties\": {}, \"geometry\": {\"type\": \"LineString\", \"coordinates\": "
             "%s}}]}",
             coordinates);
    check_case(ctx, "random_numbers_collection.geojson", text, FAST, GDAL, NULL);
    free(coordinates);
    free(text);
}

/* The coordinates are parsed apart from the rest of the text (io/geojson_lift.c): numbers in
 * every form JSON allows, each to the double json-c (and so GDAL) makes of it; "coordinates"
 * elsewhere than in a geometry; arrays that are not coordinates; nesting. */
static void lifted_coordinates_cases(void **state)
{
    bz_context *ctx = *state;
    /* FAST: read without GDAL, to the same bits */
    check_case(ctx, "number_forms.geojson",
               FC(FEATURE(LINE_GEOM("[[37.5, 4.8e1], [3.78E+1, 480e-1, -0], [0.381e2, 48, -0.0], "
                                    "[38.400000000000000000000000001, 48.0000000000000000001], "
                                    "[0, -0], [-0.0, 0.0], [1e-7, 4.8E1, 1e308], "
                                    "[38.5, 48.25, -1e-320], [38.6, 48.3, 123456789012345678], "
                                    "[38.7, 48.35, -12345678901234567], [3.87123456789012345e1, "
                                    "4.83123456789012345678e+1], [38.8, 48.4, 4e-324, 1e22]]"))),
               FAST, GDAL, NULL);
    check_case(ctx, "white_space.geojson",
               FC(FEATURE(LINE_GEOM("[ \t\r\n[ 37.5 ,\n48.0 ] ,[37.8,48.2]\t,\r\n[38.1 , "
                                    "48.1]\n]"))),
               FAST, GDAL, NULL);
    check_case(ctx, "coordinates_in_properties.geojson",
               FC("{\"type\": \"Feature\", \"properties\": {\"coordinates\": [1, [2]], "
                  "\"note\": \"coordinates\", \"b\": \"[\\\"coordinates\\\": [1]\"}, "
                  "\"geometry\": " LINE_GEOM(L1) "}"),
               EITHER, GDAL, NULL);
    check_case(ctx, "coordinates_as_a_value.geojson",
               FC("{\"type\": \"Feature\", \"properties\": {\"name\": \"coordinates\"}, "
                  "\"geometry\": " LINE_GEOM(L2) "}"),
               FAST, GDAL, NULL);
    /* left to GDAL: whatever the lifting cannot read exactly as json-c does */
    static const char *const gdal[] = {
        FC("{\"type\": \"Feature\", \"properties\": {\"coordinates\": \"x\"}, "
           "\"geometry\": " LINE_GEOM(L1) "}"),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, 48.2, 1234567890123456789]]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, 048.2]]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, 48.]]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, .2]]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, 48e]]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, +48]]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, 48.2, 1e999]]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, 48.2, null]]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, 48.2, \"1\"]]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, 48.2, {}]]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], 37.8, 48.2]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, [48.2]]]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0] [37.8, 48.2]]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, 48.2]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8\f, 48.2]]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, 48.2]], \"coordinates\": [[1, 2], [3, 4]]"))),
        FC(FEATURE(LINE_GEOM(
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[37.5, 48.0]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"))),
        FC(FEATURE(LINE_GEOM("[[37.5, 48.0], [37.8, 48.2]]"))) "\"",
    };
    for (size_t i = 0; i < sizeof gdal / sizeof gdal[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "lift_gdal_%zu.geojson", i);
        check_case(ctx, name, gdal[i], GDAL, GDAL, NULL);
    }
}

static int setup(void **state)
{
    if (support_tmpdir_new(tmpdir, sizeof tmpdir, "internal_geojson") != 0)
        return -1;
    return support_context_new(state);
}

static int teardown(void **state)
{
    support_tmpdir_remove(tmpdir);
    return support_context_free(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ordinary_cases),
        cmocka_unit_test(options_cases),
        cmocka_unit_test(unusual_cases),
        cmocka_unit_test(random_numbers),
        cmocka_unit_test(lifted_coordinates_cases),
        cmocka_unit_test(project_files_take_the_fast_path),
        cmocka_unit_test(project_files),
        cmocka_unit_test(shared_data),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

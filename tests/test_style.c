/*
 * test_style.c — QGIS styles written with the outputs (bz_write_options.no_style): the
 * layer_styles table of a GeoPackage, .qml sidecars beside GeoJSON and Shapefile outputs, and
 * their place in the output policy (pre-flight check, all-or-nothing commit, overwrite).
 *
 * GDAL reads the GeoPackage back as an independent reader (OGR SQL on layer_styles). The
 * colours a style names are compared with the simplestyle "fill" / "stroke" properties the
 * same result carries in GeoJSON (read with GEOS-free string search), so QGIS and geojson.io
 * show the same colours; side names come from the names given to bz_zones_write. bz_look_of
 * (the look bz-render draws with) is checked against the same properties.
 */
#include <bufferzone.h>

#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* cmocka.h needs setjmp.h, stdarg.h and stddef.h first */
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#endif
#include <gdal.h>
#include <ogr_api.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#include "support.h"

#define SENTINEL "sentinel: not ours\n"

typedef support_zones_fixture fixture;

static int setup(void **state)
{
    return support_zones_fixture_new(state, "style");
}

#define teardown support_zones_fixture_free
#define path_in support_fixture_path

static int write_zones(fixture *f, const char *name, int overwrite, int no_style)
{
    char p[256];
    path_in(p, sizeof p, f, name);
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.overwrite = overwrite;
    o.no_style = no_style;
    return bz_zones_write(f->ctx, f->zones, p, "Nord & Co", "Süd's", &o);
}

static int exists(const fixture *f, const char *name)
{
    char p[256];
    struct stat st;
    path_in(p, sizeof p, f, name);
    return lstat(p, &st) == 0;
}

static char *slurp(const fixture *f, const char *name)
{
    char p[256];
    path_in(p, sizeof p, f, name);
    return support_slurp(p);
}

static int dir_entries(const fixture *f)
{
    DIR *d = opendir(f->dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

/* The simplestyle colour `prop` ("fill", "stroke") of the feature of `kind` and `side` (NULL:
 * none) in GeoJSON text, as QGIS writes colours: "r,g,b". */
static void geojson_colour(char *out, size_t size, const char *text, const char *kind,
                           const char *side, const char *prop)
{
    char key[128], pk[32];
    if (side)
        snprintf(key, sizeof key, "\"kind\": \"%s\", \"side\": \"%s\"", kind, side);
    else
        snprintf(key, sizeof key, "\"kind\": \"%s\", \"side\": null", kind);
    const char *at = strstr(text, key);
    assert_non_null(at);
    snprintf(pk, sizeof pk, "\"%s\": \"#", prop);
    at = strstr(at, pk);
    assert_non_null(at);
    unsigned long v = strtoul(at + strlen(pk), NULL, 16);
    snprintf(out, size, "%lu,%lu,%lu", (v >> 16) & 255, (v >> 8) & 255, v & 255);
}

/* One row of layer_styles, read by GDAL. */
typedef struct style_row {
    char table[64], geom[64];
    int is_default;
    char *qml, *sld;
} style_row;

static size_t read_styles(style_row *rows, size_t max, const char *gpkg, int *has_table)
{
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH t = GDALDatasetGetLayerByName(ds, "layer_styles");
    *has_table = t != NULL;
    size_t n = 0;
    OGRFeatureH feat;
    while (t && (feat = OGR_L_GetNextFeature(t)) != NULL) {
        assert_true(n < max);
        style_row *r = &rows[n++];
        snprintf(r->table, sizeof r->table, "%s",
                 OGR_F_GetFieldAsString(feat, OGR_F_GetFieldIndex(feat, "f_table_name")));
        snprintf(r->geom, sizeof r->geom, "%s",
                 OGR_F_GetFieldAsString(feat, OGR_F_GetFieldIndex(feat, "f_geometry_column")));
        r->is_default = OGR_F_GetFieldAsInteger(feat, OGR_F_GetFieldIndex(feat, "useAsDefault"));
        const char *q = OGR_F_GetFieldAsString(feat, OGR_F_GetFieldIndex(feat, "styleQML"));
        r->qml = malloc(strlen(q) + 1);
        strcpy(r->qml, q);
        q = OGR_F_GetFieldAsString(feat, OGR_F_GetFieldIndex(feat, "styleSLD"));
        r->sld = malloc(strlen(q) + 1);
        strcpy(r->sld, q);
        /* the layer it styles is in the file, with that geometry column */
        OGRLayerH l = GDALDatasetGetLayerByName(ds, r->table);
        assert_non_null(l);
        assert_string_equal(OGR_L_GetGeometryColumn(l), r->geom);
        OGR_F_Destroy(feat);
    }
    GDALClose(ds);
    return n;
}

/* A QML document QGIS can take: its root, and well-formed enough that every element opened
 * here is closed (a full XML parse is in tests/tools/test_style.py). */
static void assert_qml_shape(const char *qml)
{
    assert_non_null(strstr(qml, "<!DOCTYPE qgis"));
    assert_non_null(strstr(qml, "<qgis "));
    assert_non_null(strstr(qml, "</qgis>"));
    assert_null(strstr(qml, "<layerGeometryType>")); /* would refuse other geometry types */
    const char *open = qml, *close = qml;
    size_t opened = 0, closed = 0;
    while ((open = strstr(open, "<renderer-v2 ")) != NULL) {
        opened++;
        open++;
    }
    while ((close = strstr(close, "</renderer-v2>")) != NULL) {
        closed++;
        close++;
    }
    size_t empty = strstr(qml, "<renderer-v2 type=\"nullSymbol\"/>") ? 1 : 0;
    assert_int_equal(opened, 1);
    assert_int_equal(closed + empty, 1);
}

/* ---------------------------------------------------------------------------------------- */

static void test_gpkg_layer_styles(void **state)
{
    fixture *f = *state;
    assert_int_equal(write_zones(f, "z.gpkg", 0, 0), BZ_OK);
    assert_int_equal(write_zones(f, "z.geojson", 0, 0), BZ_OK); /* the colours to compare */
    char *json = slurp(f, "z.geojson");
    assert_non_null(json);
    char p[256];
    path_in(p, sizeof p, f, "z.gpkg");
    style_row rows[8];
    int has_table = 0;
    size_t n = read_styles(rows, 8, p, &has_table);
    assert_true(has_table);
    /* one default style per data layer */
    assert_int_equal(n, 4);
    static const char *const layers[] = {"zone", "withdrawal_line", "contact_line", "buffer_zone"};
    for (size_t k = 0; k < 4; k++) {
        size_t found = 0;
        for (size_t i = 0; i < n; i++)
            found += strcmp(rows[i].table, layers[k]) == 0;
        assert_int_equal(found, 1);
    }
    for (size_t i = 0; i < n; i++) {
        const style_row *r = &rows[i];
        assert_int_equal(r->is_default, 1);
        assert_string_equal(r->geom, "geom");
        assert_qml_shape(r->qml);
        char colour[32], want[64];
        if (strcmp(r->table, "zone") == 0 || strcmp(r->table, "withdrawal_line") == 0) {
            /* categorised on side, the side names as values and legend (XML-escaped) */
            assert_non_null(strstr(r->qml, "type=\"categorizedSymbol\" attr=\"side\""));
            assert_non_null(strstr(r->qml, "value=\"Nord &amp; Co\""));
            assert_non_null(strstr(r->qml, "label=\"Süd&apos;s\""));
            const char *kind = strcmp(r->table, "zone") == 0 ? "zone" : "withdrawal_line";
            const char *sides[] = {"Nord & Co", "Süd's"};
            for (int s = 0; s < 2; s++) {
                geojson_colour(colour, sizeof colour, json, kind, sides[s],
                               kind[0] == 'z' ? "fill" : "stroke");
                snprintf(want, sizeof want, "v=\"%s,", colour);
                assert_non_null(strstr(r->qml, want));
            }
        }
        if (strcmp(r->table, "zone") == 0) {
            assert_non_null(strstr(r->qml, "labelsEnabled=\"1\""));
            assert_non_null(strstr(r->qml, "fitInPolygonOnly=\"1\""));
            assert_non_null(strstr(r->qml, "area_km2"));
        } else {
            assert_non_null(strstr(r->qml, "labelsEnabled=\"0\""));
        }
        if (strcmp(r->table, "withdrawal_line") == 0)
            assert_non_null(strstr(r->qml, "<prop k=\"line_style\" v=\"dash\"/>"));
        if (strcmp(r->table, "contact_line") == 0) {
            /* the GeoJSON's stroke colour, on a white halo (locked: not the symbol's colour) */
            assert_non_null(strstr(r->qml, "type=\"singleSymbol\""));
            geojson_colour(colour, sizeof colour, json, "contact_line", NULL, "stroke");
            snprintf(want, sizeof want, "<prop k=\"line_color\" v=\"%s,255\"/>", colour);
            assert_non_null(strstr(r->qml, want));
            const char *halo = strstr(r->qml, "locked=\"1\"");
            assert_non_null(halo);
            assert_non_null(strstr(halo, "<prop k=\"line_color\" v=\"255,255,255,255\"/>"));
        }
        if (strcmp(r->table, "buffer_zone") == 0) { /* an outline only */
            assert_non_null(strstr(r->qml, "type=\"singleSymbol\""));
            assert_non_null(strstr(r->qml, "<prop k=\"style\" v=\"no\"/>"));
        }
        /* the SLD beside it: a rule per side for layers with sides */
        assert_non_null(strstr(r->sld, "<StyledLayerDescriptor "));
        assert_non_null(strstr(r->sld, "</StyledLayerDescriptor>"));
        if (strcmp(r->table, "zone") == 0) {
            assert_non_null(strstr(r->sld, "<ogc:Literal>Nord &amp; Co</ogc:Literal>"));
            assert_non_null(strstr(r->sld, "<se:PolygonSymbolizer>"));
        }
        if (strcmp(r->table, "withdrawal_line") == 0)
            assert_non_null(strstr(r->sld, "stroke-dasharray"));
        free(rows[i].qml);
        free(rows[i].sld);
    }
    free(json);
    /* Reading every layer of the file skips the style table: the six features only. */
    bz_features *fs = NULL;
    assert_int_equal(bz_read_features(&fs, f->ctx, p, NULL), BZ_OK);
    assert_int_equal(bz_features_count(fs), 6);
    bz_features_free(fs);
}

static void test_geojson_sidecar(void **state)
{
    fixture *f = *state;
    assert_int_equal(write_zones(f, "zones.v2.geojson", 0, 0), BZ_OK);
    char *qml = slurp(f, "zones.v2.qml"); /* QGIS: the name up to the last dot, then .qml */
    assert_non_null(qml);
    assert_qml_shape(qml);
    /* One file holds every kind: one rule per kind and side, each of one geometry type. */
    assert_non_null(strstr(qml, "type=\"RuleRenderer\""));
    static const char *const rules[] = {
        "&quot;kind&quot; = &apos;zone&apos; AND &quot;side&quot; = &apos;Nord &amp; Co&apos;",
        "&quot;kind&quot; = &apos;withdrawal_line&apos; AND &quot;side&quot; = "
        "&apos;Süd&apos;&apos;s&apos;",
        "filter=\"&quot;kind&quot; = &apos;contact_line&apos;\"", /* no side: no test of it */
        "filter=\"&quot;kind&quot; = &apos;buffer_zone&apos;\"",
    };
    for (size_t i = 0; i < 4; i++)
        assert_non_null(strstr(qml, rules[i]));
    assert_non_null(strstr(qml, "<symbol type=\"fill\""));
    assert_non_null(strstr(qml, "<symbol type=\"line\""));
    free(qml);
    assert_int_equal(dir_entries(f), 2);
}

static void test_shapefile_sidecars(void **state)
{
    fixture *f = *state;
    assert_int_equal(write_zones(f, "set.shp", 0, 0), BZ_OK);
    char *poly = slurp(f, "set_polygons.qml"), *lines = slurp(f, "set_lines.qml");
    assert_non_null(poly);
    assert_non_null(lines);
    assert_false(exists(f, "set.qml"));
    assert_false(exists(f, "set_points.qml"));
    /* each holds the rules of its own file's features */
    assert_non_null(strstr(poly, "&apos;zone&apos;"));
    assert_non_null(strstr(poly, "&apos;buffer_zone&apos;"));
    assert_null(strstr(poly, "&apos;contact_line&apos;"));
    assert_non_null(strstr(lines, "&apos;contact_line&apos;"));
    assert_non_null(strstr(lines, "&apos;withdrawal_line&apos;"));
    assert_null(strstr(lines, "&apos;buffer_zone&apos;"));
    assert_non_null(strstr(poly, "labelsEnabled=\"1\""));
    assert_non_null(strstr(lines, "labelsEnabled=\"0\""));
    free(poly);
    free(lines);
    /* An existing member .qml is part of the set: refused without overwrite. */
    assert_int_equal(write_zones(f, "set.shp", 0, 0), BZ_ERR_EXISTS);
    assert_int_equal(write_zones(f, "set.shp", 1, 0), BZ_OK);
    assert_int_equal(dir_entries(f), 12); /* 2 x shp shx dbf prj cpg qml */
}

static void test_no_style(void **state)
{
    fixture *f = *state;
    assert_int_equal(write_zones(f, "n.geojson", 0, 1), BZ_OK);
    assert_int_equal(write_zones(f, "n.shp", 0, 1), BZ_OK);
    assert_int_equal(write_zones(f, "n.gpkg", 0, 1), BZ_OK);
    assert_false(exists(f, "n.qml"));
    assert_false(exists(f, "n_polygons.qml"));
    assert_false(exists(f, "n_lines.qml"));
    char p[256];
    path_in(p, sizeof p, f, "n.gpkg");
    style_row rows[1];
    int has_table = 1;
    assert_int_equal(read_styles(rows, 1, p, &has_table), 0);
    assert_false(has_table);
    assert_int_equal(dir_entries(f), 1 + 10 + 1);
}

/* A version-1 caller's struct ends before no_style: whatever follows it is not read. */
static void test_version1_options_style(void **state)
{
    fixture *f = *state;
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.version = 1;
    o.no_style = 1; /* stands for bytes beyond a version-1 struct */
    char p[256];
    path_in(p, sizeof p, f, "v1.geojson");
    assert_int_equal(bz_zones_write(f->ctx, f->zones, p, NULL, NULL, &o), BZ_OK);
    assert_true(exists(f, "v1.qml"));
}

static void test_sidecar_exists(void **state)
{
    fixture *f = *state;
    char qml[256], json[256];
    path_in(qml, sizeof qml, f, "e.qml");
    path_in(json, sizeof json, f, "e.geojson");
    assert_int_equal(support_write_text(qml, SENTINEL), 0);
    /* refused before any work, naming the style, and by the writer itself */
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    assert_int_equal(bz_output_check(f->ctx, json, &o, NULL, 0), BZ_ERR_EXISTS);
    assert_non_null(strstr(bz_errmsg(f->ctx), qml));
    assert_int_equal(write_zones(f, "e.geojson", 0, 0), BZ_ERR_EXISTS);
    assert_false(exists(f, "e.geojson"));
    char *text = slurp(f, "e.qml");
    assert_string_equal(text, SENTINEL);
    free(text);
    /* without a style to write, the file is someone else's business */
    o.no_style = 1;
    assert_int_equal(bz_output_check(f->ctx, json, &o, NULL, 0), BZ_OK);
    assert_int_equal(write_zones(f, "e.geojson", 0, 1), BZ_OK);
    text = slurp(f, "e.qml");
    assert_string_equal(text, SENTINEL);
    free(text);
    /* with overwrite it is replaced */
    assert_int_equal(write_zones(f, "e.geojson", 1, 0), BZ_OK);
    text = slurp(f, "e.qml");
    assert_non_null(strstr(text, "<qgis "));
    free(text);
    assert_int_equal(dir_entries(f), 2);
}

/* The sidecar appears while the writer works (no overwrite): the commit fails as a whole, the
 * GeoJSON it may already have placed is taken back, the stranger's file stays. */
static void test_sidecar_appears_before_commit(void **state)
{
    fixture *f = *state;
    char p[256], qml[256];
    path_in(p, sizeof p, f, "late.geojson");
    path_in(qml, sizeof qml, f, "late.qml");
    bz_writer *w = NULL;
    assert_int_equal(bz_writer_open(&w, f->ctx, p, NULL), BZ_OK);
    bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;
    a.kind = "zone";
    a.side = "A";
    assert_int_equal(bz_writer_add(w, bz_zones_zone(f->zones, BZ_SIDE_A), &a), BZ_OK);
    assert_int_equal(support_write_text(qml, SENTINEL), 0);
    assert_int_equal(bz_writer_commit(w), BZ_ERR_EXISTS);
    assert_false(exists(f, "late.geojson"));
    char *text = slurp(f, "late.qml");
    assert_string_equal(text, SENTINEL);
    free(text);
    assert_int_equal(dir_entries(f), 1);
}

/* bz_look_of, the look bz-render draws with, is the look the writer gives its features: the
 * simplestyle properties of each kind in the GeoJSON of the fixture's result carry its colours. */
static void test_look_of(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    char *json = NULL;
    assert_int_equal(bz_zones_to_geojson(&json, NULL, ctx, f->zones, NULL, NULL), BZ_OK);
    const struct {
        const char *kind;
        int side, polygonal;
    } cases[] = {{"zone", 0, 1},
                 {"zone", 1, 1},
                 {"withdrawal_line", 0, 0},
                 {"withdrawal_line", 1, 0},
                 {"contact_line", -1, 0},
                 {"buffer_zone", -1, 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bz_look l = BZ_LOOK_INIT;
        assert_int_equal(bz_look_of(&l, ctx, cases[i].kind, cases[i].side, cases[i].polygonal),
                         BZ_OK);
        char want[96];
        snprintf(want, sizeof want, "\"%s\": \"%s\"", cases[i].polygonal ? "fill" : "stroke",
                 cases[i].polygonal ? l.fill : l.stroke);
        if (!strstr(json, want))
            fail_msg("%s (side %d): %s not in the GeoJSON", cases[i].kind, cases[i].side, want);
        /* dashed exactly where the map dashes: the withdrawal lines */
        int dashed = strcmp(cases[i].kind, "withdrawal_line") == 0;
        assert_int_equal(l.dash_px > 0.0 && l.gap_px > 0.0, dashed);
        assert_int_equal(l.halo_px > 0.0, strcmp(cases[i].kind, "contact_line") == 0);
    }
    bz_free(json);
    /* side colours repeat after BZ_LOOK_SIDE_COLOURS; two sides differ */
    bz_look a = BZ_LOOK_INIT, b = BZ_LOOK_INIT, c = BZ_LOOK_INIT;
    assert_int_equal(bz_look_of(&a, ctx, "zone", 0, 1), BZ_OK);
    assert_int_equal(bz_look_of(&b, ctx, "zone", BZ_LOOK_SIDE_COLOURS, 1), BZ_OK);
    assert_int_equal(bz_look_of(&c, ctx, "zone", 1, 1), BZ_OK);
    assert_string_equal(a.fill, b.fill);
    assert_string_not_equal(a.fill, c.fill);
    /* the one option-version rule, and NULL */
    bz_look bad = BZ_LOOK_INIT;
    bad.version = BZ_LOOK_VERSION + 1;
    assert_int_equal(bz_look_of(&bad, ctx, "zone", 0, 1), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(ctx), "bz_look_of: bz_look version"));
    assert_int_equal(bz_look_of(NULL, ctx, "zone", 0, 1), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_look_of(&a, NULL, "zone", 0, 1), BZ_ERR_ARGUMENT);
}

int main(void)
{
    GDALAllRegister();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_gpkg_layer_styles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_geojson_sidecar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shapefile_sidecars, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_style, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version1_options_style, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sidecar_exists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sidecar_appears_before_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_look_of, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

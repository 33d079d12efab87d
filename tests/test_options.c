/* test_options.c — one rule for every option struct (bz_read_options, bz_write_options,
 * bz_derive_options, bz_zone_options) and for the record struct bz_feature_attrs: a version
 * from 1 to the struct's BZ_*_VERSION is accepted, any other is BZ_ERR_ARGUMENT before any
 * work, with a message naming the function, the struct and the version. */
#include <bufferzone.h>

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* cmocka.h needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>

#include "support.h"

/* Versions no struct of this library has: below 1, one past the current one (the argument),
 * far out, and the number the internal tests use to reach the GeoJSON fast path's test hook
 * (lib/io_geojson.h), which the shared library must treat like any other unknown version. */
#define NBAD 6
static void bad_versions(int current, int out[NBAD])
{
    const int v[NBAD] = {0, -1, current + 1, 99, INT_MAX, 0x425a4a01};
    memcpy(out, v, sizeof v);
}

/* The last error is BZ_ERR_ARGUMENT and its message names `type`, `version` and the macro that
 * initialises the struct (bz_read_options -> BZ_READ_OPTIONS_INIT): the same rule, said the
 * same way, for every struct. */
static void assert_names(bz_context *ctx, int rc, const char *type, int version)
{
    char number[32], init[64];
    snprintf(number, sizeof number, "version %d", version);
    size_t n = 0;
    for (; type[n]; n++)
        init[n] = (char)(type[n] >= 'a' && type[n] <= 'z' ? type[n] - 'a' + 'A' : type[n]);
    snprintf(init + n, sizeof init - n, "_INIT");
    if (rc != BZ_ERR_ARGUMENT)
        fail_msg("%s version %d: status %d (%s), expected BZ_ERR_ARGUMENT", type, version, rc,
                 bz_errmsg(ctx));
    assert_int_equal(bz_errcode(ctx), BZ_ERR_ARGUMENT);
    if (!strstr(bz_errmsg(ctx), type) || !strstr(bz_errmsg(ctx), number) ||
        !strstr(bz_errmsg(ctx), init))
        fail_msg("message '%s' does not name '%s', '%s' and %s", bz_errmsg(ctx), type, number,
                 init);
    bz_context_clear_error(ctx);
}

typedef struct fixture {
    bz_context *ctx;
    char dir[64];
    char line[128], region[128], places[128];
} fixture;

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    f.ctx = bz_context_new();
    if (!f.ctx || support_tmpdir_new(f.dir, sizeof f.dir, "options") != 0)
        return -1;
    snprintf(f.line, sizeof f.line, "%s/line.geojson", f.dir);
    snprintf(f.region, sizeof f.region, "%s/region.geojson", f.dir);
    snprintf(f.places, sizeof f.places, "%s/places.geojson", f.dir);
    if (support_write_text(f.line, "{\"type\":\"LineString\",\"coordinates\":"
                                   "[[30,50],[30.5,50.1],[31,50]]}") != 0 ||
        support_write_text(f.region, "{\"type\":\"Polygon\",\"coordinates\":"
                                     "[[[29,49],[32,49],[32,51],[29,51],[29,49]]]}") != 0 ||
        support_write_text(f.places,
                           "{\"type\":\"Feature\",\"properties\":{\"name\":\"X\"},"
                           "\"geometry\":{\"type\":\"Point\",\"coordinates\":[30,50]}}") != 0)
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bz_context_free(f->ctx);
    support_tmpdir_remove(f->dir);
    return 0;
}

/* Every reader, with every version: good ones read, bad ones are refused. */
static void test_read_options(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    bz_read_options o = BZ_READ_OPTIONS_INIT;
    int bad[NBAD];
    bad_versions(BZ_READ_OPTIONS_VERSION, bad);
    for (int k = 0; k < NBAD; k++) {
        o.version = bad[k];
        bz_line *line = NULL;
        GEOSGeometry *g = NULL;
        bz_places *p = NULL;
        bz_features *fe = NULL;
        assert_names(ctx, bz_read_line(&line, ctx, f->line, &o), "bz_read_options", bad[k]);
        assert_names(ctx, bz_read_polygon(&g, ctx, f->region, &o), "bz_read_options", bad[k]);
        assert_names(ctx, bz_read_places(&p, ctx, f->places, &o), "bz_read_options", bad[k]);
        assert_names(ctx, bz_read_features(&fe, ctx, f->line, &o), "bz_read_options", bad[k]);
        assert_null(line);
        assert_null(g);
        assert_null(p);
        assert_null(fe);
    }
    for (int v = 1; v <= BZ_READ_OPTIONS_VERSION; v++) {
        o.version = v;
        bz_line *line = NULL;
        assert_int_equal(bz_read_line(&line, ctx, f->line, &o), BZ_OK);
        assert_int_equal(bz_line_num_points(line), 3);
        bz_line_free(line);
    }
}

static void test_write_options(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    char path[160];
    snprintf(path, sizeof path, "%s/out.geojson", f->dir);
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    int bad[NBAD];
    bad_versions(BZ_WRITE_OPTIONS_VERSION, bad);
    bz_line *line = NULL;
    bz_zones *z = NULL;
    assert_int_equal(bz_read_line(&line, ctx, f->line, NULL), BZ_OK);
    assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, 1000.0, 1000.0, NULL), BZ_OK);
    for (int k = 0; k < NBAD; k++) {
        o.version = bad[k];
        bz_writer *w = NULL;
        assert_names(ctx, bz_writer_open(&w, ctx, path, &o), "bz_write_options", bad[k]);
        assert_null(w);
        int rc = bz_zones_write(ctx, z, path, NULL, NULL, &o);
        assert_non_null(strstr(bz_errmsg(ctx), "bz_zones_write: "));
        assert_names(ctx, rc, "bz_write_options", bad[k]);
        rc = bz_output_check(ctx, path, &o, NULL, 0);
        assert_non_null(strstr(bz_errmsg(ctx), "bz_output_check: "));
        assert_names(ctx, rc, "bz_write_options", bad[k]);
        rc = bz_output_write(ctx, path, "x", 1, &o);
        assert_non_null(strstr(bz_errmsg(ctx), "bz_output_write: "));
        assert_names(ctx, rc, "bz_write_options", bad[k]);
        assert_int_equal(access(path, F_OK), -1); /* refused before anything was written */
    }
    for (int v = 1; v <= BZ_WRITE_OPTIONS_VERSION; v++) {
        o.version = v;
        o.overwrite = 1;
        assert_int_equal(bz_zones_write(ctx, z, path, NULL, NULL, &o), BZ_OK);
        assert_int_equal(access(path, F_OK), 0);
    }
    bz_zones_free(z);
    bz_line_free(line);
}

/* bz_feature_attrs, a record struct, follows the same rule in bz_writer_add; a refused
 * feature leaves the writer usable (nothing was done). */
static void test_feature_attrs(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    char path[160];
    snprintf(path, sizeof path, "%s/attrs.geojson", f->dir);
    GEOSGeometry *pt = NULL;
    assert_int_equal(bz_geometry_from_wkt(&pt, ctx, "POINT (30 50)"), BZ_OK);
    bz_writer *w = NULL;
    assert_int_equal(bz_writer_open(&w, ctx, path, NULL), BZ_OK);
    bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;
    int bad[NBAD];
    bad_versions(BZ_FEATURE_ATTRS_VERSION, bad);
    for (int k = 0; k < NBAD; k++) {
        a.version = bad[k];
        int rc = bz_writer_add(w, pt, &a);
        assert_non_null(strstr(bz_errmsg(ctx), "bz_writer_add: "));
        assert_names(ctx, rc, "bz_feature_attrs", bad[k]);
    }
    for (int v = 1; v <= BZ_FEATURE_ATTRS_VERSION; v++) {
        a.version = v;
        assert_int_equal(bz_writer_add(w, pt, &a), BZ_OK);
    }
    assert_int_equal(bz_writer_add(w, pt, NULL), BZ_OK);
    assert_int_equal(bz_writer_commit(w), BZ_OK);
    assert_int_equal(access(path, F_OK), 0);
    bz_geometry_free(ctx, pt);
}

static void test_derive_options(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    /* side A holds the west of a 3° x 2° region; the derived line is the meridian 30.5°E */
    GEOSGeometry *region = support_wkt(ctx, "POLYGON((29 49,32 49,32 51,29 51,29 49))");
    GEOSGeometry *terr = support_wkt(ctx, "POLYGON((29 49,30.5 49,30.5 51,29 51,29 49))");
    bz_derive_options o = BZ_DERIVE_OPTIONS_INIT;
    int bad[NBAD];
    bad_versions(BZ_DERIVE_OPTIONS_VERSION, bad);
    for (int k = 0; k < NBAD; k++) {
        o.version = bad[k];
        bz_line *line = NULL;
        assert_names(ctx, bz_line_derive(&line, ctx, terr, region, &o), "bz_derive_options",
                     bad[k]);
        assert_null(line);
    }
    for (int v = 1; v <= BZ_DERIVE_OPTIONS_VERSION; v++) {
        o.version = v;
        bz_line *line = NULL;
        assert_int_equal(bz_line_derive(&line, ctx, terr, region, &o), BZ_OK);
        size_t n = 0;
        const double *c = bz_line_part_coords(line, 0, &n);
        assert_true(n >= 2);
        assert_near(c[0], 30.5, 1e-9);
        bz_line_free(line);
    }
    bz_geometry_free(ctx, terr);
    bz_geometry_free(ctx, region);
}

static void test_zone_options(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    bz_line *line = NULL;
    assert_int_equal(bz_read_line(&line, ctx, f->line, NULL), BZ_OK);
    bz_zone_options o = BZ_ZONE_OPTIONS_INIT;
    int bad[NBAD];
    bad_versions(BZ_ZONE_OPTIONS_VERSION, bad);
    for (int k = 0; k < NBAD; k++) {
        o.version = bad[k];
        bz_zones *z = NULL;
        assert_names(ctx, bz_zones_compute(&z, ctx, line, NULL, NULL, 1000.0, 1000.0, &o),
                     "bz_zone_options", bad[k]);
        assert_null(z);
    }
    /* every version up to the current one stays valid (a grown struct keeps older callers) */
    for (int v = 1; v <= BZ_ZONE_OPTIONS_VERSION; v++) {
        o.version = v;
        bz_zones *z = NULL;
        assert_int_equal(bz_zones_compute(&z, ctx, line, NULL, NULL, 1000.0, 1000.0, &o), BZ_OK);
        assert_true(bz_zones_area(z, BZ_SIDE_A) > 0);
        bz_zones_free(z);
    }
    bz_line_free(line);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_options),  cmocka_unit_test(test_write_options),
        cmocka_unit_test(test_feature_attrs), cmocka_unit_test(test_derive_options),
        cmocka_unit_test(test_zone_options),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

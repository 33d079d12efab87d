/*
 * test_io_commit.c — atomic writes: an existing output is refused or replaced whole, an output
 * that appears while the writer works stops the commit, a Shapefile set is committed all or
 * nothing, and a failed add, a full disk, an abort or an unwritable directory leave nothing
 * behind. Formats and round trips are in test_io_write.c, reading in test_io_read.c; the
 * fixture and file helpers in support.h.
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

typedef support_dir_fixture fixture;

static int setup(void **state)
{
    return support_dir_fixture_new(state, "test_io_commit");
}

static int teardown(void **state)
{
    return support_dir_fixture_free(state);
}

/* A line and a point for the Shapefile set (one file per geometry type). */
static const char *const LINE_WKT =
    "LINESTRING (31.000000004 47.5, 31.2 47.812345678, 31.1 48.2, 31.4 48.9)";
static const char *const POINT_WKT = "POINT (32.987654321 46.5)";

/* ---------------------------------------------------------------------------------------- */
/* Atomic writes                                                                            */
/* ---------------------------------------------------------------------------------------- */

static const char *const OLD_CONTENT = "{\"type\": \"FeatureCollection\", \"features\": []}\n";

static void assert_untouched(const char *path)
{
    char *text = support_read_file(path, NULL);
    assert_non_null(text);
    assert_string_equal(text, OLD_CONTENT);
    free(text);
}

static void test_refuses_existing(void **state)
{
    fixture *f = *state;
    char path[256];
    support_dir_path(path, sizeof path, f, "exists.geojson");
    support_write_text_ok(path, OLD_CONTENT);
    bz_writer *w = NULL;
    assert_int_equal(bz_writer_open(&w, f->ctx, path, NULL), BZ_ERR_EXISTS);
    assert_null(w);
    assert_non_null(strstr(bz_errmsg(f->ctx), path));
    assert_untouched(path);
    assert_int_equal(support_count_entries(f->dir), 1);

    /* Shapefile sets: any member of the set counts as the existing output. */
    char shp[256], member[256];
    support_dir_path(shp, sizeof shp, f, "set.shp");
    support_dir_path(member, sizeof member, f, "set_lines.shp");
    support_write_text_ok(member, "x");
    assert_int_equal(bz_writer_open(&w, f->ctx, shp, NULL), BZ_ERR_EXISTS);
    assert_non_null(strstr(bz_errmsg(f->ctx), "set_lines.shp"));
}

static void test_existing_appears_before_commit(void **state)
{
    fixture *f = *state;
    char path[256];
    support_dir_path(path, sizeof path, f, "race.geojson");
    bz_writer *w = NULL;
    assert_int_equal(bz_writer_open(&w, f->ctx, path, NULL), BZ_OK);
    support_add_square(f->ctx, w);
    support_write_text_ok(path, OLD_CONTENT); /* someone else wrote it meanwhile */
    assert_int_equal(bz_writer_commit(w), BZ_ERR_EXISTS);
    assert_untouched(path);
    assert_int_equal(support_count_entries(f->dir), 1);
}

static void test_shapefile_set_commit(void **state)
{
    fixture *f = *state;
    bz_context *ctx = f->ctx;
    char shp[256], member[256];
    support_dir_path(shp, sizeof shp, f, "set.shp");
    GEOSGeometry *line = support_wkt(ctx, LINE_WKT), *pt = support_wkt(ctx, POINT_WKT);
    bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;

    /* One member of the set appears while the writer works: the commit stops, and the
     * members it had already placed are taken back. Only the stranger's file remains. */
    bz_writer *w = NULL;
    assert_int_equal(bz_writer_open(&w, ctx, shp, NULL), BZ_OK);
    support_add_square(ctx, w);
    assert_int_equal(bz_writer_add(w, line, &a), BZ_OK);
    support_dir_path(member, sizeof member, f, "set_lines.dbf");
    support_write_text_ok(member, OLD_CONTENT);
    assert_int_equal(bz_writer_commit(w), BZ_ERR_EXISTS);
    assert_untouched(member);
    assert_int_equal(support_count_entries(f->dir), 1);
    unlink(member);

    /* A first result with points and lines ... */
    assert_int_equal(bz_writer_open(&w, ctx, shp, NULL), BZ_OK);
    assert_int_equal(bz_writer_add(w, pt, &a), BZ_OK);
    assert_int_equal(bz_writer_add(w, line, &a), BZ_OK);
    assert_int_equal(bz_writer_commit(w), BZ_OK);
    assert_int_equal(support_count_entries(f->dir), 12); /* 2 x (5 files + a .qml) */
    /* ... replaced by one with polygons and lines: the old points are not left behind. */
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.overwrite = 1;
    assert_int_equal(bz_writer_open(&w, ctx, shp, &o), BZ_OK);
    support_add_square(ctx, w);
    assert_int_equal(bz_writer_add(w, line, &a), BZ_OK);
    assert_int_equal(bz_writer_commit(w), BZ_OK);
    support_dir_path(member, sizeof member, f, "set_points.shp");
    assert_false(support_exists(member));
    support_dir_path(member, sizeof member, f, "set_polygons.shp");
    assert_true(support_exists(member));
    assert_int_equal(support_count_entries(f->dir), 12);
    bz_geometry_free(ctx, line);
    bz_geometry_free(ctx, pt);
}

static void test_overwrite_replaces(void **state)
{
    fixture *f = *state;
    char path[256];
    support_dir_path(path, sizeof path, f, "replace.geojson");
    support_write_text_ok(path, OLD_CONTENT);
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.overwrite = 1;
    bz_writer *w = NULL;
    assert_int_equal(bz_writer_open(&w, f->ctx, path, &o), BZ_OK);
    support_add_square(f->ctx, w);
    assert_untouched(path); /* nothing changes before commit */
    assert_int_equal(bz_writer_commit(w), BZ_OK);
    bz_features *fs = NULL;
    assert_int_equal(bz_read_features(&fs, f->ctx, path, NULL), BZ_OK);
    assert_int_equal(bz_features_count(fs), 1);
    bz_features_free(fs);
    assert_int_equal(support_count_entries(f->dir), 2); /* + replace.qml */
}

static void test_failed_add_leaves_nothing(void **state)
{
    fixture *f = *state;
    char path[256];
    support_dir_path(path, sizeof path, f, "fail.geojson");
    support_write_text_ok(path, OLD_CONTENT);
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.overwrite = 1;
    bz_writer *w = NULL;
    assert_int_equal(bz_writer_open(&w, f->ctx, path, &o), BZ_OK);
    support_add_square(f->ctx, w);
    /* Mid-way failures: no geometry, then a NaN coordinate. */
    assert_int_equal(bz_writer_add(w, NULL, NULL), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(f->ctx), "fail.geojson"));
    assert_int_equal(bz_writer_commit(w), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(f->ctx), "nothing written"));
    assert_untouched(path);
    assert_int_equal(support_count_entries(f->dir), 1);

    support_dir_path(path, sizeof path, f, "nan.gpkg");
    assert_int_equal(bz_writer_open(&w, f->ctx, path, NULL), BZ_OK);
    GEOSContextHandle_t h = bz_context_geos(f->ctx);
    GEOSGeometry *bad = GEOSGeom_createPointFromXY_r(h, NAN, 10.0);
    assert_int_equal(bz_writer_add(w, bad, NULL), BZ_ERR_GEOMETRY);
    assert_int_equal(bz_writer_commit(w), BZ_ERR_GEOMETRY);
    GEOSGeom_destroy_r(h, bad);
    assert_false(support_exists(path));
    assert_int_equal(support_count_entries(f->dir), 1);
}

/* The disk fills half-way (a 16 KB file size limit, in a child process): the old output stays
 * byte-identical and no temporary is left, although GDAL's own writer does not notice. */
static void test_full_disk(void **state)
{
    fixture *f = *state;
    char path[256];
    support_dir_path(path, sizeof path, f, "full.geojson");
    support_write_text_ok(path, OLD_CONTENT);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN); /* writes fail with EFBIG instead of killing us */
        struct rlimit rl = {16384, 16384};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(90);
        bz_context *ctx = bz_context_new();
        /* a 3,000-vertex line: about 80 KB of GeoJSON */
        double *ll = malloc(2 * 3000 * sizeof *ll);
        for (int i = 0; i < 3000; i++) {
            ll[2 * i] = 30.0 + 0.001 * i;
            ll[2 * i + 1] = 50.0 + 0.01 * sin(i / 7.0);
        }
        bz_line *line = NULL;
        int rc = bz_line_from_lonlat(&line, ctx, ll, 3000);
        free(ll);
        bz_write_options o = BZ_WRITE_OPTIONS_INIT;
        o.overwrite = 1;
        bz_writer *w = NULL;
        if (rc == BZ_OK)
            rc = bz_writer_open(&w, ctx, path, &o);
        bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;
        if (rc == BZ_OK) {
            rc = bz_writer_add(w, bz_line_geometry(line), &a);
            rc = rc == BZ_OK ? bz_writer_commit(w) : (bz_writer_abort(w), rc);
        }
        int named = strstr(bz_errmsg(ctx), "full.geojson") != NULL;
        bz_line_free(line);
        bz_context_free(ctx); /* clean exit: valgrind checks the child too */
        exit(rc == BZ_ERR_IO && named ? 0 : 93);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_untouched(path);
    assert_int_equal(support_count_entries(f->dir), 1);
}

static void test_abort_leaves_nothing(void **state)
{
    fixture *f = *state;
    char path[256];
    static const char *const names[] = {"a.geojson", "a.shp", "a.gpkg", "a.fgb"};
    for (size_t i = 0; i < 4; i++) {
        support_dir_path(path, sizeof path, f, names[i]);
        bz_writer *w = NULL;
        assert_int_equal(bz_writer_open(&w, f->ctx, path, NULL), BZ_OK);
        support_add_square(f->ctx, w);
        bz_writer_abort(w);
        assert_int_equal(support_count_entries(f->dir), 0);
    }
    bz_writer_abort(NULL);
}

static void test_unwritable_directory(void **state)
{
    fixture *f = *state;
    char sub[256], path[320];
    bz_writer *w = NULL;
    /* A directory that does not exist. */
    support_dir_path(path, sizeof path, f, "missing/out.geojson");
    assert_int_equal(bz_writer_open(&w, f->ctx, path, NULL), BZ_ERR_IO);
    assert_non_null(strstr(bz_errmsg(f->ctx), "missing"));
    /* A read-only directory (root ignores permissions: use /proc, which nobody writes). */
    support_dir_path(sub, sizeof sub, f, "ro");
    assert_int_equal(mkdir(sub, 0555), 0);
    snprintf(path, sizeof path, "%s/out.geojson", geteuid() == 0 ? "/proc" : sub);
    assert_int_equal(bz_writer_open(&w, f->ctx, path, NULL), BZ_ERR_IO);
    assert_null(w);
    assert_non_null(strstr(bz_errmsg(f->ctx), "out.geojson"));
    assert_false(support_exists(path));
    assert_int_equal(support_count_entries(sub), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refuses_existing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_existing_appears_before_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shapefile_set_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overwrite_replaces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_add_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_disk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abort_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_directory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

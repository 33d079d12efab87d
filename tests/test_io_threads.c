/* test_io_threads.c — eight threads, each with its own bz_context, read GeoJSON, Shapefile and
 * GeoPackage files and write outputs in all three formats at the same time, ten rounds over;
 * nothing may crash and every thread must get, byte for byte, what one thread alone gets.
 *
 * The header promises that one context per thread is enough. GDAL has process-wide state
 * (its driver list, its configuration options), so this is the test of how the library uses
 * it: registering drivers at every call crashed about every other run of this kind.
 * ThreadSanitizer cannot see races inside GDAL (not instrumented); .ci/run also runs this test
 * under helgrind (meson test --setup helgrind), with BZ_STRESS_ROUNDS=1 and
 * BZ_STRESS_QUICK_READS=2, and under ThreadSanitizer.
 *
 * Phases:
 *  0. the very first GDAL use of the process comes from eight threads at once, each writing
 *     some of the nine input files (line, region, places × .geojson, .shp, .gpkg);
 *  1. one thread checks the inputs against the geometries they were written from (the truth)
 *     and records, per input format and per output format, what it reads and writes back;
 *  2. rounds of eight threads, released together by a barrier, each reading one format and
 *     writing another; every digest must equal phase 1's.
 */
#include <bufferzone.h>

#include <geos_c.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>

#include "support.h"

#define NTHREADS 8
#define NFORMATS 3
#define NKINDS 3
#define NPLACES 12
#define LINE_VERTICES 160
#define REGION_VERTICES 72
/* a job's status when a quick read differs from the first one (not a library status) */
#define MISMATCH 1000
/* a two-point line, written as text (without the library) */
#define TINY_LINE "{\"type\":\"LineString\",\"coordinates\":[[30.5,50.4],[36.2,50.0]]}"

static const char *const ext[NFORMATS] = {"geojson", "shp", "gpkg"};
/* A Shapefile output holds one geometry type per file: out.shp becomes out_lines.shp, ... */
static const char *const kind_file[NKINDS] = {"line", "region", "places"};
static const char *const shp_suffix[NKINDS] = {"lines", "polygons", "points"};

/* ---- a growable byte string: everything a job saw, in order -------------------------------- */

typedef struct blob {
    unsigned char *b;
    size_t n, cap;
    int nomem;
} blob;

static void blob_add(blob *d, const void *p, size_t n)
{
    if (d->nomem)
        return;
    if (d->n + n > d->cap) {
        size_t cap = d->cap ? d->cap : 4096;
        while (cap < d->n + n)
            cap *= 2;
        unsigned char *b = realloc(d->b, cap);
        if (!b) {
            d->nomem = 1;
            return;
        }
        d->b = b;
        d->cap = cap;
    }
    memcpy(d->b + d->n, p, n);
    d->n += n;
}

static void blob_text(blob *d, const char *s)
{
    s = s ? s : "(null)";
    blob_add(d, s, strlen(s) + 1);
}

static void blob_double(blob *d, double v)
{
    blob_add(d, &v, sizeof v);
}

static int blob_geom(blob *d, bz_context *ctx, const GEOSGeometry *g)
{
    if (!g) {
        blob_text(d, "no geometry");
        return BZ_OK;
    }
    unsigned char *wkb = NULL;
    size_t size = 0;
    int rc = bz_geometry_to_wkb(&wkb, &size, ctx, g);
    if (rc == BZ_OK) {
        blob_add(d, &size, sizeof size);
        blob_add(d, wkb, size);
    }
    bz_free(wkb);
    return rc;
}

static void blob_free(blob *d)
{
    free(d->b);
    memset(d, 0, sizeof *d);
}

/* ---- the inputs ---------------------------------------------------------------------------- */

/* The geometries the input files are written from, as WKT with 4 decimals (GeoJSON's 7 keep
 * them exactly, so every format holds the same numbers). */
typedef struct truth {
    char line[LINE_VERTICES * 24 + 64];
    char region[REGION_VERTICES * 24 + 64];
    double places[2 * NPLACES];
} truth;

static void make_truth(truth *t)
{
    /* a wiggly line of about 110 km through eastern Ukraine */
    size_t n = (size_t)snprintf(t->line, sizeof t->line, "LINESTRING(");
    for (int i = 0; i < LINE_VERTICES; i++) {
        double s = (double)i / (LINE_VERTICES - 1);
        n += (size_t)snprintf(t->line + n, sizeof t->line - n, "%s%.4f %.4f", i ? "," : "",
                              37.0 + 1.5 * s, 48.0 + 0.05 * sin(17.0 * s));
    }
    snprintf(t->line + n, sizeof t->line - n, ")");
    /* a region around it: an ellipse with a square hole north of the line */
    n = (size_t)snprintf(t->region, sizeof t->region, "POLYGON((");
    for (int i = 0; i <= REGION_VERTICES; i++) {
        double a = 2.0 * 3.14159265358979323846 * (i % REGION_VERTICES) / REGION_VERTICES;
        n += (size_t)snprintf(t->region + n, sizeof t->region - n, "%s%.4f %.4f", i ? "," : "",
                              37.75 + 1.0 * cos(a), 48.0 + 0.4 * sin(a));
    }
    snprintf(t->region + n, sizeof t->region - n,
             "),(37.7 48.2,37.8 48.2,37.8 48.3,37.7 48.3,37.7 48.2))");
    for (int i = 0; i < NPLACES; i++) {
        t->places[2 * i] = 37.1 + 0.1 * i;
        t->places[2 * i + 1] = 47.8 + 0.03 * i;
    }
}

/* dir/kind.ext, or for Shapefile inputs the file the writer made: dir/kind_lines.shp, ... */
static void input_path(char *buf, size_t size, const char *dir, int kind, int fmt)
{
    if (fmt == 1)
        snprintf(buf, size, "%s/%s_%s.shp", dir, kind_file[kind], shp_suffix[kind]);
    else
        snprintf(buf, size, "%s/%s.%s", dir, kind_file[kind], ext[fmt]);
}

/* Write input file (kind, fmt) from the truth; BZ_OK or the failing status. */
static int write_input(bz_context *ctx, const truth *t, const char *dir, int kind, int fmt)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.%s", dir, kind_file[kind], ext[fmt]);
    GEOSContextHandle_t h = bz_context_geos(ctx);
    bz_writer *w = NULL;
    int rc = bz_writer_open(&w, ctx, path, NULL);
    if (rc != BZ_OK)
        return rc;
    bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;
    char name[32];
    if (kind == 2) {
        for (int i = 0; i < NPLACES && rc == BZ_OK; i++) {
            GEOSGeometry *p =
                GEOSGeom_createPointFromXY_r(h, t->places[2 * i], t->places[2 * i + 1]);
            snprintf(name, sizeof name, "place %d", i);
            a.kind = "place";
            a.name = name;
            rc = p ? bz_writer_add(w, p, &a) : BZ_ERR_GEOS;
            GEOSGeom_destroy_r(h, p);
        }
    } else {
        GEOSGeometry *g = NULL;
        rc = bz_geometry_from_wkt(&g, ctx, kind == 0 ? t->line : t->region);
        a.kind = kind == 0 ? "contact_line" : "region";
        a.name = kind_file[kind];
        if (rc == BZ_OK)
            rc = bz_writer_add(w, g, &a);
        bz_geometry_free(ctx, g);
    }
    if (rc != BZ_OK) {
        bz_writer_abort(w);
        return rc;
    }
    return bz_writer_commit(w);
}

/* ---- one job: read one format, write another, read that back ------------------------------- */

typedef struct job {
    const char *dir; /* inputs */
    const char *out; /* the output path (its extension names the format) */
    int in_fmt, out_fmt;
    int quick_reads;          /* how often to read the GeoJSON line first (reread_line) */
    pthread_barrier_t *start; /* NULL: run at once */
    int status;
    char msg[512];
    blob read;    /* what was read from the inputs */
    blob written; /* what was read back from the output */
} job;

/* Everything the reading functions return for the three inputs of one format; the line and
 * region are also kept (in *line, *region) to be written out. */
static int digest_inputs(bz_context *ctx, const job *j, blob *d, bz_line **line,
                         GEOSGeometry **region, bz_places **places)
{
    char path[512];
    bz_read_options ro = BZ_READ_OPTIONS_INIT;
    double v = 0;
    input_path(path, sizeof path, j->dir, 0, j->in_fmt);
    int rc = bz_read_line(line, ctx, path, &ro);
    if (rc == BZ_OK)
        rc = blob_geom(d, ctx, bz_line_geometry(*line));
    if (rc == BZ_OK && (rc = bz_line_length(&v, ctx, *line)) == BZ_OK)
        blob_double(d, v);
    input_path(path, sizeof path, j->dir, 1, j->in_fmt);
    if (rc == BZ_OK)
        rc = bz_read_polygon(region, ctx, path, &ro);
    if (rc == BZ_OK)
        rc = blob_geom(d, ctx, *region);
    if (rc == BZ_OK && (rc = bz_geodesic_area(&v, ctx, *region)) == BZ_OK)
        blob_double(d, v);
    bz_features *f = NULL;
    if (rc == BZ_OK)
        rc = bz_read_features(&f, ctx, path, &ro);
    for (size_t i = 0; rc == BZ_OK && i < bz_features_count(f); i++) {
        rc = blob_geom(d, ctx, bz_features_geometry(f, i));
        blob_text(d, bz_features_attr(f, i, "kind"));
        blob_text(d, bz_features_attr(f, i, "name"));
    }
    bz_features_free(f);
    input_path(path, sizeof path, j->dir, 2, j->in_fmt);
    if (rc == BZ_OK)
        rc = bz_read_places(places, ctx, path, &ro);
    for (size_t i = 0; rc == BZ_OK && i < bz_places_count(*places); i++) {
        double lon = 0, lat = 0;
        bz_places_coords(*places, i, &lon, &lat);
        blob_double(d, lon);
        blob_double(d, lat);
        blob_text(d, bz_places_name(*places, i));
    }
    return rc;
}

/* Write line, region and places to j->out, then read every feature of it back into d. */
static int write_and_read_back(bz_context *ctx, const job *j, blob *d, const bz_line *line,
                               const GEOSGeometry *region, const bz_places *places)
{
    GEOSContextHandle_t h = bz_context_geos(ctx);
    bz_write_options wo = BZ_WRITE_OPTIONS_INIT;
    bz_writer *w = NULL;
    int rc = bz_writer_open(&w, ctx, j->out, &wo);
    if (rc != BZ_OK)
        return rc;
    bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;
    a.kind = "contact_line";
    rc = bz_writer_add(w, bz_line_geometry(line), &a);
    a.kind = "region";
    if (rc == BZ_OK)
        rc = bz_writer_add(w, region, &a);
    a.kind = "place";
    for (size_t i = 0; rc == BZ_OK && i < bz_places_count(places); i++) {
        double lon = 0, lat = 0;
        bz_places_coords(places, i, &lon, &lat);
        GEOSGeometry *p = GEOSGeom_createPointFromXY_r(h, lon, lat);
        a.name = bz_places_name(places, i);
        rc = p ? bz_writer_add(w, p, &a) : BZ_ERR_GEOS;
        GEOSGeom_destroy_r(h, p);
    }
    if (rc != BZ_OK) {
        bz_writer_abort(w);
        return rc;
    }
    rc = bz_writer_commit(w);
    /* A Shapefile output is three files; read them in a fixed order. */
    char path[512];
    for (int k = 0; rc == BZ_OK && k < (j->out_fmt == 1 ? NKINDS : 1); k++) {
        if (j->out_fmt == 1) {
            size_t len = strlen(j->out) - 4; /* without ".shp" */
            snprintf(path, sizeof path, "%.*s_%s.shp", (int)len, j->out, shp_suffix[k]);
        } else {
            snprintf(path, sizeof path, "%s", j->out);
        }
        bz_features *f = NULL;
        rc = bz_read_features(&f, ctx, path, NULL);
        for (size_t i = 0; rc == BZ_OK && i < bz_features_count(f); i++) {
            rc = blob_geom(d, ctx, bz_features_geometry(f, i));
            blob_text(d, bz_features_attr(f, i, "kind"));
            blob_text(d, bz_features_attr(f, i, "name"));
        }
        bz_features_free(f);
    }
    return rc;
}

/* Quick reads of a two-point GeoJSON line, over and over: its fast path calls GDAL only to
 * ask for the driver, so most of the time goes to whatever GDAL does on entry (registering
 * every driver again at each call, before the fix). Each read must give the first read's
 * bytes. */
static int reread_line(bz_context *ctx, const job *j, blob *d)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tiny.geojson", j->dir);
    blob first = {0}, again = {0};
    int rc = BZ_OK;
    for (int i = 0; rc == BZ_OK && i < j->quick_reads; i++) {
        bz_line *line = NULL;
        blob *b = i ? &again : &first;
        b->n = 0;
        rc = bz_read_line(&line, ctx, path, NULL);
        if (rc == BZ_OK)
            rc = blob_geom(b, ctx, bz_line_geometry(line));
        bz_line_free(line);
        if (rc == BZ_OK && i && (again.n != first.n || memcmp(again.b, first.b, first.n) != 0))
            rc = MISMATCH;
    }
    if (rc == BZ_OK)
        blob_add(d, first.b, first.n);
    blob_free(&first);
    blob_free(&again);
    return rc;
}

/* The whole job in a context of its own; the outcome lands in j (no cmocka call here: its
 * assertions are not thread-safe). */
static void run_job(job *j)
{
    if (j->start)
        pthread_barrier_wait(j->start);
    bz_context *ctx = bz_context_new();
    if (!ctx) {
        j->status = BZ_ERR_NOMEM;
        return;
    }
    bz_line *line = NULL;
    GEOSGeometry *region = NULL;
    bz_places *places = NULL;
    int rc = reread_line(ctx, j, &j->read);
    if (rc == BZ_OK)
        rc = digest_inputs(ctx, j, &j->read, &line, &region, &places);
    if (rc == BZ_OK)
        rc = write_and_read_back(ctx, j, &j->written, line, region, places);
    if (rc == BZ_OK && (j->read.nomem || j->written.nomem))
        rc = BZ_ERR_NOMEM;
    j->status = rc;
    snprintf(j->msg, sizeof j->msg, "%s",
             rc == BZ_OK      ? ""
             : rc == MISMATCH ? "a quick read of the GeoJSON line differed from the first"
                              : bz_errmsg(ctx));
    bz_places_free(places);
    bz_geometry_free(ctx, region);
    bz_line_free(line);
    bz_context_free(ctx);
}

static void *job_thread(void *arg)
{
    run_job(arg);
    return NULL;
}

/* ---- phase 0: the first GDAL use of the process, from eight threads ------------------------ */

typedef struct writer_job {
    const truth *t;
    const char *dir;
    int first; /* writes input files first and first + NTHREADS (of NFORMATS * NKINDS) */
    pthread_barrier_t *start;
    int status;
    char msg[512];
} writer_job;

static void *write_inputs_thread(void *arg)
{
    writer_job *wj = arg;
    pthread_barrier_wait(wj->start);
    bz_context *ctx = bz_context_new();
    wj->status = ctx ? BZ_OK : BZ_ERR_NOMEM;
    for (int i = wj->first; ctx && wj->status == BZ_OK && i < NFORMATS * NKINDS; i += NTHREADS)
        wj->status = write_input(ctx, wj->t, wj->dir, i % NKINDS, i / NKINDS);
    snprintf(wj->msg, sizeof wj->msg, "%s", bz_errmsg(ctx));
    bz_context_free(ctx);
    return NULL;
}

static void write_inputs_at_once(const truth *t, const char *dir)
{
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, NTHREADS);
    writer_job wj[NTHREADS];
    pthread_t tid[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        wj[i] = (writer_job){.t = t, .dir = dir, .first = i, .start = &start};
        assert_int_equal(pthread_create(&tid[i], NULL, write_inputs_thread, &wj[i]), 0);
    }
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(tid[i], NULL);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < NTHREADS; i++)
        if (wj[i].status != BZ_OK)
            fail_msg("writing inputs in thread %d: %d %s", i, wj[i].status, wj[i].msg);
}

/* ---- phase 1: the inputs are right, and what one thread alone makes of them ---------------- */

/* Largest distance (degrees) between a and b in either direction, by GEOS. */
static double hausdorff(bz_context *ctx, const GEOSGeometry *a, const GEOSGeometry *b)
{
    double d = INFINITY;
    if (GEOSHausdorffDistance_r(bz_context_geos(ctx), a, b, &d) != 1)
        fail_msg("GEOSHausdorffDistance_r failed");
    return d;
}

static void check_inputs(bz_context *ctx, const truth *t, const char *dir)
{
    for (int fmt = 0; fmt < NFORMATS; fmt++) {
        char path[512];
        input_path(path, sizeof path, dir, 0, fmt);
        bz_read_options ro = BZ_READ_OPTIONS_INIT;
        bz_line *line = NULL;
        GEOSGeometry *region = NULL, *want = NULL;
        if (bz_read_line(&line, ctx, path, &ro) != BZ_OK)
            fail_msg("%s: %s", path, bz_errmsg(ctx));
        want = support_wkt(ctx, t->line);
        assert_true(hausdorff(ctx, bz_line_geometry(line), want) < 1e-9);
        assert_int_equal(bz_line_num_points(line), LINE_VERTICES);
        bz_geometry_free(ctx, want);
        bz_line_free(line);

        input_path(path, sizeof path, dir, 1, fmt);
        if (bz_read_polygon(&region, ctx, path, &ro) != BZ_OK)
            fail_msg("%s: %s", path, bz_errmsg(ctx));
        want = support_wkt(ctx, t->region);
        assert_true(hausdorff(ctx, region, want) < 1e-9);
        bz_geometry_free(ctx, want);
        bz_geometry_free(ctx, region);

        input_path(path, sizeof path, dir, 2, fmt);
        bz_places *p = NULL;
        if (bz_read_places(&p, ctx, path, &ro) != BZ_OK)
            fail_msg("%s: %s", path, bz_errmsg(ctx));
        assert_int_equal(bz_places_count(p), NPLACES);
        for (int i = 0; i < NPLACES; i++) {
            double lon = 0, lat = 0;
            char name[32];
            bz_places_coords(p, (size_t)i, &lon, &lat);
            assert_near(lon, t->places[2 * i], 1e-12);
            assert_near(lat, t->places[2 * i + 1], 1e-12);
            snprintf(name, sizeof name, "place %d", i);
            assert_string_equal(bz_places_name(p, (size_t)i), name);
        }
        bz_places_free(p);
    }
}

/* BZ_STRESS_ROUNDS / BZ_STRESS_QUICK_READS (meson's helgrind setup makes them small: helgrind
 * runs threads one at a time, 100 times slower), else the defaults. */
static int env_count(const char *name, int fallback)
{
    const char *s = getenv(name);
    int n = s ? atoi(s) : fallback;
    return n > 0 ? n : fallback;
}

static void test_io_from_threads(void **state)
{
    (void)state;
    char dir[64];
    assert_int_equal(support_tmpdir_new(dir, sizeof dir, "io_threads"), 0);
    truth t;
    make_truth(&t);
    char tiny[128];
    snprintf(tiny, sizeof tiny, "%s/tiny.geojson", dir);
    assert_int_equal(support_write_text(tiny, TINY_LINE), 0);
    write_inputs_at_once(&t, dir);

    bz_context *ctx = bz_context_new();
    assert_non_null(ctx);
    check_inputs(ctx, &t, dir);
    bz_context_free(ctx);

    /* reference: every (input format, output format) pair, one after the other */
    job ref[NFORMATS][NFORMATS];
    char out[NTHREADS][600];
    memset(ref, 0, sizeof ref);
    for (int in = 0; in < NFORMATS; in++)
        for (int o = 0; o < NFORMATS; o++) {
            char *path = out[0];
            snprintf(path, sizeof out[0], "%s/ref_%d_%d.%s", dir, in, o, ext[o]);
            ref[in][o] =
                (job){.dir = dir, .out = path, .in_fmt = in, .out_fmt = o, .quick_reads = 1};
            run_job(&ref[in][o]);
            if (ref[in][o].status != BZ_OK)
                fail_msg("reading %s, writing %s alone: %d %s", ext[in], ext[o], ref[in][o].status,
                         ref[in][o].msg);
            assert_true(ref[in][o].read.n > 0 && ref[in][o].written.n > 0);
        }

    int n = env_count("BZ_STRESS_ROUNDS", 10), quick = env_count("BZ_STRESS_QUICK_READS", 100);
    for (int r = 0; r < n; r++) {
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, NTHREADS);
        job jobs[NTHREADS];
        pthread_t tid[NTHREADS];
        for (int i = 0; i < NTHREADS; i++) {
            int in = (i + r) % NFORMATS, o = (i + r + 1 + i / NFORMATS) % NFORMATS;
            snprintf(out[i], sizeof out[i], "%s/out_%d_%d.%s", dir, r, i, ext[o]);
            jobs[i] = (job){.dir = dir,
                            .out = out[i],
                            .in_fmt = in,
                            .out_fmt = o,
                            .quick_reads = quick,
                            .start = &start};
            assert_int_equal(pthread_create(&tid[i], NULL, job_thread, &jobs[i]), 0);
        }
        for (int i = 0; i < NTHREADS; i++)
            pthread_join(tid[i], NULL);
        pthread_barrier_destroy(&start);
        for (int i = 0; i < NTHREADS; i++) {
            const job *j = &jobs[i], *want = &ref[j->in_fmt][j->out_fmt];
            if (j->status != BZ_OK)
                fail_msg("round %d, thread %d (%s -> %s): %d %s", r, i, ext[j->in_fmt],
                         ext[j->out_fmt], j->status, j->msg);
            if (j->read.n != want->read.n || memcmp(j->read.b, want->read.b, want->read.n) != 0)
                fail_msg("round %d, thread %d: reading %s gave other data than alone", r, i,
                         ext[j->in_fmt]);
            if (j->written.n != want->written.n ||
                memcmp(j->written.b, want->written.b, want->written.n) != 0)
                fail_msg("round %d, thread %d: %s written from %s reads back otherwise than alone",
                         r, i, ext[j->out_fmt], ext[j->in_fmt]);
        }
        for (int i = 0; i < NTHREADS; i++) {
            blob_free(&jobs[i].read);
            blob_free(&jobs[i].written);
        }
    }
    for (int in = 0; in < NFORMATS; in++)
        for (int o = 0; o < NFORMATS; o++) {
            blob_free(&ref[in][o].read);
            blob_free(&ref[in][o].written);
        }
    support_tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_io_from_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

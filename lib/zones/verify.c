/*
 * verify.c — a result reports its own accuracy: withdrawal lines are sampled and every sample's
 * exact geodesic distance to the contact line (bzi_line_distance_only: bz_line_distance's search
 * without the foot and the side, which nothing here needs) is compared with the requested
 * distance. Samples are spread over worker threads, each with its own bz_context (a line is
 * read-only, so threads may share it). Samples that lie on a ground's edge (the region's edge or
 * the side boundary) are not at the requested distance by construction and are left out; that
 * test runs afterwards on the calling thread, only for the few samples whose error is large,
 * against a grid of the ground's edge segments (core/edge_grid.h): GEOS's prepared distance
 * test measured every segment of a 100,000-vertex edge for each sample (0.2 s serial).
 *
 * What is reported is the largest error and where it is, so a sample is measured only as far as
 * needed to know it is not larger than one measured before it (in the same run of samples, and
 * one that surely counts): two questions that solve no geodesic (see verify_run) settle most
 * samples, a third to a quarter of the cost of measuring them (the 100,000-vertex benchmark
 * line: 54,000 samples). The result is the same: the same largest error at the same sample.
 */
#include "zones/verify.h"
#include "core/grow.h"
#include "core/context.h"
#include "core/edge_grid.h"
#include "core/polygon.h"
#include "core/pool.h"
#include "core/progress.h"
#include "geo/distance.h"
#include "geo/geodesic.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The error of a sample measured only as far as needed: at most that of a sample measured
 * before it in its run, which counts. */
#define BZI_VERIFY_SETTLED (-1.0)

/* A sample this close to a ground's edge (degrees, ≈ 0.5 m) counts as lying on it. */
#define EDGE_TOLERANCE_DEG 4.5e-6

typedef struct samples {
    double *lonlat;
    size_t n, cap;
} samples;

static int samples_add(samples *s, double lon, double lat)
{
    if (bzi_grow(&s->lonlat, &s->cap, s->n + 1, 2 * sizeof *s->lonlat))
        return BZ_ERR_NOMEM;
    s->lonlat[2 * s->n] = lon;
    s->lonlat[2 * s->n + 1] = lat;
    s->n++;
    return BZ_OK;
}

/* Every vertex of one LineString plus points at most step_m apart along its segments, and the
 * midpoint of every edge longer than mid_m: an edge is a chord of the true curve and sags most
 * at its middle, so vertices alone would under-report the error of long chords (fillets). */
static int sample_linestring(samples *s, GEOSContextHandle_t h, const GEOSGeometry *ls,
                             double step_m, double mid_m)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ls);
    unsigned int m = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &m))
        return BZ_ERR_GEOS;
    double x0 = 0, y0 = 0;
    for (unsigned int k = 0; k < m; k++) {
        double x, y;
        GEOSCoordSeq_getXY_r(h, cs, k, &x, &y);
        if (k > 0) {
            /* 1 % short of the step so rounding never leaves a gap wider than step_m */
            double len = bzi_approx_length_m(x0, y0, x, y);
            size_t steps = (size_t)ceil(len / (0.99 * step_m));
            if (steps < 2 && len > mid_m)
                steps = 2;
            for (size_t j = 1; j < steps; j++) {
                double t = (double)j / (double)steps;
                if (samples_add(s, x0 + t * (x - x0), y0 + t * (y - y0)))
                    return BZ_ERR_NOMEM;
            }
        }
        if (samples_add(s, x, y))
            return BZ_ERR_NOMEM;
        x0 = x;
        y0 = y;
    }
    return BZ_OK;
}

static int sample_geometry(samples *s, GEOSContextHandle_t h, const GEOSGeometry *g, double step_m,
                           double mid_m)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_LINESTRING || type == GEOS_LINEARRING)
        return sample_linestring(s, h, g, step_m, mid_m);
    if (type == GEOS_MULTILINESTRING || type == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; i++) {
            int rc = sample_geometry(s, h, GEOSGetGeometryN_r(h, g, i), step_m, mid_m);
            if (rc)
                return rc;
        }
    }
    return BZ_OK; /* points and polygons are not withdrawal lines */
}

typedef struct verify_worker {
    const bz_line *line;
    const double *lonlat;
    double *err;
    size_t begin, end, total; /* this run's samples of all `total` */
    double distance;
    double counts_below; /* an error up to this is never left out as a ground's edge */
    int status;
    char msg[BZI_ERRMSG_SIZE];
    bzi_progress *progress; /* the caller's callback (NULL = none) */
} verify_worker;

/* Task t of the fan-out: worker t's run of samples, with a context of its own. */
static void verify_run(void *arg, size_t t)
{
    verify_worker *w = (verify_worker *)arg + t;
    bz_context *c = bz_context_new();
    if (!c) {
        w->status = BZ_ERR_NOMEM;
        return;
    }
    size_t hint = SIZE_MAX; /* samples come in order along the withdrawal line */
    double known = 0.0;     /* the largest error measured in this run that surely counts */
    for (size_t i = w->begin; i < w->end; i++) {
        /* runs are handed out in order: i / total grows on every thread */
        if ((i - w->begin) % 64 == 0 &&
            bzi_progress_tick(w->progress, (double)i / (double)w->total)) {
            w->status = BZ_ERR_CANCELLED; /* the caller records it */
            break;
        }
        double lon = w->lonlat[2 * i], lat = w->lonlat[2 * i + 1], dist = INFINITY;
        int rc = BZ_OK;
        /* A sample whose error cannot exceed `known` changes nothing the check reports: is
         * the line nearer than distance - known (a search whose bounds prune every segment
         * near that distance, no geodesic solved), and surely within distance + known (chords
         * of the segments around the last answer)? Only the others are measured exactly. */
        if (known > 0.0) {
            rc = bzi_line_distance_below(c, w->line, lon, lat, &hint, w->distance - known, &dist);
            if (rc == BZ_OK && isinf(dist) &&
                bzi_line_surely_within(w->line, lon, lat, &hint, w->distance + known)) {
                w->err[i] = BZI_VERIFY_SETTLED;
                continue;
            }
        }
        if (rc == BZ_OK && isinf(dist))
            rc = bzi_line_distance_only(c, w->line, lon, lat, &hint, &dist);
        if (rc) {
            w->status = rc;
            snprintf(w->msg, sizeof w->msg, "%s", bz_errmsg(c));
            break;
        }
        double e = fabs(dist - w->distance);
        w->err[i] = e;
        if (e > known && e <= w->counts_below)
            known = e;
    }
    bz_context_free(c);
}

/* Runs of samples per thread: the threads take runs in order as they come free, so that one
 * slowed down (the area check runs beside on a thread of its own) does not hold up the rest. */
#define RUNS_PER_THREAD 4

/* Errors of every sample, computed on the context's threads (BZI_VERIFY_SETTLED for those that
 * cannot be the largest; errors above counts_below may be left out afterwards). */
static int measure(bz_context *ctx, const bz_line *line, const samples *s, double distance,
                   double counts_below, double *err)
{
    int nthreads = bzi_thread_count(ctx);
    size_t nruns = (size_t)nthreads * RUNS_PER_THREAD;
    if (nruns > s->n / 256 + 1)
        nruns = s->n / 256 + 1; /* a few hundred samples a run at least */
    if ((size_t)nthreads > nruns)
        nthreads = (int)nruns;
    verify_worker *ws = calloc(nruns, sizeof *ws);
    if (!ws)
        return bzi_nomem(ctx, "verification workers");
    for (size_t t = 0; t < nruns; t++) {
        ws[t] = (verify_worker){.line = line,
                                .lonlat = s->lonlat,
                                .err = err,
                                .begin = s->n * t / nruns,
                                .end = s->n * (t + 1) / nruns,
                                .total = s->n,
                                .distance = distance,
                                .counts_below = counts_below,
                                .status = BZ_OK,
                                .progress = ctx->progress};
    }
    bzi_pool_run(ctx, nruns, nthreads, verify_run, ws);
    int rc = BZ_OK;
    for (size_t t = 0; t < nruns && rc == BZ_OK; t++) {
        if (ws[t].status == BZ_ERR_CANCELLED)
            rc = bzi_progress_cancelled(ctx);
        else if (ws[t].status == BZ_ERR_NOMEM && !ws[t].msg[0])
            rc = bzi_nomem(ctx, "a verification context");
        else if (ws[t].status)
            rc = bzi_error(ctx, ws[t].status, "verifying a withdrawal line: %s", ws[t].msg);
    }
    free(ws);
    return rc;
}

int bzi_verify_withdrawal(bz_context *ctx, const bz_line *line, const GEOSGeometry *withdrawal,
                          double distance_m, const GEOSGeometry *ground, double step_m,
                          double exclude_above_m, bzi_verify_result *out)
{
    *out = (bzi_verify_result){0.0, NAN, NAN, 0};
    if (!(step_m > 0.0))
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "verification step must be > 0 m, got %g", step_m);
    samples s = {NULL, 0, 0};
    /* A chord of length c on a curve of radius d sags by c²/(8d): chords whose sag could reach a
     * hundredth of the bound get their midpoint sampled. */
    double mid_m = sqrt(0.08 * distance_m * fmax(1.0, 1e-4 * distance_m));
    int rc = sample_geometry(&s, ctx->geos, withdrawal, step_m, mid_m);
    if (rc) {
        free(s.lonlat);
        return rc == BZ_ERR_NOMEM ? bzi_nomem(ctx, "verification samples")
                                  : bzi_geos_error(ctx, "reading a withdrawal line");
    }
    if (s.n == 0) {
        free(s.lonlat);
        return BZ_OK;
    }
    double *err = malloc(s.n * sizeof *err);
    if (!err) {
        free(s.lonlat);
        return bzi_nomem(ctx, "verification errors");
    }
    rc = measure(ctx, line, &s, distance_m, ground ? exclude_above_m : INFINITY, err);

    bzi_edge_grid edge = {{NULL, 0, 0}, {0}};
    int have_edge = 0;
    size_t used = 0, worst = SIZE_MAX;
    for (size_t i = 0; rc == BZ_OK && i < s.n; i++) {
        if (i % 16 == 0 && (rc = bzi_progress_poll(ctx, 1.0)) != BZ_OK)
            break;
        if (err[i] == BZI_VERIFY_SETTLED) {
            used++; /* at most an earlier sample's error, which counts: never the worst */
            continue;
        }
        if (ground && err[i] > exclude_above_m) {
            if (!have_edge) {
                int e = bzi_edge_grid_build(ctx->geos, ground, &edge);
                if (e) {
                    rc = bzi_fail(ctx, e, "indexing a ground's edge for verification");
                    break;
                }
                have_edge = 1;
            }
            if (bzi_edge_grid_near(&edge, s.lonlat[2 * i], s.lonlat[2 * i + 1], EDGE_TOLERANCE_DEG))
                continue;
        }
        used++;
        if (worst == SIZE_MAX || err[i] > err[worst])
            worst = i;
    }
    if (rc == BZ_OK && worst != SIZE_MAX) {
        out->max_error_m = err[worst];
        out->worst_lon = s.lonlat[2 * worst];
        out->worst_lat = s.lonlat[2 * worst + 1];
    }
    out->samples = used;
    bzi_edge_grid_free(&edge);
    free(err);
    free(s.lonlat);
    return rc;
}

/*
 * bench_zones.c — the whole withdrawal-zone job on a 1,200 km, 100,000-vertex line, next to
 * "the floor": one plain single-threaded GEOS buffer (default parameters) of the same line
 * projected once. Not a test: it prints wall times, peak memory and the ratio.
 *
 *   bench_zones [region.geojson] [vertices]
 *
 * The region defaults to the union of Ukraine's oblasts in $BZ_SHARED_DATA (or, without it, a
 * lon/lat box around the line). The line is synthetic: a wiggly front across south-eastern
 * Ukraine whose heading swings by up to ±85° on scales from 600 m to 37 km (so it never crosses
 * itself), a vertex every 12 m. It is written to a GeoJSON file first (untimed); the timed job
 * then reads line and region, computes both sides' zones (clipped, with areas and the library's
 * own accuracy check), and writes GeoJSON. Each measurement runs in its own child process, so the
 * peak RSS reported is that job's alone.
 */
#include <bufferzone.h>

#include <geodesic.h>
#include <geos_c.h>
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LINE_LENGTH_M 1200000.0
#define START_LON 33.0
#define START_LAT 46.8
#define START_AZI 55.0

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double *synthetic_line(size_t n)
{
    struct geod_geodesic g;
    geod_init(&g, 6378137.0, 1.0 / 298.257223563);
    double *xy = malloc(n * 2 * sizeof *xy);
    if (!xy)
        return NULL;
    double step = LINE_LENGTH_M / (double)(n - 1);
    xy[0] = START_LON;
    xy[1] = START_LAT;
    for (size_t i = 1; i < n; i++) {
        double s = step * (double)i;
        double h = START_AZI + 45.0 * sin(s / 37000.0) + 22.0 * sin(s / 9100.0 + 1.0) +
                   12.0 * sin(s / 2300.0 + 2.0) + 6.0 * sin(s / 600.0 + 0.5);
        geod_direct(&g, xy[2 * i - 1], xy[2 * i - 2], h, step, &xy[2 * i + 1], &xy[2 * i], NULL);
    }
    return xy;
}

/* Write the line (and, if needed, a box region) as GeoJSON with the library's writer. */
static int write_inputs(const double *xy, size_t n, const char *line_path, const char *box_path)
{
    bz_context *ctx = bz_context_new();
    bz_line *line = NULL;
    bz_writer *w = NULL;
    bz_write_options wo = BZ_WRITE_OPTIONS_INIT;
    wo.overwrite = 1;
    bz_feature_attrs attrs = BZ_FEATURE_ATTRS_INIT;
    attrs.kind = "contact_line";
    int rc = bz_line_from_lonlat(&line, ctx, xy, n);
    if (rc == BZ_OK)
        rc = bz_writer_open(&w, ctx, line_path, &wo);
    if (rc == BZ_OK)
        rc = bz_writer_add(w, bz_line_geometry(line), &attrs);
    if (rc == BZ_OK) {
        rc = bz_writer_commit(w);
        w = NULL;
    }
    if (rc == BZ_OK && box_path) {
        GEOSContextHandle_t h = bz_context_geos(ctx);
        double x0, y0, x1, y1;
        GEOSGeom_getXMin_r(h, bz_line_geometry(line), &x0);
        GEOSGeom_getYMin_r(h, bz_line_geometry(line), &y0);
        GEOSGeom_getXMax_r(h, bz_line_geometry(line), &x1);
        GEOSGeom_getYMax_r(h, bz_line_geometry(line), &y1);
        char wkt[256];
        snprintf(wkt, sizeof wkt, "POLYGON((%f %f,%f %f,%f %f,%f %f,%f %f))", x0 - 1, y0 - 1,
                 x1 + 1, y0 - 1, x1 + 1, y1 + 1, x0 - 1, y1 + 1, x0 - 1, y0 - 1);
        GEOSGeometry *box = NULL;
        attrs.kind = "region";
        rc = bz_geometry_from_wkt(&box, ctx, wkt);
        if (rc == BZ_OK)
            rc = bz_writer_open(&w, ctx, box_path, &wo);
        if (rc == BZ_OK)
            rc = bz_writer_add(w, box, &attrs);
        if (rc == BZ_OK) {
            rc = bz_writer_commit(w);
            w = NULL;
        }
        bz_geometry_free(ctx, box);
    }
    if (rc)
        fprintf(stderr, "bench_zones: writing inputs: %s\n", bz_errmsg(ctx));
    bz_writer_abort(w);
    bz_line_free(line);
    bz_context_free(ctx);
    return rc;
}

/* The time a child measured, sent to the parent through a pipe. */
static double measured_time;

/* The whole job; prints its own phases. */
static int whole_job(const char *line_path, const char *region_path, const char *out_path, double d,
                     int verify)
{
    double t0 = now();
    bz_context *ctx = bz_context_new();
    bz_line *line = NULL;
    GEOSGeometry *region = NULL;
    bz_zones *z = NULL;
    int rc = bz_read_line(&line, ctx, line_path, NULL);
    double t_line = now();
    if (rc == BZ_OK)
        rc = bz_read_polygon(&region, ctx, region_path, NULL);
    double t_region = now();
    if (rc == BZ_OK) {
        bz_zone_options zo = BZ_ZONE_OPTIONS_INIT;
        zo.verify = verify;
        rc = bz_zones_compute(&z, ctx, line, region, NULL, d, d, &zo);
    }
    double t_zones = now();
    bz_write_options wo = BZ_WRITE_OPTIONS_INIT;
    wo.overwrite = 1;
    if (rc == BZ_OK)
        rc = bz_zones_write(ctx, z, out_path, NULL, NULL, &wo);
    double t_write = now();
    if (rc) {
        fprintf(stderr, "bench_zones: job at %g m: %s\n", d, bz_errmsg(ctx));
    } else {
        measured_time = t_write - t0;
        printf("  read line %.3f s, read region %.3f s, zones %.3f s, write %.3f s\n", t_line - t0,
               t_region - t_line, t_zones - t_region, t_write - t_zones);
        printf("  zones A %.1f km², B %.1f km², contact %.1f km, max error %.3f m (bound %.3f m)\n",
               bz_zones_area(z, BZ_SIDE_A) / 1e6, bz_zones_area(z, BZ_SIDE_B) / 1e6,
               bz_zones_contact_length(z) / 1e3, bz_zones_max_error(z), fmax(1.0, 1e-4 * d));
    }
    bz_zones_free(z);
    bz_geometry_free(ctx, region);
    bz_line_free(line);
    bz_context_free(ctx);
    return rc ? 1 : 0;
}

/* How far the floor's outline is from the requested distance (untimed): every 7th vertex of its
 * exterior rings mapped back to lon/lat and measured with the exact geodesic point-to-line
 * distance. Both ways: the worst vertex too far in and too far out, in metres. */
static void floor_accuracy(GEOSContextHandle_t h, const GEOSGeometry *buf, PJ *pj, const double *xy,
                           size_t n, double d)
{
    bz_context *ctx = bz_context_new();
    bz_line *line = NULL;
    if (!buf || !ctx || bz_line_from_lonlat(&line, ctx, xy, n) != BZ_OK) {
        bz_context_free(ctx);
        return;
    }
    double worst_in = 0, worst_out = 0;
    size_t measured = 0;
    for (int p = 0; p < GEOSGetNumGeometries_r(h, buf); p++) {
        const GEOSGeometry *poly = GEOSGetGeometryN_r(h, buf, p);
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, GEOSGetExteriorRing_r(h, poly));
        unsigned m = 0;
        GEOSCoordSeq_getSize_r(h, cs, &m);
        for (unsigned i = 0; i < m; i += 7) {
            double x = 0, y = 0;
            GEOSCoordSeq_getXY_r(h, cs, i, &x, &y);
            PJ_COORD c = proj_trans(pj, PJ_INV, proj_coord(x, y, 0, 0));
            bz_nearest near;
            if (bz_line_distance(&near, ctx, line, proj_todeg(c.lp.lam), proj_todeg(c.lp.phi)))
                continue;
            worst_in = fmax(worst_in, d - near.distance_m);
            worst_out = fmax(worst_out, near.distance_m - d);
            measured++;
        }
    }
    printf("  floor accuracy: %zu outline vertices measured, up to %.1f m short of %.0f m and "
           "%.1f m beyond it\n",
           measured, worst_in, d, worst_out);
    bz_line_free(line);
    bz_context_free(ctx);
}

/* The floor: the line projected once (azimuthal equidistant at its middle vertex, untimed),
 * then one GEOSBuffer_r with GEOS's defaults (8 segments per quarter circle), timed. */
static int floor_job(const double *xy, size_t n, double d)
{
    PJ_CONTEXT *pc = proj_context_create();
    char def[160];
    snprintf(def, sizeof def, "+proj=aeqd +lat_0=%.6f +lon_0=%.6f +ellps=WGS84", xy[n + 1], xy[n]);
    PJ *pj = proj_create(pc, def);
    double *pxy = malloc(n * 2 * sizeof *pxy);
    if (!pj || !pxy)
        return 1;
    for (size_t i = 0; i < n; i++) {
        PJ_COORD c = proj_coord(proj_torad(xy[2 * i]), proj_torad(xy[2 * i + 1]), 0, 0);
        c = proj_trans(pj, PJ_FWD, c);
        pxy[2 * i] = c.xy.x;
        pxy[2 * i + 1] = c.xy.y;
    }
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSGeometry *ls =
        GEOSGeom_createLineString_r(h, GEOSCoordSeq_copyFromBuffer_r(h, pxy, (unsigned)n, 0, 0));
    double t0 = now();
    GEOSGeometry *buf = GEOSBuffer_r(h, ls, d, 8);
    double t1 = now();
    measured_time = t1 - t0;
    printf("  floor GEOSBuffer_r %.3f s (%d vertices out)\n", t1 - t0,
           buf ? GEOSGetNumCoordinates_r(h, buf) : -1);
    floor_accuracy(h, buf, pj, xy, n, d);
    GEOSGeom_destroy_r(h, buf);
    GEOSGeom_destroy_r(h, ls);
    GEOS_finish_r(h);
    free(pxy);
    proj_destroy(pj);
    proj_context_destroy(pc);
    return 0;
}

/* Run one measurement in a child; returns the time it measured and its peak RSS (MB). */
static int measure(int which, const double *xy, size_t n, const char *line_path,
                   const char *region_path, const char *out_path, double d, double *seconds,
                   double *rss_mb)
{
    int fd[2];
    if (pipe(fd) != 0)
        return 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        close(fd[0]);
        int rc = which ? whole_job(line_path, region_path, out_path, d, which == 1)
                       : floor_job(xy, n, d);
        fflush(stdout);
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        double msg[2] = {measured_time, (double)ru.ru_maxrss / 1024.0};
        if (write(fd[1], msg, sizeof msg) != (ssize_t)sizeof msg)
            rc = 1;
        _exit(rc);
    }
    close(fd[1]);
    double msg[2] = {NAN, NAN};
    ssize_t got = read(fd[0], msg, sizeof msg);
    close(fd[0]);
    int status = 0;
    if (waitpid(pid, &status, 0) != pid)
        return 1;
    *seconds = msg[0];
    *rss_mb = msg[1];
    return got == (ssize_t)sizeof msg && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* The longest part of the contact line derived from DeepState's occupied area (territory) in
 * the region, densified along its geodesics to about n vertices. NULL when the data is absent.
 * The DeepState file is read from the shared directory only; the densified copy goes to /tmp. */
static double *real_line(const char *shared, const char *region_path, size_t n, size_t *out_n,
                         double *length_m)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/frontline/deepstate_occupied_2026-08-22.geojson", shared);
    if (access(path, R_OK) != 0)
        return NULL;
    bz_context *ctx = bz_context_new();
    GEOSGeometry *territory = NULL, *region = NULL;
    bz_line *line = NULL;
    double *xy = NULL;
    if (bz_read_polygon(&territory, ctx, path, NULL) == BZ_OK &&
        bz_read_polygon(&region, ctx, region_path, NULL) == BZ_OK &&
        bz_line_derive(&line, ctx, territory, region, NULL) == BZ_OK) {
        struct geod_geodesic g;
        geod_init(&g, 6378137.0, 1.0 / 298.257223563);
        size_t best = 0, best_n = 0;
        for (size_t k = 0; k < bz_line_num_parts(line); k++) {
            size_t m = 0;
            bz_line_part_coords(line, k, &m);
            if (m > best_n) {
                best_n = m;
                best = k;
            }
        }
        size_t m = 0;
        const double *c = bz_line_part_coords(line, best, &m);
        double len = 0.0;
        for (size_t i = 0; i + 1 < m; i++) {
            double s12;
            geod_inverse(&g, c[2 * i + 1], c[2 * i], c[2 * i + 3], c[2 * i + 2], &s12, NULL, NULL);
            len += s12;
        }
        double step = len / (double)(n - 1);
        xy = malloc((n + m + 1) * 2 * sizeof *xy);
        size_t k = 0;
        for (size_t i = 0; xy && i + 1 < m; i++) {
            struct geod_geodesicline gl;
            geod_inverseline(&gl, &g, c[2 * i + 1], c[2 * i], c[2 * i + 3], c[2 * i + 2],
                             GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN);
            size_t pieces = (size_t)ceil(gl.s13 / step);
            for (size_t j = 0; j < pieces && k < n + m; j++, k++)
                geod_position(&gl, gl.s13 * (double)j / (double)pieces, &xy[2 * k + 1], &xy[2 * k],
                              NULL);
        }
        if (xy) {
            xy[2 * k] = c[2 * m - 2];
            xy[2 * k + 1] = c[2 * m - 1];
            *out_n = k + 1;
            *length_m = len;
        }
    } else {
        fprintf(stderr, "bench_zones: deriving the real line: %s\n", bz_errmsg(ctx));
    }
    bz_line_free(line);
    bz_geometry_free(ctx, territory);
    bz_geometry_free(ctx, region);
    bz_context_free(ctx);
    return xy;
}

static int run_line(const double *xy, size_t n, const char *line_path, const char *region_path)
{
    const double ds[2] = {5000.0, 10000.0};
    int failed = 0;
    for (int k = 0; k < 2; k++) {
        double fw = 0, fr = 0, jw = 0, jr = 0, nw = 0, nr = 0;
        printf("d = %.0f m\n", ds[k]);
        failed |= measure(0, xy, n, line_path, region_path, NULL, ds[k], &fw, &fr);
        failed |= measure(1, xy, n, line_path, region_path, "/tmp/bench_zones_out.geojson", ds[k],
                          &jw, &jr);
        printf("  (the same job without the self-verification, for the split:)\n");
        failed |= measure(2, xy, n, line_path, region_path, "/tmp/bench_zones_out.geojson", ds[k],
                          &nw, &nr);
        printf("  => floor %.3f s (%.0f MB peak), whole job %.3f s (%.0f MB peak): ratio %.2f "
               "(target <= 0.50); without verification %.3f s, ratio %.2f\n",
               fw, fr, jw, jr, fw > 0 ? jw / fw : NAN, nw, fw > 0 ? nw / fw : NAN);
    }
    return failed;
}

int main(int argc, char **argv)
{
    size_t n = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 100000;
    if (n < 2) {
        fprintf(stderr, "usage: bench_zones [region.geojson] [vertices >= 2]\n");
        return 2;
    }
    char region_buf[4096], line_path[] = "/tmp/bench_zones_line.geojson";
    const char *box_path = NULL, *region_path = argc > 1 ? argv[1] : NULL;
    const char *shared = getenv("BZ_SHARED_DATA");
    if (!region_path && shared) {
        snprintf(region_buf, sizeof region_buf,
                 "%s/boundaries/ukraine_oblasts_minregion_2020.geojson", shared);
        if (access(region_buf, R_OK) == 0)
            region_path = region_buf;
    }
    if (!region_path)
        region_path = box_path = "/tmp/bench_zones_region.geojson";
    double *xy = synthetic_line(n);
    if (!xy || write_inputs(xy, n, line_path, box_path))
        return 1;
    printf("bench_zones: synthetic %zu-vertex %.0f km line, region %s, %ld CPUs\n", n,
           LINE_LENGTH_M / 1000.0, region_path, sysconf(_SC_NPROCESSORS_ONLN));
    int failed = run_line(xy, n, line_path, region_path);
    free(xy);

    size_t rn = 0;
    double rlen = 0.0;
    double *rxy = shared ? real_line(shared, region_path, n, &rn, &rlen) : NULL;
    if (rxy) {
        char real_path[] = "/tmp/bench_zones_real_line.geojson";
        if (write_inputs(rxy, rn, real_path, NULL) == 0) {
            printf("\nbench_zones: DeepState 2026-08-22 front (longest derived part, %.0f km) "
                   "densified to %zu vertices\n",
                   rlen / 1000.0, rn);
            failed |= run_line(rxy, rn, real_path, region_path);
        }
        free(rxy);
    }
    return failed;
}

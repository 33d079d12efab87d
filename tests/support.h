/*
 * support.h — helpers the test programs share: the WGS84 constants, a double comparison for
 * cmocka, the bz_context fixture, WKT in, GeoJSON files read with GEOS's own reader, and
 * geodesic truth (areas straight from geod_polygonarea, not from the library).
 *
 * Also the scratch-directory fixtures (removed with a small remove-tree helper, no shell) and
 * the file helpers the I/O tests (test_io_read, test_io_write) share.
 *
 * Header-only (static inline): each test stays one program of one file. Include it after
 * <cmocka.h>, which needs <setjmp.h>, <stdarg.h>, <stddef.h> and <stdint.h> before it.
 */
#ifndef BZ_TEST_SUPPORT_H
#define BZ_TEST_SUPPORT_H

#include <bufferzone.h>

#include <geodesic.h>
#include <geos_c.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)

/* cmocka 1.1 has no double comparison: |a - b| <= tol, printing both values on failure. */
#define assert_near(a, b, tol)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (tol)))                                                             \
            fail_msg("%s = %.17g, expected %.17g within %g", #a, a_, b_, (double)(tol));           \
    } while (0)

/* The WGS84 ellipsoid of geodesic.h, for truth computed independently of the library. */
static inline struct geod_geodesic support_wgs84(void)
{
    struct geod_geodesic g;
    geod_init(&g, WGS84_A, WGS84_F);
    return g;
}

/* The exact distance (m) from P to the geodesic A-B (lon, lat pairs), by ternary search along it
 * with geod_position and geod_inverse (`iterations` rounds: 60 reach a micrometre on 100 km). */
static inline double support_segment_brute(const struct geod_geodesic *g, const double *a,
                                           const double *b, double plon, double plat,
                                           int iterations)
{
    struct geod_geodesicline l;
    geod_inverseline(&l, g, a[1], a[0], b[1], b[0], 0);
    double lo = 0, hi = l.s13;
    for (int it = 0; it < iterations; it++) {
        double m1 = lo + (hi - lo) / 3, m2 = hi - (hi - lo) / 3, la = 0, lo1 = 0, d1 = 0, d2 = 0;
        geod_position(&l, m1, &la, &lo1, NULL);
        geod_inverse(g, la, lo1, plat, plon, &d1, NULL, NULL);
        geod_position(&l, m2, &la, &lo1, NULL);
        geod_inverse(g, la, lo1, plat, plon, &d2, NULL, NULL);
        if (d1 < d2)
            hi = m2;
        else
            lo = m1;
    }
    double la = 0, lo1 = 0, d = 0;
    geod_position(&l, 0.5 * (lo + hi), &la, &lo1, NULL);
    geod_inverse(g, la, lo1, plat, plon, &d, NULL, NULL);
    return d;
}

/* A reproducible uniform number in [0, 1) (splitmix64), for randomised cases. */
static inline double support_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

/* cmocka fixture: *state = a new bz_context (the setup fails when there is no memory). */
static inline int support_context_new(void **state)
{
    bz_context *ctx = bz_context_new();
    *state = ctx;
    return ctx ? 0 : -1;
}

static inline int support_context_free(void **state)
{
    bz_context_free(*state);
    return 0;
}

/* Write `text` to `path` (replacing it); 0, or -1 on any failure. */
static inline int support_write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* A fresh directory "/tmp/bz_<name>_XXXXXX" (its path in dir); 0, or -1 if none was made. */
static inline int support_tmpdir_new(char *dir, size_t size, const char *name)
{
    snprintf(dir, size, "/tmp/bz_%s_XXXXXX", name);
    return mkdtemp(dir) ? 0 : -1;
}

/* Remove `path` and, when it is a directory, everything in it, without a shell: symlinks are
 * removed, not followed, and every directory gets its owner's permissions back first, so a
 * test that took them away (a read-only or unreadable directory) is cleaned up too. A missing
 * path is fine. 0, or -1 if something could not be removed. */
static inline int support_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return unlink(path) == 0 ? 0 : -1;
    chmod(path, (st.st_mode & 07777) | S_IRWXU);
    int rc = 0;
    DIR *d = opendir(path);
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *child = malloc(n);
        if (!child) {
            rc = -1;
            break;
        }
        snprintf(child, n, "%s/%s", path, e->d_name);
        if (support_remove_tree(child) != 0)
            rc = -1;
        free(child);
    }
    closedir(d);
    if (rmdir(path) != 0)
        rc = -1;
    return rc;
}

/* Remove the directory and everything in it, also when a test took its write permission. */
static inline void support_tmpdir_remove(const char *dir)
{
    (void)support_remove_tree(dir);
}

/* A geometry from WKT through the library (the test fails if it does not parse). */
/* A small zone result (2 km / 1 km beside a 3-vertex line at 50N) and a scratch directory:
 * the shared fixture of the writer tests (test_output, test_style). */
typedef struct support_zones_fixture {
    bz_context *ctx;
    bz_zones *zones;
    char dir[64];
} support_zones_fixture;

static inline int support_zones_fixture_new(void **state, const char *name)
{
    support_zones_fixture *f = calloc(1, sizeof *f);
    *state = f;
    if (!f || !(f->ctx = bz_context_new()) || support_tmpdir_new(f->dir, sizeof f->dir, name))
        return -1;
    bz_line *line = NULL;
    if (bz_line_from_wkt(&line, f->ctx, "LINESTRING (30 50, 30.05 50.03, 30.1 50)") != BZ_OK)
        return -1;
    int rc = bz_zones_compute(&f->zones, f->ctx, line, NULL, NULL, 2000.0, 1000.0, NULL);
    bz_line_free(line);
    return rc == BZ_OK ? 0 : -1;
}

static inline int support_zones_fixture_free(void **state)
{
    support_zones_fixture *f = *state;
    if (!f)
        return 0;
    if (f->dir[0])
        support_tmpdir_remove(f->dir);
    bz_zones_free(f->zones);
    bz_context_free(f->ctx);
    free(f);
    return 0;
}

/* A context and a fresh scratch directory per test (the I/O tests' fixture). */
typedef struct support_dir_fixture {
    bz_context *ctx;
    char dir[64];
} support_dir_fixture;

static inline int support_dir_fixture_new(void **state, const char *name)
{
    support_dir_fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->ctx = bz_context_new();
    if (!f->ctx || support_tmpdir_new(f->dir, sizeof f->dir, name)) {
        bz_context_free(f->ctx);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static inline int support_dir_fixture_free(void **state)
{
    support_dir_fixture *f = *state;
    support_tmpdir_remove(f->dir);
    bz_context_free(f->ctx);
    free(f);
    return 0;
}

/* DIR/NAME of a support_dir_fixture's scratch directory into buf. */
static inline void support_dir_path(char *buf, size_t size, const support_dir_fixture *f,
                                    const char *name)
{
    snprintf(buf, size, "%s/%s", f->dir, name);
}

/* Write `text` to `path` (the test fails if it cannot). */
static inline void support_write_text_ok(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* The whole file, NUL-terminated (free it), its length in *size (may be NULL); NULL if it
 * cannot be opened. */
static inline char *support_read_file(const char *path, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, fp);
    fclose(fp);
    buf[got] = '\0';
    if (size)
        *size = got;
    return buf;
}

static inline int support_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Number of directory entries other than . and .. (temporaries included). */
static inline int support_count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* 1 if `name` is a program on PATH (the tests that run gdal-bin's programs skip without). */
static inline int support_have_program(const char *name)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

/* ogrinfo (another GDAL program, as QGIS would) opens the file without an error. */
static inline void support_assert_ogrinfo_clean(const char *path)
{
    if (!support_have_program("ogrinfo"))
        return;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ogrinfo -ro -al -so '%s' 2>&1", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[1024];
    int errors = 0, layers = 0;
    while (fgets(line, sizeof line, p)) {
        if (strstr(line, "ERROR") || strstr(line, "Warning"))
            errors++;
        if (strncmp(line, "Layer name:", 11) == 0)
            layers++;
    }
    int status = pclose(p);
    assert_int_equal(status, 0);
    assert_int_equal(errors, 0);
    assert_true(layers >= 1);
}

/* Add the unit square (kind "zone") to a writer. */
static inline void support_add_square(bz_context *ctx, bz_writer *w)
{
    GEOSGeometry *g = NULL;
    assert_int_equal(bz_geometry_from_wkt(&g, ctx, "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"), BZ_OK);
    bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;
    a.kind = "zone";
    assert_int_equal(bz_writer_add(w, g, &a), BZ_OK);
    bz_geometry_free(ctx, g);
}

/* DIR/NAME of a fixture's scratch directory into buf. */
static inline void support_fixture_path(char *buf, size_t size, const support_zones_fixture *f,
                                        const char *name)
{
    snprintf(buf, size, "%s/%s", f->dir, name);
}

static inline GEOSGeometry *support_wkt(bz_context *ctx, const char *text)
{
    GEOSGeometry *g = NULL;
    assert_int_equal(bz_geometry_from_wkt(&g, ctx, text), BZ_OK);
    return g;
}

/* 1 if g meets the point (x, y), by GEOS directly. */
static inline int support_covers_point(bz_context *ctx, const GEOSGeometry *g, double x, double y)
{
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(h, x, y);
    char r = GEOSIntersects_r(h, g, p);
    GEOSGeom_destroy_r(h, p);
    return r == 1;
}

/* ---- geodesic truth ------------------------------------------------------------------------ */

/* |area| of a ring by geod_polygonarea, straight from geodesic.h. */
static inline double truth_ring_area(const struct geod_geodesic *geod, GEOSContextHandle_t h,
                                     const GEOSGeometry *ring)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(h, cs, &n);
    double *lat = malloc(n * sizeof *lat), *lon = malloc(n * sizeof *lon);
    for (unsigned i = 0; i < n; i++)
        GEOSCoordSeq_getXY_r(h, cs, i, &lon[i], &lat[i]);
    double area = 0, perim = 0;
    geod_polygonarea(geod, lat, lon, (int)n - 1, &area, &perim); /* closing point dropped */
    free(lat);
    free(lon);
    return fabs(area);
}

/* Ellipsoidal area of every polygon in g (holes subtracted), by geod_polygonarea here. */
static inline double truth_area(const struct geod_geodesic *geod, GEOSContextHandle_t h,
                                const GEOSGeometry *g)
{
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_POLYGON) {
        if (GEOSisEmpty_r(h, g))
            return 0;
        double a = truth_ring_area(geod, h, GEOSGetExteriorRing_r(h, g));
        for (int r = 0; r < GEOSGetNumInteriorRings_r(h, g); r++)
            a -= truth_ring_area(geod, h, GEOSGetInteriorRingN_r(h, g, r));
        return a;
    }
    double a = 0;
    if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION)
        for (int i = 0; i < GEOSGetNumGeometries_r(h, g); i++)
            a += truth_area(geod, h, GEOSGetGeometryN_r(h, g, i));
    return a;
}

/* Geodesic area of a ring of n (at most 16) lon/lat pairs, by geod_polygonarea. */
static inline double truth_ring_lonlat_area(const double *lonlat, int n)
{
    struct geod_geodesic g = support_wgs84();
    double lats[16], lons[16], area = 0, perimeter = 0;
    for (int i = 0; i < n; i++) {
        lons[i] = lonlat[2 * i];
        lats[i] = lonlat[2 * i + 1];
    }
    geod_polygonarea(&g, lats, lons, n, &area, &perimeter);
    return fabs(area);
}

/* Area of the lon/lat rectangle with geodesic edges, from its four corners. */
static inline double truth_rect_area(const struct geod_geodesic *geod, double x0, double y0,
                                     double x1, double y1)
{
    double lat[4] = {y0, y0, y1, y1}, lon[4] = {x0, x1, x1, x0}, area, perim;
    geod_polygonarea(geod, lat, lon, 4, &area, &perim);
    return fabs(area);
}

/* Area (m²) of the lon/lat rectangle [x0, x1] × [y0, y1] whose edges are a meridian and a
 * parallel (as the library reads a polygon's edges, RFC 7946), in closed form on WGS84: per
 * radian of longitude the area from the equator to latitude φ is b²/2 · q(φ), with
 * q(φ) = sin φ / (1 − e² sin² φ) + artanh(e sin φ) / e. */
static inline double truth_lonlat_rect_area(double x0, double y0, double x1, double y1)
{
    const double a = 6378137.0, f = 1 / 298.257223563, b = a * (1 - f), e = sqrt(f * (2 - f));
    const double d2r = 3.14159265358979323846 / 180.0;
    double q[2], lat[2] = {y0 * d2r, y1 * d2r};
    for (int i = 0; i < 2; i++) {
        double s = sin(lat[i]);
        q[i] = s / (1 - e * e * s * s) + atanh(e * s) / e;
    }
    return fabs((x1 - x0) * d2r * b * b / 2 * (q[1] - q[0]));
}

/* Length (m) of a run of lon/lat points whose edges are straight in lon/lat (RFC 7946), each
 * edge cut into 1,000 equal lon/lat steps measured with geod_inverse. */
static inline double truth_lonlat_length(const struct geod_geodesic *geod, const double *xy,
                                         size_t n)
{
    double s = 0;
    for (size_t i = 0; i + 1 < n; i++)
        for (int j = 0; j < 1000; j++) {
            const double *a = xy + 2 * i, *b = a + 2;
            double t0 = j / 1000.0, t1 = (j + 1) / 1000.0, d = 0;
            geod_inverse(geod, a[1] + t0 * (b[1] - a[1]), a[0] + t0 * (b[0] - a[0]),
                         a[1] + t1 * (b[1] - a[1]), a[0] + t1 * (b[0] - a[0]), &d, NULL, NULL);
            s += d;
        }
    return s;
}

/* Area (m²) of a ring of n lon/lat corners (not repeated) with edges straight in lon/lat, each
 * edge cut into 1,000 equal steps, by geod_polygonarea. */
static inline double truth_lonlat_ring_area(const struct geod_geodesic *geod, const double *xy,
                                            int n)
{
    double *lat = malloc(1000 * (size_t)n * sizeof *lat),
           *lon = malloc(1000 * (size_t)n * sizeof *lon);
    if (!lat || !lon) {
        free(lat);
        free(lon);
        return NAN;
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < 1000; j++) {
            const double *a = xy + 2 * i, *b = xy + 2 * ((i + 1) % n);
            double t = j / 1000.0;
            lon[1000 * i + j] = a[0] + t * (b[0] - a[0]);
            lat[1000 * i + j] = a[1] + t * (b[1] - a[1]);
        }
    double area = 0, perim = 0;
    geod_polygonarea(geod, lat, lon, 1000 * n, &area, &perim);
    free(lat);
    free(lon);
    return fabs(area);
}

/* ---- real data ----------------------------------------------------------------------------- */

/* The whole file as a NUL-terminated string (free it), or NULL. */
static inline char *support_slurp(const char *path)
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

/* Union of the polygons of the GeoJSON file dir/rel, read with GEOS's own GeoJSON reader (not
 * the library's GDAL reading), or NULL. */
static inline GEOSGeometry *support_read_union(GEOSContextHandle_t h, const char *dir,
                                               const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *text = support_slurp(path);
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

#endif

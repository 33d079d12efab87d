/*
 * test_oracle_self.c — the oracle tested against closed forms and brute force, before it is
 * trusted to judge the library: nearest distances against a brute-force walk of the geodesic,
 * sides at segments, vertices, ends and on multi-part lines, the sampled areas against exact
 * zones built by hand (geod_direct perpendicular to a geodesic segment, half caps at the
 * ends; their areas from geod_polygon and the closed form d·L + πd²/2 per side), equal halves of a
 * symmetric case, and known wrong results (shifted, shrunk, swapped, holed, withdrawal line
 * off) that it must catch. The library is not called, except for its GEOS handle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "oracle.h"

#include <geodesic.h>
#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define PI 3.14159265358979323846

#define assert_near(a, b, tol)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (tol)))                                                             \
            fail_msg("%s = %.17g, expected %.17g within %g", #a, a_, b_, (double)(tol));           \
    } while (0)

static struct geod_geodesic wgs84(void)
{
    struct geod_geodesic g;
    geod_init(&g, 6378137.0, 1.0 / 298.257223563);
    return g;
}

static void geos_notice(const char *fmt, ...)
{
    (void)fmt;
}

static int setup(void **state)
{
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSContext_setNoticeHandler_r(h, geos_notice);
    GEOSContext_setErrorHandler_r(h, geos_notice);
    *state = h;
    return h ? 0 : -1;
}

static int teardown(void **state)
{
    GEOS_finish_r(*state);
    return 0;
}

/* ---- exact zones of one geodesic segment, built by hand ------------------------------------ */

/* A growable coordinate list. */
typedef struct xy {
    double *v;
    unsigned n, cap;
} xy;

static void add(xy *p, double lon, double lat)
{
    if (p->n > 0) /* longitudes continuous along the list */
        lon = p->v[2 * (p->n - 1)] + remainder(lon - p->v[2 * (p->n - 1)], 360.0);
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 1024;
        p->v = realloc(p->v, 2 * p->cap * sizeof *p->v);
        assert_non_null(p->v);
    }
    p->v[2 * p->n] = lon;
    p->v[2 * p->n + 1] = lat;
    p->n++;
}

static GEOSGeometry *seq_geom(GEOSContextHandle_t h, const xy *p, int ring)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, p->n + (ring ? 1 : 0), 2);
    for (unsigned i = 0; i < p->n + (ring ? 1u : 0u); i++) {
        unsigned k = i % p->n;
        GEOSCoordSeq_setXY_r(h, cs, i, p->v[2 * k], p->v[2 * k + 1]);
    }
    return ring ? GEOSGeom_createLinearRing_r(h, cs) : GEOSGeom_createLineString_r(h, cs);
}

static GEOSGeometry *multi(GEOSContextHandle_t h, GEOSGeometry *g, int type)
{
    GEOSGeometry *one[1] = {g};
    return GEOSGeom_createCollection_r(h, type, one, 1);
}

/* Side A's (left, sign +1) or B's (right, -1) zone of the geodesic a → b at distance d: the
 * offset of every point perpendicular to the geodesic, and the half caps at the ends, divided
 * by the segment's own direction. *wd receives the withdrawal line (offset and cap arcs). */
static GEOSGeometry *exact_half(GEOSContextHandle_t h, const double *a, const double *b, double d,
                                int sign, int n, GEOSGeometry **wd)
{
    struct geod_geodesic g = wgs84();
    struct geod_geodesicline l;
    geod_inverseline(&l, &g, a[1], a[0], b[1], b[0], GEOD_ALL);
    double len = l.s13;
    xy ring = {0}, edge = {0};
    double turn = sign > 0 ? -90.0 : 90.0;
    /* along the line, a → b, on the line itself */
    for (int i = 0; i <= n; i++) {
        double la, lo;
        geod_position(&l, len * i / n, &la, &lo, NULL);
        add(&ring, lo, la);
    }
    /* the cap at b: out along the continuation (in short steps: long edges read differently
     * as geodesics and in lon/lat), then from straight ahead to the perpendicular */
    double azb;
    geod_position(&l, len, NULL, NULL, &azb);
    for (int i = 1; i < 100; i++) {
        double la, lo;
        geod_direct(&g, b[1], b[0], azb, d * i / 100, &la, &lo, NULL);
        add(&ring, lo, la);
    }
    for (int i = 0; i <= n / 4; i++) {
        double la, lo;
        geod_direct(&g, b[1], b[0], azb + turn * i / (n / 4), d, &la, &lo, NULL);
        add(&ring, lo, la);
        add(&edge, lo, la);
    }
    /* the offset, b → a */
    for (int i = n - 1; i >= 1; i--) {
        double la, lo, az, pla, plo;
        geod_position(&l, len * i / n, &la, &lo, &az);
        geod_direct(&g, la, lo, az + turn, d, &pla, &plo, NULL);
        add(&ring, plo, pla);
        add(&edge, plo, pla);
    }
    /* the cap at a: from the perpendicular to straight back */
    double aza = l.azi1;
    for (int i = 0; i <= n / 4; i++) {
        double la, lo;
        geod_direct(&g, a[1], a[0], aza + turn + turn * i / (n / 4), d, &la, &lo, NULL);
        add(&ring, lo, la);
        add(&edge, lo, la);
    }
    for (int i = 99; i >= 1; i--) { /* back to a along the continuation behind it */
        double la, lo;
        geod_direct(&g, a[1], a[0], aza + 180.0, d * i / 100, &la, &lo, NULL);
        add(&ring, lo, la);
    }
    GEOSGeometry *shell = seq_geom(h, &ring, 1);
    GEOSGeometry *poly = GEOSGeom_createPolygon_r(h, shell, NULL, 0);
    GEOSGeometry *fixed = GEOSMakeValid_r(h, poly);
    GEOSGeom_destroy_r(h, poly);
    *wd = multi(h, seq_geom(h, &edge, 0), GEOS_MULTILINESTRING);
    free(ring.v);
    free(edge.v);
    if (GEOSGeomTypeId_r(h, fixed) == GEOS_POLYGON)
        fixed = multi(h, fixed, GEOS_MULTIPOLYGON);
    return fixed;
}

/* Measure hand-made zones of the segment a → b with the oracle. */
static void measure(GEOSContextHandle_t h, const double *ab, double d, GEOSGeometry *za,
                    GEOSGeometry *zb, GEOSGeometry *wa, GEOSGeometry *wb, const double *areas,
                    int samples, oracle_figures *f)
{
    size_t sz[1] = {2};
    oracle_line *l = oracle_line_new(ab, sz, 1);
    assert_non_null(l);
    oracle_input in = {l, NULL, NULL, {d, d}, samples, 7, 4.0};
    oracle_result_side res[2] = {{za, wa, areas[0]}, {zb, wb, areas[1]}};
    assert_int_equal(oracle_measure(h, &in, res, f), 0);
    oracle_line_free(l);
}

/* ---- the tests ------------------------------------------------------------------------------ */

/* The closed form of a lon/lat box against geod_polygon of the same box with its parallels
 * walked finely; and the band of a segment against D·L + πD²/2 on the sphere of equal area. */
static void box_area_closed_form(void **state)
{
    GEOSContextHandle_t h = *state;
    const double boxes[][4] = {
        {10, 12, 50, 51}, {-30, 30, 0, 5}, {170, 190, 80, 89.9}, {0, 1, -60, -59}};
    for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++) {
        const double *b = boxes[i];
        char wkt[256];
        snprintf(wkt, sizeof wkt, "POLYGON((%g %g,%g %g,%g %g,%g %g,%g %g))", b[0], b[2], b[1],
                 b[2], b[1], b[3], b[0], b[3], b[0], b[2]);
        GEOSWKTReader *r = GEOSWKTReader_create_r(h);
        GEOSGeometry *g = GEOSWKTReader_read_r(h, r, wkt);
        GEOSWKTReader_destroy_r(h, r);
        double walked = oracle_area(h, g, 1, 0.001);
        double closed = oracle_box_area(b[0], b[1], b[2], b[3]);
        assert_near(closed / walked, 1.0, 1e-6);
        GEOSGeom_destroy_r(h, g);
    }
    /* the sampled point of a box: the fraction below the middle latitude is its area share */
    uint64_t s = 3;
    int below = 0, n = 20000;
    double mid = 70.0, frac = oracle_box_area(0, 10, 60, mid) / oracle_box_area(0, 10, 60, 80);
    for (int i = 0; i < n; i++) {
        double lon, lat;
        oracle_box_point(0, 10, 60, 80, oracle_random(&s), oracle_random(&s), &lon, &lat);
        below += lat < mid;
    }
    assert_near((double)below / n, frac, 4 * sqrt(frac * (1 - frac) / n));
}

/* Nearest distances against a brute-force walk of the geodesics (10 m steps, then 1 cm). */
static void nearest_against_brute_force(void **state)
{
    (void)state;
    struct geod_geodesic g = wgs84();
    uint64_t s = 11;
    for (int t = 0; t < 8; t++) {
        double lat0 = -85 + 170 * oracle_random(&s), lon0 = 360 * oracle_random(&s) - 180;
        double ll[8];
        ll[0] = lon0;
        ll[1] = lat0;
        for (int k = 1; k < 4; k++) { /* three segments of 3–6 km */
            double la, lo;
            geod_direct(&g, ll[2 * k - 1], ll[2 * k - 2], 360 * oracle_random(&s),
                        3000 + 3000 * oracle_random(&s), &la, &lo, NULL);
            ll[2 * k] = ll[2 * k - 2] + remainder(lo - ll[2 * k - 2], 360);
            ll[2 * k + 1] = la;
        }
        size_t sz[1] = {4};
        oracle_line *l = oracle_line_new(ll, sz, 1);
        assert_non_null(l);
        for (int q = 0; q < 12; q++) {
            double qla, qlo;
            geod_direct(&g, ll[3], ll[2], 360 * oracle_random(&s), 200 + 8000 * oracle_random(&s),
                        &qla, &qlo, NULL);
            /* every 10 m, then every 1 cm within 20 m of the best */
            double best = INFINITY;
            for (int k = 0; k < 3; k++) {
                struct geod_geodesicline gl;
                geod_inverseline(&gl, &g, ll[2 * k + 1], ll[2 * k], ll[2 * k + 3], ll[2 * k + 2],
                                 GEOD_ALL);
                double bx = 0, bd = INFINITY;
                for (double x = 0; x <= gl.s13 + 10; x += 10.0) {
                    double la, lo, d;
                    geod_position(&gl, fmin(x, gl.s13), &la, &lo, NULL);
                    geod_inverse(&g, qla, qlo, la, lo, &d, NULL, NULL);
                    if (d < bd) {
                        bd = d;
                        bx = fmin(x, gl.s13);
                    }
                }
                for (double x = fmax(0, bx - 20); x <= fmin(gl.s13, bx + 20) + 0.01; x += 0.01) {
                    double la, lo, d;
                    geod_position(&gl, fmin(x, gl.s13), &la, &lo, NULL);
                    geod_inverse(&g, qla, qlo, la, lo, &d, NULL, NULL);
                    best = fmin(best, d);
                }
            }
            oracle_near nr;
            oracle_nearest(l, qlo, qla, &nr);
            /* 1 cm steps: the walk is at most (5 mm)²/(2·D) above the truth */
            if (!(nr.dist <= best + 1e-6 && nr.dist >= best - 1e-4))
                fail_msg("line %d query %d: oracle %.6f m, brute force %.6f m", t, q, nr.dist,
                         best);
        }
        oracle_line_free(l);
    }
}

/* Sides: a segment, a vertex (bisector), an end (continuation), two parts of opposite
 * directions. */
static void sides(void **state)
{
    (void)state;
    oracle_near nr;
    /* a line going north along lon 30: west is left (A) */
    double ll[] = {30, 10, 30, 11, 31, 11}; /* then a right turn to the east */
    size_t sz[1] = {3};
    oracle_line *l = oracle_line_new(ll, sz, 1);
    oracle_nearest(l, 29.99, 10.5, &nr);
    assert_int_equal(nr.side, +1);
    oracle_nearest(l, 30.01, 10.5, &nr);
    assert_int_equal(nr.side, -1);
    /* outside the corner (north-west of the vertex): the outer side of a right turn is left */
    oracle_nearest(l, 29.99, 11.01, &nr);
    assert_int_equal(nr.side, +1);
    assert_near(nr.lon, 30, 1e-9);
    assert_near(nr.lat, 11, 1e-9);
    /* beyond the start (south): the continuation backwards is lon 30 */
    oracle_nearest(l, 29.999, 9.99, &nr);
    assert_int_equal(nr.side, +1);
    oracle_nearest(l, 30.001, 9.99, &nr);
    assert_int_equal(nr.side, -1);
    /* beyond the end (east of 31, 11): north is left of an eastward line */
    oracle_nearest(l, 31.01, 11.001, &nr);
    assert_int_equal(nr.side, +1);
    oracle_nearest(l, 31.01, 10.999, &nr);
    assert_int_equal(nr.side, -1);
    oracle_line_free(l);

    /* two parts 0.1° apart, the west one going north, the east one going south: the ground
     * between them is right of both (B), outside each is left (A) */
    double two[] = {30, 10, 30, 11, 30.1, 11, 30.1, 10};
    size_t sz2[2] = {2, 2};
    l = oracle_line_new(two, sz2, 2);
    oracle_nearest(l, 30.03, 10.5, &nr);
    assert_int_equal(nr.side, -1);
    oracle_nearest(l, 30.07, 10.5, &nr);
    assert_int_equal(nr.side, -1);
    oracle_nearest(l, 29.97, 10.5, &nr);
    assert_int_equal(nr.side, +1);
    oracle_nearest(l, 30.13, 10.5, &nr);
    assert_int_equal(nr.side, +1);
    /* the middle: both parts nearly as near, with different sides would be ambiguous — here
     * both give B, so the ambiguity is only the distance to the lines */
    oracle_nearest(l, 30.05, 10.5, &nr);
    assert_true(nr.amb > 1000);
    oracle_line_free(l);

    /* two parts head to head on one line: the ground between them has a side from each */
    double hh[] = {30, 10, 30, 10.5, 30, 11, 30, 10.6};
    l = oracle_line_new(hh, sz2, 2);
    oracle_nearest(l, 29.99, 10.2, &nr);
    assert_int_equal(nr.side, +1); /* west of a northward part */
    oracle_nearest(l, 29.99, 10.9, &nr);
    assert_int_equal(nr.side, -1); /* west of a southward part */
    oracle_nearest(l, 29.99, 10.55, &nr);
    assert_true(nr.amb < 600); /* between the two tips: near the divide */
    oracle_line_free(l);
}

/* Exact zones of a straight segment: the oracle passes them, its sampled areas agree with
 * geod_polygon's and with D·L + πD²/2, and the two halves are equal. */
static void exact_segment_passes(void **state)
{
    GEOSContextHandle_t h = *state;
    const double cases[][5] = {
        /* lon a, lat a, lon b, lat b, d */
        {30, 48, 36, 49, 5000},          /* a long geodesic at mid latitude */
        {179.5, -20, 180.6, -19, 10000}, /* across the antimeridian */
        {10, 84, 40, 84.5, 20000},       /* high latitude, bulging poleward */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const double *k = cases[c];
        double ab[4] = {k[0], k[1], k[2], k[3]}, d = k[4];
        GEOSGeometry *wa, *wb;
        GEOSGeometry *za = exact_half(h, ab, ab + 2, d, +1, 4000, &wa);
        GEOSGeometry *zb = exact_half(h, ab, ab + 2, d, -1, 4000, &wb);
        double areas[2] = {oracle_area(h, za, 0, 1), oracle_area(h, zb, 0, 1)};
        oracle_figures f;
        measure(h, ab, d, za, zb, wa, wb, areas, 6000, &f);
        for (int s = 0; s < 2; s++) {
            const oracle_side_figures *x = &f.s[s];
            printf("case %zu side %c: exact %.6g m2, sampled %.6g ± %.3g m2 (%.2g %%), per "
                   "sample %.3g m2; wrong %.3g missing %.3g extra %.3g; withdrawal line %.3g m\n",
                   c, "AB"[s], areas[s], x -> def_area, x -> def_sigma,
                   100 * x -> def_sigma / x -> def_area, x -> per_sample_m2, x -> wrong_side,
                   x -> missing, x -> extra_far, x -> wd_max_err);
            assert_near(x->def_area, areas[s], 4 * x->def_sigma);
            assert_true(x->ok_wrong && x->ok_missing && x->ok_far && x->ok_holes);
            assert_true(x->ok_wd);
            /* the exact ellipsoidal half band against its closed form: a band d wide along the
             * segment and a quarter disc at each end, d·L + πd²/2 (to the curvature terms) */
            double L;
            struct geod_geodesic g = wgs84();
            geod_inverse(&g, ab[1], ab[0], ab[3], ab[2], &L, NULL, NULL);
            assert_near(areas[s] / (d * L + PI * d * d / 2), 1.0, 2e-4);
        }
        if (!oracle_pass(&f))
            fail_msg("case %zu: areas %.9g/%.9g, own %.9g/%.9g, ok_area %d/%d, ok_ground %d", c,
                     f.s[0].lib_area, f.s[1].lib_area, f.s[0].own_area, f.s[1].own_area,
                     f.s[0].ok_area, f.s[1].ok_area, f.ok_ground);
        /* equal halves, within the noise of the two estimates */
        assert_near(f.s[0].def_area, f.s[1].def_area,
                    4 * hypot(f.s[0].def_sigma, f.s[1].def_sigma));
        GEOSGeom_destroy_r(h, za);
        GEOSGeom_destroy_r(h, zb);
        GEOSGeom_destroy_r(h, wa);
        GEOSGeom_destroy_r(h, wb);
    }
}

/* Known wrong results must be caught. */
static void wrong_results_are_caught(void **state)
{
    GEOSContextHandle_t h = *state;
    double ab[4] = {30, 48, 31, 48.3}, d = 5000;
    GEOSGeometry *wa, *wb, *wa2, *wb2, *wa3, *wb3;
    GEOSGeometry *za = exact_half(h, ab, ab + 2, d, +1, 2000, &wa);
    GEOSGeometry *zb = exact_half(h, ab, ab + 2, d, -1, 2000, &wb);
    double areas[2] = {oracle_area(h, za, 0, 1), oracle_area(h, zb, 0, 1)};
    oracle_figures f;

    /* swapped: every sample is on the wrong side */
    measure(h, ab, d, zb, za, wb, wa, areas, 3000, &f);
    assert_false(f.s[0].ok_wrong);
    assert_false(f.s[0].ok_missing);
    assert_false(oracle_pass(&f));

    /* shifted by 100 m east (a new polygon: GEOS caches envelopes) */
    GEOSGeometry *shifted;
    {
        const GEOSGeometry *poly = GEOSGetGeometryN_r(h, za, 0);
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, GEOSGetExteriorRing_r(h, poly));
        unsigned n = 0;
        GEOSCoordSeq_getSize_r(h, cs, &n);
        xy p = {0};
        for (unsigned i = 0; i + 1 < n; i++) {
            double x, y;
            GEOSCoordSeq_getXY_r(h, cs, i, &x, &y);
            add(&p, x + 100.0 / (111320.0 * cos(48.15 * PI / 180)), y);
        }
        shifted =
            multi(h, GEOSGeom_createPolygon_r(h, seq_geom(h, &p, 1), NULL, 0), GEOS_MULTIPOLYGON);
        free(p.v);
    }
    measure(h, ab, d, shifted, zb, wa, wb, areas, 3000, &f);
    assert_false(f.s[0].ok_wrong && f.s[0].ok_missing && f.s[0].ok_far);
    assert_false(oracle_pass(&f));

    /* shrunk: zones built at 0.99 d (50 m short over 110 km: about 5.5 km² missing) */
    GEOSGeometry *sa = exact_half(h, ab, ab + 2, 0.99 * d, +1, 2000, &wa2);
    measure(h, ab, d, sa, zb, wa2, wb, areas, 3000, &f);
    assert_false(f.s[0].ok_missing);
    assert_false(f.s[0].ok_wd);
    assert_true(f.s[1].ok_missing && f.s[1].ok_wrong);

    /* grown: 1.01 d is extra ground (and an off withdrawal line) */
    GEOSGeometry *ga = exact_half(h, ab, ab + 2, 1.01 * d, +1, 2000, &wa3);
    measure(h, ab, d, ga, zb, wa3, wb, areas, 3000, &f);
    assert_false(f.s[0].ok_far);
    assert_false(f.s[0].ok_wd);

    /* a 30 m² hole in the middle of zone A is a spurious interior ring */
    {
        struct geod_geodesic g = wgs84();
        double la, lo;
        geod_direct(&g, 48.15, 30.5, -60, 2500, &la, &lo, NULL);
        double e = 2.7e-5; /* ~3 m × 2 m at 48° */
        char wkt[256];
        snprintf(wkt, sizeof wkt, "POLYGON((%.9f %.9f,%.9f %.9f,%.9f %.9f,%.9f %.9f,%.9f %.9f))",
                 lo - e, la - e, lo + e, la - e, lo + e, la + e, lo - e, la + e, lo - e, la - e);
        GEOSWKTReader *r = GEOSWKTReader_create_r(h);
        GEOSGeometry *hole = GEOSWKTReader_read_r(h, r, wkt);
        GEOSWKTReader_destroy_r(h, r);
        GEOSGeometry *holed = GEOSDifference_r(h, za, hole);
        if (GEOSGeomTypeId_r(h, holed) == GEOS_POLYGON)
            holed = multi(h, holed, GEOS_MULTIPOLYGON);
        measure(h, ab, d, holed, zb, wa, wb, areas, 3000, &f);
        assert_int_equal(f.s[0].holes, 1);
        assert_int_equal(f.s[0].spurious_holes, 1);
        assert_true(f.s[0].spurious_hole_m2 > 5 && f.s[0].spurious_hole_m2 < 100);
        assert_false(oracle_pass(&f));
        GEOSGeom_destroy_r(h, hole);
        GEOSGeom_destroy_r(h, holed);
    }
    GEOSGeom_destroy_r(h, shifted);
    GEOSGeom_destroy_r(h, sa);
    GEOSGeom_destroy_r(h, ga);
    GEOSGeom_destroy_r(h, za);
    GEOSGeom_destroy_r(h, zb);
    GEOSGeom_destroy_r(h, wa);
    GEOSGeom_destroy_r(h, wb);
    GEOSGeom_destroy_r(h, wa2);
    GEOSGeom_destroy_r(h, wa3);
    (void)wb2;
    (void)wb3;
}

/* The region: zones clipped to a region that cuts the segment; ground larger than the region
 * is caught. */
static void region_and_ground(void **state)
{
    GEOSContextHandle_t h = *state;
    double ab[4] = {30, 48, 31, 48}, d = 5000;
    GEOSGeometry *wa, *wb;
    GEOSGeometry *za = exact_half(h, ab, ab + 2, d, +1, 2000, &wa);
    GEOSGeometry *zb = exact_half(h, ab, ab + 2, d, -1, 2000, &wb);
    GEOSWKTReader *r = GEOSWKTReader_create_r(h);
    GEOSGeometry *region =
        GEOSWKTReader_read_r(h, r, "POLYGON((30.2 47,30.8 47,30.8 49,30.2 49,30.2 47))");
    GEOSWKTReader_destroy_r(h, r);
    GEOSGeometry *ca = GEOSIntersection_r(h, za, region), *cb = GEOSIntersection_r(h, zb, region);
    if (GEOSGeomTypeId_r(h, ca) == GEOS_POLYGON)
        ca = multi(h, ca, GEOS_MULTIPOLYGON);
    if (GEOSGeomTypeId_r(h, cb) == GEOS_POLYGON)
        cb = multi(h, cb, GEOS_MULTIPOLYGON);
    size_t sz[1] = {2};
    oracle_line *l = oracle_line_new(ab, sz, 1);
    /* areas read as the region reads its edges (straight in lon/lat) */
    double areas[2] = {oracle_area(h, ca, 1, 0.01), oracle_area(h, cb, 1, 0.01)};
    oracle_input in = {l, region, NULL, {d, d}, 3000, 5, 4.0};
    /* the withdrawal lines of the unclipped zones would be partly outside: clip them too */
    GEOSGeometry *cwa = GEOSIntersection_r(h, wa, region), *cwb = GEOSIntersection_r(h, wb, region);
    oracle_result_side res[2] = {{ca, cwa, areas[0]}, {cb, cwb, areas[1]}};
    oracle_figures f;
    assert_int_equal(oracle_measure(h, &in, res, &f), 0);
    assert_true(oracle_pass(&f));
    /* the unclipped zones are extra ground outside the region */
    oracle_result_side bad[2] = {{za, wa, oracle_area(h, za, 1, 0.01)}, {cb, cwb, areas[1]}};
    assert_int_equal(oracle_measure(h, &in, bad, &f), 0);
    assert_false(f.s[0].ok_far);
    /* and zones claiming more than the region's own area are caught */
    oracle_result_side big[2] = {{ca, cwa, 1e12}, {cb, cwb, areas[1]}};
    assert_int_equal(oracle_measure(h, &in, big, &f), 0);
    assert_false(f.ok_ground);
    oracle_line_free(l);
    GEOSGeometry *gs[] = {za, zb, wa, wb, region, ca, cb, cwa, cwb};
    for (size_t i = 0; i < sizeof gs / sizeof gs[0]; i++)
        GEOSGeom_destroy_r(h, gs[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(box_area_closed_form),
        cmocka_unit_test(nearest_against_brute_force),
        cmocka_unit_test(sides),
        cmocka_unit_test(exact_segment_passes),
        cmocka_unit_test(wrong_results_are_caught),
        cmocka_unit_test(region_and_ground),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

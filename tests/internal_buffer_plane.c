/* internal_buffer_plane.c — a buffer piece's way back from its plane to lon/lat
 * (bzi_plane_polygon_to_lonlat) on the shape that broke seed 6's cases 407 and 561: GEOS's
 * buffer of a line along a parallel far south has a turn-back spike a few millimetres thin on
 * its inner edge, valid in the plane, whose lon/lat chords cross (GEOS's union then threw
 * "side location conflict"). Also thin cracks, a spike at the ring's closing vertex, and
 * thicker turn-backs that must be kept.
 *
 * Checked independently of the mapping: the result is valid (GEOS), and every vertex, taken
 * back to the plane with PROJ's own "+proj=aeqd +ellps=WGS84" (not the library's geodesics),
 * lies on the planar ring within the dropped spike's height. */
#include "zones/buffer_plane.h"
#include "geo/geodesic.h"

#include <geodesic.h>
#include <geos_c.h>
#include <math.h>
#include <proj.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "support.h"

#define DEG (3.14159265358979323846 / 180.0)

/* The piece of seed 6 case 407: centred at 99.344943°W 83.665117°S, 100 km. */
static const double LON0 = -99.344943, LAT0 = -83.665117;

typedef struct shape {
    double *xy;
    size_t n; /* closed: xy[n-1] == xy[0] */
} shape;

/* The planar buffer of a stretch of the parallel through the centre: the annulus sector about
 * the pole's image between radii r-100 km and r+100 km, 250 km wide, the inner (poleward) arc
 * drawn with a vertex every 1.2 km; the ring runs counter-clockwise. At inner vertex `at`
 * (at < 0: none) a turn-back: the ring runs `tip` metres on, comes `back` metres back, `off`
 * metres to the side, then goes on to the next vertex:
 *  - along the arc (into == 0), off to the exterior: the spike as GEOS left it;
 *  - along the normal into the interior (into == 1), off towards the next vertex: a crack. */
static shape planar_sector(double tip, double back, double off, int at, int into)
{
    double r = 703317.0; /* the pole's distance from the centre, about (90 - 83.665)° */
    double cy = -r, half = 125000.0 / r;
    int n_arc = 209;
    shape s = {malloc(sizeof(double) * 2 * (size_t)(2 * n_arc + 8)), 0};
    for (int i = 0; i < n_arc; i++) { /* outer arc, east to west */
        double a = half - 2.0 * half * i / (n_arc - 1);
        s.xy[2 * s.n] = (r + 100000.0) * sin(a);
        s.xy[2 * s.n + 1] = cy + (r + 100000.0) * cos(a);
        s.n++;
    }
    for (int i = 0; i < n_arc; i++) { /* inner arc, west to east */
        double a = -half + 2.0 * half * i / (n_arc - 1);
        double x = (r - 100000.0) * sin(a), y = cy + (r - 100000.0) * cos(a);
        s.xy[2 * s.n] = x;
        s.xy[2 * s.n + 1] = y;
        s.n++;
        if (i == at) {
            double tx = cos(a), ty = -sin(a);                  /* along the arc, eastwards */
            double nx = -ty, ny = tx;                          /* to the left: the interior */
            double ux = into ? nx : tx, uy = into ? ny : ty;   /* the turn-back's direction */
            double vx = into ? tx : -nx, vy = into ? ty : -ny; /* its side step */
            s.xy[2 * s.n] = x + tip * ux;
            s.xy[2 * s.n + 1] = y + tip * uy;
            s.n++;
            s.xy[2 * s.n] = x + (tip - back) * ux + off * vx;
            s.xy[2 * s.n + 1] = y + (tip - back) * uy + off * vy;
            s.n++;
        }
    }
    s.xy[2 * s.n] = s.xy[0];
    s.xy[2 * s.n + 1] = s.xy[1];
    s.n++;
    return s;
}

static GEOSGeometry *polygon_of(GEOSContextHandle_t h, const shape *s)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, s->xy, (unsigned)s->n, 0, 0);
    return GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
}

static bzi_plane plane_with_spike(const struct geod_geodesic *g, double spike)
{
    /* what buffer.c gives a 100 km piece here: chords of at most 1 cm sag */
    bzi_plane p = {g, LON0, LAT0,
                   bzi_lonlat_edge_sag_m(fabs(LAT0) + 200000.0 / 110000.0, 2000.0, 0.01), spike};
    return p;
}

/* Distance from (x, y) to the closed ring s (planar, closest point of each segment). */
static double dist_to_ring(const shape *s, double x, double y)
{
    double best = INFINITY;
    for (size_t k = 1; k < s->n; k++) {
        double ax = s->xy[2 * k - 2], ay = s->xy[2 * k - 1];
        double dx = s->xy[2 * k] - ax, dy = s->xy[2 * k + 1] - ay;
        double len2 = dx * dx + dy * dy;
        double t = len2 > 0.0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0.0;
        t = fmin(1.0, fmax(0.0, t));
        best = fmin(best, hypot(x - ax - t * dx, y - ay - t * dy));
    }
    return best;
}

/* Every vertex of the lon/lat result, back in the plane by PROJ, within `tol` of s's ring. */
static void assert_on_ring(GEOSContextHandle_t h, const GEOSGeometry *ll, const shape *s,
                           double tol)
{
    PJ_CONTEXT *pc = proj_context_create();
    char def[160];
    snprintf(def, sizeof def, "+proj=aeqd +ellps=WGS84 +lat_0=%.9f +lon_0=%.9f +x_0=0 +y_0=0", LAT0,
             LON0);
    PJ *pj = proj_create(pc, def);
    assert_non_null(pj);
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, GEOSGetExteriorRing_r(h, ll));
    unsigned m = 0;
    assert_true(GEOSCoordSeq_getSize_r(h, cs, &m));
    double worst = 0.0;
    for (unsigned i = 0; i < m; i++) {
        double lon, lat;
        GEOSCoordSeq_getXY_r(h, cs, i, &lon, &lat);
        PJ_COORD c = proj_trans(pj, PJ_FWD, proj_coord(lon * DEG, lat * DEG, 0, 0));
        worst = fmax(worst, dist_to_ring(s, c.xy.x, c.xy.y));
    }
    if (!(worst <= tol))
        fail_msg("a vertex is %.4g m off the planar ring (allowed %.4g m)", worst, tol);
    proj_destroy(pj);
    proj_context_destroy(pc);
}

/* The case as found: 17 vertices of the inner edge of seed 6 case 407's piece, as GEOS 3.11
 * buffered it (the ring runs west; vertex 8 is the tip of a 35 m turn-back 4.1 mm thin), closed
 * through the piece's centre line. */
static const double FOUND[][2] = {
    {-13039.086087809996, -100139.36604469661}, {-14057.481352885701, -100161.92439377494},
    {-15002.208761085967, -100184.38843031837}, {-16106.570815823961, -100212.62029536492},
    {-17199.873980660206, -100242.34108109413}, {-18293.115253480955, -100274.25372333288},
    {-19390.156940421264, -100308.05535624627}, {-20483.705997142668, -100343.85959803264},
    {-21653.614962637632, -100384.14083183707}, {-21618.722207561084, -100382.93532337771},
    {-23204.788829536581, -100425.82113868374}, {-24791.336234411654, -100443.53708018859},
    {-26377.965017361559, -100436.0786879987},  {-27964.275753075104, -100403.44783972445},
    {-29549.869096307772, -100345.65275000737}, {-31134.345882414782, -100262.70796845223},
    {-32717.30722783857, -100154.63437596423},
};

static void test_thin_spike_far_south(void **state)
{
    (void)state;
    struct geod_geodesic g = support_wgs84();
    GEOSContextHandle_t h = GEOS_init_r();
    size_t nf = sizeof FOUND / sizeof FOUND[0];
    shape s = {malloc(sizeof(double) * 2 * (nf + 3)), 0};
    for (size_t i = 0; i < nf; i++) {
        s.xy[2 * i] = FOUND[i][0];
        s.xy[2 * i + 1] = FOUND[i][1];
    }
    s.n = nf;
    const double close[3][2] = {
        {FOUND[nf - 1][0], 0.0}, {FOUND[0][0], 0.0}, {FOUND[0][0], FOUND[0][1]}};
    for (int i = 0; i < 3; i++, s.n++) {
        s.xy[2 * s.n] = close[i][0];
        s.xy[2 * s.n + 1] = close[i][1];
    }
    GEOSGeometry *planar = polygon_of(h, &s);
    assert_int_equal(GEOSisValid_r(h, planar), 1); /* valid in the plane, as GEOS gave it */

    /* kept as it is, the lon/lat image crosses itself: what made GEOS's union throw */
    bzi_plane keep = plane_with_spike(&g, 0.0);
    int st = 0;
    GEOSGeometry *crossed = bzi_plane_polygon_to_lonlat(h, &keep, planar, &st);
    assert_non_null(crossed);
    assert_int_equal(GEOSisValid_r(h, crossed), 0);
    GEOSGeom_destroy_r(h, crossed);

    bzi_plane p = plane_with_spike(&g, 0.02);
    GEOSGeometry *ll = bzi_plane_polygon_to_lonlat(h, &p, planar, &st);
    assert_non_null(ll);
    assert_int_equal(GEOSisValid_r(h, ll), 1);
    assert_on_ring(h, ll, &s, 0.0042);
    GEOSGeom_destroy_r(h, ll);
    GEOSGeom_destroy_r(h, planar);
    free(s.xy);
    GEOS_finish_r(h);
}

/* Turn-backs either way (spikes out of the interior, cracks into it), one at the ring's closing
 * vertex, and one thicker than the threshold, which must be kept exactly. */
static void test_turn_backs(void **state)
{
    (void)state;
    struct geod_geodesic g = support_wgs84();
    GEOSContextHandle_t h = GEOS_init_r();
    const struct {
        double off; /* the returning vertex's side step */
        int at, into;
        int dropped; /* vertices the result lacks against the input */
    } cases[] = {
        {0.004, 50, 0, 1}, /* a spike as found */
        {0.004, 50, 1, 1}, /* a crack */
        {0.004, 0, 0, 1},  /* at the inner arc's first vertex */
        {0.5, 50, 0, 0},   /* 50 cm: a real shape, kept */
        {0.5, 50, 1, 0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        shape s = planar_sector(900.0, 30.0, cases[c].off, cases[c].at, cases[c].into);
        GEOSGeometry *planar = polygon_of(h, &s);
        assert_int_equal(GEOSisValid_r(h, planar), 1);
        bzi_plane p = plane_with_spike(&g, 0.02);
        /* no densification: vertices map one to one, so the count shows what was dropped */
        p.max_edge = 1e9;
        int st = 0;
        GEOSGeometry *ll = bzi_plane_polygon_to_lonlat(h, &p, planar, &st);
        assert_non_null(ll);
        int n_in = GEOSGetNumCoordinates_r(h, planar), n_out = GEOSGetNumCoordinates_r(h, ll);
        if (n_in - n_out != cases[c].dropped)
            fail_msg("case %zu: %d of %d vertices dropped, expected %d", c, n_in - n_out, n_in,
                     cases[c].dropped);
        assert_int_equal(GEOSisValid_r(h, ll), 1);
        assert_on_ring(h, ll, &s, cases[c].off + 1e-6);
        GEOSGeom_destroy_r(h, ll);
        GEOSGeom_destroy_r(h, planar);
        free(s.xy);
    }

    /* a spike at the closing vertex itself: rotate the ring so it starts at the spike's tip */
    shape s = planar_sector(900.0, 30.0, 0.004, 50, 0);
    size_t tip = 209 + 51, n = s.n - 1; /* outer arc, inner vertices 0..50, then the tip */
    double *rot = malloc(sizeof(double) * 2 * s.n);
    for (size_t k = 0; k < n; k++) {
        rot[2 * k] = s.xy[2 * ((tip + k) % n)];
        rot[2 * k + 1] = s.xy[2 * ((tip + k) % n) + 1];
    }
    rot[2 * n] = rot[0];
    rot[2 * n + 1] = rot[1];
    free(s.xy);
    s.xy = rot;
    GEOSGeometry *planar = polygon_of(h, &s);
    bzi_plane p = plane_with_spike(&g, 0.02);
    p.max_edge = 1e9;
    int st = 0;
    GEOSGeometry *ll = bzi_plane_polygon_to_lonlat(h, &p, planar, &st);
    assert_non_null(ll);
    assert_int_equal(GEOSGetNumCoordinates_r(h, planar) - GEOSGetNumCoordinates_r(h, ll), 1);
    assert_int_equal(GEOSisValid_r(h, ll), 1);
    assert_on_ring(h, ll, &s, 0.004 + 1e-6);
    GEOSGeom_destroy_r(h, ll);
    GEOSGeom_destroy_r(h, planar);
    free(s.xy);
    GEOS_finish_r(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thin_spike_far_south),
        cmocka_unit_test(test_turn_backs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* internal_pip.c — bzi_pip_contains (the area check's point in polygon, core/pip.c) against
 * GEOS's own point location (GEOSIntersects on a point) as independent truth: a long wiggly
 * band (in both orientations, so both frames of the strips are used), a multipolygon with holes
 * and an island in a hole, a triangle fan with many vertices on one level, and an empty
 * geometry. Points: random ones over and around each, and points at the exact y (and x) of every
 * vertex, where a ray runs through vertices. Points within 1e-9 of an edge may go either way and
 * are skipped (found with bzi_edge_grid_near). */
#include "core/edge_grid.h"
#include "core/pip.h"

#include <geos_c.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "support.h"

/* Compare on n random points in the geometry's box (grown by a tenth), and on the vertices' own
 * coordinates shifted along one axis; returns how many points were compared. */
static size_t compare(GEOSContextHandle_t h, const GEOSGeometry *g, uint64_t *seed, int n)
{
    bzi_pip p;
    assert_int_equal(bzi_pip_build(h, g, &p), 0);
    bzi_edge_grid edges; /* only to skip points on an edge (tested in internal_edge_grid) */
    assert_int_equal(bzi_edge_grid_build(h, g, &edges), 0);
    const GEOSPreparedGeometry *pg = GEOSPrepare_r(h, g);
    assert_non_null(pg);
    double x0, y0, x1, y1;
    assert_true(GEOSGeom_getXMin_r(h, g, &x0) && GEOSGeom_getYMin_r(h, g, &y0) &&
                GEOSGeom_getXMax_r(h, g, &x1) && GEOSGeom_getYMax_r(h, g, &y1));
    double wx = x1 - x0, wy = y1 - y0;
    GEOSGeometry *pts = GEOSGeom_extractUniquePoints_r(h, g);
    assert_non_null(pts);
    int nv = GEOSGetNumGeometries_r(h, pts);
    size_t compared = 0;
    for (int i = 0; i < n + 4 * nv; i++) {
        double x, y;
        if (i < n) {
            x = x0 - 0.1 * wx + 1.2 * wx * support_random(seed);
            y = y0 - 0.1 * wy + 1.2 * wy * support_random(seed);
        } else { /* a vertex's y (or x) exactly, the other coordinate anywhere */
            const GEOSGeometry *v = GEOSGetGeometryN_r(h, pts, (i - n) / 4);
            GEOSGeomGetX_r(h, v, &x);
            GEOSGeomGetY_r(h, v, &y);
            double r = support_random(seed) - 0.5;
            if ((i - n) % 2)
                x += 1.2 * wx * r;
            else
                y += 1.2 * wy * r;
        }
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
        if (!bzi_edge_grid_near(&edges, x, y, 1e-9)) {
            int want = GEOSPreparedIntersects_r(h, pg, pt);
            if (bzi_pip_contains(&p, x, y) != want)
                fail_msg("point %.17g %.17g: pip says %d, GEOS %d", x, y, !want, want);
            compared++;
        }
        GEOSGeom_destroy_r(h, pt);
    }
    GEOSGeom_destroy_r(h, pts);
    GEOSPreparedGeom_destroy_r(h, pg);
    bzi_edge_grid_free(&edges);
    bzi_pip_free(&p);
    return compared;
}

static GEOSGeometry *from_wkt(GEOSContextHandle_t h, const char *wkt)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(h);
    GEOSGeometry *g = GEOSWKTReader_read_r(h, r, wkt);
    GEOSWKTReader_destroy_r(h, r);
    assert_non_null(g);
    return g;
}

/* A band along a wiggly line (GEOS's buffer of it), east-west or north-south. */
static GEOSGeometry *band(GEOSContextHandle_t h, int north_south, uint64_t *seed)
{
    const int n = 3000;
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, (unsigned)n, 2);
    double along = 0, across = 0;
    for (int i = 0; i < n; i++) {
        along += 0.01;
        across += 0.004 * sin(i / 40.0) + 0.003 * (support_random(seed) - 0.5);
        GEOSCoordSeq_setXY_r(h, cs, (unsigned)i, north_south ? 30 + across : 20 + along,
                             north_south ? 40 + along : 48 + across);
    }
    GEOSGeometry *line = GEOSGeom_createLineString_r(h, cs);
    GEOSGeometry *g = GEOSBuffer_r(h, line, 0.05, 8);
    GEOSGeom_destroy_r(h, line);
    assert_non_null(g);
    return g;
}

static void test_against_geos(void **state)
{
    (void)state;
    GEOSContextHandle_t h = GEOS_init_r();
    uint64_t seed = 99;
    size_t compared = 0;
    for (int ns = 0; ns < 2; ns++) {
        GEOSGeometry *g = band(h, ns, &seed);
        compared += compare(h, g, &seed, 20000);
        GEOSGeom_destroy_r(h, g);
    }
    static const char *const wkt[] = {
        "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 8 2, 8 8, 2 8, 2 2)), "
        "((4 4, 6 4, 6 6, 4 6, 4 4)), ((20 0, 30 5, 20 10, 25 5, 20 0)))",
        "POLYGON ((0 0, 1 1, 2 0, 3 1, 4 0, 5 1, 6 0, 7 1, 8 0, 8 3, 7 2, 6 3, 5 2, 4 3, 3 2, 2 3, "
        "1 2, 0 3, 0 0), (3.5 1.2, 4.5 1.2, 4 1.8, 3.5 1.2))",
        "POLYGON ((0 0, 5 0, 5 5, 4 5, 4 1, 3 1, 3 5, 2 5, 2 1, 1 1, 1 5, 0 5, 0 0))"};
    for (size_t i = 0; i < sizeof wkt / sizeof wkt[0]; i++) {
        GEOSGeometry *g = from_wkt(h, wkt[i]);
        compared += compare(h, g, &seed, 5000);
        GEOSGeom_destroy_r(h, g);
    }
    assert_true(compared > 40000);
    /* nothing is inside an empty geometry, or inside lines */
    GEOSGeometry *empty = from_wkt(h, "POLYGON EMPTY");
    bzi_pip p;
    assert_int_equal(bzi_pip_build(h, empty, &p), 0);
    assert_false(bzi_pip_contains(&p, 0, 0));
    bzi_pip_free(&p);
    GEOSGeom_destroy_r(h, empty);
    GEOSGeometry *lines = from_wkt(h, "LINESTRING (0 0, 1 1, 0 1, 0 0)");
    assert_int_equal(bzi_pip_build(h, lines, &p), 0);
    assert_false(bzi_pip_contains(&p, 0.2, 0.5));
    bzi_pip_free(&p);
    GEOSGeom_destroy_r(h, lines);
    GEOS_finish_r(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_geos)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

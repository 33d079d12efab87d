/* internal_edge_grid.c — bzi_edge_grid_near (the self-check's "does this sample lie on a
 * ground's edge?") against GEOS's own distance from the point to the polygons' boundary, on
 * generated inputs: star-shaped polygons with holes and several parts, at scales from 1e-5° to
 * 300° of longitude (rounded frames run past ±180), with vertices from 4 to 2,000 per ring,
 * repeated vertices and long edges crossing many grid cells; points drawn on and beside the
 * edges at distances around the tolerance, and anywhere in the box. Lines and points of a
 * collection are skipped; an empty geometry has no edge. */
#include "core/edge_grid.h"

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

#define TWO_PI 6.283185307179586

/* A closed star-shaped ring of n vertices round (cx, cy), radius r·(1 ± wobble), with every
 * 7th vertex repeated when `repeats` (zero-length segments). Counter-clockwise. */
static GEOSGeometry *star_ring(GEOSContextHandle_t h, uint64_t *rng, double cx, double cy, double r,
                               double wobble, int n, int repeats)
{
    double *xy = malloc((size_t)(2 * (2 * n + 1)) * sizeof *xy);
    unsigned k = 0;
    for (int i = 0; i < n; i++) {
        double a = TWO_PI * i / n, rr = r * (1.0 + wobble * (2.0 * support_random(rng) - 1.0));
        xy[2 * k] = cx + rr * cos(a);
        xy[2 * k + 1] = cy + rr * sin(a);
        k++;
        if (repeats && i % 7 == 3) {
            xy[2 * k] = xy[2 * k - 2];
            xy[2 * k + 1] = xy[2 * k - 1];
            k++;
        }
    }
    xy[2 * k] = xy[0];
    xy[2 * k + 1] = xy[1];
    k++;
    GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, xy, k, 0, 0);
    free(xy);
    return GEOSGeom_createLinearRing_r(h, cs);
}

/* A MultiPolygon of `parts` stars side by side, each with a hole when `holes`. */
static GEOSGeometry *stars(GEOSContextHandle_t h, uint64_t *rng, double x0, double y0, double r,
                           int parts, int n, int holes, int repeats)
{
    GEOSGeometry **polys = malloc((size_t)parts * sizeof *polys);
    for (int p = 0; p < parts; p++) {
        double cx = x0 + 3.0 * r * p;
        GEOSGeometry *shell = star_ring(h, rng, cx, y0, r, 0.3, n, repeats);
        GEOSGeometry *hole = holes ? star_ring(h, rng, cx, y0, 0.3 * r, 0.2, n / 2 + 3, 0) : NULL;
        polys[p] = GEOSGeom_createPolygon_r(h, shell, hole ? &hole : NULL, hole ? 1 : 0);
        assert_non_null(polys[p]);
    }
    GEOSGeometry *mp = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, (unsigned)parts);
    free(polys);
    assert_non_null(mp);
    return mp;
}

/* Compare the grid with GEOS at `npts` points: half of them on a random edge point moved by up
 * to 3 tolerances in a random direction, half anywhere in the envelope grown by 2 tolerances.
 * Points whose GEOS distance is within 1e-9 of the tolerance (relative) are ties and skipped. */
static void compare(GEOSContextHandle_t h, const GEOSGeometry *g, uint64_t *rng, double tol,
                    int npts, int *near_seen, int *far_seen)
{
    bzi_edge_grid eg;
    assert_int_equal(bzi_edge_grid_build(h, g, &eg), 0);
    GEOSGeometry *edge = GEOSBoundary_r(h, g);
    assert_non_null(edge);
    double minx = 0, miny = 0, maxx = 0, maxy = 0;
    assert_int_equal(GEOSGeom_getExtent_r(h, g, &minx, &miny, &maxx, &maxy), 1);
    size_t nseg = eg.segs.n / 4;
    assert_true(nseg > 0);
    for (int i = 0; i < npts; i++) {
        double x, y;
        if (i % 2 == 0) {
            const double *s = eg.segs.v + 4 * (size_t)(support_random(rng) * (double)nseg);
            double t = support_random(rng), a = TWO_PI * support_random(rng);
            double off = 3.0 * tol * support_random(rng);
            x = s[0] + t * (s[2] - s[0]) + off * cos(a);
            y = s[1] + t * (s[3] - s[1]) + off * sin(a);
        } else {
            x = minx - 2 * tol + (maxx - minx + 4 * tol) * support_random(rng);
            y = miny - 2 * tol + (maxy - miny + 4 * tol) * support_random(rng);
        }
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
        double d = 0;
        assert_int_equal(GEOSDistance_r(h, edge, pt, &d), 1);
        GEOSGeom_destroy_r(h, pt);
        if (fabs(d - tol) <= 1e-9 * tol)
            continue;
        int want = d <= tol, got = bzi_edge_grid_near(&eg, x, y, tol);
        if (want != got)
            fail_msg("point %.17g %.17g: GEOS distance %.17g, tolerance %.17g, grid says %s", x, y,
                     d, tol, got ? "near" : "far");
        *near_seen += want;
        *far_seen += !want;
    }
    GEOSGeom_destroy_r(h, edge);
    bzi_edge_grid_free(&eg);
}

static void test_generated(void **state)
{
    (void)state;
    GEOSContextHandle_t h = GEOS_init_r();
    uint64_t rng = 20261203;
    static const double radius[] = {1e-5, 0.01, 1.0, 20.0, 100.0};
    static const int vertices[] = {4, 40, 400, 2000};
    int near_seen = 0, far_seen = 0, cases = 0;
    for (size_t r = 0; r < sizeof radius / sizeof *radius; r++)
        for (size_t v = 0; v < sizeof vertices / sizeof *vertices; v++)
            for (int variant = 0; variant < 4; variant++) {
                int parts = 1 + variant % 3, holes = variant & 1, repeats = variant >= 2;
                /* centres from the equator to far past 180 (a rounded frame's longitudes) */
                double x0 = -170.0 + 340.0 * support_random(&rng) + (variant == 3 ? 150.0 : 0.0);
                double y0 = -60.0 + 120.0 * support_random(&rng);
                GEOSGeometry *g =
                    stars(h, &rng, x0, y0, radius[r], parts, vertices[v], holes, repeats);
                /* the self-check's tolerance (4.5e-6°) and tolerances near the edge length */
                double tols[] = {4.5e-6, 0.3 * radius[r] * TWO_PI / vertices[v]};
                for (int k = 0; k < 2; k++)
                    compare(h, g, &rng, tols[k], 200, &near_seen, &far_seen);
                GEOSGeom_destroy_r(h, g);
                cases++;
            }
    /* the generated points fall on both sides of the tolerance, so the comparison means something
     */
    assert_true(near_seen > 1000);
    assert_true(far_seen > 1000);
    printf("%d geometries, %d near and %d far points agree with GEOS\n", cases, near_seen,
           far_seen);
    GEOS_finish_r(h);
}

/* Lines and points of a collection have no polygon edge; an empty geometry has no edge at all. */
static void test_only_polygon_rings(void **state)
{
    (void)state;
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSWKTReader *rd = GEOSWKTReader_create_r(h);
    GEOSGeometry *g =
        GEOSWKTReader_read_r(h, rd,
                             "GEOMETRYCOLLECTION(LINESTRING(0 5, 10 5), POINT(20 20), "
                             "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0)))");
    assert_non_null(g);
    bzi_edge_grid eg;
    assert_int_equal(bzi_edge_grid_build(h, g, &eg), 0);
    assert_int_equal(eg.segs.n / 4, 4);
    assert_true(bzi_edge_grid_near(&eg, 0.5, 1.0 + 1e-7, 1e-6)); /* on the square's top edge */
    assert_false(bzi_edge_grid_near(&eg, 5.0, 5.0, 1e-6));       /* on the line: not an edge */
    assert_false(bzi_edge_grid_near(&eg, 20.0, 20.0, 1e-6));     /* on the point */
    assert_false(bzi_edge_grid_near(&eg, 0.5, 0.5, 0.4));        /* inside, 0.5 from every edge */
    assert_true(bzi_edge_grid_near(&eg, 0.5, 0.5, 0.5 + 1e-12));
    bzi_edge_grid_free(&eg);
    GEOSGeom_destroy_r(h, g);

    GEOSGeometry *empty = GEOSWKTReader_read_r(h, rd, "MULTIPOLYGON EMPTY");
    assert_int_equal(bzi_edge_grid_build(h, empty, &eg), 0);
    assert_int_equal(eg.segs.n, 0);
    assert_false(bzi_edge_grid_near(&eg, 0.0, 0.0, 1e9));
    bzi_edge_grid_free(&eg);
    GEOSGeom_destroy_r(h, empty);
    GEOSWKTReader_destroy_r(h, rd);
    GEOS_finish_r(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated),
        cmocka_unit_test(test_only_polygon_rings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

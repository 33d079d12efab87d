/* internal_curve_set.c — the curves between a line's parts as coordinates (curve_set.h): ends
 * that one diagram vertex gave a rounding apart are joined, ends farther apart than the
 * tolerance are not, and the GEOS lines keep every curve with its repeated points dropped.
 *
 * Checked independently of the joining: GEOS's polygonizer, given the curves, closes a square
 * only when its four sides are joined end to end (an unjoined corner leaves no face). */
#include "zones/curve_set.h"

#include <geos_c.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

static void add2(bzi_curve_set *s, double x0, double y0, double x1, double y1)
{
    bzi_coords c = {0};
    assert_int_equal(bzi_coords_push2(&c, x0, y0), 0);
    assert_int_equal(bzi_coords_push2(&c, x1, y1), 0);
    assert_int_equal(bzi_curve_set_add(s, &c), 0);
    free(c.v);
}

/* The unit square at (180, 26) as four curves, each corner given twice with the second copy
 * `off` degrees away (a rounding at 180 degrees is 2.8e-14). */
static void square(bzi_curve_set *s, double off)
{
    add2(s, 180.0, 26.0, 180.001, 26.0);
    add2(s, 180.001 + off, 26.0, 180.001, 26.001);
    add2(s, 180.001, 26.001 + off, 180.0, 26.001);
    add2(s, 180.0 - off, 26.001, 180.0, 26.0 + off);
}

/* faces GEOS's polygonizer closes from the set (after noding, as sides.c does) */
static int faces(GEOSContextHandle_t h, const bzi_curve_set *s)
{
    GEOSGeometry *g = NULL;
    assert_int_equal(bzi_curve_set_geometry(h, s, &g), 0);
    GEOSGeometry *noded = GEOSNode_r(h, g);
    assert_non_null(noded);
    const GEOSGeometry *in[1] = {noded};
    GEOSGeometry *p = GEOSPolygonize_r(h, in, 1);
    assert_non_null(p);
    int n = GEOSGetNumGeometries_r(h, p);
    GEOSGeom_destroy_r(h, p);
    GEOSGeom_destroy_r(h, noded);
    GEOSGeom_destroy_r(h, g);
    return n;
}

static void test_rounding_apart_joined(void **state)
{
    (void)state;
    GEOSContextHandle_t h = GEOS_init_r();
    bzi_curve_set s = {0};
    square(&s, 4e-14);
    assert_int_equal(faces(h, &s), 0); /* unjoined: no face */
    assert_int_equal(bzi_curve_set_join_ends(&s, 1e-10), 0);
    assert_int_equal(faces(h, &s), 1);
    bzi_curve_set_free(&s);
    GEOS_finish_r(h);
}

static void test_only_within_tolerance(void **state)
{
    (void)state;
    GEOSContextHandle_t h = GEOS_init_r();
    bzi_curve_set s = {0};
    square(&s, 1e-8); /* a millimetre: two vertices, not one */
    assert_int_equal(bzi_curve_set_join_ends(&s, 1e-10), 0);
    assert_int_equal(faces(h, &s), 0);
    bzi_curve_set_free(&s);
    /* within the tolerance: each curve's last point is now the next curve's first, exactly */
    square(&s, 5e-11);
    assert_int_equal(bzi_curve_set_join_ends(&s, 1e-10), 0);
    for (size_t i = 0; i < s.n; i++) {
        const double *last = s.pts.v + s.start[i + 1] - 2;
        const double *next = s.pts.v + s.start[(i + 1) % s.n];
        assert_true(last[0] == next[0] && last[1] == next[1]);
        assert_true(fabs(last[0] - 180.0005) > 0.0004999 && fabs(last[1] - 26.0005) > 0.0004999);
    }
    bzi_curve_set_free(&s);
    GEOS_finish_r(h);
}

static void test_geometry_drops_repeats(void **state)
{
    (void)state;
    GEOSContextHandle_t h = GEOS_init_r();
    bzi_curve_set s = {0};
    bzi_coords c = {0};
    /* a curve of one point repeated is left out; a curve with a repeated point keeps 2 points */
    assert_int_equal(bzi_coords_push2(&c, 1.0, 2.0), 0);
    assert_int_equal(bzi_coords_push2(&c, 1.0, 2.0), 0);
    assert_int_equal(bzi_curve_set_add(&s, &c), 0);
    c.n = 0;
    assert_int_equal(bzi_coords_push2(&c, 1.0, 2.0), 0);
    assert_int_equal(bzi_coords_push2(&c, 1.0, 2.0), 0);
    assert_int_equal(bzi_coords_push2(&c, 3.0, 4.0), 0);
    assert_int_equal(bzi_curve_set_add(&s, &c), 0);
    c.n = 0;
    assert_int_equal(bzi_coords_push2(&c, 5.0, 6.0), 0); /* one point: not added */
    assert_int_equal(bzi_curve_set_add(&s, &c), 0);
    assert_int_equal(s.n, 2);
    GEOSGeometry *g = NULL;
    assert_int_equal(bzi_curve_set_geometry(h, &s, &g), 0);
    assert_int_equal(GEOSGetNumGeometries_r(h, g), 1);
    assert_int_equal(GEOSGeomGetNumPoints_r(h, GEOSGetGeometryN_r(h, g, 0)), 2);
    GEOSGeom_destroy_r(h, g);
    free(c.v);
    bzi_curve_set_free(&s);
    GEOS_finish_r(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rounding_apart_joined),
        cmocka_unit_test(test_only_within_tolerance),
        cmocka_unit_test(test_geometry_drops_repeats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* internal_union.c — bzi_union_polygons (two halves on two threads) against GEOS's own
 * GEOSUnaryUnion of the same polygons: the same point set (their symmetric difference has no
 * area), a valid result, the same ellipsoidal area from geod_polygonarea called here directly;
 * on a synthetic grid of adjacent cells (a coverage: one square is left) and an overlapping
 * scatter, with one thread and with two, and (with BZ_SHARED_DATA) on Ukraine's 27 oblasts. */
#include "zones/union.h"

#include <geodesic.h>
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

static struct geod_geodesic g84;

/* A cell [x, x+w] x [y, y+h] with `per_side` vertices on each side (so inputs are large). */
static GEOSGeometry *cell(GEOSContextHandle_t h, double x, double y, double w, double hgt,
                          int per_side)
{
    size_t n = (size_t)(4 * per_side + 1), k = 0;
    double *xy = malloc(2 * n * sizeof *xy);
    for (int side = 0; side < 4; side++)
        for (int i = 0; i < per_side; i++) {
            double f = (double)i / per_side;
            xy[2 * k] = side == 0 ? x + f * w : side == 1 ? x + w : side == 2 ? x + w - f * w : x;
            xy[2 * k + 1] = side == 0   ? y
                            : side == 1 ? y + f * hgt
                            : side == 2 ? y + hgt
                                        : y + hgt - f * hgt;
            k++;
        }
    xy[2 * k] = xy[0];
    xy[2 * k + 1] = xy[1];
    GEOSGeometry *ring =
        GEOSGeom_createLinearRing_r(h, GEOSCoordSeq_copyFromBuffer_r(h, xy, (unsigned)n, 0, 0));
    free(xy);
    return GEOSGeom_createPolygon_r(h, ring, NULL, 0);
}

/* bzi_union_polygons(coll) must equal GEOSUnaryUnion(coll) as a point set. */
static void check_same_union(bz_context *ctx, const GEOSGeometry *coll)
{
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *ours = NULL, *truth = GEOSUnaryUnion_r(h, coll);
    assert_non_null(truth);
    assert_int_equal(bzi_union_polygons(&ours, ctx, coll), BZ_OK);
    assert_non_null(ours);
    assert_int_equal(GEOSisValid_r(h, ours), 1);
    GEOSGeometry *diff = GEOSSymDifference_r(h, ours, truth);
    assert_non_null(diff);
    double a_truth = truth_area(&g84, h, truth), a_diff = truth_area(&g84, h, diff);
    assert_true(a_diff <= 1e-9 * a_truth);
    assert_near(truth_area(&g84, h, ours), a_truth, 1e-9 * a_truth);
    GEOSGeom_destroy_r(h, diff);
    GEOSGeom_destroy_r(h, ours);
    GEOSGeom_destroy_r(h, truth);
}

static GEOSGeometry *grid(GEOSContextHandle_t h, int nx, int ny, int per_side, int overlap)
{
    GEOSGeometry **cells = malloc((size_t)(nx * ny) * sizeof *cells);
    int k = 0;
    for (int i = 0; i < nx; i++)
        for (int j = 0; j < ny; j++) {
            double grow = overlap ? 0.05 * ((i + j) % 3) : 0.0;
            cells[k++] = cell(h, 30 + 0.5 * i, 45 + 0.5 * j, 0.5 + grow, 0.5 + grow, per_side);
        }
    GEOSGeometry *coll =
        GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, cells, (unsigned)k);
    free(cells);
    return coll;
}

static void test_grids(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    for (int threads = 1; threads <= 2; threads++) {
        bz_context_set_threads(ctx, threads);
        for (int overlap = 0; overlap < 2; overlap++) {
            /* 6 x 4 cells of 1,200 vertices: above the two-thread threshold; wider than tall */
            GEOSGeometry *coll = grid(h, 6, 4, 300, overlap);
            check_same_union(ctx, coll);
            GEOSGeometry *u = NULL;
            assert_int_equal(bzi_union_polygons(&u, ctx, coll), BZ_OK);
            if (!overlap) /* a coverage of a 3° x 2° box: the box itself, one polygon */
                assert_int_equal(GEOSGetNumGeometries_r(h, u), 1);
            GEOSGeom_destroy_r(h, u);
            GEOSGeom_destroy_r(h, coll);
            /* taller than wide, and too small to split */
            coll = grid(h, 2, 7, overlap ? 400 : 5, overlap);
            check_same_union(ctx, coll);
            GEOSGeom_destroy_r(h, coll);
        }
    }
}

/* Separate islands (nothing to unite) and an empty collection. */
static void test_disjoint_and_empty(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    bz_context_set_threads(ctx, 2);
    GEOSGeometry *cells[8];
    for (int i = 0; i < 8; i++)
        cells[i] = cell(h, 10 + 2.0 * i, 5, 1, 1, 3000);
    GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, cells, 8);
    check_same_union(ctx, coll);
    GEOSGeometry *u = NULL;
    assert_int_equal(bzi_union_polygons(&u, ctx, coll), BZ_OK);
    assert_int_equal(GEOSGetNumGeometries_r(h, u), 8);
    GEOSGeom_destroy_r(h, u);
    GEOSGeom_destroy_r(h, coll);
    coll = GEOSGeom_createEmptyCollection_r(h, GEOS_GEOMETRYCOLLECTION);
    assert_int_equal(bzi_union_polygons(&u, ctx, coll), BZ_OK);
    assert_int_equal(GEOSisEmpty_r(h, u), 1);
    GEOSGeom_destroy_r(h, u);
    GEOSGeom_destroy_r(h, coll);
}

/* Ukraine's oblasts (27 polygons, 82,000 vertices, slivers between some of them). */
static void test_oblasts(void **state)
{
    const char *dir = getenv("BZ_SHARED_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/boundaries/ukraine_oblasts_minregion_2020.geojson",
             dir ? dir : "");
    char *text = dir ? support_slurp(path) : NULL;
    if (!text)
        skip();
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeoJSONReader *r = GEOSGeoJSONReader_create_r(h);
    GEOSGeometry *coll = GEOSGeoJSONReader_readGeometry_r(h, r, text);
    GEOSGeoJSONReader_destroy_r(h, r);
    free(text);
    assert_non_null(coll);
    assert_int_equal(GEOSGetNumGeometries_r(h, coll), 27);
    GEOSGeometry *u[2] = {NULL, NULL};
    for (int threads = 1; threads <= 2; threads++) {
        bz_context_set_threads(ctx, threads);
        check_same_union(ctx, coll);
        assert_int_equal(bzi_union_polygons(&u[threads - 1], ctx, coll), BZ_OK);
    }
    /* not only the same point set: the same vertices, whatever the number of threads */
    assert_int_equal(GEOSEqualsExact_r(h, u[0], u[1], 0.0), 1);
    GEOSGeom_destroy_r(h, u[0]);
    GEOSGeom_destroy_r(h, u[1]);
    GEOSGeom_destroy_r(h, coll);
}

int main(void)
{
    geod_init(&g84, WGS84_A, WGS84_F);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_grids, support_context_new, support_context_free),
        cmocka_unit_test_setup_teardown(test_disjoint_and_empty, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_oblasts, support_context_new, support_context_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

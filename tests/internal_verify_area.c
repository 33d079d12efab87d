/* internal_verify_area.c — the area check (lib/verify_area.c) sees ground that a zone lost or
 * gained: a correct result passes; the same result with a chunk cut out of a zone, a hole
 * punched into it, a chunk added beyond the distance, or a strip of ground given to neither
 * side fails with the kind of fault and a point of it. The damage is made here with GEOS on
 * the library's own (correct) zones; where it lies is known from geod_direct. */
#include "zones/verify_area.h"
#include "core/polygon.h"

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

#define D 5000.0

typedef struct fixture {
    bz_context *ctx;
    bz_line *line;
    bz_zones *z;
} fixture;

/* A 120 km line along 48°N (2 vertices), zones at 5 km on both sides. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->ctx = bz_context_new()))
        return -1;
    const double ends[4] = {30.0, 48.0, 31.6, 48.0};
    if (bz_line_from_lonlat(&f->line, f->ctx, ends, 2) ||
        bz_zones_compute(&f->z, f->ctx, f->line, NULL, NULL, D, D, NULL))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bz_zones_free(f->z);
    bz_line_free(f->line);
    bz_context_free(f->ctx);
    free(f);
    return 0;
}

/* A lon/lat box around the point `off` metres left of the line's middle (side A, along the
 * perpendicular geodesic), `half` metres on each side. */
static GEOSGeometry *box_at(fixture *f, double off, double half)
{
    struct geod_geodesic g = support_wgs84();
    struct geod_geodesicline gl;
    geod_inverseline(&gl, &g, 48.0, 30.0, 48.0, 31.6, 0);
    double mlat, mlon, azi, lat, lon;
    geod_position(&gl, 0.5 * gl.s13, &mlat, &mlon, &azi);
    geod_direct(&g, mlat, mlon, azi - 90.0, off, &lat, &lon, NULL);
    double dy = half / 111000.0, dx = half / (111000.0 * cos(lat * 3.14159265358979 / 180.0));
    char wkt[256];
    snprintf(wkt, sizeof wkt, "POLYGON((%.9f %.9f,%.9f %.9f,%.9f %.9f,%.9f %.9f,%.9f %.9f))",
             lon - dx, lat - dy, lon + dx, lat - dy, lon + dx, lat + dy, lon - dx, lat + dy,
             lon - dx, lat - dy);
    return support_wkt(f->ctx, wkt);
}

/* Run the check on the result with side A's zone and ground replaced where given. */
static bzi_area_result run(fixture *f, const GEOSGeometry *zone_a, const GEOSGeometry *ground_a)
{
    const double dist[2] = {D, D}, margin[2] = {1.0, 1.0};
    const GEOSGeometry *zone[2] = {zone_a ? zone_a : bz_zones_zone(f->z, BZ_SIDE_A),
                                   bz_zones_zone(f->z, BZ_SIDE_B)};
    const GEOSGeometry *ground[2] = {ground_a ? ground_a : bz_zones_side_ground(f->z, BZ_SIDE_A),
                                     bz_zones_side_ground(f->z, BZ_SIDE_B)};
    bzi_area_result r;
    assert_int_equal(bzi_verify_area(f->ctx, f->line, dist, margin, zone, ground, NULL, &r), BZ_OK);
    if (r.kind == BZI_AREA_OK)
        assert_true(r.samples > 1000);
    return r;
}

static void test_correct_passes(void **state)
{
    bzi_area_result r = run(*state, NULL, NULL);
    assert_int_equal(r.kind, BZI_AREA_OK);
}

/* A 3 km × 3 km chunk of side A's zone missing (from 2.5 km out to beyond its edge: a notch,
 * not a hole). */
static void test_missing_chunk(void **state)
{
    fixture *f = *state;
    GEOSContextHandle_t h = bz_context_geos(f->ctx);
    GEOSGeometry *box = box_at(f, 4000.0, 1500.0);
    GEOSGeometry *cut = GEOSDifference_r(h, bz_zones_zone(f->z, BZ_SIDE_A), box);
    bzi_area_result r = run(f, cut, NULL);
    assert_int_equal(r.kind, BZI_AREA_MISSING);
    assert_int_equal(r.side, BZ_SIDE_A);
    assert_true(r.distance_m > 2400.0 && r.distance_m < D);
    GEOSGeom_destroy_r(h, cut);
    GEOSGeom_destroy_r(h, box);
}

/* A hole of 20 m × 20 m, far too small for the samples to meet: the hole check finds it. */
static void test_spurious_hole(void **state)
{
    fixture *f = *state;
    GEOSContextHandle_t h = bz_context_geos(f->ctx);
    GEOSGeometry *box = box_at(f, 3300.0, 10.0);
    GEOSGeometry *cut = GEOSDifference_r(h, bz_zones_zone(f->z, BZ_SIDE_A), box);
    bzi_area_result r = run(f, cut, NULL);
    assert_int_equal(r.kind, BZI_AREA_HOLE);
    assert_int_equal(r.side, BZ_SIDE_A);
    assert_true(fabs(r.distance_m - 3300.0) < 50.0);
    GEOSGeom_destroy_r(h, cut);
    GEOSGeom_destroy_r(h, box);
}

/* Ground beyond the distance added to side A's zone (a 4 km box centred 6 km out). */
static void test_extra_ground(void **state)
{
    fixture *f = *state;
    GEOSContextHandle_t h = bz_context_geos(f->ctx);
    GEOSGeometry *box = box_at(f, 6000.0, 2000.0);
    GEOSGeometry *grown = GEOSUnion_r(h, bz_zones_zone(f->z, BZ_SIDE_A), box);
    bzi_area_result r = run(f, grown, NULL);
    assert_int_equal(r.kind, BZI_AREA_EXTRA);
    assert_int_equal(r.side, BZ_SIDE_A);
    assert_true(r.distance_m > D);
    GEOSGeom_destroy_r(h, grown);
    GEOSGeom_destroy_r(h, box);
}

/* A strip of side A's ground (and its zone) given to neither side: what a frame too small for
 * a long geodesic did. */
static void test_no_ground(void **state)
{
    fixture *f = *state;
    GEOSContextHandle_t h = bz_context_geos(f->ctx);
    GEOSGeometry *box = box_at(f, 3500.0, 1000.0);
    GEOSGeometry *ground = GEOSDifference_r(h, bz_zones_side_ground(f->z, BZ_SIDE_A), box);
    GEOSGeometry *zone = GEOSDifference_r(h, bz_zones_zone(f->z, BZ_SIDE_A), box);
    bzi_area_result r = run(f, zone, ground);
    assert_int_equal(r.kind, BZI_AREA_NO_GROUND);
    assert_true(r.distance_m > 2000.0 && r.distance_m < 5000.0);
    GEOSGeom_destroy_r(h, zone);
    GEOSGeom_destroy_r(h, ground);
    GEOSGeom_destroy_r(h, box);
}

/* bzi_ring_width_bound_m, which decides which holes are too thin to judge or keep: a sliver
 * hole a few nanodegrees across far from lon/lat (0, 0) is thin (seed 7 case 108 of the
 * oracle: its shoelace sum about the origin read it as 29 m wide), and a square's bound is
 * half its side in metres of latitude, wherever it lies. */
static void test_ring_width_far_from_origin(void **state)
{
    (void)state;
    GEOSContextHandle_t h = GEOS_init_r();
    const double sliver[] = {82.6341901117232567, 27.0429128488130885, 82.6341901119935045,
                             27.0429128479858960, 82.6341901117205424, 27.0429128488214516,
                             82.6341901117205282, 27.0429128488214481, 82.6341901117232567,
                             27.0429128488130885};
    GEOSGeometry *ring =
        GEOSGeom_createLinearRing_r(h, GEOSCoordSeq_copyFromBuffer_r(h, sliver, 5, 0, 0));
    assert_non_null(ring);
    double w = bzi_ring_width_bound_m(h, ring);
    assert_true(w >= 0.0 && w < 1e-6);
    GEOSGeom_destroy_r(h, ring);
    const double at[][2] = {{0.0, 0.0}, {82.6, 27.0}, {-179.99, -85.0}, {179.9, 60.0}};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        double x = at[i][0], y = at[i][1], e = 0.01;
        const double sq[] = {x, y, x + e, y, x + e, y + e, x, y + e, x, y};
        ring = GEOSGeom_createLinearRing_r(h, GEOSCoordSeq_copyFromBuffer_r(h, sq, 5, 0, 0));
        assert_non_null(ring);
        assert_near(bzi_ring_width_bound_m(h, ring), 0.5 * e * 111700.0, 1e-6);
        GEOSGeom_destroy_r(h, ring);
    }
    GEOS_finish_r(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_width_far_from_origin),
        cmocka_unit_test_setup_teardown(test_correct_passes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_chunk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spurious_hole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extra_ground, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_ground, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

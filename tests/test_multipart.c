/* test_multipart.c — lines of several parts (issue 10, class 4): each part keeps its own left and
 * right, and a point takes the side given by its NEAREST part. Truth is independent of the
 * library's distance, side and buffer code:
 *  - symmetry: configurations mirrored across the equator (a geodesic, and an exact symmetry of
 *    the ellipsoid) where the mirror swaps left and right, so side A and side B must measure the
 *    same;
 *  - brute force: random points, their nearest part found with geod_inverse against the parts
 *    cut every 20 m, their side from which side of that (east-west) part they lie on; every
 *    point clearly inside or outside (more than 3 m from the zone's edge or from the curve
 *    where two parts are equally near) must be where the library puts it. */
#include <bufferzone.h>

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

static int setup(void **state)
{
    return support_context_new(state);
}

/* Half the gap in degrees of latitude between two parallel parts 8 km apart at the equator
 * (the meridian arc of 4 km). */
static double half_gap(void)
{
    struct geod_geodesic g = support_wgs84();
    double lo = 0, hi = 0.1;
    for (int i = 0; i < 60; i++) {
        double mid = 0.5 * (lo + hi), s = 0;
        geod_inverse(&g, 0, 30, mid, 30, &s, NULL, NULL);
        if (s < 4000)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

static bz_line *parts_line(bz_context *ctx, const double *xy, const size_t *sizes, size_t n)
{
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_parts(&line, ctx, xy, sizes, n), BZ_OK);
    return line;
}

static bz_zones *zones(bz_context *ctx, const bz_line *line, const GEOSGeometry *region, double d)
{
    bz_zones *z = NULL;
    int rc = bz_zones_compute(&z, ctx, line, region, NULL, d, d, NULL);
    if (rc)
        printf("# %s\n", bz_errmsg(ctx));
    assert_int_equal(rc, BZ_OK);
    return z;
}

/* Two parts drawn the same way (east) 8 km apart, d = 5 km, small (1° long) and real size
 * (10°, 1,100 km). Mirrored across the equator the parts swap and left becomes right. Before:
 * all ground between the parts went to B (A 596, B 1,557 km² at 1°). */
static void test_same_direction(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    double g = half_gap();
    const double len[2] = {1.0, 10.0};
    for (int k = 0; k < 2; k++) {
        const double xy[8] = {30, -g, 30 + len[k], -g, 30, g, 30 + len[k], g};
        const size_t sizes[2] = {2, 2};
        bz_line *line = parts_line(ctx, xy, sizes, 2);
        GEOSGeometry *region = support_wkt(ctx, "POLYGON((29 -2,42 -2,42 2,29 2,29 -2))");
        for (int form = 0; form < 2; form++) {
            bz_zones *z = zones(ctx, line, form ? region : NULL, 5000);
            double a = bz_zones_area(z, BZ_SIDE_A), b = bz_zones_area(z, BZ_SIDE_B);
            printf("# %g° long, %s: A %.4f km², B %.4f km²\n", len[k],
                   form ? "line + region" : "line alone", a / 1e6, b / 1e6);
            /* the buffers' own accuracy (0.5 m along ~2x the parts' length) bounds the
             * difference; the ground between the parts is 8 km × length: a wrong split would
             * move millions of m² */
            assert_near(a, b, 2 * 0.5 * 2 * 111000.0 * len[k]);
            bz_zones_free(z);
        }
        GEOSGeom_destroy_r(h, region);
        bz_line_free(line);
    }
}

/* Two parts meeting head to head at one point in a V, d = 20 km: the mirror across the V's
 * axis maps each part onto the other with its direction and swaps left and right. Also with a
 * gap of 2 km between the ends. */
static void test_head_to_head(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    /* the axis is the meridian 30.5: the ellipsoid is symmetric about every meridian */
    const double tips[2] = {0.0, 0.01};
    for (int k = 0; k < 2; k++) {
        const double xy[8] = {30, -0.3, 30.5 - tips[k], 0, 31, -0.3, 30.5 + tips[k], 0};
        const size_t sizes[2] = {2, 2};
        bz_line *line = parts_line(ctx, xy, sizes, 2);
        GEOSGeometry *region = support_wkt(ctx, "POLYGON((29 -2,32 -2,32 2,29 2,29 -2))");
        for (int form = 0; form < 2; form++) {
            bz_zones *z = zones(ctx, line, form ? region : NULL, 20000);
            double a = bz_zones_area(z, BZ_SIDE_A), b = bz_zones_area(z, BZ_SIDE_B);
            printf("# tips %g° apart, %s: A %.4f km², B %.4f km²\n", 2 * tips[k],
                   form ? "line + region" : "line alone", a / 1e6, b / 1e6);
            assert_near(a, b, 2 * 0.5 * 2 * 80000.0);
            bz_zones_free(z);
        }
        GEOSGeom_destroy_r(h, region);
        bz_line_free(line);
    }
}

/* The brute-force oracle: distance (m) from (lon, lat) to a part running east along latitude
 * plat from lon0 to lon1, by geod_inverse to points every ~20 m along it. */
static double part_distance(const struct geod_geodesic *g, double lon, double lat, double plat,
                            double lon0, double lon1)
{
    /* the parts are parallels at the equator's neighbourhood: the nearest point is within
     * 0.004° of the query's longitude, clamped to the part */
    double best = INFINITY;
    double c = fmin(fmax(lon, lon0), lon1);
    for (int i = -20; i <= 20; i++) {
        double x = c + i * 0.0002;
        if (x < lon0 || x > lon1)
            continue;
        /* the part is a geodesic between its two vertices; near the equator over 1° it
         * departs from the parallel by under 1e-6°, which the 3 m margin covers */
        double s = 0;
        geod_inverse(g, lat, lon, plat, x, &s, NULL, NULL);
        best = fmin(best, s);
    }
    return best;
}

static void test_brute_force(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    struct geod_geodesic g = support_wgs84();
    double hg = half_gap();
    const double xy[8] = {30, -hg, 31, -hg, 30, hg, 31, hg};
    const size_t sizes[2] = {2, 2};
    bz_line *line = parts_line(ctx, xy, sizes, 2);
    bz_zones *z = zones(ctx, line, NULL, 5000);
    const GEOSPreparedGeometry *pa = GEOSPrepare_r(h, bz_zones_zone(z, BZ_SIDE_A));
    const GEOSPreparedGeometry *pb = GEOSPrepare_r(h, bz_zones_zone(z, BZ_SIDE_B));
    uint64_t seed = 10;
    int checked = 0, wrong = 0;
    for (int i = 0; i < 4000; i++) {
        double lon = 29.9 + 1.2 * support_random(&seed);
        double lat = -0.1 + 0.2 * support_random(&seed);
        double d0 = part_distance(&g, lon, lat, -hg, 30, 31);
        double d1 = part_distance(&g, lon, lat, hg, 30, 31);
        double d = fmin(d0, d1);
        /* both parts run east: left (A) is north of the nearest part */
        int side = (d0 <= d1 ? lat > -hg : lat > hg) ? 0 : 1;
        int in = d <= 5000;
        if (fabs(d - 5000) < 3 || fabs(d0 - d1) < 3 || fabs(lat - (d0 <= d1 ? -hg : hg)) < 3e-5)
            continue; /* at an edge: the 3 m margin covers the buffer's own bound */
        GEOSGeometry *p = GEOSGeom_createPointFromXY_r(h, lon, lat);
        int ina = GEOSPreparedIntersects_r(h, pa, p) == 1;
        int inb = GEOSPreparedIntersects_r(h, pb, p) == 1;
        GEOSGeom_destroy_r(h, p);
        checked++;
        if (ina != (in && side == 0) || inb != (in && side == 1)) {
            if (wrong < 5)
                printf("# wrong at %.6f %.6f: oracle %s, library A%d B%d\n", lon, lat,
                       in ? (side ? "B" : "A") : "out", ina, inb);
            wrong++;
        }
    }
    printf("# %d points checked by brute force, %d wrong\n", checked, wrong);
    assert_true(checked > 3000);
    assert_int_equal(wrong, 0);
    GEOSPreparedGeom_destroy_r(h, pa);
    GEOSPreparedGeom_destroy_r(h, pb);
    bz_zones_free(z);
    bz_line_free(line);
}

/* Brute force for any two-vertex parts: the distance from (lon, lat) to the part's geodesic
 * (walked every 100 m, then every 0.5 m round the best), and the nearest point (lon, lat) and
 * the part's azimuth there. */
static double geodesic_part_distance(const struct geod_geodesic *g, const double *ab, double lon,
                                     double lat, double *azi_foot, double *foot)
{
    struct geod_geodesicline gl;
    geod_inverseline(&gl, g, ab[1], ab[0], ab[3], ab[2], 0);
    double best = INFINITY, at = 0;
    for (int pass = 0; pass < 2; pass++) {
        double from = pass ? fmax(0, at - 100) : 0, to = pass ? fmin(gl.s13, at + 100) : gl.s13;
        double step = pass ? 0.5 : 100.0;
        for (double t = from;; t += step) {
            double s = fmin(t, to), plat, plon, sd;
            geod_position(&gl, s, &plat, &plon, NULL);
            geod_inverse(g, lat, lon, plat, plon, &sd, NULL, NULL);
            if (sd < best) {
                best = sd;
                at = s;
            }
            if (s >= to)
                break;
        }
    }
    geod_position(&gl, at, &foot[1], &foot[0], azi_foot);
    return best;
}

/* Five long parts in four lanes, two of them collinear and drawn head to head with a gap
 * (oracle seed 1 case 130, line alone). Near the gap three parts are about equally near: the
 * curve between the parts there was drawn through a point 2.7 km off (a vertex of the parts'
 * diagram moved along the gap, not across the bisector), and 5 km² of B's ground went to A.
 * Truth by brute force: the nearest part by geod_inverse along every part, the side by the
 * part's azimuth at the nearest point (at an end, along the part's end direction). */
static void test_lanes_brute_force(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    struct geod_geodesic g = support_wgs84();
    const double xy[20] = {-15.44652707, 32.24266982,  -15.37811247, 32.29378743,  -15.33246002,
                           32.32784494,  -15.26391713, 32.37889976,  -15.41748929, 32.33182253,
                           -15.4859104,  32.28068386,  -15.37183245, 32.36589411,  -15.30328292,
                           32.41697007,  -15.54811867, 32.3016238,   -15.31981257, 32.47205181};
    const size_t sizes[5] = {2, 2, 2, 2, 2};
    const double d = 10000;
    bz_line *line = parts_line(ctx, xy, sizes, 5);
    bz_zones *z = zones(ctx, line, NULL, d);
    const GEOSPreparedGeometry *pa = GEOSPrepare_r(h, bz_zones_zone(z, BZ_SIDE_A));
    const GEOSPreparedGeometry *pb = GEOSPrepare_r(h, bz_zones_zone(z, BZ_SIDE_B));
    uint64_t seed = 130;
    int checked = 0, wrong = 0;
    for (int i = 0; i < 700; i++) {
        /* the gaps' neighbourhood, 8 km round the point where three parts meet */
        double lon = -15.46 + 0.17 * support_random(&seed);
        double lat = 32.27 + 0.13 * support_random(&seed);
        double dist[5], azi[5], foot[10];
        int k1 = 0, k2 = -1;
        for (int k = 0; k < 5; k++) {
            dist[k] = geodesic_part_distance(&g, xy + 4 * k, lon, lat, &azi[k], foot + 2 * k);
            if (dist[k] < dist[k1]) {
                k2 = k1;
                k1 = k;
            } else if (k != k1 && (k2 < 0 || dist[k] < dist[k2])) {
                k2 = k;
            }
        }
        double s12 = 0, azp = 0, az2 = 0; /* the azimuth from the nearest point to the point */
        geod_inverse(&g, foot[2 * k1 + 1], foot[2 * k1], lat, lon, &s12, &azp, &az2);
        double turn = fmod(azp - azi[k1] + 720.0, 360.0); /* (180, 360): left, side A */
        int side = turn > 180.0 ? 0 : 1;
        double cross = dist[k1] * fabs(sin(turn * 3.14159265358979323846 / 180.0));
        if (fabs(dist[k1] - d) < 5 || dist[k2] - dist[k1] < 10 || cross < 5)
            continue; /* at an edge: the margins cover the buffer's own bound */
        int in = dist[k1] <= d;
        GEOSGeometry *p = GEOSGeom_createPointFromXY_r(h, lon, lat);
        int ina = GEOSPreparedIntersects_r(h, pa, p) == 1;
        int inb = GEOSPreparedIntersects_r(h, pb, p) == 1;
        GEOSGeom_destroy_r(h, p);
        checked++;
        if (ina != (in && side == 0) || inb != (in && side == 1)) {
            if (wrong < 5)
                printf("# wrong at %.6f %.6f: nearest part %d (%.0f m), oracle %s, library A%d "
                       "B%d\n",
                       lon, lat, k1, dist[k1], in ? (side ? "B" : "A") : "out", ina, inb);
            wrong++;
        }
    }
    printf("# %d points checked by brute force, %d wrong\n", checked, wrong);
    assert_true(checked > 500);
    assert_int_equal(wrong, 0);
    GEOSPreparedGeom_destroy_r(h, pa);
    GEOSPreparedGeom_destroy_r(h, pb);
    bz_zones_free(z);
    bz_line_free(line);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_same_direction, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_head_to_head, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_brute_force, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_lanes_brute_force, setup, support_context_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

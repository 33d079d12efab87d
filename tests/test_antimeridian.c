/* test_antimeridian.c — polygon inputs across the antimeridian and with long edges (issue 10,
 * classes 3 and 5), against independent truth:
 *  - symmetry: the ellipsoid is the same at every longitude, so a line, region and territory
 *    moved by 180° (away from the antimeridian, split at 0° where the original is split at
 *    ±180°) must give the same areas and lengths;
 *  - closed form: the area of a lon/lat rectangle on WGS84 (support.h), which bounds the zones
 *    cut from it (an edge is straight in lon/lat, RFC 7946 §3.1.1). */
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

/* A wiggly line along 50°N from lon0 eastwards, n vertices 0.1° apart, longitudes folded into
 * [-180, 180] as a file would hold them. */
static bz_line *wiggly(bz_context *ctx, double lon0, int n)
{
    double *xy = malloc(2 * (size_t)n * sizeof *xy);
    assert_non_null(xy);
    for (int i = 0; i < n; i++) {
        double lon = lon0 + 0.1 * i;
        xy[2 * i] = lon - 360.0 * round(lon / 360.0);
        xy[2 * i + 1] = 50.0 + 0.05 * sin(0.3 * i);
    }
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, (size_t)n), BZ_OK);
    free(xy);
    return line;
}

/* "x0 y0,x1 y0,x1 y1,x0 y1,x0 y0" */
static void box(char *buf, size_t size, double x0, double y0, double x1, double y1)
{
    snprintf(buf, size, "(%.10g %.10g,%.10g %.10g,%.10g %.10g,%.10g %.10g,%.10g %.10g)", x0, y0, x1,
             y0, x1, y1, x0, y1, x0, y0);
}

/* A MULTIPOLYGON of two boxes [w, s] x [y0, y1] and [s_east, e] x [y0, y1] (split at s, as
 * RFC 7946 splits at ±180°), or with s_east = s (two boxes that would share an edge, invalid as a
 * MultiPolygon) the one box [w, e] x [y0, y1] with the split's vertices on its edges: an edge is
 * straight in lon/lat, so both are the same ground. */
static GEOSGeometry *split_box(bz_context *ctx, double w, double s, double e, double s_east,
                               double y0, double y1)
{
    char a[256], b[256], wkt[600];
    if (s_east == s) {
        snprintf(wkt, sizeof wkt,
                 "POLYGON((%.10g %.10g,%.10g %.10g,%.10g %.10g,%.10g %.10g,%.10g %.10g,%.10g "
                 "%.10g,%.10g %.10g))",
                 w, y0, s, y0, e, y0, e, y1, s, y1, w, y1, w, y0);
        return support_wkt(ctx, wkt);
    }
    box(a, sizeof a, w, y0, s, y1);
    box(b, sizeof b, s_east, y0, e, y1);
    snprintf(wkt, sizeof wkt, "MULTIPOLYGON((%s),(%s))", a, b);
    return support_wkt(ctx, wkt);
}

static void assert_same_zones(const bz_zones *z, const bz_zones *truth, double rel)
{
    for (int s = 0; s < 2; s++) {
        double a = bz_zones_area(z, (bz_side)s), t = bz_zones_area(truth, (bz_side)s);
        printf("# side %c: %.3f km² (truth %.3f km²)\n", 'A' + s, a / 1e6, t / 1e6);
        assert_true(t > 0);
        assert_near(a, t, t * rel);
        double l = bz_zones_withdrawal_length(z, (bz_side)s),
               tl = bz_zones_withdrawal_length(truth, (bz_side)s);
        assert_near(l, tl, tl * rel);
    }
    double c = bz_zones_contact_length(z), tc = bz_zones_contact_length(truth);
    assert_near(c, tc, tc * rel);
}

/* A line across 180° with a region split there as RFC 7946 asks (a MultiPolygon of two parts),
 * small (20 km) and real size (1,400 km); before the fix everything east of 180° was lost. */
static void test_line_and_split_region(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    const int sizes[2] = {3, 141};
    const double dist[2] = {2000.0, 10000.0};
    for (int k = 0; k < 2; k++) {
        double half = 0.1 * (sizes[k] - 1) / 2;
        bz_line *line = wiggly(ctx, 180.0 - half, sizes[k]);
        bz_line *moved = wiggly(ctx, -half, sizes[k]);
        GEOSGeometry *region = split_box(ctx, 180 - half - 3, 180, -180 + half + 3, -180, 45, 55);
        GEOSGeometry *region0 = split_box(ctx, -half - 3, 0, half + 3, 0, 45, 55);
        bz_zones *z = NULL, *t = NULL;
        int rc = bz_zones_compute(&z, ctx, line, region, NULL, dist[k], dist[k], NULL);
        if (rc)
            printf("# %s\n", bz_errmsg(ctx));
        assert_int_equal(rc, BZ_OK);
        assert_int_equal(bz_zones_compute(&t, ctx, moved, region0, NULL, dist[k], dist[k], NULL),
                         BZ_OK);
        assert_same_zones(z, t, 1e-6);
        bz_zones_free(z);
        bz_zones_free(t);
        GEOSGeom_destroy_r(h, region);
        GEOSGeom_destroy_r(h, region0);
        bz_line_free(line);
        bz_line_free(moved);
    }
}

/* A region ring written with raw ±180° jumps (179 → -179) is read the short way round. */
static void test_raw_jump_ring(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    bz_line *line = wiggly(ctx, 173.0, 141);
    bz_line *moved = wiggly(ctx, -7.0, 141);
    GEOSGeometry *raw = support_wkt(ctx, "POLYGON((170 45,-170 45,-170 55,170 55,170 45))");
    /* the same ring moved by 180°, cut where the raw ring jumps so the edges are the same */
    GEOSGeometry *region0 = split_box(ctx, -10, 0, 10, 0, 45, 55);
    bz_zones *z = NULL, *t = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, line, raw, NULL, 10000, 10000, NULL), BZ_OK);
    assert_int_equal(bz_zones_compute(&t, ctx, moved, region0, NULL, 10000, 10000, NULL), BZ_OK);
    assert_same_zones(z, t, 1e-6);
    bz_zones_free(z);
    bz_zones_free(t);

    /* read from a file: a valid region, not "self-intersection" */
    char dir[64], path[128];
    assert_int_equal(support_tmpdir_new(dir, sizeof dir, "antimeridian"), 0);
    snprintf(path, sizeof path, "%s/raw.geojson", dir);
    assert_int_equal(support_write_text(path, "{\"type\":\"Polygon\",\"coordinates\":[[[170,45],"
                                              "[179.5,45],[-179.5,45],[-170,45],[-170,55],"
                                              "[-179.5,55],[179.5,55],[170,55],[170,45]]]}"),
                     0);
    GEOSGeometry *read = NULL;
    bz_read_options ro = BZ_READ_OPTIONS_INIT;
    assert_int_equal(bz_read_polygon(&read, ctx, path, &ro), BZ_OK);
    double area = 0;
    assert_int_equal(bz_intersection_area(&area, ctx, read, read), BZ_OK);
    double truth = truth_lonlat_rect_area(170, 45, 190, 55);
    assert_near(area, truth, truth * 1e-6);
    GEOSGeom_destroy_r(h, read);

    /* a ring east of 180 whose first (and last) vertex is written -180, as world-atlas writes
     * Russia's: read within [-180, 180], not a turn to the west (it came out at -190..-180) */
    assert_int_equal(support_write_text(path, "{\"type\":\"Polygon\",\"coordinates\":[[[-180,60],"
                                              "[170,60],[170,65],[180,65],[-180,60]]]}"),
                     0);
    assert_int_equal(bz_read_polygon(&read, ctx, path, &ro), BZ_OK);
    double x0 = 0, x1 = 0;
    assert_true(GEOSGeom_getXMin_r(h, read, &x0) && GEOSGeom_getXMax_r(h, read, &x1));
    assert_true(x0 >= 170.0 - 1e-9 && x1 <= 180.0 + 1e-9);
    assert_int_equal(bz_intersection_area(&area, ctx, read, read), BZ_OK);
    truth = truth_lonlat_rect_area(170, 60, 180, 65);
    assert_near(area, truth, truth * 1e-6);
    GEOSGeom_destroy_r(h, read);
    support_tmpdir_remove(dir);

    GEOSGeom_destroy_r(h, raw);
    GEOSGeom_destroy_r(h, region0);
    bz_line_free(line);
    bz_line_free(moved);
}

/* Territory form with territory and region split at ±180°: the derived line runs through, and
 * the zones are those of the same map moved by 180°. */
static void test_territory_split(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *region = split_box(ctx, 170, 180, -170, -180, 45, 55);
    GEOSGeometry *terr = split_box(ctx, 170, 180, -170, -180, 50, 55);
    GEOSGeometry *region0 = split_box(ctx, -10, 0, 10, 0, 45, 55);
    GEOSGeometry *terr0 = split_box(ctx, -10, 0, 10, 0, 50, 55);
    bz_line *line = NULL;
    assert_int_equal(bz_line_derive(&line, ctx, terr, region, NULL), BZ_OK);
    assert_int_equal(bz_line_num_parts(line), 1);
    double len = 0, truth_len = 0;
    assert_int_equal(bz_line_length(&len, ctx, line), BZ_OK);
    /* the parallel 50°N from 170°E to 170°W, less the 1 km derive tolerance at each end */
    const double parallel[4] = {170, 50, 190, 50};
    struct geod_geodesic g = support_wgs84();
    truth_len = truth_lonlat_length(&g, parallel, 2) - 2000.0;
    assert_near(len, truth_len, 20.0);
    bz_line_free(line);

    bz_zones *z = NULL, *t = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, NULL, region, terr, 10000, 10000, NULL), BZ_OK);
    assert_int_equal(bz_zones_compute(&t, ctx, NULL, region0, terr0, 10000, 10000, NULL), BZ_OK);
    assert_same_zones(z, t, 1e-6);
    bz_zones_free(z);
    bz_zones_free(t);

    /* territory change across the seam: the same as 180° away; no change gives nothing */
    GEOSGeometry *terr2 = split_box(ctx, 170, 180, -170, -180, 50.2, 55);
    GEOSGeometry *terr02 = split_box(ctx, -10, 0, 10, 0, 50.2, 55);
    GEOSGeometry *gained = NULL, *lost = NULL;
    double ga = -1, la = -1, tga = -1, tla = -1;
    assert_int_equal(bz_territory_diff(&gained, &lost, &ga, &la, ctx, terr, terr2, region), BZ_OK);
    bz_geometry_free(ctx, gained);
    bz_geometry_free(ctx, lost);
    assert_int_equal(bz_territory_diff(&gained, &lost, &tga, &tla, ctx, terr0, terr02, region0),
                     BZ_OK);
    bz_geometry_free(ctx, gained);
    bz_geometry_free(ctx, lost);
    double strip = truth_lonlat_rect_area(170, 50, 190, 50.2);
    assert_near(ga, 0, 1e-3);
    assert_near(tga, 0, 1e-3);
    assert_near(la, strip, strip * 1e-6);
    assert_near(tla, strip, strip * 1e-6);
    assert_int_equal(bz_territory_diff(&gained, &lost, &ga, &la, ctx, terr, terr, region), BZ_OK);
    assert_near(ga, 0, 1e-3);
    assert_near(la, 0, 1e-3);
    bz_geometry_free(ctx, gained);
    bz_geometry_free(ctx, lost);

    GEOSGeometry *tmp[6] = {region, terr, region0, terr0, terr2, terr02};
    for (int i = 0; i < 6; i++)
        GEOSGeom_destroy_r(h, tmp[i]);
}

/* Class 5: a box of four vertices (edges 10° and 6° long), zones covering all of it: the zones
 * and the grounds add up to the box's own area with its edges straight in lon/lat (closed form),
 * never more. Before, the zones came to 0.2-0.9 % more than the region's measured area. */
static void test_long_edged_region(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    const double lat0[3] = {0.0, 45.0, 70.0};
    for (int k = 0; k < 3; k++) {
        double y0 = lat0[k], y1 = lat0[k] + 6.0;
        char wkt[256], ring[200];
        box(ring, sizeof ring, 20, y0, 30, y1);
        snprintf(wkt, sizeof wkt, "POLYGON(%s)", ring);
        GEOSGeometry *region = support_wkt(ctx, wkt);
        /* a meridian through the middle, beyond the box at both ends */
        const double xy[4] = {25, y0 - 1, 25, y1 + 1};
        bz_line *line = NULL;
        assert_int_equal(bz_line_from_lonlat(&line, ctx, xy, 2), BZ_OK);
        bz_zones *z = NULL;
        assert_int_equal(bz_zones_compute(&z, ctx, line, region, NULL, 600000, 600000, NULL),
                         BZ_OK);
        double truth = truth_lonlat_rect_area(20, y0, 30, y1);
        double za = bz_zones_area(z, BZ_SIDE_A), zb = bz_zones_area(z, BZ_SIDE_B), ga = 0, gb = 0;
        assert_int_equal(bz_geodesic_area(&ga, ctx, bz_zones_side_ground(z, BZ_SIDE_A)), BZ_OK);
        assert_int_equal(bz_geodesic_area(&gb, ctx, bz_zones_side_ground(z, BZ_SIDE_B)), BZ_OK);
        printf("# box at %g-%g°N: zones %.6f + %.6f km², box %.6f km²\n", y0, y1, za / 1e6,
               zb / 1e6, truth / 1e6);
        /* each half by symmetry, and no more than the ground */
        assert_near(za, truth / 2, truth * 1e-6);
        assert_near(zb, truth / 2, truth * 1e-6);
        assert_near(ga + gb, truth, truth * 1e-6);
        assert_true(za <= ga * (1 + 1e-9) && zb <= gb * (1 + 1e-9));
        bz_zones_free(z);
        bz_line_free(line);
        GEOSGeom_destroy_r(h, region);
    }
}

/* g moved east by dx degrees (longitudes left unfolded), as a new geometry. */
static GEOSGeometry *shifted(GEOSContextHandle_t h, const GEOSGeometry *g, double dx)
{
    /* an affine move through WKT would round; rebuild each ring's coordinates instead */
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(h, g);
        GEOSGeometry **parts = malloc((size_t)n * sizeof *parts);
        assert_non_null(parts);
        for (int i = 0; i < n; i++)
            parts[i] = shifted(h, GEOSGetGeometryN_r(h, g, i), dx);
        GEOSGeometry *out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, (unsigned)n);
        free(parts);
        return out;
    }
    assert_int_equal(t, GEOS_POLYGON);
    int nh = GEOSGetNumInteriorRings_r(h, g);
    GEOSGeometry *rings[64];
    assert_true(nh < 63);
    for (int r = -1; r < nh; r++) {
        const GEOSGeometry *ring =
            r < 0 ? GEOSGetExteriorRing_r(h, g) : GEOSGetInteriorRingN_r(h, g, r);
        GEOSCoordSequence *cs = GEOSCoordSeq_clone_r(h, GEOSGeom_getCoordSeq_r(h, ring));
        unsigned n = 0;
        GEOSCoordSeq_getSize_r(h, cs, &n);
        for (unsigned i = 0; i < n; i++) {
            double x = 0;
            GEOSCoordSeq_getX_r(h, cs, i, &x);
            GEOSCoordSeq_setX_r(h, cs, i, x + dx);
        }
        rings[r + 1] = GEOSGeom_createLinearRing_r(h, cs);
    }
    return GEOSGeom_createPolygon_r(h, rings[0], rings + 1, (unsigned)nh);
}

/* Real size: the 2015 Donbas line of contact and Ukraine's outline (examples/data), moved
 * 141.5° east so that the line crosses 180°, the outline split there as RFC 7946 asks, against
 * the same map where it is. */
static void test_real_line_across(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    const char *root = getenv("BZ_SOURCE_ROOT");
    char lpath[1024], rpath[1024];
    snprintf(lpath, sizeof lpath, "%s/examples/data/donbas_contact_line_2015.geojson",
             root ? root : ".");
    snprintf(rpath, sizeof rpath, "%s/examples/data/ukraine_outline.geojson", root ? root : ".");
    bz_read_options ro = BZ_READ_OPTIONS_INIT;
    bz_line *line = NULL;
    GEOSGeometry *region = NULL;
    assert_int_equal(bz_read_line(&line, ctx, lpath, &ro), BZ_OK);
    assert_int_equal(bz_read_polygon(&region, ctx, rpath, &ro), BZ_OK);
    const double dx = 141.5;
    /* the line moved and folded into [-180, 180], as a file would hold it */
    size_t np = bz_line_num_parts(line), total = bz_line_num_points(line), off = 0;
    double *xy = malloc(2 * total * sizeof *xy);
    size_t *sizes = malloc(np * sizeof *sizes);
    assert_non_null(xy);
    assert_non_null(sizes);
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < np; k++) {
        size_t n = 0;
        const double *p = bz_line_part_coords(line, k, &n);
        for (size_t i = 0; i < n; i++, off++) {
            double x = p[2 * i] + dx;
            lo = fmin(lo, x);
            hi = fmax(hi, x);
            xy[2 * off] = x - 360.0 * round(x / 360.0);
            xy[2 * off + 1] = p[2 * i + 1];
        }
        sizes[k] = n;
    }
    assert_true(lo < 180 && hi > 180); /* it does cross */
    bz_line *across = NULL;
    assert_int_equal(bz_line_from_parts(&across, ctx, xy, sizes, np), BZ_OK);
    free(xy);
    free(sizes);
    /* the outline moved, cut at 180°, the eastern piece written at -180..: two parts */
    GEOSGeometry *moved = shifted(h, region, dx);
    GEOSGeometry *wbox = support_wkt(ctx, "POLYGON((0 -90,180 -90,180 90,0 90,0 -90))");
    GEOSGeometry *ebox = support_wkt(ctx, "POLYGON((180 -90,360 -90,360 90,180 90,180 -90))");
    GEOSGeometry *w = GEOSIntersection_r(h, moved, wbox), *e = GEOSIntersection_r(h, moved, ebox);
    GEOSGeometry *e2 = shifted(h, e, -360.0);
    GEOSGeometry *parts[2] = {w, e2};
    GEOSGeometry *split = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, 2);
    GEOSGeometry *split_mp = NULL;
    /* two parts that do not touch in [-180, 180]: a valid MultiPolygon */
    split_mp = GEOSUnaryUnion_r(h, split);
    assert_non_null(split_mp);
    double emin = 0;
    GEOSGeom_getXMin_r(h, split_mp, &emin);
    assert_true(emin < -179); /* a part east of 180° is there */

    bz_zones *z = NULL, *t = NULL;
    assert_int_equal(bz_zones_compute(&z, ctx, across, split_mp, NULL, 15000, 15000, NULL), BZ_OK);
    assert_int_equal(bz_zones_compute(&t, ctx, line, region, NULL, 15000, 15000, NULL), BZ_OK);
    assert_same_zones(z, t, 1e-6);
    bz_zones_free(z);
    bz_zones_free(t);
    GEOSGeometry *tmp[6] = {moved, wbox, ebox, e, split, split_mp};
    for (int i = 0; i < 6; i++)
        GEOSGeom_destroy_r(h, tmp[i]);
    GEOSGeom_destroy_r(h, region);
    bz_line_free(line);
    bz_line_free(across);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_line_and_split_region, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_raw_jump_ring, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_territory_split, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_long_edged_region, setup, support_context_free),
        cmocka_unit_test_setup_teardown(test_real_line_across, setup, support_context_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_data_dmz.c — the Korean Demilitarized Zone as ground truth: buffering the Military
 * Demarcation Line (LSIB) by 2 km on each side must give withdrawal lines within 150 m of the
 * published northern and southern DMZ edges (surveyed 1.95–2.09 km from the MDL) wherever they
 * run beside the line. Only the stubs where an edge turns in to meet the MDL's western end at the
 * Han estuary are left out. Distances are measured with the brute-force geodesic distance of
 * zone_truth.h. Needs BZ_SHARED_DATA (exit 77, skipped, without it). */
#include <bufferzone.h>

#include "zone_truth.h"

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

#define DMZ_HALF_WIDTH_M 2000.0
#define TOLERANCE_M 150.0
/* Edge points this close to the MDL's western end belong to the converging stubs. */
#define STUB_RADIUS_M 3000.0
#define EDGE_STEP_M 100.0

static char dmz_path[4096];

typedef struct dmz {
    bz_context *ctx;
    bz_features *features;
    bz_line *mdl;
    const GEOSGeometry *north, *south;
} dmz;

static const GEOSGeometry *find(const bz_features *f, const char *a, const char *b,
                                const char *kind)
{
    for (size_t i = 0; i < bz_features_count(f); i++) {
        const char *na = bz_features_attr(f, i, "COUNTRY_NA");
        const char *nb = bz_features_attr(f, i, "COUNTRY_N1");
        const char *k = bz_features_attr(f, i, "DISCLAIME1");
        if (na && nb && k && !strcmp(na, a) && !strcmp(nb, b) && !strcmp(k, kind))
            return bz_features_geometry(f, i);
    }
    return NULL;
}

static int teardown(void **state);

static int setup(void **state)
{
    dmz *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    *state = d;
    d->ctx = bz_context_new();
    if (!d->ctx || bz_read_features(&d->features, d->ctx, dmz_path, NULL) != BZ_OK) {
        fprintf(stderr, "reading %s: %s\n", dmz_path, d->ctx ? bz_errmsg(d->ctx) : "no context");
        teardown(state);
        return -1;
    }
    const GEOSGeometry *mdl =
        find(d->features, "North Korea", "South Korea", "Military Demarcation Line");
    d->north = find(d->features, "North Korea", "North Korea", "DMZ");
    d->south = find(d->features, "South Korea", "South Korea", "DMZ");
    if (!mdl || !d->north || !d->south || bz_line_from_geos(&d->mdl, d->ctx, mdl) != BZ_OK) {
        teardown(state);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    dmz *d = *state;
    bz_line_free(d->mdl);
    bz_features_free(d->features);
    bz_context_free(d->ctx);
    free(d);
    return 0;
}

typedef struct edge_check {
    const truth_line *withdrawal;
    const truth_line *mdl;
    double west_lon, west_lat; /* the MDL's western end */
    double worst, worst_lon, worst_lat;
    size_t checked, stub;
} edge_check;

static void visit_edge_point(double lon, double lat, void *arg)
{
    edge_check *c = arg;
    if (truth_inverse(c->mdl, lon, lat, c->west_lon, c->west_lat) < STUB_RADIUS_M) {
        c->stub++;
        return;
    }
    double e = truth_distance(c->withdrawal, lon, lat);
    c->checked++;
    if (e > c->worst) {
        c->worst = e;
        c->worst_lon = lon;
        c->worst_lat = lat;
    }
}

/* Every point of the published edge (every EDGE_STEP_M) lies within TOLERANCE_M of the
 * withdrawal line; returns the largest distance found. */
static double check_edge(dmz *d, const bz_zones *z, bz_side side, const GEOSGeometry *edge,
                         const char *name)
{
    GEOSContextHandle_t h = bz_context_geos(d->ctx);
    truth_line w, m;
    assert_int_equal(truth_line_from_geos(&w, h, bz_zones_withdrawal_line(z, side)), 0);
    assert_int_equal(truth_line_init(&m, d->mdl), 0);
    size_t n = 0;
    const double *xy = bz_line_part_coords(d->mdl, 0, &n);
    /* the western end of the MDL: the end with the smaller longitude */
    size_t west = xy[0] < xy[2 * n - 2] ? 0 : n - 1;
    edge_check c = {&w, &m, xy[2 * west], xy[2 * west + 1], 0.0, NAN, NAN, 0, 0};
    truth_walk(h, edge, EDGE_STEP_M, visit_edge_point, &c);
    truth_line_free(&w);
    truth_line_free(&m);
    /* the stubs are short: nearly the whole edge is checked */
    assert_true(c.checked > 1500);
    assert_true(c.stub < c.checked / 20);
    if (c.worst > TOLERANCE_M)
        fail_msg("%s DMZ edge is %.1f m from the withdrawal line at %.6f %.6f", name, c.worst,
                 c.worst_lon, c.worst_lat);
    return c.worst;
}

/* Which side of the MDL's direction is north: the side whose withdrawal line is nearer the
 * middle of the published northern edge. */
static bz_side north_side(dmz *d, const bz_zones *z)
{
    GEOSContextHandle_t h = bz_context_geos(d->ctx);
    GEOSGeometry *mid = GEOSInterpolateNormalized_r(h, d->north, 0.5);
    assert_non_null(mid);
    double lon, lat;
    GEOSGeomGetX_r(h, mid, &lon);
    GEOSGeomGetY_r(h, mid, &lat);
    GEOSGeom_destroy_r(h, mid);
    double dist[2];
    for (int s = 0; s < 2; s++) {
        truth_line t;
        assert_int_equal(truth_line_from_geos(&t, h, bz_zones_withdrawal_line(z, (bz_side)s)), 0);
        dist[s] = truth_distance(&t, lon, lat);
        truth_line_free(&t);
    }
    return dist[0] < dist[1] ? BZ_SIDE_A : BZ_SIDE_B;
}

static void test_dmz_edges(void **state)
{
    dmz *d = *state;
    bz_zones *z = NULL;
    if (bz_zones_compute(&z, d->ctx, d->mdl, NULL, NULL, DMZ_HALF_WIDTH_M, DMZ_HALF_WIDTH_M,
                         NULL) != BZ_OK)
        fail_msg("zones: %s", bz_errmsg(d->ctx));
    assert_true(bz_zones_max_error(z) <= 1.0);
    bz_side n = north_side(d, z);
    bz_side s = n == BZ_SIDE_A ? BZ_SIDE_B : BZ_SIDE_A;
    double wn = check_edge(d, z, n, d->north, "northern");
    double ws = check_edge(d, z, s, d->south, "southern");
    /* the DMZ is 4 km wide: its area is about 4 km × the MDL's length (≈ 237.6 km) plus the
     * end caps */
    double len = 0.0;
    assert_int_equal(bz_line_length(&len, d->ctx, d->mdl), BZ_OK);
    assert_true(len > 235000.0 && len < 240000.0);
    double expected = 2.0 * DMZ_HALF_WIDTH_M * len;
    assert_true(fabs(bz_zones_buffer_area(z) - expected) < 0.05 * expected);
    print_message("MDL %.1f km; northern edge within %.1f m, southern within %.1f m of the "
                  "withdrawal lines\n",
                  len / 1000.0, wn, ws);
    bz_zones_free(z);
}

int main(void)
{
    const char *dir = getenv("BZ_SHARED_DATA");
    if (!dir || !*dir)
        return 77;
    snprintf(dmz_path, sizeof dmz_path, "%s/heldout/korea_dmz_lsib.geojson", dir);
    FILE *f = fopen(dmz_path, "rb");
    if (!f)
        return 77;
    fclose(f);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dmz_edges, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

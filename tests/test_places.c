/*
 * test_places.c — places (settlements): reading names and populations with the field
 * heuristics, and counting places inside an area (edges included). Truth is hand-placed
 * points against squares whose edges run along meridians and parallels' corners.
 */
#include <bufferzone.h>
#include <geos_c.h>

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h> /* after setjmp.h, stdarg.h, stddef.h: it needs them */

#include "support.h"

typedef struct fixture {
    bz_context *ctx;
    char dir[64];
    char path[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->ctx = bz_context_new();
    if (!f->ctx || support_tmpdir_new(f->dir, sizeof f->dir, "test_places")) {
        bz_context_free(f->ctx);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    support_tmpdir_remove(f->dir);
    bz_context_free(f->ctx);
    free(f);
    return 0;
}

/* Write `text` to <dir>/<name> and leave its path in f->path. */
static const char *file_with(fixture *f, const char *name, const char *text)
{
    snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
    FILE *fp = fopen(f->path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return f->path;
}

#define FEATURE(props, geom)                                                                       \
    "{\"type\": \"Feature\", \"properties\": {" props "}, \"geometry\": " geom "}"
#define POINT(x, y) "{\"type\": \"Point\", \"coordinates\": [" #x ", " #y "]}"

/* Five places around the square [30, 31] x [50, 51]. */
static const char *const TOWNS = "{\"type\": \"FeatureCollection\", \"features\": [" /**/
    FEATURE("\"name\": \"Centre\", \"population\": 100", POINT(30.5, 50.5)) ","      /* inside */
    FEATURE("\"name\": \"West edge\", \"population\": 20", POINT(30, 50.5)) ","      /* edge */
    FEATURE("\"name\": \"Corner\", \"population\": null", POINT(31, 51)) ","         /* vertex */
    FEATURE("\"name\": \"Far\", \"population\": 1000", POINT(31.5, 50.5)) ","        /* outside */
    FEATURE("\"name\": \"Hamlet\", \"population\": 3", POINT(30.25, 50.75)) "]}";    /* inside */

static void test_read_default_fields(void **state)
{
    fixture *f = *state;
    bz_places *p = NULL;
    assert_int_equal(bz_read_places(&p, f->ctx, file_with(f, "towns.geojson", TOWNS), NULL), BZ_OK);
    assert_int_equal(bz_places_count(p), 5);
    assert_string_equal(bz_places_name(p, 0), "Centre");
    assert_string_equal(bz_places_name(p, 4), "Hamlet");
    assert_true(bz_places_population(p, 0) == 100.0);
    assert_true(isnan(bz_places_population(p, 2))); /* null = unknown */
    double lon = 0, lat = 0;
    bz_places_coords(p, 1, &lon, &lat);
    assert_true(lon == 30.0 && lat == 50.5);
    /* Out of range: harmless answers. */
    assert_string_equal(bz_places_name(p, 5), "");
    assert_true(isnan(bz_places_population(p, 99)));
    bz_places_coords(p, 7, &lon, &lat);
    assert_true(isnan(lon) && isnan(lat));
    bz_places_free(p);
    bz_places_free(NULL);
}

static void test_within_counts_edges(void **state)
{
    fixture *f = *state;
    bz_places *p = NULL;
    assert_int_equal(bz_read_places(&p, f->ctx, file_with(f, "towns.geojson", TOWNS), NULL), BZ_OK);
    GEOSGeometry *square = NULL;
    assert_int_equal(
        bz_geometry_from_wkt(&square, f->ctx, "POLYGON ((30 50, 31 50, 31 51, 30 51, 30 50))"),
        BZ_OK);
    size_t count = 99, idx[5] = {0};
    double people = -1;
    assert_int_equal(bz_places_within(&count, &people, idx, f->ctx, p, square), BZ_OK);
    assert_int_equal(count, 4);   /* Centre, West edge, Corner, Hamlet */
    assert_true(people == 123.0); /* Corner's population is unknown: not counted */
    assert_int_equal(idx[0], 0);
    assert_int_equal(idx[1], 1);
    assert_int_equal(idx[2], 2);
    assert_int_equal(idx[3], 4);
    /* population and indices are optional */
    assert_int_equal(bz_places_within(&count, NULL, NULL, f->ctx, p, square), BZ_OK);
    assert_int_equal(count, 4);
    bz_geometry_free(f->ctx, square);

    /* Two parts and a hole: the hole around Centre excludes it. */
    GEOSGeometry *holed = NULL;
    assert_int_equal(bz_geometry_from_wkt(&holed, f->ctx,
                                          "MULTIPOLYGON (((30 50, 31 50, 31 51, 30 51, 30 50), "
                                          "(30.4 50.4, 30.6 50.4, 30.6 50.6, 30.4 50.6, "
                                          "30.4 50.4)), ((31.4 50.4, 31.6 50.4, 31.6 50.6, "
                                          "31.4 50.6, 31.4 50.4)))"),
                     BZ_OK);
    assert_int_equal(bz_places_within(&count, &people, idx, f->ctx, p, holed), BZ_OK);
    assert_int_equal(count, 4); /* West edge, Corner, Far, Hamlet */
    assert_true(people == 1023.0);
    assert_int_equal(idx[2], 3);
    bz_geometry_free(f->ctx, holed);

    /* An empty area holds nothing. */
    GEOSGeometry *empty = NULL;
    assert_int_equal(bz_geometry_from_wkt(&empty, f->ctx, "MULTIPOLYGON EMPTY"), BZ_OK);
    assert_int_equal(bz_places_within(&count, &people, idx, f->ctx, p, empty), BZ_OK);
    assert_int_equal(count, 0);
    assert_true(people == 0.0);
    bz_geometry_free(f->ctx, empty);
    bz_places_free(p);
}

/* Areas across the antimeridian come in the unwrapped frame (longitudes past 180): a place
 * written at -179.7 is the point 180.3 of such an area. Truth: the square's extent by hand,
 * then a zone computed across 180 against places whose side and distance are plain by
 * construction (0.05 degrees of latitude, about 5.6 km, north or south of a line along 65N). */
static void test_within_across_antimeridian(void **state)
{
    fixture *f = *state;
    const char *names[5] = {"in west", "in east", "east of it", "far", "on edge"};
    const double lon[5] = {179.7, -179.7, -179.0, 0.0, -179.5};
    const double lat[5] = {50.5, 50.5, 50.5, 50.5, 51.0};
    const double pop[5] = {1, 10, 100, 1000, 10000};
    bz_places *p = NULL;
    assert_int_equal(bz_places_from_arrays(&p, f->ctx, 5, names, lon, lat, pop), BZ_OK);
    GEOSGeometry *sq = NULL;
    assert_int_equal(bz_geometry_from_wkt(&sq, f->ctx,
                                          "POLYGON ((179.5 50, 180.5 50, 180.5 51, 179.5 51, "
                                          "179.5 50))"),
                     BZ_OK);
    size_t count = 0, idx[5] = {0};
    double people = 0.0;
    assert_int_equal(bz_places_within(&count, &people, idx, f->ctx, p, sq), BZ_OK);
    assert_int_equal(count, 3);
    assert_true(people == 10011.0);
    assert_int_equal(idx[0], 0);
    assert_int_equal(idx[1], 1);
    assert_int_equal(idx[2], 4);
    bz_geometry_free(f->ctx, sq);
    /* the same square west of -180 */
    assert_int_equal(bz_geometry_from_wkt(&sq, f->ctx,
                                          "POLYGON ((-180.5 50, -179.5 50, -179.5 51, "
                                          "-180.5 51, -180.5 50))"),
                     BZ_OK);
    assert_int_equal(bz_places_within(&count, &people, NULL, f->ctx, p, sq), BZ_OK);
    assert_int_equal(count, 3);
    assert_true(people == 10011.0);
    bz_geometry_free(f->ctx, sq);
    bz_places_free(p);

    /* zones of a line along 65N from 179E to 179W, 10 km each side */
    const char *zn[4] = {"north west", "north east", "south east", "south west"};
    const double zlon[4] = {179.5, -179.5, -179.5, 179.5};
    const double zlat[4] = {65.05, 65.05, 64.95, 64.95};
    const double zpop[4] = {1, 10, 100, 1000};
    assert_int_equal(bz_places_from_arrays(&p, f->ctx, 4, zn, zlon, zlat, zpop), BZ_OK);
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_wkt(&line, f->ctx, "LINESTRING (179 65, 180 65, -179 65)"),
                     BZ_OK);
    bz_zones *z = NULL;
    assert_int_equal(bz_zones_compute(&z, f->ctx, line, NULL, NULL, 10000.0, 10000.0, NULL), BZ_OK);
    const double want[2] = {11.0, 1100.0}; /* left of an eastward line is north */
    for (int s = 0; s < 2; s++) {
        assert_int_equal(bz_places_within(&count, &people, NULL, f->ctx, p,
                                          bz_zones_zone(z, s ? BZ_SIDE_B : BZ_SIDE_A)),
                         BZ_OK);
        assert_int_equal(count, 2);
        assert_true(people == want[s]);
    }
    bz_zones_free(z);
    bz_line_free(line);
    bz_places_free(p);
}

static void test_within_errors(void **state)
{
    fixture *f = *state;
    bz_places *p = NULL;
    assert_int_equal(bz_read_places(&p, f->ctx, file_with(f, "towns.geojson", TOWNS), NULL), BZ_OK);
    GEOSGeometry *line = NULL;
    assert_int_equal(bz_geometry_from_wkt(&line, f->ctx, "LINESTRING (30 50, 31 51)"), BZ_OK);
    size_t count = 77;
    assert_int_equal(bz_places_within(&count, NULL, NULL, f->ctx, p, line), BZ_ERR_TYPE);
    assert_int_equal(count, 77); /* untouched on failure */
    assert_non_null(strstr(bz_errmsg(f->ctx), "LineString"));
    assert_int_equal(bz_places_within(&count, NULL, NULL, f->ctx, NULL, line), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_places_within(&count, NULL, NULL, f->ctx, p, NULL), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_places_within(NULL, NULL, NULL, f->ctx, p, line), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_places_within(&count, NULL, NULL, NULL, p, line), BZ_ERR_ARGUMENT);
    bz_geometry_free(f->ctx, line);
    bz_places_free(p);
}

static void test_natural_earth_fields(void **state)
{
    fixture *f = *state;
    /* Natural Earth style: NAME and POP_MAX; a MultiPoint gives one place per point. */
    const char *text = "{\"type\": \"FeatureCollection\", \"features\": [" FEATURE(
        "\"NAME\": \"Kharkiv\", \"POP_MAX\": 1430885",
        POINT(36.25, 50.0)) "," FEATURE("\"NAME\": \"Twin\", \"POP_MAX\": 10",
                                        "{\"type\": \"MultiPoint\", \"coordinates\": [[30, 50], "
                                        "[31, 50]]}") "," FEATURE("\"POP_MAX\": 5",
                                                                  POINT(32, 49)) "]}";
    bz_places *p = NULL;
    assert_int_equal(bz_read_places(&p, f->ctx, file_with(f, "ne.geojson", text), NULL), BZ_OK);
    assert_int_equal(bz_places_count(p), 4);
    assert_string_equal(bz_places_name(p, 0), "Kharkiv");
    assert_true(bz_places_population(p, 0) == 1430885.0);
    assert_string_equal(bz_places_name(p, 1), "Twin");
    assert_string_equal(bz_places_name(p, 2), "Twin");
    double lon = 0, lat = 0;
    bz_places_coords(p, 2, &lon, &lat);
    assert_true(lon == 31.0 && lat == 50.0);
    assert_string_equal(bz_places_name(p, 3), ""); /* no name */
    bz_places_free(p);
}

static void test_named_fields(void **state)
{
    fixture *f = *state;
    const char *text = "{\"type\": \"FeatureCollection\", \"features\": [" FEATURE(
        "\"name\": \"Kyiv\", \"name_uk\": \"Київ\", \"people\": \"2952301\"",
        POINT(30.52, 50.45)) "]}";
    const char *path = file_with(f, "uk.geojson", text);
    bz_read_options o = BZ_READ_OPTIONS_INIT;
    o.name_field = "name_uk";
    o.population_field = "people";
    bz_places *p = NULL;
    assert_int_equal(bz_read_places(&p, f->ctx, path, &o), BZ_OK);
    assert_string_equal(bz_places_name(p, 0), "Київ");
    assert_true(bz_places_population(p, 0) == 2952301.0); /* numeric text is accepted */
    bz_places_free(p);
    p = NULL;

    o.population_field = "inhabitants";
    assert_int_equal(bz_read_places(&p, f->ctx, path, &o), BZ_ERR_NOT_FOUND);
    assert_null(p);
    assert_non_null(strstr(bz_errmsg(f->ctx), "'inhabitants'"));
    assert_non_null(strstr(bz_errmsg(f->ctx), "uk.geojson"));
}

static void test_polygons_are_not_places(void **state)
{
    fixture *f = *state;
    const char *text = "{\"type\": \"FeatureCollection\", \"features\": [" FEATURE(
        "\"name\": \"Oblast\"", "{\"type\": \"Polygon\", \"coordinates\": "
                                "[[[30, 50], [31, 50], [31, 51], [30, 50]]]}") "]}";
    bz_places *p = NULL;
    assert_int_equal(bz_read_places(&p, f->ctx, file_with(f, "area.geojson", text), NULL),
                     BZ_ERR_TYPE);
    assert_null(p);
    assert_non_null(strstr(bz_errmsg(f->ctx), "feature 0"));
    assert_non_null(strstr(bz_errmsg(f->ctx), "not a point"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_read_default_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_within_counts_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_within_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_within_across_antimeridian, setup, teardown),
        cmocka_unit_test_setup_teardown(test_natural_earth_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_named_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_polygons_are_not_places, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_data_io.c — every real file in ../shared/data loads, and what comes out matches the
 * counts and figures of ../shared/data/SOURCES.md (feature counts, geometry types, vertex
 * counts, geodesic areas within 0.5 %, line lengths). Areas are measured here with
 * geod_polygonarea from <geodesic.h> directly, independently of the library.
 *
 * The files are read from $BZ_SHARED_DATA; without it the test exits 77 (skipped).
 */
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
#include <sys/stat.h>

#include <cmocka.h> /* after setjmp.h, stdarg.h, stddef.h: it needs them */

static const char *data_dir;

typedef struct fixture {
    bz_context *ctx;
    char path[1024];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->ctx = bz_context_new();
    if (!f->ctx) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bz_context_free(f->ctx);
    free(f);
    return 0;
}

static const char *data(fixture *f, const char *rel)
{
    snprintf(f->path, sizeof f->path, "%s/%s", data_dir, rel);
    return f->path;
}

/* ---------------------------------------------------------------------------------------- */
/* Independent measures                                                                     */
/* ---------------------------------------------------------------------------------------- */

static double ring_area(const struct geod_geodesic *g, GEOSContextHandle_t h,
                        const GEOSGeometry *ring)
{
    const GEOSCoordSequence *s = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(h, s, &n);
    struct geod_polygon p;
    geod_polygon_init(&p, 0);
    for (unsigned i = 0; i + 1 < n; i++) { /* the closing point repeats the first */
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(h, s, i, &x, &y);
        geod_polygon_addpoint(g, &p, y, x);
    }
    double area = 0;
    geod_polygon_compute(g, &p, 0, 1, &area, NULL);
    return fabs(area);
}

/* Ellipsoidal area (km²) of every polygon in g, holes subtracted, via geodesic.h. */
static double area_km2(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    struct geod_geodesic geod;
    geod_init(&geod, 6378137.0, 1.0 / 298.257223563);
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        double a = ring_area(&geod, h, GEOSGetExteriorRing_r(h, g));
        for (int i = 0; i < GEOSGetNumInteriorRings_r(h, g); i++)
            a -= ring_area(&geod, h, GEOSGetInteriorRingN_r(h, g, i));
        return a / 1e6;
    }
    double sum = 0;
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION)
        for (int i = 0; i < GEOSGetNumGeometries_r(h, g); i++)
            sum += area_km2(h, GEOSGetGeometryN_r(h, g, i));
    return sum;
}

/* Geodesic length (km) of a LineString via geod_inverse. */
static double line_km(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    struct geod_geodesic geod;
    geod_init(&geod, 6378137.0, 1.0 / 298.257223563);
    double sum = 0;
    for (int k = 0; k < GEOSGetNumGeometries_r(h, g); k++) {
        const GEOSCoordSequence *s = GEOSGeom_getCoordSeq_r(h, GEOSGetGeometryN_r(h, g, k));
        unsigned n = 0;
        GEOSCoordSeq_getSize_r(h, s, &n);
        for (unsigned i = 0; i + 1 < n; i++) {
            double x1, y1, x2, y2, d = 0;
            GEOSCoordSeq_getXY_r(h, s, i, &x1, &y1);
            GEOSCoordSeq_getXY_r(h, s, i + 1, &x2, &y2);
            geod_inverse(&geod, y1, x1, y2, x2, &d, NULL, NULL);
            sum += d;
        }
    }
    return sum / 1e3;
}

static void assert_close_rel(double got, double want, double rel)
{
    if (fabs(got - want) > rel * fabs(want))
        fail_msg("got %.3f, want %.3f (within %.2f %%)", got, want, rel * 100);
}

/* What a whole file holds: features by geometry type, total vertices, any Z left. */
typedef struct census {
    size_t features, points, lines, multilines, polygons, multipolygons, collections;
    size_t vertices, with_z;
} census;

static void take_census(fixture *f, const char *rel, const bz_read_options *o, census *c)
{
    memset(c, 0, sizeof *c);
    bz_features *fs = NULL;
    int rc = bz_read_features(&fs, f->ctx, data(f, rel), o);
    if (rc != BZ_OK)
        fail_msg("%s: %s", rel, bz_errmsg(f->ctx));
    GEOSContextHandle_t h = bz_context_geos(f->ctx);
    c->features = bz_features_count(fs);
    for (size_t i = 0; i < c->features; i++) {
        const GEOSGeometry *g = bz_features_geometry(fs, i);
        if (!g)
            continue;
        switch (GEOSGeomTypeId_r(h, g)) {
        case GEOS_POINT: c->points++; break;
        case GEOS_LINESTRING: c->lines++; break;
        case GEOS_MULTILINESTRING: c->multilines++; break;
        case GEOS_POLYGON: c->polygons++; break;
        case GEOS_MULTIPOLYGON: c->multipolygons++; break;
        case GEOS_GEOMETRYCOLLECTION: c->collections++; break;
        default: break;
        }
        c->vertices += (size_t)GEOSGetNumCoordinates_r(h, g);
        c->with_z += GEOSHasZ_r(h, g) == 1;
    }
    bz_features_free(fs);
}

/* ---------------------------------------------------------------------------------------- */
/* Front line sources                                                                       */
/* ---------------------------------------------------------------------------------------- */

static void test_deepstate_occupied(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *file;
        size_t vertices;
        double km2;
    } files[] = {
        {"frontline/deepstate_occupied_2024-07-08.geojson", 2938, 109361},
        {"frontline/deepstate_occupied_2025-01-02.geojson", 2772, 111885},
        {"frontline/deepstate_occupied_2025-08-03.geojson", 3020, 114287},
        {"frontline/deepstate_occupied_2026-01-01.geojson", 2874, 116219},
        {"frontline/deepstate_occupied_2026-08-22.geojson", 2953, 116995},
    };
    GEOSContextHandle_t h = bz_context_geos(f->ctx);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        census c;
        take_census(f, files[i].file, NULL, &c);
        assert_int_equal(c.features, 1);
        assert_int_equal(c.multipolygons, 1);
        assert_int_equal(c.vertices, files[i].vertices);
        GEOSGeometry *poly = NULL;
        if (bz_read_polygon(&poly, f->ctx, data(f, files[i].file), NULL) != BZ_OK)
            fail_msg("%s", bz_errmsg(f->ctx));
        assert_int_equal(GEOSGeomTypeId_r(h, poly), GEOS_MULTIPOLYGON);
        assert_int_equal(GEOSisValid_r(h, poly), 1);
        assert_close_rel(area_km2(h, poly), files[i].km2, 0.005);
        bz_geometry_free(f->ctx, poly);
    }
}

static void test_deepstate_raw_layers(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *file;
        size_t features, polygons, points, collections, vertices;
    } files[] = {
        {"frontline/deepstate_raw_layers_2022-04-03T1233Z.geojson", 69, 59, 7, 3, 6938},
        {"frontline/deepstate_raw_layers_2022-09-05T2101Z.geojson", 246, 74, 165, 7, 9364},
        {"frontline/deepstate_raw_layers_2022-09-19T2015Z.geojson", 199, 81, 116, 2, 9303},
        {"frontline/deepstate_raw_layers_2022-11-30T2224Z.geojson", 200, 86, 114, 0, 12265},
        {"frontline/deepstate_raw_layers_2024-07-08T2040Z.geojson", 456, 102, 354, 0, 15400},
        {"frontline/deepstate_raw_layers_2025-08-03T1958Z.geojson", 500, 108, 392, 0, 15637},
    };
    GEOSContextHandle_t h = bz_context_geos(f->ctx);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        census c;
        take_census(f, files[i].file, NULL, &c);
        assert_int_equal(c.features, files[i].features);
        assert_int_equal(c.polygons, files[i].polygons);
        assert_int_equal(c.points, files[i].points);
        assert_int_equal(c.collections, files[i].collections);
        assert_int_equal(c.vertices, files[i].vertices);
        assert_int_equal(c.with_z, 0); /* z = 0 in the file, dropped on reading */

        /* The occupied class, chosen by name; mixed with points in the same layer. */
        bz_read_options o = BZ_READ_OPTIONS_INIT;
        /* 2022-04-03 names the class in Ukrainian only. */
        o.where = "name LIKE '%Occupied%' OR name LIKE '%Окупован%'";
        o.make_valid = 1; /* hand-drawn KML polygons: repair rather than refuse */
        GEOSGeometry *poly = NULL;
        if (bz_read_polygon(&poly, f->ctx, data(f, files[i].file), &o) != BZ_OK)
            fail_msg("%s: %s", files[i].file, bz_errmsg(f->ctx));
        assert_int_equal(GEOSisValid_r(h, poly), 1);
        assert_true(area_km2(h, poly) > 1000.0);
        bz_geometry_free(f->ctx, poly);
    }
}

static void test_deepstate_grey_zone(void **state)
{
    fixture *f = *state;
    /* SOURCES.md: "Unknown status" polygons, 9 / 768 km² and 23 / 1,045 km². */
    static const struct {
        const char *file;
        size_t polygons;
        double km2;
    } files[] = {
        {"frontline/deepstate_raw_layers_2022-11-30T2224Z.geojson", 9, 768},
        {"frontline/deepstate_raw_layers_2025-08-03T1958Z.geojson", 23, 1045},
    };
    GEOSContextHandle_t h = bz_context_geos(f->ctx);
    for (size_t i = 0; i < 2; i++) {
        bz_read_options o = BZ_READ_OPTIONS_INIT;
        o.where = "name LIKE '%Unknown status%'";
        census c;
        take_census(f, files[i].file, &o, &c);
        assert_int_equal(c.features, files[i].polygons);
        assert_int_equal(c.polygons, files[i].polygons);
        GEOSGeometry *poly = NULL;
        o.make_valid = 1;
        if (bz_read_polygon(&poly, f->ctx, data(f, files[i].file), &o) != BZ_OK)
            fail_msg("%s: %s", files[i].file, bz_errmsg(f->ctx));
        assert_close_rel(area_km2(h, poly), files[i].km2, 0.005);
        bz_geometry_free(f->ctx, poly);
    }
}

static void test_isw(void **state)
{
    fixture *f = *state;
    const char *rel = "frontline/isw_assessed_russian_control_2022-11-30.geojson";
    census c;
    take_census(f, rel, NULL, &c);
    assert_int_equal(c.features, 2);
    assert_int_equal(c.polygons, 1);
    assert_int_equal(c.multipolygons, 1);
    assert_int_equal(c.vertices, 33379);
    GEOSGeometry *poly = NULL;
    bz_read_options o = BZ_READ_OPTIONS_INIT;
    o.make_valid = 1;
    if (bz_read_polygon(&poly, f->ctx, data(f, rel), &o) != BZ_OK)
        fail_msg("%s", bz_errmsg(f->ctx));
    assert_close_rel(area_km2(bz_context_geos(f->ctx), poly), 105042, 0.005);
    bz_geometry_free(f->ctx, poly);
}

static void test_nzz_nested(void **state)
{
    fixture *f = *state;
    const char *rel = "frontline/nzz_liveuamap_areas_2026-08-22.json";
    bz_read_options o = BZ_READ_OPTIONS_INIT;
    o.layer = "value"; /* the FeatureCollection nested under the top-level key */
    census c;
    take_census(f, rel, &o, &c);
    assert_int_equal(c.features, 2);
    o.where = "type = 'nochange'";
    take_census(f, rel, &o, &c);
    assert_int_equal(c.multipolygons, 1);
    assert_int_equal(c.vertices, 9244);
    o.where = "type = 'losses'";
    take_census(f, rel, &o, &c);
    assert_int_equal(c.polygons, 1);
    assert_int_equal(c.vertices, 96);

    o.where = "type = 'nochange'";
    o.make_valid = 1;
    GEOSGeometry *poly = NULL;
    if (bz_read_polygon(&poly, f->ctx, data(f, rel), &o) != BZ_OK)
        fail_msg("%s", bz_errmsg(f->ctx));
    assert_close_rel(area_km2(bz_context_geos(f->ctx), poly), 74307, 0.005);
    bz_geometry_free(f->ctx, poly);
}

/* ---------------------------------------------------------------------------------------- */
/* Boundaries                                                                               */
/* ---------------------------------------------------------------------------------------- */

/* Whether (lon, lat) lies in a polygonal geometry. */
static int covers(GEOSContextHandle_t h, const GEOSGeometry *g, double lon, double lat)
{
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, lon, lat);
    char in = GEOSIntersects_r(h, g, pt);
    GEOSGeom_destroy_r(h, pt);
    return in == 1;
}

static void test_oblasts(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *file;
        size_t polygons, multipolygons, vertices;
    } files[] = {
        {"boundaries/ukraine_adm1_geoboundaries.geojson", 26, 1, 137991},
        {"boundaries/ukraine_oblasts_minregion_2020.geojson", 21, 6, 82090},
    };
    GEOSContextHandle_t h = bz_context_geos(f->ctx);
    for (size_t i = 0; i < 2; i++) {
        census c;
        take_census(f, files[i].file, NULL, &c);
        assert_int_equal(c.features, 27);
        assert_int_equal(c.polygons, files[i].polygons);
        assert_int_equal(c.multipolygons, files[i].multipolygons);
        assert_int_equal(c.vertices, files[i].vertices);
        bz_read_options o = BZ_READ_OPTIONS_INIT;
        o.make_valid = 1;
        GEOSGeometry *ukraine = NULL;
        if (bz_read_polygon(&ukraine, f->ctx, data(f, files[i].file), &o) != BZ_OK)
            fail_msg("%s: %s", files[i].file, bz_errmsg(f->ctx));
        assert_int_equal(GEOSisValid_r(h, ukraine), 1);
        /* The union is the country with Crimea: 603,628 km² of land (State Statistics
         * Service of Ukraine). geoBoundaries' OSM-based outline also takes in the 12-mile
         * territorial sea (off Odesa, 30.9°E 46.2°N, is inside), so it is larger. */
        double km2 = area_km2(h, ukraine);
        if (i == 0) {
            assert_true(km2 > 603628 && km2 < 1.1 * 603628);
            assert_true(covers(h, ukraine, 30.9, 46.2));
        } else {
            assert_close_rel(km2, 603628, 0.01);
            assert_false(covers(h, ukraine, 30.9, 46.2));
        }
        assert_true(covers(h, ukraine, 30.5234, 50.4501));  /* Kyiv */
        assert_true(covers(h, ukraine, 34.1024, 44.9521));  /* Simferopol */
        assert_false(covers(h, ukraine, 37.6173, 55.7558)); /* Moscow */
        bz_geometry_free(f->ctx, ukraine);
    }
    /* One oblast by its attribute. */
    bz_read_options o = BZ_READ_OPTIONS_INIT;
    o.where = "shapeISO = 'UA-14'";
    census c;
    take_census(f, "boundaries/ukraine_adm1_geoboundaries.geojson", &o, &c);
    assert_int_equal(c.features, 1);
}

static void test_topojson(void **state)
{
    fixture *f = *state;
    const char *rel = "boundaries/world_atlas_countries_10m.topojson";
    bz_read_options o = BZ_READ_OPTIONS_INIT;
    o.layer = "countries";
    census c;
    take_census(f, rel, &o, &c);
    assert_int_equal(c.features, 255);
    assert_int_equal(c.polygons, 105);
    assert_int_equal(c.multipolygons, 150);
    assert_int_equal(c.vertices, 544862);

    o.where = "name = 'Ukraine'";
    take_census(f, rel, &o, &c);
    assert_int_equal(c.features, 1);
    assert_int_equal(c.vertices, 2638);
    GEOSGeometry *ukraine = NULL;
    /* Quantized arcs leave a self-touching ring: refused with its place, or repaired. */
    assert_int_equal(bz_read_polygon(&ukraine, f->ctx, data(f, rel), &o), BZ_ERR_GEOMETRY);
    assert_null(ukraine);
    assert_non_null(strstr(bz_errmsg(f->ctx), "layer 'countries', feature"));
    assert_non_null(strstr(bz_errmsg(f->ctx), " lat "));
    o.make_valid = 1;
    if (bz_read_polygon(&ukraine, f->ctx, data(f, rel), &o) != BZ_OK)
        fail_msg("%s", bz_errmsg(f->ctx));
    GEOSContextHandle_t h = bz_context_geos(f->ctx);
    assert_true(covers(h, ukraine, 30.5234, 50.4501));  /* Kyiv */
    assert_false(covers(h, ukraine, 34.1024, 44.9521)); /* Crimea is in "Russia" here */
    bz_geometry_free(f->ctx, ukraine);

    /* Without a layer name the filter is applied to both layers; "land" has no name field
     * and simply cannot match. */
    o.layer = NULL;
    take_census(f, rel, &o, &c);
    assert_int_equal(c.features, 1);
    /* A filter that no layer accepts is a mistake in the filter, not "nothing found". */
    bz_features *fs = NULL;
    o.where = "nosuchfield = 'Ukraine'";
    assert_int_equal(bz_read_features(&fs, f->ctx, data(f, rel), &o), BZ_ERR_ARGUMENT);
    assert_null(fs);
    assert_non_null(strstr(bz_errmsg(f->ctx), "nosuchfield"));
}

static void test_natural_earth(void **state)
{
    fixture *f = *state;
    census c;
    take_census(f, "boundaries/ne_10m_admin_0_disputed_areas.geojson", NULL, &c);
    assert_int_equal(c.features, 80);
    assert_int_equal(c.polygons, 57);
    assert_int_equal(c.multipolygons, 23);
    assert_int_equal(c.vertices, 12178);
    static const struct {
        const char *name;
        double km2;
    } areas[] = {{"Crimea", 27096}, {"Donbass", 17757}, {"Cyprus U.N. Buffer Zone", 341}};
    for (size_t i = 0; i < 3; i++) {
        char where[128];
        snprintf(where, sizeof where, "NAME = '%s' OR BRK_NAME = '%s'", areas[i].name,
                 areas[i].name);
        bz_read_options o = BZ_READ_OPTIONS_INIT;
        o.where = where;
        GEOSGeometry *poly = NULL;
        if (bz_read_polygon(&poly, f->ctx,
                            data(f, "boundaries/ne_10m_admin_0_disputed_areas.geojson"),
                            &o) != BZ_OK)
            fail_msg("%s", bz_errmsg(f->ctx));
        assert_close_rel(area_km2(bz_context_geos(f->ctx), poly), areas[i].km2, 0.005);
        bz_geometry_free(f->ctx, poly);
    }

    take_census(f, "boundaries/ne_10m_admin_0_boundary_lines_land.geojson", NULL, &c);
    assert_int_equal(c.features, 462);
    assert_int_equal(c.lines, 92);
    assert_int_equal(c.multilines, 370);
    assert_int_equal(c.vertices, 77623);
    take_census(f, "boundaries/ne_10m_admin_0_boundary_lines_disputed_areas.geojson", NULL, &c);
    assert_int_equal(c.features, 46);
    assert_int_equal(c.lines, 20);
    assert_int_equal(c.multilines, 26);
    assert_int_equal(c.vertices, 3352);

    /* The Korean MDL as a contact line. */
    bz_read_options o = BZ_READ_OPTIONS_INIT;
    o.where = "name = 'Military Demarcation Line 1953'";
    bz_line *mdl = NULL;
    if (bz_read_line(&mdl, f->ctx, data(f, "boundaries/ne_10m_admin_0_boundary_lines_land.geojson"),
                     &o) != BZ_OK)
        fail_msg("%s", bz_errmsg(f->ctx));
    /* SOURCES.md: 52 vertices, stored as 9 pieces that meet end to end; merged they are one
     * part, each of the 8 junctions counted once: 52 - 8 = 44 points. */
    census c1;
    take_census(f, "boundaries/ne_10m_admin_0_boundary_lines_land.geojson", &o, &c1);
    assert_int_equal(c1.vertices, 52);
    assert_int_equal(bz_line_num_parts(mdl), 1);
    assert_int_equal(bz_line_num_points(mdl), 44);
    bz_line_free(mdl);
}

/* ---------------------------------------------------------------------------------------- */
/* The Korean DMZ: Shapefile with .prj and its GeoJSON twin                                 */
/* ---------------------------------------------------------------------------------------- */

static void test_lsib_dmz(void **state)
{
    fixture *f = *state;
    GEOSContextHandle_t h = bz_context_geos(f->ctx);
    const char *shp_rel = "heldout/korea_dmz_lsib_shapefile/dmz.shp";
    const char *json_rel = "heldout/korea_dmz_lsib.geojson";
    bz_features *shp = NULL, *json = NULL;
    if (bz_read_features(&shp, f->ctx, data(f, shp_rel), NULL) != BZ_OK)
        fail_msg("%s", bz_errmsg(f->ctx));
    if (bz_read_features(&json, f->ctx, data(f, json_rel), NULL) != BZ_OK)
        fail_msg("%s", bz_errmsg(f->ctx));
    assert_int_equal(bz_features_count(shp), 3);
    assert_int_equal(bz_features_count(json), 3);
    size_t total = 0;
    for (size_t i = 0; i < 3; i++) {
        const GEOSGeometry *a = bz_features_geometry(shp, i), *b = bz_features_geometry(json, i);
        assert_int_equal(GEOSGeomTypeId_r(h, a), GEOS_LINESTRING);
        /* Same coordinates, same order (the .prj is WGS 84: no axis swap, no shift). */
        assert_int_equal(GEOSEqualsExact_r(h, a, b, 1e-9), 1);
        total += (size_t)GEOSGetNumCoordinates_r(h, a);
        const char *what = bz_features_attr(shp, i, "DISCLAIME1");
        assert_non_null(what);
        double km = line_km(h, a);
        if (strcmp(what, "Military Demarcation Line") == 0) {
            assert_int_equal(GEOSGetNumCoordinates_r(h, a), 312);
            assert_true(fabs(km - 237.6) < 0.1);
        } else {
            assert_string_equal(what, "DMZ");
            const char *country = bz_features_attr(shp, i, "COUNTRY_NA");
            int north = strcmp(country, "North Korea") == 0;
            assert_int_equal(GEOSGetNumCoordinates_r(h, a), north ? 193 : 200);
            assert_true(fabs(km - (north ? 218.8 : 209.9)) < 0.1);
        }
    }
    assert_int_equal(total, 705);
    bz_features_free(shp);
    bz_features_free(json);

    /* The MDL alone, as a contact line, from the Shapefile. */
    bz_read_options o = BZ_READ_OPTIONS_INIT;
    o.where = "DISCLAIME1 = 'Military Demarcation Line'";
    bz_line *mdl = NULL;
    if (bz_read_line(&mdl, f->ctx, data(f, shp_rel), &o) != BZ_OK)
        fail_msg("%s", bz_errmsg(f->ctx));
    assert_int_equal(bz_line_num_parts(mdl), 1);
    assert_int_equal(bz_line_num_points(mdl), 312);
    double m = 0;
    assert_int_equal(bz_line_length(&m, f->ctx, mdl), BZ_OK);
    assert_true(fabs(m / 1e3 - 237.6) < 0.1);
    bz_line_free(mdl);
}

/* ---------------------------------------------------------------------------------------- */
/* Places                                                                                   */
/* ---------------------------------------------------------------------------------------- */

static void test_places_files(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *file, *country_filter;
        size_t count, in_country;
    } files[] = {
        {"places/geonames_cities1000_ua_and_ru_border_region.geojson", "country = 'UA'", 2149,
         1651},
        {"places/ne_10m_populated_places_ua_and_ru_border_region.geojson", "ADM0_A3 = 'UKR'", 93,
         49},
    };
    for (size_t i = 0; i < 2; i++) {
        bz_places *p = NULL;
        if (bz_read_places(&p, f->ctx, data(f, files[i].file), NULL) != BZ_OK)
            fail_msg("%s", bz_errmsg(f->ctx));
        assert_int_equal(bz_places_count(p), files[i].count);
        size_t named = 0, populated = 0;
        for (size_t k = 0; k < bz_places_count(p); k++) {
            named += bz_places_name(p, k)[0] != '\0';
            populated += bz_places_population(p, k) > 0;
            double lon, lat;
            bz_places_coords(p, k, &lon, &lat);
            /* SOURCES.md: UA everywhere, RU within lon 22-41, lat 44-53. */
            assert_true(lon > 22.0 && lon < 41.0 && lat > 44.0 && lat < 53.0);
        }
        assert_int_equal(named, files[i].count);
        assert_true(populated > files[i].count * 9 / 10);
        bz_places_free(p);

        bz_read_options o = BZ_READ_OPTIONS_INIT;
        o.where = files[i].country_filter;
        p = NULL;
        if (bz_read_places(&p, f->ctx, data(f, files[i].file), &o) != BZ_OK)
            fail_msg("%s", bz_errmsg(f->ctx));
        assert_int_equal(bz_places_count(p), files[i].in_country);
        bz_places_free(p);
    }
}

int main(void)
{
    data_dir = getenv("BZ_SHARED_DATA");
    struct stat st;
    if (!data_dir || stat(data_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("BZ_SHARED_DATA unset or missing: skipping\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_deepstate_occupied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deepstate_raw_layers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deepstate_grey_zone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_isw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nzz_nested, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oblasts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_topojson, setup, teardown),
        cmocka_unit_test_setup_teardown(test_natural_earth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lsib_dmz, setup, teardown),
        cmocka_unit_test_setup_teardown(test_places_files, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_memory_api.c — the in-memory C API: geometries from WKB, places from arrays, GDAL
 * in-memory files (/vsimem/).
 *
 * Truth: WKB bytes are built by hand here from the format's definition (ISO 13249 / OGC
 * 06-103 and PostGIS's extended WKB: byte order, uint32 type, counts, IEEE doubles), in both
 * byte orders, and the parsed coordinates are compared with the doubles that went in. Places
 * are compared with the arrays they came from and counted in a hand-placed square. Reading
 * from /vsimem/ is compared with reading the same bytes from a file on disk. The GeoJSON
 * string is compared byte for byte with the .geojson file bz_zones_write makes, and read by
 * GDAL (OGR, through its own VSIFileFromMemBuffer) as the independent reader.
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

#include <cmocka.h> /* after setjmp.h, stdarg.h, stddef.h: it needs them */

#include "support.h"

/* GDAL, as the independent reader of the GeoJSON string (its headers trip -Wpedantic). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#pragma GCC diagnostic pop

/* ---- a hand-made WKB byte buffer ----------------------------------------------------------- */

typedef struct wkb {
    unsigned char b[1024];
    size_t n;
    int big; /* 1: XDR (big endian), 0: NDR (little endian) */
} wkb;

static void put_u32(wkb *w, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        int shift = w->big ? 8 * (3 - i) : 8 * i;
        w->b[w->n++] = (unsigned char)(v >> shift);
    }
}

static void put_f64(wkb *w, double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    for (int i = 0; i < 8; i++) {
        int shift = w->big ? 8 * (7 - i) : 8 * i;
        w->b[w->n++] = (unsigned char)(v >> shift);
    }
}

static void put_header(wkb *w, uint32_t type)
{
    w->b[w->n++] = w->big ? 0 : 1;
    put_u32(w, type);
}

/* A LineString of n points, `dims` doubles per point (2, 3 or 4), x and y from xy, and the
 * extra ordinates 100 + i (Z) and 200 + i (M), which the reader must drop. */
static void put_linestring(wkb *w, uint32_t type, const double *xy, size_t n, int dims)
{
    put_header(w, type);
    put_u32(w, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        put_f64(w, xy[2 * i]);
        put_f64(w, xy[2 * i + 1]);
        for (int d = 2; d < dims; d++)
            put_f64(w, 100.0 * (d - 1) + (double)i);
    }
}

/* The coordinates of a LineString / ring as lon/lat pairs through GEOS (n returned). */
static size_t coords_of(GEOSContextHandle_t h, const GEOSGeometry *g, double *xy, size_t max)
{
    const GEOSCoordSequence *s = GEOSGeom_getCoordSeq_r(h, g);
    unsigned n = 0;
    assert_non_null(s);
    assert_true(GEOSCoordSeq_getSize_r(h, s, &n));
    assert_true(n <= max);
    for (unsigned i = 0; i < n; i++)
        assert_true(GEOSCoordSeq_getXY_r(h, s, i, &xy[2 * i], &xy[2 * i + 1]));
    return n;
}

static const double line_xy[] = {30.5, 50.25, 31.125, 50.5, 32.0625, 49.75};

static void check_line(bz_context *ctx, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = bz_context_geos(ctx);
    assert_int_equal(GEOSGeomTypeId_r(h, g), GEOS_LINESTRING);
    assert_int_equal(GEOSHasZ_r(h, g), 0);
    assert_int_equal(GEOSGeom_getCoordinateDimension_r(h, g), 2);
    double xy[16];
    assert_int_equal(coords_of(h, g, xy, 8), 3);
    for (int i = 0; i < 6; i++)
        assert_true(xy[i] == line_xy[i]); /* bit-exact: doubles went in as bytes */
}

/* ---- bz_geometry_from_wkb ------------------------------------------------------------------ */

static void test_wkb_linestring_both_byte_orders(void **state)
{
    bz_context *ctx = *state;
    for (int big = 0; big <= 1; big++) {
        wkb w = {.big = big};
        put_linestring(&w, 2, line_xy, 3, 2);
        assert_int_equal(w.n, 1 + 4 + 4 + 3 * 16);
        GEOSGeometry *g = NULL;
        assert_int_equal(bz_geometry_from_wkb(&g, ctx, w.b, w.n), BZ_OK);
        check_line(ctx, g);
        bz_geometry_free(ctx, g);
    }
}

/* ISO Z (1002), M (2002), ZM (3002) and extended WKB with the Z flag, M flag and an SRID:
 * every one becomes the same 2-D line. */
static void test_wkb_z_and_m_dropped(void **state)
{
    bz_context *ctx = *state;
    const struct {
        uint32_t type;
        int dims, srid;
    } cases[] = {
        {1002, 3, 0},        {2002, 3, 0}, {3002, 4, 0}, {0x80000002u, 3, 0}, /* EWKB Z */
        {0x40000002u, 3, 0},                                                  /* EWKB M */
        {0xC0000002u, 4, 0},                                                  /* EWKB ZM */
        {0xA0000002u, 3, 1},                                                  /* EWKB Z + SRID */
        {0x20000002u, 2, 1},                                                  /* EWKB 2-D + SRID */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (int big = 0; big <= 1; big++) {
            wkb w = {.big = big};
            put_header(&w, cases[c].type);
            if (cases[c].srid)
                put_u32(&w, 4326);
            put_u32(&w, 3);
            for (size_t i = 0; i < 3; i++) {
                put_f64(&w, line_xy[2 * i]);
                put_f64(&w, line_xy[2 * i + 1]);
                for (int d = 2; d < cases[c].dims; d++)
                    put_f64(&w, 100.0 * (d - 1) + (double)i);
            }
            GEOSGeometry *g = NULL;
            int rc = bz_geometry_from_wkb(&g, ctx, w.b, w.n);
            if (rc != BZ_OK)
                fail_msg("type 0x%x (%s endian): %s", (unsigned)cases[c].type,
                         big ? "big" : "little", bz_errmsg(ctx));
            check_line(ctx, g);
            bz_geometry_free(ctx, g);
        }
    }
}

/* A big-endian polygon with a hole, inside a little-endian MultiPolygon (WKB lets each part
 * have its own byte order). */
static void test_wkb_multipolygon_mixed_order(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    static const double shell[] = {30, 50, 31, 50, 31, 51, 30, 51, 30, 50};
    static const double hole[] = {30.25, 50.25, 30.25, 50.75, 30.75,
                                  50.75, 30.75, 50.25, 30.25, 50.25};
    wkb w = {.big = 0};
    put_header(&w, 6); /* MultiPolygon, little endian */
    put_u32(&w, 1);
    w.big = 1;
    put_header(&w, 3); /* Polygon, big endian */
    put_u32(&w, 2);
    put_u32(&w, 5);
    for (int i = 0; i < 10; i++)
        put_f64(&w, shell[i]);
    put_u32(&w, 5);
    for (int i = 0; i < 10; i++)
        put_f64(&w, hole[i]);
    GEOSGeometry *g = NULL;
    assert_int_equal(bz_geometry_from_wkb(&g, ctx, w.b, w.n), BZ_OK);
    assert_int_equal(GEOSGeomTypeId_r(h, g), GEOS_MULTIPOLYGON);
    const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, 0);
    assert_int_equal(GEOSGetNumInteriorRings_r(h, p), 1);
    double xy[20];
    assert_int_equal(coords_of(h, GEOSGetExteriorRing_r(h, p), xy, 10), 5);
    for (int i = 0; i < 10; i++)
        assert_true(xy[i] == shell[i]);
    assert_int_equal(coords_of(h, GEOSGetInteriorRingN_r(h, p, 0), xy, 10), 5);
    for (int i = 0; i < 10; i++)
        assert_true(xy[i] == hole[i]);
    /* Area of a 1° square minus a 0.5° square, by geod_polygonarea. */
    struct geod_geodesic geod = support_wgs84();
    double area = 0;
    assert_int_equal(bz_geodesic_area(&area, ctx, g), BZ_OK);
    assert_near(area,
                truth_rect_area(&geod, 30, 50, 31, 51) -
                    truth_rect_area(&geod, 30.25, 50.25, 30.75, 50.75),
                1.0); /* 1 m² of 5.9e9: the library sums its rings its own way */
    bz_geometry_free(ctx, g);
}

/* Points, an empty point (NaN NaN, as GEOS and PostGIS write POINT EMPTY) and a collection. */
static void test_wkb_points_and_collection(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    wkb w = {.big = 1};
    put_header(&w, 7); /* GeometryCollection */
    put_u32(&w, 2);
    put_header(&w, 1);
    put_f64(&w, -179.5);
    put_f64(&w, -89.5);
    put_linestring(&w, 2, line_xy, 3, 2);
    GEOSGeometry *g = NULL;
    assert_int_equal(bz_geometry_from_wkb(&g, ctx, w.b, w.n), BZ_OK);
    assert_int_equal(GEOSGeomTypeId_r(h, g), GEOS_GEOMETRYCOLLECTION);
    assert_int_equal(GEOSGetNumGeometries_r(h, g), 2);
    double x = 0, y = 0;
    assert_true(GEOSGeomGetX_r(h, GEOSGetGeometryN_r(h, g, 0), &x));
    assert_true(GEOSGeomGetY_r(h, GEOSGetGeometryN_r(h, g, 0), &y));
    assert_true(x == -179.5 && y == -89.5);
    check_line(ctx, GEOSGetGeometryN_r(h, g, 1));
    bz_geometry_free(ctx, g);

    wkb e = {.big = 0};
    put_header(&e, 1);
    put_f64(&e, NAN);
    put_f64(&e, NAN);
    assert_int_equal(bz_geometry_from_wkb(&g, ctx, e.b, e.n), BZ_OK);
    assert_int_equal(GEOSisEmpty_r(h, g), 1);
    bz_geometry_free(ctx, g);
}

/* What the library writes, it reads back unchanged. */
static void test_wkb_round_trip(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeometry *a =
        support_wkt(ctx, "MULTILINESTRING ((30.1 50.2, 31.3 50.4), (32 49, 33.25 48.5, 34 48.75))");
    unsigned char *b = NULL;
    size_t n = 0;
    assert_int_equal(bz_geometry_to_wkb(&b, &n, ctx, a), BZ_OK);
    GEOSGeometry *g = NULL;
    assert_int_equal(bz_geometry_from_wkb(&g, ctx, b, n), BZ_OK);
    assert_int_equal(GEOSEqualsExact_r(h, a, g, 0.0), 1);
    bz_free(b);
    bz_geometry_free(ctx, g);
    bz_geometry_free(ctx, a);
}

static void test_wkb_not_wkb(void **state)
{
    bz_context *ctx = *state;
    wkb w = {.big = 0};
    put_linestring(&w, 2, line_xy, 3, 2);
    GEOSGeometry *g = (GEOSGeometry *)&w; /* must come back NULL */
    /* Every truncation of a valid WKB is FORMAT, never a crash or a shorter line. */
    for (size_t cut = 1; cut < w.n; cut++) {
        g = (GEOSGeometry *)&w;
        int rc = bz_geometry_from_wkb(&g, ctx, w.b, cut);
        if (rc != BZ_ERR_FORMAT)
            fail_msg("truncated to %zu of %zu bytes: status %d (%s)", cut, w.n, rc, bz_errmsg(ctx));
        assert_null(g);
        assert_non_null(strstr(bz_errmsg(ctx), "WKB"));
    }
    /* Bytes after a whole geometry (two glued together, a wrong size): FORMAT, not silently
     * the first one. Checked for a point, a line, a polygon in a collection, EWKB with SRID. */
    static const char *const wkts[] = {"POINT (30 50)", "LINESTRING (30 50, 31 51, 32 50)",
                                       "GEOMETRYCOLLECTION (POLYGON ((30 50, 31 50, 31 51, 30 "
                                       "50)), MULTIPOINT ((30 50), (31 51)))"};
    for (size_t c = 0; c < 3; c++) {
        GEOSGeometry *a = support_wkt(ctx, wkts[c]);
        unsigned char *b = NULL;
        size_t n = 0;
        assert_int_equal(bz_geometry_to_wkb(&b, &n, ctx, a), BZ_OK);
        unsigned char *two = malloc(2 * n);
        assert_non_null(two);
        memcpy(two, b, n);
        memcpy(two + n, b, n);
        assert_int_equal(bz_geometry_from_wkb(&g, ctx, two, n), BZ_OK); /* exact size: fine */
        bz_geometry_free(ctx, g);
        for (size_t extra = 1; extra <= n; extra += n - 1) {
            g = (GEOSGeometry *)&w;
            assert_int_equal(bz_geometry_from_wkb(&g, ctx, two, n + extra), BZ_ERR_FORMAT);
            assert_null(g);
            assert_non_null(strstr(bz_errmsg(ctx), "after the end"));
        }
        free(two);
        bz_free(b);
        bz_geometry_free(ctx, a);
    }
    wkb e = {.big = 1};
    put_header(&e, 0xA0000002u); /* EWKB LineString Z with SRID */
    put_u32(&e, 4326);
    put_u32(&e, 2);
    for (int i = 0; i < 6; i++)
        put_f64(&e, 30.0 + i);
    e.b[e.n++] = 0;
    assert_int_equal(bz_geometry_from_wkb(&g, ctx, e.b, e.n), BZ_ERR_FORMAT);
    assert_int_equal(bz_geometry_from_wkb(&g, ctx, e.b, e.n - 1), BZ_OK);
    bz_geometry_free(ctx, g);
    /* An unknown geometry type (99) and a byte order that is neither 0 nor 1. */
    wkb t = {.big = 0};
    put_header(&t, 99);
    put_u32(&t, 0);
    assert_int_equal(bz_geometry_from_wkb(&g, ctx, t.b, t.n), BZ_ERR_FORMAT);
    assert_null(g);
    unsigned char text[] = "LINESTRING (30 50, 31 51)";
    assert_int_equal(bz_geometry_from_wkb(&g, ctx, text, sizeof text - 1), BZ_ERR_FORMAT);
    assert_null(g);
    /* Arguments. */
    assert_int_equal(bz_geometry_from_wkb(&g, ctx, w.b, 0), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_geometry_from_wkb(&g, ctx, NULL, 10), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_geometry_from_wkb(NULL, ctx, w.b, w.n), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_geometry_from_wkb(&g, NULL, w.b, w.n), BZ_ERR_ARGUMENT);
}

/* A bad coordinate is GEOMETRY, and the message names its vertex (over all parts). */
static void test_wkb_bad_coordinates(void **state)
{
    bz_context *ctx = *state;
    const struct {
        double x, y;
        const char *words;
    } bad[] = {
        {NAN, 50.0, "not finite"},   {31.0, INFINITY, "not finite"}, {180.5, 50.0, "longitude"},
        {-181.0, 50.0, "longitude"}, {31.0, 90.25, "latitude"},      {31.0, -91.0, "latitude"},
    };
    for (size_t c = 0; c < sizeof bad / sizeof bad[0]; c++) {
        for (int big = 0; big <= 1; big++) {
            /* MultiLineString: part 0 has 3 good points, part 1 has a good one, then the bad
             * one: overall vertex 4. */
            wkb w = {.big = big};
            put_header(&w, 5);
            put_u32(&w, 2);
            put_linestring(&w, 2, line_xy, 3, 2);
            double xy[] = {33.0, 49.0, bad[c].x, bad[c].y};
            put_linestring(&w, 1002, xy, 2, 3); /* Z on a part: dropped first, then checked */
            GEOSGeometry *g = (GEOSGeometry *)&w;
            assert_int_equal(bz_geometry_from_wkb(&g, ctx, w.b, w.n), BZ_ERR_GEOMETRY);
            assert_null(g);
            const char *msg = bz_errmsg(ctx);
            if (!strstr(msg, "vertex 4") || !strstr(msg, bad[c].words))
                fail_msg("case %zu: message '%s'", c, msg);
        }
    }
    /* The edges themselves are fine. */
    double edge[] = {-180, -90, 180, 90};
    wkb w = {.big = 0};
    put_linestring(&w, 2, edge, 2, 2);
    GEOSGeometry *g = NULL;
    assert_int_equal(bz_geometry_from_wkb(&g, ctx, w.b, w.n), BZ_OK);
    bz_geometry_free(ctx, g);
}

/* ---- bz_places_from_arrays ----------------------------------------------------------------- */

static void test_places_from_arrays(void **state)
{
    bz_context *ctx = *state;
    const char *names[] = {"Kyiv", NULL, "Харків", "Dnipro"};
    const double lon[] = {30.5234, 31.25, 36.2304, 35.0462};
    const double lat[] = {50.4501, 50.5, 49.9935, 48.4647};
    const double pop[] = {2952301, NAN, 1421125, 0};
    bz_places *p = NULL;
    assert_int_equal(bz_places_from_arrays(&p, ctx, 4, names, lon, lat, pop), BZ_OK);
    assert_int_equal(bz_places_count(p), 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(bz_places_name(p, i), names[i] ? names[i] : "");
        double x = 0, y = 0;
        bz_places_coords(p, i, &x, &y);
        assert_true(x == lon[i] && y == lat[i]);
        if (isnan(pop[i]))
            assert_true(isnan(bz_places_population(p, i)));
        else
            assert_true(bz_places_population(p, i) == pop[i]);
    }
    /* The copies are the library's: the caller's arrays may go. Count inside a hand-placed
     * square [30, 32] x [50, 51]: Kyiv and the unnamed place; population of the known one. */
    GEOSGeometry *sq = support_wkt(ctx, "POLYGON ((30 50, 32 50, 32 51, 30 51, 30 50))");
    size_t count = 0, idx[4];
    double people = 0;
    assert_int_equal(bz_places_within(&count, &people, idx, ctx, p, sq), BZ_OK);
    assert_int_equal(count, 2);
    assert_int_equal(idx[0], 0);
    assert_int_equal(idx[1], 1);
    assert_true(people == 2952301);
    bz_geometry_free(ctx, sq);
    bz_places_free(p);

    /* No names, no populations. */
    assert_int_equal(bz_places_from_arrays(&p, ctx, 4, NULL, lon, lat, NULL), BZ_OK);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(bz_places_name(p, i), "");
        assert_true(isnan(bz_places_population(p, i)));
    }
    bz_places_free(p);

    /* None at all. */
    assert_int_equal(bz_places_from_arrays(&p, ctx, 0, NULL, NULL, NULL, NULL), BZ_OK);
    assert_int_equal(bz_places_count(p), 0);
    bz_places_free(p);
}

static void test_places_from_arrays_errors(void **state)
{
    bz_context *ctx = *state;
    double lon[] = {30, 31, 32}, lat[] = {50, 50, 50}, pop[] = {1, 2, 3};
    bz_places *p = (bz_places *)&lon;
    const struct {
        int which; /* 0 lon, 1 lat, 2 population */
        double value;
        int status;
        const char *words;
    } bad[] = {
        {0, NAN, BZ_ERR_GEOMETRY, "not finite"},    {1, -INFINITY, BZ_ERR_GEOMETRY, "not finite"},
        {0, 180.001, BZ_ERR_GEOMETRY, "longitude"}, {1, 90.5, BZ_ERR_GEOMETRY, "latitude"},
        {2, -1.0, BZ_ERR_ARGUMENT, "population"},   {2, INFINITY, BZ_ERR_ARGUMENT, "population"},
    };
    for (size_t c = 0; c < sizeof bad / sizeof bad[0]; c++) {
        double l[3], a[3], q[3];
        memcpy(l, lon, sizeof l);
        memcpy(a, lat, sizeof a);
        memcpy(q, pop, sizeof q);
        double *arr = bad[c].which == 0 ? l : bad[c].which == 1 ? a : q;
        arr[2] = bad[c].value;
        p = (bz_places *)&lon;
        assert_int_equal(bz_places_from_arrays(&p, ctx, 3, NULL, l, a, q), bad[c].status);
        assert_null(p);
        const char *msg = bz_errmsg(ctx);
        if (!strstr(msg, "place 2") || !strstr(msg, bad[c].words))
            fail_msg("case %zu: message '%s'", c, msg);
    }
    assert_int_equal(bz_places_from_arrays(&p, ctx, 3, NULL, NULL, lat, NULL), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_places_from_arrays(&p, ctx, 3, NULL, lon, NULL, NULL), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_places_from_arrays(NULL, ctx, 3, NULL, lon, lat, NULL), BZ_ERR_ARGUMENT);
}

/* ---- /vsimem/ ------------------------------------------------------------------------------ */

static const char line_geojson[] =
    "{\"type\": \"FeatureCollection\", \"features\": [\n"
    "{\"type\": \"Feature\", \"properties\": {\"name\": \"front\"}, \"geometry\": "
    "{\"type\": \"LineString\", \"coordinates\": [[36.1, 47.2], [36.55, 47.61], [37.3, 48.05], "
    "[37.9, 48.6]]}}\n]}\n";

static void test_vsimem_put_get_unlink(void **state)
{
    bz_context *ctx = *state;
    const char *path = "/vsimem/test_memory_api/bytes.bin";
    unsigned char bytes[300];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 7 + 3); /* includes zero bytes */
    assert_int_equal(bz_vsimem_put(ctx, path, bytes, sizeof bytes), BZ_OK);
    bytes[0] ^= 0xFF; /* the library copied them */
    unsigned char *got = NULL;
    size_t n = 0;
    assert_int_equal(bz_vsimem_get(&got, &n, ctx, path), BZ_OK);
    assert_int_equal(n, sizeof bytes);
    bytes[0] ^= 0xFF;
    assert_memory_equal(got, bytes, n);
    bz_free(got);

    /* Putting again replaces; an empty file is a file. */
    assert_int_equal(bz_vsimem_put(ctx, path, "abc", 3), BZ_OK);
    assert_int_equal(bz_vsimem_get(&got, &n, ctx, path), BZ_OK);
    assert_int_equal(n, 3);
    assert_memory_equal(got, "abc", 3);
    bz_free(got);
    assert_int_equal(bz_vsimem_put(ctx, path, NULL, 0), BZ_OK);
    assert_int_equal(bz_vsimem_get(&got, &n, ctx, path), BZ_OK);
    assert_non_null(got);
    assert_int_equal(n, 0);
    bz_free(got);

    assert_int_equal(bz_vsimem_unlink(ctx, path), BZ_OK);
    got = (unsigned char *)&n;
    assert_int_equal(bz_vsimem_get(&got, &n, ctx, path), BZ_ERR_NOT_FOUND);
    assert_null(got);
    assert_non_null(strstr(bz_errmsg(ctx), path));
    assert_int_equal(bz_vsimem_unlink(ctx, path), BZ_OK); /* missing is fine */

    /* Only /vsimem/: never a real file. */
    assert_int_equal(bz_vsimem_put(ctx, "/tmp/bz_test_memory_api.bin", "x", 1), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_vsimem_unlink(ctx, "/etc/passwd"), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_vsimem_get(&got, &n, ctx, "/vsimem/"), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_vsimem_put(ctx, NULL, "x", 1), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_vsimem_put(ctx, "/vsimem/x", NULL, 1), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_vsimem_get(NULL, &n, ctx, path), BZ_ERR_ARGUMENT);
}

static void assert_same_line(const bz_line *a, const bz_line *b)
{
    assert_int_equal(bz_line_num_parts(a), bz_line_num_parts(b));
    for (size_t p = 0; p < bz_line_num_parts(a); p++) {
        size_t na = 0, nb = 0;
        const double *ca = bz_line_part_coords(a, p, &na);
        const double *cb = bz_line_part_coords(b, p, &nb);
        assert_int_equal(na, nb);
        assert_memory_equal(ca, cb, 2 * na * sizeof *ca);
    }
}

/* The same GeoJSON text read from disk and from memory gives the same line. */
static void test_vsimem_read_line(void **state)
{
    bz_context *ctx = *state;
    char dir[64], disk[128];
    assert_int_equal(support_tmpdir_new(dir, sizeof dir, "test_memory_api"), 0);
    snprintf(disk, sizeof disk, "%s/line.geojson", dir);
    assert_int_equal(support_write_text(disk, line_geojson), 0);
    const char *mem = "/vsimem/test_memory_api/line.geojson";
    assert_int_equal(bz_vsimem_put(ctx, mem, line_geojson, strlen(line_geojson)), BZ_OK);

    bz_line *a = NULL, *b = NULL;
    assert_int_equal(bz_read_line(&a, ctx, disk, NULL), BZ_OK);
    int rc = bz_read_line(&b, ctx, mem, NULL);
    if (rc != BZ_OK)
        fail_msg("%s", bz_errmsg(ctx));
    assert_same_line(a, b);
    /* And both are the coordinates in the text. */
    size_t n = 0;
    const double *c = bz_line_part_coords(b, 0, &n);
    static const double want[] = {36.1, 47.2, 36.55, 47.61, 37.3, 48.05, 37.9, 48.6};
    assert_int_equal(n, 4);
    for (int i = 0; i < 8; i++)
        assert_true(c[i] == want[i]);
    bz_line_free(a);
    bz_line_free(b);

    /* Gone after unlink: reading fails like a missing file. */
    assert_int_equal(bz_vsimem_unlink(ctx, mem), BZ_OK);
    b = (bz_line *)&n;
    assert_true(bz_read_line(&b, ctx, mem, NULL) < 0);
    assert_null(b);
    support_tmpdir_remove(dir);
}

/* A binary format: a GeoPackage (made by the library's writer) read from disk and from a /vsimem/
 * copy of its bytes gives the same polygon. */
static void test_vsimem_read_geopackage(void **state)
{
    bz_context *ctx = *state;
    GEOSContextHandle_t h = bz_context_geos(ctx);
    char dir[64], disk[128];
    assert_int_equal(support_tmpdir_new(dir, sizeof dir, "test_memory_api"), 0);
    snprintf(disk, sizeof disk, "%s/area.gpkg", dir);
    GEOSGeometry *poly = support_wkt(
        ctx, "POLYGON ((30 50, 31 50, 31 51, 30 51, 30 50), (30.2 50.2, 30.2 50.4, 30.4 50.4, "
             "30.4 50.2, 30.2 50.2))");
    bz_writer *w = NULL;
    assert_int_equal(bz_writer_open(&w, ctx, disk, NULL), BZ_OK);
    bz_feature_attrs at = BZ_FEATURE_ATTRS_INIT;
    at.kind = "zone";
    assert_int_equal(bz_writer_add(w, poly, &at), BZ_OK);
    assert_int_equal(bz_writer_commit(w), BZ_OK);

    FILE *f = fopen(disk, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    unsigned char *bytes = malloc((size_t)size);
    assert_non_null(bytes);
    assert_int_equal(fread(bytes, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    const char *mem = "/vsimem/test_memory_api/area.gpkg";
    assert_int_equal(bz_vsimem_put(ctx, mem, bytes, (size_t)size), BZ_OK);
    free(bytes);

    GEOSGeometry *a = NULL, *b = NULL;
    assert_int_equal(bz_read_polygon(&a, ctx, disk, NULL), BZ_OK);
    int rc = bz_read_polygon(&b, ctx, mem, NULL);
    if (rc != BZ_OK)
        fail_msg("%s", bz_errmsg(ctx));
    assert_int_equal(GEOSEqualsExact_r(h, a, b, 0.0), 1);
    assert_int_equal(GEOSEquals_r(h, b, poly), 1);
    bz_geometry_free(ctx, a);
    bz_geometry_free(ctx, b);
    bz_geometry_free(ctx, poly);
    assert_int_equal(bz_vsimem_unlink(ctx, mem), BZ_OK);
    support_tmpdir_remove(dir);
}

/* ---- bz_zones_to_geojson ------------------------------------------------------------------ */

static bz_zones *zones_of(bz_context *ctx, const double *lonlat, size_t n, double da, double db)
{
    bz_line *line = NULL;
    assert_int_equal(bz_line_from_lonlat(&line, ctx, lonlat, n), BZ_OK);
    bz_zones *z = NULL;
    int rc = bz_zones_compute(&z, ctx, line, NULL, NULL, da, db, NULL);
    if (rc != BZ_OK)
        fail_msg("%s", bz_errmsg(ctx));
    bz_line_free(line);
    return z;
}

/* The string is what bz_zones_write puts in zones.geojson, byte for byte; also across the
 * antimeridian, where the writer splits geometries. */
static void test_geojson_equals_file(void **state)
{
    bz_context *ctx = *state;
    static const double donbas[] = {37.5, 47.1, 37.9, 47.6, 38.2, 48.1, 38.9, 48.6};
    static const double dateline[] = {179.8, -16.9, -179.7, -16.6, -179.2, -16.75};
    char dir[64], path[128];
    assert_int_equal(support_tmpdir_new(dir, sizeof dir, "test_memory_api"), 0);
    snprintf(path, sizeof path, "%s/zones.geojson", dir);
    for (int c = 0; c < 3; c++) {
        bz_zones *z = c == 2 ? zones_of(ctx, dateline, 3, 15000, 4000)
                             : zones_of(ctx, donbas, 4, 10000, c == 0 ? 5000 : 0);
        const char *na = c == 0 ? "Ukraine" : NULL, *nb = c == 0 ? "Rosja \"RF\" — Ü" : NULL;
        bz_write_options wo = BZ_WRITE_OPTIONS_INIT;
        wo.overwrite = 1;
        assert_int_equal(bz_zones_write(ctx, z, path, na, nb, &wo), BZ_OK);
        char *file = support_slurp(path);
        assert_non_null(file);
        char *text = NULL;
        size_t size = 0;
        assert_int_equal(bz_zones_to_geojson(&text, &size, ctx, z, na, nb), BZ_OK);
        assert_int_equal(size, strlen(text));
        assert_int_equal(size, strlen(file));
        assert_string_equal(text, file);
        if (c == 2) /* split at the antimeridian: both signs of 179.x appear */
            assert_true(strstr(text, "180.0") && strstr(text, "-180.0"));
        char *again = NULL;
        assert_int_equal(bz_zones_to_geojson(&again, NULL, ctx, z, na, nb), BZ_OK);
        assert_string_equal(again, text);
        bz_free(again);
        bz_free(text);
        free(file);
        bz_zones_free(z);
    }
    support_tmpdir_remove(dir);
}

/* GDAL reads the string: one layer, the six features with their kinds, sides and numbers. */
static void test_geojson_read_by_gdal(void **state)
{
    bz_context *ctx = *state;
    static const double line[] = {37.5, 47.1, 37.9, 47.6, 38.2, 48.1, 38.9, 48.6};
    bz_zones *z = zones_of(ctx, line, 4, 10000, 5000);
    char *text = NULL;
    size_t size = 0;
    assert_int_equal(bz_zones_to_geojson(&text, &size, ctx, z, "Ukraine", "Russia"), BZ_OK);

    GDALAllRegister();
    const char *mem = "/vsimem/test_memory_api/by_gdal.geojson";
    VSILFILE *vf = VSIFileFromMemBuffer(mem, (GByte *)text, (vsi_l_offset)size, FALSE);
    assert_non_null(vf);
    VSIFCloseL(vf);
    GDALDatasetH ds = GDALOpenEx(mem, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    assert_non_null(ds);
    assert_int_equal(GDALDatasetGetLayerCount(ds), 1);
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    assert_string_equal(OGR_L_GetName(layer), "zones");
    assert_int_equal(OGR_L_GetFeatureCount(layer, 1), 6);
    static const struct {
        const char *kind, *side;
        OGRwkbGeometryType type;
    } want[] = {
        {"zone", "Ukraine", wkbMultiPolygon},
        {"withdrawal_line", "Ukraine", wkbMultiLineString},
        {"zone", "Russia", wkbMultiPolygon},
        {"withdrawal_line", "Russia", wkbMultiLineString},
        {"contact_line", NULL, wkbMultiLineString},
        {"buffer_zone", NULL, wkbMultiPolygon},
    };
    const double area[] = {bz_zones_area(z, BZ_SIDE_A), NAN, bz_zones_area(z, BZ_SIDE_B), NAN, NAN,
                           bz_zones_buffer_area(z)};
    OGR_L_ResetReading(layer);
    for (int i = 0; i < 6; i++) {
        OGRFeatureH f = OGR_L_GetNextFeature(layer);
        assert_non_null(f);
        assert_string_equal(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "kind")),
                            want[i].kind);
        int si = OGR_F_GetFieldIndex(f, "side");
        if (want[i].side)
            assert_string_equal(OGR_F_GetFieldAsString(f, si), want[i].side);
        else
            assert_true(OGR_F_IsFieldNull(f, si));
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        assert_non_null(g);
        /* one part is written as the simple type (Polygon), several as the Multi type */
        OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
        assert_true(type == want[i].type ||
                    type == (want[i].type == wkbMultiPolygon ? wkbPolygon : wkbLineString));
        int ai = OGR_F_GetFieldIndex(f, "area_km2");
        if (isnan(area[i])) {
            assert_true(OGR_F_IsFieldNull(f, ai));
        } else {
            assert_near(OGR_F_GetFieldAsDouble(f, ai), area[i] / 1e6, 1e-9 * area[i] / 1e6);
            /* simplestyle on polygons */
            assert_true(OGR_F_GetFieldIndex(f, "fill") >= 0);
            assert_true(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "fill"))[0] == '#');
        }
        OGR_F_Destroy(f);
    }
    assert_null(OGR_L_GetNextFeature(layer));
    GDALClose(ds);
    VSIUnlink(mem);
    bz_free(text);

    /* Arguments. */
    text = (char *)&size;
    assert_int_equal(bz_zones_to_geojson(&text, &size, ctx, NULL, NULL, NULL), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_zones_to_geojson(NULL, &size, ctx, z, NULL, NULL), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_zones_to_geojson(&text, &size, NULL, z, NULL, NULL), BZ_ERR_ARGUMENT);
    bz_zones_free(z);
}

/* Writing to /vsimem/ and copying the bytes out: the GeoJSON is bz_zones_to_geojson's text,
 * and a GeoPackage's bytes open in GDAL with the result's features. */
static void test_vsimem_write_and_get(void **state)
{
    bz_context *ctx = *state;
    static const double line[] = {37.5, 47.1, 37.9, 47.6, 38.2, 48.1, 38.9, 48.6};
    bz_zones *z = zones_of(ctx, line, 4, 10000, 5000);
    const char *mem = "/vsimem/test_memory_api/out/zones.geojson";
    int rc = bz_zones_write(ctx, z, mem, "Ukraine", "Russia", NULL);
    if (rc != BZ_OK)
        fail_msg("%s", bz_errmsg(ctx));
    unsigned char *bytes = NULL;
    size_t n = 0;
    assert_int_equal(bz_vsimem_get(&bytes, &n, ctx, mem), BZ_OK);
    char *text = NULL;
    size_t size = 0;
    assert_int_equal(bz_zones_to_geojson(&text, &size, ctx, z, "Ukraine", "Russia"), BZ_OK);
    assert_int_equal(n, size);
    assert_memory_equal(bytes, text, n);
    bz_free(text);
    bz_free(bytes);
    assert_int_equal(bz_vsimem_unlink(ctx, mem), BZ_OK);

    const char *gpkg = "/vsimem/test_memory_api/out/zones.gpkg";
    rc = bz_zones_write(ctx, z, gpkg, "Ukraine", "Russia", NULL);
    if (rc != BZ_OK)
        fail_msg("%s", bz_errmsg(ctx));
    assert_int_equal(bz_vsimem_get(&bytes, &n, ctx, gpkg), BZ_OK);
    assert_int_equal(bz_vsimem_unlink(ctx, gpkg), BZ_OK);
    /* The copied bytes alone, under another name, through GDAL's own API. */
    const char *copy = "/vsimem/test_memory_api/copy.gpkg";
    VSILFILE *vf = VSIFileFromMemBuffer(copy, bytes, (vsi_l_offset)n, FALSE);
    assert_non_null(vf);
    VSIFCloseL(vf);
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(copy, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    assert_non_null(ds);
    GIntBig features = 0;
    for (int i = 0; i < GDALDatasetGetLayerCount(ds); i++) {
        OGRLayerH layer = GDALDatasetGetLayer(ds, i);
        /* QGIS's style table (one row per layer) is not a layer of features */
        if (strcmp(OGR_L_GetName(layer), "layer_styles") != 0)
            features += OGR_L_GetFeatureCount(layer, 1);
    }
    assert_int_equal(features, 6);
    GDALClose(ds);
    VSIUnlink(copy);
    bz_free(bytes);
    bz_zones_free(z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wkb_linestring_both_byte_orders, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_wkb_z_and_m_dropped, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_wkb_multipolygon_mixed_order, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_wkb_points_and_collection, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_wkb_round_trip, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_wkb_not_wkb, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_wkb_bad_coordinates, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_places_from_arrays, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_places_from_arrays_errors, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_vsimem_put_get_unlink, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_vsimem_read_line, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_vsimem_read_geopackage, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_geojson_equals_file, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_geojson_read_by_gdal, support_context_new,
                                        support_context_free),
        cmocka_unit_test_setup_teardown(test_vsimem_write_and_get, support_context_new,
                                        support_context_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* geometry.c — small geometry conveniences: WKT/WKB in and out, freeing. */
#include "core/context.h"
#include "core/geometry.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GEOS 3.11's WKT writer formats fixed-point numbers into a fixed stack buffer and overflows it
 * for huge coordinates (libgeos/geos#970). No coordinate system has values near 1e15, so refuse
 * such geometries (and non-finite ones) with a clear error instead of writing them. */
#define BZI_WKT_MAX_ABS 1e15

/* bzi_find_coord's test for the WKT writer: not finite or beyond BZI_WKT_MAX_ABS. */
static int unwritable(double x, double y, void *arg)
{
    (void)arg;
    return !(fabs(x) <= BZI_WKT_MAX_ABS) || !(fabs(y) <= BZI_WKT_MAX_ABS);
}

static int check_writable(bz_context *ctx, const GEOSGeometry *g)
{
    /* every ring: a polygon's extent is its shell's, and a hole may reach far beyond it */
    size_t at = 0;
    double x = 0.0, y = 0.0;
    int e = bzi_find_coord(ctx->geos, g, unwritable, NULL, &at, &x, &y);
    double bad = fabs(x) <= BZI_WKT_MAX_ABS ? y : x;
    if (e < 0)
        return bzi_geos_error(ctx, "reading the coordinates of a geometry to write as WKT");
    if (e > 0)
        return bzi_error(ctx, BZ_ERR_GEOMETRY,
                         "cannot write WKT: coordinate %g is not finite or beyond +/-%g", bad,
                         BZI_WKT_MAX_ABS);
    return BZ_OK;
}

void bz_geometry_free(bz_context *ctx, GEOSGeometry *g)
{
    if (ctx && g)
        GEOSGeom_destroy_r(ctx->geos, g);
}

void bz_free(void *p)
{
    free(p);
}

int bz_geometry_from_wkt(GEOSGeometry **out, bz_context *ctx, const char *wkt)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || !wkt)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_geometry_from_wkt: NULL argument");
    *out = NULL;
    GEOSWKTReader *r = GEOSWKTReader_create_r(ctx->geos);
    if (!r)
        return bzi_geos_error(ctx, "creating a WKT reader");
    ctx->geos_msg[0] = '\0';
    GEOSGeometry *g = GEOSWKTReader_read_r(ctx->geos, r, wkt);
    GEOSWKTReader_destroy_r(ctx->geos, r);
    if (!g)
        return bzi_error(ctx, BZ_ERR_FORMAT, "cannot parse WKT: %s",
                         ctx->geos_msg[0] ? ctx->geos_msg : "syntax error");
    *out = g;
    return BZ_OK;
}

/* GEOS allocates its output with its own allocator; copy it into malloc'ed memory so that the
 * caller frees everything we return with one function, bz_free(). */
static void *copy_out(bz_context *ctx, const void *src, size_t n, int nul)
{
    unsigned char *p = malloc(n + (nul ? 1 : 0));
    if (!p)
        return NULL;
    memcpy(p, src, n);
    if (nul)
        p[n] = '\0';
    (void)ctx;
    return p;
}

int bz_geometry_to_wkt(char **out, bz_context *ctx, const GEOSGeometry *g, int decimals)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || !g)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_geometry_to_wkt: NULL argument");
    if (decimals < 0 || decimals > 17)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "decimals must be 0..17, got %d", decimals);
    *out = NULL;
    int rc = check_writable(ctx, g);
    if (rc != BZ_OK)
        return rc;
    GEOSWKTWriter *w = GEOSWKTWriter_create_r(ctx->geos);
    if (!w)
        return bzi_geos_error(ctx, "creating a WKT writer");
    GEOSWKTWriter_setTrim_r(ctx->geos, w, 1);
    GEOSWKTWriter_setRoundingPrecision_r(ctx->geos, w, decimals);
    GEOSWKTWriter_setOutputDimension_r(ctx->geos, w, 2);
    char *s = GEOSWKTWriter_write_r(ctx->geos, w, g);
    GEOSWKTWriter_destroy_r(ctx->geos, w);
    if (!s)
        return bzi_geos_error(ctx, "writing WKT");
    *out = copy_out(ctx, s, strlen(s), 1);
    GEOSFree_r(ctx->geos, s);
    return *out ? BZ_OK : bzi_nomem(ctx, "writing WKT");
}

int bz_geometry_to_wkb(unsigned char **out, size_t *size, bz_context *ctx, const GEOSGeometry *g)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || !size || !g)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_geometry_to_wkb: NULL argument");
    *out = NULL;
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(ctx->geos);
    if (!w)
        return bzi_geos_error(ctx, "creating a WKB writer");
    GEOSWKBWriter_setByteOrder_r(ctx->geos, w, GEOS_WKB_NDR);
    GEOSWKBWriter_setOutputDimension_r(ctx->geos, w, 2);
    size_t n = 0;
    unsigned char *b = GEOSWKBWriter_write_r(ctx->geos, w, g, &n);
    GEOSWKBWriter_destroy_r(ctx->geos, w);
    if (!b)
        return bzi_geos_error(ctx, "writing WKB");
    *out = copy_out(ctx, b, n, 0);
    GEOSFree_r(ctx->geos, b);
    if (!*out)
        return bzi_nomem(ctx, "writing WKB");
    *size = n;
    return BZ_OK;
}

/* The coordinates of one point, line or ring: see bzi_find_coord. */
static int find_in_sequence(GEOSContextHandle_t h, const GEOSGeometry *g, bzi_coord_test reject,
                            void *arg, size_t *seen, double *x, double *y)
{
    const GEOSCoordSequence *s = GEOSGeom_getCoordSeq_r(h, g);
    unsigned n = 0;
    if (!s || !GEOSCoordSeq_getSize_r(h, s, &n))
        return -1;
    for (unsigned i = 0; i < n; i++, (*seen)++) {
        double cx = NAN, cy = NAN;
        if (!GEOSCoordSeq_getXY_r(h, s, i, &cx, &cy))
            return -1;
        if (reject(cx, cy, arg)) {
            *x = cx;
            *y = cy;
            return 1;
        }
    }
    return 0;
}

static int find_coord(GEOSContextHandle_t h, const GEOSGeometry *g, bzi_coord_test reject,
                      void *arg, size_t *seen, double *x, double *y)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(h, g) == 1)
            return 0;
        int nholes = GEOSGetNumInteriorRings_r(h, g);
        int k = 0;
        for (int i = -1; k == 0 && i < nholes; i++) {
            const GEOSGeometry *ring =
                i < 0 ? GEOSGetExteriorRing_r(h, g) : GEOSGetInteriorRingN_r(h, g, i);
            k = ring ? find_coord(h, ring, reject, arg, seen, x, y) : -1;
        }
        return k;
    }
    if (type >= GEOS_MULTIPOINT) {
        int k = 0, n = GEOSGetNumGeometries_r(h, g);
        if (n < 0)
            return -1;
        for (int i = 0; k == 0 && i < n; i++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(h, g, i);
            k = part ? find_coord(h, part, reject, arg, seen, x, y) : -1;
        }
        return k;
    }
    return find_in_sequence(h, g, reject, arg, seen, x, y);
}

int bzi_find_coord(GEOSContextHandle_t h, const GEOSGeometry *g, bzi_coord_test reject, void *arg,
                   size_t *index, double *x, double *y)
{
    size_t seen = 0;
    int k = find_coord(h, g, reject, arg, &seen, x, y);
    if (k == 1)
        *index = seen;
    return k;
}

/* bzi_find_coord's test for lon/lat: NaN, infinite, a longitude outside [-180, 180] or a
 * latitude outside [-90, 90]. */
static int not_lonlat(double lon, double lat, void *arg)
{
    (void)arg;
    return !(lon >= -180.0 && lon <= 180.0 && lat >= -90.0 && lat <= 90.0);
}

/* The length in bytes of the WKB geometry starting at b[*off] (ISO or extended; types 1-7,
 * the only ones GEOS 3.11 reads), added to *off; 0 when it runs past n or is of another type.
 * GEOS stops reading at the end of the geometry and does not say where that was: this finds
 * bytes left over (two geometries glued together, a wrong size), which would otherwise be
 * dropped without a word. */
static int wkb_walk(const unsigned char *b, size_t n, size_t *off, int depth)
{
    if (depth > 32 || *off > n || n - *off < 5)
        return 0;
    int little = b[*off] == 1;
    uint32_t type = 0;
    for (int i = 0; i < 4; i++)
        type |= (uint32_t)b[*off + 1 + i] << (little ? 8 * i : 8 * (3 - i));
    *off += 5;
    int z = (type & 0x80000000u) != 0, m = (type & 0x40000000u) != 0;
    if (type & 0x20000000u) { /* EWKB SRID */
        if (n - *off < 4)
            return 0;
        *off += 4;
    }
    type &= 0x0FFFFFFFu;
    z |= type / 1000 == 1 || type / 1000 == 3;
    m |= type / 1000 == 2 || type / 1000 == 3;
    type %= 1000;
    size_t point = 8 * (size_t)(2 + z + m);
    uint32_t count = 0;
    if (type == 1) {
        if (n - *off < point)
            return 0;
        *off += point;
        return 1;
    }
    if (type < 2 || type > 7 || n - *off < 4)
        return 0;
    for (int i = 0; i < 4; i++)
        count |= (uint32_t)b[*off + i] << (little ? 8 * i : 8 * (3 - i));
    *off += 4;
    if (type == 2) { /* a LineString: its points */
        if ((n - *off) / point < count)
            return 0;
        *off += point * count;
        return 1;
    }
    for (uint32_t k = 0; k < count; k++) {
        if (type == 3) { /* a ring of a Polygon: a count, then points */
            uint32_t np = 0;
            if (n - *off < 4)
                return 0;
            for (int i = 0; i < 4; i++)
                np |= (uint32_t)b[*off + i] << (little ? 8 * i : 8 * (3 - i));
            *off += 4;
            if ((n - *off) / point < np)
                return 0;
            *off += point * np;
        } else if (!wkb_walk(b, n, off, depth + 1)) { /* a member of a Multi* or collection */
            return 0;
        }
    }
    return 1;
}

/* A 2-D copy of g (Z and M dropped) through GEOS's own WKB writer, or NULL (GEOS error). */
static GEOSGeometry *flatten_2d(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(h);
    GEOSWKBReader *r = GEOSWKBReader_create_r(h);
    GEOSGeometry *flat = NULL;
    if (w && r) {
        GEOSWKBWriter_setOutputDimension_r(h, w, 2);
        size_t n = 0;
        unsigned char *b = GEOSWKBWriter_write_r(h, w, g, &n);
        if (b)
            flat = GEOSWKBReader_read_r(h, r, b, n);
        GEOSFree_r(h, b);
    }
    if (w)
        GEOSWKBWriter_destroy_r(h, w);
    if (r)
        GEOSWKBReader_destroy_r(h, r);
    return flat;
}

int bz_geometry_from_wkb(GEOSGeometry **out, bz_context *ctx, const unsigned char *wkb, size_t size)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || !wkb || size == 0)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_geometry_from_wkb: %s",
                         out && wkb ? "no bytes (size 0)" : "NULL argument");
    *out = NULL;
    GEOSContextHandle_t h = ctx->geos;
    GEOSWKBReader *r = GEOSWKBReader_create_r(h);
    if (!r)
        return bzi_geos_error(ctx, "creating a WKB reader");
    ctx->geos_msg[0] = '\0';
    GEOSGeometry *g = GEOSWKBReader_read_r(h, r, wkb, size);
    GEOSWKBReader_destroy_r(h, r);
    if (!g)
        return bzi_error(ctx, BZ_ERR_FORMAT, "cannot parse WKB (%zu bytes): %s", size,
                         ctx->geos_msg[0] ? ctx->geos_msg : "not WKB");
    size_t end = 0;
    if (wkb_walk(wkb, size, &end, 0) && end < size) {
        GEOSGeom_destroy_r(h, g);
        return bzi_error(ctx, BZ_ERR_FORMAT,
                         "WKB of %zu bytes has %zu bytes after the end of its geometry (several "
                         "geometries glued together, or a wrong size?)",
                         size, size - end);
    }
    /* The library works in 2-D; a Z (or M) value would ride along into results and outputs. */
    if (GEOSHasZ_r(h, g) == 1 || GEOSGeom_getCoordinateDimension_r(h, g) > 2) {
        GEOSGeometry *flat = flatten_2d(h, g);
        GEOSGeom_destroy_r(h, g);
        if (!flat)
            return bzi_geos_error(ctx, "dropping Z from a WKB geometry");
        g = flat;
    }
    size_t bad = 0;
    double x = NAN, y = NAN;
    int k = bzi_find_coord(h, g, not_lonlat, NULL, &bad, &x, &y);
    if (k != 0) {
        GEOSGeom_destroy_r(h, g);
        if (k < 0)
            return bzi_geos_error(ctx, "reading the coordinates of a WKB geometry");
        const char *what = !isfinite(x) || !isfinite(y) ? "is not finite"
                           : x < -180.0 || x > 180.0    ? "has a longitude outside [-180, 180]"
                                                        : "has a latitude outside [-90, 90]";
        return bzi_error(ctx, BZ_ERR_GEOMETRY, "WKB vertex %zu %s (lon %.9g, lat %.9g)", bad, what,
                         x, y);
    }
    *out = g;
    return BZ_OK;
}

int bzi_point_inside_ring(GEOSContextHandle_t h, const GEOSGeometry *ring, double *lon, double *lat)
{
    GEOSGeometry *shell = ring ? GEOSGeom_clone_r(h, ring) : NULL;
    GEOSGeometry *poly = shell ? GEOSGeom_createPolygon_r(h, shell, NULL, 0) : NULL;
    GEOSGeometry *pt = poly ? GEOSPointOnSurface_r(h, poly) : NULL;
    int ok = pt && GEOSGeomGetX_r(h, pt, lon) && GEOSGeomGetY_r(h, pt, lat);
    if (pt)
        GEOSGeom_destroy_r(h, pt);
    if (poly)
        GEOSGeom_destroy_r(h, poly);
    else if (shell)
        GEOSGeom_destroy_r(h, shell); /* not taken: createPolygon failed before owning it */
    return ok;
}

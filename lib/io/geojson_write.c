/*
 * io/geojson_write.c — GeoJSON written directly, not through GDAL: the same text GDAL's driver
 * writes with RFC7946=YES and COORDINATE_PRECISION=7 (antimeridian cuts, ring orientation,
 * 7-decimal coordinates, simplestyle properties), into a file, a stream, /vsimem/ or memory.
 *
 * GDAL's GeoJSON driver builds a json-c tree of every coordinate, prints it into one string
 * and passes that through a printf, and it does not report a failed write, so its output had
 * to be read back and parsed again: on the 1,140 km front that was 2-5 s, more than computing
 * the zones. GeoJSON is simple enough to write here: coordinates formatted with integer
 * arithmetic (no locale), bytes out through write() with every result checked, then fsync()
 * and close() checked: a full disk or a file size limit is an error of the write itself, with
 * no read-back needed. The writer (writer.c) decides what goes in; this file only writes it.
 */
#include "io/geojson_write.h"
#include "io/output.h"
#include "core/context.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JSON_BUF_SIZE ((size_t)1 << 20)

/* Write out the buffer. The first failure is kept; after it, bytes are dropped (the writer
 * reports the failure and never commits). */
static void put_flush(bzi_json_out *j)
{
    if (j->mem) {
        if (j->err == 0 && j->len && fwrite(j->buf, 1, j->len, j->mem) != j->len)
            j->err = ENOMEM;
        j->len = 0;
        return;
    }
    size_t off = 0;
    if (j->vsi && j->err == 0 && VSIFWriteL(j->buf, 1, j->len, j->vsi) != j->len)
        j->err = EIO;
    while (!j->vsi && j->err == 0 && off < j->len) {
        ssize_t n = write(j->fd, j->buf + off, j->len - off);
        if (n > 0)
            off += (size_t)n;
        else if (n == 0)
            j->err = EIO;
        else if (errno != EINTR)
            j->err = errno;
    }
    j->len = 0;
}

static void put(bzi_json_out *j, const char *s, size_t n)
{
    while (n > 0) {
        if (j->len == JSON_BUF_SIZE)
            put_flush(j);
        size_t k = JSON_BUF_SIZE - j->len;
        if (k > n)
            k = n;
        memcpy(j->buf + j->len, s, k);
        j->len += k;
        s += k;
        n -= k;
    }
}

static void put_text(bzi_json_out *j, const char *s)
{
    put(j, s, strlen(s));
}

static void put_string(bzi_json_out *j, const char *s)
{
    put(j, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            put(j, esc, 2);
        } else if (*p < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)*p);
            put(j, esc, 6);
        } else {
            put(j, (const char *)p, 1);
        }
    }
    put(j, "\"", 1);
}

/* printf's decimal point is the locale's; JSON's is '.'. The point is taken from what printf
 * itself writes: localeconv() fills one static struct at every call, a data race when two
 * threads write at once (DRD reported it). */
static void fix_decimal_point(char *s)
{
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 0.5); /* "0" point "5" */
    probe[strlen(probe) - 1] = '\0';
    const char *dp = probe + 1;
    if (!dp[0] || strcmp(dp, ".") == 0)
        return;
    char *at = strstr(s, dp);
    if (at) {
        size_t n = strlen(dp);
        *at = '.';
        memmove(at + 1, at + n, strlen(at + n) + 1);
    }
}

/* A property value: the shortest of 15-17 significant digits that reads back exactly (what
 * GDAL writes), "null" for NaN or infinity. */
static void put_number(bzi_json_out *j, double v)
{
    if (!isfinite(v)) {
        put_text(j, "null");
        return;
    }
    char s[48];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(s, sizeof s, "%.*g", digits, v);
        if (strtod(s, NULL) == v) /* same locale as snprintf */
            break;
    }
    fix_decimal_point(s);
    if (!strpbrk(s, ".e"))
        strcat(s, ".0");
    put_text(j, s);
}

/* Coordinates are written with 7 decimals; below this magnitude from integer arithmetic
 * (put_coord), and read back as the polygon check expects (round_to_written). */
#define COORD_SCALE 1e7
#define COORD_INTEGER_LIMIT 1e11

/* A coordinate with at most 7 decimals, trailing zeros dropped ("%.7f", trimmed as GDAL
 * does), from integer arithmetic: no printf and no locale in the loop that writes every
 * vertex. */
static void put_coord(bzi_json_out *j, double v)
{
    char s[48];
    if (!(fabs(v) < COORD_INTEGER_LIMIT)) { /* not a lon/lat: unwrapped or odd, printf does it */
        snprintf(s, sizeof s, "%.7f", v);
        fix_decimal_point(s);
        put_text(j, s);
        return;
    }
    long long n = llround(v * COORD_SCALE);
    unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
    unsigned long long whole = u / 10000000ULL, frac = u % 10000000ULL;
    char *p = s + sizeof s;
    int digits = 7;
    while (digits > 1 && frac % 10 == 0) { /* keep at least one decimal: "33.0" */
        frac /= 10;
        digits--;
    }
    for (int i = 0; i < digits; i++, frac /= 10)
        *--p = (char)('0' + frac % 10);
    *--p = '.';
    do {
        *--p = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    if (n < 0)
        *--p = '-';
    put(j, p, (size_t)(s + sizeof s - p));
}

int bzi_geom_class(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    switch (GEOSGeomTypeId_r(h, g)) {
    case GEOS_POINT:
    case GEOS_MULTIPOINT: return CLASS_POINT;
    case GEOS_LINESTRING:
    case GEOS_LINEARRING:
    case GEOS_MULTILINESTRING: return CLASS_LINE;
    case GEOS_POLYGON:
    case GEOS_MULTIPOLYGON: return CLASS_POLYGON;
    default: break;
    }
    int n = GEOSGetNumGeometries_r(h, g), cls = CLASS_MIXED;
    for (int i = 0; i < n; i++) {
        int c = bzi_geom_class(h, GEOSGetGeometryN_r(h, g, i));
        if (c == CLASS_MIXED || (i > 0 && c != cls))
            return CLASS_MIXED;
        cls = c;
    }
    return cls;
}

/* Rectangle polygon [x0, x1] x [-90, 90]. */
static GEOSGeometry *lon_band(GEOSContextHandle_t h, double x0, double x1)
{
    GEOSCoordSequence *s = GEOSCoordSeq_create_r(h, 5, 2);
    if (!s)
        return NULL;
    const double xy[5][2] = {{x0, -90}, {x1, -90}, {x1, 90}, {x0, 90}, {x0, -90}};
    for (unsigned i = 0; i < 5; i++)
        GEOSCoordSeq_setXY_r(h, s, i, xy[i][0], xy[i][1]);
    GEOSGeometry *ring = GEOSGeom_createLinearRing_r(h, s);
    return ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
}

static int shift_lon(double *x, double *y, void *userdata)
{
    (void)y;
    *x += *(const double *)userdata;
    return 1;
}

/* RFC 7946 wants geometries cut at the antimeridian; our lines and zones may carry unwrapped
 * longitudes beyond ±180. Cut the geometry into 360° bands and shift each back into range.
 * Lines are clipped with ClipByRect, which keeps their direction. *out is a new geometry, or
 * NULL when g lies within ±180° and needs no cut. */
static int split_antimeridian(GEOSGeometry **out, bz_context *ctx, const GEOSGeometry *g, int cls)
{
    GEOSContextHandle_t h = ctx->geos;
    double xmin = 0, xmax = 0;
    if (GEOSisEmpty_r(h, g) || !GEOSGeom_getXMin_r(h, g, &xmin) ||
        !GEOSGeom_getXMax_r(h, g, &xmax) || (xmin >= -180.0 && xmax <= 180.0) ||
        cls == CLASS_MIXED) {
        *out = NULL; /* nothing to cut: the caller writes g itself, no copy */
        return BZ_OK;
    }
    GEOSGeometry *pieces[8];
    unsigned n = 0;
    for (int k = -2; k <= 2 && n < 8; k++) {
        double x0 = -180.0 + 360.0 * k, x1 = 180.0 + 360.0 * k;
        if (xmax < x0 || xmin > x1)
            continue;
        GEOSGeometry *piece = NULL;
        if (cls == CLASS_POLYGON) {
            GEOSGeometry *band = lon_band(h, x0, x1);
            piece = band ? GEOSIntersection_r(h, g, band) : NULL;
            if (band)
                GEOSGeom_destroy_r(h, band);
        } else {
            piece = GEOSClipByRect_r(h, g, x0, -90.0, x1, 90.0);
        }
        if (!piece) {
            for (unsigned i = 0; i < n; i++)
                GEOSGeom_destroy_r(h, pieces[i]);
            return bzi_geos_error(ctx, "cutting a geometry at the antimeridian");
        }
        double shift = -360.0 * k;
        GEOSGeometry *moved = k ? GEOSGeom_transformXY_r(h, piece, shift_lon, &shift) : piece;
        if (k)
            GEOSGeom_destroy_r(h, piece);
        if (!moved) {
            for (unsigned i = 0; i < n; i++)
                GEOSGeom_destroy_r(h, pieces[i]);
            return bzi_geos_error(ctx, "shifting a geometry across the antimeridian");
        }
        pieces[n++] = moved;
    }
    GEOSGeometry *all = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, pieces, n);
    if (!all) { /* GEOS owns the members from the call on, even when it fails (geos_c.h) */
        return bzi_geos_error(ctx, "collecting antimeridian pieces");
    }
    *out = all;
    return BZ_OK;
}

/* The coordinates of a Point, LineString or LinearRing, x y pairs in j->xy. */
static int put_coords_of(bzi_json_out *j, const GEOSGeometry *g, unsigned *count)
{
    GEOSContextHandle_t h = j->ctx->geos;
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, g);
    unsigned n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n))
        return bzi_geos_error(j->ctx, "reading coordinates");
    if (2 * (size_t)n > j->xy_cap) {
        double *grown = realloc(j->xy, 2 * (size_t)n * sizeof *grown);
        if (!grown)
            return bzi_nomem(j->ctx, "writing coordinates");
        j->xy = grown;
        j->xy_cap = 2 * (size_t)n;
    }
    if (n && !GEOSCoordSeq_copyToBuffer_r(h, seq, j->xy, 0, 0))
        return bzi_geos_error(j->ctx, "reading coordinates");
    *count = n;
    return BZ_OK;
}

/* "[ [ x, y ], ... ]", backwards when asked. */
static void put_positions(bzi_json_out *j, const double *xy, unsigned n, int backwards)
{
    put(j, "[ ", 2);
    for (unsigned k = 0; k < n; k++) {
        unsigned i = backwards ? n - 1 - k : k;
        put(j, k ? ", [ " : "[ ", k ? 4 : 2);
        put_coord(j, xy[2 * i]);
        put(j, ", ", 2);
        put_coord(j, xy[2 * i + 1]);
        put(j, " ]", 2);
    }
    put(j, " ]", 2);
}

/* RFC 7946: exterior rings counterclockwise, holes clockwise. Twice the signed area (shoelace,
 * relative to the first vertex for precision) tells a ring's turn; only a ring that turns the
 * wrong way is written backwards, no geometry is copied. */
static void put_ring(bzi_json_out *j, const double *xy, unsigned n, int exterior)
{
    double a2 = 0.0;
    for (unsigned i = 1; i + 1 < n; i++)
        a2 += (xy[2 * i] - xy[0]) * (xy[2 * i + 3] - xy[1]) -
              (xy[2 * i + 2] - xy[0]) * (xy[2 * i + 1] - xy[1]);
    put_positions(j, xy, n, exterior ? a2 < 0.0 : a2 > 0.0);
}

/* The "coordinates" member of one non-empty Point, LineString or Polygon. */
static int put_simple(bzi_json_out *j, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = j->ctx->geos;
    unsigned n = 0;
    int rc = BZ_OK;
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POINT) {
        rc = put_coords_of(j, g, &n);
        if (rc == BZ_OK && n) {
            put(j, "[ ", 2);
            put_coord(j, j->xy[0]);
            put(j, ", ", 2);
            put_coord(j, j->xy[1]);
            put(j, " ]", 2);
        }
        return rc;
    }
    if (type != GEOS_POLYGON) {
        rc = put_coords_of(j, g, &n);
        if (rc == BZ_OK)
            put_positions(j, j->xy, n, 0);
        return rc;
    }
    int holes = GEOSGetNumInteriorRings_r(h, g);
    if (holes < 0)
        return bzi_geos_error(j->ctx, "reading a polygon");
    put(j, "[ ", 2);
    for (int r = -1; rc == BZ_OK && r < holes; r++) {
        const GEOSGeometry *ring =
            r < 0 ? GEOSGetExteriorRing_r(h, g) : GEOSGetInteriorRingN_r(h, g, r);
        rc = ring ? put_coords_of(j, ring, &n) : bzi_geos_error(j->ctx, "reading a polygon");
        if (rc == BZ_OK) {
            if (r >= 0)
                put(j, ", ", 2);
            put_ring(j, j->xy, n, r < 0);
        }
    }
    put(j, " ]", 2);
    return rc;
}

/* The non-empty points, lines or polygons (by class) of g, collections flattened. */
static int put_collect(bzi_json_out *j, const GEOSGeometry *g, int cls, size_t *count)
{
    GEOSContextHandle_t h = j->ctx->geos;
    static const int simple[] = {GEOS_POINT, GEOS_LINESTRING, GEOS_POLYGON};
    int type = GEOSGeomTypeId_r(h, g);
    if (type == simple[cls] || (cls == CLASS_LINE && type == GEOS_LINEARRING)) {
        if (GEOSisEmpty_r(h, g))
            return BZ_OK;
        if (*count == j->parts_cap) {
            size_t cap = j->parts_cap ? 2 * j->parts_cap : 16;
            const GEOSGeometry **grown = realloc(j->parts, cap * sizeof *grown);
            if (!grown)
                return bzi_nomem(j->ctx, "writing a geometry");
            j->parts = grown;
            j->parts_cap = cap;
        }
        j->parts[(*count)++] = g;
        return BZ_OK;
    }
    if (type != GEOS_MULTIPOINT && type != GEOS_MULTILINESTRING && type != GEOS_MULTIPOLYGON &&
        type != GEOS_GEOMETRYCOLLECTION)
        return BZ_OK; /* another type (a sliver line of an antimeridian cut): not this class */
    int n = GEOSGetNumGeometries_r(h, g), rc = BZ_OK;
    for (int i = 0; rc == BZ_OK && i < n; i++)
        rc = put_collect(j, GEOSGetGeometryN_r(h, g, i), cls, count);
    return rc;
}

/*
 * A geometry as GDAL's RFC 7946 writer has it: points, lines or polygons as one Multi* value
 * (an antimeridian cut stays one feature), written as the single type when it has one part;
 * a mix of types as a GeometryCollection.
 */
static int put_geometry(bzi_json_out *j, const GEOSGeometry *g, int cls)
{
    static const char *const single[] = {"Point", "LineString", "Polygon"};
    static const char *const multi[] = {"MultiPoint", "MultiLineString", "MultiPolygon"};
    GEOSContextHandle_t h = j->ctx->geos;
    int rc = BZ_OK;
    if (cls == CLASS_MIXED) {
        int n = GEOSisEmpty_r(h, g) ? 0 : GEOSGetNumGeometries_r(h, g);
        put_text(j, n ? "{ \"type\": \"GeometryCollection\", \"geometries\": [ "
                      : "{ \"type\": \"GeometryCollection\", \"geometries\": [");
        for (int i = 0; rc == BZ_OK && i < n; i++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(h, g, i);
            if (i)
                put(j, ", ", 2);
            rc = put_geometry(j, part, bzi_geom_class(h, part));
        }
        put_text(j, " ] }");
        return rc;
    }
    size_t count = 0;
    rc = put_collect(j, g, cls, &count);
    if (rc != BZ_OK)
        return rc;
    put_text(j, "{ \"type\": \"");
    put_text(j, count == 1 ? single[cls] : multi[cls]);
    put_text(j, "\", \"coordinates\": ");
    if (count == 1) {
        rc = put_simple(j, j->parts[0]);
    } else if (count == 0) {
        put(j, "[ ]", 3);
    } else {
        put(j, "[ ", 2);
        /* json_simple does not touch json_parts: they stay valid through the loop */
        for (size_t i = 0; rc == BZ_OK && i < count; i++) {
            if (i)
                put(j, ", ", 2);
            rc = put_simple(j, j->parts[i]);
        }
        put(j, " ]", 2);
    }
    put_text(j, " }");
    return rc;
}

static void put_property(bzi_json_out *j, const char *name, const char *text, double number,
                         int is_text)
{
    put(j, ", ", 2);
    put_string(j, name);
    put(j, ": ", 2);
    if (!is_text)
        put_number(j, number);
    else if (text)
        put_string(j, text);
    else
        put_text(j, "null");
}

/* A coordinate as put_coord writes it and a reader reads it back: n / 1e7, correctly rounded. */
static int round_to_written(double *x, double *y, void *userdata)
{
    (void)userdata;
    if (fabs(*x) < COORD_INTEGER_LIMIT)
        *x = (double)llround(*x * COORD_SCALE) / COORD_SCALE;
    if (fabs(*y) < COORD_INTEGER_LIMIT)
        *y = (double)llround(*y * COORD_SCALE) / COORD_SCALE;
    return 1;
}

/*
 * GeoJSON keeps 7 decimals (1.1 cm of latitude). Two edges of a valid polygon that pass closer
 * than that can touch or cross once rounded (seen: two edges of united zones 1 cm apart at
 * 88.5°N), and a GIS then holds an invalid polygon. So the polygon is tested as it will be read
 * back; only when that copy is invalid while g itself is valid is g snap-rounded to the same
 * grid by GEOS (its result is valid by construction) and *out set to that, to be written in
 * g's place. An invalid g is the caller's and is written as it is. *out is NULL otherwise.
 */
static int valid_when_rounded(bz_context *ctx, const GEOSGeometry *g, GEOSGeometry **out)
{
    GEOSContextHandle_t h = ctx->geos;
    *out = NULL;
    GEOSGeometry *rounded = GEOSGeom_transformXY_r(h, g, round_to_written, NULL);
    if (!rounded)
        return bzi_geos_error(ctx, "rounding a polygon to GeoJSON's 7 decimals");
    char ok = GEOSisValid_r(h, rounded);
    GEOSGeom_destroy_r(h, rounded);
    if (ok == 1 || GEOSisValid_r(h, g) != 1)
        return BZ_OK;
    GEOSGeometry *snapped = GEOSGeom_setPrecision_r(h, g, 1.0 / COORD_SCALE, 0);
    if (!snapped)
        return bzi_geos_error(ctx, "snapping a polygon to GeoJSON's 7 decimals (rounded as it "
                                   "is, two of its edges would cross)");
    *out = snapped;
    return BZ_OK;
}

/* One feature: the same properties in the same order as the GDAL layer's fields; a geometry
 * beyond ±180° is cut at the antimeridian first (RFC 7946), and a polygon that rounding would
 * make invalid is snapped to the written grid first (valid_when_rounded). */
int bzi_json_feature(bzi_json_out *j, const GEOSGeometry *g, int cls, const bz_feature_attrs *a,
                     const bzi_look *st, size_t index, const char *path)
{
    GEOSGeometry *cut = NULL;
    int rc = split_antimeridian(&cut, j->ctx, g, cls);
    if (rc != BZ_OK)
        return rc;
    if (cut)
        g = cut;
    GEOSGeometry *snapped = NULL;
    if (cls == CLASS_POLYGON && (rc = valid_when_rounded(j->ctx, g, &snapped)) != BZ_OK) {
        if (cut)
            GEOSGeom_destroy_r(j->ctx->geos, cut);
        return rc;
    }
    if (snapped)
        g = snapped;
    put_text(j, index ? ",\n{ \"type\": \"Feature\", \"properties\": { \"kind\": "
                      : "{ \"type\": \"Feature\", \"properties\": { \"kind\": ");
    if (a->kind)
        put_string(j, a->kind);
    else
        put_text(j, "null");
    put_property(j, "side", a->side, 0, 1);
    put_property(j, "name", a->name, 0, 1);
    put_property(j, "distance_m", NULL, a->distance_m, 0);
    put_property(j, "area_km2", NULL, a->area_km2, 0);
    put_property(j, "length_km", NULL, a->length_km, 0);
    if (cls == CLASS_POLYGON) {
        put_property(j, "fill", st->fill, 0, 1);
        put_property(j, "fill-opacity", NULL, st->fill_opacity, 0);
    }
    put_property(j, "stroke", st->stroke, 0, 1);
    put_property(j, "stroke-opacity", NULL, st->stroke_opacity, 0);
    put_property(j, "stroke-width", NULL, st->width_px, 0);
    put_text(j, " }, \"geometry\": ");
    rc = put_geometry(j, g, cls);
    put_text(j, " }");
    if (cut)
        GEOSGeom_destroy_r(j->ctx->geos, cut);
    if (snapped)
        GEOSGeom_destroy_r(j->ctx->geos, snapped);
    if (rc == BZ_OK && j->err)
        rc = bzi_error(j->ctx, BZ_ERR_IO, "writing %s: feature %zu: %s", path, index,
                       strerror(j->err));
    return rc;
}

/* Bytes to memory (open_memstream) instead of a file; nonzero when there is no memory. */
static int open_mem(bzi_json_out *j)
{
    j->buf = malloc(JSON_BUF_SIZE);
    if (j->buf)
        j->mem = open_memstream(&j->mem_text, &j->mem_size);
    return !j->mem;
}

/* Every byte into memory and the memory handed to *out (malloc'ed, '\0'-terminated: the
 * caller's bz_free fits) and *size; nonzero when any of it failed for want of memory. */
static int close_mem(bzi_json_out *j, char **out, size_t *size)
{
    put_flush(j);
    int closed = fclose(j->mem);
    j->mem = NULL;
    if (j->err || closed != 0 || !j->mem_text)
        return 1;
    *out = j->mem_text;
    if (size)
        *size = j->mem_size;
    j->mem_text = NULL;
    return 0;
}

int bzi_json_feature_text(bz_context *ctx, const GEOSGeometry *g, int cls,
                          const bz_feature_attrs *a, const bzi_look *look, size_t index,
                          const char *path, char **text, size_t *size)
{
    *text = NULL;
    *size = 0;
    bzi_json_out m;
    bzi_json_init(&m, ctx);
    int rc = open_mem(&m) ? bzi_nomem(ctx, "formatting a feature")
                          : bzi_json_feature(&m, g, cls, a, look, index, path);
    if (rc == BZ_OK && close_mem(&m, text, size))
        rc = bzi_nomem(ctx, "formatting a feature");
    bzi_json_free(&m);
    return rc;
}

int bzi_json_feature_put(bzi_json_out *j, const char *text, size_t size, size_t index,
                         const char *path)
{
    put(j, text, size);
    if (j->err)
        return bzi_error(j->ctx, BZ_ERR_IO, "writing %s: feature %zu: %s", path, index,
                         strerror(j->err));
    return BZ_OK;
}

static void put_head(bzi_json_out *j, const char *name)
{
    put_text(j, "{\n\"type\": \"FeatureCollection\",\n\"name\": ");
    put_string(j, name);
    put_text(j, ",\n\"features\": [\n");
}

void bzi_json_init(bzi_json_out *j, bz_context *ctx)
{
    memset(j, 0, sizeof *j);
    j->ctx = ctx;
    j->fd = -1;
}

int bzi_json_open(bzi_json_out *j, const char *target, int how, int stream_fd, const char *shown,
                  const char *name)
{
    j->buf = malloc(JSON_BUF_SIZE);
    if (!j->buf)
        return bzi_nomem(j->ctx, "opening a writer");
    j->stream = how == BZI_JSON_STREAM;
    int e = 0;
    if (how == BZI_JSON_VSI) {
        j->vsi = VSIFOpenL(target, "wb");
        e = EIO;
    } else if (how == BZI_JSON_STREAM) {
        /* No O_CREAT, no O_TRUNC: it is there and is not ours to replace. A FIFO blocks here
         * until a reader opens it. */
        bzi_target t = {.kind = BZI_OUT_STREAM, .path = (char *)target, .fd = stream_fd};
        j->fd = bzi_stream_open(&t);
        e = errno;
    } else {
        j->fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        e = errno;
    }
    if (j->fd < 0 && !j->vsi)
        return bzi_error(j->ctx, BZ_ERR_IO, "cannot %s %s (GeoJSON): %s",
                         j->stream ? "open" : "create", shown, strerror(e));
    put_head(j, name);
    return BZ_OK;
}

int bzi_json_close(bzi_json_out *j, const char *shown)
{
    put_text(j, "\n]\n}\n");
    put_flush(j);
    int e = j->err;
    if (j->vsi) {
        if (VSIFCloseL(j->vsi) != 0 && e == 0)
            e = EIO;
        j->vsi = NULL;
    } else {
        /* A pipe or a device cannot be fsync'ed (EINVAL): what it does with the bytes is the
         * reader's business. */
        if (e == 0 && !j->stream && fsync(j->fd) != 0)
            e = errno;
        if (close(j->fd) != 0 && e == 0)
            e = errno;
        j->fd = -1;
    }
    if (e != 0)
        return bzi_error(j->ctx, BZ_ERR_IO, "writing %s: %s", shown, strerror(e));
    return BZ_OK;
}

int bzi_json_open_memory(bzi_json_out *j, const char *name)
{
    if (open_mem(j))
        return bzi_nomem(j->ctx, "making GeoJSON");
    put_head(j, name);
    return BZ_OK;
}

int bzi_json_close_memory(bzi_json_out *j, char **out, size_t *size)
{
    put_text(j, "\n]\n}\n");
    return close_mem(j, out, size) ? bzi_nomem(j->ctx, "making GeoJSON") : BZ_OK;
}

void bzi_json_free(bzi_json_out *j)
{
    if (j->fd >= 0)
        close(j->fd);
    if (j->vsi)
        VSIFCloseL(j->vsi);
    if (j->mem)
        fclose(j->mem);
    free(j->mem_text);
    free(j->buf);
    free(j->xy);
    free(j->parts);
    bzi_json_init(j, j->ctx);
}

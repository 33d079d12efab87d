/*
 * io_geojson.c — a fast path for bz_read_line and bz_read_polygon on ordinary GeoJSON files,
 * parsed straight into GEOS geometries without GDAL.
 *
 * Why: GDAL's GeoJSON driver makes a full streaming pass over the file to open it, a second
 * pass that builds json-c objects feature by feature, then an OGR geometry, WKB, and finally
 * the GEOS geometry. For a 100,000-vertex line (2.8 MB) that is 0.2-0.3 s, as long as a plain
 * GEOS buffer of the same line, and the benchmark's budget for the whole job is half of that.
 * Here the file is read once with read() and parsed by a small strict JSON tokenizer straight
 * into GEOS coordinate sequences, feature by feature, to the same collector the GDAL path uses.
 *
 * The one rule: the fast path never changes an outcome. It either gives exactly what the GDAL
 * path gives (the same geometries, bit-identical coordinates, the same order, through the same
 * collector), or it gives up silently, restores the context's error state, and the caller reads
 * the file through GDAL from scratch. Error messages therefore always come from the GDAL path.
 * It reads only what is plainly ordinary and gives up on everything else, e.g.:
 *   - not a regular local *.geojson / *.json file; a layer or WHERE filter asked for; GDAL's
 *     GeoJSON driver not registered (OGR_SKIP); empty files and files over 1 GB;
 *   - anything but strict RFC 8259 JSON: NaN, Infinity, comments, trailing commas, a byte-order
 *     mark, control characters or invalid UTF-8 in strings, unpaired surrogate escapes, more
 *     than one top-level value, nesting deeper than GJ_MAX_DEPTH (json-c, which GDAL uses for
 *     a top-level Feature, stops at 32);
 *   - top-level shapes other than a FeatureCollection, a Feature or a bare (Multi)LineString /
 *     (Multi)Polygon, each with "type" as its first member (so that GDAL's driver probing, which
 *     looks for "type" in the first bytes, surely takes it as GeoJSON); members we do not know,
 *     duplicated or escaped member names at the collection, feature and geometry levels;
 *   - "crs" anywhere (GDAL handles CRSs), and any string GDAL's JSON-FG, ESRI JSON or TopoJSON
 *     drivers look for when they probe a file (a file with those might not open as GeoJSON);
 *   - geometry types other than (Multi)LineString / (Multi)Polygon (a null or missing geometry
 *     is handed over as NULL, as GDAL does), "coordinates" before "type", empty coordinate
 *     arrays, positions with fewer than two numbers (further numbers, z and m, are dropped as
 *     OGR_G_FlattenTo2D drops them), coordinates outside lon -180..180 / lat -90..90 (GDAL's
 *     path decides what those are), lines and rings GEOS refuses (one point, a ring not closed);
 *   - an "id" member other than the feature's index (GDAL would make it the FID), no feature
 *     with a geometry, and any error the collector returns (a wrong type, an invalid polygon).
 * Numbers: JSON integers are read as GDAL reads them, as int64 (so "-0" is +0); the others are
 * correctly rounded, by Clinger's exact fast path when the digits allow it, else by strtod:
 * the doubles GDAL's CPLStrtod and json-c produce.
 *
 * Out of memory is the one failure of its own: BZ_ERR_NOMEM, as everywhere in the library
 * (tests/test_oom.c fails each allocation in turn and expects it).
 *
 * tests/internal_geojson.c reads every GeoJSON file of the project and the team's data both
 * ways and requires identical outcomes.
 */
#include "io/io_geojson.h"
#include "io/gdal.h"
#include "core/context.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define GJ_MAX_FILE_SIZE (1024L * 1024L * 1024L)
#define GJ_MAX_DEPTH 24
#define GJ_MAX_STRING (1024 * 1024) /* GDAL's streaming parser has a limit too */
#define GJ_MAX_NUMBER 100           /* characters; GDAL's streaming parser stops at 1024 */
#define GJ_EXACT_DIGITS 15          /* Clinger's fast path: the significand must be exact */

/* Clinger's fast path needs every double operation rounded once, to double. */
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
#define GJ_CLINGER 1
#else
#define GJ_CLINGER 0
#endif

enum gj_kind { GJ_LINESTRING, GJ_MULTILINESTRING, GJ_POLYGON, GJ_MULTIPOLYGON };

typedef struct gj_reader {
    bz_context *ctx;
    GEOSContextHandle_t h;
    const char *p;   /* the cursor */
    const char *end; /* the end of the text, where a '\0' stops every scanner */
    int depth;       /* objects and arrays open at the cursor */
    const char *why; /* the first reason to give up, NULL while all is ordinary */
    int status;      /* BZ_OK, or BZ_ERR_NOMEM (recorded in ctx) once an allocation failed */
    double *xy;      /* lon/lat pairs of the line or ring being read */
    size_t nxy, xy_capacity;
    GEOSGeometry **stack; /* finished parts (lines, rings, polygons) not yet in their parent */
    size_t nstack, stack_capacity;
    char *layer_name; /* as GDAL names the layer */
    long long index;  /* the next feature's index */
    int with_id, without_id;
    size_t geometries; /* features with a geometry handed over so far */
    bzi_geojson_visit visit;
    void *user;
} gj_reader;

/* A string token as it stands in the file, between its quotes. */
typedef struct gj_str {
    const char *text;
    size_t len;
    int escaped; /* holds a backslash escape */
} gj_str;

static int give_up(gj_reader *s, const char *why)
{
    if (!s->why)
        s->why = why;
    return -1;
}

/* An allocation failed: like every reader of the library, report BZ_ERR_NOMEM (not GDAL). */
static int no_memory(gj_reader *s, const char *what)
{
    if (s->status == BZ_OK)
        s->status = bzi_nomem(s->ctx, what);
    return give_up(s, "out of memory");
}

/* ---------------------------------------------------------------------------------------- */
/* Tokens                                                                                   */
/* ---------------------------------------------------------------------------------------- */

static void skip_ws(gj_reader *s)
{
    const char *p = s->p;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    s->p = p;
}

static int open_nested(gj_reader *s)
{
    if (++s->depth > GJ_MAX_DEPTH)
        return give_up(s, "nesting deeper than json-c reads");
    s->p++;
    return 0;
}

static int is_continuation(unsigned char c)
{
    return c >= 0x80 && c <= 0xBF;
}

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates), or 0.
 * Stops at the first bad byte, so never reads past the text's final '\0'. */
static size_t utf8_length(const unsigned char *p)
{
    unsigned c = p[0];
    if (c >= 0xC2 && c <= 0xDF)
        return is_continuation(p[1]) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return p[1] >= lo && p[1] <= hi && is_continuation(p[2]) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return p[1] >= lo && p[1] <= hi && is_continuation(p[2]) && is_continuation(p[3]) ? 4 : 0;
    }
    return 0;
}

/* The value of a hex digit, or -1. */
static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The four hex digits at p as a number, or -1 (stops at the first non-digit, e.g. '\0'). */
static long hex4(const char *p)
{
    long u = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_value(p[i]);
        if (d < 0)
            return -1;
        u = u * 16 + d;
    }
    return u;
}

static int contains(const gj_str *str, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= str->len; i++)
        if (memcmp(str->text + i, word, n) == 0)
            return 1;
    return 0;
}

/*
 * Strings that may make GDAL read the file otherwise than as plain GeoJSON: "crs" (a CRS),
 * what the JSON-FG driver ("conformsTo", "coordRefSys", "featureType", "place", "time"), the
 * ESRI JSON driver ("fieldAliases", "geometryType", "fields", "spatialReference", "esri...")
 * and the TopoJSON driver ("Topology") look for. GDAL probes the raw text, where an escaped
 * quote can end such a word inside a longer string: escaped strings must not contain them.
 */
static int suspicious(const gj_str *str)
{
    static const char *const words[] = {
        "crs",        "Topology",    "fieldAliases", "geometryType", "fields", "spatialReference",
        "conformsTo", "coordRefSys", "featureType",  "place",        "time",   NULL};
    for (size_t i = 0; words[i]; i++) {
        size_t n = strlen(words[i]);
        if (str->len == n && memcmp(str->text, words[i], n) == 0)
            return 1;
        if (str->escaped && contains(str, words[i]))
            return 1;
    }
    return contains(str, "esri");
}

/* A string token (the cursor on its opening quote), validated: escapes, UTF-8, length. */
static int read_string(gj_reader *s, gj_str *out)
{
    const unsigned char *start = (const unsigned char *)s->p + 1, *p = start;
    int escaped = 0;
    for (;;) {
        unsigned c = *p;
        if (c == '"')
            break;
        if (c >= 0x20 && c < 0x80 && c != '\\') {
            p++;
        } else if (c == '\\') {
            escaped = 1;
            c = p[1];
            if (c == 'u') {
                long u = hex4((const char *)p + 2);
                if (u < 0 || (u >= 0xDC00 && u <= 0xDFFF))
                    return give_up(s, "a \\u escape that is not a character");
                p += 6;
                if (u >= 0xD800 && u <= 0xDBFF) {
                    long low = p[0] == '\\' && p[1] == 'u' ? hex4((const char *)p + 2) : -1;
                    if (low < 0xDC00 || low > 0xDFFF)
                        return give_up(s, "an unpaired surrogate escape");
                    p += 6;
                }
            } else if (c != 0 && strchr("\"\\/bfnrt", (int)c)) {
                p += 2;
            } else {
                return give_up(s, "an invalid escape");
            }
        } else if (c < 0x20) {
            return give_up(s, "a control character or the end of the file in a string");
        } else {
            size_t n = utf8_length(p);
            if (!n)
                return give_up(s, "a string that is not UTF-8");
            p += n;
        }
    }
    out->text = (const char *)start;
    out->len = (size_t)(p - start);
    out->escaped = escaped;
    if (out->len > GJ_MAX_STRING)
        return give_up(s, "a very long string");
    s->p = (const char *)p + 1;
    if (suspicious(out))
        return give_up(s, "a \"crs\", or a word another GDAL driver probes for");
    return 0;
}

static int str_is(const gj_str *str, const char *word)
{
    size_t n = strlen(word);
    return !str->escaped && str->len == n && memcmp(str->text, word, n) == 0;
}

/* A string the structure depends on (a "type", a layer name): no escapes, which GDAL would
 * decode into something we did not compare. */
static int read_plain_string(gj_reader *s, gj_str *out)
{
    if (*s->p != '"')
        return give_up(s, "a member that should be a string is not one");
    if (read_string(s, out) < 0)
        return -1;
    return out->escaped ? give_up(s, "an escaped structural string") : 0;
}

static const double powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/*
 * A number token (strict JSON grammar). With `value`, also its double as GDAL gets it:
 * integers as int64 (digits beyond 18 would saturate there: give up), so "-0" is +0; other
 * numbers correctly rounded. *integer (if not NULL) tells whether the token was an integer.
 */
static int read_number(gj_reader *s, double *value, int *integer)
{
    const char *start = s->p, *p = start;
    int negative = *p == '-';
    if (negative)
        p++;
    uint64_t significand = 0; /* the first 19 significant digits */
    int digits = 0;           /* significant digits (leading zeros are not) */
    int scale = 0;            /* value = significand * 10^(scale + exponent) while digits <= 19 */
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        for (; *p >= '0' && *p <= '9'; p++)
            if (++digits <= 19)
                significand = significand * 10 + (uint64_t)(*p - '0');
    } else {
        return give_up(s, "a value that is not JSON");
    }
    int is_integer = 1;
    if (*p == '.') {
        is_integer = 0;
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return give_up(s, "a number without digits after its point");
        for (; *p >= '0' && *p <= '9'; p++) {
            if (digits == 0 && *p == '0') {
                scale--;
                continue;
            }
            if (++digits <= 19) {
                significand = significand * 10 + (uint64_t)(*p - '0');
                scale--;
            }
        }
    }
    int exponent = 0;
    if (*p == 'e' || *p == 'E') {
        is_integer = 0;
        p++;
        int exponent_negative = *p == '-';
        if (*p == '-' || *p == '+')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return give_up(s, "a number without digits in its exponent");
        for (; *p >= '0' && *p <= '9'; p++)
            if (exponent < 100000)
                exponent = exponent * 10 + (*p - '0');
        if (exponent_negative)
            exponent = -exponent;
    }
    if (p - start > GJ_MAX_NUMBER)
        return give_up(s, "a very long number");
    s->p = p;
    if (integer)
        *integer = is_integer;
    if (!value)
        return 0;
    if (is_integer) {
        if (digits > 18)
            return give_up(s, "an integer beyond int64");
        /* json-c's json_object_get_double of an int64: one rounding, symmetric in sign */
        double d = (double)(int64_t)significand;
        *value = significand == 0 ? 0.0 : negative ? -d : d;
        return 0;
    }
    int e = scale + exponent;
    if (GJ_CLINGER && digits <= GJ_EXACT_DIGITS && e >= -22 && e <= 22) {
        /* Both operands are exact doubles, so the one rounding of * or / is the correct
         * rounding of the decimal value (W. D. Clinger, PLDI 1990). */
        double d = (double)significand;
        d = e < 0 ? d / powers_of_ten[-e] : d * powers_of_ten[e];
        *value = negative ? -d : d;
        return 0;
    }
    char *stop = NULL;
    *value = strtod(start, &stop);
    if (stop != p) /* another locale's decimal point */
        return give_up(s, "a number strtod reads otherwise");
    return 0;
}

static int skip_value(gj_reader *s);

static int skip_literal(gj_reader *s, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(s->p, word, n) != 0)
        return give_up(s, "a value that is not JSON");
    s->p += n;
    return 0;
}

static int next_any_member(gj_reader *s, int *first, gj_str *key);

/* An object anywhere (properties): any member names, escaped ones too. */
static int skip_object(gj_reader *s)
{
    if (open_nested(s) < 0)
        return -1;
    int first = 1, m;
    gj_str key;
    while ((m = next_any_member(s, &first, &key)) == 1)
        if (skip_value(s) < 0)
            return -1;
    return m;
}

static int skip_array(gj_reader *s)
{
    if (open_nested(s) < 0)
        return -1;
    skip_ws(s);
    if (*s->p == ']') {
        s->p++;
        s->depth--;
        return 0;
    }
    for (;;) {
        if (skip_value(s) < 0)
            return -1;
        skip_ws(s);
        if (*s->p == ']')
            break;
        if (*s->p != ',')
            return give_up(s, "an array element without ',' or ']' after it");
        s->p++;
        skip_ws(s);
    }
    s->p++;
    s->depth--;
    return 0;
}

/* Validate and skip one value (the cursor on its first character). */
static int skip_value(gj_reader *s)
{
    gj_str str;
    switch (*s->p) {
    case '{': return skip_object(s);
    case '[': return skip_array(s);
    case '"': return read_string(s, &str);
    case 't': return skip_literal(s, "true");
    case 'f': return skip_literal(s, "false");
    case 'n': return skip_literal(s, "null");
    default: return read_number(s, NULL, NULL);
    }
}

/* Object members: call with *first = 1 right after the '{'. Returns 1 with the next member's
 * name (the cursor on its value), 0 after the closing '}', -1 to give up. */
static int next_any_member(gj_reader *s, int *first, gj_str *key)
{
    skip_ws(s);
    if (*s->p == '}') {
        s->p++;
        s->depth--;
        return 0;
    }
    if (!*first) {
        if (*s->p != ',')
            return give_up(s, "an object member without ',' or '}' after it");
        s->p++;
        skip_ws(s);
    }
    *first = 0;
    if (*s->p != '"')
        return give_up(s, "an object member without a quoted name");
    if (read_string(s, key) < 0)
        return -1;
    skip_ws(s);
    if (*s->p != ':')
        return give_up(s, "a member name without ':'");
    s->p++;
    skip_ws(s);
    return 1;
}

/* next_any_member at the levels we interpret, where member names must be plain: GDAL decodes
 * escapes, we compare bytes. */
static int next_member(gj_reader *s, int *first, gj_str *key)
{
    int m = next_any_member(s, first, key);
    if (m == 1 && key->escaped)
        return give_up(s, "an escaped member name");
    return m;
}

/* ---------------------------------------------------------------------------------------- */
/* Coordinates into GEOS                                                                    */
/* ---------------------------------------------------------------------------------------- */

static int push_part(gj_reader *s, GEOSGeometry *g)
{
    if (s->nstack == s->stack_capacity) {
        size_t capacity = s->stack_capacity ? 2 * s->stack_capacity : 64;
        GEOSGeometry **stack = realloc(s->stack, capacity * sizeof *stack);
        if (!stack) {
            GEOSGeom_destroy_r(s->h, g);
            return no_memory(s, "reading GeoJSON geometries");
        }
        s->stack = stack;
        s->stack_capacity = capacity;
    }
    s->stack[s->nstack++] = g;
    return 0;
}

/* Destroy the parts from `base` up (after giving up). */
static void drop_parts(gj_reader *s, size_t base)
{
    while (s->nstack > base)
        GEOSGeom_destroy_r(s->h, s->stack[--s->nstack]);
}

/* One position "[x, y, ...]" appended to s->xy. */
static int read_position(gj_reader *s)
{
    if (*s->p != '[')
        return give_up(s, "coordinates nested otherwise than their type says");
    if (open_nested(s) < 0)
        return -1;
    double x = 0.0, y = 0.0;
    skip_ws(s);
    if (read_number(s, &x, NULL) < 0)
        return -1;
    skip_ws(s);
    if (*s->p != ',')
        return give_up(s, "a position with fewer than two numbers");
    s->p++;
    skip_ws(s);
    if (read_number(s, &y, NULL) < 0)
        return -1;
    skip_ws(s);
    while (*s->p == ',') { /* z, m: checked to be numbers, dropped as OGR_G_FlattenTo2D does */
        s->p++;
        skip_ws(s);
        if (read_number(s, NULL, NULL) < 0)
            return -1;
        skip_ws(s);
    }
    if (*s->p != ']')
        return give_up(s, "a position that does not end with ']'");
    s->p++;
    s->depth--;
    /* Stricter than the GDAL path's check (which allows unwrapped longitudes up to 540 when
     * the layer has a CRS): outside plain lon/lat, let GDAL decide. Also excludes infinities. */
    if (!(x >= -180.0 && x <= 180.0 && y >= -90.0 && y <= 90.0))
        return give_up(s, "a coordinate outside lon -180..180, lat -90..90");
    if (s->nxy + 2 > s->xy_capacity) {
        size_t capacity = s->xy_capacity ? 2 * s->xy_capacity : 4096;
        double *xy = realloc(s->xy, capacity * sizeof *xy);
        if (!xy)
            return no_memory(s, "reading GeoJSON coordinates");
        s->xy = xy;
        s->xy_capacity = capacity;
    }
    s->xy[s->nxy++] = x;
    s->xy[s->nxy++] = y;
    return 0;
}

/* A non-empty array of items, e.g. the positions of a line or the rings of a polygon. */
static int read_list(gj_reader *s, int (*item)(gj_reader *s))
{
    if (*s->p != '[')
        return give_up(s, "coordinates nested otherwise than their type says");
    if (open_nested(s) < 0)
        return -1;
    skip_ws(s);
    if (*s->p == ']')
        return give_up(s, "an empty coordinate array");
    for (;;) {
        if (item(s) < 0)
            return -1;
        skip_ws(s);
        if (*s->p == ']')
            break;
        if (*s->p != ',')
            return give_up(s, "coordinates without ',' or ']'");
        s->p++;
        skip_ws(s);
    }
    s->p++;
    s->depth--;
    return 0;
}

/* The positions just read as a GEOS LineString or LinearRing, pushed on the stack. */
static int push_sequence(gj_reader *s, int ring)
{
    size_t n = s->nxy / 2;
    if (n > UINT_MAX)
        return give_up(s, "too many positions");
    GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(s->h, s->xy, (unsigned)n, 0, 0);
    if (!seq)
        return give_up(s, "GEOS could not copy the coordinates");
    /* Both take the sequence, also when they fail. */
    GEOSGeometry *g =
        ring ? GEOSGeom_createLinearRing_r(s->h, seq) : GEOSGeom_createLineString_r(s->h, seq);
    if (!g)
        return give_up(s, ring ? "a ring GEOS refuses (not closed, or under 4 points)"
                               : "a line GEOS refuses (a single point)");
    return push_part(s, g);
}

static int read_line(gj_reader *s)
{
    s->nxy = 0;
    if (read_list(s, read_position) < 0)
        return -1;
    return push_sequence(s, 0);
}

static int read_ring(gj_reader *s)
{
    s->nxy = 0;
    if (read_list(s, read_position) < 0)
        return -1;
    return push_sequence(s, 1);
}

/* Replace the parts from `base` up by one new geometry made of them. */
static int merge_parts(gj_reader *s, size_t base, int type)
{
    size_t n = s->nstack - base;
    if (n > UINT_MAX)
        return give_up(s, "too many parts");
    GEOSGeometry *g;
    /* GEOS takes the parts (not the array), also when it fails. */
    if (type == GEOS_POLYGON)
        g = GEOSGeom_createPolygon_r(s->h, s->stack[base], s->stack + base + 1, (unsigned)(n - 1));
    else
        g = GEOSGeom_createCollection_r(s->h, type, s->stack + base, (unsigned)n);
    s->nstack = base;
    if (!g)
        return give_up(s, "GEOS could not assemble a geometry");
    return push_part(s, g);
}

static int read_polygon(gj_reader *s)
{
    size_t base = s->nstack;
    if (read_list(s, read_ring) < 0)
        return -1;
    return merge_parts(s, base, GEOS_POLYGON);
}

/* The "coordinates" of a geometry of `kind` as one GEOS geometry (*out). */
static int read_coordinates(gj_reader *s, int kind, GEOSGeometry **out)
{
    size_t base = s->nstack;
    int rc;
    switch (kind) {
    case GJ_LINESTRING: rc = read_line(s); break;
    case GJ_MULTILINESTRING:
        rc = read_list(s, read_line);
        if (rc == 0)
            rc = merge_parts(s, base, GEOS_MULTILINESTRING);
        break;
    case GJ_POLYGON: rc = read_polygon(s); break;
    default:
        rc = read_list(s, read_polygon);
        if (rc == 0)
            rc = merge_parts(s, base, GEOS_MULTIPOLYGON);
        break;
    }
    if (rc < 0) {
        drop_parts(s, base);
        return -1;
    }
    *out = s->stack[base];
    s->nstack = base;
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* GeoJSON objects                                                                          */
/* ---------------------------------------------------------------------------------------- */

static int geometry_kind(const gj_str *type)
{
    if (str_is(type, "LineString"))
        return GJ_LINESTRING;
    if (str_is(type, "MultiLineString"))
        return GJ_MULTILINESTRING;
    if (str_is(type, "Polygon"))
        return GJ_POLYGON;
    if (str_is(type, "MultiPolygon"))
        return GJ_MULTIPOLYGON;
    return -1;
}

/* The members of a geometry after its "type" (first: no member read yet). */
static int read_geometry_members(gj_reader *s, int first, int kind, GEOSGeometry **out)
{
    GEOSGeometry *g = NULL;
    int have_bbox = 0, m;
    gj_str key;
    while ((m = next_member(s, &first, &key)) == 1) {
        int rc;
        if (str_is(&key, "coordinates"))
            rc = g ? give_up(s, "duplicated \"coordinates\"") : read_coordinates(s, kind, &g);
        else if (str_is(&key, "bbox"))
            rc = have_bbox++ ? give_up(s, "duplicated \"bbox\"") : skip_value(s);
        else
            rc = give_up(s, "a geometry member other than coordinates and bbox");
        if (rc < 0)
            break;
    }
    if (m != 0 || !g) {
        if (g)
            GEOSGeom_destroy_r(s->h, g);
        return give_up(s, "a geometry without coordinates");
    }
    *out = g;
    return 0;
}

/* A geometry object (the cursor on its '{'): "type" first, a type we read. */
static int read_geometry(gj_reader *s, GEOSGeometry **out)
{
    if (*s->p != '{')
        return give_up(s, "a geometry that is neither an object nor null");
    if (open_nested(s) < 0)
        return -1;
    int first = 1;
    gj_str key, type;
    if (next_member(s, &first, &key) != 1 || !str_is(&key, "type"))
        return give_up(s, "a geometry whose first member is not \"type\"");
    if (read_plain_string(s, &type) < 0)
        return -1;
    int kind = geometry_kind(&type);
    if (kind < 0)
        return give_up(s, "a geometry type other than (Multi)LineString and (Multi)Polygon");
    return read_geometry_members(s, first, kind, out);
}

/* An "id" GDAL would take as the FID: only an integer equal to the feature's index keeps the
 * FIDs as they are without ids (the value is checked by deliver). */
static int read_id(gj_reader *s, long long *id)
{
    int integer = 0;
    double v = 0.0;
    if (!(*s->p == '-' || (*s->p >= '0' && *s->p <= '9')))
        return give_up(s, "an \"id\" that is not a number");
    if (read_number(s, &v, &integer) < 0)
        return -1;
    if (!integer || !(v >= 0.0 && v < 9e15))
        return give_up(s, "an \"id\" that is not a small integer");
    *id = (long long)v;
    return 0;
}

/* Hand one feature's geometry (may be NULL) to the collector, with GDAL's FID. Takes g. */
static int deliver(gj_reader *s, GEOSGeometry *g, int has_id, long long id)
{
    long long fid = s->index++;
    if (has_id)
        s->with_id = 1;
    else
        s->without_id = 1;
    if ((has_id && id != fid) || (s->with_id && s->without_id)) {
        if (g)
            GEOSGeom_destroy_r(s->h, g);
        return give_up(s, "an \"id\" GDAL would make the FID");
    }
    if (g)
        s->geometries++;
    int rc = s->visit(s->user, s->layer_name, fid, g);
    if (rc == BZ_ERR_NOMEM) { /* recorded by the collector */
        s->status = rc;
        return give_up(s, "out of memory");
    }
    if (rc != BZ_OK)
        return give_up(s, "the collector refused a feature");
    return 0;
}

/* The members of a feature (first: no member read yet; type_seen: "type" was read). */
static int read_feature_members(gj_reader *s, int first, int type_seen)
{
    GEOSGeometry *g = NULL;
    int have_geometry = 0, have_properties = 0, have_bbox = 0, has_id = 0, m;
    long long id = -1;
    gj_str key, type;
    while ((m = next_member(s, &first, &key)) == 1) {
        int rc;
        if (str_is(&key, "type")) {
            rc = type_seen++ ? give_up(s, "duplicated \"type\"") : read_plain_string(s, &type);
            if (rc == 0 && !str_is(&type, "Feature"))
                rc = give_up(s, "a feature whose type is not \"Feature\"");
        } else if (str_is(&key, "geometry")) {
            if (have_geometry++)
                rc = give_up(s, "duplicated \"geometry\"");
            else
                rc = *s->p == 'n' ? skip_literal(s, "null") : read_geometry(s, &g);
        } else if (str_is(&key, "properties")) {
            if (have_properties++)
                rc = give_up(s, "duplicated \"properties\"");
            else if (*s->p != '{' && *s->p != 'n')
                rc = give_up(s, "\"properties\" that are neither an object nor null");
            else
                rc = skip_value(s);
        } else if (str_is(&key, "id")) {
            rc = has_id++ ? give_up(s, "duplicated \"id\"") : read_id(s, &id);
        } else if (str_is(&key, "bbox")) {
            rc = have_bbox++ ? give_up(s, "duplicated \"bbox\"") : skip_value(s);
        } else {
            rc = give_up(s, "a feature member other than type, id, properties, geometry, bbox");
        }
        if (rc < 0)
            break;
    }
    if (m != 0 || !type_seen) {
        if (g)
            GEOSGeom_destroy_r(s->h, g);
        return give_up(s, "a feature without \"type\"");
    }
    return deliver(s, g, has_id, id);
}

static int read_features(gj_reader *s)
{
    if (*s->p != '[')
        return give_up(s, "\"features\" that are not an array");
    if (open_nested(s) < 0)
        return -1;
    skip_ws(s);
    if (*s->p == ']') {
        s->p++;
        s->depth--;
        return 0;
    }
    for (;;) {
        if (*s->p != '{')
            return give_up(s, "a feature that is not an object");
        if (open_nested(s) < 0 || read_feature_members(s, 1, 0) < 0)
            return -1;
        skip_ws(s);
        if (*s->p == ']')
            break;
        if (*s->p != ',')
            return give_up(s, "a feature without ',' or ']' after it");
        s->p++;
        skip_ws(s);
    }
    s->p++;
    s->depth--;
    return 0;
}

/* A malloc'ed copy of len bytes as a string (NULL when out of memory). */
static char *copy_text(const char *text, size_t len)
{
    char *c = malloc(len + 1);
    if (c) {
        memcpy(c, text, len);
        c[len] = '\0';
    }
    return c;
}

/* The members of a FeatureCollection after its "type". */
static int read_collection_members(gj_reader *s, int first)
{
    int have_features = 0, have_name = 0, have_bbox = 0, m;
    gj_str key, name;
    while ((m = next_member(s, &first, &key)) == 1) {
        int rc;
        if (str_is(&key, "features")) {
            rc = have_features++ ? give_up(s, "duplicated \"features\"") : read_features(s);
        } else if (str_is(&key, "name")) {
            /* GDAL names the layer after it (used by the collectors' messages only) */
            rc = have_name++ ? give_up(s, "duplicated \"name\"") : read_plain_string(s, &name);
            char *copy = rc == 0 ? copy_text(name.text, name.len) : NULL;
            if (rc == 0 && !copy)
                rc = no_memory(s, "reading a GeoJSON layer name");
            if (copy) {
                free(s->layer_name);
                s->layer_name = copy;
            }
        } else if (str_is(&key, "bbox")) {
            rc = have_bbox++ ? give_up(s, "duplicated \"bbox\"") : skip_value(s);
        } else {
            rc = give_up(s, "a FeatureCollection member other than features, name, bbox");
        }
        if (rc < 0)
            return -1;
    }
    return m;
}

/* The whole text: one object, "type" first. */
static int read_document(gj_reader *s)
{
    skip_ws(s);
    if (*s->p != '{')
        return give_up(s, "the text is not a JSON object");
    if (open_nested(s) < 0)
        return -1;
    int first = 1, rc;
    gj_str key, type;
    if (next_member(s, &first, &key) != 1 || !str_is(&key, "type"))
        return give_up(s, "the top-level object's first member is not \"type\"");
    if (read_plain_string(s, &type) < 0)
        return -1;
    if (str_is(&type, "FeatureCollection")) {
        rc = read_collection_members(s, first);
    } else if (str_is(&type, "Feature")) {
        rc = read_feature_members(s, first, 1); /* GDAL: one feature, FID 0 or its id */
    } else {
        int kind = geometry_kind(&type);
        GEOSGeometry *g = NULL;
        if (kind < 0)
            return give_up(s, "a top-level type other than FeatureCollection, Feature and "
                              "(Multi)LineString / (Multi)Polygon");
        rc = read_geometry_members(s, first, kind, &g); /* GDAL: one feature, FID 0 */
        if (rc == 0)
            rc = deliver(s, g, 0, 0);
    }
    if (rc < 0)
        return -1;
    skip_ws(s);
    if (s->p != s->end)
        return give_up(s, "something after the top-level object");
    if (s->geometries == 0)
        return give_up(s, "no feature with a geometry");
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* The file                                                                                 */
/* ---------------------------------------------------------------------------------------- */

static int has_extension(const char *path, const char *extension)
{
    size_t n = strlen(path), k = strlen(extension);
    return n > k && strcasecmp(path + n - k, extension) == 0;
}

/* Why the fast path may not even try (NULL if it may). */
static const char *not_eligible(const char *path, const bz_read_options *opts)
{
    if (opts && opts->layer)
        return "a layer was asked for";
    if (opts && opts->where && opts->where[0])
        return "a filter was asked for";
    if (strncmp(path, "/vsi", 4) == 0 || strchr(path, ':'))
        return "not a plain file path";
    if (!has_extension(path, ".geojson") && !has_extension(path, ".json"))
        return "not named *.geojson or *.json";
    return NULL;
}

/* The whole file as a '\0'-terminated text (*size bytes before the '\0'), or the reason not
 * (*nomem set when it is a failed allocation). */
static const char *read_whole(const char *path, char **text, size_t *size, int *nomem)
{
    *text = NULL;
    *nomem = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return "cannot open the file";
    struct stat st;
    const char *why = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        why = "not a regular file";
    else if (st.st_size <= 0 || st.st_size > GJ_MAX_FILE_SIZE)
        why = "an empty file or one over 1 GB";
    else if (!(*text = malloc((size_t)st.st_size + 1)))
        why = "out of memory", *nomem = 1;
    size_t got = 0, want = why ? 0 : (size_t)st.st_size;
    while (!why && got < want) {
        ssize_t k = read(fd, *text + got, want - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            why = "the file could not be read whole";
        else
            got += (size_t)k;
    }
    char more;
    if (!why && read(fd, &more, 1) != 0)
        why = "the file changed while it was read";
    close(fd);
    if (why) {
        free(*text);
        *text = NULL;
        return why;
    }
    (*text)[got] = '\0';
    *size = got;
    return NULL;
}

/* GDAL's name for a layer without a "name": the file's base name without its extension. */
static char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    const char *dot = strrchr(name, '.');
    return copy_text(name, dot ? (size_t)(dot - name) : strlen(name));
}

/* Read and parse; returns BZ_OK, BZI_GEOJSON_GAVE_UP (with *why) or BZ_ERR_NOMEM. */
static int read_fast(bz_context *ctx, const char *path, bzi_geojson_visit visit, void *user,
                     const char **why)
{
    /* With OGR_SKIP=GeoJSON (say), GDAL would read the file otherwise or not at all. */
    bzi_gdal_quiet q;
    bzi_gdal_quiet_begin(&q);
    int have_driver = GDALGetDriverByName("GeoJSON") != NULL;
    bzi_gdal_quiet_end(&q);
    if (!have_driver) {
        *why = "GDAL's GeoJSON driver is not registered";
        return BZI_GEOJSON_GAVE_UP;
    }
    char *text = NULL;
    size_t size = 0;
    int nomem = 0;
    *why = read_whole(path, &text, &size, &nomem);
    if (nomem)
        return bzi_nomem(ctx, "reading a GeoJSON file");
    if (*why)
        return BZI_GEOJSON_GAVE_UP;
    gj_reader s = {.ctx = ctx,
                   .h = ctx->geos,
                   .p = text,
                   .end = text + size,
                   .layer_name = base_name(path),
                   .visit = visit,
                   .user = user};
    if (!s.layer_name)
        no_memory(&s, "reading a GeoJSON layer name");
    else
        read_document(&s);
    drop_parts(&s, 0);
    free(s.stack);
    free(s.xy);
    free(s.layer_name);
    free(text);
    *why = s.why;
    return s.status != BZ_OK ? s.status : s.why ? BZI_GEOJSON_GAVE_UP : BZ_OK;
}

/* The context's error state, kept while the fast path tries, put back when it gives up. */
typedef struct error_state {
    int status;
    char errmsg[BZI_ERRMSG_SIZE];
    char geos_msg[BZI_ERRMSG_SIZE];
} error_state;

int bzi_geojson_read(bz_context *ctx, const char *path, const bz_read_options *opts,
                     bzi_geojson_visit visit, void *user)
{
    const bzi_read_options_routed *routed =
        opts && opts->version == BZI_READ_OPTIONS_ROUTED
            ? (const bzi_read_options_routed *)(const void *)opts
            : NULL;
    const char *why = routed && routed->gdal_only ? "the caller asked for the GDAL path"
                                                  : not_eligible(path, opts);
    int rc = BZI_GEOJSON_GAVE_UP;
    if (!why) {
        error_state saved;
        saved.status = ctx->status;
        memcpy(saved.errmsg, ctx->errmsg, sizeof saved.errmsg);
        memcpy(saved.geos_msg, ctx->geos_msg, sizeof saved.geos_msg);
        rc = read_fast(ctx, path, visit, user, &why);
        if (rc == BZI_GEOJSON_GAVE_UP) {
            ctx->status = saved.status;
            memcpy(ctx->errmsg, saved.errmsg, sizeof saved.errmsg);
            memcpy(ctx->geos_msg, saved.geos_msg, sizeof saved.geos_msg);
        }
    }
    if (routed && routed->took_fast_path)
        *routed->took_fast_path = rc == BZ_OK;
    if (routed && routed->gave_up)
        *routed->gave_up = rc == BZI_GEOJSON_GAVE_UP ? why : rc == BZ_OK ? "" : "out of memory";
    return rc;
}

/*
 * io/geojson_check.c — what the GeoJSON fast path (geojson_read.c) checks beyond json-c's
 * strict parse, so that it takes only what GDAL surely reads the same way: the raw bytes
 * (UTF-8, control characters, escapes of ASCII letters), and json-c's tree against the text
 * (duplicated members, which json-c keeps only the last of; single-quoted strings; NaN; the
 * words other GDAL drivers probe for). Each check returns why the fast path must give up, or
 * NULL. Not a parser: json-c parsed the text; these only count and compare.
 */
#include "io/geojson_check.h"

#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* The raw text: what json-c's tree no longer shows                                         */
/* ---------------------------------------------------------------------------------------- */

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

/* Bytes json-c lets through but GDAL may read otherwise: control characters other than JSON's
 * white space, bytes that are not UTF-8, and \u escapes of ASCII letters (which could spell a
 * member name or a type that the raw text, which GDAL probes, does not show). */
const char *bzi_geojson_check_bytes(const char *text, size_t size)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + size;
    while (p < end) {
        unsigned c = *p;
        if (c >= 0x20 && c < 0x80) {
            if (c == '\\' && p[1] == 'u' && p[2] == '0' && p[3] == '0') {
                unsigned hi = (unsigned)(p[4] | 0x20), lo = (unsigned)(p[5] | 0x20);
                if ((hi == '4' || hi == '6') ? lo != '0' : (hi == '5' || hi == '7') && lo <= 'a')
                    return "a \\u escape of an ASCII letter";
            }
            p++;
        } else if (c == '\n' || c == '\r' || c == '\t') {
            p++;
        } else if (c < 0x20) {
            return "a control character";
        } else {
            size_t n = utf8_length(p);
            if (!n)
                return "bytes that are not UTF-8";
            p += n;
        }
    }
    return NULL;
}

/* Occurrences of "<word>" (with its quotes) in the raw text. */
static size_t count_quoted(const char *text, size_t size, const char *word)
{
    size_t n = strlen(word), count = 0;
    const char *p = text, *end = text + size;
    while ((p = memchr(p, '"', (size_t)(end - p))) != NULL && (size_t)(end - p) >= n + 2) {
        if (memcmp(p + 1, word, n) == 0 && p[n + 1] == '"') {
            count++;
            p += n + 2;
        } else {
            p++;
        }
    }
    return count;
}

/* ---------------------------------------------------------------------------------------- */
/* The tree: words other drivers probe for, duplicated members, numbers                     */
/* ---------------------------------------------------------------------------------------- */

/* The names whose members the grammar below reads: json-c keeps the last of duplicated
 * members, GDAL's streaming parser may read each, so each must occur in the text exactly as
 * often as in the tree (as a member name or a string value). */
static const char *const structural[] = {"type",       "features", "geometry", "coordinates",
                                         "properties", "id",       "bbox",     "name"};
#define N_STRUCTURAL (sizeof structural / sizeof structural[0])

typedef struct tree_scan {
    size_t seen[N_STRUCTURAL];
    size_t quotes; /* '"' the strict text of the tree has: 2 per string, 1 per '"' in one */
} tree_scan;

/*
 * Strings that may make GDAL read the file otherwise than as plain GeoJSON: "crs" (a CRS),
 * what the JSON-FG driver ("conformsTo", "coordRefSys", "featureType", "place", "time"), the
 * ESRI JSON driver ("fieldAliases", "geometryType", "fields", "spatialReference", "esri...")
 * and the TopoJSON driver ("Topology") look for. GDAL probes the raw text, where an escaped
 * quote can end such a word inside a longer string: strings that hold a quote must not
 * contain them.
 */
static int suspicious(const char *str)
{
    static const char *const words[] = {
        "crs",        "Topology",    "fieldAliases", "geometryType", "fields", "spatialReference",
        "conformsTo", "coordRefSys", "featureType",  "place",        "time",   NULL};
    int quoted = strchr(str, '"') != NULL;
    for (size_t i = 0; words[i]; i++)
        if (strcmp(str, words[i]) == 0 || (quoted && strstr(str, words[i])))
            return 1;
    return strstr(str, "esri") != NULL;
}

static const char *scan_string(tree_scan *t, const char *str)
{
    if (suspicious(str))
        return "a \"crs\", or a word another GDAL driver probes for";
    t->quotes += 2;
    for (const char *q = strchr(str, '"'); q; q = strchr(q + 1, '"'))
        t->quotes++;
    for (size_t i = 0; i < N_STRUCTURAL; i++)
        if (strcmp(str, structural[i]) == 0)
            t->seen[i]++;
    return NULL;
}

/* Every member name and string of the tree; numbers must be finite. */
static const char *scan_tree(tree_scan *t, json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_object: {
        const char *why = NULL;
        json_object_object_foreach(v, key, member)
        {
            if ((why = scan_string(t, key)) || (why = scan_tree(t, member)))
                return why;
        }
        return NULL;
    }
    case json_type_array: {
        const char *why = NULL;
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n && !why; i++)
            why = scan_tree(t, json_object_array_get_idx(v, i));
        return why;
    }
    case json_type_string: return scan_string(t, json_object_get_string(v));
    case json_type_double:
        return isfinite(json_object_get_double(v)) ? NULL : "NaN or an infinite number";
    default: return NULL;
    }
}

/* What json-c's strict mode still lets through shows in the counts: a string in single
 * quotes (which GDAL refuses) lacks the two '"' every string of the tree has in the text. */
const char *bzi_geojson_check_tree(json_object *root, const char *text, size_t size)
{
    tree_scan t = {{0}, 0};
    const char *why = scan_tree(&t, root);
    if (why)
        return why;
    size_t quotes = 0;
    for (const char *q = text, *end = text + size; (q = memchr(q, '"', (size_t)(end - q))); q++)
        quotes++;
    if (quotes != t.quotes)
        return "a string not in double quotes, or a quote written as an escape";
    for (size_t i = 0; i < N_STRUCTURAL; i++)
        if (count_quoted(text, size, structural[i]) != t.seen[i])
            return "a duplicated member, or a name inside another string";
    return NULL;
}

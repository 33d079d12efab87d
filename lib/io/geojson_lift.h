/*
 * io/geojson_lift.h — the GeoJSON fast path's coordinates, parsed apart from the rest
 * (geojson_lift.c): every "coordinates" member's array is read straight into tokens, and json-c
 * parses only what is left (a few dozen objects instead of one per number).
 */
#ifndef BZ_IO_GEOJSON_LIFT_H
#define BZ_IO_GEOJSON_LIFT_H

#include <stddef.h>

/* What one array of a lifted value is. */
enum {
    BZI_GJ_LIST,     /* an array of arrays: `count` of them follow, each with its contents */
    BZI_GJ_POSITION, /* an array of `count` numbers; x and y are the first two (NaN if absent) */
    BZI_GJ_EMPTY     /* [] */
};

typedef struct bzi_gj_token {
    int kind;
    size_t count;
    double x, y;
} bzi_gj_token;

/* The text with its coordinates lifted out. Lifted value k (numbered in text order) is the
 * tokens start[k] .. start[k + 1] - 1, its arrays in the order their '[' appear; in the
 * skeleton it stands as the integer k. */
typedef struct bzi_gj_lifted {
    char *skeleton; /* '\0'-terminated */
    size_t size;    /* bytes before the '\0' */
    bzi_gj_token *tok;
    size_t ntok, tok_cap;
    size_t *start; /* nvalues + 1 entries */
    size_t nvalues, start_cap;
} bzi_gj_lifted;

/*
 * Lift the value of every "coordinates" member out of `text` (size bytes, then a '\0').
 * Returns NULL with *out filled (the caller frees it with bzi_geojson_lifted_free, also after a
 * failure), or why the fast path must give up (a static string; *nomem set when an allocation
 * failed). It gives up on whatever it cannot lift exactly as json-c would read it: a
 * "coordinates" member whose value is not an array; an array holding anything but numbers and
 * arrays, or numbers and arrays mixed; numbers outside JSON's grammar, integers of more than 18
 * digits, numbers that overflow; a lifted array nested `max_depth` deep or deeper counting the
 * objects and arrays around it; an unterminated string.
 *
 * Why the skeleton is as valid as the text: a lifted array is a complete JSON value (checked
 * here, to the grammar) outside any string (strings are found as any JSON lexer finds them),
 * and it is replaced by another complete value at the same place.
 *
 * Numbers become what json-c makes of them: an integer (no fraction, no exponent) its int64
 * converted to double (so "-0" is +0), any other the correctly rounded double (strtod's, or the
 * same value computed exactly when mantissa and power of ten are both exact doubles).
 */
const char *bzi_geojson_lift(const char *text, size_t size, int max_depth, bzi_gj_lifted *out,
                             int *nomem);
void bzi_geojson_lifted_free(bzi_gj_lifted *lifted);

#endif

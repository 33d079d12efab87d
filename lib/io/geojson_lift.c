/*
 * io/geojson_lift.c — every "coordinates" array of a GeoJSON text parsed on its own, into
 * tokens, and the rest of the text left for json-c (see geojson_lift.h for the contract).
 *
 * Why: json-c makes an object for every number and every position (300,000 allocations for a
 * 100,000-vertex line, 60-80 ms and most of the reader's memory), where the coordinates need one
 * pass over the bytes and a number parse each (under 20 ms, measured on the same file).
 *
 * This is not a general JSON parser. It finds strings as any JSON lexer does (so that nothing
 * inside a string is taken for structure), counts nesting, and parses to the grammar (RFC 8259)
 * only the arrays it lifts. Everything else is copied to the skeleton unread, for json-c's
 * strict parse and the fast path's checks, exactly as before.
 */
#include "io/geojson_lift.h"
#include "core/grow.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lifter {
    const char *t; /* the text, '\0' at t[size] */
    size_t size, pos;
    int max_depth;
    bzi_gj_lifted *out;
    size_t skeleton_cap;
    const char *why;
    int nomem;
} lifter;

static int fail(lifter *l, const char *why)
{
    if (!l->why)
        l->why = why;
    return -1;
}

static int out_of_memory(lifter *l)
{
    l->nomem = 1;
    return fail(l, "out of memory");
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r'; /* JSON's white space only */
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The text's '\0' ends every run of white space or digits. */
static void skip_ws(lifter *l)
{
    while (is_ws(l->t[l->pos]))
        l->pos++;
}

static int put(lifter *l, const char *p, size_t n)
{
    bzi_gj_lifted *o = l->out;
    if (bzi_grow(&o->skeleton, &l->skeleton_cap, o->size + n + 1, 1))
        return out_of_memory(l);
    memcpy(o->skeleton + o->size, p, n);
    o->size += n;
    o->skeleton[o->size] = '\0';
    return 0;
}

/* The string whose opening quote is at pos: pos moves past its closing quote. */
static int skip_string(lifter *l)
{
    size_t p = l->pos + 1;
    for (;;) {
        if (p >= l->size)
            return fail(l, "a string that does not end");
        char c = l->t[p];
        if (c == '"')
            break;
        p += c == '\\' ? 2 : 1;
    }
    l->pos = p + 1;
    return 0;
}

/* Powers of ten that are exact doubles (10^22 < 2^53 · 2^22: 5^22 < 2^53). */
static const double exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The digits of a number read so far, leading zeros left out: exact while at most 19. */
typedef struct mantissa {
    uint64_t value;
    int significant, exact;
} mantissa;

static void add_digit(mantissa *m, char c)
{
    if (m->value == 0 && c == '0')
        return;
    if (++m->significant > 19)
        m->exact = 0;
    else
        m->value = 10 * m->value + (uint64_t)(c - '0');
}

/*
 * The JSON number at pos, as json-c reads it. An integer: its int64 as a double (more than 18
 * digits: give up). Otherwise: when the digits form a mantissa m ≤ 2^53 and the decimal exponent
 * e is within ±22, m·10^e or m/10^-e of two exact doubles is one correctly rounded operation,
 * the same double strtod gives (Clinger's fast path; needs plain double arithmetic, hence
 * FLT_EVAL_METHOD); any other number goes to strtod.
 */
static int parse_number(lifter *l, double *v)
{
    const char *start = l->t + l->pos, *p = start;
    int neg = *p == '-';
    p += neg;
    if (!is_digit(*p))
        return fail(l, "coordinates holding something other than numbers and arrays");
    if (*p == '0' && is_digit(p[1]))
        return fail(l, "a number with a leading zero");
    mantissa m = {0, 0, 1};
    const char *q = p;
    for (; is_digit(*p); p++)
        add_digit(&m, *p);
    int int_digits = (int)(p - q), frac_digits = 0, integer = 1;
    if (*p == '.') {
        integer = 0;
        if (!is_digit(*++p))
            return fail(l, "a number with nothing after its decimal point");
        for (q = p; is_digit(*p); p++)
            add_digit(&m, *p);
        frac_digits = (int)(p - q);
    }
    long e = 0;
    if (*p == 'e' || *p == 'E') {
        integer = 0;
        p++;
        int eneg = *p == '-';
        if (*p == '-' || *p == '+')
            p++;
        if (!is_digit(*p))
            return fail(l, "a number with nothing after its exponent");
        for (; is_digit(*p); p++)
            if (e < 100000)
                e = 10 * e + (*p - '0');
        e = eneg ? -e : e;
    }
    l->pos = (size_t)(p - l->t);
    if (integer) {
        if (int_digits > 18)
            return fail(l, "an integer of more than 18 digits");
        int64_t i = (int64_t)m.value; /* json-c's int64; -0 is 0 */
        *v = (double)(neg ? -i : i);
        return 0;
    }
    e -= frac_digits;
#if FLT_EVAL_METHOD == 0
    if (m.exact && m.value <= (UINT64_C(1) << 53) && e >= -22 && e <= 22) {
        double d = e >= 0 ? (double)m.value * exact_pow10[e] : (double)m.value / exact_pow10[-e];
        *v = neg ? -d : d;
        return 0;
    }
#endif
    char *end = NULL;
    *v = strtod(start, &end);
    if (end != p)
        return fail(l, "a number strtod reads otherwise");
    if (!isfinite(*v))
        return fail(l, "NaN or an infinite number");
    return 0;
}

static int push_token(lifter *l, int kind)
{
    bzi_gj_lifted *o = l->out;
    if (BZI_GROW(o->tok, o->tok_cap, o->ntok + 1))
        return out_of_memory(l);
    o->tok[o->ntok++] = (bzi_gj_token){kind, 0, NAN, NAN};
    return 0;
}

/* The array whose '[' is at pos, `depth` objects and arrays deep counting itself. */
static int lift_array(lifter *l, int depth)
{
    if (depth >= l->max_depth - 1)
        return fail(l, "coordinates nested deeper than json-c reads");
    size_t me = l->out->ntok;
    if (push_token(l, BZI_GJ_EMPTY))
        return -1;
    l->pos++;
    skip_ws(l);
    if (l->t[l->pos] == ']') {
        l->pos++;
        return 0;
    }
    int list = l->t[l->pos] == '[';
    size_t count = 0;
    double xy[2] = {NAN, NAN};
    for (;;) {
        if (list) {
            if (l->t[l->pos] != '[')
                return fail(l, "a coordinate array mixing arrays with other values");
            if (lift_array(l, depth + 1))
                return -1;
        } else {
            double v = 0;
            if (parse_number(l, &v))
                return -1;
            if (count < 2)
                xy[count] = v;
        }
        count++;
        skip_ws(l);
        char c = l->t[l->pos];
        if (c == ']')
            break;
        if (c != ',')
            return fail(l, "a coordinate array that is not JSON");
        l->pos++;
        skip_ws(l);
    }
    l->pos++;
    bzi_gj_token *t = l->out->tok + me; /* the array may have moved meanwhile */
    t->kind = list ? BZI_GJ_LIST : BZI_GJ_POSITION;
    t->count = count;
    t->x = xy[0];
    t->y = xy[1];
    return 0;
}

/* The array at pos, `depth` deep counting itself, becomes the next lifted value. */
static int lift_value(lifter *l, int depth)
{
    bzi_gj_lifted *o = l->out;
    if (BZI_GROW(o->start, o->start_cap, o->nvalues + 2))
        return out_of_memory(l);
    o->start[o->nvalues] = o->ntok;
    if (lift_array(l, depth))
        return -1;
    o->nvalues++;
    o->start[o->nvalues] = o->ntok;
    char k[32];
    int n = snprintf(k, sizeof k, "%zu", o->nvalues - 1);
    return put(l, k, (size_t)n);
}

const char *bzi_geojson_lift(const char *text, size_t size, int max_depth, bzi_gj_lifted *out,
                             int *nomem)
{
    memset(out, 0, sizeof *out);
    lifter l = {text, size, 0, max_depth, out, 0, NULL, 0};
    size_t copied = 0; /* text before this is in the skeleton */
    int depth = 0;
    int rc = bzi_grow(&out->skeleton, &l.skeleton_cap, size + 1, 1) ? out_of_memory(&l) : 0;
    while (rc == 0 && l.pos < size) {
        char c = text[l.pos];
        if (c == '"') {
            size_t open = l.pos;
            if ((rc = skip_string(&l)) != 0)
                break;
            if (l.pos - open != 13 || memcmp(text + open + 1, "coordinates", 11) != 0)
                continue;
            size_t k = l.pos;
            while (is_ws(text[k]))
                k++;
            if (text[k] != ':')
                continue; /* a string value, not a member's name */
            k++;
            while (is_ws(text[k]))
                k++;
            if (text[k] != '[') {
                rc = fail(&l, "a \"coordinates\" member that is not an array");
                break;
            }
            if ((rc = put(&l, text + copied, k - copied)) != 0)
                break;
            l.pos = k;
            if ((rc = lift_value(&l, depth + 1)) != 0)
                break;
            copied = l.pos;
            continue;
        }
        if (c == '[' || c == '{')
            depth++;
        else if ((c == ']' || c == '}') && depth > 0)
            depth--;
        l.pos++;
    }
    if (rc == 0)
        put(&l, text + copied, size - copied);
    *nomem = l.nomem;
    return l.why;
}

void bzi_geojson_lifted_free(bzi_gj_lifted *lifted)
{
    free(lifted->skeleton);
    free(lifted->tok);
    free(lifted->start);
    memset(lifted, 0, sizeof *lifted);
}

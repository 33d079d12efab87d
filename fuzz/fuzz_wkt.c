/* fuzz_wkt.c — libFuzzer target: arbitrary bytes as WKT into bz_geometry_from_wkt and
 * bz_line_from_wkt, and as WKB into bz_geometry_from_wkb, then every measure and writer that
 * accepts what was parsed. The library must
 * return a status (never crash, leak or trip a sanitizer) and keep its promises on success. */
#include <bufferzone.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A broken promise is a bug: abort so that libFuzzer keeps the input. */
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

/* Every failure must leave a message and its status in the context. */
static void check_failure(bz_context *ctx, int status)
{
    CHECK(status < 0);
    CHECK(bz_errcode(ctx) == status);
    CHECK(bz_errmsg(ctx)[0] != '\0');
    bz_context_clear_error(ctx);
}

static void exercise_geometry(bz_context *ctx, const GEOSGeometry *g)
{
    char *wkt = NULL;
    int s = bz_geometry_to_wkt(&wkt, ctx, g, 7);
    if (s == BZ_OK)
        bz_free(wkt);
    else
        check_failure(ctx, s);

    unsigned char *wkb = NULL;
    size_t n = 0;
    s = bz_geometry_to_wkb(&wkb, &n, ctx, g);
    if (s == BZ_OK)
        bz_free(wkb);
    else
        check_failure(ctx, s);

    double area = NAN, length = NAN;
    s = bz_geodesic_area(&area, ctx, g);
    if (s == BZ_OK)
        CHECK(!(area < 0)); /* NaN is allowed only for NaN input, never a negative area */
    else
        check_failure(ctx, s);
    s = bz_geodesic_length(&length, ctx, g);
    if (s == BZ_OK)
        CHECK(!(length < 0));
    else
        check_failure(ctx, s);

    bz_line *line = NULL;
    s = bz_line_from_geos(&line, ctx, g);
    if (s == BZ_OK)
        bz_line_free(line);
    else
        check_failure(ctx, s);
}

static void exercise_line(bz_context *ctx, const bz_line *line)
{
    CHECK(bz_line_num_parts(line) >= 1);
    CHECK(bz_line_num_points(line) >= 2);
    double length = NAN;
    int s = bz_line_length(&length, ctx, line);
    if (s == BZ_OK)
        CHECK(length > 0 && isfinite(length));
    else
        check_failure(ctx, s);

    bz_nearest near;
    s = bz_line_distance(&near, ctx, line, 30.0, 48.0);
    if (s == BZ_OK)
        CHECK(near.distance_m >= 0 && near.part < bz_line_num_parts(line));
    else
        check_failure(ctx, s);

    bz_line *rev = NULL;
    s = bz_line_reverse(&rev, ctx, line);
    if (s == BZ_OK) {
        CHECK(bz_line_num_points(rev) == bz_line_num_points(line));
        bz_line_free(rev);
    } else {
        check_failure(ctx, s);
    }
}

/* One context for the whole run, as a long-lived program would use it: each input starts with a
 * cleared error, and nothing may carry over from one input to the next. */
static bz_context *shared_context(void)
{
    static bz_context *ctx;
    if (!ctx) {
        ctx = bz_context_new();
        if (ctx)
            bz_context_set_threads(ctx, 1);
    }
    if (ctx)
        bz_context_clear_error(ctx);
    return ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    bz_context *ctx = shared_context();
    if (!ctx) {
        free(text);
        return 0;
    }

    GEOSGeometry *g = NULL;
    int s = bz_geometry_from_wkt(&g, ctx, text);
    if (s == BZ_OK) {
        CHECK(g != NULL);
        exercise_geometry(ctx, g);
        bz_geometry_free(ctx, g);
    } else {
        CHECK(g == NULL);
        check_failure(ctx, s);
    }

    /* The same bytes as WKB: what is accepted is lon/lat, 2-D. */
    g = NULL;
    s = bz_geometry_from_wkb(&g, ctx, data, size);
    if (s == BZ_OK) {
        CHECK(g != NULL);
        exercise_geometry(ctx, g);
        bz_geometry_free(ctx, g);
    } else {
        CHECK(g == NULL);
        check_failure(ctx, s);
    }

    bz_line *line = NULL;
    s = bz_line_from_wkt(&line, ctx, text);
    if (s == BZ_OK) {
        exercise_line(ctx, line);
        bz_line_free(line);
    } else {
        CHECK(line == NULL);
        check_failure(ctx, s);
    }

    free(text);
    return 0;
}

/* fuzz_read.c — libFuzzer target: arbitrary bytes as a vector file read through every reader
 * (bz_read_line, bz_read_polygon, bz_read_places, bz_read_features). The first byte picks the
 * file extension, so GDAL's GeoJSON, KML, GPX and CSV drivers all see hostile input; the rest is
 * the file. The readers must return a status and leave nothing behind. */
#include <bufferzone.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

static void check_failure(bz_context *ctx, int status)
{
    CHECK(status < 0);
    CHECK(bz_errcode(ctx) == status);
    CHECK(bz_errmsg(ctx)[0] != '\0');
    bz_context_clear_error(ctx);
}

/* The file is rewritten for every input; one per process so parallel fuzzing jobs do not mix. */
static int write_input(char *path, size_t path_size, const uint8_t *data, size_t size)
{
    static const char *const ext[] = {"geojson", "json", "kml", "gpx", "csv", "topojson"};
    size_t pick = size ? data[0] % (sizeof ext / sizeof ext[0]) : 0;
    snprintf(path, path_size, "/tmp/bz_fuzz_read_%ld.%s", (long)getpid(), ext[pick]);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    if (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1) {
        fclose(f);
        return -1;
    }
    return fclose(f) == 0 ? 0 : -1;
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
    char path[128];
    if (write_input(path, sizeof path, data, size) != 0)
        return 0;
    bz_context *ctx = shared_context();
    if (!ctx)
        return 0;

    bz_line *line = NULL;
    int s = bz_read_line(&line, ctx, path, NULL);
    if (s == BZ_OK) {
        CHECK(bz_line_num_points(line) >= 2);
        bz_line_free(line);
    } else {
        CHECK(line == NULL);
        check_failure(ctx, s);
    }

    GEOSGeometry *poly = NULL;
    s = bz_read_polygon(&poly, ctx, path, NULL);
    if (s == BZ_OK) {
        double area = -1;
        int as = bz_geodesic_area(&area, ctx, poly);
        if (as == BZ_OK)
            CHECK(!(area < 0));
        else
            check_failure(ctx, as);
        bz_geometry_free(ctx, poly);
    } else {
        CHECK(poly == NULL);
        check_failure(ctx, s);
    }

    bz_places *places = NULL;
    s = bz_read_places(&places, ctx, path, NULL);
    if (s == BZ_OK) {
        for (size_t i = 0; i < bz_places_count(places); i++)
            CHECK(bz_places_name(places, i) != NULL);
        bz_places_free(places);
    } else {
        CHECK(places == NULL);
        check_failure(ctx, s);
    }

    bz_features *features = NULL;
    s = bz_read_features(&features, ctx, path, NULL);
    if (s == BZ_OK)
        bz_features_free(features);
    else {
        CHECK(features == NULL);
        check_failure(ctx, s);
    }

    unlink(path);
    return 0;
}

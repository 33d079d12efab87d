/* A program outside the project: built against the INSTALLED library with only
 * `cc consumer.c $(pkg-config --cflags --libs bufferzone)`. Prints the geodesic length of a
 * line from Kyiv to Kharkiv, and what GEOS's own _r functions say about the line's geometry (the
 * header promises that library results work with GEOS, so pkg-config must bring GEOS along);
 * check_install.sh compares both with independent values. */
#define GEOS_USE_ONLY_R_API
#include <bufferzone.h>
#include <geos_c.h>
#include <stdio.h>

int main(void)
{
    bz_context *ctx = bz_context_new();
    if (!ctx)
        return 1;
    const double lonlat[] = {30.5234, 50.4501, 36.2304, 49.9935};
    bz_line *line = NULL;
    double length = 0;
    int rc = bz_line_from_lonlat(&line, ctx, lonlat, 2);
    if (rc == BZ_OK)
        rc = bz_line_length(&length, ctx, line);
    if (rc != BZ_OK) {
        fprintf(stderr, "consumer: %s (%s)\n", bz_errmsg(ctx), bz_status_string(rc));
        bz_context_free(ctx);
        return 1;
    }
    GEOSContextHandle_t h = bz_context_geos(ctx);
    const GEOSGeometry *g = bz_line_geometry(line);
    printf("bufferzone %s length_m %.3f geos_parts %d geos_points %d\n", bz_version(), length,
           GEOSGetNumGeometries_r(h, g), GEOSGetNumCoordinates_r(h, g));
    bz_line_free(line);
    bz_context_free(ctx);
    return 0;
}

/* geometry.c — small geometry conveniences: WKT/WKB in and out, freeing. */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GEOS 3.11's WKT writer formats fixed-point numbers into a fixed stack buffer and overflows it
 * for huge coordinates (libgeos/geos#970). No coordinate system has values near 1e15, so refuse
 * such geometries (and non-finite ones) with a clear error instead of writing them. */
#define BZI_WKT_MAX_ABS 1e15

static int check_writable(bz_context *ctx, const GEOSGeometry *g)
{
    if (GEOSisEmpty_r(ctx->geos, g) == 1)
        return BZ_OK;
    double e[4];
    if (!GEOSGeom_getExtent_r(ctx->geos, g, &e[0], &e[1], &e[2], &e[3]))
        return bzi_geos_error(ctx, "measuring the extent of a geometry to write as WKT");
    for (int i = 0; i < 4; i++)
        if (!(fabs(e[i]) <= BZI_WKT_MAX_ABS))
            return bzi_error(ctx, BZ_ERR_GEOMETRY,
                             "cannot write WKT: coordinate %g is not finite or beyond +/-%g", e[i],
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

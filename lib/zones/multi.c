/* multi.c — the zones' geometry plumbing: results of GEOS overlays as MultiPolygons (through
 * core/polygon.h's builder) or merged MultiLineStrings, and reporting a failed step. */
#include "zones/multi.h"
#include "core/grow.h"
#include "core/polygon.h"

#include <math.h>
#include <stdlib.h>

/* Append the LineStrings of g (LinearRings as LineStrings) to parts[], cloning. */
static int collect_lines(GEOSContextHandle_t h, const GEOSGeometry *g, GEOSGeometry ***parts,
                         size_t *n, size_t *cap)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_MULTIPOLYGON || type == GEOS_MULTILINESTRING ||
        type == GEOS_GEOMETRYCOLLECTION) {
        int k = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < k; i++) {
            int rc = collect_lines(h, GEOSGetGeometryN_r(h, g, i), parts, n, cap);
            if (rc)
                return rc;
        }
        return BZ_OK;
    }
    if (type == GEOS_LINEARRING)
        type = GEOS_LINESTRING;
    if (type != GEOS_LINESTRING || GEOSisEmpty_r(h, g))
        return BZ_OK;
    if (BZI_GROW(*parts, *cap, *n + 1))
        return BZ_ERR_NOMEM;
    GEOSGeometry *c = NULL;
    if (GEOSGeomTypeId_r(h, g) == GEOS_LINEARRING) {
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, g);
        GEOSCoordSequence *copy = cs ? GEOSCoordSeq_clone_r(h, cs) : NULL;
        c = copy ? GEOSGeom_createLineString_r(h, copy) : NULL;
    } else {
        c = GEOSGeom_clone_r(h, g);
    }
    if (!c)
        return BZ_ERR_GEOS;
    (*parts)[(*n)++] = c;
    return BZ_OK;
}

/* The n LineStrings in parts (the array is freed, the parts taken) as a MultiLineString when
 * rc is BZ_OK, else destroyed; NULL then, or when GEOS fails. */
static GEOSGeometry *lines_collected(GEOSContextHandle_t h, GEOSGeometry **parts, size_t n, int rc)
{
    GEOSGeometry *out = NULL;
    if (rc == BZ_OK) /* GEOS owns the parts from here on, even if it fails (geos_c.h) */
        out = GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, parts, (unsigned int)n);
    else
        for (size_t i = 0; i < n; i++)
            GEOSGeom_destroy_r(h, parts[i]);
    free(parts);
    return out;
}

/* A Multi<type> of the parts of g of that type (g is consumed; NULL in → NULL out). On failure
 * *st says why: BZ_ERR_NOMEM, or BZ_ERR_GEOS (also when g was NULL, a failed GEOS call).
 * Polygons go through core/polygon.h's one MultiPolygon builder. */
GEOSGeometry *bzi_as_multi(GEOSContextHandle_t h, GEOSGeometry *g, int want, int *st)
{
    *st = BZ_ERR_GEOS;
    if (!g)
        return NULL;
    if (want == GEOS_POLYGON) {
        GEOSGeometry *mp = NULL;
        if (bzi_multipolygon_take(h, g, &mp) == BZI_E_NOMEM)
            *st = BZ_ERR_NOMEM;
        return mp;
    }
    int multi = GEOS_MULTILINESTRING;
    if (GEOSGeomTypeId_r(h, g) == multi)
        return g;
    GEOSGeometry **parts = NULL;
    size_t n = 0, cap = 0;
    int rc = collect_lines(h, g, &parts, &n, &cap);
    GEOSGeom_destroy_r(h, g);
    if (rc == BZ_ERR_NOMEM)
        *st = BZ_ERR_NOMEM;
    return lines_collected(h, parts, n, rc);
}

/* Lines as a MultiLineString with touching pieces merged (consumed). */
GEOSGeometry *bzi_as_merged_lines(GEOSContextHandle_t h, GEOSGeometry *g, int *st)
{
    GEOSGeometry *m = bzi_as_multi(h, g, GEOS_LINESTRING, st);
    if (!m || GEOSisEmpty_r(h, m))
        return m;
    GEOSGeometry *merged = GEOSLineMerge_r(h, m);
    GEOSGeom_destroy_r(h, m);
    return bzi_as_multi(h, merged, GEOS_LINESTRING, st);
}

/* Points are on the seam within this many degrees (0.1 mm): GEOS computes where an edge meets
 * a cut to a rounding. */
#define SEAM_EPS_DEG 1e-9

static int on_seam(double xa, double xb, double x0, double x1)
{
    return (fabs(xa - x0) <= SEAM_EPS_DEG && fabs(xb - x0) <= SEAM_EPS_DEG) ||
           (fabs(xa - x1) <= SEAM_EPS_DEG && fabs(xb - x1) <= SEAM_EPS_DEG);
}

/* Push the runs of ls's vertices between seam segments as new LineStrings. */
static int push_off_seam(GEOSContextHandle_t h, const GEOSGeometry *ls, double x0, double x1,
                         GEOSGeometry ***parts, size_t *n, size_t *cap)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ls);
    unsigned int m = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &m))
        return BZ_ERR_GEOS;
    double *xy = malloc(2 * (size_t)(m ? m : 1) * sizeof *xy);
    if (!xy)
        return BZ_ERR_NOMEM;
    if (m && !GEOSCoordSeq_copyToBuffer_r(h, cs, xy, 0, 0)) {
        free(xy);
        return BZ_ERR_GEOS;
    }
    int rc = BZ_OK;
    size_t start = 0;
    for (size_t i = 1; i <= m && rc == BZ_OK; i++) {
        int cut = i == m || on_seam(xy[2 * i - 2], xy[2 * i], x0, x1);
        if (!cut)
            continue;
        if (i - start >= 2) { /* vertices start .. i-1 */
            GEOSCoordSequence *run =
                GEOSCoordSeq_copyFromBuffer_r(h, xy + 2 * start, (unsigned int)(i - start), 0, 0);
            GEOSGeometry *g = run ? GEOSGeom_createLineString_r(h, run) : NULL;
            if (!g)
                rc = BZ_ERR_GEOS;
            else if (BZI_GROW(*parts, *cap, *n + 1)) {
                GEOSGeom_destroy_r(h, g);
                rc = BZ_ERR_NOMEM;
            } else
                (*parts)[(*n)++] = g;
        }
        start = i;
    }
    free(xy);
    return rc;
}

GEOSGeometry *bzi_lines_off_seam(GEOSContextHandle_t h, GEOSGeometry *g, double x0, double x1,
                                 int *st)
{
    GEOSGeometry *m = bzi_as_multi(h, g, GEOS_LINESTRING, st);
    if (!m)
        return NULL;
    GEOSGeometry **parts = NULL;
    size_t n = 0, cap = 0;
    int rc = BZ_OK;
    int k = GEOSGetNumGeometries_r(h, m);
    for (int i = 0; i < k && rc == BZ_OK; i++)
        rc = push_off_seam(h, GEOSGetGeometryN_r(h, m, i), x0, x1, &parts, &n, &cap);
    GEOSGeom_destroy_r(h, m);
    GEOSGeometry *out = lines_collected(h, parts, n, rc);
    *st = rc == BZ_ERR_NOMEM ? BZ_ERR_NOMEM : BZ_ERR_GEOS;
    return out ? bzi_as_merged_lines(h, out, st) : NULL;
}

/* Report a failed geometry step: out of memory, or GEOS's own message. */
int bzi_geom_fail(bz_context *ctx, int st, const char *what)
{
    return st == BZ_ERR_NOMEM ? bzi_nomem(ctx, what) : bzi_geos_error(ctx, what);
}

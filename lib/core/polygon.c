/* polygon.c — GEOS polygon helpers: type tests, owned geometry lists, rings, valid
 * MultiPolygons. */
#include "core/polygon.h"
#include "core/grow.h"
#include "core/context.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */

int bzi_is_polygonal(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    if (!g)
        return 0;
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON)
        return 1;
    if (t != GEOS_GEOMETRYCOLLECTION)
        return 0;
    int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; i++)
        if (!bzi_is_polygonal(h, GEOSGetGeometryN_r(h, g, i)))
            return 0;
    return 1;
}

const char *bzi_geom_type_name(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    switch (GEOSGeomTypeId_r(h, g)) {
    case GEOS_POINT: return "Point";
    case GEOS_LINESTRING: return "LineString";
    case GEOS_LINEARRING: return "LinearRing";
    case GEOS_POLYGON: return "Polygon";
    case GEOS_MULTIPOINT: return "MultiPoint";
    case GEOS_MULTILINESTRING: return "MultiLineString";
    case GEOS_MULTIPOLYGON: return "MultiPolygon";
    case GEOS_GEOMETRYCOLLECTION: return "GeometryCollection";
    default: return "geometry of unknown type";
    }
}

int bzi_fail(bz_context *ctx, int code, const char *what)
{
    return code == BZI_E_NOMEM ? bzi_nomem(ctx, what) : bzi_geos_error(ctx, what);
}

/* Append g to the list (taking it); on failure g is destroyed. A NULL g is GEOS's failure. */
int bzi_geom_list_push(GEOSContextHandle_t h, bzi_geom_list *l, GEOSGeometry *g)
{
    if (!g)
        return BZI_E_GEOS;
    if (BZI_GROW(l->v, l->cap, l->n + 1)) {
        GEOSGeom_destroy_r(h, g);
        return BZI_E_NOMEM;
    }
    l->v[l->n++] = g;
    return 0;
}

void bzi_geom_list_clear(GEOSContextHandle_t h, bzi_geom_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        GEOSGeom_destroy_r(h, l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* A MultiPolygon made of the list's geometries (the list is emptied either way). */
GEOSGeometry *bzi_geom_list_to_multipolygon(GEOSContextHandle_t h, bzi_geom_list *l)
{
    GEOSGeometry *mp;
    if (l->n == 0)
        mp = GEOSGeom_createEmptyCollection_r(h, GEOS_MULTIPOLYGON);
    else
        mp = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, l->v, (unsigned)l->n);
    /* the collection owns the parts now, and GEOS freed them if it failed (geos_c.h) */
    free(l->v);
    memset(l, 0, sizeof *l);
    return mp;
}

int bzi_each_polygon(GEOSContextHandle_t h, const GEOSGeometry *g, bzi_polygon_fn visit, void *arg)
{
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_POLYGON)
        return GEOSisEmpty_r(h, g) ? 0 : visit(h, g, arg);
    if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; i++) {
            int e = bzi_each_polygon(h, GEOSGetGeometryN_r(h, g, i), visit, arg);
            if (e)
                return e;
        }
    }
    return 0;
}

/* bzi_polygon_fn: a clone of the polygon into the list. */
static int push_clone(GEOSContextHandle_t h, const GEOSGeometry *polygon, void *list)
{
    return bzi_geom_list_push(h, list, GEOSGeom_clone_r(h, polygon));
}

int bzi_multipolygon_of(GEOSContextHandle_t h, const GEOSGeometry *g, GEOSGeometry **out)
{
    bzi_geom_list l = {0};
    *out = NULL;
    int e = bzi_each_polygon(h, g, push_clone, &l);
    if (e) {
        bzi_geom_list_clear(h, &l);
        return e;
    }
    *out = bzi_geom_list_to_multipolygon(h, &l);
    return *out ? 0 : BZI_E_GEOS;
}

int bzi_multipolygon_take(GEOSContextHandle_t h, GEOSGeometry *g, GEOSGeometry **out)
{
    *out = NULL;
    if (!g)
        return BZI_E_GEOS;
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_MULTIPOLYGON) {
        *out = g;
        return 0;
    }
    if (t == GEOS_POLYGON && !GEOSisEmpty_r(h, g)) {
        GEOSGeometry *parts[1] = {g}; /* GEOS owns g from the call on, even when it fails */
        *out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, 1);
        return *out ? 0 : BZI_E_GEOS;
    }
    int e = bzi_multipolygon_of(h, g, out);
    GEOSGeom_destroy_r(h, g);
    return e;
}

int bzi_valid_multipolygon_h(GEOSContextHandle_t h, const GEOSGeometry *g, GEOSGeometry **out)
{
    GEOSGeometry *mp = NULL;
    int e = bzi_multipolygon_of(h, g, &mp);
    if (e)
        return e;
    char valid = GEOSisValid_r(h, mp);
    if (valid == 1) {
        *out = mp;
        return 0;
    }
    if (valid == 2) {
        GEOSGeom_destroy_r(h, mp);
        return BZI_E_GEOS;
    }
    /* Repair each polygon on its own, then merge: GEOSMakeValid of the whole MultiPolygon
     * would turn the overlap of two parts into a hole. */
    bzi_geom_list fixed = {0};
    int n = GEOSGetNumGeometries_r(h, mp);
    for (int i = 0; i < n && !e; i++)
        e = bzi_geom_list_push(h, &fixed, GEOSMakeValid_r(h, GEOSGetGeometryN_r(h, mp, i)));
    GEOSGeom_destroy_r(h, mp);
    GEOSGeometry *all =
        e ? NULL
          : GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, fixed.v, (unsigned)fixed.n);
    if (!all) {
        if (e)
            bzi_geom_list_clear(h, &fixed);
        else
            free(
                fixed
                    .v); /* GEOS owns the members from the call on, even when it fails (geos_c.h) */
        return e ? e : BZI_E_GEOS;
    }
    free(fixed.v);
    GEOSGeometry *merged = GEOSUnaryUnion_r(h, all);
    GEOSGeom_destroy_r(h, all);
    if (!merged)
        return BZI_E_GEOS;
    e = bzi_multipolygon_of(h, merged, out);
    GEOSGeom_destroy_r(h, merged);
    return e;
}

int bzi_valid_multipolygon(bz_context *ctx, const GEOSGeometry *g, const char *what,
                           GEOSGeometry **out)
{
    *out = NULL;
    int e = bzi_valid_multipolygon_h(ctx->geos, g, out);
    return e ? bzi_fail(ctx, e, what) : BZ_OK;
}

int bzi_ring_coords(GEOSContextHandle_t h, const GEOSGeometry *ring, bzi_coords *b, int *ccw)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned size = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &size))
        return BZI_E_GEOS;
    if (ccw) {
        char c = 0;
        if (!GEOSCoordSeq_isCCW_r(h, cs, &c))
            return BZI_E_GEOS;
        *ccw = c != 0;
    }
    if (BZI_GROW(b->v, b->cap, 2 * (size_t)size))
        return BZI_E_NOMEM;
    if (size && !GEOSCoordSeq_copyToBuffer_r(h, cs, b->v, 0, 0))
        return BZI_E_GEOS;
    b->n = 2 * (size_t)size;
    return 0;
}

typedef struct ring_walk {
    bzi_ring_fn visit;
    void *arg;
} ring_walk;

/* bzi_polygon_fn: every ring of one polygon, the exterior first. */
static int polygon_rings(GEOSContextHandle_t h, const GEOSGeometry *g, void *arg)
{
    const ring_walk *w = arg;
    int nh = GEOSGetNumInteriorRings_r(h, g);
    for (int r = -1; r < nh; r++) {
        const GEOSGeometry *ring =
            r < 0 ? GEOSGetExteriorRing_r(h, g) : GEOSGetInteriorRingN_r(h, g, r);
        int e = ring ? w->visit(h, ring, w->arg) : BZI_E_GEOS;
        if (e)
            return e;
    }
    return 0;
}

int bzi_each_ring(GEOSContextHandle_t h, const GEOSGeometry *g, bzi_ring_fn visit, void *arg)
{
    ring_walk w = {visit, arg};
    return bzi_each_polygon(h, g, polygon_rings, &w);
}

/* The one validity rule of the library's inputs (see core/polygon.h). */
int bzi_check_valid(bz_context *ctx, const GEOSGeometry *g, const char *what)
{
    GEOSContextHandle_t h = ctx->geos;
    char *reason = NULL;
    GEOSGeometry *where = NULL;
    char valid = GEOSisValidDetail_r(h, g, 0, &reason, &where);
    if (valid == 1)
        return BZ_OK;
    double lon = NAN, lat = NAN;
    if (where) {
        GEOSGeomGetX_r(h, where, &lon);
        GEOSGeomGetY_r(h, where, &lat);
        GEOSGeom_destroy_r(h, where);
    }
    int rc = valid == 0 ? bzi_error(ctx, BZ_ERR_GEOMETRY,
                                    "%s is not a valid polygon: %s at lon %.7f, lat %.7f (repair "
                                    "it, e.g. read it with make_valid)",
                                    what, reason ? reason : "invalid", lon, lat)
                        : bzi_geos_error(ctx, "checking a polygon's validity");
    if (reason)
        GEOSFree_r(h, reason);
    return rc;
}

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

double bzi_ring_width_bound_m(GEOSContextHandle_t h, const GEOSGeometry *ring)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n))
        return -1.0;
    /* The shoelace sum about the first vertex, not the origin: with raw coordinates each term
     * is ~lon·lat (2,000 square degrees at 82°E 27°N), whose rounding (1e-13) swamped the
     * area of a hole a few nanodegrees across and made it 29 m wide (seed 7 case 108: a
     * sliver hole left in a zone, then refused by the area check as ground the zone lost). */
    double area2 = 0, perim = 0, x0 = 0, y0 = 0, xf = 0, yf = 0;
    for (unsigned int i = 0; i < n; i++) {
        double x, y;
        if (!GEOSCoordSeq_getXY_r(h, cs, i, &x, &y))
            return -1.0;
        if (i == 0) {
            xf = x;
            yf = y;
        } else {
            area2 += (x0 - xf) * (y - yf) - (x - xf) * (y0 - yf);
            perim += hypot(x - x0, y - y0);
        }
        x0 = x;
        y0 = y;
    }
    /* a degree spans at most 111.7 km (of latitude, at the poles) */
    return perim > 0 ? fabs(area2) / perim * 111700.0 : 0.0;
}

/* Rebuild *buf without the holes drop_it picks; a polygon is rebuilt only when it loses one. */
int bzi_drop_holes(bz_context *ctx, GEOSGeometry **buf, bzi_hole_fn drop_it, void *arg,
                   const char *what)
{
    GEOSContextHandle_t h = ctx->geos;
    int npoly = GEOSGetNumGeometries_r(h, *buf);
    GEOSGeometry **polys = NULL;
    int changed = 0, rc = BZ_OK;
    for (int i = 0; i < npoly && rc == BZ_OK; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, *buf, i);
        int nh = GEOSGetNumInteriorRings_r(h, p);
        int keep = 0, drop = 0;
        const GEOSGeometry **kept = nh > 0 ? malloc((size_t)nh * sizeof *kept) : NULL;
        if (nh > 0 && !kept)
            rc = bzi_nomem(ctx, what);
        for (int k = 0; k < nh && rc == BZ_OK; k++) {
            const GEOSGeometry *ring = GEOSGetInteriorRingN_r(h, p, k);
            int f = ring ? drop_it(ctx, ring, arg) : bzi_geos_error(ctx, what);
            if (f < 0)
                rc = f;
            else if (f)
                drop++;
            else
                kept[keep++] = ring;
        }
        if (rc == BZ_OK && drop > 0) {
            if (!polys && !(polys = calloc((size_t)npoly, sizeof *polys)))
                rc = bzi_nomem(ctx, what);
            GEOSGeometry *shell =
                rc == BZ_OK ? GEOSGeom_clone_r(h, GEOSGetExteriorRing_r(h, p)) : NULL;
            GEOSGeometry **holes = keep ? malloc((size_t)keep * sizeof *holes) : NULL;
            int made = 0;
            for (int k = 0; k < keep && holes; k++)
                if ((holes[k] = GEOSGeom_clone_r(h, kept[k])) != NULL)
                    made++;
            if (rc == BZ_OK && shell && made == keep && (holes || keep == 0)) {
                /* GEOS owns shell and holes from here on, even when it fails */
                polys[i] = GEOSGeom_createPolygon_r(h, shell, holes, (unsigned)keep);
                if (!polys[i])
                    rc = bzi_geos_error(ctx, what);
                changed = 1;
            } else {
                if (shell)
                    GEOSGeom_destroy_r(h, shell);
                for (int k = 0; k < made; k++)
                    GEOSGeom_destroy_r(h, holes[k]);
                if (rc == BZ_OK)
                    rc = bzi_geos_error(ctx, what);
            }
            free(holes);
        }
        free(kept);
    }
    if (rc == BZ_OK && changed) {
        /* the rebuilt polygons, the others copied, in their order */
        bzi_geom_list all = {0};
        int e = 0;
        for (int i = 0; i < npoly && !e; i++) {
            GEOSGeometry *p =
                polys[i] ? polys[i] : GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, *buf, i));
            polys[i] = NULL;
            e = bzi_geom_list_push(h, &all, p);
        }
        GEOSGeometry *m = e ? NULL : bzi_geom_list_to_multipolygon(h, &all);
        if (e) {
            bzi_geom_list_clear(h, &all);
            rc = e == BZI_E_NOMEM ? bzi_nomem(ctx, what) : bzi_geos_error(ctx, what);
        } else if (!m) {
            rc = bzi_geos_error(ctx, what);
        } else {
            GEOSGeom_destroy_r(h, *buf);
            *buf = m;
        }
    }
    if (polys) {
        for (int i = 0; i < npoly; i++)
            if (polys[i])
                GEOSGeom_destroy_r(h, polys[i]);
        free(polys);
    }
    return rc;
}

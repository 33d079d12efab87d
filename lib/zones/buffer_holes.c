/* buffer_holes.c — the last step of the geodesic buffer (buffer.c): holes of the pieces' union
 * that the definition does not have are filled, each judged by the exact distance of a point
 * inside it. */
#include "zones/buffer_holes.h"
#include "core/context.h"
#include "core/geometry.h"
#include "core/polygon.h"

#include <math.h>
#include <stdlib.h>

/* 1 if the hole `ring` is one the definition does not have: a point inside it lies within
 * distance_m of the line (a true hole of the buffer is farther than that everywhere inside),
 * 0 if it is a true hole, negative on failure (status recorded in ctx). */
static int false_hole(bz_context *ctx, const bz_line *line, double distance_m,
                      const GEOSGeometry *ring)
{
    double lon = NAN, lat = NAN;
    if (!bzi_point_inside_ring(ctx->geos, ring, &lon, &lat))
        return bzi_geos_error(ctx, "finding a point inside a hole of the geodesic buffer");
    bz_nearest nr;
    int rc = bz_line_distance(&nr, ctx, line, lon, lat);
    if (rc)
        return rc;
    return nr.distance_m < distance_m;
}

/*
 * Fill the buffer's holes that the definition does not have. Pieces buffered in different
 * planes meet along edges that agree only to ~1e-9 degrees, and their union can leave slivers
 * (0.25-34 m², 4-5 vertices, measured on dense wiggly lines of 110,000 vertices at 5 km): every
 * point of such a hole is within the distance of the line, so by definition it is zone. Judged
 * by the exact distance of a point inside each hole; a polygon is rebuilt only when it loses a
 * hole. Snapping the union to a fixed precision (GEOSUnaryUnionPrec_r) would also close them, but
 * moves every vertex, and decides nothing by the definition.
 */
int bzi_fill_false_holes(bz_context *ctx, const bz_line *line, double distance_m,
                         GEOSGeometry **buf)
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
            rc = bzi_nomem(ctx, "checking the geodesic buffer's holes");
        for (int k = 0; k < nh && rc == BZ_OK; k++) {
            const GEOSGeometry *ring = GEOSGetInteriorRingN_r(h, p, k);
            int f = ring ? false_hole(ctx, line, distance_m, ring)
                         : bzi_geos_error(ctx, "reading a hole of the geodesic buffer");
            if (f < 0)
                rc = f;
            else if (f)
                drop++;
            else
                kept[keep++] = ring;
        }
        if (rc == BZ_OK && drop > 0) {
            if (!polys && !(polys = calloc((size_t)npoly, sizeof *polys)))
                rc = bzi_nomem(ctx, "filling the geodesic buffer's false holes");
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
                    rc = bzi_geos_error(ctx, "rebuilding a polygon of the geodesic buffer");
                changed = 1;
            } else {
                if (shell)
                    GEOSGeom_destroy_r(h, shell);
                for (int k = 0; k < made; k++)
                    GEOSGeom_destroy_r(h, holes[k]);
                if (rc == BZ_OK)
                    rc = bzi_geos_error(ctx, "copying the geodesic buffer's rings");
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
            rc = e == BZI_E_NOMEM ? bzi_nomem(ctx, "rebuilding the geodesic buffer")
                                  : bzi_geos_error(ctx, "copying a polygon of the geodesic buffer");
        } else if (!m) {
            rc = bzi_geos_error(ctx, "rebuilding the geodesic buffer");
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

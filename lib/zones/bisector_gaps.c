/*
 * bisector_gaps.c — the curves between a line's parts (bisector.c) come from a Voronoi diagram
 * of points sampled along the parts. Where the samples lie far apart against the parts'
 * spacing (lanes 45 m apart sampled every 200 m at d = 1 m, where the grounds must reach 1 km),
 * a stretch of the bisector of two parts can lie inside the cell of a single sample: no edge
 * of the diagram runs along it, the curves either side end on the bisector and stop, and the
 * faces either side of the gap merge into one that spans two parts' sides (seed 9 case 553 of
 * the oracle, with the lanes drawn in opposite directions: a 6 km part's whole 1 m zone on the
 * wrong side). A curve between parts ends only where it meets others, the line or the frame,
 * so an end that meets nothing within reach of the line is such a gap; its other side is the
 * nearest such end on the same bisector, and the two are joined along it.
 */
#include "zones/bisector_gaps.h"
#include "core/context.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define DEG_RAD (3.14159265358979323846 / 180.0)

typedef struct loose_end {
    double x, y;
    double dx, dy; /* the way its curves leave it (unit, east and north) */
    int k1, k2;    /* its two nearest parts, k1 < k2 */
    size_t partner;
} loose_end;

/* an end of a line of the united linework, and the way that line leaves it */
typedef struct line_end {
    double x, y, dx, dy;
} line_end;

static int cmp_end(const void *pa, const void *pb)
{
    const line_end *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return (a->y > b->y) - (a->y < b->y);
}

/* The curves (a MultiLineString, taken over: freed here) and the line's parts, united:
 * overlaps merged, every crossing a node. NULL on failure. */
static GEOSGeometry *united_linework(GEOSContextHandle_t h, const bz_line *line,
                                     GEOSGeometry *curves)
{
    size_t np = bz_line_num_parts(line);
    GEOSGeometry **g = malloc((np + 1) * sizeof *g);
    if (!g) {
        GEOSGeom_destroy_r(h, curves);
        return NULL;
    }
    size_t n = 0;
    int ok = 1;
    g[n++] = curves;
    for (size_t k = 0; k < np && ok; k++) {
        size_t npts = 0;
        const double *p = bz_line_part_coords(line, k, &npts);
        GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, p, (unsigned)npts, 0, 0);
        ok = cs && (g[n] = GEOSGeom_createLineString_r(h, cs)) != NULL && ++n;
    }
    GEOSGeometry *all = NULL, *u = NULL;
    if (ok)
        all = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, g, (unsigned)n);
    else
        for (size_t i = 0; i < n; i++)
            GEOSGeom_destroy_r(h, g[i]);
    free(g); /* the collection owns the lines, or GEOS freed them (geos_c.h) */
    if (all) {
        u = GEOSUnaryUnion_r(h, all);
        GEOSGeom_destroy_r(h, all);
    }
    return u;
}

/* The way from (x0, y0) to (x1, y1) as a unit vector east, north (lon scaled by cos lat). */
static void unit_way(double x0, double y0, double x1, double y1, double *dx, double *dy)
{
    double ex = (x1 - x0) * cos(0.5 * (y0 + y1) * DEG_RAD), ey = y1 - y0;
    double n = hypot(ex, ey);
    *dx = n > 0 ? ex / n : 0.0;
    *dy = n > 0 ? ey / n : 0.0;
}

/* The points where lines of the united linework u end and every line there leaves the same
 * way (any two within 90 degrees of each other): a curve that stops there, alone or beside a
 * twin a hair apart (two edges of the diagram refined onto the same stretch of one bisector
 * end at one point, side by side). Into *out (n of them) with the way the lines leave. 0, -1 if
 * memory ran out, -2 on a GEOS failure. */
static int stopping_ends(GEOSContextHandle_t h, const GEOSGeometry *u, line_end **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int nl = GEOSGetNumGeometries_r(h, u);
    if (nl < 0)
        return -2;
    line_end *e = malloc((2 * (size_t)nl + 1) * sizeof *e);
    if (!e)
        return -1;
    size_t m = 0;
    for (int i = 0; i < nl; i++) {
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, GEOSGetGeometryN_r(h, u, i));
        unsigned size = 0;
        if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &size)) {
            free(e);
            return -2;
        }
        if (size < 2)
            continue;
        double p[4][2];
        GEOSCoordSeq_getXY_r(h, cs, 0, &p[0][0], &p[0][1]);
        GEOSCoordSeq_getXY_r(h, cs, 1, &p[1][0], &p[1][1]);
        GEOSCoordSeq_getXY_r(h, cs, size - 2, &p[2][0], &p[2][1]);
        GEOSCoordSeq_getXY_r(h, cs, size - 1, &p[3][0], &p[3][1]);
        e[m] = (line_end){p[0][0], p[0][1], 0, 0};
        unit_way(p[0][0], p[0][1], p[1][0], p[1][1], &e[m].dx, &e[m].dy);
        e[m + 1] = (line_end){p[3][0], p[3][1], 0, 0};
        unit_way(p[3][0], p[3][1], p[2][0], p[2][1], &e[m + 1].dx, &e[m + 1].dy);
        m += 2;
    }
    qsort(e, m, sizeof *e, cmp_end);
    size_t k = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && e[j].x == e[i].x && e[j].y == e[i].y)
            j++;
        int one_way = 1;
        double sx = 0, sy = 0;
        for (size_t a = i; a < j; a++) {
            sx += e[a].dx;
            sy += e[a].dy;
            for (size_t b = a + 1; b < j && one_way; b++)
                one_way = e[a].dx * e[b].dx + e[a].dy * e[b].dy > 0;
        }
        double sn = hypot(sx, sy);
        if (one_way && sn > 0)
            e[k++] = (line_end){e[i].x, e[i].y, sx / sn, sy / sn};
        i = j;
    }
    *out = e;
    *n = k;
    return 0;
}

int bzi_close_curve_gaps(bzi_refiner *r, bzi_curve_set *curves, double max_gap_m)
{
    bz_context *ctx = r->ctx;
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *cg = NULL, *u = NULL;
    line_end *pts = NULL;
    loose_end *le = NULL;
    bzi_coords curve = {0};
    size_t npts = 0, nle = 0;
    int st = BZ_OK, e = bzi_curve_set_geometry(h, curves, &cg);
    if (!e) {
        u = united_linework(h, r->line, cg);
        cg = NULL; /* taken over */
        if (!u)
            e = -2;
    }
    if (!e)
        e = stopping_ends(h, u, &pts, &npts);
    if (e) {
        st = e == -1 ? bzi_nomem(ctx, "closing the gaps between the line's parts' curves")
                     : bzi_geos_error(ctx, "closing the gaps between the line's parts' curves");
        goto done;
    }
    if (npts < 2)
        goto done;
    if (!(le = malloc(npts * sizeof *le))) {
        st = bzi_nomem(ctx, "closing the gaps between the line's parts' curves");
        goto done;
    }
    /* the ends within reach of the line on the bisector of two parts (not on the line: the
     * ends of its parts), with those two parts */
    for (size_t i = 0; i < npts && !r->status; i++) {
        int k1 = -1, k2 = -1;
        double d1 = 0, d2 = 0;
        if (bzi_refine_two_nearest(r, pts[i].x, pts[i].y, &k1, &k2, &d1, &d2) || k2 < 0 ||
            !(d1 > 0) || !(d2 - d1 <= 1e-3 * d2 + 1e-3))
            continue;
        le[nle++] = (loose_end){pts[i].x,          pts[i].y,          pts[i].dx, pts[i].dy,
                                k1 < k2 ? k1 : k2, k1 < k2 ? k2 : k1, SIZE_MAX};
    }
    /* each one's nearest on the same bisector within max_gap_m, ahead of both (where their
     * curves would go on; and in the same longitude turn: a curve cut at the frame's seam ends
     * on both of its sides, 360 degrees apart) */
    for (size_t i = 0; i < nle && !r->status; i++) {
        double best = max_gap_m;
        for (size_t j = 0; j < nle; j++) {
            if (j == i || le[j].k1 != le[i].k1 || le[j].k2 != le[i].k2 ||
                fabs(le[j].x - le[i].x) > 90.0 || fabs(le[j].y - le[i].y) * 110000.0 > best)
                continue; /* (a degree of latitude is 110.6-111.7 km) */
            double wx, wy;
            unit_way(le[i].x, le[i].y, le[j].x, le[j].y, &wx, &wy);
            if (!(wx * le[i].dx + wy * le[i].dy < 0) || !(wx * le[j].dx + wy * le[j].dy > 0))
                continue; /* the curves at i or at j leave towards the other */
            double s = 0.0;
            geod_inverse(&ctx->geod, le[i].y, le[i].x, le[j].y, le[j].x, &s, NULL, NULL);
            if (s <= best) {
                best = s;
                le[i].partner = j;
            }
        }
    }
    for (size_t i = 0; i < nle && !r->status && !st; i++) {
        size_t j = le[i].partner;
        if (j == SIZE_MAX || j < i || le[j].partner != i)
            continue; /* no partner, not each other's nearest, or joined from j already */
        double p[2] = {le[i].x, le[i].y}, q[2] = {le[j].x, le[j].y};
        curve.n = 0;
        if (bzi_coords_push2(&curve, p[0], p[1]) ||
            bzi_refine_between(r, le[i].k1, le[i].k2, p, q, 0, &curve) ||
            bzi_coords_push2(&curve, q[0], q[1]) || bzi_curve_set_add(curves, &curve))
            st = r->status ? r->status
                           : bzi_nomem(ctx, "closing the gaps between the line's parts' curves");
    }
    if (!st && r->status)
        st = r->status;
done:
    if (st && !r->status)
        r->status = st;
    free(curve.v);
    free(le);
    free(pts);
    if (u)
        GEOSGeom_destroy_r(h, u);
    if (cg)
        GEOSGeom_destroy_r(h, cg);
    return st;
}

/*
 * buffer_outward.c — the outward check of a piece's planar buffer (buffer.c, step 4).
 *
 * GEOS simplifies its input line by D × 0.01 before offsetting, which can push the buffer's
 * edge outward. Every vertex and every edge of the buffer is checked against the exact planar
 * distance to the piece's own segments: a segment within the limit of both ends of an edge
 * proves the whole edge (the distance to a segment is convex along a straight edge), otherwise
 * the edge is bisected, at most MAX_BISECT times. Witnesses are searched outward from the
 * previous vertex's, since consecutive buffer vertices lie beside nearby segments.
 */
#include "zones/buffer_outward.h"
#include "zones/buffer_inward.h"
#include "core/context.h"

#include <stdint.h>

/* Deepest bisection of one buffer edge in the outward check. */
#define MAX_BISECT 24

static double seg_dist2(const double *px, const double *py, size_t j, double x, double y)
{
    return bzi_point_segment_dist2(x, y, px[j], py[j], px[j + 1], py[j + 1]);
}

/* A segment of the piece within sqrt(lim2) of (x, y), searched outward from `hint` (the witness
 * of the previous point: consecutive buffer vertices have nearby witnesses). SIZE_MAX if none. */
static size_t find_witness(const double *px, const double *py, size_t nseg, size_t hint, double x,
                           double y, double lim2)
{
    if (hint >= nseg)
        hint = nseg - 1;
    for (size_t k = 0; k < nseg; k++) {
        if (hint + k < nseg && seg_dist2(px, py, hint + k, x, y) <= lim2)
            return hint + k;
        if (k && k <= hint && seg_dist2(px, py, hint - k, x, y) <= lim2)
            return hint - k;
        if (hint + k >= nseg && k > hint)
            break;
    }
    return SIZE_MAX;
}

/* Is every point of the edge (x0,y0)–(x1,y1) within sqrt(lim2) of the piece? w0 / w1 are
 * witnesses of its ends. */
static int edge_ok(const double *px, const double *py, size_t nseg, double x0, double y0, size_t w0,
                   double x1, double y1, size_t w1, double lim2, int depth)
{
    if (seg_dist2(px, py, w0, x1, y1) <= lim2 || seg_dist2(px, py, w1, x0, y0) <= lim2)
        return 1;
    if (depth >= MAX_BISECT)
        return 0;
    double mx = 0.5 * (x0 + x1), my = 0.5 * (y0 + y1);
    size_t wm = find_witness(px, py, nseg, w0, mx, my, lim2);
    if (wm == SIZE_MAX)
        return 0;
    return edge_ok(px, py, nseg, x0, y0, w0, mx, my, wm, lim2, depth + 1) &&
           edge_ok(px, py, nseg, mx, my, wm, x1, y1, w1, lim2, depth + 1);
}

/* Check one ring of the planar buffer. Returns 1 when every point is within the limit. */
static int ring_ok(GEOSContextHandle_t h, const GEOSGeometry *ring, const double *px,
                   const double *py, size_t nseg, double lim2)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int m = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &m) || m == 0)
        return 0;
    double x0, y0, x1, y1;
    GEOSCoordSeq_getXY_r(h, cs, 0, &x0, &y0);
    size_t w0 = find_witness(px, py, nseg, 0, x0, y0, lim2);
    if (w0 == SIZE_MAX)
        return 0;
    for (unsigned int k = 1; k < m; k++) {
        GEOSCoordSeq_getXY_r(h, cs, k, &x1, &y1);
        size_t w1 = find_witness(px, py, nseg, w0, x1, y1, lim2);
        if (w1 == SIZE_MAX)
            return 0;
        if (!edge_ok(px, py, nseg, x0, y0, w0, x1, y1, w1, lim2, 0))
            return 0;
        x0 = x1;
        y0 = y1;
        w0 = w1;
    }
    return 1;
}

int bzi_buffer_outward_ok(GEOSContextHandle_t h, const GEOSGeometry *buf, const double *px,
                          const double *py, size_t npts, double limit)
{
    double lim2 = limit * limit;
    size_t nseg = npts - 1;
    int ng = GEOSGetNumGeometries_r(h, buf);
    if (ng < 0)
        return BZ_ERR_GEOS;
    for (int i = 0; i < ng; i++) {
        const GEOSGeometry *poly = GEOSGetGeometryN_r(h, buf, i);
        if (GEOSisEmpty_r(h, poly))
            continue;
        const GEOSGeometry *shell = GEOSGetExteriorRing_r(h, poly);
        if (!shell || !ring_ok(h, shell, px, py, nseg, lim2))
            return 0;
        int nh = GEOSGetNumInteriorRings_r(h, poly);
        for (int j = 0; j < nh; j++)
            if (!ring_ok(h, GEOSGetInteriorRingN_r(h, poly, j), px, py, nseg, lim2))
                return 0;
    }
    return 1;
}

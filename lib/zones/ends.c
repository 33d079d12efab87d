/* ends.c — continuing the contact line's open ends out of the frame it splits (sides.c, step 1):
 * along the end azimuth as a sampled geodesic until the frame is left, closed off at the nearest
 * point of the frame's edge (or of a curve between parts, where nearer) where that would run far
 * inland, and ended just past the first curve between parts (bisector.c) that it crosses; an
 * end shared with another part is not continued. The line's own segments are densified along
 * their geodesics on the way. */
#include "zones/ends.h"
#include "geo/geodesic.h"
#include "geo/line.h"

#include <math.h>
#include <stdlib.h>

/* Spacing of the samples of a continued end. */
#define EXT_STEP_M 500.0
/* Never continue an end farther than once round the Earth. */
#define EXT_MAX_M 4.0e7
/* Inside a region a continuation may run this many times the end's distance to the edge. */
#define EDGE_FACTOR 2.0
/* Longest chord kept of a line segment: a geodesic's chord this long strays ~1 cm (at 70°N). */
#define DENSIFY_M 500.0

/* 1 if g (taken; NULL is a failed GEOS call) meets the prepared geometry, 0 if not, -1 on
 * failure. */
static int meets(GEOSContextHandle_t h, const GEOSPreparedGeometry *prep, GEOSGeometry *g)
{
    if (!g)
        return -1;
    char r = GEOSPreparedIntersects_r(h, prep, g);
    GEOSGeom_destroy_r(h, g);
    return r == 2 ? -1 : r;
}

/* 1 if (x, y) lies in the frame or on its edge, 0 if not, -1 on failure. */
static int in_frame(GEOSContextHandle_t h, const GEOSPreparedGeometry *frame, double x, double y)
{
    return meets(h, frame, GEOSGeom_createPointFromXY_r(h, x, y));
}

/* 1 if the chord p-q meets a curve between parts, 0 if not, -1 on failure. */
static int chord_cuts(GEOSContextHandle_t h, const GEOSPreparedGeometry *cuts, const double *p,
                      const double *q)
{
    const double xy[4] = {p[0], p[1], q[0], q[1]};
    GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, xy, 2, 0, 0);
    return meets(h, cuts, cs ? GEOSGeom_createLineString_r(h, cs) : NULL);
}

/* The chord p-q meets a curve between parts: *end receives the point 1 m (at most the chord)
 * past the first meeting (found by halving, to 1e-3 of the chord). 0, or -1 on failure. */
static int past_first_cut(GEOSContextHandle_t h, const GEOSPreparedGeometry *cuts, const double *p,
                          const double *q, double len_m, double *end)
{
    double lo = 0.0, hi = 1.0;
    while (hi - lo > 1e-3) {
        double t = 0.5 * (lo + hi), m[2] = {p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])};
        int r = chord_cuts(h, cuts, p, m);
        if (r < 0)
            return -1;
        if (r)
            hi = t;
        else
            lo = t;
    }
    double t = fmin(1.0, hi + (len_m > 0 ? 1.0 / len_m : 1.0));
    end[0] = p[0] + t * (q[0] - p[0]);
    end[1] = p[1] + t * (q[1] - p[1]);
    return 0;
}

/* Geodesic distance and azimuth from (lon, lat) to the nearest point of the frame's edge, or
 * with `cuts` of the curves between parts (the nearest in lon/lat degrees: a bound within a
 * factor 1/cos(lat), enough for the uses here). */
static int edge_distance(bz_context *ctx, const GEOSGeometry *edge,
                         const GEOSPreparedGeometry *cuts, double lon, double lat, double *dist_m,
                         double *azi)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(h, lon, lat);
    GEOSCoordSequence *near = !p     ? NULL
                              : cuts ? GEOSPreparedNearestPoints_r(h, cuts, p)
                                     : GEOSNearestPoints_r(h, edge, p);
    if (p)
        GEOSGeom_destroy_r(h, p);
    double qlon, qlat;
    if (!near || !GEOSCoordSeq_getXY_r(h, near, 0, &qlon, &qlat)) {
        if (near)
            GEOSCoordSeq_destroy_r(h, near);
        return bzi_geos_error(ctx, cuts ? "finding the nearest curve between the line's parts"
                                        : "finding the nearest point of the region's edge");
    }
    GEOSCoordSeq_destroy_r(h, near);
    double azi1, azi2;
    geod_inverse(&ctx->geod, lat, lon, qlat, qlon, dist_m, &azi1, &azi2);
    if (azi)
        *azi = azi1;
    return BZ_OK;
}

/* Append samples of the geodesic from (lon, lat) along azi, at distances step, 2 step, ... up
 * to `len` (its end included), longitudes continuous with `lon`. */
static int push_geodesic(const struct geod_geodesic *g, double lon, double lat, double azi,
                         double len, bzi_coords *out)
{
    double prev = lon, here = lat;
    for (double s = bzi_lonlat_edge_m(lat, EXT_STEP_M);; s += bzi_lonlat_edge_m(here, EXT_STEP_M)) {
        double d = s < len ? s : len, lat2, lon2;
        geod_direct(g, lat, lon, azi, d, &lat2, &lon2, NULL);
        lon2 += 360.0 * round((prev - lon2) / 360.0);
        prev = lon2;
        here = lat2;
        if (bzi_coords_push2(out, lon2, lat2))
            return -1;
        if (d >= len)
            return 0;
    }
}

/*
 * Continue the line beyond the end vertex (lon, lat) along azimuth azi: append samples every
 * EXT_STEP_M up to and including the first one outside the frame. Inside a region it runs along
 * the end direction for at most the larger of c->max_m (the zones' reach) and EDGE_FACTOR times
 * the end's distance to the region's edge; a continuation still inside then takes the shortest
 * way to the edge (and 100 m past it). So a line ending in open country is continued straight to
 * the edge ahead, while a line ending near the edge but pointing inland (as a derived front does
 * where it touches the border) is closed off there instead of cutting the whole region in two.
 * Nothing is appended when the end vertex lies outside the frame.
 */
static int continue_end(bz_context *ctx, const bzi_continuation *c, double lon, double lat,
                        double azi, bzi_coords *out)
{
    GEOSContextHandle_t h = ctx->geos;
    int in = in_frame(h, c->frame, lon, lat);
    if (in < 0)
        return bzi_geos_error(ctx, "testing a line end against the frame");
    double max_m = c->max_m;
    if (in && isfinite(max_m)) {
        double d_edge = 0;
        int st = edge_distance(ctx, c->edge, NULL, lon, lat, &d_edge, NULL);
        if (st)
            return st;
        max_m = fmax(max_m, EDGE_FACTOR * d_edge);
    }
    /* A part of several that ends outside the region is continued all the same, as far as the
     * zones reach: in the region its cell still needs its own end direction to divide it
     * (seed 1 case 121 of the oracle: a part wholly outside a strip, the nearest part of the
     * ground beside the strip's end). It stops at the first curve between parts, or where it
     * leaves the region again. */
    int outside_start = !in && c->cuts && isfinite(max_m), entered = in;
    double prev = lon, plon = lon, plat = lat, last_s = 0.0;
    for (double s = bzi_lonlat_edge_m(lat, EXT_STEP_M);
         (in || (outside_start && !entered)) && s <= fmin(max_m, EXT_MAX_M);
         s += bzi_lonlat_edge_m(plat, EXT_STEP_M)) {
        const double from[2] = {plon, plat};
        geod_direct(&ctx->geod, lat, lon, azi, s, &plat, &plon, NULL);
        plon += 360.0 * round((prev - plon) / 360.0);
        prev = plon;
        if (c->cuts) {
            /* Past the curve between this part and the next, another part is nearer: the
             * faces there vote by that part's segments alone, so the continuation has divided
             * its own part's ground once it crosses the curve. Running on would only lay more
             * linework over the other parts (in a lane of collinear parts, over them and each
             * other's continuations, which GEOS's noding took minutes over: seed 1 cases 20,
             * 44 and 69 of the oracle). */
            const double to[2] = {plon, plat};
            int r = chord_cuts(h, c->cuts, from, to);
            double end[2];
            if (r > 0)
                r = past_first_cut(h, c->cuts, from, to, s - last_s, end) ? -1 : 2;
            if (r < 0)
                return bzi_geos_error(ctx, "continuing the line's ends to the parts' curves");
            if (r == 2)
                return bzi_coords_push2(out, end[0], end[1])
                           ? bzi_nomem(ctx, "continuing the line's ends")
                           : BZ_OK;
        }
        last_s = s;
        if (bzi_coords_push2(out, plon, plat))
            return bzi_nomem(ctx, "continuing the line's ends");
        in = in_frame(h, c->frame, plon, plat);
        if (in < 0)
            return bzi_geos_error(ctx, "testing a line end against the frame");
        entered |= in;
    }
    if (!in)
        return BZ_OK;
    /* Close it off: the nearest point of the frame's edge, and 100 m beyond; with several
     * parts the nearest curve between parts (and 1 m beyond) where that is nearer. The part's
     * ground ends there as it does at the edge, and an end continued to within 50 m of the
     * curve ahead of it turned back to an edge behind it instead, along itself, leaving the
     * ground on both of its hands one face (seed 4 cases 901 and 1836 of the oracle). */
    double s12, azi1, past = 100.0;
    int st = edge_distance(ctx, c->edge, NULL, plon, plat, &s12, &azi1);
    if (!st && c->cuts && c->any_cut) {
        double s_cut, azi_cut;
        st = edge_distance(ctx, NULL, c->cuts, plon, plat, &s_cut, &azi_cut);
        if (!st && s_cut < s12) {
            s12 = s_cut;
            azi1 = azi_cut;
            past = 1.0;
        }
    }
    if (st)
        return st;
    if (push_geodesic(&ctx->geod, plon, plat, azi1, s12 + past, out))
        return bzi_nomem(ctx, "continuing the line's ends");
    return BZ_OK;
}

/* The points strictly between a and b on the geodesic a -> b, every DENSIFY_M at most (less
 * near the poles, bzi_lonlat_edge_m): GEOS cuts along straight lon/lat chords, and a 60 km chord
 * at 60°N strays ~130 m from the geodesic that the line's segment is. */
static int densify_segment(const struct geod_geodesic *g, const double *a, bzi_coords *out)
{
    /* Most segments of a detailed line are far shorter than DENSIFY_M: a degree is at most
     * 111.7 km on the ellipsoid, so this bound spares them the geodesic computation. */
    double limit = bzi_lonlat_edge_m(fmax(fabs(a[1]), fabs(a[3])), DENSIFY_M);
    double bound = 111700.0 * hypot(a[2] - a[0], a[3] - a[1]);
    if (bound <= limit)
        return 0;
    double s12, azi1, azi2;
    geod_inverse(g, a[1], a[0], a[3], a[2], &s12, &azi1, &azi2);
    if (!(s12 > limit))
        return 0;
    size_t k = (size_t)ceil(s12 / limit);
    for (size_t j = 1; j < k; j++) {
        double lat, lon;
        geod_direct(g, a[1], a[0], azi1, s12 * (double)j / (double)k, &lat, &lon, NULL);
        lon += 360.0 * round((a[0] - lon) / 360.0);
        if (bzi_coords_push2(out, lon, lat))
            return -1;
    }
    return 0;
}

int bzi_continued_part(bz_context *ctx, const bz_line *line, size_t k,
                       const bzi_continuation *frame, bzi_coords *out)
{
    size_t n = 0;
    const double *p = bz_line_part_coords(line, k, &n);
    out->n = 0;
    int closed = n > 2 && p[0] == p[2 * n - 2] && p[1] == p[2 * n - 1];
    /* An end shared with another part is not continued: a point whose nearest point of this
     * part is that end is as near the other part, so it lies on the curve between the two
     * (which passes through the end) or in the other part's cell, where this part's edges do
     * not vote. A continuation from there starts on that curve, where whether a chord touches
     * it is a rounding error: unstopped, it ran through the other part's cell to the region's
     * edge (two parts meeting head to head, tests/test_multipart.c). */
    int head_shared = !closed && bzi_line_end_of_other(line, k, p[0], p[1]);
    int tail_shared = !closed && bzi_line_end_of_other(line, k, p[2 * n - 2], p[2 * n - 1]);
    bzi_coords head = {0};
    if (!closed && !head_shared) {
        double s12, azi1, azi2;
        /* the direction at the first vertex pointing away from the second */
        geod_inverse(&ctx->geod, p[3], p[2], p[1], p[0], &s12, &azi1, &azi2);
        int st = continue_end(ctx, frame, p[0], p[1], azi2, &head);
        if (st) {
            free(head.v);
            return st;
        }
    }
    for (size_t i = head.n; i >= 2; i -= 2)
        if (bzi_coords_push2(out, head.v[i - 2], head.v[i - 1]))
            goto nomem;
    free(head.v);
    head.v = NULL;
    for (size_t i = 0; i < n; i++) {
        if (bzi_coords_push2(out, p[2 * i], p[2 * i + 1]))
            goto nomem;
        if (i + 1 < n && densify_segment(&ctx->geod, p + 2 * i, out))
            goto nomem;
    }
    if (!closed && !tail_shared) {
        double s12, azi1, azi2;
        const double *a = p + 2 * (n - 2);
        geod_inverse(&ctx->geod, a[1], a[0], a[3], a[2], &s12, &azi1, &azi2);
        return continue_end(ctx, frame, a[2], a[3], azi2, out);
    }
    return BZ_OK;
nomem:
    free(head.v);
    return bzi_nomem(ctx, "continuing the line's ends");
}

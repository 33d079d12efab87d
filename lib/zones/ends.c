/* ends.c — continuing the contact line's open ends out of the frame it splits (sides.c, step 1):
 * along the end azimuth as a sampled geodesic as long as the end is the nearest point of the
 * line, then along the divide where the sides meet (divide.c; only where the line curls back
 * ahead of its end), until the frame is left; closed off at the nearest point of the frame's
 * edge (or of a curve between parts, where nearer) where that would run far inland, and ended
 * just past the first curve between parts (bisector.c) that it crosses; an end shared with
 * another part is not continued. The line's own segments are densified along their geodesics
 * on the way. */
#include "zones/ends.h"
#include "zones/divide.h"
#include "core/progress.h"
#include "geo/distance.h"
#include "geo/geodesic.h"
#include "geo/line.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Spacing of the samples of a continued end. */
#define EXT_STEP_M 500.0
/* Never continue an end farther than once round the Earth. */
#define EXT_MAX_M 4.0e7
/* Inside a region a continuation may run this many times the end's distance to the edge. */
#define EDGE_FACTOR 2.0
/* How far a chord of a divide (divide.c) may stray from it: 0.2 m (as the curves between parts,
 * bisector.c), 2e-6 of the reach beyond 100 km (2 m at 999 km, 1/50 of the accuracy bound). */
#define DIVIDE_TOL_M 0.2
#define DIVIDE_TOL_REL 2e-6
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

static int extend_geodesic(bz_context *ctx, const bzi_continuation *c, const double *p, double azi,
                           double len_m, bzi_coords *out, int *done, int *entered);

/* 1 if every sample of the continuation from out->v[i0] (a lon, i0 even) on lies beyond the zones'
 * reach of the line, 0 if one comes within it, -1 on failure (recorded in ctx). */
static int beyond_reach(bz_context *ctx, const bzi_continuation *c, const bzi_coords *out,
                        size_t i0)
{
    size_t hint = SIZE_MAX;
    for (size_t i = i0; i + 1 < out->n; i += 2) {
        double d = 0.0;
        if (bzi_line_distance_below(ctx, c->line, out->v[i], out->v[i + 1], &hint, c->reach_m, &d))
            return -1;
        if (d < c->reach_m)
            return 0;
    }
    return 1;
}

/* Close a continuation still inside the frame at (lon, lat) off: the nearest point of the
 * frame's edge, and 100 m beyond; with several parts the nearest curve between parts (and 1 m
 * beyond) where that is nearer. The part's ground ends there as it does at the edge, and an end
 * continued to within 50 m of the curve ahead of it turned back to an edge behind it instead,
 * along itself, leaving the ground on both of its hands one face (seed 4 cases 901 and 1836 of
 * the oracle).
 * Where that way back comes within the zones' reach of the line (an end a kilometre inside the
 * region pointing inland: the nearest edge is behind it) it would cut the end's own round cap
 * (seed 8 case 525 of the oracle: 141 km² beyond side A's 5 km given to side B's 10 km); the
 * continuation then runs on along `azi` (its azimuth here; NAN: unknown) out of the frame, or
 * to the first curve between parts, if that way stays beyond the reach. */
static int close_off(bz_context *ctx, const bzi_continuation *c, double lon, double lat, double azi,
                     bzi_coords *out)
{
    double s12, azi1, past = 100.0;
    int st = edge_distance(ctx, c->edge, NULL, lon, lat, &s12, &azi1);
    if (!st && c->cuts && c->any_cut) {
        double s_cut, azi_cut;
        st = edge_distance(ctx, NULL, c->cuts, lon, lat, &s_cut, &azi_cut);
        if (!st && s_cut < s12) {
            s12 = s_cut;
            azi1 = azi_cut;
            past = 1.0;
        }
    }
    if (st)
        return st;
    size_t n0 = out->n;
    if (push_geodesic(&ctx->geod, lon, lat, azi1, s12 + past, out))
        return bzi_nomem(ctx, "continuing the line's ends");
    if (!c->line || !isfinite(azi) || !(c->reach_m > 0))
        return BZ_OK;
    size_t hint = SIZE_MAX;
    double d_here = 0.0;
    if (bzi_line_distance_below(ctx, c->line, lon, lat, &hint, c->reach_m, &d_here))
        return ctx->status;
    int clear = d_here < c->reach_m ? 1 : beyond_reach(ctx, c, out, n0);
    if (clear != 0)
        return clear < 0 ? ctx->status : BZ_OK; /* (within reach already: nothing is better) */
    out->n = n0;
    int done = 0;
    const double p[2] = {lon, lat};
    st = extend_geodesic(ctx, c, p, azi, EXT_MAX_M, out, &done, NULL);
    if (st)
        return st;
    clear = done ? beyond_reach(ctx, c, out, n0) : 0;
    if (clear != 0)
        return clear < 0 ? ctx->status : BZ_OK;
    /* straight on is no better: the way back after all */
    out->n = n0;
    if (push_geodesic(&ctx->geod, lon, lat, azi1, s12 + past, out))
        return bzi_nomem(ctx, "continuing the line's ends");
    return BZ_OK;
}

/*
 * The next sample `to` of a continuation after `from` (len_m apart along it): appended, and *in
 * set to whether it lies in the frame; or, when the chord from-to crosses a curve between parts
 * (c->cuts), the point just past the first crossing appended instead and *cut set. Past the
 * curve between this part and the next, another part is nearer: the faces there vote by that
 * part's segments alone, so the continuation has divided its own part's ground once it crosses
 * the curve. Running on would only lay more linework over the other parts (in a lane of
 * collinear parts, over them and each other's continuations, which GEOS's noding took minutes
 * over: seed 1 cases 20, 44 and 69 of the oracle).
 */
static int extend(bz_context *ctx, const bzi_continuation *c, const double *from, const double *to,
                  double len_m, bzi_coords *out, int *in, int *cut)
{
    GEOSContextHandle_t h = ctx->geos;
    *cut = 0;
    if (c->cuts) {
        int r = chord_cuts(h, c->cuts, from, to);
        double end[2];
        if (r > 0)
            r = past_first_cut(h, c->cuts, from, to, len_m, end) ? -1 : 2;
        if (r < 0)
            return bzi_geos_error(ctx, "continuing the line's ends to the parts' curves");
        if (r == 2) {
            *cut = 1;
            return bzi_coords_push2(out, end[0], end[1])
                       ? bzi_nomem(ctx, "continuing the line's ends")
                       : BZ_OK;
        }
    }
    if (bzi_coords_push2(out, to[0], to[1]))
        return bzi_nomem(ctx, "continuing the line's ends");
    *in = in_frame(h, c->frame, to[0], to[1]);
    return *in < 0 ? bzi_geos_error(ctx, "testing a line end against the frame") : BZ_OK;
}

/* The geodesic from p (continuous longitudes) along azi for len_m, sampled every EXT_STEP_M
 * (less near the poles) through extend(); *done = 1 when the continuation ended on the way: it
 * crossed a curve between parts, or it left the frame. `entered` is NULL for a continuation
 * that started in the frame; for one that started outside (continue_end) it says whether it has
 * been in the frame yet, and only leaving after that ends it. */
static int extend_geodesic(bz_context *ctx, const bzi_continuation *c, const double *p, double azi,
                           double len_m, bzi_coords *out, int *done, int *entered)
{
    double prev[2] = {p[0], p[1]}, last = 0.0;
    *done = 0;
    for (double s = fmin(len_m, bzi_lonlat_edge_m(p[1], EXT_STEP_M));;
         s = fmin(len_m, s + bzi_lonlat_edge_m(prev[1], EXT_STEP_M))) {
        double q[2], lat, lon;
        geod_direct(&ctx->geod, p[1], p[0], azi, s, &lat, &lon, NULL);
        q[0] = lon + 360.0 * round((prev[0] - lon) / 360.0);
        q[1] = lat;
        int in = 1, cut = 0;
        int st = extend(ctx, c, prev, q, s - last, out, &in, &cut);
        if (st || cut || (!in && (!entered || *entered))) {
            *done = 1;
            return st;
        }
        if (entered && in)
            *entered = 1;
        prev[0] = q[0];
        prev[1] = q[1];
        last = s;
        if (s >= len_m)
            return BZ_OK;
    }
}

/* Longest a divide is followed, in steps. */
#define DIVIDE_MAX_STEPS 20000

/*
 * From x (continuous longitudes, heading azi, dist_m from the line, `run_m` along the
 * continuation so far) on, the continuation follows the divide (divide.c): to where it leaves
 * the frame, crosses a curve between parts (c->cuts), or comes back to the line (at the other
 * end of a part curled round into a ring: *joined = 1, that end then needs no continuation of
 * its own). Where another part's ground begins (or the divide is lost) it runs on straight
 * until it crosses a curve between parts or leaves the frame; past the region's limit
 * (max_m) it is closed off at the nearest point of the frame's edge.
 */
static int follow_divide(bz_context *ctx, const bzi_continuation *c, bzi_divide *dv,
                         const double *x, double azi, double dist_m, double run_m, double max_m,
                         bzi_coords *out, int *joined, int *entered)
{
    double p[2] = {x[0], x[1]}, h = 0.25 * dist_m;
    for (int n = 0; n < DIVIDE_MAX_STEPS && run_m <= fmin(max_m, EXT_MAX_M); n++) {
        double q[2], azi_q = 0, dist_q = 0, s12, a1, a2;
        int how = 0, done = 0;
        int st = n % 64 == 63 ? bzi_progress_poll(ctx, 0.1) : BZ_OK; /* a zone computation's */
        if (!st)
            st = bzi_divide_step(dv, p, azi, dist_m, &h, q, &azi_q, &dist_q, &how);
        if (st)
            return st;
        if (how != BZI_DIVIDE_STEP) {
            /* straight on, as a continuation of old: to the curve between parts ahead */
            double rest = fmin(max_m, EXT_MAX_M) - run_m;
            st = extend_geodesic(ctx, c, p, azi, rest, out, &done, entered);
            if (st || done)
                return st;
            p[0] = out->v[out->n - 2];
            p[1] = out->v[out->n - 1];
            run_m += rest;
            break;
        }
        geod_inverse(&ctx->geod, p[1], p[0], q[1], q[0], &s12, &a1, &a2);
        st = extend_geodesic(ctx, c, p, a1, s12, out, &done, entered);
        if (st || done)
            return st;
        /* the chord's last sample is q itself, to rounding */
        out->v[out->n - 2] = q[0];
        out->v[out->n - 1] = q[1];
        run_m += s12;
        if (dist_q <= dv->tol_m) {
            /* back at the line: the divide ends on it (at the part's other end, for a part
             * curled round into a ring) */
            bz_nearest nr;
            size_t n_part = 0;
            const double *v = bz_line_part_coords(dv->line, dv->part, &n_part);
            st = bz_line_distance(&nr, ctx, dv->line, q[0], q[1]);
            if (st)
                return st;
            double foot[2] = {nr.lon + 360.0 * round((q[0] - nr.lon) / 360.0), nr.lat};
            const double *far_end = dv->sigma > 0 ? v : v + 2 * (n_part - 1);
            double s_end = 0, t1, t2;
            geod_inverse(&ctx->geod, foot[1], foot[0], far_end[1], far_end[0], &s_end, &t1, &t2);
            if (nr.part == dv->part && s_end <= dv->tol_m) {
                foot[0] = far_end[0] + 360.0 * round((q[0] - far_end[0]) / 360.0);
                foot[1] = far_end[1];
                *joined = 1;
            }
            return bzi_coords_push2(out, foot[0], foot[1])
                       ? bzi_nomem(ctx, "continuing the line's ends")
                       : BZ_OK;
        }
        p[0] = q[0];
        p[1] = q[1];
        azi = azi_q;
        dist_m = dist_q;
    }
    return close_off(ctx, c, p[0], p[1], azi, out);
}

/*
 * The continuation from the end e (continuous longitudes) along azi is the end's own (the end is
 * the nearest point of the line to it) up to distance a0 and not at b; the output holds n_a
 * points, the last the continuation's sample at a0 (none of the continuation when a0 = 0). The
 * point X where it stops being the end's is found by halving, the output cut back to n_a points
 * and sampled on to X, and the divide followed from there (follow_divide).
 */
static int turn_off(bz_context *ctx, const bzi_continuation *c, bzi_divide *dv, const double *e,
                    double azi, double a0, double b, size_t n_a, double max_m, bzi_coords *out,
                    int *joined, int *entered)
{
    double a = a0, p0[2] = {e[0], e[1]}, az0 = azi, x[2], ax = azi, lat, lon;
    while (b - a > fmax(dv->tol_m, 1e-9 * b)) {
        double m = 0.5 * (a + b);
        int past = 0;
        geod_direct(&ctx->geod, e[1], e[0], azi, m, &lat, &lon, NULL);
        int st = bzi_divide_past_end(dv, lon, lat, m, &past);
        if (st)
            return st;
        if (past)
            b = m;
        else
            a = m;
    }
    out->n = n_a;
    if (a0 > 0) {
        p0[0] = out->v[n_a - 2];
        p0[1] = out->v[n_a - 1];
        geod_direct(&ctx->geod, e[1], e[0], azi, a0, &lat, &lon, &az0);
    }
    int done = 0, st = BZ_OK;
    if (a > a0)
        st = extend_geodesic(ctx, c, p0, az0, a - a0, out, &done, entered);
    if (st || done)
        return st;
    /* X is the last point laid; with nothing laid (X at the end itself) it is p0 */
    x[0] = out->n >= 2 ? out->v[out->n - 2] : p0[0];
    x[1] = out->n >= 2 ? out->v[out->n - 1] : p0[1];
    geod_direct(&ctx->geod, e[1], e[0], azi, a, &lat, &lon, &ax);
    return follow_divide(ctx, c, dv, x, ax, a, a, max_m, out, joined, entered);
}

/* With a divide to follow, the end's continuation is asked whether the end is still its nearest
 * point every CHECK_FRAC of its length (at least every EXT_STEP_M): the points whose nearest
 * point is the end are a star round it (every geodesic from the end to one of them holds only
 * such points), so on the continuation they end at a single point X, found by halving. */
#define CHECK_FRAC 0.25

/*
 * Continue the line beyond the end vertex (lon, lat) along azimuth azi: append samples every
 * EXT_STEP_M up to and including the first one outside the frame. Inside a region it runs along
 * the end direction for at most the larger of c->max_m (the zones' reach) and EDGE_FACTOR times
 * the end's distance to the region's edge; a continuation still inside then takes the shortest
 * way to the edge (and 100 m past it). So a line ending in open country is continued straight to
 * the edge ahead, while a line ending near the edge but pointing inland (as a derived front does
 * where it touches the border) is closed off there instead of cutting the whole region in two.
 * An end outside the frame is continued as far as the zones reach, and only until it has
 * entered the frame and left it again.
 * With dv (a part of three vertices or more) the continuation runs straight only as long as the
 * end is its nearest point of the line: where the part curls back ahead of the end, it turns off
 * along the divide (turn_off).
 */
static int continue_end(bz_context *ctx, const bzi_continuation *c, bzi_divide *dv, double lon,
                        double lat, double azi, bzi_coords *out, int *joined)
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
    /* An end outside the region is continued all the same, as far as the zones reach: the
     * ground whose nearest point is that end may lie in the region, and the end direction
     * divides it (seed 1 case 121 of the oracle: a part wholly outside a strip, the nearest part
     * of the ground beside the strip's end; seed 5 case 1149: a wiggly line leaving a box 6 km
     * before its end, whose last segment points back into it, 2,259 km² on the wrong side at
     * 100 km). It stops at the first curve between parts, or where it leaves the region
     * again. */
    int outside_start = !in && isfinite(max_m), entered = in, past = 0, st = BZ_OK;
    const double e[2] = {lon, lat};
    double prev = lon, plon = lon, plat = lat, last_s = 0.0;
    double checked = 0.0, next_check = 0.0; /* the end's own up to `checked` */
    size_t n_checked = out->n;
    for (double s = bzi_lonlat_edge_m(lat, EXT_STEP_M);
         (in || (outside_start && !entered)) && s <= fmin(max_m, EXT_MAX_M);
         s += bzi_lonlat_edge_m(plat, EXT_STEP_M)) {
        const double from[2] = {plon, plat};
        geod_direct(&ctx->geod, lat, lon, azi, s, &plat, &plon, NULL);
        plon += 360.0 * round((prev - plon) / 360.0);
        prev = plon;
        int was_in = in, cut = 0;
        if (dv && (in || outside_start) && s >= next_check) {
            if ((st = bzi_divide_past_end(dv, plon, plat, s, &past)))
                return st;
            if (past)
                return turn_off(ctx, c, dv, e, azi, checked, s, n_checked, max_m, out, joined,
                                outside_start ? &entered : NULL);
            checked = s;
            next_check = s + fmax(EXT_STEP_M, CHECK_FRAC * s);
        }
        const double to[2] = {plon, plat};
        if ((st = extend(ctx, c, from, to, s - last_s, out, &in, &cut)))
            return st;
        if (checked == s)
            n_checked = out->n;
        /* where it ends, the stretch since the last question is asked about too */
        if ((cut || !in) && dv && was_in && checked < s) {
            if ((st = bzi_divide_past_end(dv, plon, plat, s, &past)))
                return st;
            if (past)
                return turn_off(ctx, c, dv, e, azi, checked, s, n_checked, max_m, out, joined,
                                outside_start ? &entered : NULL);
        }
        if (cut)
            return BZ_OK;
        last_s = s;
        entered |= in;
    }
    if (!in)
        return BZ_OK;
    if (dv && checked < last_s) {
        if ((st = bzi_divide_past_end(dv, plon, plat, last_s, &past)))
            return st;
        if (past)
            return turn_off(ctx, c, dv, e, azi, checked, last_s, n_checked, max_m, out, joined,
                            outside_start ? &entered : NULL);
    }
    double azi_here = NAN, lat_here, lon_here;
    geod_direct(&ctx->geod, lat, lon, azi, last_s, &lat_here, &lon_here, &azi_here);
    return close_off(ctx, c, plon, plat, azi_here, out);
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

/* What tracing a divide needs at end `sigma` (+1 the last, -1 the first) of part k, or NULL for
 * a part of two vertices (a geodesic segment never curls back). */
static bzi_divide *divide_for(bzi_divide *dv, bz_context *ctx, const bz_line *line, size_t k,
                              size_t n, const bzi_continuation *c, int sigma)
{
    if (n < 3)
        return NULL;
    dv->ctx = ctx;
    dv->line = line;
    dv->part = k;
    dv->sigma = sigma;
    dv->reach_m = c->reach_m;
    dv->tol_m = fmax(DIVIDE_TOL_M, DIVIDE_TOL_REL * c->reach_m);
    dv->hint = SIZE_MAX;
    dv->turn_deg = dv->turn_h = 0.0;
    return dv;
}

/*
 * A ring round a pole (stored with unwrapped longitudes, so it ends a turn east or west of its
 * start) is continued by itself: beyond its last vertex it goes on as its own first vertices
 * moved by the turn (sigma +1), before its first vertex as its last ones moved back (sigma -1),
 * as far as the frame's longitudes reach and one vertex beyond. Within the frame the line and
 * these copies then hold every point of the ring once, modulo 360°, and split the frame all the
 * way across, as the ring splits the ground round the pole. A continuation along the end
 * direction instead strays from the curving ring: ground near the closing vertex went to the
 * wrong side (seed 4 case 273: a withdrawal line 393 m off at 87°N). Points go into *out in
 * order away from the end.
 */
static int continue_round(bz_context *ctx, const bzi_continuation *c, const double *p, size_t n,
                          double turn, int sigma, bzi_coords *out)
{
    GEOSContextHandle_t h = ctx->geos;
    double lo = 0.0, hi = 0.0;
    if (!GEOSGeom_getXMin_r(h, c->edge, &lo) || !GEOSGeom_getXMax_r(h, c->edge, &hi))
        return bzi_geos_error(ctx, "reading the frame's extent");
    double shift = sigma > 0 ? turn : -turn;
    size_t last_in = 0; /* steps from the end to the last copied vertex inside the frame */
    for (size_t i = 1; i < n; i++) {
        double x = p[2 * (sigma > 0 ? i : n - 1 - i)] + shift;
        if (x >= lo && x <= hi)
            last_in = i;
    }
    size_t steps = last_in + 1 < n ? last_in + 1 : n - 1;
    for (size_t i = 1; i <= steps; i++) {
        size_t from = sigma > 0 ? i - 1 : n - i, to = sigma > 0 ? i : n - 1 - i;
        const double seg[4] = {p[2 * from] + shift, p[2 * from + 1], p[2 * to] + shift,
                               p[2 * to + 1]};
        if (densify_segment(&ctx->geod, seg, out) || bzi_coords_push2(out, seg[2], seg[3]))
            return bzi_nomem(ctx, "continuing a ring round a pole");
    }
    return BZ_OK;
}

int bzi_continued_part(bz_context *ctx, const bz_line *line, size_t k,
                       const bzi_continuation *frame, bzi_coords *out)
{
    size_t n = 0;
    const double *p = bz_line_part_coords(line, k, &n);
    out->n = 0;
    double turn = 0.0;
    int closed = bzi_line_part_closed(line, k, &turn), joined = 0;
    /* An end shared with another part is not continued: a point whose nearest point of this
     * part is that end is as near the other part, so it lies on the curve between the two
     * (which passes through the end) or in the other part's cell, where this part's edges do
     * not vote. A continuation from there starts on that curve, where whether a chord touches
     * it is a rounding error: unstopped, it ran through the other part's cell to the region's
     * edge (two parts meeting head to head, tests/test_multipart.c). */
    int head_shared = !closed && bzi_line_end_of_other(line, k, p[0], p[1]);
    int tail_shared = !closed && bzi_line_end_of_other(line, k, p[2 * n - 2], p[2 * n - 1]);
    bzi_coords head = {0};
    bzi_divide dv;
    if (closed && turn != 0.0) {
        int st = continue_round(ctx, frame, p, n, turn, -1, &head);
        if (st) {
            free(head.v);
            return st;
        }
    } else if (!closed && !head_shared) {
        double s12, azi1, azi2;
        /* the direction at the first vertex pointing away from the second */
        geod_inverse(&ctx->geod, p[3], p[2], p[1], p[0], &s12, &azi1, &azi2);
        int st = continue_end(ctx, frame, divide_for(&dv, ctx, line, k, n, frame, -1), p[0], p[1],
                              azi2, &head, &joined);
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
    if (closed && turn != 0.0)
        return continue_round(ctx, frame, p, n, turn, 1, out);
    /* a first end whose divide came back to the last end has divided the ground of both */
    if (!closed && !joined && !tail_shared) {
        double s12, azi1, azi2;
        const double *a = p + 2 * (n - 2);
        geod_inverse(&ctx->geod, a[1], a[0], a[3], a[2], &s12, &azi1, &azi2);
        return continue_end(ctx, frame, divide_for(&dv, ctx, line, k, n, frame, 1), a[2], a[3],
                            azi2, out, &joined);
    }
    return BZ_OK;
nomem:
    free(head.v);
    return bzi_nomem(ctx, "continuing the line's ends");
}

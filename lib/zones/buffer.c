/*
 * buffer.c — the exact geodesic buffer of a contact line.
 *
 * Design (every number below was measured on Debian 12's GEOS 3.11, see DESIGN.md):
 *
 *  1. Pieces. Each part of the line is cut into pieces that share their end vertices: about the
 *     distance, 10–50 km, shorter where the plane's scale error demands (piece_length_for).
 *     Segments longer than a quarter piece are first densified along their geodesic (exact
 *     points from geod_genposition), so that every piece is short.
 *
 *  2. One plane per piece. Each piece is mapped to the ellipsoidal azimuthal-equidistant plane
 *     centred on its middle vertex, computed directly with Karney's geodesics (geod_inverse
 *     forward, geod_direct back: the same mapping as PROJ's "+proj=aeqd +ellps=WGS84", without
 *     PJ objects, so worker threads share nothing but the read-only struct geod_geodesic).
 *     Distances along rays from the centre are exact and the map never shrinks a distance, so a
 *     planar buffer lies inside the true geodesic buffer; for points within D + piece/2 of the
 *     centre the inward error is far below the bound (measured by the zones' own verification).
 *
 *  3. Planar buffer. Each piece is first thinned in its plane by Douglas-Peucker at 5 % of the
 *     tolerance (thin_piece: the thinned line and the piece are within that of each other, and so
 *     are their buffers); GEOS's buffer costs grow with the vertices it gets, not with the
 *     line's shape (benchmark's 100,000-vertex line at 10 km: half the vertices, a third of the
 *     buffer's time). Both checks below measure against every vertex of the piece, not the
 *     thinned one. GEOS buffers the thinned piece with round caps and joins. GEOS rounds each
 *     fillet's segment count, so one chord can span 1.5 × 90°/Q and the worst sag is
 *     D·(1 − cos(67.5°/Q)): Q is chosen from the tolerance (Q = 128 → 0.42 m at 10 km). Round
 *     caps at the pieces' ends are needed: flat caps lose area where a line curls back.
 *
 *  4. Check and repair. GEOS simplifies the input line by D × 0.01 before offsetting (not
 *     settable in GEOS 3.11's C API); that can push the edge outward. Every vertex and every edge
 *     of each piece's planar buffer is checked against the exact planar distance to the piece's
 *     own segments: a segment within D + tolerance of both ends of an edge proves the whole edge
 *     (distance to a segment is convex along a straight edge), otherwise the edge is bisected.
 *     A piece that fails is split in two and redone; a two-point piece cannot be simplified.
 *
 *     The inward check (buffer_inward.c): GEOS 3.11 also returns buffers of wiggly lines that are
 *     too small (shell vertices 12.5 m inside at 10 km, false holes 170 m inside, measured on the
 *     benchmark's 100,000-vertex line). Every ring of the thinned piece buffer must keep
 *     D − 0.9·T from the piece's segments; the runs of segments a ring comes closer to are
 *     buffered again on their own (checked both ways, halved down to capsules where GEOS errs
 *     again) and added to the union.
 *
 *     Each checked piece buffer is then thinned by Douglas-Peucker at 5 % of the tolerance: the
 *     offset curve of a densely drawn line needs a fraction of its vertices (3× fewer on a line
 *     with a vertex every 12 m), which makes every later step cheaper.
 *
 *  5. Back to lon/lat. Edges are densified (straight in the plane is not straight in lon/lat),
 *     every vertex goes back with geod_direct, longitudes unrolled around the piece's centre, so
 *     output longitudes are continuous with the line's (unwrapped) longitudes.
 *
 *  6. Union. Pieces are cut into contiguous runs, four per thread (bzi_thread_count()), one
 *     task of the fan-out (core/pool.h) each, handed out in order, so that threads share the
 *     work evenly; each run has its own context (GEOS handle) and unions its own pieces; the
 *     runs' unions are then united pairwise, neighbour with neighbour, level by level on the
 *     threads (merge_runs), so the result does not depend on which thread ran which run.
 *     Single-sided buffers are never used (libgeos#665). Holes the definition does not have are
 *     then filled (buffer_holes.c).
 *
 * Error budget for a tolerance T: fillet sag ≤ 0.75·T (inward), plane scale ≤ 0.1·T (inward),
 * GEOS's simplification ≤ 0.6·T (outward, enforced by the check), thinning the piece before GEOS
 * and its buffer after it ≤ 0.05·T each (either way); GEOS's inward errors are held to the sag
 * and both thinnings' 0.9·T by the inward check.
 * Measured through bz_zones_compute on a 300 km wiggly line: worst deviation 0.05 m at D = 100 m,
 * 0.7 m at 10 km, 7.1 m at 100 km, 71 m at 1,000 km (bounds 1, 1, 10, 100 m).
 *
 * Files: this one cuts the line into pieces, runs the workers and assembles the result (one
 * algorithm, the steps above); buffer_plane.c is a piece's plane (steps 2 and 5),
 * buffer_outward.c and buffer_inward.c the two checks (step 4), buffer_holes.c the false holes.
 */
#include "zones/buffer.h"
#include "core/grow.h"
#include "zones/buffer_holes.h"
#include "zones/buffer_inward.h"
#include "zones/buffer_outward.h"
#include "zones/buffer_plane.h"
#include "core/context.h"
#include "core/pool.h"
#include "core/progress.h"
#include "core/geometry.h"
#include "core/polygon.h"
#include "geo/geodesic.h"
#include "geo/line.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEG (3.14159265358979323846 / 180.0)
#define EARTH_R 6371008.8

/* Runs of pieces per thread (with more than one): see merge_runs. */
#define RUNS_PER_THREAD 4

/* The longest buffer edge (plane metres) sent back to lon/lat without intermediate points. */
#define MAX_EDGE_M 400.0

/* One piece: a run of vertices [first, last] of a densified part. */
typedef struct piece {
    const double *lonlat; /* the densified part's coordinates (shared, read-only) */
    size_t first, last;   /* inclusive vertex range */
} piece;

/* The settings shared by every worker (read-only while they run). */
typedef struct buffer_job {
    const struct geod_geodesic *geod;
    double distance;  /* D, metres */
    double limit;     /* D + outward tolerance: the outward check's threshold */
    double inner;     /* D - inward tolerance: the inward check's threshold */
    int quadsegs;     /* GEOS segments per quarter circle */
    double prethin;   /* planar Douglas-Peucker tolerance of each piece before GEOS (metres) */
    double simplify;  /* planar simplification of each checked piece buffer (metres) */
    double piece_len; /* nominal piece length (metres) */
    piece *pieces;
    size_t npieces;
    double lonlat_sag; /* how far an edge's lon/lat chord may stray from the plane's edge (m) */
    bzi_progress *progress; /* the caller's callback (NULL = none): polled before each piece */
} buffer_job;

/* One run of pieces: its state and result (a task of the fan-out, on whichever thread). */
typedef struct worker {
    const buffer_job *job;
    size_t begin, end;        /* pieces [begin, end) */
    bz_context *ctx;          /* the worker's own context (GEOS handle, GEOS's last message) */
    GEOSContextHandle_t geos; /* ctx->geos */
    GEOSGeometry **polys;     /* lon/lat buffers of this worker's pieces (and sub-pieces) */
    size_t npolys, cap;
    GEOSGeometry *result; /* union of polys */
    double *px, *py;      /* scratch: the current piece in its plane */
    size_t scratch_cap;
    bzi_seg_tree tree;    /* scratch: the inward check's tree over px, py */
    unsigned char *flag;  /* scratch: the segments the inward check flagged */
    unsigned char *flag2; /* scratch: the same for a run of them (patch_run) */
    size_t flag_cap;
    int status;
    char msg[BZI_ERRMSG_SIZE]; /* the worker's failure, for the context */
} worker;

static int worker_fail(worker *w, int status, const char *fmt, ...) BZI_PRINTF(3, 4);

static int worker_fail(worker *w, int status, const char *fmt, ...)
{
    char what[BZI_ERRMSG_SIZE / 2 - 16];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    /* GEOS's message is cut at half the buffer, so that `what` always fits beside it */
    if (status == BZ_ERR_GEOS && w->ctx->geos_msg[0])
        snprintf(w->msg, sizeof w->msg, "%s: %.*s", what, BZI_ERRMSG_SIZE / 2 - 1,
                 w->ctx->geos_msg);
    else
        snprintf(w->msg, sizeof w->msg, "%s", what);
    w->status = status;
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* Choosing the parameters from the tolerance                                               */
/* ---------------------------------------------------------------------------------------- */

/* Segments per quarter circle so that the worst fillet chord sag D·(1 − cos(67.5°/Q)) stays
 * within `sag`. */
static int quadsegs_for(double distance, double sag)
{
    double c = 1.0 - sag / distance;
    if (c < 0.0)
        c = 0.0;
    double half_angle = acos(c);
    if (!(half_angle > 0.0))
        return 512;
    int q = (int)ceil(67.5 * DEG / half_angle);
    if (q < 8)
        q = 8;
    if (q > 512)
        q = 512;
    return q;
}

/* Piece length: about the distance, between 10 and 50 km, shorter where the plane's scale error
 * demands. Shorter pieces mean more round caps to unite, longer ones mean that each failed
 * outward check (below) redoes more: on the DeepState front (GEOS's simplification fails the
 * check at 30–40 places) 10 km pieces buffered 3× faster than 50 km ones, on a gentle synthetic
 * line 15 % slower. The error estimate: the map stretches distances not through its centre by
 * ≈ ρ²/(6R²) at ρ = piece/2 + D from the centre, and only the part of a buffer radius that is not
 * radial (≈ (piece/2)/D of it, squared) feels that stretch. Measured: < 0.1 m at D = 10 km and
 * 100 km with 50 km pieces; every result's verification measures it anyway. */
static double piece_length_for(double distance, double budget)
{
    double piece = distance < 10000.0 ? 10000.0 : (distance > 50000.0 ? 50000.0 : distance);
    for (int i = 0; i < 40 && piece > 2000.0; i++) {
        double rho = piece / 2.0 + distance;
        double radial = piece / (2.0 * distance);
        double err = distance * rho * rho / (6.0 * EARTH_R * EARTH_R) *
                     (radial < 1.0 ? radial * radial : 1.0);
        if (err <= budget)
            break;
        piece *= 0.7;
    }
    return piece;
}

/* ---------------------------------------------------------------------------------------- */
/* Densifying and cutting the line                                                          */
/* ---------------------------------------------------------------------------------------- */

/* A fast approximate length (m) of a short lon/lat segment, good enough to cut pieces. */
static double approx_length(const double *a, const double *b)
{
    return bzi_approx_length_m(a[0], a[1], b[0], b[1]);
}

typedef struct dense_part {
    double *lonlat;
    size_t n;
} dense_part;

/* Copy one part, inserting geodesic points so that no segment is longer than max_seg. */
static int densify_part(dense_part *out, const struct geod_geodesic *g, const double *src, size_t n,
                        double max_seg)
{
    size_t cap = n + 16, m = 0;
    double *dst = malloc(cap * 2 * sizeof *dst);
    if (!dst)
        return BZ_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t extra = 0;
        double s12 = 0.0;
        if (i + 1 < n && approx_length(src + 2 * i, src + 2 * i + 2) > 0.5 * max_seg) {
            geod_inverse(g, src[2 * i + 1], src[2 * i], src[2 * i + 3], src[2 * i + 2], &s12, NULL,
                         NULL);
            if (s12 > max_seg)
                extra = (size_t)ceil(s12 / max_seg) - 1;
        }
        if (bzi_grow(&dst, &cap, m + 1 + extra, 2 * sizeof *dst)) {
            free(dst);
            return BZ_ERR_NOMEM;
        }
        dst[2 * m] = src[2 * i];
        dst[2 * m + 1] = src[2 * i + 1];
        m++;
        if (extra) {
            struct geod_geodesicline l;
            geod_inverseline(&l, g, src[2 * i + 1], src[2 * i], src[2 * i + 3], src[2 * i + 2],
                             GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN | GEOD_LONG_UNROLL);
            for (size_t k = 1; k <= extra; k++) {
                double lat, lon;
                geod_genposition(&l, GEOD_LONG_UNROLL, s12 * (double)k / (double)(extra + 1), &lat,
                                 &lon, NULL, NULL, NULL, NULL, NULL, NULL);
                dst[2 * m] = lon;
                dst[2 * m + 1] = lat;
                m++;
            }
        }
    }
    out->lonlat = dst;
    out->n = m;
    return BZ_OK;
}

/* Cut a densified part into pieces of about `piece_len` metres sharing their end vertices. */
static int cut_part(piece **pieces, size_t *npieces, size_t *cap, const dense_part *part,
                    double piece_len)
{
    size_t first = 0;
    double run = 0.0;
    for (size_t i = 1; i < part->n; i++) {
        run += approx_length(part->lonlat + 2 * (i - 1), part->lonlat + 2 * i);
        if (run >= piece_len || i + 1 == part->n) {
            if (BZI_GROW(*pieces, *cap, *npieces + 1))
                return BZ_ERR_NOMEM;
            (*pieces)[(*npieces)++] = (piece){part->lonlat, first, i};
            first = i;
            run = 0.0;
        }
    }
    return BZ_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* One worker                                                                               */
/* ---------------------------------------------------------------------------------------- */

static int worker_push(worker *w, GEOSGeometry *g)
{
    if (BZI_GROW(w->polys, w->cap, w->npolys + 1)) {
        GEOSGeom_destroy_r(w->geos, g);
        return worker_fail(w, BZ_ERR_NOMEM, "out of memory collecting buffer pieces");
    }
    w->polys[w->npolys++] = g;
    return BZ_OK;
}

/* Room for n segment flags in both of the worker's flag arrays. */
static int flags_reserve(worker *w, size_t n)
{
    size_t cap = w->flag_cap, cap2 = w->flag_cap; /* two arrays, one capacity */
    if (BZI_GROW(w->flag, cap, n) || BZI_GROW(w->flag2, cap2, n))
        return worker_fail(w, BZ_ERR_NOMEM, "out of memory checking a buffer piece");
    w->flag_cap = cap2;
    return BZ_OK;
}

/* Push every polygon of the planar geometry g, mapped back to lon/lat. */
static int push_planar(worker *w, const bzi_plane *p, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = w->geos;
    int ng = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < ng; i++) {
        const GEOSGeometry *poly = GEOSGetGeometryN_r(h, g, i);
        if (GEOSisEmpty_r(h, poly))
            continue;
        int st = BZ_OK;
        GEOSGeometry *ll = bzi_plane_polygon_to_lonlat(h, p, poly, &st);
        if (!ll)
            return worker_fail(w, st, "mapping the piece at %.6f %.6f back to lon/lat", p->lon0,
                               p->lat0);
        if (worker_push(w, ll))
            return w->status;
    }
    return BZ_OK;
}

/* The buffer of vertices [a, b] of the current piece (in its plane, w->px/py), checked outward
 * and inward against those segments alone; halved where a check fails (two vertices make a
 * capsule, which GEOS gets right), and pushed. */
static int patch_run(worker *w, const bzi_plane *p, size_t a, size_t b)
{
    const buffer_job *job = w->job;
    GEOSContextHandle_t h = w->geos;
    size_t npts = b - a + 1;
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(h, (unsigned int)npts, 2);
    for (size_t i = 0; seq && i < npts; i++)
        GEOSCoordSeq_setXY_r(h, seq, (unsigned int)i, w->px[a + i], w->py[a + i]);
    GEOSGeometry *ls = seq ? GEOSGeom_createLineString_r(h, seq) : NULL;
    GEOSGeometry *buf = ls ? GEOSBuffer_r(h, ls, job->distance, job->quadsegs) : NULL;
    if (ls)
        GEOSGeom_destroy_r(h, ls);
    if (!buf)
        return worker_fail(w, BZ_ERR_GEOS, "buffering a run of segments at %.6f %.6f", p->lon0,
                           p->lat0);
    int ok = 1;
    if (npts > 2) {
        ok = bzi_buffer_outward_ok(h, buf, w->px + a, w->py + a, npts, job->limit);
        if (ok == 1) {
            if (bzi_seg_tree_build(&w->tree, w->px + a, w->py + a, npts)) {
                GEOSGeom_destroy_r(h, buf);
                return worker_fail(w, BZ_ERR_NOMEM, "out of memory checking a buffer piece");
            }
            memset(w->flag2, 0, npts);
            long found = bzi_rings_flag_close(h, buf, &w->tree, job->inner, w->flag2);
            ok = found < 0 ? -1 : found == 0;
        }
    }
    if (ok < 0) {
        GEOSGeom_destroy_r(h, buf);
        return worker_fail(w, BZ_ERR_GEOS, "checking a run of segments at %.6f %.6f", p->lon0,
                           p->lat0);
    }
    if (!ok) {
        GEOSGeom_destroy_r(h, buf);
        size_t mid = a + (b - a) / 2;
        int rc = patch_run(w, p, a, mid);
        return rc ? rc : patch_run(w, p, mid, b);
    }
    int rc = push_planar(w, p, buf);
    GEOSGeom_destroy_r(h, buf);
    return rc;
}

/* The inward check of a piece's (thinned) planar buffer, and its repair: every run of
 * consecutive segments that a ring comes too close to is buffered again on its own (patch_run)
 * and pushed beside the piece's own polygons. */
static int patch_inward(worker *w, const bzi_plane *p, const GEOSGeometry *buf, size_t npts)
{
    GEOSContextHandle_t h = w->geos;
    int rc = flags_reserve(w, npts);
    if (rc)
        return rc;
    memset(w->flag, 0, npts);
    if (bzi_seg_tree_build(&w->tree, w->px, w->py, npts))
        return worker_fail(w, BZ_ERR_NOMEM, "out of memory checking a buffer piece");
    long found = bzi_rings_flag_close(h, buf, &w->tree, w->job->inner, w->flag);
    if (found < 0)
        return worker_fail(w, BZ_ERR_GEOS, "checking the piece at %.6f %.6f", p->lon0, p->lat0);
    /* segments j..k-1 flagged: vertices j..k */
    for (size_t j = 0; found > 0 && j + 1 < npts && rc == BZ_OK;) {
        if (!w->flag[j]) {
            j++;
            continue;
        }
        size_t k = j;
        while (k + 1 < npts && w->flag[k])
            k++;
        rc = patch_run(w, p, j, k);
        j = k;
    }
    return rc;
}

/*
 * Douglas-Peucker on the piece's plane: the vertices of x, y (n of them) that keep every other
 * vertex within eps of the thinned line, written to xy as x, y pairs; returns their count. The
 * ends are always kept. Thinned and original lines are within eps of each other both ways (the
 * original between two kept vertices stays within eps of their chord and runs from one end of
 * it to the other), so their buffers are too. GEOS's buffer costs grow with the vertices it is
 * given far more than with the line's shape: on the benchmark's 100,000-vertex line (a vertex
 * every 11 m, curves of 100 m and more) 5 cm keeps about half and the buffers cost a third.
 * `stack` has room for n indices.
 */
static size_t thin_piece(const double *x, const double *y, size_t n, double eps, double *xy,
                         size_t *stack)
{
    if (n < 3) {
        for (size_t i = 0; i < n; i++) {
            xy[2 * i] = x[i];
            xy[2 * i + 1] = y[i];
        }
        return n;
    }
    size_t top = 0, kept = 0;
    double eps2 = eps * eps;
    /* a is the last kept vertex; the stack holds the right ends of the ranges still to
     * decide, nearest on top, so the kept vertices come out in order */
    stack[top++] = n - 1;
    size_t a = 0;
    xy[0] = x[0];
    xy[1] = y[0];
    kept = 1;
    while (top) {
        size_t b = stack[top - 1];
        size_t far = a;
        double far2 = eps2;
        for (size_t i = a + 1; i < b; i++) {
            double d2 = bzi_point_segment_dist2(x[i], y[i], x[a], y[a], x[b], y[b]);
            if (d2 > far2) {
                far2 = d2;
                far = i;
            }
        }
        if (far != a) {
            stack[top++] = far; /* split: [a, far] first, then [far, b] */
            continue;
        }
        xy[2 * kept] = x[b]; /* [a, b] is thin: b is the next kept vertex */
        xy[2 * kept + 1] = y[b];
        kept++;
        a = b;
        top--;
    }
    return kept;
}

/* Buffer vertices [first, last] of a densified part; split and retry where the check fails. */
static int buffer_range(worker *w, const double *lonlat, size_t first, size_t last)
{
    const buffer_job *job = w->job;
    GEOSContextHandle_t h = w->geos;
    size_t npts = last - first + 1;
    size_t cap_x = w->scratch_cap, cap_y = w->scratch_cap; /* two arrays, one capacity */
    if (BZI_GROW(w->px, cap_x, npts) || BZI_GROW(w->py, cap_y, npts))
        return worker_fail(w, BZ_ERR_NOMEM, "out of memory for a buffer piece");
    w->scratch_cap = cap_y;
    size_t mid = first + npts / 2;
    /* edges short enough for their lon/lat chord at the piece's most poleward reach */
    double reach_deg = (job->distance + job->piece_len) / 110000.0;
    bzi_plane p = {job->geod, lonlat[2 * mid], lonlat[2 * mid + 1],
                   bzi_lonlat_edge_sag_m(fmin(90.0, fabs(lonlat[2 * mid + 1]) + reach_deg),
                                         MAX_EDGE_M, job->lonlat_sag),
                   /* thin enough for the chords' sag to cross it; within the thinning's budget */
                   fmin(3.0 * job->lonlat_sag, 0.4 * job->simplify)};
    double *xy = malloc(npts * 2 * sizeof *xy);
    size_t *stack = malloc(npts * sizeof *stack);
    if (!xy || !stack) {
        free(xy);
        free(stack);
        return worker_fail(w, BZ_ERR_NOMEM, "out of memory for a buffer piece");
    }
    for (size_t i = 0; i < npts; i++) {
        const double *v = lonlat + 2 * (first + i);
        bzi_plane_forward(&p, v[0], v[1], &w->px[i], &w->py[i]);
        if (!isfinite(w->px[i]) || !isfinite(w->py[i])) {
            free(xy);
            free(stack);
            return worker_fail(w, BZ_ERR_PROJECTION,
                               "cannot map lon %.9g, lat %.9g to the plane centred at %.6f %.6f",
                               v[0], v[1], p.lon0, p.lat0);
        }
    }
    /* GEOS buffers the thinned piece; both checks below measure against every vertex */
    size_t nthin = thin_piece(w->px, w->py, npts, job->prethin, xy, stack);
    free(stack);
    GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(h, xy, (unsigned int)nthin, 0, 0);
    free(xy);
    GEOSGeometry *ls = seq ? GEOSGeom_createLineString_r(h, seq) : NULL;
    if (!ls)
        return worker_fail(w, BZ_ERR_GEOS, "building a buffer piece at %.6f %.6f", p.lon0, p.lat0);
    GEOSGeometry *buf = GEOSBuffer_r(h, ls, job->distance, job->quadsegs);
    GEOSGeom_destroy_r(h, ls);
    if (!buf)
        return worker_fail(w, BZ_ERR_GEOS, "buffering the piece at %.6f %.6f", p.lon0, p.lat0);
    int ok = bzi_buffer_outward_ok(h, buf, w->px, w->py, npts, job->limit);
    if (ok < 0) {
        GEOSGeom_destroy_r(h, buf);
        return worker_fail(w, BZ_ERR_GEOS, "checking the piece at %.6f %.6f", p.lon0, p.lat0);
    }
    if (!ok && npts > 2) {
        /* GEOS's input simplification pushed the edge out: halve the piece and redo. */
        GEOSGeom_destroy_r(h, buf);
        size_t split = first + (npts - 1) / 2;
        int rc = buffer_range(w, lonlat, first, split);
        return rc ? rc : buffer_range(w, lonlat, split, last);
    }
    /* The offset curve of a densely drawn line has a vertex per input vertex where a few
     * centimetres of tolerance need a fraction of them: thinning it here makes every later step
     * (back to lon/lat, union, clipping, areas, verification, writing) several times cheaper
     * (measured: 3× fewer vertices on a 12 m-spaced line). GEOS's Douglas-Peucker repairs its
     * polygonal output itself (buffer(0)), and was faster than the topology-preserving variant. */
    GEOSGeometry *thin = GEOSSimplify_r(h, buf, job->simplify);
    GEOSGeom_destroy_r(h, buf);
    if (!thin)
        return worker_fail(w, BZ_ERR_GEOS, "thinning the piece at %.6f %.6f", p.lon0, p.lat0);
    buf = thin;
    /* GEOS's buffer of a wiggly line can also come out too small (buffer_inward.c). Checked
     * after thinning, so that the check covers what thinning (and its buffer(0)) did too. Every
     * run of consecutive segments that some ring comes too close to is buffered again on its
     * own and added to the union (patch_run): a point within the limit of a segment j that the
     * piece's buffer lacks is joined to j by a straight path that must cross a ring within the
     * limit of j, so j is flagged, and its run's checked buffer holds the point. Halving the
     * whole piece instead was 2.5x slower (GEOS errs again in the halves, down to pieces of 8
     * vertices); a capsule per flagged segment 1.9x (6,000 capsules to unite at 10 km). */
    int rc = npts > 2 ? patch_inward(w, &p, buf, npts) : BZ_OK;
    if (rc == BZ_OK)
        rc = push_planar(w, &p, buf);
    GEOSGeom_destroy_r(h, buf);
    return rc;
}

/* Union a worker's polygons (consumed) into one geometry. Should GEOS fail on them (a piece
 * whose lon/lat image crosses itself, which drop_thin_turn_backs in buffer_plane.c exists to
 * prevent), each piece is repaired on its own and the union tried once more. */
static GEOSGeometry *union_all(GEOSContextHandle_t h, GEOSGeometry **polys, size_t n)
{
    GEOSGeometry *coll =
        GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, polys, (unsigned int)n);
    if (!coll)
        return NULL; /* GEOS owns the members from the call on, even when it fails (geos_c.h) */
    GEOSGeometry *u = GEOSUnaryUnion_r(h, coll);
    if (!u && bzi_valid_multipolygon_h(h, coll, &u))
        u = NULL;
    GEOSGeom_destroy_r(h, coll);
    return u;
}

/* Task i of the fan-out: worker i's run of pieces, then their union. */
static void worker_run(void *arg, size_t t)
{
    worker *w = (worker *)arg + t;
    for (size_t i = w->begin; i < w->end && w->status == BZ_OK; i++) {
        double done = (double)(i - w->begin) / (double)(w->end - w->begin);
        if (bzi_progress_tick(w->job->progress, done)) {
            w->status = BZ_ERR_CANCELLED; /* the caller records it */
            break;
        }
        const piece *pc = &w->job->pieces[i];
        buffer_range(w, pc->lonlat, pc->first, pc->last);
    }
    if (w->status == BZ_OK && w->npolys > 0) {
        w->result = union_all(w->geos, w->polys, w->npolys);
        w->npolys = 0; /* consumed either way */
        if (!w->result)
            worker_fail(w, BZ_ERR_GEOS, "uniting buffer pieces");
    }
}

/* One level of merge_runs: task k unites in[2k] and in[2k + 1] (consumed) into out[k], with
 * run k's GEOS handle (one task per handle at a time). */
typedef struct merge_level {
    worker *ws;
    GEOSGeometry **in, **out;
    size_t n; /* entries of in */
} merge_level;

static void merge_pair(void *arg, size_t k)
{
    merge_level *m = arg;
    GEOSGeometry *a = m->in[2 * k], *b = 2 * k + 1 < m->n ? m->in[2 * k + 1] : NULL;
    if (a && b) {
        GEOSGeometry *two[2] = {a, b};
        m->out[k] = union_all(m->ws[k].geos, two, 2);
        if (!m->out[k])
            worker_fail(&m->ws[k], BZ_ERR_GEOS, "uniting the geodesic buffer's partial results");
    } else {
        m->out[k] = a ? a : b;
    }
}

/* The runs' unions united pairwise, in the runs' order (so that the result does not depend on
 * which thread ran which run), level by level on the threads, into ws[0].result. Runs are many
 * more than threads so that the threads share the pieces evenly whatever their cost (two equal
 * halves of the benchmark's 100,000-vertex line differed by a fifth); uniting neighbours costs
 * little, as only their ends overlap. Leaves the results as they are when a run failed; a
 * failed union is recorded in its run's status. */
static void merge_runs(bz_context *ctx, worker *ws, size_t nruns, int nthreads)
{
    for (size_t t = 0; t < nruns; t++)
        if (ws[t].status != BZ_OK)
            return;
    if (nruns < 2)
        return;
    GEOSGeometry **in = malloc(nruns * sizeof *in), **out = malloc(nruns * sizeof *out);
    if (!in || !out) { /* no room: the caller unites the runs' results itself */
        free(in);
        free(out);
        return;
    }
    for (size_t t = 0; t < nruns; t++) {
        in[t] = ws[t].result;
        ws[t].result = NULL;
    }
    size_t n = nruns;
    int ok = 1;
    while (n > 1 && ok) {
        size_t half = (n + 1) / 2;
        merge_level m = {ws, in, out, n};
        bzi_pool_run(ctx, half, nthreads, merge_pair, &m);
        for (size_t k = 0; k < half; k++)
            ok = ok && ws[k].status == BZ_OK;
        GEOSGeometry **t = in;
        in = out;
        out = t;
        n = half;
    }
    /* what is left goes back to the runs, for the caller to collect or free */
    for (size_t k = 0; k < n; k++)
        ws[k].result = in[k];
    free(in);
    free(out);
}

/* ---------------------------------------------------------------------------------------- */
/* The public-internal entry point                                                          */
/* ---------------------------------------------------------------------------------------- */

int bzi_geodesic_buffer(GEOSGeometry **out, bz_context *ctx, const bz_line *line, double distance_m,
                        double tolerance_m)
{
    *out = NULL;
    if (!(distance_m > 0.0) || !(tolerance_m > 0.0))
        return bzi_error(ctx, BZ_ERR_ARGUMENT,
                         "geodesic buffer: distance %g m and tolerance %g m must be > 0",
                         distance_m, tolerance_m);
    /* Error budget: inward errors (fillet sag 0.75, plane scale 0.1, thinning the piece and
     * its buffer 0.05 each, of the tolerance) stay within 0.95 × tolerance; the outward error
     * (GEOS's input simplification and ours, held to 0.6 by the check, plus the buffer's
     * thinning) within 0.65. The inward check allows the sag the fillets really have (more than
     * 0.75 only where Q reached its cap of 512, for a bound far below the distance's) and both
     * thinnings, so that it flags GEOS's errors, never a correct fillet. */
    double piece_len = piece_length_for(distance_m, 0.1 * tolerance_m);
    int quadsegs = quadsegs_for(distance_m, 0.75 * tolerance_m);
    double sag = distance_m * (1.0 - cos(67.5 * DEG / quadsegs));
    buffer_job job = {&ctx->geod, distance_m, distance_m + 0.6 * tolerance_m,
                      distance_m - fmax(0.9 * tolerance_m, sag + 0.1 * tolerance_m), quadsegs,
                      0.05 * tolerance_m, 0.05 * tolerance_m, piece_len, NULL, 0,
                      /* 1 cm, or less where the tolerance is smaller (millimetre distances) */
                      fmin(0.01, 0.1 * tolerance_m), ctx->progress};
    size_t cap = 0;
    dense_part *parts = calloc(line->nparts, sizeof *parts);
    if (!parts)
        return bzi_nomem(ctx, "geodesic buffer parts");
    int rc = BZ_OK;
    for (size_t k = 0; k < line->nparts && rc == BZ_OK; k++) {
        size_t n = line->part_start[k + 1] - line->part_start[k];
        rc = densify_part(&parts[k], &ctx->geod, line->coords + 2 * line->part_start[k], n,
                          piece_len / 4.0);
        if (rc == BZ_OK)
            rc = cut_part(&job.pieces, &job.npieces, &cap, &parts[k], piece_len);
    }
    int nthreads = bzi_thread_count(ctx);
    size_t nruns = nthreads > 1 ? (size_t)nthreads * RUNS_PER_THREAD : 1;
    if (nruns > job.npieces)
        nruns = job.npieces > 0 ? job.npieces : 1;
    worker *ws = rc == BZ_OK ? calloc(nruns, sizeof *ws) : NULL;
    if (rc == BZ_OK && !ws)
        rc = BZ_ERR_NOMEM;
    if (rc == BZ_OK) {
        for (size_t t = 0; t < nruns; t++) {
            worker *w = &ws[t];
            w->job = &job;
            w->begin = job.npieces * t / nruns;
            w->end = job.npieces * (t + 1) / nruns;
            w->ctx = bz_context_new();
            if (!w->ctx) {
                rc = BZ_ERR_NOMEM;
                break;
            }
            w->geos = w->ctx->geos;
        }
    }
    /* The calling thread takes the first run itself; then the runs' unions are united. */
    if (rc == BZ_OK) {
        bzi_pool_run(ctx, nruns, nthreads, worker_run, ws);
        merge_runs(ctx, ws, nruns, nthreads);
    }

    /* Collect partial results (moved to the context's handle: GEOS geometries belong to the
     * shared default factory, not to the handle that built them). */
    GEOSGeometry **partial = NULL;
    size_t npartial = 0;
    int reported = 0; /* rc's message is already in ctx (otherwise rc is out of memory) */
    if (rc == BZ_OK) {
        partial = calloc(nruns, sizeof *partial);
        if (!partial)
            rc = BZ_ERR_NOMEM;
    }
    for (size_t t = 0; ws && t < nruns; t++) {
        worker *w = &ws[t];
        if (rc == BZ_OK && w->status != BZ_OK) {
            rc = w->status == BZ_ERR_CANCELLED
                     ? bzi_progress_cancelled(ctx)
                     : bzi_error(ctx, w->status, "geodesic buffer at %g m: %s", distance_m, w->msg);
            reported = 1;
        }
        if (w->result) {
            if (rc == BZ_OK && partial)
                partial[npartial++] = w->result;
            else
                GEOSGeom_destroy_r(ctx->geos, w->result);
            w->result = NULL;
        }
        for (size_t i = 0; i < w->npolys; i++)
            GEOSGeom_destroy_r(w->geos, w->polys[i]);
        free(w->polys);
        free(w->px);
        free(w->py);
        bzi_seg_tree_free(&w->tree);
        free(w->flag);
        free(w->flag2);
        bz_context_free(w->ctx);
    }
    free(ws);
    for (size_t k = 0; k < line->nparts; k++)
        free(parts[k].lonlat);
    free(parts);
    free(job.pieces);

    if (rc != BZ_OK) {
        for (size_t i = 0; i < npartial; i++)
            GEOSGeom_destroy_r(ctx->geos, partial[i]);
        free(partial);
        if (!reported)
            return bzi_nomem(ctx, "geodesic buffer");
        return rc;
    }
    GEOSGeometry *u = NULL;
    if (npartial == 0) {
        u = GEOSGeom_createEmptyCollection_r(ctx->geos, GEOS_MULTIPOLYGON);
    } else if (npartial == 1) {
        u = partial[0];
    } else {
        u = union_all(ctx->geos, partial, npartial);
        if (!u) {
            free(partial);
            return bzi_geos_error(ctx, "uniting the geodesic buffer's partial results");
        }
    }
    free(partial);
    if (!u)
        return bzi_geos_error(ctx, "making an empty geodesic buffer");
    GEOSGeometry *mp = NULL;
    int st = bzi_multipolygon_take(ctx->geos, u, &mp);
    if (st)
        return st == BZI_E_NOMEM ? bzi_nomem(ctx, "the geodesic buffer")
                                 : bzi_geos_error(ctx, "making the geodesic buffer a MultiPolygon");
    u = mp;
    st = bzi_fill_false_holes(ctx, line, distance_m, &u);
    if (st) {
        GEOSGeom_destroy_r(ctx->geos, u);
        return st;
    }
    *out = u;
    return BZ_OK;
}

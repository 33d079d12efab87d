/*
 * zones.c — withdrawal zones: each side's zone, withdrawal line and areas, and the buffer zone.
 *
 * A side's zone is its ground (sides.c) intersected with the exact geodesic buffer of the
 * contact line at its distance (buffer.c); its withdrawal line is the buffer's boundary inside
 * its ground. Because the ground is split by the line itself (never by GEOS's single-sided
 * buffer), no part of a zone can land on the other side. One buffer is computed per distinct
 * distance. The result then measures itself against exact geodesic distances (verify.c).
 *
 * zones/ owns the zone definition and everything computed from it, on geo/ and core/: the inputs
 * checked and framed (inputs.c, antimeridian.c), the contact line derived from a territory
 * (derive.c), the two sides' grounds (sides.c, bisector.c), the geodesic buffer (buffer*.c),
 * this file's zones (bz_zones_compute; one algorithm, its steps in order, hence over 600 lines)
 * and from a given zone polygon (from_polygon.c), the result object (result.c), overlay
 * plumbing (multi.c), the self-checks (verify.c, verify_area.c), territory change (diff.c), the
 * union of many polygons (union.c) and places (places.c). io/ reads and writes them; nothing
 * here touches files.
 */
#include "zones/antimeridian.h"
#include "zones/derive.h"
#include "core/grow.h"
#include "zones/buffer.h"
#include "zones/inputs.h"
#include "zones/multi.h"
#include "core/coords.h"
#include "core/context.h"
#include "core/polygon.h"
#include "core/pool.h"
#include "core/progress.h"
#include "geo/geodesic.h"
#include "geo/line.h"
#include "zones/sides.h"
#include "zones/verify.h"
#include "zones/result.h"
#include "zones/zones.h"
#include "zones/verify_area.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The default verification step: every vertex plus a sample at least every 250 m, or every
 * VERIFY_STEP_BOUNDS accuracy bounds where that is longer (distances over 250 km). */
#define DEFAULT_VERIFY_STEP_M 250.0
#define VERIFY_STEP_BOUNDS 10.0
/* The buffer is asked for this share of the accuracy bound, the rest is headroom. */
#define BUFFER_SHARE 0.9
/* ... and for at most this share of the distance itself: the bound max(1 m, 0.01 % of d) alone
 * would let a 1 mm zone be a metre wide, and the buffer's thinning (5 % of its tolerance) and its
 * 1 cm lon/lat chords would collapse it (withdrawal lines a third of the contact line's length
 * at 1 mm, measured before this). */
#define DISTANCE_SHARE 0.05
/* A zero-distance side's withdrawal line (the contact line) strays at most this far from the
 * line's geodesics: half the smallest bound, max(1 m, 0.01 % of d) at d = 0. */
#define ZERO_SIDE_SAG_M 0.5

static const char *side_name(int s)
{
    return s == BZ_SIDE_A ? "A" : "B";
}

/* ---------------------------------------------------------------------------------------- */
/* Geometry plumbing                                                                        */
/* ---------------------------------------------------------------------------------------- */

static GEOSGeometry *empty_multi(GEOSContextHandle_t h, int type)
{
    return GEOSGeom_createEmptyCollection_r(h, type);
}

/* ---------------------------------------------------------------------------------------- */
/* Shared steps                                                                             */
/* ---------------------------------------------------------------------------------------- */

/* A copy of `line` with points inserted so that no segment's lon/lat chord strays more than
 * sag_m from its geodesic (bzi_lonlat_edge_sag_m). The grounds are cut along the line's chords
 * (1 cm from the geodesic at most) and the buffer follows its geodesics: for a distance of
 * millimetres the two must be closer than that, or one side's zone would lie on the other side.
 * The points lie on each segment's geodesic, or with `chords` on its straight lon/lat chord: in
 * the territory form the line is drawn from the territory's edges, which GEOS reads as chords
 * (a 1 km edge at 48°N strays 2 cm from its geodesic: at 1 mm the withdrawal lines on the
 * DeepState front were 1,079 and 1,845 km along a 1,462 km line). A line the caller gives
 * beside a territory is a line like any other, its segments geodesics: read as chords, its
 * zones were measured from one line and checked against another (a 500 m withdrawal line
 * 1.7 m off on 3-4 km edges at 77°N: seed 9 case 1536 of the oracle). */
static int line_densified(bz_line **out, bz_context *ctx, const bz_line *line, double sag_m,
                          int chords)
{
    bzi_coords c = {0};
    size_t *starts = malloc((line->nparts + 1) * sizeof *starts);
    int fail = !starts;
    for (size_t k = 0; k < line->nparts && !fail; k++) {
        starts[k] = c.n / 2;
        const double *p = line->coords + 2 * line->part_start[k];
        size_t n = line->part_start[k + 1] - line->part_start[k];
        for (size_t i = 0; i < n && !fail; i++) {
            if (i > 0) {
                const double *a = p + 2 * (i - 1), *b = p + 2 * i;
                double edge = bzi_lonlat_edge_sag_m(fmax(fabs(a[1]), fabs(b[1])), 500.0, sag_m);
                struct geod_geodesicline gl;
                geod_inverseline(&gl, &ctx->geod, a[1], a[0], b[1], b[0], 0);
                size_t m = (size_t)ceil(gl.s13 / edge);
                for (size_t j = 1; j < m && !fail; j++) {
                    double lat, lon, f = (double)j / (double)m;
                    if (chords) {
                        lon = a[0] + f * (b[0] - a[0]);
                        lat = a[1] + f * (b[1] - a[1]);
                    } else {
                        geod_position(&gl, gl.s13 * f, &lat, &lon, NULL);
                        lon += 360.0 * round((a[0] - lon) / 360.0); /* the unwrapped frame */
                    }
                    fail = bzi_coords_push2(&c, lon, lat) != 0;
                }
            }
            fail = fail || bzi_coords_push2(&c, p[2 * i], p[2 * i + 1]) != 0;
        }
    }
    if (fail) {
        free(c.v);
        free(starts);
        return bzi_nomem(ctx, "densifying the contact line");
    }
    starts[line->nparts] = c.n / 2;
    return bzi_line_new_owned(out, ctx, c.v, starts, line->nparts);
}

/* The end of every path that makes a result: on success *out = z, else z is freed and rc
 * (already recorded) returned. */
int bzi_zones_hand_out(bz_zones **out, bz_zones *z, int rc)
{
    if (rc) {
        bz_zones_free(z);
        return rc;
    }
    *out = z;
    return BZ_OK;
}

/* Start a result: the line (given, or derived from the territory) copied in; no grounds yet. */
int bzi_zones_begin(bz_zones **out, bz_context *ctx, const bz_line *line,
                    const GEOSGeometry *region, const GEOSGeometry *territory,
                    double derive_tolerance_m)
{
    bz_zones *z = calloc(1, sizeof *z);
    if (!z)
        return bzi_nomem(ctx, "a zones result");
    z->ctx = ctx;
    int rc;
    if (line) {
        rc = bzi_line_copy(&z->line, ctx, line);
    } else {
        bz_derive_options dopts = BZ_DERIVE_OPTIONS_INIT;
        dopts.tolerance_m = derive_tolerance_m;
        rc = bzi_line_derive_valid(&z->line, ctx, territory, region, &dopts);
        if (rc)
            bzi_error_prefix(ctx, "deriving the contact line: ");
    }
    return bzi_zones_hand_out(out, z, rc);
}

/*
 * The grounds of both sides, made as a second task of a fan-out (core/pool.h) while the calling
 * thread computes the buffers: the two need nothing of each other, and cutting a large region by
 * a long line (sides.c) is single-threaded work as long as the buffer (0.3 s against 0.15 s on
 * the real front at 10 km). The task has its own context (GEOS handle, error message); the line
 * and the region are only read. With one thread allowed, or when no context can be made, the
 * grounds are made in place, before the buffers, exactly as the task would make them.
 */
typedef struct grounds_job {
    bz_context *own; /* the task's context; NULL when the work ran in place */
    const bz_line *line;
    const GEOSGeometry *region, *territory;
    double reach_m;
    GEOSGeometry *ground[2];
    int status;
} grounds_job;

static void grounds_run(grounds_job *j)
{
    j->status = bzi_side_grounds(j->own, j->line, j->region, j->territory, j->reach_m,
                                 &j->ground[BZ_SIDE_A], &j->ground[BZ_SIDE_B]);
}

static int grounds_start(grounds_job *j, bz_zones *z, const bz_line *line,
                         const GEOSGeometry *region, const GEOSGeometry *territory, double reach_m)
{
    memset(j, 0, sizeof *j);
    j->line = line;
    j->region = region;
    j->territory = territory;
    j->reach_m = reach_m;
    if (bzi_thread_count(z->ctx) > 1 && (j->own = bz_context_new()) != NULL) {
        j->own->progress = z->ctx->progress; /* the task sees a stop (it never reports) */
        return BZ_OK;                        /* made by grounds_and_buffers, beside the buffers */
    }
    int rc = bzi_side_grounds(z->ctx, line, region, territory, reach_m, &z->ground[BZ_SIDE_A],
                              &z->ground[BZ_SIDE_B]);
    j->status = rc;
    return rc;
}

/* Move the grounds into z. Their failure is reported before any failure of the buffers, as if
 * they had been made first. */
static int grounds_finish(grounds_job *j, bz_zones *z, int rc)
{
    if (!j->own)
        return j->status != BZ_OK ? j->status : rc;
    if (j->status != BZ_OK)
        rc = bzi_error(z->ctx, j->status, "%s", bz_errmsg(j->own));
    bz_context_free(j->own);
    j->own = NULL;
    z->ground[BZ_SIDE_A] = j->ground[BZ_SIDE_A];
    z->ground[BZ_SIDE_B] = j->ground[BZ_SIDE_B];
    return rc;
}

/* The buffers: one per distinct positive distance, on the calling thread (they report progress
 * and fan out themselves, zones/buffer.c). */
typedef struct buffers_job {
    bz_context *ctx;
    const bz_line *work;
    const double *dist, *tol; /* per side */
    GEOSGeometry *buf[2];
    int status; /* in: BZ_OK to start */
} buffers_job;

static void make_buffers(buffers_job *b)
{
    const double *dist = b->dist;
    for (int s = 0; s < 2 && b->status == BZ_OK; s++) {
        double d = dist[s];
        if (d == 0.0 || (s == 1 && d == dist[0]))
            continue;
        int both = dist[0] > 0.0 && dist[1] > 0.0 && dist[0] != dist[1];
        bzi_progress_stage(b->ctx, both && s ? 0.4 : 0.2, both && !s ? 0.4 : 0.6);
        b->status = bzi_geodesic_buffer(&b->buf[s], b->ctx, b->work, d, b->tol[s]);
    }
}

/* The two tasks side by side: task 0 (the calling thread's) the buffers, task 1 the grounds. */
typedef struct buffers_and_grounds {
    buffers_job *buffers;
    grounds_job *grounds;
} buffers_and_grounds;

static void buffers_and_grounds_run(void *arg, size_t i)
{
    buffers_and_grounds *t = arg;
    if (i == 0)
        make_buffers(t->buffers);
    else
        grounds_run(t->grounds);
}

/* The contact line inside the region (or the whole line), as a new MultiLineString. */
static GEOSGeometry *contact_in_region(GEOSContextHandle_t h, const bz_line *line,
                                       const GEOSGeometry *region, int *st)
{
    const GEOSGeometry *lg = bz_line_geometry(line);
    GEOSGeometry *g = region ? GEOSIntersection_r(h, lg, region) : GEOSGeom_clone_r(h, lg);
    return bzi_as_merged_lines(h, g, st);
}

/* A zone's edges are lon/lat chords: GEOS clipped it along the region's and the territory's
 * straight edges (the contact line too, in the territory form), and the rest (the withdrawal
 * line, a geodesic contact line) is points close enough for chords. Its area reads them so. An
 * edge read as a geodesic instead adds or takes (2/3)·sag·length, so a 1 mm zone along the
 * DeepState front (1 km territory edges, up to 2 cm of sag) measured 3.0 and 0.9 m² per km
 * instead of 1.0. The sag allowed is 0.15 of the area bound per metre of line,
 * max(1 m² per km, 1e-4·d); edges entered are already cut to 1 cm, enough from d = 670 m. */
static double area_sag_m(double d)
{
    if (!(d > 0.0))
        return 0.0; /* no zone, nothing to read */
    double sag = 0.15 * fmax(1e-3, 1e-4 * d);
    return sag < 0.01 ? sag : 0.0;
}

/* Above d = 670 m a returned zone's edges are still cut where their lon/lat chord strays more
 * than this from their geodesic. Edges that GEOS made long (a curve between parts, an end's
 * continuation, a clip near a pole) were read as geodesics by the areas and as straight lon/lat
 * lines by the clipping: 100 km zones of a 19-part line at 82S, in a box split at 180, moved
 * 9,600 m^2 (1.3e-4 of a zone) from one side's reported area to the other's across one 36 km
 * edge (seed 4 case 431). The contact line's own points are 1 cm apart in sag (its pieces
 * near a pole a little more, as its geodesics bulge poleward), and stay uncut: its edges read
 * as the geodesics they stand for, so a geodesic line's two zones stay equal. */
#define LONG_EDGE_SAG_M 0.015

/* The sag a returned zone's edges are cut to. */
static double zone_sag_m(double d)
{
    double sag = area_sag_m(d);
    return sag > 0.0 ? sag : LONG_EDGE_SAG_M;
}

/* What the three tasks of bzi_zones_finish share. */
typedef struct finish_job {
    bz_zones *z;
    const GEOSGeometry *region;
    double sag_all;  /* the sag every returned zone's edges are cut to (INFINITY: none) */
    double sag_area; /* the sag the areas read edges as chords at (INFINITY: none) */
} finish_job;

/* Zones of small distances are returned with their long chords cut, so that any reader's area
 * (ours, pyproj's, PostGIS's: edges as geodesics) reads the shape GEOS cut. One cut for all
 * three, the finest any side needs: the zones' areas and the buffer zone's then read every edge
 * alike (a 4 m side cut and a 4 km side not, at 88.5N, left the buffer zone's polygon 2.8 m^2
 * off the zones' sum). Every zone is cut (zone_sag_m); the areas read chords only below 670 m
 * (area_sag_m), and above it edges as geodesics, which the cut has made short enough to read
 * alike. */
static int cut_long_edges(bz_context *c, GEOSGeometry **g, double sag)
{
    if (!isfinite(sag))
        return BZ_OK;
    GEOSGeometry *cut = NULL;
    int rc = bzi_chord_densified(c, *g, sag, &cut);
    if (rc)
        return rc;
    GEOSGeom_destroy_r(c->geos, *g);
    *g = cut;
    return BZ_OK;
}

/* Task i of bzi_zones_finish: side i's zone cut, its area and its withdrawal line's length
 * (i = 0, 1), or the buffer zone cut and the contact line's length inside the region (i = 2).
 * Each writes only its own fields of z. */
static int finish_task(bz_context *c, void *arg, size_t i)
{
    const finish_job *j = arg;
    bz_zones *z = j->z;
    if (i < 2) {
        int rc = cut_long_edges(c, &z->zone[i], j->sag_all);
        if (rc == BZ_OK)
            rc = bzi_chord_area(c, z->zone[i], isfinite(j->sag_area) ? j->sag_area : 0.0,
                                &z->area[i]);
        if (rc == BZ_OK)
            rc = bz_geodesic_length(&z->withdrawal_length[i], c, z->withdrawal[i]);
        return rc;
    }
    int rc = cut_long_edges(c, &z->buffer_zone, j->sag_all);
    if (rc)
        return rc;
    int st = BZ_ERR_GEOS;
    GEOSGeometry *contact = contact_in_region(c->geos, z->line, j->region, &st);
    if (!contact)
        return bzi_geom_fail(c, st, "clipping the contact line to the region");
    rc = bz_geodesic_length(&z->contact_length, c, contact);
    GEOSGeom_destroy_r(c->geos, contact);
    return rc;
}

/* Buffer zone, areas and lengths once zones and withdrawal lines are set: the three tasks of
 * finish_task side by side (each a few hundredths of a second on a 100,000-vertex line). */
int bzi_zones_finish(bz_zones *z, const GEOSGeometry *region)
{
    bz_context *ctx = z->ctx;
    GEOSContextHandle_t h = ctx->geos;
    int st = BZ_ERR_GEOS;
    if (!z->buffer_zone)
        z->buffer_zone = bzi_as_multi(h, GEOSUnion_r(h, z->zone[0], z->zone[1]), GEOS_POLYGON, &st);
    if (!z->buffer_zone)
        return bzi_geom_fail(ctx, st, "uniting the two zones into the buffer zone");
    finish_job j = {z, region, INFINITY, INFINITY};
    for (int s = 0; s < 2; s++)
        if (z->distance[s] > 0.0) {
            j.sag_all = fmin(j.sag_all, zone_sag_m(z->distance[s]));
            if (area_sag_m(z->distance[s]) > 0.0)
                j.sag_area = fmin(j.sag_area, area_sag_m(z->distance[s]));
        }
    int rc = bzi_pool_run_own(ctx, 3, finish_task, &j);
    if (rc)
        return rc;
    /* The zones lie on disjoint grounds and meet only along the contact line, so the buffer
     * zone's area is their sum. Measuring the united polygon instead would read a slightly
     * different figure: GEOS unites in lon/lat and drops vertices that are collinear there,
     * while the ellipsoidal area reads every edge as a geodesic (near the poles the two readings
     * differed by 1.6e-5 of the area), and a table whose A + B is not its total helps nobody. */
    z->buffer_area = z->area[0] + z->area[1];
    return BZ_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* bz_zones_compute                                                                         */
/* ---------------------------------------------------------------------------------------- */

static double default_bound(double d)
{
    double b = 1e-4 * d;
    return b > 1.0 ? b : 1.0;
}

/* Zone and withdrawal line of side s from the buffer at its distance (on context c). */
static int side_from_buffer(bz_context *c, bz_zones *z, int s, const GEOSGeometry *buf)
{
    GEOSContextHandle_t h = c->geos;
    int st = BZ_ERR_GEOS;
    z->zone[s] = bzi_as_multi(h, GEOSIntersection_r(h, buf, z->ground[s]), GEOS_POLYGON, &st);
    if (!z->zone[s])
        return bzi_geom_fail(c, st,
                             s == BZ_SIDE_A ? "clipping side A's zone to its ground"
                                            : "clipping side B's zone to its ground");
    GEOSGeometry *edge = GEOSBoundary_r(h, buf);
    GEOSGeometry *inside = edge ? GEOSIntersection_r(h, edge, z->ground[s]) : NULL;
    if (edge)
        GEOSGeom_destroy_r(h, edge);
    z->withdrawal[s] = z->round_frame ? bzi_lines_off_seam(h, inside, z->seam[0], z->seam[1], &st)
                                      : bzi_as_merged_lines(h, inside, &st);
    if (!z->withdrawal[s])
        return bzi_geom_fail(c, st,
                             s == BZ_SIDE_A ? "clipping side A's withdrawal line to its ground"
                                            : "clipping side B's withdrawal line to its ground");
    return BZ_OK;
}

/* Both sides from their buffers, side by side (a task of a fan-out each). */
typedef struct sides_job {
    bz_zones *z;
    const GEOSGeometry *buf[2];
} sides_job;

static int side_task(bz_context *c, void *arg, size_t s)
{
    sides_job *j = arg;
    return side_from_buffer(c, j->z, (int)s, j->buf[s]);
}

/*
 * In the line-alone form the frame spans every longitude when the line goes (nearly) round a
 * pole (sides.c, reach_frame): the grounds lie in [seam[0], seam[1]], a turn wide, but the
 * buffers, made along the line's unwrapped longitudes, stick out of it at both edges, and what
 * sticks out is ground at the other edge (a ring round a pole lost its zone beside the closing
 * vertex: seed 4 case 273). Each buffer is framed as a polygon input is (antimeridian.h: the
 * parts out of the frame moved by a turn and united with the rest). The same with a region or
 * a territory whose grounds are framed to such a ring, a turn wide (a ring at 89S closing
 * inside a region of lon -110..-21 lost 11 km^2 of its 5 km zone west of the closing vertex, a
 * withdrawal line 3.4 km off: seed 9 case 597 of the oracle).
 */
static int wrap_round_frame(bz_zones *z, GEOSGeometry *buf[2])
{
    GEOSContextHandle_t h = z->ctx->geos;
    double lo = INFINITY, hi = -INFINITY;
    for (int s = 0; s < 2; s++) {
        double x0, x1;
        if (!GEOSisEmpty_r(h, z->ground[s]) && GEOSGeom_getXMin_r(h, z->ground[s], &x0) &&
            GEOSGeom_getXMax_r(h, z->ground[s], &x1)) {
            lo = fmin(lo, x0);
            hi = fmax(hi, x1);
        }
    }
    if (!(hi - lo >= 360.0 - 1e-9))
        return BZ_OK;
    z->round_frame = 1;
    z->seam[0] = lo;
    z->seam[1] = hi;
    for (int s = 0; s < 2; s++) {
        if (!buf[s])
            continue;
        GEOSGeometry *framed = NULL;
        int rc =
            bzi_polygon_frame(z->ctx, buf[s], 0.5 * (lo + hi), "the buffer round a pole", &framed);
        if (rc)
            return rc;
        if (framed) {
            GEOSGeom_destroy_r(h, buf[s]);
            buf[s] = framed;
        }
    }
    return BZ_OK;
}

/* A side that does not withdraw: empty zone, the contact line as its withdrawal line. */
static int side_at_zero(bz_zones *z, int s, const GEOSGeometry *region, int chords)
{
    GEOSContextHandle_t h = z->ctx->geos;
    int st = BZ_ERR_GEOS;
    /* The withdrawal line is the contact line, whose segments are geodesics: a viewer draws a
     * written edge straight in lon/lat, and a 300 km segment drawn so strays 7.7 km from its
     * geodesic at its middle. Points on the geodesics keep every chord within the bound. */
    bz_line *dense = NULL;
    int rc = line_densified(&dense, z->ctx, z->line, ZERO_SIDE_SAG_M, chords);
    if (rc)
        return rc;
    z->zone[s] = empty_multi(h, GEOS_MULTIPOLYGON);
    z->withdrawal[s] = contact_in_region(h, dense, region, &st);
    bz_line_free(dense);
    if (!z->zone[s] || !z->withdrawal[s])
        return bzi_geom_fail(z->ctx, st, "making a zero-distance side");
    return BZ_OK;
}

/* In the line-alone form a side's ground is reported as its half of the largest buffer. */
int bzi_zones_trim_grounds(bz_zones *z, const GEOSGeometry *largest)
{
    GEOSContextHandle_t h = z->ctx->geos;
    int st = BZ_ERR_GEOS;
    for (int s = 0; s < 2; s++) {
        GEOSGeometry *t = largest ? GEOSIntersection_r(h, z->ground[s], largest)
                                  : empty_multi(h, GEOS_MULTIPOLYGON);
        t = bzi_as_multi(h, t, GEOS_POLYGON, &st);
        if (!t)
            return bzi_geom_fail(z->ctx, st, "trimming a side's ground to the buffer");
        GEOSGeom_destroy_r(h, z->ground[s]);
        z->ground[s] = t;
        int rc = bzi_progress_poll(z->ctx, 0.5 * (s + 1));
        if (rc)
            return rc;
    }
    return BZ_OK;
}

/* The buffer zone without uniting the two zones where that is not needed (uniting two large
 * zones along their shared edge costs more than the rest of the job): with equal distances it
 * is the buffer clipped to the region (the grounds cover the region, or in the line-alone form
 * the whole buffer); with one distance 0 it is the other zone. Otherwise zones_finish unites. */
/* A hole this thin (bzi_ring_width_bound_m) is noise, not ground the definition leaves out:
 * 1 cm, or a twentieth of a smaller distance. Unions and clips leave such holes (6e-5 m^2 in a
 * 999 km zone of a 17-part line, seed 4 case 128), and so do regions united from two sources'
 * countries (1e-16 square degrees along world-atlas's Belarus-Russia border). */
#define THIN_HOLE_M 0.01

static int thin_hole(bz_context *ctx, const GEOSGeometry *ring, void *arg)
{
    double w = bzi_ring_width_bound_m(ctx->geos, ring);
    if (w < 0)
        return bzi_geos_error(ctx, "measuring a zone's hole");
    return w <= *(const double *)arg;
}

/* Both zones and the buffer zone without their thin holes. */
static int drop_thin_holes(bz_zones *z)
{
    double dmin = INFINITY;
    for (int s = 0; s < 2; s++)
        if (z->distance[s] > 0.0)
            dmin = fmin(dmin, z->distance[s]);
    for (int s = 0; s < 3; s++) {
        GEOSGeometry **g = s < 2 ? &z->zone[s] : &z->buffer_zone;
        double d = s < 2 ? z->distance[s] : dmin;
        if (!*g || !(d > 0.0))
            continue;
        double width = fmin(THIN_HOLE_M, 0.05 * d);
        int rc = bzi_drop_holes(z->ctx, g, thin_hole, &width, "filling a zone's thin holes");
        if (rc)
            return rc;
    }
    return BZ_OK;
}

static int shortcut_buffer_zone(bz_zones *z, GEOSGeometry *const buf[2], const GEOSGeometry *region)
{
    GEOSContextHandle_t h = z->ctx->geos;
    int st = BZ_ERR_GEOS;
    GEOSGeometry *bz = NULL;
    if (z->distance[0] == 0.0 || z->distance[1] == 0.0) {
        int s = z->distance[0] == 0.0 ? BZ_SIDE_B : BZ_SIDE_A;
        bz = GEOSGeom_clone_r(h, z->zone[s]);
    } else if (z->distance[0] == z->distance[1]) {
        bz = region ? bzi_as_multi(h, GEOSIntersection_r(h, buf[0], region), GEOS_POLYGON, &st)
                    : GEOSGeom_clone_r(h, buf[0]);
    } else {
        return BZ_OK;
    }
    if (!bz)
        return bzi_geom_fail(z->ctx, st, "making the buffer zone");
    z->buffer_zone = bz;
    return BZ_OK;
}

static int verify_sides(bz_zones *z, const bz_zone_options *o)
{
    for (int s = 0; s < 2; s++) {
        double d = z->distance[s];
        if (d == 0.0)
            continue; /* the contact line itself: at distance 0 by definition */
        double bound = o->max_error_m > 0.0 ? o->max_error_m : default_bound(d);
        /* Between samples s apart on an arc of radius d a chord strays s²/(8d): at 10 bounds
         * apart that is below 1e-7 of the bound's own 1e-4·d. A 999 km zone's check then
         * samples every 999 m, not every 250 m (8.5 -> 4.9 s of CPU on a 2,000-vertex line). */
        double step = o->verify_step_m > 0.0
                          ? o->verify_step_m
                          : fmax(DEFAULT_VERIFY_STEP_M, VERIFY_STEP_BOUNDS * bound);
        bzi_progress_stage(z->ctx, 0.70 + 0.14 * s, 0.84 + 0.14 * s);
        bzi_verify_result r;
        int rc = bzi_verify_withdrawal(z->ctx, z->line, z->withdrawal[s], d, z->ground[s], step,
                                       0.5 * bound, &r);
        if (rc)
            return rc;
        if (r.max_error_m > z->max_error)
            z->max_error = r.max_error_m;
        if (r.max_error_m > bound)
            return bzi_error(z->ctx, BZ_ERR_ACCURACY,
                             "side %s's withdrawal line is %.3f m off its distance %g m at lon "
                             "%.7f, lat %.7f (bound %.3f m)",
                             side_name(s), r.max_error_m, d, r.worst_lon, r.worst_lat, bound);
    }
    return BZ_OK;
}

/* Zones must stay this far from a pole: the buffer and the grounds live in lon/lat, where a
 * polygon around a pole cannot be drawn, and the line-alone frame stops at 89.99 degrees. */
#define POLE_MARGIN_M 2000.0

/* Refuse, up front and by the exact distance, a zone that would reach a pole (it would fail
 * deep inside GEOS otherwise, with a message that names nothing the caller gave). */
static int check_poles(bz_context *ctx, const bz_line *line, double dmax)
{
    for (int k = 0; k < 2; k++) {
        bz_nearest nr;
        int rc = bz_line_distance(&nr, ctx, line, 0.0, k ? -90.0 : 90.0);
        if (rc)
            return rc;
        if (nr.distance_m < dmax + POLE_MARGIN_M)
            return bzi_error(ctx, BZ_ERR_ARGUMENT,
                             "the %g km zone would %s the %s Pole (the line passes %.3f km from "
                             "it, at lon %.7f, lat %.7f): zones that reach within %g km of a pole "
                             "are not supported",
                             dmax / 1000.0,
                             nr.distance_m < dmax ? "contain" : "come within 2 km of",
                             k ? "South" : "North", nr.distance_m / 1000.0, nr.lon, nr.lat,
                             POLE_MARGIN_M / 1000.0);
    }
    return BZ_OK;
}

/* The area check (verify_area.c) runs beside the withdrawal lines' check: its point-in-polygon
 * indexes are built and its samples judged on a thread of their own when more than one is
 * allowed (8,000 distance queries and point-in-polygon tests), while verify_sides fans out over
 * the threads; that stage needs nothing of GEOS but reading coordinates, only the line
 * (read-only) and a context of its own. Its holes are judged afterwards, on the calling thread. */
typedef struct area_job {
    bz_context *ctx; /* the walk's own context, or z->ctx when run in place */
    bzi_area_check *check;
    bzi_area_result r;
    int status;
} area_job;

/* BZ_OK or a failure (recorded in z->ctx). */
static int area_start(area_job *j, bz_zones *z, const bz_zone_options *o, const bz_line *line,
                      const GEOSGeometry *region)
{
    memset(j, 0, sizeof *j);
    j->ctx = z->ctx;
    double margin[2];
    for (int s = 0; s < 2; s++) {
        double bound = o->max_error_m > 0.0 ? o->max_error_m : default_bound(z->distance[s]);
        margin[s] = z->distance[s] > 0.0 ? fmin(bound, 0.1 * z->distance[s]) : 0.0;
    }
    const GEOSGeometry *zone[2] = {z->zone[0], z->zone[1]},
                       *ground[2] = {z->ground[0], z->ground[1]};
    int rc =
        bzi_verify_area_prepare(z->ctx, line, z->distance, margin, zone, ground, region, &j->check);
    if (rc == BZ_OK && bzi_thread_count(z->ctx) > 1 && (j->ctx = bz_context_new()) != NULL)
        j->ctx->progress = z->ctx->progress; /* the task sees a stop (it never reports) */
    else
        j->ctx = z->ctx;
    return rc;
}

static void area_run(area_job *j)
{
    j->status = bzi_verify_area_walk(j->ctx, j->check, &j->r);
}

/* Free the check and the walk's context; when `report`, judge the holes and refuse ground lost
 * or added beyond the bound, naming where and beside which segment of the line (its length
 * often says why). */
static int area_finish(area_job *j, bz_zones *z, int report)
{
    int rc = report ? j->status : BZ_OK;
    if (j->ctx != z->ctx) {
        if (rc != BZ_OK)
            rc = bzi_error(z->ctx, rc, "%s", bz_errmsg(j->ctx));
        bz_context_free(j->ctx);
        j->ctx = z->ctx;
    }
    if (rc == BZ_OK && report)
        rc = bzi_verify_area_holes(z->ctx, j->check, &j->r);
    bzi_verify_area_free(j->check);
    j->check = NULL;
    const bzi_area_result *r = &j->r;
    if (rc || !report || r->kind == BZI_AREA_OK)
        return rc;
    size_t n = 0;
    const double *p = bz_line_part_coords(z->line, r->part, &n);
    double seg = 0.0;
    if (p && r->segment + 1 < n)
        geod_inverse(&z->ctx->geod, p[2 * r->segment + 1], p[2 * r->segment], p[2 * r->segment + 3],
                     p[2 * r->segment + 2], &seg, NULL, NULL);
    static const char *what[] = {"", "is missing ground within its distance",
                                 "holds ground beyond its distance",
                                 "is missing ground that fell to neither side",
                                 "has a hole within its distance on its own ground"};
    return bzi_error(z->ctx, BZ_ERR_ACCURACY,
                     "side %s's %g m zone %s: at lon %.7f, lat %.7f, %.1f m from the line, beside "
                     "segment %zu of part %zu (%.3f km long); the area check found it",
                     side_name(r->side), z->distance[r->side], what[r->kind], r->lon, r->lat,
                     r->distance_m, r->segment, r->part, seg / 1000.0);
}

/* Both checks side by side: task 0 (the calling thread's) the withdrawal lines, task 1 the
 * area. */
typedef struct checks {
    bz_zones *z;
    const bz_zone_options *o;
    area_job *area;
    int status;
} checks;

static void checks_run(void *arg, size_t i)
{
    checks *c = arg;
    if (i == 0)
        c->status = verify_sides(c->z, c->o);
    else
        area_run(c->area);
}

/* The self-check. A failure of the withdrawal lines' check is reported before one of the area
 * check's samples, as if that had run second. */
static int verify_all(bz_zones *z, const bz_zone_options *o, const bz_line *line,
                      const GEOSGeometry *region)
{
    area_job area;
    int rc = area_start(&area, z, o, line, region);
    if (rc == BZ_OK && area.ctx != z->ctx) {
        checks both = {z, o, &area, BZ_OK};
        bzi_pool_run(z->ctx, 2, 2, checks_run, &both);
        rc = both.status;
    } else if (rc == BZ_OK) {
        rc = verify_sides(z, o);
        if (rc == BZ_OK)
            area_run(&area);
    }
    int arc = area_finish(&area, z, rc == BZ_OK);
    return rc != BZ_OK ? rc : arc;
}

static int check_options(bz_context *ctx, const bz_zone_options *o)
{
    if (bzi_check_options_version(ctx, "bz_zones_compute", "bz_zone_options", o->version,
                                  BZ_ZONE_OPTIONS_VERSION) != BZ_OK)
        return BZ_ERR_ARGUMENT;
    if (!(o->max_error_m >= 0.0) || isinf(o->max_error_m))
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "max_error_m must be >= 0, got %g", o->max_error_m);
    if (!(o->verify_step_m >= 0.0) || isinf(o->verify_step_m))
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "verify_step_m must be >= 0, got %g",
                         o->verify_step_m);
    if (!(o->derive_tolerance_m >= 0.0) || isinf(o->derive_tolerance_m))
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "derive_tolerance_m must be >= 0, got %g",
                         o->derive_tolerance_m);
    return BZ_OK;
}

/* Stages of the progress fraction (rough shares of the time on real fronts): making the line
 * 0-0.02, the grounds (when made in place) 0.02-0.2, the buffers 0.2-0.6, the zones 0.6-0.7,
 * verification 0.7-0.98; 1 at the end (bz_zones_compute). */
static int zones_compute(bz_zones **out, bz_context *ctx, const bz_line *line,
                         const GEOSGeometry *region, const GEOSGeometry *territory, double dist_a_m,
                         double dist_b_m, const bz_zone_options *opts)
{
    if (!out)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_zones_compute: NULL out");
    *out = NULL;
    static const bz_zone_options defaults = BZ_ZONE_OPTIONS_INIT;
    const bz_zone_options *o = opts ? opts : &defaults;
    int rc = check_options(ctx, o);
    if (rc == BZ_OK)
        rc = bzi_check_distance(ctx, dist_a_m, BZ_SIDE_A);
    if (rc == BZ_OK)
        rc = bzi_check_distance(ctx, dist_b_m, BZ_SIDE_B);
    bzi_framed fr = {0}, ft = {0};
    if (rc == BZ_OK)
        rc = bzi_frame_inputs(ctx, line, region, territory, &fr, &ft);
    if (rc == BZ_OK)
        rc = bzi_check_forms(ctx, line, fr.use, ft.use);
    bz_zones *z = NULL;
    if (rc == BZ_OK) {
        bzi_progress_stage(ctx, 0.0, 0.02);
        rc = bzi_zones_begin(&z, ctx, line, fr.use, ft.use, o->derive_tolerance_m);
    }
    if (rc == BZ_OK && !line)
        rc = bzi_reframe_inputs(ctx, z->line, &fr, &ft);
    if (rc == BZ_OK)
        rc = bzi_progress_poll(ctx, 1.0);
    if (rc) {
        bz_zones_free(z);
        bzi_framed_free(ctx, &fr);
        bzi_framed_free(ctx, &ft);
        return rc;
    }
    region = fr.use;
    territory = ft.use;

    double dist[2] = {dist_a_m, dist_b_m};
    double dmax = fmax(dist_a_m, dist_b_m);
    z->distance[0] = dist_a_m;
    z->distance[1] = dist_b_m;
    if (dmax > 0.0 && (rc = check_poles(ctx, z->line, dmax)) != BZ_OK) {
        bz_zones_free(z);
        bzi_framed_free(ctx, &fr);
        bzi_framed_free(ctx, &ft);
        return rc;
    }
    /* The buffers' tolerances; below 1 cm the grounds and buffers need a finer line (see
     * line_densified), a copy used only for cutting and buffering. */
    double tol[2] = {0.0, 0.0}, tol_min = INFINITY, sag = INFINITY;
    for (int s = 0; s < 2; s++) {
        double bound = o->max_error_m > 0.0 ? o->max_error_m : default_bound(dist[s]);
        tol[s] = fmin(BUFFER_SHARE * bound, DISTANCE_SHARE * dist[s]);
        if (dist[s] > 0.0) {
            tol_min = fmin(tol_min, tol[s]);
            /* the zones' areas read their edges as chords (area_sag_m): along the contact
             * line those chords must then be as close to its geodesics */
            double as = area_sag_m(dist[s]);
            sag = fmin(sag, as > 0.0 ? as : INFINITY);
        }
    }
    if (tol_min < 0.1)
        sag = fmin(sag, 0.1 * tol_min);
    bz_line *dense = NULL;
    if (isfinite(sag) &&
        (rc = line_densified(&dense, ctx, z->line, sag, territory && !line)) != BZ_OK) {
        bz_zones_free(z);
        bzi_framed_free(ctx, &fr);
        bzi_framed_free(ctx, &ft);
        return rc;
    }
    const bz_line *work = dense ? dense : z->line;
    grounds_job grounds;
    bzi_progress_stage(ctx, 0.02, 0.2);
    rc = grounds_start(&grounds, z, work, region, territory, dmax * 1.01 + REACH_MARGIN_M);

    /* One buffer per distinct positive distance, while the grounds are being made. */
    buffers_job bj = {ctx, work, dist, tol, {NULL, NULL}, rc};
    if (grounds.own) {
        buffers_and_grounds both = {&bj, &grounds};
        bzi_pool_run(ctx, 2, 2, buffers_and_grounds_run, &both);
    } else if (rc == BZ_OK) {
        make_buffers(&bj);
    }
    GEOSGeometry **buf = bj.buf;
    rc = grounds_finish(&grounds, z, bj.status);
    bzi_progress_stage(ctx, 0.6, 0.7);
    if (rc == BZ_OK)
        rc = bzi_progress_poll(ctx, 0.0);
    if (rc == BZ_OK)
        rc = wrap_round_frame(z, buf);
    const GEOSGeometry *side_buf[2] = {NULL, NULL};
    for (int s = 0; s < 2; s++)
        side_buf[s] = buf[s] ? buf[s] : (dist[s] > 0.0 ? buf[0] : NULL);
    if (rc == BZ_OK && side_buf[0] && side_buf[1]) {
        /* Threads share no GEOS geometry (one may cache what it reads): with one buffer for
         * both sides, side B works on a copy. */
        GEOSGeometry *copy = side_buf[1] == side_buf[0] && bzi_thread_count(ctx) > 1
                                 ? GEOSGeom_clone_r(ctx->geos, side_buf[0])
                                 : NULL;
        sides_job sj = {z, {side_buf[0], copy ? copy : side_buf[1]}};
        rc = bzi_pool_run_own(ctx, 2, side_task, &sj);
        if (copy)
            GEOSGeom_destroy_r(ctx->geos, copy);
        if (rc == BZ_OK)
            rc = bzi_progress_poll(ctx, 0.4);
    } else {
        for (int s = 0; s < 2 && rc == BZ_OK; s++) {
            rc = side_buf[s] ? side_from_buffer(ctx, z, s, side_buf[s])
                             : side_at_zero(z, s, region, territory && !line);
            if (rc == BZ_OK)
                rc = bzi_progress_poll(ctx, 0.2 * (s + 1));
        }
    }
    if (rc == BZ_OK)
        rc = shortcut_buffer_zone(z, buf, region);
    if (rc == BZ_OK)
        rc = drop_thin_holes(z);
    if (rc == BZ_OK)
        rc = bzi_progress_poll(ctx, 0.5);
    if (rc == BZ_OK)
        rc = bzi_zones_finish(z, region);
    if (rc == BZ_OK)
        rc = bzi_progress_poll(ctx, 1.0);
    /* Verify against the untrimmed grounds: a trimmed ground's edge is the withdrawal line. The
     * area is checked along the line the zones were cut along. */
    if (rc == BZ_OK && o->verify)
        rc = verify_all(z, o, work, region);
    bzi_progress_stage(ctx, 0.98, 1.0);
    if (rc == BZ_OK)
        rc = bzi_progress_poll(ctx, 0.0);
    if (rc == BZ_OK && !region) {
        const GEOSGeometry *largest = dist[1] > dist[0] ? buf[1] : buf[0];
        rc = bzi_zones_trim_grounds(z, largest);
    }
    for (int s = 0; s < 2; s++)
        if (buf[s])
            GEOSGeom_destroy_r(ctx->geos, buf[s]);
    bz_line_free(dense);
    bzi_framed_free(ctx, &fr);
    bzi_framed_free(ctx, &ft);
    return bzi_zones_hand_out(out, z, rc);
}

int bz_zones_compute(bz_zones **out, bz_context *ctx, const bz_line *line,
                     const GEOSGeometry *region, const GEOSGeometry *territory, double dist_a_m,
                     double dist_b_m, const bz_zone_options *opts)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (out)
        *out = NULL;
    /* A version 1 struct ends before the callback fields: read them only from version 2 on. */
    int v2 = opts && opts->version >= 2 && opts->version <= BZ_ZONE_OPTIONS_VERSION;
    bzi_progress progress;
    int rc = bzi_progress_begin(&progress, ctx, v2 ? opts->progress : NULL,
                                v2 ? opts->progress_data : NULL);
    if (rc == BZ_OK)
        rc = zones_compute(out, ctx, line, region, territory, dist_a_m, dist_b_m, opts);
    rc = bzi_progress_end(ctx, rc); /* the callback may still stop it at 1.0 */
    if (rc != BZ_OK && out && *out) {
        bz_zones_free(*out);
        *out = NULL;
    }
    return rc;
}

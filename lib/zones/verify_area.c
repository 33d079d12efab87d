/*
 * verify_area.c — a result checks its own AREA, not only its withdrawal lines.
 *
 * verify.c samples points that exist on the withdrawal lines, so ground that is missing from a
 * zone (a side's ground cut short, a hole that should not be there) leaves nothing to sample.
 * Here points are sampled across the band instead, where the definition says what they must be:
 * at stations spread evenly along the contact line, points on both sides along the line's normal
 * at fixed shares of each side's distance, just inside it and just beyond it. For each, the
 * exact geodesic distance to the line decides (asked only up to the farthest distance that can
 * be judged, bzi_line_distance_below: a point beyond it is settled without its nearest point):
 *  - within the distance (less the bound): the point must lie in a ground, and in the zone of
 *    the side whose ground holds it (in the line-alone form, or inside the region);
 *  - beyond the distance (plus the bound): it must lie in no zone.
 * Points within the bound of the line or of a withdrawal line are not judged (the cut and the
 * withdrawal line are allowed that much). And every interior ring of a zone is judged by a
 * point inside it: a hole whose point lies on the zone's ground within its distance is ground
 * the zone lost.
 *
 * Cost: 2 × STATIONS × LANES distance queries and point-in-polygon tests (measured below, at
 * STATIONS). Its resolution: ground missing over more than about the station spacing (the
 * line's length / 1,000) is found; smaller losses are holes (found by the hole test whatever
 * their size) or notches that slip between stations.
 *
 * Three stages, so that the samples can be judged on another thread beside other work:
 * bzi_verify_area_prepare (the caller's thread) notes what the check needs; bzi_verify_area_walk
 * (any thread, with a context of its own) indexes the zones, grounds and region for
 * point-in-polygon (core/pip.h: it only reads their coordinates) and judges the samples;
 * bzi_verify_area_holes (the caller's thread again: GEOS works on the zones' rings) judges the
 * holes. A hole found is reported before a sample.
 */
#include "zones/verify_area.h"
#include "core/context.h"
#include "core/geometry.h"
#include "core/pip.h"
#include "core/polygon.h"
#include "geo/line.h"
#include "geo/distance.h"
#include "geo/geodesic.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define EARTH_R 6371008.8
#define DEG (3.14159265358979323846 / 180.0)
/* Stations along the whole line (fewer when it is short: at most one every STATION_MIN_M).
 * With 4 shares a side that is 8,000 samples: on the DeepState front (territory form, 3,400 km
 * of line) 0.11-0.14 s of CPU against 0.6 s for the zones and 0.35 s for verify.c, measured. */
#define STATIONS 1000
#define STATION_MIN_M 50.0
/* Shares of a side's distance at which each station is sampled on that side. */
static const double shares[] = {0.25, 0.6, 0.95, 1.3};
#define LANES (sizeof shares / sizeof shares[0])

struct bzi_area_check {
    bz_context *ctx; /* the context of the stage running (its errors, its geodesic) */
    const bz_line *line;
    double dist[2];
    double bound[2];            /* the margins */
    const GEOSGeometry *src[5]; /* zone A, zone B, ground A, ground B, region (NULL = none) */
    bzi_pip zone[2], ground[2], region; /* their indexes (empty for a missing geometry) */
    int indexed;                        /* the walk built them */
    int line_alone;
    /* the line-alone frame spans every longitude (a line round a pole): points are moved by
     * whole turns into [frame_lo, frame_lo + 360] before they are located */
    int round_frame;
    double frame_lo;
    bzi_area_result *out;
};
typedef struct bzi_area_check area_check;

static double sphere_m(const double *p, const double *q)
{
    double sy = sin(0.5 * (q[1] - p[1]) * DEG), sx = sin(0.5 * (q[0] - p[0]) * DEG);
    double a = sy * sy + cos(p[1] * DEG) * cos(q[1] * DEG) * sx * sx;
    return 2.0 * EARTH_R * asin(sqrt(fmin(1.0, a)));
}

/* Record what went wrong at (lon, lat), the first time. */
static void found(area_check *c, int kind, int side, double lon, double lat, const bz_nearest *nr)
{
    bzi_area_result *o = c->out;
    if (o->kind)
        return;
    o->kind = kind;
    o->side = side;
    o->lon = lon;
    o->lat = lat;
    o->distance_m = nr->distance_m;
    o->part = nr->part;
    o->segment = nr->segment;
}

/* Record what went wrong at (lon, lat), the first time, with the nearest point of the line
 * (asked again in full: the judging itself needs only the distance). */
static int found_at(area_check *c, int kind, int side, double lon, double lat, double qlon)
{
    if (c->out->kind)
        return BZ_OK;
    bz_nearest nr;
    int rc = bz_line_distance(&nr, c->ctx, c->line, qlon, lat);
    if (rc)
        return rc;
    found(c, kind, side, lon, lat, &nr);
    return BZ_OK;
}

/* Judge one sample, taken `upper` metres (geodesic) from a point of the segment that is index
 * leaf `leaf`: its distance from the line is at most that. */
static int judge(area_check *c, size_t leaf, double upper, double lon, double lat)
{
    /* A zone's edges are lon/lat chords of at least 20 m, which near a pole stray from the
     * curves they stand for by more than a millimetre zone's margin (0.3 mm at 88.5°N, 4.5 mm
     * within 0.01° of the pole; seed 4 cases 50, 625, 1506, 1603, seed 5 case 297). */
    double sag = bzi_lonlat_floor_sag_m(lat);
    /* Every distance the judging below compares with. Beyond `beyond` it is settled without
     * finding its nearest point (INFINITY compares as any distance that far). */
    double thresholds[8], beyond = 0.0;
    for (int s = 0; s < 2; s++) {
        double b = fmax(c->bound[s], sag);
        thresholds[3 * s] = 2.0 * b;
        thresholds[3 * s + 1] = c->dist[s] - 2.0 * b;
        thresholds[3 * s + 2] = c->dist[s] + 2.0 * b;
        beyond = fmax(beyond, c->dist[s] + 2.0 * b);
    }
    thresholds[6] = 2.0 * fmax(c->bound[0], c->bound[1]);
    thresholds[7] = fmin(c->dist[0] - 2.0 * c->bound[0], c->dist[1] - 2.0 * c->bound[1]);
    /* Only which thresholds the distance lies between decides: with none between the largest
     * one not above `upper` (tau) and `upper`, the distance need only be known to exceed tau,
     * which a search with that threshold settles without solving a geodesic; any value in
     * (tau, upper] then judges alike. The samples inside the band (three in four) need no
     * more. */
    double tau = -INFINITY;
    for (int i = 0; i < 8; i++)
        if (thresholds[i] <= upper && thresholds[i] > tau)
            tau = thresholds[i];
    double dist = upper, qlon = lon;
    /* The search starts at the station's own segment: the sample lies within its share of the
     * distance of it, so the first bound is nearly the answer (the last station's answer in
     * the same lane, 1/1,000 of the line back, was a third slower). */
    size_t hint = leaf;
    int rc = BZ_OK;
    if (!(upper < beyond)) /* the exact distance, or INFINITY beyond `beyond` */
        rc = bzi_line_distance_below(c->ctx, c->line, lon, lat, &hint, nextafter(beyond, INFINITY),
                                     &dist);
    else if (tau >= 0.0) { /* nearer than tau: the exact distance; else any in (tau, upper] */
        double below = nextafter(tau, INFINITY), near = INFINITY;
        rc = bzi_line_distance_below(c->ctx, c->line, lon, lat, &hint, below, &near);
        if (near < below)
            dist = near;
    } /* else every distance the sample can have, [0, upper], judges alike */
    if (rc)
        return rc;
    c->out->samples++;
    if (c->round_frame)
        lon -= 360.0 * floor((lon - c->frame_lo) / 360.0);
    /* Only the tests that can decide are made: point-in-polygon is most of the cost. */
    int in_ground[2] = {0, 0}, judged = 0;
    for (int s = 0; s < 2; s++) {
        double d = c->dist[s], b = fmax(c->bound[s], sag);
        if (dist > d + 2.0 * b) {
            if (bzi_pip_contains(&c->zone[s], lon, lat) &&
                (rc = found_at(c, BZI_AREA_EXTRA, s, lon, lat, qlon)))
                return rc;
            continue;
        }
        if (d <= 0.0 || dist < 2.0 * b || dist > d - 2.0 * b)
            continue;
        judged = 1;
        if (!(in_ground[s] = bzi_pip_contains(&c->ground[s], lon, lat)))
            continue;
        if (!bzi_pip_contains(&c->zone[s], lon, lat) &&
            (rc = found_at(c, BZI_AREA_MISSING, s, lon, lat, qlon)))
            return rc;
    }
    /* Within both distances and on neither ground: ground that belongs to no side. */
    if (judged && !in_ground[0] && !in_ground[1] && c->dist[0] > 0.0 && c->dist[1] > 0.0 &&
        dist >= 2.0 * fmax(c->bound[0], c->bound[1]) &&
        dist < fmin(c->dist[0] - 2.0 * c->bound[0], c->dist[1] - 2.0 * c->bound[1])) {
        if ((c->line_alone || bzi_pip_contains(&c->region, lon, lat)) && !c->out->kind) {
            bz_nearest nr; /* the side its nearest point gives it, for the message */
            if ((rc = bz_line_distance(&nr, c->ctx, c->line, qlon, lat)))
                return rc;
            found(c, BZI_AREA_NO_GROUND, nr.side > 0 ? BZ_SIDE_A : BZ_SIDE_B, lon, lat, &nr);
        }
    }
    return BZ_OK;
}

/* The samples of one station at (lon, lat) on index leaf `leaf`, where the line runs along
 * azimuth azi. */
static int station(area_check *c, size_t leaf, double lon, double lat, double azi)
{
    const struct geod_geodesic *g = &c->ctx->geod;
    for (int s = 0; s < 2; s++) {
        double d = c->dist[s] > 0.0 ? c->dist[s] : c->dist[1 - s];
        double turn = s == BZ_SIDE_A ? -90.0 : 90.0; /* A is left of the line's direction */
        for (size_t k = 0; k < LANES && !c->out->kind; k++) {
            double plat, plon;
            geod_direct(g, lat, lon, azi + turn, shares[k] * d, &plat, &plon, NULL);
            plon += 360.0 * round((lon - plon) / 360.0);
            /* 1 µm for the rounding of the two geodesics */
            int rc = judge(c, leaf, shares[k] * d + 1e-6, plon, plat);
            if (rc)
                return rc;
        }
    }
    return BZ_OK;
}

/* Stations every `step` metres (measured on the sphere: only their spacing depends on it). */
static int walk_line(area_check *c, double step)
{
    double carry = 0.5 * step;
    for (size_t k = 0; k < c->line->nparts && !c->out->kind; k++) {
        const double *p = c->line->coords + 2 * c->line->part_start[k];
        size_t n = c->line->part_start[k + 1] - c->line->part_start[k];
        for (size_t i = 1; i < n && !c->out->kind; i++) {
            const double *a = p + 2 * (i - 1), *b = p + 2 * i;
            double len = sphere_m(a, b);
            if (carry >= len) {
                carry -= len;
                continue;
            }
            struct geod_geodesicline gl;
            geod_inverseline(&gl, &c->ctx->geod, a[1], a[0], b[1], b[0], 0);
            for (double t = carry; t < len && !c->out->kind; t += step) {
                double lat, lon, azi;
                geod_position(&gl, gl.s13 * t / len, &lat, &lon, &azi);
                lon += 360.0 * round((a[0] - lon) / 360.0);
                /* the segment from vertex v of part k is leaf v - k (line_index.h) */
                size_t leaf = c->line->part_start[k] + i - 1 - k;
                int rc = station(c, leaf, lon, lat, azi);
                if (rc)
                    return rc;
                carry = t + step - len;
            }
        }
    }
    return BZ_OK;
}

typedef struct hole_visit {
    area_check *c;
    int side;
} hole_visit;

/* Every interior ring of a zone: a point inside it that is on the zone's ground, within its
 * distance of the line, is ground the zone lost. A hole no wider than the bound is not judged:
 * all of it lies within the bound of its edge (as a withdrawal-line point may), and a point
 * "inside" a hole of no width is on its edge, where ground and hole cannot be told apart
 * (world-atlas's Belarus and Russia, united, leave holes of 1e-16 square degrees along their
 * border, which the zones keep as the region has them). */
static int check_holes(area_check *c, int s, const GEOSGeometry *zone)
{
    GEOSContextHandle_t h = c->ctx->geos;
    int np = GEOSGetNumGeometries_r(h, zone);
    for (int i = 0; i < np && !c->out->kind; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, zone, i);
        int nh = GEOSGetNumInteriorRings_r(h, p);
        for (int k = 0; k < nh && !c->out->kind; k++) {
            const GEOSGeometry *ring = GEOSGetInteriorRingN_r(h, p, k);
            double width = ring ? bzi_ring_width_bound_m(h, ring) : -1.0;
            if (width < 0)
                return bzi_geos_error(c->ctx, "checking a zone's holes");
            if (width <= c->bound[s])
                continue;
            double lon = NAN, lat = NAN;
            if (!bzi_point_inside_ring(h, ring, &lon, &lat))
                return bzi_geos_error(c->ctx, "checking a zone's holes");
            int in_ground = bzi_pip_contains(&c->ground[s], lon, lat);
            bz_nearest nr;
            int rc = bz_line_distance(&nr, c->ctx, c->line, lon, lat);
            if (rc)
                return rc;
            c->out->samples++;
            if (in_ground && nr.distance_m < c->dist[s] - 2.0 * c->bound[s])
                found(c, BZI_AREA_HOLE, s, lon, lat, &nr);
        }
    }
    return BZ_OK;
}

int bzi_verify_area_prepare(bz_context *ctx, const bz_line *line, const double dist[2],
                            const double margin[2], const GEOSGeometry *const zone[2],
                            const GEOSGeometry *const ground[2], const GEOSGeometry *region,
                            bzi_area_check **check)
{
    GEOSContextHandle_t h = ctx->geos;
    *check = NULL;
    area_check *c = calloc(1, sizeof *c);
    if (!c)
        return bzi_nomem(ctx, "the area check");
    c->ctx = ctx;
    c->line = line;
    c->line_alone = region == NULL;
    for (int s = 0; s < 2; s++) {
        c->dist[s] = dist[s];
        c->bound[s] = margin[s];
        c->src[s] = zone[s];
        c->src[2 + s] = ground[s];
    }
    c->src[4] = region;
    if (c->line_alone) {
        double lo = INFINITY, hi = -INFINITY;
        for (int s = 0; s < 2; s++) {
            double x0, x1;
            if (ground[s] && !GEOSisEmpty_r(h, ground[s]) &&
                GEOSGeom_getXMin_r(h, ground[s], &x0) && GEOSGeom_getXMax_r(h, ground[s], &x1)) {
                lo = fmin(lo, x0);
                hi = fmax(hi, x1);
            }
        }
        c->round_frame = hi - lo >= 360.0 - 1e-9;
        c->frame_lo = lo;
    }
    *check = c;
    return BZ_OK;
}

int bzi_verify_area_walk(bz_context *ctx, bzi_area_check *c, bzi_area_result *out)
{
    *out = (bzi_area_result){0};
    c->ctx = ctx;
    c->out = out;
    bzi_pip *dst[5] = {&c->zone[0], &c->zone[1], &c->ground[0], &c->ground[1], &c->region};
    for (int i = 0; i < 5; i++) {
        int e = c->src[i] ? bzi_pip_build(ctx->geos, c->src[i], dst[i]) : 0;
        if (e)
            return bzi_fail(ctx, e, "indexing the zones for their area check");
    }
    c->indexed = 1;
    double total = 0.0;
    const bz_line *line = c->line;
    for (size_t k = 0; k < line->nparts; k++)
        for (size_t i = line->part_start[k] + 1; i < line->part_start[k + 1]; i++)
            total += sphere_m(line->coords + 2 * (i - 1), line->coords + 2 * i);
    return walk_line(c, fmax(total / STATIONS, STATION_MIN_M));
}

int bzi_verify_area_holes(bz_context *ctx, bzi_area_check *c, bzi_area_result *out)
{
    if (!c->indexed)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "the area check's holes before its walk");
    bzi_area_result walked = *out;
    *out = (bzi_area_result){0};
    c->ctx = ctx;
    c->out = out;
    int rc = BZ_OK;
    for (int s = 0; s < 2 && rc == BZ_OK; s++)
        if (c->dist[s] > 0.0)
            rc = check_holes(c, s, c->src[s]);
    out->samples += walked.samples;
    if (rc == BZ_OK && !out->kind) { /* no hole: what the walk found, if anything */
        size_t n = out->samples;
        *out = walked;
        out->samples = n;
    }
    return rc;
}

void bzi_verify_area_free(bzi_area_check *c)
{
    if (!c)
        return;
    for (int s = 0; s < 2; s++) {
        bzi_pip_free(&c->zone[s]);
        bzi_pip_free(&c->ground[s]);
    }
    bzi_pip_free(&c->region);
    free(c);
}

int bzi_verify_area(bz_context *ctx, const bz_line *line, const double dist[2],
                    const double margin[2], const GEOSGeometry *const zone[2],
                    const GEOSGeometry *const ground[2], const GEOSGeometry *region,
                    bzi_area_result *out)
{
    *out = (bzi_area_result){0};
    bzi_area_check *c = NULL;
    int rc = bzi_verify_area_prepare(ctx, line, dist, margin, zone, ground, region, &c);
    if (rc == BZ_OK)
        rc = bzi_verify_area_walk(ctx, c, out);
    if (rc == BZ_OK)
        rc = bzi_verify_area_holes(ctx, c, out);
    bzi_verify_area_free(c);
    return rc;
}

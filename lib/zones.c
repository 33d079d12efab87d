/*
 * zones.c — withdrawal zones: each side's zone, withdrawal line and areas, and the buffer zone.
 *
 * A side's zone is its ground (sides.c) intersected with the exact geodesic buffer of the
 * contact line at its distance (buffer.c); its withdrawal line is the buffer's boundary inside
 * its ground. Because the ground is split by the line itself (never by GEOS's single-sided
 * buffer), no part of a zone can land on the other side. One buffer is computed per distinct
 * distance. The result then measures itself against exact geodesic distances (verify.c).
 */
#include "buffer.h"
#include "internal.h"
#include "sides.h"
#include "verify.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The default verification step: every vertex plus a sample at least every 250 m. */
#define DEFAULT_VERIFY_STEP_M 250.0
/* The grounds must reach this far beyond the largest distance (open ends, rounding). */
#define REACH_MARGIN_M 1000.0
/* The buffer is asked for this share of the accuracy bound, the rest is headroom. */
#define BUFFER_SHARE 0.9

struct bz_zones {
    bz_context *ctx;
    bz_line *line; /* a copy of the line used (given or derived) */
    GEOSGeometry *zone[2];
    GEOSGeometry *withdrawal[2];
    GEOSGeometry *ground[2];
    GEOSGeometry *buffer_zone;
    double distance[2];
    double area[2];
    double withdrawal_length[2];
    double buffer_area;
    double contact_length;
    double max_error;
};

static const char *side_name(int s)
{
    return s == BZ_SIDE_A ? "A" : "B";
}

void bz_zones_free(bz_zones *z)
{
    if (!z)
        return;
    GEOSContextHandle_t h = z->ctx->geos;
    for (int s = 0; s < 2; s++) {
        if (z->zone[s])
            GEOSGeom_destroy_r(h, z->zone[s]);
        if (z->withdrawal[s])
            GEOSGeom_destroy_r(h, z->withdrawal[s]);
        if (z->ground[s])
            GEOSGeom_destroy_r(h, z->ground[s]);
    }
    if (z->buffer_zone)
        GEOSGeom_destroy_r(h, z->buffer_zone);
    bz_line_free(z->line);
    free(z);
}

/* ---------------------------------------------------------------------------------------- */
/* Geometry plumbing                                                                        */
/* ---------------------------------------------------------------------------------------- */

/* Append the parts of g of GEOS type `want` (Polygon or LineString) to parts[], cloning. */
static int collect(GEOSContextHandle_t h, const GEOSGeometry *g, int want, GEOSGeometry ***parts,
                   size_t *n, size_t *cap)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_MULTIPOLYGON || type == GEOS_MULTILINESTRING ||
        type == GEOS_GEOMETRYCOLLECTION) {
        int k = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < k; i++) {
            int rc = collect(h, GEOSGetGeometryN_r(h, g, i), want, parts, n, cap);
            if (rc)
                return rc;
        }
        return BZ_OK;
    }
    if (type == GEOS_LINEARRING && want == GEOS_LINESTRING)
        type = GEOS_LINESTRING;
    if (type != want || GEOSisEmpty_r(h, g))
        return BZ_OK;
    if (*n == *cap) {
        size_t ncap = *cap ? 2 * *cap : 16;
        GEOSGeometry **grown = realloc(*parts, ncap * sizeof *grown);
        if (!grown)
            return BZ_ERR_NOMEM;
        *parts = grown;
        *cap = ncap;
    }
    GEOSGeometry *c = NULL;
    if (GEOSGeomTypeId_r(h, g) == GEOS_LINEARRING) {
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, g);
        GEOSCoordSequence *copy = cs ? GEOSCoordSeq_clone_r(h, cs) : NULL;
        c = copy ? GEOSGeom_createLineString_r(h, copy) : NULL;
    } else {
        c = GEOSGeom_clone_r(h, g);
    }
    if (!c)
        return BZ_ERR_GEOS;
    (*parts)[(*n)++] = c;
    return BZ_OK;
}

/* A Multi<type> of the parts of g of that type (g is consumed; NULL in → NULL out). On failure
 * *st says why: BZ_ERR_NOMEM, or BZ_ERR_GEOS (also when g was NULL, a failed GEOS call). */
static GEOSGeometry *as_multi(GEOSContextHandle_t h, GEOSGeometry *g, int want, int *st)
{
    *st = BZ_ERR_GEOS;
    if (!g)
        return NULL;
    int multi = want == GEOS_POLYGON ? GEOS_MULTIPOLYGON : GEOS_MULTILINESTRING;
    if (GEOSGeomTypeId_r(h, g) == multi)
        return g;
    GEOSGeometry **parts = NULL;
    size_t n = 0, cap = 0;
    int rc = collect(h, g, want, &parts, &n, &cap);
    GEOSGeom_destroy_r(h, g);
    if (rc == BZ_ERR_NOMEM)
        *st = BZ_ERR_NOMEM;
    GEOSGeometry *out = NULL;
    if (rc == BZ_OK) /* GEOS owns the parts from here on, even if it fails (geos_c.h) */
        out = GEOSGeom_createCollection_r(h, multi, parts, (unsigned int)n);
    else
        for (size_t i = 0; i < n; i++)
            GEOSGeom_destroy_r(h, parts[i]);
    free(parts);
    return out;
}

/* Lines as a MultiLineString with touching pieces merged (consumed). */
static GEOSGeometry *as_merged_lines(GEOSContextHandle_t h, GEOSGeometry *g, int *st)
{
    GEOSGeometry *m = as_multi(h, g, GEOS_LINESTRING, st);
    if (!m || GEOSisEmpty_r(h, m))
        return m;
    GEOSGeometry *merged = GEOSLineMerge_r(h, m);
    GEOSGeom_destroy_r(h, m);
    return as_multi(h, merged, GEOS_LINESTRING, st);
}

/* Report a failed geometry step: out of memory, or GEOS's own message. */
static int geom_fail(bz_context *ctx, int st, const char *what)
{
    return st == BZ_ERR_NOMEM ? bzi_nomem(ctx, what) : bzi_geos_error(ctx, what);
}

static GEOSGeometry *empty_multi(GEOSContextHandle_t h, int type)
{
    return GEOSGeom_createEmptyCollection_r(h, type);
}

/* A copy of a line (coordinates and parts), without validating it again. */
static int line_copy(bz_line **out, bz_context *ctx, const bz_line *line)
{
    size_t npts = line->part_start[line->nparts];
    double *coords = malloc(npts * 2 * sizeof *coords);
    size_t *starts = malloc((line->nparts + 1) * sizeof *starts);
    if (!coords || !starts) {
        free(coords);
        free(starts);
        return bzi_nomem(ctx, "copying the contact line");
    }
    memcpy(coords, line->coords, npts * 2 * sizeof *coords);
    memcpy(starts, line->part_start, (line->nparts + 1) * sizeof *starts);
    return bzi_line_new_owned(out, ctx, coords, starts, line->nparts);
}

/* ---------------------------------------------------------------------------------------- */
/* Validation                                                                               */
/* ---------------------------------------------------------------------------------------- */

static int check_distance(bz_context *ctx, double d, int side)
{
    if (isnan(d) || isinf(d) || d < 0.0 || d > BZ_MAX_DISTANCE_M)
        return bzi_error(ctx, BZ_ERR_ARGUMENT,
                         "withdrawal distance of side %s is %.10g m: it must be a number in "
                         "[0, %.0f] m",
                         side_name(side), d, BZ_MAX_DISTANCE_M);
    return BZ_OK;
}

/* Polygonal and valid (GEOS's validity, with the place of the first problem). */
static int check_polygonal(bz_context *ctx, const GEOSGeometry *g, const char *what)
{
    GEOSContextHandle_t h = ctx->geos;
    int type = GEOSGeomTypeId_r(h, g);
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
        char *name = type < 0 ? NULL : GEOSGeomType_r(h, g); /* GEOS allocates the name */
        int rc = bzi_error(ctx, BZ_ERR_TYPE, "%s must be a Polygon or MultiPolygon, got %s", what,
                           name ? name : "an unreadable geometry");
        if (name)
            GEOSFree_r(h, name);
        return rc;
    }
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

/* The forms: territory needs a region; without a territory a line is needed. */
static int check_forms(bz_context *ctx, const bz_line *line, const GEOSGeometry *region,
                       const GEOSGeometry *territory)
{
    if (territory && !region)
        return bzi_error(ctx, BZ_ERR_ARGUMENT,
                         "a territory needs a region (side B is the region minus the territory)");
    if (!territory && !line)
        return bzi_error(ctx, BZ_ERR_ARGUMENT,
                         "no contact line: give a line, or a territory and a region");
    if (region) {
        int rc = check_polygonal(ctx, region, "the region");
        if (rc)
            return rc;
    }
    if (territory)
        return check_polygonal(ctx, territory, "the territory");
    return BZ_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Shared steps                                                                             */
/* ---------------------------------------------------------------------------------------- */

/* Start a result: the line (given, or derived from the territory) copied in; no grounds yet. */
static int zones_begin(bz_zones **out, bz_context *ctx, const bz_line *line,
                       const GEOSGeometry *region, const GEOSGeometry *territory,
                       double derive_tolerance_m)
{
    bz_zones *z = calloc(1, sizeof *z);
    if (!z)
        return bzi_nomem(ctx, "a zones result");
    z->ctx = ctx;
    int rc;
    if (line) {
        rc = line_copy(&z->line, ctx, line);
    } else {
        bz_derive_options dopts = BZ_DERIVE_OPTIONS_INIT;
        dopts.tolerance_m = derive_tolerance_m;
        rc = bz_line_derive(&z->line, ctx, territory, region, &dopts);
        if (rc)
            bzi_error_prefix(ctx, "deriving the contact line: ");
    }
    if (rc) {
        bz_zones_free(z);
        return rc;
    }
    *out = z;
    return BZ_OK;
}

/*
 * The grounds of both sides, made on a thread of their own while the calling thread computes
 * the buffers: the two need nothing of each other, and cutting a large region by a long line
 * (sides.c) is single-threaded work as long as the buffer (0.3 s against 0.15 s on the real
 * front at 10 km). The thread has its own context (GEOS handle, error message); the line and
 * the region are only read. With one thread allowed, or when no thread can be started, the
 * grounds are made in place, before the buffers, exactly as the thread would make them.
 */
typedef struct grounds_job {
    bz_context *own; /* the thread's context; NULL when the work ran in place */
    const bz_line *line;
    const GEOSGeometry *region, *territory;
    double reach_m;
    GEOSGeometry *ground[2];
    int status;
    pthread_t thread;
} grounds_job;

static void *grounds_run(void *arg)
{
    grounds_job *j = arg;
    j->status = bzi_side_grounds(j->own, j->line, j->region, j->territory, j->reach_m,
                                 &j->ground[BZ_SIDE_A], &j->ground[BZ_SIDE_B]);
    return NULL;
}

static int grounds_start(grounds_job *j, bz_zones *z, const GEOSGeometry *region,
                         const GEOSGeometry *territory, double reach_m)
{
    memset(j, 0, sizeof *j);
    j->line = z->line;
    j->region = region;
    j->territory = territory;
    j->reach_m = reach_m;
    if (bzi_thread_count(z->ctx) > 1 && (j->own = bz_context_new()) != NULL) {
        if (pthread_create(&j->thread, NULL, grounds_run, j) == 0)
            return BZ_OK;
        bz_context_free(j->own);
        j->own = NULL;
    }
    int rc = bzi_side_grounds(z->ctx, z->line, region, territory, reach_m, &z->ground[BZ_SIDE_A],
                              &z->ground[BZ_SIDE_B]);
    j->status = rc;
    return rc;
}

/* Wait for the grounds and move them into z. Their failure is reported before any failure of
 * the buffers, as if they had been made first. */
static int grounds_finish(grounds_job *j, bz_zones *z, int rc)
{
    if (!j->own)
        return j->status != BZ_OK ? j->status : rc;
    pthread_join(j->thread, NULL);
    if (j->status != BZ_OK)
        rc = bzi_error(z->ctx, j->status, "%s", bz_errmsg(j->own));
    bz_context_free(j->own);
    j->own = NULL;
    z->ground[BZ_SIDE_A] = j->ground[BZ_SIDE_A];
    z->ground[BZ_SIDE_B] = j->ground[BZ_SIDE_B];
    return rc;
}

/* Start a result with its grounds made (bz_zones_from_polygon: nothing to overlap them with). */
static int zones_start(bz_zones **out, bz_context *ctx, const bz_line *line,
                       const GEOSGeometry *region, const GEOSGeometry *territory,
                       double derive_tolerance_m, double reach_m)
{
    bz_zones *z = NULL;
    int rc = zones_begin(&z, ctx, line, region, territory, derive_tolerance_m);
    if (rc == BZ_OK)
        rc = bzi_side_grounds(ctx, z->line, region, territory, reach_m, &z->ground[BZ_SIDE_A],
                              &z->ground[BZ_SIDE_B]);
    if (rc) {
        bz_zones_free(z);
        return rc;
    }
    *out = z;
    return BZ_OK;
}

/* The contact line inside the region (or the whole line), as a new MultiLineString. */
static GEOSGeometry *contact_in_region(GEOSContextHandle_t h, const bz_line *line,
                                       const GEOSGeometry *region, int *st)
{
    const GEOSGeometry *lg = bz_line_geometry(line);
    GEOSGeometry *g = region ? GEOSIntersection_r(h, lg, region) : GEOSGeom_clone_r(h, lg);
    return as_merged_lines(h, g, st);
}

/* Buffer zone, areas and lengths once zones and withdrawal lines are set. */
static int zones_finish(bz_zones *z, const GEOSGeometry *region)
{
    bz_context *ctx = z->ctx;
    GEOSContextHandle_t h = ctx->geos;
    int st = BZ_ERR_GEOS;
    if (!z->buffer_zone)
        z->buffer_zone = as_multi(h, GEOSUnion_r(h, z->zone[0], z->zone[1]), GEOS_POLYGON, &st);
    if (!z->buffer_zone)
        return geom_fail(ctx, st, "uniting the two zones into the buffer zone");
    int rc = BZ_OK;
    for (int s = 0; s < 2 && rc == BZ_OK; s++) {
        rc = bz_geodesic_area(ctx, z->zone[s], &z->area[s]);
        if (rc == BZ_OK)
            rc = bz_geodesic_length(ctx, z->withdrawal[s], &z->withdrawal_length[s]);
    }
    if (rc)
        return rc;
    /* The zones lie on disjoint grounds and meet only along the contact line, so the buffer
     * zone's area is their sum. Measuring the united polygon instead would read a slightly
     * different figure: GEOS unites in lon/lat and drops vertices that are collinear there,
     * while the ellipsoidal area reads every edge as a geodesic (near the poles the two readings
     * differed by 1.6e-5 of the area), and a table whose A + B is not its total helps nobody. */
    z->buffer_area = z->area[0] + z->area[1];
    GEOSGeometry *contact = contact_in_region(h, z->line, region, &st);
    if (!contact)
        return geom_fail(ctx, st, "clipping the contact line to the region");
    rc = bz_geodesic_length(ctx, contact, &z->contact_length);
    GEOSGeom_destroy_r(h, contact);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* bz_zones_compute                                                                         */
/* ---------------------------------------------------------------------------------------- */

static double default_bound(double d)
{
    double b = 1e-4 * d;
    return b > 1.0 ? b : 1.0;
}

/* Zone and withdrawal line of side s from the buffer at its distance. */
static int side_from_buffer(bz_zones *z, int s, const GEOSGeometry *buf)
{
    GEOSContextHandle_t h = z->ctx->geos;
    int st = BZ_ERR_GEOS;
    z->zone[s] = as_multi(h, GEOSIntersection_r(h, buf, z->ground[s]), GEOS_POLYGON, &st);
    if (!z->zone[s])
        return geom_fail(z->ctx, st,
                         s == BZ_SIDE_A ? "clipping side A's zone to its ground"
                                        : "clipping side B's zone to its ground");
    GEOSGeometry *edge = GEOSBoundary_r(h, buf);
    GEOSGeometry *inside = edge ? GEOSIntersection_r(h, edge, z->ground[s]) : NULL;
    if (edge)
        GEOSGeom_destroy_r(h, edge);
    z->withdrawal[s] = as_merged_lines(h, inside, &st);
    if (!z->withdrawal[s])
        return geom_fail(z->ctx, st,
                         s == BZ_SIDE_A ? "clipping side A's withdrawal line to its ground"
                                        : "clipping side B's withdrawal line to its ground");
    return BZ_OK;
}

/* A side that does not withdraw: empty zone, the contact line as its withdrawal line. */
static int side_at_zero(bz_zones *z, int s, const GEOSGeometry *region)
{
    GEOSContextHandle_t h = z->ctx->geos;
    int st = BZ_ERR_GEOS;
    z->zone[s] = empty_multi(h, GEOS_MULTIPOLYGON);
    z->withdrawal[s] = contact_in_region(h, z->line, region, &st);
    if (!z->zone[s] || !z->withdrawal[s])
        return geom_fail(z->ctx, st, "making a zero-distance side");
    return BZ_OK;
}

/* In the line-alone form a side's ground is reported as its half of the largest buffer. */
static int trim_grounds(bz_zones *z, const GEOSGeometry *largest)
{
    GEOSContextHandle_t h = z->ctx->geos;
    int st = BZ_ERR_GEOS;
    for (int s = 0; s < 2; s++) {
        GEOSGeometry *t = largest ? GEOSIntersection_r(h, z->ground[s], largest)
                                  : empty_multi(h, GEOS_MULTIPOLYGON);
        t = as_multi(h, t, GEOS_POLYGON, &st);
        if (!t)
            return geom_fail(z->ctx, st, "trimming a side's ground to the buffer");
        GEOSGeom_destroy_r(h, z->ground[s]);
        z->ground[s] = t;
    }
    return BZ_OK;
}

/* The buffer zone without uniting the two zones where that is not needed (uniting two large
 * zones along their shared edge costs more than the rest of the job): with equal distances it
 * is the buffer clipped to the region (the grounds cover the region, or in the line-alone form
 * the whole buffer); with one distance 0 it is the other zone. Otherwise zones_finish unites. */
static int shortcut_buffer_zone(bz_zones *z, GEOSGeometry *const buf[2], const GEOSGeometry *region)
{
    GEOSContextHandle_t h = z->ctx->geos;
    int st = BZ_ERR_GEOS;
    GEOSGeometry *bz = NULL;
    if (z->distance[0] == 0.0 || z->distance[1] == 0.0) {
        int s = z->distance[0] == 0.0 ? BZ_SIDE_B : BZ_SIDE_A;
        bz = GEOSGeom_clone_r(h, z->zone[s]);
    } else if (z->distance[0] == z->distance[1]) {
        bz = region ? as_multi(h, GEOSIntersection_r(h, buf[0], region), GEOS_POLYGON, &st)
                    : GEOSGeom_clone_r(h, buf[0]);
    } else {
        return BZ_OK;
    }
    if (!bz)
        return geom_fail(z->ctx, st, "making the buffer zone");
    z->buffer_zone = bz;
    return BZ_OK;
}

static int verify_sides(bz_zones *z, const bz_zone_options *o)
{
    double step = o->verify_step_m > 0.0 ? o->verify_step_m : DEFAULT_VERIFY_STEP_M;
    for (int s = 0; s < 2; s++) {
        double d = z->distance[s];
        if (d == 0.0)
            continue; /* the contact line itself: at distance 0 by definition */
        double bound = o->max_error_m > 0.0 ? o->max_error_m : default_bound(d);
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

int bz_zones_compute(bz_zones **out, bz_context *ctx, const bz_line *line,
                     const GEOSGeometry *region, const GEOSGeometry *territory, double dist_a_m,
                     double dist_b_m, const bz_zone_options *opts)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_zones_compute: NULL out");
    *out = NULL;
    static const bz_zone_options defaults = BZ_ZONE_OPTIONS_INIT;
    const bz_zone_options *o = opts ? opts : &defaults;
    int rc = check_options(ctx, o);
    if (rc == BZ_OK)
        rc = check_distance(ctx, dist_a_m, BZ_SIDE_A);
    if (rc == BZ_OK)
        rc = check_distance(ctx, dist_b_m, BZ_SIDE_B);
    if (rc == BZ_OK)
        rc = check_forms(ctx, line, region, territory);
    if (rc)
        return rc;

    double dist[2] = {dist_a_m, dist_b_m};
    double dmax = fmax(dist_a_m, dist_b_m);
    bz_zones *z = NULL;
    rc = zones_begin(&z, ctx, line, region, territory, o->derive_tolerance_m);
    if (rc)
        return rc;
    z->distance[0] = dist_a_m;
    z->distance[1] = dist_b_m;
    grounds_job grounds;
    rc = grounds_start(&grounds, z, region, territory, dmax * 1.01 + REACH_MARGIN_M);

    /* One buffer per distinct positive distance, while the grounds are being made. */
    GEOSGeometry *buf[2] = {NULL, NULL};
    for (int s = 0; s < 2 && rc == BZ_OK; s++) {
        double d = dist[s];
        if (d == 0.0 || (s == 1 && d == dist[0]))
            continue;
        double bound = o->max_error_m > 0.0 ? o->max_error_m : default_bound(d);
        rc = bzi_geodesic_buffer(&buf[s], ctx, z->line, d, BUFFER_SHARE * bound);
    }
    rc = grounds_finish(&grounds, z, rc);
    for (int s = 0; s < 2 && rc == BZ_OK; s++) {
        const GEOSGeometry *b = buf[s] ? buf[s] : (dist[s] > 0.0 ? buf[0] : NULL);
        rc = b ? side_from_buffer(z, s, b) : side_at_zero(z, s, region);
    }
    if (rc == BZ_OK)
        rc = shortcut_buffer_zone(z, buf, region);
    if (rc == BZ_OK)
        rc = zones_finish(z, region);
    /* Verify against the untrimmed grounds: a trimmed ground's edge is the withdrawal line. */
    if (rc == BZ_OK && o->verify)
        rc = verify_sides(z, o);
    if (rc == BZ_OK && !region) {
        const GEOSGeometry *largest = dist[1] > dist[0] ? buf[1] : buf[0];
        rc = trim_grounds(z, largest);
    }
    for (int s = 0; s < 2; s++)
        if (buf[s])
            GEOSGeom_destroy_r(ctx->geos, buf[s]);
    if (rc) {
        bz_zones_free(z);
        return rc;
    }
    *out = z;
    return BZ_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* bz_zones_from_polygon                                                                    */
/* ---------------------------------------------------------------------------------------- */

/* How far a polygon reaches from anywhere in it at most: its envelope's geodesic diagonal. */
static int polygon_reach(bz_context *ctx, const GEOSGeometry *g, double *reach)
{
    double x0, y0, x1, y1;
    if (!GEOSGeom_getXMin_r(ctx->geos, g, &x0) || !GEOSGeom_getYMin_r(ctx->geos, g, &y0) ||
        !GEOSGeom_getXMax_r(ctx->geos, g, &x1) || !GEOSGeom_getYMax_r(ctx->geos, g, &y1))
        return bzi_geos_error(ctx, "measuring the zone polygon's extent");
    double s12 = 0.0;
    geod_inverse(&ctx->geod, y0, x0, y1, x1, &s12, NULL, NULL);
    *reach = s12;
    return BZ_OK;
}

int bz_zones_from_polygon(bz_zones **out, bz_context *ctx, const bz_line *line,
                          const GEOSGeometry *region, const GEOSGeometry *territory,
                          const GEOSGeometry *zone)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || !zone)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_zones_from_polygon: NULL argument");
    *out = NULL;
    int rc = check_forms(ctx, line, region, territory);
    if (rc == BZ_OK)
        rc = check_polygonal(ctx, zone, "the zone");
    if (rc == BZ_OK && GEOSisEmpty_r(ctx->geos, zone))
        rc = bzi_error(ctx, BZ_ERR_GEOMETRY, "the zone polygon is empty");
    double reach = 0.0;
    if (rc == BZ_OK)
        rc = polygon_reach(ctx, zone, &reach);
    if (rc)
        return rc;
    bz_zones *z = NULL;
    static const bz_zone_options defaults = BZ_ZONE_OPTIONS_INIT;
    rc = zones_start(&z, ctx, line, region, territory, defaults.derive_tolerance_m,
                     reach + REACH_MARGIN_M);
    if (rc)
        return rc;
    GEOSContextHandle_t h = ctx->geos;
    int st = BZ_ERR_GEOS;
    z->distance[0] = z->distance[1] = NAN;
    GEOSGeometry *edge = GEOSBoundary_r(h, zone);
    if (!edge)
        rc = bzi_geos_error(ctx, "taking the zone polygon's edge");
    /* The zone's edge minus the contact line: what lies on the line is not a withdrawal line. */
    GEOSGeometry *away = edge ? GEOSDifference_r(h, edge, bz_line_geometry(z->line)) : NULL;
    if (edge && !away)
        rc = bzi_geos_error(ctx, "removing the contact line from the zone's edge");
    for (int s = 0; s < 2 && rc == BZ_OK; s++) {
        z->zone[s] = as_multi(h, GEOSIntersection_r(h, zone, z->ground[s]), GEOS_POLYGON, &st);
        z->withdrawal[s] = as_merged_lines(h, GEOSIntersection_r(h, away, z->ground[s]), &st);
        if (!z->zone[s] || !z->withdrawal[s])
            rc = geom_fail(ctx, st, "splitting the zone polygon by sides");
    }
    if (edge)
        GEOSGeom_destroy_r(h, edge);
    if (away)
        GEOSGeom_destroy_r(h, away);
    if (rc == BZ_OK && !region)
        rc = trim_grounds(z, zone);
    if (rc == BZ_OK)
        rc = zones_finish(z, region);
    if (rc) {
        bz_zones_free(z);
        return rc;
    }
    *out = z;
    return BZ_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Getters                                                                                  */
/* ---------------------------------------------------------------------------------------- */

static int side_ok(const bz_zones *z, bz_side side)
{
    return z && (side == BZ_SIDE_A || side == BZ_SIDE_B);
}

const GEOSGeometry *bz_zones_zone(const bz_zones *z, bz_side side)
{
    return side_ok(z, side) ? z->zone[side] : NULL;
}

const GEOSGeometry *bz_zones_withdrawal_line(const bz_zones *z, bz_side side)
{
    return side_ok(z, side) ? z->withdrawal[side] : NULL;
}

const GEOSGeometry *bz_zones_buffer_zone(const bz_zones *z)
{
    return z ? z->buffer_zone : NULL;
}

const GEOSGeometry *bz_zones_side_ground(const bz_zones *z, bz_side side)
{
    return side_ok(z, side) ? z->ground[side] : NULL;
}

const bz_line *bz_zones_contact_line(const bz_zones *z)
{
    return z ? z->line : NULL;
}

double bz_zones_distance(const bz_zones *z, bz_side side)
{
    return side_ok(z, side) ? z->distance[side] : NAN;
}

double bz_zones_area(const bz_zones *z, bz_side side)
{
    return side_ok(z, side) ? z->area[side] : NAN;
}

double bz_zones_withdrawal_length(const bz_zones *z, bz_side side)
{
    return side_ok(z, side) ? z->withdrawal_length[side] : NAN;
}

double bz_zones_buffer_area(const bz_zones *z)
{
    return z ? z->buffer_area : NAN;
}

double bz_zones_contact_length(const bz_zones *z)
{
    return z ? z->contact_length : NAN;
}

double bz_zones_max_error(const bz_zones *z)
{
    return z ? z->max_error : NAN;
}

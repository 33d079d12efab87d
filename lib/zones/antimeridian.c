/*
 * antimeridian.c — polygon inputs read one way (see antimeridian.h): rings the short way round,
 * edges as geodesics, parts in the contact line's longitude frame.
 *
 * Why here and not at reading: the library takes GEOS geometries from any caller, not only from
 * its own readers, so the entry points that consume polygons apply this themselves (it costs one
 * pass over the vertices when nothing needs changing, and nothing is copied then).
 * Why edges straight in lon/lat: that is what GeoJSON says an edge is (RFC 7946 §3.1.1), what
 * every map draws, and the only reading under which a polygon split at ±180° (as RFC 7946 asks)
 * keeps its shape. GEOS clips and splits along exactly those chords; cutting long edges into
 * pieces short enough that each piece's geodesic stays within 1 cm of its chord makes the
 * ellipsoidal areas (which read an edge as a geodesic) read the same shape. On the short edges
 * of real outlines (under ~500 m) nothing is cut.
 */
#include "zones/antimeridian.h"
#include "core/grow.h"
#include "core/coords.h"
#include "core/context.h"
#include "geo/geodesic.h"
#include "geo/line.h"
#include "core/polygon.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Longest edge kept before cutting it along its geodesic (less near the poles, see
 * bzi_lonlat_edge_m): the same as the contact line's segments get in sides.c. */
#define DENSIFY_M 500.0

/* Take every step of more than 180° of longitude the short way round, in place; 1 if anything
 * moved. A ring that would not close then (it goes once round a pole) is left as it is. */
static int unwrap_ring(double *xy, size_t n)
{
    int moved = 0;
    double prev = n ? xy[0] : 0;
    for (size_t i = 1; i < n; i++) { /* first pass: does it move, and does it still close? */
        double lon = xy[2 * i] + 360.0 * round((prev - xy[2 * i]) / 360.0);
        moved |= lon != xy[2 * i];
        prev = lon;
    }
    if (!moved || prev != xy[0])
        return 0;
    for (size_t i = 1; i < n; i++)
        xy[2 * i] += 360.0 * round((xy[2 * i - 2] - xy[2 * i]) / 360.0);
    return 1;
}

/* The ring's points with every edge longer than the limit (1 cm of sag, at most DENSIFY_M)
 * cut into equal steps of longitude and latitude (the edge is straight in lon/lat), into out;
 * *cut = 1 if any edge was cut. */
static int densify_ring(const struct geod_geodesic *g, const double *xy, size_t n, bzi_coords *out,
                        int *cut)
{
    return bzi_densify_chords(g, xy, n, 0.01, DENSIFY_M, out, cut) ? BZI_E_NOMEM : 0;
}

/* A LinearRing of n points of xy moved by dx in longitude. */
static GEOSGeometry *ring_of(GEOSContextHandle_t h, const double *xy, size_t n, double dx,
                             int *nomem)
{
    double *tmp = NULL;
    if (dx != 0) {
        tmp = malloc(2 * n * sizeof *tmp);
        if (!tmp) {
            *nomem = 1;
            return NULL;
        }
        for (size_t i = 0; i < n; i++) {
            tmp[2 * i] = xy[2 * i] + dx;
            tmp[2 * i + 1] = xy[2 * i + 1];
        }
        xy = tmp;
    }
    GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, xy, (unsigned)n, 0, 0);
    free(tmp);
    return cs ? GEOSGeom_createLinearRing_r(h, cs) : NULL;
}

/* The polygon of rings[0] (shell) and rings[1..nr-1] (holes), moved by dx; NULL with *nomem
 * set when our own allocation failed, NULL alone when GEOS failed. */
static GEOSGeometry *polygon_of(GEOSContextHandle_t h, const bzi_coords *rings, size_t nr,
                                double dx, int *nomem)
{
    GEOSGeometry *shell = ring_of(h, rings[0].v, rings[0].n / 2, dx, nomem);
    if (!shell)
        return NULL;
    GEOSGeometry **holes = nr > 1 ? malloc((nr - 1) * sizeof *holes) : NULL;
    if (nr > 1 && !holes) {
        GEOSGeom_destroy_r(h, shell);
        *nomem = 1;
        return NULL;
    }
    size_t made = 0;
    for (; made + 1 < nr; made++)
        if (!(holes[made] = ring_of(h, rings[made + 1].v, rings[made + 1].n / 2, dx, nomem)))
            break;
    GEOSGeometry *poly = NULL;
    if (made + 1 == nr) /* GEOS owns the rings from here on, even if it fails (geos_c.h) */
        poly = GEOSGeom_createPolygon_r(h, shell, holes, (unsigned)(nr - 1));
    else {
        for (size_t i = 0; i < made; i++)
            GEOSGeom_destroy_r(h, holes[i]);
        GEOSGeom_destroy_r(h, shell);
    }
    free(holes);
    return poly;
}

static GEOSGeometry *box_of(GEOSContextHandle_t h, double x0, double x1)
{
    const double b[10] = {x0, -90, x1, -90, x1, 90, x0, 90, x0, -90};
    GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, b, 5, 0, 0);
    GEOSGeometry *ring = cs ? GEOSGeom_createLinearRing_r(h, cs) : NULL;
    return ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
}

typedef struct framer {
    bz_context *ctx;
    double center;
    bzi_coords raw, *rings;
    size_t nrings, cap;
    bzi_geom_list out;
    int changed, moved;
    int keep_edges; /* 1: unwrap rings only (bzi_polygon_unwrap) */
} framer;

/* Put one polygon into the frame (see antimeridian.h), appending its parts to f->out. */
static int frame_polygon(framer *f, const GEOSGeometry *p)
{
    GEOSContextHandle_t h = f->ctx->geos;
    int nh = GEOSGetNumInteriorRings_r(h, p);
    if (nh < 0)
        return BZI_E_GEOS;
    size_t nr = (size_t)nh + 1;
    if (f->cap < nr) {
        size_t old = f->cap;
        if (BZI_GROW(f->rings, f->cap, nr))
            return BZI_E_NOMEM;
        memset(f->rings + old, 0, (f->cap - old) * sizeof *f->rings);
    }
    int unwrapped = 0, cut = 0;
    for (size_t r = 0; r < nr; r++) {
        const GEOSGeometry *ring =
            r == 0 ? GEOSGetExteriorRing_r(h, p) : GEOSGetInteriorRingN_r(h, p, (int)r - 1);
        int e = ring ? bzi_ring_coords(h, ring, &f->raw, NULL) : BZI_E_GEOS;
        size_t n = f->raw.n / 2;
        if (e)
            return e;
        unwrapped |= unwrap_ring(f->raw.v, n);
        if (r > 0 && n) { /* a hole lies with its shell: move it next to the shell's start */
            double dx = 360.0 * round((f->rings[0].v[0] - f->raw.v[0]) / 360.0);
            for (size_t i = 0; dx != 0 && i < n; i++)
                f->raw.v[2 * i] += dx;
            unwrapped |= dx != 0;
        }
        if (f->keep_edges) {
            bzi_coords tmp = f->rings[r];
            f->rings[r] = f->raw;
            f->raw = tmp;
            f->rings[r].n = 2 * n;
        } else if ((e = densify_ring(&f->ctx->geod, f->raw.v, n, &f->rings[r], &cut))) {
            return e;
        }
    }
    double x0 = INFINITY, x1 = -INFINITY;
    for (size_t i = 0; i < f->rings[0].n; i += 2) {
        x0 = fmin(x0, f->rings[0].v[i]);
        x1 = fmax(x1, f->rings[0].v[i]);
    }
    f->changed |= unwrapped | cut;
    f->moved |= unwrapped;
    double lo = f->center - 180.0, hi = f->center + 180.0, dx = 0;
    /* Without a frame (a reader unwrapping), the ring is moved by whole turns so that the middle
     * of its longitudes lies within [-180, 180]: a ring unwrapped from a first vertex written as
     * -180 would otherwise stay a turn off (world-atlas's Russia came out at -332..-180). */
    if (x0 <= x1)
        dx = 360.0 * round(((isfinite(f->center) ? f->center : 0.0) - 0.5 * (x0 + x1)) / 360.0);
    if (!isfinite(f->center) || (x0 + dx >= lo && x1 + dx <= hi)) {
        if (dx != 0)
            f->changed = f->moved = 1;
        if (!f->changed)
            return bzi_geom_list_push(h, &f->out, GEOSGeom_clone_r(h, p));
        int nomem = 0;
        GEOSGeometry *moved = polygon_of(h, f->rings, nr, dx, &nomem);
        return nomem ? BZI_E_NOMEM : bzi_geom_list_push(h, &f->out, moved);
    }
    /* Wider than what is left of the frame: the copies one turn either side, cut at its edges. */
    f->changed = f->moved = 1;
    GEOSGeometry *box = box_of(h, lo, hi);
    if (!box)
        return BZI_E_GEOS;
    int e = 0;
    for (int k = -1; k <= 1 && !e; k++) {
        int nomem = 0;
        GEOSGeometry *copy = polygon_of(h, f->rings, nr, dx + 360.0 * k, &nomem);
        if (!copy) {
            e = nomem ? BZI_E_NOMEM : BZI_E_GEOS;
            break;
        }
        char valid = GEOSisValid_r(h, copy);
        GEOSGeometry *in = valid == 1 ? GEOSIntersection_r(h, copy, box) : NULL;
        if (valid == 1) {
            GEOSGeom_destroy_r(h, copy);
            copy = in;
        }
        if (!copy) {
            e = BZI_E_GEOS;
            break;
        }
        if (GEOSisEmpty_r(h, copy))
            GEOSGeom_destroy_r(h, copy);
        else
            e = bzi_geom_list_push(h, &f->out, copy);
    }
    GEOSGeom_destroy_r(h, box);
    return e;
}

static int frame_all(framer *f, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = f->ctx->geos;
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_POLYGON)
        return GEOSisEmpty_r(h, g) ? 0 : frame_polygon(f, g);
    int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; i++) {
        int e = frame_all(f, GEOSGetGeometryN_r(h, g, i));
        if (e)
            return e;
    }
    return 0;
}

/* Unite the parts (cut, moved or unwrapped ones may overlap or meet across the seam) when each
 * is valid on its own; an invalid one is left for the caller's validity check to name. */
static int unite_parts(bz_context *ctx, GEOSGeometry *mp, GEOSGeometry **out)
{
    GEOSContextHandle_t h = ctx->geos;
    int n = GEOSGetNumGeometries_r(h, mp);
    for (int i = 0; i < n; i++)
        if (GEOSisValid_r(h, GEOSGetGeometryN_r(h, mp, i)) != 1) {
            *out = mp;
            return BZ_OK;
        }
    GEOSGeometry *u = GEOSUnaryUnion_r(h, mp);
    GEOSGeom_destroy_r(h, mp);
    if (!u)
        return bzi_geos_error(ctx, "uniting a polygon's parts across the antimeridian");
    int st =
        bzi_valid_multipolygon(ctx, u, "uniting a polygon's parts across the antimeridian", out);
    GEOSGeom_destroy_r(h, u);
    return st;
}

static int frame_or_unwrap(bz_context *ctx, const GEOSGeometry *g, double center, int keep_edges,
                           const char *what, GEOSGeometry **out);

int bzi_polygon_frame(bz_context *ctx, const GEOSGeometry *g, double center, const char *what,
                      GEOSGeometry **out)
{
    return frame_or_unwrap(ctx, g, center, 0, what, out);
}

int bzi_polygon_unwrap(bz_context *ctx, const GEOSGeometry *g, GEOSGeometry **out)
{
    int st = frame_or_unwrap(ctx, g, NAN, 1, "reading a ring across the antimeridian", out);
    GEOSContextHandle_t h = ctx->geos;
    /* a reader hands on polygons one by one: one part stays a Polygon */
    if (*out && GEOSGeomTypeId_r(h, g) == GEOS_POLYGON && GEOSGetNumGeometries_r(h, *out) == 1) {
        GEOSGeometry *p = GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, *out, 0));
        GEOSGeom_destroy_r(h, *out);
        *out = p;
        if (!p)
            return bzi_geos_error(ctx, "reading a ring across the antimeridian");
    }
    return st;
}

static int frame_or_unwrap(bz_context *ctx, const GEOSGeometry *g, double center, int keep_edges,
                           const char *what, GEOSGeometry **out)
{
    GEOSContextHandle_t h = ctx->geos;
    *out = NULL;
    if (!g)
        return BZ_OK;
    int t = GEOSGeomTypeId_r(h, g);
    if (t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON)
        return BZ_OK;
    framer f;
    memset(&f, 0, sizeof f);
    f.ctx = ctx;
    f.center = center;
    f.keep_edges = keep_edges;
    int e = frame_all(&f, g);
    for (size_t i = 0; i < f.cap; i++)
        free(f.rings[i].v);
    free(f.rings);
    free(f.raw.v);
    if (e) {
        bzi_geom_list_clear(h, &f.out);
        return bzi_fail(ctx, e, what);
    }
    if (!f.changed) {
        bzi_geom_list_clear(h, &f.out);
        return BZ_OK;
    }
    GEOSGeometry *mp = bzi_geom_list_to_multipolygon(h, &f.out);
    if (!mp)
        return bzi_geos_error(ctx, what);
    int st = f.moved ? unite_parts(ctx, mp, out) : (*out = mp, BZ_OK);
    /* A point put on a long edge lies on it only to the last bit: where another vertex of the
     * ring touches that edge (real outlines do, at narrow isthmuses) the ring may now cross
     * itself by 1e-15°. A valid input stays valid. */
    if (st == BZ_OK && !keep_edges && GEOSisValid_r(h, *out) == 0 && GEOSisValid_r(h, g) == 1) {
        /* Repairing a large outline costs seconds: its edges are kept as they are instead
         * (such outlines are detailed, their edges short) */
        GEOSGeom_destroy_r(h, *out);
        *out = NULL;
        return frame_or_unwrap(ctx, g, center, 1, what, out);
    }
    return st;
}

double bzi_line_center(const bz_line *line)
{
    double ext[4];
    bzi_line_bounds(line, ext);
    return line->part_start[line->nparts] ? 0.5 * (ext[0] + ext[1]) : 0.0;
}

/* Longitude intervals of the shells, each read the short way round and moved to start in
 * [-180, 180). */
typedef struct spans {
    double *v; /* x0, x1 pairs */
    size_t n, cap;
    bzi_coords buf;
    int full; /* some shell covers every longitude */
} spans;

/* bzi_polygon_fn: the span of one polygon's shell. */
static int spans_add(GEOSContextHandle_t h, const GEOSGeometry *g, void *arg)
{
    spans *s = arg;
    int e = bzi_ring_coords(h, GEOSGetExteriorRing_r(h, g), &s->buf, NULL);
    if (e)
        return e;
    size_t n = s->buf.n / 2;
    double x0 = INFINITY, x1 = -INFINITY, prev = n ? s->buf.v[0] : 0;
    for (size_t i = 0; i < n; i++) {
        double lon = s->buf.v[2 * i] + 360.0 * round((prev - s->buf.v[2 * i]) / 360.0);
        prev = lon;
        x0 = fmin(x0, lon);
        x1 = fmax(x1, lon);
    }
    if (n == 0)
        return 0;
    if (x1 - x0 >= 360.0 || prev != s->buf.v[0]) { /* round the globe, or round a pole */
        s->full = 1;
        return 0;
    }
    double k = 360.0 * floor((x0 + 180.0) / 360.0);
    if (bzi_grow(&s->v, &s->cap, s->n + 1, 2 * sizeof *s->v))
        return BZI_E_NOMEM;
    s->v[2 * s->n] = x0 - k;
    s->v[2 * s->n + 1] = x1 - k;
    s->n++;
    return 0;
}

static int span_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int bzi_polygons_center(bz_context *ctx, const GEOSGeometry *const *g, size_t n, double *out)
{
    spans s;
    memset(&s, 0, sizeof s);
    int e = 0;
    for (size_t i = 0; i < n && !e; i++)
        if (g[i])
            e = bzi_each_polygon(ctx->geos, g[i], spans_add, &s);
    double center = 0.0;
    if (!e && !s.full && s.n > 0) {
        qsort(s.v, s.n, 2 * sizeof *s.v, span_cmp);
        /* sweep: the widest stretch that no interval covers, the wrap-around one included */
        double reach = s.v[1], best = -1, mid = 0;
        for (size_t i = 1; i <= s.n; i++) {
            double next = i < s.n ? s.v[2 * i] : s.v[0] + 360.0;
            if (next - reach > best) {
                best = next - reach;
                mid = 0.5 * (next + reach);
            }
            if (i < s.n)
                reach = fmax(reach, s.v[2 * i + 1]);
        }
        if (best > 0) {
            center = mid + 180.0;
            center -= 360.0 * round(center / 360.0);
        }
    }
    free(s.v);
    free(s.buf.v);
    *out = center;
    return e ? bzi_fail(ctx, e, "finding the polygons' longitude frame") : BZ_OK;
}

int bzi_framed_make(bz_context *ctx, const GEOSGeometry *g, double center, const char *what,
                    bzi_framed *f)
{
    f->use = g;
    f->own = NULL;
    int st = bzi_polygon_frame(ctx, g, center, what, &f->own);
    if (f->own)
        f->use = f->own;
    return st;
}

void bzi_framed_free(bz_context *ctx, bzi_framed *f)
{
    if (f->own)
        GEOSGeom_destroy_r(ctx->geos, f->own);
    f->own = NULL;
    f->use = NULL;
}

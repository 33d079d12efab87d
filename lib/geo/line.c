/* line.c — the contact line: construction, validation, unwrapping, crossings, reversal.
 *
 * geo/ owns the contact line and measuring on the ellipsoid: the bz_line object (line.c, with
 * merging its parts in line_merge.c and its segment index in line_index.c), the exact distance
 * from a point to it (distance.c), and geodesic lengths, areas and lon/lat chords
 * (geodesic.c). It sits on core/ only; zones/ and io/ build on it.
 *
 * Every constructor funnels into build_line(): validate the raw coordinates, unwrap longitudes
 * and drop repeated points per part, merge parts that continue each other (line_merge.c), then
 * hand the result to bzi_line_new_owned() (geometry + segment index) and reject crossings using
 * that index.
 */
#include "core/context.h"
#include "core/grow.h"
#include "core/pool.h"
#include "core/polygon.h"
#include "geo/line.h"
#include "geo/line_index.h"
#include "geo/line_merge.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The longitude `lon` moved by whole turns to lie within 180° of `ref`. Adding a multiple of
 * 360 to a longitude in [-180, 180] is exact in the common cases, so moving back and forth does
 * not disturb equality of shared endpoints. */
static double unwrap_near(double lon, double ref)
{
    return lon + 360.0 * round((ref - lon) / 360.0);
}

static int validate_coords(bz_context *ctx, const double *lonlat, const size_t *sizes,
                           size_t nparts)
{
    size_t off = 0;
    for (size_t p = 0; p < nparts; p++) {
        for (size_t i = 0; i < sizes[p]; i++, off++) {
            double lon = lonlat[2 * off], lat = lonlat[2 * off + 1];
            if (!isfinite(lon) || !isfinite(lat))
                return bzi_error(ctx, BZ_ERR_GEOMETRY,
                                 "part %zu, vertex %zu: coordinate is not finite (lon %g, lat %g)",
                                 p, i, lon, lat);
            if (lon < -180.0 || lon > 180.0)
                return bzi_error(ctx, BZ_ERR_GEOMETRY,
                                 "part %zu, vertex %zu: longitude %.9g outside [-180, 180] "
                                 "(lat %.9g)",
                                 p, i, lon, lat);
            if (lat < -90.0 || lat > 90.0)
                return bzi_error(ctx, BZ_ERR_GEOMETRY,
                                 "part %zu, vertex %zu: latitude %.9g outside [-90, 90] "
                                 "(lon %.9g)",
                                 p, i, lat, lon);
        }
    }
    return BZ_OK;
}

/* Copy part `src` (n points) to `dst`, unwrapping each longitude to within 180° of the previous
 * one and dropping points equal to their predecessor. Returns the number of points kept. */
static size_t unwrap_dedupe(double *dst, const double *src, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double lon = src[2 * i], lat = src[2 * i + 1];
        if (k > 0) {
            lon = unwrap_near(lon, dst[2 * k - 2]);
            if (lon == dst[2 * k - 2] && lat == dst[2 * k - 1])
                continue;
        }
        dst[2 * k] = lon;
        dst[2 * k + 1] = lat;
        k++;
    }
    return k;
}

/* ---------------------------------------------------------------------------------------- */
/* Crossings                                                                                */
/* ---------------------------------------------------------------------------------------- */

typedef struct cross_check {
    const bz_line *line;
    size_t v;         /* the segment being checked (global start vertex) */
    size_t part;      /* its part */
    double x, y;      /* where the offending contact is */
    size_t w, wpart;  /* the other segment */
    const char *kind; /* "crosses", "overlaps", "touches" */
} cross_check;

void bzi_line_bounds(const bz_line *line, double box[4])
{
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    size_t nv = line->part_start[line->nparts];
    for (size_t i = 0; i < nv; i++) {
        x0 = fmin(x0, line->coords[2 * i]);
        x1 = fmax(x1, line->coords[2 * i]);
        y0 = fmin(y0, line->coords[2 * i + 1]);
        y1 = fmax(y1, line->coords[2 * i + 1]);
    }
    box[0] = x0;
    box[1] = x1;
    box[2] = y0;
    box[3] = y1;
}

size_t bzi_line_part_of(const bz_line *line, size_t v)
{
    size_t lo = 0, hi = line->nparts; /* part_start[lo] <= v < part_start[hi] */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (line->part_start[mid] <= v)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

int bzi_line_part_closed(const bz_line *line, size_t k, double *turn_deg)
{
    const double *p = line->coords + 2 * line->part_start[k];
    size_t n = line->part_start[k + 1] - line->part_start[k];
    if (turn_deg)
        *turn_deg = 0.0;
    if (n < 3 || p[1] != p[2 * n - 1])
        return 0;
    double dlon = p[2 * n - 2] - p[0];
    double turns = round(dlon / 360.0);
    /* unwrapping added the turns to the closing vertex's own longitude in one step: the sum is
     * exact to a rounding (1e-9 degrees is 0.1 mm) */
    if (fabs(dlon - 360.0 * turns) > 1e-9)
        return 0;
    if (turn_deg)
        *turn_deg = 360.0 * turns;
    return 1;
}

int bzi_line_end_of_other(const bz_line *line, size_t k, double x, double y)
{
    for (size_t j = 0; j < line->nparts; j++) {
        const double *q = line->coords + 2 * line->part_start[j];
        size_t n = line->part_start[j + 1] - line->part_start[j];
        if (j != k && ((q[0] == x && q[1] == y) || (q[2 * n - 2] == x && q[2 * n - 1] == y)))
            return 1;
    }
    return 0;
}

static double orient(const double *a, const double *b, const double *c)
{
    double d = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
    return d > 0 ? 1 : (d < 0 ? -1 : 0);
}

/* c is collinear with a-b: does it lie within the segment's extent? */
static int within(const double *a, const double *b, const double *c)
{
    return fmin(a[0], b[0]) <= c[0] && c[0] <= fmax(a[0], b[0]) && fmin(a[1], b[1]) <= c[1] &&
           c[1] <= fmax(a[1], b[1]);
}

static int same_point(const double *a, const double *b)
{
    return a[0] == b[0] && a[1] == b[1];
}

static int is_part_end(const bz_line *line, size_t part, const double *x)
{
    const double *c = line->coords;
    return same_point(x, c + 2 * line->part_start[part]) ||
           same_point(x, c + 2 * (line->part_start[part + 1] - 1));
}

/* May segments v (part pv) and w (part pw) share the single point x? Consecutive segments share
 * their common vertex; a closed part's first and last segment share the closing vertex; two
 * different parts may meet where both of them end. */
static int contact_allowed(const bz_line *line, size_t v, size_t pv, size_t w, size_t pw,
                           const double *x)
{
    const double *c = line->coords;
    if (pv != pw)
        return is_part_end(line, pv, x) && is_part_end(line, pw, x);
    if (w == v + 1 && same_point(x, c + 2 * w))
        return 1;
    size_t first = line->part_start[pv], last = line->part_start[pv + 1] - 1;
    return v == first && w == last - 1 && same_point(c + 2 * first, c + 2 * last) &&
           same_point(x, c + 2 * first);
}

static int visit_pair(size_t w, void *user)
{
    cross_check *cc = user;
    if (w <= cc->v)
        return 0;
    const double *c = cc->line->coords;
    const double *p0 = c + 2 * cc->v, *p1 = p0 + 2, *q0 = c + 2 * w, *q1 = q0 + 2;
    double o1 = orient(p0, p1, q0), o2 = orient(p0, p1, q1);
    double o3 = orient(q0, q1, p0), o4 = orient(q0, q1, p1);
    const size_t *ps = cc->line->part_start;
    size_t pw =
        (w >= ps[cc->part] && w < ps[cc->part + 1]) ? cc->part : bzi_line_part_of(cc->line, w);
    cc->w = w;
    cc->wpart = pw;
    if (o1 * o2 < 0 && o3 * o4 < 0) {
        double d = (p1[0] - p0[0]) * (q1[1] - q0[1]) - (p1[1] - p0[1]) * (q1[0] - q0[0]);
        double t = ((q0[0] - p0[0]) * (q1[1] - q0[1]) - (q0[1] - p0[1]) * (q1[0] - q0[0])) / d;
        cc->x = p0[0] + t * (p1[0] - p0[0]);
        cc->y = p0[1] + t * (p1[1] - p0[1]);
        cc->kind = "crosses";
        return 1;
    }
    if (o1 == 0 && o2 == 0) { /* collinear: how much do they share? */
        const double *pts[4] = {p0, p1, q0, q1};
        const double *shared[4];
        int ns = 0;
        for (int i = 0; i < 4; i++) {
            const double *a = i < 2 ? q0 : p0, *b = i < 2 ? q1 : p1;
            if (within(a, b, pts[i])) {
                int dup = 0;
                for (int j = 0; j < ns; j++)
                    dup |= same_point(shared[j], pts[i]);
                if (!dup)
                    shared[ns++] = pts[i];
            }
        }
        if (ns == 0)
            return 0;
        cc->x = shared[0][0];
        cc->y = shared[0][1];
        if (ns > 1) {
            cc->kind = "overlaps";
            return 1;
        }
        if (contact_allowed(cc->line, cc->v, cc->part, w, pw, shared[0]))
            return 0;
        cc->kind = "touches";
        return 1;
    }
    /* one end of a segment on the other segment? */
    const double *x = NULL;
    if (o1 == 0 && within(p0, p1, q0))
        x = q0;
    else if (o2 == 0 && within(p0, p1, q1))
        x = q1;
    else if (o3 == 0 && within(q0, q1, p0))
        x = p0;
    else if (o4 == 0 && within(q0, q1, p1))
        x = p1;
    if (!x || contact_allowed(cc->line, cc->v, cc->part, w, pw, x))
        return 0;
    cc->x = x[0];
    cc->y = x[1];
    cc->kind = "touches";
    return 1;
}

/* Lines with at least this many segments are checked on several threads. */
#define CROSS_PARALLEL_MIN 20000

/* One thread's share of check_crossings: the segments starting at vertices [from, to). */
typedef struct cross_run {
    const bz_line *line;
    size_t from, to;
    int found; /* 1 when cc holds the first offending pair of the share */
    cross_check cc;
} cross_run;

static void cross_scan(void *arg, size_t t)
{
    cross_run *r = (cross_run *)arg + t;
    const bz_line *line = r->line;
    r->cc = (cross_check){line, 0, 0, 0, 0, 0, 0, NULL};
    if (r->from >= r->to)
        return;
    for (size_t p = bzi_line_part_of(line, r->from);
         p < line->nparts && line->part_start[p] < r->to; p++) {
        r->cc.part = p;
        size_t lo = r->from > line->part_start[p] ? r->from : line->part_start[p];
        size_t hi = line->part_start[p + 1] - 1 < r->to ? line->part_start[p + 1] - 1 : r->to;
        for (size_t v = lo; v < hi; v++) {
            const double *a = line->coords + 2 * v, *b = a + 2;
            bzi_segbox box = {fmin(a[0], b[0]), fmin(a[1], b[1]), fmax(a[0], b[0]),
                              fmax(a[1], b[1])};
            r->cc.v = v;
            if (bzi_line_index_query(line->index, &box, visit_pair, &r->cc)) {
                r->found = 1;
                return;
            }
        }
    }
}

/* Reject a line whose segments cross, overlap or touch anywhere but at allowed joints. Each
 * segment queries the index with its chord's box, so the cost is about n log n; a long line's
 * segments are shared among the threads (0.02 s for 100,000 vertices), and the pair reported
 * is the first in the line's order, as one thread would find it. */
static int check_crossings(bz_context *ctx, const bz_line *line)
{
    size_t npts = line->part_start[line->nparts];
    size_t nruns = npts - line->nparts >= CROSS_PARALLEL_MIN ? (size_t)bzi_thread_count(ctx) : 1;
    cross_run local, *runs = nruns > 1 ? calloc(nruns, sizeof *runs) : NULL;
    if (!runs) {
        nruns = 1;
        runs = &local;
        memset(&local, 0, sizeof local);
    }
    for (size_t t = 0; t < nruns; t++) {
        runs[t].line = line;
        runs[t].from = npts * t / nruns;
        runs[t].to = npts * (t + 1) / nruns;
    }
    bzi_pool_run(ctx, nruns, (int)nruns, cross_scan, runs);
    int rc = BZ_OK;
    for (size_t t = 0; t < nruns && rc == BZ_OK; t++) {
        if (!runs[t].found)
            continue;
        const cross_check *cc = &runs[t].cc;
        size_t p = cc->part;
        size_t sv = cc->v - line->part_start[p], sw = cc->w - line->part_start[cc->wpart];
        if (cc->wpart == p)
            rc = bzi_error(ctx, BZ_ERR_GEOMETRY,
                           "the line %s itself at lon %.7f, lat %.7f (part %zu, segments %zu and "
                           "%zu)",
                           cc->kind, bzi_fold_lon(cc->x), cc->y, p, sv, sw);
        else
            rc = bzi_error(ctx, BZ_ERR_GEOMETRY,
                           "the line %s itself at lon %.7f, lat %.7f (part %zu segment %zu and "
                           "part %zu segment %zu)",
                           cc->kind, bzi_fold_lon(cc->x), cc->y, p, sv, cc->wpart, sw);
    }
    if (runs != &local)
        free(runs);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Construction                                                                             */
/* ---------------------------------------------------------------------------------------- */

/* The MultiLineString of the stored coordinates, in *out. */
static int make_geometry(bz_context *ctx, const double *coords, const size_t *starts, size_t nparts,
                         GEOSGeometry **out)
{
    GEOSGeometry **parts = malloc(nparts * sizeof *parts);
    if (!parts)
        return bzi_nomem(ctx, "building the line geometry");
    ctx->geos_msg[0] = '\0';
    size_t made = 0;
    for (; made < nparts; made++) {
        size_t n = starts[made + 1] - starts[made];
        GEOSCoordSequence *seq =
            GEOSCoordSeq_copyFromBuffer_r(ctx->geos, coords + 2 * starts[made], (unsigned)n, 0, 0);
        GEOSGeometry *ls = seq ? GEOSGeom_createLineString_r(ctx->geos, seq) : NULL;
        if (!ls) {
            if (seq)
                GEOSCoordSeq_destroy_r(ctx->geos, seq);
            break;
        }
        parts[made] = ls;
    }
    GEOSGeometry *g = NULL;
    if (made == nparts) /* GEOS owns the parts from here on, even if it fails (geos_c.h) */
        g = GEOSGeom_createCollection_r(ctx->geos, GEOS_MULTILINESTRING, parts, (unsigned)nparts);
    else
        for (size_t i = 0; i < made; i++)
            GEOSGeom_destroy_r(ctx->geos, parts[i]);
    free(parts);
    if (!g)
        return bzi_geos_error(ctx, "building the line geometry");
    *out = g;
    return BZ_OK;
}

int bzi_line_new_owned(bz_line **out, bz_context *ctx, double *coords, size_t *part_start,
                       size_t nparts)
{
    *out = NULL;
    bz_line *line = calloc(1, sizeof *line);
    if (!line) {
        free(coords);
        free(part_start);
        return bzi_nomem(ctx, "making a line");
    }
    line->ctx = ctx;
    line->coords = coords;
    line->part_start = part_start;
    line->nparts = nparts;
    if (part_start[nparts] > UINT32_MAX) {
        bz_line_free(line);
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "line has too many vertices (%zu)",
                         part_start[nparts]);
    }
    int rc = make_geometry(ctx, coords, part_start, nparts, &line->geom);
    if (rc) {
        bz_line_free(line);
        return rc;
    }
    rc = bzi_line_index_build(ctx, line->coords, line->part_start, line->nparts, &line->index);
    if (rc) {
        bz_line_free(line);
        return rc;
    }
    *out = line;
    return BZ_OK;
}

int bzi_line_copy(bz_line **out, bz_context *ctx, const bz_line *line)
{
    *out = NULL;
    size_t npts = line->part_start[line->nparts];
    bz_line *copy = calloc(1, sizeof *copy);
    if (copy) {
        copy->ctx = ctx;
        copy->nparts = line->nparts;
        copy->coords = malloc(npts * 2 * sizeof *copy->coords);
        copy->part_start = malloc((line->nparts + 1) * sizeof *copy->part_start);
    }
    if (!copy || !copy->coords || !copy->part_start) {
        bz_line_free(copy);
        return bzi_nomem(ctx, "copying a line");
    }
    memcpy(copy->coords, line->coords, npts * 2 * sizeof *copy->coords);
    memcpy(copy->part_start, line->part_start, (line->nparts + 1) * sizeof *copy->part_start);
    if (!(copy->geom = GEOSGeom_clone_r(ctx->geos, line->geom))) {
        bz_line_free(copy);
        return bzi_geos_error(ctx, "copying a line");
    }
    int rc = bzi_line_index_copy(ctx, line->index, npts, &copy->index);
    if (rc) {
        bz_line_free(copy);
        return rc;
    }
    *out = copy;
    return BZ_OK;
}

/* The common path of every constructor: `sizes[k]` points of part k, in order, from lonlat. */
static int build_line(bz_line **out, bz_context *ctx, const double *lonlat, const size_t *sizes,
                      size_t nparts)
{
    size_t total = 0;
    for (size_t p = 0; p < nparts; p++)
        total += sizes[p];
    if (nparts == 0 || total == 0)
        return bzi_error(ctx, BZ_ERR_GEOMETRY, "empty line: no points");
    int rc = validate_coords(ctx, lonlat, sizes, nparts);
    if (rc)
        return rc;

    double *work = malloc(2 * total * sizeof *work);
    bzi_run *runs = malloc(nparts * sizeof *runs);
    double *coords = malloc(2 * total * sizeof *coords);
    size_t *starts = malloc((nparts + 1) * sizeof *starts);
    if (!work || !runs || !coords || !starts) {
        rc = bzi_nomem(ctx, "making a line");
        goto fail;
    }
    size_t off = 0, used = 0;
    for (size_t p = 0; p < nparts; p++) {
        runs[p].xy = work + 2 * used;
        runs[p].n = unwrap_dedupe(runs[p].xy, lonlat + 2 * off, sizes[p]);
        if (runs[p].n < 2) {
            rc = bzi_error(ctx, BZ_ERR_GEOMETRY,
                           "part %zu has fewer than two distinct points (%zu given)", p, sizes[p]);
            goto fail;
        }
        off += sizes[p];
        used += runs[p].n;
    }
    size_t np = 0;
    rc = bzi_merge_runs(ctx, runs, nparts, coords, starts, &np);
    if (rc)
        goto fail;
    free(work);
    free(runs);
    bz_line *line = NULL;
    rc = bzi_line_new_owned(&line, ctx, coords, starts, np); /* takes coords and starts */
    if (rc)
        return rc;
    rc = check_crossings(ctx, line);
    if (rc) {
        bz_line_free(line);
        return rc;
    }
    *out = line;
    return BZ_OK;
fail:
    free(work);
    free(runs);
    free(coords);
    free(starts);
    return rc;
}

int bz_line_from_lonlat(bz_line **out, bz_context *ctx, const double *lonlat, size_t npoints)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || (!lonlat && npoints))
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_line_from_lonlat: NULL argument");
    *out = NULL;
    return build_line(out, ctx, lonlat, &npoints, 1);
}

int bz_line_from_parts(bz_line **out, bz_context *ctx, const double *lonlat,
                       const size_t *part_sizes, size_t nparts)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || (nparts && (!part_sizes || !lonlat)))
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_line_from_parts: NULL argument");
    *out = NULL;
    return build_line(out, ctx, lonlat, part_sizes, nparts);
}

/* Lines gathered from a GEOS geometry: every LineString's XY, one after the other. */
typedef struct gathered {
    double *xy;
    size_t n, cap; /* points */
    size_t *sizes;
    size_t nparts, capparts;
} gathered;

static int gather_curve(bz_context *ctx, const GEOSGeometry *g, gathered *acc)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(ctx->geos, g);
    unsigned int size = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx->geos, seq, &size))
        return bzi_geos_error(ctx, "reading line coordinates");
    if (size == 0)
        return BZ_OK; /* an empty member adds nothing */
    if (bzi_grow(&acc->xy, &acc->cap, acc->n + size, 2 * sizeof *acc->xy))
        return bzi_nomem(ctx, "reading line coordinates");
    if (BZI_GROW(acc->sizes, acc->capparts, acc->nparts + 1))
        return bzi_nomem(ctx, "reading line parts");
    if (!GEOSCoordSeq_copyToBuffer_r(ctx->geos, seq, acc->xy + 2 * acc->n, 0, 0))
        return bzi_geos_error(ctx, "copying line coordinates");
    acc->sizes[acc->nparts++] = size;
    acc->n += size;
    return BZ_OK;
}

static int gather(bz_context *ctx, const GEOSGeometry *g, gathered *acc, int depth)
{
    int type = GEOSGeomTypeId_r(ctx->geos, g);
    if (type == GEOS_LINESTRING || type == GEOS_LINEARRING)
        return gather_curve(ctx, g, acc);
    if (type == GEOS_MULTILINESTRING || type == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(ctx->geos, g);
        for (int i = 0; i < n; i++) {
            const GEOSGeometry *m = GEOSGetGeometryN_r(ctx->geos, g, i);
            int rc = gather(ctx, m, acc, depth + 1);
            if (rc) {
                if (rc == BZ_ERR_TYPE && depth == 0)
                    bzi_error_prefix(ctx, "member %d: ", i);
                return rc;
            }
        }
        return BZ_OK;
    }
    if (type < 0)
        return bzi_geos_error(ctx, "reading a geometry type");
    return bzi_error(ctx, BZ_ERR_TYPE, "a %s is not a line (LineString or MultiLineString needed)",
                     bzi_geom_type_name(ctx->geos, g));
}

int bz_line_from_geos(bz_line **out, bz_context *ctx, const GEOSGeometry *g)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || !g)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_line_from_geos: NULL argument");
    *out = NULL;
    gathered acc = {NULL, 0, 0, NULL, 0, 0};
    int rc = gather(ctx, g, &acc, 0);
    if (rc == BZ_OK)
        rc = build_line(out, ctx, acc.xy, acc.sizes, acc.nparts);
    free(acc.xy);
    free(acc.sizes);
    return rc;
}

/* Each public entry point opens with the same argument checks (no context: BZ_ERR_ARGUMENT and
 * nowhere to record it; a NULL argument: recorded, naming the function). They stay written out
 * in each function, so that each message names its own function. */
int bz_line_from_wkt(bz_line **out, bz_context *ctx, const char *wkt)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || !wkt)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_line_from_wkt: NULL argument");
    *out = NULL;
    GEOSGeometry *g = NULL;
    int rc = bz_geometry_from_wkt(&g, ctx, wkt);
    if (rc)
        return rc;
    int type = GEOSGeomTypeId_r(ctx->geos, g);
    if (type != GEOS_LINESTRING && type != GEOS_MULTILINESTRING)
        rc =
            bzi_error(ctx, BZ_ERR_TYPE, "WKT holds a %s; a LINESTRING or MULTILINESTRING is needed",
                      bzi_geom_type_name(ctx->geos, g));
    else
        rc = bz_line_from_geos(out, ctx, g);
    GEOSGeom_destroy_r(ctx->geos, g);
    return rc;
}

int bz_line_reverse(bz_line **out, bz_context *ctx, const bz_line *line)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || !line)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_line_reverse: NULL argument");
    *out = NULL;
    size_t n = line->part_start[line->nparts];
    double *coords = malloc(2 * n * sizeof *coords);
    size_t *starts = malloc((line->nparts + 1) * sizeof *starts);
    if (!coords || !starts) {
        free(coords);
        free(starts);
        return bzi_nomem(ctx, "reversing a line");
    }
    memcpy(starts, line->part_start, (line->nparts + 1) * sizeof *starts);
    for (size_t p = 0; p < line->nparts; p++) {
        size_t a = starts[p], b = starts[p + 1] - 1;
        for (size_t i = a; i <= b; i++) {
            coords[2 * i] = line->coords[2 * (a + b - i)];
            coords[2 * i + 1] = line->coords[2 * (a + b - i) + 1];
        }
    }
    return bzi_line_new_owned(out, ctx, coords, starts, line->nparts);
}

void bz_line_free(bz_line *line)
{
    if (!line)
        return;
    if (line->geom)
        GEOSGeom_destroy_r(line->ctx->geos, line->geom);
    bzi_line_index_free(line->index);
    free(line->coords);
    free(line->part_start);
    free(line);
}

size_t bz_line_num_parts(const bz_line *line)
{
    return line ? line->nparts : 0;
}

size_t bz_line_num_points(const bz_line *line)
{
    return line ? line->part_start[line->nparts] : 0;
}

const double *bz_line_part_coords(const bz_line *line, size_t part, size_t *npoints)
{
    if (!line || part >= line->nparts)
        return NULL;
    if (npoints)
        *npoints = line->part_start[part + 1] - line->part_start[part];
    return line->coords + 2 * line->part_start[part];
}

const GEOSGeometry *bz_line_geometry(const bz_line *line)
{
    return line ? line->geom : NULL;
}

int bz_line_length(double *length_m, bz_context *ctx, const bz_line *line)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!line || !length_m)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_line_length: NULL argument");
    double sum = 0;
    for (size_t p = 0; p < line->nparts; p++) {
        for (size_t v = line->part_start[p]; v + 1 < line->part_start[p + 1]; v++) {
            const double *c = line->coords + 2 * v;
            double s = 0;
            geod_inverse(&ctx->geod, c[1], c[0], c[3], c[2], &s, NULL, NULL);
            sum += s;
        }
    }
    *length_m = sum;
    return BZ_OK;
}

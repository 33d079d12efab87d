/*
 * derive.c — the contact line of a control map (bz_line_derive).
 *
 * A control map's territory is bounded by front line, state border and coast. The front is the
 * part of the territory's boundary that lies inside the region and farther than a tolerance
 * from the region's own edge. That distance is measured in metres, not degrees: every boundary
 * point tested is compared with the region's edge segments near it (a grid index) in the
 * point's local tangent plane, which for distances of a few km is exact to ~1e-5, far inside
 * the 1 % the tolerance needs. The boundary is sampled every tolerance/3 so that no excursion
 * past the tolerance is missed, and every change between front and not-front is located by
 * bisection to within a metre. Only the original vertices and those cut points go into the
 * result, so the line keeps the map's own shape.
 * Rings are turned so that the territory is on their left (exteriors counter-clockwise, holes
 * clockwise); pieces cut from them therefore run with the territory (side A) on the LEFT.
 */
#include "zones/derive.h"
#include "zones/antimeridian.h"
#include "core/grow.h"
#include "core/coords.h"
#include "core/context.h"
#include "core/progress.h"
#include "core/polygon.h"
#include "core/edge_grid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEG (3.14159265358979323846 / 180.0)
#define WGS84_A 6378137.0
#define WGS84_E2 0.0066943799901413165
#define CUT_PRECISION_M 0.5 /* bisect a front/not-front change to this length */

typedef struct front_test {
    GEOSContextHandle_t h;
    const bzi_seggrid *edges; /* the region's edge segments */
    const GEOSPreparedGeometry *region;
    double tol;
    /* the point being tested and its local plane (metres per degree) */
    double lon, lat, kx, ky;
    int failed;
    /* progress: the territory's vertices walked so far, of `total` */
    size_t walked, total;
} front_test;

/* Is the region edge segment i within the tolerance of the tested point? */
static int edge_is_near(void *arg, size_t i)
{
    front_test *ft = arg;
    const double *s = ft->edges->seg + 4 * i;
    double ax = (s[0] - ft->lon) * ft->kx, ay = (s[1] - ft->lat) * ft->ky;
    double bx = (s[2] - ft->lon) * ft->kx, by = (s[3] - ft->lat) * ft->ky;
    double ex = bx - ax, ey = by - ay;
    double len2 = ex * ex + ey * ey;
    double t = len2 > 0 ? -(ax * ex + ay * ey) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double dx = ax + t * ex, dy = ay + t * ey;
    return dx * dx + dy * dy <= ft->tol * ft->tol;
}

/* 1 if (lon, lat) is front: inside the region and farther than tol from its edge. */
static int is_front(front_test *ft, double lon, double lat)
{
    double sphi = sin(lat * DEG);
    double w = sqrt(1.0 - WGS84_E2 * sphi * sphi);
    ft->lon = lon;
    ft->lat = lat;
    ft->kx = WGS84_A / w * cos(lat * DEG) * DEG;
    ft->ky = WGS84_A * (1.0 - WGS84_E2) / (w * w * w) * DEG;
    double dlat = ft->tol / ft->ky * 1.01 + 1e-9;
    double dlon = ft->kx > 1.0 ? ft->tol / ft->kx * 1.01 + 1e-9 : 360.0;
    if (bzi_seggrid_query(ft->edges, lon - dlon, lat - dlat, lon + dlon, lat + dlat, edge_is_near,
                          ft))
        return 0;
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(ft->h, lon, lat);
    char in = p ? GEOSPreparedIntersects_r(ft->h, ft->region, p) : 2;
    if (p)
        GEOSGeom_destroy_r(ft->h, p);
    if (in == 2) {
        ft->failed = 1;
        return 0;
    }
    return in;
}

/* The pieces found so far: their points one after another, and each piece's size. */
typedef struct pieces {
    bzi_coords xy;
    size_t *size;
    size_t n, cap;
} pieces;

static int pieces_add(pieces *p, const double *xy, size_t npts)
{
    if (BZI_GROW(p->size, p->cap, p->n + 1))
        return -1;
    for (size_t i = 0; i < npts; i++)
        if (bzi_coords_push2(&p->xy, xy[2 * i], xy[2 * i + 1]))
            return -1;
    p->size[p->n++] = npts;
    return 0;
}

/* Keep a finished run as a piece if it has two distinct points. */
static int keep_run(pieces *p, const bzi_coords *run)
{
    size_t n = run->n / 2;
    for (size_t i = 1; i < n; i++)
        if (run->v[2 * i] != run->v[0] || run->v[2 * i + 1] != run->v[1])
            return pieces_add(p, run->v, n);
    return 0;
}

/* Where along a -> b (fraction in [lo, hi]) the front status changes from `from`. */
static double bisect(front_test *ft, const double *a, const double *b, double lo, double hi,
                     int from, double len_m)
{
    while ((hi - lo) * len_m > CUT_PRECISION_M && !ft->failed) {
        double mid = 0.5 * (lo + hi);
        if (is_front(ft, a[0] + mid * (b[0] - a[0]), a[1] + mid * (b[1] - a[1])) == from)
            lo = mid;
        else
            hi = mid;
    }
    return from ? lo : hi; /* a point that has the front status */
}

/* Does piece k begin at the point v? (Only then can a run be joined onto it.) */
static int first_piece_starts_at(const pieces *p, size_t k, const double *v)
{
    size_t off = 0;
    for (size_t q = 0; q < k; q++)
        off += p->size[q];
    return p->xy.v[2 * off] == v[0] && p->xy.v[2 * off + 1] == v[1];
}

/*
 * Cut the front pieces out of one closed ring (n points, last = first, territory on its
 * left). A piece running through the ring's first vertex is joined across it; a ring that is
 * front all round stays a closed piece.
 */
static int ring_pieces(bz_context *ctx, front_test *ft, const double *v, size_t n, double step,
                       pieces *out)
{
    size_t m = n - 1; /* distinct vertices */
    size_t first_piece = out->n;
    int start_front = is_front(ft, v[0], v[1]);
    int in = start_front, cut_once = 0;
    bzi_coords run = {0};
    if (in && bzi_coords_push2(&run, v[0], v[1]))
        goto nomem;
    for (size_t i = 0; i < m && !ft->failed; i++) {
        const double *a = v + 2 * i, *b = v + 2 * (i + 1);
        double len, azi1, azi2;
        geod_inverse(&ctx->geod, a[1], a[0], b[1], b[0], &len, &azi1, &azi2);
        size_t k = (size_t)ceil(len / step);
        if (k < 1)
            k = 1;
        for (size_t j = 1; j <= k; j++) {
            /* a stop is seen within one point-in-region test (a zone computation's, or the
             * caller's callback through bz_derive_options) */
            double done = ((double)(ft->walked + i) + (double)j / (double)k) / (double)ft->total;
            int st = bzi_progress_poll(ctx, 0.1 + 0.85 * done);
            if (st) {
                free(run.v);
                return st;
            }
            double t = (double)j / (double)k;
            int s = (i + 1 == m && j == k)
                        ? start_front
                        : is_front(ft, a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]));
            if (s == in)
                continue;
            double c = bisect(ft, a, b, (double)(j - 1) / (double)k, t, in, len);
            if (bzi_coords_push2(&run, a[0] + c * (b[0] - a[0]), a[1] + c * (b[1] - a[1])))
                goto nomem;
            if (in) { /* leaving the front: the run is a piece */
                if (keep_run(out, &run))
                    goto nomem;
                run.n = 0;
                cut_once = 1;
            }
            in = s;
        }
        if (in && i + 1 < m && bzi_coords_push2(&run, b[0], b[1]))
            goto nomem;
    }
    if (in && !ft->failed) {
        if (!cut_once) { /* front all round: a closed piece */
            if (bzi_coords_push2(&run, v[0], v[1]) || keep_run(out, &run))
                goto nomem;
        } else if (first_piece < out->n && first_piece_starts_at(out, first_piece, v)) {
            /* the last run goes on through vertex 0 into the first piece: join them there */
            size_t off = 0;
            for (size_t q = 0; q < first_piece; q++)
                off += out->size[q];
            const double *fp = out->xy.v + 2 * off;
            for (size_t q = 0; q < out->size[first_piece]; q++)
                if (bzi_coords_push2(&run, fp[2 * q], fp[2 * q + 1]))
                    goto nomem;
            /* the first piece is replaced by the joined one, which is longer: rebuild */
            size_t tail_pts = 0;
            for (size_t q = first_piece; q < out->n; q++)
                tail_pts += out->size[q];
            size_t later = out->n - first_piece - 1;
            size_t first_pts = out->size[first_piece];
            /* move the later pieces down over the first one, then append the joined run */
            memmove(out->xy.v + 2 * off, out->xy.v + 2 * (off + first_pts),
                    2 * (tail_pts - first_pts) * sizeof(double));
            memmove(out->size + first_piece, out->size + first_piece + 1, later * sizeof(size_t));
            out->xy.n -= 2 * first_pts;
            out->n--;
            if (keep_run(out, &run))
                goto nomem;
        } else if (bzi_coords_push2(&run, v[0], v[1]) || keep_run(out, &run)) {
            goto nomem; /* (the first run was too short to keep: this one ends at vertex 0) */
        }
    }
    free(run.v);
    ft->walked += m;
    if (ft->failed)
        return bzi_geos_error(ctx, "testing a boundary point against the region");
    return BZ_OK;
nomem:
    free(run.v);
    return bzi_nomem(ctx, "collecting the derived line");
}

/* The ring as lon/lat pairs turned so that its polygon lies on its left. */
static int ring_coords(GEOSContextHandle_t h, const GEOSGeometry *ring, int exterior,
                       bzi_coords *out)
{
    int ccw = 0;
    int e = bzi_ring_coords(h, ring, out, &ccw);
    if (e || ccw == (exterior != 0))
        return e;
    double *v = out->v; /* the other way round: reverse the points in place */
    for (size_t i = 0, j = out->n / 2; i + 1 < j; i++, j--) {
        double x = v[2 * i], y = v[2 * i + 1];
        v[2 * i] = v[2 * j - 2];
        v[2 * i + 1] = v[2 * j - 1];
        v[2 * j - 2] = x;
        v[2 * j - 1] = y;
    }
    return 0;
}

/* What polygon_pieces needs beside the polygon. */
typedef struct pieces_walk {
    bz_context *ctx;
    front_test *ft;
    double step;
    pieces *out;
    bzi_coords *ring;
} pieces_walk;

/* bzi_polygon_fn: ring_pieces for every ring of one polygon (a status, recorded in ctx). */
static int polygon_pieces(GEOSContextHandle_t h, const GEOSGeometry *g, void *arg)
{
    const pieces_walk *w = arg;
    bz_context *ctx = w->ctx;
    front_test *ft = w->ft;
    double step = w->step;
    pieces *out = w->out;
    bzi_coords *ring = w->ring;
    int nh = GEOSGetNumInteriorRings_r(h, g);
    for (int r = -1; r < nh; r++) {
        const GEOSGeometry *rg =
            r < 0 ? GEOSGetExteriorRing_r(h, g) : GEOSGetInteriorRingN_r(h, g, r);
        int e = rg ? ring_coords(h, rg, r < 0, ring) : BZI_E_GEOS;
        if (e)
            return bzi_fail(ctx, e, "reading a ring of the territory");
        if (ring->n < 8)
            continue; /* fewer than 4 points: not a ring */
        int st = ring_pieces(ctx, ft, ring->v, ring->n / 2, step, out);
        if (st)
            return st;
    }
    return BZ_OK;
}

static double piece_length(const struct geod_geodesic *g, const double *xy, size_t n)
{
    double total = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double s, a1, a2;
        geod_inverse(g, xy[2 * i + 1], xy[2 * i], xy[2 * i + 3], xy[2 * i + 2], &s, &a1, &a2);
        total += s;
    }
    return total;
}

/* Drop pieces shorter than min_length_m (in place). */
static void drop_short(const struct geod_geodesic *g, pieces *p, double min_length_m)
{
    size_t src = 0, dst = 0, kept = 0;
    for (size_t k = 0; k < p->n; k++) {
        size_t n = p->size[k];
        if (piece_length(g, p->xy.v + 2 * src, n) >= min_length_m) {
            memmove(p->xy.v + 2 * dst, p->xy.v + 2 * src, 2 * n * sizeof(double));
            p->size[kept++] = n;
            dst += n;
        }
        src += n;
    }
    p->n = kept;
    p->xy.n = 2 * dst;
}

/* A vertex of the pieces, for finding the points two pieces (or one piece twice) pass. */
typedef struct vertex_ref {
    double x, y;
    size_t at; /* index of the point in p->xy */
} vertex_ref;

static int vertex_cmp(const void *a, const void *b)
{
    const vertex_ref *u = a, *v = b;
    if (u->x != v->x)
        return u->x < v->x ? -1 : 1;
    if (u->y != v->y)
        return u->y < v->y ? -1 : 1;
    return u->at < v->at ? -1 : u->at > v->at;
}

/*
 * Split the pieces at every point that two of them (or one twice) pass through, so that pieces
 * meet only where they end, as a line's parts may. A territory of polygons that touch at a
 * corner (make_valid's answer to a ring that touches itself; world-atlas's Luxembourg beside
 * Germany) gives boundary pieces that meet at that corner, one running through it: refused
 * before as "the line touches itself". A closed piece keeps its closing point. 0, or -1 when
 * out of memory.
 */
static int split_at_shared_points(pieces *p)
{
    size_t npts = p->xy.n / 2;
    if (npts < 3)
        return 0;
    vertex_ref *refs = malloc(npts * sizeof *refs);
    unsigned char *cut = calloc(npts, 1);
    if (!refs || !cut) {
        free(refs);
        free(cut);
        return -1;
    }
    /* every point once, leaving out a closed piece's closing point (its first point again) */
    size_t nref = 0, start = 0;
    for (size_t k = 0; k < p->n; k++) {
        size_t n = p->size[k];
        const double *v = p->xy.v + 2 * start;
        int closed = n > 2 && v[0] == v[2 * n - 2] && v[1] == v[2 * n - 1];
        for (size_t i = 0; i < n - (size_t)closed; i++)
            if (i == 0 || v[2 * i] != v[2 * i - 2] || v[2 * i + 1] != v[2 * i - 1])
                refs[nref++] = (vertex_ref){v[2 * i], v[2 * i + 1], start + i}; /* once */
        start += n;
    }
    qsort(refs, nref, sizeof *refs, vertex_cmp);
    size_t shared = 0;
    for (size_t i = 0; i + 1 < nref; i++)
        if (refs[i].x == refs[i + 1].x && refs[i].y == refs[i + 1].y) {
            cut[refs[i].at] = cut[refs[i + 1].at] = 1;
            shared++;
        }
    free(refs);
    if (!shared) {
        free(cut);
        return 0;
    }
    /* rebuild: a piece is cut at each of its marked points that is not one of its ends */
    pieces out = {{0}, NULL, 0, 0};
    int fail = 0;
    start = 0;
    for (size_t k = 0; k < p->n && !fail; k++) {
        size_t n = p->size[k], from = 0;
        for (size_t i = 1; i + 1 < n && !fail; i++)
            if (cut[start + i]) {
                fail = pieces_add(&out, p->xy.v + 2 * (start + from), i - from + 1) != 0;
                from = i;
            }
        fail = fail || pieces_add(&out, p->xy.v + 2 * (start + from), n - from) != 0;
        start += n;
    }
    free(cut);
    if (fail) {
        free(out.xy.v);
        free(out.size);
        return -1;
    }
    free(p->xy.v);
    free(p->size);
    *p = out;
    return 0;
}

/* The derivation itself (options checked by bz_line_derive); polls ctx->progress, if any.
 * check_valid: the territory and region enter here (bz_line_derive) and get the one validity
 * check (bzi_check_valid); 0 when the caller checked them already (bzi_line_derive_valid). */
static int derive(bz_line **out, bz_context *ctx, const GEOSGeometry *territory,
                  const GEOSGeometry *region, const bz_derive_options *opts, int check_valid);

static int derive_call(bz_line **out, bz_context *ctx, const GEOSGeometry *territory,
                       const GEOSGeometry *region, const bz_derive_options *opts, int check_valid)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || !territory || !region)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_line_derive: NULL argument");
    *out = NULL;
    bz_derive_options def = BZ_DERIVE_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    if (bzi_check_options_version(ctx, "bz_line_derive", "bz_derive_options", opts->version,
                                  BZ_DERIVE_OPTIONS_VERSION) != BZ_OK)
        return BZ_ERR_ARGUMENT;
    /* Version 1 structs end before the callback. Without one of its own, a derivation inside
     * a zone computation keeps polling that computation's callback (ctx->progress). */
    if (opts->version < 2 || !opts->progress)
        return derive(out, ctx, territory, region, opts, check_valid);
    bzi_progress progress;
    int rc = bzi_progress_begin(&progress, ctx, opts->progress, opts->progress_data);
    bzi_progress_stage(ctx, 0.0, 1.0); /* the whole call is the derivation */
    if (rc == BZ_OK)
        rc = derive(out, ctx, territory, region, opts, check_valid);
    rc = bzi_progress_end(ctx, rc); /* the callback may still stop it at 1.0 */
    if (rc != BZ_OK && *out) {
        bz_line_free(*out);
        *out = NULL;
    }
    return rc;
}

int bz_line_derive(bz_line **out, bz_context *ctx, const GEOSGeometry *territory,
                   const GEOSGeometry *region, const bz_derive_options *opts)
{
    return derive_call(out, ctx, territory, region, opts, 1);
}

int bzi_line_derive_valid(bz_line **out, bz_context *ctx, const GEOSGeometry *territory,
                          const GEOSGeometry *region, const bz_derive_options *opts)
{
    return derive_call(out, ctx, territory, region, opts, 0);
}

static int derive(bz_line **out, bz_context *ctx, const GEOSGeometry *territory,
                  const GEOSGeometry *region, const bz_derive_options *opts, int check_valid)
{
    if (!(opts->tolerance_m >= 0) || !(opts->tolerance_m <= BZ_MAX_DISTANCE_M))
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "derive tolerance must be 0..%g m, got %g",
                         BZ_MAX_DISTANCE_M, opts->tolerance_m);
    if (!(opts->min_length_m >= 0) || !isfinite(opts->min_length_m))
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "derive minimum length must be >= 0 m, got %g",
                         opts->min_length_m);
    GEOSContextHandle_t h = ctx->geos;
    if (!bzi_is_polygonal(h, territory))
        return bzi_error(ctx, BZ_ERR_TYPE, "the territory must be polygonal, got a %s",
                         bzi_geom_type_name(h, territory));
    if (!bzi_is_polygonal(h, region))
        return bzi_error(ctx, BZ_ERR_TYPE, "the region must be polygonal, got a %s",
                         bzi_geom_type_name(h, region));
    if (check_valid) {
        int rc = bzi_check_valid(ctx, territory, "the territory");
        if (rc == BZ_OK)
            rc = bzi_check_valid(ctx, region, "the region");
        if (rc != BZ_OK)
            return rc;
    }

    /* rings the short way, geodesic edges, halves split at the antimeridian united */
    const GEOSGeometry *both[2] = {territory, region};
    double center = 0;
    bzi_framed fterr = {0}, fr = {0};
    int st = bzi_polygons_center(ctx, both, 2, &center);
    if (st == BZ_OK)
        st = bzi_framed_make(ctx, territory, center, "reading the territory", &fterr);
    if (st == BZ_OK)
        st = bzi_framed_make(ctx, region, center, "reading the region", &fr);
    if (st) {
        bzi_framed_free(ctx, &fterr);
        return st;
    }
    territory = fterr.use;
    region = fr.use;
    bzi_coords ring = {0};
    pieces found = {{0}, NULL, 0, 0};
    bzi_edge_grid edges = {{NULL, 0, 0}, {0}};
    const GEOSPreparedGeometry *pregion = NULL;
    GEOSGeometry *vregion = NULL;
    /* valid: checked where it entered (bzi_check_valid), and framing keeps it so */
    int me = bzi_multipolygon_of(h, region, &vregion);
    if (me) {
        st = bzi_fail(ctx, me, "reading the region's polygons");
        goto done;
    }
    int e = bzi_edge_grid_build(h, vregion, &edges);
    if (e) {
        st = bzi_fail(ctx, e, "indexing the region's edges");
        goto done;
    }
    pregion = GEOSPrepare_r(h, vregion);
    if (!pregion) {
        st = bzi_geos_error(ctx, "preparing the region");
        goto done;
    }
    st = bzi_progress_poll(ctx, 0.1); /* after the region's index */
    if (st)
        goto done;
    int nv = GEOSGetNumCoordinates_r(h, territory);
    front_test ft = {h, &edges.grid, pregion, opts->tolerance_m,      0, 0, 0,
                     0, 0,           0,       nv > 0 ? (size_t)nv : 1};
    double step = opts->tolerance_m > 0 ? fmin(opts->tolerance_m / 3.0, 1000.0) : 250.0;
    pieces_walk pw = {ctx, &ft, step, &found, &ring};
    st = bzi_each_polygon(ctx->geos, territory, polygon_pieces, &pw);
    if (st)
        goto done;
    st = bzi_progress_poll(ctx, 0.95);
    if (st)
        goto done;
    drop_short(&ctx->geod, &found, opts->min_length_m);
    if (found.n == 0) {
        st = bzi_error(ctx, BZ_ERR_NOT_FOUND,
                       "no contact line: no part of the territory's boundary lies inside the "
                       "region farther than %g m from its edge%s",
                       opts->tolerance_m,
                       opts->min_length_m > 0 ? " (after dropping short pieces)" : "");
        goto done;
    }
    if (split_at_shared_points(&found)) {
        st = bzi_nomem(ctx, "splitting the contact line where its pieces meet");
        goto done;
    }
    /* the frame may run past 180°: the line takes longitudes in [-180, 180] and unwraps them */
    for (size_t i = 0; i < found.xy.n; i += 2)
        found.xy.v[i] -= 360.0 * round(found.xy.v[i] / 360.0);
    st = bz_line_from_parts(out, ctx, found.xy.v, found.size, found.n);
    if (st)
        bzi_error_prefix(ctx, "joining the boundary pieces into a line: ");
done:
    if (pregion)
        GEOSPreparedGeom_destroy_r(h, pregion);
    if (vregion)
        GEOSGeom_destroy_r(h, vregion);
    bzi_edge_grid_free(&edges);
    free(ring.v);
    free(found.xy.v);
    free(found.size);
    bzi_framed_free(ctx, &fterr);
    bzi_framed_free(ctx, &fr);
    return st;
}

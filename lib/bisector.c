/*
 * bisector.c — the curves between the parts of a multi-part line (see bisector.h).
 *
 * Why: the zone definition gives a point the side of its NEAREST point of the line. Between two
 * parts that nearest point switches from one part to the other along the curve of points equally
 * far from both, and sides.c must cut the ground there (two parts drawn the same way 8 km apart
 * give the ground between them half to A, half to B).
 * How: a Voronoi diagram of points sampled along every part (GEOS, in a plane where a degree of
 * longitude is scaled by the cosine of the line's mean latitude) gives the curves' topology: the
 * edges between two samples of different parts. That plane is not the ellipsoid, so each vertex
 * within refine_m of the line is then moved onto the exact geodesic bisector of its two nearest
 * parts (bisection along the geodesic between their nearest points), and an edge is cut in two
 * until its chord is within BIS_TOL_M of the bisector. A vertex is moved the same way wherever
 * it occurs, so neighbouring edges stay joined.
 */
#include "bisector.h"
#include "coords.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DEG_RAD (3.14159265358979323846 / 180.0)
/* How far a chord of the bisector may stray from it. */
#define BIS_TOL_M 0.2
/* Shortest piece of a curve that is cut again. */
#define BIS_MIN_M 1.0
/* Deepest halving of one Voronoi edge. */
#define BIS_MAX_DEPTH 18

typedef struct sites {
    double *xy; /* plane coordinates */
    int *part;
    size_t n, cap;
    /* grid over the sites */
    double minx, miny, cell;
    size_t nx, ny;
    size_t *start, *items;
} sites;

static int sites_add(sites *s, double x, double y, int part)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        double *xy = realloc(s->xy, 2 * cap * sizeof *xy);
        if (!xy)
            return -1;
        s->xy = xy;
        int *p = realloc(s->part, cap * sizeof *p);
        if (!p)
            return -1;
        s->part = p;
        s->cap = cap;
    }
    s->xy[2 * s->n] = x;
    s->xy[2 * s->n + 1] = y;
    s->part[s->n++] = part;
    return 0;
}

static size_t clampi(double v, size_t n)
{
    if (!(v > 0))
        return 0;
    return v >= (double)(n - 1) ? n - 1 : (size_t)v;
}

static int sites_index(sites *s)
{
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < s->n; i++) {
        minx = fmin(minx, s->xy[2 * i]);
        maxx = fmax(maxx, s->xy[2 * i]);
        miny = fmin(miny, s->xy[2 * i + 1]);
        maxy = fmax(maxy, s->xy[2 * i + 1]);
    }
    double cell = sqrt((maxx - minx) * (maxy - miny) / (double)s->n);
    if (!(cell > 0))
        cell = fmax(maxx - minx, maxy - miny) / (double)s->n;
    if (!(cell > 0))
        cell = 1e-6;
    s->minx = minx;
    s->miny = miny;
    s->cell = cell;
    s->nx = (size_t)((maxx - minx) / cell) + 1;
    s->ny = (size_t)((maxy - miny) / cell) + 1;
    while ((double)s->nx * (double)s->ny > 4.0 * (double)s->n + 16.0) {
        s->cell *= 2;
        s->nx = (size_t)((maxx - minx) / s->cell) + 1;
        s->ny = (size_t)((maxy - miny) / s->cell) + 1;
    }
    s->start = calloc(s->nx * s->ny + 1, sizeof *s->start);
    s->items = malloc((s->n ? s->n : 1) * sizeof *s->items);
    size_t *fill = malloc(s->nx * s->ny * sizeof *fill);
    if (!s->start || !s->items || !fill) {
        free(fill);
        return -1;
    }
    for (size_t i = 0; i < s->n; i++) {
        size_t cx = clampi((s->xy[2 * i] - minx) / s->cell, s->nx);
        size_t cy = clampi((s->xy[2 * i + 1] - miny) / s->cell, s->ny);
        s->start[cy * s->nx + cx + 1]++;
    }
    for (size_t c = 0; c < s->nx * s->ny; c++)
        s->start[c + 1] += s->start[c];
    memcpy(fill, s->start, s->nx * s->ny * sizeof *fill);
    for (size_t i = 0; i < s->n; i++) {
        size_t cx = clampi((s->xy[2 * i] - minx) / s->cell, s->nx);
        size_t cy = clampi((s->xy[2 * i + 1] - miny) / s->cell, s->ny);
        s->items[fill[cy * s->nx + cx]++] = i;
    }
    free(fill);
    return 0;
}

/* The parts of the two sites nearest to (x, y) in the plane. */
static void nearest_two(const sites *s, double x, double y, int *p1, int *p2, double *dist)
{
    double d1 = INFINITY, d2 = INFINITY;
    size_t i1 = SIZE_MAX, i2 = SIZE_MAX;
    double fx = (x - s->minx) / s->cell, fy = (y - s->miny) / s->cell;
    long cx = (long)floor(fx), cy = (long)floor(fy);
    /* a point outside the grid (a far edge of the diagram) searches it all */
    int outside = cx < 0 || cy < 0 || cx >= (long)s->nx || cy >= (long)s->ny;
    cx = cx < 0 ? 0 : cx >= (long)s->nx ? (long)s->nx - 1 : cx;
    cy = cy < 0 ? 0 : cy >= (long)s->ny ? (long)s->ny - 1 : cy;
    long maxr = (long)(s->nx > s->ny ? s->nx : s->ny) + 1;
    for (long r = 0; r <= maxr; r++) {
        /* every site outside the rings searched so far is at least (r - 1) cells away */
        double reach = (double)(r - 1) * s->cell;
        if (!outside && i2 != SIZE_MAX && r > 0 && reach * reach > d2)
            break;
        for (long gy = cy - r; gy <= cy + r; gy++) {
            if (gy < 0 || gy >= (long)s->ny)
                continue;
            for (long gx = cx - r; gx <= cx + r; gx++) {
                if (gx < 0 || gx >= (long)s->nx)
                    continue;
                if (labs(gx - cx) != r && labs(gy - cy) != r)
                    continue; /* inside: searched before */
                size_t c = (size_t)gy * s->nx + (size_t)gx;
                for (size_t k = s->start[c]; k < s->start[c + 1]; k++) {
                    size_t i = s->items[k];
                    double dx = s->xy[2 * i] - x, dy = s->xy[2 * i + 1] - y;
                    double d = dx * dx + dy * dy;
                    if (d < d1) {
                        d2 = d1;
                        i2 = i1;
                        d1 = d;
                        i1 = i;
                    } else if (d < d2) {
                        d2 = d;
                        i2 = i;
                    }
                }
            }
        }
    }
    *p1 = i1 == SIZE_MAX ? -1 : s->part[i1];
    *p2 = i2 == SIZE_MAX ? -1 : s->part[i2];
    *dist = sqrt(d1);
}

typedef struct refiner {
    bz_context *ctx;
    const bz_line *line;
    bz_line **parts;
    const double *bbox; /* per part: min lon, min lat, max lon, max lat */
    size_t nparts;
    double refine_m;
    int status;
} refiner;

/* A distance (m) that (lon, lat) is at least from the box b: a degree of latitude is at least
 * 110.5 km, one of longitude at least 111.3 km × cos of the larger |latitude|. */
static double box_bound(const double *b, double lon, double lat)
{
    double dy = lat < b[1] ? b[1] - lat : lat > b[3] ? lat - b[3] : 0;
    double dx = lon < b[0] ? b[0] - lon : lon > b[2] ? lon - b[2] : 0;
    double c = cos(fmin(89.9, fmax(fmax(fabs(b[1]), fabs(b[3])), fabs(lat))) * DEG_RAD);
    return fmax(dy * 110500.0, dx * 111300.0 * c) * 0.99;
}

/* The nearest two parts of (lon, lat) and their nearest points; *k2 = -1 (not looked for) when
 * the nearest lies farther than refine_m. */
static int two_nearest(refiner *r, double lon, double lat, bz_nearest *n1, int *k1, bz_nearest *n2,
                       int *k2)
{
    n1->distance_m = n2->distance_m = INFINITY;
    *k1 = *k2 = -1;
    bz_nearest any;
    int st0 = bz_line_distance(r->ctx, r->line, lon, lat, &any);
    if (st0)
        return st0;
    if (any.distance_m > r->refine_m)
        return BZ_OK;
    *n1 = any;
    *k1 = (int)any.part;
    for (size_t k = 0; k < r->nparts; k++) {
        if ((int)k == *k1 || box_bound(r->bbox + 4 * k, lon, lat) > n2->distance_m)
            continue;
        bz_nearest n;
        int st = bz_line_distance(r->ctx, r->parts[k], lon, lat, &n);
        if (st)
            return st;
        if (n.distance_m < n1->distance_m) {
            *n2 = *n1;
            *k2 = *k1;
            *n1 = n;
            *k1 = (int)k;
        } else if (n.distance_m < n2->distance_m) {
            *n2 = n;
            *k2 = (int)k;
        }
    }
    return BZ_OK;
}

/* (lon, lat) moved onto the bisector of its two nearest parts if it lies within refine_m of the
 * line; *moved = 0 (and the point kept) otherwise. */
static void refine_point(refiner *r, double lon, double lat, double *out, int *moved)
{
    out[0] = lon;
    out[1] = lat;
    *moved = 0;
    if (r->status)
        return;
    bz_nearest a, b;
    int ka, kb;
    r->status = two_nearest(r, lon, lat, &a, &ka, &b, &kb);
    if (r->status || kb < 0 || a.distance_m > r->refine_m)
        return;
    const struct geod_geodesic *g = &r->ctx->geod;
    double s12, azi1;
    geod_inverse(g, a.lat, a.lon, b.lat, b.lon, &s12, &azi1, NULL);
    /* f(t) = distance to part a - distance to part b at t metres along the geodesic from a's
     * nearest point to b's: -s12 at 0, +s12 at s12, nearly straight between. The root by
     * regula falsi (Illinois), bracketed, to 1 mm. */
    double lo = 0, hi = s12, flo = -s12, fhi = s12, plon = lon, plat = lat;
    int side = 0;
    for (int it = 0; it < 60 && hi - lo > 1e-3 && !r->status; it++) {
        double t = flo != fhi ? lo - flo * (hi - lo) / (fhi - flo) : 0.5 * (lo + hi);
        if (!(t > lo && t < hi))
            t = 0.5 * (lo + hi);
        double qlat, qlon;
        geod_direct(g, a.lat, a.lon, azi1, t, &qlat, &qlon, NULL);
        qlon += 360.0 * round((a.lon - qlon) / 360.0);
        bz_nearest na, nb;
        r->status = bz_line_distance(r->ctx, r->parts[ka], qlon, qlat, &na);
        if (!r->status)
            r->status = bz_line_distance(r->ctx, r->parts[kb], qlon, qlat, &nb);
        if (r->status)
            return;
        double f = na.distance_m - nb.distance_m;
        plon = qlon;
        plat = qlat;
        if (fabs(f) < 1e-3)
            break;
        if (f < 0) {
            lo = t;
            flo = f;
            if (side == -1)
                fhi *= 0.5;
            side = -1;
        } else {
            hi = t;
            fhi = f;
            if (side == 1)
                flo *= 0.5;
            side = 1;
        }
    }
    out[0] = plon;
    out[1] = plat;
    *moved = 1;
}

/* Append (x, y) unless it repeats the last point; -1 when memory runs out. */
static int push_new(bzi_coords *c, double x, double y)
{
    if (c->n >= 2 && c->v[c->n - 2] == x && c->v[c->n - 1] == y)
        return 0;
    return bzi_coords_push2(c, x, y);
}

/* Distance (m, locally flat) of p from the chord a-b. */
static double chord_offset(const double *a, const double *b, const double *p)
{
    double c = cos(p[1] * DEG_RAD) * 111320.0, m = 110574.0;
    double bx = (b[0] - a[0]) * c, by = (b[1] - a[1]) * m;
    double px = (p[0] - a[0]) * c, py = (p[1] - a[1]) * m;
    double l2 = bx * bx + by * by;
    double t = l2 > 0 ? (px * bx + py * by) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(px - t * bx, py - t * by);
}

/* Append the refined curve from p (refined rp) to q (refined rq), p and q excluded, into out. */
static int refine_between(refiner *r, const double *p, const double *rp, const double *q,
                          const double *rq, int depth, bzi_coords *out)
{
    double m[2] = {0.5 * (p[0] + q[0]), 0.5 * (p[1] + q[1])}, rm[2];
    int moved = 0;
    refine_point(r, m[0], m[1], rm, &moved);
    if (r->status)
        return r->status;
    /* pieces under BIS_MIN_M are not cut again: where the two nearest parts change (three parts
     * about equally near) the curve turns a corner that no chord follows */
    if (!moved || depth >= BIS_MAX_DEPTH || chord_offset(rp, rq, rm) <= BIS_TOL_M ||
        chord_offset(p, p, q) < BIS_MIN_M) {
        if (!moved || depth >= BIS_MAX_DEPTH)
            return BZ_OK;
        /* the midpoint is kept when the chord would do: it costs nothing more */
        return push_new(out, rm[0], rm[1]) ? BZ_ERR_NOMEM : BZ_OK;
    }
    int st = refine_between(r, p, rp, m, rm, depth + 1, out);
    if (!st && push_new(out, rm[0], rm[1]))
        st = BZ_ERR_NOMEM;
    if (!st)
        st = refine_between(r, m, rm, q, rq, depth + 1, out);
    return st;
}

static void free_parts(bz_line **parts, size_t n)
{
    for (size_t k = 0; k < n; k++)
        bz_line_free(parts[k]);
    free(parts);
}

/* Every part of the line as a line of its own (for the distance to one part). */
static int split_parts(bz_context *ctx, const bz_line *line, bz_line ***out)
{
    size_t np = bz_line_num_parts(line);
    bz_line **parts = calloc(np, sizeof *parts);
    if (!parts)
        return bzi_nomem(ctx, "the parts of the line");
    for (size_t k = 0; k < np; k++) {
        size_t n = 0;
        const double *p = bz_line_part_coords(line, k, &n);
        double *c = malloc(2 * n * sizeof *c);
        size_t *st = malloc(2 * sizeof *st);
        if (!c || !st) {
            free(c);
            free(st);
            free_parts(parts, np);
            return bzi_nomem(ctx, "the parts of the line");
        }
        memcpy(c, p, 2 * n * sizeof *c);
        st[0] = 0;
        st[1] = n;
        int rc = bzi_line_new_owned(&parts[k], ctx, c, st, 1);
        if (rc) {
            free_parts(parts, np);
            return rc;
        }
    }
    *out = parts;
    return BZ_OK;
}

/* 1 if (x, y) is an end of a part other than k. */
static int end_of_other(const bz_line *line, size_t k, double x, double y)
{
    for (size_t j = 0; j < bz_line_num_parts(line); j++) {
        size_t n = 0;
        const double *q = bz_line_part_coords(line, j, &n);
        if (j != k && ((q[0] == x && q[1] == y) || (q[2 * n - 2] == x && q[2 * n - 1] == y)))
            return 1;
    }
    return 0;
}

/* Sample every part at its ends and every `step` (plane units) along it: a dense line's
 * vertices are not all needed, since only the curves' course comes from the diagram (their
 * points are then put on the exact bisector). An end shared with another part is left out:
 * every point whose nearest point it is lies as near to both parts, and the samples either
 * side of it put the curve on the bisector of the two parts' directions there, as at a vertex
 * of one part. */
static int sample_parts(const bz_line *line, double c, double step, sites *s)
{
    size_t np = bz_line_num_parts(line);
    for (size_t k = 0; k < np; k++) {
        size_t n = 0;
        const double *p = bz_line_part_coords(line, k, &n);
        double next = 0, along = 0; /* distance of the next sample, and of vertex i */
        for (size_t i = 0; i + 1 < n; i++) {
            double x0 = p[2 * i] * c, y0 = p[2 * i + 1];
            double x1 = p[2 * i + 2] * c, y1 = p[2 * i + 3];
            double len = hypot(x1 - x0, y1 - y0);
            while (next <= along + len) {
                double t = len > 0 ? (next - along) / len : 0;
                int shared = next == 0 && end_of_other(line, k, p[0], p[1]);
                if (!shared && sites_add(s, x0 + t * (x1 - x0), y0 + t * (y1 - y0), (int)k))
                    return -1;
                next += step;
            }
            along += len;
        }
        if (!end_of_other(line, k, p[2 * n - 2], p[2 * n - 1]) &&
            sites_add(s, p[2 * n - 2] * c, p[2 * n - 1], (int)k))
            return -1;
    }
    return 0;
}

int bzi_part_bisectors(bz_context *ctx, const bz_line *line, double refine_m, const double box[4],
                       GEOSGeometry **out)
{
    GEOSContextHandle_t h = ctx->geos;
    *out = NULL;
    size_t np = bz_line_num_parts(line);
    if (np < 2) {
        *out = GEOSGeom_createEmptyCollection_r(h, GEOS_MULTILINESTRING);
        return *out ? BZ_OK : bzi_geos_error(ctx, "an empty set of bisectors");
    }
    double lat_sum = 0, x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    size_t total = line->part_start[line->nparts];
    for (size_t i = 0; i < total; i++) {
        lat_sum += line->coords[2 * i + 1];
        x0 = fmin(x0, line->coords[2 * i]);
        x1 = fmax(x1, line->coords[2 * i]);
        y0 = fmin(y0, line->coords[2 * i + 1]);
        y1 = fmax(y1, line->coords[2 * i + 1]);
    }
    double c = fmax(0.05, cos(lat_sum / (double)total * DEG_RAD));
    /* samples about refine_m / 5 apart (at most ~100 km), so the diagram has the curves'
     * course before they are refined */
    double step = fmin(1.0, fmax(refine_m / 5.0, 50.0) / 111000.0);
    sites s;
    memset(&s, 0, sizeof s);
    bz_line **parts = NULL;
    GEOSGeometry *mp = NULL, *env = NULL, *edges = NULL;
    bzi_coords curve = {0};
    int st = BZ_OK;
    if (sample_parts(line, c, step, &s)) {
        st = bzi_nomem(ctx, "sampling the line's parts");
        goto done;
    }
    if (s.n < 2) { /* parts that are all shared ends: nothing to divide by */
        *out = GEOSGeom_createEmptyCollection_r(h, GEOS_MULTILINESTRING);
        st = *out ? BZ_OK : bzi_geos_error(ctx, "an empty set of bisectors");
        goto done;
    }
    if (sites_index(&s)) {
        st = bzi_nomem(ctx, "sampling the line's parts");
        goto done;
    }
    /* the sites as a MultiPoint */
    {
        GEOSGeometry **pts = malloc(s.n * sizeof *pts);
        if (!pts) {
            st = bzi_nomem(ctx, "sampling the line's parts");
            goto done;
        }
        size_t made = 0;
        for (; made < s.n; made++)
            if (!(pts[made] = GEOSGeom_createPointFromXY_r(h, s.xy[2 * made], s.xy[2 * made + 1])))
                break;
        if (made == s.n)
            mp = GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, pts, (unsigned)s.n);
        else
            for (size_t i = 0; i < made; i++)
                GEOSGeom_destroy_r(h, pts[i]);
        free(pts);
        if (!mp) {
            st = bzi_geos_error(ctx, "sampling the line's parts");
            goto done;
        }
    }
    {
        double bx0 = fmin(box[0], x0) * c, bx1 = fmax(box[2], x1) * c;
        double by0 = fmin(box[1], y0), by1 = fmax(box[3], y1);
        double m = 0.1 * fmax(bx1 - bx0, by1 - by0) + 1.0;
        const double b[10] = {bx0 - m, by0 - m, bx1 + m, by0 - m, bx1 + m,
                              by1 + m, bx0 - m, by1 + m, bx0 - m, by0 - m};
        GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, b, 5, 0, 0);
        GEOSGeometry *ring = cs ? GEOSGeom_createLinearRing_r(h, cs) : NULL;
        env = ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
    }
    edges = env ? GEOSVoronoiDiagram_r(h, mp, env, 0.0, 1) : NULL;
    if (!edges) {
        st = bzi_geos_error(ctx, "dividing the ground between the line's parts");
        goto done;
    }
    st = split_parts(ctx, line, &parts);
    if (st)
        goto done;
    double *bbox = malloc(4 * np * sizeof *bbox);
    if (!bbox) {
        st = bzi_nomem(ctx, "the curves between the line's parts");
        goto done;
    }
    for (size_t k = 0; k < np; k++) {
        size_t n = 0;
        const double *p = bz_line_part_coords(line, k, &n);
        double *b = bbox + 4 * k;
        b[0] = b[1] = INFINITY;
        b[2] = b[3] = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            b[0] = fmin(b[0], p[2 * i]);
            b[1] = fmin(b[1], p[2 * i + 1]);
            b[2] = fmax(b[2], p[2 * i]);
            b[3] = fmax(b[3], p[2 * i + 1]);
        }
        /* geodesic segments bow poleward of their vertices' box */
        double bow = 0.02 * (b[2] - b[0]) * (b[2] - b[0]) + 1e-3;
        b[1] -= bow;
        b[3] += bow;
    }
    refiner r = {ctx, line, parts, bbox, np, refine_m, BZ_OK};
    GEOSGeometry **kept = NULL;
    size_t nkept = 0, capkept = 0;
    int ne = GEOSGetNumGeometries_r(h, edges);
    for (int e = 0; e < ne && !st; e++) {
        const GEOSGeometry *ls = GEOSGetGeometryN_r(h, edges, e);
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ls);
        unsigned n = 0;
        if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n)) {
            st = bzi_geos_error(ctx, "reading the diagram of the line's parts");
            break;
        }
        for (unsigned i = 0; i + 1 < n && !st; i++) {
            double a[2], b[2];
            GEOSCoordSeq_getXY_r(h, cs, i, &a[0], &a[1]);
            GEOSCoordSeq_getXY_r(h, cs, i + 1, &b[0], &b[1]);
            /* Where four or more samples lie on one circle, GEOS gives the one Voronoi vertex
             * as several circumcentres a few 1e-14° apart, joined by edges of about that
             * length: snap them together, and keep every such edge, so no curve has a gap. */
            for (int q = 0; q < 2; q++) {
                a[q] = nearbyint(a[q] * 1e10) / 1e10;
                b[q] = nearbyint(b[q] * 1e10) / 1e10;
            }
            int p1, p2;
            double da, db, dm;
            nearest_two(&s, a[0], a[1], &p1, &p2, &da);
            nearest_two(&s, b[0], b[1], &p1, &p2, &db);
            nearest_two(&s, 0.5 * (a[0] + b[0]), 0.5 * (a[1] + b[1]), &p1, &p2, &dm);
            if (p1 < 0 || p2 < 0 || (p1 == p2 && hypot(b[0] - a[0], b[1] - a[1]) > 1e-9))
                continue; /* between two samples of one part */
            a[0] /= c;
            b[0] /= c;
            /* pieces no longer than a sample step, each refined, where the edge comes within
             * reach of the line (the nearest samples are at most 0.6 step from it; along an
             * edge the distance to its two samples is least at an end or where it is nearest
             * to both): farther out the straight edge only keeps the grounds apart */
            double len = hypot((b[0] - a[0]) * c, b[1] - a[1]);
            double near = fmin(fmin(da, db), dm) - 0.5 * len;
            size_t m = near * 111000.0 * 0.8 > refine_m + 0.6 * step * 111000.0
                           ? 1
                           : (size_t)ceil(len / step);
            if (m < 1)
                m = 1;
            curve.n = 0;
            double prev[2] = {a[0], a[1]}, rprev[2];
            int moved = 0;
            /* a vertex far from every sample is far from the line: no distance asked (the
             * same vertex gets the same answer in every edge it ends) */
            double far = (refine_m + step * 111000.0) / (0.5 * 111000.0);
            if (da > far) {
                rprev[0] = a[0];
                rprev[1] = a[1];
            } else {
                refine_point(&r, a[0], a[1], rprev, &moved);
            }
            if (push_new(&curve, rprev[0], rprev[1]))
                st = BZ_ERR_NOMEM;
            for (size_t j = 1; j <= m && !st && !r.status; j++) {
                double t = (double)j / (double)m;
                /* the last piece ends at b itself: a + (b - a) need not be b in floating point,
                 * and the next edge starts at b */
                double q[2] = {j == m ? b[0] : a[0] + t * (b[0] - a[0]),
                               j == m ? b[1] : a[1] + t * (b[1] - a[1])},
                       rq[2];
                if (j == m && db > far) {
                    rq[0] = q[0];
                    rq[1] = q[1];
                    moved = 0;
                } else {
                    refine_point(&r, q[0], q[1], rq, &moved);
                }
                st = refine_between(&r, prev, rprev, q, rq, 0, &curve);
                if (!st && push_new(&curve, rq[0], rq[1]))
                    st = BZ_ERR_NOMEM;
                memcpy(prev, q, sizeof prev);
                memcpy(rprev, rq, sizeof rprev);
            }
            if (!st)
                st = r.status;
            if (st == BZ_ERR_NOMEM)
                st = bzi_nomem(ctx, "the curves between the line's parts");
            if (st)
                break;
            if (curve.n < 4)
                continue; /* refined into a single point */
            if (nkept == capkept) {
                size_t cap = capkept ? 2 * capkept : 256;
                GEOSGeometry **v = realloc(kept, cap * sizeof *v);
                if (!v) {
                    st = bzi_nomem(ctx, "the curves between the line's parts");
                    break;
                }
                kept = v;
                capkept = cap;
            }
            GEOSCoordSequence *ccs =
                GEOSCoordSeq_copyFromBuffer_r(h, curve.v, (unsigned)(curve.n / 2), 0, 0);
            GEOSGeometry *g = ccs ? GEOSGeom_createLineString_r(h, ccs) : NULL;
            if (!g) {
                st = bzi_geos_error(ctx, "the curves between the line's parts");
                break;
            }
            kept[nkept++] = g;
        }
    }
    if (!st) {
        *out = GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, kept, (unsigned)nkept);
        if (!*out)
            st = bzi_geos_error(ctx, "the curves between the line's parts");
    } else {
        for (size_t i = 0; i < nkept; i++)
            GEOSGeom_destroy_r(h, kept[i]);
    }
    free(kept);
    free(bbox);
done:
    if (parts)
        free_parts(parts, np);
    if (mp)
        GEOSGeom_destroy_r(h, mp);
    if (env)
        GEOSGeom_destroy_r(h, env);
    if (edges)
        GEOSGeom_destroy_r(h, edges);
    free(curve.v);
    free(s.xy);
    free(s.part);
    free(s.start);
    free(s.items);
    return st;
}

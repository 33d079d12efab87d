/*
 * oracle.c — the zone definition implemented by brute force (see oracle.h): nearest points by
 * geod_inverse over a densified copy of the line refined on each candidate segment, sides by
 * the sign of the turn from the line's azimuth to the point's azimuth, areas by stratified
 * sampling uniform on the ellipsoid.
 */
#include "oracle.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846
#define DEG (PI / 180.0)
#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)
#define RMEAN 6371008.8

struct oracle_line {
    struct geod_geodesic g;
    size_t nparts, nv;
    size_t *pstart, *pcount;
    int *closed;
    double *lon, *lat;
    int *segok;                    /* vertex i starts a segment i → i+1 */
    struct geod_geodesicline *seg; /* by start vertex */
    double *az_out, *az_in;        /* departure at i / arrival at i (NaN if none) */
    int *is_end;                   /* vertex is an open end of its part */
    size_t *pair;                  /* closed rings: the other copy of the closing vertex */
    /* prefilter nodes */
    size_t nn;
    double *nxyz, *ns, *nh, *nll;
    size_t *nseg;
    double length;
};

double oracle_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

static void unit(double lon, double lat, double *v)
{
    v[0] = cos(lat * DEG) * cos(lon * DEG);
    v[1] = cos(lat * DEG) * sin(lon * DEG);
    v[2] = sin(lat * DEG);
}

void oracle_line_free(oracle_line *l)
{
    if (!l)
        return;
    free(l->pstart);
    free(l->pcount);
    free(l->closed);
    free(l->lon);
    free(l->lat);
    free(l->segok);
    free(l->seg);
    free(l->az_out);
    free(l->az_in);
    free(l->is_end);
    free(l->pair);
    free(l->nxyz);
    free(l->ns);
    free(l->nh);
    free(l->nll);
    free(l->nseg);
    free(l);
}

double oracle_line_length(const oracle_line *l)
{
    return l->length;
}

oracle_line *oracle_line_new(const double *ll, const size_t *sizes, size_t nparts)
{
    oracle_line *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    geod_init(&l->g, WGS84_A, WGS84_F);
    size_t nv = 0;
    for (size_t k = 0; k < nparts; k++) {
        if (sizes[k] < 2) {
            free(l);
            return NULL;
        }
        nv += sizes[k];
    }
    l->nparts = nparts;
    l->nv = nv;
    l->pstart = calloc(nparts, sizeof *l->pstart);
    l->pcount = calloc(nparts, sizeof *l->pcount);
    l->closed = calloc(nparts, sizeof *l->closed);
    l->lon = calloc(nv, sizeof *l->lon);
    l->lat = calloc(nv, sizeof *l->lat);
    l->segok = calloc(nv, sizeof *l->segok);
    l->seg = calloc(nv, sizeof *l->seg);
    l->az_out = calloc(nv, sizeof *l->az_out);
    l->az_in = calloc(nv, sizeof *l->az_in);
    l->is_end = calloc(nv, sizeof *l->is_end);
    l->pair = calloc(nv, sizeof *l->pair);
    if (!l->pstart || !l->pcount || !l->closed || !l->lon || !l->lat || !l->segok || !l->seg ||
        !l->az_out || !l->az_in || !l->is_end || !l->pair) {
        oracle_line_free(l);
        return NULL;
    }
    size_t v = 0;
    for (size_t k = 0; k < nparts; k++) {
        l->pstart[k] = v;
        l->pcount[k] = sizes[k];
        for (size_t i = 0; i < sizes[k]; i++, v++) {
            l->lon[v] = ll[2 * v];
            l->lat[v] = ll[2 * v + 1];
            l->az_out[v] = l->az_in[v] = NAN;
            l->pair[v] = v;
        }
        size_t a = l->pstart[k], b = a + sizes[k] - 1;
        l->closed[k] = sizes[k] > 3 && l->lat[a] == l->lat[b] &&
                       fabs(remainder(l->lon[a] - l->lon[b], 360.0)) < 1e-12;
    }
    /* segments, azimuths, total length, node count */
    size_t nn = 0;
    for (size_t i = 0; i + 1 < nv; i++) {
        int same_part = 0;
        for (size_t k = 0; k < nparts; k++)
            if (i >= l->pstart[k] && i + 1 < l->pstart[k] + l->pcount[k])
                same_part = 1;
        if (!same_part)
            continue;
        double s12, a1, a2;
        geod_inverse(&l->g, l->lat[i], l->lon[i], l->lat[i + 1], l->lon[i + 1], &s12, &a1, &a2);
        if (!(s12 > 0))
            continue; /* duplicate vertex: no segment */
        l->segok[i] = 1;
        geod_inverseline(&l->seg[i], &l->g, l->lat[i], l->lon[i], l->lat[i + 1], l->lon[i + 1],
                         GEOD_ALL);
        l->az_out[i] = a1;
        l->az_in[i + 1] = a2;
        l->length += s12;
    }
    for (size_t k = 0; k < nparts; k++) {
        size_t a = l->pstart[k], b = a + l->pcount[k] - 1;
        if (l->closed[k]) {
            l->az_in[a] = l->az_in[b];
            l->az_out[b] = l->az_out[a];
            l->pair[a] = b;
            l->pair[b] = a;
        } else {
            l->is_end[a] = l->is_end[b] = 1;
        }
    }
    /* nodes: every segment cut into pieces of at most 1/200 of the line or 20 km, at least
     * 50 m (the refinement does the rest) */
    double h = l->length / 200.0;
    if (h > 20000.0)
        h = 20000.0;
    if (h < 50.0)
        h = 50.0;
    for (size_t i = 0; i < nv; i++)
        if (l->segok[i])
            nn += (size_t)ceil(l->seg[i].s13 / h) + 1;
    l->nxyz = malloc(3 * nn * sizeof *l->nxyz);
    l->ns = malloc(nn * sizeof *l->ns);
    l->nh = malloc(nn * sizeof *l->nh);
    l->nseg = malloc(nn * sizeof *l->nseg);
    l->nll = malloc(2 * nn * sizeof *l->nll);
    if (!l->nxyz || !l->ns || !l->nh || !l->nseg || !l->nll) {
        oracle_line_free(l);
        return NULL;
    }
    for (size_t i = 0; i < nv; i++) {
        if (!l->segok[i])
            continue;
        size_t m = (size_t)ceil(l->seg[i].s13 / h);
        if (m < 1)
            m = 1;
        double step = l->seg[i].s13 / (double)m;
        for (size_t j = 0; j <= m; j++) {
            double s = step * (double)j, la, lo;
            geod_position(&l->seg[i], s, &la, &lo, NULL);
            unit(lo, la, l->nxyz + 3 * l->nn);
            l->nll[2 * l->nn] = lo;
            l->nll[2 * l->nn + 1] = la;
            l->ns[l->nn] = s;
            l->nh[l->nn] = step;
            l->nseg[l->nn] = i;
            l->nn++;
        }
    }
    return l;
}

/* The side of a point at azimuth beta seen from the line's point whose direction is alpha:
 * left (A, +1) when the turn from alpha to beta is counter-clockwise. */
static int side_of(double alpha, double beta)
{
    return sin((beta - alpha) * DEG) < 0 ? +1 : -1;
}

/* Mean direction of the incoming and outgoing azimuths at a vertex. */
static double bisector(double ain, double aout)
{
    double x = cos(ain * DEG) + cos(aout * DEG), y = sin(ain * DEG) + sin(aout * DEG);
    if (x * x + y * y < 1e-24)
        return ain; /* a full reversal: no bisector; keep the incoming direction */
    return atan2(y, x) / DEG;
}

typedef struct cand {
    double dist, amb, lon, lat;
    int side;
} cand;

/* The nearest point of segment i (starting from along-track s0), its side and ambiguity. */
static void refine(const oracle_line *l, size_t i, double s0, double lon, double lat, cand *c)
{
    const struct geod_geodesicline *gl = &l->seg[i];
    double len = gl->s13, s = s0;
    double xlat = 0, xlon = 0, alpha = 0, dist = 0, beta = 0;
    for (int it = 0; it < 60; it++) {
        geod_position(gl, s, &xlat, &xlon, &alpha);
        double a2;
        geod_inverse(&l->g, xlat, xlon, lat, lon, &dist, &beta, &a2);
        if (dist == 0)
            break;
        double sg = dist / RMEAN;
        double ds = RMEAN * atan2(cos((beta - alpha) * DEG) * sin(sg), cos(sg));
        double ns = s + ds;
        if (ns < 0)
            ns = 0;
        if (ns > len)
            ns = len;
        if (fabs(ns - s) < 1e-6)
            break;
        s = ns;
    }
    size_t v = SIZE_MAX;
    if (s <= 1e-9 * len)
        v = i;
    else if (s >= len * (1 - 1e-12))
        v = i + 1;
    double a = alpha;
    if (v != SIZE_MAX) {
        xlon = l->lon[v];
        xlat = l->lat[v];
        double a2;
        geod_inverse(&l->g, xlat, xlon, lat, lon, &dist, &beta, &a2);
        if (l->is_end[v])
            a = isnan(l->az_out[v]) ? l->az_in[v] : l->az_out[v];
        else
            a = bisector(l->az_in[v], l->az_out[v]);
    }
    c->dist = dist;
    c->side = side_of(a, beta);
    c->amb = dist * fabs(sin((beta - a) * DEG));
    if (v == SIZE_MAX || dist < c->amb)
        c->amb = dist;
    c->lon = xlon;
    c->lat = xlat;
}

static double chord2(const double *a, const double *b)
{
    double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    return dx * dx + dy * dy + dz * dz;
}

/* Metres on the mean sphere of a chord (unit sphere) and back. */
static double chord_m(double c2)
{
    double c = sqrt(c2);
    return 2.0 * RMEAN * asin(c > 2.0 ? 1.0 : c / 2.0);
}

void oracle_nearest(const oracle_line *l, double lon, double lat, oracle_near *out)
{
    double p[3];
    unit(lon, lat, p);
    double best2 = INFINITY;
    for (size_t j = 0; j < l->nn; j++) {
        double c2 = chord2(p, l->nxyz + 3 * j);
        if (c2 < best2)
            best2 = c2;
    }
    double best = chord_m(best2);
    /* Candidates: every segment with a node near enough that the true foot may be on it (the
     * sphere is within 0.7 % of the ellipsoid; a foot is within half a node step of a node). */
    cand bestc = {INFINITY, 0, 0, 0, 0},
         side_best[2] = {{INFINITY, 0, 0, 0, 0}, {INFINITY, 0, 0, 0, 0}};
    size_t j = 0;
    while (j < l->nn) {
        size_t i = l->nseg[j], jbest = j;
        double amin2 = INFINITY;
        for (; j < l->nn && l->nseg[j] == i; j++) {
            double c2 = chord2(p, l->nxyz + 3 * j);
            if (c2 < amin2) {
                amin2 = c2;
                jbest = j;
            }
        }
        double thr = 1.02 * best + 0.6 * l->nh[jbest] + 1.0;
        if (thr < PI * RMEAN) {
            double cthr = 2.0 * sin(thr / (2.0 * RMEAN));
            if (amin2 > cthr * cthr)
                continue;
        }
        cand c;
        refine(l, i, l->ns[jbest], lon, lat, &c);
        if (c.dist < bestc.dist)
            bestc = c;
        int si = c.side > 0 ? 0 : 1;
        if (c.dist < side_best[si].dist)
            side_best[si] = c;
    }
    out->dist = bestc.dist;
    out->side = bestc.side;
    out->lon = bestc.lon;
    out->lat = bestc.lat;
    out->amb = bestc.amb;
    double other = side_best[bestc.side > 0 ? 1 : 0].dist;
    if (isfinite(other) && 0.5 * (other - bestc.dist) < out->amb)
        out->amb = 0.5 * (other - bestc.dist);
}

/* ---- polygons ------------------------------------------------------------------------------- */

int oracle_poly_init(oracle_poly *p, GEOSContextHandle_t h, const GEOSGeometry *g)
{
    memset(p, 0, sizeof *p);
    p->h = h;
    p->g = g;
    p->prep = GEOSPrepare_r(h, g);
    p->boundary = GEOSBoundary_r(h, g);
    p->bprep = p->boundary ? GEOSPrepare_r(h, p->boundary) : NULL;
    if (!p->prep || !p->boundary || !p->bprep)
        return -1;
    double ymin, ymax;
    if (GEOSisEmpty_r(h, g)) {
        p->xmin = 1;
        p->xmax = -1;
        return 0;
    }
    GEOSGeom_getXMin_r(h, g, &p->xmin);
    GEOSGeom_getXMax_r(h, g, &p->xmax);
    (void)ymin;
    (void)ymax;
    return 0;
}

void oracle_poly_free(oracle_poly *p)
{
    if (p->prep)
        GEOSPreparedGeom_destroy_r(p->h, p->prep);
    if (p->bprep)
        GEOSPreparedGeom_destroy_r(p->h, p->bprep);
    if (p->boundary)
        GEOSGeom_destroy_r(p->h, p->boundary);
    memset(p, 0, sizeof *p);
}

static int in_frame(const oracle_poly *p, double x, double y)
{
    if (x < p->xmin || x > p->xmax)
        return 0;
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(p->h, x, y);
    char r = GEOSPreparedIntersects_r(p->h, p->prep, pt);
    GEOSGeom_destroy_r(p->h, pt);
    return r == 1;
}

int oracle_poly_in(const oracle_poly *p, double lon, double lat)
{
    return in_frame(p, lon, lat) || in_frame(p, lon - 360.0, lat) || in_frame(p, lon + 360.0, lat);
}

double oracle_poly_edge_m(const oracle_poly *p, double lon, double lat)
{
    double best = INFINITY;
    for (int k = -1; k <= 1; k++) {
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(p->h, lon + 360.0 * k, lat);
        double dd = INFINITY;
        if (GEOSPreparedDistance_r(p->h, p->bprep, pt, &dd) == 1 && dd < best)
            best = dd;
        GEOSGeom_destroy_r(p->h, pt);
    }
    /* the smallest metres per degree near the point: along the parallel, at its highest
     * latitude within that distance */
    double la = fabs(lat) + best;
    double c = la >= 90.0 ? 0.0 : cos(la * DEG);
    double m = 111320.0 * (c < 1e-9 ? 1e-9 : c);
    return best * m;
}

/* ---- areas and sampling --------------------------------------------------------------------- */

static double e2(void)
{
    return WGS84_F * (2.0 - WGS84_F);
}

/* q(φ) of the authalic latitude: the area from the equator to φ per radian of longitude is
 * a²/2 · q(φ). */
static double qfun(double phi)
{
    double e = sqrt(e2()), s = sin(phi);
    return (1 - e2()) * (s / (1 - e2() * s * s) - 1.0 / (2.0 * e) * log((1 - e * s) / (1 + e * s)));
}

static double lat_of_q(double q);

double oracle_box_area(double lon0, double lon1, double lat0, double lat1)
{
    return 0.5 * WGS84_A * WGS84_A * (lon1 - lon0) * DEG * (qfun(lat1 * DEG) - qfun(lat0 * DEG));
}

void oracle_box_point(double lon0, double lon1, double lat0, double lat1, double u, double v,
                      double *lon, double *lat)
{
    double q0 = qfun(lat0 * DEG), q1 = qfun(lat1 * DEG);
    *lat = lat_of_q(q0 + v * (q1 - q0));
    if (*lat < lat0)
        *lat = lat0;
    if (*lat > lat1)
        *lat = lat1;
    *lon = lon0 + u * (lon1 - lon0);
}

static double ring_area(GEOSContextHandle_t h, const GEOSGeometry *ring, int lonlat_edges,
                        double step_deg)
{
    struct geod_geodesic g;
    geod_init(&g, WGS84_A, WGS84_F);
    struct geod_polygon poly;
    geod_polygon_init(&poly, 0);
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(h, cs, &n);
    double px = 0, py = 0;
    for (unsigned i = 0; i + 1 < n || (i == 0 && n == 1); i++) {
        double x, y;
        GEOSCoordSeq_getXY_r(h, cs, i, &x, &y);
        if (i > 0 && lonlat_edges) {
            double dx = x - px, dy = y - py;
            int m = (int)ceil(fmax(fabs(dx), fabs(dy)) / step_deg);
            for (int j = 1; j < m; j++)
                geod_polygon_addpoint(&g, &poly, py + dy * j / m, px + dx * j / m);
        }
        geod_polygon_addpoint(&g, &poly, y, x);
        px = x;
        py = y;
    }
    if (lonlat_edges && n > 1) { /* the closing edge */
        double x, y;
        GEOSCoordSeq_getXY_r(h, cs, 0, &x, &y);
        double dx = x - px, dy = y - py;
        int m = (int)ceil(fmax(fabs(dx), fabs(dy)) / step_deg);
        for (int j = 1; j < m; j++)
            geod_polygon_addpoint(&g, &poly, py + dy * j / m, px + dx * j / m);
    }
    double area = 0, perim = 0;
    geod_polygon_compute(&g, &poly, 0, 1, &area, &perim);
    return fabs(area);
}

/* The step (degrees) at which a zone's straight lon/lat edges are cut before its area is read
 * with geodesic edges: a piece of length L strays L²·tan|φ|/(8R) from its chord, and the area
 * between the two readings is about 2/3 of that times the edge's length. It must stay well
 * under the pass threshold T = max(1 m² per km, 1e-4 of the zone ~ 2·d per metre of line): a
 * sag of max(0.1 mm, 1.5e-5·d) takes a tenth of it. (A fixed 0.01° step, ~1 km, strays 2 cm at
 * 48°: 13 m² per km, more than a 1 mm zone's whole area.) */
static double chord_step_deg(GEOSContextHandle_t h, double d, const GEOSGeometry *zone)
{
    double ymin = 0, ymax = 0;
    if (GEOSisEmpty_r(h, zone) != 0 || !GEOSGeom_getYMin_r(h, zone, &ymin) ||
        !GEOSGeom_getYMax_r(h, zone, &ymax))
        return 0.01;
    double t = tan(fmin(89.99, fmax(fabs(ymin), fabs(ymax))) * PI / 180.0);
    double sag = fmax(1e-4, 1.5e-5 * d), len = t > 0 ? sqrt(8.0 * sag * 6371008.8 / t) : 1e5;
    return fmin(0.01, fmax(1e-5, len / 111320.0));
}

double oracle_area(GEOSContextHandle_t h, const GEOSGeometry *g, int lonlat_edges, double step_deg)
{
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_POLYGON) {
        if (GEOSisEmpty_r(h, g))
            return 0;
        double a = ring_area(h, GEOSGetExteriorRing_r(h, g), lonlat_edges, step_deg);
        for (int r = 0; r < GEOSGetNumInteriorRings_r(h, g); r++)
            a -= ring_area(h, GEOSGetInteriorRingN_r(h, g, r), lonlat_edges, step_deg);
        return a;
    }
    double a = 0;
    if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION)
        for (int i = 0; i < GEOSGetNumGeometries_r(h, g); i++)
            a += oracle_area(h, GEOSGetGeometryN_r(h, g, i), lonlat_edges, step_deg);
    return a;
}

int oracle_region_lonlat_edges(void)
{
    const char *e = getenv("BZ_ORACLE_EDGES");
    return !(e && strcmp(e, "geodesic") == 0);
}

/* ---- the band's cells ----------------------------------------------------------------------- */

/* Cells are caps on the authalic sphere: (lon, authalic latitude) maps the ellipsoid onto that
 * sphere preserving area, so a point uniform in a cap there is uniform in area on the ellipsoid,
 * and a cap's area is a closed form. Caps have no trouble with poles or the antimeridian. */
typedef struct cell {
    double c[3]; /* centre, unit vector on the authalic sphere */
    double cosr; /* cos of the angular radius */
    double area;
    int n;
} cell;

static double authalic_r2(void)
{
    return 0.5 * WGS84_A * WGS84_A * qfun(PI / 2);
}

/* lon/lat (geodetic) → unit vector on the authalic sphere, and back. */
static void to_authalic(double lon, double lat, double *v)
{
    double sx = qfun(lat * DEG) / qfun(PI / 2);
    if (sx > 1)
        sx = 1;
    if (sx < -1)
        sx = -1;
    double cx = sqrt(1 - sx * sx);
    v[0] = cx * cos(lon * DEG);
    v[1] = cx * sin(lon * DEG);
    v[2] = sx;
}

static double lat_of_q(double q)
{
    double qp = qfun(PI / 2), phi = asin(fmax(-1.0, fmin(1.0, q / qp)));
    for (int it = 0; it < 30; it++) {
        double s = sin(phi), c = cos(phi);
        double dq = 2 * (1 - e2()) * c / ((1 - e2() * s * s) * (1 - e2() * s * s));
        if (dq < 1e-15)
            break;
        double dphi = (qfun(phi) - q) / dq;
        phi -= dphi;
        if (phi > PI / 2)
            phi = PI / 2;
        if (phi < -PI / 2)
            phi = -PI / 2;
        if (fabs(dphi) < 1e-15)
            break;
    }
    return phi / DEG;
}

static void from_authalic(const double *v, double *lon, double *lat)
{
    *lon = atan2(v[1], v[0]) / DEG;
    *lat = lat_of_q(fmax(-1.0, fmin(1.0, v[2])) * qfun(PI / 2));
}

static int cell_has(const cell *c, const double *v)
{
    return c->c[0] * v[0] + c->c[1] * v[1] + c->c[2] * v[2] >= c->cosr;
}

/* A point uniform in the cap: u, v uniform in [0, 1). */
static void cell_point(const cell *c, double u, double w, double *v)
{
    double z = c->cosr + (1 - c->cosr) * u, rr = sqrt(fmax(0.0, 1 - z * z)), t = 2 * PI * w;
    /* an orthonormal frame around the centre */
    double e1[3], e2v[3];
    const double *n = c->c;
    double ax[3] = {fabs(n[0]) < 0.9 ? 1.0 : 0.0, fabs(n[0]) < 0.9 ? 0.0 : 1.0, 0.0};
    e1[0] = ax[1] * n[2] - ax[2] * n[1];
    e1[1] = ax[2] * n[0] - ax[0] * n[2];
    e1[2] = ax[0] * n[1] - ax[1] * n[0];
    double m = sqrt(e1[0] * e1[0] + e1[1] * e1[1] + e1[2] * e1[2]);
    for (int i = 0; i < 3; i++)
        e1[i] /= m;
    e2v[0] = n[1] * e1[2] - n[2] * e1[1];
    e2v[1] = n[2] * e1[0] - n[0] * e1[2];
    e2v[2] = n[0] * e1[1] - n[1] * e1[0];
    for (int i = 0; i < 3; i++)
        v[i] = z * n[i] + rr * (cos(t) * e1[i] + sin(t) * e2v[i]);
}

/* Caps that together surely contain every point within reach of the line: each segment is cut
 * into chunks, and each chunk gets a cap around its middle of radius half the chunk plus the
 * reach, grown by 2 % (the authalic sphere's distances are within 0.7 % of the ellipsoid's). */
static cell *band_cells(const oracle_line *l, double reach, size_t *ncells)
{
    double chunk = l->length / 600.0;
    if (chunk < reach)
        chunk = reach;
    size_t cap = 16, n = 0;
    cell *cs = malloc(cap * sizeof *cs);
    if (!cs)
        return NULL;
    double rq = sqrt(authalic_r2());
    /* nodes of one part are consecutive; a chunk is a run of nodes of one part whose length
     * along the line is at most `chunk` */
    size_t j = 0;
    while (j < l->nn) {
        size_t a = j;
        double run = 0, hmax = l->nh[j];
        size_t part_of_a = 0;
        for (size_t k = 0; k < l->nparts; k++)
            if (l->nseg[a] >= l->pstart[k] && l->nseg[a] < l->pstart[k] + l->pcount[k])
                part_of_a = k;
        size_t pend = l->pstart[part_of_a] + l->pcount[part_of_a];
        j++;
        while (j < l->nn && l->nseg[j] < pend) {
            double step = l->nseg[j] == l->nseg[j - 1] ? l->ns[j] - l->ns[j - 1] : 0.0;
            if (run + step > chunk && j - a > 1)
                break;
            run += step;
            hmax = fmax(hmax, l->nh[j]);
            j++;
        }
        /* nodes a .. j-1; the centre is the middle node */
        size_t mid = a + (j - a) / 2;
        double radius = 0;
        for (size_t k = a; k < j; k++) {
            double s12;
            geod_inverse(&l->g, l->nll[2 * mid + 1], l->nll[2 * mid], l->nll[2 * k + 1],
                         l->nll[2 * k], &s12, NULL, NULL);
            radius = fmax(radius, s12);
        }
        cell ce;
        to_authalic(l->nll[2 * mid], l->nll[2 * mid + 1], ce.c);
        double rad = (radius + 0.5 * hmax + reach) * 1.02 / rq + 1e-9;
        if (rad > PI)
            rad = PI;
        ce.cosr = cos(rad);
        ce.area = 2 * PI * authalic_r2() * (1 - ce.cosr);
        ce.n = 0;
        if (n == cap) {
            cap *= 2;
            cell *nc = realloc(cs, cap * sizeof *cs);
            if (!nc) {
                free(cs);
                return NULL;
            }
            cs = nc;
        }
        cs[n++] = ce;
    }
    *ncells = n;
    return cs;
}

/* ---- measuring ------------------------------------------------------------------------------ */

typedef struct acc {
    double est, var; /* Σ A_i hits_i / n_i, its variance */
} acc;

static void wd_walk(GEOSContextHandle_t h, const GEOSGeometry *g, const oracle_line *l, double d,
                    const oracle_poly *region, const oracle_poly *terr, uint64_t *rng,
                    oracle_side_figures *f)
{
    int nc = GEOSGetNumCoordinates_r(h, g);
    if (nc <= 0)
        return;
    /* at most ~1500 points: every stride-th vertex and the middle of its edge */
    int stride = nc / 750 + 1, start = (int)(oracle_random(rng) * stride);
    int ng = GEOSGetNumGeometries_r(h, g);
    int idx = 0;
    for (int p = 0; p < ng; p++) {
        const GEOSGeometry *ls = GEOSGetGeometryN_r(h, g, p);
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ls);
        unsigned m = 0;
        if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &m))
            continue;
        double px = 0, py = 0;
        for (unsigned i = 0; i < m; i++, idx++) {
            double x, y;
            GEOSCoordSeq_getXY_r(h, cs, i, &x, &y);
            if (i > 0) {
                double s12;
                geod_inverse(&l->g, py, px, y, x, &s12, NULL, NULL);
                f->wd_length += s12;
            }
            if ((idx - start) % stride == 0) {
                for (int w = 0; w < 2; w++) {
                    if (w == 1 && i == 0)
                        break;
                    double qx = w ? 0.5 * (x + px) : x, qy = w ? 0.5 * (y + py) : y;
                    /* withdrawal lines end on the region's edge; those ends are the region's */
                    if (region && oracle_poly_edge_m(region, qx, qy) < 0.05)
                        continue;
                    if (terr && oracle_poly_edge_m(terr, qx, qy) < 0.05 && d > 0)
                        continue;
                    oracle_near nr;
                    oracle_nearest(l, qx, qy, &nr);
                    double e = fabs(nr.dist - d);
                    f->wd_checked++;
                    if (e > f->wd_max_err) {
                        f->wd_max_err = e;
                        f->wd_lon = qx;
                        f->wd_lat = qy;
                    }
                }
            }
            px = x;
            py = y;
        }
    }
}

/* Is the point inside side s's zone by the definition, robustly? 1 yes, 0 no, -1 too close to
 * call (within the bound of d_s, of the line, of the dividing ray, of the region's edge). */
typedef struct defpt {
    oracle_near nr;
    int in_region, side; /* side 0 = A, 1 = B */
    double side_amb;     /* metres from the side boundary */
} defpt;

static void def_point(const oracle_input *in, const oracle_poly *region, const oracle_poly *terr,
                      double lon, double lat, defpt *p)
{
    oracle_nearest(in->line, lon, lat, &p->nr);
    p->in_region = region ? oracle_poly_in(region, lon, lat) : 1;
    if (terr) {
        p->side = oracle_poly_in(terr, lon, lat) ? 0 : 1;
        p->side_amb = -1; /* computed lazily: only where the result disagrees */
    } else {
        p->side = p->nr.side > 0 ? 0 : 1;
        p->side_amb = p->nr.amb;
    }
}

static double bound_of(double d)
{
    return fmax(1.0, 1e-4 * d);
}

int oracle_measure(GEOSContextHandle_t h, const oracle_input *in, const oracle_result_side res[2],
                   oracle_figures *out)
{
    memset(out, 0, sizeof *out);
    const oracle_line *l = in->line;
    out->line_length = l->length;
    oracle_poly region, terr, zone[2];
    int have_region = in->region != NULL, have_terr = in->territory != NULL;
    int rc = -1;
    memset(&region, 0, sizeof region);
    memset(&terr, 0, sizeof terr);
    memset(zone, 0, sizeof zone);
    if (have_region && oracle_poly_init(&region, h, in->region))
        goto done;
    if (have_terr && oracle_poly_init(&terr, h, in->territory))
        goto done;
    for (int s = 0; s < 2; s++)
        if (oracle_poly_init(&zone[s], h, res[s].zone))
            goto done;
    uint64_t rng = in->seed ^ 0x5DEECE66Dull;
    int lonlat = oracle_region_lonlat_edges();
    for (int s = 0; s < 2; s++) {
        oracle_side_figures *f = &out->s[s];
        f->lib_area = res[s].area;
        f->wd_bound = bound_of(in->d[s]);
        f->wrong_lon = f->wrong_lat = f->missing_lon = f->missing_lat = f->far_lon = f->far_lat =
            f->wd_lon = f->wd_lat = NAN;
    }
    /* the band: everything within the larger distance, plus a margin */
    double dmax = fmax(in->d[0], in->d[1]);
    double reach = dmax * 1.05 + 20.0;
    acc a_def[2] = {{0, 0}, {0, 0}}, a_wrong[2] = {{0, 0}, {0, 0}}, a_miss[2] = {{0, 0}, {0, 0}},
        a_far[2] = {{0, 0}, {0, 0}};
    double per_sample = 0;
    if (dmax >= 10.0) { /* below, every sample would sit within the bound of the edge */
        size_t ncells = 0;
        cell *cells = band_cells(l, reach, &ncells);
        if (!cells)
            goto done;
        double total = 0;
        for (size_t c = 0; c < ncells; c++)
            total += cells[c].area;
        out->band_area = total;
        for (size_t c = 0; c < ncells; c++) {
            cell *ce = &cells[c];
            ce->n = (int)ceil(in->samples * ce->area / total);
            if (ce->n < 4)
                ce->n = 4;
            double ps = ce->area / ce->n;
            if (ps > per_sample)
                per_sample = ps;
            int hits_def[2] = {0, 0}, hits_wrong[2] = {0, 0}, hits_miss[2] = {0, 0},
                hits_far[2] = {0, 0};
            for (int k = 0; k < ce->n; k++) {
                double lon, lat, v3[3];
                /* stratified inside the cell too: k-th slice of the first coordinate */
                double u = ((double)k + oracle_random(&rng)) / ce->n, v = oracle_random(&rng);
                cell_point(ce, u, v, v3);
                int owner = 1;
                for (size_t o = 0; o < c && owner; o++)
                    if (cell_has(&cells[o], v3))
                        owner = 0;
                if (!owner)
                    continue;
                from_authalic(v3, &lon, &lat);
                out->samples_used++;
                defpt p;
                def_point(in, have_region ? &region : NULL, have_terr ? &terr : NULL, lon, lat, &p);
                for (int s = 0; s < 2; s++) {
                    double d = in->d[s], bnd = bound_of(d);
                    int def = p.in_region && p.side == s && p.nr.dist <= d;
                    hits_def[s] += def;
                    int lib = oracle_poly_in(&zone[s], lon, lat);
                    if (lib == def)
                        continue;
                    /* disagreement: is it robust? */
                    if (fabs(p.nr.dist - d) < bnd || p.nr.dist < 0.05)
                        continue;
                    if (have_region && oracle_poly_edge_m(&region, lon, lat) < 0.1)
                        continue;
                    double samb = p.side_amb;
                    if (have_terr)
                        samb = oracle_poly_edge_m(&terr, lon, lat);
                    int side_sure = samb >= fmax(0.05, bnd);
                    if (lib && !def) {
                        if (!p.in_region || p.nr.dist > d) {
                            hits_far[s]++;
                            out->s[s].far_lon = lon;
                            out->s[s].far_lat = lat;
                        } else if (side_sure) {
                            hits_wrong[s]++;
                            out->s[s].wrong_lon = lon;
                            out->s[s].wrong_lat = lat;
                        }
                    } else if (def && !lib && side_sure) {
                        hits_miss[s]++;
                        out->s[s].missing_lon = lon;
                        out->s[s].missing_lat = lat;
                    }
                }
            }
            for (int s = 0; s < 2; s++) {
                double A = ce->area, n = ce->n;
                acc *as[4] = {&a_def[s], &a_wrong[s], &a_miss[s], &a_far[s]};
                int hs[4] = {hits_def[s], hits_wrong[s], hits_miss[s], hits_far[s]};
                for (int q = 0; q < 4; q++) {
                    double pr = hs[q] / n;
                    as[q]->est += A * pr;
                    as[q]->var += A * A * pr * (1 - pr) / n;
                }
            }
        }
        free(cells);
    }
    for (int s = 0; s < 2; s++) {
        oracle_side_figures *f = &out->s[s];
        f->def_area = a_def[s].est;
        f->def_sigma = sqrt(a_def[s].var);
        f->wrong_side = a_wrong[s].est;
        f->missing = a_miss[s].est;
        f->extra_far = a_far[s].est;
        f->per_sample_m2 = per_sample;
        double T = fmax(l->length / 1000.0, 1e-4 * fmax(f->def_area, f->lib_area));
        f->threshold = T;
        /* σ of an estimate whose true area is T: hits ~ Poisson(T / a) for a sample area a */
        f->sigma_t = sqrt(T * per_sample);
        double lim = T + in->k * f->sigma_t;
        f->ok_wrong = f->wrong_side <= lim;
        f->ok_missing = f->missing <= lim;
        f->ok_far = f->extra_far <= lim;
        /* withdrawal line */
        wd_walk(h, res[s].withdrawal, l, in->d[s], have_region ? &region : NULL,
                have_terr ? &terr : NULL, &rng, f);
        f->ok_wd = f->wd_max_err <= f->wd_bound;
        /* holes */
        const GEOSGeometry *z = res[s].zone;
        int np = GEOSGetNumGeometries_r(h, z);
        int checked = 0;
        for (int i = 0; i < np; i++) {
            const GEOSGeometry *poly = GEOSGetGeometryN_r(h, z, i);
            if (GEOSGeomTypeId_r(h, poly) != GEOS_POLYGON)
                continue;
            int nh = GEOSGetNumInteriorRings_r(h, poly);
            f->holes += nh;
            for (int r = 0; r < nh && checked < 300; r++, checked++) {
                GEOSGeometry *ring = GEOSGeom_clone_r(h, GEOSGetInteriorRingN_r(h, poly, r));
                GEOSGeometry *hp = ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
                if (!hp)
                    goto done;
                GEOSGeometry *pt = GEOSPointOnSurface_r(h, hp);
                double x = NAN, y = NAN;
                if (pt) {
                    GEOSGeomGetX_r(h, pt, &x);
                    GEOSGeomGetY_r(h, pt, &y);
                    GEOSGeom_destroy_r(h, pt);
                }
                int spurious = 0;
                if (isfinite(x) && !oracle_poly_in(&zone[s], x, y)) {
                    defpt p;
                    def_point(in, have_region ? &region : NULL, have_terr ? &terr : NULL, x, y, &p);
                    double bnd = bound_of(in->d[s]);
                    double samb = have_terr ? oracle_poly_edge_m(&terr, x, y) : p.side_amb;
                    if (p.in_region && p.side == s && p.nr.dist < in->d[s] - bnd && samb >= 0.05 &&
                        !(have_region && oracle_poly_edge_m(&region, x, y) < 0.1))
                        spurious = 1;
                }
                if (spurious) {
                    f->spurious_holes++;
                    double ha = oracle_area(h, hp, 0, 1);
                    if (ha > f->spurious_hole_m2)
                        f->spurious_hole_m2 = ha;
                }
                GEOSGeom_destroy_r(h, hp);
            }
        }
        f->ok_holes = f->spurious_holes == 0;
        /* the reported area against the zone's own polygons read as the region's edges are */
        f->own_area = oracle_area(h, res[s].zone, lonlat, chord_step_deg(h, in->d[s], res[s].zone));
        f->ok_area = fabs(f->lib_area - f->own_area) <= T + 1e-7 * f->own_area;
        /* tiny distances: all of the zone lies within the bound of its edge, so sampling sees
         * nothing; without region or territory the zone must still be about d·L + πd²/2 */
        f->ok_small_d = 1;
        if (dmax < 10.0 && !have_region && !have_terr && in->d[s] > 0) {
            double d = in->d[s];
            f->small_d_expected = d * l->length + PI * d * d / 2;
            f->ok_small_d =
                fabs(f->lib_area - f->small_d_expected) <= 0.05 * f->small_d_expected + 1e-6;
        }
    }
    /* no zone larger than its ground */
    out->zones_area = res[0].area + res[1].area;
    if (have_region) {
        out->ground_area = oracle_area(h, in->region, lonlat, 0.01);
        double T = fmax(l->length / 1000.0, 1e-4 * out->ground_area);
        out->ok_ground = out->zones_area <= out->ground_area * (1 + 1e-7) + T;
    } else {
        out->ok_ground = 1;
    }
    rc = 0;
done:
    if (have_region)
        oracle_poly_free(&region);
    if (have_terr)
        oracle_poly_free(&terr);
    for (int s = 0; s < 2; s++)
        if (zone[s].prep)
            oracle_poly_free(&zone[s]);
    return rc;
}

int oracle_pass(const oracle_figures *f)
{
    for (int s = 0; s < 2; s++) {
        const oracle_side_figures *x = &f->s[s];
        if (!x->ok_wrong || !x->ok_missing || !x->ok_far || !x->ok_holes || !x->ok_wd ||
            !x->ok_area || !x->ok_small_d)
            return 0;
    }
    return f->ok_ground;
}

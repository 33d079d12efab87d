/*
 * zone_truth.h — the independent yardstick of the zone tests: a brute-force geodesic
 * point-to-line distance written here with geod_inverse / geod_position only (not the library's
 * bz_line_distance or its verification), and a sampler that walks withdrawal lines densely.
 * Header-only, included by test_zones.c, test_data_zones.c and test_data_dmz.c.
 */
#ifndef ZONE_TRUTH_H
#define ZONE_TRUTH_H

#include <bufferzone.h>

#include <geodesic.h>
#include <geos_c.h>
#include <math.h>
#include <stdlib.h>

#define TRUTH_DEG (3.14159265358979323846 / 180.0)
#define TRUTH_R 6371008.8

/* A polyline as unit vectors (for a fast approximate prefilter) and lon/lat pairs. */
typedef struct truth_line {
    struct geod_geodesic g;
    size_t n;    /* vertices */
    double *ll;  /* lon, lat */
    double *xyz; /* unit vectors */
    size_t *brk; /* brk[i] = 1 when vertex i starts a new part (no segment i-1 → i) */
} truth_line;

static inline void truth_unit(double lon, double lat, double *v)
{
    v[0] = cos(lat * TRUTH_DEG) * cos(lon * TRUTH_DEG);
    v[1] = cos(lat * TRUTH_DEG) * sin(lon * TRUTH_DEG);
    v[2] = sin(lat * TRUTH_DEG);
}

/* Approximate distance (m) on a sphere: only used to choose candidate segments. */
static inline double truth_approx(const double *a, const double *b)
{
    double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    double chord = sqrt(dx * dx + dy * dy + dz * dz);
    return 2.0 * TRUTH_R * asin(chord > 2.0 ? 1.0 : chord / 2.0);
}

/* Build from every part of a bz_line. Returns 0 on success. */
static inline int truth_line_init(truth_line *t, const bz_line *line)
{
    geod_init(&t->g, 6378137.0, 1.0 / 298.257223563);
    t->n = bz_line_num_points(line);
    t->ll = malloc(t->n * 2 * sizeof *t->ll);
    t->xyz = malloc(t->n * 3 * sizeof *t->xyz);
    t->brk = calloc(t->n, sizeof *t->brk);
    if (!t->ll || !t->xyz || !t->brk)
        return -1;
    size_t k = 0;
    for (size_t p = 0; p < bz_line_num_parts(line); p++) {
        size_t np = 0;
        const double *xy = bz_line_part_coords(line, p, &np);
        for (size_t i = 0; i < np; i++, k++) {
            t->ll[2 * k] = xy[2 * i];
            t->ll[2 * k + 1] = xy[2 * i + 1];
            truth_unit(xy[2 * i], xy[2 * i + 1], t->xyz + 3 * k);
            t->brk[k] = i == 0;
        }
    }
    return 0;
}

/* Build from the LineStrings of a GEOS geometry (a withdrawal line, a published edge, ...).
 * Returns 0 on success. */
static inline int truth_line_from_geos(truth_line *t, GEOSContextHandle_t h, const GEOSGeometry *g)
{
    geod_init(&t->g, 6378137.0, 1.0 / 298.257223563);
    int n = GEOSGetNumCoordinates_r(h, g);
    if (n <= 0)
        return -1;
    t->n = 0;
    t->ll = malloc((size_t)n * 2 * sizeof *t->ll);
    t->xyz = malloc((size_t)n * 3 * sizeof *t->xyz);
    t->brk = calloc((size_t)n, sizeof *t->brk);
    if (!t->ll || !t->xyz || !t->brk)
        return -1;
    int parts = GEOSGeomTypeId_r(h, g) == GEOS_LINESTRING ? 1 : GEOSGetNumGeometries_r(h, g);
    for (int p = 0; p < parts; p++) {
        const GEOSGeometry *ls =
            GEOSGeomTypeId_r(h, g) == GEOS_LINESTRING ? g : GEOSGetGeometryN_r(h, g, p);
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ls);
        unsigned int m = 0;
        if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &m))
            return -1;
        for (unsigned int i = 0; i < m && t->n < (size_t)n; i++, t->n++) {
            double x, y;
            GEOSCoordSeq_getXY_r(h, cs, i, &x, &y);
            t->ll[2 * t->n] = x;
            t->ll[2 * t->n + 1] = y;
            truth_unit(x, y, t->xyz + 3 * t->n);
            t->brk[t->n] = i == 0;
        }
    }
    return 0;
}

static inline void truth_line_free(truth_line *t)
{
    free(t->ll);
    free(t->xyz);
    free(t->brk);
}

static inline double truth_inverse(const truth_line *t, double lon1, double lat1, double lon2,
                                   double lat2)
{
    double s12;
    geod_inverse(&t->g, lat1, lon1, lat2, lon2, &s12, NULL, NULL);
    return s12;
}

/* Exact distance from (lon, lat) to the geodesic segment i → i+1: golden-section search of
 * geod_inverse along the segment (the distance is unimodal along a short geodesic). */
static inline double truth_segment(const truth_line *t, size_t i, double lon, double lat)
{
    const double *a = t->ll + 2 * i, *b = a + 2;
    struct geod_geodesicline l;
    geod_inverseline(&l, &t->g, a[1], a[0], b[1], b[0],
                     GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN);
    double len = l.s13;
    double lo = 0.0, hi = len, gr = 0.5 * (sqrt(5.0) - 1.0);
    double x1 = hi - gr * (hi - lo), x2 = lo + gr * (hi - lo), f1, f2, la, lo_;
    geod_position(&l, x1, &la, &lo_, NULL);
    f1 = truth_inverse(t, lon, lat, lo_, la);
    geod_position(&l, x2, &la, &lo_, NULL);
    f2 = truth_inverse(t, lon, lat, lo_, la);
    for (int it = 0; it < 60 && hi - lo > 1e-4; it++) {
        if (f1 < f2) {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - gr * (hi - lo);
            geod_position(&l, x1, &la, &lo_, NULL);
            f1 = truth_inverse(t, lon, lat, lo_, la);
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + gr * (hi - lo);
            geod_position(&l, x2, &la, &lo_, NULL);
            f2 = truth_inverse(t, lon, lat, lo_, la);
        }
    }
    double best = f1 < f2 ? f1 : f2;
    double da = truth_inverse(t, lon, lat, a[0], a[1]);
    double db = truth_inverse(t, lon, lat, b[0], b[1]);
    if (da < best)
        best = da;
    if (db < best)
        best = db;
    return best;
}

/* Exact geodesic distance from (lon, lat) to the line. */
static inline double truth_distance(const truth_line *t, double lon, double lat)
{
    double p[3];
    truth_unit(lon, lat, p);
    /* Prefilter on the sphere: the smallest upper bound over segments, then every segment whose
     * lower bound (a + b − s) / 2 is within a generous margin of it gets the exact treatment. */
    double *d = malloc(t->n * sizeof *d);
    if (!d)
        return NAN;
    double upper = INFINITY;
    for (size_t i = 0; i < t->n; i++) {
        d[i] = truth_approx(p, t->xyz + 3 * i);
        if (d[i] < upper)
            upper = d[i];
    }
    double margin = 0.01 * upper + 50.0;
    double best = INFINITY;
    for (size_t i = 0; i + 1 < t->n; i++) {
        if (t->brk[i + 1])
            continue;
        double s = truth_approx(t->xyz + 3 * i, t->xyz + 3 * i + 3);
        if (0.5 * (d[i] + d[i + 1] - s) > upper + margin)
            continue;
        double e = truth_segment(t, i, lon, lat);
        if (e < best)
            best = e;
    }
    free(d);
    return best;
}

/* Walk every LineString of g: each vertex, each edge's midpoint, and points at most step_m
 * apart; call visit(lon, lat, arg) for each. */
typedef void (*truth_visit)(double lon, double lat, void *arg);

static inline void truth_walk(GEOSContextHandle_t h, const GEOSGeometry *g, double step_m,
                              truth_visit visit, void *arg)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_MULTILINESTRING || type == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0; i < GEOSGetNumGeometries_r(h, g); i++)
            truth_walk(h, GEOSGetGeometryN_r(h, g, i), step_m, visit, arg);
        return;
    }
    if (type != GEOS_LINESTRING)
        return;
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, g);
    unsigned int m = 0;
    GEOSCoordSeq_getSize_r(h, cs, &m);
    double x0 = 0, y0 = 0;
    for (unsigned int k = 0; k < m; k++) {
        double x, y;
        GEOSCoordSeq_getXY_r(h, cs, k, &x, &y);
        if (k > 0) {
            double dx = (x - x0) * TRUTH_DEG * cos(0.5 * (y + y0) * TRUTH_DEG);
            double dy = (y - y0) * TRUTH_DEG;
            double len = TRUTH_R * sqrt(dx * dx + dy * dy);
            size_t steps = (size_t)ceil(len / step_m);
            if (steps < 2)
                steps = 2; /* at least the midpoint: chords sag most there */
            for (size_t j = 1; j < steps; j++) {
                double f = (double)j / (double)steps;
                visit(x0 + f * (x - x0), y0 + f * (y - y0), arg);
            }
        }
        visit(x, y, arg);
        x0 = x;
        y0 = y;
    }
}

/* The worst deviation from the distance d seen while walking a line against the truth t: give
 * truth_visit_worst and a truth_worst initialised as {&t, d, 0.0, NAN, NAN, 0} to truth_walk. */
typedef struct truth_worst {
    const truth_line *t;
    double d, worst, worst_lon, worst_lat;
    size_t n; /* points visited */
} truth_worst;

static inline void truth_visit_worst(double lon, double lat, void *arg)
{
    truth_worst *w = arg;
    double e = fabs(truth_distance(w->t, lon, lat) - w->d);
    w->n++;
    if (e > w->worst) {
        w->worst = e;
        w->worst_lon = lon;
        w->worst_lat = lat;
    }
}

#endif

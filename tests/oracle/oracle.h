/*
 * oracle.h — an independent implementation of the zone definition, to measure the library.
 *
 * The definition (issue 10): the zone of side S is the set of points within d_S (geodesic,
 * WGS84) of the contact line whose nearest point on the line has them on S's side, clipped to
 * the region. Every part keeps its own direction (left = A); at a vertex the side is decided by
 * the bisector of the two segments; at an open end by the line's continuation along its final
 * (initial) geodesic direction. In the territory form the side is territory membership
 * (A = inside the territory).
 *
 * Nothing here calls the library's distance, side or buffer code: distances are PROJ's
 * geodesic.h (geod_inverse, geod_inverseline/geod_position), areas geod_polygon and a closed
 * form on the authalic sphere, and point-in-polygon is GEOS (prepared intersects) on the
 * library's result and on the region. The library is only called to compute the result that is
 * measured (by the runner), never by the oracle.
 */
#ifndef BZ_ORACLE_H
#define BZ_ORACLE_H

#include <geodesic.h>
#include <geos_c.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the contact line ------------------------------------------------------------------- */

typedef struct oracle_line oracle_line;

/* A line of `nparts` parts; part k has sizes[k] lon/lat vertices taken in order from ll.
 * Longitudes may be in any frame (geodesics do not care). A part whose last vertex equals its
 * first is a closed ring (no ends). NULL when out of memory or a part has < 2 vertices. */
oracle_line *oracle_line_new(const double *ll, const size_t *sizes, size_t nparts);
void oracle_line_free(oracle_line *l);
/* Geodesic length of the whole line (m). */
double oracle_line_length(const oracle_line *l);

/* The nearest point of the line to a query point, and the side the definition gives. */
typedef struct oracle_near {
    double dist;     /* geodesic distance to the line (m) */
    int side;        /* +1 = A (left), -1 = B (right) */
    double amb;      /* how far (m) the point is from changing side: its distance to the dividing
                        ray (at an end or a vertex) or to the line, and half the difference to the
                        nearest point that would give the other side */
    double lon, lat; /* the nearest point */
} oracle_near;

void oracle_nearest(const oracle_line *l, double lon, double lat, oracle_near *out);

/* ---- point-in-polygon (GEOS, any longitude frame) ------------------------------------------- */

typedef struct oracle_poly {
    GEOSContextHandle_t h;
    const GEOSGeometry *g;
    const GEOSPreparedGeometry *prep;
    GEOSGeometry *boundary;
    const GEOSPreparedGeometry *bprep; /* the boundary, indexed for distances */
    double xmin, xmax;
} oracle_poly;

int oracle_poly_init(oracle_poly *p, GEOSContextHandle_t h, const GEOSGeometry *g);
void oracle_poly_free(oracle_poly *p);
/* 1 if (lon + k·360, lat) is in the polygon for some k in {0, -360, +360}. */
int oracle_poly_in(const oracle_poly *p, double lon, double lat);
/* Approximate distance (m) from the point to the polygon's boundary (GEOS in degrees, scaled
 * by the smallest metres per degree there): only to exclude points on the boundary. */
double oracle_poly_edge_m(const oracle_poly *p, double lon, double lat);

/* ---- areas and uniform sampling on the ellipsoid -------------------------------------------- */

/* Ellipsoidal area (m²) of the lon/lat box [lon0, lon1] × [lat0, lat1] (edges along parallels
 * and meridians): closed form on the authalic sphere. */
double oracle_box_area(double lon0, double lon1, double lat0, double lat1);
/* A point uniform in area in that box, from two uniform numbers u, v in [0, 1). */
void oracle_box_point(double lon0, double lon1, double lat0, double lat1, double u, double v,
                      double *lon, double *lat);
/* Ellipsoidal area (m²) of every polygon of g by geod_polygon, edges read as geodesics; with
 * lonlat_edges, each edge is first cut into ≤ step_deg pieces straight in lon/lat (the
 * RFC 7946 reading). Holes subtracted. */
double oracle_area(GEOSContextHandle_t h, const GEOSGeometry *g, int lonlat_edges, double step_deg);

/* splitmix64: a reproducible uniform number in [0, 1). */
double oracle_random(uint64_t *state);

/* ---- measuring a result --------------------------------------------------------------------- */

/* What the oracle is told about a case (everything in lon/lat, any frame). */
typedef struct oracle_input {
    const oracle_line *line;
    const GEOSGeometry *region;    /* NULL: none */
    const GEOSGeometry *territory; /* NULL: sides from the line's direction */
    double d[2];                   /* d_A, d_B (m) */
    int samples;                   /* sample points over the band (≈; stratified) */
    uint64_t seed;
    double k; /* pass threshold: T + k·σ_T (see oracle.c) */
} oracle_input;

/* The library's result for one side, as the oracle sees it. */
typedef struct oracle_result_side {
    const GEOSGeometry *zone;       /* MultiPolygon */
    const GEOSGeometry *withdrawal; /* MultiLineString */
    double area;                    /* the library's reported area (m²) */
} oracle_result_side;

typedef struct oracle_side_figures {
    double def_area, def_sigma; /* the definition's zone area, sampled, and its standard error */
    double lib_area;            /* the library's own figure */
    double wrong_side;          /* result in S, definition: other side (m², estimate) */
    double missing;             /* definition in S, result out */
    double extra_far;           /* result in S, same side, farther than d_S (or outside region) */
    double threshold;           /* T = max(1 m² per km of line, 1e-4 of the zone) */
    double sigma_t;             /* σ of an estimate whose true value is T */
    double per_sample_m2;       /* the largest area one sample stands for */
    int holes, spurious_holes;  /* interior rings; those the definition does not have */
    double spurious_hole_m2;    /* the largest spurious hole */
    double wd_max_err;          /* withdrawal line: worst |dist − d_S| (m) */
    double wd_lon, wd_lat;      /* where */
    double wd_bound;            /* max(1 m, 1e-4 d) */
    double wd_length;           /* geodesic length of the withdrawal line (m) */
    size_t wd_checked;
    /* a witness for each kind of wrong ground (NaN if none) */
    double wrong_lon, wrong_lat, missing_lon, missing_lat, far_lon, far_lat;
    double own_area;         /* the area of the library's own zone polygons, edges read as
                                the region's (oracle_region_lonlat_edges) */
    double small_d_expected; /* d < 10 m, line alone: d·L + πd²/2 (0 if not checked) */
    int ok_wrong, ok_missing, ok_far, ok_holes, ok_wd;
    int ok_area;    /* |lib_area − own_area| ≤ T: areas read edges as clipping does */
    int ok_small_d; /* d < 10 m: the zone has about the area d·L (no sampling can see it) */
} oracle_side_figures;

typedef struct oracle_figures {
    oracle_side_figures s[2];
    double ground_area; /* the region's area in the oracle's reading (0 without region) */
    double zones_area;  /* the library's A + B */
    int ok_ground;      /* zones_area ≤ ground_area (+ the threshold) */
    size_t samples_used;
    double band_area; /* the sampled domain's area */
    double line_length;
} oracle_figures;

/* Region edges: 1 = straight in lon/lat (RFC 7946), 0 = geodesics. The default is 1; the
 * environment variable BZ_ORACLE_EDGES=geodesic selects 0. */
int oracle_region_lonlat_edges(void);

/* Measure a result against the definition. Returns 0, or -1 when out of memory / GEOS fails. */
int oracle_measure(GEOSContextHandle_t h, const oracle_input *in, const oracle_result_side res[2],
                   oracle_figures *out);

/* 1 if every figure passes. */
int oracle_pass(const oracle_figures *f);

#endif

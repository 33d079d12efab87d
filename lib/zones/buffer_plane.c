/*
 * buffer_plane.c — a buffer piece's plane (buffer.c, steps 2 and 5): the ellipsoidal
 * azimuthal-equidistant projection centred on the piece's middle vertex, computed directly with
 * Karney's geodesics (geod_inverse forward, geod_direct back: PROJ's "+proj=aeqd +ellps=WGS84"
 * without PJ objects, so worker threads share only the read-only struct geod_geodesic), and the
 * way back of a planar polygon to lon/lat with its edges densified.
 */
#include "zones/buffer_plane.h"
#include "core/context.h"

#include <math.h>
#include <stdlib.h>

#define DEG (3.14159265358979323846 / 180.0)

void bzi_plane_forward(const bzi_plane *p, double lon, double lat, double *x, double *y)
{
    double s12, azi1;
    geod_inverse(p->g, p->lat0, p->lon0, lat, lon, &s12, &azi1, NULL);
    *x = s12 * sin(azi1 * DEG);
    *y = s12 * cos(azi1 * DEG);
}

static void plane_inverse(const bzi_plane *p, double x, double y, double *lon, double *lat)
{
    double s = hypot(x, y);
    double azi = s > 0.0 ? atan2(x, y) / DEG : 0.0;
    geod_gendirect(p->g, p->lat0, p->lon0, azi, GEOD_LONG_UNROLL, s, lat, lon, NULL, NULL, NULL,
                   NULL, NULL, NULL);
}

/* Does the ring turn back at b (coming from a, going on to c) within a triangle no higher than
 * h? The height is taken over the longest side: every point of the triangle lies within it of
 * that side, so dropping b moves the boundary by at most h. */
static int is_thin_turn_back(const double *a, const double *b, const double *c, double h)
{
    double ux = b[0] - a[0], uy = b[1] - a[1], vx = c[0] - b[0], vy = c[1] - b[1];
    if (ux * vx + uy * vy >= 0.0)
        return 0; /* not turning back */
    double wx = c[0] - a[0], wy = c[1] - a[1];
    double longest = fmax(hypot(wx, wy), fmax(hypot(ux, uy), hypot(vx, vy)));
    return fabs(ux * vy - uy * vx) <= h * longest; /* twice the area ≤ h × longest side */
}

/* Drop thin turn-backs from the closed ring xy[0..*m-1] (last == first), in place, each time
 * against the vertices kept so far, then across the closing vertex. Keeps at least 4 points. */
static void drop_thin_turn_backs(double *xy, unsigned int *m, double h)
{
    if (!(h > 0.0))
        return;
    unsigned int n = 0;
    for (unsigned int k = 0; k < *m; k++) {
        xy[2 * n] = xy[2 * k];
        xy[2 * n + 1] = xy[2 * k + 1];
        n++;
        while (n >= 3 && n + (*m - 1 - k) > 4 &&
               is_thin_turn_back(xy + 2 * (n - 3), xy + 2 * (n - 2), xy + 2 * (n - 1), h)) {
            xy[2 * (n - 2)] = xy[2 * (n - 1)];
            xy[2 * (n - 2) + 1] = xy[2 * (n - 1) + 1];
            n--;
        }
    }
    /* the closing vertex: first == last, between xy[n-2] and xy[1] */
    while (n > 4 && is_thin_turn_back(xy + 2 * (n - 2), xy, xy + 2, h)) {
        for (unsigned int k = 0; k + 1 < n - 1; k++) {
            xy[2 * k] = xy[2 * (k + 1)];
            xy[2 * k + 1] = xy[2 * (k + 1) + 1];
        }
        n--;
        xy[2 * (n - 1)] = xy[0];
        xy[2 * (n - 1) + 1] = xy[1];
    }
    *m = n;
}

/* A ring of the planar buffer back in lon/lat, edges densified to p->max_edge. On failure
 * *st says why (BZ_ERR_NOMEM or BZ_ERR_GEOS). */
static GEOSGeometry *ring_to_lonlat(GEOSContextHandle_t h, const bzi_plane *p,
                                    const GEOSGeometry *ring, int *st)
{
    *st = BZ_ERR_GEOS;
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int m = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &m) || m < 4)
        return NULL;
    double *xy = malloc((size_t)m * 2 * sizeof *xy);
    if (!xy) {
        *st = BZ_ERR_NOMEM;
        return NULL;
    }
    if (!GEOSCoordSeq_copyToBuffer_r(h, cs, xy, 0, 0)) {
        free(xy);
        return NULL;
    }
    drop_thin_turn_backs(xy, &m, p->spike);
    size_t total = 1;
    for (unsigned int k = 1; k < m; k++) {
        double len = hypot(xy[2 * k] - xy[2 * k - 2], xy[2 * k + 1] - xy[2 * k - 1]);
        total += (size_t)ceil(len / p->max_edge);
    }
    double *ll = malloc(total * 2 * sizeof *ll);
    if (!ll) {
        free(xy);
        *st = BZ_ERR_NOMEM;
        return NULL;
    }
    size_t n = 0;
    plane_inverse(p, xy[0], xy[1], &ll[0], &ll[1]);
    n = 1;
    for (unsigned int k = 1; k < m; k++) {
        double x0 = xy[2 * k - 2], y0 = xy[2 * k - 1], x1 = xy[2 * k], y1 = xy[2 * k + 1];
        size_t steps = (size_t)ceil(hypot(x1 - x0, y1 - y0) / p->max_edge);
        if (steps < 1)
            steps = 1;
        for (size_t s = 1; s <= steps && n < total; s++) {
            double t = (double)s / (double)steps;
            plane_inverse(p, x0 + t * (x1 - x0), y0 + t * (y1 - y0), &ll[2 * n], &ll[2 * n + 1]);
            n++;
        }
    }
    /* Close exactly: the last point is the first one, recomputed. */
    ll[2 * (n - 1)] = ll[0];
    ll[2 * (n - 1) + 1] = ll[1];
    free(xy);
    GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(h, ll, (unsigned int)n, 0, 0);
    free(ll);
    if (!seq)
        return NULL;
    return GEOSGeom_createLinearRing_r(h, seq);
}

GEOSGeometry *bzi_plane_polygon_to_lonlat(GEOSContextHandle_t h, const bzi_plane *p,
                                          const GEOSGeometry *poly, int *st)
{
    GEOSGeometry *shell = ring_to_lonlat(h, p, GEOSGetExteriorRing_r(h, poly), st);
    if (!shell)
        return NULL;
    int nh = GEOSGetNumInteriorRings_r(h, poly);
    GEOSGeometry **holes = NULL;
    if (nh > 0) {
        holes = calloc((size_t)nh, sizeof *holes);
        if (!holes) {
            GEOSGeom_destroy_r(h, shell);
            *st = BZ_ERR_NOMEM;
            return NULL;
        }
        for (int j = 0; j < nh; j++) {
            holes[j] = ring_to_lonlat(h, p, GEOSGetInteriorRingN_r(h, poly, j), st);
            if (!holes[j]) {
                for (int k = 0; k < j; k++)
                    GEOSGeom_destroy_r(h, holes[k]);
                free(holes);
                GEOSGeom_destroy_r(h, shell);
                return NULL;
            }
        }
    }
    GEOSGeometry *out = GEOSGeom_createPolygon_r(h, shell, holes, (unsigned int)(nh > 0 ? nh : 0));
    if (!out) {
        *st = BZ_ERR_GEOS;
        GEOSGeom_destroy_r(h, shell);
        for (int k = 0; k < nh; k++)
            GEOSGeom_destroy_r(h, holes[k]);
    }
    free(holes);
    return out;
}

/*
 * generate.c — the case generator (see generate.h).
 *
 * Every line is drawn around a "centre" geodesic: a vertex at along-track s sits at a lateral
 * offset off(s) from the centre's point at s (geod_direct perpendicular to it). A part is thus
 * a graph over the centre and cannot cross itself; parts live in lanes of disjoint offsets, or
 * in one lane with disjoint along-track intervals, so they cannot cross each other either —
 * and GEOS checks it anyway (a crossing draw is drawn again). Closed rings are graphs in polar
 * coordinates around a centre point. Regions and territories are drawn in the same centre
 * coordinates (strips s ∈ [s0, s1], off ∈ [-W, W], densified), so that they fit the line.
 */
#include "generate.h"

#include "oracle.h"

/* GDAL 3.6's headers carry enumerators beyond int's range (-Wpedantic) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#pragma GCC diagnostic pop

#include <geodesic.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846
#define DEG (PI / 180.0)

typedef struct rng {
    uint64_t s;
} rng;

static double U(rng *r)
{
    return oracle_random(&r->s);
}
static double uni(rng *r, double a, double b)
{
    return a + (b - a) * U(r);
}
static double logu(rng *r, double a, double b)
{
    return exp(uni(r, log(a), log(b)));
}
static int pick(rng *r, int n)
{
    int k = (int)(U(r) * n);
    return k >= n ? n - 1 : k;
}

int gen_has_tag(const char *tags, const char *tag)
{
    size_t n = strlen(tag);
    int prefix = n > 0 && tag[n - 1] == ':';
    for (const char *p = tags; (p = strstr(p, tag)) != NULL; p += n) {
        int start = p == tags || p[-1] == ' ';
        int end = prefix || p[n] == ' ' || p[n] == '\0';
        if (start && end)
            return 1;
    }
    return 0;
}

static void tag(gen_case *c, const char *fmt, ...)
{
    size_t len = strlen(c->tags);
    if (len && len + 1 < sizeof c->tags)
        c->tags[len++] = ' ';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->tags + len, sizeof c->tags - len, fmt, ap);
    va_end(ap);
}

/* ---- the centre geodesic -------------------------------------------------------------------- */

typedef struct centre {
    struct geod_geodesic g;
    struct geod_geodesicline line;
    double len;
} centre;

/* The point at along-track s, offset `off` to the LEFT (positive) of the centre. */
static void centre_point(const centre *ce, double s, double off, double *lon, double *lat)
{
    double la, lo, az;
    geod_position(&ce->line, s, &la, &lo, &az);
    if (off == 0) {
        *lon = lo;
        *lat = la;
        return;
    }
    geod_direct(&ce->g, la, lo, az - 90.0, off, lat, lon, NULL);
}

/* A growable list of lon/lat pairs. */
typedef struct pts {
    double *v;
    size_t n, cap;
} pts;

static int push(pts *p, double lon, double lat)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 256;
        double *v = realloc(p->v, 2 * cap * sizeof *v);
        if (!v)
            return -1;
        p->v = v;
        p->cap = cap;
    }
    /* longitudes continuous along the list */
    if (p->n > 0)
        lon = p->v[2 * (p->n - 1)] + remainder(lon - p->v[2 * (p->n - 1)], 360.0);
    p->v[2 * p->n] = lon;
    p->v[2 * p->n + 1] = lat;
    p->n++;
    return 0;
}

/* Wiggles: the sum of up to three sines. */
typedef struct wiggle {
    int n;
    double amp[3], wl[3], ph[3];
} wiggle;

static double wig(const wiggle *w, double s)
{
    double o = 0;
    for (int k = 0; k < w->n; k++)
        o += w->amp[k] * sin(2 * PI * s / w->wl[k] + w->ph[k]);
    return o;
}
static double wig_max(const wiggle *w)
{
    double a = 0;
    for (int k = 0; k < w->n; k++)
        a += w->amp[k];
    return a;
}

/* ---- regions -------------------------------------------------------------------------------- */

static GEOSGeometry *ring_from(GEOSContextHandle_t h, const pts *p)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, (unsigned)p->n + 1, 2);
    if (!cs)
        return NULL;
    for (size_t i = 0; i <= p->n; i++) {
        size_t k = i % p->n;
        GEOSCoordSeq_setXY_r(h, cs, (unsigned)i, p->v[2 * k], p->v[2 * k + 1]);
    }
    return GEOSGeom_createLinearRing_r(h, cs);
}

/* The strip s ∈ [s0, s1], off ∈ [-w0, w1] of the centre, edges cut every `step` metres, as a
 * counter-clockwise ring (left = +off). */
static int strip_pts(const centre *ce, double s0, double s1, double wr, double wl, double step,
                     pts *p)
{
    int ns = (int)ceil((s1 - s0) / step), nw = (int)ceil((wl + wr) / step);
    if (ns < 2)
        ns = 2;
    if (nw < 2)
        nw = 2;
    double x, y;
    for (int i = 0; i < ns; i++) { /* right edge, forward */
        centre_point(ce, s0 + (s1 - s0) * i / ns, -wr, &x, &y);
        if (push(p, x, y))
            return -1;
    }
    for (int i = 0; i < nw; i++) { /* far end, right to left */
        centre_point(ce, s1, -wr + (wl + wr) * i / nw, &x, &y);
        if (push(p, x, y))
            return -1;
    }
    for (int i = 0; i < ns; i++) { /* left edge, backward */
        centre_point(ce, s1 - (s1 - s0) * i / ns, wl, &x, &y);
        if (push(p, x, y))
            return -1;
    }
    for (int i = 0; i < nw; i++) { /* near end, left to right */
        centre_point(ce, s0, wl - (wl + wr) * i / nw, &x, &y);
        if (push(p, x, y))
            return -1;
    }
    return 0;
}

/* A closed wiggly ring of radius r around (lon, lat): counter-clockwise when ccw. */
static int circle_pts(const centre *ce, double lon, double lat, double r, const wiggle *w, int n,
                      int ccw, pts *p)
{
    for (int i = 0; i < n; i++) {
        double az = 360.0 * i / n;
        if (ccw)
            az = -az;
        double x, y;
        geod_direct(&ce->g, lat, lon, az, r + wig(w, r * az * DEG), &y, &x, NULL);
        if (push(p, x, y))
            return -1;
    }
    return 0;
}

static char *wkt_of(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    GEOSWKTWriter *w = GEOSWKTWriter_create_r(h);
    if (!w)
        return NULL;
    GEOSWKTWriter_setRoundingPrecision_r(h, w, 12);
    GEOSWKTWriter_setTrim_r(h, w, 1);
    char *s = GEOSWKTWriter_write_r(h, w, g);
    GEOSWKTWriter_destroy_r(h, w);
    return s;
}

/* GeoJSON text of a (Multi)Polygon, written by hand (coordinates as given, no repair). */
static int write_geojson(GEOSContextHandle_t h, const GEOSGeometry *g, const char *path,
                         int as_features)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int np = GEOSGeomTypeId_r(h, g) == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(h, g);
    fprintf(f, "{\"type\":\"FeatureCollection\",\"features\":[");
    if (!as_features)
        fprintf(f, "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":"
                   "\"MultiPolygon\",\"coordinates\":[");
    for (int i = 0; i < np; i++) {
        const GEOSGeometry *poly =
            np == 1 && GEOSGeomTypeId_r(h, g) == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, i);
        if (as_features)
            fprintf(f,
                    "%s{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":"
                    "\"Polygon\",\"coordinates\":",
                    i ? "," : "");
        else if (i)
            fputc(',', f);
        fputc('[', f);
        int nr = GEOSGetNumInteriorRings_r(h, poly);
        for (int r = -1; r < nr; r++) {
            const GEOSGeometry *ring =
                r < 0 ? GEOSGetExteriorRing_r(h, poly) : GEOSGetInteriorRingN_r(h, poly, r);
            const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
            unsigned m = 0;
            GEOSCoordSeq_getSize_r(h, cs, &m);
            fprintf(f, "%s[", r >= 0 ? "," : "");
            for (unsigned k = 0; k < m; k++) {
                double x, y;
                GEOSCoordSeq_getXY_r(h, cs, k, &x, &y);
                fprintf(f, "%s[%.10f,%.10f]", k ? "," : "", x, y);
            }
            fputc(']', f);
        }
        fputc(']', f);
        if (as_features)
            fprintf(f, "}}");
    }
    if (!as_features)
        fprintf(f, "]}}");
    fprintf(f, "]}\n");
    return fclose(f) == 0 ? 0 : -1;
}

/* Write g (lon/lat) as an ESRI Shapefile in the projected CRS `proj4` with GDAL/OGR. */
static int write_projected(GEOSContextHandle_t h, const GEOSGeometry *g, const char *path,
                           const char *proj4)
{
    static int registered;
    if (!registered) {
        OGRRegisterAll();
        registered = 1;
    }
    int rc = -1;
    OGRSpatialReferenceH ll = OSRNewSpatialReference(NULL), pr = OSRNewSpatialReference(NULL);
    OGRCoordinateTransformationH ct = NULL;
    GDALDatasetH ds = NULL;
    OGRGeometryH og = NULL;
    if (!ll || !pr || OSRSetWellKnownGeogCS(ll, "WGS84") != OGRERR_NONE ||
        OSRImportFromProj4(pr, proj4) != OGRERR_NONE)
        goto out;
    OSRSetAxisMappingStrategy(ll, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(pr, OAMS_TRADITIONAL_GIS_ORDER);
    ct = OCTNewCoordinateTransformation(ll, pr);
    GDALDriverH drv = GDALGetDriverByName("ESRI Shapefile");
    if (!ct || !drv)
        goto out;
    ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds)
        goto out;
    OGRLayerH layer = GDALDatasetCreateLayer(ds, "region", pr, wkbMultiPolygon, NULL);
    if (!layer)
        goto out;
    /* lon/lat WKT → OGR → transformed in place; GEOS gives the WKT */
    char *wkt = wkt_of(h, g);
    if (!wkt)
        goto out;
    char *cursor = wkt;
    OGRErr e = OGR_G_CreateFromWkt(&cursor, ll, &og);
    GEOSFree_r(h, wkt);
    if (e != OGRERR_NONE || OGR_G_Transform(og, ct) != OGRERR_NONE)
        goto out;
    OGRFeatureH feat = OGR_F_Create(OGR_L_GetLayerDefn(layer));
    if (!feat)
        goto out;
    OGR_F_SetGeometry(feat, og);
    e = OGR_L_CreateFeature(layer, feat);
    OGR_F_Destroy(feat);
    rc = e == OGRERR_NONE ? 0 : -1;
out:
    if (og)
        OGR_G_DestroyGeometry(og);
    if (ds)
        GDALClose(ds);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (ll)
        OSRDestroySpatialReference(ll);
    if (pr)
        OSRDestroySpatialReference(pr);
    return rc;
}

/* A copy of the (Multi)Polygon g with every longitude x replaced by x + dx, or wrapped into
 * [-180, 180] vertex by vertex when wrap (raw jumps at ±180). Built anew: GEOS caches
 * envelopes, so coordinates are never changed in place. */
static GEOSGeometry *map_lon(GEOSContextHandle_t h, const GEOSGeometry *g, double dx, int wrap)
{
    int np = GEOSGetNumGeometries_r(h, g);
    GEOSGeometry **polys = calloc((size_t)np + 1, sizeof *polys);
    if (!polys)
        return NULL;
    int ok = 1;
    for (int i = 0; i < np && ok; i++) {
        const GEOSGeometry *poly = GEOSGetGeometryN_r(h, g, i);
        int nr = GEOSGetNumInteriorRings_r(h, poly);
        GEOSGeometry *rings[16];
        if (nr > 15)
            nr = 15;
        for (int k = -1; k < nr; k++) {
            const GEOSGeometry *ring =
                k < 0 ? GEOSGetExteriorRing_r(h, poly) : GEOSGetInteriorRingN_r(h, poly, k);
            const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
            unsigned m = 0;
            GEOSCoordSeq_getSize_r(h, cs, &m);
            GEOSCoordSequence *ns = GEOSCoordSeq_create_r(h, m, 2);
            for (unsigned j = 0; j < m && ns; j++) {
                double x, y;
                GEOSCoordSeq_getXY_r(h, cs, j, &x, &y);
                GEOSCoordSeq_setXY_r(h, ns, j, wrap ? remainder(x, 360.0) : x + dx, y);
            }
            rings[k + 1] = ns ? GEOSGeom_createLinearRing_r(h, ns) : NULL;
            ok = ok && rings[k + 1];
        }
        polys[i] = ok ? GEOSGeom_createPolygon_r(h, rings[0], rings + 1, (unsigned)nr) : NULL;
        ok = ok && polys[i];
    }
    GEOSGeometry *out =
        ok ? GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, (unsigned)np) : NULL;
    free(polys);
    return out;
}

static GEOSGeometry *shift(GEOSContextHandle_t h, const GEOSGeometry *g, double dx)
{
    return map_lon(h, g, dx, 0);
}

/* The RFC 7946 split of g (in a frame where it may pass 180): the part west of 180 and the part
 * east of it shifted by -360, as one MultiPolygon. */
static GEOSGeometry *rfc_split(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    GEOSGeometry *west = GEOSClipByRect_r(h, g, -540, -90, 180, 90);
    GEOSGeometry *east0 = GEOSClipByRect_r(h, g, 180, -90, 540, 90);
    GEOSGeometry *east = east0 ? shift(h, east0, -360.0) : NULL;
    GEOSGeometry *out = NULL;
    if (west && east) {
        GEOSGeometry *parts[64];
        unsigned n = 0;
        GEOSGeometry *srcs[2] = {west, east};
        for (int s = 0; s < 2; s++)
            for (int i = 0; i < GEOSGetNumGeometries_r(h, srcs[s]) && n < 64; i++) {
                const GEOSGeometry *p = GEOSGetGeometryN_r(h, srcs[s], i);
                if (GEOSGeomTypeId_r(h, p) == GEOS_POLYGON && !GEOSisEmpty_r(h, p))
                    parts[n++] = GEOSGeom_clone_r(h, p);
            }
        out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, n);
    }
    GEOSGeom_destroy_r(h, west);
    if (east0)
        GEOSGeom_destroy_r(h, east0);
    if (east)
        GEOSGeom_destroy_r(h, east);
    return out;
}

static GEOSGeometry *wrap_raw(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    return map_lon(h, g, 0.0, 1);
}

/* Put the list in the longitude frame of ref_lon (each list is continuous on its own, from
 * wherever its first point happened to fall). */
static void align(pts *p, double ref_lon)
{
    if (p->n == 0)
        return;
    double k = 360.0 * round((ref_lon - p->v[0]) / 360.0);
    for (size_t i = 0; i < p->n; i++)
        p->v[2 * i] += k;
}

static GEOSGeometry *polygon_of(GEOSContextHandle_t h, pts *outer, pts *holes, int nholes)
{
    /* A ring whose continuous longitudes do not come back (a strip that winds round a pole)
     * has no lon/lat polygon without points at the pole: not a case (seed 4 case 297 closed it
     * with a 359° step, which the library reads as the 1° step the short way, as documented). */
    if (outer->n > 0 && fabs(outer->v[2 * (outer->n - 1)] - outer->v[0]) > 180.0)
        return NULL;
    GEOSGeometry *shell = ring_from(h, outer);
    GEOSGeometry *hs[8];
    for (int i = 0; i < nholes; i++) {
        align(&holes[i], outer->v[0]);
        hs[i] = ring_from(h, &holes[i]);
    }
    GEOSGeometry *poly = GEOSGeom_createPolygon_r(h, shell, hs, (unsigned)nholes);
    GEOSGeometry *one[1] = {poly};
    return GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, one, 1);
}

/* ---- the draw ------------------------------------------------------------------------------- */

void gen_case_free(gen_case *c, GEOSContextHandle_t h)
{
    free(c->sizes);
    free(c->ll);
    if (c->region)
        GEOSGeom_destroy_r(h, c->region);
    if (c->region_api)
        GEOSGeom_destroy_r(h, c->region_api);
    if (c->territory)
        GEOSGeom_destroy_r(h, c->territory);
    memset(c, 0, sizeof *c);
}

static const double distances[] = {0.001, 1.0, 500.0, 5000.0, 10000.0, 100000.0, 999000.0};
static const char *dnames[] = {"1mm", "1m", "500m", "5km", "10km", "100km", "999km"};

/* Parts as lists of points, gathered before they become the case's arrays. */
typedef struct partlist {
    pts p[24];
    int n;
} partlist;

static void parts_free(partlist *pl)
{
    for (int i = 0; i < 24; i++)
        free(pl->p[i].v);
    memset(pl, 0, sizeof *pl);
}

/* A part along the centre from s0 to s1 (reversed when rev) in the lane at offset `lane`. */
static int open_part(const centre *ce, double s0, double s1, double lane, const wiggle *w, double h,
                     int rev, int with_ends_at, double ea, double eb, pts *p)
{
    size_t n = (size_t)ceil((s1 - s0) / h);
    if (n < 1)
        n = 1;
    pts tmp = {0};
    for (size_t i = 0; i <= n; i++) {
        double s = s0 + (s1 - s0) * (double)i / (double)n;
        if (with_ends_at) { /* vertices exactly on the strip's ends */
            if (i == 0)
                s = ea;
            if (i == n)
                s = eb;
        }
        double x, y;
        centre_point(ce, s, lane + wig(w, s), &x, &y);
        if (push(&tmp, x, y)) {
            free(tmp.v);
            return -1;
        }
    }
    for (size_t i = 0; i < tmp.n; i++) {
        size_t k = rev ? tmp.n - 1 - i : i;
        if (push(p, tmp.v[2 * k], tmp.v[2 * k + 1])) {
            free(tmp.v);
            return -1;
        }
    }
    free(tmp.v);
    return 0;
}

static int crossing(GEOSContextHandle_t h, const partlist *pl)
{
    GEOSGeometry *g[24];
    int bad = 0;
    for (int i = 0; i < pl->n; i++) {
        GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, (unsigned)pl->p[i].n, 2);
        for (size_t k = 0; k < pl->p[i].n; k++)
            GEOSCoordSeq_setXY_r(h, cs, (unsigned)k, pl->p[i].v[2 * k], pl->p[i].v[2 * k + 1]);
        g[i] = GEOSGeom_createLineString_r(h, cs);
        if (!g[i] || GEOSisSimple_r(h, g[i]) != 1)
            bad = 1;
    }
    for (int i = 0; i < pl->n && !bad; i++)
        for (int j = i + 1; j < pl->n && !bad; j++)
            if (GEOSIntersects_r(h, g[i], g[j]) != 0)
                bad = 1;
    for (int i = 0; i < pl->n; i++)
        if (g[i])
            GEOSGeom_destroy_r(h, g[i]);
    return bad;
}

static int draw_once(gen_case *c, GEOSContextHandle_t h, rng *r, size_t max_vertices,
                     const char *tmpdir)
{
    centre ce;
    geod_init(&ce.g, 6378137.0, 1.0 / 298.257223563);
    c->tags[0] = '\0';

    /* distances */
    int di = pick(r, 7);
    /* the two ends of the scale are rarer (the heavy 999 km most of all) */
    if ((di == 6 && U(r) < 0.5) || ((di == 0 || di == 1) && U(r) < 0.4))
        di = 2 + pick(r, 3);
    c->d[0] = c->d[1] = distances[di];
    tag(c, "d:%s", dnames[di]);
    if (U(r) < 0.2) {
        int dj = pick(r, 6);
        c->d[1] = U(r) < 0.3 ? 0.0 : distances[dj];
        tag(c, "asym");
    }
    double dmax = fmax(c->d[0], c->d[1]);

    /* form */
    double u = U(r);
    int form = u < 0.35 ? 0 : u < 0.8 ? 1 : 2; /* 0 line alone, 1 line + region, 2 territory */
    int ring = form != 2 && U(r) < 0.12;

    /* latitude and the antimeridian */
    int lb = pick(r, 5);
    double lat0;
    static const char *lbn[] = {"eq", "mid", "mid", "high", "polar"};
    switch (lb) {
    case 0: lat0 = uni(r, 0, 10); break;
    case 1:
    case 2: lat0 = uni(r, 20, 60); break;
    case 3: lat0 = uni(r, 60, 80); break;
    default: lat0 = uni(r, 80, 89.9); break;
    }
    int south = U(r) < 0.4;
    if (south)
        lat0 = -lat0;
    tag(c, "lat:%s%s", lbn[lb], south ? "S" : "N");
    int am = U(r) < 0.25;

    /* length and shape */
    double L = logu(r, 1000.0, 3.0e6);
    if (dmax >= 999000.0 && L > 1.0e6)
        L = logu(r, 1000.0, 1.0e6); /* keep the heaviest class affordable */
    int shape = pick(r, 4); /* 0 straight 2-vertex, 1 coarse, 2 dense/wiggly, 3 along a parallel */
    double hsp;
    wiggle w = {0, {0}, {0}, {0}};
    if (shape == 0) {
        hsp = L;
        tag(c, "shape:long-seg");
    } else if (shape == 1) {
        hsp = logu(r, 10000.0, 300000.0);
        tag(c, "shape:coarse");
    } else {
        hsp = logu(r, 5.0, 2000.0);
        tag(c, shape == 2 ? "shape:wiggly" : "shape:parallel");
    }
    if (shape >= 1 && U(r) < 0.8) {
        w.n = 1 + pick(r, 3);
        for (int k = 0; k < w.n; k++) {
            w.wl[k] = logu(r, fmax(4 * hsp, 200.0), fmax(8 * hsp, 200000.0));
            w.amp[k] = fmin(logu(r, 50.0, 50000.0), 0.3 * w.wl[k]);
            w.ph[k] = uni(r, 0, 2 * PI);
        }
        tag(c, "wiggle:%.0fm", wig_max(&w));
    }
    if (L / hsp > (double)max_vertices)
        hsp = L / (double)max_vertices;
    if (hsp > L)
        hsp = L;

    /* the centre geodesic: through (lon0, lat0); along a parallel means heading east */
    double lon0 = am ? 180.0 : uni(r, -180, 180);
    double az0 = shape == 3 ? 90.0 : uni(r, 0, 360);
    if (am) {
        az0 = U(r) < 0.5 ? uni(r, 45, 135) : uni(r, 225, 315);
        tag(c, "am");
    }
    /* start half a length back so the middle sits at (lon0, lat0) */
    {
        double la, lo, azb;
        geod_direct(&ce.g, lat0, lon0, az0 + 180.0, 0.5 * L, &la, &lo, &azb);
        geod_inverseline(&ce.line, &ce.g, la, lo, lat0, lon0, GEOD_ALL);
        double a1 = ce.line.azi1;
        geod_lineinit(&ce.line, &ce.g, la, lo, a1, GEOD_ALL);
        ce.len = L;
    }

    partlist pl;
    memset(&pl, 0, sizeof pl);
    int rc = -1;
    double W = 0; /* strip half-width for regions and territories */
    double amp = wig_max(&w);
    if (ring) {
        double rad = fmin(logu(r, 500.0, 1.0e6), L);
        if (amp > 0.3 * rad) {
            for (int k = 0; k < w.n; k++)
                w.amp[k] *= 0.3 * rad / amp;
            amp = 0.3 * rad;
        }
        int n = (int)fmin((double)max_vertices, fmax(8.0, 2 * PI * rad / hsp));
        int ccw = U(r) < 0.5;
        if (circle_pts(&ce, lon0, lat0, rad, &w, n, ccw, &pl.p[0]) ||
            push(&pl.p[0], pl.p[0].v[0], pl.p[0].v[1]))
            goto out;
        pl.n = 1;
        tag(c, "parts:ring %s", ccw ? "ccw" : "cw");
        W = rad + amp;
    } else if (shape == 3) {
        /* vertices along the parallel lat0, eastward, spacing hsp at that latitude */
        double span = L / (111320.0 * cos(lat0 * DEG)) + 1e-9;
        if (span > 300.0)
            span = 300.0;
        size_t n = (size_t)ceil(L / hsp);
        if (n < 1)
            n = 1;
        for (size_t i = 0; i <= n; i++)
            if (push(&pl.p[0], lon0 - 0.5 * span + span * (double)i / (double)n, lat0))
                goto out;
        pl.n = 1;
        W = 0;
        if (form == 1)
            form = 3; /* a parallel gets a lon/lat box, not a strip of the centre */
    } else {
        int nparts = U(r) < 0.6 ? 1 : 2 + pick(r, 19);
        if (nparts > 1 && L / hsp * nparts > (double)max_vertices)
            hsp = L * nparts / (double)max_vertices;
        int lanes = nparts == 1 ? 1 : 1 + pick(r, nparts < 5 ? nparts : 5);
        double gap =
            fmax(2.5 * amp + 50.0, logu(r, fmax(dmax, 100.0) * 0.3, fmax(dmax, 100.0) * 3));
        int per_lane = (nparts + lanes - 1) / lanes, made = 0;
        for (int ln = 0; ln < lanes && made < nparts; ln++) {
            double off = (ln - 0.5 * (lanes - 1)) * gap;
            int k = per_lane;
            if (made + k > nparts)
                k = nparts - made;
            double slot = L / k;
            for (int j = 0; j < k; j++, made++) {
                double a = j * slot, b = (j + 1) * slot;
                if (k > 1) { /* a gap between parts of one lane */
                    double g = fmin(0.4 * slot, fmax(0.1 * slot, 2 * hsp));
                    a += 0.5 * g;
                    b -= 0.5 * g;
                }
                int rev = nparts > 1 && U(r) < 0.5;
                if (open_part(&ce, a, b, off, &w, hsp, rev, 0, 0, 0, &pl.p[made]))
                    goto out;
            }
        }
        pl.n = made;
        if (nparts > 1 && form != 2)
            tag(c, "parts:%d lanes:%d", nparts, lanes);
        W = (lanes - 1) * 0.5 * gap + amp;
    }
    if (form == 0)
        tag(c, "form:line");
    for (int i = 1; i < pl.n; i++) /* one frame for all parts, so that GEOS sees crossings */
        align(&pl.p[i], pl.p[0].v[0]);
    if (crossing(h, &pl)) {
        rc = 1; /* draw again */
        goto out;
    }

    /* territory form: the line is rebuilt as the strip's cut, with enclaves/exclaves */
    if (form == 2) {
        parts_free(&pl);
        double Wt = W + fmax(dmax * uni(r, 0.5, 3.0), 2 * amp + 100.0);
        /* the territory's edges are read straight in lon/lat: keep them short enough that the
         * line (geodesics) and the territory's edge agree within a few centimetres */
        double ht = fabs(lat0) > 80 ? 100.0 : fabs(lat0) > 60 ? 300.0 : 1000.0;
        if (hsp > ht)
            hsp = ht;
        if (L > hsp * (double)max_vertices / 1.25) {
            L = hsp * (double)max_vertices / 1.25;
            geod_lineinit(&ce.line, &ce.g, lat0, lon0, az0, GEOD_ALL);
            double la, lo;
            geod_direct(&ce.g, lat0, lon0, az0 + 180.0, 0.5 * L, &la, &lo, NULL);
            double s12, a1;
            geod_inverse(&ce.g, la, lo, lat0, lon0, &s12, &a1, NULL);
            geod_lineinit(&ce.line, &ce.g, la, lo, a1, GEOD_ALL);
            ce.len = L;
        }
        double sa = 0.1 * L, sb = 0.9 * L;
        if (open_part(&ce, sa, sb, 0.0, &w, hsp, 0, 1, sa, sb, &pl.p[0]))
            goto out;
        pl.n = 1;
        /* the territory: the line, then the strip's left edge back */
        pts terr = {0};
        for (size_t i = 0; i < pl.p[0].n; i++)
            if (push(&terr, pl.p[0].v[2 * i], pl.p[0].v[2 * i + 1]))
                goto out;
        int nl = (int)fmax(2, ceil((sb - sa) / fmin(20000.0, (sb - sa) / 20)));
        for (int i = 0; i <= nl; i++) {
            double x, y;
            centre_point(&ce, sb - (sb - sa) * i / nl, Wt, &x, &y);
            if (push(&terr, x, y))
                goto out;
        }
        pts hole[2] = {{0}, {0}}, excl = {0};
        int nh = 0, with_excl = 0;
        /* enclaves and exclaves sit between the line's wiggles and the strip's edge */
        double cr = fmin(0.15 * (Wt - amp), 0.1 * (sb - sa)), co = amp + 0.5 * (Wt - amp);
        wiggle w0 = {0, {0}, {0}, {0}};
        if (U(r) < 0.35) { /* an enclave of B inside A: a hole, and a clockwise line ring */
            double x, y;
            centre_point(&ce, 0.5 * (sa + sb), co, &x, &y);
            if (circle_pts(&ce, x, y, cr, &w0, 48, 0, &hole[0]))
                goto out;
            nh = 1;
            for (size_t i = 0; i <= hole[0].n; i++) {
                size_t k = i % hole[0].n;
                if (push(&pl.p[pl.n], hole[0].v[2 * k], hole[0].v[2 * k + 1]))
                    goto out;
            }
            pl.n++;
            tag(c, "terr:enclave");
        }
        if (U(r) < 0.35) { /* an exclave of A inside B: an island, counter-clockwise ring */
            double x, y;
            centre_point(&ce, 0.5 * (sa + sb), -co, &x, &y);
            if (circle_pts(&ce, x, y, cr, &w0, 48, 1, &excl))
                goto out;
            for (size_t i = 0; i <= excl.n; i++) {
                size_t k = i % excl.n;
                if (push(&pl.p[pl.n], excl.v[2 * k], excl.v[2 * k + 1]))
                    goto out;
            }
            pl.n++;
            with_excl = 1;
            tag(c, "terr:exclave");
        }
        /* the hole is given clockwise; GEOS wants no particular order */
        GEOSGeometry *t = polygon_of(h, &terr, hole, nh);
        if (t && with_excl) {
            align(&excl, terr.v[0]);
            GEOSGeometry *isl = polygon_of(h, &excl, NULL, 0);
            GEOSGeometry *u2 = isl ? GEOSUnion_r(h, t, isl) : NULL;
            if (isl)
                GEOSGeom_destroy_r(h, isl);
            GEOSGeom_destroy_r(h, t);
            t = u2;
        }
        free(terr.v);
        free(hole[0].v);
        free(excl.v);
        if (!t)
            goto out;
        c->territory = t;
        for (int i = 1; i < pl.n; i++)
            align(&pl.p[i], pl.p[0].v[0]);
        if (crossing(h, &pl)) {
            rc = 1;
            goto out;
        }
        W = Wt;
        tag(c, "form:territory");
        /* the region: the strip s ∈ [sa, sb], ±Wt */
        pts reg = {0};
        double step = fmin(20000.0, fmax((sb - sa) / 40, 2 * Wt / 20));
        if (strip_pts(&ce, sa, sb, Wt, Wt, step, &reg))
            goto out;
        c->region = polygon_of(h, &reg, NULL, 0);
        free(reg.v);
        if (!c->region) { /* a strip that winds round a pole (polygon_of): draw again */
            rc = 1;
            goto out;
        }
    } else if (form == 1 || form == 3) {
        tag(c, "form:region");
        int kind = form == 3 ? 1 : pick(r, 6);
        double Wr = W + dmax * uni(r, 0.3, 2.5) + 100.0;
        if (kind == 0 || kind == 5) { /* a densified strip (with a hole across the line) */
            pts reg = {0}, hole = {0};
            double sa = ring ? 0 : uni(r, 0.0, 0.3) * L, sb = ring ? L : uni(r, 0.7, 1.0) * L;
            if (ring) { /* a ring's strip would not contain it: a box in centre coordinates */
                sa = -Wr;
                sb = Wr;
            }
            double step = fmin(20000.0, fmax((sb - sa) / 40, 2 * Wr / 20));
            if (ring) {
                centre c2 = ce;
                /* a centre through the ring's middle */
                geod_lineinit(&c2.line, &c2.g, lat0, lon0, az0, GEOD_ALL);
                double la, lo;
                geod_direct(&c2.g, lat0, lon0, az0 + 180, Wr, &la, &lo, NULL);
                geod_lineinit(&c2.line, &c2.g, la, lo, az0, GEOD_ALL);
                if (strip_pts(&c2, 0, 2 * Wr, Wr, Wr, fmax(2 * Wr / 40, 1.0), &reg))
                    goto out;
            } else if (strip_pts(&ce, sa, sb, Wr, Wr, step, &reg)) {
                goto out;
            }
            int nh = 0;
            if (kind == 5 && !ring) {
                double hs = 0.5 * (sa + sb), hw = fmin(0.05 * (sb - sa), 0.3 * Wr);
                if (strip_pts(&ce, hs - hw, hs + hw, 0.3 * Wr, 0.3 * Wr, fmax(hw / 10, 1.0), &hole))
                    goto out;
                nh = 1;
                tag(c, "region:hole");
            } else {
                tag(c, "region:strip");
            }
            c->region = polygon_of(h, &reg, &hole, nh);
            free(reg.v);
            free(hole.v);
        } else if (kind == 1) { /* a long-edged lon/lat box: 4 vertices */
            double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
            for (int i = 0; i < pl.n; i++)
                for (size_t k = 0; k < pl.p[i].n; k++) {
                    x0 = fmin(x0, pl.p[i].v[2 * k]);
                    x1 = fmax(x1, pl.p[i].v[2 * k]);
                    y0 = fmin(y0, pl.p[i].v[2 * k + 1]);
                    y1 = fmax(y1, pl.p[i].v[2 * k + 1]);
                }
            /* cut the box to the middle of the line, and narrower than the zones sometimes */
            double dy = dmax / 111000.0 * uni(r, 0.3, 1.5);
            double cx = 0.5 * (x0 + x1);
            double hx = 0.5 * (x1 - x0) * uni(r, 0.3, 0.9) + 1e-4;
            y0 = fmax(-89.5, y0 - dy);
            y1 = fmin(89.5, y1 + dy);
            if (x1 - x0 > 359)
                goto out;
            /* A box wider than 180° gets points along its parallels, at most 120° apart: the
             * library reads a step of more than 180° as a crossing of the antimeridian (the
             * documented short-way reading of rings), so four vertices would be another box
             * (seed 4 case 1795: a 245° box read as the 115° one). */
            int np = (int)ceil(2 * hx / 120.0);
            char wkt[2048];
            size_t used = (size_t)snprintf(wkt, sizeof wkt, "MULTIPOLYGON(((");
            for (int e = 0; e < 2; e++) /* the south edge eastward, the north edge westward */
                for (int j = 0; j <= np && used < sizeof wkt; j++) {
                    double t = (double)j / np,
                           x = e == 0 ? cx - hx + 2 * hx * t : cx + hx - 2 * hx * t;
                    used += (size_t)snprintf(wkt + used, sizeof wkt - used, "%.9f %.9f,", x,
                                             e == 0 ? y0 : y1);
                }
            if (used < sizeof wkt)
                snprintf(wkt + used, sizeof wkt - used, "%.9f %.9f)))", cx - hx, y0);
            GEOSWKTReader *rd = GEOSWKTReader_create_r(h);
            c->region = GEOSWKTReader_read_r(h, rd, wkt);
            GEOSWKTReader_destroy_r(h, rd);
            tag(c, "region:lonlat-box");
        } else {
            pts reg = {0};
            double sa = uni(r, 0.0, 0.3) * L, sb = uni(r, 0.7, 1.0) * L;
            if (ring) {
                sa = 0;
                sb = L;
            }
            double step = fmin(20000.0, fmax((sb - sa) / 40, 2 * Wr / 20));
            if (ring) {
                centre c2 = ce;
                double la, lo;
                geod_direct(&c2.g, lat0, lon0, az0 + 180, Wr, &la, &lo, NULL);
                geod_lineinit(&c2.line, &c2.g, la, lo, az0, GEOD_ALL);
                if (strip_pts(&c2, 0, 2 * Wr, Wr, Wr, fmax(2 * Wr / 40, 1.0), &reg))
                    goto out;
            } else if (strip_pts(&ce, sa, sb, Wr, Wr, step, &reg)) {
                goto out;
            }
            c->region = polygon_of(h, &reg, NULL, 0);
            free(reg.v);
            tag(c, kind == 2 ? "region:rfc-split" : kind == 3 ? "region:raw-jump" : "region:proj");
        }
        if (!c->region)
            goto out;
    }
    /* how the library gets the region (the territory always as a GEOS geometry) */
    if (c->region) {
        double x0, x1;
        GEOSGeom_getXMin_r(h, c->region, &x0);
        GEOSGeom_getXMax_r(h, c->region, &x1);
        int crosses = x0 < -180.0 || x1 > 180.0;
        char path[400];
        snprintf(path, sizeof path, "%s/region_%llu_%d", tmpdir, (unsigned long long)c->seed,
                 c->index);
        if (gen_has_tag(c->tags, "region:rfc-split") ||
            (crosses &&
             (gen_has_tag(c->tags, "region:strip") || gen_has_tag(c->tags, "region:lonlat-box") ||
              gen_has_tag(c->tags, "region:hole") || form == 2))) {
            /* what an RFC 7946 writer gives: split at ±180 */
            GEOSGeometry *sp = crosses ? rfc_split(h, c->region) : shift(h, c->region, 0);
            if (!sp)
                goto out;
            if (U(r) < 0.5) {
                snprintf(c->region_path, sizeof c->region_path, "%s.geojson", path);
                int feats = U(r) < 0.5;
                if (write_geojson(h, sp, c->region_path, feats)) {
                    GEOSGeom_destroy_r(h, sp);
                    goto out;
                }
                c->region_how = GEN_REGION_FILE;
                tag(c, feats ? "via:geojson-2features" : "via:geojson");
                GEOSGeom_destroy_r(h, sp);
            } else {
                c->region_api = sp;
                c->region_how = GEN_REGION_API;
                tag(c, "via:api");
            }
            if (crosses)
                tag(c, "region-am:split");
        } else if (gen_has_tag(c->tags, "region:raw-jump")) {
            GEOSGeometry *rj = wrap_raw(h, c->region);
            if (!rj)
                goto out;
            if (U(r) < 0.5) {
                snprintf(c->region_path, sizeof c->region_path, "%s.geojson", path);
                int wrc = write_geojson(h, rj, c->region_path, 0);
                GEOSGeom_destroy_r(h, rj);
                if (wrc)
                    goto out;
                c->region_how = GEN_REGION_FILE;
                tag(c, "via:geojson");
            } else {
                c->region_api = rj;
                c->region_how = GEN_REGION_API;
                tag(c, "via:api");
            }
            if (crosses)
                tag(c, "region-am:raw");
        } else if (gen_has_tag(c->tags, "region:proj")) {
            double cx = 0.5 * (x0 + x1), cy;
            double y0, y1;
            GEOSGeom_getYMin_r(h, c->region, &y0);
            GEOSGeom_getYMax_r(h, c->region, &y1);
            cy = 0.5 * (y0 + y1);
            char p4[160];
            cx = remainder(cx, 360.0);
            if (fabs(cy) < 80 && (x1 - x0) < 12 && U(r) < 0.6) {
                int zone = (int)floor((cx + 180.0) / 6.0) + 1;
                if (zone > 60)
                    zone = 60;
                snprintf(p4, sizeof p4, "+proj=utm +zone=%d %s+datum=WGS84 +units=m +no_defs", zone,
                         cy < 0 ? "+south " : "");
                tag(c, "crs:utm");
            } else {
                snprintf(p4, sizeof p4,
                         "+proj=laea +lat_0=%.6f +lon_0=%.6f +datum=WGS84 +units=m +no_defs", cy,
                         cx);
                tag(c, "crs:laea");
            }
            snprintf(c->region_path, sizeof c->region_path, "%s.shp", path);
            GEOSGeometry *wr = shift(h, c->region, 0.0);
            int wrc = wr ? write_projected(h, wr, c->region_path, p4) : -1;
            if (wr)
                GEOSGeom_destroy_r(h, wr);
            if (wrc)
                goto out;
            c->region_how = GEN_REGION_FILE;
            if (crosses)
                tag(c, "region-am:proj");
        } else {
            c->region_api = shift(h, c->region, 0.0);
            c->region_how = GEN_REGION_API;
            if (!c->region_api)
                goto out;
        }
    }

    /* a region or territory that came out invalid in its own frame (a strip folded over a
     * pole, ...) is the generator's failure, not the library's: draw again */
    if ((c->region && GEOSisValid_r(h, c->region) != 1) ||
        (c->territory && GEOSisValid_r(h, c->territory) != 1) ||
        (c->region_api && !gen_has_tag(c->tags, "region:raw-jump") &&
         GEOSisValid_r(h, c->region_api) != 1)) {
        rc = 1;
        goto out;
    }

    /* the arrays */
    c->nparts = (size_t)pl.n;
    c->nverts = 0;
    for (int i = 0; i < pl.n; i++)
        c->nverts += pl.p[i].n;
    c->sizes = malloc(c->nparts * sizeof *c->sizes);
    c->ll = malloc(2 * c->nverts * sizeof *c->ll);
    if (!c->sizes || !c->ll)
        goto out;
    size_t k = 0;
    for (int i = 0; i < pl.n; i++) {
        c->sizes[i] = pl.p[i].n;
        memcpy(c->ll + 2 * k, pl.p[i].v, 2 * pl.p[i].n * sizeof *c->ll);
        k += pl.p[i].n;
    }
    {
        int wraps = 0;
        for (size_t i = 0; i < c->nverts; i++)
            wraps |= c->ll[2 * i] < -180.0 || c->ll[2 * i] > 180.0;
        if (wraps && !am)
            tag(c, "am");
        /* a zone that reaches a pole */
        oracle_line *ol = oracle_line_new(c->ll, c->sizes, c->nparts);
        if (!ol)
            goto out;
        oracle_near np, sp_;
        oracle_nearest(ol, 0.0, 90.0, &np);
        oracle_nearest(ol, 0.0, -90.0, &sp_);
        oracle_line_free(ol);
        if (fmin(np.dist, sp_.dist) <= dmax * 1.05 + 1000.0)
            tag(c, "pole");
    }
    {
        double sp = L / fmax(1.0, (double)c->nverts);
        tag(c, "spacing:%s",
            sp < 100     ? "<100m"
            : sp < 5000  ? "<5km"
            : sp < 50000 ? "<50km"
                         : ">=50km");
        tag(c, "len:%s", L < 10e3 ? "<10km" : L < 300e3 ? "<300km" : ">=300km");
        tag(c, "nv:%zu", c->nverts);
    }
    rc = 0;
out:
    parts_free(&pl);
    return rc;
}

int gen_draw(gen_case *c, GEOSContextHandle_t h, uint64_t seed, int index, size_t max_vertices,
             const char *tmpdir)
{
    memset(c, 0, sizeof *c);
    rng r = {seed * 0x9E3779B97F4A7C15ull + (uint64_t)index * 0xD1B54A32D192ED03ull + 1};
    for (int attempt = 0; attempt < 20; attempt++) {
        gen_case_free(c, h);
        c->seed = seed;
        c->index = index;
        int rc = draw_once(c, h, &r, max_vertices, tmpdir);
        if (rc == 0)
            return 0;
        /* rc < 0: GEOS refused a draw (an invalid territory's union, ...): draw again too */
    }
    gen_case_free(c, h);
    return -1;
}

/* ---- fixed cases from files ----------------------------------------------------------------- */

/* The parts of a (Multi)LineString as lists, longitudes made continuous along each part. */
static int parts_from_geos(GEOSContextHandle_t h, const GEOSGeometry *g, gen_case *c)
{
    int np = GEOSGetNumGeometries_r(h, g);
    c->nparts = (size_t)np;
    c->nverts = (size_t)GEOSGetNumCoordinates_r(h, g);
    c->sizes = calloc((size_t)np, sizeof *c->sizes);
    c->ll = calloc(2 * c->nverts, sizeof *c->ll);
    if (!c->sizes || !c->ll)
        return -1;
    size_t k = 0;
    for (int i = 0; i < np; i++) {
        const GEOSGeometry *ls = GEOSGetGeometryN_r(h, g, i);
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ls);
        unsigned m = 0;
        if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &m))
            return -1;
        c->sizes[i] = m;
        for (unsigned j = 0; j < m; j++, k++) {
            double x, y;
            GEOSCoordSeq_getXY_r(h, cs, j, &x, &y);
            if (j > 0)
                x = c->ll[2 * (k - 1)] + remainder(x - c->ll[2 * (k - 1)], 360.0);
            c->ll[2 * k] = x;
            c->ll[2 * k + 1] = y;
        }
    }
    return 0;
}

int gen_from_file(gen_case *c, GEOSContextHandle_t h, const char *path)
{
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    GEOSWKTReader *rd = GEOSWKTReader_create_r(h);
    static char buf[1 << 20];
    int rc = -1, have_line = 0;
    const char *base = strrchr(path, '/');
    snprintf(c->tags, sizeof c->tags, "fixed:%s", base ? base + 1 : path);
    while (fgets(buf, sizeof buf, f)) {
        char *v = strchr(buf, ':');
        if (!v || buf[0] == '#')
            continue;
        *v++ = '\0';
        while (*v == ' ')
            v++;
        v[strcspn(v, "\n")] = '\0';
        if (strcmp(buf, "line") == 0) {
            GEOSGeometry *g = GEOSWKTReader_read_r(h, rd, v);
            if (!g || parts_from_geos(h, g, c)) {
                if (g)
                    GEOSGeom_destroy_r(h, g);
                goto out;
            }
            GEOSGeom_destroy_r(h, g);
            have_line = 1;
        } else if (strcmp(buf, "region") == 0 || strcmp(buf, "territory") == 0 ||
                   strcmp(buf, "truth-region") == 0) {
            GEOSGeometry *g = GEOSWKTReader_read_r(h, rd, v);
            if (!g)
                goto out;
            if (buf[0] == 'r') {
                c->region_api = g;
                c->region_how = GEN_REGION_API;
                if (!c->region)
                    c->region = GEOSGeom_clone_r(h, g);
            } else if (buf[1] == 'r') { /* the oracle's reading of a region given oddly */
                if (c->region)
                    GEOSGeom_destroy_r(h, c->region);
                c->region = g;
            } else {
                c->territory = g;
            }
        } else if (strcmp(buf, "d") == 0) {
            if (sscanf(v, "%lf %lf", &c->d[0], &c->d[1]) != 2)
                goto out;
        } else if (strcmp(buf, "samples") == 0) {
            if (sscanf(v, "%d", &c->samples) != 1 || c->samples < 0)
                goto out;
        } else if (strcmp(buf, "tags") == 0) {
            tag(c, "%s", v);
        }
    }
    rc = have_line ? 0 : -1;
out:
    GEOSWKTReader_destroy_r(h, rd);
    fclose(f);
    if (rc)
        gen_case_free(c, h);
    return rc;
}

/*
 * pip.c — point in polygon without GEOS's per-query costs.
 *
 * GEOSPreparedIntersects needs a GEOS point made and freed for every query, and its locator is
 * built lazily inside the prepared geometry, which makes it unfit for several threads at once.
 * Here the edges are put once into horizontal strips (in a frame whose y runs along the
 * geometry's longer extent, so that a strip holds few edges of a long band), and a query counts
 * the edges of its strip that cross the ray from the point towards +x: for a valid
 * (multi)polygon an odd count means inside (each shell and each hole flips it).
 *
 * The crossing rule is half-open in y ((y0 > y) != (y1 > y)), so a ray through a vertex counts
 * it once, and horizontal edges never count; an edge is kept in every strip its [min y, max y]
 * reaches, located with the same formula as the query, so the strip of any y an edge spans
 * holds that edge.
 */
#include "core/pip.h"
#include "core/edge_grid.h"
#include "core/polygon.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* About this many edges per strip on average (fewer strips waste queries, more waste memory). */
#define EDGES_PER_STRIP 4
#define MAX_STRIPS ((size_t)1 << 22)

static size_t strip_of(const bzi_pip *p, double y)
{
    double k = floor((y - p->miny) / p->strip);
    if (!(k > 0.0))
        return 0;
    return k >= (double)(p->nstrips - 1) ? p->nstrips - 1 : (size_t)k;
}

int bzi_pip_build(GEOSContextHandle_t h, const GEOSGeometry *g, bzi_pip *p)
{
    memset(p, 0, sizeof *p);
    int e = bzi_polygon_segments(h, g, &p->segs);
    if (e) {
        bzi_pip_free(p);
        return e;
    }
    size_t n = p->segs.n / 4;
    double *s = p->segs.v;
    double ext[4];
    bzi_points_extent(s, 2 * n, ext);
    double minx = ext[0], miny = ext[1], maxx = ext[2], maxy = ext[3];
    p->swap = n > 0 && maxx - minx > maxy - miny;
    if (p->swap) {
        for (size_t i = 0; i < 2 * n; i++) {
            double t = s[2 * i];
            s[2 * i] = s[2 * i + 1];
            s[2 * i + 1] = t;
        }
        double t0 = minx, t1 = maxx;
        minx = miny;
        maxx = maxy;
        miny = t0;
        maxy = t1;
    }
    p->minx = minx;
    p->miny = miny;
    p->maxx = maxx;
    p->maxy = maxy;
    p->nstrips = n / EDGES_PER_STRIP + 1;
    if (p->nstrips > MAX_STRIPS)
        p->nstrips = MAX_STRIPS;
    p->strip = n > 0 && maxy > miny ? (maxy - miny) / (double)p->nstrips : 1.0;
    p->start = calloc(p->nstrips + 1, sizeof *p->start);
    if (!p->start) {
        bzi_pip_free(p);
        return BZI_E_NOMEM;
    }
    /* count, offsets, fill (start[k + 1] counts strip k, then becomes its end) */
    for (size_t i = 0; i < n; i++) {
        const double *q = s + 4 * i;
        if (q[1] == q[3])
            continue; /* horizontal: never crossed */
        size_t k0 = strip_of(p, fmin(q[1], q[3])), k1 = strip_of(p, fmax(q[1], q[3]));
        for (size_t k = k0; k <= k1; k++)
            p->start[k + 1]++;
    }
    for (size_t k = 0; k < p->nstrips; k++)
        p->start[k + 1] += p->start[k];
    p->items = malloc((p->start[p->nstrips] ? p->start[p->nstrips] : 1) * sizeof *p->items);
    size_t *fill = malloc(p->nstrips * sizeof *fill);
    if (!p->items || !fill) {
        free(fill);
        bzi_pip_free(p);
        return BZI_E_NOMEM;
    }
    memcpy(fill, p->start, p->nstrips * sizeof *fill);
    for (size_t i = 0; i < n; i++) {
        const double *q = s + 4 * i;
        if (q[1] == q[3])
            continue;
        size_t k0 = strip_of(p, fmin(q[1], q[3])), k1 = strip_of(p, fmax(q[1], q[3]));
        for (size_t k = k0; k <= k1; k++)
            p->items[fill[k]++] = i;
    }
    free(fill);
    return 0;
}

int bzi_pip_contains(const bzi_pip *p, double x, double y)
{
    if (p->swap) {
        double t = x;
        x = y;
        y = t;
    }
    if (!p->start || !(x <= p->maxx && y >= p->miny && y <= p->maxy))
        return 0; /* no edge reaches the ray */
    size_t k = strip_of(p, y);
    int inside = 0;
    for (size_t j = p->start[k]; j < p->start[k + 1]; j++) {
        const double *q = p->segs.v + 4 * p->items[j];
        if ((q[1] > y) != (q[3] > y) && x < q[0] + (y - q[1]) * (q[2] - q[0]) / (q[3] - q[1]))
            inside ^= 1;
    }
    return inside;
}

void bzi_pip_free(bzi_pip *p)
{
    free(p->segs.v);
    free(p->start);
    free(p->items);
    memset(p, 0, sizeof *p);
}

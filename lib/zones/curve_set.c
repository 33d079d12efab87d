/* curve_set.c — the curves between a line's parts (bisector.c) as coordinates: added one by
 * one, their ends joined where they meet to within rounding, then made into one GEOS
 * MultiLineString. */
#include "zones/curve_set.h"
#include "core/grow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int bzi_curve_set_add(bzi_curve_set *s, const bzi_coords *curve)
{
    if (curve->n < 4)
        return 0;
    if (BZI_GROW(s->start, s->cap, s->n + 2))
        return -1;
    size_t at = s->pts.n;
    for (size_t i = 0; i < curve->n; i += 2)
        if (bzi_coords_push2(&s->pts, curve->v[i], curve->v[i + 1])) {
            s->pts.n = at;
            return -1;
        }
    s->start[s->n] = at;
    s->start[++s->n] = s->pts.n;
    return 0;
}

/* a curve end: where it lies, and the index into pts.v of its x */
typedef struct curve_end {
    double x, y;
    size_t at;
} curve_end;

static int cmp_end(const void *pa, const void *pb)
{
    const curve_end *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return (a->y > b->y) - (a->y < b->y);
}

int bzi_curve_set_join_ends(bzi_curve_set *s, double tol)
{
    if (s->n < 2)
        return 0;
    size_t m = 2 * s->n;
    curve_end *end = malloc(m * sizeof *end);
    unsigned char *done = calloc(m, 1);
    if (!end || !done) {
        free(end);
        free(done);
        return -1;
    }
    double *v = s->pts.v;
    for (size_t i = 0; i < s->n; i++) {
        size_t a = s->start[i], b = s->start[i + 1] - 2;
        end[2 * i] = (curve_end){v[a], v[a + 1], a};
        end[2 * i + 1] = (curve_end){v[b], v[b + 1], b};
    }
    qsort(end, m, sizeof *end, cmp_end);
    /* each end not yet joined gathers the ends after it within tol; the sweep stops where x
     * has moved on by more than tol */
    for (size_t i = 0; i < m; i++) {
        if (done[i])
            continue;
        for (size_t j = i + 1; j < m && end[j].x - end[i].x <= tol; j++)
            if (!done[j] && fabs(end[j].y - end[i].y) <= tol) {
                v[end[j].at] = end[i].x;
                v[end[j].at + 1] = end[i].y;
                done[j] = 1;
            }
    }
    free(end);
    free(done);
    return 0;
}

int bzi_curve_set_geometry(GEOSContextHandle_t h, const bzi_curve_set *s, GEOSGeometry **out)
{
    *out = NULL;
    GEOSGeometry **g = malloc((s->n ? s->n : 1) * sizeof *g);
    double *buf = malloc((s->pts.n ? s->pts.n : 1) * sizeof *buf);
    size_t ng = 0;
    int e = 0;
    if (!g || !buf)
        e = -1;
    for (size_t i = 0; i < s->n && !e; i++) {
        size_t k = 0; /* the curve without repeated points (joined ends can repeat one) */
        for (size_t p = s->start[i]; p < s->start[i + 1]; p += 2) {
            const double *q = s->pts.v + p;
            if (k >= 2 && buf[k - 2] == q[0] && buf[k - 1] == q[1])
                continue;
            buf[k++] = q[0];
            buf[k++] = q[1];
        }
        if (k < 4)
            continue;
        GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, buf, (unsigned)(k / 2), 0, 0);
        if (!cs || !(g[ng] = GEOSGeom_createLineString_r(h, cs)))
            e = -2;
        else
            ng++;
    }
    if (!e && !(*out = GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, g, (unsigned)ng)))
        e = -2;
    if (e)
        for (size_t i = 0; i < ng; i++)
            GEOSGeom_destroy_r(h, g[i]);
    free(g); /* the collection owns the curves, or GEOS freed them (geos_c.h) */
    free(buf);
    return e;
}

void bzi_curve_set_free(bzi_curve_set *s)
{
    free(s->pts.v);
    free(s->start);
    memset(s, 0, sizeof *s);
}

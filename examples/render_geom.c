/* render_geom.c — flatten a geometry into rings, lines and points by reading its ISO WKB. */
#include "render_geom.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A cursor over WKB bytes; any overrun sets `bad` and reads zeros from then on. */
struct wkb {
    const unsigned char *p, *end;
    int little; /* byte order of the current geometry */
    int bad;
};

static uint32_t read_u32(struct wkb *w)
{
    if (w->bad || w->end - w->p < 4) {
        w->bad = 1;
        return 0;
    }
    const unsigned char *b = w->p;
    w->p += 4;
    return w->little
               ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24
               : (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 | (uint32_t)b[0] << 24;
}

static double read_f64(struct wkb *w)
{
    if (w->bad || w->end - w->p < 8) {
        w->bad = 1;
        return 0.0;
    }
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = w->little ? w->p[i] : w->p[7 - i];
    w->p += 8;
    uint64_t bits = 0;
    for (int i = 7; i >= 0; i--)
        bits = bits << 8 | b[i];
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

static int grow(rg_parts *p, size_t more_points)
{
    /* xy and ends grow by doubling; capacities are kept implicitly as powers of two. */
    size_t need = p->npoints + more_points;
    size_t cap = 16;
    while (cap < need)
        cap *= 2;
    double *xy = realloc(p->xy, cap * 2 * sizeof *xy);
    if (!xy)
        return -1;
    p->xy = xy;
    size_t ecap = 16;
    while (ecap < p->nparts + 1)
        ecap *= 2;
    size_t *ends = realloc(p->ends, ecap * sizeof *ends);
    if (!ends)
        return -1;
    p->ends = ends;
    return 0;
}

/* Read `n` points of `dims` ordinates into a new part of p (only x, y kept). */
static int read_run(struct wkb *w, rg_parts *p, uint32_t n, int dims)
{
    if ((size_t)(w->end - w->p) < (size_t)n * (size_t)dims * 8u) {
        w->bad = 1;
        return -1;
    }
    if (grow(p, n) != 0)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        double x = read_f64(w), y = read_f64(w);
        for (int d = 2; d < dims; d++)
            (void)read_f64(w);
        p->xy[2 * p->npoints] = x;
        p->xy[2 * p->npoints + 1] = y;
        p->npoints++;
    }
    p->ends[p->nparts++] = p->npoints;
    return 0;
}

static int read_geometry(struct wkb *w, rg_shape *s, int depth)
{
    if (depth > 16 || w->end - w->p < 5)
        return -1;
    w->little = *w->p++ == 1;
    uint32_t type = read_u32(w);
    int dims = 2 + (type / 1000 == 1 || type / 1000 == 2) + 2 * (type / 1000 == 3);
    switch (type % 1000) {
    case 1: { /* Point; an empty point is NaN, NaN */
        if (read_run(w, &s->points, 1, dims) != 0)
            return -1;
        double *xy = &s->points.xy[2 * (s->points.npoints - 1)];
        if (isnan(xy[0])) { /* an empty point: drop it again */
            s->points.npoints--;
            s->points.nparts--;
        }
        return 0;
    }
    case 2: {
        uint32_t n = read_u32(w);
        return w->bad ? -1 : n == 0 ? 0 : read_run(w, &s->lines, n, dims);
    }
    case 3: {
        uint32_t nrings = read_u32(w);
        for (uint32_t r = 0; r < nrings && !w->bad; r++) {
            uint32_t n = read_u32(w);
            if (n > 0 && read_run(w, &s->rings, n, dims) != 0)
                return -1;
        }
        return w->bad ? -1 : 0;
    }
    case 4:
    case 5:
    case 6:
    case 7: {
        uint32_t n = read_u32(w);
        for (uint32_t i = 0; i < n && !w->bad; i++)
            if (read_geometry(w, s, depth + 1) != 0)
                return -1;
        return w->bad ? -1 : 0;
    }
    default: return -1;
    }
}

int rg_shape_from_geometry(rg_shape *out, bz_context *ctx, const GEOSGeometry *g)
{
    memset(out, 0, sizeof *out);
    unsigned char *wkb = NULL;
    size_t size = 0;
    if (bz_geometry_to_wkb(&wkb, &size, ctx, g) != BZ_OK)
        return -1;
    struct wkb w = {wkb, wkb + size, 1, 0};
    int rc = read_geometry(&w, out, 0);
    bz_free(wkb);
    if (rc != 0)
        rg_shape_free(out);
    return rc;
}

static void parts_free(rg_parts *p)
{
    free(p->xy);
    free(p->ends);
    memset(p, 0, sizeof *p);
}

void rg_shape_free(rg_shape *s)
{
    if (!s)
        return;
    parts_free(&s->rings);
    parts_free(&s->lines);
    parts_free(&s->points);
}

/* seggrid.c — a static grid index over plane segments: each segment is listed in every cell
 * its bounding box meets. */
#include "core/seggrid.h"
#include "core/coords.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */

static size_t cell_of(double v, double min, double cell, size_t n)
{
    double c = floor((v - min) / cell);
    if (!(c > 0))
        return 0;
    if (c >= (double)(n - 1))
        return n - 1;
    return (size_t)c;
}

/* The cells [x0, x1] × [y0, y1] of the grid that the bounding box of segment s meets. */
static void seg_cells(const bzi_seggrid *gr, const double *s, size_t *x0, size_t *x1, size_t *y0,
                      size_t *y1)
{
    *x0 = cell_of(fmin(s[0], s[2]), gr->minx, gr->cell, gr->nx);
    *x1 = cell_of(fmax(s[0], s[2]), gr->minx, gr->cell, gr->nx);
    *y0 = cell_of(fmin(s[1], s[3]), gr->miny, gr->cell, gr->ny);
    *y1 = cell_of(fmax(s[1], s[3]), gr->miny, gr->cell, gr->ny);
}

int bzi_seggrid_build(bzi_seggrid *gr, const double *seg, size_t nseg)
{
    memset(gr, 0, sizeof *gr);
    gr->seg = seg;
    gr->nseg = nseg;
    if (nseg == 0)
        return 0;
    double ext[4];
    bzi_points_extent(seg, 2 * nseg, ext);
    double minx = ext[0], miny = ext[1], w = ext[2] - ext[0], hgt = ext[3] - ext[1];
    /* About one segment per cell for evenly spread segments. */
    double cell = sqrt(w * hgt / (double)nseg);
    if (!(cell > 0))
        cell = fmax(w, hgt) / (double)nseg;
    if (!(cell > 0))
        cell = 1.0;
    size_t nx, ny;
    for (;;) {
        nx = (size_t)(w / cell) + 1;
        ny = (size_t)(hgt / cell) + 1;
        if ((double)nx * (double)ny <= 4.0 * (double)nseg + 16.0)
            break;
        cell *= 2;
    }
    gr->minx = minx;
    gr->miny = miny;
    gr->cell = cell;
    gr->nx = nx;
    gr->ny = ny;
    gr->start = calloc(nx * ny + 1, sizeof *gr->start);
    if (!gr->start)
        goto nomem;
    for (size_t i = 0; i < nseg; i++) {
        size_t x0, x1, y0, y1;
        seg_cells(gr, seg + 4 * i, &x0, &x1, &y0, &y1);
        for (size_t y = y0; y <= y1; y++)
            for (size_t x = x0; x <= x1; x++)
                gr->start[y * nx + x + 1]++;
    }
    for (size_t c = 0; c < nx * ny; c++)
        gr->start[c + 1] += gr->start[c];
    gr->items = malloc((gr->start[nx * ny] ? gr->start[nx * ny] : 1) * sizeof *gr->items);
    size_t *fill = malloc(nx * ny * sizeof *fill);
    if (!gr->items || !fill) {
        free(fill);
        goto nomem;
    }
    memcpy(fill, gr->start, nx * ny * sizeof *fill);
    for (size_t i = 0; i < nseg; i++) {
        size_t x0, x1, y0, y1;
        seg_cells(gr, seg + 4 * i, &x0, &x1, &y0, &y1);
        for (size_t y = y0; y <= y1; y++)
            for (size_t x = x0; x <= x1; x++)
                gr->items[fill[y * nx + x]++] = i;
    }
    free(fill);
    return 0;
nomem:
    bzi_seggrid_free(gr);
    return -1;
}

void bzi_seggrid_free(bzi_seggrid *gr)
{
    free(gr->start);
    free(gr->items);
    memset(gr, 0, sizeof *gr);
}

int bzi_seggrid_query(const bzi_seggrid *gr, double x0, double y0, double x1, double y1,
                      int (*visit)(void *arg, size_t i), void *arg)
{
    if (!gr->start || !gr->items)
        return 0;
    double maxx = gr->minx + gr->cell * (double)gr->nx;
    double maxy = gr->miny + gr->cell * (double)gr->ny;
    if (x1 < gr->minx || y1 < gr->miny || x0 > maxx || y0 > maxy)
        return 0;
    size_t cx0 = cell_of(x0, gr->minx, gr->cell, gr->nx);
    size_t cx1 = cell_of(x1, gr->minx, gr->cell, gr->nx);
    size_t cy0 = cell_of(y0, gr->miny, gr->cell, gr->ny);
    size_t cy1 = cell_of(y1, gr->miny, gr->cell, gr->ny);
    for (size_t y = cy0; y <= cy1; y++) {
        for (size_t x = cx0; x <= cx1; x++) {
            size_t c = y * gr->nx + x;
            for (size_t k = gr->start[c]; k < gr->start[c + 1]; k++) {
                int r = visit(arg, gr->items[k]);
                if (r)
                    return r;
            }
        }
    }
    return 0;
}

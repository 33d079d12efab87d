/* core/seggrid.h — a static grid index over plane segments (seggrid.c). */
#ifndef BZ_CORE_SEGGRID_H
#define BZ_CORE_SEGGRID_H

#include <stddef.h>

/*
 * A static grid index over n segments given as x0, y0, x1, y1 (borrowed: `seg` must outlive
 * the grid). Queries visit every segment whose bounding box may meet a box; a segment can be
 * visited more than once.
 */
typedef struct bzi_seggrid {
    const double *seg;
    size_t nseg;
    double minx, miny, cell;
    size_t nx, ny;
    size_t *start; /* nx * ny + 1 offsets into items */
    size_t *items; /* segment indices, cell after cell */
} bzi_seggrid;

/* Build the grid; returns 0, or -1 when memory runs out (the grid is then empty). */
int bzi_seggrid_build(bzi_seggrid *grid, const double *seg, size_t nseg);
void bzi_seggrid_free(bzi_seggrid *grid);
/* Call visit(arg, i) for candidate segments meeting [x0, x1] x [y0, y1] until it returns
 * non-zero; returns that value (0 if every candidate was visited). */
int bzi_seggrid_query(const bzi_seggrid *grid, double x0, double y0, double x1, double y1,
                      int (*visit)(void *arg, size_t i), void *arg);

#endif

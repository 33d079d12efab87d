/* coords.h — a growable buffer of lon/lat (x, y) pairs (implemented in coords.c). */
#ifndef BZ_COORDS_H
#define BZ_COORDS_H

#include <stddef.h>

/* Points one after another as x0, y0, x1, y1, ...; zero-initialise before use, free(v) after.
 * Setting n = 0 empties it but keeps the memory for the next use. */
typedef struct bzi_coords {
    double *v;
    size_t n, cap; /* in doubles */
} bzi_coords;

/* Append the point (x, y). Returns 0, or -1 if memory ran out (the buffer is unchanged). */
int bzi_coords_push2(bzi_coords *b, double x, double y);
/* Append (x, y) unless it repeats the last point. 0, or -1 if memory ran out. */
int bzi_coords_push2_distinct(bzi_coords *b, double x, double y);

/* The extent of n points given as x0, y0, x1, y1, ...: ext = {min x, min y, max x, max y}
 * (infinities the wrong way round for n = 0). */
void bzi_points_extent(const double *xy, size_t n, double ext[4]);

#endif

/* coords.c — a growable buffer of lon/lat pairs, shared by the modules that build lines and
 * rings point by point (derive.c, sides.c). */
#include "core/coords.h"
#include "core/grow.h"

#include <math.h>
#include <stdlib.h>

int bzi_coords_push2(bzi_coords *b, double x, double y)
{
    if (BZI_GROW(b->v, b->cap, b->n + 2))
        return -1;
    b->v[b->n++] = x;
    b->v[b->n++] = y;
    return 0;
}

int bzi_coords_push2_distinct(bzi_coords *b, double x, double y)
{
    if (b->n >= 2 && b->v[b->n - 2] == x && b->v[b->n - 1] == y)
        return 0;
    return bzi_coords_push2(b, x, y);
}

void bzi_points_extent(const double *xy, size_t n, double ext[4])
{
    ext[0] = ext[1] = INFINITY;
    ext[2] = ext[3] = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        ext[0] = fmin(ext[0], xy[2 * i]);
        ext[1] = fmin(ext[1], xy[2 * i + 1]);
        ext[2] = fmax(ext[2], xy[2 * i]);
        ext[3] = fmax(ext[3], xy[2 * i + 1]);
    }
}

/* coords.c — a growable buffer of lon/lat pairs, shared by the modules that build lines and
 * rings point by point (derive.c, sides.c). */
#include "core/coords.h"

#include <stdlib.h>

int bzi_coords_push2(bzi_coords *b, double x, double y)
{
    if (b->n + 2 > b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 256;
        double *v = realloc(b->v, cap * sizeof *v);
        if (!v)
            return -1;
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = x;
    b->v[b->n++] = y;
    return 0;
}

/* coords.c — a growable buffer of lon/lat pairs, shared by the modules that build lines and
 * rings point by point (derive.c, sides.c). */
#include "core/coords.h"
#include "core/grow.h"

#include <stdlib.h>

int bzi_coords_push2(bzi_coords *b, double x, double y)
{
    if (BZI_GROW(b->v, b->cap, b->n + 2))
        return -1;
    b->v[b->n++] = x;
    b->v[b->n++] = y;
    return 0;
}

/* grow.c — the one way to grow an array: the capacity doubles, the pointer is updated only when
 * realloc succeeds (so an error path can still free what it has). Every growable array of core/,
 * geo/ and zones/ uses it; core/coords.h and core/polygon.h's geometry list are two typed
 * arrays on top of it. */
#include "core/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int bzi_grow(void *vp, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return -1;
        n *= 2;
    }
    if (elem && n > SIZE_MAX / elem)
        return -1;
    /* The pointer is read and written as bytes: vp points at a T *, not at a void *. */
    void *v;
    memcpy(&v, vp, sizeof v);
    void *grown = realloc(v, n * elem);
    if (!grown)
        return -1;
    memcpy(vp, &grown, sizeof grown);
    *cap = n;
    return 0;
}

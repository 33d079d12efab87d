/* core/grow.h — the one way to grow an array (grow.c). */
#ifndef BZ_CORE_GROW_H
#define BZ_CORE_GROW_H

#include <stddef.h>

/*
 * Make room for `need` elements of `elem` bytes in the array *vp points at (any T **, passed as
 * &array), whose capacity is *cap elements. Nothing happens when *cap >= need; otherwise the
 * capacity at least doubles (from 16), so that appending one element at a time is amortised
 * O(1). Returns 0, or -1 when memory runs out or the size overflows: the array and *cap are
 * then unchanged (still valid, still owned by the caller).
 *
 *     if (BZI_GROW(b->v, b->cap, b->n + 1)) return -1;
 *     b->v[b->n++] = x;
 */
int bzi_grow(void *vp, size_t *cap, size_t need, size_t elem);

/* bzi_grow for an array `v` of its own element type, capacity `cap`, both lvalues. */
#define BZI_GROW(v, cap, need) bzi_grow(&(v), &(cap), (need), sizeof *(v))

#endif

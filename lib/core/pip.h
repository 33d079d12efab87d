/* core/pip.h — point in polygon by crossing counts over strips of edges (pip.c). */
#ifndef BZ_CORE_PIP_H
#define BZ_CORE_PIP_H

#include "core/coords.h"

#include <geos_c.h>
#include <stddef.h>

/*
 * The ring edges of a polygonal geometry, sorted into strips across its longer extent, so that
 * "is this point inside?" counts the crossings of a ray with the few edges of one strip. Built
 * once, then only read: threads may query it at once, and it holds nothing of GEOS.
 * Zero-initialise; free with bzi_pip_free.
 */
typedef struct bzi_pip {
    bzi_coords segs; /* x0, y0, x1, y1 of every edge, in the frame (swapped when `swap`) */
    int swap;        /* the frame is (y, x): its strips then run across the geometry's x */
    double minx, miny, maxx, maxy; /* the edges' extent, in the frame */
    double strip;                  /* the strips' height (frame y) */
    size_t nstrips;
    size_t *start; /* nstrips + 1 offsets into items */
    size_t *items; /* edge indices, strip after strip */
} bzi_pip;

/* Index the edges of every ring of g's polygons (lines and points are skipped; an empty g holds
 * nothing). 0, or BZI_E_NOMEM / BZI_E_GEOS (core/polygon.h); on failure p holds nothing. */
int bzi_pip_build(GEOSContextHandle_t h, const GEOSGeometry *g, bzi_pip *p);
/* 1 if (x, y) is inside the polygons (an odd number of ring edges cross the ray from it), else
 * 0. A point on an edge may come out either way. */
int bzi_pip_contains(const bzi_pip *p, double x, double y);
void bzi_pip_free(bzi_pip *p);

#endif

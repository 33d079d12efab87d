/*
 * render_geom.h — a geometry flattened for drawing: its rings, lines and points as plain
 * lon/lat arrays. The tools see geometries only through the public API, so the coordinates are
 * taken from the geometry's WKB (bz_geometry_to_wkb), which is a simple, documented format.
 */
#ifndef BZ_RENDER_GEOM_H
#define BZ_RENDER_GEOM_H

#include <bufferzone.h>

#include <stddef.h>

/* A run of parts: rings (of polygons), lines, or single points. */
typedef struct rg_parts {
    double *xy;     /* lon, lat pairs of every part, one part after another */
    size_t npoints; /* number of pairs in xy */
    size_t *ends;   /* ends[k] = index (in pairs) one past part k's last point */
    size_t nparts;
} rg_parts;

/* Everything drawable in one geometry, by kind. Polygon rings of one geometry are drawn as one
 * path with the even-odd rule, so holes stay holes. */
typedef struct rg_shape {
    rg_parts rings;
    rg_parts lines;
    rg_parts points;
} rg_shape;

/* Flatten g. Returns 0, or -1 when the WKB cannot be had or read (out of memory, corrupt). */
int rg_shape_from_geometry(rg_shape *out, bz_context *ctx, const GEOSGeometry *g);
void rg_shape_free(rg_shape *s);

#endif

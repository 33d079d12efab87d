/* antimeridian.h — polygon inputs read the library's one way (implemented in antimeridian.c). */
#ifndef BZ_ANTIMERIDIAN_H
#define BZ_ANTIMERIDIAN_H

#include "core/context.h"
#include "geo/geodesic.h"

/*
 * How every polygon that enters the library (region, territory, zone polygon) is read, applied
 * once where it enters (bz_zones_compute, bz_zones_from_polygon, bz_line_derive,
 * bz_territory_diff, bz_intersection_area):
 *  - a ring's consecutive longitudes are taken the short way round (a step of more than 180° is
 *    a crossing of the antimeridian), as lines are read; a ring that still does not close (one
 *    round a pole) is left as it was;
 *  - an edge between two vertices is straight in lon/lat (RFC 7946 §3.1.1): edges longer than
 *    bzi_lonlat_edge_m are cut into equal lon/lat steps, so that GEOS's chords (clipping,
 *    splitting) and the ellipsoidal areas (geodesic edges) read the same shape within 1 cm;
 *  - each part is moved by whole turns into the longitude frame [center - 180, center + 180]
 *    (the contact line's frame), a part that sticks out of it is cut at its edges, and parts
 *    that meet across the antimeridian are united.
 * *out receives a new MultiPolygon, or NULL when nothing changes (then use g itself). Inputs
 * that are not polygonal are left alone (*out NULL) for the caller's type check. `what` names
 * the input in messages.
 */
int bzi_polygon_frame(bz_context *ctx, const GEOSGeometry *g, double center, const char *what,
                      GEOSGeometry **out);

/* Only the first step: every ring read the short way round (a new Polygon/MultiPolygon in *out,
 * NULL when no ring crosses the antimeridian that way). For readers, before validity checks. */
int bzi_polygon_unwrap(bz_context *ctx, const GEOSGeometry *g, GEOSGeometry **out);

/* The middle of the line's longitude range (its frame's centre). */
double bzi_line_center(const bz_line *line);

/* *out = a frame centre for polygons alone: opposite the widest longitude gap that none of the
 * (non-NULL) geometries' rings cover, read the short way round; 0 when they cover every
 * longitude or there are none. Returns BZ_OK, BZ_ERR_NOMEM or BZ_ERR_GEOS. */
int bzi_polygons_center(bz_context *ctx, const GEOSGeometry *const *g, size_t n, double *out);

/* A polygon input borrowed or owned: `use` is what to compute with, `own` what to free. */
typedef struct bzi_framed {
    const GEOSGeometry *use;
    GEOSGeometry *own;
} bzi_framed;

/* bzi_polygon_frame into a bzi_framed (g NULL gives use = NULL). */
int bzi_framed_make(bz_context *ctx, const GEOSGeometry *g, double center, const char *what,
                    bzi_framed *f);
void bzi_framed_free(bz_context *ctx, bzi_framed *f);

#endif

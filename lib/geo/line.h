/* geo/line.h — the contact line object (line.c). geo/ sits on core/ only. */
#ifndef BZ_GEO_LINE_H
#define BZ_GEO_LINE_H

#include "core/context.h"

struct bz_line {
    bz_context *ctx;    /* the context that made it (for GEOS frees) */
    GEOSGeometry *geom; /* MultiLineString, unwrapped lon/lat */
    size_t nparts;
    size_t *part_start; /* nparts + 1 offsets (in points) into coords */
    double *coords;     /* lon, lat pairs of every part, part after part */
    /* static spatial index over segments (geo/line_index.h), built at construction and
     * read-only after */
    struct bzi_line_index *index;
};

/* A deep copy of a line (coordinates, geometry, index; nothing validated or computed again)
 * owned by ctx. The caller frees it with bz_line_free. */
int bzi_line_copy(bz_line **out, bz_context *ctx, const bz_line *line);
/* Build a line that takes ownership of `coords` (malloc'ed lon/lat pairs, already validated,
 * unwrapped and free of duplicates) and `part_start` (nparts + 1 offsets). Builds geometry and
 * index. On failure frees both arrays. */
int bzi_line_new_owned(bz_line **out, bz_context *ctx, double *coords, size_t *part_start,
                       size_t nparts);

/* The extent of the line's (unwrapped) vertices: box = {lon min, lon max, lat min, lat max}. */
void bzi_line_bounds(const bz_line *line, double box[4]);

/* The part of `line` that holds vertex v (a global index into line->coords), by bisection. */
size_t bzi_line_part_of(const bz_line *line, size_t v);

/* 1 if part k is closed, else 0: its last vertex is its first, or its first moved by whole
 * turns of longitude (a ring round a pole: longitudes are stored unwrapped, so such a ring ends
 * a turn east or west of where it starts). *turn_deg (may be NULL) receives the last vertex's
 * longitude minus the first's: 0, or a multiple of 360 for a ring round a pole. */
int bzi_line_part_closed(const bz_line *line, size_t k, double *turn_deg);

/* 1 if (x, y) is an end (first or last vertex) of a part other than k, else 0. */
int bzi_line_end_of_other(const bz_line *line, size_t k, double x, double y);

#endif

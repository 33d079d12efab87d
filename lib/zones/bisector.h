/* bisector.h — where a multi-part line's parts are equally near (implemented in bisector.c). */
#ifndef BZ_BISECTOR_H
#define BZ_BISECTOR_H

#include "core/context.h"

/*
 * The curves that divide the ground between the parts of a multi-part line: every point of them
 * is equally far (geodesic) from the two parts it divides. Within refine_m of the line their
 * vertices lie on the exact geodesic bisector of those two parts (to ~1 mm; where three parts'
 * curves meet, on the point equally far from all three) and no chord strays more than 0.2 m
 * from it; farther out they only keep the parts' ground apart. They run to the box
 * [x0, x1] × [y0, y1] (lon/lat) at least. *out receives a new MultiLineString (empty for a
 * line of one part). The caller frees it with GEOSGeom_destroy_r.
 */
int bzi_part_bisectors(bz_context *ctx, const bz_line *line, double refine_m, const double box[4],
                       GEOSGeometry **out);

#endif

/*
 * io/writer_style.h — a writer's styling bookkeeping (writer_style.c): what to style, each
 * feature's look, and the QGIS styles written at commit.
 */
#ifndef BZ_IO_WRITER_STYLE_H
#define BZ_IO_WRITER_STYLE_H

#include "io/writer_state.h"

/* Remember the kind, side and geometry class of a feature (when w->style): the styles' rules. */
int bzi_writer_note_item(bz_writer *w, const bz_feature_attrs *a, int cls);

/* The look of a feature (colours per side: the first side seen gets the first pair). */
int bzi_writer_look(bzi_look *look, bz_writer *w, const bz_feature_attrs *a, int cls);

/* GeoJSON: "<name>.qml" beside the file; a Shapefile set: "<stem>_<class>.qml" beside each
 * .shp; GeoPackage / SQLite: the layer_styles table inside. */
int bzi_writer_write_styles(bz_writer *w, bzi_gdal_quiet *q);

#endif

/*
 * io/style.h — QGIS styles (QML) for what the writer (writer.c) writes: the same look as its
 * simplestyle properties and bz-render's maps (all from palette.h), so that QGIS, geojson.io,
 * GitHub and bz-render look alike.
 */
#ifndef BZ_IO_STYLE_H
#define BZ_IO_STYLE_H

#include "io/gdal.h"
#include "io/palette.h"

#include <stddef.h>

/* How a feature of `kind` (NULL = none) and `side` (NULL = none; else `colour` is its colour
 * index, first seen = 0) of geometry class `cls` (0 points, 1 lines, 2 polygons) is drawn:
 * bz-render's look (palette.h), for the QGIS styles and the simplestyle properties alike. */
bzi_look bzi_style_look(const char *kind, const char *side, size_t colour, int cls);

/* One kind of feature a layer holds: its kind ("zone", ... or NULL), side (NULL = none; then
 * `colour` is unused), the side's colour index, and its geometry class (0 points, 1 lines,
 * 2 polygons, -1 a mix, which no symbol draws). */
typedef struct bzi_style_item {
    const char *kind;
    const char *side;
    size_t colour;
    int cls;
} bzi_style_item;

/*
 * The QML document (QGIS 3 style: symbology and labels) for a layer holding `items` (distinct
 * kind/side/class, in the order first written). one_kind: every item has the same kind (a
 * GeoPackage layer): a categorised renderer on "side" (single symbol for a kind without sides,
 * and for the contact line and buffer zone); else a rule-based renderer on "kind" and "side"
 * whose rules each draw one geometry type, so that one document serves every geometry type of
 * a mixed GeoJSON file. Zones get labels of their area_km2 where they fit. *out is malloc'ed.
 */
int bzi_style_qml(char **out, bz_context *ctx, const bzi_style_item *items, size_t n, int one_kind);

/* The same look as an SLD 1.1 document (OGC Symbology Encoding) for the layer named `layer`,
 * for the styleSLD column of layer_styles. *out is malloc'ed. */
int bzi_style_sld(char **out, bz_context *ctx, const char *layer, const bzi_style_item *items,
                  size_t n, int one_kind);

/* Write `qml` as the file `dir`/`name` (a new file, flushed to disk): a sidecar in the writer's
 * temporary directory, committed with the output. `shown` names the output in messages. */
int bzi_style_sidecar(bz_context *ctx, const char *dir, const char *name, const char *qml,
                      const char *shown);

/*
 * QGIS's style table in a GeoPackage (or SQLite) dataset being written: "layer_styles" as
 * QGIS creates it (an attribute table with an "id" key, registered in gpkg_contents by GDAL),
 * and one row per layer: `qml` (and `sld`) as the layer's default style. QGIS applies it when it
 * opens the layer. *table is made on the first call (pass a NULL one).
 */
int bzi_style_table_add(OGRLayerH *table, bz_context *ctx, GDALDatasetH ds, OGRLayerH layer,
                        const char *qml, const char *sld, const char *shown, bzi_gdal_quiet *q);

#endif

/*
 * io/writer_style.c — what a writer remembers to style its output: the colour index of each
 * side, the distinct kind / side / geometry class written (the QGIS styles' rules, style.c),
 * the look of each feature (its simplestyle properties), and writing the styles at commit.
 */
#include "io/writer_style.h"
#include "io/output.h"
#include "core/context.h"
#include "core/text.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define class_suffix bzi_shp_class_suffix

/* Colours per side (first side seen gets the first pair, style.c): zone fill, line stroke. */
static int side_index(bz_writer *w, const char *side, size_t *index)
{
    for (size_t i = 0; i < w->nsides; i++)
        if (strcmp(w->sides[i], side) == 0) {
            *index = i;
            return BZ_OK;
        }
    char **grown = realloc(w->sides, (w->nsides + 1) * sizeof *grown);
    if (!grown)
        return bzi_nomem(w->ctx, "remembering side names");
    w->sides = grown;
    w->sides[w->nsides] = bzi_dup_text(side);
    if (!w->sides[w->nsides])
        return bzi_nomem(w->ctx, "remembering side names");
    *index = w->nsides++;
    return BZ_OK;
}

/* Remember each distinct kind, side and geometry class written: the QGIS styles' rules. */
int bzi_writer_note_item(bz_writer *w, const bz_feature_attrs *a, int cls)
{
    if (!w->style)
        return BZ_OK;
    size_t colour = 0;
    if (a->side) {
        int rc = side_index(w, a->side, &colour);
        if (rc != BZ_OK)
            return rc;
    }
    for (size_t i = 0; i < w->nitems; i++) {
        const bzi_style_item *it = &w->items[i];
        if (it->cls == cls && (it->side ? a->side && colour == it->colour : !a->side) &&
            (it->kind ? a->kind && strcmp(it->kind, a->kind) == 0 : !a->kind))
            return BZ_OK;
    }
    bzi_style_item *grown = realloc(w->items, (w->nitems + 1) * sizeof *grown);
    if (!grown)
        return bzi_nomem(w->ctx, "remembering what to style");
    w->items = grown;
    bzi_style_item *it = &w->items[w->nitems];
    it->kind = a->kind ? bzi_dup_text(a->kind) : NULL;
    if (a->kind && !it->kind)
        return bzi_nomem(w->ctx, "remembering what to style");
    it->side = a->side ? w->sides[colour] : NULL; /* the strings stay put when sides grows */
    it->colour = colour;
    it->cls = cls;
    w->nitems++;
    return BZ_OK;
}

int bzi_writer_look(bzi_look *look, bz_writer *w, const bz_feature_attrs *a, int cls)
{
    size_t colour = 0;
    if (a->side) {
        int rc = side_index(w, a->side, &colour);
        if (rc != BZ_OK)
            return rc;
    }
    *look = bzi_style_look(a->kind, a->side, colour, cls == CLASS_POLYGON ? 2 : 1);
    return BZ_OK;
}

static const char *item_key(const bzi_style_item *it)
{
    return it->kind && it->kind[0] ? it->kind : "features"; /* as layer_for names the layer */
}

/* The QML for layer l (NULL: the one layer of a GeoJSON file, which holds every item); and
 * when sld is not NULL, the same as SLD. */
static int layer_qml(char **qml, char **sld, bz_writer *w, const out_layer *l)
{
    bzi_style_item *sel = malloc((w->nitems ? w->nitems : 1) * sizeof *sel);
    if (!sel)
        return bzi_nomem(w->ctx, "making a QGIS style");
    size_t n = 0;
    for (size_t i = 0; i < w->nitems; i++) {
        const bzi_style_item *it = &w->items[i];
        if (!l || (it->cls == l->cls &&
                   (w->layout == LAYOUT_PER_TYPE || strcmp(item_key(it), l->kind) == 0)))
            sel[n++] = *it;
    }
    int rc = bzi_style_qml(qml, w->ctx, sel, n, w->layout == LAYOUT_PER_KIND);
    if (rc == BZ_OK && sld)
        rc =
            bzi_style_sld(sld, w->ctx, l ? l->name : w->stem, sel, n, w->layout == LAYOUT_PER_KIND);
    free(sel);
    return rc;
}

/* GeoJSON: "<name>.qml" beside the file; a Shapefile set: "<stem>_<class>.qml" beside each
 * .shp; GeoPackage / SQLite: the layer_styles table inside. Sidecars are written into the
 * temporary directory and committed with the output, all or nothing. */
int bzi_writer_write_styles(bz_writer *w, bzi_gdal_quiet *q)
{
    if (!w->style)
        return BZ_OK;
    int rc = BZ_OK;
    char name[PATH_MAX];
    if (w->geojson) {
        char *qml = NULL;
        rc = layer_qml(&qml, NULL, w, NULL);
        const char *dot = strrchr(w->base, '.');
        int len = dot && dot != w->base ? (int)(dot - w->base) : (int)strlen(w->base);
        snprintf(name, sizeof name, "%.*s.qml", len, w->base);
        if (rc == BZ_OK)
            rc = bzi_style_sidecar(w->ctx, w->tmpdir, name, qml, w->path);
        free(qml);
        return rc;
    }
    OGRLayerH table = NULL;
    for (size_t i = 0; rc == BZ_OK && i < w->nlayers; i++) {
        char *qml = NULL, *sld = NULL;
        int per_kind = w->layout == LAYOUT_PER_KIND;
        rc = layer_qml(&qml, per_kind ? &sld : NULL, w, &w->layers[i]);
        if (rc == BZ_OK && per_kind) {
            rc = bzi_style_table_add(&table, w->ctx, w->ds, w->layers[i].layer, qml, sld, w->path,
                                     q);
        } else if (rc == BZ_OK && w->layout == LAYOUT_PER_TYPE) {
            snprintf(name, sizeof name, "%s_%s.qml", w->stem, class_suffix[w->layers[i].cls]);
            rc = bzi_style_sidecar(w->ctx, w->tmpdir, name, qml, w->path);
        }
        free(qml);
        free(sld);
    }
    return rc;
}

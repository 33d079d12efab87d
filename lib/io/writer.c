/*
 * io/writer.c — bz_writer: writing results for GIS viewers through GDAL/OGR, without ever
 * losing data.
 *
 * Every output is first written into a fresh temporary directory beside the target (same
 * file system, so the final rename is atomic); bz_writer_commit() moves the finished file(s)
 * into place (commit.c), and any failure removes the temporary directory and leaves an
 * existing target byte-identical. What is at the target decides the rest (output.c:
 * symlinks followed, FIFOs and devices streamed into, mode and owner kept, /vsimem/ through
 * GDAL). Layouts per format:
 *  - GeoJSON / most drivers: one layer, any geometry type (GeoJSON: RFC 7946, simplestyle,
 *    written directly by geojson_write.c);
 *  - ESRI Shapefile: one file per geometry type, out_polygons.shp / out_lines.shp / out_points.shp;
 *  - GeoPackage / SQLite: one layer per kind (zone, withdrawal_line, ...).
 * Styles: writer_style.c; a zone result: zones_write.c.
 */
#include "io/writer.h"
#include "io/commit.h"
#include "io/output.h"
#include "io/writer_style.h"
#include "core/context.h"
#include "core/pool.h"
#include "core/text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define class_suffix bzi_shp_class_suffix
static const OGRwkbGeometryType class_multi[] = {wkbMultiPoint, wkbMultiLineString,
                                                 wkbMultiPolygon};

/* ---------------------------------------------------------------------------------------- */
/* Writer life cycle                                                                        */
/* ---------------------------------------------------------------------------------------- */

void bzi_writer_free(bz_writer *w)
{
    if (!w)
        return;
    if (w->ds)
        GDALClose(w->ds);
    bzi_json_free(&w->json);
    if (w->tmpdir && w->vsi)
        bzi_out_rmtree_vsi(w->tmpdir);
    else if (w->tmpdir)
        bzi_tmpdir_remove(w->tmpdir);
    if (w->srs)
        OSRRelease(w->srs);
    for (size_t i = 0; i < w->nlayers; i++)
        free(w->layers[i].kind);
    free(w->layers);
    for (size_t i = 0; i < w->nitems; i++)
        free((char *)w->items[i].kind);
    free(w->items);
    for (size_t i = 0; i < w->nsides; i++)
        free(w->sides[i]);
    free(w->sides);
    free(w->path);
    free(w->dir);
    free(w->base);
    free(w->stem);
    free(w->tmpdir);
    free(w);
}

/* w->dir and w->base from `where` (the final target of a symlink, else the path itself);
 * w->stem (the layer name, and the Shapefile set's prefix) always from the path given. */
static int split_path(bz_writer *w, const char *path, const char *where)
{
    if (!w->path)
        w->path = bzi_dup_text(path);
    free(w->dir);
    free(w->base);
    free(w->stem);
    const char *slash = strrchr(where, '/');
    if (slash) {
        size_t n = (size_t)(slash - where);
        w->dir = malloc(n + 2);
        if (w->dir) {
            memcpy(w->dir, where, n ? n : 1); /* "/x" -> "/" */
            w->dir[n ? n : 1] = '\0';
        }
        w->base = bzi_dup_text(slash + 1);
    } else {
        w->dir = bzi_dup_text(".");
        w->base = bzi_dup_text(where);
    }
    slash = strrchr(path, '/');
    w->stem = bzi_dup_text(slash ? slash + 1 : path);
    if (!w->path || !w->dir || !w->base || !w->stem)
        return bzi_nomem(w->ctx, "opening a writer");
    char *dot = strrchr(w->stem, '.');
    if (dot && dot != w->stem)
        *dot = '\0';
    return BZ_OK;
}

/* The directory was checked by bzi_output_check (exists, writable). */
static int make_tmpdir(bz_writer *w)
{
    w->tmpdir = bzi_out_mkdtemp(w->dir, w->base, w->vsi);
    if (!w->tmpdir && errno == ENOMEM)
        return bzi_nomem(w->ctx, "opening a writer");
    if (!w->tmpdir)
        return bzi_error(w->ctx, BZ_ERR_IO, "cannot write %s: cannot create a file in %s: %s",
                         w->path, w->dir, strerror(errno));
    return BZ_OK;
}

/* The GeoJSON file in the temporary directory (or the stream itself), opened with its head. */
static int open_json(bz_writer *w)
{
    char *target = w->stream ? bzi_dup_text(w->path) : bzi_path_join(w->tmpdir, w->base);
    if (!target)
        return bzi_nomem(w->ctx, "opening a writer");
    int how = w->vsi ? BZI_JSON_VSI : w->stream ? BZI_JSON_STREAM : BZI_JSON_FILE;
    int rc = bzi_json_open(&w->json, target, how, w->stream_fd, w->path, w->stem);
    free(target);
    return rc;
}

/* Where GDAL writes the output: the temporary directory itself for a Shapefile set (one .shp
 * per layer inside it), else the target's name inside it. NULL when out of memory. */
static char *dataset_path(const bz_writer *w)
{
    return w->layout == LAYOUT_PER_TYPE ? bzi_dup_text(w->tmpdir)
                                        : bzi_path_join(w->tmpdir, w->base);
}

/* The GDAL configuration option that turns GDALCreate's check of creation options on or off. */
#define VALIDATE_OPTIONS_KEY "GDAL_VALIDATE_CREATION_OPTIONS"

static int create_dataset(bz_writer *w, GDALDriverH drv, bzi_gdal_quiet *q)
{
    /* A Shapefile "dataset" on a directory makes one .shp per layer inside it. */
    char *target = dataset_path(w);
    if (!target)
        return bzi_nomem(w->ctx, "opening a writer");
    /* GDALCreate checks the creation options (none here) against the driver's list of them,
     * which GDAL 3.6's GeoPackage driver fills in on that first request, unguarded
     * (GDALGPKGDriver::InitializeCreationOptionList): a thread creating its first .gpkg then
     * reallocates the driver's metadata while others read it (every GDALOpenEx and GDALCreate
     * does), a race helgrind reported in CI (tests/test_io_threads.c). With no options there is
     * nothing to check: turned off for this call, on this thread only, the list is never asked
     * for. (Asking for every driver's list once at registration cost 11-15 ms per process.) */
    const char *was = CPLGetThreadLocalConfigOption(VALIDATE_OPTIONS_KEY, NULL);
    char *saved = was ? CPLStrdup(was) : NULL;
    CPLSetThreadLocalConfigOption(VALIDATE_OPTIONS_KEY, "NO");
    w->ds = GDALCreate(drv, target, 0, 0, 0, GDT_Unknown, NULL);
    CPLSetThreadLocalConfigOption(VALIDATE_OPTIONS_KEY, saved); /* NULL: unset again */
    CPLFree(saved);
    free(target);
    if (!w->ds)
        return bzi_error(w->ctx, BZ_ERR_IO, "cannot create %s (%s): %s", w->path,
                         GDALGetDriverShortName(drv), bzi_gdal_msg(q));
    return BZ_OK;
}

static int create_fields(bz_writer *w, OGRLayerH layer, bzi_gdal_quiet *q)
{
    static const struct {
        const char *name;
        OGRFieldType type;
        int geojson_only;
    } fields[] = {
        {"kind", OFTString, 0},         {"side", OFTString, 0},       {"name", OFTString, 0},
        {"distance_m", OFTReal, 0},     {"area_km2", OFTReal, 0},     {"length_km", OFTReal, 0},
        {"fill", OFTString, 1},         {"fill-opacity", OFTReal, 1}, {"stroke", OFTString, 1},
        {"stroke-opacity", OFTReal, 1}, {"stroke-width", OFTReal, 1},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (fields[i].geojson_only && !w->geojson)
            continue;
        OGRFieldDefnH fd = OGR_Fld_Create(fields[i].name, fields[i].type);
        if (!fd)
            return bzi_nomem(w->ctx, "defining fields");
        OGRErr err = OGR_L_CreateField(layer, fd, 1);
        OGR_Fld_Destroy(fd);
        if (err != OGRERR_NONE)
            return bzi_error(w->ctx, BZ_ERR_IO, "writing %s: cannot create field '%s': %s", w->path,
                             fields[i].name, bzi_gdal_msg(q));
    }
    return BZ_OK;
}

static int create_layer(OGRLayerH *out, bz_writer *w, const char *name, OGRwkbGeometryType type,
                        bzi_gdal_quiet *q)
{
    char **lco = NULL;
    if (w->geojson) {
        lco = CSLSetNameValue(lco, "RFC7946", "YES");
        lco = CSLSetNameValue(lco, "COORDINATE_PRECISION", "7");
    }
    if (w->layout == LAYOUT_PER_TYPE)
        lco = CSLSetNameValue(lco, "ENCODING", "UTF-8"); /* and a .cpg saying so */
    if (w->csv)
        lco = CSLSetNameValue(lco, "GEOMETRY", "AS_WKT"); /* else CSV drops the geometry */
    OGRLayerH layer = GDALDatasetCreateLayer(w->ds, name, w->srs, type, lco);
    CSLDestroy(lco);
    if (!layer)
        return bzi_error(w->ctx, BZ_ERR_IO, "writing %s: cannot create layer '%s': %s", w->path,
                         name, bzi_gdal_msg(q));
    int rc = create_fields(w, layer, q);
    if (rc != BZ_OK)
        return rc;
    *out = layer;
    return BZ_OK;
}

static int writer_setup(bz_writer *w, const char *path, const bz_write_options *opts,
                        bzi_gdal_quiet *q)
{
    int rc = split_path(w, path, path);
    if (rc != BZ_OK)
        return rc;
    const char *format = opts && opts->format ? opts->format : bzi_driver_for(w->base);
    if (!format && bzi_output_is_stream(path))
        format = "GeoJSON"; /* /dev/stdout, a FIFO: the one format that can be streamed */
    if (!format)
        return bzi_error(w->ctx, BZ_ERR_ARGUMENT,
                         "cannot tell the output format of %s from its extension: name it "
                         "(.geojson, .shp, .gpkg, .fgb, .kml) or set the format option",
                         path);
    GDALDriverH drv = GDALGetDriverByName(format);
    if (!drv || !GDALGetMetadataItem(drv, GDAL_DCAP_VECTOR, NULL) ||
        !GDALGetMetadataItem(drv, GDAL_DCAP_CREATE, NULL))
        return bzi_error(w->ctx, BZ_ERR_ARGUMENT, "no OGR driver '%s' that can write vector files",
                         format);
    const char *name = GDALGetDriverShortName(drv);
    w->geojson = strcmp(name, "GeoJSON") == 0;
    w->csv = strcmp(name, "CSV") == 0;
    w->needs_geometry = strcmp(name, "FlatGeobuf") == 0;
    if (strcmp(name, "ESRI Shapefile") == 0)
        w->layout = LAYOUT_PER_TYPE;
    else if (strcmp(name, "GPKG") == 0 || strcmp(name, "SQLite") == 0)
        w->layout = LAYOUT_PER_KIND;
    else
        w->layout = LAYOUT_SINGLE;
    w->overwrite = opts && opts->overwrite;
    w->style = !(opts && opts->version >= 2 && opts->no_style);
    /* The output policy (output.c): where the files go, and whether they may. */
    bzi_target t;
    rc = bzi_output_check(&t, w->ctx, path, name, w->overwrite, w->style, NULL, 0);
    if (rc != BZ_OK)
        return rc;
    w->vsi = t.kind == BZI_OUT_VSI;
    w->stream = t.kind == BZI_OUT_STREAM;
    w->stream_fd = t.fd;
    /* No sidecar beside a stream (nothing is put beside it) or in memory (a caller that copies
     * the output out of /vsimem/ would not know to remove it); a GeoPackage's table is inside. */
    if (w->stream || (w->vsi && w->layout != LAYOUT_PER_KIND))
        w->style = 0;
    else if (w->layout == LAYOUT_SINGLE && !w->geojson)
        w->style = 0; /* FlatGeobuf, KML, ...: no style QGIS would find */
    if (w->layout != LAYOUT_PER_TYPE && !w->stream)
        rc = split_path(w, path, t.path); /* beside a symlink's target: rename stays atomic */
    bzi_target_clear(&t);
    if (rc != BZ_OK)
        return rc;
    if (w->stream) /* only GeoJSON gets here (bzi_output_check) */
        return open_json(w);
    rc = make_tmpdir(w);
    if (rc == BZ_OK && w->geojson)
        return open_json(w); /* GeoJSON is lon/lat by definition: no CRS object (PROJ's
                                database lookup, 5-7 ms) */
    if (rc == BZ_OK && !(w->srs = bzi_wgs84_lonlat()))
        return bzi_error(w->ctx, BZ_ERR_PROJECTION, "cannot make the WGS84 CRS: %s",
                         bzi_gdal_msg(q));
    if (rc == BZ_OK)
        rc = create_dataset(w, drv, q);
    if (rc == BZ_OK && w->layout == LAYOUT_SINGLE) {
        /* Made now so that a result without features is still a valid, empty file. */
        w->layers = calloc(1, sizeof *w->layers);
        if (!w->layers)
            return bzi_nomem(w->ctx, "opening a writer");
        w->nlayers = 1;
        w->layers[0].cls = CLASS_MIXED;
        rc = create_layer(&w->layers[0].layer, w, w->stem, wkbUnknown, q);
        if (rc == BZ_OK)
            snprintf(w->layers[0].name, sizeof w->layers[0].name, "%s",
                     OGR_L_GetName(w->layers[0].layer));
    }
    return rc;
}

int bz_writer_open(bz_writer **out, bz_context *ctx, const char *path, const bz_write_options *opts)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || !path || !path[0])
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_writer_open: NULL or empty argument");
    if (opts && bzi_check_options_version(ctx, "bz_writer_open", "bz_write_options", opts->version,
                                          BZ_WRITE_OPTIONS_VERSION) != BZ_OK)
        return BZ_ERR_ARGUMENT;
    *out = NULL;
    bz_writer *w = calloc(1, sizeof *w);
    if (!w)
        return bzi_nomem(ctx, "opening a writer");
    w->ctx = ctx;
    bzi_json_init(&w->json, ctx);
    bzi_gdal_quiet q;
    bzi_gdal_quiet_begin(&q);
    int rc = writer_setup(w, path, opts, &q);
    if (rc != BZ_OK)
        bzi_writer_free(w);
    bzi_gdal_quiet_end(&q);
    if (rc == BZ_OK)
        *out = w;
    return rc;
}

void bz_writer_abort(bz_writer *w)
{
    if (!w)
        return;
    bzi_gdal_quiet q;
    bzi_gdal_quiet_begin(&q);
    bzi_writer_free(w);
    bzi_gdal_quiet_end(&q);
}

/* ---------------------------------------------------------------------------------------- */
/* Adding features                                                                          */
/* ---------------------------------------------------------------------------------------- */

/* The layer a feature of this kind and class goes to, made on first use. */
static int layer_for(OGRLayerH *out, bz_writer *w, const char *kind, int cls, bzi_gdal_quiet *q)
{
    if (w->layout == LAYOUT_SINGLE) {
        *out = w->layers[0].layer;
        return BZ_OK;
    }
    if (cls == CLASS_MIXED)
        return bzi_error(w->ctx, BZ_ERR_TYPE,
                         "writing %s: a collection of mixed geometry types cannot go into one "
                         "layer of this format",
                         w->path);
    const char *key = kind && kind[0] ? kind : "features";
    int kind_taken = 0;
    for (size_t i = 0; i < w->nlayers; i++) {
        out_layer *l = &w->layers[i];
        if (w->layout == LAYOUT_PER_TYPE && l->cls == cls) {
            *out = l->layer;
            return BZ_OK;
        }
        if (w->layout == LAYOUT_PER_KIND && strcmp(l->kind, key) == 0) {
            if (l->cls == cls) {
                *out = l->layer;
                return BZ_OK;
            }
            kind_taken = 1;
        }
    }
    out_layer *grown = realloc(w->layers, (w->nlayers + 1) * sizeof *grown);
    if (!grown)
        return bzi_nomem(w->ctx, "adding a layer");
    w->layers = grown;
    out_layer *l = &w->layers[w->nlayers];
    memset(l, 0, sizeof *l);
    l->cls = cls;
    l->kind = bzi_dup_text(key);
    if (!l->kind)
        return bzi_nomem(w->ctx, "adding a layer");
    w->nlayers++;
    char name[256];
    if (w->layout == LAYOUT_PER_TYPE)
        snprintf(name, sizeof name, "%s_%s", w->stem, class_suffix[cls]);
    else if (kind_taken) /* the kind's first layer holds another geometry type */
        snprintf(name, sizeof name, "%s_%s", key, class_suffix[cls]);
    else
        snprintf(name, sizeof name, "%s", key);
    int rc = create_layer(&l->layer, w, name, class_multi[cls], q);
    if (rc == BZ_OK) {
        snprintf(l->name, sizeof l->name, "%s", OGR_L_GetName(l->layer));
        *out = l->layer;
    }
    return rc;
}

/* OGR copy of a GEOS geometry via 2-D ISO WKB; collections become one Multi* geometry. */
static int to_ogr(OGRGeometryH *out, bz_writer *w, const GEOSGeometry *g, int cls)
{
    bz_context *ctx = w->ctx;
    GEOSContextHandle_t h = ctx->geos;
    GEOSWKBWriter *wr = GEOSWKBWriter_create_r(h);
    if (!wr)
        return bzi_geos_error(ctx, "creating a WKB writer");
    GEOSWKBWriter_setOutputDimension_r(h, wr, 2);
    GEOSWKBWriter_setByteOrder_r(h, wr, GEOS_WKB_NDR);
    size_t size = 0;
    unsigned char *wkb = GEOSWKBWriter_write_r(h, wr, g, &size);
    GEOSWKBWriter_destroy_r(h, wr);
    if (!wkb)
        return bzi_geos_error(ctx, "converting a geometry to WKB");
    OGRGeometryH og = NULL;
    OGRErr err = OGR_G_CreateFromWkb(wkb, NULL, &og, (int)size);
    GEOSFree_r(h, wkb);
    if (err != OGRERR_NONE || !og)
        return bzi_error(ctx, BZ_ERR_GEOMETRY, "writing %s: OGR cannot read the geometry's WKB",
                         w->path);
    /* Shapefile and GeoPackage layers hold one type: always the Multi* form. GeoJSON gets the
     * same, so that an antimeridian cut is one feature. */
    if (cls == CLASS_POLYGON)
        og = OGR_G_ForceToMultiPolygon(og);
    else if (cls == CLASS_LINE)
        og = OGR_G_ForceToMultiLineString(og);
    else if (cls == CLASS_POINT)
        og = OGR_G_ForceToMultiPoint(og);
    if (!og)
        return bzi_error(ctx, BZ_ERR_GEOMETRY, "writing %s: cannot convert a geometry", w->path);
    OGR_G_AssignSpatialReference(og, w->srs);
    *out = og;
    return BZ_OK;
}

static void set_text(OGRFeatureH f, const char *field, const char *value)
{
    int i = OGR_F_GetFieldIndex(f, field);
    if (value)
        OGR_F_SetFieldString(f, i, value);
    else
        OGR_F_SetFieldNull(f, i);
}

static void set_number(OGRFeatureH f, const char *field, double value)
{
    int i = OGR_F_GetFieldIndex(f, field);
    if (isfinite(value))
        OGR_F_SetFieldDouble(f, i, value);
    else
        OGR_F_SetFieldNull(f, i);
}

/* What every feature goes through first, whatever the format: its coordinates must be lon/lat,
 * and its kind is noted for the style. *cls receives its geometry class. `index` is the number
 * the feature will have. */
static int feature_prepare(bz_writer *w, const GEOSGeometry *g, const bz_feature_attrs *a,
                           size_t index, int *cls)
{
    bz_context *ctx = w->ctx;
    GEOSContextHandle_t h = ctx->geos;
    double xmin = 0, xmax = 0, ymin = 0, ymax = 0;
    if (!GEOSisEmpty_r(h, g) &&
        (!GEOSGeom_getXMin_r(h, g, &xmin) || !GEOSGeom_getXMax_r(h, g, &xmax) ||
         !GEOSGeom_getYMin_r(h, g, &ymin) || !GEOSGeom_getYMax_r(h, g, &ymax) ||
         !isfinite(xmin + xmax + ymin + ymax) || ymin < -90.0 || ymax > 90.0))
        return bzi_error(ctx, BZ_ERR_GEOMETRY,
                         "writing %s: feature %zu has coordinates that are not lon/lat "
                         "(lon %g .. %g, lat %g .. %g)",
                         w->path, index, xmin, xmax, ymin, ymax);
    *cls = bzi_geom_class(h, g);
    return bzi_writer_note_item(w, a, *cls);
}

static int add_feature(bz_writer *w, const GEOSGeometry *g, const bz_feature_attrs *a,
                       bzi_gdal_quiet *q)
{
    bz_context *ctx = w->ctx;
    int cls = CLASS_MIXED;
    int rc = feature_prepare(w, g, a, w->nfeatures, &cls);
    if (rc != BZ_OK)
        return rc;
    if (w->geojson) {
        bzi_look look;
        rc = bzi_writer_look(&look, w, a, cls);
        if (rc == BZ_OK)
            rc = bzi_json_feature(&w->json, g, cls, a, &look, w->nfeatures, w->path);
        if (rc == BZ_OK)
            w->nfeatures++;
        return rc;
    }
    OGRLayerH layer = NULL;
    rc = layer_for(&layer, w, a->kind, cls, q);
    if (rc != BZ_OK)
        return rc;
    OGRGeometryH og = NULL;
    rc = to_ogr(&og, w, g, cls);
    if (rc != BZ_OK)
        return rc;
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
    if (!f) {
        OGR_G_DestroyGeometry(og);
        return bzi_nomem(ctx, "making a feature");
    }
    /* An empty zone (distance 0) is a feature without geometry outside GeoJSON and GeoPackage:
     * FlatGeobuf silently drops empty geometries, Shapefile stores them as null shapes anyway. */
    if (OGR_G_IsEmpty(og) && w->needs_geometry) {
        OGR_G_DestroyGeometry(og);
        OGR_F_Destroy(f);
        return bzi_error(ctx, BZ_ERR_TYPE,
                         "writing %s: feature %zu has an empty geometry, which FlatGeobuf cannot "
                         "store (use GeoJSON or GeoPackage)",
                         w->path, w->nfeatures);
    }
    if (OGR_G_IsEmpty(og) && !w->geojson && w->layout != LAYOUT_PER_KIND) {
        OGR_G_DestroyGeometry(og);
        og = NULL;
    }
    OGR_F_SetGeometryDirectly(f, og);
    set_text(f, "kind", a->kind);
    set_text(f, "side", a->side);
    set_text(f, "name", a->name);
    set_number(f, "distance_m", a->distance_m);
    set_number(f, "area_km2", a->area_km2);
    set_number(f, "length_km", a->length_km);
    if (OGR_L_CreateFeature(layer, f) != OGRERR_NONE)
        rc = bzi_error(ctx, BZ_ERR_IO, "writing %s: feature %zu: %s", w->path, w->nfeatures,
                       bzi_gdal_msg(q));
    OGR_F_Destroy(f);
    if (rc == BZ_OK) {
        w->nfeatures++;
        for (size_t i = 0; i < w->nlayers; i++)
            w->layers[i].count += w->layers[i].layer == layer;
    }
    return rc;
}

/* The checks bz_writer_add makes before a feature is looked at: the writer has not failed, the
 * attributes' version, a geometry given. BZI_ATTRS_VERSION_WRONG (not a status): the attributes'
 * version is wrong, which is reported as BZ_ERR_ARGUMENT but does not fail the writer. */
#define BZI_ATTRS_VERSION_WRONG (-1000)
static int add_check(bz_writer *w, const GEOSGeometry *g, const bz_feature_attrs *attrs,
                     size_t index)
{
    bz_context *ctx = w->ctx;
    if (w->fail_status != BZ_OK)
        return bzi_error(ctx, w->fail_status, "%s", w->fail_msg);
    if (attrs && bzi_check_options_version(ctx, "bz_writer_add", "bz_feature_attrs", attrs->version,
                                           BZ_FEATURE_ATTRS_VERSION) != BZ_OK)
        return BZI_ATTRS_VERSION_WRONG;
    if (!g)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "writing %s: feature %zu has no geometry", w->path,
                         index);
    return BZ_OK;
}

/* Half a result is worse than none: after a failed feature the writer refuses to commit. */
static int add_failed(bz_writer *w, int rc)
{
    if (rc == BZI_ATTRS_VERSION_WRONG)
        return BZ_ERR_ARGUMENT;
    if (rc != BZ_OK && w->fail_status == BZ_OK) {
        w->fail_status = rc;
        snprintf(w->fail_msg, sizeof w->fail_msg, "nothing written, an earlier feature failed: %s",
                 bz_errmsg(w->ctx));
    }
    return rc;
}

int bz_writer_add(bz_writer *w, const GEOSGeometry *g, const bz_feature_attrs *attrs)
{
    if (!w)
        return BZ_ERR_ARGUMENT;
    int rc = add_check(w, g, attrs, w->nfeatures);
    if (rc == BZ_OK) {
        bz_feature_attrs none = BZ_FEATURE_ATTRS_INIT;
        bzi_gdal_quiet q;
        bzi_gdal_quiet_begin(&q);
        rc = add_feature(w, g, attrs ? attrs : &none, &q);
        bzi_gdal_quiet_end(&q);
    }
    return add_failed(w, rc);
}

/* Features written side by side: bzi_writer_add_all's shared state. */
typedef struct json_batch {
    const GEOSGeometry *const *g;
    const bz_feature_attrs **a;
    const int *cls;
    const bzi_look *look;
    size_t first; /* the number of the first feature */
    const char *path;
    char **text;
    size_t *size;
} json_batch;

static int format_task(bz_context *c, void *arg, size_t i)
{
    json_batch *b = arg;
    return bzi_json_feature_text(c, b->g[i], b->cls[i], b->a[i], &b->look[i], b->first + i, b->path,
                                 &b->text[i], &b->size[i]);
}

/* GeoJSON with more than one thread: every feature checked and noted in order on the calling
 * thread, their texts made side by side (bzi_pool_run_own: a 100,000-vertex result is 470,000
 * coordinates to format, with polygons checked for validity as rounded), then put in order. The
 * failure reported is the first in order, as bz_writer_add one by one would report it. */
static int add_json_batch(bz_writer *w, size_t n, const GEOSGeometry *const *g,
                          const bz_feature_attrs *const *attrs, json_batch *b, int *cls,
                          bzi_look *look)
{
    bz_context *ctx = w->ctx;
    bz_feature_attrs none = BZ_FEATURE_ATTRS_INIT;
    const bz_feature_attrs **a = b->a;
    size_t ready = 0;
    int rc = BZ_OK;
    for (; ready < n && rc == BZ_OK; ready++) {
        a[ready] = attrs[ready] ? attrs[ready] : &none;
        rc = add_check(w, g[ready], attrs[ready], w->nfeatures + ready);
        if (rc == BZ_OK)
            rc = feature_prepare(w, g[ready], a[ready], w->nfeatures + ready, &cls[ready]);
        if (rc == BZ_OK)
            rc = bzi_writer_look(&look[ready], w, a[ready], cls[ready]);
        if (rc != BZ_OK)
            break;
    }
    /* The formatting of the features before a failed one may fail first; if it does not, the
     * failure's message is put back (task 0 of the formatting works on ctx). */
    char held[BZI_ERRMSG_SIZE] = "";
    if (rc != BZ_OK)
        snprintf(held, sizeof held, "%s", bz_errmsg(ctx));
    b->g = g;
    b->cls = cls;
    b->look = look;
    b->first = w->nfeatures;
    b->path = w->path;
    int frc = ready > 0 ? bzi_pool_run_own(ctx, ready, format_task, b) : BZ_OK;
    if (frc != BZ_OK)
        return add_failed(w, frc);
    if (rc != BZ_OK)
        bzi_error(ctx, rc == BZI_ATTRS_VERSION_WRONG ? BZ_ERR_ARGUMENT : rc, "%s", held);
    for (size_t i = 0; i < ready; i++) {
        int prc = bzi_json_feature_put(&w->json, b->text[i], b->size[i], w->nfeatures, w->path);
        if (prc != BZ_OK)
            return add_failed(w, prc);
        w->nfeatures++;
    }
    return add_failed(w, rc);
}

int bzi_writer_add_all(bz_writer *w, size_t n, const GEOSGeometry *const *g,
                       const bz_feature_attrs *const *attrs)
{
    char **text = NULL;
    size_t *size = NULL;
    int *cls = NULL;
    bzi_look *look = NULL;
    const bz_feature_attrs **a = NULL;
    if (w->geojson && n > 1 && bzi_thread_count(w->ctx) > 1) {
        text = calloc(n, sizeof *text);
        size = calloc(n, sizeof *size);
        cls = calloc(n, sizeof *cls);
        look = calloc(n, sizeof *look);
        a = calloc(n, sizeof *a);
    }
    int rc = BZ_OK;
    if (text && size && cls && look && a) {
        json_batch b = {NULL, a, NULL, NULL, 0, NULL, text, size};
        rc = add_json_batch(w, n, g, attrs, &b, cls, look);
        for (size_t i = 0; i < n; i++)
            free(text[i]);
    } else { /* one by one: other formats, one thread, or no memory for the batch */
        for (size_t i = 0; i < n && rc == BZ_OK; i++)
            rc = bz_writer_add(w, g[i], attrs[i]);
    }
    free(text);
    free(size);
    free(cls);
    free(look);
    free(a);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Commit                                                                                   */
/* ---------------------------------------------------------------------------------------- */

/* GDAL's writers do not all notice a failed write (a full disk, a file size limit): read the
 * closed output back and count its features before anything replaces the old file. */
static int verify_output(bz_writer *w, bzi_gdal_quiet *q)
{
    char *target = dataset_path(w);
    if (!target)
        return bzi_nomem(w->ctx, "checking the output");
    q->msg[0] = '\0';
    GDALDatasetH ds = GDALOpenEx(target, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    free(target);
    if (!ds)
        return bzi_error(w->ctx, BZ_ERR_IO,
                         "writing %s: the finished output cannot be read back (disk full or file "
                         "too large?): %s",
                         w->path, bzi_gdal_msg(q));
    int rc = BZ_OK;
    for (size_t i = 0; rc == BZ_OK && i < w->nlayers; i++) {
        const out_layer *l = &w->layers[i];
        OGRLayerH layer = GDALDatasetGetLayerByName(ds, l->name);
        if (!layer && w->nlayers == 1 && GDALDatasetGetLayerCount(ds) == 1)
            layer = GDALDatasetGetLayer(ds, 0); /* formats that do not store layer names */
        long long n = layer ? (long long)OGR_L_GetFeatureCount(layer, 1) : -1;
        if (n != (long long)l->count)
            rc = bzi_error(w->ctx, BZ_ERR_IO,
                           "writing %s: layer '%s' reads back with %lld of its %zu features (disk "
                           "full or file too large?)",
                           w->path, l->name, n, l->count);
    }
    GDALClose(ds);
    return rc;
}

static int commit(bz_writer *w, bzi_gdal_quiet *q)
{
    if (w->fail_status != BZ_OK)
        return bzi_error(w->ctx, w->fail_status, "%s", w->fail_msg);
    if (w->nlayers == 0 && w->layout == LAYOUT_PER_TYPE)
        return bzi_error(w->ctx, BZ_ERR_ARGUMENT, "writing %s: no features to write", w->path);
    if (w->geojson) {
        /* Every write() was checked, then fsync() and close(): a short file cannot pass. */
        int rc = bzi_json_close(&w->json, w->path);
        if (rc == BZ_OK && !w->stream)
            rc = bzi_writer_write_styles(w, q);
        return rc == BZ_OK && !w->stream ? bzi_commit_move(w) : rc;
    }
    q->msg[0] = '\0';
    /* GeoPackage: the styles go inside the dataset, before it is closed */
    int rc = bzi_writer_write_styles(w, q);
    if (rc != BZ_OK)
        return rc;
    GDALClose(w->ds); /* flushes: failures surface here, through the quiet handler */
    w->ds = NULL;
    if (q->msg[0])
        return bzi_error(w->ctx, BZ_ERR_IO, "writing %s: %s", w->path, q->msg);
    rc = w->vsi ? BZ_OK : bzi_commit_sync(w); /* memory has no disk to flush to */
    if (rc == BZ_OK)
        rc = verify_output(w, q);
    return rc == BZ_OK ? bzi_commit_move(w) : rc;
}

int bz_writer_commit(bz_writer *w)
{
    if (!w)
        return BZ_ERR_ARGUMENT;
    bzi_gdal_quiet q;
    bzi_gdal_quiet_begin(&q);
    int rc = commit(w, &q);
    bzi_writer_free(w); /* removes whatever is left of the temporary directory */
    bzi_gdal_quiet_end(&q);
    return rc;
}

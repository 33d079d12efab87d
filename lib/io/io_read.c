/*
 * io_read.c — reading contact lines, territories, places and generic features from any vector
 * source GDAL/OGR opens (GeoJSON, also nested or 3-D; Shapefile with its .prj; GeoPackage;
 * KML; FlatGeobuf; TopoJSON; ...).
 *
 * One loop (read_source) opens the file, picks the layers, applies the WHERE filter, turns
 * every feature's geometry into 2-D WGS84 lon/lat and hands it to the GEOS handle of the
 * caller's context. What to keep from each feature is the job of a small collector per
 * public function (line parts, polygons, places, features).
 */
#include "zones/antimeridian.h"
#include "io/gdal.h"
#include "zones/union.h"
#include "io/geojson_read.h"
#include "core/context.h"
#include "core/text.h"
#include "zones/places.h"

#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ---------------------------------------------------------------------------------------- */
/* The reading loop                                                                         */
/* ---------------------------------------------------------------------------------------- */

typedef struct reader reader;

/* Receives one feature's geometry (2-D lon/lat, owned by the collector; may be NULL for a
 * feature without geometry) and returns BZ_OK or an error already recorded in ctx. */
typedef int (*collect_fn)(reader *r, OGRLayerH layer, OGRFeatureH f, GEOSGeometry *g);

struct reader {
    bz_context *ctx;
    const char *path;
    const bz_read_options *opts;
    const char *layer_name; /* current layer */
    long long fid;          /* current feature */
    collect_fn collect;
    void *data;         /* the collector's state */
    char open_msg[512]; /* a failure GDAL reported while opening, "" if none */
};

/* "a, b, c" — the dataset's layer names, for "no such layer" messages. */
static void layer_list(GDALDatasetH ds, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t used = 0;
    int n = GDALDatasetGetLayerCount(ds);
    for (int i = 0; i < n && used + 1 < size; i++) {
        const char *name = OGR_L_GetName(GDALDatasetGetLayer(ds, i));
        int k = snprintf(buf + used, size - used, "%s'%s'", i ? ", " : "", name);
        if (k < 0)
            break;
        used += (size_t)k;
    }
    if (n == 0)
        snprintf(buf, size, "none");
}

static int open_dataset(GDALDatasetH *out, bzi_gdal_quiet *q, bz_context *ctx, const char *path,
                        char *open_msg, size_t open_msg_size)
{
    struct stat st;
    /* GDAL also opens /vsi paths and connection strings ("PG:..."); only plain paths that
     * do not exist are a plain I/O error. */
    if (strncmp(path, "/vsi", 4) != 0 && !strchr(path, ':') && stat(path, &st) != 0)
        return bzi_error(ctx, BZ_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    /* GDAL refuses GeoJSON objects over 200 MB unless told otherwise; a long front line in
     * one feature is exactly such an object. Thread-local, restored after the open. */
    const char *old = CPLGetThreadLocalConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", NULL);
    char *saved = old ? CPLStrdup(old) : NULL;
    CPLSetThreadLocalConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", "0");
    q->msg[0] = '\0';
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    CPLSetThreadLocalConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", saved);
    CPLFree(saved);
    /* A driver may open the file yet fail on part of it (e.g. a CRS PROJ does not know). */
    snprintf(open_msg, open_msg_size, "%s", ds ? q->msg : "");
    if (!ds)
        return bzi_error(ctx, BZ_ERR_FORMAT, "cannot read %s as a vector data source: %s", path,
                         bzi_gdal_msg(q));
    *out = ds;
    return BZ_OK;
}

/* Index (over all parts, in order) of the first NaN / infinite coordinate, or -1. */
static long first_bad_vertex(GEOSContextHandle_t h, const GEOSGeometry *g, long *seen)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        long k = first_bad_vertex(h, GEOSGetExteriorRing_r(h, g), seen);
        for (int i = 0; k < 0 && i < GEOSGetNumInteriorRings_r(h, g); i++)
            k = first_bad_vertex(h, GEOSGetInteriorRingN_r(h, g, i), seen);
        return k;
    }
    if (type >= GEOS_MULTIPOINT) {
        long k = -1;
        for (int i = 0; k < 0 && i < GEOSGetNumGeometries_r(h, g); i++)
            k = first_bad_vertex(h, GEOSGetGeometryN_r(h, g, i), seen);
        return k;
    }
    const GEOSCoordSequence *s = GEOSGeom_getCoordSeq_r(h, g);
    unsigned n = 0;
    if (!s || !GEOSCoordSeq_getSize_r(h, s, &n))
        return -1;
    for (unsigned i = 0; i < n; i++, (*seen)++) {
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(h, s, i, &x, &y);
        if (!isfinite(x) || !isfinite(y))
            return *seen;
    }
    return -1;
}

/* Every coordinate must be plausible lon/lat: strictly so when the source names no CRS (then
 * lon/lat is only our guess), loosely (unwrapped longitudes allowed) when it does. Coordinates
 * that are not numbers at all are checked later, with their index (first_bad_vertex). */
static int check_lonlat(reader *r, OGRGeometryH g, int has_crs)
{
    OGREnvelope e;
    OGR_G_GetEnvelope(g, &e);
    if (!isfinite(e.MinX) || !isfinite(e.MaxX) || !isfinite(e.MinY) || !isfinite(e.MaxY))
        return BZ_OK;
    double lon_max = has_crs ? 540.0 : 180.0;
    int ok = isfinite(e.MinX) && isfinite(e.MaxX) && isfinite(e.MinY) && isfinite(e.MaxY) &&
             e.MinX >= -lon_max && e.MaxX <= lon_max && e.MinY >= -90.0 && e.MaxY <= 90.0;
    if (ok)
        return BZ_OK;
    return bzi_error(r->ctx, BZ_ERR_PROJECTION,
                     "%s: layer '%s', feature %lld: coordinates (x %g .. %g, y %g .. %g) are not "
                     "longitude/latitude%s",
                     r->path, r->layer_name, r->fid, e.MinX, e.MaxX, e.MinY, e.MaxY,
                     has_crs ? " although the layer's CRS says so"
                             : " and the source has no CRS (add a .prj or a crs member)");
}

/* A 2-D lon/lat GEOS copy of an OGR geometry (no geometry -> *out NULL; an empty one stays an
 * empty geometry of its type, which the typed readers skip). */
static int to_geos(GEOSGeometry **out, reader *r, GEOSWKBReader *wkb, OGRGeometryH src,
                   OGRCoordinateTransformationH ct, int has_crs)
{
    *out = NULL;
    if (!src)
        return BZ_OK;
    OGRGeometryH g =
        OGR_G_HasCurveGeometry(src, 1) ? OGR_G_GetLinearGeometry(src, 0.0, NULL) : OGR_G_Clone(src);
    if (!g)
        return bzi_nomem(r->ctx, "copying a feature's geometry");
    OGR_G_FlattenTo2D(g); /* DeepState's KML-born GeoJSON carries z = 0 */
    if (ct && OGR_G_Transform(g, ct) != OGRERR_NONE) {
        OGR_G_DestroyGeometry(g);
        return bzi_error(r->ctx, BZ_ERR_PROJECTION,
                         "%s: layer '%s', feature %lld: cannot transform to WGS84 lon/lat: %s",
                         r->path, r->layer_name, r->fid, CPLGetLastErrorMsg());
    }
    int rc = OGR_G_IsEmpty(g) ? BZ_OK : check_lonlat(r, g, has_crs);
    if (rc != BZ_OK) {
        OGR_G_DestroyGeometry(g);
        return rc;
    }
    size_t size = (size_t)OGR_G_WkbSize(g);
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf) {
        OGR_G_DestroyGeometry(g);
        return bzi_nomem(r->ctx, "converting a feature's geometry");
    }
    OGRErr err = OGR_G_ExportToIsoWkb(g, wkbNDR, buf);
    OGR_G_DestroyGeometry(g);
    if (err != OGRERR_NONE) {
        free(buf);
        return bzi_error(r->ctx, BZ_ERR_FORMAT, "%s: layer '%s', feature %lld: cannot export WKB",
                         r->path, r->layer_name, r->fid);
    }
    r->ctx->geos_msg[0] = '\0';
    *out = GEOSWKBReader_read_r(r->ctx->geos, wkb, buf, size);
    free(buf);
    if (!*out) /* GEOS rejects what OGR let through, e.g. a ring that does not close */
        return bzi_error(r->ctx, BZ_ERR_GEOMETRY, "%s: layer '%s', feature %lld: %s", r->path,
                         r->layer_name, r->fid,
                         r->ctx->geos_msg[0] ? r->ctx->geos_msg : "invalid geometry");
    long seen = 0, bad = first_bad_vertex(r->ctx->geos, *out, &seen);
    if (bad >= 0) {
        GEOSGeom_destroy_r(r->ctx->geos, *out);
        *out = NULL;
        return bzi_error(r->ctx, BZ_ERR_GEOMETRY,
                         "%s: layer '%s', feature %lld, vertex %ld: a coordinate is not a finite "
                         "number",
                         r->path, r->layer_name, r->fid, bad);
    }
    return BZ_OK;
}

/* Whether a GDAL message is about a CRS it could not import. */
static int mentions_crs(const char *msg)
{
    return msg[0] && (strstr(msg, "PROJ") || strstr(msg, "crs") || strstr(msg, "CRS") ||
                      strstr(msg, "SRS") || strstr(msg, "EPSG") || strstr(msg, ".prj"));
}

/* For the error message only: the name in a GeoJSON file's "crs" member ({"type": "name",
 * "properties": {"name": ...}}), as ' "<name>"', or "". GDAL does not keep the name of a CRS it
 * could not import; json-c, the parser GDAL reads GeoJSON with, finds it. */
static void crs_hint(const char *path, char *hint, size_t size)
{
    hint[0] = '\0';
    json_object *root = json_object_from_file(path), *crs, *properties, *name;
    if (root && json_object_object_get_ex(root, "crs", &crs) &&
        json_object_object_get_ex(crs, "properties", &properties) &&
        json_object_object_get_ex(properties, "name", &name) &&
        json_object_is_type(name, json_type_string))
        snprintf(hint, size, " \"%s\"", json_object_get_string(name));
    json_object_put(root);
}

/* The layer's CRS -> WGS84 lon/lat transformation; *ct stays NULL when none is needed. */
static int layer_transform(OGRCoordinateTransformationH *ct, int *has_crs, reader *r,
                           OGRLayerH layer, OGRSpatialReferenceH wgs84, bzi_gdal_quiet *q)
{
    *ct = NULL;
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
    *has_crs = srs != NULL;
    /* GDAL may fall back to WGS84 when it cannot import a declared CRS: trust neither. */
    if (mentions_crs(r->open_msg)) {
        char hint[128];
        crs_hint(r->path, hint, sizeof hint);
        return bzi_error(r->ctx, BZ_ERR_PROJECTION,
                         "%s: layer '%s': its CRS%s cannot be understood: %s", r->path,
                         r->layer_name, hint, r->open_msg);
    }
    if (!srs)
        return BZ_OK;
    OGRSpatialReferenceH src = OSRClone(srs);
    if (!src)
        return bzi_nomem(r->ctx, "copying a layer's CRS");
    /* OGR drivers hand out coordinates in GIS order (x = lon / easting); say so explicitly, or
     * a geographic source would be taken as (lat, lon) and mirrored. */
    OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
    int rc = BZ_OK;
    if (!OSRIsSame(src, wgs84)) {
        *ct = OCTNewCoordinateTransformation(src, wgs84);
        if (!*ct) {
            const char *name = OSRGetName(src);
            rc = bzi_error(r->ctx, BZ_ERR_PROJECTION,
                           "%s: layer '%s': cannot transform its CRS '%s' to WGS84: %s", r->path,
                           r->layer_name, name ? name : "unnamed", bzi_gdal_msg(q));
        }
    }
    OSRRelease(src);
    return rc;
}

/* Feed every matching feature of one layer to the collector; *matched counts them. */
static int read_layer(reader *r, OGRLayerH layer, OGRSpatialReferenceH wgs84, GEOSWKBReader *wkb,
                      bzi_gdal_quiet *q, size_t *matched)
{
    OGRCoordinateTransformationH ct = NULL;
    int has_crs = 0;
    int rc = layer_transform(&ct, &has_crs, r, layer, wgs84, q);
    if (rc != BZ_OK)
        return rc;
    q->msg[0] = '\0';
    OGR_L_ResetReading(layer);
    OGRFeatureH f;
    while (rc == BZ_OK && (f = OGR_L_GetNextFeature(layer)) != NULL) {
        r->fid = (long long)OGR_F_GetFID(f);
        GEOSGeometry *g = NULL;
        rc = to_geos(&g, r, wkb, OGR_F_GetGeometryRef(f), ct, has_crs);
        if (rc == BZ_OK) {
            rc = r->collect(r, layer, f, g); /* takes g */
            (*matched)++;
        }
        OGR_F_Destroy(f);
    }
    /* A NULL feature ends the layer, or reports a corrupt record: tell them apart. */
    if (rc == BZ_OK && q->msg[0])
        rc = bzi_error(r->ctx, BZ_ERR_FORMAT, "%s: layer '%s': cannot read features: %s", r->path,
                       r->layer_name, q->msg);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    return rc;
}

/* QGIS's style table (layer_styles, no geometry; the writer adds one to a GeoPackage): not
 * data, so reading every layer skips it. It is still read when named. */
static int is_style_table(OGRLayerH layer)
{
    return strcmp(OGR_L_GetName(layer), "layer_styles") == 0 &&
           OGR_FD_GetGeomFieldCount(OGR_L_GetLayerDefn(layer)) == 0;
}

static int read_layers(reader *r, GDALDatasetH ds, OGRSpatialReferenceH wgs84, bzi_gdal_quiet *q)
{
    const bz_read_options *o = r->opts;
    char layers[512];
    int nlayers = GDALDatasetGetLayerCount(ds);
    int first = 0, last = nlayers;
    if (o && o->layer) {
        OGRLayerH want = GDALDatasetGetLayerByName(ds, o->layer);
        if (!want) {
            layer_list(ds, layers, sizeof layers);
            return bzi_error(r->ctx, BZ_ERR_NOT_FOUND, "%s: no layer '%s' (layers: %s)", r->path,
                             o->layer, layers);
        }
        for (first = 0; first < nlayers && GDALDatasetGetLayer(ds, first) != want; first++)
            ;
        last = first + 1;
    }
    const char *where = o && o->where && o->where[0] ? o->where : NULL;
    char filter_msg[512] = "";
    GEOSWKBReader *wkb = GEOSWKBReader_create_r(r->ctx->geos);
    if (!wkb)
        return bzi_geos_error(r->ctx, "creating a WKB reader");
    size_t matched = 0;
    int rc = BZ_OK, refused = 0, searched = last - first;
    for (int i = first; i < last && !(o && o->layer); i++)
        searched -= is_style_table(GDALDatasetGetLayer(ds, i));
    for (int i = first; i < last && rc == BZ_OK; i++) {
        OGRLayerH layer = GDALDatasetGetLayer(ds, i);
        if (!(o && o->layer) && is_style_table(layer))
            continue;
        r->layer_name = OGR_L_GetName(layer);
        if (OGR_L_SetAttributeFilter(layer, where) != OGRERR_NONE) {
            snprintf(filter_msg, sizeof filter_msg, "%s", bzi_gdal_msg(q));
            /* Reading every layer: one whose fields the filter does not name cannot match,
             * but a filter that no layer accepts is the caller's mistake. */
            if (++refused == searched)
                rc = bzi_error(r->ctx, BZ_ERR_ARGUMENT, "%s: invalid filter \"%s\": %s", r->path,
                               where, filter_msg);
            continue;
        }
        rc = read_layer(r, layer, wgs84, wkb, q, &matched);
    }
    GEOSWKBReader_destroy_r(r->ctx->geos, wkb);
    if (rc != BZ_OK || matched > 0)
        return rc;
    layer_list(ds, layers, sizeof layers);
    if (where)
        return bzi_error(r->ctx, BZ_ERR_NOT_FOUND,
                         "%s: no feature matches the filter \"%s\" (layers searched: %s)%s%s",
                         r->path, where, o->layer ? o->layer : layers, filter_msg[0] ? "; " : "",
                         filter_msg);
    return bzi_error(r->ctx, BZ_ERR_NOT_FOUND, "%s: no features (layers: %s)", r->path, layers);
}

static int read_source(reader *r)
{
    bz_context *ctx = r->ctx;
    bzi_gdal_quiet q;
    bzi_gdal_quiet_begin(&q);
    GDALDatasetH ds = NULL;
    int rc = open_dataset(&ds, &q, ctx, r->path, r->open_msg, sizeof r->open_msg);
    if (rc == BZ_OK) {
        OGRSpatialReferenceH wgs84 = bzi_wgs84_lonlat();
        if (!wgs84)
            rc = bzi_error(ctx, BZ_ERR_PROJECTION, "cannot make the WGS84 CRS: %s",
                           bzi_gdal_msg(&q));
        else
            rc = read_layers(r, ds, wgs84, &q);
        if (wgs84)
            OSRRelease(wgs84);
        GDALClose(ds);
    }
    bzi_gdal_quiet_end(&q);
    return rc;
}

static int check_args(bz_context *ctx, const void *out, const char *path,
                      const bz_read_options *opts, const char *fn)
{
    if (!out || !path)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "%s: NULL argument", fn);
    if (!opts)
        return BZ_OK;
#ifdef BZI_TEST_HOOKS
    if (opts->version == BZI_READ_OPTIONS_ROUTED) /* internal tests only, see io_geojson.h */
        return BZ_OK;
#endif
    return bzi_check_options_version(ctx, fn, "bz_read_options", opts->version,
                                     BZ_READ_OPTIONS_VERSION);
}

/* A reader of `path` that hands each feature to `collect` with `data` as its state. */
static reader reader_for(bz_context *ctx, const char *path, const bz_read_options *opts,
                         collect_fn collect, void *data)
{
    return (reader){.ctx = ctx,
                    .path = path,
                    .opts = opts,
                    .layer_name = "",
                    .fid = -1,
                    .collect = collect,
                    .data = data};
}

/* Read every matching feature of `path` through GDAL. */
static int read_with(bz_context *ctx, const char *path, const bz_read_options *opts,
                     collect_fn collect, void *data)
{
    reader r = reader_for(ctx, path, opts, collect, data);
    return read_source(&r);
}

/* ---------------------------------------------------------------------------------------- */
/* Collecting parts of one dimension (lines, polygons)                                      */
/* ---------------------------------------------------------------------------------------- */

typedef struct parts {
    GEOSGeometry **items;
    size_t count, capacity;
} parts;

static int parts_push(bz_context *ctx, parts *p, GEOSGeometry *g)
{
    if (p->count == p->capacity) {
        size_t cap = p->capacity ? 2 * p->capacity : 16;
        GEOSGeometry **items = realloc(p->items, cap * sizeof *items);
        if (!items) {
            GEOSGeom_destroy_r(ctx->geos, g);
            return bzi_nomem(ctx, "collecting geometries");
        }
        p->items = items;
        p->capacity = cap;
    }
    p->items[p->count++] = g;
    return BZ_OK;
}

static void parts_free(bz_context *ctx, parts *p)
{
    for (size_t i = 0; i < p->count; i++)
        GEOSGeom_destroy_r(ctx->geos, p->items[i]);
    free(p->items);
}

static int is_collection(int type)
{
    return type == GEOS_MULTIPOINT || type == GEOS_MULTILINESTRING || type == GEOS_MULTIPOLYGON ||
           type == GEOS_GEOMETRYCOLLECTION;
}

/* Copy every simple part of type `want` (GEOS_LINESTRING / GEOS_POLYGON / GEOS_POINT) out of
 * g, descending into collections; *others counts parts of another type. */
static int extract(bz_context *ctx, parts *p, const GEOSGeometry *g, int want, size_t *others)
{
    int type = GEOSGeomTypeId_r(ctx->geos, g);
    if (is_collection(type)) {
        int n = GEOSGetNumGeometries_r(ctx->geos, g);
        for (int i = 0; i < n; i++) {
            int rc = extract(ctx, p, GEOSGetGeometryN_r(ctx->geos, g, i), want, others);
            if (rc != BZ_OK)
                return rc;
        }
        return BZ_OK;
    }
    if (GEOSisEmpty_r(ctx->geos, g))
        return BZ_OK;
    if (type == GEOS_LINEARRING && want == GEOS_LINESTRING) {
        GEOSCoordSequence *seq =
            GEOSCoordSeq_clone_r(ctx->geos, GEOSGeom_getCoordSeq_r(ctx->geos, g));
        GEOSGeometry *ls = seq ? GEOSGeom_createLineString_r(ctx->geos, seq) : NULL;
        if (!ls)
            return bzi_geos_error(ctx, "copying a ring as a line");
        return parts_push(ctx, p, ls);
    }
    if (type != want) {
        (*others)++;
        return BZ_OK;
    }
    GEOSGeometry *copy = GEOSGeom_clone_r(ctx->geos, g);
    if (!copy)
        return bzi_geos_error(ctx, "copying a geometry");
    return parts_push(ctx, p, copy);
}

static const char *dimension_word(int want)
{
    return want == GEOS_POLYGON ? "polygon" : want == GEOS_LINESTRING ? "line" : "point";
}

/* Take the parts of the wanted type from one feature. A feature that is of another type (not a
 * GeometryCollection, which may mix types and gives what it has) is the caller's mistake:
 * BZ_ERR_TYPE naming the feature. */
static int take_parts(reader *r, parts *p, GEOSGeometry *g, int want)
{
    if (!g)
        return BZ_OK;
    bz_context *ctx = r->ctx;
    int type = GEOSGeomTypeId_r(ctx->geos, g);
    size_t before = p->count, others = 0;
    int rc = extract(ctx, p, g, want, &others);
    if (rc == BZ_OK && others > 0 && type != GEOS_GEOMETRYCOLLECTION && p->count == before) {
        char *name = GEOSGeomType_r(ctx->geos, g); /* GEOS allocates it */
        rc = bzi_error(ctx, BZ_ERR_TYPE, "%s: layer '%s', feature %lld is a %s, not a %s", r->path,
                       r->layer_name, r->fid, name ? name : "geometry", dimension_word(want));
        GEOSFree_r(ctx->geos, name);
    }
    GEOSGeom_destroy_r(ctx->geos, g);
    return rc;
}

/* The GeoJSON fast path (io_geojson.c) hands every feature here, as read_layer would. The
 * collectors of lines and polygons look at neither the OGR layer nor the feature. */
static int collect_without_gdal(void *user, const char *layer_name, long long fid, GEOSGeometry *g)
{
    reader *r = user;
    r->layer_name = layer_name;
    r->fid = fid;
    return r->collect(r, NULL, NULL, g);
}

/* Read the parts `collect` gathers into a parts list, then move them into one new collection
 * of `type` (*out). None at all is BZ_ERR_TYPE: "the matching features hold no <what>". */
static int read_parts(bz_context *ctx, const char *path, const bz_read_options *opts,
                      collect_fn collect, int type, const char *what, GEOSGeometry **out)
{
    parts p = {0};
    reader fast = reader_for(ctx, path, opts, collect, &p);
    /* An ordinary GeoJSON file is read without GDAL; when the fast path gives up, nothing of
     * it remains and GDAL reads the file from scratch. */
    int rc = bzi_geojson_read(ctx, path, opts, collect_without_gdal, &fast);
    if (rc == BZI_GEOJSON_GAVE_UP) {
        parts_free(ctx, &p);
        p = (parts){0};
        rc = read_with(ctx, path, opts, collect, &p);
    }
    if (rc == BZ_OK && p.count == 0)
        rc = bzi_error(ctx, BZ_ERR_TYPE, "%s: the matching features hold no %s", path, what);
    if (rc != BZ_OK) {
        parts_free(ctx, &p);
        return rc;
    }
    /* The collection takes the parts; the array stays ours. */
    *out = GEOSGeom_createCollection_r(ctx->geos, type, p.items, (unsigned)p.count);
    if (!*out) {
        free(p.items); /* GEOS owns the members from the call on, even when it fails (geos_c.h) */
        return bzi_geos_error(ctx, type == GEOS_MULTILINESTRING ? "collecting the lines"
                                                                : "collecting the polygons");
    }
    free(p.items);
    return BZ_OK;
}

static int collect_line(reader *r, OGRLayerH layer, OGRFeatureH f, GEOSGeometry *g)
{
    (void)layer;
    (void)f;
    return take_parts(r, r->data, g, GEOS_LINESTRING);
}

int bz_read_line(bz_line **out, bz_context *ctx, const char *path, const bz_read_options *opts)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    int rc = check_args(ctx, out, path, opts, "bz_read_line");
    if (rc != BZ_OK)
        return rc;
    *out = NULL;
    GEOSGeometry *lines = NULL;
    rc = read_parts(ctx, path, opts, collect_line, GEOS_MULTILINESTRING, "lines", &lines);
    if (rc != BZ_OK)
        return rc;
    rc = bz_line_from_geos(out, ctx, lines);
    GEOSGeom_destroy_r(ctx->geos, lines);
    if (rc != BZ_OK)
        return bzi_error_prefix(ctx, "%s: ", path);
    return BZ_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Polygons                                                                                 */
/* ---------------------------------------------------------------------------------------- */

/* Check (or repair) each polygon a feature gave, from index `from` on. */
static int validate_polygons(reader *r, parts *p, size_t from)
{
    bz_context *ctx = r->ctx;
    GEOSContextHandle_t h = ctx->geos;
    size_t end = p->count;
    for (size_t i = from; i < end; i++) {
        char *reason = NULL;
        GEOSGeometry *where = NULL;
        char valid = GEOSisValidDetail_r(h, p->items[i], 0, &reason, &where);
        if (valid == 1)
            continue;
        if (valid == 2)
            return bzi_geos_error(ctx, "checking a polygon");
        double x = NAN, y = NAN;
        if (where) {
            GEOSGeomGetX_r(h, where, &x);
            GEOSGeomGetY_r(h, where, &y);
            GEOSGeom_destroy_r(h, where);
        }
        if (!r->opts || !r->opts->make_valid) {
            int rc = bzi_error(ctx, BZ_ERR_GEOMETRY,
                               "%s: layer '%s', feature %lld, polygon %zu: %s at lon %.7f, "
                               "lat %.7f (make_valid repairs it)",
                               r->path, r->layer_name, r->fid, i - from,
                               reason ? reason : "invalid", x, y);
            GEOSFree_r(h, reason);
            return rc;
        }
        GEOSFree_r(h, reason);
        GEOSGeometry *fixed = GEOSMakeValid_r(h, p->items[i]);
        if (!fixed)
            return bzi_geos_error(ctx, "repairing a polygon");
        /* The repair may give a collection: keep its polygons in place of the broken one. */
        GEOSGeom_destroy_r(h, p->items[i]);
        p->items[i] = GEOSGeom_createEmptyPolygon_r(h);
        size_t others = 0;
        int rc = p->items[i] ? extract(ctx, p, fixed, GEOS_POLYGON, &others)
                             : bzi_geos_error(ctx, "repairing a polygon");
        GEOSGeom_destroy_r(h, fixed);
        if (rc != BZ_OK)
            return rc;
    }
    return BZ_OK;
}

static int collect_polygon(reader *r, OGRLayerH layer, OGRFeatureH f, GEOSGeometry *g)
{
    (void)layer;
    (void)f;
    parts *p = r->data;
    size_t before = p->count;
    int rc = take_parts(r, p, g, GEOS_POLYGON);
    /* A ring that jumps ±180° between two vertices (a projected outline past the antimeridian,
     * or one written that way) is read the short way round, as lines are (antimeridian.h). */
    for (size_t i = before; rc == BZ_OK && i < p->count; i++) {
        GEOSGeometry *u = NULL;
        rc = bzi_polygon_unwrap(r->ctx, p->items[i], &u);
        if (u) {
            GEOSGeom_destroy_r(r->ctx->geos, p->items[i]);
            p->items[i] = u;
        }
    }
    return rc == BZ_OK ? validate_polygons(r, p, before) : rc;
}

/* GEOS gives a Polygon, a MultiPolygon or (rarely) a collection: always hand out a
 * MultiPolygon. Consumes g. */
static int as_multipolygon(GEOSGeometry **out, bz_context *ctx, GEOSGeometry *g)
{
    GEOSContextHandle_t h = ctx->geos;
    if (GEOSGeomTypeId_r(h, g) == GEOS_MULTIPOLYGON) {
        *out = g;
        return BZ_OK;
    }
    parts p = {0};
    size_t others = 0;
    int rc = extract(ctx, &p, g, GEOS_POLYGON, &others);
    GEOSGeom_destroy_r(h, g);
    if (rc != BZ_OK) {
        parts_free(ctx, &p);
        return rc;
    }
    *out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, p.items, (unsigned)p.count);
    if (!*out) {
        free(p.items); /* GEOS owns the members from the call on, even when it fails (geos_c.h) */
        return bzi_geos_error(ctx, "making a MultiPolygon");
    }
    free(p.items);
    return BZ_OK;
}

int bz_read_polygon(GEOSGeometry **out, bz_context *ctx, const char *path,
                    const bz_read_options *opts)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    int rc = check_args(ctx, out, path, opts, "bz_read_polygon");
    if (rc != BZ_OK)
        return rc;
    *out = NULL;
    GEOSGeometry *all = NULL;
    rc = read_parts(ctx, path, opts, collect_polygon, GEOS_GEOMETRYCOLLECTION, "polygons", &all);
    if (rc != BZ_OK)
        return rc;
    GEOSGeometry *u = NULL;
    rc = bzi_union_polygons(&u, ctx, all);
    GEOSGeom_destroy_r(ctx->geos, all);
    if (rc != BZ_OK)
        return bzi_error_prefix(ctx, "%s: ", path);
    return as_multipolygon(out, ctx, u);
}

/* ---------------------------------------------------------------------------------------- */
/* Places                                                                                   */
/* ---------------------------------------------------------------------------------------- */

typedef struct places_state {
    bz_places *places;
    OGRLayerH layer; /* the layer the field indices below belong to */
    int name_field, pop_field;
} places_state;

/* The first of `candidates` that the layer has (OGR matches names case-insensitively, so
 * order the list by preference), or -1. */
static int find_field(OGRFeatureDefnH defn, const char *const *candidates)
{
    for (size_t i = 0; candidates[i]; i++) {
        int k = OGR_FD_GetFieldIndex(defn, candidates[i]);
        if (k >= 0)
            return k;
    }
    return -1;
}

static int places_fields(reader *r, places_state *s, OGRLayerH layer)
{
    static const char *const names[] = {"name", "NAME", "name_en", "NAMEASCII", NULL};
    static const char *const pops[] = {"population", "POP_MAX", "pop", NULL};
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    const bz_read_options *o = r->opts;
    s->layer = layer;
    const char *one[2] = {NULL, NULL};
    if (o && o->name_field) {
        one[0] = o->name_field;
        s->name_field = find_field(defn, one);
        if (s->name_field < 0)
            return bzi_error(r->ctx, BZ_ERR_NOT_FOUND, "%s: layer '%s' has no field '%s'", r->path,
                             r->layer_name, o->name_field);
    } else {
        s->name_field = find_field(defn, names);
    }
    if (o && o->population_field) {
        one[0] = o->population_field;
        s->pop_field = find_field(defn, one);
        if (s->pop_field < 0)
            return bzi_error(r->ctx, BZ_ERR_NOT_FOUND, "%s: layer '%s' has no field '%s'", r->path,
                             r->layer_name, o->population_field);
    } else {
        s->pop_field = find_field(defn, pops);
    }
    return BZ_OK;
}

static int collect_place(reader *r, OGRLayerH layer, OGRFeatureH f, GEOSGeometry *g)
{
    places_state *s = r->data;
    int rc = s->layer == layer ? BZ_OK : places_fields(r, s, layer);
    parts p = {0};
    if (rc == BZ_OK)
        rc = take_parts(r, &p, g, GEOS_POINT);
    else
        GEOSGeom_destroy_r(r->ctx->geos, g);
    const char *name = "";
    if (s->name_field >= 0 && OGR_F_IsFieldSetAndNotNull(f, s->name_field))
        name = OGR_F_GetFieldAsString(f, s->name_field);
    double pop = NAN;
    if (s->pop_field >= 0 && OGR_F_IsFieldSetAndNotNull(f, s->pop_field)) {
        const char *text = OGR_F_GetFieldAsString(f, s->pop_field);
        char *end = NULL;
        double v = strtod(text, &end);
        if (end != text && isfinite(v))
            pop = v;
    }
    /* A MultiPoint feature gives one place per point, all with the feature's name. */
    for (size_t i = 0; rc == BZ_OK && i < p.count; i++) {
        double lon = NAN, lat = NAN;
        GEOSGeomGetX_r(r->ctx->geos, p.items[i], &lon);
        GEOSGeomGetY_r(r->ctx->geos, p.items[i], &lat);
        rc = bzi_places_push(r->ctx, s->places, lon, lat, name, pop);
    }
    parts_free(r->ctx, &p);
    return rc;
}

int bz_read_places(bz_places **out, bz_context *ctx, const char *path, const bz_read_options *opts)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    int rc = check_args(ctx, out, path, opts, "bz_read_places");
    if (rc != BZ_OK)
        return rc;
    *out = NULL;
    places_state s = {bzi_places_new(), NULL, -1, -1};
    if (!s.places)
        return bzi_nomem(ctx, "reading places");
    rc = read_with(ctx, path, opts, collect_place, &s);
    if (rc == BZ_OK && s.places->count == 0)
        rc = bzi_error(ctx, BZ_ERR_TYPE, "%s: the matching features hold no points", path);
    if (rc != BZ_OK) {
        bz_places_free(s.places);
        return rc;
    }
    *out = s.places;
    return BZ_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Generic features                                                                         */
/* ---------------------------------------------------------------------------------------- */

typedef struct feature_rec {
    GEOSGeometry *geom; /* may be NULL */
    size_t nattrs;
    char **keys, **values; /* values[i] NULL when unset */
} feature_rec;

struct bz_features {
    bz_context *ctx; /* frees the geometries */
    size_t count, capacity;
    feature_rec *items;
};

static void feature_rec_free(bz_context *ctx, feature_rec *rec)
{
    if (rec->geom)
        GEOSGeom_destroy_r(ctx->geos, rec->geom);
    for (size_t i = 0; i < rec->nattrs; i++) {
        free(rec->keys[i]);
        free(rec->values[i]);
    }
    free(rec->keys);
    free(rec->values);
}

static int collect_feature(reader *r, OGRLayerH layer, OGRFeatureH f, GEOSGeometry *g)
{
    (void)layer;
    bz_features *fs = r->data;
    if (fs->count == fs->capacity) {
        size_t cap = fs->capacity ? 2 * fs->capacity : 32;
        feature_rec *items = realloc(fs->items, cap * sizeof *items);
        if (!items) {
            if (g)
                GEOSGeom_destroy_r(r->ctx->geos, g);
            return bzi_nomem(r->ctx, "storing features");
        }
        fs->items = items;
        fs->capacity = cap;
    }
    feature_rec *rec = &fs->items[fs->count++];
    memset(rec, 0, sizeof *rec);
    rec->geom = g;
    int n = OGR_F_GetFieldCount(f);
    if (n <= 0)
        return BZ_OK;
    rec->keys = calloc((size_t)n, sizeof *rec->keys);
    rec->values = calloc((size_t)n, sizeof *rec->values);
    if (!rec->keys || !rec->values)
        return bzi_nomem(r->ctx, "storing attributes");
    for (int i = 0; i < n; i++) {
        rec->keys[i] = bzi_dup_text(OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, i)));
        rec->nattrs = (size_t)i + 1;
        if (!rec->keys[i])
            return bzi_nomem(r->ctx, "storing attributes");
        if (!OGR_F_IsFieldSetAndNotNull(f, i))
            continue;
        rec->values[i] = bzi_dup_text(OGR_F_GetFieldAsString(f, i));
        if (!rec->values[i])
            return bzi_nomem(r->ctx, "storing attributes");
    }
    return BZ_OK;
}

int bz_read_features(bz_features **out, bz_context *ctx, const char *path,
                     const bz_read_options *opts)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    int rc = check_args(ctx, out, path, opts, "bz_read_features");
    if (rc != BZ_OK)
        return rc;
    *out = NULL;
    bz_features *fs = calloc(1, sizeof *fs);
    if (!fs)
        return bzi_nomem(ctx, "reading features");
    fs->ctx = ctx;
    rc = read_with(ctx, path, opts, collect_feature, fs);
    if (rc != BZ_OK) {
        bz_features_free(fs);
        return rc;
    }
    *out = fs;
    return BZ_OK;
}

size_t bz_features_count(const bz_features *features)
{
    return features ? features->count : 0;
}

const GEOSGeometry *bz_features_geometry(const bz_features *features, size_t i)
{
    if (!features || i >= features->count)
        return NULL;
    return features->items[i].geom;
}

const char *bz_features_attr(const bz_features *features, size_t i, const char *field)
{
    if (!features || !field || i >= features->count)
        return NULL;
    const feature_rec *rec = &features->items[i];
    /* Exact name first; then as OGR does, ignoring case (Shapefile/DBF may change it). */
    for (size_t k = 0; k < rec->nattrs; k++)
        if (strcmp(rec->keys[k], field) == 0)
            return rec->values[k];
    for (size_t k = 0; k < rec->nattrs; k++)
        if (strcasecmp(rec->keys[k], field) == 0)
            return rec->values[k];
    return NULL;
}

void bz_features_free(bz_features *features)
{
    if (!features)
        return;
    for (size_t i = 0; i < features->count; i++)
        feature_rec_free(features->ctx, &features->items[i]);
    free(features->items);
    free(features);
}

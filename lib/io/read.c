/*
 * io/read.c — the GDAL/OGR reading loop behind bz_read_line, bz_read_polygon, bz_read_places
 * and bz_read_features: any vector source GDAL opens (GeoJSON, also nested or 3-D; Shapefile
 * with its .prj; GeoPackage; KML; FlatGeobuf; TopoJSON; ...).
 *
 * One loop (bzi_read_with) opens the file, picks the layers, applies the WHERE filter, turns
 * every feature's geometry into 2-D WGS84 lon/lat and hands it to the GEOS handle of the
 * caller's context. What to keep from each feature is the job of a small collector per public
 * function (read_geometry.c, read_places.c, features.c); the parts helpers at the end are what
 * the collectors of lines, polygons and points share.
 */
#include "io/read.h"
#include "core/geometry.h"
#include "io/geojson_read.h"
#include "core/context.h"

#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---------------------------------------------------------------------------------------- */
/* The reading loop                                                                         */
/* ---------------------------------------------------------------------------------------- */

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

/* bzi_find_coord's test for a coordinate that is not a number at all. */
static int not_finite(double x, double y, void *arg)
{
    (void)arg;
    return !isfinite(x) || !isfinite(y);
}

/* Every coordinate must be plausible lon/lat: strictly so when the source names no CRS (then
 * lon/lat is only our guess), loosely (unwrapped longitudes allowed) when it does. Coordinates
 * that are not numbers at all are checked later, with their index (not_finite). */
static int check_lonlat(bzi_reader *r, OGRGeometryH g, int has_crs)
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
static int to_geos(GEOSGeometry **out, bzi_reader *r, GEOSWKBReader *wkb, OGRGeometryH src,
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
    size_t bad = 0;
    double bx = 0.0, by = 0.0;
    if (bzi_find_coord(r->ctx->geos, *out, not_finite, NULL, &bad, &bx, &by) == 1) {
        GEOSGeom_destroy_r(r->ctx->geos, *out);
        *out = NULL;
        return bzi_error(r->ctx, BZ_ERR_GEOMETRY,
                         "%s: layer '%s', feature %lld, vertex %zu: a coordinate is not a finite "
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
static int layer_transform(OGRCoordinateTransformationH *ct, int *has_crs, bzi_reader *r,
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
static int read_layer(bzi_reader *r, OGRLayerH layer, OGRSpatialReferenceH wgs84,
                      GEOSWKBReader *wkb, bzi_gdal_quiet *q, size_t *matched)
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

static int read_layers(bzi_reader *r, GDALDatasetH ds, OGRSpatialReferenceH wgs84,
                       bzi_gdal_quiet *q)
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

static int read_source(bzi_reader *r)
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

int bzi_read_check_args(bz_context *ctx, const void *out, const char *path,
                        const bz_read_options *opts, const char *fn)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || !path)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "%s: NULL argument", fn);
    if (!opts)
        return BZ_OK;
#ifdef BZI_TEST_HOOKS
    if (opts->version == BZI_READ_OPTIONS_ROUTED) /* internal tests only, see io/geojson_read.h */
        return BZ_OK;
#endif
    return bzi_check_options_version(ctx, fn, "bz_read_options", opts->version,
                                     BZ_READ_OPTIONS_VERSION);
}

/* A reader of `path` that hands each feature to `collect` with `data` as its state. */
bzi_reader bzi_reader_for(bz_context *ctx, const char *path, const bz_read_options *opts,
                          bzi_collect_fn collect, void *data)
{
    return (bzi_reader){.ctx = ctx,
                        .path = path,
                        .opts = opts,
                        .layer_name = "",
                        .fid = -1,
                        .collect = collect,
                        .data = data};
}

/* Read every matching feature of `path` through GDAL. */
int bzi_read_with(bz_context *ctx, const char *path, const bz_read_options *opts,
                  bzi_collect_fn collect, void *data)
{
    bzi_reader r = bzi_reader_for(ctx, path, opts, collect, data);
    return read_source(&r);
}

/* ---------------------------------------------------------------------------------------- */
/* Collecting parts of one dimension (lines, polygons, points)                              */
/* ---------------------------------------------------------------------------------------- */

/* Append g to p (taking it; destroyed when memory runs out). */
static int push(bz_context *ctx, bzi_geom_list *p, GEOSGeometry *g)
{
    return bzi_geom_list_push(ctx->geos, p, g) == 0 ? BZ_OK
                                                    : bzi_nomem(ctx, "collecting geometries");
}

static int is_collection(int type)
{
    return type == GEOS_MULTIPOINT || type == GEOS_MULTILINESTRING || type == GEOS_MULTIPOLYGON ||
           type == GEOS_GEOMETRYCOLLECTION;
}

/* Copy every simple part of type `want` (GEOS_LINESTRING / GEOS_POLYGON / GEOS_POINT) out of
 * g, descending into collections; *others counts parts of another type. */
int bzi_extract_parts(bz_context *ctx, bzi_geom_list *p, const GEOSGeometry *g, int want,
                      size_t *others)
{
    int type = GEOSGeomTypeId_r(ctx->geos, g);
    if (is_collection(type)) {
        int n = GEOSGetNumGeometries_r(ctx->geos, g);
        for (int i = 0; i < n; i++) {
            int rc = bzi_extract_parts(ctx, p, GEOSGetGeometryN_r(ctx->geos, g, i), want, others);
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
        return push(ctx, p, ls);
    }
    if (type != want) {
        (*others)++;
        return BZ_OK;
    }
    GEOSGeometry *copy = GEOSGeom_clone_r(ctx->geos, g);
    if (!copy)
        return bzi_geos_error(ctx, "copying a geometry");
    return push(ctx, p, copy);
}

static const char *dimension_word(int want)
{
    return want == GEOS_POLYGON ? "polygon" : want == GEOS_LINESTRING ? "line" : "point";
}

/* Take the parts of the wanted type from one feature. A feature that is of another type (not a
 * GeometryCollection, which may mix types and gives what it has) is the caller's mistake:
 * BZ_ERR_TYPE naming the feature. */
int bzi_take_parts(bzi_reader *r, bzi_geom_list *p, GEOSGeometry *g, int want)
{
    if (!g)
        return BZ_OK;
    bz_context *ctx = r->ctx;
    int type = GEOSGeomTypeId_r(ctx->geos, g);
    size_t before = p->n, others = 0;
    int rc = bzi_extract_parts(ctx, p, g, want, &others);
    if (rc == BZ_OK && others > 0 && type != GEOS_GEOMETRYCOLLECTION && p->n == before) {
        char *name = GEOSGeomType_r(ctx->geos, g); /* GEOS allocates it */
        rc = bzi_error(ctx, BZ_ERR_TYPE, "%s: layer '%s', feature %lld is a %s, not a %s", r->path,
                       r->layer_name, r->fid, name ? name : "geometry", dimension_word(want));
        GEOSFree_r(ctx->geos, name);
    }
    GEOSGeom_destroy_r(ctx->geos, g);
    return rc;
}

/*
 * io_write.c — writing results for GIS viewers through GDAL/OGR, without ever losing data.
 *
 * Every output is first written into a fresh temporary directory beside the target (same
 * file system, so the final rename is atomic); bz_writer_commit() moves the finished file(s)
 * into place, and any failure removes the temporary directory and leaves an existing target
 * byte-identical. What is at the target decides the rest (io_output.c: symlinks followed, FIFOs
 * and devices streamed into, mode and owner kept, /vsimem/ through GDAL). Layouts per format:
 *  - GeoJSON / most drivers: one layer, any geometry type (GeoJSON: RFC 7946, simplestyle);
 *  - ESRI Shapefile: one file per geometry type, out_polygons.shp / out_lines.shp / out_points.shp;
 *  - GeoPackage / SQLite: one layer per kind (zone, withdrawal_line, ...).
 */
#include "io/io_output.h"
#include "io/io_style.h"
#include "core/context.h"
#include "core/text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

enum layout { LAYOUT_SINGLE, LAYOUT_PER_TYPE, LAYOUT_PER_KIND };
enum geom_class { CLASS_MIXED = -1, CLASS_POINT = 0, CLASS_LINE = 1, CLASS_POLYGON = 2 };

#define class_suffix bzi_shp_class_suffix
static const OGRwkbGeometryType class_multi[] = {wkbMultiPoint, wkbMultiLineString,
                                                 wkbMultiPolygon};

typedef struct out_layer {
    char *kind; /* LAYOUT_PER_KIND: the kind it holds */
    int cls;    /* LAYOUT_PER_TYPE / PER_KIND: the geometry class it holds */
    OGRLayerH layer;
    char name[256]; /* as the driver named it: to find it again when verifying */
    size_t count;   /* features written to it */
} out_layer;

struct bz_writer {
    bz_context *ctx;
    char *path;   /* the target */
    char *dir;    /* its directory */
    char *base;   /* its file name */
    char *stem;   /* the file name without extension */
    char *tmpdir; /* mkdtemp'd beside the target; everything is written in here */
    GDALDatasetH ds;
    OGRSpatialReferenceH srs;
    int layout, geojson, csv, overwrite;
    int vsi;       /* a GDAL virtual path (/vsimem/...): VSI calls instead of POSIX ones */
    int stream;    /* a FIFO or character device: GeoJSON goes straight in, no temporary file */
    int stream_fd; /* /dev/stdout, /dev/fd/N: the descriptor N the stream is (else -1) */
    VSILFILE *json_vsi; /* GeoJSON's temporary file when vsi (else json_fd) */
    int needs_geometry; /* FlatGeobuf skips features without geometry: refuse them instead */
    out_layer *layers;
    size_t nlayers;
    char **sides; /* distinct side names, in order of appearance: their colour index */
    size_t nsides;
    int style;             /* write QGIS styles (bz_write_options.no_style is 0) */
    bzi_style_item *items; /* distinct kind/side/class written, in order: what to style */
    size_t nitems;
    size_t nfeatures;
    int fail_status; /* an add failed: commit refuses and cleans up */
    char fail_msg[BZI_ERRMSG_SIZE];
    /* GeoJSON is written directly (see "GeoJSON, written directly"), not through GDAL: */
    int json_fd;     /* the temporary file (or the stream), -1 when closed */
    char *json_buf;  /* bytes not yet written */
    size_t json_len; /* how many */
    int json_errno;  /* the first failed write(), 0 if none */
    FILE *json_mem;  /* bz_zones_to_geojson: the bytes go here (open_memstream), not to json_fd */
    char *json_mem_text;
    size_t json_mem_size;
    double *json_xy; /* scratch: one coordinate sequence */
    size_t json_xy_cap;
    const GEOSGeometry **json_parts; /* scratch: the parts of one Multi* geometry */
    size_t json_parts_cap;
};

/* ---------------------------------------------------------------------------------------- */
/* Files and names                                                                          */
/* ---------------------------------------------------------------------------------------- */

/* malloc'ed "a/b" (or "b" when a is NULL). */
static char *join(const char *a, const char *b)
{
    size_t la = a ? strlen(a) : 0, lb = strlen(b);
    char *s = malloc(la + lb + 2);
    if (!s)
        return NULL;
    if (a) {
        memcpy(s, a, la);
        s[la] = '/';
        memcpy(s + la + 1, b, lb + 1);
    } else {
        memcpy(s, b, lb + 1);
    }
    return s;
}

static int path_exists(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0;
}

/* Remove the temporary directory and everything in it (it holds only files we made).
 * No allocation here: it runs on error paths, out-of-memory ones included. */
static void remove_tmpdir(const char *tmpdir)
{
    DIR *d = opendir(tmpdir);
    if (d) {
        struct dirent *e;
        char p[PATH_MAX];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            int n = snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
            if (n > 0 && (size_t)n < sizeof p)
                unlink(p);
        }
        closedir(d);
    }
    rmdir(tmpdir);
}

/* The files a Shapefile output set `stem_<class>` consists of (io_output.c). */
#define shp_exts bzi_shp_exts

static int shp_member(char *buf, size_t size, const bz_writer *w, int cls, const char *ext)
{
    return bzi_shp_member(buf, size, w->dir, w->stem, cls, ext);
}

/* ---------------------------------------------------------------------------------------- */
/* GeoJSON, written directly                                                                */
/* ---------------------------------------------------------------------------------------- */

/*
 * GDAL's GeoJSON driver builds a json-c tree of every coordinate, prints it into one string
 * and passes that through a printf, and it does not report a failed write, so its output had
 * to be read back and parsed again: on the 1,140 km front that was 2-5 s, more than computing
 * the zones. GeoJSON is simple enough to write here: the same text GDAL writes with RFC7946=YES
 * and COORDINATE_PRECISION=7, coordinates formatted with integer arithmetic (no locale), bytes
 * out through write() with every result checked, then fsync() and close() checked: a full disk
 * or a file size limit is an error of the write itself, with no read-back needed.
 */
#define JSON_BUF_SIZE ((size_t)1 << 20)

/* Write out the buffer. The first failure is kept; after it, bytes are dropped (the writer
 * reports the failure and never commits). */
static void json_flush(bz_writer *w)
{
    if (w->json_mem) {
        if (w->json_errno == 0 && w->json_len &&
            fwrite(w->json_buf, 1, w->json_len, w->json_mem) != w->json_len)
            w->json_errno = ENOMEM;
        w->json_len = 0;
        return;
    }
    size_t off = 0;
    if (w->json_vsi && w->json_errno == 0 &&
        VSIFWriteL(w->json_buf, 1, w->json_len, w->json_vsi) != w->json_len)
        w->json_errno = EIO;
    while (!w->json_vsi && w->json_errno == 0 && off < w->json_len) {
        ssize_t n = write(w->json_fd, w->json_buf + off, w->json_len - off);
        if (n > 0)
            off += (size_t)n;
        else if (n == 0)
            w->json_errno = EIO;
        else if (errno != EINTR)
            w->json_errno = errno;
    }
    w->json_len = 0;
}

static void json_put(bz_writer *w, const char *s, size_t n)
{
    while (n > 0) {
        if (w->json_len == JSON_BUF_SIZE)
            json_flush(w);
        size_t k = JSON_BUF_SIZE - w->json_len;
        if (k > n)
            k = n;
        memcpy(w->json_buf + w->json_len, s, k);
        w->json_len += k;
        s += k;
        n -= k;
    }
}

static void json_text(bz_writer *w, const char *s)
{
    json_put(w, s, strlen(s));
}

static void json_string(bz_writer *w, const char *s)
{
    json_put(w, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            json_put(w, esc, 2);
        } else if (*p < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)*p);
            json_put(w, esc, 6);
        } else {
            json_put(w, (const char *)p, 1);
        }
    }
    json_put(w, "\"", 1);
}

/* printf's decimal point is the locale's; JSON's is '.'. The point is taken from what printf
 * itself writes: localeconv() fills one static struct at every call, a data race when two
 * threads write at once (DRD reported it). */
static void fix_decimal_point(char *s)
{
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 0.5); /* "0" point "5" */
    probe[strlen(probe) - 1] = '\0';
    const char *dp = probe + 1;
    if (!dp[0] || strcmp(dp, ".") == 0)
        return;
    char *at = strstr(s, dp);
    if (at) {
        size_t n = strlen(dp);
        *at = '.';
        memmove(at + 1, at + n, strlen(at + n) + 1);
    }
}

/* A property value: the shortest of 15-17 significant digits that reads back exactly (what
 * GDAL writes), "null" for NaN or infinity. */
static void json_number(bz_writer *w, double v)
{
    if (!isfinite(v)) {
        json_text(w, "null");
        return;
    }
    char s[48];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(s, sizeof s, "%.*g", digits, v);
        if (strtod(s, NULL) == v) /* same locale as snprintf */
            break;
    }
    fix_decimal_point(s);
    if (!strpbrk(s, ".e"))
        strcat(s, ".0");
    json_text(w, s);
}

/* A coordinate with at most 7 decimals, trailing zeros dropped ("%.7f", trimmed as GDAL
 * does), from integer arithmetic: no printf and no locale in the loop that writes every
 * vertex. */
static void json_coord(bz_writer *w, double v)
{
    char s[48];
    if (!(fabs(v) < 1e11)) { /* not a lon/lat: unwrapped or odd, printf handles it */
        snprintf(s, sizeof s, "%.7f", v);
        fix_decimal_point(s);
        json_text(w, s);
        return;
    }
    long long n = llround(v * 1e7);
    unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
    unsigned long long whole = u / 10000000ULL, frac = u % 10000000ULL;
    char *p = s + sizeof s;
    int digits = 7;
    while (digits > 1 && frac % 10 == 0) { /* keep at least one decimal: "33.0" */
        frac /= 10;
        digits--;
    }
    for (int i = 0; i < digits; i++, frac /= 10)
        *--p = (char)('0' + frac % 10);
    *--p = '.';
    do {
        *--p = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    if (n < 0)
        *--p = '-';
    json_put(w, p, (size_t)(s + sizeof s - p));
}

static void json_head(bz_writer *w)
{
    json_text(w, "{\n\"type\": \"FeatureCollection\",\n\"name\": ");
    json_string(w, w->stem);
    json_text(w, ",\n\"features\": [\n");
}

/* Create the temporary file (or open the stream) and write the collection's head. */
static int json_open(bz_writer *w)
{
    char *target = w->stream ? bzi_dup_text(w->path) : join(w->tmpdir, w->base);
    w->json_buf = malloc(JSON_BUF_SIZE);
    if (!target || !w->json_buf) {
        free(target);
        return bzi_nomem(w->ctx, "opening a writer");
    }
    int e = 0;
    if (w->vsi) {
        w->json_vsi = VSIFOpenL(target, "wb");
        e = EIO;
    } else if (w->stream) {
        /* No O_CREAT, no O_TRUNC: it is there and is not ours to replace. A FIFO blocks here
         * until a reader opens it. */
        bzi_target t = {.kind = BZI_OUT_STREAM, .path = target, .fd = w->stream_fd};
        w->json_fd = bzi_stream_open(&t);
        e = errno;
    } else {
        w->json_fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        e = errno;
    }
    free(target);
    if (w->json_fd < 0 && !w->json_vsi)
        return bzi_error(w->ctx, BZ_ERR_IO, "cannot %s %s (GeoJSON): %s",
                         w->stream ? "open" : "create", w->path, strerror(e));
    json_head(w);
    return BZ_OK;
}

/* The collection's tail, then every byte to the disk; any failure on the way is reported. */
static int json_close(bz_writer *w)
{
    json_text(w, "\n]\n}\n");
    json_flush(w);
    int e = w->json_errno;
    if (w->json_vsi) {
        if (VSIFCloseL(w->json_vsi) != 0 && e == 0)
            e = EIO;
        w->json_vsi = NULL;
    } else {
        /* A pipe or a device cannot be fsync'ed (EINVAL): what it does with the bytes is the
         * reader's business. */
        if (e == 0 && !w->stream && fsync(w->json_fd) != 0)
            e = errno;
        if (close(w->json_fd) != 0 && e == 0)
            e = errno;
        w->json_fd = -1;
    }
    if (e != 0)
        return bzi_error(w->ctx, BZ_ERR_IO, "writing %s: %s", w->path, strerror(e));
    return BZ_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Writer life cycle                                                                        */
/* ---------------------------------------------------------------------------------------- */

static void writer_free(bz_writer *w)
{
    if (!w)
        return;
    if (w->ds)
        GDALClose(w->ds);
    if (w->json_fd >= 0)
        close(w->json_fd);
    if (w->json_vsi)
        VSIFCloseL(w->json_vsi);
    if (w->json_mem)
        fclose(w->json_mem);
    free(w->json_mem_text);
    free(w->json_buf);
    free(w->json_xy);
    free(w->json_parts);
    if (w->tmpdir && w->vsi)
        bzi_out_rmtree_vsi(w->tmpdir);
    else if (w->tmpdir)
        remove_tmpdir(w->tmpdir);
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

static int create_dataset(bz_writer *w, GDALDriverH drv, bzi_gdal_quiet *q)
{
    /* A Shapefile "dataset" on a directory makes one .shp per layer inside it. */
    char *target = w->layout == LAYOUT_PER_TYPE ? bzi_dup_text(w->tmpdir) : join(w->tmpdir, w->base);
    if (!target)
        return bzi_nomem(w->ctx, "opening a writer");
    w->ds = GDALCreate(drv, target, 0, 0, 0, GDT_Unknown, NULL);
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
    /* The output policy (io_output.c): where the files go, and whether they may. */
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
        return json_open(w);
    w->srs = bzi_wgs84_lonlat();
    if (!w->srs)
        return bzi_error(w->ctx, BZ_ERR_PROJECTION, "cannot make the WGS84 CRS: %s",
                         bzi_gdal_msg(q));
    rc = make_tmpdir(w);
    if (rc == BZ_OK && w->geojson)
        return json_open(w);
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
    w->json_fd = -1;
    bzi_gdal_quiet q;
    bzi_gdal_quiet_begin(&q);
    int rc = writer_setup(w, path, opts, &q);
    if (rc != BZ_OK)
        writer_free(w);
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
    writer_free(w);
    bzi_gdal_quiet_end(&q);
}

/* ---------------------------------------------------------------------------------------- */
/* Adding features                                                                          */
/* ---------------------------------------------------------------------------------------- */

static int geom_class(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    switch (GEOSGeomTypeId_r(h, g)) {
    case GEOS_POINT:
    case GEOS_MULTIPOINT: return CLASS_POINT;
    case GEOS_LINESTRING:
    case GEOS_LINEARRING:
    case GEOS_MULTILINESTRING: return CLASS_LINE;
    case GEOS_POLYGON:
    case GEOS_MULTIPOLYGON: return CLASS_POLYGON;
    default: break;
    }
    int n = GEOSGetNumGeometries_r(h, g), cls = CLASS_MIXED;
    for (int i = 0; i < n; i++) {
        int c = geom_class(h, GEOSGetGeometryN_r(h, g, i));
        if (c == CLASS_MIXED || (i > 0 && c != cls))
            return CLASS_MIXED;
        cls = c;
    }
    return cls;
}

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

/* Rectangle polygon [x0, x1] x [-90, 90]. */
static GEOSGeometry *lon_band(GEOSContextHandle_t h, double x0, double x1)
{
    GEOSCoordSequence *s = GEOSCoordSeq_create_r(h, 5, 2);
    if (!s)
        return NULL;
    const double xy[5][2] = {{x0, -90}, {x1, -90}, {x1, 90}, {x0, 90}, {x0, -90}};
    for (unsigned i = 0; i < 5; i++)
        GEOSCoordSeq_setXY_r(h, s, i, xy[i][0], xy[i][1]);
    GEOSGeometry *ring = GEOSGeom_createLinearRing_r(h, s);
    return ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
}

static int shift_lon(double *x, double *y, void *userdata)
{
    (void)y;
    *x += *(const double *)userdata;
    return 1;
}

/* RFC 7946 wants geometries cut at the antimeridian; our lines and zones may carry unwrapped
 * longitudes beyond ±180. Cut the geometry into 360° bands and shift each back into range.
 * Lines are clipped with ClipByRect, which keeps their direction. *out is a new geometry, or
 * NULL when g lies within ±180° and needs no cut. */
static int split_antimeridian(GEOSGeometry **out, bz_context *ctx, const GEOSGeometry *g, int cls)
{
    GEOSContextHandle_t h = ctx->geos;
    double xmin = 0, xmax = 0;
    if (GEOSisEmpty_r(h, g) || !GEOSGeom_getXMin_r(h, g, &xmin) ||
        !GEOSGeom_getXMax_r(h, g, &xmax) || (xmin >= -180.0 && xmax <= 180.0) ||
        cls == CLASS_MIXED) {
        *out = NULL; /* nothing to cut: the caller writes g itself, no copy */
        return BZ_OK;
    }
    GEOSGeometry *pieces[8];
    unsigned n = 0;
    for (int k = -2; k <= 2 && n < 8; k++) {
        double x0 = -180.0 + 360.0 * k, x1 = 180.0 + 360.0 * k;
        if (xmax < x0 || xmin > x1)
            continue;
        GEOSGeometry *piece = NULL;
        if (cls == CLASS_POLYGON) {
            GEOSGeometry *band = lon_band(h, x0, x1);
            piece = band ? GEOSIntersection_r(h, g, band) : NULL;
            if (band)
                GEOSGeom_destroy_r(h, band);
        } else {
            piece = GEOSClipByRect_r(h, g, x0, -90.0, x1, 90.0);
        }
        if (!piece) {
            for (unsigned i = 0; i < n; i++)
                GEOSGeom_destroy_r(h, pieces[i]);
            return bzi_geos_error(ctx, "cutting a geometry at the antimeridian");
        }
        double shift = -360.0 * k;
        GEOSGeometry *moved = k ? GEOSGeom_transformXY_r(h, piece, shift_lon, &shift) : piece;
        if (k)
            GEOSGeom_destroy_r(h, piece);
        if (!moved) {
            for (unsigned i = 0; i < n; i++)
                GEOSGeom_destroy_r(h, pieces[i]);
            return bzi_geos_error(ctx, "shifting a geometry across the antimeridian");
        }
        pieces[n++] = moved;
    }
    GEOSGeometry *all = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, pieces, n);
    if (!all) { /* GEOS owns the members from the call on, even when it fails (geos_c.h) */
        return bzi_geos_error(ctx, "collecting antimeridian pieces");
    }
    *out = all;
    return BZ_OK;
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

/* Colours per side (first side seen gets the first pair, io_style.c): zone fill, line stroke. */
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
static int note_item(bz_writer *w, const bz_feature_attrs *a, int cls)
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

/* simplestyle-spec properties so that geojson.io and GitHub colour the result, in the look of
 * the QGIS styles and bz-render (palette.h). */
typedef struct style {
    const char *fill, *stroke;
    double width, opacity, stroke_opacity;
} style;

static int style_for(style *st, bz_writer *w, const bz_feature_attrs *a, int cls)
{
    size_t colour = 0;
    if (a->side) {
        int rc = side_index(w, a->side, &colour);
        if (rc != BZ_OK)
            return rc;
    }
    bzi_look l = bzi_style_look(a->kind, a->side, colour, cls == CLASS_POLYGON ? 2 : 1);
    st->fill = l.fill;
    st->stroke = l.stroke;
    st->width = l.width_px;
    st->opacity = l.fill_opacity;
    st->stroke_opacity = l.stroke_opacity;
    return BZ_OK;
}

static int set_style(bz_writer *w, OGRFeatureH f, const bz_feature_attrs *a, int cls)
{
    style st;
    int rc = style_for(&st, w, a, cls);
    if (rc != BZ_OK)
        return rc;
    if (cls == CLASS_POLYGON) {
        OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "fill"), st.fill);
        OGR_F_SetFieldDouble(f, OGR_F_GetFieldIndex(f, "fill-opacity"), st.opacity);
    }
    OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "stroke"), st.stroke);
    OGR_F_SetFieldDouble(f, OGR_F_GetFieldIndex(f, "stroke-opacity"), st.stroke_opacity);
    OGR_F_SetFieldDouble(f, OGR_F_GetFieldIndex(f, "stroke-width"), st.width);
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

/* The coordinates of a Point, LineString or LinearRing, x y pairs in w->json_xy. */
static int json_coords_of(bz_writer *w, const GEOSGeometry *g, unsigned *count)
{
    GEOSContextHandle_t h = w->ctx->geos;
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, g);
    unsigned n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n))
        return bzi_geos_error(w->ctx, "reading coordinates");
    if (2 * (size_t)n > w->json_xy_cap) {
        double *grown = realloc(w->json_xy, 2 * (size_t)n * sizeof *grown);
        if (!grown)
            return bzi_nomem(w->ctx, "writing coordinates");
        w->json_xy = grown;
        w->json_xy_cap = 2 * (size_t)n;
    }
    if (n && !GEOSCoordSeq_copyToBuffer_r(h, seq, w->json_xy, 0, 0))
        return bzi_geos_error(w->ctx, "reading coordinates");
    *count = n;
    return BZ_OK;
}

/* "[ [ x, y ], ... ]", backwards when asked. */
static void json_positions(bz_writer *w, const double *xy, unsigned n, int backwards)
{
    json_put(w, "[ ", 2);
    for (unsigned k = 0; k < n; k++) {
        unsigned i = backwards ? n - 1 - k : k;
        json_put(w, k ? ", [ " : "[ ", k ? 4 : 2);
        json_coord(w, xy[2 * i]);
        json_put(w, ", ", 2);
        json_coord(w, xy[2 * i + 1]);
        json_put(w, " ]", 2);
    }
    json_put(w, " ]", 2);
}

/* RFC 7946: exterior rings counterclockwise, holes clockwise. Twice the signed area (shoelace,
 * relative to the first vertex for precision) tells a ring's turn; only a ring that turns the
 * wrong way is written backwards, no geometry is copied. */
static void json_ring(bz_writer *w, const double *xy, unsigned n, int exterior)
{
    double a2 = 0.0;
    for (unsigned i = 1; i + 1 < n; i++)
        a2 += (xy[2 * i] - xy[0]) * (xy[2 * i + 3] - xy[1]) -
              (xy[2 * i + 2] - xy[0]) * (xy[2 * i + 1] - xy[1]);
    json_positions(w, xy, n, exterior ? a2 < 0.0 : a2 > 0.0);
}

/* The "coordinates" member of one non-empty Point, LineString or Polygon. */
static int json_simple(bz_writer *w, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = w->ctx->geos;
    unsigned n = 0;
    int rc = BZ_OK;
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POINT) {
        rc = json_coords_of(w, g, &n);
        if (rc == BZ_OK && n) {
            json_put(w, "[ ", 2);
            json_coord(w, w->json_xy[0]);
            json_put(w, ", ", 2);
            json_coord(w, w->json_xy[1]);
            json_put(w, " ]", 2);
        }
        return rc;
    }
    if (type != GEOS_POLYGON) {
        rc = json_coords_of(w, g, &n);
        if (rc == BZ_OK)
            json_positions(w, w->json_xy, n, 0);
        return rc;
    }
    int holes = GEOSGetNumInteriorRings_r(h, g);
    if (holes < 0)
        return bzi_geos_error(w->ctx, "reading a polygon");
    json_put(w, "[ ", 2);
    for (int r = -1; rc == BZ_OK && r < holes; r++) {
        const GEOSGeometry *ring =
            r < 0 ? GEOSGetExteriorRing_r(h, g) : GEOSGetInteriorRingN_r(h, g, r);
        rc = ring ? json_coords_of(w, ring, &n) : bzi_geos_error(w->ctx, "reading a polygon");
        if (rc == BZ_OK) {
            if (r >= 0)
                json_put(w, ", ", 2);
            json_ring(w, w->json_xy, n, r < 0);
        }
    }
    json_put(w, " ]", 2);
    return rc;
}

/* The non-empty points, lines or polygons (by class) of g, collections flattened. */
static int json_collect(bz_writer *w, const GEOSGeometry *g, int cls, size_t *count)
{
    GEOSContextHandle_t h = w->ctx->geos;
    static const int simple[] = {GEOS_POINT, GEOS_LINESTRING, GEOS_POLYGON};
    int type = GEOSGeomTypeId_r(h, g);
    if (type == simple[cls] || (cls == CLASS_LINE && type == GEOS_LINEARRING)) {
        if (GEOSisEmpty_r(h, g))
            return BZ_OK;
        if (*count == w->json_parts_cap) {
            size_t cap = w->json_parts_cap ? 2 * w->json_parts_cap : 16;
            const GEOSGeometry **grown = realloc(w->json_parts, cap * sizeof *grown);
            if (!grown)
                return bzi_nomem(w->ctx, "writing a geometry");
            w->json_parts = grown;
            w->json_parts_cap = cap;
        }
        w->json_parts[(*count)++] = g;
        return BZ_OK;
    }
    if (type != GEOS_MULTIPOINT && type != GEOS_MULTILINESTRING && type != GEOS_MULTIPOLYGON &&
        type != GEOS_GEOMETRYCOLLECTION)
        return BZ_OK; /* another type (a sliver line of an antimeridian cut): not this class */
    int n = GEOSGetNumGeometries_r(h, g), rc = BZ_OK;
    for (int i = 0; rc == BZ_OK && i < n; i++)
        rc = json_collect(w, GEOSGetGeometryN_r(h, g, i), cls, count);
    return rc;
}

/*
 * A geometry as GDAL's RFC 7946 writer has it: points, lines or polygons as one Multi* value
 * (an antimeridian cut stays one feature), written as the single type when it has one part;
 * a mix of types as a GeometryCollection.
 */
static int json_geometry(bz_writer *w, const GEOSGeometry *g, int cls)
{
    static const char *const single[] = {"Point", "LineString", "Polygon"};
    static const char *const multi[] = {"MultiPoint", "MultiLineString", "MultiPolygon"};
    GEOSContextHandle_t h = w->ctx->geos;
    int rc = BZ_OK;
    if (cls == CLASS_MIXED) {
        int n = GEOSisEmpty_r(h, g) ? 0 : GEOSGetNumGeometries_r(h, g);
        json_text(w, n ? "{ \"type\": \"GeometryCollection\", \"geometries\": [ "
                       : "{ \"type\": \"GeometryCollection\", \"geometries\": [");
        for (int i = 0; rc == BZ_OK && i < n; i++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(h, g, i);
            if (i)
                json_put(w, ", ", 2);
            rc = json_geometry(w, part, geom_class(h, part));
        }
        json_text(w, " ] }");
        return rc;
    }
    size_t count = 0;
    rc = json_collect(w, g, cls, &count);
    if (rc != BZ_OK)
        return rc;
    json_text(w, "{ \"type\": \"");
    json_text(w, count == 1 ? single[cls] : multi[cls]);
    json_text(w, "\", \"coordinates\": ");
    if (count == 1) {
        rc = json_simple(w, w->json_parts[0]);
    } else if (count == 0) {
        json_put(w, "[ ]", 3);
    } else {
        json_put(w, "[ ", 2);
        /* json_simple does not touch json_parts: they stay valid through the loop */
        for (size_t i = 0; rc == BZ_OK && i < count; i++) {
            if (i)
                json_put(w, ", ", 2);
            rc = json_simple(w, w->json_parts[i]);
        }
        json_put(w, " ]", 2);
    }
    json_text(w, " }");
    return rc;
}

static void json_property(bz_writer *w, const char *name, const char *text, double number,
                          int is_text)
{
    json_put(w, ", ", 2);
    json_string(w, name);
    json_put(w, ": ", 2);
    if (!is_text)
        json_number(w, number);
    else if (text)
        json_string(w, text);
    else
        json_text(w, "null");
}

/* One feature: the same properties in the same order as the GDAL layer's fields. */
static int json_feature(bz_writer *w, const GEOSGeometry *g, int cls, const bz_feature_attrs *a)
{
    style st;
    int rc = style_for(&st, w, a, cls);
    if (rc != BZ_OK)
        return rc;
    json_text(w, w->nfeatures ? ",\n{ \"type\": \"Feature\", \"properties\": { \"kind\": "
                              : "{ \"type\": \"Feature\", \"properties\": { \"kind\": ");
    if (a->kind)
        json_string(w, a->kind);
    else
        json_text(w, "null");
    json_property(w, "side", a->side, 0, 1);
    json_property(w, "name", a->name, 0, 1);
    json_property(w, "distance_m", NULL, a->distance_m, 0);
    json_property(w, "area_km2", NULL, a->area_km2, 0);
    json_property(w, "length_km", NULL, a->length_km, 0);
    if (cls == CLASS_POLYGON) {
        json_property(w, "fill", st.fill, 0, 1);
        json_property(w, "fill-opacity", NULL, st.opacity, 0);
    }
    json_property(w, "stroke", st.stroke, 0, 1);
    json_property(w, "stroke-opacity", NULL, st.stroke_opacity, 0);
    json_property(w, "stroke-width", NULL, st.width, 0);
    json_text(w, " }, \"geometry\": ");
    rc = json_geometry(w, g, cls);
    json_text(w, " }");
    if (rc == BZ_OK && w->json_errno)
        rc = bzi_error(w->ctx, BZ_ERR_IO, "writing %s: feature %zu: %s", w->path, w->nfeatures,
                       strerror(w->json_errno));
    return rc;
}

static int add_feature(bz_writer *w, const GEOSGeometry *g, const bz_feature_attrs *a,
                       bzi_gdal_quiet *q)
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
                         w->path, w->nfeatures, xmin, xmax, ymin, ymax);
    int cls = geom_class(h, g);
    int rc = note_item(w, a, cls);
    if (rc != BZ_OK)
        return rc;
    if (w->geojson) {
        GEOSGeometry *cut = NULL;
        rc = split_antimeridian(&cut, ctx, g, cls);
        if (rc == BZ_OK)
            rc = json_feature(w, cut ? cut : g, cls, a);
        if (cut)
            GEOSGeom_destroy_r(h, cut);
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
    rc = w->geojson ? set_style(w, f, a, cls) : BZ_OK;
    if (rc == BZ_OK && OGR_L_CreateFeature(layer, f) != OGRERR_NONE)
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

int bz_writer_add(bz_writer *w, const GEOSGeometry *g, const bz_feature_attrs *attrs)
{
    if (!w)
        return BZ_ERR_ARGUMENT;
    bz_context *ctx = w->ctx;
    if (w->fail_status != BZ_OK)
        return bzi_error(ctx, w->fail_status, "%s", w->fail_msg);
    if (attrs && bzi_check_options_version(ctx, "bz_writer_add", "bz_feature_attrs", attrs->version,
                                           BZ_FEATURE_ATTRS_VERSION) != BZ_OK)
        return BZ_ERR_ARGUMENT;
    int rc;
    if (!g) {
        rc = bzi_error(ctx, BZ_ERR_ARGUMENT, "writing %s: feature %zu has no geometry", w->path,
                       w->nfeatures);
    } else {
        bz_feature_attrs none = BZ_FEATURE_ATTRS_INIT;
        bzi_gdal_quiet q;
        bzi_gdal_quiet_begin(&q);
        rc = add_feature(w, g, attrs ? attrs : &none, &q);
        bzi_gdal_quiet_end(&q);
    }
    if (rc != BZ_OK) {
        /* Half a result is worse than none: the writer now refuses to commit. */
        w->fail_status = rc;
        snprintf(w->fail_msg, sizeof w->fail_msg, "nothing written, an earlier feature failed: %s",
                 bz_errmsg(ctx));
    }
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* QGIS styles                                                                              */
/* ---------------------------------------------------------------------------------------- */

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
static int write_styles(bz_writer *w, bzi_gdal_quiet *q)
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

/* ---------------------------------------------------------------------------------------- */
/* Commit: move the finished files into place                                               */
/* ---------------------------------------------------------------------------------------- */

/*
 * Commit moves files in two phases. First every path is worked out (all allocation happens
 * here, so running out of memory changes nothing on disk). Then each output file is moved into
 * place, and with overwrite each file it replaces (or, for Shapefile sets, each stale member of
 * a geometry type this result lacks) is first hard-linked into the temporary directory, so that
 * a failure half-way through can put the old files back.
 */
typedef struct move {
    char *from;   /* finished file in the temporary directory; NULL = only remove `to` */
    char *to;     /* its place beside the target (a symlink's final target: the link stays) */
    char *backup; /* where the old `to` is kept until the commit succeeds */
    int done, backed_up;
    int replaces;   /* `to` is a regular file: the new one gets its mode and owner */
    struct stat st; /* ... which are these */
} move;

static void free_moves(move *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(m[i].from);
        free(m[i].to);
        free(m[i].backup);
    }
    free(m);
}

static int add_move(bz_writer *w, move *m, const char *name, const char *to)
{
    m->to = to ? bzi_dup_text(to) : join(w->dir, name);
    m->from = to ? NULL : join(w->tmpdir, name);
    size_t n = strlen(w->tmpdir) + strlen(name) + 8;
    m->backup = malloc(n);
    if (!m->to || (!to && !m->from) || !m->backup)
        return bzi_nomem(w->ctx, "committing the output");
    snprintf(m->backup, n, "%s/.old-%s", w->tmpdir, name);
    if (!m->from || w->vsi)
        return BZ_OK; /* a stale member is removed by its own name, even a symlink */
    /* The output policy again, for each file (a Shapefile set's members were not looked at
     * by name until now): follow symlinks, refuse what is not a regular file. */
    bzi_target t;
    int rc = bzi_target_resolve(&t, w->ctx, m->to);
    if (rc == BZ_OK && t.kind == BZI_OUT_STREAM)
        rc = bzi_error(w->ctx, BZ_ERR_IO, "cannot write %s: %s is a FIFO or a device", w->path,
                       m->to);
    if (rc != BZ_OK) {
        bzi_target_clear(&t);
        return rc;
    }
    free(m->to);
    m->to = t.path;
    m->replaces = t.kind == BZI_OUT_FILE;
    m->st = t.st;
    return BZ_OK;
}

/* The number of finished files in a virtual temporary directory's listing. */
static size_t count_vsi(char **names)
{
    size_t n = 0;
    for (char **p = names; p && *p; p++)
        n += (*p)[0] != '.';
    return n;
}

/* Overwriting a Shapefile set: members of geometry types this result does not have belong
 * to an older result and would be taken for part of this one. */
static int is_stale_class(const bz_writer *w, int cls)
{
    if (w->layout != LAYOUT_PER_TYPE || !w->overwrite)
        return 0;
    for (size_t i = 0; i < w->nlayers; i++)
        if (w->layers[i].cls == cls)
            return 0;
    return 1;
}

static int plan_moves(bz_writer *w, move **out, size_t *count)
{
    if (w->vsi) {
        char **names = VSIReadDir(w->tmpdir);
        size_t files = count_vsi(names);
        move *m = calloc(files ? files : 1, sizeof *m);
        if (!m) {
            CSLDestroy(names);
            return bzi_nomem(w->ctx, "committing the output");
        }
        size_t n = 0;
        int rc = BZ_OK;
        for (char **p = names; rc == BZ_OK && p && *p; p++)
            if ((*p)[0] != '.')
                rc = add_move(w, &m[n++], *p, NULL);
        CSLDestroy(names);
        if (rc != BZ_OK) {
            free_moves(m, n);
            return rc;
        }
        *out = m;
        *count = n;
        return BZ_OK;
    }
    DIR *d = opendir(w->tmpdir);
    if (!d)
        return bzi_error(w->ctx, BZ_ERR_IO, "cannot list %s: %s", w->tmpdir, strerror(errno));
    size_t files = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        files += e->d_name[0] != '.';
    size_t nexts = sizeof shp_exts / sizeof shp_exts[0], cap = files + 3 * nexts;
    move *m = calloc(cap, sizeof *m);
    if (!m) {
        closedir(d);
        return bzi_nomem(w->ctx, "committing the output");
    }
    size_t n = 0;
    int rc = BZ_OK;
    rewinddir(d);
    while (rc == BZ_OK && (e = readdir(d)) != NULL && n < files)
        if (e->d_name[0] != '.')
            rc = add_move(w, &m[n++], e->d_name, NULL);
    closedir(d);
    char stale[PATH_MAX], name[PATH_MAX];
    for (int cls = 0; rc == BZ_OK && cls < 3; cls++) {
        for (size_t x = 0; is_stale_class(w, cls) && rc == BZ_OK && x < nexts; x++) {
            if (!shp_member(stale, sizeof stale, w, cls, shp_exts[x]) || !path_exists(stale))
                continue;
            snprintf(name, sizeof name, "%s_%s.%s", w->stem, class_suffix[cls], shp_exts[x]);
            rc = add_move(w, &m[n++], name, stale);
        }
    }
    if (rc != BZ_OK) {
        free_moves(m, n);
        return rc;
    }
    *out = m;
    *count = n;
    return BZ_OK;
}

/* GDAL's virtual files have no link(): check, then rename. */
static int do_move_vsi(bz_writer *w, move *m)
{
    int exists = bzi_vsi_exists(m->to);
    if (exists && !w->overwrite)
        return bzi_error(w->ctx, BZ_ERR_EXISTS, "%s exists", m->to);
    if (exists && VSIRename(m->to, m->backup) == 0)
        m->backed_up = 1;
    else if (exists)
        return bzi_error(w->ctx, BZ_ERR_IO, "cannot replace %s", m->to);
    if (m->from && VSIRename(m->from, m->to) != 0)
        return bzi_error(w->ctx, BZ_ERR_IO, "cannot move the output into place as %s", m->to);
    return BZ_OK;
}

/* Put one file in place. Without overwrite, link() refuses to clobber a file that appeared
 * since bz_writer_open (file systems without hard links: check, then rename). */
static int do_move(bz_writer *w, move *m)
{
    if (w->vsi)
        return do_move_vsi(w, m);
    if (m->replaces && w->overwrite) {
        int rc = bzi_keep_attributes(w->ctx, m->from, &m->st, m->to);
        if (rc != BZ_OK)
            return rc;
    }
    if (!w->overwrite) {
        if (link(m->from, m->to) == 0) {
            unlink(m->from);
            return BZ_OK;
        }
        if (errno == EEXIST || path_exists(m->to))
            return bzi_error(w->ctx, BZ_ERR_EXISTS, "%s exists", m->to);
    } else if (path_exists(m->to) && link(m->to, m->backup) == 0) {
        m->backed_up = 1;
    }
    int failed = m->from ? rename(m->from, m->to) != 0 : unlink(m->to) != 0;
    if (failed)
        return bzi_error(w->ctx, BZ_ERR_IO, "cannot %s %s: %s",
                         m->from ? "move the output into place as" : "remove the stale", m->to,
                         strerror(errno));
    return BZ_OK;
}

/* Undo the moves done so far, newest first: restore what was replaced, remove what is new. */
static void undo_moves(move *m, size_t n, int vsi)
{
    for (size_t i = n; i-- > 0;) {
        if (!m[i].done)
            continue;
        if (vsi && m[i].from)
            VSIUnlink(m[i].to); /* VSIRename need not replace an existing name */
        if (m[i].backed_up)
            vsi ? VSIRename(m[i].backup, m[i].to) : rename(m[i].backup, m[i].to);
        else if (m[i].from && !vsi)
            unlink(m[i].to);
    }
}

static int move_into_place(bz_writer *w)
{
    move *m = NULL;
    size_t n = 0;
    int rc = plan_moves(w, &m, &n);
    for (size_t i = 0; rc == BZ_OK && i < n; i++) {
        rc = do_move(w, &m[i]);
        m[i].done = rc == BZ_OK;
    }
    if (rc != BZ_OK)
        undo_moves(m, n, w->vsi);
    free_moves(m, n);
    return rc;
}

/* GDAL's writers do not all notice a failed write (a full disk, a file size limit): read the
 * closed output back and count its features before anything replaces the old file. */
static int verify_output(bz_writer *w, bzi_gdal_quiet *q)
{
    char *target = w->layout == LAYOUT_PER_TYPE ? bzi_dup_text(w->tmpdir) : join(w->tmpdir, w->base);
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

/* Flush every finished file to the disk, so that a full disk shows now and not after the
 * rename has replaced the old output. */
static int sync_tmpdir(bz_writer *w)
{
    DIR *d = opendir(w->tmpdir);
    if (!d)
        return bzi_error(w->ctx, BZ_ERR_IO, "cannot list %s: %s", w->tmpdir, strerror(errno));
    int rc = BZ_OK;
    struct dirent *e;
    char p[PATH_MAX];
    while (rc == BZ_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        int n = snprintf(p, sizeof p, "%s/%s", w->tmpdir, e->d_name);
        int fd = n > 0 && (size_t)n < sizeof p ? open(p, O_RDONLY) : -1;
        if (fd < 0 || fsync(fd) != 0)
            rc = bzi_error(w->ctx, BZ_ERR_IO, "writing %s: cannot flush %s to disk: %s", w->path,
                           e->d_name, strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    closedir(d);
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
        int rc = json_close(w);
        if (rc == BZ_OK && !w->stream)
            rc = write_styles(w, q);
        return rc == BZ_OK && !w->stream ? move_into_place(w) : rc;
    }
    q->msg[0] = '\0';
    int rc = write_styles(w, q); /* GeoPackage: inside the dataset, before it is closed */
    if (rc != BZ_OK)
        return rc;
    GDALClose(w->ds); /* flushes: failures surface here, through the quiet handler */
    w->ds = NULL;
    if (q->msg[0])
        return bzi_error(w->ctx, BZ_ERR_IO, "writing %s: %s", w->path, q->msg);
    rc = w->vsi ? BZ_OK : sync_tmpdir(w); /* memory has no disk to flush to */
    if (rc == BZ_OK)
        rc = verify_output(w, q);
    return rc == BZ_OK ? move_into_place(w) : rc;
}

int bz_writer_commit(bz_writer *w)
{
    if (!w)
        return BZ_ERR_ARGUMENT;
    bzi_gdal_quiet q;
    bzi_gdal_quiet_begin(&q);
    int rc = commit(w, &q);
    writer_free(w); /* removes whatever is left of the temporary directory */
    bzi_gdal_quiet_end(&q);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* A zone result                                                                            */
/* ---------------------------------------------------------------------------------------- */

/* (bz_zones_to_geojson, below, writes the same features through the same writer.) */
static int add_zone_side(bz_writer *w, const bz_zones *zones, bz_side side, const char *name)
{
    bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;
    a.kind = "zone";
    a.side = name;
    a.distance_m = bz_zones_distance(zones, side);
    a.area_km2 = bz_zones_area(zones, side) / 1e6;
    int rc = bz_writer_add(w, bz_zones_zone(zones, side), &a);
    if (rc != BZ_OK)
        return rc;
    a.kind = "withdrawal_line";
    a.area_km2 = NAN;
    a.length_km = bz_zones_withdrawal_length(zones, side) / 1e3;
    return bz_writer_add(w, bz_zones_withdrawal_line(zones, side), &a);
}

static int add_zone_features(bz_writer *w, bz_context *ctx, const bz_zones *zones,
                             const char *name_a, const char *name_b);

int bz_zones_write(bz_context *ctx, const bz_zones *zones, const char *path, const char *name_a,
                   const char *name_b, const bz_write_options *opts)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!zones || !path)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_zones_write: NULL argument");
    if (opts && bzi_check_options_version(ctx, "bz_zones_write", "bz_write_options", opts->version,
                                          BZ_WRITE_OPTIONS_VERSION) != BZ_OK)
        return BZ_ERR_ARGUMENT;
    bz_writer *w = NULL;
    int rc = bz_writer_open(&w, ctx, path, opts);
    if (rc != BZ_OK)
        return rc;
    rc = add_zone_features(w, ctx, zones, name_a, name_b);
    if (rc != BZ_OK) {
        bz_writer_abort(w);
        return rc;
    }
    return bz_writer_commit(w);
}

/* Every feature of a zone result, in bz_zones_write's order. */
static int add_zone_features(bz_writer *w, bz_context *ctx, const bz_zones *zones,
                             const char *name_a, const char *name_b)
{
    int rc = add_zone_side(w, zones, BZ_SIDE_A, name_a ? name_a : "A");
    if (rc == BZ_OK)
        rc = add_zone_side(w, zones, BZ_SIDE_B, name_b ? name_b : "B");
    if (rc == BZ_OK) {
        bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;
        a.kind = "contact_line";
        a.length_km = bz_zones_contact_length(zones) / 1e3;
        const bz_line *line = bz_zones_contact_line(zones);
        rc = line ? bz_writer_add(w, bz_line_geometry(line), &a)
                  : bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_zones_write: the result has no line");
    }
    if (rc == BZ_OK) {
        bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;
        a.kind = "buffer_zone";
        a.area_km2 = bz_zones_buffer_area(zones) / 1e6;
        rc = bz_writer_add(w, bz_zones_buffer_zone(zones), &a);
    }
    return rc;
}

/*
 * The GeoJSON string: a writer in GeoJSON mode whose bytes go to an open_memstream buffer
 * instead of a temporary file, so the features, properties, styling, number formatting and
 * antimeridian splitting are those of a .geojson file, byte for byte. The collection's "name"
 * is "zones", as for a file zones.geojson.
 */
int bz_zones_to_geojson(char **out, size_t *size, bz_context *ctx, const bz_zones *zones,
                        const char *name_a, const char *name_b)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || !zones)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_zones_to_geojson: NULL argument");
    *out = NULL;
    bz_writer *w = calloc(1, sizeof *w);
    if (!w)
        return bzi_nomem(ctx, "making GeoJSON");
    w->ctx = ctx;
    w->json_fd = -1;
    w->geojson = 1;
    w->layout = LAYOUT_SINGLE;
    w->path = bzi_dup_text("the GeoJSON string");
    w->stem = bzi_dup_text("zones");
    w->json_buf = malloc(JSON_BUF_SIZE);
    if (w->path && w->stem && w->json_buf)
        w->json_mem = open_memstream(&w->json_mem_text, &w->json_mem_size);
    int rc = w->json_mem ? BZ_OK : bzi_nomem(ctx, "making GeoJSON");
    if (rc == BZ_OK) {
        json_head(w);
        rc = add_zone_features(w, ctx, zones, name_a, name_b);
    }
    if (rc == BZ_OK) {
        json_text(w, "\n]\n}\n");
        json_flush(w);
        int closed = fclose(w->json_mem);
        w->json_mem = NULL;
        if (w->json_errno || closed != 0 || !w->json_mem_text)
            rc = bzi_nomem(ctx, "making GeoJSON");
    }
    if (rc == BZ_OK) {
        /* open_memstream's buffer is malloc'ed and '\0'-terminated: the caller's bz_free fits. */
        *out = w->json_mem_text;
        if (size)
            *size = w->json_mem_size;
        w->json_mem_text = NULL;
    }
    writer_free(w);
    return rc;
}

/*
 * io/geojson_read.c — a fast path for bz_read_line and bz_read_polygon on ordinary GeoJSON
 * files: the coordinates parsed on their own (geojson_lift.c), the rest by json-c (the JSON
 * parser GDAL itself uses), and turned straight into GEOS geometries, without GDAL's driver.
 *
 * Why: GDAL's GeoJSON driver makes a full streaming pass over the file to open it, a second
 * pass that builds json-c objects feature by feature, then an OGR geometry, WKB, and finally
 * the GEOS geometry. Here the file is read once, its "coordinates" arrays are lifted out into
 * tokens (json-c would make an object of every number: 3x slower on a 100,000-vertex line), the
 * rest is parsed once by json-c, and each feature's coordinates go into a GEOS coordinate
 * sequence, to the same collector the GDAL path uses.
 *
 * The one rule: the fast path never changes an outcome. It either gives exactly what the GDAL
 * path gives (the same geometries, bit-identical coordinates, the same order, through the same
 * collector), or it gives up silently, restores the context's error state, and the caller reads
 * the file through GDAL from scratch. Error messages therefore always come from the GDAL path.
 * It reads only what is plainly ordinary and gives up on everything else, e.g.:
 *   - not a regular local *.geojson / *.json file; a layer or WHERE filter asked for; GDAL's
 *     GeoJSON driver not registered (OGR_SKIP); empty files and files over 1 GB;
 *   - text json-c refuses in strict mode (comments, trailing commas, more than one value, ...),
 *     nesting deeper than json-c's default depth (GDAL's for a top-level Feature), bytes that
 *     are not UTF-8 (RFC 3629) or control characters, NaN and infinite numbers;
 *   - a \u escape of an ASCII letter anywhere: json-c hands out decoded names, and GDAL's
 *     driver probing reads the raw text, so no member name or type may be spelled by escapes;
 *   - a structural name ("type", "features", "geometry", ...) that occurs in the text more
 *     often than in json-c's tree (a duplicated member, which json-c keeps only the last of);
 *   - top-level shapes other than a FeatureCollection, a Feature or a bare (Multi)LineString /
 *     (Multi)Polygon, each with "type" as its first member (so that GDAL's driver probing, which
 *     looks for "type" in the first bytes, surely takes it as GeoJSON); members we do not know
 *     at the collection, feature and geometry levels;
 *   - "crs" anywhere (GDAL handles CRSs), and any string GDAL's JSON-FG, ESRI JSON or TopoJSON
 *     drivers look for when they probe a file (a file with those might not open as GeoJSON);
 *   - geometry types other than (Multi)LineString / (Multi)Polygon (a null or missing geometry
 *     is handed over as NULL, as GDAL does), "coordinates" before "type", empty coordinate
 *     arrays, positions with fewer than two numbers (further numbers, z and m, are dropped as
 *     OGR_G_FlattenTo2D drops them), coordinates outside lon -180..180 / lat -90..90 (GDAL's
 *     path decides what those are), lines and rings GEOS refuses (one point, a ring not closed);
 *   - an "id" member other than the feature's index (GDAL would make it the FID), no feature
 *     with a geometry, and any error the collector returns (a wrong type, an invalid polygon).
 * Numbers are json-c's, as GDAL gets them: integers as int64 (so "-0" is +0), the others
 * correctly rounded as strtod rounds them (geojson_lift.h); coordinates json-c might read
 * otherwise (integers of more than 18 digits, numbers off JSON's grammar) are left to GDAL.
 *
 * Out of memory is the one failure of its own: BZ_ERR_NOMEM, as everywhere in the library
 * (tests/test_oom.c fails each allocation in turn and expects it).
 *
 * tests/internal_geojson.c reads every GeoJSON file of the project and the team's data both
 * ways and requires identical outcomes.
 */
#include "io/geojson_read.h"
#include "io/geojson_check.h"
#include "io/geojson_lift.h"
#include "io/gdal.h"
#include "core/context.h"
#include "core/coords.h"
#include "core/polygon.h"
#include "core/text.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define GJ_MAX_FILE_SIZE (1024L * 1024L * 1024L)
#define GJ_MAX_DEPTH JSON_TOKENER_DEFAULT_DEPTH /* json-c's, which GDAL uses for a Feature */

enum gj_kind { GJ_LINESTRING, GJ_MULTILINESTRING, GJ_POLYGON, GJ_MULTIPOLYGON };

typedef struct gj_reader {
    bz_context *ctx;
    GEOSContextHandle_t h;
    const char *why;      /* the first reason to give up, NULL while all is ordinary */
    int status;           /* BZ_OK, or BZ_ERR_NOMEM (recorded in ctx) once an allocation failed */
    bzi_coords xy;        /* lon/lat pairs of the line or ring being read */
    bzi_gj_lifted lifted; /* the text's coordinates, and the skeleton json-c parses */
    size_t value_end;     /* the end of the lifted value being read (a token index) */
    char *layer_name;     /* as GDAL names the layer */
    long long index;      /* the next feature's index */
    int with_id, without_id;
    size_t geometries; /* features with a geometry handed over so far */
    bzi_geojson_visit visit;
    void *user;
} gj_reader;

static int give_up(gj_reader *s, const char *why)
{
    if (!s->why)
        s->why = why;
    return -1;
}

/* An allocation failed: like every reader of the library, report BZ_ERR_NOMEM (not GDAL). */
static int no_memory(gj_reader *s, const char *what)
{
    if (s->status == BZ_OK)
        s->status = bzi_nomem(s->ctx, what);
    return give_up(s, "out of memory");
}

/* ---------------------------------------------------------------------------------------- */
/* Coordinates into GEOS                                                                    */
/* ---------------------------------------------------------------------------------------- */

/* The next token of the lifted value being read (NULL after giving up past its end). */
static const bzi_gj_token *next_token(gj_reader *s, size_t *at)
{
    if (*at >= s->value_end)
        return give_up(s, "coordinates nested otherwise than their type says"), NULL;
    return s->lifted.tok + (*at)++;
}

/* One position "[x, y, ...]" appended to s->xy; z and m are dropped as OGR_G_FlattenTo2D
 * drops them (the lifting made sure they are numbers). */
static int read_position(gj_reader *s, size_t *at)
{
    const bzi_gj_token *t = next_token(s, at);
    if (!t)
        return -1;
    if (t->kind == BZI_GJ_LIST)
        return give_up(s, "a position with something else than numbers");
    if (t->kind == BZI_GJ_EMPTY || t->count < 2)
        return give_up(s, "a position with fewer than two numbers");
    /* as json-c gives them (see geojson_lift.h): an int64's double, so -0 is +0 */
    double x = t->x, y = t->y;
    /* Stricter than the GDAL path's check (which allows unwrapped longitudes up to 540 when
     * the layer has a CRS): outside plain lon/lat, let GDAL decide. */
    if (!(x >= -180.0 && x <= 180.0 && y >= -90.0 && y <= 90.0))
        return give_up(s, "a coordinate outside lon -180..180, lat -90..90");
    if (bzi_coords_push2(&s->xy, x, y) != 0)
        return no_memory(s, "reading GeoJSON coordinates");
    return 0;
}

/* The length of a non-empty array of arrays, or 0 after giving up. */
static size_t list_length(gj_reader *s, size_t *at)
{
    const bzi_gj_token *t = next_token(s, at);
    if (!t)
        return 0;
    if (t->kind == BZI_GJ_EMPTY)
        return give_up(s, "an empty coordinate array"), 0;
    if (t->kind != BZI_GJ_LIST)
        return give_up(s, "coordinates nested otherwise than their type says"), 0;
    if (t->count > UINT_MAX)
        return give_up(s, "too many parts"), 0;
    return t->count;
}

/* The positions of a line or ring as a GEOS LineString or LinearRing (NULL after giving up). */
static GEOSGeometry *read_sequence(gj_reader *s, size_t *at, int ring)
{
    size_t n = list_length(s, at);
    if (!n)
        return NULL;
    s->xy.n = 0;
    for (size_t i = 0; i < n; i++)
        if (read_position(s, at) < 0)
            return NULL;
    GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(s->h, s->xy.v, (unsigned)n, 0, 0);
    if (!seq)
        return give_up(s, "GEOS could not copy the coordinates"), NULL;
    /* Both take the sequence, also when they fail. */
    GEOSGeometry *g =
        ring ? GEOSGeom_createLinearRing_r(s->h, seq) : GEOSGeom_createLineString_r(s->h, seq);
    if (!g)
        give_up(s, ring ? "a ring GEOS refuses (not closed, or under 4 points)"
                        : "a line GEOS refuses (a single point)");
    return g;
}

static GEOSGeometry *read_polygon(gj_reader *s, size_t *at)
{
    size_t n = list_length(s, at);
    if (!n)
        return NULL;
    bzi_geom_list rings = {0};
    for (size_t i = 0; i < n; i++) {
        GEOSGeometry *ring = read_sequence(s, at, 1);
        if (!ring || bzi_geom_list_push(s->h, &rings, ring) != 0) {
            if (ring && !s->why)
                no_memory(s, "reading GeoJSON rings");
            bzi_geom_list_clear(s->h, &rings);
            return NULL;
        }
    }
    /* GEOS takes the rings (not the array), also when it fails. */
    GEOSGeometry *g =
        GEOSGeom_createPolygon_r(s->h, rings.v[0], rings.v + 1, (unsigned)(rings.n - 1));
    free(rings.v);
    if (!g)
        give_up(s, "GEOS could not assemble a polygon");
    return g;
}

static GEOSGeometry *read_lifted(gj_reader *s, size_t *at, int kind)
{
    if (kind == GJ_LINESTRING)
        return read_sequence(s, at, 0);
    if (kind == GJ_POLYGON)
        return read_polygon(s, at);
    size_t n = list_length(s, at);
    if (!n)
        return NULL;
    bzi_geom_list parts = {0};
    for (size_t i = 0; i < n; i++) {
        GEOSGeometry *part =
            kind == GJ_MULTILINESTRING ? read_sequence(s, at, 0) : read_polygon(s, at);
        if (!part || bzi_geom_list_push(s->h, &parts, part) != 0) {
            if (part && !s->why)
                no_memory(s, "reading GeoJSON parts");
            bzi_geom_list_clear(s->h, &parts);
            return NULL;
        }
    }
    /* GEOS takes the parts (not the array), also when it fails. */
    GEOSGeometry *g = GEOSGeom_createCollection_r(
        s->h, kind == GJ_MULTILINESTRING ? GEOS_MULTILINESTRING : GEOS_MULTIPOLYGON, parts.v,
        (unsigned)parts.n);
    free(parts.v);
    if (!g)
        give_up(s, "GEOS could not assemble a geometry");
    return g;
}

/* The "coordinates" of a geometry of `kind` as one GEOS geometry (NULL after giving up): in
 * the skeleton json-c parsed, the number of the lifted value that holds them. */
static GEOSGeometry *read_coordinates(gj_reader *s, json_object *v, int kind)
{
    int64_t k = json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : -1;
    if (k < 0 || (uint64_t)k >= s->lifted.nvalues)
        return give_up(s, "coordinates that are not an array"), NULL;
    size_t at = s->lifted.start[k];
    s->value_end = s->lifted.start[k + 1];
    GEOSGeometry *g = read_lifted(s, &at, kind);
    if (g && at != s->value_end) {
        GEOSGeom_destroy_r(s->h, g);
        return give_up(s, "coordinates nested otherwise than their type says"), NULL;
    }
    return g;
}

/* ---------------------------------------------------------------------------------------- */
/* GeoJSON objects                                                                          */
/* ---------------------------------------------------------------------------------------- */

static int geometry_kind(const char *type)
{
    static const char *const names[] = {"LineString", "MultiLineString", "Polygon", "MultiPolygon"};
    for (int k = GJ_LINESTRING; k <= GJ_MULTIPOLYGON; k++)
        if (strcmp(type, names[k]) == 0)
            return k;
    return -1;
}

/* The "type" of an object that must have it as its first member, as a string (NULL after
 * giving up). */
static const char *first_type(gj_reader *s, json_object *o, const char *what)
{
    struct lh_entry *first = json_object_get_object(o)->head;
    if (!first || strcmp((const char *)lh_entry_k(first), "type") != 0)
        return give_up(s, what), NULL;
    json_object *type = (json_object *)lh_entry_v(first);
    if (!json_object_is_type(type, json_type_string))
        return give_up(s, "a \"type\" that is not a string"), NULL;
    return json_object_get_string(type);
}

/* Whether every member of o is one of `known`. */
static int only_members(json_object *o, const char *const *known)
{
    json_object_object_foreach(o, key, value)
    {
        (void)value;
        size_t i = 0;
        while (known[i] && strcmp(key, known[i]) != 0)
            i++;
        if (!known[i])
            return 0;
    }
    return 1;
}

/* A geometry object of a type we read (*out: the GEOS geometry). */
static int read_geometry(gj_reader *s, json_object *o, GEOSGeometry **out)
{
    static const char *const members[] = {"type", "coordinates", "bbox", NULL};
    if (!json_object_is_type(o, json_type_object))
        return give_up(s, "a geometry that is neither an object nor null");
    const char *type = first_type(s, o, "a geometry whose first member is not \"type\"");
    if (!type)
        return -1;
    int kind = geometry_kind(type);
    if (kind < 0)
        return give_up(s, "a geometry type other than (Multi)LineString and (Multi)Polygon");
    if (!only_members(o, members))
        return give_up(s, "a geometry member other than coordinates and bbox");
    json_object *coordinates = NULL;
    if (!json_object_object_get_ex(o, "coordinates", &coordinates))
        return give_up(s, "a geometry without coordinates");
    *out = read_coordinates(s, coordinates, kind);
    return *out ? 0 : -1;
}

/* An "id" GDAL would take as the FID: only an integer equal to the feature's index keeps the
 * FIDs as they are without ids (the value is checked by deliver). */
static int read_id(gj_reader *s, json_object *v, long long *id)
{
    if (!json_object_is_type(v, json_type_int))
        return give_up(s, "an \"id\" that is not an integer");
    int64_t i = json_object_get_int64(v);
    if (!(i >= 0 && i < (int64_t)9e15))
        return give_up(s, "an \"id\" that is not a small integer");
    *id = (long long)i;
    return 0;
}

/* Hand one feature's geometry (may be NULL) to the collector, with GDAL's FID. Takes g. */
static int deliver(gj_reader *s, GEOSGeometry *g, int has_id, long long id)
{
    long long fid = s->index++;
    if (has_id)
        s->with_id = 1;
    else
        s->without_id = 1;
    if ((has_id && id != fid) || (s->with_id && s->without_id)) {
        if (g)
            GEOSGeom_destroy_r(s->h, g);
        return give_up(s, "an \"id\" GDAL would make the FID");
    }
    if (g)
        s->geometries++;
    int rc = s->visit(s->user, s->layer_name, fid, g);
    if (rc == BZ_ERR_NOMEM) { /* recorded by the collector */
        s->status = rc;
        return give_up(s, "out of memory");
    }
    if (rc != BZ_OK)
        return give_up(s, "the collector refused a feature");
    return 0;
}

static int read_feature(gj_reader *s, json_object *o)
{
    static const char *const members[] = {"type", "id", "properties", "geometry", "bbox", NULL};
    if (!json_object_is_type(o, json_type_object))
        return give_up(s, "a feature that is not an object");
    if (!only_members(o, members))
        return give_up(s, "a feature member other than type, id, properties, geometry, bbox");
    json_object *type = NULL, *v = NULL;
    if (!json_object_object_get_ex(o, "type", &type) ||
        !json_object_is_type(type, json_type_string) ||
        strcmp(json_object_get_string(type), "Feature") != 0)
        return give_up(s, "a feature whose type is not \"Feature\"");
    if (json_object_object_get_ex(o, "properties", &v) && v &&
        !json_object_is_type(v, json_type_object))
        return give_up(s, "\"properties\" that are neither an object nor null");
    long long id = -1;
    int has_id = json_object_object_get_ex(o, "id", &v);
    if (has_id && read_id(s, v, &id) < 0)
        return -1;
    GEOSGeometry *g = NULL;
    if (json_object_object_get_ex(o, "geometry", &v) && v && read_geometry(s, v, &g) < 0)
        return -1;
    return deliver(s, g, has_id, id);
}

static int read_collection(gj_reader *s, json_object *o)
{
    static const char *const members[] = {"type", "features", "name", "bbox", NULL};
    if (!only_members(o, members))
        return give_up(s, "a FeatureCollection member other than features, name, bbox");
    json_object *v = NULL;
    if (json_object_object_get_ex(o, "name", &v)) {
        /* GDAL names the layer after it (used by the collectors' messages only) */
        if (!json_object_is_type(v, json_type_string))
            return give_up(s, "a \"name\" that is not a string");
        char *copy = bzi_dup_text(json_object_get_string(v));
        if (!copy)
            return no_memory(s, "reading a GeoJSON layer name");
        free(s->layer_name);
        s->layer_name = copy;
    }
    if (!json_object_object_get_ex(o, "features", &v))
        return 0;
    if (!json_object_is_type(v, json_type_array))
        return give_up(s, "\"features\" that are not an array");
    size_t n = json_object_array_length(v);
    for (size_t i = 0; i < n; i++)
        if (read_feature(s, json_object_array_get_idx(v, i)) < 0)
            return -1;
    return 0;
}

/* The whole document: one object, "type" first. */
static int read_document(gj_reader *s, json_object *root)
{
    if (!json_object_is_type(root, json_type_object))
        return give_up(s, "the text is not a JSON object");
    const char *type = first_type(s, root, "the top-level object's first member is not \"type\"");
    if (!type)
        return -1;
    int rc;
    if (strcmp(type, "FeatureCollection") == 0) {
        rc = read_collection(s, root);
    } else if (strcmp(type, "Feature") == 0) {
        rc = read_feature(s, root); /* GDAL: one feature, FID 0 or its id */
    } else {
        GEOSGeometry *g = NULL;
        if (geometry_kind(type) < 0)
            return give_up(s, "a top-level type other than FeatureCollection, Feature and "
                              "(Multi)LineString / (Multi)Polygon");
        rc = read_geometry(s, root, &g); /* GDAL: one feature, FID 0 */
        if (rc == 0)
            rc = deliver(s, g, 0, 0);
    }
    if (rc < 0)
        return -1;
    if (s->geometries == 0)
        return give_up(s, "no feature with a geometry");
    return 0;
}

/* Parse the text with json-c, strictly; NULL after giving up. */
static json_object *parse(gj_reader *s, const char *text, size_t size)
{
    if (size > INT_MAX)
        return give_up(s, "a text json-c cannot take in one piece"), NULL;
    json_tokener *tok = json_tokener_new_ex(GJ_MAX_DEPTH);
    if (!tok)
        return no_memory(s, "parsing GeoJSON"), NULL;
    /* Not JSON_TOKENER_VALIDATE_UTF8: bzi_geojson_check_bytes has checked the bytes, more
     * strictly (no overlong forms), before. */
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *root = json_tokener_parse_ex(tok, text, (int)size);
    enum json_tokener_error err = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (err == json_tokener_success && end == size)
        return root;
    json_object_put(root);
    return give_up(s, "text json-c does not read as one strict JSON value"), NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* The file                                                                                 */
/* ---------------------------------------------------------------------------------------- */

static int has_extension(const char *path, const char *extension)
{
    size_t n = strlen(path), k = strlen(extension);
    return n > k && strcasecmp(path + n - k, extension) == 0;
}

/* Why the fast path may not even try (NULL if it may). */
static const char *not_eligible(const char *path, const bz_read_options *opts)
{
    if (opts && opts->layer)
        return "a layer was asked for";
    if (opts && opts->where && opts->where[0])
        return "a filter was asked for";
    if (strncmp(path, "/vsi", 4) == 0 || strchr(path, ':'))
        return "not a plain file path";
    if (!has_extension(path, ".geojson") && !has_extension(path, ".json"))
        return "not named *.geojson or *.json";
    return NULL;
}

/* The whole file as a '\0'-terminated text (*size bytes before the '\0'), or the reason not
 * (*nomem set when it is a failed allocation). */
static const char *read_whole(const char *path, char **text, size_t *size, int *nomem)
{
    *text = NULL;
    *nomem = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return "cannot open the file";
    struct stat st;
    const char *why = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        why = "not a regular file";
    else if (st.st_size <= 0 || st.st_size > GJ_MAX_FILE_SIZE)
        why = "an empty file or one over 1 GB";
    else if (!(*text = malloc((size_t)st.st_size + 1)))
        why = "out of memory", *nomem = 1;
    size_t got = 0, want = why ? 0 : (size_t)st.st_size;
    while (!why && got < want) {
        ssize_t k = read(fd, *text + got, want - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            why = "the file could not be read whole";
        else
            got += (size_t)k;
    }
    char more;
    if (!why && read(fd, &more, 1) != 0)
        why = "the file changed while it was read";
    close(fd);
    if (why) {
        free(*text);
        *text = NULL;
        return why;
    }
    (*text)[got] = '\0';
    *size = got;
    return NULL;
}

/* GDAL's name for a layer without a "name": the file's base name without its extension. */
static char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *name = bzi_dup_text(slash ? slash + 1 : path);
    char *dot = name ? strrchr(name, '.') : NULL;
    if (dot)
        *dot = '\0';
    return name;
}

/* Read and parse; returns BZ_OK, BZI_GEOJSON_GAVE_UP (with *why) or BZ_ERR_NOMEM. */
static int read_fast(bz_context *ctx, const char *path, bzi_geojson_visit visit, void *user,
                     const char **why)
{
    /* With OGR_SKIP=GeoJSON (say), GDAL would read the file otherwise or not at all. */
    bzi_gdal_quiet q;
    bzi_gdal_quiet_begin(&q);
    int have_driver = GDALGetDriverByName("GeoJSON") != NULL;
    bzi_gdal_quiet_end(&q);
    if (!have_driver) {
        *why = "GDAL's GeoJSON driver is not registered";
        return BZI_GEOJSON_GAVE_UP;
    }
    char *text = NULL;
    size_t size = 0;
    int nomem = 0;
    *why = read_whole(path, &text, &size, &nomem);
    if (nomem)
        return bzi_nomem(ctx, "reading a GeoJSON file");
    if (*why)
        return BZI_GEOJSON_GAVE_UP;
    gj_reader s = {
        .ctx = ctx, .h = ctx->geos, .layer_name = base_name(path), .visit = visit, .user = user};
    if (!s.layer_name) {
        no_memory(&s, "reading a GeoJSON layer name");
    } else if (!(s.why = bzi_geojson_check_bytes(text, size))) {
        int lift_nomem = 0;
        s.why = bzi_geojson_lift(text, size, GJ_MAX_DEPTH, &s.lifted, &lift_nomem);
        free(text); /* the skeleton and the tokens hold all that is read from here on */
        text = NULL;
        if (lift_nomem) {
            s.why = NULL;
            no_memory(&s, "reading GeoJSON coordinates");
        } else if (!s.why) {
            json_object *root = parse(&s, s.lifted.skeleton, s.lifted.size);
            if (root && !(s.why = bzi_geojson_check_tree(root, s.lifted.skeleton, s.lifted.size)))
                read_document(&s, root);
            json_object_put(root);
        }
        bzi_geojson_lifted_free(&s.lifted);
    }
    free(s.xy.v);
    free(s.layer_name);
    free(text);
    *why = s.why;
    return s.status != BZ_OK ? s.status : s.why ? BZI_GEOJSON_GAVE_UP : BZ_OK;
}

/* The context's error state, kept while the fast path tries, put back when it gives up. */
typedef struct error_state {
    int status;
    char errmsg[BZI_ERRMSG_SIZE];
    char geos_msg[BZI_ERRMSG_SIZE];
} error_state;

int bzi_geojson_read(bz_context *ctx, const char *path, const bz_read_options *opts,
                     bzi_geojson_visit visit, void *user)
{
    const bzi_read_options_routed *routed =
        opts && opts->version == BZI_READ_OPTIONS_ROUTED
            ? (const bzi_read_options_routed *)(const void *)opts
            : NULL;
    const char *why = routed && routed->gdal_only ? "the caller asked for the GDAL path"
                                                  : not_eligible(path, opts);
    int rc = BZI_GEOJSON_GAVE_UP;
    if (!why) {
        error_state saved;
        saved.status = ctx->status;
        memcpy(saved.errmsg, ctx->errmsg, sizeof saved.errmsg);
        memcpy(saved.geos_msg, ctx->geos_msg, sizeof saved.geos_msg);
        rc = read_fast(ctx, path, visit, user, &why);
        if (rc == BZI_GEOJSON_GAVE_UP) {
            ctx->status = saved.status;
            memcpy(ctx->errmsg, saved.errmsg, sizeof saved.errmsg);
            memcpy(ctx->geos_msg, saved.geos_msg, sizeof saved.geos_msg);
        }
    }
    if (routed && routed->took_fast_path)
        *routed->took_fast_path = rc == BZ_OK;
    if (routed && routed->gave_up)
        *routed->gave_up = rc == BZI_GEOJSON_GAVE_UP ? why : rc == BZ_OK ? "" : "out of memory";
    return rc;
}

/*
 * bufferzone.h — buffer-zone geometry and contact-line analysis on the WGS84 ellipsoid.
 *
 * This header is the reference manual of the library.
 *
 * Conventions (read once, they hold everywhere):
 *  - Every name starts with bz_ / BZ_. Objects are opaque handles.
 *  - All state lives in a bz_context (one GEOS handle, the WGS84 geodesic, the last error).
 *    Use one context per thread. An object (line, zones, places, ...) remembers the context
 *    that made it: free the object before that context. Objects are read-only after they are
 *    made, so several threads may read one object, each passing its own context.
 *  - Fallible functions return an int status: BZ_OK (0) or a negative bz_status. On failure
 *    bz_errmsg(ctx) holds a message naming the problem (coordinate index, feature, file) and
 *    every out-parameter is left NULL / untouched.
 *  - Out-parameters come first, then the context, then the inputs:
 *    bz_geometry_from_wkt(&g, ctx, wkt), bz_line_distance(&nearest, ctx, line, lon, lat).
 *    An optional out-parameter (NULL allowed) is still an out-parameter and comes first too.
 *    An object returned through `**out` belongs to the caller, who frees it with the matching
 *    bz_*_free function (documented with each). Getters (no context, no status) take the object
 *    first and return a borrowed pointer or a value that lives as long as the object it came
 *    from; a second value they give back (bz_line_part_coords's *npoints, bz_places_coords's
 *    lon/lat) comes last.
 *  - Every bz_*_free(NULL) is a harmless no-op.
 *  - Coordinates are WGS84 longitude/latitude in degrees, in that order (x = lon, y = lat).
 *    Distances are geodesic metres on the WGS84 ellipsoid, areas ellipsoidal square metres.
 *  - Option structs (and the record structs bz_feature_attrs and bz_look) carry a version
 *    field; initialise them with their BZ_*_INIT macro so that they can grow without breaking
 *    callers. A NULL options pointer means "all defaults". Every function that takes such a
 *    struct accepts a version from 1 to the struct's BZ_*_VERSION (a struct from an older
 *    header stays valid) and fails with BZ_ERR_ARGUMENT, naming the function, the struct and
 *    the version, for any other, before doing anything.
 *  - The library never prints, never exits and keeps no global state of its own, beyond the
 *    once-per-process initialisation below.
 *
 * Threads. One context per thread is all it takes: threads may call any function at the same
 * time, each passing its own context (and may share read-only objects, see above). Reading and
 * writing files too: GDAL is used so that it needs nothing from the caller.
 *  - Process-wide and done once, under a mutex: GDAL's driver registration (GDALAllRegister),
 *    on the first call that reads or writes a file; and the WGS84 constants of PROJ's geodesic
 *    code (geod_init), on the first bz_context_new. The library never unregisters drivers or
 *    tears GDAL down: a program that calls GDALDestroy() or GDALDestroyDriverManager() must do
 *    so after its last call here.
 *  - Per call and per thread: GDAL's error handler (pushed for the call, so GDAL prints nothing
 *    and its messages reach bz_errmsg) and GDAL configuration options the library needs
 *    (CPLSetThreadLocalConfigOption, previous value restored). It never sets a process-wide
 *    GDAL option, PROJ search path, locale or signal handler, and uses only GEOS's _r API.
 *  - A program's own process-wide GDAL options (CPLSetConfigOption, GDAL_* / OGR_* environment
 *    variables) do apply to the library's reading and writing.
 *  - Numbers in written GeoJSON use '.' whatever the locale's decimal point is.
 *  - Worker threads inside one call (bz_context_set_threads) each get their own GEOS handle.
 *
 * Changes before 1.0 (source-incompatible):
 *  - issue 14: the functions that put out-parameters last now put them first, as the
 *    conventions above say: bz_geodesic_inverse, bz_geodesic_direct, bz_geodesic_area,
 *    bz_geodesic_length, bz_line_length, bz_line_distance, bz_territory_diff (gained_m2 and
 *    lost_m2 now right after gained and lost), bz_intersection_area and bz_places_within.
 *    A call bz_geodesic_area(ctx, g, &area) becomes bz_geodesic_area(&area, ctx, g). An old
 *    call passes a context or a number where a pointer to a result is expected, which the
 *    compiler reports.
 *  - issue 14: bz_feature_attrs has a version field (BZ_FEATURE_ATTRS_VERSION), first like
 *    every option struct's; BZ_FEATURE_ATTRS_INIT sets it.
 *  - issue 14: bz_output_check, bz_output_write and bz_zones_write apply the option-version
 *    rule like every other function (a bz_write_options version above BZ_WRITE_OPTIONS_VERSION
 *    was accepted there before).
 *  - issue 14, new: bz_look_of, the look of the library's maps and styles (see there).
 *
 * GEOS geometries appear in the API as `GEOSGeometry`. The declarations below are the same as
 * in <geos_c.h>, so the two headers can be included in either order. Geometries returned by
 * the library can be used with the GEOS handle from bz_context_geos().
 */
#ifndef BUFFERZONE_H
#define BUFFERZONE_H

#include <math.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BZ_VERSION_MAJOR 0
#define BZ_VERSION_MINOR 1
#define BZ_VERSION_PATCH 0
#define BZ_VERSION "0.1.0"

#if defined(_WIN32) && defined(BZ_BUILDING)
#define BZ_API __declspec(dllexport)
#elif defined(BZ_BUILDING) && defined(__GNUC__)
#define BZ_API __attribute__((visibility("default")))
#else
#define BZ_API
#endif

/* Same declarations as <geos_c.h> (C11 allows the repeated typedef). */
struct GEOSGeom_t;
typedef struct GEOSGeom_t GEOSGeometry;
struct GEOSContextHandle_HS;
typedef struct GEOSContextHandle_HS *GEOSContextHandle_t;

/* ------------------------------------------------------------------------------------------ */
/* Status codes                                                                               */
/* ------------------------------------------------------------------------------------------ */

/** Status codes returned by every fallible function. 0 is success; errors are negative. */
typedef enum bz_status {
    BZ_OK = 0,
    BZ_ERR_ARGUMENT = -1, /**< invalid argument: NULL, negative/NaN/absurd distance, bad option */
    BZ_ERR_GEOMETRY =
        -2,           /**< invalid geometry: too few points, bad coordinate, self-intersection */
    BZ_ERR_TYPE = -3, /**< wrong geometry type (points where a line is needed, ...) */
    BZ_ERR_PROJECTION = -4, /**< PROJ failure, or a CRS that cannot be transformed to WGS84 */
    BZ_ERR_IO = -5,         /**< a file cannot be opened, read, written or renamed */
    BZ_ERR_FORMAT = -6,     /**< a file is corrupt, truncated or of an unknown format */
    BZ_ERR_NOT_FOUND = -7,  /**< no layer of that name, no feature matches the filter */
    BZ_ERR_EXISTS = -8,     /**< the output exists and overwriting was not asked for */
    BZ_ERR_NOMEM = -9,      /**< out of memory */
    BZ_ERR_GEOS = -10,      /**< a GEOS operation failed (its message is in bz_errmsg) */
    BZ_ERR_ACCURACY = -11,  /**< the result could not be brought within the accuracy bound */
    BZ_ERR_CANCELLED = -12  /**< the progress callback asked to stop (bz_zone_options.progress) */
} bz_status;

/** A constant English name of a status code ("invalid argument", ...). Never NULL. */
BZ_API const char *bz_status_string(int status);

/** The library version string, equal to BZ_VERSION of the header it was built with. */
BZ_API const char *bz_version(void);

/* ------------------------------------------------------------------------------------------ */
/* Context                                                                                    */
/* ------------------------------------------------------------------------------------------ */

typedef struct bz_context bz_context;

/**
 * Create a context: a GEOS handle, the WGS84 geodesic (PROJ's geodesic.h) and an error buffer.
 * Returns NULL only when memory or GEOS cannot be initialised.
 * The caller frees it with bz_context_free(), after every object used with it is done.
 */
BZ_API bz_context *bz_context_new(void);

/** Free a context. NULL is a no-op. */
BZ_API void bz_context_free(bz_context *ctx);

/** The message of the last failure in this context ("" if none). Borrowed; valid until the
 *  next call that fails or bz_context_clear_error(). */
BZ_API const char *bz_errmsg(const bz_context *ctx);

/** The status code of the last failure in this context (BZ_OK if none). */
BZ_API int bz_errcode(const bz_context *ctx);

/** Forget the last error. */
BZ_API void bz_context_clear_error(bz_context *ctx);

/** The context's GEOS handle, for callers who build or inspect geometries with GEOS's _r API.
 *  Borrowed: do not finish it. */
BZ_API GEOSContextHandle_t bz_context_geos(bz_context *ctx);

/**
 * How many worker threads heavy computations may use inside one call (zones: the buffer, the
 * side grounds alongside it, the accuracy check; reading: the union of many polygons). 0 (the
 * default) means one per online CPU, at most 8; 1 means no worker threads. Each worker gets its
 * own GEOS handle, so results do not depend on the number.
 * Returns BZ_ERR_ARGUMENT (and keeps the previous setting) for a number outside
 * 0..BZ_MAX_THREADS: more threads than that only add overhead on any machine the library is
 * built for, and a huge number is a mistake, not a wish.
 */
BZ_API int bz_context_set_threads(bz_context *ctx, int threads);

/** The largest thread count bz_context_set_threads accepts. */
#define BZ_MAX_THREADS 64

/* ------------------------------------------------------------------------------------------ */
/* Geometry helpers                                                                           */
/* ------------------------------------------------------------------------------------------ */

/** Free a geometry returned by the library (GEOSGeom_destroy_r). NULL is a no-op. */
BZ_API void bz_geometry_free(bz_context *ctx, GEOSGeometry *g);

/** Free memory returned by the library as char * or unsigned char * (WKT, WKB). NULL is a no-op. */
BZ_API void bz_free(void *p);

/** Parse WKT (lon/lat) into a geometry. The caller frees *out with bz_geometry_free(). */
BZ_API int bz_geometry_from_wkt(GEOSGeometry **out, bz_context *ctx, const char *wkt);

/** WKT of a geometry with `decimals` digits after the point (0..17; 7 ≈ 1 cm).
 *  The caller frees *out with bz_free(). */
BZ_API int bz_geometry_to_wkt(char **out, bz_context *ctx, const GEOSGeometry *g, int decimals);

/** ISO WKB (little endian, 2-D) of a geometry; *size receives its length in bytes.
 *  The caller frees *out with bz_free(). */
BZ_API int bz_geometry_to_wkb(unsigned char **out, size_t *size, bz_context *ctx,
                              const GEOSGeometry *g);

/**
 * Parse WKB of lon/lat coordinates into a geometry: ISO WKB (types 1..7, +1000 Z, +2000 M,
 * +3000 ZM) or extended WKB (PostGIS: Z/M/SRID flag bits; the SRID is ignored), in either byte
 * order. The result is 2-D: Z and M values are dropped. This is the exchange format with
 * Shapely (`shapely.wkb.dumps`, `geom.wkb`) and with PostGIS/GEOS/GDAL.
 * Errors: BZ_ERR_ARGUMENT (NULL wkb or size 0), BZ_ERR_FORMAT (not WKB: truncated, an unknown
 * type, or bytes left after the geometry, as when two are glued together), BZ_ERR_GEOMETRY (a
 * NaN/infinite coordinate, a longitude outside [-180, 180] or a latitude outside [-90, 90]; the
 * message names the vertex, counted over all parts from 0). An empty geometry (e.g. POINT EMPTY) is
 * accepted. The caller frees *out with bz_geometry_free().
 */
BZ_API int bz_geometry_from_wkb(GEOSGeometry **out, bz_context *ctx, const unsigned char *wkb,
                                size_t size);

/* ------------------------------------------------------------------------------------------ */
/* Geodesic measures (WGS84, Karney's algorithms from PROJ's geodesic.h)                      */
/* ------------------------------------------------------------------------------------------ */

/** Geodesic distance (metres) and forward azimuths (degrees) between two lon/lat points.
 *  azi1/azi2 may be NULL. */
BZ_API int bz_geodesic_inverse(double *distance_m, double *azi1, double *azi2, bz_context *ctx,
                               double lon1, double lat1, double lon2, double lat2);

/** The point reached from (lon, lat) going distance_m along azimuth azi (degrees from north). */
BZ_API int bz_geodesic_direct(double *lon2, double *lat2, bz_context *ctx, double lon, double lat,
                              double azi, double distance_m);

/**
 * Ellipsoidal area (m²) of a Polygon or MultiPolygon (or a collection of them; other parts
 * are ignored): each ring's edges are geodesics, holes are subtracted, and either ring
 * orientation gives the same positive result. Rings that cross the antimeridian are measured
 * correctly when their longitudes are continuous (e.g. 179 → 181) or jump by 360°.
 * Edges are measured as given (geodesics between vertices); every polygon the library computes
 * has short edges, where both readings agree within 1 cm. To measure an input polygon with
 * long edges as the zone functions read it (straight in lon/lat), use
 * bz_intersection_area(&area, ctx, g, g).
 */
BZ_API int bz_geodesic_area(double *area_m2, bz_context *ctx, const GEOSGeometry *polygonal);

/** Geodesic length (m) of every LineString / ring boundary in a geometry (points count 0). */
BZ_API int bz_geodesic_length(double *length_m, bz_context *ctx, const GEOSGeometry *g);

/* ------------------------------------------------------------------------------------------ */
/* Contact line                                                                               */
/* ------------------------------------------------------------------------------------------ */

/**
 * A contact line: one or more parts (LineStrings), each an ordered run of lon/lat vertices.
 * Parts that touch end to end are merged; disjoint parts stay separate parts of one front.
 * Direction matters: side A is LEFT of the direction of travel, side B is RIGHT.
 *
 * Validation at construction (status BZ_ERR_GEOMETRY unless noted, message names the index):
 *  - empty input, or a part with fewer than two distinct points;
 *  - NaN / infinite coordinates, an input longitude outside [-180, 180], a latitude outside
 *    [-90, 90];
 *  - a part that crosses itself or another part (the message gives the lon/lat of a crossing).
 * Consecutive duplicate points are removed silently.
 * Antimeridian: consecutive longitudes are unwrapped (a step of more than 180° is taken the
 * short way round), so a line from 179.9°E to 179.9°W is ~20 km long. Stored longitudes are
 * therefore continuous and may leave [-180, 180] (e.g. 180.1). A part whose last point is its
 * first is closed; a closed ring round a pole is stored ending a turn east or west of its start
 * and is still closed (its zones are cut at the meridian where it closes).
 */
typedef struct bz_line bz_line;

/** Build a one-part line from `npoints` lon/lat pairs (lonlat[2*i], lonlat[2*i+1]).
 *  The caller frees *out with bz_line_free(). */
BZ_API int bz_line_from_lonlat(bz_line **out, bz_context *ctx, const double *lonlat,
                               size_t npoints);

/** Build a line of `nparts` parts; part k has part_sizes[k] points, taken in order from lonlat.
 *  The caller frees *out with bz_line_free(). */
BZ_API int bz_line_from_parts(bz_line **out, bz_context *ctx, const double *lonlat,
                              const size_t *part_sizes, size_t nparts);

/** Build a line from WKT: LINESTRING or MULTILINESTRING (other types give BZ_ERR_TYPE).
 *  The caller frees *out with bz_line_free(). */
BZ_API int bz_line_from_wkt(bz_line **out, bz_context *ctx, const char *wkt);

/** Build a line from a GEOS LineString / MultiLineString / collection of them (copied; the
 *  caller keeps ownership of g). The caller frees *out with bz_line_free(). */
BZ_API int bz_line_from_geos(bz_line **out, bz_context *ctx, const GEOSGeometry *g);

/** A copy of the line with every part's direction reversed (sides A and B swap).
 *  The caller frees *out with bz_line_free(). */
BZ_API int bz_line_reverse(bz_line **out, bz_context *ctx, const bz_line *line);

/** Free a line. NULL is a no-op. */
BZ_API void bz_line_free(bz_line *line);

/** Number of parts (≥ 1). */
BZ_API size_t bz_line_num_parts(const bz_line *line);

/** Total number of vertices over all parts (after duplicate removal and merging). */
BZ_API size_t bz_line_num_points(const bz_line *line);

/** The vertices of part `part` as lon/lat pairs; *npoints receives their number.
 *  Borrowed. Returns NULL if part is out of range. */
BZ_API const double *bz_line_part_coords(const bz_line *line, size_t part, size_t *npoints);

/** The line as a GEOS MultiLineString (unwrapped lon/lat). Borrowed. */
BZ_API const GEOSGeometry *bz_line_geometry(const bz_line *line);

/** Geodesic length of the whole line in metres. */
BZ_API int bz_line_length(double *length_m, bz_context *ctx, const bz_line *line);

/** The nearest point of a line to a query point. */
typedef struct bz_nearest {
    double distance_m; /**< geodesic distance from the query point to the line */
    double lon, lat;   /**< the nearest point on the line (on the geodesic between two vertices) */
    size_t part;       /**< which part */
    size_t segment;    /**< which segment of that part (vertex index of its start) */
    int side;          /**< +1 left of the line's direction, -1 right, 0 on the line */
} bz_nearest;

/**
 * Geodesic distance from (lon, lat) to the line, treating each segment as the geodesic between
 * its vertices; accurate to 1 cm for lines up to a few thousand km. Uses a spatial index built
 * with the line, so repeated queries are fast.
 */
BZ_API int bz_line_distance(bz_nearest *out, bz_context *ctx, const bz_line *line, double lon,
                            double lat);

/* ------------------------------------------------------------------------------------------ */
/* Deriving a contact line from a control map                                                 */
/* ------------------------------------------------------------------------------------------ */

/**
 * Progress callback (bz_derive_options.progress, bz_zone_options.progress): see the full
 * contract at bz_zone_options below. Returns 0 to go on, non-zero to stop (BZ_ERR_CANCELLED).
 */
typedef int (*bz_progress_fn)(double fraction, void *user_data);

typedef struct bz_derive_options {
    int version;             /**< BZ_DERIVE_OPTIONS_VERSION (2). Version 1 structs (without the two
                                  last fields) are still accepted and mean "no callback". */
    double tolerance_m;      /**< boundary within this distance of the region's edge is not front
                                  line (absorbs border disagreement between datasets); default 1000 */
    double min_length_m;     /**< drop derived pieces shorter than this; default 0 (keep all) */
    bz_progress_fn progress; /**< version >= 2: progress / cancellation callback, with the
                                  contract of bz_zone_options.progress; NULL = none */
    void *progress_data;     /**< version >= 2: passed to progress as user_data */
} bz_derive_options;

#define BZ_DERIVE_OPTIONS_VERSION 2
#define BZ_DERIVE_OPTIONS_INIT                                                                     \
    {                                                                                              \
        BZ_DERIVE_OPTIONS_VERSION, 1000.0, 0.0, NULL, NULL                                         \
    }

/**
 * The contact line of a control map: the part of the territory's boundary that lies inside the
 * region and farther than tolerance_m from the region's own edge (state border, coast).
 * Each part is oriented so that the territory (side A) is on its LEFT. Polygon edges are read
 * as bz_zones_compute reads them (straight in lon/lat; halves split at ±180° united).
 * The region should be a land outline: one that reaches over the sea (administrative units
 * drawn out to the territorial waters, such as geoBoundaries' Ukrainian oblasts) makes the
 * territory's coast front line too, since the coast then lies inside the region.
 * Errors: BZ_ERR_TYPE if territory/region are not polygonal, BZ_ERR_GEOMETRY if either is not
 * valid (naming the problem and where; the library's one rule, as in bz_zones_compute: inputs
 * are rejected, not repaired, so read them with make_valid to repair them), BZ_ERR_NOT_FOUND if
 * no line is left, BZ_ERR_CANCELLED if opts->progress asked to stop (then *out is NULL).
 * Progress (opts->progress, version 2): the fraction follows the territory's vertices walked;
 * the callback is polled at every boundary sample (every tolerance/3, at most 1 km, apart),
 * so a stop is seen within one sample's point-in-region test. Checking the inputs' validity
 * and preparing the region for the tests are single GEOS operations that run to their end
 * first. Called inside bz_zones_compute (the territory form without a line), the
 * derivation polls that computation's callback the same way.
 * The caller frees *out with bz_line_free().
 */
BZ_API int bz_line_derive(bz_line **out, bz_context *ctx, const GEOSGeometry *territory,
                          const GEOSGeometry *region, const bz_derive_options *opts);

/* ------------------------------------------------------------------------------------------ */
/* Withdrawal zones                                                                           */
/* ------------------------------------------------------------------------------------------ */

/** The two sides. A is left of the line / inside the territory; B is right / the rest. */
typedef enum bz_side { BZ_SIDE_A = 0, BZ_SIDE_B = 1 } bz_side;

/**
 * Progress callback (bz_progress_fn, declared above) of a zone computation
 * (bz_zone_options.progress, used by bz_zones_compute; bz_zones_from_polygon takes no options
 * and so reports nothing) and of a derivation (bz_derive_options.progress, bz_line_derive).
 *
 * `fraction` is in [0, 1] and never decreases within one call; the first call (0.0) comes
 * before any work and a successful computation ends with a call with exactly 1.0. The callback
 * is called from the thread that called the library, never from a worker thread, at most
 * every ~10 ms, so it can also serve as a cancellation poll (e.g. checking a signal flag). It
 * must not call the library with the same context.
 *
 * Return 0 to go on, non-zero to stop: the computation then returns BZ_ERR_CANCELLED soon
 * after (bz_errmsg: "cancelled by the progress callback"), having freed everything it made,
 * with its out-parameter NULL. Stopping at the 1.0 call still discards the result. The
 * callback is not called again after it asked to stop. Cancelling is per call and per
 * context: it never touches GEOS's process-wide interrupt, so other contexts and threads go
 * on undisturbed.
 *
 * How soon: the long loops (buffer pieces, verification samples, the faces of the side split)
 * and the waits for worker threads poll; a single GEOS operation cannot be interrupted from
 * outside (GEOS 3.11 offers only a process-wide interrupt), so a stop waits for the one
 * running. Measured on a 1,200 km, 100,000-vertex line at 10 km (1 and 2 threads): a stop
 * returned after 4-11 ms of CPU time; the longest stretch between two calls of the callback
 * was 65-95 ms of CPU time (one GEOS overlay or noding step).
 */
typedef struct bz_zone_options {
    int version;               /**< BZ_ZONE_OPTIONS_VERSION (2). Version 1 structs (the fields
                                    up to derive_tolerance_m, without the two last ones) are still
                                    accepted and mean "no callback". */
    double max_error_m;        /**< accuracy bound; 0 = default max(1 m, 0.01 % of the distance) */
    int verify;                /**< 1 (default): measure max_error against exact geodesic distances
                                    and check the zones' area (bz_zones_compute) */
    double verify_step_m;      /**< spacing of the verification samples along withdrawal lines;
                                    0 = default (every vertex plus one sample at least every 250 m,
                                    or every 10 accuracy bounds where longer: 999 m at 999 km) */
    double derive_tolerance_m; /**< for the territory form without a line: see bz_derive_options */
    bz_progress_fn progress;   /**< version >= 2: progress / cancellation callback; NULL = none */
    void *progress_data;       /**< version >= 2: passed to progress as user_data */
} bz_zone_options;

#define BZ_ZONE_OPTIONS_VERSION 2
#define BZ_ZONE_OPTIONS_INIT                                                                       \
    {                                                                                              \
        BZ_ZONE_OPTIONS_VERSION, 0.0, 1, 0.0, 1000.0, NULL, NULL                                   \
    }

/** The largest withdrawal distance accepted (1,000 km). */
#define BZ_MAX_DISTANCE_M 1.0e6
/** The smallest positive withdrawal distance accepted (0.1 mm): below it the straight lon/lat
 *  edges that zones are cut along stray from their geodesics by more than the distance (9 µm
 *  for the shortest edge used, 20 m, at 48°). */
#define BZ_MIN_DISTANCE_M 1.0e-4

/** The result of a zone computation: per side a zone, a withdrawal line, areas; the buffer. */
typedef struct bz_zones bz_zones;

/**
 * Compute both sides' withdrawal zones.
 *
 * The sides come in one of three forms:
 *  - territory form: `territory` (held by side A) and `region` given; side B is region minus
 *    territory. `line` may be NULL (then it is derived with opts->derive_tolerance_m, see
 *    bz_line_derive) or a line the caller derived. A derived line follows the territory's
 *    edges as they are read (straight in lon/lat, below); a line the caller gives is read as
 *    every line is, its segments geodesics, and distances are measured from it.
 *  - line + region: `territory` NULL; the region is split by the line into the part LEFT of
 *    the line's direction (side A) and the part RIGHT of it (side B).
 *  - line alone: `territory` and `region` NULL; sides are left and right of the line.
 *
 * dist_a_m / dist_b_m: how far side A / side B withdraws, in geodesic metres, each 0 or in
 * [BZ_MIN_DISTANCE_M, BZ_MAX_DISTANCE_M] (otherwise BZ_ERR_ARGUMENT). A distance of 0 gives an
 * empty zone and the contact line itself as that side's withdrawal line.
 *
 * Poles: a zone that would contain a pole or come within 2 km of it is refused with
 * BZ_ERR_ARGUMENT (the message gives the line's distance from the pole): zones are drawn in
 * lon/lat, where a polygon around a pole cannot be.
 *
 * Definition. The zone of side S is the set of points within S's distance (geodesic) of the
 * contact line whose nearest point on the line has them on S's side, clipped to the region:
 *  - every part of a multi-part line keeps its own direction (left = A, right = B); parts are
 *    merged only end to start, never by reversing one (bz_line). Ground between two parts is
 *    divided where they are equally near; where two parts share an end, the ground nearest
 *    that end is divided by the bisector of their directions there, as at a vertex;
 *  - at a vertex, where the nearest point is the vertex itself, the side is decided by the
 *    bisector of the two segments that meet there;
 *  - in the territory form the sides come from the territory (A inside it, B the rest of the
 *    region), not from any direction;
 *  - open ends: where a part of the line ends (inside the region, or anywhere in the line-alone
 *    form) each side keeps the round end: the ground within its distance of the end point. The
 *    sides are divided there by the line's continuation along its final (initial) geodesic
 *    direction, so each side gets the half of the end cap on its own side.
 * A side's withdrawal line is its zone's far edge (the locus at exactly that distance). The
 * buffer zone is the union of both zones.
 *
 * Edges of polygons. An edge between two vertices of the region or territory (and of the zone
 * polygon of bz_zones_from_polygon) is straight in lon/lat, as GeoJSON defines it (RFC 7946
 * §3.1.1); a ring that steps more than 180° of longitude between two vertices is read the short
 * way round (across the antimeridian), as lines are. Long edges are cut into short straight
 * pieces where the polygon enters, so that clipping, splitting and the ellipsoidal areas all read
 * the same shape and no zone can measure more than the ground it was cut from. Polygons split
 * at ±180° (RFC 7946 §3.1.9) are moved into the contact line's longitude frame and united
 * across the seam, so a line across the antimeridian keeps both halves of its region.
 *
 * Accuracy: every point of a withdrawal line lies within the accuracy bound of the requested
 * geodesic distance from the line, and the result reports the largest deviation it measured
 * (bz_zones_max_error). With opts->verify (the default) the result also checks its area: points
 * across the band (8,000, at stations along the line) must lie in the zone of the ground that
 * holds them when within its distance and in no zone beyond it, no ground within the distances
 * may belong to neither side, and no zone may have a hole on its own ground within its
 * distance. Either check failing gives BZ_ERR_ACCURACY with the place (and, for the area, the
 * nearest segment of the line and its length) in the message.
 *
 * The caller frees *out with bz_zones_free().
 */
BZ_API int bz_zones_compute(bz_zones **out, bz_context *ctx, const bz_line *line,
                            const GEOSGeometry *region, const GEOSGeometry *territory,
                            double dist_a_m, double dist_b_m, const bz_zone_options *opts);

/**
 * Split an explicit zone polygon (e.g. "the area one side is asked to leave") by sides, in the
 * same three forms as bz_zones_compute. Zones and areas are per side; withdrawal lines are the
 * zone's edge inside each side's ground away from the contact line; distances are NaN and
 * max_error is 0. The caller frees *out with bz_zones_free().
 */
BZ_API int bz_zones_from_polygon(bz_zones **out, bz_context *ctx, const bz_line *line,
                                 const GEOSGeometry *region, const GEOSGeometry *territory,
                                 const GEOSGeometry *zone);

/** Free a result. NULL is a no-op. */
BZ_API void bz_zones_free(bz_zones *zones);

/** A side's zone as a MultiPolygon (possibly empty), lon/lat. Borrowed. Edges are straight in
 *  lon/lat; below 670 m of distance long edges are cut on their chords, so that an ellipsoidal
 *  area reading edges as geodesics reads the same shape as bz_zones_area. */
BZ_API const GEOSGeometry *bz_zones_zone(const bz_zones *zones, bz_side side);

/** A side's withdrawal line as a MultiLineString (possibly empty), lon/lat. Borrowed. */
BZ_API const GEOSGeometry *bz_zones_withdrawal_line(const bz_zones *zones, bz_side side);

/** The buffer (gray) zone: union of both zones, MultiPolygon, lon/lat. Borrowed. */
BZ_API const GEOSGeometry *bz_zones_buffer_zone(const bz_zones *zones);

/** The ground of a side (within the region; in the line-alone form the side's half of the
 *  largest buffer). Borrowed. */
BZ_API const GEOSGeometry *bz_zones_side_ground(const bz_zones *zones, bz_side side);

/** The contact line used (given or derived). Borrowed. */
BZ_API const bz_line *bz_zones_contact_line(const bz_zones *zones);

/** A side's withdrawal distance in metres (NaN for bz_zones_from_polygon). */
BZ_API double bz_zones_distance(const bz_zones *zones, bz_side side);

/** A side's zone area in m² (ellipsoidal). */
BZ_API double bz_zones_area(const bz_zones *zones, bz_side side);

/** A side's withdrawal-line length in metres (geodesic). */
BZ_API double bz_zones_withdrawal_length(const bz_zones *zones, bz_side side);

/** The buffer zone's area in m² (ellipsoidal): the sum of the two zones' areas, which meet
 *  only along the contact line. */
BZ_API double bz_zones_buffer_area(const bz_zones *zones);

/** The contact line's length in metres (geodesic, the part inside the region if any). */
BZ_API double bz_zones_contact_length(const bz_zones *zones);

/** The largest deviation (metres) of a withdrawal-line point from its requested geodesic
 *  distance, as measured by the library's own check (0 if verification was off). */
BZ_API double bz_zones_max_error(const bz_zones *zones);

/* ------------------------------------------------------------------------------------------ */
/* Territory change                                                                           */
/* ------------------------------------------------------------------------------------------ */

/**
 * How a territory changed between two dates: *gained = new − old, *lost = old − new (both
 * clipped to region when it is not NULL), as MultiPolygons. Edges are read as bz_zones_compute
 * reads them; territories split at ±180° are united across the seam (longitudes of the results
 * may then run past 180). gained_m2 / lost_m2 (may be NULL)
 * receive their ellipsoidal areas. The caller frees *gained and *lost with bz_geometry_free().
 */
BZ_API int bz_territory_diff(GEOSGeometry **gained, GEOSGeometry **lost, double *gained_m2,
                             double *lost_m2, bz_context *ctx, const GEOSGeometry *old_territory,
                             const GEOSGeometry *new_territory, const GEOSGeometry *region);

/** Ellipsoidal area (m²) of the intersection of two polygonal geometries, their edges read as
 *  bz_zones_compute reads them (straight in lon/lat, across the antimeridian the short way). */
BZ_API int bz_intersection_area(double *area_m2, bz_context *ctx, const GEOSGeometry *a,
                                const GEOSGeometry *b);

/* ------------------------------------------------------------------------------------------ */
/* Places (settlements)                                                                       */
/* ------------------------------------------------------------------------------------------ */

typedef struct bz_places bz_places;

/** Number of places. */
BZ_API size_t bz_places_count(const bz_places *places);
/** Name of place i ("" if it has none). Borrowed. */
BZ_API const char *bz_places_name(const bz_places *places, size_t i);
/** Population of place i, or NaN when unknown. */
BZ_API double bz_places_population(const bz_places *places, size_t i);
/** Lon/lat of place i. */
BZ_API void bz_places_coords(const bz_places *places, size_t i, double *lon, double *lat);
/** Free places. NULL is a no-op. */
BZ_API void bz_places_free(bz_places *places);

/**
 * Places from arrays: `n` places, place i at (lon[i], lat[i]) named names[i] with population
 * population[i]. `names` may be NULL (every place unnamed) and so may any entry (""); the
 * names are UTF-8 and copied. `population` may be NULL (every population unknown); a NaN
 * entry means unknown. n = 0 gives an empty set (lon/lat may then be NULL).
 * Errors, naming the index: BZ_ERR_ARGUMENT (NULL lon/lat with n > 0, a negative or infinite
 * population), BZ_ERR_GEOMETRY (a NaN/infinite coordinate, a longitude outside [-180, 180], a
 * latitude outside [-90, 90]). The caller frees *out with bz_places_free().
 */
BZ_API int bz_places_from_arrays(bz_places **out, bz_context *ctx, size_t n,
                                 const char *const *names, const double *lon, const double *lat,
                                 const double *population);

/**
 * Count the places inside (or on the edge of) a polygonal area. *count receives their number,
 * *population (may be NULL) the sum of known populations; `indices` (may be NULL) must hold
 * bz_places_count() entries and receives the indices of the places inside, in order.
 * The area may run past ±180° of longitude, as results across the antimeridian do (their
 * longitudes are continuous): a place at longitude x is then also looked for at x ± 360°.
 */
BZ_API int bz_places_within(size_t *count, double *population, size_t *indices, bz_context *ctx,
                            const bz_places *places, const GEOSGeometry *area);

/* ------------------------------------------------------------------------------------------ */
/* Reading (GDAL/OGR: GeoJSON, Shapefile, GeoPackage, KML, FlatGeobuf, TopoJSON, ...)         */
/* ------------------------------------------------------------------------------------------ */

typedef struct bz_read_options {
    int version;                  /**< BZ_READ_OPTIONS_VERSION */
    const char *layer;            /**< layer name; NULL = every layer (or the only one) */
    const char *where;            /**< OGR SQL WHERE filter, e.g. "name LIKE '%occupied%'" */
    int make_valid;               /**< 1: repair invalid polygons with GEOSMakeValid instead of
                                       failing with BZ_ERR_GEOMETRY */
    const char *name_field;       /**< places: the name attribute (NULL = first of name, NAME,
                                       name_en, NAMEASCII) */
    const char *population_field; /**< places: the population attribute (NULL = first of
                                       population, POP_MAX, pop) */
} bz_read_options;

#define BZ_READ_OPTIONS_VERSION 1
#define BZ_READ_OPTIONS_INIT                                                                       \
    {                                                                                              \
        BZ_READ_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL                                         \
    }

/**
 * Read a contact line: every (Multi)LineString of the matching features, merged
 * (bz_line_from_geos rules). Polygons are not lines: BZ_ERR_TYPE. Coordinates are transformed
 * to WGS84 lon/lat; a source without a CRS is taken as lon/lat only when its coordinates fit.
 * The caller frees *out with bz_line_free().
 */
BZ_API int bz_read_line(bz_line **out, bz_context *ctx, const char *path,
                        const bz_read_options *opts);

/**
 * Read a territory or region: the union of every (Multi)Polygon of the matching features, as a
 * valid lon/lat MultiPolygon. The caller frees *out with bz_geometry_free().
 */
BZ_API int bz_read_polygon(GEOSGeometry **out, bz_context *ctx, const char *path,
                           const bz_read_options *opts);

/** Read places: Point features with a name and an optional population.
 *  The caller frees *out with bz_places_free(). */
BZ_API int bz_read_places(bz_places **out, bz_context *ctx, const char *path,
                          const bz_read_options *opts);

/** Generic features: geometry (lon/lat) plus attributes as strings. */
typedef struct bz_features bz_features;

/** Read every matching feature of any geometry type. The caller frees *out with
 *  bz_features_free(). */
BZ_API int bz_read_features(bz_features **out, bz_context *ctx, const char *path,
                            const bz_read_options *opts);
/** Number of features. */
BZ_API size_t bz_features_count(const bz_features *features);
/** Geometry of feature i (lon/lat; may be NULL for a feature without geometry). Borrowed. */
BZ_API const GEOSGeometry *bz_features_geometry(const bz_features *features, size_t i);
/** Attribute `field` of feature i as text, or NULL if unset / no such field. Borrowed. */
BZ_API const char *bz_features_attr(const bz_features *features, size_t i, const char *field);
/** Free features. NULL is a no-op. */
BZ_API void bz_features_free(bz_features *features);

/* ------------------------------------------------------------------------------------------ */
/* Writing (GeoJSON RFC 7946, ESRI Shapefile, GeoPackage, any OGR driver)                     */
/* ------------------------------------------------------------------------------------------ */

typedef struct bz_write_options {
    int version;        /**< BZ_WRITE_OPTIONS_VERSION */
    const char *format; /**< OGR driver name ("GeoJSON", "ESRI Shapefile", "GPKG", ...);
                             NULL = from the file extension (.geojson/.json, .shp, .gpkg, ...) */
    int overwrite;      /**< 1: replace an existing output; 0 (default): BZ_ERR_EXISTS (see the
                             output policy at bz_writer; a FIFO or device needs no overwrite) */
    int no_style;       /**< version 2. 1: write no QGIS styles; 0 (default): a GeoPackage gets
                             its layer_styles table, GeoJSON and Shapefile a .qml sidecar (see
                             "QGIS styles" at bz_writer). Read only when version >= 2. */
} bz_write_options;

#define BZ_WRITE_OPTIONS_VERSION 2
#define BZ_WRITE_OPTIONS_INIT                                                                      \
    {                                                                                              \
        BZ_WRITE_OPTIONS_VERSION, NULL, 0, 0                                                       \
    }

/** The attributes every written feature carries (NULL strings / NaN numbers = unset).
 *  Initialise with BZ_FEATURE_ATTRS_INIT; bz_writer_add checks the version like an option
 *  struct's. */
typedef struct bz_feature_attrs {
    int version;       /**< BZ_FEATURE_ATTRS_VERSION */
    const char *kind;  /**< zone, withdrawal_line, contact_line, buffer_zone, gained, lost, ... */
    const char *side;  /**< the side's name */
    const char *name;  /**< free label (proposal name, administrative unit, ...) */
    double distance_m; /**< withdrawal distance */
    double area_km2;   /**< polygons: ellipsoidal area */
    double length_km;  /**< lines: geodesic length */
} bz_feature_attrs;

#define BZ_FEATURE_ATTRS_VERSION 1
/** Attributes with every field unset. */
#define BZ_FEATURE_ATTRS_INIT                                                                      \
    {                                                                                              \
        BZ_FEATURE_ATTRS_VERSION, NULL, NULL, NULL, NAN, NAN, NAN                                  \
    }

/**
 * A writer: features go to a temporary file beside `path`, which bz_writer_commit() renames
 * into place. Until then (and after any failure or bz_writer_abort()) `path` is untouched and
 * no partial file is left.
 *
 * Output policy — what bz_writer_open finds at `path` decides what happens:
 *  - nothing: the file is created (mode 0666 minus the umask);
 *  - a regular file (only with overwrite): replaced atomically by a temporary file beside it
 *    and rename(), keeping its permission bits, and its owner and group when the process may
 *    set them (as root; a user keeps the group when a member of it). Other hard links to the
 *    old file are not changed: the path gets a new inode and they keep the old content (the
 *    price of atomic replacement; a reader never sees half a file);
 *  - a symlink (also a chain, also a dangling one): followed to its final target, which is
 *    replaced (or created) as above; the link stays a link. Without overwrite an existing
 *    link counts as an existing output;
 *  - a FIFO or a character device (/dev/null, a named pipe): GeoJSON is written straight
 *    into it, with no temporary file and no rename, and overwrite is not needed (nothing is
 *    replaced); without a format or a known extension the format is GeoJSON. Opening a FIFO
 *    waits for its reader. Bytes already streamed stay streamed if a later step fails. Other
 *    formats cannot be streamed (a Shapefile set is several files, GPKG and the rest need a
 *    file to seek in and rename): BZ_ERR_ARGUMENT;
 *  - /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: the process's own descriptor N,
 *    written into as a stream, whatever it is (a pipe, a terminal, a socket, or a file the
 *    shell opened with > or >>, which keeps its inode and its append mode);
 *  - a directory, socket or block device: BZ_ERR_IO, the message naming the path and what it is;
 *  - a GDAL virtual path ("/vsimem/x.geojson"): written through GDAL's VSI functions
 *    (VSIMkdir, VSIRename, VSIUnlink) with the same temporary-then-rename steps.
 * bz_output_check() applies the same rules before any work, and also refuses an output that
 * is the same file as an input (a stream is not checked: nothing in it is replaced).
 *
 * A Shapefile cannot mix geometry types: `out.shp` becomes
 * `out_polygons.shp` / `out_lines.shp` / `out_points.shp` (each with .shx, .dbf, .prj, .cpg)
 * for the types present. GeoJSON output follows RFC 7946 (lon/lat, exterior rings
 * counter-clockwise, 7 decimals, split at the antimeridian) and carries simplestyle
 * properties (fill, fill-opacity, stroke, stroke-opacity, stroke-width) in the look of bz-render.
 * A valid polygon that 7 decimals would make invalid (two edges closer than ~1 cm touching or
 * crossing once rounded) is snap-rounded to the written grid by GEOS first, so it reads back
 * valid; an invalid polygon given to the writer is written as it is.
 *
 * QGIS styles (unless opts->no_style): the look of bz-render's map in the simplestyle colours
 * (zones filled per side, withdrawal lines dashed, the contact line bold, the buffer zone an
 * outline, zone areas as labels). A GeoPackage (or SQLite) output gets QGIS's layer_styles table
 * with one default style per layer (QML categorised on "side" where the layer has sides, and
 * the same as SLD). GeoJSON
 * gets "NAME.qml" beside "NAME.geojson", a Shapefile set "NAME_polygons.qml", ... beside each
 * .shp (rule-based on "kind" and "side", valid for every geometry type QGIS splits a mixed file
 * into). A sidecar is committed with the output, all or nothing; an existing one is an existing
 * output (BZ_ERR_EXISTS without overwrite). Streams, /vsimem/ paths (other than GeoPackage)
 * and other formats get no style. A file named "X.qml" is taken from the target's name: beside
 * a symlink's final target.
 * The writer is consumed by bz_writer_commit() or bz_writer_abort().
 */
typedef struct bz_writer bz_writer;

/** Open a writer on `path` under the output policy above. Errors: BZ_ERR_EXISTS (exists and
 *  opts->overwrite is 0), BZ_ERR_IO (a directory, socket or block device; the directory is
 *  missing or not writable), BZ_ERR_ARGUMENT (no such format; a format that cannot be
 *  streamed into a FIFO or device). The caller ends *out with bz_writer_commit() or
 *  bz_writer_abort(). */
BZ_API int bz_writer_open(bz_writer **out, bz_context *ctx, const char *path,
                          const bz_write_options *opts);
/** Add one feature (g is copied; the caller keeps it). attrs may be NULL (every attribute
 *  unset). */
BZ_API int bz_writer_add(bz_writer *w, const GEOSGeometry *g, const bz_feature_attrs *attrs);
/** Finish and rename into place. Frees the writer, also on failure. */
BZ_API int bz_writer_commit(bz_writer *w);
/** Discard everything written. Frees the writer. NULL is a no-op. */
BZ_API void bz_writer_abort(bz_writer *w);

/**
 * Write a zone result: per side its zone (kind "zone") and withdrawal line
 * ("withdrawal_line"), the contact line ("contact_line") and the buffer zone ("buffer_zone"),
 * with side names name_a / name_b (NULL = "A" / "B"). The output policy of bz_writer applies:
 * "/dev/stdout" or a FIFO receives streamed GeoJSON, a symlink's target is replaced, and
 * "/vsimem/..." writes into GDAL's memory file system.
 */
BZ_API int bz_zones_write(bz_context *ctx, const bz_zones *zones, const char *path,
                          const char *name_a, const char *name_b, const bz_write_options *opts);

/**
 * Check, before any work, that writing `path` would be allowed, so that a program refuses in
 * seconds instead of after minutes of computing. Nothing is created, opened or changed.
 * `inputs` (may be NULL when ninputs is 0) are the paths the program reads ("-" and
 * "/vsistdin/" stand for standard input); NULL entries are skipped. Returns:
 *  - BZ_OK: bz_writer_open would accept `path` (a later failure, a full disk, is still
 *    possible);
 *  - BZ_ERR_EXISTS: the output (or a file of its Shapefile set, or the QGIS style .qml a
 *    GeoJSON output gets unless opts->no_style) exists and opts->overwrite is 0; the message
 *    names the file;
 *  - BZ_ERR_ARGUMENT: the output is the same file as an input (same device and inode, also
 *    through symlinks and hard links; the message names both), a format that cannot go to a
 *    FIFO or device, or opts->format names no writable OGR driver;
 *  - BZ_ERR_IO: the output is a directory, socket or block device, or its directory is
 *    missing or not writable.
 * The format is opts->format, else the extension's; when neither names one (a file of the
 * caller's own format, e.g. an SVG map) only the place is checked. bz_writer_open applies the
 * same checks, except the one against inputs, which it does not know.
 */
BZ_API int bz_output_check(bz_context *ctx, const char *path, const bz_write_options *opts,
                           const char *const *inputs, size_t ninputs);

/**
 * Write `size` bytes of the caller's own format (an SVG map, a CSV table) to `path` under the
 * output policy of bz_writer: a new or regular file through a temporary file and rename (mode
 * and owner kept; without opts->overwrite an existing output is BZ_ERR_EXISTS), a symlink's
 * target, straight into a FIFO or character device, "/vsimem/..." through GDAL. opts->format
 * is not used. The caller keeps `data`.
 */
BZ_API int bz_output_write(bz_context *ctx, const char *path, const void *data, size_t size,
                           const bz_write_options *opts);

/**
 * A zone result as an RFC 7946 GeoJSON FeatureCollection in memory: the same features,
 * properties and styling, byte for byte, that bz_zones_write writes to a .geojson file (side
 * names name_a / name_b, NULL = "A" / "B"). *out is '\0'-terminated UTF-8; *size (may be
 * NULL) receives its strlen. The caller frees *out with bz_free().
 */
BZ_API int bz_zones_to_geojson(char **out, size_t *size, bz_context *ctx, const bz_zones *zones,
                               const char *name_a, const char *name_b);

/* ------------------------------------------------------------------------------------------ */
/* The look of maps                                                                           */
/* ------------------------------------------------------------------------------------------ */

/** How a feature is drawn: the one look of bz-render's SVG maps, the QGIS styles the writer
 *  stores and the simplestyle properties of written GeoJSON (see "QGIS styles" at bz_writer).
 *  Colours are "#rrggbb" strings that live as long as the program; widths are CSS pixels
 *  (96 per inch). */
typedef struct bz_look {
    int version;           /**< BZ_LOOK_VERSION, set by BZ_LOOK_INIT before the call */
    const char *fill;      /**< fill colour (polygons) */
    const char *stroke;    /**< line colour, or a polygon's outline */
    double fill_opacity;   /**< 0 = not filled */
    double stroke_opacity; /**< 0 = no line or outline */
    double width_px;       /**< line width, or a polygon's outline */
    double dash_px;        /**< dashed: dashes this long ... */
    double gap_px;         /**< ... with gaps this long; both 0 = a solid line */
    double halo_px;        /**< > 0: a white line this wide is drawn under the line */
} bz_look;

#define BZ_LOOK_VERSION 1
#define BZ_LOOK_INIT                                                                               \
    {                                                                                              \
        BZ_LOOK_VERSION, NULL, NULL, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0                                  \
    }
/** Sides get colours in the order they are first met; the colours repeat after this many. */
#define BZ_LOOK_SIDE_COLOURS 6

/**
 * The look of a feature of `kind` (the "kind" attribute the writer writes: "zone",
 * "withdrawal_line", "contact_line", "buffer_zone", "gained", "lost"; NULL or any other kind:
 * land, plain lines, places), of the side with colour index `side` (sides numbered from 0 in
 * the order they are first met; -1 = no side), drawn as a polygon (polygonal != 0) or as a line
 * or point. out->version must be set (BZ_LOOK_INIT). Errors: BZ_ERR_ARGUMENT (NULL out, a
 * version outside 1..BZ_LOOK_VERSION).
 */
BZ_API int bz_look_of(bz_look *out, bz_context *ctx, const char *kind, int side, int polygonal);

/* ------------------------------------------------------------------------------------------ */
/* In-memory files (GDAL's /vsimem/)                                                          */
/* ------------------------------------------------------------------------------------------ */

/*
 * Reading from memory: every bz_read_* takes a path, and GDAL paths include its in-memory file
 * system: bytes put under "/vsimem/NAME.EXT" are read like a file of that name (the extension
 * picks the driver as usual; a GeoPackage, or a zipped Shapefile as "/vsizip//vsimem/x.zip",
 * works as well as GeoJSON text). C programs that link GDAL themselves may write the bytes with
 * VSIFileFromMemBuffer() and remove them with VSIUnlink(); the functions below do the same
 * without GDAL's headers (they are what the Python package uses).
 *
 * Writing to memory: bz_writer_open / bz_zones_write accept a "/vsimem/..." path like any
 * other; after the commit, bz_vsimem_get copies the finished file out. For a zone result as
 * GeoJSON text, bz_zones_to_geojson is simpler.
 *
 * In-memory files are process-wide (GDAL's), not per context: use distinct names per thread.
 */

/** Put `size` bytes under a GDAL in-memory path, which must start with "/vsimem/", so that
 *  bz_read_* and bz_writer_open / bz_zones_write can use it as a file. The bytes are copied
 *  (the caller keeps `data`); an existing in-memory file of that name is replaced. Free the
 *  copy with bz_vsimem_unlink(). Errors: BZ_ERR_ARGUMENT (NULL path, data NULL with size > 0,
 *  a path outside /vsimem/), BZ_ERR_NOMEM, BZ_ERR_IO (GDAL refused). */
BZ_API int bz_vsimem_put(bz_context *ctx, const char *path, const void *data, size_t size);

/** Copy out the bytes of an in-memory file (e.g. one a writer committed to "/vsimem/...");
 *  *size receives their number. The caller frees *out with bz_free() (*out is not NULL on
 *  success, even for an empty file). Errors: BZ_ERR_ARGUMENT, BZ_ERR_NOT_FOUND (no such
 *  in-memory file), BZ_ERR_NOMEM. */
BZ_API int bz_vsimem_get(unsigned char **out, size_t *size, bz_context *ctx, const char *path);

/** Remove an in-memory file. A missing file is not an error. Errors: BZ_ERR_ARGUMENT (NULL
 *  path, a path outside /vsimem/). */
BZ_API int bz_vsimem_unlink(bz_context *ctx, const char *path);

#ifdef __cplusplus
}
#endif

#endif /* BUFFERZONE_H */

/*
 * internal.h — what the library's modules share and the public header does not show.
 * Internal (hidden) functions use the prefix bzi_.
 */
#ifndef BZ_INTERNAL_H
#define BZ_INTERNAL_H

#include "bufferzone.h"
#include "coords.h"

#include <geodesic.h>
#include <geos_c.h>
#include <proj.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#if defined(__GNUC__)
#define BZI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BZI_PRINTF(f, a)
#endif

#define BZI_ERRMSG_SIZE 1024

/*
 * Progress and cancellation of one zone computation (progress.c). It lives on the stack of the
 * public call that has a callback; the calling thread's context points at it while the call
 * runs, and worker threads get the pointer too. Only the calling thread ever calls the user's
 * callback; when it asks to stop, `stop` is set and every thread sees it at its next poll.
 */
typedef struct bzi_progress {
    bz_progress_fn fn;
    void *data;
    pthread_t caller;          /* the thread that called the library */
    atomic_int stop;           /* set once the callback asked to stop */
    double lo, hi;             /* the current stage's share of [0, 1] */
    double last;               /* the last fraction reported (fractions never go back) */
    struct timespec last_call; /* when the callback was last called */
} bzi_progress;

struct bz_context {
    GEOSContextHandle_t geos;  /* this context's GEOS handle (reentrant API only) */
    PJ_CONTEXT *proj;          /* this context's PROJ context */
    struct geod_geodesic geod; /* WGS84 */
    int threads;               /* 0 = auto */
    bzi_progress *progress;    /* the running zone computation's callback, else NULL */
    int status;                /* last error status (BZ_OK if none) */
    char errmsg[BZI_ERRMSG_SIZE];
    char geos_msg[BZI_ERRMSG_SIZE]; /* last message from GEOS's error handler */
};

/* Record an error and return `status`, so callers can write `return bzi_error(...)`. */
int bzi_error(bz_context *ctx, int status, const char *fmt, ...) BZI_PRINTF(3, 4);
/* BZ_ERR_GEOS with GEOS's last message appended to `what`. */
int bzi_geos_error(bz_context *ctx, const char *what);
/* BZ_ERR_NOMEM naming what could not be allocated. */
int bzi_nomem(bz_context *ctx, const char *what);
/* The one rule for option structs: `version` must be 1..current, where current is the struct's
 * BZ_*_VERSION macro as this library was built (older versions stay valid when a struct grows).
 * Otherwise BZ_ERR_ARGUMENT, naming the function `fn`, the struct `type` ("bz_read_options")
 * and the version. */
int bzi_check_options_version(bz_context *ctx, const char *fn, const char *type, int version,
                              int current);
/* Prepend context to the current message ("reading x.geojson: " + old message). */
int bzi_error_prefix(bz_context *ctx, const char *fmt, ...) BZI_PRINTF(2, 3);
/* Make a fresh GEOS handle whose errors go to ctx's buffer. */
GEOSContextHandle_t bzi_geos_handle_new(bz_context *ctx);

/* Number of worker threads a heavy job may use (>= 1). */
int bzi_thread_count(const bz_context *ctx);

/* --- Progress and cancellation (progress.c) ---------------------------------------------- */

/* Start reporting for a call of the calling thread: with a callback, ctx->progress = p and the
 * callback is called with 0 (it may already cancel); without one, ctx->progress = NULL. */
int bzi_progress_begin(bzi_progress *p, bz_context *ctx, bz_progress_fn fn, void *data);
/* The end of the call: on success the callback gets 1.0 (and may still cancel). Detaches p
 * from ctx. Returns rc, or BZ_ERR_CANCELLED (recorded) when the callback stopped it. */
int bzi_progress_end(bz_context *ctx, int rc);
/* The next stage covers [lo, hi] of the whole (calling thread only). */
void bzi_progress_stage(bz_context *ctx, double lo, double hi);
/* From any thread, cheap enough for inner loops: BZ_ERR_CANCELLED (not recorded anywhere) when
 * the computation is to stop, else BZ_OK. On the calling thread the callback is called with
 * `done` (the fraction of the current stage, in [0, 1]) when ~10 ms have passed since its last
 * call. p may be NULL (no callback: always BZ_OK). */
int bzi_progress_tick(bzi_progress *p, double done);
/* bzi_progress_tick for ctx->progress that records BZ_ERR_CANCELLED in ctx (use it with the
 * context of the running thread). */
int bzi_progress_poll(bz_context *ctx, double done);
/* Record the cancellation in ctx: BZ_ERR_CANCELLED, "cancelled by the progress callback". */
int bzi_progress_cancelled(bz_context *ctx);
/* pthread_join that keeps calling the callback while it waits (the calling thread must stay
 * responsive while workers finish). */
void bzi_progress_join(bz_context *ctx, pthread_t thread);

/* One segment box of a line's spatial index (see line.c / distance.c). */
typedef struct bzi_segbox {
    double minx, miny, maxx, maxy;
} bzi_segbox;

struct bz_line {
    bz_context *ctx;    /* the context that made it (for GEOS frees) */
    GEOSGeometry *geom; /* MultiLineString, unwrapped lon/lat */
    size_t nparts;
    size_t *part_start; /* nparts + 1 offsets (in points) into coords */
    double *coords;     /* lon, lat pairs of every part, part after part */
    /* static spatial index over segments, built at construction (read-only after) */
    void *index;
};

/* Build a line that takes ownership of `coords` (malloc'ed lon/lat pairs, already validated,
 * unwrapped and free of duplicates) and `part_start` (nparts + 1 offsets). Builds geometry and
 * index. On failure frees both arrays. */
/* A point strictly inside the area a ring encloses (GEOSPointOnSurface of the ring as a shell),
 * into *lon / *lat. Returns 1, or 0 when GEOS fails (its message is in the context). Used to
 * judge a hole by the zone definition (buffer.c, verify_area.c). */
int bzi_point_inside_ring(GEOSContextHandle_t h, const GEOSGeometry *ring, double *lon,
                          double *lat);

int bzi_line_new_owned(bz_line **out, bz_context *ctx, double *coords, size_t *part_start,
                       size_t nparts);

/* The part of `line` that holds vertex v (a global index into line->coords), by bisection. */
size_t bzi_line_part_of(const bz_line *line, size_t v);

/* The segment index of a line (distance.c). Build fills line->index from line->coords and
 * line->part_start; it is read-only afterwards. Free accepts NULL. */
int bzi_line_index_build(bz_context *ctx, bz_line *line);
void bzi_line_index_free(void *index);
/* Call visit(v, user) for every segment whose (geodesic-covering) box overlaps `box`; v is the
 * global index into line->coords of the segment's first vertex. Stops at the first nonzero
 * return of visit and returns it; 0 when every segment was visited. */
int bzi_line_index_query(const bz_line *line, const bzi_segbox *box,
                         int (*visit)(size_t v, void *user), void *user);

/* bz_line_distance for points that come in order along a curve: *hint (SIZE_MAX at first) is
 * where the last search ended, and the next starts there: the same distance with less searching
 * (where the nearest point is a vertex, either segment at it may be named). */
int bzi_line_distance_hint(bz_context *ctx, const bz_line *line, double lon, double lat,
                           size_t *hint, bz_nearest *out);

/* The longest edge (metres) at latitude lat whose straight lon/lat chord stays within 1 cm of
 * its geodesic, at most `cap`. GEOS cuts and unites in lon/lat, the library measures edges as
 * geodesics: they must agree. A geodesic bows poleward of the chord by about L²·tan|φ|/(8R), so
 * L = sqrt(0.08·R / tan|φ|): 714 m at 45°, 542 m at 60°, 297 m at 80°, 115 m at 88.5°; 20 m at
 * the least (within 0.01° of a pole). */
double bzi_lonlat_edge_m(double lat, double cap);
/* The same for a chord that may stray `sag_m` from its geodesic: sqrt(8·sag·R / tan|φ|), at
 * most `cap`, at least 20 m (which strays at most 9 µm at 48°, 0.6 mm within 0.01° of a pole).
 * Distances of millimetres need a smaller sag than 1 cm. */
double bzi_lonlat_edge_sag_m(double lat, double cap, double sag_m);

/* The n points xy (x, y pairs) into out (emptied first), with every edge whose lon/lat chord
 * strays more than sag_m from its geodesic (or is longer than cap_m) cut into equal steps of
 * longitude and latitude, i.e. points on the chord. *cut is set to 1 if any edge was cut.
 * 0, or -1 if memory ran out. */
int bzi_densify_chords(const struct geod_geodesic *g, const double *xy, size_t n, double sag_m,
                       double cap_m, bzi_coords *out, int *cut);

/* The area (m²) of a polygonal geometry whose edges are straight in lon/lat (as GEOS clips
 * them), to within sag_m of each edge: edges are cut on their chords first (sag_m <= 0: none
 * is, and every edge is read as the geodesic between its ends, as bz_geodesic_area does). */
int bzi_chord_area(bz_context *ctx, const GEOSGeometry *polygonal, double sag_m, double *area_m2);

/* A copy of a (Multi)Polygon with every edge cut on its lon/lat chord where it strays more than
 * sag_m from its geodesic, so that reading its edges as chords or as geodesics (as any
 * ellipsoidal area does) gives the same area. The caller frees *out. */
int bzi_chord_densified(bz_context *ctx, const GEOSGeometry *polygonal, double sag_m,
                        GEOSGeometry **out);

/* Geodesic area (m², signed: counter-clockwise positive) of one ring of lon/lat pairs. */
double bzi_ring_area(const struct geod_geodesic *g, const double *lonlat, size_t n);

#endif

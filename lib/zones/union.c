/*
 * union.c — the union of many polygons on two threads.
 *
 * Reading a region or a territory ends with the union of its features: Ukraine's 27 oblasts
 * (82,000 vertices) take GEOS's cascaded union 0.33 s on one core, a third of reading the whole
 * benchmark job's input. The polygons are split into two halves across the longer side of their
 * extent, with about as many vertices in each half; each half is united on its own thread with
 * its own GEOS handle, and the two results are united last (they meet along one seam, so that
 * step is cheap: 0.05 s for the oblasts, against 0.08-0.2 s for each half).
 *
 * The result is the same point set as one GEOSUnaryUnion (it is the union, in another order);
 * vertex order and ring starts may differ. A context limited to one thread unites the same two
 * halves in turn, so the result does not depend on the number of threads. Small inputs take the
 * single GEOSUnaryUnion.
 */
#include "zones/union.h"
#include "core/context.h"
#include "core/pool.h"

#include <math.h>
#include <stdlib.h>

/* Below this many vertices a second thread costs more than it saves. */
#define PARALLEL_MIN_VERTICES 20000

typedef struct member {
    const GEOSGeometry *g;
    double key; /* the middle of its envelope along the split axis */
    double mid_y;
    int vertices;
} member;

static int by_key(const void *a, const void *b)
{
    double ka = ((const member *)a)->key, kb = ((const member *)b)->key;
    return (ka > kb) - (ka < kb);
}

/* One half: clones of its members, united with the half's own context. */
typedef struct half {
    bz_context *ctx; /* the context the half is united with (the caller's, or a thread's own) */
    const member *m;
    size_t n;
    GEOSGeometry *result;
    int status;
} half;

static void unite_half(half *hf)
{
    GEOSContextHandle_t h = hf->ctx->geos;
    GEOSGeometry **parts = malloc((hf->n ? hf->n : 1) * sizeof *parts);
    if (!parts) {
        hf->status = bzi_nomem(hf->ctx, "uniting polygons");
        return;
    }
    size_t k = 0;
    for (; k < hf->n; k++)
        if (!(parts[k] = GEOSGeom_clone_r(h, hf->m[k].g)))
            break;
    GEOSGeometry *coll =
        k == hf->n ? GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)k)
                   : NULL;
    if (!coll) {
        if (k < hf->n) /* else GEOS owns the members, even though it failed (geos_c.h) */
            for (size_t i = 0; i < k; i++)
                GEOSGeom_destroy_r(h, parts[i]);
        free(parts);
        hf->status = bzi_geos_error(hf->ctx, "collecting polygons to unite");
        return;
    }
    free(parts); /* the collection took the members */
    hf->ctx->geos_msg[0] = '\0';
    hf->result = GEOSUnaryUnion_r(h, coll);
    GEOSGeom_destroy_r(h, coll);
    if (!hf->result)
        hf->status = bzi_geos_error(hf->ctx, "uniting the polygons");
}

/* Task i of the fan-out over the two halves. The second half is skipped when it has no context,
 * or when it shares the caller's context with a first half that failed (its message stays). */
static void unite_task(void *arg, size_t i)
{
    half *hv = arg;
    if (i == 1 && (!hv[1].ctx || (hv[1].ctx == hv[0].ctx && hv[0].status != BZ_OK)))
        return;
    unite_half(&hv[i]);
}

/* The members of g (a collection) sorted along the longer side of g's extent, with their
 * vertex counts; NULL when out of memory. */
static member *sorted_members(GEOSContextHandle_t h, const GEOSGeometry *g, size_t n, long *total)
{
    member *m = malloc(n * sizeof *m);
    if (!m)
        return NULL;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    *total = 0;
    for (size_t i = 0; i < n; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, (int)i);
        double a = 0, b = 0, c = 0, d = 0;
        GEOSGeom_getXMin_r(h, p, &a);
        GEOSGeom_getXMax_r(h, p, &b);
        GEOSGeom_getYMin_r(h, p, &c);
        GEOSGeom_getYMax_r(h, p, &d);
        m[i].g = p;
        m[i].vertices = GEOSGetNumCoordinates_r(h, p);
        m[i].key = 0.5 * (a + b);
        m[i].mid_y = 0.5 * (c + d);
        *total += m[i].vertices > 0 ? m[i].vertices : 0;
        x0 = fmin(x0, a);
        x1 = fmax(x1, b);
        y0 = fmin(y0, c);
        y1 = fmax(y1, d);
    }
    if (y1 - y0 > x1 - x0) /* taller than wide: split north / south */
        for (size_t i = 0; i < n; i++)
            m[i].key = m[i].mid_y;
    qsort(m, n, sizeof *m, by_key);
    return m;
}

int bzi_union_polygons(GEOSGeometry **out, bz_context *ctx, const GEOSGeometry *collection)
{
    *out = NULL;
    GEOSContextHandle_t h = ctx->geos;
    int n = GEOSGetNumGeometries_r(h, collection);
    long total = GEOSGetNumCoordinates_r(h, collection);
    if (n < 4 || total < PARALLEL_MIN_VERTICES) {
        ctx->geos_msg[0] = '\0';
        *out = GEOSUnaryUnion_r(h, collection);
        return *out ? BZ_OK : bzi_geos_error(ctx, "uniting the polygons");
    }
    member *m = sorted_members(h, collection, (size_t)n, &total);
    if (!m)
        return bzi_nomem(ctx, "uniting polygons");
    /* split where the first half reaches half of the vertices (both halves non-empty) */
    size_t cut = 0;
    for (long sum = 0; cut + 1 < (size_t)n && 2 * sum < total; cut++)
        sum += m[cut].vertices;
    if (cut == 0)
        cut = 1;
    /* The same halves with one thread or two, so the result does not depend on the number. */
    int threaded = bzi_thread_count(ctx) > 1;
    half hv[2] = {{ctx, m, cut, NULL, BZ_OK},
                  {threaded ? bz_context_new() : ctx, m + cut, (size_t)n - cut, NULL, BZ_OK}};
    half *first = &hv[0], *second = &hv[1];
    bzi_pool_run(ctx, 2, second->ctx && second->ctx != ctx ? 2 : 1, unite_task, hv);
    if (!second->ctx && first->status == BZ_OK)
        second->status = bzi_nomem(ctx, "a context for uniting polygons");
    free(m);
    int rc = first->status;
    if (rc == BZ_OK && second->status != BZ_OK && second->ctx != ctx)
        rc = second->ctx ? bzi_error(ctx, second->status, "%s", bz_errmsg(second->ctx))
                         : second->status;
    else if (rc == BZ_OK)
        rc = second->status; /* its message is in ctx already */
    if (rc == BZ_OK) {
        ctx->geos_msg[0] = '\0';
        *out = GEOSUnion_r(h, first->result, second->result);
        if (!*out)
            rc = bzi_geos_error(ctx, "uniting the polygons");
    }
    if (first->result)
        GEOSGeom_destroy_r(h, first->result);
    if (second->result)
        GEOSGeom_destroy_r(h, second->result);
    if (second->ctx != ctx)
        bz_context_free(second->ctx);
    return rc;
}

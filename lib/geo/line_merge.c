/* line_merge.c — merging the parts of a new line that continue each other (line.c's
 * build_line): end to start, direction kept, junctions of three or more ends left apart. */
#include "geo/line_merge.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

double bzi_fold_lon(double lon)
{
    double f = lon - 360.0 * round(lon / 360.0);
    return f == -180.0 ? 180.0 : f;
}

typedef struct endpoint {
    double lat, lon; /* lon folded */
    size_t part;
    int is_end;
} endpoint;

static int endpoint_cmp(const void *pa, const void *pb)
{
    const endpoint *a = pa, *b = pb;
    if (a->lat != b->lat)
        return a->lat < b->lat ? -1 : 1;
    if (a->lon != b->lon)
        return a->lon < b->lon ? -1 : 1;
    if (a->part != b->part)
        return a->part < b->part ? -1 : 1;
    return a->is_end - b->is_end;
}

/*
 * Link part i to part j when i's end is j's start and nothing else ends or starts there: the
 * direction is kept (GEOSLineMerge could reverse parts, and direction defines the sides), and a
 * junction of three or more ends stays a junction of separate parts.
 * next[i] / prev[j] receive the links (SIZE_MAX = none).
 */
static int link_parts(bz_context *ctx, const bzi_run *runs, size_t nruns, size_t *next,
                      size_t *prev)
{
    endpoint *ep = malloc(2 * nruns * sizeof *ep);
    if (!ep)
        return bzi_nomem(ctx, "merging line parts");
    for (size_t p = 0; p < nruns; p++) {
        const double *s = runs[p].xy, *e = runs[p].xy + 2 * (runs[p].n - 1);
        ep[2 * p] = (endpoint){s[1], bzi_fold_lon(s[0]), p, 0};
        ep[2 * p + 1] = (endpoint){e[1], bzi_fold_lon(e[0]), p, 1};
        next[p] = prev[p] = SIZE_MAX;
    }
    qsort(ep, 2 * nruns, sizeof *ep, endpoint_cmp);
    for (size_t i = 0; i < 2 * nruns;) {
        size_t j = i + 1;
        while (j < 2 * nruns && ep[j].lat == ep[i].lat && ep[j].lon == ep[i].lon)
            j++;
        /* sorted by part then is_end: a start (0) sorts before an end (1) of the same part */
        if (j - i == 2 && ep[i].part != ep[i + 1].part && ep[i].is_end != ep[i + 1].is_end) {
            const endpoint *end = ep[i].is_end ? &ep[i] : &ep[i + 1];
            const endpoint *start = ep[i].is_end ? &ep[i + 1] : &ep[i];
            next[end->part] = start->part;
            prev[start->part] = end->part;
        }
        i = j;
    }
    free(ep);
    return BZ_OK;
}

/* Append chain members to out (points), starting at part `head`; marks visited parts. */
static size_t emit_chain(const bzi_run *runs, const size_t *next, size_t head, unsigned char *seen,
                         double *out)
{
    size_t k = 0;
    for (size_t p = head; p != SIZE_MAX && !seen[p]; p = next[p]) {
        seen[p] = 1;
        const double *src = runs[p].xy;
        size_t skip = 0;
        double shift = 0;
        if (k > 0) { /* continue exactly where the chain stands, by whole turns */
            shift = 360.0 * round((out[2 * k - 2] - src[0]) / 360.0);
            skip = 1; /* the joint point is already there */
        }
        for (size_t i = skip; i < runs[p].n; i++) {
            out[2 * k] = src[2 * i] + shift;
            out[2 * k + 1] = src[2 * i + 1];
            k++;
        }
    }
    return k;
}

int bzi_merge_runs(bz_context *ctx, const bzi_run *runs, size_t nruns, double *coords,
                   size_t *part_start, size_t *nparts)
{
    size_t *next = malloc(2 * nruns * sizeof *next);
    unsigned char *seen = calloc(nruns, 1);
    if (!next || !seen) {
        free(next);
        free(seen);
        return bzi_nomem(ctx, "merging line parts");
    }
    size_t *prev = next + nruns;
    int rc = link_parts(ctx, runs, nruns, next, prev);
    size_t np = 0, k = 0;
    /* heads of open chains first, in input order; then closed cycles from their lowest part */
    for (int pass = 0; rc == BZ_OK && pass < 2; pass++) {
        for (size_t p = 0; p < nruns; p++) {
            if (seen[p] || (pass == 0 && prev[p] != SIZE_MAX))
                continue;
            part_start[np] = k;
            size_t n = emit_chain(runs, next, p, seen, coords + 2 * k);
            if (np > 0) {
                double shift = 360.0 * round((coords[2 * k - 2] - coords[2 * k]) / 360.0);
                for (size_t i = 0; shift != 0 && i < n; i++)
                    coords[2 * (k + i)] += shift;
            }
            k += n;
            np++;
        }
    }
    part_start[np] = k;
    *nparts = np;
    free(next);
    free(seen);
    return rc;
}

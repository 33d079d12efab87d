/*
 * generate.h — a seeded, reproducible generator of zone cases over the input space of issue 10:
 * vertex spacing 5 m … 300 km, wiggles 50 m … 50 km, latitudes 0 … 89.9° in both hemispheres,
 * lines across the antimeridian, lengths 1 … 3,000 km, 1–20 parts in any directions (never
 * crossing), closed rings; regions none / densified strips / long-edged lon/lat boxes /
 * RFC 7946-split / raw ±180 jumps / projected-CRS files / with holes; territories with enclaves
 * and exclaves; distances 1 mm … 999 km.
 *
 * Case i of seed s is a pure function of (s, i, max_vertices): print "seed=S case=I" and it can
 * be drawn again.
 */
#ifndef BZ_GENERATE_H
#define BZ_GENERATE_H

#include <geos_c.h>
#include <stddef.h>
#include <stdint.h>

typedef enum gen_region_how {
    GEN_REGION_NONE = 0,
    GEN_REGION_API, /* region_api handed to bz_zones_compute */
    GEN_REGION_FILE /* region_path read with bz_read_polygon */
} gen_region_how;

typedef struct gen_case {
    uint64_t seed;
    int index;
    char tags[256]; /* class tags, space-separated: "lat:high am parts:3 region:rfc-split ..." */
    /* the line, for the library and for the oracle (longitudes continuous along each part) */
    size_t nparts, nverts;
    size_t *sizes;
    double *ll;
    /* the region in the oracle's lon/lat frame (NULL: none), and how the library gets it */
    GEOSGeometry *region;
    gen_region_how region_how;
    GEOSGeometry *region_api;
    char region_path[512];
    GEOSGeometry *territory; /* territory form: A = inside (NULL: sides from the line) */
    double d[2];
    int samples; /* a fixed case's least sample count (0: the run's) */
} gen_case;

/* Draw case `index` of `seed`. tmpdir receives the case's region files. max_vertices bounds the
 * line's vertex count (the spacing grows when a draw would exceed it). 0 or -1. */
int gen_draw(gen_case *c, GEOSContextHandle_t h, uint64_t seed, int index, size_t max_vertices,
             const char *tmpdir);
void gen_case_free(gen_case *c, GEOSContextHandle_t h);

/* A fixed case from a text file of "key: value" lines (# starts a comment):
 *   line: LINESTRING/MULTILINESTRING WKT (lon/lat; each part keeps its direction)
 *   region: / territory: (MULTI)POLYGON WKT, handed to the library as a GEOS geometry
 *   truth-region: the region as the oracle reads it (after region:; default the region)
 *   d: d_A d_B (metres)
 *   samples: N (optional: the oracle samples the case at least N times, for wrong ground too
 *            small for the run's sample count to find surely)
 *   tags: class tags (as the generator's, e.g. "issue:1 form:line lat:polarN")
 * The case's tags start with "fixed:FILENAME". 0 or -1. */
int gen_from_file(gen_case *c, GEOSContextHandle_t h, const char *path);

/* 1 if the space-separated tag list contains the word `tag` (a prefix "x:" matches any x:…). */
int gen_has_tag(const char *tags, const char *tag);

#endif

/* test_bad_input.c — the hostile-input corpus (tests/bad_input/MANIFEST) through the public API.
 *
 * Each case runs in a child process with a time limit (a crash or a hang fails that case only,
 * and the others still run), and must give exactly the status the manifest names and a message
 * that contains its substring. The child also checks what the library promises beyond the
 * status: out-parameters stay NULL on failure, no partial output file, an existing output
 * byte-identical. Under valgrind or the sanitizers the child's own leak report turns into a
 * non-zero exit, which fails the case. */
#define _GNU_SOURCE /* strcasestr */
#include <bufferzone.h>

#include <dirent.h>
#include <errno.h>
#include <geodesic.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* cmocka.h needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>

#include "support.h"

#define MAX_CASES 256
#define FIELD 2048

typedef struct bad_case {
    char id[64];
    char op[32];
    char input[FIELD];
    char options[FIELD];
    char expected[32];
    char substring[256];
} bad_case;

/* What the child reports back through a pipe. */
typedef struct outcome {
    int status;
    char msg[1024];
    char problem[512]; /* a broken promise other than the status, "" if none */
    char note[256];    /* printed with the result (e.g. a timing) */
} outcome;

static bad_case cases[MAX_CASES];
static size_t ncases;
static char corpus_dir[1024];
static char scratch[256];

/* ------------------------------------------------------------------------------------------ */
/* Environment                                                                                */
/* ------------------------------------------------------------------------------------------ */

static int under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p && strstr(p, "vgpreload");
}

static unsigned time_limit_s(void)
{
    unsigned limit = 60;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    limit *= 4;
#endif
    if (under_valgrind())
        limit *= 20;
    return limit;
}

/* ------------------------------------------------------------------------------------------ */
/* The manifest                                                                               */
/* ------------------------------------------------------------------------------------------ */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static void copy_field(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

static int load_manifest(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[4 * FIELD];
    while (fgets(line, sizeof line, f)) {
        char *l = trim(line);
        if (!*l || *l == '#')
            continue;
        char *fields[7] = {0};
        int nf = 0;
        for (char *p = l; p && nf < 7; nf++) { /* no field of the corpus holds a '|' */
            char *sep = strchr(p, '|');
            if (sep)
                *sep = '\0';
            fields[nf] = trim(p);
            p = sep ? sep + 1 : NULL;
        }
        if (nf < 6 || ncases == MAX_CASES) {
            fprintf(stderr, "MANIFEST: bad line (%d fields): %s\n", nf, l);
            fclose(f);
            return -1;
        }
        bad_case *c = &cases[ncases++];
        copy_field(c->id, sizeof c->id, fields[0]);
        copy_field(c->op, sizeof c->op, fields[1]);
        copy_field(c->input, sizeof c->input, fields[2]);
        copy_field(c->options, sizeof c->options, fields[3]);
        copy_field(c->expected, sizeof c->expected, fields[4]);
        copy_field(c->substring, sizeof c->substring, fields[5]);
    }
    fclose(f);
    return 0;
}

static int status_from_name(const char *name)
{
    static const struct {
        const char *name;
        int status;
    } names[] = {{"OK", BZ_OK},
                 {"ARGUMENT", BZ_ERR_ARGUMENT},
                 {"GEOMETRY", BZ_ERR_GEOMETRY},
                 {"TYPE", BZ_ERR_TYPE},
                 {"PROJECTION", BZ_ERR_PROJECTION},
                 {"IO", BZ_ERR_IO},
                 {"FORMAT", BZ_ERR_FORMAT},
                 {"NOT_FOUND", BZ_ERR_NOT_FOUND},
                 {"EXISTS", BZ_ERR_EXISTS},
                 {"NOMEM", BZ_ERR_NOMEM},
                 {"GEOS", BZ_ERR_GEOS},
                 {"ACCURACY", BZ_ERR_ACCURACY}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, name) == 0)
            return names[i].status;
    return 1; /* never a status: the manifest is wrong */
}

/* Value of `key` in "k=v;k=v" (copied into buf), or NULL. */
static const char *option(const char *options, const char *key, char *buf, size_t size)
{
    size_t klen = strlen(key);
    for (const char *p = options; p && *p;) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
            snprintf(buf, size, "%.*s", (int)(len - klen - 1), p + klen + 1);
            return buf;
        }
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers for the child                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void problem(outcome *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(outcome *o, const char *fmt, ...)
{
    if (o->problem[0])
        return; /* keep the first */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->problem, sizeof o->problem, fmt, ap);
    va_end(ap);
}

static void record(outcome *o, bz_context *ctx, int status)
{
    o->status = status;
    snprintf(o->msg, sizeof o->msg, "%s", status == BZ_OK ? "" : bz_errmsg(ctx));
    if (status != BZ_OK && bz_errcode(ctx) != status)
        problem(o, "returned %d but bz_errcode says %d", status, bz_errcode(ctx));
}

#define NULL_ON_FAILURE(o, s, p)                                                                   \
    do {                                                                                           \
        if ((s) != BZ_OK && (p) != NULL)                                                           \
            problem(o, "failed with %d but the out-parameter " #p " is not NULL", s);              \
    } while (0)

static void input_path(const bad_case *c, char *buf, size_t size)
{
    if (strncmp(c->input, "@gen/", 5) == 0)
        snprintf(buf, size, "%s/%s", scratch, c->input + 5);
    else
        snprintf(buf, size, "%s/%s", corpus_dir, c->input);
}

static long ms_between(const struct timespec *a, const struct timespec *b)
{
    return (long)((b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000);
}

/* Entries of a directory other than `keep` (0 = the directory holds nothing else). */
static int other_files(const char *dir, const char *keep)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (keep && !strcmp(e->d_name, keep))
            continue;
        n++;
    }
    closedir(d);
    return n;
}

static int file_equals(const char *path, const char *text)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strcmp(buf, text) == 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Operations from the manifest                                                               */
/* ------------------------------------------------------------------------------------------ */

static void read_options(const bad_case *c, bz_read_options *o, char *layer, char *where,
                         size_t size)
{
    char buf[16];
    *o = (bz_read_options)BZ_READ_OPTIONS_INIT;
    o->layer = option(c->options, "layer", layer, size);
    o->where = option(c->options, "where", where, size);
    if (option(c->options, "make_valid", buf, sizeof buf))
        o->make_valid = atoi(buf);
}

static void op_read(const bad_case *c, bz_context *ctx, outcome *o)
{
    char path[FIELD + 1100], layer[FIELD], where[FIELD];
    bz_read_options ro;
    input_path(c, path, sizeof path);
    read_options(c, &ro, layer, where, sizeof layer);
    int s;
    if (!strcmp(c->op, "read_line")) {
        bz_line *line = NULL;
        s = bz_read_line(&line, ctx, path, &ro);
        NULL_ON_FAILURE(o, s, line);
        if (s == BZ_OK && bz_line_num_points(line) < 2)
            problem(o, "a line of %zu points", bz_line_num_points(line));
        bz_line_free(line);
    } else if (!strcmp(c->op, "read_polygon")) {
        GEOSGeometry *g = NULL;
        s = bz_read_polygon(&g, ctx, path, &ro);
        NULL_ON_FAILURE(o, s, g);
        bz_geometry_free(ctx, g);
    } else if (!strcmp(c->op, "read_places")) {
        bz_places *p = NULL;
        s = bz_read_places(&p, ctx, path, &ro);
        NULL_ON_FAILURE(o, s, p);
        for (size_t i = 0; s == BZ_OK && i < bz_places_count(p); i++)
            if (!bz_places_name(p, i))
                problem(o, "place %zu has a NULL name", i);
        bz_places_free(p);
    } else {
        bz_features *f = NULL;
        s = bz_read_features(&f, ctx, path, &ro);
        NULL_ON_FAILURE(o, s, f);
        bz_features_free(f);
    }
    record(o, ctx, s);
}

static void op_wkt(const bad_case *c, bz_context *ctx, outcome *o)
{
    int s;
    if (!strcmp(c->op, "wkt_line")) {
        bz_line *line = NULL;
        s = bz_line_from_wkt(&line, ctx, c->input);
        NULL_ON_FAILURE(o, s, line);
        bz_line_free(line);
        record(o, ctx, s);
        return;
    }
    GEOSGeometry *g = NULL;
    s = bz_geometry_from_wkt(&g, ctx, c->input);
    NULL_ON_FAILURE(o, s, g);
    if (s == BZ_OK && !strcmp(c->op, "wkt_out")) {
        char *wkt = NULL;
        unsigned char *wkb = NULL;
        size_t n = 0;
        s = bz_geometry_to_wkt(&wkt, ctx, g, 7);
        NULL_ON_FAILURE(o, s, wkt);
        if (s == BZ_OK) {
            s = bz_geometry_to_wkb(&wkb, &n, ctx, g);
            NULL_ON_FAILURE(o, s, wkb);
        }
        bz_free(wkb);
        bz_free(wkt);
    } else if (s == BZ_OK && !strcmp(c->op, "area")) {
        double area = NAN;
        s = bz_geodesic_area(&area, ctx, g);
        if (s == BZ_OK && !(area >= 0))
            problem(o, "area %g m² (an area is never negative or NaN)", area);
    }
    bz_geometry_free(ctx, g);
    record(o, ctx, s);
}

static void op_zones(const bad_case *c, bz_context *ctx, outcome *o)
{
    char buf[FIELD];
    double a = strtod(option(c->options, "a", buf, sizeof buf) ? buf : "0", NULL);
    double b = strtod(option(c->options, "b", buf, sizeof buf) ? buf : "0", NULL);
    bz_line *line = NULL;
    GEOSGeometry *region = NULL, *territory = NULL;
    bz_zones *z = NULL;
    int s = bz_line_from_wkt(&line, ctx, c->input);
    if (s != BZ_OK) {
        problem(o, "the case's line does not build: %s", bz_errmsg(ctx));
        record(o, ctx, s);
        return;
    }
    if (option(c->options, "region", buf, sizeof buf) &&
        bz_geometry_from_wkt(&region, ctx, buf) != BZ_OK)
        problem(o, "the case's region does not parse");
    if (option(c->options, "territory", buf, sizeof buf) &&
        bz_geometry_from_wkt(&territory, ctx, buf) != BZ_OK)
        problem(o, "the case's territory does not parse");
    bz_context_set_threads(ctx, 2);
    s = bz_zones_compute(&z, ctx, line, region, territory, a, b, NULL);
    NULL_ON_FAILURE(o, s, z);
    if (s == BZ_OK && (a == 0 && bz_zones_area(z, BZ_SIDE_A) != 0))
        problem(o, "distance 0 but zone A has %g m²", bz_zones_area(z, BZ_SIDE_A));
    record(o, ctx, s);
    bz_zones_free(z);
    bz_geometry_free(ctx, territory);
    bz_geometry_free(ctx, region);
    bz_line_free(line);
}

/* Two polygonal inputs: derive (territory, region=), diff (old, new=, region=) and
 * intersection_area (a, b=). */
static void op_pair(const bad_case *c, bz_context *ctx, outcome *o)
{
    char buf[FIELD];
    GEOSGeometry *first = NULL, *second = NULL, *region = NULL;
    const char *key = !strcmp(c->op, "derive") ? "region" : !strcmp(c->op, "diff") ? "new" : "b";
    if (bz_geometry_from_wkt(&first, ctx, c->input) != BZ_OK ||
        (option(c->options, key, buf, sizeof buf) &&
         bz_geometry_from_wkt(&second, ctx, buf) != BZ_OK) ||
        (strcmp(key, "region") && option(c->options, "region", buf, sizeof buf) &&
         bz_geometry_from_wkt(&region, ctx, buf) != BZ_OK))
        problem(o, "the case's WKT does not parse: %s", bz_errmsg(ctx));
    int s;
    if (!strcmp(c->op, "derive")) {
        bz_line *line = NULL;
        s = bz_line_derive(&line, ctx, first, second, NULL);
        NULL_ON_FAILURE(o, s, line);
        bz_line_free(line);
    } else if (!strcmp(c->op, "diff")) {
        GEOSGeometry *gained = NULL, *lost = NULL;
        double g_m2 = 0, l_m2 = 0;
        s = bz_territory_diff(&gained, &lost, &g_m2, &l_m2, ctx, first, second, region);
        NULL_ON_FAILURE(o, s, gained);
        NULL_ON_FAILURE(o, s, lost);
        bz_geometry_free(ctx, gained);
        bz_geometry_free(ctx, lost);
    } else {
        double area = 0;
        s = bz_intersection_area(&area, ctx, first, second);
        if (s == BZ_OK && !(area >= 0))
            problem(o, "intersection area %g m²", area);
    }
    record(o, ctx, s);
    bz_geometry_free(ctx, region);
    bz_geometry_free(ctx, second);
    bz_geometry_free(ctx, first);
}

/* ------------------------------------------------------------------------------------------ */
/* Cases written in C                                                                         */
/* ------------------------------------------------------------------------------------------ */

static void gen_lonlat(const char *which, bz_context *ctx, outcome *o)
{
    double ll[12] = {30, 50, 30.1, 50.1, 30.2, 50.0, 30.3, 50.1, 30.4, 50.0, 30.5, 50.1};
    bz_line *line = NULL;
    int s;
    if (!strcmp(which, "lonlat_nan")) {
        ll[2 * 3 + 1] = NAN;
        s = bz_line_from_lonlat(&line, ctx, ll, 6);
    } else if (!strcmp(which, "lonlat_inf")) {
        ll[2 * 1] = INFINITY;
        s = bz_line_from_lonlat(&line, ctx, ll, 6);
    } else if (!strcmp(which, "lonlat_empty")) {
        s = bz_line_from_lonlat(&line, ctx, ll, 0);
    } else if (!strcmp(which, "lonlat_null")) {
        s = bz_line_from_lonlat(&line, ctx, NULL, 5);
    } else {
        size_t sizes[3] = {3, 0, 2};
        s = bz_line_from_parts(&line, ctx, ll, sizes, 3);
    }
    NULL_ON_FAILURE(o, s, line);
    bz_line_free(line);
    record(o, ctx, s);
}

/* A line from 20°E to 40°E at 48°N with a 1 m zigzag: it never crosses itself. */
static double *long_line(size_t n, int crossing)
{
    double *ll = malloc(2 * (n + 2) * sizeof *ll);
    if (!ll)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        ll[2 * i] = 20.0 + 20.0 * (double)i / (double)n;
        ll[2 * i + 1] = 48.0 + ((i % 2) ? 1e-5 : 0.0);
    }
    if (crossing) { /* two more vertices: down, then back west across the whole line */
        ll[2 * n] = 40.0;
        ll[2 * n + 1] = 47.0;
        ll[2 * n + 2] = 25.0000123; /* off the grid of vertices: a true crossing, not a touch */
        ll[2 * n + 3] = 49.0000077;
    }
    return ll;
}

static double geodesic_length(const double *ll, size_t n)
{
    struct geod_geodesic g;
    geod_init(&g, 6378137.0, 1.0 / 298.257223563);
    double sum = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double s12 = 0;
        geod_inverse(&g, ll[2 * i + 1], ll[2 * i], ll[2 * i + 3], ll[2 * i + 2], &s12, NULL, NULL);
        sum += s12;
    }
    return sum;
}

static size_t big_n(void)
{
    /* valgrind runs ~50 times slower: it checks the same paths on 1 % of the size (the note
     * printed with the result says which size ran) */
    return under_valgrind() ? 20000 : 2000000;
}

static void gen_two_million(const char *which, bz_context *ctx, outcome *o)
{
    size_t n = big_n();
    int crossing = !strcmp(which, "two_million_crossing");
    double *ll = long_line(n, crossing);
    if (!ll) {
        problem(o, "test could not allocate its input");
        return;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bz_line *line = NULL;
    int s = bz_line_from_lonlat(&line, ctx, ll, crossing ? n + 2 : n);
    NULL_ON_FAILURE(o, s, line);
    if (s == BZ_OK) {
        if (bz_line_num_points(line) != n)
            problem(o, "%zu points kept of %zu", bz_line_num_points(line), n);
        double len = 0;
        bz_nearest near;
        s = bz_line_length(&len, ctx, line);
        double want = geodesic_length(ll, n); /* independent: geod_inverse segment by segment */
        if (s == BZ_OK && !(fabs(len - want) <= 1e-6 * want))
            problem(o, "length %.3f m, geod_inverse says %.3f m", len, want);
        if (s == BZ_OK)
            s = bz_line_distance(&near, ctx, line, 30.0, 48.1);
        if (s == BZ_OK && fabs(near.distance_m - 11120.0) > 30.0)
            problem(o, "distance from (30, 48.1) is %.1f m, not ~11,120 m", near.distance_m);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    snprintf(o->note, sizeof o->note, "%zu vertices in %ld ms", n, ms_between(&t0, &t1));
    bz_line_free(line);
    free(ll);
    record(o, ctx, s);
}

static void gen_two_million_file(bz_context *ctx, outcome *o)
{
    size_t n = big_n();
    double *ll = long_line(n, 0);
    char path[512];
    snprintf(path, sizeof path, "%s/two_million.geojson", scratch);
    FILE *f = fopen(path, "w");
    if (!ll || !f) {
        problem(o, "test could not write its input");
        free(ll);
        if (f)
            fclose(f);
        return;
    }
    fputs("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
          "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[",
          f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s[%.7f,%.7f]", i ? "," : "", ll[2 * i], ll[2 * i + 1]);
    fputs("]}}]}\n", f);
    free(ll);
    if (fclose(f) != 0) {
        problem(o, "test could not write its input");
        return;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bz_line *line = NULL;
    int s = bz_read_line(&line, ctx, path, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    NULL_ON_FAILURE(o, s, line);
    if (s == BZ_OK && bz_line_num_points(line) != n)
        problem(o, "%zu points read of %zu", bz_line_num_points(line), n);
    snprintf(o->note, sizeof o->note, "%zu vertices read in %ld ms", n, ms_between(&t0, &t1));
    bz_line_free(line);
    unlink(path);
    record(o, ctx, s);
}

/* A small zone result to write: a line of `n` vertices with 1 km zones. */
static int small_zones(bz_context *ctx, size_t n, bz_zones **z)
{
    double *ll = malloc(2 * n * sizeof *ll);
    if (!ll)
        return BZ_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        ll[2 * i] = 37.0 + 0.002 * (double)i;
        ll[2 * i + 1] = 48.0 + 0.003 * sin((double)i / 3.0);
    }
    bz_line *line = NULL;
    int s = bz_line_from_lonlat(&line, ctx, ll, n);
    free(ll);
    if (s == BZ_OK)
        s = bz_zones_compute(z, ctx, line, NULL, NULL, 1000.0, 1000.0, NULL);
    bz_line_free(line);
    return s;
}

static const char precious[] = "an earlier result that must survive\n";

static void gen_write(const char *which, bz_context *ctx, outcome *o)
{
    int full = !strcmp(which, "write_full_disk");
    bz_zones *z = NULL;
    int s = small_zones(ctx, full ? 600 : 20, &z);
    if (s != BZ_OK) {
        problem(o, "the case's zones do not compute: %s", bz_errmsg(ctx));
        record(o, ctx, s);
        return;
    }
    char dir[FIELD + 300], path[FIELD + 400];
    snprintf(dir, sizeof dir, "%s/%s", scratch, which);
    snprintf(path, sizeof path, "%s/zones.geojson", dir);
    const char *keep = NULL; /* an existing output that must stay as it was */
    bz_write_options wo = BZ_WRITE_OPTIONS_INIT;
    if (!strcmp(which, "write_missing_dir")) {
        snprintf(path, sizeof path, "%s/no_such_dir/zones.geojson", scratch);
        snprintf(dir, sizeof dir, "%s", scratch);
    } else if (!strcmp(which, "write_unknown_format")) {
        mkdir(dir, 0755);
        snprintf(path, sizeof path, "%s/zones.xyz", dir);
    } else if (!strcmp(which, "write_readonly_dir")) {
        mkdir(dir, 0555);
        chmod(dir, 0555);
        /* root writes anywhere: become nobody for this process so that 0555 means read-only */
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            problem(o, "cannot drop root privileges: %s", strerror(errno));
    } else { /* write_exists, write_full_disk */
        mkdir(dir, 0755);
        if (support_write_text(path, precious) != 0)
            problem(o, "cannot create the existing output");
        keep = "zones.geojson";
        if (full) {
            /* the disk fills after 16 KB: writes fail with EFBIG instead of killing us */
            signal(SIGXFSZ, SIG_IGN);
            struct rlimit rl = {16384, 16384};
            if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
                problem(o, "cannot set RLIMIT_FSIZE: %s", strerror(errno));
            wo.overwrite = 1;
        }
    }
    s = bz_zones_write(ctx, z, path, "left", "right", &wo);
    record(o, ctx, s);
    struct stat st;
    if (s == BZ_OK && full && stat(path, &st) == 0 && st.st_size <= 16384)
        problem(o,
                "the write reported success, but %s is now a truncated file of %lld bytes "
                "(the earlier output is lost)",
                path, (long long)st.st_size);
    if (s != BZ_OK) {
        int others = other_files(dir, keep);
        if (!strcmp(which, "write_missing_dir"))
            others = access(path, F_OK) == 0;
        if (others != 0)
            problem(o, "the failed write left %d file(s) in %s", others, dir);
        if (keep && !file_equals(path, precious))
            problem(o, "the existing output %s was changed", path);
    }
    bz_zones_free(z);
}

static void op_generated(const bad_case *c, bz_context *ctx, outcome *o)
{
    const char *w = c->input;
    if (!strncmp(w, "lonlat_", 7) || !strcmp(w, "parts_empty_part"))
        gen_lonlat(w, ctx, o);
    else if (!strcmp(w, "two_million") || !strcmp(w, "two_million_crossing"))
        gen_two_million(w, ctx, o);
    else if (!strcmp(w, "two_million_file"))
        gen_two_million_file(ctx, o);
    else if (!strncmp(w, "write_", 6))
        gen_write(w, ctx, o);
    else
        problem(o, "no generated case named '%s'", w);
}

/* ------------------------------------------------------------------------------------------ */
/* Running a case                                                                             */
/* ------------------------------------------------------------------------------------------ */

static void run_in_child(const bad_case *c, int fd)
{
    outcome o;
    memset(&o, 0, sizeof o);
    o.status = 1;
    /* cmocka catches SIGSEGV & co. to report a failed test and go on with the next one; in the
     * child that would run the rest of the suite a second time. Let the signal kill the child
     * so that the parent reports the crash. */
    static const int fatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        signal(fatal[i], SIG_DFL);
    alarm(time_limit_s());
    bz_context *ctx = bz_context_new();
    if (!ctx) {
        problem(&o, "bz_context_new failed");
    } else {
        if (!strncmp(c->op, "read_", 5))
            op_read(c, ctx, &o);
        else if (!strncmp(c->op, "wkt_", 4) || !strcmp(c->op, "area"))
            op_wkt(c, ctx, &o);
        else if (!strcmp(c->op, "zones"))
            op_zones(c, ctx, &o);
        else if (!strcmp(c->op, "derive") || !strcmp(c->op, "diff") ||
                 !strcmp(c->op, "intersection_area"))
            op_pair(c, ctx, &o);
        else if (!strcmp(c->op, "generated"))
            op_generated(c, ctx, &o);
        else
            problem(&o, "unknown operation '%s' in the manifest", c->op);
        bz_context_free(ctx);
    }
    ssize_t w = write(fd, &o, sizeof o);
    close(fd);
    /* exit(), not _exit(): the sanitizers' leak check runs at exit and sets the exit code */
    exit(w == (ssize_t)sizeof o ? 0 : 3);
}

static void expand_file(const bad_case *c, char *out, size_t size)
{
    const char *base = strrchr(c->input, '/');
    base = base ? base + 1 : c->input;
    const char *mark = strstr(c->substring, "$FILE");
    if (mark)
        snprintf(out, size, "%.*s%s%s", (int)(mark - c->substring), c->substring, base, mark + 5);
    else
        snprintf(out, size, "%s", c->substring);
}

static void run_case(void **state)
{
    const bad_case *c = *state;
    int expected = status_from_name(c->expected);
    if (expected > 0)
        fail_msg("%s: unknown expected status '%s' in the manifest", c->id, c->expected);

    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        run_in_child(c, fds[1]);
    }
    close(fds[1]);
    outcome o;
    memset(&o, 0, sizeof o);
    size_t got = 0;
    while (got < sizeof o) {
        ssize_t r = read(fds[0], (char *)&o + got, sizeof o - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fds[0]);
    int ws = 0;
    assert_int_equal(waitpid(pid, &ws, 0), pid);

    if (WIFSIGNALED(ws) && WTERMSIG(ws) == SIGALRM)
        fail_msg("%s: no answer within %u s", c->id, time_limit_s());
    if (WIFSIGNALED(ws))
        fail_msg("%s: killed by signal %d (%s)%s", c->id, WTERMSIG(ws), strsignal(WTERMSIG(ws)),
                 WTERMSIG(ws) == SIGABRT ? ": a crash, or a sanitizer's report (leak, memory "
                                           "error) printed above"
                                         : "");
    if (got != sizeof o)
        fail_msg("%s: the child exited (%d) without an answer", c->id, WEXITSTATUS(ws));
    if (o.note[0])
        print_message("%s: %s\n", c->id, o.note);
    if (o.status != expected)
        fail_msg("%s: status %d (%s), expected %d (%s); message: \"%s\"%s%s", c->id, o.status,
                 bz_status_string(o.status), expected, bz_status_string(expected), o.msg,
                 o.problem[0] ? "; and " : "", o.problem);
    if (o.problem[0])
        fail_msg("%s: %s", c->id, o.problem);
    if (expected != BZ_OK) {
        char want[FIELD + 300];
        expand_file(c, want, sizeof want);
        if (!strcasestr(o.msg, want))
            fail_msg("%s: the message \"%s\" does not contain \"%s\"", c->id, o.msg, want);
    }
    if (WEXITSTATUS(ws) != 0)
        fail_msg("%s: the child exited with %d (a leak or memory error is reported above)", c->id,
                 WEXITSTATUS(ws));
}

static int setup(void **state)
{
    (void)state;
    snprintf(scratch, sizeof scratch, "/tmp/bz_bad_input_XXXXXX");
    if (!mkdtemp(scratch))
        return -1;
    return chmod(scratch, 0755); /* the read-only case runs as nobody and must get in */
}

static int teardown(void **state)
{
    (void)state;
    return support_remove_tree(scratch); /* also gives the read-only case's directory u+w back */
}

int main(void)
{
    const char *root = getenv("BZ_SOURCE_ROOT");
    if (!root)
        return 77; /* run through meson test, which says where the corpus is */
    snprintf(corpus_dir, sizeof corpus_dir, "%s/tests/bad_input", root);
    char manifest[1100];
    snprintf(manifest, sizeof manifest, "%s/MANIFEST", corpus_dir);
    if (load_manifest(manifest) != 0) {
        fprintf(stderr, "cannot read %s\n", manifest);
        return 1;
    }
    static struct CMUnitTest tests[MAX_CASES];
    for (size_t i = 0; i < ncases; i++) {
        tests[i].name = cases[i].id;
        tests[i].test_func = run_case;
        tests[i].initial_state = &cases[i];
    }
    return _cmocka_run_group_tests("bad_input", tests, ncases, setup, teardown);
}

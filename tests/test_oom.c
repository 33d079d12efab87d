/* test_oom.c — allocation failure: the library returns BZ_ERR_NOMEM, leaves its out-parameters
 * NULL, frees what it took and leaves no file behind.
 *
 * How: this program defines malloc/calloc/realloc/free itself. The dynamic linker binds every
 * call in the process to them (ELF interposition); they forward to glibc's __libc_* allocator.
 * While armed they count the allocations whose caller lies in libbufferzone.so's code (the
 * return address is inside its executable segment) and make exactly the k-th one fail, for
 * k = 1, 2, ... until an operation runs without reaching k. Allocations made by GEOS, PROJ and
 * GDAL are never failed: GDAL's CPLMalloc aborts on failure by design, and what GEOS does
 * with std::bad_alloc is GEOS's business; what we test is that OUR code checks every
 * allocation it makes. The library's live allocations are tracked, so a leak on the error path
 * is seen even without valgrind.
 *
 * A second test lowers RLIMIT_AS in a forked child and runs a zone computation far too large
 * for it: whatever fails (ours, GEOS's new), the child must return a status, not die.
 *
 * Under AddressSanitizer / ThreadSanitizer (which own malloc) the injector is compiled out and
 * the test is skipped; under valgrind the RLIMIT_AS test is skipped. */
#define _GNU_SOURCE
#include <bufferzone.h>

#include <dirent.h>
#include <limits.h>
#include <link.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* cmocka.h needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>

#include "support.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BZ_TEST_INJECTOR 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                         \
    __has_feature(memory_sanitizer)
#define BZ_TEST_INJECTOR 0
#endif
#endif
#ifndef BZ_TEST_INJECTOR
#define BZ_TEST_INJECTOR 1
#endif

#if defined(__GNUC__)
#define BZ_TEST_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BZ_TEST_PRINTF(f, a)
#endif

/* Modules land one by one: an operation whose functions do not exist yet is skipped. */
#pragma weak bz_line_from_lonlat
#pragma weak bz_line_from_wkt
#pragma weak bz_line_free
#pragma weak bz_line_length
#pragma weak bz_line_reverse
#pragma weak bz_line_distance
#pragma weak bz_geodesic_area
#pragma weak bz_line_derive
#pragma weak bz_zones_compute
#pragma weak bz_zones_free
#pragma weak bz_zones_write
#pragma weak bz_territory_diff
#pragma weak bz_read_line
#pragma weak bz_read_polygon
#pragma weak bz_read_places
#pragma weak bz_places_free
#pragma weak bz_places_within

static int under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p && strstr(p, "vgpreload");
}

/* ------------------------------------------------------------------------------------------ */
/* The allocator                                                                              */
/* ------------------------------------------------------------------------------------------ */

#if BZ_TEST_INJECTOR
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

#define LIVE_SLOTS 65536 /* open addressing; more live library blocks than this fails the test */
#define TOMBSTONE ((void *)1)

static uintptr_t lib_lo, lib_hi; /* libbufferzone's executable segment */
static atomic_flag lock = ATOMIC_FLAG_INIT;
static int armed;              /* under `lock` */
static long countdown;         /* the library allocation that fails (1 = the next one) */
static long lib_allocs;        /* library allocations while armed */
static int injected;           /* the failure was handed out */
static void *live[LIVE_SLOTS]; /* library blocks allocated while armed and not yet freed */
static long live_count, live_overflow;

static void take(void)
{
    while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire))
        ;
}

static void give(void)
{
    atomic_flag_clear_explicit(&lock, memory_order_release);
}

static size_t slot_of(const void *p)
{
    return (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull) & (LIVE_SLOTS - 1);
}

static void live_add(void *p)
{
    for (size_t i = slot_of(p), n = 0; n < LIVE_SLOTS; i = (i + 1) & (LIVE_SLOTS - 1), n++) {
        if (live[i] == NULL || live[i] == TOMBSTONE) {
            live[i] = p;
            live_count++;
            return;
        }
    }
    live_overflow++;
}

static void live_remove(const void *p)
{
    for (size_t i = slot_of(p), n = 0; n < LIVE_SLOTS; i = (i + 1) & (LIVE_SLOTS - 1), n++) {
        if (live[i] == NULL)
            return;
        if (live[i] == p) {
            live[i] = TOMBSTONE;
            live_count--;
            return;
        }
    }
}

/* Called with the lock held: should this allocation, made from `caller`, fail? */
static int should_fail(const void *caller)
{
    uintptr_t c = (uintptr_t)caller;
    if (!armed || c < lib_lo || c >= lib_hi)
        return 0;
    lib_allocs++;
    if (lib_allocs == countdown) {
        injected = 1;
        return 1;
    }
    return 0;
}

static int from_library(const void *caller)
{
    uintptr_t c = (uintptr_t)caller;
    return armed && c >= lib_lo && c < lib_hi;
}

void *malloc(size_t size)
{
    const void *caller = __builtin_return_address(0);
    take();
    if (should_fail(caller)) {
        give();
        return NULL;
    }
    void *p = __libc_malloc(size);
    if (p && from_library(caller))
        live_add(p);
    give();
    return p;
}

void *calloc(size_t n, size_t size)
{
    const void *caller = __builtin_return_address(0);
    take();
    if (should_fail(caller)) {
        give();
        return NULL;
    }
    void *p = __libc_calloc(n, size);
    if (p && from_library(caller))
        live_add(p);
    give();
    return p;
}

void *realloc(void *old, size_t size)
{
    const void *caller = __builtin_return_address(0);
    take();
    if (should_fail(caller)) {
        give();
        return NULL; /* `old` stays valid, as realloc promises */
    }
    void *p = __libc_realloc(old, size);
    if (p && armed) {
        live_remove(old);
        if (from_library(caller))
            live_add(p);
    }
    give();
    return p;
}

void free(void *p)
{
    if (!p)
        return;
    take();
    if (armed)
        live_remove(p);
    give();
    __libc_free(p);
}

static int find_library(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    if (!info->dlpi_name || !strstr(info->dlpi_name, "libbufferzone.so"))
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            lib_lo = info->dlpi_addr + ph->p_vaddr;
            lib_hi = lib_lo + ph->p_memsz;
        }
    }
    return 1;
}

static void arm(long k)
{
    take();
    memset(live, 0, sizeof live);
    live_count = live_overflow = 0;
    lib_allocs = 0;
    injected = 0;
    countdown = k;
    armed = 1;
    give();
}

static void disarm(void)
{
    take();
    armed = 0;
    give();
}
#endif /* BZ_TEST_INJECTOR */

/* ------------------------------------------------------------------------------------------ */
/* Operations: each builds its input, calls the library, frees everything it got back         */
/* ------------------------------------------------------------------------------------------ */

static char tmpdir[256];

/* The NULL-ness of out-parameters after a failure, checked by every operation. */
static int outs_ok = 1;
#define EXPECT_NULL_ON_FAILURE(s, p)                                                               \
    do {                                                                                           \
        if ((s) != BZ_OK && (p) != NULL)                                                           \
            outs_ok = 0;                                                                           \
    } while (0)

static void zigzag(double *lonlat, size_t n, double lon0, double lat0)
{
    for (size_t i = 0; i < n; i++) {
        lonlat[2 * i] = lon0 + 0.01 * (double)i;
        lonlat[2 * i + 1] = lat0 + ((i % 2) ? 0.004 : 0.0);
    }
}

static int op_line(bz_context *ctx)
{
    double ll[2 * 40];
    zigzag(ll, 40, 37.0, 48.0);
    bz_line *line = NULL, *rev = NULL;
    int s = bz_line_from_lonlat(&line, ctx, ll, 40);
    EXPECT_NULL_ON_FAILURE(s, line);
    double len = 0;
    if (s == BZ_OK)
        s = bz_line_length(&len, ctx, line);
    if (s == BZ_OK) {
        s = bz_line_reverse(&rev, ctx, line);
        EXPECT_NULL_ON_FAILURE(s, rev);
    }
    bz_line_free(rev);
    bz_line_free(line);
    return s;
}

static int op_line_wkt_merge(bz_context *ctx)
{
    bz_line *line = NULL;
    int s = bz_line_from_wkt(&line, ctx,
                             "MULTILINESTRING ((30 48, 31 48), (31 48, 32 48.5, 32.5 48.4), "
                             "(34 48, 35 48), (179.9 60, -179.9 60.1))");
    EXPECT_NULL_ON_FAILURE(s, line);
    bz_line_free(line);
    return s;
}

static int op_distance(bz_context *ctx)
{
    double ll[2 * 30];
    zigzag(ll, 30, 25.0, 55.0);
    bz_line *line = NULL;
    int s = bz_line_from_lonlat(&line, ctx, ll, 30);
    bz_nearest near;
    for (int i = 0; i < 3 && s == BZ_OK; i++)
        s = bz_line_distance(&near, ctx, line, 25.05 + 0.1 * i, 55.1 - 0.1 * i);
    bz_line_free(line);
    return s;
}

static int op_wkt_wkb(bz_context *ctx)
{
    GEOSGeometry *g = NULL;
    int s = bz_geometry_from_wkt(&g, ctx, "POLYGON ((36 48, 37 48, 37 49, 36 49, 36 48))");
    EXPECT_NULL_ON_FAILURE(s, g);
    char *wkt = NULL;
    unsigned char *wkb = NULL;
    size_t n = 0;
    double area = 0;
    if (s == BZ_OK) {
        s = bz_geometry_to_wkt(&wkt, ctx, g, 7);
        EXPECT_NULL_ON_FAILURE(s, wkt);
    }
    if (s == BZ_OK) {
        s = bz_geometry_to_wkb(&wkb, &n, ctx, g);
        EXPECT_NULL_ON_FAILURE(s, wkb);
    }
    if (s == BZ_OK && bz_geodesic_area)
        s = bz_geodesic_area(&area, ctx, g);
    bz_free(wkb);
    bz_free(wkt);
    bz_geometry_free(ctx, g);
    return s;
}

static int op_zones(bz_context *ctx)
{
    double ll[2 * 12];
    zigzag(ll, 12, 37.0, 48.0);
    bz_line *line = NULL;
    GEOSGeometry *region = NULL;
    bz_zones *z = NULL;
    int s = bz_line_from_lonlat(&line, ctx, ll, 12);
    if (s == BZ_OK)
        s = bz_geometry_from_wkt(&region, ctx,
                                 "POLYGON ((37.02 47.9, 37.09 47.9, 37.09 48.1, 37.02 48.1, "
                                 "37.02 47.9))");
    if (s == BZ_OK) {
        s = bz_zones_compute(&z, ctx, line, region, NULL, 2000.0, 1000.0, NULL);
        EXPECT_NULL_ON_FAILURE(s, z);
    }
    bz_zones_free(z);
    bz_geometry_free(ctx, region);
    bz_line_free(line);
    return s;
}

static const char *territory_wkt = "POLYGON ((37 47.9, 37.05 47.9, 37.06 48.0, 37.05 48.1, "
                                   "37 48.1, 37 47.9))";
static const char *region_wkt = "POLYGON ((37 47.9, 37.1 47.9, 37.1 48.1, 37 48.1, 37 47.9))";

static int op_derive_and_zones(bz_context *ctx)
{
    GEOSGeometry *t = NULL, *r = NULL;
    bz_line *line = NULL;
    bz_zones *z = NULL;
    int s = bz_geometry_from_wkt(&t, ctx, territory_wkt);
    if (s == BZ_OK)
        s = bz_geometry_from_wkt(&r, ctx, region_wkt);
    if (s == BZ_OK) {
        bz_derive_options o = BZ_DERIVE_OPTIONS_INIT;
        o.tolerance_m = 100.0;
        s = bz_line_derive(&line, ctx, t, r, &o);
        EXPECT_NULL_ON_FAILURE(s, line);
    }
    if (s == BZ_OK) {
        s = bz_zones_compute(&z, ctx, line, r, t, 1500.0, 1500.0, NULL);
        EXPECT_NULL_ON_FAILURE(s, z);
    }
    bz_zones_free(z);
    bz_line_free(line);
    bz_geometry_free(ctx, r);
    bz_geometry_free(ctx, t);
    return s;
}

static int op_diff(bz_context *ctx)
{
    GEOSGeometry *a = NULL, *b = NULL, *gained = NULL, *lost = NULL;
    int s = bz_geometry_from_wkt(&a, ctx, territory_wkt);
    if (s == BZ_OK)
        s = bz_geometry_from_wkt(&b, ctx,
                                 "POLYGON ((37 47.9, 37.07 47.9, 37.07 48.1, "
                                 "37 48.1, 37 47.9))");
    double g_m2 = 0, l_m2 = 0;
    if (s == BZ_OK) {
        s = bz_territory_diff(&gained, &lost, &g_m2, &l_m2, ctx, a, b, NULL);
        EXPECT_NULL_ON_FAILURE(s, gained);
        EXPECT_NULL_ON_FAILURE(s, lost);
    }
    bz_geometry_free(ctx, lost);
    bz_geometry_free(ctx, gained);
    bz_geometry_free(ctx, b);
    bz_geometry_free(ctx, a);
    return s;
}

static char geojson_path[300];

static int op_read(bz_context *ctx)
{
    bz_line *line = NULL;
    GEOSGeometry *poly = NULL;
    bz_places *places = NULL;
    /* one file, three kinds of feature: the filter picks one kind for each reader */
    bz_read_options o = BZ_READ_OPTIONS_INIT;
    o.where = "name = 'a'";
    int s = bz_read_line(&line, ctx, geojson_path, &o);
    EXPECT_NULL_ON_FAILURE(s, line);
    if (s == BZ_OK) {
        o.where = "name = 'b'";
        s = bz_read_polygon(&poly, ctx, geojson_path, &o);
        EXPECT_NULL_ON_FAILURE(s, poly);
    }
    if (s == BZ_OK) {
        o.where = "name = 'Town'";
        s = bz_read_places(&places, ctx, geojson_path, &o);
        EXPECT_NULL_ON_FAILURE(s, places);
    }
    if (s == BZ_OK) {
        size_t count = 0;
        double pop = 0;
        s = bz_places_within(&count, &pop, NULL, ctx, places, poly);
    }
    bz_places_free(places);
    bz_geometry_free(ctx, poly);
    bz_line_free(line);
    return s;
}

static char line_path[300], region_path[300];

/* Plain GeoJSON files without a filter: the fast path of io_geojson.c, not GDAL. */
static int op_read_fast(bz_context *ctx)
{
    bz_line *line = NULL;
    GEOSGeometry *poly = NULL;
    int s = bz_read_line(&line, ctx, line_path, NULL);
    EXPECT_NULL_ON_FAILURE(s, line);
    if (s == BZ_OK) {
        s = bz_read_polygon(&poly, ctx, region_path, NULL);
        EXPECT_NULL_ON_FAILURE(s, poly);
    }
    bz_geometry_free(ctx, poly);
    bz_line_free(line);
    return s;
}

/* Number of entries in tmpdir/out (0 after a failed write: no partial file, no temporary). */
static int files_in(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static int write_ok = 1;

static int op_write(bz_context *ctx)
{
    double ll[2 * 6];
    zigzag(ll, 6, 37.0, 48.0);
    bz_line *line = NULL;
    bz_zones *z = NULL;
    char dir[300], path[330];
    snprintf(dir, sizeof dir, "%s/out", tmpdir);
    snprintf(path, sizeof path, "%s/zones.geojson", dir);
    int s = bz_line_from_lonlat(&line, ctx, ll, 6);
    if (s == BZ_OK)
        s = bz_zones_compute(&z, ctx, line, NULL, NULL, 1000.0, 1000.0, NULL);
    if (s == BZ_OK) {
        bz_write_options o = BZ_WRITE_OPTIONS_INIT;
        o.overwrite = 1;
        int w = bz_zones_write(ctx, z, path, "left", "right", &o);
        if (w != BZ_OK && files_in(dir) != 0)
            write_ok = 0; /* a failed write left something behind */
        if (w == BZ_OK)
            unlink(path);
        s = w;
    }
    bz_zones_free(z);
    bz_line_free(line);
    return s;
}

/* ------------------------------------------------------------------------------------------ */
/* The driver                                                                                 */
/* ------------------------------------------------------------------------------------------ */

typedef struct operation {
    const char *name;
    int (*run)(bz_context *ctx);
    int available;
} operation;

#if BZ_TEST_INJECTOR
/* Report one problem (the first few of each operation in full); returns 1 to count it. */
static int problem(const operation *op, int *shown, const char *fmt, ...) BZ_TEST_PRINTF(3, 4);
static int problem(const operation *op, int *shown, const char *fmt, ...)
{
    if ((*shown)++ >= 12)
        return 1;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    print_error("%s: %s\n", op->name, msg);
    return 1;
}

/* Fail the library's 1st, 2nd, ... allocation of `op` in turn (every one up to 300, then a
 * growing stride so that large computations stay quick under valgrind). Returns the number of
 * problems found. */
static int fail_each_allocation(const operation *op)
{
    int problems = 0, shown = 0;
    long k = 1;
    for (;;) {
        bz_context *ctx = bz_context_new();
        assert_non_null(ctx);
        bz_context_set_threads(ctx, 1);
        outs_ok = 1;
        write_ok = 1;
        arm(k);
        int s = op->run(ctx);
        disarm();
        long leaked = live_count, overflow = live_overflow;
        int fired = injected;
        if (fired && s != BZ_ERR_NOMEM)
            problems += problem(op, &shown,
                                "allocation %ld of the library failed, but the status is %d "
                                "(%s): \"%s\"; expected %d (out of memory)",
                                k, s, bz_status_string(s), bz_errmsg(ctx), BZ_ERR_NOMEM);
        else if (fired && bz_errmsg(ctx)[0] == '\0')
            problems += problem(op, &shown, "allocation %ld failed with no message", k);
        bz_context_free(ctx);
        if (!fired && s != BZ_OK) {
            problems += problem(op, &shown, "status %d without an injected failure", s);
            break;
        }
        if (!outs_ok)
            problems +=
                problem(op, &shown, "allocation %ld failed and an out-parameter is not NULL", k);
        if (!write_ok)
            problems += problem(op, &shown,
                                "allocation %ld failed and the output directory is not empty", k);
        if (overflow)
            problems += problem(op, &shown, "more than %d live library blocks", LIVE_SLOTS);
        if (leaked)
            problems += problem(op, &shown,
                                "allocation %ld failed (status %d) and %ld library block(s) "
                                "were not freed",
                                k, s, leaked);
        if (!fired)
            break; /* the operation completed: every allocation up to k-1 has been failed */
        k += k < 300 ? 1 : k / 16;
    }
    print_message("%s: failed each of its first %ld library allocations in turn: %d problem(s)\n",
                  op->name, k - 1, problems);
    return problems;
}
#endif

static operation operations[] = {
    {"line", op_line, 0},         {"line_wkt_merge", op_line_wkt_merge, 0},
    {"distance", op_distance, 0}, {"wkt_wkb", op_wkt_wkb, 0},
    {"zones", op_zones, 0},       {"derive_and_zones", op_derive_and_zones, 0},
    {"diff", op_diff, 0},         {"read", op_read, 0},
    {"write", op_write, 0},       {"read_fast", op_read_fast, 0},
};

static void set_availability(void)
{
    operations[0].available = bz_line_from_lonlat && bz_line_length && bz_line_reverse;
    operations[1].available = bz_line_from_wkt != NULL;
    operations[2].available = bz_line_from_lonlat && bz_line_distance;
    operations[3].available = 1;
    operations[4].available = bz_line_from_lonlat && bz_zones_compute && bz_zones_free;
    operations[5].available = bz_line_derive && bz_zones_compute && bz_zones_free;
    operations[6].available = bz_territory_diff != NULL;
    operations[7].available =
        bz_read_line && bz_read_polygon && bz_read_places && bz_places_within && bz_places_free;
    operations[8].available = bz_zones_compute && bz_zones_free && bz_zones_write;
    operations[9].available = bz_read_line && bz_read_polygon;
}

static void test_each_allocation_fails_cleanly(void **state)
{
    (void)state;
#if BZ_TEST_INJECTOR
    dl_iterate_phdr(find_library, NULL);
    if (lib_hi == 0)
        fail_msg("libbufferzone.so is not loaded: the test must link the shared library");
    /* Is the injector in effect? Under valgrind (which replaces malloc itself) it may not be:
     * then there is nothing to test here, and valgrind checks leaks on its own. */
    bz_context *probe = bz_context_new();
    assert_non_null(probe);
    arm(LONG_MAX);
    int probe_status = op_wkt_wkb(probe);
    long seen = lib_allocs;
    disarm();
    bz_context_free(probe);
    assert_int_equal(probe_status, BZ_OK);
    if (seen == 0) {
        print_message("the library's allocations do not reach this program's malloc (valgrind?)"
                      ": skipped\n");
        skip();
    }
    int ran = 0, problems = 0;
    for (size_t i = 0; i < sizeof operations / sizeof operations[0]; i++) {
        if (!operations[i].available) {
            print_message("%s: not implemented yet, skipped\n", operations[i].name);
            continue;
        }
        problems += fail_each_allocation(&operations[i]);
        ran++;
    }
    assert_true(ran > 0);
    if (problems)
        fail_msg("%d problem(s) with allocation failures (listed above)", problems);
#else
    skip();
#endif
}

#if BZ_TEST_INJECTOR /* unused (and a -Werror error) where the injector is off */
/* A whole-process memory limit: a 200,000-vertex line buffered by 100 km, with only a few MB of
 * address space left, so something fails (our allocation or GEOS's); the child must report a
 * status, never crash. Returns the status, or fails the test. */
static int zones_under_limit(unsigned long headroom_mb)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        size_t n = 200000;
        double *ll = malloc(2 * n * sizeof *ll);
        if (!ll)
            _exit(90);
        for (size_t i = 0; i < n; i++) { /* a 1,000 km zigzag with 5 m teeth */
            ll[2 * i] = 25.0 + 14.0 * (double)i / (double)n;
            ll[2 * i + 1] = 48.0 + ((i % 2) ? 0.00005 : 0.0);
        }
        bz_context *ctx = bz_context_new();
        if (!ctx)
            _exit(91);
        bz_context_set_threads(ctx, 1);
        /* what is mapped now (libraries, heap, the input) plus the headroom */
        FILE *f = fopen("/proc/self/statm", "r");
        unsigned long pages = 0;
        if (!f || fscanf(f, "%lu", &pages) != 1)
            _exit(92);
        fclose(f);
        struct rlimit rl;
        rl.rlim_cur = rl.rlim_max =
            (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + ((rlim_t)headroom_mb << 20);
        if (setrlimit(RLIMIT_AS, &rl) != 0)
            _exit(93);
        bz_line *line = NULL;
        bz_zones *z = NULL;
        int s = bz_line_from_lonlat(&line, ctx, ll, n);
        if (s == BZ_OK)
            s = bz_zones_compute(&z, ctx, line, NULL, NULL, 100000.0, 100000.0, NULL);
        bz_zones_free(z);
        bz_line_free(line);
        bz_context_free(ctx);
        free(ll);
        _exit(-s); /* the exit code says which status came back (0 = it fitted after all) */
    }
    int wstatus = 0;
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    if (WIFSIGNALED(wstatus))
        fail_msg("with %lu MB left the child died of signal %d", headroom_mb, WTERMSIG(wstatus));
    assert_true(WIFEXITED(wstatus));
    int code = WEXITSTATUS(wstatus);
    if (code >= 90)
        fail_msg("with %lu MB left the child could not set up (exit %d)", headroom_mb, code);
    return -code;
}
#endif

static void test_address_space_limit(void **state)
{
    (void)state;
#if BZ_TEST_INJECTOR
    if (under_valgrind() || !bz_zones_compute || !bz_line_from_lonlat)
        skip();
    static const unsigned long headroom_mb[] = {2, 8, 32};
    for (size_t i = 0; i < sizeof headroom_mb / sizeof headroom_mb[0]; i++) {
        int s = zones_under_limit(headroom_mb[i]);
        print_message("with %lu MB of address space left: status %d (%s)\n", headroom_mb[i], s,
                      bz_status_string(s));
        /* running out of memory is reported as such, or as GEOS's failure to allocate */
        if (s != BZ_OK && s != BZ_ERR_NOMEM && s != BZ_ERR_GEOS)
            fail_msg("with %lu MB left the status was %d (%s), not out of memory", headroom_mb[i],
                     s, bz_status_string(s));
    }
#else
    skip();
#endif
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bz_test_oom_XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    char out[300];
    snprintf(out, sizeof out, "%s/out", tmpdir);
    if (mkdir(out, 0700) != 0)
        return -1;
    snprintf(line_path, sizeof line_path, "%s/line.geojson", tmpdir);
    snprintf(region_path, sizeof region_path, "%s/region.geojson", tmpdir);
    if (support_write_text(line_path,
                           "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
                           "\"Feature\",\"properties\":{\"name\":\"front\"},\"geometry\":{"
                           "\"type\":\"LineString\",\"coordinates\":[[37.0,48.0],[37.05,"
                           "48.01],[37.1,48.0]]}}]}\n") ||
        support_write_text(region_path,
                           "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                           "\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                           "[[[37,47.9],[37.1,47.9],[37.1,48.1],[37,48.1],[37,47.9]]]}},{\"type\":"
                           "\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\","
                           "\"coordinates\":[[[37.1,47.9],[37.2,47.9],[37.2,48.1],[37.1,48.1],"
                           "[37.1,47.9]]]}}]}\n"))
        return -1;
    snprintf(geojson_path, sizeof geojson_path, "%s/input.geojson", tmpdir);
    FILE *f = fopen(geojson_path, "w");
    if (!f)
        return -1;
    fputs("{\"type\":\"FeatureCollection\",\"features\":["
          "{\"type\":\"Feature\",\"properties\":{\"name\":\"a\"},\"geometry\":{\"type\":"
          "\"LineString\",\"coordinates\":[[37.0,48.0],[37.05,48.01],[37.1,48.0]]}},"
          "{\"type\":\"Feature\",\"properties\":{\"name\":\"b\"},\"geometry\":{\"type\":"
          "\"Polygon\",\"coordinates\":[[[37,47.9],[37.1,47.9],[37.1,48.1],[37,48.1],"
          "[37,47.9]]]}},"
          "{\"type\":\"Feature\",\"properties\":{\"name\":\"Town\",\"population\":1200},"
          "\"geometry\":{\"type\":\"Point\",\"coordinates\":[37.05,48.05]}}]}\n",
          f);
    return fclose(f);
}

static int teardown(void **state)
{
    (void)state;
    return support_remove_tree(tmpdir);
}

int main(void)
{
#if !BZ_TEST_INJECTOR
    return 77; /* the sanitizer owns malloc: nothing to inject into (reported as skipped) */
#endif
    if (under_valgrind())
        return 77; /* valgrind replaces malloc (the injector never sees a call) and RLIMIT_AS */
    set_availability();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_allocation_fails_cleanly),
        cmocka_unit_test(test_address_space_limit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

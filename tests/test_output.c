/*
 * test_output.c — the output policy (bz_writer in bufferzone.h): what happens to each kind of
 * thing found at an output path, and bz_output_check's refusals before any work.
 *
 * Truth comes from the file system (lstat, readlink, st_mode, st_ino) and from independent
 * readers: GEOS's GeoJSON reader for what arrived through a FIFO or in GDAL's /vsimem/.
 * Device nodes are made with mknod() inside the test's own directory (as root), never
 * /dev/null itself: a broken policy must not break the machine running the test.
 */
#define _GNU_SOURCE /* mknod, makedev */
#include <bufferzone.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

/* cmocka.h needs setjmp.h, stdarg.h and stddef.h first */
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#endif
#include <cpl_string.h>
#include <cpl_vsi.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#include "support.h"

/* Features bz_zones_write writes: per side zone + withdrawal line, contact line, buffer. */
#define ZONE_FEATURES 6

typedef support_zones_fixture fixture;

static int setup(void **state)
{
    return support_zones_fixture_new(state, "output");
}

#define teardown support_zones_fixture_free
#define path_in support_fixture_path

static int write_zones(fixture *f, const char *path, const char *format, int overwrite)
{
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.format = format;
    o.overwrite = overwrite;
    return bz_zones_write(f->ctx, f->zones, path, "A", "B", &o);
}

/* The number of geometries in a GeoJSON FeatureCollection, read by GEOS (-1 if unreadable). */
static int geojson_features(bz_context *ctx, const char *text)
{
    GEOSContextHandle_t h = bz_context_geos(ctx);
    GEOSGeoJSONReader *r = GEOSGeoJSONReader_create_r(h);
    GEOSGeometry *g = GEOSGeoJSONReader_readGeometry_r(h, r, text);
    GEOSGeoJSONReader_destroy_r(h, r);
    int n = g ? GEOSGetNumGeometries_r(h, g) : -1;
    if (g)
        GEOSGeom_destroy_r(h, g);
    return n;
}

static int file_features(bz_context *ctx, const char *path)
{
    char *text = support_slurp(path);
    int n = text ? geojson_features(ctx, text) : -1;
    free(text);
    return n;
}

/* Entries in the test directory (temporary files left behind would show here). */
static int dir_entries(const fixture *f)
{
    DIR *d = opendir(f->dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

/* ---- regular files ------------------------------------------------------------------------ */

static void test_regular_file_keeps_mode(void **state)
{
    fixture *f = *state;
    char p[128];
    path_in(p, sizeof p, f, "private.geojson");
    assert_int_equal(support_write_text(p, "sentinel"), 0);
    assert_int_equal(chmod(p, 0600), 0);
    assert_int_equal(write_zones(f, p, NULL, 1), BZ_OK);
    struct stat st;
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(file_features(f->ctx, p), ZONE_FEATURES);
    assert_int_equal(dir_entries(f), 2); /* and its QGIS style, private.qml */
}

static void test_regular_file_keeps_owner_as_root(void **state)
{
    fixture *f = *state;
    if (geteuid() != 0)
        skip(); /* only root can give a file away */
    char p[128];
    path_in(p, sizeof p, f, "owned.gpkg");
    assert_int_equal(write_zones(f, p, NULL, 0), BZ_OK);
    assert_int_equal(chown(p, 65534, 65534), 0); /* nobody:nogroup */
    assert_int_equal(chmod(p, 0640), 0);
    assert_int_equal(write_zones(f, p, NULL, 1), BZ_OK);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_uid, 65534);
    assert_int_equal(st.st_gid, 65534);
    assert_int_equal(st.st_mode & 07777, 0640);
}

/* Atomic replacement gives the path a new inode: the other names of the old file keep the old
 * content (as documented), and the new file is whole. */
static void test_hard_link_keeps_old_content(void **state)
{
    fixture *f = *state;
    char p[128], other[128];
    path_in(p, sizeof p, f, "linked.geojson");
    path_in(other, sizeof other, f, "other_name.geojson");
    assert_int_equal(support_write_text(p, "old content"), 0);
    assert_int_equal(chmod(p, 0640), 0);
    assert_int_equal(link(p, other), 0);
    struct stat before;
    assert_int_equal(stat(p, &before), 0);
    assert_int_equal(write_zones(f, p, NULL, 1), BZ_OK);
    struct stat st, st_other;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(stat(other, &st_other), 0);
    assert_int_not_equal(st.st_ino, before.st_ino);
    assert_int_equal(st_other.st_ino, before.st_ino);
    assert_int_equal(st.st_nlink, 1);
    assert_int_equal(st_other.st_nlink, 1);
    assert_int_equal(st.st_mode & 07777, 0640); /* the new file is still the old one's mode */
    char *old = support_slurp(other);
    assert_non_null(old);
    assert_string_equal(old, "old content");
    free(old);
    assert_int_equal(file_features(f->ctx, p), ZONE_FEATURES);
}

/* ---- symlinks ----------------------------------------------------------------------------- */

static void assert_link(const char *link, const char *target)
{
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    char buf[256];
    ssize_t n = readlink(link, buf, sizeof buf - 1);
    assert_true(n > 0);
    buf[n] = '\0';
    assert_string_equal(buf, target);
}

static void test_symlink_target_replaced(void **state)
{
    fixture *f = *state;
    char real[128], ln[128];
    path_in(real, sizeof real, f, "real.geojson");
    path_in(ln, sizeof ln, f, "link.geojson");
    assert_int_equal(support_write_text(real, "sentinel"), 0);
    assert_int_equal(chmod(real, 0604), 0);
    assert_int_equal(symlink("real.geojson", ln), 0); /* relative to the link's directory */
    assert_int_equal(write_zones(f, ln, NULL, 1), BZ_OK);
    assert_link(ln, "real.geojson");
    assert_int_equal(file_features(f->ctx, real), ZONE_FEATURES);
    struct stat st;
    assert_int_equal(stat(real, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0604);
    assert_int_equal(dir_entries(f), 3); /* + real.qml: the style beside the file it styles */
    /* Without overwrite the link counts as an existing output. */
    assert_int_equal(write_zones(f, ln, NULL, 0), BZ_ERR_EXISTS);
    assert_non_null(strstr(bz_errmsg(f->ctx), ln));
}

static void test_symlink_chain_and_dangling(void **state)
{
    fixture *f = *state;
    char sub[128], real[128], a[128], b[128], c[128];
    path_in(sub, sizeof sub, f, "sub");
    assert_int_equal(mkdir(sub, 0755), 0);
    path_in(real, sizeof real, f, "sub/real.geojson");
    path_in(a, sizeof a, f, "a.geojson");
    path_in(b, sizeof b, f, "sub/b.geojson");
    assert_int_equal(support_write_text(real, "sentinel"), 0);
    assert_int_equal(symlink("sub/b.geojson", a), 0); /* a -> sub/b */
    assert_int_equal(symlink("real.geojson", b), 0);  /* sub/b -> sub/real (relative to sub) */
    assert_int_equal(write_zones(f, a, NULL, 1), BZ_OK);
    assert_link(a, "sub/b.geojson");
    assert_link(b, "real.geojson");
    assert_int_equal(file_features(f->ctx, real), ZONE_FEATURES);
    /* A dangling link: its target is created, the link stays. */
    path_in(c, sizeof c, f, "dangling.gpkg");
    assert_int_equal(symlink("sub/new.gpkg", c), 0);
    assert_int_equal(write_zones(f, c, NULL, 1), BZ_OK);
    assert_link(c, "sub/new.gpkg");
    char made[128];
    path_in(made, sizeof made, f, "sub/new.gpkg");
    struct stat st;
    assert_int_equal(lstat(made, &st), 0);
    assert_true(S_ISREG(st.st_mode) && st.st_size > 0);
    /* Nothing else in sub/: the temporary directory was beside the target and is gone. */
    DIR *d = opendir(sub);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    assert_int_equal(n, 4); /* real.geojson, its style real.qml, b.geojson, new.gpkg */
}

/* ---- FIFOs and devices -------------------------------------------------------------------- */

typedef struct writer_job {
    bz_zones *zones;
    const char *path;
    const char *format;
    int rc;
    atomic_int done;
} writer_job;

static void *write_job(void *arg)
{
    writer_job *j = arg;
    bz_context *ctx = bz_context_new(); /* one context per thread */
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.format = j->format;
    j->rc = ctx ? bz_zones_write(ctx, j->zones, j->path, "A", "B", &o) : BZ_ERR_NOMEM;
    bz_context_free(ctx);
    atomic_store(&j->done, 1);
    return NULL;
}

static void test_fifo_streamed(void **state)
{
    fixture *f = *state;
    char p[128];
    path_in(p, sizeof p, f, "fifo.geojson");
    assert_int_equal(mkfifo(p, 0600), 0);
    assert_int_equal(bz_output_check(f->ctx, p, NULL, NULL, 0), BZ_OK); /* opens nothing */
    /* The reader end first, non-blocking: the writer's open() then returns at once, and the
     * test cannot hang whatever the writer does with the path. */
    int fd = open(p, O_RDONLY | O_NONBLOCK);
    assert_true(fd >= 0);
    writer_job job = {f->zones, p, NULL, 0, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, write_job, &job), 0);
    size_t len = 0, cap = 1 << 16;
    char *text = malloc(cap);
    for (;;) {
        struct pollfd pfd = {fd, POLLIN, 0};
        poll(&pfd, 1, 100);
        if (len + 4096 > cap)
            text = realloc(text, cap *= 2);
        ssize_t n = read(fd, text + len, cap - len - 1);
        if (n > 0)
            len += (size_t)n;
        else if (n == 0 && atomic_load(&job.done))
            break; /* end of file after the writer finished */
        else if (n == 0)
            usleep(1000); /* no writer yet (EAGAIN: one that has not written yet) */
    }
    text[len] = '\0';
    pthread_join(t, NULL);
    close(fd);
    assert_int_equal(job.rc, BZ_OK);
    assert_int_equal(geojson_features(f->ctx, text), ZONE_FEATURES);
    free(text);
    struct stat st;
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(dir_entries(f), 1); /* no temporary file beside it, and no QGIS style */
}

static void test_fifo_refuses_formats_that_cannot_stream(void **state)
{
    fixture *f = *state;
    char p[128];
    path_in(p, sizeof p, f, "fifo.gpkg");
    assert_int_equal(mkfifo(p, 0600), 0);
    /* Refused before opening: no reader is needed, nothing blocks. */
    assert_int_equal(write_zones(f, p, NULL, 1), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(f->ctx), p));
    assert_non_null(strstr(bz_errmsg(f->ctx), "FIFO"));
    assert_int_equal(write_zones(f, p, "ESRI Shapefile", 1), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(f->ctx), "several files"));
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.format = "GPKG";
    assert_int_equal(bz_output_check(f->ctx, p, &o, NULL, 0), BZ_ERR_ARGUMENT);
    struct stat st;
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(dir_entries(f), 1);
}

static void test_char_device_written_into(void **state)
{
    fixture *f = *state;
    char p[128];
    path_in(p, sizeof p, f, "null");
    if (mknod(p, S_IFCHR | 0666, makedev(1, 3)) != 0) /* a /dev/null of our own */
        skip();
    for (int overwrite = 0; overwrite <= 1; overwrite++) {
        assert_int_equal(write_zones(f, p, "GeoJSON", overwrite), BZ_OK);
        struct stat st;
        assert_int_equal(lstat(p, &st), 0);
        assert_true(S_ISCHR(st.st_mode));
        assert_int_equal(st.st_rdev, makedev(1, 3));
    }
    /* Through a symlink, like /dev/stdout: still written into. */
    char ln[128];
    path_in(ln, sizeof ln, f, "out.geojson");
    assert_int_equal(symlink(p, ln), 0);
    assert_int_equal(write_zones(f, ln, NULL, 1), BZ_OK);
    assert_link(ln, p);
    struct stat st;
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(dir_entries(f), 2);
}

/* /dev/stdout, /dev/fd/N: the process's own descriptor is written into, with its offset and
 * O_APPEND, whatever it leads to; a file behind it is not replaced (the shell's >> holds). */
static void test_own_descriptor_written_into(void **state)
{
    fixture *f = *state;
    char p[128], dev[64];
    path_in(p, sizeof p, f, "appended.geojson");
    assert_int_equal(support_write_text(p, "head\n"), 0);
    struct stat before, after;
    assert_int_equal(stat(p, &before), 0);
    int fd = open(p, O_WRONLY | O_APPEND);
    assert_true(fd >= 0);
    snprintf(dev, sizeof dev, "/dev/fd/%d", fd);
    assert_int_equal(bz_output_check(f->ctx, dev, NULL, NULL, 0), BZ_OK);
    assert_int_equal(write_zones(f, dev, NULL, 0), BZ_OK); /* no overwrite: nothing replaced */
    snprintf(dev, sizeof dev, "/proc/self/fd/%d", fd);
    assert_int_equal(bz_output_write(f->ctx, dev, "tail\n", 5, NULL), BZ_OK);
    close(fd);
    assert_int_equal(stat(p, &after), 0);
    assert_int_equal(after.st_ino, before.st_ino);
    char *text = support_slurp(p);
    assert_non_null(text);
    assert_int_equal(strncmp(text, "head\n{", 6), 0);
    size_t n = strlen(text);
    assert_string_equal(text + n - 5, "tail\n");
    text[n - 5] = '\0';
    assert_int_equal(geojson_features(f->ctx, text + 5), ZONE_FEATURES);
    free(text);
    assert_int_equal(dir_entries(f), 1);
    /* A pipe behind the descriptor. */
    int pfd[2];
    assert_int_equal(pipe(pfd), 0);
    snprintf(dev, sizeof dev, "/dev/fd/%d", pfd[1]);
    assert_int_equal(bz_output_write(f->ctx, dev, "piped", 5, NULL), BZ_OK);
    close(pfd[1]);
    char buf[16] = {0};
    assert_int_equal(read(pfd[0], buf, sizeof buf - 1), 5);
    assert_string_equal(buf, "piped");
    close(pfd[0]);
    /* Not open, or open for reading only: refused, naming it. */
    snprintf(dev, sizeof dev, "/dev/fd/%d", pfd[1]);
    assert_int_equal(bz_output_check(f->ctx, dev, NULL, NULL, 0), BZ_ERR_IO);
    assert_non_null(strstr(bz_errmsg(f->ctx), dev));
    fd = open(p, O_RDONLY);
    snprintf(dev, sizeof dev, "/dev/fd/%d", fd);
    assert_int_equal(write_zones(f, dev, NULL, 0), BZ_ERR_IO);
    assert_non_null(strstr(bz_errmsg(f->ctx), "read-only"));
    close(fd);
}

/* ---- what cannot be written --------------------------------------------------------------- */

static void assert_refused(fixture *f, const char *path, int status, const char *what)
{
    assert_int_equal(write_zones(f, path, "GeoJSON", 1), status);
    assert_non_null(strstr(bz_errmsg(f->ctx), path));
    assert_non_null(strstr(bz_errmsg(f->ctx), what));
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.overwrite = 1;
    o.format = "GeoJSON";
    bz_context_clear_error(f->ctx);
    assert_int_equal(bz_output_check(f->ctx, path, &o, NULL, 0), status);
    assert_non_null(strstr(bz_errmsg(f->ctx), what));
}

static void test_directory_socket_block_device_refused(void **state)
{
    fixture *f = *state;
    char d[128], s[128], ln[128], b[128];
    path_in(d, sizeof d, f, "adir.geojson");
    assert_int_equal(mkdir(d, 0755), 0);
    assert_refused(f, d, BZ_ERR_IO, "directory");
    path_in(ln, sizeof ln, f, "to_dir.geojson");
    assert_int_equal(symlink("adir.geojson", ln), 0);
    assert_refused(f, ln, BZ_ERR_IO, "directory");

    path_in(s, sizeof s, f, "sock.geojson");
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    assert_true(strlen(s) < sizeof addr.sun_path);
    memcpy(addr.sun_path, s, strlen(s) + 1);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_refused(f, s, BZ_ERR_IO, "socket");
    close(fd);
    struct stat st;
    assert_int_equal(lstat(s, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));

    path_in(b, sizeof b, f, "blk.geojson");
    if (mknod(b, S_IFBLK | 0600, makedev(7, 250)) == 0) {
        assert_refused(f, b, BZ_ERR_IO, "block device");
        assert_int_equal(lstat(b, &st), 0);
        assert_true(S_ISBLK(st.st_mode));
    }
    assert_int_equal(lstat(d, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
}

static void test_missing_directory(void **state)
{
    fixture *f = *state;
    char p[128];
    path_in(p, sizeof p, f, "no/such/dir/out.geojson");
    assert_int_equal(bz_output_check(f->ctx, p, NULL, NULL, 0), BZ_ERR_IO);
    assert_non_null(strstr(bz_errmsg(f->ctx), p));
    assert_int_equal(write_zones(f, p, NULL, 0), BZ_ERR_IO);
}

/* ---- bz_output_check ---------------------------------------------------------------------- */

static void test_check_exists_and_creates_nothing(void **state)
{
    fixture *f = *state;
    char p[128];
    path_in(p, sizeof p, f, "out.geojson");
    assert_int_equal(bz_output_check(f->ctx, p, NULL, NULL, 0), BZ_OK);
    assert_int_equal(dir_entries(f), 0);
    assert_int_equal(support_write_text(p, "sentinel"), 0);
    assert_int_equal(bz_output_check(f->ctx, p, NULL, NULL, 0), BZ_ERR_EXISTS);
    assert_non_null(strstr(bz_errmsg(f->ctx), p));
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.overwrite = 1;
    assert_int_equal(bz_output_check(f->ctx, p, &o, NULL, 0), BZ_OK);
    /* Every file of a Shapefile set counts, not only the .shp. */
    char member[128], set[128];
    path_in(member, sizeof member, f, "set_lines.dbf");
    path_in(set, sizeof set, f, "set.shp");
    assert_int_equal(support_write_text(member, "sentinel"), 0);
    assert_int_equal(bz_output_check(f->ctx, set, NULL, NULL, 0), BZ_ERR_EXISTS);
    assert_non_null(strstr(bz_errmsg(f->ctx), member));
    assert_int_equal(write_zones(f, set, NULL, 0), BZ_ERR_EXISTS);
    o.format = "NoSuchDriver";
    assert_int_equal(bz_output_check(f->ctx, p, &o, NULL, 0), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(f->ctx), "NoSuchDriver"));
    /* A format of the caller's own (an SVG map): only the place is checked. */
    path_in(p, sizeof p, f, "map.svg");
    assert_int_equal(bz_output_check(f->ctx, p, NULL, NULL, 0), BZ_OK);
    assert_int_equal(dir_entries(f), 2);
}

static void assert_same_file(fixture *f, const char *out, const char *in, int overwrite)
{
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.overwrite = overwrite;
    const char *inputs[] = {"/nonexistent/first.geojson", NULL, in};
    assert_int_equal(bz_output_check(f->ctx, out, &o, inputs, 3), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(f->ctx), out));
    assert_non_null(strstr(bz_errmsg(f->ctx), in));
}

static void test_same_file_as_input_refused(void **state)
{
    fixture *f = *state;
    char in[128], sym[128], hard[128], other[128];
    path_in(in, sizeof in, f, "input.geojson");
    path_in(sym, sizeof sym, f, "sym.geojson");
    path_in(hard, sizeof hard, f, "hard.geojson");
    path_in(other, sizeof other, f, "other.geojson");
    assert_int_equal(support_write_text(in, "{\"type\": \"FeatureCollection\", \"features\": []}"),
                     0);
    assert_int_equal(symlink("input.geojson", sym), 0);
    assert_int_equal(link(in, hard), 0);
    for (int overwrite = 0; overwrite <= 1; overwrite++) {
        assert_same_file(f, in, in, overwrite);
        assert_same_file(f, sym, in, overwrite);
        assert_same_file(f, hard, in, overwrite);
        assert_same_file(f, in, sym, overwrite); /* the input named through the link */
    }
    /* Another file is fine, and so is an input that does not exist. */
    const char *inputs[] = {in, sym, hard};
    assert_int_equal(bz_output_check(f->ctx, other, NULL, inputs, 3), BZ_OK);
    /* A Shapefile set whose member would be the input. */
    char set[128], member[128];
    path_in(set, sizeof set, f, "o.shp");
    path_in(member, sizeof member, f, "o_lines.shp");
    assert_int_equal(symlink("input.geojson", member), 0);
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.overwrite = 1;
    assert_int_equal(bz_output_check(f->ctx, set, &o, inputs, 1), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(f->ctx), in));
    char *text = support_slurp(in);
    assert_string_equal(text, "{\"type\": \"FeatureCollection\", \"features\": []}");
    free(text);
}

/* ---- GDAL's /vsimem/ ---------------------------------------------------------------------- */

static void test_vsimem(void **state)
{
    fixture *f = *state;
    const char *p = "/vsimem/bz_test_output/zones.geojson";
    assert_int_equal(bz_output_check(f->ctx, p, NULL, NULL, 0), BZ_OK);
    assert_int_equal(write_zones(f, p, NULL, 0), BZ_OK);
    vsi_l_offset size = 0;
    GByte *bytes = VSIGetMemFileBuffer(p, &size, FALSE);
    assert_non_null(bytes);
    char *text = malloc((size_t)size + 1);
    memcpy(text, bytes, (size_t)size);
    text[size] = '\0';
    assert_int_equal(geojson_features(f->ctx, text), ZONE_FEATURES);
    free(text);
    assert_int_equal(write_zones(f, p, NULL, 0), BZ_ERR_EXISTS);
    assert_int_equal(bz_output_check(f->ctx, p, NULL, NULL, 0), BZ_ERR_EXISTS);
    const char *inputs[] = {p};
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.overwrite = 1;
    assert_int_equal(bz_output_check(f->ctx, p, &o, inputs, 1), BZ_ERR_ARGUMENT);
    assert_int_equal(write_zones(f, p, NULL, 1), BZ_OK);
    /* A GDAL-written format too, read back by GDAL through the library. */
    const char *g = "/vsimem/bz_test_output/zones.gpkg";
    assert_int_equal(write_zones(f, g, NULL, 0), BZ_OK);
    bz_features *feat = NULL;
    assert_int_equal(bz_read_features(&feat, f->ctx, g, NULL), BZ_OK);
    assert_int_equal(bz_features_count(feat), ZONE_FEATURES);
    bz_features_free(feat);
    /* Nothing else is left in the directory: no temporary. */
    char **names = VSIReadDir("/vsimem/bz_test_output");
    int n = 0;
    for (char **q = names; q && *q; q++)
        n++;
    CSLDestroy(names);
    assert_int_equal(n, 2);
    VSIUnlink(p);
    VSIUnlink(g);
}

/* ---- bz_output_write: a caller's own bytes ------------------------------------------------ */

typedef struct bytes_job {
    const char *path;
    int rc;
    atomic_int done;
} bytes_job;

static void *bytes_write_job(void *arg)
{
    bytes_job *j = arg;
    bz_context *ctx = bz_context_new();
    j->rc = ctx ? bz_output_write(ctx, j->path, "<svg/>\n", 7, NULL) : BZ_ERR_NOMEM;
    bz_context_free(ctx);
    atomic_store(&j->done, 1);
    return NULL;
}

static void test_output_write_bytes(void **state)
{
    fixture *f = *state;
    char p[128], ln[128];
    path_in(p, sizeof p, f, "map.svg");
    path_in(ln, sizeof ln, f, "map_link.svg");
    assert_int_equal(bz_output_write(f->ctx, p, "one", 3, NULL), BZ_OK);
    assert_int_equal(bz_output_write(f->ctx, p, "two", 3, NULL), BZ_ERR_EXISTS);
    assert_non_null(strstr(bz_errmsg(f->ctx), p));
    assert_int_equal(chmod(p, 0600), 0);
    assert_int_equal(symlink("map.svg", ln), 0);
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.overwrite = 1;
    assert_int_equal(bz_output_write(f->ctx, ln, "three", 5, &o), BZ_OK);
    assert_link(ln, "map.svg");
    char *text = support_slurp(p);
    assert_string_equal(text, "three");
    free(text);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(dir_entries(f), 2);

    /* A FIFO gets the bytes as they are; no temporary file. */
    char fifo[128];
    path_in(fifo, sizeof fifo, f, "fifo.svg");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    int fd = open(fifo, O_RDONLY | O_NONBLOCK);
    assert_true(fd >= 0);
    bytes_job job = {fifo, 0, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, bytes_write_job, &job), 0);
    char buf[64];
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
        if (n > 0)
            len += (size_t)n;
        else if (n == 0 && atomic_load(&job.done))
            break;
        else
            usleep(1000);
    }
    buf[len] = '\0';
    pthread_join(t, NULL);
    close(fd);
    assert_int_equal(job.rc, BZ_OK);
    assert_string_equal(buf, "<svg/>\n");
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(dir_entries(f), 3);

    /* GDAL's memory files. */
    const char *m = "/vsimem/bz_test_output/map.svg";
    assert_int_equal(bz_output_write(f->ctx, m, "four", 4, NULL), BZ_OK);
    assert_int_equal(bz_output_write(f->ctx, m, "five", 4, NULL), BZ_ERR_EXISTS);
    assert_int_equal(bz_output_write(f->ctx, m, "six!", 4, &o), BZ_OK);
    vsi_l_offset size = 0;
    GByte *bytes = VSIGetMemFileBuffer(m, &size, FALSE);
    assert_non_null(bytes);
    assert_int_equal(size, 4);
    assert_memory_equal(bytes, "six!", 4);
    VSIUnlink(m);

    /* A directory is refused like everywhere else. */
    assert_int_equal(bz_output_write(f->ctx, f->dir, "x", 1, &o), BZ_ERR_IO);
    assert_non_null(strstr(bz_errmsg(f->ctx), "directory"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_regular_file_keeps_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_regular_file_keeps_owner_as_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hard_link_keeps_old_content, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_target_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_chain_and_dangling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_streamed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_refuses_formats_that_cannot_stream, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_char_device_written_into, setup, teardown),
        cmocka_unit_test_setup_teardown(test_own_descriptor_written_into, setup, teardown),
        cmocka_unit_test_setup_teardown(test_directory_socket_block_device_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_missing_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_exists_and_creates_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_file_as_input_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vsimem, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output_write_bytes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

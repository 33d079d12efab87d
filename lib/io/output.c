/*
 * io/output.c — the output policy (see bz_writer in include/bufferzone.h): what an output
 * path is and whether the library may write there, decided before any work is done.
 *
 * rename() replaces whatever name it lands on: a symlink becomes a regular file (its target
 * keeps the old content), a FIFO or a device node (/dev/null, as root) becomes a regular
 * file, and a file's mode and owner become the writer's. So the writer looks first: it
 * follows symlinks to the file they name and replaces that, writes straight into FIFOs and
 * character devices, refuses directories, sockets and block devices, and gives a replacement
 * the old file's permission bits and owner. GDAL virtual paths (/vsimem/...) go through
 * GDAL's VSI functions, which know them; POSIX calls do not.
 */
/* GDAL's VSIStatBufL is a struct stat64, which _POSIX_C_SOURCE alone hides. */
#define _LARGEFILE64_SOURCE 1

#include "io/output.h"
#include "core/context.h"
#include "core/text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

const char *const bzi_shp_class_suffix[3] = {"points", "lines", "polygons"};
/* "qml": the QGIS style the writer puts beside each .shp (style.c). */
const char *const bzi_shp_exts[9] = {"shp", "shx", "dbf", "prj", "cpg", "qix", "sbn", "sbx", "qml"};

int bzi_shp_member(char *buf, size_t size, const char *dir, const char *stem, int cls,
                   const char *ext)
{
    int n = snprintf(buf, size, "%s/%s_%s.%s", dir, stem, bzi_shp_class_suffix[cls], ext);
    return n > 0 && (size_t)n < size;
}

int bzi_is_vsi(const char *path)
{
    return strncmp(path, "/vsi", 4) == 0;
}

/* "a directory", ... for messages (a lookup table: its branches are alike on purpose). */
static const char *file_kind(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISLNK(m))
        return "a symbolic link";
    return "a regular file";
}

/* The directory part of `path` into buf ("." when there is none, "/" for "/x"). */
void bzi_dir_of(char *buf, size_t size, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, size, ".");
    else if (slash == path)
        snprintf(buf, size, "/");
    else
        snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

void bzi_target_clear(bzi_target *t)
{
    free(t->path);
    t->path = NULL;
}

/* Follow the symlink chain from `path` to a name that is not a symlink (it may not exist). */
static int follow_links(char **out, bz_context *ctx, const char *path, struct stat *st, int *exists)
{
    char *cur = bzi_dup_text(path);
    if (!cur)
        return bzi_nomem(ctx, "checking the output");
    for (int hops = 0;; hops++) {
        if (lstat(cur, st) != 0) {
            int e = errno;
            if (e == ENOENT) {
                *exists = 0;
                *out = cur;
                return BZ_OK;
            }
            int rc =
                bzi_error(ctx, BZ_ERR_IO, "cannot write %s: %s%s%s", path,
                          strcmp(cur, path) ? cur : "", strcmp(cur, path) ? ": " : "", strerror(e));
            free(cur);
            return rc;
        }
        if (!S_ISLNK(st->st_mode))
            break;
        char link[PATH_MAX], dir[PATH_MAX];
        ssize_t n = hops < 40 ? readlink(cur, link, sizeof link - 1) : -1;
        if (n < 0 || (size_t)n >= sizeof link - 1) {
            int rc = bzi_error(ctx, BZ_ERR_IO, "cannot write %s: cannot follow the link %s: %s",
                               path, cur,
                               hops < 40 ? strerror(n < 0 ? errno : ENAMETOOLONG)
                                         : "too many levels of symbolic links");
            free(cur);
            return rc;
        }
        link[n] = '\0';
        bzi_dir_of(dir, sizeof dir, cur);
        /* A relative link is relative to the directory holding it. */
        size_t ld = link[0] == '/' ? 0 : strlen(dir) + 1;
        char *next = malloc(ld + (size_t)n + 1);
        if (!next) {
            free(cur);
            return bzi_nomem(ctx, "checking the output");
        }
        if (ld) {
            memcpy(next, dir, ld - 1);
            next[ld - 1] = '/';
        }
        memcpy(next + ld, link, (size_t)n + 1);
        free(cur);
        cur = next;
    }
    *exists = 1;
    *out = cur;
    return BZ_OK;
}

/* The descriptor N that /dev/stdout, /dev/stderr, /dev/fd/N or /proc/self/fd/N names, or -1.
 * Writing into it, rather than into the file it leads to, does what the shell set up: a pipe,
 * a terminal, and also a regular file opened with > or >> (its offset, its O_APPEND), which
 * following the link and replacing the file would get wrong. */
static int own_fd(const char *path)
{
    if (strcmp(path, "/dev/stdout") == 0)
        return 1;
    if (strcmp(path, "/dev/stderr") == 0)
        return 2;
    const char *num = strncmp(path, "/dev/fd/", 8) == 0          ? path + 8
                      : strncmp(path, "/proc/self/fd/", 14) == 0 ? path + 14
                                                                 : NULL;
    if (!num || *num < '0' || *num > '9')
        return -1;
    char *end = NULL;
    long n = strtol(num, &end, 10);
    return *end || n > INT_MAX ? -1 : (int)n;
}

int bzi_output_is_stream(const char *path)
{
    struct stat st;
    return own_fd(path) >= 0 ||
           (stat(path, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)));
}

int bzi_stream_open(const bzi_target *t)
{
    if (t->fd >= 0)
        return fcntl(t->fd, F_DUPFD_CLOEXEC, 0);
    int fd;
    do
        fd = open(t->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    return fd;
}

int bzi_target_resolve(bzi_target *t, bz_context *ctx, const char *path)
{
    memset(t, 0, sizeof *t);
    t->fd = -1;
    int fd = own_fd(path);
    if (fd >= 0) {
        int flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fstat(fd, &t->st) != 0)
            return bzi_error(ctx, BZ_ERR_IO, "cannot write %s: descriptor %d is not open", path,
                             fd);
        if ((flags & O_ACCMODE) == O_RDONLY)
            return bzi_error(ctx, BZ_ERR_IO, "cannot write %s: descriptor %d is open read-only",
                             path, fd);
        t->kind = BZI_OUT_STREAM;
        t->fd = fd;
        t->path = bzi_dup_text(path);
        return t->path ? BZ_OK : bzi_nomem(ctx, "checking the output");
    }
    if (bzi_is_vsi(path)) {
        t->kind = BZI_OUT_VSI;
        t->path = bzi_dup_text(path);
        return t->path ? BZ_OK : bzi_nomem(ctx, "checking the output");
    }
    /* stat() first: /dev/stdout leads through /proc/self/fd/1 to "pipe:[...]", which is no
     * path, but stat() and open() follow that magic link to the pipe itself. */
    struct stat st;
    if (stat(path, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
        t->kind = BZI_OUT_STREAM;
        t->st = st;
        t->path = bzi_dup_text(path);
        return t->path ? BZ_OK : bzi_nomem(ctx, "checking the output");
    }
    char *final = NULL;
    int exists = 0;
    int rc = follow_links(&final, ctx, path, &st, &exists);
    if (rc != BZ_OK)
        return rc;
    if (exists && !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) {
        if (strcmp(final, path) != 0)
            rc = bzi_error(ctx, BZ_ERR_IO, "cannot write %s: it leads to %s, which is %s", path,
                           final, file_kind(st.st_mode));
        else
            rc =
                bzi_error(ctx, BZ_ERR_IO, "cannot write %s: it is %s", path, file_kind(st.st_mode));
        free(final);
        return rc;
    }
    t->kind = !exists ? BZI_OUT_NEW : S_ISREG(st.st_mode) ? BZI_OUT_FILE : BZI_OUT_STREAM;
    t->st = st;
    t->path = final;
    return BZ_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Checks before any work                                                                   */
/* ---------------------------------------------------------------------------------------- */

/* An input's identity: GDAL reads standard input as /vsistdin/, which is file descriptor 0. */
static int input_stat(const char *input, struct stat *st)
{
    if (strcmp(input, "-") == 0 || strncmp(input, "/vsistdin", 9) == 0)
        return fstat(0, st);
    return bzi_is_vsi(input) ? -1 : stat(input, st);
}

/* Refuse when the output file `file` (the output `path` or a file it writes) is one of the
 * inputs: same device and inode, so also through symlinks and hard links. */
static int not_an_input(bz_context *ctx, const char *path, const char *file,
                        const char *const *inputs, size_t ninputs)
{
    struct stat out;
    if (ninputs == 0 || stat(file, &out) != 0 || !S_ISREG(out.st_mode))
        return BZ_OK; /* nothing there yet, so nothing to destroy */
    for (size_t k = 0; k < ninputs; k++) {
        struct stat in;
        if (!inputs[k] || input_stat(inputs[k], &in) != 0)
            continue;
        if (in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
            if (strcmp(file, path) != 0)
                return bzi_error(ctx, BZ_ERR_ARGUMENT,
                                 "the output %s (writing %s) is the same file as input %zu, %s: "
                                 "writing it would destroy the input",
                                 path, file, k + 1, inputs[k]);
            return bzi_error(ctx, BZ_ERR_ARGUMENT,
                             "the output %s is the same file as input %zu, %s: writing it "
                             "would destroy the input",
                             path, k + 1, inputs[k]);
        }
    }
    return BZ_OK;
}

/* The same for a virtual output: its name is its identity. */
static int not_a_vsi_input(bz_context *ctx, const char *path, const char *const *inputs,
                           size_t ninputs)
{
    for (size_t k = 0; k < ninputs; k++)
        if (inputs[k] && strcmp(inputs[k], path) == 0)
            return bzi_error(ctx, BZ_ERR_ARGUMENT,
                             "the output %s is input %zu: writing it would destroy the input", path,
                             k + 1);
    return BZ_OK;
}

int bzi_vsi_exists(const char *p)
{
    VSIStatBufL sb;
    return VSIStatL(p, &sb) == 0;
}

static int name_exists(const char *p, int vsi)
{
    struct stat st;
    return vsi ? bzi_vsi_exists(p) : lstat(p, &st) == 0;
}

/* A Shapefile set is several files beside `path`: check each, for existence and identity. */
static int check_set(bz_context *ctx, const char *path, int overwrite, int vsi,
                     const char *const *inputs, size_t ninputs)
{
    char dir[PATH_MAX], stem[PATH_MAX], member[PATH_MAX];
    bzi_dir_of(dir, sizeof dir, path);
    const char *slash = strrchr(path, '/');
    snprintf(stem, sizeof stem, "%s", slash ? slash + 1 : path);
    char *dot = strrchr(stem, '.');
    if (dot && dot != stem)
        *dot = '\0';
    for (int cls = 0; cls < 3; cls++) {
        for (size_t x = 0; x < sizeof bzi_shp_exts / sizeof bzi_shp_exts[0]; x++) {
            if (!bzi_shp_member(member, sizeof member, dir, stem, cls, bzi_shp_exts[x]))
                continue;
            int rc = vsi ? not_a_vsi_input(ctx, member, inputs, ninputs)
                         : not_an_input(ctx, path, member, inputs, ninputs);
            if (rc != BZ_OK)
                return rc;
            if (!overwrite && name_exists(member, vsi))
                return bzi_error(ctx, BZ_ERR_EXISTS, "%s exists (a file of the Shapefile set %s)",
                                 member, path);
        }
    }
    return BZ_OK;
}

/* The directory the files go to exists and this process may create files in it. */
static int dir_writable(bz_context *ctx, const char *path, const char *file)
{
    char dir[PATH_MAX];
    bzi_dir_of(dir, sizeof dir, file);
    struct stat st;
    if (stat(dir, &st) != 0)
        return bzi_error(ctx, BZ_ERR_IO, "cannot write %s: directory %s: %s", path, dir,
                         strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return bzi_error(ctx, BZ_ERR_IO, "cannot write %s: %s is not a directory", path, dir);
    if (access(dir, W_OK | X_OK) != 0)
        return bzi_error(ctx, BZ_ERR_IO, "cannot write %s: cannot create files in %s: %s", path,
                         dir, strerror(errno));
    return BZ_OK;
}

static int check_stream(bz_context *ctx, const bzi_target *t, const char *path, const char *driver)
{
    const char *what = t->fd >= 0 ? "an open descriptor" : file_kind(t->st.st_mode);
    if (driver && strcmp(driver, "GeoJSON") != 0) {
        int set = strcmp(driver, "ESRI Shapefile") == 0;
        return bzi_error(ctx, BZ_ERR_ARGUMENT,
                         "cannot write %s to %s, which is %s: only GeoJSON can be streamed into "
                         "a FIFO or a device (%s); write it to a file",
                         driver, path, what,
                         set ? "a Shapefile set is several files"
                             : "this format needs a file it can seek in and rename into place");
    }
    if (t->fd < 0 && access(path, W_OK) != 0)
        return bzi_error(ctx, BZ_ERR_IO, "cannot write %s (%s): %s", path, what, strerror(errno));
    return BZ_OK;
}

/* A GeoJSON file's QGIS style "<name>.qml" beside the file it names (t->path). */
static int check_sidecar(bz_context *ctx, const bzi_target *t, const char *path, int overwrite)
{
    char dir[PATH_MAX], style[PATH_MAX];
    bzi_dir_of(dir, sizeof dir, t->path);
    const char *slash = strrchr(t->path, '/');
    const char *base = slash ? slash + 1 : t->path;
    const char *dot = strrchr(base, '.');
    int len = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    int n = snprintf(style, sizeof style, "%s/%.*s.qml", dir, len, base);
    if (n < 0 || (size_t)n >= sizeof style)
        return bzi_error(ctx, BZ_ERR_IO, "cannot write %s: its style's path is too long", path);
    struct stat st;
    if (!overwrite && lstat(style, &st) == 0)
        return bzi_error(ctx, BZ_ERR_EXISTS, "%s exists (the QGIS style of %s)", style, path);
    return BZ_OK;
}

int bzi_output_check(bzi_target *t, bz_context *ctx, const char *path, const char *driver,
                     int overwrite, int style, const char *const *inputs, size_t ninputs)
{
    int rc = bzi_target_resolve(t, ctx, path);
    if (rc != BZ_OK)
        return rc;
    int set = driver && strcmp(driver, "ESRI Shapefile") == 0;
    int vsi = t->kind == BZI_OUT_VSI;
    if (t->kind == BZI_OUT_STREAM)
        rc = check_stream(ctx, t, path, driver); /* nothing is replaced: no overwrite needed */
    else if (set)
        rc = check_set(ctx, path, overwrite, vsi, inputs, ninputs);
    else if (vsi)
        rc = not_a_vsi_input(ctx, path, inputs, ninputs);
    else
        rc = not_an_input(ctx, path, t->path, inputs, ninputs);
    if (rc == BZ_OK && t->kind != BZI_OUT_STREAM && !set && !overwrite && name_exists(path, vsi))
        rc = bzi_error(ctx, BZ_ERR_EXISTS, "%s exists", path);
    if (rc == BZ_OK && style && !vsi && t->kind != BZI_OUT_STREAM && driver &&
        strcmp(driver, "GeoJSON") == 0)
        rc = check_sidecar(ctx, t, path, overwrite);
    if (rc == BZ_OK && !vsi && t->kind != BZI_OUT_STREAM)
        rc = dir_writable(ctx, path, set ? path : t->path);
    if (rc != BZ_OK)
        bzi_target_clear(t);
    return rc;
}

/* What bz_output_check and bz_output_write refuse first: a NULL or empty argument (missing),
 * options not initialised. */
int bzi_output_check_call(bz_context *ctx, const char *fn, int missing,
                          const bz_write_options *opts)
{
    if (missing)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "%s: NULL or empty argument", fn);
    if (opts && bzi_check_options_version(ctx, fn, "bz_write_options", opts->version,
                                          BZ_WRITE_OPTIONS_VERSION) != BZ_OK)
        return BZ_ERR_ARGUMENT;
    return BZ_OK;
}

int bz_output_check(bz_context *ctx, const char *path, const bz_write_options *opts,
                    const char *const *inputs, size_t ninputs)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    int missing = !path || !path[0] || (ninputs > 0 && !inputs);
    int rc = bzi_output_check_call(ctx, "bz_output_check", missing, opts);
    if (rc != BZ_OK)
        return rc;
    const char *slash = strrchr(path, '/');
    const char *format =
        opts && opts->format ? opts->format : bzi_driver_for(slash ? slash + 1 : path);
    const char *driver = NULL;
    bzi_gdal_quiet q;
    bzi_gdal_quiet_begin(&q);
    if (format) {
        GDALDriverH drv = GDALGetDriverByName(format);
        if (drv && GDALGetMetadataItem(drv, GDAL_DCAP_VECTOR, NULL) &&
            GDALGetMetadataItem(drv, GDAL_DCAP_CREATE, NULL))
            driver = GDALGetDriverShortName(drv);
    }
    bzi_gdal_quiet_end(&q);
    if (format && !driver)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "no OGR driver '%s' that can write vector files",
                         format);
    bzi_target t;
    int style = !(opts && opts->version >= 2 && opts->no_style);
    rc = bzi_output_check(&t, ctx, path, driver, opts && opts->overwrite, style, inputs, ninputs);
    if (rc == BZ_OK)
        bzi_target_clear(&t);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Putting a file in place                                                                  */
/* ---------------------------------------------------------------------------------------- */

int bzi_keep_attributes(bz_context *ctx, const char *tmp, const struct stat *old, const char *shown)
{
    /* Owner first: chown() clears the set-user-ID and set-group-ID bits that chmod() then
     * restores. Only root may give a file away; a user may still set a group they are in. */
    if (old->st_uid != geteuid() || old->st_gid != getegid()) {
        if (chown(tmp, old->st_uid, old->st_gid) != 0) {
            if (geteuid() == 0)
                return bzi_error(ctx, BZ_ERR_IO, "writing %s: cannot keep its owner: %s", shown,
                                 strerror(errno));
            if (chown(tmp, (uid_t)-1, old->st_gid) != 0) {
                /* not a member of that group: the new file has the user's own group */
            }
        }
    }
    if (chmod(tmp, old->st_mode & 07777) != 0)
        return bzi_error(ctx, BZ_ERR_IO, "writing %s: cannot keep its permissions: %s", shown,
                         strerror(errno));
    return BZ_OK;
}

char *bzi_out_mkdtemp(const char *dir, const char *base, int vsi)
{
    size_t n = strlen(dir) + strlen(base) + 48;
    char *p = malloc(n);
    if (!p) {
        errno = ENOMEM;
        return NULL;
    }
    if (!vsi) {
        /* Hidden and beside the target: same file system, so the final rename is atomic. */
        snprintf(p, n, "%s/.%s.tmp-XXXXXX", dir, base);
        if (mkdtemp(p))
            return p;
        int e = errno;
        free(p);
        errno = e;
        return NULL;
    }
    /* GDAL has no mkdtemp; VSIMkdir refuses an existing name, so try a few. */
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        snprintf(p, n, "%s/.%s.tmp-%lx-%lx-%u", dir, base, (unsigned long)getpid(),
                 (unsigned long)(uintptr_t)p, attempt);
        if (!bzi_vsi_exists(p) && VSIMkdir(p, 0700) == 0)
            return p;
    }
    free(p);
    errno = EEXIST;
    return NULL;
}

void bzi_out_rmtree_vsi(const char *dir)
{
    VSIRmdirRecursive(dir);
}

/* ---------------------------------------------------------------------------------------- */
/* Formats by extension                                                                     */
/* ---------------------------------------------------------------------------------------- */

static const struct {
    const char *ext, *driver;
} ext_drivers[] = {
    {"geojson", "GeoJSON"},     {"json", "GeoJSON"},   {"shp", "ESRI Shapefile"},
    {"gpkg", "GPKG"},           {"fgb", "FlatGeobuf"}, {"kml", "KML"},
    {"sqlite", "SQLite"},       {"gml", "GML"},        {"geojsonl", "GeoJSONSeq"},
    {"geojsons", "GeoJSONSeq"}, {"csv", "CSV"},
};

const char *bzi_driver_for(const char *base)
{
    const char *dot = strrchr(base, '.');
    if (!dot)
        return NULL;
    for (size_t i = 0; i < sizeof ext_drivers / sizeof ext_drivers[0]; i++)
        if (strcasecmp(dot + 1, ext_drivers[i].ext) == 0)
            return ext_drivers[i].driver;
    return NULL;
}

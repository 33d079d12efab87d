/*
 * io/output_write.c — bz_output_write: a caller's own bytes (a rendered map, a report) written
 * under the same output policy as the writer's files (output.c): symlinks followed, FIFOs
 * and devices written into, a file replaced atomically with its mode and owner kept, /vsimem/
 * through GDAL.
 */
/* GDAL's VSIStatBufL is a struct stat64, which _POSIX_C_SOURCE alone hides. */
#define _LARGEFILE64_SOURCE 1
#include "io/output.h"
#include "core/context.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A malloc'ed "DIR/file": the one file of a temporary directory. NULL when out of memory. */
static char *file_in(const char *dir)
{
    size_t n = strlen(dir) + 6;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/file", dir);
    return path;
}

static int write_all(int fd, const unsigned char *p, size_t size)
{
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n == 0 ? EIO : errno;
        p += n;
        size -= (size_t)n;
    }
    return 0;
}

/* Into a FIFO or device: no O_CREAT, no O_TRUNC, no fsync (pipes and devices refuse it). */
static int write_stream(bz_context *ctx, const bzi_target *t, const char *path, const void *data,
                        size_t size)
{
    int fd = bzi_stream_open(t);
    if (fd < 0)
        return bzi_error(ctx, BZ_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    int e = write_all(fd, data, size);
    if (close(fd) != 0 && e == 0)
        e = errno;
    return e ? bzi_error(ctx, BZ_ERR_IO, "writing %s: %s", path, strerror(e)) : BZ_OK;
}

static int write_vsi(bz_context *ctx, const char *path, const void *data, size_t size,
                     int overwrite)
{
    char dir[PATH_MAX];
    bzi_dir_of(dir, sizeof dir, path);
    const char *slash = strrchr(path, '/');
    char *tmpdir = bzi_out_mkdtemp(dir, slash + 1, 1);
    if (!tmpdir)
        return errno == ENOMEM
                   ? bzi_nomem(ctx, "writing the output")
                   : bzi_error(ctx, BZ_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    char *tmp = file_in(tmpdir);
    int rc = BZ_OK;
    if (!tmp) {
        rc = bzi_nomem(ctx, "writing the output");
    } else {
        VSILFILE *f = VSIFOpenL(tmp, "wb");
        int bad = !f || VSIFWriteL(data, 1, size, f) != size;
        if (f && VSIFCloseL(f) != 0)
            bad = 1;
        if (bad)
            rc = bzi_error(ctx, BZ_ERR_IO, "writing %s failed", path);
    }
    if (rc == BZ_OK && bzi_vsi_exists(path)) {
        if (!overwrite)
            rc = bzi_error(ctx, BZ_ERR_EXISTS, "%s exists", path);
        else
            VSIUnlink(path); /* VSIRename need not replace an existing name */
    }
    if (rc == BZ_OK && VSIRename(tmp, path) != 0)
        rc = bzi_error(ctx, BZ_ERR_IO, "cannot move the output into place as %s", path);
    free(tmp);
    VSIRmdirRecursive(tmpdir);
    free(tmpdir);
    return rc;
}

/* A temporary file beside the target, flushed, given the old file's mode and owner, then
 * renamed over it (overwrite) or linked to its name (which refuses to clobber). */
static int write_file(bz_context *ctx, const bzi_target *t, const char *path, const void *data,
                      size_t size, int overwrite)
{
    char dir[PATH_MAX];
    bzi_dir_of(dir, sizeof dir, t->path);
    const char *slash = strrchr(t->path, '/');
    const char *base = slash ? slash + 1 : t->path;
    char *tmpdir = bzi_out_mkdtemp(dir, base, 0);
    if (!tmpdir)
        return errno == ENOMEM ? bzi_nomem(ctx, "writing the output")
                               : bzi_error(ctx, BZ_ERR_IO,
                                           "cannot write %s: cannot create a "
                                           "file in %s: %s",
                                           path, dir, strerror(errno));
    char *tmp = file_in(tmpdir);
    int rc = BZ_OK;
    if (!tmp) {
        rc = bzi_nomem(ctx, "writing the output");
    } else {
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        int e = fd < 0 ? errno : write_all(fd, data, size);
        if (fd >= 0 && e == 0 && fsync(fd) != 0)
            e = errno;
        if (fd >= 0 && close(fd) != 0 && e == 0)
            e = errno;
        if (e)
            rc = bzi_error(ctx, BZ_ERR_IO, "writing %s: %s", path, strerror(e));
    }
    if (rc == BZ_OK && t->kind == BZI_OUT_FILE && overwrite)
        rc = bzi_keep_attributes(ctx, tmp, &t->st, path);
    if (rc == BZ_OK && overwrite && rename(tmp, t->path) != 0)
        rc = bzi_error(ctx, BZ_ERR_IO, "cannot move the output into place as %s: %s", t->path,
                       strerror(errno));
    if (rc == BZ_OK && !overwrite && link(tmp, t->path) != 0)
        rc = errno == EEXIST
                 ? bzi_error(ctx, BZ_ERR_EXISTS, "%s exists", path)
                 : bzi_error(ctx, BZ_ERR_IO, "cannot create %s: %s", t->path, strerror(errno));
    if (tmp)
        unlink(tmp);
    rmdir(tmpdir);
    free(tmp);
    free(tmpdir);
    return rc;
}

int bz_output_write(bz_context *ctx, const char *path, const void *data, size_t size,
                    const bz_write_options *opts)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    int rc = bzi_output_check_call(ctx, "bz_output_write", !path || !path[0] || (size > 0 && !data),
                                   opts);
    if (rc != BZ_OK)
        return rc;
    int overwrite = opts && opts->overwrite;
    bzi_gdal_quiet q;
    bzi_gdal_quiet_begin(&q); /* the VSI calls; and GDAL must not print */
    bzi_target t;
    rc = bzi_output_check(&t, ctx, path, NULL, overwrite, 0, NULL, 0);
    if (rc == BZ_OK) {
        if (t.kind == BZI_OUT_STREAM)
            rc = write_stream(ctx, &t, path, data, size);
        else if (t.kind == BZI_OUT_VSI)
            rc = write_vsi(ctx, path, data, size, overwrite);
        else
            rc = write_file(ctx, &t, path, data, size, overwrite);
        bzi_target_clear(&t);
    }
    bzi_gdal_quiet_end(&q);
    return rc;
}

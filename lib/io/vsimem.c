/*
 * io/vsimem.c — bytes in and out of GDAL's in-memory file system ("/vsimem/..."), so that
 * callers without GDAL's headers (the Python package, C programs linking only us) can read
 * from memory with bz_read_* and collect what a writer committed there.
 */
/* GDAL's VSIStatBufL is glibc's struct stat64, which needs this before any system header. */
#define _LARGEFILE64_SOURCE 1

#include "io/gdal.h"
#include "core/context.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define VSIMEM_PREFIX "/vsimem/"

/* Only GDAL's in-memory file system: these functions must never touch real files. */
static int check_path(bz_context *ctx, const char *fn, const char *path)
{
    if (!path)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "%s: NULL path", fn);
    size_t k = strlen(VSIMEM_PREFIX);
    if (strncmp(path, VSIMEM_PREFIX, k) != 0 || path[k] == '\0')
        return bzi_error(ctx, BZ_ERR_ARGUMENT,
                         "%s: '%s' is not an in-memory path (it must start with %s and name a "
                         "file)",
                         fn, path, VSIMEM_PREFIX);
    return BZ_OK;
}

int bz_vsimem_put(bz_context *ctx, const char *path, const void *data, size_t size)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    int rc = check_path(ctx, "bz_vsimem_put", path);
    if (rc != BZ_OK)
        return rc;
    if (!data && size > 0)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_vsimem_put: NULL data of %zu bytes", size);
    /* GDAL takes ownership of a buffer from its own allocator (it frees it with VSIFree). */
    GByte *copy = VSIMalloc(size ? size : 1);
    if (!copy)
        return bzi_nomem(ctx, "copying bytes into an in-memory file");
    if (size)
        memcpy(copy, data, size);
    bzi_gdal_quiet q;
    bzi_gdal_quiet_begin(&q);
    VSILFILE *f = VSIFileFromMemBuffer(path, copy, (vsi_l_offset)size, TRUE);
    if (!f) {
        rc = bzi_error(ctx, BZ_ERR_IO, "cannot make the in-memory file %s: %s", path,
                       bzi_gdal_msg(&q));
        VSIFree(copy); /* not taken over on failure */
    } else {
        VSIFCloseL(f); /* the file stays, with its bytes, until bz_vsimem_unlink */
    }
    bzi_gdal_quiet_end(&q);
    return rc;
}

int bz_vsimem_get(unsigned char **out, size_t *size, bz_context *ctx, const char *path)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || !size)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_vsimem_get: NULL out or size");
    int rc = check_path(ctx, "bz_vsimem_get", path);
    if (rc != BZ_OK)
        return rc;
    *out = NULL;
    bzi_gdal_quiet q;
    bzi_gdal_quiet_begin(&q);
    /* The stat tells a missing file or a directory from an empty file, whose buffer GDAL may
     * hand out as NULL. */
    VSIStatBufL st;
    if (VSIStatL(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        bzi_gdal_quiet_end(&q);
        return bzi_error(ctx, BZ_ERR_NOT_FOUND, "no in-memory file %s", path);
    }
    vsi_l_offset len = 0;
    const GByte *buf = VSIGetMemFileBuffer(path, &len, FALSE);
    bzi_gdal_quiet_end(&q);
    if (!buf && len > 0)
        return bzi_error(ctx, BZ_ERR_NOT_FOUND, "no in-memory file %s", path);
    if ((unsigned long long)len > (unsigned long long)SIZE_MAX - 1)
        return bzi_nomem(ctx, "copying an in-memory file");
    unsigned char *copy = malloc((size_t)len ? (size_t)len : 1);
    if (!copy)
        return bzi_nomem(ctx, "copying an in-memory file");
    if (len)
        memcpy(copy, buf, (size_t)len);
    *out = copy;
    *size = (size_t)len;
    return BZ_OK;
}

int bz_vsimem_unlink(bz_context *ctx, const char *path)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    int rc = check_path(ctx, "bz_vsimem_unlink", path);
    if (rc != BZ_OK)
        return rc;
    bzi_gdal_quiet q;
    bzi_gdal_quiet_begin(&q);
    VSIUnlink(path); /* fails only when there is nothing to remove, which is fine */
    bzi_gdal_quiet_end(&q);
    return BZ_OK;
}

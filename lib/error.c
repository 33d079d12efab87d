/* error.c — the context's last-error record and the status names. */
#include "internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *bz_status_string(int status)
{
    switch (status) {
    case BZ_OK: return "success";
    case BZ_ERR_ARGUMENT: return "invalid argument";
    case BZ_ERR_GEOMETRY: return "invalid geometry";
    case BZ_ERR_TYPE: return "wrong geometry type";
    case BZ_ERR_PROJECTION: return "projection error";
    case BZ_ERR_IO: return "input/output error";
    case BZ_ERR_FORMAT: return "unreadable or corrupt data";
    case BZ_ERR_NOT_FOUND: return "not found";
    case BZ_ERR_EXISTS: return "output exists";
    case BZ_ERR_NOMEM: return "out of memory";
    case BZ_ERR_GEOS: return "geometry engine error";
    case BZ_ERR_ACCURACY: return "accuracy bound not met";
    case BZ_ERR_CANCELLED: return "cancelled";
    default: return "unknown status";
    }
}

int bzi_error(bz_context *ctx, int status, const char *fmt, ...)
{
    if (!ctx)
        return status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->errmsg, sizeof ctx->errmsg, fmt, ap);
    va_end(ap);
    ctx->status = status;
    return status;
}

int bzi_error_prefix(bz_context *ctx, const char *fmt, ...)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    char prefix[BZI_ERRMSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    if (n < 0)
        return ctx->status;
    size_t plen = strlen(prefix);
    size_t olen = strlen(ctx->errmsg);
    if (plen + olen >= sizeof ctx->errmsg)
        olen = sizeof ctx->errmsg - 1 - plen; /* keep the prefix, cut the old tail */
    memmove(ctx->errmsg + plen, ctx->errmsg, olen);
    memcpy(ctx->errmsg, prefix, plen);
    ctx->errmsg[plen + olen] = '\0';
    return ctx->status;
}

int bzi_check_options_version(bz_context *ctx, const char *fn, const char *type, int version,
                              int current)
{
    if (version >= 1 && version <= current)
        return BZ_OK;
    /* bz_read_options -> BZ_READ_OPTIONS_INIT, the macro that sets the version */
    char init[64];
    size_t n = 0;
    for (; type[n] && n + sizeof "_INIT" < sizeof init; n++)
        init[n] = (char)toupper((unsigned char)type[n]);
    snprintf(init + n, sizeof init - n, "_INIT");
    if (version == 0)
        return bzi_error(ctx, BZ_ERR_ARGUMENT,
                         "%s: %s version 0: the struct is not initialised (use %s)", fn, type,
                         init);
    return bzi_error(ctx, BZ_ERR_ARGUMENT,
                     "%s: %s version %d is not supported (this library knows %s 1 to %d; "
                     "initialise the struct with %s)",
                     fn, type, version, current == 1 ? "version" : "versions", current, init);
}

int bzi_geos_error(bz_context *ctx, const char *what)
{
    if (ctx->geos_msg[0])
        return bzi_error(ctx, BZ_ERR_GEOS, "%s: %s", what, ctx->geos_msg);
    return bzi_error(ctx, BZ_ERR_GEOS, "%s failed in GEOS", what);
}

int bzi_nomem(bz_context *ctx, const char *what)
{
    return bzi_error(ctx, BZ_ERR_NOMEM, "out of memory while %s", what);
}

const char *bz_errmsg(const bz_context *ctx)
{
    return ctx ? ctx->errmsg : "no context";
}

int bz_errcode(const bz_context *ctx)
{
    return ctx ? ctx->status : BZ_ERR_ARGUMENT;
}

void bz_context_clear_error(bz_context *ctx)
{
    if (!ctx)
        return;
    ctx->status = BZ_OK;
    ctx->errmsg[0] = '\0';
    ctx->geos_msg[0] = '\0';
}

/*
 * io/commit.c — committing a writer's output: the finished files in the temporary directory
 * beside the target are flushed to disk and moved into place, all or nothing; and the small
 * path helpers the writer shares with it.
 *
 * Every output is first written into a fresh temporary directory beside the target (same file
 * system, so the final rename is atomic); any failure removes the temporary directory and
 * leaves an existing target byte-identical.
 */
#include "io/commit.h"
#include "io/output.h"
#include "core/context.h"
#include "core/text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define class_suffix bzi_shp_class_suffix
#define shp_exts bzi_shp_exts

/* malloc'ed "a/b" (or "b" when a is NULL). */
char *bzi_path_join(const char *a, const char *b)
{
    size_t la = a ? strlen(a) : 0, lb = strlen(b);
    char *s = malloc(la + lb + 2);
    if (!s)
        return NULL;
    if (a) {
        memcpy(s, a, la);
        s[la] = '/';
        memcpy(s + la + 1, b, lb + 1);
    } else {
        memcpy(s, b, lb + 1);
    }
    return s;
}

static int path_exists(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0;
}

/* Remove the temporary directory and everything in it (it holds only files we made).
 * No allocation here: it runs on error paths, out-of-memory ones included. */
void bzi_tmpdir_remove(const char *tmpdir)
{
    DIR *d = opendir(tmpdir);
    if (d) {
        struct dirent *e;
        char p[PATH_MAX];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            int n = snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
            if (n > 0 && (size_t)n < sizeof p)
                unlink(p);
        }
        closedir(d);
    }
    rmdir(tmpdir);
}

static int shp_member(char *buf, size_t size, const bz_writer *w, int cls, const char *ext)
{
    return bzi_shp_member(buf, size, w->dir, w->stem, cls, ext);
}

/* ---------------------------------------------------------------------------------------- */
/* Commit: move the finished files into place                                               */
/* ---------------------------------------------------------------------------------------- */

/*
 * Commit moves files in two phases. First every path is worked out (all allocation happens
 * here, so running out of memory changes nothing on disk). Then each output file is moved into
 * place, and with overwrite each file it replaces (or, for Shapefile sets, each stale member of
 * a geometry type this result lacks) is first hard-linked into the temporary directory, so that
 * a failure half-way through can put the old files back.
 */
typedef struct move {
    char *from;   /* finished file in the temporary directory; NULL = only remove `to` */
    char *to;     /* its place beside the target (a symlink's final target: the link stays) */
    char *backup; /* where the old `to` is kept until the commit succeeds */
    int done, backed_up;
    int replaces;   /* `to` is a regular file: the new one gets its mode and owner */
    struct stat st; /* ... which are these */
} move;

static void free_moves(move *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(m[i].from);
        free(m[i].to);
        free(m[i].backup);
    }
    free(m);
}

static int add_move(bz_writer *w, move *m, const char *name, const char *to)
{
    m->to = to ? bzi_dup_text(to) : bzi_path_join(w->dir, name);
    m->from = to ? NULL : bzi_path_join(w->tmpdir, name);
    size_t n = strlen(w->tmpdir) + strlen(name) + 8;
    m->backup = malloc(n);
    if (!m->to || (!to && !m->from) || !m->backup)
        return bzi_nomem(w->ctx, "committing the output");
    snprintf(m->backup, n, "%s/.old-%s", w->tmpdir, name);
    if (!m->from || w->vsi)
        return BZ_OK; /* a stale member is removed by its own name, even a symlink */
    /* The output policy again, for each file (a Shapefile set's members were not looked at
     * by name until now): follow symlinks, refuse what is not a regular file. */
    bzi_target t;
    int rc = bzi_target_resolve(&t, w->ctx, m->to);
    if (rc == BZ_OK && t.kind == BZI_OUT_STREAM)
        rc = bzi_error(w->ctx, BZ_ERR_IO, "cannot write %s: %s is a FIFO or a device", w->path,
                       m->to);
    if (rc != BZ_OK) {
        bzi_target_clear(&t);
        return rc;
    }
    free(m->to);
    m->to = t.path;
    m->replaces = t.kind == BZI_OUT_FILE;
    m->st = t.st;
    return BZ_OK;
}

/* The number of finished files in a virtual temporary directory's listing. */
static size_t count_vsi(char **names)
{
    size_t n = 0;
    for (char **p = names; p && *p; p++)
        n += (*p)[0] != '.';
    return n;
}

/* Overwriting a Shapefile set: members of geometry types this result does not have belong
 * to an older result and would be taken for part of this one. */
static int is_stale_class(const bz_writer *w, int cls)
{
    if (w->layout != LAYOUT_PER_TYPE || !w->overwrite)
        return 0;
    for (size_t i = 0; i < w->nlayers; i++)
        if (w->layers[i].cls == cls)
            return 0;
    return 1;
}

static int plan_moves(bz_writer *w, move **out, size_t *count)
{
    if (w->vsi) {
        char **names = VSIReadDir(w->tmpdir);
        size_t files = count_vsi(names);
        move *m = calloc(files ? files : 1, sizeof *m);
        if (!m) {
            CSLDestroy(names);
            return bzi_nomem(w->ctx, "committing the output");
        }
        size_t n = 0;
        int rc = BZ_OK;
        for (char **p = names; rc == BZ_OK && p && *p; p++)
            if ((*p)[0] != '.')
                rc = add_move(w, &m[n++], *p, NULL);
        CSLDestroy(names);
        if (rc != BZ_OK) {
            free_moves(m, n);
            return rc;
        }
        *out = m;
        *count = n;
        return BZ_OK;
    }
    DIR *d = opendir(w->tmpdir);
    if (!d)
        return bzi_error(w->ctx, BZ_ERR_IO, "cannot list %s: %s", w->tmpdir, strerror(errno));
    size_t files = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        files += e->d_name[0] != '.';
    size_t nexts = sizeof shp_exts / sizeof shp_exts[0], cap = files + 3 * nexts;
    move *m = calloc(cap, sizeof *m);
    if (!m) {
        closedir(d);
        return bzi_nomem(w->ctx, "committing the output");
    }
    size_t n = 0;
    int rc = BZ_OK;
    rewinddir(d);
    while (rc == BZ_OK && (e = readdir(d)) != NULL && n < files)
        if (e->d_name[0] != '.')
            rc = add_move(w, &m[n++], e->d_name, NULL);
    closedir(d);
    char stale[PATH_MAX], name[PATH_MAX];
    for (int cls = 0; rc == BZ_OK && cls < 3; cls++) {
        for (size_t x = 0; is_stale_class(w, cls) && rc == BZ_OK && x < nexts; x++) {
            if (!shp_member(stale, sizeof stale, w, cls, shp_exts[x]) || !path_exists(stale))
                continue;
            snprintf(name, sizeof name, "%s_%s.%s", w->stem, class_suffix[cls], shp_exts[x]);
            rc = add_move(w, &m[n++], name, stale);
        }
    }
    if (rc != BZ_OK) {
        free_moves(m, n);
        return rc;
    }
    *out = m;
    *count = n;
    return BZ_OK;
}

/* GDAL's virtual files have no link(): check, then rename. */
static int do_move_vsi(bz_writer *w, move *m)
{
    int exists = bzi_vsi_exists(m->to);
    if (exists && !w->overwrite)
        return bzi_error(w->ctx, BZ_ERR_EXISTS, "%s exists", m->to);
    if (exists && VSIRename(m->to, m->backup) == 0)
        m->backed_up = 1;
    else if (exists)
        return bzi_error(w->ctx, BZ_ERR_IO, "cannot replace %s", m->to);
    if (m->from && VSIRename(m->from, m->to) != 0)
        return bzi_error(w->ctx, BZ_ERR_IO, "cannot move the output into place as %s", m->to);
    return BZ_OK;
}

/* Put one file in place. Without overwrite, link() refuses to clobber a file that appeared
 * since bz_writer_open (file systems without hard links: check, then rename). */
static int do_move(bz_writer *w, move *m)
{
    if (w->vsi)
        return do_move_vsi(w, m);
    if (m->replaces && w->overwrite) {
        int rc = bzi_keep_attributes(w->ctx, m->from, &m->st, m->to);
        if (rc != BZ_OK)
            return rc;
    }
    if (!w->overwrite) {
        if (link(m->from, m->to) == 0) {
            unlink(m->from);
            return BZ_OK;
        }
        if (errno == EEXIST || path_exists(m->to))
            return bzi_error(w->ctx, BZ_ERR_EXISTS, "%s exists", m->to);
    } else if (path_exists(m->to) && link(m->to, m->backup) == 0) {
        m->backed_up = 1;
    }
    int failed = m->from ? rename(m->from, m->to) != 0 : unlink(m->to) != 0;
    if (failed)
        return bzi_error(w->ctx, BZ_ERR_IO, "cannot %s %s: %s",
                         m->from ? "move the output into place as" : "remove the stale", m->to,
                         strerror(errno));
    return BZ_OK;
}

/* Undo the moves done so far, newest first: restore what was replaced, remove what is new. */
static void undo_moves(move *m, size_t n, int vsi)
{
    for (size_t i = n; i-- > 0;) {
        if (!m[i].done)
            continue;
        if (vsi && m[i].from)
            VSIUnlink(m[i].to); /* VSIRename need not replace an existing name */
        if (m[i].backed_up)
            vsi ? VSIRename(m[i].backup, m[i].to) : rename(m[i].backup, m[i].to);
        else if (m[i].from && !vsi)
            unlink(m[i].to);
    }
}

int bzi_commit_move(bz_writer *w)
{
    move *m = NULL;
    size_t n = 0;
    int rc = plan_moves(w, &m, &n);
    for (size_t i = 0; rc == BZ_OK && i < n; i++) {
        rc = do_move(w, &m[i]);
        m[i].done = rc == BZ_OK;
    }
    if (rc != BZ_OK)
        undo_moves(m, n, w->vsi);
    free_moves(m, n);
    return rc;
}

/* Flush every finished file to the disk, so that a full disk shows now and not after the
 * rename has replaced the old output. */
int bzi_commit_sync(bz_writer *w)
{
    DIR *d = opendir(w->tmpdir);
    if (!d)
        return bzi_error(w->ctx, BZ_ERR_IO, "cannot list %s: %s", w->tmpdir, strerror(errno));
    int rc = BZ_OK;
    struct dirent *e;
    char p[PATH_MAX];
    while (rc == BZ_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        int n = snprintf(p, sizeof p, "%s/%s", w->tmpdir, e->d_name);
        int fd = n > 0 && (size_t)n < sizeof p ? open(p, O_RDONLY) : -1;
        if (fd < 0 || fsync(fd) != 0)
            rc = bzi_error(w->ctx, BZ_ERR_IO, "writing %s: cannot flush %s to disk: %s", w->path,
                           e->d_name, strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    closedir(d);
    return rc;
}

/*
 * io/commit.h — committing a writer's output (commit.c): flushing and moving the finished
 * files into place, all or nothing; the temporary directory's removal; path joining.
 */
#ifndef BZ_IO_COMMIT_H
#define BZ_IO_COMMIT_H

#include "io/writer_state.h"

/* malloc'ed "a/b" (or "b" when a is NULL); NULL when out of memory. */
char *bzi_path_join(const char *a, const char *b);

/* Remove the temporary directory and everything in it (it holds only files we made). No
 * allocation: it runs on error paths, out-of-memory ones included. */
void bzi_tmpdir_remove(const char *tmpdir);

/* Flush every finished file in w->tmpdir to the disk, so that a full disk shows now and not
 * after the rename has replaced the old output. */
int bzi_commit_sync(bz_writer *w);

/* Move the finished files into place (with overwrite: replacing the old ones, and the stale
 * members of a Shapefile set), all or nothing: a failure half-way puts the old files back. */
int bzi_commit_move(bz_writer *w);

#endif

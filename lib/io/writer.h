/*
 * io/writer.h — what the other files of the writer need of writer.c (the public bz_writer_*
 * functions are in bufferzone.h).
 */
#ifndef BZ_IO_WRITER_H
#define BZ_IO_WRITER_H

#include "io/writer_state.h"

/* Free a writer and all it holds; removes what is left of its temporary directory. */
void bzi_writer_free(bz_writer *w);

/* bz_writer_add for n features in order (attrs[i] may be NULL), with the same result, the same
 * bytes and the same first failure; GeoJSON's features are formatted side by side on the
 * writer's context's threads. */
int bzi_writer_add_all(bz_writer *w, size_t n, const GEOSGeometry *const *g,
                       const bz_feature_attrs *const *attrs);

#endif

/*
 * io/writer.h — what the other files of the writer need of writer.c (the public bz_writer_*
 * functions are in bufferzone.h).
 */
#ifndef BZ_IO_WRITER_H
#define BZ_IO_WRITER_H

#include "io/writer_state.h"

/* Free a writer and all it holds; removes what is left of its temporary directory. */
void bzi_writer_free(bz_writer *w);

#endif

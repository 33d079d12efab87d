/* core/text.h — small string helpers (text.c). */
#ifndef BZ_CORE_TEXT_H
#define BZ_CORE_TEXT_H

#include <stddef.h>

/* A malloc'ed copy of the string s, or NULL when out of memory. */
char *bzi_dup_text(const char *s);

#endif

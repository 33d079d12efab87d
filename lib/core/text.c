/* text.c — small string helpers. */
#include "core/text.h"

#include <stdlib.h>
#include <string.h>

char *bzi_dup_text(const char *s)
{
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (c)
        memcpy(c, s, n + 1);
    return c;
}

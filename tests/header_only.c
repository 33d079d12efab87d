/* Compiled with -std=c11 -pedantic -Werror by the header_standalone test: the public header
 * must need nothing else, and must coexist with <geos_c.h> in either order. */
#include <bufferzone.h>
#include <geos_c.h>

int main(void)
{
    bz_context *ctx = bz_context_new();
    bz_read_options ro = BZ_READ_OPTIONS_INIT;
    bz_zone_options zo = BZ_ZONE_OPTIONS_INIT;
    bz_feature_attrs fa = BZ_FEATURE_ATTRS_INIT;
    bz_look lk = BZ_LOOK_INIT;
    (void)ro;
    (void)zo;
    (void)fa;
    (void)lk;
    bz_context_free(ctx);
    return 0;
}

/* test_context.c — the context: creation, errors, NULL safety, threads setting, version. */
#include <bufferzone.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static void test_new_free(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    assert_non_null(ctx);
    assert_int_equal(bz_errcode(ctx), BZ_OK);
    assert_string_equal(bz_errmsg(ctx), "");
    assert_non_null(bz_context_geos(ctx));
    bz_context_free(ctx);
    bz_context_free(NULL); /* no-op */
}

static void test_free_null_is_noop(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    bz_free(NULL);
    bz_geometry_free(ctx, NULL);
    bz_context_free(ctx);
}

static void test_threads_setting(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    assert_int_equal(bz_context_set_threads(ctx, 4), BZ_OK);
    assert_int_equal(bz_context_set_threads(ctx, 0), BZ_OK);
    assert_int_equal(bz_context_set_threads(ctx, -1), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_errcode(ctx), BZ_ERR_ARGUMENT);
    assert_non_null(strstr(bz_errmsg(ctx), "-1"));
    bz_context_clear_error(ctx);
    assert_int_equal(bz_errcode(ctx), BZ_OK);
    assert_string_equal(bz_errmsg(ctx), "");
    bz_context_free(ctx);
}

/* The documented cap: 64 threads at most; more is an argument error naming the number. */
static void test_threads_cap(void **state)
{
    (void)state;
    bz_context *ctx = bz_context_new();
    assert_int_equal(BZ_MAX_THREADS, 64);
    assert_int_equal(bz_context_set_threads(ctx, 64), BZ_OK);
    const int too_many[] = {65, 100000, 2147483647};
    for (int i = 0; i < 3; i++) {
        char number[16];
        snprintf(number, sizeof number, "%d", too_many[i]);
        assert_int_equal(bz_context_set_threads(ctx, too_many[i]), BZ_ERR_ARGUMENT);
        assert_non_null(strstr(bz_errmsg(ctx), number));
        assert_non_null(strstr(bz_errmsg(ctx), "64"));
        bz_context_clear_error(ctx);
    }
    bz_context_free(ctx);
}

static void test_status_strings(void **state)
{
    (void)state;
    assert_string_equal(bz_status_string(BZ_OK), "success");
    assert_string_equal(bz_status_string(BZ_ERR_ARGUMENT), "invalid argument");
    assert_string_equal(bz_status_string(BZ_ERR_NOMEM), "out of memory");
    for (int s = BZ_ERR_CANCELLED; s <= BZ_OK; s++)
        assert_string_not_equal(bz_status_string(s), "unknown status");
    assert_string_equal(bz_status_string(BZ_ERR_CANCELLED), "cancelled");
    assert_string_equal(bz_status_string(12345), "unknown status");
}

static void test_version(void **state)
{
    (void)state;
    assert_string_equal(bz_version(), BZ_VERSION);
}

static void test_two_contexts_keep_their_own_errors(void **state)
{
    (void)state;
    bz_context *a = bz_context_new();
    bz_context *b = bz_context_new();
    assert_int_equal(bz_context_set_threads(a, -5), BZ_ERR_ARGUMENT);
    assert_int_equal(bz_errcode(b), BZ_OK);
    assert_string_equal(bz_errmsg(b), "");
    bz_context_free(a);
    bz_context_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_free),
        cmocka_unit_test(test_free_null_is_noop),
        cmocka_unit_test(test_threads_cap),
        cmocka_unit_test(test_threads_setting),
        cmocka_unit_test(test_status_strings),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_two_contexts_keep_their_own_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

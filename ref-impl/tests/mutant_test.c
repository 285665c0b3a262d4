/* mutant_test.c: the library under test carries no deliberate fault of `make mutants`. */
#include <check.h>
#include "stirmls/mutant.h"

START_TEST(default_build_has_no_mutant)
{
    ck_assert_int_eq(stirmls_mutant_id(), 0);
}
END_TEST

Suite *mutant_suite(void);
Suite *mutant_suite(void)
{
    Suite *s = suite_create("mutant");
    TCase *tc = tcase_create("none");
    tcase_add_test(tc, default_build_has_no_mutant);
    suite_add_tcase(s, tc);
    return s;
}

/* harness_check_main.c: runs the harness test suites. */
#include <check.h>
#include <stdlib.h>

Suite *run_suite(void);
Suite *unit_suite(void);
Suite *cli_suite(void);
Suite *x5u_suite(void);
Suite *diff_suite(void);
Suite *merge_suite(void);
Suite *record_suite(void);
Suite *outcome_suite(void);

int main(void)
{
    SRunner *sr = srunner_create(unit_suite());
    srunner_add_suite(sr, run_suite());
    srunner_add_suite(sr, cli_suite());
    srunner_add_suite(sr, x5u_suite());
    srunner_add_suite(sr, diff_suite());
    srunner_add_suite(sr, merge_suite());
    srunner_add_suite(sr, record_suite());
    srunner_add_suite(sr, outcome_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* hxtest.h: helpers for the harness tests (run the harness and the fakes, read reports). */
#ifndef STIRMLS_HXTEST_H
#define STIRMLS_HXTEST_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

/* Paths from the environment set by harness.mk: HX_HARNESS, HX_FAKE_DIR, HX_DATA. */
const char *hxt_harness(void);
char *hxt_fake(void);              /* path of fake-impl, owned */
char *hxt_vectors(void);           /* the test vectors directory, owned */
char *hxt_tmpdir(void);            /* fresh directory, owned */
void hxt_rmdir(const char *dir);
/* Runs argv (NULL-terminated); stdout and stderr go to DIR/stdout.txt and DIR/stderr.txt. */
int hxt_run(char *const *argv, const char *dir);
char *hxt_slurp(const char *dir, const char *name, size_t *len); /* owned, NULL if missing */
/* "case=VERDICT ..." in report order, owned */
char *hxt_verdicts(const char *outdir);
/* `stirmls-harness run` of the fake implementation as NAME in MODE over the vectors VEC, with
 * extra options (split on spaces), its report in DIR/RUN; its exit status (0 or 1 for a finished
 * run; anything else is said on stderr). */
int hxt_fake_run(const char *dir, const char *run, const char *name, const char *mode, const char *vec,
                 const char *extra);
/* Splits s on spaces into argv appended to argv[*n] (strings owned by the caller's arena). */
void hxt_split(char **argv, int *n, int max, char *s);

#endif

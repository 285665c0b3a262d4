/* testlib.h: helpers for the unit tests (hex, files from the repository, the MLS working group's vectors, the CLI). */
#ifndef STIRMLS_TESTLIB_H
#define STIRMLS_TESTLIB_H

#include <stddef.h>
#include <stdint.h>

/* Decode hex (aborts the test on bad hex); owned, free(). */
uint8_t *tl_hex(const char *hex, size_t *len);
/* Path under the repository root ($STIRMLS_ROOT, default "."); static buffer. */
const char *tl_repo_path(const char *rel);
/* Path of one of the MLS working group's official vector files copied into the repository
 * (ref-impl/tests/data/mlswg/NAME, README there); static buffer. */
const char *tl_mlswg_path(const char *name);
/* Read a whole file; owned, NUL-terminated, free(). NULL when missing. */
char *tl_read(const char *path, size_t *len);
/* Run a program: argv[0] is looked up on PATH (or is a path), argv NULL-terminated; stdin is
 * /dev/null, stdout/stderr captured (owned, free()); returns the exit status, or -1 if it did not
 * exit normally (127: could not be executed). */
int tl_run(const char *const *argv, char **out, char **err);
/* Run the CLI: argv without the program name, NULL-terminated; stdout/stderr captured
 * (owned, free()); returns the exit status, or -1 if it did not exit normally. */
int tl_run_cli(const char *const *args, char **out, char **err);
/* A fresh temporary directory (owned string, free()); removed by tl_rmdir. */
char *tl_tmpdir(void);
void tl_rmdir(const char *dir);
/* 1 when an executable is on PATH or at that absolute path. */
int tl_have(const char *prog);

#endif

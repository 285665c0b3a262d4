/* cli_json.c: running the CLI under its contract (cli_json.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testlib/cli_json.h"
#include "testlib/testlib.h"

void tl_write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    fclose(f);
}

json_t *tl_cli_json(const char *const *args, int want_exit)
{
    char *out = NULL, *err = NULL;
    int st = tl_run_cli(args, &out, &err);
    ck_assert_msg(st == want_exit, "%s %s: exit %d want %d; stdout: %s stderr: %s", args[0],
                  args[1] ? args[1] : "", st, want_exit, out, err);
    json_t *j = NULL;
    if (st != 2) {
        j = json_loads(out, 0, NULL);
        ck_assert_msg(j != NULL, "not JSON: %s", out);
    } else {
        ck_assert_msg(err && strchr(err, '\n') == strrchr(err, '\n'), "usage: one stderr line");
    }
    free(out), free(err);
    return j;
}

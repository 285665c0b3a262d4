/* expectations_fuzz.c: the harness's expectation-file loader (harness/src/expectations.c: YAML
 * skip / xfail / policy, strict keys) and the case-id glob matching done with what it loads.
 * The input is the file (written to a scratch file: the loader reads a path).
 * Invariants: a failed load sets an error that names the file; a loaded file has an entry for
 * every skip/xfail item with a pattern and a non-empty reason, policy values accept or reject;
 * cleanup frees everything (LeakSanitizer). */
#include <unistd.h>
#include "fuzz.h"
#include "harness.h"

static char path[300];

static void cleanup(void)
{
    unlink(path);
}

static void setup(void)
{
    if (path[0])
        return;
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/stirmls-expectations-fuzz-XXXXXX", tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    FUZZ_CHECK(fd >= 0);
    close(fd);
    atexit(cleanup);
}

static void check_entries(const hx_exp_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(v[i].pattern != NULL && v[i].reason != NULL && v[i].reason[0] != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const ids[] = {"ppt/shaken-valid", "malformed/b64-padding", "", "a[b]*?\\"};
    setup();
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL && (size == 0 || fwrite(data, 1, size, f) == size) && fclose(f) == 0);
    hx_expectations e;
    char *err = NULL;
    int rc = hx_expectations_load(&e, "fuzz", path, &err);
    if (rc != 0) {
        FUZZ_CHECK(err != NULL && strncmp(err, path, strlen(path)) == 0);
    } else {
        FUZZ_CHECK(err == NULL);
        check_entries(e.skip, e.nskip);
        check_entries(e.xfail, e.nxfail);
        const char *k;
        json_t *v;
        json_object_foreach(e.policy, k, v) {
            const char *s = json_string_value(v);
            FUZZ_CHECK(s != NULL && (strcmp(s, "accept") == 0 || strcmp(s, "reject") == 0));
        }
        for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
            (void)hx_expectations_skip(&e, ids[i]);
            (void)hx_expectations_xfail(&e, ids[i]);
        }
    }
    free(err);
    hx_expectations_cleanup(&e);
    return 0;
}

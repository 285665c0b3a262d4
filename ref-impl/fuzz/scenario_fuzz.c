/* scenario_fuzz.c: the scenario loader of the vector generator (ref-impl/vectorgen/load.c over
 * ytree.c and libyaml): strict keys, types, references, positioned errors.
 * Input: a family file, loaded as scenarios/f.yaml next to the real scenarios/pki.yaml (read
 * once from $STIRMLS_ROOT, default "."); or "PKI NUL FAMILY", both files from the input.
 * Invariants: a load gives either a model with one family named "f" (pkis an object) or a
 * non-empty error that names the file it is about ("DIR/pki.yaml" or "DIR/f.yaml"). */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fuzz.h"
#include "model.h"

static char dir[256], pki_path[300], fam_path[300];
static char *fixed_pki;
static size_t fixed_pki_len;

static void cleanup(void)
{
    unlink(pki_path);
    unlink(fam_path);
    rmdir(dir);
}

static void setup(void)
{
    if (dir[0])
        return;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/stirmls-scenario-fuzz-XXXXXX", tmp ? tmp : "/tmp");
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    snprintf(pki_path, sizeof pki_path, "%s/pki.yaml", dir);
    snprintf(fam_path, sizeof fam_path, "%s/f.yaml", dir);
    atexit(cleanup);
    char path[4096];
    const char *root = getenv("STIRMLS_ROOT");
    snprintf(path, sizeof path, "%s/scenarios/pki.yaml", root ? root : ".");
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "scenario_fuzz: cannot read %s (run from the repository or set STIRMLS_ROOT)\n", path);
        abort();
    }
    static char buf[65536];
    fixed_pki_len = fread(buf, 1, sizeof buf, f);
    fixed_pki = buf;
    fclose(f);
}

static void put(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(n == 0 || fwrite(p, 1, n, f) == n);
    FUZZ_CHECK(fclose(f) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    const uint8_t *nul = memchr(data, 0, size);
    if (nul != NULL) {
        put(pki_path, data, (size_t)(nul - data));
        put(fam_path, nul + 1, size - (size_t)(nul - data) - 1);
    } else {
        put(pki_path, fixed_pki, fixed_pki_len);
        put(fam_path, data, size);
    }
    char err[1024] = "";
    json_t *model = vg_load(dir, err, sizeof err);
    if (model == NULL) {
        FUZZ_CHECK(err[0] != 0);
        FUZZ_CHECK(strncmp(err, pki_path, strlen(pki_path)) == 0 || strncmp(err, fam_path, strlen(fam_path)) == 0);
        return 0;
    }
    json_t *fams = json_object_get(model, "families");
    FUZZ_CHECK(json_is_object(json_object_get(model, "pkis")));
    FUZZ_CHECK(json_array_size(fams) == 1);
    FUZZ_CHECK(strcmp(json_string_value(json_object_get(json_array_get(fams, 0), "family")), "f") == 0);
    /* every case time resolves or is reported invalid, never crashes */
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(json_array_get(fams, 0), "cases"), i, c) {
        uint64_t t;
        (void)vg_time(json_object_get(c, "at"), 1780272000u, &t);
    }
    json_decref(model);
    return 0;
}

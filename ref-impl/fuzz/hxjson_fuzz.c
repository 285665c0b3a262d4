/* hxjson_fuzz.c: the harness's own JSON reader and writer (harness/src/jsonr.c, jsonw.c), which
 * read implementations' answers and write every report, checked against jansson as the oracle.
 * Invariants: hx_json_read never returns a value where json_loadb (duplicates rejected, text
 * after the value allowed) fails, and when it returns one it is json_equal to jansson's and ends
 * at the same offset; hx_jw_dumps writes exactly json_dumps's bytes for the flag combinations
 * the harness uses. */
#include "fuzz.h"
#include "harness.h"

static void same_dump(const json_t *v, int hx, size_t jflags)
{
    size_t n = 0;
    char *want = json_dumps(v, jflags | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    char *got = hx_jw_dumps(v, hx, &n);
    FUZZ_CHECK(want != NULL && got != NULL);
    FUZZ_CHECK(strcmp(want, got) == 0 && n == strlen(want));
    free(want);
    free(got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *t = (const char *)data;
    size_t end = 0;
    json_error_t err;
    json_t *want = json_loadb(t, size, JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &err);
    json_t *got = hx_json_read(t, size, &end);
    if (got != NULL) {
        FUZZ_CHECK(want != NULL && json_equal(got, want));
        FUZZ_CHECK(end == (size_t)err.position);
    }
    if (want != NULL && (json_is_object(want) || json_is_array(want))) {
        same_dump(want, 0, JSON_COMPACT);
        same_dump(want, HX_JW_INDENT1, JSON_INDENT(1));
        same_dump(want, HX_JW_ASCII, JSON_COMPACT | JSON_ENSURE_ASCII);
    }
    json_decref(got);
    json_decref(want);
    return 0;
}

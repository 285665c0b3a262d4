/* json_fuzz.c: the JSON wrapper. Deterministic round trip: parse -> serialize -> parse ->
 * serialize gives identical text, and that text passes check_deterministic. The accessors run
 * over the parsed tree. */
#include "fuzz.h"

static void walk(const stirmls_json *j, int depth)
{
    int64_t i;
    size_t n = stirmls_json_size(j);
    if (depth > 64)
        return;
    switch (stirmls_json_typeof(j)) {
    case STIRMLS_JSON_OBJECT:
        for (void *it = stirmls_json_iter(j); it; it = stirmls_json_iter_next(j, it)) {
            const char *k = stirmls_json_iter_key(it);
            FUZZ_CHECK(stirmls_json_get(j, k) == stirmls_json_iter_value(it));
            walk(stirmls_json_iter_value(it), depth + 1);
        }
        break;
    case STIRMLS_JSON_ARRAY:
        for (size_t k = 0; k < n; k++)
            walk(stirmls_json_at(j, k), depth + 1);
        FUZZ_CHECK(stirmls_json_at(j, n) == NULL);
        break;
    case STIRMLS_JSON_STRING:
        FUZZ_CHECK(stirmls_json_string(j, NULL) != NULL);
        break;
    case STIRMLS_JSON_INTEGER:
        FUZZ_CHECK(stirmls_json_int(j, &i) == 1);
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_json *j = NULL, *j2 = NULL;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason r = stirmls_json_parse(data, size, &j, &d);
    stirmls_reason det = stirmls_json_check_deterministic(data, size, NULL);
    if (r != STIRMLS_R_OK) {
        FUZZ_CHECK(j == NULL && d.reason == r && det == r);
        return 0;
    }
    walk(j, 0);
    stirmls_buf t1, t2;
    stirmls_buf_init(&t1);
    stirmls_buf_init(&t2);
    FUZZ_CHECK(stirmls_json_serialize(j, &t1) == STIRMLS_R_OK);
    FUZZ_CHECK(stirmls_json_parse(t1.ptr, t1.len, &j2, NULL) == STIRMLS_R_OK);
    FUZZ_CHECK(stirmls_json_serialize(j2, &t2) == STIRMLS_R_OK);
    FUZZ_SAME(t1.ptr, t1.len, t2.ptr, t2.len);
    FUZZ_CHECK(stirmls_json_check_deterministic(t1.ptr, t1.len, NULL) == STIRMLS_R_OK);
    /* the input is deterministic exactly when it is its own serialization */
    int same = t1.len == size && memcmp(t1.ptr, data, size) == 0;
    FUZZ_CHECK((det == STIRMLS_R_OK) == same);
    stirmls_buf_cleanup(&t1);
    stirmls_buf_cleanup(&t2);
    stirmls_json_free(j);
    stirmls_json_free(j2);
    return 0;
}

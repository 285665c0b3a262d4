/* hex_fuzz.c: hex decoding; what decodes re-encodes (lower case) to text that decodes to the
 * same bytes. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *out = NULL, *out2 = NULL;
    size_t n = 0, n2 = 0;
    if (stirmls_hex_decode((const char *)data, size, &out, &n) != STIRMLS_R_OK)
        return 0;
    char *txt = malloc(2 * n + 1);
    FUZZ_CHECK(txt != NULL);
    stirmls_hex_encode(out, n, txt);
    FUZZ_CHECK(strlen(txt) == 2 * n);
    FUZZ_CHECK(stirmls_hex_decode(txt, 2 * n, &out2, &n2) == STIRMLS_R_OK);
    FUZZ_SAME(out, n, out2, n2);
    free(txt);
    free(out);
    free(out2);
    return 0;
}

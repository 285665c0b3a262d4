/* pemblock_fuzz.c: the PEM CERTIFICATE-block reader. On failure the list is untouched (outputs
 * are written only on success); on success 1..16 blocks, each no longer than the input. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_der_list l;
    stirmls_detail d;
    memset(&l, 0, sizeof l);
    stirmls_detail_init(&d);
    stirmls_reason r = stirmls_pem_certificates((const char *)data, size, &l, &d);
    if (r != STIRMLS_R_OK) {
        FUZZ_CHECK(d.reason == r && l.n == 0);
        stirmls_der_list_cleanup(&l);
        return 0;
    }
    FUZZ_CHECK(l.n >= 1 && l.n <= STIRMLS_PEM_MAX_BLOCKS);
    for (size_t i = 0; i < l.n; i++)
        FUZZ_CHECK(l.der[i] != NULL && l.len[i] <= size);
    stirmls_der_list_cleanup(&l);
    return 0;
}

/* credential_fuzz.c: MLS Credential decode; round trip: decode, encode, decode gives the same
 * value and the identical bytes. */
#include "mls_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_cred_codepoints cp;
    stirmls_credential c, c2;
    stirmls_detail d;
    stirmls_cred_codepoints_default(&cp);
    stirmls_detail_init(&d);
    if (stirmls_credential_decode(data, size, &cp, &c, &d) != STIRMLS_R_OK)
        return 0;
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_credential_write(&b, &c);
    FUZZ_CHECK(stirmls_buf_status(&b) == STIRMLS_R_OK);
    FUZZ_SAME(b.ptr, b.len, data, size);
    FUZZ_CHECK(stirmls_credential_decode(b.ptr, b.len, &cp, &c2, NULL) == STIRMLS_R_OK);
    /* c2 borrows from b, c from data: compare by value */
    same_credential(&c, &c2);
    stirmls_buf_cleanup(&b);
    return 0;
}

/* keypackage_fuzz.c: bare KeyPackage decode; round trip (same value, identical bytes), TBS
 * encoding, KeyPackageRef and full verification with the default validators. */
#include "mls_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_cred_codepoints cp;
    stirmls_keypackage kp, kp2;
    stirmls_cred_codepoints_default(&cp);
    if (stirmls_keypackage_decode(data, size, &cp, &kp, NULL) != STIRMLS_R_OK)
        return 0;
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_keypackage_write(&b, &kp);
    FUZZ_CHECK(stirmls_buf_status(&b) == STIRMLS_R_OK);
    FUZZ_SAME(b.ptr, b.len, data, size);
    FUZZ_CHECK(stirmls_keypackage_decode(b.ptr, b.len, &cp, &kp2, NULL) == STIRMLS_R_OK);
    same_keypackage(&kp, &kp2);
    stirmls_buf_reset(&b);
    stirmls_keypackage_write_tbs(&b, &kp);
    FUZZ_CHECK(stirmls_buf_status(&b) == STIRMLS_R_OK);
    stirmls_buf_cleanup(&b);
    verify_keypackage(&kp);
    return 0;
}

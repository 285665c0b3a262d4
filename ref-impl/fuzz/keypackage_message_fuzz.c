/* keypackage_message_fuzz.c: a KeyPackage inside an MLSMessage (and decode_any, which falls back
 * to the bare form); round trip of whichever form decoded, then verification. */
#include "mls_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_cred_codepoints cp;
    stirmls_keypackage kp, kp2;
    int was_message = -1;
    stirmls_cred_codepoints_default(&cp);
    stirmls_reason rm = stirmls_keypackage_decode_message(data, size, &cp, &kp, NULL);
    if (stirmls_keypackage_decode_any(data, size, &cp, &kp, &was_message, NULL) != STIRMLS_R_OK)
        return 0;
    FUZZ_CHECK(was_message == (rm == STIRMLS_R_OK));
    stirmls_buf b;
    stirmls_buf_init(&b);
    if (was_message)
        stirmls_keypackage_write_message(&b, &kp);
    else
        stirmls_keypackage_write(&b, &kp);
    FUZZ_CHECK(stirmls_buf_status(&b) == STIRMLS_R_OK);
    FUZZ_SAME(b.ptr, b.len, data, size);
    FUZZ_CHECK(stirmls_keypackage_decode_any(b.ptr, b.len, &cp, &kp2, &was_message, NULL) ==
               STIRMLS_R_OK);
    same_keypackage(&kp, &kp2);
    stirmls_buf_cleanup(&b);
    verify_keypackage(&kp);
    return 0;
}

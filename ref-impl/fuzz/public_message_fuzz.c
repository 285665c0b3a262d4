/* public_message_fuzz.c: MLSMessage(PublicMessage) decode with a Proposal or a Commit; round
 * trip (identical bytes). */
#include "group_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_cred_codepoints cp;
    stirmls_public_message m;
    stirmls_cred_codepoints_default(&cp);
    if (stirmls_public_message_decode_message(data, size, &cp, &m, NULL) != STIRMLS_R_OK)
        return 0;
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_public_message_write_message(&b, &m);
    FUZZ_CHECK(stirmls_buf_status(&b) == STIRMLS_R_OK);
    FUZZ_SAME(b.ptr, b.len, data, size);
    stirmls_buf_cleanup(&b);
    FUZZ_CHECK(m.content_type >= STIRMLS_CONTENT_APPLICATION &&
               m.content_type <= STIRMLS_CONTENT_COMMIT);
    stirmls_public_message_cleanup(&m);
    return 0;
}

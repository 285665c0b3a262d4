/* group_info_fuzz.c: MLSMessage(GroupInfo) decode; round trip (identical bytes); the ratchet_tree
 * extension decoded and round-tripped when present; the GroupInfo checks run on whatever decodes
 * (no credential validator). */
#include "group_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_group_info gi;
    if (stirmls_group_info_decode_message(data, size, &gi, NULL) != STIRMLS_R_OK)
        return 0;
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_group_info_write_message(&b, &gi);
    FUZZ_CHECK(stirmls_buf_status(&b) == STIRMLS_R_OK);
    FUZZ_SAME(b.ptr, b.len, data, size);
    stirmls_buf_cleanup(&b);
    fuzz_group_info_checks(&gi);
    return 0;
}

/* commit_fuzz.c: Commit decode (proposals by value and by reference, optional UpdatePath);
 * round trip (identical bytes). */
#include "group_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_cred_codepoints cp;
    stirmls_commit c;
    stirmls_cred_codepoints_default(&cp);
    if (stirmls_commit_decode(data, size, &cp, &c, NULL) != STIRMLS_R_OK)
        return 0;
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_commit_write(&b, &c);
    FUZZ_CHECK(stirmls_buf_status(&b) == STIRMLS_R_OK);
    FUZZ_SAME(b.ptr, b.len, data, size);
    stirmls_buf_cleanup(&b);
    for (size_t i = 0; i < c.n_proposals; i++)
        FUZZ_CHECK(c.proposals[i].type == 1 || c.proposals[i].type == 2);
    stirmls_commit_cleanup(&c);
    return 0;
}

/* leafnode_fuzz.c: MLS LeafNode decode; round trip (same value, identical bytes); the TBS
 * encoding and the generic checks run on whatever decodes (no credential validator). */
#include "mls_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_cred_codepoints cp;
    stirmls_leafnode ln, ln2;
    stirmls_cred_codepoints_default(&cp);
    if (stirmls_leafnode_decode(data, size, &cp, &ln, NULL) != STIRMLS_R_OK)
        return 0;
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_leafnode_write(&b, &ln);
    FUZZ_CHECK(stirmls_buf_status(&b) == STIRMLS_R_OK);
    FUZZ_SAME(b.ptr, b.len, data, size);
    FUZZ_CHECK(stirmls_leafnode_decode(b.ptr, b.len, &cp, &ln2, NULL) == STIRMLS_R_OK);
    same_leafnode(&ln, &ln2);
    stirmls_buf_reset(&b);
    stirmls_leafnode_write_tbs(&b, &ln, stirmls_slice_str("group"), 7);
    FUZZ_CHECK(stirmls_buf_status(&b) == STIRMLS_R_OK);
    stirmls_buf_cleanup(&b);

    stirmls_mls_options o;
    stirmls_cred_validators v;
    stirmls_leaf_context ctx = {0};
    stirmls_detail d;
    stirmls_mls_options_default(&o);
    stirmls_cred_validators_default(&v);
    ctx.source = ln.source;
    ctx.group_id = stirmls_slice_str("group");
    ctx.leaf_index = 7;
    stirmls_detail_init(&d);
    stirmls_reason r = stirmls_leafnode_verify(&ln, &ctx, &o, &v, 1700000000, NULL, &d);
    FUZZ_CHECK(r == STIRMLS_R_OK || d.reason == r);
    return 0;
}

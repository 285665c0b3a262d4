/* ratchet_tree_fuzz.c: ratchet_tree<V> decode; round trip (identical bytes); tree hashes,
 * resolutions and parent hashes computed on whatever decodes. */
#include "group_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_cred_codepoints cp;
    stirmls_ratchet_tree t;
    stirmls_cred_codepoints_default(&cp);
    if (stirmls_ratchet_tree_decode(data, size, &cp, &t, NULL) != STIRMLS_R_OK)
        return 0;
    FUZZ_CHECK(t.n_wire <= t.n_nodes && t.n_nodes % 2 == 1);
    FUZZ_CHECK(t.nodes[t.n_wire - 1].type != STIRMLS_NODE_BLANK);
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_ratchet_tree_write(&b, &t);
    FUZZ_CHECK(stirmls_buf_status(&b) == STIRMLS_R_OK);
    FUZZ_SAME(b.ptr, b.len, data, size);
    stirmls_buf_cleanup(&b);
    fuzz_tree_checks(&t);
    stirmls_ratchet_tree_cleanup(&t);
    return 0;
}

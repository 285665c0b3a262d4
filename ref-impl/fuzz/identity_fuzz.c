/* identity_fuzz.c: the SIP Identity header value (token;info=<..>;alg=..;ppt=..): split, then the
 * token through the SIP-profile parser and the parameters against it. */
#include "fuzz.h"

static int inside(stirmls_slice s, const uint8_t *data, size_t size)
{
    return s.len == 0 || (s.ptr >= data && s.ptr + s.len <= data + size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_identity_params ip;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason r = stirmls_identity_split((const char *)data, size, &ip, &d);
    if (r != STIRMLS_R_OK) {
        FUZZ_CHECK(d.reason == r);
        return 0;
    }
    FUZZ_CHECK(ip.token.len > 0 && inside(ip.token, data, size) && inside(ip.info, data, size) &&
               inside(ip.alg, data, size) && inside(ip.ppt, data, size));
    stirmls_ppt_policy pol;
    stirmls_passport *p = NULL;
    stirmls_ppt_policy_init(&pol);
    pol.profile = STIRMLS_PPT_PROFILE_SIP;
    if (stirmls_passport_parse((const char *)ip.token.ptr, ip.token.len, &pol, &p, NULL) != STIRMLS_R_OK)
        return 0;
    stirmls_detail_init(&d);
    r = stirmls_identity_check(&ip, p, &d);
    FUZZ_CHECK(r == STIRMLS_R_OK || d.reason == r);
    stirmls_passport_free(p);
    return 0;
}

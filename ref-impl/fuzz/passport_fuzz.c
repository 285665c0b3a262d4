/* passport_fuzz.c: the PASSporT parser (compact JWS, base64url parts, header and claims JSON,
 * claim rules) under the four policies (MLS/SIP x strict/lenient); whatever parses goes through
 * the time window, the signature check with a fixed key, mky, and a JWT claim constraint. */
#include "fuzz.h"

static stirmls_key *signer;
static uint8_t mls_point[STIRMLS_P256_POINT_LEN];

static void setup(void)
{
    static const uint8_t seed[] = "stirmls-fuzz";
    stirmls_key *k = NULL;
    if (signer != NULL)
        return;
    FUZZ_CHECK(stirmls_key_derive(seed, sizeof seed - 1, "signer", &signer) == STIRMLS_R_OK);
    FUZZ_CHECK(stirmls_key_derive(seed, sizeof seed - 1, "mls", &k) == STIRMLS_R_OK);
    stirmls_key_point(k, mls_point);
    stirmls_key_free(k);
}

static void after_parse(const stirmls_passport *p, const stirmls_ppt_policy *pol)
{
    static char orig[] = "orig", val[] = "{\"tn\":\"12155551212\"}";
    static char *must[] = {orig};
    static char *vals[] = {val};
    static stirmls_jcc_permitted perm[] = {{.claim = orig, .n = 1, .values = vals}};
    static const stirmls_jcc jcc = {
        .n_include = 1, .must_include = must, .n_permitted = 1, .permitted = perm};
    stirmls_ppt_result res;
    stirmls_detail d;
    stirmls_reason r;

    FUZZ_CHECK(p->signing_input_len < p->token_len && p->token[p->token_len] == 0);
    stirmls_detail_init(&d);
    r = stirmls_passport_verify(p, signer, UINT64_MAX, pol, (uint64_t)1443208345,
                                pol->profile == STIRMLS_PPT_PROFILE_MLS ? mls_point : NULL,
                                sizeof mls_point, &res, &d);
    FUZZ_CHECK(r == STIRMLS_R_OK || d.reason == r);
    stirmls_detail_init(&d);
    r = stirmls_passport_check_time(p, pol, (uint64_t)p->iat, 0, &res, &d);
    FUZZ_CHECK(r == STIRMLS_R_OK || d.reason == r);
    stirmls_detail_init(&d);
    r = stirmls_mky_check(p->mky, mls_point, sizeof mls_point, pol->lenient, &d);
    FUZZ_CHECK(r == STIRMLS_R_OK || d.reason == r);
    stirmls_detail_init(&d);
    r = stirmls_passport_apply_jcc(p, &jcc, &d);
    FUZZ_CHECK(r == STIRMLS_R_OK || d.reason == r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    for (int mode = 0; mode < 4; mode++) {
        stirmls_ppt_policy pol;
        stirmls_passport *p = NULL;
        stirmls_detail d;
        stirmls_ppt_policy_init(&pol);
        pol.profile = (mode & 1) ? STIRMLS_PPT_PROFILE_SIP : STIRMLS_PPT_PROFILE_MLS;
        pol.lenient = (mode & 2) != 0;
        stirmls_detail_init(&d);
        stirmls_reason r = stirmls_passport_parse((const char *)data, size, &pol, &p, &d);
        if (r != STIRMLS_R_OK) {
            FUZZ_CHECK(p == NULL && d.reason == r);
            continue;
        }
        FUZZ_SAME(p->token, p->token_len, data, size);
        after_parse(p, &pol);
        stirmls_passport_free(p);
    }
    return 0;
}

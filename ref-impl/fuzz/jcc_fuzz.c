/* jcc_fuzz.c: the JWT claim constraints extension values (RFC 8226 §8 JWTClaimConstraints and
 * RFC 9118 EnhancedJWTClaimConstraints), both decoders on every input. Round trip: decode,
 * encode, decode again gives the same value, and the encoder is canonical (the identical bytes).
 * Whatever decodes is also applied to a fixed PASSporT, as the PASSporT layer does. */
#include "fuzz.h"

static void same_strs(char *const *a, size_t na, char *const *b, size_t nb)
{
    FUZZ_CHECK(na == nb);
    for (size_t i = 0; i < na; i++)
        FUZZ_CHECK(strcmp(a[i], b[i]) == 0);
}

static void same_jcc(const stirmls_jcc *a, const stirmls_jcc *b)
{
    FUZZ_CHECK(a->enhanced == b->enhanced && a->n_permitted == b->n_permitted);
    same_strs(a->must_include, a->n_include, b->must_include, b->n_include);
    same_strs(a->must_exclude, a->n_exclude, b->must_exclude, b->n_exclude);
    for (size_t i = 0; i < a->n_permitted; i++) {
        FUZZ_CHECK(strcmp(a->permitted[i].claim, b->permitted[i].claim) == 0);
        same_strs(a->permitted[i].values, a->permitted[i].n, b->permitted[i].values, b->permitted[i].n);
    }
}

static stirmls_passport *token;

/* A parsed (unsigned-checked) PASSporT to apply the constraints to. */
static void setup(void)
{
    static const uint8_t seed[] = "stirmls-fuzz";
    stirmls_key *k = NULL;
    char *tok = NULL;
    stirmls_ppt_policy pol;
    if (token != NULL)
        return;
    const char *claims = "{\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":1443208345,"
                         "\"orig\":{\"tn\":\"12155551212\"},\"rcd\":{\"nam\":\"Alice\"}}";
    FUZZ_CHECK(stirmls_key_derive(seed, sizeof seed - 1, "signer", &k) == STIRMLS_R_OK);
    FUZZ_CHECK(stirmls_passport_sign(k, "https://cert.example.org/p.pem", NULL, claims, strlen(claims),
                                     &tok, NULL) == STIRMLS_R_OK);
    stirmls_ppt_policy_init(&pol);
    pol.profile = STIRMLS_PPT_PROFILE_SIP;
    pol.lenient = 1;
    FUZZ_CHECK(stirmls_passport_parse(tok, strlen(tok), &pol, &token, NULL) == STIRMLS_R_OK);
    free(tok);
    stirmls_key_free(k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    for (int enhanced = 0; enhanced < 2; enhanced++) {
        stirmls_jcc *j = NULL, *j2 = NULL;
        stirmls_detail d;
        stirmls_detail_init(&d);
        stirmls_reason r = stirmls_jcc_decode(data, size, enhanced, &j, &d);
        if (r != STIRMLS_R_OK) {
            FUZZ_CHECK(j == NULL && r == STIRMLS_R_CERT_JCC_INVALID && d.reason == r);
            continue;
        }
        FUZZ_CHECK(j->enhanced == enhanced && (enhanced || j->n_exclude == 0));
        FUZZ_CHECK(j->n_include + j->n_permitted + j->n_exclude > 0);
        stirmls_buf b, b2;
        stirmls_buf_init(&b);
        stirmls_buf_init(&b2);
        FUZZ_CHECK(stirmls_jcc_encode(j, &b) == STIRMLS_R_OK);
        FUZZ_SAME(b.ptr, b.len, data, size);
        FUZZ_CHECK(stirmls_jcc_decode(b.ptr, b.len, enhanced, &j2, NULL) == STIRMLS_R_OK);
        same_jcc(j, j2);
        FUZZ_CHECK(stirmls_jcc_encode(j2, &b2) == STIRMLS_R_OK);
        FUZZ_SAME(b.ptr, b.len, b2.ptr, b2.len);
        stirmls_detail_init(&d);
        r = stirmls_passport_apply_jcc(token, j, &d);
        FUZZ_CHECK(r == STIRMLS_R_OK || d.reason == r);
        stirmls_jcc_free(j);
        stirmls_jcc_free(j2);
        stirmls_buf_cleanup(&b);
        stirmls_buf_cleanup(&b2);
    }
    return 0;
}

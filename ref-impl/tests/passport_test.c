/* passport_test.c: PASSporT header and claims rules (PPT-02..11, SHK-11/12, RCD-01, MSG-03),
 * strict vs lenient JSON (PPT-16), RFC 8225 known answers, signature encodings (PPT-14) and the
 * compact form (PPT-01) with truncation and garbage sweeps. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/passport_fixture.h"

#define HX(extra) "{\"alg\":\"ES256\"," extra "\"typ\":\"passport\",\"x5u\":\"https://cert.example.org/passport.pem\"}"
#define HP(ppt) HX("\"ppt\":\"" ppt "\",")
#define SHAKEN_C(attest, origid)                                                                  \
    "{\"attest\":" attest "," PF_D "," PF_I "," PF_M "," PF_O origid "}"
#define UUID ",\"origid\":\"123e4567-e89b-12d3-a456-426655440000\""

struct row {
    const char *name, *hdr, *claims;
    int flags;
    stirmls_reason want;
};

static const struct row rows[] = {
    {"base PASSporT", PF_H0, PF_C0, 0, STIRMLS_R_OK},
    {"unknown claim ignored", PF_H0, "{" PF_D ",\"foo\":[1]," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_OK},
    /* typ */
    {"typ JWT", "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_TYP},
    {"typ missing", "{\"alg\":\"ES256\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_TYP},
    {"typ number", "{\"alg\":\"ES256\",\"typ\":1,\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_TYP},
    {"typ upper case strict", "{\"alg\":\"ES256\",\"typ\":\"PASSPORT\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_TYP},
    {"typ upper case lenient", "{\"alg\":\"ES256\",\"typ\":\"PASSPORT\",\"x5u\":\"https://a.example/c\"}", PF_C0, PF_LENIENT, STIRMLS_R_OK},
    /* alg */
    {"alg none", "{\"alg\":\"none\",\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_ALG_NONE},
    {"alg HS256", "{\"alg\":\"HS256\",\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_ALG_HMAC},
    {"alg RS256", "{\"alg\":\"RS256\",\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_ALG_RSA},
    {"alg PS256", "{\"alg\":\"PS256\",\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_ALG_RSA},
    {"alg ES384", "{\"alg\":\"ES384\",\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_ALG_UNSUPPORTED},
    {"alg es256 lower", "{\"alg\":\"es256\",\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_ALG_UNSUPPORTED},
    {"alg missing", "{\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_ALG_UNSUPPORTED},
    {"alg number", "{\"alg\":256,\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_ALG_UNSUPPORTED},
    /* x5u */
    {"x5u missing", "{\"alg\":\"ES256\",\"typ\":\"passport\"}", PF_C0, 0, STIRMLS_R_PPT_X5U_MISSING},
    {"x5u missing, chain carried", "{\"alg\":\"ES256\",\"typ\":\"passport\"}", PF_C0, PF_CHAIN, STIRMLS_R_OK},
    {"x5u http", "{\"alg\":\"ES256\",\"typ\":\"passport\",\"x5u\":\"http://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_X5U_SCHEME},
    {"x5u file", "{\"alg\":\"ES256\",\"typ\":\"passport\",\"x5u\":\"file:///etc/c.pem\"}", PF_C0, 0, STIRMLS_R_PPT_X5U_SCHEME},
    {"x5u bare https", "{\"alg\":\"ES256\",\"typ\":\"passport\",\"x5u\":\"https://\"}", PF_C0, 0, STIRMLS_R_PPT_X5U_SCHEME},
    {"x5u http with chain carried", "{\"alg\":\"ES256\",\"typ\":\"passport\",\"x5u\":\"http://a.example/c\"}", PF_C0, PF_CHAIN, STIRMLS_R_PPT_X5U_SCHEME},
    {"x5u number", "{\"alg\":\"ES256\",\"typ\":\"passport\",\"x5u\":5}", PF_C0, 0, STIRMLS_R_PPT_HEADER_MEMBER},
    /* ppt */
    {"ppt shaken", HP("shaken"), SHAKEN_C("\"A\"", UUID), 0, STIRMLS_R_OK},
    {"ppt shaken attest C", HP("shaken"), SHAKEN_C("\"C\"", UUID), 0, STIRMLS_R_OK},
    {"shaken attest D", HP("shaken"), SHAKEN_C("\"D\"", UUID), 0, STIRMLS_R_PPT_SHAKEN_ATTEST},
    {"shaken attest lower a", HP("shaken"), SHAKEN_C("\"a\"", UUID), 0, STIRMLS_R_PPT_SHAKEN_ATTEST},
    {"shaken attest AB", HP("shaken"), SHAKEN_C("\"AB\"", UUID), 0, STIRMLS_R_PPT_SHAKEN_ATTEST},
    {"shaken attest missing", HP("shaken"), "{" PF_D "," PF_I "," PF_M "," PF_O UUID "}", 0, STIRMLS_R_PPT_SHAKEN_ATTEST},
    {"shaken origid missing", HP("shaken"), SHAKEN_C("\"A\"", ""), 0, STIRMLS_R_PPT_SHAKEN_ORIGID},
    {"shaken origid not uuid", HP("shaken"), SHAKEN_C("\"A\"", ",\"origid\":\"123e4567-e89b-12d3-a456-42665544000\""), 0, STIRMLS_R_PPT_SHAKEN_ORIGID},
    {"shaken origid no dashes", HP("shaken"), SHAKEN_C("\"A\"", ",\"origid\":\"123e4567xe89b-12d3-a456-426655440000\""), 0, STIRMLS_R_PPT_SHAKEN_ORIGID},
    {"shaken origid number", HP("shaken"), SHAKEN_C("\"A\"", ",\"origid\":1"), 0, STIRMLS_R_PPT_SHAKEN_ORIGID},
    {"shaken needs x5u even with chain", "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\"}", SHAKEN_C("\"A\"", UUID), PF_CHAIN, STIRMLS_R_PPT_X5U_MISSING},
    {"ppt rcd", HP("rcd"), "{" PF_D "," PF_I "," PF_M "," PF_O ",\"rcd\":{\"nam\":\"Alice\"}}", 0, STIRMLS_R_OK},
    {"rcd missing", HP("rcd"), PF_C0, 0, STIRMLS_R_PPT_RCD_INVALID},
    {"rcd string", HP("rcd"), "{" PF_D "," PF_I "," PF_M "," PF_O ",\"rcd\":\"Alice\"}", 0, STIRMLS_R_PPT_RCD_INVALID},
    {"rcd empty", HP("rcd"), "{" PF_D "," PF_I "," PF_M "," PF_O ",\"rcd\":{}}", 0, STIRMLS_R_PPT_RCD_INVALID},
    {"rcd nam number", HP("rcd"), "{" PF_D "," PF_I "," PF_M "," PF_O ",\"rcd\":{\"nam\":1}}", 0, STIRMLS_R_PPT_RCD_INVALID},
    {"rcd jcd not array", HP("rcd"), "{" PF_D "," PF_I "," PF_M "," PF_O ",\"rcd\":{\"jcd\":{}}}", 0, STIRMLS_R_PPT_RCD_INVALID},
    {"ppt msg", HP("msg"), PF_C0, 0, STIRMLS_R_PPT_PPT_MSG},
    {"ppt div", HP("div"), PF_C0, 0, STIRMLS_R_PPT_PPT_UNSUPPORTED},
    {"ppt xyz", HP("xyz"), PF_C0, 0, STIRMLS_R_PPT_PPT_UNSUPPORTED},
    {"ppt number", HX("\"ppt\":1,"), PF_C0, 0, STIRMLS_R_PPT_HEADER_MEMBER},
    /* crit */
    {"crit ppt", "{\"alg\":\"ES256\",\"crit\":[\"ppt\"],\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", SHAKEN_C("\"B\"", UUID), 0, STIRMLS_R_OK},
    {"crit foo", "{\"alg\":\"ES256\",\"crit\":[\"foo\"],\"foo\":1,\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_CRIT_UNKNOWN},
    {"crit empty", "{\"alg\":\"ES256\",\"crit\":[],\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_CRIT_INVALID},
    {"crit string", "{\"alg\":\"ES256\",\"crit\":\"ppt\",\"ppt\":\"rcd\",\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_CRIT_INVALID},
    {"crit number entry", "{\"alg\":\"ES256\",\"crit\":[1],\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_CRIT_INVALID},
    {"crit lists alg", "{\"alg\":\"ES256\",\"crit\":[\"alg\"],\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_CRIT_INVALID},
    {"crit ppt absent", "{\"alg\":\"ES256\",\"crit\":[\"ppt\"],\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_PPT_CRIT_INVALID},
    /* JSON level */
    {"header duplicate alg", "{\"alg\":\"ES256\",\"alg\":\"ES256\",\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, PF_LENIENT, STIRMLS_R_JSON_DUPLICATE_MEMBER},
    {"claims duplicate iat", PF_H0, "{" PF_D "," PF_I "," PF_I "," PF_M "," PF_O "}", PF_LENIENT, STIRMLS_R_JSON_DUPLICATE_MEMBER},
    {"claims nested duplicate", PF_H0, "{" PF_D "," PF_I "," PF_M ",\"orig\":{\"tn\":\"1\",\"tn\":\"2\"}}", PF_LENIENT, STIRMLS_R_JSON_DUPLICATE_MEMBER},
    {"header array", "[\"ES256\"]", PF_C0, 0, STIRMLS_R_PPT_HEADER_NOT_OBJECT},
    {"header not JSON", "alg=ES256", PF_C0, 0, STIRMLS_R_JSON_INVALID},
    {"claims array", PF_H0, "[1]", 0, STIRMLS_R_PPT_CLAIMS_NOT_OBJECT},
    {"claims not JSON", PF_H0, "{\"iat\":", 0, STIRMLS_R_JSON_INVALID},
    {"header whitespace strict", "{\"alg\": \"ES256\",\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_JSON_NONCANONICAL},
    {"header whitespace lenient", "{\"alg\": \"ES256\",\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}", PF_C0, PF_LENIENT, STIRMLS_R_OK},
    {"header order strict", "{\"typ\":\"passport\",\"alg\":\"ES256\",\"x5u\":\"https://a.example/c\"}", PF_C0, 0, STIRMLS_R_JSON_NONCANONICAL},
    {"claims order strict", PF_H0, "{" PF_O "," PF_D "," PF_I "," PF_M "}", 0, STIRMLS_R_JSON_NONCANONICAL},
    {"claims order lenient", PF_H0, "{" PF_O "," PF_D "," PF_I "," PF_M "}", PF_LENIENT, STIRMLS_R_OK},
    {"claims escaped slash strict", PF_H0, "{\"dest\":{\"uri\":[\"mimi:\\/\\/p.example\"]}," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_JSON_NONCANONICAL},
    {"claims trailing newline strict", PF_H0, PF_C0 "\n", 0, STIRMLS_R_JSON_NONCANONICAL},
    /* iat */
    {"iat missing", PF_H0, "{" PF_D "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_IAT_MISSING},
    {"iat string", PF_H0, "{" PF_D ",\"iat\":\"1443208345\"," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_IAT_TYPE},
    {"iat 1.5", PF_H0, "{" PF_D ",\"iat\":1.5," PF_M "," PF_O "}", PF_LENIENT, STIRMLS_R_PPT_IAT_TYPE},
    {"iat real with .0", PF_H0, "{" PF_D ",\"iat\":1443208345.0," PF_M "," PF_O "}", PF_LENIENT, STIRMLS_R_PPT_IAT_TYPE},
    {"iat -1", PF_H0, "{" PF_D ",\"iat\":-1," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_IAT_TYPE},
    {"iat null", PF_H0, "{" PF_D ",\"iat\":null," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_IAT_TYPE},
    /* exp */
    {"exp string", PF_H0, "{" PF_D ",\"exp\":\"x\"," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_EXP_TYPE},
    {"exp real", PF_H0, "{" PF_D ",\"exp\":1443208346.5," PF_I "," PF_M "," PF_O "}", PF_LENIENT, STIRMLS_R_PPT_EXP_TYPE},
    {"exp equals iat", PF_H0, "{" PF_D ",\"exp\":1443208345," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_EXP_NOT_AFTER_IAT},
    {"exp before iat", PF_H0, "{" PF_D ",\"exp\":1443208344," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_EXP_NOT_AFTER_IAT},
    {"exp iat+1", PF_H0, "{" PF_D ",\"exp\":1443208346," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_OK},
    /* orig */
    {"orig tn and uri", PF_H0, "{" PF_D "," PF_I "," PF_M ",\"orig\":{\"tn\":\"12155551212\",\"uri\":\"sip:a@x\"}}", 0, STIRMLS_R_PPT_ORIG_INVALID},
    {"orig empty", PF_H0, "{" PF_D "," PF_I "," PF_M ",\"orig\":{}}", 0, STIRMLS_R_PPT_ORIG_INVALID},
    {"orig missing", PF_H0, "{" PF_D "," PF_I "," PF_M "}", 0, STIRMLS_R_PPT_ORIG_INVALID},
    {"orig string", PF_H0, "{" PF_D "," PF_I "," PF_M ",\"orig\":\"12155551212\"}", 0, STIRMLS_R_PPT_ORIG_INVALID},
    {"orig tn number", PF_H0, "{" PF_D "," PF_I "," PF_M ",\"orig\":{\"tn\":12155551212}}", 0, STIRMLS_R_PPT_ORIG_INVALID},
    {"orig uri number", PF_H0, "{" PF_D "," PF_I "," PF_M ",\"orig\":{\"uri\":1}}", 0, STIRMLS_R_PPT_ORIG_INVALID},
    {"orig uri empty string in SIP", PF_H0, "{" PF_D "," PF_I ",\"orig\":{\"uri\":\"\"}}", PF_SIP, STIRMLS_R_PPT_ORIG_INVALID},
    {"orig tn plus", PF_H0, "{" PF_D "," PF_I "," PF_M ",\"orig\":{\"tn\":\"+12155551212\"}}", 0, STIRMLS_R_PPT_TN_NONCANONICAL},
    {"orig tn dashes", PF_H0, "{" PF_D "," PF_I "," PF_M ",\"orig\":{\"tn\":\"1-215-555-1212\"}}", 0, STIRMLS_R_PPT_TN_NONCANONICAL},
    {"orig tn empty", PF_H0, "{" PF_D "," PF_I "," PF_M ",\"orig\":{\"tn\":\"\"}}", 0, STIRMLS_R_PPT_TN_NONCANONICAL},
    {"orig tn 16 digits", PF_H0, "{" PF_D "," PF_I "," PF_M ",\"orig\":{\"tn\":\"1234567890123456\"}}", 0, STIRMLS_R_PPT_TN_NONCANONICAL},
    {"orig uri in MLS", PF_H0, "{" PF_D "," PF_I "," PF_M ",\"orig\":{\"uri\":\"sip:a@x\"}}", 0, STIRMLS_R_PPT_ORIG_URI},
    {"orig uri in SIP", PF_H0, "{" PF_D "," PF_I ",\"orig\":{\"uri\":\"sip:a@x\"}}", PF_SIP, STIRMLS_R_OK},
    /* dest */
    {"dest empty object", PF_H0, "{\"dest\":{}," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_DEST_INVALID},
    {"dest missing", PF_H0, "{" PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_DEST_INVALID},
    {"dest tn string", PF_H0, "{\"dest\":{\"tn\":\"1\"}," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_DEST_INVALID},
    {"dest tn empty array", PF_H0, "{\"dest\":{\"tn\":[]}," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_DEST_INVALID},
    {"dest tn number entry", PF_H0, "{\"dest\":{\"tn\":[1]}," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_DEST_INVALID},
    {"dest tn plus", PF_H0, "{\"dest\":{\"tn\":[\"+1\"]}," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_TN_NONCANONICAL},
    {"dest uri", PF_H0, "{\"dest\":{\"uri\":[\"mimi://provider.example\"]}," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_OK},
    {"dest uri empty array", PF_H0, "{\"dest\":{\"uri\":[]}," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_DEST_INVALID},
    {"dest uri number entry", PF_H0, "{\"dest\":{\"uri\":[5]}," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_DEST_INVALID},
    {"dest uri empty string", PF_H0, "{\"dest\":{\"uri\":[\"\"]}," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_DEST_INVALID},
    {"dest uri second entry empty", PF_H0, "{\"dest\":{\"uri\":[\"mimi://p.example\",\"\"]}," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_DEST_INVALID},
    {"dest uri empty string in SIP", PF_H0, "{\"dest\":{\"uri\":[\"\"]}," PF_I "," PF_O "}", PF_SIP, STIRMLS_R_PPT_DEST_INVALID},
    {"dest tn empty string", PF_H0, "{\"dest\":{\"tn\":[\"\"]}," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_TN_NONCANONICAL},
    {"dest only other member", PF_H0, "{\"dest\":{\"x\":[\"1\"]}," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_DEST_INVALID},
    {"dest array", PF_H0, "{\"dest\":[\"12125551213\"]," PF_I "," PF_M "," PF_O "}", 0, STIRMLS_R_PPT_DEST_INVALID},
    /* mky through the pipeline (the full table is in mky_test.c) */
    {"mky missing in MLS", PF_H0, "{" PF_D "," PF_I "," PF_O "}", 0, STIRMLS_R_MKY_MISSING},
    {"mky not needed in SIP", PF_H0, "{" PF_D "," PF_I "," PF_O "}", PF_SIP, STIRMLS_R_OK},
};

START_TEST(header_and_claims_table)
{
    const struct row *r = &rows[_i];
    char *tok = pf_token(r->hdr, r->claims);
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason rc = pf_verify(tok, r->flags, PF_IAT, UINT64_MAX, NULL, &d);
    ck_assert_msg(rc == r->want, "%s: got %s (%s), want %s", r->name, stirmls_reason_name(rc), d.text,
                  stirmls_reason_name(r->want));
    ck_assert(rc == STIRMLS_R_OK || d.reason == rc);
    free(tok);
}
END_TEST

/* RFC 8225 Appendix A / §9: the base64url of the example header and claims in deterministic form. */
START_TEST(rfc8225_example_known_answer)
{
    static const char hdr_b64[] =
        "eyJhbGciOiJFUzI1NiIsInR5cCI6InBhc3Nwb3J0IiwieDV1IjoiaHR0cHM6Ly9jZXJ0LmV4YW1wbGUub3JnL3Bhc3Nwb3J0LnBlbSJ9";
    static const char claims_b64[] =
        "eyJkZXN0Ijp7InRuIjpbIjEyMTI1NTUxMjEzIl19LCJpYXQiOjE0NDMyMDgzNDUsIm9yaWciOnsidG4iOiIxMjE1NTU1MTIxMiJ9fQ";
    const char *claims = "{ \"orig\": {\"tn\": \"12155551212\"}, \"iat\": 1443208345,\n"
                         "  \"dest\": {\"tn\": [\"12125551213\"]} }";
    stirmls_key *k = pf_signer();
    char *tok = NULL, *again = NULL;
    ck_assert_int_eq(stirmls_passport_sign(k, "https://cert.example.org/passport.pem", NULL, claims,
                                           strlen(claims), &tok, NULL), STIRMLS_R_OK);
    ck_assert(strncmp(tok, hdr_b64, strlen(hdr_b64)) == 0);
    ck_assert_int_eq(tok[strlen(hdr_b64)], '.');
    ck_assert(strncmp(tok + strlen(hdr_b64) + 1, claims_b64, strlen(claims_b64)) == 0);
    ck_assert_uint_eq(strlen(tok), strlen(hdr_b64) + strlen(claims_b64) + 2 + 86);
    /* deterministic nonces: signing again gives the same token */
    ck_assert_int_eq(stirmls_passport_sign(k, "https://cert.example.org/passport.pem", NULL, claims,
                                           strlen(claims), &again, NULL), STIRMLS_R_OK);
    ck_assert_str_eq(tok, again);
    ck_assert_int_eq(pf_verify(tok, PF_SIP, PF_IAT, UINT64_MAX, NULL, NULL), STIRMLS_R_OK);
    stirmls_key_free(k);
    free(tok);
    free(again);
}
END_TEST

START_TEST(parse_exposes_fields)
{
    char *tok = pf_token(HP("shaken"), SHAKEN_C("\"B\"", UUID));
    stirmls_ppt_policy pol;
    stirmls_passport *p = NULL;
    stirmls_ppt_policy_init(&pol);
    ck_assert_int_eq(stirmls_passport_parse(tok, strlen(tok), &pol, &p, NULL), STIRMLS_R_OK);
    ck_assert_str_eq(p->x5u, "https://cert.example.org/passport.pem");
    ck_assert_str_eq(p->orig_tn, "12155551212");
    ck_assert_ptr_null(p->orig_uri);
    ck_assert_int_eq(p->ppt, STIRMLS_PPT_EXT_SHAKEN);
    ck_assert_int_eq(p->attest, 'B');
    ck_assert_str_eq(p->origid, "123e4567-e89b-12d3-a456-426655440000");
    ck_assert_int_eq(p->iat, PF_IAT);
    ck_assert_int_eq(p->has_exp, 0);
    ck_assert_ptr_nonnull(p->mky);
    ck_assert_uint_eq(p->signing_input_len, (size_t)(strrchr(tok, '.') - tok));
    ck_assert_uint_eq(p->sig_len, 64);
    stirmls_passport_free(p);
    stirmls_passport_free(NULL);
    free(tok);
}
END_TEST

START_TEST(mls_profile_needs_signature_key)
{
    char *tok = pf_token(PF_H0, PF_C0);
    stirmls_ppt_policy pol;
    stirmls_passport *p = NULL;
    stirmls_ppt_policy_init(&pol);
    ck_assert_int_eq(stirmls_passport_parse(tok, strlen(tok), &pol, &p, NULL), STIRMLS_R_OK);
    stirmls_key *k = pf_signer();
    ck_assert_int_eq(stirmls_passport_verify(p, k, UINT64_MAX, &pol, PF_IAT, NULL, 0, NULL, NULL),
                     STIRMLS_R_USAGE);
    stirmls_key_free(k);
    stirmls_passport_free(p);
    free(tok);
}
END_TEST

Suite *passport_suite(void);
Suite *passport_suite(void)
{
    Suite *s = suite_create("passport");
    TCase *tc = tcase_create("header_claims");
    tcase_add_loop_test(tc, header_and_claims_table, 0, sizeof rows / sizeof rows[0]);
    tcase_add_test(tc, rfc8225_example_known_answer);
    tcase_add_test(tc, parse_exposes_fields);
    tcase_add_test(tc, mls_profile_needs_signature_key);
    suite_add_tcase(s, tc);
    return s;
}

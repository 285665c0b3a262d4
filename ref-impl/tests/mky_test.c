/* mky_test.c: the mky binding (MKY-01..04) with the MLS working group's key as known answer,
 * every mky error in strict and lenient mode, and JWT claim constraints (JCC-01/02/05). */
#include <check.h>
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/passport_fixture.h"
#include "testlib/testlib.h"

#define KA "0C:C7:D2:9C:E9:6F:67:B5:69:80:28:A2:8D:9B:0B:34:23:E9:97:CC:E7:52:4D:D9:74:39:DE:FB:6D:94:15:39"

/* crypto-basics.json, cipher_suite 2, sign_with_label.pub (65 bytes, owned). */
static uint8_t *vector_pub(size_t *len)
{
    json_error_t jerr;
    json_t *root = json_load_file(tl_mlswg_path("crypto-basics.json"), 0, &jerr);
    ck_assert_msg(root != NULL, "%s", jerr.text);
    json_t *e, *entry = NULL;
    size_t i;
    json_array_foreach(root, i, e) if (json_integer_value(json_object_get(e, "cipher_suite")) == 2) entry = e;
    ck_assert_ptr_nonnull(entry);
    const char *hex = json_string_value(json_object_get(json_object_get(entry, "sign_with_label"), "pub"));
    uint8_t *pub = tl_hex(hex, len);
    json_decref(root);
    return pub;
}

START_TEST(known_answer)
{
    size_t len = 0;
    uint8_t *pub = vector_pub(&len);
    char dig[STIRMLS_MKY_DIG_LEN + 1];
    ck_assert_uint_eq(len, 65);
    stirmls_mky_dig(pub, len, dig);
    ck_assert_str_eq(dig, KA);
    char *entry = stirmls_mky_entry_json(pub, len);
    ck_assert_str_eq(entry, "{\"alg\":\"sha-256\",\"dig\":\"" KA "\"}");
    free(entry);
    free(pub);
}
END_TEST

struct mky_case {
    const char *name, *mky; /* mky JSON text with @K@ (= KA, lower-cased for @L@); NULL: absent */
    int lenient;
    stirmls_reason want;
};

#define E(alg, dig) "{\"alg\":\"" alg "\",\"dig\":\"" dig "\"}"
#define KA_NOSEP "0CC7D29CE96F67B5698028A28D9B0B3423E997CCE7524DD97439DEFB6D941539"
#define KA_31 "0C:C7:D2:9C:E9:6F:67:B5:69:80:28:A2:8D:9B:0B:34:23:E9:97:CC:E7:52:4D:D9:74:39:DE:FB:6D:94:15"
#define KA_OTHER "00:C7:D2:9C:E9:6F:67:B5:69:80:28:A2:8D:9B:0B:34:23:E9:97:CC:E7:52:4D:D9:74:39:DE:FB:6D:94:15:39"
#define KA_NONHEX "0G:C7:D2:9C:E9:6F:67:B5:69:80:28:A2:8D:9B:0B:34:23:E9:97:CC:E7:52:4D:D9:74:39:DE:FB:6D:94:15:39"
#define KA_DASH "0C-C7:D2:9C:E9:6F:67:B5:69:80:28:A2:8D:9B:0B:34:23:E9:97:CC:E7:52:4D:D9:74:39:DE:FB:6D:94:15:39"

static const struct mky_case mky_cases[] = {
    {"match", "[" E("sha-256", KA) "]", 0, STIRMLS_R_OK},
    {"match lenient", "[" E("sha-256", KA) "]", 1, STIRMLS_R_OK},
    {"absent", NULL, 0, STIRMLS_R_MKY_MISSING},
    {"object not array", E("sha-256", KA), 0, STIRMLS_R_MKY_MALFORMED},
    {"empty array", "[]", 0, STIRMLS_R_MKY_MALFORMED},
    {"array of strings", "[\"" KA "\"]", 0, STIRMLS_R_MKY_MALFORMED},
    {"entry without dig", "[{\"alg\":\"sha-256\"}]", 0, STIRMLS_R_MKY_MALFORMED},
    {"entry alg number", "[{\"alg\":256,\"dig\":\"" KA "\"}]", 0, STIRMLS_R_MKY_MALFORMED},
    {"string", "\"" KA "\"", 0, STIRMLS_R_MKY_MALFORMED},
    {"other key", "[" E("sha-256", KA_OTHER) "]", 0, STIRMLS_R_MKY_MISMATCH},
    {"only sha-1", "[" E("sha-1", "00:11") "]", 0, STIRMLS_R_MKY_ALG_UNSUPPORTED},
    {"only sha-512", "[" E("sha-512", KA) "]", 0, STIRMLS_R_MKY_ALG_UNSUPPORTED},
    {"SHA-256 upper strict", "[" E("SHA-256", KA) "]", 0, STIRMLS_R_MKY_ALG_UNSUPPORTED},
    {"SHA-256 upper lenient", "[" E("SHA-256", KA) "]", 1, STIRMLS_R_OK},
    {"sha-1 then match", "[" E("sha-1", "zz") "," E("sha-256", KA) "]", 0, STIRMLS_R_OK},
    {"mismatch then match", "[" E("sha-256", KA_OTHER) "," E("sha-256", KA) "]", 0, STIRMLS_R_OK},
    {"match then mismatch", "[" E("sha-256", KA) "," E("sha-256", KA_OTHER) "]", 0, STIRMLS_R_OK},
    {"no separators", "[" E("sha-256", KA_NOSEP) "]", 0, STIRMLS_R_MKY_DIG_MALFORMED},
    {"trailing colon", "[" E("sha-256", KA ":") "]", 0, STIRMLS_R_MKY_DIG_MALFORMED},
    {"leading colon", "[" E("sha-256", ":" KA) "]", 0, STIRMLS_R_MKY_DIG_MALFORMED},
    {"31 bytes", "[" E("sha-256", KA_31) "]", 0, STIRMLS_R_MKY_DIG_MALFORMED},
    {"non-hex", "[" E("sha-256", KA_NONHEX) "]", 0, STIRMLS_R_MKY_DIG_MALFORMED},
    {"dash separator", "[" E("sha-256", KA_DASH) "]", 0, STIRMLS_R_MKY_DIG_MALFORMED},
    {"non-hex lenient", "[" E("sha-256", KA_NONHEX) "]", 1, STIRMLS_R_MKY_DIG_MALFORMED},
    {"lower case strict", "[" E("sha-256", "@L@") "]", 0, STIRMLS_R_MKY_DIG_LOWERCASE},
    {"lower case lenient", "[" E("sha-256", "@L@") "]", 1, STIRMLS_R_OK},
    {"lower case other key lenient", "[" E("sha-256", "@M@") "]", 1, STIRMLS_R_MKY_MISMATCH},
};

/* Replace @L@ with KA in lower case and @M@ with KA_OTHER in lower case. Owned. */
static char *expand(const char *t)
{
    char *out = calloc(1, strlen(t) + 200);
    const char *p = t;
    char *o = out;
    while (*p) {
        if (strncmp(p, "@L@", 3) == 0 || strncmp(p, "@M@", 3) == 0) {
            const char *src = p[1] == 'L' ? KA : KA_OTHER;
            for (size_t i = 0; src[i]; i++)
                *o++ = (char)tolower((unsigned char)src[i]);
            p += 3;
        } else {
            *o++ = *p++;
        }
    }
    return out;
}

START_TEST(mky_table)
{
    const struct mky_case *c = &mky_cases[_i];
    size_t len = 0;
    uint8_t *pub = vector_pub(&len);
    stirmls_json *j = NULL;
    if (c->mky != NULL) {
        char *text = expand(c->mky);
        ck_assert_int_eq(stirmls_json_parse(text, strlen(text), &j, NULL), STIRMLS_R_OK);
        free(text);
    }
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason rc = stirmls_mky_check(j, pub, len, c->lenient, &d);
    ck_assert_msg(rc == c->want, "%s: got %s (%s)", c->name, stirmls_reason_name(rc), d.text);
    stirmls_json_free(j);
    free(pub);
}
END_TEST

/* MKY-05: a PASSporT lifted into another client's LeafNode fails the binding. */
START_TEST(copy_paste_defense)
{
    char *tok = pf_token(PF_H0, PF_C0);
    stirmls_ppt_policy pol;
    stirmls_passport *p = NULL;
    stirmls_ppt_policy_init(&pol);
    ck_assert_int_eq(stirmls_passport_parse(tok, strlen(tok), &pol, &p, NULL), STIRMLS_R_OK);
    size_t len = 0;
    uint8_t *other = vector_pub(&len);
    stirmls_key *signer = pf_signer();
    ck_assert_int_eq(stirmls_passport_verify(p, signer, UINT64_MAX, &pol, PF_IAT, other, len, NULL, NULL),
                     STIRMLS_R_MKY_MISMATCH);
    stirmls_key_free(signer);
    stirmls_passport_free(p);
    free(other);
    free(tok);
}
END_TEST

/* ---- JWT claim constraints ----------------------------------------------------------------- */

static const char *const inc_mky[] = {"mky"};
static const char *const inc_rcd[] = {"rcd"};
static const char *const exc_mky[] = {"mky"};
static const char *const exc_exp[] = {"exp", "rcd"};
static const char *const orig_ok[] = {"{\"tn\":\"19995550000\"}", "{\"tn\":\"12155551212\"}"};
static const char *const orig_bad[] = {"{\"tn\":\"19995550000\"}"};
static const char *const attest_ab[] = {"A", "B"};
/* stirmls_jcc owns its strings when decoded; these tables only lend them (cast away const). */
#define S(a) ((char **)(a))
static stirmls_jcc_permitted perm_orig_ok[] = {{(char *)"orig", 2, S(orig_ok)}};
static stirmls_jcc_permitted perm_orig_bad[] = {{(char *)"orig", 1, S(orig_bad)}};
static stirmls_jcc_permitted perm_attest[] = {{(char *)"attest", 2, S(attest_ab)}};
#define JCC(inc, ninc, perm, nperm, exc, nexc) {1, ninc, S(inc), nperm, perm, nexc, S(exc)}

struct jcc_case {
    const char *name;
    stirmls_jcc jcc;
    stirmls_reason want;
};

static const struct jcc_case jcc_cases[] = {
    {"empty constraints", JCC(NULL, 0, NULL, 0, NULL, 0), STIRMLS_R_OK},
    {"mustInclude mky present", JCC(inc_mky, 1, NULL, 0, NULL, 0), STIRMLS_R_OK},
    {"mustInclude rcd absent", JCC(inc_rcd, 1, NULL, 0, NULL, 0), STIRMLS_R_PPT_JCC_MUST_INCLUDE},
    {"permitted orig listed", JCC(NULL, 0, perm_orig_ok, 1, NULL, 0), STIRMLS_R_OK},
    {"permitted orig not listed", JCC(NULL, 0, perm_orig_bad, 1, NULL, 0), STIRMLS_R_PPT_JCC_PERMITTED},
    {"permitted attest absent claim", JCC(NULL, 0, perm_attest, 1, NULL, 0), STIRMLS_R_OK},
    {"mustExclude mky", JCC(NULL, 0, NULL, 0, exc_mky, 1), STIRMLS_R_PPT_JCC_MUST_EXCLUDE},
    {"mustExclude exp, rcd absent", JCC(NULL, 0, NULL, 0, exc_exp, 2), STIRMLS_R_OK},
    {"include beats exclude", JCC(inc_rcd, 1, NULL, 0, exc_mky, 1), STIRMLS_R_PPT_JCC_MUST_INCLUDE},
    {"permitted beats exclude", JCC(NULL, 0, perm_orig_bad, 1, exc_mky, 1), STIRMLS_R_PPT_JCC_PERMITTED},
};

START_TEST(jcc_table)
{
    const struct jcc_case *c = &jcc_cases[_i];
    char *tok = pf_token(PF_H0, PF_C0);
    stirmls_ppt_policy pol;
    stirmls_passport *p = NULL;
    stirmls_ppt_policy_init(&pol);
    ck_assert_int_eq(stirmls_passport_parse(tok, strlen(tok), &pol, &p, NULL), STIRMLS_R_OK);
    stirmls_reason rc = stirmls_passport_apply_jcc(p, &c->jcc, NULL);
    ck_assert_msg(rc == c->want, "%s: got %s", c->name, stirmls_reason_name(rc));
    stirmls_passport_free(p);
    free(tok);
}
END_TEST

START_TEST(jcc_string_claim)
{
    char *tok = pf_token("{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"https://a.example/c\"}",
                         "{\"attest\":\"C\"," PF_D "," PF_I "," PF_M "," PF_O
                         ",\"origid\":\"123e4567-e89b-12d3-a456-426655440000\"}");
    stirmls_ppt_policy pol;
    stirmls_passport *p = NULL;
    stirmls_ppt_policy_init(&pol);
    ck_assert_int_eq(stirmls_passport_parse(tok, strlen(tok), &pol, &p, NULL), STIRMLS_R_OK);
    stirmls_jcc j = JCC(NULL, 0, perm_attest, 1, NULL, 0);
    ck_assert_int_eq(stirmls_passport_apply_jcc(p, &j, NULL), STIRMLS_R_PPT_JCC_PERMITTED);
    stirmls_passport_free(p);
    free(tok);
}
END_TEST

Suite *mky_suite(void);
Suite *mky_suite(void)
{
    Suite *s = suite_create("mky");
    TCase *tc = tcase_create("mky");
    tcase_add_test(tc, known_answer);
    tcase_add_loop_test(tc, mky_table, 0, sizeof mky_cases / sizeof mky_cases[0]);
    tcase_add_test(tc, copy_paste_defense);
    suite_add_tcase(s, tc);
    tc = tcase_create("jcc");
    tcase_add_loop_test(tc, jcc_table, 0, sizeof jcc_cases / sizeof jcc_cases[0]);
    tcase_add_test(tc, jcc_string_claim);
    suite_add_tcase(s, tc);
    return s;
}

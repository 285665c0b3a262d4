/* credential_test.c: the MLS Credential codec (CT-01..09), validator dispatch, successor rule. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/testlib.h"

struct cred_case {
    const char *name;
    const char *hex;
    stirmls_reason want;
    int kind;       /* expected kind when OK */
    size_t ncerts;  /* expected certificates when OK */
    size_t fail_at; /* expected detail offset on failure (STIRMLS_NO_OFFSET: not checked) */
};

#define NOFF STIRMLS_NO_OFFSET
static const struct cred_case cred_cases[] = {
    {"basic", "0001" "05616c696365", STIRMLS_R_OK, STIRMLS_CRED_KIND_BASIC, 0, NOFF},
    {"basic empty identity", "0001" "00", STIRMLS_R_OK, STIRMLS_CRED_KIND_BASIC, 0, NOFF},
    {"x509 one cert", "0002" "04" "03" "308100", STIRMLS_R_OK, STIRMLS_CRED_KIND_X509, 1, NOFF},
    {"x509 empty (RFC 9420 does not forbid it here)", "0002" "00", STIRMLS_R_OK,
     STIRMLS_CRED_KIND_X509, 0, NOFF},
    {"stir_certificate two certs", "f051" "06" "023001" "023002", STIRMLS_R_OK,
     STIRMLS_CRED_KIND_STIR_CERTIFICATE, 2, NOFF},
    {"stir_passport with chain", "f052" "05" "612e622e63" "03" "023001", STIRMLS_R_OK,
     STIRMLS_CRED_KIND_STIR_PASSPORT, 1, NOFF},
    {"stir_passport empty chain allowed", "f052" "05" "612e622e63" "00", STIRMLS_R_OK,
     STIRMLS_CRED_KIND_STIR_PASSPORT, 0, NOFF},
    {"stir_certificate empty chain", "f051" "00", STIRMLS_R_CRED_EMPTY_CHAIN, 0, 0, 2},
    {"GREASE 0x0A0A", "0a0a" "00", STIRMLS_R_CRED_TYPE_GREASE, 0, 0, 0},
    {"GREASE 0xEAEA", "eaea" "00", STIRMLS_R_CRED_TYPE_GREASE, 0, 0, 0},
    {"0xFAFA is not a GREASE value: unknown", "fafa" "00", STIRMLS_R_CRED_TYPE_UNKNOWN, 0, 0, 0},
    {"unknown 0x1234", "1234" "00", STIRMLS_R_CRED_TYPE_UNKNOWN, 0, 0, 0},
    {"reserved 0x0000", "0000" "00", STIRMLS_R_CRED_TYPE_UNKNOWN, 0, 0, 0},
    {"trailing byte", "0001" "0161" "00", STIRMLS_R_TRAILING_BYTES, 0, 0, 4},
    {"non-minimal identity length", "0001" "4001" "61", STIRMLS_R_VARINT_NONMINIMAL, 0, 0, 2},
    {"11 prefix", "0001" "c0", STIRMLS_R_VARINT_PREFIX, 0, 0, 2},
    {"cert entry runs past its vector", "f051" "02" "0530", STIRMLS_R_TRUNCATED, 0, 0, 3},
    {"passport missing chain", "f052" "01" "61", STIRMLS_R_TRUNCATED, 0, 0, 4},
    {"empty", "", STIRMLS_R_TRUNCATED, 0, 0, 0},
};

START_TEST(credential_table)
{
    const struct cred_case *c = &cred_cases[_i];
    size_t n;
    uint8_t *buf = tl_hex(c->hex, &n);
    stirmls_cred_codepoints cp;
    stirmls_cred_codepoints_default(&cp);
    stirmls_credential cred;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason got = stirmls_credential_decode(buf, n, &cp, &cred, &d);
    ck_assert_msg(got == c->want, "%s: got %s want %s (%s)", c->name, stirmls_reason_name(got),
                  stirmls_reason_name(c->want), d.text);
    if (got == STIRMLS_R_OK) {
        ck_assert_int_eq(cred.kind, c->kind);
        ck_assert_uint_eq(cred.ncerts, c->ncerts);
        stirmls_buf b; /* CT-09: byte-identical round trip */
        stirmls_buf_init(&b);
        stirmls_credential_write(&b, &cred);
        ck_assert_msg(b.len == n && memcmp(b.ptr, buf, n) == 0, "%s: re-encoding differs", c->name);
        stirmls_buf_cleanup(&b);
        /* truncation sweep: every strict prefix */
        for (size_t k = 0; k < n; k++) {
            stirmls_reason t = stirmls_credential_decode(buf, k, &cp, &cred, NULL);
            ck_assert_msg(t == STIRMLS_R_TRUNCATED, "%s: prefix %zu gave %s", c->name, k,
                          stirmls_reason_name(t));
        }
    } else {
        ck_assert_int_eq(d.reason, c->want);
        if (c->fail_at != NOFF)
            ck_assert_msg(d.offset == c->fail_at, "%s: offset %zu want %zu", c->name, d.offset,
                          c->fail_at);
    }
    free(buf);
}
END_TEST

START_TEST(grease_values_exactly_fifteen)
{
    size_t count = 0;
    for (uint32_t v = 0; v <= 0xFFFF; v++)
        count += (size_t)stirmls_mls_is_grease((uint16_t)v);
    ck_assert_uint_eq(count, 15);
    ck_assert(stirmls_mls_is_grease(0x0A0A) && stirmls_mls_is_grease(0x7A7A));
    ck_assert(!stirmls_mls_is_grease(0xFAFA) && !stirmls_mls_is_grease(0x0A1A));
}
END_TEST

START_TEST(codepoints_configurable)
{
    stirmls_cred_codepoints cp = {0xF0A0, 0xF0A1};
    ck_assert_int_eq(stirmls_cred_codepoints_check(&cp, NULL), STIRMLS_R_OK);
    size_t n;
    uint8_t *buf = tl_hex("f0a1" "01" "61" "00", &n);
    stirmls_credential c;
    ck_assert_int_eq(stirmls_credential_decode(buf, n, &cp, &c, NULL), STIRMLS_R_OK);
    ck_assert_int_eq(c.kind, STIRMLS_CRED_KIND_STIR_PASSPORT);
    buf[1] = 0x52, buf[0] = 0xf0; /* the default codepoint is unknown under these options */
    ck_assert_int_eq(stirmls_credential_decode(buf, n, &cp, &c, NULL), STIRMLS_R_CRED_TYPE_UNKNOWN);
    free(buf);
    static const stirmls_cred_codepoints bad[] = {
        {0xF051, 0xF051}, {0x0002, 0xF052}, {0xF051, 0x0001}, {0xFAFA, 0xF052}, {0x3A3A, 0xF052},
        {0x0000, 0xF052}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_int_eq(stirmls_cred_codepoints_check(&bad[i], NULL), STIRMLS_R_USAGE);
}
END_TEST

START_TEST(too_many_certificates)
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_buf_put_u16(&b, 0xF051);
    size_t m = stirmls_buf_vec_open(&b);
    for (int i = 0; i <= STIRMLS_CRED_MAX_CERTS; i++)
        stirmls_buf_put_opaque(&b, "\x30\x00", 2);
    stirmls_buf_vec_close(&b, m);
    stirmls_cred_codepoints cp;
    stirmls_cred_codepoints_default(&cp);
    stirmls_credential c;
    ck_assert_int_eq(stirmls_credential_decode(b.ptr, b.len, &cp, &c, NULL),
                     STIRMLS_R_LENGTH_LIMIT);
    stirmls_buf_cleanup(&b);
}
END_TEST

/* ---- validator dispatch -------------------------------------------------------------- */

static stirmls_reason accept_tn(void *ctx, const stirmls_credential *cred, stirmls_slice key,
                                uint64_t at, uint64_t *not_after, stirmls_identities *ids,
                                stirmls_detail *d)
{
    (void)cred, (void)key, (void)at, (void)d;
    *not_after = *(const uint64_t *)ctx;
    return stirmls_identities_add(ids, "tn:12155551212");
}

struct dispatch_case {
    const char *name;
    const char *hex;
    int x509_profile;
    int plug; /* 1: the fake validator is plugged for the STIR kinds */
    stirmls_reason want;
};

static const struct dispatch_case dispatch_cases[] = {
    {"basic never authenticates a TN", "0001" "0161", 0, 1, STIRMLS_R_CRED_BASIC_NO_TN},
    {"stir_certificate without a validator", "f051" "03" "023001", 0, 0, STIRMLS_R_UNSUPPORTED},
    {"stir_passport without a validator", "f052" "01" "61" "00", 0, 0, STIRMLS_R_UNSUPPORTED},
    {"stir_certificate plugged", "f051" "03" "023001", 0, 1, STIRMLS_R_OK},
    {"stir_passport plugged", "f052" "01" "61" "00", 0, 1, STIRMLS_R_OK},
    {"x509 without the STIR profile", "0002" "03" "023001", 0, 1, STIRMLS_R_CRED_X509_NOT_ALLOWED},
    {"x509 with the STIR profile", "0002" "03" "023001", 1, 1, STIRMLS_R_OK},
};

START_TEST(dispatch_table)
{
    const struct dispatch_case *c = &dispatch_cases[_i];
    size_t n;
    uint8_t *buf = tl_hex(c->hex, &n);
    stirmls_cred_codepoints cp;
    stirmls_cred_codepoints_default(&cp);
    stirmls_credential cred;
    ck_assert_int_eq(stirmls_credential_decode(buf, n, &cp, &cred, NULL), STIRMLS_R_OK);
    uint64_t limit = 2000000000;
    stirmls_cred_validators v;
    stirmls_cred_validators_default(&v);
    if (c->plug) {
        v.stir_certificate.validate = accept_tn, v.stir_certificate.ctx = &limit;
        v.stir_passport.validate = accept_tn, v.stir_passport.ctx = &limit;
    }
    uint64_t na = 0;
    stirmls_identities ids;
    stirmls_identities_init(&ids);
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_slice key = {NULL, 0};
    stirmls_reason got = stirmls_cred_validate(&v, c->x509_profile, &cred, key, 1, &na, &ids, &d);
    ck_assert_msg(got == c->want, "%s: got %s", c->name, stirmls_reason_name(got));
    ck_assert_int_eq(d.reason, c->want);
    if (got == STIRMLS_R_OK) {
        ck_assert_uint_eq(na, limit);
        ck_assert_uint_eq(ids.n, 1);
        ck_assert_str_eq(ids.id[0], "tn:12155551212");
    } else {
        ck_assert_uint_eq(ids.n, 0);
    }
    free(buf);
}
END_TEST

/* ---- successor rule (MLS-09) ----------------------------------------------------------- */

struct succ_case {
    const char *name;
    const char *old_ids[3];
    const char *new_ids[3];
    stirmls_reason want;
};

static const struct succ_case succ_cases[] = {
    {"same TN", {"tn:12155551212"}, {"tn:12155551212"}, STIRMLS_R_OK},
    {"same TN plus more", {"tn:12155551212"}, {"spc:1234", "tn:12155551212"}, STIRMLS_R_OK},
    {"different TN", {"tn:12155551212"}, {"tn:12155559999"}, STIRMLS_R_CRED_SUCCESSOR_TN},
    {"TN dropped", {"tn:12155551212", "tn:12155551213"}, {"tn:12155551212"},
     STIRMLS_R_CRED_SUCCESSOR_TN},
    {"old presented no TN", {"spc:1234"}, {"spc:1234"}, STIRMLS_R_CRED_SUCCESSOR_TN},
    {"new presents nothing", {"tn:12155551212"}, {NULL}, STIRMLS_R_CRED_SUCCESSOR_TN},
};

START_TEST(successor_table)
{
    const struct succ_case *c = &succ_cases[_i];
    stirmls_identities a, b;
    stirmls_identities_init(&a);
    stirmls_identities_init(&b);
    for (int i = 0; i < 3; i++) {
        if (c->old_ids[i])
            ck_assert_int_eq(stirmls_identities_add(&a, c->old_ids[i]), STIRMLS_R_OK);
        if (c->new_ids[i])
            ck_assert_int_eq(stirmls_identities_add(&b, c->new_ids[i]), STIRMLS_R_OK);
    }
    stirmls_detail d;
    stirmls_detail_init(&d);
    ck_assert_msg(stirmls_identities_successor(&a, &b, &d) == c->want, "%s", c->name);
}
END_TEST

START_TEST(identities_limits)
{
    stirmls_identities ids;
    stirmls_identities_init(&ids);
    char longid[STIRMLS_IDENTITY_LEN + 1];
    memset(longid, 'x', sizeof longid - 1);
    longid[sizeof longid - 1] = 0;
    ck_assert_int_eq(stirmls_identities_add(&ids, longid), STIRMLS_R_LENGTH_LIMIT);
    for (int i = 0; i < STIRMLS_MAX_IDENTITIES; i++)
        ck_assert_int_eq(stirmls_identities_add(&ids, "tn:1"), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_identities_add(&ids, "tn:1"), STIRMLS_R_LENGTH_LIMIT);
}
END_TEST

#define N(t) ((int)(sizeof(t) / sizeof((t)[0])))
Suite *credential_suite(void);
Suite *credential_suite(void)
{
    Suite *s = suite_create("credential");
    TCase *tc = tcase_create("codec");
    tcase_add_loop_test(tc, credential_table, 0, N(cred_cases));
    tcase_add_test(tc, grease_values_exactly_fifteen);
    tcase_add_test(tc, codepoints_configurable);
    tcase_add_test(tc, too_many_certificates);
    suite_add_tcase(s, tc);
    tc = tcase_create("validation");
    tcase_add_loop_test(tc, dispatch_table, 0, N(dispatch_cases));
    tcase_add_loop_test(tc, successor_table, 0, N(succ_cases));
    tcase_add_test(tc, identities_limits);
    suite_add_tcase(s, tc);
    return s;
}

/* groupinfo_test.c: GroupInfo verification at a time T and the member table (group.h), one row
 * per rule with its exact reason, on groups built by stirmls_group_info_build. The members'
 * credentials are basic/x509 credentials judged by a scripted validator (the credential layer is
 * tested elsewhere; the CLI test in groupcli_test runs real STIR credentials). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/group_msg.h"
#include "testlib/testlib.h"

#define T0 1767225600ull /* 2026-01-01T00:00:00Z */
#define DAY 86400ull
static const uint8_t seed[] = "stirmls-group-test";

#define MAXM 6

struct member {
    const char *script;       /* basic credential identity */
    const char *key_name;     /* signature key name (default "m<i>") */
    const char *enc_name;     /* encryption key name (default the member's) */
    stirmls_leaf_source source;
    uint32_t signed_index;    /* leaf index in the update/commit signature (default its own) */
    int x509;                 /* x509 credential instead of basic */
    int caps_basic_only;      /* capabilities.credentials = {basic} */
    int caps_none;            /* capabilities.extensions and .proposals empty (default {F020}, {F021}) */
    uint64_t not_after;       /* key_package lifetime end (default T0 + 30 days) */
    int blank;
};

struct group {
    size_t n;
    struct member m[MAXM];
    uint32_t signer;
    const char *signer_key; /* default: the signer's own key */
    int bad_tree_hash;
    const char *context_ext; /* GroupContext extensions<V> body, hex (default none) */
};

struct built {
    uint8_t *msg;
    size_t len;
    stirmls_group_info gi;
};

static stirmls_key *key(const char *name)
{
    stirmls_key *k = NULL;
    ck_assert_int_eq(stirmls_key_derive(seed, sizeof seed - 1, name, &k), STIRMLS_R_OK);
    return k;
}

static void build(const struct group *g, struct built *out)
{
    stirmls_slice leaves[MAXM];
    uint8_t *bytes[MAXM] = {0};
    stirmls_key *keys[MAXM] = {0};
    stirmls_slice gid = stirmls_slice_str("group-1");
    for (size_t i = 0; i < g->n; i++) {
        const struct member *m = &g->m[i];
        char kn[24], en[32];
        snprintf(kn, sizeof kn, "m%zu", i);
        snprintf(en, sizeof en, "%s", m->enc_name ? m->enc_name : kn);
        keys[i] = key(m->key_name ? m->key_name : kn);
        leaves[i].ptr = NULL, leaves[i].len = 0;
        if (m->blank)
            continue;
        stirmls_buf cred;
        stirmls_buf_init(&cred);
        stirmls_buf_put_u16(&cred, m->x509 ? STIRMLS_CRED_X509 : STIRMLS_CRED_BASIC);
        if (m->x509) {
            static const uint8_t fake_der[] = {0x30, 0x00};
            size_t mark = stirmls_buf_vec_open(&cred);
            stirmls_buf_put_opaque(&cred, fake_der, sizeof fake_der);
            stirmls_buf_vec_close(&cred, mark);
        } else {
            stirmls_buf_put_opaque(&cred, m->script, strlen(m->script));
        }
        static const uint16_t both[] = {STIRMLS_CRED_BASIC, STIRMLS_CRED_X509},
                              basic[] = {STIRMLS_CRED_BASIC};
        stirmls_kp_params p;
        memset(&p, 0, sizeof p);
        p.signature_key = keys[i];
        p.credential.ptr = cred.ptr, p.credential.len = cred.len;
        p.credentials.v = m->caps_basic_only ? basic : both;
        p.credentials.n = m->caps_basic_only ? 1 : 2;
        static const uint16_t ext_f020[] = {0xF020}, prop_f021[] = {0xF021};
        p.cap_extensions.v = ext_f020, p.cap_extensions.n = m->caps_none ? 0 : 1;
        p.proposals.v = prop_f021, p.proposals.n = m->caps_none ? 0 : 1;
        p.not_before = T0, p.not_after = m->not_after ? m->not_after : T0 + 30 * DAY;
        p.seed = seed, p.seedlen = sizeof seed - 1, p.key_name = en;
        stirmls_leaf_source src = m->source ? m->source : STIRMLS_LEAF_SOURCE_KEY_PACKAGE;
        uint32_t idx = m->signed_index ? m->signed_index : (uint32_t)i;
        stirmls_slice none = {NULL, 0};
        ck_assert_int_eq(stirmls_leafnode_build(&p, src, gid, idx, none, &bytes[i],
                                                &leaves[i].len, NULL),
                         STIRMLS_R_OK);
        leaves[i].ptr = bytes[i];
        stirmls_buf_cleanup(&cred);
    }
    stirmls_key *sk = g->signer_key ? key(g->signer_key) : stirmls_key_up_ref(keys[g->signer]);
    static const uint8_t zero[32];
    stirmls_group_build b;
    memset(&b, 0, sizeof b);
    b.group_id = gid;
    b.epoch = 3;
    b.leaves = leaves;
    b.n_leaves = g->n;
    b.signer = g->signer;
    b.signer_key = sk;
    b.confirmed_transcript_hash.ptr = zero, b.confirmed_transcript_hash.len = 32;
    b.confirmation_tag.ptr = zero, b.confirmation_tag.len = 32;
    if (g->bad_tree_hash)
        b.tree_hash.ptr = zero, b.tree_hash.len = 32;
    uint8_t *cext = NULL;
    if (g->context_ext != NULL)
        ck_assert_int_eq(stirmls_hex_decode(g->context_ext, strlen(g->context_ext), &cext,
                                            &b.context_extensions.len), STIRMLS_R_OK);
    b.context_extensions.ptr = cext;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason rc = stirmls_group_info_build(&b, &out->msg, &out->len, &d);
    ck_assert_msg(rc == STIRMLS_R_OK, "build: %s: %s", stirmls_reason_name(rc), d.text);
    ck_assert_int_eq(stirmls_group_info_decode_message(out->msg, out->len, &out->gi, NULL),
                     STIRMLS_R_OK);
    for (size_t i = 0; i < g->n; i++)
        free(bytes[i]), stirmls_key_free(keys[i]);
    stirmls_key_free(sk);
    free(cext);
}

static stirmls_cred_validators validators(void)
{
    stirmls_cred_validators v;
    stirmls_cred_validators_default(&v);
    v.basic.validate = tl_scripted_validator;
    v.x509.validate = tl_scripted_validator;
    return v;
}

static stirmls_reason verify(const struct built *b, int reject_expired, stirmls_group_result *res,
                             stirmls_detail *d)
{
    stirmls_group_policy p;
    stirmls_group_policy_default(&p);
    p.warn_within = 7 * DAY;
    p.reject_expired = reject_expired;
    stirmls_cred_validators v = validators();
    return stirmls_group_info_verify(&b->gi, &p, &v, T0 + DAY, res, d);
}

#define FRESH "12025550101 1769817600"   /* T0 + 30 days */
#define FRESH2 "12025550102 1769817600"
#define FRESH3 "12025550103 1769817600"
#define SOON "12025550104 1767571200"    /* T0 + 4 days: inside the 7-day window at T0 + 1 day */
#define STALE "12025550105 0 PPT_STALE"
#define UNCOVERED "12025550106 0 TN_NOT_COVERED"

static const struct group base = {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2, .source = 2},
                                      {.script = FRESH3}}, 0, NULL, 0};

START_TEST(valid_group_member_table)
{
    struct built b;
    build(&base, &b);
    stirmls_group_result res;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason rc = verify(&b, 0, &res, &d);
    ck_assert_msg(rc == STIRMLS_R_OK, "%s: %s", stirmls_reason_name(rc), d.text);
    ck_assert_uint_eq(res.n_members, 3);
    ck_assert_uint_eq(res.n_leaves, 4);
    ck_assert_uint_eq(res.members[1].leaf_index, 1);
    ck_assert_int_eq(res.members[1].source, STIRMLS_LEAF_SOURCE_UPDATE);
    ck_assert_str_eq(res.members[1].identities.id[0], "tn:12025550102");
    ck_assert_str_eq(res.members[1].identities.assurance, "tn-authorized");
    ck_assert_int_eq(res.members[1].status, STIRMLS_MEMBER_VALID);
    /* a key_package leaf's effective end is its lifetime when earlier than the credential's */
    ck_assert_uint_eq(res.members[0].not_after, T0 + 30 * DAY);
    stirmls_group_result_cleanup(&res);
    /* the same bytes re-encode exactly */
    stirmls_buf w;
    stirmls_buf_init(&w);
    stirmls_group_info_write_message(&w, &b.gi);
    ck_assert(w.len == b.len && memcmp(w.ptr, b.msg, b.len) == 0);
    stirmls_buf_cleanup(&w);
    free(b.msg);
}
END_TEST

static const struct {
    const char *name;
    struct group g;
    stirmls_reason flag_only, reject_expired; /* verdict under each policy */
    int member;                               /* the member whose status is checked, or -1 */
    stirmls_member_status status;
    stirmls_reason member_reason;
} rows[] = {
    {"expiring member", {.n = 3, .m = {{.script = FRESH}, {.script = SOON, .source = 2}, {.script = FRESH3}}},
     STIRMLS_R_OK, STIRMLS_R_OK, 1, STIRMLS_MEMBER_EXPIRING, STIRMLS_R_OK},
    {"expired PASSporT: flagged, or rejected by policy",
     {.n = 3, .m = {{.script = FRESH}, {.script = STALE, .source = 2}, {.script = FRESH3}}},
     STIRMLS_R_OK, STIRMLS_R_MLS_MEMBER_EXPIRED, 1, STIRMLS_MEMBER_EXPIRED, STIRMLS_R_PPT_STALE},
    {"key_package lifetime over", {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2, .not_after = T0 + 1},
                                       {.script = FRESH3}}},
     STIRMLS_R_OK, STIRMLS_R_MLS_MEMBER_EXPIRED, 1, STIRMLS_MEMBER_EXPIRED,
     STIRMLS_R_MLS_LIFETIME_EXPIRED},
    {"invalid credential", {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2}, {.script = UNCOVERED}}},
     STIRMLS_R_TN_NOT_COVERED, STIRMLS_R_TN_NOT_COVERED, 2, STIRMLS_MEMBER_INVALID,
     STIRMLS_R_TN_NOT_COVERED},
    {"invalid wins over expired",
     {.n = 3, .m = {{.script = STALE}, {.script = FRESH2}, {.script = UNCOVERED}}},
     STIRMLS_R_TN_NOT_COVERED, STIRMLS_R_TN_NOT_COVERED, 0, STIRMLS_MEMBER_EXPIRED,
     STIRMLS_R_PPT_STALE},
    {"update leaf signed for another index",
     {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2, .source = 2, .signed_index = 2},
          {.script = FRESH3}}},
     STIRMLS_R_MLS_LEAF_SIGNATURE, STIRMLS_R_MLS_LEAF_SIGNATURE, 1, STIRMLS_MEMBER_INVALID,
     STIRMLS_R_MLS_LEAF_SIGNATURE},
    {"capabilities omit a credential type in use",
     {.n = 3, .m = {{.script = FRESH, .caps_basic_only = 1}, {.x509 = 1}, {.script = FRESH3}}},
     STIRMLS_R_MLS_CAPABILITIES_CREDENTIAL, STIRMLS_R_MLS_CAPABILITIES_CREDENTIAL, 0,
     STIRMLS_MEMBER_INVALID, STIRMLS_R_MLS_CAPABILITIES_CREDENTIAL},
    {"duplicate signature keys",
     {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2, .key_name = "m0"}, {.script = FRESH3}}},
     STIRMLS_R_MLS_DUPLICATE_SIGNATURE_KEY, STIRMLS_R_MLS_DUPLICATE_SIGNATURE_KEY, -1, 0, 0},
    {"duplicate encryption keys",
     {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2}, {.script = FRESH3, .enc_name = "m0"}}},
     STIRMLS_R_MLS_DUPLICATE_ENCRYPTION_KEY, STIRMLS_R_MLS_DUPLICATE_ENCRYPTION_KEY, -1, 0, 0},
    {"wrong tree hash", {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2}, {.script = FRESH3}}, 0, NULL, 1},
     STIRMLS_R_MLS_TREE_HASH, STIRMLS_R_MLS_TREE_HASH, -1, 0, 0},
    {"signed by another member", {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2}, {.script = FRESH3}}, 0,
                                  "m2", 0},
     STIRMLS_R_MLS_GROUP_INFO_SIGNATURE, STIRMLS_R_MLS_GROUP_INFO_SIGNATURE, -1, 0, 0},
    {"signer is a blank leaf",
     {.n = 3, .m = {{.script = FRESH}, {.blank = 1}, {.script = FRESH3}}, 1, "m1", 0},
     STIRMLS_R_MLS_GROUP_INFO_SIGNER, STIRMLS_R_MLS_GROUP_INFO_SIGNER, -1, 0, 0},
    /* required_capabilities (0x0003): extension_types, proposal_types, credential_types */
    {"required types listed by every member",
     {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2}, {.script = FRESH3}}, 2, NULL, 0,
      "000309" "02f020" "02f021" "020001"},
     STIRMLS_R_OK, STIRMLS_R_OK, 1, STIRMLS_MEMBER_VALID, STIRMLS_R_OK},
    {"required default types need not be listed",
     {.n = 3, .m = {{.script = FRESH, .caps_none = 1}, {.script = FRESH2, .caps_none = 1},
                    {.script = FRESH3, .caps_none = 1}}, 2, NULL, 0, "000307" "020002" "020001" "00"},
     STIRMLS_R_OK, STIRMLS_R_OK, 0, STIRMLS_MEMBER_VALID, STIRMLS_R_OK},
    {"a member lacks a required extension type",
     {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2, .caps_none = 1}, {.script = FRESH3}}, 2, NULL, 0,
      "000305" "02f020" "00" "00"},
     STIRMLS_R_MLS_REQUIRED_CAPABILITIES, STIRMLS_R_MLS_REQUIRED_CAPABILITIES, 1,
     STIRMLS_MEMBER_INVALID, STIRMLS_R_MLS_REQUIRED_CAPABILITIES},
    {"a member lacks a required proposal type",
     {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2}, {.script = FRESH3, .caps_none = 1}}, 0, NULL, 0,
      "000305" "00" "02f021" "00"},
     STIRMLS_R_MLS_REQUIRED_CAPABILITIES, STIRMLS_R_MLS_REQUIRED_CAPABILITIES, 2,
     STIRMLS_MEMBER_INVALID, STIRMLS_R_MLS_REQUIRED_CAPABILITIES},
    {"a member lacks a required credential type no member uses",
     {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2, .caps_basic_only = 1}, {.script = FRESH3}}, 2, NULL,
      0, "000305" "00" "00" "020002"},
     STIRMLS_R_MLS_REQUIRED_CAPABILITIES, STIRMLS_R_MLS_REQUIRED_CAPABILITIES, 1,
     STIRMLS_MEMBER_INVALID, STIRMLS_R_MLS_REQUIRED_CAPABILITIES},
    {"required_capabilities truncated",
     {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2}, {.script = FRESH3}}, 2, NULL, 0, "00030102"},
     STIRMLS_R_TRUNCATED, STIRMLS_R_TRUNCATED, -1, 0, 0},
    {"required_capabilities with an odd-length list",
     {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2}, {.script = FRESH3}}, 2, NULL, 0,
      "000304" "00" "00" "01f0"},
     STIRMLS_R_TRUNCATED, STIRMLS_R_TRUNCATED, -1, 0, 0},
    {"required_capabilities with a trailing octet",
     {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2}, {.script = FRESH3}}, 2, NULL, 0,
      "000304" "00" "00" "00" "00"},
     STIRMLS_R_TRAILING_BYTES, STIRMLS_R_TRAILING_BYTES, -1, 0, 0},
    {"signer outside the tree",
     {.n = 3, .m = {{.script = FRESH}, {.script = FRESH2}, {.script = FRESH3}}, 9, "m1", 0},
     STIRMLS_R_MLS_GROUP_INFO_SIGNER, STIRMLS_R_MLS_GROUP_INFO_SIGNER, -1, 0, 0},
};

START_TEST(verify_rows)
{
    struct built b;
    build(&rows[_i].g, &b);
    for (int policy = 0; policy < 2; policy++) {
        stirmls_group_result res;
        stirmls_detail d;
        stirmls_detail_init(&d);
        stirmls_reason want = policy ? rows[_i].reject_expired : rows[_i].flag_only;
        stirmls_reason rc = verify(&b, policy, &res, &d);
        ck_assert_msg(rc == want, "%s (policy %d): %s, want %s (%s)", rows[_i].name, policy,
                      stirmls_reason_name(rc), stirmls_reason_name(want), d.text);
        ck_assert_int_eq(d.reason, rc);
        if (rows[_i].member >= 0) {
            const stirmls_group_member *m = NULL;
            for (size_t k = 0; k < res.n_members; k++)
                if (res.members[k].leaf_index == (uint32_t)rows[_i].member)
                    m = &res.members[k];
            ck_assert_msg(m != NULL, "%s: no member %d", rows[_i].name, rows[_i].member);
            ck_assert_int_eq(m->status, rows[_i].status);
            ck_assert_int_eq(m->detail.reason, rows[_i].member_reason);
        } else {
            ck_assert_uint_eq(res.n_members, 0);
        }
        stirmls_group_result_cleanup(&res);
    }
    free(b.msg);
}
END_TEST

/* Rules judged on the decoded structure: suite, version, no ratchet_tree. */
START_TEST(context_rules)
{
    struct built b;
    build(&base, &b);
    stirmls_group_info gi = b.gi;
    stirmls_group_policy p;
    stirmls_group_policy_default(&p);
    stirmls_cred_validators v = validators();
    gi.context.cipher_suite = 1;
    ck_assert_int_eq(stirmls_group_info_verify(&gi, &p, &v, T0, NULL, NULL),
                     STIRMLS_R_MLS_CIPHER_SUITE);
    gi = b.gi;
    gi.context.version = 2;
    ck_assert_int_eq(stirmls_group_info_verify(&gi, &p, &v, T0, NULL, NULL), STIRMLS_R_MLS_VERSION);
    gi = b.gi;
    gi.extensions.len = 0;
    ck_assert_int_eq(stirmls_group_info_verify(&gi, &p, &v, T0, NULL, NULL),
                     STIRMLS_R_MLS_RATCHET_TREE_MISSING);
    /* one flipped signature byte */
    gi = b.gi;
    uint8_t *sig = (uint8_t *)gi.signature.ptr;
    sig[gi.signature.len - 1] ^= 1;
    stirmls_reason rc = stirmls_group_info_verify(&gi, &p, &v, T0, NULL, NULL);
    ck_assert(rc == STIRMLS_R_MLS_GROUP_INFO_SIGNATURE || rc == STIRMLS_R_MLS_SIGNATURE_FORMAT);
    free(b.msg);
}
END_TEST

Suite *groupinfo_suite(void);
Suite *groupinfo_suite(void)
{
    Suite *s = suite_create("groupinfo");
    TCase *tc = tcase_create("verify");
    tcase_add_test(tc, valid_group_member_table);
    tcase_add_loop_test(tc, verify_rows, 0, sizeof rows / sizeof rows[0]);
    tcase_add_test(tc, context_rules);
    suite_add_tcase(s, tc);
    return s;
}

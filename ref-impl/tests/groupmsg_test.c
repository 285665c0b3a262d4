/* groupmsg_test.c: PublicMessages judged against a GroupInfo of their epoch (group.h,
 * stirmls_group_message_verify), one row per rule with its exact reason. Members carry basic
 * credentials judged by a scripted validator ("<tn> <not_after> [<REASON>]"), as in
 * groupinfo_test; the successor rule sees the TNs the scripts present. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/group_msg.h"
#include "testlib/testlib.h"

#define T0 1767225600ull
#define DAY 86400ull
static const uint8_t seed[] = "stirmls-groupmsg-test";
static const char gid[] = "group-m";

static stirmls_key *key(const char *name)
{
    stirmls_key *k = NULL;
    ck_assert_int_eq(stirmls_key_derive(seed, sizeof seed - 1, name, &k), STIRMLS_R_OK);
    return k;
}

/* A signed LeafNode (basic credential `script`) of `source`, for leaf `index`; key names;
 * capabilities.extensions {0xF020} when caps_f020. */
static uint8_t *make_leaf(const char *script, const char *sig, const char *enc,
                          stirmls_leaf_source source, uint32_t index, uint64_t not_after,
                          int as_keypackage, int caps_f020, size_t *len)
{
    static const uint16_t f020[] = {0xF020};
    stirmls_buf cred;
    stirmls_buf_init(&cred);
    stirmls_buf_put_u16(&cred, STIRMLS_CRED_BASIC);
    stirmls_buf_put_opaque(&cred, script, strlen(script));
    stirmls_key *k = key(sig);
    stirmls_kp_params p;
    memset(&p, 0, sizeof p);
    p.signature_key = k;
    p.credential.ptr = cred.ptr, p.credential.len = cred.len;
    p.not_before = T0, p.not_after = not_after ? not_after : T0 + 20 * DAY;
    p.cap_extensions.v = f020, p.cap_extensions.n = caps_f020 ? 1 : 0;
    p.seed = seed, p.seedlen = sizeof seed - 1, p.key_name = enc;
    uint8_t *out = NULL;
    stirmls_slice g = stirmls_slice_str(gid), none = {NULL, 0};
    if (as_keypackage)
        ck_assert_int_eq(stirmls_keypackage_build(&p, 0, &out, len, NULL), STIRMLS_R_OK);
    else
        ck_assert_int_eq(stirmls_leafnode_build(&p, source, g, index, none, &out, len, NULL),
                         STIRMLS_R_OK);
    stirmls_buf_cleanup(&cred);
    stirmls_key_free(k);
    return out;
}

#define A "12025550101 1769000000"
#define B "12025550102 1769000000"
#define C "12025550103 1769000000"

struct fixture {
    uint8_t *gi_bytes;
    size_t gi_len;
    stirmls_group_info gi;
};

/* Members m0 (A), m1 (B), blank, m3 (C); signed by m0. With requires_f020, the GroupContext's
 * required_capabilities lists extension type 0xF020 and every member lists it. */
static void group(struct fixture *f, int requires_f020)
{
    static const uint8_t reqcaps[] = {0x00, 0x03, 0x05, 0x02, 0xF0, 0x20, 0x00, 0x00};
    stirmls_slice leaves[4];
    uint8_t *b[4] = {0};
    static const char *const scripts[4] = {A, B, NULL, C};
    for (int i = 0; i < 4; i++) {
        char n[16];
        snprintf(n, sizeof n, "m%d", i);
        leaves[i].ptr = NULL, leaves[i].len = 0;
        if (scripts[i] == NULL)
            continue;
        b[i] = make_leaf(scripts[i], n, n, STIRMLS_LEAF_SOURCE_UPDATE, (uint32_t)i, 0, 0,
                         requires_f020, &leaves[i].len);
        leaves[i].ptr = b[i];
    }
    stirmls_key *k0 = key("m0");
    stirmls_group_build g;
    memset(&g, 0, sizeof g);
    g.group_id = stirmls_slice_str(gid), g.epoch = 5, g.leaves = leaves, g.n_leaves = 4;
    g.signer = 0, g.signer_key = k0;
    if (requires_f020)
        g.context_extensions.ptr = reqcaps, g.context_extensions.len = sizeof reqcaps;
    ck_assert_int_eq(stirmls_group_info_build(&g, &f->gi_bytes, &f->gi_len, NULL), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_group_info_decode_message(f->gi_bytes, f->gi_len, &f->gi, NULL),
                     STIRMLS_R_OK);
    for (int i = 0; i < 4; i++)
        free(b[i]);
    stirmls_key_free(k0);
}

/* The message judged at T0 + 1 day, with the proposal messages pool[0..np) at hand. */
static stirmls_reason judge_refs(const struct fixture *f, const uint8_t *msg, size_t len,
                                 const stirmls_public_message *pool, size_t np,
                                 stirmls_group_message_result *res)
{
    stirmls_cred_codepoints cp;
    stirmls_cred_codepoints_default(&cp);
    stirmls_public_message m;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason rc = stirmls_public_message_decode_message(msg, len, &cp, &m, &d);
    ck_assert_msg(rc == STIRMLS_R_OK, "decode: %s: %s", stirmls_reason_name(rc), d.text);
    stirmls_group_policy p;
    stirmls_group_policy_default(&p);
    stirmls_cred_validators v;
    stirmls_cred_validators_default(&v);
    v.basic.validate = tl_scripted_validator;
    rc = stirmls_group_message_verify_refs(&f->gi, &m, pool, np, &p, &v, T0 + DAY, res, &d);
    ck_assert_int_eq(d.reason, rc);
    stirmls_public_message_cleanup(&m);
    return rc;
}

/* A Remove proposal of `leaf`. */
static void put_remove(stirmls_buf *b, uint32_t leaf)
{
    stirmls_buf_put_u16(b, STIRMLS_PROPOSAL_REMOVE);
    stirmls_buf_put_u32(b, leaf);
}

static stirmls_reason judge(const struct fixture *f, const uint8_t *msg, size_t len,
                            stirmls_group_message_result *res)
{
    return judge_refs(f, msg, len, NULL, 0, res);
}

/* A Commit of `committer` whose proposals<V> were written into content from `mark` on: the
 * vector closed, no path, signed with the committer's key. Owned. */
static uint8_t *commit_message(const struct fixture *f, uint32_t committer, stirmls_buf *content,
                               size_t mark, size_t *len)
{
    char who[8];
    stirmls_buf_vec_close(content, mark);
    stirmls_buf_put_u8(content, 0); /* no path */
    snprintf(who, sizeof who, "m%u", committer);
    stirmls_key *signer = key(who);
    uint8_t *msg = tl_public_message(&f->gi, committer, 5, STIRMLS_CONTENT_COMMIT, content, signer, len);
    stirmls_key_free(signer);
    return msg;
}

/* Update / UpdatePath leaf: script, signature key, encryption key, signed index. */
typedef struct row {
    const char *name;
    char kind;          /* 'u' Update proposal, 'c' Commit with path, 'a' Add, 'r' Remove */
    uint32_t sender;
    const char *script; /* the new credential */
    const char *sig, *enc;
    uint32_t index;     /* leaf index in the new leaf's signature; Remove: the removed leaf */
    const char *signer; /* message signer key */
    uint64_t epoch;
    uint64_t kp_not_after;
    stirmls_reason want;
    int requires_f020; /* the group requires extension type 0xF020 (members list it) */
    int lists_f020;    /* the new leaf lists it */
} row;

static const row rows[] = {
    {"update renews the same number", 'u', 1, "12025550102 1770000000", "m1", "m1-new", 1, "m1", 5, 0, STIRMLS_R_OK, 0, 0},
    {"update switches the number", 'u', 1, "12025550199 1770000000", "m1", "m1-new", 1, "m1", 5, 0, STIRMLS_R_CRED_SUCCESSOR_TN, 0, 0},
    {"update with an expired credential", 'u', 1, "12025550102 0 PPT_STALE", "m1", "m1-new", 1, "m1", 5, 0, STIRMLS_R_PPT_STALE, 0, 0},
    {"update keeps the encryption key", 'u', 1, "12025550102 1770000000", "m1", "m1", 1, "m1", 5, 0, STIRMLS_R_MLS_UPDATE_KEY_REUSE, 0, 0},
    {"update leaf signed for another index", 'u', 1, "12025550102 1770000000", "m1", "m1-new", 3, "m1", 5, 0, STIRMLS_R_MLS_LEAF_SIGNATURE, 0, 0},
    {"signed with another member's key", 'u', 1, "12025550102 1770000000", "m1", "m1-new", 1, "m3", 5, 0, STIRMLS_R_MLS_MESSAGE_SIGNATURE, 0, 0},
    {"another epoch", 'u', 1, "12025550102 1770000000", "m1", "m1-new", 1, "m1", 6, 0, STIRMLS_R_MLS_MESSAGE_GROUP, 0, 0},
    {"sender is a blank leaf", 'u', 2, "12025550102 1770000000", "m2", "m2-new", 2, "m2", 5, 0, STIRMLS_R_MLS_SENDER_NOT_MEMBER, 0, 0},
    {"commit path renews", 'c', 3, "12025550103 1770000000", "m3", "m3-new", 3, "m3", 5, 0, STIRMLS_R_OK, 0, 0},
    {"commit path switches the number", 'c', 3, "12025550101 1770000000", "m3", "m3-new", 3, "m3", 5, 0, STIRMLS_R_CRED_SUCCESSOR_TN, 0, 0},
    {"add of a valid KeyPackage", 'a', 0, "12025550104 1770000000", "m9", "m9", 0, "m0", 5, 0, STIRMLS_R_OK, 0, 0},
    {"add of an expired KeyPackage", 'a', 0, "12025550104 1770000000", "m9", "m9", 0, "m0", 5, T0 + 1, STIRMLS_R_MLS_LIFETIME_EXPIRED, 0, 0},
    {"remove of a member", 'r', 0, NULL, NULL, NULL, 3, "m0", 5, 0, STIRMLS_R_OK, 0, 0},
    {"remove of a blank leaf", 'r', 0, NULL, NULL, NULL, 2, "m0", 5, 0, STIRMLS_R_MLS_REMOVE_TARGET, 0, 0},
    {"add of a member's signature key", 'a', 0, "12025550104 1770000000", "m1", "m9", 0, "m0", 5, 0, STIRMLS_R_MLS_ADD_EXISTING_KEY, 0, 0},
    {"required extension: update lists it", 'u', 1, "12025550102 1770000000", "m1", "m1-new", 1, "m1", 5, 0, STIRMLS_R_OK, 1, 1},
    {"required extension: update lacks it", 'u', 1, "12025550102 1770000000", "m1", "m1-new", 1, "m1", 5, 0, STIRMLS_R_MLS_REQUIRED_CAPABILITIES, 1, 0},
    {"required extension: add lists it", 'a', 0, "12025550104 1770000000", "m9", "m9", 0, "m0", 5, 0, STIRMLS_R_OK, 1, 1},
    {"required extension: add lacks it", 'a', 0, "12025550104 1770000000", "m9", "m9", 0, "m0", 5, 0, STIRMLS_R_MLS_REQUIRED_CAPABILITIES, 1, 0},
    {"required extension: commit path lists it", 'c', 3, "12025550103 1770000000", "m3", "m3-new", 3, "m3", 5, 0, STIRMLS_R_OK, 1, 1},
    {"required extension: commit path lacks it", 'c', 3, "12025550103 1770000000", "m3", "m3-new", 3, "m3", 5, 0, STIRMLS_R_MLS_REQUIRED_CAPABILITIES, 1, 0},
};

START_TEST(message_rows)
{
    const row *r = &rows[_i];
    struct fixture f;
    group(&f, r->requires_f020);
    stirmls_buf content;
    stirmls_buf_init(&content);
    size_t n = 0;
    uint8_t *leaf = NULL;
    uint8_t ctype = 2;
    if (r->kind == 'u' || r->kind == 'a') {
        leaf = make_leaf(r->script, r->sig, r->enc,
                         r->kind == 'u' ? STIRMLS_LEAF_SOURCE_UPDATE : STIRMLS_LEAF_SOURCE_KEY_PACKAGE,
                         r->index, r->kp_not_after, r->kind == 'a', r->lists_f020, &n);
        stirmls_buf_put_u16(&content, r->kind == 'u' ? STIRMLS_PROPOSAL_UPDATE : STIRMLS_PROPOSAL_ADD);
        stirmls_buf_put(&content, leaf, n);
    } else if (r->kind == 'r') {
        stirmls_buf_put_u16(&content, STIRMLS_PROPOSAL_REMOVE);
        stirmls_buf_put_u32(&content, r->index);
    } else {
        ctype = 3;
        leaf = make_leaf(r->script, r->sig, r->enc, STIRMLS_LEAF_SOURCE_COMMIT, r->index, 0, 0,
                         r->lists_f020, &n);
        stirmls_buf_put_u8(&content, 0); /* no proposals */
        stirmls_buf_put_u8(&content, 1); /* a path */
        stirmls_buf_put(&content, leaf, n);
        stirmls_buf_put_u8(&content, 0); /* no path nodes */
    }
    size_t len;
    stirmls_key *signer = key(r->signer);
    uint8_t *msg = tl_public_message(&f.gi, r->sender, r->epoch, ctype, &content, signer, &len);
    stirmls_key_free(signer);
    stirmls_group_message_result res;
    stirmls_reason rc = judge(&f, msg, len, &res);
    ck_assert_msg(rc == r->want, "%s: %s, want %s", r->name, stirmls_reason_name(rc),
                  stirmls_reason_name(r->want));
    if (rc == STIRMLS_R_OK && r->kind != 'r') {
        ck_assert(res.has_new_member);
        ck_assert_int_eq(res.new_member.status, STIRMLS_MEMBER_VALID);
        ck_assert_uint_eq(res.new_member.identities.n, 1);
    }
    free(msg), free(leaf), free(f.gi_bytes);
    stirmls_buf_cleanup(&content);
}
END_TEST

/* ---- a Commit's proposal list (RFC 9420 §12.2) ------------------------------------------- */

typedef struct list_row {
    const char *name;
    uint32_t sender;
    const char *items; /* by value, in order: "rN" Remove of leaf N, "aKEY" Add of a KeyPackage
                          signed with KEY, "u" an Update of the sender's leaf */
    stirmls_reason want;
} list_row;

static const list_row list_rows[] = {
    {"removes of two members", 0, "r1 r3", STIRMLS_R_OK},
    {"two removes of one leaf", 0, "r1 r3 r1", STIRMLS_R_MLS_COMMIT_SAME_LEAF},
    {"remove of the committer", 3, "r1 r3", STIRMLS_R_MLS_COMMIT_REMOVES_COMMITTER},
    {"an update by value", 1, "u", STIRMLS_R_MLS_COMMIT_OWN_UPDATE},
    {"an update by value after a remove", 1, "r3 u", STIRMLS_R_MLS_COMMIT_OWN_UPDATE},
    {"add of a member's signature key", 0, "am1", STIRMLS_R_MLS_ADD_EXISTING_KEY},
    {"remove, then add of that member's key", 0, "r1 am1", STIRMLS_R_OK},
    {"add of a member's key, then its remove", 0, "am1 r1", STIRMLS_R_OK},
    {"add of a key another member is removed for", 0, "r3 am1", STIRMLS_R_MLS_ADD_EXISTING_KEY},
    {"two adds of one key", 0, "am9 am9", STIRMLS_R_MLS_ADD_EXISTING_KEY},
    {"adds of two keys", 0, "am9 am8", STIRMLS_R_OK},
    {"remove of a blank leaf", 0, "r2", STIRMLS_R_MLS_REMOVE_TARGET},
};

START_TEST(commit_lists)
{
    const list_row *r = &list_rows[_i];
    struct fixture f;
    group(&f, 0);
    stirmls_buf content;
    stirmls_buf_init(&content);
    size_t mark = stirmls_buf_vec_open(&content);
    char items[64];
    snprintf(items, sizeof items, "%s", r->items);
    for (char *save = NULL, *t = strtok_r(items, " ", &save); t != NULL; t = strtok_r(NULL, " ", &save)) {
        size_t n = 0;
        uint8_t *leaf = NULL;
        char sig[16], enc[24];
        stirmls_buf_put_u8(&content, 1); /* by value */
        if (t[0] == 'r') {
            put_remove(&content, (uint32_t)atoi(t + 1));
            continue;
        }
        snprintf(sig, sizeof sig, "%s", t[0] == 'a' ? t + 1 : "m1");
        snprintf(enc, sizeof enc, "%s-enc", sig);
        leaf = make_leaf(t[0] == 'a' ? "12025550104 1770000000" : "12025550102 1770000000", sig, enc,
                         t[0] == 'a' ? STIRMLS_LEAF_SOURCE_KEY_PACKAGE : STIRMLS_LEAF_SOURCE_UPDATE, r->sender, 0,
                         t[0] == 'a', 0, &n);
        stirmls_buf_put_u16(&content, t[0] == 'a' ? STIRMLS_PROPOSAL_ADD : STIRMLS_PROPOSAL_UPDATE);
        stirmls_buf_put(&content, leaf, n);
        free(leaf);
    }
    size_t len;
    uint8_t *msg = commit_message(&f, r->sender, &content, mark, &len);
    stirmls_group_message_result res;
    stirmls_reason rc = judge(&f, msg, len, &res);
    ck_assert_msg(rc == r->want, "%s: %s, want %s", r->name, stirmls_reason_name(rc), stirmls_reason_name(r->want));
    free(msg), free(f.gi_bytes);
    stirmls_buf_cleanup(&content);
}
END_TEST

/* ---- proposals by reference (RFC 9420 §12.4, §5.2) -------------------------------------- */

/* ProposalRef computed from the message bytes (AuthenticatedContent is the MLSMessage without its
 * 2-octet version and its trailing membership_tag<V> of 32 octets), not from the decoded fields. */
static void ref_of_bytes(const uint8_t *msg, size_t len, uint8_t out[STIRMLS_SHA256_LEN])
{
    ck_assert(len > 2 + 33 && msg[len - 33] == 32);
    stirmls_slice ac = {msg + 2, len - 2 - 33};
    ck_assert_int_eq(stirmls_mls_ref_hash("MLS 1.0 Proposal Reference", ac, out), STIRMLS_R_OK);
}

/* Rows of list_row; items in order: "uN" an Update proposed by member N, by reference; "RN:S" a
 * Remove of leaf N proposed by S, by reference; "rN" a Remove by value; a trailing "-" on a
 * reference: its message is not given. The sender is the committer. */

static const list_row ref_rows[] = {
    {"update by another member, by reference", 0, "u1", STIRMLS_R_OK},
    {"updates by two members and a remove", 0, "u1 u3 R3:1", STIRMLS_R_MLS_COMMIT_SAME_LEAF},
    {"update and remove of different leaves", 0, "u1 R3:1", STIRMLS_R_OK},
    {"reference whose message is not given", 0, "u1-", STIRMLS_R_MLS_PROPOSAL_REF_UNRESOLVED},
    {"second reference not given", 0, "R3:1 u1-", STIRMLS_R_MLS_PROPOSAL_REF_UNRESOLVED},
    {"the committer's own update by reference", 1, "u1", STIRMLS_R_MLS_COMMIT_OWN_UPDATE},
    {"update by reference and remove by value of its leaf", 0, "u1 r1", STIRMLS_R_MLS_COMMIT_SAME_LEAF},
    {"remove of the committer proposed by another", 0, "R0:1", STIRMLS_R_MLS_COMMIT_REMOVES_COMMITTER},
    {"remove of a blank leaf by reference", 0, "R2:3", STIRMLS_R_MLS_REMOVE_TARGET},
};

START_TEST(commit_references)
{
    static const char *const scripts[4] = {A, B, NULL, C};
    const list_row *r = &ref_rows[_i];
    struct fixture f;
    group(&f, 0);
    stirmls_cred_codepoints cp;
    stirmls_cred_codepoints_default(&cp);
    stirmls_public_message pool[8];
    uint8_t *pbytes[8] = {0};
    size_t np = 0;
    stirmls_buf content;
    stirmls_buf_init(&content);
    size_t mark = stirmls_buf_vec_open(&content);
    char items[64];
    snprintf(items, sizeof items, "%s", r->items);
    for (char *save = NULL, *t = strtok_r(items, " ", &save); t != NULL; t = strtok_r(NULL, " ", &save)) {
        if (t[0] == 'r') {
            stirmls_buf_put_u8(&content, 1); /* by value */
            put_remove(&content, (uint32_t)atoi(t + 1));
            continue;
        }
        uint32_t proposer = (uint32_t)atoi(t[0] == 'u' ? t + 1 : strchr(t, ':') + 1);
        stirmls_buf pc;
        stirmls_buf_init(&pc);
        char sig[8], enc[16];
        snprintf(sig, sizeof sig, "m%u", proposer);
        snprintf(enc, sizeof enc, "m%u-new", proposer);
        if (t[0] == 'u') {
            size_t n = 0;
            uint8_t *leaf = make_leaf(scripts[proposer], sig, enc, STIRMLS_LEAF_SOURCE_UPDATE, proposer, 0, 0, 0, &n);
            stirmls_buf_put_u16(&pc, STIRMLS_PROPOSAL_UPDATE);
            stirmls_buf_put(&pc, leaf, n);
            free(leaf);
        } else {
            put_remove(&pc, (uint32_t)atoi(t + 1));
        }
        size_t len;
        stirmls_key *k = key(sig);
        uint8_t *msg = tl_public_message(&f.gi, proposer, 5, STIRMLS_CONTENT_PROPOSAL, &pc, k, &len);
        stirmls_key_free(k);
        stirmls_buf_cleanup(&pc);
        uint8_t ref[STIRMLS_SHA256_LEN], ref2[STIRMLS_SHA256_LEN];
        ref_of_bytes(msg, len, ref);
        stirmls_public_message pm;
        ck_assert_int_eq(stirmls_public_message_decode_message(msg, len, &cp, &pm, NULL), STIRMLS_R_OK);
        ck_assert_int_eq(stirmls_proposal_ref(&pm, ref2), STIRMLS_R_OK);
        ck_assert(memcmp(ref, ref2, sizeof ref) == 0); /* decoded fields give the bytes' reference */
        stirmls_buf_put_u8(&content, 2);
        stirmls_buf_put_opaque(&content, ref, sizeof ref);
        if (t[strlen(t) - 1] == '-') {
            stirmls_public_message_cleanup(&pm);
            free(msg);
            continue;
        }
        ck_assert_uint_lt(np, 8);
        pool[np] = pm, pbytes[np++] = msg;
    }
    size_t len;
    uint8_t *msg = commit_message(&f, r->sender, &content, mark, &len);
    stirmls_group_message_result res;
    stirmls_reason rc = judge_refs(&f, msg, len, pool, np, &res);
    ck_assert_msg(rc == r->want, "%s: %s, want %s", r->name, stirmls_reason_name(rc),
                  stirmls_reason_name(r->want));
    /* without the proposal messages, any reference is unresolved */
    if (np > 0)
        ck_assert_int_eq(judge(&f, msg, len, &res), STIRMLS_R_MLS_PROPOSAL_REF_UNRESOLVED);
    for (size_t i = 0; i < np; i++)
        stirmls_public_message_cleanup(&pool[i]), free(pbytes[i]);
    free(msg), free(f.gi_bytes);
    stirmls_buf_cleanup(&content);
}
END_TEST

Suite *groupmsg_suite(void);
Suite *groupmsg_suite(void)
{
    Suite *s = suite_create("groupmsg");
    TCase *tc = tcase_create("verify");
    tcase_add_loop_test(tc, message_rows, 0, sizeof rows / sizeof rows[0]);
    tcase_add_loop_test(tc, commit_lists, 0, sizeof list_rows / sizeof list_rows[0]);
    tcase_add_loop_test(tc, commit_references, 0, sizeof ref_rows / sizeof ref_rows[0]);
    suite_add_tcase(s, tc);
    return s;
}

/* mlsgroup_test.c: the group codecs (group.h) on the MLS working group's messages.json: every
 * mls_group_info, ratchet_tree, commit, public_message_proposal and public_message_commit entry
 * decodes and re-encodes to the same bytes; truncations and bad type octets give their reasons. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/testlib.h"

static json_t *messages;

static void load(void)
{
    json_error_t jerr;
    messages = json_load_file(tl_mlswg_path("messages.json"), 0, &jerr);
    ck_assert_msg(messages != NULL, "cannot load messages.json: %s", jerr.text);
}

static void unload(void)
{
    json_decref(messages);
}

typedef enum { K_GROUP_INFO, K_TREE, K_COMMIT, K_PUBLIC } kind;

/* Decode buf as `k`, re-encode into b; returns the decode reason. */
static stirmls_reason roundtrip(kind k, const uint8_t *buf, size_t n, stirmls_buf *b,
                                stirmls_detail *d)
{
    stirmls_cred_codepoints cp;
    stirmls_cred_codepoints_default(&cp);
    stirmls_reason rc;
    switch (k) {
    case K_GROUP_INFO: {
        stirmls_group_info gi;
        if ((rc = stirmls_group_info_decode_message(buf, n, &gi, d)) == STIRMLS_R_OK)
            stirmls_group_info_write_message(b, &gi);
        return rc;
    }
    case K_TREE: {
        stirmls_ratchet_tree t;
        if ((rc = stirmls_ratchet_tree_decode(buf, n, &cp, &t, d)) == STIRMLS_R_OK) {
            stirmls_ratchet_tree_write(b, &t);
            stirmls_ratchet_tree_cleanup(&t);
        }
        return rc;
    }
    case K_COMMIT: {
        stirmls_commit c;
        if ((rc = stirmls_commit_decode(buf, n, &cp, &c, d)) == STIRMLS_R_OK) {
            stirmls_commit_write(b, &c);
            stirmls_commit_cleanup(&c);
        }
        return rc;
    }
    case K_PUBLIC: {
        stirmls_public_message m;
        if ((rc = stirmls_public_message_decode_message(buf, n, &cp, &m, d)) == STIRMLS_R_OK) {
            stirmls_public_message_write_message(b, &m);
            stirmls_public_message_cleanup(&m);
        }
        return rc;
    }
    }
    return STIRMLS_R_INTERNAL;
}

static const struct {
    const char *field;
    kind k;
} fields[] = {
    {"mls_group_info", K_GROUP_INFO}, {"ratchet_tree", K_TREE}, {"commit", K_COMMIT},
    {"public_message_proposal", K_PUBLIC}, {"public_message_commit", K_PUBLIC},
};

/* Every entry of the field: decode, re-encode byte-identically; every strict prefix fails
 * (TRUNCATED, or for a prefix that ends cleanly between fields: the structure's own reason). */
START_TEST(messages_roundtrip)
{
    size_t i, ok = 0;
    json_t *v;
    load();
    json_array_foreach(messages, i, v) {
        size_t n;
        uint8_t *buf = tl_hex(json_string_value(json_object_get(v, fields[_i].field)), &n);
        stirmls_buf b;
        stirmls_detail d;
        stirmls_buf_init(&b);
        stirmls_detail_init(&d);
        stirmls_reason rc = roundtrip(fields[_i].k, buf, n, &b, &d);
        ck_assert_msg(rc == STIRMLS_R_OK, "%s entry %zu: %s at %zu: %s", fields[_i].field, i,
                      stirmls_reason_name(rc), d.offset, d.text);
        ck_assert_int_eq(stirmls_buf_status(&b), STIRMLS_R_OK);
        ck_assert_msg(b.len == n && memcmp(b.ptr, buf, n) == 0,
                      "%s entry %zu re-encodes differently", fields[_i].field, i);
        /* the last byte cut off: never accepted */
        stirmls_buf_reset(&b);
        ck_assert_int_ne(roundtrip(fields[_i].k, buf, n - 1, &b, NULL), STIRMLS_R_OK);
        stirmls_buf_cleanup(&b);
        free(buf);
        ok++;
    }
    ck_assert_uint_eq(ok, 300);
    unload();
}
END_TEST

static uint8_t *entry(size_t idx, const char *field, size_t *n)
{
    return tl_hex(json_string_value(json_object_get(json_array_get(messages, idx), field)), n);
}

static stirmls_reason decode_public(const uint8_t *buf, size_t n)
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_reason rc = roundtrip(K_PUBLIC, buf, n, &b, NULL);
    stirmls_buf_cleanup(&b);
    return rc;
}

/* Field reasons at the fixed offsets of the MLSMessage header and the FramedContent. */
START_TEST(field_reasons)
{
    size_t n;
    load();
    uint8_t *gi = entry(0, "mls_group_info", &n);
    stirmls_group_info g;
    stirmls_detail d;
    gi[1] = 2; /* version mls10 -> 2 */
    ck_assert_int_eq(stirmls_group_info_decode_message(gi, n, &g, NULL), STIRMLS_R_MLS_VERSION);
    gi[1] = 1;
    gi[3] = 5; /* wire_format group_info -> key_package */
    stirmls_detail_init(&d);
    ck_assert_int_eq(stirmls_group_info_decode_message(gi, n, &g, &d),
                     STIRMLS_R_MLS_MESSAGE_WIRE_FORMAT);
    ck_assert_uint_eq(d.offset, 2);
    gi[3] = 4;
    uint8_t *longer = malloc(n + 1);
    memcpy(longer, gi, n);
    longer[n] = 0;
    ck_assert_int_eq(stirmls_group_info_decode_message(longer, n + 1, &g, NULL),
                     STIRMLS_R_TRAILING_BYTES);
    free(longer);
    free(gi);

    /* PublicMessage: group_id<V> at 4; epoch (8); sender_type right after */
    uint8_t *pm = entry(0, "public_message_proposal", &n);
    ck_assert_int_eq(decode_public(pm, n), STIRMLS_R_OK);
    size_t gid_len = pm[4] & 0x3f; /* the vectors' group ids are short: 1-byte varint */
    ck_assert_uint_lt(pm[4], 0x40);
    size_t sender = 4 + 1 + gid_len + 8;
    uint8_t keep = pm[sender];
    pm[sender] = 9;
    ck_assert_int_eq(decode_public(pm, n), STIRMLS_R_MLS_SENDER_TYPE);
    pm[sender] = keep;
    if (keep == STIRMLS_SENDER_MEMBER) {
        size_t ad = sender + 1 + 4;
        ck_assert_uint_lt(pm[ad], 0x40);
        size_t ct = ad + 1 + (pm[ad] & 0x3f);
        ck_assert_uint_eq(pm[ct], STIRMLS_CONTENT_PROPOSAL);
        pm[ct] = 7;
        ck_assert_int_eq(decode_public(pm, n), STIRMLS_R_MLS_CONTENT_TYPE);
        pm[ct] = STIRMLS_CONTENT_PROPOSAL;
        uint8_t t0 = pm[ct + 1], t1 = pm[ct + 2];
        pm[ct + 1] = 0x0A, pm[ct + 2] = 0x0A; /* a GREASE proposal type */
        ck_assert_int_eq(decode_public(pm, n), STIRMLS_R_MLS_PROPOSAL_TYPE);
        pm[ct + 1] = t0, pm[ct + 2] = t1;
    }
    ck_assert_int_eq(decode_public(pm, n), STIRMLS_R_OK);
    free(pm);

    /* ratchet tree: first node's presence octet 2, node_type 3, a parent where a leaf belongs */
    uint8_t *rt = entry(0, "ratchet_tree", &n);
    stirmls_cred_codepoints cp;
    stirmls_cred_codepoints_default(&cp);
    stirmls_ratchet_tree t;
    size_t hdr = (rt[0] >> 6) == 0 ? 1 : (rt[0] >> 6) == 1 ? 2 : 4;
    ck_assert_uint_eq(rt[hdr], 1);
    rt[hdr] = 2;
    ck_assert_int_eq(stirmls_ratchet_tree_decode(rt, n, &cp, &t, NULL),
                     STIRMLS_R_OPTIONAL_PRESENCE);
    rt[hdr] = 1;
    ck_assert_uint_eq(rt[hdr + 1], STIRMLS_NODE_LEAF);
    rt[hdr + 1] = 3;
    ck_assert_int_eq(stirmls_ratchet_tree_decode(rt, n, &cp, &t, NULL), STIRMLS_R_MLS_NODE_TYPE);
    rt[hdr + 1] = STIRMLS_NODE_PARENT;
    ck_assert_int_eq(stirmls_ratchet_tree_decode(rt, n, &cp, &t, NULL), STIRMLS_R_MLS_NODE_TYPE);
    free(rt);
    /* empty tree; a tree whose only node is blank */
    uint8_t empty[] = {0x00}, blank[] = {0x01, 0x00};
    ck_assert_int_eq(stirmls_ratchet_tree_decode(empty, 1, &cp, &t, NULL), STIRMLS_R_MLS_TREE_SHAPE);
    ck_assert_int_eq(stirmls_ratchet_tree_decode(blank, 2, &cp, &t, NULL), STIRMLS_R_MLS_TREE_SHAPE);
    /* a commit: ProposalOrRef type 3; optional path presence 2 */
    uint8_t bad_por[] = {0x01, 0x03, 0x00}, bad_path[] = {0x00, 0x02};
    stirmls_commit c;
    ck_assert_int_eq(stirmls_commit_decode(bad_por, 3, &cp, &c, NULL), STIRMLS_R_MLS_PROPOSAL_TYPE);
    ck_assert_int_eq(stirmls_commit_decode(bad_path, 2, &cp, &c, NULL),
                     STIRMLS_R_OPTIONAL_PRESENCE);
    /* a Remove by value, no path: decodes; a PSK of psktype 3 does not */
    uint8_t remove[] = {0x07, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x05, 0x00};
    ck_assert_int_eq(stirmls_commit_decode(remove, sizeof remove, &cp, &c, NULL), STIRMLS_R_OK);
    ck_assert_uint_eq(c.n_proposals, 1);
    ck_assert_uint_eq(c.proposals[0].proposal.removed, 5);
    stirmls_commit_cleanup(&c);
    uint8_t psk[] = {0x05, 0x01, 0x00, 0x04, 0x03, 0x00, 0x00};
    ck_assert_int_eq(stirmls_commit_decode(psk, sizeof psk, &cp, &c, NULL), STIRMLS_R_MLS_PSK_TYPE);
    unload();
}
END_TEST

Suite *mlsgroup_suite(void);
Suite *mlsgroup_suite(void)
{
    Suite *s = suite_create("mlsgroup");
    TCase *tc = tcase_create("codec");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, messages_roundtrip, 0, sizeof fields / sizeof fields[0]);
    tcase_add_test(tc, field_reasons);
    suite_add_tcase(s, tc);
    return s;
}

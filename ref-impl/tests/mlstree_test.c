/* mlstree_test.c: tree math against the MLS working group's tree-validation.json and
 * tree-operations.json (ref-impl/tests/data/mlswg/): every node's tree hash and resolution, every
 * non-blank parent's parent hash, every leaf's signature for cipher suite 2. The other suites'
 * leaves sign with Ed25519, Ed448, P-521 or P-384, which stirmls does not offer (MLS-12: suite
 * 0x0002 only): for them tree hashes, resolutions and parent hashes are checked, signatures are not. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/mlswg.h"
#include "testlib/testlib.h"

static void decode_tree(const uint8_t *buf, size_t n, stirmls_ratchet_tree *t)
{
    stirmls_cred_codepoints cp;
    stirmls_detail d;
    stirmls_cred_codepoints_default(&cp);
    stirmls_detail_init(&d);
    stirmls_reason rc = stirmls_ratchet_tree_decode(buf, n, &cp, t, &d);
    ck_assert_msg(rc == STIRMLS_R_OK, "tree: %s at %zu: %s", stirmls_reason_name(rc), d.offset,
                  d.text);
}

START_TEST(tree_validation)
{
    json_t *root = tl_mlswg_load("tree-validation.json");
    size_t i, n_trees = 0, n_sig = 0, n_parents = 0;
    json_t *v;
    json_array_foreach(root, i, v) {
        uint16_t suite = (uint16_t)json_integer_value(json_object_get(v, "cipher_suite"));
        size_t hlen = stirmls_mls_suite_hash_len(suite), n, ngid;
        ck_assert_uint_ne(hlen, 0);
        uint8_t *buf = tl_json_hex(v, "tree", &n), *gid = tl_json_hex(v, "group_id", &ngid);
        stirmls_ratchet_tree t;
        decode_tree(buf, n, &t);
        json_t *want_h = json_object_get(v, "tree_hashes"), *want_r = json_object_get(v, "resolutions");
        ck_assert_uint_eq(json_array_size(want_h), t.n_nodes);
        ck_assert_uint_eq(json_array_size(want_r), t.n_nodes);
        uint8_t *hashes = malloc(t.n_nodes * hlen);
        size_t *res = malloc(t.n_nodes * sizeof *res);
        ck_assert_int_eq(stirmls_tree_hashes(&t, hlen, hashes), STIRMLS_R_OK);
        for (size_t x = 0; x < t.n_nodes; x++) {
            size_t hn;
            uint8_t *h = tl_hex(json_string_value(json_array_get(want_h, x)), &hn);
            ck_assert_uint_eq(hn, hlen);
            ck_assert_msg(memcmp(h, hashes + x * hlen, hlen) == 0, "tree %zu node %zu hash", i, x);
            free(h);
            json_t *wr = json_array_get(want_r, x);
            size_t k = stirmls_tree_resolution(&t, x, res, t.n_nodes);
            ck_assert_uint_eq(k, json_array_size(wr));
            for (size_t j = 0; j < k; j++)
                ck_assert_uint_eq(res[j], (size_t)json_integer_value(json_array_get(wr, j)));
            n_parents += x % 2 == 1 && t.nodes[x].type == STIRMLS_NODE_PARENT;
        }
        stirmls_detail d;
        stirmls_detail_init(&d);
        stirmls_reason rc = stirmls_tree_verify_parent_hashes(&t, hlen, hashes, &d);
        ck_assert_msg(rc == STIRMLS_R_OK, "tree %zu: %s: %s", i, stirmls_reason_name(rc), d.text);
        ck_assert_int_eq(stirmls_tree_check_unmerged(&t, NULL), STIRMLS_R_OK);
        stirmls_slice g = {gid, ngid};
        if (suite == STIRMLS_MLS_SUITE_P256) {
            rc = stirmls_tree_check_leaf_signatures(&t, g, &d);
            ck_assert_msg(rc == STIRMLS_R_OK, "tree %zu: %s: %s", i, stirmls_reason_name(rc), d.text);
            n_sig++;
            /* another group id: the update/commit leaves no longer verify */
            gid[0] ^= 1;
            int any_ctx = 0;
            for (size_t x = 0; x < t.n_nodes; x += 2)
                any_ctx |= t.nodes[x].type == STIRMLS_NODE_LEAF &&
                           t.nodes[x].leaf.source != STIRMLS_LEAF_SOURCE_KEY_PACKAGE;
            if (any_ctx)
                ck_assert_int_eq(stirmls_tree_check_leaf_signatures(&t, g, NULL),
                                 STIRMLS_R_MLS_LEAF_SIGNATURE);
            gid[0] ^= 1;
        }
        /* a flipped bit in any parent's parent_hash, or in a committer leaf's, breaks a link */
        for (size_t x = 1; x < t.n_nodes; x += 2) {
            if (t.nodes[x].type != STIRMLS_NODE_PARENT || t.nodes[x].parent.parent_hash.len == 0)
                continue;
            uint8_t *p = (uint8_t *)t.nodes[x].parent.parent_hash.ptr;
            p[0] ^= 1;
            ck_assert_int_ne(stirmls_tree_hashes(&t, hlen, hashes), STIRMLS_R_INTERNAL);
            ck_assert_int_eq(stirmls_tree_verify_parent_hashes(&t, hlen, hashes, NULL),
                             STIRMLS_R_MLS_PARENT_HASH);
            p[0] ^= 1;
            break;
        }
        free(hashes), free(res), free(buf), free(gid);
        stirmls_ratchet_tree_cleanup(&t);
        n_trees++;
    }
    ck_assert_uint_eq(n_trees, 98);
    ck_assert_uint_eq(n_sig, 14);
    ck_assert_uint_gt(n_parents, 98);
    json_decref(root);
}
END_TEST

/* tree-operations.json: the tree hash before and after each operation, from the decoded trees;
 * then the proposal applied to the tree before gives the tree after, byte for byte, and its
 * tree hash. */
static void check_hash(const stirmls_ratchet_tree *t, size_t hlen, const uint8_t *want,
                       const char *what, size_t i)
{
    uint8_t *hashes = malloc(t->n_nodes * hlen);
    ck_assert_int_eq(stirmls_tree_hashes(t, hlen, hashes), STIRMLS_R_OK);
    ck_assert_msg(memcmp(hashes + stirmls_tree_root(t) * hlen, want, hlen) == 0, "case %zu %s", i,
                  what);
    free(hashes);
}

START_TEST(tree_operations)
{
    json_t *root = tl_mlswg_load("tree-operations.json");
    size_t i, n_cases = 0, kinds[4] = {0};
    json_t *v;
    stirmls_cred_codepoints cp;
    stirmls_cred_codepoints_default(&cp);
    json_array_foreach(root, i, v) {
        uint16_t suite = (uint16_t)json_integer_value(json_object_get(v, "cipher_suite"));
        size_t hlen = stirmls_mls_suite_hash_len(suite), nb, na, hb, ha, pn;
        uint8_t *before = tl_json_hex(v, "tree_before", &nb), *after = tl_json_hex(v, "tree_after", &na);
        uint8_t *hash_b = tl_json_hex(v, "tree_hash_before", &hb);
        uint8_t *hash_a = tl_json_hex(v, "tree_hash_after", &ha);
        uint8_t *pbuf = tl_json_hex(v, "proposal", &pn);
        ck_assert_uint_eq(hb, hlen);
        ck_assert_uint_eq(ha, hlen);
        stirmls_ratchet_tree t, ta;
        decode_tree(before, nb, &t);
        decode_tree(after, na, &ta);
        check_hash(&t, hlen, hash_b, "tree_hash_before", i);
        check_hash(&ta, hlen, hash_a, "tree_hash_after (decoded)", i);
        stirmls_reader r;
        stirmls_proposal p;
        stirmls_reader_init(&r, pbuf, pn);
        ck_assert_int_eq(stirmls_proposal_read(&r, &cp, &p, NULL), STIRMLS_R_OK);
        ck_assert_int_eq(stirmls_reader_finish(&r), STIRMLS_R_OK);
        ck_assert(p.type >= STIRMLS_PROPOSAL_ADD && p.type <= STIRMLS_PROPOSAL_REMOVE);
        kinds[p.type]++;
        uint32_t sender = (uint32_t)json_integer_value(json_object_get(v, "proposal_sender"));
        stirmls_detail d;
        stirmls_detail_init(&d);
        stirmls_reason rc = stirmls_tree_apply(&t, &p, sender, &d);
        ck_assert_msg(rc == STIRMLS_R_OK, "case %zu: %s: %s", i, stirmls_reason_name(rc), d.text);
        check_hash(&t, hlen, hash_a, "tree_hash_after (applied)", i);
        stirmls_buf b;
        stirmls_buf_init(&b);
        stirmls_ratchet_tree_write(&b, &t);
        ck_assert_msg(b.len == na && memcmp(b.ptr, after, na) == 0, "case %zu: applied tree differs", i);
        stirmls_buf_cleanup(&b);
        free(before), free(after), free(hash_b), free(hash_a), free(pbuf);
        stirmls_ratchet_tree_cleanup(&t);
        stirmls_ratchet_tree_cleanup(&ta);
        n_cases++;
    }
    ck_assert_uint_eq(n_cases, 5);
    ck_assert_uint_eq(kinds[STIRMLS_PROPOSAL_ADD] + kinds[STIRMLS_PROPOSAL_UPDATE] +
                          kinds[STIRMLS_PROPOSAL_REMOVE], 5);
    ck_assert_uint_gt(kinds[STIRMLS_PROPOSAL_REMOVE], 0);
    json_decref(root);
}
END_TEST

/* Unmerged leaves on the first tree of tree-validation.json (leaf 0, parent 1, leaf 2), with the
 * parent's list replaced in memory: a duplicate, a leaf outside, a blank leaf; the resolution of
 * a hostile list longer than the tree is counted, never written past cap. */
START_TEST(unmerged_leaves)
{
    json_t *root = tl_mlswg_load("tree-validation.json");
    size_t n;
    uint8_t *buf = tl_json_hex(json_array_get(root, 0), "tree", &n);
    stirmls_ratchet_tree t;
    decode_tree(buf, n, &t);
    ck_assert_uint_eq(t.n_nodes, 3);
    ck_assert_int_eq(t.nodes[1].type, STIRMLS_NODE_PARENT);
    static const uint8_t one[] = {0, 0, 0, 1}, twice[] = {0, 0, 0, 1, 0, 0, 0, 1},
                         outside[] = {0, 0, 0, 2};
    static uint8_t many[4 * 10];
    stirmls_slice keep = t.nodes[1].parent.unmerged_leaves;
    size_t res[3];
    t.nodes[1].parent.unmerged_leaves = (stirmls_slice){one, 4};
    ck_assert_int_eq(stirmls_tree_check_unmerged(&t, NULL), STIRMLS_R_OK);
    ck_assert_uint_eq(stirmls_tree_resolution(&t, 1, res, 3), 2);
    ck_assert_uint_eq(res[1], 2);
    t.nodes[1].parent.unmerged_leaves = (stirmls_slice){twice, 8};
    ck_assert_int_eq(stirmls_tree_check_unmerged(&t, NULL), STIRMLS_R_MLS_UNMERGED_LEAF);
    t.nodes[1].parent.unmerged_leaves = (stirmls_slice){outside, 4};
    ck_assert_int_eq(stirmls_tree_check_unmerged(&t, NULL), STIRMLS_R_MLS_UNMERGED_LEAF);
    t.nodes[1].parent.unmerged_leaves = (stirmls_slice){many, sizeof many};
    ck_assert_uint_eq(stirmls_tree_resolution(&t, 1, res, 3), 11);
    t.nodes[1].parent.unmerged_leaves = (stirmls_slice){one, 4};
    t.nodes[2].type = STIRMLS_NODE_BLANK;
    ck_assert_int_eq(stirmls_tree_check_unmerged(&t, NULL), STIRMLS_R_MLS_UNMERGED_LEAF);
    t.nodes[1].parent.unmerged_leaves = keep;
    /* apply: a Remove of a leaf outside the tree, an Update from a blank leaf, a PSK proposal */
    stirmls_proposal p;
    memset(&p, 0, sizeof p);
    p.type = STIRMLS_PROPOSAL_REMOVE, p.removed = 5;
    ck_assert_int_eq(stirmls_tree_apply(&t, &p, 0, NULL), STIRMLS_R_USAGE);
    p.type = STIRMLS_PROPOSAL_UPDATE;
    ck_assert_int_eq(stirmls_tree_apply(&t, &p, 1, NULL), STIRMLS_R_USAGE); /* leaf 1 blanked above */
    p.type = STIRMLS_PROPOSAL_PSK;
    ck_assert_int_eq(stirmls_tree_apply(&t, &p, 0, NULL), STIRMLS_R_UNSUPPORTED);
    /* removing the last member: the tree truncates to one blank leaf, nothing on the wire */
    p.type = STIRMLS_PROPOSAL_REMOVE, p.removed = 0;
    ck_assert_int_eq(stirmls_tree_apply(&t, &p, 0, NULL), STIRMLS_R_OK);
    ck_assert_uint_eq(t.n_wire, 0);
    free(buf);
    stirmls_ratchet_tree_cleanup(&t);
    json_decref(root);
}
END_TEST

Suite *mlstree_suite(void);
Suite *mlstree_suite(void)
{
    Suite *s = suite_create("mlstree");
    TCase *tc = tcase_create("official");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, tree_validation);
    tcase_add_test(tc, tree_operations);
    tcase_add_test(tc, unmerged_leaves);
    suite_add_tcase(s, tc);
    return s;
}

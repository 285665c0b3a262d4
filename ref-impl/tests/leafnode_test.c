/* leafnode_test.c: LeafNodes of source update and commit (group_id and leaf_index in the TBS),
 * source mismatch, codec round trip and truncation sweep. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/testlib.h"

static const uint8_t seed[] = "stirmls-leaf-test";

static stirmls_reason fake_validate(void *ctx, const stirmls_credential *cred, stirmls_slice key,
                                    uint64_t at, uint64_t *not_after, stirmls_identities *ids,
                                    stirmls_detail *d)
{
    (void)ctx, (void)cred, (void)key, (void)at, (void)d;
    *not_after = UINT64_MAX;
    return stirmls_identities_add(ids, "tn:12155551212");
}

struct leaf_case {
    const char *name;
    stirmls_leaf_source built;
    stirmls_leaf_source expected;
    const char *group_checked; /* group_id given to the verifier */
    uint32_t index_checked;
    stirmls_reason want;
    int previous; /* 1: previous encryption_key = the new one; 2: a different one */
    size_t n_ext; /* leaf extensions: the first n_ext of twice_app (application_id twice) */
};

static const stirmls_extension twice_app[] = {{0x0001, {(const uint8_t *)"a", 1}},
                                              {0x0001, {(const uint8_t *)"b", 1}}};

static const struct leaf_case leaf_cases[] = {
    {"update, same context", STIRMLS_LEAF_SOURCE_UPDATE, STIRMLS_LEAF_SOURCE_UPDATE, "group-1", 3,
     STIRMLS_R_OK, 0, 0},
    {"commit, same context", STIRMLS_LEAF_SOURCE_COMMIT, STIRMLS_LEAF_SOURCE_COMMIT, "group-1", 3,
     STIRMLS_R_OK, 0, 0},
    {"update, other group_id", STIRMLS_LEAF_SOURCE_UPDATE, STIRMLS_LEAF_SOURCE_UPDATE, "group-2", 3,
     STIRMLS_R_MLS_LEAF_SIGNATURE, 0, 0},
    {"update, other leaf_index", STIRMLS_LEAF_SOURCE_UPDATE, STIRMLS_LEAF_SOURCE_UPDATE, "group-1",
     4, STIRMLS_R_MLS_LEAF_SIGNATURE, 0, 0},
    {"commit, other group_id", STIRMLS_LEAF_SOURCE_COMMIT, STIRMLS_LEAF_SOURCE_COMMIT, "group-x", 3,
     STIRMLS_R_MLS_LEAF_SIGNATURE, 0, 0},
    {"update where a commit is expected", STIRMLS_LEAF_SOURCE_UPDATE, STIRMLS_LEAF_SOURCE_COMMIT,
     "group-1", 3, STIRMLS_R_MLS_LEAF_SOURCE, 0, 0},
    {"update where a KeyPackage leaf is expected", STIRMLS_LEAF_SOURCE_UPDATE,
     STIRMLS_LEAF_SOURCE_KEY_PACKAGE, "group-1", 3, STIRMLS_R_MLS_LEAF_SOURCE, 0, 0},
    {"update reusing the previous encryption_key", STIRMLS_LEAF_SOURCE_UPDATE,
     STIRMLS_LEAF_SOURCE_UPDATE, "group-1", 3, STIRMLS_R_MLS_UPDATE_KEY_REUSE, 1, 0},
    {"update with a new encryption_key", STIRMLS_LEAF_SOURCE_UPDATE, STIRMLS_LEAF_SOURCE_UPDATE,
     "group-1", 3, STIRMLS_R_OK, 2, 0},
    {"update with application_id once", STIRMLS_LEAF_SOURCE_UPDATE, STIRMLS_LEAF_SOURCE_UPDATE,
     "group-1", 3, STIRMLS_R_OK, 0, 1},
    {"update with application_id twice (RFC 9420 13.4)", STIRMLS_LEAF_SOURCE_UPDATE,
     STIRMLS_LEAF_SOURCE_UPDATE, "group-1", 3, STIRMLS_R_MLS_EXTENSION_DUPLICATE, 0, 2},
    {"commit with application_id twice (RFC 9420 13.4)", STIRMLS_LEAF_SOURCE_COMMIT,
     STIRMLS_LEAF_SOURCE_COMMIT, "group-1", 3, STIRMLS_R_MLS_EXTENSION_DUPLICATE, 0, 2},
};

static uint8_t *build_leaf(stirmls_leaf_source src, size_t n_ext, stirmls_key **sig, size_t *len)
{
    ck_assert_int_eq(stirmls_key_derive(seed, sizeof seed - 1, "bob/sig", sig), STIRMLS_R_OK);
    static const uint8_t cred[] = {0xF0, 0x52, 0x01, 'x', 0x00};
    stirmls_kp_params p;
    memset(&p, 0, sizeof p);
    p.signature_key = *sig;
    p.credential.ptr = cred, p.credential.len = sizeof cred;
    p.seed = seed, p.seedlen = sizeof seed - 1, p.key_name = "bob";
    p.leaf_extensions = twice_app, p.n_leaf_extensions = n_ext;
    stirmls_slice gid = stirmls_slice_str("group-1"), ph = stirmls_slice_str("parent-hash");
    uint8_t *out = NULL;
    ck_assert_int_eq(stirmls_leafnode_build(&p, src, gid, 3, ph, &out, len, NULL), STIRMLS_R_OK);
    return out;
}

START_TEST(leaf_rules)
{
    const struct leaf_case *c = &leaf_cases[_i];
    stirmls_key *sig = NULL;
    size_t len;
    uint8_t *buf = build_leaf(c->built, c->n_ext, &sig, &len);
    stirmls_mls_options o;
    stirmls_mls_options_default(&o);
    stirmls_cred_validators v;
    stirmls_cred_validators_default(&v);
    v.stir_passport.validate = fake_validate;
    stirmls_leafnode ln;
    stirmls_detail d;
    stirmls_detail_init(&d);
    ck_assert_int_eq(stirmls_leafnode_decode(buf, len, &o.codepoints, &ln, &d), STIRMLS_R_OK);
    ck_assert_int_eq(ln.source, c->built);
    if (c->built == STIRMLS_LEAF_SOURCE_COMMIT)
        ck_assert(stirmls_slice_eq(ln.parent_hash, stirmls_slice_str("parent-hash")));
    stirmls_leaf_context ctx = {c->expected, stirmls_slice_str(c->group_checked), c->index_checked,
                                {NULL, 0}};
    if (c->previous == 1)
        ctx.previous_encryption_key = ln.encryption_key; /* the same key again */
    else if (c->previous == 2)
        ctx.previous_encryption_key = stirmls_slice_str("an older key");
    stirmls_mls_result res;
    stirmls_reason got = stirmls_leafnode_verify(&ln, &ctx, &o, &v, 1, &res, &d);
    ck_assert_msg(got == c->want, "%s: got %s (%s)", c->name, stirmls_reason_name(got), d.text);
    if (got == STIRMLS_R_OK)
        ck_assert_str_eq(res.identities.id[0], "tn:12155551212");
    free(buf);
    stirmls_key_free(sig);
}
END_TEST

START_TEST(leaf_codec_roundtrip_and_sweep)
{
    static const stirmls_leaf_source srcs[] = {STIRMLS_LEAF_SOURCE_UPDATE,
                                                STIRMLS_LEAF_SOURCE_COMMIT};
    stirmls_cred_codepoints cp;
    stirmls_cred_codepoints_default(&cp);
    for (size_t s = 0; s < 2; s++) {
        stirmls_key *sig = NULL;
        size_t len;
        uint8_t *buf = build_leaf(srcs[s], 0, &sig, &len);
        stirmls_leafnode ln;
        ck_assert_int_eq(stirmls_leafnode_decode(buf, len, &cp, &ln, NULL), STIRMLS_R_OK);
        stirmls_buf b;
        stirmls_buf_init(&b);
        stirmls_leafnode_write(&b, &ln);
        ck_assert(b.len == len && memcmp(b.ptr, buf, len) == 0);
        stirmls_buf_cleanup(&b);
        for (size_t k = 0; k < len; k++)
            ck_assert_int_eq(stirmls_leafnode_decode(buf, k, &cp, &ln, NULL), STIRMLS_R_TRUNCATED);
        uint8_t *longer = malloc(len + 1);
        memcpy(longer, buf, len);
        longer[len] = 0;
        stirmls_detail d;
        stirmls_detail_init(&d);
        ck_assert_int_eq(stirmls_leafnode_decode(longer, len + 1, &cp, &ln, &d),
                         STIRMLS_R_TRAILING_BYTES);
        ck_assert_uint_eq(d.offset, len);
        free(longer), free(buf);
        stirmls_key_free(sig);
    }
}
END_TEST

#define N(t) ((int)(sizeof(t) / sizeof((t)[0])))
Suite *leafnode_suite(void);
Suite *leafnode_suite(void)
{
    Suite *s = suite_create("leafnode");
    TCase *tc = tcase_create("update_commit");
    tcase_add_loop_test(tc, leaf_rules, 0, N(leaf_cases));
    tcase_add_test(tc, leaf_codec_roundtrip_and_sweep);
    suite_add_tcase(s, tc);
    return s;
}

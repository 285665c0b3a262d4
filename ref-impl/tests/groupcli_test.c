/* groupcli_test.c: `stirmls group inspect|verify` on a group of real STIR credentials from the
 * deterministic test PKI (pki.h): two stir_certificate members (delegate certificates 12155550123
 * and 12155550125) and one stir_passport member (orig 12155550150, signed under the range
 * certificate 12155550100/100, iat T0: the MLS profile keeps it for 7 days). JSON out, exit
 * 0 / 1 / 2, one stderr line on usage errors. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/cli_json.h"
#include "testlib/group_msg.h"
#include "testlib/serve_client.h"
#include "testlib/testlib.h"

#define T0 1767225600ull /* 2026-01-01T00:00:00Z (the PKI's notBefore) */
#define DAY 86400ull
static const uint8_t seed[] = "stirmls-groupcli";

static char *dir;
static char gi_path[512], gi_hex[512], root_path[512], other_root[512], junk_path[512];

/* certificates<V> of the chain of `name` (leaf first, root excluded). */
static void put_chain(stirmls_buf *b, const stirmls_pki *pki, const char *name)
{
    size_t mark = stirmls_buf_vec_open(b);
    for (const stirmls_pki_entry *e = stirmls_pki_find(pki, name);
         e != NULL && strcmp(e->name, e->issuer) != 0; e = stirmls_pki_find(pki, e->issuer)) {
        stirmls_slice der = stirmls_cert_der(e->cert);
        stirmls_buf_put_opaque(b, der.ptr, der.len);
    }
    stirmls_buf_vec_close(b, mark);
}

static void leaf(const stirmls_key *k, const stirmls_buf *cred, uint32_t index, const char *name,
                 stirmls_slice *out)
{
    static const uint16_t types[] = {0xF051, 0xF052};
    stirmls_kp_params p;
    memset(&p, 0, sizeof p);
    p.signature_key = k;
    p.credential.ptr = cred->ptr, p.credential.len = cred->len;
    p.credentials.v = types, p.credentials.n = 2;
    p.seed = seed, p.seedlen = sizeof seed - 1, p.key_name = name;
    uint8_t *bytes = NULL;
    stirmls_slice gid = stirmls_slice_str("stir-group"), none = {NULL, 0};
    ck_assert_int_eq(stirmls_leafnode_build(&p, STIRMLS_LEAF_SOURCE_UPDATE, gid, index, none,
                                            &bytes, &out->len, NULL),
                     STIRMLS_R_OK);
    out->ptr = bytes;
}

/* A stir_passport Credential for key k: orig `orig`, iat `iat`, signed under range-ee. */
static void ppt_credential(const stirmls_pki *pki, const stirmls_key *k, const char *orig,
                           uint64_t iat, stirmls_buf *cred)
{
    uint8_t pt[65];
    stirmls_key_point(k, pt);
    char *mky = stirmls_mky_entry_json(pt, sizeof pt), claims[512], *tok = NULL;
    snprintf(claims, sizeof claims,
             "{\"dest\":{\"tn\":[\"12155550101\"]},\"iat\":%llu,\"mky\":[%s],"
             "\"orig\":{\"tn\":\"%s\"}}", (unsigned long long)iat, mky, orig);
    free(mky);
    ck_assert_int_eq(stirmls_passport_sign(stirmls_pki_find(pki, "range-ee")->key, NULL, NULL,
                                           claims, strlen(claims), &tok, NULL),
                     STIRMLS_R_OK);
    stirmls_buf_put_u16(cred, 0xF052);
    stirmls_buf_put_opaque(cred, tok, strlen(tok));
    put_chain(cred, pki, "range-ee");
    free(tok);
}

static void setup(void)
{
    dir = tl_tmpdir();
    snprintf(gi_path, sizeof gi_path, "%s/gi.bin", dir);
    snprintf(gi_hex, sizeof gi_hex, "%s/gi.hex", dir);
    snprintf(root_path, sizeof root_path, "%s/root.pem", dir);
    snprintf(junk_path, sizeof junk_path, "%s/junk.bin", dir);
    snprintf(other_root, sizeof other_root, "%s/other-root.pem", dir);
    stirmls_pki pki;
    stirmls_pki_opts po;
    stirmls_pki_opts_init(&po, seed, sizeof seed - 1);
    ck_assert_int_eq(stirmls_pki_generate(&po, &pki, NULL), STIRMLS_R_OK);
    char *root = stirmls_cert_pem(stirmls_pki_find(&pki, "root")->cert);
    tl_write_file(root_path, root, strlen(root));
    free(root);

    stirmls_pki other;
    static const uint8_t other_seed[] = "another PKI";
    stirmls_pki_opts_init(&po, other_seed, sizeof other_seed - 1);
    ck_assert_int_eq(stirmls_pki_generate(&po, &other, NULL), STIRMLS_R_OK);
    root = stirmls_cert_pem(stirmls_pki_find(&other, "root")->cert);
    tl_write_file(other_root, root, strlen(root));
    free(root);
    stirmls_pki_cleanup(&other);

    stirmls_slice leaves[3];
    stirmls_buf cred;
    stirmls_buf_init(&cred);
    static const char *const cert_members[2] = {"deleg-one", "deleg2-one"};
    for (int i = 0; i < 2; i++) {
        stirmls_buf_reset(&cred);
        stirmls_buf_put_u16(&cred, 0xF051);
        put_chain(&cred, &pki, cert_members[i]);
        leaf(stirmls_pki_find(&pki, cert_members[i])->key, &cred, (uint32_t)i, cert_members[i],
             &leaves[i]);
    }
    stirmls_key *mls = NULL;
    ck_assert_int_eq(stirmls_key_derive(seed, sizeof seed - 1, "ppt-member", &mls), STIRMLS_R_OK);
    stirmls_buf_reset(&cred);
    ppt_credential(&pki, mls, "12155550150", T0, &cred);
    leaf(mls, &cred, 2, "ppt-member", &leaves[2]);

    static const uint8_t zero[32];
    stirmls_group_build b;
    memset(&b, 0, sizeof b);
    b.group_id = stirmls_slice_str("stir-group");
    b.epoch = 7;
    b.leaves = leaves;
    b.n_leaves = 3;
    b.signer = 2;
    b.signer_key = mls;
    b.confirmed_transcript_hash.ptr = zero, b.confirmed_transcript_hash.len = 32;
    b.confirmation_tag.ptr = zero, b.confirmation_tag.len = 32;
    uint8_t *msg = NULL;
    size_t len = 0;
    ck_assert_int_eq(stirmls_group_info_build(&b, &msg, &len, NULL), STIRMLS_R_OK);
    tl_write_file(gi_path, msg, len);
    char *hex = malloc(2 * len + 2);
    stirmls_hex_encode(msg, len, hex);
    strcat(hex, "\n");
    tl_write_file(gi_hex, hex, strlen(hex));
    msg[len / 2] ^= 0xFF; /* not a GroupInfo any more, or one whose checks fail */
    tl_write_file(junk_path, "\x00\x01\x00\x05", 4);
    free(hex), free(msg);
    for (int i = 0; i < 3; i++)
        free((void *)leaves[i].ptr);
    stirmls_buf_cleanup(&cred);
    stirmls_key_free(mls);
    stirmls_pki_cleanup(&pki);
}

static void teardown(void)
{
    tl_rmdir(dir);
    free(dir);
}

static const char *member_field(json_t *j, size_t i, const char *k)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(j, "members"), i), k));
}

START_TEST(verify_fresh_group)
{
    char at[32];
    snprintf(at, sizeof at, "%llu", T0 + DAY);
    const char *args[] = {"group", "verify", "--in", gi_path, "--trust", root_path, "--at", at,
                          NULL};
    json_t *j = tl_cli_json(args, 0);
    ck_assert_str_eq(json_string_value(json_object_get(j, "verdict")), "accept");
    ck_assert_uint_eq(json_array_size(json_object_get(j, "members")), 3);
    ck_assert_str_eq(member_field(j, 0, "status"), "valid");
    ck_assert_str_eq(member_field(j, 0, "credential_type"), "stir_certificate");
    ck_assert_str_eq(member_field(j, 0, "assurance"), "tn-authorized");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(json_array_get(
                         json_object_get(j, "members"), 1), "identities"), 0)),
                     "tn:12155550125");
    ck_assert_str_eq(member_field(j, 2, "credential_type"), "stir_passport");
    ck_assert_str_eq(member_field(j, 2, "status"), "valid");
    /* the PASSporT member's effective end: iat + 7 days (MLS profile) */
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(json_object_get(j, "members"), 2), "not_after")),
                     (json_int_t)(T0 + 7 * DAY));
    json_decref(j);
    /* hex input gives the same verdict */
    const char *hex[] = {"group", "verify", "--in", gi_hex, "--hex", "--trust", root_path, "--at",
                         at, NULL};
    json_decref(tl_cli_json(hex, 0));
}
END_TEST

START_TEST(verify_expiring_and_expired)
{
    char at[32];
    snprintf(at, sizeof at, "%llu", T0 + 5 * DAY);
    const char *warn[] = {"group", "verify", "--in", gi_path, "--trust", root_path, "--at", at,
                          "--warn-within", "259200", NULL};
    json_t *j = tl_cli_json(warn, 0);
    ck_assert_str_eq(member_field(j, 2, "status"), "expiring");
    ck_assert_str_eq(member_field(j, 0, "status"), "valid");
    json_decref(j);
    snprintf(at, sizeof at, "%llu", T0 + 8 * DAY);
    const char *flag[] = {"group", "verify", "--in", gi_path, "--trust", root_path, "--at", at,
                          NULL};
    j = tl_cli_json(flag, 0);
    ck_assert_str_eq(json_string_value(json_object_get(j, "verdict")), "accept");
    ck_assert_str_eq(member_field(j, 2, "status"), "expired");
    ck_assert_str_eq(member_field(j, 2, "reason"), "PPT_STALE");
    ck_assert(json_is_null(json_object_get(json_array_get(json_object_get(j, "members"), 2),
                                           "not_after")));
    json_decref(j);
    const char *reject[] = {"group", "verify", "--in", gi_path, "--trust", root_path, "--at", at,
                            "--reject-expired", NULL};
    j = tl_cli_json(reject, 1);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), "MLS_MEMBER_EXPIRED");
    ck_assert_uint_eq(json_array_size(json_object_get(j, "members")), 3);
    json_decref(j);
    /* after the certificates' notAfter (2027-01-01): the certificate members are expired too */
    const char *late[] = {"group", "verify", "--in", gi_path, "--trust", root_path, "--at",
                          "1800000000", NULL};
    j = tl_cli_json(late, 0);
    ck_assert_str_eq(member_field(j, 0, "reason"), "CERT_EXPIRED");
    json_decref(j);
}
END_TEST

START_TEST(verify_untrusted_and_junk)
{
    char at[32];
    snprintf(at, sizeof at, "%llu", T0 + DAY);
    /* another PKI's root: every member invalid, the verdict is the first one's reason. That root
     * has the same name as the members' root and another key, so the path ends in an
     * authorityKeyIdentifier that is not the anchor's subjectKeyIdentifier (CHN-04) */
    const char *other[] = {"group", "verify", "--in", gi_path, "--trust", other_root, "--at", at,
                           NULL};
    json_t *o = tl_cli_json(other, 1);
    ck_assert_str_eq(json_string_value(json_object_get(o, "reason")), "CERT_AKI_MISMATCH");
    ck_assert_str_eq(member_field(o, 2, "status"), "invalid");
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(o, "counts"), "invalid")), 3);
    json_decref(o);
    /* an unreadable trust file is a usage error */
    const char *empty[] = {"group", "verify", "--in", gi_path, "--trust", "/dev/null", "--at", at,
                           NULL};
    json_decref(tl_cli_json(empty, 2));
    const char *junk[] = {"group", "verify", "--in", junk_path, "--trust", root_path, "--at", at,
                          NULL};
    json_t *j = tl_cli_json(junk, 1);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), "MLS_MESSAGE_WIRE_FORMAT");
    json_decref(j);
    const char *no_trust[] = {"group", "verify", "--in", gi_path, "--at", at, NULL};
    json_decref(tl_cli_json(no_trust, 2));
    const char *no_at[] = {"group", "verify", "--in", gi_path, "--trust", root_path, NULL};
    json_decref(tl_cli_json(no_at, 2));
    const char *bad[] = {"group", "verify", "--in", gi_path, "--warn-within", "x", NULL};
    json_decref(tl_cli_json(bad, 2));
    const char *sub[] = {"group", "frobnicate", NULL};
    json_decref(tl_cli_json(sub, 2));
}
END_TEST

/* The PASSporT member (leaf 2), expired eight days after its iat, renews by an Update with a
 * fresh PASSporT for the same number (accept), or for another number (CRED_SUCCESSOR_TN). */
static void renewal(const char *orig, const char *msg_path)
{
    stirmls_pki pki;
    stirmls_pki_opts po;
    stirmls_pki_opts_init(&po, seed, sizeof seed - 1);
    ck_assert_int_eq(stirmls_pki_generate(&po, &pki, NULL), STIRMLS_R_OK);
    stirmls_key *mls = NULL;
    ck_assert_int_eq(stirmls_key_derive(seed, sizeof seed - 1, "ppt-member", &mls), STIRMLS_R_OK);
    stirmls_buf cred, content;
    stirmls_buf_init(&cred), stirmls_buf_init(&content);
    ppt_credential(&pki, mls, orig, T0 + 8 * DAY, &cred);
    stirmls_slice l;
    leaf(mls, &cred, 2, "ppt-member-renewed", &l);
    stirmls_buf_put_u16(&content, STIRMLS_PROPOSAL_UPDATE);
    stirmls_buf_put(&content, l.ptr, l.len);
    size_t n, len;
    char *hex = tl_read(gi_hex, &n);
    uint8_t *gib = NULL;
    size_t gilen = 0;
    ck_assert_int_eq(stirmls_hex_decode(hex, n - 1, &gib, &gilen), STIRMLS_R_OK);
    stirmls_group_info gi;
    ck_assert_int_eq(stirmls_group_info_decode_message(gib, gilen, &gi, NULL), STIRMLS_R_OK);
    uint8_t *msg = tl_public_message(&gi, 2, 7, STIRMLS_CONTENT_PROPOSAL, &content, mls, &len);
    tl_write_file(msg_path, msg, len);
    free(msg), free(gib), free(hex), free((void *)l.ptr);
    stirmls_buf_cleanup(&cred), stirmls_buf_cleanup(&content);
    stirmls_key_free(mls);
    stirmls_pki_cleanup(&pki);
}

START_TEST(verify_message_renewal)
{
    char same[600], other[600], at[32];
    snprintf(same, sizeof same, "%s/renew-same.bin", dir);
    snprintf(other, sizeof other, "%s/renew-other.bin", dir);
    snprintf(at, sizeof at, "%llu", T0 + 8 * DAY);
    renewal("12155550150", same);
    renewal("12155550151", other);
    const char *ok[] = {"group", "verify-message", "--group", gi_path, "--in", same, "--trust",
                        root_path, "--at", at, NULL};
    json_t *j = tl_cli_json(ok, 0);
    ck_assert_str_eq(json_string_value(json_object_get(j, "content_type")), "proposal");
    json_t *nm = json_object_get(j, "new_member");
    ck_assert_str_eq(json_string_value(json_object_get(nm, "status")), "valid");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(nm, "identities"), 0)),
                     "tn:12155550150");
    json_decref(j);
    const char *bad[] = {"group", "verify-message", "--group", gi_path, "--in", other, "--trust",
                         root_path, "--at", at, NULL};
    j = tl_cli_json(bad, 1);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), "CRED_SUCCESSOR_TN");
    json_decref(j);
    /* against a group the policy refuses (an expired member): the group's reason */
    const char *strict[] = {"group", "verify-message", "--group", gi_path, "--in", same, "--trust",
                            root_path, "--at", at, "--reject-expired", NULL};
    j = tl_cli_json(strict, 1);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), "MLS_MEMBER_EXPIRED");
    json_decref(j);
    const char *no_group[] = {"group", "verify-message", "--in", same, "--trust", root_path,
                              "--at", at, NULL};
    json_decref(tl_cli_json(no_group, 2));
    const char *not_gi[] = {"group", "verify-message", "--group", same, "--in", same, "--trust",
                            root_path, "--at", at, NULL};
    json_decref(tl_cli_json(not_gi, 2));
}
END_TEST

/* The same judgements through `stirmls serve` (docs/protocol.md, kinds group_info and
 * group_message): verdict, reason and the member table. */
static json_t *serve_group(const char *kind, const char *extra_input, const char *policy,
                           unsigned long long at)
{
    size_t n, rn;
    char *hex = tl_read(gi_hex, &n), *root = tl_read(root_path, &rn);
    hex[n - 1] = 0;
    json_t *req = json_pack("{s:i,s:s,s:{s:s,s:I,s:[s],s:{s:s},s:o}}", "id", 1, "op", "verify", "params",
                            "kind", kind, "at", (json_int_t)at, "trust_anchors", root, "input",
                            "group_info", hex, "policy", json_loads(policy, 0, NULL));
    json_t *extra = extra_input ? json_loads(extra_input, 0, NULL) : NULL;
    if (extra != NULL)
        json_object_update(json_object_get(json_object_get(req, "params"), "input"), extra);
    json_decref(extra);
    char *line = json_dumps(req, JSON_COMPACT);
    size_t ll = strlen(line);
    line = realloc(line, ll + 2);
    line[ll] = '\n', line[ll + 1] = 0;
    json_t *out = tl_serve(line, ll + 1);
    json_t *a = json_incref(json_array_get(out, 0));
    json_decref(out), json_decref(req);
    free(line), free(hex), free(root);
    return a;
}

START_TEST(serve_kinds)
{
    json_t *a = serve_group("group_info", NULL, "{}", T0 + DAY);
    json_t *r = json_object_get(a, "result");
    ck_assert_str_eq(json_string_value(json_object_get(r, "verdict")), "accept");
    ck_assert_uint_eq(json_array_size(json_object_get(r, "members")), 3);
    ck_assert_str_eq(member_field(r, 2, "credential_type"), "stir_passport");
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(r, "counts"), "expired")), 0);
    json_decref(a);
    a = serve_group("group_info", NULL, "{\"warn_within\":259200}", T0 + 5 * DAY);
    ck_assert_str_eq(member_field(json_object_get(a, "result"), 2, "status"), "expiring");
    json_decref(a);
    a = serve_group("group_info", NULL, "{}", T0 + 8 * DAY); /* flagged, accepted */
    r = json_object_get(a, "result");
    ck_assert_str_eq(json_string_value(json_object_get(r, "verdict")), "accept");
    ck_assert_str_eq(member_field(r, 2, "reason"), "PPT_STALE");
    json_decref(a);
    a = serve_group("group_info", NULL, "{\"reject_expired\":true}", T0 + 8 * DAY);
    r = json_object_get(a, "result");
    ck_assert_str_eq(json_string_value(json_object_get(r, "reason")), "MLS_MEMBER_EXPIRED");
    ck_assert_uint_eq(json_array_size(json_object_get(r, "members")), 3);
    json_decref(a);
    a = serve_group("group_info", NULL, "{\"reject_expired\":1}", T0 + DAY);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(a, "error"), "code")), "bad_request");
    json_decref(a);
    /* an Update switching the number, through group_message */
    char other[600], in[8192];
    snprintf(other, sizeof other, "%s/renew-other.bin", dir);
    renewal("12155550151", other);
    size_t n;
    char *msg = tl_read(other, &n);
    ck_assert_uint_lt(2 * n + 32, sizeof in);
    strcpy(in, "{\"message\":\"");
    stirmls_hex_encode((const uint8_t *)msg, n, in + strlen(in));
    strcat(in, "\"}");
    free(msg);
    a = serve_group("group_message", in, "{}", T0 + 8 * DAY);
    r = json_object_get(a, "result");
    ck_assert_str_eq(json_string_value(json_object_get(r, "reason")), "CRED_SUCCESSOR_TN");
    ck_assert_str_eq(json_string_value(json_object_get(r, "content_type")), "proposal");
    json_decref(a);
    /* input.proposals: not hex, not an array, or a message that is not a PublicMessage */
    static const struct {
        const char *proposals, *code, *reason;
    } pr[] = {{"[\"zz\"]", "bad_request", NULL}, {"\"00\"", "bad_request", NULL},
              {"[\"000100040000\"]", NULL, "MLS_MESSAGE_WIRE_FORMAT"}};
    for (size_t i = 0; i < sizeof pr / sizeof pr[0]; i++) {
        char with[8300];
        snprintf(with, sizeof with, "%.*s,\"proposals\":%s}", (int)strlen(in) - 1, in, pr[i].proposals);
        a = serve_group("group_message", with, "{}", T0 + 8 * DAY);
        if (pr[i].code != NULL)
            ck_assert_str_eq(json_string_value(json_object_get(json_object_get(a, "error"), "code")), pr[i].code);
        else
            ck_assert_str_eq(json_string_value(json_object_get(json_object_get(a, "result"), "reason")), pr[i].reason);
        json_decref(a);
    }
    a = serve_group("group_message", NULL, "{}", T0 + DAY); /* no message */
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(a, "error"), "code")), "bad_request");
    json_decref(a);
}
END_TEST

/* The committed example (ref-impl/tests/data/group/, docs/cli-group.md) is what setup builds. */
START_TEST(committed_example)
{
    size_t n1, n2, r1, r2;
    char *built = tl_read(gi_hex, &n1), *kept = tl_read(tl_repo_path("ref-impl/tests/data/group/stir-group.hex"), &n2);
    char *root = tl_read(root_path, &r1), *kroot = tl_read(tl_repo_path("ref-impl/tests/data/group/root.pem"), &r2);
    ck_assert_ptr_nonnull(kept);
    ck_assert_ptr_nonnull(kroot);
    ck_assert_msg(n1 == n2 && memcmp(built, kept, n1) == 0,
                  "ref-impl/tests/data/group/stir-group.hex is stale: copy %s", gi_hex);
    ck_assert(r1 == r2 && memcmp(root, kroot, r1) == 0);
    free(built), free(kept), free(root), free(kroot);
}
END_TEST

START_TEST(inspect)
{
    const char *args[] = {"group", "inspect", "--in", gi_path, NULL};
    json_t *j = tl_cli_json(args, 0);
    ck_assert(json_is_true(json_object_get(j, "tree_hash_matches")));
    ck_assert_int_eq(json_integer_value(json_object_get(j, "leaves")), 4);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "signer")), 2);
    json_t *nodes = json_object_get(j, "nodes");
    ck_assert_uint_eq(json_array_size(nodes), 7);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(nodes, 1), "type")), "blank");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(nodes, 4), "type")), "leaf");
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(nodes, 4), "leaf_index")), 2);
    ck_assert_ptr_nonnull(json_object_get(json_array_get(nodes, 4), "leaf_node"));
    json_decref(j);
    const char *junk[] = {"group", "inspect", "--in", junk_path, NULL};
    j = tl_cli_json(junk, 1);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), "MLS_MESSAGE_WIRE_FORMAT");
    json_decref(j);
    const char *help[] = {"group", "--help", NULL};
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tl_run_cli(help, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "--reject-expired"));
    free(out), free(err);
}
END_TEST

Suite *groupcli_suite(void);
Suite *groupcli_suite(void)
{
    Suite *s = suite_create("groupcli");
    TCase *tc = tcase_create("cli");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, verify_fresh_group);
    tcase_add_test(tc, verify_expiring_and_expired);
    tcase_add_test(tc, verify_untrusted_and_junk);
    tcase_add_test(tc, inspect);
    tcase_add_test(tc, committed_example);
    tcase_add_test(tc, verify_message_renewal);
    tcase_add_test(tc, serve_kinds);
    suite_add_tcase(s, tc);
    return s;
}

/*
 * serve_generate.c: the `generate` op of stirmls-interop/1: the reference as producer of a
 * PASSporT (stirmls_passport_sign, as `passport sign`), of a KeyPackage in an MLSMessage
 * (stirmls_keypackage_build, as `keypackage create`), or of a GroupInfo with the ratchet tree over
 * the members' leaves (stirmls_group_info_build, blank parents, as vectorgen builds groups).
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "serve.h"

/* A PEM private key member: owned key, or NULL with bad_request set. */
static stirmls_key *private_key(json_t *params, const char *member, struct serve_answer *ans)
{
    const char *pem = serve_need_str(params, member, ans);
    stirmls_key *k = NULL;
    if (pem == NULL)
        return NULL;
    if (stirmls_key_from_pem(pem, json_string_length(json_object_get(params, member)), &k) != STIRMLS_R_OK || !stirmls_key_has_private(k)) {
        stirmls_key_free(k);
        serve_error(ans, "bad_request", "'%s' holds no P-256 private key", member);
        return NULL;
    }
    return k;
}

static void gen_passport(json_t *params, struct serve_answer *ans)
{
    const char *x5u = NULL, *ppt = NULL;
    json_t *claims = json_object_get(params, "claims");
    char *cj = NULL, *tok = NULL;
    stirmls_detail d;
    stirmls_detail_init(&d);
    if (!serve_opt_str(params, "x5u", &x5u, ans) || !serve_opt_str(params, "ppt", &ppt, ans))
        return;
    if (!json_is_object(claims)) {
        serve_error(ans, "bad_request", "'claims' must be an object");
        return;
    }
    if (ppt != NULL && strcmp(ppt, "shaken") != 0 && strcmp(ppt, "rcd") != 0) {
        serve_error(ans, "unimplemented", "ppt '%.32s' is not supported (shaken or rcd)", ppt);
        return;
    }
    stirmls_key *k = private_key(params, "key", ans);
    if (k == NULL)
        return;
    cj = json_dumps(claims, JSON_COMPACT);
    if (cj == NULL)
        serve_error(ans, "internal", "out of memory");
    else if (stirmls_passport_sign(k, x5u, ppt, cj, strlen(cj), &tok, &d) != STIRMLS_R_OK)
        serve_error(ans, d.reason == STIRMLS_R_INTERNAL ? "internal" : "bad_request", "claims: %s", d.text);
    else
        ans->result = json_pack("{s:{s:s}}", "artifact", "passport", tok);
    stirmls_key_free(k);
    free(cj), free(tok);
}

/* One KeyPackage producer's inputs from obj (not_before, not_after, credential, signature_key_pem;
 * `credential_types` when types is set): p filled, *cred and *k owned; 0 with the error set. */
static int kp_inputs(json_t *obj, stirmls_kp_params *p, uint8_t **cred, stirmls_key **k, uint16_t *types,
                     uint8_t pt[STIRMLS_P256_POINT_LEN], struct serve_answer *ans)
{
    size_t clen = 0;
    memset(p, 0, sizeof *p);
    *cred = NULL;
    *k = NULL;
    if (!json_is_integer(json_object_get(obj, "not_before")) ||
        !json_is_integer(json_object_get(obj, "not_after")) ||
        !serve_opt_u64(obj, "not_before", &p->not_before, ans) ||
        !serve_opt_u64(obj, "not_after", &p->not_after, ans))
        return serve_error(ans, "bad_request", "'not_before' and 'not_after' must be non-negative integers"), 0;
    json_t *tl = types ? json_object_get(obj, "credential_types") : NULL, *e;
    size_t i;
    if (tl && (!json_is_array(tl) || json_array_size(tl) > 8))
        return serve_error(ans, "bad_request", "'credential_types' must be a list of at most 8 code points"), 0;
    json_array_foreach(tl, i, e) {
        if (!json_is_integer(e) || json_integer_value(e) < 0 || json_integer_value(e) > 0xffff)
            return serve_error(ans, "bad_request", "'credential_types' must be a list of at most 8 code points"), 0;
        types[i] = (uint16_t)json_integer_value(e);
    }
    p->credentials = (stirmls_u16list){types, tl ? json_array_size(tl) : 0};
    if (!serve_need_hex(obj, "credential", cred, &clen, ans))
        return 0;
    *k = private_key(obj, "signature_key_pem", ans);
    if (*k == NULL)
        return 0;
    /* as `keypackage create`: init / encryption keys derived from the signature key's point */
    stirmls_key_point(*k, pt);
    p->signature_key = *k;
    p->credential = (stirmls_slice){*cred, clen};
    p->seed = pt;
    p->seedlen = STIRMLS_P256_POINT_LEN;
    p->key_name = "stirmls-kp";
    return 1;
}

static void hex_artifact(struct serve_answer *ans, const char *field, const uint8_t *out, size_t outlen)
{
    char *h = malloc(2 * outlen + 1);
    if (h == NULL) {
        serve_error(ans, "internal", "out of memory");
        return;
    }
    stirmls_hex_encode(out, outlen, h);
    ans->result = json_pack("{s:{s:s}}", "artifact", field, h);
    free(h);
}

static void gen_key_package(json_t *params, struct serve_answer *ans)
{
    stirmls_kp_params p;
    uint8_t *cred = NULL, *out = NULL;
    size_t outlen = 0;
    uint8_t pt[STIRMLS_P256_POINT_LEN];
    stirmls_key *k = NULL;
    stirmls_detail d;
    stirmls_detail_init(&d);
    if (kp_inputs(params, &p, &cred, &k, NULL, pt, ans)) {
        if (stirmls_keypackage_build(&p, 1, &out, &outlen, &d) != STIRMLS_R_OK)
            serve_error(ans, d.reason == STIRMLS_R_INTERNAL ? "internal" : "bad_request", "key_package: %s",
                        d.text);
        else
            hex_artifact(ans, "key_package", out, outlen);
    }
    stirmls_key_free(k);
    free(cred), free(out);
}

#define GEN_MAX_MEMBERS 32

/* Member i's LeafNode (owned bytes into *leaf): the LeafNode of its KeyPackage; for the member
 * `update` names also *upd (owned): an update-source LeafNode carrying update.credential (same
 * signature key, an encryption key derived under another name) signed for the group and leaf i. */
static int member_leaf(json_t *m, json_t *update, stirmls_slice gid, uint32_t i, stirmls_key **key,
                       stirmls_slice *leaf, stirmls_slice *upd, struct serve_answer *ans)
{
    stirmls_kp_params p;
    uint8_t *cred = NULL, *ucred = NULL, *out = NULL, *uout = NULL;
    size_t outlen = 0, ulen = 0, uoutlen = 0;
    uint16_t types[8];
    uint8_t pt[STIRMLS_P256_POINT_LEN];
    stirmls_keypackage kp;
    stirmls_cred_codepoints cp;
    stirmls_buf b;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_cred_codepoints_default(&cp);
    stirmls_buf_init(&b);
    int ok = kp_inputs(m, &p, &cred, key, types, pt, ans);
    ok = ok && stirmls_keypackage_build(&p, 1, &out, &outlen, &d) == STIRMLS_R_OK &&
         stirmls_keypackage_decode_message(out, outlen, &cp, &kp, &d) == STIRMLS_R_OK;
    if (ok)
        stirmls_leafnode_write(&b, &kp.leaf);
    if (ok && update && json_integer_value(json_object_get(update, "member")) == (json_int_t)i) {
        ok = serve_need_hex(update, "credential", &ucred, &ulen, ans);
        p.credential = (stirmls_slice){ucred, ulen};
        p.key_name = "stirmls-update";
        ok = ok && stirmls_leafnode_build(&p, STIRMLS_LEAF_SOURCE_UPDATE, gid, i, (stirmls_slice){NULL, 0}, &uout,
                                          &uoutlen, &d) == STIRMLS_R_OK;
    }
    free(out);
    out = stirmls_buf_take(&b, &outlen);
    stirmls_buf_cleanup(&b);
    ok = ok && out != NULL;
    if (!ok && ans->result == NULL && ans->error_code == NULL)
        serve_error(ans, d.reason == STIRMLS_R_INTERNAL ? "internal" : "bad_request", "members[%u]: %s", i,
                    d.text[0] ? d.text : "cannot build the leaf");
    *leaf = (stirmls_slice){out, ok ? outlen : 0};
    *upd = (stirmls_slice){uout, ok ? uoutlen : 0};
    free(cred), free(ucred);
    return ok;
}

/* The GroupInfo MLSMessage (owned) over leaves, signed by member 0. */
static int group_info_bytes(stirmls_slice gid, uint64_t epoch, const stirmls_slice *leaves, size_t n,
                            const stirmls_key *signer, uint8_t **out, size_t *outlen, struct serve_answer *ans)
{
    static const uint8_t zero[32];
    stirmls_group_build b;
    stirmls_detail d;
    stirmls_detail_init(&d);
    memset(&b, 0, sizeof b);
    b.group_id = gid;
    b.epoch = epoch;
    b.leaves = leaves;
    b.n_leaves = n;
    b.signer_key = signer;
    b.confirmed_transcript_hash = (stirmls_slice){zero, sizeof zero};
    b.confirmation_tag = (stirmls_slice){zero, sizeof zero};
    if (stirmls_group_info_build(&b, out, outlen, &d) == STIRMLS_R_OK)
        return 1;
    serve_error(ans, d.reason == STIRMLS_R_INTERNAL ? "internal" : "bad_request", "group_info: %s", d.text);
    return 0;
}

/* The Update proposal of member `who` (its update-source leaf) as a PublicMessage in the group of
 * the GroupInfo gib (owned into *out). */
static int update_message(const uint8_t *gib, size_t gilen, uint32_t who, stirmls_slice upd, const stirmls_key *key,
                          uint8_t **out, size_t *outlen, struct serve_answer *ans)
{
    stirmls_group_info gi;
    stirmls_buf content;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_buf_init(&content);
    stirmls_buf_put_u16(&content, STIRMLS_PROPOSAL_UPDATE);
    stirmls_buf_put(&content, upd.ptr, upd.len);
    int ok = stirmls_group_info_decode_message(gib, gilen, &gi, &d) == STIRMLS_R_OK &&
             stirmls_public_message_build(&gi, who, gi.context.epoch, STIRMLS_CONTENT_PROPOSAL,
                                          (stirmls_slice){content.ptr, content.len}, key, out, outlen,
                                          &d) == STIRMLS_R_OK;
    stirmls_buf_cleanup(&content);
    if (!ok)
        serve_error(ans, d.reason == STIRMLS_R_INTERNAL ? "internal" : "bad_request", "message: %s", d.text);
    return ok;
}

/* generate group_info / group_message (docs/protocol.md): the members' leaves in a tree with blank
 * parents (a group of Add-only commits), signed by member 0. group_info with an update: the member's
 * leaf replaced by its update-source leaf (the epoch after the Update's commit); group_message: the
 * GroupInfo of the epoch before, and the Update as a PublicMessage from that member. No key
 * schedule: confirmed_transcript_hash, confirmation and membership tags are zero, and commit_path
 * is unimplemented. */
static void gen_group(json_t *params, int message, struct serve_answer *ans)
{
    json_t *members = json_object_get(params, "members"), *update = json_object_get(params, "update");
    size_t n = json_array_size(members), nleaves = 0;
    stirmls_key *keys[GEN_MAX_MEMBERS] = {NULL};
    stirmls_slice leaves[GEN_MAX_MEMBERS], upds[GEN_MAX_MEMBERS];
    uint8_t *gid = NULL, *out = NULL, *msg = NULL;
    size_t gidlen = 0, outlen = 0, msglen = 0;
    uint32_t who = update ? (uint32_t)json_integer_value(json_object_get(update, "member")) : 0;
    if (json_is_true(json_object_get(params, "commit_path"))) {
        serve_error(ans, "unimplemented", "commit_path: an UpdatePath (non-blank parents) needs a key schedule, "
                                          "which the reference's deterministic GroupInfo builder does not run");
        return;
    }
    if (!json_is_array(members) || n == 0 || n > GEN_MAX_MEMBERS) {
        serve_error(ans, "bad_request", "'members' must be a list of 1 to %d members", GEN_MAX_MEMBERS);
        return;
    }
    if ((update || message) && (!json_is_object(update) || !json_is_integer(json_object_get(update, "member")) ||
                                json_integer_value(json_object_get(update, "member")) < 1 ||
                                (size_t)json_integer_value(json_object_get(update, "member")) >= n)) {
        serve_error(ans, "bad_request", "'update' must be {member: an index from 1, credential: hex}");
        return;
    }
    if (!serve_need_hex(params, "group_id", &gid, &gidlen, ans))
        return;
    stirmls_slice gs = {gid, gidlen};
    int ok = 1;
    for (; ok && nleaves < n; nleaves++)
        ok = member_leaf(json_array_get(members, nleaves), update, gs, (uint32_t)nleaves, &keys[nleaves],
                         &leaves[nleaves], &upds[nleaves], ans);
    if (ok && update && !message) { /* the epoch after the Update's commit */
        stirmls_slice kpleaf = leaves[who];
        leaves[who] = upds[who];
        ok = group_info_bytes(gs, 2, leaves, n, keys[0], &out, &outlen, ans);
        leaves[who] = kpleaf;
    } else if (ok) {
        ok = group_info_bytes(gs, 1, leaves, n, keys[0], &out, &outlen, ans);
    }
    if (ok && message)
        ok = update_message(out, outlen, who, upds[who], keys[who], &msg, &msglen, ans);
    if (ok && message) {
        char *gh = malloc(2 * outlen + 1), *mh = malloc(2 * msglen + 1);
        if (gh && mh) {
            stirmls_hex_encode(out, outlen, gh);
            stirmls_hex_encode(msg, msglen, mh);
            ans->result = json_pack("{s:{s:s,s:s}}", "artifact", "group_info", gh, "message", mh);
        } else {
            serve_error(ans, "internal", "out of memory");
        }
        free(gh), free(mh);
    } else if (ok) {
        hex_artifact(ans, "group_info", out, outlen);
    }
    for (size_t i = 0; i < nleaves; i++) {
        stirmls_key_free(keys[i]);
        free((void *)leaves[i].ptr);
        free((void *)upds[i].ptr);
    }
    free(gid), free(out), free(msg);
}

int serve_generate(json_t *params, struct serve_answer *ans)
{
    const char *kind = serve_need_str(params, "kind", ans);
    if (kind == NULL)
        return 1;
    if (strcmp(kind, "passport") == 0)
        gen_passport(params, ans);
    else if (strcmp(kind, "key_package") == 0)
        gen_key_package(params, ans);
    else if (strcmp(kind, "group_info") == 0 || strcmp(kind, "group_message") == 0)
        gen_group(params, strcmp(kind, "group_message") == 0, ans);
    else
        serve_error(ans, "unimplemented", "generate of kind '%.64s' is not supported", kind);
    return 1;
}

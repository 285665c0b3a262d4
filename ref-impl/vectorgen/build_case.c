/*
 * build_case.c: one scenario case → one vector (docs/vectors.md): trust anchors, the protocol
 * input of the case's kind, policy, expectation and decoded artefacts for the report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "build.h"
#include "model.h"

json_t *vg_hex_json(const uint8_t *p, size_t n)
{
    char *h = malloc(2 * n + 1);
    stirmls_hex_encode(p, n, h);
    json_t *j = json_string(h);
    free(h);
    return j;
}

/* The certificate PKI-stage mutators act on: the leaf of whatever the case presents. */
static const char *leaf_of(json_t *c)
{
    const char *kind = json_string_value(json_object_get(c, "kind"));
    json_t *cred = json_object_get(c, "credential");
    const char *type = json_string_value(json_object_get(cred, "type"));
    if (strcmp(kind, "cert_chain") == 0)
        return json_string_value(json_array_get(json_object_get(c, "chain"), 0));
    if (strcmp(kind, "passport") == 0 || (type && strcmp(type, "stir_passport") == 0)) {
        const char *s = json_string_value(json_object_get(json_object_get(c, "passport"), "signer"));
        return s ? s : "alice-cert";
    }
    return json_string_value(json_array_get(json_object_get(cred, "chain"), 0));
}

/* The vector's expect: verdict, reason or flag, and the outcome members (not_after resolved). */
static json_t *expect_json(json_t *e, uint64_t at)
{
    if (json_is_string(e))
        return json_pack("{s:s}", "verdict", "accept");
    if (json_object_get(e, "either"))
        return json_pack("{s:s,s:O}", "verdict", "either", "flag", json_object_get(e, "either"));
    json_t *x = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(e, k, v) {
        uint64_t t;
        if (strcmp(k, "accept") == 0)
            json_object_set_new(x, "verdict", json_string("accept"));
        else if (strcmp(k, "reject") == 0)
            json_object_set_new(x, "verdict", json_string("reject")), json_object_set(x, "reason", v);
        else if (strcmp(k, "not_after") == 0 && vg_time(v, at, &t))
            json_object_set_new(x, k, json_integer((json_int_t)t));
        else
            json_object_set(x, k, v);
    }
    return x;
}

/* x5u_unmapped: the resolver knows the signer chain only under this URL */
#define VG_UNMAPPED_URL "https://certs.stirmls.test/unrelated.pem"

static int passport_input(struct vg_case *vc, json_t *in, json_t *trust)
{
    json_t *pspec = json_object_get(vc->c, "passport");
    char *x5u = NULL;
    char *tok = vg_passport(vc, pspec, &x5u);
    if (tok == NULL) {
        free(x5u);
        return 0;
    }
    const char *signer = json_string_value(json_object_get(pspec, "signer"));
    json_t *names = vg_default_chain(vc, signer ? signer : "alice-cert", trust);
    json_t *carried = json_object_get(pspec, "chain") ? json_incref(json_object_get(pspec, "chain")) : json_incref(names);
    json_t *pems = vg_pems(vc, carried);
    json_object_set_new(in, "passport", json_string(tok));
    json_object_set_new(in, "chain", pems ? pems : json_array());
    json_t *spec_map = json_object_get(pspec, "x5u_map");
    if (spec_map != NULL) { /* the map as the case states it, in its order */
        json_t *map = json_object();
        size_t i;
        json_t *e;
        json_array_foreach(spec_map, i, e) {
            json_t *text = json_object_get(e, "text");
            json_object_set_new(map, json_string_value(json_object_get(e, "url")),
                                text ? json_pack("[O]", text) : vg_pems(vc, json_object_get(e, "chain")));
        }
        json_object_set_new(in, "x5u_map", map);
    } else if (json_array_size(carried) == 0) /* the signer is found through x5u: supply the map */
        json_object_set_new(in, "x5u_map",
                            json_pack("{s:o}", vg_has_mutation(vc, "x5u_unmapped") ? VG_UNMAPPED_URL : x5u,
                                      vg_pems(vc, names)));
    const char *sk = json_string_value(json_object_get(vc->c, "signature_key"));
    const char *profile = json_string_value(json_object_get(json_object_get(vc->c, "policy"), "profile"));
    if (sk && !(profile && strcmp(profile, "sip") == 0)) {
        char *hex = vg_point_hex(vc, sk);
        json_object_set_new(in, "signature_key", json_string(hex));
        free(hex);
    }
    json_decref(names);
    json_decref(carried);
    free(tok);
    free(x5u);
    return pems != NULL;
}

static int build_input(struct vg_case *vc, const char *kind, json_t *in, json_t *trust)
{
    if (strcmp(kind, "cert_chain") == 0) {
        json_t *pems = vg_pems(vc, json_object_get(vc->c, "chain"));
        if (pems == NULL)
            return 0;
        json_object_set_new(in, "chain", pems);
        return 1;
    }
    if (strcmp(kind, "passport") == 0)
        return passport_input(vc, in, trust);
    if (strncmp(kind, "group_", 6) == 0)
        return vg_group_input(vc, kind, in);
    size_t n = 0;
    if (strcmp(kind, "credential") == 0) {
        const char *sk = NULL;
        uint8_t *cred = vg_credential(vc, &n, &sk);
        char *hex = sk ? vg_point_hex(vc, sk) : NULL;
        if (cred == NULL || hex == NULL) {
            free(cred);
            free(hex);
            return vg_fail(vc, "a credential case needs a credential and a signature_key");
        }
        if (!vg_apply_edits(vc, NULL, &cred, &n)) {
            free(cred);
            free(hex);
            return 0;
        }
        if (vg_has_mutation(vc, "trailing_byte")) { /* the Credential itself gets the extra byte */
            uint8_t *more = realloc(cred, n + 1);
            if (more == NULL) {
                free(cred);
                free(hex);
                return vg_fail(vc, "out of memory");
            }
            cred = more;
            cred[n++] = 0;
        }
        json_object_set_new(in, "credential", vg_hex_json(cred, n));
        json_object_set_new(in, "signature_key", json_string(hex));
        free(cred);
        free(hex);
        return 1;
    }
    uint8_t *kp = vg_key_package(vc, &n);
    if (kp == NULL)
        return 0;
    json_object_set_new(in, "key_package", vg_hex_json(kp, n));
    free(kp);
    return 1;
}

json_t *vg_kp_generate_params(struct vg_case *vc)
{
    size_t n = 0;
    const char *skname = NULL;
    uint8_t *cred = vg_credential(vc, &n, &skname);
    stirmls_key *k = skname ? vg_key(vc, skname) : NULL;
    char *pem = k ? stirmls_key_private_pem(k) : NULL;
    json_t *spec = json_object_get(vc->c, "key_package"), *params = NULL;
    uint64_t nb = vc->at - 3600, na = vc->at + 86400;
    if (json_object_get(spec, "not_before"))
        vg_time(json_object_get(spec, "not_before"), vc->at, &nb);
    if (json_object_get(spec, "not_after"))
        vg_time(json_object_get(spec, "not_after"), vc->at, &na);
    if (cred && pem)
        params = json_pack("{s:s,s:o,s:I,s:I}", "signature_key_pem", pem, "credential", vg_hex_json(cred, n),
                           "not_before", (json_int_t)nb, "not_after", (json_int_t)na);
    free(cred), free(pem);
    return params;
}

/* A generate case (docs/vectors.md): the params every producer gets, and how each artefact is
 * checked by every verifier. The reference's own artefact for the same params is built here too,
 * so the check input is known to be satisfiable. */
static json_t *build_generate(struct vg_case *vc, const char *kind, json_t *trust)
{
    json_t *check_in = json_object();
    json_t *params = NULL;
    const char *sk = json_string_value(json_object_get(vc->c, "signature_key"));
    if (strcmp(kind, "passport") == 0) {
        json_t *pspec = json_object_get(vc->c, "passport");
        const char *signer = json_string_value(json_object_get(pspec, "signer"));
        signer = signer ? signer : "alice-cert";
        char *x5u = NULL, *tok = vg_passport(vc, pspec, &x5u); /* fills artifacts with header/claims */
        stirmls_key *k = vg_key(vc, vg_cert_key_name(vc, signer));
        char *pem = k ? stirmls_key_private_pem(k) : NULL;
        json_t *claims = json_object_get(vc->artifacts, "passport_claims");
        json_t *ppt = json_object_get(json_object_get(vc->artifacts, "passport_header"), "ppt");
        json_t *names = vg_default_chain(vc, signer, trust);
        if (tok && pem && claims) {
            params = json_pack("{s:s,s:s,s:s,s:O}", "kind", "passport", "key", pem, "x5u", x5u, "claims", claims);
            if (ppt)
                json_object_set(params, "ppt", ppt);
            json_object_set_new(check_in, "chain", vg_pems(vc, names));
            if (sk) {
                char *hex = vg_point_hex(vc, sk);
                json_object_set_new(check_in, "signature_key", json_string(hex));
                free(hex);
            }
        }
        json_decref(names);
        free(tok), free(x5u), free(pem);
    } else if (strcmp(kind, "group_info") == 0 || strcmp(kind, "group_message") == 0) {
        json_t *anchors = vg_pems(vc, trust);
        params = anchors ? vg_group_generate_params(vc, kind, anchors) : NULL;
        json_decref(anchors);
    } else {
        params = vg_kp_generate_params(vc);
        if (params)
            json_object_set_new(params, "kind", json_string("key_package"));
    }
    if (params == NULL) {
        json_decref(check_in);
        vg_fail(vc, "cannot build the generate params");
        return NULL;
    }
    if (json_object_get(vc->c, "tn"))
        json_object_set(check_in, "tn", json_object_get(vc->c, "tn"));
    json_t *policy = json_object_get(vc->c, "policy") ? json_incref(json_object_get(vc->c, "policy")) : json_object();
    int gm = strcmp(kind, "group_message") == 0; /* the message, checked against its epoch's GroupInfo */
    json_t *g = json_pack("{s:o,s:{s:s,s:s,s:o,s:o,s:o}}", "params", params, "check", "kind", kind, "artifact_field",
                          gm ? "message" : kind, "input", check_in, "policy", policy, "expect",
                          expect_json(json_object_get(vc->c, "expect"), vc->at));
    if (g && gm)
        json_object_set_new(json_object_get(g, "check"), "artifact_with", json_pack("[s]", "group_info"));
    return g;
}

json_t *vg_build_case(json_t *model, json_t *c, char *err, size_t errlen)
{
    struct vg_case vc;
    memset(&vc, 0, sizeof vc);
    vc.c = c;
    vc.pki = json_object_get(json_object_get(model, "pkis"), json_string_value(json_object_get(c, "pki")));
    const char *seed = json_string_value(json_object_get(vc.pki, "seed"));
    vc.seed = (const uint8_t *)seed;
    vc.seedlen = strlen(seed);
    vg_time(json_object_get(c, "at"), 0, &vc.at);
    vc.mutations = json_object_get(c, "mutations") ? json_object_get(c, "mutations") : json_array();
    if (!json_object_get(c, "mutations"))
        json_object_set_new(c, "mutations", vc.mutations);
    vc.leaf = leaf_of(c);
    vc.artifacts = json_object();
    const char *kind = json_string_value(json_object_get(c, "kind"));
    json_t *trust = json_object_get(c, "trust") ? json_incref(json_object_get(c, "trust")) : json_pack("[s]", "root");
    json_t *anchors = vg_pems(&vc, trust);
    json_t *in = json_object();
    json_t *out = NULL;
    const char *op = json_string_value(json_object_get(c, "op"));
    if (anchors != NULL && op != NULL && strcmp(op, "generate") == 0) {
        json_t *g = build_generate(&vc, kind, trust);
        json_t *tags = json_object_get(c, "tags") ? json_incref(json_object_get(c, "tags")) : json_array();
        if (g != NULL) {
            out = json_pack("{s:O,s:O,s:O,s:o,s:O,s:s,s:s,s:I,s:O}", "id", json_object_get(c, "id"), "why",
                            json_object_get(c, "why"), "spec", json_object_get(c, "spec"), "tags", tags,
                            "importance", json_object_get(c, "importance"), "op", "generate", "kind", kind,
                            "at", (json_int_t)vc.at, "trust_anchors", anchors);
            json_object_update(out, g);
            json_decref(g);
        } else {
            json_decref(tags);
        }
    } else if (anchors != NULL && build_input(&vc, kind, in, trust)) {
        if (json_object_get(c, "tn"))
            json_object_set(in, "tn", json_object_get(c, "tn"));
        json_t *tags = json_object_get(c, "tags") ? json_incref(json_object_get(c, "tags")) : json_array();
        json_t *policy = json_object_get(c, "policy") ? json_incref(json_object_get(c, "policy")) : json_object();
        out = json_pack("{s:O,s:O,s:O,s:o,s:O,s:s,s:s,s:I,s:O,s:O,s:o,s:o}", "id", json_object_get(c, "id"),
                        "why", json_object_get(c, "why"), "spec", json_object_get(c, "spec"), "tags", tags,
                        "importance", json_object_get(c, "importance"), "op", "verify", "kind", kind,
                        "at", (json_int_t)vc.at, "trust_anchors", anchors, "input", in, "policy", policy,
                        "expect", expect_json(json_object_get(c, "expect"), vc.at));
        if (out && json_object_size(vc.artifacts) > 0)
            json_object_set(out, "artifacts", vc.artifacts);
        if (out && json_array_size(vc.mutations) > 0)
            json_object_set(out, "mutations", vc.mutations);
        if (out && json_object_get(c, "edits"))
            json_object_set(out, "edits", json_object_get(c, "edits"));
    }
    if (out == NULL)
        snprintf(err, errlen, "%s: %s", json_string_value(json_object_get(c, "id")),
                 vc.err[0] ? vc.err : "cannot build the case");
    json_decref(anchors);
    json_decref(in);
    json_decref(trust);
    vg_case_cleanup(&vc);
    return out;
}

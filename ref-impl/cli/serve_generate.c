/*
 * serve_generate.c: the `generate` op of stirmls-interop/1: the reference as producer of a
 * PASSporT (stirmls_passport_sign, as `passport sign`) or of a KeyPackage in an MLSMessage
 * (stirmls_keypackage_build, as `keypackage create`).
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

static void gen_key_package(json_t *params, struct serve_answer *ans)
{
    stirmls_kp_params p;
    uint8_t *cred = NULL, *out = NULL;
    size_t clen = 0, outlen = 0;
    uint8_t pt[STIRMLS_P256_POINT_LEN];
    stirmls_detail d;
    stirmls_detail_init(&d);
    memset(&p, 0, sizeof p);
    if (!json_is_integer(json_object_get(params, "not_before")) ||
        !json_is_integer(json_object_get(params, "not_after")) ||
        !serve_opt_u64(params, "not_before", &p.not_before, ans) ||
        !serve_opt_u64(params, "not_after", &p.not_after, ans)) {
        serve_error(ans, "bad_request", "'not_before' and 'not_after' must be non-negative integers");
        return;
    }
    if (!serve_need_hex(params, "credential", &cred, &clen, ans))
        return;
    stirmls_key *k = private_key(params, "signature_key_pem", ans);
    if (k != NULL) {
        /* as `keypackage create`: init / encryption keys derived from the signature key's point */
        stirmls_key_point(k, pt);
        p.signature_key = k;
        p.credential.ptr = cred;
        p.credential.len = clen;
        p.seed = pt;
        p.seedlen = sizeof pt;
        p.key_name = "stirmls-kp";
        if (stirmls_keypackage_build(&p, 1, &out, &outlen, &d) != STIRMLS_R_OK)
            serve_error(ans, d.reason == STIRMLS_R_INTERNAL ? "internal" : "bad_request", "key_package: %s",
                        d.text);
        else {
            char *h = malloc(2 * outlen + 1);
            if (h != NULL) {
                stirmls_hex_encode(out, outlen, h);
                ans->result = json_pack("{s:{s:s}}", "artifact", "key_package", h);
            }
            free(h);
        }
    }
    stirmls_key_free(k);
    free(cred), free(out);
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
    else
        serve_error(ans, "unimplemented", "generate of kind '%.64s' is not supported", kind);
    return 1;
}

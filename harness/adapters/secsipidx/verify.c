/*
 * verify.c: verify kind "passport" with libsecsipid's most complete check, SecSIPIDCheckFull.
 *
 * The PASSporT is handed to the library in the SIP Identity header form it expects
 * ("<jws>;info=<x5u>;alg=<alg>[;ppt=<ppt>]", built from the PASSporT's own header); an input
 * that already is an Identity header value (it holds a ';') is handed over unchanged. The signer
 * chain (leaf first, from input.chain or from input.x5u_map[x5u]) is written to a private file
 * and passed as the key path, so the library fetches nothing; trust anchors go to a CA file
 * (option CertCAFile) with CertVerify = 1 (leaf validity) | 4 (path to the CA file).
 *
 * Time: the library reads the wall clock. The iat freshness check (now > iat + expire) is moved
 * to `at` by passing expire = max_age + (now - at); certificate validity cannot be moved, so a
 * case whose certificates change state between `at` and now is answered "unimplemented".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <secsipid.h>
#include "ssx.h"

/* libsecsipid return codes (its SJWTRetErr* constants) -> name, and the stirmls reason where
 * the code alone establishes it ("" otherwise; "=alg" and "=ppt" are resolved below). */
static const struct {
    int code;
    const char *name;
    const char *reason;
} ssx_codes[] = {
    {-1, "SJWTRetErr", ""},
    {-101, "SJWTRetErrCertInvalid", ""}, /* Go x509.Verify failed: cause not exposed by the C API */
    {-102, "SJWTRetErrCertInvalidFormat", "CERT_PARSE"},
    {-103, "SJWTRetErrCertExpired", "CERT_EXPIRED"},
    {-104, "SJWTRetErrCertBeforeValidity", "CERT_NOT_YET_VALID"},
    {-105, "SJWTRetErrCertProcessing", ""},
    {-106, "SJWTRetErrCertNoCAFile", ""},
    {-107, "SJWTRetErrCertReadCAFile", ""},
    {-112, "SJWTRetErrCertRevoked", "CERT_REVOKED"},
    {-114, "SJWTRetErrCertInvalidEC", "CERT_KEY_TYPE"},
    {-201, "SJWTRetErrJSONHdrParse", ""},
    {-202, "SJWTRetErrJSONHdrAlg", "=alg"},
    {-203, "SJWTRetErrJSONHdrPpt", "PPT_PPT_UNSUPPORTED"},
    {-204, "SJWTRetErrJSONHdrTyp", "PPT_TYP"},
    {-205, "SJWTRetErrJSONHdrX5u", "=x5u"},
    {-231, "SJWTRetErrJSONPayloadParse", ""},
    {-232, "SJWTRetErrJSONPayloadIATExpired", "=iat"},
    {-251, "SJWTRetErrJSONSignatureInvalid", "PPT_SIG_INVALID"},
    {-252, "SJWTRetErrJSONSignatureHashing", ""},
    {-253, "SJWTRetErrJSONSignatureSize", "PPT_SIG_LENGTH"},
    {-254, "SJWTRetErrJSONSignatureFailure", ""},
    {-301, "SJWTRetErrSIPHdrParse", "PPT_MALFORMED"},
    {-302, "SJWTRetErrSIPHdrAlg", "=alg"},
    {-303, "SJWTRetErrSIPHdrPpt/SJWTRetErrSIPHdrInfo", "=ppt"},
    {-304, "SJWTRetErrSIPHdrEmpty", ""},
    {-451, "SJWTRetErrFileRead", ""},
};

static const char *alg_reason(const char *alg)
{
    if (alg == NULL)
        return "PPT_ALG_UNSUPPORTED";
    if (strcmp(alg, "none") == 0)
        return "PPT_ALG_NONE";
    if (strncmp(alg, "HS", 2) == 0)
        return "PPT_ALG_HMAC";
    if (strncmp(alg, "RS", 2) == 0 || strncmp(alg, "PS", 2) == 0)
        return "PPT_ALG_RSA";
    return "PPT_ALG_UNSUPPORTED";
}

static json_t *verdict(const char *v, const char *reason, const char *native)
{
    return json_pack("{s:s,s:s,s:s,s:[]}", "verdict", v, "reason", reason, "native", native,
                     "identities");
}

/* Join a JSON array of PEM strings into one text (owned). NULL if an element is not a string. */
static char *join_pems(json_t *arr, size_t *len)
{
    size_t i, total = 1;
    json_t *e;
    json_array_foreach(arr, i, e) {
        if (!json_is_string(e))
            return NULL;
        total += json_string_length(e) + 1;
    }
    char *out = malloc(total), *p = out;
    if (out == NULL)
        return NULL;
    json_array_foreach(arr, i, e) {
        memcpy(p, json_string_value(e), json_string_length(e));
        p += json_string_length(e);
        *p++ = '\n';
    }
    *p = 0;
    *len = (size_t)(p - out);
    return out;
}

static int safe_param(const char *s)
{
    if (s == NULL || *s == 0)
        return 0;
    for (; *s; s++)
        if (*s == ';' || *s == '=' || *s == '<' || *s == '>' || *s <= ' ')
            return 0;
    return 1;
}

struct vctx {
    json_t *params, *inp, *policy, *header, *chain;
    const char *token, *x5u, *alg, *ppt;
    const char *identity; /* the input when it is a whole SIP Identity header value, else NULL */
    char *token_owned;    /* the token part of that value (owned) */
    int64_t at;
};

/* Check inputs; pick the signer chain. Returns NULL to go on, or a result (reject). */
static json_t *prepare(struct vctx *c, struct ssx_answer *a)
{
    c->chain = json_object_get(c->inp, "chain");
    c->header = ssx_jws_segment_json(c->token, 0);
    c->x5u = json_string_value(json_object_get(c->header, "x5u"));
    c->alg = json_string_value(json_object_get(c->header, "alg"));
    c->ppt = json_string_value(json_object_get(c->header, "ppt"));
    if (c->chain != NULL && !json_is_array(c->chain)) {
        ssx_fail(a, "bad_request", "input.chain must be an array");
        return NULL;
    }
    if (json_array_size(c->chain) > 0)
        return NULL;
    if (c->x5u == NULL)
        return verdict("reject", "PPT_X5U_MISSING", "glue: no chain and no readable x5u");
    json_t *map = json_object_get(c->inp, "x5u_map");
    c->chain = json_object_get(map, c->x5u);
    if (!json_is_array(c->chain) || json_array_size(c->chain) == 0)
        return verdict("reject", "PPT_X5U_UNRESOLVED", "glue: x5u is not in the map");
    return NULL;
}

static json_t *run_library(struct vctx *c, struct ssx_answer *a)
{
    size_t clen = 0, tlen = 0;
    char why[256];
    json_t *anchors = json_object_get(c->params, "trust_anchors");
    char *chain_txt = join_pems(c->chain, &clen);
    char *anchor_txt = anchors ? join_pems(anchors, &tlen) : strdup("");
    json_t *out = NULL;
    const char *signer_path, *ca_path;
    if (chain_txt == NULL || anchor_txt == NULL) {
        ssx_fail(a, "bad_request", "chain, x5u_map entries and trust_anchors hold PEM strings");
        goto done;
    }
    const char *pems[64];
    size_t n = 0, i;
    json_t *e;
    json_array_foreach(c->chain, i, e) if (n < 64) pems[n++] = json_string_value(e);
    json_array_foreach(anchors, i, e) if (n < 64) pems[n++] = json_string_value(e);
    int64_t now = (int64_t)time(NULL);
    int same = ssx_validity_same(pems, n, c->at, now, why, sizeof why);
    if (same < 0) {
        out = verdict("reject", "CERT_PARSE", why); /* the library would not get further either */
        goto done;
    }
    if (same == 0) {
        ssx_fail(a, "unimplemented", "%s", why);
        goto done;
    }
    signer_path = ssx_write_file("signer.pem", chain_txt, clen);
    ca_path = ssx_write_file("anchors.pem", anchor_txt, tlen);
    if (signer_path == NULL || ca_path == NULL) {
        ssx_fail(a, "internal", "cannot write the temporary certificate files");
        goto done;
    }
    json_int_t max_age = json_integer_value(json_object_get(c->policy, "max_age"));
    if (!json_is_integer(json_object_get(c->policy, "max_age")))
        max_age = 604800;
    int64_t expire = (int64_t)max_age + (now - c->at);
    if (expire < -2147483647 || expire > 2147483647) {
        ssx_fail(a, "unimplemented", "max_age + (now - at) does not fit the library's int expire");
        goto done;
    }
    char ident_tail[1024] = "";
    if (c->identity == NULL) /* a bare token: the header form is built from its own header */
        snprintf(ident_tail, sizeof ident_tail, ";info=<%s>%s%s%s%s",
                 c->x5u && safe_param(c->x5u) ? c->x5u : signer_path,
                 safe_param(c->alg) ? ";alg=" : "", safe_param(c->alg) ? c->alg : "",
                 safe_param(c->ppt) ? ";ppt=" : "", safe_param(c->ppt) ? c->ppt : "");
    size_t ilen = strlen(c->identity ? c->identity : c->token) + strlen(ident_tail) + 1;
    char *identity = malloc(ilen);
    if (identity == NULL) {
        ssx_fail(a, "internal", "out of memory");
        goto done;
    }
    snprintf(identity, ilen, "%s%s", c->identity ? c->identity : c->token, ident_tail);
    SecSIPIDOptSetN("CertVerify", 1 | 4);
    SecSIPIDOptSetS("CertCAFile", (char *)ca_path);
    int rc = SecSIPIDCheckFull(identity, 0, (int)expire, (char *)signer_path, 5);
    free(identity);
    if (rc == 0)
        goto done; /* accepted by the library: out stays NULL, the glue runs next */
    const char *name = "unlisted", *reason = "";
    for (i = 0; i < sizeof ssx_codes / sizeof ssx_codes[0]; i++)
        if (ssx_codes[i].code == rc) {
            name = ssx_codes[i].name;
            reason = ssx_codes[i].reason;
        }
    if (strcmp(reason, "=alg") == 0 && c->identity != NULL && rc == -302)
        reason = "PPT_IDENTITY_PARAM"; /* the given SIP alg parameter, not the PASSporT's */
    else if (strcmp(reason, "=alg") == 0)
        reason = alg_reason(c->alg);
    else if (strcmp(reason, "=x5u") == 0) /* header x5u differs from a given info parameter */
        reason = c->identity != NULL && c->x5u != NULL ? "PPT_INFO_MISMATCH" : "";
    else if (strcmp(reason, "=ppt") == 0)
        /* the adapter's own header form always has a well-formed info; a given one may not */
        reason = c->ppt && c->identity == NULL ? "PPT_PPT_UNSUPPORTED" : "";
    else if (strcmp(reason, "=iat") == 0) {
        json_t *claims = ssx_jws_segment_json(c->token, 1);
        json_int_t iat = json_integer_value(json_object_get(claims, "iat"));
        reason = iat > 0 ? "PPT_STALE" : ""; /* iat 0 or absent also gives "expired token" */
        json_decref(claims);
    }
    char native[160];
    snprintf(native, sizeof native, "SecSIPIDCheckFull returned %d (%s)", rc, name);
    out = verdict("reject", reason, native);
done:
    free(chain_txt);
    free(anchor_txt);
    return out;
}

/* After the library accepted: the MLS binding (glue). */
static json_t *after_library(struct vctx *c, struct ssx_answer *a)
{
    json_t *key = json_object_get(c->inp, "signature_key");
    if (key == NULL)
        return verdict("accept", "", "");
    if (!json_is_string(key)) {
        ssx_fail(a, "bad_request", "signature_key must be a hex string");
        return NULL;
    }
    json_t *claims = ssx_jws_segment_json(c->token, 1);
    if (claims == NULL)
        return verdict("reject", "", "glue: claims unreadable for the mky check");
    const char *why;
    int strict = json_is_true(json_object_get(c->policy, "strict"));
    const char *reason = ssx_mky_check(claims, json_string_value(key), strict, &why);
    json_decref(claims);
    if (reason != NULL && strcmp(reason, "HEX_INVALID") == 0) {
        ssx_fail(a, "bad_request", "signature_key is not hex");
        return NULL;
    }
    return reason ? verdict("reject", reason, why) : verdict("accept", "", "");
}

void ssx_verify(json_t *params, struct ssx_answer *a)
{
    struct vctx c = {.params = params};
    const char *kind = json_string_value(json_object_get(params, "kind"));
    json_t *at = json_object_get(params, "at");
    c.inp = json_object_get(params, "input");
    c.policy = json_object_get(params, "policy");
    if (kind == NULL || !json_is_integer(at) || json_integer_value(at) < 0 || !json_is_object(c.inp)) {
        ssx_fail(a, "bad_request", "verify needs kind, at (integer) and input (object)");
        return;
    }
    if (strcmp(kind, "passport") != 0) {
        ssx_fail(a, "unimplemented", "libsecsipid verifies PASSporTs only, not kind '%s'", kind);
        return;
    }
    c.at = (int64_t)json_integer_value(at);
    c.token = json_string_value(json_object_get(c.inp, "passport"));
    if (c.token == NULL || strlen(c.token) > SSX_MAX_LINE) {
        ssx_fail(a, "bad_request", "input.passport must be a string");
        return;
    }
    /* A whole SIP Identity header value (SIP profile, RFC 8224 §4.1) goes to the library as
     * it is; the glue reads the header and claims from its token part. */
    const char *semi = strchr(c.token, ';');
    if (semi != NULL) {
        c.identity = c.token;
        c.token_owned = strndup(c.token, (size_t)(semi - c.token));
        if (c.token_owned == NULL) {
            ssx_fail(a, "internal", "out of memory");
            return;
        }
        c.token = c.token_owned;
    }
    json_t *res = prepare(&c, a);
    if (res == NULL && a->error_code == NULL) {
        res = run_library(&c, a);
        if (res == NULL && a->error_code == NULL)
            res = after_library(&c, a);
    }
    json_decref(c.header);
    free(c.token_owned);
    a->result = res;
}

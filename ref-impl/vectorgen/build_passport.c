/*
 * build_passport.c: the PASSporT of a case. Header and claims are JSON objects built from the
 * scenario (defaults: docs/scenarios.md), changed by the claims-stage mutators, serialized
 * (deterministically unless a mutator says otherwise), signed as those exact bytes with the
 * signer's key (RFC 6979), and finally changed by the token-stage mutators.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "build.h"
#include "model.h"

/* mky entry for a key name */
static json_t *mky_entry(struct vg_case *vc, const char *keyname)
{
    stirmls_key *k = vg_key(vc, keyname);
    if (k == NULL)
        return NULL;
    uint8_t pt[STIRMLS_P256_POINT_LEN];
    char dig[STIRMLS_MKY_DIG_LEN + 1];
    stirmls_key_point(k, pt);
    stirmls_mky_dig(pt, sizeof pt, dig);
    return json_pack("{s:s,s:s}", "alg", "sha-256", "dig", dig);
}

/* The signer's first TN (a one, or the start of a range), for the default orig. */
static const char *first_tn(struct vg_case *vc, const char *signer)
{
    json_t *e = json_array_get(json_object_get(vg_cert_spec(vc, signer), "tnauthlist"), 0);
    const char *v = json_string_value(json_object_get(e, "one"));
    return v ? v : json_string_value(json_object_get(e, "range"));
}

static void apply_mky_mutations(struct vg_case *vc, json_t *claims)
{
    json_t *mky = json_object_get(claims, "mky");
    json_t *e0 = json_array_get(mky, 0);
    if (vg_has_mutation(vc, "mky_other_key") && e0)
        json_array_set_new(mky, 0, mky_entry(vc, "mallory"));
    if (vg_has_mutation(vc, "mky_drop"))
        json_object_del(claims, "mky");
    e0 = json_array_get(json_object_get(claims, "mky"), 0);
    char dig[STIRMLS_MKY_DIG_LEN + 2];
    const char *cur = e0 ? json_string_value(json_object_get(e0, "dig")) : NULL;
    if (cur == NULL)
        return;
    snprintf(dig, sizeof dig, "%s", cur);
    if (vg_has_mutation(vc, "mky_lowercase"))
        for (char *p = dig; *p; p++)
            if (*p >= 'A' && *p <= 'F')
                *p = (char)(*p - 'A' + 'a');
    if (vg_has_mutation(vc, "mky_bad_dig"))
        dig[strlen(dig) - 3] = 0; /* 31 byte pairs */
    if (vg_has_mutation(vc, "mky_no_separators")) {
        char *w = dig;
        for (const char *r = dig; *r; r++)
            if (*r != ':')
                *w++ = *r;
        *w = 0;
    }
    if (vg_has_mutation(vc, "mky_trailing_colon"))
        strcat(dig, ":");
    json_object_set_new(e0, "dig", json_string(dig));
    if (vg_has_mutation(vc, "mky_only_unknown_alg"))
        json_object_set_new(e0, "alg", json_string("sha-1"));
    if (vg_has_mutation(vc, "mky_object"))
        json_object_set(claims, "mky", e0);
    vg_mky_mutations(vc, claims);
}

static void apply_claims_mutations(struct vg_case *vc, json_t *header, json_t *claims)
{
    static const struct {
        const char *mutator, *alg;
    } algs[] = {{"passport_alg_none", "none"},
                {"passport_alg_hs256", "HS256"},
                {"passport_alg_rs256", "RS256"},
                {"passport_alg_es384", "ES384"}};
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++)
        if (vg_has_mutation(vc, algs[i].mutator))
            json_object_set_new(header, "alg", json_string(algs[i].alg));
    if (vg_has_mutation(vc, "passport_typ_jwt"))
        json_object_set_new(header, "typ", json_string("JWT"));
    if (vg_has_mutation(vc, "passport_ppt_msg"))
        json_object_set_new(header, "ppt", json_string("msg"));
    json_int_t iat = json_integer_value(json_object_get(claims, "iat"));
    if (vg_has_mutation(vc, "passport_iat_string")) {
        char s[24];
        snprintf(s, sizeof s, "%lld", (long long)iat);
        json_object_set_new(claims, "iat", json_string(s));
    }
    if (vg_has_mutation(vc, "passport_iat_fraction"))
        json_object_set_new(claims, "iat", json_real((double)iat + 0.5));
    if (vg_has_mutation(vc, "passport_iat_drop"))
        json_object_del(claims, "iat");
    apply_mky_mutations(vc, claims);
}

/* Deterministic JSON text (RFC 8225 §9) of obj, or jansson's spaced form when spaced. Owned. */
static char *serialize(const json_t *obj, int spaced)
{
    char *text = json_dumps(obj, spaced ? JSON_SORT_KEYS : (JSON_COMPACT | JSON_SORT_KEYS));
    if (text == NULL || spaced)
        return text;
    /* the library's own serializer is the definition of the deterministic form */
    stirmls_json *j = NULL;
    stirmls_buf b;
    stirmls_buf_init(&b);
    if (stirmls_json_parse(text, strlen(text), &j, NULL) == STIRMLS_R_OK &&
        stirmls_json_serialize(j, &b) == STIRMLS_R_OK) {
        free(text);
        size_t n;
        text = (char *)stirmls_buf_take(&b, &n);
    }
    stirmls_json_free(j);
    stirmls_buf_cleanup(&b);
    return text;
}

/* Token-stage mutators on the three segments h.c.s (owned strings, replaced in place). */
static int apply_token_mutations(struct vg_case *vc, char **h, char **c, char **s)
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    if (vg_has_mutation(vc, "passport_sig_der") || vg_has_mutation(vc, "passport_sig_flip")) {
        stirmls_buf rb;
        stirmls_buf_init(&rb);
        if (stirmls_b64url_decode(*s, strlen(*s), 0, &rb, NULL) != STIRMLS_R_OK || rb.len != 64) {
            stirmls_buf_cleanup(&rb);
            return vg_fail(vc, "cannot decode the signature segment");
        }
        size_t rawlen;
        uint8_t *raw = stirmls_buf_take(&rb, &rawlen);
        if (vg_has_mutation(vc, "passport_sig_flip")) {
            raw[63] ^= 1;
            stirmls_b64url_encode(raw, rawlen, &b);
        } else {
            uint8_t *der = NULL;
            size_t derlen = 0;
            if (stirmls_ecdsa_raw_to_der(raw, &der, &derlen) != STIRMLS_R_OK)
                return vg_fail(vc, "cannot convert the signature to DER");
            stirmls_b64url_encode(der, derlen, &b);
            free(der);
        }
        free(raw);
        free(*s);
        size_t n;
        *s = (char *)stirmls_buf_take(&b, &n);
    }
    if (vg_has_mutation(vc, "passport_b64_padding")) {
        char *p = malloc(strlen(*c) + 3);
        sprintf(p, "%s==", *c);
        free(*c);
        *c = p;
    }
    if (vg_has_mutation(vc, "passport_b64_std_alphabet"))
        (*s)[0] = '+';
    if (vg_has_mutation(vc, "passport_header_garbage") || vg_has_mutation(vc, "passport_header_array")) {
        const char *t = vg_has_mutation(vc, "passport_header_garbage") ? "not json at all"
                                                                        : "[\"alg\",\"ES256\"]";
        stirmls_buf_reset(&b);
        stirmls_b64url_encode((const uint8_t *)t, strlen(t), &b);
        free(*h);
        size_t n;
        *h = (char *)stirmls_buf_take(&b, &n);
    }
    stirmls_buf_cleanup(&b);
    return 1;
}

/* Unpadded base64url length of n octets. */
static size_t b64len(size_t n)
{
    return n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
}

/* pad_to: N: a "pad" claim of 'x' characters sized so that the signed token (an ES256 signature
 * is 86 characters) is exactly N octets; a length this header cannot reach is an error. */
static int pad_claims(struct vg_case *vc, json_t *pspec, json_t *header, json_t *claims)
{
    json_t *want = json_object_get(pspec, "pad_to");
    if (want == NULL)
        return 1;
    size_t n = (size_t)json_integer_value(want);
    json_object_set_new(claims, "pad", json_string(""));
    char *h = serialize(header, 0), *c = serialize(claims, 0);
    size_t hl = h ? strlen(h) : 0, cl = c ? strlen(c) : 0;
    free(h), free(c);
    for (size_t k = 0; hl && cl && b64len(hl) + b64len(cl + k) + 2 + 86 <= n; k++) {
        if (b64len(hl) + b64len(cl + k) + 2 + 86 < n)
            continue;
        char *x = malloc(k + 1);
        memset(x, 'x', k);
        x[k] = 0;
        json_object_set_new(claims, "pad", json_string(x));
        free(x);
        return 1;
    }
    vg_fail(vc, "pad_to: %zu octets cannot be reached with this header (change its length by one character)", n);
    return 0;
}

static char *join_token(struct vg_case *vc, char *h, char *c, char *s)
{
    size_t n = strlen(h) + strlen(c) + strlen(s) + 3;
    char *t = malloc(n);
    if (vg_has_mutation(vc, "passport_drop_signature_segment"))
        snprintf(t, n, "%s.%s", h, c);
    else if (vg_has_mutation(vc, "passport_empty_header_segment"))
        snprintf(t, n, ".%s.%s", c, s);
    else if (vg_has_mutation(vc, "passport_compact_form"))
        snprintf(t, n, "..%s", s);
    else
        snprintf(t, n, "%s.%s.%s", h, c, s);
    return t;
}

char *vg_passport(struct vg_case *vc, json_t *pspec, char **x5u_out)
{
    const char *signer = json_string_value(json_object_get(pspec, "signer"));
    if (signer == NULL)
        signer = "alice-cert";
    char x5u[256];
    const char *x = json_string_value(json_object_get(pspec, "x5u"));
    snprintf(x5u, sizeof x5u, x ? "%s" : "https://certs.stirmls.test/%s.pem", x ? x : signer);
    json_t *header = json_pack("{s:s,s:s,s:s}", "alg", "ES256", "typ", "passport", "x5u", x5u);
    if (json_string_value(json_object_get(pspec, "ppt")))
        json_object_set(header, "ppt", json_object_get(pspec, "ppt"));
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(pspec, "header"), k, v) {
        if (json_is_null(v))
            json_object_del(header, k);
        else
            json_object_set(header, k, v);
    }
    const char *tn = first_tn(vc, signer);
    json_t *claims = json_pack("{s:I,s:{s:s},s:{s:[s]}}", "iat", (json_int_t)(vc->at - 60), "orig", "tn",
                               tn ? tn : "12155550123", "dest", "uri", "mimi://provider.stirmls.test");
    json_object_foreach(json_object_get(pspec, "claims"), k, v) {
        uint64_t t;
        if (json_is_null(v))
            json_object_del(claims, k);
        else if ((strcmp(k, "iat") == 0 || strcmp(k, "exp") == 0) && vg_time(v, vc->at, &t))
            json_object_set_new(claims, k, json_integer((json_int_t)t));
        else
            json_object_set(claims, k, v);
    }
    /* mky: the listed keys, by default the case's signature_key */
    json_t *mkeys = json_object_get(pspec, "mky");
    json_t *mky = json_array();
    if (mkeys != NULL) {
        size_t i;
        json_t *n;
        json_array_foreach(mkeys, i, n) json_array_append_new(mky, mky_entry(vc, json_string_value(n)));
    } else if (json_string_value(json_object_get(vc->c, "signature_key"))) {
        json_array_append_new(mky, mky_entry(vc, json_string_value(json_object_get(vc->c, "signature_key"))));
    }
    if (json_array_size(mky) > 0)
        json_object_set_new(claims, "mky", mky);
    else
        json_decref(mky);
    apply_claims_mutations(vc, header, claims);
    if (!pad_claims(vc, pspec, header, claims)) {
        json_decref(header), json_decref(claims);
        *x5u_out = strdup(x5u);
        return NULL;
    }
    json_object_set(vc->artifacts, "passport_header", header);
    json_object_set(vc->artifacts, "passport_claims", claims);
    char *htext = serialize(header, 0);
    char *ctext = serialize(claims, vg_has_mutation(vc, "passport_json_noncanonical"));
    if (vg_has_mutation(vc, "passport_dup_claim") && ctext) {
        /* repeat the orig member at the end of the text */
        char *orig = json_dumps(json_object_get(claims, "orig"), JSON_COMPACT | JSON_SORT_KEYS);
        size_t n = strlen(ctext) + strlen(orig) + 16;
        char *dup = malloc(n);
        snprintf(dup, n, "%.*s,\"orig\":%s}", (int)(strlen(ctext) - 1), ctext, orig);
        free(ctext);
        free(orig);
        ctext = dup;
    }
    json_decref(header);
    json_decref(claims);
    char *token = NULL;
    stirmls_key *key = vg_key(vc, vg_cert_key_name(vc, signer));
    if (htext && ctext && key && vg_text_mutations(vc, &htext, &ctext) &&
        stirmls_passport_sign_bytes(key, htext, strlen(htext), ctext, strlen(ctext), &token) == STIRMLS_R_OK) {
        char *d1 = strchr(token, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
        char *h = strndup(token, (size_t)(d1 - token)), *c = strndup(d1 + 1, (size_t)(d2 - d1 - 1)),
             *s = strdup(d2 + 1);
        free(token);
        token = apply_token_mutations(vc, &h, &c, &s) && vg_token_mutations(vc, key, &h, &c, &s)
                    ? join_token(vc, h, c, s)
                    : NULL;
        free(h), free(c), free(s);
        if (token && !vg_identity_mutations(vc, &token, x5u)) {
            free(token);
            token = NULL;
        }
    } else {
        vg_fail(vc, "cannot sign the PASSporT");
    }
    free(htext);
    free(ctext);
    *x5u_out = strdup(x5u);
    return token;
}

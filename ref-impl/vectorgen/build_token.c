/*
 * build_token.c: the second set of PASSporT mutators (see mutators.c): text-level changes to the
 * header and claims JSON before signing, changes to the signature bytes and segments after
 * signing, the SIP Identity header wrappings (RFC 8224 §4.1) of the finished token, and mky
 * shapes (alg case, separators, lengths, digests of the wrong key bytes).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "build.h"

/* The P-256 group order n, big-endian. */
static const uint8_t p256_n[32] = {0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
                                   0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17,
                                   0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};

/* Replace *text with the formatted string (owned). */
static void replace(char **text, char *with)
{
    free(*text);
    *text = with;
}

/* a + b + c (NULL for none), owned; NULL when out of memory or a is NULL */
static char *cat3(const char *a, const char *b, const char *c)
{
    if (a == NULL)
        return NULL;
    b = b ? b : "", c = c ? c : "";
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

/* The members of a JSON object text in reverse order (compact, nested values as they were), owned. */
static char *reversed(const char *text)
{
    json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, NULL), *r = json_object();
    const char *keys[64];
    size_t n = 0;
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) if (n < 64) keys[n++] = k;
    while (o != NULL && r != NULL && n > 0) {
        n--;
        json_object_set(r, keys[n], json_object_get(o, keys[n]));
    }
    char *out = o != NULL && r != NULL ? json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    json_decref(r);
    return out;
}

/* Text-level mutators on the serialized header and claims, before signing. */
int vg_text_mutations(struct vg_case *vc, char **htext, char **ctext)
{
    if (vg_has_mutation(vc, "passport_dup_header")) {
        /* repeat the typ member at the end of the header text */
        char *h = *htext;
        h[strlen(h) - 1] = 0;
        replace(htext, cat3(h, ",\"typ\":\"passport\"}", NULL));
    }
    if (vg_has_mutation(vc, "passport_header_noncanonical")) {
        /* a space after the first ':' */
        char *colon = strchr(*htext, ':');
        if (colon == NULL)
            return vg_fail(vc, "header text has no ':'");
        *colon = 0;
        replace(htext, cat3(*htext, ": ", colon + 1));
    }
    if (vg_has_mutation(vc, "passport_iat_float")) {
        /* the iat number written with a fraction part: "iat":N.0 */
        char *iat = strstr(*ctext, "\"iat\":");
        if (iat == NULL)
            return vg_fail(vc, "passport_iat_float needs an iat claim");
        char *end = iat + 6;
        while (*end >= '0' && *end <= '9')
            end++;
        char *rest = strdup(end);
        *end = 0;
        replace(ctext, cat3(*ctext, ".0", rest));
        free(rest);
    }
    if (vg_has_mutation(vc, "passport_header_unsorted"))
        replace(htext, reversed(*htext));
    if (vg_has_mutation(vc, "passport_claims_unsorted"))
        replace(ctext, reversed(*ctext));
    if (vg_has_mutation(vc, "passport_claims_array"))
        replace(ctext, cat3("[", *ctext, "]"));
    if (vg_has_mutation(vc, "passport_claims_unicode_escape")) {
        /* the first digit of orig.tn written as \u00XX */
        char *tn = strstr(*ctext, "\"orig\":{\"tn\":\"");
        if (tn == NULL || tn[14] < '0' || tn[14] > '9')
            return vg_fail(vc, "passport_claims_unicode_escape needs orig.tn starting with a digit");
        char esc[8];
        snprintf(esc, sizeof esc, "\\u%04x", (unsigned)tn[14]);
        tn[14] = 0;
        replace(ctext, cat3(*ctext, esc, tn + 15));
    }
    if (vg_has_mutation(vc, "passport_claims_trailing_object"))
        replace(ctext, cat3(*ctext, "{}", NULL));
    if (vg_has_mutation(vc, "passport_claims_nul_escape")) {
        /* \u0000 at the end of the first dest URI */
        char *uri = strstr(*ctext, "\"uri\":[\"");
        char *end = uri ? strchr(uri + 8, '"') : NULL;
        if (end == NULL)
            return vg_fail(vc, "passport_claims_nul_escape needs a dest uri");
        char *rest = strdup(end);
        *end = 0;
        replace(ctext, cat3(*ctext, "\\u0000", rest));
        free(rest);
    }
    if (*htext == NULL || *ctext == NULL)
        return vg_fail(vc, "out of memory");
    return 1;
}

/* Decode the signature segment to its 64 bytes. */
static int sig_bytes(struct vg_case *vc, const char *s, uint8_t raw[64])
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    int ok = stirmls_b64url_decode(s, strlen(s), 0, &b, NULL) == STIRMLS_R_OK && b.len == 64;
    if (ok)
        memcpy(raw, b.ptr, 64);
    stirmls_buf_cleanup(&b);
    return ok ? 1 : vg_fail(vc, "cannot decode the signature segment");
}

static char *b64(const uint8_t *in, size_t n)
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_b64url_encode(in, n, &b);
    size_t len;
    return (char *)stirmls_buf_take(&b, &len);
}

/* Sign header "." claims (both as they are) with key: the new signature segment. Owned. */
static char *sign_segments(const stirmls_key *key, const char *h, const char *c)
{
    char *input = cat3(h, ".", c);
    uint8_t sig[64];
    char *out = NULL;
    if (input && stirmls_ecdsa_sign_raw(key, input, strlen(input), sig) == STIRMLS_R_OK)
        out = b64(sig, sizeof sig);
    free(input);
    return out;
}

/* Signature-byte mutators on the 64-byte R||S. Returns 0 when none applies. */
static int mutate_sig(struct vg_case *vc, uint8_t raw[64], size_t *len)
{
    int any = 1;
    if (vg_has_mutation(vc, "passport_sig_truncate"))
        *len = 63;
    else if (vg_has_mutation(vc, "passport_sig_r_zero"))
        memset(raw, 0, 32);
    else if (vg_has_mutation(vc, "passport_sig_s_order"))
        memcpy(raw + 32, p256_n, 32);
    else if (vg_has_mutation(vc, "passport_sig_r_flip"))
        raw[31] ^= 1;
    else if (vg_has_mutation(vc, "passport_sig_high_s")) {
        /* S' = n - S (a valid signature for the same R: OQ-20) */
        int borrow = 0;
        for (int i = 31; i >= 0; i--) {
            int v = (int)p256_n[i] - (int)raw[32 + i] - borrow;
            borrow = v < 0;
            raw[32 + i] = (uint8_t)(v + (borrow ? 256 : 0));
        }
    } else
        any = 0;
    return any;
}

/* Token-stage mutators after signing: segments h, c, s (owned strings, replaced in place). */
int vg_token_mutations(struct vg_case *vc, const stirmls_key *key, char **h, char **c, char **s)
{
    if (vg_has_mutation(vc, "passport_b64_padding_signed")) {
        /* RFC 4648 padding on the claims segment, then signed over the padded segment */
        size_t pad = (4 - strlen(*c) % 4) % 4;
        if (pad == 0)
            return vg_fail(vc, "passport_b64_padding_signed: the claims segment needs no padding");
        replace(c, cat3(*c, pad == 1 ? "=" : "==", NULL));
        replace(s, sign_segments(key, *h, *c));
    }
    if (vg_has_mutation(vc, "passport_b64_len_mod4_1")) {
        /* a length no base64 text has (RFC 4648 §4): one dangling character after whole quanta,
         * so a decoder that drops it gets the claims as signed; the signature covers the text */
        if (strlen(*c) % 4 != 0)
            return vg_fail(vc, "passport_b64_len_mod4_1: the claims segment length must be a multiple of 4");
        replace(c, cat3(*c, "A", NULL));
        replace(s, sign_segments(key, *h, *c));
    }
    if (vg_has_mutation(vc, "passport_claims_raw_nul")) {
        /* a raw 0x00 byte before the closing quote of the first dest URI (RFC 8259 §7: control
         * characters must be escaped), base64url-encoded and signed as sent */
        stirmls_buf b;
        stirmls_buf_init(&b);
        const char *uri = NULL, *end = NULL;
        if (stirmls_b64url_decode(*c, strlen(*c), 0, &b, NULL) == STIRMLS_R_OK) {
            stirmls_buf_put_u8(&b, 0); /* a C string to search */
            if (stirmls_buf_status(&b) == STIRMLS_R_OK && (uri = strstr((const char *)b.ptr, "\"uri\":[\"")) != NULL)
                end = strchr(uri + 8, '"');
        }
        if (end == NULL) {
            stirmls_buf_cleanup(&b);
            return vg_fail(vc, "passport_claims_raw_nul needs a dest uri");
        }
        size_t at = (size_t)(end - (const char *)b.ptr), n = b.len - 1; /* without the terminator */
        uint8_t *raw = malloc(n + 1);
        if (raw != NULL) {
            memcpy(raw, b.ptr, at);
            raw[at] = 0;
            memcpy(raw + at + 1, b.ptr + at, n - at);
            replace(c, b64(raw, n + 1));
            replace(s, sign_segments(key, *h, *c));
        }
        free(raw);
        stirmls_buf_cleanup(&b);
    }
    if (vg_has_mutation(vc, "passport_b64_std_alphabet_signed")) {
        /* the standard alphabet (RFC 4648 §4) for the same bytes, signed as sent */
        int plus = 0, slash = 0;
        for (char *p = *c; *p; p++) {
            if (*p == '-')
                *p = '+', plus = 1;
            else if (*p == '_')
                *p = '/', slash = 1;
        }
        if (!plus || !slash)
            return vg_fail(vc, "passport_b64_std_alphabet_signed: the claims segment needs a '-' and a '_'");
        replace(s, sign_segments(key, *h, *c));
    }
    if (vg_has_mutation(vc, "passport_claims_altered")) {
        /* the claims segment replaced after signing by one that says iat + 1 */
        json_t *claims = json_object_get(vc->artifacts, "passport_claims");
        json_t *copy = json_deep_copy(claims);
        json_object_set_new(copy, "iat", json_integer(json_integer_value(json_object_get(copy, "iat")) + 1));
        char *text = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(copy);
        if (text == NULL)
            return vg_fail(vc, "out of memory");
        replace(c, b64((const uint8_t *)text, strlen(text)));
        free(text);
    }
    uint8_t raw[64];
    size_t len = 64;
    if (vg_has_mutation(vc, "passport_sig_truncate") || vg_has_mutation(vc, "passport_sig_r_zero") ||
        vg_has_mutation(vc, "passport_sig_s_order") || vg_has_mutation(vc, "passport_sig_r_flip") ||
        vg_has_mutation(vc, "passport_sig_high_s")) {
        if (!sig_bytes(vc, *s, raw))
            return 0;
        mutate_sig(vc, raw, &len);
        replace(s, b64(raw, len));
    }
    if (vg_has_mutation(vc, "passport_sig_nonzero_bits")) {
        /* 64 bytes = 86 characters: the last one carries 4 unused bits; set the lowest */
        static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char *last = *s + strlen(*s) - 1;
        const char *pos = strchr(alphabet, *last);
        if (strlen(*s) != 86 || pos == NULL)
            return vg_fail(vc, "passport_sig_nonzero_bits needs an 86-character signature segment");
        *last = alphabet[(pos - alphabet) | 1];
    }
    if (vg_has_mutation(vc, "passport_sig_empty"))
        replace(s, strdup(""));
    if (vg_has_mutation(vc, "passport_trailing_newline"))
        replace(s, cat3(*s, "\n", NULL));
    if (*h == NULL || *c == NULL || *s == NULL)
        return vg_fail(vc, "out of memory");
    return 1;
}

/* SIP Identity header forms of the finished token (RFC 8224 §4.1). token owned, replaced. */
int vg_identity_mutations(struct vg_case *vc, char **token, const char *x5u)
{
    const char *info = x5u, *alg = "ES256", *ppt = NULL, *lq = "<", *rq = ">", *extra = "";
    int wrap = 0;
    if (vg_has_mutation(vc, "identity_header"))
        wrap = 1;
    if (vg_has_mutation(vc, "identity_info_mismatch"))
        wrap = 1, info = "https://certs.stirmls.test/elsewhere.pem";
    if (vg_has_mutation(vc, "identity_alg_es384"))
        wrap = 1, alg = "ES384";
    if (vg_has_mutation(vc, "identity_ppt_shaken"))
        wrap = 1, ppt = "shaken";
    if (vg_has_mutation(vc, "identity_ppt_quoted"))
        wrap = 1, ppt = "\"shaken\"";
    if (vg_has_mutation(vc, "identity_info_no_brackets"))
        wrap = 1, lq = "", rq = "";
    if (vg_has_mutation(vc, "identity_info_open_only"))
        wrap = 1, rq = "";
    if (vg_has_mutation(vc, "identity_info_empty"))
        wrap = 1, info = "";
    if (vg_has_mutation(vc, "identity_param_no_value"))
        wrap = 1, extra = ";foo";
    if (!wrap)
        return 1;
    char tail[512];
    snprintf(tail, sizeof tail, ";info=%s%s%s;alg=%s%s%s%s", lq, info, rq, alg, ppt ? ";ppt=" : "",
             ppt ? ppt : "", extra);
    replace(token, cat3(*token, tail, NULL));
    return *token ? 1 : vg_fail(vc, "out of memory");
}

/* mky dig text of SHA-256 over data: upper-case hex pairs joined by ':' (MKY-02). */
static json_t *dig_of(const uint8_t *data, size_t len)
{
    uint8_t h[STIRMLS_SHA256_LEN];
    char out[3 * STIRMLS_SHA256_LEN];
    stirmls_sha256(data, len, h);
    for (size_t i = 0; i < sizeof h; i++)
        snprintf(out + 3 * i, 4, i + 1 < sizeof h ? "%02X:" : "%02X", h[i]);
    return json_string(out);
}

/* The member's signature key point (the case's signature_key), or 0 when there is none. */
static int member_point(struct vg_case *vc, uint8_t pt[STIRMLS_P256_POINT_LEN])
{
    const char *name = json_string_value(json_object_get(vc->c, "signature_key"));
    stirmls_key *k = name ? vg_key(vc, name) : NULL;
    if (k == NULL)
        return 0;
    stirmls_key_point(k, pt);
    return 1;
}

void vg_mky_mutations(struct vg_case *vc, json_t *claims)
{
    /* DER SubjectPublicKeyInfo prefix of a P-256 key (id-ecPublicKey, prime256v1, BIT STRING) */
    static const uint8_t spki_prefix[26] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48,
                                            0xCE, 0x3D, 0x02, 0x01, 0x06, 0x08, 0x2A, 0x86, 0x48,
                                            0xCE, 0x3D, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
    json_t *mky = json_object_get(claims, "mky");
    json_t *e0 = json_array_get(mky, 0);
    uint8_t buf[sizeof spki_prefix + STIRMLS_P256_POINT_LEN];
    if (vg_has_mutation(vc, "mky_alg_uppercase") && e0)
        json_object_set_new(e0, "alg", json_string("SHA-256"));
    if (vg_has_mutation(vc, "mky_dash_separators") && e0) {
        char *d = strdup(json_string_value(json_object_get(e0, "dig")));
        for (char *p = d; p && *p; p++)
            if (*p == ':')
                *p = '-';
        json_object_set_new(e0, "dig", json_string(d));
        free(d);
    }
    if (vg_has_mutation(vc, "mky_dig_long") && e0) {
        char *d = cat3(json_string_value(json_object_get(e0, "dig")), ":00", NULL);
        json_object_set_new(e0, "dig", json_string(d));
        free(d);
    }
    if (vg_has_mutation(vc, "mky_dig_nonhex") && e0) {
        char *d = strdup(json_string_value(json_object_get(e0, "dig")));
        d[0] = 'Z', d[1] = 'Z';
        json_object_set_new(e0, "dig", json_string(d));
        free(d);
    }
    if (vg_has_mutation(vc, "mky_entry_no_dig") && e0)
        json_object_del(e0, "dig");
    if (vg_has_mutation(vc, "mky_empty_array"))
        json_object_set_new(claims, "mky", json_array());
    if (vg_has_mutation(vc, "mky_over_vec_key") && e0 && member_point(vc, buf + 1)) {
        buf[0] = STIRMLS_P256_POINT_LEN; /* the <V> length header, 0x41 */
        json_object_set_new(e0, "dig", dig_of(buf, 1 + STIRMLS_P256_POINT_LEN));
    }
    if (vg_has_mutation(vc, "mky_over_spki") && e0 && member_point(vc, buf + sizeof spki_prefix)) {
        memcpy(buf, spki_prefix, sizeof spki_prefix);
        json_object_set_new(e0, "dig", dig_of(buf, sizeof buf));
    }
    if (vg_has_mutation(vc, "mky_append_malformed") && e0) {
        /* the entries before it stay as they are; this one has 31 byte pairs */
        char *d = strdup(json_string_value(json_object_get(e0, "dig")));
        d[strlen(d) - 3] = 0;
        json_array_append_new(mky, json_pack("{s:s,s:s}", "alg", "sha-256", "dig", d));
        free(d);
    }
    if (vg_has_mutation(vc, "mky_append_lowercase") && e0) {
        /* the first entry's (matching) digest again, in lower-case hex */
        char *d = strdup(json_string_value(json_object_get(e0, "dig")));
        for (char *p = d; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        json_array_append_new(mky, json_pack("{s:s,s:s}", "alg", "sha-256", "dig", d));
        free(d);
    }
    if (vg_has_mutation(vc, "mky_append_non_object") && e0)
        json_array_append_new(mky, json_string("sha-256"));
    if (vg_has_mutation(vc, "mky_add_sha384") && mky) {
        /* an entry of another hash: 48 byte pairs, ignored by a sha-256 verifier */
        char d[48 * 3];
        for (size_t i = 0; i < 48; i++)
            snprintf(d + 3 * i, 4, i < 47 ? "%02X:" : "%02X", (unsigned)(0xA0 + i));
        json_array_insert_new(mky, 0, json_pack("{s:s,s:s}", "alg", "sha-384", "dig", d));
    }
}

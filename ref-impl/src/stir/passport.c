/* passport.c: the compact form (PPT-01), the header (PPT-02..08, SHK-11, MSG-03) and parsing. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "stirmls/b64url.h"
#include "passport_internal.h"
#include "stirmls/mutant.h"

void stirmls_ppt_policy_init(stirmls_ppt_policy *p)
{
    memset(p, 0, sizeof *p);
    p->profile = STIRMLS_PPT_PROFILE_MLS;
    p->skew = 300;
    p->max_age = 7 * 24 * 3600;
    p->sip_window = 60;
}

void stirmls_passport_free(stirmls_passport *p)
{
    if (p == NULL)
        return;
    stirmls_json_free(p->header);
    stirmls_json_free(p->claims);
    free(p->token);
    free(p->sig);
    free(p);
}

/* Find the two '.' separators: exactly three non-empty segments. */
static stirmls_reason split(const char *tok, size_t len, size_t dots[2], stirmls_detail *d)
{
    stirmls_reader r;
    size_t n = 0;
    stirmls_reader_init(&r, (const uint8_t *)tok, len);
    while (stirmls_reader_left(&r) > 0) {
        size_t pos = stirmls_reader_pos(&r);
        uint8_t c = 0;
        if (stirmls_reader_u8(&r, &c) != STIRMLS_R_OK)
            return stirmls_fail(d, STIRMLS_R_INTERNAL, "reader");
        if (c != '.')
            continue;
        if (n == 2)
            return stirmls_fail_at(d, STIRMLS_R_PPT_MALFORMED, pos, "more than three segments");
        dots[n++] = pos;
    }
    if (n != 2)
        return stirmls_fail(d, STIRMLS_R_PPT_MALFORMED, "%zu segment(s), expected three", n + 1);
    if (dots[0] == 0 || dots[1] == dots[0] + 1 || dots[1] + 1 == len)
        return stirmls_fail(d, STIRMLS_R_PPT_MALFORMED, "an empty segment (detached form?)");
    return STIRMLS_R_OK;
}

static stirmls_reason decode_json(const char *seg, size_t len, size_t base, int lenient,
                                  stirmls_json **out, stirmls_detail *d)
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_reason rc = stirmls_b64url_decode(seg, len, base, &b, d);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_json_parse(b.ptr, b.len, out, d);
    if (rc == STIRMLS_R_OK && !lenient) {
        rc = stirmls_json_check_serialized(*out, b.ptr, b.len, d);
        if (rc != STIRMLS_R_OK) {
            stirmls_json_free(*out);
            *out = NULL;
        }
    }
    stirmls_buf_cleanup(&b);
    return rc;
}

static stirmls_reason decode_all(stirmls_passport *p, const stirmls_ppt_policy *pol,
                                 stirmls_detail *d)
{
    size_t dots[2];
    stirmls_reason rc = STIRMLS_R_OK;
    const char *t = p->token;
    STIRMLS_TRY(split(t, p->token_len, dots, d));
    p->signing_input_len = dots[1];
    STIRMLS_TRY(decode_json(t, dots[0], 0, pol->lenient, &p->header, d));
    if (stirmls_json_typeof(p->header) != STIRMLS_JSON_OBJECT)
        return stirmls_fail(d, STIRMLS_R_PPT_HEADER_NOT_OBJECT, "header is not a JSON object");
    STIRMLS_TRY(stirmls_passport__header(p, pol, d));
    STIRMLS_TRY(decode_json(t + dots[0] + 1, dots[1] - dots[0] - 1, dots[0] + 1, pol->lenient,
                            &p->claims, d));
    if (stirmls_json_typeof(p->claims) != STIRMLS_JSON_OBJECT)
        return stirmls_fail(d, STIRMLS_R_PPT_CLAIMS_NOT_OBJECT, "claims are not a JSON object");
    STIRMLS_TRY(stirmls_passport__claims(p, pol, d));
    stirmls_buf sb;
    stirmls_buf_init(&sb);
    rc = stirmls_b64url_decode(t + dots[1] + 1, p->token_len - dots[1] - 1, dots[1] + 1, &sb, d);
    if (rc == STIRMLS_R_OK)
        p->sig = stirmls_buf_take(&sb, &p->sig_len);
    stirmls_buf_cleanup(&sb);
    if (rc == STIRMLS_R_OK && p->sig == NULL)
        rc = STIRMLS_R_INTERNAL;
out:
    return rc;
}

stirmls_reason stirmls_passport_parse(const char *token, size_t len, const stirmls_ppt_policy *pol,
                                      stirmls_passport **out, stirmls_detail *d)
{
    if (len > STIRMLS_PASSPORT_MAX_LEN)
        return stirmls_fail(d, STIRMLS_R_LENGTH_LIMIT, "PASSporT longer than %d bytes",
                            STIRMLS_PASSPORT_MAX_LEN);
    stirmls_passport *p = calloc(1, sizeof *p);
    if (p == NULL || (p->token = malloc(len + 1)) == NULL) {
        free(p);
        return stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
    }
    memcpy(p->token, token, len);
    p->token[len] = 0;
    p->token_len = len;
    stirmls_reason rc = decode_all(p, pol, d);
    if (rc != STIRMLS_R_OK) {
        stirmls_passport_free(p);
        return rc;
    }
    *out = p;
    return STIRMLS_R_OK;
}

/* ---- header members ---------------------------------------------------------------------- */

static stirmls_reason check_alg(const stirmls_json *h, stirmls_detail *d)
{
    const char *alg = stirmls_json_string(stirmls_json_get(h, "alg"), NULL);
    if (alg == NULL)
        return stirmls_fail(d, STIRMLS_R_PPT_ALG_UNSUPPORTED, "alg missing or not a string");
    if (strcmp(alg, "ES256") == 0)
        return STIRMLS_R_OK;
#if STIRMLS_MUTANT_ID == 8 /* mutant 8: accept alg none */
    if (strcasecmp(alg, "none") == 0)
        return STIRMLS_R_OK;
#endif
    if (strcasecmp(alg, "none") == 0)
        return stirmls_fail(d, STIRMLS_R_PPT_ALG_NONE, "alg \"%.40s\"", alg);
    if (strncmp(alg, "HS", 2) == 0)
        return stirmls_fail(d, STIRMLS_R_PPT_ALG_HMAC, "alg \"%.40s\"", alg);
    if (strncmp(alg, "RS", 2) == 0 || strncmp(alg, "PS", 2) == 0)
        return stirmls_fail(d, STIRMLS_R_PPT_ALG_RSA, "alg \"%.40s\"", alg);
    return stirmls_fail(d, STIRMLS_R_PPT_ALG_UNSUPPORTED, "alg \"%.40s\" (only ES256)", alg);
}

static stirmls_reason check_ppt(stirmls_passport *p, stirmls_detail *d)
{
    stirmls_json *v = stirmls_json_get(p->header, "ppt");
    if (v == NULL) {
        p->ppt = STIRMLS_PPT_EXT_NONE;
        return STIRMLS_R_OK;
    }
    const char *ppt = stirmls_json_string(v, NULL);
    if (ppt == NULL)
        return stirmls_fail(d, STIRMLS_R_PPT_HEADER_MEMBER, "ppt is not a string");
#if STIRMLS_MUTANT_ID == 18 /* mutant 18: accept a msg PASSporT */
    if (strcmp(ppt, "msg") == 0) {
        p->ppt = STIRMLS_PPT_EXT_NONE;
        return STIRMLS_R_OK;
    }
#endif
    if (strcmp(ppt, "shaken") == 0)
        p->ppt = STIRMLS_PPT_EXT_SHAKEN;
    else if (strcmp(ppt, "rcd") == 0)
        p->ppt = STIRMLS_PPT_EXT_RCD;
    else if (strcmp(ppt, "msg") == 0)
        return stirmls_fail(d, STIRMLS_R_PPT_PPT_MSG, "ppt \"msg\" is per message (MSG-03)");
    else
        return stirmls_fail(d, STIRMLS_R_PPT_PPT_UNSUPPORTED, "ppt \"%.40s\" not supported", ppt);
    return STIRMLS_R_OK;
}

/* Header parameters RFC 7515 and RFC 7518 define; crit must not list them (RFC 7515 §4.1.11). */
static int jws_defined(const char *n)
{
    static const char *const names[] = {"alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t",
                                        "x5t#S256", "typ", "cty", "crit", NULL};
    for (size_t i = 0; names[i] != NULL; i++)
        if (strcmp(n, names[i]) == 0)
            return 1;
    return 0;
}

static stirmls_reason check_crit(const stirmls_json *h, stirmls_detail *d)
{
    stirmls_json *crit = stirmls_json_get(h, "crit");
    if (crit == NULL)
        return STIRMLS_R_OK;
    if (stirmls_json_typeof(crit) != STIRMLS_JSON_ARRAY || stirmls_json_size(crit) == 0)
        return stirmls_fail(d, STIRMLS_R_PPT_CRIT_INVALID, "crit is not a non-empty array");
    for (size_t i = 0; i < stirmls_json_size(crit); i++) {
        const char *n = stirmls_json_string(stirmls_json_at(crit, i), NULL);
        if (n == NULL)
            return stirmls_fail(d, STIRMLS_R_PPT_CRIT_INVALID, "crit[%zu] is not a string", i);
        if (jws_defined(n))
            return stirmls_fail(d, STIRMLS_R_PPT_CRIT_INVALID, "crit lists JWS-defined \"%s\"", n);
#if STIRMLS_MUTANT_ID == 29 /* mutant 29: accept an unknown crit parameter */
        if (0 && strcmp(n, "ppt") != 0)
#else
        if (strcmp(n, "ppt") != 0) /* the one extension parameter this verifier understands */
#endif
            return stirmls_fail(d, STIRMLS_R_PPT_CRIT_UNKNOWN, "crit lists \"%.40s\"", n);
        if (stirmls_json_get(h, n) == NULL)
            return stirmls_fail(d, STIRMLS_R_PPT_CRIT_INVALID, "crit lists absent \"%s\"", n);
    }
    return STIRMLS_R_OK;
}

static stirmls_reason check_x5u(stirmls_passport *p, const stirmls_ppt_policy *pol,
                                stirmls_detail *d)
{
    stirmls_json *v = stirmls_json_get(p->header, "x5u");
    if (v == NULL) {
        /* SHAKEN (SHK-11) always needs x5u; otherwise only when no chain is carried (PPT-07) */
        if (pol->chain_carried && p->ppt != STIRMLS_PPT_EXT_SHAKEN)
            return STIRMLS_R_OK;
        return stirmls_fail(d, STIRMLS_R_PPT_X5U_MISSING, "no x5u and no carried chain");
    }
    size_t len = 0;
    p->x5u = stirmls_json_string(v, &len);
    if (p->x5u == NULL)
        return stirmls_fail(d, STIRMLS_R_PPT_HEADER_MEMBER, "x5u is not a string");
#if STIRMLS_MUTANT_ID == 19 /* mutant 19: drop the x5u https check */
    if (len > 0)
        return STIRMLS_R_OK;
#endif
    if (len <= 8 || strncasecmp(p->x5u, "https://", 8) != 0 || strlen(p->x5u) != len)
        return stirmls_fail(d, STIRMLS_R_PPT_X5U_SCHEME, "x5u \"%.60s\" is not an https URL",
                            p->x5u);
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_passport__header(stirmls_passport *p, const stirmls_ppt_policy *pol,
                                        stirmls_detail *d)
{
    stirmls_reason rc = STIRMLS_R_OK;
    const char *typ = stirmls_json_string(stirmls_json_get(p->header, "typ"), NULL);
    /* typ values are case-insensitive in RFC 7515 §4.1.9; strict mode wants the exact form */
#if STIRMLS_MUTANT_ID == 9 /* mutant 9: accept typ JWT */
    if (typ != NULL && strcmp(typ, "JWT") == 0)
        typ = "passport";
#endif
    if (typ == NULL || (pol->lenient ? strcasecmp(typ, "passport") : strcmp(typ, "passport")) != 0)
        return stirmls_fail(d, STIRMLS_R_PPT_TYP, "typ missing or not \"passport\"");
    STIRMLS_TRY(check_alg(p->header, d));
    STIRMLS_TRY(check_ppt(p, d));
    STIRMLS_TRY(check_crit(p->header, d));
    STIRMLS_TRY(check_x5u(p, pol, d));
out:
    return rc;
}

/* RFC 3986 §6.2.2.1: "scheme://host" without regard to case, the rest octet for octet; a URL with
 * a userinfo (case-sensitive) is equivalent only to itself (the caller's strcmp). */
int stirmls_x5u_equivalent(const char *a, const char *b)
{
    const char *host = strstr(a, "://");
    size_t n = host ? (size_t)(host + 3 - a) + strcspn(host + 3, "/?#@") : 0;
    return n > 0 && a[n] != '@' && strncasecmp(a, b, n) == 0 && strcmp(a + n, b + n) == 0;
}

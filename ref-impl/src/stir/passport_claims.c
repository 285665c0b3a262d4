/* passport_claims.c: iat, exp, orig, dest (PPT-09..11), shaken (SHK-12), rcd (RCD-01), and the
 * JWT claim constraints (JCC-01/02/05). */
#include <string.h>
#include "stirmls/tn.h"
#include "passport_internal.h"

static stirmls_reason check_iat_exp(stirmls_passport *p, stirmls_detail *d)
{
    stirmls_json *iat = stirmls_json_get(p->claims, "iat"), *exp;
    if (iat == NULL)
        return stirmls_fail(d, STIRMLS_R_PPT_IAT_MISSING, "iat is missing");
    if (!stirmls_json_int(iat, &p->iat) || p->iat < 0)
        return stirmls_fail(d, STIRMLS_R_PPT_IAT_TYPE, "iat is not a non-negative integer");
    exp = stirmls_json_get(p->claims, "exp");
    if (exp == NULL)
        return STIRMLS_R_OK;
    if (!stirmls_json_int(exp, &p->exp))
        return stirmls_fail(d, STIRMLS_R_PPT_EXP_TYPE, "exp is not an integer");
    p->has_exp = 1;
    if (p->exp <= p->iat)
        return stirmls_fail(d, STIRMLS_R_PPT_EXP_NOT_AFTER_IAT, "exp %lld <= iat %lld",
                            (long long)p->exp, (long long)p->iat);
    return STIRMLS_R_OK;
}

static stirmls_reason check_tn(const stirmls_json *v, const char **out, stirmls_reason bad,
                               stirmls_detail *d)
{
    size_t len = 0;
    const char *s = stirmls_json_string(v, &len);
    if (s == NULL)
        return stirmls_fail(d, bad, "tn is not a string");
    if (!stirmls_tn_is_canonical(s, len))
        return stirmls_fail(d, STIRMLS_R_PPT_TN_NONCANONICAL, "tn \"%.40s\" is not canonical", s);
    if (out != NULL)
        *out = s;
    return STIRMLS_R_OK;
}

static stirmls_reason check_orig(stirmls_passport *p, const stirmls_ppt_policy *pol,
                                 stirmls_detail *d)
{
    stirmls_json *o = stirmls_json_get(p->claims, "orig");
    stirmls_json *tn = stirmls_json_get(o, "tn"), *uri = stirmls_json_get(o, "uri");
    if (o == NULL || stirmls_json_typeof(o) != STIRMLS_JSON_OBJECT || (tn == NULL) == (uri == NULL))
        return stirmls_fail(d, STIRMLS_R_PPT_ORIG_INVALID, "orig needs exactly one of tn or uri");
    if (uri != NULL) {
        p->orig_uri = stirmls_json_string(uri, NULL);
        if (p->orig_uri == NULL || p->orig_uri[0] == 0)
            return stirmls_fail(d, STIRMLS_R_PPT_ORIG_INVALID, "orig.uri is not a non-empty string");
        if (pol->profile == STIRMLS_PPT_PROFILE_MLS)
            return stirmls_fail(d, STIRMLS_R_PPT_ORIG_URI, "an MLS credential needs orig.tn");
        return STIRMLS_R_OK;
    }
    return check_tn(tn, &p->orig_tn, STIRMLS_R_PPT_ORIG_INVALID, d);
}

static stirmls_reason check_dest_array(const stirmls_json *a, int is_tn, stirmls_detail *d)
{
    if (stirmls_json_typeof(a) != STIRMLS_JSON_ARRAY || stirmls_json_size(a) == 0)
        return stirmls_fail(d, STIRMLS_R_PPT_DEST_INVALID, "dest.%s is not a non-empty array",
                            is_tn ? "tn" : "uri");
    for (size_t i = 0; i < stirmls_json_size(a); i++) {
        const stirmls_json *e = stirmls_json_at(a, i);
        if (is_tn) {
            stirmls_reason rc = check_tn(e, NULL, STIRMLS_R_PPT_DEST_INVALID, d);
            if (rc != STIRMLS_R_OK)
                return rc;
        } else {
            const char *u = stirmls_json_string(e, NULL);
            if (u == NULL || u[0] == 0) /* as orig.uri: a non-empty string (docs/profile.md) */
                return stirmls_fail(d, STIRMLS_R_PPT_DEST_INVALID,
                                    "dest.uri[%zu] is not a non-empty string", i);
        }
    }
    return STIRMLS_R_OK;
}

static stirmls_reason check_dest(const stirmls_passport *p, stirmls_detail *d)
{
    stirmls_json *o = stirmls_json_get(p->claims, "dest");
    stirmls_json *tn = stirmls_json_get(o, "tn"), *uri = stirmls_json_get(o, "uri");
    stirmls_reason rc = STIRMLS_R_OK;
    if (o == NULL || stirmls_json_typeof(o) != STIRMLS_JSON_OBJECT || (tn == NULL && uri == NULL))
        return stirmls_fail(d, STIRMLS_R_PPT_DEST_INVALID, "dest needs a tn or uri array");
    if (tn != NULL)
        rc = check_dest_array(tn, 1, d);
    if (rc == STIRMLS_R_OK && uri != NULL)
        rc = check_dest_array(uri, 0, d);
    return rc;
}

/* RFC 4122 textual form: 8-4-4-4-12 hex digits (either case). */
static int is_uuid(const char *s)
{
    for (size_t i = 0; i < 36; i++) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return 0;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return 0;
        }
    }
    return s[36] == 0;
}

static stirmls_reason check_shaken(stirmls_passport *p, stirmls_detail *d)
{
    size_t len = 0;
    const char *a = stirmls_json_string(stirmls_json_get(p->claims, "attest"), &len);
    if (a == NULL || len != 1 || (a[0] != 'A' && a[0] != 'B' && a[0] != 'C'))
        return stirmls_fail(d, STIRMLS_R_PPT_SHAKEN_ATTEST, "attest missing or not A, B or C");
    p->attest = a[0];
    p->origid = stirmls_json_string(stirmls_json_get(p->claims, "origid"), &len);
    if (p->origid == NULL || len != 36 || !is_uuid(p->origid)) {
        p->origid = NULL;
        return stirmls_fail(d, STIRMLS_R_PPT_SHAKEN_ORIGID, "origid missing or not a UUID");
    }
    return STIRMLS_R_OK;
}

/* rcd (RFC 9795): a non-empty object; nam, apn, icn, jcl strings; jcd an array (jCard). */
static stirmls_reason check_rcd(stirmls_passport *p, stirmls_detail *d)
{
    static const char *const strs[] = {"nam", "apn", "icn", "jcl"};
    const stirmls_json *r = stirmls_json_get(p->claims, "rcd");
    if (r == NULL || stirmls_json_typeof(r) != STIRMLS_JSON_OBJECT || stirmls_json_size(r) == 0)
        return stirmls_fail(d, STIRMLS_R_PPT_RCD_INVALID, "rcd claim missing or not an object");
    for (size_t i = 0; i < 4; i++) {
        const stirmls_json *v = stirmls_json_get(r, strs[i]);
        if (v != NULL && stirmls_json_typeof(v) != STIRMLS_JSON_STRING)
            return stirmls_fail(d, STIRMLS_R_PPT_RCD_INVALID, "rcd.%s is not a string", strs[i]);
    }
    const stirmls_json *jcd = stirmls_json_get(r, "jcd");
    if (jcd != NULL && stirmls_json_typeof(jcd) != STIRMLS_JSON_ARRAY)
        return stirmls_fail(d, STIRMLS_R_PPT_RCD_INVALID, "rcd.jcd is not a jCard array");
    p->rcd = r;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_passport__claims(stirmls_passport *p, const stirmls_ppt_policy *pol,
                                        stirmls_detail *d)
{
    stirmls_reason rc = STIRMLS_R_OK;
    STIRMLS_TRY(check_iat_exp(p, d));
    STIRMLS_TRY(check_orig(p, pol, d));
    STIRMLS_TRY(check_dest(p, d));
    if (p->ppt == STIRMLS_PPT_EXT_SHAKEN)
        STIRMLS_TRY(check_shaken(p, d));
    if (p->ppt == STIRMLS_PPT_EXT_RCD)
        STIRMLS_TRY(check_rcd(p, d));
    p->mky = stirmls_json_get(p->claims, "mky");
out:
    return rc;
}

/* ---- JWT claim constraints ------------------------------------------------------------- */

static int value_permitted(const stirmls_json *v, const stirmls_jcc_permitted *pv)
{
    const char *s = stirmls_json_string(v, NULL);
    stirmls_buf b;
    int ok = 0;
    stirmls_buf_init(&b);
    if (s == NULL) {
        if (stirmls_json_serialize(v, &b) != STIRMLS_R_OK)
            goto done;
        stirmls_buf_put_u8(&b, 0);
        if (b.failed)
            goto done;
        s = (const char *)b.ptr;
    }
    for (size_t i = 0; i < pv->n && !ok; i++)
        ok = strcmp(s, pv->values[i]) == 0;
done:
    stirmls_buf_cleanup(&b);
    return ok;
}

stirmls_reason stirmls_passport_apply_jcc(const stirmls_passport *p, const stirmls_jcc *jcc,
                                          stirmls_detail *d)
{
    for (size_t i = 0; i < jcc->n_include; i++)
        if (stirmls_json_get(p->claims, jcc->must_include[i]) == NULL)
            return stirmls_fail(d, STIRMLS_R_PPT_JCC_MUST_INCLUDE, "claim \"%.40s\" is required",
                                jcc->must_include[i]);
    for (size_t i = 0; i < jcc->n_permitted; i++) {
        const stirmls_json *v = stirmls_json_get(p->claims, jcc->permitted[i].claim);
        if (v != NULL && !value_permitted(v, &jcc->permitted[i]))
            return stirmls_fail(d, STIRMLS_R_PPT_JCC_PERMITTED, "claim \"%.40s\" value not permitted",
                                jcc->permitted[i].claim);
    }
    for (size_t i = 0; i < jcc->n_exclude; i++)
        if (stirmls_json_get(p->claims, jcc->must_exclude[i]) != NULL)
            return stirmls_fail(d, STIRMLS_R_PPT_JCC_MUST_EXCLUDE, "claim \"%.40s\" is excluded",
                                jcc->must_exclude[i]);
    return STIRMLS_R_OK;
}

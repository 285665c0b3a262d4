/*
 * build_pki.c: the certificates and keys of one case. Certificates are issued on first use from
 * their spec (the PKI's, or the case's own `certs:` entry of the same name), issuers first; the
 * PKI-stage mutators (mutators.c) change the spec of the case's leaf before it is issued.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "build.h"
#include "model.h"

int vg_has_mutation(const struct vg_case *vc, const char *name)
{
    size_t i;
    json_t *m;
    json_array_foreach(vc->mutations, i, m) if (strcmp(json_string_value(m), name) == 0) return 1;
    return 0;
}

int vg_fail(struct vg_case *vc, const char *fmt, ...)
{
    if (vc->err[0])
        return 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(vc->err, sizeof vc->err, fmt, ap);
    va_end(ap);
    return 0;
}

stirmls_key *vg_key(struct vg_case *vc, const char *name)
{
    for (size_t i = 0; i < vc->nkeys; i++)
        if (strcmp(vc->keys[i].name, name) == 0)
            return vc->keys[i].key;
    stirmls_key *k = NULL;
    if (vc->nkeys == VG_MAX_KEYS || stirmls_key_derive(vc->seed, vc->seedlen, name, &k) != STIRMLS_R_OK) {
        vg_fail(vc, "cannot derive key '%s'", name);
        return NULL;
    }
    vc->keys[vc->nkeys].name = strdup(name);
    vc->keys[vc->nkeys++].key = k;
    return k;
}

json_t *vg_cert_spec(struct vg_case *vc, const char *name)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(vc->c, "certs"), i, s)
        if (strcmp(json_string_value(json_object_get(s, "name")), name) == 0) return s;
    json_array_foreach(json_object_get(vc->pki, "certs"), i, s)
        if (strcmp(json_string_value(json_object_get(s, "name")), name) == 0) return s;
    return NULL;
}

const char *vg_cert_key_name(struct vg_case *vc, const char *name)
{
    json_t *s = vg_cert_spec(vc, name);
    const char *k = s ? json_string_value(json_object_get(s, "key")) : NULL;
    return k ? k : name;
}

static int profile_of(const char *p, stirmls_pki_profile *out)
{
    static const struct {
        const char *name;
        stirmls_pki_profile p;
    } map[] = {{"sti-root", STIRMLS_PKI_ROOT},       {"sti-ca", STIRMLS_PKI_STI_CA},
               {"shaken-ee", STIRMLS_PKI_SPC_EE},    {"tn-ee", STIRMLS_PKI_RANGE_EE},
               {"delegate-ca", STIRMLS_PKI_DELEGATE_CA}, {"delegate-ee", STIRMLS_PKI_ONE_EE}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(p, map[i].name) == 0) {
            *out = map[i].p;
            return 1;
        }
    return 0;
}

/* Explicitly tagged (RFC 8226) or, for the mutator, implicitly tagged TNAuthList DER. */
static int tnauthlist_der(struct vg_case *vc, json_t *entries, int implicit, stirmls_buf *b)
{
    size_t i;
    json_t *e;
    size_t seq = stirmls_der_open(b, 0x30);
    json_array_foreach(entries, i, e) {
        const char *spc = json_string_value(json_object_get(e, "spc"));
        const char *one = json_string_value(json_object_get(e, "one"));
        const char *start = json_string_value(json_object_get(e, "range"));
        json_int_t count = json_integer_value(json_object_get(e, "count"));
        const char *v = spc ? spc : one ? one : start;
        if (v == NULL)
            return vg_fail(vc, "a tnauthlist entry has no string value");
        unsigned tag = spc ? 0 : start ? 1 : 2;
        if (start) {
            size_t ctx = stirmls_der_open(b, 0xA1);
            size_t inner = implicit ? 0 : stirmls_der_open(b, 0x30);
            stirmls_der_put_tlv(b, 0x16, v, strlen(v));
            stirmls_der_put_uint(b, (uint64_t)count);
            if (!implicit)
                stirmls_der_close(b, inner);
            stirmls_der_close(b, ctx);
        } else if (implicit) {
            stirmls_der_put_tlv(b, (uint8_t)(0x80 | tag), v, strlen(v));
        } else {
            size_t ctx = stirmls_der_open(b, (uint8_t)(0xA0 | tag));
            stirmls_der_put_tlv(b, 0x16, v, strlen(v));
            stirmls_der_close(b, ctx);
        }
    }
    stirmls_der_close(b, seq);
    return stirmls_buf_status(b) == STIRMLS_R_OK ? 1 : vg_fail(vc, "out of memory");
}

/* The leaf spec with the PKI-stage mutations applied (a new object, owned). */
static json_t *mutated_spec(struct vg_case *vc, json_t *spec)
{
    json_t *s = json_deep_copy(spec);
    if (vg_has_mutation(vc, "cert_expired")) {
        json_object_set_new(s, "not_after", json_integer((json_int_t)(vc->at - 1)));
        json_object_set_new(s, "not_before", json_integer((json_int_t)(vc->at - 86400)));
    }
    if (vg_has_mutation(vc, "cert_not_yet_valid")) {
        json_object_set_new(s, "not_before", json_integer((json_int_t)(vc->at + 1)));
        json_object_set_new(s, "not_after", json_integer((json_int_t)(vc->at + 86400)));
    }
    if (vg_has_mutation(vc, "tnauthlist_drop")) {
        json_object_del(s, "tnauthlist");
        json_object_del(s, "tnauthlist_der");
    }
    if (vg_has_mutation(vc, "tnauthlist_implicit_tags"))
        json_object_set_new(s, "implicit_tags", json_true());
    if (vg_has_mutation(vc, "leaf_key_swap"))
        json_object_set_new(s, "key", json_string("mallory"));
    if (vg_has_mutation(vc, "delegate_outside_parent")) {
        /* the first number after the issuer's first range, same number of digits (TNA-05) */
        json_t *ps = vg_cert_spec(vc, json_string_value(json_object_get(s, "issuer")));
        json_t *r = json_array_get(json_object_get(ps, "tnauthlist"), 0);
        const char *start = json_string_value(json_object_get(r, "range"));
        if (start == NULL || strlen(start) > 18) {
            vg_fail(vc, "delegate_outside_parent needs an issuer whose first entry is a range");
            json_decref(s);
            return NULL;
        }
        unsigned long long v = strtoull(start, NULL, 10) + (unsigned long long)json_integer_value(json_object_get(r, "count"));
        char tn[24];
        snprintf(tn, sizeof tn, "%0*llu", (int)strlen(start), v);
        json_object_set_new(s, "tnauthlist", json_pack("[{s:s}]", "one", tn));
    }
    return s;
}

static int key_usage_bits(struct vg_case *vc, json_t *ku, unsigned *out)
{
    static const struct {
        const char *name;
        unsigned bit;
    } map[] = {{"digitalSignature", STIRMLS_KU_DIGITAL_SIGNATURE},
               {"keyCertSign", STIRMLS_KU_KEY_CERT_SIGN},
               {"cRLSign", STIRMLS_KU_CRL_SIGN}};
    size_t i;
    json_t *v;
    *out = 0;
    if (json_is_string(ku) && strcmp(json_string_value(ku), "none") == 0)
        return 1;
    json_array_foreach(ku, i, v) {
        size_t j;
        for (j = 0; j < sizeof map / sizeof map[0]; j++)
            if (strcmp(json_string_value(v), map[j].name) == 0)
                break;
        if (j == sizeof map / sizeof map[0])
            return vg_fail(vc, "unknown key usage '%s'", json_string_value(v));
        *out |= map[j].bit;
    }
    return 1;
}

/* A validity bound: vg_time, or a negative integer (before 1970) as its two's complement, which
 * stirmls_cert_spec reads as a signed time. */
static int cert_time(const json_t *v, uint64_t at, uint64_t *out)
{
    if (json_is_integer(v) && json_integer_value(v) < 0) {
        *out = (uint64_t)json_integer_value(v);
        return 1;
    }
    return vg_time(v, at, out);
}

/* A certificate spec whose subject key is P-384 (key_type: p384). */
static int is_p384(json_t *spec)
{
    const char *t = json_string_value(json_object_get(spec, "key_type"));
    return t != NULL && strcmp(t, "p384") == 0;
}

static stirmls_cert *issue(struct vg_case *vc, const char *name, json_t *spec)
{
    stirmls_cert_spec s;
    stirmls_pki_profile prof;
    const char *profile = json_string_value(json_object_get(spec, "profile"));
    if (!profile_of(profile, &prof)) {
        vg_fail(vc, "certificate %s: unknown profile", name);
        return NULL;
    }
    stirmls_pki_spec_init(prof, &s);
    const char *keyname = json_string_value(json_object_get(spec, "key"));
    s.key = vg_key(vc, keyname ? keyname : name);
    const char *issuer = json_string_value(json_object_get(spec, "issuer"));
    stirmls_cert *ic = NULL;
    if (issuer != NULL) {
        ic = vg_cert(vc, issuer);
        s.issuer = ic;
        s.issuer_key = vg_key(vc, vg_cert_key_name(vc, issuer));
        s.not_before = ic ? stirmls_cert_not_before(ic) : 0;
        s.not_after = ic ? stirmls_cert_not_after(ic) : 0;
    }
    if (s.key == NULL || (issuer && (ic == NULL || s.issuer_key == NULL)))
        return NULL;
    if (issuer && is_p384(vg_cert_spec(vc, issuer))) {
        vg_fail(vc, "certificate %s: its issuer %s has a P-384 key; the test PKI signs with P-256 keys only", name, issuer);
        return NULL;
    }
    const char *sig_alg = json_string_value(json_object_get(spec, "sig_alg"));
    s.sig_sha384 = sig_alg != NULL && strcmp(sig_alg, "ecdsa-with-SHA384") == 0;
    stirmls_altkey *alt = NULL;
    if (is_p384(spec) && stirmls_altkey_derive_p384(vc->seed, vc->seedlen, keyname ? keyname : name, &alt) != STIRMLS_R_OK) {
        vg_fail(vc, "certificate %s: cannot derive its P-384 key", name);
        return NULL;
    }
    s.alt_key = alt;
    uint64_t t;
    if (json_object_get(spec, "not_before") && cert_time(json_object_get(spec, "not_before"), vc->at, &t))
        s.not_before = t;
    if (json_object_get(spec, "not_after") && cert_time(json_object_get(spec, "not_after"), vc->at, &t))
        s.not_after = t;
    char cn[128];
    const char *spc = json_string_value(json_object_get(json_array_get(json_object_get(spec, "tnauthlist"), 0), "spc"));
    if (json_string_value(json_object_get(spec, "cn")))
        snprintf(cn, sizeof cn, "%s", json_string_value(json_object_get(spec, "cn")));
    else if (prof == STIRMLS_PKI_SPC_EE && spc)
        snprintf(cn, sizeof cn, "SHAKEN %s", spc);
    else
        snprintf(cn, sizeof cn, "%s", name);
    s.cn = cn;
    s.serial = stirmls_pki_serial(vc->seed, vc->seedlen, name);
    stirmls_buf tna;
    stirmls_buf_init(&tna);
    uint8_t *raw = NULL;
    size_t rawlen = 0;
    const char *hex = json_string_value(json_object_get(spec, "tnauthlist_der"));
    json_t *entries = json_object_get(spec, "tnauthlist");
    if (hex != NULL) {
        if (stirmls_hex_decode(hex, strlen(hex), &raw, &rawlen) != STIRMLS_R_OK) {
            vg_fail(vc, "certificate %s: tnauthlist_der is not hex", name);
            return NULL;
        }
        s.tnauthlist = raw, s.tnauthlist_len = rawlen;
    } else if (entries != NULL) {
        if (!tnauthlist_der(vc, entries, json_is_true(json_object_get(spec, "implicit_tags")), &tna))
            return NULL;
        s.tnauthlist = tna.ptr, s.tnauthlist_len = tna.len;
    }
    s.tnauthlist_critical = json_is_true(json_object_get(spec, "tnauthlist_critical"));
    json_t *ca = json_object_get(spec, "ca");
    if (json_is_string(ca) && strcmp(json_string_value(ca), "none") == 0)
        s.bc = STIRMLS_BC_ABSENT; /* no basicConstraints extension */
    else if (ca)
        s.bc = json_is_true(ca) ? STIRMLS_BC_CA : STIRMLS_BC_EE;
    if (json_is_integer(json_object_get(spec, "path_len")))
        s.pathlen = (int)json_integer_value(json_object_get(spec, "path_len"));
    if (json_is_false(json_object_get(spec, "aki")))
        s.no_aki = 1;
    if (json_object_get(spec, "key_usage") && !key_usage_bits(vc, json_object_get(spec, "key_usage"), &s.ku))
        return NULL;
    stirmls_ext_spec ext[8];
    uint8_t *extder[8] = {0};
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(spec, "extensions"), i, e) {
        if (i >= 8)
            break;
        const char *eh = json_string_value(json_object_get(e, "der"));
        size_t elen = 0;
        if (eh == NULL || stirmls_hex_decode(eh, strlen(eh), &extder[i], &elen) != STIRMLS_R_OK) {
            vg_fail(vc, "certificate %s: an extension der is not hex", name);
            return NULL;
        }
        ext[i].oid = json_string_value(json_object_get(e, "oid"));
        ext[i].der = extder[i];
        ext[i].len = elen;
        ext[i].critical = json_is_true(json_object_get(e, "critical"));
        s.n_extra = i + 1;
    }
    s.extra = ext;
    stirmls_cert *out = NULL;
    stirmls_detail d;
    stirmls_detail_init(&d);
    if (stirmls_cert_build(&s, &out, &d) != STIRMLS_R_OK)
        vg_fail(vc, "certificate %s: %s", name, d.text);
    stirmls_altkey_free(alt);
    for (i = 0; i < 8; i++)
        free(extder[i]);
    free(raw);
    stirmls_buf_cleanup(&tna);
    return out;
}

stirmls_cert *vg_cert(struct vg_case *vc, const char *name)
{
    for (size_t i = 0; i < vc->ncerts; i++)
        if (strcmp(vc->certs[i].name, name) == 0)
            return vc->certs[i].cert;
    json_t *spec = vg_cert_spec(vc, name);
    if (spec == NULL || vc->ncerts == VG_MAX_CERTS) {
        vg_fail(vc, "unknown certificate '%s'", name);
        return NULL;
    }
    int mutate = vc->leaf != NULL && strcmp(vc->leaf, name) == 0;
    json_t *s = mutate ? mutated_spec(vc, spec) : json_incref(spec);
    stirmls_cert *c = s ? issue(vc, name, s) : NULL;
    json_decref(s);
    if (c == NULL)
        return NULL;
    vc->certs[vc->ncerts].name = strdup(name);
    vc->certs[vc->ncerts++].cert = c;
    return c;
}

json_t *vg_pems(struct vg_case *vc, json_t *names)
{
    json_t *out = json_array();
    size_t i;
    json_t *n;
    json_array_foreach(names, i, n) {
        stirmls_cert *c = vg_cert(vc, json_string_value(n));
        char *pem = c ? stirmls_cert_pem(c) : NULL;
        if (pem == NULL) {
            json_decref(out);
            return NULL;
        }
        json_array_append_new(out, json_string(pem));
        free(pem);
    }
    return out;
}

static int in_names(json_t *names, const char *name)
{
    size_t i;
    json_t *n;
    json_array_foreach(names, i, n) if (strcmp(json_string_value(n), name) == 0) return 1;
    return 0;
}

json_t *vg_default_chain(struct vg_case *vc, const char *signer, json_t *trust)
{
    json_t *out = json_array();
    const char *cur = signer;
    for (int depth = 0; cur != NULL && depth < 16; depth++) {
        json_t *spec = vg_cert_spec(vc, cur);
        if (spec == NULL || in_names(trust, cur))
            break;
        const char *issuer = json_string_value(json_object_get(spec, "issuer"));
        if (issuer == NULL) /* a root that is not a trust anchor is not sent either */
            break;
        json_array_append_new(out, json_string(cur));
        cur = issuer;
    }
    return out;
}

void vg_case_cleanup(struct vg_case *vc)
{
    for (size_t i = 0; i < vc->ncerts; i++) {
        stirmls_cert_free(vc->certs[i].cert);
        free(vc->certs[i].name);
    }
    for (size_t i = 0; i < vc->nkeys; i++) {
        stirmls_key_free(vc->keys[i].key);
        free(vc->keys[i].name);
    }
    json_decref(vc->artifacts);
    vc->ncerts = vc->nkeys = 0;
    vc->artifacts = NULL;
}

/* keypackage_test.c: KeyPackage build / decode / verify, one row per rule with its exact reason
 * (RFC 9420 §10.1, §7.3 and the project rules), truncation sweeps, determinism. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/testlib.h"

#define T0 1767225600ull /* 2026-01-01T00:00:00Z */
#define DAY 86400ull
static const uint8_t seed[] = "stirmls-mls-test";

/* A fake credential validator: accepts and reports a fixed credential not_after. */
static stirmls_reason fake_validate(void *ctx, const stirmls_credential *cred, stirmls_slice key,
                                    uint64_t at, uint64_t *not_after, stirmls_identities *ids,
                                    stirmls_detail *d)
{
    (void)cred, (void)key, (void)at, (void)d;
    *not_after = *(const uint64_t *)ctx;
    return stirmls_identities_add(ids, "tn:12155551212");
}

struct fixture {
    stirmls_key *sig, *other, *encryption;
    uint8_t other_pt[65], enc_pt[65], compressed[33], raw64[64];
    stirmls_kp_params p;
    stirmls_mls_options o;
    stirmls_cred_validators v;
    uint64_t cred_not_after;
    uint64_t at;
    uint8_t *cred;
    size_t credlen;
};

static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    ck_assert_int_eq(stirmls_key_derive(seed, sizeof seed - 1, "alice/sig", &f->sig), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_key_derive(seed, sizeof seed - 1, "mallory/sig", &f->other),
                     STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_key_derive(seed, sizeof seed - 1, "alice/encryption", &f->encryption),
                     STIRMLS_R_OK);
    stirmls_key_point(f->other, f->other_pt);
    stirmls_key_point(f->encryption, f->enc_pt);
    uint8_t pt[65];
    stirmls_key_point(f->sig, pt);
    f->compressed[0] = (uint8_t)(0x02 | (pt[64] & 1));
    memcpy(f->compressed + 1, pt + 1, 32);
    memcpy(f->raw64, pt + 1, 64);
    f->cred = tl_hex("f051" "03" "023001", &f->credlen); /* stir_certificate, one fake cert */
    f->p.signature_key = f->sig;
    f->p.credential.ptr = f->cred, f->p.credential.len = f->credlen;
    f->p.not_before = T0, f->p.not_after = T0 + 30 * DAY;
    f->p.seed = seed, f->p.seedlen = sizeof seed - 1, f->p.key_name = "alice";
    stirmls_mls_options_default(&f->o);
    stirmls_cred_validators_default(&f->v);
    f->cred_not_after = T0 + 60 * DAY;
    f->v.stir_certificate.validate = fake_validate, f->v.stir_certificate.ctx = &f->cred_not_after;
    f->v.stir_passport = f->v.stir_certificate;
    f->at = T0 + DAY;
}

static void fixture_cleanup(struct fixture *f)
{
    stirmls_key_free(f->sig), stirmls_key_free(f->other), stirmls_key_free(f->encryption);
    free(f->cred);
}

/* Re-sign after a mutation of the decoded KeyPackage: leaf (with `leaf_label` verbatim) and then
 * the KeyPackage (with `kp_label` verbatim); returns the new MLSMessage (owned). */
static uint8_t *resign(const stirmls_key *k, stirmls_keypackage *kp, const char *leaf_label,
                       const char *kp_label, size_t *len)
{
    stirmls_buf tbs, out;
    uint8_t *ls = NULL, *ks = NULL;
    size_t lsl = 0, ksl = 0;
    stirmls_buf_init(&tbs), stirmls_buf_init(&out);
    stirmls_slice none = {NULL, 0};
    stirmls_leafnode_write_tbs(&tbs, &kp->leaf, none, 0);
    stirmls_slice c = {tbs.ptr, tbs.len};
    ck_assert_int_eq(stirmls_mls_sign_content(k, leaf_label, c, &ls, &lsl), STIRMLS_R_OK);
    kp->leaf.signature.ptr = ls, kp->leaf.signature.len = lsl;
    stirmls_buf_reset(&tbs);
    stirmls_keypackage_write_tbs(&tbs, kp);
    c.ptr = tbs.ptr, c.len = tbs.len;
    ck_assert_int_eq(stirmls_mls_sign_content(k, kp_label, c, &ks, &ksl), STIRMLS_R_OK);
    kp->signature.ptr = ks, kp->signature.len = ksl;
    stirmls_keypackage_write_message(&out, kp);
    uint8_t *res = stirmls_buf_take(&out, len);
    free(ls), free(ks);
    stirmls_buf_cleanup(&tbs), stirmls_buf_cleanup(&out);
    return res;
}

/* ---- the per-rule table ----------------------------------------------------------------- */

enum mutate { M_NONE, M_TRAILING, M_NONMINIMAL, M_MSG_VERSION, M_WIRE_FORMAT, M_KP_SIG_FLIP,
              M_LEAF_SIG_FLIP, M_NO_PREFIX_KP, M_NO_PREFIX_LEAF, M_SOURCE_UNDEFINED };

struct kp_case {
    const char *name;
    void (*tweak)(struct fixture *f);
    enum mutate mutate;
    stirmls_reason want;
};

static void t_none(struct fixture *f) { (void)f; }
static void t_key_swapped(struct fixture *f)
{
    f->p.signature_key_bytes.ptr = f->other_pt, f->p.signature_key_bytes.len = 65;
}
static void t_sig_compressed(struct fixture *f)
{
    f->p.signature_key_bytes.ptr = f->compressed, f->p.signature_key_bytes.len = 33;
}
static void t_sig_raw64(struct fixture *f)
{
    f->p.signature_key_bytes.ptr = f->raw64, f->p.signature_key_bytes.len = 64;
}
static void t_enc_compressed(struct fixture *f)
{
    f->p.encryption_key.ptr = f->compressed, f->p.encryption_key.len = 33;
}
static void t_init_compressed(struct fixture *f)
{
    f->p.init_key.ptr = f->compressed, f->p.init_key.len = 33;
}
static void t_init_off_curve(struct fixture *f)
{
    static uint8_t bad[65];
    memcpy(bad, f->enc_pt, 65);
    bad[64] ^= 1;
    f->p.init_key.ptr = bad, f->p.init_key.len = 65;
}
static const uint16_t only_x509[] = {0x0002};
static void t_caps_no_cred(struct fixture *f)
{
    f->p.credentials.v = only_x509, f->p.credentials.n = 1;
}
static void t_expired(struct fixture *f) { f->at = T0 + 30 * DAY + 1; }
static void t_not_yet(struct fixture *f) { f->at = T0 - 1; }
static void t_edge_start(struct fixture *f) { f->at = T0; }
static void t_edge_end(struct fixture *f) { f->at = T0 + 30 * DAY; }
static void t_too_long(struct fixture *f)
{
    f->p.not_after = T0 + 90 * DAY + 1;
    f->cred_not_after = UINT64_MAX;
}
static void t_exactly_max(struct fixture *f)
{
    f->p.not_after = T0 + 90 * DAY;
    f->cred_not_after = UINT64_MAX;
}
static void t_max_option(struct fixture *f) { f->o.max_lifetime = 7 * DAY; }
static void t_inverted(struct fixture *f) { f->p.not_after = T0 - 1; }
static void t_init_reuse(struct fixture *f)
{
    f->p.init_key.ptr = f->enc_pt, f->p.init_key.len = 65;
}
static void t_past_cred(struct fixture *f) { f->cred_not_after = T0 + 30 * DAY - 1; }
static void t_at_cred(struct fixture *f) { f->cred_not_after = T0 + 30 * DAY; }
static void t_suite1(struct fixture *f) { f->p.cipher_suite = 1; }
static void t_version2(struct fixture *f) { f->p.version = 2; }
static const stirmls_extension ext_unknown[] = {{0x0A0B, {(const uint8_t *)"x", 1}}};
static const stirmls_extension ext_default[] = {{0x0001, {(const uint8_t *)"app", 3}}};
static const uint16_t caps_ext[] = {0x0A0B};
static void t_leaf_ext_missing(struct fixture *f)
{
    f->p.leaf_extensions = ext_unknown, f->p.n_leaf_extensions = 1;
}
static void t_leaf_ext_listed(struct fixture *f)
{
    t_leaf_ext_missing(f);
    f->p.cap_extensions.v = caps_ext, f->p.cap_extensions.n = 1;
}
static void t_leaf_ext_default(struct fixture *f)
{
    f->p.leaf_extensions = ext_default, f->p.n_leaf_extensions = 1;
}
static void t_kp_ext_missing(struct fixture *f)
{
    f->p.kp_extensions = ext_unknown, f->p.n_kp_extensions = 1;
}
static void t_kp_ext_listed(struct fixture *f)
{
    t_kp_ext_missing(f);
    f->p.cap_extensions.v = caps_ext, f->p.cap_extensions.n = 1;
}
/* RFC 9420 §13.4: at most one extension of a type in each list (duplicates of a listed
 * private type, of a default type, in the LeafNode, in the KeyPackage; the same type once in
 * each list is fine); §7.2: default types listed in capabilities (strict option only). */
static const stirmls_extension ext_unknown_twice[] = {{0x0A0B, {(const uint8_t *)"x", 1}},
                                                      {0x0A0B, {(const uint8_t *)"y", 1}}};
static const stirmls_extension ext_default_twice[] = {{0x0001, {(const uint8_t *)"app", 3}},
                                                      {0x0001, {(const uint8_t *)"app", 3}}};
static const stirmls_extension ext_two_types[] = {{0x0A0B, {(const uint8_t *)"x", 1}},
                                                  {0x0001, {(const uint8_t *)"app", 3}}};
static const stirmls_extension ext_dup_apart[] = {{0x0001, {NULL, 0}}, {0x0A0B, {NULL, 0}},
                                                  {0x0001, {NULL, 0}}};
static const uint16_t caps_ext_default[] = {0x0A0B, 0x0003};
static const uint16_t caps_prop_default[] = {0x0007};
static const uint16_t caps_prop_private[] = {0x0A0C, 0x0A0C};
static void leaf_ext(struct fixture *f, const stirmls_extension *e, size_t n)
{
    f->p.leaf_extensions = e, f->p.n_leaf_extensions = n;
}
static void t_leaf_ext_dup(struct fixture *f) { t_leaf_ext_listed(f), leaf_ext(f, ext_unknown_twice, 2); }
static void t_leaf_ext_dup_unlisted(struct fixture *f) { leaf_ext(f, ext_unknown_twice, 2); }
static void t_leaf_ext_default_dup(struct fixture *f) { leaf_ext(f, ext_default_twice, 2); }
static void t_leaf_ext_dup_apart(struct fixture *f) { t_leaf_ext_listed(f), leaf_ext(f, ext_dup_apart, 3); }
static void t_kp_ext_dup(struct fixture *f)
{
    t_kp_ext_listed(f);
    f->p.kp_extensions = ext_unknown_twice, f->p.n_kp_extensions = 2;
}
static void t_ext_same_type_each_list(struct fixture *f)
{
    t_leaf_ext_listed(f), leaf_ext(f, ext_two_types, 2);
    f->p.kp_extensions = ext_two_types, f->p.n_kp_extensions = 2;
}
static void t_caps_ext_default(struct fixture *f)
{
    t_leaf_ext_listed(f);
    f->p.cap_extensions.v = caps_ext_default, f->p.cap_extensions.n = 2;
}
static void t_caps_ext_default_strict(struct fixture *f)
{
    t_caps_ext_default(f), f->o.capabilities_defaults_strict = 1;
}
static void t_caps_prop_default_strict(struct fixture *f)
{
    f->p.proposals = (stirmls_u16list){caps_prop_default, 1}, f->o.capabilities_defaults_strict = 1;
}
static void t_caps_prop_private_twice_strict(struct fixture *f)
{
    f->p.proposals = (stirmls_u16list){caps_prop_private, 2}, f->o.capabilities_defaults_strict = 1;
}
static void t_basic(struct fixture *f)
{
    free(f->cred);
    f->cred = tl_hex("0001" "05616c696365", &f->credlen);
    f->p.credential.ptr = f->cred, f->p.credential.len = f->credlen;
}
static void t_unplugged(struct fixture *f) { f->v.stir_certificate.validate = NULL; }
static void t_unknown_type(struct fixture *f) { f->cred[0] = 0x12, f->cred[1] = 0x34; }
static void t_grease_type(struct fixture *f) { f->cred[0] = 0x3a, f->cred[1] = 0x3a; }
static void t_empty_chain(struct fixture *f)
{
    free(f->cred);
    f->cred = tl_hex("f051" "00", &f->credlen);
    f->p.credential.ptr = f->cred, f->p.credential.len = f->credlen;
}
static void t_passport(struct fixture *f)
{
    free(f->cred);
    f->cred = tl_hex("f052" "05" "612e622e63" "00", &f->credlen);
    f->p.credential.ptr = f->cred, f->p.credential.len = f->credlen;
}

static const struct kp_case kp_cases[] = {
    {"valid stir_certificate", t_none, M_NONE, STIRMLS_R_OK},
    {"valid stir_passport", t_passport, M_NONE, STIRMLS_R_OK},
    {"lifetime start edge", t_edge_start, M_NONE, STIRMLS_R_OK},
    {"lifetime end edge", t_edge_end, M_NONE, STIRMLS_R_OK},
    {"lifetime exactly the maximum", t_exactly_max, M_NONE, STIRMLS_R_OK},
    {"lifetime ends with the credential", t_at_cred, M_NONE, STIRMLS_R_OK},
    {"default extension type needs no capability", t_leaf_ext_default, M_NONE, STIRMLS_R_OK},
    {"leaf extension listed", t_leaf_ext_listed, M_NONE, STIRMLS_R_OK},
    {"KeyPackage extension listed", t_kp_ext_listed, M_NONE, STIRMLS_R_OK},
    {"leaf key swapped", t_key_swapped, M_NONE, STIRMLS_R_MLS_LEAF_SIGNATURE},
    {"signature_key compressed (ts-mls default)", t_sig_compressed, M_NONE,
     STIRMLS_R_MLS_KEY_FORMAT},
    {"signature_key raw X||Y", t_sig_raw64, M_NONE, STIRMLS_R_MLS_KEY_FORMAT},
    {"encryption_key compressed", t_enc_compressed, M_NONE, STIRMLS_R_MLS_KEY_FORMAT},
    {"init_key compressed", t_init_compressed, M_NONE, STIRMLS_R_MLS_KEY_FORMAT},
    {"init_key not on the curve", t_init_off_curve, M_NONE, STIRMLS_R_MLS_KEY_FORMAT},
    {"credential type missing from capabilities", t_caps_no_cred, M_NONE,
     STIRMLS_R_MLS_CAPABILITIES_CREDENTIAL},
    {"lifetime expired", t_expired, M_NONE, STIRMLS_R_MLS_LIFETIME_EXPIRED},
    {"lifetime not yet valid", t_not_yet, M_NONE, STIRMLS_R_MLS_LIFETIME_EXPIRED},
    {"lifetime span too long", t_too_long, M_NONE, STIRMLS_R_MLS_LIFETIME_TOO_LONG},
    {"lifetime above a configured 7-day maximum", t_max_option, M_NONE,
     STIRMLS_R_MLS_LIFETIME_TOO_LONG},
    {"lifetime inverted", t_inverted, M_NONE, STIRMLS_R_MLS_LIFETIME_INVERTED},
    {"init_key equals encryption_key", t_init_reuse, M_NONE, STIRMLS_R_MLS_INIT_KEY_REUSE},
    {"lifetime past the credential", t_past_cred, M_NONE,
     STIRMLS_R_MLS_LIFETIME_PAST_CREDENTIAL},
    {"leaf extension not in capabilities", t_leaf_ext_missing, M_NONE,
     STIRMLS_R_MLS_EXTENSION_NOT_IN_CAPS},
    {"KeyPackage extension not in capabilities", t_kp_ext_missing, M_NONE,
     STIRMLS_R_MLS_EXTENSION_NOT_IN_CAPS},
    {"leaf extension type twice", t_leaf_ext_dup, M_NONE, STIRMLS_R_MLS_EXTENSION_DUPLICATE},
    {"leaf extension type twice, not listed either", t_leaf_ext_dup_unlisted, M_NONE,
     STIRMLS_R_MLS_EXTENSION_DUPLICATE},
    {"default leaf extension type twice", t_leaf_ext_default_dup, M_NONE,
     STIRMLS_R_MLS_EXTENSION_DUPLICATE},
    {"leaf extension type twice, apart", t_leaf_ext_dup_apart, M_NONE,
     STIRMLS_R_MLS_EXTENSION_DUPLICATE},
    {"KeyPackage extension type twice", t_kp_ext_dup, M_NONE, STIRMLS_R_MLS_EXTENSION_DUPLICATE},
    {"same types once in each list", t_ext_same_type_each_list, M_NONE, STIRMLS_R_OK},
    {"default extension type in capabilities (tolerated)", t_caps_ext_default, M_NONE, STIRMLS_R_OK},
    {"default extension type in capabilities, strict", t_caps_ext_default_strict, M_NONE,
     STIRMLS_R_MLS_CAPABILITIES_DEFAULT_LISTED},
    {"default proposal type in capabilities, strict", t_caps_prop_default_strict, M_NONE,
     STIRMLS_R_MLS_CAPABILITIES_DEFAULT_LISTED},
    {"private proposal type twice in capabilities, strict", t_caps_prop_private_twice_strict, M_NONE,
     STIRMLS_R_OK},
    {"cipher suite 1", t_suite1, M_NONE, STIRMLS_R_MLS_CIPHER_SUITE},
    {"KeyPackage version 2", t_version2, M_NONE, STIRMLS_R_MLS_VERSION},
    {"basic credential", t_basic, M_NONE, STIRMLS_R_CRED_BASIC_NO_TN},
    {"stir_certificate with no validator plugged", t_unplugged, M_NONE, STIRMLS_R_UNSUPPORTED},
    {"unknown credential type", t_unknown_type, M_NONE, STIRMLS_R_CRED_TYPE_UNKNOWN},
    {"GREASE credential type", t_grease_type, M_NONE, STIRMLS_R_CRED_TYPE_GREASE},
    {"stir_certificate empty chain", t_empty_chain, M_NONE, STIRMLS_R_CRED_EMPTY_CHAIN},
    {"bad KeyPackage signature", t_none, M_KP_SIG_FLIP, STIRMLS_R_MLS_KP_SIGNATURE},
    {"bad LeafNode signature", t_none, M_LEAF_SIG_FLIP, STIRMLS_R_MLS_LEAF_SIGNATURE},
    {"KeyPackage signed without the MLS 1.0 prefix", t_none, M_NO_PREFIX_KP,
     STIRMLS_R_MLS_KP_SIGNATURE},
    {"LeafNode signed without the MLS 1.0 prefix", t_none, M_NO_PREFIX_LEAF,
     STIRMLS_R_MLS_LEAF_SIGNATURE},
    {"trailing byte", t_none, M_TRAILING, STIRMLS_R_TRAILING_BYTES},
    {"non-minimal varint (init_key length in 4 bytes)", t_none, M_NONMINIMAL,
     STIRMLS_R_VARINT_NONMINIMAL},
    {"MLSMessage version 2", t_none, M_MSG_VERSION, STIRMLS_R_MLS_VERSION},
    {"wire format mls_public_message", t_none, M_WIRE_FORMAT, STIRMLS_R_MLS_WIRE_FORMAT},
    {"undefined leaf_node_source", t_none, M_SOURCE_UNDEFINED, STIRMLS_R_MLS_LEAF_SOURCE},
};

static void flip_last(const stirmls_slice *s)
{
    ((uint8_t *)s->ptr)[s->len - 1] ^= 0x01;
}

/* Apply a byte-level mutation to the MLSMessage; may replace the buffer. */
static void mutate(struct fixture *f, enum mutate m, uint8_t **buf, size_t *len)
{
    stirmls_keypackage kp;
    uint8_t *b = *buf;
    if (m == M_NONE)
        return;
    if (m == M_TRAILING) {
        b = realloc(b, *len + 1);
        b[(*len)++] = 0;
    } else if (m == M_NONMINIMAL) {
        ck_assert(b[8] == 0x40 && b[9] == 0x41); /* init_key<V>: 65 in its 2-byte form */
        b = realloc(b, *len + 2);
        memmove(b + 12, b + 10, *len - 10);
        b[8] = 0x80, b[9] = 0, b[10] = 0, b[11] = 0x41;
        *len += 2;
    } else if (m == M_MSG_VERSION) {
        b[1] = 2;
    } else if (m == M_WIRE_FORMAT) {
        b[3] = 1;
    } else {
        ck_assert_int_eq(stirmls_keypackage_decode_message(b, *len, &f->o.codepoints, &kp, NULL),
                         STIRMLS_R_OK);
        if (m == M_KP_SIG_FLIP)
            flip_last(&kp.signature);
        else if (m == M_LEAF_SIG_FLIP)
            flip_last(&kp.leaf.signature);
        else if (m == M_SOURCE_UNDEFINED)
            /* leaf_node_source follows the capabilities.credentials body */
            ((uint8_t *)kp.leaf.capabilities.credentials.ptr)[kp.leaf.capabilities.credentials.len] = 4;
        else {
            uint8_t *nb = resign(f->sig, &kp, m == M_NO_PREFIX_LEAF ? "LeafNodeTBS" : "MLS 1.0 LeafNodeTBS",
                                 m == M_NO_PREFIX_KP ? "KeyPackageTBS" : "MLS 1.0 KeyPackageTBS", len);
            free(b);
            b = nb;
        }
    }
    *buf = b;
}

START_TEST(kp_rules)
{
    const struct kp_case *c = &kp_cases[_i];
    struct fixture f;
    fixture_init(&f);
    c->tweak(&f);
    uint8_t *buf = NULL;
    size_t len = 0;
    stirmls_detail d;
    stirmls_detail_init(&d);
    ck_assert_int_eq(stirmls_keypackage_build(&f.p, 1, &buf, &len, &d), STIRMLS_R_OK);
    mutate(&f, c->mutate, &buf, &len);
    stirmls_keypackage kp;
    stirmls_mls_result res;
    stirmls_reason got = stirmls_keypackage_decode_message(buf, len, &f.o.codepoints, &kp, &d);
    if (got == STIRMLS_R_OK)
        got = stirmls_keypackage_verify(&kp, &f.o, &f.v, f.at, &res, &d);
    ck_assert_msg(got == c->want, "%s: got %s want %s (%s)", c->name, stirmls_reason_name(got),
                  stirmls_reason_name(c->want), d.text);
    ck_assert_int_eq(d.reason, c->want);
    if (got == STIRMLS_R_OK) {
        ck_assert_uint_eq(res.identities.n, 1);
        ck_assert_str_eq(res.identities.id[0], "tn:12155551212");
        ck_assert_uint_eq(res.credential_not_after, f.cred_not_after);
    } else {
        ck_assert_msg(d.text[0] != 0, "%s: no detail text", c->name);
    }
    free(buf);
    fixture_cleanup(&f);
}
END_TEST

/* ---- round trip, determinism, KeyPackageRef, truncation ------------------------------------ */

START_TEST(build_roundtrip_deterministic)
{
    struct fixture f;
    fixture_init(&f);
    uint8_t *a = NULL, *b = NULL, *bare = NULL;
    size_t alen, blen, barelen;
    ck_assert_int_eq(stirmls_keypackage_build(&f.p, 1, &a, &alen, NULL), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_keypackage_build(&f.p, 1, &b, &blen, NULL), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_keypackage_build(&f.p, 0, &bare, &barelen, NULL), STIRMLS_R_OK);
    ck_assert(alen == blen && memcmp(a, b, alen) == 0);       /* byte-stable */
    ck_assert(barelen + 4 == alen && memcmp(a + 4, bare, barelen) == 0);
    stirmls_keypackage kp, kp2;
    int was_msg = -1;
    ck_assert_int_eq(stirmls_keypackage_decode_any(a, alen, &f.o.codepoints, &kp, &was_msg, NULL),
                     STIRMLS_R_OK);
    ck_assert_int_eq(was_msg, 1);
    ck_assert_int_eq(stirmls_keypackage_decode_any(bare, barelen, &f.o.codepoints, &kp2, &was_msg,
                                                   NULL),
                     STIRMLS_R_OK);
    ck_assert_int_eq(was_msg, 0);
    stirmls_buf w;
    stirmls_buf_init(&w);
    stirmls_keypackage_write_message(&w, &kp);
    ck_assert(w.len == alen && memcmp(w.ptr, a, alen) == 0);
    stirmls_buf_cleanup(&w);
    ck_assert_int_eq(stirmls_keypackage_verify(&kp, &f.o, &f.v, f.at, NULL, NULL), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_keypackage_verify(&kp2, &f.o, &f.v, f.at, NULL, NULL), STIRMLS_R_OK);
    /* the fields are what was asked for */
    uint8_t pt[65];
    stirmls_key_point(f.sig, pt);
    ck_assert(kp.leaf.signature_key.len == 65 && memcmp(kp.leaf.signature_key.ptr, pt, 65) == 0);
    ck_assert(memcmp(kp.leaf.encryption_key.ptr, f.enc_pt, 65) == 0);
    ck_assert_uint_eq(kp.leaf.not_before, T0);
    ck_assert_uint_eq(kp.leaf.not_after, T0 + 30 * DAY);
    ck_assert(stirmls_u16list_has(kp.leaf.capabilities.credentials, 0xF051));
    ck_assert(stirmls_u16list_has(kp.leaf.capabilities.cipher_suites, 2));
    /* KeyPackageRef = RefHash over the bare encoding, recomputed by hand */
    uint8_t ref[32], want[32];
    ck_assert_int_eq(stirmls_keypackage_ref(&kp, ref), STIRMLS_R_OK);
    stirmls_buf h;
    stirmls_buf_init(&h);
    stirmls_buf_put_u8(&h, 28);
    stirmls_buf_put_str(&h, "MLS 1.0 KeyPackage Reference");
    stirmls_buf_put_opaque(&h, bare, barelen);
    stirmls_sha256(h.ptr, h.len, want);
    ck_assert(memcmp(ref, want, 32) == 0);
    stirmls_buf_cleanup(&h);
    free(a), free(b), free(bare);
    fixture_cleanup(&f);
}
END_TEST

START_TEST(truncation_sweep)
{
    struct fixture f;
    fixture_init(&f);
    if (_i == 1) { /* a richer KeyPackage: passport credential, leaf and KeyPackage extensions */
        t_passport(&f);
        t_kp_ext_listed(&f);
        f.p.leaf_extensions = ext_default, f.p.n_leaf_extensions = 1;
    }
    uint8_t *a = NULL;
    size_t alen;
    ck_assert_int_eq(stirmls_keypackage_build(&f.p, 1, &a, &alen, NULL), STIRMLS_R_OK);
    stirmls_keypackage kp;
    for (size_t k = 0; k < alen; k++) {
        stirmls_detail d;
        stirmls_detail_init(&d);
        stirmls_reason rc = stirmls_keypackage_decode_message(a, k, &f.o.codepoints, &kp, &d);
        ck_assert_msg(rc == STIRMLS_R_TRUNCATED, "message prefix %zu: %s", k,
                      stirmls_reason_name(rc));
        ck_assert(d.offset != STIRMLS_NO_OFFSET && d.offset <= k);
        if (k >= 4) {
            rc = stirmls_keypackage_decode(a + 4, k - 4, &f.o.codepoints, &kp, NULL);
            ck_assert_msg(rc == STIRMLS_R_TRUNCATED, "bare prefix %zu: %s", k - 4,
                          stirmls_reason_name(rc));
        }
    }
    free(a);
    fixture_cleanup(&f);
}
END_TEST

START_TEST(decode_offsets)
{
    struct fixture f;
    fixture_init(&f);
    uint8_t *a = NULL;
    size_t alen;
    ck_assert_int_eq(stirmls_keypackage_build(&f.p, 1, &a, &alen, NULL), STIRMLS_R_OK);
    stirmls_keypackage kp;
    stirmls_detail d;
    /* credential_type sits after 4 + 2 + 2 + 3 x (2 + 65) bytes (65 needs a 2-byte header) */
    size_t ct = 4 + 4 + 3 * 67;
    ck_assert(a[ct] == 0xF0 && a[ct + 1] == 0x51);
    a[ct] = 0x2A, a[ct + 1] = 0x2A;
    stirmls_detail_init(&d);
    ck_assert_int_eq(stirmls_keypackage_decode_message(a, alen, &f.o.codepoints, &kp, &d),
                     STIRMLS_R_CRED_TYPE_GREASE);
    ck_assert_uint_eq(d.offset, ct);
    a[ct] = 0xF0, a[ct + 1] = 0x51;
    stirmls_detail_init(&d);
    ck_assert_int_eq(stirmls_keypackage_decode_message(a, alen - 1, &f.o.codepoints, &kp, &d),
                     STIRMLS_R_TRUNCATED);
    free(a);
    fixture_cleanup(&f);
}
END_TEST

START_TEST(optional_presence)
{
    static const struct { const char *hex; stirmls_reason want; int present; } rows[] = {
        {"00", STIRMLS_R_OK, 0}, {"01", STIRMLS_R_OK, 1}, {"02", STIRMLS_R_OPTIONAL_PRESENCE, 0},
        {"ff", STIRMLS_R_OPTIONAL_PRESENCE, 0}, {"", STIRMLS_R_TRUNCATED, 0}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        size_t n;
        uint8_t *b = tl_hex(rows[i].hex, &n);
        stirmls_reader r;
        stirmls_reader_init(&r, b, n);
        int present = -1;
        stirmls_detail d;
        stirmls_detail_init(&d);
        ck_assert_int_eq(stirmls_mls_read_presence(&r, &present, &d), rows[i].want);
        if (rows[i].want == STIRMLS_R_OK)
            ck_assert_int_eq(present, rows[i].present);
        else
            ck_assert_uint_eq(stirmls_reader_pos(&r), 0); /* reader unchanged */
        free(b);
    }
}
END_TEST

START_TEST(decode_any_reports_message_failure)
{
    struct fixture f;
    fixture_init(&f);
    uint8_t *a = NULL;
    size_t alen;
    ck_assert_int_eq(stirmls_keypackage_build(&f.p, 1, &a, &alen, NULL), STIRMLS_R_OK);
    a[3] = 2; /* mls_private_message */
    stirmls_keypackage kp;
    stirmls_detail d;
    stirmls_detail_init(&d);
    int was = -1;
    ck_assert_int_eq(stirmls_keypackage_decode_any(a, alen, &f.o.codepoints, &kp, &was, &d),
                     STIRMLS_R_MLS_WIRE_FORMAT);
    ck_assert_int_eq(d.reason, STIRMLS_R_MLS_WIRE_FORMAT);
    ck_assert_uint_eq(d.offset, 2);
    free(a);
    fixture_cleanup(&f);
}
END_TEST

START_TEST(builder_needs_private_key)
{
    struct fixture f;
    fixture_init(&f);
    uint8_t pt[65];
    stirmls_key *pub = NULL;
    stirmls_key_point(f.sig, pt);
    ck_assert_int_eq(stirmls_key_from_point(pt, 65, &pub), STIRMLS_R_OK);
    f.p.signature_key = pub;
    uint8_t *a = NULL;
    size_t alen;
    ck_assert_int_eq(stirmls_keypackage_build(&f.p, 1, &a, &alen, NULL), STIRMLS_R_USAGE);
    stirmls_key_free(pub);
    fixture_cleanup(&f);
}
END_TEST

#define N(t) ((int)(sizeof(t) / sizeof((t)[0])))
Suite *keypackage_suite(void);
Suite *keypackage_suite(void)
{
    Suite *s = suite_create("keypackage");
    TCase *tc = tcase_create("rules");
    tcase_add_loop_test(tc, kp_rules, 0, N(kp_cases));
    suite_add_tcase(s, tc);
    tc = tcase_create("codec");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, build_roundtrip_deterministic);
    tcase_add_loop_test(tc, truncation_sweep, 0, 2);
    tcase_add_test(tc, decode_offsets);
    tcase_add_test(tc, optional_presence);
    tcase_add_test(tc, decode_any_reports_message_failure);
    tcase_add_test(tc, builder_needs_private_key);
    suite_add_tcase(s, tc);
    return s;
}

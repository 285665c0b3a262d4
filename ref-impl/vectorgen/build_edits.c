/*
 * build_edits.c: the `edits:` of a credential or key_package case (edits.h, docs/scenarios.md).
 * The built artefact is cut into its fields in wire order (a field is a fixed-width integer or a
 * <V> vector with its length header), each edit changes one field, the signatures are made again
 * over the edited bytes (LeafNodeTBS, then KeyPackageTBS), and the fields are joined.
 */
#include <stdlib.h>
#include <string.h>
#include "build.h"
#include "edits.h"

const char *const vg_edit_fields[] = {
    "mls_version", "wire_format", "version", "cipher_suite", "init_key", "encryption_key", "signature_key",
    "credential_type", "identity", "passport", "certificates", "capabilities.versions",
    "capabilities.cipher_suites", "capabilities.extensions", "capabilities.proposals",
    "capabilities.credentials", "leaf_node_source", "lifetime", "parent_hash", "leaf.extensions",
    "leaf.signature", "extensions", "signature", NULL};
const char *const vg_edit_der_forms[] = {"long_length", "r_leading_zero", "trailing_byte", "raw", NULL};

#define MAX_FIELDS 24

struct field {
    const char *name;
    int vec;           /* a <V> vector: the bytes start with its length header */
    stirmls_buf b;     /* the encoded field */
    int past_end;      /* length: past_end, applied once everything else is in place */
    const char *der;   /* a signature's form, applied after signing */
};

struct fields {
    struct field f[MAX_FIELDS];
    size_t n;
};

static struct field *find(struct fields *fs, const char *name)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].name, name) == 0)
            return &fs->f[i];
    return NULL;
}

static size_t index_of(struct fields *fs, const char *name)
{
    struct field *f = find(fs, name);
    return f ? (size_t)(f - fs->f) : fs->n;
}

/* The next field of r: a vector (width 0) or `width` octets. */
static int take(struct fields *fs, stirmls_reader *r, const char *name, size_t width)
{
    size_t at = r->off;
    stirmls_reader sub;
    stirmls_slice s;
    if (fs->n == MAX_FIELDS || (width == 0 ? stirmls_reader_vec(r, &sub) : stirmls_reader_bytes(r, width, &s)) != STIRMLS_R_OK)
        return 0;
    struct field *f = &fs->f[fs->n++];
    f->name = name;
    f->vec = width == 0;
    stirmls_buf_init(&f->b);
    stirmls_buf_put(&f->b, r->buf + at, r->off - at);
    return 1;
}

static uint32_t be(const stirmls_buf *b)
{
    uint32_t v = 0;
    for (size_t i = 0; i < b->len; i++)
        v = v << 8 | b->ptr[i];
    return v;
}

static int split_credential(struct fields *fs, stirmls_reader *r)
{
    if (!take(fs, r, "credential_type", 2))
        return 0;
    uint32_t type = be(&fs->f[fs->n - 1].b);
    if (type == STIRMLS_CRED_BASIC)
        return take(fs, r, "identity", 0);
    if (type == STIRMLS_CRED_STIR_PASSPORT_DEFAULT && !take(fs, r, "passport", 0))
        return 0;
    return take(fs, r, "certificates", 0);
}

/* The MLSMessage holding a KeyPackage (RFC 9420 §6, §10, §7.2), field by field. */
static int split_key_package(struct fields *fs, stirmls_reader *r, uint32_t *source)
{
    static const char *const head[] = {"mls_version", "wire_format", "version", "cipher_suite"};
    static const char *const keys[] = {"init_key", "encryption_key", "signature_key"};
    static const char *const caps[] = {"capabilities.versions", "capabilities.cipher_suites",
                                       "capabilities.extensions", "capabilities.proposals",
                                       "capabilities.credentials"};
    static const char *const tail[] = {"leaf.extensions", "leaf.signature", "extensions", "signature"};
    for (size_t i = 0; i < 4; i++)
        if (!take(fs, r, head[i], 2))
            return 0;
    for (size_t i = 0; i < 3; i++)
        if (!take(fs, r, keys[i], 0))
            return 0;
    if (!split_credential(fs, r))
        return 0;
    for (size_t i = 0; i < 5; i++)
        if (!take(fs, r, caps[i], 0))
            return 0;
    if (!take(fs, r, "leaf_node_source", 1))
        return 0;
    *source = be(&fs->f[fs->n - 1].b);
    if ((*source == STIRMLS_LEAF_SOURCE_KEY_PACKAGE && !take(fs, r, "lifetime", 16)) ||
        (*source == STIRMLS_LEAF_SOURCE_COMMIT && !take(fs, r, "parent_hash", 0)))
        return 0;
    for (size_t i = 0; i < 4; i++)
        if (!take(fs, r, tail[i], 0))
            return 0;
    return stirmls_reader_left(r) == 0;
}

/* A vector field's body (after its length header). */
static int body_of(const struct field *f, stirmls_slice *body)
{
    stirmls_reader r;
    uint32_t n;
    stirmls_reader_init(&r, f->b.ptr, f->b.len);
    if (stirmls_reader_varint(&r, &n) != STIRMLS_R_OK)
        return 0;
    body->ptr = f->b.ptr + r.off;
    body->len = f->b.len - r.off;
    return 1;
}

/* The field rewritten as: header `len` (minimal form), then body, then more. */
static int rewrite_vec(struct field *f, uint32_t len, int keep_len, stirmls_slice more, stirmls_slice body_new, int replace)
{
    stirmls_slice body;
    if (!f->vec || !body_of(f, &body))
        return 0;
    stirmls_buf nb;
    stirmls_buf_init(&nb);
    stirmls_slice b = replace ? body_new : body;
    stirmls_buf_put_varint(&nb, keep_len ? (uint32_t)(b.len + more.len) : len);
    stirmls_buf_put(&nb, b.ptr, b.len);
    stirmls_buf_put(&nb, more.ptr, more.len);
    stirmls_buf_cleanup(&f->b);
    f->b = nb;
    return stirmls_buf_status(&nb) == STIRMLS_R_OK;
}

static int hex_of(json_t *v, uint8_t **out, size_t *len)
{
    const char *h = json_string_value(v);
    return h != NULL && stirmls_hex_decode(h, strlen(h), out, len) == STIRMLS_R_OK;
}

/* One edit before signing; `length: past_end` and `der` are only recorded here. */
static int apply_edit(struct vg_case *vc, struct fields *fs, json_t *e)
{
    const char *name = json_string_value(json_object_get(e, "field"));
    struct field *f = name ? find(fs, name) : NULL;
    json_t *v;
    uint8_t *bytes = NULL;
    size_t n = 0;
    int ok = 0;
    stirmls_slice none = {NULL, 0};
    if (f == NULL)
        return vg_fail(vc, "edits: the artefact has no field '%s'", name ? name : "?");
    if ((v = json_object_get(e, "value")) != NULL) {
        json_int_t x = json_integer_value(v);
        ok = !f->vec && f->b.len <= 2 && x >= 0 && x < (json_int_t)1 << (8 * f->b.len);
        for (size_t i = 0; ok && i < f->b.len; i++)
            f->b.ptr[i] = (uint8_t)(x >> (8 * (f->b.len - 1 - i)));
    } else if ((v = json_object_get(e, "hex")) != NULL && hex_of(v, &bytes, &n)) {
        stirmls_buf_reset(&f->b);
        stirmls_buf_put(&f->b, bytes, n);
        f->vec = 0; /* no longer known to be a vector */
        ok = 1;
    } else if ((v = json_object_get(e, "body")) != NULL && hex_of(v, &bytes, &n)) {
        ok = rewrite_vec(f, 0, 1, none, (stirmls_slice){bytes, n}, 1);
    } else if ((v = json_object_get(e, "append")) != NULL && hex_of(v, &bytes, &n)) {
        ok = rewrite_vec(f, 0, 1, (stirmls_slice){bytes, n}, none, 0);
    } else if ((v = json_object_get(e, "length")) != NULL) {
        if (json_is_string(v))
            ok = f->vec && (f->past_end = 1);
        else
            ok = json_integer_value(v) >= 0 && json_integer_value(v) < (1 << 30) &&
                 rewrite_vec(f, (uint32_t)json_integer_value(v), 0, none, none, 0);
    } else if ((v = json_object_get(e, "der")) != NULL) {
        f->der = json_string_value(v);
        ok = strcmp(name, "leaf.signature") == 0 || strcmp(name, "signature") == 0;
    }
    free(bytes);
    return ok ? 1 : vg_fail(vc, "edits: cannot apply the edit of '%s'", name);
}

/* A DER ECDSA-Sig-Value (30 L 02 Lr r 02 Ls s, every length short) in another form. */
static int der_form(const char *form, const uint8_t *der, size_t len, stirmls_buf *out)
{
    if (len < 8 || der[0] != 0x30 || der[1] != len - 2 || der[2] != 0x02 || der[3] + 4u > len)
        return 0;
    if (strcmp(form, "long_length") == 0) { /* 30 81 L: the length in the long form */
        stirmls_buf_put(out, der, 1);
        stirmls_buf_put_u8(out, 0x81);
        stirmls_buf_put(out, der + 1, len - 1);
    } else if (strcmp(form, "r_leading_zero") == 0) { /* r with one more leading 00 octet */
        uint8_t h[5] = {0x30, (uint8_t)(der[1] + 1), 0x02, (uint8_t)(der[3] + 1), 0x00};
        stirmls_buf_put(out, h, sizeof h);
        stirmls_buf_put(out, der + 4, len - 4);
    } else if (strcmp(form, "trailing_byte") == 0) { /* one 00 octet after the SEQUENCE */
        stirmls_buf_put(out, der, len);
        stirmls_buf_put_u8(out, 0x00);
    } else { /* raw: the 64-octet r || s of JWS */
        uint8_t raw[STIRMLS_ES256_SIG_LEN];
        if (stirmls_ecdsa_der_to_raw(der, len, raw) != STIRMLS_R_OK)
            return 0;
        stirmls_buf_put(out, raw, sizeof raw);
    }
    return stirmls_buf_status(out) == STIRMLS_R_OK;
}

/* SignWithLabel over the fields first..last (and, for a LeafNode of source update or commit, the
 * empty group_id and leaf index 0 the builder signs with), into the field `sig`. */
static int resign(struct fields *fs, const stirmls_key *k, const char *label, const char *first,
                  const char *last, int group_context, const char *sig)
{
    size_t a = index_of(fs, first), z = index_of(fs, last);
    struct field *sf = find(fs, sig);
    stirmls_buf tbs, form;
    uint8_t *der = NULL;
    size_t derlen = 0;
    int ok = 0;
    if (a >= fs->n || z >= fs->n || sf == NULL)
        return 0;
    stirmls_buf_init(&tbs);
    stirmls_buf_init(&form);
    for (size_t i = a; i <= z; i++)
        stirmls_buf_put(&tbs, fs->f[i].b.ptr, fs->f[i].b.len);
    if (group_context) {
        stirmls_buf_put_varint(&tbs, 0);
        stirmls_buf_put_u32(&tbs, 0);
    }
    if (stirmls_buf_status(&tbs) == STIRMLS_R_OK &&
        stirmls_mls_sign_with_label(k, label, (stirmls_slice){tbs.ptr, tbs.len}, &der, &derlen) == STIRMLS_R_OK &&
        (sf->der == NULL || der_form(sf->der, der, derlen, &form))) {
        stirmls_buf_reset(&sf->b);
        if (sf->der)
            stirmls_buf_put_opaque(&sf->b, form.ptr, form.len);
        else
            stirmls_buf_put_opaque(&sf->b, der, derlen);
        ok = stirmls_buf_status(&sf->b) == STIRMLS_R_OK;
    }
    free(der);
    stirmls_buf_cleanup(&tbs);
    stirmls_buf_cleanup(&form);
    return ok;
}

int vg_apply_edits(struct vg_case *vc, const stirmls_key *k, uint8_t **buf, size_t *len)
{
    json_t *edits = json_object_get(vc->c, "edits");
    if (json_array_size(edits) == 0)
        return 1;
    struct fields fs;
    memset(&fs, 0, sizeof fs);
    stirmls_reader r;
    stirmls_reader_init(&r, *buf, *len);
    uint32_t source = 0;
    int ok = k ? split_key_package(&fs, &r, &source) : split_credential(&fs, &r) && stirmls_reader_left(&r) == 0;
    if (!ok)
        vg_fail(vc, "edits: cannot cut the built artefact into its fields");
    size_t i;
    json_t *e;
    json_array_foreach(edits, i, e) if (ok) ok = apply_edit(vc, &fs, e);
    if (ok && k != NULL &&
        (!resign(&fs, k, "LeafNodeTBS", "encryption_key", "leaf.extensions",
                 source != STIRMLS_LEAF_SOURCE_KEY_PACKAGE, "leaf.signature") ||
         !resign(&fs, k, "KeyPackageTBS", "version", "extensions", 0, "signature")))
        ok = vg_fail(vc, "edits: cannot sign the edited KeyPackage");
    /* length: past_end: one octet more than follows the header, to the end of the artefact */
    for (size_t j = 0; ok && j < fs.n; j++) {
        size_t following = 0;
        stirmls_slice body = {NULL, 0}, none = {NULL, 0};
        if (!fs.f[j].past_end)
            continue;
        for (size_t l = j + 1; l < fs.n; l++)
            following += fs.f[l].b.len;
        ok = body_of(&fs.f[j], &body) && rewrite_vec(&fs.f[j], (uint32_t)(body.len + following + 1), 0, none, none, 0);
    }
    stirmls_buf out;
    stirmls_buf_init(&out);
    for (size_t j = 0; j < fs.n; j++) {
        stirmls_buf_put(&out, fs.f[j].b.ptr, fs.f[j].b.len);
        stirmls_buf_cleanup(&fs.f[j].b);
    }
    if (ok && stirmls_buf_status(&out) == STIRMLS_R_OK) {
        free(*buf);
        *buf = stirmls_buf_take(&out, len);
    }
    stirmls_buf_cleanup(&out);
    return ok;
}

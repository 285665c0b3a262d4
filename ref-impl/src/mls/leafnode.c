/* leafnode.c: the RFC 9420 §7.2 LeafNode codec. */
#include <string.h>
#include "mls_internal.h"

void stirmls_mls_options_default(stirmls_mls_options *o)
{
    memset(o, 0, sizeof *o);
    stirmls_cred_codepoints_default(&o->codepoints);
    o->max_lifetime = STIRMLS_MLS_MAX_LIFETIME_DEFAULT;
}

stirmls_reason stirmls_mls_read_opaque(stirmls_reader *r, stirmls_slice *out, const char *what,
                                       stirmls_detail *d)
{
    size_t at = stirmls_reader_pos(r);
    stirmls_reason rc = stirmls_reader_opaque(r, out);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, at, "%s", what);
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_mls_read_u16list(stirmls_reader *r, stirmls_slice *body, const char *what,
                                        stirmls_detail *d)
{
    stirmls_reader save = *r, v;
    size_t at = stirmls_reader_pos(r);
    stirmls_reason rc = stirmls_reader_vec(r, &v);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, at, "%s<V>", what);
    stirmls_slice s = {v.buf, v.len};
    while (stirmls_reader_left(&v) > 0) {
        uint16_t x;
        size_t eat = stirmls_reader_pos(&v);
        if (stirmls_reader_u16(&v, &x) != STIRMLS_R_OK) {
            *r = save;
            return stirmls_fail_at(d, STIRMLS_R_TRUNCATED, eat, "%s: odd-length uint16 list", what);
        }
    }
    *body = s;
    return STIRMLS_R_OK;
}

int stirmls_extensions_next(stirmls_reader *r, stirmls_extension *ext)
{
    stirmls_reader save = *r;
    if (stirmls_reader_left(r) == 0)
        return 0;
    if (stirmls_reader_u16(r, &ext->type) != STIRMLS_R_OK ||
        stirmls_reader_opaque(r, &ext->data) != STIRMLS_R_OK) {
        *r = save;
        return 0;
    }
    return 1;
}

stirmls_reason stirmls_mls_read_extensions(stirmls_reader *r, stirmls_slice *body, const char *what,
                                           stirmls_detail *d)
{
    stirmls_reader save = *r, v;
    size_t at = stirmls_reader_pos(r);
    stirmls_reason rc = stirmls_reader_vec(r, &v);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, at, "%s<V>", what);
    stirmls_slice s = {v.buf, v.len};
    while (stirmls_reader_left(&v) > 0) {
        uint16_t type;
        stirmls_slice data;
        size_t eat = stirmls_reader_pos(&v);
        rc = stirmls_reader_u16(&v, &type);
        if (rc == STIRMLS_R_OK) {
            eat = stirmls_reader_pos(&v);
            rc = stirmls_reader_opaque(&v, &data);
        }
        if (rc != STIRMLS_R_OK) {
            *r = save;
            return stirmls_fail_at(d, rc, eat, "%s: extension", what);
        }
    }
    *body = s;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_mls_read_presence(stirmls_reader *r, int *present, stirmls_detail *d)
{
    stirmls_reader save = *r;
    size_t at = stirmls_reader_pos(r);
    uint8_t v;
    stirmls_reason rc = stirmls_reader_u8(r, &v);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, at, "optional presence octet");
    if (v > 1) {
        *r = save;
        return stirmls_fail_at(d, STIRMLS_R_OPTIONAL_PRESENCE, at, "optional presence octet %u", v);
    }
    *present = v;
    return STIRMLS_R_OK;
}

int stirmls_u16list_has(stirmls_slice list, uint16_t want)
{
    stirmls_reader r;
    uint16_t x;
    stirmls_reader_init(&r, list.ptr, list.len);
    while (stirmls_reader_u16(&r, &x) == STIRMLS_R_OK)
        if (x == want)
            return 1;
    return 0;
}

static stirmls_reason read_capabilities(stirmls_reader *r, stirmls_capabilities *c,
                                        stirmls_detail *d)
{
    stirmls_reason rc;
    if ((rc = stirmls_mls_read_u16list(r, &c->versions, "capabilities.versions", d)) ||
        (rc = stirmls_mls_read_u16list(r, &c->cipher_suites, "capabilities.cipher_suites", d)) ||
        (rc = stirmls_mls_read_u16list(r, &c->extensions, "capabilities.extensions", d)) ||
        (rc = stirmls_mls_read_u16list(r, &c->proposals, "capabilities.proposals", d)) ||
        (rc = stirmls_mls_read_u16list(r, &c->credentials, "capabilities.credentials", d)))
        return rc;
    return STIRMLS_R_OK;
}

static stirmls_reason read_source(stirmls_reader *r, stirmls_leafnode *ln, stirmls_detail *d)
{
    size_t at = stirmls_reader_pos(r);
    uint8_t src;
    stirmls_reason rc = stirmls_reader_u8(r, &src);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, at, "leaf_node_source");
    if (src < STIRMLS_LEAF_SOURCE_KEY_PACKAGE || src > STIRMLS_LEAF_SOURCE_COMMIT)
        return stirmls_fail_at(d, STIRMLS_R_MLS_LEAF_SOURCE, at, "leaf_node_source %u undefined",
                               src);
    ln->source = (stirmls_leaf_source)src;
    if (src == STIRMLS_LEAF_SOURCE_KEY_PACKAGE) {
        if ((rc = stirmls_reader_u64(r, &ln->not_before)) ||
            (rc = stirmls_reader_u64(r, &ln->not_after)))
            return stirmls_fail_at(d, rc, stirmls_reader_pos(r), "lifetime");
    } else if (src == STIRMLS_LEAF_SOURCE_COMMIT) {
        return stirmls_mls_read_opaque(r, &ln->parent_hash, "parent_hash<V>", d);
    }
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_leafnode_read(stirmls_reader *r, const stirmls_cred_codepoints *cp,
                                     stirmls_leafnode *out, stirmls_detail *d)
{
    stirmls_reader save = *r;
    stirmls_leafnode ln;
    memset(&ln, 0, sizeof ln);
    stirmls_reason rc;
    if ((rc = stirmls_mls_read_opaque(r, &ln.encryption_key, "encryption_key<V>", d)) ||
        (rc = stirmls_mls_read_opaque(r, &ln.signature_key, "signature_key<V>", d)) ||
        (rc = stirmls_credential_read(r, cp, &ln.credential, d)) ||
        (rc = read_capabilities(r, &ln.capabilities, d)) || (rc = read_source(r, &ln, d)) ||
        (rc = stirmls_mls_read_extensions(r, &ln.extensions, "leaf_node.extensions", d)) ||
        (rc = stirmls_mls_read_opaque(r, &ln.signature, "leaf_node.signature<V>", d))) {
        *r = save;
        return rc;
    }
    *out = ln;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_leafnode_decode(const uint8_t *buf, size_t len,
                                       const stirmls_cred_codepoints *cp, stirmls_leafnode *out,
                                       stirmls_detail *d)
{
    stirmls_reader r;
    stirmls_leafnode ln;
    stirmls_reader_init(&r, buf, len);
    stirmls_reason rc = stirmls_leafnode_read(&r, cp, &ln, d);
    if (rc != STIRMLS_R_OK)
        return rc;
    if (stirmls_reader_finish(&r) != STIRMLS_R_OK)
        return stirmls_fail_at(d, STIRMLS_R_TRAILING_BYTES, stirmls_reader_pos(&r),
                               "bytes after the LeafNode");
    *out = ln;
    return STIRMLS_R_OK;
}

static void put_slice(stirmls_buf *b, stirmls_slice s)
{
    stirmls_buf_put_opaque(b, s.ptr, s.len);
}

static void write_fields(stirmls_buf *b, const stirmls_leafnode *ln)
{
    put_slice(b, ln->encryption_key);
    put_slice(b, ln->signature_key);
    stirmls_credential_write(b, &ln->credential);
    put_slice(b, ln->capabilities.versions);
    put_slice(b, ln->capabilities.cipher_suites);
    put_slice(b, ln->capabilities.extensions);
    put_slice(b, ln->capabilities.proposals);
    put_slice(b, ln->capabilities.credentials);
    stirmls_buf_put_u8(b, (uint8_t)ln->source);
    if (ln->source == STIRMLS_LEAF_SOURCE_KEY_PACKAGE) {
        stirmls_buf_put_u64(b, ln->not_before);
        stirmls_buf_put_u64(b, ln->not_after);
    } else if (ln->source == STIRMLS_LEAF_SOURCE_COMMIT) {
        put_slice(b, ln->parent_hash);
    }
    put_slice(b, ln->extensions);
}

void stirmls_leafnode_write(stirmls_buf *b, const stirmls_leafnode *ln)
{
    write_fields(b, ln);
    put_slice(b, ln->signature);
}

void stirmls_leafnode_write_tbs(stirmls_buf *b, const stirmls_leafnode *ln, stirmls_slice group_id,
                                uint32_t leaf_index)
{
    write_fields(b, ln);
    if (ln->source == STIRMLS_LEAF_SOURCE_UPDATE || ln->source == STIRMLS_LEAF_SOURCE_COMMIT) {
        put_slice(b, group_id);
        stirmls_buf_put_u32(b, leaf_index);
    }
}

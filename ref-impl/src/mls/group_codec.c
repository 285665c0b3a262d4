/* group_codec.c: GroupContext, GroupInfo and the ratchet tree (RFC 9420 §8.1, §12.4.3, §7.1). */
#include <stdlib.h>
#include <string.h>
#include "stirmls/group.h"
#include "mls_internal.h"

/* One fixed-width big-endian integer of 1, 2, 4 or 8 bytes. */
static stirmls_reason read_int(stirmls_reader *r, size_t width, uint64_t *v, const char *what,
                               stirmls_detail *d)
{
    size_t at = stirmls_reader_pos(r);
    stirmls_slice s;
    stirmls_reason rc = stirmls_reader_bytes(r, width, &s);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, at, "%s", what);
    *v = 0;
    for (size_t i = 0; i < width; i++)
        *v = (*v << 8) | s.ptr[i];
    return STIRMLS_R_OK;
}

#define READ_INT(name, type, width)                                                             \
    stirmls_reason name(stirmls_reader *r, type *v, const char *what, stirmls_detail *d)       \
    {                                                                                           \
        uint64_t x = 0;                                                                         \
        stirmls_reason rc = read_int(r, width, &x, what, d);                                    \
        if (rc == STIRMLS_R_OK)                                                                 \
            *v = (type)x;                                                                       \
        return rc;                                                                              \
    }
READ_INT(stirmls_grp_read_u8, uint8_t, 1)
READ_INT(stirmls_grp_read_u16, uint16_t, 2)
READ_INT(stirmls_grp_read_u32, uint32_t, 4)
READ_INT(stirmls_grp_read_u64, uint64_t, 8)

stirmls_reason stirmls_grp_finish(const stirmls_reader *r, const char *what, stirmls_detail *d)
{
    if (stirmls_reader_finish(r) != STIRMLS_R_OK)
        return stirmls_fail_at(d, STIRMLS_R_TRAILING_BYTES, stirmls_reader_pos(r),
                               "%zu bytes after the %s", stirmls_reader_left(r), what);
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_grp_message_header(stirmls_reader *r, uint16_t want_wire, const char *what,
                                          stirmls_detail *d)
{
    uint16_t version, wire;
    stirmls_reason rc = stirmls_grp_read_u16(r, &version, "MLSMessage version", d);
    if (rc != STIRMLS_R_OK)
        return rc;
    if (version != STIRMLS_MLS10)
        return stirmls_fail_at(d, STIRMLS_R_MLS_VERSION, 0, "MLSMessage version 0x%04X", version);
    if ((rc = stirmls_grp_read_u16(r, &wire, "MLSMessage wire_format", d)) != STIRMLS_R_OK)
        return rc;
    if (wire != want_wire)
        return stirmls_fail_at(d, STIRMLS_R_MLS_MESSAGE_WIRE_FORMAT, 2,
                               "MLSMessage wire_format 0x%04X is not %s", wire, what);
    return STIRMLS_R_OK;
}

/* ---- GroupContext, GroupInfo -------------------------------------------------------------- */

stirmls_reason stirmls_group_context_read(stirmls_reader *r, stirmls_group_context *out,
                                          stirmls_detail *d)
{
    stirmls_reader save = *r;
    stirmls_group_context gc;
    stirmls_reason rc;
    memset(&gc, 0, sizeof gc);
    if ((rc = stirmls_grp_read_u16(r, &gc.version, "GroupContext version", d)) ||
        (rc = stirmls_grp_read_u16(r, &gc.cipher_suite, "GroupContext cipher_suite", d)) ||
        (rc = stirmls_mls_read_opaque(r, &gc.group_id, "GroupContext group_id<V>", d)) ||
        (rc = stirmls_grp_read_u64(r, &gc.epoch, "GroupContext epoch", d)) ||
        (rc = stirmls_mls_read_opaque(r, &gc.tree_hash, "GroupContext tree_hash<V>", d)) ||
        (rc = stirmls_mls_read_opaque(r, &gc.confirmed_transcript_hash,
                                      "GroupContext confirmed_transcript_hash<V>", d)) ||
        (rc = stirmls_mls_read_extensions(r, &gc.extensions, "GroupContext extensions", d))) {
        *r = save;
        return rc;
    }
    *out = gc;
    return STIRMLS_R_OK;
}

void stirmls_group_context_write(stirmls_buf *b, const stirmls_group_context *gc)
{
    stirmls_buf_put_u16(b, gc->version);
    stirmls_buf_put_u16(b, gc->cipher_suite);
    stirmls_buf_put_opaque(b, gc->group_id.ptr, gc->group_id.len);
    stirmls_buf_put_u64(b, gc->epoch);
    stirmls_buf_put_opaque(b, gc->tree_hash.ptr, gc->tree_hash.len);
    stirmls_buf_put_opaque(b, gc->confirmed_transcript_hash.ptr, gc->confirmed_transcript_hash.len);
    stirmls_buf_put_opaque(b, gc->extensions.ptr, gc->extensions.len);
}

stirmls_reason stirmls_group_info_read(stirmls_reader *r, stirmls_group_info *out,
                                       stirmls_detail *d)
{
    stirmls_reader save = *r;
    stirmls_group_info gi;
    stirmls_reason rc;
    memset(&gi, 0, sizeof gi);
    if ((rc = stirmls_group_context_read(r, &gi.context, d)) ||
        (rc = stirmls_mls_read_extensions(r, &gi.extensions, "GroupInfo extensions", d)) ||
        (rc = stirmls_mls_read_opaque(r, &gi.confirmation_tag, "GroupInfo confirmation_tag<V>",
                                      d)) ||
        (rc = stirmls_grp_read_u32(r, &gi.signer, "GroupInfo signer", d)) ||
        (rc = stirmls_mls_read_opaque(r, &gi.signature, "GroupInfo signature<V>", d))) {
        *r = save;
        return rc;
    }
    *out = gi;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_group_info_decode_message(const uint8_t *buf, size_t len,
                                                 stirmls_group_info *out, stirmls_detail *d)
{
    stirmls_reader r;
    stirmls_group_info gi;
    stirmls_reason rc;
    stirmls_reader_init(&r, buf, len);
    if ((rc = stirmls_grp_message_header(&r, STIRMLS_MLS_WIRE_GROUP_INFO, "mls_group_info", d)) ||
        (rc = stirmls_group_info_read(&r, &gi, d)) ||
        (rc = stirmls_grp_finish(&r, "GroupInfo", d)))
        return rc;
    *out = gi;
    return STIRMLS_R_OK;
}

void stirmls_group_info_write_tbs(stirmls_buf *b, const stirmls_group_info *gi)
{
    stirmls_group_context_write(b, &gi->context);
    stirmls_buf_put_opaque(b, gi->extensions.ptr, gi->extensions.len);
    stirmls_buf_put_opaque(b, gi->confirmation_tag.ptr, gi->confirmation_tag.len);
    stirmls_buf_put_u32(b, gi->signer);
}

void stirmls_group_info_write(stirmls_buf *b, const stirmls_group_info *gi)
{
    stirmls_group_info_write_tbs(b, gi);
    stirmls_buf_put_opaque(b, gi->signature.ptr, gi->signature.len);
}

void stirmls_group_info_write_message(stirmls_buf *b, const stirmls_group_info *gi)
{
    stirmls_buf_put_u16(b, STIRMLS_MLS10);
    stirmls_buf_put_u16(b, STIRMLS_MLS_WIRE_GROUP_INFO);
    stirmls_group_info_write(b, gi);
}

int stirmls_extensions_find(stirmls_slice body, uint16_t type, stirmls_slice *data)
{
    stirmls_reader r;
    stirmls_extension ext;
    stirmls_reader_init(&r, body.ptr, body.len);
    while (stirmls_extensions_next(&r, &ext))
        if (ext.type == type) {
            *data = ext.data;
            return 1;
        }
    return 0;
}

/* ---- the ratchet tree --------------------------------------------------------------------- */

static stirmls_reason read_parent(stirmls_reader *r, stirmls_parent_node *p, stirmls_detail *d)
{
    stirmls_reason rc;
    size_t at;
    if ((rc = stirmls_mls_read_opaque(r, &p->encryption_key, "ParentNode encryption_key<V>", d)) ||
        (rc = stirmls_mls_read_opaque(r, &p->parent_hash, "ParentNode parent_hash<V>", d)))
        return rc;
    at = stirmls_reader_pos(r);
    if ((rc = stirmls_mls_read_opaque(r, &p->unmerged_leaves, "ParentNode unmerged_leaves<V>", d)))
        return rc;
    if (p->unmerged_leaves.len % 4 != 0)
        return stirmls_fail_at(d, STIRMLS_R_TRUNCATED, at,
                               "unmerged_leaves body of %zu bytes is not a list of uint32",
                               p->unmerged_leaves.len);
    return STIRMLS_R_OK;
}

static stirmls_reason read_node(stirmls_reader *r, size_t index, const stirmls_cred_codepoints *cp,
                                stirmls_node *n, stirmls_detail *d)
{
    int present;
    uint8_t type;
    size_t at;
    stirmls_reason rc = stirmls_mls_read_presence(r, &present, d);
    memset(n, 0, sizeof *n);
    if (rc != STIRMLS_R_OK || !present)
        return rc;
    at = stirmls_reader_pos(r);
    if ((rc = stirmls_grp_read_u8(r, &type, "node_type", d)) != STIRMLS_R_OK)
        return rc;
    if (type != STIRMLS_NODE_LEAF && type != STIRMLS_NODE_PARENT)
        return stirmls_fail_at(d, STIRMLS_R_MLS_NODE_TYPE, at, "node %zu: node_type %u undefined",
                               index, type);
    if ((type == STIRMLS_NODE_LEAF) != (index % 2 == 0))
        return stirmls_fail_at(d, STIRMLS_R_MLS_NODE_TYPE, at, "node %zu: a %s where a %s belongs",
                               index, type == STIRMLS_NODE_LEAF ? "leaf" : "parent",
                               index % 2 == 0 ? "leaf" : "parent");
    n->type = (stirmls_node_type)type;
    if (type == STIRMLS_NODE_LEAF)
        return stirmls_leafnode_read(r, cp, &n->leaf, d);
    return read_parent(r, &n->parent, d);
}

static stirmls_reason grow(stirmls_node **nodes, size_t *cap, size_t need)
{
    if (need <= *cap)
        return STIRMLS_R_OK;
    size_t nc = *cap ? *cap * 2 : 16;
    while (nc < need)
        nc *= 2;
    stirmls_node *p = realloc(*nodes, nc * sizeof *p);
    if (p == NULL)
        return STIRMLS_R_INTERNAL;
    *nodes = p;
    *cap = nc;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_ratchet_tree_read(stirmls_reader *r, const stirmls_cred_codepoints *cp,
                                         stirmls_ratchet_tree *out, stirmls_detail *d)
{
    stirmls_reader save = *r, v;
    stirmls_node *nodes = NULL;
    size_t n = 0, cap = 0, at = stirmls_reader_pos(r);
    stirmls_reason rc = stirmls_reader_vec(r, &v);
    if (rc != STIRMLS_R_OK) {
        stirmls_fail_at(d, rc, at, "ratchet_tree<V>");
        goto out;
    }
    while (stirmls_reader_left(&v) > 0) {
        STIRMLS_TRY(grow(&nodes, &cap, n + 1));
        STIRMLS_TRY(read_node(&v, n, cp, &nodes[n], d));
        n++;
    }
    if (n == 0 || nodes[n - 1].type == STIRMLS_NODE_BLANK) {
        rc = stirmls_fail_at(d, STIRMLS_R_MLS_TREE_SHAPE, at,
                             n == 0 ? "the ratchet tree has no node"
                                    : "the ratchet tree's last node is blank");
        goto out;
    }
    size_t width = 1;
    while (width < n)
        width = width * 2 + 1;
    /* exactly the tree's width, no spare capacity: a read past the last node is out of bounds */
    stirmls_node *exact = realloc(nodes, width * sizeof *nodes);
    if (exact == NULL) {
        rc = stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
        goto out;
    }
    nodes = exact;
    memset(nodes + n, 0, (width - n) * sizeof *nodes);
    out->n_wire = n;
    out->n_nodes = width;
    out->nodes = nodes;
    out->owned = NULL;
    nodes = NULL;
out:
    free(nodes);
    if (rc != STIRMLS_R_OK) {
        if (rc == STIRMLS_R_INTERNAL)
            stirmls_fail(d, rc, "out of memory reading the ratchet tree");
        *r = save;
    }
    return rc;
}

stirmls_reason stirmls_ratchet_tree_decode(const uint8_t *buf, size_t len,
                                           const stirmls_cred_codepoints *cp,
                                           stirmls_ratchet_tree *out, stirmls_detail *d)
{
    stirmls_reader r;
    stirmls_ratchet_tree t;
    stirmls_reader_init(&r, buf, len);
    stirmls_reason rc = stirmls_ratchet_tree_read(&r, cp, &t, d);
    if (rc != STIRMLS_R_OK)
        return rc;
    if ((rc = stirmls_grp_finish(&r, "ratchet tree", d)) != STIRMLS_R_OK) {
        stirmls_ratchet_tree_cleanup(&t);
        return rc;
    }
    *out = t;
    return STIRMLS_R_OK;
}

void stirmls_ratchet_tree_write(stirmls_buf *b, const stirmls_ratchet_tree *t)
{
    size_t mark = stirmls_buf_vec_open(b);
    for (size_t i = 0; i < t->n_wire; i++) {
        const stirmls_node *n = &t->nodes[i];
        if (n->type == STIRMLS_NODE_BLANK) {
            stirmls_buf_put_u8(b, 0);
            continue;
        }
        stirmls_buf_put_u8(b, 1);
        stirmls_buf_put_u8(b, (uint8_t)n->type);
        if (n->type == STIRMLS_NODE_LEAF) {
            stirmls_leafnode_write(b, &n->leaf);
        } else {
            stirmls_buf_put_opaque(b, n->parent.encryption_key.ptr, n->parent.encryption_key.len);
            stirmls_buf_put_opaque(b, n->parent.parent_hash.ptr, n->parent.parent_hash.len);
            stirmls_buf_put_opaque(b, n->parent.unmerged_leaves.ptr, n->parent.unmerged_leaves.len);
        }
    }
    stirmls_buf_vec_close(b, mark);
}

void stirmls_ratchet_tree_cleanup(stirmls_ratchet_tree *t)
{
    stirmls_grp_tree_free_owned(t);
    free(t->nodes);
    memset(t, 0, sizeof *t);
}

stirmls_reason stirmls_ratchet_tree_copy(const stirmls_ratchet_tree *t, stirmls_ratchet_tree *out)
{
    stirmls_node *nodes = malloc(t->n_nodes * sizeof *nodes);
    if (nodes == NULL)
        return STIRMLS_R_INTERNAL;
    memcpy(nodes, t->nodes, t->n_nodes * sizeof *nodes);
    *out = *t;
    out->nodes = nodes;
    out->owned = NULL;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_group_info_tree(const stirmls_group_info *gi,
                                       const stirmls_cred_codepoints *cp,
                                       stirmls_ratchet_tree *out, stirmls_detail *d)
{
    stirmls_slice data;
    if (!stirmls_extensions_find(gi->extensions, STIRMLS_MLS_EXT_RATCHET_TREE, &data))
        return stirmls_fail(d, STIRMLS_R_MLS_RATCHET_TREE_MISSING,
                            "the GroupInfo has no ratchet_tree extension (0x0002)");
    stirmls_reader r;
    stirmls_reader_init(&r, data.ptr, data.len);
    /* offsets in the detail count from the start of the extension's data */
    stirmls_ratchet_tree t;
    stirmls_reason rc = stirmls_ratchet_tree_read(&r, cp, &t, d);
    if (rc != STIRMLS_R_OK)
        return rc;
    if ((rc = stirmls_grp_finish(&r, "ratchet_tree extension", d)) != STIRMLS_R_OK) {
        stirmls_ratchet_tree_cleanup(&t);
        return rc;
    }
    *out = t;
    return STIRMLS_R_OK;
}

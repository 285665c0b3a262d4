/* tree.c: ratchet tree math and checks (RFC 9420 §4.1, §7.8, §7.9, Appendix C): tree hash of
 * every node, resolution, parent-hash validity, unmerged leaves, leaf signatures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls/digest.h"
#include "mls_internal.h"

size_t stirmls_mls_suite_hash_len(uint16_t suite)
{
    switch (suite) {
    case 1: case 2: case 3:
        return 32;
    case 4: case 5: case 6:
        return 64;
    case 7:
        return 48;
    }
    return 0;
}

static unsigned level(size_t x)
{
    unsigned k = 0;
    while ((x >> k) & 1)
        k++;
    return k;
}

size_t stirmls_grp_tree_parent(size_t x)
{
    unsigned k = level(x);
    size_t b = (x >> (k + 1)) & 1;
    return (x | ((size_t)1 << k)) ^ (b << (k + 1));
}

size_t stirmls_tree_root(const stirmls_ratchet_tree *t)
{
    return t->n_nodes / 2;
}

size_t stirmls_tree_left(size_t x)
{
    unsigned k = level(x);
    return k == 0 ? x : x ^ ((size_t)1 << (k - 1));
}

size_t stirmls_tree_right(size_t x)
{
    unsigned k = level(x);
    return k == 0 ? x : x ^ ((size_t)3 << (k - 1));
}

/* 1 when y is x or below it. */
static int covers(size_t x, size_t y)
{
    size_t half = ((size_t)1 << level(x)) - 1;
    return y + half >= x && y <= x + half;
}

/* The leaf indices a tree hash, resolution or parent hash leaves out (a parent's unmerged
 * leaves, §7.9 "original sibling tree hash"); a body of uint32 values. */
typedef stirmls_slice excl_t;

static uint32_t u32_at(stirmls_slice s, size_t i)
{
    const uint8_t *p = s.ptr + 4 * i;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int excluded(excl_t ex, uint32_t leaf)
{
    for (size_t i = 0; i < ex.len / 4; i++)
        if (u32_at(ex, i) == leaf)
            return 1;
    return 0;
}

/* A parent's unmerged_leaves<V> without the excluded ones. */
static void put_unmerged(stirmls_buf *b, stirmls_slice list, excl_t ex)
{
    size_t mark = stirmls_buf_vec_open(b);
    for (size_t i = 0; i < list.len / 4; i++)
        if (!excluded(ex, u32_at(list, i)))
            stirmls_buf_put_u32(b, u32_at(list, i));
    stirmls_buf_vec_close(b, mark);
}

typedef struct th_ctx {
    const stirmls_ratchet_tree *t;
    size_t hlen;
    excl_t ex;
    uint8_t *memo; /* n_nodes * hlen, or NULL: nothing kept */
} th_ctx;

static stirmls_reason hash_buf(const th_ctx *c, stirmls_buf *b, uint8_t *out)
{
    stirmls_reason rc = stirmls_buf_status(b);
    uint8_t h[STIRMLS_DIGEST_MAX];
    if (rc == STIRMLS_R_OK)
        rc = stirmls_digest_r(c->hlen, b->ptr, b->len, h);
    if (rc == STIRMLS_R_OK)
        memcpy(out, h, c->hlen);
    stirmls_buf_cleanup(b);
    return rc;
}

/* TreeHashInput of node x (§7.8) hashed into out (hlen bytes). */
static stirmls_reason tree_hash(const th_ctx *c, size_t x, uint8_t *out)
{
    const stirmls_node *n = &c->t->nodes[x];
    stirmls_buf b;
    stirmls_buf_init(&b);
    if (x % 2 == 0) {
        int present = n->type == STIRMLS_NODE_LEAF && !excluded(c->ex, (uint32_t)(x / 2));
        stirmls_buf_put_u8(&b, STIRMLS_NODE_LEAF);
        stirmls_buf_put_u32(&b, (uint32_t)(x / 2));
        stirmls_buf_put_u8(&b, (uint8_t)present);
        if (present)
            stirmls_leafnode_write(&b, &n->leaf);
    } else {
        uint8_t l[STIRMLS_DIGEST_MAX], r[STIRMLS_DIGEST_MAX];
        stirmls_reason rc;
        if ((rc = tree_hash(c, stirmls_tree_left(x), l)) ||
            (rc = tree_hash(c, stirmls_tree_right(x), r))) {
            stirmls_buf_cleanup(&b);
            return rc;
        }
        stirmls_buf_put_u8(&b, STIRMLS_NODE_PARENT);
        stirmls_buf_put_u8(&b, n->type == STIRMLS_NODE_PARENT);
        if (n->type == STIRMLS_NODE_PARENT) {
            stirmls_buf_put_opaque(&b, n->parent.encryption_key.ptr, n->parent.encryption_key.len);
            stirmls_buf_put_opaque(&b, n->parent.parent_hash.ptr, n->parent.parent_hash.len);
            put_unmerged(&b, n->parent.unmerged_leaves, c->ex);
        }
        stirmls_buf_put_opaque(&b, l, c->hlen);
        stirmls_buf_put_opaque(&b, r, c->hlen);
    }
    stirmls_reason rc = hash_buf(c, &b, out);
    if (rc == STIRMLS_R_OK && c->memo != NULL)
        memcpy(c->memo + x * c->hlen, out, c->hlen);
    return rc;
}

stirmls_reason stirmls_tree_hashes(const stirmls_ratchet_tree *t, size_t hlen, uint8_t *out)
{
    th_ctx c = {t, hlen, {NULL, 0}, out};
    uint8_t root[STIRMLS_DIGEST_MAX];
    if (hlen == 0 || hlen > STIRMLS_DIGEST_MAX)
        return STIRMLS_R_USAGE;
    return tree_hash(&c, stirmls_tree_root(t), root);
}

/* The resolution of x into out[0..cap); returns its full length (entries past cap are counted,
 * not written: a hostile tree's unmerged lists may be longer than the tree). */
static size_t resolve(const stirmls_ratchet_tree *t, size_t x, excl_t ex, size_t *out, size_t cap)
{
    const stirmls_node *n = &t->nodes[x];
    if (x % 2 == 0) {
        if (n->type != STIRMLS_NODE_LEAF || excluded(ex, (uint32_t)(x / 2)))
            return 0;
        if (cap > 0)
            out[0] = x;
        return 1;
    }
    if (n->type == STIRMLS_NODE_BLANK) {
        size_t k = resolve(t, stirmls_tree_left(x), ex, out, cap);
        return k + resolve(t, stirmls_tree_right(x), ex, out + (k < cap ? k : cap),
                           k < cap ? cap - k : 0);
    }
    size_t k = 0;
    if (k < cap)
        out[k] = x;
    k++;
    for (size_t i = 0; i < n->parent.unmerged_leaves.len / 4; i++) {
        uint32_t u = u32_at(n->parent.unmerged_leaves, i);
        if (excluded(ex, u))
            continue;
        if (k < cap)
            out[k] = 2 * (size_t)u;
        k++;
    }
    return k;
}

size_t stirmls_tree_resolution(const stirmls_ratchet_tree *t, size_t x, size_t *out, size_t cap)
{
    excl_t none = {NULL, 0};
    return resolve(t, x, none, out, cap);
}

/* The parent_hash field a node carries (a leaf: only source commit), or an empty slice. */
static int carried_parent_hash(const stirmls_node *n, stirmls_slice *ph)
{
    if (n->type == STIRMLS_NODE_PARENT) {
        *ph = n->parent.parent_hash;
        return 1;
    }
    if (n->type == STIRMLS_NODE_LEAF && n->leaf.source == STIRMLS_LEAF_SOURCE_COMMIT) {
        *ph = n->leaf.parent_hash;
        return 1;
    }
    return 0;
}

/* ParentHashInput{encryption_key, parent_hash, original_sibling_tree_hash} of P at x with the
 * sibling s (§7.9). */
static stirmls_reason parent_hash_of(const stirmls_ratchet_tree *t, size_t hlen, size_t x, size_t s,
                                     const uint8_t *memo, uint8_t *out)
{
    const stirmls_parent_node *p = &t->nodes[x].parent;
    uint8_t sib[STIRMLS_DIGEST_MAX];
    stirmls_reason rc;
    if (p->unmerged_leaves.len == 0 && memo != NULL) {
        memcpy(sib, memo + s * hlen, hlen);
    } else {
        th_ctx c = {t, hlen, p->unmerged_leaves, NULL};
        if ((rc = tree_hash(&c, s, sib)) != STIRMLS_R_OK)
            return rc;
    }
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_buf_put_opaque(&b, p->encryption_key.ptr, p->encryption_key.len);
    stirmls_buf_put_opaque(&b, p->parent_hash.ptr, p->parent_hash.len);
    stirmls_buf_put_opaque(&b, sib, hlen);
    th_ctx hc = {t, hlen, {NULL, 0}, NULL};
    return hash_buf(&hc, &b, out);
}

/* 1 when a node in the resolution of child c (P's unmerged leaves left out) carries ph. */
static int linked(const stirmls_ratchet_tree *t, size_t x, size_t c, const uint8_t *ph,
                  size_t hlen, size_t *scratch)
{
    size_t k = resolve(t, c, t->nodes[x].parent.unmerged_leaves, scratch, t->n_nodes);
    for (size_t i = 0; i < k && i < t->n_nodes; i++) {
        stirmls_slice got;
        if (carried_parent_hash(&t->nodes[scratch[i]], &got) && got.len == hlen &&
            memcmp(got.ptr, ph, hlen) == 0)
            return 1;
    }
    return 0;
}

stirmls_reason stirmls_tree_verify_parent_hashes(const stirmls_ratchet_tree *t, size_t hlen,
                                                 const uint8_t *hashes, stirmls_detail *d)
{
    size_t *scratch = malloc(t->n_nodes * sizeof *scratch);
    stirmls_reason rc = STIRMLS_R_OK;
    if (scratch == NULL)
        return stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
    for (size_t x = 1; x < t->n_nodes && rc == STIRMLS_R_OK; x += 2) {
        if (t->nodes[x].type != STIRMLS_NODE_PARENT)
            continue;
        size_t l = stirmls_tree_left(x), r = stirmls_tree_right(x);
        uint8_t phl[STIRMLS_DIGEST_MAX], phr[STIRMLS_DIGEST_MAX];
        if ((rc = parent_hash_of(t, hlen, x, r, hashes, phl)) ||
            (rc = parent_hash_of(t, hlen, x, l, hashes, phr)))
            break;
        if (!linked(t, x, l, phl, hlen, scratch) && !linked(t, x, r, phr, hlen, scratch))
            rc = stirmls_fail(d, STIRMLS_R_MLS_PARENT_HASH,
                              "parent node %zu: no node below it carries its parent hash", x);
    }
    free(scratch);
    return rc;
}

stirmls_reason stirmls_tree_check_unmerged(const stirmls_ratchet_tree *t, stirmls_detail *d)
{
    for (size_t x = 1; x < t->n_nodes; x += 2) {
        const stirmls_node *n = &t->nodes[x];
        if (n->type != STIRMLS_NODE_PARENT)
            continue;
        for (size_t i = 0; i < n->parent.unmerged_leaves.len / 4; i++) {
            uint32_t u = u32_at(n->parent.unmerged_leaves, i);
            size_t leaf = 2 * (size_t)u;
            for (size_t j = 0; j < i; j++)
                if (u32_at(n->parent.unmerged_leaves, j) == u)
                    return stirmls_fail(d, STIRMLS_R_MLS_UNMERGED_LEAF,
                                        "parent node %zu lists leaf %u twice", x, u);
            if (leaf >= t->n_nodes || !covers(x, leaf) || t->nodes[leaf].type != STIRMLS_NODE_LEAF)
                return stirmls_fail(d, STIRMLS_R_MLS_UNMERGED_LEAF,
                                    "parent node %zu lists leaf %u as unmerged: %s", x, u,
                                    leaf < t->n_nodes && covers(x, leaf) ? "the leaf is blank"
                                                                         : "not below it");
            /* every non-blank parent between the leaf and this node lists it too */
            for (size_t y = x; y != leaf;) {
                size_t next = covers(stirmls_tree_left(y), leaf) ? stirmls_tree_left(y)
                                                                 : stirmls_tree_right(y);
                if (next != leaf && t->nodes[next].type == STIRMLS_NODE_PARENT &&
                    !excluded(t->nodes[next].parent.unmerged_leaves, u))
                    return stirmls_fail(d, STIRMLS_R_MLS_UNMERGED_LEAF,
                                        "leaf %u is unmerged at node %zu but not at node %zu", u,
                                        x, next);
                y = next;
            }
        }
    }
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_tree_check_leaf_signatures(const stirmls_ratchet_tree *t,
                                                  stirmls_slice group_id, stirmls_detail *d)
{
    for (size_t x = 0; x < t->n_nodes; x += 2) {
        const stirmls_node *n = &t->nodes[x];
        if (n->type != STIRMLS_NODE_LEAF)
            continue;
        stirmls_leaf_context ctx = {n->leaf.source, group_id, (uint32_t)(x / 2), {NULL, 0}};
        stirmls_reason rc = stirmls_leafnode_check_signature(&n->leaf, &ctx, d);
        if (rc != STIRMLS_R_OK) {
            if (d)
                snprintf(d->text + strlen(d->text), sizeof d->text - strlen(d->text),
                         " (leaf %zu)", x / 2);
            return rc;
        }
    }
    return STIRMLS_R_OK;
}

/* tree_ops.c: applying an Add, Update or Remove proposal to a ratchet tree (RFC 9420 §12.1.1-3). */
#include <stdlib.h>
#include <string.h>
#include "mls_internal.h"

/* A block of bytes the tree owns (new unmerged_leaves lists). */
typedef struct owned_block {
    struct owned_block *next;
    uint8_t data[];
} owned_block;

void stirmls_grp_tree_free_owned(stirmls_ratchet_tree *t)
{
    owned_block *b = t->owned;
    while (b != NULL) {
        owned_block *n = b->next;
        free(b);
        b = n;
    }
    t->owned = NULL;
}

static void blank_direct_path(stirmls_ratchet_tree *t, size_t leaf)
{
    size_t root = stirmls_tree_root(t);
    for (size_t x = leaf; x != root;) {
        x = stirmls_grp_tree_parent(x);
        memset(&t->nodes[x], 0, sizeof t->nodes[x]);
    }
}

static void update_n_wire(stirmls_ratchet_tree *t)
{
    size_t n = t->n_nodes;
    while (n > 0 && t->nodes[n - 1].type == STIRMLS_NODE_BLANK)
        n--;
    t->n_wire = n;
}

static stirmls_reason append_unmerged(stirmls_ratchet_tree *t, size_t x, uint32_t leaf)
{
    stirmls_slice old = t->nodes[x].parent.unmerged_leaves;
    owned_block *b = malloc(sizeof *b + old.len + 4);
    if (b == NULL)
        return STIRMLS_R_INTERNAL;
    if (old.len)
        memcpy(b->data, old.ptr, old.len);
    b->data[old.len] = (uint8_t)(leaf >> 24), b->data[old.len + 1] = (uint8_t)(leaf >> 16);
    b->data[old.len + 2] = (uint8_t)(leaf >> 8), b->data[old.len + 3] = (uint8_t)leaf;
    b->next = t->owned;
    t->owned = b;
    t->nodes[x].parent.unmerged_leaves.ptr = b->data;
    t->nodes[x].parent.unmerged_leaves.len = old.len + 4;
    return STIRMLS_R_OK;
}

static stirmls_reason add(stirmls_ratchet_tree *t, const stirmls_leafnode *ln, stirmls_detail *d)
{
    size_t leaf = 0;
    while (leaf < t->n_nodes && t->nodes[leaf].type != STIRMLS_NODE_BLANK)
        leaf += 2;
    if (leaf >= t->n_nodes) { /* no blank leaf: the tree doubles to the right */
        size_t width = 2 * t->n_nodes + 1;
        stirmls_node *n = realloc(t->nodes, width * sizeof *n);
        if (n == NULL)
            return stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
        memset(n + t->n_nodes, 0, (width - t->n_nodes) * sizeof *n);
        t->nodes = n;
        t->n_nodes = width;
    }
    size_t root = stirmls_tree_root(t);
    for (size_t x = leaf; x != root;) {
        x = stirmls_grp_tree_parent(x);
        if (t->nodes[x].type == STIRMLS_NODE_PARENT &&
            append_unmerged(t, x, (uint32_t)(leaf / 2)) != STIRMLS_R_OK)
            return stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
    }
    t->nodes[leaf].type = STIRMLS_NODE_LEAF;
    t->nodes[leaf].leaf = *ln;
    return STIRMLS_R_OK;
}

/* Remove the right half while it holds no leaf (§12.1.3 truncation). */
static void truncate_tree(stirmls_ratchet_tree *t)
{
    while (t->n_nodes > 1) {
        size_t half = t->n_nodes / 2, any = 0;
        for (size_t x = half + 1; x < t->n_nodes; x += 2)
            any |= t->nodes[x].type == STIRMLS_NODE_LEAF;
        if (any)
            break;
        t->n_nodes = half;
    }
}

stirmls_reason stirmls_tree_apply(stirmls_ratchet_tree *t, const struct stirmls_proposal *p,
                                  uint32_t sender, stirmls_detail *d)
{
    size_t x;
    switch (p->type) {
    case STIRMLS_PROPOSAL_ADD: {
        stirmls_reason rc = add(t, &p->add.leaf, d);
        if (rc == STIRMLS_R_OK)
            update_n_wire(t);
        return rc;
    }
    case STIRMLS_PROPOSAL_UPDATE:
    case STIRMLS_PROPOSAL_REMOVE:
        x = 2 * (size_t)(p->type == STIRMLS_PROPOSAL_UPDATE ? sender : p->removed);
        if (x >= t->n_nodes || t->nodes[x].type != STIRMLS_NODE_LEAF)
            return stirmls_fail(d, STIRMLS_R_USAGE, "leaf %zu is not a member", x / 2);
        blank_direct_path(t, x);
        if (p->type == STIRMLS_PROPOSAL_UPDATE) {
            t->nodes[x].leaf = p->update;
        } else {
            memset(&t->nodes[x], 0, sizeof t->nodes[x]);
            truncate_tree(t);
        }
        update_n_wire(t);
        return STIRMLS_R_OK;
    }
    return stirmls_fail(d, STIRMLS_R_UNSUPPORTED, "proposal type %u does not change the tree",
                        p->type);
}

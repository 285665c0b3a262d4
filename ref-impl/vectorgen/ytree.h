/*
 * ytree.h: a loaded YAML file as a tree with source positions, for the scenario compiler.
 * Every accessor that fails reports "FILE:LINE:COL: key 'K': problem" through ytree_error and
 * returns a failure value; the caller stops at the first error and writes nothing.
 */
#ifndef STIRMLS_YTREE_H
#define STIRMLS_YTREE_H

#include <stdint.h>
#include <yaml.h>

typedef struct ytree {
    char *path; /* owned */
    yaml_document_t doc;
    int loaded;
    char error[512]; /* the first error, "file:line:col: ..." */
} ytree;

typedef yaml_node_t ynode;

/* Load one YAML document. 0 and tree->error set on failure. */
int ytree_load(ytree *t, const char *path);
void ytree_cleanup(ytree *t);
ynode *ytree_root(ytree *t);

/* Record an error at a node (first one sticks); returns 0. */
int ytree_error(ytree *t, const ynode *at, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

int ynode_is_map(const ynode *n);
int ynode_is_seq(const ynode *n);
int ynode_is_scalar(const ynode *n);
/* The scalar's text (NUL-terminated) or NULL. */
const char *ynode_str(const ynode *n);

/* Mapping lookup; NULL when absent (not an error by itself). */
ynode *ymap_get(ytree *t, ynode *map, const char *key);
/* Number of items of a sequence / pairs of a mapping. */
size_t yseq_len(const ynode *n);
ynode *yseq_at(ytree *t, ynode *seq, size_t i);
size_t ymap_len(const ynode *n);
/* i-th pair of a mapping: key text and value node. */
const char *ymap_key_at(ytree *t, ynode *map, size_t i, ynode **value, ynode **keynode);

/* Typed getters: required ones report a missing key; all report a wrong type. */
int yget_str(ytree *t, ynode *map, const char *key, int required, const char **out);
int yget_u64(ytree *t, ynode *map, const char *key, int required, uint64_t *out);
int yget_bool(ytree *t, ynode *map, const char *key, int required, int *out);
/* Every key of map must be in the NULL-terminated list (typos are errors, not ignored). */
int ycheck_keys(ytree *t, ynode *map, const char *const *allowed);

#endif

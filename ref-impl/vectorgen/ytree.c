/* ytree.c: libyaml document API with positioned errors (see ytree.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ytree.h"

int ytree_error(ytree *t, const ynode *at, const char *key, const char *fmt, ...)
{
    if (t->error[0])
        return 0;
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned long line = at ? (unsigned long)at->start_mark.line + 1 : 0;
    unsigned long col = at ? (unsigned long)at->start_mark.column + 1 : 0;
    if (key)
        snprintf(t->error, sizeof t->error, "%s:%lu:%lu: key '%s': %s", t->path, line, col, key, msg);
    else
        snprintf(t->error, sizeof t->error, "%s:%lu:%lu: %s", t->path, line, col, msg);
    return 0;
}

int ytree_load(ytree *t, const char *path)
{
    memset(t, 0, sizeof *t);
    t->path = strdup(path);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(t->error, sizeof t->error, "%s: cannot open: %s", path, strerror(errno));
        return 0;
    }
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        fclose(f);
        snprintf(t->error, sizeof t->error, "%s: out of memory", path);
        return 0;
    }
    yaml_parser_set_input_file(&p, f);
    int ok = yaml_parser_load(&p, &t->doc);
    if (!ok) {
        snprintf(t->error, sizeof t->error, "%s:%lu:%lu: YAML error: %s %s", path,
                 (unsigned long)p.problem_mark.line + 1, (unsigned long)p.problem_mark.column + 1,
                 p.problem ? p.problem : "", p.context ? p.context : "");
    } else {
        t->loaded = 1;
        if (yaml_document_get_root_node(&t->doc) == NULL) {
            snprintf(t->error, sizeof t->error, "%s: empty document", path);
            ok = 0;
        }
    }
    yaml_parser_delete(&p);
    fclose(f);
    return ok;
}

void ytree_cleanup(ytree *t)
{
    if (t->loaded)
        yaml_document_delete(&t->doc);
    free(t->path);
    memset(t, 0, sizeof *t);
}

ynode *ytree_root(ytree *t)
{
    return yaml_document_get_root_node(&t->doc);
}

int ynode_is_map(const ynode *n) { return n && n->type == YAML_MAPPING_NODE; }
int ynode_is_seq(const ynode *n) { return n && n->type == YAML_SEQUENCE_NODE; }
int ynode_is_scalar(const ynode *n) { return n && n->type == YAML_SCALAR_NODE; }

const char *ynode_str(const ynode *n)
{
    return ynode_is_scalar(n) ? (const char *)n->data.scalar.value : NULL;
}

size_t ymap_len(const ynode *n)
{
    return ynode_is_map(n) ? (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start) : 0;
}

size_t yseq_len(const ynode *n)
{
    return ynode_is_seq(n) ? (size_t)(n->data.sequence.items.top - n->data.sequence.items.start) : 0;
}

ynode *yseq_at(ytree *t, ynode *seq, size_t i)
{
    if (i >= yseq_len(seq))
        return NULL;
    return yaml_document_get_node(&t->doc, seq->data.sequence.items.start[i]);
}

const char *ymap_key_at(ytree *t, ynode *map, size_t i, ynode **value, ynode **keynode)
{
    if (i >= ymap_len(map))
        return NULL;
    yaml_node_pair_t *pair = &map->data.mapping.pairs.start[i];
    ynode *k = yaml_document_get_node(&t->doc, pair->key);
    if (value)
        *value = yaml_document_get_node(&t->doc, pair->value);
    if (keynode)
        *keynode = k;
    return ynode_str(k);
}

ynode *ymap_get(ytree *t, ynode *map, const char *key)
{
    for (size_t i = 0; i < ymap_len(map); i++) {
        ynode *v;
        const char *k = ymap_key_at(t, map, i, &v, NULL);
        if (k && strcmp(k, key) == 0)
            return v;
    }
    return NULL;
}

int yget_str(ytree *t, ynode *map, const char *key, int required, const char **out)
{
    ynode *v = ymap_get(t, map, key);
    if (v == NULL)
        return required ? ytree_error(t, map, key, "required key is missing") : 1;
    if (!ynode_is_scalar(v))
        return ytree_error(t, v, key, "expected a string");
    *out = ynode_str(v);
    return 1;
}

int yget_u64(ytree *t, ynode *map, const char *key, int required, uint64_t *out)
{
    const char *s = NULL;
    if (!yget_str(t, map, key, required, &s))
        return 0;
    if (s == NULL)
        return 1;
    ynode *v = ymap_get(t, map, key);
    if (*s < '0' || *s > '9')
        return ytree_error(t, v, key, "expected a non-negative integer, got '%s'", s);
    uint64_t n = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || n > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
            return ytree_error(t, v, key, "expected a non-negative integer, got '%s'", s);
        n = n * 10 + (uint64_t)(*p - '0');
    }
    *out = n;
    return 1;
}

int yget_bool(ytree *t, ynode *map, const char *key, int required, int *out)
{
    const char *s = NULL;
    if (!yget_str(t, map, key, required, &s))
        return 0;
    if (s == NULL)
        return 1;
    if (strcmp(s, "true") == 0)
        *out = 1;
    else if (strcmp(s, "false") == 0)
        *out = 0;
    else
        return ytree_error(t, ymap_get(t, map, key), key, "expected true or false, got '%s'", s);
    return 1;
}

int ycheck_keys(ytree *t, ynode *map, const char *const *allowed)
{
    if (!ynode_is_map(map))
        return ytree_error(t, map, NULL, "expected a mapping");
    for (size_t i = 0; i < ymap_len(map); i++) {
        ynode *k;
        const char *key = ymap_key_at(t, map, i, NULL, &k);
        int ok = 0;
        for (size_t j = 0; key && allowed[j]; j++)
            ok |= strcmp(key, allowed[j]) == 0;
        if (!ok)
            return ytree_error(t, k, key ? key : "?", "unknown key (allowed: see docs/scenarios.md)");
        for (size_t j = 0; j < i; j++)
            if (strcmp(ymap_key_at(t, map, j, NULL, NULL), key) == 0)
                return ytree_error(t, k, key, "duplicate key");
    }
    return 1;
}

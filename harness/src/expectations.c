/*
 * expectations.c: the per-implementation expectation file (YAML, see harness/README.md):
 *   skip:   [{case: GLOB, reason: TEXT}]                      not run
 *   xfail:  [{case: GLOB, reason: TEXT, expect_reason: NAME}]  runs, must not pass
 *   policy: {FLAG: accept|reject}                              how each "either" flag is scored
 * Unknown keys and a top-level key given twice are errors, so a typo cannot silently disable an
 * expectation.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct {
    yaml_document_t *doc;
    const char *path;
    char **err;
} ctx;

static const char *scalar(ctx *c, yaml_node_t *n)
{
    (void)c;
    return (n && n->type == YAML_SCALAR_NODE) ? (const char *)n->data.scalar.value : NULL;
}

static int fail(ctx *c, yaml_node_t *n, const char *what)
{
    *c->err = hx_printf("%s:%lu: %s", c->path, n ? (unsigned long)n->start_mark.line + 1 : 0UL, what);
    return -1;
}

static int load_entries(ctx *c, yaml_node_t *seq, bool xfail, hx_exp_entry **out, size_t *count)
{
    if (seq->type != YAML_SEQUENCE_NODE)
        return fail(c, seq, xfail ? "xfail must be a list" : "skip must be a list");
    size_t n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    *out = calloc(n + 1, sizeof **out);
    for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
        yaml_node_t *m = yaml_document_get_node(c->doc, *it);
        if (!m || m->type != YAML_MAPPING_NODE)
            return fail(c, m, "each entry must be a mapping with case and reason");
        hx_exp_entry *e = &(*out)[(*count)++];
        for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
            const char *k = scalar(c, yaml_document_get_node(c->doc, p->key));
            yaml_node_t *vn = yaml_document_get_node(c->doc, p->value);
            const char *v = scalar(c, vn);
            if (!k || !v)
                return fail(c, vn, "entry keys and values must be scalars");
            char **slot = strcmp(k, "case") == 0     ? &e->pattern
                          : strcmp(k, "reason") == 0 ? &e->reason
                          : (xfail && strcmp(k, "expect_reason") == 0) ? &e->expect_reason
                                                                       : NULL;
            if (!slot)
                return fail(c, vn, "unknown key in entry (case, reason, expect_reason)");
            free(*slot);
            *slot = hx_strdup(v);
        }
        if (!e->pattern || !e->reason || !e->reason[0])
            return fail(c, m, "each entry needs case and a non-empty reason");
    }
    return 0;
}

static int load_policy(ctx *c, yaml_node_t *m, json_t *policy)
{
    if (m->type != YAML_MAPPING_NODE)
        return fail(c, m, "policy must be a mapping FLAG: accept|reject");
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        const char *k = scalar(c, yaml_document_get_node(c->doc, p->key));
        yaml_node_t *vn = yaml_document_get_node(c->doc, p->value);
        const char *v = scalar(c, vn);
        if (!k || !v || (strcmp(v, "accept") && strcmp(v, "reject")))
            return fail(c, vn, "policy values must be accept or reject");
        json_object_set_new(policy, k, json_string(v));
    }
    return 0;
}

static int load_root(ctx *c, hx_expectations *e)
{
    yaml_node_t *root = yaml_document_get_root_node(c->doc);
    if (!root)
        return 0; /* an empty file expects nothing special */
    if (root->type != YAML_MAPPING_NODE)
        return fail(c, root, "top level must be a mapping (skip, xfail, policy)");
    static const char *const keys[] = {"skip", "xfail", "policy", "implementation"};
    bool seen[4] = {false, false, false, false};
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        const char *k = scalar(c, yaml_document_get_node(c->doc, p->key));
        yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
        int rc;
        /* a key given twice would overwrite (and leak) the first list, or extend past it */
        for (size_t i = 0; k && i < 4; i++)
            if (strcmp(k, keys[i]) == 0 && seen[i])
                return fail(c, v, "top-level key given twice");
            else if (strcmp(k, keys[i]) == 0)
                seen[i] = true;
        if (k && strcmp(k, "skip") == 0)
            rc = load_entries(c, v, false, &e->skip, &e->nskip);
        else if (k && strcmp(k, "xfail") == 0)
            rc = load_entries(c, v, true, &e->xfail, &e->nxfail);
        else if (k && strcmp(k, "policy") == 0)
            rc = load_policy(c, v, e->policy);
        else if (k && strcmp(k, "implementation") == 0)
            rc = 0; /* informative */
        else
            rc = fail(c, v, "unknown top-level key (skip, xfail, policy, implementation)");
        if (rc != 0)
            return rc;
    }
    return 0;
}

int hx_expectations_load(hx_expectations *e, const char *impl, const char *path, char **err)
{
    memset(e, 0, sizeof *e);
    e->impl = hx_strdup(impl);
    e->policy = json_object();
    if (!path)
        return 0;
    e->path = hx_strdup(path);
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = hx_printf("%s: cannot open the expectations file", path);
        return -1;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    int rc = -1;
    if (!yaml_parser_load(&parser, &doc)) {
        *err = hx_printf("%s:%lu: %s", path, (unsigned long)parser.problem_mark.line + 1,
                         parser.problem ? parser.problem : "YAML error");
    } else {
        ctx c = {.doc = &doc, .path = path, .err = err};
        rc = load_root(&c, e);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    fclose(f);
    return rc;
}

static void free_entries(hx_exp_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].pattern);
        free(v[i].reason);
        free(v[i].expect_reason);
    }
    free(v);
}

void hx_expectations_cleanup(hx_expectations *e)
{
    free_entries(e->skip, e->nskip);
    free_entries(e->xfail, e->nxfail);
    json_decref(e->policy);
    free(e->impl);
    free(e->path);
    memset(e, 0, sizeof *e);
}

static hx_exp_entry *find(hx_exp_entry *v, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (hx_glob_match(v[i].pattern, id))
            return &v[i];
    return NULL;
}

hx_exp_entry *hx_expectations_skip(hx_expectations *e, const char *case_id)
{
    return e ? find(e->skip, e->nskip, case_id) : NULL;
}

hx_exp_entry *hx_expectations_xfail(hx_expectations *e, const char *case_id)
{
    return e ? find(e->xfail, e->nxfail, case_id) : NULL;
}

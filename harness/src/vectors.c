/*
 * vectors.c: loads the suite, one JSON file per family (docs/vectors.md, "stirmls-vectors/1"),
 * checks the shape the runner relies on, and hashes the files (the report's suite hash).
 */
#include "harness.h"

#include <dirent.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#define HX_VECTOR_FILE_MAX (64u * 1024u * 1024u)

static const char *const kinds[] = {"cert_chain", "passport", "credential", "key_package"};

static bool known_kind(const char *k)
{
    for (size_t i = 0; k && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(k, kinds[i]) == 0)
            return true;
    return false;
}

static int json_file_filter(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

static int check_case(hx_case *c, json_t *cj, const char *family, const char *file, char **err)
{
    c->json = cj;
    c->file = family;
    c->id = json_string_value(json_object_get(cj, "id"));
    if (!c->id || strncmp(c->id, family, strlen(family)) != 0 || c->id[strlen(family)] != '/') {
        *err = hx_printf("%s: a case id is missing or does not start with \"%s/\"", file, family);
        return -1;
    }
    c->op = json_string_value(json_object_get(cj, "op"));
    if (!c->op)
        c->op = "verify";
    c->kind = json_string_value(json_object_get(cj, "kind"));
    json_t *exp = json_object_get(cj, "expect");
    if (c->op && strcmp(c->op, "generate") == 0) /* what each verifier of the artefact must say */
        exp = json_object_get(json_object_get(cj, "check"), "expect");
    c->expect_verdict = json_string_value(json_object_get(exp, "verdict"));
    c->expect_reason = json_string_value(json_object_get(exp, "reason"));
    c->expect_flag = json_string_value(json_object_get(exp, "flag"));
    if (strcmp(c->op, "verify") == 0) {
        if (!known_kind(c->kind) || !json_is_object(json_object_get(cj, "input")) ||
            !json_is_integer(json_object_get(cj, "at"))) {
            *err = hx_printf("%s: case %s needs a known kind, an integer at and an input object",
                             file, c->id);
            return -1;
        }
        bool ok = c->expect_verdict &&
                  (strcmp(c->expect_verdict, "accept") == 0 ||
                   (strcmp(c->expect_verdict, "reject") == 0 && c->expect_reason) ||
                   (strcmp(c->expect_verdict, "either") == 0 && c->expect_flag));
        if (!ok) {
            *err = hx_printf("%s: case %s: expect must be accept, reject with a reason, or either "
                             "with a flag", file, c->id);
            return -1;
        }
    } else if (strcmp(c->op, "generate") != 0) {
        *err = hx_printf("%s: case %s: unknown op", file, c->id);
        return -1;
    }
    return 0;
}

static int load_family(hx_suite *s, const char *path, const char *name, EVP_MD_CTX *md, char **err)
{
    size_t len = 0;
    char *text = hx_read_file(path, HX_VECTOR_FILE_MAX, &len);
    if (!text) {
        *err = hx_printf("%s: cannot read", path);
        return -1;
    }
    EVP_DigestUpdate(md, name, strlen(name) + 1); /* file name with its NUL, then the bytes */
    EVP_DigestUpdate(md, text, len);
    json_error_t jerr;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    free(text);
    if (!doc) {
        *err = hx_printf("%s:%d: %s", path, jerr.line, jerr.text);
        return -1;
    }
    json_array_append_new(s->families, doc);
    const char *schema = json_string_value(json_object_get(doc, "schema"));
    const char *family = json_string_value(json_object_get(doc, "family"));
    json_t *cases = json_object_get(doc, "cases");
    if (!schema || strcmp(schema, HX_VECTORS_SCHEMA) != 0 || !family || !json_is_array(cases)) {
        *err = hx_printf("%s: not a %s file (schema, family, cases)", path, HX_VECTORS_SCHEMA);
        return -1;
    }
    s->cases = realloc(s->cases, (s->ncases + json_array_size(cases) + 1) * sizeof *s->cases);
    size_t i;
    json_t *cj;
    json_array_foreach(cases, i, cj) {
        hx_case *c = &s->cases[s->ncases];
        memset(c, 0, sizeof *c);
        if (check_case(c, cj, family, path, err) != 0)
            return -1;
        if (hx_suite_find(s, c->id)) {
            *err = hx_printf("%s: duplicate case id %s", path, c->id);
            return -1;
        }
        s->ncases++;
    }
    return 0;
}

int hx_suite_load(hx_suite *s, const char *dir, char **err)
{
    memset(s, 0, sizeof *s);
    s->families = json_array();
    s->dir = hx_strdup(dir);
    struct dirent **names = NULL;
    int n = scandir(dir, &names, json_file_filter, alphasort);
    if (n < 0) {
        *err = hx_printf("%s: cannot read the vectors directory", dir);
        return -1;
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char *path = hx_path_join(dir, names[i]->d_name);
        if (rc == 0)
            rc = load_family(s, path, names[i]->d_name, md, err);
        free(path);
        free(names[i]);
    }
    free(names);
    unsigned char h[32];
    unsigned int hl = 0;
    EVP_DigestFinal_ex(md, h, &hl);
    EVP_MD_CTX_free(md);
    s->hash = malloc(65);
    for (unsigned i = 0; i < 32; i++)
        sprintf(s->hash + 2 * i, "%02x", h[i]);
    if (rc == 0 && n == 0) {
        *err = hx_printf("%s: no *.json vector files", dir);
        rc = -1;
    }
    return rc;
}

void hx_suite_cleanup(hx_suite *s)
{
    json_decref(s->families);
    free(s->cases);
    free(s->hash);
    free(s->dir);
    memset(s, 0, sizeof *s);
}

const hx_case *hx_suite_find(const hx_suite *s, const char *id)
{
    for (size_t i = 0; i < s->ncases; i++)
        if (strcmp(s->cases[i].id, id) == 0)
            return &s->cases[i];
    return NULL;
}

/*
 * vectors.c: loads the suite, one JSON file per family (docs/vectors.md, "stirmls-vectors/1"),
 * checks the shape the runner relies on, and hashes the files (the report's suite hash). Each
 * case is parsed alone and written to a spool file three ways (the case, the verify params as a
 * request carries them, the report's view); memory keeps only the fields the runner scores with.
 */
#include "harness.h"

#include <dirent.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define HX_VECTOR_FILE_MAX (64u * 1024u * 1024u)

static const char *const kinds[] = {"cert_chain", "passport", "credential", "key_package", "group_info",
                                    "group_message"};

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

/* The fields the runner needs, owned copies; the case's JSON is not kept. */
static int check_case(hx_case *c, json_t *cj, const char *family, const char *file, char **err)
{
    const char *id = json_string_value(json_object_get(cj, "id"));
    if (!id || strncmp(id, family, strlen(family)) != 0 || id[strlen(family)] != '/') {
        *err = hx_printf("%s: a case id is missing or does not start with \"%s/\"", file, family);
        return -1;
    }
    c->id = hx_strdup(id);
    c->file = hx_strdup(family);
    const char *op = json_string_value(json_object_get(cj, "op"));
    c->op = hx_strdup(op ? op : "verify");
    const char *kind = json_string_value(json_object_get(cj, "kind"));
    c->kind = kind ? hx_strdup(kind) : NULL;
    json_t *exp = json_object_get(cj, "expect");
    if (strcmp(c->op, "generate") == 0) /* what each verifier of the artefact must say */
        exp = json_object_get(json_object_get(cj, "check"), "expect");
    const char *v = json_string_value(json_object_get(exp, "verdict"));
    const char *r = json_string_value(json_object_get(exp, "reason"));
    const char *f = json_string_value(json_object_get(exp, "flag"));
    c->expect_verdict = v ? hx_strdup(v) : NULL;
    c->expect_reason = r ? hx_strdup(r) : NULL;
    c->expect_flag = f ? hx_strdup(f) : NULL;
    json_t *outcome = json_object();
    const char *k;
    json_t *m;
    json_object_foreach(exp, k, m)
        if (strcmp(k, "verdict") && strcmp(k, "reason") && strcmp(k, "flag") && strcmp(k, "accept_when"))
            json_object_set(outcome, k, m);
    c->expect_outcome = json_object_size(outcome) ? json_dumps(outcome, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII) : NULL;
    json_decref(outcome);
    size_t i, len = 0;
    json_t *t;
    json_array_foreach(json_object_get(cj, "tags"), i, t) /* one allocation for them all */
        len += json_is_string(t) ? strlen(json_string_value(t)) + 1 : 0;
    c->tags = len ? malloc(len) : NULL;
    len = 0;
    json_array_foreach(json_object_get(cj, "tags"), i, t) {
        if (!json_is_string(t) || !c->tags)
            continue;
        size_t n = strlen(json_string_value(t)) + 1;
        memcpy(c->tags + len, json_string_value(t), n);
        len += n;
        c->ntags++;
    }
    if (strcmp(c->op, "verify") == 0) {
        if (!known_kind(c->kind) || !json_is_object(json_object_get(cj, "input")) ||
            !json_is_integer(json_object_get(cj, "at"))) {
            *err = hx_printf("%s: case %s needs a known kind, an integer at and an input object",
                             file, c->id);
            return -1;
        }
        bool ok = v && (strcmp(v, "accept") == 0 || (strcmp(v, "reject") == 0 && r) ||
                        (strcmp(v, "either") == 0 && f));
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

static void free_case(hx_case *c)
{
    free((char *)c->id);
    free((char *)c->op);
    free((char *)c->kind);
    free((char *)c->file);
    free((char *)c->expect_verdict);
    free((char *)c->expect_reason);
    free((char *)c->expect_flag);
    free((char *)c->expect_outcome);
    free(c->tags);
    memset(c, 0, sizeof *c);
}

/* Text appended to the spool; its span. */
static hx_span spool_text(hx_suite *s, const char *t, size_t n)
{
    hx_span sp = {s->spool_len, n};
    if (fwrite(t, 1, n, s->spool) != n)
        sp.len = 0;
    s->spool_len += n;
    return sp;
}

/* v written to the spool (flags as hx_jw_dumps); its span. */
static hx_span spool(hx_suite *s, const json_t *v, int flags)
{
    size_t n = 0;
    char *t = hx_jw_dumps(v, flags, &n);
    hx_span sp = spool_text(s, t, n);
    free(t);
    return sp;
}

/* The verify params a request carries (worker.c adds x5u_fetch with --x5u-serve). */
static json_t *verify_params(const hx_case *c, json_t *cj)
{
    json_t *p = json_object();
    json_object_set_new(p, "case", json_string(c->id));
    json_object_set_new(p, "kind", json_string(c->kind));
    json_object_set(p, "at", json_object_get(cj, "at"));
    json_t *ta = json_object_get(cj, "trust_anchors");
    json_object_set_new(p, "trust_anchors", ta ? json_incref(ta) : json_array());
    json_object_set(p, "input", json_object_get(cj, "input"));
    json_t *pol = json_object_get(cj, "policy");
    json_object_set_new(p, "policy", pol ? json_incref(pol) : json_object());
    return p;
}

/* The case as report.json's "cases" shows it. */
static json_t *case_view(const hx_case *c, json_t *cj)
{
    static const char *const keep[] = {"why", "spec", "tags", "importance", "kind", "expect",
                                       "artifacts", "at"};
    json_t *v = json_pack("{s:s,s:s,s:s}", "id", c->id, "op", c->op, "family", c->file);
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
        json_t *x = json_object_get(cj, keep[i]);
        if (x)
            json_object_set(v, keep[i], x);
    }
    return v;
}

/* raw: the case's JSON text as the file holds it (NULL: write it from cj) */
static int add_case(hx_suite *s, json_t *cj, const char *raw, size_t rawlen, const char *family,
                    const char *file, json_t *ids, char **err)
{
    s->cases = realloc(s->cases, (s->ncases + 1) * sizeof *s->cases);
    if (!s->cases)
        abort();
    hx_case *c = &s->cases[s->ncases];
    memset(c, 0, sizeof *c);
    if (check_case(c, cj, family, file, err) != 0) {
        free_case(c);
        return -1;
    }
    if (json_object_get(ids, c->id)) {
        *err = hx_printf("%s: duplicate case id %s", file, c->id);
        free_case(c);
        return -1;
    }
    json_object_set_new(ids, c->id, json_null());
    c->text = raw ? spool_text(s, raw, rawlen) : spool(s, cj, 0);
    if (strcmp(c->op, "verify") == 0) {
        json_t *p = verify_params(c, cj);
        c->params = spool(s, p, HX_JW_ASCII);
        json_decref(p);
    }
    json_t *v = case_view(c, cj);
    c->view = spool(s, v, 0);
    json_decref(v);
    s->ncases++;
    return 0;
}

static int bad_family(const char *path, char **err)
{
    *err = hx_printf("%s: not a %s file (schema, family, cases)", path, HX_VECTORS_SCHEMA);
    return -1;
}

/* The whole file parsed at once: jansson's error message, or a shape the scan below declined. */
static int load_whole(hx_suite *s, const char *text, size_t len, const char *path, json_t *ids,
                      char **err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        *err = hx_printf("%s:%d: %s", path, jerr.line, jerr.text);
        return -1;
    }
    const char *schema = json_string_value(json_object_get(doc, "schema"));
    const char *family = json_string_value(json_object_get(doc, "family"));
    json_t *cases = json_object_get(doc, "cases");
    int rc = 0;
    if (!schema || strcmp(schema, HX_VECTORS_SCHEMA) != 0 || !family || !json_is_array(cases))
        rc = bad_family(path, err);
    size_t i;
    json_t *cj;
    json_array_foreach(cases, i, cj) {
        if (rc == 0)
            rc = add_case(s, cj, NULL, 0, family, path, ids, err);
    }
    json_decref(doc);
    return rc;
}

/* A vector file mapped read-only; pages already read are dropped as loading moves on, so at
 * most a window of the file is resident however large it is. */
typedef struct {
    const char *text;
    size_t len, dropped; /* pages before dropped are released */
} family_map;

#define HX_DROP_WINDOW (256u * 1024u)

static void drop_before(family_map *m, const char *p, bool now)
{
    if (m->len == 0)
        return;
    size_t page = (size_t)sysconf(_SC_PAGESIZE), off = (size_t)(p - m->text) / page * page;
    if (off > m->dropped && (now || off - m->dropped >= HX_DROP_WINDOW)) {
        madvise((void *)(m->text + m->dropped), off - m->dropped, MADV_DONTNEED);
        m->dropped = off;
    }
}

static void drop_all(family_map *m)
{
    if (m->len)
        madvise((void *)m->text, m->len, MADV_DONTNEED);
    m->dropped = 0;
}

/* The family's members split without parsing the cases array as a whole (its elements skipped
 * one by one, dropping pages): 1 when the text is not a plain object with distinct keys
 * (load_whole then decides). */
static int split_family(family_map *fm, json_t **schema, json_t **family, const char **cases,
                        size_t *cases_len)
{
    const char *text = fm->text;
    size_t len = fm->len, i = hx_json_ws(text, len, 0), nk = 0;
    const char *keys[16];
    size_t klens[16];
    if (i >= len || text[i] != '{')
        return 1;
    for (i = hx_json_ws(text, len, i + 1);;) {
        size_t ke = i < len && text[i] == '"' ? hx_json_skip(text, len, i) : 0;
        if (!ke || nk == 16 || memchr(text + i, '\\', ke - i))
            return 1;
        keys[nk] = text + i + 1;
        klens[nk] = ke - i - 2;
        for (size_t j = 0; j < nk; j++)
            if (klens[j] == klens[nk] && memcmp(keys[j], keys[nk], klens[nk]) == 0)
                return 1;
        hx_member m = {.key = keys[nk], .klen = klens[nk]};
        nk++;
        i = hx_json_ws(text, len, ke);
        if (i >= len || text[i] != ':')
            return 1;
        i = hx_json_ws(text, len, i + 1);
        size_t ve;
        if (hx_member_is(&m, "cases") && i < len && text[i] == '[') {
            size_t j = hx_json_ws(text, len, i + 1);
            while (j < len && text[j] != ']') {
                size_t e = hx_json_skip(text, len, j);
                if (!e)
                    return 1;
                drop_before(fm, text + e, false);
                j = hx_json_ws(text, len, e);
                if (j < len && text[j] == ',')
                    j = hx_json_ws(text, len, j + 1);
                else if (j >= len || text[j] != ']')
                    return 1;
            }
            if (j >= len)
                return 1;
            ve = j + 1;
            *cases = text + i;
            *cases_len = ve - i;
        } else {
            ve = hx_json_skip(text, len, i);
            json_t *x = ve ? json_loadb(text + i, ve - i, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL) : NULL;
            if (!x)
                return 1;
            if (hx_member_is(&m, "schema") && !*schema)
                *schema = x;
            else if (hx_member_is(&m, "family") && !*family)
                *family = x;
            else
                json_decref(x);
        }
        i = hx_json_ws(text, len, ve);
        if (i < len && text[i] == ',') {
            i = hx_json_ws(text, len, i + 1);
            continue;
        }
        if (i < len && text[i] == '}' && hx_json_ws(text, len, i + 1) == len)
            return 0;
        return 1;
    }
}

/* The file mapped (len 0: an empty file); -1 when it cannot be read or is too large. */
static int map_family(const char *path, family_map *m)
{
    memset(m, 0, sizeof *m);
    m->text = "";
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > HX_VECTOR_FILE_MAX) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (st.st_size > 0) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            close(fd);
            return -1;
        }
        m->text = p;
        m->len = (size_t)st.st_size;
    }
    close(fd);
    return 0;
}

/* One case at a time: each element of the cases array parsed alone (its memory freed before the
 * next), so loading holds the file's text and one case. */
static int load_family(hx_suite *s, const char *path, const char *name, EVP_MD_CTX *md, json_t *ids,
                       char **err)
{
    family_map fm;
    if (map_family(path, &fm) != 0) {
        *err = hx_printf("%s: cannot read", path);
        return -1;
    }
    const char *text = fm.text;
    size_t len = fm.len;
    EVP_DigestUpdate(md, name, strlen(name) + 1); /* file name with its NUL, then the bytes */
    for (size_t off = 0; off < len; off += HX_DROP_WINDOW) {
        size_t n = len - off < HX_DROP_WINDOW ? len - off : HX_DROP_WINDOW;
        EVP_DigestUpdate(md, text + off, n);
        drop_before(&fm, text + off + n, true);
    }
    drop_all(&fm);
    json_t *schema = NULL, *family = NULL;
    const char *cases = NULL;
    size_t clen = 0, ncases0 = s->ncases;
    int rc = split_family(&fm, &schema, &family, &cases, &clen);
    drop_all(&fm);
    const char *fam = json_string_value(family), *sch = json_string_value(schema);
    if (rc == 0 && (!sch || strcmp(sch, HX_VECTORS_SCHEMA) != 0 || !fam || !cases || cases[0] != '['))
        rc = 1;
    size_t i = cases ? hx_json_ws(cases, clen, 1) : 0;
    bool first = true;
    while (rc == 0 && i < clen && !(first && cases[i] == ']')) {
        size_t e = 0; /* the parser stops after the case and says where */
        json_t *cj = hx_json_read(cases + i, clen - i, &e);
        if (!cj) {
            json_error_t jerr;
            cj = json_loadb(cases + i, clen - i, JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK, &jerr);
            e = cj ? (size_t)jerr.position : 0;
        }
        e = cj ? i + e : 0;
        if (!cj || e <= i || e > clen || cases[e - 1] != '}') {
            json_decref(cj);
            rc = 1;
            break;
        }
        rc = add_case(s, cj, cases + i, e - i, fam, path, ids, err);
        json_decref(cj);
        drop_before(&fm, cases + e, false);
        i = hx_json_ws(cases, clen, e);
        first = false;
        if (rc == 0 && i < clen && cases[i] == ',')
            i = hx_json_ws(cases, clen, i + 1);
        else if (rc == 0 && !(i < clen && cases[i] == ']'))
            rc = 1;
        else
            break;
    }
    if (rc == 1) { /* start the family again from the whole text */
        while (s->ncases > ncases0) {
            json_object_del(ids, s->cases[s->ncases - 1].id);
            free_case(&s->cases[--s->ncases]);
        }
        rc = load_whole(s, text, len, path, ids, err);
    }
    json_decref(schema);
    json_decref(family);
    if (fm.len)
        munmap((void *)fm.text, fm.len);
    return rc;
}

int hx_suite_load(hx_suite *s, const char *dir, char **err)
{
    memset(s, 0, sizeof *s);
    s->dir = hx_strdup(dir);
    s->spool = tmpfile();
    if (!s->spool) {
        *err = hx_printf("cannot create a temporary file for the suite");
        return -1;
    }
    struct dirent **names = NULL;
    int n = scandir(dir, &names, json_file_filter, alphasort);
    if (n < 0) {
        *err = hx_printf("%s: cannot read the vectors directory", dir);
        return -1;
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    json_t *ids = json_object();
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char *path = hx_path_join(dir, names[i]->d_name);
        if (rc == 0)
            rc = load_family(s, path, names[i]->d_name, md, ids, err);
        free(path);
        free(names[i]);
    }
    free(names);
    json_decref(ids);
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
    if (fflush(s->spool) != 0 && rc == 0) {
        *err = hx_printf("cannot write the suite's temporary file");
        rc = -1;
    }
    return rc;
}

void hx_suite_cleanup(hx_suite *s)
{
    for (size_t i = 0; i < s->ncases; i++)
        free_case(&s->cases[i]);
    free(s->cases);
    free(s->hash);
    free(s->dir);
    if (s->spool)
        fclose(s->spool);
    memset(s, 0, sizeof *s);
}

char *hx_suite_text(const hx_suite *s, hx_span sp, size_t *len)
{
    json_t *ref = json_pack("[I,I]", (json_int_t)sp.off, (json_int_t)sp.len);
    char *t = hx_journal_line(fileno(s->spool), ref, len);
    json_decref(ref);
    return t;
}

json_t *hx_suite_case_json(const hx_suite *s, const hx_case *c)
{
    size_t n = 0;
    char *t = hx_suite_text(s, c->text, &n);
    json_t *cj = json_loadb(t, n, 0, NULL);
    free(t);
    return cj ? cj : json_object();
}

const hx_case *hx_suite_find(const hx_suite *s, const char *id)
{
    for (size_t i = 0; i < s->ncases; i++)
        if (strcmp(s->cases[i].id, id) == 0)
            return &s->cases[i];
    return NULL;
}

bool hx_suite_has_tag(const hx_suite *s, const char *tag)
{
    for (size_t i = 0; i < s->ncases; i++) {
        const char *t = s->cases[i].tags;
        for (size_t k = 0; k < s->cases[i].ntags; k++, t += strlen(t) + 1)
            if (strcmp(t, tag) == 0)
                return true;
    }
    return false;
}

bool hx_suite_has_flag(const hx_suite *s, const char *flag)
{
    for (size_t i = 0; i < s->ncases; i++)
        if (s->cases[i].expect_flag && strcmp(s->cases[i].expect_flag, flag) == 0)
            return true;
    return false;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct names of a set (object keys), sorted, joined with ", " (owned). */
static char *joined(json_t *set)
{
    size_t n = json_object_size(set), k = 0, len = 1;
    const char **names = calloc(n + 1, sizeof *names), *key;
    json_t *v;
    json_object_foreach(set, key, v) {
        names[k++] = key;
        len += strlen(key) + 2;
    }
    qsort(names, n, sizeof *names, name_cmp);
    char *out = calloc(1, len);
    for (k = 0; k < n; k++) {
        if (k)
            strcat(out, ", ");
        strcat(out, names[k]);
    }
    free(names);
    json_decref(set);
    return out;
}

char *hx_suite_tags(const hx_suite *s)
{
    json_t *set = json_object();
    for (size_t i = 0; i < s->ncases; i++) {
        const char *t = s->cases[i].tags;
        for (size_t k = 0; k < s->cases[i].ntags; k++, t += strlen(t) + 1)
            json_object_set_new(set, t, json_true());
    }
    return joined(set);
}

char *hx_suite_flags(const hx_suite *s)
{
    json_t *set = json_object();
    for (size_t i = 0; i < s->ncases; i++)
        if (s->cases[i].expect_flag)
            json_object_set_new(set, s->cases[i].expect_flag, json_true());
    return joined(set);
}

/*
 * seedgen_files.c: seeds read from the repository ($STIRMLS_ROOT, default "."):
 *   cert          every vectors/<family>/<case>/chain.pem and trust.pem, one chain as DER
 *   der           the DER of the vectors' certificates
 *   tnauthlist    the TNAuthList extension value of every certificate of the vectors, plus
 *                 library-built lists (every entry kind, a range with an extension element)
 *   jcc           JWT claim constraints built by the library (both extensions, every field)
 *   scenario      scenarios/<family>.yaml renamed to family "f"; pki.yaml NUL family (see
 *                 scenario_fuzz.c for the input format)
 *   expectations  harness/expectations/<impl>.yaml and hand-made files
 *   response      protocol response lines (hand-made, in the shapes of docs/protocol.md)
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "seedgen.h"

#define MAX_FILE (1u << 20)

static const char *root(void)
{
    const char *r = getenv("STIRMLS_ROOT");
    return r ? r : ".";
}

/* The whole file, owned, NUL-terminated; NULL when missing. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = malloc(MAX_FILE + 1);
    if (buf == NULL)
        die("out of memory");
    *len = fread(buf, 1, MAX_FILE, f);
    buf[*len] = 0;
    fclose(f);
    return buf;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entries of dir ending with suffix (not starting with '.'); owned array of owned names. */
static size_t list_dir(const char *dir, const char *suffix, char ***out)
{
    DIR *d = opendir(dir);
    size_t n = 0, sl = strlen(suffix);
    char **v = NULL;
    struct dirent *de;
    while (d != NULL && (de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < sl || strcmp(de->d_name + len - sl, suffix) != 0)
            continue;
        char **more = realloc(v, (n + 1) * sizeof *v);
        if (more == NULL || (more[n] = strdup(de->d_name)) == NULL)
            die("out of memory");
        v = more, n++;
    }
    if (d != NULL)
        closedir(d);
    if (n)
        qsort(v, n, sizeof *v, cmp_name);
    *out = v;
    return n;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* fn(text, len) for vectors/<family>/<case>/<name> of every case, in order. */
static void each_vector_file(const char *name, void (*fn)(const char *, size_t))
{
    char dir[4200], path[4400];
    char **fams, **cases;
    snprintf(dir, sizeof dir, "%s/vectors", root());
    size_t nf = list_dir(dir, "", &fams);
    for (size_t i = 0; i < nf; i++) {
        snprintf(dir, sizeof dir, "%s/vectors/%s", root(), fams[i]);
        size_t nc = list_dir(dir, "", &cases);
        for (size_t k = 0; k < nc; k++) {
            size_t len;
            snprintf(path, sizeof path, "%s/%s/%s", dir, cases[k], name);
            char *text = slurp(path, &len);
            if (text != NULL)
                fn(text, len);
            free(text);
        }
        free_list(cases, nc);
    }
    free_list(fams, nf);
    if (nf == 0)
        fprintf(stderr, "stirmls-seedgen: no vectors under %s/vectors\n", root());
}

/* ---- certificates ------------------------------------------------------------------------ */

static void seed_chain(const char *text, size_t len)
{
    seed(text, len);
}

static int first_der_done;

static void seed_first_der(const char *text, size_t len)
{
    stirmls_cert_list l;
    stirmls_cert_list_init(&l);
    if (!first_der_done && stirmls_cert_list_parse((const uint8_t *)text, len, &l, NULL) == STIRMLS_R_OK) {
        stirmls_slice der = stirmls_cert_der(l.certs[0]);
        seed(der.ptr, der.len);
        first_der_done = 1;
    }
    stirmls_cert_list_cleanup(&l);
}

void gen_cert(void)
{
    each_vector_file("chain.pem", seed_chain);
    each_vector_file("trust.pem", seed_chain);
    first_der_done = 0;
    each_vector_file("chain.pem", seed_first_der);
}

/* fn(value) for the extension `oid` of every certificate of the chain in text. */
static void each_extension(const char *text, size_t len, const char *oid)
{
    stirmls_cert_list l;
    stirmls_cert_list_init(&l);
    if (stirmls_cert_list_parse((const uint8_t *)text, len, &l, NULL) == STIRMLS_R_OK)
        for (size_t i = 0; i < l.n; i++) {
            stirmls_slice v;
            if (oid == NULL) {
                v = stirmls_cert_der(l.certs[i]);
                seed(v.ptr, v.len);
            } else if (stirmls_cert_extension(l.certs[i], oid, &v, NULL)) {
                seed(v.ptr, v.len);
            }
        }
    stirmls_cert_list_cleanup(&l);
}

static void seed_cert_ders(const char *text, size_t len) { each_extension(text, len, NULL); }
static void seed_tnauthlists(const char *text, size_t len) { each_extension(text, len, STIRMLS_TNAUTHLIST_OID); }
static void seed_jccs(const char *text, size_t len)
{
    each_extension(text, len, STIRMLS_JCC_OID);
    each_extension(text, len, STIRMLS_EJCC_OID);
}

void gen_der(void)
{
    static const uint8_t hand[] = {0x30, 0x0e, 0x02, 0x01, 0x00, 0x02, 0x02, 0x00, 0x80, 0x01, 0x01, 0xff,
                                   0x06, 0x03, 0x2b, 0x06, 0x01};
    seed(hand, sizeof hand);
    each_vector_file("chain.pem", seed_cert_ders);
}

static void seed_list(const stirmls_tna_type *t, const char *const *v, const uint64_t *count, size_t n)
{
    stirmls_tnauthlist *l = stirmls_tnauthlist_new();
    stirmls_buf b;
    stirmls_buf_init(&b);
    if (l == NULL)
        die("out of memory");
    for (size_t i = 0; i < n; i++)
        if (stirmls_tnauthlist_add(l, t[i], v[i], count[i]) != STIRMLS_R_OK)
            die("cannot build a TNAuthList");
    if (stirmls_tnauthlist_encode(l, &b) != STIRMLS_R_OK)
        die("cannot encode a TNAuthList");
    seed_buf(&b);
    stirmls_buf_cleanup(&b);
    stirmls_tnauthlist_free(l);
}

void gen_tnauthlist(void)
{
    static const stirmls_tna_type t[] = {STIRMLS_TNA_SPC, STIRMLS_TNA_RANGE, STIRMLS_TNA_ONE, STIRMLS_TNA_ONE};
    static const char *const v[] = {"709J", "12155550100", "12155550123", "1215555*#"};
    static const uint64_t c[] = {0, 100, 0, 0};
    /* [1] { "12155550100", 2, [5] NULL-ish extension element } */
    static const uint8_t ext[] = {0x30, 0x17, 0xa1, 0x15, 0x30, 0x13, 0x16, 0x0b, '1', '2', '1', '5', '5',
                                  '5', '5', '0', '1', '0', '0', 0x02, 0x01, 0x02, 0x85, 0x01, 0x00};
    for (size_t i = 1; i <= 4; i++)
        seed_list(t, v, c, i);
    seed_list(t + 2, v + 2, c + 2, 2);
    seed(ext, sizeof ext);
    each_vector_file("chain.pem", seed_tnauthlists);
}

static void seed_jcc(int enhanced, char **inc, size_t ninc, stirmls_jcc_permitted *perm, size_t nperm,
                     char **exc, size_t nexc)
{
    stirmls_jcc j = {.enhanced = enhanced, .n_include = ninc, .must_include = inc, .n_permitted = nperm,
                     .permitted = perm, .n_exclude = nexc, .must_exclude = exc};
    stirmls_buf b;
    stirmls_buf_init(&b);
    if (stirmls_jcc_encode(&j, &b) != STIRMLS_R_OK)
        die("cannot encode JWT claim constraints");
    seed_buf(&b);
    stirmls_buf_cleanup(&b);
}

void gen_jcc(void)
{
    static char orig[] = "orig", rcd[] = "rcd", dest[] = "dest", v1[] = "{\"tn\":\"12155551212\"}",
                v2[] = "caf\xc3\xa9";
    static char *inc[] = {orig, rcd}, *exc[] = {dest}, *vals[] = {v1, v2};
    static stirmls_jcc_permitted perm[] = {{.claim = orig, .n = 2, .values = vals}, {.claim = rcd, .n = 1, .values = vals + 1}};
    seed_jcc(0, inc, 1, NULL, 0, NULL, 0);
    seed_jcc(0, inc, 2, perm, 2, NULL, 0);
    seed_jcc(0, NULL, 0, perm, 1, NULL, 0);
    seed_jcc(1, inc, 1, perm, 1, exc, 1);
    seed_jcc(1, NULL, 0, NULL, 0, exc, 1);
    each_vector_file("chain.pem", seed_jccs);
}

/* ---- YAML and protocol text -------------------------------------------------------------- */

/* The family file with its `family:` line set to "f" (the name scenario_fuzz.c gives it). */
static char *as_family_f(const char *text, size_t *len)
{
    const char *at = strncmp(text, "family:", 7) == 0 ? text : strstr(text, "\nfamily:");
    char *out = malloc(*len + 16);
    if (out == NULL)
        die("out of memory");
    if (at == NULL) {
        memcpy(out, text, *len + 1);
        return out;
    }
    if (*at == '\n')
        at++;
    const char *eol = strchr(at, '\n');
    size_t head = (size_t)(at - text), tail = eol ? *len - (size_t)(eol - text) : 0;
    memcpy(out, text, head);
    memcpy(out + head, "family: f", 9);
    memcpy(out + head + 9, eol ? eol : "", tail + 1);
    *len = head + 9 + tail;
    return out;
}

void gen_scenario(void)
{
    char dir[4200], path[4400], **names;
    size_t pki_len = 0;
    snprintf(dir, sizeof dir, "%s/scenarios", root());
    snprintf(path, sizeof path, "%s/pki.yaml", dir);
    char *pki = slurp(path, &pki_len);
    size_t n = list_dir(dir, ".yaml", &names);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        if (strcmp(names[i], "pki.yaml") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char *text = slurp(path, &len);
        if (text == NULL)
            continue;
        char *f = as_family_f(text, &len);
        seed(f, len);
        if (pki != NULL && strcmp(names[i], "generate.yaml") == 0) { /* pki NUL family */
            char *both = malloc(pki_len + 1 + len);
            if (both == NULL)
                die("out of memory");
            memcpy(both, pki, pki_len);
            both[pki_len] = 0;
            memcpy(both + pki_len + 1, f, len);
            seed(both, pki_len + 1 + len);
            free(both);
        }
        free(f);
        free(text);
    }
    free_list(names, n);
    free(pki);
    seed_str("family: f\ncases:\n  - {id: a, why: w, spec: [PPT-01], at: 1780272000, op: verify, kind: passport,"
             " passport: {signer: spc-ee}, expect: {verdict: accept}}\n");
}

void gen_expectations(void)
{
    char dir[4200], path[4400], **names;
    snprintf(dir, sizeof dir, "%s/harness/expectations", root());
    size_t n = list_dir(dir, ".yaml", &names);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char *text = slurp(path, &len);
        if (text != NULL)
            seed(text, len);
        free(text);
    }
    free_list(names, n);
    seed_str("skip:\n  - {case: \"ppt/*\", reason: no PASSporT}\nxfail:\n  - case: \"malformed/[a-c]*\"\n"
             "    reason: known\n    expect_reason: PPT_SIG_INVALID\npolicy:\n  lenient-b64: accept\n");
    seed_str("implementation: x\nskip: []\nxfail: []\npolicy: {}\n");
    seed_str("");
}

void gen_response(void)
{
    seed_str("{\"id\":1,\"result\":{\"protocol\":\"stirmls-interop/1\",\"name\":\"x\",\"ops\":[\"verify\"],"
             "\"kinds\":[\"passport\"],\"tags\":[\"ppt\"]}}\n");
    seed_str("{\"id\":1,\"result\":{\"verdict\":\"reject\",\"reason\":\"PPT_SIG_INVALID\",\"native\":\"bad sig\","
             "\"identities\":[{\"type\":\"tn\",\"value\":\"12155551212\"}]}}\r\n");
    seed_str("{\"id\":1,\"error\":{\"code\":\"unimplemented\",\"message\":\"no\"}}\n"
             "{\"id\":2,\"result\":{\"verdict\":\"accept\"}}\n");
    seed_str("{\"id\":1,\"result\":{},\"error\":{}}\n[1]\nnot json\n{\"id\":\"1\"}");
}

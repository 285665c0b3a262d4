/* tsmls_test.c: cross-check of KeyPackages with ts-mls 2.0.0-rc.10, an independent MLS stack
 * (harness/adapters/node/tsmls-keypackage.mjs), run when the node peer can run here (node 20 or
 * later, its node_modules installed by make deps; mk/node-peer.sh) and skipped with its reason
 * when not:
 *   ts-mls builds a suite-2 KeyPackage with a stir_certificate credential for a key and chain of
 *   the reference's test PKI, and the reference accepts it; the reference builds one and ts-mls
 *   verifies it; ts-mls's default 33-byte compressed signature key is refused (MLS_KEY_FORMAT,
 *   RFC 9420 §5.1.1); one flipped signature byte is refused by both.
 * And whole groups (issue 16): the node adapter builds, through ts-mls, the groups of the
 *   group/generate-* cases of vectors/group.json (a commit with a path: non-blank parents; an
 *   Update renewing a delegate certificate; that Update as a PublicMessage; an Update switching the
 *   number), and the reference CLI judges them (`group verify`, `group verify-message`). */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "stirmls.h"
#include "testlib/testlib.h"

#define DAY 86400ull
#define NB ((uint64_t)STIRMLS_PKI_NOT_BEFORE + DAY)
#define NA ((uint64_t)STIRMLS_PKI_NOT_BEFORE + 31 * DAY)
#define AT ((uint64_t)STIRMLS_PKI_NOT_BEFORE + 2 * DAY)
#define LEAF "range-ee"

static const uint8_t seed[] = "stirmls-tsmls-xcheck";

/* mk/node-peer.sh decides, as for the node peer's own tests: node 20 or later and the locked
 * packages installed; otherwise its one line says why, and the cross-checks are skipped with it. */
static int have_tsmls(int say)
{
    char script[4096], *out = NULL, *err = NULL;
    snprintf(script, sizeof script, "%s", tl_repo_path("mk/node-peer.sh"));
    const char *argv[] = {"sh", script, NULL};
    int st = tl_run(argv, &out, &err);
    if (st != 0 && say)
        fprintf(stderr, "SKIP: ts-mls cross-checks not run: %s", out && out[0] ? out : "mk/node-peer.sh failed\n");
    free(out);
    free(err);
    return st == 0;
}

/* The test PKI, the leaf's encoded stir_certificate credential, its key as PEM and the trust. */
struct fx {
    stirmls_pki pki;
    const stirmls_pki_entry *leaf;
    stirmls_cert_list chain;
    stirmls_trust *trust;
    stirmls_buf cred;
    char *dir, keypath[1024];
};

static void fx_init(struct fx *f)
{
    memset(f, 0, sizeof *f);
    stirmls_pki_opts o;
    stirmls_pki_opts_init(&o, seed, sizeof seed - 1);
    ck_assert_int_eq(stirmls_pki_generate(&o, &f->pki, NULL), STIRMLS_R_OK);
    f->leaf = stirmls_pki_find(&f->pki, LEAF);
    ck_assert_ptr_nonnull(f->leaf);
    char *pem = stirmls_pki_chain_pem(&f->pki, LEAF);
    ck_assert_ptr_nonnull(pem);
    stirmls_cert_list_init(&f->chain);
    ck_assert_int_eq(stirmls_cert_list_parse((const uint8_t *)pem, strlen(pem), &f->chain, NULL),
                     STIRMLS_R_OK);
    free(pem);
    stirmls_credential c;
    memset(&c, 0, sizeof c);
    c.kind = STIRMLS_CRED_KIND_STIR_CERTIFICATE, c.type = 0xF051;
    for (size_t i = 0; i < f->chain.n; i++)
        c.certs[c.ncerts++] = stirmls_cert_der(f->chain.certs[i]);
    stirmls_buf_init(&f->cred);
    stirmls_credential_write(&f->cred, &c);
    ck_assert_int_eq(stirmls_buf_status(&f->cred), STIRMLS_R_OK);
    stirmls_cert_list anchors;
    stirmls_cert_list_init(&anchors);
    ck_assert_int_eq(stirmls_cert_list_push(&anchors,
                                            stirmls_cert_up_ref(stirmls_pki_find(&f->pki, "root")->cert)),
                     STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_trust_new(&anchors, &f->trust), STIRMLS_R_OK);
    stirmls_cert_list_cleanup(&anchors);
    f->dir = tl_tmpdir();
    snprintf(f->keypath, sizeof f->keypath, "%s/key.pem", f->dir);
    char *kp = stirmls_key_private_pem(f->leaf->key);
    FILE *fp = fopen(f->keypath, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(kp, fp);
    ck_assert_int_eq(fclose(fp), 0);
    free(kp);
}

static void fx_cleanup(struct fx *f)
{
    tl_rmdir(f->dir);
    free(f->dir);
    stirmls_buf_cleanup(&f->cred);
    stirmls_trust_free(f->trust);
    stirmls_cert_list_cleanup(&f->chain);
    stirmls_pki_cleanup(&f->pki);
}

static char *hex_of(const uint8_t *b, size_t n)
{
    char *h = malloc(2 * n + 1);
    ck_assert_ptr_nonnull(h);
    stirmls_hex_encode(b, n, h);
    h[2 * n] = 0;
    return h;
}

/* Run tsmls-keypackage.mjs with these arguments; *out owned. Returns the exit status. */
static int tsmls(const char *const *args, char **out)
{
    char script[4096];
    snprintf(script, sizeof script, "%s", tl_repo_path("harness/adapters/node/tsmls-keypackage.mjs"));
    const char *argv[16] = {"node", script};
    size_t n = 2;
    for (size_t i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    char *err = NULL;
    int st = tl_run(argv, out, &err);
    if (st != 0 && st != 1)
        fprintf(stderr, "tsmls-keypackage.mjs exit %d: %s%s\n", st, *out, err);
    free(err);
    return st;
}

/* ts-mls builds a KeyPackage for f's credential; with_key 0: ts-mls's own key. Owned bytes. */
static uint8_t *tsmls_build(struct fx *f, int with_key, size_t *len)
{
    char *credhex = hex_of(f->cred.ptr, f->cred.len), nb[32], na[32], *out = NULL;
    snprintf(nb, sizeof nb, "%llu", (unsigned long long)NB);
    snprintf(na, sizeof na, "%llu", (unsigned long long)NA);
    const char *args[] = {"create", with_key ? "--key" : "--keygen", with_key ? f->keypath : "tsmls",
                          "--credential-hex", credhex, "--not-before", nb, "--not-after", na, NULL};
    ck_assert_int_eq(tsmls(args, &out), 0);
    char *end = out + strlen(out);
    while (end > out && (end[-1] == '\n' || end[-1] == '\r'))
        *--end = 0;
    uint8_t *kp = tl_hex(out, len);
    free(out), free(credhex);
    return kp;
}

/* ts-mls's judgement of bytes: the exit status; *sig_key_len from its JSON (or -1). */
static int tsmls_verify(const uint8_t *b, size_t n, int *sig_key_len)
{
    char *h = hex_of(b, n), *out = NULL;
    const char *args[] = {"verify", "--hex", h, NULL};
    int st = tsmls(args, &out);
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    ck_assert_msg(j != NULL, "ts-mls verify printed no JSON: %s", out);
    json_t *kl = json_object_get(j, "signature_key_len");
    *sig_key_len = json_is_integer(kl) ? (int)json_integer_value(kl) : -1;
    ck_assert_int_eq(json_is_true(json_object_get(j, "ok")), st == 0);
    json_decref(j);
    free(out), free(h);
    return st;
}

/* The reference's full verification (stir_certificate validator over the test PKI's root). */
static stirmls_reason ref_verify(struct fx *f, const uint8_t *b, size_t n, stirmls_detail *d)
{
    stirmls_mls_options o;
    stirmls_mls_options_default(&o);
    stirmls_stir_binding bind;
    stirmls_stir_binding_init(&bind, f->trust);
    stirmls_cred_validators v;
    stirmls_cred_validators_default(&v);
    stirmls_stir_validators(&bind, &v);
    stirmls_keypackage kp;
    int was = 0;
    stirmls_detail_init(d);
    stirmls_reason rc = stirmls_keypackage_decode_any(b, n, &o.codepoints, &kp, &was, d);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_keypackage_verify(&kp, &o, &v, AT, NULL, d);
    return rc;
}

/* The reference builds a KeyPackage (MLSMessage) for f's leaf key and credential. Owned. */
static uint8_t *ref_build(struct fx *f, size_t *len)
{
    stirmls_kp_params p;
    memset(&p, 0, sizeof p);
    p.signature_key = f->leaf->key;
    p.credential.ptr = f->cred.ptr, p.credential.len = f->cred.len;
    p.not_before = NB, p.not_after = NA;
    p.seed = seed, p.seedlen = sizeof seed - 1, p.key_name = "xcheck";
    uint8_t *out = NULL;
    ck_assert_int_eq(stirmls_keypackage_build(&p, 1, &out, len, NULL), STIRMLS_R_OK);
    return out;
}

/* One KeyPackage per row, built by ts-mls (with the 65-byte key, or its default 33-byte keygen)
 * or by the reference, optionally with the last byte (in the KeyPackage signature) flipped, then
 * judged by both: the reference's exact reason, ts-mls's verdict and the key length it saw. */
enum maker { TSMLS_65, TSMLS_DEFAULT, REFERENCE };
static const struct xrow {
    const char *name;
    enum maker maker;
    int flip;
    stirmls_reason want_ref;
    int want_tsmls; /* tsmls-keypackage.mjs verify exit status: 0 accepts */
    int want_kl;    /* signature_key length ts-mls reports; -1: not checked */
} xrows[] = {
    {"tsmls builds, reference accepts", TSMLS_65, 0, STIRMLS_R_OK, 0, 65},
    {"reference builds, tsmls accepts", REFERENCE, 0, STIRMLS_R_OK, 0, 65},
    /* ts-mls's keygen emits a 33-byte compressed point: RFC 9420 §5.1.1 wants the uncompressed form */
    {"tsmls compressed key refused", TSMLS_DEFAULT, 0, STIRMLS_R_MLS_KEY_FORMAT, 0, 33},
    {"flipped signature refused by both", REFERENCE, 1, STIRMLS_R_MLS_KP_SIGNATURE, 1, -1},
};

START_TEST(cross_check)
{
    const struct xrow *r = &xrows[_i];
    if (!have_tsmls(_i == 0)) /* the reason once, with the table's first row */
        return;
    struct fx f;
    fx_init(&f);
    size_t n;
    uint8_t *kp = r->maker == REFERENCE ? ref_build(&f, &n) : tsmls_build(&f, r->maker == TSMLS_65, &n);
    if (r->flip)
        kp[n - 1] ^= 0x01;
    stirmls_detail d;
    stirmls_reason rc = ref_verify(&f, kp, n, &d);
    ck_assert_msg(rc == r->want_ref, "%s: reference: want %s, got %s %s", r->name,
                  stirmls_reason_name(r->want_ref), stirmls_reason_name(rc), d.text);
    int kl;
    ck_assert_msg(tsmls_verify(kp, n, &kl) == r->want_tsmls, "%s: ts-mls verdict", r->name);
    if (r->want_kl >= 0)
        ck_assert_int_eq(kl, r->want_kl);
    free(kp);
    fx_cleanup(&f);
}
END_TEST

/* ---- groups built by ts-mls (the node adapter's generate), judged by the reference CLI ---- */

static const struct grow {
    const char *id;   /* a generate case of vectors/group.json */
    int message;      /* judge artifact.message against artifact.group_info */
    int want_exit;    /* CLI exit: 0 accept, 1 reject */
    const char *want_reason;
    const char *want_node; /* "parent": a non-blank parent node; "update": a leaf of source update */
} grows[] = {
    {"group/generate-commit-path", 0, 0, "", "parent"},
    {"group/generate-update-renewal", 0, 0, "", "update"},
    {"group/generate-update-message", 1, 0, "", NULL},
    {"group/generate-update-switches-number", 1, 1, "CRED_SUCCESSOR_TN", NULL},
};

static json_t *generate_case(const char *id)
{
    json_t *fam = json_load_file(tl_repo_path("vectors/group.json"), 0, NULL), *c, *found = NULL;
    size_t i;
    ck_assert_ptr_nonnull(fam);
    json_array_foreach(json_object_get(fam, "cases"), i, c)
        if (strcmp(json_string_value(json_object_get(c, "id")), id) == 0)
            found = json_incref(c);
    json_decref(fam);
    ck_assert_msg(found != NULL, "%s is not in vectors/group.json", id);
    return found;
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    ck_assert_int_eq(fclose(fp), 0);
}

/* The node adapter's answer to the case's generate request: its artifact object (owned). */
static json_t *node_generate(const char *dir, json_t *c)
{
    char req[1024], cmd[4096];
    snprintf(req, sizeof req, "%s/req.jsonl", dir);
    json_t *r = json_pack("{s:i,s:s,s:O}", "id", 1, "op", "generate", "params", json_object_get(c, "params"));
    char *line = json_dumps(r, JSON_COMPACT);
    json_decref(r);
    FILE *fp = fopen(req, "w");
    ck_assert_ptr_nonnull(fp);
    fprintf(fp, "%s\n{\"id\":2,\"op\":\"shutdown\",\"params\":{}}\n", line);
    ck_assert_int_eq(fclose(fp), 0);
    free(line);
    snprintf(cmd, sizeof cmd, "exec node '%s' < '%s'", tl_repo_path("harness/adapters/node/adapter.mjs"), req);
    const char *argv[] = {"sh", "-c", cmd, NULL};
    char *out = NULL, *err = NULL;
    ck_assert_msg(tl_run(argv, &out, &err) == 0, "the node adapter failed: %s", err);
    json_t *res = json_loadb(out, strcspn(out, "\n"), 0, NULL);
    json_t *art = json_incref(json_object_get(json_object_get(res, "result"), "artifact"));
    ck_assert_msg(art != NULL, "no artifact from ts-mls: %s", out);
    json_decref(res);
    free(out), free(err);
    return art;
}

/* 1 when `group inspect` shows a node of that kind. */
static int has_node(const char *gi, const char *want)
{
    const char *args[] = {"group", "inspect", "--in", gi, "--hex", NULL};
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tl_run_cli(args, &out, &err), 0);
    json_t *j = json_loads(out, 0, NULL), *n;
    size_t i;
    int found = 0;
    json_array_foreach(json_object_get(j, "nodes"), i, n) {
        const char *type = json_string_value(json_object_get(n, "type"));
        const char *src = json_string_value(json_object_get(json_object_get(n, "leaf_node"), "leaf_node_source"));
        found |= strcmp(want, "parent") == 0 ? strcmp(type, "parent") == 0 : src && strcmp(src, want) == 0;
    }
    json_decref(j);
    free(out), free(err);
    return found;
}

START_TEST(group_cross_check)
{
    const struct grow *g = &grows[_i];
    if (!have_tsmls(0))
        return;
    char *dir = tl_tmpdir(), gi[1024], msg[1024], root[1024], at[32];
    json_t *c = generate_case(g->id), *art = node_generate(dir, c);
    snprintf(gi, sizeof gi, "%s/gi.hex", dir);
    snprintf(msg, sizeof msg, "%s/msg.hex", dir);
    snprintf(root, sizeof root, "%s/root.pem", dir);
    snprintf(at, sizeof at, "%lld", (long long)json_integer_value(json_object_get(c, "at")));
    write_file(gi, json_string_value(json_object_get(art, "group_info")));
    write_file(root, json_string_value(json_array_get(json_object_get(c, "trust_anchors"), 0)));
    if (g->message)
        write_file(msg, json_string_value(json_object_get(art, "message")));
    const char *vargs[] = {"group", "verify", "--in", gi, "--hex", "--trust", root, "--at", at, NULL};
    const char *margs[] = {"group", "verify-message", "--group", gi, "--in", msg, "--hex", "--trust", root,
                           "--at", at, NULL};
    char *out = NULL, *err = NULL;
    int st = tl_run_cli(g->message ? margs : vargs, &out, &err);
    json_t *j = json_loads(out, 0, NULL);
    ck_assert_msg(st == g->want_exit, "%s: exit %d: %s%s", g->id, st, out, err);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), g->want_reason);
    if (g->want_node)
        ck_assert_msg(has_node(gi, g->want_node), "%s: no %s node in the GroupInfo ts-mls built", g->id, g->want_node);
    json_decref(j), json_decref(c), json_decref(art);
    free(out), free(err);
    tl_rmdir(dir);
    free(dir);
}
END_TEST

Suite *tsmls_suite(void);
Suite *tsmls_suite(void)
{
    Suite *s = suite_create("tsmls");
    TCase *tc = tcase_create("xcheck");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, cross_check, 0, (int)(sizeof xrows / sizeof xrows[0]));
    tcase_add_loop_test(tc, group_cross_check, 0, (int)(sizeof grows / sizeof grows[0]));
    suite_add_tcase(s, tc);
    return s;
}

/*
 * explain.c: `stirmls-harness explain CASE_ID`, a case as a person reads it: why, the spec IDs with
 * their text from docs/requirements.md, the expected verdict and reason, the inputs decoded
 * (certificates with certview.c, PASSporT header and claims, KeyPackage and Credential fields from
 * their TLS encoding, RFC 9420 §6, §7.2, §10), and the commands that reproduce it with the reference.
 * The harness's own decoders: nothing of the reference implementation is linked.
 */
#include "harness.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- a bounded reader over TLS-presentation bytes (RFC 9420 §2.1.2 varint lengths) ---------- */
typedef struct {
    const unsigned char *p;
    size_t n, i;
    bool bad;
} rd;

static uint64_t uint_be(rd *r, size_t k)
{
    uint64_t v = 0;
    if (r->i + k > r->n) {
        r->bad = true;
        return 0;
    }
    for (size_t j = 0; j < k; j++)
        v = v << 8 | r->p[r->i++];
    return v;
}

/* opaque<V>: the span of the vector's bytes */
static rd vec(rd *r)
{
    rd out = {0};
    if (r->i >= r->n) {
        r->bad = true;
        return out;
    }
    size_t k = (size_t)1 << (r->p[r->i] >> 6);
    uint64_t len = k == 8 ? (r->bad = true, 0) : uint_be(r, k) & ((1ull << (8 * k - 2)) - 1);
    if (r->bad || r->i + len > r->n) {
        r->bad = true;
        return out;
    }
    out = (rd){.p = r->p + r->i, .n = (size_t)len};
    r->i += (size_t)len;
    return out;
}

static void hex_line(FILE *f, const char *label, rd v)
{
    fprintf(f, "%s%zu bytes", label, v.n);
    if (v.n)
        fputs(": ", f);
    for (size_t i = 0; i < v.n && i < 32; i++)
        fprintf(f, "%02x", v.p[i]);
    fputs(v.n > 32 ? "...\n" : "\n", f);
}

static unsigned char *unhex(const char *s, size_t *n)
{
    size_t len = strlen(s);
    unsigned char *b = malloc(len / 2 + 1);
    *n = 0;
    for (size_t i = 0; i + 1 < len; i += 2) {
        unsigned int x;
        if (sscanf(s + i, "%2x", &x) != 1)
            break;
        b[(*n)++] = (unsigned char)x;
    }
    return b;
}

static void cert_lines(FILE *f, const json_t *v, const char *indent);

static void der_certs(FILE *f, rd *r, const char *indent)
{
    rd list = vec(r);
    for (int k = 0; !list.bad && list.i < list.n; k++) {
        rd der = vec(&list);
        if (list.bad)
            break;
        const unsigned char *p = der.p;
        X509 *x = d2i_X509(NULL, &p, (long)der.n);
        char *pem = NULL;
        if (x) {
            BIO *b = BIO_new(BIO_s_mem());
            PEM_write_bio_X509(b, x);
            char *d = NULL;
            long n = BIO_get_mem_data(b, &d);
            pem = strndup(d, (size_t)n);
            BIO_free(b);
            X509_free(x);
        }
        char *role = hx_printf("certificate[%d]", k);
        json_t *view = pem ? hx_cert_view(pem, role) : json_pack("{s:s,s:s}", "role", role, "error", "not DER");
        cert_lines(f, view, indent);
        json_decref(view);
        free(role);
        free(pem);
    }
    if (list.bad)
        fprintf(f, "%s(the certificate list does not decode)\n", indent);
}

static void passport_lines(FILE *f, const char *token, const char *indent);

/* Credential (RFC 9420 §5.3, STIR types: docs/profile.md Part 3 §1) */
static void credential_lines(FILE *f, rd *r, const char *indent)
{
    unsigned type = (unsigned)uint_be(r, 2);
    const char *name = type == 1 ? "basic" : type == 2 ? "x509" : type == 0xF051 ? "stir_certificate"
                     : type == 0xF052 ? "stir_passport" : "unknown";
    fprintf(f, "%scredential_type 0x%04X (%s)\n", indent, type, name);
    char *deeper = hx_printf("%s  ", indent);
    if (type == 1) {
        rd id = vec(r);
        fprintf(f, "%sidentity \"%.*s\"\n", deeper, (int)id.n, (const char *)id.p);
    } else if (type == 2 || type == 0xF051) {
        der_certs(f, r, deeper);
    } else if (type == 0xF052) {
        rd tok = vec(r);
        char *t = strndup((const char *)tok.p, tok.n);
        passport_lines(f, t, deeper);
        free(t);
        der_certs(f, r, deeper);
    } else {
        fprintf(f, "%s(an unknown type: its body's length is unknown, decoding stops)\n", deeper);
        r->bad = true;
    }
    free(deeper);
}

/* LeafNode (RFC 9420 §7.2): keys, credential, source and lifetime. */
static void leafnode_lines(FILE *f, rd *r, const char *indent)
{
    char *l = hx_printf("%sencryption_key ", indent);
    hex_line(f, l, vec(r));
    free(l);
    l = hx_printf("%ssignature_key ", indent);
    hex_line(f, l, vec(r));
    free(l);
    credential_lines(f, r, indent);
    for (int k = 0; k < 5 && !r->bad; k++) /* capabilities: versions, cipher_suites, extensions, proposals, credentials */
        vec(r);
    static const char *const names[] = {"", " (key_package)", " (update)", " (commit)"};
    unsigned source = (unsigned)uint_be(r, 1);
    fprintf(f, "%sleaf_node_source %u%s\n", indent, source, names[source <= 3 ? source : 0]);
    if (source == 1) {
        uint64_t nb = uint_be(r, 8), na = uint_be(r, 8);
        fprintf(f, "%slifetime not_before %llu, not_after %llu (%llu s)\n", indent, (unsigned long long)nb,
                (unsigned long long)na, (unsigned long long)(na - nb));
    } else if (source == 3) {
        vec(r); /* parent_hash */
    }
    vec(r), vec(r); /* extensions, signature */
}

/* KeyPackage (RFC 9420 §10), possibly inside an MLSMessage (§6) */
static void keypackage_lines(FILE *f, rd *r, const char *indent)
{
    if (r->n >= 4 && r->p[0] == 0 && r->p[1] == 1 && r->p[2] == 0 && r->p[3] == 5) {
        fprintf(f, "%sMLSMessage mls10, wire_format mls_key_package\n", indent);
        r->i = 4;
    }
    unsigned version = (unsigned)uint_be(r, 2), suite = (unsigned)uint_be(r, 2); /* in this order */
    fprintf(f, "%sversion %u, cipher_suite 0x%04X\n", indent, version, suite);
    char *l = hx_printf("%sinit_key ", indent);
    hex_line(f, l, vec(r));
    free(l);
    fprintf(f, "%sleaf_node:\n", indent);
    char *d = hx_printf("%s  ", indent);
    leafnode_lines(f, r, d);
    free(d);
    if (r->bad)
        fprintf(f, "%s(the bytes end or break here: decoding stops)\n", indent);
}

static char *b64url_json(const char *s, size_t n)
{
    char *b = malloc(n + 4), *out = malloc(n + 4);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        b[k++] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
    while (k % 4)
        b[k++] = '=';
    int len = EVP_DecodeBlock((unsigned char *)out, (unsigned char *)b, (int)k);
    free(b);
    if (len < 0) {
        free(out);
        return NULL;
    }
    while (len > 0 && out[len - 1] == '\0') /* EVP_DecodeBlock counts the padding */
        len--;
    char *clean = hx_utf8_clean(out, (size_t)len, 4096);
    free(out);
    return clean;
}

static void passport_lines(FILE *f, const char *token, const char *indent)
{
    const char *dot1 = strchr(token, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    fprintf(f, "%spassport (%zu characters)\n", indent, strlen(token));
    if (!dot2) {
        fprintf(f, "%s  (not three dot-separated parts)\n", indent);
        return;
    }
    char *h = b64url_json(token, (size_t)(dot1 - token)), *c = b64url_json(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    fprintf(f, "%s  header %s\n%s  claims %s\n%s  signature %zu characters\n", indent, h ? h : "(not base64url)",
            indent, c ? c : "(not base64url)", indent, strlen(dot2 + 1));
    free(h);
    free(c);
}

static void cert_lines(FILE *f, const json_t *v, const char *indent)
{
    static const char *const keys[] = {"subject", "issuer", "not_before", "not_after", "basic_constraints",
                                       "key_usage", "tnauthlist", "jwt_claim_constraints", "error"};
    const char *about = json_string_value(json_object_get(v, "about"));
    fprintf(f, "%s%s\n", indent, json_string_value(json_object_get(v, "role")));
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *t = json_string_value(json_object_get(v, keys[i]));
        if (!t)
            continue;
        bool mark = about && strcmp(about, keys[i]) == 0;
        fprintf(f, "%s  %s%s%s", indent, mark ? ">> " : "", keys[i], strchr(t, '\n') ? ":\n" : " ");
        for (const char *p = t; *p;) { /* multi-line values (ASN.1 dumps) indented */
            size_t n = strcspn(p, "\n");
            fprintf(f, "%s%s%.*s\n", strchr(t, '\n') ? indent : "", strchr(t, '\n') ? "    " : "", (int)n, p);
            p += n + (p[n] == '\n');
        }
    }
}

/* "| `ID` | LEVEL | ... | TEXT | ..." rows of docs/requirements.md */
static void spec_lines(FILE *f, const json_t *spec, const char *reqs)
{
    size_t i;
    json_t *id;
    json_array_foreach(spec, i, id) {
        char *key = hx_printf("| `%s` |", json_string_value(id));
        const char *row = reqs ? strstr(reqs, key) : NULL;
        if (!row) {
            fprintf(f, "  %s (not in docs/requirements.md)\n", json_string_value(id));
            free(key);
            continue;
        }
        size_t n = strcspn(row, "\n");
        char *line = strndup(row, n), *cells[8] = {0};
        int k = 0;
        for (char *c = line + 1, *q = c; *q && k < 8; q++) /* cells; "\|" is a pipe inside one */
            if (*q == '|' && q[-1] != '\\') {
                *q = '\0';
                cells[k++] = c + strspn(c, " ");
                c = q + 1;
            }
        for (int j = 0; j < k; j++) /* trim the cells' right side */
            for (size_t e = strlen(cells[j]); e > 0 && cells[j][e - 1] == ' ';)
                cells[j][--e] = '\0';
        fprintf(f, "  %s %s: %s\n", json_string_value(id), k > 1 ? cells[1] : "", k > 3 ? cells[3] : "");
        free(line);
        free(key);
    }
}

/* The reference CLI command for a verify case, from the plain files of vectors/<family>/<name>/;
 * NULL and *why when the CLI cannot take the case as it stands. */
static char *cli_command(const json_t *c, const char *dir, const char **why)
{
    const char *kind = json_string_value(json_object_get(c, "kind"));
    const json_t *in = json_object_get(c, "input"), *pol = json_object_get(c, "policy");
    json_int_t at = json_integer_value(json_object_get(c, "at"));
    const char *tn = json_string_value(json_object_get(in, "tn"));
    const char *sk = json_string_value(json_object_get(in, "signature_key"));
    /* the policy keys each verb has an option for; a case with another one gets no CLI line */
    static const struct {
        const char *kind, *keys;
    } opts[] = {{"cert_chain", " trust_spc trust_anchor_validity trust_anchor_path_len trust_anchor_constraints "},
                {"passport", " trust_spc profile strict max_age skew "},
                {"key_package", " trust_spc x509_stir_profile capabilities_defaults_strict "},
                {"credential", " trust_spc x509_stir_profile capabilities_defaults_strict "},
                {"group_info", " trust_spc x509_stir_profile capabilities_defaults_strict warn_within reject_expired "},
                {"group_message", " trust_spc x509_stir_profile capabilities_defaults_strict reject_expired "}};
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)pol, key, val) {
        char *k = hx_printf(" %s ", key);
        bool ok = false;
        for (size_t j = 0; j < sizeof opts / sizeof opts[0]; j++)
            ok = ok || (strcmp(opts[j].kind, kind) == 0 && strstr(opts[j].keys, k));
        free(k);
        if (!ok) {
            *why = "the CLI has no option for one of this case's policy keys";
            return NULL;
        }
    }
    char *cmd;
    if (strcmp(kind, "cert_chain") == 0)
        cmd = hx_printf("build/stirmls cert verify --chain %s/chain.pem --trust %s/trust.pem --at %lld", dir, dir,
                        (long long)at);
    else if (strcmp(kind, "passport") == 0) {
        const char *tok = json_string_value(json_object_get(in, "passport")) ?: "";
        if (json_array_size(json_object_get(in, "chain")) == 0) {
            *why = "the signer chain comes from x5u_map, and the CLI takes --chain only";
            return NULL;
        }
        if (*tok && strchr(" \t\r\n", tok[strlen(tok) - 1])) {
            *why = "the token ends with whitespace, which the CLI drops from its --passport file";
            return NULL;
        }
        const char *profile = json_string_value(json_object_get(pol, "profile"));
        cmd = hx_printf("build/stirmls passport verify --passport %s/passport.txt --chain %s/chain.pem --trust "
                        "%s/trust.pem --at %lld%s%s%s%s", dir, dir, dir, (long long)at, sk ? " --signature-key " : "",
                        sk ? sk : "", profile ? " --profile " : "", profile ? profile : "");
        if (json_is_false(json_object_get(pol, "strict"))) {
            char *m = hx_printf("%s --lenient", cmd);
            free(cmd);
            cmd = m;
        }
        static const char *const num[2][2] = {{"max_age", "--max-age"}, {"skew", "--skew"}};
        for (int j = 0; j < 2; j++)
            if (json_is_integer(json_object_get(pol, num[j][0]))) {
                char *m = hx_printf("%s %s %lld", cmd, num[j][1],
                                    (long long)json_integer_value(json_object_get(pol, num[j][0])));
                free(cmd);
                cmd = m;
            }
    } else if (strcmp(kind, "key_package") == 0)
        cmd = hx_printf("build/stirmls keypackage verify --in %s/key_package.hex --hex --trust %s/trust.pem --at %lld",
                        dir, dir, (long long)at);
    else if (strcmp(kind, "group_info") == 0)
        cmd = hx_printf("build/stirmls group verify --in %s/group_info.hex --hex --trust %s/trust.pem --at %lld", dir,
                        dir, (long long)at);
    else if (strcmp(kind, "group_message") == 0) {
        cmd = hx_printf("build/stirmls group verify-message --group %s/group_info.hex --in %s/message.hex --hex "
                        "--trust %s/trust.pem --at %lld", dir, dir, dir, (long long)at);
        for (size_t j = 0; j < json_array_size(json_object_get(in, "proposals")); j++) {
            char *m = hx_printf("%s --proposal %s/proposal-%zu.hex", cmd, dir, j);
            free(cmd);
            cmd = m;
        }
    }
    else
        cmd = hx_printf("build/stirmls credential verify --in %s/credential.hex --hex --signature-key %s --trust "
                        "%s/trust.pem --at %lld", dir, sk ? sk : "", dir, (long long)at);
    static const char *const flags[2][2] = {{"x509_stir_profile", "--x509-stir-profile"},
                                             {"capabilities_defaults_strict", "--capabilities-defaults-strict"}};
    for (int j = 0; j < 2; j++)
        if (json_is_true(json_object_get(pol, flags[j][0]))) {
            char *m = hx_printf("%s %s", cmd, flags[j][1]);
            free(cmd);
            cmd = m;
        }
    if (json_is_true(json_object_get(pol, "reject_expired"))) {
        char *m = hx_printf("%s --reject-expired", cmd);
        free(cmd);
        cmd = m;
    }
    if (json_is_integer(json_object_get(pol, "warn_within"))) {
        char *m = hx_printf("%s --warn-within %lld", cmd, (long long)json_integer_value(json_object_get(pol, "warn_within")));
        free(cmd);
        cmd = m;
    }
    static const char *const anchor_items[] = {"validity", "path-len", "constraints"};
    static const char *const anchor_keys[] = {"trust_anchor_validity", "trust_anchor_path_len",
                                              "trust_anchor_constraints"};
    char checks[64] = "";
    bool off = false;
    for (size_t k = 0; k < 3; k++) { /* cert verify --anchor-checks: what is still checked */
        if (json_is_false(json_object_get(pol, anchor_keys[k])))
            off = true;
        else
            snprintf(checks + strlen(checks), sizeof checks - strlen(checks), "%s%s", checks[0] ? "," : "",
                     anchor_items[k]);
    }
    if (off) {
        char *m = hx_printf("%s --anchor-checks %s", cmd, checks[0] ? checks : "none");
        free(cmd);
        cmd = m;
    }
    size_t i;
    json_t *spc;
    json_array_foreach(json_object_get(pol, "trust_spc"), i, spc) {
        char *m = hx_printf("%s --trust-spc %s", cmd, json_string_value(spc));
        free(cmd);
        cmd = m;
    }
    if (tn) {
        char *m = hx_printf("%s --tn %s", cmd, tn);
        free(cmd);
        cmd = m;
    }
    return cmd;
}

/* GroupInfo (RFC 9420 §12.4.3) in an MLSMessage: the GroupContext, the ratchet tree's nodes and
 * each member's credential, the signer. */
static void group_info_lines(FILE *f, rd *r, const char *indent)
{
    unsigned wf = r->n >= 4 ? (unsigned)(r->p[2] << 8 | r->p[3]) : 0;
    r->i = 4;
    fprintf(f, "%sMLSMessage wire_format %u%s\n", indent, wf, wf == 4 ? " (mls_group_info)" : "");
    unsigned version = (unsigned)uint_be(r, 2), suite = (unsigned)uint_be(r, 2);
    rd gid = vec(r);
    uint64_t epoch = uint_be(r, 8);
    fprintf(f, "%sgroup_context version %u, cipher_suite 0x%04X, group_id \"%.*s\", epoch %llu\n", indent, version,
            suite, (int)gid.n, (const char *)gid.p, (unsigned long long)epoch);
    char *l = hx_printf("%s  tree_hash ", indent);
    hex_line(f, l, vec(r));
    free(l);
    vec(r), vec(r); /* confirmed_transcript_hash, GroupContext extensions */
    rd exts = vec(r);
    char *d = hx_printf("%s    ", indent);
    while (!exts.bad && exts.i < exts.n) {
        unsigned type = (unsigned)uint_be(&exts, 2);
        rd data = vec(&exts);
        fprintf(f, "%s  extension %u%s (%zu bytes)\n", indent, type, type == 2 ? " ratchet_tree" : "", data.n);
        rd tree = type == 2 ? vec(&data) : (rd){0};
        for (size_t x = 0; type == 2 && !tree.bad && tree.i < tree.n; x++) {
            if (uint_be(&tree, 1) == 0)
                continue; /* blank */
            if (uint_be(&tree, 1) == 1) {
                fprintf(f, "%s  node %zu: leaf %zu\n", indent, x, x / 2);
                leafnode_lines(f, &tree, d);
            } else {
                fprintf(f, "%s  node %zu: parent\n", indent, x);
                vec(&tree), vec(&tree), vec(&tree);
            }
        }
    }
    vec(r); /* confirmation_tag */
    fprintf(f, "%ssigner leaf %llu\n", indent, (unsigned long long)uint_be(r, 4));
    free(d);
}

/* PublicMessage (RFC 9420 §6.2) in an MLSMessage: its FramedContent's header. */
static void public_message_lines(FILE *f, rd *r, const char *indent)
{
    r->i = 4;
    rd gid = vec(r);
    uint64_t epoch = uint_be(r, 8);
    unsigned stype = (unsigned)uint_be(r, 1), sender = (unsigned)uint_be(r, 4);
    vec(r); /* authenticated_data */
    unsigned ct = (unsigned)uint_be(r, 1);
    fprintf(f, "%sPublicMessage group_id \"%.*s\", epoch %llu, sender_type %u, sender %u\n", indent, (int)gid.n,
            (const char *)gid.p, (unsigned long long)epoch, stype, sender);
    fprintf(f, "%scontent_type %u (%s)", indent, ct, ct == 2 ? "proposal" : ct == 3 ? "commit" : "other");
    if (ct == 2)
        fprintf(f, ", proposal_type %u", (unsigned)uint_be(r, 2));
    fputc('\n', f);
}

static void inputs(FILE *f, const json_t *c)
{
    const json_t *in = json_object_get(c, "input");
    const char *s;
    fputs("inputs:\n", f);
    if ((s = json_string_value(json_object_get(in, "tn"))))
        fprintf(f, "  tn %s\n", s);
    if ((s = json_string_value(json_object_get(in, "signature_key"))))
        fprintf(f, "  signature_key %s (%zu bytes)\n", s, strlen(s) / 2);
    if ((s = json_string_value(json_object_get(in, "passport"))))
        passport_lines(f, s, "  ");
    static const char *const bin[4] = {"key_package", "credential", "group_info", "message"};
    static void (*const decode[4])(FILE *, rd *, const char *) = {keypackage_lines, credential_lines,
                                                                   group_info_lines, public_message_lines};
    for (int k = 0; k < 4; k++)
        if ((s = json_string_value(json_object_get(in, bin[k])))) {
            size_t n = 0;
            unsigned char *b = unhex(s, &n);
            rd r = {.p = b, .n = n};
            fprintf(f, "  %s (%zu bytes)\n", bin[k], n);
            decode[k](f, &r, "    ");
            free(b);
        }
    json_t *certs = hx_case_cert_views(c), *v;
    size_t i;
    json_array_foreach(certs, i, v)
        cert_lines(f, v, "  ");
    json_decref(certs);
}

static void explain_case(const hx_suite *suite, const hx_case *k, const char *vectors_dir, FILE *f)
{
    json_t *c = hx_suite_case_json(suite, k), *exp = json_object_get(c, "expect");
    const char *op = json_string_value(json_object_get(c, "op")) ?: "verify";
    bool gen = strcmp(op, "generate") == 0;
    if (gen)
        exp = json_object_get(json_object_get(c, "check"), "expect");
    char *tags = json_dumps(json_object_get(c, "tags"), JSON_COMPACT);
    time_t at = (time_t)json_integer_value(json_object_get(c, "at"));
    char when[64];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&at));
    fprintf(f, "%s\n  %s %s, importance %s, tags %s\nwhy: %s\nexpected: %s%s%s%s%s", k->id, op,
            json_string_value(json_object_get(c, "kind")) ?: "", json_string_value(json_object_get(c, "importance")) ?: "",
            tags, json_string_value(json_object_get(c, "why")) ?: "", k->expect_verdict ? k->expect_verdict : "",
            k->expect_reason ? " " : "", k->expect_reason ? k->expect_reason : "",
            k->expect_flag ? " (policy question " : "", k->expect_flag ? k->expect_flag : "");
    (void)when;
    if (k->expect_flag)
        fputs("; the flags: docs/scenarios.md#either-flags)", f);
    if (k->expect_outcome) /* already control-free: the harness's own compact ASCII JSON */
        fprintf(f, "\nexpected outcome: %s", k->expect_outcome);
    fprintf(f, "\nat: %lld (%s)\n", (long long)at, when);
    free(tags);
    char *pol = json_dumps(json_object_get(gen ? json_object_get(c, "check") : c, "policy") ?: json_object(),
                           JSON_COMPACT | JSON_SORT_KEYS);
    fprintf(f, "policy: %s\nspec:\n", pol ? pol : "{}");
    free(pol);
    char *root = hx_path_join(vectors_dir, ".."), *rp = hx_path_join(root, "docs/requirements.md");
    char *reqs = hx_read_file(rp, 4u << 20, NULL);
    spec_lines(f, json_object_get(c, "spec"), reqs);
    free(reqs), free(rp), free(root);
    if (gen) {
        char *params = json_dumps(json_object_get(c, "params"), JSON_COMPACT | JSON_SORT_KEYS);
        fprintf(f, "generate params: %s\n(each producer's artefact is verified by every implementation: "
                   "check.input below, expected %s)\n", params, json_string_value(json_object_get(exp, "verdict")) ?: "");
        free(params);
        json_t *vc = json_pack("{s:O,s:O,s:O}", "input", json_object_get(json_object_get(c, "check"), "input") ?: json_object(),
                               "trust_anchors", json_object_get(c, "trust_anchors") ?: json_array(), "at",
                               json_object_get(c, "at"));
        inputs(f, vc);
        json_decref(vc);
    } else {
        inputs(f, c);
    }
    (void)exp;
    fprintf(f, "reproduce:\n  build/stirmls-harness run --impl stirmls=\"build/stirmls serve\" --filter '%s'\n", k->id);
    const char *slash = strchr(k->id, '/');
    char *dir = hx_printf("%s/%.*s/%s", vectors_dir, (int)(slash - k->id), k->id, slash + 1);
    const char *why = NULL;
    char *cmd = gen ? NULL : cli_command(c, dir, &why);
    if (cmd)
        fprintf(f, "  %s\n", cmd);
    else if (!gen)
        fprintf(f, "  (no CLI equivalent: %s; the harness line reproduces it)\n", why);
    free(cmd);
    free(dir);
    json_decref(c);
}

int hx_explain(const char *vectors_dir, char *const *ids, size_t n, FILE *f, char **err)
{
    hx_suite suite = {0};
    if (hx_suite_load(&suite, vectors_dir, err) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!hx_suite_find(&suite, ids[i])) {
            char *id = hx_ctl_escape(ids[i]);
            *err = hx_printf("explain: no case %s in %s (run --list prints the ids)", id, vectors_dir);
            free(id);
            hx_suite_cleanup(&suite);
            return -1;
        }
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc('\n', f);
        explain_case(&suite, hx_suite_find(&suite, ids[i]), vectors_dir, f);
    }
    hx_suite_cleanup(&suite);
    return 0;
}

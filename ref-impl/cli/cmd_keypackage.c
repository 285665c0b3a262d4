/* cmd_keypackage.c: `stirmls keypackage create|verify|inspect`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mls_cli.h"

const char stirmls_cmd_keypackage_summary[] =
    "create, verify or inspect an MLS KeyPackage with a STIR credential";

static const char usage_text[] =
    "usage: stirmls keypackage create --credential-type certificate|passport|basic|x509\n"
    "           --signature-key-pem KEY.pem [--chain CHAIN.pem] [--passport FILE] [--identity STR]\n"
    "           --not-before T --not-after T [--seed STR] [--bare] [--hex] [--out FILE]\n"
    "       stirmls keypackage verify --in FILE --at UNIXTIME [--trust ROOT.pem] [--tn TN]\n"
    "           [--trust-spc SPC]... [options]\n"
    "       stirmls keypackage inspect --in FILE [--hex] [options]\n"
    "create writes the MLSMessage (or with --bare the KeyPackage) as bytes, or hex with --hex;\n"
    "with --out it also prints {\"out\",\"bytes\",\"key_package_ref\"}. verify and inspect read an\n"
    "MLSMessage or a bare KeyPackage and print JSON. Exit 0 accept, 1 reject, 2 usage error.\n"
    "options:\n";

static int help(void)
{
    fputs(usage_text, stdout);
    fputs(cli_mls_options_help, stdout);
    return 0;
}

/* ---- create -------------------------------------------------------------------------------- */

struct create_args {
    const char *type, *key, *chain, *passport, *identity, *seed, *out;
    uint64_t not_before, not_after;
    int have_nb, have_na, bare, hex;
};

static int create_parse(struct cli_mls *m, struct create_args *a, int argc, char **argv)
{
    static const char *const names[] = {"--credential-type", "--signature-key-pem", "--chain",
                                        "--passport", "--identity", "--seed", "--out",
                                        "--not-before", "--not-after"};
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--bare") == 0 || strcmp(argv[i], "--hex") == 0) {
            *(argv[i][2] == 'b' ? &a->bare : &a->hex) = 1;
            continue;
        }
        if (strncmp(argv[i], "--stir-", 7) == 0) {
            int r = cli_mls_option(m, argc, argv, &i);
            if (r < 0)
                return 0;
            if (r > 0)
                continue;
        }
        size_t k = 0;
        while (k < sizeof names / sizeof names[0] && strcmp(argv[i], names[k]) != 0)
            k++;
        if (k == sizeof names / sizeof names[0])
            return cli_usage("keypackage create: unknown option '%s'", argv[i]), 0;
        if (i + 1 >= argc)
            return cli_usage("%s needs a value", argv[i]), 0;
        const char *v = argv[++i];
        const char **slot[] = {&a->type, &a->key, &a->chain, &a->passport, &a->identity, &a->seed,
                               &a->out};
        if (k < 7)
            *slot[k] = v;
        else if (!cli_parse_u64(v, k == 7 ? &a->not_before : &a->not_after))
            return cli_usage("%s: bad value '%s'", argv[i - 1], v), 0;
        else
            *(k == 7 ? &a->have_nb : &a->have_na) = 1;
    }
    if (a->type == NULL || a->key == NULL || !a->have_nb || !a->have_na)
        return cli_usage("keypackage create needs --credential-type, --signature-key-pem, "
                         "--not-before and --not-after"), 0;
    stirmls_detail d;
    stirmls_detail_init(&d);
    if (stirmls_cred_codepoints_check(&m->o.codepoints, &d) != STIRMLS_R_OK)
        return cli_usage("%s", d.text), 0;
    return 1;
}

/* The encoded Credential for the requested type; *chain keeps the DER the slices point to. */
static int make_credential(const struct cli_mls *m, const struct create_args *a,
                           stirmls_der_list *chain, uint8_t **pp, size_t *pplen, stirmls_buf *out)
{
    stirmls_credential c;
    memset(&c, 0, sizeof c);
    const char *t = a->type;
    if (strcmp(t, "basic") == 0) {
        if (a->identity == NULL)
            return cli_usage("--credential-type basic needs --identity"), 0;
        c.kind = STIRMLS_CRED_KIND_BASIC, c.type = STIRMLS_CRED_BASIC;
        c.identity = stirmls_slice_str(a->identity);
    } else if (strcmp(t, "certificate") == 0 || strcmp(t, "x509") == 0 ||
               strcmp(t, "passport") == 0) {
        int pass = t[0] == 'p';
        c.kind = pass ? STIRMLS_CRED_KIND_STIR_PASSPORT
                 : t[0] == 'x' ? STIRMLS_CRED_KIND_X509 : STIRMLS_CRED_KIND_STIR_CERTIFICATE;
        c.type = pass ? m->o.codepoints.stir_passport
                 : t[0] == 'x' ? STIRMLS_CRED_X509 : m->o.codepoints.stir_certificate;
        if (!pass && a->chain == NULL)
            return cli_usage("--credential-type %s needs --chain", t), 0;
        if (pass && a->passport == NULL)
            return cli_usage("--credential-type passport needs --passport"), 0;
        if (a->chain != NULL) {
            uint8_t *pem = NULL;
            size_t len;
            if (!cli_read_file(a->chain, &pem, &len))
                return 0;
            stirmls_reason rc = stirmls_pem_certificates((const char *)pem, len, chain, NULL);
            free(pem);
            if (rc != STIRMLS_R_OK)
                return cli_usage("%s: no usable CERTIFICATE block", a->chain), 0;
            for (size_t i = 0; i < chain->n && i < STIRMLS_CRED_MAX_CERTS; i++)
                c.certs[i].ptr = chain->der[i], c.certs[i].len = chain->len[i];
            c.ncerts = chain->n;
        }
        if (pass) {
            if (!cli_read_file(a->passport, pp, pplen))
                return 0;
            while (*pplen > 0 && ((*pp)[*pplen - 1] == '\n' || (*pp)[*pplen - 1] == '\r' ||
                                  (*pp)[*pplen - 1] == ' '))
                (*pplen)--;
            c.passport.ptr = *pp, c.passport.len = *pplen;
        }
    } else {
        return cli_usage("unknown --credential-type '%s'", t), 0;
    }
    stirmls_credential_write(out, &c);
    return stirmls_buf_status(out) == STIRMLS_R_OK;
}

static int load_key(const char *path, stirmls_key **k)
{
    uint8_t *pem = NULL;
    size_t len;
    if (!cli_read_file(path, &pem, &len))
        return 0;
    stirmls_reason rc = stirmls_key_from_pem((const char *)pem, len, k);
    free(pem);
    if (rc != STIRMLS_R_OK)
        return cli_usage("%s: not a P-256 key (%s)", path, stirmls_reason_name(rc)), 0;
    if (!stirmls_key_has_private(*k)) {
        stirmls_key_free(*k);
        return cli_usage("%s holds no private key", path), 0;
    }
    return 1;
}

static int write_result(const struct create_args *a, const uint8_t *kpb, size_t len,
                        const stirmls_cred_codepoints *cp)
{
    char *h = NULL;
    const void *data = kpb;
    size_t dlen = len;
    if (a->hex) {
        h = malloc(2 * len + 2);
        if (h == NULL)
            return CLI_EXIT_USAGE;
        stirmls_hex_encode(kpb, len, h);
        h[2 * len] = '\n', h[2 * len + 1] = 0;
        data = h, dlen = 2 * len + 1;
    }
    int ok = cli_write_output(a->out, data, dlen);
    free(h);
    if (!ok)
        return CLI_EXIT_USAGE;
    if (a->out == NULL || strcmp(a->out, "-") == 0)
        return 0;
    stirmls_keypackage kp;
    uint8_t ref[32];
    int was;
    if (stirmls_keypackage_decode_any(kpb, len, cp, &kp, &was, NULL) != STIRMLS_R_OK ||
        stirmls_keypackage_ref(&kp, ref) != STIRMLS_R_OK)
        return cli_usage("internal: cannot re-read the KeyPackage just built"), CLI_EXIT_USAGE;
    stirmls_slice rs = {ref, 32};
    return cli_emit(json_pack("{s:s,s:I,s:o}", "out", a->out, "bytes", (json_int_t)len,
                              "key_package_ref", cli_hex_json(rs)))
               ? 0
               : CLI_EXIT_USAGE;
}

static int create(int argc, char **argv)
{
    struct cli_mls m;
    struct create_args a;
    cli_mls_init(&m);
    memset(&a, 0, sizeof a);
    if (!create_parse(&m, &a, argc, argv))
        return CLI_EXIT_USAGE;
    stirmls_key *k = NULL;
    stirmls_der_list chain;
    stirmls_buf cred;
    uint8_t *pp = NULL, *kpb = NULL;
    size_t pplen = 0, kplen = 0;
    int rc = CLI_EXIT_USAGE;
    memset(&chain, 0, sizeof chain);
    stirmls_buf_init(&cred);
    if (!load_key(a.key, &k) || !make_credential(&m, &a, &chain, &pp, &pplen, &cred))
        goto out;
    uint8_t pt[STIRMLS_P256_POINT_LEN];
    stirmls_key_point(k, pt);
    stirmls_kp_params p;
    memset(&p, 0, sizeof p);
    p.signature_key = k;
    p.credential.ptr = cred.ptr, p.credential.len = cred.len;
    p.not_before = a.not_before, p.not_after = a.not_after;
    /* init / encryption keys: derived from --seed, by default from the signature key's point */
    p.seed = a.seed ? (const uint8_t *)a.seed : pt;
    p.seedlen = a.seed ? strlen(a.seed) : sizeof pt;
    p.key_name = "stirmls-kp";
    stirmls_detail d;
    stirmls_detail_init(&d);
    if (stirmls_keypackage_build(&p, !a.bare, &kpb, &kplen, &d) != STIRMLS_R_OK) {
        cli_usage("cannot build the KeyPackage: %s", d.text);
        goto out;
    }
    rc = write_result(&a, kpb, kplen, &m.o.codepoints);
out:
    free(kpb), free(pp);
    stirmls_buf_cleanup(&cred);
    stirmls_der_list_cleanup(&chain);
    stirmls_key_free(k);
    return rc;
}

/* ---- verify and inspect ----------------------------------------------------------------- */

static int parse_common(struct cli_mls *m, int argc, char **argv, int need_at)
{
    for (int i = 2; i < argc; i++) {
        int r = cli_mls_option(m, argc, argv, &i);
        if (r < 0)
            return 0;
        if (r == 0)
            return cli_usage("keypackage %s: unknown option '%s'", argv[1], argv[i]), 0;
    }
    return cli_mls_finish(m, need_at);
}

static json_t *kp_summary(json_t *o, const stirmls_keypackage *kp, int was_message)
{
    uint8_t ref[32];
    stirmls_slice rs = {ref, 32};
    json_object_set_new(o, "format", json_string(was_message ? "mls_message" : "key_package"));
    json_object_set_new(o, "credential_type", json_string(stirmls_cred_kind_name(kp->leaf.credential.kind)));
    json_object_set_new(o, "credential_type_code", json_integer(kp->leaf.credential.type));
    if (stirmls_keypackage_ref(kp, ref) == STIRMLS_R_OK)
        json_object_set_new(o, "key_package_ref", cli_hex_json(rs));
    return o;
}

static int verify(int argc, char **argv)
{
    struct cli_mls m;
    cli_mls_init(&m);
    uint8_t *buf = NULL;
    size_t len;
    if (!parse_common(&m, argc, argv, 1) || !cli_mls_read_input(&m, &buf, &len)) {
        cli_mls_cleanup(&m);
        return CLI_EXIT_USAGE;
    }
    stirmls_keypackage kp;
    stirmls_mls_result res;
    stirmls_cred_validators v;
    stirmls_detail d;
    int was = 0;
    stirmls_detail_init(&d);
    stirmls_identities_init(&res.identities);
    cli_mls_validators(&m, &v);
    int decoded = 0;
    stirmls_reason rc = cli_mls_judge_keypackage(&m.o, &v, buf, len, m.at, &kp, &decoded, &was, &res, &d);
    json_t *o = cli_verdict_json(&d);
    json_object_set_new(o, "credential_type", json_null());
    if (decoded)
        kp_summary(o, &kp, was);
    json_object_set_new(o, "identities", cli_mls_identities_json(&res.identities));
    json_object_set_new(o, "assurance", json_string(rc == STIRMLS_R_OK ? res.identities.assurance : "none"));
    if (rc == STIRMLS_R_OK)
        json_object_set_new(o, "credential_not_after", cli_u64_json(res.credential_not_after));
    free(buf);
    cli_mls_cleanup(&m);
    return cli_emit(o) ? cli_verdict_exit(rc) : CLI_EXIT_USAGE;
}

static int inspect(int argc, char **argv)
{
    struct cli_mls m;
    cli_mls_init(&m);
    uint8_t *buf = NULL;
    size_t len;
    if (!parse_common(&m, argc, argv, 0) || !cli_mls_read_input(&m, &buf, &len))
        return CLI_EXIT_USAGE;
    stirmls_keypackage kp;
    stirmls_detail d;
    int was = 0;
    stirmls_detail_init(&d);
    stirmls_reason rc = stirmls_keypackage_decode_any(buf, len, &m.o.codepoints, &kp, &was, &d);
    json_t *o;
    if (rc != STIRMLS_R_OK) {
        o = cli_verdict_json(&d);
    } else {
        o = kp_summary(json_object(), &kp, was);
        json_object_set_new(o, "version", json_integer(kp.version));
        json_object_set_new(o, "cipher_suite", json_integer(kp.cipher_suite));
        json_object_set_new(o, "init_key", cli_hex_json(kp.init_key));
        json_object_set_new(o, "leaf_node", cli_mls_leafnode_json(&kp.leaf));
        stirmls_slice ext = kp.extensions;
        json_t *exts = json_array();
        stirmls_reader r;
        stirmls_extension e;
        stirmls_reader_init(&r, ext.ptr, ext.len);
        while (stirmls_extensions_next(&r, &e))
            json_array_append_new(exts, json_pack("{s:i,s:o}", "type", e.type, "data",
                                                  cli_hex_json(e.data)));
        json_object_set_new(o, "extensions", exts);
        json_object_set_new(o, "signature", cli_hex_json(kp.signature));
    }
    free(buf);
    return cli_emit(o) ? cli_verdict_exit(rc) : CLI_EXIT_USAGE;
}

int stirmls_cmd_keypackage(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("keypackage needs a subcommand: create, verify or inspect");
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return help();
    if (strcmp(argv[1], "create") == 0)
        return create(argc, argv);
    if (strcmp(argv[1], "verify") == 0)
        return verify(argc, argv);
    if (strcmp(argv[1], "inspect") == 0)
        return inspect(argc, argv);
    return cli_usage("keypackage: unknown subcommand '%s'", argv[1]);
}

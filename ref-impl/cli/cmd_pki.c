/* cmd_pki.c: `stirmls pki generate --seed S --out DIR`, the deterministic test PKI as PEM files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"

const char stirmls_cmd_pki_summary[] = "generate the deterministic test PKI (same seed, same bytes)";

static const char usage_text[] =
    "usage: stirmls pki generate --seed SEED --out DIR [--spc SPC] [--policy OID]\n"
    "                            [--not-before UNIXTIME] [--not-after UNIXTIME]\n"
    "Writes, for each of root, sti-ca, spc-ee, range-ee, deleg-ca, deleg-one, deleg-ca2,\n"
    "deleg2-one: NAME.pem (certificate), NAME.key.pem (PKCS#8 private key) and, below the root,\n"
    "NAME.chain.pem (leaf first, without the root). The same options give identical files.";

static int write_str(const char *dir, const char *name, const char *suffix, const char *s, json_t *files)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s", dir, name, suffix);
    if (!s || !cli_write_output(path, s, strlen(s)))
        return 0;
    json_array_append_new(files, json_string(path));
    return 1;
}

static int write_pki(const stirmls_pki *p, const char *dir, json_t *files)
{
    for (size_t i = 0; i < p->n; i++) {
        const stirmls_pki_entry *e = &p->e[i];
        char *cert = stirmls_cert_pem(e->cert), *key = stirmls_key_private_pem(e->key);
        char *chain = strcmp(e->name, e->issuer) ? stirmls_pki_chain_pem(p, e->name) : NULL;
        int ok = write_str(dir, e->name, ".pem", cert, files) && write_str(dir, e->name, ".key.pem", key, files) &&
                 (!strcmp(e->name, e->issuer) || write_str(dir, e->name, ".chain.pem", chain, files));
        free(cert), free(key), free(chain);
        if (!ok)
            return 0;
    }
    return 1;
}

static int generate(int argc, char **argv)
{
    const char *seed = NULL, *out = NULL;
    stirmls_pki_opts o;
    stirmls_pki_opts_init(&o, NULL, 0);
    for (int i = 0; i < argc; i += 2) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return cli_usage("pki generate: %s needs a value", k);
        if (strcmp(k, "--seed") == 0)
            seed = v;
        else if (strcmp(k, "--out") == 0)
            out = v;
        else if (strcmp(k, "--spc") == 0 && v[0])
            o.spc = v;
        else if (strcmp(k, "--policy") == 0)
            o.policy = v;
        else if (!((strcmp(k, "--not-before") == 0 && cli_parse_u64(v, &o.not_before)) ||
                   (strcmp(k, "--not-after") == 0 && cli_parse_u64(v, &o.not_after))))
            return cli_usage("pki generate: bad option or value '%s %s'", k, v);
    }
    if (!seed || !seed[0] || !out)
        return cli_usage("pki generate needs --seed and --out");
    if (o.not_after < o.not_before)
        return cli_usage("pki generate: --not-after is before --not-before");
    if (mkdir(out, 0777) != 0 && errno != EEXIST)
        return cli_usage("cannot create %s: %s", out, strerror(errno));
    o.seed = (const uint8_t *)seed;
    o.seedlen = strlen(seed);
    stirmls_pki p;
    stirmls_detail d;
    stirmls_detail_init(&d);
    if (stirmls_pki_generate(&o, &p, &d) != STIRMLS_R_OK)
        return cli_usage("pki generate failed: %s", d.text);
    json_t *files = json_array();
    int ok = write_pki(&p, out, files);
    stirmls_pki_cleanup(&p);
    if (!ok) {
        json_decref(files);
        return CLI_EXIT_USAGE;
    }
    return cli_emit(json_pack("{s:o}", "files", files)) ? 0 : CLI_EXIT_USAGE;
}

int stirmls_cmd_pki(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("pki needs 'generate --seed S --out DIR' (try --help)");
    if (strcmp(argv[1], "--help") == 0)
        return puts(usage_text), 0;
    if (strcmp(argv[1], "generate") == 0)
        return generate(argc - 2, argv + 2);
    return cli_usage("pki: unknown sub-command '%s'", argv[1]);
}

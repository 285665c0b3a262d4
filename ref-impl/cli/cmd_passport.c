/* cmd_passport.c: `stirmls passport sign|verify`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "cli_auth.h"

const char stirmls_cmd_passport_summary[] = "sign or verify a PASSporT (ES256, RFC 8225; mky; expiry)";

static const char usage_text[] =
    "usage: stirmls passport sign --key KEY.pem --x5u URL --claims CLAIMS.json [--ppt shaken|rcd]\n"
    "       stirmls passport verify --passport FILE --chain CHAIN.pem --trust ROOT.pem --at UNIXTIME\n"
    "               [--signature-key HEX] [--profile mls|sip] [--max-age S] [--skew S]\n"
    "               [--tn TN] [--trust-spc SPC]... [--strict | --lenient]\n"
    "sign prints the compact token (deterministic JSON, base64url without padding, ES256 R||S).\n"
    "With --profile sip the FILE may hold a SIP Identity header value (token;info=<URI>;...).\n"
    "verify prints {verdict, reason, detail, identities, assurance, attest, ...}; exit 0 accept,\n"
    "1 reject, 2 usage. --profile mls (default) needs --signature-key (the mky binding).\n"
    "With --tn (any tel form), orig.tn must be that number (the caller's reference identifier).";

/* ---- sign --------------------------------------------------------------------------------- */

static int cmd_sign(int argc, char **argv)
{
    const char *keyf = NULL, *x5u = NULL, *claimsf = NULL, *ppt = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0)
            return puts(usage_text), 0;
        if (v == NULL)
            return cli_usage("passport sign: option '%s' needs a value or is unknown", a);
        if (strcmp(a, "--key") == 0)
            keyf = v;
        else if (strcmp(a, "--x5u") == 0)
            x5u = v;
        else if (strcmp(a, "--claims") == 0)
            claimsf = v;
        else if (strcmp(a, "--ppt") == 0)
            ppt = v;
        else
            return cli_usage("passport sign: unknown option '%s'", a);
        i++;
    }
    if (keyf == NULL || x5u == NULL || claimsf == NULL)
        return cli_usage("passport sign: --key, --x5u and --claims are required");
    if (ppt != NULL && strcmp(ppt, "shaken") != 0 && strcmp(ppt, "rcd") != 0)
        return cli_usage("passport sign: --ppt must be shaken or rcd");
    uint8_t *keypem = NULL, *claims = NULL;
    size_t keylen = 0, clen = 0;
    stirmls_key *k = NULL;
    char *tok = NULL;
    int ret = CLI_EXIT_USAGE;
    stirmls_detail d;
    stirmls_detail_init(&d);
    if (!cli_read_file(keyf, &keypem, &keylen) || !cli_read_file(claimsf, &claims, &clen))
        goto out;
    if (stirmls_key_from_pem((const char *)keypem, keylen, &k) != STIRMLS_R_OK || !stirmls_key_has_private(k)) {
        cli_usage("passport sign: %s holds no P-256 private key", keyf);
        goto out;
    }
    if (stirmls_passport_sign(k, x5u, ppt, (const char *)claims, clen, &tok, &d) != STIRMLS_R_OK) {
        cli_usage("passport sign: %s: %s", claimsf, d.text);
        goto out;
    }
    printf("%s\n", tok);
    ret = fflush(stdout) == 0 ? 0 : CLI_EXIT_USAGE;
out:
    stirmls_key_free(k);
    free(keypem), free(claims), free(tok);
    return ret;
}

/* ---- verify ------------------------------------------------------------------------------- */

struct vopts {
    const char *passport, *chain, *trust, *sigkey, *tn;
    char tnbuf[STIRMLS_TN_MAX + 1]; /* --tn canonicalised */
    uint64_t at;
    int have_at;
    stirmls_ppt_policy pol;
    const char *spc[16];
    size_t n_spc;
};

static int parse_verify_opts(int argc, char **argv, struct vopts *o)
{
    stirmls_ppt_policy_init(&o->pol);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--strict") == 0 || strcmp(a, "--lenient") == 0) {
            o->pol.lenient = a[2] == 'l';
            continue;
        }
        if (v == NULL)
            return cli_usage("passport verify: option '%s' needs a value or is unknown", a);
        i++;
        if (strcmp(a, "--passport") == 0)
            o->passport = v;
        else if (strcmp(a, "--chain") == 0)
            o->chain = v;
        else if (strcmp(a, "--trust") == 0)
            o->trust = v;
        else if (strcmp(a, "--signature-key") == 0)
            o->sigkey = v;
        else if (strcmp(a, "--tn") == 0)
            o->tn = v;
        else if (strcmp(a, "--at") == 0) {
            if (!cli_parse_u64(v, &o->at))
                return cli_usage("passport verify: --at needs unix seconds");
            o->have_at = 1;
        } else if (strcmp(a, "--max-age") == 0 || strcmp(a, "--skew") == 0) {
            if (!cli_parse_u64(v, a[2] == 'm' ? &o->pol.max_age : &o->pol.skew))
                return cli_usage("passport verify: %s needs seconds", a);
        } else if (strcmp(a, "--profile") == 0) {
            if (strcmp(v, "mls") != 0 && strcmp(v, "sip") != 0)
                return cli_usage("passport verify: --profile must be mls or sip");
            o->pol.profile = v[0] == 's' ? STIRMLS_PPT_PROFILE_SIP : STIRMLS_PPT_PROFILE_MLS;
        } else if (strcmp(a, "--trust-spc") == 0) {
            if (o->n_spc == sizeof o->spc / sizeof o->spc[0])
                return cli_usage("passport verify: too many --trust-spc");
            o->spc[o->n_spc++] = v;
        } else {
            return cli_usage("passport verify: unknown option '%s'", a);
        }
    }
    if (o->passport == NULL || o->chain == NULL || o->trust == NULL || !o->have_at)
        return cli_usage("passport verify: --passport, --chain, --trust and --at are required");
    if (o->pol.profile == STIRMLS_PPT_PROFILE_MLS && o->sigkey == NULL)
        return cli_usage("passport verify: --profile mls needs --signature-key HEX");
    if (o->tn && stirmls_tn_canonicalize(o->tn, strlen(o->tn), o->tnbuf, NULL) != STIRMLS_R_OK)
        return cli_usage("passport verify: --tn '%s' is not a telephone number (1-15 of 0-9*# after canonicalisation)", o->tn);
    if (o->tn)
        o->tn = o->tnbuf;
    /* the chain arrives with the credential in MLS (x5u optional); SIP needs x5u */
    o->pol.chain_carried = o->pol.profile == STIRMLS_PPT_PROFILE_MLS;
    return 0;
}

/* Read the token, dropping trailing whitespace (a file usually ends in a newline). */
static int read_token(const char *path, char **tok, size_t *len)
{
    uint8_t *buf = NULL;
    if (!cli_read_file(path, &buf, len))
        return 0;
    while (*len > 0 && (buf[*len - 1] == '\n' || buf[*len - 1] == '\r' || buf[*len - 1] == ' ' ||
                        buf[*len - 1] == '\t'))
        buf[--*len] = 0;
    if (*len == 0) {
        free(buf);
        cli_usage("%s: holds only whitespace", path);
        return 0;
    }
    *tok = (char *)buf;
    return 1;
}

static int cmd_verify(int argc, char **argv)
{
    struct vopts o;
    memset(&o, 0, sizeof o);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0)
            return puts(usage_text), 0;
    int ret = parse_verify_opts(argc, argv, &o), verdict = 0;
    if (ret != 0)
        return ret;
    char *tok = NULL;
    uint8_t *sigkey = NULL;
    size_t toklen = 0, sklen = 0;
    stirmls_trust *trust = NULL;
    stirmls_cert_list chain;
    stirmls_auth_result res;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_cert_list_init(&chain);
    memset(&res, 0, sizeof res);
    ret = CLI_EXIT_USAGE;
    if (!read_token(o.passport, &tok, &toklen) || !cli_load_trust(o.trust, &trust))
        goto out;
    if (o.sigkey != NULL &&
        (stirmls_hex_decode(o.sigkey, strlen(o.sigkey), &sigkey, &sklen) != STIRMLS_R_OK || sklen == 0)) {
        cli_usage("passport verify: --signature-key is not non-empty hex");
        goto out;
    }
    stirmls_reason rc = STIRMLS_R_OK;
    if (!cli_load_certs(o.chain, &chain, &d, &verdict)) {
        if (!verdict)
            goto out;
        rc = d.reason ? d.reason : STIRMLS_R_CERT_PARSE;
    }
    if (rc == STIRMLS_R_OK) {
        stirmls_auth_opts ao;
        stirmls_auth_opts_init(&ao, trust, o.at);
        ao.ppt = o.pol;
        ao.trust_spc.spc = o.spc;
        ao.trust_spc.n = o.n_spc;
        ao.tn = o.tn;
        rc = cli_auth_passport(tok, toklen, &chain, &ao, sigkey, sklen, &res, &d);
    }
    d.reason = rc;
    json_t *v = cli_verdict_json(&d);
    if (rc == STIRMLS_R_OK)
        cli_auth_json(v, &res);
    else
        json_object_set_new(v, "identities", json_array());
    ret = cli_emit(v) ? cli_verdict_exit(rc) : CLI_EXIT_USAGE;
out:
    stirmls_trust_free(trust);
    stirmls_cert_list_cleanup(&chain);
    free(tok), free(sigkey);
    return ret;
}

int stirmls_cmd_passport(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("passport: a subcommand is required (sign or verify; --help)");
    if (strcmp(argv[1], "--help") == 0)
        return puts(usage_text), 0;
    if (strcmp(argv[1], "sign") == 0)
        return cmd_sign(argc - 1, argv + 1);
    if (strcmp(argv[1], "verify") == 0)
        return cmd_verify(argc - 1, argv + 1);
    return cli_usage("passport: unknown subcommand '%s' (sign or verify)", argv[1]);
}

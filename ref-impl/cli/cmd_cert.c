/* cmd_cert.c: `stirmls cert verify ...` (STIR chain validation) and `stirmls cert show FILE`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_auth.h"
#include "cli_stir.h"

const char stirmls_cmd_cert_summary[] = "verify a STIR certificate chain at a given time, or show a certificate";

static const char usage_text[] =
    "usage: stirmls cert verify --chain CHAIN.pem --trust ROOT.pem --at UNIXTIME [--tn TN]\n"
    "                           [--trust-spc SPC]... [--max-chain N] [--anchor-checks LIST]\n"
    "       stirmls cert show FILE\n"
    "verify: CHAIN is a PEM bundle (leaf first) or one DER certificate; ROOT holds the trust\n"
    "anchor(s). Prints {\"verdict\",\"reason\",\"detail\",\"identities\":[{\"type\",\"value\"}],...};\n"
    "exit 0 accept, 1 reject, 2 usage error. With --tn, accept only if the leaf covers TN;\n"
    "--trust-spc lets that SPC vouch for TNs (the identity is then marked carrier_asserted).\n"
    "--anchor-checks: what of the trust anchor certificate is checked, a comma-separated list of\n"
    "validity, path-len, constraints (default: all three) or 'none' (RFC 5280 6.1 as written).";

#define MAX_SPC 32

struct verify_args {
    const char *chain, *trust, *tn;
    char tnbuf[STIRMLS_TN_MAX + 1]; /* --tn canonicalised (tel:+1-215-555-1212 -> 12155551212) */
    uint64_t at, max_chain;
    int have_at;
    unsigned anchor_flags;
    const char *spc[MAX_SPC];
    size_t n_spc;
};

/* --anchor-checks LIST: 1 and the STIRMLS_ANCHOR_* flags of what is NOT checked, 0 when unknown.
 * LIST is "none" or a comma-separated list of validity, path-len, constraints. */
static int anchor_checks(const char *v, unsigned *flags)
{
    static const struct {
        const char *item;
        unsigned flag;
    } map[] = {{"validity", STIRMLS_ANCHOR_NO_VALIDITY},
               {"path-len", STIRMLS_ANCHOR_NO_PATHLEN},
               {"constraints", STIRMLS_ANCHOR_NO_CONSTRAINTS}};
    unsigned f = STIRMLS_ANCHOR_NO_VALIDITY | STIRMLS_ANCHOR_NO_PATHLEN | STIRMLS_ANCHOR_NO_CONSTRAINTS;
    if (strcmp(v, "none") == 0)
        return *flags = f, 1;
    for (const char *p = v;; p++) {
        size_t n = strcspn(p, ","), i;
        for (i = 0; i < sizeof map / sizeof map[0]; i++)
            if (strlen(map[i].item) == n && strncmp(p, map[i].item, n) == 0 && (f & map[i].flag))
                break;
        if (i == sizeof map / sizeof map[0])
            return 0; /* unknown, empty or repeated item */
        f &= ~map[i].flag;
        p += n;
        if (*p == 0)
            return *flags = f, 1;
    }
}

static int parse_args(int argc, char **argv, struct verify_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return cli_usage("cert verify: %s needs a value", o);
        i++;
        if (strcmp(o, "--chain") == 0)
            a->chain = v;
        else if (strcmp(o, "--trust") == 0)
            a->trust = v;
        else if (strcmp(o, "--tn") == 0)
            a->tn = v;
        else if (strcmp(o, "--at") == 0 && cli_parse_u64(v, &a->at))
            a->have_at = 1;
        else if (strcmp(o, "--max-chain") == 0 && cli_parse_u64(v, &a->max_chain) && a->max_chain > 0 && a->max_chain < 100)
            continue;
        else if (strcmp(o, "--trust-spc") == 0 && a->n_spc < MAX_SPC && v[0])
            a->spc[a->n_spc++] = v;
        else if (strcmp(o, "--anchor-checks") == 0 && anchor_checks(v, &a->anchor_flags))
            continue;
        else
            return cli_usage("cert verify: bad option or value '%s %s'", o, v);
    }
    if (!a->chain || !a->trust || !a->have_at)
        return cli_usage("cert verify needs --chain, --trust and --at");
    /* a reference identifier in any tel form is canonicalised first (IDN-03, PPT-11) */
    if (a->tn && stirmls_tn_canonicalize(a->tn, strlen(a->tn), a->tnbuf, NULL) != STIRMLS_R_OK)
        return cli_usage("cert verify: --tn '%s' is not a telephone number (1-15 of 0-9*# after canonicalisation)", a->tn);
    if (a->tn)
        a->tn = a->tnbuf;
    return 0;
}

static int emit_result(stirmls_reason rc, stirmls_detail *d, const stirmls_chain_result *r)
{
    d->reason = rc;
    json_t *o = cli_verdict_json(d);
    json_object_set_new(o, "identities", cli_tna_identities_json(r ? r->identities : NULL));
    if (r && rc == STIRMLS_R_OK) {
        json_object_set_new(o, "carrier_asserted", json_boolean(r->carrier_asserted));
        json_object_set_new(o, "not_after", json_integer((json_int_t)r->not_after));
        json_object_set_new(o, "path_length", json_integer((json_int_t)r->path.n));
    }
    return cli_emit(o) ? cli_verdict_exit(rc) : CLI_EXIT_USAGE;
}

static int cmd_verify(int argc, char **argv)
{
    struct verify_args a;
    int ret = parse_args(argc, argv, &a), verdict;
    if (ret)
        return ret;
    stirmls_cert_list chain, anchors;
    stirmls_trust *trust = NULL;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_cert_list_init(&chain);
    stirmls_cert_list_init(&anchors);
    if (!cli_load_certs(a.trust, &anchors, &d, &verdict)) {
        ret = verdict ? cli_usage("%s: trust anchor does not parse: %s", a.trust, d.text) : CLI_EXIT_USAGE;
        goto out;
    }
    if (!cli_load_certs(a.chain, &chain, &d, &verdict)) {
        ret = verdict ? emit_result(STIRMLS_R_CERT_PARSE, &d, NULL) : CLI_EXIT_USAGE;
        goto out;
    }
    if (stirmls_trust_new(&anchors, &trust) != STIRMLS_R_OK) {
        ret = cli_usage("cannot build the trust store");
        goto out;
    }
    stirmls_chain_opts o;
    stirmls_chain_opts_init(&o, trust, a.at);
    o.tn = a.tn;
    o.trust_spc.spc = a.spc;
    o.trust_spc.n = a.n_spc;
    if (a.max_chain)
        o.max_len = (size_t)a.max_chain;
    o.anchor_flags = a.anchor_flags;
    stirmls_chain_result r;
    stirmls_reason rc = stirmls_chain_verify(chain.certs, chain.n, &o, &r, &d);
    ret = emit_result(rc, &d, &r);
    stirmls_chain_result_cleanup(&r);
out:
    stirmls_trust_free(trust);
    stirmls_cert_list_cleanup(&chain);
    stirmls_cert_list_cleanup(&anchors);
    return ret;
}

static json_t *jcc_json(const stirmls_jcc *j)
{
    json_t *inc = json_array(), *exc = json_array(), *perm = json_object();
    for (size_t i = 0; i < j->n_include; i++)
        json_array_append_new(inc, json_string(j->must_include[i]));
    for (size_t i = 0; i < j->n_exclude; i++)
        json_array_append_new(exc, json_string(j->must_exclude[i]));
    for (size_t i = 0; i < j->n_permitted; i++) {
        json_t *v = json_array();
        for (size_t k = 0; k < j->permitted[i].n; k++)
            json_array_append_new(v, json_string(j->permitted[i].values[k]));
        json_object_set_new(perm, j->permitted[i].claim, v);
    }
    return json_pack("{s:b,s:o,s:o,s:o}", "enhanced", j->enhanced, "must_include", inc, "permitted_values", perm,
                     "must_exclude", exc);
}

static int cmd_show(int argc, char **argv)
{
    stirmls_cert_list l;
    stirmls_detail d;
    int verdict;
    if (argc != 1)
        return cli_usage("cert show takes exactly one FILE");
    stirmls_detail_init(&d);
    stirmls_cert_list_init(&l);
    if (!cli_load_certs(argv[0], &l, &d, &verdict))
        return verdict ? emit_result(STIRMLS_R_CERT_PARSE, &d, NULL) : CLI_EXIT_USAGE;
    json_t *arr = json_array();
    for (size_t i = 0; i < l.n; i++) {
        char subj[512], iss[512];
        stirmls_cert_subject(l.certs[i], subj, sizeof subj);
        stirmls_cert_issuer(l.certs[i], iss, sizeof iss);
        json_t *c = json_pack("{s:s,s:s,s:I,s:I}", "subject", subj, "issuer", iss, "not_before",
                              (json_int_t)stirmls_cert_not_before(l.certs[i]), "not_after",
                              (json_int_t)stirmls_cert_not_after(l.certs[i]));
        stirmls_tnauthlist *t = NULL;
        stirmls_jcc *j = NULL;
        stirmls_reason rc = stirmls_cert_tnauthlist(l.certs[i], &t, NULL);
        if (rc == STIRMLS_R_OK)
            json_object_set_new(c, "tnauthlist", cli_tna_entries_json(t));
        else if (rc != STIRMLS_R_CERT_NO_TNAUTHLIST)
            json_object_set_new(c, "tnauthlist_error", json_string(stirmls_reason_name(rc)));
        rc = stirmls_cert_jcc(l.certs[i], &j, NULL);
        if (rc != STIRMLS_R_OK)
            json_object_set_new(c, "jcc_error", json_string(stirmls_reason_name(rc)));
        else if (j)
            json_object_set_new(c, "jcc", jcc_json(j));
        stirmls_tnauthlist_free(t);
        stirmls_jcc_free(j);
        json_array_append_new(arr, c);
    }
    stirmls_cert_list_cleanup(&l);
    return cli_emit(json_pack("{s:o}", "certificates", arr)) ? 0 : CLI_EXIT_USAGE;
}

int stirmls_cmd_cert(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("cert needs 'verify ...' or 'show FILE' (try --help)");
    if (strcmp(argv[1], "--help") == 0)
        return puts(usage_text), 0;
    if (strcmp(argv[1], "verify") == 0)
        return cmd_verify(argc - 2, argv + 2);
    if (strcmp(argv[1], "show") == 0)
        return cmd_show(argc - 2, argv + 2);
    return cli_usage("cert: unknown sub-command '%s'", argv[1]);
}

/* mls_cli.c: common options, the validator table and JSON views for the MLS verbs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mls_cli.h"

const char cli_mls_options_help[] =
    "  --hex                       the input file holds hex text instead of bytes\n"
    "  --stir-certificate-type N   codepoint of stir_certificate (default 0xF051)\n"
    "  --stir-passport-type N      codepoint of stir_passport (default 0xF052)\n"
    "  --x509-stir-profile         judge x509 (0x0002) credentials as stir_certificate\n"
    "  --max-lifetime SECONDS      maximum KeyPackage lifetime span (default 7776000 = 90 days)\n"
    "  --capabilities-defaults-strict  reject capabilities listing default extension/proposal types\n"
    "  --trust ROOT.pem            STI trust anchor(s) for STIR credentials\n"
    "  --tn TN                     reference telephone number to be covered\n"
    "  --trust-spc SPC             trust this service provider code (repeatable)\n";

void cli_mls_init(struct cli_mls *m)
{
    memset(m, 0, sizeof *m);
    stirmls_mls_options_default(&m->o);
}

static int parse_u16(const char *s, uint16_t *out)
{
    char *end = NULL;
    if (s == NULL || *s == 0 || *s == '-')
        return 0;
    unsigned long v = strtoul(s, &end, 0);
    if (*end != 0 || v > 0xFFFF)
        return 0;
    *out = (uint16_t)v;
    return 1;
}

int cli_mls_option(struct cli_mls *m, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "--hex") == 0)
        return m->hex = 1, 1;
    if (strcmp(a, "--x509-stir-profile") == 0)
        return m->o.x509_stir_profile = 1, 1;
    if (strcmp(a, "--capabilities-defaults-strict") == 0)
        return m->o.capabilities_defaults_strict = 1, 1;
    static const char *const with_value[] = {"--in", "--at", "--trust", "--tn", "--trust-spc",
                                             "--stir-certificate-type", "--stir-passport-type",
                                             "--max-lifetime"};
    size_t k = 0;
    while (k < sizeof with_value / sizeof with_value[0] && strcmp(a, with_value[k]) != 0)
        k++;
    if (k == sizeof with_value / sizeof with_value[0])
        return 0;
    if (*i + 1 >= argc)
        return cli_usage("%s needs a value", a), -1;
    const char *v = argv[++*i];
    int ok = 1;
    if (k == 0)
        m->in = v;
    else if (k == 1)
        ok = cli_parse_u64(v, &m->at), m->have_at = 1;
    else if (k == 2)
        m->trust = v;
    else if (k == 3)
        m->tn = v;
    else if (k == 4) {
        if (m->nspc == CLI_MLS_MAX_SPC)
            return cli_usage("too many --trust-spc"), -1;
        m->spc[m->nspc++] = v;
    } else if (k == 5)
        ok = parse_u16(v, &m->o.codepoints.stir_certificate);
    else if (k == 6)
        ok = parse_u16(v, &m->o.codepoints.stir_passport);
    else
        ok = cli_parse_u64(v, &m->o.max_lifetime);
    if (!ok)
        return cli_usage("%s: bad value '%s'", a, v), -1;
    return 1;
}

int cli_mls_finish(struct cli_mls *m, int need_at)
{
    stirmls_detail d;
    stirmls_detail_init(&d);
    if (stirmls_cred_codepoints_check(&m->o.codepoints, &d) != STIRMLS_R_OK)
        return cli_usage("%s", d.text), 0;
    if (need_at && !m->have_at)
        return cli_usage("--at UNIXTIME is required"), 0;
    if (m->in == NULL)
        return cli_usage("--in FILE is required"), 0;
    /* unreadable trust anchors are a usage error, not a verdict */
    if (m->trust != NULL && !cli_load_trust(m->trust, &m->store))
        return 0;
    return 1;
}

int cli_mls_read_input(const struct cli_mls *m, uint8_t **buf, size_t *len)
{
    uint8_t *raw = NULL;
    size_t rawlen;
    if (!cli_read_file(m->in, &raw, &rawlen))
        return 0;
    if (!m->hex) {
        *buf = raw, *len = rawlen;
        return 1;
    }
    stirmls_reason rc = stirmls_hex_decode((const char *)raw, rawlen, buf, len);
    free(raw);
    if (rc != STIRMLS_R_OK || *len == 0) {
        if (rc == STIRMLS_R_OK)
            free(*buf);
        return cli_usage("%s is not hex", m->in), 0;
    }
    return 1;
}

void cli_stir_validators(stirmls_stir_binding *b, const stirmls_trust *trust, const char *tn,
                         const char *const *spc, size_t nspc, stirmls_cred_validators *v)
{
    /* basic -> CRED_BASIC_NO_TN; x509 -> CRED_X509_NOT_ALLOWED (or stir_certificate with the
     * x509 STIR profile); the two STIR types -> binding.h with the trust anchors */
    stirmls_cred_validators_default(v);
    stirmls_stir_binding_init(b, trust);
    b->auth.tn = tn;
    b->auth.trust_spc.spc = spc;
    b->auth.trust_spc.n = nspc;
    stirmls_stir_validators(b, v);
}

void cli_mls_validators(struct cli_mls *m, stirmls_cred_validators *v)
{
    cli_stir_validators(&m->binding, m->store, m->tn, m->spc, m->nspc, v);
}

stirmls_reason cli_mls_judge_credential(const stirmls_mls_options *o, const stirmls_cred_validators *v,
                                        const uint8_t *buf, size_t len, stirmls_slice sk, uint64_t at,
                                        stirmls_credential *c, int *decoded, uint64_t *not_after,
                                        stirmls_identities *ids, stirmls_detail *d)
{
    stirmls_reason rc = stirmls_credential_decode(buf, len, &o->codepoints, c, d);
    *decoded = rc == STIRMLS_R_OK;
    if (*decoded && (rc = stirmls_mls_check_key(sk, "signature_key", d)) == STIRMLS_R_OK)
        rc = stirmls_cred_validate(v, o->x509_stir_profile, c, sk, at, not_after, ids, d);
    return rc;
}

stirmls_reason cli_mls_judge_keypackage(const stirmls_mls_options *o, const stirmls_cred_validators *v,
                                        const uint8_t *buf, size_t len, uint64_t at,
                                        stirmls_keypackage *kp, int *decoded, int *was_message,
                                        stirmls_mls_result *res, stirmls_detail *d)
{
    stirmls_reason rc = stirmls_keypackage_decode_any(buf, len, &o->codepoints, kp, was_message, d);
    *decoded = rc == STIRMLS_R_OK;
    if (*decoded)
        rc = stirmls_keypackage_verify(kp, o, v, at, res, d);
    return rc;
}

void cli_mls_cleanup(struct cli_mls *m)
{
    stirmls_trust_free(m->store);
    m->store = NULL;
}

json_t *cli_hex_json(stirmls_slice s)
{
    char *h = malloc(2 * s.len + 1);
    if (h == NULL)
        return json_null();
    stirmls_hex_encode(s.ptr, s.len, h);
    json_t *j = json_string(h);
    free(h);
    return j;
}

json_t *cli_u64_json(uint64_t v)
{
    if (v <= (uint64_t)INT64_MAX)
        return json_integer((json_int_t)v);
    char b[24];
    snprintf(b, sizeof b, "%llu", (unsigned long long)v);
    return json_string(b);
}

/* Text when the bytes are UTF-8, else hex. */
static json_t *text_or_hex(stirmls_slice s)
{
    json_t *j = json_stringn((const char *)s.ptr, s.len);
    return j ? j : cli_hex_json(s);
}

static json_t *u16list_json(stirmls_slice body)
{
    json_t *a = json_array();
    stirmls_reader r;
    uint16_t v;
    stirmls_reader_init(&r, body.ptr, body.len);
    while (stirmls_reader_u16(&r, &v) == STIRMLS_R_OK)
        json_array_append_new(a, json_integer(v));
    return a;
}

static json_t *extensions_json(stirmls_slice body)
{
    json_t *a = json_array();
    stirmls_reader r;
    stirmls_extension e;
    stirmls_reader_init(&r, body.ptr, body.len);
    while (stirmls_extensions_next(&r, &e))
        json_array_append_new(a, json_pack("{s:i,s:o}", "type", e.type, "data", cli_hex_json(e.data)));
    return a;
}

json_t *cli_mls_credential_json(const stirmls_credential *c)
{
    json_t *o = json_pack("{s:s,s:i}", "credential_type", stirmls_cred_kind_name(c->kind),
                          "credential_type_code", c->type);
    if (c->kind == STIRMLS_CRED_KIND_BASIC) {
        json_object_set_new(o, "identity", text_or_hex(c->identity));
        return o;
    }
    if (c->kind == STIRMLS_CRED_KIND_STIR_PASSPORT)
        json_object_set_new(o, "passport", text_or_hex(c->passport));
    json_t *certs = json_array();
    for (size_t i = 0; i < c->ncerts; i++)
        json_array_append_new(certs, cli_hex_json(c->certs[i]));
    json_object_set_new(o, "certificates", certs);
    return o;
}

json_t *cli_mls_leafnode_json(const stirmls_leafnode *ln)
{
    static const char *const src[] = {"", "key_package", "update", "commit"};
    const stirmls_capabilities *c = &ln->capabilities;
    json_t *caps = json_pack("{s:o,s:o,s:o,s:o,s:o}", "versions", u16list_json(c->versions),
                             "cipher_suites", u16list_json(c->cipher_suites), "extensions",
                             u16list_json(c->extensions), "proposals", u16list_json(c->proposals),
                             "credentials", u16list_json(c->credentials));
    json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:s,s:o,s:o}", "encryption_key",
                          cli_hex_json(ln->encryption_key), "signature_key",
                          cli_hex_json(ln->signature_key), "credential",
                          cli_mls_credential_json(&ln->credential), "capabilities", caps,
                          "leaf_node_source", src[ln->source], "extensions",
                          extensions_json(ln->extensions), "signature", cli_hex_json(ln->signature));
    if (ln->source == STIRMLS_LEAF_SOURCE_KEY_PACKAGE)
        json_object_set_new(o, "lifetime", json_pack("{s:o,s:o}", "not_before",
                                                     cli_u64_json(ln->not_before), "not_after",
                                                     cli_u64_json(ln->not_after)));
    if (ln->source == STIRMLS_LEAF_SOURCE_COMMIT)
        json_object_set_new(o, "parent_hash", cli_hex_json(ln->parent_hash));
    return o;
}

json_t *cli_mls_identities_json(const stirmls_identities *ids)
{
    json_t *a = json_array();
    for (size_t i = 0; i < ids->n; i++)
        json_array_append_new(a, json_string(ids->id[i]));
    return a;
}

json_t *cli_mls_member_json(const stirmls_group_member *m)
{
    static const char *const src[] = {"", "key_package", "update", "commit"};
    int ok = m->status == STIRMLS_MEMBER_VALID || m->status == STIRMLS_MEMBER_EXPIRING;
    const char *reason = stirmls_reason_name(m->detail.reason);
    json_t *o = json_pack("{s:i,s:s,s:i,s:s,s:s}", "leaf_index", (json_int_t)m->leaf_index,
                          "credential_type", stirmls_cred_kind_name(m->kind),
                          "credential_type_code", m->credential_type, "leaf_node_source",
                          src[m->source], "status", stirmls_member_status_name(m->status));
    json_object_set_new(o, "identities", cli_mls_identities_json(&m->identities));
    json_object_set_new(o, "assurance", json_string(ok ? m->identities.assurance : "none"));
    json_object_set_new(o, "not_after", ok ? cli_u64_json(m->not_after) : json_null());
    json_object_set_new(o, "reason", json_string(ok ? "" : reason ? reason : "INTERNAL"));
    json_object_set_new(o, "detail", json_string(ok ? "" : m->detail.text));
    return o;
}

void cli_mls_group_result_json(json_t *o, const stirmls_group_result *res)
{
    json_t *members = json_array();
    for (size_t i = 0; i < res->n_members; i++)
        json_array_append_new(members, cli_mls_member_json(&res->members[i]));
    json_object_set_new(o, "members", members);
    json_object_set_new(o, "counts", json_pack("{s:i,s:i,s:i,s:i}", "members", (json_int_t)res->n_members,
                                               "expiring", (json_int_t)res->n_expiring, "expired",
                                               (json_int_t)res->n_expired, "invalid", (json_int_t)res->n_invalid));
}

stirmls_reason cli_mls_decode_proposals(uint8_t *const *bufs, const size_t *lens, size_t n,
                                        const stirmls_cred_codepoints *cp, stirmls_public_message *ms,
                                        stirmls_detail *d)
{
    memset(ms, 0, n * sizeof *ms);
    for (size_t i = 0; i < n; i++) {
        stirmls_reason rc = stirmls_public_message_decode_message(bufs[i], lens[i], cp, &ms[i], d);
        if (rc != STIRMLS_R_OK) {
            char text[sizeof d->text];
            snprintf(text, sizeof text, "%s", d->text);
            snprintf(d->text, sizeof d->text, "proposal message %zu: %.280s", i, text);
            return rc;
        }
    }
    return STIRMLS_R_OK;
}

void cli_mls_proposals_cleanup(stirmls_public_message *ms, size_t n)
{
    for (size_t i = 0; i < n; i++)
        stirmls_public_message_cleanup(&ms[i]);
}

void cli_mls_group_message_json(json_t *o, const stirmls_group_message_result *res)
{
    static const char *const ct[] = {"", "application", "proposal", "commit"};
    json_object_set_new(o, "content_type", json_string(res->content_type <= 3 ? ct[res->content_type] : ""));
    json_object_set_new(o, "sender", json_integer(res->sender));
    json_object_set_new(o, "proposal_type", json_integer(res->proposal_type));
    json_object_set_new(o, "proposal_references", json_integer((json_int_t)res->n_references));
    json_object_set_new(o, "new_member", res->has_new_member ? cli_mls_member_json(&res->new_member) : json_null());
}

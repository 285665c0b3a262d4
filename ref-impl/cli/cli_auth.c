/* cli_auth.c: see cli_auth.h. */
#include <stdlib.h>
#include <string.h>
#include "cli_auth.h"

int cli_load_certs(const char *path, stirmls_cert_list *l, stirmls_detail *d, int *verdict)
{
    uint8_t *buf;
    size_t len;
    *verdict = 0;
    if (!cli_read_file(path, &buf, &len))
        return 0;
    stirmls_reason rc = stirmls_cert_list_parse(buf, len, l, d);
    free(buf);
    if (rc == STIRMLS_R_OK)
        return 1;
    if (rc == STIRMLS_R_CERT_PARSE) {
        *verdict = 1;
        return 0;
    }
    cli_usage("%s: %s", path, d->text[0] ? d->text : "no certificate");
    return 0;
}

int cli_load_trust(const char *path, stirmls_trust **out)
{
    stirmls_cert_list anchors;
    stirmls_detail d;
    int verdict;
    stirmls_detail_init(&d);
    stirmls_cert_list_init(&anchors);
    int ok = cli_load_certs(path, &anchors, &d, &verdict);
    if (!ok && verdict)
        cli_usage("%s: a trust anchor does not parse: %s", path, d.text);
    if (ok && stirmls_trust_new(&anchors, out) != STIRMLS_R_OK)
        ok = cli_usage("cannot build the trust store") && 0;
    stirmls_cert_list_cleanup(&anchors);
    return ok;
}

void cli_auth_json(json_t *o, const stirmls_auth_result *r)
{
    json_t *ids = json_array();
    for (size_t i = 0; i < r->n_ids; i++)
        json_array_append_new(ids, json_pack("{s:s,s:s}", "type", r->ids[i].type, "value", r->ids[i].value));
    json_object_set_new(o, "identities", ids);
    json_object_set_new(o, "assurance", json_string(r->carrier_asserted ? "carrier-asserted" : "tn-authorized"));
    json_object_set_new(o, "not_after", json_integer((json_int_t)r->not_after));
    json_object_set_new(o, "signer", json_string(r->signer));
    json_object_set_new(o, "attest", r->attest ? json_stringn(&r->attest, 1) : json_null());
    if (r->rcd[0])
        json_object_set_new(o, "rcd", json_loads(r->rcd, 0, NULL));
}

stirmls_reason cli_auth_passport(const char *tok, size_t len, const stirmls_cert_list *chain,
                                 const stirmls_auth_opts *ao, const uint8_t *sigkey, size_t sklen,
                                 stirmls_auth_result *res, stirmls_detail *d)
{
    stirmls_identity_params ip;
    stirmls_passport *p = NULL;
    stirmls_reason rc = STIRMLS_R_OK;
    memset(&ip, 0, sizeof ip);
    ip.token.ptr = (const uint8_t *)tok;
    ip.token.len = len;
    if (ao->ppt.profile == STIRMLS_PPT_PROFILE_SIP) {
        rc = stirmls_identity_split(tok, len, &ip, d);
        if (rc == STIRMLS_R_OK)
            rc = stirmls_passport_parse((const char *)ip.token.ptr, ip.token.len, &ao->ppt, &p, d);
        if (rc == STIRMLS_R_OK)
            rc = stirmls_identity_check(&ip, p, d);
        stirmls_passport_free(p);
    }
    if (rc == STIRMLS_R_OK)
        rc = stirmls_auth_passport((const char *)ip.token.ptr, ip.token.len, chain->certs, chain->n, ao,
                                   sigkey, sklen, res, d);
    return rc;
}

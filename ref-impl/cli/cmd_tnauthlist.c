/* cmd_tnauthlist.c: `stirmls tnauthlist decode FILE` and `stirmls tnauthlist encode ...`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_stir.h"

const char stirmls_cmd_tnauthlist_summary[] = "decode or encode a TNAuthList (RFC 8226)";

static const char usage_text[] =
    "usage: stirmls tnauthlist decode FILE\n"
    "       stirmls tnauthlist encode (--spc SPC | --one TN | --range START:COUNT)... [--hex]\n"
    "decode: FILE holds the DER of the extension value, or a PEM/DER certificate (its TNAuthList is\n"
    "decoded). Prints {\"verdict\",\"reason\",\"detail\",\"entries\":[...]}; exit 0 valid, 1 invalid.\n"
    "encode: writes the DER to stdout (--hex: lower-case hex and a newline).";

/* A range count: a JSON integer up to 2^63-1 (what JSON readers hold exactly as signed 64-bit
 * integers), above that its decimal digits as a string, so 2^64-1 is never printed as -1. */
static json_t *count_json(uint64_t count)
{
    char digits[24];
    if (count <= (uint64_t)INT64_MAX)
        return json_integer((json_int_t)count);
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)count);
    return json_string(digits);
}

json_t *cli_tna_entries_json(const stirmls_tnauthlist *l)
{
    static const char *const names[] = {"spc", "range", "one"};
    json_t *a = json_array();
    for (size_t i = 0; l && i < l->n; i++) {
        const stirmls_tna_entry *e = &l->entries[i];
        if (e->type == STIRMLS_TNA_RANGE)
            json_array_append_new(a, json_pack("{s:s,s:s,s:o}", "type", "range", "start", e->value, "count",
                                               count_json(e->count)));
        else
            json_array_append_new(a, json_pack("{s:s,s:s}", "type", names[e->type], "value", e->value));
    }
    return a;
}

json_t *cli_tna_identities_json(const stirmls_tnauthlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; l && i < l->n; i++) {
        const stirmls_tna_entry *e = &l->entries[i];
        if (e->type == STIRMLS_TNA_RANGE) {
            char v[64];
            snprintf(v, sizeof v, "%s/%llu", e->value, (unsigned long long)e->count);
            json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:o}", "type", "range", "value", v, "start", e->value,
                                               "count", count_json(e->count)));
        } else {
            json_array_append_new(a, json_pack("{s:s,s:s}", "type", e->type == STIRMLS_TNA_SPC ? "spc" : "tn",
                                               "value", e->value));
        }
    }
    return a;
}

/* The TNAuthList bytes of the input: a certificate's extension, or the input itself. */
static stirmls_reason decode_input(const uint8_t *buf, size_t len, stirmls_tnauthlist **l, stirmls_detail *d)
{
    stirmls_cert_list certs;
    stirmls_detail ign;
    stirmls_detail_init(&ign);
    stirmls_cert_list_init(&certs);
    int pem = strstr((const char *)buf, "-----BEGIN") != NULL;
    stirmls_reason rc = stirmls_cert_list_parse(buf, len, &certs, pem ? d : &ign);
    if (rc == STIRMLS_R_OK) {
        rc = stirmls_cert_tnauthlist(certs.certs[0], l, d);
        if (rc == STIRMLS_R_CERT_NO_TNAUTHLIST)
            stirmls_fail(d, rc, "the certificate has no TNAuthList extension");
        if (rc != STIRMLS_R_OK && d->cert_index < 0)
            d->cert_index = 0;
    } else if (!pem) {
        rc = stirmls_tnauthlist_decode(buf, len, l, d);
    }
    stirmls_cert_list_cleanup(&certs);
    return rc;
}

static int cmd_decode(int argc, char **argv)
{
    uint8_t *buf;
    size_t len;
    if (argc != 1)
        return cli_usage("tnauthlist decode takes exactly one FILE");
    if (!cli_read_file(argv[0], &buf, &len))
        return CLI_EXIT_USAGE;
    int pem = strstr((const char *)buf, "-----BEGIN") != NULL;
    if (!pem && buf[0] != 0x30) {
        free(buf);
        return cli_usage("%s is neither PEM nor DER (no SEQUENCE)", argv[0]);
    }
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_tnauthlist *l = NULL;
    stirmls_reason rc = decode_input(buf, len, &l, &d);
    free(buf);
    if (rc == STIRMLS_R_PEM_INVALID)
        return cli_usage("%s: %s", argv[0], d.text);
    d.reason = rc;
    json_t *o = cli_verdict_json(&d);
    json_object_set_new(o, "entries", cli_tna_entries_json(l));
    stirmls_tnauthlist_free(l);
    return cli_emit(o) ? cli_verdict_exit(rc) : CLI_EXIT_USAGE;
}

static int add_arg(stirmls_tnauthlist *l, const char *opt, const char *v)
{
    stirmls_reason rc;
    if (strcmp(opt, "--spc") == 0) {
        rc = stirmls_tnauthlist_add(l, STIRMLS_TNA_SPC, v, 0);
    } else if (strcmp(opt, "--one") == 0) {
        rc = stirmls_tnauthlist_add(l, STIRMLS_TNA_ONE, v, 0);
    } else {
        char start[32];
        uint64_t count;
        const char *colon = strchr(v, ':');
        if (!colon || (size_t)(colon - v) >= sizeof start || !cli_parse_u64(colon + 1, &count))
            return cli_usage("--range wants START:COUNT, got '%s'", v);
        memcpy(start, v, (size_t)(colon - v));
        start[colon - v] = 0;
        rc = stirmls_tnauthlist_add(l, STIRMLS_TNA_RANGE, start, count);
    }
    if (rc != STIRMLS_R_OK)
        return cli_usage("%s '%s': %s", opt, v, stirmls_reason_text(rc));
    return 0;
}

static int cmd_encode(int argc, char **argv)
{
    int hex = 0, ret = 0;
    stirmls_tnauthlist *l = stirmls_tnauthlist_new();
    if (!l)
        return CLI_EXIT_USAGE;
    for (int i = 0; i < argc && ret == 0; i++) {
        if (strcmp(argv[i], "--hex") == 0)
            hex = 1;
        else if ((strcmp(argv[i], "--spc") == 0 || strcmp(argv[i], "--one") == 0 || strcmp(argv[i], "--range") == 0))
            ret = i + 1 < argc ? add_arg(l, argv[i], argv[i + 1]) : cli_usage("%s needs a value", argv[i]), i++;
        else
            ret = cli_usage("tnauthlist encode: unknown option '%s'", argv[i]);
    }
    if (ret == 0 && l->n == 0)
        ret = cli_usage("tnauthlist encode needs at least one --spc, --one or --range");
    stirmls_buf b;
    stirmls_buf_init(&b);
    if (ret == 0 && stirmls_tnauthlist_encode(l, &b) != STIRMLS_R_OK)
        ret = cli_usage("out of memory");
    if (ret == 0 && hex) {
        char *h = malloc(2 * b.len + 2);
        if (h) {
            stirmls_hex_encode(b.ptr, b.len, h);
            strcat(h, "\n");
        }
        ret = h && cli_write_output(NULL, h, strlen(h)) ? 0 : CLI_EXIT_USAGE;
        free(h);
    } else if (ret == 0) {
        ret = cli_write_output(NULL, b.ptr, b.len) ? 0 : CLI_EXIT_USAGE;
    }
    stirmls_buf_cleanup(&b);
    stirmls_tnauthlist_free(l);
    return ret;
}

int stirmls_cmd_tnauthlist(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("tnauthlist needs 'decode FILE' or 'encode ...' (try --help)");
    if (strcmp(argv[1], "--help") == 0)
        return puts(usage_text), 0;
    if (strcmp(argv[1], "decode") == 0)
        return cmd_decode(argc - 2, argv + 2);
    if (strcmp(argv[1], "encode") == 0)
        return cmd_encode(argc - 2, argv + 2);
    return cli_usage("tnauthlist: unknown sub-command '%s'", argv[1]);
}

/*
 * glue.c: what the secsipidx adapter does itself (none of it is credited to libsecsipid).
 *
 *  - private temporary files: libsecsipid reads keys and certificates from paths;
 *  - base64url + JSON reading of the PASSporT header (to build the SIP Identity form) and of the
 *    claims (for mky), with jansson;
 *  - MKY-03: SHA-256 of the raw signature key, upper-case hex pairs joined by ':';
 *  - the validity-equivalence test: libsecsipid (Go crypto/x509) judges certificate validity at
 *    the wall clock only, so the adapter answers a case only when every certificate is in the same
 *    state at `at` as now (OpenSSL reads the dates; the library still makes the decision).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "ssx.h"

enum { SSX_SLOTS = 4 };
static char tmpdir[256];
static char slot_path[SSX_SLOTS][320];
static const char *slot_name[SSX_SLOTS];

int ssx_tmpdir_init(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/ssx-peer-XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

void ssx_tmpdir_cleanup(void)
{
    for (int i = 0; i < SSX_SLOTS; i++)
        if (slot_name[i] != NULL)
            unlink(slot_path[i]);
    if (tmpdir[0])
        rmdir(tmpdir);
}

const char *ssx_write_file(const char *name, const char *text, size_t len)
{
    int i = 0;
    while (i < SSX_SLOTS && slot_name[i] != NULL && strcmp(slot_name[i], name) != 0)
        i++;
    if (i == SSX_SLOTS)
        return NULL;
    slot_name[i] = name;
    snprintf(slot_path[i], sizeof slot_path[i], "%s/%s", tmpdir, name);
    FILE *f = fopen(slot_path[i], "wb");
    if (f == NULL)
        return NULL;
    int ok = fwrite(text, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    return ok ? slot_path[i] : NULL;
}

static int b64url_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

char *ssx_b64url_decode(const char *seg, size_t len, size_t *out_len)
{
    if (len % 4 == 1)
        return NULL;
    char *out = malloc(len / 4 * 3 + 3);
    if (out == NULL)
        return NULL;
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        int v = b64url_value(seg[i]);
        if (v < 0) {
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (char)((acc >> bits) & 0xFF);
        }
    }
    out[n] = 0;
    *out_len = n;
    return out;
}

json_t *ssx_jws_segment_json(const char *token, int idx)
{
    const char *start = token;
    for (int i = 0; i < idx; i++) {
        start = strchr(start, '.');
        if (start == NULL)
            return NULL;
        start++;
    }
    const char *end = strchr(start, '.');
    if (end == NULL)
        return NULL;
    size_t n = 0;
    char *text = ssx_b64url_decode(start, (size_t)(end - start), &n);
    if (text == NULL)
        return NULL;
    /* Last member wins, as in the library's Go encoding/json: the glue reads what it reads. */
    json_t *j = json_loadb(text, n, 0, NULL);
    free(text);
    if (j != NULL && !json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* "AB:CD:..." for 32 bytes: 95 characters. */
static int dig_well_formed(const char *d)
{
    if (strlen(d) != 95)
        return 0;
    for (int i = 0; i < 95; i++) {
        if (i % 3 == 2 ? d[i] != ':' : hexval(d[i]) < 0)
            return 0;
    }
    return 1;
}

const char *ssx_mky_check(json_t *claims, const char *key_hex, int strict, const char **why)
{
    unsigned char key[256], md[32];
    size_t klen = strlen(key_hex);
    *why = "";
    if (klen % 2 || klen / 2 > sizeof key)
        return "HEX_INVALID";
    for (size_t i = 0; i < klen / 2; i++) {
        int hi = hexval(key_hex[2 * i]), lo = hexval(key_hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return "HEX_INVALID";
        key[i] = (unsigned char)(hi << 4 | lo);
    }
    if (EVP_Digest(key, klen / 2, md, NULL, EVP_sha256(), NULL) != 1)
        return "INTERNAL";
    char want[96];
    for (int i = 0; i < 32; i++)
        snprintf(want + 3 * i, 4, i < 31 ? "%02X:" : "%02X", md[i]);
    json_t *mky = json_object_get(claims, "mky");
    if (mky == NULL) {
        *why = "glue: no mky claim";
        return "MKY_MISSING";
    }
    size_t i, nsha = 0;
    json_t *e;
    if (!json_is_array(mky) || json_array_size(mky) == 0) {
        *why = "glue: mky is not a non-empty array";
        return "MKY_MALFORMED";
    }
    json_array_foreach(mky, i, e) {
        if (!json_is_string(json_object_get(e, "alg")) || !json_is_string(json_object_get(e, "dig"))) {
            *why = "glue: an mky entry is not {alg, dig}";
            return "MKY_MALFORMED";
        }
    }
    json_array_foreach(mky, i, e) {
        if (strcmp(json_string_value(json_object_get(e, "alg")), "sha-256") != 0)
            continue;
        nsha++;
        const char *dig = json_string_value(json_object_get(e, "dig"));
        if (!dig_well_formed(dig)) {
            *why = "glue: an mky dig is not 32 hex pairs joined by ':'";
            return "MKY_DIG_MALFORMED";
        }
        if (strict && strpbrk(dig, "abcdef") != NULL) {
            *why = "glue: an mky dig uses lower-case hex";
            return "MKY_DIG_LOWERCASE";
        }
        if (strcasecmp(dig, want) == 0)
            return NULL;
    }
    if (nsha == 0) {
        *why = "glue: no sha-256 mky entry";
        return "MKY_ALG_UNSUPPORTED";
    }
    *why = "glue: no mky entry matches the signature key";
    return "MKY_MISMATCH";
}

/* -1 before the window, 0 inside, 1 after; 2 on error. */
static int validity_state(const X509 *x, int64_t t)
{
    time_t tt = (time_t)t;
    int nb = X509_cmp_time(X509_get0_notBefore(x), &tt);
    int na = X509_cmp_time(X509_get0_notAfter(x), &tt);
    if (nb == 0 || na == 0)
        return 2;
    if (nb > 0)
        return -1;
    return na < 0 ? 1 : 0;
}

int ssx_validity_same(const char *const *pems, size_t n, int64_t at, int64_t now, char *why,
                      size_t whylen)
{
    for (size_t i = 0; i < n; i++) {
        BIO *bio = BIO_new_mem_buf(pems[i], -1);
        X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
        BIO_free(bio);
        if (x == NULL) {
            snprintf(why, whylen, "certificate %zu does not parse (OpenSSL)", i);
            return -1;
        }
        int sa = validity_state(x, at), sn = validity_state(x, now);
        X509_free(x);
        if (sa == 2 || sn == 2) {
            snprintf(why, whylen, "certificate %zu: unreadable validity dates", i);
            return -1;
        }
        if (sa != sn) {
            snprintf(why, whylen,
                     "libsecsipid judges certificate validity at the wall clock only; certificate "
                     "%zu is %s at 'at' but %s now",
                     i, sa < 0 ? "not yet valid" : sa > 0 ? "expired" : "valid",
                     sn < 0 ? "not yet valid" : sn > 0 ? "expired" : "valid");
            return 0;
        }
    }
    return 1;
}

const char *ssx_openssl_version(void)
{
    return OpenSSL_version(OPENSSL_VERSION);
}

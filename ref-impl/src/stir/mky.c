/* mky.c: the mky binding of a PASSporT to an MLS signature key (MKY-01..04). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "stirmls/crypto.h"
#include "stirmls/mky.h"
#include "stirmls/mutant.h"

void stirmls_mky_dig(const uint8_t *sigkey, size_t len, char out[STIRMLS_MKY_DIG_LEN + 1])
{
    static const char hexd[] = "0123456789ABCDEF";
    uint8_t h[STIRMLS_SHA256_LEN];
    if (stirmls_sha256_r(sigkey, len, h) != STIRMLS_R_OK) {
        out[0] = 0; /* out of memory: an empty dig, which nothing matches */
        return;
    }
    for (size_t i = 0; i < STIRMLS_SHA256_LEN; i++) {
        out[3 * i] = hexd[h[i] >> 4];
        out[3 * i + 1] = hexd[h[i] & 15];
        if (i + 1 < STIRMLS_SHA256_LEN)
            out[3 * i + 2] = ':';
    }
    out[STIRMLS_MKY_DIG_LEN] = 0;
}

char *stirmls_mky_entry_json(const uint8_t *sigkey, size_t len)
{
    char dig[STIRMLS_MKY_DIG_LEN + 1];
    stirmls_buf b;
    stirmls_mky_dig(sigkey, len, dig);
    if (dig[0] == 0)
        return NULL;
    stirmls_buf_init(&b);
    stirmls_buf_put_str(&b, "{\"alg\":\"sha-256\",\"dig\":\"");
    stirmls_buf_put_str(&b, dig);
    stirmls_buf_put_str(&b, "\"}");
    if (stirmls_buf_status(&b) != STIRMLS_R_OK) {
        stirmls_buf_cleanup(&b);
        return NULL;
    }
    size_t n = 0;
    return (char *)stirmls_buf_take(&b, &n);
}

/* Shape of dig: 95 characters, hex pairs and ':' between them. Returns 0 when malformed, else
 * 1, with *lower set when any a-f is used. */
static int dig_shape(const char *s, size_t len, int *lower)
{
    *lower = 0;
    if (len != STIRMLS_MKY_DIG_LEN)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (i % 3 == 2) {
            if (c != ':')
                return 0;
        } else if (c >= 'a' && c <= 'f') {
            *lower = 1;
        } else if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
            return 0;
        }
    }
    return 1;
}

static stirmls_reason entry_shape(const stirmls_json *e, size_t i, const char **alg,
                                  const char **dig, size_t *diglen, stirmls_detail *d)
{
    if (stirmls_json_typeof(e) != STIRMLS_JSON_OBJECT)
        return stirmls_fail(d, STIRMLS_R_MKY_MALFORMED, "mky[%zu] is not an object", i);
    *alg = stirmls_json_string(stirmls_json_get(e, "alg"), NULL);
    *dig = stirmls_json_string(stirmls_json_get(e, "dig"), diglen);
    if (*alg == NULL || *dig == NULL)
        return stirmls_fail(d, STIRMLS_R_MKY_MALFORMED, "mky[%zu] lacks string alg and dig", i);
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_mky_check(const stirmls_json *mky, const uint8_t *sigkey, size_t len,
                                 int lenient, stirmls_detail *d)
{
    char want[STIRMLS_MKY_DIG_LEN + 1];
    size_t n_sha = 0;
    int match = 0;
    if (mky == NULL)
        return stirmls_fail(d, STIRMLS_R_MKY_MISSING, "the PASSporT has no mky claim");
    if (stirmls_json_typeof(mky) != STIRMLS_JSON_ARRAY || stirmls_json_size(mky) == 0)
        return stirmls_fail(d, STIRMLS_R_MKY_MALFORMED, "mky is not a non-empty array");
    stirmls_mky_dig(sigkey, len, want);
    if (want[0] == 0)
        return stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory hashing the signature key");
    for (size_t i = 0; i < stirmls_json_size(mky); i++) {
        const char *alg = NULL, *dig = NULL;
        size_t diglen = 0;
        int lower = 0;
        stirmls_reason rc = entry_shape(stirmls_json_at(mky, i), i, &alg, &dig, &diglen, d);
        if (rc != STIRMLS_R_OK)
            return rc;
        if (lenient ? strcasecmp(alg, "sha-256") != 0 : strcmp(alg, "sha-256") != 0)
            continue; /* other hash functions are ignored (MKY-03) */
        n_sha++;
        if (!dig_shape(dig, diglen, &lower))
            return stirmls_fail(d, STIRMLS_R_MKY_DIG_MALFORMED,
                                "mky[%zu].dig is not 32 hex pairs joined by ':'", i);
#if STIRMLS_MUTANT_ID == 2 /* mutant 2: compare mky case-insensitively (accept lower-case dig) */
        if (0 && (lower && !lenient))
#else
        if (lower && !lenient)
#endif
            return stirmls_fail(d, STIRMLS_R_MKY_DIG_LOWERCASE, "mky[%zu].dig uses lower case", i);
        match |= strcasecmp(dig, want) == 0;
    }
    if (n_sha == 0)
        return stirmls_fail(d, STIRMLS_R_MKY_ALG_UNSUPPORTED, "no mky entry with alg sha-256");
#if STIRMLS_MUTANT_ID == 1 /* mutant 1: skip the mky check */
    if (0 && (!match))
#else
    if (!match)
#endif
        return stirmls_fail(d, STIRMLS_R_MKY_MISMATCH, "no mky entry matches the key (want %s)",
                            want);
    return STIRMLS_R_OK;
}

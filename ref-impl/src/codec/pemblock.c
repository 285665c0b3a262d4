/* pemblock.c: DER bytes of the CERTIFICATE blocks of a PEM bundle, read through the bounded
 * reader one line at a time. */
#include <stdlib.h>
#include <string.h>
#include "stirmls/b64url.h"
#include "stirmls/pemblock.h"

#define BEGIN_CERT "-----BEGIN CERTIFICATE-----"
#define END_CERT "-----END CERTIFICATE-----"

/* The next line (without CR/LF) as a slice; 0 at the end of the input. */
static int next_line(stirmls_reader *r, stirmls_slice *line)
{
    if (stirmls_reader_left(r) == 0)
        return 0;
    stirmls_reader probe = *r;
    size_t n = 0;
    uint8_t c = 0;
    while (stirmls_reader_u8(&probe, &c) == STIRMLS_R_OK && c != '\n')
        n++;
    if (stirmls_reader_bytes(r, n, line) != STIRMLS_R_OK)
        return 0;
    if (c == '\n' && stirmls_reader_u8(r, &c) != STIRMLS_R_OK)
        return 0;
    while (line->len > 0 && (line->ptr[line->len - 1] == '\r' || line->ptr[line->len - 1] == ' ' ||
                             line->ptr[line->len - 1] == '\t'))
        line->len--;
    return 1;
}

static int is_line(stirmls_slice line, const char *s)
{
    return stirmls_slice_eq(line, stirmls_slice_str(s));
}

static int b64val(uint8_t c)
{
    return stirmls_base64_value(c, 0); /* standard alphabet (RFC 4648 §4) */
}

/* Append the base64 of one body line to the quartet state; padding ends the block. */
static int b64_line(stirmls_slice line, stirmls_buf *out, uint32_t *acc, int *nacc, int *pad)
{
    for (size_t i = 0; i < line.len; i++) {
        uint8_t c = line.ptr[i];
        if (c == ' ' || c == '\t')
            continue;
        if (c == '=') {
            (*pad)++;
            if (*nacc + *pad > 4 || *nacc < 2)
                return 0;
            continue;
        }
        int v = b64val(c);
        if (v < 0 || *pad)
            return 0;
        *acc = (*acc << 6) | (uint32_t)v;
        if (++*nacc == 4) {
            uint8_t b[3] = {(uint8_t)(*acc >> 16), (uint8_t)(*acc >> 8), (uint8_t)*acc};
            stirmls_buf_put(out, b, 3);
            *acc = 0, *nacc = 0;
        }
    }
    return 1;
}

static int b64_finish(stirmls_buf *out, uint32_t acc, int nacc, int pad)
{
    if (nacc == 0)
        return pad == 0;
    if (nacc + pad != 4)
        return 0;
    acc <<= 6 * (4 - nacc);
    uint8_t b[3] = {(uint8_t)(acc >> 16), (uint8_t)(acc >> 8), (uint8_t)acc};
    stirmls_buf_put(out, b, (size_t)nacc - 1);
    return 1;
}

static stirmls_reason read_block(stirmls_reader *r, stirmls_buf *der, stirmls_detail *d)
{
    stirmls_slice line;
    uint32_t acc = 0;
    int nacc = 0, pad = 0;
    while (next_line(r, &line)) {
        if (is_line(line, END_CERT)) {
            if (!b64_finish(der, acc, nacc, pad) || der->len == 0)
                return stirmls_fail(d, STIRMLS_R_PEM_INVALID, "bad base64 in a CERTIFICATE block");
            return stirmls_buf_status(der);
        }
        if (!b64_line(line, der, &acc, &nacc, &pad))
            return stirmls_fail_at(d, STIRMLS_R_PEM_INVALID, (size_t)(line.ptr - r->buf),
                                   "bad base64 in a CERTIFICATE block");
    }
    return stirmls_fail(d, STIRMLS_R_PEM_INVALID, "CERTIFICATE block not closed");
}

stirmls_reason stirmls_pem_certificates(const char *text, size_t len, stirmls_der_list *out,
                                        stirmls_detail *d)
{
    stirmls_reader r;
    stirmls_slice line;
    stirmls_der_list l;
    stirmls_reason rc = STIRMLS_R_OK;
    memset(&l, 0, sizeof l);
    stirmls_reader_init(&r, (const uint8_t *)text, len);
    while (rc == STIRMLS_R_OK && next_line(&r, &line)) {
        if (!is_line(line, BEGIN_CERT))
            continue;
        if (l.n == STIRMLS_PEM_MAX_BLOCKS) {
            rc = stirmls_fail(d, STIRMLS_R_LENGTH_LIMIT, "more than %d certificates",
                              STIRMLS_PEM_MAX_BLOCKS);
            break;
        }
        stirmls_buf der;
        stirmls_buf_init(&der);
        rc = read_block(&r, &der, d);
        if (rc == STIRMLS_R_OK) {
            l.der[l.n] = stirmls_buf_take(&der, &l.len[l.n]);
            rc = l.der[l.n] ? STIRMLS_R_OK : STIRMLS_R_INTERNAL;
            l.n++;
        }
        stirmls_buf_cleanup(&der);
    }
    if (rc == STIRMLS_R_OK && l.n == 0)
        rc = stirmls_fail(d, STIRMLS_R_PEM_INVALID, "no CERTIFICATE block");
    if (rc != STIRMLS_R_OK) {
        stirmls_der_list_cleanup(&l);
        return rc;
    }
    *out = l;
    return STIRMLS_R_OK;
}

void stirmls_der_list_cleanup(stirmls_der_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->der[i]);
    memset(l, 0, sizeof *l);
}

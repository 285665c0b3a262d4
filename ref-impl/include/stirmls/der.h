/*
 * der.h: a small strict DER reader on top of stirmls_reader, and DER writer helpers on stirmls_buf.
 *
 * Reader rules (X.690 DER, strict):
 *   - identifier: one octet only (tag numbers 0..30); a high-tag-number form is DER_MALFORMED;
 *   - length: definite and minimal. The indefinite form (0x80) and non-minimal long forms
 *     (0x81 0x05, 0x82 0x00 0x90) are DER_NONCANONICAL; 0xFF or more than 4 length octets are
 *     DER_MALFORMED; a length running past the input is TRUNCATED;
 *   - INTEGER: non-empty and minimal (DER_NONCANONICAL for a redundant leading 00/FF octet);
 *   - BOOLEAN: one octet, 00 or FF (other values DER_NONCANONICAL);
 *   - OID: non-empty, minimal base-128 sub-identifiers, last octet closes the last sub-identifier.
 * Every function leaves the reader unchanged on failure.
 */
#ifndef STIRMLS_DER_H
#define STIRMLS_DER_H

#include "stirmls/base.h"

/* Universal tags */
#define STIRMLS_DER_BOOLEAN 0x01
#define STIRMLS_DER_INTEGER 0x02
#define STIRMLS_DER_BIT_STRING 0x03
#define STIRMLS_DER_OCTET_STRING 0x04
#define STIRMLS_DER_NULL 0x05
#define STIRMLS_DER_OID 0x06
#define STIRMLS_DER_UTF8STRING 0x0C
#define STIRMLS_DER_IA5STRING 0x16
#define STIRMLS_DER_SEQUENCE 0x30
#define STIRMLS_DER_SET 0x31
/* Context-specific tags: [n] constructed (EXPLICIT, or IMPLICIT of a constructed type) and primitive */
#define STIRMLS_DER_CTX_CONS(n) ((uint8_t)(0xA0 | (n)))
#define STIRMLS_DER_CTX_PRIM(n) ((uint8_t)(0x80 | (n)))

/* Read one TLV: its identifier octet and its contents as a sub-reader (absolute offsets). */
STIRMLS_MUST_USE stirmls_reason stirmls_der_tlv(stirmls_reader *r, uint8_t *tag, stirmls_reader *body);
/* Read one TLV whose identifier must be `tag` (DER_MALFORMED otherwise). */
STIRMLS_MUST_USE stirmls_reason stirmls_der_expect(stirmls_reader *r, uint8_t tag, stirmls_reader *body);
/* Peek the next identifier octet (TRUNCATED when empty). */
STIRMLS_MUST_USE stirmls_reason stirmls_der_peek_tag(const stirmls_reader *r, uint8_t *tag);
/* INTEGER, non-negative values 0..2^64-1 (up to 9 content octets, the first then 00) into *out
 * with *negative = 0. A negative INTEGER of any length is read with *negative = 1 and *out = 0
 * (callers reject it with their own reason). A non-negative value above 2^64-1 is UNSUPPORTED. */
STIRMLS_MUST_USE stirmls_reason stirmls_der_uint64(stirmls_reader *r, uint64_t *out, int *negative);
/* BOOLEAN. */
STIRMLS_MUST_USE stirmls_reason stirmls_der_bool(stirmls_reader *r, int *out);
/* OBJECT IDENTIFIER contents (without tag/length) as a borrowed slice, validated. */
STIRMLS_MUST_USE stirmls_reason stirmls_der_oid(stirmls_reader *r, stirmls_slice *out);
/* A string of the given universal tag (IA5String, UTF8String...) as a borrowed slice. For
 * IA5String every octet must be below 0x80 (DER_MALFORMED otherwise). */
STIRMLS_MUST_USE stirmls_reason stirmls_der_string(stirmls_reader *r, uint8_t tag, stirmls_slice *out);
/* Convert dotted text ("1.3.6.1.5.5.7.1.26") to OID contents; returns length or 0 on error. */
size_t stirmls_der_oid_from_text(const char *text, uint8_t *out, size_t cap);

/* ---- writer ---------------------------------------------------------------------------- */

/* Write the identifier octet and return a mark; stirmls_der_close inserts the minimal length
 * before the body written since the mark. */
size_t stirmls_der_open(stirmls_buf *b, uint8_t tag);
void stirmls_der_close(stirmls_buf *b, size_t mark);
/* A whole TLV with the given contents. */
void stirmls_der_put_tlv(stirmls_buf *b, uint8_t tag, const void *p, size_t n);
/* INTEGER in minimal two's complement (non-negative values). */
void stirmls_der_put_uint(stirmls_buf *b, uint64_t v);
void stirmls_der_put_bool(stirmls_buf *b, int v);

#endif

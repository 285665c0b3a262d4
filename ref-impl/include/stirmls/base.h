/*
 * base.h: the foundation every layer uses.
 *   - stirmls_detail: a caller-owned struct saying where and why something failed.
 *   - stirmls_slice:  a borrowed view of bytes (never owned).
 *   - stirmls_reader: the ONE bounded reader; only it indexes untrusted bytes.
 *   - stirmls_buf:    a growable owned byte buffer (writer side).
 *
 * Conventions (whole library):
 *   - Functions that can fail return stirmls_reason; STIRMLS_R_OK (0) is success.
 *     Outputs are written only on success. A failed read leaves the reader unchanged.
 *   - "owned" in a comment means the caller frees it with the named function;
 *     every *_free(NULL) is a no-op.
 *   - No function here reads the wall clock. Evaluation times are passed in (uint64 seconds).
 */
#ifndef STIRMLS_BASE_H
#define STIRMLS_BASE_H

#include <stddef.h>
#include <stdint.h>
#include "stirmls/reason.h"

#if defined(__GNUC__)
#define STIRMLS_MUST_USE __attribute__((warn_unused_result))
#define STIRMLS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define STIRMLS_MUST_USE
#define STIRMLS_PRINTF(a, b)
#endif

/* ---- detail ---------------------------------------------------------------------------- */

#define STIRMLS_NO_OFFSET ((size_t)-1)

typedef struct stirmls_detail {
    stirmls_reason reason; /* the first failure recorded */
    size_t offset;         /* byte offset in the input, or STIRMLS_NO_OFFSET */
    int cert_index;        /* index in the chain (0 = leaf), or -1 */
    char text[320];        /* short human text; may include OpenSSL's own error */
} stirmls_detail;

void stirmls_detail_init(stirmls_detail *d);
/* Record a failure (only the first one sticks) and return r. d may be NULL. */
stirmls_reason stirmls_fail(stirmls_detail *d, stirmls_reason r, const char *fmt, ...)
    STIRMLS_PRINTF(3, 4);
/* Same, with a byte offset. */
stirmls_reason stirmls_fail_at(stirmls_detail *d, stirmls_reason r, size_t offset, const char *fmt,
                               ...) STIRMLS_PRINTF(4, 5);

/* Control-flow helpers, the only ones: TRY propagates a failure to the exit label. */
#define STIRMLS_TRY(expr)                                                                       \
    do {                                                                                        \
        stirmls_reason stirmls__r = (expr);                                                    \
        if (stirmls__r != STIRMLS_R_OK) {                                                      \
            rc = stirmls__r;                                                                    \
            goto out;                                                                           \
        }                                                                                       \
    } while (0)

/* ---- slices ---------------------------------------------------------------------------- */

typedef struct stirmls_slice {
    const uint8_t *ptr; /* borrowed */
    size_t len;
} stirmls_slice;

int stirmls_slice_eq(stirmls_slice a, stirmls_slice b);
stirmls_slice stirmls_slice_str(const char *s);

/* ---- the bounded reader ---------------------------------------------------------------- */

typedef struct stirmls_reader {
    const uint8_t *buf; /* borrowed */
    size_t len;
    size_t off;
    size_t base; /* offset of buf[0] in the outermost input, for error reports */
} stirmls_reader;

void stirmls_reader_init(stirmls_reader *r, const uint8_t *buf, size_t len);
size_t stirmls_reader_left(const stirmls_reader *r);
/* Absolute offset of the next byte in the outermost input. */
size_t stirmls_reader_pos(const stirmls_reader *r);
STIRMLS_MUST_USE stirmls_reason stirmls_reader_u8(stirmls_reader *r, uint8_t *out);
STIRMLS_MUST_USE stirmls_reason stirmls_reader_u16(stirmls_reader *r, uint16_t *out);
STIRMLS_MUST_USE stirmls_reason stirmls_reader_u32(stirmls_reader *r, uint32_t *out);
STIRMLS_MUST_USE stirmls_reason stirmls_reader_u64(stirmls_reader *r, uint64_t *out);
/* Peek one byte without consuming it. */
STIRMLS_MUST_USE stirmls_reason stirmls_reader_peek(const stirmls_reader *r, uint8_t *out);
/* Take n bytes as a borrowed slice. */
STIRMLS_MUST_USE stirmls_reason stirmls_reader_bytes(stirmls_reader *r, size_t n, stirmls_slice *out);
/* Take n bytes as a sub-reader (its offsets stay absolute). */
STIRMLS_MUST_USE stirmls_reason stirmls_reader_sub(stirmls_reader *r, size_t n, stirmls_reader *sub);
/* MLS variable-length integer (RFC 9420 §2.1.2): 1, 2 or 4 bytes, minimal form, no 11 prefix. */
STIRMLS_MUST_USE stirmls_reason stirmls_reader_varint(stirmls_reader *r, uint32_t *out);
/* MLS vector <V>: varint length then that many bytes, as a sub-reader. */
STIRMLS_MUST_USE stirmls_reason stirmls_reader_vec(stirmls_reader *r, stirmls_reader *sub);
/* MLS opaque<V> as a borrowed slice. */
STIRMLS_MUST_USE stirmls_reason stirmls_reader_opaque(stirmls_reader *r, stirmls_slice *out);
/* Fails with TRAILING_BYTES when anything is left. */
STIRMLS_MUST_USE stirmls_reason stirmls_reader_finish(const stirmls_reader *r);

/* ---- the writer: a growable owned buffer ----------------------------------------------- */

typedef struct stirmls_buf {
    uint8_t *ptr; /* owned; freed by stirmls_buf_cleanup */
    size_t len;
    size_t cap;
    int failed; /* sticky: set when an allocation failed; every later put is a no-op */
} stirmls_buf;

void stirmls_buf_init(stirmls_buf *b);
void stirmls_buf_cleanup(stirmls_buf *b);
void stirmls_buf_reset(stirmls_buf *b); /* len = 0, keeps memory */
void stirmls_buf_put(stirmls_buf *b, const void *p, size_t n);
void stirmls_buf_put_u8(stirmls_buf *b, uint8_t v);
void stirmls_buf_put_u16(stirmls_buf *b, uint16_t v);
void stirmls_buf_put_u32(stirmls_buf *b, uint32_t v);
void stirmls_buf_put_u64(stirmls_buf *b, uint64_t v);
void stirmls_buf_put_str(stirmls_buf *b, const char *s);
/* MLS varint in minimal form; values >= 2^30 mark the buffer failed. */
void stirmls_buf_put_varint(stirmls_buf *b, uint32_t v);
/* MLS opaque<V>: minimal varint length, then the bytes. */
void stirmls_buf_put_opaque(stirmls_buf *b, const void *p, size_t n);
/* Open a <V> vector: remembers where the body starts; close writes the minimal header. */
size_t stirmls_buf_vec_open(stirmls_buf *b);
void stirmls_buf_vec_close(stirmls_buf *b, size_t mark);
/* INTERNAL if any put failed, else OK. */
STIRMLS_MUST_USE stirmls_reason stirmls_buf_status(const stirmls_buf *b);
/* Hand the bytes over (caller frees with free()); the buffer is left empty. NUL-terminated. */
uint8_t *stirmls_buf_take(stirmls_buf *b, size_t *len);

#endif

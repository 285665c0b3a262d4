/* b64url_fuzz.c: strict base64url decoding. Round trips: a string that decodes re-encodes to the
 * identical text (one accepted encoding per byte string); any bytes encode to a string that
 * decodes back to them. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_buf dec, enc, back;
    stirmls_detail d;
    stirmls_buf_init(&dec);
    stirmls_buf_init(&enc);
    stirmls_buf_init(&back);
    stirmls_detail_init(&d);
    stirmls_reason r = stirmls_b64url_decode((const char *)data, size, 0, &dec, &d);
    if (r == STIRMLS_R_OK) {
        stirmls_b64url_encode(dec.ptr, dec.len, &enc);
        FUZZ_CHECK(stirmls_buf_status(&enc) == STIRMLS_R_OK);
        FUZZ_SAME(enc.ptr, enc.len, data, size);
    } else {
        FUZZ_CHECK(d.reason == r && dec.len == 0);
        FUZZ_CHECK(d.offset == STIRMLS_NO_OFFSET || d.offset <= size);
    }
    /* the other direction, on the raw input as bytes */
    stirmls_buf_reset(&enc);
    stirmls_b64url_encode(data, size, &enc);
    FUZZ_CHECK(enc.len == stirmls_b64url_encoded_len(size));
    FUZZ_CHECK(stirmls_b64url_decode((const char *)enc.ptr, enc.len, 0, &back, NULL) == STIRMLS_R_OK);
    FUZZ_SAME(back.ptr, back.len, data, size);
    stirmls_buf_cleanup(&dec);
    stirmls_buf_cleanup(&enc);
    stirmls_buf_cleanup(&back);
    return 0;
}

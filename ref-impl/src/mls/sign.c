/* sign.c: SignWithLabel / VerifyWithLabel (RFC 9420 §5.1.2) and RefHash (§5.2), suite 0x0002. */
#include <stdlib.h>
#include <string.h>
#include "stirmls/leafnode.h"

#define MLS_LABEL_PREFIX "MLS 1.0 "

/* SignContent = struct { opaque label<V>; opaque content<V>; } */
static stirmls_reason sign_content(stirmls_buf *b, const char *prefix, const char *label,
                                   stirmls_slice content)
{
    size_t mark = stirmls_buf_vec_open(b);
    stirmls_buf_put_str(b, prefix);
    stirmls_buf_put_str(b, label);
    stirmls_buf_vec_close(b, mark);
    stirmls_buf_put_opaque(b, content.ptr, content.len);
    return stirmls_buf_status(b);
}

static stirmls_reason sign(const stirmls_key *k, const char *prefix, const char *label,
                           stirmls_slice content, uint8_t **sig, size_t *siglen)
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_reason rc = sign_content(&b, prefix, label, content);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_ecdsa_sign_der(k, b.ptr, b.len, sig, siglen);
    stirmls_buf_cleanup(&b);
    return rc;
}

stirmls_reason stirmls_mls_sign_content(const stirmls_key *k, const char *full_label,
                                        stirmls_slice content, uint8_t **sig, size_t *siglen)
{
    return sign(k, "", full_label, content, sig, siglen);
}

stirmls_reason stirmls_mls_sign_with_label(const stirmls_key *k, const char *label,
                                           stirmls_slice content, uint8_t **sig, size_t *siglen)
{
    return sign(k, MLS_LABEL_PREFIX, label, content, sig, siglen);
}

stirmls_reason stirmls_mls_verify_with_label(const stirmls_key *k, const char *label,
                                             stirmls_slice content, stirmls_slice sig)
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_reason rc = sign_content(&b, MLS_LABEL_PREFIX, label, content);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_ecdsa_verify_der(k, b.ptr, b.len, sig.ptr, sig.len);
    stirmls_buf_cleanup(&b);
    return rc;
}

stirmls_reason stirmls_mls_ref_hash(const char *label, stirmls_slice value,
                                    uint8_t out[STIRMLS_SHA256_LEN])
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_buf_put_opaque(&b, label, strlen(label));
    stirmls_buf_put_opaque(&b, value.ptr, value.len);
    stirmls_reason rc = stirmls_buf_status(&b);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_sha256_r(b.ptr, b.len, out);
    stirmls_buf_cleanup(&b);
    return rc;
}

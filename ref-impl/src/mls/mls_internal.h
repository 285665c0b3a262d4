/* mls_internal.h: helpers shared by the files of src/mls/ (not public API). */
#ifndef STIRMLS_MLS_INTERNAL_H
#define STIRMLS_MLS_INTERNAL_H

#include "stirmls/leafnode.h"

/* A uint16 vector <V>: its body as a slice (an odd-length body fails with TRUNCATED). */
stirmls_reason stirmls_mls_read_u16list(stirmls_reader *r, stirmls_slice *body, const char *what,
                                        stirmls_detail *d);
/* extensions<V>: every Extension {uint16 type; opaque data<V>} is checked; the body as a slice. */
stirmls_reason stirmls_mls_read_extensions(stirmls_reader *r, stirmls_slice *body, const char *what,
                                           stirmls_detail *d);
/* opaque<V> with the failure offset recorded. */
stirmls_reason stirmls_mls_read_opaque(stirmls_reader *r, stirmls_slice *out, const char *what,
                                       stirmls_detail *d);
/* An extension type appears at most once in the extensions body (MLS_EXTENSION_DUPLICATE, RFC 9420
 * §13.4), and every non-default type is in caps.extensions (MLS_EXTENSION_NOT_IN_CAPS). */
stirmls_reason stirmls_mls_check_extensions(stirmls_slice body, stirmls_slice caps_extensions,
                                            const char *where, stirmls_detail *d);

#endif

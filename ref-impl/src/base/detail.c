/* detail.c: the caller-owned failure record. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "stirmls/base.h"

void stirmls_detail_init(stirmls_detail *d)
{
    memset(d, 0, sizeof *d);
    d->reason = STIRMLS_R_OK;
    d->offset = STIRMLS_NO_OFFSET;
    d->cert_index = -1;
}

static stirmls_reason vfail(stirmls_detail *d, stirmls_reason r, size_t offset, const char *fmt,
                            va_list ap)
{
    if (d == NULL || d->reason != STIRMLS_R_OK)
        return r;
    d->reason = r;
    d->offset = offset;
    if (fmt != NULL)
        vsnprintf(d->text, sizeof d->text, fmt, ap);
    return r;
}

stirmls_reason stirmls_fail(stirmls_detail *d, stirmls_reason r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    stirmls_reason out = vfail(d, r, STIRMLS_NO_OFFSET, fmt, ap);
    va_end(ap);
    return out;
}

stirmls_reason stirmls_fail_at(stirmls_detail *d, stirmls_reason r, size_t offset, const char *fmt,
                               ...)
{
    va_list ap;
    va_start(ap, fmt);
    stirmls_reason out = vfail(d, r, offset, fmt, ap);
    va_end(ap);
    return out;
}

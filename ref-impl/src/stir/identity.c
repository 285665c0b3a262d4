/* identity.c: the SIP Identity header value around a PASSporT (RFC 8224 §4.1). */
#include <string.h>
#include "stirmls/identity.h"

/* Take bytes up to (not including) the next ';' or the end. */
static stirmls_slice take_field(stirmls_reader *r)
{
    stirmls_slice s = {r->buf + r->off, 0};
    uint8_t c = 0;
    while (stirmls_reader_peek(r, &c) == STIRMLS_R_OK && c != ';') {
        if (stirmls_reader_u8(r, &c) != STIRMLS_R_OK)
            break;
        s.len++;
    }
    return s;
}

static int name_is(stirmls_slice name, const char *want)
{
    size_t n = strlen(want);
    return name.len == n && memcmp(name.ptr, want, n) == 0;
}

static stirmls_reason set_once(stirmls_slice *dst, stirmls_slice v, size_t pos, stirmls_detail *d)
{
    if (dst->ptr != NULL)
        return stirmls_fail_at(d, STIRMLS_R_PPT_MALFORMED, pos, "repeated Identity parameter");
    *dst = v;
    return STIRMLS_R_OK;
}

static stirmls_reason one_param(stirmls_slice f, size_t pos, stirmls_identity_params *o,
                                stirmls_detail *d)
{
    const uint8_t *eq = memchr(f.ptr, '=', f.len);
    if (eq == NULL || eq == f.ptr || eq + 1 == f.ptr + f.len)
        return stirmls_fail_at(d, STIRMLS_R_PPT_MALFORMED, pos, "Identity parameter without a value");
    stirmls_slice name = {f.ptr, (size_t)(eq - f.ptr)};
    stirmls_slice v = {eq + 1, f.len - name.len - 1};
    if (name_is(name, "info")) {
        if (v.len < 2 || v.ptr[0] != '<' || v.ptr[v.len - 1] != '>')
            return stirmls_fail_at(d, STIRMLS_R_PPT_MALFORMED, pos, "info is not <URI>");
        v.ptr++, v.len -= 2;
        return set_once(&o->info, v, pos, d);
    }
    if (name_is(name, "alg"))
        return set_once(&o->alg, v, pos, d);
    if (name_is(name, "ppt")) {
        if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"')
            v.ptr++, v.len -= 2;
        return set_once(&o->ppt, v, pos, d);
    }
    return STIRMLS_R_OK; /* extension parameters are ignored */
}

stirmls_reason stirmls_identity_split(const char *value, size_t len, stirmls_identity_params *out,
                                      stirmls_detail *d)
{
    stirmls_identity_params o;
    stirmls_reader r;
    uint8_t semi = 0;
    memset(&o, 0, sizeof o);
    stirmls_reader_init(&r, (const uint8_t *)value, len);
    o.token = take_field(&r);
    if (o.token.len == 0)
        return stirmls_fail(d, STIRMLS_R_PPT_MALFORMED, "empty Identity token");
    while (stirmls_reader_u8(&r, &semi) == STIRMLS_R_OK) {
        size_t pos = stirmls_reader_pos(&r);
        stirmls_reason rc = one_param(take_field(&r), pos, &o, d);
        if (rc != STIRMLS_R_OK)
            return rc;
    }
    if (o.info.ptr == NULL)
        o.info.len = 0;
    *out = o;
    return STIRMLS_R_OK;
}

static int slice_is(stirmls_slice s, const char *want)
{
    return want != NULL && s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

stirmls_reason stirmls_identity_check(const stirmls_identity_params *ip, const stirmls_passport *p,
                                      stirmls_detail *d)
{
    static const char *const ppt_names[] = {NULL, "shaken", "rcd"};
    if (ip->info.ptr != NULL && p->x5u != NULL && !slice_is(ip->info, p->x5u))
        return stirmls_fail(d, STIRMLS_R_PPT_INFO_MISMATCH, "info <%.*s> differs from x5u",
                            (int)(ip->info.len > 80 ? 80 : ip->info.len), (const char *)ip->info.ptr);
    if (ip->alg.ptr != NULL && !slice_is(ip->alg, "ES256"))
        return stirmls_fail(d, STIRMLS_R_PPT_IDENTITY_PARAM, "Identity alg parameter is not ES256");
    if (ip->ppt.ptr != NULL && !slice_is(ip->ppt, ppt_names[p->ppt]))
        return stirmls_fail(d, STIRMLS_R_PPT_IDENTITY_PARAM, "Identity ppt parameter differs from the header");
    return STIRMLS_R_OK;
}

/* tn.c: canonical telephone numbers (RFC 8224 §8.3). */
#include <strings.h>
#include "stirmls/tn.h"

static int tn_char(char c)
{
    return (c >= '0' && c <= '9') || c == '*' || c == '#';
}

static int separator(char c)
{
    return c == '-' || c == '.' || c == '(' || c == ')' || c == ' ';
}

int stirmls_tn_is_canonical(const char *s, size_t len)
{
    if (s == NULL || len == 0 || len > STIRMLS_TN_MAX)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!tn_char(s[i]))
            return 0;
    return 1;
}

stirmls_reason stirmls_tn_canonicalize(const char *s, size_t len, char out[STIRMLS_TN_MAX + 1],
                                       stirmls_detail *d)
{
    size_t i = 0, n = 0;
    char tmp[STIRMLS_TN_MAX + 1];
    if (len >= 4 && strncasecmp(s, "tel:", 4) == 0)
        i = 4;
    if (i < len && s[i] == '+')
        i++;
    for (; i < len; i++) {
        if (separator(s[i]))
            continue;
        if (!tn_char(s[i]))
            return stirmls_fail_at(d, STIRMLS_R_PPT_TN_NONCANONICAL, i,
                                   "character 0x%02x not allowed in a telephone number",
                                   (unsigned char)s[i]);
        if (n == STIRMLS_TN_MAX)
            return stirmls_fail_at(d, STIRMLS_R_PPT_TN_NONCANONICAL, i,
                                   "telephone number longer than 15 characters");
        tmp[n++] = s[i];
    }
    if (n == 0)
        return stirmls_fail(d, STIRMLS_R_PPT_TN_NONCANONICAL, "telephone number is empty");
    for (i = 0; i < n; i++)
        out[i] = tmp[i];
    out[n] = 0;
    return STIRMLS_R_OK;
}

/* reason.c: lookups over the reason-code table (include/stirmls/reason.h). */
#include <string.h>
#include "stirmls/reason.h"

struct reason_row {
    stirmls_reason code;
    const char *name;
    int sip;
    const char *text;
};

static const struct reason_row rows[] = {
#define ROW(name, num, sip, text) {STIRMLS_R_##name, #name, sip, text},
    STIRMLS_REASONS(ROW)
#undef ROW
};

static const struct reason_row *find(stirmls_reason r)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i].code == r)
            return &rows[i];
    return NULL;
}

const char *stirmls_reason_name(stirmls_reason r)
{
    const struct reason_row *row = find(r);
    return row ? row->name : NULL;
}

const char *stirmls_reason_text(stirmls_reason r)
{
    const struct reason_row *row = find(r);
    return row ? row->text : NULL;
}

int stirmls_reason_sip(stirmls_reason r)
{
    const struct reason_row *row = find(r);
    return row ? row->sip : 0;
}

int stirmls_reason_from_name(const char *name, stirmls_reason *out)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (strcmp(rows[i].name, name) == 0) {
            *out = rows[i].code;
            return 1;
        }
    return 0;
}

size_t stirmls_reason_count(void)
{
    return sizeof rows / sizeof rows[0];
}

stirmls_reason stirmls_reason_at(size_t i)
{
    return i < stirmls_reason_count() ? rows[i].code : STIRMLS_R_INTERNAL;
}

/* passport_time.c: validity windows (EXP-02..04 for MLS, RFC 8224 freshness for SIP).
 * All bounds are inclusive and exact to the second; arithmetic saturates in uint64. */
#include <stdint.h>
#include "passport_internal.h"
#include "stirmls/mutant.h"

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t sat_sub(uint64_t a, uint64_t b)
{
    return a < b ? 0 : a - b;
}

/* The end of the window: the smallest of the bounds, and the reason crossing it gives.
 * On a tie the order is exp, signer notAfter, age limit. */
static void window_end(const stirmls_passport *p, uint64_t age_end, uint64_t signer_not_after,
                       uint64_t *end, stirmls_reason *why)
{
    *end = age_end;
    *why = STIRMLS_R_PPT_STALE;
    if (signer_not_after <= *end) {
        *end = signer_not_after;
        *why = STIRMLS_R_PPT_SIGNER_EXPIRED;
    }
#if STIRMLS_MUTANT_ID == 7 /* mutant 7: ignore PASSporT exp */
    if (0 && (p->has_exp && (uint64_t)p->exp <= *end)) {
#else
    if (p->has_exp && (uint64_t)p->exp <= *end) {
#endif
        *end = (uint64_t)p->exp;
        *why = STIRMLS_R_PPT_EXPIRED;
    }
}

stirmls_reason stirmls_passport_check_time(const stirmls_passport *p, const stirmls_ppt_policy *pol,
                                           uint64_t at, uint64_t signer_not_after,
                                           stirmls_ppt_result *res, stirmls_detail *d)
{
    uint64_t iat = (uint64_t)p->iat, ahead, age_end, end;
    stirmls_reason why;
    if (pol->profile == STIRMLS_PPT_PROFILE_SIP) {
        ahead = pol->sip_window;
        age_end = sat_add(iat, pol->sip_window);
    } else {
        ahead = pol->skew;
        age_end = sat_add(iat, pol->max_age);
    }
    uint64_t start = sat_sub(iat, ahead);
    window_end(p, age_end, signer_not_after, &end, &why);
#if STIRMLS_MUTANT_ID == 25 /* mutant 25: skip the iat-in-future check */
    if (0 && (at < start))
#else
    if (at < start)
#endif
        return stirmls_fail(d, STIRMLS_R_PPT_IAT_FUTURE,
                            "iat %llu is more than %llu s after the evaluation time %llu",
                            (unsigned long long)iat, (unsigned long long)ahead,
                            (unsigned long long)at);
    if (at > end)
        return stirmls_fail(d, why, "evaluation time %llu is after the last valid second %llu",
                            (unsigned long long)at, (unsigned long long)end);
    if (res != NULL) {
        res->valid_from = start;
        res->valid_until = end;
    }
    return STIRMLS_R_OK;
}

/*
 * bench_group.c: the GroupInfo of the group rows (make bench, docs/performance.md). BENCH_GROUP
 * members, each an Approach 2 member: a PASSporT signed by range-ee (orig.tn in 12155550100/100,
 * mky bound to the member's own key) with the chain range-ee + sti-ca, so the members share their
 * carrier's certificates; leaves of source update (no lifetime), signed for the group and their
 * index; built with stirmls_group_info_build (blank parents). Verifying it costs one ECDSA
 * verification for the GroupInfo, then per member two (the LeafNode and the PASSporT) with the
 * chain cached, four without (plus range-ee's and sti-ca's certificates).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"

static const uint8_t seed[] = "stirmls-bench-group-v1";
#define SEEDLEN (sizeof seed - 1)

static int fail(const char *what, size_t i, stirmls_reason rc, const stirmls_detail *d)
{
    fprintf(stderr, "stirmls-bench: group setup: %s (member %zu): %s %s\n", what, i, stirmls_reason_name(rc),
            d ? d->text : "");
    return -1;
}

/* Member i's leaf (owned) for key k. */
static int member_leaf(const struct bench_fix *f, size_t i, const stirmls_key *k, stirmls_slice gid,
                       stirmls_slice *leaf)
{
    const stirmls_pki_entry *ee = stirmls_pki_find(&f->pki, "range-ee");
    uint8_t pt[STIRMLS_P256_POINT_LEN];
    char claims[512], name[32], *tok = NULL;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_key_point(k, pt);
    char *mky = stirmls_mky_entry_json(pt, sizeof pt);
    if (mky == NULL || ee == NULL)
        return free(mky), fail("mky", i, STIRMLS_R_INTERNAL, NULL);
    int n = snprintf(claims, sizeof claims,
                     "{\"dest\":{\"uri\":[\"mimi://provider.stirmls.test\"]},\"iat\":%llu,\"mky\":[%s],"
                     "\"orig\":{\"tn\":\"121555501%02zu\"}}",
                     (unsigned long long)(f->at - 60), mky, i % 100);
    free(mky);
    stirmls_reason rc = stirmls_passport_sign(ee->key, BENCH_X5U, NULL, claims, (size_t)n, &tok, &d);
    if (rc != STIRMLS_R_OK)
        return fail("PASSporT", i, rc, &d);
    uint8_t *cred = NULL;
    size_t credlen = 0;
    if (bench_build_cred(STIRMLS_CRED_KIND_STIR_PASSPORT, f->chain, 2, tok, &cred, &credlen) != 0)
        return free(tok), -1;
    stirmls_kp_params p;
    memset(&p, 0, sizeof p);
    snprintf(name, sizeof name, "member/%zu", i);
    p.signature_key = k;
    p.credential = (stirmls_slice){cred, credlen};
    p.seed = seed;
    p.seedlen = SEEDLEN;
    p.key_name = name;
    uint8_t *out = NULL;
    size_t len = 0;
    stirmls_slice none = {NULL, 0};
    rc = stirmls_leafnode_build(&p, STIRMLS_LEAF_SOURCE_UPDATE, gid, (uint32_t)i, none, &out, &len, &d);
    free(cred);
    free(tok);
    *leaf = (stirmls_slice){out, len};
    return rc == STIRMLS_R_OK ? 0 : fail("LeafNode", i, rc, &d);
}

int bench_group_build(struct bench_fix *f, size_t n)
{
    stirmls_slice *leaves = calloc(n, sizeof *leaves), gid = stirmls_slice_str("bench-group");
    stirmls_key *last = NULL;
    static const uint8_t zero[32];
    int rc = leaves == NULL ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char name[32];
        stirmls_key *k = NULL;
        snprintf(name, sizeof name, "member/%zu", i);
        if (stirmls_key_derive(seed, SEEDLEN, name, &k) != STIRMLS_R_OK)
            rc = fail("key", i, STIRMLS_R_INTERNAL, NULL);
        else
            rc = member_leaf(f, i, k, gid, &leaves[i]);
        stirmls_key_free(last);
        last = k;
    }
    if (rc == 0) {
        stirmls_group_build b;
        stirmls_detail d;
        stirmls_detail_init(&d);
        memset(&b, 0, sizeof b);
        b.group_id = gid;
        b.epoch = 1;
        b.leaves = leaves;
        b.n_leaves = n;
        b.signer = (uint32_t)(n - 1);
        b.signer_key = last;
        b.confirmed_transcript_hash = (stirmls_slice){zero, sizeof zero};
        b.confirmation_tag = (stirmls_slice){zero, sizeof zero};
        stirmls_reason r = stirmls_group_info_build(&b, &f->group, &f->group_len, &d);
        rc = r == STIRMLS_R_OK ? 0 : fail("GroupInfo", n, r, &d);
        f->group_members = n;
    }
    for (size_t i = 0; leaves != NULL && i < n; i++)
        free((void *)leaves[i].ptr);
    free(leaves);
    stirmls_key_free(last);
    return rc;
}

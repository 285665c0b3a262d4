/* public_message_fuzz.c: MLSMessage(PublicMessage) decode with a Proposal or a Commit; round
 * trip (identical bytes); then the verification (stirmls_group_message_verify) against a fixed
 * GroupInfo built at the first call: the message as decoded (group, epoch, sender and signature
 * checks), and its content re-signed by the member it names (sender index modulo the members) in
 * the fixture's group and epoch, so the proposal-list rules, each new leaf and the successor rule
 * run on fuzzed proposals and commits. The members carry basic credentials judged by a validator
 * of this file: an identity "<tn> <not_after>" presents tn:<tn> (digits only) until not_after. */
#include "group_common.h"

#define NMEMBERS 4 /* leaves 0, 1, 3 members, leaf 2 blank */
#define AT 1767312000ull

static const uint8_t seed[] = "stirmls-fuzz-public-message";
static const char *const scripts[NMEMBERS] = {"12025550101 1769000000", "12025550102 1769000000", NULL,
                                              "12025550103 1769000000"};
static uint8_t *gi_bytes;
static size_t gi_len;
static stirmls_group_info gi;
static stirmls_key *keys[NMEMBERS];

static stirmls_reason validate(void *ctx, const stirmls_credential *cred, stirmls_slice key, uint64_t at,
                               uint64_t *not_after, stirmls_identities *ids, stirmls_detail *d)
{
    (void)ctx, (void)key;
    char tn[16], id[24];
    unsigned long long na = 0;
    size_t n = 0;
    while (n < cred->identity.len && n < sizeof tn - 1 && cred->identity.ptr[n] >= '0' && cred->identity.ptr[n] <= '9')
        n++;
    if (n == 0 || n == sizeof tn - 1 || n >= cred->identity.len || cred->identity.ptr[n] != ' ')
        return stirmls_fail(d, STIRMLS_R_CRED_BASIC_NO_TN, "not a scripted identity");
    memcpy(tn, cred->identity.ptr, n);
    tn[n] = 0;
    for (size_t i = n + 1; i < cred->identity.len && i < n + 12; i++) {
        if (cred->identity.ptr[i] < '0' || cred->identity.ptr[i] > '9')
            break;
        na = na * 10 + (unsigned)(cred->identity.ptr[i] - '0');
    }
    if (na < at)
        return stirmls_fail(d, STIRMLS_R_CERT_EXPIRED, "scripted expiry");
    snprintf(id, sizeof id, "tn:%s", tn);
    snprintf(ids->assurance, sizeof ids->assurance, "tn-authorized");
    *not_after = na;
    return stirmls_identities_add(ids, id);
}

/* The fixture: leaves of source update signed for the group and their index, signed by leaf 0. */
static void fixture(void)
{
    stirmls_slice leaves[NMEMBERS], gid = stirmls_slice_str("fuzz-group");
    uint8_t *owned[NMEMBERS] = {0};
    for (int i = 0; i < NMEMBERS; i++) {
        char name[16];
        leaves[i] = (stirmls_slice){NULL, 0};
        if (scripts[i] == NULL)
            continue;
        snprintf(name, sizeof name, "m%d", i);
        FUZZ_CHECK(stirmls_key_derive(seed, sizeof seed - 1, name, &keys[i]) == STIRMLS_R_OK);
        stirmls_buf cred;
        stirmls_buf_init(&cred);
        stirmls_buf_put_u16(&cred, STIRMLS_CRED_BASIC);
        stirmls_buf_put_opaque(&cred, scripts[i], strlen(scripts[i]));
        stirmls_kp_params p;
        memset(&p, 0, sizeof p);
        p.signature_key = keys[i];
        p.credential = (stirmls_slice){cred.ptr, cred.len};
        p.not_before = AT - 86400, p.not_after = AT + 86400;
        p.seed = seed, p.seedlen = sizeof seed - 1, p.key_name = name;
        FUZZ_CHECK(stirmls_leafnode_build(&p, STIRMLS_LEAF_SOURCE_UPDATE, gid, (uint32_t)i, (stirmls_slice){NULL, 0},
                                          &owned[i], &leaves[i].len, NULL) == STIRMLS_R_OK);
        leaves[i].ptr = owned[i];
        stirmls_buf_cleanup(&cred);
    }
    stirmls_group_build b;
    memset(&b, 0, sizeof b);
    b.group_id = gid, b.epoch = 3, b.leaves = leaves, b.n_leaves = NMEMBERS, b.signer = 0, b.signer_key = keys[0];
    FUZZ_CHECK(stirmls_group_info_build(&b, &gi_bytes, &gi_len, NULL) == STIRMLS_R_OK);
    FUZZ_CHECK(stirmls_group_info_decode_message(gi_bytes, gi_len, &gi, NULL) == STIRMLS_R_OK);
    for (int i = 0; i < NMEMBERS; i++)
        free(owned[i]);
}

/* Verify m against the fixture: a failure is recorded with its reason; the result is consistent. */
static stirmls_reason judge(const stirmls_public_message *m)
{
    stirmls_group_policy p;
    stirmls_cred_validators v;
    stirmls_group_message_result res;
    stirmls_detail d;
    stirmls_group_policy_default(&p);
    stirmls_cred_validators_default(&v);
    v.basic.validate = validate;
    stirmls_detail_init(&d);
    stirmls_reason r = stirmls_group_message_verify(&gi, m, &p, &v, AT, &res, &d);
    FUZZ_CHECK(r == STIRMLS_R_OK || d.reason == r);
    FUZZ_CHECK(!res.has_new_member || res.new_member.status <= STIRMLS_MEMBER_INVALID);
    FUZZ_CHECK(r != STIRMLS_R_OK || !res.has_new_member || res.new_member.status != STIRMLS_MEMBER_INVALID);
    return r;
}

/* The content of m re-signed by the member its sender index names, in the fixture's group. */
static void judge_resigned(const stirmls_public_message *m)
{
    static const uint32_t members[] = {0, 1, 3};
    uint32_t sender = members[m->sender_index % 3];
    stirmls_buf content;
    stirmls_buf_init(&content);
    if (m->content_type == STIRMLS_CONTENT_PROPOSAL)
        stirmls_proposal_write(&content, &m->proposal);
    else
        stirmls_commit_write(&content, &m->commit);
    uint8_t *out = NULL;
    size_t len = 0;
    stirmls_cred_codepoints cp;
    stirmls_public_message again;
    stirmls_cred_codepoints_default(&cp);
    FUZZ_CHECK(stirmls_buf_status(&content) == STIRMLS_R_OK);
    FUZZ_CHECK(stirmls_public_message_build(&gi, sender, gi.context.epoch, m->content_type,
                                            (stirmls_slice){content.ptr, content.len}, keys[sender], &out, &len,
                                            NULL) == STIRMLS_R_OK);
    FUZZ_CHECK(stirmls_public_message_decode_message(out, len, &cp, &again, NULL) == STIRMLS_R_OK);
    FUZZ_CHECK(judge(&again) != STIRMLS_R_MLS_MESSAGE_SIGNATURE); /* signed by the sender's key */
    stirmls_public_message_cleanup(&again);
    free(out);
    stirmls_buf_cleanup(&content);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_cred_codepoints cp;
    stirmls_public_message m;
    if (gi_bytes == NULL)
        fixture();
    stirmls_cred_codepoints_default(&cp);
    if (stirmls_public_message_decode_message(data, size, &cp, &m, NULL) != STIRMLS_R_OK)
        return 0;
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_public_message_write_message(&b, &m);
    FUZZ_CHECK(stirmls_buf_status(&b) == STIRMLS_R_OK);
    FUZZ_SAME(b.ptr, b.len, data, size);
    stirmls_buf_cleanup(&b);
    FUZZ_CHECK(m.content_type >= STIRMLS_CONTENT_APPLICATION &&
               m.content_type <= STIRMLS_CONTENT_COMMIT);
    (void)judge(&m);
    if (m.content_type == STIRMLS_CONTENT_PROPOSAL || m.content_type == STIRMLS_CONTENT_COMMIT)
        judge_resigned(&m);
    stirmls_public_message_cleanup(&m);
    return 0;
}

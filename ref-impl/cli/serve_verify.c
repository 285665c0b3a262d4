/*
 * serve_verify.c: the `verify` op of stirmls-interop/1 for the six kinds, through the same
 * library calls as the CLI verbs (cli_auth.h, mls_cli.h).
 *
 * Errors vs verdicts: params the adapter cannot make sense of (a missing or mistyped field, bad
 * hex, a trust anchor that is not a certificate, a bad policy value) are `bad_request`; anything
 * wrong with the artefact itself (credential bytes, token, the input's certificates) is a reject
 * verdict with its reason.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "mls_cli.h"
#include "serve.h"

#define SERVE_MAX_CERTS 64 /* certificates per PEM list */
#define SERVE_MAX_X5U 32   /* entries of an x5u_map */
#define SERVE_MAX_SPC 16   /* policy.trust_spc */

struct vctx {
    json_t *input;
    uint64_t at;
    const stirmls_trust *trust; /* the cache's */
    stirmls_chaincache *chains; /* serve_chains(): NULL with --no-cache */
    const char *tn;
    stirmls_ppt_policy ppt;
    const char *spc[SERVE_MAX_SPC];
    size_t nspc;
    stirmls_mls_options mls;
    unsigned anchor_flags; /* policy.trust_anchor_validity / _path_len / _constraints false */
};

/* ---- certificates and the trust cache ----------------------------------------------------- */

static stirmls_certcache *serve_certs(void); /* the process's parsed certificates, NULL when off */

/* Parse a JSON array of PEM strings into l. 0: not an array of strings (bad_request set);
 * 1: *rc holds the first parse failure or OK. */
static int pem_list(json_t *arr, const char *what, stirmls_cert_list *l, stirmls_reason *rc,
                    stirmls_detail *d, struct serve_answer *ans)
{
    size_t i;
    json_t *s;
    *rc = STIRMLS_R_OK;
    if (!json_is_array(arr) || json_array_size(arr) > SERVE_MAX_CERTS)
        return serve_error(ans, "bad_request", "'%s' must be an array of at most %d PEM strings", what,
                           SERVE_MAX_CERTS), 0;
    json_array_foreach(arr, i, s) {
        if (!json_is_string(s))
            return serve_error(ans, "bad_request", "'%s'[%zu] is not a string", what, i), 0;
        if (*rc != STIRMLS_R_OK)
            continue;
        stirmls_cert_list one;
        stirmls_cert_list_init(&one);
        *rc = stirmls_certcache_list_parse(serve_certs(), (const uint8_t *)json_string_value(s),
                                           json_string_length(s), &one, d);
        for (size_t j = 0; *rc == STIRMLS_R_OK && j < one.n; j++) {
            *rc = stirmls_cert_list_push(l, one.certs[j]);
            one.certs[j] = NULL;
        }
        if (*rc != STIRMLS_R_OK && d->cert_index < 0)
            d->cert_index = (int)l->n;
        stirmls_cert_list_cleanup(&one);
    }
    return 1;
}

/* The last trust store of this thread (one per connection with --listen), keyed by the exact
 * anchor strings (each followed by a NUL). */
static _Thread_local struct {
    char *key;
    size_t len;
    stirmls_trust *trust;
} cache;

/* The process-wide chain-validation cache (chaincache.h) of every verify request, shared by every
 * connection's thread (the caches lock themselves): created on first use unless
 * serve_chain_cache(0) switched it off (stirmls serve --no-cache). */
static pthread_mutex_t chains_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    int off;
    stirmls_chaincache *c;
    stirmls_certcache *certs; /* the credentials' certificates, parsed once (certcache.h) */
} chains;

static stirmls_certcache *serve_certs(void)
{
    (void)serve_chains();
    pthread_mutex_lock(&chains_lock);
    stirmls_certcache *c = chains.off ? NULL : chains.certs;
    pthread_mutex_unlock(&chains_lock);
    return c;
}

static void trust_reset(void)
{
    stirmls_trust_free(cache.trust);
    free(cache.key);
    memset(&cache, 0, sizeof cache);
}

void serve_ops_thread_done(void)
{
    trust_reset();
}

void serve_ops_cleanup(void)
{
    trust_reset();
    stirmls_chaincache_free(chains.c);
    stirmls_certcache_free(chains.certs);
    chains.c = NULL;
    chains.certs = NULL;
}

void serve_chain_cache(int on)
{
    chains.off = !on;
}

stirmls_chaincache *serve_chains(void)
{
    pthread_mutex_lock(&chains_lock);
    if (!chains.off && chains.c == NULL)
        chains.c = stirmls_chaincache_new(SERVE_CHAIN_CACHE); /* NULL (out of memory): no cache */
    if (!chains.off && chains.certs == NULL)
        chains.certs = stirmls_certcache_new(4 * SERVE_CHAIN_CACHE);
    stirmls_chaincache *c = chains.off ? NULL : chains.c;
    pthread_mutex_unlock(&chains_lock);
    return c;
}

/* The cache key of an anchor list; NULL with an error answer when arr is no list of strings. */
static char *anchors_key(json_t *arr, size_t *len, struct serve_answer *ans)
{
    size_t i, n = 0;
    json_t *s;
    if (!json_is_array(arr) || json_array_size(arr) > SERVE_MAX_CERTS)
        return serve_error(ans, "bad_request", "'trust_anchors' must be an array of at most %d PEM strings",
                           SERVE_MAX_CERTS), NULL;
    json_array_foreach(arr, i, s) {
        if (!json_is_string(s))
            return serve_error(ans, "bad_request", "'trust_anchors'[%zu] is not a string", i), NULL;
        n += json_string_length(s) + 1;
    }
    char *k = malloc(n + 1);
    if (k == NULL)
        return serve_error(ans, "internal", "out of memory"), NULL;
    *len = 0;
    json_array_foreach(arr, i, s) {
        memcpy(k + *len, json_string_value(s), json_string_length(s));
        *len += json_string_length(s);
        k[(*len)++] = 0;
    }
    return k;
}

/* The trust store of arr: the cached one when the strings are the same as last time. */
static int load_trust(json_t *arr, struct vctx *c, struct serve_answer *ans)
{
    json_t *none = NULL;
    size_t klen = 0;
    if (arr == NULL)
        arr = none = json_array();
    char *key = anchors_key(arr, &klen, ans);
    if (key != NULL && cache.trust != NULL && cache.len == klen && memcmp(cache.key, key, klen) == 0) {
        free(key);
        json_decref(none);
        c->trust = cache.trust;
        return 1;
    }
    if (key != NULL) {
        stirmls_cert_list l;
        stirmls_detail d;
        stirmls_reason rc;
        stirmls_trust *t = NULL;
        stirmls_cert_list_init(&l);
        stirmls_detail_init(&d);
        trust_reset();
        if (pem_list(arr, "trust_anchors", &l, &rc, &d, ans) && rc != STIRMLS_R_OK)
            serve_error(ans, rc == STIRMLS_R_INTERNAL ? "internal" : "bad_request",
                        "a trust anchor is not a certificate: %s", d.text);
        else if (rc == STIRMLS_R_OK && stirmls_trust_new(&l, &t) != STIRMLS_R_OK)
            serve_error(ans, "internal", "cannot build the trust store");
        else if (rc == STIRMLS_R_OK)
            cache.key = key, cache.len = klen, cache.trust = t, key = NULL;
        stirmls_cert_list_cleanup(&l);
    }
    free(key);
    json_decref(none);
    c->trust = cache.trust;
    return ans->error_code == NULL && c->trust != NULL;
}

/* ---- policy ------------------------------------------------------------------------------- */

static int opt_bool(json_t *o, const char *key, int *out, struct serve_answer *ans)
{
    json_t *v = json_object_get(o, key);
    if (v == NULL)
        return 1;
    if (!json_is_boolean(v))
        return serve_error(ans, "bad_request", "policy.%s must be a boolean", key), 0;
    *out = json_is_true(v);
    return 1;
}

static int read_codepoints(json_t *ct, stirmls_cred_codepoints *cp, struct serve_answer *ans)
{
    uint64_t a = cp->stir_certificate, b = cp->stir_passport;
    stirmls_detail d;
    stirmls_detail_init(&d);
    if (ct == NULL)
        return 1;
    if (!json_is_object(ct) || !serve_opt_u64(ct, "stir_certificate", &a, ans) ||
        !serve_opt_u64(ct, "stir_passport", &b, ans) || a > 0xFFFF || b > 0xFFFF)
        return serve_error(ans, "bad_request", "policy.credential_types: two 16-bit code points"), 0;
    cp->stir_certificate = (uint16_t)a, cp->stir_passport = (uint16_t)b;
    if (stirmls_cred_codepoints_check(cp, &d) != STIRMLS_R_OK)
        return serve_error(ans, "bad_request", "policy.credential_types: %s", d.text), 0;
    return 1;
}

static int read_spc(json_t *arr, struct vctx *c, struct serve_answer *ans)
{
    size_t i;
    json_t *s;
    if (arr == NULL)
        return 1;
    if (!json_is_array(arr) || json_array_size(arr) > SERVE_MAX_SPC)
        return serve_error(ans, "bad_request", "policy.trust_spc: at most %d strings", SERVE_MAX_SPC), 0;
    json_array_foreach(arr, i, s) {
        if (!json_is_string(s))
            return serve_error(ans, "bad_request", "policy.trust_spc[%zu] is not a string", i), 0;
        c->spc[c->nspc++] = json_string_value(s);
    }
    return 1;
}

static int read_policy(json_t *pol, struct vctx *c, struct serve_answer *ans)
{
    const char *profile = NULL;
    int strict = 1, anchor_validity = 1, anchor_path_len = 1, anchor_constraints = 1;
    stirmls_ppt_policy_init(&c->ppt);
    stirmls_mls_options_default(&c->mls);
    if (pol == NULL)
        return 1;
    if (!json_is_object(pol))
        return serve_error(ans, "bad_request", "policy must be an object"), 0;
    if (!serve_opt_str(pol, "profile", &profile, ans) || !opt_bool(pol, "strict", &strict, ans) ||
        !opt_bool(pol, "x509_stir_profile", &c->mls.x509_stir_profile, ans) ||
        !opt_bool(pol, "capabilities_defaults_strict", &c->mls.capabilities_defaults_strict, ans) ||
        !opt_bool(pol, "trust_anchor_validity", &anchor_validity, ans) ||
        !opt_bool(pol, "trust_anchor_path_len", &anchor_path_len, ans) ||
        !opt_bool(pol, "trust_anchor_constraints", &anchor_constraints, ans) ||
        !serve_opt_u64(pol, "max_age", &c->ppt.max_age, ans) || !serve_opt_u64(pol, "skew", &c->ppt.skew, ans) ||
        !serve_opt_u64(pol, "max_lifetime", &c->mls.max_lifetime, ans) ||
        !read_codepoints(json_object_get(pol, "credential_types"), &c->mls.codepoints, ans) ||
        !read_spc(json_object_get(pol, "trust_spc"), c, ans))
        return 0;
    if (profile != NULL && strcmp(profile, "mls") != 0 && strcmp(profile, "sip") != 0)
        return serve_error(ans, "bad_request", "policy.profile must be mls or sip"), 0;
    if (profile != NULL && profile[0] == 's')
        c->ppt.profile = STIRMLS_PPT_PROFILE_SIP;
    c->ppt.lenient = !strict;
    c->anchor_flags = (anchor_validity ? 0 : STIRMLS_ANCHOR_NO_VALIDITY) | (anchor_path_len ? 0 : STIRMLS_ANCHOR_NO_PATHLEN) |
                      (anchor_constraints ? 0 : STIRMLS_ANCHOR_NO_CONSTRAINTS);
    return 1;
}

/* ---- the result --------------------------------------------------------------------------- */

/* The detail text as printable ASCII (it may quote input bytes). */
static json_t *native_text(stirmls_reason rc, const stirmls_detail *d)
{
    char t[sizeof d->text];
    const char *src = d->text[0] ? d->text : stirmls_reason_text(rc);
    size_t i = 0;
    for (; src[i] && i + 1 < sizeof t; i++)
        t[i] = src[i] >= 0x20 && src[i] < 0x7F ? src[i] : '?';
    t[i] = 0;
    return json_string(t);
}

static void answer(stirmls_reason rc, const stirmls_detail *d, const stirmls_auth_result *res,
                   struct serve_answer *ans)
{
    if (rc == STIRMLS_R_INTERNAL || rc == STIRMLS_R_USAGE) {
        serve_error(ans, rc == STIRMLS_R_INTERNAL ? "internal" : "bad_request", "%s", d->text);
        return;
    }
    int ok = rc == STIRMLS_R_OK;
    json_t *o = json_pack("{s:s,s:s,s:o}", "verdict", ok ? "accept" : "reject", "reason",
                          ok ? "" : stirmls_reason_name(rc), "native", ok ? json_string("") : native_text(rc, d));
    if (o == NULL)
        return;
    if (!ok) {
        json_object_set_new(o, "identities", json_array());
        if (d->cert_index >= 0) /* the failing certificate, 0 = the leaf of the list judged */
            json_object_set_new(o, "certificate", json_integer(d->cert_index));
        ans->result = o;
        return;
    }
    cli_auth_json(o, res);
    size_t i;
    json_t *id;
    json_t *assurance = json_object_get(o, "assurance");
    json_array_foreach(json_object_get(o, "identities"), i, id)
        json_object_set(id, "assurance", assurance);
    ans->result = o;
}

/* ---- the kinds ---------------------------------------------------------------------------- */

static void v_chain(struct vctx *c, struct serve_answer *ans)
{
    stirmls_cert_list l;
    stirmls_auth_result res;
    stirmls_detail d;
    stirmls_reason rc;
    stirmls_cert_list_init(&l);
    stirmls_detail_init(&d);
    memset(&res, 0, sizeof res);
    if (pem_list(json_object_get(c->input, "chain"), "chain", &l, &rc, &d, ans)) {
        if (rc == STIRMLS_R_OK) {
            stirmls_auth_opts ao;
            stirmls_auth_opts_init(&ao, c->trust, c->at);
            ao.tn = c->tn;
            ao.trust_spc.spc = c->spc;
            ao.trust_spc.n = c->nspc;
            ao.anchor_flags = c->anchor_flags;
            ao.cache = c->chains;
            rc = stirmls_auth_chain(l.certs, l.n, &ao, &res, &d);
        }
        answer(rc, &d, &res, ans);
    }
    stirmls_cert_list_cleanup(&l);
}

struct x5u_map {
    size_t n;
    stirmls_x5u_entry e[SERVE_MAX_X5U];
    stirmls_cert_list l[SERVE_MAX_X5U];
};

/* 0: bad shape (bad_request set); 1: *rc OK or the first certificate failure (a verdict). */
static int read_x5u_map(json_t *m, struct x5u_map *x, stirmls_reason *rc, stirmls_detail *d,
                        struct serve_answer *ans)
{
    const char *url;
    json_t *arr;
    *rc = STIRMLS_R_OK;
    if (m == NULL)
        return 1;
    if (!json_is_object(m) || json_object_size(m) > SERVE_MAX_X5U)
        return serve_error(ans, "bad_request", "x5u_map: an object of at most %d URLs", SERVE_MAX_X5U), 0;
    json_object_foreach(m, url, arr) {
        stirmls_reason r;
        stirmls_cert_list_init(&x->l[x->n]);
        x->e[x->n].url = url;
        x->e[x->n].chain = &x->l[x->n];
        x->n++;
        if (!pem_list(arr, "x5u_map entry", &x->l[x->n - 1], &r, d, ans))
            return 0;
        if (*rc == STIRMLS_R_OK)
            *rc = r;
    }
    return 1;
}

static void v_passport(struct vctx *c, struct serve_answer *ans)
{
    struct x5u_map x;
    stirmls_cert_list l;
    stirmls_auth_result res;
    stirmls_detail d;
    stirmls_reason rc = STIRMLS_R_OK;
    uint8_t *sk = NULL;
    size_t sklen = 0;
    json_t *chain = json_object_get(c->input, "chain"), *none = NULL, *fetched = NULL;
    const char *tok = serve_need_str(c->input, "passport", ans);
    x.n = 0;
    stirmls_cert_list_init(&l);
    stirmls_detail_init(&d);
    memset(&res, 0, sizeof res);
    if (chain == NULL)
        chain = none = json_array();
    if (tok == NULL || !pem_list(chain, "chain", &l, &rc, &d, ans))
        goto out;
    if (json_object_get(c->input, "signature_key") != NULL &&
        !serve_need_hex(c->input, "signature_key", &sk, &sklen, ans))
        goto out;
    stirmls_reason xr;
    json_t *map = json_object_get(c->input, "x5u_map");
    if (map == NULL && serve_fetch_enabled) /* the CLI resolves; the library stays offline */
        map = fetched = serve_x5u_fetch(json_object_get(c->input, "x5u_fetch"));
    if (!read_x5u_map(map, &x, &xr, &d, ans))
        goto out;
    if (rc == STIRMLS_R_OK)
        rc = xr;
    if (rc == STIRMLS_R_OK) {
        stirmls_auth_opts ao;
        stirmls_auth_opts_init(&ao, c->trust, c->at);
        ao.tn = c->tn;
        ao.trust_spc.spc = c->spc;
        ao.trust_spc.n = c->nspc;
        ao.ppt = c->ppt;
        ao.anchor_flags = c->anchor_flags;
        ao.x5u = x.e;
        ao.n_x5u = x.n;
        ao.cache = c->chains;
        rc = cli_auth_passport(tok, json_string_length(json_object_get(c->input, "passport")), &l, &ao, sk, sklen, &res, &d);
    }
    answer(rc, &d, &res, ans);
out:
    for (size_t i = 0; i < x.n; i++)
        stirmls_cert_list_cleanup(&x.l[i]);
    stirmls_cert_list_cleanup(&l);
    json_decref(none);
    json_decref(fetched);
    free(sk);
}

static void v_credential(struct vctx *c, struct serve_answer *ans)
{
    uint8_t *buf = NULL, *sk = NULL;
    size_t len = 0, sklen = 0;
    if (serve_need_hex(c->input, "credential", &buf, &len, ans) &&
        serve_need_hex(c->input, "signature_key", &sk, &sklen, ans)) {
        stirmls_stir_binding b;
        stirmls_cred_validators v;
        stirmls_credential cred;
        stirmls_identities ids;
        stirmls_detail d;
        uint64_t not_after = 0;
        int decoded = 0;
        stirmls_slice key = {sk, sklen};
        stirmls_detail_init(&d);
        stirmls_identities_init(&ids);
        cli_stir_validators(&b, c->trust, c->tn, c->spc, c->nspc, &v);
        b.auth.ppt = c->ppt;
        b.auth.anchor_flags = c->anchor_flags;
        b.auth.cache = c->chains;
        b.certs = serve_certs();
        stirmls_reason rc = cli_mls_judge_credential(&c->mls, &v, buf, len, key, c->at, &cred, &decoded,
                                                     &not_after, &ids, &d);
        answer(rc, &d, &b.last, ans);
    }
    free(buf), free(sk);
}

static void v_key_package(struct vctx *c, struct serve_answer *ans)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    if (serve_need_hex(c->input, "key_package", &buf, &len, ans)) {
        stirmls_stir_binding b;
        stirmls_cred_validators v;
        stirmls_keypackage kp;
        stirmls_mls_result res;
        stirmls_detail d;
        int decoded = 0, was = 0;
        stirmls_detail_init(&d);
        stirmls_identities_init(&res.identities);
        cli_stir_validators(&b, c->trust, c->tn, c->spc, c->nspc, &v);
        b.auth.ppt = c->ppt;
        b.auth.anchor_flags = c->anchor_flags;
        b.auth.cache = c->chains;
        b.certs = serve_certs();
        stirmls_reason rc = cli_mls_judge_keypackage(&c->mls, &v, buf, len, c->at, &kp, &decoded, &was,
                                                     &res, &d);
        answer(rc, &d, &b.last, ans);
    }
    free(buf);
}

/* ---- the group kinds (docs/protocol.md: group_info, group_message) ------------------------- */

/* The group policy of a request: the MLS options, policy.warn_within and policy.reject_expired. */
static int group_policy(struct vctx *c, json_t *params, stirmls_group_policy *p, struct serve_answer *ans)
{
    json_t *pol = json_object_get(params, "policy");
    stirmls_group_policy_default(p);
    p->mls = c->mls;
    return pol == NULL || (serve_opt_u64(pol, "warn_within", &p->warn_within, ans) &&
                           opt_bool(pol, "reject_expired", &p->reject_expired, ans));
}

/* The STIR validators of a group request (as v_key_package's). */
static void group_validators(struct vctx *c, stirmls_stir_binding *b, stirmls_cred_validators *v)
{
    cli_stir_validators(b, c->trust, c->tn, c->spc, c->nspc, v);
    b->auth.ppt = c->ppt;
    b->auth.anchor_flags = c->anchor_flags;
    b->auth.cache = c->chains;
    b->certs = serve_certs();
}

/* verdict, reason, native and an empty identities list (group results carry them per member). */
static json_t *group_answer(stirmls_reason rc, const stirmls_detail *d, struct serve_answer *ans)
{
    if (rc == STIRMLS_R_INTERNAL || rc == STIRMLS_R_USAGE) {
        serve_error(ans, rc == STIRMLS_R_INTERNAL ? "internal" : "bad_request", "%s", d->text);
        return NULL;
    }
    int ok = rc == STIRMLS_R_OK;
    return json_pack("{s:s,s:s,s:o,s:[]}", "verdict", ok ? "accept" : "reject", "reason",
                     ok ? "" : stirmls_reason_name(rc), "native", ok ? json_string("") : native_text(rc, d),
                     "identities");
}

static void v_group_info(struct vctx *c, json_t *params, struct serve_answer *ans)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    stirmls_group_policy p;
    if (group_policy(c, params, &p, ans) && serve_need_hex(c->input, "group_info", &buf, &len, ans)) {
        stirmls_stir_binding b;
        stirmls_cred_validators v;
        stirmls_group_info gi;
        stirmls_group_result res = {0};
        stirmls_detail d;
        stirmls_detail_init(&d);
        group_validators(c, &b, &v);
        stirmls_reason rc = stirmls_group_info_decode_message(buf, len, &gi, &d);
        if (rc == STIRMLS_R_OK)
            rc = stirmls_group_info_verify(&gi, &p, &v, c->at, &res, &d);
        json_t *o = group_answer(rc, &d, ans);
        if (o != NULL) {
            cli_mls_group_result_json(o, &res);
            ans->result = o;
        }
        stirmls_group_result_cleanup(&res);
    }
    free(buf);
}

/* input.proposals: an optional array of hex PublicMessages (the proposals a Commit references). */
static int proposal_bufs(json_t *input, uint8_t **bufs, size_t *lens, size_t *n, struct serve_answer *ans)
{
    json_t *arr = json_object_get(input, "proposals"), *e;
    size_t i;
    *n = 0;
    if (arr == NULL)
        return 1;
    if (!json_is_array(arr) || json_array_size(arr) > CLI_MLS_MAX_PROPOSALS)
        return serve_error(ans, "bad_request", "'proposals' is not an array of at most %d messages",
                           CLI_MLS_MAX_PROPOSALS), 0;
    json_array_foreach(arr, i, e) {
        json_t *holder = json_pack("{s:O}", "proposals[]", e);
        int ok = holder != NULL && serve_need_hex(holder, "proposals[]", &bufs[i], &lens[i], ans);
        json_decref(holder);
        if (!ok)
            return 0;
        *n = i + 1;
    }
    return 1;
}

static void v_group_message(struct vctx *c, json_t *params, struct serve_answer *ans)
{
    uint8_t *gbuf = NULL, *buf = NULL, *pbufs[CLI_MLS_MAX_PROPOSALS] = {0};
    size_t glen = 0, len = 0, plens[CLI_MLS_MAX_PROPOSALS] = {0}, np = 0;
    stirmls_group_policy p;
    if (group_policy(c, params, &p, ans) && serve_need_hex(c->input, "group_info", &gbuf, &glen, ans) &&
        serve_need_hex(c->input, "message", &buf, &len, ans) && proposal_bufs(c->input, pbufs, plens, &np, ans)) {
        stirmls_public_message pool[CLI_MLS_MAX_PROPOSALS];
        memset(pool, 0, sizeof pool);
        stirmls_stir_binding b;
        stirmls_cred_validators v;
        stirmls_group_info gi;
        stirmls_public_message msg;
        stirmls_group_message_result res;
        stirmls_detail d;
        stirmls_detail_init(&d);
        memset(&res, 0, sizeof res);
        memset(&msg, 0, sizeof msg);
        group_validators(c, &b, &v);
        stirmls_reason rc = stirmls_group_info_decode_message(gbuf, glen, &gi, &d);
        if (rc == STIRMLS_R_OK)
            rc = stirmls_public_message_decode_message(buf, len, &c->mls.codepoints, &msg, &d);
        if (rc == STIRMLS_R_OK)
            rc = cli_mls_decode_proposals(pbufs, plens, np, &c->mls.codepoints, pool, &d);
        if (rc == STIRMLS_R_OK)
            rc = stirmls_group_message_verify_refs(&gi, &msg, pool, np, &p, &v, c->at, &res, &d);
        json_t *o = group_answer(rc, &d, ans);
        if (o != NULL) {
            cli_mls_group_message_json(o, &res);
            ans->result = o;
        }
        stirmls_public_message_cleanup(&msg);
        cli_mls_proposals_cleanup(pool, np);
    }
    for (size_t i = 0; i < CLI_MLS_MAX_PROPOSALS; i++)
        free(pbufs[i]);
    free(gbuf), free(buf);
}

int serve_verify(json_t *params, struct serve_answer *ans)
{
    static const char *const kinds[] = {"cert_chain", "passport", "credential", "key_package", "group_info",
                                        "group_message"};
    static void (*const run[])(struct vctx *, struct serve_answer *) = {v_chain, v_passport, v_credential,
                                                                         v_key_package};
    static void (*const run_group[])(struct vctx *, json_t *, struct serve_answer *) = {v_group_info,
                                                                                         v_group_message};
    struct vctx c;
    memset(&c, 0, sizeof c);
    const char *kind = serve_need_str(params, "kind", ans);
    json_t *at = json_object_get(params, "at");
    c.input = json_object_get(params, "input");
    if (kind == NULL)
        return 1;
    size_t k = 0;
    while (k < 6 && strcmp(kind, kinds[k]) != 0)
        k++;
    if (k == 6)
        return serve_error(ans, "unimplemented", "kind '%.64s' is not supported", kind);
    if (!json_is_integer(at) || json_integer_value(at) < 0)
        return serve_error(ans, "bad_request", "'at' must be a non-negative integer");
    c.at = (uint64_t)json_integer_value(at);
    if (!json_is_object(c.input))
        return serve_error(ans, "bad_request", "'input' must be an object");
    if (!serve_opt_str(c.input, "tn", &c.tn, ans) || !read_policy(json_object_get(params, "policy"), &c, ans) ||
        !load_trust(json_object_get(params, "trust_anchors"), &c, ans))
        return 1;
    c.chains = serve_chains();
    if (k < 4)
        run[k](&c, ans);
    else
        run_group[k - 4](&c, params, ans);
    return 1;
}

/*
 * load.c: scenarios/<family>.yaml → the JSON model (model.h). Everything a scenario author can get wrong is
 * reported here with FILE:LINE:COLUMN and the key; nothing later has to guess.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "edits.h"
#include "model.h"
#include "mutators.h"
#include "stirmls/reason.h"
#include "ytree.h"

static const char *const family_keys[] = {"family", "description", "defaults", "cases", NULL};
static const char *const case_keys[] = {"id", "why", "spec", "tags", "importance", "at", "pki", "op", "kind",
                                        "certs", "chain", "trust", "tn", "passport", "credential",
                                        "key_package", "signature_key", "policy", "mutations", "expect",
                                        "group", "edits", NULL};
static const char *const cert_keys[] = {"name", "profile", "issuer", "key", "cn", "not_before",
                                        "not_after", "tnauthlist", "tnauthlist_der",
                                        "tnauthlist_critical", "ca", "key_usage", "extensions",
                                        "path_len", "aki", "key_type", "sig_alg", NULL};
static const char *const pki_keys[] = {"seed", "keys", "certs", NULL};
static const char *const passport_keys[] = {"signer", "chain", "x5u", "ppt", "header", "claims", "mky", "x5u_map", "pad_to", NULL};
static const char *const credential_keys[] = {"type", "chain", "identity", NULL};
static const char *const kp_keys[] = {"not_before", "not_after", "capabilities_credentials", "extensions",
                                      "leaf_extensions", "capabilities_extensions", "capabilities_proposals",
                                      "leaf_source", NULL};
static const char *const policy_keys[] = {"profile", "strict", "trust_spc", "max_age", "skew",
                                          "max_lifetime", "credential_types", "x509_stir_profile",
                                          "capabilities_defaults_strict", "trust_anchor_validity",
                                          "trust_anchor_path_len", "trust_anchor_constraints", "warn_within", "reject_expired", NULL};
static const char *const group_keys[] = {"group_id", "epoch", "members", "signer", "signed_by", "tree_hash",
                                         "parents", "message", "commit_path", "update", "required_capabilities",
                                         "required_capabilities_hex", NULL};
static const char *const reqcaps_keys[] = {"extensions", "proposals", "credentials", NULL};
static const char *const member_keys[] = {"credential", "passport", "signature_key", "key_package", "mutations",
                                          "source", NULL};
static const char *const message_keys[] = {"type", "sender", "signed_by", "epoch", "leaf", "removed", "proposals", NULL};
static const char *const proposal_keys[] = {"type", "leaf", "removed", "by_reference", "sender", "signed_by",
                                            "withheld", NULL};
static const char *const parent_keys[] = {"index", "parent_hash", "child", "unmerged", NULL};
static const char *const update_keys[] = {"member", "leaf", NULL};
static const char *const profiles[] = {"sti-root", "sti-ca", "shaken-ee", "tn-ee", "delegate-ca", "delegate-ee", NULL};
static const char *const kinds[] = {"cert_chain", "passport", "credential", "key_package", "group_info",
                                    "group_message", NULL};
static const char *const importances[] = {"must", "should", "may", NULL};

static int in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

/* YAML node → JSON: plain scalars that look like integers, booleans or null become those;
 * quoted scalars stay strings. */
static json_t *to_json(ytree *t, ynode *n)
{
    if (ynode_is_scalar(n)) {
        const char *s = ynode_str(n);
        if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
            if (strcmp(s, "true") == 0)
                return json_true();
            if (strcmp(s, "false") == 0)
                return json_false();
            if (strcmp(s, "null") == 0 || strcmp(s, "~") == 0 || s[0] == 0)
                return json_null();
            char *end;
            long long v = strtoll(s, &end, 10);
            if (*end == 0 && end != s && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')))
                return json_integer(v);
        }
        return json_string(s);
    }
    if (ynode_is_seq(n)) {
        json_t *a = json_array();
        for (size_t i = 0; i < yseq_len(n); i++)
            json_array_append_new(a, to_json(t, yseq_at(t, n, i)));
        return a;
    }
    json_t *o = json_object();
    for (size_t i = 0; i < ymap_len(n); i++) {
        ynode *v;
        const char *k = ymap_key_at(t, n, i, &v, NULL);
        if (k)
            json_object_set_new(o, k, to_json(t, v));
    }
    return o;
}

int vg_time(const json_t *v, uint64_t at, uint64_t *out)
{
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return 1;
    }
    const char *s = json_string_value(v);
    if (s == NULL || strncmp(s, "at", 2) != 0)
        return 0;
    if (s[2] == 0) {
        *out = at;
        return 1;
    }
    if (s[2] != '+' && s[2] != '-')
        return 0;
    char *end;
    long long d = strtoll(s + 3, &end, 10);
    if (*end || end == s + 3 || d < 0)
        return 0;
    if (s[2] == '-' && (uint64_t)d > at)
        return 0;
    *out = s[2] == '+' ? at + (uint64_t)d : at - (uint64_t)d;
    return 1;
}

static int check_time_node(ytree *t, ynode *map, const char *key)
{
    ynode *v = ymap_get(t, map, key);
    if (v == NULL)
        return 1;
    json_t *j = to_json(t, v);
    uint64_t dummy;
    int ok = vg_time(j, 1u << 30, &dummy);
    json_decref(j);
    return ok ? 1 : ytree_error(t, v, key, "expected unix seconds or at, at+N, at-N");
}

/* A certificate's validity bound: a time as check_time_node, or a negative integer down to
 * -631152000 (1950-01-01, the first UTCTime year, RFC 5280 §4.1.2.5.1) for a bound before 1970. */
static int check_cert_time(ytree *t, ynode *map, const char *key)
{
    ynode *v = ymap_get(t, map, key);
    json_t *j = v ? to_json(t, v) : NULL;
    int negative = json_is_integer(j) && json_integer_value(j) < 0;
    int ok = negative ? json_integer_value(j) >= -631152000 : 1;
    json_decref(j);
    if (!negative)
        return check_time_node(t, map, key);
    return ok ? 1 : ytree_error(t, v, key, "before 1950-01-01 (-631152000)");
}

static int check_name_list(ytree *t, ynode *map, const char *key)
{
    ynode *v = ymap_get(t, map, key);
    if (v == NULL)
        return 1;
    if (!ynode_is_seq(v))
        return ytree_error(t, v, key, "expected a list");
    for (size_t i = 0; i < yseq_len(v); i++)
        if (!ynode_is_scalar(yseq_at(t, v, i)))
            return ytree_error(t, yseq_at(t, v, i), key, "expected a list of names");
    return 1;
}

static int check_cert(ytree *t, ynode *c)
{
    const char *s = NULL;
    if (!ycheck_keys(t, c, cert_keys) || !yget_str(t, c, "name", 1, &s) ||
        !yget_str(t, c, "profile", 1, &s))
        return 0;
    if (!in_list(s, profiles))
        return ytree_error(t, ymap_get(t, c, "profile"), "profile", "unknown profile '%s'", s);
    if (!check_cert_time(t, c, "not_before") || !check_cert_time(t, c, "not_after"))
        return 0;
    static const char *const key_types[] = {"p256", "p384", NULL};
    static const char *const sig_algs[] = {"ecdsa-with-SHA256", "ecdsa-with-SHA384", NULL};
    const char *kt = NULL, *sa = NULL;
    if (!yget_str(t, c, "key_type", 0, &kt) || !yget_str(t, c, "sig_alg", 0, &sa))
        return 0;
    if (kt && !in_list(kt, key_types))
        return ytree_error(t, ymap_get(t, c, "key_type"), "key_type", "expected p256 or p384");
    if (sa && !in_list(sa, sig_algs))
        return ytree_error(t, ymap_get(t, c, "sig_alg"), "sig_alg", "expected ecdsa-with-SHA256 or ecdsa-with-SHA384");
    ynode *tl = ymap_get(t, c, "tnauthlist");
    for (size_t i = 0; tl && i < yseq_len(tl); i++) {
        static const char *const entry_keys[] = {"spc", "one", "range", "count", NULL};
        ynode *e = yseq_at(t, tl, i);
        if (!ycheck_keys(t, e, entry_keys))
            return 0;
        int n = (ymap_get(t, e, "spc") != NULL) + (ymap_get(t, e, "one") != NULL) +
                (ymap_get(t, e, "range") != NULL);
        if (n != 1 || (ymap_get(t, e, "range") != NULL) != (ymap_get(t, e, "count") != NULL))
            return ytree_error(t, e, "tnauthlist", "an entry is {spc: X}, {one: TN} or {range: START, count: N}");
    }
    if (tl && !ynode_is_seq(tl))
        return ytree_error(t, tl, "tnauthlist", "expected a list");
    return 1;
}

/* Names of certificates and keys a case may refer to. */
struct names {
    json_t *certs; /* object name -> cert json */
    json_t *keys;  /* object name -> true */
};

static void add_cert_names(struct names *nm, json_t *certs)
{
    size_t i;
    json_t *c;
    json_array_foreach(certs, i, c) {
        const char *name = json_string_value(json_object_get(c, "name"));
        const char *key = json_string_value(json_object_get(c, "key"));
        json_object_set(nm->certs, name, c);
        json_object_set_new(nm->keys, key ? key : name, json_true());
    }
}

static int ref_ok(ytree *t, ynode *at, const char *key, const char *name, json_t *set, const char *what)
{
    if (name == NULL || json_object_get(set, name) == NULL)
        return ytree_error(t, at, key, "unknown %s '%s'", what, name ? name : "?");
    return 1;
}

static int check_refs_list(ytree *t, ynode *map, const char *key, json_t *set, const char *what)
{
    ynode *v = ymap_get(t, map, key);
    for (size_t i = 0; v && i < yseq_len(v); i++)
        if (!ref_ok(t, yseq_at(t, v, i), key, ynode_str(yseq_at(t, v, i)), set, what))
            return 0;
    return 1;
}

/* One identity of an expected outcome: {type: tn|range|spc, value: TEXT[, assurance: A]}. */
static int check_identity(ytree *t, ynode *id)
{
    static const char *const keys[] = {"type", "value", "assurance", NULL};
    static const char *const types[] = {"tn", "range", "spc", NULL};
    static const char *const assurances[] = {"tn-authorized", "carrier-asserted", NULL};
    if (!ynode_is_map(id))
        return ytree_error(t, id, "identities", "expected {type, value, assurance}");
    if (!ycheck_keys(t, id, keys))
        return 0;
    ynode *ty = ymap_get(t, id, "type"), *v = ymap_get(t, id, "value"), *a = ymap_get(t, id, "assurance");
    if (!ty || !ynode_is_scalar(ty) || !in_list(ynode_str(ty), types))
        return ytree_error(t, id, "type", "expected tn, range or spc");
    if (!v || !ynode_is_scalar(v) || !ynode_str(v)[0])
        return ytree_error(t, id, "value", "expected the identity's text");
    if (a && (!ynode_is_scalar(a) || !in_list(ynode_str(a), assurances)))
        return ytree_error(t, a, "assurance", "expected tn-authorized or carrier-asserted");
    return 1;
}

/* The outcome members of expect (docs/scenarios.md "expect"): on accept identities, assurance,
 * not_after, signer, attest, rcd; on reject certificate. */
static int check_outcome(ytree *t, ynode *e, int accept)
{
    static const char *const assurances[] = {"tn-authorized", "carrier-asserted", NULL};
    for (size_t i = 0; i < ymap_len(e); i++) {
        ynode *v;
        const char *k = ymap_key_at(t, e, i, &v, NULL);
        if (!k || strcmp(k, accept ? "accept" : "reject") == 0)
            continue;
        if (!accept && strcmp(k, "certificate") == 0) {
            json_t *j = to_json(t, v);
            int ok = json_is_integer(j) && json_integer_value(j) >= 0;
            json_decref(j);
            if (!ok)
                return ytree_error(t, v, k, "expected the failing certificate's index (0 = leaf)");
        } else if (accept && strcmp(k, "identities") == 0 && ynode_is_seq(v)) {
            for (size_t j = 0; j < yseq_len(v); j++)
                if (!check_identity(t, yseq_at(t, v, j)))
                    return 0;
        } else if (accept && strcmp(k, "assurance") == 0 && ynode_is_scalar(v)) {
            if (!in_list(ynode_str(v), assurances))
                return ytree_error(t, v, k, "expected tn-authorized or carrier-asserted");
        } else if (accept && strcmp(k, "not_after") == 0) {
            if (!check_time_node(t, e, k))
                return 0;
        } else if (accept && (strcmp(k, "signer") == 0 || strcmp(k, "attest") == 0) && ynode_is_scalar(v)) {
            continue; /* attest: A, B, C or null (no SHAKEN attestation) */
        } else if (accept && strcmp(k, "rcd") == 0 && ynode_is_map(v)) {
            continue;
        } else {
            return ytree_error(t, v, k, accept ? "an accept outcome has identities (a list), assurance, not_after, signer, attest and rcd (a mapping)"
                                               : "a reject outcome has certificate only");
        }
    }
    return 1;
}

static int check_expect(ytree *t, ynode *e)
{
    if (ynode_is_scalar(e) && strcmp(ynode_str(e), "accept") == 0)
        return 1;
    ynode *acc = ynode_is_map(e) ? ymap_get(t, e, "accept") : NULL;
    if (acc) {
        if (!ynode_is_scalar(acc) || strcmp(ynode_str(acc), "true") != 0)
            return ytree_error(t, acc, "accept", "expected accept: true (with outcome members)");
        return check_outcome(t, e, 1);
    }
    ynode *rej = ynode_is_map(e) ? ymap_get(t, e, "reject") : NULL;
    if (rej && ynode_is_scalar(rej)) {
        stirmls_reason r;
        if (!stirmls_reason_from_name(ynode_str(rej), &r) || r == STIRMLS_R_OK)
            return ytree_error(t, rej, "expect", "unknown reason code '%s' (see docs/reason-codes.md)", ynode_str(rej));
        return check_outcome(t, e, 0);
    }
    if (ynode_is_map(e) && ymap_len(e) == 1) {
        ynode *v;
        const char *k = ymap_key_at(t, e, 0, &v, NULL);
        if (k && strcmp(k, "either") == 0 && ynode_is_scalar(v))
            return 1;
    }
    return ytree_error(t, e, "expect", "expected accept, {accept: true, OUTCOME...}, {reject: REASON[, certificate: N]} or {either: FLAG}");
}

/* passport.x5u_map: a list of {url: URL, chain: [names]} or {url: URL, text: TEXT}. */
static int check_x5u_map(ytree *t, ynode *pp, struct names *nm)
{
    static const char *const keys[] = {"url", "chain", "text", NULL};
    ynode *m = ymap_get(t, pp, "x5u_map");
    if (m == NULL)
        return 1;
    if (!ynode_is_seq(m) || yseq_len(m) == 0)
        return ytree_error(t, m, "x5u_map", "expected a list of {url, chain} or {url, text}");
    for (size_t i = 0; i < yseq_len(m); i++) {
        ynode *e = yseq_at(t, m, i);
        if (!ynode_is_map(e))
            return ytree_error(t, e, "x5u_map", "expected {url, chain} or {url, text}");
        if (!ycheck_keys(t, e, keys))
            return 0;
        ynode *u = ymap_get(t, e, "url"), *c = ymap_get(t, e, "chain"), *x = ymap_get(t, e, "text");
        if (!u || !ynode_is_scalar(u) || (c == NULL) == (x == NULL) || (x && !ynode_is_scalar(x)))
            return ytree_error(t, e, "x5u_map", "each entry has a url and either chain or text");
        if (c && !(check_name_list(t, e, "chain") && check_refs_list(t, e, "chain", nm->certs, "certificate")))
            return 0;
    }
    return 1;
}

/* The artefact parts of a case or of a group member: the signature key, passport, credential and
 * key_package specs (each may be NULL). */
static int check_parts(ytree *t, ynode *sk, ynode *pp, ynode *cred, ynode *kp, struct names *nm)
{
    int ok = 1;
    if (sk)
        ok = ref_ok(t, sk, "signature_key", ynode_str(sk), nm->keys, "key");
    if (ok && pp) {
        const char *signer = NULL;
        ok = ycheck_keys(t, pp, passport_keys) && yget_str(t, pp, "signer", 0, &signer) &&
             (signer == NULL || ref_ok(t, ymap_get(t, pp, "signer"), "signer", signer, nm->certs, "certificate")) &&
             check_name_list(t, pp, "chain") && check_refs_list(t, pp, "chain", nm->certs, "certificate") &&
             check_name_list(t, pp, "mky") && check_refs_list(t, pp, "mky", nm->keys, "key") &&
             check_x5u_map(t, pp, nm);
        ynode *pad = ymap_get(t, pp, "pad_to");
        json_t *pj = pad ? to_json(t, pad) : NULL;
        if (ok && pad && !(json_is_integer(pj) && json_integer_value(pj) > 0 && json_integer_value(pj) <= 1 << 20))
            ok = ytree_error(t, pad, "pad_to", "expected the token's length in octets (at most 1 MiB)");
        json_decref(pj);
    }
    if (ok && cred)
        ok = ycheck_keys(t, cred, credential_keys) && check_name_list(t, cred, "chain") &&
             check_refs_list(t, cred, "chain", nm->certs, "certificate");
    if (ok && kp)
        ok = ycheck_keys(t, kp, kp_keys) && check_time_node(t, kp, "not_before") &&
             check_time_node(t, kp, "not_after");
    return ok;
}

/* A group member (a mapping, or null for a blank leaf). */
static int check_member(ytree *t, ynode *m, struct names *nm)
{
    static const char *const sources[] = {"key_package", "update", "commit", NULL};
    if (ynode_is_scalar(m) && (strcmp(ynode_str(m), "null") == 0 || strcmp(ynode_str(m), "~") == 0))
        return 1;
    if (!ynode_is_map(m) || !ycheck_keys(t, m, member_keys))
        return ynode_is_map(m) ? 0 : ytree_error(t, m, "members", "a member is a mapping, or null for a blank leaf");
    ynode *src = ymap_get(t, m, "source"), *mut = ymap_get(t, m, "mutations");
    if (src && !in_list(ynode_str(src), sources))
        return ytree_error(t, src, "source", "expected key_package, update or commit");
    for (size_t i = 0; mut && i < yseq_len(mut); i++)
        if (!vg_mutator_find(ynode_str(yseq_at(t, mut, i)) ? ynode_str(yseq_at(t, mut, i)) : ""))
            return ytree_error(t, yseq_at(t, mut, i), "mutations", "unknown mutator");
    return check_parts(t, ymap_get(t, m, "signature_key"), ymap_get(t, m, "passport"), ymap_get(t, m, "credential"),
                       ymap_get(t, m, "key_package"), nm);
}

/* group: {group_id, epoch, members, signer, signed_by, tree_hash, parents, message, commit_path, update,
 * required_capabilities, required_capabilities_hex}. */
static int check_group(ytree *t, ynode *g, ynode *gdef, const char *kind, int generate, struct names *nm)
{
    static const char *const types[] = {"add", "update", "remove", "commit", "application", NULL};
    if (!ynode_is_map(g) || !ycheck_keys(t, g, group_keys) || (gdef && gdef != g && !check_group(t, gdef, NULL, "", 0, nm)))
        return ynode_is_map(g) ? 0 : ytree_error(t, g, "group", "expected a mapping");
    ynode *members = ymap_get(t, g, "members"), *msg = ymap_get(t, g, "message"), *sb = ymap_get(t, g, "signed_by");
    if (members == NULL && gdef != NULL)
        members = ymap_get(t, gdef, "members");
    if (members == NULL || !ynode_is_seq(members) || yseq_len(members) == 0)
        return ytree_error(t, g, "members", "expected a non-empty list of members");
    for (size_t i = 0; i < yseq_len(members); i++)
        if (!check_member(t, yseq_at(t, members, i), nm))
            return 0;
    if (sb && !ref_ok(t, sb, "signed_by", ynode_str(sb), nm->keys, "key"))
        return 0;
    ynode *rq = ymap_get(t, g, "required_capabilities");
    if (rq && !ycheck_keys(t, rq, reqcaps_keys))
        return 0;
    ynode *ps = ymap_get(t, g, "parents");
    for (size_t i = 0; ps && i < yseq_len(ps); i++)
        if (!ycheck_keys(t, yseq_at(t, ps, i), parent_keys))
            return 0;
    ynode *up = ymap_get(t, g, "update");
    int cp;
    if (!yget_bool(t, g, "commit_path", 0, &cp))
        return 0;
    if (up && (!ycheck_keys(t, up, update_keys) || !ymap_get(t, up, "member") || !ymap_get(t, up, "leaf") ||
               !check_member(t, ymap_get(t, up, "leaf"), nm)))
        return ytree_error(t, up, "update", "expected {member: INDEX, leaf: MEMBER}");
    if (kind[0] != 0 && !generate && (up || ymap_get(t, g, "commit_path")))
        return ytree_error(t, g, "update", "group.update and group.commit_path are for generate cases");
    if (generate && msg)
        return ytree_error(t, g, "message", "a generate case names group.update, not group.message");
    if (generate && up == NULL && strcmp(kind, "group_message") == 0)
        return ytree_error(t, g, "update", "a generate group_message case needs group.update");
    if (kind[0] != 0 && !generate && (msg != NULL) != (strcmp(kind, "group_message") == 0))
        return ytree_error(t, g, "message", "group.message is required for group_message and only there");
    if (msg == NULL)
        return 1;
    ynode *type = ymap_get(t, msg, "type"), *leaf = ymap_get(t, msg, "leaf");
    sb = ymap_get(t, msg, "signed_by");
    if (!ycheck_keys(t, msg, message_keys) || (sb && !ref_ok(t, sb, "signed_by", ynode_str(sb), nm->keys, "key")))
        return 0;
    if (type == NULL || !in_list(ynode_str(type), types))
        return ytree_error(t, msg, "type", "expected add, update, remove, commit or application");
    ynode *prs = ymap_get(t, msg, "proposals");
    if (prs != NULL && (!ynode_is_seq(prs) || strcmp(ynode_str(type), "commit") != 0))
        return ytree_error(t, msg, "proposals", "a list, and only for a commit");
    for (size_t i = 0; prs && i < yseq_len(prs); i++) {
        ynode *p = yseq_at(t, prs, i), *pt = ymap_get(t, p, "type"), *pl = ymap_get(t, p, "leaf");
        if (!ycheck_keys(t, p, proposal_keys))
            return 0;
        if (pt == NULL || !in_list(ynode_str(pt), types) || strcmp(ynode_str(pt), "commit") == 0)
            return ytree_error(t, p, "type", "expected add, update or remove");
        if (pl != NULL && !check_member(t, pl, nm))
            return 0;
    }
    return leaf == NULL || check_member(t, leaf, nm);
}

/* A hex string: a quoted scalar (a plain 00 would load as a number) of an even number of hex digits. */
static int check_hex(ytree *t, ynode *v, const char *key)
{
    const char *s = ynode_str(v);
    size_t n = s ? strlen(s) : 0;
    if (!ynode_is_scalar(v) || v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE || n % 2 != 0 ||
        strspn(s, "0123456789abcdefABCDEF") != n)
        return ytree_error(t, v, key, "expected a quoted string of hex octets");
    return 1;
}

/* edits: a list of {field: NAME, OP: ARG} with exactly one operation (edits.h). */
static int check_edits(ytree *t, ynode *edits, const char *kind)
{
    static const char *const edit_keys[] = {"field", "value", "hex", "body", "append", "length", "der", NULL};
    if (strcmp(kind, "key_package") != 0 && strcmp(kind, "credential") != 0)
        return ytree_error(t, edits, "edits", "edits apply to credential and key_package cases only");
    if (!ynode_is_seq(edits) || yseq_len(edits) == 0)
        return ytree_error(t, edits, "edits", "expected a non-empty list of {field: NAME, OP: ARG}");
    for (size_t i = 0; i < yseq_len(edits); i++) {
        ynode *e = yseq_at(t, edits, i), *f, *v = NULL;
        if (!ynode_is_map(e) || !ycheck_keys(t, e, edit_keys))
            return ynode_is_map(e) ? 0 : ytree_error(t, e, "edits", "an edit is a mapping");
        f = ymap_get(t, e, "field");
        if (f == NULL || !in_list(ynode_str(f), vg_edit_fields))
            return ytree_error(t, f ? f : e, "field", "expected a field name (see docs/scenarios.md)");
        if (ymap_len(e) != 2)
            return ytree_error(t, e, "edits", "an edit has a field and exactly one operation");
        const char *op = ymap_key_at(t, e, strcmp(ymap_key_at(t, e, 0, &v, NULL), "field") == 0 ? 1 : 0, &v, NULL);
        if ((strcmp(op, "hex") == 0 || strcmp(op, "body") == 0 || strcmp(op, "append") == 0) && !check_hex(t, v, op))
            return 0;
        if (strcmp(op, "der") == 0 && !in_list(ynode_str(v), vg_edit_der_forms))
            return ytree_error(t, v, "der", "expected long_length, r_leading_zero, trailing_byte or raw");
        if (strcmp(op, "length") == 0 && strcmp(ynode_str(v) ? ynode_str(v) : "", "past_end") != 0 &&
            strspn(ynode_str(v) ? ynode_str(v) : "x", "0123456789") != strlen(ynode_str(v) ? ynode_str(v) : "x"))
            return ytree_error(t, v, "length", "expected a number or past_end");
        if (strcmp(op, "value") == 0 && strspn(ynode_str(v) ? ynode_str(v) : "x", "0123456789") !=
                                            strlen(ynode_str(v) ? ynode_str(v) : "x"))
            return ytree_error(t, v, "value", "expected a number");
    }
    return 1;
}

/* Validate one case (defaults already merged into the YAML view via lookup order). */
static int check_case(ytree *t, ynode *c, ynode *defaults, const char *family, json_t *model,
                      json_t *ids)
{
    if (!ycheck_keys(t, c, case_keys))
        return 0;
    const char *id = NULL, *why = NULL;
    if (!yget_str(t, c, "id", 1, &id) || !yget_str(t, c, "why", 1, &why))
        return 0;
    size_t flen = strlen(family);
    if (strncmp(id, family, flen) != 0 || id[flen] != '/' || id[flen + 1] == 0)
        return ytree_error(t, ymap_get(t, c, "id"), "id", "'%s' must be '%s/<name>'", id, family);
    if (json_object_get(ids, id))
        return ytree_error(t, ymap_get(t, c, "id"), "id", "duplicate case id '%s'", id);
    json_object_set_new(ids, id, json_true());
#define GET(k) (ymap_get(t, c, k) ? ymap_get(t, c, k) : (defaults ? ymap_get(t, defaults, k) : NULL))
    static const char *const required[] = {"spec", "kind", "at", "importance", "pki", "expect", NULL};
    for (size_t i = 0; required[i]; i++)
        if (GET(required[i]) == NULL)
            return ytree_error(t, c, required[i], "required key is missing (in the case or defaults)");
    if (!ynode_is_seq(GET("spec")) || yseq_len(GET("spec")) == 0)
        return ytree_error(t, GET("spec"), "spec", "expected a non-empty list of requirement IDs");
    if (!in_list(ynode_str(GET("kind")), kinds))
        return ytree_error(t, GET("kind"), "kind", "expected one of cert_chain, passport, credential, key_package, group_info, group_message");
    static const char *const ops[] = {"verify", "generate", NULL};
    if (GET("op") && !in_list(ynode_str(GET("op")), ops))
        return ytree_error(t, GET("op"), "op", "expected verify or generate");
    if (GET("op") && strcmp(ynode_str(GET("op")), "generate") == 0 &&
        (strcmp(ynode_str(GET("kind")), "passport") != 0 && strcmp(ynode_str(GET("kind")), "key_package") != 0 &&
         strcmp(ynode_str(GET("kind")), "group_info") != 0 && strcmp(ynode_str(GET("kind")), "group_message") != 0))
        return ytree_error(t, GET("kind"), "kind", "a generate case makes a passport, a key_package, a group_info or a group_message");
    if (!in_list(ynode_str(GET("importance")), importances))
        return ytree_error(t, GET("importance"), "importance", "expected must, should or may");
    if (!check_expect(t, GET("expect")))
        return 0;
    if (GET("op") && strcmp(ynode_str(GET("op")), "generate") == 0 && ynode_is_map(GET("expect")) &&
        ymap_len(GET("expect")) > 1)
        return ytree_error(t, GET("expect"), "expect", "outcome members are for verify cases (a generate case's verifiers are scored on verdict and reason)");
    ynode *m = GET("mutations");
    for (size_t i = 0; m && i < yseq_len(m); i++)
        if (!vg_mutator_find(ynode_str(yseq_at(t, m, i)) ? ynode_str(yseq_at(t, m, i)) : ""))
            return ytree_error(t, yseq_at(t, m, i), "mutations", "unknown mutator '%s' (see docs/scenarios.md)",
                               ynode_str(yseq_at(t, m, i)) ? ynode_str(yseq_at(t, m, i)) : "?");
    const char *pkiname = ynode_str(GET("pki"));
    json_t *pki = json_object_get(json_object_get(model, "pkis"), pkiname ? pkiname : "");
    if (pki == NULL)
        return ytree_error(t, GET("pki"), "pki", "unknown PKI '%s'", pkiname ? pkiname : "?");
    /* the names this case can use: the PKI's plus the case's own certificates */
    struct names nm = {json_object(), json_object()};
    json_t *keys = json_object_get(pki, "keys");
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k) json_object_set_new(nm.keys, json_string_value(k), json_true());
    add_cert_names(&nm, json_object_get(pki, "certs"));
    int ok = 1;
    ynode *certs = GET("certs"); /* the case's own, else the family's defaults */
    if (certs) {
        for (size_t j = 0; ok && j < yseq_len(certs); j++)
            ok = check_cert(t, yseq_at(t, certs, j));
        if (ok) {
            json_t *cj = to_json(t, certs);
            add_cert_names(&nm, cj);
            json_decref(cj);
        }
    }
    for (size_t j = 0; ok && certs && j < yseq_len(certs); j++) {
        ynode *cn = yseq_at(t, certs, j);
        const char *issuer = NULL;
        ok = yget_str(t, cn, "issuer", 0, &issuer) &&
             (issuer == NULL || ref_ok(t, ymap_get(t, cn, "issuer"), "issuer", issuer, nm.certs, "certificate"));
    }
    ok = ok && check_name_list(t, c, "chain") && check_refs_list(t, c, "chain", nm.certs, "certificate") &&
         check_name_list(t, c, "trust") && check_refs_list(t, c, "trust", nm.certs, "certificate");
    ok = ok && check_parts(t, GET("signature_key"), GET("passport"), GET("credential"), GET("key_package"), &nm);
    if (ok && GET("group"))
        ok = check_group(t, GET("group"), defaults ? ymap_get(t, defaults, "group") : NULL, ynode_str(GET("kind")),
                         GET("op") && strcmp(ynode_str(GET("op")), "generate") == 0, &nm);
    else if (ok && strncmp(ynode_str(GET("kind")), "group_", 6) == 0)
        ok = ytree_error(t, GET("kind"), "group", "a %s case needs group:", ynode_str(GET("kind")));
    if (ok && GET("edits"))
        ok = check_edits(t, GET("edits"), ynode_str(GET("kind")));
    ynode *pol = GET("policy");
    if (ok && pol)
        ok = ycheck_keys(t, pol, policy_keys);
    if (ok && !check_time_node(t, ymap_get(t, c, "at") ? c : defaults, "at"))
        ok = 0;
#undef GET
    json_decref(nm.certs);
    json_decref(nm.keys);
    return ok;
}

static json_t *merged_case(ytree *t, ynode *c, ynode *defaults)
{
    json_t *o = defaults ? to_json(t, defaults) : json_object();
    json_t *own = to_json(t, c);
    json_t *g = json_object_get(o, "group"), *og = json_object_get(own, "group");
    if (json_is_object(g) && json_is_object(og)) { /* group: the case's keys over the defaults' */
        json_t *both = json_copy(g);
        json_object_update(both, og);
        json_object_set_new(own, "group", both);
    }
    json_object_update(o, own);
    json_decref(own);
    return o;
}

static int load_pki(const char *path, json_t *model, char *err, size_t errlen)
{
    ytree t;
    int ok = ytree_load(&t, path);
    ynode *root = ok ? ytree_root(&t) : NULL;
    static const char *const top[] = {"pkis", NULL};
    ok = ok && ycheck_keys(&t, root, top);
    ynode *pkis = ok ? ymap_get(&t, root, "pkis") : NULL;
    if (ok && !ynode_is_map(pkis))
        ok = ytree_error(&t, root, "pkis", "expected a mapping of PKI names");
    for (size_t i = 0; ok && i < ymap_len(pkis); i++) {
        ynode *p;
        const char *name = ymap_key_at(&t, pkis, i, &p, NULL);
        const char *seed = NULL;
        ok = ycheck_keys(&t, p, pki_keys) && yget_str(&t, p, "seed", 1, &seed) &&
             check_name_list(&t, p, "keys");
        ynode *certs = ok ? ymap_get(&t, p, "certs") : NULL;
        if (ok && !ynode_is_seq(certs))
            ok = ytree_error(&t, p, "certs", "expected a list of certificates");
        json_t *seen = json_object();
        for (size_t j = 0; ok && j < yseq_len(certs); j++) {
            ynode *c = yseq_at(&t, certs, j);
            const char *cname = NULL, *issuer = NULL;
            ok = check_cert(&t, c) && yget_str(&t, c, "name", 1, &cname) &&
                 yget_str(&t, c, "issuer", 0, &issuer);
            if (ok && json_object_get(seen, cname))
                ok = ytree_error(&t, c, "name", "duplicate certificate name '%s'", cname);
            if (ok && issuer && !json_object_get(seen, issuer))
                ok = ytree_error(&t, ymap_get(&t, c, "issuer"), "issuer",
                                 "unknown issuer '%s' (issuers are declared before what they issue)", issuer);
            if (ok)
                json_object_set_new(seen, cname, json_true());
        }
        json_decref(seen);
        if (ok)
            json_object_set_new(json_object_get(model, "pkis"), name, to_json(&t, p));
    }
    if (!ok)
        snprintf(err, errlen, "%s", t.error);
    ytree_cleanup(&t);
    return ok;
}

static int load_family(const char *path, const char *stem, json_t *model, json_t *ids, char *err,
                       size_t errlen)
{
    ytree t;
    int ok = ytree_load(&t, path);
    ynode *root = ok ? ytree_root(&t) : NULL;
    const char *family = NULL;
    ok = ok && ycheck_keys(&t, root, family_keys) && yget_str(&t, root, "family", 1, &family);
    if (ok && strcmp(family, stem) != 0)
        ok = ytree_error(&t, ymap_get(&t, root, "family"), "family", "'%s' must equal the file name '%s'", family, stem);
    ynode *defaults = ok ? ymap_get(&t, root, "defaults") : NULL;
    if (ok && defaults && !ycheck_keys(&t, defaults, case_keys))
        ok = 0;
    ynode *cases = ok ? ymap_get(&t, root, "cases") : NULL;
    if (ok && (!ynode_is_seq(cases) || yseq_len(cases) == 0))
        ok = ytree_error(&t, root, "cases", "expected a non-empty list of cases");
    json_t *fam = json_pack("{s:s,s:s,s:[]}", "family", ok ? family : "", "file", path, "cases");
    const char *desc = NULL;
    if (ok && yget_str(&t, root, "description", 0, &desc) && desc)
        json_object_set_new(fam, "description", json_string(desc));
    for (size_t i = 0; ok && i < yseq_len(cases); i++) {
        ynode *c = yseq_at(&t, cases, i);
        ok = check_case(&t, c, defaults, family, model, ids);
        if (ok)
            json_array_append_new(json_object_get(fam, "cases"), merged_case(&t, c, defaults));
    }
    if (ok)
        json_array_append(json_object_get(model, "families"), fam);
    else
        snprintf(err, errlen, "%s", t.error);
    json_decref(fam);
    ytree_cleanup(&t);
    return ok;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

json_t *vg_load(const char *dir, char *err, size_t errlen)
{
    json_t *model = json_pack("{s:{},s:[]}", "pkis", "families");
    char path[4096];
    snprintf(path, sizeof path, "%s/pki.yaml", dir);
    if (!load_pki(path, model, err, errlen)) {
        json_decref(model);
        return NULL;
    }
    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(err, errlen, "%s: cannot open the scenarios folder", dir);
        json_decref(model);
        return NULL;
    }
    char *names[256];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < 256) {
        size_t len = strlen(de->d_name);
        if (len > 5 && strcmp(de->d_name + len - 5, ".yaml") == 0 && strcmp(de->d_name, "pki.yaml") != 0)
            names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_str);
    json_t *ids = json_object();
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (ok) {
            char stem[256];
            snprintf(stem, sizeof stem, "%.*s", (int)(strlen(names[i]) - 5), names[i]);
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            ok = load_family(path, stem, model, ids, err, errlen);
        }
        free(names[i]);
    }
    json_decref(ids);
    if (!ok) {
        json_decref(model);
        return NULL;
    }
    return model;
}

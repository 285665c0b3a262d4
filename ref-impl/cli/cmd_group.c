/* cmd_group.c: `stirmls group inspect|verify` (docs/cli-group.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mls_cli.h"

const char stirmls_cmd_group_summary[] =
    "inspect or verify an MLS GroupInfo and its members' STIR credentials at T, or a group message";

static const char usage_text[] =
    "usage: stirmls group inspect --in FILE [--hex] [options]\n"
    "       stirmls group verify --in FILE --trust ROOT.pem --at UNIXTIME [--trust-spc SPC]...\n"
    "           [--warn-within SECONDS] [--reject-expired] [options]\n"
    "       stirmls group verify-message --group FILE --in MESSAGE --trust ROOT.pem --at UNIXTIME\n"
    "           [--proposal FILE]... [--trust-spc SPC]... [--reject-expired] [options]\n"
    "FILE holds an MLSMessage with a GroupInfo (wire_format mls_group_info) carrying the\n"
    "ratchet_tree extension. inspect prints the decoded GroupInfo and tree; verify checks the\n"
    "GroupInfo signature, the tree hash, parent hashes, every leaf (RFC 9420 §7.3) and every\n"
    "member's credential at UNIXTIME, and prints the verdict with the member table.\n"
    "verify-message judges an MLSMessage with a PublicMessage (a proposal or a commit) against\n"
    "the GroupInfo of its epoch (--group, same --hex): sender, signature, and each new leaf\n"
    "(Add, Update, UpdatePath) at UNIXTIME with the successor rule. A Commit's proposals by\n"
    "reference are resolved against the proposal messages given with --proposal (same --hex).\n"
    "A member whose credential has expired is flagged (status \"expired\") and the GroupInfo is\n"
    "still accepted, unless --reject-expired (then MLS_MEMBER_EXPIRED). Exit 0 accept, 1 reject,\n"
    "2 usage error.\n"
    "options:\n"
    "  --warn-within SECONDS       a valid member ending within this is \"expiring\" (default 0)\n"
    "  --reject-expired            an expired member makes the GroupInfo unacceptable\n";

static int help(void)
{
    fputs(usage_text, stdout);
    fputs(cli_mls_options_help, stdout);
    return 0;
}

struct group_args {
    struct cli_mls m;
    const char *group; /* verify-message: --group FILE */
    const char *proposals[CLI_MLS_MAX_PROPOSALS]; /* verify-message: --proposal FILE (repeatable) */
    size_t n_proposals;
    uint64_t warn_within;
    int reject_expired;
};

static int parse(struct group_args *a, int argc, char **argv, int verify)
{
    for (int i = 2; i < argc; i++) {
        if (verify && strcmp(argv[i], "--reject-expired") == 0) {
            a->reject_expired = 1;
            continue;
        }
        if (verify == 2 && strcmp(argv[i], "--group") == 0) {
            if (i + 1 >= argc)
                return cli_usage("--group needs a value"), 0;
            a->group = argv[++i];
            continue;
        }
        if (verify == 2 && strcmp(argv[i], "--proposal") == 0) {
            if (i + 1 >= argc)
                return cli_usage("--proposal needs a value"), 0;
            if (a->n_proposals == CLI_MLS_MAX_PROPOSALS)
                return cli_usage("at most %d --proposal files", CLI_MLS_MAX_PROPOSALS), 0;
            a->proposals[a->n_proposals++] = argv[++i];
            continue;
        }
        if (verify && strcmp(argv[i], "--warn-within") == 0) {
            if (i + 1 >= argc)
                return cli_usage("--warn-within needs a value"), 0;
            if (!cli_parse_u64(argv[++i], &a->warn_within))
                return cli_usage("--warn-within: bad value '%s'", argv[i]), 0;
            continue;
        }
        int r = cli_mls_option(&a->m, argc, argv, &i);
        if (r < 0)
            return 0;
        if (r == 0)
            return cli_usage("group %s: unknown option '%s'", argv[1], argv[i]), 0;
    }
    if (verify && a->m.trust == NULL)
        return cli_usage("group %s needs --trust ROOT.pem", argv[1]), 0;
    if (verify == 2 && a->group == NULL)
        return cli_usage("group verify-message needs --group FILE"), 0;
    return cli_mls_finish(&a->m, verify);
}

static json_t *context_json(const stirmls_group_context *c)
{
    return json_pack("{s:i,s:i,s:o,s:o,s:o,s:o,s:o}", "version", c->version, "cipher_suite",
                     c->cipher_suite, "group_id", cli_hex_json(c->group_id), "epoch",
                     cli_u64_json(c->epoch), "tree_hash", cli_hex_json(c->tree_hash),
                     "confirmed_transcript_hash", cli_hex_json(c->confirmed_transcript_hash),
                     "extensions", cli_hex_json(c->extensions));
}

static json_t *tree_json(const stirmls_ratchet_tree *t)
{
    json_t *nodes = json_array();
    for (size_t x = 0; x < t->n_nodes; x++) {
        const stirmls_node *n = &t->nodes[x];
        json_t *o = json_pack("{s:i}", "node", (json_int_t)x);
        if (n->type == STIRMLS_NODE_BLANK) {
            json_object_set_new(o, "type", json_string("blank"));
        } else if (n->type == STIRMLS_NODE_LEAF) {
            json_object_set_new(o, "type", json_string("leaf"));
            json_object_set_new(o, "leaf_index", json_integer((json_int_t)(x / 2)));
            json_object_set_new(o, "leaf_node", cli_mls_leafnode_json(&n->leaf));
        } else {
            json_t *um = json_array();
            stirmls_reader r;
            uint32_t u;
            stirmls_reader_init(&r, n->parent.unmerged_leaves.ptr, n->parent.unmerged_leaves.len);
            while (stirmls_reader_u32(&r, &u) == STIRMLS_R_OK)
                json_array_append_new(um, json_integer(u));
            json_object_set_new(o, "type", json_string("parent"));
            json_object_set_new(o, "encryption_key", cli_hex_json(n->parent.encryption_key));
            json_object_set_new(o, "parent_hash", cli_hex_json(n->parent.parent_hash));
            json_object_set_new(o, "unmerged_leaves", um);
        }
        json_array_append_new(nodes, o);
    }
    return nodes;
}

static int inspect(int argc, char **argv)
{
    struct group_args a;
    memset(&a, 0, sizeof a);
    cli_mls_init(&a.m);
    uint8_t *buf = NULL;
    size_t len;
    if (!parse(&a, argc, argv, 0) || !cli_mls_read_input(&a.m, &buf, &len)) {
        cli_mls_cleanup(&a.m);
        return CLI_EXIT_USAGE;
    }
    stirmls_group_info gi;
    stirmls_ratchet_tree t = {0};
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason rc = stirmls_group_info_decode_message(buf, len, &gi, &d);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_group_info_tree(&gi, &a.m.o.codepoints, &t, &d);
    json_t *o = cli_verdict_json(&d);
    if (rc == STIRMLS_R_OK) {
        json_object_set_new(o, "group_context", context_json(&gi.context));
        json_object_set_new(o, "signer", json_integer(gi.signer));
        json_object_set_new(o, "confirmation_tag", cli_hex_json(gi.confirmation_tag));
        json_object_set_new(o, "signature", cli_hex_json(gi.signature));
        json_object_set_new(o, "leaves", json_integer((json_int_t)((t.n_nodes + 1) / 2)));
        json_object_set_new(o, "nodes", tree_json(&t));
        size_t hl = stirmls_mls_suite_hash_len(gi.context.cipher_suite);
        uint8_t *h = hl ? malloc(t.n_nodes * hl) : NULL;
        if (h != NULL && stirmls_tree_hashes(&t, hl, h) == STIRMLS_R_OK) {
            stirmls_slice root = {h + stirmls_tree_root(&t) * hl, hl};
            json_object_set_new(o, "computed_tree_hash", cli_hex_json(root));
            json_object_set_new(o, "tree_hash_matches",
                                json_boolean(stirmls_slice_eq(root, gi.context.tree_hash)));
        }
        free(h);
    }
    stirmls_ratchet_tree_cleanup(&t);
    free(buf);
    cli_mls_cleanup(&a.m);
    return cli_emit(o) ? cli_verdict_exit(rc) : CLI_EXIT_USAGE;
}

static int verify(int argc, char **argv)
{
    struct group_args a;
    memset(&a, 0, sizeof a);
    cli_mls_init(&a.m);
    uint8_t *buf = NULL;
    size_t len;
    if (!parse(&a, argc, argv, 1) || !cli_mls_read_input(&a.m, &buf, &len)) {
        cli_mls_cleanup(&a.m);
        return CLI_EXIT_USAGE;
    }
    stirmls_group_info gi;
    stirmls_group_result res = {0};
    stirmls_group_policy p;
    stirmls_cred_validators v;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_group_policy_default(&p);
    p.mls = a.m.o;
    p.warn_within = a.warn_within;
    p.reject_expired = a.reject_expired;
    cli_mls_validators(&a.m, &v);
    stirmls_reason rc = stirmls_group_info_decode_message(buf, len, &gi, &d);
    int decoded = rc == STIRMLS_R_OK;
    if (decoded)
        rc = stirmls_group_info_verify(&gi, &p, &v, a.m.at, &res, &d);
    json_t *o = cli_verdict_json(&d);
    cli_mls_group_result_json(o, &res);
    json_object_set_new(o, "at", cli_u64_json(a.m.at));
    json_object_set_new(o, "policy", json_pack("{s:s,s:o}", "expired_members",
                                               a.reject_expired ? "reject" : "flag",
                                               "warn_within", cli_u64_json(a.warn_within)));
    if (decoded) {
        json_object_set_new(o, "group_id", cli_hex_json(gi.context.group_id));
        json_object_set_new(o, "epoch", cli_u64_json(gi.context.epoch));
        json_object_set_new(o, "signer", json_integer(gi.signer));
    }
    stirmls_group_result_cleanup(&res);
    free(buf);
    cli_mls_cleanup(&a.m);
    return cli_emit(o) ? cli_verdict_exit(rc) : CLI_EXIT_USAGE;
}

static int verify_message(int argc, char **argv)
{
    struct group_args a;
    memset(&a, 0, sizeof a);
    cli_mls_init(&a.m);
    uint8_t *buf = NULL, *gbuf = NULL, *pbufs[CLI_MLS_MAX_PROPOSALS] = {0};
    size_t len, glen, plens[CLI_MLS_MAX_PROPOSALS] = {0}, np = 0;
    int ok = parse(&a, argc, argv, 2) && cli_mls_read_input(&a.m, &buf, &len);
    if (ok) {
        struct cli_mls g = a.m;
        g.in = a.group;
        ok = cli_mls_read_input(&g, &gbuf, &glen);
    }
    for (; ok && np < a.n_proposals; np++) {
        struct cli_mls g = a.m;
        g.in = a.proposals[np];
        ok = cli_mls_read_input(&g, &pbufs[np], &plens[np]);
    }
    if (!ok) {
        for (size_t i = 0; i < np; i++)
            free(pbufs[i]);
        free(buf), free(gbuf);
        cli_mls_cleanup(&a.m);
        return CLI_EXIT_USAGE;
    }
    stirmls_group_info gi;
    stirmls_public_message msg;
    stirmls_group_message_result res;
    stirmls_group_policy p;
    stirmls_cred_validators v;
    stirmls_detail d;
    stirmls_detail_init(&d);
    memset(&res, 0, sizeof res);
    memset(&msg, 0, sizeof msg);
    stirmls_group_policy_default(&p);
    p.mls = a.m.o;
    p.reject_expired = a.reject_expired;
    cli_mls_validators(&a.m, &v);
    stirmls_public_message pool[CLI_MLS_MAX_PROPOSALS];
    memset(pool, 0, sizeof pool);
    stirmls_reason rc = stirmls_group_info_decode_message(gbuf, glen, &gi, &d);
    if (rc != STIRMLS_R_OK) {
        for (size_t i = 0; i < np; i++)
            free(pbufs[i]);
        free(buf), free(gbuf);
        cli_mls_cleanup(&a.m);
        return cli_usage("%s is not a GroupInfo: %s", a.group, d.text);
    }
    rc = stirmls_public_message_decode_message(buf, len, &a.m.o.codepoints, &msg, &d);
    if (rc == STIRMLS_R_OK)
        rc = cli_mls_decode_proposals(pbufs, plens, np, &a.m.o.codepoints, pool, &d);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_group_message_verify_refs(&gi, &msg, pool, np, &p, &v, a.m.at, &res, &d);
    json_t *o = cli_verdict_json(&d);
    json_object_set_new(o, "at", cli_u64_json(a.m.at));
    cli_mls_group_message_json(o, &res);
    stirmls_public_message_cleanup(&msg);
    cli_mls_proposals_cleanup(pool, np);
    for (size_t i = 0; i < np; i++)
        free(pbufs[i]);
    free(buf), free(gbuf);
    cli_mls_cleanup(&a.m);
    return cli_emit(o) ? cli_verdict_exit(rc) : CLI_EXIT_USAGE;
}

int stirmls_cmd_group(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("group needs a subcommand: inspect, verify or verify-message");
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return help();
    if (strcmp(argv[1], "inspect") == 0)
        return inspect(argc, argv);
    if (strcmp(argv[1], "verify") == 0)
        return verify(argc, argv);
    if (strcmp(argv[1], "verify-message") == 0)
        return verify_message(argc, argv);
    return cli_usage("group: unknown subcommand '%s'", argv[1]);
}

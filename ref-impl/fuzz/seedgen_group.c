/* seedgen_group.c: seeds of the group targets: entries of the MLS working group's messages.json
 * (mls_group_info, ratchet_tree, commit, public_message_*) and the trees of tree-validation.json
 * and tree-operations.json, all under $STIRMLS_ROOT/ref-impl/tests/data/mlswg. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "seedgen.h"

#define GROUP_SEEDS 12 /* entries taken from each file and field */

static void from_file(const char *file, const char *field)
{
    char path[4200];
    const char *root = getenv("STIRMLS_ROOT");
    snprintf(path, sizeof path, "%s/ref-impl/tests/data/mlswg/%s", root ? root : ".", file);
    json_error_t e;
    json_t *all = json_load_file(path, 0, &e);
    if (all == NULL)
        die("an MLS working group vector file is not readable");
    for (size_t i = 0, taken = 0; i < json_array_size(all) && taken < GROUP_SEEDS; i++) {
        const char *hex = json_string_value(json_object_get(json_array_get(all, i), field));
        uint8_t *raw = NULL;
        size_t n = 0;
        if (hex != NULL && stirmls_hex_decode(hex, strlen(hex), &raw, &n) == STIRMLS_R_OK) {
            seed(raw, n);
            taken++;
        }
        free(raw);
    }
    json_decref(all);
}

/* A GroupInfo built by the library: three basic-credential leaves (key_package, update, commit
 * sources), leaf 1 blank when `gap`, signed by the last leaf. */
static void built_group_info(int gap)
{
    static const uint8_t s[] = "stirmls-seedgen-group";
    static const stirmls_leaf_source src[3] = {STIRMLS_LEAF_SOURCE_KEY_PACKAGE,
                                               STIRMLS_LEAF_SOURCE_UPDATE,
                                               STIRMLS_LEAF_SOURCE_COMMIT};
    stirmls_slice leaves[3], gid = stirmls_slice_str("seed-group"), none = {NULL, 0};
    stirmls_key *keys[3] = {0};
    uint8_t cred[16] = {0x00, 0x01, 0x06, 'm', 'e', 'm', 'b', 'e', 'r'};
    for (int i = 0; i < 3; i++) {
        char name[8] = {'m', (char)('0' + i), 0};
        stirmls_kp_params p;
        memset(&p, 0, sizeof p);
        if (stirmls_key_derive(s, sizeof s - 1, name, &keys[i]) != STIRMLS_R_OK)
            die("cannot derive a key");
        p.signature_key = keys[i];
        p.credential.ptr = cred, p.credential.len = 9;
        p.not_before = 1700000000, p.not_after = 1700000000 + 86400;
        p.seed = s, p.seedlen = sizeof s - 1, p.key_name = name;
        uint8_t *b = NULL;
        leaves[i].ptr = NULL, leaves[i].len = 0;
        if (gap && i == 1)
            continue;
        if (stirmls_leafnode_build(&p, src[i], gid, (uint32_t)i, none, &b, &leaves[i].len, NULL))
            die("cannot build a leaf");
        leaves[i].ptr = b;
    }
    stirmls_group_build g;
    memset(&g, 0, sizeof g);
    g.group_id = gid, g.epoch = 1, g.leaves = leaves, g.n_leaves = 3, g.signer = 2;
    g.signer_key = keys[2];
    uint8_t *msg = NULL;
    size_t n = 0;
    if (stirmls_group_info_build(&g, &msg, &n, NULL) != STIRMLS_R_OK)
        die("cannot build a GroupInfo");
    seed(msg, n);
    free(msg);
    for (int i = 0; i < 3; i++)
        free((void *)leaves[i].ptr), stirmls_key_free(keys[i]);
}

void gen_group_info(void)
{
    from_file("messages.json", "mls_group_info");
    built_group_info(0);
    built_group_info(1);
}

void gen_ratchet_tree(void)
{
    from_file("messages.json", "ratchet_tree");
    from_file("tree-validation.json", "tree");
    from_file("tree-operations.json", "tree_before");
    from_file("tree-operations.json", "tree_after");
}

void gen_commit(void)
{
    from_file("messages.json", "commit");
}

void gen_public_message(void)
{
    from_file("messages.json", "public_message_proposal");
    from_file("messages.json", "public_message_commit");
}

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

void gen_group_info(void)
{
    from_file("messages.json", "mls_group_info");
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

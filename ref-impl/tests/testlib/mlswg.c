/* mlswg.c: the MLS working group's vector files as JSON (mlswg.h). */
#include <check.h>
#include "testlib/mlswg.h"
#include "testlib/testlib.h"

json_t *tl_mlswg_load(const char *name)
{
    json_error_t jerr;
    json_t *root = json_load_file(tl_mlswg_path(name), 0, &jerr);
    ck_assert_msg(root != NULL, "cannot load %s: %s", name, jerr.text);
    return root;
}

uint8_t *tl_json_hex(json_t *o, const char *key, size_t *n)
{
    const char *s = json_string_value(json_object_get(o, key));
    ck_assert_msg(s != NULL, "missing %s", key);
    return tl_hex(s, n);
}

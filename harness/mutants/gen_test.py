"""gen_test.py: the generator's own test (make check runs it: auto.py selftest).

Each operator must make its expected textual change on a small C snippet, the hand-written mutant
branches and excluded functions must stay untouched, and the real sources must give the same list
(same ids, sorted, unique) twice, with at least 300 mutants in the sample.
"""
import gen

SNIPPET = r'''
#include "x.h"
static const int table[] = {7, 8};
static stirmls_reason check(const item *v, size_t n, int lenient, stirmls_detail *d)
{
    stirmls_reason rc = STIRMLS_R_OK;
    for (size_t i = 0; i < n; i++)
        if (v[i].len >= 4 && v[i].tag == 0x80)
            return stirmls_fail(d, STIRMLS_R_BAD, "entry %d", 3);
    while (more(v))
        STIRMLS_TRY(step(v));
    if (lenient ? strcasecmp(v->s, "a") : strcmp(v->s, "a"))
        return STIRMLS_R_OTHER;
#if STIRMLS_MUTANT_ID == 9 /* mutant 9: a hand-written fault */
    if (n > 99)
#else
    if (n > 2 || n != 5)
#endif
        goto out;
    return n < 2 ? STIRMLS_R_COUNT : STIRMLS_R_OK;
out:
    return rc;
}
static void build_thing(int *x)
{
    if (*x < 3)
        *x = 4;
}
'''

EXPECT = {  # operator -> mutated lines that must be among its mutants
    "rel": ["for (size_t i = 0; i <= n; i++)", "if (v[i].len > 4 && v[i].tag == 0x80)",
            "if (n >= 2 || n != 5)", "return n <= 2 ? STIRMLS_R_COUNT : STIRMLS_R_OK;"],
    "eq": ["if (v[i].len >= 4 && v[i].tag != 0x80)", "if (n > 2 || n == 5)"],
    "andor": ["if (v[i].len >= 4 || v[i].tag == 0x80)", "if (n > 2 && n != 5)"],
    "neg": ["if (!(v[i].len >= 4 && v[i].tag == 0x80))", "while (!(more(v)))"],
    "guard": ["if (0 && (v[i].len >= 4 && v[i].tag == 0x80))", "(void)(step(v));",
              "if (0 && (n > 2 || n != 5))", "return 0 && (n < 2) ? STIRMLS_R_COUNT : STIRMLS_R_OK;"],
    "const": ["for (size_t i = 1; i < n; i++)", "if (v[i].len >= 5 && v[i].tag == 0x80)",
              "if (v[i].len >= 4 && v[i].tag == 0x7F)", "if (n > 3 || n != 5)"],
    "loop1": ["for (size_t i = 0; (i < n) && i == (0); i++)",
              "for (int stirmls_mut_once = 0; !stirmls_mut_once && (more(v)); stirmls_mut_once = 1)"],
    "idx0": ["if (i == (0) && (v[i].len >= 4 && v[i].tag == 0x80))"],
    "flag": ["if (1 ? strcasecmp(v->s, \"a\") : strcmp(v->s, \"a\"))",
             "if (lenient ? strcasecmp(v->s, \"a\") : strcasecmp(v->s, \"a\"))"],
}
NEVER = ["n > 99", "n > 100", "n > 98", "{8, 8}", "*x <", "\"entry %d\", 4", "int 1"]


def main():
    fails = []
    ms = gen.generate_file("t/snippet.c", SNIPPET)
    got = {}
    for m in ms:
        got.setdefault(m.op, []).append(m.new)
        if gen.apply_edits(SNIPPET, m.edits) == SNIPPET:
            fails.append(f"{m.op} at {m.line}: no change")
    for op, lines in EXPECT.items():
        for line in lines:
            if line not in got.get(op, []):
                fails.append(f"{op}: expected mutant `{line}`; got {got.get(op)}")
    for m in ms:
        for bad in NEVER:
            if bad in m.new and bad not in m.orig:
                fails.append(f"{m.op} mutated excluded text: {m.new}")
    if set(got) != set(gen.OPERATORS):
        fails.append(f"operators without a mutant on the snippet: {set(gen.OPERATORS) - set(got)}")
    # the tokenizer must see the #else branch and nothing of the #if branch
    if "99" in [t.text for t in gen.tokenize(SNIPPET)]:
        fails.append("the hand-written mutant branch was tokenized")
    a, b = gen.generate(), gen.generate()
    ka = [(m.id, m.file, m.line, m.col, m.op, m.new) for m in a]
    if ka != [(m.id, m.file, m.line, m.col, m.op, m.new) for m in b]:
        fails.append("two runs over ref-impl/src differ")
    if [m.key() for m in a] != sorted(m.key() for m in a) or len({m.id for m in a}) != len(a):
        fails.append("the list is not sorted or ids repeat")
    s1, s2 = gen.sample(a, 500), gen.sample(list(reversed(a)), 500)
    if [m.id for m in s1] != [m.id for m in s2] or len(s1) < 300:
        fails.append(f"the sample depends on the list order or is small ({len(s1)})")
    for f in fails:
        print("FAIL:", f)
    print(f"mutants-auto generator: {'FAILED' if fails else 'ok'} ({len(ms)} mutants of the snippet, "
          f"{len(a)} of ref-impl/src, same ids twice)")
    return 1 if fails else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""gen.py: the mutant generator of `make mutants-auto` (harness/mutants/auto.py runs what it lists).

Source-level operators over the verification code of ref-impl/src. A file is read as the compiler
sees it with STIRMLS_MUTANT unset: comments, strings and preprocessor lines are tokens of their own,
and the text of every `#if STIRMLS_MUTANT_ID == N` / `#elif STIRMLS_MUTANT_ID ...` branch (the
hand-written faults of `make mutants`) is left out. Only tokens inside the bodies of functions
that take part in verification are mutated (file-scope tables, and producers such as encoders and
signers, are not: see EXCLUDED_FILES and EXCLUDED_FUNCS).

Operators (each mutant is one operator applied at one place):
  rel     a relational boundary moved: < <-> <=, > <-> >=
  eq      an equality test inverted: == <-> !=
  neg     the condition of an if or while negated: if (C) -> if (!(C))
  andor   && <-> ||
  guard   a guard that returns a reason removed: if (C) return/goto/fail... -> if (0 && (C)) ...;
          STIRMLS_TRY(x); -> (void)(x);  return C ? R_BAD : R_OK; -> the failing branch never taken
  const   an integer constant plus or minus one
  loop1   a loop that stops after its first element: for (T i = E; C; ...) -> C && i == (E);
          while (C) -> for (int stirmls_mut_once = 0; !stirmls_mut_once && (C); stirmls_mut_once = 1)
  idx0    a check in a for loop applied at the first index only: if (C) -> if (i == (E) && (C)),
          STIRMLS_TRY(x); -> if (i == (E)) STIRMLS_TRY(x);
  flag    a strictness flag relaxed: lenient -> 1, strcmp -> strcasecmp, JSON_REJECT_DUPLICATES -> 0,
          jansson and X509 verification flags that accept more (JSON_ALLOW_NUL, JSON_DISABLE_EOF_CHECK,
          X509_V_FLAG_IGNORE_CRITICAL)

Ids are the first 10 hex digits of SHA-256("file:line:col:operator:variant"), so the same source
gives the same mutants with the same ids; lists are sorted by file, line, column, operator, variant.
Python standard library only (/usr/bin/python3).
"""
import hashlib
import os
import re

SRC_ROOT = "ref-impl/src"

# Files that hold no verification rule: the failure record, the mutant switch, the output buffer,
# the reason-name table, the test-PKI builders, the MLS object builders, the caches (a cache
# hit returns what a miss computes; the suite exercises single verifications, not cache policy)
# and the decoders of the CLI's own inputs.
EXCLUDED_FILES = {
    "base/detail.c": "failure text only",
    "base/mutant.c": "the switch of the hand-written mutants",
    "base/writer.c": "output buffer (producers)",
    "base/reason.c": "reason-name lookups (every change renames every reason)",
    "crypto/ossl_certbuild.c": "test-PKI certificate builder",
    "crypto/certcache.c": "parse cache",
    "stir/chaincache.c": "verification cache",
    "stir/pki.c": "test-PKI profiles",
    "mls/build.c": "KeyPackage and LeafNode builders",
    "codec/hex.c": "hex of the CLI's arguments and of the interop protocol's inputs (no artefact is hex)",
    "codec/pemblock.c": "PEM bundles of the keypackage CLI verb (serve parses chains in ossl_cert.c)",
}

# Producers and housekeeping inside verification files (by function name).
EXCLUDED_FUNCS = re.compile(
    r"(encode|_sign$|_sign_|^sign|resign|write|build|put_|_put|^put|_new$|_free$|^free|_cleanup$"
    r"|_pem$|_text$|^ku_text|name_text|ossl_text|bio_to_string|source_name|kind_name|_stats$"
    r"|_version$|_digest$|_assemble$|append_|hmac|scalar|_derive$|entry_json|set_string|new_object"
    r"|_oom$|alloc|noting|b64_line|b64_finish|_serialize$|from_text|_close$|_open$|_up_ref$"
    r"|^json_begin$|^store$|^insert$|^reserve$|^key_new$)")

OPERATORS = ["rel", "eq", "neg", "andor", "guard", "const", "loop1", "idx0", "flag"]

_TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\f\v]+) | (?P<nl>\n) |
    (?P<comment>/\*.*?\*/|//[^\n]*) |
    (?P<string>"(?:\\.|[^"\\\n])*") | (?P<char>'(?:\\.|[^'\\\n])*') |
    (?P<num>0[xX][0-9a-fA-F]+[uUlL]*|[0-9]+[uUlL]*) |
    (?P<ident>[A-Za-z_][A-Za-z0-9_]*) |
    (?P<punct><<=|>>=|\.\.\.|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=|[-+*/%&|^~!<>=?:;,.(){}\[\]#])
""", re.S | re.X)
_PREPROC = re.compile(r"[ \t]*#(?:[^\n\\]|\\.)*", re.S)


class Tok:
    __slots__ = ("kind", "text", "start", "end")

    def __init__(self, kind, text, start, end):
        self.kind, self.text, self.start, self.end = kind, text, start, end

    def __repr__(self):
        return f"Tok({self.kind},{self.text!r})"


def tokenize(src):
    """The live tokens of src: no whitespace, comments or preprocessor lines, and nothing of the
    hand-written mutant branches (#if/#elif STIRMLS_MUTANT_ID ...; their #else branch is live)."""
    toks, pos, bol = [], 0, True
    stack = []  # per #if: [is_mutant_switch, this_branch_dead]
    while pos < len(src):
        if bol:
            m = _PREPROC.match(src, pos)
            if m and m.group().lstrip().startswith("#"):
                d = m.group().strip()[1:].strip()
                if re.match(r"if\s+STIRMLS_MUTANT_ID\b", d):
                    stack.append([True, True])
                elif re.match(r"if(n?def)?\b", d):
                    stack.append([False, False])
                elif re.match(r"elif\b", d) and stack:
                    stack[-1][1] = stack[-1][0]
                elif re.match(r"else\b", d) and stack:
                    stack[-1][1] = False
                elif re.match(r"endif\b", d) and stack:
                    stack.pop()
                pos = m.end()
                continue
        m = _TOKEN.match(src, pos)
        if not m:
            raise ValueError(f"cannot tokenize at offset {pos}: {src[pos:pos + 20]!r}")
        kind = m.lastgroup
        if kind == "nl":
            bol = True
        elif kind not in ("ws", "comment"):
            bol = False
            if not any(dead for _, dead in stack):
                toks.append(Tok(kind, m.group(), m.start(), m.end()))
        pos = m.end()
    return toks


def match_brackets(toks):
    pairs, stack = {}, []
    for i, t in enumerate(toks):
        if t.text in "([{" and t.kind == "punct":
            stack.append(i)
        elif t.text in ")]}" and t.kind == "punct":
            j = stack.pop()
            pairs[i], pairs[j] = j, i
    return pairs


def functions(toks, pairs):
    """(name, body_open, body_close) of every function definition at file scope."""
    out, i = [], 0
    while i < len(toks):
        t = toks[i]
        if t.text == "{":
            if i > 0 and toks[i - 1].text == ")":
                o = pairs[i - 1]
                if o > 0 and toks[o - 1].kind == "ident":
                    out.append((toks[o - 1].text, i, pairs[i]))
            i = pairs[i] + 1
            continue
        i += 1
    return out


class Mutant:
    __slots__ = ("id", "file", "line", "col", "op", "variant", "func", "edits", "orig", "new")

    def key(self):
        return (self.file, self.line, self.col, self.op, self.variant)


def line_col(src, off):
    line = src.count("\n", 0, off) + 1
    return line, off - (src.rfind("\n", 0, off) + 1) + 1


def apply_edits(src, edits):
    for s, e, rep in sorted(edits, key=lambda x: (x[0], x[1]), reverse=True):
        src = src[:s] + rep + src[e:]
    return src


def changed_lines(src, edits):
    """The original and the mutated text of the lines the edits touch (joined with ' | ')."""
    lo = min(s for s, _, _ in edits)
    hi = max(e for _, e, _ in edits)
    a = src.rfind("\n", 0, lo) + 1
    b = src.find("\n", hi)
    b = len(src) if b < 0 else b
    orig = src[a:b]
    shift = sum(len(r) - (e - s) for s, e, r in edits)
    new = apply_edits(src, edits)[a:b + shift]
    squash = lambda x: " | ".join(l.strip() for l in x.split("\n"))
    return squash(orig), squash(new)


class _Gen:
    def __init__(self, path, src):
        self.path, self.src = path, src
        self.toks = tokenize(src)
        self.pairs = match_brackets(self.toks)
        self.out = []

    def add(self, op, anchor, edits, func, variant=0):
        m = Mutant()
        m.file, m.op, m.variant, m.func, m.edits = self.path, op, variant, func, edits
        m.line, m.col = line_col(self.src, self.toks[anchor].start)
        m.id = hashlib.sha256(f"{m.file}:{m.line}:{m.col}:{op}:{variant}".encode()).hexdigest()[:10]
        m.orig, m.new = changed_lines(self.src, edits)
        self.out.append(m)

    # --- helpers over tokens
    def text(self, i, j):
        """Source text from token i to token j inclusive."""
        return self.src[self.toks[i].start:self.toks[j].end]

    def stmt_end(self, i):
        """Index of the token ending the statement that starts at token i (its ';' or '}')."""
        t = self.toks
        if t[i].text == "{":
            return self.pairs[i]
        if t[i].text in ("if", "while", "for") and t[i + 1].text == "(":
            j = self.stmt_end(self.pairs[i + 1] + 1)
            if t[i].text == "if" and j + 1 < len(t) and t[j + 1].text == "else":
                j = self.stmt_end(j + 2)
            return j
        j = i
        while t[j].text != ";":
            j = self.pairs[j] if t[j].text in "([{" and t[j].kind == "punct" else j
            j += 1
        return j

    def is_failing_body(self, i, j):
        """The statement i..j (a single statement, or a block whose last statement decides) returns
        a reason other than OK, returns rc, returns through a fail helper, or jumps (goto)."""
        t = self.toks
        if t[i].text == "{":
            if j - 1 <= i:
                return False
            k = j - 2
            while k > i and t[k].text not in (";", "{", "}"):
                k -= 1
            i = k + 1
        k = i
        while k <= j:
            if t[k].text == "goto":
                return True
            if t[k].text == "return":
                e = k + 1
                while t[e].text != ";":
                    e += 1
                words = [x.text for x in t[k + 1:e]]
                if any(w.startswith("STIRMLS_R_") and w != "STIRMLS_R_OK" for w in words):
                    return True
                if any("fail" in w or w == "bad" for w in words) or words == ["rc"]:
                    return True
                k = e
            k += 1
        return False

    def wrap(self, o, c, before, after):
        """Edits putting `before` after '(' at o and `after` before ')' at c."""
        t = self.toks
        return [(t[o].end, t[o].end, before), (t[c].start, t[c].start, after)]

    # --- the operators, over one function body
    def run(self, name, lo, hi):
        t = self.toks
        loops = []  # (var, init text, body first, body last)
        for i in range(lo + 1, hi):
            x = t[i]
            if x.text == "for" and t[i + 1].text == "(":
                info = self.for_header(i + 1)
                if info:
                    v, e, cond = info
                    body = self.pairs[i + 1] + 1
                    loops.append((v, e, body, self.stmt_end(body)))
        for i in range(lo + 1, hi):
            x = t[i]
            swaps = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "==",
                     "&&": "||", "||": "&&"}
            if x.kind == "punct" and x.text in swaps:
                op = {"==": "eq", "!=": "eq", "&&": "andor", "||": "andor"}.get(x.text, "rel")
                self.add(op, i, [(x.start, x.end, swaps[x.text])], name)
            elif x.kind == "num":
                self.const(i, name)
            elif x.text in ("if", "while") and t[i + 1].text == "(":
                o, c = i + 1, self.pairs[i + 1]
                do_while = t[i - 1].text == "}" and t[self.pairs[i - 1] - 1].text == "do"
                if not do_while:
                    self.add("neg", i, self.wrap(o, c, "!(", ")"), name)
                if x.text == "if" and self.is_failing_body(c + 1, self.stmt_end(c + 1)):
                    self.add("guard", i, self.wrap(o, c, "0 && (", ")"), name)
                    inner = [lp for lp in loops if lp[2] <= i <= lp[3]]
                    if inner:
                        v, e = inner[-1][:2]
                        self.add("idx0", i, self.wrap(o, c, f"{v} == ({e}) && (", ")"), name)
                if x.text == "while" and not do_while:
                    self.add("loop1", i, [(x.start, x.end, "for"),
                                          (t[o].end, t[o].end, "int stirmls_mut_once = 0; !stirmls_mut_once && ("),
                                          (t[c].start, t[c].start, "); stirmls_mut_once = 1")], name)
            elif x.text == "for" and t[i + 1].text == "(":
                info = self.for_header(i + 1)
                if info:
                    v, e, (cs, ce) = info
                    self.add("loop1", i, [(t[cs].start, t[cs].start, "("),
                                          (t[ce].end, t[ce].end, f") && {v} == ({e})")], name)
            elif x.text == "STIRMLS_TRY" and t[i + 1].text == "(":
                self.add("guard", i, [(x.start, t[i + 1].end, "(void)(")], name)
                inner = [lp for lp in loops if lp[2] <= i <= lp[3]]
                if inner:
                    v, e = inner[-1][:2]
                    self.add("idx0", i, [(x.start, x.start, f"if ({v} == ({e})) ")], name)
            elif x.text == "return":
                self.ternary_guard(i, name)
            self.flag(i, name)

    def for_header(self, o):
        """(var, init, (cond first, cond last)) of `for (T v = init; cond; ...)`, else None."""
        t, c = self.toks, self.pairs[o]
        semis = [k for k in range(o + 1, c) if t[k].text == ";"]
        if len(semis) != 2 or semis[1] == semis[0] + 1:
            return None
        eq = [k for k in range(o + 1, semis[0]) if t[k].text == "="]
        if len(eq) != 1 or t[eq[0] - 1].kind != "ident" or eq[0] + 1 >= semis[0]:
            return None
        return t[eq[0] - 1].text, self.text(eq[0] + 1, semis[0] - 1), (semis[0] + 1, semis[1] - 1)

    def const(self, i, name):
        t = self.toks
        # not in the arguments of a failure-text or formatting call
        for k in range(i - 1, 0, -1):
            if t[k].text == "(" and self.pairs[k] > i and t[k - 1].kind == "ident":
                if t[k - 1].text in ("stirmls_fail", "stirmls_fail_at", "fail_at_cert", "fail_cert",
                                     "snprintf", "memset"):
                    return
            if t[k].text in (";", "{", "}"):
                break
        m = re.fullmatch(r"(0[xX][0-9a-fA-F]+|[0-9]+)([uUlL]*)", t[i].text)
        digits, suffix = m.groups()
        hexa = digits[:2].lower() == "0x"
        if not hexa and len(digits) > 1 and digits[0] == "0":
            return  # octal: none in the sources
        v = int(digits, 16 if hexa else 10)
        for variant, nv in ((0, v + 1), (1, v - 1)):
            if nv < 0:
                continue
            s = (f"0x{nv:0{len(digits) - 2}X}" if hexa else str(nv)) + suffix
            self.add("const", i, [(t[i].start, t[i].end, s)], name, variant)

    def ternary_guard(self, i, name):
        t = self.toks
        e = self.stmt_end(i)
        q = colon = None
        k = i + 1
        while k < e:
            if t[k].text in "([{" and t[k].kind == "punct":
                k = self.pairs[k]
            elif t[k].text == "?" and q is None:
                q = k
            elif t[k].text == ":" and q is not None and colon is None:
                colon = k
            k += 1
        if q is None or colon is None or q == i + 1:
            return
        yes = [x.text for x in t[q + 1:colon]]
        no = [x.text for x in t[colon + 1:e]]
        bad = lambda w: any(x.startswith("STIRMLS_R_") and x != "STIRMLS_R_OK" for x in w)
        if bad(yes) and no == ["STIRMLS_R_OK"]:
            pre = "0 && ("
        elif bad(no) and yes == ["STIRMLS_R_OK"]:
            pre = "1 || ("
        else:
            return
        self.add("guard", i, [(t[i + 1].start, t[i + 1].start, pre), (t[q - 1].end, t[q - 1].end, ")")], name)

    FLAGS = {"JSON_REJECT_DUPLICATES": ["0"],
             "JSON_DECODE_ANY": ["JSON_DECODE_ANY | JSON_ALLOW_NUL", "JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK"],
             "X509_V_FLAG_PARTIAL_CHAIN": ["X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_IGNORE_CRITICAL"],
             "strcmp": ["strcasecmp"], "strncmp": ["strncasecmp"]}

    def flag(self, i, name):
        t = self.toks
        x = t[i]
        if x.kind != "ident":
            return
        if x.text in self.FLAGS and (x.text[0] != "s" or t[i + 1].text == "("):
            for variant, rep in enumerate(self.FLAGS[x.text]):
                self.add("flag", i, [(x.start, x.end, rep)], name, variant)
        elif x.text == "lenient" and t[i + 1].text != "=" and t[i - 1].text not in ("int", "unsigned"):
            s = t[i - 2].start if t[i - 1].text in ("->", ".") else x.start
            self.add("flag", i, [(s, x.end, "1")], name)


def generate_file(path, src):
    """Every mutant of one file (path relative to ref-impl/src), in source order."""
    g = _Gen(path, src)
    for name, lo, hi in functions(g.toks, g.pairs):
        if not EXCLUDED_FUNCS.search(name):
            g.run(name, lo, hi)
    ms = sorted(g.out, key=Mutant.key)
    return ms


def source_files(root=SRC_ROOT):
    out = []
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".c"):
                rel = os.path.relpath(os.path.join(d, f), root)
                if rel not in EXCLUDED_FILES:
                    out.append(rel)
    return sorted(out)


def generate(root=SRC_ROOT):
    """Every mutant of the verification code, sorted; ids unique."""
    ms = []
    for rel in source_files(root):
        with open(os.path.join(root, rel)) as f:
            ms += generate_file(rel, f.read())
    ids = [m.id for m in ms]
    assert len(set(ids)) == len(ids), "mutant ids collide"
    return ms


def sample(ms, n):
    """At most n mutants, the same for the same list: the operators take turns, each in id order."""
    if len(ms) <= n:
        return list(ms)
    per = {op: sorted((m for m in ms if m.op == op), key=lambda m: m.id) for op in OPERATORS}
    chosen, k = [], 0
    while len(chosen) < n:
        for op in OPERATORS:
            if k < len(per[op]) and len(chosen) < n:
                chosen.append(per[op][k])
        k += 1
    return sorted(chosen, key=Mutant.key)

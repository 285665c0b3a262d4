#!/bin/sh
# check-selfcontained.sh: the repository must stand on its own (make check-selfcontained).
#
#   sh mk/check-selfcontained.sh [--requirements FILE] [FILE...]
#
# Fails, naming file and line, when a checked file
#   * mentions the sibling reading folder (dot-dot-slash "shared"), which users do not have, or
#   * cites a requirement ID that the requirements table does not define. The ID families are
#     derived from the table itself (the prefixes of the IDs in its "| `ID` |" rows), so
#     SHA-256, AES-128, UTF-8, P-256 or RFC-8225 are never taken for IDs. A citation is
#     PREFIX-NN or PREFIX-X (one capital letter); ranges are expanded: MKY-01..04 cites
#     MKY-01 to MKY-04, TNA-02/03 cites both.
# Without FILE arguments it checks every tracked file (git ls-files), or, outside a git
# checkout, every file under . except build/, node_modules/ and .git/. Binary files are skipped.
# mk/check-selfcontained-test.sh proves that the check fails on injected faults.
set -u
REQS=docs/requirements.md
if [ "${1:-}" = "--requirements" ]; then
    REQS=$2
    shift 2
fi
[ -r "$REQS" ] || { echo "check-selfcontained: cannot read $REQS" >&2; exit 2; }

# Written in two pieces so that this script does not mention it itself.
SHARED='..''/shared'

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# The files to check, NUL-separated.
if [ $# -gt 0 ]; then
    printf '%s\0' "$@" > "$tmp/files"
elif git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z > "$tmp/files"
else
    find . \( -name build -o -name node_modules -o -name .git \) -prune -o -type f -print0 > "$tmp/files"
fi
nfiles=$(tr -cd '\0' < "$tmp/files" | wc -c)

# Defined IDs and their prefixes.
sed -n 's/^| `\([A-Z][A-Z0-9]*-[0-9A-Z][0-9A-Z]*\)`.*/\1/p' "$REQS" | sort -u > "$tmp/defined"
[ -s "$tmp/defined" ] || { echo "check-selfcontained: no requirement rows in $REQS" >&2; exit 2; }
prefixes=$(sed 's/-.*//' "$tmp/defined" | sort -u | paste -sd '|' -)
IDRE="\\b($prefixes)-([0-9]{2,}|[A-Z])((\\.\\.|/)([0-9]{2,}|[A-Z]))*\\b"

# 1. Mentions of the sibling folder.
xargs -0 grep -I -n -H -F -e "$SHARED" -- < "$tmp/files" 2>/dev/null | cut -d: -f1,2 > "$tmp/shared"

# 2. Cited IDs, ranges expanded, checked against the table.
xargs -0 grep -I -n -H -o -E -e "$IDRE" -- < "$tmp/files" 2>/dev/null |
awk -v defined="$tmp/defined" '
    BEGIN { while ((getline id < defined) > 0) ok[id] = 1 }
    function check(id) { if (!(id in ok)) printf "%s: cites %s, which %s does not define\n", where, id, REQS }
    {
        # file:line:match, split from the right (a file name may hold a colon).
        m = $0; sub(/.*:/, "", m)
        where = substr($0, 1, length($0) - length(m) - 1)
        p = index(m, "-"); prefix = substr(m, 1, p); rest = substr(m, p + 1)
        prev = ""
        while (rest != "") {
            sep = ""
            if (substr(rest, 1, 2) == "..") { sep = ".."; rest = substr(rest, 3) }
            else if (substr(rest, 1, 1) == "/") { sep = "/"; rest = substr(rest, 2) }
            if (match(rest, /^[0-9]+/)) tok = substr(rest, 1, RLENGTH)
            else tok = substr(rest, 1, 1)
            rest = substr(rest, length(tok) + 1)
            if (sep == ".." && prev ~ /^[0-9]+$/ && tok ~ /^[0-9]+$/) {
                for (n = prev + 1; n <= tok + 0; n++) check(prefix sprintf("%0" length(tok) "d", n))
            } else
                check(prefix tok)
            prev = tok
        }
    }' REQS="$REQS" > "$tmp/undefined"

status=0
if [ -s "$tmp/shared" ]; then
    sed "s|\$|: mentions $SHARED (reading material, not part of the product; cite docs/requirements.md)|" "$tmp/shared"
    status=1
fi
if [ -s "$tmp/undefined" ]; then
    sort -u "$tmp/undefined"
    status=1
fi
if [ $status -eq 0 ]; then
    echo "check-selfcontained: $nfiles files, $(wc -l < "$tmp/defined") requirement IDs defined; every cited ID is defined, no $SHARED"
else
    echo "check-selfcontained: FAILED (see the lines above)"
fi
exit $status

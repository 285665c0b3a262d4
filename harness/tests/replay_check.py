#!/usr/bin/env python3
"""replay_check.py: a recorded family replayed gives the verdicts its verifiers gave when it was recorded.

    replay_check.py RECORDED.json REPORT.json [IMPL...]

REPORT.json is the report of `stirmls-harness run --vectors <the family's directory>`; for each
result of an implementation named (default: every implementation of the report), the recorded
case's origin.verdicts[IMPL].verdict must be the replayed verdict, and every case must have been
replayed. Exit 1 with one line per disagreement. Standard library only."""
import json
import sys


def main(argv):
    cases = {c["id"]: c for c in json.load(open(argv[1], encoding="utf-8"))["cases"]}
    report = json.load(open(argv[2], encoding="utf-8"))
    impls = argv[3:] or [i["name"] for i in report["implementations"]]
    bad, seen = [], 0
    for r in report["results"]:
        if r["implementation"] not in impls:
            continue
        seen += 1
        was = cases[r["case"]]["origin"]["verdicts"].get(r["implementation"], {}).get("verdict")
        if was != r["verdict"]:
            bad.append(f'{r["case"]} {r["implementation"]}: recorded {was}, replayed {r["verdict"]}')
    if seen != len(cases) * len(impls):
        bad.append(f"{seen} results replayed for {len(cases)} cases and {len(impls)} implementations")
    if bad:
        print("replay_check: the replay disagrees with the recording:", *bad, sep="\n  ", file=sys.stderr)
        return 1
    producers = sorted({c["origin"]["producer"] for c in cases.values()})
    print(f"replay_check: {len(cases)} recorded artefacts (producers: {', '.join(producers)}) replayed by "
          f"{', '.join(impls)} with the verdicts given when they were recorded")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Score `keepopen scan --json` results against the judged findings of the acceptance set.

Usage: scripts/acceptance-secrets.py SCAN_DIR [--judged acceptance/secrets.yaml]

SCAN_DIR holds one `<owner>+<name>.json` per repository of the labelled set (what `keepopen scan --json <mirror>`
printed; scripts/acceptance-scan writes them). acceptance/secrets-added.yaml, when it exists, adds judgements of
findings that later scans raised and the baseline did not (same fields, made the same way). acceptance/secrets.yaml holds, for every finding the scan raised
before its precision work (main at 3a00003), where it was (repository, rule, path, line, blob, commit) and a
reader's judgement from the file itself: true (a real secret), false, or unsure.

Reports, at the repository level:
  flagged     repositories with at least one finding that is not waived
  precision   flagged repositories holding at least one finding judged true / flagged repositories
  lost        findings judged true whose place (blob and line) no finding of the new scan covers
  per secret  findings of the new scan that cover true places / distinct true values (blob+line groups)
Findings of the new scan at places nobody judged (the old scan never raised them) are listed as unjudged.
"""
import argparse
import glob
import json
import os
import sys

import yaml


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scan_dir")
    here = os.path.join(os.path.dirname(__file__), "..", "acceptance")
    parser.add_argument("--judged", default=os.path.join(here, "secrets.yaml"))
    parser.add_argument("--added", default=os.path.join(here, "secrets-added.yaml"),
                        help="judgements of findings the baseline never raised (read when the file exists)")
    args = parser.parse_args()
    judged = yaml.safe_load(open(args.judged))
    if os.path.exists(args.added):
        judged += yaml.safe_load(open(args.added)) or []
    by_repo = {}
    for j in judged:
        by_repo.setdefault(j["repo"], []).append(j)
    flagged, precise, lost, unjudged, covering = [], [], [], [], 0
    true_places = 0
    scanned = 0
    for path in sorted(glob.glob(os.path.join(args.scan_dir, "*.json"))):
        repo = os.path.basename(path)[: -len(".json")].replace("+", "/", 1)
        try:
            rows = json.load(open(path))
        except json.JSONDecodeError:
            print(f"{repo}: no JSON result", file=sys.stderr)
            continue
        scanned += 1
        findings = [f for r in rows for f in r["report"]["findings"] if not f.get("allowed_by")]
        marks = {}
        for j in by_repo.get(repo, []):
            marks[(j["blob"], j.get("line"))] = j["judgement"]
        truth = {k for k, v in marks.items() if v is True}
        true_places += len(truth)
        covered = set()
        repo_true = False
        for f in findings:
            places = f.get("places") or [{"blob": f["blob"], "line": f.get("line")}]
            keys = {(p["blob"], p.get("line")) for p in places} | {(f["blob"], f.get("line"))}
            hit = keys & set(marks)
            if not hit:
                unjudged.append((repo, f["rule"], f["path"], f.get("line"), f["blob"][:12]))
            if keys & truth:
                repo_true = True
                covering += 1
                covered |= keys & truth
            # a finding listing fewer places than it has may cover true places it does not list
            if f.get("places_total", 0) > len(places) and any(b == f["blob"] for b, _ in truth):
                covered |= {t for t in truth if t[0] == f["blob"]}
        if findings:
            flagged.append(repo)
            if repo_true:
                precise.append(repo)
        for t in sorted(truth - covered, key=str):
            j = next(x for x in by_repo[repo] if (x["blob"], x.get("line")) == t)
            lost.append((repo, j["rule"], j["path"], j.get("line")))
    print(f"scanned {scanned} repositories")
    print(f"  flagged     {len(flagged)}")
    share = f"{100 * len(precise) / len(flagged):.0f}%" if flagged else "-"
    print(f"  precision   {len(precise)}/{len(flagged)} = {share} (repositories with a finding judged true)")
    print(f"  lost        {len(lost)} of {true_places} true places")
    print(f"  per secret  {covering} findings cover the true places")
    print(f"  unjudged    {len(unjudged)} findings at places the old scan never raised")
    for repo in flagged:
        if repo not in precise:
            print(f"  false alarm: {repo}")
    for item in lost:
        print(f"  LOST: {item}")
    for item in unjudged[:40]:
        print(f"  unjudged: {item}")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""What the history scan's repository-level precision would be if some findings were listed instead of blocking.

Usage: scripts/acceptance-secret-tiers.py NAME=SCAN_DIR:JUDGED[,JUDGED...] [NAME=...]

Each NAME is one acceptance set: SCAN_DIR is what scripts/acceptance-scan wrote, JUDGED the blind judgements of its
findings (acceptance/secrets*.yaml). For each candidate way of demoting findings by where they are or what rule
raised them (tests, documentation, local and CI configuration, every rule without a vendor format), it prints per set
the repositories still flagged and how many of those hold a true finding that still blocks, and, over all sets, how
many true findings would be demoted and how many repositories holding a true finding would no longer be flagged.
It is an instrument, not a rule: it asks whether location or rule kind separates real secrets from false alarms.
"""
import glob
import json
import os
import re
import sys
from collections import defaultdict

import yaml

TEST = re.compile(
    r"(^|/)(tests?|spec|specs|it|__tests__|__mocks__|fixtures?|cypress|e2e|mocks?|test_doubles|testdata|test-data|testi)(/|$)"
    r"|Tests?\.(java|kt|cs|scala|swift)$|\.(test|spec|cy)\.[jt]sx?$|_test\.(go|py|rb)$|(^|/)test_[^/]*\.py$|Tests?/|ITest\.java$",
    re.I,
)
DOC = re.compile(r"(^|/)(docs?|documentation|examples?|samples?)(/|$)|\.md$|README", re.I)
LOCAL = re.compile(
    r"(^|/)(\.env(\.[^/]*)?|docker-compose[^/]*|[^/]*\.(development|dev|local|test)\.[a-z]+|dev\.yml|\.travis\.yml"
    r"|azure-pipelines\.yml|\.github/workflows/[^/]*|\.circleci/[^/]*)$",
    re.I,
)
NO_VENDOR_FORMAT = {"generic-api-key", "jwt", "database-dump", "key-store-file", "dotenv-file", "curl-auth-header",
                    "curl-auth-user", "nhs-number"}
CANDIDATES = [
    ("today", lambda f: False),
    ("generic values in tests listed", lambda f: f["rule"] == "generic-api-key" and bool(TEST.search(f["path"]))),
    ("anything in tests listed", lambda f: bool(TEST.search(f["path"]))),
    ("anything in tests or docs listed", lambda f: bool(TEST.search(f["path"]) or DOC.search(f["path"]))),
    ("tests, docs, local and CI listed",
     lambda f: bool(TEST.search(f["path"]) or DOC.search(f["path"]) or LOCAL.search(f["path"]))),
    ("only vendor formats block", lambda f: f["rule"] in NO_VENDOR_FORMAT),
]


def load(scan_dir, judged_files):
    marks = {}
    for name in judged_files:
        for j in yaml.safe_load(open(name)) or []:
            marks[(j["repo"], j["blob"], j.get("line"))] = j["judgement"]
    rows = []
    for path in sorted(glob.glob(os.path.join(scan_dir, "*.json"))):
        repo = os.path.basename(path)[: -len(".json")].replace("+", "/", 1)
        try:
            results = json.load(open(path))
        except json.JSONDecodeError:
            continue
        for result in results:
            for f in result["report"]["findings"]:
                if f.get("allowed_by"):
                    continue
                places = f.get("places") or [f]
                verdicts = {marks.get((repo, p["blob"], p.get("line"))) for p in places}
                rows.append({"repo": repo, "rule": f["rule"], "path": f["path"], "true": True in verdicts})
    return rows


def main():
    sets = []
    for arg in sys.argv[1:]:
        name, rest = arg.split("=", 1)
        scan_dir, judged = rest.split(":", 1)
        sets.append((name, load(scan_dir, judged.split(","))))
    for label, demote in CANDIDATES:
        cells, demoted, unflagged = [], 0, 0
        for name, rows in sets:
            by_repo = defaultdict(list)
            for f in rows:
                by_repo[f["repo"]].append(f)
            flagged = [r for r, fs in by_repo.items() if any(not demote(f) for f in fs)]
            precise = [r for r in flagged if any(f["true"] and not demote(f) for f in by_repo[r])]
            holding = [r for r, fs in by_repo.items() if any(f["true"] for f in fs)]
            unflagged += sum(1 for r in holding if r not in precise)
            demoted += sum(1 for f in rows if f["true"] and demote(f))
            cells.append(f"{name} {len(precise)}/{len(flagged)}")
        print(f"{label:34} {'  '.join(cells)}  | true findings demoted {demoted}, repositories with a secret unflagged {unflagged}")


if __name__ == "__main__":
    main()

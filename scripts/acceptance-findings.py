#!/usr/bin/env python3
"""List every finding of a scan of the acceptance set as one row for blind judging.

Usage: scripts/acceptance-findings.py SCAN_DIR PREFIX > findings.tsv

SCAN_DIR is what scripts/acceptance-scan wrote (one `<owner>+<name>.json` per repository). Each finding becomes one
row: id (PREFIX followed by a running number), repo, rule, path, line, blob, commit. The judge reads the blob at
that line in the mirror; keepopen's own words (its reasons, excerpts, hints) are left out on purpose, so that the
judgement rests on the file alone. Ids follow the sorted repository names and the scan's own finding order.
"""
import glob
import json
import os
import sys


def main():
    scan_dir, prefix = sys.argv[1], sys.argv[2]
    print("id\trepo\trule\tpath\tline\tblob\tcommit")
    n = 0
    for path in sorted(glob.glob(os.path.join(scan_dir, "*.json"))):
        repo = os.path.basename(path)[: -len(".json")].replace("+", "/", 1)
        try:
            rows = json.load(open(path))
        except json.JSONDecodeError:
            print(f"{repo}: no JSON result", file=sys.stderr)
            continue
        for row in rows:
            for f in row["report"]["findings"]:
                if f.get("allowed_by"):
                    continue
                n += 1
                line = f.get("line")
                print("\t".join([f"{prefix}{n}", repo, f["rule"], f["path"], "" if line is None else str(line),
                                 f["blob"], f.get("commit") or ""]))
    print(f"{n} findings", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Score `keepopen check --json` results against the blind labels of the acceptance set.

Usage: scripts/acceptance-score.py RESULTS.json [--labels acceptance/labels] [--markdown]

RESULTS.json is what scripts/acceptance-run writes. Each label file under acceptance/labels/ is a YAML list of
{repo, verdict, expression, ...} written by a reader who never saw keepopen's output.

Counts, on the licence verdict (allowed / needs-review / forbidden):
  exact      keepopen's verdict equals the label
  dangerous  keepopen says allowed, the label says needs-review or forbidden (the outcome that may never happen)
  lost       keepopen says forbidden, the label says allowed or needs-review (a repository that could be kept
             open would never be proposed)
  needless   keepopen says needs-review, the label says allowed (a person is asked for nothing)
  whole mirrors  exact over the repositories whose reasons name no object missing from the mirror
  stricter   keepopen says needs-review, the label says forbidden (blocked either way; a person looks)
"""
import argparse
import glob
import json
import os
import sys

import yaml

VERDICTS = ("allowed", "needs-review", "forbidden")


def load_labels(folder):
    labels = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.yaml"))):
        with open(path) as f:
            entries = yaml.safe_load(f) or []
        for n, entry in enumerate(entries):
            repo = entry.get("repo")
            verdict = entry.get("verdict")
            if not repo or verdict not in VERDICTS:
                sys.exit(f"{path}: entry {n + 1}: needs repo and a verdict of {VERDICTS}, got {entry!r}")
            if repo.lower() in labels:
                sys.exit(f"{path}: {repo} labelled twice")
            entry["_file"] = os.path.basename(path)
            labels[repo.lower()] = entry
    return labels


def outcome(label, got):
    if got == label:
        return "exact"
    if got == "allowed":
        return "dangerous"
    if got == "forbidden":
        return "lost"
    if got == "needs-review" and label == "allowed":
        return "needless"
    if got == "needs-review" and label == "forbidden":
        return "stricter"
    return "error"


def reads_missing(row):
    """Whether keepopen's reasons name an object missing from the mirror (the store's 4 MiB limit)."""
    text = " ".join(map(str, row.get("reasons") or []))
    return "missing from the mirror" in text or "object is missing" in text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--labels", default=os.path.join(os.path.dirname(__file__), "..", "acceptance", "labels"))
    parser.add_argument("--markdown", action="store_true", help="print the disagreements as a Markdown table")
    args = parser.parse_args()
    labels = load_labels(args.labels)
    results = {}
    for row in json.load(open(args.results)):
        results[row["sample_repo"].lower()] = row
    counts = {k: 0 for k in ("exact", "dangerous", "lost", "needless", "stricter", "error")}
    rows = []
    missing = sorted(set(labels) - set(results))
    for repo, label in sorted(labels.items()):
        row = results.get(repo)
        if row is None:
            continue
        got = row.get("verdict", "error")
        kind = outcome(label["verdict"], got)
        counts[kind] += 1
        if kind != "exact":
            reasons = row.get("reasons") or [row.get("error", "")]
            rows.append((kind, label["repo"], label["verdict"], got, label.get("note", ""), "; ".join(map(str, reasons))[:300]))
    total = sum(counts.values())
    print(f"scored {total} labelled repositories ({len(missing)} labelled but without a result)")
    for k, v in counts.items():
        share = f"{100 * v / total:.1f}%" if total else "-"
        print(f"  {k:<10} {v:>4}  {share}")
    # The store's snapshots lack every object of 4 MiB or more, and keepopen rightly will not call a repository
    # allowed past a file it could not read. Exact is also given over the repositories whose mirror is whole
    # (no reason names a missing object), so the store's gap and the gate's own errors can be told apart.
    whole = [(r, l) for r, l in labels.items() if r in results and not reads_missing(results[r])]
    whole_exact = sum(outcome(l["verdict"], results[r].get("verdict", "error")) == "exact" for r, l in whole)
    if whole:
        print(f"  whole mirrors: {len(whole)} of {total}, exact {whole_exact} ({100 * whole_exact / len(whole):.1f}%)")
    order = {"dangerous": 0, "lost": 1, "error": 2, "needless": 3, "stricter": 4}
    rows.sort(key=lambda r: (order[r[0]], r[1]))
    if args.markdown:
        print("\n| outcome | repository | label | keepopen | label's note | keepopen's reasons |")
        print("|---|---|---|---|---|---|")
        for r in rows:
            cells = [c.replace("|", "\\|").replace("\n", " ") for c in r]
            print("| " + " | ".join(cells) + " |")
    else:
        for r in rows:
            print(f"\n[{r[0]}] {r[1]}: label {r[2]}, keepopen {r[3]}\n  label: {r[4]}\n  keepopen: {r[5]}")
    return 1 if counts["dangerous"] or counts["lost"] else 0


if __name__ == "__main__":
    sys.exit(main())

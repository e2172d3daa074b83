#!/usr/bin/env python3
"""Refresh licenses/ from a source of SPDX licence-list data.

Usage:
  scripts/refresh-licenses.py --license-list-data PATH   # a checkout of github.com/spdx/license-list-data
  scripts/refresh-licenses.py --spdx-crate PATH          # an unpacked `spdx` crate (feature `text`)

Writes licenses/text/<ID>.txt for every licence that is not deprecated,
licenses/exceptions/<ID>.txt for every exception, and licenses/licenses.json
(version + metadata). keepopen's build.rs turns these into askalono's store.
"""
import argparse, json, os, re, shutil, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "licenses")


def from_license_list_data(path):
    meta = json.load(open(os.path.join(path, "json", "licenses.json"), encoding="utf-8"))
    exc = json.load(open(os.path.join(path, "json", "exceptions.json"), encoding="utf-8"))
    version = meta["licenseListVersion"]
    licences, exceptions = [], []
    for lic in meta["licenses"]:
        text = open(os.path.join(path, "text", lic["licenseId"] + ".txt"), encoding="utf-8").read()
        licences.append((lic["licenseId"], lic["name"], lic.get("isDeprecatedLicenseId", False),
                         lic.get("isOsiApproved", False), lic.get("isFsfLibre", False), text))
    for e in exc["exceptions"]:
        if e.get("isDeprecatedLicenseId"):
            continue
        text = open(os.path.join(path, "text", e["licenseExceptionId"] + ".txt"), encoding="utf-8").read()
        exceptions.append((e["licenseExceptionId"], text))
    return version, licences, exceptions


RAW = re.compile(r'^r(#*)"(.*)"\1\s*$', re.S)


def rust_raw(path):
    body = open(path, encoding="utf-8").read().strip()
    m = RAW.match(body)
    if not m:
        sys.exit(f"{path}: not a raw string literal")
    return m.group(2)


def from_spdx_crate(path):
    ids = open(os.path.join(path, "src", "identifiers.rs"), encoding="utf-8").read()
    version = re.search(r'pub const VERSION: &str = "([^"]+)"', ids).group(1)
    lic_block = ids.split("pub const LICENSES")[1].split("pub const EXCEPTIONS")[0]
    entries = re.findall(r'name: "([^"]+)",\s*full_name: r#"(.*?)"#,\s*index: \d+,\s*flags: ([^,]+),', lic_block, re.S)
    texts = dict(re.findall(r'\(\s*"([^"]+)",\s*include!\("text/licenses/([^"]+)"\),?\s*\)',
                            open(os.path.join(path, "src", "text.rs"), encoding="utf-8").read()))
    etexts = dict(re.findall(r'\(\s*"([^"]+)",\s*include!\("text/exceptions/([^"]+)"\),?\s*\)',
                             open(os.path.join(path, "src", "text.rs"), encoding="utf-8").read()))
    licences = []
    for name, full, flags in entries:
        if name not in texts:
            continue
        text = rust_raw(os.path.join(path, "src", "text", "licenses", texts[name]))
        licences.append((name, full, "IS_DEPRECATED" in flags, "IS_OSI_APPROVED" in flags,
                         "IS_FSF_LIBRE" in flags, text))
    exceptions = [(k, rust_raw(os.path.join(path, "src", "text", "exceptions", v))) for k, v in etexts.items()]
    return version, licences, exceptions


def main():
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--license-list-data")
    g.add_argument("--spdx-crate")
    a = ap.parse_args()
    if a.license_list_data:
        version, licences, exceptions = from_license_list_data(a.license_list_data)
        source = "https://github.com/spdx/license-list-data v" + version
    else:
        version, licences, exceptions = from_spdx_crate(a.spdx_crate)
        source = "spdx crate (" + os.path.basename(os.path.abspath(a.spdx_crate)) + "), license-list-data v" + version
    for sub in ("text", "exceptions"):
        shutil.rmtree(os.path.join(ROOT, sub), ignore_errors=True)
        os.makedirs(os.path.join(ROOT, sub))
    meta = []
    for lid, name, deprecated, osi, fsf, text in sorted(licences):
        if deprecated:
            continue
        with open(os.path.join(ROOT, "text", lid + ".txt"), "w", encoding="utf-8") as f:
            f.write(text if text.endswith("\n") else text + "\n")
        meta.append({"id": lid, "name": name, "osi": osi, "fsf": fsf})
    for eid, text in sorted(exceptions):
        with open(os.path.join(ROOT, "exceptions", eid + ".txt"), "w", encoding="utf-8") as f:
            f.write(text if text.endswith("\n") else text + "\n")
    with open(os.path.join(ROOT, "licenses.json"), "w", encoding="utf-8") as f:
        json.dump({"licenseListVersion": version, "source": source, "licenses": meta}, f, indent=1)
        f.write("\n")
    print(f"licenses/: {len(meta)} licences, {len(exceptions)} exceptions, SPDX list {version}")


if __name__ == "__main__":
    main()

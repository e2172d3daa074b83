//! Turns the SPDX licence texts vendored under `licenses/` into askalono's compressed store, once per build,
//! so that the binary carries it and loading it costs one decompression (see `license::store`).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use askalono::{LicenseType, Store, TextData};

fn main() {
    println!("cargo:rerun-if-changed=licenses/text");
    println!("cargo:rerun-if-changed=licenses/licenses.json");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let out = std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo");

    let meta: serde_json::Value = serde_json::from_str(
        &fs::read_to_string("licenses/licenses.json").expect("licenses/licenses.json is readable"),
    )
    .expect("licenses/licenses.json is JSON");
    let version = meta["licenseListVersion"]
        .as_str()
        .expect("licenses.json has licenseListVersion")
        .to_string();
    // For `keepopen --version`: the licence data and the matcher that reads it.
    println!("cargo:rustc-env=KEEPOPEN_LICENSE_LIST_VERSION={version}");
    println!(
        "cargo:rustc-env=KEEPOPEN_ASKALONO_VERSION={}",
        locked_version(
            &fs::read_to_string("Cargo.lock").unwrap_or_default(),
            "askalono"
        )
        .unwrap_or_else(|| "unknown".into())
    );

    // Group identical texts (GPL-3.0-only and GPL-3.0-or-later share one text): one store entry, the other
    // ids as aliases. Which of them applies is decided from headers and statements, not from the text.
    let mut by_text: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut entries: Vec<_> = fs::read_dir("licenses/text")
        .expect("licenses/text exists")
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    entries.sort();
    for path in &entries {
        let id = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        by_text.entry(text).or_default().push(id);
    }

    // Copyright lines that belong to licence texts themselves ("Copyright (C) 2007 Free Software Foundation"):
    // a holder found on such a line is the licence author's, not the repository's.
    let mut own: Vec<String> = Vec::new();
    for text in by_text.keys() {
        for line in text.lines() {
            let t = line.trim().to_lowercase();
            if (t.starts_with("copyright") || t.starts_with("(c)") || t.starts_with('©'))
                && t.chars().any(|c| c.is_ascii_digit())
            {
                own.push(t);
            }
        }
    }
    own.sort();
    own.dedup();
    fs::write(
        Path::new(&out).join("license-own-copyrights.txt"),
        own.join("\n"),
    )
    .expect("OUT_DIR is writable");

    let mut store = Store::new();
    for (text, mut ids) in by_text {
        ids.sort();
        let name = ids.remove(0);
        store.add_license(name.clone(), TextData::new(&text));
        if !ids.is_empty() {
            store.set_aliases(&name, ids).expect("entry just added");
        }
        // Licences that end their terms with "END OF TERMS AND CONDITIONS" and then give an optional appendix
        // ("How to apply these terms to your new programs") are often published without it. Against the whole
        // canonical text such a file is short by hundreds of words, and a sibling licence whose text has no
        // appendix wins: the GPL-2.0 terms alone score higher against the AGPL-1.0 (the GPL-2.0 plus one
        // clause, no appendix) than against the GPL-2.0, and the Apache-2.0 terms against Pixar. The terms
        // alone are the same licence, so they are one more text of it.
        if let Some(end) = terms_end(&text) {
            store
                .add_variant(&name, LicenseType::Alternate, TextData::new(&text[..end]))
                .expect("entry just added");
        }
        // SPDX's LGPL-3.0 text carries the GPL-3.0 after it; projects ship the LGPL's additional permissions
        // alone as COPYING.LESSER (the GPL in COPYING), which against the whole text scores about 0.3.
        if name == "LGPL-3.0-only"
            && let Some(cut) = text.find("\nGNU GENERAL PUBLIC LICENSE")
        {
            store
                .add_variant(&name, LicenseType::Alternate, TextData::new(&text[..cut]))
                .expect("entry just added");
        }
    }

    let mut buf = Vec::new();
    store.to_cache(&mut buf).expect("store serialises");
    fs::write(Path::new(&out).join("license-store.bin"), buf).expect("OUT_DIR is writable");
    fs::write(Path::new(&out).join("license-list-version.txt"), version)
        .expect("OUT_DIR is writable");
}

/// Where a licence's terms end when an optional appendix follows them: just after its "END OF TERMS AND
/// CONDITIONS" line, if more than a few words come after it.
fn terms_end(text: &str) -> Option<usize> {
    const MARKER: &str = "END OF TERMS AND CONDITIONS";
    let at = text.find(MARKER)? + MARKER.len();
    let after = text[at..].split_whitespace().count();
    (after > 20).then_some(at)
}

/// The version of package `name` in Cargo.lock's text (the first entry of that name).
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let next = lines.next()?.trim();
            return next
                .strip_prefix("version = \"")
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_owned);
        }
    }
    None
}

//! Package and project metadata beyond the package managers' manifests: composer.json, `*.gemspec`,
//! CITATION.cff, publiccode.yml, datapackage.json, and the REUSE annotations (REUSE.toml, `.reuse/dep5`).
//! Each licence they state is a claim like any manifest's; a REUSE annotation says in its note which paths
//! it covers.

use super::*;

/// The 1-based line of the first line at or after `from` (0-based) containing `needle`, or 1.
fn line_of(text: &str, needle: &str, from: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(from)
        .find(|(_, l)| l.contains(needle))
        .map_or(1, |(i, _)| i + 1)
}

/// One or more licence names from a JSON or YAML value: a string, or a list of strings (composer's and
/// CITATION.cff's list is a choice between them).
fn names_in(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// composer.json: `license`, a string or a list.
pub(super) fn from_composer(text: &str) -> Found {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let line = line_of(text, "\"license\"", 0);
    json.get("license")
        .map(names_in)
        .unwrap_or_default()
        .iter()
        .map(|name| declared(name, line, license_from_name(name)))
        .collect()
}

/// `*.gemspec`: `spec.license = "…"` or `spec.licenses = ["…", …]`, read as text (never evaluated).
pub(super) fn from_gemspec(text: &str) -> Found {
    static FIELD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*\w+\.licen[cs]es?\s*=\s*(.+)$").expect("gemspec licence field")
    });
    static QUOTED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"["']([^"']+)["']"#).expect("quoted string"));
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(field) = FIELD.captures(line) {
            for name in QUOTED.captures_iter(&field[1]) {
                found.push(declared(&name[1], i + 1, license_from_name(&name[1])));
            }
        }
    }
    found
}

fn yaml(text: &str) -> Option<serde_json::Value> {
    serde_yaml::from_str::<serde_json::Value>(text).ok()
}

/// CITATION.cff: the top-level `license`, a string or a list.
pub(super) fn from_citation_cff(text: &str) -> Found {
    let Some(doc) = yaml(text) else {
        return Vec::new();
    };
    let line = text
        .lines()
        .position(|l| l.starts_with("license:"))
        .map_or(1, |i| i + 1);
    doc.get("license")
        .map(names_in)
        .unwrap_or_default()
        .iter()
        .map(|name| declared(name, line, license_from_name(name)))
        .collect()
}

/// publiccode.yml: `legal.license`, an SPDX expression.
pub(super) fn from_publiccode(text: &str) -> Found {
    let Some(doc) = yaml(text) else {
        return Vec::new();
    };
    let line = line_of(text, "license:", 0);
    doc.get("legal")
        .and_then(|legal| legal.get("license"))
        .map(names_in)
        .unwrap_or_default()
        .iter()
        .map(|name| declared(name, line, license_from_name(name)))
        .collect()
}

/// datapackage.json (Frictionless Data): each of `licenses` by its `name`, else its `title`, else its `path`.
pub(super) fn from_datapackage(text: &str) -> Found {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let line = line_of(text, "\"licenses\"", 0);
    let Some(items) = json.get("licenses").and_then(|l| l.as_array()) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            ["name", "title", "path"]
                .iter()
                .find_map(|k| item.get(k).and_then(|v| v.as_str()))
        })
        .map(|name| {
            let mapping = match license_from_name(name) {
                m if m.expression.is_some() => m,
                _ => license_from_url(name),
            };
            declared(name, line, mapping)
        })
        .collect()
}

fn covering(mapping: Mapping, paths: &str) -> Mapping {
    mapping.with_note(format!("a REUSE annotation for the paths {paths}"))
}

/// REUSE.toml: each `[[annotations]]` table's `SPDX-License-Identifier`, for its `path` (a glob or a list).
pub(super) fn from_reuse_toml(text: &str) -> Found {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let Some(annotations) = doc.get("annotations").and_then(|a| a.as_array()) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut from = 0;
    for annotation in annotations {
        let Some(id) = annotation
            .get("SPDX-License-Identifier")
            .and_then(|v| v.as_str())
        else {
            continue;
        };
        let paths = match annotation.get("path") {
            Some(toml::Value::String(p)) => format!("`{p}`"),
            Some(toml::Value::Array(ps)) => ps
                .iter()
                .filter_map(|p| p.as_str())
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", "),
            _ => "(none given)".into(),
        };
        let line = line_of(text, "SPDX-License-Identifier", from);
        from = line;
        found.push(declared(id, line, covering(license_from_name(id), &paths)));
    }
    found
}

/// `.reuse/dep5` (the Debian copyright format REUSE used before REUSE.toml): each `Files:` paragraph's
/// `License:`.
pub(super) fn from_dep5(text: &str) -> Found {
    let mut found = Vec::new();
    let mut files: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            files = None;
            continue;
        }
        if let Some(rest) = line.strip_prefix("Files:") {
            files = Some(rest.trim().to_owned());
        } else if let Some(rest) = line.strip_prefix("License:")
            && let Some(paths) = &files
        {
            let id = rest.trim();
            if !id.is_empty() {
                let paths = paths
                    .split_whitespace()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                found.push(declared(id, i + 1, covering(license_from_name(id), &paths)));
            }
        }
    }
    found
}

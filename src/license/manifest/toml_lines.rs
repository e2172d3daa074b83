//! Reading TOML manifests line by line (an invalid file still yields its other fields), and the helpers
//! the other formats share.

use super::*;

// ---------------------------------------------------------------------------------------------------------
// File formats

pub(super) type Found = Vec<(Declared, bool)>;

/// One `key = value` of a TOML file, with the table it sits in, read line by line so that an invalid file
/// (a duplicated key) still yields its other fields.
pub(super) struct TomlField {
    /// Full dotted path: `[project]` + `license.text` → `project.license.text`.
    pub(super) path: String,
    pub(super) value: toml::Value,
    pub(super) line: usize,
}

pub(super) fn toml_fields(text: &str, wanted: &dyn Fn(&str) -> bool) -> Vec<TomlField> {
    let lines: Vec<&str> = text.lines().collect();
    let mut fields = Vec::new();
    let mut table = String::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index].trim();
        index += 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            let name = line.trim_start_matches('[');
            let name = name.split(']').next().unwrap_or_default();
            table = toml_key(name);
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = toml_key(key);
        let path = if table.is_empty() {
            key
        } else {
            format!("{table}.{key}")
        };
        if !wanted(&path) {
            continue;
        }
        // A value may span lines (arrays, inline tables, multi-line strings): add lines until it parses.
        let start = index;
        let mut source = format!("v = {value}");
        let mut parsed = toml::from_str::<toml::Table>(&source);
        let mut next = start;
        while parsed.is_err() && next < lines.len() && next - start < 500 {
            source.push('\n');
            source.push_str(lines[next]);
            next += 1;
            parsed = toml::from_str::<toml::Table>(&source);
        }
        if let Ok(mut parsed) = parsed
            && let Some(value) = parsed.remove("v")
        {
            fields.push(TomlField {
                path,
                value,
                line: start,
            });
            index = next;
        }
    }
    fields
}

pub(super) fn toml_key(key: &str) -> String {
    key.split('.')
        .map(|part| part.trim().trim_matches(|c| c == '"' || c == '\''))
        .collect::<Vec<_>>()
        .join(".")
}

/// Strict TOML parse, for a note when the file is invalid (the fields were still read).
pub(super) fn toml_defect(text: &str) -> Option<String> {
    let error = toml::from_str::<toml::Table>(text).err()?;
    let line = error.span().map(|span| line_at(text, span.start));
    let message = error.message().trim().to_owned();
    Some(match line {
        Some(line) => format!(
            "the file is not valid TOML (line {line}: {message}); fields were read one by one"
        ),
        None => format!("the file is not valid TOML ({message}); fields were read one by one"),
    })
}

pub(super) fn with_defect(mut found: Found, defect: Option<String>) -> Found {
    if let Some(defect) = defect {
        for (d, _) in &mut found {
            d.note = Some(match d.note.take() {
                Some(note) => format!("{note}; {defect}"),
                None => defect.clone(),
            });
        }
    }
    found
}

/// A `license` value in TOML: a string, or PEP 621's `{text = ...}` / `{file = ...}`.
pub(super) fn toml_license(field: &TomlField) -> Option<(Declared, bool)> {
    match &field.value {
        toml::Value::String(value) => Some(declared(value, field.line, license_from_name(value))),
        toml::Value::Table(table) => {
            if let Some(toml::Value::String(text)) = table.get("text") {
                Some(declared(text, field.line, license_from_name(text)))
            } else if let Some(toml::Value::String(file)) = table.get("file") {
                Some(declared(file, field.line, Mapping::pointer(file)))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The `License ::` classifiers of an array, each with the line it is written on.
pub(super) fn toml_classifiers(text: &str, field: &TomlField) -> Found {
    let toml::Value::Array(items) = &field.value else {
        return Vec::new();
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut search_from = field.line - 1;
    let mut found = Vec::new();
    for classifier in items.iter().filter_map(toml::Value::as_str) {
        let at = lines
            .iter()
            .skip(search_from)
            .position(|l| l.contains(classifier))
            .map(|i| search_from + i);
        if let Some(at) = at {
            search_from = at;
        }
        if let Some(mapping) = license_from_classifier(classifier) {
            found.push(declared(
                classifier,
                at.map_or(field.line, |i| i + 1),
                mapping,
            ));
        }
    }
    found
}

/// The 1-based line holding byte `offset` of `text`.
pub(super) fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

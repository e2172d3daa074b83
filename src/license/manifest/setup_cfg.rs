//! setup.cfg: `[metadata]` licence fields and classifiers.

use super::*;

/// setup.cfg: `[metadata]` `license`, `license_file(s)` and the `License ::` classifiers, with INI
/// continuation lines.
pub(super) fn from_setup_cfg(text: &str) -> Found {
    let mut found = Vec::new();
    let mut section = String::new();
    let mut key: Option<(String, usize)> = None;
    for (index, raw_line) in text.lines().enumerate() {
        let line_number = index + 1;
        let trimmed = raw_line.trim();
        if trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if raw_line.starts_with([' ', '\t']) && !trimmed.is_empty() {
            // A continuation of the current key.
            if section == "metadata"
                && let Some((name, _)) = &key
                && name == "classifiers"
            {
                let classifier = trimmed.trim_matches(|c| c == '"' || c == '\'' || c == ',');
                if let Some(mapping) = license_from_classifier(classifier) {
                    found.push(declared(classifier, line_number, mapping));
                }
            }
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            section = name.trim().to_owned();
            key = None;
            continue;
        }
        let Some(split) = trimmed.find(['=', ':']) else {
            continue;
        };
        let name = trimmed[..split]
            .trim()
            .replace('-', "_")
            .to_ascii_lowercase();
        let value = trimmed[split + 1..].trim();
        key = Some((name.clone(), line_number));
        if section != "metadata" || value.is_empty() {
            continue;
        }
        match name.as_str() {
            "license" | "license_expression" => {
                found.push(declared(value, line_number, license_from_name(value)))
            }
            "license_file" | "license_files" => {
                found.push(declared(value, line_number, Mapping::pointer(value)))
            }
            "classifiers" => {
                if let Some(mapping) = license_from_classifier(value) {
                    found.push(declared(value, line_number, mapping));
                }
            }
            _ => {}
        }
    }
    found
}

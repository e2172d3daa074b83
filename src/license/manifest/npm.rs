//! package.json: `license` and the deprecated `licenses`.

use super::*;

/// The line of each top-level key of a JSON object (serde_json gives values, not positions).
pub(super) fn json_key_lines(text: &str) -> HashMap<String, usize> {
    let mut lines = HashMap::new();
    let (mut depth, mut line) = (0usize, 1usize);
    let mut chars = text.chars().peekable();
    let mut last_string: Option<(String, usize)> = None;
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '"' => {
                let start = line;
                let mut value = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                value.push(escaped);
                            }
                        }
                        '"' => break,
                        '\n' => {
                            line += 1;
                            value.push(c);
                        }
                        c => value.push(c),
                    }
                }
                last_string = Some((value, start));
                continue;
            }
            ':' if depth == 1 => {
                if let Some((key, at)) = last_string.take() {
                    lines.entry(key).or_insert(at);
                }
            }
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if !c.is_whitespace() {
            last_string = None;
        }
    }
    lines
}

pub(super) fn from_package_json(text: &str) -> Found {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => return package_json_by_pattern(text, &error),
    };
    let lines = json_key_lines(text);
    let mut found = Vec::new();
    let line_of = |key: &str| lines.get(key).copied().unwrap_or(1);
    match value.get("license") {
        Some(serde_json::Value::String(license)) => {
            found.push(declared(
                license,
                line_of("license"),
                license_from_name(license),
            ));
        }
        Some(serde_json::Value::Object(object)) => {
            if let Some(kind) = object.get("type").and_then(serde_json::Value::as_str) {
                let mapping =
                    license_from_name(kind).with_note("legacy `{type, url}` form of `license`");
                found.push(declared(kind, line_of("license"), mapping));
            }
        }
        _ => {}
    }
    if let Some(serde_json::Value::Array(items)) = value.get("licenses") {
        let several = items.len() > 1;
        for item in items {
            let kind = match item {
                serde_json::Value::String(kind) => Some(kind.as_str()),
                serde_json::Value::Object(object) => {
                    object.get("type").and_then(serde_json::Value::as_str)
                }
                _ => None,
            };
            let Some(kind) = kind else { continue };
            let mut mapping = license_from_name(kind).with_note("legacy `licenses` array");
            if several {
                mapping =
                    mapping.with_note("one of several listed: npm reads the list as a choice (OR)");
            }
            found.push(declared(kind, line_of("licenses"), mapping));
        }
    }
    found
}

pub(super) fn package_json_by_pattern(text: &str, error: &serde_json::Error) -> Found {
    static LICENSE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#""license"\s*:\s*"([^"\n]*)""#).expect("valid regex"));
    let defect = format!("the file is not valid JSON ({error}); read by pattern");
    LICENSE
        .captures_iter(text)
        .map(|captures| {
            let line = line_at(text, captures.get(0).expect("match").start());
            declared(
                &captures[1],
                line,
                license_from_name(&captures[1]).with_note(defect.clone()),
            )
        })
        .collect()
}

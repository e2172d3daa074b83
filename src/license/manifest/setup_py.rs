//! setup.py, read as text with patterns (it is a program: never run it).

use super::*;

/// setup.py, read as text with patterns (it is a program: never run it).
pub(super) fn from_setup_py(text: &str) -> Found {
    static LICENSE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"\b(license(?:_expression)?)\s*=\s*(?:"([^"\n]*)"|'([^'\n]*)'|([A-Za-z_][\w.]*))"#,
        )
        .expect("valid regex")
    });
    static CLASSIFIER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"["'](License ::[^"'\n]+)["']"#).expect("valid regex"));
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code = line.split('#').next().unwrap_or_default();
        if let Some(captures) = LICENSE.captures(code) {
            let literal = captures.get(2).or(captures.get(3));
            match (literal, captures.get(4)) {
                (Some(value), _) => found.push(declared(
                    value.as_str(),
                    index + 1,
                    license_from_name(value.as_str()),
                )),
                (None, Some(name)) => found.push(declared(
                    name.as_str(),
                    index + 1,
                    Mapping::unmapped(format!(
                        "`{}={}` is not a string literal; not evaluated",
                        &captures[1],
                        name.as_str()
                    )),
                )),
                _ => {}
            }
        }
        for captures in CLASSIFIER.captures_iter(code) {
            if let Some(mapping) = license_from_classifier(&captures[1]) {
                found.push(declared(&captures[1], index + 1, mapping));
            }
        }
    }
    found
}

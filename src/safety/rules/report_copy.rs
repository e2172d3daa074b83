//! A gitleaks report committed to the repository, most often as a *baseline*: `gitleaks detect --report-path
//! gitleaks-baseline.json`, then `--baseline-path` so that CI fails only on findings the report does not list.
//! Each entry records one finding raised elsewhere in the history: its rule, file, commit and line, and the
//! matched text (`Match`) and value (`Secret`) copied from there.
//!
//! What a reviewer knows that a regex does not: a value inside an entry's `Match` or `Secret` is a *copy* of a
//! value at the place the entry names, and the entry is the authors' record that they saw it there and let it
//! stand — the same judgement as `gitleaks:allow` on that line or its fingerprint in `.gitleaksignore`. So such a
//! copy is reported *marked by the authors*, never dropped, and it counts as the authors' markers do (issue 22
//! item 4): shown in the proposal, not blocking unless `safety.authors-markers: block`, and only when every place
//! of the value is marked. A real key committed to a source file and then listed in a baseline is therefore
//! still a blocking finding at its source; only a value whose every place is such a record is waived, which is
//! no more than the authors could do with `gitleaks:allow`, and it is shown either way.
//!
//! The file is recognised by what it holds, not by its name: a JSON array of objects that each name a `RuleID`
//! and a `Fingerprint` (gitleaks' report format). Anything else in the file — another key, a value outside an
//! entry's `Match` and `Secret` — is scanned as in any other file.

use serde_json::Value;

/// The values a gitleaks report copied from the places it lists.
#[derive(Debug, Default)]
pub(crate) struct ReportCopies {
    /// Each entry's `Match` and `Secret`, as decoded and as written in JSON (escapes kept).
    values: Vec<Vec<u8>>,
}

impl ReportCopies {
    /// The copied values of `text` when it is a gitleaks report; `None` for any other text.
    pub(crate) fn read(text: &[u8]) -> Option<ReportCopies> {
        let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
        if text[start] != b'['
            || !contains(text, b"\"RuleID\"")
            || !contains(text, b"\"Fingerprint\"")
        {
            return None;
        }
        let Ok(Value::Array(entries)) = serde_json::from_slice::<Value>(text) else {
            return None;
        };
        let mut copies = ReportCopies::default();
        for entry in &entries {
            let Value::Object(fields) = entry else {
                return None;
            };
            if !fields.get("RuleID").is_some_and(Value::is_string)
                || !fields.get("Fingerprint").is_some_and(Value::is_string)
            {
                return None;
            }
            for name in ["Match", "Secret"] {
                if let Some(Value::String(value)) = fields.get(name) {
                    copies.values.push(value.as_bytes().to_vec());
                    let written = serde_json::to_string(value).unwrap_or_default();
                    copies.values.push(written.as_bytes().to_vec());
                }
            }
        }
        (!entries.is_empty()).then_some(copies)
    }

    /// Whether `secret`, as it stands in the report's text, lies within a value an entry copied.
    pub(crate) fn holds(&self, secret: &[u8]) -> bool {
        !secret.is_empty() && self.values.iter().any(|v| contains(v, secret))
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.len() <= haystack.len() && haystack.windows(needle.len()).any(|w| w == needle)
}

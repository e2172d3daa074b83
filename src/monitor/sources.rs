//! `keepopen sources import <file>`: turn a published organisation map (publicsectorcodebyorg.co.uk style, CSV or
//! JSON) into GitHub organisation names, and merge them into policy.yaml's `sources.orgs` without disturbing the
//! rest of the file (comments, order, other keys stay as they are).
//!
//! Parsing is liberal: any column or key whose name mentions `github`, or is `org`, `organisation`, `url`,
//! `github_url`, may hold a GitHub organisation, as a login or a `https://github.com/<login>` URL; a cell may
//! hold several separated by `;`, `|`, or whitespace.

use anyhow::{Context, bail};

use super::config::valid_login;

/// GitHub account paths that are not accounts.
const RESERVED: [&str; 8] = [
    "orgs",
    "organizations",
    "settings",
    "topics",
    "features",
    "about",
    "enterprise",
    "search",
];

/// The organisations named in an organisation map, in order of first appearance, without duplicates
/// (case-insensitive). The format is told by the first character: `[`/`{` for JSON, else CSV.
pub fn parse_org_map(text: &str) -> anyhow::Result<Vec<String>> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let mut found = Vec::new();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        let value: serde_json::Value = serde_json::from_str(trimmed).context("not valid JSON")?;
        collect_json(&value, None, &mut found);
    } else {
        let rows = parse_csv(trimmed)?;
        let Some((header, rows)) = rows.split_first() else {
            bail!("the CSV file is empty")
        };
        let columns: Vec<(usize, bool)> = header
            .iter()
            .enumerate()
            .filter_map(|(i, h)| column_kind(h).map(|bare| (i, bare)))
            .collect();
        if columns.is_empty() {
            bail!(
                "no column names a GitHub organisation (looked for `github`, `github_url`, `org`, `url`); the header is: {}",
                header.join(", ")
            );
        }
        for row in rows {
            for (i, bare_ok) in &columns {
                if let Some(cell) = row.get(*i) {
                    logins_in(cell, *bare_ok, &mut found);
                }
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    found.retain(|login| seen.insert(login.to_ascii_lowercase()));
    Ok(found)
}

/// Whether a column/key may hold GitHub organisations; `Some(true)` when a bare word there is a login.
fn column_kind(name: &str) -> Option<bool> {
    let n = name.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    if n.contains("github") || matches!(n.as_str(), "org" | "orgs" | "organisation_login" | "login")
    {
        Some(true)
    } else if matches!(n.as_str(), "url" | "urls" | "organisation" | "organization") {
        Some(false)
    } else {
        None
    }
}

fn collect_json(value: &serde_json::Value, key: Option<&str>, found: &mut Vec<String>) {
    use serde_json::Value;
    let kind = key.and_then(column_kind);
    match value {
        Value::String(s) => {
            if let Some(bare_ok) = kind {
                logins_in(s, bare_ok, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_json(v, key, found)),
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| collect_json(v, Some(k), found)),
        _ => {}
    }
}

fn logins_in(cell: &str, bare_ok: bool, found: &mut Vec<String>) {
    for part in cell.split(|c: char| c == ';' || c == '|' || c == ',' || c.is_whitespace()) {
        if let Some(login) = github_login(part, bare_ok) {
            found.push(login);
        }
    }
}

/// The account in `https://github.com/<login>[/…]`, `github.com/<login>`, or (when `bare_ok`) a bare login.
pub fn github_login(text: &str, bare_ok: bool) -> Option<String> {
    let text = text
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '<' || c == '>');
    if text.is_empty() {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    if let Some(at) = lower.find("github.com/") {
        let mut segments = text[at + "github.com/".len()..]
            .split(['/', '?', '#'])
            .filter(|s| !s.is_empty());
        let mut login = segments.next()?;
        if RESERVED.contains(&login.to_ascii_lowercase().as_str()) {
            login = segments.next()?;
        }
        return valid_login(login).then(|| login.to_owned());
    }
    if lower.contains("://") || lower.contains('.') {
        return None;
    }
    (bare_ok && valid_login(text)).then(|| text.to_owned())
}

/// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. Errors name the line.
pub fn parse_csv(text: &str) -> anyhow::Result<Vec<Vec<String>>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut chars = text.chars().peekable();
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            ',' => {
                row.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                if !(row.len() == 1 && row[0].is_empty()) {
                    rows.push(std::mem::take(&mut row));
                }
                row.clear();
                line += 1;
                at_field_start = true;
            }
            _ => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if quoted {
        bail!("line {line}: a quoted field is not closed");
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

/// Merge `orgs` into the `sources.orgs` list of a policy file's text, touching only the lines it must.
/// Returns the new text and the organisations that were added. The result is re-parsed and checked: every other
/// top-level key must be unchanged and `sources.orgs` must be the old list plus the new names.
pub fn merge_orgs_into_policy(
    text: &str,
    orgs: &[String],
) -> anyhow::Result<(String, Vec<String>)> {
    let before: serde_yaml::Value = if text.trim().is_empty() {
        serde_yaml::Value::Mapping(Default::default())
    } else {
        serde_yaml::from_str(text).context("the policy file is not valid YAML")?
    };
    let existing = listed_orgs(&before);
    let added: Vec<String> = orgs
        .iter()
        .filter(|o| !existing.iter().any(|e| e.eq_ignore_ascii_case(o)))
        .cloned()
        .collect();
    if added.is_empty() {
        return Ok((text.to_owned(), added));
    }
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let sources_at = lines.iter().position(|l| {
        let l = l.trim_end();
        l == "sources:" || l.starts_with("sources: #") || l.starts_with("sources:#")
    });
    match sources_at {
        None => append_sources(&mut lines, &added)?,
        Some(start) => add_under_sources(&mut lines, start, &existing, &added)?,
    }
    let mut result = lines.join("\n");
    if text.ends_with('\n') || text.is_empty() {
        result.push('\n');
    }
    let mut expected = existing;
    expected.extend(added.iter().cloned());
    check_merged(&before, &result, &expected)?;
    Ok((result, added))
}

/// The names listed in `sources.orgs` of a policy document.
fn listed_orgs(policy: &serde_yaml::Value) -> Vec<String> {
    policy
        .get("sources")
        .and_then(|s| s.get("orgs"))
        .and_then(|o| o.as_sequence())
        .map(|seq| {
            seq.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A file with no `sources:` block: add one at the end, with the organisations.
fn append_sources(lines: &mut Vec<String>, added: &[String]) -> anyhow::Result<()> {
    if lines.iter().any(|l| l.starts_with("sources:")) {
        bail!(
            "`sources` is written inline; rewrite it as a block mapping to let keepopen add organisations"
        );
    }
    if lines.last().is_some_and(|l| !l.trim().is_empty()) {
        lines.push(String::new());
    }
    lines.push("sources:".into());
    lines.push("  orgs:".into());
    lines.extend(added.iter().map(|o| format!("    - {o}")));
    Ok(())
}

/// Add the organisations under the `sources:` block that starts at line `start`: a new `orgs:` key if it has
/// none, else to its list, written as it is (flow or block).
fn add_under_sources(
    lines: &mut Vec<String>,
    start: usize,
    existing: &[String],
    added: &[String],
) -> anyhow::Result<()> {
    let top_level = |l: &str| {
        !l.is_empty() && !l.starts_with(' ') && !l.starts_with('#') && !l.starts_with('\t')
    };
    let end = lines[start + 1..]
        .iter()
        .position(|l| top_level(l))
        .map(|i| start + 1 + i)
        .unwrap_or(lines.len());
    let indent = lines[start + 1..end]
        .iter()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.len() - l.trim_start().len())
        .unwrap_or(2);
    let pad = " ".repeat(indent);
    let orgs_at = (start + 1..end).find(|i| {
        let l = &lines[*i];
        l.starts_with(&pad) && l[indent..].starts_with("orgs:") && !l[indent..].starts_with(' ')
    });
    let Some(at) = orgs_at else {
        let mut insert = vec![format!("{pad}orgs:")];
        insert.extend(added.iter().map(|o| format!("{pad}  - {o}")));
        lines.splice(start + 1..start + 1, insert);
        return Ok(());
    };
    let rest = lines[at][indent + "orgs:".len()..].trim().to_owned();
    let value = rest.split(" #").next().unwrap_or("").trim().to_owned();
    if value.starts_with('[') {
        let mut all = existing.to_vec();
        all.extend(added.iter().cloned());
        lines[at] = format!("{pad}orgs: [{}]", all.join(", "));
    } else if value.is_empty() {
        add_to_block_list(lines, at, end, indent, added);
    } else {
        bail!("`sources.orgs` is {value:?}, not a list");
    }
    Ok(())
}

/// A block list under `orgs:` (line `at`, key indented by `indent`, block ending before line `end`): add the
/// organisations after its last item, at the same indentation.
fn add_to_block_list(
    lines: &mut Vec<String>,
    at: usize,
    end: usize,
    indent: usize,
    added: &[String],
) {
    let mut last = at;
    let mut item_indent = None;
    for (i, l) in lines.iter().enumerate().take(end).skip(at + 1) {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let this_indent = l.len() - t.len();
        if t.starts_with("- ") && this_indent >= indent {
            item_indent.get_or_insert(this_indent);
            last = i;
        } else if this_indent <= indent {
            break;
        }
    }
    let item_pad = " ".repeat(item_indent.unwrap_or(indent + 2));
    let insert: Vec<String> = added.iter().map(|o| format!("{item_pad}- {o}")).collect();
    lines.splice(last + 1..last + 1, insert);
}

/// The merged text must be valid YAML whose `sources.orgs` is exactly `expected` and whose other top-level keys
/// are as they were.
fn check_merged(
    before: &serde_yaml::Value,
    merged: &str,
    expected: &[String],
) -> anyhow::Result<()> {
    let after: serde_yaml::Value = serde_yaml::from_str(merged)
        .context("merging produced invalid YAML; please add the organisations by hand")?;
    if listed_orgs(&after) != expected {
        bail!(
            "merging did not give the expected `sources.orgs`; please add the organisations by hand"
        );
    }
    if let (Some(b), Some(a)) = (before.as_mapping(), after.as_mapping()) {
        for (k, v) in b {
            if k.as_str() != Some("sources") && a.get(k) != Some(v) {
                bail!(
                    "merging would change `{}`; please add the organisations by hand",
                    k.as_str().unwrap_or("?")
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_maps_with_assorted_columns() {
        let csv = "\u{feff}name,github_url,website\n\
                   NHS England,https://github.com/nhsengland,https://england.nhs.uk\n\
                   \"NHS Digital, the old one\",\"https://github.com/NHSDigital; https://github.com/nhs-digital-gp-it-futures\",\n\
                   No GitHub,,https://example.org\n\
                   Duplicate,https://github.com/NHSEngland/,\n\
                   Orgs path,https://github.com/orgs/nhsx/repositories,\n";
        assert_eq!(
            parse_org_map(csv).unwrap(),
            vec![
                "nhsengland",
                "NHSDigital",
                "nhs-digital-gp-it-futures",
                "nhsx"
            ]
        );
        let bare = "Organisation,GitHub\nNHS UK,nhsuk\nNHS BSA,nhsbsa\n";
        assert_eq!(parse_org_map(bare).unwrap(), vec!["nhsuk", "nhsbsa"]);
    }

    #[test]
    fn csv_without_a_github_column_is_an_error_naming_the_header() {
        let error = parse_org_map("name,website\nx,y\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("name, website"), "{error}");
    }

    #[test]
    fn json_maps_nested_or_flat() {
        let json = r#"{"organisations": [
            {"name": "NHS England", "github": ["nhsengland", "nhs-england-tools"], "website": "https://github.com.example"},
            {"name": "NHS Connect", "org": "https://github.com/nhsconnect"},
            {"name": "Someone", "url": "https://gitlab.com/foo"},
            {"name": "Words only", "description": "not a login"}
        ]}"#;
        assert_eq!(
            parse_org_map(json).unwrap(),
            vec!["nhsengland", "nhs-england-tools", "nhsconnect"]
        );
        let flat = r#"[{"github_url": "https://github.com/111Online"}]"#;
        assert_eq!(parse_org_map(flat).unwrap(), vec!["111Online"]);
    }

    #[test]
    fn github_login_table() {
        let cases = [
            ("https://github.com/nhsuk", true, Some("nhsuk")),
            ("http://www.github.com/nhsuk/", false, Some("nhsuk")),
            ("github.com/nhsuk/repo", false, Some("nhsuk")),
            ("nhsuk", true, Some("nhsuk")),
            ("nhsuk", false, None),
            ("https://gitlab.com/nhsuk", true, None),
            ("https://github.com/", true, None),
            ("-bad", true, None),
            ("https://github.com/orgs/nhsx", true, Some("nhsx")),
        ];
        for (text, bare, expected) in cases {
            assert_eq!(github_login(text, bare).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn merge_into_block_list_keeps_everything_else() {
        let policy = "# keepopen policy\nlicenses:\n  min-confidence: 0.9\n\nsources:\n  # who we watch\n  orgs:\n    - nhsuk\n    - nhsx # comment\n  forks: false\n\nremoval:\n  confirmations: 2\n";
        let (merged, added) =
            merge_orgs_into_policy(policy, &["NHSUK".into(), "nhsengland".into()]).unwrap();
        assert_eq!(added, vec!["nhsengland".to_owned()]);
        assert_eq!(
            merged,
            "# keepopen policy\nlicenses:\n  min-confidence: 0.9\n\nsources:\n  # who we watch\n  orgs:\n    - nhsuk\n    - nhsx # comment\n    - nhsengland\n  forks: false\n\nremoval:\n  confirmations: 2\n"
        );
    }

    #[test]
    fn merge_into_other_shapes() {
        let cases = [
            (
                "licenses: {}\n",
                "licenses: {}\n\nsources:\n  orgs:\n    - a\n",
            ),
            ("", "sources:\n  orgs:\n    - a\n"),
            (
                "sources:\n  forks: true\n",
                "sources:\n  orgs:\n    - a\n  forks: true\n",
            ),
            (
                "sources:\n  orgs: [x]\nother: 1\n",
                "sources:\n  orgs: [x, a]\nother: 1\n",
            ),
            (
                "sources:\n    orgs:\n    - x\n",
                "sources:\n    orgs:\n    - x\n    - a\n",
            ),
            ("sources:\n  orgs: []\n", "sources:\n  orgs: [a]\n"),
        ];
        for (policy, expected) in cases {
            let (merged, _) = merge_orgs_into_policy(policy, &["a".into()]).unwrap();
            assert_eq!(merged, expected, "from {policy:?}");
        }
    }

    #[test]
    fn merge_refuses_inline_sources() {
        assert!(merge_orgs_into_policy("sources: {orgs: [x]}\n", &["a".into()]).is_err());
    }

    #[test]
    fn csv_quotes_and_errors() {
        assert_eq!(
            parse_csv("a,\"b,\"\"c\"\"\"\r\n1,2").unwrap(),
            vec![vec!["a", "b,\"c\""], vec!["1", "2"]]
        );
        assert!(
            parse_csv("a,\"b\n")
                .unwrap_err()
                .to_string()
                .contains("line 2")
        );
    }
}

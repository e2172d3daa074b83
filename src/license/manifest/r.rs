//! R `DESCRIPTION`: the `License:` field in R's own notation.

use super::*;

/// R `DESCRIPTION` (Debian control format): the `License:` field, in R's own notation — `|` separates
/// alternatives and `+ file LICENSE` adds a file.
pub(super) fn from_r_description(text: &str) -> Found {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| l.starts_with("License:")) else {
        return Vec::new();
    };
    let mut value = lines[start]["License:".len()..].trim().to_owned();
    for continuation in lines[start + 1..]
        .iter()
        .take_while(|l| l.starts_with([' ', '\t']))
    {
        value.push(' ');
        value.push_str(continuation.trim());
    }
    vec![declared(&value, start + 1, r_license(&value))]
}

pub(super) fn r_license(value: &str) -> Mapping {
    static R_VERSION_ONLY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(A|L)?GPL-\d(\.\d)?$").expect("valid regex"));
    static PLUS_FILE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s*\+\s*file\s+(LICEN[CS]E(?:\.\w+)?)\s*$").expect("valid regex")
    });
    let mut expressions = Vec::new();
    let mut notes = Vec::new();
    let mut undecided = false;
    let mut files: Vec<String> = Vec::new();
    for part in value.split('|') {
        let part = part.trim();
        let (name, file) = match PLUS_FILE.captures(part) {
            Some(captures) => (
                &part[..captures.get(0).expect("match").start()],
                Some(captures[1].to_owned()),
            ),
            None => (part, None),
        };
        let name = name.trim();
        // R's database spells versions with a dash: GPL-2, GPL-3, LGPL-2.1, AGPL-3 mean that version only.
        let r_only = R_VERSION_ONLY.is_match(name);
        let mapping = if name.eq_ignore_ascii_case("file LICENSE")
            || name.eq_ignore_ascii_case("file LICENCE")
        {
            Mapping::pointer(&name["file ".len()..])
        } else {
            license_from_name(name)
        };
        let file_named = file.clone();
        match (&mapping.expression, file) {
            (Some(expression), Some(file))
                if ["MIT", "BSD-2-Clause", "BSD-3-Clause"].contains(&expression.as_str()) =>
            {
                notes.push(format!("`+ file {file}` holds the year and copyright holder for the {expression} template, not another licence"));
            }
            (_, Some(file)) => notes.push(format!("`+ file {file}` may add terms: read that file")),
            _ => {}
        }
        if r_only {
            notes.push(format!(
                "R's licence database defines `{name}` as that version only"
            ));
        } else if let Some(note) = &mapping.note {
            notes.push(note.clone());
            undecided |= mapping.undecided_later;
        }
        if let Some(file) = file_named.clone() {
            files.push(file);
        }
        match mapping.expression {
            Some(expression) => expressions.push(expression),
            None => {
                return Mapping {
                    note: Some(notes.join("; ")),
                    file: mapping.file.or(file_named),
                    ..Mapping::default()
                };
            }
        }
    }
    let expression = if expressions.len() > 1 {
        expressions
            .iter()
            .map(|e| {
                if e.contains(' ') {
                    format!("({e})")
                } else {
                    e.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" OR ")
    } else {
        expressions.pop().unwrap_or_default()
    };
    Mapping {
        expression: Some(expression),
        note: (!notes.is_empty()).then(|| notes.join("; ")),
        file: files.into_iter().next(),
        undecided_later: undecided,
    }
}

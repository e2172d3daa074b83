//! What a file says of a value's standing by its own structure: a value a framework's generator wrote as the
//! commented-out default of a documented option, and a value inside a block whose comment says the whole block
//! is for local use. Both read only the file's own text, and both apply only to rules whose secret has no shape
//! of its own (`generic-*`): a vendor's token, a JWT or a private key is reported wherever it sits.
//!
//! 1. [`inactive_template_default`]: generators (`rails generate devise:install`, Play's `application.conf`,
//!    Doorkeeper, Pagy…) write a configuration file that documents each option with a paragraph of prose and the
//!    option's default on a commented-out line, and fill a secret option's default with a freshly generated
//!    random value (`# config.secret_key = '6f9f…'`). The program never reads a comment, and the history scan
//!    reports every version where the line was active. So a value is taken for such a default only when all of
//!    these hold, each a fact about the file:
//!    - its line is a comment holding one assignment (`# config.secret_key = '…'`);
//!    - right above it is prose (the option's documentation), not another setting;
//!    - its key is set nowhere else in the file, neither active nor commented: a commented value beside an
//!      active setting of the same key may be the old value it replaced, and commented alternatives of one key
//!      (`#browser.type = chrome` / `#browser.type = firefox`) are a developer's switches, not a template;
//!    - the file is such a template: at least [`TEMPLATE_MIN_COMMENTED`] commented-out settings of the same
//!      object (`config.…`), and no fewer than its active ones (a call's keyword arguments are not settings).
//!
//!    A secret pasted into a comment of an ordinary file (`# export MONGODB_PASSWORD='…'` in a properties file)
//!    meets none of these and stays a finding.
//! 2. [`block_declared_local`]: a comment governs the block it heads. When the value is a direct member of a
//!    block (`request-body-encryption { … }`, a YAML mapping, a Ruby `do` block) and the comment right above the
//!    block's opening line says the block is for local use (the judgement of
//!    [`local_config::comment_says_local`], applied at the opener), the authors' statement covers the value as
//!    it would if it stood right above it. Only the nearest enclosing block counts, never one further out.

use super::super::context::local_config;

/// The fewest commented-out settings a file must hold to be read as a generator's template of defaults.
pub(crate) const TEMPLATE_MIN_COMMENTED: usize = 10;

/// Line-comment markers a configuration file or a script may use.
const COMMENT_MARKS: &[&[u8]] = &[b"//", b"#", b"--", b";"];

/// The lines of `text` with their start offsets.
fn lines(text: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut offset = 0;
    text.split(|b| *b == b'\n').map(move |line| {
        let start = offset;
        offset += line.len() + 1;
        (start, line)
    })
}

fn trim(s: &[u8]) -> &[u8] {
    s.trim_ascii()
}

/// The text after a line comment's marker, or `None` when the line is not a comment.
fn comment_body(line: &[u8]) -> Option<&[u8]> {
    let t = trim(line);
    COMMENT_MARKS
        .iter()
        .find_map(|mark| t.strip_prefix(*mark))
        .map(|rest| {
            // `##` and `#:` are still comments.
            let rest = rest.strip_prefix(b"#").unwrap_or(rest);
            trim(rest)
        })
}

/// The key of an assignment `key = value` or `key: value` (a dotted identifier path, then `=` or `:` and a
/// non-empty value), or `None`.
fn assignment_key(statement: &[u8]) -> Option<&[u8]> {
    let t = trim(statement);
    let first = *t.first()?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let key_len = t
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        .count();
    let key = &t[..key_len];
    let rest = trim(&t[key_len..]);
    let value = match rest {
        [b'=', b'=', ..] => return None,
        [b'=' | b':', value @ ..] => value,
        _ => return None,
    };
    (!trim(value).is_empty() && !key.ends_with(b".")).then_some(key)
}

/// Whether the line holding byte `at` of `text` is the commented-out default of a documented option in a
/// generator's template (see the module's documentation for each condition).
pub(crate) fn inactive_template_default(text: &[u8], at: usize) -> bool {
    let all: Vec<(usize, &[u8])> = lines(text).collect();
    let Some(index) = all.iter().rposition(|(start, _)| *start <= at) else {
        return false;
    };
    let Some(key) = comment_body(all[index].1).and_then(assignment_key) else {
        return false;
    };
    // The option's documentation right above it.
    let documented = index > 0
        && comment_body(all[index - 1].1)
            .is_some_and(|body| !body.is_empty() && assignment_key(body).is_none());
    if !documented {
        return false;
    }
    // Only settings of the same object count (`config.…`; keys without a dot among themselves): a Ruby call's
    // keyword arguments (`name: :dfe`) are not options of the template.
    let receiver = |k: &[u8]| k.iter().position(|b| *b == b'.').map(|i| k[..i].to_vec());
    let own = receiver(key);
    let (mut commented, mut active, mut same_key) = (0usize, 0usize, 0usize);
    for (_, line) in &all {
        let (found, is_comment) = match comment_body(line) {
            Some(body) => (assignment_key(body), true),
            None => (assignment_key(line), false),
        };
        let Some(found) = found.filter(|k| receiver(k) == own) else {
            continue;
        };
        if is_comment {
            commented += 1;
        } else {
            active += 1;
        }
        same_key += usize::from(found == key);
    }
    same_key == 1 && commented >= TEMPLATE_MIN_COMMENTED && commented >= active
}

/// How far a line is indented (spaces and tabs).
fn indent(line: &[u8]) -> usize {
    line.iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count()
}

/// Whether `line` opens a block: it ends with `{`, `[`, `(` or `:`, or with Ruby's `do` / `do |…|`.
fn opens_block(line: &[u8]) -> bool {
    let t = trim(line);
    if matches!(t.last(), Some(b'{' | b'[' | b'(' | b':')) {
        return true;
    }
    let words: Vec<&[u8]> = t.split(|b| b.is_ascii_whitespace()).collect();
    t.ends_with(b" do")
        || words
            .iter()
            .rposition(|w| *w == b"do")
            .is_some_and(|i| words[i + 1..].first().is_some_and(|w| w.starts_with(b"|")))
}

/// Whether the value at byte `at` of `text` is a direct member of a block whose opening line has, right above
/// it or on it, a comment saying the block is for local use.
pub(crate) fn block_declared_local(text: &[u8], at: usize) -> bool {
    let all: Vec<(usize, &[u8])> = lines(text).collect();
    let Some(index) = all.iter().rposition(|(start, _)| *start <= at) else {
        return false;
    };
    let own = indent(all[index].1);
    if own == 0 {
        return false;
    }
    let opener = all[..index].iter().rev().find(|(_, line)| {
        !trim(line).is_empty() && comment_body(line).is_none() && indent(line) < own
    });
    match opener {
        Some((start, line)) if opens_block(line) => local_config::comment_says_local(text, *start),
        _ => false,
    }
}

#[cfg(test)]
mod tests;

//! Validation end to end through `Policy::from_str`: each diagnostic code with its line and column, several
//! problems in one run, hostile input, defaults, and clarification matching.

use super::*;

mod clarifications;
mod defaults;
mod diagnostics;
mod hostile;
mod sections;

const HASH: &str = "3b4c2f5ad1f0a8e9c7b6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4";
const OTHER_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000001";

fn errors(text: &str) -> PolicyError {
    match Policy::from_str(text, "policy.yaml") {
        Ok(policy) => panic!("expected problems, got {policy:#?}\n--- text ---\n{text}"),
        Err(error) => error,
    }
}

/// (code, line, column) of every diagnostic.
fn found(text: &str) -> Vec<(Code, usize, usize)> {
    errors(text)
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let location = diagnostic
                .location
                .unwrap_or(Location { line: 0, column: 0 });
            (diagnostic.code, location.line, location.column)
        })
        .collect()
}

/// The one diagnostic for `text`.
fn only(text: &str) -> Diagnostic {
    let error = errors(text);
    assert_eq!(error.diagnostics.len(), 1, "{error}");
    error.diagnostics.into_iter().next().unwrap()
}

/// One clarification; the lines are: 3 repo, 4 expression, 5 files, 6 path, 7 sha256, 8 reason.
fn clarification(repo: &str, expression: &str, path: &str, sha256: &str, reason: &str) -> String {
    format!(
        "version: 1\n\
         clarifications:\n  \
           - repo: {repo}\n    \
             expression: {expression}\n    \
             files:\n      \
               - path: {path}\n        \
                 sha256: \"{sha256}\"\n    \
             reason: {reason}\n"
    )
}

fn good_clarification() -> String {
    clarification(
        "nhsx/example",
        "MIT AND OGL-UK-3.0",
        "LICENCE.md",
        HASH,
        "\"confirmed by the maintainers\"",
    )
}

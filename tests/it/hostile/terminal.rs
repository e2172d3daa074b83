//! Terminal output: a repository's text reaches the terminal through `check` and `scan` shown, not obeyed —
//! no escape sequence (window title, clear screen), no C1 control, no bidi override or isolate gets through as
//! itself; each is printed as `\u{…}`.

use std::process::Command;

use crate::fixture::{RepoFixture, TreeSpec};

const MIT: &str = include_str!("../../../licenses/text/MIT.txt");

/// What a hostile repository writes where keepopen will print it.
const TITLE: &str = "\u{1b}]0;pwned\u{7}";
const CLEAR: &str = "\u{1b}[2J";
const RTL: &str = "\u{202e}";
const ISOLATE: &str = "\u{2066}";
const CSI: &str = "\u{9b}";

fn keepopen() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_keepopen"));
    for variable in [
        "KEEPOPEN_POLICY",
        "KEEPOPEN_STATE",
        "KEEPOPEN_ARCHIVE",
        "RUST_LOG",
    ] {
        c.env_remove(variable);
    }
    c
}

/// Nothing in `output` a terminal would act on: no C0 control but line feed, no DEL or C1, no bidi control.
fn assert_inert(what: &str, output: &str) {
    let bad: Vec<String> = output
        .chars()
        .filter(|&c| c != '\n' && keepopen::untrusted::is_hidden(c))
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    assert!(bad.is_empty(), "{what} printed {bad:?}:\n{output:?}");
}

fn hostile_mirror() -> RepoFixture {
    let holder = format!("2024 Evil{TITLE} Corp{CLEAR} {RTL}gnp.exe {ISOLATE}x{CSI}1m");
    let licence = MIT.replace("<year> <copyright holders>", &holder);
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENSE", licence.as_bytes())
            .file(&format!("docs{CLEAR}{RTL}/LICENSE"), licence.as_bytes())
            .file(
                &format!("conf{TITLE}/settings{RTL}.py"),
                format!(
                    "AWS_ACCESS_KEY_ID = '{}'\n",
                    ["AK", "IA", "Q7ZP3XKW2M5RT4VN"].concat()
                ),
            ),
    );
    fx.set_head("main");
    fx
}

#[test]
fn check_shows_control_and_bidi_characters_from_a_repository_escaped() {
    let fx = hostile_mirror();
    let out = keepopen()
        .args(["check", "--default-policy"])
        .arg(fx.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(stdout.contains("holders:"), "{stdout}");
    assert_inert("check", &stdout);
    assert!(
        stdout.contains("\\u{1b}]0;pwned\\u{7}") && stdout.contains("\\u{202e}"),
        "shown escaped: {stdout}"
    );
}

#[test]
fn scan_shows_control_and_bidi_characters_from_a_repository_escaped() {
    let fx = hostile_mirror();
    let out = keepopen()
        .args(["scan", "--default-policy"])
        .arg(fx.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(3), "a finding: {stdout}");
    assert_inert("scan", &stdout);
    assert!(
        stdout.contains("conf\\u{1b}]0;pwned\\u{7}/settings\\u{202e}.py"),
        "{stdout}"
    );
}

//! Hostile input: deep nesting, alias bombs, huge files; each fails fast with a diagnostic.

use std::time::{Duration, Instant};

use super::*;

#[test]
fn hostile_inputs_fail_fast_with_a_diagnostic() {
    let laughs = {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names: Vec<char> = ('b'..='j').collect();
        let mut previous = 'a';
        for name in names {
            let refs = vec![format!("*{previous}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
            previous = name;
        }
        text
    };
    let deep_flow = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let deep_block: String = (0..300)
        .map(|depth| format!("{}k{depth}:\n", " ".repeat(depth)))
        .collect();
    let huge = "#".repeat(MAX_POLICY_BYTES + 1);
    let table: Vec<(&str, String, Code, &str)> = vec![
        (
            "billion laughs",
            laughs,
            Code::Syntax,
            "repetition limit exceeded",
        ),
        (
            "deep flow nesting",
            deep_flow,
            Code::Syntax,
            "brackets nested deeper than 64",
        ),
        (
            "deep block nesting",
            deep_block,
            Code::Syntax,
            "recursion limit exceeded",
        ),
        (
            "over the size cap",
            huge,
            Code::TooLarge,
            "more than the 1048576 bytes",
        ),
        ("empty", String::new(), Code::Empty, "no YAML document"),
        (
            "comments only",
            "# nothing\n".into(),
            Code::Empty,
            "no YAML document",
        ),
        (
            "two documents",
            "version: 1\n---\nversion: 1\n".into(),
            Code::Syntax,
            "more than one document",
        ),
        (
            "control character",
            "version: 1\u{1}\n".into(),
            Code::Syntax,
            "control characters",
        ),
        (
            "unknown anchor",
            "version: *nowhere\n".into(),
            Code::Syntax,
            "unknown anchor",
        ),
    ];
    for (name, text, code, words) in table {
        let started = Instant::now();
        let diagnostic = only(&text);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{name} took {:?}",
            started.elapsed()
        );
        assert_eq!(diagnostic.code, code, "{name}: {diagnostic}");
        assert!(diagnostic.message.contains(words), "{name}: {diagnostic}");
    }
}

#[test]
fn a_large_file_full_of_problems_is_still_quick() {
    let mut text = String::from("version: 1\n");
    let mut n = 0;
    while text.len() < MAX_POLICY_BYTES - 64 {
        text.push_str(&format!("unknown-key-number-{n}: 1\n"));
        n += 1;
    }
    let started = Instant::now();
    let error = errors(&text);
    assert_eq!(error.diagnostics.len(), MAX_DIAGNOSTICS + 1);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

//! Locating nodes by path in real YAML: block and flow styles, keys and values, empty collections, duplicates.

use super::*;

const DOC: &str = "\
version: 1
licenses:
  min-confidence: 0.9
  classes:
    permissive: allow
  overrides: {LicenseRef-x: forbidden, MTI: permissive}
clarifications:
  - repo: nhsx/a
    files:
      - path: LICENCE
        sha256: \"abc\"
  - repo: nhsx/b
    reason: |
      multi
      line
";

type LineColumn = Option<(usize, usize)>;

fn at(path: &[Segment], target: Target) -> Option<(usize, usize)> {
    locate(DOC, path, target).map(|location| (location.line, location.column))
}

fn path(segments: &[Segment]) -> Vec<Segment> {
    segments.to_vec()
}

#[test]
fn finds_keys_and_values_in_block_and_flow_style() {
    let table: &[(Vec<Segment>, Target, LineColumn)] = &[
        (path(&["version".into()]), Target::Value, Some((1, 10))),
        (path(&["version".into()]), Target::Key, Some((1, 1))),
        (
            path(&["licenses".into(), "min-confidence".into()]),
            Target::Value,
            Some((3, 19)),
        ),
        (
            path(&["licenses".into(), "classes".into(), "permissive".into()]),
            Target::Key,
            Some((5, 5)),
        ),
        (
            path(&["licenses".into(), "classes".into(), "permissive".into()]),
            Target::Value,
            Some((5, 17)),
        ),
        (
            path(&["licenses".into(), "overrides".into(), "MTI".into()]),
            Target::Key,
            Some((6, 40)),
        ),
        (
            path(&[
                "clarifications".into(),
                0.into(),
                "files".into(),
                0.into(),
                "sha256".into(),
            ]),
            Target::Value,
            Some((11, 17)),
        ),
        (
            path(&["clarifications".into(), 1.into()]),
            Target::Value,
            Some((12, 5)),
        ),
        (
            path(&["clarifications".into(), 1.into(), "repo".into()]),
            Target::Value,
            Some((12, 11)),
        ),
        (
            path(&["clarifications".into(), 1.into(), "reason".into()]),
            Target::Key,
            Some((13, 5)),
        ),
        (
            path(&["clarifications".into(), 2.into()]),
            Target::Value,
            None,
        ),
        (
            path(&["licenses".into(), "absent".into()]),
            Target::Key,
            None,
        ),
        (
            path(&["version".into(), "deeper".into()]),
            Target::Value,
            None,
        ),
    ];
    for (path, target, expected) in table {
        assert_eq!(
            at(path, *target),
            *expected,
            "{} {target:?}",
            DisplayPath(path)
        );
    }
}

#[test]
fn one_pass_answers_many_requests_in_any_order() {
    let requests: Vec<Request> = vec![
        (
            path(&["clarifications".into(), 1.into(), "reason".into()]),
            Target::Key,
        ),
        (path(&["version".into()]), Target::Value),
        (path(&["nowhere".into()]), Target::Key),
        (path(&["licenses".into(), "classes".into()]), Target::Value),
        (
            path(&[
                "clarifications".into(),
                0.into(),
                "files".into(),
                0.into(),
                "sha256".into(),
            ]),
            Target::Value,
        ),
        (path(&["version".into()]), Target::Value),
    ];
    let found: Vec<_> = locate_all(DOC, &requests)
        .into_iter()
        .map(|location| location.map(|location| (location.line, location.column)))
        .collect();
    assert_eq!(
        found,
        [
            Some((13, 5)),
            Some((1, 10)),
            None,
            Some((5, 5)),
            Some((11, 17)),
            Some((1, 10))
        ]
    );
}

#[test]
fn collections_are_placed_at_their_first_child_or_else_their_key() {
    let text = "a: []\nb:\n  - x\n  - y\nc: {}\nd:\n  - k: 1\ne: [ 1, 2]\nf: {g: [h]}\n";
    let table: &[(Vec<Segment>, LineColumn)] = &[
        (path(&["a".into()]), Some((1, 4))),
        (path(&["b".into()]), Some((3, 3))),
        (path(&["b".into(), 1.into()]), Some((4, 5))),
        (path(&["c".into()]), Some((5, 4))),
        (path(&["d".into(), 0.into()]), Some((7, 5))),
        (path(&["e".into()]), Some((8, 4))),
        (path(&["f".into()]), Some((9, 4))),
        (path(&["f".into(), "g".into()]), Some((9, 8))),
        (path(&[]), Some((1, 1))),
    ];
    for (path, expected) in table {
        let got =
            locate(text, path, Target::Value).map(|location| (location.line, location.column));
        assert_eq!(got, *expected, "{}", DisplayPath(path));
    }
}

#[test]
fn a_node_after_a_syntax_error_is_not_found() {
    assert_eq!(locate("a: [\nb: 1\n", &["b".into()], Target::Value), None);
}

#[test]
fn offsets_become_lines_and_character_columns() {
    let text = "ab\n©d\nx".as_bytes();
    assert_eq!(location_of_offset(text, 0), Location { line: 1, column: 1 });
    assert_eq!(location_of_offset(text, 3), Location { line: 2, column: 1 });
    // '©' is two bytes but one column.
    assert_eq!(location_of_offset(text, 5), Location { line: 2, column: 2 });
    assert_eq!(location_of_offset(text, 7), Location { line: 3, column: 1 });
}

#[test]
fn duplicate_keys_are_found_at_their_second_occurrence() {
    let table = [
        ("a: 1\nb: 2\na: 3\n", Some((3, 1))),
        ("a:\n  x: 1\n  y: 2\n  x: 3\n", Some((4, 3))),
        ("- {k: 1, k: 2}\n", Some((1, 10))),
        ("a: {x: 1}\nb: {x: 1}\n", None),
    ];
    for (text, expected) in table {
        let got = locate_duplicate_key(text).map(|location| (location.line, location.column));
        assert_eq!(got, expected, "{text:?}");
    }
}

#[test]
fn flow_depth_is_counted_across_the_text() {
    assert_eq!(flow_depth_beyond("a: [[1], {b: [2]}]", 2), Some(13));
    assert_eq!(flow_depth_beyond("a: [[1], {b: [2]}]", 3), None);
    assert_eq!(flow_depth_beyond("]]]]][[", 2), None);
}

#[test]
fn locations_map_back_to_byte_offsets() {
    let text = "a: ©\nbb: x\n";
    assert_eq!(
        offset_of_location(text, Location { line: 1, column: 4 }),
        Some(3)
    );
    assert_eq!(
        offset_of_location(text, Location { line: 2, column: 5 }),
        Some(10)
    );
    assert_eq!(
        offset_of_location(text, Location { line: 0, column: 1 }),
        None
    );
}

#[test]
fn paths_display_like_the_documentation_names_keys() {
    let path = path(&[
        "clarifications".into(),
        1.into(),
        "files".into(),
        0.into(),
        "sha256".into(),
    ]);
    assert_eq!(
        DisplayPath(&path).to_string(),
        "clarifications[1].files[0].sha256"
    );
}

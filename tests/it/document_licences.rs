//! Licence terms in a document keepopen cannot read as text (issue 21: an Ordnance Survey repository whose only
//! terms are `stylesheet-licence-v2.pdf`, judged *forbidden*, "no licence anywhere"; and the dangerous twin, an
//! MIT LICENSE beside a PDF of further terms, judged *allowed*). A file whose name says it holds licence terms
//! is evidence whatever its format: when it cannot be read, a person must. Each test checks a real bare
//! repository built with git2, as `check` reads a mirror.

use keepopen::check::RepoCheck;

use crate::support::check::check_files;

const MIT: &str = include_str!("../../licenses/text/MIT.txt");

fn mit() -> Vec<u8> {
    MIT.replace("<year> <copyright holders>", "2020 Ordnance Survey")
        .into_bytes()
}

/// The first bytes of a PDF as a word processor writes one: a header, a binary comment, compressed streams.
fn pdf() -> Vec<u8> {
    let mut out =
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 42 /Filter /FlateDecode >>\nstream\n"
            .to_vec();
    out.extend((0u8..=255).cycle().take(600));
    out.extend(b"\nendstream\nendobj\n%%EOF\n");
    out
}

/// A .docx is a zip archive.
fn docx() -> Vec<u8> {
    let mut out = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00".to_vec();
    out.extend((0u8..=255).rev().cycle().take(400));
    out
}

fn reasons(check: &RepoCheck) -> String {
    check.verdict.reasons().join("\n")
}

#[test]
fn a_licence_named_pdf_beside_an_mit_licence_is_for_a_person_naming_it() {
    for (name, bytes) in [
        ("stylesheet-licence-v2.pdf", pdf()),
        ("LICENCE-terms.docx", docx()),
        ("data/os-licence.pdf", pdf()),
    ] {
        let check = check_files(&[
            ("LICENSE", mit()),
            ("README.md", b"# Stylesheets\n".to_vec()),
            (name, bytes),
        ]);
        assert_eq!(check.verdict, "needs-review", "{name}: {}", reasons(&check));
        assert!(
            reasons(&check).contains(name),
            "{name}: {}",
            reasons(&check)
        );
    }
}

#[test]
fn a_licence_named_pdf_alone_is_not_absence_of_a_licence() {
    let check = check_files(&[
        ("README.md", b"# Stylesheets\n".to_vec()),
        ("stylesheet-licence-v2.pdf", pdf()),
        ("style.sld", b"<StyledLayerDescriptor/>\n".to_vec()),
    ]);
    assert_eq!(check.verdict, "needs-review", "{}", reasons(&check));
    assert!(
        reasons(&check).contains("stylesheet-licence-v2.pdf"),
        "{}",
        reasons(&check)
    );
}

#[test]
fn documents_whose_names_say_nothing_of_terms_leave_an_mit_repository_allowed() {
    let check = check_files(&[
        ("LICENSE", mit()),
        ("README.md", b"# Stylesheets\n".to_vec()),
        ("docs/user-guide.pdf", pdf()),
        ("docs/release-notes.docx", docx()),
    ]);
    assert_eq!(check.verdict, "allowed", "{}", reasons(&check));
}

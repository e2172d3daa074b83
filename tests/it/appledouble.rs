//! AppleDouble members (`__MACOSX/._LICENCE.txt` in a zip macOS made, `._LICENCE.txt` copied into a tree) are the
//! Finder's bookkeeping for another file, recognised by their content — the AppleDouble magic number — not by
//! their name (`license::appledouble`). One holding only macOS's own attributes is no licence text; one holding
//! anything that may carry words, and any `._` file that is not AppleDouble, is judged as before. Each test builds
//! a real git repository.

use crate::archives::zip_of;
use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::check::licence_verdict;

const MIT: &str = include_str!("../../licenses/text/MIT.txt");

/// An AppleDouble file as macOS writes one into a zip: Finder information carrying one extended attribute, and
/// an empty resource fork.
fn appledouble(attribute: &str, value: &[u8]) -> Vec<u8> {
    let names = attribute.len() + 1;
    let entries_len = (11 + names + 3) & !3;
    let fi_start = 50usize;
    let data_start = fi_start + 34 + 36 + entries_len;
    let total = data_start + value.len();
    let be32 = |v: usize| (v as u32).to_be_bytes();
    let mut fi = vec![0u8; 34];
    fi.extend_from_slice(b"ATTR");
    fi.extend_from_slice(&be32(0));
    fi.extend_from_slice(&be32(total));
    fi.extend_from_slice(&be32(data_start));
    fi.extend_from_slice(&be32(value.len()));
    fi.extend_from_slice(&[0; 12]);
    fi.extend_from_slice(&[0, 0, 0, 1]);
    let mut entry = Vec::new();
    entry.extend_from_slice(&be32(data_start));
    entry.extend_from_slice(&be32(value.len()));
    entry.extend_from_slice(&[0, 0, names as u8]);
    entry.extend_from_slice(attribute.as_bytes());
    entry.push(0);
    entry.resize(entries_len, 0);
    fi.extend_from_slice(&entry);
    fi.extend_from_slice(value);
    let mut out = vec![0x00, 0x05, 0x16, 0x07, 0x00, 0x02, 0x00, 0x00];
    out.extend_from_slice(b"Mac OS X        ");
    out.extend_from_slice(&[0, 2]);
    for (id, offset, len) in [(9usize, fi_start, fi.len()), (2, total, 0)] {
        out.extend_from_slice(&be32(id));
        out.extend_from_slice(&be32(offset));
        out.extend_from_slice(&be32(len));
    }
    out.extend_from_slice(&fi);
    out
}

fn quarantine() -> Vec<u8> {
    appledouble(
        "com.apple.quarantine",
        b"0081;5f00aa00;Google\\x20Chrome;0C5B3D2E-1111-2222-3333-444455556666",
    )
}

fn licence() -> String {
    MIT.replace(
        "<year> <copyright holders>",
        "2016 Government Digital Service",
    )
}

/// An MIT repository whose tree also holds `files`.
fn repo_with(files: &[(&str, Vec<u8>)]) -> RepoFixture {
    let fx = RepoFixture::bare();
    let mut spec = TreeSpec::new()
        .file("LICENCE.txt", licence())
        .file("app/routes.js", "module.exports = {};\n");
    for (path, bytes) in files {
        spec = spec.file(path, bytes);
    }
    fx.commit("main", &spec);
    fx.set_head("main");
    fx
}

/// The class seen on a real repository: a zip made on a Mac, its `__MACOSX/._LICENCE.txt` read as a licence file
/// of bundled material. Was *needs review* before `license::appledouble`.
#[test]
fn an_appledouble_member_holding_only_macos_bookkeeping_is_no_licence_of_bundled_material() {
    let zip = zip_of(&[
        ("LICENCE.txt", licence().as_bytes()),
        ("app/routes.js", b"module.exports = {};\n"),
        ("__MACOSX/._LICENCE.txt", &quarantine()),
        ("__MACOSX/app/._routes.js", &quarantine()),
    ]);
    let fx = repo_with(&[("Archive.zip", zip)]);
    let (verdict, reasons) = licence_verdict(&fx);
    assert_eq!(verdict, "allowed", "{reasons:#?}");
}

/// The dangerous sides: an AppleDouble member whose attributes may hold words (a copyright field), and a member
/// named like AppleDouble that is a text, are judged as before.
#[test]
fn an_appledouble_member_with_other_attributes_or_a_text_named_like_one_is_judged_as_before() {
    let copyright = appledouble(
        "com.apple.metadata:kMDItemCopyright",
        b"Example Vendor. Not for redistribution.",
    );
    let text = b"Proprietary. Not for redistribution.\n".to_vec();
    for member in [copyright, text] {
        let zip = zip_of(&[
            ("app/routes.js", b"module.exports = {};\n"),
            ("__MACOSX/._LICENCE.txt", &member),
        ]);
        let fx = repo_with(&[("Archive.zip", zip)]);
        let (verdict, reasons) = licence_verdict(&fx);
        assert_eq!(verdict, "needs-review", "{reasons:#?}");
        assert!(
            reasons.iter().any(|r| r.contains("._LICENCE.txt")),
            "{reasons:#?}"
        );
    }
}

/// The same in a tree: a `._LICENCE.txt` copied beside the licence is bookkeeping when it is AppleDouble, and read
/// as a licence file when it is text.
#[test]
fn a_loose_appledouble_file_is_bookkeeping_and_a_loose_text_named_like_one_is_read() {
    let fx = repo_with(&[("._LICENCE.txt", quarantine())]);
    let (verdict, reasons) = licence_verdict(&fx);
    assert_eq!(verdict, "allowed", "{reasons:#?}");
    let fx = repo_with(&[(
        "._LICENCE.txt",
        b"Proprietary. Not for redistribution.\n".to_vec(),
    )]);
    let (verdict, reasons) = licence_verdict(&fx);
    assert_ne!(verdict, "allowed", "{reasons:#?}");
}

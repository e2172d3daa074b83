//! Photographs whose metadata names no source (issue 21, the one dangerous verdict: a repository whose test
//! uploads are photographs found on the web). The two pictures are real JPEG files made for these tests
//! with Pillow (libjpeg, quality 85): `hillside.jpg`, a 112×84 generated landscape with sensor-like noise,
//! and `form-screenshot.jpg`, a 120×90 drawing of a web form. They are committed to bare repositories
//! built with git2 and read by `check` as a user would.

use keepopen::check::{RepoCheck, check_repo};
use keepopen::license::detect::Detector;
use keepopen::policy::Policy;

use crate::assets::{app1_xmp, xmp_packet};
use crate::fixture::{RepoFixture, TreeSpec};

const MIT: &str = include_str!("../../licenses/text/MIT.txt");
const HILLSIDE: &[u8] = include_bytes!("photographs/hillside.jpg");
const FORM_SCREENSHOT: &[u8] = include_bytes!("photographs/form-screenshot.jpg");

pub(crate) fn mit() -> String {
    MIT.replace(
        "<year> <copyright holders>",
        "2021 Office of the Public Guardian",
    )
}

pub(crate) fn check(fx: &RepoFixture) -> RepoCheck {
    fx.set_head("main");
    check_repo(fx.path(), &Detector::embedded(), &Policy::default())
}

/// An MIT repository with `picture` at `path` on its one commit.
pub(crate) fn mit_repo_with(path: &str, picture: &[u8]) -> RepoCheck {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENSE", mit())
            .file("README.md", "# Service\n")
            .file(path, picture),
    );
    check(&fx)
}

/// The reason that names `path`, or a failure that shows all of them.
fn reason_naming(result: &RepoCheck, path: &str) -> String {
    assert_eq!(
        result.verdict,
        "needs-review",
        "{path}: {:#?}",
        result.verdict.reasons()
    );
    result
        .verdict
        .reasons()
        .iter()
        .find(|r| r.contains(path))
        .unwrap_or_else(|| panic!("no reason names {path}: {:#?}", result.verdict.reasons()))
        .clone()
}

/// `jpeg` with `segment` inserted after its JFIF APP0 segment, where editors put metadata.
fn with_segment(jpeg: &[u8], segment: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..4], &[0xFF, 0xD8, 0xFF, 0xE0], "a JFIF file");
    let app0_end = 4 + usize::from(u16::from_be_bytes([jpeg[4], jpeg[5]]));
    [&jpeg[..app0_end], segment, &jpeg[app0_end..]].concat()
}

#[test]
fn a_photograph_whose_metadata_names_no_source_needs_review_with_the_measure_as_evidence() {
    let path = "playwright/donor/upload-file-1.jpg";
    let reason = reason_naming(&mit_repo_with(path, HILLSIDE), path);
    assert!(
        reason.contains("a photograph by its pixels (112×84"),
        "{reason}"
    );
    assert!(
        reason.contains("of neighbouring pixels repeat exactly"),
        "{reason}"
    );
    assert!(
        reason.contains("names no author, source or licence"),
        "{reason}"
    );
}

#[test]
fn a_screenshot_saved_as_jpeg_leaves_the_repository_allowed() {
    let result = mit_repo_with("docs/images/form.jpg", FORM_SCREENSHOT);
    assert_eq!(result.verdict, "allowed", "{:#?}", result.verdict.reasons());
}

#[test]
fn a_photograph_whose_metadata_credits_the_repositorys_own_holder_stays_allowed() {
    let packet = xmp_packet(
        "",
        r#"<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">© Office of the Public Guardian</rdf:li></rdf:Alt></dc:rights>"#,
    );
    let credited = with_segment(HILLSIDE, &app1_xmp(&packet));
    let result = mit_repo_with("assets/images/hillside.jpg", &credited);
    assert_eq!(result.verdict, "allowed", "{:#?}", result.verdict.reasons());
}

#[test]
fn a_photograph_credited_to_someone_else_still_names_them_not_the_pixels() {
    let packet = xmp_packet(r#"photoshop:Credit="Jane Smith Photography""#, "");
    let credited = with_segment(HILLSIDE, &app1_xmp(&packet));
    let path = "assets/images/hillside.jpg";
    let reason = reason_naming(&mit_repo_with(path, &credited), path);
    assert!(reason.contains("Jane Smith Photography"), "{reason}");
    assert!(!reason.contains("by its pixels"), "{reason}");
}

#[test]
fn a_photograph_deleted_from_the_tip_is_found_in_the_pushed_history() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENSE", mit())
            .file("cypress/fixtures/upload.jpeg", HILLSIDE),
    );
    fx.commit("main", &TreeSpec::new().file("LICENSE", mit()));
    let reason = reason_naming(&check(&fx), "cypress/fixtures/upload.jpeg");
    assert!(reason.contains("a photograph by its pixels"), "{reason}");
    assert!(reason.contains("(commit "), "{reason}");
}

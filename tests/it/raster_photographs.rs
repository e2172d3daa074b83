//! Photographs saved as PNG, GIF, WebP or TIFF whose metadata names no source (issue 21: a test upload
//! `dummy.tif` that is a portrait found on the web; a prototype's stock photographs saved as PNG). The files
//! are real, encoded in the test with the image-rs encoders from the pixels of the test photograph
//! `photographs/hillside.jpg` (a generated landscape with sensor-like noise) and of `form-screenshot.jpg` (a
//! drawing of a web form), and committed to bare repositories that `check` reads as a user would.

use std::io::Cursor;

use keepopen::check::RepoCheck;
use zune_jpeg::JpegDecoder;
use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;

use crate::fixture::{RepoFixture, TreeSpec};
use crate::photographs::{check, mit, mit_repo_with};

const HILLSIDE: &[u8] = include_bytes!("photographs/hillside.jpg");
const FORM_SCREENSHOT: &[u8] = include_bytes!("photographs/form-screenshot.jpg");

/// The RGB pixels of a JPEG, with its width and height.
fn rgb_of(jpeg: &[u8]) -> (Vec<u8>, u32, u32) {
    let options = DecoderOptions::default().jpeg_set_out_colorspace(ColorSpace::RGB);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(jpeg), options);
    let pixels = decoder.decode().expect("a JPEG made for the tests");
    let (w, h) = decoder.dimensions().expect("dimensions");
    (pixels, w as u32, h as u32)
}

fn png(pixels: &[u8], w: u32, h: u32, colour: png::ColorType) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(colour);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("header");
    writer.write_image_data(pixels).expect("pixels");
    writer.finish().expect("end");
    out
}

/// A GIF in 256 greys, as a scanned or microscope photograph is saved.
fn grey_gif(rgb: &[u8], w: u32, h: u32) -> Vec<u8> {
    let palette: Vec<u8> = (0..=255u8).flat_map(|g| [g, g, g]).collect();
    let indices: Vec<u8> = rgb
        .chunks_exact(3)
        .map(|p| ((u16::from(p[0]) * 3 + u16::from(p[1]) * 6 + u16::from(p[2])) / 10) as u8)
        .collect();
    let mut out = Vec::new();
    {
        let mut encoder = gif::Encoder::new(&mut out, w as u16, h as u16, &palette).expect("gif");
        let frame =
            gif::Frame::from_palette_pixels(w as u16, h as u16, indices, palette.clone(), None);
        encoder.write_frame(&frame).expect("frame");
    }
    out
}

fn webp(rgb: &[u8], w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image_webp::WebPEncoder::new(&mut out)
        .encode(rgb, w, h, image_webp::ColorType::Rgb8)
        .expect("webp");
    out
}

fn grey_tiff(rgb: &[u8], w: u32, h: u32) -> Vec<u8> {
    let grey: Vec<u8> = rgb
        .chunks_exact(3)
        .map(|p| ((u16::from(p[0]) + u16::from(p[1]) + u16::from(p[2])) / 3) as u8)
        .collect();
    let mut out = Cursor::new(Vec::new());
    tiff::encoder::TiffEncoder::new(&mut out)
        .expect("tiff")
        .write_image::<tiff::encoder::colortype::Gray8>(w, h, &grey)
        .expect("pixels");
    out.into_inner()
}

/// An app icon: a rounded square filled with a diagonal gradient steep enough that neighbours differ, on a
/// transparent background (RGBA).
fn gradient_icon(side: usize) -> Vec<u8> {
    let s = side as f32;
    let (r, m) = (s / 6.0, 2.0);
    let mut out = Vec::with_capacity(side * side * 4);
    for y in 0..side {
        for x in 0..side {
            let (fx, fy) = (x as f32, y as f32);
            let (cx, cy) = (
                fx.clamp(m + r, s - 1.0 - m - r),
                fy.clamp(m + r, s - 1.0 - m - r),
            );
            let t = (fx + fy) / (2.0 * s);
            out.extend(if (fx - cx).hypot(fy - cy) <= r {
                [
                    (30.0 + 200.0 * t) as u8,
                    (120.0 + 120.0 * t) as u8,
                    (230.0 - 200.0 * t) as u8,
                    255,
                ]
            } else {
                [0, 0, 0, 0]
            });
        }
    }
    out
}

/// The reason naming `path` as a photograph by its pixels, or a failure showing every reason.
fn photograph_reason(result: &RepoCheck, path: &str) -> String {
    assert_eq!(
        result.verdict,
        "needs-review",
        "{path}: {:#?}",
        result.verdict.reasons()
    );
    let reason = result
        .verdict
        .reasons()
        .iter()
        .find(|r| r.contains(path))
        .unwrap_or_else(|| panic!("no reason names {path}: {:#?}", result.verdict.reasons()))
        .clone();
    assert!(
        reason.contains("a photograph by its pixels (112×84"),
        "{reason}"
    );
    assert!(
        reason.contains("names no author, source or licence"),
        "{reason}"
    );
    reason
}

#[test]
fn a_photograph_saved_as_png_whose_metadata_names_no_source_needs_review() {
    let (rgb, w, h) = rgb_of(HILLSIDE);
    let path = "rawHTML/_dummy/img/hillside.png";
    photograph_reason(
        &mit_repo_with(path, &png(&rgb, w, h, png::ColorType::Rgb)),
        path,
    );
}

#[test]
fn a_photograph_saved_as_a_greyscale_gif_needs_review() {
    let (rgb, w, h) = rgb_of(HILLSIDE);
    let path = "docs/images/cells.gif";
    photograph_reason(&mit_repo_with(path, &grey_gif(&rgb, w, h)), path);
}

#[test]
fn a_photograph_saved_as_tiff_on_another_branch_needs_review() {
    let (rgb, w, h) = rgb_of(HILLSIDE);
    let fx = RepoFixture::bare();
    fx.commit("main", &TreeSpec::new().file("LICENSE", mit()));
    let path = "internal/donor/testdata/dummy.tif";
    fx.commit(
        "upload-tests",
        &TreeSpec::new()
            .file("LICENSE", mit())
            .file(path, grey_tiff(&rgb, w, h)),
    );
    photograph_reason(&check(&fx), path);
}

#[test]
fn a_photograph_saved_as_webp_and_deleted_from_the_tip_is_found_in_the_pushed_history() {
    let (rgb, w, h) = rgb_of(HILLSIDE);
    let fx = RepoFixture::bare();
    let path = "static/scenario/preview.webp";
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENSE", mit())
            .file(path, webp(&rgb, w, h)),
    );
    fx.commit("main", &TreeSpec::new().file("LICENSE", mit()));
    let reason = photograph_reason(&check(&fx), path);
    assert!(reason.contains("(commit "), "{reason}");
}

#[test]
fn a_screenshot_saved_as_png_leaves_the_repository_allowed() {
    let (rgb, w, h) = rgb_of(FORM_SCREENSHOT);
    let result = mit_repo_with(
        "docs/images/form.png",
        &png(&rgb, w, h, png::ColorType::Rgb),
    );
    assert_eq!(result.verdict, "allowed", "{:#?}", result.verdict.reasons());
}

#[test]
fn an_app_icon_filled_with_a_gradient_leaves_the_repository_allowed() {
    let icon = png(&gradient_icon(84), 84, 84, png::ColorType::Rgba);
    let result = mit_repo_with(
        "Resources/Assets.xcassets/consent.imageset/consent@1x.png",
        &icon,
    );
    assert_eq!(result.verdict, "allowed", "{:#?}", result.verdict.reasons());
}

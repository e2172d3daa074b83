//! Real PNG, GIF, WebP and TIFF files, encoded here with the image-rs encoders from pixels built in the test,
//! measured as the scan measures them; and hostile bytes, which must never panic a decoder.

use std::io::Cursor;

use proptest::prelude::*;

use super::*;
use crate::license::assets::photographs::PHOTOGRAPH_BELOW_PER_MILLE;
use crate::license::assets::unsourced_photograph;

/// The test photograph shared with the integration tests: a 112×84 JPEG of a generated landscape with
/// sensor-like noise (libjpeg, quality 85).
const HILLSIDE: &[u8] = include_bytes!("../../../tests/it/photographs/hillside.jpg");
/// A 120×90 JPEG drawing of a web form.
const FORM_SCREENSHOT: &[u8] = include_bytes!("../../../tests/it/photographs/form-screenshot.jpg");

/// The RGB pixels of a JPEG, with its width and height.
fn rgb_of(jpeg: &[u8]) -> (Vec<u8>, usize, usize) {
    let options = DecoderOptions::default().jpeg_set_out_colorspace(ColorSpace::RGB);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(jpeg), options);
    let pixels = decoder.decode().expect("a JPEG made for the tests");
    let (w, h) = decoder.dimensions().expect("dimensions");
    (pixels, w, h)
}

pub(crate) fn png_of(pixels: &[u8], w: usize, h: usize, colour: png::ColorType) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w as u32, h as u32);
    encoder.set_color(colour);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("header");
    writer.write_image_data(pixels).expect("pixels");
    writer.finish().expect("end");
    out
}

/// A greyscale GIF (a 256-grey palette: every grey exact, as a microscope's or a scanned photograph's).
fn grey_gif_of(rgb: &[u8], w: usize, h: usize) -> Vec<u8> {
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

fn webp_of(rgb: &[u8], w: usize, h: usize) -> Vec<u8> {
    let mut out = Vec::new();
    image_webp::WebPEncoder::new(&mut out)
        .encode(rgb, w as u32, h as u32, image_webp::ColorType::Rgb8)
        .expect("webp");
    out
}

fn tiff_of(rgb: &[u8], w: usize, h: usize) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    tiff::encoder::TiffEncoder::new(&mut out)
        .expect("tiff")
        .write_image::<tiff::encoder::colortype::RGB8>(w as u32, h as u32, rgb)
        .expect("pixels");
    out.into_inner()
}

/// An app icon: a rounded square filled with a diagonal gradient steep enough that neighbours differ, on a
/// transparent background (RGBA).
pub(crate) fn gradient_icon(side: usize) -> Vec<u8> {
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

#[test]
fn a_photograph_saved_as_png_gif_webp_or_tiff_is_measured_as_one() {
    let (rgb, w, h) = rgb_of(HILLSIDE);
    for (format, bytes) in [
        ("PNG", png_of(&rgb, w, h, png::ColorType::Rgb)),
        ("GIF", grey_gif_of(&rgb, w, h)),
        ("WebP", webp_of(&rgb, w, h)),
        ("TIFF", tiff_of(&rgb, w, h)),
    ] {
        let count = measure(&bytes).unwrap_or_else(|| panic!("{format} not measured"));
        assert_eq!((count.width, count.height), (w, h), "{format}");
        assert!(count.is_photograph(), "{format}: {count:?}");
        assert!(unsourced_photograph("upload", &bytes).is_some(), "{format}");
    }
}

#[test]
fn a_screenshot_saved_as_png_gif_webp_or_tiff_is_not_a_photograph() {
    let (rgb, w, h) = rgb_of(FORM_SCREENSHOT);
    for (format, bytes) in [
        ("PNG", png_of(&rgb, w, h, png::ColorType::Rgb)),
        ("GIF", grey_gif_of(&rgb, w, h)),
        ("WebP", webp_of(&rgb, w, h)),
        ("TIFF", tiff_of(&rgb, w, h)),
    ] {
        let count = measure_with(&bytes, false).unwrap_or_else(|| panic!("{format} not measured"));
        assert!(!count.is_photograph(), "{format}: {count:?}");
    }
}

#[test]
fn an_icon_filled_with_a_gradient_is_not_a_photograph() {
    let icon = png_of(&gradient_icon(96), 96, 96, png::ColorType::Rgba);
    let count = measure_with(&icon, false).expect("measured");
    // Along a diagonal gradient few neighbours repeat exactly: the repeats alone would call it a photograph.
    assert!(
        count.repeats * 1000 < PHOTOGRAPH_BELOW_PER_MILLE * count.pairs,
        "{count:?}"
    );
    assert!(!count.is_photograph(), "{count:?}");
}

#[test]
fn pixels_no_one_can_see_are_alike_whatever_colour_they_keep() {
    // A transparent 80×80 picture whose hidden colours are noise: nothing to see, all repeats.
    let mut rgba = Vec::new();
    for i in 0..80 * 80u32 {
        rgba.extend([
            (i * 37 % 251) as u8,
            (i * 91 % 241) as u8,
            (i * 13 % 239) as u8,
            0,
        ]);
    }
    let count =
        measure_with(&png_of(&rgba, 80, 80, png::ColorType::Rgba), false).expect("measured");
    assert_eq!(count.repeats, count.pairs, "{count:?}");
}

#[test]
fn a_picture_claiming_more_pixels_than_the_bound_is_not_decoded() {
    // A valid PNG header for 60,000 × 60,000 pixels and no data: refused from the header, before any
    // allocation.
    let (rgb, w, h) = rgb_of(HILLSIDE);
    let mut png = png_of(&rgb, w, h, png::ColorType::Rgb);
    png[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    png[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    let crc = crc_of(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    assert_eq!(measure(&png), None);
    assert_eq!(raster_format(&png), Some(Raster::Png));
}

/// The CRC-32 of a PNG chunk's type and data.
fn crc_of(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Every format's real bytes, to be damaged.
fn samples() -> Vec<Vec<u8>> {
    let (rgb, w, h) = rgb_of(HILLSIDE);
    vec![
        HILLSIDE.to_vec(),
        png_of(&rgb, w, h, png::ColorType::Rgb),
        grey_gif_of(&rgb, w, h),
        webp_of(&rgb, w, h),
        tiff_of(&rgb, w, h),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    /// Hostile or damaged bytes: each format's real file with bytes overwritten, cut or inserted anywhere
    /// (headers, chunk lengths, compressed data). The decoders are called directly, without the panic guard
    /// of [`measure`], so a panic fails the test; any answer they give is within the picture's own size.
    #[test]
    fn damaged_pictures_never_panic_a_decoder(
        which in 0usize..5,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..12),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = samples().swap_remove(which);
        for (at, value, op) in edits {
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = value,
                1 => bytes.insert(i, value),
                _ => { bytes.remove(i); }
            }
        }
        if which % 2 == 0 {
            bytes.truncate(cut.index(bytes.len()) + 1);
        }
        let count = match raster_format(&bytes) {
            Some(Raster::Jpeg) => jpeg_pixels(&bytes),
            Some(Raster::Png) => png_pixels(&bytes, true),
            Some(Raster::Gif) => gif_pixels(&bytes),
            Some(Raster::WebP) => webp_pixels(&bytes),
            Some(Raster::Tiff) => tiff_pixels(&bytes),
            None => None,
        };
        if let Some(c) = count {
            prop_assert!(c.width * c.height <= MAX_PIXELS);
            prop_assert!(c.repeats <= c.pairs && c.smooth <= c.pairs, "{c:?}");
        }
    }

    /// Stopping a drawing's count early never changes the answer: a PNG of flat runs, noise, or both
    /// (a screenshot with a photograph pasted in) is a photograph by its first rows exactly when it is by
    /// all of them.
    #[test]
    fn stopping_the_count_early_never_changes_whether_a_png_is_a_photograph(
        w in 64usize..120,
        h in 64usize..120,
        flat_rows in 0usize..120,
        seed in any::<u32>(),
        run in 1usize..9,
    ) {
        let mut rgb = Vec::with_capacity(w * h * 3);
        let mut state = seed | 1;
        for y in 0..h {
            for x in 0..w {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let pixel = if y < flat_rows {
                    let c = ((x / run) * 40 % 256) as u8;
                    [c, c / 2, 255 - c]
                } else {
                    [(state & 0xFF) as u8, ((state >> 8) & 0xFF) as u8, ((state >> 16) & 0xFF) as u8]
                };
                rgb.extend(pixel);
            }
        }
        let png = png_of(&rgb, w, h, png::ColorType::Rgb);
        let early = measure_with(&png, true).expect("measured");
        let whole = measure_with(&png, false).expect("measured");
        prop_assert_eq!(early.is_photograph(), whole.is_photograph(), "{:?} {:?}", early, whole);
    }
}

//! Raster pictures decoded for [`super::photographs`]: JPEG, PNG, GIF, WebP and TIFF, each with the image-rs
//! or zune decoder of its format, told apart by their first bytes (a photograph saved under another name is
//! still one).
//!
//! Hostile bytes are expected here: every decoder is bounded before it allocates (the picture's header is
//! read first, and nothing over [`MAX_PIXELS`] is decoded), each one's own memory limit is set, and a panic
//! inside a decoder is caught and counts as a picture that cannot be decoded. A picture that cannot be
//! decoded is not measured: it says nothing, as a truncated JPEG always has. Only the first frame of an
//! animation or the first page of a TIFF is measured.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use zune_jpeg::JpegDecoder;
use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;

use super::photographs::{MAX_PIXELS, MIN_SIDE, PixelCount, RowCounter, count_repeats};

/// The most bytes a decoder may allocate: the decoded picture at four bytes a pixel, and some room.
const MAX_DECODER_BYTES: usize = MAX_PIXELS * 4 + (16 << 20);

/// The raster formats measured, by their signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Raster {
    Jpeg,
    Png,
    Gif,
    WebP,
    Tiff,
}

/// The format `bytes` begin with, if it is one that is measured.
pub fn raster_format(bytes: &[u8]) -> Option<Raster> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Some(Raster::Jpeg)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some(Raster::Png)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some(Raster::Gif)
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP".as_slice()) {
        Some(Raster::WebP)
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Some(Raster::Tiff)
    } else {
        None
    }
}

/// Decode a raster picture and count its neighbouring pixels; `None` when it is no format measured, cannot
/// be decoded whole, is bigger than [`MAX_PIXELS`], or is smaller than [`MIN_SIDE`] a side (not worth
/// decoding: it is never a photograph). A count may stop early, once a drawing is certain
/// ([`RowCounter::settled`]).
pub fn measure(bytes: &[u8]) -> Option<PixelCount> {
    measure_with(bytes, true)
}

/// [`measure`], counting every row when `stop_early` is false (the counts of a drawing are then whole; the
/// answer [`PixelCount::is_photograph`] gives is the same either way).
pub fn measure_with(bytes: &[u8], stop_early: bool) -> Option<PixelCount> {
    let format = raster_format(bytes)?;
    catch_unwind(AssertUnwindSafe(|| match format {
        Raster::Jpeg => jpeg_pixels(bytes),
        Raster::Png => png_pixels(bytes, stop_early),
        Raster::Gif => gif_pixels(bytes),
        Raster::WebP => webp_pixels(bytes),
        Raster::Tiff => tiff_pixels(bytes),
    }))
    .ok()
    .flatten()
}

/// Whether a picture of these dimensions is decoded at all.
fn worth_decoding(width: usize, height: usize) -> bool {
    width >= MIN_SIDE && height >= MIN_SIDE && width.saturating_mul(height) <= MAX_PIXELS
}

/// Decode a JPEG and count its repeats; `None` when it is not a JPEG, cannot be decoded whole (a truncated
/// read), or is bigger than [`MAX_PIXELS`].
pub fn jpeg_pixels(bytes: &[u8]) -> Option<PixelCount> {
    if raster_format(bytes) != Some(Raster::Jpeg) {
        return None;
    }
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::RGB)
        .set_strict_mode(true);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().ok()?;
    let (width, height) = decoder.dimensions()?;
    if width.saturating_mul(height) > MAX_PIXELS {
        return None;
    }
    let channels = decoder.output_colorspace()?.num_components();
    let mut pixels = vec![0u8; decoder.output_buffer_size()?];
    decoder.decode_into(&mut pixels).ok()?;
    Some(count_repeats(&pixels, width, height, channels))
}

/// A PNG, expanded to 8-bit grey, grey and alpha, RGB or RGBA; an interlaced one is decoded whole (its
/// passes' rows are not neighbours), any other row by row, stopping once it is settled.
fn png_pixels(bytes: &[u8], stop_early: bool) -> Option<PixelCount> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_limits(png::Limits {
        bytes: MAX_DECODER_BYTES,
    });
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let (width, height) = (reader.info().width as usize, reader.info().height as usize);
    if !worth_decoding(width, height) {
        return None;
    }
    let (colour, _) = reader.output_color_type();
    let channels = colour.samples();
    let alpha = matches!(
        colour,
        png::ColorType::GrayscaleAlpha | png::ColorType::Rgba
    );
    let mut counter = RowCounter::new(width, height, channels);
    if reader.info().interlaced {
        let mut pixels = vec![0u8; reader.output_buffer_size()?];
        reader.next_frame(&mut pixels).ok()?;
        for row in pixels.chunks_exact(width * channels).take(height) {
            counter.row(row, alpha);
        }
        return Some(counter.finish());
    }
    for _ in 0..height {
        let row = reader.next_row().ok()??;
        counter.row(row.data(), alpha);
        if stop_early && counter.settled() {
            break;
        }
    }
    Some(counter.finish())
}

/// A GIF's first frame, as RGBA (its transparent colour fully transparent).
fn gif_pixels(bytes: &[u8]) -> Option<PixelCount> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    options.set_memory_limit(gif::MemoryLimit::Bytes(std::num::NonZeroU64::new(
        MAX_DECODER_BYTES as u64,
    )?));
    let mut decoder = options.read_info(Cursor::new(bytes)).ok()?;
    let frame = decoder.read_next_frame().ok()??;
    let (width, height) = (usize::from(frame.width), usize::from(frame.height));
    if !worth_decoding(width, height) {
        return None;
    }
    let mut counter = RowCounter::new(width, height, 4);
    for row in frame.buffer.chunks_exact(width * 4).take(height) {
        counter.row(row, true);
    }
    Some(counter.finish())
}

/// A WebP (lossy or lossless; an animation's first frame), as RGB or RGBA.
fn webp_pixels(bytes: &[u8]) -> Option<PixelCount> {
    let mut decoder = image_webp::WebPDecoder::new(Cursor::new(bytes)).ok()?;
    decoder.set_memory_limit(MAX_DECODER_BYTES);
    let (width, height) = decoder.dimensions();
    let (width, height) = (width as usize, height as usize);
    if !worth_decoding(width, height) {
        return None;
    }
    let alpha = decoder.has_alpha();
    let channels = if alpha { 4 } else { 3 };
    let mut pixels = vec![0u8; decoder.output_buffer_size()?];
    decoder.read_image(&mut pixels).ok()?;
    let mut counter = RowCounter::new(width, height, channels);
    for row in pixels.chunks_exact(width * channels).take(height) {
        counter.row(row, alpha);
    }
    Some(counter.finish())
}

/// A TIFF's first page in grey, grey and alpha, RGB, RGBA or CMYK, at 8 or 16 bits a sample (16-bit
/// samples compared by their high byte, as a screen shows them). Palette, floating-point and multiband
/// pages are not measured.
fn tiff_pixels(bytes: &[u8]) -> Option<PixelCount> {
    use tiff::ColorType;
    use tiff::decoder::{Decoder, DecodingResult, Limits};
    let mut limits = Limits::default();
    limits.decoding_buffer_size = MAX_DECODER_BYTES;
    limits.intermediate_buffer_size = MAX_DECODER_BYTES;
    let mut decoder = Decoder::new(Cursor::new(bytes)).ok()?.with_limits(limits);
    let (width, height) = decoder.dimensions().ok()?;
    let (width, height) = (width as usize, height as usize);
    if !worth_decoding(width, height) {
        return None;
    }
    let (channels, alpha) = match decoder.colortype().ok()? {
        ColorType::Gray(8 | 16) => (1, false),
        ColorType::GrayA(8 | 16) => (2, true),
        ColorType::RGB(8 | 16) => (3, false),
        ColorType::RGBA(8 | 16) => (4, true),
        ColorType::CMYK(8 | 16) => (4, false),
        _ => return None,
    };
    let samples: Vec<u8> = match decoder.read_image().ok()? {
        DecodingResult::U8(v) => v,
        DecodingResult::U16(v) => v.into_iter().map(|s| (s >> 8) as u8).collect(),
        _ => return None,
    };
    if samples.len() < width * height * channels {
        return None;
    }
    let mut counter = RowCounter::new(width, height, channels);
    for row in samples.chunks_exact(width * channels).take(height) {
        counter.row(row, alpha);
    }
    Some(counter.finish())
}

#[cfg(test)]
#[path = "raster_tests.rs"]
mod tests;

//! Photographs told from drawings by their pixels.
//!
//! A photograph is a work whose author is rarely the repository's: a picture found on the web and used as a
//! test upload is published with the code all the same. When a JPEG's metadata names no author, rights or
//! licence ([`super::judge_image`] found nothing), a reviewer opens it and asks: is this a photograph, and
//! whose? keepopen cannot tell whose, but it can tell a photograph from a screenshot, diagram, logo or
//! icon, soundly enough to ask:
//!
//! - a drawing is made of flat fills: along a row, most pixels repeat their left neighbour exactly (in the
//!   acceptance mirrors' JPEG graphics, at least 40% of neighbouring pairs; screenshots 60–95%);
//! - a photograph is not: sensor noise and texture make exact repeats rare (the photographs there: 2–25%,
//!   apart from passport-style portraits on a plain backdrop).
//!
//! The measure is over the decoded pixels (`zune-jpeg`), every colour component compared. A JPEG of at
//! least [`MIN_SIDE`] pixels a side in which fewer than one neighbouring pair in four repeats exactly is a
//! photograph; one with no source named is an asset of unknown terms, and asks for a person. The evidence
//! line gives the measure, so a maintainer who opens the picture can check it in one look.
//!
//! Known limits: artificial noise over a drawing reads as a photograph (a person says no in a moment);
//! a photograph mostly of a plain backdrop reads as a drawing; photographs saved as PNG are not decoded.

use super::{AssetKind, Terms, ThirdPartyAsset};

/// The smallest width and height measured: an icon or a thumbnail strip says too little.
pub const MIN_SIDE: usize = 64;
/// The most pixels decoded (48 MB of RGB); a bigger picture is not measured.
pub const MAX_PIXELS: usize = 16 * 1024 * 1024;
/// A picture in which fewer than this many neighbouring pairs in a thousand repeat exactly is a photograph.
pub const PHOTOGRAPH_BELOW_PER_MILLE: u64 = 250;
/// ... and in which fewer than this many in a thousand are smooth (flat fills and gradients). On the acceptance
/// mirrors' pictures, photographs are at most 58% smooth; an app icon filled with a gradient 79%, a rendered
/// gradient 99.6%: the bound sits in the middle of that gap.
pub const SMOOTH_BELOW_PER_MILLE: u64 = 700;

/// What the pixels of a picture say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelCount {
    pub width: usize,
    pub height: usize,
    /// Horizontally neighbouring pixel pairs whose every component is equal.
    pub repeats: u64,
    /// Pairs that repeat exactly or whose right pixel continues the two before it in a straight line (every
    /// component within one step of `2 × left − the one before`): the pairs of flat fills and gradients.
    pub smooth: u64,
    /// All horizontally neighbouring pairs.
    pub pairs: u64,
}

impl PixelCount {
    /// Exact repeats per thousand neighbouring pairs.
    pub fn repeats_per_mille(&self) -> u64 {
        (self.repeats * 1000)
            .checked_div(self.pairs)
            .unwrap_or(1000)
    }

    /// Smooth pairs (repeats and straight-line continuations) per thousand neighbouring pairs.
    pub fn smooth_per_mille(&self) -> u64 {
        (self.smooth * 1000).checked_div(self.pairs).unwrap_or(1000)
    }

    /// The invariant: a picture is a photograph when it is at least [`MIN_SIDE`] pixels a side, fewer than
    /// [`PHOTOGRAPH_BELOW_PER_MILLE`] of its neighbouring pairs in a thousand repeat exactly, and fewer than
    /// [`SMOOTH_BELOW_PER_MILLE`] are smooth. A picture made of flat runs of two pixels or more repeats at
    /// least half its pairs, and one made of gradients is smooth nearly everywhere, so neither is ever one.
    pub fn is_photograph(&self) -> bool {
        self.width >= MIN_SIDE
            && self.height >= MIN_SIDE
            && self.repeats * 1000 < PHOTOGRAPH_BELOW_PER_MILLE * self.pairs
            && self.smooth * 1000 < SMOOTH_BELOW_PER_MILLE * self.pairs
    }
}

/// Counts a picture's neighbouring pairs row by row, so that a decoder can stop as soon as the answer is
/// known: once a drawing's repeats (or smooth pairs) reach their share of every pair the whole picture has,
/// no later row can make it a photograph.
#[derive(Debug, Clone)]
pub struct RowCounter {
    count: PixelCount,
    channels: usize,
    /// Every pair the whole picture has.
    all_pairs: u64,
    /// The row being counted, with every fully transparent pixel made one colour.
    row: Vec<u8>,
}

impl RowCounter {
    /// A counter for a `width` × `height` picture of `channels` bytes a pixel.
    pub fn new(width: usize, height: usize, channels: usize) -> Self {
        RowCounter {
            count: PixelCount {
                width,
                height,
                repeats: 0,
                smooth: 0,
                pairs: 0,
            },
            channels,
            all_pairs: (width.saturating_sub(1) as u64).saturating_mul(height as u64),
            row: Vec::new(),
        }
    }

    /// Count one row (`width × channels` bytes; a shorter one as far as it goes). With `alpha`, the last
    /// channel is opacity, and pixels no one can see are all alike whatever colour they keep.
    pub fn row(&mut self, row: &[u8], alpha: bool) {
        let channels = self.channels;
        if channels == 0 {
            return;
        }
        let width = (row.len() / channels).min(self.count.width);
        self.row.clear();
        self.row.extend_from_slice(&row[..width * channels]);
        if alpha {
            for pixel in self.row.chunks_exact_mut(channels) {
                if pixel[channels - 1] == 0 {
                    pixel.fill(0);
                }
            }
        }
        for i in 1..width {
            let here = &self.row[i * channels..(i + 1) * channels];
            let left = &self.row[(i - 1) * channels..i * channels];
            let repeat = here == left;
            let continues = i >= 2 && {
                let before = &self.row[(i - 2) * channels..(i - 1) * channels];
                here.iter().zip(left).zip(before).all(|((&h, &l), &b)| {
                    (i16::from(h) - 2 * i16::from(l) + i16::from(b)).abs() <= 1
                })
            };
            self.count.pairs += 1;
            self.count.repeats += u64::from(repeat);
            self.count.smooth += u64::from(repeat || continues);
        }
    }

    /// Whether the rows counted so far already rule a photograph out, whatever the rest hold.
    pub fn settled(&self) -> bool {
        self.count.repeats * 1000 >= PHOTOGRAPH_BELOW_PER_MILLE * self.all_pairs
            || self.count.smooth * 1000 >= SMOOTH_BELOW_PER_MILLE * self.all_pairs
    }

    /// The counts of the rows seen.
    pub fn finish(self) -> PixelCount {
        self.count
    }
}

/// Count the neighbouring pixels of `pixels` (`width` × `height`, row by row, `channels` bytes a pixel, no
/// alpha).
pub fn count_repeats(pixels: &[u8], width: usize, height: usize, channels: usize) -> PixelCount {
    let mut counter = RowCounter::new(width, height, channels);
    if channels > 0 && width > 0 {
        for row in pixels.chunks_exact(width * channels).take(height) {
            counter.row(row, false);
        }
    }
    counter.finish()
}

/// A raster picture (JPEG, PNG, GIF, WebP, TIFF) whose metadata named nothing, judged by its pixels: a
/// photograph is an asset of unknown terms, with the measure as its evidence; anything else (a drawing, a
/// picture that cannot be decoded) says nothing.
pub fn unsourced_photograph(path: &str, bytes: &[u8]) -> Option<ThirdPartyAsset> {
    let count = super::rasters::measure(bytes)?;
    if !count.is_photograph() {
        return None;
    }
    Some(ThirdPartyAsset {
        path: path.to_string(),
        kind: AssetKind::Image,
        holders: Vec::new(),
        terms: Terms::Unknown,
        evidence: describe(&count),
        about_fonts: false,
        component: None,
    })
}

/// The evidence line of a photograph with no source named.
pub fn describe(count: &PixelCount) -> String {
    let per_mille = count.repeats_per_mille();
    format!(
        "a photograph by its pixels ({}×{}, {}.{}% of neighbouring pixels repeat exactly, where a screenshot, \
         diagram or logo repeats most of them), and its metadata names no author, source or licence",
        count.width,
        count.height,
        per_mille / 10,
        per_mille % 10
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An RGB picture built row by row from runs of one colour each: `runs[row]` is a list of
    /// (colour, length).
    fn from_runs(width: usize, rows: &[Vec<([u8; 3], usize)>]) -> Vec<u8> {
        let mut out = Vec::new();
        for row in rows {
            let mut line: Vec<u8> = Vec::new();
            for (colour, len) in row {
                for _ in 0..*len {
                    line.extend(colour);
                }
            }
            line.resize(width * 3, 0);
            out.extend(line);
        }
        out
    }

    proptest! {
        /// Flat fills — the stuff of screenshots, diagrams, logos — are never a photograph, whatever their
        /// colours and size: every run of two pixels or more repeats at least half its pairs.
        #[test]
        fn a_picture_drawn_in_flat_runs_of_two_pixels_or_more_is_never_a_photograph(
            width in 64usize..200,
            height in 64usize..90,
            seed_runs in proptest::collection::vec((any::<[u8; 3]>(), 2usize..12), 1..60),
        ) {
            let rows: Vec<Vec<([u8; 3], usize)>> = (0..height)
                .map(|r| {
                    let mut row = Vec::new();
                    let mut filled = 0;
                    let mut i = r;
                    while filled < width {
                        let (colour, len) = seed_runs[i % seed_runs.len()];
                        let len = len.min(width - filled).max(2.min(width - filled));
                        row.push((colour, len));
                        filled += len;
                        i += 1;
                    }
                    row
                })
                .collect();
            let pixels = from_runs(width, &rows);
            let count = count_repeats(&pixels, width, height, 3);
            prop_assert!(count.repeats * 2 + height as u64 >= count.pairs, "{count:?}");
            prop_assert!(!count.is_photograph(), "{count:?}");
        }

        /// A picture in which no pixel repeats or continues its left neighbours (noise, texture) is a
        /// photograph once it is big enough to judge, and never below that.
        #[test]
        fn a_picture_of_noise_is_a_photograph_exactly_when_it_is_big_enough(
            width in 8usize..130,
            height in 8usize..130,
            start in any::<u8>(),
        ) {
            let mut pixels = Vec::with_capacity(width * height * 3);
            for r in 0..height {
                for c in 0..width {
                    // Values cycling by +3, +7, −10: never a repeat, never within one of a straight line.
                    let v = start.wrapping_add(((c + r) % 3 * 3 + (c + r) % 3 / 2 * 4) as u8);
                    pixels.extend([v, v.wrapping_mul(3), 7u8.wrapping_add(v)]);
                }
            }
            let count = count_repeats(&pixels, width, height, 3);
            prop_assert_eq!(count.repeats, 0);
            prop_assert_eq!(count.smooth, 0, "{:?}", count);
            prop_assert_eq!(count.pairs, ((width - 1) * height) as u64);
            prop_assert_eq!(count.is_photograph(), width >= MIN_SIDE && height >= MIN_SIDE);
        }

        /// Gradients — an icon's fill, a rendered colour ramp — are never a photograph, whatever their
        /// slopes, although along a gradient no pixel repeats its neighbour exactly.
        #[test]
        fn a_picture_of_gradients_is_never_a_photograph(
            width in 64usize..160,
            height in 64usize..100,
            slopes in any::<[i8; 3]>(),
            starts in any::<[u8; 3]>(),
            row_step in any::<[i8; 3]>(),
            steps in 1u8..9,
        ) {
            let mut pixels = Vec::with_capacity(width * height * 3);
            for r in 0..height {
                for c in 0..width {
                    for k in 0..3 {
                        // A ramp of slope `slopes[k] / steps` a pixel, rounded and clamped as a renderer does.
                        let v = i32::from(starts[k])
                            + i32::from(row_step[k]) * r as i32
                            + i32::from(slopes[k]) * c as i32 / i32::from(steps);
                        pixels.push(v.clamp(0, 255) as u8);
                    }
                }
            }
            let count = count_repeats(&pixels, width, height, 3);
            prop_assert!(!count.is_photograph(), "{count:?}");
        }
    }

    #[test]
    fn bytes_that_are_not_a_whole_jpeg_are_not_measured() {
        assert_eq!(super::super::jpeg_pixels(b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(
            super::super::jpeg_pixels(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16]),
            None
        );
        assert_eq!(unsourced_photograph("a.jpg", b"not an image"), None);
    }

    #[test]
    fn the_evidence_gives_the_size_and_the_share_of_repeats() {
        let count = PixelCount {
            width: 205,
            height: 115,
            repeats: 41,
            smooth: 80,
            pairs: 1000,
        };
        let line = describe(&count);
        assert!(line.contains("205×115"), "{line}");
        assert!(
            line.contains("4.1% of neighbouring pixels repeat exactly"),
            "{line}"
        );
        assert!(
            line.contains("names no author, source or licence"),
            "{line}"
        );
    }
}

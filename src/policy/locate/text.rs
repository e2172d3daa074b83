//! Offsets, lines and columns in the policy text, and the bracket-depth guard run before parsing.

use super::Location;

/// The deepest nesting of flow collections (`[`, `{`), counted without regard to quoting, and the byte offset
/// where it first passes `limit`. libyaml's scanner slows down with the square of this depth, so a hostile file
/// is refused before parsing. Brackets inside strings or comments count too; a real policy is nowhere near.
pub(crate) fn flow_depth_beyond(text: &str, limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (offset, byte) in text.bytes().enumerate() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(offset);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The byte offset of a location in `text` (libyaml counts columns in characters).
pub(crate) fn offset_of_location(text: &str, location: Location) -> Option<usize> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(location.line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let line = text.get(line_start..)?;
    let within = line
        .char_indices()
        .nth(location.column.checked_sub(1)?)
        .map_or(line.len(), |(offset, _)| offset);
    Some(line_start + within)
}

/// The location of a byte offset in `text` (columns count characters).
pub(crate) fn location_of_offset(text: &[u8], offset: usize) -> Location {
    let before = &text[..offset.min(text.len())];
    let line_start = before
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |newline| newline + 1);
    let line = before.iter().filter(|&&byte| byte == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Location { line, column }
}

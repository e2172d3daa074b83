//! Untrusted text: everything a watched repository (or anyone else keepopen does not answer for) wrote — licence
//! files, copyright holders, file and folder names, README sections, commit messages, ref names, reasons that
//! quote them — on its way to a reader. Two ways out, and only these two:
//!
//! - [`markdown`]: into the Markdown keepopen posts (proposal bodies, comments, step summaries, notices,
//!   reports). Untrusted text cannot change the document's structure: it becomes no tag, link, image, heading,
//!   list, table cell, mention or keepopen marker, whatever it holds.
//! - [`terminal`]: onto a terminal (`check`, `scan`, log lines). Control characters and bidirectional or
//!   invisible format characters are shown escaped (`\u{202e}`), so text cannot move the cursor, retitle the
//!   window, clear the screen or reorder what is shown around it.
//!
//! Both share [`is_hidden`]: the characters that are never shown as themselves.

pub mod markdown;
pub mod terminal;

/// A character that is never put out as itself: C0 and C1 controls and DEL, the Unicode line and paragraph
/// separators, and the format characters that are invisible or reorder text (bidi embeddings, overrides and
/// isolates, the directional marks, zero-width characters, the byte-order mark, interlinear annotation and tag
/// characters). Callers show it as `\u{…}`.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// `\u{202e}`: how a hidden character is shown.
pub fn escaped(c: char) -> String {
    format!("\\u{{{:x}}}", c as u32)
}

/// At most `max` characters of `text`, then `…(N more characters)` when some were left out.
pub fn cap(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => {
            let more = text[end..].chars().count();
            std::borrow::Cow::Owned(format!("{}…({more} more characters)", &text[..end]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_invisible_characters_are_hidden_and_letters_are_not() {
        for c in [
            '\u{1b}',
            '\u{7}',
            '\u{7f}',
            '\u{85}',
            '\u{9b}',
            '\u{202e}',
            '\u{2066}',
            '\u{2069}',
            '\u{200e}',
            '\u{200f}',
            '\u{061c}',
            '\u{200b}',
            '\u{feff}',
            '\u{2028}',
            '\u{e0041}',
        ] {
            assert!(is_hidden(c), "{c:?}");
        }
        for c in ['a', 'é', '名', ' ', '@', '\u{2014}', '…'] {
            assert!(!is_hidden(c), "{c:?}");
        }
        assert_eq!(escaped('\u{202e}'), "\\u{202e}");
    }

    #[test]
    fn a_cap_says_how_much_it_left_out() {
        assert_eq!(cap("abcdef", 10), "abcdef");
        assert_eq!(cap("abcdef", 6), "abcdef");
        assert_eq!(cap("abcdéf", 4), "abcd…(2 more characters)");
    }
}

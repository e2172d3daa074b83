//! Text as a person sees it. A licence is read by people, on a screen: what decides is what they see, not the
//! code points stored. Before any matching, a licence-like text is
//!
//! - normalised to NFKC (full-width letters, ligatures and compatibility forms become the letters they show);
//! - folded: a letter of another script that a reader takes for a Latin one (Unicode TR39 confusables: the
//!   Cyrillic `о` in "nоt") becomes that Latin letter, so the word is matched, and diffed, as it reads;
//! - decoded: HTML character references (`&copy;`, `&#x4E;ot`) become the characters a browser shows for them
//!   (a README or licence page is read rendered);
//! - stripped of invisible code points (default-ignorable: bidi embeddings and overrides, zero-width spaces
//!   and joiners, soft hyphens, a byte-order mark inside the text), which change what is displayed, or
//!   nothing, but never add a visible word.
//!
//! Each such code point, and each word that mixes scripts or reads as Latin while written in another script,
//! is reported with its line and code points ([`Deception`]): a licence file that shows one thing and stores
//! another needs a person, whatever the matching then finds. A zero-width separator or joiner between words
//! (or at a line's end) is removed but not reported: stored or removed, the line holds the same words, so
//! it cannot make what a person reads differ from what a program reads. Inside a word it can, and a bidi
//! control can reorder the words shown wherever it is: those are always reported — except a left-to-right
//! mark in a line that is displayed in stored order with or without it ([`displays_in_stored_order`]).
//!
//! The same module marks the lines of a document that a reader does not take as the document's own words
//! ([`structure`]): a fenced code block, a block quote and an HTML comment are quoted material (an example, a
//! text under discussion, a comment hidden from the rendered page), so a licence inside one grants nothing.
//! Pure functions over text.

use unicode_normalization::UnicodeNormalization;
use unicode_security::MixedScript;

/// What a text holds that makes what is shown differ from what is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deception {
    /// 1-based line.
    pub line: usize,
    /// What, in words, naming the code points (`U+202E`).
    pub what: String,
}

/// A text as read, and what in it a person would not see as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// NFKC, confusables folded to the Latin letters they show, invisible code points removed; line for line
    /// the same lines as the text read.
    pub text: String,
    pub deceptions: Vec<Deception>,
}

/// The most deceptions reported for one text: one is enough to need a person.
const MAX_DECEPTIONS: usize = 8;

fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// Whether `c` is default-ignorable (invisible: bidi controls, zero-width characters, soft hyphen, BOM,
/// variation selectors): TR39's skeleton drops exactly these, so a character whose skeleton is empty is one.
fn invisible(c: char) -> bool {
    !c.is_ascii()
        && unicode_security::skeleton(c.encode_utf8(&mut [0; 4]))
            .next()
            .is_none()
}

/// Variation selectors, and a zero-width joiner between two symbols, shape an emoji ("⚖️", "👩‍💻"): they
/// are invisible but change no word, so they are dropped without being reported.
fn emoji_glue(chars: &[char], at: usize) -> bool {
    let c = chars[at];
    let symbol = |k: Option<usize>| {
        k.and_then(|k| chars.get(k))
            .is_some_and(|c| !c.is_alphanumeric() && !c.is_whitespace() && !c.is_ascii())
    };
    matches!(c, '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}')
        || (c == '\u{200d}' && symbol(at.checked_sub(1)) && symbol(Some(at + 1)))
}

/// Zero-width code points that only separate or join: they change no letter and move nothing. Bidi controls
/// (which reorder what is shown), tag characters and fillers are not among them.
const ZERO_WIDTH: &[char] = &[
    '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}', '\u{ad}',
];

/// Whether the invisible code point at `at` sits between words: a zero-width separator or joiner whose
/// nearest visible neighbour on one side (or both) is not a letter or digit, or the line's end. Stored, it
/// splits no word; removed, it joins none: the line holds the same words either way, as shown and as stored,
/// so it cannot make a reader and a program read different words. One inside a word ("no\u{200b}t") can, and
/// a bidi control anywhere can reorder the words shown: those are deceptions.
fn between_words(chars: &[char], at: usize) -> bool {
    if !ZERO_WIDTH.contains(&chars[at]) {
        return false;
    }
    let word_char = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
    let before = chars[..at].iter().rev().find(|c| !invisible(**c));
    let after = chars[at + 1..].iter().find(|c| !invisible(**c));
    !(word_char(before) && word_char(after))
}

/// LEFT-TO-RIGHT MARK: a strong left-to-right character with no glyph.
const LRM: char = '\u{200e}';

/// Whether `c` is a left-to-right mark in a line displayed in stored order ([`displays_in_stored_order`]).
fn unmoving_mark(c: char, chars: &[char]) -> bool {
    c == LRM && displays_in_stored_order(chars)
}

/// Whether a line is displayed in the order it is stored, with its left-to-right marks or without them:
/// no character of a right-to-left script (Hebrew, Arabic, Syriac, Thaana, N'Ko, … and their presentation
/// forms: every character of bidi class R, AL or AN lies in these blocks) and no directional control other
/// than LRM (RLM, the embeddings, overrides and isolates, ALM). By the Unicode Bidirectional Algorithm
/// (UAX #9) such a paragraph is left-to-right (its first strong character is L, or it has none), every
/// character resolves to level 0 (a neutral between two L's, or the paragraph's edge, takes L; a European
/// number after L stays L), and a line all at level 0 is displayed in stored order. An LRM there changes
/// nothing a person sees: it is dropped like any invisible code point and not reported
/// (ONSdigital/dp-filter-api's vendored `Copyright ©\u{200e} 2018`). Anywhere else it, like every other bidi
/// control, is reported: it may reorder what is shown (the property tests in `tests/it/hostile.rs`).
fn displays_in_stored_order(chars: &[char]) -> bool {
    chars.iter().all(|&c| {
        !matches!(c,
            '\u{0590}'..='\u{08ff}'        // Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, Arabic Ext.
            | '\u{fb1d}'..='\u{fdff}'      // Hebrew and Arabic presentation forms A
            | '\u{fe70}'..='\u{feff}'      // Arabic presentation forms B
            | '\u{10800}'..='\u{10fff}'    // right-to-left scripts of the SMP
            | '\u{1e800}'..='\u{1efff}'    // Mende Kikakui, Adlam, Arabic mathematical symbols, …
            | '\u{200f}'                    // RLM (ALM, U+061C, is in the Arabic block)
            | '\u{202a}'..='\u{202e}'      // embeddings, overrides, PDF
            | '\u{2066}'..='\u{2069}') // isolates, PDI
    })
}

/// The ASCII letters a reader takes `c` for, when `c` is a letter outside ASCII that TR39 lists as confusable
/// with ASCII letters only (Cyrillic `о` → `o`, Greek `Α` → `A`); letters with accents (`é`) are left alone.
fn latin_lookalike(c: char) -> Option<String> {
    if c.is_ascii() || !c.is_alphabetic() {
        return None;
    }
    let folded: String = unicode_security::skeleton(c.encode_utf8(&mut [0; 4])).collect();
    (!folded.is_empty() && folded.chars().all(|f| f.is_ascii_alphabetic())).then_some(folded)
}

/// Whether a character belongs to the Latin script, or to none in particular (digits, punctuation).
fn latin_or_common(c: char) -> bool {
    use unicode_security::mixed_script::AugmentedScriptSet;
    let set = AugmentedScriptSet::for_char(c);
    let mut latin = AugmentedScriptSet::for_char('a');
    latin.intersect_with(set);
    set.is_all() || !latin.is_empty()
}

/// The text with every line break a person sees written as `\n`: CRLF and LF stay, and NEL (U+0085), LINE
/// SEPARATOR (U+2028), PARAGRAPH SEPARATOR (U+2029) and a lone CR (classic Mac OS) become `\n`, so that a licence
/// written with them is read line by line like any other.
fn with_line_breaks(text: &str) -> std::borrow::Cow<'_, str> {
    let lone_cr = |t: &str| {
        t.match_indices('\r')
            .any(|(i, _)| !t[i + 1..].starts_with('\n'))
    };
    if !text.contains(['\u{85}', '\u{2028}', '\u{2029}']) && !lone_cr(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => out.push('\r'),
            '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Read a text as a person sees it (see the module docs).
pub fn as_seen(text: &str) -> Seen {
    let text: &str = &with_line_breaks(text);
    if text.is_ascii() && !text.contains('&') {
        return Seen {
            text: text.to_string(),
            deceptions: Vec::new(),
        };
    }
    let mut out = String::with_capacity(text.len());
    let mut deceptions = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let decoded = decode_references(line);
        let line: &str = &decoded;
        if line.is_ascii() {
            out.push_str(line);
            continue;
        }
        let line_no = i + 1;
        // A byte-order mark opening the text is an encoding mark, not content.
        let line = if i == 0 {
            line.strip_prefix('\u{feff}').unwrap_or(line)
        } else {
            line
        };
        let chars: Vec<char> = line.chars().collect();
        let hidden: Vec<String> = chars
            .iter()
            .enumerate()
            .filter(|(k, c)| {
                invisible(**c)
                    && !emoji_glue(&chars, *k)
                    && !between_words(&chars, *k)
                    && !unmoving_mark(**c, &chars)
            })
            .map(|(_, c)| code_point(*c))
            .collect();
        if !hidden.is_empty() && deceptions.len() < MAX_DECEPTIONS {
            deceptions.push(Deception {
                line: line_no,
                what: format!(
                    "invisible or direction-changing code points ({}): what is displayed is not what is stored",
                    dedup(hidden).join(", ")
                ),
            });
        }
        let visible: String = line.chars().filter(|c| !invisible(*c)).collect();
        disguised_words(line_no, &visible, &mut deceptions);
        for c in visible.nfkc() {
            match latin_lookalike(c) {
                Some(folded) if !latin_or_common(c) => out.push_str(&folded),
                _ => out.push(c),
            }
        }
    }
    Seen {
        text: out,
        deceptions,
    }
}

/// Words that mix scripts, or are written in another script but read as Latin.
fn disguised_words(line_no: usize, visible: &str, deceptions: &mut Vec<Deception>) {
    for word in visible
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_ascii())
    {
        let lookalikes: Vec<char> = word
            .chars()
            .filter(|c| !latin_or_common(*c) && latin_lookalike(*c).is_some())
            .collect();
        let all_latin_looking = word
            .chars()
            .all(|c| latin_or_common(c) || latin_lookalike(c).is_some());
        let mixed = !word.is_single_script();
        if (mixed || (all_latin_looking && !lookalikes.is_empty()))
            && deceptions.len() < MAX_DECEPTIONS
        {
            let points: Vec<String> = word
                .chars()
                .filter(|c| !c.is_ascii())
                .map(code_point)
                .collect();
            deceptions.push(Deception {
                line: line_no,
                what: format!(
                    "the word \"{word}\" {} ({})",
                    if mixed {
                        "mixes scripts"
                    } else {
                        "is written in another script but reads as Latin"
                    },
                    dedup(points).join(", ")
                ),
            });
        }
    }
}

/// A line with its HTML character references (`&copy;`, `&amp;`, `&#x4E;`, `&#78;`) replaced by the characters
/// a browser shows for them, in Markdown and HTML alike. A reference to a line break or carriage return becomes
/// a space, so the text keeps its lines (every report quotes a line by its number); a reference to an
/// invisible or direction-changing code point becomes that code point, and is then named like one written
/// directly. Text without a reference is returned as it is.
fn decode_references(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains('&') {
        return std::borrow::Cow::Borrowed(line);
    }
    let (body, cr) = match line.strip_suffix('\r') {
        Some(body) => (body, "\r"),
        None => (line, ""),
    };
    let decoded = html_escape::decode_html_entities(body);
    if decoded == body {
        return std::borrow::Cow::Borrowed(line);
    }
    let kept: String = decoded
        .chars()
        .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c })
        .collect();
    std::borrow::Cow::Owned(format!("{kept}{cr}"))
}

fn dedup(mut items: Vec<String>) -> Vec<String> {
    let mut seen = Vec::new();
    items.retain(|i| {
        if seen.contains(i) {
            false
        } else {
            seen.push(i.clone());
            true
        }
    });
    items
}

/// How a reader takes one line of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// The document's own words.
    Own,
    /// Inside a fenced code block (```` ``` ```` or `~~~`), fences included: an example.
    Fenced,
    /// A block quote (`>`): someone else's words, or words under discussion.
    Quoted,
    /// Inside an HTML comment: hidden from the rendered page.
    Commented,
}

impl Block {
    pub fn describe(self) -> &'static str {
        match self {
            Block::Own => "the document's own words",
            Block::Fenced => "inside a fenced code block (an example)",
            Block::Quoted => "inside a block quote (quoted, not stated)",
            Block::Commented => "inside an HTML comment (hidden from the page)",
        }
    }
}

/// How each line of a document is read (index 0 is line 1): the Markdown structure that quotes rather than
/// states. Read on every licence-like text, whatever its extension: in a plain file the marks still show
/// the reader that the words are set apart, and reading them as quoted can only ask for review.
pub fn structure(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut comment = false;
    for line in text.lines() {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        if let Some((mark, len)) = fence {
            out.push(Block::Fenced);
            let run = t.chars().take_while(|c| *c == mark).count();
            if run >= len && t[run * mark.len_utf8()..].trim().is_empty() {
                fence = None;
            }
            continue;
        }
        if comment {
            out.push(Block::Commented);
            if t.contains("-->") {
                comment = false;
            }
            continue;
        }
        if indent <= 3 {
            let backticks = t.chars().take_while(|c| *c == '`').count();
            let tildes = t.chars().take_while(|c| *c == '~').count();
            if backticks >= 3 {
                fence = Some(('`', backticks));
                out.push(Block::Fenced);
                continue;
            }
            if tildes >= 3 {
                fence = Some(('~', tildes));
                out.push(Block::Fenced);
                continue;
            }
            if t.starts_with('>') {
                out.push(Block::Quoted);
                continue;
            }
        }
        if let Some(after) = t.strip_prefix("<!--") {
            out.push(Block::Commented);
            comment = !after.contains("-->");
            continue;
        }
        out.push(Block::Own);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ascii_is_seen_as_stored() {
        let seen = as_seen("Permission is hereby granted\n");
        assert_eq!(seen.text, "Permission is hereby granted\n");
        assert!(seen.deceptions.is_empty());
    }

    #[test]
    fn html_character_references_are_read_as_the_page_shows_them_line_for_line() {
        let seen = as_seen(
            "&copy; Crown copyright\n&#x4E;ot for redistribution&#10;at all\r\nA &amp; B\n",
        );
        assert_eq!(
            seen.text,
            "\u{a9} Crown copyright\nNot for redistribution at all\r\nA & B\n"
        );
        assert!(seen.deceptions.is_empty(), "{:?}", seen.deceptions);
        // A reference to a direction-changing code point is that code point, named like one written directly.
        let seen = as_seen("MIT\nPermission is &#x202E;ton&#x202C; hereby granted\n");
        assert_eq!(seen.deceptions.len(), 1, "{:?}", seen.deceptions);
        assert_eq!(seen.deceptions[0].line, 2);
        assert!(seen.deceptions[0].what.contains("U+202E"));
    }

    #[test]
    fn a_cyrillic_letter_in_a_latin_word_is_folded_and_named() {
        let seen = as_seen("MIT\nPermission is n\u{43e}t hereby granted");
        assert_eq!(seen.text, "MIT\nPermission is not hereby granted");
        assert_eq!(seen.deceptions.len(), 1);
        assert_eq!(seen.deceptions[0].line, 2);
        assert!(
            seen.deceptions[0].what.contains("U+043E"),
            "{:?}",
            seen.deceptions
        );
    }

    #[test]
    fn a_word_wholly_in_greek_letters_that_reads_as_latin_is_named() {
        // "ΝΟΤ" in Greek capitals reads "NOT".
        let seen = as_seen("Permission is \u{39d}\u{39f}\u{3a4} granted");
        assert_eq!(seen.text, "Permission is NOT granted");
        assert!(
            seen.deceptions[0].what.contains("U+039D"),
            "{:?}",
            seen.deceptions
        );
    }

    #[test]
    fn bidi_controls_zero_width_and_soft_hyphens_are_removed_and_named() {
        for c in [
            '\u{202e}', '\u{2066}', '\u{200b}', '\u{200f}', '\u{ad}', '\u{feff}',
        ] {
            let seen = as_seen(&format!("line one\nis t{c}on granted"));
            assert_eq!(seen.text, "line one\nis ton granted", "{c:?}");
            assert_eq!(seen.deceptions.len(), 1, "{c:?}");
            assert_eq!(seen.deceptions[0].line, 2);
            assert!(
                seen.deceptions[0].what.contains(&code_point(c)),
                "{:?}",
                seen.deceptions
            );
        }
        // A byte-order mark at the very start is the encoding's, not the text's.
        assert!(as_seen("\u{feff}MIT License").deceptions.is_empty());
        // Emoji are shaped by invisible code points that change no word.
        let emoji = as_seen("## \u{2696}\u{fe0f} Licence by \u{1f469}\u{200d}\u{1f4bb}");
        assert!(emoji.deceptions.is_empty(), "{:?}", emoji.deceptions);
        // A joiner between letters is no emoji.
        assert_eq!(as_seen("n\u{200d}ot").deceptions.len(), 1);
    }

    #[test]
    fn a_zero_width_character_between_words_changes_no_word_and_is_not_named() {
        // README.md:86 of dstl/Human-Interface-Horizons ends its licence sentence with a U+200B: stored or
        // removed, the line holds the same words.
        for c in ['\u{200b}', '\u{200c}', '\u{2060}', '\u{ad}', '\u{feff}'] {
            for text in [
                format!("visit the [licence page](http://x.gov.uk/ogl/).{c}"),
                format!("Permission is{c} granted"),
                format!("Permission is {c}granted"),
                format!("{c}MIT"),
            ] {
                let seen = as_seen(&text);
                assert!(
                    seen.deceptions.is_empty(),
                    "{text:?}: {:?}",
                    seen.deceptions
                );
                assert_eq!(seen.text, text.replace(c, ""), "{text:?}");
            }
            // Inside a word it joins letters a reader sees as one word and a program may read as two.
            for text in [
                format!("Permission is no{c}t granted"),
                format!("version 1{c}0"),
            ] {
                assert_eq!(as_seen(&text).deceptions.len(), 1, "{text:?}");
            }
        }
        // A direction-changing control reorders what is shown wherever it is: named between words too.
        for c in ['\u{202e}', '\u{2066}', '\u{200f}', '\u{61c}'] {
            let text = format!("Permission is granted.{c}");
            assert_eq!(as_seen(&text).deceptions.len(), 1, "{c:?}");
            let text = format!("Permission is {c} granted");
            assert_eq!(as_seen(&text).deceptions.len(), 1, "{c:?}");
        }
    }

    #[test]
    fn accented_latin_and_other_scripts_in_their_own_words_are_not_deceptions() {
        for text in [
            "Licence © Crown copyright — Gweinyddiaeth Cymru, café, naïve, Zürich",
            "Лицензия MIT",
            "“quoted” ‘text’ – dash … ellipsis",
        ] {
            assert!(
                as_seen(text).deceptions.is_empty(),
                "{text}: {:?}",
                as_seen(text)
            );
        }
        // Compatibility forms are read as the letters they show.
        assert_eq!(as_seen("ﬁle ＭＩＴ").text, "file MIT");
    }

    #[test]
    fn fences_quotes_and_comments_are_marked_line_by_line() {
        let doc = "# Licence\n\n```\nMIT\n```\n> quoted\nown\n<!--\nhidden\n-->\n<!-- one line -->\n~~~~\nx\n~~~\nstill fenced\n~~~~\nafter";
        use Block::*;
        assert_eq!(
            structure(doc),
            [
                Own, Own, Fenced, Fenced, Fenced, Quoted, Own, Commented, Commented, Commented,
                Commented, Fenced, Fenced, Fenced, Fenced, Fenced, Own
            ]
        );
    }
}

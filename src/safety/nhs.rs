//! NHS numbers in text: find 10-digit numbers (`4010232137`, `401 023 2137`, `401-023-2137`), keep those whose
//! modulus-11 check digit is right, and sort them into patient numbers and test numbers. Pure functions.
//!
//! Decisions (documented in docs/safety.md):
//! - the check digit: weights 10..2 on the first nine digits, `11 - (sum mod 11)`, 11 → 0, 10 → never valid;
//! - a number whose digits are all the same (`4444444444`) passes the check by arithmetic alone and is a
//!   placeholder, not a person: ignored;
//! - numbers starting with 9 are test numbers (NHS test data lives there: 999 xxx xxxx, and sandbox patients such
//!   as 943 476 5919): counted apart, never blocking;
//! - numbers starting with 0, 1 or 2 are ignored: NHS numbers are issued from 3xx (Northern Ireland) and 4xx–8xx
//!   (England, Wales, Isle of Man); numbers starting 0–3 are mostly Scotland's CHI numbers (a date of birth and
//!   four digits), which this rule does not claim to find, and ten-digit Unix timestamps (1.7e9) would otherwise
//!   flood it;
//! - a number glued to letters or to more digits (`x4010232137`, `40102321370`), or part of a decimal
//!   (`0.4010232137`), is not a candidate;
//! - valid numbers are **evidence of NHS numbers** only when chance does not explain them (see
//!   [`NhsCount::is_evidence`]): one ten-digit number in eleven passes the check by arithmetic alone, so a file
//!   of puzzle inputs, measurements or ids holds "valid" numbers at that rate, while a list of NHS numbers holds
//!   nothing else. The file either names them (the word `NHS`, as in a `nhs_number` column or an `NHS No:`
//!   label), or the share of its in-range numbers that pass is too high for chance ([`CHANCE_LIMIT`]).

use serde::{Deserialize, Serialize};

/// How a well-formed ten-digit number reads as an NHS number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NhsClass {
    /// A valid number in the issued ranges: a person's identifier.
    Patient,
    /// A valid number in the test range (first digit 9).
    Test,
    /// The check digit is wrong.
    InvalidCheckDigit,
    /// Not an NHS number whatever its check digit: starts with 0–2, or all digits are the same.
    OutOfRange,
}

/// Whether the tenth digit is the modulus-11 check digit of the first nine.
pub fn check_digit_is_valid(digits: &[u8; 10]) -> bool {
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    let check = 11 - (sum % 11);
    let check = if check == 11 { 0 } else { check };
    check != 10 && check == u32::from(digits[9])
}

/// Classify ten digits (each 0–9).
pub fn classify(digits: &[u8; 10]) -> NhsClass {
    if digits[0] <= 2 || digits.iter().all(|d| *d == digits[0]) {
        return NhsClass::OutOfRange;
    }
    if !check_digit_is_valid(digits) {
        return NhsClass::InvalidCheckDigit;
    }
    if digits[0] == 9 {
        NhsClass::Test
    } else {
        NhsClass::Patient
    }
}

/// Ten-digit candidates in `text`: byte offset and digits. Accepts `dddddddddd`, `ddd ddd dddd` and
/// `ddd-ddd-dddd` (one separator kind per number).
///
/// Every form opens with a run of at least three digits, so only such runs are tried, found by
/// [`next_three_digits`] eight bytes at a time; a run of one or two digits can open nothing.
pub fn candidates(text: &[u8]) -> Vec<(usize, [u8; 10])> {
    let mut out = Vec::new();
    let n = text.len();
    let mut i = 0;
    // `i` is 0 or a byte that is not a digit, so the first three digits at or after it open a run.
    while let Some(run_start) = next_three_digits(text, i) {
        i = run_start;
        let glued_before = i > 0
            && (text[i - 1].is_ascii_alphanumeric()
                || (text[i - 1] == b'.' && i > 1 && text[i - 2].is_ascii_digit()));
        if !glued_before && let Some((digits, end)) = parse_at(text, i) {
            let glued_after = end < n
                && (text[end].is_ascii_alphanumeric()
                    || (text[end] == b'.' && end + 1 < n && text[end + 1].is_ascii_digit()));
            if !glued_after {
                out.push((run_start, digits));
                i = end;
                continue;
            }
        }
        while i < n && text[i].is_ascii_digit() {
            i += 1;
        }
    }
    out
}

/// The first offset at or after `from` where three digits in a row begin.
fn next_three_digits(text: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    let mut at = from;
    // Eight bytes at a time, one bit a byte: the high bit of each byte of `digits` is set when that byte is a
    // digit. A digit xor `0` is below 10 (and below 0x80, so adding 0x76 leaves the high bit clear and carries
    // into no other byte). Bytes 0 to 5 can then say whether three digits begin there; the next word starts at
    // byte 6.
    while at + 8 <= text.len() {
        let word = u64::from_le_bytes(text[at..at + 8].try_into().expect("eight bytes"));
        let x = word ^ (ONES * u64::from(b'0'));
        let digits = !(((x & !HIGH) + ONES * 0x76) | x) & HIGH;
        let three = digits & (digits >> 8) & (digits >> 16);
        if three != 0 {
            return Some(at + three.trailing_zeros() as usize / 8);
        }
        at += 6;
    }
    (at..text.len().saturating_sub(2)).find(|&k| text[k..k + 3].iter().all(u8::is_ascii_digit))
}

/// Parse `ddd[s]ddd[s]dddd` at `start`; returns the digits and the end offset.
fn parse_at(text: &[u8], start: usize) -> Option<([u8; 10], usize)> {
    let mut digits = [0u8; 10];
    let mut count = 0;
    let mut i = start;
    let mut separator: Option<u8> = None;
    while count < 10 {
        let b = *text.get(i)?;
        if b.is_ascii_digit() {
            digits[count] = b - b'0';
            count += 1;
            i += 1;
            continue;
        }
        let at_group_edge = count == 3 || count == 6;
        let next_is_digit = text.get(i + 1).is_some_and(u8::is_ascii_digit);
        if (b == b' ' || b == b'-') && at_group_edge && next_is_digit {
            match separator {
                None if count == 3 => separator = Some(b),
                Some(s) if s == b && count == 6 => {}
                _ => return None,
            }
            i += 1;
            continue;
        }
        return None;
    }
    // `ddd ddddddd` mixes forms: either both separators or none.
    if separator.is_some() && text[start + 3] != text[start + 7] {
        return None;
    }
    Some((digits, i))
}

/// What one text holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NhsCount {
    /// Distinct valid patient numbers.
    pub patient: usize,
    /// Distinct valid test numbers (first digit 9).
    pub test: usize,
    /// The 1-based line of the first patient number.
    pub first_line: Option<usize>,
    /// The first patient number's digits, for a masked excerpt.
    #[serde(skip)]
    pub first: Option<[u8; 10]>,
    /// Ten-digit numbers in the issued ranges (first digit 3–8), each place once, valid or not.
    #[serde(skip)]
    pub in_range: usize,
    /// Those of them whose check digit is right.
    #[serde(skip)]
    pub in_range_valid: usize,
    /// The text names NHS numbers: the word `NHS` stands in it (see [`names_nhs`]).
    #[serde(skip)]
    pub named: bool,
}

/// The chance, at most, that a text's valid numbers are there by arithmetic alone for them to be evidence
/// unnamed: one in 100,000 texts. Five valid numbers out of five pass it (`(1/11)^5` ≈ 6e-6); four of four
/// (7e-5), or a puzzle file's 10 of 146, do not.
pub const CHANCE_LIMIT: f64 = 1e-5;

/// The share of uniformly random ten-digit numbers whose check digit is right: the check is 10 (never valid)
/// for one nine-digit head in eleven, and one of ten last digits matches the others: 10/11 × 1/10 = 1/11.
pub const CHANCE_VALID: f64 = 1.0 / 11.0;

impl NhsCount {
    /// Whether the valid patient numbers are evidence of NHS numbers, not of arithmetic: the text names them,
    /// or chance is unlikely ([`CHANCE_LIMIT`]) to give as many valid numbers among its in-range ones.
    ///
    /// Invariant: a text whose in-range numbers all pass, five or more of them, is evidence whatever surrounds
    /// them; and so is any text with the word `NHS` in it. What this cannot see: a few real numbers drowned in
    /// many random ones, unnamed — a reviewer could not tell them apart either.
    pub fn is_evidence(&self) -> bool {
        self.named || chance_of_at_least(self.in_range_valid, self.in_range) <= CHANCE_LIMIT
    }
}

/// The probability that `n` random ten-digit numbers hold at least `k` valid ones (each with probability
/// [`CHANCE_VALID`]): the binomial upper tail, summed in logarithms from `k` until its terms stop mattering.
pub fn chance_of_at_least(k: usize, n: usize) -> f64 {
    let p = CHANCE_VALID;
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    // ln C(n, k) + k ln p + (n - k) ln (1 - p)
    let ln_choose: f64 = (0..k)
        .map(|j| ((n - j) as f64).ln() - ((j + 1) as f64).ln())
        .sum();
    let mut ln_term = ln_choose + k as f64 * p.ln() + (n - k) as f64 * (1.0 - p).ln();
    let mut total = 0.0f64;
    for i in k..=n {
        let term = ln_term.exp();
        total += term;
        if i > (n as f64 * p) as usize && term < total * 1e-12 {
            break;
        }
        // term(i + 1) = term(i) × (n − i)/(i + 1) × p/(1 − p)
        ln_term += ((n - i) as f64).ln() - ((i + 1) as f64).ln() + (p / (1.0 - p)).ln();
    }
    total.min(1.0)
}

/// Whether `text` names NHS numbers: the letters `nhs` in any case, not preceded by a letter (`nhs_number`,
/// `nhsNumber`, `NHS No:`, `"NHS number"`; not `dnhs`). A file of patients' records calls its numbers by
/// their name; a file of random integers does not.
pub fn names_nhs(text: &[u8]) -> bool {
    text.windows(3).enumerate().any(|(i, w)| {
        w.eq_ignore_ascii_case(b"nhs") && (i == 0 || !text[i - 1].is_ascii_alphabetic())
    })
}

/// Count the distinct patient and test NHS numbers in `text`.
pub fn count(text: &[u8]) -> NhsCount {
    let mut tally = NhsTally::default();
    tally.add(text, 0, 0);
    tally.finish()
}

/// Distinct numbers counted over several pieces of one text (the windows of a large blob), which may overlap.
#[derive(Debug, Default)]
pub(crate) struct NhsTally {
    patient: std::collections::HashSet<[u8; 10]>,
    test: std::collections::HashSet<[u8; 10]>,
    first: Option<(usize, [u8; 10], usize)>,
    /// The offset of the last place counted in `in_range`: pieces overlap, a place is counted once.
    last_counted: Option<usize>,
    in_range: usize,
    in_range_valid: usize,
    named: bool,
}

impl NhsTally {
    /// Count the numbers in `piece`, which starts at byte `offset` and line `lines_before + 1` of the text.
    pub(crate) fn add(&mut self, piece: &[u8], offset: usize, lines_before: usize) {
        self.named = self.named || names_nhs(piece);
        for (at, digits) in candidates(piece) {
            let class = classify(&digits);
            if matches!(class, NhsClass::Patient | NhsClass::InvalidCheckDigit)
                && self.last_counted.is_none_or(|last| offset + at > last)
            {
                self.last_counted = Some(offset + at);
                self.in_range += 1;
                self.in_range_valid += usize::from(class == NhsClass::Patient);
            }
            match class {
                NhsClass::Patient => {
                    if self.first.is_none_or(|(o, _, _)| offset + at < o) {
                        let line =
                            lines_before + 1 + piece[..at].iter().filter(|b| **b == b'\n').count();
                        self.first = Some((offset + at, digits, line));
                    }
                    self.patient.insert(digits);
                }
                NhsClass::Test => {
                    self.test.insert(digits);
                }
                NhsClass::InvalidCheckDigit | NhsClass::OutOfRange => {}
            }
        }
    }

    pub(crate) fn finish(self) -> NhsCount {
        NhsCount {
            patient: self.patient.len(),
            test: self.test.len(),
            first_line: self.first.map(|(_, _, line)| line),
            first: self.first.map(|(_, digits, _)| digits),
            in_range: self.in_range,
            in_range_valid: self.in_range_valid,
            named: self.named,
        }
    }
}

/// Extensions of files that hold data in rows or records.
const TABULAR_EXTENSIONS: &[&str] = &[
    "csv", "tsv", "psv", "tab", "dat", "json", "jsonl", "ndjson", "sql", "xml", "txt", "xls",
    "xlsx", "ods", "yaml", "yml", "parquet", "log",
];

/// Whether a file looks like tabular data: by extension (csv, tsv, json, sql, SpreadsheetML xml, txt…), or by
/// content (among the first 50 non-empty lines, at least 3 and four in five share the same non-zero count of
/// commas, tabs, semicolons or pipes).
pub fn looks_tabular(path: &str, text: &[u8]) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if let Some((_, extension)) = name.rsplit_once('.')
        && TABULAR_EXTENSIONS.contains(&extension)
    {
        return true;
    }
    let lines: Vec<&[u8]> = text
        .split(|b| *b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(50)
        .collect();
    if lines.len() < 3 {
        return false;
    }
    [b',', b'\t', b';', b'|'].iter().any(|delimiter| {
        let mut tally: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        for line in &lines {
            let n = line.iter().filter(|b| *b == delimiter).count();
            if n > 0 {
                *tally.entry(n).or_default() += 1;
            }
        }
        tally
            .values()
            .any(|&same| same >= 3 && same * 5 >= lines.len() * 4)
    })
}

/// `4010******`: the first four digits, the rest masked.
pub fn masked(digits: &[u8; 10]) -> String {
    let head: String = digits[..4].iter().map(|d| char::from(b'0' + d)).collect();
    format!("{head}******")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// [`candidates`] one byte at a time, without the skip: what the skip must not change.
    fn candidates_bytewise(text: &[u8]) -> Vec<(usize, [u8; 10])> {
        let mut out = Vec::new();
        let n = text.len();
        let mut i = 0;
        while i < n {
            if !text[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let glued_before = i > 0
                && (text[i - 1].is_ascii_alphanumeric()
                    || (text[i - 1] == b'.' && i > 1 && text[i - 2].is_ascii_digit()));
            if !glued_before && let Some((digits, end)) = parse_at(text, i) {
                let glued_after = end < n
                    && (text[end].is_ascii_alphanumeric()
                        || (text[end] == b'.' && end + 1 < n && text[end + 1].is_ascii_digit()));
                if !glued_after {
                    out.push((i, digits));
                    i = end;
                    continue;
                }
            }
            while i < n && text[i].is_ascii_digit() {
                i += 1;
            }
        }
        out
    }

    proptest! {
        /// Skipping ahead over bytes that cannot open a number finds exactly the numbers a byte-by-byte scan
        /// finds, on text dense in digits, separators and letters.
        #[test]
        fn three_digits_are_found_eight_bytes_at_a_time_as_one_at_a_time(
            text in prop::collection::vec(prop_oneof![b'0'..=b'9', any::<u8>()], 0..120),
            from in 0usize..130,
        ) {
            let from = from.min(text.len());
            let bytewise = (from..text.len().saturating_sub(2))
                .find(|&k| text[k..k + 3].iter().all(u8::is_ascii_digit));
            prop_assert_eq!(next_three_digits(&text, from), bytewise);
        }

        #[test]
        fn the_skipping_scan_finds_what_a_bytewise_scan_finds(text in "([0-9]{1,12}|[ .a-]){0,60}") {
            prop_assert_eq!(candidates(text.as_bytes()), candidates_bytewise(text.as_bytes()));
        }
    }

    pub(crate) fn digits(text: &str) -> [u8; 10] {
        let v: Vec<u8> = text
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        v.try_into().unwrap()
    }

    #[test]
    fn check_digit_table() {
        let cases = [
            ("9434765919", true),  // the NHS test number used in documentation
            ("9434765918", false), // its last digit changed
            ("4010232137", true),
            ("4010232138", false),
            ("6069847393", true),
            ("6069847396", false),
            ("1000000001", true), // sum 10: check 11 - 10 = 1
            ("0000000000", true), // sum 0: check 11 → 0 (valid arithmetic; `classify` rules it out)
        ];
        for (text, expected) in cases {
            assert_eq!(check_digit_is_valid(&digits(text)), expected, "{text}");
        }
    }

    #[test]
    fn a_check_digit_of_ten_is_never_valid() {
        // 1 0 0 0 0 0 0 0 1: sum = 10 + 2 = 12, 12 mod 11 = 1, 11 - 1 = 10.
        for last in 0..=9u8 {
            let mut d = digits("1000000010");
            d[9] = last;
            assert!(!check_digit_is_valid(&d), "last digit {last}");
        }
    }

    #[test]
    fn classify_table() {
        let cases = [
            ("4010232137", NhsClass::Patient),
            ("4010232138", NhsClass::InvalidCheckDigit),
            ("9434765919", NhsClass::Test),
            ("9990000018", NhsClass::Test),
            ("4444444444", NhsClass::OutOfRange),
            ("1700000000", NhsClass::OutOfRange),
            ("0123456789", NhsClass::OutOfRange),
        ];
        for (text, expected) in cases {
            assert_eq!(classify(&digits(text)), expected, "{text}");
        }
    }

    #[test]
    fn candidate_forms_table() {
        let cases: &[(&str, &[&str])] = &[
            ("4010232137", &["4010232137"]),
            ("401 023 2137", &["4010232137"]),
            ("401-023-2137", &["4010232137"]),
            ("a,401 023 2137,b", &["4010232137"]),
            ("401 023-2137", &[]), // mixed separators
            ("401 0232137", &[]),  // one separator
            ("40102321370", &[]),  // eleven digits
            ("x4010232137", &[]),  // glued to letters
            ("4010232137x", &[]),
            ("0.4010232137", &[]), // a decimal
            ("4010232137.5", &[]),
            ("4010232137\n6069847391", &["4010232137", "6069847391"]),
            ("020 7946 0958", &[]), // a phone number's grouping
        ];
        for (text, expected) in cases {
            let found: Vec<String> = candidates(text.as_bytes())
                .into_iter()
                .map(|(_, d)| d.iter().map(|x| char::from(b'0' + x)).collect())
                .collect();
            assert_eq!(&found, expected, "{text:?}");
        }
    }

    #[test]
    fn count_separates_patient_and_test_numbers_and_dedupes() {
        let text = b"id,nhs\n1,4010232137\n2,401 023 2137\n3,9434765919\n4,4010232138\n";
        let c = count(text);
        assert_eq!(c.patient, 1, "the same number twice counts once");
        assert_eq!(c.test, 1);
        assert_eq!(c.first_line, Some(2));
        assert_eq!(masked(&c.first.unwrap()), "4010******");
    }

    #[test]
    fn the_chance_of_valid_numbers_is_the_binomial_tail_at_one_in_eleven() {
        let p = 1.0 / 11.0;
        assert!((chance_of_at_least(3, 3) - p * p * p).abs() < 1e-12);
        assert!((chance_of_at_least(1, 1) - p).abs() < 1e-12);
        assert_eq!(chance_of_at_least(0, 5), 1.0);
        assert_eq!(chance_of_at_least(6, 5), 0.0);
        // One of two: 1 - (10/11)^2.
        assert!((chance_of_at_least(1, 2) - (1.0 - (10.0f64 / 11.0).powi(2))).abs() < 1e-12);
        // About the expected share is likely; far above it is not.
        assert!(chance_of_at_least(10, 146) > 0.3);
        assert!(chance_of_at_least(5, 5) <= CHANCE_LIMIT);
        assert!(chance_of_at_least(4, 4) > CHANCE_LIMIT);
        assert!(
            chance_of_at_least(1_000, 1_000_000) > 0.99,
            "a huge file at chance rate"
        );
    }

    #[test]
    fn a_text_names_nhs_numbers_by_the_word_nhs() {
        for named in [
            "nhs_number\n",
            "id,NHS No,name",
            "{\"nhsNumber\": 1}",
            "NHS number: 401",
        ] {
            assert!(names_nhs(named.as_bytes()), "{named}");
        }
        for unnamed in ["seeds: 1 2 3", "dnhs", "Xnhs"] {
            assert!(!names_nhs(unnamed.as_bytes()), "{unnamed}");
        }
    }

    /// Ten-digit numbers starting 3–8 with a valid check digit, from arbitrary nine-digit heads.
    fn valid_from_heads(heads: &[u32]) -> Vec<String> {
        heads
            .iter()
            .filter_map(|h| {
                let head = format!("{}", 300_000_000 + h % 600_000_000);
                (0..=9u8).find_map(|last| {
                    let n = format!("{head}{last}");
                    let d = digits(&n);
                    (classify(&d) == NhsClass::Patient).then_some(n)
                })
            })
            .collect()
    }

    proptest! {
        /// Five or more valid numbers and no other in-range ten-digit number: evidence, whatever words,
        /// small numbers and separators surround them, named or not.
        #[test]
        fn a_list_of_valid_numbers_is_evidence_whatever_surrounds_it(
            heads in prop::collection::vec(any::<u32>(), 5..40),
            filler in prop::collection::vec("[a-z ,;|:]{0,12}|[0-9]{1,6}", 5..40),
        ) {
            let numbers = valid_from_heads(&heads);
            prop_assume!(numbers.iter().collect::<std::collections::HashSet<_>>().len() >= 5);
            let text: String = numbers
                .iter()
                .zip(filler.iter().cycle())
                .map(|(n, f)| format!("{f},{n},{f}\n"))
                .collect();
            let c = count(text.as_bytes());
            prop_assert!(c.is_evidence(), "{:?}", c);
        }

        /// Any text with the word NHS in it: its valid numbers are evidence, however many random ones surround
        /// them.
        #[test]
        fn valid_numbers_in_a_text_naming_nhs_are_evidence(
            randoms in prop::collection::vec(3_000_000_000u64..9_000_000_000, 0..300),
            heads in prop::collection::vec(any::<u32>(), 3..6),
        ) {
            let mut text = String::from("case,nhs_number\n");
            for r in &randoms {
                text.push_str(&format!("{r},\n"));
            }
            for n in valid_from_heads(&heads) {
                text.push_str(&format!(",{n}\n"));
            }
            prop_assert!(count(text.as_bytes()).is_evidence());
        }
    }

    #[test]
    fn random_integers_unnamed_are_not_evidence_in_a_thousand_files() {
        // A fixed generator: 1,000 files of 20 to 400 random ten-digit numbers each. At a limit of 1 in
        // 100,000 per file, none is expected to pass; a rule that counted valid numbers alone would flag most.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut evidence = 0;
        let mut over_threshold = 0;
        for _ in 0..1000 {
            let n = 20 + next() % 380;
            let text: String = (0..n)
                .map(|_| format!("{} ", 3_000_000_000 + next() % 6_000_000_000))
                .collect();
            let c = count(text.as_bytes());
            over_threshold += usize::from(c.patient >= 3);
            evidence += usize::from(c.patient >= 3 && c.is_evidence());
        }
        assert!(over_threshold > 800, "{over_threshold}");
        assert_eq!(evidence, 0);
    }

    #[test]
    fn tabular_by_extension_or_shape() {
        let cases: &[(&str, &str, bool)] = &[
            ("data/patients.csv", "", true),
            ("export.JSON", "", true),
            ("dump.sql", "", true),
            ("README.md", "# Title\nSome prose, with a comma.\n", false),
            ("data/list", "a,b,c\n1,2,3\n4,5,6\n7,8,9\n", true),
            ("notes", "a\tb\n1\t2\n", false), // only two lines
            (
                "src/main.rs",
                "fn main() {\n    let (a, b) = (1, 2);\n}\n",
                false,
            ),
        ];
        for (path, text, expected) in cases {
            assert_eq!(looks_tabular(path, text.as_bytes()), *expected, "{path}");
        }
    }
}

//! "Did you mean ...?" for misspelt keys, actions, classes and licence ids.

/// The candidate nearest to `word`, ignoring ASCII case, if it is near enough to be a likely typo: an exact
/// match up to case first, else the smallest edit distance (a swap of two neighbours counts as one edit) within
/// a third of the word's length (at least one).
pub(crate) fn closest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let word_lower = word.to_ascii_lowercase();
    let limit = (word.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &'c str)> = None;
    let length = word.chars().count();
    for candidate in candidates {
        if candidate.chars().count().abs_diff(length) > limit {
            continue;
        }
        let distance = edit_distance(&word_lower, &candidate.to_ascii_lowercase());
        if distance <= limit && best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Optimal string alignment distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut table = vec![0usize; (a.len() + 1) * width];
    for (i, cell) in table.iter_mut().step_by(width).enumerate() {
        *cell = i;
    }
    for (j, cell) in table.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (table[(i - 1) * width + j] + 1)
                .min(table[i * width + j - 1] + 1)
                .min(table[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(table[(i - 2) * width + j - 2] + 1);
            }
            table[i * width + j] = value;
        }
    }
    table[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_a_swap_as_one() {
        let table = [
            ("", "", 0),
            ("abc", "", 3),
            ("mit", "mit", 0),
            ("mti", "mit", 1),
            ("alow", "allow", 1),
            ("kitten", "sitting", 3),
        ];
        for (a, b, expected) in table {
            assert_eq!(edit_distance(a, b), expected, "{a} → {b}");
        }
    }

    #[test]
    fn closest_suggests_only_near_candidates() {
        let actions = ["allow", "review", "forbid"];
        let table = [
            ("alow", Some("allow")),
            ("ALLOW", Some("allow")),
            ("reveiw", Some("review")),
            ("deny", None),
            ("x", None),
        ];
        for (word, expected) in table {
            assert_eq!(closest(word, actions), expected, "{word}");
        }
        let ids = ["MIT", "MPL-2.0", "ISC", "Apache-2.0"];
        assert_eq!(closest("MTI", ids), Some("MIT"));
        assert_eq!(closest("apache2.0", ids), Some("Apache-2.0"));
    }
}

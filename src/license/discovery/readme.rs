//! README parsing: the licence sections of Markdown, reStructuredText and Org READMEs, and template
//! READMEs waiting for their project's name.

use super::*;

/// A README that is a template to fill in: three or more lines of its own prose holding placeholders such as
/// `{PROJECT NAME}` or `{{ cookiecutter.name }}`. Returns the first (1-based line, placeholder).
///
/// Code is not the README's own text: lines in fenced code blocks, inline code spans, and shell or
/// GitHub Actions expressions (`${DEPLOY_ENV}`, `${{ secrets.API_KEY }}`, a `{` right after a `$`) are
/// passed over — a README that shows how to set `{DEPLOY_ENV}` is not waiting for its own name.
pub fn template_readme(text: &str) -> Option<(usize, String)> {
    static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\{\{[^}]{1,60}\}\}|\{[A-Z][A-Z0-9 _-]{2,40}\}").expect("valid regex")
    });
    static INLINE_CODE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"``[^`]*``|`[^`]*`").expect("valid regex"));
    let mut fence: Option<&str> = None;
    let mut hits: Vec<(usize, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if let Some(open) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            fence = Some(open);
            continue;
        }
        let prose = INLINE_CODE.replace_all(line, "");
        let found = PLACEHOLDER.find_iter(&prose).find(|m| {
            // `${…}` and `${{ … }}` are expressions of a shell or a workflow, not blanks to fill in.
            !prose[..m.start()].ends_with('$')
        });
        if let Some(m) = found {
            hits.push((i + 1, m.as_str().to_string()));
        }
    }
    if hits.len() >= 3 {
        hits.into_iter().next()
    } else {
        None
    }
}

/// How much a README name is preferred (lower is better), or `None` if it is not a README.
pub(super) fn readme_rank(name: &str) -> Option<u8> {
    match name.to_lowercase().as_str() {
        "readme.md" => Some(0),
        "readme.markdown" => Some(1),
        "readme.rst" => Some(2),
        "readme" => Some(3),
        "readme.txt" => Some(4),
        "readme.org" => Some(5),
        "readme.adoc" => Some(6),
        _ => None,
    }
}

/// A part of a README about licensing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadmeSection {
    /// 1-based line where the section (its heading, or the paragraph) starts.
    pub first_line: usize,
    pub text: String,
    /// Whether the section speaks for the repository by its place in the README whatever its heading's
    /// level: it is the README's only licence section and the document ends with it ([`readme_sections`]).
    /// A `#`/`##` licence section speaks for the repository by its level alone; this says the same of a
    /// `### License` that closes a README whose author nested every section one level down.
    pub closing: bool,
}

/// The licence sections of a README: each heading about licensing or copyright (not a contributor licence
/// agreement) with its body up to the next heading of the same or a higher level. A README with no such
/// heading gives instead its paragraphs that name a licence ("licensed under ... MIT", a licence URL) or state
/// a copyright.
/// A heading that is about the repository's licence as a whole ("Licence", "Copyright and License",
/// "Licensing"), not one that merely contains the word ("Licence data", "Licence classes", "Third-party licences"
/// count too little to be a statement about this repository).
pub fn is_license_heading(title: &str) -> bool {
    const WORDS: &[&str] = &[
        "licence",
        "license",
        "licences",
        "licenses",
        "licensing",
        "licencing",
        "copyright",
        "copyrights",
        "and",
        "the",
        "legal",
        "terms",
        "of",
        "use",
        "reuse",
        "re",
        "notice",
        "notices",
        "information",
        "info",
    ];
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .collect();
    !words.is_empty() && words.iter().all(|w| WORDS.contains(&w.as_str()))
}

/// A heading section is `closing` ([`ReadmeSection::closing`]) when it is the README's only licence section,
/// nothing follows it, and every heading above it is the title or the document's own structure.
pub fn readme_sections(file_name: &str, text: &str) -> Vec<ReadmeSection> {
    static TITLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(licen[cs]e[sd]?|licen[cs]ing|copyright)\b").expect("valid regex")
    });
    static NOT_TITLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)agreement|\bCLA\b|contributor").expect("valid regex"));
    let lines: Vec<&str> = text.lines().collect();
    let lower = file_name.to_lowercase();
    let headings = if lower.ends_with(".rst") {
        rst_headings(&lines)
    } else if lower.ends_with(".org") {
        org_headings(&lines)
    } else {
        markdown_headings(&lines)
    };
    let mut sections = Vec::new();
    let mut covered_until = 0;
    for (position, heading) in headings.iter().enumerate() {
        if heading.line < covered_until
            || !TITLE.is_match(&heading.title)
            || !is_license_heading(&heading.title)
            || NOT_TITLE.is_match(&heading.title)
        {
            continue;
        }
        let end = headings[position + 1..]
            .iter()
            .find(|next| next.level <= heading.level)
            .map_or(lines.len(), |next| next.start);
        covered_until = end;
        let body = trim_blank_end(&lines[heading.start..end]);
        sections.push(ReadmeSection {
            first_line: heading.start + 1,
            text: body.join("\n"),
            closing: end == lines.len() && ancestors_are_generic(&headings, position),
        });
    }
    // Only the README's one licence section can close it for the repository: another heading about
    // licensing ("Licence of the data", "Third-party licences"), taken as a section or not, leaves each
    // speaking for its own heading.
    let about_licensing = headings
        .iter()
        .filter(|h| TITLE.is_match(&h.title) && !NOT_TITLE.is_match(&h.title))
        .count();
    if sections.len() > 1 || about_licensing > 1 {
        for section in &mut sections {
            section.closing = false;
        }
    }
    if sections.is_empty() {
        sections = licence_paragraphs(&lines, lower.ends_with(".rst"));
    }
    sections
}

/// Whether every heading above `headings[position]` (its parent, its parent's parent, …) is the
/// document's title (its first heading, at level 1) or a heading of the document's own structure, made only of
/// [`STRUCTURE_WORDS`] ("Getting Started", "About this project", "🚀 Development"). A heading with any other
/// word ("The vendored parser", "Frontend", "docs/") may name a part of the repository, and a licence
/// section under it may speak for that part only: it is never promoted to the repository's.
fn ancestors_are_generic(headings: &[Heading], position: usize) -> bool {
    let mut level = headings[position].level;
    for (index, heading) in headings[..position].iter().enumerate().rev() {
        if heading.level >= level {
            continue;
        }
        level = heading.level;
        let title = index == 0 && heading.level == 1;
        let generic = heading
            .title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .all(|w| STRUCTURE_WORDS.contains(&w.to_lowercase().as_str()));
        if !title && !generic {
            return false;
        }
    }
    true
}

/// Words of a README heading that speaks of the document or of the project as a whole, never of a part.
const STRUCTURE_WORDS: &[&str] = &[
    "about",
    "and",
    "the",
    "this",
    "project",
    "repository",
    "repo",
    "getting",
    "started",
    "start",
    "quick",
    "overview",
    "introduction",
    "intro",
    "more",
    "further",
    "other",
    "information",
    "info",
    "details",
    "general",
    "notes",
    "misc",
    "miscellaneous",
    "development",
    "developing",
    "usage",
    "using",
    "setup",
    "set",
    "up",
    "installation",
    "install",
    "how",
    "to",
    "use",
    "contributing",
    "contribute",
    "support",
    "help",
    "appendix",
    "reference",
    "resources",
    "features",
    "architecture",
    "a",
    "an",
    "of",
    "for",
    "legal",
];

pub(super) fn trim_blank_end<'a>(lines: &'a [&'a str]) -> &'a [&'a str] {
    let end = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(0, |i| i + 1);
    &lines[..end]
}

#[derive(Debug)]
pub(super) struct Heading {
    /// First line of the heading (an RST overline, or the title line), 0-based.
    start: usize,
    /// The title line, 0-based.
    line: usize,
    level: usize,
    title: String,
}

/// ATX (`## Licence`) and setext (`Licence` over `-------`) headings, outside fenced code and front matter.
pub(super) fn markdown_headings(lines: &[&str]) -> Vec<Heading> {
    static ATX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$").expect("valid regex")
    });
    static SETEXT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^ {0,3}(=+|-+)[ \t]*$").expect("valid regex"));
    let mut headings = Vec::new();
    let mut fence: Option<String> = None;
    let mut index = 0;
    if lines.first().is_some_and(|l| l.trim() == "---") {
        index = lines
            .iter()
            .skip(1)
            .position(|l| matches!(l.trim(), "---" | "..."))
            .map_or(0, |i| i + 2);
    }
    while index < lines.len() {
        let line = lines[index];
        let trimmed = line.trim_start();
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str()) {
                fence = None;
            }
            index += 1;
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(trimmed[..3].to_owned());
            index += 1;
            continue;
        }
        if let Some(captures) = ATX.captures(line) {
            let title = captures.get(2).map_or("", |m| m.as_str()).to_owned();
            headings.push(Heading {
                start: index,
                line: index,
                level: captures[1].len(),
                title,
            });
        } else if !line.trim().is_empty()
            && !line.starts_with("    ")
            && let Some(next) = lines.get(index + 1)
            && let Some(captures) = SETEXT.captures(next)
        {
            let level = if captures[1].starts_with('=') { 1 } else { 2 };
            headings.push(Heading {
                start: index,
                line: index,
                level,
                title: line.trim().to_owned(),
            });
            index += 2;
            continue;
        }
        index += 1;
    }
    headings
}

/// reStructuredText section titles: a title line underlined (and optionally overlined) by one punctuation
/// character; levels in order of first use of each style.
pub(super) fn rst_headings(lines: &[&str]) -> Vec<Heading> {
    fn adornment(line: &str) -> Option<char> {
        let line = line.trim_end();
        let first = line.chars().next()?;
        let punctuation = "=-~^\"'`#*+:._!$%&,/;<>?@\\|";
        (line.chars().count() >= 2
            && punctuation.contains(first)
            && line.chars().all(|c| c == first))
        .then_some(first)
    }
    let mut styles: Vec<(char, bool)> = Vec::new();
    let mut headings = Vec::new();
    let mut index = 0;
    while index + 1 < lines.len() {
        let title = lines[index].trim();
        let under = adornment(lines[index + 1]);
        if title.is_empty() || adornment(lines[index]).is_some() || under.is_none() {
            index += 1;
            continue;
        }
        let character = under.expect("checked");
        if lines[index + 1].trim_end().chars().count() < title.chars().count() {
            index += 1;
            continue;
        }
        let overlined = index > 0 && adornment(lines[index - 1]) == Some(character);
        let style = (character, overlined);
        let level = match styles.iter().position(|s| *s == style) {
            Some(level) => level + 1,
            None => {
                styles.push(style);
                styles.len()
            }
        };
        let start = if overlined { index - 1 } else { index };
        headings.push(Heading {
            start,
            line: index,
            level,
            title: title.to_owned(),
        });
        index += 2;
    }
    headings
}

/// Org-mode headings: `* Title`, `** Title`.
pub(super) fn org_headings(lines: &[&str]) -> Vec<Heading> {
    lines
        .iter()
        .enumerate()
        .filter_map(|(index, line)| {
            let stars = line.chars().take_while(|&c| c == '*').count();
            let rest = &line[stars..];
            (stars > 0 && rest.starts_with(' ')).then(|| Heading {
                start: index,
                line: index,
                level: stars,
                title: rest.trim().to_owned(),
            })
        })
        .collect()
}

/// Paragraphs (outside code) that name a licence or link to one, or state a copyright.
pub(super) fn licence_paragraphs(lines: &[&str], rst: bool) -> Vec<ReadmeSection> {
    static LICENCE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)licen[cs]").expect("valid regex"));
    static NAMED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)https?://|\]\(|\b(MIT|Apache|[AL]?GPL|BSD|MPL|ISC|Unlicense|EUPL|Open Government|OGL|Creative Commons|CC[- ]BY|CC0)\b")
            .expect("valid regex")
    });
    static AGREEMENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)licen[cs]e agreements?").expect("valid regex"));
    static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)©|&copy;|\(c\)|\bcopyright\b|all rights reserved").expect("valid regex")
    });
    let mut sections: Vec<ReadmeSection> = Vec::new();
    let mut fence = false;
    let mut paragraph: Vec<(usize, &str)> = Vec::new();
    let mut flush = |paragraph: &mut Vec<(usize, &str)>| {
        if let Some(&(first, _)) = paragraph.first() {
            let text = paragraph
                .iter()
                .map(|(_, l)| *l)
                .collect::<Vec<_>>()
                .join("\n");
            // "Contributor Licence Agreement" names no licence of the repository.
            let without_agreements = AGREEMENT.replace_all(&text, "");
            let names_licence =
                LICENCE.is_match(&without_agreements) && NAMED.is_match(&without_agreements);
            // A paragraph that is only an address (`http://www.apache.org/licenses/LICENSE-2.0`) right below a
            // licence paragraph continues it: the standard notice sets the licence's URL apart on its own.
            let address = paragraph.len() == 1 && {
                let l = text.trim().trim_start_matches('<').trim_end_matches('>');
                l.split_whitespace().count() == 1
                    && (l.starts_with("http://") || l.starts_with("https://"))
            };
            if address
                && let Some(last) = sections.last_mut()
                && last.first_line + last.text.lines().count() + 1 == first + 1
            {
                last.text.push_str("\n\n");
                last.text.push_str(&text);
            } else if names_licence || COPYRIGHT.is_match(&text) {
                sections.push(ReadmeSection {
                    first_line: first + 1,
                    text,
                    closing: false,
                });
            }
        }
        paragraph.clear();
    };
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if !rst && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            flush(&mut paragraph);
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        if line.trim().is_empty() || (!rst && trimmed.starts_with('#')) {
            // A blank line or a Markdown heading ends a paragraph; the heading is not part of the next.
            flush(&mut paragraph);
        } else {
            paragraph.push((index, line));
        }
    }
    flush(&mut paragraph);
    sections
}

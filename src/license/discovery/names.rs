//! Pure decisions on file and folder names: which root files, nested files and documentation pages are
//! licence files, which folders are vendored, which files may carry an SPDX header.

use super::*;

// ---------------------------------------------------------------------------------------------------------
// Pure decisions

/// Extensions a licence file may carry and still be a licence file; stripped before the name is judged.
pub(super) const TEXT_EXTENSIONS: &[&str] = &[
    "md", "markdown", "txt", "rst", "org", "html", "htm", "adoc", "asciidoc",
];

/// Word processors' and printers' formats, which keepopen cannot read as text: a file so saved whose name says
/// it holds licence terms (`stylesheet-licence-v2.pdf`, `LICENCE-terms.docx`) is still a licence file, read
/// as far as it can be (not at all) and so left for a person, never passed over.
pub(super) const DOCUMENT_EXTENSIONS: &[&str] = &["pdf", "doc", "docx", "odt", "rtf"];

/// Extensions that make a licence-like name something else (`license.py`, `copyright.json`): the file is code
/// (a programming, build or configuration language: `gradle/license.gradle` configures a licence plugin and
/// names licences it checks for), data or media, never a licence text.
pub(super) const NOT_LICENSE_EXTENSIONS: &[&str] = &[
    // programming languages
    "py",
    "js",
    "mjs",
    "cjs",
    "ts",
    "mts",
    "cts",
    "tsx",
    "jsx",
    "sh",
    "bash",
    "zsh",
    "fish",
    "ps1",
    "psm1",
    "bat",
    "cmd",
    "rb",
    "go",
    "rs",
    "java",
    "kt",
    "kts",
    "groovy",
    "scala",
    "clj",
    "cljs",
    "cs",
    "fs",
    "vb",
    "c",
    "h",
    "cc",
    "cpp",
    "hpp",
    "m",
    "mm",
    "swift",
    "dart",
    "php",
    "pl",
    "pm",
    "r",
    "jl",
    "lua",
    "ex",
    "exs",
    "erl",
    "hs",
    "ml",
    "el",
    "vue",
    "svelte",
    // build and configuration languages
    "gradle",
    "sbt",
    "mk",
    "cmake",
    "bzl",
    "gemspec",
    "podspec",
    "csproj",
    "props",
    "targets",
    "properties",
    "tf",
    "hcl",
    "json",
    "yml",
    "yaml",
    "toml",
    "xml",
    "cfg",
    "ini",
    "conf",
    "in",
    "lock",
    // templates, styles, notebooks, queries
    "tmpl",
    "j2",
    "jinja",
    "njk",
    "hbs",
    "ejs",
    "erb",
    "haml",
    "css",
    "scss",
    "less",
    "ipynb",
    "sql",
    // data and media
    "png",
    "jpg",
    "jpeg",
    "gif",
    "svg",
    "ico",
    "csv",
];

/// The kind of a root file with this name, if it is a licence or notice file. Every rule of
/// [`licence_word_first_kind`] (`LICENSE`, `LICENCE.md`, `COPYING.LESSER`, `LICENSE-MIT`, `NOTICES`,
/// `COPYRIGHT`, `LEGAL`), and, for names with a text extension or none:
/// - a licence word after a prefix, or misspelt ([`is_licence_word_name`]): `APACHE-LICENSE-2.0.txt`,
///   `NHSD-LICENCE.md`, `LISENCE`;
/// - a licence's SPDX id or long name ([`is_licence_id_name`]): `Apache-2.0.txt`, `MIT.txt`,
///   `Open-Government-Licence.md`;
/// - an attribution or credits file (`ATTRIBUTIONS.md`, `CREDITS`): a notice file. `AUTHORS`,
///   `CONTRIBUTORS` and `ACKNOWLEDGEMENTS` are not: they list people and thanks, not terms.
pub fn root_file_kind(name: &str) -> Option<SourceKind> {
    if let Some(kind) = root_file_kind_as_written(name) {
        return Some(kind);
    }
    // A terms name as a person reads it: letters of another script that look Latin (`LІCENSE` with a
    // Cyrillic І), full-width forms, and a backup or editor's copy of a terms file (`LICENSE~`, `NOTICE.bak`).
    let read = read_name(name);
    if read != name
        && let Some(kind) = root_file_kind_as_written(&read)
    {
        return Some(kind);
    }
    terms_name_kind(&read)
}

/// Suffixes an editor, a merge or a person adds to keep a copy of a file (`LICENSE~`, `LICENSE.bak`,
/// `NOTICE.orig`): the copy is the same terms, pushed like any file.
const COPY_SUFFIXES: &[&str] = &[
    "bak", "orig", "old", "save", "saved", "backup", "prev", "copy", "tmp", "swp", "rej", "dist",
    "new",
];

/// A root file's name as a person reads it (NFKC, lookalike letters folded to the Latin ones they show),
/// without the suffixes of a kept copy ([`COPY_SUFFIXES`], a trailing `~`).
pub(super) fn read_name(name: &str) -> String {
    let mut read = if name.is_ascii() {
        name.to_string()
    } else {
        crate::license::text::as_seen(name).text
    };
    loop {
        let before = read.len();
        read = read.trim_end_matches('~').to_string();
        if let Some((stem, extension)) = read.rsplit_once('.')
            && !stem.is_empty()
            && COPY_SUFFIXES.contains(&extension.to_ascii_lowercase().as_str())
        {
            read = stem.to_string();
        }
        if read.len() == before {
            return read;
        }
    }
}

/// A root file named as terms of use are named: `TERMS`, `TERMS_OF_USE.md`, `terms-and-conditions.txt`,
/// `EULA`, `RIGHTS` (read as notice files: held to every line, [`crate::license::notice`]); and a licence or
/// notice word exactly, with an extension of a data format (`LICENSE.json`, `NOTICE.yaml`): a licence file
/// whose text decides, as a name of an unknown kind does ([`reads_as_terms`]).
fn terms_name_kind(name: &str) -> Option<SourceKind> {
    static TERMS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:terms(?:[-_. ]?(?:of[-_. ]?(?:use|service)|and[-_. ]?conditions))?|eula|rights)$",
        )
        .expect("terms name")
    });
    let (stem, extension) = split_extension(name);
    if extension != Extension::Other && TERMS.is_match(&stem.to_lowercase()) {
        return Some(SourceKind::NoticeFile);
    }
    let (stem, _) = data_named(name)?;
    Some(match stem.as_str() {
        "notice" | "copyright" => SourceKind::NoticeFile,
        _ => SourceKind::LicenseFile,
    })
}

/// A licence or notice word exactly, with the extension of a data format: (the word, the extension).
pub(super) fn data_named(name: &str) -> Option<(String, String)> {
    const DATA: &[&str] = &[
        "json", "yaml", "yml", "xml", "toml", "ini", "cfg", "conf", "csv",
    ];
    let (stem, extension) = name.rsplit_once('.')?;
    let (stem, extension) = (stem.to_lowercase(), extension.to_ascii_lowercase());
    (matches!(
        stem.as_str(),
        "license" | "licence" | "notice" | "copyright" | "copying"
    ) && DATA.contains(&extension.as_str()))
    .then_some((stem, extension))
}

fn root_file_kind_as_written(name: &str) -> Option<SourceKind> {
    static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(attributions?|credits)(?:[-_. ](.*))?$").expect("valid regex")
    });
    if let Some(kind) = licence_word_first_kind(name) {
        return Some(kind);
    }
    let (stem, extension) = split_extension(name);
    if extension == Extension::Other {
        return None;
    }
    let lower = stem.to_lowercase();
    if ATTRIBUTION.is_match(&lower) {
        return Some(SourceKind::NoticeFile);
    }
    (is_licence_word_name(name) || is_licence_id_name(name)).then_some(SourceKind::LicenseFile)
}

/// The names discovery has always read, with the licence word first: `LICENSE`, `LICENCE.md`,
/// `COPYING.LESSER`, `LICENSE-MIT`, `LICENCE-OGL.txt`, `UNLICENSE`, `NOTICES`, `COPYRIGHT`, `LEGAL`. The only
/// rule that also applies to folders: a folder so named (`LICENSE/`, `licence-standard/`) is reported as not
/// read, a folder named `apache2/` or `mit-tools/` is just a folder.
pub(super) fn licence_word_first_kind(name: &str) -> Option<SourceKind> {
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(unlicen[cs]e|licen[cs]es?|licen[cs]ing|copying|legalcode|copyrights?|notices?|legal)(?:[-_. ](.*))?$")
            .expect("valid regex")
    });
    let lower = name.to_lowercase();
    let stem = match lower.rsplit_once('.') {
        Some((stem, extension)) if TEXT_EXTENSIONS.contains(&extension) => stem,
        _ => lower.as_str(),
    };
    let captures = NAME.captures(stem)?;
    if let Some(rest) = captures.get(2)
        && let Some((_, extension)) = rest.as_str().rsplit_once('.').or(Some(("", rest.as_str())))
        && is_file_kind_extension(extension)
    {
        return None;
    }
    Some(match &captures[1] {
        "copyright" | "copyrights" | "notice" | "notices" | "legal" => SourceKind::NoticeFile,
        _ => SourceKind::LicenseFile,
    })
}

/// What follows the last dot of a file name.
/// More extensions of a file kind that is never a licence text: languages, stylesheets, templates, schemas
/// and data formats beside [`NOT_LICENSE_EXTENSIONS`].
const MORE_KIND_EXTENSIONS: &[&str] = &[
    "sass", "styl", "stylus", "pcss", "postcss", "coffee", "elm", "purs", "nim", "zig", "cr",
    "f90", "pas", "asm", "tcl", "awk", "vbs", "jsp", "asp", "aspx", "cshtml", "razor", "twig",
    "liquid", "mustache", "pug", "jade", "slim", "xsd", "xsl", "xslt", "wsdl", "graphql", "gql",
    "proto", "jsonc", "json5", "rake", "nix", "tsv", "xls", "xlsx", "ods", "parquet", "ttl", "rdf",
];

/// Whether an extension (what follows the last dot, any case) names a kind of file that is never a licence
/// text: code in a programming, build, configuration or template language, a stylesheet, a schema, data,
/// media, a font, an image or an archive. Government services name domain things licences (a probation
/// licence's PDF stylesheet `licence-pdf.sass`, a driving licence's form `licence-form.ts`): the file's kind
/// decides, so a licence-word name is a licence file only with a text or document extension, none, or a word
/// that is no file kind (`LICENSE.MIT`, `COPYING.LESSER`, `LICENSE.APACHE2`).
///
/// Misuse: the licence text of a project saved as code (`LICENSE.js` exporting it) is not read as a licence
/// file; its header is still read as any text file's ([`crate::license::assets::judge_text`]), so a
/// withholding notice there still asks for a person.
pub(super) fn is_file_kind_extension(extension: &str) -> bool {
    let lower = extension.to_ascii_lowercase();
    if TEXT_EXTENSIONS.contains(&lower.as_str()) || DOCUMENT_EXTENSIONS.contains(&lower.as_str()) {
        return false;
    }
    let probe = format!("file.{lower}");
    NOT_LICENSE_EXTENSIONS.contains(&lower.as_str())
        || MORE_KIND_EXTENSIONS.contains(&lower.as_str())
        || crate::license::assets::kind_of(&probe).is_some()
        || crate::license::assets::is_archive_name(&probe)
}

/// Whether a licence-word name ends in an extension this module does not know: not a text or document
/// extension, not a version (`GPL-3.0`), and not a file kind that is never a licence ([`is_file_kind_extension`]
/// already makes those code). `licensing.feature`, `licence.robot`, `LICENSE.MIT`, `COPYING.LESSER`,
/// `LICENSE.vendor`. Such a file is read, and its text decides what it is ([`reads_as_terms`]).
pub(super) fn has_unknown_extension(name: &str) -> bool {
    if data_named(name).is_some() {
        // `LICENSE.json`: a terms word in a data format's file; its text decides.
        return true;
    }
    let Some((stem, extension)) = name.rsplit_once('.') else {
        return false;
    };
    if stem.is_empty() || extension.is_empty() || extension.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let lower = extension.to_ascii_lowercase();
    !TEXT_EXTENSIONS.contains(&lower.as_str())
        && !DOCUMENT_EXTENSIONS.contains(&lower.as_str())
        && !is_file_kind_extension(&lower)
}

/// THE KIND OF A LICENCE-WORD FILE WHOSE EXTENSION NOTHING KNOWS ([`has_unknown_extension`]), decided by its
/// text rather than by a longer list of extensions: it is a licence (or notice) file when its text reads as
/// terms, and otherwise it is source (a Cucumber scenario `features/licensing.feature` about a licensing
/// service, a test suite's `licence.robot`), judged as any file of the tree is (its header still read for a
/// withholding notice, [`crate::license::assets`]).
///
/// A text reads as terms when it holds any of: a copyright line or mark; a licence named or a grant by
/// reference ([`crate::license::refs::mentions_in`]); a word of granting, warranty, liability or terms
/// (`permission`, `grant`, `warranty`, `liable`, `terms`, `conditions`, `rights`, `licensor`, `royalty`,
/// `patent`, `trademark`, `public domain`); a word of withholding (`prohibited`, `restricted`, `proprietary`,
/// `confidential`, `reserved`, `internal`); a word about copies (`copy`, `share`, `distribute`, `reproduce`,
/// `publish`, `modify`); or a negation (`not`, `no`, `never`, `only`, `without`, `must`, `may`), since a
/// restriction needs no licence word at all ("For our staff only. Do not share."). The words are deliberately
/// broad: the rule fails closed. A file it cannot read whole (cut at the size bound, binary, empty) is never
/// passed over as source: it stays a licence file and asks a person, as before.
///
/// Misuse: this is not a test that a text IS a licence (a source file full of "must" and "not" reads as
/// terms here and is asked about, as every licence-word file was before); it only lets a text that says
/// nothing of rights, copies or terms be the code its extension suggests.
pub(super) fn reads_as_terms(text: &str) -> bool {
    static TERMS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?ix)\b(?:
                permi(?:ssions?|t|ts|tted|tting) | grant\w* | warrant\w* | liab\w* | terms? | conditions?
              | rights? | licensors? | licensees? | royalt\w* | patents? | trade\s*marks? | public\s+domain
              | prohibit\w* | restrict\w* | proprietary | confidential\w* | reserved? | internal\w* | forbid\w*
              | cop(?:y|ies|ying|ied) | shar(?:e|es|ed|ing) | distribut\w* | redistribut\w* | reproduc\w*
              | publish\w* | modif\w* | sublicen\w* | disclaim\w* | spdx | copyleft
              | not | no | never | nor | only | without | must | may | shall | cannot | can't | don't
            )\b|©|\(c\)",
        )
        .expect("terms pattern")
    });
    text.lines().any(crate::license::holders::is_copyright_line)
        || TERMS.is_match(text)
        || !crate::license::refs::mentions_in(text).is_empty()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Extension {
    /// One of [`TEXT_EXTENSIONS`].
    Text,
    /// No dot, or only a version after it (`GPL-3.0`, `APACHE-LICENSE-2.0`).
    None,
    /// One of [`DOCUMENT_EXTENSIONS`]: a licence word in its name makes it a licence file keepopen cannot read.
    Document,
    /// Anything else: code (`mit.py`), data, media, or a name this module does not know.
    Other,
}

/// A file name's stem (as written) and what its extension is.
pub(super) fn split_extension(name: &str) -> (&str, Extension) {
    match name.rsplit_once('.') {
        None => (name, Extension::None),
        Some((stem, extension)) => {
            let lower = extension.to_ascii_lowercase();
            if TEXT_EXTENSIONS.contains(&lower.as_str()) {
                (stem, Extension::Text)
            } else if DOCUMENT_EXTENSIONS.contains(&lower.as_str()) {
                (stem, Extension::Document)
            } else if !stem.is_empty() && extension.bytes().all(|b| b.is_ascii_digit()) {
                (name, Extension::None)
            } else {
                (name, Extension::Other)
            }
        }
    }
}

/// The lower-case words of a stem, split at `-`, `_`, `.` and spaces (`APACHE-LICENSE-2.0` → apache, license,
/// 2, 0).
pub(super) fn name_tokens(stem: &str) -> Vec<String> {
    stem.to_lowercase()
        .split(['-', '_', '.', ' '])
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Words that make a name about licences rather than a licence: third-party and dependency lists (other
/// people's licences), contributor agreements, licence-checking tools, licence keys and servers.
pub(super) const NOT_TERMS_WORDS: &[&str] = &[
    "third",
    "party",
    "thirdparty",
    "3rd",
    "3rdparty",
    "dependency",
    "dependencies",
    "deps",
    "vendor",
    "vendored",
    "bundled",
    "contributor",
    "contributors",
    "cla",
    "agreement",
    "agreements",
    "check",
    "checker",
    "checks",
    "checking",
    "key",
    "keys",
    "server",
    "manager",
    "plugin",
    "generator",
    "glossary",
];

/// Whether one word is "licence" in any spelling: licence, license, licences, licenses, licensing,
/// licencing, or a misspelling of one of them — one edit away (a letter added, dropped or changed, or two
/// neighbours swapped: `lisence`, `licesne`, `liscense`, `licecne`), at least six letters long, and not one
/// of the English words that are one edit away (`licensed`, `licensee`, `licenser`, `licenced`).
pub fn is_licence_word(word: &str) -> bool {
    const SPELLINGS: &[&str] = &[
        "licence",
        "license",
        "licences",
        "licenses",
        "licensing",
        "licencing",
    ];
    const REAL_WORDS: &[&str] = &[
        "licensed",
        "licenced",
        "licensee",
        "licencee",
        "licensees",
        "licencees",
        "licenser",
        "licensers",
    ];
    let word = word.to_lowercase();
    if SPELLINGS.contains(&word.as_str()) {
        return true;
    }
    word.chars().count() >= 6
        && word.chars().all(|c| c.is_ascii_alphabetic())
        && !REAL_WORDS.contains(&word.as_str())
        && SPELLINGS.iter().any(|spelling| {
            // One edit changes the length by at most one: most words need no distance at all.
            word.len().abs_diff(spelling.len()) <= 1 && edit_distance(&word, spelling) <= 1
        })
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of adjacent letters.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// A licence word ([`is_licence_word`]) with at most three words before it and four after (version numbers
/// aside), none of them
/// [`NOT_TERMS_WORDS`], in a name with a text or document extension or none: `MIT-LICENSE`, `APACHE-LICENSE-2.0.txt`,
/// `NHSD-LICENCE.md`, `Open-Government-Licence.md`, `LICENCE-docs.md`, `license_mit.txt`, `LISENCE`,
/// `coding-licences.md`. Not `THIRD-PARTY-LICENSES`, `contributor-license-agreement.md`, `licensed.txt`.
pub fn is_licence_word_name(name: &str) -> bool {
    if is_bundle_banners(name) {
        return false;
    }
    let (stem, extension) = split_extension(name);
    if extension == Extension::Other {
        return false;
    }
    let tokens = name_tokens(stem);
    let Some(at) = tokens.iter().position(|token| is_licence_word(token)) else {
        return false;
    };
    let words = |tokens: &[String]| {
        tokens
            .iter()
            .filter(|token| token.chars().any(char::is_alphabetic))
            .count()
    };
    words(&tokens[..at]) <= 3
        && words(&tokens[at + 1..]) <= 4
        && !tokens
            .iter()
            .any(|token| NOT_TERMS_WORDS.contains(&token.as_str()))
}

/// A bundler's extracted banners: `main.3f2a.js.LICENSE.txt` beside `main.3f2a.js` holds the licence comments
/// taken out of that bundle. It speaks for the bundle only, not for its folder: it is a bundled file whose
/// banners [`crate::license::assets`] judges, never a licence file.
pub fn is_bundle_banners(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let lower = lower.strip_suffix(".txt").unwrap_or(&lower);
    let Some(bundle) = lower
        .strip_suffix(".license")
        .or_else(|| lower.strip_suffix(".licence"))
    else {
        return false;
    };
    bundle
        .rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && matches!(ext, "js" | "mjs" | "cjs" | "css"))
}

/// A root file named by its licence, with a text extension or none:
/// - an SPDX id (current or deprecated, any case) that carries a version or a qualifier — a digit or a hyphen:
///   `Apache-2.0.txt`, `GPL-3.0.txt`, `OGL-UK-3.0.md`, `CC-BY-4.0`, `BSD-3-Clause.md`, `MIT-0`;
/// - an SPDX id of capitals only, written exactly so: `MIT`, `MIT.txt`, `ISC`, `WTFPL.md` (but not `Mit.md`,
///   nor a bare word id like `PostgreSQL.md` or `curl.md`, more often notes about the software);
/// - one of the `spdx` crate's imprecise names, as the whole stem: `mit.txt`, `gplv3.md`, `apache2`, `bsd3`
///   — except `apache` and `zlib`, which name a web server and a library as often as a licence;
/// - a licence's long name from the SPDX list, versions and `only`/`or later` aside, `licence` read as
///   `license`: `MIT-License.md`, `GNU-Affero-General-Public-License.txt`,
///   `Creative-Commons-Attribution-4.0-International.md`.
///
/// Not `mit.py`, `gpl.js`, `MIT.pdf`. Only at the root: below it a file named after a licence is as often a
/// template, a test fixture or an entry of a collection as the folder's licence.
pub fn is_licence_id_name(name: &str) -> bool {
    static IDS: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
        spdx::identifiers::LICENSES
            .iter()
            .map(|license| (license.name.to_lowercase(), license.name))
            .collect()
    });
    static LONG_NAMES: LazyLock<std::collections::HashSet<String>> = LazyLock::new(|| {
        spdx::identifiers::LICENSES
            .iter()
            .map(|license| long_name_key(license.full_name))
            .filter(|key| key.contains(' '))
            .collect()
    });
    let (stem, extension) = split_extension(name);
    if matches!(extension, Extension::Other | Extension::Document) || stem.is_empty() {
        return false;
    }
    let lower = stem.to_lowercase();
    if let Some(id) = IDS
        .get(lower.trim_end_matches('+'))
        .or_else(|| IDS.get(&lower))
    {
        let qualified = id.bytes().any(|b| b.is_ascii_digit() || b == b'-');
        let capitals = id.bytes().all(|b| b.is_ascii_uppercase()) && stem == *id;
        if qualified || capitals {
            return true;
        }
    }
    if let Some((_, matched)) = spdx::imprecise_license_id(&lower)
        && matched == lower.len()
        && !["apache", "zlib"].contains(&lower.as_str())
    {
        return true;
    }
    let key = long_name_key(stem);
    key.contains(' ') && LONG_NAMES.contains(&key)
}

/// A long licence name reduced for comparison: lower case, words only, `licence` as `license`, without the
/// trailing version and `only` / `or later` (`Open Government Licence v3.0` → `open government license`).
pub(super) fn long_name_key(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| match word {
            "licence" => "license",
            "licences" => "licenses",
            other => other,
        })
        .collect();
    while let Some(last) = words.last() {
        let version = last.bytes().all(|b| b.is_ascii_digit())
            || (last.starts_with('v')
                && last.len() > 1
                && last[1..].bytes().all(|b| b.is_ascii_digit()));
        if version || ["only", "or", "later", "plus"].contains(last) {
            words.pop();
        } else {
            break;
        }
    }
    words.join(" ")
}

/// Whether a file below the root is a licence file: a name of [`licence_word_first_kind`] that is a licence
/// (notices and copyright files below the root are not read), or a licence word after a prefix or misspelt
/// ([`is_licence_word_name`]) that is not HTML — below the root, `fishing-licence.html` or
/// `apply-for-a-licence.html` is a page of a licensing service, not a licence.
pub fn is_nested_license_name(name: &str) -> bool {
    let html = name
        .rsplit_once('.')
        .is_some_and(|(_, extension)| ["html", "htm"].contains(&extension.to_lowercase().as_str()));
    licence_word_first_kind(name) == Some(SourceKind::LicenseFile)
        || (is_licence_word_name(name) && !html)
}

/// Folders that hold the repository's documentation, when they are the first folder of a path (a `docs/`
/// folder inside a package documents that package).
pub(super) const DOCUMENTATION_FOLDERS: &[&str] = &[
    "docs",
    "doc",
    "documentation",
    "sphinx",
    "site",
    "website",
    "wiki",
    "manual",
    "handbook",
    "guide",
    "guides",
    "book",
];

/// Whether `path` (root-relative, `/`-separated) is a licence, copyright or terms page of the repository's
/// documentation: below a top folder of [`DOCUMENTATION_FOLDERS`] (any case), with a text extension or none,
/// and a stem of at most five words of which one is a licence word ([`is_licence_word`]), `copying`,
/// `copyright(s)`, `terms`, `legal`, `legalcode` or `unlicense`, and none of [`NOT_TERMS_WORDS`]:
/// `docs/licence.md`, `sphinx/terms.rst`, `docs/about/licensing.md`, `doc/COPYING`, `docs/terms-of-use.md`,
/// `website/legal-notice.html`. Not `docs/NOTICE`, `docs/conf.py`, `docs/licence.js`,
/// `docs/third-party-licenses.md`, `src/docs/licence.md`.
pub fn is_documentation_page(path: &str) -> bool {
    const TERMS_WORDS: &[&str] = &[
        "copying",
        "copyright",
        "copyrights",
        "terms",
        "legal",
        "legalcode",
        "unlicense",
        "unlicence",
    ];
    let Some((top, _)) = path.split_once('/') else {
        return false;
    };
    if !DOCUMENTATION_FOLDERS.contains(&top.to_lowercase().as_str()) {
        return false;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let (stem, extension) = split_extension(name);
    if matches!(extension, Extension::Other | Extension::Document) {
        return false;
    }
    let tokens = name_tokens(stem);
    tokens.len() <= 5
        && tokens
            .iter()
            .any(|token| TERMS_WORDS.contains(&token.as_str()) || is_licence_word(token))
        && !tokens
            .iter()
            .any(|token| NOT_TERMS_WORDS.contains(&token.as_str()))
}

/// Folders of other people's code, or generated output: their licence files and headers are not this
/// repository's.
pub(crate) fn is_vendored_folder(name: &str) -> bool {
    const VENDORED: &[&str] = &[
        "node_modules",
        "bower_components",
        "jspm_packages",
        "vendor",
        "vendors",
        "third_party",
        "third-party",
        "thirdparty",
        "3rdparty",
        "external",
        "extern",
        ".git",
        ".venv",
        "venv",
        "site-packages",
        "__pycache__",
        ".tox",
        "target",
        "dist",
        "build",
        "renv",
        "packrat",
        "Pods",
        "Carthage",
        // Documentation generators' output (Sphinx, Jekyll): copies of the pages in `docs/`.
        "_build",
        "_site",
        // Collections of licence texts (third-party notices, licence data): not this repository's licences.
        // REUSE's upper-case `LICENSES/` is read on its own terms before this check.
        "licenses",
        "licences",
    ];
    VENDORED.contains(&name)
}

/// Whether a file may carry an `SPDX-License-Identifier:` header worth reading (not media, archives, data).
pub fn may_carry_header(name: &str) -> bool {
    const SKIP: &[&str] = &[
        "png", "jpg", "jpeg", "gif", "bmp", "ico", "webp", "tif", "tiff", "pdf", "zip", "gz",
        "tgz", "bz2", "xz", "7z", "jar", "war", "class", "so", "dll", "exe", "dylib", "a", "o",
        "bin", "dat", "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4", "mov", "avi", "wav",
        "ogg", "psd", "xlsx", "xls", "docx", "doc", "pptx", "ppt", "odt", "ods", "parquet",
        "feather", "rds", "rdata", "rda", "sqlite", "db", "pkl", "h5", "npy", "npz", "csv", "tsv",
        "map", "lock",
    ];
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".min.js") || lower == "package-lock.json" {
        return false;
    }
    match lower.rsplit_once('.') {
        Some((_, extension)) => !SKIP.contains(&extension),
        None => true,
    }
}

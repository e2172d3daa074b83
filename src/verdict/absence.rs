//! A repository with no licence file: what the search of every text file of every pushed ref found, and
//! whether it shows that nothing licenses the repository as a whole.
//!
//! # The invariant: only a claim for the whole can license the whole
//!
//! A repository is republishable only if some claim speaks for it as a whole — a licence file, a README or
//! documentation statement, a root manifest. Every other claim speaks for its own scope only: a comment in a
//! source file for that file, a page footer for the page's content, an acknowledgements bundle for the
//! packages it names, an API description's `info.license` for that API, a dependency's lockfile entry for
//! that dependency ([`MentionScope`]). So [`decide`] is *forbidden* ("no licence for the repository as a
//! whole", the partial claims shown) exactly when
//!
//! 1. the search read every file of every pushed ref, except files that by their paths could not hold a claim
//!    for the whole ([`crate::license::claims::could_speak_for_repository`]: a notebook, a data file, a jar
//!    deep in the tree; they are named, and cannot make the repository licensed whatever they hold);
//! 2. no line found may speak for the repository (every one has a [`MentionScope`]); and
//! 3. the parts do not add up to the repository's own work: licence comments in fewer than half of its
//!    source files, and, where a page footer is among them, the program outweighs the pages (a documentation
//!    site is mostly its pages, and their footer may be the licence of its work: for a person); and
//! 4. no source file other than a build tool's wrapper ([`crate::license::claims::is_build_wrapper`]) names a
//!    licence in its own licence comment. Such a header is weak evidence, as one `SPDX-License-Identifier`
//!    line is: a grant for that file, which cannot license the repository, and cannot show that nothing
//!    does (moj-analytical-services/splink_synthetic_data: one copied module's MPL-2.0 header). A wrapper's
//!    header is the build tool's terms for its own file, written there by the tool.
//!
//! Otherwise it is *needs review*, naming what keeps it open. It is never *allowed*: a repository with no
//! licence file has no grant to rely on. The property tests in `tests/it/invariant.rs` check both directions
//! over generated searches.

use crate::license::claims::MentionScope;
use crate::license::refs::AbsenceSearch;

/// What the absence search shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Decision {
    /// Nothing licenses the repository as a whole: the reason, with the partial claims as evidence.
    Forbidden(String),
    /// A person must look: the reasons.
    Review(Vec<String>),
}

/// The reasons a repository without a licence file is *forbidden* (into `forbid`) or needs a person (into
/// `review`), from the absence search (`None` when none was made).
pub(super) fn weigh(
    absence: Option<&AbsenceSearch>,
    review: &mut Vec<String>,
    forbid: &mut Vec<String>,
) {
    match decide(absence) {
        Decision::Forbidden(reason) => forbid.push(reason),
        Decision::Review(reasons) => review.extend(reasons),
    }
}

/// The decision of the module's invariant, a pure function of the search.
pub(super) fn decide(absence: Option<&AbsenceSearch>) -> Decision {
    let Some(search) = absence else {
        return Decision::Review(vec![
            "no licence file was found, and the other files were not searched for one: absence is not shown"
                .into(),
        ]);
    };
    let mut review = Vec::new();
    // Lines that may speak for the repository: each is for a person.
    for m in search.mentions.iter().filter(|m| m.scope.is_none()) {
        review.push(format!(
            "{}:{}: no licence file, but this line {} ({}): \"{}\"",
            m.file,
            m.line,
            match &m.license {
                Some(id) => format!("names {id}"),
                None => "grants by reference".to_string(),
            },
            m.reference,
            m.text
        ));
    }
    let parts = !search.mentions.is_empty() && search.mentions.iter().all(|m| m.scope.is_some());
    // What was not read, and whether any of it could hold a claim for the whole.
    let unread_could_speak = search
        .unread_count
        .saturating_sub(search.unread_cannot_speak);
    let explained = search.complete
        || (!search.bound_reached && search.unread_count > 0 && unread_could_speak == 0);
    if !explained {
        review.push(match parts {
            true => format!(
                "no licence file was found, the lines found speak for parts only ({}), and the search of the other files {}: absence is not shown",
                describe_parts(search),
                search.incomplete_reason().unwrap_or_default()
            ),
            false => format!(
                "no licence file was found, and the search of the other files for a licence {}: absence is not shown",
                search.incomplete_reason().unwrap_or_default()
            ),
        });
    }
    if !review.is_empty() {
        return Decision::Review(review);
    }
    // Every line found speaks for a part. Together they may still be the repository's own work.
    let headed = search
        .mentions
        .iter()
        .any(|m| m.scope == Some(MentionScope::FileHeader))
        && search.header_files * 2 >= search.code_files;
    let paged = search
        .mentions
        .iter()
        .any(|m| m.scope == Some(MentionScope::Page))
        && search.page_files >= search.program_files;
    // A source file's own licence comment naming a licence (not a build tool's wrapper): weak evidence.
    let own_header = search.mentions.iter().find(|m| {
        m.scope == Some(MentionScope::FileHeader)
            && m.license.is_some()
            && !crate::license::claims::is_build_wrapper(&m.file)
    });
    if let Some(m) = own_header.filter(|_| !headed && !paged) {
        return Decision::Review(vec![format!(
            "no licence file, and the only grant found is weak evidence: {}:{} names {} in that file's own licence comment ({} of {} source files carry one); a grant for those files, which neither licenses the repository nor shows that nothing does: for a person",
            m.file,
            m.line,
            m.license.as_deref().unwrap_or_default(),
            search.header_files,
            search.code_files
        )]);
    }
    if headed || paged {
        return Decision::Review(vec![format!(
            "no licence file, and the only licence words found speak for parts ({}); whether those parts are the repository's own work (sources with a licence comment: {} of {}; pages {} beside program files {}) is for a person",
            describe_parts(search),
            search.header_files,
            search.code_files,
            search.page_files,
            search.program_files
        )]);
    }
    let unread = match search.unread_count {
        0 => String::new(),
        n => format!(
            "; {n} file(s) not in the mirror's object store ({}) could not, by their paths, hold a licence for the repository as a whole",
            search.unread.join(", ")
        ),
    };
    Decision::Forbidden(if parts {
        format!(
            "no licence for the repository as a whole: no licence file, README or documentation statement or root manifest speaks for it; the only licence words in any file of any ref speak for parts of it ({}){unread}: all rights reserved",
            describe_parts(search)
        )
    } else {
        format!(
            "no licence anywhere (no licence file, header, manifest field or README statement, and no licence named in any file of any ref){unread}: all rights reserved"
        )
    })
}

/// The first lines that speak for parts, one per file, with what each speaks for.
fn describe_parts(search: &AbsenceSearch) -> String {
    let mut files: Vec<&str> = Vec::new();
    let mut shown: Vec<String> = Vec::new();
    for m in &search.mentions {
        let Some(scope) = m.scope else { continue };
        if files.contains(&m.file.as_str()) {
            continue;
        }
        files.push(&m.file);
        if shown.len() < 4 {
            let names = m
                .license
                .as_deref()
                .map(|id| format!(" names {id}"))
                .unwrap_or_default();
            shown.push(format!(
                "{}:{}{names}, {}",
                m.file,
                m.line,
                scope.describe()
            ));
        }
    }
    if search.part_mentions > shown.len() {
        shown.push(format!(
            "{} more line(s)",
            search.part_mentions - shown.len()
        ));
    }
    shown.join("; ")
}

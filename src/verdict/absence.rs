//! A repository with no licence file: what the search of every text file of every pushed ref found, and
//! whether it shows that no licence exists.

use crate::license::claims::MentionScope;
use crate::license::refs::AbsenceSearch;

/// The reasons a repository without a licence file is *forbidden* (into `forbid`) or needs a person (into
/// `review`), from the absence search (`None` when none was made).
pub(super) fn weigh(
    absence: Option<&AbsenceSearch>,
    review: &mut Vec<String>,
    forbid: &mut Vec<String>,
) {
    match absence {
        Some(search) if search.complete && search.mentions.is_empty() => forbid.push(
            "no licence anywhere (no licence file, header, manifest field or README statement, and no licence named in any file of any ref): all rights reserved"
                .into(),
        ),
        // Lines that speak for parts only (a file's own header, a dependency's lockfile entry, a
        // page's content) license those parts, not the repository's own work: with no other claim,
        // the repository is unlicensed, and the parts are shown.
        Some(search) if search.complete && speaks_for_parts_only(search) => forbid.push(format!(
            "no licence for the repository's own work: no licence file, header covering its sources, manifest field or README statement; the only licence words in any file of any ref speak for parts of it ({}): all rights reserved",
            describe_parts(search)
        )),
        Some(search) if !search.mentions.is_empty() => {
            let parts_only = search.mentions.iter().all(|m| m.scope.is_some());
            if parts_only && !search.complete {
                review.push(format!(
                    "no licence file was found, the lines found speak for parts only ({}), and the search of the other files {}: absence is not shown",
                    describe_parts(search),
                    search.incomplete_reason().unwrap_or_default()
                ));
            } else if parts_only {
                review.push(format!(
                    "no licence file, and the only licence words found speak for parts ({}); whether those parts are the repository's own work (a site's pages; sources with a licence header: {} of {}) is for a person",
                    describe_parts(search),
                    search.header_files,
                    search.code_files
                ));
            }
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
        }
        Some(search) => review.push(format!(
            "no licence file was found, and the search of the other files for a licence {}: absence is not shown",
            search.incomplete_reason().unwrap_or_default()
        )),
        None => review.push(
            "no licence file was found, and the other files were not searched for one: absence is not shown"
                .into(),
        ),
    }
}

/// Whether every line the absence search found speaks for a part only, and the parts do not add up to the
/// repository's own work: licence headers in fewer than half of its source and script files (a copied-in
/// `mvnw` or `gradlew` carries its upstream's header; a repository whose every source file carries one is
/// another matter, for a person).
///
/// A page's content is not among those parts: where the repository is a site (a documentation site built
/// from its own pages), the footer's "All content is available under the Open Government Licence" may be
/// the licence of the repository's own work, so it is for a person.
fn speaks_for_parts_only(search: &AbsenceSearch) -> bool {
    !search.mentions.is_empty()
        && search.mentions.iter().all(|m| {
            matches!(
                m.scope,
                Some(MentionScope::FileHeader | MentionScope::Dependency)
            )
        })
        && search.header_files * 2 < search.code_files
}

/// The first lines that speak for parts, with what each speaks for.
fn describe_parts(search: &AbsenceSearch) -> String {
    let mut shown: Vec<String> = search
        .mentions
        .iter()
        .filter_map(|m| {
            let names = m
                .license
                .as_deref()
                .map(|id| format!(" names {id}"))
                .unwrap_or_default();
            Some(format!(
                "{}:{}{names}, {}",
                m.file,
                m.line,
                m.scope?.describe()
            ))
        })
        .take(4)
        .collect();
    if search.part_mentions > shown.len() {
        shown.push(format!("{} more", search.part_mentions - shown.len()));
    }
    shown.join("; ")
}

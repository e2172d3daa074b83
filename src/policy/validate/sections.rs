//! The stages' sections into the one sink: serde's errors where serde_yaml placed them, and each section's
//! problems located by their key paths like every other diagnostic.

use super::super::sections::{Issue, Problem, Typed, type_sections};
use super::*;

impl Checker<'_> {
    /// Type and check every stage's section; report what is wrong with each.
    pub(super) fn type_sections(&mut self, written: &BTreeMap<String, Value>) -> Typed {
        let (typed, issues) = type_sections(self.text, written);
        for issue in issues {
            match issue {
                Issue::Serde(error) => self.serde_problem(&error),
                Issue::Problem(problem) => self.section_problem(problem),
            }
        }
        typed
    }

    /// A section that does not type: serde_yaml's message, its key path quoted like the other diagnostics'
    /// (unless that node was reported already: an `api-url` of the wrong type is the licence checks' too).
    fn serde_problem(&mut self, error: &serde_yaml::Error) {
        let mut diagnostic = from_serde_error(self.file, error, Code::BadType);
        if let Some((path, rest)) = diagnostic.message.split_once(": ")
            && !path.is_empty()
            && path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '[' | ']'))
        {
            if self.reported.contains(path) {
                return;
            }
            diagnostic.message = format!("`{path}`: {rest}");
        }
        self.push(diagnostic);
    }

    /// A problem named by its key path, pointed at the value there or, if that is not written, at the nearest
    /// part of the path that is.
    fn section_problem(&mut self, problem: Problem) {
        let path = key_path(&problem.key);
        let fallbacks = (1..path.len()).rev().map(|n| path[..n].to_vec()).collect();
        self.reported.insert(DisplayPath(&path).to_string());
        let diagnostic = Diagnostic {
            code: problem.code,
            message: format!("`{}`: {}", problem.key, problem.message),
            file: self.file.into(),
            location: None,
            help: problem.help,
        };
        self.push_pending(Pending {
            at: Some((path, Target::Value)),
            fallbacks,
            ..Pending::new(diagnostic)
        });
    }
}

/// `safety.allow[0].reason` as path segments.
fn key_path(key: &str) -> Vec<Segment> {
    let mut path = Vec::new();
    for part in key.split('.') {
        let mut pieces = part.split('[');
        if let Some(name) = pieces.next().filter(|name| !name.is_empty()) {
            path.push(Segment::from(name));
        }
        for index in pieces {
            match index.trim_end_matches(']').parse::<usize>() {
                Ok(index) => path.push(Segment::Index(index)),
                Err(_) => path.push(Segment::Key(index.to_owned())),
            }
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_path_splits_into_keys_and_indices() {
        assert_eq!(
            key_path("safety.allow[0].rules[12]"),
            [
                Segment::from("safety"),
                Segment::from("allow"),
                Segment::Index(0),
                Segment::from("rules"),
                Segment::Index(12),
            ]
        );
        assert_eq!(key_path("approval"), [Segment::from("approval")]);
    }
}

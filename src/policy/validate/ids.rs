//! What makes a licence id, a repository name, a path in a tree and a hash well formed.

use super::super::suggest::closest;
use super::Code;

/// What is wrong with a licence id used as an override key or in an expression, if anything.
pub(crate) fn license_id_problem(id: &str) -> Option<(Code, String, Option<String>)> {
    if let Some(name) = id.strip_prefix("LicenseRef-") {
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            return None;
        }
        return Some((
            Code::UnknownLicense,
            format!("malformed licence reference '{id}'"),
            Some("write LicenseRef- followed by letters, digits, '.' or '-'".into()),
        ));
    }
    let exact = spdx::identifiers::LICENSES
        .binary_search_by(|license| license.name.cmp(id))
        .ok()
        .map(|index| &spdx::identifiers::LICENSES[index]);
    if let Some(license) = exact {
        if license.flags & spdx::flags::IS_DEPRECATED == 0 {
            return None;
        }
        let base = id.strip_suffix('+').unwrap_or(id);
        let current = |suffix: &str| {
            let candidate = format!("{base}{suffix}");
            spdx::license_id(&candidate)
                .filter(|license| license.name == candidate)
                .map(|_| candidate)
        };
        let help = match (current("-only"), current("-or-later")) {
            (Some(_), Some(later)) if id.ends_with('+') => format!("use '{later}'"),
            (Some(only), Some(later)) => format!("use '{only}' or '{later}'"),
            _ => "see https://spdx.org/licenses/ for the id that replaces it".into(),
        };
        return Some((
            Code::DeprecatedLicense,
            format!("deprecated SPDX licence id '{id}'"),
            Some(help),
        ));
    }
    let help = if spdx::exception_id(id).is_some() {
        format!(
            "'{id}' is a licence exception, not a licence: classify the licence it is used WITH"
        )
    } else if let Some(near) = closest(
        id,
        spdx::identifiers::LICENSES
            .iter()
            .filter(|license| license.flags & spdx::flags::IS_DEPRECATED == 0)
            .map(|license| license.name),
    ) {
        format!("did you mean '{near}'?")
    } else if let Some((license, _)) =
        spdx::imprecise_license_id(id).filter(|(_, length)| *length == id.len())
    {
        format!("did you mean '{}'?", license.name)
    } else {
        "see https://spdx.org/licenses/ for the ids, or write LicenseRef-<name> for a licence not on the list".into()
    };
    Some((
        Code::UnknownLicense,
        format!("unknown SPDX licence id '{id}'"),
        Some(help),
    ))
}

/// `owner/name` as GitHub allows them.
pub(crate) fn is_owner_and_name(repo: &str) -> bool {
    let Some((owner, name)) = repo.split_once('/') else {
        return false;
    };
    let owner_ok = (1..=39).contains(&owner.len())
        && !owner.starts_with('-')
        && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let name_ok = (1..=100).contains(&name.len())
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    owner_ok && name_ok
}

/// A relative, `/`-separated path with no empty, `.` or `..` parts.
pub(crate) fn is_tree_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

pub(crate) fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_and_name_table() {
        let table = [
            ("nhsx/example", true),
            ("NHSDigital/nhs-login.v2_beta", true),
            ("nhsx", false),
            ("/example", false),
            ("nhsx/", false),
            ("nhsx/a/b", false),
            ("nhsx/..", false),
            ("-nhs/x", false),
            ("nhs x/y", false),
            ("nhsx/exa mple", false),
        ];
        for (repo, expected) in table {
            assert_eq!(is_owner_and_name(repo), expected, "{repo}");
        }
    }

    #[test]
    fn tree_path_table() {
        let table = [
            ("LICENCE.md", true),
            ("docs/LICENSE", true),
            ("", false),
            ("/LICENCE", false),
            ("docs//LICENCE", false),
            ("../LICENCE", false),
            ("./LICENCE", false),
            ("docs\\LICENCE", false),
            ("docs/", false),
        ];
        for (path, expected) in table {
            assert_eq!(is_tree_path(path), expected, "{path:?}");
        }
    }

    #[test]
    fn license_id_problem_table() {
        let table: &[(&str, Option<(Code, &str)>)] = &[
            ("MIT", None),
            ("OGL-UK-3.0", None),
            ("LicenseRef-Warwick-noncommercial", None),
            (
                "LicenseRef-",
                Some((Code::UnknownLicense, "write LicenseRef-")),
            ),
            ("MTI", Some((Code::UnknownLicense, "did you mean 'MIT'?"))),
            ("mit", Some((Code::UnknownLicense, "did you mean 'MIT'?"))),
            (
                "Apache2.0",
                Some((Code::UnknownLicense, "did you mean 'Apache-2.0'?")),
            ),
            (
                "GPL-3.0",
                Some((
                    Code::DeprecatedLicense,
                    "use 'GPL-3.0-only' or 'GPL-3.0-or-later'",
                )),
            ),
            (
                "GPL-2.0+",
                Some((Code::DeprecatedLicense, "use 'GPL-2.0-or-later'")),
            ),
            (
                "LLVM-exception",
                Some((Code::UnknownLicense, "is a licence exception")),
            ),
            (
                "Definitely Not A Licence",
                Some((Code::UnknownLicense, "LicenseRef-<name>")),
            ),
        ];
        for (id, expected) in table {
            let problem = license_id_problem(id);
            match (expected, &problem) {
                (None, None) => {}
                (Some((code, help)), Some((got_code, _, got_help))) => {
                    assert_eq!(got_code, code, "{id}");
                    assert!(
                        got_help.as_deref().unwrap_or_default().contains(help),
                        "{id}: {got_help:?}"
                    );
                }
                _ => panic!("{id}: {problem:?}"),
            }
        }
    }
}

//! Which GitHub REST API each part of keepopen talks to. Three sections reach an API: `github` (the monitor
//! reading the watched accounts), `target` (creating and pushing the republished repositories) and `approval`
//! (pull requests in the control repository). `github.api-url` is the one setting for all three — GitHub
//! Enterprise Server or a test server is named once — and `target.api-url` or `approval.api-url`, when
//! written, overrides it for that section alone.

use std::collections::BTreeMap;

use serde_yaml::Value;

/// GitHub.com's REST API: the API of every section when `github.api-url` is not written.
pub const DEFAULT_API_URL: &str = "https://api.github.com";

/// The top-level sections that hold an `api-url`; the first one's is the default of the others.
pub const API_URL_SECTIONS: [&str; 3] = ["github", "target", "approval"];

/// The API a section uses and the key that set it, for messages (`target.api-url`, `github.api-url`, or
/// `default` when neither is written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedApiUrl {
    pub url: String,
    pub from: String,
}

/// The `api-url` written in `section`, if it is a string.
fn written(sections: &BTreeMap<String, Value>, section: &str) -> Option<String> {
    match sections.get(section)?.get("api-url")? {
        Value::String(url) => Some(url.clone()),
        _ => None,
    }
}

/// Whether `section` writes an `api-url` of its own (of any type: a wrong type is the section's to report).
pub fn writes_api_url(sections: &BTreeMap<String, Value>, section: &str) -> bool {
    sections
        .get(section)
        .and_then(|value| value.get("api-url"))
        .is_some_and(|value| !value.is_null())
}

/// The API `section` talks to: its own `api-url`, else `github.api-url`, else GitHub.com.
pub fn resolve_api_url(sections: &BTreeMap<String, Value>, section: &str) -> ResolvedApiUrl {
    let [shared, ..] = API_URL_SECTIONS;
    [section, shared]
        .into_iter()
        .find_map(|key| {
            written(sections, key).map(|url| ResolvedApiUrl {
                url,
                from: format!("{key}.api-url"),
            })
        })
        .unwrap_or_else(|| ResolvedApiUrl {
            url: DEFAULT_API_URL.into(),
            from: "default".into(),
        })
}

/// What is wrong with `url` as the base of a REST API, if anything: it must be `http://` or `https://` and a
/// host, with neither credentials (tokens come from the environment) nor a query or fragment.
pub fn api_url_problem(url: &str) -> Option<&'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Some("is not an http(s) URL");
    };
    let authority = rest.split('/').next().unwrap_or_default();
    if url.chars().any(char::is_whitespace) {
        Some("has white space in it")
    } else if authority.is_empty() {
        Some("names no host")
    } else if authority.contains('@') {
        Some("carries credentials; keepopen reads tokens from the environment only")
    } else if url.contains(['?', '#']) {
        Some("has a query or fragment; give the API's base URL only")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(yaml: &str) -> BTreeMap<String, Value> {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn github_api_url_is_the_default_of_target_and_approval_and_each_may_override_it() {
        let ghes = "https://ghe.example.org/api/v3";
        let shared = sections(&format!("github: {{api-url: '{ghes}'}}\n"));
        for section in API_URL_SECTIONS {
            assert_eq!(
                resolve_api_url(&shared, section),
                ResolvedApiUrl {
                    url: ghes.into(),
                    from: "github.api-url".into()
                },
                "{section}"
            );
        }
        let overridden = sections(&format!(
            "github: {{api-url: '{ghes}'}}\ntarget: {{api-url: 'http://127.0.0.1:9'}}\n"
        ));
        assert_eq!(
            resolve_api_url(&overridden, "target").url,
            "http://127.0.0.1:9"
        );
        assert_eq!(
            resolve_api_url(&overridden, "target").from,
            "target.api-url"
        );
        assert_eq!(resolve_api_url(&overridden, "approval").url, ghes);
        assert_eq!(resolve_api_url(&overridden, "github").url, ghes);
        let none = sections("target: {forge: local}\n");
        for section in API_URL_SECTIONS {
            assert_eq!(resolve_api_url(&none, section).url, DEFAULT_API_URL);
            assert_eq!(resolve_api_url(&none, section).from, "default");
        }
    }

    #[test]
    fn an_api_url_must_be_a_bare_http_base() {
        for good in [
            DEFAULT_API_URL,
            "https://ghe.example.org/api/v3",
            "http://127.0.0.1:8080/",
        ] {
            assert_eq!(api_url_problem(good), None, "{good}");
        }
        for (bad, problem) in [
            ("ftp://x", "is not an http(s) URL"),
            ("api.github.com", "is not an http(s) URL"),
            ("https://", "names no host"),
            ("https:///api/v3", "names no host"),
            (
                "https://x-access-token:ghs_x@ghe.example.org/api/v3",
                "carries credentials",
            ),
            ("https://ghe.example.org/api/v3?per_page=1", "has a query"),
            ("https://ghe.example.org /api", "white space"),
        ] {
            let found = api_url_problem(bad).unwrap_or_else(|| panic!("{bad} accepted"));
            assert!(found.contains(problem), "{bad}: {found}");
        }
    }
}

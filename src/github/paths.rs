//! API paths built from names a hostile repository may choose, and the `Link` headers of listing pages.

/// `/repos/{owner}/{name}` with each part percent-encoded, so a hostile name cannot change the path.
pub fn repo_path(full_name: &str) -> String {
    let (owner, name) = full_name.split_once('/').unwrap_or((full_name, ""));
    format!("/repos/{}/{}", encode_segment(owner), encode_segment(name))
}

/// Percent-encode one path segment: everything but `[A-Za-z0-9._~-]`, and dots too when the segment is all dots.
pub fn encode_segment(segment: &str) -> String {
    let all_dots = !segment.is_empty() && segment.bytes().all(|b| b == b'.');
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'~')
            || (b == b'.' && !all_dots);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `rel="next"` URL of a `Link` header.
pub fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let url = url.trim().strip_prefix('<')?.strip_suffix('>')?;
        params
            .split(';')
            .any(|p| {
                let p = p.trim();
                p == "rel=\"next\"" || p == "rel=next"
            })
            .then(|| url.to_owned())
    })
}

/// Turn an absolute URL under `base` into a path and query relative to it; `None` when it is elsewhere.
/// (octocrab only sends the token to relative paths, so following a link as a path keeps page 2 authenticated.)
pub fn relative_to_base(url: &str, base: &str) -> Option<String> {
    if url.starts_with('/') {
        let base_path = base
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or("");
        return Some(
            url.strip_prefix(base_path)
                .filter(|r| r.starts_with('/'))
                .unwrap_or(url)
                .to_owned(),
        );
    }
    let rest = url.strip_prefix(base)?;
    if rest.starts_with('/') {
        Some(rest.to_owned())
    } else if rest.starts_with('?') || rest.is_empty() {
        Some(format!("/{rest}"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_link_parses_github_link_headers() {
        let cases = [
            (
                r#"<https://api.github.com/orgs/x/repos?page=2>; rel="next", <https://api.github.com/orgs/x/repos?page=5>; rel="last""#,
                Some("https://api.github.com/orgs/x/repos?page=2"),
            ),
            (
                r#"<https://api.github.com/orgs/x/repos?page=1>; rel="prev", <https://api.github.com/orgs/x/repos?page=1>; rel="first""#,
                None,
            ),
            ("", None),
            ("garbage", None),
        ];
        for (header, expected) in cases {
            assert_eq!(next_link(header).as_deref(), expected, "{header}");
        }
    }

    #[test]
    fn relative_to_base_keeps_links_on_the_api_host() {
        let cases = [
            (
                "https://api.github.com/orgs/x/repos?page=2",
                "https://api.github.com",
                Some("/orgs/x/repos?page=2"),
            ),
            (
                "https://ghe.example/api/v3/orgs/x/repos?page=2",
                "https://ghe.example/api/v3",
                Some("/orgs/x/repos?page=2"),
            ),
            (
                "https://evil.example/orgs/x/repos?page=2",
                "https://api.github.com",
                None,
            ),
            (
                "https://api.github.com.evil.example/orgs/x",
                "https://api.github.com",
                None,
            ),
            (
                "/orgs/x/repos?page=3",
                "https://api.github.com",
                Some("/orgs/x/repos?page=3"),
            ),
            (
                "/api/v3/orgs/x/repos?page=3",
                "https://ghe.example/api/v3",
                Some("/orgs/x/repos?page=3"),
            ),
        ];
        for (url, base, expected) in cases {
            assert_eq!(
                relative_to_base(url, base).as_deref(),
                expected,
                "{url} under {base}"
            );
        }
    }

    #[test]
    fn repo_path_cannot_be_steered_by_a_hostile_name() {
        assert_eq!(repo_path("nhsuk/frontend.js"), "/repos/nhsuk/frontend.js");
        assert_eq!(repo_path("org/../../etc"), "/repos/org/..%2F..%2Fetc");
        assert_eq!(repo_path("org/.."), "/repos/org/%2E%2E");
        assert_eq!(repo_path("org/a b?c#d"), "/repos/org/a%20b%3Fc%23d");
    }
}

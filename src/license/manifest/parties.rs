//! The parties a manifest names as its package's makers: organisation, company and author fields, read as
//! text and never executed. What they are for: [`crate::license::holders::Licensors`] when the repository's
//! licence text names no holder (see `detect::licensors`).

use super::*;

/// The parties a root manifest (or a `*.gemspec`) called `file_name` names as its package's organisation or
/// authors, as written, e-mail and web addresses left for the holders module to drop:
/// - `pom.xml`: `<organization><name>`, each `<developer>`'s `<name>` and `<organization>`;
/// - `package.json`: `author` (a string "Name <mail> (url)" or an object's `name`);
/// - `setup.py`: `author=` and `maintainer=`; `setup.cfg`: `author =` and `maintainer =`;
/// - `pyproject.toml` and `Cargo.toml`: the `authors` (and `maintainers`) arrays, of strings or of tables
///   with a `name`;
/// - R `DESCRIPTION`: `Author:`, `Maintainer:`, and each `person(...)` of `Authors@R` (given and family
///   names);
/// - `*.gemspec`: `.author =` and `.authors =`;
/// - `*.csproj`: `<Company>` and `<Authors>` (separated by `,` or `;`).
///
/// An unknown file name gives nothing; so does a field that does not parse. Never a licence: only who made
/// the package.
pub fn declared_parties(file_name: &str, text: &str) -> Vec<String> {
    let lower = file_name.to_ascii_lowercase();
    let mut found = match file_name {
        "pom.xml" => pom_parties(text),
        "package.json" => npm_parties(text),
        "setup.py" => assigned(text, &["author", "maintainer"], true),
        "setup.cfg" => cfg_parties(text),
        "pyproject.toml" | "Cargo.toml" => toml_parties(text),
        "DESCRIPTION" => r_parties(text),
        _ if lower.ends_with(".gemspec") => gemspec_parties(text),
        _ if lower.ends_with(".csproj") => csproj_parties(text),
        _ => Vec::new(),
    };
    for p in &mut found {
        *p = p.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    found.retain(|p| !p.is_empty() && p.len() <= 160);
    found.dedup();
    found
}

/// Whether a root file is read for [`declared_parties`] though it is no licence manifest (`*.gemspec`).
pub fn names_parties(file_name: &str) -> bool {
    file_name.to_ascii_lowercase().ends_with(".gemspec")
}

fn pom_parties(text: &str) -> Vec<String> {
    let Ok(document) = roxmltree::Document::parse(text) else {
        return Vec::new();
    };
    let root = document.root_element();
    fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
        node.children()
            .find(|c| c.is_element() && c.tag_name().name() == name)
    }
    let mut out = Vec::new();
    if let Some(org) = child(root, "organization").and_then(|o| child(o, "name")) {
        out.push(xml_text(org));
    }
    if let Some(developers) = child(root, "developers") {
        for developer in developers
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == "developer")
        {
            for field in ["name", "organization"] {
                if let Some(n) = child(developer, field) {
                    out.push(xml_text(n));
                }
            }
        }
    }
    out
}

fn npm_parties(text: &str) -> Vec<String> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    match json.get("author") {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Object(o)) => o
            .get("name")
            .and_then(|n| n.as_str())
            .map(|n| vec![n.to_string()])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// `key="value"` or `key='value'` assignments (setup.py keyword arguments, gemspec attributes).
fn assigned(text: &str, keys: &[&str], python: bool) -> Vec<String> {
    let mut out = Vec::new();
    for key in keys {
        let pattern = if python {
            format!(r#"\b{key}\s*=\s*(?:"([^"\n]+)"|'([^'\n]+)')"#)
        } else {
            format!(r#"\.{key}\s*=\s*(?:"([^"\n]+)"|'([^'\n]+)')"#)
        };
        let re = Regex::new(&pattern).expect("assignment pattern");
        for c in re.captures_iter(text) {
            if let Some(v) = c.get(1).or(c.get(2)) {
                out.push(v.as_str().to_string());
            }
        }
    }
    out
}

fn cfg_parties(text: &str) -> Vec<String> {
    static FIELD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^\s*(?:author|maintainer)\s*[=:]\s*(.+?)\s*$").expect("cfg field")
    });
    FIELD
        .captures_iter(text)
        .map(|c| c[1].to_string())
        .collect()
}

/// The strings of an `authors = [...]` (or `maintainers`) array: plain strings, or tables' `name`.
fn toml_parties(text: &str) -> Vec<String> {
    static ARRAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?ms)^\s*(?:authors|maintainers)\s*=\s*\[(.*?)\]\s*$").expect("toml array")
    });
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"name\s*=\s*"([^"\n]+)"|\{[^}]*\}|"([^"\n]+)""#).expect("toml names")
    });
    static TABLE_NAME: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"name\s*=\s*"([^"\n]+)""#).expect("table name"));
    let mut out = Vec::new();
    for array in ARRAY.captures_iter(text) {
        for c in NAME.captures_iter(&array[1]) {
            let whole = c.get(0).map(|m| m.as_str()).unwrap_or_default();
            if whole.starts_with('{') {
                if let Some(n) = TABLE_NAME.captures(whole) {
                    out.push(n[1].to_string());
                }
            } else if let Some(v) = c.get(1).or(c.get(2)) {
                out.push(v.as_str().to_string());
            }
        }
    }
    out
}

fn r_parties(text: &str) -> Vec<String> {
    static PERSON: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"person\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)").expect("person")
    });
    static ROLES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[[^\]]*\]").expect("roles"));
    static NESTED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\w*\s*\([^()]*\)").expect("nested call"));
    static QUOTED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(?:(\w+)\s*=\s*)?"([^"]*)""#).expect("quoted"));
    let lines: Vec<&str> = text.lines().collect();
    let field = |name: &str| -> Option<String> {
        let start = lines.iter().position(|l| l.starts_with(name))?;
        let mut value = lines[start][name.len()..].trim().to_owned();
        for more in lines[start + 1..]
            .iter()
            .take_while(|l| l.starts_with([' ', '\t']))
        {
            value.push(' ');
            value.push_str(more.trim());
        }
        Some(value)
    };
    let mut out = Vec::new();
    if let Some(authors) = field("Authors@R:") {
        for person in PERSON.captures_iter(&authors) {
            let mut given = None;
            let mut family = None;
            let mut positional = 0;
            // A nested call's strings (`role = c("aut", "cph")`) are no names.
            let args = NESTED.replace_all(&person[1], "");
            for q in QUOTED.captures_iter(&args) {
                let value = q[2].to_string();
                match q.get(1).map(|k| k.as_str()) {
                    Some("given") => given = Some(value),
                    Some("family") => family = Some(value),
                    Some(_) => {}
                    None => {
                        match positional {
                            0 => given = Some(value),
                            1 => family = Some(value),
                            _ => {}
                        }
                        positional += 1;
                    }
                }
            }
            let name = [given, family]
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    for name in ["Author:", "Maintainer:"] {
        if let Some(v) = field(name) {
            // "A Person [aut, cre], Some Body [ctb]": the names, roles gone.
            let without_roles = ROLES.replace_all(&v, "");
            out.extend(
                without_roles
                    .split([',', ';'])
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty()),
            );
        }
    }
    out
}

fn gemspec_parties(text: &str) -> Vec<String> {
    static AUTHORS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"\.authors\s*=\s*\[([^\]]*)\]"#).expect("gemspec authors"));
    static STRING: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#""([^"\n]+)"|'([^'\n]+)'"#).expect("string"));
    let mut out = assigned(text, &["author"], false);
    for array in AUTHORS.captures_iter(text) {
        for s in STRING.captures_iter(&array[1]) {
            if let Some(v) = s.get(1).or(s.get(2)) {
                out.push(v.as_str().to_string());
            }
        }
    }
    out
}

fn csproj_parties(text: &str) -> Vec<String> {
    static FIELD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?s)<(Company|Authors)>\s*([^<]+?)\s*</(?:Company|Authors)>").expect("csproj")
    });
    FIELD
        .captures_iter(text)
        .flat_map(|c| {
            c[2].split([',', ';'])
                .map(|p| p.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.is_empty() && !p.starts_with("$("))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_manifest_names_its_organisation_and_authors() {
        let pom = "<project><organization><name>Example Data Ltd</name></organization><developers><developer><name>A Person</name><organization>Example Data Ltd</organization></developer></developers></project>";
        let named = declared_parties("pom.xml", pom);
        assert!(
            named.contains(&"Example Data Ltd".to_string())
                && named.contains(&"A Person".to_string()),
            "{named:?}"
        );
        assert_eq!(
            declared_parties(
                "package.json",
                r#"{"author": "Example Data Ltd <dev@example.org>"}"#
            ),
            vec!["Example Data Ltd <dev@example.org>"]
        );
        assert_eq!(
            declared_parties(
                "package.json",
                r#"{"author": {"name": "Example Data Ltd"}}"#
            ),
            vec!["Example Data Ltd"]
        );
        assert_eq!(
            declared_parties(
                "setup.py",
                "setup(name='x', author='Example Data Ltd', license='MIT')"
            ),
            vec!["Example Data Ltd"]
        );
        assert_eq!(
            declared_parties(
                "pyproject.toml",
                "[project]\nname = \"x\"\nauthors = [\n  {name = \"Example Data Ltd\", email = \"a@example.org\"},\n]\n"
            ),
            vec!["Example Data Ltd"]
        );
        assert_eq!(
            declared_parties(
                "Cargo.toml",
                "[package]\nauthors = [\"Example Data Ltd <a@example.org>\"]\n"
            ),
            vec!["Example Data Ltd <a@example.org>"]
        );
        assert_eq!(
            declared_parties(
                "DESCRIPTION",
                "Package: x\nAuthors@R: c(person(\"Ann\", \"Other\", role = c(\"aut\", \"cre\")),\n    person(given = \"Example Data Ltd\", role = \"cph\"))\nLicense: MIT + file LICENSE\n"
            ),
            vec!["Ann Other", "Example Data Ltd"]
        );
        assert_eq!(
            declared_parties(
                "x.gemspec",
                "Gem::Specification.new do |s|\n  s.authors = [\"Example Data Ltd\"]\nend\n"
            ),
            vec!["Example Data Ltd"]
        );
        assert_eq!(
            declared_parties(
                "App.csproj",
                "<Project><PropertyGroup><Company>Example Data Ltd</Company><Authors>Ann Other; Bo Day</Authors></PropertyGroup></Project>"
            ),
            vec!["Example Data Ltd", "Ann Other", "Bo Day"]
        );
        assert!(declared_parties("README.md", "author = 'x'").is_empty());
    }
}

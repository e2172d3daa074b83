use super::*;

fn set(toml: &str) -> RuleSet {
    RuleSet::from_toml(toml, "test.toml").unwrap()
}

#[test]
fn the_vendored_gitleaks_rules_compile_and_skipped_ones_are_counted() {
    let rules = RuleSet::gitleaks().unwrap();
    let total = rules.rules().len() + rules.skipped().len();
    assert_eq!(
        total,
        GITLEAKS_TOML.matches("[[rules]]").count(),
        "every rule is either compiled or counted as skipped"
    );
    assert!(
        rules.rules().len() > 150,
        "most rules compile: {:?}",
        rules.skipped()
    );
    for id in [
        "aws-access-token",
        "private-key",
        "github-pat",
        "slack-bot-token",
    ] {
        assert!(
            rules.rules().iter().any(|r| r.id == id),
            "{id} is in the set"
        );
    }
}

#[test]
fn gitleaks_rules_find_what_they_should_and_not_what_they_should_not() {
    let rules = RuleSet::gitleaks().unwrap();
    let ids = |path: &str, text: &str| -> Vec<String> {
        rules
            .find(path, "", text.as_bytes())
            .into_iter()
            .map(|m| rules.rules()[m.rule].id.clone())
            .collect()
    };
    let key_body = "MIIEowIBAAKCAQEA7bq3v9x2QkY0n5c8hTqL1ZP4e6m2aRkVnX9wJdF3sUoYtCg8bH1lKzM0pQrS";
    let cases: Vec<(&str, String, Option<&str>)> = vec![
        (
            "settings.py",
            concat!("AWS_ACCESS_KEY_ID = 'AK", "IA2E3MXQ7HZLR4VNPW'\n").into(),
            Some("aws-access-token"),
        ),
        // AWS' documented example key is allow-listed by gitleaks itself.
        ("docs.md", "key: AKIAIOSFODNN7EXAMPLE\n".into(), None),
        (
            "deploy/key",
            format!(
                "-----BEGIN RSA PRIVATE KEY-----\n{key_body}\n{key_body}\n-----END RSA PRIVATE KEY-----\n"
            ),
            Some("private-key"),
        ),
        (
            "ci.sh",
            concat!("export GH=gh", "p_R7kQ2mX9vL4pW8nB3tY6cJ1fH5sD0aZ2eUqT\n").into(),
            Some("github-pat"),
        ),
        (
            "README.md",
            "Set your API key in the settings page.\n".into(),
            None,
        ),
        // Images are allow-listed by path.
        (
            "logo.png",
            concat!("AWS_ACCESS_KEY_ID = 'AK", "IA2E3MXQ7HZLR4VNPW'\n").into(),
            None,
        ),
    ];
    for (path, text, expected) in cases {
        let found = ids(path, &text);
        match expected {
            Some(id) => assert!(
                found.iter().any(|f| f == id),
                "{path}: expected {id}, got {found:?}"
            ),
            None => assert!(found.is_empty(), "{path}: expected nothing, got {found:?}"),
        }
    }
}

#[test]
fn keywords_gate_a_rule_and_match_case_insensitively() {
    let rules = set(
        "[[rules]]\nid = \"x\"\nregex = '''tok_[0-9]{4}'''\nkeywords = [\"tok_\"]\n\
             [[rules]]\nid = \"y\"\nregex = '''[0-9]{4}zz'''\nkeywords = [\"never-present\"]\n",
    );
    let found = rules.find("a.txt", "", b"TOK_1928zz tok_5371");
    let ids: Vec<_> = found
        .iter()
        .map(|m| rules.rules()[m.rule].id.as_str())
        .collect();
    assert_eq!(ids, ["x"], "rule y's keyword is absent, so it never runs");
}

#[test]
fn secret_group_entropy_stopwords_and_allowlist_targets_apply() {
    let rules = set(r#"
[[rules]]
id = "grouped"
regex = '''pw=([a-z0-9]+);'''
secretGroup = 1
entropy = 2.0
[[rules.allowlists]]
stopwords = ["changeme"]
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''#\s*nosecret''']
"#);
    let cases: &[(&str, &[&str])] = &[
        ("pw=k3j5h7g9a1;", &["k3j5h7g9a1"]),
        ("pw=aaaaaaaa;", &[]),              // entropy too low
        ("pw=x9changeme7q;", &[]),          // stopword
        ("pw=k3j5h7g9a1; # nosecret", &[]), // line allow-list
        ("first\npw=v8d2m6x4r1;\nlast", &["v8d2m6x4r1"]),
    ];
    for (text, expected) in cases {
        let found: Vec<String> = rules
            .find("f", "", text.as_bytes())
            .iter()
            .map(|m| text[m.start..m.end].to_owned())
            .collect();
        assert_eq!(&found, expected, "{text:?}");
    }
    let found = rules.find("f", "", b"first\npw=v8d2m6x4r1;\n");
    assert_eq!(found[0].line, 2);
}

#[test]
fn and_condition_needs_every_criterion() {
    let rules = set(r#"
[[rules]]
id = "r"
regex = '''secret-[0-9]+'''
[[rules.allowlists]]
condition = "AND"
paths = ['''^fixtures/''']
regexes = ['''^secret-1''']
"#);
    let n = |path: &str, text: &str| rules.find(path, "", text.as_bytes()).len();
    assert_eq!(n("fixtures/a", "secret-123"), 0, "both hold");
    assert_eq!(n("fixtures/a", "secret-923"), 1, "regex fails");
    assert_eq!(n("src/a", "secret-123"), 1, "path fails");
}

#[test]
fn a_rule_rust_cannot_compile_is_skipped_and_named() {
    let rules = set("[[rules]]\nid = \"lookahead\"\nregex = '''a(?=b)'''\n\
             [[rules]]\nid = \"fine\"\nregex = '''ab'''\n");
    assert_eq!(rules.rules().len(), 1);
    assert_eq!(rules.skipped()[0].id, "lookahead");
    assert!(rules.skipped()[0].reason.contains("regex does not compile"));
}

#[test]
fn path_only_rules_match_file_names() {
    let rules = RuleSet::gitleaks().unwrap();
    let ids = |p: &str| -> Vec<String> {
        rules
            .path_rules(p)
            .into_iter()
            .map(|i| rules.rules()[i].id.clone())
            .collect()
    };
    assert_eq!(ids("certs/client.p12"), ["pkcs12-file"]);
    assert!(ids("src/main.rs").is_empty());
}

#[test]
fn go_literal_braces_are_escaped_and_repetitions_kept() {
    let cases = [
        (r"^\$(?:\d+|{\d+})$", r"^\$(?:\d+|\{\d+\})$"),
        (r"a{2}", r"a{2}"),
        (r"a{2,}", r"a{2,}"),
        (r"a{2,5}b", r"a{2,5}b"),
        (r"x{,3}", r"x\{,3\}"),
        (r"[{}]", r"[{}]"),
        (r"\{a\}", r"\{a\}"),
        (r"\${[A-Z_]+}", r"\$\{[A-Z_]+\}"),
    ];
    for (go, rust) in cases {
        assert_eq!(go_to_rust(go), rust, "{go}");
        assert!(Regex::new(rust).is_ok(), "{rust} compiles");
    }
}

/// The false-alarm classes of the real-repository acceptance set, each as the text it was seen in, through
/// the whole rule set; and beside them values of the same shapes that are credentials, which must stay.
#[test]
fn what_a_value_is_decides_not_its_shape_alone() {
    let rules = RuleSet::gitleaks().unwrap();
    let ids = |path: &str, text: &str| -> Vec<String> {
        rules
            .find(path, "", text.as_bytes())
            .into_iter()
            .map(|m| rules.rules()[m.rule].id.clone())
            .collect()
    };
    let quiet: &[(&str, &str)] = &[
        (
            ".secrets.baseline",
            "  \"hashed_secret\": \"1af17e73721dbe0c40011b82ed4bb1a7dbe3ce29\",\n",
        ),
        (
            "src/test/resources/pacts/payment.json",
            "  \"chargeTokenId\": \"ae749781-6562-4e0e-8f56-32d9639079dc\"\n",
        ),
        (
            "Dockerfile",
            "ENV EPB_AUTH_CLIENT_ID=6f61579e-e829-47d7-aef5-7d36ad068bee\n",
        ),
        (
            "src/app/app.test.js",
            "  notifyAPIKey: 'test-123456-qwerty',\n",
        ),
        (
            "src/test/resources/application.conf",
            "  api_key = \"c29tZV9hcGlfc2VjcmV0X2tleV9mb3JfZW52aXJvbm1lbnQ=\"\n",
        ),
        (
            "test/config/application.yaml",
            "  apiKey: U2FsdGVkX1+4PfQWxvxWovXkwGkw8zDfVCsUpP1J0gmegC+bIGKV7SjHygSmYupm\n",
        ),
        (
            "config/secrets.yml",
            "development:\n  secret_key_base: 2b7f3e9a1c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f\n\nproduction:\n  secret_key_base: <%= ENV[\"SECRET_KEY_BASE\"] %>\n",
        ),
        (
            "it/helpers/SessionCookieHelper.scala",
            "  val cookieKey = \"gvBoGdgzqG1AarzF1LY0zQ==\"\n",
        ),
    ];
    for (path, text) in quiet {
        assert_eq!(ids(path, text), Vec::<String>::new(), "{path}: {text}");
    }
    let loud: &[(&str, &str)] = &[
        (
            "src/Program.cs",
            "  client.DefaultRequestHeaders.Add(\"X-API-Key\", \"07449f3a-5c1e-4b7d-9a2f-6e8d0c1b3a57\");\n",
        ),
        (
            "github.properties",
            "client.secret=2d8f1c7a9b3e5d4f6a0b8c2e1d7f9a3b5c4e6d80\n",
        ),
        (
            "config/secrets.yml",
            "development:\n  secret_key_base: 2b7f3e9a1c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f\n\nproduction:\n  secret_key_base: 21a98ffcdfc7a5c8beaadd96a34553d806e20776\n",
        ),
    ];
    for (path, text) in loud {
        assert!(!ids(path, text).is_empty(), "{path}: {text}");
    }
}

#[test]
fn a_group_of_fixed_words_is_part_of_the_name_not_the_secret() {
    assert_eq!(
        word_groups(r"(?i)(?:sonar[_.-]?(login|token))\s*=\s*([a-z0-9]{40})"),
        vec![1]
    );
    assert_eq!(word_groups(r"(?P<k>key|pass)=([a-z]{9})[(]x|y[)]"), vec![1]);
    assert!(word_groups(r"(?:api)_([a-z0-9]{20})").is_empty());
    // The sonar rule as gitleaks ships it: the secret is the 40-character token, not the word `token`, so
    // the generic rule and this one report the same value (one finding), as they do on a real repository.
    let rules = RuleSet::gitleaks().unwrap();
    let token = "1a7a0e26bb38763af396ffbe80385111d58bcd84";
    let text = format!("SONAR_TOKEN = \"{token}\"\n");
    let sonar = rules
        .rules()
        .iter()
        .position(|r| r.id == "sonar-api-token")
        .unwrap();
    let found: Vec<&str> = rules
        .find("lambda.tf", "", text.as_bytes())
        .into_iter()
        .filter(|m| m.rule == sonar)
        .map(|m| &text[m.start..m.end])
        .collect();
    assert_eq!(found, vec![token]);
}

#[test]
fn entropy_of_known_strings() {
    let cases = [("", 0.0), ("aaaa", 0.0), ("ab", 1.0), ("abcd", 2.0)];
    for (text, expected) in cases {
        assert!(
            (shannon_entropy(text.as_bytes()) - expected).abs() < 1e-9,
            "{text}"
        );
    }
}

#[test]
fn line_index_finds_lines_and_spans() {
    let text = b"one\ntwo\nthree";
    let mut index = LineIndex::new(text);
    assert_eq!(index.line_of(0), 1);
    assert_eq!(index.line_of(3), 1);
    assert_eq!(index.line_of(4), 2);
    assert_eq!(index.line_of(12), 3);
    assert_eq!(index.line_span(5, 6), (4, 7));
    assert_eq!(index.line_span(2, 10), (0, 13));
}

/// A pattern without the assertions a generator cannot produce (`^`, `$`, `\b`, `\A`, `\z`): strings made
/// from it are then checked against the real pattern.
fn strip_looks(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let next = chars.get(i + 1).copied().unwrap_or('\\');
            if in_class || !matches!(next, 'b' | 'B' | 'A' | 'z') {
                out.push(c);
                out.push(next);
            }
            i += 2;
            continue;
        }
        match c {
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` or `^]` right after the opening bracket is a literal.
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i + 1) == Some(&']') {
                    out.push(']');
                    i += 1;
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '^' | '$' if !in_class => {}
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Up to `n` ASCII strings generated from `pattern` (deterministically), or none when it cannot be.
fn samples(pattern: &str, n: usize) -> Vec<String> {
    use proptest::strategy::{Strategy, ValueTree};
    let stripped = strip_looks(pattern);
    // ASCII classes first (as the rules are compiled); a pattern that needs Unicode is generated with it.
    let strategy = match proptest::string::string_regex(&format!("(?-u){stripped}")) {
        Ok(s) => s,
        Err(_) => match proptest::string::string_regex(&stripped) {
            Ok(s) => s,
            Err(_) => return Vec::new(),
        },
    };
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    (0..n * 4)
        .filter_map(|_| strategy.new_tree(&mut runner).ok().map(|t| t.current()))
        .filter(|s| s.is_ascii() && !s.contains('\n'))
        .take(n)
        .collect()
}

/// A way to change a base text (given the secret's span and a path) into one an allow-list criterion
/// should drop: the path and the text to scan.
type Variant = Box<dyn Fn(&str, (usize, usize), &str) -> (String, String)>;

/// The spans rule `index` reports in `text` at `path`, with its own allow-lists applied or not.
fn reports(
    rules: &RuleSet,
    index: usize,
    path: &str,
    text: &str,
    lists: bool,
) -> Vec<(usize, usize)> {
    rules
        .find_inner(path, "", text.as_bytes(), lists)
        .into_iter()
        .filter(|m| m.rule == index)
        .map(|m| (m.start, m.end))
        .collect()
}

/// Up to 12 texts generated from rule `index`'s regex that the rule reports even with its allow-lists, each
/// with the span of its secret.
fn base_texts(rules: &RuleSet, index: usize, regex: &str) -> Vec<(String, (usize, usize))> {
    samples(regex, 300)
        .into_iter()
        .map(|s| format!("x {s}\n"))
        .filter_map(|t| {
            let found = reports(rules, index, "src/app.txt", &t, true);
            found.first().copied().map(|span| (t, span))
        })
        .take(12)
        .collect()
}

/// Each criterion of `list` as named variants of a base text that it should drop: a path generated from each
/// path pattern, each regex's sample put where its target says, stopwords put into the secret; for an AND
/// list, every non-path criterion combined with a path the list accepts.
fn allow_list_criteria(list: &Allowlist) -> Vec<(String, Variant)> {
    let mut criteria: Vec<(String, Variant)> = Vec::new();
    for p in &list.paths {
        for sample in samples(p.as_str(), 5) {
            criteria.push((
                format!("path {}", p.as_str()),
                Box::new(move |t: &str, _, _| (sample.clone(), t.to_owned())),
            ));
        }
    }
    for r in &list.regexes {
        for sample in samples(r.as_str(), 8) {
            criteria.push((
                format!("{:?} regex {}", list.target, r.as_str()),
                regex_variant(list.target, sample),
            ));
        }
    }
    for w in list
        .stopwords
        .iter()
        .step_by((list.stopwords.len() / 25).max(1))
    {
        let w = w.clone();
        criteria.push((
            "stopwords".to_owned(),
            Box::new(move |t: &str, (a, b): (usize, usize), path: &str| {
                let mid = a + (b - a) / 2;
                (path.to_owned(), format!("{}{w}{}", &t[..mid], &t[mid..]))
            }),
        ));
    }
    if list.all {
        criteria = all_at_once(criteria);
    }
    criteria
}

/// An allow-list regex's sample put where its target says: written over the end of the secret (keeping its
/// length when it can: a rule's regex often fixes it), or appended to the line.
fn regex_variant(target: Target, sample: String) -> Variant {
    Box::new(move |t: &str, (a, b): (usize, usize), path: &str| {
        let text = match target {
            Target::Secret | Target::Match => {
                let keep = (b - a).saturating_sub(sample.len());
                format!("{}{sample}{}", &t[..a + keep], &t[b..])
            }
            Target::Line => {
                let end = t[b..].find('\n').map_or(t.len(), |e| b + e);
                format!("{} {sample}{}", &t[..end], &t[end..])
            }
        };
        (path.to_owned(), text)
    })
}

/// For an AND allow-list: every non-path criterion applied at a path from the list's own paths.
fn all_at_once(criteria: Vec<(String, Variant)>) -> Vec<(String, Variant)> {
    let (paths, others): (Vec<_>, Vec<_>) = criteria
        .into_iter()
        .partition(|(n, _)| n.starts_with("path "));
    let paths = std::rc::Rc::new(paths);
    let mut combined: Vec<(String, Variant)> = Vec::new();
    for (name, apply) in others {
        let paths = paths.clone();
        combined.push((
            format!("AND of paths and {name}"),
            Box::new(move |t: &str, span: (usize, usize), _: &str| {
                // The first path sample that the list's paths accept.
                let path = paths
                    .first()
                    .map(|(_, p)| p(t, span, "").0)
                    .unwrap_or_default();
                apply(t, span, &path)
            }),
        ));
    }
    combined
}

/// Whether some variant named `name` turns some base text into one that rule `index` alone still reports (so
/// the change kept it a match) and its allow-lists drop.
fn criterion_drops_a_base(
    rules: &RuleSet,
    index: usize,
    criteria: &[(String, Variant)],
    name: &str,
    bases: &[(String, (usize, usize))],
) -> bool {
    criteria.iter().filter(|(c, _)| c == name).any(|(_, make)| {
        bases.iter().any(|(t, span)| {
            let (path, text) = make(t, *span, "src/app.txt");
            let without = reports(rules, index, &path, &text, false);
            !without.is_empty() && reports(rules, index, &path, &text, true).len() < without.len()
        })
    })
}

/// Every rule allow-list of the vendored rules, criterion by criterion (paths, each regex with its target,
/// stopwords), is shown to drop a match that the same rule reports without its allow-lists. The texts are
/// generated from the TOML's own patterns: a match of the rule's regex, then the allow-list's pattern put
/// where its target says (the secret, the match, the line) or the stopword into the secret, or the file at
/// a path generated from its path pattern.
#[test]
fn every_rule_allow_list_drops_what_its_rule_alone_reports() {
    let rules = RuleSet::gitleaks().unwrap();
    let mut proven: Vec<String> = Vec::new();
    let mut unproven: Vec<String> = Vec::new();
    let mut rules_with_lists = 0;
    for (index, rule) in rules.rules().iter().enumerate() {
        let Some(regex) = &rule.regex else { continue };
        if rule.allowlists.is_empty() {
            continue;
        }
        rules_with_lists += 1;
        let bases = base_texts(rules, index, regex.as_str());
        if bases.is_empty() {
            let made = samples(regex.as_str(), 5);
            unproven.push(format!("{}: no base text generated from {made:?}", rule.id));
            continue;
        }
        for (n, list) in rule.allowlists.iter().enumerate() {
            let criteria = allow_list_criteria(list);
            let mut names: Vec<String> = criteria.iter().map(|(n, _)| n.clone()).collect();
            names.dedup();
            for name in names {
                let entry = format!("{} allow-list {n}: {name}", rule.id);
                if criterion_drops_a_base(rules, index, &criteria, &name, &bases) {
                    proven.push(entry);
                } else {
                    unproven.push(entry);
                }
            }
        }
    }
    println!("proven ({}):\n  {}", proven.len(), proven.join("\n  "));
    println!(
        "not generated ({}):\n  {}",
        unproven.len(),
        unproven.join("\n  ")
    );
    assert!(rules_with_lists >= 9, "{rules_with_lists}");
    // What cannot be shown this way, and why; any other criterion that stops working fails the test.
    let unproven_names: Vec<&str> = unproven
        .iter()
        .map(|u| u.split(" from ").next().unwrap_or(u))
        .collect();
    assert_eq!(
        unproven_names,
        [
            // `.+EXAMPLE`: the generator's `.+` makes strings no 20-character key can end with.
            "aws-access-token allow-list 0: Secret regex .+EXAMPLE$",
            // A sample key of sequential letters: the placeholder check drops it before any allow-list.
            "gcp-api-key allow-list 0: Secret regex AIzaSyabcdefghijklmnopqrstuvwxyz1234567",
            // Letters only: a generic rule's secret must hold a digit, checked before the allow-lists.
            "generic-api-key allow-list 0: Secret regex ^[a-zA-Z_.-]+$",
            // Their regexes span YAML documents or XML elements: the generator makes no text they match.
            "kubernetes-secret-yaml: no base text generated",
            "nuget-config-password: no base text generated",
        ]
    );
    assert!(proven.len() >= 20, "{}", proven.len());
    assert!(
        rules.global.iter().all(|g| !g.paths.is_empty()),
        "the global allow-list has paths"
    );
}

/// A gitleaks report (`gitleaks detect --report-path`) of one finding of `rule` whose value is `secret`.
fn gitleaks_report(rule: &str, secret: &str) -> String {
    format!(
        r#"[
 {{
  "Description": "copied",
  "StartLine": 14,
  "Match": "token = \"{secret}\"",
  "Secret": "{secret}",
  "File": "src/config.py",
  "Commit": "22f499894e8aea51fbe33014f9c1c33ad9c702e3",
  "RuleID": "{rule}",
  "Fingerprint": "22f499894e8aea51fbe33014f9c1c33ad9c702e3:src/config.py:{rule}:14"
 }}
]
"#
    )
}

#[test]
fn a_value_a_gitleaks_report_copied_is_reported_marked_and_anything_else_in_it_is_not() {
    let rules = RuleSet::gitleaks().unwrap();
    let github = ["gh", "p_", "R7kQ2mX9vL4pW8nB3tY6cJ1fH5sD0aZ2eUqT"].concat();
    let report = gitleaks_report("github-pat", &github);
    let found = rules.find("gitleaks-baseline.json", "", report.as_bytes());
    assert!(!found.is_empty(), "the copy is still reported");
    assert!(found.iter().all(|m| m.marked), "{found:?}");
    assert!(
        found
            .iter()
            .all(|m| m.note.as_deref() == Some(REPORT_COPY_NOTE)),
        "{found:?}"
    );
    // A key outside the entries' `Match` and `Secret` (here in `Description`) is not a copy: not marked.
    let other = ["gh", "p_", "Z1aQ2wS3eD4rF5tG6yH7uJ8iK9oL0pM1nB2v"].concat();
    let planted = report.replace("\"copied\"", &format!("\"{other}\""));
    let found = rules.find("gitleaks-baseline.json", "", planted.as_bytes());
    let unmarked: Vec<_> = found.iter().filter(|m| !m.marked).collect();
    assert_eq!(unmarked.len(), 1, "{found:?}");
    assert_eq!(
        &planted.as_bytes()[unmarked[0].start..unmarked[0].end],
        other.as_bytes()
    );
    // The same entries in a file that is not a gitleaks report (no `RuleID`, or not an array): not marked.
    for not_a_report in [
        report.replace("RuleID", "Rule"),
        report.replace("Fingerprint", "Print"),
        format!("{{\"findings\": {report}}}"),
    ] {
        let found = rules.find("findings.json", "", not_a_report.as_bytes());
        assert!(
            !found.is_empty() && found.iter().all(|m| !m.marked),
            "{found:?}"
        );
    }
}

proptest::proptest! {
    /// Whatever real credential shape a gitleaks report holds — an AWS key pair, a GitHub token — that keepopen
    /// reports in a source file (unmarked there), it still reports in the report (marked as the authors' record,
    /// never dropped): the report marks its own copy only.
    #[test]
    fn a_real_credential_shape_in_a_gitleaks_report_is_never_dropped(
        key_id in "AKIA[A-Z2-7]{16}",
        secret_key in "[A-Za-z0-9/+]{40}",
        github in "ghp_[A-Za-z0-9]{36}",
    ) {
        let rules = RuleSet::gitleaks().unwrap();
        let aws = format!("aws_access_key_id = {key_id}\naws_secret_access_key = {secret_key}");
        for (rule, value) in [("aws-access-token", key_id.as_str()), ("github-pat", github.as_str())] {
            // Only values the rules take for credentials at a source (a generated `AKIAAAAA…` is a placeholder).
            let source = format!("{aws}\ntoken = \"{github}\"\n");
            let at_source = rules.find("src/config.py", "", source.as_bytes());
            proptest::prop_assume!(at_source.iter().any(|m| rules.rules()[m.rule].id == rule));
            proptest::prop_assert!(at_source.iter().all(|m| !m.marked));
            let report = gitleaks_report(rule, value);
            let in_report = rules.find("gitleaks-baseline.json", "", report.as_bytes());
            let copies: Vec<_> = in_report
                .iter()
                .filter(|m| rules.rules()[m.rule].id == rule)
                .collect();
            proptest::prop_assert!(!copies.is_empty(), "{rule} dropped from a report: {in_report:?}");
            proptest::prop_assert!(copies.iter().all(|m| m.marked));
        }
    }
}

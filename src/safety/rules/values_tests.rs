//! Values that are not secrets by what they are and what they are named (woven sequences, words and a date, a
//! template's UUID, a curl header's placeholder), and the property that guards them: real credential shapes
//! are found whatever such text surrounds them.

use super::*;
use crate::safety::samples::{is_identifier, is_placeholder, is_uuid, name_says_not_a_secret};
use proptest::prelude::*;

#[test]
fn two_sequences_woven_together_are_a_placeholder_and_random_keys_are_not() {
    // `a1b2c3d4e5f6` was once a negative example of short runs; it is `abcdef` woven with `123456`.
    for p in [
        "a1B2c3D4e5F6",
        "a1b2c3d4e5f6",
        "1a2b3c4d5e6f",
        "A0B0C0D0",
        "z9y8x7w6v5u4",
        "aZbYcXdW",
        "q1w2e3r4t5",
    ] {
        assert!(is_placeholder(p.as_bytes()), "{p}");
    }
    for s in [
        "q8Xv2Lm9TzR4kW7pN3bY6hJ1",
        "a1B7c9D2x5F0",
        "x1k2p3m4z5",
        "fa5a9bca-ac57-435d-b450-201ca209379b",
    ] {
        assert!(!is_placeholder(s.as_bytes()), "{s}");
    }
}

#[test]
fn a_name_of_words_and_a_calendar_date_is_an_identifier() {
    for v in [
        "trivy-db-20240925AM",
        "trivy-db-trivy-db-20240926am",
        "backup_20231231",
        "Release.19991231.final",
    ] {
        assert!(is_identifier(v.as_bytes()), "{v}");
    }
    for v in [
        "trivy-db-20241325AM",
        "trivy-db-20240230",
        "trivy-db-20240925XM",
        "trivy-db-19690101",
        "prod_db_password_20231",
        "trivy-db-q8Xv2Lm9TzR4",
    ] {
        assert!(!is_identifier(v.as_bytes()), "{v}");
    }
}

#[test]
fn a_uuid_is_an_id_only_under_a_head_word_for_a_thing_referred_to_by_id() {
    let uuid = b"fa5a9bca-ac57-435d-b450-201ca209379b".as_slice();
    assert!(is_uuid(uuid));
    for prefix in [
        "  ACCESS_INFO_EMAIL_TEMPLATE = \"",
        "authTenant: ",
        "API_ACCESS_SUBSCRIPTION=",
    ] {
        assert!(name_says_not_a_secret(prefix.as_bytes(), uuid), "{prefix}");
    }
    for (prefix, value) in [
        (
            "  ACCESS_INFO_EMAIL_TEMPLATE = \"",
            b"q8Xv2Lm9TzR4kW7pN3bY6hJ1".as_slice(),
        ),
        ("TEMPLATE_API_KEY = \"", uuid),
        ("templateSecret: ", uuid),
        ("X-API-Key: ", uuid),
        ("EMAIL_TEMPLATE_TOKEN=", uuid),
    ] {
        assert!(
            !name_says_not_a_secret(prefix.as_bytes(), value),
            "{prefix}"
        );
    }
}

#[test]
fn only_free_form_rules_take_a_value_of_words_for_a_name() {
    let rules = RuleSet::gitleaks().unwrap();
    let ids = |text: &str| -> Vec<String> {
        rules
            .find("docs/api.md", "", text.as_bytes())
            .into_iter()
            .map(|m| rules.rules()[m.rule].id.clone())
            .collect()
    };
    let header = "curl https://api.example.gov.uk -H \"Authorization: Bearer your_api_key\"\n";
    assert_eq!(ids(header), Vec::<String>::new());
    // curl's `--user`: a password of words is a real password, so that rule is not softened.
    let user = "curl --anyauth --user admin:spoken-chest -X POST https://db.example.gov.uk\n";
    assert_eq!(ids(user), vec!["curl-auth-user".to_owned()]);
}

/// Text holding every shape this file clears: the Rails template's example key, a dated cache key, a curl
/// header's placeholder, a Notify template's UUID; the credentials are written among them.
fn surroundings(pick: &[bool]) -> String {
    let lines = [
        "# shared:\n#   api_key: a1B2c3D4e5F6\n",
        "      with:\n        key: trivy-db-20240925AM\n",
        "curl https://api.example.gov.uk -H \"Authorization: Bearer your_api_key\"\n",
        "  ACCESS_INFO_EMAIL_TEMPLATE = \"fa5a9bca-ac57-435d-b450-201ca209379b\"\n",
        "date=20240925AM template=email tenant=a1b2c3d4\n",
    ];
    lines
        .iter()
        .zip(pick.iter().cycle())
        .filter(|(_, keep)| **keep)
        .map(|(l, _)| *l)
        .collect()
}

fn pem(body: &[u8]) -> String {
    use base64::Engine;
    let text = base64::engine::general_purpose::STANDARD.encode(body);
    let lines: Vec<&str> = text
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let kind = ["RSA", "PRIVATE"].join(" ");
    format!(
        "-----BEGIN {kind} KEY-----\n{}\n-----END {kind} KEY-----\n",
        lines.join("\n")
    )
}

/// The rule ids found at exactly `value` in `text`.
fn found_at(rules: &RuleSet, path: &str, text: &str, value: &str) -> Vec<String> {
    found_at_with(rules, path, text, value, true)
}

/// [`found_at`], with the rules' own allow-lists (gitleaks' stopwords among them) applied or not.
fn found_at_with(
    rules: &RuleSet,
    path: &str,
    text: &str,
    value: &str,
    rule_allowlists: bool,
) -> Vec<String> {
    let at = text.find(value).expect("the value is in the text");
    rules
        .find_inner(path, "", text.as_bytes(), rule_allowlists)
        .into_iter()
        .filter(|m| m.start >= at && m.end <= at + value.len() + 1)
        .map(|m| rules.rules()[m.rule].id.clone())
        .collect()
}

/// Whether `value` is at or under the entropy threshold of rule `id`.
fn low_entropy(rules: &RuleSet, id: &str, value: &str) -> bool {
    let rule = rules.rules().iter().find(|r| r.id == id).expect("rule");
    rule.entropy()
        .is_some_and(|t| shannon_entropy(value.as_bytes()) <= t)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// An AWS key pair, a GitHub token, a random secret under a secret's name (a template's name or a date
    /// beside it included) and a private key are found as they are found alone, whatever of the text these
    /// checks clear surrounds them, in any kind of file.
    #[test]
    fn real_credential_shapes_are_found_whatever_surrounds_them(
        key_id in "AKIA[A-Z2-7]{16}",
        secret_key in "[A-Za-z0-9/+]{40}",
        github in "ghp_[A-Za-z0-9]{36}",
        random in "[A-Za-z0-9]{32,48}",
        name in prop::sample::select(vec![
            "client_secret", "ACCESS_INFO_EMAIL_TEMPLATE_SECRET", "api_key_20240925", "templateToken",
            "TENANT_PASSWORD",
        ]),
        body in prop::collection::vec(any::<u8>(), 120..400),
        pick in prop::collection::vec(any::<bool>(), 5),
        path in prop::sample::select(vec!["config/secrets.yml", "docs/api.md", "app/mailer.rb", ".env"]),
    ) {
        let rules = RuleSet::gitleaks().unwrap();
        let around = surroundings(&pick);
        // Each credential, the rule that must find it, and whether it must be found at all: a generated value
        // can miss its rule in its own right (a 40-character AWS secret starting with `/`, a random value with
        // no digit, which gitleaks' generic rule skips), and then the property is only that nothing changes.
        // Found means found before the rule's own allow-lists: gitleaks' stopwords (`md5` in a random value)
        // are gitleaks' judgement, not this file's.
        let has_digit = random.bytes().any(|b| b.is_ascii_digit());
        let cases = [
            ("aws-access-token", format!("aws_access_key_id = {key_id}\n"), key_id.clone(), true),
            ("generic-api-key", format!("aws_secret_access_key = {secret_key}\n"), secret_key.clone(), false),
            ("github-pat", format!("token = \"{github}\"\n"), github.clone(), true),
            ("generic-api-key", format!("{name} = \"{random}\"\n"), random.clone(), has_digit),
            ("private-key", pem(&body), pem(&body), true),
        ];
        for (rule, line, value, must) in cases {
            let alone = found_at(rules, path, &line, &value);
            let among = format!("{around}{line}{around}");
            let with = found_at(rules, path, &among, &value);
            prop_assert_eq!(&alone, &with, "{} in {}:\n{}", rule, path, among);
            // A generated value below its rule's own entropy threshold (`AKIAAA222A2AA…`) is not one the rule
            // takes for a credential anywhere; every other one must be found among the surroundings.
            let rule_takes_it = found_at_with(rules, path, &line, &value, false)
                .iter()
                .any(|r| r == rule);
            let with_unlisted = found_at_with(rules, path, &among, &value, false);
            prop_assert!(!rule_takes_it || with_unlisted.iter().any(|r| r == rule), "{} lost: {}", rule, value);
            prop_assert!(!must || rule_takes_it || low_entropy(rules, rule, &value), "{} alone: {}", rule, value);
        }
    }

    /// Random hex and UUIDs, the shapes of most keys, are never taken for typed sequences or names, and a UUID
    /// under a credential's head word is never taken for an id.
    #[test]
    fn random_hex_and_uuids_are_neither_placeholders_nor_names(
        hex in "[0-9a-f]{32,64}",
        uuid in "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        head in prop::sample::select(vec!["KEY", "Secret", "token", "PASSWORD", "ApiKey", "auth"]),
        before in prop::sample::select(vec!["ACCESS_INFO_EMAIL_TEMPLATE_", "tenant", "project-", ""]),
    ) {
        prop_assert!(!is_placeholder(hex.as_bytes()));
        prop_assert!(!is_identifier(hex.as_bytes()));
        prop_assert!(!is_placeholder(uuid.as_bytes()));
        prop_assert!(!is_identifier(uuid.as_bytes()));
        let prefix = format!("{before}{head} = \"");
        prop_assert!(!name_says_not_a_secret(prefix.as_bytes(), uuid.as_bytes()), "{}", prefix);
    }
}

use super::*;
use proptest::prelude::*;

#[test]
fn a_value_made_of_its_names_words_restates_it() {
    for (prefix, value) in [
        ("\"password\" = ", "\"password\""),
        ("\"password\" = ", "\"a_password\""),
        ("api_key: ", "your-api-key"),
        ("DB_PASSWORD=", "change_me_password"),
        ("adminPassword: '", "aPassword"),
    ] {
        assert!(
            restates_its_name(prefix.as_bytes(), value.as_bytes()),
            "{prefix}{value}"
        );
    }
    for (prefix, value) in [
        ("\"password\" = ", "\"password1\""),
        ("\"password\" = ", "\"grafana_admin\""),
        ("api_key: ", "your-key-k7q2zm9x"),
        ("secret: ", "the"),
        ("token: ", ""),
    ] {
        assert!(
            !restates_its_name(prefix.as_bytes(), value.as_bytes()),
            "{prefix}{value}"
        );
    }
}

/// Whether the value of `key` in `text` (its first `"`-quoted string after `key`) is taken for a pair's key.
fn pair_key_in(text: &str, value: &str) -> bool {
    let start = text.find(value).expect("value in text");
    let name_start = text[..start]
        .rfind("Key")
        .or_else(|| text[..start].rfind("key"))
        .expect("key");
    is_key_of_a_pair(text.as_bytes(), name_start, start..start + value.len())
}

#[test]
fn a_pairs_key_is_a_name_beside_its_value() {
    let json = "{\n  \"Key\": \"dfe_preferredteachingsubject01\",\n  \"Value\": { \"Id\": 1 }\n}\n";
    assert!(pair_key_in(json, "dfe_preferredteachingsubject01"));
    let before = "{\n  \"Value\": 1,\n  \"Key\": \"dfe_preferrededucationphase01\"\n}\n";
    assert!(pair_key_in(before, "dfe_preferrededucationphase01"));
    let xml = "<appSettings>\n  <add key=\"Payments.Timeout2\" value=\"30\" />\n</appSettings>\n";
    assert!(pair_key_in(xml, "Payments.Timeout2"));
    let yaml = "tags:\n  - key: costCentre2024\n    value: digital\n";
    assert!(pair_key_in(yaml, "costCentre2024"));
}

#[test]
fn a_key_without_a_value_beside_it_or_of_a_random_shape_is_not_a_pairs_key() {
    // No `value` in the object: `key` names a credential.
    let alone = "{\n  \"Key\": \"dfe_preferredteachingsubject01\",\n  \"Name\": \"x\"\n}\n";
    assert!(!pair_key_in(alone, "dfe_preferredteachingsubject01"));
    // A `value` in another, outer object does not count.
    let outer = "{\n  \"Value\": 1,\n  \"inner\": {\n    \"Key\": \"dfe_subject01\"\n  }\n}\n";
    assert!(!pair_key_in(outer, "dfe_subject01"));
    // A name other than `key` alone.
    let api = "{\n  \"api_key\": \"dfe_subject01\",\n  \"value\": 1\n}\n";
    let start = api.find("dfe_subject01").expect("value");
    assert!(!is_key_of_a_pair(
        api.as_bytes(),
        api.find("api_key").expect("name"),
        start..start + 13
    ));
    // A random value.
    let random = "{\n  \"Key\": \"Zq8Xv2Lm9TzR4kW7pN3bY6hJ1\",\n  \"Value\": 1\n}\n";
    assert!(!pair_key_in(random, "Zq8Xv2Lm9TzR4kW7pN3bY6hJ1"));
}

#[test]
fn the_samples_of_the_oauth_standards_are_published_and_nothing_like_them_is() {
    let secret = ["7Fjfp0ZBr1", "KtDRbnfVdmIw"].concat();
    assert!(published_by_a_standard(secret.as_bytes()));
    assert!(!published_by_a_standard(b"7Fjfp0ZBr1KtDRbnfVdmIx"));
}

/// Real credential shapes: an AWS key pair, a GitHub token, a random secret of 32 or more characters, a PEM
/// key's body line.
fn credential() -> impl Strategy<Value = String> {
    prop_oneof![
        "AKIA[A-Z2-7]{16}",
        "[A-Za-z0-9/+]{40}",
        "ghp_[A-Za-z0-9]{36}",
        "[A-Za-z0-9]{32,64}",
        "[0-9a-f]{32,64}",
        "MII[A-Za-z0-9+/]{60}",
    ]
    .prop_filter("has a digit and a letter", |s| {
        s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().any(|b| b.is_ascii_alphabetic())
    })
}

/// Names a credential is found under, and surroundings (a pair's `Value` beside it included).
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("key".to_string()),
        Just("Key".to_string()),
        Just("password".to_string()),
        Just("client_secret".to_string()),
        "[a-z]{1,8}(_[a-z]{1,8}){0,3}",
    ]
}

/// Rules whose secret names a vendor: their credentials are judged by their own shape wherever they sit.
/// A private key too: its block is never an example, whatever the README around it points at.
const VENDOR_RULES: &[&str] = &[
    "aws-access-token",
    "github-pat",
    "slack-webhook-url",
    "private-key",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_real_credential_is_never_written_for_a_reader(
        secret in credential(),
        name in name(),
        quote in prop_oneof![Just(""), Just("\""), Just("'")],
        host in "[a-z]{3,10}\\.(gov\\.uk|com|io|nhs\\.uk)",
        before in "[ -~\n]{0,80}",
        after in "[ -~\n]{0,80}",
    ) {
        for layout in [
            format!("{before}\n  \"{name}\": {quote}{secret}{quote},\n  \"Value\": 1\n{after}"),
            format!("{before}<add {name}={quote}{secret}{quote} value=\"1\" />{after}"),
            format!("{before}- {name}: {quote}{secret}{quote}\n  value: x\n{after}"),
            // A document's example that names a real host (and a local one): kept.
            format!("{before}\n\n```\ncurl https://{host}/v1 http://localhost:3000\n{name}={quote}{secret}{quote}\n```\n{after}"),
            format!("{before}\n\n    POST /token HTTP/1.1\n    Host: {host}\n\n    {name}={secret}\n{after}"),
        ] {
            let start = layout.rfind(&secret).expect("secret in text");
            let name_start = layout[..start].rfind(&name).expect("name in text");
            for rule in ["generic-api-key"].iter().chain(VENDOR_RULES) {
                for path in ["config/settings.json", "README.md", "docs/api.rst"] {
                    let range = start..start + secret.len();
                    prop_assert!(
                        !written_for_a_reader(rule, path, layout.as_bytes(), name_start, range),
                        "{} {} {}", rule, path, layout
                    );
                }
            }
            prop_assert!(!published_by_a_standard(secret.as_bytes()));
        }
    }

    #[test]
    fn a_vendors_credential_in_a_documents_local_example_is_kept(
        secret in credential(),
        name in name(),
        before in "[ -~\n]{0,80}",
    ) {
        let layout = format!("{before}\n\n```\ncurl http://localhost:8080/x -d '{name}={secret}'\n```\n");
        let start = layout.rfind(&secret).expect("secret in text");
        let name_start = layout[..start].rfind(&name).expect("name in text");
        for rule in VENDOR_RULES {
            prop_assert!(!written_for_a_reader(rule, "README.md", layout.as_bytes(), name_start, start..start + secret.len()));
        }
    }
}

#[test]
fn a_documents_example_for_no_real_host_is_told_by_its_block() {
    let fenced = "# API\n\n```\n  POST\n  http://localhost:18624/mock_validate\n  body:\n  {\n    \"s3_key\" : \"VALUE\"\n  }\n```\n";
    let at = fenced.find("VALUE").expect("value");
    assert!(example_for_no_real_host("README.md", fenced.as_bytes(), at));
    // Not a document, or outside the block.
    assert!(!example_for_no_real_host(
        "src/client.js",
        fenced.as_bytes(),
        at
    ));
    let after = format!("{fenced}\nkey = VALUE2\n");
    let at2 = after.find("VALUE2").expect("value");
    assert!(!example_for_no_real_host(
        "README.md",
        after.as_bytes(),
        at2
    ));
    let indented = "Send, eg.\n\n    POST /token HTTP/1.1\n\n    Host: server.example.com\n\n    client_secret=VALUE\n\nThen.\n";
    let at = indented.find("VALUE").expect("value");
    assert!(example_for_no_real_host(
        "doc/oauth.md",
        indented.as_bytes(),
        at
    ));
    // A block naming a real host, or none.
    let real = indented.replace("server.example.com", "signon.publishing.service.gov.uk");
    assert!(!example_for_no_real_host(
        "doc/oauth.md",
        real.as_bytes(),
        real.find("VALUE").expect("value")
    ));
    let none = "Set:\n\n    client_secret=VALUE\n";
    assert!(!example_for_no_real_host(
        "doc/oauth.md",
        none.as_bytes(),
        none.find("VALUE").expect("value")
    ));
}

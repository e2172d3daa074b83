//! Matched values a reader sees are not secrets from the value and the name it is given (issue 22): a value
//! made of sequences typed by hand, a cache key built from words and a date, the words of a documentation
//! placeholder in a curl header, and a UUID named for the thing it identifies. Each class beside a control: the
//! same place holding a random value is still a finding. Each test builds a real git repository with git2 and
//! runs the real scan; every made-up secret is assembled at run time so this file holds none.

use crate::fixture::RepoFixture;
use crate::support::scan::{rule_path_lines, scan};

/// A made-up 20-character value of high entropy with digits.
fn random_value() -> String {
    ["q8Xv2L", "m9TzR4", "kW7pN3", "bY"].concat()
}

/// A made-up random UUID (version 4 layout).
fn random_uuid() -> String {
    ["3f9c2e71", "-a4d8-4b6e-9f13-", "c07e5a2b9d46"].concat()
}

/// The Rails generator's `config/secrets.yml` header: a commented example whose value is two interleaved
/// sequences (`a b c d e f` and `1 2 3 4 5 6`).
fn rails_secrets(example: &str) -> String {
    format!(
        "# Shared secrets are available across all environments.\n\n# shared:\n#   api_key: {example}\n\n\
         production:\n  secret_key_base: <%= ENV[\"SECRET_KEY_BASE\"] %>\n"
    )
}

#[test]
fn a_value_made_of_interleaved_sequences_is_a_placeholder_and_a_random_one_is_not() {
    let typed = ["a1B2", "c3D4", "e5F6"].concat();
    let fx = RepoFixture::one_commit(&[("config/secrets.yml", rails_secrets(&typed))]);
    assert_eq!(rule_path_lines(&scan(&fx)), vec![]);

    let fx =
        RepoFixture::one_commit(&[("config/secrets.yml", rails_secrets(&random_value()[..12]))]);
    assert_eq!(
        rule_path_lines(&scan(&fx)),
        vec![(
            "generic-api-key".into(),
            "config/secrets.yml".into(),
            Some(4)
        )]
    );
}

/// An actions/cache step whose key is `value`.
fn cache_step(value: &str) -> String {
    format!(
        "jobs:\n  scan:\n    steps:\n      - name: Cache trivy db\n        uses: actions/cache@v4\n        with:\n          \
         path: ~/.cache/trivy\n          key: {value}\n"
    )
}

#[test]
fn a_key_made_of_words_and_a_date_is_a_name_and_one_with_a_random_part_is_not() {
    for value in ["trivy-db-20240925AM", "trivy-db-trivy-db-20240926am"] {
        let fx = RepoFixture::one_commit(&[(".github/workflows/scan.yml", cache_step(value))]);
        assert_eq!(rule_path_lines(&scan(&fx)), vec![], "{value}");
    }
    // A number that is not a calendar date (month 13) is not a date, and a random part is not a word.
    for value in [
        "trivy-db-20241325AM".to_owned(),
        format!("trivy-db-{}", random_value()),
    ] {
        let fx = RepoFixture::one_commit(&[(".github/workflows/scan.yml", cache_step(&value))]);
        assert_eq!(
            rule_path_lines(&scan(&fx)),
            vec![(
                "generic-api-key".into(),
                ".github/workflows/scan.yml".into(),
                Some(8)
            )],
            "{value}"
        );
    }
}

/// API documentation showing a curl call with the header `Authorization: Bearer <value>`.
fn api_doc(value: &str) -> String {
    format!(
        "# Authentication\n\nThe server expects an API key in a header.\n\n## Example\n\n```shell\n\
         curl \"https://api.example.gov.uk/v1/subjects\" -H \"Authorization: Bearer {value}\"\n```\n"
    )
}

#[test]
fn a_curl_header_naming_the_readers_own_key_is_a_placeholder_and_a_real_token_is_not() {
    for value in ["your_api_key", "YOUR-ACCESS-TOKEN"] {
        let fx = RepoFixture::one_commit(&[("docs/api.md", api_doc(value))]);
        assert_eq!(rule_path_lines(&scan(&fx)), vec![], "{value}");
    }
    let fx = RepoFixture::one_commit(&[("docs/api.md", api_doc(&random_value()))]);
    assert_eq!(
        rule_path_lines(&scan(&fx)),
        vec![("curl-auth-header".into(), "docs/api.md".into(), Some(8))]
    );
}

/// A mailer naming GOV.UK Notify templates by id, one constant's name holding `value` under `name`.
fn mailer(name: &str, value: &str) -> String {
    format!(
        "class UserMailer < ApplicationMailer\n  SIGN_IN_EMAIL_TEMPLATE = \"{}\"\n  {name} = \"{value}\"\nend\n",
        ["7c1d0b2e", "-55aa-4c3e-8d21-", "9b6f0e4a7c13"].concat()
    )
}

#[test]
fn a_uuid_named_for_a_template_identifies_it_and_one_named_for_a_key_is_a_secret() {
    let fx = RepoFixture::one_commit(&[(
        "app/mailers/user_mailer.rb",
        mailer("ACCESS_INFO_EMAIL_TEMPLATE", &random_uuid()),
    )]);
    assert_eq!(rule_path_lines(&scan(&fx)), vec![]);

    // The same value named for what opens an account, or a random value under the template's name.
    for (name, value) in [
        ("ACCESS_INFO_API_KEY", random_uuid()),
        ("NOTIFY_ACCESS_TOKEN", random_uuid()),
        ("ACCESS_INFO_EMAIL_TEMPLATE", random_value()),
    ] {
        let fx = RepoFixture::one_commit(&[("app/mailers/user_mailer.rb", mailer(name, &value))]);
        assert_eq!(
            rule_path_lines(&scan(&fx)),
            vec![(
                "generic-api-key".into(),
                "app/mailers/user_mailer.rb".into(),
                Some(3)
            )],
            "{name}"
        );
    }
}

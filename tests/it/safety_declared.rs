//! The history scan on values a file's own structure declares inactive or local (issue 22, precision): the
//! commented-out default a generator wrote into a template of documented options (Devise's
//! `# config.secret_key = '…'`), and the members of a configuration block whose heading comment says the block
//! is for local use. The same values wherever one piece of that evidence is missing stay findings, and an AWS
//! key pair, a GitHub token or a private key stays a finding in every one of these places. Each test builds a
//! real git repository and runs the real scan; every made-up secret is assembled at run time.

use proptest::prelude::*;

use crate::fixture::RepoFixture;
use crate::support::scan::{aws_key, private_key, rule_paths, scan};

/// A made-up 128-hex-digit value, as a generator's `SecureRandom.hex(64)` writes one.
fn generated_hex() -> String {
    [
        "6f9f24ce61f6be17",
        "4a3ce4488aee7cee",
        "4d67b80e2fc4e936",
        "220f92e958fb22f4",
    ]
    .concat()
    .repeat(2)
}

/// A made-up 32-character secret of high entropy.
fn made_up_secret() -> String {
    ["bTOIXx2J", "XA9Xzevk", "pWn3lQG2", "7diVCTHa"].concat()
}

/// An initializer as an authentication library's generator writes it: each option documented in prose, with
/// its default commented out, a few settings active; `secret_line` is the secret option's line.
fn generated_initializer(secret_line: &str, extra: &str) -> String {
    let mut text = String::from("# frozen_string_literal: true\n\nAuth.setup do |config|\n");
    text.push_str(
        "  # The key the library signs its tokens with. It defaults to the application's\n",
    );
    text.push_str("  # own key base; set another one here if you need to.\n");
    text.push_str(&format!("  {secret_line}\n\n"));
    for (i, option) in [
        "parent_controller",
        "mailer_sender",
        "mailer",
        "parent_mailer",
        "authentication_keys",
        "request_keys",
        "case_insensitive_keys",
        "strip_whitespace_keys",
        "params_authenticatable",
        "http_authenticatable",
        "paranoid",
        "stretches",
    ]
    .iter()
    .enumerate()
    {
        text.push_str(&format!("  # Option number {i}: what {option} changes.\n"));
        if i % 4 == 0 {
            text.push_str(&format!("  config.{option} = {i}\n\n"));
        } else {
            text.push_str(&format!("  # config.{option} = {i}\n\n"));
        }
    }
    text.push_str(extra);
    text.push_str("end\n");
    text
}

const DEVISE: &str = "config/initializers/auth.rb";

fn generic(path: &str) -> Vec<(String, String)> {
    vec![("generic-api-key".into(), path.into())]
}

#[test]
fn a_generators_commented_out_secret_default_is_not_a_finding() {
    let line = format!("# config.secret_key = '{}'", generated_hex());
    let fx = RepoFixture::one_commit(&[(DEVISE, generated_initializer(&line, ""))]);
    assert_eq!(rule_paths(&scan(&fx)), []);
}

#[test]
fn the_same_default_set_active_is_a_finding() {
    let line = format!("config.secret_key = '{}'", generated_hex());
    let fx = RepoFixture::one_commit(&[(DEVISE, generated_initializer(&line, ""))]);
    assert_eq!(rule_paths(&scan(&fx)), generic(DEVISE));
}

#[test]
fn a_commented_value_beside_an_active_setting_of_the_same_key_is_a_finding() {
    // The comment may hold the value the active line replaced.
    let line = format!("# config.secret_key = '{}'", generated_hex());
    let extra = "  config.secret_key = ENV['AUTH_SECRET_KEY']\n";
    let fx = RepoFixture::one_commit(&[(DEVISE, generated_initializer(&line, extra))]);
    assert_eq!(rule_paths(&scan(&fx)), generic(DEVISE));
}

#[test]
fn a_commented_value_without_its_options_prose_above_is_a_finding() {
    let text = generated_initializer(&format!("# config.secret_key = '{}'", generated_hex()), "")
        .replace(
            "  # own key base; set another one here if you need to.\n",
            "\n",
        );
    let fx = RepoFixture::one_commit(&[(DEVISE, text)]);
    assert_eq!(rule_paths(&scan(&fx)), generic(DEVISE));
}

#[test]
fn a_secret_pasted_into_a_comment_of_an_ordinary_file_is_a_finding() {
    let path = "src/main/resources/application.properties";
    let text = format!(
        "server.port=${{SERVER_PORT:8082}}\nmongo.user=${{MONGODB_USER:}}\n\n# Shared CI database\n\
         # mongo.password = {}\n\nloglevel=info\n",
        made_up_secret()
    );
    let fx = RepoFixture::one_commit(&[(path, text)]);
    assert_eq!(rule_paths(&scan(&fx)), generic(path));
}

/// A HOCON configuration with a block of keys, headed by `heading` (comment lines), itself inside `outer`
/// when that is not empty.
fn hocon(heading: &str, outer: bool, value: &str) -> String {
    let block = format!(
        "{heading}request-body-encryption {{\n    hashing-key = \"{value}\"\n    previousKeys = []\n}}\n"
    );
    let block = if outer {
        format!("{heading}services {{\n  payments {{\n    signing-key = \"{value}\"\n  }}\n}}\n")
    } else {
        block
    };
    format!("appName = \"frontend\"\n\n{block}\nmetrics.enabled = true\n")
}

const LOCAL_HEADING: &str = "# These keys are only used in our local environment for testing purposes.\n\
                             # The real keys are set in each environment's own configuration.\n";

#[test]
fn a_member_of_a_block_its_heading_declares_local_is_not_a_finding() {
    let path = "conf/application.conf";
    let fx = RepoFixture::one_commit(&[(path, hocon(LOCAL_HEADING, false, &made_up_secret()))]);
    assert_eq!(rule_paths(&scan(&fx)), []);
}

#[test]
fn a_member_of_a_block_with_any_other_heading_or_a_nested_one_is_a_finding() {
    let path = "conf/application.conf";
    let other = "# Keys of the request body encryption.\n";
    for text in [
        hocon(other, false, &made_up_secret()),
        hocon("", false, &made_up_secret()),
        // The heading is two blocks up: it speaks of `services`, not of `payments`.
        hocon(LOCAL_HEADING, true, &made_up_secret()),
    ] {
        let fx = RepoFixture::one_commit(&[(path, text.clone())]);
        assert_eq!(rule_paths(&scan(&fx)), generic(path), "{text}");
    }
}

#[derive(Debug, Clone, Copy)]
enum Shape {
    AwsKeyPair,
    GitHubToken,
    PrivateKey,
}

/// The value and the rule that must report it.
fn credential(shape: Shape, seed: &str) -> (String, &'static str) {
    match shape {
        Shape::AwsKeyPair => (aws_key(), "aws-access-token"),
        Shape::GitHubToken => (format!("ghp_{}", &seed[..36]), "github-pat"),
        Shape::PrivateKey => (private_key().replace('\n', "\\n"), "private-key"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Whatever surrounds it, in the generator's commented-out line or in the block declared local, a vendor's
    /// credential or a private key is reported by its own rule; and a random secret under a secret name on an
    /// active line of the template is reported too.
    #[test]
    fn real_credential_shapes_are_never_dropped_by_the_files_declarations(
        shape in prop::sample::select(vec![Shape::AwsKeyPair, Shape::GitHubToken, Shape::PrivateKey]),
        place in 0usize..3,
        seed in "[A-Za-z0-9]{40}",
    ) {
        let (value, rule) = credential(shape, &seed);
        let (path, text) = match place {
            0 => (DEVISE, generated_initializer(&format!("# config.secret_key = '{value}'"), "")),
            1 => ("conf/application.conf", hocon(LOCAL_HEADING, false, &value)),
            _ => (DEVISE, generated_initializer(&format!("# config.secret_key = '{}'", generated_hex()),
                &format!("  config.api_secret = '{}{}'\n", made_up_secret(), &seed[..8]))),
        };
        let fx = RepoFixture::one_commit(&[(path, text.clone())]);
        let found = rule_paths(&scan(&fx));
        let wanted = if place == 2 { "generic-api-key" } else { rule };
        prop_assert!(found.iter().any(|(r, p)| r == wanted && p == path), "{wanted}: {found:?}\n{text}");
    }
}

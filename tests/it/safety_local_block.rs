//! The history scan on credentials whose block of settings points only at this machine (issue 22, precision on
//! the third and fourth draws): a configuration default beside local URLs, an in-memory configuration of an
//! integration test, a load script posting to `localhost`, and a test's own keys. Such a credential is listed as
//! local (`local_test`, not blocking) with its block's endpoints as the reason; the same credential beside one
//! remote endpoint, a vendor's token in the same block, and a test key that code outside the tests reads stay
//! blocking. Each test builds a real git repository and runs the real scan; every secret is assembled at run
//! time.

use keepopen::safety::SafetyReport;

use crate::fixture::RepoFixture;
use crate::support::scan::{aws_key, blocking, private_key, scan};

/// The reasons of the findings listed as local, by path.
fn listed(report: &SafetyReport) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = report
        .findings
        .iter()
        .filter_map(|f| f.local_test.clone().map(|why| (f.path.clone(), why)))
        .collect();
    found.sort();
    found
}

/// A made-up GUID-shaped token (assembled, so no scanner reads it in this source).
fn token() -> String {
    ["7C3E91AB", "-4F2D-4B8E-", "A61C-", "93D5E0F7B214"].concat()
}

/// A Go configuration default: the application's settings in one struct literal, services on `localhost`.
fn go_config(search_url: &str, secret: &str) -> String {
    format!(
        "package config\n\nfunc Get() (*Config, error) {{\n\tcfg = &Config{{\n\t\tBindAddr:           \":22100\",\n\
         \t\tWidgetAPIURL:       \"http://localhost:22000\",\n\t\tSearchURL:          \"{search_url}\",\n\
         \t\tServiceAuthToken:   \"{secret}\",\n\t\tStore: StoreConfig{{\n\t\t\tURI: \"mongodb://127.0.0.1:27017\",\n\
         \t\t}},\n\t}}\n\treturn cfg, envconfig.Process(\"\", cfg)\n}}\n"
    )
}

#[test]
fn a_token_in_a_struct_literal_of_local_defaults_is_listed_with_the_blocks_endpoints_and_does_not_block()
 {
    let fx = RepoFixture::one_commit(&[(
        "config/config.go",
        go_config("http://localhost:23900", &token()),
    )]);
    let report = scan(&fx);
    assert_eq!(blocking(&report), Vec::<(String, String)>::new());
    let why = listed(&report);
    assert_eq!(why.len(), 1, "{why:?}");
    assert!(
        why[0].1.contains("localhost") && why[0].1.contains("127.0.0.1"),
        "{why:?}"
    );
}

#[test]
fn the_same_token_beside_one_remote_endpoint_blocks() {
    let fx = RepoFixture::one_commit(&[(
        "config/config.go",
        go_config("https://search.sandbox.widgets.gov.uk", &token()),
    )]);
    assert_eq!(
        blocking(&scan(&fx)),
        vec![("generic-api-key".to_owned(), "config/config.go".to_owned())]
    );
}

#[test]
fn a_vendor_token_in_a_local_block_blocks() {
    let text = format!(
        "cfg = &Config{{\n\tAPIURL: \"http://localhost:22000\",\n\tAWSAccessKeyID: \"{}\",\n}}\nenvconfig.Process(\"\", cfg)\n",
        aws_key()
    );
    let fx = RepoFixture::one_commit(&[("config/config.go", text)]);
    assert_eq!(
        blocking(&scan(&fx)),
        vec![("aws-access-token".to_owned(), "config/config.go".to_owned())]
    );
}

#[test]
fn a_load_script_posting_a_password_to_localhost_is_listed_and_one_posting_elsewhere_blocks() {
    let script = |target: &str| {
        format!(
            "# Load the test data\nrcurl --data \"userid=https://profiles.example-idp.com/1234&password={}\" {target}/system/login\n",
            token().to_lowercase().replace('-', "")
        )
    };
    let fx = RepoFixture::one_commit(&[("test/void/load.sh", script("http://localhost:8080"))]);
    assert_eq!(blocking(&scan(&fx)), Vec::<(String, String)>::new());
    let fx = RepoFixture::one_commit(&[(
        "test/void/load.sh",
        script("https://registry.environment.gov.uk"),
    )]);
    assert_eq!(
        blocking(&scan(&fx)),
        vec![("generic-api-key".to_owned(), "test/void/load.sh".to_owned())]
    );
    // A server's maintenance script posting to its own `localhost`: the server's password, not a test's.
    let fx = RepoFixture::one_commit(&[(
        "terraform/modules/db/patch.sh",
        script("http://localhost:8002"),
    )]);
    assert_eq!(
        blocking(&scan(&fx)),
        vec![(
            "generic-api-key".to_owned(),
            "terraform/modules/db/patch.sh".to_owned()
        )]
    );
}

#[test]
fn a_key_file_under_tests_that_only_tests_read_is_listed_and_one_the_application_reads_blocks() {
    let test_only = RepoFixture::one_commit(&[
        ("tests/keys/rsa256/private.pem", private_key()),
        (
            "tests/test_tokens.py",
            "KEY = open('tests/keys/rsa256/private.pem').read()\n".to_owned(),
        ),
        ("app/main.py", "print('hello')\n".to_owned()),
    ]);
    assert_eq!(blocking(&scan(&test_only)), Vec::<(String, String)>::new());
    let read_by_app = RepoFixture::one_commit(&[
        ("tests/keys/rsa256/private.pem", private_key()),
        (
            "app/config.py",
            "SIGNING_KEY_PATH = 'tests/keys/rsa256/private.pem'\n".to_owned(),
        ),
    ]);
    assert_eq!(
        blocking(&scan(&read_by_app)),
        vec![
            (
                "key-file".to_owned(),
                "tests/keys/rsa256/private.pem".to_owned()
            ),
            (
                "private-key".to_owned(),
                "tests/keys/rsa256/private.pem".to_owned()
            ),
        ]
    );
}

#[test]
fn a_key_pair_written_into_a_tests_source_is_listed_and_a_private_key_alone_there_blocks() {
    let public = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwsGgqWU0\n-----END PUBLIC KEY-----\n";
    let pair = format!(
        "#define URL \"http://www.widgets.example-org.com\"\n#define PBKEY \"{}\"\n#define PVKEY \"{}\"\n",
        public.replace('\n', "\\n"),
        private_key().replace('\n', "\\n")
    );
    let fx = RepoFixture::one_commit(&[("Test/tests.cpp", pair.clone())]);
    assert_eq!(blocking(&scan(&fx)), Vec::<(String, String)>::new());
    let alone = pair.replace("PUBLIC KEY", "PUBLIC WORD");
    let fx = RepoFixture::one_commit(&[("Test/tests.cpp", alone)]);
    assert_eq!(
        blocking(&scan(&fx)),
        vec![("private-key".to_owned(), "Test/tests.cpp".to_owned())]
    );
    // The same pair outside a test path is a finding.
    let fx = RepoFixture::one_commit(&[("src/keys.cpp", pair)]);
    assert_eq!(
        blocking(&scan(&fx)),
        vec![("private-key".to_owned(), "src/keys.cpp".to_owned())]
    );
}

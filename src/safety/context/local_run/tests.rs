use super::*;
use proptest::prelude::*;

fn at(text: &str, value: &str) -> usize {
    text.find(value).expect("value in text")
}

/// A Play `application.conf` of the shape HMRC services commit: every service it calls on `localhost`, the
/// application's own keys in it, and a licence notice linking to apache.org on top.
const LOCAL_PLAY_CONF: &str = "# Copyright 2017 HM Revenue & Customs\n\
# Licensed under the Apache License, see http://www.apache.org/licenses/LICENSE-2.0\n\
\n\
appName=\"vat-registration-frontend\"\n\
json.encryption {\n  key=\"OWNKEY1\"\n  previousKeys = []\n}\n\
play.crypto.secret=\"OWNKEY2\"\n\
microservice {\n  services {\n    auth {\n      host = localhost\n      port = 8500\n      login-callback {\n        url = \"http://localhost:9895\"\n      }\n    }\n  }\n}\n";

#[test]
fn an_own_key_in_a_configuration_of_local_services_only_belongs_to_a_local_run() {
    let text = LOCAL_PLAY_CONF.as_bytes();
    for value in ["OWNKEY1", "OWNKEY2"] {
        assert!(
            own_key_of_a_local_run("conf/application.conf", text, at(LOCAL_PLAY_CONF, value)),
            "{value}"
        );
    }
}

#[test]
fn an_own_key_is_kept_where_a_deployment_may_run_with_it() {
    // The same configuration calling one real service: a deployment could run it as it is.
    let remote = LOCAL_PLAY_CONF.replace("host = localhost", "host = auth.tax.service.gov.uk");
    // Naming no endpoint at all: nothing shows a local run.
    let nothing = "play.crypto.secret=\"OWNKEY2\"\nappName=\"x\"\n";
    // A `.env` is the environment a deployment runs with; code outside the tests is not a configuration.
    let env = "APP_URL=http://localhost:3000\nSESSION_SECRET=OWNKEY2\n";
    let code = "const url = 'http://localhost:3000';\nconst cookieSecret = 'OWNKEY2';\n";
    for (path, text) in [
        ("conf/application.conf", remote.as_str()),
        ("conf/application.conf", nothing),
        (".env", env),
        ("src/server.js", code),
    ] {
        assert!(
            !own_key_of_a_local_run(path, text.as_bytes(), at(text, "OWNKEY2")),
            "{path}: {text}"
        );
    }
}

#[test]
fn an_own_key_set_by_a_test_is_the_tests_whatever_hosts_the_test_invents() {
    // A test's setup configures the application it tests; invented hosts (`chsurl.co`) do not receive the key.
    let setup = "process.env.CHS_URL = \"http://chsurl.co\";\n\
process.env.API_URL = \"http://testapi.co\";\n\
process.env.COOKIE_SECRET = \"OWNKEY\";\n";
    assert!(own_key_of_a_local_run(
        "test/src/setup.ts",
        setup.as_bytes(),
        at(setup, "OWNKEY")
    ));
    // Not a test's path: kept.
    assert!(!own_key_of_a_local_run(
        "src/setup.ts",
        setup.as_bytes(),
        at(setup, "OWNKEY")
    ));
    // A credential for another system, set by the same test next to the same hosts: kept.
    for name in [
        "API_KEY",
        "CHS_API_KEY",
        "SESSION_TOKEN",
        "COOKIE_API_SECRET",
    ] {
        let text = setup.replace("COOKIE_SECRET", name);
        assert!(
            !own_key_of_a_local_run("test/src/setup.ts", text.as_bytes(), at(&text, "OWNKEY")),
            "{name}"
        );
    }
}

#[test]
fn an_own_key_is_named_by_what_it_protects_and_what_it_is() {
    let words = |s: &str| identifier_words(s.as_bytes());
    for own in [
        "play.crypto.secret",
        "COOKIE_SECRET",
        "sessionSecret",
        "csrf_signing_key",
        "json encryption key",
    ] {
        assert!(names_own_key(&words(own)), "{own}");
    }
    for other in [
        "aws_secret_access_key",
        "github_token",
        "db_password",
        "client_secret",
        "api_encryption_key",
        "ssh_private_key",
        "cookie_domain",
        "secret",
    ] {
        assert!(!names_own_key(&words(other)), "{other}");
    }
}

/// A Spring profile for a developer's machine, in the shape of a real one: the SFTP block's host is a
/// placeholder the same file defines as `localhost`, and the file also names a real Cognito host elsewhere.
const LOCAL_PROFILE: &str = "SFTP_HOST: localhost\n\
SFTP_PORT: 52222\n\
spring:\n  security:\n    oauth2:\n      jwt:\n        issuer-uri: https://cognito-idp.eu-west-2.amazonaws.com/pool\n\
sftp:\n  host: ${SFTP_HOST}\n  port: ${SFTP_PORT}\n  user: user\n  private-key: |-\n    -----BEGIN PRIVATE KEY-----\n    KEYBODY\n    -----END PRIVATE KEY-----\n  upload-directory: EROP/Dev/InBound\n";

#[test]
fn a_connection_to_a_local_host_in_a_local_profile_is_the_developers() {
    let text = LOCAL_PROFILE.as_bytes();
    let start = at(LOCAL_PROFILE, "-----BEGIN");
    assert!(connects_to_a_local_host(
        "src/main/resources/application-local.yml",
        text,
        start
    ));
    // A test's file is left to the test-credential listing.
    assert!(!connects_to_a_local_host(
        "src/test/resources/application-test.yml",
        text,
        start
    ));
}

#[test]
fn a_connection_is_kept_when_the_profile_or_its_host_is_not_local() {
    let start = at(LOCAL_PROFILE, "-----BEGIN");
    // A profile every deployment may load (a production server's SFTP may well be on localhost).
    for path in [
        "src/main/resources/application.yml",
        "src/main/resources/application-prod.yml",
    ] {
        assert!(
            !connects_to_a_local_host(path, LOCAL_PROFILE.as_bytes(), start),
            "{path}"
        );
    }
    let local = "src/main/resources/application-local.yml";
    // The placeholder resolves to a real host; is left unresolved; a sibling names a real host.
    for text in [
        LOCAL_PROFILE.replace("SFTP_HOST: localhost", "SFTP_HOST: sftp.print.gov.uk"),
        LOCAL_PROFILE.replace("SFTP_HOST: localhost\n", ""),
        LOCAL_PROFILE.replace(
            "upload-directory: EROP/Dev/InBound",
            "proxy: https://proxy.print.gov.uk",
        ),
        // No location in the block: nothing says where the key goes.
        LOCAL_PROFILE.replace("  host: ${SFTP_HOST}\n", "  note: ${SFTP_HOST}\n"),
    ] {
        let start = at(&text, "-----BEGIN");
        assert!(
            !connects_to_a_local_host(local, text.as_bytes(), start),
            "{text}"
        );
    }
    // A top-level setting has no connection block.
    let flat = "host: localhost\npassword: VALUE\n";
    assert!(!connects_to_a_local_host(
        local,
        flat.as_bytes(),
        at(flat, "VALUE")
    ));
}

#[test]
fn placeholders_resolve_from_the_files_own_definitions_or_their_defaults() {
    let text = b"HOST: localhost\nPORT = \"8080\"\n";
    let r = |w: &str| String::from_utf8(resolve_placeholders(w.as_bytes(), text)).unwrap();
    assert_eq!(r("host: ${HOST}:${PORT}"), "host: localhost:8080");
    assert_eq!(r("url: ${OTHER:-db}/x ${NONE}"), "url: db/x ${NONE}");
}

/// A debugging harness left in a controller: the key is handed to a client of a local API only.
const HARNESS: &str = "export async function renderPage(req, res) {\n  const API_URL='http://api.chs.local:4001'\n  const CHS_API_KEY='VALUE'\n\n  console.log(\"Started harness\");\n  const client = createApiClient(API_URL, undefined, CHS_API_KEY);\n  return client;\n}\n";

#[test]
fn a_value_passed_only_with_a_local_endpoint_goes_nowhere_else() {
    let (s, e) = (at(HARNESS, "VALUE"), at(HARNESS, "VALUE") + 5);
    assert!(passed_with_a_local_endpoint(HARNESS.as_bytes(), s, e));
    // A URL literal on the line of use counts the same way.
    let inline = "val key = \"VALUE\"\nval c = Client(\"http://localhost:9000\", key)\n";
    let (s, e) = (at(inline, "VALUE"), at(inline, "VALUE") + 5);
    assert!(passed_with_a_local_endpoint(inline.as_bytes(), s, e));
}

#[test]
fn a_value_passed_to_a_real_host_or_handed_out_is_kept() {
    for text in [
        // The client goes to a real host.
        HARNESS.replace("http://api.chs.local:4001", "https://api.company-information.service.gov.uk"),
        // A second use with no endpoint: a getter hands the value to anyone.
        HARNESS.replace("  return client;", "  return CHS_API_KEY;"),
        // Never used after its assignment: nothing says where it goes.
        HARNESS.replace("createApiClient(API_URL, undefined, CHS_API_KEY)", "createApiClient(API_URL)"),
        // A redirect address beside a secret says where users return, not where the secret goes.
        "private String clientSecret = \"VALUE\";\nprivate String redirectUri = \"http://localhost:8080/ui\";\npublic String getClientSecret() { return clientSecret; }\n".to_owned(),
    ] {
        let (s, e) = (at(&text, "VALUE"), at(&text, "VALUE") + 5);
        assert!(!passed_with_a_local_endpoint(text.as_bytes(), s, e), "{text}");
    }
}

#[test]
fn a_token_a_server_signed_is_kept_whoever_it_is_handed_to() {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let token = format!(
        "{}.{}.c2lnbmF0dXJl",
        b64("{\"alg\":\"RS256\"}"),
        b64("{\"sub\":\"a-user\",\"iat\":1663757311,\"exp\":1663760911}")
    );
    let text = format!(
        "const token = '{token}'\ncy.request({{ url: 'http://localhost:3000/api', headers: {{ Authorization: token }} }})\n"
    );
    let s = at(&text, &token);
    assert!(!passed_with_a_local_endpoint(
        text.as_bytes(),
        s,
        s + token.len()
    ));
    // The same use of a shared-key value is local.
    let shared = text.replace(&token, "VALUE");
    let s = at(&shared, "VALUE");
    assert!(passed_with_a_local_endpoint(shared.as_bytes(), s, s + 5));
}

/// A credential's setting name: each opens another system, whatever its value.
fn credential_name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "aws_access_key_id",
        "aws_secret_access_key",
        "github_token",
        "private_key",
        "password",
        "db_password",
        "api_key",
        "client_secret",
        "session_token",
        "encryption_api_key",
    ])
}

/// A real credential's shape: an AWS key pair's halves, a GitHub token, a private key's first line, a password.
fn credential_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "AKIA[A-Z0-9]{16}",
        "[A-Za-z0-9/+]{40}",
        "ghp_[A-Za-z0-9]{36}",
        Just("-----BEGIN RSA PRIVATE KEY-----".to_owned()),
        "[A-Za-z][A-Za-z0-9!#%]{11,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A credential for another system is never taken for a local run's own key, in any file and block,
    /// however local the hosts around it; and in a configuration a deployment may load (not a local profile,
    /// not a test's) nothing of this module drops any value.
    #[test]
    fn a_real_credential_is_never_dropped(
        name in credential_name(),
        value in credential_value(),
        block in prop::sample::select(vec!["", "cookie", "session", "play.crypto", "sftp", "datasource"]),
        host in prop::sample::select(vec!["localhost", "db", "127.0.0.1", "prod-db.service.gov.uk"]),
        path in prop::sample::select(vec![
            "conf/application.conf",
            "src/main/resources/application.yml",
            "src/main/resources/application-prod.yml",
            "config/settings.toml",
            "src/main/resources/application-local.yml",
            "test/src/setup.ts",
        ]),
    ) {
        let text = if block.is_empty() {
            format!("host: {host}\n{name}: {value}\n")
        } else {
            format!("{block}:\n  host: {host}\n  {name}: {value}\n")
        };
        let start = text.find(value.as_str()).expect("value in text");
        prop_assert!(!own_key_of_a_local_run(path, text.as_bytes(), start));
        let deployable = !path.contains("local") && !is_test_path(path);
        if deployable {
            prop_assert!(!connects_to_a_local_host(path, text.as_bytes(), start));
        }
    }
}

//! The history scan on configuration files (issue 22, precision): what the configuration itself shows about a
//! value — a local run's own key, a local profile's connection to a local host, a test's file under a licence
//! notice — decides; the same values where a deployment may run with them stay findings. Each test builds a
//! real git repository with git2 and runs the real scan; every made-up secret is assembled at run time.

use crate::fixture::RepoFixture;
use crate::support::scan::{blocking, scan};

/// A made-up 64-character key of high entropy.
fn made_up_key() -> String {
    [
        "yIFxaT", "q8Xv2L", "m9TzR4", "kW7pN3", "bY6hJ1", "dF5sG0", "cV8nQ2", "eTzLw7", "Hk3pQ9",
        "Zr5mXc", "4u",
    ]
    .concat()
}

/// A made-up PKCS#8 private key body (not a key: base64 of a key's length), different for each `seed`.
fn made_up_private_key(indent: &str, seed: u8) -> String {
    let line = [
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC",
        "ayuCxAaOEYfyE",
    ]
    .concat();
    let body: String = (0..12)
        .map(|i| format!("{indent}{}{seed}{i:02}\n", &line[..61]))
        .collect();
    format!("{indent}-----BEGIN PRIVATE KEY-----\n{body}{indent}-----END PRIVATE KEY-----\n")
}

/// A Play `application.conf` whose services are all on `localhost`, holding the application's own key.
fn play_conf(service_host: &str) -> String {
    format!(
        "# Copyright HM Revenue & Customs, see http://www.apache.org/licenses/LICENSE-2.0\n\n\
         appName=\"frontend\"\n\
         play.crypto.secret=\"{}\"\n\
         microservice {{\n  services {{\n    auth {{\n      host = {service_host}\n      port = 8500\n    }}\n  }}\n}}\n",
        made_up_key()
    )
}

#[test]
fn an_own_key_in_a_configuration_of_local_services_only_is_not_a_finding() {
    let fx = RepoFixture::one_commit(&[("conf/application.conf", play_conf("localhost"))]);
    assert_eq!(blocking(&scan(&fx)), []);
}

#[test]
fn the_same_own_key_in_a_configuration_calling_a_real_service_is_a_finding() {
    let fx = RepoFixture::one_commit(&[(
        "conf/application.conf",
        play_conf("auth.tax.service.gov.uk"),
    )]);
    assert_eq!(
        blocking(&scan(&fx)),
        [("generic-api-key".into(), "conf/application.conf".into())]
    );
}

#[test]
fn a_tests_own_cookie_secret_is_not_blocking_whatever_hosts_the_test_invents() {
    let setup = format!(
        "process.env.CHS_URL = \"http://chsurl.co\";\nprocess.env.API_URL = \"http://testapi.co\";\n\
         process.env.COOKIE_SECRET = \"{}\";\n",
        made_up_key()
    );
    let api_key = setup
        .replace("COOKIE_SECRET", "CHS_API_KEY")
        .replace("yIFxaT", "Qm4Wz8");
    let fx = RepoFixture::one_commit(&[
        ("test/src/setup.ts", setup),
        ("test/src/other-setup.ts", api_key),
    ]);
    // The API key goes to the hosts the test names, real or not: a finding. The cookie secret is only the
    // application's own, set by the test.
    assert_eq!(
        blocking(&scan(&fx)),
        [("generic-api-key".into(), "test/src/other-setup.ts".into())]
    );
}

#[test]
fn a_licence_notice_does_not_make_a_test_talk_to_apache_org() {
    let spec = format!(
        "/*\n * Licensed under the Apache License, Version 2.0 (the \"License\");\n *     http://www.apache.org/licenses/LICENSE-2.0\n */\n\n\
         package models\n\nclass FormatSpec {{\n  val differentKey = \"{}\"\n}}\n",
        made_up_key()
    );
    let fx = RepoFixture::one_commit(&[("test/models/FormatSpec.scala", spec.clone())]);
    let report = scan(&fx);
    assert_eq!(blocking(&report), []);
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    // The same test calling a real host after the notice is a finding.
    let real = spec.replace(
        "class FormatSpec {",
        "val api = \"https://api.service.gov.uk\"\nclass FormatSpec {",
    );
    let fx = RepoFixture::one_commit(&[("test/models/FormatSpec.scala", real)]);
    assert_eq!(
        blocking(&scan(&fx)),
        [(
            "generic-api-key".into(),
            "test/models/FormatSpec.scala".into()
        )]
    );
}

/// A Spring profile with an SFTP connection whose host is a placeholder the file defines.
fn spring_profile(sftp_host: &str, seed: u8) -> String {
    format!(
        "SFTP_HOST: {sftp_host}\n\
         spring:\n  security:\n    oauth2:\n      jwt:\n        issuer-uri: https://cognito-idp.eu-west-2.amazonaws.com/pool/.well-known/jwks.json\n\
         sftp:\n  host: ${{SFTP_HOST}}\n  user: user\n  private-key: |-\n{}  upload-directory: EROP/Dev/InBound\n",
        made_up_private_key("    ", seed)
    )
}

#[test]
fn a_private_key_for_a_local_sftp_in_a_local_profile_is_not_a_finding() {
    let fx = RepoFixture::one_commit(&[(
        "src/main/resources/application-local.yml",
        spring_profile("localhost", 1),
    )]);
    assert_eq!(blocking(&scan(&fx)), []);
}

#[test]
fn a_private_key_in_a_deployed_profile_or_for_a_real_host_is_a_finding() {
    let fx = RepoFixture::one_commit(&[
        (
            "src/main/resources/application.yml",
            spring_profile("localhost", 2),
        ),
        (
            "src/main/resources/application-local.yml",
            spring_profile("sftp.print.gov.uk", 3),
        ),
    ]);
    assert_eq!(
        blocking(&scan(&fx)),
        [
            (
                "private-key".into(),
                "src/main/resources/application-local.yml".into()
            ),
            (
                "private-key".into(),
                "src/main/resources/application.yml".into()
            ),
        ]
    );
}

/// A debugging harness in a controller: the key is handed to a client of the API at `api_url`.
fn harness(api_url: &str) -> String {
    format!(
        "export async function renderPage(req, res) {{\n  const API_URL='{api_url}'\n  const CHS_API_KEY='{}'\n\n  \
         console.log(\"Started harness\");\n  const client = createApiClient(API_URL, undefined, CHS_API_KEY);\n  \
         return client;\n}}\n",
        made_up_key()
    )
}

#[test]
fn a_key_handed_only_to_a_client_of_a_local_api_is_not_a_finding() {
    let fx = RepoFixture::one_commit(&[(
        "src/controllers/summary.controller.ts",
        harness("http://api.chs.local:4001"),
    )]);
    assert_eq!(blocking(&scan(&fx)), []);
}

#[test]
fn a_key_handed_to_a_client_of_a_real_api_is_a_finding() {
    let fx = RepoFixture::one_commit(&[(
        "src/controllers/summary.controller.ts",
        harness("https://api.company-information.service.gov.uk"),
    )]);
    assert_eq!(
        blocking(&scan(&fx)),
        [(
            "generic-api-key".into(),
            "src/controllers/summary.controller.ts".into()
        )]
    );
}

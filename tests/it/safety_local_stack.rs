//! The history scan on configurations that describe a local or throw-away run (issue 22, precision): a CI
//! job's credential for a service it places on its own runner, a token for a service of a developer's local
//! stack, an application's own key in a declared development run or in a Compose stack that reaches nothing
//! outside itself. The same values wherever one piece of that evidence is missing stay findings, and a
//! vendor's credential or a private key stays a finding in every one of these files. Each test builds a real
//! git repository with git2 and runs the real scan; every made-up secret is assembled at run time.

use proptest::prelude::*;

use crate::fixture::RepoFixture;
use crate::support::scan::{blocking, scan};

/// A made-up 32-character secret of high entropy (assembled, so no scanner reads it in this source).
fn made_up_secret() -> String {
    ["bTOIXx2J", "XA9Xzevk", "pWn3lQG2", "7diVCTHa"].concat()
}

fn generic(path: &str) -> Vec<(String, String)> {
    vec![("generic-api-key".into(), path.into())]
}

/// A GitHub Actions job exporting the settings of services it starts on the runner.
fn ci_workflow(keycloak: &str, secret: &str) -> String {
    format!(
        "name: Run Unit Tests\non:\n  push:\njobs:\n  run-e2e-tests:\n    runs-on: ubuntu-latest\n    steps:\n\
         \x20     - name: Start local services\n        run: docker compose up -d\n\
         \x20     - name: Run database migrations and setup test data\n        run: |\n\
         \x20         export DATABASE_URL=postgresql://postgres:password@localhost:5432/testdb\n\
         \x20         export OPENSEARCH_URL=http://localhost:9200\n\
         \x20         export KEYCLOAK_BASE_URI={keycloak}\n\
         \x20         export KEYCLOAK_REALM_NAME=tdr\n\
         \x20         export KEYCLOAK_CLIENT_SECRET={secret}\n\n\
         \x20         poetry run python import.py\n"
    )
}

#[test]
fn a_ci_jobs_client_secret_for_a_keycloak_on_its_own_runner_is_not_a_finding() {
    let path = ".github/workflows/unit_tests.yml";
    let fx = RepoFixture::one_commit(&[(
        path,
        ci_workflow("http://localhost:8080", &made_up_secret()),
    )]);
    assert_eq!(blocking(&scan(&fx)), []);
}

#[test]
fn the_same_client_secret_for_a_real_keycloak_or_outside_a_pipeline_is_a_finding() {
    let real = ci_workflow(
        "https://auth.tdr.nationalarchives.gov.uk",
        &made_up_secret(),
    );
    let fx = RepoFixture::one_commit(&[(".github/workflows/unit_tests.yml", real)]);
    assert_eq!(
        blocking(&scan(&fx)),
        generic(".github/workflows/unit_tests.yml")
    );
    let local = ci_workflow("http://localhost:8080", &made_up_secret());
    let fx = RepoFixture::one_commit(&[("deploy/job.yml", local)]);
    assert_eq!(blocking(&scan(&fx)), generic("deploy/job.yml"));
}

/// A Play `application.conf`: every service the application calls placed on `localhost`, one port each, links
/// to public pages and web sources of its content security policy, and a token for the `internal-auth` service.
fn play_stack(internal_auth_host: &str, token: &str) -> String {
    format!(
        "# Copyright 2023 HM Revenue & Customs, http://www.apache.org/licenses/LICENSE-2.0\n\n\
         appName = frontend\n\
         play.filters.csp.directives {{\n  connect-src = \"'self' https://*.google-analytics.com\"\n}}\n\
         external-url {{\n  user-research-bannerUrl = \"https://signup.take-part-in-research.service.gov.uk/?id=5\"\n}}\n\
         microservice {{\n  services {{\n\
         \x20   auth {{\n      host = localhost\n      port = 8500\n    }}\n\
         \x20   internal-auth {{\n      protocol = http\n      host = {internal_auth_host}\n      port = 8470\n    }}\n\
         \x20   datastream {{\n      host = localhost\n      port = 8100\n    }}\n\
         \x20 }}\n}}\n\n\
         create-internal-auth-token-on-start = true\n\
         internal-auth.token = \"{token}\"\n"
    )
}

/// A token of the shape `internal-auth.token` holds: a random UUID.
fn made_up_uuid() -> String {
    ["c377dd0d", "a563", "4a4e", "b25a", "307c2a8a0d7c"].join("-")
}

#[test]
fn a_token_for_a_service_of_a_local_stack_is_not_a_finding() {
    let fx = RepoFixture::one_commit(&[(
        "conf/application.conf",
        play_stack("localhost", &made_up_uuid()),
    )]);
    assert_eq!(blocking(&scan(&fx)), []);
}

#[test]
fn a_token_for_a_service_placed_elsewhere_is_a_finding() {
    let remote = play_stack("internal-auth.protected.mdtp", &made_up_uuid());
    let fx = RepoFixture::one_commit(&[("conf/application.conf", remote)]);
    assert_eq!(blocking(&scan(&fx)), generic("conf/application.conf"));
}

/// The `.flaskenv` of the govuk-frontend-flask template.
fn flaskenv(env: &str, redis: &str, key: &str) -> String {
    format!(
        "CONTACT_EMAIL=[contact email]\nDEPARTMENT_URL=[url of department]\nFLASK_APP=app.py\n\
         FLASK_ENV={env}\nFLASK_RUN_PORT=5000\nREDIS_URL={redis}\nSECRET_KEY={key}\nSERVICE_NAME=[name of service]\n"
    )
}

/// A made-up 64-digit hex key.
fn made_up_hex_key() -> String {
    [
        "3e48b821", "144547db", "5f22c735", "7431a093", "489450fc", "c4aad992", "ab9e1dd1",
        "a9d3b40d",
    ]
    .concat()
}

#[test]
fn a_flask_development_runs_secret_key_is_not_a_finding() {
    let fx = RepoFixture::one_commit(&[(
        ".flaskenv",
        flaskenv("development", "memory://", &made_up_hex_key()),
    )]);
    assert_eq!(blocking(&scan(&fx)), []);
}

#[test]
fn the_same_secret_key_in_a_production_run_or_beside_a_real_store_is_a_finding() {
    for text in [
        flaskenv("production", "memory://", &made_up_hex_key()),
        flaskenv(
            "development",
            "rediss://cache.service.gov.uk:6379",
            &made_up_hex_key(),
        ),
    ] {
        let fx = RepoFixture::one_commit(&[(".flaskenv", text.clone())]);
        assert_eq!(blocking(&scan(&fx)), generic(".flaskenv"), "{text}");
    }
}

/// A Compose file for performance tests: the application's master key beside hosts that are services of the
/// same file.
fn compose(db_host: &str, key: &str) -> String {
    format!(
        "version: \"3.8\"\n\nx-env: &env\n  environment:\n    RAILS_ENV: performance\n    DB_HOSTNAME: {db_host}\n\
         \x20   DB_USERNAME: postgres\n    REDIS_URL: redis://redis:6379/1\n    DOMAIN: http://web:3000\n\
         \x20   RAILS_MASTER_KEY: {key}\n    PERF_TARGET_HOSTNAME: web\n\n\
         services:\n  db:\n    image: postgres:11-alpine\n  redis:\n    image: redis:alpine\n\
         \x20 web:\n    build:\n      context: ../\n    <<: *env\n    ports:\n      - \"3000:3000\"\n"
    )
}

/// A made-up 32-digit hex key.
fn made_up_master_key() -> String {
    ["f5767ded", "8d5ed0a9", "074a2be2", "597ce50a"].concat()
}

#[test]
fn a_compose_stacks_own_master_key_is_not_a_finding() {
    let fx = RepoFixture::one_commit(&[(
        "performance/docker-compose.yml",
        compose("db", &made_up_master_key()),
    )]);
    assert_eq!(blocking(&scan(&fx)), []);
}

#[test]
fn the_same_master_key_in_a_stack_reaching_a_real_database_is_a_finding() {
    let text = compose(
        "ecf-prod.postgres.database.azure.com",
        &made_up_master_key(),
    );
    let fx = RepoFixture::one_commit(&[("performance/docker-compose.yml", text)]);
    assert_eq!(
        blocking(&scan(&fx)),
        generic("performance/docker-compose.yml")
    );
}

/// A vendor's credential or a private key, as each local-run file above would hold it.
#[derive(Debug, Clone, Copy)]
enum Vendor {
    AwsAccessKey,
    GitHubToken,
    PrivateKey,
}

fn vendor_value(kind: Vendor, seed: &str) -> (String, &'static str) {
    match kind {
        Vendor::AwsAccessKey => (format!("AKIA{}", &seed[..16]), "aws-access-token"),
        Vendor::GitHubToken => (format!("ghp_{}", &seed[..36]), "github-pat"),
        Vendor::PrivateKey => {
            let body = ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC", seed].concat();
            (
                format!(
                    "\"-----BEGIN PRIVATE KEY-----\\n{body}\\n{body}\\n-----END PRIVATE KEY-----\""
                ),
                "private-key",
            )
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// In every local-run file above, in the very setting the local-run evidence clears, a vendor's credential
    /// (an AWS access key, a GitHub token) or a private key is still a blocking finding of its own rule.
    #[test]
    fn a_vendors_credential_or_a_private_key_is_a_finding_in_every_local_run(
        kind in prop::sample::select(vec![Vendor::AwsAccessKey, Vendor::GitHubToken, Vendor::PrivateKey]),
        file in 0usize..4,
        // A real key is random: a run of few distinct characters ("AKIAAF3A233A2AA2A2A2") is below the
        // vendor rule's entropy bound by design, so the generator draws keys that look issued.
        seed in "[A-Z2-7]{40}".prop_filter("a random-looking key", |s| {
            s[..16].chars().collect::<std::collections::BTreeSet<_>>().len() >= 10
        }),
    ) {
        let (value, rule) = vendor_value(kind, &seed);
        let (path, text) = match file {
            0 => (".github/workflows/unit_tests.yml", ci_workflow("http://localhost:8080", &value)),
            1 => ("conf/application.conf", play_stack("localhost", &value)),
            2 => (".flaskenv", flaskenv("development", "memory://", &value)),
            _ => ("performance/docker-compose.yml", compose("db", &value)),
        };
        let fx = RepoFixture::one_commit(&[(path, text.clone())]);
        let report = scan(&fx);
        // The value itself is reported and blocks: its own rule's finding, or one finding for the same value
        // under the generic rule that also matched it (one secret, one finding), shown by its first characters.
        let shown = value.trim_start_matches('"').chars().take(4).collect::<String>();
        let reported = report.findings.iter().any(|f| {
            f.local_test.is_none()
                && f.path == path
                && (f.rule == rule || f.excerpt.starts_with(&shown))
        });
        prop_assert!(reported, "{rule} in {path}: {:?}\n{text}", blocking(&report));
    }
}

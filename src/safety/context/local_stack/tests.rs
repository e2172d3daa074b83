use super::*;
use proptest::prelude::*;

fn at(text: &str, value: &str) -> usize {
    text.find(value).expect("value in text")
}

/// A CI job's step of the shape `da-ayr-webapp` commits: a shell block of exports for services the job starts
/// on the runner.
const CI_STEP: &str = "jobs:\n  e2e:\n    runs-on: ubuntu-latest\n    steps:\n      - name: Start local services\n        run: docker compose up -d\n      - name: Migrate\n        run: |\n          export DATABASE_URL=postgresql://postgres:password@localhost:5432/testdb\n          export MINIO_ENDPOINT=localhost:9000\n          export KEYCLOAK_BASE_URI=http://localhost:8080\n          export KEYCLOAK_REALM_NAME=tdr\n          export KEYCLOAK_CLIENT_SECRET=VALUE\n\n          poetry run python import.py\n";

#[test]
fn settings_are_read_from_flat_lines_shell_exports_and_nested_blocks() {
    let paths = |t: &str| {
        settings(t.as_bytes())
            .into_iter()
            .map(|s| s.path.join("/"))
            .collect::<Vec<_>>()
    };
    assert!(paths(CI_STEP).contains(&"jobs/e2e/steps/run/keycloak_client_secret".to_owned()));
    let hocon = "microservice {\n  services {\n    internal-auth {\n      host = localhost\n    }\n  }\n}\ninternal-auth.token = \"VALUE\"\n";
    assert_eq!(
        paths(hocon),
        vec![
            "microservice/services/internal-auth/host",
            "internal-auth/token"
        ]
    );
    assert_eq!(
        paths("SECRET_KEY=VALUE\nREDIS_URL=memory://\n"),
        vec!["secret_key", "redis_url"]
    );
    // A URL or a sentence is no setting.
    assert!(paths("see http://localhost:8080 for more\n").is_empty());
}

#[test]
fn a_location_is_local_when_loopback_a_service_name_or_in_process() {
    for v in [
        "http://localhost:8080",
        "localhost:9000",
        "db",
        "\"127.0.0.1\"",
        "memory://",
        "sqlite:///tmp/x.db",
        "redis://redis:6379/1 # the compose service",
    ] {
        assert_eq!(place_of(v.as_bytes()), Place::Local, "{v}");
    }
    for v in [
        "https://auth.tax.service.gov.uk",
        "prod-db.service.gov.uk:5432",
        "10.0.0.5",
    ] {
        assert_eq!(place_of(v.as_bytes()), Place::Remote, "{v}");
    }
    for v in ["${KEYCLOAK_URL}", "http://%s/x", "<host>"] {
        assert_eq!(place_of(v.as_bytes()), Place::Template, "{v}");
    }
    for v in ["8080", "", "https://", "[url of service]"] {
        assert_eq!(place_of(v.as_bytes()), Place::Nothing, "{v}");
    }
}

#[test]
fn a_ci_jobs_credential_for_a_service_it_places_on_the_runner_is_local() {
    for path in [
        ".github/workflows/unit_tests.yml",
        ".gitlab-ci.yml",
        ".circleci/config.yml",
    ] {
        assert!(
            presented_to_a_local_service(path, CI_STEP.as_bytes(), at(CI_STEP, "VALUE")),
            "{path}"
        );
    }
}

#[test]
fn a_ci_steps_dockerfile_env_lines_are_settings_too() {
    let step = "jobs:\n  e2e:\n    steps:\n      - run: |\n          cat <<EOF > Dockerfile.flask\n          ENV FLASK_ENV=testing\n          ENV KEYCLOAK_BASE_URI=http://keycloak:8080\n          ENV KEYCLOAK_CLIENT_SECRET=VALUE\n          EOF\n";
    let ci = ".github/workflows/unit_tests.yml";
    assert!(presented_to_a_local_service(
        ci,
        step.as_bytes(),
        at(step, "VALUE")
    ));
    let remote = step.replace("http://keycloak:8080", "https://auth.tdr.gov.uk");
    assert!(!presented_to_a_local_service(
        ci,
        remote.as_bytes(),
        at(&remote, "VALUE")
    ));
}

#[test]
fn a_ci_credential_is_kept_when_its_service_is_remote_unplaced_or_the_file_is_no_pipeline() {
    let remote = CI_STEP.replace(
        "http://localhost:8080",
        "https://auth.tdr.nationalarchives.gov.uk",
    );
    let templated = CI_STEP.replace("http://localhost:8080", "${{ secrets.KEYCLOAK_URL }}");
    // The same name placed twice, once elsewhere: every place must be local.
    let twice = format!(
        "{CI_STEP}      - run: |\n          export KEYCLOAK_BASE_URI=https://auth.example.gov.uk\n"
    );
    // A credential whose service the file never places (no `NOTIFY_*` location).
    let unplaced = CI_STEP.replace("KEYCLOAK_CLIENT_SECRET", "NOTIFY_API_SECRET");
    let production = CI_STEP.replace(
        "export MINIO_ENDPOINT",
        "export FLASK_ENV=production\n          export MINIO_ENDPOINT",
    );
    for (path, text) in [
        (".github/workflows/unit_tests.yml", remote.as_str()),
        (".github/workflows/unit_tests.yml", templated.as_str()),
        (".github/workflows/unit_tests.yml", twice.as_str()),
        (".github/workflows/unit_tests.yml", unplaced.as_str()),
        (".github/workflows/unit_tests.yml", production.as_str()),
        // Not a pipeline, not a local profile, no local stack: a deployment may run it.
        ("deploy/values.yml", CI_STEP),
        ("scripts/setup.sh", CI_STEP),
        // A test's file is listed as a test credential instead.
        ("tests/.github/workflows/x.yml", CI_STEP),
    ] {
        assert!(
            !presented_to_a_local_service(path, text.as_bytes(), at(text, "VALUE")),
            "{path}: {text}"
        );
    }
}

/// A Play `application.conf` of the shape HMRC services commit: every service on `localhost`, one port each,
/// links to public pages, and a token for the `internal-auth` service the file places.
const PLAY_STACK: &str = "# Copyright 2023 HM Revenue & Customs, http://www.apache.org/licenses/LICENSE-2.0\n\
appName = frontend\n\
mongodb {\n  uri = \"mongodb://localhost:27017/frontend\"\n}\n\
external-url {\n  find-lost-utr = \"https://www.gov.uk/find-lost-utr-number\"\n  user-research-bannerUrl = \"https://signup.take-part-in-research.service.gov.uk/?id=1\"\n}\n\
microservice {\n  services {\n    auth {\n      host = localhost\n      port = 8500\n    }\n    internal-auth {\n      protocol = http\n      host = localhost\n      port = 8470\n    }\n    datastream {\n      host = localhost\n      port = 8100\n    }\n  }\n}\n\
create-internal-auth-token-on-start = true\n\
internal-auth.token = \"VALUE\"\n";

#[test]
fn a_token_for_a_service_of_a_local_stack_is_the_developers() {
    assert!(presented_to_a_local_service(
        "conf/application.conf",
        PLAY_STACK.as_bytes(),
        at(PLAY_STACK, "VALUE")
    ));
}

#[test]
fn a_content_security_policy_listing_web_sources_is_no_connection() {
    let csp = PLAY_STACK.replace(
        "appName = frontend\n",
        "appName = frontend\nplay.filters.csp {\n  directives {\n    connect-src = \"'self' https://*.google-analytics.com\"\n  }\n}\n",
    );
    assert!(presented_to_a_local_service(
        "conf/application.conf",
        csp.as_bytes(),
        at(&csp, "VALUE")
    ));
}

#[test]
fn a_token_is_kept_when_any_service_is_remote_or_too_few_are_placed() {
    // One service deployed elsewhere: the file is not a developer's layout.
    let one_remote = PLAY_STACK.replacen("host = localhost", "host = datastream.service", 1);
    // The token's own service elsewhere.
    let own_remote = PLAY_STACK.replace(
        "protocol = http\n      host = localhost",
        "protocol = https\n      host = internal-auth.protected.mdtp",
    );
    // A database reached over the network.
    let remote_db = PLAY_STACK.replace("mongodb://localhost", "mongodb://prod-mongo.mdtp");
    // Two services only: a server whose services run beside it looks the same.
    let small =
        "auth.host = localhost\ninternal-auth.host = localhost\ninternal-auth.token = \"VALUE\"\n";
    // Production declared.
    let production = format!("ENVIRONMENT = production\n{PLAY_STACK}");
    for text in [
        one_remote.as_str(),
        own_remote.as_str(),
        remote_db.as_str(),
        small,
        production.as_str(),
    ] {
        assert!(
            !presented_to_a_local_service(
                "conf/application.conf",
                text.as_bytes(),
                at(text, "VALUE")
            ),
            "{text}"
        );
    }
    // The same file as code is no configuration.
    assert!(!presented_to_a_local_service(
        "app/Config.scala",
        PLAY_STACK.as_bytes(),
        at(PLAY_STACK, "VALUE")
    ));
}

/// The `.flaskenv` of the govuk-frontend-flask template: a development run with an in-process store.
const FLASKENV: &str = "CONTACT_EMAIL=[contact email]\nFLASK_APP=app.py\nFLASK_ENV=development\nFLASK_RUN_PORT=5000\nREDIS_URL=memory://\nSECRET_KEY=VALUE\nSERVICE_URL=[url of service]\n";

#[test]
fn an_own_key_in_a_declared_development_run_is_the_developers() {
    assert!(own_key_of_a_development_run(
        ".flaskenv",
        FLASKENV.as_bytes(),
        at(FLASKENV, "VALUE")
    ));
    // Flask 2.3 and later: the debug switch instead of `FLASK_ENV`.
    let debug = FLASKENV.replace("FLASK_ENV=development", "FLASK_DEBUG=True");
    assert!(own_key_of_a_development_run(
        ".flaskenv",
        debug.as_bytes(),
        at(&debug, "VALUE")
    ));
    let rails =
        "RAILS_ENV=development\nDATABASE_URL=postgres://localhost/app\nSECRET_KEY_BASE=VALUE\n";
    assert!(own_key_of_a_development_run(
        ".env.development",
        rails.as_bytes(),
        at(rails, "VALUE")
    ));
}

#[test]
fn an_own_key_is_kept_unless_the_file_declares_development_and_names_nothing_remote() {
    let cases = [
        (".flaskenv", FLASKENV.replace("development", "production")),
        (".flaskenv", FLASKENV.replace("FLASK_ENV=development\n", "")),
        (
            ".flaskenv",
            FLASKENV.replace("FLASK_ENV=development", "FLASK_DEBUG=False"),
        ),
        (
            ".flaskenv",
            FLASKENV.replace("memory://", "rediss://cache.prod.example.gov.uk:6379"),
        ),
        // A credential for another system, not an own key.
        (
            ".flaskenv",
            FLASKENV.replace("SECRET_KEY", "NOTIFY_API_KEY"),
        ),
        (
            ".flaskenv",
            FLASKENV.replace("SECRET_KEY", "STRIPE_SECRET_KEY"),
        ),
        (".flaskenv", FLASKENV.replace("SECRET_KEY", "CLIENT_SECRET")),
        // A lower-case key nested under a vendor's block is no environment variable of the application.
        (
            "config.yml",
            "env: development\nstripe:\n  secret_key: VALUE\n".to_owned(),
        ),
        // Code is not a settings file.
        ("app.py", FLASKENV.to_owned()),
    ];
    for (path, text) in cases {
        assert!(
            !own_key_of_a_development_run(path, text.as_bytes(), at(&text, "VALUE")),
            "{path}: {text}"
        );
    }
}

/// A Compose file of the shape `early-careers-framework` commits for its performance tests: the
/// application's master key beside hosts that are all services of the same file.
const COMPOSE: &str = "version: \"3.8\"\n\nx-env: &env\n  environment:\n    RAILS_ENV: performance\n    DB_HOSTNAME: db\n    DB_PASSWORD: performancepassword\n    REDIS_URL: redis://redis:6379/1\n    DOMAIN: http://web:3000\n    RAILS_MASTER_KEY: VALUE\n    PERF_TARGET_HOSTNAME: web\n\nservices:\n  db:\n    image: postgres:11-alpine\n    environment:\n      POSTGRES_PASSWORD: performancepassword\n  redis:\n    image: redis:alpine\n  web:\n    build:\n      context: ../\n    <<: *env\n    ports:\n      - \"3000:3000\"\n";

#[test]
fn an_own_key_in_a_compose_stack_that_reaches_only_itself_is_the_stacks() {
    assert!(own_key_of_a_development_run(
        "performance/docker-compose.yml",
        COMPOSE.as_bytes(),
        at(COMPOSE, "VALUE")
    ));
}

#[test]
fn an_own_key_in_a_compose_stack_is_kept_when_it_reaches_out_or_is_deployed() {
    let cases = [
        // A host that is no service of the file.
        COMPOSE.replace("DB_HOSTNAME: db", "DB_HOSTNAME: dbserver"),
        COMPOSE.replace(
            "DB_HOSTNAME: db",
            "DB_HOSTNAME: prod-db.postgres.database.azure.com",
        ),
        COMPOSE.replace(
            "http://web:3000",
            "https://manage-training.education.gov.uk",
        ),
        // Declared production.
        COMPOSE.replace("performance\n", "production\n"),
        // A credential for another system.
        COMPOSE.replace("RAILS_MASTER_KEY", "GOVUK_NOTIFY_API_KEY"),
    ];
    for text in cases {
        assert!(
            !own_key_of_a_development_run(
                "performance/docker-compose.yml",
                text.as_bytes(),
                at(&text, "VALUE")
            ),
            "{text}"
        );
    }
    // Without the `services:` of the stack, one-label names prove nothing of the file itself.
    let no_services = COMPOSE.split("services:").next().expect("head").to_owned();
    assert!(!own_key_of_a_development_run(
        "performance/docker-compose.yml",
        no_services.as_bytes(),
        at(&no_services, "VALUE")
    ));
}

/// A real credential's shape: an AWS secret key, a GitHub token, a private key's first line, a random secret.
fn credential_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "AKIA[A-Z0-9]{16}",
        "[A-Za-z0-9/+]{40}",
        "ghp_[A-Za-z0-9]{36}",
        Just("-----BEGIN RSA PRIVATE KEY-----".to_owned()),
        "[A-Za-z0-9]{32,48}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever the value and its name, a place without every piece of evidence keeps it: a service placed
    /// anywhere not local, a file that is no pipeline, local profile or local stack, a declared deployment.
    #[test]
    fn a_credential_is_never_dropped_without_the_whole_evidence(
        value in credential_value(),
        name in prop::sample::select(vec![
            "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "KEYCLOAK_CLIENT_SECRET", "DB_PASSWORD", "SECRET_KEY",
            "SECRET_KEY_BASE", "RAILS_MASTER_KEY", "API_KEY",
        ]),
        host in prop::sample::select(vec![
            "https://api.service.gov.uk", "prod-db.service.gov.uk", "${HOST}", "10.1.2.3",
        ]),
        path in prop::sample::select(vec![
            ".github/workflows/ci.yml", "conf/application.conf", ".env", ".flaskenv", "docker-compose.yml",
            "src/main/resources/application-local.yml",
        ]),
        env in prop::sample::select(vec!["development", "production", "performance"]),
    ) {
        let prefix = name.split('_').next().unwrap_or("X");
        let text = format!(
            "services:\n  web:\n    environment:\n      APP_ENV: {env}\n      {prefix}_HOST: {host}\n      REDIS_URL: memory://\n      {name}: {value}\n"
        );
        let start = text.find(value.as_str()).expect("value in text");
        prop_assert!(!presented_to_a_local_service(path, text.as_bytes(), start));
        prop_assert!(!own_key_of_a_development_run(path, text.as_bytes(), start));
        // The same settings with every host local, in a file declaring production: kept.
        let deployed = text.replace(host, "localhost").replace(env, "production");
        let start = deployed.find(value.as_str()).expect("value in text");
        prop_assert!(!presented_to_a_local_service(path, deployed.as_bytes(), start));
        prop_assert!(!own_key_of_a_development_run(path, deployed.as_bytes(), start));
    }

    /// A credential for another system is never taken for an own key, however local the run.
    #[test]
    fn a_credential_for_another_system_is_never_an_own_key(
        value in credential_value(),
        name in prop::sample::select(vec![
            "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "CLIENT_SECRET", "DB_PASSWORD", "API_KEY",
            "NOTIFY_API_KEY", "PRIVATE_KEY", "STRIPE_SECRET_KEY", "SESSION_TOKEN",
        ]),
        path in prop::sample::select(vec![".flaskenv", ".env.development", "docker-compose.yml", "config.yml"]),
    ) {
        let text = format!("FLASK_ENV=development\nREDIS_URL=memory://\n{name}={value}\n");
        let start = text.find(value.as_str()).expect("value in text");
        prop_assert!(!own_key_of_a_development_run(path, text.as_bytes(), start));
    }
}

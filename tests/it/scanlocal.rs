//! The history scan on files a development setup leaves behind (issue 22, precision on repositories nobody
//! has seen): a development tool's published key, a test run's environment file, a credential a Compose stack
//! gives a service it starts itself, the database files of an IDE and the lookup tables of a schema script.
//! Each test builds a real git repository and runs the real scan; the same files with one piece of the
//! evidence missing stay findings.

use crate::fixture::RepoFixture;
use crate::key_fixtures::*;
use crate::support::scan::{rule_paths, scan};

fn pair(rule: &str, path: &str) -> (String, String) {
    (rule.to_owned(), path.to_owned())
}

// ---- a development tool's published key ----

#[test]
fn a_key_whose_own_certificate_names_only_a_zone_s_loopback_name_is_not_a_finding() {
    let key = pem("PRIVATE KEY", RSA_PKCS8);
    let chain = pem("CERTIFICATE", RSA_LOOPBACK_ZONE_CERT);
    // As LocalStack leaves it: key and chain in one file, the key alone beside it.
    let fx = RepoFixture::one_commit(&[
        (".localstack/server.test.pem", format!("{key}{chain}")),
        (".localstack/server.test.pem.key", key.clone()),
        (".localstack/server.test.pem.crt", chain.clone()),
    ]);
    assert_eq!(rule_paths(&scan(&fx)), Vec::<(String, String)>::new());
}

#[test]
fn a_key_whose_certificate_also_names_a_host_of_the_zone_or_a_registered_localhost_domain_stays_a_finding()
 {
    for certificate in [RSA_LOOPBACK_AND_PUBLIC_CERT, RSA_LOCALHOST_DOMAIN_CERT] {
        let file = format!(
            "{}{}",
            pem("PRIVATE KEY", RSA_PKCS8),
            pem("CERTIFICATE", certificate)
        );
        let fx = RepoFixture::one_commit(&[(".localstack/server.test.pem", file)]);
        assert_eq!(
            rule_paths(&scan(&fx)),
            vec![
                pair("key-file", ".localstack/server.test.pem"),
                pair("private-key", ".localstack/server.test.pem"),
            ],
            "{certificate:.30}"
        );
    }
    // The loopback certificate of another key says nothing of this one.
    let fx = RepoFixture::one_commit(&[
        (
            ".localstack/server.test.pem.key",
            pem("PRIVATE KEY", OTHER_RSA),
        ),
        (
            ".localstack/server.test.pem.crt",
            pem("CERTIFICATE", RSA_LOOPBACK_ZONE_CERT),
        ),
    ]);
    assert_eq!(
        rule_paths(&scan(&fx)),
        vec![
            pair("key-file", ".localstack/server.test.pem.key"),
            pair("private-key", ".localstack/server.test.pem.key"),
        ]
    );
}

// ---- database files and SQL scripts: what their own schema declares ----

const IDE_CACHE: &[u8] = include_bytes!("scanlocal/ide-cache.sqlite");
const IDE_CACHE_WITH_EMPTY_USERS: &[u8] =
    include_bytes!("scanlocal/ide-cache-with-empty-users.sqlite");
const PEOPLE: &[u8] = include_bytes!("scanlocal/people.sqlite");
const GENERIC_WITH_ADDRESS: &[u8] = include_bytes!("scanlocal/generic-with-address.sqlite");

#[test]
fn an_ide_cache_whose_tables_with_rows_declare_no_personal_column_is_not_a_dump() {
    // Made with Python's sqlite3 at a 512-byte page size: 35 tables, so the schema spans interior and
    // overflow pages; rows in `FileSystemEntity(Name…)`, `Setting(Name, Value)`, an FTS5 index's shadow
    // tables and a `WITHOUT ROWID` table; in the second file an empty `users(full_name, email)` too.
    let fx = RepoFixture::one_commit(&[
        (".vs/slnx.sqlite", IDE_CACHE),
        (
            ".vs/app/CopilotIndices/SemanticSymbols.db",
            IDE_CACHE_WITH_EMPTY_USERS,
        ),
    ]);
    assert_eq!(rule_paths(&scan(&fx)), Vec::<(String, String)>::new());
}

#[test]
fn a_database_with_rows_in_a_personal_column_or_an_address_that_reaches_someone_is_a_dump() {
    let fx = RepoFixture::one_commit(&[
        (".vs/slnx.sqlite", PEOPLE),
        ("data/settings.db", GENERIC_WITH_ADDRESS),
    ]);
    assert_eq!(
        rule_paths(&scan(&fx)),
        vec![
            pair("database-dump", ".vs/slnx.sqlite"),
            pair("database-dump", "data/settings.db"),
        ]
    );
}

/// A SQL Server create script: the table, then INSERTs without a column list.
fn create_script(table: &str, columns: &str, rows: usize) -> String {
    let mut out = format!(
        "SET ANSI_NULLS ON\nGO\nCREATE TABLE [dbo].[{table}](\n{columns},\n CONSTRAINT [PK_{table}] PRIMARY KEY CLUSTERED \n(\n\t[Code] ASC\n) ON [PRIMARY]\n) ON [PRIMARY]\n\nGO\n\n"
    );
    for i in 0..rows {
        out.push_str(&format!(
            "INSERT INTO [{table}] VALUES ('C{i:03}','Place number {i}, Street {}')\n",
            i * 7
        ));
    }
    out.push_str("\nGO\n");
    out
}

#[test]
fn inserts_without_a_column_list_are_judged_by_the_columns_the_script_declares() {
    let lookup = create_script(
        "luRegionalLab",
        "\t[Code] [char](4) COLLATE Latin1_General_CI_AS NOT NULL,\n\t[Description] [varchar](50) NOT NULL",
        15,
    );
    let people = create_script(
        "Keeper",
        "\t[Code] [char](4) NOT NULL,\n\t[HomeAddress] [varchar](255) NOT NULL",
        15,
    );
    let fx = RepoFixture::one_commit(&[
        (
            "db/Create Scripts (Table)/luRegionalLab.sql",
            lookup.as_str(),
        ),
        ("db/Create Scripts (Table)/Keeper.sql", people.as_str()),
        // No CREATE TABLE in the script: nothing says what the columns are, every value counts.
        (
            "db/data.sql",
            &people[people.find("INSERT").expect("rows")..],
        ),
    ]);
    assert_eq!(
        rule_paths(&scan(&fx)),
        vec![
            pair("database-dump", "db/Create Scripts (Table)/Keeper.sql"),
            pair("database-dump", "db/data.sql"),
        ]
    );
}

// ---- environment files: the value's place decides, as the line scan judges it ----

/// A Rails app's test environment file: a local database, the shared key of the test run, every integration
/// turned off.
fn rails_test_env(secret: &str, extra: &str) -> String {
    format!(
        "APP_DB_HOST=localhost\nAPP_DB_PASSWORD=app_password\nAPP_SEARCH_URL=noop\n\nSECRET_KEY_BASE={secret}\n\nGITHUB_CLIENT_SECRET=noop\nAPP_BASE_URL=\"http://localhost:3000\"\n{extra}RAILS_ENV=test\n"
    )
}

fn hex_secret() -> String {
    "7f3a9c1e5b2d4f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d0f1a3c5e7b9d2f4a".to_owned()
}

#[test]
fn an_environment_file_of_a_declared_test_run_or_a_test_stack_is_not_a_finding() {
    let fx = RepoFixture::one_commit(&[
        ("api/.env.test", rails_test_env(&hex_secret(), "")),
        // A test stack's Compose variables: local passwords and a sample encryption key, no host.
        (
            "tests/.env",
            format!(
                "# A password for accessing elastic search\nELASTIC_PASSWORD=changeme\nES_PORT=9200\nKIBANA_PASSWORD=elastic\nCREDENTIALS_DIR=./credentials\n# SAMPLE Predefined Key only\nENCRYPTION_KEY={}\n",
                hex_secret()
            ),
        ),
        ("tests/docker-compose.yml", "services:\n  es:\n    image: elasticsearch:8.7.1\n    environment:\n      - ELASTIC_PASSWORD=${ELASTIC_PASSWORD}\n".to_owned()),
    ]);
    let blocking: Vec<_> = scan(&fx)
        .findings
        .into_iter()
        .filter(|f| f.local_test.is_none())
        .map(|f| (f.rule, f.path))
        .collect();
    assert_eq!(blocking, Vec::<(String, String)>::new());
}

#[test]
fn an_environment_file_that_declares_a_deployment_names_a_remote_host_or_sits_outside_tests_stays_a_finding()
 {
    let cases = [
        (
            "api/.env.test",
            rails_test_env(&hex_secret(), "").replace("RAILS_ENV=test", "RAILS_ENV=production"),
        ),
        (
            "api/.env.test",
            rails_test_env(&hex_secret(), "APP_SEARCH_HOST=search.service.gov.uk\n"),
        ),
        // A test's credential for another system, with a remote host (a test's own key is its own, as the
        // line scan judges it).
        (
            "tests/.env",
            format!(
                "SEARCH_API_KEY={}\nSEARCH_URL=https://search.service.gov.uk\n",
                hex_secret()
            ),
        ),
        ("deploy/.env", format!("ENCRYPTION_KEY={}\n", hex_secret())),
    ];
    for (path, text) in cases {
        let fx = RepoFixture::one_commit(&[(path, text.as_str())]);
        let report = scan(&fx);
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.rule == "dotenv-file" && f.path == path),
            "{path}: {text}\n{:?}",
            rule_paths(&report)
        );
    }
}

// ---- a Compose stack's credential for a service it starts itself ----

fn compose(server_url: &str, db_addr: &str) -> String {
    format!(
        "version: '3.7'\n\nservices:\n  app:\n    build: .\n    environment:\n      KEYCLOAK_ADMIN_USER: admin\n      KEYCLOAK_ADMIN_PASSWORD: mypassword\n      KEYCLOAK_SERVER_URL: {server_url}\n      KEYCLOAK_CLIENT_ID: admin-cli\n      KEYCLOAK_CLIENT_SECRET: 5b0c3e0a-91d4-4e7f-a6c2-8d3f1e9b7a42\n    volumes:\n      - .:/app\n    depends_on:\n      - keycloak\n\n  keycloak:\n    image: jboss/keycloak\n    environment:\n      KEYCLOAK_USER: admin\n      KEYCLOAK_PASSWORD: mypassword\n      DB_ADDR: {db_addr}\n      DB_PASSWORD: keycloak\n\n  postgres:\n    image: postgres:9.6\n    environment:\n      POSTGRES_PASSWORD: keycloak\n"
    )
}

#[test]
fn a_compose_stack_s_credential_for_a_service_it_starts_itself_is_not_a_finding() {
    let fx = RepoFixture::one_commit(&[(
        "docker-compose.yml",
        compose("http://keycloak:8080/auth", "postgres"),
    )]);
    assert_eq!(rule_paths(&scan(&fx)), Vec::<(String, String)>::new());
}

#[test]
fn a_compose_stack_s_credential_for_a_service_elsewhere_stays_a_finding() {
    for (url, db) in [
        ("https://auth.service.gov.uk/auth", "postgres"),
        ("http://keycloak:8080/auth", "db.service.gov.uk"),
        ("http://identity:8080/auth", "postgres"),
    ] {
        let fx = RepoFixture::one_commit(&[("docker-compose.yml", compose(url, db))]);
        assert_eq!(
            rule_paths(&scan(&fx)),
            vec![pair("generic-api-key", "docker-compose.yml")],
            "{url} {db}"
        );
    }
}

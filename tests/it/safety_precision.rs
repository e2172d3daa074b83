//! The history scan's precision on the false-alarm classes seen on real NHS histories (issue 22), its coverage
//! of blobs past the read window, and "one secret, one finding". Each test builds a real git repository with
//! git2 and runs the real scan; every made-up secret is assembled at run time so this file holds none.

use keepopen::safety::{SafetyConfig, SafetyReport, ScanLimits, scan_repository};

use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::scan::{
    assert_clean_with_the_first_listed_apart_as, aws_key, jwt, rule_paths, scan,
    scan_under_default_policy,
};

/// A made-up 40-character secret of high entropy.
fn random_secret() -> String {
    [
        "q8Xv2L", "m9TzR4", "kW7pN3", "bY6hJ1", "dF5sG0", "cV8nQ2", "eT",
    ]
    .concat()
}

// ---- .env by content, not by name ----

#[test]
fn a_dot_env_without_a_credential_like_value_is_not_a_finding() {
    let fx = RepoFixture::one_commit(&[
        ("empty/.env", b"".to_vec()),
        (
            "app/.env",
            b"ENV=\"dev\"\nAPI_KEY=\nSECRET=\nAPP_URL=http://localhost:3000\nDEBUG=true\n".to_vec(),
        ),
        (
            "docker/.env",
            b"POSTGRES_USER=postgres\nPOSTGRES_PASSWORD=postgres\nDATABASE_URL=postgres://postgres:postgres@db:5432/app\n"
                .to_vec(),
        ),
        (
            "refs/.env",
            b"API_TOKEN=${API_TOKEN}\nCLIENT_SECRET=changeme\nKEY=<your-key>\n".to_vec(),
        ),
    ]);
    let report = scan(&fx);
    assert_eq!(rule_paths(&report), Vec::<(String, String)>::new());
}

#[test]
fn a_dot_env_holding_a_real_looking_secret_is_a_finding() {
    let fx = RepoFixture::one_commit(&[(
        ".env",
        format!("NODE_ENV=production\nNEXTAUTH_SECRET={}\n", random_secret()).into_bytes(),
    )]);
    let report = scan(&fx);
    assert!(
        rule_paths(&report).contains(&("dotenv-file".into(), ".env".into())),
        "{:?}",
        rule_paths(&report)
    );
}

// ---- database dumps by content ----

#[test]
fn sql_that_is_code_is_not_a_dump_and_bulk_insert_values_rows_are() {
    let notebook = "-- Databricks notebook source\nINSERT INTO gold.referrals\nSELECT r.id, r.created\nFROM silver.referrals r\nWHERE r.created > '2021-01-01';\n\nINSERT INTO gold.summary (n) SELECT count(*) FROM gold.referrals;\n";
    let rows: String = (0..25)
        .map(|i| format!("({i}, 'Patient {i}', '1970-01-{:02}'),\n", i % 28 + 1))
        .collect();
    let dump = format!(
        "CREATE TABLE patients (id int, name text, dob date);\nINSERT INTO patients VALUES\n{}(99, 'Last', '1970-02-01');\n",
        rows
    );
    let fx = RepoFixture::one_commit(&[
        ("notebooks/load.sql", notebook.as_bytes().to_vec()),
        ("backup/patients.sql", dump.into_bytes()),
    ]);
    let report = scan(&fx);
    assert_eq!(
        rule_paths(&report),
        [("database-dump".into(), "backup/patients.sql".into())]
    );
}

/// A SQLite 3 database of 4096-byte pages: page 1 holds the schema (one table `t(<column>)`, root page 2),
/// page 2 the table, with `rows` rows of one integer each. Built byte by byte to the file format.
fn sqlite_file(rows: u8, column: &str) -> Vec<u8> {
    const PAGE: usize = 4096;
    let mut db = vec![0u8; PAGE * 2];
    db[..16].copy_from_slice(b"SQLite format 3\0");
    db[16..18].copy_from_slice(&(PAGE as u16).to_be_bytes());
    db[18] = 1;
    db[19] = 1;
    db[21] = 64;
    db[22] = 32;
    db[23] = 32;
    db[24..28].copy_from_slice(&1u32.to_be_bytes());
    db[28..32].copy_from_slice(&2u32.to_be_bytes());
    db[40..44].copy_from_slice(&1u32.to_be_bytes());
    db[44..48].copy_from_slice(&4u32.to_be_bytes());
    db[56..60].copy_from_slice(&1u32.to_be_bytes());
    db[92..96].copy_from_slice(&1u32.to_be_bytes());
    db[96..100].copy_from_slice(&3_045_001u32.to_be_bytes());
    // The schema row: type, name, tbl_name, rootpage, sql.
    let texts: [&[u8]; 3] = [b"table", b"t", b"t"];
    let sql = format!("CREATE TABLE t({column})");
    let sql = sql.as_bytes();
    let mut header = vec![0u8];
    for t in texts {
        header.push((13 + 2 * t.len()) as u8);
    }
    header.push(1);
    header.push((13 + 2 * sql.len()) as u8);
    header[0] = header.len() as u8;
    let mut record = header;
    for t in texts {
        record.extend_from_slice(t);
    }
    record.push(2);
    record.extend_from_slice(sql);
    let mut cell = vec![record.len() as u8, 1];
    cell.extend_from_slice(&record);
    let start = PAGE - cell.len();
    db[start..PAGE].copy_from_slice(&cell);
    db[100] = 0x0d;
    db[103..105].copy_from_slice(&1u16.to_be_bytes());
    db[105..107].copy_from_slice(&(start as u16).to_be_bytes());
    db[108..110].copy_from_slice(&(start as u16).to_be_bytes());
    // Page 2: the table's leaf.
    let page2 = PAGE;
    db[page2] = 0x0d;
    let mut content = PAGE;
    for row in 0..rows {
        let cell = [3u8, row + 1, 2, 1, row];
        content -= cell.len();
        db[page2 + content..page2 + content + cell.len()].copy_from_slice(&cell);
        let at = page2 + 8 + 2 * row as usize;
        db[at..at + 2].copy_from_slice(&(content as u16).to_be_bytes());
    }
    db[page2 + 3..page2 + 5].copy_from_slice(&u16::from(rows).to_be_bytes());
    db[page2 + 5..page2 + 7].copy_from_slice(&(content as u16).to_be_bytes());
    db
}

/// A SQLite file is judged by its schema, as a `.sql` dump by its columns: rows under a column that may be
/// personal make a dump; an empty file, an empty table and rows of a column that is not personal do not.
#[test]
fn an_empty_sqlite_file_is_not_a_dump_and_one_with_rows_of_a_personal_column_is() {
    let fx = RepoFixture::one_commit(&[
        ("search/index.sqlite", sqlite_file(0, "email")),
        ("data/empty.db", Vec::new()),
        ("data/counts.db", sqlite_file(3, "x")),
        ("data/app.db", sqlite_file(3, "email")),
    ]);
    let report = scan(&fx);
    assert_eq!(
        rule_paths(&report),
        [("database-dump".into(), "data/app.db".into())]
    );
}

// ---- public samples ----

/// jwt.io's sample token ("John Doe", HS256 signed with the documented key `your-256-bit-secret`).
const JWT_IO_SAMPLE: &str = concat!(
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
    ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
    ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
);

#[test]
fn unsigned_and_well_known_sample_jwts_are_not_secrets() {
    let unsigned = jwt(
        br#"{"alg":"none","typ":"JWT"}"#,
        br#"{"sub":"patient-123","scope":"read","iss":"https://example.org/auth"}"#,
        b"",
    );
    let spec = format!(
        "openapi: 3.0.0\ncomponents:\n  examples:\n    unsigned:\n      value: \"{unsigned}\"\n    sample:\n      value: \"{JWT_IO_SAMPLE}\"\n"
    );
    let fx = RepoFixture::one_commit(&[("api/openapi.yaml", spec.into_bytes())]);
    let report = scan(&fx);
    assert_eq!(rule_paths(&report), Vec::<(String, String)>::new());
}

#[test]
fn a_signed_jwt_that_has_expired_is_still_a_finding_saying_when_it_expired() {
    let token = jwt(
        br#"{"alg":"RS256","typ":"JWT","kid":"k1"}"#,
        br#"{"sub":"user-42","exp":1600000000,"aud":"api.example.org"}"#,
        &(0u8..=255).rev().step_by(5).collect::<Vec<u8>>(),
    );
    let fx =
        RepoFixture::one_commit(&[("tests/token.txt", format!("token {token}\n").into_bytes())]);
    let report = scan(&fx);
    let jwt = report
        .findings
        .iter()
        .find(|f| f.rule == "jwt")
        .unwrap_or_else(|| panic!("no jwt finding: {:?}", rule_paths(&report)));
    assert!(
        jwt.excerpt.contains("expired 2020-09-13"),
        "{}",
        jwt.excerpt
    );
    assert!(!jwt.excerpt.contains(&token));
}

#[test]
fn placeholders_and_identifier_values_are_not_generic_api_keys() {
    let text = "\
api_key = \"1234567890abcdef1234\"\n\
secret_token: abcdef0123456789abcd\n\
password = \"xxxxxxxxxxxx1\"\n\
.api-key-panel { dataKey: \"series_2019_total\" }\n\
token: YOUR_ACCESS_TOKEN_2\n\
usage: upload -u USERNAME:PASSWORD --token TOKEN_FROM_PORTAL_1\n";
    let fx = RepoFixture::one_commit(&[("docs/usage.md", text.as_bytes().to_vec())]);
    let report = scan(&fx);
    assert_eq!(rule_paths(&report), Vec::<(String, String)>::new());
}

#[test]
fn clinical_words_that_start_with_a_keyword_do_not_trip_generic_api_key() {
    let text = "\
condition,code\n\
Secretory otitis media: Y0x9-F5210.XaBq7z\n\
keyboard_layout = \"XE0dN-F5210-Yq7Bz\"\n";
    let fx = RepoFixture::one_commit(&[("codelists/ent.yaml", text.as_bytes().to_vec())]);
    let report = scan(&fx);
    assert_eq!(rule_paths(&report), Vec::<(String, String)>::new());
}

#[test]
fn a_real_looking_generic_secret_is_still_found() {
    let text = format!(
        "client_secret = \"{}\"\nsecretKey: {}\n",
        random_secret(),
        &random_secret()[..30]
    );
    let fx = RepoFixture::one_commit(&[("config/app.yaml", text.into_bytes())]);
    let report = scan(&fx);
    assert_eq!(
        report
            .findings
            .iter()
            .filter(|f| f.rule == "generic-api-key")
            .count(),
        2,
        "{:?}",
        rule_paths(&report)
    );
}

#[test]
fn test_keys_inside_committed_node_modules_are_not_findings() {
    let body = "MIIEpAIBAAKCAQEAu3vXk9QzL2pR7sWm4YtN8cHj5bFa1eGd6iKo0lPq3rSx9TyUv\n";
    let key = format!(
        "-----BEGIN RSA {}-----\n{body}{body}-----END RSA {}-----\n",
        "PRIVATE KEY", "PRIVATE KEY"
    );
    let fx = RepoFixture::one_commit(&[
        (
            "node_modules/https-proxy-agent/test/ssl-cert-snakeoil.key",
            key.clone().into_bytes(),
        ),
        (
            "frontend/node_modules/jws/test/keys/private.pem",
            key.into_bytes(),
        ),
    ]);
    let report = scan(&fx);
    assert_eq!(rule_paths(&report), Vec::<(String, String)>::new());
}

// ---- one secret, one finding ----

#[test]
fn the_same_secret_in_many_files_and_commits_is_one_finding_listing_its_places() {
    let fx = RepoFixture::bare();
    let line = format!("var c={{id:\"app\",secret:\"x\",aws:\"{}\"}};\n", aws_key());
    let mut spec = TreeSpec::new().file("README.md", "# app\n");
    for build in 0..3 {
        for bundle in 0..4 {
            spec = spec.file(
                &format!("dist/b{build}/chunk{bundle}.js"),
                format!("/* build {build} chunk {bundle} */\n{line}"),
            );
        }
        fx.commit("main", &spec);
    }
    fx.set_head("main");
    let report = scan(&fx);
    let aws: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "aws-access-token")
        .collect();
    assert_eq!(aws.len(), 1, "{:?}", rule_paths(&report));
    let f = aws[0];
    assert_eq!(f.path, "dist/b0/chunk0.js");
    assert_eq!(f.places_total, 12);
    assert_eq!(f.places.len(), 10, "capped");
    assert!(
        f.summary().contains("and 11 other places"),
        "{}",
        f.summary()
    );
}

// ---- the authors' own markers ----

#[test]
fn a_token_the_authors_mark_gitleaks_allow_is_reported_as_marked_and_does_not_block() {
    let text = format!(
        "const fixture = \"{}\"; // gitleaks:allow\n",
        ["gh", "p_", "R7kQ2mX9vL4pW8nB3tY6cJ1fH5sD0aZ2eUqT"].concat()
    );
    let fx = RepoFixture::one_commit(&[("test/fixture.js", text.into_bytes())]);
    let mut report = scan(&fx);
    assert_eq!(
        report.findings.len(),
        1,
        "reported: {:?}",
        rule_paths(&report)
    );
    assert!(
        report.findings[0]
            .marked
            .as_deref()
            .is_some_and(|m| m.contains("gitleaks:allow")),
        "{:?}",
        report.findings[0]
    );
    SafetyConfig::default().apply("org/app", &mut report);
    assert_eq!(report.allowed.len(), 1);
    assert_clean_with_the_first_listed_apart_as(&report, "marked by the authors");
}

#[test]
fn a_gitleaksignore_fingerprint_marks_that_finding_only() {
    let fx = RepoFixture::bare();
    let secret = ["gh", "p_", "R7kQ2mX9vL4pW8nB3tY6cJ1fH5sD0aZ2eUqT"].concat();
    let other = ["gh", "p_", "Z1aQ2wS3eD4rF5tG6yH7uJ8iK9oL0pM1nB2v"].concat();
    let c1 = fx.commit(
        "main",
        &TreeSpec::new()
            .file("test/a.js", format!("t = \"{secret}\"\n"))
            .file("src/b.js", format!("t = \"{other}\"\n")),
    );
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("test/a.js", format!("t = \"{secret}\"\n"))
            .file("src/b.js", format!("t = \"{other}\"\n"))
            .file(".gitleaksignore", format!("{c1}:test/a.js:github-pat:1\n")),
    );
    fx.set_head("main");
    let report = scan_under_default_policy(&fx);
    assert_eq!(
        rule_paths(&report),
        [("github-pat".into(), "src/b.js".into())]
    );
    assert_eq!(report.allowed.len(), 1);
    assert_eq!(report.allowed[0].path, "test/a.js");
    assert!(
        report.allowed[0]
            .marked
            .as_deref()
            .is_some_and(|m| m.contains(".gitleaksignore")),
        "{:?}",
        report.allowed[0].marked
    );
}

#[test]
fn a_policy_can_make_the_authors_markers_block() {
    let text = format!(
        "const fixture = \"{}\"; // gitleaks:allow\n",
        ["gh", "p_", "R7kQ2mX9vL4pW8nB3tY6cJ1fH5sD0aZ2eUqT"].concat()
    );
    let fx = RepoFixture::one_commit(&[("test/fixture.js", text.into_bytes())]);
    let mut report = scan(&fx);
    keepopen::policy::Policy::from_str(
        "version: 1\nsafety:\n  authors-markers: block\n",
        "policy.yaml",
    )
    .unwrap()
    .safety
    .apply("org/app", &mut report);
    assert!(!report.is_clean());
    assert!(report.blocking_reasons()[0].contains("marked by the authors"));
}

// ---- no blind spots ----

#[test]
fn an_aws_key_after_the_first_2_mib_of_a_2_2_mb_log_is_found() {
    let fx = RepoFixture::bare();
    let filler = "2024-01-01T00:00:00Z INFO request served in 12ms path=/health status=200\n";
    let mut log = filler.repeat(2 * 1024 * 1024 / filler.len() + 100);
    log.push_str(&format!(
        "2024-01-01T00:00:01Z DEBUG aws key {}\n",
        aws_key()
    ));
    while log.len() < 2_200_000 {
        log.push_str(filler);
    }
    assert!(log.find(&aws_key()).unwrap() > 2 * 1024 * 1024);
    let blob = fx.blob(log.as_bytes());
    fx.commit("main", &TreeSpec::new().blob("logs/app.log", blob));
    fx.set_head("main");
    let report = scan(&fx);
    assert_eq!(
        rule_paths(&report),
        [("aws-access-token".into(), "logs/app.log".into())]
    );
    let line = log[..log.find(&aws_key()).unwrap()].matches('\n').count() + 1;
    assert_eq!(report.findings[0].line, Some(line));
    assert!(!report.is_clean() && !report.incomplete);
}

// ---- properties ----

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Windows overlap and cover the whole blob: a key placed at any offset of a blob of any size, with a
        /// small window so that most blobs span several, is found once, on its line.
        #[test]
        fn a_key_at_any_offset_of_a_blob_of_any_size_is_found_once(
            size in 0usize..40_000,
            at in 0.0f64..1.0,
            window in 1024usize..8192,
        ) {
            let filler: String = "plain log text 0123\n".repeat(size / 20 + 1)[..size].to_owned();
            let cut = filler[..(size as f64 * at) as usize].rfind('\n').map_or(0, |i| i + 1);
            let text = format!("{}key {} end\n{}", &filler[..cut], aws_key(), &filler[cut..]);
            let fx = RepoFixture::bare();
            let blob = fx.blob(text.as_bytes());
            fx.commit("main", &TreeSpec::new().blob("log.txt", blob));
            let limits = ScanLimits { max_blob_bytes: window, ..ScanLimits::default() };
            let report = scan_repository(fx.repo(), &[], &limits).unwrap();
            prop_assert_eq!(rule_paths(&report), vec![("aws-access-token".to_string(), "log.txt".to_string())]);
            prop_assert_eq!(report.findings[0].line, Some(text[..cut].matches('\n').count() + 1));
            prop_assert!(!report.incomplete && report.truncated.is_empty());
        }

        /// However many files and commits hold one value, it is one finding, its places counted in full and
        /// listed up to the cap, the first place first.
        #[test]
        fn one_value_in_n_places_is_one_finding(n in 1usize..16, per_commit in 1usize..4) {
            let fx = RepoFixture::bare();
            let mut spec = TreeSpec::new();
            let mut placed = 0;
            while placed < n {
                for _ in 0..per_commit.min(n - placed) {
                    spec = spec.file(&format!("f{placed}/config.txt"), format!("copy {placed}\naws = {}\n", aws_key()));
                    placed += 1;
                }
                fx.commit("main", &spec);
            }
            let report = scan(&fx);
            prop_assert_eq!(report.findings.len(), 1);
            let f = &report.findings[0];
            prop_assert_eq!(f.places_total, n);
            prop_assert_eq!(f.places.len(), n.min(keepopen::safety::PLACES_KEPT));
            prop_assert_eq!(&f.path, "f0/config.txt");
            prop_assert_eq!(f.all_fingerprints().count() - 1, n);
        }
    }
}

// ---- a test's own credential, used only locally (src/safety/context.rs) ----

/// A made-up HS256 token of the shape a test computes and compares (the signature is random bytes: only its
/// algorithm matters here).
fn hs256_token() -> String {
    jwt(
        br#"{"alg":"HS256"}"#,
        br#"{"sub":"123","iss":"7"}"#,
        &(3u8..=99).step_by(3).collect::<Vec<u8>>(),
    )
}

/// The same shape signed with a private key (RS256): a token a server issued.
fn rs256_token() -> String {
    jwt(
        br#"{"alg":"RS256","typ":"JWT"}"#,
        br#"{"sub":"user-42","exp":4102444800}"#,
        &(0u8..=255).rev().step_by(3).collect::<Vec<u8>>(),
    )
}

/// A made-up PEM private key (base64 of counting bytes; it is no key, only a key's shape).
fn private_key_pem() -> String {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode((0u8..=200).collect::<Vec<u8>>());
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {0} KEY-----\n{1}\n-----END {0} KEY-----\n",
        ["RSA", "PRIVATE"].join(" "),
        lines.join("\n")
    )
}

fn local_test_reasons(report: &SafetyReport) -> Vec<String> {
    report
        .allowed
        .iter()
        .filter(|f| {
            f.allowed_by
                .as_deref()
                .is_some_and(|w| w.starts_with("test credential, local only"))
        })
        .map(|f| f.path.clone())
        .collect()
}

#[test]
fn a_test_credential_used_only_locally_is_listed_and_does_not_block() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            // A unit test's header value, no endpoint at all.
            .file(
                "sdk/headers_test.go",
                format!("h := &Headers{{UserAuthToken: \"{}\"}}\n", random_secret()),
            )
            // A token a spec computes and compares (HMAC: the test holds its key).
            .file(
                "spec/lib/jwt_helper_spec.rb",
                format!(
                    "url = \"http://step-nav-slug\"\nexpected_token = \"{}\"\n",
                    hs256_token()
                ),
            )
            // A test container's SFTP key, configured against localhost.
            .file(
                "src/test/resources/application-test.yml",
                format!(
                    "sftp:\n  host: localhost\n  port: 2222\n  private-key: |\n{}",
                    private_key_pem()
                        .lines()
                        .map(|l| format!("    {l}\n"))
                        .collect::<String>()
                ),
            )
            // A test key with its public half committed beside it.
            .file("src/test/resources/ssh/printer_rsa", private_key_pem())
            .file(
                "src/test/resources/ssh/printer_rsa.pub",
                "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC test@localhost\n",
            ),
    );
    fx.set_head("main");
    let mut report = scan(&fx);
    assert!(
        report.findings.iter().all(|f| f.local_test.is_some()),
        "{:?}",
        report.findings
    );
    SafetyConfig::default().apply("org/app", &mut report);
    assert!(report.is_clean(), "{:?}", report.blocking_reasons());
    let mut listed = local_test_reasons(&report);
    listed.sort();
    assert_eq!(
        listed,
        [
            "sdk/headers_test.go",
            "spec/lib/jwt_helper_spec.rb",
            "src/test/resources/application-test.yml",
            "src/test/resources/ssh/printer_rsa",
        ]
    );
    // A policy can make them block.
    let mut report = scan(&fx);
    keepopen::policy::Policy::from_str(
        "version: 1\nsafety:\n  local-test-credentials: block\n",
        "policy.yaml",
    )
    .unwrap()
    .safety
    .apply("org/app", &mut report);
    assert_eq!(report.findings.len(), 4);
}

#[test]
fn a_token_a_server_signed_stays_a_finding_in_a_test_against_localhost() {
    // A captured token (RS256) in a Cypress test that visits localhost, and one wrapped in an unsigned test
    // token: the issuer's private key signed them, not the test.
    let wrapped = jwt(
        br#"{"alg":"none"}"#,
        format!("{{\"sub\":\"cypress\",\"idToken\":\"{}\"}}", rs256_token()).as_bytes(),
        b"",
    );
    let fx = RepoFixture::one_commit(&[
        (
            "src/test/e2e/cypress/e2e/spec.cy.js",
            format!(
                "cy.visit('http://localhost:3000');\ncy.setCookie('session', '{}');\n",
                rs256_token()
            )
            .into_bytes(),
        ),
        (
            "src/test/e2e/cypress/support/commands.js",
            format!("cy.setCookie('user', '{wrapped}');\n").into_bytes(),
        ),
    ]);
    let report = scan_under_default_policy(&fx);
    assert_eq!(
        rule_paths(&report),
        [
            (
                "jwt".to_string(),
                "src/test/e2e/cypress/e2e/spec.cy.js".to_string()
            ),
            (
                "jwt".to_string(),
                "src/test/e2e/cypress/support/commands.js".to_string()
            ),
        ]
    );
}

mod local_test_mutations {
    use super::*;
    use proptest::prelude::*;

    /// The same credential moved out of a test's local context, one property at a time.
    #[derive(Debug, Clone, Copy)]
    enum Move {
        /// To a path that is not a test's.
        NonTestPath,
        /// Beside a real host in the same test file.
        RemoteHost,
        /// A second copy of the value in application code.
        CopyInApp,
        /// A key under a test path with neither its public half nor a local endpoint.
        KeyAlone,
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// A value the scan lists as a local test credential is a blocking finding again once any one of the
        /// properties that made it so is gone.
        #[test]
        fn a_test_credential_out_of_its_local_test_context_still_blocks(
            secret in "[A-Za-z0-9]{8}[0-9][A-Za-z0-9]{23}",
            host in "[a-z]{3,10}\\.(gov\\.uk|com|io)",
            kind in prop_oneof![Just(Move::NonTestPath), Just(Move::RemoteHost), Just(Move::CopyInApp), Just(Move::KeyAlone)],
        ) {
            prop_assume!(keepopen::safety::rules::shannon_entropy(secret.as_bytes()) > 3.5);
            // Only values the rules take for a secret at all: a generated value can hold one of gitleaks'
            // stopwords (`vpn`, …), and such a value is no finding anywhere.
            let alone = RepoFixture::one_commit(&[("lib/client.rb", format!("client_secret = \"{secret}\"\n").into_bytes())]);
            let baseline = scan_under_default_policy(&alone);
            prop_assume!(baseline.findings.len() == 1);
            let local = format!("base = \"http://localhost:8080\"\nclient_secret = \"{secret}\"\n");
            let files: Vec<(String, String)> = match kind {
                Move::NonTestPath => vec![("src/config/app.rb".into(), local.clone())],
                Move::RemoteHost => vec![(
                    "spec/client_spec.rb".into(),
                    format!("{local}api = \"https://{host}/v1\"\n"),
                )],
                Move::CopyInApp => vec![
                    ("spec/client_spec.rb".into(), local.clone()),
                    ("lib/client.rb".into(), format!("client_secret = \"{secret}\"\n")),
                ],
                Move::KeyAlone => vec![("test/keys/deploy_key".into(), private_key_pem())],
            };
            // Control: in its local test context the same value does not block.
            let control = RepoFixture::one_commit(&[("spec/client_spec.rb", local.clone().into_bytes())]);
            let report = scan_under_default_policy(&control);
            prop_assert!(report.findings.is_empty(), "{:?}", report.findings);
            prop_assert_eq!(report.allowed.len(), 1);

            let files: Vec<(&str, Vec<u8>)> =
                files.iter().map(|(p, t)| (p.as_str(), t.clone().into_bytes())).collect();
            let fx = RepoFixture::one_commit(&files);
            let report = scan_under_default_policy(&fx);
            prop_assert_eq!(report.findings.len(), 1, "{:?} {:?}", kind, report.allowed);
            prop_assert!(report.findings[0].local_test.is_none());
        }
    }
}

// ---- values a vendor's snippet serves to every visitor; seed data that cycles invented records ----

/// A made-up UUID-shaped widget key.
fn widget_key() -> String {
    ["3f5e2a1c", "9b7d", "4e6f", "8a2b", "1c0d9e8f7a6b"].join("-")
}

#[test]
fn a_widget_key_in_a_page_snippet_is_not_a_finding_but_the_same_value_as_an_api_token_is() {
    let page = format!(
        "<% if current_user.present? %>\n  <script id=\"ze-snippet\" src=\"https://static.zdassets.com/ekr/snippet.js?key={}\"> </script>\n<% end %>\n",
        widget_key()
    );
    let gtm = "window.config = [{\n  id: 'GTM-P93SHJ4Z',\n  auth: '8jHx-VNEguw67iX9TBC6_g',\n  preview: 'env-50'\n}];\n";
    let fx = RepoFixture::one_commit(&[
        (
            "app/views/layouts/_container.html.erb",
            page.clone().into_bytes(),
        ),
        (
            "app/assets/javascripts/domain-config.js",
            gtm.as_bytes().to_vec(),
        ),
    ]);
    assert_eq!(rule_paths(&scan(&fx)), Vec::<(String, String)>::new());
    // The same value where it would open an account: a server-side setting.
    let fx = RepoFixture::one_commit(&[
        ("app/views/layouts/_container.html.erb", page.into_bytes()),
        (
            "config/zendesk.rb",
            format!("ZENDESK_API_TOKEN = \"{}\"\n", widget_key()).into_bytes(),
        ),
    ]);
    assert_eq!(
        rule_paths(&scan(&fx)),
        [(
            "generic-api-key".to_string(),
            "config/zendesk.rb".to_string()
        )]
    );
}

#[test]
fn seed_sql_cycling_a_few_invented_addresses_is_not_a_dump_but_distinct_people_are() {
    let streets = [
        "23', N'Ruby St",
        "78', N'Pine Ln",
        "45', N'Maple Ave",
        "12', N'Oak Rd",
    ];
    let row = |i: usize, line1: String| {
        format!(
            "INSERT [dbo].[Public.Address] ([Id], [AddressLine1], [AddressLine2], [TownCity], [PostCode]) VALUES ({i}, N'{line1}', N'London', N'E1{} 3SE')\nGO\n",
            i % 4
        )
    };
    let seed: String = (1..=40)
        .map(|i| row(i, streets[i % 4].to_string()))
        .collect();
    let dump: String = (1..=40)
        .map(|i| row(i, format!("{i}', N'{} Road", ["Ash", "Elm", "Oak"][i % 3])))
        .collect();
    let fx = RepoFixture::one_commit(&[
        ("src/Data/SeedData/SeedData.sql", seed.into_bytes()),
        ("backup/addresses.sql", dump.into_bytes()),
    ]);
    assert_eq!(
        rule_paths(&scan(&fx)),
        [(
            "database-dump".to_string(),
            "backup/addresses.sql".to_string()
        )]
    );
}

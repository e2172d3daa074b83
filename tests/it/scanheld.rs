//! False-alarm classes first seen on the held-out acceptance set (issue 22), each as a mechanism on a real git
//! repository built with git2 and scanned for real: puzzle integers that pass the NHS check by chance, values
//! that are object ids of the repository itself, public parts of compound credentials, saved third-party web
//! pages, and files named as key stores whose bytes are not one. Every made-up secret is assembled at run time,
//! so this file holds none.

use keepopen::safety::{ScanLimits, scan_repository};

use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::scan::{rule_paths, scan};

/// A small deterministic generator (xorshift64*), so the "random" files are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Whether ten digits pass the NHS modulus-11 check (written here apart from the library's).
fn nhs_valid(d: &[u8]) -> bool {
    let sum: u32 = (0..9)
        .map(|i| u32::from(d[i] - b'0') * (10 - i as u32))
        .sum();
    let check = (11 - sum % 11) % 11;
    check != 10 && check == u32::from(d[9] - b'0')
}

/// Ten-digit numbers in the issued ranges with a valid check digit, made from `rng`.
fn valid_nhs_numbers(rng: &mut Rng, count: usize) -> Vec<String> {
    let mut out = Vec::new();
    while out.len() < count {
        let n = 3_000_000_000 + rng.next() % 6_000_000_000;
        let s = n.to_string();
        if nhs_valid(s.as_bytes()) && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

// ---- NHS numbers: evidence, not arithmetic ----

/// An Advent of Code "almanac": a line of seeds, then maps of three unsigned 32-bit integers a row. One ten-digit
/// number in eleven passes the modulus-11 check by arithmetic alone.
fn almanac(seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut text = String::from("seeds:");
    for _ in 0..20 {
        text.push_str(&format!(" {}", rng.next() % 4_294_967_296));
    }
    for name in [
        "seed-to-soil",
        "soil-to-fertilizer",
        "fertilizer-to-water",
        "water-to-light",
    ] {
        text.push_str(&format!("\n\n{name} map:\n"));
        for _ in 0..40 {
            let (a, b, c) = (
                rng.next() % 4_294_967_296,
                rng.next() % 4_294_967_296,
                rng.next() % 400_000_000,
            );
            text.push_str(&format!("{a} {b} {c}\n"));
        }
    }
    text
}

#[test]
fn puzzle_integers_that_pass_the_nhs_check_by_chance_are_not_patient_data() {
    let files: Vec<(String, Vec<u8>)> = (1..=6)
        .map(|day| (format!("inputs/day_5_{day}.txt"), almanac(day).into_bytes()))
        .collect();
    // The generator does put valid numbers in (about 1 in 11 of the ten-digit ones in range): the test is not
    // empty.
    let valid_in_first = almanac(1)
        .split_whitespace()
        .filter(|w| {
            w.len() == 10 && (b'3'..=b'8').contains(&w.as_bytes()[0]) && nhs_valid(w.as_bytes())
        })
        .count();
    assert!(valid_in_first >= 3, "only {valid_in_first} valid numbers");
    let refs: Vec<(&str, Vec<u8>)> = files.iter().map(|(p, b)| (p.as_str(), b.clone())).collect();
    let report = scan(&RepoFixture::one_commit(&refs));
    assert!(report.findings.is_empty(), "{:?}", rule_paths(&report));
}

#[test]
fn a_list_of_valid_nhs_numbers_is_patient_data_even_unnamed_and_among_other_columns() {
    let mut rng = Rng(7);
    let numbers = valid_nhs_numbers(&mut rng, 6);
    let rows: String = numbers
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{i},{n},2019-0{}-1{i},{}\n", i + 1, rng.next() % 1000))
        .collect();
    let report = scan(&RepoFixture::one_commit(&[(
        "export/list.csv",
        format!("row,ref,date,score\n{rows}").into_bytes(),
    )]));
    assert_eq!(
        rule_paths(&report),
        [("nhs-number".to_string(), "export/list.csv".to_string())]
    );
}

#[test]
fn valid_numbers_in_a_file_that_names_nhs_numbers_are_patient_data_among_random_ones() {
    // Three real-shaped NHS numbers, labelled, in a file that also holds many random ten-digit numbers: chance
    // alone could explain the count, but the file says what they are.
    let mut rng = Rng(11);
    let real = valid_nhs_numbers(&mut rng, 3);
    let mut text = String::from("case_id,nhs_number,amount\n");
    for i in 0..60 {
        let nhs = real.get(i).cloned().unwrap_or_default();
        text.push_str(&format!(
            "{},{nhs},{}\n",
            3_000_000_000 + rng.next() % 6_000_000_000,
            rng.next() % 999
        ));
    }
    let report = scan(&RepoFixture::one_commit(&[(
        "reports/cases.csv",
        text.into_bytes(),
    )]));
    assert_eq!(
        rule_paths(&report),
        [("nhs-number".to_string(), "reports/cases.csv".to_string())]
    );
}

// ---- public by design: a Sentry DSN's key, an image tag, a saved page's per-render token, SonarLint ids ----

const SENTRY_KEY: &str = "217c7d14dd2e4cfa8dc62924a1bbd237";

#[test]
fn public_parts_of_compound_identifiers_are_not_findings() {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta name=\"Generator\" content=\"Drupal 7\" />\n<script>\njQuery.extend(Drupal.settings, {{\"basePath\":\"\\/\",\"ajaxPageState\":{{\"theme\":\"business\",\"theme_token\":\"{}\"}}}});\n</script>\n</head>\n<body><p>Permission is hereby granted</p></body>\n</html>\n",
        ["E7Q47k0j8bgr", "Qfc7BPzw9VjD", "OU7Ku7pjoL9OOsEGa44"].concat()
    );
    let fx = RepoFixture::one_commit(&[
        (
            "helm/values/production.yaml",
            format!(
                "sentry:\n  cspReportEndpoint: https://o345774.ingest.sentry.io/api/4504177640275968/security/?sentry_key={SENTRY_KEY}\n  dsn: https://{SENTRY_KEY}@o345774.ingest.sentry.io/4504177640275968\n"
            )
            .into_bytes(),
        ),
        (
            "kube/api/deployment.yml",
            b"spec:\n  template:\n    spec:\n      containers:\n        - name: data-service\n          image: quay.io/ukhomeofficedigital/hof-rds-api:16bc712744851373e533d94ecf04724836be8247\n".to_vec(),
        ),
        ("licenses/mit_license.html", page.into_bytes()),
        (
            "App/.sonarlint/App.slconfig",
            b"{\n  \"ServerUri\": \"https://sonarcloud.io/\",\n  \"Organization\": {\n    \"Key\": \"dfe-digital\"\n  },\n  \"ProjectKey\": \"DFE-Digital_prepare\",\n  \"Profiles\": {\n    \"CSharp\": {\n      \"ProfileKey\": \"AXfS3z7t8dMx1YkRq2Wp\",\n      \"ProfileTimestamp\": \"2021-05-01T00:00:00Z\"\n    }\n  }\n}\n".to_vec(),
        ),
    ]);
    let report = scan(&fx);
    assert!(report.findings.is_empty(), "{:?}", rule_paths(&report));
}

#[test]
fn real_secrets_beside_public_identifiers_are_still_found() {
    // A secret beside a Sentry DSN, a token in a page under a secret name, a real key in a page.
    let secret = ["q8Xv2L", "m9TzR4", "kW7pN3", "bY6hJ1"].concat();
    // A different value: the same one anywhere would be one finding, named at its first place.
    let page_secret = ["Zr7Kp2", "Wq9Lx4", "Nv3Bt8", "Hc6Md1"].concat();
    let aws = ["AK", "IA", "Q7ZP3XKW2M5RT4VN"].concat();
    let fx = RepoFixture::one_commit(&[
        (
            "config/sentry.yml",
            format!(
                "sentry:\n  dsn: https://{SENTRY_KEY}@o1.ingest.sentry.io/42\n  auth_token: {secret}\n"
            )
            .into_bytes(),
        ),
        (
            "site/index.html",
            format!(
                "<!DOCTYPE html>\n<html><script>var settings = {{\"csrf_secret\":\"{page_secret}\", \"aws\": \"{aws}\"}};</script></html>\n"
            )
            .into_bytes(),
        ),
    ]);
    let report = scan(&fx);
    let found = rule_paths(&report);
    assert!(
        found.iter().any(|(_, p)| p == "config/sentry.yml"),
        "a secret beside a DSN: {found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(r, p)| r == "aws-access-token" && p == "site/index.html"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(r, p)| r == "generic-api-key" && p == "site/index.html"),
        "a csrf *secret* signs tokens: {found:?}"
    );
}

// ---- key stores by their bytes ----

/// The head of a JKS store (magic, version 2, one entry) and some bytes, as a real store opens.
fn jks_bytes() -> Vec<u8> {
    let mut bytes = vec![
        0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 5,
    ];
    bytes.extend(b"mykey");
    bytes.extend((0u8..=255).cycle().take(2000).map(|b| b.wrapping_mul(37)));
    bytes
}

#[test]
fn a_text_placeholder_named_as_a_key_store_is_not_a_finding_but_the_real_store_that_replaces_it_is()
{
    let placeholder = b"This file will be overwritten by local integration tests OR real cert once the container runs on the environment.\n".to_vec();
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("app-keystore.jks", &placeholder)
            .file("app-truststore.jks", &placeholder),
    );
    let report = scan(&fx);
    assert!(report.findings.is_empty(), "{:?}", rule_paths(&report));
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("app-keystore.jks", jks_bytes())
            .file("app-truststore.jks", &placeholder),
    );
    fx.set_head("main");
    let report = scan(&fx);
    assert_eq!(
        rule_paths(&report),
        [("key-store-file".to_string(), "app-keystore.jks".to_string())]
    );
}

#[test]
fn a_key_store_reachable_only_from_a_pull_request_ref_is_read_only_when_that_ref_is_named() {
    // dwp/ucfs-claimant-kafka-consumer: real developer stores were committed on a pull request's branch and
    // removed before its squash merge; only refs/pull/26/head reaches them, and refs/pull/* is never
    // published, so the default scan (heads and tags: what is pushed) does not read them.
    let fx = RepoFixture::bare();
    let base = fx.commit("main", &TreeSpec::new().file("README.md", "# consumer\n"));
    fx.set_head("main");
    let pr = fx.commit(
        "feature",
        &TreeSpec::new()
            .file("README.md", "# consumer\n")
            .file("app-keystore.jks", jks_bytes()),
    );
    fx.write_ref("refs/pull/26/head", pr);
    fx.delete_ref("refs/heads/feature");
    let _ = base;
    let report = scan(&fx);
    assert!(report.findings.is_empty(), "{:?}", rule_paths(&report));
    let named = scan_repository(
        fx.repo(),
        &["refs/pull/*".to_owned()],
        &ScanLimits::default(),
    )
    .expect("scan");
    assert_eq!(
        rule_paths(&named),
        [("key-store-file".to_string(), "app-keystore.jks".to_string())]
    );
}

// ---- Thumbs.db: a thumbnail cache is not a database ----

/// A compound file (512-byte sectors: the FAT in sector 0, the directory in sector 1) with these streams.
fn compound_file(streams: &[&str]) -> Vec<u8> {
    let mut file = vec![0u8; 512 * 3];
    file[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    file[0x1A] = 3;
    file[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
    file[0x1E] = 9;
    file[0x2C] = 1; // one FAT sector
    file[0x30] = 1; // the directory starts at sector 1
    file[0x44..0x48].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    for i in 1..109 {
        file[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&u32::MAX.to_le_bytes());
    }
    file[512..516].copy_from_slice(&0xFFFF_FFFDu32.to_le_bytes());
    file[516..520].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    for i in 2..128 {
        file[512 + 4 * i..516 + 4 * i].copy_from_slice(&u32::MAX.to_le_bytes());
    }
    let names = std::iter::once(("Root Entry", 5u8)).chain(streams.iter().map(|s| (*s, 2u8)));
    for (index, (name, kind)) in names.enumerate() {
        let at = 1024 + 128 * index;
        let units: Vec<u16> = name.encode_utf16().collect();
        for (i, u) in units.iter().enumerate() {
            file[at + 2 * i..at + 2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        file[at + 0x40..at + 0x42].copy_from_slice(&(2 * units.len() as u16 + 2).to_le_bytes());
        file[at + 0x42] = kind;
    }
    file
}

#[test]
fn a_windows_thumbnail_cache_is_not_a_database_dump_but_another_compound_file_named_db_is() {
    let fx = RepoFixture::one_commit(&[
        (
            "skins/Buttons/Thumbs.db",
            compound_file(&["Catalog", "1", "01"]),
        ),
        ("data/store.db", compound_file(&["Workbook", "Catalog"])),
    ]);
    let report = scan(&fx);
    assert_eq!(
        rule_paths(&report),
        [("database-dump".to_string(), "data/store.db".to_string())]
    );
}

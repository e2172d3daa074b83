//! Sensitive files judged by what they are (issue 22): a dump by what its own structure says it holds, a key
//! by what the tree says it serves. Each test builds a real git repository and runs the real scan; the keys
//! are test-only keys whose PEM markers are put back at run time (see `key_fixtures`).

use keepopen::safety::SafetyReport;

use crate::fixture::RepoFixture;
use crate::key_fixtures::*;
use crate::support::scan::rule_paths;

fn scan(files: &[(&str, Vec<u8>)]) -> SafetyReport {
    crate::support::scan::scan(&RepoFixture::one_commit(files))
}

fn pem(label: &str, body: &str) -> Vec<u8> {
    crate::key_fixtures::pem(label, body).into_bytes()
}

fn pair(s: &str, t: &str) -> (String, String) {
    (s.to_owned(), t.to_owned())
}

// ---- keys ----

#[test]
fn a_local_proxy_s_key_beside_its_own_self_signed_localhost_certificate_is_not_a_finding() {
    let report = scan(&[
        ("docker/https-proxy/key.pem", pem("PRIVATE KEY", RSA_PKCS8)),
        (
            "docker/https-proxy/cert.pem",
            pem("CERTIFICATE", RSA_LOCAL_CERT),
        ),
        ("docker/https-proxy/Dockerfile", b"FROM scratch\n".to_vec()),
        // The same kind of pair for a one-label service name, key and certificate in one file.
        (
            "dev/proxy.pem",
            [
                pem("EC PRIVATE KEY", EC_SEC1),
                pem("CERTIFICATE", EC_ONE_LABEL_CERT),
            ]
            .concat(),
        ),
        // The same EC key in PKCS#8, as `server.key` beside `server.crt`.
        ("tools/devserver/server.key", pem("PRIVATE KEY", EC_PKCS8)),
        (
            "tools/devserver/server.crt",
            pem("CERTIFICATE", EC_ONE_LABEL_CERT),
        ),
    ]);
    assert_eq!(rule_paths(&report), Vec::<(String, String)>::new());
}

#[test]
fn a_key_whose_certificate_does_not_prove_it_local_stays_a_finding() {
    let cases: &[(&str, &str, &str)] = &[
        // A certificate for a public name.
        ("PRIVATE KEY", RSA_PKCS8, RSA_PUBLIC_NAME_CERT),
        // A certificate some authority issued.
        ("PRIVATE KEY", RSA_PKCS8, RSA_CA_ISSUED_CERT),
        // Another key's local certificate.
        ("PRIVATE KEY", OTHER_RSA, RSA_LOCAL_CERT),
    ];
    for (label, key, certificate) in cases {
        let report = scan(&[
            ("docker/https-proxy/key.pem", pem(label, key)),
            (
                "docker/https-proxy/cert.pem",
                pem("CERTIFICATE", certificate),
            ),
        ]);
        assert_eq!(
            rule_paths(&report),
            vec![
                pair("key-file", "docker/https-proxy/key.pem"),
                pair("private-key", "docker/https-proxy/key.pem"),
            ],
            "{certificate:.20}"
        );
    }
    // No certificate at all; a local certificate in another folder says nothing of this key.
    let report = scan(&[
        ("config/jwt.key", pem("PRIVATE KEY", RSA_PKCS8)),
        ("docker/cert.pem", pem("CERTIFICATE", RSA_LOCAL_CERT)),
    ]);
    assert_eq!(
        rule_paths(&report),
        vec![
            pair("key-file", "config/jwt.key"),
            pair("private-key", "config/jwt.key"),
        ]
    );
}

#[test]
fn a_key_inlined_in_code_stays_a_finding_and_other_secrets_beside_a_throwaway_key_stay_too() {
    let key = String::from_utf8(pem("RSA PRIVATE KEY", RSA_PKCS1)).expect("ascii");
    let aws = ["AK", "IA", "Q7ZP3XKW2M5RT4VN"].concat();
    let report = scan(&[
        (
            "config/initializers/openid.rb",
            format!("SIGNING_KEY = <<~KEY\n{key}KEY\n").into_bytes(),
        ),
        (
            "proxy/key.pem",
            [
                pem("PRIVATE KEY", RSA_PKCS8),
                format!("# aws_access_key_id = {aws}\n").into_bytes(),
            ]
            .concat(),
        ),
        ("proxy/cert.pem", pem("CERTIFICATE", RSA_LOCAL_CERT)),
    ]);
    let rules = rule_paths(&report);
    assert!(
        rules.contains(&pair("private-key", "config/initializers/openid.rb")),
        "{rules:?}"
    );
    assert!(
        rules
            .iter()
            .any(|(r, p)| r == "aws-access-token" && p == "proxy/key.pem"),
        "{rules:?}"
    );
    assert!(
        !rules
            .iter()
            .any(|(r, p)| p == "proxy/key.pem" && (r == "key-file" || r == "private-key")),
        "{rules:?}"
    );
}

// ---- dumps ----

/// A pg_dump custom-format archive (format 1.14) of these entries: description, tag, COPY statement.
fn pg_archive(entries: &[(&str, &str, Option<&str>)]) -> Vec<u8> {
    let mut out = b"PGDMP".to_vec();
    out.extend([1, 14, 0, 4, 8, 1]);
    fn int(out: &mut Vec<u8>, v: i64) {
        out.push(u8::from(v < 0));
        out.extend((v.unsigned_abs() as u32).to_le_bytes());
    }
    fn string(out: &mut Vec<u8>, s: Option<&str>) {
        match s {
            None => int(out, -1),
            Some(s) => {
                int(out, s.len() as i64);
                out.extend(s.as_bytes());
            }
        }
    }
    int(&mut out, -1);
    for v in [54, 25, 21, 8, 7, 124, 0] {
        int(&mut out, v);
    }
    for s in ["leandro", "14.12", "14.12"] {
        string(&mut out, Some(s));
    }
    int(&mut out, entries.len() as i64);
    for (i, (desc, tag, copy)) in entries.iter().enumerate() {
        int(&mut out, i as i64 + 1);
        int(&mut out, i64::from(*desc == "TABLE DATA"));
        for s in [Some("0"), Some("0"), Some(*tag), Some(*desc)] {
            string(&mut out, s);
        }
        int(&mut out, 2);
        for s in [
            Some(""),
            Some(""),
            *copy,
            Some("public"),
            Some(""),
            Some(""),
        ] {
            string(&mut out, s);
        }
        for s in [Some("leandro"), Some("false"), None] {
            string(&mut out, s);
        }
        out.push(3);
        out.extend([0u8; 8]);
    }
    out
}

#[test]
fn dumps_and_databases_that_hold_no_one_s_data_are_not_findings_and_those_that_may_are() {
    let settings = [
        ("ENCODING", "ENCODING", None),
        ("STDSTRINGS", "STDSTRINGS", None),
        ("DATABASE", "leandro", None),
    ];
    let empty = pg_archive(&settings);
    let people = pg_archive(
        &[
            &settings[..],
            &[(
                "TABLE DATA",
                "participant",
                Some("COPY public.participant (id, full_name, email) FROM stdin;\n"),
            )],
        ]
        .concat(),
    );
    let mut h2 = b"H:2,block:6,blockSize:1000,chunk:3,format:2\n".to_vec();
    h2.extend([0u8; 32]);
    h2.extend(b"\rCREATE CACHED TABLE \"PUBLIC\".\"INDEXED_JAR\"(\n    \"ID\" INTEGER NOT NULL,\n    \"MD5\" CHARACTER VARYING NOT NULL\n)\x04\x16 #\0");
    let lock = b"#FileLock\n#Fri Jun 30 16:42:19 BST 2023\nhostName=localhost\nid=188b53dad9a6\nmethod=file\nserver=localhost\\:63761\n".to_vec();
    let rows = |domain: &str| -> Vec<u8> {
        let lines: String = (1..=14)
            .map(|i| format!("{i}\tPerson {i}\tperson{i}@{domain}\n"))
            .collect();
        format!("COPY public.\"Consignment\" (\"Id\", \"ContactName\", \"ContactEmail\") FROM stdin;\n{lines}\\.\n")
            .into_bytes()
    };
    let report = scan(&[
        ("backup.dump", empty),
        ("backups/prod.dump", people),
        (".metals/metals.mv.db", h2),
        (".metals/metals.lock.db", lock),
        ("local_services/dev-data.sql", rows("example.com")),
        ("exports/consignments.sql", rows("mail.gov.uk")),
    ]);
    assert_eq!(
        rule_paths(&report),
        vec![
            pair("database-dump", "backups/prod.dump"),
            pair("database-dump", "exports/consignments.sql"),
        ]
    );
}

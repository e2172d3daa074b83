use super::*;

#[test]
fn file_rules_table() {
    let cases: &[(&str, Option<&str>, Option<&str>)] = &[
        (
            ".env",
            Some("SECRET_KEY=q8Xv2Lm9TzR4kW7pN3\n"),
            Some("dotenv-file"),
        ),
        (
            "app/.env",
            Some("DB=postgres://u:q8Xv2Lm9TzR4@h/db"),
            Some("dotenv-file"),
        ),
        (
            ".env.production",
            Some("API_TOKEN='q8Xv2Lm9TzR4'"),
            Some("dotenv-file"),
        ),
        (".env", None, None),
        (".env", Some(""), None),
        (
            ".env",
            Some("ENV=\"dev\"\nSECRET=\nPASSWORD=postgres\n"),
            None,
        ),
        (".env", Some("DB=postgres://postgres:postgres@db/app"), None),
        (
            ".env",
            Some("DB=postgres://app:devpass@localhost:5432/app"),
            None,
        ),
        (
            ".env",
            Some("DB=postgres://admin:hunter22secret@db.internal/x"),
            Some("dotenv-file"),
        ),
        (
            ".env",
            Some("APP_URL=http://localhost:3000\nVERSION=1.2.3"),
            None,
        ),
        (".env", Some("API_KEY=${API_KEY}\nTOKEN=<your-token>"), None),
        (".env.example", None, None),
        ("config/.env.sample", None, None),
        (".env.local.example", None, None),
        ("environment.md", None, None),
        ("certs/server.pem", None, Some("key-file")),
        ("tls.KEY", None, Some("key-file")),
        ("keyboard.rs", None, None),
        (".pem", None, None), // a dot file called ".pem" has no extension
        ("home/.ssh/id_rsa", None, Some("ssh-private-key-file")),
        ("id_ed25519", None, Some("ssh-private-key-file")),
        ("id_rsa.pub", None, None),
        ("client.p12", None, Some("key-store-file")),
        ("client.pfx", None, Some("key-store-file")),
        ("backup.dump", None, Some("database-dump")),
        ("local.sqlite", None, None),
        ("app.db", Some(""), None),
        ("app.db", Some("not sqlite"), Some("database-dump")),
        (
            "backup.sql",
            Some("INSERT INTO patients VALUES (1, 'x');"),
            None,
        ),
        (
            "backup.sql",
            Some(
                "INSERT INTO patients VALUES (1, 'x'),(2,'y'),(3,'z'),(4,'a'),(5,'b'),(6,'c'),(7,'d'),(8,'e'),(9,'f'),(10,'g');",
            ),
            Some("database-dump"),
        ),
        (
            "load.sql",
            Some("INSERT INTO t SELECT * FROM s; INSERT INTO u (a) SELECT 1;"),
            None,
        ),
        ("schema.sql", Some("CREATE TABLE patients (id int);"), None),
        ("unknown.sql", None, None),
        ("credentials.json", None, Some("credentials-file")),
        ("gcp/credentials.json", None, Some("credentials-file")),
        ("credentials.json.example", None, None),
        (".git-credentials", None, Some("credentials-file")),
        ("src/main.rs", None, None),
    ];
    for (path, content, expected) in cases {
        let found = classify(path, content.map(str::as_bytes)).map(|r| r.id);
        assert_eq!(found, *expected, "{path}");
    }
}

#[test]
fn env_sql_and_sqlite_need_content_and_other_names_do_not() {
    assert!(needs_content("db/dump.SQL"));
    assert!(needs_content(".env"));
    assert!(needs_content("app/.env.production"));
    assert!(needs_content("x.sqlite"));
    assert!(!needs_content(".env.example"));
    assert!(needs_content("key.pem"));
    assert!(!needs_content("key.pem.pub"));
}

#[test]
fn a_pem_file_of_certificates_or_public_keys_only_is_not_a_key_file() {
    let cert = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n";
    let public = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYI\n-----END PUBLIC KEY-----\n";
    let private =
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n";
    let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkq\n-----END ENCRYPTED PRIVATE KEY-----\n";
    let cases: &[(&str, &[u8], Option<&str>)] = &[
        ("src/test/resources/gds-test.pem", cert.as_bytes(), None),
        ("keys/jwt.pem", public.as_bytes(), None),
        (
            "chain.pem",
            format!("{cert}{cert}").as_bytes().to_vec().leak(),
            None,
        ),
        (
            "tls/server.pem",
            format!("{cert}{private}").as_bytes().to_vec().leak(),
            Some("key-file"),
        ),
        ("tls/server.key", private.as_bytes(), Some("key-file")),
        ("tls/server.key", encrypted.as_bytes(), Some("key-file")),
        // DER or anything else that is not PEM text: the name decides.
        (
            "tls/server.key",
            &[0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00],
            Some("key-file"),
        ),
        ("tls/empty.pem", b"", None),
    ];
    for (path, content, expected) in cases {
        assert_eq!(
            classify(path, Some(content)).map(|r| r.id),
            *expected,
            "{path}"
        );
    }
}

#[test]
fn sql_rows_count_toward_a_dump_only_where_they_may_hold_personal_data() {
    let rows =
        |n: usize, row: &dyn Fn(usize) -> String| (1..=n).map(row).collect::<Vec<_>>().join(",\n");
    let fees = format!(
        "INSERT INTO [Lookup].[RegistrationFees] ([Id], [Amount], [EffectiveFrom]) VALUES {};",
        rows(40, &|i| format!("({i}, 2921.0, '2024-09-01')"))
    );
    let nationalities = format!(
        "CREATE TABLE nationality (code text, description text);\nINSERT INTO nationality (code, description) VALUES {};",
        rows(200, &|i| format!("('N{i}', 'Nation {i}')"))
    );
    let users = format!(
        "INSERT INTO users (id, first_name, email) VALUES {};",
        rows(12, &|i| format!("({i}, 'Ann{i}', 'ann{i}@post.gov.uk')"))
    );
    let unknown_columns = format!(
        "INSERT INTO patients VALUES {};",
        rows(12, &|i| format!("({i}, 'x{i}')"))
    );
    let copy_people = format!(
        "COPY public.\"Consignment\" (\"ConsignmentId\", \"ContactEmail\") FROM stdin;\n{}\n\\.\n",
        (1..=12)
            .map(|i| format!("{i}\tperson{i}@post.gov.uk"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let copy_codes = format!(
        "COPY public.code (code, label) FROM stdin;\n{}\n\\.\n",
        (1..=12)
            .map(|i| format!("{i}\tlabel {i}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("Scripts/migrations.sql", &fees, None),
        (
            "db/migration/V107__add_nationality_codes.sql",
            &nationalities,
            None,
        ),
        ("backup.sql", &users, Some("database-dump")),
        ("backup.sql", &unknown_columns, Some("database-dump")),
        ("dump.sql", &copy_people, Some("database-dump")),
        ("dump.sql", &copy_codes, None),
    ];
    for (path, sql, expected) in cases {
        assert_eq!(
            classify(path, Some(sql.as_bytes())).map(|r| r.id),
            *expected,
            "{}",
            &sql[..60.min(sql.len())]
        );
    }
}
#[test]
fn seed_rows_cycling_a_few_invented_records_are_few_records_and_a_dump_of_people_is_many() {
    // Forty rows cycling four made-up addresses under counting ids (a seed script, as real ones are written,
    // one INSERT per row and `GO` between them).
    let streets = [
        "23', N'Ruby St",
        "78', N'Pine Ln",
        "45', N'Maple Ave",
        "12', N'Oak Rd",
    ];
    let seed: String = (1..=40)
            .map(|i| {
                format!(
                    "INSERT [dbo].[Address] ([Id], [AddressLine1], [AddressLine2], [PostCode], [GridReference]) \
                     VALUES ({i}, N'{}', N'E1 {}AA', N'SJ 854 66{i}')\nGO\n",
                    streets[i % 4],
                    i % 4
                )
            })
            .collect();
    assert_eq!(sql_rows(seed.as_bytes()), 4);
    // Rows that point at those addresses by number hold references, not addresses.
    let refs: String = (1..=100)
            .map(|i| {
                format!(
                    "INSERT [dbo].[Registration] ([Id], [OrganisationId], [BusinessAddressId], [LegalDocumentAddressId]) \
                     VALUES ({i}, {i}, {}, {})\nGO\n",
                    i % 4 + i,
                    i
                )
            })
            .collect();
    assert_eq!(sql_rows(refs.as_bytes()), 0);
    assert!(is_personal_column(b"[nhs_number]") && is_personal_column(b"nhsid"));
    assert!(is_personal_column(b"\"contactemail\"") && !is_personal_column(b"[businessaddressid]"));
    assert_eq!(
        classify("SeedData/SeedData.sql", Some(seed.as_bytes())),
        None
    );
    // The same table with a different person on every row is a dump.
    let people: String = (1..=40)
            .map(|i| {
                format!(
                    "INSERT [dbo].[Address] ([Id], [AddressLine1], [AddressLine2], [PostCode]) VALUES ({i}, N'{i}', \
                     N'{} Street', N'E{i} 1AA')\nGO\n",
                    ["Ash", "Birch", "Cedar", "Elm", "Fir"][i % 5]
                )
            })
            .collect();
    assert_eq!(sql_rows(people.as_bytes()), 40);
    assert_eq!(
        classify("SeedData/SeedData.sql", Some(people.as_bytes())).map(|r| r.id),
        Some("database-dump")
    );
}

#[test]
fn sql_rows_count_values_tuples_and_copy_lines_outside_quotes() {
    let cases: &[(&str, usize)] = &[
        ("INSERT INTO t VALUES (1,'a'),(2,'b');", 2),
        (
            "insert into t (a, email) values (1, '(x), (y);'), (2, 'z');",
            2,
        ),
        ("insert into t (a, b) values (1, 'x'), (2, 'z');", 0),
        ("INSERT INTO t SELECT a FROM s;", 0),
        ("INSERT INTO t (password) VALUES ((SELECT 1));", 1),
        (
            "COPY public.t (a, phone) FROM stdin;\n1\tx\n2\ty\n3\tz\n\\.\n",
            3,
        ),
        (
            "-- inserted values\nCREATE TABLE inserts (values_count int);",
            0,
        ),
    ];
    for (sql, rows) in cases {
        assert_eq!(sql_rows(sql.as_bytes()), *rows, "{sql}");
    }
}

// ---- what a dump or database holds, read from its own structure ----

fn pg_archive(entries: &[(&str, &str, Option<&str>)]) -> Vec<u8> {
    super::pgdump::tests::archive(14, entries)
}

#[test]
fn a_custom_format_pg_dump_is_a_dump_only_when_its_table_of_contents_lists_data_that_may_be_personal()
 {
    let header = [
        ("ENCODING", "ENCODING", None),
        ("STDSTRINGS", "STDSTRINGS", None),
        ("SEARCHPATH", "SEARCHPATH", None),
        ("DATABASE", "app", None),
    ];
    let with = |more: &[(&'static str, &'static str, Option<&'static str>)]| {
        let mut all = header.to_vec();
        all.extend_from_slice(more);
        pg_archive(&all)
    };
    let empty_database = with(&[]);
    let schema_only = with(&[("TABLE", "users", None), ("INDEX", "users_email", None)]);
    let codes = with(&[
        ("TABLE", "codes", None),
        (
            "TABLE DATA",
            "codes",
            Some("COPY public.codes (code, label) FROM stdin;\n"),
        ),
    ]);
    let people = with(&[
        ("TABLE", "users", None),
        (
            "TABLE DATA",
            "users",
            Some("COPY public.users (id, \"EmailAddress\", created) FROM stdin;\n"),
        ),
    ]);
    let no_columns = with(&[("TABLE DATA", "users", None)]);
    let large_objects = with(&[("BLOBS", "BLOBS", None)]);
    let cut = &people[..people.len() - 3];
    let cases: &[(&str, &[u8], Option<&str>)] = &[
        ("backup.dump", &empty_database, None),
        ("db/schema.dump", &schema_only, None),
        ("db/codes.dump", &codes, None),
        ("backup.dump", &people, Some("database-dump")),
        ("backup.dump", &no_columns, Some("database-dump")),
        ("backup.dump", &large_objects, Some("database-dump")),
        // A table of contents that cannot be followed to its end: the name decides.
        ("backup.dump", cut, Some("database-dump")),
        (
            "heap.dump",
            &[0x4a, 0x41, 0x56, 0x41, 0, 1, 2],
            Some("database-dump"),
        ),
    ];
    for (path, bytes, expected) in cases {
        assert_eq!(
            classify(path, Some(bytes)).map(|r| r.id),
            *expected,
            "{path}"
        );
    }
    assert!(needs_content("backup.dump"));
}

#[test]
fn a_plain_text_dump_file_is_judged_by_its_rows() {
    let rows: String = (1..=12)
        .map(|i| format!("{i}\tperson{i}@post.gov.uk\n"))
        .collect();
    let people = format!(
        "--\n-- PostgreSQL database dump\n--\nCOPY public.users (id, email) FROM stdin;\n{rows}\\.\n"
    );
    let schema =
        "--\n-- PostgreSQL database dump\n--\nCREATE TABLE public.users (id int, email text);\n";
    assert_eq!(
        classify("backup.dump", Some(people.as_bytes())).map(|r| r.id),
        Some("database-dump")
    );
    assert_eq!(classify("backup.dump", Some(schema.as_bytes())), None);
    // Text that is not SQL at all: the name decides.
    assert_eq!(
        classify("core.dump", Some(b"thread 1 at 0x0040\nthread 2\n")).map(|r| r.id),
        Some("database-dump")
    );
}

fn h2_store(tables: &[&str]) -> Vec<u8> {
    let mut out = b"H:2,block:6,blockSize:1000,chunk:3,format:2,version:3\n".to_vec();
    out.extend([0u8; 64]);
    for t in tables {
        out.extend(b"\x04\x10 \r");
        out.extend(t.as_bytes());
        out.extend(b"\x04\x11 %\r\0");
    }
    out
}

#[test]
fn an_h2_database_is_a_dump_only_when_a_table_is_named_for_personal_data() {
    let index = h2_store(&[
        "CREATE CACHED TABLE \"PUBLIC\".\"SBT_DIGEST\"(\n    \"MD5\" CHARACTER VARYING,\n    \"STATUS\" TINYINT NOT NULL\n)",
        "CREATE CACHED TABLE \"PUBLIC\".\"TOPLEVEL_SYMBOL\"(\n    \"SYMBOL\" CHARACTER VARYING NOT NULL,\n    \"PATH\" CHARACTER VARYING NOT NULL\n)",
    ]);
    let people = h2_store(&[
        "CREATE CACHED TABLE \"PUBLIC\".\"SBT_DIGEST\"(\"MD5\" CHARACTER VARYING)",
        "CREATE CACHED TABLE \"PUBLIC\".\"CUSTOMER\"(\"ID\" INT, \"EMAIL_ADDRESS\" VARCHAR(200))",
    ]);
    let unreadable = h2_store(&[]);
    let lock = b"#FileLock\n#Fri Jun 30 16:42:19 BST 2023\nhostName=localhost\nid=188b53dad9a\nmethod=file\nserver=localhost\\:63761\n";
    let cases: &[(&str, &[u8], Option<&str>)] = &[
        (".metals/metals.mv.db", &index, None),
        (".metals/metals.lock.db", lock, None),
        ("data/app.mv.db", &people, Some("database-dump")),
        ("data/app.mv.db", &unreadable, Some("database-dump")),
    ];
    for (path, bytes, expected) in cases {
        assert_eq!(
            classify(path, Some(bytes)).map(|r| r.id),
            *expected,
            "{path}"
        );
    }
}

#[test]
fn rows_whose_personal_values_are_at_reserved_domains_or_empty_are_no_one_s_records() {
    let copy = |address: &dyn Fn(usize) -> String| {
        let rows: String = (1..=12)
            .map(|i| format!("{i}\tPerson {i}\t{}\n", address(i)))
            .collect();
        format!(
            "COPY public.consignment (id, contact_name, contact_email) FROM stdin;\n{rows}\\.\n"
        )
    };
    let invented = copy(&|i| format!("user{i}@example.com"));
    let empty = copy(&|_| "\\N".to_owned());
    let real = copy(&|i| format!("user{i}@mail.gov.uk"));
    assert_eq!(sql_rows(invented.as_bytes()), 0);
    assert_eq!(sql_rows(empty.as_bytes()), 0);
    assert_eq!(sql_rows(real.as_bytes()), 12);
    assert_eq!(classify("dev-data.sql", Some(invented.as_bytes())), None);
    assert_eq!(
        classify("dev-data.sql", Some(real.as_bytes())).map(|r| r.id),
        Some("database-dump")
    );
    // A personal column beside a reserved address still makes the record someone's.
    let names = format!(
        "INSERT INTO users (first_name, email) VALUES {};",
        (1..=12)
            .map(|i| format!("('Name{i}', 'x@example.com')"))
            .collect::<Vec<_>>()
            .join(",")
    );
    assert_eq!(sql_rows(names.as_bytes()), 12);
}

mod environment_files {
    use proptest::prelude::*;

    use super::super::env_has_credential;

    /// Paths of environment files, in and out of tests, of declared runs and not.
    fn env_path() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(".env".to_owned()),
            Just(".env.test".to_owned()),
            Just("api/.env.development".to_owned()),
            Just("tests/.env".to_owned()),
            Just("spec/fixtures/.env.local".to_owned()),
        ]
    }

    /// Lines that make a file look like a local, test or development run.
    fn surroundings() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec(
            prop_oneof![Just("# local development only".to_owned()), run_lines(),],
            0..6,
        )
    }

    /// [`surroundings`] but the authors' own comment that a value is for local use, which the line scan
    /// trusts for a value that names no service (`context::local_config`).
    fn run_surroundings() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec(run_lines(), 0..6)
    }

    fn run_lines() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("RAILS_ENV=test".to_owned()),
            Just("APP_ENV=development".to_owned()),
            Just("FLASK_DEBUG=True".to_owned()),
            Just("DB_HOST=localhost".to_owned()),
            Just("REDIS_URL=memory://".to_owned()),
            Just(
                "SECRET_KEY_BASE=9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa99887766554433221100"
                    .to_owned()
            ),
            "[A-Z_]{1,12}=[a-z0-9]{0,12}",
        ]
    }

    /// Random strings of `len` from `chars` with at least `distinct` different characters (a real key's
    /// randomness, not a run of one letter).
    fn random(chars: &'static str, len: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(chars.chars().collect::<Vec<_>>()), len)
            .prop_map(|c| c.into_iter().collect::<String>())
            .prop_filter("random enough", move |s| {
                s.chars().collect::<std::collections::HashSet<_>>().len() >= len.min(20) / 2
                    && s.chars().any(|c| c.is_ascii_digit())
            })
    }

    const BASE64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// An AWS key pair, a GitHub token or a private key keeps an environment file a finding, whatever the
        /// file says of its run and wherever it is.
        #[test]
        fn a_vendor_shaped_credential_or_a_private_key_keeps_any_environment_file_a_finding(
            path in env_path(),
            before in surroundings(),
            after in surroundings(),
            which in 0..3usize,
            aws_id in random("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
            aws_secret in random(BASE64, 40),
            github in random(ALNUM, 36),
            pem_body in random(BASE64, 64),
        ) {
            let credential = match which {
                0 => format!("AWS_ACCESS_KEY_ID=AKIA{aws_id}\nAWS_SECRET_ACCESS_KEY={aws_secret}"),
                1 => format!("GITHUB_TOKEN=ghp_{github}"),
                _ => format!(
                    "JWT_SIGNING_KEY=\"-----BEGIN RSA {label}-----\n{pem_body}\n{pem_body}\n-----END RSA {label}-----\"",
                    label = "PRIVATE KEY"
                ),
            };
            let text = format!("{}\n{credential}\n{}\n", before.join("\n"), after.join("\n"));
            prop_assert!(env_has_credential(&path, text.as_bytes()), "{path}:\n{text}");
        }

        /// A random secret under the name of a credential for another system keeps the file a finding when the
        /// file also names a remote host, whatever else it says.
        #[test]
        fn a_credential_for_another_system_beside_a_remote_host_keeps_any_environment_file_a_finding(
            path in env_path(),
            before in run_surroundings(),
            name in prop_oneof![Just("PAYMENTS_API_KEY"), Just("CRM_CLIENT_SECRET"), Just("NOTIFY_TOKEN")],
            secret in random(ALNUM, 40),
        ) {
            let text = format!(
                "{}\n{name}={secret}\nCRM_URL=https://crm.service.gov.uk/api\n",
                before.join("\n")
            );
            prop_assert!(env_has_credential(&path, text.as_bytes()), "{path}:\n{text}");
        }
    }
}

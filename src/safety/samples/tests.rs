use super::*;
use proptest::prelude::*;

#[test]
fn placeholders_are_runs_and_random_keys_are_not() {
    for p in [
        "1234567890abcdef",
        "abcdef0123456789abcd",
        "xxxxxxxxxxxx1",
        "aaaaBBBBcccc1234",
        "9876543210zyxw",
    ] {
        assert!(is_placeholder(p.as_bytes()), "{p}");
    }
    for s in [
        "q8Xv2Lm9TzR4kW7pN3bY6hJ1",
        "AKIAQ7ZP3XKW2M5RT4VN",
        "ghp_R7kQ2mX9vL4pW8nB3tY6cJ1fH5sD0aZ2eUqT",
        "abc",
    ] {
        assert!(!is_placeholder(s.as_bytes()), "{s}");
    }
}

#[test]
fn identifiers_are_words_and_short_numbers() {
    for v in [
        "series_2019_total",
        "YOUR_ACCESS_TOKEN_2",
        "govuk-grid-column-2",
        "TOKEN_FROM_PORTAL_1",
        "Patient.Name.v2",
    ] {
        assert!(is_identifier(v.as_bytes()), "{v}");
    }
    for v in [
        "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "q8Xv2Lm9TzR4kW7pN3bY6hJ1",
        "Y0x9-F5210.XaBq7z",
        "prod_db_password_20231",
        "kWpNbYh-dFsGcVnQ",
    ] {
        assert!(!is_identifier(v.as_bytes()), "{v}");
    }
}

#[test]
fn a_keyword_counts_only_where_it_ends_a_word() {
    let keys: Vec<String> = ["secret", "key", "token", "auth", "api", "password"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for name in [
        "client_secret = \"",
        "apiKey: ",
        "CLIENT_SECRETS=",
        "clientsecret:",
        "Authorization: ",
        "authToken=",
        "x-api-key: ",
    ] {
        assert!(keyword_is_a_word(name.as_bytes(), &keys), "{name}");
    }
    for name in [
        "Secretory otitis media: ",
        "keyboard_layout = \"",
        "SECRETARY=",
        "tokenizer: ",
        "authority=",
    ] {
        assert!(!keyword_is_a_word(name.as_bytes(), &keys), "{name}");
    }
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[test]
fn jwts_are_judged_by_what_they_decode_to() {
    let jwt_io = concat!(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
        ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
        ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    );
    assert_eq!(jwt(jwt_io.as_bytes(), 0), Jwt::PublicSample);
    let h = b64url(br#"{"alg":"HS256","typ":"JWT"}"#);
    let p = b64url(br#"{"sub":"1","exp":1600000000}"#);
    let real_sig = b64url(&hmac::<sha2::Sha256>(
        64,
        b"a key nobody published",
        format!("{h}.{p}").as_bytes(),
    ));
    let real = format!("{h}.{p}.{real_sig}");
    assert_eq!(
        jwt(real.as_bytes(), 1_700_000_000),
        Jwt::Signed {
            expired: Some("2020-09-13".into())
        }
    );
    assert_eq!(
        jwt(real.as_bytes(), 1_500_000_000),
        Jwt::Signed { expired: None }
    );
    let none = format!("{}.{p}.", b64url(br#"{"alg":"none"}"#));
    assert_eq!(jwt(none.as_bytes(), 0), Jwt::Unsigned);
    assert_eq!(jwt(format!("{h}.{p}").as_bytes(), 0), Jwt::Unsigned);
    assert_eq!(jwt(b"eyJnotjson.eyJx.abc", 0), Jwt::NotAToken);
    // An unsigned token that carries a real signed one in its claims is the signed one (seen on a real
    // repository: a Cypress test user's outer token wrapping a captured identity provider's id token).
    let wrapper = b64url(format!(r#"{{"sub":"test","claims":{{"idToken":"{real}"}}}}"#).as_bytes());
    let wrapped = format!("{}.{wrapper}.", b64url(br#"{"alg":"none"}"#));
    assert_eq!(
        jwt(wrapped.as_bytes(), 1_700_000_000),
        Jwt::Signed {
            expired: Some("2020-09-13".into())
        }
    );
    let harmless = b64url(br#"{"sub":"test","idToken":"banana"}"#);
    let outer = format!("{}.{harmless}.", b64url(br#"{"alg":"none"}"#));
    assert_eq!(jwt(outer.as_bytes(), 0), Jwt::Unsigned);
}

#[test]
fn hmac_matches_rfc_4231_case_2() {
    assert_eq!(
        hex::encode(hmac::<sha2::Sha256>(
            64,
            b"Jefe",
            b"what do ya want for nothing?"
        )),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn runs_along_the_keyboard_and_values_made_only_of_short_runs_are_placeholders() {
    // Seen on real repositories: test configuration keys typed as keyboard rows and counting digits, and
    // a documentation comment's `abc123xyz456`.
    for p in [
        "test-123456-qwerty",
        "qwerty-123456",
        "abc123xyz456",
        "asdfghjkl1234",
    ] {
        assert!(is_placeholder(p.as_bytes()), "{p}");
    }
    for s in [
        "3wOx0VLG6xnbyDNjfGP4",
        "qwe8Xv2Lm9TzR4kW7pN3",
        "a7b2k9d4x5f1",
    ] {
        assert!(!is_placeholder(s.as_bytes()), "{s}");
    }
}

#[test]
fn camel_case_names_and_names_with_a_counting_number_are_identifiers() {
    for v in [
        "validSecretKey1",
        "application.secret256Bit",
        "this_is_a_very_long_secret_key_123456",
        "gw-test-1234567",
    ] {
        assert!(is_identifier(v.as_bytes()), "{v}");
    }
    for v in [
        "3wOx0VLG6xnbyDNjfGP4",
        "kWpNbYh-dFsGcVnQ",
        "prod_db_password_20231",
        "secret_key_839217",
        "HmSDiwq7LmNpQ2",
    ] {
        assert!(!is_identifier(v.as_bytes()), "{v}");
    }
}

fn b64std(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn an_encoded_value_is_judged_by_what_it_decodes_to() {
    let mut salted = b"Salted__".to_vec();
    salted.extend([
        0x91, 0x17, 0xfe, 0x02, 0x33, 0x8a, 0x10, 0xc4, 0x5d, 0xee, 0x01, 0x7f,
    ]);
    for text in [
        b"mock-private-key".to_vec(),
        b"some_api_secret_key_for_environment".to_vec(),
        b"12345678901234567890123456789012".to_vec(),
        b"different key".to_vec(),
        salted,
    ] {
        let encoded = b64std(&text);
        assert!(encodes_harmless_text(encoded.as_bytes()), "{encoded}");
    }
    for text in [
        b"admin:Tr0ub4dor&3".to_vec(),
        vec![
            0x8f, 0x11, 0xa0, 0x5c, 0xd2, 0x07, 0x9e, 0x41, 0xbb, 0x3c, 0x62, 0xf0, 0x19, 0x85,
            0x2d, 0xe7,
        ],
        b"q8Xv2Lm9TzR4kW7pN3bY6hJ1".to_vec(),
    ] {
        let encoded = b64std(&text);
        assert!(!encodes_harmless_text(encoded.as_bytes()), "{encoded}");
    }
    assert!(!encodes_harmless_text(b"q8Xv2Lm9TzR4kW7pN3bY6hJ1"));
}

#[test]
fn a_name_that_says_identifier_or_digest_is_not_a_credential() {
    let uuid = b"3671c717-2a0c-4655-92d3-348c7c7b04fb".as_slice();
    let sha1 = b"1af17e73721dbe0c40011b82ed4bb1a7dbe3ce29".as_slice();
    for (prefix, value) in [
        (b"?chargeTokenId=".as_slice(), uuid),
        (b"CHARGE_TOKEN_ID = \"".as_slice(), uuid),
        (b"ENV EPB_AUTH_CLIENT_ID=".as_slice(), uuid),
        (
            b"token_api_sg_id      = \"".as_slice(),
            b"sg-0ede9ba9bc55868b6".as_slice(),
        ),
        (b"\"hashed_secret\": \"".as_slice(), sha1),
        (
            b"hashed_token: \"".as_slice(),
            b"f4a1c3d2e5b6a7980112233445566778899aabbccddeeff00112233445566778".as_slice(),
        ),
    ] {
        assert!(
            name_says_not_a_secret(prefix, value),
            "{}",
            String::from_utf8_lossy(prefix)
        );
    }
    for (prefix, value) in [
        (b"X-API-Key: ".as_slice(), uuid),
        (b"client_secret = \"".as_slice(), sha1),
        (b"api_key_id_secret = \"".as_slice(), uuid),
        (
            b"password_hash = \"".as_slice(),
            b"q8Xv2Lm9TzR4kW7pN3bY6hJ1".as_slice(),
        ),
        (b"idToken: \"".as_slice(), uuid),
    ] {
        assert!(
            !name_says_not_a_secret(prefix, value),
            "{}",
            String::from_utf8_lossy(prefix)
        );
    }
}

#[test]
fn values_a_vendor_snippet_serves_to_every_visitor_are_recognised_by_their_place() {
    let key = "3f5e2a1c-9b7d-4e6f-8a2b-1c0d9e8f7a6b";
    let at = |text: &str, value: &str| {
        let start = text.find(value).expect("value in text");
        served_to_every_visitor(text.as_bytes(), start, start + value.len())
    };
    let zendesk = format!(
        "<script id=\"ze-snippet\" src=\"https://static.zdassets.com/ekr/snippet.js?key={key}\"></script>"
    );
    assert!(at(&zendesk, key));
    // The same value as a parameter of another host, or under another name, is not.
    assert!(!at(
        &format!("https://api.zendesk.example.gov.uk/v2?key={key}"),
        key
    ));
    assert!(!at(
        &format!("https://static.zdassets.com/ekr/snippet.js?token={key}"),
        key
    ));
    let gift =
        format!("https://www.ft.com/content/abc?accessToken=zwA&amp;sharetype=gift?token={key}");
    assert!(at(&gift, key));
    assert!(
        !at(&format!("https://www.ft.com/content/abc?token={key}"), key),
        "not a gift link"
    );
    let auth = "8jHx-VNEguw67iX9TBC6_g";
    let gtm = format!("{{\n  id: 'GTM-P93SHJ4Z',\n  auth: '{auth}',\n  preview: 'env-50'\n}}");
    assert!(at(&gtm, auth));
    assert!(at(
        &format!(
            "https://www.googletagmanager.com/gtm.js?id=GTM-ABCD&gtm_auth={auth}&gtm_preview=env-2"
        ),
        auth
    ));
    assert!(
        !at(
            &format!("{{\n  auth: '{auth}',\n  preview: 'env-50'\n}}"),
            auth
        ),
        "no container"
    );
    assert!(!at(
        &format!("{{\n  id: 'GTM-P93SHJ4Z',\n  secret: '{auth}',\n  preview: 'env-50'\n}}"),
        auth
    ));
}

#[test]
fn values_their_vendor_publishes_for_anyone_are_not_secrets() {
    let mapbox_public = format!(
        "pk.{}.{}",
        b64url(br#"{"u":"someone","a":"ckabc123def456"}"#),
        "uzO8I54w64U6QkNknW32FA"
    );
    assert!(is_published(mapbox_public.as_bytes()));
    assert!(!is_published(
        mapbox_public.replacen("pk.", "sk.", 1).as_bytes()
    ));
    assert!(is_published(b"pk_test_51HqLyjWDarjtT1zdp7dcXf"));
    assert!(!is_published(b"sk_test_51HqLyjWDarjtT1zdp7dcXf"));
    // Azurite's well-known development storage key, as Microsoft's documentation prints it.
    let azurite = concat!(
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq",
        "/K1SZFPTOtr/KBHBeksoGMGw=="
    );
    assert!(is_published(azurite.as_bytes()));
    assert!(is_published(b"gvBoGdgzqG1AarzF1LY0zQ=="));
    assert!(!is_published(&azurite.as_bytes()[1..]));
}

#[test]
fn a_value_for_development_or_test_is_a_default_when_production_reads_the_environment() {
    let rails = "# comment\ndevelopment:\n  secret_key_base: 352f0a9c\n\ntest:\n  secret_key_base: a5cf77b1\n\nproduction:\n  secret_key_base: <%= ENV[\"SECRET_KEY_BASE\"] %>\n";
    let at = |needle: &str, text: &str| text.find(needle).unwrap();
    assert!(non_production_default(
        rails.as_bytes(),
        at("  secret_key_base: 352f", rails)
    ));
    assert!(non_production_default(
        rails.as_bytes(),
        at("  secret_key_base: a5cf", rails)
    ));
    let literal = rails.replace("<%= ENV[\"SECRET_KEY_BASE\"] %>", "9f8e7d6c5b4a");
    assert!(!non_production_default(
        literal.as_bytes(),
        at("  secret_key_base: 352f", &literal)
    ));
    // The file's first version had no production section at all: it holds no production value.
    let no_production = &rails[..rails.find("production:").unwrap()];
    assert!(non_production_default(
        no_production.as_bytes(),
        at("  secret_key_base: 352f", no_production)
    ));
    let staging = rails.replace("development:", "staging:");
    assert!(!non_production_default(
        staging.as_bytes(),
        at("  secret_key_base: 352f", &staging)
    ));
    let other_key = rails.replace("  secret_key_base: 352f", "  api_key: 352f");
    assert!(!non_production_default(
        other_key.as_bytes(),
        at("  api_key: 352f", &other_key)
    ));
}
proptest! {
    /// A random key of 20+ characters from a 62-letter alphabet is never taken for a placeholder.
    #[test]
    fn random_alphanumeric_keys_are_not_placeholders(key in "[A-Za-z0-9]{20,64}") {
        // Runs of 4+ in a random string are rare; half the string in them is what it would take.
        prop_assert!(!is_placeholder(key.as_bytes()));
    }

    /// Nor is a random key of 20+ characters taken for a placeholder or a name, nor does a random
    /// base64 value decode to harmless text. (At 12 characters a random draw is, rarely, shaped like
    /// words and numbers, `Aaaa00Aaa000`, and read as a name: a clean-clone CI run drew one. That is
    /// the documented limit of `is_identifier`, not what this property is about.)
    #[test]
    fn random_keys_are_neither_placeholders_names_nor_encoded_text(key in "[A-Za-z0-9]{20,64}") {
        prop_assert!(!is_placeholder(key.as_bytes()));
        prop_assert!(!is_identifier(key.as_bytes()));
        prop_assert!(!encodes_harmless_text(key.as_bytes()));
    }

    /// Random bytes, base64-encoded as a key is, never decode to harmless text.
    #[test]
    fn encoded_random_bytes_are_not_harmless_text(bytes in proptest::collection::vec(any::<u8>(), 12..48)) {
        prop_assert!(!encodes_harmless_text(b64std(&bytes).as_bytes()));
    }
}

/// An HS256 token over a small payload, signed with `key`.
fn hs256(key: &[u8], payload: &str) -> String {
    let h = b64url(br#"{"alg":"HS256","typ":"JWT"}"#);
    let p = b64url(payload.as_bytes());
    let sig = b64url(&hmac::<sha2::Sha256>(
        64,
        key,
        format!("{h}.{p}").as_bytes(),
    ));
    format!("{h}.{p}.{sig}")
}

#[test]
fn a_token_is_signed_with_a_key_in_the_file_only_when_its_hmac_verifies_under_a_quoted_string() {
    let token = hs256(b"secret", r#"{"iss":"app","iat":946684800}"#);
    let beside = format!("key := \"secret\"\nwant := \"Bearer {token}\"\n");
    assert!(signed_with_key_in(token.as_bytes(), beside.as_bytes()));
    // The signing secret is the tail of a key that joins a name, an id and the secret (GOV.UK Notify's shape).
    let tail = "740e5834-3a29-46b4-9a6f-16142fde533a";
    let notify = hs256(tail.as_bytes(), r#"{"iss":"f33517ff","iat":1577934245}"#);
    let api_key =
        format!("New(\"my_client-f33517ff-2a88-4f6e-b855-c550268ce08a-{tail}\")\n\"{notify}\"\n");
    assert!(signed_with_key_in(notify.as_bytes(), api_key.as_bytes()));
    // Not when the key is absent, only unquoted, or another one; nor for an RSA token.
    assert!(!signed_with_key_in(
        token.as_bytes(),
        format!("\"{token}\"").as_bytes()
    ));
    assert!(!signed_with_key_in(
        token.as_bytes(),
        format!("key = secret\n\"{token}\"").as_bytes()
    ));
    assert!(!signed_with_key_in(
        token.as_bytes(),
        format!("\"secreT\" \"{token}\"").as_bytes()
    ));
    let rs = token.replacen(
        &b64url(br#"{"alg":"HS256","typ":"JWT"}"#),
        &b64url(br#"{"alg":"RS256"}"#),
        1,
    );
    assert!(!signed_with_key_in(
        rs.as_bytes(),
        format!("\"secret\" \"{rs}\"").as_bytes()
    ));
}

proptest! {
    /// A token signed with a random key is never taken as signed with a key in a file that does not hold that
    /// key, whatever other quoted strings (the token itself, near-misses of the key) the file holds.
    #[test]
    fn a_token_signed_with_a_key_the_file_lacks_is_never_taken_for_a_fixture(
        key in "[A-Za-z0-9]{16,48}",
        others in proptest::collection::vec("[A-Za-z0-9_-]{1,40}", 0..20),
    ) {
        let token = hs256(key.as_bytes(), r#"{"sub":"1"}"#);
        let mut text = format!("auth = \"Bearer {token}\"\n");
        for other in others.iter().filter(|o| !o.contains(key.as_str())) {
            text.push_str(&format!("x = \"{other}\"\n"));
        }
        text.push_str(&format!("near = \"{}\"\n", &key[1..]));
        prop_assert!(!signed_with_key_in(token.as_bytes(), text.as_bytes()));
    }
}

// ---- A private key's BEGIN line needs a body ----

use crate::safety::keys::tests::fixtures as key_fixtures;

/// The private-key findings of the gitleaks rules in `text`, as the matched text.
fn private_key_matches(text: &str) -> Vec<String> {
    let rules = crate::safety::RuleSet::gitleaks().expect("rules");
    rules
        .find("config/credentials.csv", "", text.as_bytes())
        .iter()
        .filter(|m| rules.rules()[m.rule].id == "private-key")
        .map(|m| text[m.start..m.end].to_owned())
        .collect()
}

fn begin(label: &str) -> String {
    format!("-----BEGIN {label}-----")
}

fn end(label: &str) -> String {
    format!("-----END {label}-----")
}

#[test]
fn a_begin_line_with_no_body_under_it_is_no_key() {
    let rsa = "RSA PRIVATE KEY";
    let filler: String = (0..6)
        .map(|i| format!("setting_{i},\"REDACTED\"\n"))
        .collect();
    let later_marker = format!("other_key,\"{}\"\n", end(rsa));
    for text in [
        // A credentials file whose value was cut to its first line; the next key marker is far below.
        format!(
            "backup_key_private,\"{}\"\n{filler}{later_marker}",
            begin(rsa)
        ),
        // Words, a password, a template variable, an ellipsis where the body would be.
        format!(
            "server_key: |\n  {}\n  this\n  is\n  a\n  fake\n  key\n  across\n  many\n  lines\n\n{filler}{later_marker}",
            begin(rsa)
        ),
        format!(
            "server_key: |\n  {}\n  hunter2\n  {}\n{filler}{later_marker}",
            begin(rsa),
            end(rsa)
        ),
        format!(
            "key: \"{}\\n{{{{ tls_key_body }}}}\\n{}\"\n{filler}{later_marker}",
            begin("PRIVATE KEY"),
            end("PRIVATE KEY")
        ),
        format!(
            "key: |\n  {}\n  ...\n  {}\n{filler}{later_marker}",
            begin("EC PRIVATE KEY"),
            end("EC PRIVATE KEY")
        ),
    ] {
        assert_eq!(private_key_matches(&text), Vec::<String>::new(), "{text}");
    }
}

#[test]
fn a_real_key_swallowed_by_a_bodiless_begin_line_is_still_found_from_its_own() {
    let body = key_fixtures::RSA_PKCS1
        .split_whitespace()
        .collect::<String>();
    let key = key_fixtures::pem("RSA PRIVATE KEY", &body);
    // The cleansed line comes first; its match runs on to the real key's BEGIN line.
    let text = format!(
        "cleansed_key,\"{}\"\nhttp_password,\"nottobes\"\nhttp_username,\"someone\"\nreal_key,\"{key}\"\n",
        begin("RSA PRIVATE KEY")
    );
    let found = private_key_matches(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains(&body[..64]), "{found:?}");
    assert!(found[0].starts_with(&begin("RSA PRIVATE KEY")));
}

#[test]
fn keys_with_a_body_in_any_layout_and_encrypted_keys_are_found() {
    let pkcs1 = key_fixtures::RSA_PKCS1
        .split_whitespace()
        .collect::<String>();
    let sec1 = key_fixtures::EC_SEC1.split_whitespace().collect::<String>();
    let rsa = "RSA PRIVATE KEY";
    let lines: Vec<&str> = pkcs1
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).expect("ascii"))
        .collect();
    let encrypted = format!(
        "{}\nProc-Type: 4,ENCRYPTED\nDEK-Info: DES-EDE3-CBC,8E3F6B2A1C0D9E7F\n\n{}\n{}\n",
        begin(rsa),
        lines.join("\n"),
        end(rsa)
    );
    let cases = [
        key_fixtures::pem(rsa, &pkcs1),
        key_fixtures::pem("EC PRIVATE KEY", &sec1),
        // As one JSON string with `\n` escapes, on one line with spaces, and as concatenated code strings.
        format!(
            "{{\"key\": \"{}\\n{}\\n{}\\n\"}}\n",
            begin(rsa),
            lines.join("\\n"),
            end(rsa)
        ),
        format!("KEY=\"{} {} {}\"\n", begin(rsa), lines.join(" "), end(rsa)),
        format!(
            "key = \"{}\\n\" +\n{}\n  \"{}\";\n",
            begin(rsa),
            lines
                .iter()
                .map(|l| format!("  \"{l}\\n\" +"))
                .collect::<Vec<_>>()
                .join("\n"),
            end(rsa)
        ),
        // Encrypted: a key whatever its body.
        encrypted.clone(),
        // A body shorter than a line, that decodes to DER: still a key.
        format!(
            "{}\n{}\n# the rest was cut, ask for it in person\n{}\n",
            begin(rsa),
            &pkcs1[..12],
            end(rsa)
        ),
    ];
    for text in cases {
        assert_eq!(private_key_matches(&text).len(), 1, "{text}");
    }
    assert_eq!(bodiless_header(encrypted.as_bytes()), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A real key stays a finding whatever bodiless BEGIN lines, words and other settings come before or after it.
    #[test]
    fn a_private_key_with_a_body_is_found_whatever_surrounds_it(
        before in proptest::collection::vec(prop_oneof![
            Just(begin("RSA PRIVATE KEY")),
            Just("hunter2".to_owned()),
            Just("{{ key }}".to_owned()),
            Just("password,\"REDACTED\"".to_owned()),
            "[a-z_ ]{0,40}",
        ], 0..6),
        after in proptest::collection::vec(prop_oneof![
            Just(end("RSA PRIVATE KEY")),
            Just(begin("PRIVATE KEY")),
            "[a-z_ ]{0,40}",
        ], 0..6),
        which in 0usize..3,
    ) {
        let (label, body) = [
            ("RSA PRIVATE KEY", key_fixtures::RSA_PKCS1),
            ("PRIVATE KEY", key_fixtures::RSA_PKCS8),
            ("EC PRIVATE KEY", key_fixtures::EC_SEC1),
        ][which];
        let body: String = body.split_whitespace().collect();
        let key = key_fixtures::pem(label, &body);
        let text = format!("{}\n{key}{}\n", before.join("\n"), after.join("\n"));
        let found = private_key_matches(&text);
        prop_assert!(found.iter().any(|m| m.contains(&body[..64])), "{}", text);
    }
}

#[test]
fn requirements_pins_with_hashes_are_not_matched_and_conda_pins_are_versions() {
    let rules = crate::safety::RuleSet::gitleaks().expect("rules");
    let hash = hex::encode(sha2::Sha256::digest(b"a wheel"));
    let requirements = format!(
        "django-rest-auth==0.9.5 \\\n    --hash=sha256:{hash}\noauthlib==3.2.2 --hash=sha256:{hash}\ngoogle-auth-oauthlib==1.0.0\n"
    );
    assert!(
        rules
            .find("requirements.txt", "", requirements.as_bytes())
            .is_empty()
    );
    let environment = "name: env\ndependencies:\n  - asttokens=2.0.5=pyhd3eb1b0_0\n  - keyring=23.4.0=py39haa95532_0\n";
    assert!(
        rules
            .find("environment.yml", "", environment.as_bytes())
            .is_empty()
    );
    // Without the `dependencies:` list, or with more on the line, the same shape is judged as it stands.
    let line = "asttokens=2.0.5=pyhd3eb1b0_0";
    let start = environment.find(line).expect("line") + "asttokens=".len();
    assert!(is_conda_pin(
        environment.as_bytes(),
        start..start + "2.0.5=pyhd3eb1b0_0".len()
    ));
    let bare = format!("{line}\n");
    assert!(!is_conda_pin(bare.as_bytes(), 10..bare.len() - 1));
    let more = format!("dependencies:\n  - {line} extra\n");
    let at = more.find("2.0.5").expect("value");
    assert!(!is_conda_pin(more.as_bytes(), at..at + 18));
}

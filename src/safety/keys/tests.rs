use proptest::prelude::*;

use super::*;

#[path = "../../../tests/it/key_fixtures.rs"]
#[allow(dead_code, unreachable_pub)]
pub(crate) mod fixtures;

use fixtures::*;

/// A PEM block of `label` around a body of base64 lines.
fn pem(label: &str, body: &str) -> String {
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).expect("ascii"))
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

fn cert(body: &str) -> Certificate {
    let found = certificates(pem("CERTIFICATE", body).as_bytes());
    assert_eq!(found.len(), 1);
    found.into_iter().next().expect("one")
}

fn key(label: &str, body: &str) -> PublicKey {
    let keys = private_keys(pem(label, body).as_bytes()).expect("a key this reader follows");
    assert_eq!(keys.len(), 1);
    keys.into_iter().next().expect("one")
}

#[test]
fn the_public_half_of_a_key_is_read_alike_from_the_key_in_every_encoding_and_from_its_certificate()
{
    let rsa = key("PRIVATE KEY", RSA_PKCS8);
    assert_eq!(rsa, key("RSA PRIVATE KEY", RSA_PKCS1));
    assert!(matches!(&rsa, PublicKey::Rsa { n, e } if n.len() == 128 && e == &[1, 0, 1]));
    assert_eq!(cert(RSA_LOCAL_CERT).key, rsa);
    assert_eq!(cert(RSA_PUBLIC_NAME_CERT).key, rsa);
    assert_eq!(cert(RSA_CA_ISSUED_CERT).key, rsa);
    let ec = key("EC PRIVATE KEY", EC_SEC1);
    assert_eq!(ec, key("PRIVATE KEY", EC_PKCS8));
    assert_eq!(cert(EC_ONE_LABEL_CERT).key, ec);
    assert_ne!(key("PRIVATE KEY", OTHER_RSA), rsa);
}

#[test]
fn a_certificate_says_who_signed_it_and_the_names_it_is_for() {
    let local = cert(RSA_LOCAL_CERT);
    assert!(local.self_signed);
    assert_eq!(local.names, ["localhost", "localhost", "127.0.0.1"]);
    assert_eq!(cert(RSA_PUBLIC_NAME_CERT).names[0], "api.service.gov.uk");
    assert!(!cert(RSA_CA_ISSUED_CERT).self_signed);
    assert_eq!(cert(EC_ONE_LABEL_CERT).names, ["https-proxy"]);
}

#[test]
fn only_a_key_with_its_own_self_signed_certificate_for_local_names_is_a_throwaway() {
    let at = |c: &str| vec![("proxy/cert.pem".to_owned(), cert(c))];
    let rsa = key("PRIVATE KEY", RSA_PKCS8);
    let ec = key("EC PRIVATE KEY", EC_SEC1);
    let other = key("PRIVATE KEY", OTHER_RSA);
    assert!(judge(std::slice::from_ref(&rsa), &at(RSA_LOCAL_CERT)).is_some());
    assert!(judge(std::slice::from_ref(&ec), &at(EC_ONE_LABEL_CERT)).is_some());
    // Another key's certificate, a public name, a certificate some authority issued, none at all.
    assert_eq!(
        judge(std::slice::from_ref(&other), &at(RSA_LOCAL_CERT)),
        None
    );
    assert_eq!(
        judge(std::slice::from_ref(&rsa), &at(RSA_PUBLIC_NAME_CERT)),
        None
    );
    assert_eq!(
        judge(std::slice::from_ref(&rsa), &at(RSA_CA_ISSUED_CERT)),
        None
    );
    assert_eq!(judge(std::slice::from_ref(&rsa), &[]), None);
    // Two keys, one of them not a throwaway.
    let both = [at(RSA_LOCAL_CERT), at(EC_ONE_LABEL_CERT)].concat();
    assert!(judge(&[rsa.clone(), ec], &both).is_some());
    assert_eq!(judge(&[rsa, other], &both), None);
}

#[test]
fn a_key_whose_own_certificate_names_only_a_zone_s_loopback_name_is_a_throwaway_whoever_issued_it()
{
    let at = |c: &str| vec![(".localstack/server.test.pem".to_owned(), cert(c))];
    let rsa = key("PRIVATE KEY", RSA_PKCS8);
    let reason = judge(std::slice::from_ref(&rsa), &at(RSA_LOOPBACK_ZONE_CERT));
    assert!(
        reason.as_deref().is_some_and(|r| r.contains("loopback")),
        "{reason:?}"
    );
    // A name of the zone itself beside it; `localhost` as a registered domain; another key's certificate.
    for other in [RSA_LOOPBACK_AND_PUBLIC_CERT, RSA_LOCALHOST_DOMAIN_CERT] {
        assert_eq!(judge(std::slice::from_ref(&rsa), &at(other)), None);
    }
    let other = key("PRIVATE KEY", OTHER_RSA);
    assert_eq!(judge(&[other], &at(RSA_LOOPBACK_ZONE_CERT)), None);
    for name in [
        "localhost.localstack.cloud",
        "*.localhost.localstack.cloud",
        "*.s3.localhost.localstack.cloud",
        "LOCALHOST.Dev.Example.Org.",
    ] {
        assert!(is_zone_loopback_name(name), "{name}");
    }
    for name in [
        "localhost",
        "localhost.direct",
        "*.localhost.direct",
        "localhost.com",
        "mylocalhost.example.cloud",
        "localhost-dev.example.cloud",
        "api.localstack.cloud",
        "?81",
        "localhost..cloud",
    ] {
        assert!(!is_zone_loopback_name(name), "{name}");
    }
}

#[test]
fn keys_this_reader_cannot_follow_are_never_throwaways() {
    for (label, body) in [
        ("ENCRYPTED PRIVATE KEY", RSA_PKCS8),
        ("OPENSSH PRIVATE KEY", RSA_PKCS8),
        ("DSA PRIVATE KEY", RSA_PKCS8),
        ("PRIVATE KEY", "bm90IGEga2V5"),
    ] {
        assert_eq!(private_keys(pem(label, body).as_bytes()), None, "{label}");
    }
    let encrypted = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
    assert_eq!(private_keys(encrypted.as_bytes()), None);
    // A local certificate beside an unreadable key does not make the file a throwaway.
    let file = format!(
        "{}{}",
        pem("PRIVATE KEY", "bm90IGEga2V5"),
        pem("CERTIFICATE", RSA_LOCAL_CERT)
    );
    assert_eq!(private_keys(file.as_bytes()), None);
}

#[test]
fn local_names_are_loopback_reserved_and_one_label_names_only() {
    for local in [
        "localhost",
        "127.0.0.1",
        "::1",
        "*.app.localhost",
        "proxy",
        "web.test",
        "dev.example.com",
    ] {
        assert!(is_local_name(local), "{local}");
    }
    for public in [
        "api.service.gov.uk",
        "*.gov.uk",
        "db.corp.internal",
        "0.0.0.0",
        "10.0.0.4",
        "Local Dev CA",
        "?81",
        "",
    ] {
        assert!(!is_local_name(public), "{public}");
    }
}

// ---- generated keys and certificates: the rule never clears a key whose certificate does not prove it ----

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend([0x81, len as u8]);
    } else {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend(content);
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn integer(unsigned: &[u8]) -> Vec<u8> {
    let mut v = vec![0u8];
    v.extend(unsigned);
    tlv(0x02, &v)
}

fn name(cn: &str) -> Vec<u8> {
    let attribute = seq(&[tlv(0x06, &[0x55, 0x04, 0x03]), tlv(0x0c, cn.as_bytes())]);
    seq(&[tlv(0x31, &attribute)])
}

/// An RSA private key (PKCS#1) of modulus `n`.
fn rsa_key_pem(n: &[u8]) -> String {
    use base64::Engine;
    let der = seq(&[
        integer(&[]),
        integer(n),
        integer(&[1, 0, 1]),
        integer(&n[..n.len() / 2]),
        integer(&n[..8]),
        integer(&n[8..16]),
    ]);
    pem(
        "RSA PRIVATE KEY",
        &base64::engine::general_purpose::STANDARD.encode(der),
    )
}

/// A certificate of the RSA key of modulus `n`, issued by `issuer` to `subject`, with DNS alternative names.
fn cert_pem(n: &[u8], issuer: &str, subject: &str, dns: &[String]) -> String {
    use base64::Engine;
    let rsa_oid = tlv(
        0x06,
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
    );
    let algorithm = seq(&[rsa_oid.clone(), tlv(0x05, &[])]);
    let public = seq(&[integer(n), integer(&[1, 0, 1])]);
    let mut bits = vec![0u8];
    bits.extend(public);
    let spki = seq(&[algorithm.clone(), tlv(0x03, &bits)]);
    let names: Vec<u8> = dns.iter().flat_map(|d| tlv(0x82, d.as_bytes())).collect();
    let san = seq(&[
        tlv(0x06, &[0x55, 0x1d, 0x11]),
        tlv(0x04, &tlv(0x30, &names)),
    ]);
    let tbs = seq(&[
        tlv(0xa0, &integer(&[2])),
        integer(&[7]),
        algorithm.clone(),
        name(issuer),
        seq(&[tlv(0x17, b"250101000000Z"), tlv(0x17, b"350101000000Z")]),
        name(subject),
        spki,
        tlv(0xa3, &seq(&[san])),
    ]);
    let der = seq(&[tbs, algorithm, tlv(0x03, &[0, 1, 2, 3])]);
    pem(
        "CERTIFICATE",
        &base64::engine::general_purpose::STANDARD.encode(der),
    )
}

fn modulus() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 64..=256).prop_map(|mut n| {
        n[0] |= 0x80;
        n
    })
}

fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("localhost".to_owned()),
        Just("127.0.0.1".to_owned()),
        "[a-z][a-z0-9-]{0,12}",
        "[a-z]{1,8}\\.(test|localhost|example)",
        "[a-z]{1,8}\\.(gov\\.uk|nhs\\.uk|com|internal|io)",
        // A zone's loopback name and names under it; `localhost` as a registered domain's label.
        "([a-z0-9]{1,6}\\.)?localhost\\.[a-z]{1,8}\\.(cloud|gov\\.uk|com)",
        "localhost\\.[a-z]{2,8}",
        "[a-z]{1,6}\\.localhost-[a-z]{1,4}\\.cloud",
    ]
}

/// What the file around a key may hold: text, other keys' certificates, nothing.
fn surroundings() -> impl Strategy<Value = String> {
    "[ -~\n]{0,80}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// A key is cleared exactly when some certificate holds its own public key, is self-signed, and names only
    /// local hosts; whatever else its file or folder holds, nothing less clears it.
    #[test]
    fn a_generated_key_is_a_throwaway_only_by_its_own_local_self_signed_certificate(
        n in modulus(),
        other in modulus(),
        names in prop::collection::vec(host(), 0..4),
        own_key in any::<bool>(),
        self_signed in any::<bool>(),
        before in surroundings(),
        after in surroundings(),
    ) {
        let subject = names.first().cloned().unwrap_or_else(|| "Some Org".to_owned());
        let issuer = if self_signed { subject.clone() } else { "Dev CA".to_owned() };
        let certified = if own_key { n.clone() } else { other.clone() };
        let certificate = cert_pem(&certified, &issuer, &subject, &names[1.min(names.len())..]);
        let file = format!("{before}\n{}{after}\n{certificate}", rsa_key_pem(&n));
        let keys = private_keys(file.as_bytes()).expect("the generated key is read");
        let found: Vec<(String, Certificate)> =
            certificates(file.as_bytes()).into_iter().map(|c| ("f".to_owned(), c)).collect();
        let all_local = !names.is_empty() && names.iter().all(|h| is_local_name(h));
        // Independently of the code: `localhost` is a label with a zone of two labels or more after it.
        let under_zone_loopback = |h: &String| {
            let at = if h.starts_with("localhost.") { Some(0) } else { h.find(".localhost.").map(|i| i + 1) };
            at.is_some_and(|i| h[i + "localhost.".len()..].contains('.'))
        };
        let all_zone_loopback = !names.is_empty() && names.iter().all(under_zone_loopback);
        let expected = ((self_signed && all_local) || all_zone_loopback) && (own_key || other == n);
        prop_assert_eq!(judge(&keys, &found).is_some(), expected);
    }

    /// A key with no certificate of its own is never a throwaway, whatever certificates of other keys and text
    /// are around it.
    #[test]
    fn a_key_without_its_own_certificate_is_never_a_throwaway(
        n in modulus(),
        others in prop::collection::vec(modulus(), 0..3),
        before in surroundings(),
    ) {
        let certs: String = others
            .iter()
            .filter(|o| **o != n)
            .map(|o| cert_pem(o, "localhost", "localhost", &["localhost".to_owned()]))
            .collect();
        for real in [rsa_key_pem(&n), pem("PRIVATE KEY", OTHER_RSA)] {
            let file = format!("{before}{real}{certs}");
            let keys = private_keys(file.as_bytes()).expect("read");
            let found: Vec<(String, Certificate)> =
                certificates(file.as_bytes()).into_iter().map(|c| ("f".to_owned(), c)).collect();
            prop_assert_eq!(judge(&keys, &found), None);
        }
    }
}

//! Whether a file named as a Java key store (`*.jks`, `*.keystore`) can hold keys at all, from its bytes.
//!
//! Every key store format a JVM or Android reads is binary: JKS opens with the magic `FE ED FE ED`, JCEKS with
//! `CE CE CE CE`, PKCS #12 (the JDK's default since 9) is DER that opens with a `SEQUENCE` byte, Bouncy Castle's
//! BKS with a version number of zero bytes. Not one of them is text. So a file whose name says "key store" but
//! whose bytes are empty, or plain text that carries no encoded material, holds no key — in practice a
//! placeholder committed so that a build finds the path (`This file will be overwritten…`), which the real
//! store replaces at deploy time.
//!
//! The decision leans towards a finding: any byte that is not text keeps it (a real store of any format,
//! known or not, a truncated one, a store inside another container), and so does text that could carry a key
//! or a store in another encoding — a PEM block, or a run of [`ENCODED_RUN`] or more base64 characters. An
//! author cannot hide a store behind this: the bytes of one are never plain prose.
//!
//! `*.p12` and `*.pfx` are not judged here: gitleaks' own `pkcs12-file` rule reports them by name, and two
//! findings for one file would be worse than one by name.

/// The shortest run of base64 characters read as encoded material (a store or a key): 64 characters are 48
/// bytes, shorter than any key store and than any private key but the smallest elliptic-curve ones in raw form.
pub(crate) const ENCODED_RUN: usize = 64;

/// Whether the bytes of a file named as a key store may hold a key: not empty, and binary, or text with a PEM
/// block or an encoded run (see the module's documentation).
pub(crate) fn could_hold_keys(bytes: &[u8]) -> bool {
    if bytes.trim_ascii().is_empty() {
        return false;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return true;
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return true;
    }
    text.contains("-----BEGIN") || longest_base64_run(bytes) >= ENCODED_RUN
}

/// The opposite of [`could_hold_keys`], for the file rule: the bytes of this `*.jks`/`*.keystore` hold no key.
pub(crate) fn holds_no_key(bytes: &[u8]) -> bool {
    !could_hold_keys(bytes)
}

/// The length of the longest run of base64 characters (`A–Z a–z 0–9 + / - _ =`), line breaks inside a run
/// included (PEM and MIME wrap base64 at 64 or 76 columns).
fn longest_base64_run(bytes: &[u8]) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'=') {
            run += 1;
            longest = longest.max(run);
        } else if b != b'\n' && b != b'\r' {
            run = 0;
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_placeholder_sentence_holds_no_key() {
        let text = b"This file will be overwritten by local integration tests OR real cert once the container \
runs on the environment.\n";
        assert!(!could_hold_keys(text));
        assert!(!could_hold_keys(b""));
        assert!(!could_hold_keys(b"  \n"));
    }

    #[test]
    fn every_binary_store_format_may_hold_keys() {
        let heads: [&[u8]; 4] = [
            b"\xFE\xED\xFE\xED\x00\x00\x00\x02",         // JKS
            b"\xCE\xCE\xCE\xCE\x00\x00\x00\x02",         // JCEKS
            b"\x30\x82\x0a\x35\x02\x01\x03\x30\x82",     // PKCS #12
            b"\x00\x00\x00\x02\x00\x00\x00\x14\x9a\x7f", // BKS
        ];
        for head in heads {
            assert!(could_hold_keys(head), "{head:?}");
        }
    }

    #[test]
    fn text_with_a_pem_block_or_an_encoded_store_may_hold_keys() {
        let pem = format!(
            "-----BEGIN {}-----\nMIIB\n-----END {}-----\n",
            "PRIVATE KEY", "PRIVATE KEY"
        );
        assert!(could_hold_keys(pem.as_bytes()));
        let encoded = "MIIKNQIBAzCCCe4GCSqGSIb3DQEHAaCCCd8EggnbMIIJ1zCCBWMGCSqGSIb3DQEHAaCCBVQEggVQMIIFTDCC\n";
        assert!(could_hold_keys(format!("store: {encoded}").as_bytes()));
    }

    proptest! {
        /// Any content with a byte that is not text (every real key store) is kept, whatever else it holds.
        #[test]
        fn a_file_with_any_binary_byte_is_kept(
            before in prop::collection::vec(any::<u8>(), 0..200),
            control in prop_oneof![0u8..=8, 14u8..=31, Just(0x7f), 0x80u8..=0xff],
            after in prop::collection::vec(any::<u8>(), 0..200),
        ) {
            let mut bytes = before;
            bytes.push(control);
            bytes.extend(after);
            // A lone byte ≥ 0x80 may complete a UTF-8 sequence; a NUL or control byte never is text.
            if std::str::from_utf8(&bytes).is_err() || control < 0x80 {
                prop_assert!(could_hold_keys(&bytes));
            }
        }

        /// Base64 of any 48 bytes or more (an encoded store or key), in any text around it, is kept.
        #[test]
        fn encoded_material_in_any_text_is_kept(
            material in prop::collection::vec(any::<u8>(), 48..400),
            prose in "[a-zA-Z .,]{0,80}",
        ) {
            use base64::Engine;
            let encoded = base64::engine::general_purpose::STANDARD.encode(&material);
            let text = format!("{prose}\n{encoded}\n{prose}");
            prop_assert!(could_hold_keys(text.as_bytes()));
        }
    }
}

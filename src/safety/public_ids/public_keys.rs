//! The public half of a key, told by decoding it: a value a rule matched that is part of a public key is no
//! secret, wherever it sits and whatever it is called (`ssh_key =>`, `key:`, `github_key,"…"`). Three encodings:
//!
//! - **an OpenSSH public key** (`ssh-rsa AAAA… comment`, an `authorized_keys` or `known_hosts` line, or the bare
//!   base64 a configuration keeps of one): the base64 decodes to the SSH wire format of RFC 4253 §6.6 — a
//!   length-prefixed key type, then exactly the fields that type has (`ssh-rsa`: the exponent and the modulus;
//!   `ssh-ed25519`: 32 bytes; `ecdsa-sha2-<curve>`: the curve's name again and an uncompressed point;
//!   `ssh-dss`: four integers; the `sk-` security-key types: those and an application), and nothing after. When
//!   a key type is written before the base64, it must equal the decoded one.
//! - **a SubjectPublicKeyInfo** (the body of `-----BEGIN PUBLIC KEY-----`, or bare base64 of it) or a PKCS#1
//!   `RSAPublicKey` (`-----BEGIN RSA PUBLIC KEY-----`): the DER is that one structure (`keys::der`).
//! - **a PEM block holding one of those**: a value on a line of such a block's body, whatever its label says.
//!
//! The decision is the decoding, never the name or label: a private key parses as none of these (an OpenSSH
//! private key opens `openssh-key-v1\0`, not a length-prefixed type; PKCS#8, PKCS#1 and SEC 1 private keys open
//! with a version INTEGER), so a private key labelled `PUBLIC KEY`, or filed under `public_key:`, stays a
//! finding. Base64 that decodes to one of these structures and has bytes left over is not accepted either: the
//! whole run of base64 characters holding the value must be the key.
//!
//! An author cannot hide a secret this way: base64 that parses as a public key *is* a public key, which is
//! published to be handed to others. A real credential of another shape on the same line is matched apart.

use std::ops::Range;

use base64::Engine;

use crate::safety::keys::der;

/// Whether the value at `value` of `text` is part of a public key (see the module's documentation).
pub(crate) fn is_public_key(text: &[u8], value: Range<usize>) -> bool {
    base64_run_is_public_key(text, value.clone()) || in_public_pem_block(text, value)
}

fn is_base64_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// Whether the whole run of base64 characters holding `value` decodes to an SSH public key blob, a
/// SubjectPublicKeyInfo or an `RSAPublicKey`.
fn base64_run_is_public_key(text: &[u8], value: Range<usize>) -> bool {
    let inner = &text[value.clone()];
    if inner.is_empty() || !inner.iter().all(|b| is_base64_char(*b) || *b == b'=') {
        return false;
    }
    let start = text[..value.start]
        .iter()
        .rposition(|b| !is_base64_char(*b))
        .map_or(0, |i| i + 1);
    let mut end = value.start
        + text[value.start..]
            .iter()
            .position(|b| !is_base64_char(*b))
            .unwrap_or(text.len() - value.start);
    while end < text.len() && text[end] == b'=' {
        end += 1;
    }
    if end < value.end {
        // `=` inside the value, not only at its end: not one base64 run.
        return false;
    }
    let run = &text[start..end];
    let Some(bytes) = decode(run) else {
        return false;
    };
    if let Some(kind) = ssh_public_key_type(&bytes) {
        // A key type written before the base64 must be the one it decodes to.
        return match written_type_before(text, start) {
            Some(written) => written == kind.as_bytes(),
            None => true,
        };
    }
    der::public_key_structure(&bytes)
}

/// Standard base64, with or without padding.
fn decode(run: &[u8]) -> Option<Vec<u8>> {
    let trimmed: &[u8] = {
        let end = run.iter().rposition(|b| *b != b'=').map_or(0, |i| i + 1);
        &run[..end]
    };
    if trimmed.len() < 16 {
        return None;
    }
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(trimmed)
        .ok()
}

/// The word just before the base64 at `start`, when it is separated by spaces or tabs and looks like an SSH key
/// type (`ssh-rsa`, `ecdsa-sha2-nistp256`, `sk-ssh-ed25519@openssh.com`).
fn written_type_before(text: &[u8], start: usize) -> Option<&[u8]> {
    let before = &text[..start];
    let gap = before
        .iter()
        .rev()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .count();
    if gap == 0 {
        return None;
    }
    let word_end = start - gap;
    let word_start = before[..word_end]
        .iter()
        .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'@' | b'.')))
        .map_or(0, |i| i + 1);
    let word = &text[word_start..word_end];
    let looks_like_type = word.starts_with(b"ssh-")
        || word.starts_with(b"ecdsa-")
        || word.starts_with(b"sk-")
        || word.starts_with(b"rsa-sha2-");
    looks_like_type.then_some(word)
}

/// A reader of SSH wire-format fields.
struct Wire<'a>(&'a [u8]);

impl<'a> Wire<'a> {
    /// A `string` (or `mpint`): a 4-byte big-endian length, then that many bytes.
    fn string(&mut self) -> Option<&'a [u8]> {
        let len = u32::from_be_bytes(self.0.get(..4)?.try_into().ok()?) as usize;
        let field = self.0.get(4..4usize.checked_add(len)?)?;
        self.0 = &self.0[4 + len..];
        Some(field)
    }

    fn done(&self) -> bool {
        self.0.is_empty()
    }
}

/// The key type of an SSH public key blob (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4, PROTOCOL.u2f), when
/// `blob` is exactly one: the type's fields, each of a sane size, and nothing after them.
pub(crate) fn ssh_public_key_type(blob: &[u8]) -> Option<String> {
    let mut wire = Wire(blob);
    let kind = std::str::from_utf8(wire.string()?).ok()?.to_owned();
    let mpint = |w: &mut Wire<'_>, min: usize| w.string().filter(|f| f.len() >= min).is_some();
    let ok = match kind.as_str() {
        "ssh-rsa" => mpint(&mut wire, 1) && mpint(&mut wire, 64),
        "ssh-dss" => (0..4).all(|_| mpint(&mut wire, 1)),
        "ssh-ed25519" => wire.string().is_some_and(|k| k.len() == 32),
        "ssh-ed448" => wire.string().is_some_and(|k| k.len() == 57),
        "sk-ssh-ed25519@openssh.com" => {
            wire.string().is_some_and(|k| k.len() == 32) && wire.string().is_some()
        }
        k if k.starts_with("ecdsa-sha2-") || k.starts_with("sk-ecdsa-sha2-") => {
            let curve = k
                .trim_start_matches("sk-")
                .trim_start_matches("ecdsa-sha2-")
                .trim_end_matches("@openssh.com");
            let named = wire.string().is_some_and(|c| c == curve.as_bytes());
            let point = wire
                .string()
                .is_some_and(|p| p.len() >= 33 && matches!(p[0], 0x02..=0x04));
            let application = !k.starts_with("sk-") || wire.string().is_some();
            named && point && application
        }
        _ => false,
    };
    (ok && wire.done()).then_some(kind)
}

/// Whether `value` lies on a body line of a PEM block (`-----BEGIN x-----` … `-----END x-----`) whose body
/// decodes to a public key structure, whatever `x` says.
fn in_public_pem_block(text: &[u8], value: Range<usize>) -> bool {
    const BEGIN: &[u8] = b"-----BEGIN ";
    const END: &[u8] = b"-----END ";
    let before = &text[..value.start];
    let Some(begin) = rfind(before, BEGIN) else {
        return false;
    };
    if rfind(&before[begin..], END).is_some() {
        return false;
    }
    let Some(header_end) = find(&text[begin + BEGIN.len()..], b"-----")
        .map(|i| begin + BEGIN.len() + i + 5)
        .filter(|e| *e <= value.start)
    else {
        return false;
    };
    let Some(end) = find(&text[header_end..], END).map(|i| header_end + i) else {
        return false;
    };
    if end < value.end {
        return false;
    }
    let body: Vec<u8> = strip_layout(&text[header_end..end]);
    if body.is_empty() || !body.iter().all(|b| is_base64_char(*b) || *b == b'=') {
        return false;
    }
    decode(&body).is_some_and(|der| der::public_key_structure(&der))
}

/// A PEM body without its layout: white space, quotes and `\n`/`\r` escapes (a block written as a string).
/// What is left must be base64 for the block to be read at all.
fn strip_layout(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b == b'\\' && matches!(body.get(i + 1), Some(b'n' | b'r')) {
            i += 2;
            continue;
        }
        if !(b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'\\')) {
            out.push(b);
        }
        i += 1;
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

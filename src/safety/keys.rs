//! Throwaway keys: a private key that the tree itself shows serves only a local name.
//!
//! A private key in a repository is a finding (gitleaks' `private-key`, keepopen's `key-file`) because whoever
//! holds it can act as its owner. What a key can act as is written in its certificate: the names it is valid
//! for (the subject's common name and the subject-alternative names) and who vouches for it (the issuer). A key
//! is a **throwaway** when, in the same commit, a certificate beside it (in its own file or another file of its
//! folder)
//!
//! 1. holds the key's own public key (the RSA modulus and exponent, or the EC point, equal to those in the
//!    private key) — a certificate of some other key says nothing of this one;
//! 2. is self-signed (issuer = subject) — no authority vouches for it, so it is trusted only where someone
//!    installed it by hand; and
//! 3. names only local hosts — `localhost`, loopback addresses, names under `.localhost`, `.local`, `.test`,
//!    `.example`, `.invalid` or `example.com`/`.net`/`.org`, or one label (`https-proxy`, a Compose service) —
//!    and at least one. No public authority issues certificates for such names, and they resolve only on the
//!    developer's own machine or network.
//!
//! Such a key is a development server's key, as `openssl req -x509 -nodes -subj /CN=localhost` makes one; it
//! is reported nowhere. So is a key whose own certificate, whoever issued it, names only a zone's loopback name
//! and names under it (`localhost.localstack.cloud`, `*.s3.localhost.localstack.cloud`; see
//! [`is_zone_loopback_name`]): a development tool's published key, which LocalStack for one downloads into the
//! project's `.localstack/` folder so that its emulator can serve HTTPS on the developer's machine. Every other private key stays a finding: one whose certificate is missing, issued by
//! someone else, or names any other host (`.internal` and private addresses too, which may be an
//! organisation's own services), a key this reader cannot follow (encrypted, OpenSSH, DSA, an Ed25519 key
//! without its public half), and a file with several keys of which one is not a throwaway.
//!
//! How an author could misuse it: by writing a self-signed `localhost` certificate for a real key and putting it
//! beside the key. The certificate cannot be made without the key (it holds the key's public half, and the key
//! holder signs it), so only the key's own holder can do it — and such a key, if it also serves elsewhere, is
//! not seen as that here. The signature is not checked: a certificate of another key fails the first test.
//! Likewise only a key's holder can get a certificate for `localhost.<their zone>`, and a key that serves only
//! that name serves only connections to the machine they come from.

use std::path::Path;

use git2::{ObjectType, Oid, Repository};

pub(crate) mod der;

use super::worker::{BlobOutcome, RawHit};
use der::{Der, PublicKey};

/// The largest file of the key's folder read for certificates.
const CERTIFICATE_FILE_BYTES: usize = 256 * 1024;

/// Why the private keys of `key_text` (at `path` in `commit`) are all throwaways, or `None` when one is not,
/// when the file holds no private key this reader can follow, or when the tree cannot be read.
pub(crate) fn throwaway_reason(
    repo: &Repository,
    commit: Oid,
    path: &str,
    key_text: &[u8],
) -> Option<String> {
    let keys = private_keys(key_text)?;
    let mut certificates: Vec<(String, Certificate)> = certificates(key_text)
        .into_iter()
        .map(|c| (path.to_owned(), c))
        .collect();
    if keys
        .iter()
        .any(|k| !certificates.iter().any(|(_, c)| c.vouches_locally_for(k)))
    {
        certificates.extend(folder_certificates(repo, commit, path));
    }
    judge(&keys, &certificates)
}

/// Why every key of `keys` is a throwaway by one of `certificates` (each with the path it is at), or `None`.
pub(crate) fn judge(keys: &[PublicKey], certificates: &[(String, Certificate)]) -> Option<String> {
    if keys.is_empty() {
        return None;
    }
    let mut reasons = Vec::new();
    for key in keys {
        let (at, certificate) = certificates
            .iter()
            .find(|(_, c)| c.vouches_locally_for(key))?;
        reasons.push(certificate.reason(at));
    }
    reasons.dedup();
    Some(reasons.join("; "))
}

/// Drop the key findings (gitleaks' private-key rules, keepopen's `key-file`) of a blob whose private keys are
/// all throwaways at the place it was read; every other finding of the blob stays.
pub(super) fn drop_throwaway_keys(repo: &Repository, outcome: &mut BlobOutcome) {
    let is_key = |h: &RawHit| h.private_key || h.rule == super::files::KEY_FILE.id;
    if !outcome.hits.iter().any(is_key) {
        return;
    }
    let (Some(blob), Some(commit)) = (outcome.blob, outcome.commit) else {
        return;
    };
    let Ok(content) = repo.find_blob(blob) else {
        return;
    };
    if throwaway_reason(repo, commit, &outcome.path, content.content()).is_some() {
        outcome.hits.retain(|h| !is_key(h));
    }
}

/// The public keys of every private key in PEM text; `None` when there is none, or one cannot be followed.
pub(crate) fn private_keys(text: &[u8]) -> Option<Vec<PublicKey>> {
    let mut keys = Vec::new();
    for block in der::pem_blocks(text) {
        if block.label.contains("PRIVATE KEY") {
            keys.push(der::public_key_of_private(&block.label, &block.der?)?);
        }
    }
    (!keys.is_empty()).then_some(keys)
}

/// What a certificate says of its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Certificate {
    pub(crate) key: PublicKey,
    pub(crate) self_signed: bool,
    /// The subject's common names and the alternative names (DNS names, IP addresses as text); any other kind
    /// of alternative name (an email address, a URI) is kept as `?kind`, which is not local.
    pub(crate) names: Vec<String>,
}

impl Certificate {
    /// Whether this certificate makes `key` a throwaway (see the module's documentation).
    pub(crate) fn vouches_locally_for(&self, key: &PublicKey) -> bool {
        self.key == *key
            && !self.names.is_empty()
            && ((self.self_signed && self.names.iter().all(|n| is_local_name(n)))
                || self.names.iter().all(|n| is_zone_loopback_name(n)))
    }

    /// The reason this certificate makes its key a throwaway, for the report.
    fn reason(&self, at: &str) -> String {
        if self.self_signed && self.names.iter().all(|n| is_local_name(n)) {
            format!(
                "its certificate {at} is self-signed for local names only ({})",
                self.names.join(", ")
            )
        } else {
            format!(
                "its certificate {at} names only a zone's loopback name `localhost.<zone>` and names under it \
                 ({}): a development tool's published key",
                self.names.join(", ")
            )
        }
    }
}

/// Every certificate in PEM text that this reader can follow.
pub(crate) fn certificates(text: &[u8]) -> Vec<Certificate> {
    der::pem_blocks(text)
        .into_iter()
        .filter(|b| b.label == "CERTIFICATE" || b.label == "X509 CERTIFICATE")
        .filter_map(|b| der::certificate(&Der::parse(&b.der?)?))
        .collect()
}

/// Whether a certificate's name is a local host (a `*.` wildcard counts as its parent name).
fn is_local_name(name: &str) -> bool {
    let name = name.strip_prefix("*.").unwrap_or(name).to_ascii_lowercase();
    if name.ends_with(".internal") || name == "0.0.0.0" {
        return false;
    }
    super::context::is_local_host(&name)
}

/// Whether a certificate's name is at or under a zone's loopback name: a label `localhost` with at least two
/// labels after it (`localhost.localstack.cloud`, `*.s3.localhost.localstack.cloud`). A DNS zone's `localhost`
/// entry points at the loopback address by a convention as old as the DNS (RFC 1537 §10 asks every zone for
/// one), and development tools publish a key and a publicly issued certificate for such a name so that a
/// local emulator can serve HTTPS on the developer's machine: the key can only ever serve connections to that
/// machine. `localhost` as a registered domain's own label (`localhost.direct`, `localhost.com`) is not a
/// name in a zone: its owner decides where it points.
fn is_zone_loopback_name(name: &str) -> bool {
    let name = name.strip_prefix("*.").unwrap_or(name).to_ascii_lowercase();
    let labels: Vec<&str> = name.trim_end_matches('.').split('.').collect();
    labels
        .iter()
        .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        && labels
            .iter()
            .position(|l| *l == "localhost")
            .is_some_and(|i| labels.len() - i >= 3)
}

/// The certificates of the small files in the folder of `path` in `commit`.
fn folder_certificates(repo: &Repository, commit: Oid, path: &str) -> Vec<(String, Certificate)> {
    let Ok(tree) = repo.find_commit(commit).and_then(|c| c.tree()) else {
        return Vec::new();
    };
    let (folder, folder_tree) = match path.rsplit_once('/') {
        Some((dir, _)) => {
            let Ok(entry) = tree.get_path(Path::new(dir)) else {
                return Vec::new();
            };
            match entry.to_object(repo).and_then(|o| o.peel_to_tree()) {
                Ok(t) => (format!("{dir}/"), t),
                Err(_) => return Vec::new(),
            }
        }
        None => (String::new(), tree),
    };
    let mut out = Vec::new();
    for entry in folder_tree.iter() {
        let name = entry.name().unwrap_or_default();
        if entry.kind() != Some(ObjectType::Blob) || format!("{folder}{name}") == path {
            continue;
        }
        let Ok(blob) = repo.find_blob(entry.id()) else {
            continue;
        };
        if blob.size() > CERTIFICATE_FILE_BYTES {
            continue;
        }
        for c in certificates(blob.content()) {
            out.push((format!("{folder}{name}"), c));
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests;

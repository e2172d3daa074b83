//! An OpenPGP key's fingerprint or key id names a public key; it opens nothing. A package source pins the key
//! its packages are signed with by fingerprint (`apt::source { … location => 'https://…/debian', key =>
//! '<40 hex>' }`, `apt-key adv --keyserver … --recv-keys <id>`), and a backup script names the key it encrypts
//! to (`GPG_KEY='<40 hex>'`); `generic-api-key` reads each as a key.
//!
//! A fingerprint cannot be decoded (it is a hash of the public key), so [`is_openpgp_key_name`] decides by the
//! value's shape and the structure it is written in, all three together:
//!
//! 1. the value is 40 hex digits (a v4 fingerprint) or 16 (a long key id), in one case;
//! 2. the name it is assigned to ends in `key`, `keyid`, `id`, `fingerprint` or `fpr`, and has no word that
//!    calls it a secret (`secret`, `password`, `passphrase`, `pass`, `token`, `auth`);
//! 3. the name says OpenPGP (`gpg`, `pgp`, `gnupg`, `fingerprint`, `keyid`), or the lines of its block (the
//!    value's line and the six before it) describe a package source or a key server (`apt`, `aptly`, `ppa`,
//!    `deb`, `debian`, `ubuntu`, `launchpad`, `yum`, `rpm`, `repo`, `repos`, `repository`, `keyserver`).
//!
//! An author could file a 40-digit hex secret as `key` in an apt source block; it would then be given to apt as
//! the key to fetch from a key server, which only a published key can be. A token in the source's URL
//! (`https://<token>@packagecloud.io/…`) is another value, judged apart.

use crate::safety::samples::identifier_words;

const OPENPGP_WORDS: &[&str] = &["gpg", "pgp", "gnupg", "fingerprint", "keyid"];
const SOURCE_WORDS: &[&str] = &[
    "apt",
    "aptly",
    "ppa",
    "deb",
    "debian",
    "ubuntu",
    "launchpad",
    "yum",
    "rpm",
    "repo",
    "repos",
    "repository",
    "keyserver",
];
const SECRET_WORDS: &[&str] = &[
    "secret",
    "password",
    "passphrase",
    "pass",
    "passwd",
    "token",
    "auth",
];

/// Whether `value`, assigned to `name` (the text a rule matched before it) at `start` of `text`, is an OpenPGP
/// fingerprint or key id (see the module's documentation).
pub(crate) fn is_openpgp_key_name(text: &[u8], name: &[u8], value: &[u8], start: usize) -> bool {
    let hex = value.iter().all(u8::is_ascii_hexdigit);
    let one_case =
        !(value.iter().any(u8::is_ascii_lowercase) && value.iter().any(u8::is_ascii_uppercase));
    if !(matches!(value.len(), 16 | 40) && hex && one_case) {
        return false;
    }
    let words = identifier_words(name);
    let Some(last) = words.last() else {
        return false;
    };
    if !matches!(
        last.as_str(),
        "key" | "keyid" | "id" | "fingerprint" | "fpr"
    ) || words.iter().any(|w| SECRET_WORDS.contains(&w.as_str()))
    {
        return false;
    }
    if words.iter().any(|w| OPENPGP_WORDS.contains(&w.as_str())) {
        return true;
    }
    let line_end = start
        + text[start..]
            .iter()
            .position(|b| *b == b'\n')
            .unwrap_or(text.len() - start);
    let mut block_start = start;
    for _ in 0..7 {
        match text[..block_start].iter().rposition(|b| *b == b'\n') {
            Some(i) => block_start = i,
            None => {
                block_start = 0;
                break;
            }
        }
    }
    identifier_words(&text[block_start..line_end])
        .iter()
        .any(|w| SOURCE_WORDS.contains(&w.as_str()))
}

//! Just enough DER and PEM to read a private key's public half and a certificate's key, issuer, subject and
//! names. Anything this reader does not follow is `None`, which keeps the key a finding.

use base64::Engine;

/// A key's public half, as both a private key and a certificate hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PublicKey {
    /// The modulus and the public exponent, without leading zero bytes.
    Rsa { n: Vec<u8>, e: Vec<u8> },
    /// The public point (SEC 1 encoding), as the certificate and the key both write it.
    Ec(Vec<u8>),
    /// An Ed25519 or Ed448 public key.
    Edwards(Vec<u8>),
}

/// One PEM block: its label and its decoded body (`None` when the body is not plain base64, e.g. encrypted with
/// `Proc-Type` headers).
pub(crate) struct PemBlock {
    pub(crate) label: String,
    pub(crate) der: Option<Vec<u8>>,
}

/// Every `-----BEGIN x-----` … `-----END x-----` block of the text.
pub(crate) fn pem_blocks(text: &[u8]) -> Vec<PemBlock> {
    let text = String::from_utf8_lossy(text);
    let mut out = Vec::new();
    let mut rest: &str = &text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let Some(label_end) = after.find("-----") else {
            break;
        };
        let label = after[..label_end].to_owned();
        let body_start = label_end + 5;
        let end_marker = format!("-----END {label}-----");
        let Some(body_len) = after[body_start..].find(&end_marker) else {
            out.push(PemBlock { label, der: None });
            break;
        };
        let body = &after[body_start..body_start + body_len];
        let der = if body.contains(':') {
            None
        } else {
            let b64: String = body
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '\\' && *c != '"')
                .collect();
            base64::engine::general_purpose::STANDARD.decode(b64).ok()
        };
        out.push(PemBlock { label, der });
        rest = &after[body_start + body_len + end_marker.len()..];
    }
    out
}

/// One DER element: its tag, its content, and its whole encoding.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Der<'a> {
    pub(crate) tag: u8,
    pub(crate) content: &'a [u8],
}

impl<'a> Der<'a> {
    /// The one element that is all of `bytes`.
    pub(crate) fn parse(bytes: &'a [u8]) -> Option<Der<'a>> {
        let (element, rest) = Der::next(bytes)?;
        rest.is_empty().then_some(element)
    }

    /// The first element of `bytes` and what follows it.
    fn next(bytes: &'a [u8]) -> Option<(Der<'a>, &'a [u8])> {
        let tag = *bytes.first()?;
        let first = *bytes.get(1)?;
        let (len, header) = if first < 0x80 {
            (usize::from(first), 2)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return None;
            }
            let len = bytes
                .get(2..2 + n)?
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            (len, 2 + n)
        };
        let content = bytes.get(header..header.checked_add(len)?)?;
        Some((Der { tag, content }, &bytes[header + len..]))
    }

    /// The elements inside a constructed element.
    pub(crate) fn children(&self) -> Option<Vec<Der<'a>>> {
        let mut out = Vec::new();
        let mut rest = self.content;
        while !rest.is_empty() {
            let (child, after) = Der::next(rest)?;
            out.push(child);
            rest = after;
        }
        Some(out)
    }
}

const SEQUENCE: u8 = 0x30;
const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const OID_ED448: &[u8] = &[0x2b, 0x65, 0x71];
const OID_COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
const OID_SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];

fn unsigned(bytes: &[u8]) -> Vec<u8> {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes[start..].to_vec()
}

/// The public half of a private key in DER under a PEM `label`: PKCS#1 RSA, SEC 1 EC (with its public point),
/// or PKCS#8 of either or of an Edwards key that carries its public key.
pub(crate) fn public_key_of_private(label: &str, der: &[u8]) -> Option<PublicKey> {
    let top = Der::parse(der)?;
    match label {
        "RSA PRIVATE KEY" => rsa_private(&top),
        "EC PRIVATE KEY" => ec_private(&top),
        "PRIVATE KEY" => {
            let parts = top.children()?;
            let algorithm = parts.get(1)?.children()?;
            let oid = algorithm.first()?.content;
            let private = parts.get(2)?;
            if oid == OID_RSA {
                rsa_private(&Der::parse(private.content)?)
            } else if oid == OID_EC {
                ec_private(&Der::parse(private.content)?)
            } else if oid == OID_ED25519 || oid == OID_ED448 {
                // PKCS#8 v2 carries the public key as [1]; v1 does not, and it is not computed here.
                let public = parts.iter().find(|p| p.tag == 0x81 || p.tag == 0xa1)?;
                let bits = if public.tag == 0xa1 {
                    Der::parse(public.content)?.content
                } else {
                    public.content
                };
                Some(PublicKey::Edwards(bits.get(1..)?.to_vec()))
            } else {
                None
            }
        }
        _ => None,
    }
}

fn rsa_private(top: &Der<'_>) -> Option<PublicKey> {
    let parts = top.children()?;
    if top.tag != SEQUENCE || parts.len() < 3 || parts[1].tag != 0x02 || parts[2].tag != 0x02 {
        return None;
    }
    Some(PublicKey::Rsa {
        n: unsigned(parts[1].content),
        e: unsigned(parts[2].content),
    })
}

fn ec_private(top: &Der<'_>) -> Option<PublicKey> {
    let parts = top.children()?;
    let public = parts.iter().find(|p| p.tag == 0xa1)?;
    let bits = Der::parse(public.content)?;
    (bits.tag == 0x03).then(|| PublicKey::Ec(bits.content.get(1..).unwrap_or_default().to_vec()))
}

/// What an X.509 certificate says of its key, its signer and its names.
pub(crate) fn certificate(top: &Der<'_>) -> Option<super::Certificate> {
    let tbs = top.children()?.into_iter().next()?;
    let mut fields = tbs.children()?.into_iter();
    let mut field = fields.next()?;
    if field.tag == 0xa0 {
        field = fields.next()?; // version
    }
    let _serial = field;
    let _signature = fields.next()?;
    let issuer = fields.next()?;
    let _validity = fields.next()?;
    let subject = fields.next()?;
    let spki = fields.next()?;
    let key = public_key_of_spki(&spki)?;
    let mut names = common_names(&subject)?;
    for extra in fields {
        if extra.tag == 0xa3 {
            names.extend(alternative_names(&Der::parse(extra.content)?)?);
        }
    }
    Some(super::Certificate {
        key,
        self_signed: issuer.content == subject.content,
        names,
    })
}

/// The public key that `der` is, and nothing else: a SubjectPublicKeyInfo (`SEQUENCE { AlgorithmIdentifier,
/// BIT STRING }`, what `-----BEGIN PUBLIC KEY-----` holds) or a PKCS#1 `RSAPublicKey` (`SEQUENCE { INTEGER n,
/// INTEGER e }`, what `-----BEGIN RSA PUBLIC KEY-----` holds). The whole of `der` must be that one element. A
/// private key never has either shape: PKCS#8 opens with an INTEGER version and carries an OCTET STRING, PKCS#1
/// and SEC 1 private keys open with an INTEGER version, and a certificate has three parts.
pub(crate) fn public_key_structure(der: &[u8]) -> bool {
    let Some(top) = Der::parse(der) else {
        return false;
    };
    let Some(parts) = top.children() else {
        return false;
    };
    if top.tag != SEQUENCE || parts.len() != 2 {
        return false;
    }
    match (parts[0].tag, parts[1].tag) {
        // SubjectPublicKeyInfo: an algorithm (an OID, then optional parameters) and the key's bits, with no
        // unused bits. An RSA key's bits must themselves be an RSAPublicKey.
        (SEQUENCE, 0x03) => {
            let Some(algorithm) = parts[0].children() else {
                return false;
            };
            let bits = parts[1].content;
            let oid_ok = algorithm.first().is_some_and(|o| o.tag == 0x06) && algorithm.len() <= 2;
            if !oid_ok || bits.first() != Some(&0) || bits.len() < 2 {
                return false;
            }
            if algorithm[0].content == OID_RSA {
                return rsa_public(&bits[1..]);
            }
            true
        }
        (0x02, 0x02) => rsa_public(der),
        _ => false,
    }
}

/// Whether `der` is exactly a PKCS#1 `RSAPublicKey`: two INTEGERs, a modulus of at least 512 bits and an odd
/// public exponent of at most 4 bytes.
fn rsa_public(der: &[u8]) -> bool {
    let Some(parts) = Der::parse(der)
        .filter(|t| t.tag == SEQUENCE)
        .and_then(|t| t.children())
    else {
        return false;
    };
    if parts.len() != 2 || parts.iter().any(|p| p.tag != 0x02) {
        return false;
    }
    let (n, e) = (unsigned(parts[0].content), unsigned(parts[1].content));
    n.len() >= 64 && !e.is_empty() && e.len() <= 4 && e.last().is_some_and(|b| b & 1 == 1)
}

fn public_key_of_spki(spki: &Der<'_>) -> Option<PublicKey> {
    let parts = spki.children()?;
    let oid = parts.first()?.children()?.first()?.content;
    let bits = parts.get(1)?;
    let key = bits.content.get(1..)?;
    if oid == OID_RSA {
        let rsa = Der::parse(key)?.children()?;
        Some(PublicKey::Rsa {
            n: unsigned(rsa.first()?.content),
            e: unsigned(rsa.get(1)?.content),
        })
    } else if oid == OID_EC {
        Some(PublicKey::Ec(key.to_vec()))
    } else if oid == OID_ED25519 || oid == OID_ED448 {
        Some(PublicKey::Edwards(key.to_vec()))
    } else {
        None
    }
}

/// The common names of a distinguished name.
fn common_names(name: &Der<'_>) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for set in name.children()? {
        for attribute in set.children()? {
            let parts = attribute.children()?;
            if parts.first()?.content == OID_COMMON_NAME {
                out.push(String::from_utf8_lossy(parts.get(1)?.content).into_owned());
            }
        }
    }
    Some(out)
}

/// The subject-alternative names of a certificate's extensions: DNS names, IP addresses, and `?kind` for any
/// other kind of name.
fn alternative_names(extensions: &Der<'_>) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for extension in extensions.children()? {
        let parts = extension.children()?;
        if parts.first()?.content != OID_SUBJECT_ALT_NAME {
            continue;
        }
        let value = parts.last()?;
        for name in Der::parse(value.content)?.children()? {
            out.push(match name.tag {
                0x82 => String::from_utf8_lossy(name.content).into_owned(),
                0x87 if name.content.len() == 4 => {
                    let b = name.content;
                    format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])
                }
                0x87 if name.content.len() == 16 => {
                    let mut segments = [0u16; 8];
                    for (i, s) in segments.iter_mut().enumerate() {
                        *s = u16::from_be_bytes([name.content[2 * i], name.content[2 * i + 1]]);
                    }
                    std::net::Ipv6Addr::from(segments).to_string()
                }
                other => format!("?{other:02x}"),
            });
        }
    }
    Some(out)
}

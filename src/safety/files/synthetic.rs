//! Values in a dump's rows that cannot be about anyone.
//!
//! A column named for personal data says what a value *may* be; some values say themselves that they are no
//! one's: no value at all (empty, `NULL`, pg_dump's `\N`), and an email address at a domain that the DNS
//! reserves so that it names no real mailbox — `example.com`, `example.net`, `example.org` and their
//! subdomains (RFC 2606), and the top-level names `.test`, `.example`, `.invalid` and `.localhost` (RFC 2606,
//! RFC 6761). Mail sent there reaches no one, so such an address is invented by whoever wrote the row.
//!
//! Deliberately not here: domains that merely look made up (`test.com`, `something.com` are registered and
//! can hold real mailboxes), `.local` and `.internal` (an organisation's own mail domain can be one), and names
//! such as "Test User" (a guess about words, not a fact about the value).

/// Whether a field of a row (as written in SQL or a `COPY` line, lower case or not) is no one's: empty,
/// `NULL`/`\N`, or an email address at a reserved domain.
pub(crate) fn reaches_nobody(field: &[u8]) -> bool {
    let mut value = field.trim_ascii();
    // SQL literals: N'…', E'…', '…', "…".
    if let [b'n' | b'N' | b'e' | b'E', b'\'', ..] = value {
        value = &value[1..];
    }
    if value.len() >= 2
        && (value[0] == b'\'' || value[0] == b'"')
        && value[value.len() - 1] == value[0]
    {
        value = value[1..value.len() - 1].trim_ascii();
    }
    if value.is_empty() || value.eq_ignore_ascii_case(b"\\N") || value.eq_ignore_ascii_case(b"null")
    {
        return true;
    }
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    let well_formed = !local.is_empty()
        && !local.contains(['@', ' ', ','])
        && !domain.is_empty()
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    well_formed && is_reserved_domain(&domain.to_ascii_lowercase())
}

/// Whether raw bytes (a database page, a text) hold an email address that reaches someone: `local@domain.tld`
/// with a top-level label of letters, at a domain that is not reserved ([`reaches_nobody`]).
pub(crate) fn holds_mail_address(bytes: &[u8]) -> bool {
    let local_byte =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    let domain_byte = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-');
    bytes.iter().enumerate().any(|(at, b)| {
        if *b != b'@' {
            return false;
        }
        let start = bytes[..at]
            .iter()
            .rposition(|b| !local_byte(*b))
            .map_or(0, |i| i + 1);
        let end = bytes[at + 1..]
            .iter()
            .position(|b| !domain_byte(*b))
            .map_or(bytes.len(), |i| at + 1 + i);
        let domain = bytes[at + 1..end].trim_ascii_end();
        let domain = domain.strip_suffix(b".").unwrap_or(domain);
        let tld_ok = domain
            .rsplit(|b| *b == b'.')
            .next()
            .is_some_and(|t| t.len() >= 2 && t.iter().all(u8::is_ascii_alphabetic));
        start < at && domain.contains(&b'.') && tld_ok && !reaches_nobody(&bytes[start..end])
    })
}

/// Whether a (lower-case) mail domain is reserved so that it names no real mailbox.
fn is_reserved_domain(domain: &str) -> bool {
    let domain = domain.trim_end_matches('.');
    let under = |name: &str| domain == name || domain.ends_with(&format!(".{name}"));
    ["example.com", "example.net", "example.org"]
        .iter()
        .any(|name| under(name))
        || ["test", "example", "invalid", "localhost"]
            .iter()
            .any(|tld| under(tld))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mail_address_that_reaches_someone_is_found_among_any_bytes() {
        for with in [
            &b"\x00\x17\x03ann.lee@mail.gov-example.co.uk\x00"[..],
            b"contact: bob+x@corp.io.",
        ] {
            assert!(holds_mail_address(with), "{with:?}");
        }
        for without in [
            &b"\x00ann@example.com\x00dave@shop.test"[..],
            b"@Override public void x()",
            b"git@github:org/repo",
            b"user@localhost",
            b"a@b.c1",
            b"",
        ] {
            assert!(!holds_mail_address(without), "{without:?}");
        }
    }

    #[test]
    fn only_empty_values_and_addresses_at_reserved_domains_reach_nobody() {
        for nobody in [
            "",
            "\\N",
            "NULL",
            "''",
            "'random.email@example.com'",
            "N'ann@mail.example.org'",
            "bob@example.net",
            "carol@shop.test",
            "dave@localhost",
            "erin@x.invalid",
        ] {
            assert!(reaches_nobody(nobody.as_bytes()), "{nobody}");
        }
        for someone in [
            "'Random First Name'",
            "paul.young@something2.com",
            "e4dnuhvq@testsomething.com",
            "jane.doe@contoso.local",
            "ann@example.com.evil.net",
            "ann@notexample.com",
            "ann@example.com, bob@real.org",
            "07700 900123",
            "'SW1A 1AA'",
        ] {
            assert!(!reaches_nobody(someone.as_bytes()), "{someone}");
        }
    }
}

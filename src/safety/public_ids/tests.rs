use super::*;
use crate::safety::RuleSet;
use proptest::prelude::*;

/// Whether the gitleaks rules, with every filter (this module's included), still report a value holding
/// `needle` in `text` at `path`.
fn reported(path: &str, text: &str, needle: &str) -> bool {
    let rules = RuleSet::gitleaks().expect("rules");
    rules
        .find(path, "", text.as_bytes())
        .iter()
        .any(|m| text[m.start..m.end].contains(needle))
}

fn span(text: &str, value: &str) -> (usize, usize) {
    let start = text.find(value).expect("value in text");
    (start, start + value.len())
}

const KEY32: &str = "217c7d14dd2e4cfa8dc62924a1bbd237";

#[test]
fn a_sentry_dsn_key_and_an_ingest_url_key_are_public_but_a_dsn_secret_is_not() {
    let cases = [
        (
            format!("dsn: https://{KEY32}@o345774.ingest.sentry.io/4504177640275968"),
            KEY32,
            true,
        ),
        (
            format!("SENTRY_DSN=https://{KEY32}@sentry.example.org/12"),
            KEY32,
            true,
        ),
        (
            format!("report-uri https://o1.ingest.sentry.io/api/45/security/?sentry_key={KEY32}"),
            KEY32,
            true,
        ),
        (
            format!(
                "url: https://o1.ingest.sentry.io/api/45/security/?sentry_key=ab&amp;sentry_env={KEY32}"
            ),
            KEY32,
            false,
        ),
        // The old DSN's secret half, after the colon.
        (
            format!("dsn: https://0123abcd@sentry.io:{KEY32}@sentry.io/12"),
            KEY32,
            false,
        ),
        (
            format!("dsn: https://publickey:{KEY32}@sentry.io/12"),
            KEY32,
            false,
        ),
        // A user name of a URL that is not a DSN: a path that is not a project number, not a Sentry host.
        (
            format!("url: https://{KEY32}@api.example.com/v1/items"),
            KEY32,
            false,
        ),
    ];
    for (text, value, public) in cases {
        let (s, e) = span(&text, value);
        let (token, from) = token_around(text.as_bytes(), s, e);
        let _ = from;
        assert_eq!(sentry_public_key(token, value.as_bytes()), public, "{text}");
    }
}

#[test]
fn the_key_of_a_sentry_auth_header_is_public_and_its_secret_is_not() {
    let header = format!(
        "      X-Sentry-Auth:\n      - Sentry sentry_version=7, sentry_client=sentry-ruby/5.4.2, sentry_timestamp=1663945243,\n        sentry_key={KEY32}\n"
    );
    assert!(sentry_auth_header_key(
        header.as_bytes(),
        span(&header, KEY32).0
    ));
    let secret =
        format!("X-Sentry-Auth: Sentry sentry_version=5, sentry_key=abc, sentry_secret={KEY32}\n");
    assert!(!sentry_auth_header_key(
        secret.as_bytes(),
        span(&secret, KEY32).0
    ));
    let elsewhere = format!("sentry_key={KEY32}\n");
    assert!(!sentry_auth_header_key(
        elsewhere.as_bytes(),
        span(&elsewhere, KEY32).0
    ));
}

#[test]
fn the_tag_of_an_image_reference_is_public_and_a_lookalike_is_not() {
    let sha = "16bc712744851373e533d94ecf04724836be8247";
    let cases = [
        (
            format!("  image: quay.io/ukhomeofficedigital/hof-rds-api:{sha}\n"),
            true,
        ),
        (
            format!("    image: \"registry.local:5000/team/api:{sha}\"\n"),
            true,
        ),
        (format!("FROM org/base-api:{sha} AS build\n"), true),
        (
            format!("  image: quay.io/org/api:{sha}@sha256:abcd\n"),
            true,
        ),
        // No `/`: a key and a value, not a reference.
        (format!("  image_api:{sha}\n"), false),
        // The line does not say image.
        (format!("  upstream: quay.io/org/api:{sha}\n"), false),
        // Upper case is not a repository path.
        (format!("  image: quay.io/Org/API:{sha}\n"), false),
        // A key that names a credential.
        (
            format!("  image_pull_password: quay.io/org/api:{sha}\n"),
            false,
        ),
        // A URL's password is not a tag.
        (
            format!("  image_pull: https://user:{sha}@quay.io/org/api\n"),
            false,
        ),
    ];
    for (text, public) in cases {
        let (s, e) = span(&text, sha);
        let token = token_around(text.as_bytes(), s, e);
        assert_eq!(image_tag(text.as_bytes(), token, s, e), public, "{text}");
    }
}

#[test]
fn a_per_render_token_counts_only_in_an_html_page_and_never_under_a_secret_name() {
    let page = "<!DOCTYPE html>\n<html><head><script>jQuery.extend(Drupal.settings, {\"ajaxPageState\":{\"theme_token\":\"E7Q47k0j8bgrQfc7BPzw9VjDOU7Ku7pjoL9OOsEGa44\"}});</script>";
    assert!(per_render_token(page.as_bytes(), b"theme_token\":\""));
    assert!(per_render_token(
        page.as_bytes(),
        b"<meta name=\"csrf-token\" content=\""
    ));
    assert!(!per_render_token(page.as_bytes(), b"csrf_secret\":\""));
    assert!(!per_render_token(page.as_bytes(), b"api_token\":\""));
    let script =
        "const settings = {\"theme_token\":\"E7Q47k0j8bgrQfc7BPzw9VjDOU7Ku7pjoL9OOsEGa44\"};";
    assert!(!per_render_token(script.as_bytes(), b"theme_token\":\""));
    assert!(is_html_page(
        b"\xEF\xBB\xBF  <!-- saved from url=(0040)https://x.org/ -->\n<html lang=en>"
    ));
    assert!(!is_html_page(b"{{> header}}\n<html>"));
}

#[test]
fn only_the_id_fields_of_a_sonarlint_binding_are_public() {
    assert!(sonarlint_id(
        "App/.sonarlint/App.slconfig",
        b"\"ProfileKey\": \""
    ));
    assert!(sonarlint_id(
        ".sonarlint/connectedMode.json",
        b"\"projectKey\": \""
    ));
    assert!(!sonarlint_id(
        "App/.sonarlint/App.slconfig",
        b"\"Token\": \""
    ));
    assert!(!sonarlint_id("App/settings.json", b"\"ProfileKey\": \""));
    let link = b"https://sonarcloud.io/profiles/show?key=AXfS3z7t8dMx1YkRq2Wp";
    assert!(sonar_profile_link(link, b"AXfS3z7t8dMx1YkRq2Wp"));
    assert!(!sonar_profile_link(
        b"https://sonarcloud.io/api/user_tokens?key=AXfS3z7t8dMx1YkRq2Wp",
        b"AXfS3z7t8dMx1YkRq2Wp"
    ));
}

#[test]
fn the_held_out_findings_of_these_classes_are_dropped_by_the_rules() {
    // Shapes of h44 (Sentry CSP endpoint), h62 (image tag), h82 (a saved page's theme token), h55 (SonarLint
    // profile key): the whole rule set with every filter.
    let sentry = format!(
        "sentry:\n  cspReportEndpoint: https://o345774.ingest.sentry.io/api/4504177640275968/security/?sentry_key={KEY32}\n"
    );
    assert!(!reported("helm/values/production.yaml", &sentry, KEY32));
    let image = "spec:\n  containers:\n    - name: data\n      image: quay.io/ukhomeofficedigital/hof-rds-api:16bc712744851373e533d94ecf04724836be8247\n";
    assert!(!reported("kube/deployment.yml", image, "16bc7127"));
    let page = "<!DOCTYPE html>\n<html lang=\"en\">\n<script>jQuery.extend(Drupal.settings, {\"basePath\":\"\\/\",\"ajaxPageState\":{\"theme\":\"bootstrap_business\",\"theme_token\":\"E7Q47k0j8bgrQfc7BPzw9VjDOU7Ku7pjoL9OOsEGa44\"}});</script>\n</html>\n";
    assert!(!reported("licenses/mit_license.html", page, "E7Q47k0j"));
    let binding = "{\n  \"ServerUri\": \"https://sonarcloud.io/\",\n  \"Organization\": {\n    \"Key\": \"dfe-digital\"\n  },\n  \"ProjectKey\": \"DFE-Digital_prepare\",\n  \"Profiles\": {\n    \"CSharp\": {\n      \"ProfileKey\": \"AXfS3z7t8dMx1YkRq2Wp\",\n      \"ProfileTimestamp\": \"2021-05-01T00:00:00Z\"\n    }\n  }\n}\n";
    assert!(!reported(
        "App/.sonarlint/App.slconfig",
        binding,
        "AXfS3z7t"
    ));
    let ruleset = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<RuleSet Name=\"SonarQube - a2b Sonar way\" Description=\"This rule set was automatically generated from SonarQube https://sonarcloud.io/profiles/show?key=AXfS3z7t8dMx1YkRq2Wp\" ToolsVersion=\"14.0\">\n";
    assert!(!reported(
        "App/.sonarlint/a2b-csharp.ruleset",
        ruleset,
        "AXfS3z7t"
    ));
}

/// Made-up credentials of real shapes, assembled here so the file holds none.
fn real_shapes() -> Vec<(&'static str, String)> {
    vec![
        ("aws", ["AK", "IA", "Q7ZP3XKW2M5RT4VN"].concat()),
        (
            "github",
            ["gh", "p_", "R4nd0mT0k3nV4lu3xYz9Qw8Er7Ty6Ui5Op4As3D"].concat(),
        ),
        (
            "random",
            ["q8Xv2L", "m9TzR4", "kW7pN3", "bY6hJ1", "dF5sG0", "cV8nQ2"].concat(),
        ),
    ]
}

proptest! {
    /// A real credential under a secret name is reported whatever of these classes surrounds it: in an HTML
    /// page, beside a Sentry DSN and an image reference, in a SonarLint binding's folder.
    #[test]
    fn a_real_credential_is_reported_whatever_public_ids_surround_it(
        which in 0usize..3,
        name in prop_oneof![Just("SECRET_KEY"), Just("api_key"), Just("client_secret"), Just("auth_token")],
        path in prop_oneof![
            Just("page.html"), Just("App/.sonarlint/App.slconfig"), Just("kube/deployment.yml"), Just("config.py")
        ],
        html in any::<bool>(),
        before in prop::collection::vec(prop_oneof![
            Just(format!("dsn: https://{KEY32}@o1.ingest.sentry.io/42")),
            Just("image: quay.io/org/api:16bc712744851373e533d94ecf04724836be8247".to_owned()),
            Just("<meta name=\"csrf-token\" content=\"x\">".to_owned()),
            "[a-z ]{0,30}",
        ], 0..4),
    ) {
        let (_, secret) = &real_shapes()[which];
        let head = if html { "<!DOCTYPE html>\n<html>\n" } else { "" };
        let text = format!("{head}{}\n{name} = \"{secret}\"\n{}\n", before.join("\n"), before.join("\n"));
        prop_assert!(reported(path, &text, secret), "{}", text);
    }
}

#[test]
fn an_application_insights_instrumentation_key_is_public_and_other_values_under_it_are_not() {
    let key = ["0d1f7c52", "-e50d-4444-ab56-", "6c151cad789d"].concat();
    for text in [
        format!(
            "var options = new Options {{ ConnectionString = \"InstrumentationKey={key};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/\" }};\n"
        ),
        format!(
            "{{\n  \"ApplicationInsights\": {{\n    \"InstrumentationKey\": \"{key}\"\n  }}\n}}\n"
        ),
        format!("APPINSIGHTS_INSTRUMENTATIONKEY={key}\n"),
    ] {
        assert!(!reported("appsettings.json", &text, &key), "{text}");
    }
    // Not a UUID: a random secret under the same name is reported; a UUID under another key name too.
    let random = ["q8Xv2Lm9TzR4", "kW7pN3bY6hJ1"].concat();
    assert!(reported(
        "appsettings.json",
        &format!("{{ \"InstrumentationKey\": \"{random}\" }}\n"),
        &random
    ));
    assert!(reported(
        "appsettings.json",
        &format!("{{ \"SigningKey\": \"{key}\" }}\n"),
        &key
    ));
}

// ---- The public half of a key, told by decoding it ----

use crate::safety::keys::tests::fixtures as key_fixtures;

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// An SSH wire-format blob of these fields (each a length-prefixed string).
fn ssh_blob(fields: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in fields {
        out.extend_from_slice(&(f.len() as u32).to_be_bytes());
        out.extend_from_slice(f);
    }
    out
}

/// An `ssh-rsa` public key blob with this modulus (a leading zero byte keeps it positive, as OpenSSH writes it).
fn ssh_rsa(modulus: &[u8]) -> Vec<u8> {
    let mut n = vec![0u8];
    n.extend_from_slice(modulus);
    ssh_blob(&[b"ssh-rsa", &[1, 0, 1], &n])
}

/// A DER element of `tag` around `content`.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend_from_slice(&[0x81, len as u8]);
    } else {
        out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}

/// An RSA SubjectPublicKeyInfo with this modulus.
fn rsa_spki(modulus: &[u8]) -> Vec<u8> {
    let mut n = vec![0u8];
    n.extend_from_slice(modulus);
    let rsa = der(0x30, &[der(0x02, &n), der(0x02, &[1, 0, 1])].concat());
    let algorithm = der(
        0x30,
        &[
            der(
                0x06,
                &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
            ),
            vec![0x05, 0x00],
        ]
        .concat(),
    );
    let bits = der(0x03, &[&[0u8][..], &rsa].concat());
    der(0x30, &[algorithm, bits].concat())
}

/// `n` bytes from a fixed xorshift generator: a modulus with no runs, as a real one has none.
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn one_line(body: &str) -> String {
    body.split_whitespace().collect()
}

#[test]
fn openssh_public_keys_are_public_wherever_they_are_filed() {
    let rsa = b64(&ssh_rsa(&noise(256, 7)));
    let ed = key_fixtures::OPENSSH_ED25519_PUBLIC;
    let point: Vec<u8> = std::iter::once(4u8).chain(noise(64, 11)).collect();
    let ecdsa = b64(&ssh_blob(&[b"ecdsa-sha2-nistp256", b"nistp256", &point]));
    for (path, text, value) in [
        (
            "modules/users/manifests/people.pp",
            format!("  govuk::user {{ 'someone':\n    ssh_key  => '{rsa}',\n  }}\n"),
            rsa.clone(),
        ),
        (
            "extdata/common.csv",
            format!("deploy_key,\"{rsa}\"\n"),
            rsa.clone(),
        ),
        (
            "config/users.yml",
            format!(
                "- name: someone\n  key: \"ssh-ed25519 {ed} someone@laptop\"\n  ed_key: {ed}\n"
            ),
            ed.to_owned(),
        ),
        (
            "files/known_hosts",
            format!("github.example,192.0.2.1 ecdsa-sha2-nistp256 {ecdsa}\n"),
            ecdsa.clone(),
        ),
        (
            "deploy/authorized_keys.tf",
            format!("public_key = \"ssh-rsa {rsa} ops@example\"\n"),
            rsa.clone(),
        ),
    ] {
        assert!(!reported(path, &text, &value[..20]), "{path}: {text}");
    }
}

#[test]
fn spki_and_pkcs1_public_keys_are_public_bare_or_in_a_pem_block() {
    let spki = one_line(key_fixtures::RSA_SPKI);
    let pkcs1 = one_line(key_fixtures::RSA_PKCS1_PUBLIC);
    for (path, text) in [
        (
            "tests/unit/test_app.py",
            format!(
                "    secret = \"secret\"\n    key ='{spki}'\n    result = encrypt(secret, key)\n"
            ),
        ),
        (
            "config/keys.json",
            format!("{{ \"signingKey\": \"{pkcs1}\" }}\n"),
        ),
        (
            "config/jwt.yml",
            format!(
                "jwt_key: |\n{}",
                key_fixtures::pem("PUBLIC KEY", &spki)
                    .lines()
                    .map(|l| format!("  {l}\n"))
                    .collect::<String>()
            ),
        ),
    ] {
        assert!(
            !reported(path, &text, &spki[..40]) && !reported(path, &text, &pkcs1[..40]),
            "{text}"
        );
    }
}

#[test]
fn a_key_type_written_before_the_base64_must_be_the_decoded_one_and_nothing_may_follow_the_key() {
    let rsa = ssh_rsa(&noise(256, 3));
    let text = format!("key: ssh-rsa {}\n", b64(&rsa));
    let start = text.find("AAAA").expect("base64");
    assert!(public_keys::is_public_key(
        text.as_bytes(),
        start..text.len() - 1
    ));
    let text = format!("key: ssh-ed25519 {}\n", b64(&rsa));
    assert!(!public_keys::is_public_key(
        text.as_bytes(),
        start + 4..text.len() - 1
    ));
    // Bytes after the key's last field: not a public key blob.
    let mut longer = rsa.clone();
    longer.extend_from_slice(b"0123456789abcdef");
    let text = format!("key: {}\n", b64(&longer));
    assert!(!public_keys::is_public_key(
        text.as_bytes(),
        5..text.len() - 1
    ));
    let mut longer = rsa_spki(&noise(128, 5));
    longer.push(0);
    let text = format!("key: {}\n", b64(&longer));
    assert!(!public_keys::is_public_key(
        text.as_bytes(),
        5..text.len() - 1
    ));
}

#[test]
fn private_keys_are_never_taken_for_public_ones() {
    let openssh = one_line(key_fixtures::OPENSSH_ED25519_PRIVATE);
    let pkcs8 = one_line(key_fixtures::RSA_PKCS8);
    let pkcs1 = one_line(key_fixtures::RSA_PKCS1);
    let sec1 = one_line(key_fixtures::EC_SEC1);
    for private in [&openssh, &pkcs8, &pkcs1, &sec1] {
        for text in [
            format!("ssh_key => '{private}'\n"),
            format!("key = \"{private}\"\n"),
            format!("public_key: ssh-ed25519 {private}\n"),
        ] {
            let start = text.find(&private[..20]).expect("value");
            assert!(
                !public_keys::is_public_key(text.as_bytes(), start..start + private.len()),
                "{text}"
            );
        }
        // As a PEM private key block, whatever the rules' other filters make of the bare base64.
        let label = if private == &openssh {
            "OPENSSH PRIVATE KEY"
        } else {
            "PRIVATE KEY"
        };
        let block = key_fixtures::pem(label, private);
        assert!(reported(
            "config/keys.txt",
            &format!("ssh_key: |\n{block}"),
            "-----BEGIN"
        ));
        // Under a PEM label that says PUBLIC: the body decodes to a private key, so it is not one.
        let block = key_fixtures::pem("PUBLIC KEY", private);
        let line = block.lines().nth(1).expect("a body line");
        let start = block.find(line).expect("line");
        assert!(!public_keys::is_public_key(
            block.as_bytes(),
            start..start + line.len()
        ));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any RSA modulus, as an OpenSSH key or an SPKI: public; the same bytes as random base64 under the same
    /// name, or a public key with bytes after it: still reported.
    #[test]
    fn public_keys_pass_by_their_structure_and_random_base64_is_still_reported(
        seed in any::<u64>(),
        len in 128usize..300,
        tail in proptest::collection::vec(any::<u8>(), 1..8),
        name in prop_oneof![Just("ssh_key"), Just("key"), Just("secret"), Just("api_key")],
    ) {
        let modulus = noise(len, seed);
        let ssh = b64(&ssh_rsa(&modulus));
        let spki = b64(&rsa_spki(&modulus));
        for public in [&ssh, &spki] {
            let text = format!("{name} = \"{public}\"\n");
            prop_assert!(!reported("config/app.conf", &text, &public[..20]), "{}", text);
        }
        let random = b64(&modulus);
        // Every filter of keepopen's passes it (gitleaks' own stopwords, proven apart, are left out: a long
        // random string holds one of their words by chance).
        if random.as_bytes()[0].is_ascii_alphanumeric() {
            let text = format!("{name} = \"{random}\"\n");
            let rules = RuleSet::gitleaks().expect("rules");
            let found = rules.find_inner("config/app.conf", "", text.as_bytes(), false);
            prop_assert!(found.iter().any(|m| text[m.start..m.end].contains(&random[..20])), "{}", text);
        }
        let mut ssh_longer = ssh_rsa(&modulus);
        ssh_longer.extend_from_slice(&tail);
        let longer = b64(&ssh_longer);
        for value in [&random, &longer] {
            let text = format!("{name} = \"{value}\"\n");
            let start = text.find(value.as_str()).expect("value");
            prop_assert!(!public_keys::is_public_key(text.as_bytes(), start..start + value.len()));
        }
    }
}

// ---- OpenPGP fingerprints and key ids ----

#[test]
fn openpgp_fingerprints_in_a_package_source_or_under_a_gpg_name_are_public_and_secrets_beside_them_are_not()
 {
    let fpr = ["3803E444EB02", "35822AA36A66", "EC5FE1A937E3", "ACBB"].concat();
    let long_id = &fpr[24..];
    for (path, text) in [
        (
            "modules/govuk/manifests/ppa.pp",
            format!(
                "  apt::source {{ 'govuk-ppa':\n    location     => \"http://mirror/govuk/ppa/trusty\",\n    release      => 'trusty',\n    key          => '{fpr}',\n  }}\n"
            ),
        ),
        (
            "modules/node/manifests/mirror.pp",
            format!(
                "  aptly::mirror {{\n    'elastic':\n      location => 'http://packages.elastic.co/elasticsearch/1.5/debian',\n      release  => 'stable',\n      key      => '{fpr}';\n  }}\n"
            ),
        ),
        (
            "files/offsite-backup",
            format!("APPNAME=$(basename $0)\n\nGPG_KEY='{fpr}'\n"),
        ),
        (
            "hieradata/common.yaml",
            format!("backup::private_gpg_key_fingerprint: '{fpr}'\n"),
        ),
        (
            "scripts/install.sh",
            format!("apt-key adv --keyserver keyserver.ubuntu.com\nKEY_ID={long_id}\n"),
        ),
    ] {
        // The long key id is the fingerprint's last 16 digits: a finding of either holds it.
        assert!(!reported(path, &text, long_id), "{text}");
    }
    // Not an OpenPGP context, a secret's name, or not a fingerprint's shape: judged as it stands.
    let secret40 = ["7c1e9b3f7a2d8e64", "5f3a91c2e8d4b6a0", "9e1d2c3b"].concat();
    for (path, text) in [
        (
            "config/app.yml",
            format!("service:\n  url: https://api.example.org\n  key: '{secret40}'\n"),
        ),
        (
            "modules/mirror.pp",
            format!(
                "  apt::source {{ 'private':\n    location => 'https://packages.example.org/debian',\n    auth_token => '{secret40}',\n  }}\n"
            ),
        ),
        ("files/backup", format!("GPG_PASSPHRASE_KEY='{secret40}'\n")),
        (
            "modules/mirror2.pp",
            format!(
                "  apt::source {{ 'x':\n    location => 'https://packages.example.org/debian',\n    key => '{}x',\n  }}\n",
                &secret40[..38]
            ),
        ),
    ] {
        assert!(reported(path, &text, &secret40[..16]), "{text}");
    }
}

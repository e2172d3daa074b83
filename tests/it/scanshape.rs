//! Values whose own structure says they are no secret, wherever they sit (issue 22): the public half of a key
//! (decoded), a private key's BEGIN line with no body under it, a component compiler's element keys in a render
//! call, an expression of code, a conda package pin. Each on a real git repository built with git2 and scanned
//! for real, beside real secrets of the same shapes that must still be found. Every made-up secret and key is
//! assembled at run time or kept as a bare body in `key_fixtures`, so this file holds none.

use base64::Engine;

use crate::fixture::RepoFixture;
use crate::key_fixtures::{self, pem};
use crate::support::scan::{aws_key, rule_paths, scan};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| (self.next() >> 32) as u8).collect()
    }

    fn hex(&mut self, n: usize) -> String {
        hex::encode(self.bytes(n / 2))
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// An `ssh-rsa` public key blob, in base64, with a modulus from `rng`.
fn ssh_rsa(rng: &mut Rng) -> String {
    let mut blob = Vec::new();
    let mut modulus = vec![0u8];
    modulus.extend(rng.bytes(256));
    for field in [b"ssh-rsa".to_vec(), vec![1, 0, 1], modulus] {
        blob.extend_from_slice(&(field.len() as u32).to_be_bytes());
        blob.extend_from_slice(&field);
    }
    b64(&blob)
}

fn one_line(body: &str) -> String {
    body.split_whitespace().collect()
}

fn paths(report: &keepopen::safety::SafetyReport) -> Vec<String> {
    rule_paths(report)
        .into_iter()
        .map(|(r, p)| format!("{r} {p}"))
        .collect()
}

#[test]
fn public_keys_and_bodiless_begin_lines_are_not_findings_and_the_real_keys_beside_them_are() {
    let mut rng = Rng(22);
    let users: String = (0..4)
        .map(|i| {
            format!(
                "  govuk::user {{ 'user{i}':\n    fullname => 'User {i}',\n    ssh_key  => '{}',\n  }}\n",
                ssh_rsa(&mut rng)
            )
        })
        .collect();
    let known_hosts = format!("git.example.org,192.0.2.10 ssh-rsa {}\n", ssh_rsa(&mut rng));
    let deploy_keys = format!(
        "deploy_key,\"{}\"\njenkins_key,\"{}\"\n",
        ssh_rsa(&mut rng),
        ssh_rsa(&mut rng)
    );
    let spki = one_line(key_fixtures::RSA_SPKI);
    let test_py = format!(
        "def test_encryption_returns_string():\n    secret = \"secret\"\n    key ='{spki}'\n    assert encrypt(secret, key) != secret\n"
    );
    // A credentials file whose keys were cleansed to their BEGIN line, then one real key further down.
    let real_key = pem("RSA PRIVATE KEY", &one_line(key_fixtures::RSA_PKCS1));
    let filler: String = (0..5)
        .map(|i| format!("mysql_{i},\"REDACTED\"\n"))
        .collect();
    let credentials = format!(
        "backup_key_private,\"-----BEGIN RSA {}-----\"\n{filler}other_key_private,\"{real_key}\"\n",
        "PRIVATE KEY"
    );
    let hunter = format!(
        "cdnlogs::server_key: |\n  -----BEGIN RSA {pk}-----\n  hunter2\n  -----END RSA {pk}-----\n{filler}",
        pk = "PRIVATE KEY"
    );
    let fx = RepoFixture::one_commit(&[
        ("modules/users/manifests/people.pp", users),
        ("modules/ssh/files/known_hosts", known_hosts),
        ("extdata/common.csv", deploy_keys),
        ("tests/unit/test_app.py", test_py),
        (
            "config/keys.json",
            format!(
                "{{ \"signingKey\": \"{}\" }}\n",
                one_line(key_fixtures::RSA_PKCS1_PUBLIC)
            ),
        ),
        ("extdata/credentials.csv", credentials),
        ("hieradata/vagrant_credentials.yaml", hunter),
        (
            "scripts/backup.sh",
            format!("export AWS_ACCESS_KEY_ID={}\n", aws_key()),
        ),
    ]);
    assert_eq!(
        paths(&scan(&fx)),
        [
            "aws-access-token scripts/backup.sh",
            "private-key extdata/credentials.csv"
        ]
    );
}

#[test]
fn a_private_key_filed_as_a_public_key_is_still_found() {
    let openssh = one_line(key_fixtures::OPENSSH_ED25519_PRIVATE);
    let pkcs8 = one_line(key_fixtures::RSA_PKCS8);
    let fx = RepoFixture::one_commit(&[
        ("keys/deploy.pub", pem("OPENSSH PRIVATE KEY", &openssh)),
        ("config/public.pem", pem("PRIVATE KEY", &pkcs8)),
        (
            "config/users.yml",
            format!(
                "public_key: ssh-ed25519 {}\n",
                key_fixtures::OPENSSH_ED25519_PUBLIC
            ),
        ),
    ]);
    let found = paths(&scan(&fx));
    assert!(
        found.contains(&"private-key keys/deploy.pub".to_owned()),
        "{found:?}"
    );
    assert!(
        found.contains(&"private-key config/public.pem".to_owned()),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|f| f.ends_with("config/users.yml")),
        "{found:?}"
    );
}

#[test]
fn a_compilers_element_keys_in_render_calls_are_not_findings_and_a_key_property_elsewhere_is() {
    let mut rng = Rng(7);
    let mut bundle =
        String::from("import{h as e,H as t}from\"./index.js\";const o=class{render(){return ");
    for tag in ["\"div\"", "t", "\"calcite-icon\"", "i.FK", "\"slot\""] {
        bundle.push_str(&format!(
            "(0,i.h)({tag},{{key:\"{}\",class:\"container\"}},",
            rng.hex(40)
        ));
    }
    bundle.push_str("null)))))}};export{o as calcite_action_bar};\n");
    // The same shapes, not a render tree: a lone call to a service, a URL's call, an object of settings.
    let lone = format!("client(\"users\",{{key:\"{}\"}});\n", rng.hex(40));
    let url = format!(
        "fetch(\"https://api.example.org/v1\",{{key:\"{}\"}});\nfetch(\"https://api.example.org/v2\",{{key:\"{}\"}});\n",
        rng.hex(40),
        rng.hex(40)
    );
    let settings = format!(
        "export const settings = {{key:\"{}\", region: \"eu\"}};\n",
        rng.hex(40)
    );
    let fx = RepoFixture::one_commit(&[
        ("plugin/js/components-calcite-action-bar.js", bundle),
        ("src/lone.js", lone),
        ("src/url.js", url),
        ("src/settings.js", settings),
    ]);
    assert_eq!(
        paths(&scan(&fx)),
        [
            "generic-api-key src/lone.js",
            "generic-api-key src/settings.js",
            "generic-api-key src/url.js",
            "generic-api-key src/url.js"
        ]
    );
}

#[test]
fn an_expression_of_code_and_a_conda_pin_are_not_findings_and_unquoted_secrets_in_data_are() {
    let code = "const formatted = neo4jResults => {\n  const keys = neo4jResults.columns2;\n  return keys;\n};\n";
    let python = "class Client:\n    def auth(self):\n        token = self.session.token2\n        return token\n";
    let environment = "name: mobility\nchannels:\n  - defaults\ndependencies:\n  - asttokens=2.0.5=pyhd3eb1b0_0\n  - keyring=23.4.0=py39haa95532_0\n  - python=3.9.16=h6244533_2\n";
    let mut rng = Rng(3);
    // Unquoted and shaped as an identifier path; one each, since one value is one finding however many places.
    let mut secret = || format!("q{}.z{}", rng.hex(16), rng.hex(16));
    let fx = RepoFixture::one_commit(&[
        ("js/neo4j.js", code.to_owned()),
        ("client/api.py", python.to_owned()),
        ("environment.yml", environment.to_owned()),
        // The same unquoted shape in data, and in a source file's comment: a secret.
        (
            "config/app.properties",
            format!("api.token = {}\n", secret()),
        ),
        (
            "src/main.js",
            format!("// token = {}\nstart();\n", secret()),
        ),
        (
            "src/main.py",
            format!(
                "def f():\n    \"\"\"Call with\n    token = {}\n    \"\"\"\n",
                secret()
            ),
        ),
        ("deploy.sh", format!("export API_TOKEN={}\n", secret())),
    ]);
    assert_eq!(
        paths(&scan(&fx)),
        [
            "generic-api-key config/app.properties",
            "generic-api-key deploy.sh",
            "generic-api-key src/main.js",
            "generic-api-key src/main.py"
        ]
    );
}

//! Where a value sits decides whether it is a secret (issue 22, precision on real UK public-sector histories):
//! a fallback default that the environment overrides in the same expression, a value the file's own comment
//! documents as local-only, a usage example in a vendored library's documentation comment, a value its name
//! calls a stand-in. Each class is a real git repository built with git2 and scanned by the real scan, and each
//! has its production shape beside it — the same value where nothing says it is local — which must stay a
//! finding. Every made-up secret is assembled at run time so this file holds none.

use keepopen::safety::SafetyReport;

use crate::fixture::RepoFixture;
use crate::support::scan::{jwt, rule_path_lines, scan_under_default_policy};

/// The scan of a repository of one commit holding `files`, as `keepopen scan` makes it under the default
/// policy (a local test credential is listed apart, not blocking).
fn scan(files: &[(&str, String)]) -> SafetyReport {
    scan_under_default_policy(&RepoFixture::one_commit(files))
}

/// A made-up 32-character secret of high entropy, with digits.
fn secret() -> String {
    ["ChGo", "vUk-XQ7b", "f3sLj2ab", "FxIY2Tl", "apsJ"].concat()
}

// ---- a fallback default the environment overrides in the same expression ----

#[test]
fn a_fallback_default_read_from_the_environment_in_the_same_expression_is_not_a_finding() {
    let s = secret();
    let files = [
        (
            "src/utils/properties.ts",
            format!(
                "export const COOKIE_DOMAIN = getEnvironmentValue(\"COOKIE_DOMAIN\", \"chs.local\");\n\
                 export const COOKIE_SECRET = getEnvironmentValue(\"COOKIE_SECRET\", \"{s}\");\n"
            ),
        ),
        (
            "app/main.go",
            format!("\tsessionKey   = env.Get(\"SESSION_KEY\", \"{s}X\")\n"),
        ),
        (
            "app/common/Session.scala",
            format!(
                "  val sessionSecretKeySuffixKey: String = getProperty(\"sessionSecretKeySuffixKey\", \"{s}Y\")\n"
            ),
        ),
        (
            "server/index.js",
            format!("const sessionSecret = process.env.SESSION_SECRET || '{s}Z';\n"),
        ),
        (
            "docker-compose.yml",
            format!(
                "services:\n  web:\n    environment:\n      SECRET_KEY: ${{SECRET_KEY:-{s}W}}\n"
            ),
        ),
    ];
    let report = scan(&files);
    assert_eq!(
        rule_path_lines(&report),
        vec![],
        "every value is a default the environment overrides"
    );
}

#[test]
fn the_same_value_with_no_environment_lookup_or_from_a_vendor_shaped_rule_is_still_a_finding() {
    let s = secret();
    let files = [
        // The value itself, assigned: nothing overrides it.
        (
            "src/utils/properties.ts",
            format!("export const COOKIE_SECRET = \"{s}\";\n"),
        ),
        // Go: the value assigned, the environment never read.
        ("app/main.go", format!("\tsessionKey := \"{s}X\"\n")),
        // The environment read on another line does not make this line's value a default.
        (
            "server/index.js",
            format!("const fromEnv = process.env.SESSION_SECRET;\nconst sessionSecret = '{s}Z';\n"),
        ),
    ];
    let report = scan(&files);
    assert_eq!(
        rule_path_lines(&report),
        vec![
            ("generic-api-key".into(), "app/main.go".into(), Some(1)),
            ("generic-api-key".into(), "server/index.js".into(), Some(2)),
            (
                "generic-api-key".into(),
                "src/utils/properties.ts".into(),
                Some(1)
            ),
        ]
    );
    // A token whose shape names its service (here GitHub's) is that service's credential wherever it sits.
    let github = ["gh", "p_", "Q7ZP3XKW2M5RT4VNq8Xv2Lm9TzR4kW7pN3bY"].concat();
    let report = scan(&[(
        "src/utils/properties.ts",
        format!("export const TOKEN = getEnvironmentValue(\"GITHUB_TOKEN\", \"{github}\");\n"),
    )]);
    assert_eq!(
        rule_path_lines(&report),
        vec![(
            "github-pat".into(),
            "src/utils/properties.ts".into(),
            Some(1)
        )]
    );
}

// ---- a value the file's own comment documents as local-only ----

#[test]
fn a_value_its_own_comment_documents_as_local_only_is_not_a_finding() {
    let s = secret();
    let conf = format!(
        "appName=\"manage-pensions-frontend\"\n\
         \n\
         # Secret key\n\
         # ~~~~~\n\
         # Not set here so that MDTP frontends share the same secret key in the local environment\n\
         # (see common.conf in frontend-bootstrap).\n\
         # In server environments the secret comes from app-config-common\n\
         # play.crypto.secret=\"{s}\"\n\
         \n\
         # this key is for local development only!\n\
         sso.encryption.key=\"{s}Q\"\n\
         \n\
         feedback.url = \"https://www.gov.uk/done\"\n"
    );
    let report = scan(&[("conf/application.conf", conf)]);
    assert_eq!(rule_path_lines(&report), vec![]);
}

#[test]
fn the_same_value_without_a_local_only_comment_is_still_a_finding() {
    let s = secret();
    // A comment that says nothing about local use, and one that is not next to the value.
    let conf = format!(
        "# this key is for local development only!\n\
         other.key=\"not-a-secret\"\n\
         \n\
         # Secret key, shared by every instance\n\
         play.crypto.secret=\"{s}\"\n\
         # the local copy lives in the vault\n\
         \n\
         sso.encryption.key=\"{s}Q\"\n"
    );
    let report = scan(&[("conf/application.conf", conf)]);
    assert_eq!(
        rule_path_lines(&report),
        vec![
            (
                "generic-api-key".into(),
                "conf/application.conf".into(),
                Some(5)
            ),
            (
                "generic-api-key".into(),
                "conf/application.conf".into(),
                Some(8)
            ),
        ]
    );
}

// ---- a usage example in a vendored library's documentation comment ----

#[test]
fn a_usage_example_in_a_vendored_librarys_doc_comment_is_not_a_finding() {
    let key = ["ec2de397", "-11ae-4c10", "-937f-bf94283a70c1"].concat();
    let js = format!(
        "webfont.UserAgent.prototype['getPlatform'] = webfont.UserAgent.prototype.getPlatform;\n\
         \n\
         /**\n\
         *\n\
         * WebFont.load({{\n\
         *   ascender: {{\n\
         *     key:'{key}',\n\
         *     families:['AyitaPro:regular,bold']\n\
         *   }}\n\
         * }});\n\
         *\n\
         * @constructor\n\
         */\n\
         webfont.AscenderScript = function(domHelper, configuration) {{}};\n"
    );
    let report = scan(&[(
        "apps/govuk_template/static/javascripts/vendor/goog/webfont-debug.js",
        js,
    )]);
    assert_eq!(rule_path_lines(&report), vec![]);
}

#[test]
fn the_same_example_in_the_projects_own_code_or_outside_the_comment_is_still_a_finding() {
    let key = ["ec2de397", "-11ae-4c10", "-937f-bf94283a70c1"].concat();
    let doc =
        format!("/**\n * WebFont.load({{ ascender: {{\n *     key:'{key}',\n * }} }});\n */\n");
    let code =
        format!("/* the font loader */\nWebFont.load({{ ascender: {{\n    key:'{key}',\n}} }});\n");
    let report = scan(&[
        ("app/javascripts/fonts.js", doc),
        ("static/javascripts/vendor/goog/fonts-setup.js", code),
    ]);
    assert_eq!(
        rule_path_lines(&report),
        vec![(
            "generic-api-key".into(),
            "app/javascripts/fonts.js".into(),
            Some(3)
        ),],
        "one value, one finding, listing both places"
    );
    assert_eq!(
        report.findings[0].places.len(),
        2,
        "{:?}",
        report.findings[0].places
    );
}

// ---- a value its name calls a stand-in ----

#[test]
fn a_value_its_name_calls_a_mock_is_not_a_finding_but_the_same_value_as_a_token_is() {
    let s = secret();
    let mock = format!("export const mockNewAccessToken = \"{s}\";\n");
    let real = format!("export const newAccessToken = \"{s}\";\n");
    assert_eq!(
        rule_path_lines(&scan(&[("src/common/__utils/sessionSetup.ts", mock)])),
        vec![]
    );
    assert_eq!(
        rule_path_lines(&scan(&[("src/common/__utils/sessionSetup.ts", real)])),
        vec![(
            "generic-api-key".into(),
            "src/common/__utils/sessionSetup.ts".into(),
            Some(1)
        )]
    );
}

// ---- tokens: a local issuer, a lifetime no issuer gives ----

/// An RS256-shaped token with `claims` and a 256-byte signature (made up, deterministic).
fn rs256(claims: &str) -> String {
    let signature: Vec<u8> = (0..256u32).map(|i| (i * 151 + 17) as u8).collect();
    jwt(
        br#"{"alg":"RS256","kid":"8a3b58ca-96e7-4aa4-9f07-4400aaed1471"}"#,
        claims.as_bytes(),
        &signature,
    )
}

fn readme_using(token: &str, host: &str) -> String {
    format!(
        "Query the index:\n\n```python\nbasicDf = spark.read.format('stroom.spark.datasource.StroomDataSource').\\\n    \
         load(token='{token}', \\\n    host='{host}', \\\n    protocol='http',uri='api/stroom-index/v2')\n```\n"
    )
}

#[test]
fn a_token_a_local_server_issued_in_a_file_naming_local_endpoints_only_is_not_a_finding() {
    let token = rs256(
        r#"{"exp":1641316283,"sub":"admin","iss":"stroom","aud":"NXCmrrLjPGeA1Sx5cDfAz9Ev87Wi3nptTo6Rw5fL.client-id.apps.stroom"}"#,
    );
    let report = scan(&[("README.md", readme_using(&token, "localhost:8080"))]);
    assert_eq!(rule_path_lines(&report), vec![]);
    let token = rs256(r#"{"exp":1641316283,"sub":"admin","iss":"http://localhost:8080/auth"}"#);
    let report = scan(&[("README.md", readme_using(&token, "localhost:8080"))]);
    assert_eq!(rule_path_lines(&report), vec![]);
}

#[test]
fn a_token_from_a_real_issuer_or_used_against_a_real_host_is_still_a_finding() {
    let real = rs256(r#"{"exp":1641316283,"sub":"admin","iss":"https://auth.stroom-prod.co.uk"}"#);
    let report = scan(&[("README.md", readme_using(&real, "localhost:8080"))]);
    assert_eq!(
        rule_path_lines(&report),
        vec![("jwt".into(), "README.md".into(), Some(5))]
    );
    let local = rs256(r#"{"exp":1641316283,"sub":"admin","iss":"stroom"}"#);
    let report = scan(&[(
        "README.md",
        readme_using(&local, "https://stroom.data-platform.co.uk"),
    )]);
    assert_eq!(
        rule_path_lines(&report),
        vec![("jwt".into(), "README.md".into(), Some(5))]
    );
    let no_issuer =
        rs256(r#"{"exp":1641316283,"user_name":"PBELL","client_id":"elite2apiclient"}"#);
    let report = scan(&[("README.md", readme_using(&no_issuer, "localhost:8080"))]);
    assert_eq!(
        rule_path_lines(&report),
        vec![("jwt".into(), "README.md".into(), Some(5))]
    );
}

/// Where a WireMock stub keeps the body of the token response it serves.
const TOKEN_BODY: &str = "src/test/resources/__files/oauth/hmpps-auth-token-body.json";

/// The scan of a WireMock stub's token response serving an RS256 token the HMPPS sign-in issuer signed,
/// issued at 1663757311 and expiring at `exp` (seconds since 1970).
fn scan_stubbed_token_expiring_at(exp: u64) -> SafetyReport {
    let token = rs256(&format!(
        r#"{{"sub":"probation-integration-dev","iss":"https://sign-in-dev.hmpps.service.justice.gov.uk/auth/issuer","exp":{exp},"iat":1663757311,"client_id":"probation-integration-dev"}}"#
    ));
    let body = format!(
        "{{\n  \"access_token\": \"{token}\",\n  \"token_type\": \"bearer\",\n  \"expires_in\": 9999999999\n}}\n"
    );
    scan(&[(TOKEN_BODY, body)])
}

#[test]
fn a_test_token_whose_claims_outlive_a_century_was_minted_by_the_test_and_does_not_block() {
    let report = scan_stubbed_token_expiring_at(9_999_999_999);
    assert_eq!(rule_path_lines(&report), vec![]);
    assert_eq!(report.allowed.len(), 1, "listed as a local test credential");
}

#[test]
fn a_server_issued_token_with_an_ordinary_lifetime_stays_a_finding_in_a_test() {
    let report = scan_stubbed_token_expiring_at(1_663_760_911);
    assert_eq!(
        rule_path_lines(&report),
        vec![("jwt".into(), TOKEN_BODY.into(), Some(2))]
    );
}

#[test]
fn a_named_default_passed_as_a_lookups_fallback_is_not_a_finding_but_one_used_as_a_key_is() {
    let guid = ["FE291934", "-66BD-4500", "-B27F-517C7D77F26B"].concat();
    let scala = |use_line: &str| {
        format!(
            "object EncryptedClientSideSessionFactory {{\n  \
             private final val SessionSecretKeySuffixKey = \"sessionSecretKeySuffixKey\"\n  \
             private final val SessionSecretKeySuffixDefaultValue = \"{guid}\"\n}}\n\n\
             class Factory {{\n  {use_line}\n}}\n"
        )
    };
    let path = "app/common/EncryptedClientSideSessionFactory.scala";
    let fallback = scala(
        "val suffix: String = getProperty(SessionSecretKeySuffixKey, SessionSecretKeySuffixDefaultValue)",
    );
    assert_eq!(rule_path_lines(&scan(&[(path, fallback)])), vec![]);
    let key = scala(
        "val cipher = encrypt(SessionSecretKeySuffixKey, SessionSecretKeySuffixDefaultValue)",
    );
    assert_eq!(
        rule_path_lines(&scan(&[(path, key)])),
        vec![("generic-api-key".into(), path.into(), Some(3))]
    );
}

#[test]
fn a_local_issuers_token_used_with_a_local_host_is_not_a_finding_whatever_else_the_file_links() {
    let token = rs256(r#"{"exp":1641316283,"sub":"admin","iss":"stroom"}"#);
    let readme = format!(
        "[![Build Status](https://travis-ci.org/gchq/stroom-spark-datasource.svg)](https://travis-ci.org/gchq/x)\n\n{}",
        readme_using(&token, "localhost:8080")
    );
    assert_eq!(rule_path_lines(&scan(&[("README.md", readme)])), vec![]);
}

#[test]
fn a_hand_written_token_in_a_wiremock_stub_is_a_test_credential_though_its_iss_claim_is_a_real_url()
{
    let iss = "https://sign-in-dev.hmpps.service.justice.gov.uk/auth/issuer";
    let base = |exp: u64| {
        let token = rs256(&format!(
            r#"{{"sub":"probation-integration-dev","iss":"{iss}","exp":{exp},"iat":1663757311}}"#
        ));
        format!(
            "abstract class IntegrationTestBase {{\n  fun stubAuth() {{\n    wiremock.stubFor(\n      \
             WireMock.post(\"/auth/oauth/token\").willReturn(WireMock.aResponse().withBody(\n        \
             \"{{\\n\" +\n          \"  \\\"access_token\\\": \\\"{token}\\\",\\n\" +\n          \
             \"  \\\"iss\\\": \\\"{iss}\\\"\\n\" +\n          \"}}\"\n      )))\n  }}\n}}\n"
        )
    };
    let path = "src/test/kotlin/uk/gov/justice/digital/hmpps/personrecord/integration/IntegrationTestBase.kt";
    assert_eq!(
        rule_path_lines(&scan(&[(path, base(9_999_999_999))])),
        vec![]
    );
    // The same stub serving a token a server issued (an hour's lifetime) is a captured credential.
    assert_eq!(
        rule_path_lines(&scan(&[(path, base(1_663_760_911))])),
        vec![("jwt".into(), path.into(), Some(6))]
    );
}

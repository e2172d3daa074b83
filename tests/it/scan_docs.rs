//! Values shown to a reader rather than used (issue 22): a default that only restates its own name
//! (`"password" = "a_password"`), the identifier of an OAuth application beside its secret, the key half of a
//! key/value pair (a field's name, not a credential), and the sample credentials a standard prints for every
//! reader to copy. Each class beside a control: the same place holding a random value is still a finding, so a
//! real secret pasted into documentation or a default is kept. Each test builds a real git repository with git2
//! and runs the real scan; every made-up secret is assembled at run time, so this file holds none.

use crate::fixture::RepoFixture;
use crate::support::scan::{aws_key, private_key, rule_paths, scan};

/// A made-up random value for a Terraform password (the rule reads 8–20 of `[a-z0-9=_-]`).
fn random_password() -> String {
    ["k7q2", "zm9x", "4wp1"].concat()
}

/// A made-up 40-character value of high entropy, as an OAuth application's uid or secret is.
fn random_40(salt: &str) -> String {
    ["Zq8Xv2Lm9TzR4kW7pN3bY6hJ1", salt, "cVfG5sD0aQeUr"].concat()
}

/// A Terraform `variables.tf` whose map defaults hold `prometheus` and `grafana` passwords.
fn variables_tf(prometheus: &str, grafana: &str) -> String {
    format!(
        "variable \"prometheus\" {{\n    type = map\n    default = {{\n        \"name\" = \"app\"\n        \
         \"username\" = \"username\"\n        \"password\" = \"{prometheus}\"\n    }}\n}}\n\n\
         variable \"grafana\" {{\n    type = map\n    default = {{\n        \"name\" = \"app\"\n        \
         \"password\" = \"{grafana}\"\n    }}\n}}\n"
    )
}

#[test]
fn a_terraform_default_that_restates_its_name_is_a_placeholder() {
    let fx = RepoFixture::one_commit(&[(
        "terraform/monitoring/variables.tf",
        variables_tf("password", "a_password"),
    )]);
    assert_eq!(rule_paths(&scan(&fx)), vec![]);
}

#[test]
fn a_random_terraform_default_is_still_a_finding() {
    let fx = RepoFixture::one_commit(&[(
        "terraform/monitoring/variables.tf",
        variables_tf("a_password", &random_password()),
    )]);
    let report = scan(&fx);
    // Only the random grafana password (line 14) is reported, by one rule or more; the placeholder is not.
    let lines: Vec<Option<usize>> = report.findings.iter().map(|f| f.line).collect();
    assert!(
        !lines.is_empty() && lines.iter().all(|l| *l == Some(14)),
        "{:?}",
        report.findings
    );
}

/// A Concourse pipeline's environment for an app that is an OAuth client of another (Doorkeeper): the
/// application's uid, and its secret under a secret's name.
fn pipeline(uid: &str, secret: &str) -> String {
    format!(
        "jobs:\n  - name: deploy\n    plan:\n      - task: push\n        params:\n          \
         CF_SPACE: staging\n          ACCOUNT_API_DOORKEEPER_UID: \"{uid}\"\n          \
         ACCOUNT_API_DOORKEEPER_SECRET: \"{secret}\"\n"
    )
}

#[test]
fn an_oauth_application_uid_is_its_public_identifier_and_its_secret_is_kept() {
    let fx = RepoFixture::one_commit(&[(
        "concourse/pipeline.yml",
        pipeline(&random_40("uid1"), &random_40("sec2")),
    )]);
    let report = scan(&fx);
    let lines: Vec<Option<usize>> = report.findings.iter().map(|f| f.line).collect();
    assert_eq!(lines, vec![Some(8)], "{:?}", report.findings);
}

/// A recorded CRM entity as a contract test keeps it: attributes as `Key`/`Value` pairs.
fn contract(key: &str) -> String {
    format!(
        "[\n  {{\n    \"LogicalName\": \"contact\",\n    \"Attributes\": [\n      {{\n        \"Key\": \"{key}\",\n        \
         \"Value\": {{\n          \"Id\": \"b02655a1-2afa-e811-a981-000d3a276620\",\n          \
         \"LogicalName\": \"dfe_teachingsubjectlist\"\n        }}\n      }}\n    ]\n  }}\n]\n"
    )
}

#[test]
fn the_key_of_a_key_value_pair_is_a_name() {
    let fx = RepoFixture::one_commit(&[(
        "Tests/Contracts/Output/sign_up.json",
        contract("dfe_preferredteachingsubject01"),
    )]);
    assert_eq!(rule_paths(&scan(&fx)), vec![]);
}

#[test]
fn a_random_value_as_the_key_of_a_pair_is_still_a_finding() {
    let fx = RepoFixture::one_commit(&[(
        "Tests/Contracts/Output/sign_up.json",
        contract(&random_40("pair")),
    )]);
    assert_eq!(
        rule_paths(&scan(&fx)),
        vec![(
            "generic-api-key".to_string(),
            "Tests/Contracts/Output/sign_up.json".to_string()
        )]
    );
}

/// A document that shows a client authenticating to the token endpoint, with `client_id` and `secret`.
fn oauth_doc(host: &str, client_id: &str, secret: &str) -> String {
    format!(
        "# OAuth\n\nClients send their credentials in the body of the request, eg.\n\n    POST /token HTTP/1.1\n\n    \
         Host: {host}\n    Content-Type: application/x-www-form-urlencoded;charset=UTF-8\n\n    \
         grant_type=access_token&client_id={client_id}&client_secret={secret}\n"
    )
}

#[test]
fn the_sample_credentials_of_the_oauth_standard_are_published() {
    // RFC 6749 section 2.3.1 prints this client and secret for every reader; assembled here in parts.
    let secret = ["7Fjfp0ZBr1", "KtDRbnfVdmIw"].concat();
    let fx = RepoFixture::one_commit(&[(
        "doc/oauth.md",
        oauth_doc("signon.publishing.service.gov.uk", "s6BhdRkqt3", &secret),
    )]);
    assert_eq!(rule_paths(&scan(&fx)), vec![]);
}

#[test]
fn a_documents_example_to_a_reserved_host_is_shown_not_used() {
    // `server.example.com` is reserved for examples (RFC 2606): nothing there accepts a credential.
    let doc = oauth_doc("server.example.com", "s6BhdRkqt3", &random_40("docs"));
    let fx = RepoFixture::one_commit(&[("doc/oauth.md", doc)]);
    assert_eq!(rule_paths(&scan(&fx)), vec![]);
}

#[test]
fn a_real_secret_pasted_into_the_same_documentation_is_kept() {
    // The request names the real service's host: the document shows a value that service accepts.
    let doc = oauth_doc(
        "signon.publishing.service.gov.uk",
        "s6BhdRkqt3",
        &random_40("docs"),
    );
    let fx = RepoFixture::one_commit(&[("doc/oauth.md", doc)]);
    assert_eq!(
        rule_paths(&scan(&fx)),
        vec![("generic-api-key".to_string(), "doc/oauth.md".to_string())]
    );
}

#[test]
fn an_aws_key_restating_nothing_is_kept_beside_placeholders() {
    // The mechanisms above never reach a vendor-shaped credential: an AWS key id in the same `variables.tf`.
    let mut text = variables_tf("password", "a_password");
    text.push_str(&format!(
        "\nvariable \"aws_access_key_id\" {{\n    default = \"{}\"\n}}\n",
        aws_key()
    ));
    let fx = RepoFixture::one_commit(&[("terraform/variables.tf", text)]);
    let rules: Vec<String> = scan(&fx).findings.iter().map(|f| f.rule.clone()).collect();
    assert_eq!(rules, vec!["aws-access-token".to_string()]);
}

/// A README showing a request to the app's own mock endpoint: the body's `s3_key` names an object.
fn readme(host: &str, value: &str) -> String {
    format!(
        "# Account validator\n\n### Endpoint for tests\n\n```\n  POST\n  {host}/mock_validate\n  body:\n  {{\n    \
         \"customer_id\" : \"1234567890\",\n    \"file_name\" : \"account.zip\",\n    \"s3_key\" : \"{value}\"\n  }}\n```\n"
    )
}

/// A made-up random UUID (version 4 layout).
fn random_uuid() -> String {
    ["5c1e9a47", "-3b2d-4f80-a6e1-", "92d7c04b8e35"].concat()
}

#[test]
fn a_documents_example_request_to_the_local_app_is_shown_not_used() {
    let fx = RepoFixture::one_commit(&[(
        "README.md",
        readme("http://localhost:18624", &random_uuid()),
    )]);
    assert_eq!(rule_paths(&scan(&fx)), vec![]);
}

#[test]
fn the_same_example_naming_a_real_host_is_still_a_finding() {
    let fx = RepoFixture::one_commit(&[(
        "README.md",
        readme(
            "https://account-validator.company-information.service.gov.uk",
            &random_uuid(),
        ),
    )]);
    assert_eq!(
        rule_paths(&scan(&fx)),
        vec![("generic-api-key".to_string(), "README.md".to_string())]
    );
}

#[test]
fn a_vendors_key_in_a_documents_local_example_is_still_a_finding() {
    let fx =
        RepoFixture::one_commit(&[("README.md", readme("http://localhost:18624", &aws_key()))]);
    let rules: Vec<String> = scan(&fx).findings.iter().map(|f| f.rule.clone()).collect();
    assert_eq!(rules, vec!["aws-access-token".to_string()]);
}

#[test]
fn a_private_key_in_a_documents_local_example_is_still_a_finding() {
    let text = format!(
        "# Set up\n\n```\ncurl http://localhost:8080/keys -d @- <<EOF\n{}EOF\n```\n",
        private_key()
    );
    let fx = RepoFixture::one_commit(&[("README.md", text)]);
    let rules: Vec<String> = scan(&fx).findings.iter().map(|f| f.rule.clone()).collect();
    assert!(rules.contains(&"private-key".to_string()), "{rules:?}");
}

#[test]
fn an_application_insights_connection_string_is_public_and_its_neighbours_secret_is_not() {
    let key = ["0d1f7c52", "-e50d-4444-ab56-", "6c151cad789d"].concat();
    let program = format!(
        "var options = new ApplicationInsightsServiceOptions {{ ConnectionString = \"InstrumentationKey={key};\
         IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/\" }};\n\
         var client = new Client(apiKey: \"{}\");\n",
        random_40("appi")
    );
    let fx = RepoFixture::one_commit(&[("Service/Program.cs", program)]);
    let lines: Vec<Option<usize>> = scan(&fx).findings.iter().map(|f| f.line).collect();
    assert_eq!(lines, vec![Some(2)]);
}

use super::*;
use proptest::prelude::*;

fn judge(path: &str, text: &str, value: &str) -> Option<String> {
    let s = text.find(value).expect("value in text");
    local_place(path, text.as_bytes(), s, s + value.len())
}

const VALUE: &str = "Qz81vRt4Lw0pXe7sJk2m";

/// A Go configuration default: a struct literal of settings beside local URLs.
fn go_defaults(extra: &str) -> String {
    format!(
        "package config\n\nfunc Get() (*Config, error) {{\n\tcfg = &Config{{\n\t\tBindAddr: \":22100\",\n\t\tWidgetAPIURL: \"http://localhost:22000\",\n\t\tWidgetAPIAuthToken: \"{VALUE}\",\n\t\tServiceAuthToken: \"{VALUE}2\",\n\t\tStore: StoreConfig{{\n\t\t\tURI: \"mongodb://127.0.0.1:27017\",\n\t\t}},{extra}\n\t}}\n\terr := envconfig.Process(\"\", cfg)\n\treturn cfg, err\n}}\n"
    )
}

#[test]
fn a_struct_literal_of_local_defaults_is_a_local_place_and_its_reason_names_the_endpoints() {
    let text = go_defaults("");
    let why = judge("config/config.go", &text, VALUE).expect("local");
    assert!(
        why.contains("localhost") && why.contains("127.0.0.1"),
        "{why}"
    );
    assert!(judge("config/config.go", &text, &format!("{VALUE}2")).is_some());
}

#[test]
fn one_remote_endpoint_in_the_block_keeps_the_credential() {
    let text = go_defaults("\n\t\tSearchURL: \"https://search.sandbox.example-service.gov.uk\",");
    assert_eq!(judge("config/config.go", &text, VALUE), None);
}

#[test]
fn a_credential_named_for_a_service_the_block_does_not_locate_keeps_it() {
    // A notification service's key beside a local API: its client library knows the vendor's address.
    let text = "BACKEND_API_URL=http://localhost:5101/api\nNOTIFY_API_KEY=VALUE-abc123-def456\n";
    assert_eq!(judge(".env.development", text, "VALUE-abc123-def456"), None);
    // The same key for a service the block places locally is local.
    let text = "NOTIFY_API_URL=http://localhost:5101/api\nNOTIFY_API_KEY=VALUE-abc123-def456\n";
    assert!(judge(".env.development", text, "VALUE-abc123-def456").is_some());
}

#[test]
fn a_json_settings_file_whose_endpoints_are_all_local_is_a_local_place() {
    let text = format!(
        "{{\n  \"Store\": {{ \"Uri\": \"mongodb://127.0.0.1:27017\" }},\n  \"Queue\": {{ \"QueueUrl\": \"http://localhost:4566/000000000000/q\" }},\n  \"SigningSecret\": \"{VALUE}\",\n  \"AllowedHosts\": \"*\"\n}}\n"
    );
    assert!(judge("Api/appsettings.Development.json", &text, VALUE).is_some());
    // The same file as the settings every deployment loads: `localhost` there may be the server itself.
    assert_eq!(judge("Api/appsettings.json", &text, VALUE), None);
    // Named for a service (`ops`) the file never locates: where it goes is not said, so it is kept.
    let named = text.replace("SigningSecret", "OpsSecret");
    assert_eq!(
        judge("Api/appsettings.Development.json", &named, VALUE),
        None
    );
    // A connection string to a real namespace in the same object keeps it (its own fields name the host).
    let text = format!(
        "{{\n  \"profiles\": {{\n    \"Docker\": {{\n      \"applicationUrl\": \"http://localhost:5000\",\n      \"Bus\": \"Endpoint=sb://ns-real.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey={VALUE}\"\n    }}\n  }}\n}}\n"
    );
    assert_eq!(judge("Properties/launchSettings.json", &text, VALUE), None);
}

#[test]
fn an_in_memory_configuration_beside_a_local_url_is_a_local_place() {
    let text = format!(
        "class Base {{\n  void Configure() {{\n    var settings = new List<KeyValuePair<string, string>>\n    {{\n      new (\"AuthenticationConfig:ApiKeys:0\", apiKey),\n      new (\"WidgetsUrl\", \"https://localhost:2730\"),\n      new (\"WidgetsApiKey\", \"{VALUE}\")\n    }};\n  }}\n}}\n"
    );
    assert!(judge("Api.SubcutaneousTests/IntegrationBase.cs", &text, VALUE).is_some());
    assert_eq!(judge("Api/Startup.cs", &text, VALUE), None);
}

#[test]
fn a_shell_command_is_judged_by_its_url_arguments_not_urls_inside_its_data() {
    let text = format!(
        "rcurl --data \"userid=https://profiles.example-idp.com/1234&password={VALUE}\" http://localhost:8080/system/login\n"
    );
    assert!(judge("test/load.sh", &text, VALUE).is_some());
    // The same command commented out, as a later version leaves it, is judged the same.
    let commented = format!("# {text}");
    assert!(judge("test/load.sh", &commented, VALUE).is_some());
    // A server's own maintenance script posting to its own `localhost`: that server's password.
    assert_eq!(judge("terraform/modules/db/patch.sh", &text, VALUE), None);
    let text = format!(
        "rcurl --data \"password={VALUE}\" https://registry.environment.data.gov.uk/login\n"
    );
    assert_eq!(judge("test/load.sh", &text, VALUE), None);
    // A command naming no endpoint is no local place, whatever other lines name.
    let text = format!("export PASSWORD={VALUE}\ncurl http://localhost:8080/\n");
    assert_eq!(judge("run.sh", &text, VALUE), None);
}

#[test]
fn a_compose_service_of_the_same_file_is_local_and_another_host_is_not() {
    let compose = |url: &str| {
        format!(
            "services:\n  app:\n    environment:\n      - API_URL={url}\n      - COOKIE_SECRET={VALUE}\n  api:\n    image: api:latest\n"
        )
    };
    assert!(
        judge(
            "tests/docker-compose.yml",
            &compose("http://api:3000"),
            VALUE
        )
        .is_some()
    );
    assert_eq!(
        judge(
            "tests/docker-compose.yml",
            &compose("http://api.shared-dev.org.uk"),
            VALUE
        ),
        None
    );
    // Outside a Compose file a one-label name is no proof of a local service.
    let text = format!("REDIS_HOST=redis\nSESSION_SECRET={VALUE}\n");
    assert_eq!(judge(".env.development", &text, VALUE), None);
}

#[test]
fn a_value_naming_a_host_is_judged_by_its_own_host() {
    let text = format!(
        "DB_URL=mongodb://admin:{VALUE}@db.prod.example-org.uk:27017\nAPI=http://localhost\n"
    );
    assert_eq!(judge(".env.test", &text, VALUE), None);
    let text =
        format!("DB_URL=mongodb://admin:{VALUE}@localhost:27017\nAPI=https://api.example-org.uk\n");
    assert!(judge(".env.test", &text, VALUE).is_some());
    // A deployment's own file: its `localhost` is the server.
    assert_eq!(judge(".env", &text, VALUE), None);
    // A file declaring a deployed environment is none, whatever its name.
    let text = format!("DB_URL=mongodb://admin:{VALUE}@localhost:27017\nRAILS_ENV=production\n");
    assert_eq!(judge(".env.test", &text, VALUE), None);
}

#[test]
fn nothing_named_private_keys_and_server_signed_tokens_are_never_local_places() {
    let text = format!("SECRET_KEY={VALUE}\nDEBUG=true\n");
    assert_eq!(judge(".env", &text, VALUE), None);
    let key = "-----BEGIN RSA PRIVATE KEY-----";
    let text = format!("url = 'http://localhost'\nkey = \"{key}\"\n");
    assert_eq!(judge("config.py", &text, key), None);
    // A code file's top level is code: no block.
    let text = format!("API = 'http://localhost:8000'\nTOKEN = '{VALUE}'\n");
    assert_eq!(judge("app/settings.py", &text, VALUE), None);
}

#[test]
fn private_addresses_and_dot_local_names_are_not_machine_local() {
    for host in [
        "10.0.0.5",
        "192.168.1.20",
        "sql01.corp.local",
        "db",
        "rds.cluster",
        "127.0.0.1.nip.io",
    ] {
        assert!(!is_machine_local_host(host), "not local: {host}");
    }
    for host in [
        "localhost",
        "127.0.0.1",
        "127.1.2.3",
        "[::1]",
        "0.0.0.0",
        "host.docker.internal",
        "api.test",
    ] {
        assert!(is_machine_local_host(host), "local: {host}");
    }
}

proptest! {
    /// Any block naming one endpoint that is not local keeps its credential, wherever that endpoint sits in
    /// the block and whatever local endpoints sit beside it.
    #[test]
    fn any_remote_endpoint_in_the_block_keeps_the_credential(
        locals in proptest::collection::vec(0usize..3, 0..4),
        remote in "[a-z]{3,8}\\.(gov\\.uk|com|io|net)",
        at in 0usize..5,
        shape in 0usize..3,
    ) {
        let local_urls = ["http://localhost:8080", "mongodb://127.0.0.1:27017", "http://host.docker.internal:5000"];
        let mut urls: Vec<String> = locals.iter().map(|i| local_urls[*i].to_owned()).collect();
        urls.insert(at.min(urls.len()), format!("https://{remote}/x"));
        let (path, text) = match shape {
            0 => {
                let fields: String = urls.iter().enumerate().map(|(i, u)| format!("\t\tUrl{i}: \"{u}\",\n")).collect();
                ("test/config.go", format!("cfg = &Config{{\n{fields}\t\tSecretKey: \"{VALUE}\",\n}}\n"))
            }
            1 => {
                let lines: String = urls.iter().enumerate().map(|(i, u)| format!("URL_{i}={u}\n")).collect();
                (".env.development", format!("{lines}SECRET_KEY={VALUE}\n"))
            }
            _ => {
                let fields: String = urls.iter().enumerate().map(|(i, u)| format!("  \"url{i}\": \"{u}\",\n")).collect();
                ("appsettings.Development.json", format!("{{\n{fields}  \"secret\": \"{VALUE}\"\n}}\n"))
            }
        };
        prop_assert_eq!(judge(path, &text, VALUE), None);
    }

    /// A value whose own URL names a host is judged by that host alone: a remote one keeps it, whatever the
    /// block around it names.
    #[test]
    fn a_value_with_a_remote_host_of_its_own_is_never_local(remote in "[a-z]{3,8}\\.(gov\\.uk|com|io)") {
        let text = format!("{{\n  \"a\": \"http://localhost:1\",\n  \"db\": \"postgres://u:{VALUE}@{remote}:5432/x\"\n}}\n");
        prop_assert_eq!(judge("appsettings.Development.json", &text, VALUE), None);
    }
}

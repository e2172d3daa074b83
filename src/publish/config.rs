//! The `target:` section of policy.yaml: where republished repositories go, what they are called and how they
//! are labelled. Typed, defaulted and validated here; every problem is collected and named by its key.

use serde::Deserialize;

use crate::policy::{Code, ForgeKind, Problem};

/// The identity that authors the notice commit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct BotIdentity {
    pub name: String,
    pub email: String,
}

impl Default for BotIdentity {
    fn default() -> Self {
        BotIdentity {
            name: "keepopen[bot]".into(),
            email: "keepopen-bot@users.noreply.github.com".into(),
        }
    }
}

/// `target:` as written (kebab-case keys, unknown keys rejected).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct TargetConfig {
    /// Where republished repositories are pushed: a directory of bare repositories (`path`, the default, and what
    /// tests and dry runs use) or a GitHub organisation (`organisation`).
    pub forge: ForgeKind,
    /// Local forge: the directory of bare repositories (created if missing), relative to the working directory.
    pub path: String,
    /// GitHub forge: the community organisation that receives the repositories.
    pub organisation: Option<String>,
    /// GitHub forge: the REST API, e.g. `https://api.github.com` or `https://host/api/v3`. Resolved by
    /// [`TargetConfig::finish`]: `target.api-url` if written, else `github.api-url`, else GitHub.com.
    pub api_url: String,
    /// The new repository's name. Placeholders: `{owner}`, `{repo}`, `{id}`. The result is made safe for GitHub
    /// (`[A-Za-z0-9._-]`, at most 100 characters).
    pub name: String,
    /// The repository description. Placeholders: `{owner}`, `{repo}`, `{full_name}`, `{id}`, `{url}`, `{expression}`.
    pub description: String,
    /// Topics (each templated like `description`, then lower-cased, spaces as `-`).
    pub topics: Vec<String>,
    /// Make the target read-only (GitHub `archived: true`) once published.
    pub archive_after_publish: bool,
    /// The copy's description once the original is public again. Placeholders: `{owner}`, `{repo}`,
    /// `{full_name}`, `{id}`, `{url}`.
    pub restored_description: String,
    /// GitHub forge: archive the copy (read-only) once its original is public again.
    pub archive_when_restored: bool,
    /// Who authors the notice commit.
    pub bot: BotIdentity,
    /// How to ask for a takedown, quoted in the notice.
    pub takedown: String,
    /// Push the default branch in steps of this many commits when its history is longer (0: one push).
    pub chunk_commits: usize,
    /// Files larger than this (bytes) in the history to push are reported and the push refused. GitHub's limit
    /// is 100 MiB.
    pub max_file_bytes: u64,
    /// GitHub forge: least time between two API writes (GitHub asks for writes one at a time, a second apart).
    pub write_interval: String,
    /// The policy's `github:` settings for the API client (per-attempt timeout, retries, rate-limit waits), read by
    /// [`TargetConfig::finish`]: the same settings as every other GitHub client of keepopen.
    #[serde(skip)]
    pub client: ClientSettings,
}

/// How a GitHub API client times out and retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSettings {
    pub timeout: std::time::Duration,
    pub retry: crate::github::RetryPolicy,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            timeout: std::time::Duration::from_secs(30),
            retry: crate::github::RetryPolicy::default(),
        }
    }
}

impl Default for TargetConfig {
    fn default() -> Self {
        TargetConfig {
            forge: ForgeKind::Local,
            path: "published".into(),
            organisation: None,
            api_url: crate::policy::DEFAULT_API_URL.into(),
            name: "{owner}--{repo}".into(),
            description: "Copy of {full_name}, removed from GitHub; republished unchanged under its licence ({expression}). See PROVENANCE.md.".into(),
            topics: vec!["keepopen".into(), "republished".into()],
            archive_after_publish: false,
            restored_description: "The original {full_name} is public again at {url}; this copy, made while it was gone, is kept for the record.".into(),
            archive_when_restored: false,
            bot: BotIdentity::default(),
            takedown: "open an issue in this repository, or write to the organisation that republished it; the copy is taken down while a request is considered".into(),
            chunk_commits: 20_000,
            max_file_bytes: 100 * 1024 * 1024,
            write_interval: "1s".into(),
            client: ClientSettings::default(),
        }
    }
}

impl TargetConfig {
    /// `write-interval` as a duration (validated by [`TargetConfig::finish`]; zero if unparsable).
    pub fn write_interval(&self) -> std::time::Duration {
        crate::monitor::config::parse_duration(&self.write_interval).unwrap_or_default()
    }

    /// Complete and check `target:` as read from policy.yaml: `api_url` is the API it talks to (its own
    /// `api-url`, else `github.api-url`, else GitHub.com; each written one is checked by the policy loader) and
    /// `client` the `github:` section's client settings. Every problem is named by its key.
    pub fn finish(
        mut self,
        api_url: String,
        client: ClientSettings,
    ) -> (TargetConfig, Vec<Problem>) {
        self.api_url = api_url;
        self.client = client;
        let problems = self.problems();
        (self, problems)
    }

    /// Every semantic problem, by key.
    fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        self.place_problems(&mut problems);
        self.template_problems(&mut problems);
        self.identity_and_limit_problems(&mut problems);
        problems
    }

    /// Where it publishes: the organisation on GitHub, the directory for the local forge.
    fn place_problems(&self, problems: &mut Vec<Problem>) {
        match (self.forge, &self.organisation) {
            (ForgeKind::Github, None) => problems.push(Problem::new(
                Code::MissingKey,
                "target.organisation",
                "the github forge needs the community organisation",
            )),
            (_, Some(org)) if !crate::monitor::config::valid_login(org) => {
                problems.push(Problem::new(
                    Code::BadLogin,
                    "target.organisation",
                    format!("{org:?} is not a GitHub account name"),
                ))
            }
            _ => {}
        }
        if self.forge == ForgeKind::Local && self.path.trim().is_empty() {
            problems.push(Problem::new(
                Code::EmptyValue,
                "target.path",
                "empty; name the directory of bare repositories",
            ));
        }
    }

    /// The name, description and topic templates; the name must tell repositories apart.
    fn template_problems(&self, problems: &mut Vec<Problem>) {
        let topics = self
            .topics
            .iter()
            .enumerate()
            .map(|(n, t)| (format!("target.topics[{n}]"), t));
        for (key, template) in [
            ("target.name".to_owned(), &self.name),
            ("target.description".to_owned(), &self.description),
            (
                "target.restored-description".to_owned(),
                &self.restored_description,
            ),
        ]
        .into_iter()
        .chain(topics)
        {
            if let Err(e) = check_template(template, key == "target.name") {
                problems.push(Problem::new(Code::BadTemplate, key, e));
            }
        }
        if !self.name.contains("{repo}") && !self.name.contains("{id}") {
            problems.push(Problem::new(
                Code::BadTemplate,
                "target.name",
                format!(
                    "{:?} names every repository the same; use {{repo}} or {{id}}",
                    self.name
                ),
            ));
        }
    }

    /// The bot's name and email, the write interval and the file-size limit.
    fn identity_and_limit_problems(&self, problems: &mut Vec<Problem>) {
        if self.bot.name.trim().is_empty() {
            problems.push(Problem::new(
                Code::EmptyValue,
                "target.bot.name",
                "the notice commit's author needs a name",
            ));
        }
        if !self.bot.email.contains('@') {
            problems.push(Problem::new(
                Code::BadValue,
                "target.bot.email",
                format!("{:?} is not an email address", self.bot.email),
            ));
        }
        if let Err(e) = crate::monitor::config::parse_duration(&self.write_interval) {
            problems.push(Problem::new(
                Code::BadDuration,
                "target.write-interval",
                e.to_string(),
            ));
        }
        if self.max_file_bytes == 0 {
            problems.push(Problem::new(
                Code::OutOfRange,
                "target.max-file-bytes",
                "must be more than zero",
            ));
        }
    }
}

/// Placeholders a template may use.
const NAME_PLACEHOLDERS: [&str; 3] = ["owner", "repo", "id"];
const TEXT_PLACEHOLDERS: [&str; 6] = ["owner", "repo", "id", "full_name", "url", "expression"];

fn check_template(template: &str, name: bool) -> Result<(), String> {
    let allowed: &[&str] = if name {
        &NAME_PLACEHOLDERS
    } else {
        &TEXT_PLACEHOLDERS
    };
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!("{template:?}: unclosed `{{`"));
        };
        let key = &after[..close];
        if !allowed.contains(&key) {
            return Err(format!(
                "{template:?}: unknown placeholder {{{key}}} (use {})",
                allowed
                    .iter()
                    .map(|a| format!("{{{a}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

/// Fill `{key}` placeholders from `values` (a template checked by [`TargetConfig::finish`]).
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_client_takes_the_policys_github_settings() {
        let c = config("github: {timeout: 7s, attempts: 2, backoff: 3s}\n").unwrap();
        assert_eq!(c.client.timeout, std::time::Duration::from_secs(7));
        assert_eq!(c.client.retry.max_attempts, 2);
        assert_ne!(c.client, ClientSettings::default());
    }

    /// The `target` of a policy file holding `yaml`, or every problem in it.
    fn config(yaml: &str) -> anyhow::Result<TargetConfig> {
        let text = format!("version: 1\n{yaml}");
        Ok(crate::policy::Policy::from_str(&text, "policy.yaml")?.target)
    }

    #[test]
    fn an_absent_target_is_the_local_forge_with_documented_defaults() {
        let c = config("").unwrap();
        assert_eq!(c.forge, ForgeKind::Local);
        assert_eq!(c.path, "published");
        assert_eq!(c.name, "{owner}--{repo}");
        assert!(!c.archive_after_publish);
        assert_eq!(c.max_file_bytes, 104_857_600);
        assert_eq!(c.bot.name, "keepopen[bot]");
    }

    #[test]
    fn a_full_github_target_parses() {
        let c = config(
            "target:\n  forge: github\n  organisation: nhs-community\n  api-url: http://127.0.0.1:9\n  name: 'nhs-{repo}'\n  \
             topics: [keepopen, '{owner}']\n  archive-after-publish: true\n  bot: {name: Bot, email: bot@example.org}\n  chunk-commits: 10\n",
        )
        .unwrap();
        assert_eq!(c.forge, ForgeKind::Github);
        assert_eq!(c.organisation.as_deref(), Some("nhs-community"));
        assert_eq!(c.chunk_commits, 10);
        assert!(c.archive_after_publish);
        assert_eq!(c.bot.email, "bot@example.org");
    }

    #[test]
    fn the_target_talks_to_github_api_url_unless_it_names_its_own() {
        let shared = config(
            "github: {api-url: 'https://ghe.example.org/api/v3'}\ntarget: {forge: github, organisation: nhs-community}\n",
        )
        .unwrap();
        assert_eq!(shared.api_url, "https://ghe.example.org/api/v3");
        let own = config(
            "github: {api-url: 'https://ghe.example.org/api/v3'}\ntarget: {api-url: 'http://127.0.0.1:9'}\n",
        )
        .unwrap();
        assert_eq!(own.api_url, "http://127.0.0.1:9");
        let inherited_bad = config("github: {api-url: 'ftp://x'}\n")
            .unwrap_err()
            .to_string();
        assert!(
            inherited_bad.contains("`github.api-url` \"ftp://x\""),
            "{inherited_bad}"
        );
    }

    #[test]
    fn every_problem_is_reported_by_key() {
        let table = [
            ("target: {forge: github}", "`target.organisation`"),
            ("target: {colour: blue}", "unknown field `colour`"),
            ("target: {forge: gitlab}", "unknown variant `gitlab`"),
            ("target: {name: 'x-{nope}'}", "unknown placeholder {nope}"),
            ("target: {name: 'fixed'}", "names every repository the same"),
            ("target: {description: 'a {b'}", "unclosed"),
            ("target: {api-url: 'ftp://x'}", "`target.api-url`"),
            ("target: {bot: {name: '', email: x}}", "`target.bot.name`"),
            ("target: {max-file-bytes: 0}", "`target.max-file-bytes`"),
            ("target: {write-interval: soon}", "`target.write-interval`"),
            (
                "target: {organisation: 'bad org'}",
                "not a GitHub account name",
            ),
        ];
        for (yaml, needle) in table {
            let error = format!("{:#}", config(yaml).unwrap_err());
            assert!(
                error.contains(needle),
                "{yaml}: missing {needle:?} in {error}"
            );
        }
        let both = config("target: {forge: github, name: 'fixed', max-file-bytes: 0}")
            .unwrap_err()
            .to_string();
        assert!(
            both.contains("organisation") && both.contains("fixed") && both.contains("max-file"),
            "{both}"
        );
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(
            fill(
                "{owner}--{repo}-{owner}",
                &[("owner", "nhsuk"), ("repo", "a")]
            ),
            "nhsuk--a-nhsuk"
        );
    }
}

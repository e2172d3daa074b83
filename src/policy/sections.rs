//! The stages' sections of policy.yaml, typed when the file is loaded.
//!
//! Each stage's config module owns its section's schema (serde types whose `Default`s are the documented
//! defaults) and the checks of its meaning, which name each problem by its key path ([`Problem`]); this module
//! reads every section out of the text with serde_yaml, so that an unknown key or a value of the wrong type
//! comes back with its line and column, and hands everything to the one sink (`validate`'s `Checker`), which
//! locates the key paths in the text and reports them with the licence rules' own diagnostics.
//!
//! A section's type error stops that section (its defaults stand in, so that the other sections' checks still
//! run); each section is read on its own, so one bad section does not hide another's problems.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_yaml::Value;

use super::Code;
use super::api_url::resolve_api_url;
use crate::approval::ApprovalConfig;
use crate::monitor::config::MonitorConfig;
use crate::publish::TargetConfig;
use crate::publish::config::ClientSettings;
use crate::safety::SafetyConfig;
use crate::safety::config::RawSafety;

/// A problem a section's checks found, named by the key path it is about (`target.organisation`,
/// `safety.allow[0].reason`). A path that is not written in the file (a required key left out) is reported
/// at the nearest part of it that is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    pub key: String,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(code: Code, key: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            code,
            key: key.into(),
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

/// What reading the sections found: a serde error (located by serde_yaml) or a section's own problem.
pub(crate) enum Issue {
    Serde(serde_yaml::Error),
    Problem(Problem),
}

/// Every stage's section, typed, defaulted and checked.
#[derive(Debug, Clone)]
pub(crate) struct Typed {
    pub monitor: MonitorConfig,
    pub target: TargetConfig,
    pub approval: Option<ApprovalConfig>,
    pub safety: SafetyConfig,
}

/// The sections of a policy that writes none of them.
impl Default for Typed {
    fn default() -> Self {
        let (typed, issues) = type_sections("{}", &BTreeMap::new());
        assert!(issues.is_empty(), "the defaults are valid");
        typed
    }
}

/// Type every section of `text` (a YAML mapping); `written` is the same sections as YAML values, for the
/// `api-url` each section inherits from `github`.
pub(crate) fn type_sections(text: &str, written: &BTreeMap<String, Value>) -> (Typed, Vec<Issue>) {
    let mut issues = Vec::new();
    let sources = section(text, "sources", &mut issues);
    let removal = section(text, "removal", &mut issues);
    let github = section(text, "github", &mut issues);
    let archive = section(text, "archive", &mut issues);
    let (monitor, problems) = MonitorConfig::build(
        sources.unwrap_or_default(),
        removal.unwrap_or_default(),
        github.unwrap_or_default(),
        archive.unwrap_or_default(),
    );
    issues.extend(problems.into_iter().map(Issue::Problem));

    let client = ClientSettings {
        timeout: monitor.timeout,
        retry: monitor.retry.clone(),
    };
    let target: TargetConfig = section(text, "target", &mut issues).unwrap_or_default();
    let (target, problems) = target.finish(resolve_api_url(written, "target").url, client);
    issues.extend(problems.into_iter().map(Issue::Problem));

    // `approval` is needed only by propose and apply, which refuse to start without it; absent, it is not
    // checked (its defaults name no maintainer).
    let approval = match section::<ApprovalConfig>(text, "approval", &mut issues) {
        Some(approval) => {
            let (approval, problems) = approval.finish(resolve_api_url(written, "approval").url);
            issues.extend(problems.into_iter().map(Issue::Problem));
            Some(approval)
        }
        None if written.contains_key("approval") => Some(ApprovalConfig::default()),
        None => None,
    };

    let safety: RawSafety = section(text, "safety", &mut issues).unwrap_or_default();
    let (safety, problems) = SafetyConfig::build(safety);
    issues.extend(problems.into_iter().map(Issue::Problem));

    (
        Typed {
            monitor,
            target,
            approval,
            safety,
        },
        issues,
    )
}

/// One section of `text` as `T`: `None` when it is absent or written empty, or (recorded) does not type.
fn section<T: DeserializeOwned>(text: &str, key: &str, issues: &mut Vec<Issue>) -> Option<T> {
    match read_section::<T>(text, key) {
        Ok(value) => value,
        Err(error) => {
            issues.push(Issue::Serde(error));
            None
        }
    }
}

/// Deserialise the top-level `key` of the YAML mapping in `text` as `T`, skipping the rest of the document.
/// Errors carry serde_yaml's line, column and key path.
pub(crate) fn read_section<T: DeserializeOwned>(
    text: &str,
    key: &str,
) -> Result<Option<T>, serde_yaml::Error> {
    OneKey {
        key,
        section: PhantomData,
    }
    .deserialize(serde_yaml::Deserializer::from_str(text))
}

struct OneKey<'k, T> {
    key: &'k str,
    section: PhantomData<T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for OneKey<'_, T> {
    type Value = Option<T>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for OneKey<'_, T> {
    type Value = Option<T>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a mapping of policy sections")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<Value>()? {
            if key.as_str() == Some(self.key) {
                found = map.next_value::<Option<T>>()?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

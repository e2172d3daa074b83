//! Which kind of forge a stage talks to. Three sections name one (`sources.forge`, `target.forge`,
//! `approval.forge`) and the words mean the same in each: `github` is GitHub's REST API at the section's
//! `api-url` (GitHub.com or a GitHub Enterprise Server), `local` a directory on this machine standing in for it
//! (bare repositories, or proposals as files), for the demo, tests and offline trials. Each stage accepts both;
//! only the defaults differ: the monitor watches GitHub unless told otherwise, while republishing and approval
//! stay local until a deployment names its organisation and control repository.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ForgeKind {
    /// GitHub's REST API at the section's `api-url`.
    Github,
    /// A directory of this machine: `sources.path`, `target.path` or `approval.path`.
    Local,
}

impl ForgeKind {
    pub const ALL: [ForgeKind; 2] = [ForgeKind::Github, ForgeKind::Local];

    /// Its name in policy.yaml and in state (`github`, `local`).
    pub fn as_str(self) -> &'static str {
        match self {
            ForgeKind::Github => "github",
            ForgeKind::Local => "local",
        }
    }

    /// The forge of that name, as [`ForgeKind::as_str`] writes it into state; `None` for any other word.
    pub fn named(name: &str) -> Option<ForgeKind> {
        ForgeKind::ALL
            .into_iter()
            .find(|forge| forge.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forge_is_named_in_state_as_it_reads_its_name_back_and_no_other_word_is_a_forge() {
        for forge in ForgeKind::ALL {
            assert_eq!(ForgeKind::named(forge.as_str()), Some(forge));
            let yaml = serde_yaml::to_string(&forge).unwrap();
            assert_eq!(yaml.trim(), forge.as_str(), "policy.yaml and state agree");
        }
        for word in ["", "GitHub", "gitlab", "local "] {
            assert_eq!(ForgeKind::named(word), None, "{word:?}");
        }
    }
}

//! The policy file as written: serde types that mirror `policy.yaml` key for key. Nothing here is checked
//! beyond its YAML type; `validate` turns a `RawPolicy` into a `Policy`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::{self, Visitor};

use super::{Action, Class};

/// The whole file. Unknown keys are refused; the stages' sections are kept as YAML values, each typed by the
/// stage that reads it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPolicy {
    pub version: Option<u64>,
    pub licenses: Option<RawLicenses>,
    pub clarifications: Option<Vec<RawClarification>>,
    pub sources: Option<serde_yaml::Value>,
    pub removal: Option<serde_yaml::Value>,
    pub github: Option<serde_yaml::Value>,
    pub archive: Option<serde_yaml::Value>,
    pub target: Option<serde_yaml::Value>,
    pub approval: Option<serde_yaml::Value>,
    pub safety: Option<serde_yaml::Value>,
}

/// Top-level keys kept as YAML for the stages that type them.
pub const RESERVED_SECTIONS: [&str; 7] = [
    "sources", "removal", "github", "archive", "target", "approval", "safety",
];

impl RawPolicy {
    /// The reserved sections that are present, by key.
    pub fn sections(&self) -> BTreeMap<String, serde_yaml::Value> {
        [
            ("sources", &self.sources),
            ("removal", &self.removal),
            ("github", &self.github),
            ("archive", &self.archive),
            ("target", &self.target),
            ("approval", &self.approval),
            ("safety", &self.safety),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.clone().map(|value| (key.to_owned(), value)))
        .collect()
    }

    /// Store a reserved section by key; false if `key` is not reserved.
    pub(crate) fn set_section(&mut self, key: &str, value: serde_yaml::Value) -> bool {
        let slot = match key {
            "sources" => &mut self.sources,
            "removal" => &mut self.removal,
            "github" => &mut self.github,
            "archive" => &mut self.archive,
            "target" => &mut self.target,
            "approval" => &mut self.approval,
            "safety" => &mut self.safety,
            _ => return false,
        };
        *slot = Some(value);
        true
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawLicenses {
    pub min_confidence: Option<f64>,
    pub classes: Option<RawClasses>,
    pub unknown: Option<Action>,
    pub overrides: Option<BTreeMap<String, Class>>,
}

/// The action for each class; a class left out keeps its default action.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawClasses {
    pub permissive: Option<Action>,
    pub public_domain: Option<Action>,
    pub weak_copyleft: Option<Action>,
    pub copyleft: Option<Action>,
    pub non_commercial: Option<Action>,
    pub no_derivatives: Option<Action>,
    pub forbidden: Option<Action>,
}

impl RawClasses {
    pub(crate) fn set(&mut self, class: Class, action: Action) {
        let slot = match class {
            Class::Permissive => &mut self.permissive,
            Class::PublicDomain => &mut self.public_domain,
            Class::WeakCopyleft => &mut self.weak_copyleft,
            Class::Copyleft => &mut self.copyleft,
            Class::NonCommercial => &mut self.non_commercial,
            Class::NoDerivatives => &mut self.no_derivatives,
            Class::Forbidden => &mut self.forbidden,
        };
        *slot = Some(action);
    }

    /// The classes given an action in the file.
    pub fn actions(&self) -> impl Iterator<Item = (Class, Action)> + '_ {
        [
            (Class::Permissive, self.permissive),
            (Class::PublicDomain, self.public_domain),
            (Class::WeakCopyleft, self.weak_copyleft),
            (Class::Copyleft, self.copyleft),
            (Class::NonCommercial, self.non_commercial),
            (Class::NoDerivatives, self.no_derivatives),
            (Class::Forbidden, self.forbidden),
        ]
        .into_iter()
        .filter_map(|(class, action)| action.map(|action| (class, action)))
    }
}

/// Every field is optional here so that a missing one gets its own diagnostic code rather than serde's.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawClarification {
    pub repo: Option<String>,
    pub expression: Option<String>,
    pub files: Option<Vec<RawFile>>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawFile {
    pub path: Option<String>,
    pub sha256: Option<String>,
}

/// The keys a serde struct accepts, as its derive declares them (after renaming). Keeps the unknown-key check
/// in step with the types above without a second list.
pub(crate) fn fields_of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut fields = None;
    let _ = T::deserialize(FieldsProbe {
        fields: &mut fields,
    });
    fields.unwrap_or(&[])
}

struct FieldsProbe<'a> {
    fields: &'a mut Option<&'static [&'static str]>,
}

impl<'de> de::Deserializer<'de> for FieldsProbe<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.fields = Some(fields);
        Err(de::Error::custom("fields recorded"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_of_lists_the_renamed_keys_of_each_struct() {
        assert_eq!(
            fields_of::<RawLicenses>(),
            &["min-confidence", "classes", "unknown", "overrides"]
        );
        assert_eq!(fields_of::<RawFile>(), &["path", "sha256"]);
        let top = fields_of::<RawPolicy>();
        for reserved in RESERVED_SECTIONS {
            assert!(top.contains(&reserved), "{reserved} missing from RawPolicy");
        }
        assert_eq!(top.len(), 3 + RESERVED_SECTIONS.len());
    }

    #[test]
    fn every_reserved_section_round_trips_through_set_section() {
        let mut raw = RawPolicy::default();
        for (n, key) in RESERVED_SECTIONS.iter().enumerate() {
            assert!(raw.set_section(key, serde_yaml::Value::from(n as u64)));
        }
        assert!(!raw.set_section("licenses", serde_yaml::Value::Null));
        let sections = raw.sections();
        assert_eq!(sections.len(), RESERVED_SECTIONS.len());
        assert_eq!(sections["safety"], serde_yaml::Value::from(6u64));
    }

    #[test]
    fn strict_deserialisation_refuses_an_unknown_key() {
        let error = serde_yaml::from_str::<RawPolicy>("version: 1\nlicences: {}\n").unwrap_err();
        assert!(
            error.to_string().contains("unknown field `licences`"),
            "{error}"
        );
    }
}

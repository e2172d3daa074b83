//! Where a node sits in the YAML text. serde_yaml 0.9 keeps no spans in its `Value`, but it does stamp an
//! error raised while visiting a node with that node's line and column. So to find the node at a path we walk
//! the document with a seed that skips everything off the path and raises a marker error on the node itself;
//! the error's location is the answer. It costs one parse of the text per lookup, which is why the number of
//! diagnostics is capped.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Serialize;

/// A place in the file, 1-based like every editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// One step of a path from the document root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Key(String),
    Index(usize),
}

impl From<&str> for Segment {
    fn from(key: &str) -> Self {
        Segment::Key(key.to_owned())
    }
}

impl From<usize> for Segment {
    fn from(index: usize) -> Self {
        Segment::Index(index)
    }
}

/// `licenses.classes.permissive`, `clarifications[1].files[0].sha256`.
pub(crate) struct DisplayPath<'a>(pub(crate) &'a [Segment]);

impl fmt::Display for DisplayPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if n == 0 => write!(f, "{key}")?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Whether to point at a mapping key or at the node it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Key,
    Value,
}

const MARKER: &str = "\u{0}keepopen-locate\u{0}";

/// The start of the node at `path` (or of its key). `None` if the path is not in the document or the text does
/// not parse.
pub(crate) fn locate(text: &str, path: &[Segment], target: Target) -> Option<Location> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    match (Seek { path, target }).deserialize(deserializer) {
        Ok(()) => None,
        Err(error) if error.to_string().contains(MARKER) => error.location().map(|location| Location {
            line: location.line(),
            column: location.column(),
        }),
        Err(_) => None,
    }
}

/// The byte offset of a location in `text` (libyaml counts columns in characters).
pub(crate) fn offset_of_location(text: &str, location: Location) -> Option<usize> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(location.line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let line = text.get(line_start..)?;
    let within = line
        .char_indices()
        .nth(location.column.checked_sub(1)?)
        .map_or(line.len(), |(offset, _)| offset);
    Some(line_start + within)
}

/// The location of a byte offset in `text` (columns count characters).
pub(crate) fn location_of_offset(text: &[u8], offset: usize) -> Location {
    let before = &text[..offset.min(text.len())];
    let line_start = before
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |newline| newline + 1);
    let line = before.iter().filter(|&&byte| byte == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    Location { line, column }
}

struct Seek<'p> {
    path: &'p [Segment],
    target: Target,
}

impl Seek<'_> {
    fn scalar<E: de::Error>(&self) -> Result<(), E> {
        if self.path.is_empty() {
            Err(E::custom(MARKER))
        } else {
            Ok(())
        }
    }
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

macro_rules! visit_scalar {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method<E: de::Error>(self, _value: $ty) -> Result<(), E> {
            self.scalar()
        })*
    };
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any YAML node")
    }

    visit_scalar! {
        visit_bool: bool, visit_i64: i64, visit_i128: i128, visit_u64: u64, visit_u128: u128,
        visit_f64: f64, visit_str: &str, visit_bytes: &[u8],
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged node (`!tag value`): never on a policy path, so only consume it.
        let (IgnoredAny, variant) = data.variant::<IgnoredAny>()?;
        de::VariantAccess::newtype_variant::<IgnoredAny>(variant)?;
        self.scalar()
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.path.split_first() else {
            return Err(de::Error::custom(MARKER));
        };
        let Segment::Key(wanted) = first else {
            return drain_map(map);
        };
        let raise_on_key = rest.is_empty() && self.target == Target::Key;
        while let Some(hit) = map.next_key_seed(KeyProbe {
            wanted,
            raise: raise_on_key,
        })? {
            if hit {
                map.next_value_seed(Seek {
                    path: rest,
                    target: self.target,
                })?;
                return drain_map(map);
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.path.split_first() else {
            return Err(de::Error::custom(MARKER));
        };
        let Segment::Index(wanted) = *first else {
            return drain_seq(seq);
        };
        for _ in 0..wanted {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Seek {
            path: rest,
            target: self.target,
        })?;
        drain_seq(seq)
    }
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Reads a mapping key and says whether it is the wanted one; with `raise`, a hit raises the marker so the error
/// carries the key's own position.
struct KeyProbe<'w> {
    wanted: &'w str,
    raise: bool,
}

impl KeyProbe<'_> {
    fn compare<E: de::Error>(&self, key: &str) -> Result<bool, E> {
        let hit = key == self.wanted;
        if hit && self.raise {
            Err(E::custom(MARKER))
        } else {
            Ok(hit)
        }
    }
}

impl<'de> DeserializeSeed<'de> for KeyProbe<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeyProbe<'_> {
    type Value = bool;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a mapping key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        self.compare(key)
    }

    fn visit_bool<E: de::Error>(self, key: bool) -> Result<bool, E> {
        self.compare(&key.to_string())
    }

    fn visit_i64<E: de::Error>(self, key: i64) -> Result<bool, E> {
        self.compare(&key.to_string())
    }

    fn visit_u64<E: de::Error>(self, key: u64) -> Result<bool, E> {
        self.compare(&key.to_string())
    }

    fn visit_f64<E: de::Error>(self, key: f64) -> Result<bool, E> {
        self.compare(&key.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        self.compare("null")
    }

    fn visit_none<E: de::Error>(self) -> Result<bool, E> {
        self.compare("null")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
        drain_map(map).map(|()| false)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
        drain_seq(seq).map(|()| false)
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<bool, A::Error> {
        let (IgnoredAny, variant) = data.variant::<IgnoredAny>()?;
        de::VariantAccess::newtype_variant::<IgnoredAny>(variant)?;
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
version: 1
licenses:
  min-confidence: 0.9
  classes:
    permissive: allow
  overrides: {LicenseRef-x: forbidden, MTI: permissive}
clarifications:
  - repo: nhsx/a
    files:
      - path: LICENCE
        sha256: \"abc\"
  - repo: nhsx/b
    reason: |
      multi
      line
";

    fn at(path: &[Segment], target: Target) -> Option<(usize, usize)> {
        locate(DOC, path, target).map(|location| (location.line, location.column))
    }

    fn path(segments: &[Segment]) -> Vec<Segment> {
        segments.to_vec()
    }

    #[test]
    fn finds_keys_and_values_in_block_and_flow_style() {
        let table: &[(Vec<Segment>, Target, Option<(usize, usize)>)] = &[
            (path(&["version".into()]), Target::Value, Some((1, 10))),
            (path(&["version".into()]), Target::Key, Some((1, 1))),
            (path(&["licenses".into(), "min-confidence".into()]), Target::Value, Some((3, 19))),
            (path(&["licenses".into(), "classes".into(), "permissive".into()]), Target::Key, Some((5, 5))),
            (path(&["licenses".into(), "classes".into(), "permissive".into()]), Target::Value, Some((5, 17))),
            (path(&["licenses".into(), "overrides".into(), "MTI".into()]), Target::Key, Some((6, 40))),
            (path(&["clarifications".into(), 0.into(), "files".into(), 0.into(), "sha256".into()]), Target::Value, Some((11, 17))),
            (path(&["clarifications".into(), 1.into()]), Target::Value, Some((12, 5))),
            (path(&["clarifications".into(), 1.into(), "repo".into()]), Target::Value, Some((12, 11))),
            (path(&["clarifications".into(), 1.into(), "reason".into()]), Target::Key, Some((13, 5))),
            (path(&["clarifications".into(), 2.into()]), Target::Value, None),
            (path(&["licenses".into(), "absent".into()]), Target::Key, None),
            (path(&["version".into(), "deeper".into()]), Target::Value, None),
        ];
        for (path, target, expected) in table {
            assert_eq!(at(path, *target), *expected, "{} {target:?}", DisplayPath(path));
        }
    }

    #[test]
    fn a_node_after_a_syntax_error_is_not_found() {
        assert_eq!(locate("a: [\nb: 1\n", &["b".into()], Target::Value), None);
    }

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let text = "ab\n©d\nx".as_bytes();
        assert_eq!(location_of_offset(text, 0), Location { line: 1, column: 1 });
        assert_eq!(location_of_offset(text, 3), Location { line: 2, column: 1 });
        // '©' is two bytes but one column.
        assert_eq!(location_of_offset(text, 5), Location { line: 2, column: 2 });
        assert_eq!(location_of_offset(text, 7), Location { line: 3, column: 1 });
    }

    #[test]
    fn locations_map_back_to_byte_offsets() {
        let text = "a: ©\nbb: x\n";
        assert_eq!(offset_of_location(text, Location { line: 1, column: 4 }), Some(3));
        assert_eq!(offset_of_location(text, Location { line: 2, column: 5 }), Some(10));
        assert_eq!(offset_of_location(text, Location { line: 0, column: 1 }), None);
    }

    #[test]
    fn paths_display_like_the_documentation_names_keys() {
        let path = path(&["clarifications".into(), 1.into(), "files".into(), 0.into(), "sha256".into()]);
        assert_eq!(DisplayPath(&path).to_string(), "clarifications[1].files[0].sha256");
    }
}

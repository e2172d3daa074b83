//! Where a node sits in the YAML text. serde_yaml 0.9 keeps no spans in its `Value`, but it does stamp an
//! error raised while visiting a node with that node's line and column. So to find nodes by path we walk the
//! document once with a seed that skips everything off the requested paths and, on each requested scalar or
//! key, raises a marker error; the parent catches it, reads the position from it and carries on (a scalar's
//! event is consumed before its visitor runs, so the walk stays in step). A requested mapping or list is placed
//! at its first key or element, stepped back to its opening `[`, `{` or `- `; an empty one at the `[]` or `{}`
//! after its key.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use serde::Serialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A place in the file, 1-based like every editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// One step of a path from the document root.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

pub(crate) use duplicate::locate_duplicate_key;
pub(crate) use text::{flow_depth_beyond, location_of_offset, offset_of_location};

const MARKER: &str = "\u{0}keepopen-locate\u{0}";

/// A node to find: its path and whether to point at its key or its value.
pub(crate) type Request = (Vec<Segment>, Target);

/// The start of each requested node (or of its key), in one parse of the text. `None` where the path is not in
/// the document; an empty mapping or list falls back to the key that holds it.
pub(crate) fn locate_all(text: &str, requests: &[Request]) -> Vec<Option<Location>> {
    let mut on_path = HashSet::new();
    for (path, _) in requests {
        for length in 0..=path.len() {
            on_path.insert(path[..length].to_vec());
        }
    }
    let state = RefCell::new(State {
        requests,
        on_path,
        found: vec![None; requests.len()],
        collection: vec![None; requests.len()],
    });
    let deserializer = serde_yaml::Deserializer::from_str(text);
    let root = Walk {
        state: &state,
        path: Vec::new(),
        wanted: state.borrow().wanted_value(&[], Vec::new()),
    };
    // A marker raised by a root scalar, or a syntax error: record what we can and keep what was found.
    if let Err(error) = root.deserialize(deserializer)
        && let Some(location) = marker_location(&error)
    {
        let wanted = state.borrow().wanted_value(&[], Vec::new());
        state.borrow_mut().record(&wanted, location);
    }
    let State {
        mut found,
        collection,
        ..
    } = state.into_inner();
    for (location, kind) in found.iter_mut().zip(collection) {
        if let Some(kind) = kind {
            *location = location.map(|location| collection_start(text, location, kind));
        }
    }
    for (n, (path, target)) in requests.iter().enumerate() {
        if found[n].is_none() && *target == Target::Value {
            found[n] = requests
                .iter()
                .position(|(other, target)| other == path && *target == Target::Key)
                .and_then(|key| found[key])
                .or_else(|| locate_all_key(text, path));
        }
    }
    found
}

/// A collection starts before its first child when it opens with a bracket, or (a list) with `- `: step back
/// over spaces to a `[`/`{`, or to a `-` that begins the line's content.
fn collection_start(text: &str, first_child: Location, kind: Collection) -> Location {
    let Some(offset) = offset_of_location(text, first_child) else {
        return first_child;
    };
    let before = &text[..offset];
    let trimmed = before.trim_end_matches([' ', '\t']);
    let opens = match kind {
        Collection::Mapping => trimmed.ends_with('{'),
        Collection::Sequence => {
            let line_start = trimmed.rfind('\n').map_or(0, |newline| newline + 1);
            trimmed.ends_with('[') || trimmed[line_start..].trim_start_matches([' ', '\t']) == "-"
        }
    };
    if !opens {
        return first_child;
    }
    let skipped = before[trimmed.len()..].chars().count() + 1;
    Location {
        line: first_child.line,
        column: first_child.column.saturating_sub(skipped).max(1),
    }
}

/// Where an empty collection sits: found from the key holding it, at the `[]` or `{}` after the key on the
/// same line, else at the key.
fn locate_all_key(text: &str, path: &[Segment]) -> Option<Location> {
    let Some(Segment::Key(key)) = path.last() else {
        return None;
    };
    let at_key = locate_all(text, &[(path.to_vec(), Target::Key)])[0]?;
    let Some(offset) = offset_of_location(text, at_key) else {
        return Some(at_key);
    };
    let line = text[offset..].lines().next().unwrap_or_default();
    let value = line
        .strip_prefix(key.as_str())
        .map(|rest| rest.trim_start_matches([' ', '\t']))
        .and_then(|rest| rest.strip_prefix(':'))
        .map(|rest| rest.trim_start_matches([' ', '\t']))
        .filter(|rest| rest.starts_with('[') || rest.starts_with('{'));
    Some(match value {
        Some(rest) => Location {
            line: at_key.line,
            column: at_key.column + line[..line.len() - rest.len()].chars().count(),
        },
        None => at_key,
    })
}

/// The start of one node (or its key).
#[cfg(test)]
pub(crate) fn locate(text: &str, path: &[Segment], target: Target) -> Option<Location> {
    locate_all(text, &[(path.to_vec(), target)])[0]
}

/// The position in a marker error, read back from its message ("... at line L column C"; libyaml's first
/// character has no position in the message).
fn marker_location<E: fmt::Display>(error: &E) -> Option<Location> {
    let message = error.to_string();
    if !message.contains(MARKER) {
        return None;
    }
    let Some((_, place)) = message.rsplit_once(" at line ") else {
        return Some(Location { line: 1, column: 1 });
    };
    let (line, column) = place.split_once(" column ")?;
    Some(Location {
        line: line.trim().parse().ok()?,
        column: column.trim().parse().ok()?,
    })
}

struct State<'r> {
    requests: &'r [Request],
    /// Every prefix of a requested path: subtrees off these are skipped.
    on_path: HashSet<Vec<Segment>>,
    found: Vec<Option<Location>>,
    /// Requests about a mapping or list, placed at its first child.
    collection: Vec<Option<Collection>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Collection {
    Mapping,
    Sequence,
}

impl State<'_> {
    /// The outermost collection a request is about wins (a list's first element may be a mapping).
    fn mark_collection(&mut self, requests: &[usize], kind: Collection) {
        for &n in requests {
            self.collection[n].get_or_insert(kind);
        }
    }

    /// The requests answered by the node at `path` itself, plus those handed down by an ancestor collection.
    fn wanted_value(&self, path: &[Segment], mut inherited: Vec<usize>) -> Vec<usize> {
        inherited.extend(self.matching(path, Target::Value));
        inherited
    }

    fn matching(&self, path: &[Segment], target: Target) -> impl Iterator<Item = usize> + '_ {
        let path = path.to_vec();
        self.requests
            .iter()
            .enumerate()
            .filter(move |(_, (requested, requested_target))| {
                *requested == path && *requested_target == target
            })
            .map(|(n, _)| n)
    }

    fn record(&mut self, requests: &[usize], location: Location) {
        for &n in requests {
            self.found[n].get_or_insert(location);
        }
    }
}

/// Visits one node. `wanted` are the requests this node's position answers; a scalar with any raises the
/// marker, a collection hands them to its first key or element.
struct Walk<'s, 'r> {
    state: &'s RefCell<State<'r>>,
    path: Vec<Segment>,
    wanted: Vec<usize>,
}

impl Walk<'_, '_> {
    fn scalar<E: de::Error>(&self) -> Result<(), E> {
        if self.wanted.is_empty() {
            Ok(())
        } else {
            Err(E::custom(MARKER))
        }
    }

    /// Whether the key `key` of this mapping is a requested position.
    fn key_requested(&self, key: &str) -> bool {
        let mut path = self.path.clone();
        path.push(Segment::Key(key.to_owned()));
        self.state
            .borrow()
            .matching(&path, Target::Key)
            .next()
            .is_some()
    }

    fn child(&self, segment: Segment, inherited: Vec<usize>) -> Option<Self> {
        let mut path = self.path.clone();
        path.push(segment);
        let state = self.state.borrow();
        let wanted = state.wanted_value(&path, inherited);
        if wanted.is_empty() && !state.on_path.contains(&path) {
            return None;
        }
        drop(state);
        Some(Walk {
            state: self.state,
            path,
            wanted,
        })
    }

    /// Walk (or skip) one child value, catching the marker it raises.
    fn visit_child<E: de::Error>(
        &self,
        child: Option<Self>,
        visit: impl FnOnce(Option<Self>) -> Result<(), E>,
    ) -> Result<(), E> {
        let wanted = child
            .as_ref()
            .map(|child| child.wanted.clone())
            .unwrap_or_default();
        match visit(child) {
            Ok(()) => Ok(()),
            Err(error) => match marker_location(&error) {
                Some(location) => {
                    self.state.borrow_mut().record(&wanted, location);
                    Ok(())
                }
                None => Err(error),
            },
        }
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_, '_> {
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

impl<'de> Visitor<'de> for Walk<'_, '_> {
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

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged node (`!tag value`) is never on a policy path: consume it; it has no position of its own.
        let (IgnoredAny, variant) = data.variant::<IgnoredAny>()?;
        de::VariantAccess::newtype_variant::<IgnoredAny>(variant).map(|IgnoredAny| ())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.state
            .borrow_mut()
            .mark_collection(&self.wanted, Collection::Mapping);
        let mut inherited = self.wanted.clone();
        loop {
            let mut key = None;
            // The key is requested, or it is the first key of a mapping whose own position was requested.
            let raise_anyway = !inherited.is_empty();
            let probe = KeyText(|text: String| {
                let requested = self.key_requested(&text);
                key = Some(text);
                requested || raise_anyway
            });
            match map.next_key_seed(probe) {
                Ok(None) => return Ok(()),
                Ok(Some(())) => {}
                Err(error) => {
                    let location = marker_location(&error).ok_or(error)?;
                    let mut state = self.state.borrow_mut();
                    state.record(&inherited, location);
                    if let Some(key) = key.clone() {
                        let mut path = self.path.clone();
                        path.push(Segment::Key(key));
                        let keys: Vec<usize> = state.matching(&path, Target::Key).collect();
                        state.record(&keys, location);
                    }
                }
            }
            inherited.clear();
            let child = key.and_then(|key| self.child(Segment::Key(key), Vec::new()));
            self.visit_child(child, |child| match child {
                Some(child) => map.next_value_seed(child),
                None => map.next_value::<IgnoredAny>().map(|IgnoredAny| ()),
            })?;
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.state
            .borrow_mut()
            .mark_collection(&self.wanted, Collection::Sequence);
        let mut inherited = self.wanted.clone();
        let mut index = 0;
        loop {
            let child = self.child(Segment::Index(index), std::mem::take(&mut inherited));
            let mut ended = false;
            self.visit_child(child, |child| {
                ended = match child {
                    Some(child) => seq.next_element_seed(child)?.is_none(),
                    None => seq.next_element::<IgnoredAny>()?.is_none(),
                };
                Ok(())
            })?;
            if ended {
                return Ok(());
            }
            index += 1;
        }
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

/// Reads a mapping key as text (a string, a boolean, a number, or `null`; a collection as a key is drained and
/// gives none) and hands it to its function, which says whether to raise the marker at the key. The one key
/// reader of both walks: [`Walk`] asks whether the key was requested, the duplicate seek whether it was seen.
struct KeyText<F>(F);

impl<F: FnOnce(String) -> bool> KeyText<F> {
    fn read<E: de::Error>(self, key: String) -> Result<(), E> {
        if (self.0)(key) {
            Err(E::custom(MARKER))
        } else {
            Ok(())
        }
    }
}

impl<'de, F: FnOnce(String) -> bool> DeserializeSeed<'de> for KeyText<F> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, F: FnOnce(String) -> bool> Visitor<'de> for KeyText<F> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a mapping key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<(), E> {
        self.read(key.to_owned())
    }

    fn visit_bool<E: de::Error>(self, key: bool) -> Result<(), E> {
        self.read(key.to_string())
    }

    fn visit_i64<E: de::Error>(self, key: i64) -> Result<(), E> {
        self.read(key.to_string())
    }

    fn visit_u64<E: de::Error>(self, key: u64) -> Result<(), E> {
        self.read(key.to_string())
    }

    fn visit_f64<E: de::Error>(self, key: f64) -> Result<(), E> {
        self.read(key.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.read("null".into())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        drain_map(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        drain_seq(seq)
    }
}

// After `visit_scalar!`, which `duplicate` uses.
mod duplicate;
#[cfg(test)]
mod tests;
mod text;

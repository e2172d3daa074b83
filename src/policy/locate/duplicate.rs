//! Where serde_yaml's "duplicate entry" is: the second occurrence of the key, not the start of its mapping.

use super::*;

/// The second occurrence of a key in some mapping, in document order. serde_yaml reports a duplicate at the
/// start of the mapping; this finds the key itself.
pub(crate) fn locate_duplicate_key(text: &str) -> Option<Location> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    match DuplicateSeek.deserialize(deserializer) {
        Err(error) if error.to_string().contains(MARKER) => {
            error.location().map(|location| Location {
                line: location.line(),
                column: location.column(),
            })
        }
        _ => None,
    }
}

/// Walks every node; in each mapping, raises the marker on the first key seen twice.
struct DuplicateSeek;

impl<'de> DeserializeSeed<'de> for DuplicateSeek {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl DuplicateSeek {
    fn scalar<E: de::Error>(&self) -> Result<(), E> {
        Ok(())
    }
}

impl<'de> Visitor<'de> for DuplicateSeek {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any YAML node")
    }

    visit_scalar! {
        visit_bool: bool, visit_i64: i64, visit_i128: i128, visit_u64: u64, visit_u128: u128,
        visit_f64: f64, visit_str: &str, visit_bytes: &[u8],
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let (IgnoredAny, variant) = data.variant::<IgnoredAny>()?;
        de::VariantAccess::newtype_variant_seed(variant, DuplicateSeek)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = std::collections::HashSet::new();
        // A key raises the marker when the mapping already had it.
        while map
            .next_key_seed(KeyText(|key| !seen.insert(key)))?
            .is_some()
        {
            map.next_value_seed(DuplicateSeek)?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(DuplicateSeek)?.is_some() {}
        Ok(())
    }
}

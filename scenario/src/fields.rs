//! The field names of the format's objects, read from their serde derives (the one
//! place they are written). serde_json refuses an unknown field through
//! `deny_unknown_fields`; a deserializer that reads only a struct's own fields, as
//! serde-wasm-bindgen does with a JS object, never shows it one, so a host using it
//! checks the keys against these lists first.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::line::{IntroduceLine, Line, LinkLine, SettingsLine, SetupLine};

/// The fields of the object at `path`: `""` for the line itself, or the name of a
/// line field that holds an object (`setup`, `link`, `introduce`, `set`), or
/// `setup.set`.
pub fn fields(path: &str) -> Option<&'static [&'static str]> {
    Some(match path {
        "" => names::<Line>(),
        "setup" => names::<SetupLine>(),
        "link" => names::<LinkLine>(),
        "introduce" => names::<IntroduceLine>(),
        "set" | "setup.set" => names::<SettingsLine>(),
        _ => return None,
    })
}

/// `field` is not one of `known`, in serde's words.
pub fn unknown_field(field: &str, known: &[&str]) -> String {
    let expected: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
    format!(
        "unknown field `{field}`, expected one of {}",
        expected.join(", ")
    )
}

/// The field names `T`'s derived `Deserialize` asks for.
fn names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    // Introspect always ends in an error, once it has the names.
    let _ = T::deserialize(Introspect(&mut names));
    names
}

/// A deserializer that only records the fields a struct asks for.
struct Introspect<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for Introspect<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("fields recorded"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
        identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_fields_of_each_object_of_the_format() {
        let line = fields("").unwrap();
        assert_eq!(line.len(), 15);
        assert!(line.contains(&"at") && line.contains(&"set") && line.contains(&"setup"));
        assert_eq!(fields("introduce"), Some(&["node", "to"][..]));
        assert_eq!(
            fields("link"),
            Some(&["from", "to", "loss", "latency_ms", "jitter_ms"][..])
        );
        assert!(fields("set").unwrap().contains(&"threshold"));
        assert!(fields("setup").unwrap().contains(&"bootstrap"));
        assert_eq!(fields("crash"), None);
    }

    /// The same words as serde_json's, so that both hosts say the same.
    #[cfg(feature = "json")]
    #[test]
    fn an_unknown_field_is_described_as_serde_json_does() {
        let native = crate::Scenario::parse("{\"at\": 1, \"intrduce\": {}}")
            .unwrap_err()
            .message;
        assert_eq!(
            native,
            unknown_field("intrduce", fields("").unwrap()) + " (column 20)"
        );
    }
}

//! Reads the app's request types (`users::NewUser`, `users::UserChanges`, …) from a page's
//! form, so that a page and the API hand the operation the same value, each field with the
//! same meaning:
//! - a key the type does not have is passed over: a form also carries its CSRF token, its
//!   one-time value, its buttons (the types refuse unknown keys in JSON, and serde tells the
//!   reader which keys a type has);
//! - a key the form lacks is absent: the field is left as it is;
//! - an empty or blank value is none (JSON's `null`): it clears an optional field, and on a
//!   creation means no value;
//! - a ticked box (`on`) is `true`; a key sent several times is a list.
//!
//! Values are passed on as typed, untrimmed, as the API passes them: the checks trim.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Unexpected, Visitor};
use serde::forward_to_deserialize_any;
use sesame_core::FieldError;
use std::collections::BTreeMap;

type Form = BTreeMap<String, Vec<String>>;

/// `T` from `form`; a value it cannot hold (a box that is neither ticked nor not, text where a
/// list of roles is expected: never what our pages send) is refused on its field.
pub(crate) fn read_form<T: DeserializeOwned>(form: &Form) -> Result<T, sesame_app::Error> {
    serde_path_to_error::deserialize(Reader(form)).map_err(|e| {
        let field = e.path().to_string();
        let detail = e.into_inner().to_string();
        sesame_app::Error::Invalid(vec![
            FieldError::new(field.clone(), "request.form_value")
                .with("field", field)
                .with("detail", detail),
        ])
    })
}

/// The whole form: a struct of the keys it knows.
struct Reader<'a>(&'a Form);

impl<'de> de::Deserializer<'de> for Reader<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        let pairs = self.0.iter().map(|(k, v)| (k.as_str(), Values(v)));
        visitor.visit_map(MapDeserializer::new(pairs))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let pairs = self
            .0
            .iter()
            .filter(|(k, _)| fields.contains(&k.as_str()))
            .map(|(k, v)| (k.as_str(), Values(v)));
        visitor.visit_map(MapDeserializer::new(pairs))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The values of one key, in the order sent.
struct Values<'a>(&'a [String]);

impl<'a> Values<'a> {
    fn first(&self) -> &'a str {
        self.0.first().map_or("", String::as_str)
    }
}

impl<'de> IntoDeserializer<'de, de::value::Error> for Values<'_> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Values<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_str(self.first())
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if self.first().trim().is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.first() {
            "on" | "true" => visitor.visit_bool(true),
            "" | "off" | "false" => visitor.visit_bool(false),
            other => Err(de::Error::invalid_value(
                Unexpected::Str(other),
                &"a box ticked (on) or not",
            )),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_seq(SeqDeserializer::new(self.0.iter().map(String::as_str)))
    }

    forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests;

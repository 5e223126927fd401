//! The kind of value each Rust type of a scenario key takes in a file (number, whole number, text, switch, choice, list, table per programme kind), so that the JSON Schema follows the declarations.

use super::{Approach, Level, ProgrammeKind, WeatherKind};
use std::collections::BTreeMap;

/// What a key's value is, as written in a scenario file.
#[derive(Debug, Clone, Copy)]
pub enum ValueType {
    Number,
    /// A whole number of 0 or more (`u32`).
    Count,
    /// A whole number that may be negative (`i32`).
    Integer,
    Text,
    Switch,
    /// One of a set of names; the function lists them as serde reads them.
    Choice(fn() -> &'static [&'static str]),
    /// A list of numbers of any length.
    Numbers,
    /// A list of exactly this many numbers.
    FixedNumbers(usize),
    /// A table with one number per programme kind.
    PerKind,
}

/// A Rust type a scenario key can have.
pub trait Typed {
    const TYPE: ValueType;
}

macro_rules! typed {
    ($($t:ty => $v:expr),* $(,)?) => {$(
        impl Typed for $t {
            const TYPE: ValueType = $v;
        }
    )*};
}
typed! {
    f64 => ValueType::Number,
    u32 => ValueType::Count,
    i32 => ValueType::Integer,
    String => ValueType::Text,
    bool => ValueType::Switch,
    Vec<f64> => ValueType::Numbers,
    BTreeMap<ProgrammeKind, f64> => ValueType::PerKind,
    Approach => ValueType::Choice(variants::<Approach>),
    Level => ValueType::Choice(variants::<Level>),
    WeatherKind => ValueType::Choice(variants::<WeatherKind>),
}

impl<const N: usize> Typed for [f64; N] {
    const TYPE: ValueType = ValueType::FixedNumbers(N);
}

/// The names serde accepts for a unit-variant enum, read from its derived
/// `Deserialize` so that they can never differ from what a file may say.
pub fn variants<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    match T::deserialize(VariantsOf) {
        Err(Found(Some(names))) => names,
        _ => panic!("{} is not an enum", std::any::type_name::<T>()),
    }
}

/// A deserializer that answers nothing but records the variant names an enum asks for.
struct VariantsOf;

/// The "error" [`VariantsOf`] ends with: the names, when it was asked for an enum.
#[derive(Debug)]
struct Found(Option<&'static [&'static str]>);

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not an enum")
    }
}

impl std::error::Error for Found {}

impl serde::de::Error for Found {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        Found(None)
    }
}

impl<'de> serde::Deserializer<'de> for VariantsOf {
    type Error = Found;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Found> {
        Err(Found(None))
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Found> {
        Err(Found(Some(variants)))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_the_names_serde_reads() {
        assert_eq!(variants::<Approach>(), ["ovop", "kawasan", "none"]);
        assert_eq!(variants::<WeatherKind>(), ["el_nino", "la_nina", "flood"]);
        let kinds: Vec<&str> = ProgrammeKind::NAMES.iter().map(|(n, _)| *n).collect();
        assert_eq!(variants::<ProgrammeKind>(), kinds);
        for name in variants::<Level>() {
            let level: Level = serde_json::from_value(serde_json::json!(name)).unwrap();
            assert_eq!(serde_json::to_value(level).unwrap(), *name);
        }
    }
}

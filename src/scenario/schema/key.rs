//! What one scenario key declaration carries, and the `section!` macro that turns a section's declarations into its struct, defaults, docs and range checks.
//!
//! A key is declared once, in the section file it belongs to:
//!
//! ```text
//! section! {
//!     /// Wages, prices and growth outside agro-industry.
//!     pub struct Economy in "economy" {
//!         group_wage: f64 = 1_700_000.0 => {
//!             meaning: "wage of a producer-group worker",
//!             unit: "Rp/month",
//!             allowed: non_negative,
//!             source: "UMK 2024 ...",
//!         },
//!     }
//! }
//! ```
//!
//! From that the macro writes the struct field (with its serde attributes and
//! a doc line "meaning (unit)"), the section's `Default`, the range check
//! with its error message, and the `Key` that `ovopsim params`, the
//! docs/ODD.md table, `ovopsim new`'s template and the JSON Schema
//! (`ovopsim schema`, typed by `value_type.rs`) are rendered from. A key
//! marked `advanced` (a model constant most users leave alone) is listed by
//! `ovopsim params --all` and set like any other key. `allowed:` is one of
//! `share`, `positive`, `non_negative`, `range(lo, hi)`, `int(lo, hi)`,
//! `at_most(hi)` (0 to hi), `positive_at_most(hi)` (every money and count
//! key has an upper bound, so that no sum overflows),
//! `any` (text, choices, switches) or `by_hand("text")` for a bound that
//! depends on other keys, checked in `validate.rs`.
//!
//! A field declared `=> section` is a nested section (its own `section!`);
//! a field with no `=>` part (lists, `extends`) is handled by hand.

use std::collections::BTreeMap;

/// "calibrated": chosen so that the model's patterns emerge.
pub const CAL: &str = "calibrated";
/// "assumption": a plausible value with no figure behind it.
pub const ASM: &str = "assumption";

/// The values a key allows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Allowed {
    /// No range: text, a choice serde already checks, or a switch.
    Any,
    /// 0 to 1.
    Share,
    /// Greater than 0.
    Positive,
    /// 0 or more.
    NonNegative,
    /// 0 to hi: a money or count key, bounded so that sums stay finite.
    AtMost(f64),
    /// Greater than 0 and at most hi.
    PositiveAtMost(f64),
    /// A number from lo to hi.
    Range(f64, f64),
    /// A whole number from lo to hi.
    Int(u32, u32),
    /// Checked by hand in `validate.rs` because the bound depends on other keys; the text says what is allowed.
    ByHand(&'static str),
}

impl Allowed {
    /// The allowed values as written in messages and tables ("-" when unchecked).
    pub fn text(self) -> String {
        match self {
            Allowed::Any => "-".into(),
            Allowed::Share => Allowed::Range(0.0, 1.0).text(),
            Allowed::Positive => "greater than 0".into(),
            Allowed::NonNegative => "0 or more".into(),
            Allowed::AtMost(hi) => format!("0 to {hi}"),
            Allowed::PositiveAtMost(hi) => format!("greater than 0 and at most {hi}"),
            Allowed::Range(lo, hi) => format!("{lo} to {hi}"),
            Allowed::Int(lo, hi) => format!("a whole number {lo} to {hi}"),
            Allowed::ByHand(text) => text.into(),
        }
    }

    /// Checks one number; `Any` and `ByHand` pass here.
    pub fn check(self, c: &mut Checker, key: &str, v: f64) {
        let ok = match self {
            Allowed::Any | Allowed::ByHand(_) => return,
            Allowed::Share => v.is_finite() && (0.0..=1.0).contains(&v),
            Allowed::Positive => v.is_finite() && v > 0.0,
            Allowed::NonNegative => v.is_finite() && v >= 0.0,
            // Below the lower bound the message stays that of the unbounded word.
            Allowed::AtMost(_) if v < 0.0 => return Allowed::NonNegative.check(c, key, v),
            Allowed::PositiveAtMost(_) if v <= 0.0 => return Allowed::Positive.check(c, key, v),
            Allowed::AtMost(hi) | Allowed::PositiveAtMost(hi) => v.is_finite() && v <= hi,
            Allowed::Range(lo, hi) => v.is_finite() && v >= lo && v <= hi,
            Allowed::Int(lo, hi) => v >= f64::from(lo) && v <= f64::from(hi),
        };
        if !ok {
            c.fail(key, format!("must be {}, got {}", self.text(), number(v)));
        }
    }
}

/// A number as a user would write it: `1e308` rather than 309 digits.
fn number(v: f64) -> String {
    if v != 0.0 && !(1e-6..1e16).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// The `allowed:` words of a declaration.
pub mod allowed {
    use super::Allowed;
    pub const fn any() -> Allowed {
        Allowed::Any
    }
    pub const fn share() -> Allowed {
        Allowed::Share
    }
    pub const fn positive() -> Allowed {
        Allowed::Positive
    }
    pub const fn non_negative() -> Allowed {
        Allowed::NonNegative
    }
    pub const fn at_most(hi: f64) -> Allowed {
        Allowed::AtMost(hi)
    }
    pub const fn positive_at_most(hi: f64) -> Allowed {
        Allowed::PositiveAtMost(hi)
    }
    pub const fn range(lo: f64, hi: f64) -> Allowed {
        Allowed::Range(lo, hi)
    }
    pub const fn int(lo: u32, hi: u32) -> Allowed {
        Allowed::Int(lo, hi)
    }
    pub const fn by_hand(text: &'static str) -> Allowed {
        Allowed::ByHand(text)
    }
}

/// One declared key.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// Key path as written with `--set` (`economy.group_wage`); `[]` marks a field of every entry of a list.
    pub path: &'static str,
    pub meaning: &'static str,
    pub unit: &'static str,
    pub allowed: Allowed,
    /// What the value is in a file (number, text, choice...), from the key's Rust type.
    pub value: super::value_type::ValueType,
    /// Where the default comes from: a figure, "calibrated" or "assumption".
    pub source: &'static str,
    /// A model constant most users leave alone: listed by `ovopsim params --all`.
    pub advanced: bool,
    /// For a map key: its entries as (name, what it is); each entry is a key of its own.
    pub entries: &'static [(&'static str, &'static str)],
}

/// A TOML table of the scenario: its path ("" for the top level) and its comment lines.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub path: &'static str,
    pub doc: &'static [&'static str],
}

/// The declarations of a scenario in file order: each table, then its keys.
#[derive(Debug, Clone, Copy)]
pub enum Item {
    Table(Table),
    Key(Key),
}

/// Collects problems as (key path, message) in the order found.
#[derive(Debug, Default)]
pub struct Checker {
    pub problems: Vec<(String, String)>,
}

impl Checker {
    pub fn fail(&mut self, key: &str, message: String) {
        self.problems.push((key.to_string(), message));
    }
}

/// A type a key can have: how its value is range-checked, and its entries if it is a map.
pub trait KeyValue {
    /// Entries of a map key as (name, what it is); empty for a plain key.
    const ENTRIES: &'static [(&'static str, &'static str)] = &[];
    fn check(&self, c: &mut Checker, key: &str, allowed: Allowed);
}

impl KeyValue for f64 {
    fn check(&self, c: &mut Checker, key: &str, allowed: Allowed) {
        allowed.check(c, key, *self);
    }
}

impl KeyValue for u32 {
    fn check(&self, c: &mut Checker, key: &str, allowed: Allowed) {
        allowed.check(c, key, f64::from(*self));
    }
}

impl KeyValue for i32 {
    fn check(&self, c: &mut Checker, key: &str, allowed: Allowed) {
        allowed.check(c, key, f64::from(*self));
    }
}

/// A list of numbers: each entry is checked, named `key[i]`.
impl KeyValue for Vec<f64> {
    fn check(&self, c: &mut Checker, key: &str, allowed: Allowed) {
        for (ix, v) in self.iter().enumerate() {
            allowed.check(c, &format!("{key}[{ix}]"), *v);
        }
    }
}

/// One number per programme kind, each checked as `key.<kind>`.
impl KeyValue for BTreeMap<super::ProgrammeKind, f64> {
    const ENTRIES: &'static [(&'static str, &'static str)] = &super::ProgrammeKind::NAMES;
    fn check(&self, c: &mut Checker, key: &str, allowed: Allowed) {
        for (kind, v) in self {
            allowed.check(c, &format!("{key}.{}", kind.name()), *v);
        }
    }
}

/// Keys without a range (text, choices, switches).
macro_rules! unchecked {
    ($($t:ty),*) => {$(
        impl KeyValue for $t {
            fn check(&self, _: &mut Checker, _: &str, allowed: Allowed) {
                // Text keys such as `name` are checked by hand in validate.rs.
                debug_assert!(
                    matches!(allowed, Allowed::Any | Allowed::ByHand(_)),
                    "a {} key has no range",
                    stringify!($t)
                );
            }
        }
    )*};
}
unchecked!(String, bool, super::Approach);

/// Declares one section of the scenario file; see the module documentation.
macro_rules! section {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident in $table:literal {
            $(
                $(#[$meta:meta])*
                $field:ident : $ty:ty = $default:expr $(=> $spec:tt)?
            ),* $(,)?
        }
    ) => {
        $crate::scenario::schema::key::section!(@struct [$($doc),*] $name $table [$table, "."] {
            $( [$(#[$meta])*] $field : $ty = $default $(=> $spec)? ; )*
        });
    };
    // The top level: its keys have no table prefix.
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            $(
                $(#[$meta:meta])*
                $field:ident : $ty:ty = $default:expr $(=> $spec:tt)?
            ),* $(,)?
        }
    ) => {
        $crate::scenario::schema::key::section!(@struct [$($doc),*] $name "" [] {
            $( [$(#[$meta])*] $field : $ty = $default $(=> $spec)? ; )*
        });
    };
    (@struct [$($doc:literal),*] $name:ident $table:literal $prefix:tt {
        $( [$(#[$meta:meta])*] $field:ident : $ty:ty = $default:expr $(=> $spec:tt)? ; )*
    }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct $name {
            $(
                $(#[doc = $crate::scenario::schema::key::section!(@doc $field $spec)])?
                $(#[$meta])*
                pub $field: $ty,
            )*
        }

        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: $default, )* }
            }
        }

        impl $name {
            /// This section's table, keys and nested sections, in file order.
            pub fn declare(out: &mut Vec<$crate::scenario::schema::key::Item>) {
                out.push($crate::scenario::schema::key::Item::Table(
                    $crate::scenario::schema::key::Table { path: $table, doc: &[$($doc),*] },
                ));
                $( $( $crate::scenario::schema::key::section!(@declare out $prefix $field $ty => $spec); )? )*
            }

            /// Checks the declared range of every key of this section and its nested sections.
            pub fn check_keys(&self, c: &mut $crate::scenario::schema::key::Checker) {
                $( $( $crate::scenario::schema::key::section!(@check self c $prefix $field $ty => $spec); )? )*
            }
        }
    };
    (@doc $field:ident section) => {
        concat!("The [", stringify!($field), "] section.")
    };
    (@doc $field:ident { meaning: $meaning:literal, unit: $unit:literal, $($rest:tt)* }) => {
        concat!($meaning, " (", $unit, ").")
    };
    (@declare $out:ident [$($prefix:literal),*] $field:ident $ty:ty => section) => {
        <$ty>::declare($out)
    };
    (@declare $out:ident [$($prefix:literal),*] $field:ident $ty:ty => {
        meaning: $meaning:literal,
        unit: $unit:literal,
        allowed: $allowed:ident $(($($arg:expr),*))?,
        source: $source:expr
        $(, $advanced:ident)? $(,)?
    }) => {
        $out.push($crate::scenario::schema::key::Item::Key($crate::scenario::schema::key::Key {
            path: concat!($($prefix,)* stringify!($field)),
            meaning: $meaning,
            unit: $unit,
            allowed: $crate::scenario::schema::key::allowed::$allowed($($($arg),*)?),
            value: <$ty as $crate::scenario::schema::value_type::Typed>::TYPE,
            source: $source,
            advanced: $crate::scenario::schema::key::section!(@advanced $($advanced)?),
            entries: <$ty as $crate::scenario::schema::key::KeyValue>::ENTRIES,
        }))
    };
    (@advanced advanced) => { true };
    (@advanced) => { false };
    (@check $self:ident $c:ident [$($prefix:literal),*] $field:ident $ty:ty => section) => {
        $self.$field.check_keys($c)
    };
    (@check $self:ident $c:ident [$($prefix:literal),*] $field:ident $ty:ty => {
        meaning: $meaning:literal,
        unit: $unit:literal,
        allowed: $allowed:ident $(($($arg:expr),*))?,
        $($rest:tt)*
    }) => {
        $crate::scenario::schema::key::KeyValue::check(
            &$self.$field,
            $c,
            concat!($($prefix,)* stringify!($field)),
            $crate::scenario::schema::key::allowed::$allowed($($($arg),*)?),
        )
    };
}
pub(crate) use section;

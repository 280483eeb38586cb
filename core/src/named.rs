//! The names of every choice a user makes (a profile, a mode, a detector, a timing,
//! a bootstrap, a protocol): the one spelling that URLs, JS options, scenario files
//! and command-line flags all use, written here once.

/// A choice with a name for each of its values.
pub trait Named: Sized + Copy + 'static {
    /// Every value.
    const ALL: &'static [Self];
    /// Their names, in the same order.
    const NAMES: &'static [&'static str];

    /// This value's name.
    fn name(self) -> &'static str;

    /// The value called `name`, if any.
    fn from_name(name: &str) -> Option<Self> {
        let at = Self::NAMES.iter().position(|n| *n == name)?;
        Self::ALL.get(at).copied()
    }
}

/// Names an enum of unit variants: its `ALL`, `NAMES` and `name` from one list.
#[macro_export]
macro_rules! named {
    ($type:ty { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $crate::named::Named for $type {
            const ALL: &'static [Self] = &[$(<$type>::$variant),+];
            const NAMES: &'static [&'static str] = &[$($name),+];

            fn name(self) -> &'static str {
                match self {
                    $(<$type>::$variant => $name),+
                }
            }
        }
    };
}

pub use named;

#[cfg(test)]
mod tests {
    use super::Named;
    use crate::sim::{Bootstrap, Timing};

    /// Every value's name reads back as the value; an unknown name as none.
    pub(crate) fn round_trips<T: Named + PartialEq + core::fmt::Debug>() {
        assert_eq!(T::ALL.len(), T::NAMES.len());
        for (&value, &name) in T::ALL.iter().zip(T::NAMES) {
            assert_eq!(value.name(), name);
            assert_eq!(T::from_name(name), Some(value));
        }
        assert_eq!(T::from_name("custom"), None);
    }

    #[test]
    fn every_name_reads_back_as_its_value() {
        round_trips::<Timing>();
        round_trips::<Bootstrap>();
    }
}

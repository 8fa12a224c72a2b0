//! Stable text codes of the domain's enumerations, as stored and exchanged.

use std::fmt;

/// A code that names no member of an enumeration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{code}`; expected one of: {expected}")]
pub struct UnknownCode {
    pub what: &'static str,
    pub code: String,
    pub expected: String,
}

/// Declares an enumeration with a stable code per member, `ALL`, `code()`, `Display` and `FromStr`.
macro_rules! coded_enum {
    ($(#[$doc:meta])* $name:ident ($what:literal) { $($(#[$vdoc:meta])* $variant:ident = $code:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant),* }

        impl $name {
            /// Every member, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stable code of this member.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::code::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok($name::$variant),)*
                    _ => Err($crate::code::UnknownCode {
                        what: $what,
                        code: s.to_owned(),
                        expected: $crate::code::list(&[$($code),*]),
                    }),
                }
            }
        }
    };
}
pub(crate) use coded_enum;

pub(crate) fn list(codes: &[&str]) -> String {
    struct Joined<'a>(&'a [&'a str]);
    impl fmt::Display for Joined<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            for (i, c) in self.0.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                f.write_str(c)?;
            }
            Ok(())
        }
    }
    Joined(codes).to_string()
}

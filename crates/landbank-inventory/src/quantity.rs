//! Quantities with their units: areas in square metres and mu, lengths in metres, money in 万元.

use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub};

/// Square metres per mu: 1 mu = 10000/15 m² exactly.
const M2_PER_MU: f64 = 10_000.0 / 15.0;

/// An area in square metres (m²).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct SquareMeters(pub f64);

/// An area in mu (亩), the Chinese land unit: 15 mu = 1 ha, 1 mu = 666.666… m².
///
/// # Examples
///
/// ```
/// use landbank_inventory::{Mu, SquareMeters};
/// assert_eq!(Mu::from(SquareMeters(10_000.0)), Mu(15.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Mu(pub f64);

/// A length in metres.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Meters(pub f64);

/// Money in 万元 (ten thousand yuan), the unit of Chinese investment figures. 1 亿元 = 10,000 万元.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Wan(pub f64);

impl From<Mu> for SquareMeters {
    fn from(mu: Mu) -> Self {
        SquareMeters(mu.0 * M2_PER_MU)
    }
}

impl From<SquareMeters> for Mu {
    fn from(area: SquareMeters) -> Self {
        Mu(area.0 / M2_PER_MU)
    }
}

impl SquareMeters {
    /// The same area in mu.
    pub fn to_mu(self) -> Mu {
        Mu::from(self)
    }
}

impl Mu {
    /// The same area in square metres.
    pub fn to_square_meters(self) -> SquareMeters {
        SquareMeters::from(self)
    }
}

impl Wan {
    /// The amount in 亿元 (hundred million yuan).
    pub fn to_yi(self) -> f64 {
        self.0 / 10_000.0
    }
}

macro_rules! additive {
    ($($t:ident),*) => {$(
        impl Add for $t {
            type Output = $t;
            fn add(self, rhs: $t) -> $t { $t(self.0 + rhs.0) }
        }
        impl Sub for $t {
            type Output = $t;
            fn sub(self, rhs: $t) -> $t { $t(self.0 - rhs.0) }
        }
        impl AddAssign for $t {
            fn add_assign(&mut self, rhs: $t) { self.0 += rhs.0; }
        }
        impl Sum for $t {
            fn sum<I: Iterator<Item = $t>>(iter: I) -> $t { $t(iter.map(|q| q.0).sum()) }
        }
    )*};
}
additive!(SquareMeters, Mu, Meters, Wan);

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn fifteen_mu_make_a_hectare() {
        assert_relative_eq!(SquareMeters::from(Mu(15.0)).0, 10_000.0);
    }

    #[test]
    fn a_square_kilometre_is_1500_mu() {
        assert_relative_eq!(Mu::from(SquareMeters(1_000_000.0)).0, 1_500.0, epsilon = 1e-9);
    }
}

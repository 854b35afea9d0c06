//! Result types shared by the tests of the battery.

use serde::Serialize;

/// A test whose statistic has a χ² reference distribution (Lagrange-multiplier tests and
/// friends).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ChiSquareStat {
    /// The statistic.
    pub statistic: f64,
    /// `P(χ²_df > statistic)`.
    pub p_value: f64,
    /// Degrees of freedom.
    pub df: f64,
}

/// A test whose statistic has an F reference distribution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FStat {
    /// The statistic.
    pub statistic: f64,
    /// `P(F_{df_num, df_denom} > statistic)`.
    pub p_value: f64,
    /// Numerator degrees of freedom.
    pub df_num: f64,
    /// Denominator degrees of freedom.
    pub df_denom: f64,
}

/// A statistic with a p-value and no degrees of freedom.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Statistic {
    /// The statistic.
    pub statistic: f64,
    /// Its p-value.
    pub p_value: f64,
}

impl ChiSquareStat {
    pub(crate) fn new(statistic: f64, df: f64) -> crate::Result<Self> {
        Ok(Self { statistic, p_value: crate::distributions::chi2_sf(statistic, df)?, df })
    }
}

impl FStat {
    pub(crate) fn new(statistic: f64, df_num: f64, df_denom: f64) -> crate::Result<Self> {
        Ok(Self {
            statistic,
            p_value: crate::distributions::f_sf(statistic, df_num, df_denom)?,
            df_num,
            df_denom,
        })
    }
}

/// A test result as the battery reports it: the statistic and its p-value.
pub trait Reported {
    /// `(statistic, p-value)`.
    fn reported(&self) -> (f64, Option<f64>);
}

macro_rules! reported {
    ($($t:ty),*) => {$(
        impl Reported for $t {
            fn reported(&self) -> (f64, Option<f64>) {
                (self.statistic, Some(self.p_value))
            }
        }
    )*};
}

reported!(ChiSquareStat, FStat, Statistic, super::BreuschPagan, super::JarqueBera, super::HarveyCollier);

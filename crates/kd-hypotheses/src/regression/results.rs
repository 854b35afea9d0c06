//! Result types shared by the tests of the battery, and the [`Outcome`] the battery reports
//! for each.

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
    /// The p-value (upper tail unless the test's alternative says otherwise).
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

/// The direction of a one- or two-sided test.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Alternative {
    /// The statistic is larger than under the null (Goldfeld–Quandt: the variance increases;
    /// Durbin–Watson: the autocorrelation is positive). R's `"greater"`, the default.
    #[default]
    Greater,
    /// The statistic is smaller than under the null (the variance decreases; negative
    /// autocorrelation).
    Less,
    /// Either direction: twice the smaller tail.
    TwoSided,
}

impl ChiSquareStat {
    pub(crate) fn new(statistic: f64, df: f64) -> crate::Result<Self> {
        Ok(Self { statistic, p_value: crate::distributions::chi2_sf(statistic, df)?, df })
    }
}

impl FStat {
    pub(crate) fn new(statistic: f64, df_num: f64, df_denom: f64) -> crate::Result<Self> {
        Self::with_alternative(statistic, df_num, df_denom, Alternative::Greater)
    }

    /// An F test with the p-value of `alternative` (`Greater`: the upper tail).
    pub(crate) fn with_alternative(
        statistic: f64,
        df_num: f64,
        df_denom: f64,
        alternative: Alternative,
    ) -> crate::Result<Self> {
        let p_value = match alternative {
            Alternative::Greater => crate::distributions::f_sf(statistic, df_num, df_denom)?,
            Alternative::Less => crate::distributions::f_cdf(statistic, df_num, df_denom)?,
            Alternative::TwoSided => {
                let lower = crate::distributions::f_cdf(statistic, df_num, df_denom)?;
                let upper = crate::distributions::f_sf(statistic, df_num, df_denom)?;
                (2.0 * lower.min(upper)).min(1.0)
            }
        };
        Ok(Self { statistic, p_value, df_num, df_denom })
    }
}

/// A test as the battery reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Outcome {
    /// The statistic.
    pub statistic: f64,
    /// Its p-value.
    pub p_value: f64,
    /// Degrees of freedom: none, one (χ², t) or two (F).
    pub df: Vec<f64>,
    /// How the p-value (or the statistic's variant) was obtained, where there is a choice.
    pub method: Option<String>,
}

impl Outcome {
    /// An outcome with a method note.
    pub fn with_method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }
}

impl From<ChiSquareStat> for Outcome {
    fn from(t: ChiSquareStat) -> Self {
        Self { statistic: t.statistic, p_value: t.p_value, df: vec![t.df], method: None }
    }
}

impl From<FStat> for Outcome {
    fn from(t: FStat) -> Self {
        Self { statistic: t.statistic, p_value: t.p_value, df: vec![t.df_num, t.df_denom], method: None }
    }
}

impl From<Statistic> for Outcome {
    fn from(t: Statistic) -> Self {
        Self { statistic: t.statistic, p_value: t.p_value, df: Vec::new(), method: None }
    }
}

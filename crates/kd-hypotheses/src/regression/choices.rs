//! The battery's choices by the names the program's flags give them (`koenker`, `two-sided`,
//! `regressor`, …), so that a caller reading them as text (the Python binding) takes the same
//! options by the same names: [`Choice::from_name`] reads one, [`Choice::names`] lists them for
//! a refusal, [`choice`] does both for a named setting.

use super::results::Alternative;
use super::{BgForm, BpVariant, DwMethod, RainbowRows, ResetKind};
use crate::error::{Result, invalid_parameter};

/// An option with a few named values.
pub trait Choice: Sized + Copy + 'static {
    /// Every value with its name.
    const CHOICES: &'static [(&'static str, Self)];

    /// The value named `name`.
    fn from_name(name: &str) -> Option<Self> {
        Self::CHOICES.iter().find(|(n, _)| *n == name).map(|(_, value)| *value)
    }

    /// The names, comma separated.
    fn names() -> String {
        Self::CHOICES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    }
}

/// The value of `setting` named `name`, or a refusal naming the setting and its choices.
pub fn choice<T: Choice>(setting: &str, name: &str) -> Result<T> {
    T::from_name(name).ok_or_else(|| invalid_parameter(setting, format!("'{name}' ({})", T::names())))
}

impl Choice for BpVariant {
    const CHOICES: &'static [(&'static str, Self)] =
        &[("koenker", Self::Koenker), ("original", Self::Original)];
}

impl Choice for BgForm {
    const CHOICES: &'static [(&'static str, Self)] = &[("chisq", Self::Chisq), ("f", Self::F)];
}

impl Choice for Alternative {
    const CHOICES: &'static [(&'static str, Self)] =
        &[("greater", Self::Greater), ("less", Self::Less), ("two-sided", Self::TwoSided)];
}

impl Choice for DwMethod {
    const CHOICES: &'static [(&'static str, Self)] =
        &[("auto", Self::Auto), ("exact", Self::Exact), ("normal", Self::Normal)];
}

impl Choice for RainbowRows {
    const CHOICES: &'static [(&'static str, Self)] = &[("statsmodels", Self::Statsmodels), ("r", Self::R)];
}

impl Choice for ResetKind {
    const CHOICES: &'static [(&'static str, Self)] =
        &[("fitted", Self::Fitted), ("regressor", Self::Regressor)];
}

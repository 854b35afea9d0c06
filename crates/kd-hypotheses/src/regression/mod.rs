//! The assumptions of a linear regression, tested on an OLS fit with an intercept ([`Ols`]):
//!
//! | assumption | tests |
//! |---|---|
//! | independence | [`durbin_watson_test`] (exact or normal p-value), [`breusch_godfrey`] (χ² and F), [`ljung_box`], [`box_pierce`] |
//! | homoscedasticity | [`breusch_pagan`] (Koenker or original), [`white`], [`goldfeld_quandt()`], [`arch_lm`] |
//! | normality | [`jarque_bera`], [`omnibus`], [`shapiro_wilk`], [`anderson_darling`], [`lilliefors`] |
//! | linearity | [`reset`], [`harvey_collier`], [`rainbow`] |
//! | no multicollinearity | [`vif`], [`gvif`] (a categorical feature's columns together), [`condition_number`] |
//! | stability | [`cusum`], [`chow`] |
//!
//! [`Design::of`] makes the design from a data set (categorical features treatment-coded, as
//! R's `lm` and patsy's `C(x)`), and [`Ols::fit_dataset`] fits on it; plus [`influence`]
//! (leverage, Cook's distance, studentised residuals, Bonferroni outliers; [`InfluenceSummary`],
//! what a report says of them), [`influence_measures`] (R's
//! `influence.measures` in full) and [`robust_inference`] (HC0–HC3 and Newey–West standard
//! errors). [`battery`] runs the table of specifications [`TESTS`], its options' named values
//! in [`choices`].
//! Each function cites its reference and the statsmodels/scipy/R function it matches
//! (tests/golden/hypotheses and tests/golden/hypotheses_r). Every regression is a row-block QR
//! (`least_squares`), except the auxiliary regressions on large, safely conditioned samples,
//! which use the normal equations (`normal_equations`); no `n × n` matrix is formed (except the exact Durbin–Watson p-value's,
//! below 2000 rows), and the fit works on a copy scaled by powers of two, so data anywhere in
//! `f64`'s range give the same statistics.

mod arch;
mod battery;
pub mod choices;
mod collinearity;
mod design;
pub mod durbin_watson;
pub mod goldfeld_quandt;
mod heteroscedasticity;
mod householder;
mod imhof;
mod independence;
mod influence;
mod influence_measures;
pub mod least_squares;
mod lilliefors;
mod lilliefors_table;
mod linearity;
mod normal_equations;
mod normality;
mod ols;
mod rainbow;
mod recursive;
mod results;
mod robust;
mod scaling;
mod shapiro;
mod specs;
mod stability;
mod sufficient;

pub use arch::arch_lm;
pub use battery::{Battery, BatteryOptions, TestRow, battery};
pub use collinearity::{Gvif, condition_number, gvif, vif};
pub use design::{CodedFeature, Design, MAX_LEVELS};
pub use durbin_watson::{DurbinWatson, DwMethod, durbin_watson, durbin_watson_test};
pub use goldfeld_quandt::{GqOptions, goldfeld_quandt};
pub use heteroscedasticity::{BpVariant, BreuschPagan, breusch_pagan, white, white_design};
pub use independence::{BgForm, BreuschGodfrey, box_pierce, breusch_godfrey, ljung_box};
pub use influence::{BatteryReport, Influence, InfluenceSummary, InfluentialRow, influence};
pub use influence_measures::{FlaggedRow, InfluenceMeasures, influence_measures};
pub use lilliefors::{Lilliefors, LillieforsMethod, dallal_wilkinson, lilliefors};
pub use linearity::{HarveyCollier, RESET_MAX_POWER, ResetKind, ResetOptions, harvey_collier, reset};
pub use normality::{AndersonDarling, JarqueBera, anderson_darling, jarque_bera, moments, omnibus};
pub use ols::Ols;
pub use rainbow::{RainbowOptions, RainbowRows, rainbow, rainbow_rows};
pub use recursive::recursive_residuals;
pub use results::{Alternative, ChiSquareStat, FStat, Outcome, Statistic};
pub use robust::{CoefficientInference, CovarianceKind, newey_west_default_lags, robust_inference};
pub use shapiro::shapiro_wilk;
pub use specs::{Assumption, TESTS, TestSpec};
pub use stability::{chow, cusum};
pub use sufficient::{CrossProducts, ResidualSums, SweptFit};

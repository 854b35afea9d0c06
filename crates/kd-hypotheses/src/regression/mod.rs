//! The assumptions of a linear regression, tested on an OLS fit with an intercept ([`Ols`]):
//!
//! | assumption | tests |
//! |---|---|
//! | independence | [`durbin_watson`], [`breusch_godfrey`], [`ljung_box`] |
//! | homoscedasticity | [`breusch_pagan`] (Koenker or original), [`white`], [`goldfeld_quandt`] |
//! | normality | [`jarque_bera`], [`omnibus`], [`shapiro_wilk`], [`anderson_darling`], [`lilliefors`] |
//! | linearity | [`reset`], [`harvey_collier`], [`rainbow`] |
//! | no multicollinearity | [`vif`], [`condition_number`] |
//! | stability | [`cusum`], [`chow`] |
//!
//! plus [`influence`] (leverage, Cook's distance, studentised residuals, Bonferroni outliers).
//! Each function cites its reference and the statsmodels/scipy/R function it matches
//! (tests/golden/hypotheses). Every regression is a QR least-squares fit; no `n × n` matrix is
//! formed, so memory stays O(n·p).

mod battery;
mod collinearity;
mod heteroscedasticity;
mod independence;
mod influence;
pub mod least_squares;
mod lilliefors;
mod lilliefors_table;
mod linearity;
mod normality;
mod ols;
mod recursive;
mod results;
mod shapiro;
mod stability;

pub use battery::{Battery, BatteryOptions, TESTS, TestRow, battery};
pub use collinearity::{condition_number, vif};
pub use heteroscedasticity::{BpVariant, BreuschPagan, breusch_pagan, goldfeld_quandt, white, white_design};
pub use independence::{breusch_godfrey, durbin_watson, ljung_box};
pub use influence::{Influence, influence};
pub use lilliefors::lilliefors;
pub use linearity::{HarveyCollier, harvey_collier, rainbow, reset};
pub use normality::{JarqueBera, anderson_darling, jarque_bera, moments, omnibus};
pub use ols::Ols;
pub use recursive::recursive_residuals;
pub use results::{ChiSquareStat, FStat, Reported, Statistic};
pub use shapiro::shapiro_wilk;
pub use stability::{chow, cusum};

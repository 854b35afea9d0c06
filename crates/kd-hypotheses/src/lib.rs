//! kd-hypotheses: statistical tests a model validator runs.
//!
//! - [`validation`]: validation of IRB models (PD, LGD, CCF) as the ECB's instructions group it —
//!   discriminatory power (AUROC with DeLong's standard error, Gini, KS, DeLong's comparison
//!   test, the change since initial validation, ROC/CAP points, the generalised AUC), predictive
//!   ability (Hosmer–Lemeshow, Spiegelhalter, Brier decomposition, per-grade binomial, Jeffreys
//!   and traffic-light tests, the portfolio Jeffreys test, cohort and long-run default rates,
//!   Pluto–Tasche bounds, overrides, LGD/CCF/ELBE back-tests), stability (PSI, CSI, KS,
//!   chi-squared, migration matrices) and concentration (Herfindahl index and test). Checked
//!   against scipy, scikit-learn and R's pROC (tests/golden/validation, irb_pd, irb_lgd).
//! - [`regression`]: the assumptions of an OLS fit — independence (Durbin–Watson with its
//!   exact or approximate p-value, Breusch–Godfrey, Ljung–Box, Box–Pierce), homoscedasticity
//!   (Breusch–Pagan, White, Goldfeld–Quandt, Engle's ARCH), normality (Jarque–Bera, omnibus,
//!   Shapiro–Wilk, Anderson–Darling, Lilliefors), linearity (RESET, Harvey–Collier, rainbow),
//!   multicollinearity (VIF, condition number) and stability (CUSUM, Chow), with influence
//!   measures and HC0–HC3 / Newey–West standard errors; `battery` runs the table of test
//!   specifications `TESTS`. Checked against statsmodels and R (tests/golden/hypotheses,
//!   tests/golden/hypotheses_r).
//! - [`distributions`]: tail probabilities shared by both; a private `quadrature` module holds
//!   the adaptive Gauss–Kronrod integration both use.
//!
//! Depends on kd-core only; never on libtorch. Never prints.
//!
//! ```
//! use kd_hypotheses::validation::auroc_delong;
//! let outcome = [false, false, true, false, true, true];
//! let score = [0.1, 0.3, 0.35, 0.4, 0.8, 0.9];
//! let auc = auroc_delong(&outcome, &score, 0.95).unwrap();
//! assert!((auc.value - 8.0 / 9.0).abs() < 1e-12 && auc.std_error > 0.0);
//! ```

pub mod distributions;
mod error;
mod quadrature;
pub mod regression;
pub mod validation;

pub use error::{Error, Result};

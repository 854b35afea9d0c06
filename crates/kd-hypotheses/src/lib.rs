//! kd-hypotheses: tests of the assumptions a regression model rests on (independence,
//! homoscedasticity, normality, linearity, no multicollinearity, stability) and the standard
//! validation tests of probability-of-default models (discrimination, calibration, stability).
//!
//! Not written yet: this crate holds no test so far (see the README's list of what does not
//! work yet). It depends on kd-core only and never on libtorch.

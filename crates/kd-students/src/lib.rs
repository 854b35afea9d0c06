//! kd-students: readable models distilled from a teacher (linear and logistic regression with a
//! scorecard export, CART trees, spline and boosted GAMs) and the Distill-and-Compare audit.
//!
//! Not written yet: this crate holds no student so far (see the README's list of what does not
//! work yet). It depends on kd-core only and never on libtorch.

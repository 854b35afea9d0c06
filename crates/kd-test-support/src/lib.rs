//! Test support shared by the kd crates' tests (a dev-dependency only, never published):
//! [`assert_close!`], the comparison of a figure with its reference that every golden test
//! makes, the [`Tolerance`]s they name, and [`torch_rng`], the lock a test holds while it seeds
//! and draws from libtorch's one random generator.
//!
//! A figure `ours` is close to its reference `theirs` when
//! `|ours − theirs| ≤ relative · max(|theirs|, floor)`: relative agreement for figures of
//! ordinary size, absolute agreement `relative · floor` near zero (a p-value of 1e-20, a
//! coefficient that is 0 in exact arithmetic). The reference is an `f64` or a JSON number
//! (a golden file's value).
//!
//! ```
//! use kd_test_support::{Tolerance, assert_close};
//! assert_close!(0.1 + 0.2, 0.3, Tolerance::relative(1e-12));
//! assert_close!(1e-15, serde_json::json!(0.0), Tolerance::relative(1e-10).floor(1e-3), "a {} zero", "near");
//! ```

use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The lock on libtorch's random generator, one per process: a test binary's tests run on
/// parallel threads, and a test that seeds the generator and then draws weights (to refit and
/// compare) must not have another test's seed or draws land in between. Hold the guard for the
/// whole test.
pub fn torch_rng() -> MutexGuard<'static, ()> {
    static TORCH_RNG: Mutex<()> = Mutex::new(());
    TORCH_RNG.lock().unwrap_or_else(PoisonError::into_inner)
}

/// How close a figure must be to its reference: `|ours − theirs| ≤ relative · max(|theirs|, floor)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// The relative tolerance.
    pub relative: f64,
    /// Below this magnitude of the reference the tolerance is absolute, `relative · floor`.
    pub floor: f64,
}

impl Tolerance {
    /// A relative tolerance with the floor at 1 (absolute below references of magnitude 1).
    pub const fn relative(relative: f64) -> Self {
        Tolerance { relative, floor: 1.0 }
    }

    /// The same relative tolerance with another floor.
    pub const fn floor(self, floor: f64) -> Self {
        Tolerance { floor, ..self }
    }

    /// Whether `ours` is close to `theirs`.
    pub fn admits(&self, ours: f64, theirs: f64) -> bool {
        (ours - theirs).abs() <= self.relative * theirs.abs().max(self.floor)
    }
}

impl fmt::Display for Tolerance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:e} relative, floor {:e}", self.relative, self.floor)
    }
}

/// The golden comparisons of validation figures with their Python, SAS or R references:
/// 1e-10 relative, absolute below 1e-3.
pub const VALIDATION: Tolerance = Tolerance::relative(1e-10).floor(1e-3);

/// A reference value: an `f64`, or a JSON number of a golden file.
pub trait Reference {
    /// The value; panics (naming it) when a JSON value is not a number.
    fn value(&self) -> f64;
}

impl Reference for f64 {
    fn value(&self) -> f64 {
        *self
    }
}

impl Reference for serde_json::Value {
    #[track_caller]
    fn value(&self) -> f64 {
        match self.as_f64() {
            Some(v) => v,
            None => panic!("the reference {self} is not a number"),
        }
    }
}

impl<T: Reference + ?Sized> Reference for &T {
    #[track_caller]
    fn value(&self) -> f64 {
        (**self).value()
    }
}

/// Panics, naming `what`, both figures and the tolerance, unless `ours` is close to `theirs`.
/// What [`assert_close!`] calls.
#[track_caller]
pub fn check_close(ours: f64, theirs: f64, tolerance: Tolerance, what: fmt::Arguments<'_>) {
    assert!(
        tolerance.admits(ours, theirs),
        "{what}: kd {ours} vs reference {theirs} (difference {:e}; tolerance {tolerance})",
        (ours - theirs).abs()
    );
}

/// `assert_close!(ours, theirs, tolerance)` or `assert_close!(ours, theirs, tolerance, "what
/// {}", args…)`: panics unless `|ours − theirs| ≤ tolerance.relative · max(|theirs|,
/// tolerance.floor)`. `theirs` is an `f64` or a JSON number; `tolerance` a [`Tolerance`].
#[macro_export]
macro_rules! assert_close {
    ($ours:expr, $theirs:expr, $tolerance:expr $(,)?) => {
        $crate::check_close($ours, $crate::Reference::value(&$theirs), $tolerance, ::core::format_args!("figure"))
    };
    ($ours:expr, $theirs:expr, $tolerance:expr, $($what:tt)+) => {
        $crate::check_close($ours, $crate::Reference::value(&$theirs), $tolerance, ::core::format_args!($($what)+))
    };
}

#[cfg(test)]
mod tests {
    use super::{Tolerance, VALIDATION};

    #[test]
    fn relative_above_the_floor_absolute_below_it() {
        let t = Tolerance::relative(1e-6);
        assert!(t.admits(1e6 + 0.5, 1e6) && !t.admits(1e6 + 2.0, 1e6));
        assert!(t.admits(5e-7, 0.0) && !t.admits(2e-6, 0.0));
        assert!(VALIDATION.admits(1e-14, 0.0) && !VALIDATION.admits(1e-12, 0.0));
    }

    #[test]
    #[should_panic(expected = "auroc: kd 0.5 vs reference 0.6")]
    fn a_miss_names_the_figure() {
        assert_close!(0.5, 0.6, Tolerance::relative(1e-3), "auroc");
    }
}

//! How far a long fit has come, for a caller that shows progress (libraries never print).

/// `done` of `total` units of a fit's work (a boosted GAM's bags, stage by stage). Reported
/// after each unit, from whichever thread finished it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FitProgress {
    /// Units finished.
    pub done: usize,
    /// Units in all.
    pub total: usize,
}

/// A report that goes nowhere.
pub fn ignore(_: FitProgress) {}

//! The audit's stages, one file each. Each takes the samples and the spec and returns a
//! serialisable result; `findings.rs` grades them and `html/` shows them.

pub mod comparison;
pub mod data;
pub mod explanation;
pub mod novelty;
pub mod performance;
pub mod regression;

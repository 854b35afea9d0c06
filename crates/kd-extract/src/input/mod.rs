//! Input models: where a black box is queried. A mixture of axis-aligned Gaussians sampled
//! within a box (Bastani et al.), and the normal distribution machinery it rests on.

mod em;
mod mixture;
mod normal;
mod region;

pub use mixture::{Component, Components, FeatureKind, Mixture, MixtureParams};
pub use normal::{TruncatedNormal, normal_cdf, normal_quantile};
pub use region::Region;

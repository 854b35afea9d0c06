//! The registered reproductions. Each issue that brings a paper adds it here.

use crate::paper::Paper;

/// Every registered paper, in the order `all` runs them.
pub fn papers() -> Vec<Box<dyn Paper>> {
    vec![Box::new(crate::papers::liu2018::Liu2018)]
}

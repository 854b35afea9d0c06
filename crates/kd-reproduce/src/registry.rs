//! The registered reproductions: a new paper adds its `PAPER` here.

use crate::paper::Paper;

/// Every registered paper, in the order `all` runs them.
pub fn papers() -> Vec<Paper> {
    let mut papers = vec![
        crate::papers::liu2018::PAPER,
        crate::papers::craven1995::PAPER,
        crate::papers::lakkaraju2017::PAPER,
        crate::papers::bastani2019::PAPER,
        crate::papers::tan2018::PAPER,
        crate::papers::asadulaev2019::PAPER,
        crate::papers::text_distillation::PAPER,
    ];
    papers.extend(neural_papers());
    papers
}

/// The papers that need libtorch (the `torch` feature, which `cargo xtask reproduce` sets).
#[cfg(feature = "torch")]
fn neural_papers() -> Vec<Paper> {
    vec![
        crate::papers::bucila2006::PAPER,
        crate::papers::burda2018::PAPER,
        crate::papers::hinton2015::PAPER,
        crate::papers::hinton2015_speech::PAPER,
        crate::papers::han2015::PAPER,
        crate::papers::gupta2016::PAPER,
        crate::papers::zagoruyko2017::PAPER,
        crate::papers::huang2017::PAPER,
    ]
}

/// Without libtorch there are none.
#[cfg(not(feature = "torch"))]
fn neural_papers() -> Vec<Paper> {
    Vec::new()
}

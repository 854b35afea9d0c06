//! The registered reproductions. Each issue that brings a paper adds it here.

use crate::paper::Paper;

/// Every registered paper, in the order `all` runs them.
pub fn papers() -> Vec<Box<dyn Paper>> {
    let mut papers: Vec<Box<dyn Paper>> = vec![
        Box::new(crate::papers::liu2018::Liu2018),
        Box::new(crate::papers::craven1995::Craven1995),
        Box::new(crate::papers::lakkaraju2017::Lakkaraju2017),
        Box::new(crate::papers::bastani2019::Bastani2019),
        Box::new(crate::papers::tan2018::Tan2018),
        Box::new(crate::papers::asadulaev2019::Asadulaev2019),
        Box::new(crate::papers::text_distillation::TextDistillation),
    ];
    papers.extend(neural_papers());
    papers
}

/// The papers that need libtorch (the `torch` feature, which `cargo xtask reproduce` sets).
#[cfg(feature = "torch")]
fn neural_papers() -> Vec<Box<dyn Paper>> {
    vec![
        Box::new(crate::papers::bucila2006::Bucila2006),
        Box::new(crate::papers::burda2018::Burda2018),
        Box::new(crate::papers::hinton2015::Hinton2015),
        Box::new(crate::papers::hinton2015_speech::Hinton2015Speech),
        Box::new(crate::papers::han2015::Han2015),
        Box::new(crate::papers::gupta2016::Gupta2016),
        Box::new(crate::papers::zagoruyko2017::Zagoruyko2017),
        Box::new(crate::papers::huang2017::Huang2017),
    ]
}

/// Without libtorch there are none.
#[cfg(not(feature = "torch"))]
fn neural_papers() -> Vec<Box<dyn Paper>> {
    Vec::new()
}

//! The student flags of `kd distill`, one flattened group per student family, parsed into the
//! libraries' settings: [`StudentOptions`] for the readable students (kd-students) and,
//! with libtorch, [`MlpParams`](kd::core::nn::MlpParams) for the MLP (kd-core). What a student
//! fits and which tasks it takes is the library's knowledge ([`StudentKind`]), not this file's.

use std::path::PathBuf;

use kd::students::tree::CategoricalSplits;
use kd::students::{StudentKind, StudentOptions};

/// `--student`: a readable kind, or an MLP with its hidden widths.
#[derive(Debug, Clone, PartialEq)]
pub enum StudentChoice {
    /// A student of kd-students.
    Readable(StudentKind),
    /// `mlp:64,64`: a neural student (kd-core, with libtorch).
    Mlp(Vec<i64>),
    /// `sparse`: kd-students' text student, an L1 logistic regression on the n-grams of a
    /// `--text` column (it reads documents, not the feature matrix the registry's kinds fit).
    Sparse,
}

impl StudentChoice {
    /// The name in reports.
    pub fn name(&self) -> &'static str {
        match self {
            StudentChoice::Readable(kind) => kind.name(),
            StudentChoice::Mlp(_) => "mlp",
            StudentChoice::Sparse => "sparse",
        }
    }
}

/// Parses `tree`, `logistic`, … or `mlp:64,64`.
pub fn parse_student(text: &str) -> Result<StudentChoice, String> {
    let (name, widths) = text.split_once(':').unwrap_or((text, ""));
    let hidden = widths
        .split(',')
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.trim().parse::<i64>().ok().filter(|&w| w >= 1).ok_or(format!("'{w}' is not a layer width"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if name.eq_ignore_ascii_case("mlp") {
        return if hidden.is_empty() {
            Err("mlp needs its hidden widths, e.g. mlp:64,64".into())
        } else {
            Ok(StudentChoice::Mlp(hidden))
        };
    }
    if name.eq_ignore_ascii_case("sparse") && hidden.is_empty() {
        return Ok(StudentChoice::Sparse);
    }
    let kind: StudentKind = name
        .parse()
        .map_err(|e: kd::students::Error| format!("{e}, sparse (with --text), or mlp:WIDTH,…"))?;
    if hidden.is_empty() {
        Ok(StudentChoice::Readable(kind))
    } else {
        Err(format!("'{name}' takes no widths"))
    }
}

/// Tree flags.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Tree")]
pub struct TreeArgs {
    /// Maximum depth.
    #[arg(long)]
    max_depth: Option<usize>,
    /// Maximum number of leaves (best-first growth).
    #[arg(long)]
    max_leaves: Option<usize>,
    /// Minimum rows per leaf.
    #[arg(long, default_value_t = 1)]
    min_samples_leaf: usize,
    /// Cost-complexity pruning strength (0: none).
    #[arg(long, default_value_t = 0.0)]
    ccp_alpha: f64,
    /// Split categorical features by level sets (`purpose in {car, furniture}`) or by
    /// thresholds on their level codes.
    #[arg(long, value_enum, default_value_t = CategoricalArg::Native)]
    categorical_splits: CategoricalArg,
    /// Histogram thresholds with this many bins per feature (2 to 256) instead of exact ones,
    /// for large data. GAMs: bins per feature (default 256).
    #[arg(long)]
    max_bins: Option<usize>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum CategoricalArg {
    /// Level sets, the levels ordered by their mean target.
    Native,
    /// Thresholds on the level codes.
    Codes,
}

/// Linear, logistic and scorecard flags.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Linear, logistic and scorecards")]
pub struct LinearArgs {
    /// Logistic, linear and scorecard: L2 penalty on the coefficients (linear: ridge).
    #[arg(long, default_value_t = 0.0)]
    l2: f64,
    /// Logistic: also make a quantile-bin scorecard with this many bins per feature.
    #[arg(long, value_name = "BINS")]
    scorecard: Option<usize>,
    /// Scorecard: quantile bins per numeric feature before coarse classing.
    #[arg(long, default_value_t = 20)]
    bins: usize,
    /// Scorecard: the target's label of the bad outcome (default: the second label in sorted
    /// order, class 1).
    #[arg(long, value_name = "LABEL")]
    bad_class: Option<String>,
    /// Scorecard (and the logistic student's --scorecard): points to double the odds.
    #[arg(long, default_value_t = 20.0)]
    pdo: f64,
    /// Scorecard: the score at which the good:bad odds are --base-odds.
    #[arg(long, default_value_t = 600.0)]
    base_score: f64,
    /// Scorecard: good:bad odds at --base-score.
    #[arg(long, default_value_t = 50.0)]
    base_odds: f64,
}

/// GAM flags (boosted and spline).
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "GAMs")]
pub struct GamArgs {
    /// gam2: pair terms chosen by FAST (default interpret's: 5 per feature for a regression
    /// target, 3 per feature for a probability; at most the number of pairs).
    #[arg(long)]
    interactions: Option<usize>,
    /// Monotone shape functions, `feature:+1` (increasing) or `feature:-1`, comma separated.
    #[arg(long, value_delimiter = ',')]
    monotone: Vec<String>,
    /// gam, gam2: bags averaged (their spread gives the shape functions' bands; default 14, as
    /// interpret).
    #[arg(long)]
    outer_bags: Option<usize>,
    /// gam, gam2: boosting rounds at most, per stage (default 50,000, interpret's); fewer
    /// rounds or a larger --lr shorten fits on large data.
    #[arg(long)]
    max_rounds: Option<usize>,
    /// spline: B-splines per feature.
    #[arg(long, default_value_t = 20)]
    n_splines: usize,
    /// spline: the smoothing parameter λ of every term (default: chosen by GCV or UBRE over
    /// 10^-3 … 10^3, pyGAM's grid).
    #[arg(long)]
    lam: Option<f64>,
}

/// MLP flags (a kd built with libtorch).
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Neural (mlp)")]
pub struct MlpArgs {
    /// The loss, kd[:T=4,alpha=0.9] (alpha weighs the soft term, 1 − alpha the labels'
    /// cross-entropy) or mse; default kd:T=1,alpha=1 for classification, mse for regression.
    #[arg(long)]
    pub loss: Option<String>,
    /// Epochs.
    #[arg(long, default_value_t = 50)]
    pub epochs: usize,
    /// Rows per optimiser step (--batch-size is the teacher's query batch).
    #[arg(long, default_value_t = 64)]
    pub minibatch: usize,
    /// Adam's learning rate (default 1e-3). gam, gam2: the boosting rate (default
    /// interpret's: 0.04 for values, 0.015 for probabilities).
    #[arg(long)]
    pub lr: Option<f64>,
    /// Where the MLP trains.
    #[arg(long, value_enum, default_value_t = DeviceArg::Cpu)]
    pub device: DeviceArg,
    /// Write the training log here (JSON).
    #[arg(long)]
    pub log: Option<PathBuf>,
}

/// `--device`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DeviceArg {
    /// The CPU.
    Cpu,
    /// The first CUDA device.
    Cuda,
}

#[cfg(feature = "torch")]
impl From<DeviceArg> for kd::core::nn::MlpDevice {
    fn from(device: DeviceArg) -> Self {
        match device {
            DeviceArg::Cpu => kd::core::nn::MlpDevice::Cpu,
            DeviceArg::Cuda => kd::core::nn::MlpDevice::Cuda,
        }
    }
}

/// Every student flag of `kd distill`.
#[derive(Debug, clap::Args)]
pub struct StudentArgs {
    /// The student: tree, logistic, linear, gam, gam2, spline, scorecard, sparse (n-grams of a
    /// --text column), or mlp:WIDTH,WIDTH,… (a neural student, in a kd built with libtorch).
    #[arg(long, value_parser = parse_student, default_value = "tree")]
    pub student: StudentChoice,
    #[command(flatten)]
    tree: TreeArgs,
    #[command(flatten)]
    linear: LinearArgs,
    #[command(flatten)]
    gam: GamArgs,
    #[command(flatten)]
    pub mlp: MlpArgs,
    #[command(flatten)]
    pub text: super::text::TextArgs,
}

impl StudentArgs {
    /// The readable students' settings as these flags give them, with `seed` for the students
    /// that draw at random; [`StudentKind::params`] turns them into one kind's parameters.
    pub fn options(&self, seed: u64) -> StudentOptions {
        let (t, l, g) = (&self.tree, &self.linear, &self.gam);
        StudentOptions {
            max_depth: t.max_depth,
            max_leaves: t.max_leaves,
            min_samples_leaf: Some(t.min_samples_leaf),
            ccp_alpha: Some(t.ccp_alpha),
            categorical_splits: Some(match t.categorical_splits {
                CategoricalArg::Native => CategoricalSplits::Native,
                CategoricalArg::Codes => CategoricalSplits::Codes,
            }),
            max_bins: t.max_bins,
            l2: Some(l.l2),
            points_bins: l.scorecard,
            fine_bins: Some(l.bins),
            bad_class: l.bad_class.clone(),
            pdo: Some(l.pdo),
            base_score: Some(l.base_score),
            base_odds: Some(l.base_odds),
            interactions: g.interactions,
            outer_bags: g.outer_bags,
            max_rounds: g.max_rounds,
            learning_rate: self.mlp.lr,
            monotone: g.monotone.clone(),
            n_splines: Some(g.n_splines),
            lam: g.lam,
            seed,
        }
    }
}

//! Low-default portfolios over several periods: Pluto & Tasche's most prudent bounds when the
//! systematic factor persists from one period to the next, read over yearly cohorts.
//!
//! Pluto & Tasche (2005), "Estimating probabilities of default for low default portfolios",
//! multi-period extension of the one-factor model (the one-period bounds are
//! [`super::pluto_tasche`]). The paper follows one portfolio of `N` obligors over `T` years,
//! each obligor defaulting at most once: given the factor's path the defaults are
//! `Bin(N, 1 − Π_t (1 − G(p, ρ, S_t)))`. kd reads a bank's panel instead: periods
//! `t = 1 … T` are yearly cohorts (a snapshot's performing obligors, each flagged when it
//! defaults within the year), one horizon apart and not overlapping, obligors joining and
//! leaving between them. Grade `k`'s most prudent pool counts, in period `t`, the obligors
//! `N_{k,t} = Σ_{j≥k} n_{j,t}` of `k` and every worse grade, and over all periods their defaults
//! `D_k = Σ_t Σ_{j≥k} d_{j,t}`. The two agree when no obligor defaults and the portfolio stays
//! the same (the paper's zero-default example); with defaults they differ, kd taking each
//! period's survivors as observed where the paper's are random.
//!
//! **Model.** The factor path is a stationary Gaussian AR(1),
//! `S_t = τ·S_{t−1} + √(1 − τ²)·ε_t` (so `corr(S_s, S_t) = τ^{|s−t|}`); given the path, the
//! obligors default independently, in period `t` with PD
//! `G(p, ρ, S_t) = Φ((Φ⁻¹(p) − √ρ·S_t) / √(1 − ρ))`. The bound at level `γ` is the `p` with
//! `P(Σ_t Bin(N_{k,t}, G(p, ρ, S_t)) ≤ D_k) = 1 − γ`. With `τ = 0` the periods are independent;
//! with one period it is the one-period correlated bound; with `ρ = 0` every obligor-period is
//! independent and the bound is Clopper–Pearson's on the pooled counts.
//!
//! **Computation** (kd's; the paper simulates). The expectation over the path is a forward
//! recursion, as for a hidden Markov chain, over a uniform grid `s_i` of the factor on
//! `|s| ≤ 9` with spacing `h`, carrying the distribution of the defaults so far, cut at `D_k`:
//!
//! | step | formula | shape |
//! |---|---|---|
//! | first period | `α₁(i, j) = h·φ(s_i)·b₁(j ∣ s_i)` | `m × (D_k + 1)` |
//! | factor moves | `β(i′, ·) = Σ_i K(i′, i)·α_{t−1}(i, ·)`, `K(i′, i) = h·φ((s_{i′} − τ s_i)/σ)/σ`, `σ = √(1 − τ²)` | `m × m` times `m × (D_k + 1)` |
//! | period's defaults | `α_t(i′, j) = Σ_l β(i′, j − l)·b_t(l ∣ s_{i′})` | `m × (D_k + 1)` |
//! | probability | `P = Σ_{i, j} α_T(i, j)` | scalar |
//!
//! with `b_t(l ∣ s)` the binomial probability of `l` defaults among `N_{k,t}` at PD `G(p, ρ, s)`,
//! computed in logarithms (`ln C(N, l)` summed term by term, exact for any `N` at `l ≤ 200`).
//! Every point weighs `h` (the rectangle rule, which is the trapezoid rule here: the density at
//! ±9 is below 1e-18); for the Gaussian kernels it is exact to about `e^{−2π²σ²/h²}`. The
//! binomial factors turn more sharply the more defaults are pooled and the higher `ρ`, so the
//! grid starts at `h = σ/4` and is halved until the probability at the bound found on it moves
//! by less than `10⁻⁷·(1 − γ)` on the finer grid; a grid of more than [`MAX_GRID`] points is
//! not built, and the grade gets no bound, with a note saying why. The root is found on
//! `Φ⁻¹(p)` in a bracket of width 1/4 — about the coarser grid's root when that brackets it,
//! else by bisection — then by Illinois' false position until the probability is within 1e-10
//! of `1 − γ` (relative) or the bracket narrower than 1e-11.
//!
//! Agreement (tests/golden/irb_pd/pluto_tasche_periods.R): R's nested `integrate` over two
//! periods, a convolution of R's one-period integrals over three independent periods, a Monte
//! Carlo over five, and R's one-period bounds (`pluto_tasche.R`) for one period. Limits:
//! `τ ≤ 0.99` (the grid's spacing follows `σ`) and at most [`MAX_POOLED_DEFAULTS`] defaults
//! pooled (the recursion costs `m²·D + m·D²` a period): a grade whose pool holds more gets no
//! bound, and the one-period bounds are then the figure to read.

use ndarray::{Array2, ArrayView1, ArrayView2};
use serde::Serialize;

use super::low_default::{FACTOR_RANGE, THRESHOLDS, check_settings, clopper_pearson, normal_density};
use crate::distributions::normal_sf;
use crate::error::{Error, Result, invalid_parameter};

/// The most defaults a grade's pool may hold for its multi-period bound.
pub const MAX_POOLED_DEFAULTS: usize = 200;

/// The most grid points of the factor.
pub const MAX_GRID: usize = 4_097;

/// The largest year-to-year correlation of the factor.
pub const MAX_PERIOD_CORRELATION: f64 = 0.99;

/// One grade's multi-period bound.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PeriodBound {
    /// Obligors in this grade and all worse ones, period by period, `N_{k,t}`.
    pub obligors: Vec<usize>,
    /// Their defaults over all periods, `D_k`.
    pub defaults: usize,
    /// The upper bound of the grade's PD; `None` when it is not computed, `note` saying why.
    pub upper_bound: Option<f64>,
    /// Why the bound is not computed: more than [`MAX_POOLED_DEFAULTS`] defaults pooled, or a
    /// grid of the factor that did not settle within [`MAX_GRID`] points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Pluto–Tasche's multi-period bounds at `confidence` (γ in (0, 1)) from `obligors[t, k]` and
/// `defaults[t, k]` (periods × grades, best grade first), at asset correlation `rho` (in
/// [0, 1)) and the factor's correlation `tau` from one period to the next (in
/// [0, [`MAX_PERIOD_CORRELATION`]]).
pub fn pluto_tasche_periods(
    obligors: ArrayView2<usize>,
    defaults: ArrayView2<usize>,
    confidence: f64,
    rho: f64,
    tau: f64,
) -> Result<Vec<PeriodBound>> {
    check(obligors, defaults, confidence, rho, tau)?;
    let (periods, grades) = obligors.dim();
    let mut bounds = Vec::with_capacity(grades);
    let mut pool = vec![0usize; periods];
    let mut pooled_defaults = 0;
    for k in (0..grades).rev() {
        for t in 0..periods {
            pool[t] += obligors[[t, k]];
            pooled_defaults += defaults[[t, k]];
        }
        let total: usize = pool.iter().sum();
        if total == 0 {
            return Err(Error::TooFewRows {
                what: format!("the multi-period Pluto-Tasche bound of grade {}", k + 1),
                needed: 1,
                found: 0,
            });
        }
        // Every obligor-period independent (ρ = 0), or all defaulted: Clopper–Pearson on the
        // pooled counts.
        let bound = if rho == 0.0 || pooled_defaults == total {
            Ok(clopper_pearson(total, pooled_defaults, confidence))
        } else if pooled_defaults > MAX_POOLED_DEFAULTS {
            Err(format!(
                "{pooled_defaults} defaults pooled, more than the {MAX_POOLED_DEFAULTS} the multi-period bound takes"
            ))
        } else {
            PeriodModel::new(&pool, pooled_defaults, rho, tau).bound(1.0 - confidence)
        };
        let (upper_bound, note) = match bound {
            Ok(p) => (Some(p), None),
            Err(why) => (None, Some(why)),
        };
        bounds.push(PeriodBound { obligors: pool.clone(), defaults: pooled_defaults, upper_bound, note });
    }
    bounds.reverse();
    Ok(bounds)
}

/// Refuses shapes that differ, no period or grade, a cell with more defaults than obligors,
/// and parameters out of range.
fn check(
    obligors: ArrayView2<usize>,
    defaults: ArrayView2<usize>,
    confidence: f64,
    rho: f64,
    tau: f64,
) -> Result<()> {
    if obligors.dim() != defaults.dim() {
        return Err(invalid_parameter(
            "defaults",
            format!("{:?} periods × grades where the obligors are {:?}", defaults.dim(), obligors.dim()),
        ));
    }
    if obligors.is_empty() {
        return Err(Error::TooFewRows {
            what: "the multi-period Pluto-Tasche bounds (periods × grades)".into(),
            needed: 1,
            found: 0,
        });
    }
    check_settings(confidence, rho)?;
    if !(0.0..=MAX_PERIOD_CORRELATION).contains(&tau) {
        return Err(invalid_parameter(
            "tau",
            format!(
                "{tau}: the factor's correlation from one period to the next must be in [0, {MAX_PERIOD_CORRELATION}]"
            ),
        ));
    }
    match defaults.indexed_iter().find(|&((t, k), d)| *d > obligors[[t, k]]) {
        Some(((t, k), d)) => Err(invalid_parameter(
            "defaults",
            format!("period {}, grade {}: {d} defaults among {} obligors", t + 1, k + 1, obligors[[t, k]]),
        )),
        None => Ok(()),
    }
}

/// One pool's probability of at most `defaults` defaults as a function of `Φ⁻¹(p)`.
struct PeriodModel<'a> {
    /// Obligors per period.
    obligors: &'a [usize],
    /// Defaults pooled over the periods.
    defaults: usize,
    /// `ln C(N_t, j)` for `j ≤ min(D, N_t)`, period by period.
    ln_choose: Vec<Vec<f64>>,
    rho: f64,
    tau: f64,
}

/// The factor's grid: its points and the kernel that moves a period's distribution to the next.
struct Grid {
    /// `s_i`, ascending.
    points: Vec<f64>,
    /// `h·φ(s_i)`.
    first: Vec<f64>,
    /// `K(i′, i)`, `m × m`.
    kernel: Array2<f64>,
}

impl Grid {
    /// The number of points of the grid of spacing about `h`.
    fn points_for(h: f64) -> usize {
        (2.0 * FACTOR_RANGE / h).ceil() as usize + 1
    }

    /// The uniform grid of spacing about `h` on `|s| ≤ 9`, with `tau`'s transition kernel.
    fn new(h: f64, tau: f64) -> Self {
        let intervals = Self::points_for(h) - 1;
        let h = 2.0 * FACTOR_RANGE / intervals as f64;
        let points: Vec<f64> = (0..=intervals).map(|i| -FACTOR_RANGE + i as f64 * h).collect();
        let sigma = (1.0 - tau * tau).sqrt();
        let first = points.iter().map(|&s| h * normal_density(s)).collect();
        let m = points.len();
        let kernel = Array2::from_shape_fn((m, m), |(to, from)| {
            h * normal_density((points[to] - tau * points[from]) / sigma) / sigma
        });
        Self { points, first, kernel }
    }

    /// The number of points `m`.
    fn len(&self) -> usize {
        self.points.len()
    }
}

/// `(ln Φ(x), ln Φ(−x))`, each from the smaller tail so that neither loses digits.
fn ln_cdf_pair(x: f64) -> (f64, f64) {
    let upper = normal_sf(x.abs());
    let (small, large) = (upper.ln(), (-upper).ln_1p());
    if x < 0.0 { (small, large) } else { (large, small) }
}

impl<'a> PeriodModel<'a> {
    fn new(obligors: &'a [usize], defaults: usize, rho: f64, tau: f64) -> Self {
        let ln_choose = obligors
            .iter()
            .map(|&n| {
                // ln C(n, j) = Σ_{i ≤ j} ln((n − i + 1)/i): exact to rounding for any n at j ≤ 200,
                // where a difference of log-factorials loses digits to n's size.
                let mut ln_choose = vec![0.0];
                for i in 1..=defaults.min(n) {
                    let previous = ln_choose[i - 1];
                    ln_choose.push(previous + ((n - i + 1) as f64 / i as f64).ln());
                }
                ln_choose
            })
            .collect();
        Self { obligors, defaults, ln_choose, rho, tau }
    }

    /// The bound: the `p` at which at most the pooled defaults occur with probability `target`
    /// (`1 − γ`), on a grid refined until the probability there settles; or why it did not.
    fn bound(&self, target: f64) -> std::result::Result<f64, String> {
        let mut h = (1.0 - self.tau * self.tau).sqrt() / 4.0;
        let mut grid = Grid::new(h, self.tau);
        let mut previous = None;
        loop {
            let threshold = self.root(&grid, target, previous);
            previous = Some(threshold);
            h /= 2.0;
            if Grid::points_for(h) > MAX_GRID {
                return Err(format!(
                    "the factor's grid did not settle within {MAX_GRID} points ({} defaults pooled, rho {}, period correlation {})",
                    self.defaults, self.rho, self.tau
                ));
            }
            let finer = Grid::new(h, self.tau);
            if (self.at_most(&finer, threshold) - target).abs() <= 1e-7 * target {
                return Ok(normal_sf(-threshold));
            }
            grid = finer;
        }
    }

    /// The threshold `Φ⁻¹(p)` at which [`Self::at_most`] is `target` on `grid`: a bracket of
    /// width 1/4 (about the root on the coarser grid, `near`, when it brackets; else by
    /// bisection), then Illinois' false position.
    fn root(&self, grid: &Grid, target: f64, near: Option<f64>) -> f64 {
        let f = |z: f64| self.at_most(grid, z) - target;
        // The probability falls as the threshold rises: f(lo) > 0 > f(hi).
        let (mut lo, mut hi) = THRESHOLDS;
        // The values of f at the bracket's ends, once known.
        let (mut at_lo, mut at_hi) = (None, None);
        if let Some(z) = near {
            let (a, b) = ((z - 0.125).max(lo), (z + 0.125).min(hi));
            let (f_a, f_b) = (f(a), f(b));
            if f_a > 0.0 && f_b <= 0.0 {
                (lo, hi, at_lo, at_hi) = (a, b, Some(f_a), Some(f_b));
            }
        }
        while hi - lo > 0.25 {
            let mid = 0.5 * (lo + hi);
            let f_mid = f(mid);
            if f_mid > 0.0 {
                (lo, at_lo) = (mid, Some(f_mid));
            } else {
                (hi, at_hi) = (mid, Some(f_mid));
            }
        }
        let (mut f_lo, mut f_hi) = (at_lo.unwrap_or_else(|| f(lo)), at_hi.unwrap_or_else(|| f(hi)));
        let mut kept = 0i8; // +1: lo was kept by the last step, −1: hi was.
        for _ in 0..100 {
            if hi - lo <= 1e-11 || f_lo == f_hi {
                break;
            }
            let z = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
            let f_z = f(z);
            if f_z.abs() <= 1e-10 * target {
                return z;
            }
            if f_z > 0.0 {
                (lo, f_lo) = (z, f_z);
                if kept == -1 {
                    f_hi *= 0.5;
                }
                kept = -1;
            } else {
                (hi, f_hi) = (z, f_z);
                if kept == 1 {
                    f_lo *= 0.5;
                }
                kept = 1;
            }
        }
        0.5 * (lo + hi)
    }

    /// `P(Σ_t Bin(N_t, G(p, ρ, S_t)) ≤ D)` at threshold `Φ⁻¹(p) = threshold`, on `grid`.
    fn at_most(&self, grid: &Grid, threshold: f64) -> f64 {
        let (loading, idiosyncratic) = (self.rho.sqrt(), (1.0 - self.rho).sqrt());
        let ln_pd: Vec<(f64, f64)> =
            grid.points.iter().map(|&s| ln_cdf_pair((threshold - loading * s) / idiosyncratic)).collect();
        let width = self.defaults + 1;
        // α, m × (D + 1): before the first period, no defaults, the factor's density.
        let mut alpha = Array2::<f64>::zeros((grid.len(), width));
        alpha.column_mut(0).assign(&ArrayView1::from(&grid.first));
        // Scratch rows, so that the convolution indexes slices, not arrays.
        let (mut pmf, mut before) = (Vec::with_capacity(width), Vec::with_capacity(width));
        for (t, ln_choose) in self.ln_choose.iter().enumerate() {
            let n = self.obligors[t];
            let moved = if t == 0 { alpha.clone() } else { grid.kernel.dot(&alpha) };
            for (i, (mut row, moved_row)) in alpha.rows_mut().into_iter().zip(moved.rows()).enumerate() {
                let (ln_q, ln_not_q) = ln_pd[i];
                pmf.clear();
                pmf.extend(ln_choose.iter().enumerate().map(|(l, c)| {
                    let defaulted = if l == 0 { 0.0 } else { l as f64 * ln_q };
                    let survived = if l == n { 0.0 } else { (n - l) as f64 * ln_not_q };
                    (c + defaulted + survived).exp()
                }));
                before.clear();
                before.extend(moved_row.iter().copied());
                for (j, cell) in row.iter_mut().enumerate() {
                    *cell = pmf.iter().take(j + 1).enumerate().map(|(l, b)| before[j - l] * b).sum();
                }
            }
        }
        alpha.iter().sum()
    }
}

//! Contrastive representation distillation (Tian, Krishnan & Isola 2020, "Contrastive
//! Representation Distillation"), as RepDistiller implements it: `CRDLoss`, `ContrastLoss` and
//! `Embed` in `crd/criterion.py`, `ContrastMemory` in `crd/memory.py`.
//!
//! Both networks' features are embedded (a linear head to `feat_dim`, then division by the L2
//! norm); each embedding is scored against the *other* network's memory bank — one row per
//! training example — at the example itself (the positive) and at `K` other rows (negatives);
//! a noise-contrastive estimation loss pushes the positive's score up and the negatives' down.
//! After the scores, each bank's rows `idx` move towards the batch's embeddings.
//!
//! Checked through `tests/golden/losses/gen.py` (a restatement of RepDistiller's module, which
//! gave the same numbers as RepDistiller's own `CRDLoss` on its inputs when compared once on CPU)
//! against PyTorch 2.13.0 within 1e-5 in float32 over two steps: the loss, the gradients with
//! respect to `f_s`, `f_t` and both heads, the normalisation constants and the memory banks.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tch::{Kind, Tensor, nn};

use super::{Reduction, torch};
use crate::{Error, Result};

/// RepDistiller's `eps` in the NCE loss's denominators.
const EPS: f64 = 1e-7;

/// Parameters of [`Crd`], with RepDistiller's names and defaults.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `s_dim` | — | width of the student's features (flattened), ≥ 1 |
/// | `t_dim` | — | width of the teacher's features (flattened), ≥ 1 |
/// | `n_data` | — | rows of the training set = rows of each memory bank, ≥ 1 |
/// | `feat_dim` | 128 | width of the embedding, ≥ 1 |
/// | `nce_k` | 16384 | negatives per positive; [`negatives`](Self::negatives) caps it at `n_data` |
/// | `nce_t` | 0.07 | temperature `T` of the scores, finite and > 0 |
/// | `momentum` | 0.5 | weight of a bank row's old value in its update, in `[0, 1)` |
/// | `reduction` | `BatchMean` | how the per-example losses are combined (RepDistiller: `BatchMean`) |
/// | `seed` | 0 | the banks' initial values (ChaCha8) |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrdConfig {
    /// Width of the student's features.
    pub s_dim: i64,
    /// Width of the teacher's features.
    pub t_dim: i64,
    /// Number of training examples.
    pub n_data: i64,
    /// Width of the embedding.
    pub feat_dim: i64,
    /// Negatives per positive before the cap.
    pub nce_k: i64,
    /// Temperature.
    pub nce_t: f64,
    /// Momentum of the bank updates.
    pub momentum: f64,
    /// Reduction over the batch; `Mean` and `BatchMean` coincide (one loss per example).
    pub reduction: Reduction,
    /// Seed of the banks' initial values.
    pub seed: u64,
}

impl CrdConfig {
    /// RepDistiller's defaults for features of widths `s_dim` and `t_dim` and `n_data` examples.
    pub fn new(s_dim: i64, t_dim: i64, n_data: i64) -> Self {
        Self {
            s_dim,
            t_dim,
            n_data,
            feat_dim: 128,
            nce_k: 16384,
            nce_t: 0.07,
            momentum: 0.5,
            reduction: Reduction::BatchMean,
            seed: 0,
        }
    }

    /// `K = min(nce_k, n_data)`, the number of negatives per positive (the width of
    /// `contrast_idx` is `K + 1`).
    pub fn negatives(&self) -> i64 {
        self.nce_k.min(self.n_data)
    }

    /// Checks the parameters and builds the heads (trainable, under `path / "embed_s"` and
    /// `path / "embed_t"`, initialised like PyTorch's `nn.Linear`: weight and bias uniform in
    /// `±1/√fan_in`) and the memory banks (not trainable, `path / "memory_s"`, `"memory_t"`,
    /// uniform in `±1/√(feat_dim/3)` as RepDistiller's `ContrastMemory`, drawn from `seed`).
    pub fn init(self, path: &nn::Path<'_>) -> Result<Crd> {
        let sizes = [
            ("s_dim", self.s_dim),
            ("t_dim", self.t_dim),
            ("n_data", self.n_data),
            ("feat_dim", self.feat_dim),
            ("nce_k", self.nce_k),
        ];
        for (name, value) in sizes {
            if value < 1 {
                return Err(invalid(name, format!("{value} (at least 1)")));
            }
        }
        if !(self.nce_t > 0.0 && self.nce_t.is_finite()) {
            return Err(invalid("nce_t", format!("{} (a finite value > 0)", self.nce_t)));
        }
        if !(0.0..1.0).contains(&self.momentum) {
            return Err(invalid("momentum", format!("{} (in [0, 1))", self.momentum)));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        Ok(Crd {
            embed_s: head(&(path / "embed_s"), self.s_dim, self.feat_dim)?,
            embed_t: head(&(path / "embed_t"), self.t_dim, self.feat_dim)?,
            memory_s: bank(path, "memory_s", self.n_data, self.feat_dim, &mut rng)?,
            memory_t: bank(path, "memory_t", self.n_data, self.feat_dim, &mut rng)?,
            z_s: None,
            z_t: None,
            config: self,
        })
    }
}

fn invalid(name: &str, reason: String) -> Error {
    Error::InvalidParameter { name: name.to_owned(), reason }
}

fn mismatch(context: &str, expected: String, got: &Tensor) -> Error {
    Error::ShapeMismatch { context: context.to_owned(), expected, got: format!("{:?}", got.size()) }
}

/// A linear layer `d_in → d_out` initialised as PyTorch's `nn.Linear`.
fn head(path: &nn::Path<'_>, d_in: i64, d_out: i64) -> Result<nn::Linear> {
    let bound = 1.0 / (d_in as f64).sqrt();
    let init = nn::Init::Uniform { lo: -bound, up: bound };
    let ws = path.f_var("weight", &[d_out, d_in], init).map_err(torch("embedding weight"))?;
    let bs = path.f_var("bias", &[d_out], init).map_err(torch("embedding bias"))?;
    Ok(nn::Linear { ws, bs: Some(bs) })
}

/// A memory bank `(rows, width)`, uniform in `±1/√(width/3)`.
fn bank(path: &nn::Path<'_>, name: &str, rows: i64, width: i64, rng: &mut ChaCha8Rng) -> Result<Tensor> {
    let stdv = 1.0 / (width as f64 / 3.0).sqrt();
    let values: Vec<f32> = (0..rows * width).map(|_| rng.gen_range(-stdv..stdv) as f32).collect();
    let mut memory = path.f_zeros_no_train(name, &[rows, width]).map_err(torch("memory bank"))?;
    let init = Tensor::from_slice(&values).f_view([rows, width]).map_err(torch("memory bank"))?;
    tch::no_grad(|| memory.f_copy_(&init)).map_err(torch("memory bank"))?;
    Ok(memory)
}

/// CRD's loss with its state: two embedding heads, two memory banks `(n_data, feat_dim)` and
/// the normalisation constants.
///
/// Shapes: `f_s (B, s_dim)` and `f_t (B, t_dim)` (or `(B, …)`, flattened to these widths),
/// `idx (B,)` int64 with distinct rows of the training set, `contrast_idx (B, K + 1)` int64
/// whose first column is `idx` and whose other `K` columns are the negatives (see
/// [`ContrastSampler`]), all indices in `[0, n_data)`.
///
/// With `v_s = ℓ₂(W_s f_s + b_s)`, `v_t = ℓ₂(W_t f_t + b_t)` and the banks `M_s`, `M_t`: scores
/// `P_s[b, j] = exp(⟨M_t[c_bj], v_s[b]⟩ / T) / Z_s` (the student as anchor) and
/// `P_t[b, j] = exp(⟨M_s[c_bj], v_t[b]⟩ / T) / Z_t` (the teacher as anchor), the bank rows
/// detached; `Z = n_data · mean(exp(…))` over the first batch, fixed afterwards. With
/// `q = K / n_data` the loss of each example is, for each anchor,
/// `−ln(P[b,0] / (P[b,0] + q + ε)) − Σ_{j≥1} ln(q / (P[b,j] + q + ε))`, `ε = 10⁻⁷`; the two
/// anchors' losses are added and reduced over the batch. Then, without gradient, the rows `idx`
/// of `M_s` (and `M_t`) become `ℓ₂(m·M[idx] + (1 − m)·v)` with `v_s` (and `v_t`).
#[derive(Debug)]
pub struct Crd {
    config: CrdConfig,
    embed_s: nn::Linear,
    embed_t: nn::Linear,
    memory_s: Tensor,
    memory_t: Tensor,
    z_s: Option<f64>,
    z_t: Option<f64>,
}

impl Crd {
    /// The parameters.
    pub fn config(&self) -> &CrdConfig {
        &self.config
    }

    /// The student's and the teacher's embedding heads.
    pub fn heads(&self) -> (&nn::Linear, &nn::Linear) {
        (&self.embed_s, &self.embed_t)
    }

    /// The memory banks of the student's and the teacher's embeddings, `(n_data, feat_dim)`
    /// (RepDistiller's `memory_v1` and `memory_v2`).
    pub fn memories(&self) -> (&Tensor, &Tensor) {
        (&self.memory_s, &self.memory_t)
    }

    /// The normalisation constants `Z_s` (student anchor) and `Z_t` (teacher anchor), `None`
    /// before the first batch.
    pub fn normalizers(&self) -> (Option<f64>, Option<f64>) {
        (self.z_s, self.z_t)
    }

    /// A seeded sampler of `contrast_idx` for this loss's `n_data` and `K`.
    pub fn sampler(&self, seed: u64) -> ContrastSampler {
        ContrastSampler {
            n_data: self.config.n_data,
            negatives: self.config.negatives(),
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The loss on one batch; also sets `Z` on the first batch and updates the banks.
    pub fn forward(
        &mut self,
        f_s: &Tensor,
        f_t: &Tensor,
        idx: &Tensor,
        contrast_idx: &Tensor,
    ) -> Result<Tensor> {
        let c = self.config;
        let v_s = embed(&self.embed_s, f_s, c.s_dim, "f_s")?;
        let v_t = embed(&self.embed_t, f_t, c.t_dim, "f_t")?;
        let batch = v_s.size()[0];
        if v_t.size()[0] != batch {
            return Err(mismatch("f_t", format!("{batch} rows, as f_s"), f_t));
        }
        check_indices(idx, contrast_idx, batch, c.negatives(), c.n_data)?;
        let out_s = scores(&self.memory_t, contrast_idx, &v_s, c.nce_t)?;
        let out_t = scores(&self.memory_s, contrast_idx, &v_t, c.nce_t)?;
        let z_s = normalizer(self.z_s, &out_s, c.n_data, "Z_s")?;
        let z_t = normalizer(self.z_t, &out_t, c.n_data, "Z_t")?;
        let divided = |out: &Tensor, z: f64| out.f_div_scalar(z).map_err(torch("normalise scores"));
        let per_example = nce(&divided(&out_s, z_s)?, c.n_data)?
            .f_add(&nce(&divided(&out_t, z_t)?, c.n_data)?)
            .map_err(torch("crd"))?;
        let loss = c.reduction.apply(&per_example)?;
        update(&self.memory_s, idx, &v_s, c.momentum)?;
        update(&self.memory_t, idx, &v_t, c.momentum)?;
        (self.z_s, self.z_t) = (Some(z_s), Some(z_t));
        Ok(loss)
    }
}

/// `ℓ₂(W flatten(f) + b)`, RepDistiller's `Embed` (no ε in the norm). `(B, …) → (B, feat_dim)`.
fn embed(head: &nn::Linear, f: &Tensor, width: i64, name: &str) -> Result<Tensor> {
    let expected = || format!("(B, {width}) after flattening");
    if f.dim() < 2 {
        return Err(mismatch(name, expected(), f));
    }
    let flat = f.f_flatten(1, -1).map_err(torch("flatten"))?;
    if flat.size()[1] != width {
        return Err(mismatch(name, expected(), f));
    }
    let z = flat.f_linear(&head.ws, head.bs.as_ref()).map_err(torch("embedding"))?;
    let norm = z
        .f_pow_tensor_scalar(2.0)
        .and_then(|v| v.f_sum_dim_intlist([1i64].as_slice(), true, z.kind()))
        .and_then(|v| v.f_pow_tensor_scalar(0.5))
        .map_err(torch("embedding norm"))?;
    z.f_div(&norm).map_err(torch("embedding norm"))
}

/// Refuses indices of the wrong type, shape or range, repeated rows in `idx`, and a first
/// column of `contrast_idx` other than `idx`.
fn check_indices(idx: &Tensor, contrast_idx: &Tensor, batch: i64, negatives: i64, n_data: i64) -> Result<()> {
    if idx.size() != [batch] {
        return Err(mismatch("idx", format!("[{batch}]"), idx));
    }
    if contrast_idx.size() != [batch, negatives + 1] {
        return Err(mismatch(
            "contrast_idx",
            format!("[{batch}, {}] (K + 1 columns)", negatives + 1),
            contrast_idx,
        ));
    }
    for (name, t) in [("idx", idx), ("contrast_idx", contrast_idx)] {
        if t.kind() != Kind::Int64 {
            return Err(invalid(name, format!("{:?} tensor (int64 indices needed)", t.kind())));
        }
        let low = t.f_min().and_then(|v| v.f_int64_value(&[])).map_err(torch("min"))?;
        let high = t.f_max().and_then(|v| v.f_int64_value(&[])).map_err(torch("max"))?;
        if low < 0 || high >= n_data {
            return Err(invalid(name, format!("indices from {low} to {high}, outside [0, {n_data})")));
        }
    }
    let distinct = idx.f_unique_dim(0, false, false, false).map_err(torch("unique"))?.0.size()[0];
    if distinct != batch {
        return Err(invalid(
            "idx",
            format!("{} repeated rows (each example once per batch)", batch - distinct),
        ));
    }
    let first_is_idx = contrast_idx
        .f_select(1, 0)
        .and_then(|first| first.f_eq_tensor(idx))
        .and_then(|same| same.f_all())
        .and_then(|all| all.f_int64_value(&[]))
        .map_err(torch("positives"))?;
    if first_is_idx == 0 {
        return Err(invalid("contrast_idx", "its first column must be idx (the positives)".into()));
    }
    Ok(())
}

/// `exp(⟨bank[contrast_idx[b, j]], anchor[b]⟩ / T)`, the bank rows detached. `(B, K + 1)`.
fn scores(bank: &Tensor, contrast_idx: &Tensor, anchor: &Tensor, temperature: f64) -> Result<Tensor> {
    let (batch, width) = (anchor.size()[0], anchor.size()[1]);
    contrast_idx
        .f_reshape([-1i64].as_slice())
        .and_then(|flat| bank.f_index_select(0, &flat))
        .and_then(|rows| rows.detach().f_view([batch, -1, width]))
        .and_then(|rows| rows.f_bmm(&anchor.f_unsqueeze(2)?))
        .and_then(|dots| dots.f_squeeze_dim(2))
        .and_then(|dots| dots.f_div_scalar(temperature))
        .and_then(|dots| dots.f_exp())
        .map_err(torch("scores"))
}

/// The stored `Z`, or `n_data · mean(out)` on the first batch (RepDistiller's estimate).
fn normalizer(stored: Option<f64>, out: &Tensor, n_data: i64, name: &str) -> Result<f64> {
    if let Some(z) = stored {
        return Ok(z);
    }
    let z = out
        .f_mean(Kind::Float)
        .and_then(|m| m.f_mul_scalar(n_data))
        .and_then(|z| z.f_double_value(&[]))
        .map_err(torch("normalisation constant"))?;
    if !(z.is_finite() && z > 0.0) {
        return Err(invalid(
            name,
            format!("{z} from the first batch: the scores over- or underflow (lower nce_t?)"),
        ));
    }
    Ok(z)
}

/// Per-example NCE loss (RepDistiller's `ContrastLoss`, before its batch mean) of scores
/// `(B, K + 1)` with the positive first and noise probability `1/n_data`. `(B,)`.
fn nce(p: &Tensor, n_data: i64) -> Result<Tensor> {
    let negatives = p.size()[1] - 1;
    let noise = negatives as f64 * (1.0 / n_data as f64);
    let positive = p.f_select(1, 0).map_err(torch("positive"))?;
    let log_d1 = positive
        .f_add_scalar(noise + EPS)
        .and_then(|d| positive.f_div(&d))
        .and_then(|r| r.f_log())
        .map_err(torch("positive term"))?;
    let negative = p.f_narrow(1, 1, negatives).map_err(torch("negatives"))?;
    let log_d0 = negative
        .f_add_scalar(noise + EPS)
        .and_then(|d| negative.f_full_like(noise)?.f_div(&d))
        .and_then(|r| r.f_log())
        .and_then(|l| l.f_sum_dim_intlist([1i64].as_slice(), false, l.kind()))
        .map_err(torch("negative term"))?;
    log_d1.f_add(&log_d0).and_then(|l| l.f_neg()).map_err(torch("nce"))
}

/// Without gradient: `bank[idx] ← ℓ₂(m·bank[idx] + (1 − m)·v)`.
fn update(bank: &Tensor, idx: &Tensor, v: &Tensor, momentum: f64) -> Result<()> {
    let mut bank = bank.shallow_clone();
    tch::no_grad(|| {
        let rows = bank
            .f_index_select(0, idx)?
            .f_mul_scalar(momentum)?
            .f_add(&v.detach().f_mul_scalar(1.0 - momentum)?)?;
        let norm = rows
            .f_pow_tensor_scalar(2.0)?
            .f_sum_dim_intlist([1i64].as_slice(), true, rows.kind())?
            .f_pow_tensor_scalar(0.5)?;
        bank.f_index_copy_(0, idx, &rows.f_div(&norm)?).map(|_| ())
    })
    .map_err(torch("memory update"))
}

/// Draws `contrast_idx` for CRD: each row is its example's index followed by `K` indices drawn
/// uniformly, with replacement, from `[0, n_data)` (RepDistiller's `AliasMethod` over uniform
/// weights; the positive itself may be drawn). RepDistiller's CIFAR-100 loader instead draws
/// negatives from other classes; such indices can be passed to [`Crd::forward`] directly. The
/// draws are a ChaCha8 stream of the seed, so a rerun gives the same indices.
#[derive(Debug, Clone)]
pub struct ContrastSampler {
    n_data: i64,
    negatives: i64,
    rng: ChaCha8Rng,
}

impl ContrastSampler {
    /// `contrast_idx (B, K + 1)` int64 for `idx (B,)` int64, on `idx`'s device.
    pub fn sample(&mut self, idx: &Tensor) -> Result<Tensor> {
        if idx.dim() != 1 || idx.kind() != Kind::Int64 {
            return Err(invalid(
                "idx",
                format!("{:?} {:?} tensor (1-d int64 needed)", idx.size(), idx.kind()),
            ));
        }
        let rows = Vec::<i64>::try_from(idx).map_err(torch("idx"))?;
        if let Some(bad) = rows.iter().find(|&&i| !(0..self.n_data).contains(&i)) {
            return Err(invalid("idx", format!("index {bad} outside [0, {})", self.n_data)));
        }
        let width = self.negatives + 1;
        let mut out = Vec::with_capacity(rows.len() * width as usize);
        for &row in &rows {
            out.push(row);
            out.extend((0..self.negatives).map(|_| self.rng.gen_range(0..self.n_data)));
        }
        Tensor::from_slice(&out)
            .f_view([rows.len() as i64, width])
            .and_then(|t| t.f_to(idx.device()))
            .map_err(torch("contrast_idx"))
    }
}

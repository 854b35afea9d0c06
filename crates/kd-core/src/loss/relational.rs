//! Losses on the relations between the samples of a batch, as RepDistiller implements them.
//! Features have shape `(n, …)` and are flattened to `(n, d)`; widths may differ.

use tch::{Kind, Tensor};

use super::torch;
use crate::{Error, Result};

fn flat(f: &Tensor) -> Result<Tensor> {
    f.f_flatten(1, -1).map_err(torch("flatten"))
}

fn same_batch(s: &Tensor, t: &Tensor) -> Result<()> {
    if s.size().first() != t.size().first() || s.size().is_empty() {
        return Err(Error::InvalidParameter {
            name: "features".into(),
            reason: format!("student {:?} and teacher {:?} need the same batch size", s.size(), t.size()),
        });
    }
    Ok(())
}

/// Similarity-preserving KD (Tung & Mori 2019): `G = normalize_rows(F Fᵀ)` for each model,
/// `L = ‖G_t − G_s‖²_F / n²`.
pub fn similarity_preserving(s: &Tensor, t: &Tensor) -> Result<Tensor> {
    same_batch(s, t)?;
    let gram = |f: &Tensor| -> Result<Tensor> {
        let f = flat(f)?;
        let g = f.f_matmul(&f.f_transpose(0, 1).map_err(torch("transpose"))?).map_err(torch("matmul"))?;
        let norm = g
            .f_norm_scalaropt_dim(2.0, [1i64].as_slice(), true)
            .and_then(|n| n.f_clamp_min(1e-12))
            .map_err(torch("norm"))?;
        g.f_div(&norm).map_err(torch("normalize"))
    };
    let n = s.size()[0] as f64;
    let d = gram(t)?.f_sub(&gram(s)?).map_err(torch("difference"))?;
    d.f_pow_tensor_scalar(2.0)
        .and_then(|v| v.f_sum(None))
        .and_then(|v| v.f_div_scalar(n * n))
        .map_err(torch("sp"))
}

/// Probabilistic knowledge transfer (Passalis & Tefas 2018): cosine similarities mapped to
/// `[0, 1]` and normalised per row into conditional distributions `P` (student) and `Q`
/// (teacher), `L = mean(Q · ln((Q + ε)/(P + ε)))`, `ε = 1e-7`.
pub fn probabilistic_transfer(s: &Tensor, t: &Tensor) -> Result<Tensor> {
    same_batch(s, t)?;
    let eps = 1e-7;
    let conditional = |f: &Tensor| -> Result<Tensor> {
        let f = flat(f)?;
        let norm = f
            .f_pow_tensor_scalar(2.0)
            .and_then(|v| v.f_sum_dim_intlist([1i64].as_slice(), true, Kind::Float))
            .and_then(|v| v.f_sqrt())
            .and_then(|v| v.f_add_scalar(eps))
            .map_err(torch("norm"))?;
        let unit = f.f_div(&norm).map_err(torch("normalize"))?;
        let sim = unit
            .f_matmul(&unit.f_transpose(0, 1).map_err(torch("transpose"))?)
            .and_then(|v| v.f_add_scalar(1.0))
            .and_then(|v| v.f_div_scalar(2.0))
            .map_err(torch("similarity"))?;
        let rows = sim.f_sum_dim_intlist([1i64].as_slice(), true, Kind::Float).map_err(torch("sum"))?;
        sim.f_div(&rows).map_err(torch("conditional"))
    };
    let (p, q) = (conditional(s)?, conditional(t)?);
    let ratio = q
        .f_add_scalar(eps)
        .and_then(|a| a.f_div(&p.f_add_scalar(eps)?))
        .and_then(|r| r.f_log())
        .map_err(torch("log"))?;
    q.f_mul(&ratio).and_then(|v| v.f_mean(None)).map_err(torch("pkt"))
}

/// Relational KD (Park et al. 2019) with RepDistiller's weights: distance term `w_d = 25` and
/// angle term `w_a = 50`, each a smooth-L1 loss (β = 1) between student and (detached)
/// teacher relations. Distances `‖f_i − f_j‖` are divided by their mean over distinct pairs;
/// angles are the cosines `⟨e_ij, e_kj⟩` of the unit differences for every triple.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Relational {
    /// Weight of the distance term.
    pub distance_weight: f64,
    /// Weight of the angle term.
    pub angle_weight: f64,
}

impl Default for Relational {
    fn default() -> Self {
        Self { distance_weight: 25.0, angle_weight: 50.0 }
    }
}

impl Relational {
    /// Pairwise distances divided by their mean over pairs with a positive distance, with a
    /// zero diagonal (RepDistiller's `pdist` with `eps = 1e-12`).
    fn distances(f: &Tensor) -> Result<Tensor> {
        let sq = f
            .f_pow_tensor_scalar(2.0)
            .and_then(|v| v.f_sum_dim_intlist([1i64].as_slice(), false, Kind::Float));
        let sq = sq.map_err(torch("square"))?;
        let prod = f.f_matmul(&f.f_transpose(0, 1).map_err(torch("transpose"))?).map_err(torch("matmul"))?;
        let n = f.size()[0];
        let eye = Tensor::f_eye(n, (Kind::Float, f.device())).map_err(torch("eye"))?;
        let d = sq
            .f_unsqueeze(1)
            .and_then(|v| v.f_add(&sq.f_unsqueeze(0)?))
            .and_then(|v| v.f_sub(&prod.f_mul_scalar(2.0)?))
            .and_then(|v| v.f_clamp_min(1e-12))
            .and_then(|v| v.f_sqrt())
            .and_then(|v| v.f_mul(&eye.f_neg()?.f_add_scalar(1.0)?))
            .map_err(torch("distances"))?;
        let positive = d.f_gt(0.0).map_err(torch("mask"))?;
        let mean =
            d.f_masked_select(&positive).and_then(|v| v.f_mean(None)).map_err(torch("mean distance"))?;
        d.f_div(&mean).map_err(torch("normalise"))
    }

    /// Cosines of every triple's unit differences, flattened to `(n³,)`.
    fn angles(f: &Tensor) -> Result<Tensor> {
        let diff =
            f.f_unsqueeze(0).and_then(|a| a.f_sub(&f.f_unsqueeze(1)?)).map_err(torch("differences"))?;
        let norm = diff
            .f_norm_scalaropt_dim(2.0, [2i64].as_slice(), true)
            .and_then(|n| n.f_clamp_min(1e-12))
            .map_err(torch("norm"))?;
        let unit = diff.f_div(&norm).map_err(torch("normalize"))?;
        unit.f_bmm(&unit.f_transpose(1, 2).map_err(torch("transpose"))?)
            .and_then(|v| v.f_view([-1i64].as_slice()))
            .map_err(torch("angles"))
    }

    /// The loss.
    pub fn forward(&self, s: &Tensor, t: &Tensor) -> Result<Tensor> {
        same_batch(s, t)?;
        let (fs, ft) = (flat(s)?, flat(&t.detach())?);
        let smooth = |a: &Tensor, b: &Tensor| {
            a.f_smooth_l1_loss(b, tch::Reduction::Mean, 1.0).map_err(torch("smooth_l1"))
        };
        let d = smooth(&Self::distances(&fs)?, &Self::distances(&ft)?)?;
        let a = smooth(&Self::angles(&fs)?, &Self::angles(&ft)?)?;
        d.f_mul_scalar(self.distance_weight)
            .and_then(|v| v.f_add(&a.f_mul_scalar(self.angle_weight)?))
            .map_err(torch("rkd"))
    }
}

//! The kernel of the row-block QR: fold a block of rows `B` (`m × q`) into an upper-triangular
//! `R` (`q × q`), so that `R' R' = R'R + B'B` for the new `R'`, by Householder reflections.
//!
//! Hand-written rather than LAPACK's `dgeqrf` on the stacked `[R; B]`, for three reasons:
//! LAPACK handles fewer than 128 columns with its unblocked `dgeqr2` anyway (level-2 work, the
//! same as here), it would also transform the `q − 1` zero rows under each diagonal entry of
//! `R`, and its thread pool competes with rayon's when chunks run in parallel (measured: 2.8×
//! the CPU time on this project's 2-core machine). Reflector `j` is `I − τ v v'` with `v = (1
//! at row j of R, B[:, j] / (R_jj − β))`, `β = −sign(R_jj) ‖(R_jj, B[:, j])‖`, LAPACK's
//! `dlarfg` convention; the diagonal of `R` may be negative, as LAPACK's. Dot products and
//! updates run in SIMD registers through pulp, which picks AVX2 with fused multiply-adds (or
//! AVX-512, or SSE2) at run time, so no `target-cpu` flag is needed.

use pulp::{Simd, WithSimd};

/// `Σ a_i b_i` in SIMD registers (fused multiply-adds where the CPU has them).
#[inline(always)]
fn dot<S: Simd>(simd: S, a: &[f64], b: &[f64]) -> f64 {
    let (ah, at) = S::as_simd_f64s(a);
    let (bh, bt) = S::as_simd_f64s(b);
    let (mut acc0, mut acc1) = (simd.splat_f64s(0.0), simd.splat_f64s(0.0));
    let pairs = ah.len() / 2;
    for i in 0..pairs {
        acc0 = simd.mul_add_e_f64s(ah[2 * i], bh[2 * i], acc0);
        acc1 = simd.mul_add_e_f64s(ah[2 * i + 1], bh[2 * i + 1], acc1);
    }
    if ah.len() % 2 == 1 {
        acc0 = simd.mul_add_e_f64s(ah[ah.len() - 1], bh[bh.len() - 1], acc0);
    }
    let tail: f64 = at.iter().zip(bt).map(|(x, y)| x * y).sum();
    simd.reduce_sum_f64s(simd.add_f64s(acc0, acc1)) + tail
}

/// `y ← y + alpha x` in SIMD registers.
#[inline(always)]
fn axpy<S: Simd>(simd: S, alpha: f64, x: &[f64], y: &mut [f64]) {
    let (xh, xt) = S::as_simd_f64s(x);
    let (yh, yt) = S::as_mut_simd_f64s(y);
    let a = simd.splat_f64s(alpha);
    for (yi, &xi) in yh.iter_mut().zip(xh) {
        *yi = simd.mul_add_e_f64s(a, xi, *yi);
    }
    for (yi, xi) in yt.iter_mut().zip(xt) {
        *yi += alpha * xi;
    }
}

/// `√(a² + ‖x‖²)`: the plain sum of squares when it stays inside `f64`'s normal range (the
/// battery's scaled data), else with the values scaled by their largest magnitude.
#[inline(always)]
fn norm_with<S: Simd>(simd: S, a: f64, x: &[f64]) -> f64 {
    let plain = a * a + dot(simd, x, x);
    if plain.is_finite() && plain > 1e-290 {
        return plain.sqrt();
    }
    let scale = x.iter().fold(a.abs(), |m, v| m.max(v.abs()));
    if scale == 0.0 {
        return 0.0;
    }
    let s: f64 = x.iter().map(|v| (v / scale).powi(2)).sum::<f64>() + (a / scale).powi(2);
    scale * s.sqrt()
}

/// `(Σ a_i c_i, Σ b_i c_i)` in one pass over `c`.
#[inline(always)]
fn dot2<S: Simd>(simd: S, a: &[f64], b: &[f64], c: &[f64]) -> (f64, f64) {
    let (ah, at) = S::as_simd_f64s(a);
    let (bh, bt) = S::as_simd_f64s(b);
    let (ch, ct) = S::as_simd_f64s(c);
    let (mut acc_a, mut acc_b) = (simd.splat_f64s(0.0), simd.splat_f64s(0.0));
    for ((&x, &y), &z) in ah.iter().zip(bh).zip(ch) {
        acc_a = simd.mul_add_e_f64s(x, z, acc_a);
        acc_b = simd.mul_add_e_f64s(y, z, acc_b);
    }
    let tail_a: f64 = at.iter().zip(ct).map(|(x, z)| x * z).sum();
    let tail_b: f64 = bt.iter().zip(ct).map(|(y, z)| y * z).sum();
    (simd.reduce_sum_f64s(acc_a) + tail_a, simd.reduce_sum_f64s(acc_b) + tail_b)
}

/// `c ← c + α a + β b` in one pass.
#[inline(always)]
fn axpy2<S: Simd>(simd: S, alpha: f64, a: &[f64], beta: f64, b: &[f64], c: &mut [f64]) {
    let (ah, at) = S::as_simd_f64s(a);
    let (bh, bt) = S::as_simd_f64s(b);
    let (ch, ct) = S::as_mut_simd_f64s(c);
    let (sa, sb) = (simd.splat_f64s(alpha), simd.splat_f64s(beta));
    for ((z, &x), &y) in ch.iter_mut().zip(ah).zip(bh) {
        *z = simd.mul_add_e_f64s(sb, y, simd.mul_add_e_f64s(sa, x, *z));
    }
    for ((z, x), y) in ct.iter_mut().zip(at).zip(bt) {
        *z += alpha * x + beta * y;
    }
}

/// Turns column `j` (its block part `v`, its diagonal entry in `r`) into reflector `j`:
/// scales `v` to the reflector's vector, writes `β` on the diagonal and returns `τ` (0 when
/// the reflector is the identity).
#[inline(always)]
fn reflector<S: Simd>(simd: S, r: &mut [f64], v: &mut [f64], q: usize, j: usize) -> f64 {
    if v.iter().all(|&x| x == 0.0) {
        return 0.0; // the identity (LAPACK's τ = 0)
    }
    let alpha = r[j * q + j];
    let norm = norm_with(simd, alpha, v);
    let beta = if alpha >= 0.0 { -norm } else { norm };
    let inv = 1.0 / (alpha - beta);
    v.iter_mut().for_each(|x| *x *= inv);
    r[j * q + j] = beta;
    (beta - alpha) / beta
}

/// The fold, generic over the SIMD instruction set pulp detects at run time. Reflectors go in
/// pairs: `H_{j+1} H_j` is applied to each later column in two passes over it (two dot
/// products at once, then one update) instead of four; with `γ = v_{j+1}'v_j`,
/// `w_j = r_j + v_j'c`, `w_{j+1} = r_{j+1} + v_{j+1}'c − τ_j w_j γ`.
struct Absorb<'a> {
    r: &'a mut [f64],
    b: &'a mut [f64],
    m: usize,
    q: usize,
}

impl WithSimd for Absorb<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let Self { r, b, m, q } = self;
        let mut j = 0;
        while j < q {
            let tau1 = reflector(simd, r, &mut b[j * m..(j + 1) * m], q, j);
            if j + 1 == q {
                break;
            }
            {
                // H_j on column j + 1, which then gives reflector j + 1.
                let (done, rest) = b.split_at_mut((j + 1) * m);
                let (v1, c) = (&done[j * m..], &mut rest[..m]);
                let w = r[(j + 1) * q + j] + dot(simd, v1, c);
                r[(j + 1) * q + j] -= tau1 * w;
                axpy(simd, -tau1 * w, v1, c);
            }
            let tau2 = reflector(simd, r, &mut b[(j + 1) * m..(j + 2) * m], q, j + 1);
            let (done, rest) = b.split_at_mut((j + 2) * m);
            let (v1, v2) = (&done[j * m..(j + 1) * m], &done[(j + 1) * m..]);
            let gamma = dot(simd, v2, v1);
            for (offset, c) in rest.chunks_exact_mut(m).enumerate() {
                let k = j + 2 + offset;
                let (d1, d2) = dot2(simd, v1, v2, c);
                let w1 = r[k * q + j] + d1;
                let w2 = r[k * q + j + 1] + d2 - tau1 * w1 * gamma;
                r[k * q + j] -= tau1 * w1;
                r[k * q + j + 1] -= tau2 * w2;
                axpy2(simd, -tau1 * w1, v1, -tau2 * w2, v2, c);
            }
            j += 2;
        }
    }
}

/// Folds the column-major block `b` (`m` rows, `q` columns) into the column-major upper
/// triangle `r` (`q × q`); `b` is overwritten.
pub fn absorb(r: &mut [f64], b: &mut [f64], m: usize, q: usize) {
    debug_assert_eq!(r.len(), q * q);
    debug_assert_eq!(b.len(), m * q);
    if m > 0 {
        pulp::Arch::new().dispatch(Absorb { r, b, m, q });
    }
}

#[cfg(test)]
mod tests {
    use super::absorb;

    /// `R'R` must equal the Gram matrix of all rows folded in.
    #[test]
    fn folding_rows_preserves_the_gram_matrix() {
        let (q, m) = (3, 5);
        let rows: Vec<[f64; 3]> = (0..2 * m)
            .map(|i| {
                let t = i as f64;
                [1.0, (0.7 * t).sin() + t, (1.3 * t).cos() * 2.0 - 0.1 * t * t]
            })
            .collect();
        let mut r = vec![0.0; q * q];
        for chunk in rows.chunks(m) {
            let mut b: Vec<f64> = (0..q).flat_map(|j| chunk.iter().map(move |row| row[j])).collect();
            absorb(&mut r, &mut b, chunk.len(), q);
        }
        for a in 0..q {
            for c in 0..q {
                let gram: f64 = rows.iter().map(|row| row[a] * row[c]).sum();
                let rtr: f64 = (0..q).map(|i| r[a * q + i] * r[c * q + i]).sum();
                assert!((gram - rtr).abs() < 1e-10 * gram.abs().max(1.0), "{a},{c}: {gram} vs {rtr}");
            }
        }
    }
}

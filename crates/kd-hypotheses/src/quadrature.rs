//! Adaptive Gauss–Kronrod quadrature (7/15 points, QUADPACK's `dqk15` nodes and `dqag`
//! strategy), for the integrals the tests need: Imhof's inversion of a quadratic form's
//! characteristic function and the one-factor model's mixture of binomial distributions.
//! Hand-written when the exact Durbin–Watson p-value needed it and checked there against
//! Farebrother's table; it takes a list of break points (`dqagp`'s use), which puts the pieces
//! where the integrands turn sharply. quad-rs and quad_gk offer adaptive Gauss–Kronrod too;
//! these sixty lines were kept rather than add a dependency for them.

/// Gauss–Kronrod 15-point nodes (positive half, the centre last) and weights, and the 7-point
/// Gauss weights of the odd-indexed nodes (QUADPACK `dqk15`).
const XGK: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
const WGK: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_18,
    0.140_653_259_715_525_92,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_83,
];
const WG: [f64; 4] =
    [0.129_484_966_168_869_7, 0.279_705_391_489_276_7, 0.381_830_050_505_118_9, 0.417_959_183_673_469_4];

/// Kronrod estimate and its difference from Gauss' on `[lo, hi]`.
fn kronrod(f: &dyn Fn(f64) -> f64, lo: f64, hi: f64) -> (f64, f64) {
    let (centre, half) = (0.5 * (lo + hi), 0.5 * (hi - lo));
    let fc = f(centre);
    let (mut k, mut g) = (WGK[7] * fc, WG[3] * fc);
    for i in 0..7 {
        let dx = half * XGK[i];
        let sum = f(centre - dx) + f(centre + dx);
        k += WGK[i] * sum;
        if i % 2 == 1 {
            g += WG[i / 2] * sum;
        }
    }
    (k * half, (k - g).abs() * half)
}

/// `∫ f` over the consecutive pieces between `bounds`, refined (QUADPACK's `dqag` strategy:
/// always bisect the piece with the largest error estimate) until the summed error estimate is
/// below `tol` or `max_splits` bisections are spent.
pub(crate) fn integrate(f: &dyn Fn(f64) -> f64, bounds: &[f64], tol: f64, max_splits: usize) -> f64 {
    let mut pieces: Vec<(f64, f64, f64, f64)> = bounds
        .windows(2)
        .map(|w| {
            let (value, error) = kronrod(f, w[0], w[1]);
            (w[0], w[1], value, error)
        })
        .collect();
    for _ in 0..max_splits {
        let total: f64 = pieces.iter().map(|p| p.3).sum();
        if total <= tol {
            break;
        }
        let Some((worst, _)) = pieces.iter().enumerate().max_by(|a, b| a.1.3.total_cmp(&b.1.3)) else {
            break;
        };
        let (lo, hi, _, _) = pieces.swap_remove(worst);
        let mid = 0.5 * (lo + hi);
        for (l, h) in [(lo, mid), (mid, hi)] {
            let (value, error) = kronrod(f, l, h);
            pieces.push((l, h, value, error));
        }
    }
    pieces.iter().map(|p| p.2).sum()
}

//! Linear Distillation Learning in its one-to-many form (O2MD) of Asadulaev, Kuznetsov &
//! Filchenkov (2019), as the authors' code runs it (`ldl/models/omd.py` and
//! `scripts/omd_train_mnist.py` in postmachines/Linear-Distillation-Learning).
//!
//! A teacher `T(x) = W_T x + b_T` (`ℝ^d → ℝ^m`) is drawn at random and frozen. Each class `c`
//! has a linear student `S_c(x) = W_c x + b_c`, fitted on the examples of class `c` only to
//! imitate the teacher, by Adam on one example at a time with the loss
//! `L_c(x) = (1/m) ‖S_c(x) − T(x)‖²`. An input is put in the class whose student imitates the
//! teacher best: `ŷ(x) = argmin_c ½ ‖T(x) − S_c(x)‖²`, a novelty score per class as in random
//! network distillation (Burda et al., 2018).
//!
//! Initialisation as in PyTorch: weights by `init.xavier_normal_`, `N(0, 2/(d + m))`, biases by
//! `nn.Linear`'s default `U(−1/√d, 1/√d)`. Adam with PyTorch's defaults (β = (0.9, 0.999),
//! ε = 1e-8, no weight decay), one optimiser state per student; each epoch visits the
//! shuffled training examples of all classes once.
//!
//! Training length: a fixed number of epochs (the authors ran 3 or 10), or until the students'
//! own-class imitation error plateaus ([`Stop::Plateau`], kd's: after each epoch the mean of
//! `½ ‖T(x) − S_{y}(x)‖²` over the training examples; training stops once an epoch lowers it by
//! less than a share of its value after the first epoch, or at a cap).

use anyhow::{Result, ensure};
use kd_core::metrics::argmax;
use ndarray::{Array1, Array2, ArrayView2, Axis, Zip};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use statrs::distribution::Normal;

/// How long [`Ldl::fit`] trains.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stop {
    /// Exactly this many epochs.
    Epochs(usize),
    /// Until an epoch lowers the mean own-class imitation error by less than `share` of its
    /// value after the first epoch, at most `cap` epochs.
    Plateau {
        /// Share of the first epoch's error (`0.01`: 1%).
        share: f64,
        /// Most epochs.
        cap: usize,
    },
}

/// Settings of [`Ldl::fit`].
#[derive(Debug, Clone, Copy)]
pub struct LdlParams {
    /// Output size `m` of the teacher and the students (`None`: the input size, the authors'
    /// default `z_dim = 784` on MNIST).
    pub out_dim: Option<usize>,
    /// Training length.
    pub stop: Stop,
    /// Adam's learning rate.
    pub learning_rate: f64,
}

/// An affine map `x ↦ W x + b` with `W` of shape `(m, d)`.
#[derive(Debug, Clone)]
pub(super) struct Affine {
    pub(super) w: Array2<f64>,
    pub(super) b: Array1<f64>,
}

impl Affine {
    /// PyTorch's `nn.Linear(d, m)` after `init.xavier_normal_` of its weight.
    fn xavier(rng: &mut ChaCha8Rng, d: usize, m: usize) -> Result<Self> {
        let normal = Normal::new(0.0, (2.0 / (d + m) as f64).sqrt())?;
        let bound = 1.0 / (d as f64).sqrt();
        let w = Array2::from_shape_simple_fn((m, d), || rng.sample(normal));
        let b = Array1::from_shape_simple_fn(m, || rng.gen_range(-bound..bound));
        Ok(Self { w, b })
    }

    /// PyTorch's default `nn.Linear(d, m)`: weight and bias `U(−1/√d, 1/√d)` (Kaiming-uniform
    /// with `a = √5`).
    pub(super) fn pytorch_default(rng: &mut ChaCha8Rng, d: usize, m: usize) -> Self {
        let bound = 1.0 / (d as f64).sqrt();
        let w = Array2::from_shape_simple_fn((m, d), || rng.gen_range(-bound..bound));
        let b = Array1::from_shape_simple_fn(m, || rng.gen_range(-bound..bound));
        Self { w, b }
    }

    /// `x Wᵀ + b` for the rows `x` (`(n, d)` → `(n, m)`).
    pub(super) fn apply(&self, x: ArrayView2<'_, f64>) -> Array2<f64> {
        x.dot(&self.w.t()) + &self.b
    }
}

/// Adam's moments for one [`Affine`] (PyTorch's `optim.Adam` update).
pub(super) struct Adam {
    m: Affine,
    v: Affine,
    steps: i32,
}

impl Adam {
    const BETA1: f64 = 0.9;
    const BETA2: f64 = 0.999;
    const EPS: f64 = 1e-8;

    pub(super) fn new(d: usize, m: usize) -> Self {
        let zero = || Affine { w: Array2::zeros((m, d)), b: Array1::zeros(m) };
        Self { m: zero(), v: zero(), steps: 0 }
    }

    /// One step on `p` for the gradient `∂W = g xᵀ` (a sum of such outer products for a batch:
    /// then `x` holds the rows, `g` their output gradients) and `∂b = Σ g`.
    pub(super) fn step(&mut self, p: &mut Affine, g: ArrayView2<'_, f64>, x: ArrayView2<'_, f64>, lr: f64) {
        self.steps += 1;
        let c1 = 1.0 - Self::BETA1.powi(self.steps);
        let c2 = (1.0 - Self::BETA2.powi(self.steps)).sqrt();
        let update = |p: &mut f64, m: &mut f64, v: &mut f64, grad: f64| {
            *m = Self::BETA1 * *m + (1.0 - Self::BETA1) * grad;
            *v = Self::BETA2 * *v + (1.0 - Self::BETA2) * grad * grad;
            *p -= lr / c1 * *m / (v.sqrt() / c2 + Self::EPS);
        };
        // One example: the gradient is an outer product, formed row by row on the fly.
        let grad_w: Array2<f64> = if g.nrows() == 1 { Array2::zeros((0, 0)) } else { g.t().dot(&x) };
        for (i, ((mut p_row, mut m_row), mut v_row)) in
            p.w.rows_mut().into_iter().zip(self.m.w.rows_mut()).zip(self.v.w.rows_mut()).enumerate()
        {
            if g.nrows() == 1 {
                let gi = g[[0, i]];
                Zip::from(&mut p_row)
                    .and(&mut m_row)
                    .and(&mut v_row)
                    .and(x.row(0))
                    .for_each(|p, m, v, &xj| update(p, m, v, gi * xj));
            } else {
                Zip::from(&mut p_row)
                    .and(&mut m_row)
                    .and(&mut v_row)
                    .and(grad_w.row(i))
                    .for_each(|p, m, v, &gw| update(p, m, v, gw));
            }
        }
        let grad_b = g.sum_axis(Axis(0));
        Zip::from(&mut p.b)
            .and(&mut self.m.b)
            .and(&mut self.v.b)
            .and(&grad_b)
            .for_each(|p, m, v, &gb| update(p, m, v, gb));
    }
}

/// A fitted one-to-many linear distillation classifier: the frozen teacher and one student per
/// class, with how long it trained.
#[derive(Debug, Clone)]
pub struct Ldl {
    teacher: Affine,
    students: Vec<Affine>,
    /// Epochs run.
    pub epochs: usize,
    /// With [`Stop::Plateau`], whether the error plateaued before the cap (always true with
    /// [`Stop::Epochs`]).
    pub plateaued: bool,
    /// Mean own-class imitation error on the training examples after each epoch (only with
    /// [`Stop::Plateau`]).
    pub curve: Vec<f64>,
}

impl Ldl {
    /// Draws the teacher and the students from `seed` and trains student `y_i` on row `x_i`,
    /// for classes `0..n_classes`.
    pub fn fit(
        params: &LdlParams,
        x: ArrayView2<'_, f64>,
        y: &[usize],
        n_classes: usize,
        seed: u64,
    ) -> Result<Self> {
        let (n, d) = x.dim();
        ensure!(y.len() == n, "{} labels for {n} rows", y.len());
        ensure!(y.iter().all(|&c| c < n_classes), "a label is not below {n_classes}");
        let m = params.out_dim.unwrap_or(d);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let teacher = Affine::xavier(&mut rng, d, m)?;
        let students = (0..n_classes).map(|_| Affine::xavier(&mut rng, d, m)).collect::<Result<Vec<_>>>()?;
        let mut model = Self { teacher, students, epochs: 0, plateaued: true, curve: Vec::new() };
        let mut optimisers: Vec<Adam> = (0..n_classes).map(|_| Adam::new(d, m)).collect();
        let targets = model.teacher.apply(x);
        let mut order: Vec<usize> = (0..n).collect();
        let (cap, share) = match params.stop {
            Stop::Epochs(e) => (e, None),
            Stop::Plateau { share, cap } => (cap, Some(share)),
        };
        if share.is_some() {
            model.plateaued = false;
        }
        for _ in 0..cap {
            order.shuffle(&mut rng);
            for &i in &order {
                let (row, c) = (x.row(i), y[i]);
                let student = &mut model.students[c];
                // ∂L/∂S = (2/m)(S(x) − T(x)).
                let g = (student.w.dot(&row) + &student.b - targets.row(i)) * (2.0 / m as f64);
                optimisers[c].step(
                    student,
                    g.view().insert_axis(Axis(0)),
                    row.insert_axis(Axis(0)),
                    params.learning_rate,
                );
            }
            model.epochs += 1;
            let Some(share) = share else { continue };
            model.curve.push(model.own_class_error(x, y, targets.view()));
            if let [.., before, now] = model.curve[..]
                && before - now < share * model.curve[0]
            {
                model.plateaued = true;
                break;
            }
        }
        Ok(model)
    }

    /// Mean of `½ ‖T(x) − S_y(x)‖²` over the rows, with the teacher's outputs `targets`.
    fn own_class_error(&self, x: ArrayView2<'_, f64>, y: &[usize], targets: ArrayView2<'_, f64>) -> f64 {
        let mut total = 0.0;
        for (c, student) in self.students.iter().enumerate() {
            let rows: Vec<usize> = (0..y.len()).filter(|&i| y[i] == c).collect();
            if rows.is_empty() {
                continue;
            }
            let gap = student.apply(x.select(Axis(0), &rows).view()) - targets.select(Axis(0), &rows);
            total += gap.mapv(|v| v * v).sum() / 2.0;
        }
        total / y.len() as f64
    }

    /// The imitation errors `½ ‖T(x) − S_c(x)‖²`, shape `(n, classes)`, computed in single
    /// precision (on MNIST's 10,000 test images this is 11 products of 10,000 × 784 by 784 × 784;
    /// only the smallest error per row matters).
    pub fn errors(&self, x: ArrayView2<'_, f64>) -> Array2<f64> {
        let x = x.mapv(|v| v as f32);
        let apply = |a: &Affine| x.dot(&a.w.t().mapv(|v| v as f32)) + &a.b.mapv(|v| v as f32);
        let target = apply(&self.teacher);
        let mut errors = Array2::zeros((x.nrows(), self.students.len()));
        for (c, student) in self.students.iter().enumerate() {
            let gap = apply(student) - &target;
            errors.column_mut(c).assign(&gap.map_axis(Axis(1), |row| f64::from(row.dot(&row)) / 2.0));
        }
        errors
    }

    /// The class of smallest imitation error for each row of `x`.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Vec<usize> {
        argmax(self.errors(x).mapv(|e| -e).view())
    }
}

/// The class of highest score of an affine map's outputs.
pub(super) fn argmax_of(model: &Affine, x: ArrayView2<'_, f64>) -> Vec<usize> {
    argmax(model.apply(x).view())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two classes on two lines of ℝ³: each student learns the teacher on its own class's line
    /// only, so the smallest imitation error names the class.
    #[test]
    fn students_imitate_the_teacher_on_their_own_class() -> Result<()> {
        let x = ndarray::array![
            [1.0, 0.0, 0.0],
            [2.0, 0.0, 0.0],
            [3.0, 0.0, 0.0],
            [0.0, 1.0, 0.0],
            [0.0, 2.0, 0.0],
            [0.0, 3.0, 0.0]
        ];
        let y = [0, 0, 0, 1, 1, 1];
        let params = LdlParams { out_dim: Some(4), stop: Stop::Epochs(300), learning_rate: 1e-2 };
        let model = Ldl::fit(&params, x.view(), &y, 2, 7)?;
        assert_eq!(model.predict(x.view()), y);
        let errors = model.errors(x.view());
        for (i, &c) in y.iter().enumerate() {
            assert!(errors[[i, c]] < 1e-2, "row {i}: own-class error {}", errors[[i, c]]);
        }
        // The same seed gives the same model.
        let again = Ldl::fit(&params, x.view(), &y, 2, 7)?;
        assert_eq!(again.errors(x.view()), errors);
        Ok(())
    }

    /// Trained to a plateau, the own-class error falls and training stops before the cap; the
    /// stopping epoch's fall is below the share.
    #[test]
    fn a_plateau_stops_training_before_the_cap() -> Result<()> {
        let x = ndarray::array![[1.0, 0.0, 0.5], [2.0, 0.1, 0.0], [0.0, 1.0, 0.3], [0.2, 2.0, 0.0]];
        let y = [0, 0, 1, 1];
        let params =
            LdlParams { out_dim: None, stop: Stop::Plateau { share: 0.01, cap: 5000 }, learning_rate: 1e-2 };
        let model = Ldl::fit(&params, x.view(), &y, 2, 3)?;
        assert!(model.plateaued && model.epochs < 5000, "{} epochs", model.epochs);
        let curve = &model.curve;
        assert!(curve[curve.len() - 1] < curve[0] / 2.0, "{curve:?}");
        assert!(curve[curve.len() - 2] - curve[curve.len() - 1] < 0.01 * curve[0]);
        Ok(())
    }
}

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

use anyhow::{Result, ensure};
use kd_core::metrics::argmax;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use statrs::distribution::Normal;

/// Settings of [`Ldl::fit`].
#[derive(Debug, Clone, Copy)]
pub struct LdlParams {
    /// Output size `m` of the teacher and the students.
    pub out_dim: usize,
    /// Passes over the training examples.
    pub epochs: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
}

/// An affine map `x ↦ W x + b` with `W` of shape `(m, d)`.
#[derive(Debug, Clone)]
struct Affine {
    w: Array2<f64>,
    b: Array1<f64>,
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

    /// `x Wᵀ + b` for the rows `x` (`(n, d)` → `(n, m)`).
    fn apply(&self, x: ArrayView2<'_, f64>) -> Array2<f64> {
        x.dot(&self.w.t()) + &self.b
    }
}

/// Adam's moments for one [`Affine`] (PyTorch's `optim.Adam` update).
struct Adam {
    m: Affine,
    v: Affine,
    steps: i32,
}

impl Adam {
    const BETA1: f64 = 0.9;
    const BETA2: f64 = 0.999;
    const EPS: f64 = 1e-8;

    fn new(d: usize, m: usize) -> Self {
        let zero = || Affine { w: Array2::zeros((m, d)), b: Array1::zeros(m) };
        Self { m: zero(), v: zero(), steps: 0 }
    }

    /// One step on `p` for the gradient of `W` (`g xᵀ`) and of `b` (`g`).
    fn step(&mut self, p: &mut Affine, g: ArrayView1<'_, f64>, x: ArrayView1<'_, f64>, lr: f64) {
        self.steps += 1;
        let c1 = 1.0 - Self::BETA1.powi(self.steps);
        let c2 = (1.0 - Self::BETA2.powi(self.steps)).sqrt();
        let update = |p: &mut f64, m: &mut f64, v: &mut f64, grad: f64| {
            *m = Self::BETA1 * *m + (1.0 - Self::BETA1) * grad;
            *v = Self::BETA2 * *v + (1.0 - Self::BETA2) * grad * grad;
            *p -= lr / c1 * *m / (v.sqrt() / c2 + Self::EPS);
        };
        for (i, &gi) in g.iter().enumerate() {
            for (j, &xj) in x.iter().enumerate() {
                update(&mut p.w[[i, j]], &mut self.m.w[[i, j]], &mut self.v.w[[i, j]], gi * xj);
            }
            update(&mut p.b[i], &mut self.m.b[i], &mut self.v.b[i], gi);
        }
    }
}

/// A fitted one-to-many linear distillation classifier: the frozen teacher and one student per
/// class.
#[derive(Debug, Clone)]
pub struct Ldl {
    teacher: Affine,
    students: Vec<Affine>,
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
        let m = params.out_dim;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let teacher = Affine::xavier(&mut rng, d, m)?;
        let mut students =
            (0..n_classes).map(|_| Affine::xavier(&mut rng, d, m)).collect::<Result<Vec<_>>>()?;
        let mut optimisers: Vec<Adam> = (0..n_classes).map(|_| Adam::new(d, m)).collect();
        let targets = teacher.apply(x);
        let mut order: Vec<usize> = (0..n).collect();
        for _ in 0..params.epochs {
            order.shuffle(&mut rng);
            for &i in &order {
                let (row, c) = (x.row(i), y[i]);
                let student = &mut students[c];
                // ∂L/∂S = (2/m)(S(x) − T(x)).
                let g = (student.w.dot(&row) + &student.b - targets.row(i)) * (2.0 / m as f64);
                optimisers[c].step(student, g.view(), row, params.learning_rate);
            }
        }
        Ok(Self { teacher, students })
    }

    /// The imitation errors `½ ‖T(x) − S_c(x)‖²`, shape `(n, classes)`.
    pub fn errors(&self, x: ArrayView2<'_, f64>) -> Array2<f64> {
        let target = self.teacher.apply(x);
        let mut errors = Array2::zeros((x.nrows(), self.students.len()));
        for (c, student) in self.students.iter().enumerate() {
            let gap = student.apply(x) - &target;
            errors.column_mut(c).assign(&(gap.mapv(|v| v * v).sum_axis(Axis(1)) / 2.0));
        }
        errors
    }

    /// The class of smallest imitation error for each row of `x`.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Vec<usize> {
        argmax(self.errors(x).mapv(|e| -e).view())
    }
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
        let params = LdlParams { out_dim: 4, epochs: 300, learning_rate: 1e-2 };
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
}

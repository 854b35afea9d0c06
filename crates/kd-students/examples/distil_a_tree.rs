//! Distil a black box given as a Rust closure into a depth-3 tree, and measure how faithful the
//! tree is on rows it was not fitted to: `cargo run -p kd-students --example distil_a_tree`.
//!
//! The teacher is kd-core's `FnTeacher` (any closure from rows to class probabilities); the
//! student is fitted to its probabilities (a born-again tree), as `kd distill` does.

use kd_core::Task;
use kd_core::data::{Feature, FitTarget};
use kd_core::metrics::fidelity;
use kd_core::teacher::{FnTeacher, Teacher};
use kd_students::tree::TreeParams;
use kd_students::{StudentParams, fit_student};
use ndarray::{Array2, ArrayView2, Axis, s};
use rand::{Rng, SeedableRng};

fn main() -> anyhow::Result<()> {
    // 2,000 rows of two features: income (thousands) and utilisation (share of the limit).
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let x = Array2::from_shape_fn(
        (2000, 2),
        |(_, j)| if j == 0 { rng.gen_range(10.0..120.0) } else { rng.r#gen() },
    );
    // The black box: a logistic score with an interaction, as probabilities of (good, bad).
    let mut teacher = FnTeacher::new("closure", Task::Binary, 2, |rows: ArrayView2<'_, f64>| {
        Ok(Array2::from_shape_fn((rows.nrows(), 2), |(i, j)| {
            let (income, used) = (rows[[i, 0]], rows[[i, 1]]);
            let bad = 1.0 / (1.0 + (-(-2.0 - 0.03 * income + 4.0 * used + 0.02 * income * used)).exp());
            if j == 1 { bad } else { 1.0 - bad }
        }))
    });
    let outputs = teacher.predict(x.view())?;
    let (train, test) = (s![..1500, ..], s![1500.., ..]);
    let features = [Feature::numeric("income"), Feature::numeric("utilisation")];
    let params = TreeParams { max_depth: Some(3), ..TreeParams::default() };
    let student = fit_student(
        &StudentParams::Tree(params),
        x.slice(train),
        &features,
        Task::Binary,
        FitTarget::Teacher(outputs.slice(train)),
    )?;
    let held_out = student.predict(x.slice(test))?;
    let f = fidelity(Task::Binary, held_out.view(), outputs.slice(test));
    println!(
        "{}",
        student.explain(&["income".into(), "utilisation".into()], Some(&["good".into(), "bad".into()]))
    );
    println!(
        "on {} held-out rows: class agreement {:.3}, R² {:.3}",
        x.len_of(Axis(0)) - 1500,
        f.agreement.unwrap_or(f64::NAN),
        f.r2.unwrap_or(f64::NAN)
    );
    Ok(())
}

//! Training throughput of a distilled MLP student: kd's `Distiller` against a plain PyTorch
//! training loop in the same run, on the same data (20,000 × 784 float32 rows, teacher logits
//! and labels drawn from a fixed seed), the same 784-256-256-10 student, Hinton's loss (T = 4,
//! α = 0.9), Adam (1e-3), batch 128, 3 epochs, and the same number of threads. Prints rows per
//! second for both (best of 3 runs, kd and PyTorch alternating) and their ratio; the bar is kd at least as fast.
//!
//! Run: `cargo xtask bench kd` (it provides the Python environment and libtorch), or
//! `KD_PYTHON=/path/to/python cargo bench --features torch --bench kd`. `KD_BENCH_ROWS`,
//! `KD_BENCH_THREADS` (default: all cores) and `KD_BENCH_DEVICE` (`cpu` or `cuda`) change the
//! set-up.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark may panic

mod common;
use common::{run_anchor, write_f64};

use kd::core::loss::kd::KdLossConfig;
use kd::core::nn::{Distiller, DistillerConfig, MlpConfig, OptimizerKind, TeacherSignal, Term, WeightedTerm};
use kd::core::tch::{Device, Kind, Tensor, nn};

const D: i64 = 784;
const K: i64 = 10;
const EPOCHS: usize = 3;
const BATCH: usize = 128;

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() -> anyhow::Result<()> {
    let n: i64 = env("KD_BENCH_ROWS", 20_000);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let threads: usize = env("KD_BENCH_THREADS", cores);
    let device_name: String = env("KD_BENCH_DEVICE", "cpu".to_string());
    let device = if device_name == "cuda" { Device::Cuda(0) } else { Device::Cpu };
    kd::core::tch::set_num_threads(threads as i32);
    kd::core::tch::manual_seed(0);
    let x = Tensor::randn([n, D], (Kind::Float, Device::Cpu));
    let teacher = Tensor::randn([n, K], (Kind::Float, Device::Cpu)) * 3.0;
    let y = teacher.argmax(1, false);

    let dir = tempfile::tempdir()?;
    let as_f64 = |t: &Tensor| Vec::<f64>::try_from(t.to_kind(Kind::Double).flatten(0, -1)).unwrap();
    write_f64(&dir.path().join("x.f64"), as_f64(&x).into_iter())?;
    write_f64(&dir.path().join("teacher.f64"), as_f64(&teacher).into_iter())?;
    let args = [dir.path().display().to_string(), n.to_string(), threads.to_string(), device_name.clone()];

    // kd and PyTorch alternate, so that a change of load on a shared machine hits both.
    let (mut best, mut torch_rate, mut torch_version) = (0.0f64, 0.0f64, String::new());
    for run in 0..3 {
        let store = nn::VarStore::new(device);
        let net = MlpConfig { input: D, hidden: vec![256, 256], output: K }.init(&store.root())?;
        let config = DistillerConfig {
            epochs: EPOCHS,
            batch_size: BATCH,
            optimizer: OptimizerKind::adam(1e-3),
            seed: run,
            device,
            ..Default::default()
        };
        let terms =
            vec![WeightedTerm { weight: 1.0, term: Term::Kd(KdLossConfig::hinton(4.0, 0.9).init()?) }];
        let distiller = Distiller::new(config, terms, TeacherSignal::Outputs(teacher.to_device(device)))?;
        let start = std::time::Instant::now();
        distiller.fit(&net, &store, &x.to_device(device), Some(&y.to_device(device)), &mut |_| {})?;
        best = best.max((n as usize * EPOCHS) as f64 / start.elapsed().as_secs_f64());
        let theirs = run_anchor("kd_torch.py", &[args.as_slice(), &[run.to_string()]].concat())?;
        torch_rate = torch_rate.max(theirs["rows_per_second"].as_f64().expect("rows_per_second"));
        torch_version = theirs["torch"].to_string();
    }

    println!(
        "KD training of a {D}-256-256-{K} MLP: {n} rows, batch {BATCH}, {EPOCHS} epochs, {threads} threads, {device_name}"
    );
    println!("  kd        {best:10.0} rows/s  (Distiller, best of 3)");
    println!("  PyTorch   {torch_rate:10.0} rows/s  (plain training loop, torch {torch_version}, best of 3)");
    println!("  ratio     {:.2}x  (kd / PyTorch)", best / torch_rate);
    println!("  bar       kd at least as fast: {}", if best >= torch_rate { "met" } else { "NOT met" });
    Ok(())
}

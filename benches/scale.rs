//! Cost curves: time and peak memory of `kd describe`, `kd validate` (whole file, and chunked
//! from Parquet), `kd hypotheses` and a histogram tree (`kd distill --student tree --max-bins
//! 256`) at 10⁴ … 10⁸ rows, each beside its Python anchor run as a user would (pandas
//! `read_csv`; + scikit-learn `roc_auc_score`; + statsmodels' battery; + scikit-learn's
//! `DecisionTreeRegressor`), every run a fresh process measured by `benches/measure.py`
//! (wall time, exact peak resident memory). Draws log-log plots into `target/bench-scale/`
//! (`time.svg`, `memory.svg`) and prints a table.
//!
//! A size is skipped for a program when ten times its previous cost would pass the limits
//! (`KD_SCALE_MEMORY_GB`, 20 by default, of the machine's 24; `KD_SCALE_SECONDS`, 900) or the
//! data would pass `KD_SCALE_DISK_GB` (8) on disk; data are written under the system's
//! temporary folder and deleted after each size.
//!
//! Run: `cargo xtask bench scale`, or `KD_PYTHON=… cargo bench --bench scale`;
//! `KD_SCALE_MAX` (10⁸) caps the rows.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark may panic

use std::collections::BTreeMap;
use std::path::Path;

mod common;
use common::{Cost, load, measure, python, script, write_pd_csv, write_pd_parquet, write_regression_csv};
use plotters::prelude::*;

const KD: &str = env!("CARGO_BIN_EXE_kd");

fn limit(name: &str, default: f64) -> f64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Every series' points `(rows, cost)`.
type Curves = BTreeMap<&'static str, Vec<(f64, Cost)>>;

/// Whether a run of `series` at `rows` fits, judging from its last point.
fn fits(curves: &Curves, series: &str, rows: f64) -> bool {
    match curves.get(series).and_then(|p| p.last()) {
        None => true,
        Some(&(r, c)) => {
            let factor = rows / r;
            c.peak_bytes * factor < limit("KD_SCALE_MEMORY_GB", 20.0) * 1e9
                && c.seconds * factor < limit("KD_SCALE_SECONDS", 900.0)
        }
    }
}

fn run(curves: &mut Curves, series: &'static str, rows: usize, command: Vec<String>) {
    if !fits(curves, series, rows as f64) {
        println!("  {series:<34} skipped: ten times the last cost would not fit");
        return;
    }
    match measure(&command) {
        Ok(cost) => {
            println!("  {series:<34} {:9.2} s {:9.1} MB", cost.seconds, cost.peak_bytes / 1e6);
            curves.entry(series).or_default().push((rows as f64, cost));
        }
        Err(e) => println!("  {series:<34} failed: {e}"),
    }
}

fn kd(args: &[&str]) -> Vec<String> {
    std::iter::once(KD).chain(args.iter().copied()).map(str::to_owned).collect()
}

fn anchor(mode: &str, file: &Path, extra: &[&str]) -> Vec<String> {
    let mut c = vec![python(), script("loader_pandas.py"), mode.into(), file.display().to_string()];
    c.extend(extra.iter().map(|s| (*s).to_owned()));
    c
}

fn plot(
    path: &Path,
    title: &str,
    y_label: &str,
    curves: &Curves,
    value: impl Fn(&Cost) -> f64,
) -> anyhow::Result<()> {
    let points: Vec<(f64, f64)> = curves.values().flatten().map(|(r, c)| (*r, value(c))).collect();
    let (y0, y1) = points.iter().fold((f64::INFINITY, 0.0f64), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let (x0, x1) = points.iter().fold((f64::INFINITY, 0.0f64), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let root = SVGBackend::new(path, (760, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((x0 * 0.8..x1 * 1.25).log_scale(), (y0 * 0.7..y1 * 1.4).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("rows")
        .y_desc(y_label)
        .x_label_formatter(&|x| format!("{x:.0e}"))
        .draw()?;
    // One colour per task: kd solid with circles, its anchor thin with triangles.
    let tasks = ["describe", "validate", "validate --chunk-rows", "hypotheses", "tree"];
    for (name, series) in curves {
        let task = tasks.iter().position(|t| name.ends_with(&format!("[{t}]"))).unwrap_or(0);
        let color = Palette99::pick(task).to_rgba();
        let pts: Vec<(f64, f64)> = series.iter().map(|(r, c)| (*r, value(c))).collect();
        let is_kd = name.starts_with("kd");
        let style = if is_kd { color.stroke_width(2) } else { color.mix(0.6).stroke_width(1) };
        chart
            .draw_series(LineSeries::new(pts.clone(), style))?
            .label(*name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], style));
        if is_kd {
            chart.draw_series(pts.iter().map(|&p| Circle::new(p, 3, color.filled())))?;
        } else {
            chart.draw_series(pts.iter().map(|&p| TriangleMarker::new(p, 4, color.mix(0.6).filled())))?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .border_style(BLACK)
        .background_style(WHITE)
        .draw()?;
    root.present()?;
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let max = limit("KD_SCALE_MAX", 1e8) as usize;
    let disk = limit("KD_SCALE_DISK_GB", 8.0) * 1e9;
    let dir = tempfile::tempdir()?;
    let mut curves = Curves::new();
    let features: Vec<String> = (0..10).map(|j| format!("x{j}")).collect();
    let features = features.join(",");
    println!("load before: {}", load());
    let mut rows = 10_000usize;
    while rows <= max {
        println!("{rows} rows (load {})", load());
        // A PD portfolio: about 12 bytes a row.
        if rows as f64 * 12.0 < disk {
            let csv = dir.path().join("pd.csv");
            write_pd_csv(&csv, rows, 0)?;
            let file = csv.display().to_string();
            run(&mut curves, "kd [describe]", rows, kd(&["describe", "--data", &file]));
            run(&mut curves, "pandas read_csv [describe]", rows, anchor("read", &csv, &[]));
            run(
                &mut curves,
                "kd [validate]",
                rows,
                kd(&["validate", "--data", &file, "--score", "score", "--outcome", "default"]),
            );
            run(&mut curves, "pandas + sklearn [validate]", rows, anchor("auroc", &csv, &[]));
            std::fs::remove_file(&csv)?;
        }
        if rows as f64 * 10.0 < disk {
            let parquet = dir.path().join("pd.parquet");
            write_pd_parquet(&parquet, rows)?;
            let file = parquet.display().to_string();
            let args = [
                "validate",
                "--data",
                &file,
                "--score",
                "score",
                "--outcome",
                "default",
                "--chunk-rows",
                "2000000",
            ];
            run(&mut curves, "kd Parquet [validate --chunk-rows]", rows, kd(&args));
            std::fs::remove_file(&parquet)?;
        }
        // A regression data set: 10 features, the target and a teacher column, ~300 bytes a row.
        if rows as f64 * 300.0 < disk {
            let csv = dir.path().join("reg.csv");
            write_regression_csv(&csv, rows, 10, true, 0)?;
            let file = csv.display().to_string();
            run(
                &mut curves,
                "kd [hypotheses]",
                rows,
                kd(&["hypotheses", "--data", &file, "--target", "y", "--features", &features]),
            );
            let reg = dir.path().join("reg_y.csv");
            // statsmodels reads the same rows without the teacher column.
            let text = std::fs::read_to_string(&csv)?;
            std::fs::write(
                &reg,
                text.lines().map(|l| l.rsplit_once(',').map_or(l, |(a, _)| a)).collect::<Vec<_>>().join("\n"),
            )?;
            drop(text);
            run(&mut curves, "pandas + statsmodels [hypotheses]", rows, anchor("battery", &reg, &["y"]));
            std::fs::remove_file(&reg)?;
            let tree = [
                "distill",
                "--data",
                &file,
                "--target",
                "y",
                "--features",
                &features,
                "--teacher",
                "column:teacher",
                "--student",
                "tree",
                "--max-depth",
                "8",
                "--max-bins",
                "256",
                "--max-leaves",
                "256",
            ];
            run(&mut curves, "kd histogram tree [tree]", rows, kd(&tree));
            run(&mut curves, "pandas + sklearn tree [tree]", rows, anchor("tree", &csv, &[]));
            std::fs::remove_file(&csv)?;
        }
        rows *= 10;
    }
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-scale");
    std::fs::create_dir_all(&out)?;
    plot(&out.join("time.svg"), "Wall time, end to end (2 shared cores)", "seconds", &curves, |c| c.seconds)?;
    plot(&out.join("memory.svg"), "Peak resident memory", "bytes", &curves, |c| c.peak_bytes)?;
    println!("\n| program | rows | seconds | peak MB |\n|---|---|---|---|");
    for (name, series) in &curves {
        for (r, c) in series {
            println!("| {name} | {r:.0e} | {:.2} | {:.0} |", c.seconds, c.peak_bytes / 1e6);
        }
    }
    println!("plots: {}/{{time,memory}}.svg; load after: {}", out.display(), load());
    Ok(())
}

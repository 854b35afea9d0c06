//! Shape functions drawn as SVG: one panel per term, each a line per model with its band
//! (plotters' SVG backend, no fonts needed).

use anyhow::{Result, anyhow};
use kd::students::gam::Term;
use plotters::prelude::*;

/// One line of a panel: label, `(x, score)` points and `(x, lower, upper)` band.
pub struct Curve {
    /// Legend label.
    pub label: String,
    /// Points.
    pub points: Vec<(f64, f64)>,
    /// Band around them.
    pub band: Vec<(f64, f64, f64)>,
}

/// One panel: a title and its curves.
pub struct Panel {
    /// Usually the feature's name.
    pub title: String,
    /// Curves.
    pub curves: Vec<Curve>,
}

/// A main term's scores and ±1.96 sd band over the bins of values that hold training rows
/// (a missing-value bin has no place on the axis; its score is in the text).
pub fn term_curve(label: &str, term: &Term) -> Curve {
    let x = term.bin_positions();
    let rows: Vec<usize> = (0..x.len()).filter(|&b| term.counts.get(b).is_some_and(|&c| c > 0)).collect();
    Curve {
        label: label.to_owned(),
        points: rows.iter().map(|&b| (x[b], term.scores[b])).collect(),
        band: rows
            .iter()
            .map(|&b| {
                let sd = 1.96 * term.standard_deviations[b];
                (x[b], term.scores[b] - sd, term.scores[b] + sd)
            })
            .collect(),
    }
}

/// The panels in a grid of three columns, as an SVG document.
pub fn panels_svg(y_label: &str, panels: &[Panel]) -> Result<String> {
    let columns = 3.min(panels.len().max(1));
    let rows = panels.len().div_ceil(columns).max(1);
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (360 * columns as u32, 260 * rows as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow!("plot: {e}"))?;
        for (area, panel) in root.split_evenly((rows, columns)).iter().zip(panels) {
            let all = panel.curves.iter().flat_map(|c| c.band.iter());
            let (x0, x1, y0, y1) = all.fold(
                (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY),
                |(a, b, c, d), &(x, lo, hi)| (a.min(x), b.max(x), c.min(lo), d.max(hi)),
            );
            if !(x0.is_finite() && y0.is_finite()) {
                continue;
            }
            let (xpad, ypad) = (((x1 - x0) * 0.02).max(1e-6), ((y1 - y0) * 0.1).max(1e-6));
            let mut chart = ChartBuilder::on(area)
                .caption(&panel.title, ("sans-serif", 14))
                .margin(8)
                .x_label_area_size(24)
                .y_label_area_size(44)
                .build_cartesian_2d((x0 - xpad)..(x1 + xpad), (y0 - ypad)..(y1 + ypad))
                .map_err(|e| anyhow!("plot: {e}"))?;
            chart.configure_mesh().y_desc(y_label).draw().map_err(|e| anyhow!("plot: {e}"))?;
            for (i, curve) in panel.curves.iter().enumerate() {
                let color = Palette99::pick(i).to_rgba();
                for edge in [|b: &(f64, f64, f64)| (b.0, b.1), |b: &(f64, f64, f64)| (b.0, b.2)] {
                    chart
                        .draw_series(LineSeries::new(curve.band.iter().map(edge), color.mix(0.35)))
                        .map_err(|e| anyhow!("plot: {e}"))?;
                }
                chart
                    .draw_series(LineSeries::new(curve.points.iter().copied(), color.stroke_width(2)))
                    .map_err(|e| anyhow!("plot: {e}"))?
                    .label(curve.label.clone())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], color.stroke_width(2)));
            }
            if panel.curves.len() > 1 {
                chart
                    .configure_series_labels()
                    .border_style(BLACK)
                    .background_style(WHITE)
                    .draw()
                    .map_err(|e| anyhow!("plot: {e}"))?;
            }
        }
        root.present().map_err(|e| anyhow!("plot: {e}"))?;
    }
    Ok(svg)
}

//! Line charts as SVG text, the figures of kd's reports: a chart of labelled lines
//! ([`line_plot`], the reproductions' figures) and a grid of panels, one line per model with its
//! band ([`panels_svg`], shape functions of GAMs and Distill-and-Compare). Drawn with plotters'
//! SVG backend, which needs no fonts installed.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::error::{Error, Result};

/// One line: a legend label, its `(x, y)` points and a band `(x, lower, upper)` around them
/// (empty for none).
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// Legend label.
    pub label: String,
    /// Points.
    pub points: Vec<(f64, f64)>,
    /// Band around them.
    pub band: Vec<(f64, f64, f64)>,
}

/// One panel of [`panels_svg`]: a title and its curves.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Usually the feature's name.
    pub title: String,
    /// Curves.
    pub curves: Vec<Curve>,
}

/// A plotters failure as kd's error (drawing into a string fails only on a bug).
fn drawn<T, E: std::fmt::Display>(result: std::result::Result<T, E>) -> Result<T> {
    result.map_err(|e| Error::Draw { reason: e.to_string() })
}

/// The smallest and largest of `values`, or `None` when none is finite.
fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .filter(|v| v.is_finite())
        .fold(None, |e, v| Some(e.map_or((v, v), |(lo, hi): (f64, f64)| (lo.min(v), hi.max(v)))))
}

/// A chart of `curves` (each with a marker at every point and without its band), titled, with
/// axis labels, 640 × 400, as an SVG document. Points that are not finite are left out.
///
/// # Errors
/// [`Error::Draw`] when no point is finite, or when plotters fails.
pub fn line_plot(title: &str, x_label: &str, y_label: &str, curves: &[Curve]) -> Result<String> {
    let finite = |p: &&(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let all = || curves.iter().flat_map(|c| c.points.iter().filter(finite));
    let (Some((x0, x1)), Some((y0, y1))) = (extent(all().map(|p| p.0)), extent(all().map(|p| p.1))) else {
        return Err(Error::Draw { reason: format!("'{title}' has no finite point to draw") });
    };
    let pad = ((y1 - y0) * 0.1).max(1e-3);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 400)).into_drawing_area();
        drawn(root.fill(&WHITE))?;
        let mut chart = drawn(
            ChartBuilder::on(&root)
                .caption(title, ("sans-serif", 18))
                .margin(12)
                .x_label_area_size(36)
                .y_label_area_size(52)
                .build_cartesian_2d(x0..x1, (y0 - pad)..(y1 + pad)),
        )?;
        drawn(chart.configure_mesh().x_desc(x_label).y_desc(y_label).draw())?;
        for (i, curve) in curves.iter().enumerate() {
            let color = Palette99::pick(i).to_rgba();
            draw_line(&mut chart, curve, color)?;
            let markers = curve.points.iter().filter(finite).map(|&p| Circle::new(p, 3, color.filled()));
            drawn(chart.draw_series(markers))?;
        }
        draw_legend(&mut chart)?;
        drawn(root.present())?;
    }
    Ok(svg)
}

/// The panels in a grid of three columns (360 × 260 each), every curve with its band, the
/// y axis labelled `y_label`, as an SVG document. The axes span the finite band points; a panel
/// with none stays empty.
///
/// # Errors
/// [`Error::Draw`] when plotters fails.
pub fn panels_svg(y_label: &str, panels: &[Panel]) -> Result<String> {
    let columns = 3.min(panels.len().max(1));
    let rows = panels.len().div_ceil(columns).max(1);
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (360 * columns as u32, 260 * rows as u32)).into_drawing_area();
        drawn(root.fill(&WHITE))?;
        for (area, panel) in root.split_evenly((rows, columns)).iter().zip(panels) {
            draw_panel(area, y_label, panel)?;
        }
        drawn(root.present())?;
    }
    Ok(svg)
}

fn draw_panel(area: &DrawingArea<SVGBackend<'_>, Shift>, y_label: &str, panel: &Panel) -> Result<()> {
    let finite = |b: &&(f64, f64, f64)| b.0.is_finite() && b.1.is_finite() && b.2.is_finite();
    let all = || panel.curves.iter().flat_map(|c| c.band.iter().filter(finite));
    let (Some((x0, x1)), Some((y0, y1))) =
        (extent(all().map(|b| b.0)), extent(all().flat_map(|b| [b.1, b.2])))
    else {
        return Ok(());
    };
    let (xpad, ypad) = (((x1 - x0) * 0.02).max(1e-6), ((y1 - y0) * 0.1).max(1e-6));
    let mut chart = drawn(
        ChartBuilder::on(area)
            .caption(&panel.title, ("sans-serif", 14))
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(44)
            .build_cartesian_2d((x0 - xpad)..(x1 + xpad), (y0 - ypad)..(y1 + ypad)),
    )?;
    drawn(chart.configure_mesh().y_desc(y_label).draw())?;
    for (i, curve) in panel.curves.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        for edge in [|b: &(f64, f64, f64)| (b.0, b.1), |b: &(f64, f64, f64)| (b.0, b.2)] {
            let band = curve.band.iter().filter(finite).map(edge);
            drawn(chart.draw_series(LineSeries::new(band, color.mix(0.35))))?;
        }
        draw_line(&mut chart, curve, color)?;
    }
    if panel.curves.len() > 1 {
        draw_legend(&mut chart)?;
    }
    Ok(())
}

type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The curve's line through its finite points, 2 px wide, with its legend entry.
fn draw_line(chart: &mut Chart<'_, '_>, curve: &Curve, color: RGBAColor) -> Result<()> {
    let points = curve.points.iter().copied().filter(|p| p.0.is_finite() && p.1.is_finite());
    drawn(chart.draw_series(LineSeries::new(points, color.stroke_width(2))))?
        .label(curve.label.clone())
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2)));
    Ok(())
}

/// The legend, boxed on white.
fn draw_legend<'a, 'b: 'a>(chart: &mut Chart<'a, 'b>) -> Result<()> {
    drawn(chart.configure_series_labels().border_style(BLACK).background_style(WHITE).draw())
}

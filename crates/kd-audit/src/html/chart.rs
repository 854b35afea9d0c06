//! SVG charts written directly (maud escapes every label): line charts with bands and
//! whiskers, and horizontal bar charts with bars marked. Hand-written rather than drawn by
//! plotters because the report needs charts that scale with the page (a `viewBox`), carry
//! `<title>` text for every series and point at no font file; they are a few axes, polylines
//! and polygons.

use maud::{Markup, html};

/// Colours of the series, then of severities.
pub const BLUE: &str = "#1f5fa8";
/// Second series.
pub const ORANGE: &str = "#c8611a";
/// Grey for references.
pub const GREY: &str = "#8a8f98";
/// Amber bar.
pub const AMBER: &str = "#c98a00";
/// Red bar.
pub const RED: &str = "#b3261e";
/// Green.
pub const GREEN: &str = "#2e7d32";

/// One series of a line chart.
pub struct Series {
    /// Legend label.
    pub label: String,
    /// Colour.
    pub color: &'static str,
    /// Points, in x order.
    pub points: Vec<(f64, f64)>,
    /// A shaded band `(x, low, high)`.
    pub band: Vec<(f64, f64, f64)>,
    /// Vertical whiskers `(x, low, high)` at the points.
    pub whiskers: Vec<(f64, f64, f64)>,
    /// Dashed line.
    pub dashed: bool,
    /// Draw the points as dots (and no line).
    pub dots: bool,
}

impl Series {
    /// A plain line.
    pub fn line(label: impl Into<String>, color: &'static str, points: Vec<(f64, f64)>) -> Self {
        Self {
            label: label.into(),
            color,
            points,
            band: Vec::new(),
            whiskers: Vec::new(),
            dashed: false,
            dots: false,
        }
    }

    /// A dashed line.
    pub fn dashed(label: impl Into<String>, color: &'static str, points: Vec<(f64, f64)>) -> Self {
        Self { dashed: true, ..Self::line(label, color, points) }
    }

    /// Points as dots, unjoined.
    pub fn dots(label: impl Into<String>, color: &'static str, points: Vec<(f64, f64)>) -> Self {
        Self { dots: true, ..Self::line(label, color, points) }
    }
}

/// A line chart.
pub struct Chart {
    /// Caption above the plot.
    pub title: String,
    /// Axis labels.
    pub x_label: String,
    /// See `x_label`.
    pub y_label: String,
    /// The series.
    pub series: Vec<Series>,
    /// Draw the diagonal y = x (ROC, CAP, reliability).
    pub diagonal: bool,
    /// Horizontal reference lines `(y, colour)`.
    pub rules: Vec<(f64, &'static str)>,
    /// Fixed ranges (else from the data).
    pub x_range: Option<(f64, f64)>,
    /// See `x_range`.
    pub y_range: Option<(f64, f64)>,
    /// A logarithmic y axis (ticks at 1, 2 and 5 times powers of ten); values at or below 0
    /// are drawn on the axis's floor, and a `y_range` from 0 or below is taken from the data.
    pub log_y: bool,
    /// Tick labels for a categorical x axis (at 0, 1, 2, …).
    pub categories: Vec<String>,
    /// Width and height of the drawing, in CSS pixels at full size.
    pub size: (f64, f64),
}

impl Chart {
    /// An empty chart of `size`.
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
        size: (f64, f64),
    ) -> Self {
        Self {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            series: Vec::new(),
            diagonal: false,
            rules: Vec::new(),
            x_range: None,
            y_range: None,
            log_y: false,
            categories: Vec::new(),
            size,
        }
    }

    /// A chart of `series` over `categories` (at x = 0, 1, …) of `size`, its y axis from 0 (or
    /// `headroom` times the lowest value, if negative) to `headroom` times the largest value.
    pub fn over_categories(
        title: &str,
        x_label: &str,
        y_label: &str,
        size: (f64, f64),
        categories: Vec<String>,
        series: Vec<Series>,
        headroom: f64,
    ) -> Self {
        let values = || series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).filter(|v| v.is_finite());
        let (low, top) = (values().fold(0.0, f64::min) * headroom, values().fold(0.0, f64::max) * headroom);
        let mut chart = Chart::new(title, x_label, y_label, size);
        chart.x_range = Some((-0.5, categories.len() as f64 - 0.5));
        chart.y_range = Some((low, top.max(low + 1e-6)));
        chart.categories = categories;
        chart.series = series;
        chart
    }
}

/// `(0, v₀), (1, v₁), …`: values at the positions of a categorical axis.
pub fn indexed(values: &[f64]) -> Vec<(f64, f64)> {
    values.iter().enumerate().map(|(i, &v)| (i as f64, v)).collect()
}

/// Tick labels with as many decimals as the step between ticks needs (0.2, 0.4, not 0.2000).
pub fn tick_labels(ticks: &[f64]) -> Vec<String> {
    let step = ticks.windows(2).map(|w| w[1] - w[0]).fold(f64::INFINITY, f64::min);
    if !step.is_finite() || step >= 1.0 || step <= 0.0 {
        return ticks.iter().map(|&t| super::number(t)).collect();
    }
    let decimals = (-step.log10()).ceil().clamp(0.0, 8.0) as usize;
    ticks.iter().map(|&t| format!("{t:.decimals$}").replace('-', "−")).collect()
}

/// Round tick values covering `[lo, hi]`: steps of 1, 2 or 5 times a power of ten.
pub fn ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let span = (hi - lo).abs().max(1e-12);
    let raw = span / target.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| span / s <= target as f64)
        .unwrap_or(10.0 * power);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// Ticks of a log axis spanning `10^lo` to `10^hi`: 1, 2 and 5 times each power of ten, or
/// the powers alone over more than four decades.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi < lo {
        return Vec::new();
    }
    let multiples: &[f64] = if hi - lo > 4.0 { &[1.0] } else { &[1.0, 2.0, 5.0] };
    let (first, last) = (lo.floor() as i32, hi.ceil() as i32);
    (first..=last)
        .flat_map(|k| multiples.iter().map(move |m| m * 10f64.powi(k)))
        .filter(|t| (lo - 1e-9..=hi + 1e-9).contains(&t.log10()))
        .collect()
}

fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.filter(|v| v.is_finite()).fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((a, b)) => Some((a.min(v), b.max(v))),
    })
}

fn padded((lo, hi): (f64, f64)) -> (f64, f64) {
    let pad = ((hi - lo) * 0.05).max(1e-9);
    (lo - pad, hi + pad)
}

/// The chart as an inline `<svg>`.
pub fn line_chart(c: &Chart) -> Markup {
    let (w, h) = c.size;
    let (left, right, top, bottom) = (58.0, 12.0, 10.0, 44.0);
    let xs = c.series.iter().flat_map(|s| s.points.iter().map(|p| p.0).chain(s.band.iter().map(|b| b.0)));
    let ys = c.series.iter().flat_map(|s| {
        s.points
            .iter()
            .map(|p| p.1)
            .chain(s.band.iter().flat_map(|b| [b.1, b.2]))
            .chain(s.whiskers.iter().flat_map(|b| [b.1, b.2]))
    });
    // The y axis's own scale: log10 on a log axis (0 and below to −∞, left out of the range).
    let scale = |y: f64| match (c.log_y, y > 0.0) {
        (false, _) => y,
        (true, true) => y.log10(),
        (true, false) => f64::NEG_INFINITY,
    };
    let rule_ys = c.rules.iter().map(|r| r.0);
    let (x0, x1) = c.x_range.unwrap_or_else(|| padded(extent(xs).unwrap_or((0.0, 1.0))));
    // A log axis without a positive value spans 0.001 to 1.
    let fallback = if c.log_y { (-3.0, 0.0) } else { (0.0, 1.0) };
    let (y0, y1) = match c.y_range {
        Some((lo, hi)) if !c.log_y || lo > 0.0 => (scale(lo), scale(hi)),
        _ => padded(extent(ys.chain(rule_ys).map(scale)).unwrap_or(fallback)),
    };
    let (pw, ph) = (w - left - right, h - top - bottom);
    let sx = |x: f64| left + (x - x0) / (x1 - x0).max(1e-12) * pw;
    let sy = |y: f64| top + ph - (scale(y).max(y0) - y0) / (y1 - y0).max(1e-12) * ph;
    let path = |pts: &[(f64, f64)]| {
        pts.iter()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .map(|&(x, y)| format!("{:.1},{:.1}", sx(x), sy(y)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let x_ticks: Vec<(f64, String)> = if c.categories.is_empty() {
        let t = ticks(x0, x1, 6);
        t.iter().copied().zip(tick_labels(&t)).collect()
    } else {
        let every = c.categories.len().div_ceil(12).max(1);
        c.categories
            .iter()
            .enumerate()
            .filter(|(i, _)| i % every == 0)
            .map(|(i, l)| (i as f64, short(l, 14)))
            .collect()
    };
    let y_ticks: Vec<(f64, String)> = if c.log_y {
        let mut t = log_ticks(y0, y1);
        if t.len() < 2 {
            // Less than a factor of 2 spanned: the axis's ends.
            t = vec![10f64.powf(y0), 10f64.powf(y1)];
        }
        t.into_iter().map(|t| (t, super::number(t))).collect()
    } else {
        let t = ticks(y0, y1, 5);
        t.iter().copied().zip(tick_labels(&t)).collect()
    };
    html! {
        figure.chart style=(format!("max-width:{w}px")) {
            svg viewBox=(format!("0 0 {w} {h}")) role="img" aria-label=(c.title) {
                title { (c.title) }
                rect x=(left) y=(top) width=(pw) height=(ph) fill="#fff" stroke="#c9ccd1" {}
                @for (t, label) in &y_ticks {
                    line x1=(left) x2=(left + pw) y1=(sy(*t)) y2=(sy(*t)) stroke="#eceef1" {}
                    text x=(left - 6.0) y=(sy(*t) + 4.0) text-anchor="end" class="tick" { (label) }
                }
                @for (t, label) in &x_ticks {
                    line x1=(sx(*t)) x2=(sx(*t)) y1=(top + ph) y2=(top + ph + 4.0) stroke="#8a8f98" {}
                    text x=(sx(*t)) y=(top + ph + 16.0) text-anchor="middle" class="tick" { (label) }
                }
                text x=(left + pw / 2.0) y=(h - 8.0) text-anchor="middle" class="axis" { (c.x_label) }
                text x="12" y=(top + ph / 2.0) text-anchor="middle" class="axis"
                    transform=(format!("rotate(-90 12 {})", top + ph / 2.0)) { (c.y_label) }
                @if c.diagonal {
                    line x1=(sx(x0.max(y0))) y1=(sy(x0.max(y0))) x2=(sx(x1.min(y1))) y2=(sy(x1.min(y1)))
                        stroke=(GREY) stroke-dasharray="4 3" {}
                }
                @for (y, color) in &c.rules {
                    line x1=(left) x2=(left + pw) y1=(sy(*y)) y2=(sy(*y)) stroke=(color) stroke-dasharray="6 3" {}
                }
                @for s in &c.series {
                    g {
                        title { (s.label) }
                        @if !s.band.is_empty() {
                            @let upper: Vec<(f64, f64)> = s.band.iter().map(|b| (b.0, b.2)).collect();
                            @let lower: Vec<(f64, f64)> = s.band.iter().rev().map(|b| (b.0, b.1)).collect();
                            polygon points=(format!("{} {}", path(&upper), path(&lower))) fill=(s.color) fill-opacity="0.15" stroke="none" {}
                        }
                        @for b in &s.whiskers {
                            line x1=(sx(b.0)) x2=(sx(b.0)) y1=(sy(b.1)) y2=(sy(b.2)) stroke=(s.color) stroke-width="1.5" {}
                        }
                        @if s.dots {
                            @for p in s.points.iter().filter(|p| p.0.is_finite() && p.1.is_finite()) {
                                circle cx=(sx(p.0)) cy=(sy(p.1)) r="3.2" fill=(s.color) {}
                            }
                        } @else {
                            polyline points=(path(&s.points)) fill="none" stroke=(s.color) stroke-width="2"
                                stroke-dasharray=(if s.dashed { "5 3" } else { "none" }) {}
                        }
                    }
                }
            }
            @if c.series.len() > 1 {
                figcaption.legend {
                    @for s in &c.series {
                        span.key { i style=(format!("background:{}", s.color)) {} (s.label) }
                    }
                }
            }
        }
    }
}

/// The shares of two samples (`before`, named, and the current one) in each of `categories`,
/// as dots: the drift of a distribution.
pub fn shares_chart(
    title: &str,
    x_label: &str,
    categories: Vec<String>,
    (before_label, before): (&str, &[f64]),
    current: &[f64],
) -> Chart {
    let series = vec![
        Series::dots(before_label, BLUE, indexed(before)),
        Series::dots("current", ORANGE, indexed(current)),
    ];
    Chart::over_categories(title, x_label, "share of rows", (760.0, 260.0), categories, series, 1.2)
}

/// A bar of a horizontal bar chart.
pub struct Bar {
    /// Its label.
    pub label: String,
    /// Its value.
    pub value: f64,
    /// Its colour.
    pub color: &'static str,
}

/// Horizontal bars with vertical marks at `marks` `(value, colour, label)`.
pub fn bar_chart(title: &str, x_label: &str, bars: &[Bar], marks: &[(f64, &'static str, &str)]) -> Markup {
    let (label_w, w, row) = (210.0, 760.0, 20.0);
    let h = 36.0 + bars.len() as f64 * row + 30.0;
    let max = bars
        .iter()
        .map(|b| b.value)
        .chain(marks.iter().map(|m| m.0))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        * 1.08;
    let pw = w - label_w - 20.0;
    let sx = |v: f64| label_w + v.max(0.0) / max.max(1e-12) * pw;
    let axis = 20.0 + bars.len() as f64 * row + 6.0;
    html! {
        figure.chart {
            svg viewBox=(format!("0 0 {w} {h}")) role="img" aria-label=(title) {
                title { (title) }
                @for (i, b) in bars.iter().enumerate() {
                    @let y = 20.0 + i as f64 * row;
                    text x=(label_w - 8.0) y=(y + 13.0) text-anchor="end" class="tick" { title { (b.label) } (short(&b.label, 30)) }
                    rect x=(label_w) y=(y + 3.0) width=((sx(b.value) - label_w).max(0.5)) height=(row - 6.0) fill=(b.color) {}
                    text x=(sx(b.value) + 4.0) y=(y + 13.0) class="tick" { (super::number(b.value)) }
                }
                @for (v, color, label) in marks {
                    line x1=(sx(*v)) x2=(sx(*v)) y1="14" y2=(axis) stroke=(color) stroke-dasharray="5 3" {}
                    text x=(sx(*v)) y="11" text-anchor="middle" class="tick" fill=(color) { (label) }
                }
                line x1=(label_w) x2=(label_w + pw) y1=(axis) y2=(axis) stroke="#8a8f98" {}
                @let t = ticks(0.0, max, 6);
                @for (t, label) in t.iter().zip(tick_labels(&t)) {
                    text x=(sx(*t)) y=(axis + 14.0) text-anchor="middle" class="tick" { (label) }
                }
                text x=(label_w + pw / 2.0) y=(h - 4.0) text-anchor="middle" class="axis" { (x_label) }
            }
        }
    }
}

/// `text` cut to `n` characters with an ellipsis.
pub fn short(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_owned()
    } else {
        text.chars().take(n - 1).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(tick_labels(&ticks(0.0, 1.0, 5)), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
        assert_eq!(
            tick_labels(&ticks(0.0, 0.3, 6)),
            ["0.00", "0.05", "0.10", "0.15", "0.20", "0.25", "0.30"]
        );
        let t = ticks(-3.2, 7.9, 6);
        assert!(t.first().is_some_and(|&v| v >= -3.2) && t.last().is_some_and(|&v| v <= 7.9));
        let labels: Vec<String> = log_ticks(-2.5, -0.5).into_iter().map(crate::html::number).collect();
        assert_eq!(labels, ["0.005", "0.01", "0.02", "0.05", "0.1", "0.2"]);
        assert_eq!(log_ticks(-6.0, 0.0).len(), 7);
    }

    #[test]
    fn a_log_axis_draws_zeros_on_its_floor_and_never_an_undefined_coordinate() {
        for values in [vec![0.0, 0.0], vec![0.1, 0.12], vec![0.0, 0.003, 0.2]] {
            let points = values.iter().enumerate().map(|(i, &v)| (i as f64, v)).collect();
            let mut chart = Chart::new("t", "x", "y", (300.0, 200.0));
            chart.series = vec![Series::dots("s", BLUE, points)];
            chart.log_y = true;
            chart.y_range = Some((0.0, 1.0));
            let svg = line_chart(&chart).into_string();
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{values:?}: {svg}");
            // The y axis's labels are the ticks anchored at their end.
            let y_ticks = svg.matches("text-anchor=\"end\" class=\"tick\"").count();
            assert!(y_ticks >= 2, "{values:?}: {y_ticks} y ticks");
        }
    }

    #[test]
    fn labels_are_escaped() {
        let chart = Chart {
            series: vec![Series::line("<script>x</script>", BLUE, vec![(0.0, 0.0), (1.0, 1.0)])],
            ..Chart::new("t", "x", "y", (300.0, 200.0))
        };
        let svg = line_chart(&chart).into_string();
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
    }
}

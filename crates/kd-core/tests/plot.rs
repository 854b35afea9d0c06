//! The reports' figures: every curve, label and title reaches the SVG; a panel with nothing
//! finite to draw stays empty instead of failing.

use kd_core::plot::{Curve, Panel, line_plot, panels_svg};

fn curve(label: &str, slope: f64) -> Curve {
    let points: Vec<(f64, f64)> = (0..5).map(|i| (f64::from(i), slope * f64::from(i))).collect();
    let band = points.iter().map(|&(x, y)| (x, y - 0.5, y + 0.5)).collect();
    Curve { label: label.into(), points, band }
}

#[test]
fn a_line_plot_names_its_title_axes_and_curves() -> kd_core::Result<()> {
    let svg =
        line_plot("Accuracy by depth", "tree depth", "accuracy", &[curve("soft", 1.0), curve("hard", 0.5)])?;
    assert!(svg.starts_with("<svg"), "{}", &svg[..40.min(svg.len())]);
    for text in ["Accuracy by depth", "tree depth", "accuracy", "soft", "hard"] {
        assert!(svg.contains(text), "{text} is not drawn");
    }
    assert_eq!(svg.matches("<circle").count(), 10, "a marker at every point");
    Ok(())
}

#[test]
fn panels_draw_bands_and_a_legend_only_for_several_curves() -> kd_core::Result<()> {
    let panels = [
        Panel { title: "income".into(), curves: vec![curve("mimic", 1.0), curve("outcome", -1.0)] },
        Panel { title: "age".into(), curves: vec![curve("score", 2.0)] },
        Panel {
            title: "empty".into(),
            curves: vec![Curve { label: "none".into(), points: vec![], band: vec![] }],
        },
    ];
    let svg = panels_svg("log-odds", &panels)?;
    for text in ["income", "age", "mimic", "outcome", "log-odds"] {
        assert!(svg.contains(text), "{text} is not drawn");
    }
    assert!(!svg.contains(">score<"), "a lone curve has no legend");
    assert!(!svg.contains(">empty<"), "a panel with nothing to draw is left blank");
    // Each drawn curve is a 2 px line and two faint band edges; the first panel's legend adds a
    // 2 px line a curve.
    assert_eq!(svg.matches("stroke-width=\"2\"").count(), 3 + 2);
    assert_eq!(svg.matches("opacity=\"0.35\"").count(), 3 * 2);
    Ok(())
}

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
    // plotters writes a text element's content on a line of its own.
    for text in ["income", "age", "mimic", "outcome", "log-odds"] {
        assert!(svg.contains(&format!("\n{text}\n")), "{text} is not drawn");
    }
    assert!(!svg.contains("\nscore\n"), "a lone curve has no legend");
    assert!(!svg.contains("\nempty\n"), "a panel with nothing to draw is left blank");
    // Each drawn curve is a 2 px line and two faint band edges; the first panel's legend adds a
    // 2 px line a curve.
    assert_eq!(svg.matches("stroke-width=\"2\"").count(), 3 + 2);
    assert_eq!(svg.matches("opacity=\"0.35\"").count(), 3 * 2);
    Ok(())
}

#[test]
fn nothing_finite_to_draw_is_an_error_not_a_hang() {
    let holes =
        Curve { label: "holes".into(), points: vec![(f64::NAN, 1.0), (2.0, f64::INFINITY)], band: vec![] };
    for curves in [vec![], vec![holes.clone()]] {
        let result = line_plot("Nothing", "x", "y", &curves);
        assert!(matches!(result, Err(kd_core::Error::Draw { .. })), "{result:?}");
    }
    // A finite point among them is drawn, the others left out.
    let mut some = holes;
    some.points.push((1.0, 1.0));
    let svg = line_plot("Something", "x", "y", &[some]).map_err(|e| e.to_string());
    assert!(svg.is_ok_and(|svg| svg.matches("<circle").count() == 1));
    let band =
        Curve { label: "band".into(), points: vec![(1.0, 1.0)], band: vec![(1.0, 0.0, f64::INFINITY)] };
    let svg = panels_svg("y", &[Panel { title: "infinite".into(), curves: vec![band] }]);
    assert!(
        svg.is_ok_and(|svg| !svg.contains("\ninfinite\n")),
        "a panel with no finite band point is left blank"
    );
}

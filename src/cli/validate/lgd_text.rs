//! The LGD and CCF report as a table: the gAUC, the back-tests per segment, ELBE and LGD
//! in-default, and the stability section.

use std::fmt::Write as _;

use kd::hypotheses::validation::Backtest;

use super::text::{change, cited, header, line, line_or_note, note, stability};
use kd::hypotheses::validation::report::{LgdReport, ValidationModel};

fn backtest_row(o: &mut String, b: &Backtest) {
    let (t, p) = b.t_test.map_or(("–".to_owned(), "–".to_owned()), |t| {
        (format!("{:.3}", t.statistic), format!("{:.4}", t.p_value))
    });
    let ls = b.loss_shortfall.map_or("–".to_owned(), |x| format!("{x:.4}"));
    let _ = writeln!(
        o,
        "  {:>10} {:>6} {:>9.4} {:>9.4} {:>9.4} {:>8} {:>8} {:>9.4} {:>9.4} {:>9}",
        b.segment,
        b.n,
        b.mean_estimate,
        b.mean_realised,
        b.mean_difference,
        t,
        p,
        b.mean_absolute_error,
        b.mean_squared_error,
        ls
    );
}

pub(super) fn lgd(o: &mut String, r: &LgdReport) {
    let what = if r.model == ValidationModel::Ccf { "CCF model" } else { "LGD model" };
    header(o, what, &r.file, r.date.as_ref(), format!("n = {}", r.n_obs), r.scale.as_ref());
    let d = &r.discriminatory_power;
    let _ = writeln!(o, "\nDiscriminatory power");
    line_or_note(o, "gAUC", d.gauc.as_ref(), d.gauc_note.as_ref(), |g| {
        format!("{:.4}  s.e. {:.4} (Somers' D {:.4})", g.value, g.std_error, g.somers_d)
    });
    if let Some(c) = &d.gauc_change {
        change(o, "gAUC vs initial", c);
    }
    if let Some(text) = &d.gauc_change_note {
        note(o, "gAUC vs initial", text);
    }
    let p = &r.predictive_ability;
    let _ = writeln!(o, "\nPredictive ability");
    let _ = writeln!(o, "  Realised against estimated, per segment and for the portfolio");
    cited(o, (p.backtests.formula, p.backtests.reference));
    let _ = writeln!(
        o,
        "  {:>10} {:>6} {:>9} {:>9} {:>9} {:>8} {:>8} {:>9} {:>9} {:>9}",
        "segment", "n", "estimate", "realised", "gap", "t", "p", "MAE", "MSE", "shortfall"
    );
    for b in &p.backtests.figure.rows {
        backtest_row(o, b);
    }
    for (label, extra) in [("ELBE", &p.elbe), ("LGD in-default", &p.lgd_in_default)] {
        if let Some(e) = extra {
            let b = &e.figure;
            let test = b
                .t_test
                .map_or("no t-test".to_owned(), |t| format!("t = {:.3}, p = {:.4}", t.statistic, t.p_value));
            line(
                o,
                label,
                format!("mean {:.4} vs realised {:.4}: {test}", b.mean_estimate, b.mean_realised),
                e,
            );
        }
    }
    stability(o, &r.stability);
}

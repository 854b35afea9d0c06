//! The names of a report's sections, figures and fields as people read them: the ECB's four
//! groups in their order, a title for every figure the reports write, and fields' keys in
//! words, shared by the program's table, the HTML page and the list of flags.

/// The sections in the instructions' order: the JSON's key and the title.
pub const SECTIONS: [(&str, &str); 4] = [
    ("discriminatory_power", "Discriminatory power"),
    ("predictive_ability", "Predictive ability"),
    ("stability", "Stability"),
    ("concentration", "Concentration"),
];

/// Titles of the figures the reports write, by key, in the order a section shows them.
pub const TITLES: [(&str, &str); 27] = [
    ("auroc", "AUROC with DeLong's interval"),
    ("gini", "Gini (accuracy ratio)"),
    ("ks", "Kolmogorov–Smirnov"),
    ("auc_change", "Change since initial validation"),
    ("comparison", "Comparison with the challenger"),
    ("curves", "ROC and CAP points"),
    ("gauc", "Generalised AUROC"),
    ("gauc_change", "Change since initial validation"),
    ("hosmer_lemeshow", "Hosmer–Lemeshow"),
    ("spiegelhalter", "Spiegelhalter"),
    ("brier", "Brier score and its decomposition"),
    ("jeffreys", "Jeffreys test, portfolio"),
    ("grades", "Per grade"),
    ("pluto_tasche", "Pluto–Tasche most prudent bounds"),
    ("pluto_tasche_periods", "Pluto–Tasche bounds over the periods"),
    ("long_run", "Long-run average default rate"),
    ("overrides", "Overrides"),
    ("backtests", "Back-tests of realised against estimated values"),
    ("elbe", "ELBE back-test"),
    ("lgd_in_default", "LGD in-default back-test"),
    ("psi", "Population stability of the estimates"),
    ("csi", "Characteristic stability of the other columns"),
    ("migration", "Migration matrix"),
    ("obligors", "Herfindahl index by obligors"),
    ("exposure", "Herfindahl index by exposure"),
    ("portfolio", "Portfolio"),
    ("segments", "Per segment"),
];

/// Titles that depend on the section: `(section, key, title)`.
const SECTION_TITLES: [(&str, &str, &str); 2] = [
    ("stability", "grades", "Shift of the grade distribution"),
    ("stability", "ks", "Kolmogorov–Smirnov, baseline against current"),
];

/// The title of figure `key` in `section`: its own there, else its title anywhere, else the
/// key in words ([`field_words`]).
pub fn title(section: &str, key: &str) -> String {
    SECTION_TITLES
        .iter()
        .find(|(s, k, _)| *s == section && *k == key)
        .map(|(_, _, t)| *t)
        .or_else(|| TITLES.iter().find(|(k, _)| *k == key).map(|(_, t)| *t))
        .map_or_else(|| field_words(key), str::to_owned)
}

/// A field's key in words: `p_value` → `p value`, `n_obs` → `rows validated`, with the usual
/// abbreviations (`PD`, `PSI`, `MWB`) and names (`Jeffreys`, `Vasicek`).
pub fn field_words(key: &str) -> String {
    match key {
        "n" => "count".into(),
        "n_obs" => "rows validated".into(),
        "n_defaults" => "defaults".into(),
        "file" => "data".into(),
        "date" => "current date".into(),
        "pd" => "PD".into(),
        "cv" => "CV".into(),
        "df" => "degrees of freedom".into(),
        "mwb_upper" => "MWB upper".into(),
        "mwb_lower" => "MWB lower".into(),
        "mean_pd" => "mean PD".into(),
        "rho" => "asset correlation ρ".into(),
        "psi" => "PSI".into(),
        "table" => "groups".into(),
        "jeffreys_p_value" => "Jeffreys p value".into(),
        "vasicek_q95" => "Vasicek 95% quantile".into(),
        "vasicek_q999" => "Vasicek 99.9% quantile".into(),
        "upper_bound_correlated" => "upper bound, correlated".into(),
        "upper" => "up to".into(),
        "left_out" => "columns without a CSI".into(),
        _ => key.replace('_', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_is_titled_in_its_section_then_anywhere_then_by_its_key() {
        assert_eq!(title("stability", "grades"), "Shift of the grade distribution");
        assert_eq!(title("predictive_ability", "grades"), "Per grade");
        assert_eq!(title("stability", "new_figure"), "new figure");
        assert_eq!(field_words("jeffreys_p_value"), "Jeffreys p value");
    }
}

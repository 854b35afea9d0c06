//! The parameters behind the keyword arguments of `kd.distill` and `kd.hypotheses`, with the
//! `kd` program's defaults (its flags' defaults are the libraries' defaults). A keyword kd does
//! not know, or a value of the wrong type, is refused by name, never ignored.
//!
//! The keywords of `kd.distill` are the flags of `kd distill` (`min_samples_leaf` for
//! `--min-samples-leaf`), read into kd-students' `StudentOptions`, whose table gives their
//! students and defaults; three differ from its field names: `scorecard` (the logistic
//! student's points table, `points_bins`), `bins` (`fine_bins`) and `lr` (`learning_rate`).
//! `categorical_splits` is `"native"` or `"codes"`; `monotone` a list such as
//! `["feature:+1", "feature:-1"]` (or one comma-separated string).
//!
//! The keywords of `kd.hypotheses` are the flags of `kd hypotheses` by name (`alpha`, `lags`,
//! `fitdf`, `break_at`, `hac_lags`, `breusch_pagan`, `breusch_godfrey`, `dw_alternative`,
//! `dw_method`, `gq_alternative`, `gq_drop`, `rainbow_fraction`, `rainbow_center`,
//! `rainbow_rows`, `reset_powers`, `reset_type`, `influence`), with their defaults
//! (kd-hypotheses' `BatteryOptions`).

use kd_core::data::Dataset;
use kd_hypotheses::regression::choices::{Choice, choice};
use kd_hypotheses::regression::{BatteryOptions, GqOptions, RainbowOptions, ResetOptions};
use kd_students::tree::CategoricalSplits;
use kd_students::{StudentKind, StudentOptions, StudentParams};
use pyo3::PyResult;
use serde_json::Value;

use super::value_error;

/// The parameters of `kind` for `data` from `options` (a JSON object of keyword arguments).
pub fn student_params(
    kind: StudentKind,
    data: &Dataset,
    options: &str,
    seed: u64,
) -> PyResult<StudentParams> {
    use Kind::{Count, Label, Number, Text, Texts};
    let o = Keywords::read(
        options,
        &[
            ("max_depth", Count),
            ("max_leaves", Count),
            ("min_samples_leaf", Count),
            ("ccp_alpha", Number),
            ("categorical_splits", Text),
            ("max_bins", Count),
            ("l2", Number),
            ("scorecard", Count),
            ("bins", Count),
            ("bad_class", Label),
            ("pdo", Number),
            ("base_score", Number),
            ("base_odds", Number),
            ("interactions", Count),
            ("outer_bags", Count),
            ("max_rounds", Count),
            ("lr", Number),
            ("monotone", Texts),
            ("n_splines", Count),
            ("lam", Number),
        ],
    )?;
    let categorical_splits = o
        .text("categorical_splits")?
        .map(|text| match text.as_str() {
            "native" => Ok(CategoricalSplits::Native),
            "codes" => Ok(CategoricalSplits::Codes),
            other => Err(value_error(format!("invalid categorical_splits: '{other}' (native or codes)"))),
        })
        .transpose()?;
    let options = StudentOptions {
        max_depth: o.count("max_depth")?,
        max_leaves: o.count("max_leaves")?,
        min_samples_leaf: o.count("min_samples_leaf")?,
        ccp_alpha: o.number("ccp_alpha")?,
        categorical_splits,
        max_bins: o.count("max_bins")?,
        l2: o.number("l2")?,
        points_bins: o.count("scorecard")?,
        fine_bins: o.count("bins")?,
        bad_class: o.label("bad_class")?,
        pdo: o.number("pdo")?,
        base_score: o.number("base_score")?,
        base_odds: o.number("base_odds")?,
        interactions: o.count("interactions")?,
        outer_bags: o.count("outer_bags")?,
        max_rounds: o.count("max_rounds")?,
        learning_rate: o.number("lr")?,
        monotone: o.texts("monotone")?,
        n_splines: o.count("n_splines")?,
        lam: o.number("lam")?,
        seed,
    };
    kind.params(&options, data.class_labels()).map_err(value_error)
}

/// Keyword arguments as a JSON object, read by type: a keyword kd does not know, or a value
/// of the wrong type, is refused by name (never ignored, even where the student asked for does
/// not read it); `None` (JSON `null`) is unset.
struct Keywords(serde_json::Map<String, Value>);

/// The type of a keyword's value.
#[derive(Clone, Copy)]
enum Kind {
    /// A number ([`Keywords::number`]).
    Number,
    /// A whole number ≥ 0 ([`Keywords::count`]).
    Count,
    /// A class label ([`Keywords::label`]).
    Label,
    /// A text ([`Keywords::text`]).
    Text,
    /// Whole numbers ≥ 0 ([`Keywords::counts`]).
    Counts,
    /// Texts ([`Keywords::texts`]).
    Texts,
}

impl Keywords {
    /// The keyword arguments in `options` (a JSON object), refusing one not in `known` or a
    /// value not of its keyword's type.
    fn read(options: &str, known: &[(&str, Kind)]) -> PyResult<Self> {
        let options: Value = serde_json::from_str(options).map_err(value_error)?;
        let Value::Object(map) = options else {
            return Err(value_error("keyword arguments must be a JSON object"));
        };
        let names: Vec<&str> = known.iter().map(|(name, _)| *name).collect();
        if let Some(unknown) = map.keys().find(|k| !names.contains(&k.as_str())) {
            return Err(value_error(format!(
                "invalid keyword argument '{unknown}': kd knows {}",
                names.join(", ")
            )));
        }
        let keywords = Keywords(map);
        for &(name, kind) in known {
            match kind {
                Kind::Number => keywords.number(name).map(drop)?,
                Kind::Count => keywords.count(name).map(drop)?,
                Kind::Label => keywords.label(name).map(drop)?,
                Kind::Text => keywords.text(name).map(drop)?,
                Kind::Counts => keywords.counts(name).map(drop)?,
                Kind::Texts => keywords.texts(name).map(drop)?,
            }
        }
        Ok(keywords)
    }

    /// The value of `name`, unless unset.
    fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    /// A number.
    fn number(&self, name: &str) -> PyResult<Option<f64>> {
        self.get(name)
            .map(|v| v.as_f64().ok_or_else(|| value_error(format!("invalid {name}: {v} is not a number"))))
            .transpose()
    }

    /// A whole number ≥ 0.
    fn count(&self, name: &str) -> PyResult<Option<usize>> {
        self.get(name)
            .map(|v| {
                v.as_u64()
                    .and_then(|v| usize::try_from(v).ok())
                    .ok_or_else(|| value_error(format!("invalid {name}: {v} is not a whole number ≥ 0")))
            })
            .transpose()
    }

    /// A class label: text as it is, a number as kd writes the labels of a numeric target (`0`,
    /// `1` for `1.0`, `1.5`), a boolean as Python writes it (`True`).
    fn label(&self, name: &str) -> PyResult<Option<String>> {
        self.get(name)
            .map(|v| match v {
                Value::String(text) => Ok(text.clone()),
                Value::Number(n) => Ok(n.as_f64().map_or_else(|| n.to_string(), |x| format!("{x}"))),
                Value::Bool(b) => Ok(if *b { "True" } else { "False" }.to_owned()),
                other => Err(value_error(format!("invalid {name}: {other} is not a class label"))),
            })
            .transpose()
    }

    /// Whole numbers ≥ 0: a list of them, or one.
    fn counts(&self, name: &str) -> PyResult<Option<Vec<usize>>> {
        let invalid =
            |v: &Value| value_error(format!("invalid {name}: {v} is not a list of whole numbers ≥ 0"));
        let one = |v: &Value| v.as_u64().and_then(|v| usize::try_from(v).ok()).ok_or_else(|| invalid(v));
        match self.get(name) {
            None => Ok(None),
            Some(Value::Array(items)) => items.iter().map(one).collect::<PyResult<_>>().map(Some),
            Some(other) => one(other).map(|v| Some(vec![v])),
        }
    }

    /// A text.
    fn text(&self, name: &str) -> PyResult<Option<String>> {
        self.get(name)
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| value_error(format!("invalid {name}: {v} is not a text")))
            })
            .transpose()
    }

    /// Texts: a list of strings, or one string of comma-separated items (split as the program
    /// splits its flag's value).
    fn texts(&self, name: &str) -> PyResult<Vec<String>> {
        let invalid = |v: &Value| value_error(format!("invalid {name}: {v} is not a list of strings"));
        match self.get(name) {
            None => Ok(Vec::new()),
            Some(Value::String(text)) => Ok(text.split(',').map(str::to_owned).collect()),
            Some(Value::Array(items)) => {
                items.iter().map(|v| v.as_str().map(str::to_owned).ok_or_else(|| invalid(v))).collect()
            }
            Some(other) => Err(invalid(other)),
        }
    }
}

/// The battery's options from `kd.hypotheses`' keyword arguments (a JSON object): the flags of
/// `kd hypotheses` by name, their values as the flags spell them (kd-hypotheses' `choices`);
/// `influence="all"` asks for R's per-row influence measures.
pub fn battery_options(options: &str) -> PyResult<BatteryOptions> {
    use Kind::{Count, Counts, Number, Text};
    let o = Keywords::read(
        options,
        &[
            ("alpha", Number),
            ("lags", Count),
            ("fitdf", Count),
            ("break_at", Count),
            ("hac_lags", Count),
            ("breusch_pagan", Text),
            ("breusch_godfrey", Text),
            ("dw_alternative", Text),
            ("dw_method", Text),
            ("gq_alternative", Text),
            ("gq_drop", Number),
            ("rainbow_fraction", Number),
            ("rainbow_center", Number),
            ("rainbow_rows", Text),
            ("reset_powers", Counts),
            ("reset_type", Text),
            ("influence", Text),
        ],
    )?;
    let d = BatteryOptions::default();
    let influence_measures = match o.text("influence")?.as_deref() {
        None | Some("summary") => false,
        Some("all") => true,
        Some(other) => return Err(value_error(format!("invalid influence: '{other}' (summary, all)"))),
    };
    Ok(BatteryOptions {
        alpha: o.number("alpha")?.unwrap_or(d.alpha),
        lags: o.count("lags")?,
        fitdf: o.count("fitdf")?.unwrap_or(d.fitdf),
        break_at: o.count("break_at")?,
        hac_lags: o.count("hac_lags")?,
        bp_variant: chosen(&o, "breusch_pagan", d.bp_variant)?,
        bg_form: chosen(&o, "breusch_godfrey", d.bg_form)?,
        dw_alternative: chosen(&o, "dw_alternative", d.dw_alternative)?,
        dw_method: chosen(&o, "dw_method", d.dw_method)?,
        goldfeld_quandt: GqOptions {
            alternative: chosen(&o, "gq_alternative", d.goldfeld_quandt.alternative)?,
            drop: o.number("gq_drop")?.unwrap_or(d.goldfeld_quandt.drop),
        },
        rainbow: RainbowOptions {
            fraction: o.number("rainbow_fraction")?.unwrap_or(d.rainbow.fraction),
            center: o.number("rainbow_center")?.unwrap_or(d.rainbow.center),
            rows: chosen(&o, "rainbow_rows", d.rainbow.rows)?,
        },
        reset: ResetOptions {
            powers: match o.counts("reset_powers")? {
                Some(powers) => powers
                    .into_iter()
                    .map(|p| u32::try_from(p).map_err(|_| value_error(format!("invalid reset_powers: {p}"))))
                    .collect::<PyResult<_>>()?,
                None => d.reset.powers.clone(),
            },
            kind: chosen(&o, "reset_type", d.reset.kind)?,
        },
        influence_measures,
        ..d
    })
}

/// The choice `key` names (the flag's value: `koenker`, `two-sided`, …), or `default`.
fn chosen<T: Choice>(o: &Keywords, key: &str, default: T) -> PyResult<T> {
    match o.text(key)? {
        Some(name) => choice(key, &name).map_err(value_error),
        None => Ok(default),
    }
}

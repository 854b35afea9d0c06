//! Bad arguments: every numeric option given values outside its range (0, negative, NaN, too
//! large, not a number), names that do not exist, and paths that cannot be read or written.
//! kd must refuse each before any work, naming the option (or the name or path given).

use std::path::Path;

use super::run::{Case, Expect, refused};
use super::{args, case, on_stored_scores};

const FAMILY: &str = "bad argument";

/// `(option, bad values)`: each value alone must be refused naming the option.
type Options = &'static [(&'static str, &'static [&'static str])];

const DISTILL: Options = &[
    ("--test-fraction", &["0", "1", "-0.1", "nan", "1.5", "abc"]),
    ("--max-depth", &["0", "-1"]),
    ("--max-leaves", &["0", "1"]),
    ("--min-samples-leaf", &["0"]),
    ("--ccp-alpha", &["-1", "nan"]),
    ("--max-bins", &["0", "1", "999"]),
    ("--batch-size", &["0"]),
    ("--teacher-timeout", &["0", "-1", "nan", "abc"]),
    ("--seed", &["-1"]),
    ("--student", &["nope"]),
];

const SCORECARD: Options = &[
    ("--bins", &["0", "1"]),
    ("--pdo", &["0", "-20", "nan"]),
    ("--base-odds", &["0", "-1"]),
    ("--l2", &["-1"]),
];

const GAM: Options = &[("--outer-bags", &["0"]), ("--max-rounds", &["0"]), ("--lr", &["0", "-0.1", "nan"])];

const SPLINE: Options = &[("--n-splines", &["0", "2"]), ("--lam", &["-1", "nan"])];

const HYPOTHESES: Options = &[
    ("--alpha", &["0", "1", "1.5", "nan", "-0.05"]),
    ("--lags", &["0", "-1"]),
    ("--gq-drop", &["1", "-0.1"]),
    ("--rainbow-fraction", &["0", "1", "1.5"]),
    ("--rainbow-center", &["-0.1", "1.2"]),
    ("--reset-powers", &["1", "0"]),
    ("--hac-lags", &["-1"]),
    ("--break-at", &["0", "100000"]),
    ("--fitdf", &["-1", "1000"]),
];

const VALIDATE: Options = &[
    ("--groups", &["0", "1"]),
    ("--prudence", &["0", "1", "1.5", "0.9999999999"]),
    ("--rho", &["-0.1", "1.1", "nan"]),
    ("--period-correlation", &["-0.1", "1", "nan", "abc"]),
    ("--initial-auc", &["1.5", "abc", "0.7,-1"]),
    // A column of obligors that holds no counts (the valid file's x1 holds negative numbers).
    ("--obligors", &["x1"]),
    ("--calibration-target", &["-0.1", "1.5"]),
    ("--chunk-rows", &["0"]),
    ("--binning", &["nope"]),
    ("--model", &["nope"]),
    ("--format", &["nope"]),
    // Back-tests of an LGD model, refused for the PD model the base case validates.
    ("--elbe", &["x1"]),
    ("--lgd-in-default", &["x1"]),
];

const COMPARE: Options =
    &[("--bootstrap", &["0"]), ("--flag-share", &["0", "1.5", "nan"]), ("--class", &["nope"])];

const EXTRACT: Options = &[
    ("--max-leaves", &["0"]),
    ("--samples-per-node", &["0"]),
    ("--components", &["0"]),
    ("--method", &["nope"]),
];

/// `base` with `option` set to `value` (replaced where `base` gives it).
fn with(base: &[String], option: &str, value: &str) -> Vec<String> {
    let mut out = base.to_vec();
    match out.iter().position(|a| a == option) {
        Some(at) => out[at + 1] = value.to_owned(),
        None => out.extend([option.to_owned(), value.to_owned()]),
    }
    out
}

fn each(cases: &mut Vec<Case>, command: &str, base: &[String], options: Options) {
    for (option, values) in options {
        for value in *values {
            // The GAM's learning rate is named as its parameter, `learning_rate`.
            let word = if *option == "--lr" { "learning" } else { option.trim_start_matches('-') };
            cases.push(case(
                FAMILY,
                format!("{command} {option} {value}"),
                with(base, option, value),
                refused(&[word]),
            ));
        }
    }
}

/// The cases, on the valid file of the data-file family.
pub fn cases(dir: &Path) -> Vec<Case> {
    let data = super::csv_files::valid(dir);
    let file = data.to_str().unwrap();
    let mut cases = Vec::new();
    let [describe, distill, hypotheses, validate] = super::csv_files::commands(&data);
    each(&mut cases, "distill", &distill, DISTILL);
    for (student, options) in [("scorecard", SCORECARD), ("gam", GAM), ("spline", SPLINE)] {
        let features = if student == "spline" { "x1,x2" } else { "x1,x2,colour" };
        let base = with(&with(&distill, "--features", features), "--student", student);
        each(&mut cases, &format!("distill --student {student}"), &base, options);
    }
    each(&mut cases, "hypotheses", &hypotheses, HYPOTHESES);
    each(&mut cases, "validate", &validate, VALIDATE);
    let compare = on_stored_scores("compare", file, &["--features", "x1,x2"]);
    each(&mut cases, "compare", &compare, COMPARE);
    let teacher = super::teachers::fixture("binary");
    let extract =
        args(&["extract", "--data", file, "--target", "y", "--teacher", &teacher, "--features", "x1,x2"]);
    each(&mut cases, "extract", &extract, EXTRACT);

    // Names that do not exist, and paths that cannot be read or written.
    let missing_dir = dir.join("no-such-folder");
    let unwritable = missing_dir.join("out.json");
    let unwritable = unwritable.to_str().unwrap();
    for (name, extra, word) in [
        ("a feature that is not a column", args(&["--features", "x1,nope"]), "nope"),
        ("a target that is not a column", args(&["--target", "nope"]), "nope"),
        ("an unknown teacher kind", args(&["--teacher", "nope:x"]), "nope"),
        ("a teacher column that is not there", args(&["--teacher", "column:nope"]), "nope"),
        ("an empty teacher command", args(&["--teacher", "cmd:"]), "teacher"),
        (
            "a TorchScript file that is not there",
            args(&["--teacher", "torchscript:/no/model.pt"]),
            "/no/model.pt",
        ),
        ("a test file that is not there", args(&["--test", "/no/test.csv"]), "/no/test.csv"),
        ("an --out folder that is not there", args(&["--out", unwritable]), unwritable),
        ("a --predictions folder that is not there", args(&["--predictions", unwritable]), unwritable),
    ] {
        cases.push(case(
            FAMILY,
            format!("distill: {name}"),
            with(&distill, &extra[0], &extra[1]),
            refused(&[word]),
        ));
    }
    let svg = missing_dir.join("shapes.svg");
    let svg = svg.to_str().unwrap();
    cases.push(case(
        FAMILY,
        "compare: an --svg folder that is not there",
        with(&compare, "--svg", svg),
        refused(&[svg]),
    ));
    for (option, value) in [("--score", "nope"), ("--outcome", "nope"), ("--grade", "nope")] {
        cases.push(case(
            FAMILY,
            format!("validate {option} {value}"),
            with(&validate, option, value),
            refused(&[value]),
        ));
    }
    for (option, value) in [("--columns", "nope"), ("--categorical", "nope"), ("--delimiter", "ab")] {
        let word = if value == "nope" { value } else { "delimiter" };
        cases.push(case(
            FAMILY,
            format!("describe {option} {value}"),
            with(&describe, option, value),
            refused(&[word]),
        ));
    }
    cases.push(case(
        FAMILY,
        "audit: a time-out of 0",
        on_stored_scores(
            "audit",
            file,
            &["--teacher-timeout", "0", "--out", dir.join("audit").to_str().unwrap()],
        ),
        refused(&["timeout"]),
    ));
    cases.push(case(
        FAMILY,
        "predict: a model that is not there",
        args(&["predict", "--model", "/no/model.json", "--data", file]),
        refused(&["/no/model.json"]),
    ));
    cases.push(case(
        FAMILY,
        "explain: a folder as the model",
        args(&["explain", dir.to_str().unwrap()]),
        refused(&[dir.to_str().unwrap()]),
    ));
    cases.push(case(
        FAMILY,
        "hypotheses: a target that is not a column",
        with(&args(&["hypotheses", "--data", file]), "--target", "nope"),
        refused(&["nope"]),
    ));
    cases.push(case(
        FAMILY,
        "hypotheses: a categorical feature, treatment-coded",
        with(&hypotheses, "--features", "x1,colour"),
        Expect::Accepted,
    ));
    let identifiers = dir.join("identifiers.csv");
    let rows: String = (0..120).map(|i| format!("{i},id{i},{}\n", i % 7)).collect();
    std::fs::write(&identifiers, format!("x1,id,y\n{rows}")).unwrap();
    cases.push(case(
        FAMILY,
        "hypotheses: a categorical feature with more levels than the battery codes",
        args(&["hypotheses", "--data", identifiers.to_str().unwrap(), "--target", "y"]),
        refused(&["'id' is categorical with 120 levels"]),
    ));
    cases.push(case(FAMILY, "hypotheses: a legal call", hypotheses.clone(), Expect::Accepted));
    cases
}

//! `kd audit` end to end on shipped files: the report's three files, provenance, a rerun that
//! gives the same JSON apart from the times, and bad input refused with exit 2, naming the key,
//! file or stage, with no report left behind.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use std::path::Path;

use serde_json::Value;

/// The quick spec of examples/audit/stored_pd.toml (stored scores, grades, a later sample), its
/// paths made absolute, with `extra` appended.
fn spec(dir: &Path, extra: &str) -> std::path::PathBuf {
    let root = common::root();
    let example = std::fs::read_to_string(root.join("examples/audit/stored_pd.toml")).unwrap();
    let text = example.replace("\"tests/", &format!("\"{}/tests/", root.display())) + extra;
    let path = dir.join("audit.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Rows of the current sample of [`spec`].
fn current_rows() -> usize {
    let text = std::fs::read_to_string(common::root().join("tests/golden/validation/german_pd_current.csv"))
        .unwrap();
    text.lines().count() - 1
}

fn audit(spec: &Path, out: &Path) -> std::process::Output {
    common::kd(&["audit", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()])
}

/// [`audit`] with `current` in place of the spec's current sample.
fn audit_current(spec: &Path, current: &Path, out: &Path) -> std::process::Output {
    let (spec, current, out) = (spec.to_str().unwrap(), current.to_str().unwrap(), out.to_str().unwrap());
    common::kd(&["audit", "--spec", spec, "--current", current, "--out", out])
}

fn without_times(mut v: Value) -> Value {
    if let Some(p) = v.get_mut("provenance").and_then(Value::as_object_mut) {
        for key in kd::audit::TIME_FIELDS {
            p.remove(key);
        }
    }
    v
}

#[test]
fn the_report_holds_every_figure_its_provenance_and_reruns_to_the_same_json() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(dir.path(), "");
    let out = dir.path().join("report");
    let run = audit(&spec, &out);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("kd audit: comparison done in"), "{stderr}");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("findings") && stdout.contains("report.html"), "{stdout}");

    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    assert_eq!(json["format"], "kd-audit");
    let findings = json["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["key"] == "performance.grades.current"));
    assert!(findings.iter().any(|f| f["key"] == "drift.score"));
    let inputs = json["provenance"]["inputs"].as_array().unwrap();
    let dev = inputs.iter().find(|i| i["role"] == "development").unwrap();
    let bytes = std::fs::read(common::root().join("tests/golden/validation/german_pd_baseline.csv")).unwrap();
    use sha2::Digest as _;
    let digest: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(dev["sha256"], digest.as_str());
    assert_eq!(json["provenance"]["spec"]["comparison"]["bootstrap"], 10);
    assert_eq!(json["provenance"]["spec"]["data"]["bad_class"], "1");
    let stages: Vec<&str> = json["provenance"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    for stage in ["teacher", "data", "performance", "explanation", "comparison"] {
        assert!(stages.contains(&stage), "{stages:?}");
    }
    // Novelty runs where kd is built with libtorch (`cargo xtask test`'s second stage), and is
    // skipped with its reason otherwise.
    if cfg!(feature = "torch") {
        assert!(stages.contains(&"novelty"), "{stages:?}");
        let novelty = &json["novelty"];
        let share = novelty["share_above"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&share), "{novelty}");
        assert_eq!(novelty["n_current"].as_u64().unwrap() as usize, current_rows());
        assert!(novelty["n_trained"].as_u64().unwrap() > novelty["n_held_out"].as_u64().unwrap());
        let finding = findings.iter().find(|f| f["key"] == "novelty.share").expect("a novelty finding");
        assert_eq!(finding["value"].as_f64(), Some(share));
    } else {
        assert!(
            json["skipped"]["novelty"].as_str().unwrap().contains("without libtorch"),
            "{}",
            json["skipped"]
        );
    }
    // The spec as resolved reads back as the same spec.
    let resolved = kd::audit::Spec::from_file(&out.join("spec.toml")).unwrap();
    assert_eq!(serde_json::to_value(&resolved).unwrap(), json["provenance"]["spec"]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for id in
        ["summary", "data", "performance", "explanation", "comparison", "regression", "methods", "provenance"]
    {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "section {id}");
    }
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));

    let again = dir.path().join("again");
    assert!(audit(&spec, &again).status.success());
    let json2: Value =
        serde_json::from_str(&std::fs::read_to_string(again.join("audit.json")).unwrap()).unwrap();
    assert_eq!(without_times(json), without_times(json2));
}

#[test]
fn the_regression_stage_codes_a_categorical_feature_as_kd_hypotheses_does() {
    let dir = tempfile::tempdir().unwrap();
    let spec =
        spec(dir.path(), "[stages]\nregression = \"always\"\nexplanation = false\ncomparison = false\n");
    let out = dir.path().join("report");
    let run = audit(&spec, &out);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    let regression = &json["regression"];
    assert_eq!(
        regression["categorical"],
        serde_json::json!([{"feature": "housing", "reference": "for free", "columns": ["housing[T.own]", "housing[T.rent]"]}])
    );
    // The same fit as `kd hypotheses` on the 0/1 outcome and the same features.
    let features = "duration_in_month,credit_amount,installment_rate_in_percentage_of_disposable_income,\
                    age_in_years,number_of_existing_credits_at_this_bank,housing";
    let data = common::root().join("tests/golden/validation/german_pd_baseline.csv");
    let battery = common::kd(&[
        "hypotheses",
        "--data",
        data.to_str().unwrap(),
        "--target",
        "default",
        "--features",
        features,
        "--format",
        "json",
    ]);
    assert!(battery.status.success(), "{}", String::from_utf8_lossy(&battery.stderr));
    let battery: Value = serde_json::from_slice(&battery.stdout).unwrap();
    assert_eq!(regression["features"].as_array().unwrap().len(), 7);
    assert_eq!(regression["r_squared"], battery["r_squared"]);
    assert_eq!(regression["categorical"], battery["categorical"]);
    assert_eq!(regression["gvif"], battery["gvif"]);
    assert_eq!(regression["gvif"][0]["df"], 2, "housing's two indicator columns together");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("7 design columns")
            && html.contains("reference for free")
            && html.contains("GVIF^(1/(2·df))"),
        "the regression section"
    );
}

#[test]
fn a_regression_the_data_cannot_support_skips_its_stage_with_the_reason() {
    // A branch code on every row: more levels than the battery codes.
    let dir = tempfile::tempdir().unwrap();
    let source =
        std::fs::read_to_string(common::root().join("tests/golden/validation/german_pd_baseline.csv"))
            .unwrap();
    let mut lines = source.lines();
    let mut text = format!("{},branch\n", lines.next().unwrap());
    for (i, line) in lines.enumerate() {
        text.push_str(&format!("{line},b{i}\n"));
    }
    let data = dir.path().join("branches.csv");
    std::fs::write(&data, text).unwrap();
    let spec = dir.path().join("audit.toml");
    std::fs::write(
        &spec,
        format!(
            "[data]\ndevelopment = \"{}\"\ntarget = \"default\"\nexclude = [\"challenger\", \"grade\"]\n\
             [model]\nteacher = \"column:pd\"\n\
             [stages]\nregression = \"always\"\nexplanation = false\ncomparison = false\n",
            data.display()
        ),
    )
    .unwrap();
    let out = dir.path().join("report");
    let run = audit(&spec, &out);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    assert!(json["regression"].is_null());
    let reason = json["skipped"]["regression"].as_str().unwrap();
    assert!(reason.contains("'branch' is categorical with 500 levels"), "{reason}");
}

/// What is left of the current PD file's outcomes.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Outcomes {
    /// The `default` column taken out.
    Absent,
    /// Every cell of it emptied.
    Empty,
    /// Every other row's emptied (outcomes not matured yet).
    Half,
}

/// The current PD file with its outcomes cut as `outcomes` says, and without its grade column
/// where no outcome is left.
fn current_without(dir: &Path, outcomes: Outcomes) -> std::path::PathBuf {
    let text = std::fs::read_to_string(common::root().join("tests/golden/validation/german_pd_current.csv"))
        .unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let (at, grade) = (
        header.iter().position(|c| *c == "default").unwrap(),
        header.iter().position(|c| *c == "grade").unwrap(),
    );
    let edit = |i: usize, line: &str| -> String {
        let mut cells: Vec<&str> = line.split(',').collect();
        match outcomes {
            Outcomes::Empty => cells[at] = "",
            Outcomes::Half if i % 2 == 1 => cells[at] = "",
            _ => {}
        }
        if outcomes != Outcomes::Half {
            // Without outcomes the grade is not read either.
            cells.remove(grade);
        }
        if outcomes == Outcomes::Absent {
            cells.remove(at);
        }
        cells.join(",") + "\n"
    };
    let out: String = std::iter::once(edit(0, &header.join(",")))
        .chain(lines.enumerate().map(|(i, l)| edit(i, l)))
        .collect();
    let path = dir.join(format!("{outcomes:?}.csv"));
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn a_current_sample_with_some_or_no_outcomes_is_audited_for_drift_and_where_known_for_performance() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(dir.path(), "[stages]\nexplanation = false\ncomparison = false\n");
    let labelled = dir.path().join("labelled");
    assert!(audit(&spec, &labelled).status.success());
    let read = |out: &Path| -> Value {
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap()
    };
    let with_outcomes = read(&labelled);
    let rows = with_outcomes["data"]["current"]["rows"].as_u64().unwrap();
    for outcomes in [Outcomes::Absent, Outcomes::Empty, Outcomes::Half] {
        let current = current_without(dir.path(), outcomes);
        let out = dir.path().join(format!("report_{outcomes:?}"));
        let run = audit_current(&spec, &current, &out);
        assert!(run.status.success(), "{outcomes:?}: {}", String::from_utf8_lossy(&run.stderr));
        let json = read(&out);
        let profile = &json["data"]["current"];
        assert_eq!(profile["rows"], rows, "{outcomes:?}: every row is scored");
        // The drift is the labelled sample's: the same rows, features and scores.
        assert_eq!(json["data"]["score_drift"], with_outcomes["data"]["score_drift"]);
        assert_eq!(json["data"]["feature_drift"], with_outcomes["data"]["feature_drift"]);
        let keys: Vec<&str> =
            json["findings"].as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
        assert!(keys.contains(&"drift.score"), "{keys:?}");
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        if outcomes == Outcomes::Half {
            let known = rows / 2;
            assert_eq!(profile["rows_with_outcome"], known);
            assert_eq!(json["performance"]["current"]["n"], known, "measured on the known rows");
            assert!(json["performance"]["auroc_change"].is_object());
            assert!(json["performance"].get("current_not_measured").is_none());
            assert!(
                html.contains(&format!("{known} of its {rows} rows have a known outcome")),
                "the data section"
            );
        } else {
            assert!(profile["outcome_mean"].is_null() && profile["rows_with_outcome"] == 0);
            assert!(
                json["performance"]["current"].is_null() && json["performance"]["auroc_change"].is_null()
            );
            assert!(json["performance"]["development"]["discrimination"].is_object());
            assert!(
                json["performance"]["current_not_measured"].as_str().unwrap().contains("no outcome is known")
            );
            assert!(
                !keys.iter().any(|k| k.starts_with("performance") && k.ends_with(".current")),
                "{keys:?}"
            );
            let finding =
                json["findings"].as_array().unwrap().iter().find(|f| f["key"] == "performance.not_measured");
            assert_eq!(finding.expect("a finding says so")["severity"], "amber");
            let stdout = String::from_utf8_lossy(&run.stdout);
            assert!(stdout.contains("Performance on the current sample not measured"), "{stdout}");
            assert!(html.contains("No outcome of the current sample is known"), "the data section");
        }
    }
    // Outcomes without the grade column: measured, with the per-grade tests reported as not run.
    let partly = std::fs::read_to_string(current_without(dir.path(), Outcomes::Half)).unwrap();
    let ungraded: String = partly.lines().map(|l| format!("{}\n", l.rsplit_once(',').unwrap().0)).collect();
    assert!(ungraded.starts_with("duration_in_month") && !ungraded.lines().next().unwrap().contains("grade"));
    let path = dir.path().join("ungraded.csv");
    std::fs::write(&path, ungraded).unwrap();
    let out = dir.path().join("ungraded");
    let run = audit_current(&spec, &path, &out);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let json = read(&out);
    let current = &json["performance"]["current"];
    assert!(current["discrimination"].is_object() && current["grades"].is_null());
    assert!(current["grades_skipped"].as_str().unwrap().contains("has no column 'grade'"), "{current}");
    let finding =
        json["findings"].as_array().unwrap().iter().find(|f| f["key"] == "performance.grades.current");
    assert_eq!(finding.expect("a finding says so")["severity"], "amber");
    assert!(json["performance"]["development"]["grades"].is_array(), "the development sample's stand");
    // Its outcomes are coded as the development sample's: a new class is refused, naming the
    // file, the line and the column (a missing feature: the test above; a new level: the test
    // below).
    let partly = std::fs::read_to_string(current_without(dir.path(), Outcomes::Half)).unwrap();
    // Line 2 keeps its outcome in the Half file: its last two cells are the outcome and grade.
    let (header, rest) = partly.split_once('\n').unwrap();
    let (line2, others) = rest.split_once('\n').unwrap();
    let mut cells: Vec<&str> = line2.split(',').collect();
    let at = cells.len() - 2;
    cells[at] = "7";
    let new_class = format!("{header}\n{}\n{others}", cells.join(","));
    let path = dir.path().join("new_class.csv");
    std::fs::write(&path, new_class).unwrap();
    let out = dir.path().join("refused_new_class");
    let run = audit_current(&spec, &path, &out);
    common::assert_exit_2(&run, &["current file", "new_class.csv", "line 2", "'default'", "class '7'"]);
    assert!(!out.exists());
}

#[test]
fn current_rows_with_a_level_the_development_sample_lacks_are_set_aside_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(dir.path(), "[stages]\nexplanation = false\ncomparison = false\n");
    let text = std::fs::read_to_string(common::root().join("tests/golden/validation/german_pd_current.csv"))
        .unwrap();
    // Six rows of housing 'own' become 'boat' (five) and 'castle' (one): 6 of 500 rows, 1.2%.
    let (mut edited, mut lines) = (Vec::new(), Vec::new());
    for (i, line) in text.lines().enumerate() {
        let level = match lines.len() {
            0..5 => "boat",
            5 => "castle",
            _ => "",
        };
        if !level.is_empty() && line.contains(",own,") {
            edited.push(line.replacen(",own,", &format!(",{level},"), 1));
            lines.push(i as u64 + 1);
        } else {
            edited.push(line.to_owned());
        }
    }
    let current = dir.path().join("new_levels.csv");
    std::fs::write(&current, edited.join("\n") + "\n").unwrap();
    let out = dir.path().join("report");
    let run = audit_current(&spec, &current, &out);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    let unseen = &json["data"]["unseen_levels"];
    assert_eq!(unseen["rows"], 6);
    common::close(&unseen["share"], &serde_json::json!(6.0 / 500.0));
    let levels: Vec<(&str, &str, u64, u64)> = unseen["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let text = |k: &str| l[k].as_str().unwrap();
            (text("feature"), text("level"), l["rows"].as_u64().unwrap(), l["first_line"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(levels, [("housing", "boat", 5, lines[0]), ("housing", "castle", 1, lines[5])]);
    // The other rows are scored and measured; the set-aside ones are not dropped rows.
    let profile = &json["data"]["current"];
    assert_eq!((profile["rows"].as_u64(), profile["dropped_rows"].as_u64()), (Some(494), Some(0)));
    assert_eq!((profile["rows_in_file"].as_u64(), profile["rows_set_aside"].as_u64()), (Some(500), Some(6)));
    assert_eq!(json["performance"]["current"]["n"], 494);
    let finding = json["findings"].as_array().unwrap().iter().find(|f| f["key"] == "data.unseen_levels");
    let finding = finding.expect("a finding reports them");
    assert_eq!(finding["severity"], "amber", "1.2% is past the 1% amber bar");
    assert!(finding["detail"].as_str().unwrap().contains("'housing' = 'boat' (5 rows)"), "{finding}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Levels the development sample lacks") && html.contains("castle"));
    // Without them the report has no such section.
    let labelled: Value = {
        let out = dir.path().join("labelled");
        assert!(audit(&spec, &out).status.success());
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap()
    };
    assert!(labelled["data"].get("unseen_levels").is_none());
    assert!(labelled["data"]["current"].get("rows_set_aside").is_none());
    // A file whose every row holds one is refused, naming the first.
    let every: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l}\n")
            } else {
                format!(
                    "{}\n",
                    l.replace(",own,", ",x,").replace(",rent,", ",x,").replace(",for free,", ",x,")
                )
            }
        })
        .collect();
    let all = dir.path().join("all_new.csv");
    std::fs::write(&all, every).unwrap();
    let refused = dir.path().join("refused");
    common::assert_exit_2(
        &audit_current(&spec, &all, &refused),
        &["current file", "all_new.csv", "every row", "line 2", "'housing'", "level 'x'"],
    );
    assert!(!refused.exists());
}

/// The linear predictors of a seeded sample's softmax model, one per class, from its features
/// `x1`, `x2` (uniform on [−2, 2]) and `region` (north, south or west).
type Eta = fn(f64, f64, &str) -> Vec<f64>;

/// The three-class model of the tests: classes a, b and c.
fn three_class_eta(x1: f64, x2: f64, region: &str) -> Vec<f64> {
    vec![0.0, x1 + if region == "west" { 0.8 } else { 0.0 }, 1.5 * x2 - 0.5 * x1]
}

/// [`three_class_eta`] in Python, for a served copy of the model.
const THREE_CLASS_ETA: &str = "[0.0, x1 + (0.8 if region == 'west' else 0.0), 1.5 * x2 - 0.5 * x1]";

/// A sample of the model `eta` over `labels`, with its stored probabilities `p_<label>` and a
/// class drawn from them, seeded.
fn softmax_sample(
    dir: &Path,
    name: &str,
    seed: u64,
    n: usize,
    labels: &[&str],
    eta: Eta,
) -> std::path::PathBuf {
    let mut state = seed;
    let mut uniform = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let columns: Vec<String> = labels.iter().map(|l| format!("p_{l}")).collect();
    let mut text = format!("x1,x2,region,{},class\n", columns.join(","));
    for _ in 0..n {
        let (x1, x2) = (uniform() * 4.0 - 2.0, uniform() * 4.0 - 2.0);
        let region = ["north", "south", "west"][(uniform() * 3.0) as usize % 3];
        let eta = eta(x1, x2, region);
        let total: f64 = eta.iter().map(|e| e.exp()).sum();
        let p: Vec<f64> = eta.iter().map(|e| e.exp() / total).collect();
        let u = uniform();
        let mut cumulative = 0.0;
        let drawn = p.iter().position(|&q| {
            cumulative += q;
            u < cumulative
        });
        let class = labels[drawn.unwrap_or(labels.len() - 1)];
        let p: Vec<String> = p.iter().map(|q| format!("{q:.6}")).collect();
        text += &format!("{x1:.6},{x2:.6},{region},{},{class}\n", p.join(","));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A `cmd:` teacher serving the softmax of `eta` (a Python list of the linear predictors, in
/// `x1`, `x2` and `region`) over kd's line protocol.
fn softmax_server(dir: &Path, eta: &str) -> String {
    let server = dir.join("softmax.py");
    std::fs::write(
        &server,
        format!(
            "import json, math, sys\n\
             for line in sys.stdin:\n\
             \x20   out = []\n\
             \x20   for x1, x2, region in json.loads(line)['rows']:\n\
             \x20       eta = {eta}\n\
             \x20       total = sum(math.exp(e) for e in eta)\n\
             \x20       out.append([math.exp(e) / total for e in eta])\n\
             \x20   print(json.dumps({{'predictions': out}}), flush=True)\n"
        ),
    )
    .unwrap();
    format!("cmd:{} {}", common::python_with_sklearn(), server.display())
}

#[test]
fn a_model_of_three_classes_is_audited_for_one_class_against_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let labels = ["a", "b", "c"];
    let development = softmax_sample(dir.path(), "dev.csv", 7, 600, &labels, three_class_eta);
    let current = softmax_sample(dir.path(), "cur.csv", 8, 300, &labels, three_class_eta);
    let spec = |bad_class: &str| {
        let path = dir.path().join(format!("audit{bad_class}.toml"));
        std::fs::write(
            &path,
            format!(
                "title = \"Three classes\"\n[data]\ndevelopment = \"{}\"\ncurrent = \"{}\"\ntarget = \"class\"\n{bad_class}\n\
                 [model]\nteacher = \"column:p_a,p_b,p_c\"\n[comparison]\nbootstrap = 10\n[gam]\nmax_rounds = 300\nouter_bags = 2\n",
                development.display(),
                current.display()
            ),
        )
        .unwrap();
        path
    };
    let out = dir.path().join("report");
    let run = audit(&spec("bad_class = \"c\""), &out);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    assert_eq!((json["task"].as_str(), json["bad_class"].as_str()), (Some("binary"), Some("c")));
    assert_eq!(json["classes"], serde_json::json!(["a", "b", "c"]));
    // The score is the model's probability of 'c': its mean is the stored p_c's.
    let text = std::fs::read_to_string(&development).unwrap();
    let p_c: Vec<f64> = text.lines().skip(1).map(|l| l.split(',').nth(5).unwrap().parse().unwrap()).collect();
    let mean = p_c.iter().sum::<f64>() / p_c.len() as f64;
    common::close(&json["data"]["development"]["score_mean"], &serde_json::json!(mean));
    // Its outcome is 'c' against the others: the model, which drew the classes, discriminates.
    let auroc = json["performance"]["development"]["discrimination"]["auroc"]["value"].as_f64().unwrap();
    assert!(auroc > 0.7, "AUROC {auroc}");
    // On all three classes: Hand & Till's M and each class against the rest, on both samples;
    // c against the rest is the AUROC just read.
    for sample in ["development", "current"] {
        let every = &json["performance"][sample]["every_class"];
        let m = every["hand_till"].as_f64().unwrap();
        assert!(m > 0.7 && m < 1.0, "{sample}: M {m}");
        assert_eq!(every["one_against_rest"].as_array().unwrap().len(), 3, "{sample}");
        // Better than answering ⅓ for every class (Brier 2/3, log loss ln 3).
        let brier = every["brier"].as_f64().unwrap();
        assert!(brier > 0.0 && brier < 2.0 / 3.0, "{sample}: Brier {brier}");
        assert!(every["log_loss"].as_f64().unwrap() < 3f64.ln(), "{sample}: log loss");
        // The classes were drawn from the model's probabilities: calibrated over all classes.
        let calibration = &every["calibration"];
        let groups = calibration["groups"].as_u64().unwrap_or_else(|| panic!("{sample}: {every}"));
        assert_eq!(calibration["covariance_df"].as_u64(), Some(2 * groups), "{sample}");
        assert!(calibration["covariance_p_value"].as_f64().unwrap() > 0.001, "{sample}: {calibration}");
        assert_eq!(every["reliability"].as_array().unwrap().len(), 3, "{sample}");
        let finding = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == format!("performance.calibration_every_class.{sample}"))
            .unwrap();
        assert_eq!(finding["value"], calibration["covariance_p_value"], "{sample}");
    }
    let c_against_rest =
        json["performance"]["development"]["every_class"]["one_against_rest"][2].as_f64().unwrap();
    assert!((c_against_rest - auroc).abs() < 1e-12, "{c_against_rest} vs {auroc}");
    // A current sample whose class is known on two rows of three: M on those rows alone.
    let text = std::fs::read_to_string(&current).unwrap();
    let mut partial = String::new();
    let (mut y, mut p) = (Vec::new(), Vec::new());
    for (i, line) in text.lines().enumerate() {
        if i == 0 || i % 3 != 0 {
            partial += &format!("{line}\n");
            if i > 0 {
                let cells: Vec<&str> = line.split(',').collect();
                y.push(["a", "b", "c"].iter().position(|c| *c == cells[6]).unwrap());
                p.extend(cells[3..6].iter().map(|v| v.parse::<f64>().unwrap()));
            }
        } else {
            partial += &format!("{},\n", line.rsplit_once(',').unwrap().0);
        }
    }
    let partial_path = dir.path().join("partial.csv");
    std::fs::write(&partial_path, partial).unwrap();
    let out_partial = dir.path().join("partial");
    let run = audit_current(&spec("bad_class = \"c\""), &partial_path, &out_partial);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let partial: Value =
        serde_json::from_str(&std::fs::read_to_string(out_partial.join("audit.json")).unwrap()).unwrap();
    let probs = ndarray::Array2::from_shape_vec((y.len(), 3), p).unwrap();
    let m = kd::core::metrics::auroc_hand_till(&y, probs.view()).unwrap();
    common::close(&partial["performance"]["current"]["every_class"]["hand_till"], &serde_json::json!(m));
    let test = kd::hypotheses::validation::hosmer_lemeshow_multinomial(
        &y,
        probs.view(),
        kd::core::quantile::Binning::r_default(10),
        kd::hypotheses::validation::HlSample::Validation,
    )
    .unwrap();
    let calibration = &partial["performance"]["current"]["every_class"]["calibration"];
    common::close(&calibration["statistic"], &serde_json::json!(test.statistic));
    common::close(&calibration["covariance_statistic"], &serde_json::json!(test.covariance_statistic));
    assert_eq!(partial["performance"]["current"]["n"], y.len());
    assert!(json["explanation"]["gam"]["fidelity"]["r2"]["value"].as_f64().unwrap() > 0.5);
    assert!(json["comparison"]["features"].as_array().unwrap().len() == 3);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("against the model's 2 other classes"), "the summary says what was audited");
    assert!(html.contains("Hand &amp; Till's M") && html.contains("c against the rest"));
    assert!(
        html.contains("Calibration over all classes") && html.contains("Reliability of each class (current)")
    );
    // Without a class named, it is refused, naming the key and the classes.
    let refused = dir.path().join("refused");
    common::assert_exit_2(&audit(&spec(""), &refused), &["data.bad_class", "3 classes (a, b, c)"]);
    assert!(!refused.exists());

    // The same model served over cmd: the Bastani tree queries it as P(c) against the rest, so
    // its second class is 'c' and its class agreement is read against P(c) > ½.
    let served = dir.path().join("served.toml");
    std::fs::write(
        &served,
        format!(
            "[data]\ndevelopment = \"{}\"\ntarget = \"class\"\nbad_class = \"c\"\nexclude = [\"p_a\", \"p_b\", \"p_c\"]\n\
             [model]\nteacher = \"{}\"\n[explanation]\nbastani_samples_per_node = 200\n\
             [stages]\ncomparison = false\n[gam]\nmax_rounds = 300\nouter_bags = 2\n",
            development.display(),
            softmax_server(dir.path(), THREE_CLASS_ETA)
        ),
    )
    .unwrap();
    let out = dir.path().join("served");
    let run = audit(&served, &out);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    let served_mean = json["data"]["development"]["score_mean"].as_f64().unwrap();
    assert!((served_mean - mean).abs() < 1e-6, "P(c) as stored to 6 decimals: {served_mean} vs {mean}");
    let bastani = &json["explanation"]["bastani"];
    let agreement = bastani["fidelity"]["agreement"]["value"].as_f64().unwrap();
    assert!(agreement > 0.85, "the tree's P(c) > ½ agrees with the model's: {agreement}");
    let root = bastani["tree"]["nodes"][0]["value"].as_array().unwrap();
    assert_eq!(root.len(), 2, "a tree of 'c' against the rest: {root:?}");

    // A class named for a regression target is refused by name.
    let regression = dir.path().join("regression.toml");
    std::fs::write(
        &regression,
        format!(
            "[data]\ndevelopment = \"{}\"\ntarget = \"x1\"\nbad_class = \"c\"\n[model]\nteacher = \"column:p_a\"\n",
            development.display()
        ),
    )
    .unwrap();
    let refused = dir.path().join("refused_regression");
    common::assert_exit_2(&audit(&regression, &refused), &["data.bad_class", "'x1' is read as values"]);
}

#[test]
fn a_served_model_with_the_bad_class_first_is_drawn_with_the_bad_share_second() {
    // Two classes whose labels sort the bad one first (as German credit's do): the Bastani tree
    // must still split on, and hold second, the bad class's share, which is P(bad) > ½ on about
    // a fifth of the rows, not the good class's four fifths.
    fn eta(x1: f64, _x2: f64, region: &str) -> Vec<f64> {
        vec![x1 + if region == "west" { 0.8 } else { 0.0 } - 1.5, 0.0]
    }
    let dir = tempfile::tempdir().unwrap();
    let development = softmax_sample(dir.path(), "dev.csv", 11, 600, &["bad", "good"], eta);
    let spec = dir.path().join("served.toml");
    std::fs::write(
        &spec,
        format!(
            "[data]\ndevelopment = \"{}\"\ntarget = \"class\"\nbad_class = \"bad\"\nexclude = [\"p_bad\", \"p_good\"]\n\
             [model]\nteacher = \"{}\"\n[explanation]\nbastani_samples_per_node = 200\n\
             [stages]\ncomparison = false\n[gam]\nmax_rounds = 300\nouter_bags = 2\n",
            development.display(),
            softmax_server(dir.path(), "[x1 + (0.8 if region == 'west' else 0.0) - 1.5, 0.0]")
        ),
    )
    .unwrap();
    let out = dir.path().join("served");
    let run = audit(&spec, &out);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    assert_eq!(json["bad_class"], "bad");
    assert!(
        json["performance"]["development"].get("every_class").is_none(),
        "two classes: the AUROC says it all"
    );
    let text = std::fs::read_to_string(&development).unwrap();
    let p_bad: Vec<f64> =
        text.lines().skip(1).map(|l| l.split(',').nth(3).unwrap().parse().unwrap()).collect();
    let flagged = p_bad.iter().filter(|&&p| p > 0.5).count() as f64 / p_bad.len() as f64;
    let bastani = &json["explanation"]["bastani"];
    let root = bastani["tree"]["nodes"][0]["value"].as_array().unwrap();
    let share = root[1].as_f64().unwrap();
    assert!((share - flagged).abs() < 0.1, "the root's second share {share} is P(bad) > ½'s {flagged}");
    let agreement = bastani["fidelity"]["agreement"]["value"].as_f64().unwrap();
    assert!(agreement > 0.85, "the tree's bad share > ½ agrees with P(bad) > ½: {agreement}");
}

#[test]
fn a_target_of_few_whole_values_is_read_as_values_where_the_spec_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // A regression model of a target of few whole values: read as classes unless the spec says
    // values (data.target_kind).
    let rated = dir.path().join("rated.csv");
    let rows: String = (0..200)
        .map(|i| format!("{},{},{}\n", i % 17, 1 + i % 4, 0.9 + (i % 4) as f64 + 0.01 * (i % 17) as f64))
        .collect();
    std::fs::write(&rated, format!("x,rating,predicted\n{rows}")).unwrap();
    let rating_spec = |kind: &str| {
        let path = dir.path().join(format!("rating{}.toml", kind.len()));
        std::fs::write(
            &path,
            format!(
                "[data]\ndevelopment = \"{}\"\ntarget = \"rating\"\n{kind}\n[model]\nteacher = \"column:predicted\"\n\
                 [stages]\nexplanation = false\ncomparison = false\n",
                rated.display()
            ),
        )
        .unwrap();
        path
    };
    let refused = dir.path().join("refused_rating");
    common::assert_exit_2(
        &audit(&rating_spec(""), &refused),
        &["4 classes (1, 2, 3, 4)", "target_kind = \"values\""],
    );
    let out = dir.path().join("rating");
    let run = audit(&rating_spec("target_kind = \"values\""), &out);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    assert_eq!(json["task"], "regression");
    assert!(json["performance"]["development"]["accuracy"]["r2"].as_f64().unwrap() > 0.9);
    assert_eq!(json["provenance"]["spec"]["data"]["target_kind"], "values");
}

#[test]
fn an_unknown_key_is_refused_naming_it_and_no_report_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(dir.path(), "\n[explanation]\ntree_depth = 3\n");
    let out = dir.path().join("report");
    common::assert_exit_2(&audit(&spec, &out), &["tree_depth", "audit.toml"]);
    assert!(!out.exists());
}

#[test]
fn a_missing_file_a_missing_target_and_a_foreign_folder_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(dir.path(), "");
    let out = dir.path().join("report");
    let missing = audit_current(&spec, Path::new("no/such.csv"), &out);
    common::assert_exit_2(&missing, &["no/such.csv"]);
    // A current sample that lacks a feature is refused naming the file and the column.
    let no_feature = dir.path().join("no_feature.csv");
    let text = std::fs::read_to_string(common::root().join("tests/golden/validation/german_pd_current.csv"))
        .unwrap();
    std::fs::write(&no_feature, text.replacen("age_in_years", "age", 1)).unwrap();
    let out_feature = audit_current(&spec, &no_feature, &out);
    common::assert_exit_2(&out_feature, &["no_feature.csv", "age_in_years"]);
    assert!(!out.exists());
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(notes.join("mine.txt"), "keep").unwrap();
    common::assert_exit_2(&audit(&spec, &notes), &["holds no audit.json"]);
    assert_eq!(std::fs::read_dir(&notes).unwrap().count(), 1);
}

#[test]
fn a_teacher_that_fails_mid_run_names_the_stage_and_leaves_no_report() {
    let dir = tempfile::tempdir().unwrap();
    // Answers four requests (the development and current rows in batches of 250), then dies
    // while the Bastani tree queries it.
    let script = dir.path().join("dies.py");
    std::fs::write(
        &script,
        "import json, sys\nfor k, line in enumerate(sys.stdin):\n    if k == 4:\n        sys.exit(3)\n    rows = json.loads(line)['rows']\n    p = [min(0.95, max(0.05, r[0] / 60.0)) for r in rows]\n    print(json.dumps({'predictions': [[1 - q, q] for q in p]}), flush=True)\n",
    )
    .unwrap();
    let extra = "\n[explanation]\nbastani_samples_per_node = 50\n";
    let spec = spec(dir.path(), extra);
    let text = std::fs::read_to_string(&spec).unwrap().replace(
        "teacher = \"column:pd\"",
        &format!("teacher = \"cmd:python3 {}\"\nbatch_size = 250", script.display()),
    );
    let text = text.replace("exclude = [\"challenger\"]", "exclude = [\"challenger\", \"pd\"]");
    std::fs::write(&spec, text).unwrap();
    let out = dir.path().join("report");
    common::assert_exit_2(&audit(&spec, &out), &["stage 'explanation'", "teacher"]);
    assert!(!out.exists());
}

#[test]
fn names_from_the_data_are_escaped_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let golden =
        std::fs::read_to_string(common::root().join("tests/golden/validation/german_pd_baseline.csv"))
            .unwrap();
    let data = dir.path().join("odd.csv");
    std::fs::write(
        &data,
        golden.replacen("age_in_years", "<script>alert(1)</script>", 1).replace(",own,", ",<b>own</b>,"),
    )
    .unwrap();
    let out = dir.path().join("report");
    let spec = spec(dir.path(), "");
    let run = common::kd(&[
        "audit",
        "--spec",
        spec.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--current",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("<script>") && !html.contains("<b>own"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && html.contains("&lt;b&gt;own&lt;/b&gt;")
    );
}

"""The Python package against the `kd` program on shipped data (German credit): the same
figures and the same student from the same teacher outputs; a scikit-learn pipeline with a
categorical encoder as an in-process teacher; errors as ValueError; SQL in DuckDB.

Run by `cargo xtask test` after `maturin develop` (kd's Python environment, versions pinned
in xtask/python-requirements.txt); the `kd` binary is cargo's debug build (KD_BIN overrides). Figures and predictions agree to 1e-12.
"""

import csv
import hashlib
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

import kd

ROOT = Path(__file__).resolve().parents[3]
KD = os.environ.get("KD_BIN", str(ROOT / "target" / "debug" / "kd"))
CREDIT = ROOT / "data" / "credit" / "german_credit.csv"


@pytest.fixture(scope="module")
def credit():
    frame = pd.read_csv(CREDIT)
    y = frame.pop("creditability")
    categorical = list(frame.select_dtypes(exclude="number").columns)
    encode = ColumnTransformer([("levels", OneHotEncoder(handle_unknown="ignore"), categorical)],
                               remainder="passthrough")
    model = Pipeline([("encode", encode),
                      ("boost", GradientBoostingClassifier(n_estimators=40, max_depth=2, random_state=0))])
    model.fit(frame, y)
    return frame, y, model


def assert_close(ours, theirs, path="", tol=1e-10):
    """Nested JSON values equal, numbers to `tol` (relative and absolute)."""
    if isinstance(theirs, dict):
        assert ours.keys() == theirs.keys(), path
        for key in theirs:
            assert_close(ours[key], theirs[key], f"{path}.{key}", tol)
    elif isinstance(theirs, list):
        assert len(ours) == len(theirs), path
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_close(a, b, f"{path}[{i}]", tol)
    elif isinstance(theirs, float) and isinstance(ours, (int, float)):
        assert math.isclose(ours, theirs, rel_tol=tol, abs_tol=tol), path
    else:
        assert ours == theirs, path


def cli(tmp_path, frame, y, model, *flags):
    """`kd distill` on the same rows with the pipeline's outputs stored as a column teacher."""
    p = model.predict_proba(frame)
    stored = frame.assign(creditability=y, t_bad=p[:, 0], t_good=p[:, 1])
    data = tmp_path / "credit.csv"
    stored.to_csv(data, index=False, float_format="%.17g")
    saved = tmp_path / "cli.json"
    out = subprocess.run([KD, "distill", "--data", str(data), "--target", "creditability",
                          "--teacher", "column:t_bad,t_good", "--format", "json", "--out", str(saved), *flags],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout), kd.from_json(saved.read_text())


@pytest.mark.parametrize("student,options,flags", [
    ("tree", {"max_depth": 4}, ["--student", "tree", "--max-depth", "4"]),
    ("scorecard", {"bad_class": "bad"}, ["--student", "scorecard", "--bad-class", "bad"]),
    ("tree", {"max_depth": 3, "labels": True}, ["--student", "tree", "--max-depth", "3", "--labels"]),
    ("tree", {"ccp_alpha": 0.002, "categorical_splits": "codes"},
     ["--student", "tree", "--ccp-alpha", "0.002", "--categorical-splits", "codes"]),
    ("tree", {"max_bins": 16, "max_depth": 4}, ["--student", "tree", "--max-bins", "16", "--max-depth", "4"]),
    ("scorecard", {"bad_class": "bad", "bins": 10, "pdo": 40, "base_score": 500, "base_odds": 20, "l2": 0.1},
     ["--student", "scorecard", "--bad-class", "bad", "--bins", "10", "--pdo", "40", "--base-score", "500",
      "--base-odds", "20", "--l2", "0.1"]),
])
def test_the_package_gives_the_programs_figures_and_student(tmp_path, credit, student, options, flags):
    frame, y, model = credit
    ours = kd.distill(model, frame, y, student=student, target="creditability", **options)
    theirs, their_student = cli(tmp_path, frame, y, model, *flags)
    for part in ("fidelity",):
        for key, value in theirs[part].items():
            if value is not None:
                assert math.isclose(ours.report[part][key], value, rel_tol=1e-12, abs_tol=1e-12), (part, key)
    for who in ("student", "teacher"):
        for key, value in theirs["performance"][who].items():
            if value is not None:
                assert math.isclose(ours.report["performance"][who][key], value, rel_tol=1e-12), (who, key)
    assert (ours.report["n_train"], ours.report["n_test"]) == (theirs["n_train"], theirs["n_test"])
    assert ours.report["fitted_to"] == theirs["fitted_to"]
    # The same student to the last bits: the `kd` program built with libtorch takes dgemm_ and
    # dpotrf_ from libtorch's own BLAS (loaded before OpenBLAS), which may round the last bit
    # differently from the package's OpenBLAS, so the fits agree to 1e-12, not bit for bit.
    for a, b in zip(ours.predict(frame), their_student.predict(frame), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_a_dict_of_numpy_columns_reaches_the_teacher_as_a_dict_without_its_target():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=300), rng.normal(size=300)
    X = {"a": list(a), "b": list(b), "y": [int(v > 0) for v in a + 0.3 * b]}
    # NumPy's float64 cells are numbers (their repr names their type).
    assert [c["kind"] for c in kd.describe(X)["columns"]] == ["numeric"] * 3
    seen = []

    def teacher(part):
        seen.append(sorted(part))
        p = 1 / (1 + np.exp(-3 * np.asarray(part["a"])))
        return np.column_stack([1 - p, p])

    student = kd.distill(teacher, X, target="y", student="tree", max_depth=2, batch_size=100)
    assert seen == [["a", "b"]] * 3, "three batches of the two features"
    assert student.report["n_train"] + student.report["n_test"] == 300
    assert student.report["fidelity"]["agreement"] > 0.9


def test_a_test_frame_is_held_out_as_the_programs_test_file(tmp_path, credit):
    frame, y, model = credit
    p = model.predict_proba(frame)
    stored = frame.assign(creditability=y, t_bad=p[:, 0], t_good=p[:, 1])
    train, test = stored.iloc[np.arange(1000) % 4 != 0], stored.iloc[::4]
    # Held-out rows whose levels the training rows have (a new level is refused, as below),
    # without the first purpose, so that their own level codes differ from the training rows'.
    categorical = frame.select_dtypes(exclude="number").columns
    test = test[np.all([test[c].isin(set(train[c])) for c in categorical], axis=0)]
    test = test[test.purpose != sorted(train.purpose.unique())[0]]
    files = {}
    for name, part in (("train", train), ("test", test)):
        files[name] = tmp_path / f"{name}.csv"
        part.to_csv(files[name], index=False, float_format="%.17g")
    out = subprocess.run([KD, "distill", "--data", str(files["train"]), "--test", str(files["test"]),
                          "--target", "creditability", "--teacher", "column:t_bad,t_good", "--student", "tree",
                          "--max-depth", "4", "--format", "json"], capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    X, X_test = train[frame.columns], test[frame.columns]
    ours = kd.distill(model, X, train.creditability, student="tree", target="creditability", max_depth=4,
                      test=(X_test, test.creditability)).report
    assert (ours["n_train"], ours["n_test"]) == (theirs["n_train"], theirs["n_test"]) == (750, len(test))
    assert len(test) > 150
    for part in ("fidelity", "performance"):
        assert_close(ours[part], theirs[part], part, tol=1e-12)
    # A frame holding the target column works as well; a level the training rows lack is refused.
    held = X_test.assign(creditability=test.creditability)
    same = kd.distill(model, X, train.creditability, student="tree", target="creditability", max_depth=4,
                      test=held).report
    assert same["performance"] == ours["performance"]
    # Both frames are checked before the teacher is asked.

    def never(rows):
        raise AssertionError("the teacher was asked before the test frame was checked")

    with pytest.raises(ValueError, match="test frame.*no such purpose"):
        kd.distill(never, X, train.creditability, target="creditability",
                   test=held.assign(purpose="no such purpose"))
    with pytest.raises(ValueError, match="invalid test"):
        kd.distill(never, X, train.creditability, target="creditability", test=X_test)


@pytest.mark.parametrize("student,options,flags", [
    ("spline", {"n_splines": 6, "lam": 0.5}, ["--student", "spline", "--n-splines", "6", "--lam", "0.5"]),
    ("gam", {"monotone": ["duration_in_month:-1"], "outer_bags": 2, "max_rounds": 300},
     ["--student", "gam", "--monotone", "duration_in_month:-1", "--outer-bags", "2", "--max-rounds", "300"]),
    ("logistic", {"scorecard": 4, "pdo": 30, "base_score": 700},
     ["--student", "logistic", "--scorecard", "4", "--pdo", "30", "--base-score", "700"]),
])
def test_the_spline_a_monotone_gam_and_a_points_table_are_the_programs(tmp_path, credit, student, options, flags):
    frame, y, model = credit
    numeric = frame.select_dtypes("number")
    teacher = lambda rows: model.predict_proba(frame.loc[rows.index])
    ours = kd.distill(teacher, numeric, y, student=student, target="creditability", **options)
    p = model.predict_proba(frame)
    stored = numeric.assign(creditability=y, t_bad=p[:, 0], t_good=p[:, 1])
    data = tmp_path / "numeric.csv"
    stored.to_csv(data, index=False, float_format="%.17g")
    saved = tmp_path / "cli.json"
    subprocess.run([KD, "distill", "--data", str(data), "--target", "creditability", "--teacher",
                    "column:t_bad,t_good", "--out", str(saved), *flags], capture_output=True, check=True)
    theirs = kd.from_json(saved.read_text())
    for a, b in zip(ours.predict(numeric), theirs.predict(numeric), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    if student == "logistic":
        ours_table, their_table = ours.points_table(), theirs.points_table()
        assert len(ours_table) == len(their_table) > numeric.shape[1]  # up to 4 bins a feature, ties merged
        for a, b in zip(ours_table, their_table, strict=True):
            assert (a["feature"], a["lower"], a["upper"]) == (b["feature"], b["lower"], b["upper"])
            assert math.isclose(a["points"], b["points"], rel_tol=1e-9, abs_tol=1e-9)
    # A value of the wrong type is refused by name, even where the student asked for does not read it.
    with pytest.raises(ValueError, match='invalid n_splines: "six" is not a whole number'):
        kd.distill(teacher, numeric, y, student="tree", target="creditability", n_splines="six")


def test_a_tree_and_a_gam_draw_themselves_as_the_audit_report_does(credit):
    frame, y, model = credit
    tree = kd.distill(model, frame, y, student="tree", target="creditability", max_depth=2)
    page = tree._repr_html_()
    # One box per node (a binary tree of depth 2 that splits everywhere has 7), each leaf
    # worded by the second class's probability, the text behind a fold.
    assert page.count("<rect") == 2 * tree.explain().count("class:") - 1
    assert "P(good)" in page and "status_of_existing_checking_account" in page
    assert "<details><summary>as text</summary>" in page
    gam = kd.distill(model, frame, y, student="gam", target="creditability")
    page = gam._repr_html_()
    # One shape function per feature, on the log-odds of the second class.
    assert page.count("<h4>") == len(gam.features)
    assert "log-odds of 'good'" in page
    card = kd.distill(model, frame, y, student="scorecard", target="creditability", bad_class="bad")
    assert "<svg" not in card._repr_html_()


def test_a_scorecard_explains_itself_scores_with_reasons_and_runs_in_duckdb(credit):
    frame, y, model = credit
    card = kd.distill(model, frame, y, student="scorecard", target="creditability", bad_class="bad")
    assert "<table>" in card._repr_html_() and "points" in card._repr_html_()
    scored = card.predict_frame(frame.head(5), reasons=2)
    assert list(scored.columns) == ["p_bad", "p_good", "score", "reason_1", "reason_2"]
    assert all(r.endswith("below the best") for r in scored["reason_1"] if r)
    back = kd.Student.from_json(card.to_json())
    assert back.predict(frame) == card.predict(frame)

    db = duckdb.connect()
    db.register("frame", frame)
    db.execute("CREATE TABLE loans AS SELECT * FROM frame")
    sql = card.to_sql(dialect="duckdb", table="loans").strip().rstrip(";")
    got = db.execute(f"SELECT p_bad, score FROM ({sql})").fetchall()
    want = card.predict(frame)
    assert max(abs(g[0] - w[0]) for g, w in zip(got, want)) < 1e-12
    assert max(abs(g[1] - w[2]) for g, w in zip(got, want)) < 1e-9


def test_a_model_that_takes_holes_distils_into_a_tree_and_a_gam_that_score_them(credit):
    from sklearn.ensemble import HistGradientBoostingClassifier

    frame, y, _ = credit
    holes = frame.copy()
    holes.loc[holes.index % 7 == 0, "duration_in_month"] = np.nan
    holes.loc[holes.index % 11 == 3, "status_of_existing_checking_account"] = None
    model = HistGradientBoostingClassifier(max_iter=60, categorical_features="from_dtype", random_state=0)
    model.fit(holes.astype({c: "category" for c in holes.select_dtypes(exclude="number").columns}), y)
    teacher = lambda X: model.predict_proba(X.astype({c: "category" for c in X.select_dtypes(exclude="number").columns}))
    with pytest.raises(ValueError, match="missing"):
        kd.distill(teacher, holes, y, student="tree", target="creditability", max_depth=4)
    tree = kd.distill(teacher, holes, y, student="tree", target="creditability", max_depth=4, missing="bin")
    scored = tree.predict(holes)
    assert len(scored) == len(holes) and all(math.isfinite(p) for row in scored for p in row)
    assert "missing" in tree.explain()
    # Where the tree sends a hole, its SQL sends a NULL.
    db = duckdb.connect()
    db.register("frame", holes)
    db.execute("CREATE TABLE loans AS SELECT * FROM frame")
    sql = tree.to_sql(dialect="duckdb", table="loans").strip().rstrip(";")
    got = db.execute(f"SELECT p_good FROM ({sql})").fetchall()
    assert max(abs(g[0] - w[1]) for g, w in zip(got, scored, strict=True)) < 1e-12
    # A boosted GAM: a missing-value bin per feature with holes, in its SQL as IS NULL.
    gam = kd.distill(teacher, holes, y, student="gam", target="creditability", outer_bags=2, missing="bin")
    scored = gam.predict(holes)
    assert gam.explain().count("\n  missing ") == 2
    assert gam._repr_html_().count("missing values (not on the axis)") == 2
    sql = gam.to_sql(dialect="duckdb", table="loans").strip().rstrip(";")
    got = db.execute(f"SELECT p_good FROM ({sql})").fetchall()
    assert max(abs(g[0] - w[1]) for g, w in zip(got, scored, strict=True)) < 1e-12


def test_a_function_of_a_numpy_array_is_a_teacher_and_contributions_add_up():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    y = (x[:, 0] + 0.5 * x[:, 1] + rng.normal(size=400) > 0).astype(int)
    teacher = lambda rows: 1.0 / (1.0 + np.exp(-(1.5 * rows[:, 0] + 0.7 * rows[:, 1])))
    student = kd.distill(teacher, x, y, student="logistic", batch_size=64)
    c = student.contributions(x[:5])
    for row, p in zip(c["values"], student.predict(x[:5])):
        eta = c["intercept"][0] + sum(row[0])
        assert math.isclose(1.0 / (1.0 + math.exp(-eta)), p[1], rel_tol=1e-12)
    assert student.report["fidelity"]["r2"] > 0.9
    # A label given as a number names the class whose cells read so (0 here), as kd reads y.
    for label in (0, 0.0):
        card = kd.distill(teacher, x, y, student="scorecard", bad_class=label)
        assert json.loads(card.to_json())["student"]["params"]["bad_class"] == 0


def test_kd_errors_are_value_errors_naming_the_row_and_column(credit):
    frame, y, model = credit
    tree = kd.distill(model, frame, y, student="tree", target="creditability", max_depth=3)
    changed = frame.head(3).copy()
    changed.loc[changed.index[1], "purpose"] = "spaceship"
    with pytest.raises(ValueError, match=r"line 2, column 'purpose'.*spaceship"):
        tree.predict(changed)
    with pytest.raises(ValueError, match="invalid student"):
        kd.distill(model, frame, y, student="forest", target="creditability")


def test_a_categorical_column_is_treatment_coded_as_the_program_codes_it():
    grunfeld = ROOT / "data" / "statsmodels" / "grunfeld.csv"
    mine = kd.hypotheses(pd.read_csv(grunfeld).drop(columns=["year"]), target="invest").to_dict()
    out = subprocess.run([KD, "hypotheses", "--data", str(grunfeld), "--target", "invest",
                          "--features", "value,capital,firm", "--format", "json"],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    assert mine["categorical"] == theirs["categorical"]
    assert mine["categorical"][0]["reference"] == "American Steel"
    assert list(mine["params"]) == list(theirs["params"]) and "firm[T.US Steel]" in mine["params"]
    for name, value in theirs["params"].items():
        assert math.isclose(mine["params"][name], value, rel_tol=1e-12)


def test_the_regression_battery_gives_the_programs_figures():
    longley = pd.read_csv(ROOT / "data" / "statsmodels" / "longley.csv").drop(columns=["Obs"])
    ours = kd.hypotheses(longley, target="TOTEMP", break_at=8, lags=2)
    out = subprocess.run([KD, "hypotheses", "--data", str(ROOT / "data" / "statsmodels" / "longley.csv"),
                          "--target", "TOTEMP", "--features", "GNPDEFL,GNP,UNEMP,ARMED,POP,YEAR",
                          "--break-at", "8", "--lags", "2", "--format", "json"],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    mine = ours.to_dict()
    assert mine["tests"].keys() == theirs["tests"].keys() and "chow" in mine["tests"]
    for key, row in theirs["tests"].items():
        for field in ("statistic", "p_value"):
            assert math.isclose(mine["tests"][key][field], row[field], rel_tol=1e-12, abs_tol=1e-15), (key, field)
        assert mine["tests"][key]["reject"] == row["reject"]
    for name, value in theirs["params"].items():
        assert math.isclose(mine["params"][name], value, rel_tol=1e-12)
    frame = ours.to_frame()
    assert set(frame.index) == set(theirs["tests"]) and {"assumption", "p_value", "reject"} <= set(frame.columns)
    assert set(ours.rejected) == {k for k, r in theirs["tests"].items() if r["reject"]}
    # The influence summary: the same rows, each named by its row number in the frame (the
    # file's line less its header).
    for part in ("influential", "outliers"):
        assert [(r["row"], r["line"] + 1) for r in mine["influence"][part]] == \
            [(r["row"], r["line"]) for r in theirs["influence"][part]]
    assert math.isclose(mine["influence"]["max_leverage"], theirs["influence"]["max_leverage"], rel_tol=1e-12)
    # Every other flag of the program, by its name.
    flags = {"breusch_pagan": "original", "breusch_godfrey": "f", "dw_alternative": "two-sided",
             "dw_method": "exact", "gq_alternative": "less", "gq_drop": 0.2, "rainbow_fraction": 0.4,
             "rainbow_center": 0.6, "rainbow_rows": "r", "reset_powers": [2, 3, 4], "reset_type": "regressor",
             "influence": "all"}
    argv = [f for k, v in flags.items()
            for f in (f"--{k.replace('_', '-')}", ",".join(map(str, v)) if isinstance(v, list) else str(v))]
    out = subprocess.run([KD, "hypotheses", "--data", str(ROOT / "data" / "statsmodels" / "longley.csv"),
                          "--target", "TOTEMP", "--features", "GNPDEFL,GNP,UNEMP,ARMED,POP,YEAR", *argv,
                          "--format", "json"], capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    mine = kd.hypotheses(longley, target="TOTEMP", **flags).to_dict()
    assert mine["tests"].keys() == theirs["tests"].keys()
    for key, row in theirs["tests"].items():
        for field in ("statistic", "p_value"):
            assert math.isclose(mine["tests"][key][field], row[field], rel_tol=1e-12, abs_tol=1e-15), (key, field)
    assert_close(mine["influence_measures"], theirs["influence_measures"])
    assert mine["influence_lines"] == [line - 1 for line in theirs["influence_lines"]]
    with pytest.raises(ValueError, match=r"invalid breusch_pagan: 'robust' \(koenker, original\)"):
        kd.hypotheses(longley, target="TOTEMP", breusch_pagan="robust")


def test_a_misspelt_keyword_is_refused_by_name(credit):
    frame, y, model = credit
    with pytest.raises(ValueError, match="invalid keyword argument 'max_dept'"):
        kd.distill(model, frame, y, student="tree", target="creditability", max_dept=3)
    with pytest.raises(ValueError, match=r"invalid categorical_splits: 'sets' \(native or codes\)"):
        kd.distill(model, frame, y, student="tree", target="creditability", categorical_splits="sets")
    with pytest.raises(ValueError, match="invalid ccp_alpha"):
        kd.distill(model, frame, y, student="tree", target="creditability", ccp_alpha=-1)
    with pytest.raises(ValueError, match="'ugly' is not a label of the target"):
        kd.distill(model, frame, y, student="scorecard", target="creditability", bad_class="ugly")
    longley = pd.read_csv(ROOT / "data" / "statsmodels" / "longley.csv")
    with pytest.raises(ValueError, match="invalid keyword argument 'alfa'"):
        kd.hypotheses(longley, target="TOTEMP", alfa=0.1)
    with pytest.raises(ValueError, match="invalid lags"):
        kd.hypotheses(longley, target="TOTEMP", lags=-1)
    with pytest.raises(ValueError, match="'id' is categorical with 1000 levels; the regression battery codes at most 100"):
        kd.hypotheses(frame.assign(amount=y.eq("bad").astype(float), id=[f"c{i}" for i in range(len(frame))]),
                      target="amount")


def _without_times(doc):
    """An audit's document without its times, nor whether its kd had libtorch (the program
    under test may; the package never has)."""
    for key in ("started", "finished", "seconds", "stages", "torch"):
        doc["provenance"].pop(key, None)
    return doc


def test_a_frame_is_described_as_the_program_describes_its_file():
    path = ROOT / "data" / "text" / "sms_spam.csv"
    out = subprocess.run([KD, "describe", "--data", str(path), "--format", "json"],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    ours = kd.describe(pd.read_csv(path, dtype=str, keep_default_na=False))
    assert [c["kind"] for c in ours["columns"]] == ["categorical", "text"]
    assert ours["file"] == "data frame"
    for doc in (theirs, ours):
        doc.pop("file")
    assert ours == theirs
    label = kd.describe(pd.read_csv(path, dtype=str, keep_default_na=False), text="label")["columns"][0]
    assert label["kind"] == "text" and label["text"]["documents"] == theirs["n_rows"]


def test_an_audit_gives_the_programs_report_and_refuses_an_unknown_key(tmp_path):
    golden = ROOT / "tests" / "golden" / "validation"
    spec = tmp_path / "audit.toml"
    example = (ROOT / "examples" / "audit" / "stored_pd.toml").read_text()
    spec.write_text(example.replace('"tests/', f'"{ROOT}/tests/') + '''
[stages]
novelty = false  # the package has no libtorch; the program may
''')
    subprocess.run([KD, "audit", "--spec", str(spec), "--seed", "3", "--out", str(tmp_path / "cli")],
                   capture_output=True, text=True, check=True)
    theirs = json.loads((tmp_path / "cli" / "audit.json").read_text())
    ours = kd.audit(spec, seed=3, out=tmp_path / "py")
    assert ours.to_dict()["provenance"]["torch"] is False
    assert _without_times(ours.to_dict()) == _without_times(theirs)
    written = json.loads((tmp_path / "py" / "audit.json").read_text())
    assert _without_times(written) == _without_times(theirs)
    frame = ours.to_frame()
    assert list(frame.index) == [f["id"] for f in theirs["findings"]]
    assert sum(ours.tally.values()) == len(frame)
    assert "<table>" in ours._repr_html_()
    # The same samples as data frames give the same report, which names the frames and
    # fingerprints their cells written as CSV.
    samples = {role: golden / f"german_pd_{name}.csv" for role, name in (("development", "baseline"), ("current", "current"))}
    frames = {role: pd.read_csv(path, dtype=str, keep_default_na=False) for role, path in samples.items()}
    framed = kd.audit(spec, seed=3, **frames).to_dict()
    inputs = framed["provenance"].pop("inputs")
    for given, (role, frame) in zip(inputs, frames.items()):
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows([list(frame.columns)] + frame.values.tolist())
        digest = hashlib.sha256(text.getvalue().encode()).hexdigest()
        assert given == {"role": role, "path": f"<{role} frame>", "sha256": digest, "bytes": len(text.getvalue().encode())}
    named = json.dumps(_without_times(theirs))
    for role, path in samples.items():
        named = named.replace(json.dumps(str(path))[1:-1], f"<{role} frame>")
    named = json.loads(named)
    named["provenance"].pop("inputs")
    assert _without_times(framed) == named
    holed = frames["current"].copy()
    holed.loc[1, "age_in_years"] = ""
    with pytest.raises(ValueError, match="<current frame>.*line 2.*'age_in_years'"):
        kd.audit(spec, seed=3, current=holed)
    # An outcome not known yet leaves its row out of the current performance only.
    unmatured = frames["current"].copy()
    unmatured.loc[1, "default"] = ""
    partial = kd.audit(spec, seed=3, current=unmatured).to_dict()
    assert partial["data"]["current"]["rows_with_outcome"] == len(unmatured) - 1
    assert partial["performance"]["current"]["n"] == len(unmatured) - 1
    # A current frame without the outcome (nor the grade): its drift is audited, its
    # performance is not, and a finding says so.
    unknown = kd.audit(spec, seed=3, current=frames["current"].drop(columns=["default", "grade"])).to_dict()
    assert unknown["data"]["current"]["outcome_mean"] is None and unknown["performance"]["current"] is None
    for drift in ("feature_drift", "score_drift"):
        assert unknown["data"][drift] == framed["data"][drift]
    assert "no outcome is known" in unknown["performance"]["current_not_measured"]
    assert any(f["key"] == "performance.not_measured" for f in unknown["findings"])
    # A row with a level the development frame lacks is set aside and reported, as the program does.
    novel = frames["current"].copy()
    novel.loc[0, "housing"] = "boat"
    unseen = kd.audit(spec, seed=3, current=novel).to_dict()
    assert unseen["data"]["unseen_levels"]["levels"] == [{"feature": "housing", "level": "boat", "rows": 1, "first_line": 1}]
    assert unseen["data"]["current"]["rows"] == len(novel) - 1
    assert any(f["key"] == "data.unseen_levels" for f in unseen["findings"])
    with pytest.raises(ValueError, match="unknown field `bootstrp`"):
        kd.audit(spec, comparison={"bootstrp": 5})
    with pytest.raises(ValueError, match="no-such.csv"):
        kd.audit(spec, data={"development": str(tmp_path / "no-such.csv")})


def test_an_audit_asks_a_python_model_in_process_as_the_program_asks_it_over_cmd(tmp_path, credit):
    import joblib

    frame, y, model = credit
    data = tmp_path / "credit.csv"
    frame.assign(creditability=y).to_csv(data, index=False)
    joblib.dump(model, tmp_path / "model.joblib")
    # The same pipeline served over `cmd:`, given DataFrames with the frame's column names.
    server = tmp_path / "serve.py"
    server.write_text(f'''import json, sys, joblib, pandas as pd
model = joblib.load(sys.argv[1])
for line in sys.stdin:
    rows = json.loads(line)["rows"]
    x = pd.DataFrame(rows, columns={list(frame.columns)!r})
    print(json.dumps({{"predictions": model.predict_proba(x).tolist() if rows else []}}), flush=True)
''')
    served = f"{sys.executable} {server} {tmp_path / 'model.joblib'}"
    spec = tmp_path / "audit.toml"
    spec.write_text(f'''title = "German credit"
[data]
development = "{data}"
target = "creditability"
bad_class = "bad"
[model]
teacher = "cmd:{served}"
[explanation]
bastani_samples_per_node = 100
[gam]
max_rounds = 300
outer_bags = 2
[stages]
novelty = false
comparison = false
''')
    subprocess.run([KD, "audit", "--spec", str(spec), "--out", str(tmp_path / "cli")],
                   capture_output=True, text=True, check=True)
    theirs = _without_times(json.loads((tmp_path / "cli" / "audit.json").read_text()))
    ours = _without_times(kd.audit(spec, teacher=model).to_dict())
    assert ours["model"] == "python:Pipeline"
    # The same answers to the same questions, the Bastani tree's drawn points included.
    assert ours["explanation"]["bastani"]["queries"] > len(frame)
    for part in ("performance", "explanation", "findings", "tally"):
        assert ours[part] == theirs[part], part


def test_an_audit_of_three_classes_asks_a_python_model_for_one_class_against_the_others():
    import numpy as np
    import pandas as pd

    def proba(frame):
        a, b = frame["x1"].to_numpy(dtype=float), frame["x2"].to_numpy(dtype=float)
        e = np.exp(np.column_stack([np.zeros(len(a)), a, 1.5 * b - 0.5 * a]))
        return e / e.sum(axis=1, keepdims=True)

    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"x1": rng.uniform(-2, 2, 400), "x2": rng.uniform(-2, 2, 400)})
    p = proba(frame)
    frame["class"] = [["a", "b", "c"][rng.choice(3, p=row)] for row in p]
    report = kd.audit(teacher=proba, development=frame.astype(str), data={"target": "class", "bad_class": "c"},
                      explanation={"bastani_samples_per_node": 200}, gam={"max_rounds": 300, "outer_bags": 2},
                      stages={"novelty": False, "comparison": False}).to_dict()
    assert (report["task"], report["bad_class"], report["classes"]) == ("binary", "c", ["a", "b", "c"])
    assert abs(report["data"]["development"]["score_mean"] - p[:, 2].mean()) < 1e-9
    assert report["explanation"]["bastani"]["fidelity"]["agreement"]["value"] > 0.85
    # On all three classes, as scikit-learn's one-against-one (Hand & Till) and one-against-rest AUROCs.
    every = report["performance"]["development"]["every_class"]
    assert abs(every["hand_till"] - roc_auc_score(frame["class"], p, multi_class="ovo")) < 1e-12
    for k, label in enumerate(["a", "b", "c"]):
        assert abs(every["one_against_rest"][k] - roc_auc_score(frame["class"] == label, p[:, k])) < 1e-12
    assert abs(every["brier"] - brier_score_loss(frame["class"], p)) < 1e-12
    assert abs(every["log_loss"] - log_loss(frame["class"], p)) < 1e-12
    # Fagerland, Hosmer & Bofin's C, as R's generalhoslem computes it: rows in the deciles of
    # 1 - P(a), a row in (c_(j-1), c_j]; per group and class (observed - expected)^2 / expected.
    not_a = 1 - p[:, 0]
    group = np.searchsorted(np.unique(np.quantile(not_a, np.linspace(0, 1, 11)))[1:-1], not_a, side="left")
    y = frame["class"].map({"a": 0, "b": 1, "c": 2}).to_numpy()
    c = 0.0
    for g in np.unique(group):
        observed, expected = np.bincount(y[group == g], minlength=3), p[group == g].sum(axis=0)
        c += ((observed - expected) ** 2 / expected).sum()
    assert abs(every["calibration"]["statistic"] - c) < 1e-9 * c
    assert len(every["reliability"]) == 3


def test_distill_and_compare_gives_the_programs_figures(tmp_path, credit):
    frame, y, model = credit
    # A few columns of 400 rows: two GAMs per resample, in the debug builds the tests use.
    columns = ["duration_in_month", "credit_amount", "purpose"]
    X = frame[columns + ["age_in_years"]].head(400)
    y = y.head(400)
    p = model.predict_proba(frame.head(400))
    stored = X.assign(creditability=y, t_bad=p[:, 0], t_good=p[:, 1])
    data = tmp_path / "credit.csv"
    stored.to_csv(data, index=False, float_format="%.17g")
    out = subprocess.run([KD, "compare", "--data", str(data), "--target", "creditability",
                          "--features", ",".join(columns), "--teacher", "column:t_bad,t_good",
                          "--candidate", "age_in_years", "--bootstrap", "10", "--seed", "2", "--format", "json",
                          "--svg", str(tmp_path / "shapes.svg")],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    # The teacher sees the rows it is asked about (the frame's index picks them out).
    ours = kd.compare(lambda rows: model.predict_proba(frame.loc[rows.index]), X, y, target="creditability",
                      candidates=["age_in_years"], bootstrap=10, seed=2, svg=True)
    assert ours.svg == (tmp_path / "shapes.svg").read_text()
    mine = ours.to_dict()
    for key in ("teacher", "seconds"):
        theirs.pop(key)
    assert [f["name"] for f in mine["features"]] == columns
    assert mine["flagged"] == theirs["flagged"]

    def close(a, b):
        if isinstance(a, dict):
            return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
        if isinstance(a, list):
            return len(a) == len(b) and all(close(u, v) for u, v in zip(a, b))
        if isinstance(a, float) or isinstance(b, float):
            return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
        return a == b

    assert close(mine, theirs)
    assert list(ours.to_frame().index) == columns
    # Bad input is refused before the teacher is asked.

    def never(rows):
        raise AssertionError("the teacher was asked before the input was checked")

    three = np.array(["a", "b", "c"])[np.arange(len(X)) % 3]
    with pytest.raises(ValueError, match=r"invalid class_: .*the target has 3: a, b, c"):
        kd.compare(never, X, three)
    with pytest.raises(ValueError, match="'d' is not a class"):
        kd.compare(never, X, three, class_="d")
    # One class of three against the others: the teacher's probability of it is the score.
    one = kd.compare(lambda rows: np.tile([0.2, 0.3, 0.5], (len(rows), 1)), X[:300], three[:300], class_="c",
                     bootstrap=10).to_dict()
    assert (one["task"], one["class"], one["scale"]) == ("multiclass", "c", "log-odds of class c")
    # The teacher's answer is checked as the program checks it: probabilities that do not sum to 1.
    with pytest.raises(ValueError, match="teacher"):
        kd.compare(lambda rows: np.tile([0.5, 0.6], (len(rows), 1)), X[:300], y[:300], target="creditability")
    with pytest.raises(ValueError, match="invalid bootstrap"):
        kd.compare(never, X, y, target="creditability", bootstrap=5)
    with pytest.raises(ValueError, match="no-such"):
        kd.compare(never, X, y, target="creditability", candidates=["no-such"])


def test_every_extraction_method_gives_the_programs_model_and_figures(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "examples" / "teachers"))
    import joblib
    import sklearn_teacher

    serve = ROOT / "examples" / "teachers" / "sklearn_teacher.py"
    bundle_file = tmp_path / "gb.joblib"
    subprocess.run([sys.executable, str(serve), "--train", str(CREDIT), "--target", "creditability",
                    "--model", "gradient_boosting", "--save", str(bundle_file), "--fit-only"], check=True)
    bundle = joblib.load(bundle_file)
    frame = pd.read_csv(CREDIT)
    model = lambda rows: np.array(sklearn_teacher.predict(bundle, rows.values.tolist()))
    # BETA runs through the same library call (kd_extract::run) but tunes its rule lists for about
    # 100 s per side in a debug build, so it is left to tests/cli_extract.rs.
    for method in ("bastani", "trepan", "born-again", "cart"):
        flags = ["--max-leaves", "4", "--samples-per-node", "200", "--components", "2", "--seed", "1"]
        saved = tmp_path / f"{method}.json"
        out = subprocess.run([KD, "extract", "--data", str(CREDIT), "--target", "creditability", "--method", method,
                              "--teacher", f"cmd:{sys.executable} {serve} --load {bundle_file}", *flags,
                              "--format", "json", "--out", str(saved)],
                             capture_output=True, text=True, check=True)
        theirs = json.loads(out.stdout)
        ours = kd.extract(model, frame, target="creditability", method=method, max_leaves=4,
                          samples_per_node=200, components=2, seed=1)
        for key in ("method", "n_train", "n_test", "n_leaves", "depth", "n_queries", "mixture_components"):
            assert ours.report[key] == theirs[key], (method, key)
        for key in ("fidelity", "accuracy", "teacher_accuracy"):
            assert math.isclose(ours.report[key], theirs[key], rel_tol=1e-12), (method, key)
        if method == "trepan":
            assert isinstance(ours, kd.Extraction)
            assert json.loads(ours.to_json())["model"] == json.loads(saved.read_text())["model"], method
            # kd predict's outputs from the program's file, the package's from its own.
            out = subprocess.run([KD, "predict", "--model", str(saved), "--data", str(CREDIT)],
                                 capture_output=True, text=True, check=True)
            theirs = [[float(v) for v in line.split(",")[1:]] for line in out.stdout.splitlines()[1:]]
            assert out.stdout.startswith("line,p_bad,p_good") and ours.predict(frame) == theirs
            # The rule behind each row, as kd predict --reasons gives it.
            out = subprocess.run([KD, "predict", "--model", str(saved), "--data", str(CREDIT), "--reasons", "1"],
                                 capture_output=True, text=True, check=True)
            rules = pd.read_csv(io.StringIO(out.stdout))["reason_1"].tolist()
            assert ours.predict_frame(frame, reasons=1)["reason_1"].tolist() == rules
            # Its SQL in DuckDB gives the same outputs (row order kept by a row number).
            db = duckdb.connect()
            db.register("frame", frame.assign(kd_row=range(len(frame))))
            db.execute("CREATE TABLE loans AS SELECT * FROM frame")
            sql = ours.to_sql(dialect="duckdb", table="loans").strip().rstrip(";")
            got = db.execute(f"SELECT p_bad, p_good FROM ({sql}) ORDER BY kd_row").fetchall()
            assert max(abs(g - w) for a, b in zip(got, theirs) for g, w in zip(a, b)) < 1e-12
        else:
            their_tree = kd.from_json(saved.read_text())
            assert ours.explain() == their_tree.explain(), method
            assert ours.predict(frame) == their_tree.predict(frame), method
    with pytest.raises(ValueError, match=r"teacher 'python:.*it broke"):
        kd.extract(lambda rows: (_ for _ in ()).throw(RuntimeError("it broke")), frame, target="creditability",
                   max_leaves=4, samples_per_node=200, components=2)
    with pytest.raises(ValueError, match="invalid method"):
        kd.extract(model, frame, target="creditability", method="id3")


def test_a_pd_validation_gives_the_programs_figures():
    current = ROOT / "tests" / "golden" / "validation" / "german_pd_current.csv"
    out = subprocess.run([KD, "validate", "--model", "pd", "--data", str(current), "--score", "pd",
                          "--outcome", "default", "--groups", "8", "--format", "json"],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    ours = kd.validate(pd.read_csv(current), score="pd", outcome="default", groups=8)
    mine = ours.to_dict()
    assert (mine["n_obs"], mine["n_defaults"]) == (theirs["n_obs"], theirs["n_defaults"])
    for section in ("discriminatory_power", "predictive_ability"):
        for name, figure in mine[section].items():
            assert figure == theirs[section][name], (section, name)
    # Defaults as a boolean column: read as 0/1.
    flagged = pd.read_csv(current).assign(default=lambda f: f["default"].eq(1))
    assert flagged["default"].dtype == bool
    assert kd.validate(flagged, score="pd", outcome="default", groups=8).to_dict() == mine
    assert kd.validate(flagged.to_dict("list"), score="pd", outcome="default", groups=8).to_dict() == mine
    # No default (a low-default portfolio): no AUROC, a note saying why; calibration stands.
    none = kd.validate(pd.DataFrame({"pd": [0.01 * k for k in range(1, 13)], "default": [0] * 12}),
                       score="pd", outcome="default")
    assert "holds no defaults (no 1) in the 12 rows validated" in none.to_dict()["discriminatory_power"]["auroc_note"]
    assert "no AUROC" in repr(none) and "jeffreys" in none.to_frame().index
    assert set(ours.to_frame().index) == {"auroc", "gini", "ks", "hosmer_lemeshow", "spiegelhalter", "brier",
                                          "jeffreys"}
    # A current AUROC of 1 (standard error 0) cannot be tested against the initial one: a note,
    # which the frame of figures leaves out.
    perfect = kd.validate(pd.DataFrame({"pd": [0.1, 0.2, 0.3, 0.4, 0.05, 0.5], "default": [0, 0, 1, 1, 0, 1]}),
                          initial_auc=(0.7, 0.02), no_calibration=True)
    assert "standard error is 0" in perfect.to_dict()["discriminatory_power"]["auc_change_note"]
    assert "auc_change_note" not in perfect.to_frame().index
    # The program's options: a challenger, the AUROC at initial validation, the curves.
    out = subprocess.run([KD, "validate", "--model", "pd", "--data", str(current), "--score", "pd",
                          "--outcome", "default", "--groups", "8", "--challenger", "challenger",
                          "--initial-auc", "0.75", "0.02", "--curves", "--format", "json"],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)["discriminatory_power"]
    ours = kd.validate(pd.read_csv(current), groups=8, challenger="challenger", initial_auc=(0.75, 0.02), curves=True)
    for name in ("comparison", "auc_change", "curves"):
        assert ours.to_dict()["discriminatory_power"][name] == theirs[name], name
    assert {"comparison", "auc_change"} <= set(ours.to_frame().index)
    # SAS PROC RANK groups, the development sample's degrees of freedom; no calibration at all.
    for flags, keywords in [(["--binning", "sas-low", "--hl-sample", "development", "--groups", "8"],
                             {"binning": "sas-low", "hl_sample": "development", "groups": 8}),
                            (["--no-calibration"], {"no_calibration": True})]:
        out = subprocess.run([KD, "validate", "--data", str(current), "--score", "pd", "--outcome", "default",
                              *flags, "--format", "json"], capture_output=True, text=True, check=True)
        theirs = json.loads(out.stdout)
        ours = kd.validate(pd.read_csv(current), **keywords).to_dict()
        assert ours.get("predictive_ability") == theirs.get("predictive_ability"), flags
        assert ours["discriminatory_power"] == theirs["discriminatory_power"], flags
    with pytest.raises(ValueError, match="invalid binning: 'type10'"):
        kd.validate(pd.read_csv(current), binning="type10")
    # Graded rows: the per-grade tests, Pluto-Tasche's bounds, the Brier decomposition on the grades.
    graded = ROOT / "tests" / "golden" / "irb_pd" / "taiwan_current.csv.gz"
    order = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC"]
    out = subprocess.run([KD, "validate", "--data", str(graded), "--score", "pd", "--outcome", "default",
                          "--grade", "grade", "--grade-order", ",".join(order), "--rho", "0.15",
                          "--prudence", "0.95", "--format", "json"],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    ours = kd.validate(pd.read_csv(graded), grade="grade", grade_order=order, rho=0.15, prudence=0.95).to_dict()
    assert ours["scale"] == theirs["scale"]
    assert ours["predictive_ability"] == theirs["predictive_ability"]
    assert len(ours["predictive_ability"]["grades"]["rows"]) == len(order)
    # The figures flagged, as the program flags them (grade AAA's binomial test rejects at 5%).
    validation = kd.validate(pd.read_csv(graded), grade="grade", grade_order=order, rho=0.15, prudence=0.95)
    assert validation.flags() == theirs["flags"]
    wanted = {"kind": "rejected", "section": "predictive_ability", "figure": "grades", "title": "Per grade",
              "place": "grade AAA", "field": "binomial_p_value"}
    assert any(wanted.items() <= flag.items() for flag in validation.flags()), validation.flags()
    view = validation._repr_html_()
    assert "kd PD validation" in view and "<td>grade AAA</td><td>binomial p value 0.0041; Jeffreys p value 0.0035</td>" in view, view
    # The page `kd validate --format html` writes, from the same report.
    page = kd.validate(pd.read_csv(graded), grade="grade", grade_order=order, rho=0.15, prudence=0.95).to_html()
    out = subprocess.run([KD, "validate", "--data", str(graded), "--score", "pd", "--outcome", "default",
                          "--grade", "grade", "--grade-order", ",".join(order), "--rho", "0.15",
                          "--prudence", "0.95", "--format", "html"], capture_output=True, text=True, check=True)
    assert page.replace("data frame", str(graded)) == out.stdout
    assert "Pluto–Tasche most prudent bounds" in page and "DeLong, DeLong &amp; Clarke-Pearson" in page
    prudent = ours["predictive_ability"]["pluto_tasche"]
    assert (prudent["confidence"], prudent["rho"]) == (0.95, 0.15)
    # Hundreds of defaults per grade: the shared factor widens every bound.
    assert all(b["upper_bound_correlated"] > b["upper_bound"] for b in prudent["bounds"])
    # Against the sample at initial validation: the stability section.
    development = ROOT / "tests" / "golden" / "irb_pd" / "taiwan_development.csv.gz"
    out = subprocess.run([KD, "validate", "--data", str(graded), "--baseline", str(development), "--score", "pd",
                          "--outcome", "default", "--grade", "grade", "--grade-order", ",".join(order),
                          "--format", "json"],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)["stability"]
    validation = kd.validate(pd.read_csv(graded), grade="grade", grade_order=order,
                             baseline=pd.read_csv(development))
    ours = validation.to_dict()["stability"]
    assert ours["baseline"] == "baseline data frame"
    for name in ("psi", "ks", "csi", "grades"):
        assert ours[name] == theirs[name], name
    assert {"psi", "ks"} <= set(validation.to_frame().index)
    # A bad baseline is refused naming the baseline frame, its line and column.
    broken = pd.read_csv(development)
    broken["grade"] = broken["grade"].where(broken.index != 2, "ZZZ")
    with pytest.raises(ValueError, match=r"baseline data frame, line 3, column 6 \('grade'\): grade 'ZZZ'"):
        kd.validate(pd.read_csv(graded), grade="grade", grade_order=order, baseline=broken)
    with pytest.raises(ValueError, match="baseline data frame: no column named 'pd'"):
        kd.validate(pd.read_csv(graded), baseline=broken.drop(columns=["pd"]))
    frame = pd.read_csv(current)
    frame.loc[3, "default"] = 2
    with pytest.raises(ValueError, match="line 4.*'default'.*2 is not an outcome"):
        kd.validate(frame)


def test_a_pd_validation_gives_the_programs_concentration_and_overrides():
    golden = ROOT / "tests" / "golden" / "irb_pd"
    graded, development = golden / "taiwan_current.csv.gz", golden / "taiwan_development.csv.gz"
    order = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC"]
    out = subprocess.run([KD, "validate", "--data", str(graded), "--baseline", str(development), "--score", "pd",
                          "--outcome", "default", "--grade", "grade", "--grade-order", ",".join(order),
                          "--exposure", "limit", "--format", "json"],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    validation = kd.validate(pd.read_csv(graded), grade="grade", grade_order=order,
                             baseline=pd.read_csv(development), exposure="limit")
    ours = validation.to_dict()
    assert ours["discriminatory_power"] == theirs["discriminatory_power"]  # the change since the baseline's AUROC
    assert "auc_change" in ours["discriminatory_power"]
    assert ours["concentration"] == theirs["concentration"]
    assert ours["concentration"]["exposure"]["test"]["p_value"] > 0
    assert ours["stability"]["csi"] == theirs["stability"]["csi"]
    assert {"obligors", "exposure"} <= set(validation.to_frame().index)
    # Overrides on the synthetic panel: final grades on a numeric scale, then the same as 0/1 flags.
    panel = pd.read_csv(golden / "panel.csv.gz")
    out = subprocess.run([KD, "validate", "--data", str(golden / "panel.csv.gz"), "--score", "pd",
                          "--outcome", "default", "--grade", "grade", "--override", "final_grade",
                          "--exposure", "exposure", "--format", "json"],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    ours = kd.validate(panel, grade="grade", override="final_grade", exposure="exposure").to_dict()
    assert ours["predictive_ability"]["overrides"] == theirs["predictive_ability"]["overrides"]
    assert ours["concentration"] == theirs["concentration"]
    flags = panel.assign(overridden=(panel["grade"] != panel["final_grade"]).astype(int))
    by_flag = kd.validate(flags, override="overridden").to_dict()["predictive_ability"]["overrides"]
    by_grade = ours["predictive_ability"]["overrides"]
    assert (by_flag["overridden"], by_flag["upgrades"]) == (by_grade["overridden"], None)
    with pytest.raises(ValueError, match="invalid override: column 'final_grade' holds final grades, which need grade="):
        kd.validate(panel.assign(final_grade=panel["final_grade"].astype(str) + "x"), override="final_grade")
    broken = panel.copy()
    broken.loc[4, "exposure"] = -1.0
    with pytest.raises(ValueError, match=r"data frame, line 5, column 6 \('exposure'\): -1 is a negative exposure"):
        kd.validate(broken, grade="grade", exposure="exposure")


def test_a_pd_validation_of_a_panel_gives_the_programs_cohorts_and_migration():
    golden = ROOT / "tests" / "golden" / "irb_pd"
    out = subprocess.run([KD, "validate", "--data", str(golden / "panel.csv.gz"), "--score", "pd",
                          "--outcome", "default", "--grade", "grade", "--id", "id", "--date", "date",
                          "--calibration-target", "0.05", "--format", "json"],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    panel = pd.read_csv(golden / "panel.csv.gz")
    ours = kd.validate(panel, grade="grade", id="id", date="date", calibration_target=0.05).to_dict()
    assert ours["date"] == theirs["date"] == "2023-12-31"
    assert ours["n_obs"] == theirs["n_obs"] < len(panel)
    assert ours["discriminatory_power"] == theirs["discriminatory_power"]
    assert ours["predictive_ability"] == theirs["predictive_ability"]
    assert len(ours["predictive_ability"]["long_run"]["cohorts"]) == panel["date"].nunique()
    assert ours["stability"]["migration"] == theirs["stability"]["migration"]
    assert ours["stability"]["migration"]["from"] == sorted(panel["date"].unique())[-2]
    # Dates as pandas timestamps read as the same dates; the program's ranges are kept.
    stamped = panel.assign(date=pd.to_datetime(panel["date"]))
    assert kd.validate(stamped, grade="grade", id="id", date="date", calibration_target=0.05).to_dict() == ours
    with pytest.raises(ValueError, match="invalid calibration_target: 0 is not strictly between 0 and 1"):
        kd.validate(panel, date="date", calibration_target=0.0)
    # The multi-period Pluto-Tasche bounds over the dates: the program's, a pool of more than
    # 200 defaults without a bound (None), the worst grade's with one.
    out = subprocess.run([KD, "validate", "--data", str(golden / "panel.csv.gz"), "--score", "pd",
                          "--outcome", "default", "--grade", "grade", "--date", "date",
                          "--period-correlation", "0.3", "--format", "json"],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)["predictive_ability"]["pluto_tasche_periods"]
    periods = kd.validate(panel, grade="grade", date="date", period_correlation=0.3)
    ours = periods.to_dict()["predictive_ability"]["pluto_tasche_periods"]
    # The same figures, the bound to its last bits (the extension is a release build, the
    # program a debug one: a root found by false position may differ in the last ulp).
    strip = lambda section: {**section, "bounds": [{**b, "upper_bound": None} for b in section["bounds"]]}
    assert strip(ours) == strip(theirs)
    for o, t in zip(ours["bounds"], theirs["bounds"]):
        assert (o["upper_bound"] is None) == (t["upper_bound"] is None)
        assert o["upper_bound"] is None or o["upper_bound"] == pytest.approx(t["upper_bound"], rel=1e-12)
    assert ours["bounds"][0]["upper_bound"] is None and ours["bounds"][-1]["upper_bound"] > 0
    assert "pluto_tasche_periods" not in periods.to_frame().index
    with pytest.raises(ValueError, match="invalid period_correlation: .*give date= and grade="):
        kd.validate(panel, grade="grade", period_correlation=0.3)
    with pytest.raises(ValueError, match="initial_auc: give the AUROC at initial validation"):
        kd.validate(panel, initial_auc=(0.7, 0.01, 0.5))
    # An earlier snapshot in its own frame, as --previous.
    golden_taiwan = ROOT / "tests" / "golden" / "irb_pd"
    current, previous = golden_taiwan / "taiwan_current.csv.gz", golden_taiwan / "taiwan_previous.csv.gz"
    order = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC"]
    out = subprocess.run([KD, "validate", "--data", str(current), "--previous", str(previous), "--id", "id",
                          "--score", "pd", "--outcome", "default", "--grade", "grade", "--grade-order",
                          ",".join(order), "--format", "json"],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)["stability"]["migration"]
    ours = kd.validate(pd.read_csv(current), grade="grade", grade_order=order, id="id",
                       previous=pd.read_csv(previous)).to_dict()["stability"]["migration"]
    assert ours.pop("from") == "previous data frame" and theirs.pop("from") == str(previous)
    assert ours == theirs
    with pytest.raises(ValueError, match="invalid previous: a migration matrix needs id and grade"):
        kd.validate(pd.read_csv(current), previous=pd.read_csv(previous))
    # An id twice on one date, and a date that does not exist, are refused naming the line.
    twice = panel.copy()
    twice.loc[1, "id"] = twice.loc[0, "id"]
    with pytest.raises(ValueError, match=r"line 2, column 1 \('id'\): id '1' repeats on 2019-12-31"):
        kd.validate(twice, grade="grade", id="id", date="date")
    bad_date = panel.astype({"date": str})
    bad_date.loc[3, "date"] = "2019-02-30"
    with pytest.raises(ValueError, match=r"line 4, column 2 \('date'\): '2019-02-30' is not a date"):
        kd.validate(bad_date, date="date")


@pytest.mark.parametrize("model", ["lgd", "ccf"])
def test_an_lgd_or_ccf_validation_gives_the_programs_figures(model):
    golden = ROOT / "tests" / "golden" / "irb_lgd"
    current, base = golden / f"{model}_current.csv.gz", golden / f"{model}_baseline.csv.gz"
    weight, extra = ("ead", {"elbe": "elbe", "lgd_in_default": "lgd_in_default"}) if model == "lgd" else ("undrawn", {})
    flags = [f for name, column in extra.items() for f in (f"--{name.replace('_', '-')}", column)]
    out = subprocess.run([KD, "validate", "--model", model, "--data", str(current), "--baseline", str(base),
                          "--score", model, "--outcome", "realised", "--grade", "segment", "--exposure", weight,
                          "--allow-outside-unit", *flags, "--format", "json"],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    validation = kd.validate(pd.read_csv(current), model=model, score=model, outcome="realised", grade="segment",
                             exposure=weight, allow_outside_unit=True, baseline=pd.read_csv(base), **extra)
    ours = validation.to_dict()
    assert ours["model"] == model and ours["n_obs"] == theirs["n_obs"]
    for section in ("scale", "discriminatory_power", "predictive_ability"):
        assert ours[section] == theirs[section], section
    for name in ("psi", "ks", "csi", "grades"):
        assert ours["stability"][name] == theirs["stability"][name], name
    assert "gauc_change" in ours["discriminatory_power"]
    assert {"gauc", "psi"} <= set(validation.to_frame().index)
    # Realised values above 1 are refused by default, naming the line; PD-only options are refused.
    with pytest.raises(ValueError, match=rf"line \d+, column 4 \('realised'\): .* lies outside \[0, 1\].*allow_outside_unit=True"):
        kd.validate(pd.read_csv(current), model=model, score=model, outcome="realised")
    with pytest.raises(ValueError, match="invalid challenger: it is an option of model='pd'"):
        kd.validate(pd.read_csv(current), model=model, score=model, outcome="realised", challenger=model)
    with pytest.raises(ValueError, match="invalid rho: it is an option of model='pd'"):
        kd.validate(pd.read_csv(current), model=model, score=model, outcome="realised", rho=0.2)


def test_an_lgd_panel_and_dropped_rows_give_the_programs_report(tmp_path):
    golden = ROOT / "tests" / "golden" / "irb_lgd"
    current = pd.read_csv(golden / "lgd_current.csv.gz").head(600)
    # Two dates of the same facilities, the later one's realised values moved: the latest date
    # is validated and the segments migrate from the date before.
    later = current.assign(realised=current["realised"] * 0.9)
    panel = pd.concat([current.assign(date="2023-12-31"), later.assign(date="2024-12-31")], ignore_index=True)
    data = tmp_path / "lgd_panel.csv"
    panel.to_csv(data, index=False, float_format="%.17g")
    out = subprocess.run([KD, "validate", "--model", "lgd", "--data", str(data), "--score", "lgd",
                          "--outcome", "realised", "--grade", "segment", "--date", "date", "--id", "facility",
                          "--allow-outside-unit", "--format", "json"], capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    ours = kd.validate(panel, model="lgd", score="lgd", outcome="realised", grade="segment", date="date",
                       id="facility", allow_outside_unit=True).to_dict()
    assert ours["date"] == theirs["date"] == "2024-12-31" and ours["n_obs"] == theirs["n_obs"] == 600
    for section in ("scale", "discriminatory_power", "predictive_ability"):
        assert ours[section] == theirs[section], section
    assert ours["stability"]["migration"] == theirs["stability"]["migration"]
    assert ours["stability"]["migration"]["from"] == "2023-12-31"
    # Rows with a hole in a used column: refused naming the keyword that drops them, or dropped
    # as --missing drop drops them.
    pd_file = ROOT / "tests" / "golden" / "validation" / "german_pd_current.csv"
    holes = pd.read_csv(pd_file)
    holes.loc[[3, 50, 51], "pd"] = np.nan
    with pytest.raises(ValueError, match=r"line 4, column \d+ \('pd'\): missing value \(pass missing='drop'"):
        kd.validate(holes)
    data = tmp_path / "holes.csv"
    holes.to_csv(data, index=False, float_format="%.17g")
    out = subprocess.run([KD, "validate", "--data", str(data), "--score", "pd", "--outcome", "default",
                          "--missing", "drop", "--format", "json"], capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    ours = kd.validate(holes, missing="drop").to_dict()
    assert ours["n_obs"] == theirs["n_obs"] == len(holes) - 3
    for section in ("discriminatory_power", "predictive_ability"):
        assert ours[section] == theirs[section], section
    with pytest.raises(ValueError, match=r"invalid missing: 'bin' \(error or drop\)"):
        kd.validate(holes, missing="bin")

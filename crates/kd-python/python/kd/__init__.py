"""kd in Python: readable students distilled from in-process Python models, scored with
reasons, exported to SQL.

The numbers are the `kd` program's: the data are handed to kd as the text of their cells and
typed by the same rule as its CSV reader (a column is numeric when its first non-missing cell is
a number), the split, the students and their defaults are the same crates. A teacher is any
Python callable — a scikit-learn estimator's `predict_proba` or `predict`, a function of a
NumPy array, a pipeline that reads the DataFrame as given (categorical columns as they are) —
called on batches of the user's own rows. kd's errors are `ValueError`s with kd's message;
"line n" in them is the frame's n-th row.

    import kd
    student = kd.distill(model.predict_proba, X, y, student="scorecard", bad_class="bad")
    student.predict(X_new, reasons=3)
    student.to_sql(dialect="duckdb", table="loans")
"""

import json
import math

from . import _kd

__all__ = ["describe", "distill", "extract", "Extraction", "compare", "validate", "Validation", "Comparison", "hypotheses", "Battery", "audit", "AuditReport",
           "Student", "from_json"]

_MISSING = ("", "NA", "N/A", "na", "n/a", "null", "NULL", "?")


def _text(value):
    """A cell as kd reads it: numbers in round-trip digits, missing values empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):  # NumPy's float64 too, whose repr names its type
        return "" if math.isnan(value) else repr(float(value))
    if hasattr(value, "strftime") and hasattr(value, "hour"):  # datetimes (pandas Timestamps)
        if value != value:  # NaT
            return ""
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")  # a date, as kd reads dates
        return value.isoformat()
    if hasattr(value, "item"):  # NumPy scalars
        return _text(value.item())
    return str(value)


def _columns(X):
    """Column names and text cells of a DataFrame, a NumPy array or a dict of columns."""
    if hasattr(X, "columns") and hasattr(X, "__getitem__"):  # pandas
        names = [str(c) for c in X.columns]
        cells = [[_text(v) for v in X[c].tolist()] for c in X.columns]
        return names, cells
    if isinstance(X, dict):
        names = [str(k) for k in X]
        return names, [[_text(v) for v in X[k]] for k in X]
    rows = X.tolist() if hasattr(X, "tolist") else list(X)
    width = len(rows[0]) if rows else 0
    names = [f"x{j}" for j in range(width)]
    return names, [[_text(r[j]) for r in rows] for j in range(width)]


def _with_target(X, y, target):
    names, cells = _columns(X)
    if y is None:
        if target not in names:
            raise ValueError(f"invalid y: none given and X has no column '{target}'")
        return names, cells, target
    values = y.tolist() if hasattr(y, "tolist") else list(y)
    return names + [target], cells + [[_text(v) for v in values]], target


def describe(X, text=()):
    """What kd makes of a table: rows, columns, kinds, missing counts, ranges and levels, and
    the numbers of a free-text column (the JSON of `kd describe`, its `file` the frame), as a
    dict. `text`: columns to report as free text (by default, categorical columns whose cells
    are mostly distinct and three words or longer on average), as `--text`."""
    names, cells = _columns(X)
    text = [text] if isinstance(text, str) else [str(t) for t in text]
    return json.loads(_kd.describe(names, cells, text))


def _without_target(X, y, target):
    """What the teacher is shown of X: X itself, or, when the target is one of its columns (no
    `y` given), X without it."""
    if y is not None:
        return X
    if hasattr(X, "drop"):
        return X.drop(columns=[target])
    if isinstance(X, dict):
        return {k: v for k, v in X.items() if k != target}
    return X


def _rows(X, start, stop):
    """Rows `start` to `stop` of X, as the same kind of input (a DataFrame, a dict of columns, an
    array)."""
    if hasattr(X, "iloc"):
        return X.iloc[start:stop]
    if isinstance(X, dict):
        return {k: v[start:stop] for k, v in X.items()}
    return X[start:stop]


def _teacher_outputs(teacher, X, n, task, n_classes, batch_size):
    """The teacher's outputs for every row of X, asked in batches of `batch_size` rows of the
    user's own X (a DataFrame stays a DataFrame, a dict of columns a dict), shape (n, k);
    `n_classes` (None: checked by kd) is the count of class probabilities each row must give."""
    rows = []
    for start in range(0, n, batch_size):
        part = _rows(X, start, start + batch_size)
        answer = teacher(part)
        answer = answer.tolist() if hasattr(answer, "tolist") else list(answer)
        for a in answer:
            a = a if isinstance(a, (list, tuple)) else [a]
            a = [float(v) for v in a]
            if task == "binary" and len(a) == 1:
                a = [1.0 - a[0], a[0]]
            rows.append(a)
    if len(rows) != n:
        raise ValueError(f"invalid teacher: it gave {len(rows)} rows of outputs for {n} rows")
    if task != "regression" and n_classes is not None and any(len(r) != n_classes for r in rows):
        raise ValueError(f"invalid teacher: it must give {n_classes} class probabilities per row")
    return rows


def distill(teacher, X, y=None, student="tree", *, target="target", test_fraction=0.3, seed=0,
            batch_size=10000, teacher_name=None, missing="error", labels=False, test=None, **options):
    """Distils `teacher` into a readable student on the rows of X, as `kd distill` does: a
    seeded stratified split (`test_fraction`, `seed`), the student fitted to the teacher's
    outputs on the training rows, fidelity and performance on the held-out rows.

    `teacher`: a callable on a batch of X's rows giving class probabilities (n, k) in the
    sorted order of the classes, a probability of class 1, or values; a scikit-learn estimator
    is used through `predict_proba` (classification) or `predict`. `y`: the true outcomes (or
    a column of X named `target`). `student`: tree, logistic, linear, gam, gam2, spline or
    scorecard. `options`, the `kd distill` flags by name with the program's defaults:
    max_depth, max_leaves, min_samples_leaf, ccp_alpha, categorical_splits ("native" or
    "codes"), max_bins (histogram bins; tree and GAMs); l2 (linear, logistic, scorecard);
    scorecard (bins of the logistic student's quantile-bin points table); bins, bad_class
    (scorecard); pdo, base_score, base_odds (the points scale of both scorecards);
    interactions, outer_bags, max_rounds, lr, monotone (a list of "feature:+1" /
    "feature:-1"; GAMs); n_splines, lam (spline). `missing`: "error" (a missing feature is refused, naming its row and
    column) or "bin" (kept: the scorecard's and the boosted GAMs' missing-value bins, the side a
    tree's split learns; the teacher must take the holes too). `labels=True` fits the student to
    the true outcomes instead (`--labels`: the outcome model of Distill-and-Compare); the teacher
    is still asked, for fidelity. `test`: held-out rows of their own, as `--test FILE` (a
    later sample, say), given as `(X_test, y_test)` or as a frame holding the `target` column;
    the student then learns from every row of X and is measured on these, their categories
    coded to X's levels (a level X lacks is refused). Returns a `Student` whose `report` holds
    the figures.
    """
    names, cells, target = _with_target(X, y, target)
    test_frame = None  # the test frame's names and cells
    if test is not None:
        X_test, y_test = test if isinstance(test, (tuple, list)) and len(test) == 2 else (test, None)
        try:
            test_frame = _with_target(X_test, y_test, target)[:2]
        except ValueError:
            raise ValueError(f"invalid test: give (X_test, y_test) or a frame with the column '{target}'") from None
    # Both frames are checked before the teacher is asked.
    info = json.loads(_kd.dataset(names, cells, target, missing, test_frame))
    teacher = _as_callable(teacher, info["task"])
    name = teacher_name or getattr(teacher, "__qualname__", None) or type(teacher).__name__
    classes = info["classes"] or []

    def ask(X, y, cells):
        n = len(cells[0]) if cells else 0
        return _teacher_outputs(teacher, _without_target(X, y, target), n, info["task"], len(classes), batch_size)

    outputs = ask(X, y, cells)
    held_out = None if test_frame is None else (*test_frame, ask(X_test, y_test, test_frame[1]))
    saved, report = _kd.distill(names, cells, target, outputs, student, json.dumps(options),
                                float(test_fraction), int(seed), f"python:{name}", missing, bool(labels),
                                held_out)
    result = Student(saved)
    result.report = json.loads(report)
    return result


def _as_callable(teacher, task):
    """A teacher as a callable: a scikit-learn estimator through `predict_proba`
    (classification) or `predict`; a callable as it is."""
    if callable(teacher):
        return teacher
    return teacher.predict_proba if task != "regression" and hasattr(teacher, "predict_proba") \
        else teacher.predict


def _frame_of(rows, like, names, levels):
    """Rows of numbers (categorical features as level codes) as the user's kind of input: a
    DataFrame with X's column names and level names, else a NumPy array."""
    if not hasattr(like, "iloc"):
        import numpy as np

        return np.asarray(rows, dtype=float)
    import pandas as pd

    columns = {}
    for j, (name, lv) in enumerate(zip(names, levels)):
        values = [r[j] for r in rows]
        columns[name] = [lv[int(v)] for v in values] if lv is not None else values
    return pd.DataFrame(columns, columns=names)


def extract(teacher, X, y=None, *, target="target", method="bastani", max_leaves=16, samples_per_node=1000,
            components=None, test_fraction=0.3, seed=0, teacher_name=None):
    """A readable model extracted from `teacher`, as `kd extract --method METHOD` draws it, and its
    fidelity (class agreement or R² to the teacher, with a bootstrap interval) and accuracy on the
    held-out rows. `method`: "bastani" (Bastani, Kim & Bastani 2017: CART on the training rows
    and on fresh points drawn from a Gaussian mixture fitted to them, `samples_per_node` points
    deciding each node), "trepan" (Craven & Shavlik 1996: an m-of-n tree on kernel-density
    queries), "beta" (Lakkaraju et al. 2017: a two-level decision set on the rows), "born-again"
    (CART on the rows labelled by the teacher) or "cart" (CART on the true labels, the baseline);
    at most `max_leaves` leaves (TREPAN: `max_leaves - 1` internal nodes; BETA: `max_leaves - 1`
    rules and the default).

    `teacher`: as for `distill`; the sampling methods also ask it about drawn points, given as
    the same kind of input as X (a DataFrame with X's columns and level names, or a NumPy array).
    Returns a `Student` (a tree) or, for trepan and beta, an `Extraction`; either has a `report`
    holding the figures, named as `kd extract --format json`.
    """
    names, cells, target = _with_target(X, y, target)
    info = json.loads(_kd.dataset(names, cells, target, "error"))
    features = _without_target(X, y, target)
    teacher = _as_callable(teacher, info["task"])
    classes = info["classes"] or []

    def query(rows):
        part = _frame_of(rows, features, info["features"], info["levels"])
        return _teacher_outputs(teacher, part, len(rows), info["task"], len(classes), max(len(rows), 1))

    name = teacher_name or getattr(teacher, "__qualname__", None) or type(teacher).__name__
    saved, report, text = _kd.extract(names, cells, target, query, f"python:{name}", str(method),
                                      int(max_leaves), int(samples_per_node),
                                      None if components is None else int(components), float(test_fraction),
                                      int(seed))
    result = Extraction(saved, text) if method in ("trepan", "beta") else Student(saved)
    result.report = json.loads(report)
    return result


def _scored_frame(columns, values, unscored, texts, reasons, unseen):
    """`kd predict`'s table as a DataFrame: the outputs under `columns` (None for an unscored
    row), `reason_1` … `reason_<reasons>`, and with `unseen="fallback"` why a row is unscored.
    The first four arguments are what `_kd.predict` returns."""
    import pandas as pd

    frame = pd.DataFrame([v if v else [None] * len(columns) for v in values], columns=columns)
    for r in range(reasons):
        frame[f"reason_{r + 1}"] = [t[r] if r < len(t) else "" for t in texts]
    if unseen == "fallback":
        frame["unscored"] = [u or "" for u in unscored]
    return frame


class Extraction:
    """An m-of-n tree (TREPAN) or a decision set (BETA) extracted by `extract`: `predict(X)` (as
    `kd predict`; `predict_frame(X, reasons=1)` with the rule behind each row), `explain()` (the
    model in words, as `kd extract` prints it), `to_sql()` (as
    `kd export --to sql`), `to_json()` (the `kd-extracted` file `kd explain` and `kd predict`
    read) and `report`."""

    def __init__(self, saved, text):
        self._json = saved
        self._text = text
        self.method = json.loads(saved).get("method")
        self.report = {}

    def explain(self):
        return self._text

    def predict(self, X, unseen="error"):
        """Class outputs per row (`kd predict`): an m-of-n tree's leaf class proportions, a
        decision set's class as one-hot, in the order of the classes. `unseen`: "error" or
        "fallback" (a row with a level unseen in training gets no outputs)."""
        names, cells = _columns(X)
        _, values, _, _ = _kd.predict(self._json, names, cells, unseen == "fallback", 0)
        return values

    def predict_frame(self, X, reasons=0, unseen="error"):
        """`predict` as a pandas DataFrame with `kd predict`'s columns; with `reasons` ≥ 1 the
        rule that decided each row (an m-of-n tree's path, a decision set's matching rule) in
        `reason_1` (later reason columns stay empty)."""
        names, cells = _columns(X)
        scored = _kd.predict(self._json, names, cells, unseen == "fallback", int(reasons))
        return _scored_frame(*scored, reasons, unseen)

    def to_sql(self, dialect="ansi", table="data"):
        """One SELECT computing the model's class outputs from a table (`kd export --to sql`);
        a row with a missing value or an unseen level in a feature the model reads gets NULLs."""
        return _kd.to_sql(self._json, dialect, table)

    def to_json(self):
        return self._json

    def _repr_html_(self):
        import html

        return f"<pre>{html.escape(self._text)}</pre>"

    def __repr__(self):
        return f"<kd extracted {self.report.get('method', 'model')} with {self.report.get('n_leaves', '?')} leaves>"


def compare(teacher, X, y=None, *, target="target", class_=None, candidates=(), bootstrap=100, flag_share=0.1,
            seed=0, batch_size=10000, svg=False):
    """Distill-and-Compare (Tan et al. 2018), as `kd compare` runs it: a mimic GAM of the
    teacher's scores beside an outcome GAM of the true outcomes, on the same `bootstrap`
    resamples, feature by feature; a feature is flagged when the 95% band of mimic − outcome
    excludes 0 on at least `flag_share` of the rows. `candidates`: columns of X the teacher may
    have used, left out of the GAMs and tested one by one (the missing-feature test).

    `teacher`: as for `distill` (its probability of the audited class is the score: a binary
    task's class 1, the second of its labels, unless `class_` names another).
    `class_`: the class audited against the others, as `kd compare --class` (needed with more
    than two classes: the teacher's probability of it is the score, the outcome 1 for its rows).
    Returns a `Comparison`: `to_dict()` is the JSON of `kd compare --format json` without its
    teacher and seconds, `to_frame()` one row per feature; with `svg=True`, `svg` is both
    shape functions of every feature drawn as `kd compare --svg` draws them (SVG text).
    """
    names, cells, target = _with_target(X, y, target)
    info = json.loads(_kd.dataset(names, cells, target, "error"))
    features = _without_target(X, y, target)
    n = len(cells[0]) if cells else 0
    classes = info["classes"] or []

    def ask():
        # Asked by kd once the frame and the settings are checked.
        outputs = _teacher_outputs(_as_callable(teacher, info["task"]), features, n, info["task"], len(classes),
                                   batch_size)
        return [[float(v) for v in row] for row in outputs]

    doc, shapes = _kd.compare(names, cells, target, ask, [str(c) for c in candidates], int(bootstrap),
                              float(flag_share), int(seed), bool(svg), None if class_ is None else str(class_))
    return Comparison(json.loads(doc), shapes)


class Comparison:
    """Distill-and-Compare's results (`kd.compare`); `svg` the shapes drawn, when asked for."""

    def __init__(self, doc, svg=None):
        self._doc = doc
        self.svg = svg

    def to_dict(self):
        """Every figure: per feature its grid of mimic and outcome with bands, amplitudes and
        differing share; the flagged features; the candidates' tests."""
        return self._doc

    @property
    def flagged(self):
        """The features whose mimic and outcome shapes differ."""
        return list(self._doc["flagged"])

    def to_frame(self):
        """One row per feature: amplitudes of mimic and outcome, differing share, flag."""
        import pandas as pd

        columns = ["name", "mimic_amplitude", "outcome_amplitude", "differing_share", "share_interval", "flagged"]
        return pd.DataFrame([{c: f.get(c) for c in columns} for f in self._doc["features"]]).set_index("name")

    def __repr__(self):
        return (f"<kd Distill-and-Compare: {len(self._doc['features'])} features on {self._doc['n_rows']} rows, "
                f"{len(self.flagged)} flagged>")


def _bools_as_flags(X, columns):
    """X with its boolean columns among `columns` as 0/1 (a PD validation reads defaults and
    override flags as the numbers 0 and 1; a boolean cell would reach kd as the text True or
    False): a DataFrame's columns of dtype bool, a dict's columns whose cells are all bools."""
    if isinstance(X, dict):
        flags = [c for c in columns if c in X and len(X[c]) and all(isinstance(v, bool) for v in X[c])]
        return {k: ([int(v) for v in col] if k in flags else col) for k, col in X.items()} if flags else X
    if not (hasattr(X, "columns") and hasattr(X, "dtypes")):
        return X
    to_int = {c: int for c in columns if c in X.columns and X[c].dtype == bool}
    return X.astype(to_int) if to_int else X


def validate(X, *, model="pd", score="pd", outcome="default", groups=10, challenger=None, initial_auc=None,
             curves=False, grade=None, grade_order=None, rho=0.12, prudence=0.9, period_correlation=None,
             baseline=None, exposure=None,
             override=None, date=None, id=None, calibration_target=None, previous=None, binning="r",
             hl_sample="validation", no_calibration=False, elbe=None, lgd_in_default=None,
             allow_outside_unit=False, missing="error"):
    """A PD model's discriminatory power and predictive ability, as `kd validate --model pd`
    reports them: AUROC with DeLong's 95% interval, Gini and KS; Hosmer–Lemeshow on `groups`
    quantile groups of the PDs (R's type-7 cut; χ² with G df, a validation sample), Spiegelhalter,
    the Brier decomposition and the portfolio Jeffreys test, each with its formula and reference.
    As the program's options: `challenger`, a second score column compared by DeLong's test;
    `initial_auc`, the AUROC at initial validation (a number, or (auroc, standard error)) for the
    ECB's test of its change; `curves=True`, the ROC and CAP points; `grade`, a column of rating
    grades (ordered best first by `grade_order`, else numerically or by mean PD): per grade the
    exact binomial and Jeffreys tests and the Vasicek traffic light (asset correlation `rho`),
    Pluto–Tasche's most prudent bounds at confidence `prudence` (independent, and correlated at
    `rho`; with `rho` above 0, `prudence` within [1e-9, 1 − 1e-9]), and the Brier decomposition
    on the grades; `baseline`, the sample at initial validation (a frame with the same columns):
    the stability section, PSI of the scores over the baseline's bins, KS, CSI of every other
    shared column and, with grades, the shift of the grade distribution; `exposure`, a column of
    exposures (≥ 0): with grades, the Herfindahl index by exposure beside the one by obligors (the
    concentration section, tested against the baseline's when it is graded too); `override`, a
    column of final grades (labels of the scale, with `grade`) or of 0/1 override flags: the
    override rate, with upgrades and downgrades when grades are known; `date`, a column of dates
    (YYYY-MM-DD) for rows of several dates: the latest date's rows are validated, every date is a
    cohort of the long-run average default rate (against `calibration_target`, or each cohort's
    mean PD), and with `id` (unique within a date) and `grade` the grades migrate from the date
    before the latest (the migration matrix in the stability section), or from `previous`, an
    earlier snapshot's frame with the same id and grade columns; with `date` and `grade`,
    `period_correlation` (τ in [0, 0.99]) adds Pluto–Tasche's multi-period bounds, the dates as
    periods one horizon apart and the systematic factor correlated τ from one to the next. `binning` names how the PDs are
    grouped for Hosmer–Lemeshow and the PSI (`"r"`, R's type-7 cut; `"type1"` … `"type9"`; `"sas"`,
    `"sas-low"`, `"sas-high"`, SAS `PROC RANK`), `hl_sample="development"` takes G − 2 degrees of
    freedom, and `no_calibration=True` leaves out predictive ability (for scores that are not PDs).

    `model="lgd"` or `"ccf"`: an LGD or CCF model, as `kd validate --model lgd|ccf` reports it:
    `score` the estimates, `outcome` the realised values (both refused outside [0, 1] unless
    `allow_outside_unit=True`); the generalised AUROC with its change since initial validation
    (`initial_auc`, or the baseline's when it has the outcome), the back-tests of realised against
    estimated per segment (`grade`, with `grade_order`) or for the portfolio, weighted by
    `exposure`, with `elbe` (two-sided) and `lgd_in_default` (one-sided) back-tests for an LGD
    model, and the stability section against `baseline` (with `date`, `id` and `previous` as for
    a PD model: the latest date's rows, the migration of the segments); the PD-only options are
    refused.

    `missing="drop"` drops the rows with a missing value in a column the validation uses (in
    every frame), as `--missing drop`; by default such a row is refused, naming its line and
    column.

    `X`: a DataFrame (or dict of columns) with the PD column `score` (in [0, 1]) and the 0/1
    column `outcome` (1 = default; a boolean column, of a DataFrame's dtype bool or a dict's
    bools, is read as 0/1, as is an `override` column of flags). Returns a `Validation`: `to_dict()` is the report's JSON
    (its `discriminatory_power` and `predictive_ability` as the program writes them),
    `to_frame()` one row per test.
    """
    # Booleans as 0/1 for a PD model only: an LGD's or CCF's outcome is a realised rate.
    flags = [] if model != "pd" else [outcome] if override is None else [outcome, override]
    names, cells = _columns(_bools_as_flags(X, flags))
    if initial_auc is not None:
        initial_auc = [float(v) for v in (initial_auc if hasattr(initial_auc, "__len__") else [initial_auc])]
    opt = lambda v: None if v is None else str(v)
    base = None if baseline is None else _columns(_bools_as_flags(baseline, flags))
    order = None if grade_order is None else [str(g) for g in grade_order]
    options = {"model": str(model), "score": str(score), "outcome": str(outcome), "groups": int(groups),
               "challenger": opt(challenger), "initial_auc": initial_auc, "curves": bool(curves),
               "grade": opt(grade), "grade_order": order, "rho": float(rho), "prudence": float(prudence),
               "period_correlation": None if period_correlation is None else float(period_correlation),
               "exposure": opt(exposure), "override": opt(override), "date": opt(date), "id": opt(id),
               "calibration_target": None if calibration_target is None else float(calibration_target),
               "binning": str(binning), "hl_sample": str(hl_sample), "no_calibration": bool(no_calibration),
               "elbe": opt(elbe), "lgd_in_default": opt(lgd_in_default),
               "allow_outside_unit": bool(allow_outside_unit), "missing": str(missing)}
    doc = _kd.validate(names, cells, json.dumps(options), base, None if previous is None else _columns(previous))
    return Validation(json.loads(doc))


class Validation:
    """A PD, LGD or CCF model's validation figures (`kd.validate`)."""

    def __init__(self, doc):
        self._doc = doc

    def to_dict(self):
        """The report: every figure with its formula and reference."""
        return self._doc

    def flags(self):
        """The figures that ask a validator to look, one dict each (kind, section, figure,
        title, place, field, value): tests rejecting at 5% (not the Kolmogorov-Smirnov test of
        discriminatory power; the comparison with a challenger only when the challenger's AUROC
        is the higher), yellow or red traffic lights, moderate or significant shifts,
        breaches of the migration matrix's monotonicity and columns emptied or changed in kind
        since the baseline, as `kd validate` lists them."""
        return list(self._doc.get("flags", []))

    def to_html(self):
        """The report as one self-contained HTML page, the one `kd validate --format html`
        writes (the figures grouped as the ECB's instructions group them)."""
        return _kd.validation_html(json.dumps(self._doc))

    def _repr_html_(self):
        from ._html import flags_html

        return flags_html(self._doc)

    def to_frame(self):
        """One row per figure: its section, value or statistic, p-value, reference."""
        import pandas as pd

        rows = []
        tables = ("curves", "grades", "pluto_tasche", "pluto_tasche_periods", "csi", "migration", "baseline", "long_run", "backtests")
        for section in ("discriminatory_power", "predictive_ability", "stability", "concentration"):
            for name, figure in self._doc.get(section, {}).items():
                # Tables, the baseline's name and notes are not figures: they are in to_dict().
                if name in tables or not isinstance(figure, dict):
                    continue
                value = next((figure[k] for k in ("value", "statistic", "brier", "rate", "index", "mean_difference")
                              if k in figure), None)
                test = figure.get("test") or figure.get("t_test") or {}
                p_value = figure.get("p_value", test.get("p_value"))
                rows.append({"section": section, "figure": name, "value": value,
                             "p_value": p_value, "reference": figure["reference"]})
        return pd.DataFrame(rows).set_index("figure")

    def __repr__(self):
        d = self._doc
        if d["model"] != "pd":
            gauc = d["discriminatory_power"].get("gauc")
            shown = f"gAUC {gauc['value']:.3f} (s.e. {gauc['std_error']:.3f})" if gauc else "no gAUC"
            return f"<kd {d['model'].upper()} validation: {d['n_obs']} facilities, {shown}>"
        auroc = d["discriminatory_power"].get("auroc")
        shown = (f"AUROC {auroc['value']:.3f} [{auroc['ci_low']:.3f}, {auroc['ci_high']:.3f}]" if auroc
                 else "no AUROC (fewer than 2 defaults or non-defaults)")
        return f"<kd PD validation: {d['n_obs']} obligors, {d['n_defaults']} defaults, {shown}>"


def hypotheses(X, y=None, *, target="target", **options):
    """The assumptions of a linear regression of `y` (or X's column `target`) on X's columns,
    as `kd hypotheses` tests them: the same battery, defaults and numbers. A categorical column
    is treatment-coded (one 0/1 column per level but the first, named `column[T.level]`, as
    patsy's `C(column)`); `to_dict()["categorical"]` says how.

    `options`: the flags of `kd hypotheses` by name, with their defaults and values as the flags
    spell them: alpha (0.05), lags, fitdf, break_at, hac_lags, breusch_pagan ("koenker",
    "original"), breusch_godfrey ("chisq", "f"), dw_alternative and gq_alternative
    ("greater", "less", "two-sided"), dw_method ("auto", "exact", "normal"), gq_drop,
    rainbow_fraction, rainbow_center, rainbow_rows ("statsmodels", "r"), reset_powers (a list),
    reset_type ("fitted", "regressor"), influence ("summary", "all": R's influence.measures
    per row). Returns a `Battery`: `to_dict()` is the JSON document of `kd hypotheses --format
    json` (the influence summary's `line` is the row's number in X, from 1), `to_frame()` one
    row per test.
    """
    names, cells, target = _with_target(X, y, target)
    return Battery(json.loads(_kd.hypotheses(names, cells, target, json.dumps(options))))


class Battery:
    """The regression battery's results (`kd.hypotheses`)."""

    def __init__(self, doc):
        self._doc = doc

    def to_dict(self):
        """Every figure: coefficients, standard errors, R², VIFs, `tests` by key, `skipped`."""
        return self._doc

    def to_frame(self):
        """One row per test, indexed by its key: assumption, statistic, p-value, verdict."""
        import pandas as pd

        rows = [{"test": key, **{k: v for k, v in row.items() if k != "df"}, "df": row.get("df", [])}
                for key, row in self._doc["tests"].items()]
        return pd.DataFrame(rows).set_index("test")

    @property
    def rejected(self):
        """The keys of the tests that reject their null at the battery's level."""
        return [key for key, row in self._doc["tests"].items() if row["reject"]]

    def __repr__(self):
        d = self._doc
        columns = "design columns" if d.get("categorical") else "features"
        return (f"<kd regression battery: {d['n_obs']} rows, {d['n_features']} {columns}, "
                f"{len(d['tests'])} tests, {len(self.rejected)} reject>")


def audit(spec=None, *, out=None, teacher=None, teacher_name=None, development=None, current=None, **overrides):
    """`kd audit`: the model-validation report, with the program's defaults and numbers.

    `spec`: the path of a TOML spec (None: kd's defaults). `overrides`: the spec's keys laid
    over it, top-level ones as values (`title`, `seed`) and tables as dicts, key by key
    (`data={"development": "dev.csv", "target": "default", "bad_class": "1"}`,
    `model={"teacher": "cmd:python serve.py"}`); an unknown key is a ValueError naming it.
    `teacher`: the model under review in this process, instead of the spec's `model.teacher`:
    a scikit-learn estimator or pipeline (`predict_proba` for classes, else `predict`) or a callable, asked with DataFrames of the sample's columns (level names for
    categorical ones) about the samples' rows and the points the Bastani extraction draws.
    `development`, `current`: data frames (or dicts of columns) in place of the spec's
    `data.development` and `data.current` files, read as those files would be (a current frame's
    outcomes may be missing for some rows or all, as a file's may); the report
    names them `<development frame>` and `<current frame>` and fingerprints their cells
    written as CSV. With `out`, the report folder (`report.html`, `audit.json`,
    `spec.toml`) is written there, whole or not at all. Returns an `AuditReport`.
    """
    path = None if spec is None else str(spec)
    overrides = {k: (str(v) if hasattr(v, "__fspath__") else v) for k, v in overrides.items()}
    query = None
    if teacher is not None:
        import pandas as pd

        name = teacher_name or getattr(teacher, "__qualname__", None) or type(teacher).__name__
        overrides["model"] = {**overrides.get("model", {}), "teacher": f"python:{name}"}

        def query(rows, names, levels, task):
            model = _as_callable(teacher, task)
            part = _frame_of(rows, pd.DataFrame(), names, levels)
            # kd checks the count of a multiclass model's outputs against the classes it read.
            n_classes = 2 if task == "binary" else None
            return _teacher_outputs(model, part, len(rows), task, n_classes, max(len(rows), 1))

    frames = [None if f is None else _columns(f) for f in (development, current)]
    doc = _kd.audit(path, json.dumps(overrides, default=str), None if out is None else str(out), query, *frames)
    return AuditReport(json.loads(doc))


class AuditReport:
    """An audit's results (`kd.audit`): findings graded against their bars, every figure."""

    def __init__(self, doc):
        self._doc = doc

    def to_dict(self):
        """The `audit.json` document: findings, every stage's figures, provenance."""
        return self._doc

    @property
    def tally(self):
        """Counts of red, amber and green findings."""
        return dict(self._doc["tally"])

    def to_frame(self):
        """The findings table, most severe first, indexed by id."""
        import pandas as pd

        columns = ["id", "severity", "value", "title", "key", "stage", "bar", "detail"]
        return pd.DataFrame([{c: f.get(c) for c in columns} for f in self._doc["findings"]]).set_index("id")

    def __repr__(self):
        t = self._doc["tally"]
        return f"<kd audit '{self._doc['title']}': {t['red']} red, {t['amber']} amber, {t['green']} green>"

    def _repr_html_(self):
        from ._html import findings_html

        return findings_html(self._doc)


def from_json(text):
    """A student saved by `Student.to_json` or `kd distill --out`."""
    return Student(text)


class Student:
    """A fitted readable student (the `kd-student` format)."""

    def __init__(self, text):
        _kd.explain(text)  # refuses a file kd cannot read
        self._json = text
        self._doc = json.loads(text)
        self.report = None

    @property
    def kind(self):
        return self._doc["student"]["kind"]

    @property
    def features(self):
        return list(self._doc["features"])

    @property
    def classes(self):
        return self._doc["classes"]

    def predict(self, X, reasons=0, unseen="error"):
        """Outputs per row (`kd predict`): a list of rows of [p_<class>...] or [prediction]; with
        `reasons` > 0, a list of (outputs, reasons) pairs. `unseen`: "error" or "fallback"
        (a row the student cannot score gets no outputs and its reason)."""
        names, cells = _columns(X)
        _, values, unscored, texts = _kd.predict(self._json, names, cells, unseen == "fallback", int(reasons))
        if reasons:
            return [(v, t if u is None else [u]) for v, u, t in zip(values, unscored, texts)]
        return values

    def predict_frame(self, X, reasons=0, unseen="error"):
        """`predict` as a pandas DataFrame with `kd predict`'s columns."""
        names, cells = _columns(X)
        scored = _kd.predict(self._json, names, cells, unseen == "fallback", int(reasons))
        return _scored_frame(*scored, reasons, unseen)

    def explain(self):
        """The student in words (`kd explain`)."""
        return _kd.explain(self._json)

    def contributions(self, X):
        """Per-row contributions of an additive student's terms: a dict with `terms`,
        `intercept` (per predictor) and `values` (n, predictors, terms); None for a tree."""
        names, cells = _columns(X)
        found = _kd.contributions(self._json, names, cells)
        if found is None:
            return None
        terms, intercept, values = found
        return {"terms": terms, "intercept": intercept, "values": values}

    def points_table(self):
        """A scorecard's points table as a list of dicts: a WoE scorecard's classes (feature,
        class, rows, bad rate, WoE, points, information value) or the quantile bins (feature,
        lower, upper, points) of a logistic student fitted with `scorecard=BINS`; None for
        other students. The base points are in `explain()`."""
        text = _kd.points_table(self._json)
        return None if text is None else json.loads(text)

    def to_sql(self, dialect="ansi", table="data"):
        """One SELECT computing the student's outputs from a table (`kd export --to sql`)."""
        return _kd.to_sql(self._json, dialect, table)

    def to_json(self):
        return self._json

    @staticmethod
    def from_json(text):
        return Student(text)

    def __repr__(self):
        return f"<kd {self.kind} student of '{self._doc['target']}' on {len(self.features)} features>"

    def _repr_html_(self):
        from ._html import student_html

        return student_html(self)

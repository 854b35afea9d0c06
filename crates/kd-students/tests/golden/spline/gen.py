"""Reference fits for kd_students::spline::SplineGam, from pyGAM.

Run from the repository root with the pinned pyGAM environment (xtask/pygam-requirements.txt;
`cargo xtask bench spline` creates it in ~/.cache/kd/pygam-0.12.0):
    ~/.cache/kd/pygam-0.12.0/bin/python crates/kd-students/tests/golden/spline/gen.py
Writes crates/kd-students/tests/golden/spline/cases.json with three cases, each with pyGAM's
predictions (on the training rows and on rows stretched 20% beyond the training range, where the
basis extrapolates), coefficients, effective degrees of freedom, GCV or UBRE, the 95%
confidence intervals of the prediction, each term's partial dependence with its 95% band on
pyGAM's 100-point grid, and a gridsearch over the default grid np.logspace(-3, 3, 11):
  linear:   LinearGAM, 20 splines, lam 0.6, on four diabetes features;
  logistic: LogisticGAM, 20 splines, lam 0.6, on four breast-cancer features, 0/1 labels;
  soft:     the same on soft targets (a fixed logistic teacher's probabilities), lam 1.0.
"""
import json
import pathlib
import warnings

import numpy as np
import pygam
import scipy
from pygam import LinearGAM, LogisticGAM

assert pygam.__version__ == "0.12.0", pygam.__version__
warnings.filterwarnings("ignore")
ROOT = pathlib.Path(__file__).resolve().parents[5]
OUT = pathlib.Path(__file__).resolve().parent


def columns(path, names, target):
    data = np.genfromtxt(path, delimiter=",", names=True)
    return np.column_stack([data[n] for n in names]), data[target]


def stretched(x):
    """Every row pushed 20% of the range away from the middle of each column."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    mid = (lo + hi) / 2
    return mid + (x - mid) * 1.2


def case(model, x, y, features):
    lam = float(np.ravel(model.lam)[0])
    gam = model.fit(x, y)
    mu = gam.predict_mu
    terms = []
    for i in range(x.shape[1]):
        grid = gam.generate_X_grid(term=i)
        pdep, band = gam.partial_dependence(term=i, X=grid, width=0.95)
        terms.append({"x": grid[:, i].tolist(), "value": pdep.tolist(), "lower": band[:, 0].tolist(),
                      "upper": band[:, 1].tolist()})
    stats = gam.statistics_
    searched = type(model)(n_splines=20)
    scores = searched.gridsearch(x, y, progress=False, return_scores=True)
    return {
        "features": features,
        "y": y.tolist(),
        "lam": lam,
        "n_splines": 20,
        "predict": mu(x).tolist(),
        "predict_stretched": mu(stretched(x)).tolist(),
        "coef": gam.coef_.tolist(),
        "edof": float(stats["edof"]),
        "scale": float(stats["scale"]),
        "gcv": None if stats["GCV"] is None else float(stats["GCV"]),
        "ubre": None if stats["UBRE"] is None else float(stats["UBRE"]),
        "confidence_intervals": gam.confidence_intervals(x, width=0.95).tolist(),
        "terms": terms,
        "gridsearch": {"lam": float(np.ravel(searched.lam)[0]),
                       "scores": [float(s) for s in scores.values()]},
    }


diabetes = ["age", "bmi", "bp", "s5"]
x_d, y_d = columns(ROOT / "data/sklearn/diabetes.csv", diabetes, "target")
cancer = ["mean_radius", "mean_texture", "mean_smoothness", "mean_concave_points"]
x_c, y_c = columns(ROOT / "data/sklearn/breast_cancer.csv", cancer, "target")
# The soft teacher: a logistic function of the standardised features, rounded.
z = (x_c - x_c.mean(axis=0)) / x_c.std(axis=0)
soft = np.round(1 / (1 + np.exp(-(0.5 - 1.8 * z[:, 0] - 0.9 * z[:, 1] + 0.6 * z[:, 2] ** 2 - 1.2 * z[:, 3]))), 6)

cases = {
    "source": f"pygam {pygam.__version__}, numpy {np.__version__}, scipy {scipy.__version__}",
    "tolerance": "relative: predictions 1e-9; coefficients 1e-7 of the largest; edof, GCV, UBRE 1e-10; prediction intervals 1e-8; term bands 1e-6 of the term range; gridsearch scores 1e-6",
    "linear": case(LinearGAM(n_splines=20, lam=0.6), x_d, y_d, diabetes),
    "logistic": case(LogisticGAM(n_splines=20, lam=0.6), x_c, y_c, cancer),
    "soft": case(LogisticGAM(n_splines=20, lam=1.0), x_c, soft, cancer),
}
(OUT / "cases.json").write_text(json.dumps(cases) + "\n")
for name in ["linear", "logistic", "soft"]:
    c = cases[name]
    print(name, "edof", round(c["edof"], 4), "gcv", c["gcv"], "ubre", c["ubre"], "grid lam", c["gridsearch"]["lam"])

"""Reference values for kd_core::quantile.

Run from the repository root with the pinned versions (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python crates/kd-core/tests/golden/quantile/gen.py
    Rscript crates/kd-core/tests/golden/quantile/gen.R      # R's quantile(type = 1:9)
Writes samples.csv (the samples, for gen.R) and expected.json:

- "numpy": numpy.quantile(x, p, method=...) for Hyndman & Fan's nine methods at real p;
- "exact": the definitions evaluated in exact rational arithmetic (fractions.Fraction) from
  Hyndman & Fan (1996) and the two kd conventions, at real p (read as the decimal it denotes)
  and at fractions k/g. numpy's discontinuous methods compute np in floating point, so where np
  is a whole number they can differ from the exact value; the exact value is the reference there;
- "sas_rank": SAS PROC RANK GROUPS= groups, floor(r·g/(n+1)) with pandas' ranks (average = TIES=MEAN,
  min = LOW, max = HIGH), as SAS's documentation states the formula; and SAS's own printed output
  of its documentation's Example 3 (female swimmers, GROUPS=3).
"""
import csv
import json
import math
import pathlib
from fractions import Fraction as F

import numpy as np
import pandas as pd

assert np.__version__ == "2.4.6" and pd.__version__ == "3.1.1"
OUT = pathlib.Path(__file__).resolve().parent
rng = np.random.default_rng(7)
SAMPLES = {
    "one": [3.5],
    "two": [1.0, 4.0],
    "five_ties": [2.0, 2.0, 3.0, 7.0, 7.0],
    "ten": [float(v) for v in range(1, 11)],
    "normal37": [round(float(v), 6) for v in rng.normal(0.0, 2.0, 37)],
    "ties100": [float(v) for v in rng.integers(0, 12, 100)],
    "pd1000": [round(float(v), 6) for v in rng.beta(0.6, 12.0, 1000)],
}
REAL_P = ["0", "0.01", "0.025", "0.1", "0.2", "0.25", "0.3", "0.5", "0.6", "0.75", "0.9", "0.975", "0.99", "1"]
FRACTIONS = [(k, g) for g in (3, 4, 5, 7, 10, 20) for k in range(1, g)]
HF = ["inverted_cdf", "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf",
      "hazen", "weibull", "linear", "median_unbiased", "normal_unbiased"]
KD = ["inverted-cdf", "averaged-inverted-cdf", "closest-observation", "interpolated-inverted-cdf",
      "hazen", "weibull", "linear", "median-unbiased", "normal-unbiased", "upper-inverted-cdf",
      "rounded-linear"]
CONTINUOUS = {  # (alpha, beta): position h = p(n + 1 - alpha - beta) + alpha (1-based)
    "interpolated-inverted-cdf": (F(0), F(1)), "hazen": (F(1, 2), F(1, 2)), "weibull": (F(0), F(0)),
    "linear": (F(1), F(1)), "median-unbiased": (F(1, 3), F(1, 3)), "normal-unbiased": (F(3, 8), F(3, 8)),
}


def exact(x, p, method):
    """Hyndman & Fan's definitions (and kd's two order-statistic conventions) in exact arithmetic."""
    xs = sorted(F(v) for v in x)
    n = len(xs)
    order = lambda k: xs[min(max(k, 1), n) - 1]  # 1-based, clamped
    np_ = n * p
    j, g = math.floor(np_), np_ - math.floor(np_)
    if method == "inverted-cdf":
        q = order(j) if g == 0 else order(j + 1)
    elif method == "averaged-inverted-cdf":
        q = (order(j) + order(j + 1)) / 2 if g == 0 else order(j + 1)
    elif method == "closest-observation":
        m = np_ - F(1, 2)
        j, g = math.floor(m), m - math.floor(m)
        q = order(j) if (g == 0 and j % 2 == 0) else order(j + 1)
    elif method == "upper-inverted-cdf":
        q = order(j + 1)
    elif method == "rounded-linear":
        h = (n - 1) * p  # round half away from zero
        k = math.floor(h) + (1 if h - math.floor(h) >= F(1, 2) else 0)
        q = order(k + 1)
    else:
        a, b = CONTINUOUS[method]
        h = p * (n + 1 - a - b) + a
        if h < 1:
            q = xs[0]
        elif h >= n:
            q = xs[-1]
        else:
            jj = math.floor(h)
            q = xs[jj - 1] + (h - jj) * (xs[jj] - xs[jj - 1])
    return float(q)


cases = []
for name, x in SAMPLES.items():
    for p in REAL_P:
        numpy_values = {m: float(np.quantile(np.array(x), float(p), method=m)) for m in HF}
        exact_values = {m: exact(x, F(p), m) for m in KD}
        for m_np, m_kd in zip(HF, KD):  # numpy and the exact definitions agree off the jumps
            whole = (len(x) * F(p)).denominator == 1
            if not whole or m_kd in CONTINUOUS:
                assert math.isclose(numpy_values[m_np], exact_values[m_kd], rel_tol=1e-12, abs_tol=1e-12), (name, p, m_np)
        cases.append({"sample": name, "p": float(p), "numpy": dict(zip(KD, numpy_values.values())),
                      "exact": exact_values})
fractions = []
for name, x in SAMPLES.items():
    for k, g in FRACTIONS:
        fractions.append({"sample": name, "k": k, "g": g, "exact": {m: exact(x, F(k, g), m) for m in KD}})

sas_rank = []
for name, x in SAMPLES.items():
    s = pd.Series(x)
    for groups in (2, 3, 4, 10):
        row = {"sample": name, "groups": groups}
        for ties, method in (("mean", "average"), ("low", "min"), ("high", "max")):
            r = s.rank(method=method).to_numpy()
            row[ties] = [int(math.floor(F(v) * groups / (len(x) + 1))) for v in r]
        sas_rank.append(row)
# SAS Base Procedures Guide, PROC RANK Example 3, female swimmers: printed groups (GROUPS=3).
swimmers = {"names": ["Andrea", "Carole", "Ellen", "Jan", "Karin", "Susan"],
            "back": [28.6, 32.9, 27.8, 31.3, 34.6, 35.1], "free": [30.3, 24.0, 27.0, 31.2, 26.2, 36.1],
            "sas_back_first3": [0, 1, 0], "sas_free_first3": [1, 0, 1]}

with open(OUT / "samples.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["sample", "value"])
    for name, x in SAMPLES.items():
        for v in x:
            w.writerow([name, repr(v)])
expected = {
    "source": f"numpy {np.__version__}, pandas {pd.__version__}, exact rational arithmetic (fractions)",
    "tolerance": 1e-12,
    "samples": SAMPLES, "real": cases, "fractions": fractions, "sas_rank": sas_rank, "swimmers": swimmers,
}
(OUT / "expected.json").write_text(json.dumps(expected, separators=(",", ":")) + "\n")
print(len(cases), "real cases,", len(fractions), "fraction cases,", len(sas_rank), "rank cases")

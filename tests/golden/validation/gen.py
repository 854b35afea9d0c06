"""Reference values for kd_hypotheses::validation and `kd validate`.

Run from the repository root with the pinned versions (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python tests/golden/validation/gen.py
Writes german_pd_baseline.csv / german_pd_current.csv (a logistic-regression PD model on the
German credit data, fitted on the baseline half) and expected.json.

Sources of the reference figures: scikit-learn's roc_auc_score and brier_score_loss; scipy's
ks_2samp (exact), binom, beta, norm, chi2 and chi2_contingency; DeLong's variance from its
definition with the O(m·n) kernel matrix (independent of kd's mid-rank algorithm), and a
bootstrap standard error for comparison; Hosmer-Lemeshow with R ResourceSelection's grouping
(numpy's default quantile is R's type 7) and with SAS PROC RANK's deciles (pandas' average
ranks, floor(r·g/(n+1)) as SAS documents); PSI with kd's documented bins, both ways.
"""
import csv
import json
import pathlib
import sys

import numpy as np
import pandas as pd
import scipy
import sklearn
from scipy import stats
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from formulas import hosmer_lemeshow, psi_levels, psi_numeric, sas_rank_groups  # noqa: E402

assert sklearn.__version__ == "1.9.1" and scipy.__version__ == "1.17.1"
ROOT = pathlib.Path(__file__).resolve().parents[3]
OUT = pathlib.Path(__file__).resolve().parent
NUMERIC = ["duration_in_month", "credit_amount", "installment_rate_in_percentage_of_disposable_income",
           "age_in_years", "number_of_existing_credits_at_this_bank"]

with open(ROOT / "data/credit/german_credit.csv", newline="") as f:
    rows = list(csv.DictReader(f))
x = np.array([[float(r[c]) for c in NUMERIC] for r in rows])
housing = np.array([r["housing"] for r in rows])
default = np.array([r["creditability"] == "bad" for r in rows])
base, cur = np.arange(500), np.arange(500, 1000)
scaler = StandardScaler().fit(x[base])
z = scaler.transform(x)
pd_ = LogisticRegression().fit(z[base], default[base]).predict_proba(z)[:, 1]
challenger = LogisticRegression().fit(z[base][:, :2], default[base]).predict_proba(z[:, :2])[:, 1]
pd_ = np.round(pd_, 6)  # written with 6 decimals: the references use exactly what the files hold
challenger = np.round(challenger, 6)
grades = np.array(["A", "B", "C", "D", "E"])[np.searchsorted([0.15, 0.25, 0.35, 0.5], pd_, side="right")]

for name, idx in [("baseline", base), ("current", cur)]:
    with open(OUT / f"german_pd_{name}.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(NUMERIC + ["housing", "pd", "challenger", "default", "grade"])
        for i in idx:
            w.writerow([f"{v:g}" for v in x[i]] + [housing[i], f"{pd_[i]:.6f}", f"{challenger[i]:.6f}",
                                                   int(default[i]), grades[i]])


def delong_components(y, s):
    pos, neg = s[y], s[~y]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    return psi.mean(), psi.mean(1), psi.mean(0)


def delong(y, s):
    auc, v10, v01 = delong_components(y, s)
    return auc, np.sqrt(np.var(v10, ddof=1) / len(v10) + np.var(v01, ddof=1) / len(v01))


def delong_compare(y, a, b):
    aa, a10, a01 = delong_components(y, a)
    bb, b10, b01 = delong_components(y, b)
    s10 = np.cov(np.vstack([a10, b10]))
    s01 = np.cov(np.vstack([a01, b01]))
    var = (s10[0, 0] + s10[1, 1] - 2 * s10[0, 1]) / len(a10) + (s01[0, 0] + s01[1, 1] - 2 * s01[0, 1]) / len(a01)
    zstat = (aa - bb) / np.sqrt(var)
    return {"auroc_a": aa, "auroc_b": bb, "std_error": float(np.sqrt(var)), "statistic": zstat,
            "p_value": 2 * stats.norm.sf(abs(zstat))}














y, p, ch = default[cur], pd_[cur], challenger[cur]
auc, se = delong(y, p)
rng = np.random.default_rng(0)
boot = []
for _ in range(2000):
    i = rng.integers(0, len(y), len(y))
    if y[i].any() and not y[i].all():
        boot.append(roc_auc_score(y[i], p[i]))
ks = stats.ks_2samp(p[y], p[~y], method="exact")
spieg = np.sum((y - p) * (1 - 2 * p)) / np.sqrt(np.sum((1 - 2 * p) ** 2 * p * (1 - p)))
grade_rows = []
g_cur = grades[cur]
for g in sorted(set(g_cur)):
    m = g_cur == g
    n, d, gp = int(m.sum()), int(y[m].sum()), float(p[m].mean())
    q = [stats.norm.cdf((stats.norm.ppf(gp) + np.sqrt(0.12) * stats.norm.ppf(a)) / np.sqrt(1 - 0.12)) for a in (0.95, 0.999)]
    rate = d / n
    grade_rows.append({"grade": g, "n": n, "defaults": d, "pd": gp, "observed_rate": rate,
                       "binomial_p_value": float(stats.binom.sf(d - 1, n, gp)),
                       "jeffreys_p_value": float(stats.beta.cdf(gp, d + 0.5, n - d + 0.5)),
                       "vasicek_q95": q[0], "vasicek_q999": q[1],
                       "traffic_light": "green" if rate <= q[0] else "yellow" if rate <= q[1] else "red"})
# Brier decomposition over the grades.
ybar = y.mean()
rel = sum(np.sum(g_cur == g) * (p[g_cur == g].mean() - y[g_cur == g].mean()) ** 2 for g in set(g_cur)) / len(y)
res = sum(np.sum(g_cur == g) * (y[g_cur == g].mean() - ybar) ** 2 for g in set(g_cur)) / len(y)
levels = sorted(set(grades))
chi = stats.chi2_contingency(np.array([[np.sum(grades[base] == l) for l in levels],
                                       [np.sum(grades[cur] == l) for l in levels]]), correction=False)
ks_pop = stats.ks_2samp(pd_[base], pd_[cur], method="exact")

ks_cases = []
case_rng = np.random.default_rng(1)
for m, n, spread in [(7, 7, 5), (12, 30, 4), (40, 25, 10), (300, 45, 50), (97, 97, 30), (1000, 350, 1000)]:
    a = case_rng.integers(0, spread, m).astype(float)
    b = case_rng.integers(0, spread, n).astype(float) + 0.7 * (m % 3)
    r = stats.ks_2samp(a, b, method="exact")
    ks_cases.append({"a": a.tolist(), "b": b.tolist(), "statistic": r.statistic, "p_value": r.pvalue})
asymptotic = [{"x": x_, "sf": float(stats.kstwobign.sf(x_))} for x_ in [0.3, 0.6, 0.9, 1.0, 1.2, 1.8, 2.5]]

expected = {
    "source": f"scikit-learn {sklearn.__version__}, scipy {scipy.__version__}, numpy {np.__version__}, pandas {pd.__version__}",
    "tolerance": 1e-10,
    "n_obs": int(len(y)), "n_defaults": int(y.sum()),
    "auroc": {"value": roc_auc_score(y, p), "std_error": se, "bootstrap_std_error": float(np.std(boot, ddof=1))},
    "gini": 2 * roc_auc_score(y, p) - 1,
    "ks": {"statistic": ks.statistic, "p_value": ks.pvalue},
    "delong_test": delong_compare(y, p, ch),
    "hosmer_lemeshow": hosmer_lemeshow(y, p, 10),
    "hosmer_lemeshow_7": hosmer_lemeshow(y, p, 7),
    "hosmer_lemeshow_sas_rank_7": hosmer_lemeshow(y, p, 7, sas_rank_groups),
    "spiegelhalter": {"statistic": spieg, "p_value": 2 * stats.norm.sf(abs(spieg))},
    "brier": brier_score_loss(y, p),
    "brier_by_grade": {"reliability": rel, "resolution": res, "uncertainty": ybar * (1 - ybar)},
    "grades": grade_rows,
    "stability": {
        "psi": psi_numeric(pd_[base], pd_[cur]),
        "psi_sas_rank_7": psi_numeric(pd_[base], pd_[cur], 7, sas_rank_groups),
        "csi": {**{c: psi_numeric(x[base, j], x[cur, j]) for j, c in enumerate(NUMERIC)},
                "housing": psi_levels(housing[base], housing[cur])},
        "psi_grades": psi_levels(grades[base], grades[cur]),
        "ks": {"statistic": ks_pop.statistic, "p_value": ks_pop.pvalue},
        "chi_square": {"statistic": chi.statistic, "df": int(chi.dof), "p_value": chi.pvalue},
    },
    "ks_cases": ks_cases,
    "kolmogorov_sf": asymptotic,
}
(OUT / "expected.json").write_text(json.dumps(expected, indent=1, default=float) + "\n")
print(json.dumps({k: v for k, v in expected.items() if k not in ("ks_cases", "grades")}, indent=1, default=float))

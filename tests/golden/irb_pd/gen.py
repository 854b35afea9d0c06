"""Reference values for kd's IRB validation of PD models (`kd validate --model pd`).

Run from the repository root with the pinned versions (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python tests/golden/irb_pd/gen.py
    Rscript tests/golden/irb_pd/gen.R          # pROC's AUROC and DeLong standard errors
    Rscript tests/golden/irb_pd/pluto_tasche.R # Pluto-Tasche with correlated defaults (after gen.py)

Writes, from the Taiwan credit-card default data (data/credit/taiwan_default.csv.gz, Yeh & Lien
2009):
- taiwan_development.csv.gz: half of the customers (seeded), on which a logistic-regression PD
  model is fitted: the sample at initial validation;
- taiwan_current.csv.gz: the other half, scored as of September 2005 (the month before the
  observed default month), graded on a 7-grade master scale AAA ... CCC;
- taiwan_previous.csv.gz: the same customers scored one month earlier (the model applied to the
  payment history shifted by a month), the earlier snapshot for the migration matrix.
and a synthetic panel (panel.csv.gz): 5 yearly cohorts of a 7-grade portfolio whose true PDs and
migration matrix are known, with exposures and overrides.

Every reference below is computed here from the published formula, independently of kd:
AUROC (scikit-learn), DeLong's variance from mid-ranks (scipy.stats.rankdata), the ECB's tests
(AUC change, Herfindahl, Jeffreys, matrix-weighted bandwidths, the migration matrix's
monotonicity z-tests, checked against the decisions MathWorks prints for its example) from the
2019 instructions, the
Pluto-Tasche bounds from scipy's beta.ppf, Working Paper 14's normal test, PSI with numpy
quantiles, chi-squared with scipy.
"""
import json
import pathlib
import sys

import numpy as np
import pandas as pd
import scipy
import sklearn
from scipy import stats
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "validation"))
from formulas import hosmer_lemeshow, psi_counts, psi_numeric  # noqa: E402

assert sklearn.__version__ == "1.9.1" and scipy.__version__ == "1.17.1"
assert np.__version__ == "2.4.6" and pd.__version__ == "3.1.1"
ROOT = pathlib.Path(__file__).resolve().parents[3]
OUT = pathlib.Path(__file__).resolve().parent
SCALE = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC"]
BOUNDS = [0.08, 0.12, 0.16, 0.22, 0.35, 0.55]  # master scale: PD upper bounds of AAA ... B

raw = pd.read_csv(ROOT / "data/credit/taiwan_default.csv.gz")
status = ["PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6"]
bill = [f"BILL_AMT{k}" for k in range(1, 7)]
paid = [f"PAY_AMT{k}" for k in range(1, 7)]


def features(lag):
    """Limit, age and the last three months of status, bill and payment, `lag` months back."""
    cols = {"limit": raw["LIMIT_BAL"], "age": raw["AGE"]}
    for m in range(3):
        cols[f"status{m}"] = raw[status[lag + m]]
        cols[f"bill{m}"] = np.sign(raw[bill[lag + m]]) * np.log1p(np.abs(raw[bill[lag + m]]))
        cols[f"paid{m}"] = np.log1p(raw[paid[lag + m]])
    return pd.DataFrame(cols).to_numpy(float)


rng = np.random.default_rng(2005)
development = np.zeros(len(raw), bool)
development[rng.permutation(len(raw))[: len(raw) // 2]] = True
y_all = raw["default.payment.next.month"].to_numpy() == 1
scaler = StandardScaler().fit(features(0)[development])
model = LogisticRegression(max_iter=1000).fit(scaler.transform(features(0)[development]), y_all[development])
pd_now = np.round(model.predict_proba(scaler.transform(features(0)))[:, 1], 6)
pd_before = np.round(model.predict_proba(scaler.transform(features(1)))[:, 1], 6)
grade = lambda p: np.array(SCALE)[np.searchsorted(BOUNDS, p, side="left")]  # (lower, upper]


def frame(rows, p):
    return pd.DataFrame({"id": raw["ID"][rows].to_numpy(), "limit": raw["LIMIT_BAL"][rows].to_numpy(),
                         "age": raw["AGE"][rows].to_numpy(), "status": raw["PAY_0"][rows].to_numpy(),
                         "pd": p[rows], "grade": grade(p[rows]), "default": y_all[rows].astype(int)})


dev, cur = frame(development, pd_now), frame(~development, pd_now)
prev = pd.DataFrame({"id": raw["ID"][~development].to_numpy(), "pd": pd_before[~development],
                     "grade": grade(pd_before[~development])})
for name, table in [("development", dev), ("current", cur), ("previous", prev)]:
    table.to_csv(OUT / f"taiwan_{name}.csv.gz", index=False, float_format="%.6f",
                 compression={"method": "gzip", "mtime": 0})
dev = pd.read_csv(OUT / "taiwan_development.csv.gz")  # the references use what the files hold
cur = pd.read_csv(OUT / "taiwan_current.csv.gz")
prev = pd.read_csv(OUT / "taiwan_previous.csv.gz")


# --- discriminatory power -------------------------------------------------------------------
def delong(y, s):
    """AUROC and DeLong's standard error from mid-ranks (Hanley-McNeil placements)."""
    pos, neg = s[y], s[~y]
    m, n = len(pos), len(neg)
    r_all = stats.rankdata(np.concatenate([pos, neg]))
    v10 = (r_all[:m] - stats.rankdata(pos)) / n  # share of negatives below each positive (ties 1/2)
    v01 = 1 - (r_all[m:] - stats.rankdata(neg)) / m
    auc = v10.mean()
    return auc, np.sqrt(np.var(v10, ddof=1) / m + np.var(v01, ddof=1) / n)


def auc_change(current, se, initial, initial_se):
    s = (initial - current) / se
    z = (initial - current) / np.sqrt(se**2 + initial_se**2)
    return {"initial": initial, "initial_std_error": initial_se, "current": current, "current_std_error": se,
            "statistic": s, "p_value": stats.norm.sf(s), "independent_statistic": z,
            "independent_p_value": stats.norm.sf(z)}


y, p = cur["default"].to_numpy() == 1, cur["pd"].to_numpy()
y0, p0 = dev["default"].to_numpy() == 1, dev["pd"].to_numpy()
auc, se = delong(y, p)
auc0, se0 = delong(y0, p0)
assert abs(auc - roc_auc_score(y, p)) < 1e-12 and abs(auc0 - roc_auc_score(y0, p0)) < 1e-12
d_ks = stats.ks_2samp(p[y], p[~y]).statistic
en = y.sum() * (~y).sum() / len(y)


# --- predictive ability ------------------------------------------------------------------------




def grade_rows(y, p, g, rho=0.12):
    rows = []
    for label in SCALE:
        m = g == label
        n, dd, gp = int(m.sum()), int(y[m].sum()), float(p[m].mean())
        q = [stats.norm.cdf((stats.norm.ppf(gp) + np.sqrt(rho) * stats.norm.ppf(a)) / np.sqrt(1 - rho)) for a in (0.95, 0.999)]
        rows.append({"grade": label, "n": n, "defaults": dd, "pd": gp, "observed_rate": dd / n,
                     "binomial_p_value": float(stats.binom.sf(dd - 1, n, gp)),
                     "jeffreys_p_value": float(stats.beta.cdf(gp, dd + 0.5, n - dd + 0.5)),
                     "traffic_light": "green" if dd / n <= q[0] else "yellow" if dd / n <= q[1] else "red"})
    return rows


def pluto_tasche(n, d, gamma):
    """Most prudent bounds: grades k.. pooled, P(Bin(N, p) <= D) = 1 - gamma."""
    out = []
    for k in range(len(n)):
        N, D = int(sum(n[k:])), int(sum(d[k:]))
        out.append(1.0 if D == N else float(stats.beta.ppf(gamma, D + 1, N - D)))
    return out


grades = grade_rows(y, p, cur["grade"].to_numpy())
n_g, d_g = [r["n"] for r in grades], [r["defaults"] for r in grades]
# kd's inverse must hold its digits where scipy's does: check scipy against its own cdf first.
for b, (N, D) in zip(pluto_tasche(n_g, d_g, 0.9), [(sum(n_g[k:]), sum(d_g[k:])) for k in range(7)]):
    assert abs(stats.binom.cdf(D, N, b) - 0.1) < 1e-12


# --- concentration -------------------------------------------------------------------------------
def herfindahl(weights):
    r = np.asarray(weights, float) / np.sum(weights)
    k = len(r)
    cv = np.sqrt(k * np.sum((r - 1 / k) ** 2))
    return {"sum_of_squares": float(np.sum(r**2)), "cv": cv, "index": 1 + np.log((cv**2 + 1) / k) / np.log(k)}


def herfindahl_test(current, initial):
    c, i = herfindahl(current), herfindahl(initial)
    k = len(current)
    t = np.sqrt(k - 1) * (c["cv"] - i["cv"]) / np.sqrt(c["cv"] ** 2 * (0.5 + c["cv"] ** 2))
    return {"current": c, "initial": i, "statistic": t, "p_value": stats.norm.sf(t)}


def per_grade(table, column=None):
    return [float(table.loc[table["grade"] == g, column].sum()) if column else int((table["grade"] == g).sum())
            for g in SCALE]


# --- stability: migration ------------------------------------------------------------------------
def monotonicity(counts, level=0.05):
    """The ECB's z-tests of a migration matrix's monotonicity (2019 instructions, §2.5.5): each
    off-diagonal cell of the square part against its neighbour nearer the diagonal, in shares of
    the row's total (every column), z = (p_near - p_far) / sqrt((p_far (1 - p_far) + p_near
    (1 - p_near) + 2 p_far p_near) / N_i), breach when Phi(z) < level; no test where the row
    is empty or both shares 0; a row all in the far cell a breach with p = 0 (z None), all in
    the near one none with p = 1."""
    counts = np.asarray(counts, float)
    k = counts.shape[0]
    tests, untested = [], 0
    for i in range(k):
        n = counts[i].sum()
        for j in range(k):
            if j == i:
                continue
            near = j - 1 if j > i else j + 1
            if n == 0 or counts[i, j] + counts[i, near] == 0:
                untested += 1
                continue
            pf, pn = counts[i, j] / n, counts[i, near] / n
            var = (pf * (1 - pf) + pn * (1 - pn) + 2 * pf * pn) / n
            z = float((pn - pf) / np.sqrt(var)) if var > 0 else None
            p = float(stats.norm.cdf(z)) if z is not None else (0.0 if pf > pn else 1.0)
            tests.append({"from": i, "to": j, "z": z, "p_value": p, "breach": p < level})
    return {"level": level, "tests": tests, "untested": untested, "breaches": sum(t["breach"] for t in tests)}


def migration(frm, to, k):
    counts = np.zeros((k, k), int)
    np.add.at(counts, (frm, to), 1)
    i, j = np.indices((k, k))
    reach = np.maximum(np.abs(i + 1 - k), np.abs(i + 1 - 1))  # 1-based max(|i-K|, |i-1|)
    up, low = j > i, j < i
    dist = np.abs(i - j)
    step = np.abs(np.asarray(frm) - np.asarray(to))
    return {"counts": counts.tolist(), "n": int(len(frm)), "stayed": float(np.mean(step == 0)),
            "moved_one": float(np.mean(step == 1)), "moved_two": float(np.mean(step == 2)),
            "moved_more": float(np.mean(step > 2)), "downgraded": float(np.mean(np.asarray(to) > frm)),
            "upgraded": float(np.mean(np.asarray(to) < frm)),
            "mwb_upper": float((dist * counts)[up].sum() / (reach * counts)[up].sum()),
            "mwb_lower": float((dist * counts)[low].sum() / (reach * counts)[low].sum()),
            "monotonicity": monotonicity(counts)}


rank = {g: i for i, g in enumerate(SCALE)}
joined = prev.merge(cur, on="id", suffixes=("_before", ""))
taiwan_migration = migration(joined["grade_before"].map(rank).to_numpy(), joined["grade"].map(rank).to_numpy(), 7)
# MathWorks' worked example (risk.validation.matrixWeightedBandwidth): lower 0.3306, upper 0.6066.
mw = np.array([[10, 8, 15, 9, 10], [11, 9, 13, 9, 8], [0, 10, 10, 11, 10], [0, 0, 9, 11, 11], [0, 0, 0, 11, 10]])
frm = np.repeat(np.arange(5), mw.sum(1))
to = np.concatenate([np.repeat(np.arange(5), row) for row in mw])
mathworks = migration(frm, to, 5)
assert round(mathworks["mwb_lower"], 4) == 0.3306 and round(mathworks["mwb_upper"], 4) == 0.6066


# MathWorks' worked example of risk.validation.migrationMatrixStabilityTest: 14 grades and a 15th
# column, and the decisions its documentation prints for rows 1-5 (1 breach, 0 none, None not
# tested; row 5 is cut off after its ninth column there).
mms_counts = np.zeros((14, 15), int)
mms_counts[0] = np.arange(1, 142, 10)
mms_counts[1, :4] = [89, 120, 81, 14]
mms_counts[2, :5] = [24, 81, 114, 81, 15]
mms_counts[3, :8] = [2, 19, 75, 132, 69, 21, 4, 1]
mms_counts[4, :8] = [0, 0, 19, 89, 100, 66, 32, 1]
mms_counts[5, :9] = [0, 0, 1, 18, 83, 114, 74, 18, 4]
mms_counts[6, :9] = [0, 0, 0, 4, 27, 61, 107, 73, 13]
mms_counts[7, 5:11] = [15, 62, 105, 68, 16, 2]
mms_counts[8, 5:12] = [1, 10, 84, 102, 75, 14, 1]
mms_counts[9, 6:13] = [4, 13, 57, 127, 68, 32, 1]
mms_counts[10, 7:13] = [1, 14, 85, 122, 83, 26]
mms_counts[11, 8:15] = [1, 16, 71, 103, 80, 16, 3]
mms_counts[12] = [0] + list(range(1500, 199, -100))
mms_counts[13, 10:15] = [2, 14, 67, 114, 106]
N = None
printed = [
    [N, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    [0, N, 0, 0, 0, N, N, N, N, N, N, N, N, N],
    [0, 0, N, 0, 0, 0, N, N, N, N, N, N, N, N],
    [0, 0, 0, N, 0, 0, 0, 0, 0, N, N, N, N, N],
    [N, 0, 0, 0, N, 0, 0, 0, 0],
]
mms = monotonicity(mms_counts)
decided = {(t["from"], t["to"]): int(t["breach"]) for t in mms["tests"]}
for i, row in enumerate(printed):
    for j, d in enumerate(row):
        assert decided.get((i, j)) == d, ("MathWorks' decision", i, j, d, decided.get((i, j)))
mathworks_mms = {"counts": mms_counts.tolist(), "printed_decisions": printed, **mms}


# --- stability: PSI ------------------------------------------------------------------------------




taiwan = {
    "n_obs": int(len(y)), "n_defaults": int(y.sum()),
    "auroc": {"value": auc, "std_error": se}, "gini": 2 * auc - 1,
    "ks": {"statistic": d_ks, "p_value": float(stats.kstwobign.sf(np.sqrt(en) * d_ks))},
    "auc_change": auc_change(auc, se, auc0, se0),
    "hosmer_lemeshow": hosmer_lemeshow(y, p, 10),
    "portfolio_jeffreys": {"n": int(len(y)), "defaults": int(y.sum()), "pd": float(p.mean()),
                           "p_value": float(stats.beta.cdf(p.mean(), y.sum() + 0.5, len(y) - y.sum() + 0.5))},
    "grades": grades,
    "pluto_tasche_90": pluto_tasche(n_g, d_g, 0.9),
    "concentration": {"obligors": herfindahl_test(per_grade(cur), per_grade(dev)),
                      "exposure": herfindahl_test(per_grade(cur, "limit"), per_grade(dev, "limit"))},
    "migration": taiwan_migration,
    "stability": {"psi": psi_numeric(p0, p),
                  "csi": {c: psi_numeric(dev[c].to_numpy(float), cur[c].to_numpy(float)) for c in ["limit", "age", "status", "id"]},
                  "psi_grades": psi_counts(per_grade(dev), per_grade(cur))},
}

# --- the synthetic panel ---------------------------------------------------------------------------
TRUE_PD = np.array([0.003, 0.008, 0.015, 0.03, 0.06, 0.12, 0.25])
MOVE = np.array([0.80, 0.15, 0.05])  # stay, one grade, two grades (each split evenly up and down)
DATES = ["2019-12-31", "2020-12-31", "2021-12-31", "2022-12-31", "2023-12-31"]
CYCLE = np.array([0.8, 1.3, 1.0, 0.9, 1.1])  # the default rates' cycle around the true PDs
sim = np.random.default_rng(19)
rows, next_id = [], 1
book = {}  # id -> grade
for _ in range(1500):
    book[next_id] = int(sim.choice(7, p=[0.1, 0.15, 0.2, 0.2, 0.15, 0.12, 0.08]))
    next_id += 1
for t, date in enumerate(DATES):
    for obligor, g in list(book.items()):
        exposure = round(float(sim.lognormal(10, 1)), 2)
        default = int(sim.random() < min(TRUE_PD[g] * CYCLE[t], 1))
        shift = sim.choice([0, 1, 2], p=MOVE) * sim.choice([-1, 1])
        final = int(np.clip(g + (sim.choice([-1, 1]) if sim.random() < 0.05 else 0), 0, 6))
        rows.append({"id": obligor, "date": date, "grade": g + 1, "pd": TRUE_PD[g], "default": default,
                     "exposure": exposure, "final_grade": final + 1})
        if default:
            del book[obligor]
            book[next_id] = int(sim.choice(7, p=[0.1, 0.15, 0.2, 0.2, 0.15, 0.12, 0.08]))
            next_id += 1
        else:
            book[obligor] = int(np.clip(g + shift, 0, 6))
panel = pd.DataFrame(rows)
panel.to_csv(OUT / "panel.csv.gz", index=False, float_format="%.6f", compression={"method": "gzip", "mtime": 0})
panel = pd.read_csv(OUT / "panel.csv.gz")

cohorts = []
for date in DATES:
    m = panel["date"] == date
    cohorts.append({"cohort": date, "n": int(m.sum()), "defaults": int(panel["default"][m].sum()),
                    "default_rate": float(panel["default"][m].mean()), "mean_pd": float(panel["pd"][m].mean())})


def normal_test(dr, forecast):
    e = np.asarray(dr) - np.asarray(forecast)
    tau = np.std(e, ddof=1)
    z = e.sum() / (np.sqrt(len(e)) * tau)
    return z, stats.norm.sf(z)


dr = [c["default_rate"] for c in cohorts]
z_own, p_own = normal_test(dr, [c["mean_pd"] for c in cohorts])
z_target, p_target = normal_test(dr, [0.05] * len(dr))
last, before = panel[panel["date"] == DATES[-1]], panel[panel["date"] == DATES[-2]]
pair = before.merge(last, on="id", suffixes=("_before", ""))
latest_y, latest_p = last["default"].to_numpy() == 1, last["pd"].to_numpy()
overrides = last["final_grade"] != last["grade"]
synthetic = {
    "true_pd": TRUE_PD.tolist(), "cycle": CYCLE.tolist(),
    "cohorts": cohorts,
    "long_run": {"default_rate": float(np.mean(dr)), "statistic_own_pd": z_own, "p_value_own_pd": p_own,
                 "target": 0.05, "statistic_target": z_target, "p_value_target": p_target},
    "migration": migration(pair["grade_before"].to_numpy() - 1, pair["grade"].to_numpy() - 1, 7),
    "overrides": {"n": int(len(last)), "overridden": int(overrides.sum()), "rate": float(overrides.mean()),
                  "upgrades": int((last["final_grade"] < last["grade"]).sum()),
                  "downgrades": int((last["final_grade"] > last["grade"]).sum())},
    "latest": {"n_obs": int(len(last)), "auroc": roc_auc_score(latest_y, latest_p),
               "pluto_tasche_90": pluto_tasche([int((last["grade"] == g).sum()) for g in range(1, 8)],
                                               [int(last["default"][last["grade"] == g].sum()) for g in range(1, 8)], 0.9)},
}

# Pluto & Tasche's zero-default example (grades of 100, 400 and 300 obligors).
zero_default = {"n": [100, 400, 300], "d": [0, 0, 0],
                **{f"bounds_{g}": pluto_tasche([100, 400, 300], [0, 0, 0], g) for g in (0.5, 0.9, 0.99, 0.999)}}

expected = {
    "source": f"scikit-learn {sklearn.__version__}, scipy {scipy.__version__}, numpy {np.__version__}, pandas {pd.__version__}",
    "tolerance": 1e-10, "scale": SCALE,
    "taiwan": taiwan, "mathworks_mwb": mathworks, "mathworks_mms": mathworks_mms, "synthetic_panel": synthetic, "pluto_tasche_zero_default": zero_default,
}
(OUT / "expected.json").write_text(json.dumps(expected, indent=1, default=float) + "\n")
print(json.dumps({k: taiwan[k] for k in ("n_obs", "n_defaults", "auroc", "auc_change")}, indent=1, default=float))
print("grades", [(r["grade"], r["n"], r["defaults"]) for r in grades])
print("migration", {k: v for k, v in taiwan_migration.items() if k != "counts"})
print("panel cohorts", cohorts)

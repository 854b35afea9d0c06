"""A synthetic LGD / CCF portfolio with known true values, and reference values for kd's
validation of LGD and CCF models (`kd validate --model lgd|ccf`).

Run from the repository root with the pinned versions (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python tests/golden/irb_lgd/gen.py

The portfolio (seeded): defaulted facilities in five LGD segments L1 ... L5 whose estimates sit
around 0.10, 0.20, 0.35, 0.50, 0.70. Realised LGDs are Beta-distributed around the true LGD,
which equals the estimate except in L3, where the model under-estimates by 0.06, and in L5,
where it over-estimates by 0.04; 2% of workouts cost more than they recover (realised LGD
1 + Exp(0.05), above 1, as real workouts can), which adds about 0.02 to every segment's gap.
The true mean gap (realised minus estimated) of each segment is computed below by Monte Carlo
("true_gap_lgd"). Each facility also has an ELBE (the best estimate at default:
unbiased) and an LGD in-default (the ELBE plus a 0.05 add-on). The CCF file: revolving
facilities in four segments, realised CCFs around the estimates (under-estimated by 0.08 in
C3), some below 0 or above 1. Baseline files (the portfolio at initial validation) have a
different segment mix for the stability tests.

Files: lgd_current.csv.gz, lgd_baseline.csv.gz, ccf_current.csv.gz, ccf_baseline.csv.gz and
expected.json. References, computed here from the published formulas independently of kd:
scipy.stats.ttest_1samp (the ECB's t-test of realised against estimated), the loss shortfall
and error measures with numpy, the generalised AUC as (1 + Somers' D)/2 by brute force over all
pairs (its definition checked against scipy.stats.somersd) with the asymptotic standard error of
Somers' D (SAS PROC FREQ's formula), the ECB's AUC-change test, PSI with numpy's type-7 deciles.
"""
import json
import pathlib
import sys

import numpy as np
import pandas as pd
import scipy
from scipy import stats

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "validation"))
from formulas import psi_counts, psi_numeric  # noqa: E402

assert scipy.__version__ == "1.17.1" and np.__version__ == "2.4.6" and pd.__version__ == "3.1.1"
OUT = pathlib.Path(__file__).resolve().parent
rng = np.random.default_rng(2019)

LGD_LEVEL = np.array([0.10, 0.20, 0.35, 0.50, 0.70])
LGD_BIAS = np.array([0.0, 0.0, 0.06, 0.0, -0.04])  # true LGD = estimate + bias
COSTLY, PRECISION = 0.02, 6.0
CCF_LEVEL = np.array([0.25, 0.45, 0.60, 0.80])
CCF_BIAS = np.array([0.0, 0.0, 0.08, 0.0])


def lgd_portfolio(n, mix, with_outcomes=True):
    seg = rng.choice(5, n, p=mix)
    est = np.clip(LGD_LEVEL[seg] + rng.normal(0, 0.04, n), 0.02, 0.95)
    true = np.clip(est + LGD_BIAS[seg], 0.01, 0.99)
    realised = rng.beta(true * PRECISION, (1 - true) * PRECISION)
    costly = rng.random(n) < COSTLY
    realised[costly] = 1 + rng.exponential(0.05, costly.sum())
    elbe = np.clip(true + rng.normal(0, 0.03, n), 0, 1)
    frame = pd.DataFrame({"facility": np.arange(1, n + 1), "segment": [f"L{s + 1}" for s in seg],
                          "lgd": np.round(est, 6), "realised": np.round(realised, 6),
                          "ead": np.round(rng.lognormal(11, 1, n), 2), "elbe": np.round(elbe, 6),
                          "lgd_in_default": np.round(np.minimum(elbe + 0.05, 1), 6)})
    return frame if with_outcomes else frame.drop(columns=["realised"])


def ccf_portfolio(n, mix):
    seg = rng.choice(4, n, p=mix)
    est = np.clip(CCF_LEVEL[seg] + rng.normal(0, 0.05, n), 0.05, 1.0)
    realised = est + CCF_BIAS[seg] + rng.normal(0, 0.25, n)  # can fall below 0 or exceed 1
    return pd.DataFrame({"facility": np.arange(1, n + 1), "segment": [f"C{s + 1}" for s in seg],
                         "ccf": np.round(est, 6), "realised": np.round(realised, 6),
                         "undrawn": np.round(rng.lognormal(9, 1, n), 2)})


files = {"lgd_current": lgd_portfolio(4000, [0.15, 0.25, 0.3, 0.2, 0.1]),
         "lgd_baseline": lgd_portfolio(3000, [0.2, 0.25, 0.25, 0.2, 0.1]),
         "ccf_current": ccf_portfolio(2500, [0.3, 0.3, 0.25, 0.15]),
         "ccf_baseline": ccf_portfolio(2000, [0.35, 0.3, 0.2, 0.15])}
for name, frame in files.items():
    frame.to_csv(OUT / f"{name}.csv.gz", index=False, compression={"method": "gzip", "mtime": 0})
files = {name: pd.read_csv(OUT / f"{name}.csv.gz") for name in files}  # use what the files hold


def backtest(label, r, e, w, alternative):
    diff = r - e
    out = {"segment": label, "n": int(len(r)), "mean_estimate": float(e.mean()), "mean_realised": float(r.mean()),
           "mean_difference": float(diff.mean()), "mean_absolute_error": float(np.abs(diff).mean()),
           "mean_squared_error": float((diff**2).mean()), "loss_shortfall": float(1 - (w * e).sum() / (w * r).sum())}
    t = stats.ttest_1samp(diff, 0.0, alternative=alternative)
    out["t_test"] = {"statistic": float(t.statistic), "df": int(len(r) - 1), "p_value": float(t.pvalue)}
    return out


def segment_backtests(frame, estimate, weight, alternative):
    out = [backtest(s, frame.loc[frame["segment"] == s, "realised"].to_numpy(),
                    frame.loc[frame["segment"] == s, estimate].to_numpy(),
                    frame.loc[frame["segment"] == s, weight].to_numpy(), alternative)
           for s in sorted(frame["segment"].unique())]
    out.append(backtest("portfolio", frame["realised"].to_numpy(), frame[estimate].to_numpy(),
                        frame[weight].to_numpy(), alternative))
    return out


def generalised_auc(realised, estimate):
    """(1 + Somers' D(estimate | realised)) / 2 and half the asymptotic standard error of D, by
    brute force over all ordered pairs (O(n²), in blocks): for facility i, c_i = Σ_j sign(y_j − y_i)
    sign(s_j − s_i); P − Q = Σ c_i; w = n² − Σ_y n_y²; ASE = (2/w²) √Σ_i (w c_i − (P − Q)(n − n_{y_i}))²
    (SAS PROC FREQ's formula for Somers' D C|R, summed per facility instead of per cell)."""
    y, s = np.asarray(realised, float), np.asarray(estimate, float)
    n = len(y)
    c = np.zeros(n)
    for start in range(0, n, 500):
        block = slice(start, min(start + 500, n))
        c[block] = (np.sign(y[None, :] - y[block, None]) * np.sign(s[None, :] - s[block, None])).sum(1)
    _, inverse, counts = np.unique(y, return_inverse=True, return_counts=True)
    w = n**2 - (counts.astype(float) ** 2).sum()
    pq = c.sum()
    ase = 2 / w**2 * np.sqrt(((w * c - pq * (n - counts[inverse])) ** 2).sum())
    return {"value": (1 + pq / w) / 2, "std_error": ase / 2, "somers_d": pq / w}


# The definition against scipy's Somers' D on an ordinal outcome (realised LGD in five bands),
# where scipy's contingency-table algorithm is fast.
_band = lambda r: np.digitize(r, [0.2, 0.4, 0.6, 0.8])
_small = np.random.default_rng(3)
_r, _e = _small.random(600), _small.random(600)
assert abs(generalised_auc(_band(_r), _e)["somers_d"] - stats.somersd(_band(_r), _e).statistic) < 1e-12


def auc_change(current, se, initial, initial_se):
    s = (initial - current) / se
    z = (initial - current) / np.sqrt(se**2 + initial_se**2)
    return {"statistic": s, "p_value": stats.norm.sf(s), "independent_statistic": z,
            "independent_p_value": stats.norm.sf(z)}








def report(current, baseline, estimate, weight, alternative):
    g = generalised_auc(current["realised"].to_numpy(), current[estimate].to_numpy())
    g0 = generalised_auc(baseline["realised"].to_numpy(), baseline[estimate].to_numpy())
    levels = sorted(set(current["segment"]) | set(baseline["segment"]))
    count = lambda f: [int((f["segment"] == s).sum()) for s in levels]
    return {"n": int(len(current)), "backtests": segment_backtests(current, estimate, weight, alternative),
            "gauc": g, "gauc_initial": g0, "gauc_change": auc_change(g["value"], g["std_error"], g0["value"], g0["std_error"]),
            "psi_estimate": psi_numeric(baseline[estimate].to_numpy(), current[estimate].to_numpy()),
            "psi_segments": psi_counts(count(baseline), count(current))}


lgd, ccf = files["lgd_current"], files["ccf_current"]
lgd_report = report(lgd, files["lgd_baseline"], "lgd", "ead", "greater")
lgd_report["elbe"] = backtest("portfolio", lgd["realised"].to_numpy(), lgd["elbe"].to_numpy(), lgd["ead"].to_numpy(), "two-sided")
lgd_report["lgd_in_default"] = backtest("portfolio", lgd["realised"].to_numpy(), lgd["lgd_in_default"].to_numpy(),
                                        lgd["ead"].to_numpy(), "greater")
ccf_report = report(ccf, files["ccf_baseline"], "ccf", "undrawn", "greater")

# True values: the expected realised-minus-estimated gap per segment, E[R] − E[E] under the
# generator (Beta mean = true LGD; costly workouts mean 1.05), by Monte Carlo over the estimates
# (10⁶ draws; its error is far below the sample's).
big = np.random.default_rng(1)
true_gap = []
for s in range(5):
    est = np.clip(LGD_LEVEL[s] + big.normal(0, 0.04, 1_000_000), 0.02, 0.95)
    true = np.clip(est + LGD_BIAS[s], 0.01, 0.99)
    true_gap.append(float(((1 - COSTLY) * true + COSTLY * 1.05 - est).mean()))
ccf_gap = CCF_BIAS.tolist()

# Simulation check of the t-test: it flags the under-estimated segments, not the others.
flagged = [b["segment"] for b in lgd_report["backtests"] if b["t_test"]["p_value"] < 0.01]
assert "L3" in flagged and "L5" not in flagged, flagged
expected = {
    "source": f"scipy {scipy.__version__}, numpy {np.__version__}, pandas {pd.__version__}",
    "tolerance": 1e-10,
    "true_gap_lgd": true_gap, "true_gap_ccf": ccf_gap,
    "lgd": lgd_report, "ccf": ccf_report,
}
(OUT / "expected.json").write_text(json.dumps(expected, indent=1, default=float) + "\n")
for b in lgd_report["backtests"]:
    print(b["segment"], b["n"], round(b["mean_difference"], 4), round(b["t_test"]["p_value"], 5))
print("true gaps", [round(g, 4) for g in true_gap])
print("gAUC", lgd_report["gauc"], "initial", lgd_report["gauc_initial"]["value"])
print("CCF", [(b["segment"], round(b["mean_difference"], 4), round(b["t_test"]["p_value"], 5)) for b in ccf_report["backtests"]])
print("realised LGD > 1:", int((lgd["realised"] > 1).sum()), "CCF outside [0, 1]:", int(((ccf["realised"] < 0) | (ccf["realised"] > 1)).sum()))

"""Reference WoE scorecard on German credit, for kd_students::scorecard.

Run from the repository root with the pinned versions (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python crates/kd-students/tests/golden/woe_scorecard/gen.py
Writes german_credit.json beside this file.

The classing rules of crates/kd-students/src/scorecard/classing.rs written again in pandas
(fine quantile bins, categorical levels as their own bins, merging of small or one-outcome
classes, then of classes against the monotone trend), the WoE and IV per class by pandas
group-bys, and statsmodels' Logit on the WoE features (with a constant) for the coefficients.
Target: creditability == "bad" (the bad outcome, class 1 of the scorecard). Levels are coded
as kd-core codes them: sorted as strings.
"""
import json
import math
import pathlib

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

assert statsmodels.__version__ == "0.15.0", statsmodels.__version__
assert pd.__version__.startswith("2") or pd.__version__.startswith("3"), pd.__version__
ROOT = pathlib.Path(__file__).resolve().parents[5]
OUT = pathlib.Path(__file__).resolve().parent
DATA = "data/credit/german_credit.csv"
FINE_BINS, MIN_SHARE = 20, 0.05

frame = pd.read_csv(ROOT / DATA, dtype=str, keep_default_na=False)
frame = frame.apply(lambda c: c.str.strip())
y = (frame.pop("creditability") == "bad").astype(float)
n = len(frame)


def rate(c):
    return c["bad"] / max(c["rows"], 1)


def fine(values, numeric):
    if numeric:
        v = values.astype(float).to_numpy()
        s = np.sort(v)
        cuts = [s[-(-k * n // FINE_BINS) - 1] for k in range(1, FINE_BINS)]
        cuts = [c for i, c in enumerate(cuts) if i == 0 or c != cuts[i - 1]]
        cuts = [c for c in cuts if c < s[-1]]
        index = np.searchsorted(np.array(cuts), v, side="left")
        bounds = list(zip([None] + cuts, cuts + [None]))
        classes = [{"lower": lo, "upper": hi, "levels": [], "rows": 0, "good": 0.0, "bad": 0.0} for lo, hi in bounds]
    else:
        levels = sorted(values.unique())
        index = np.array([levels.index(x) for x in values])
        classes = [{"lower": None, "upper": None, "levels": [l], "rows": 0, "good": 0.0, "bad": 0.0} for l in range(len(levels))]
    for b, t in zip(index, y):
        classes[b]["rows"] += 1
        classes[b]["good"] += 1.0 - t
        classes[b]["bad"] += t
    if not numeric:
        classes = [c for c in classes if c["rows"] > 0]
        classes.sort(key=lambda c: (rate(c), c["levels"][0]))
    return classes


def merge(classes, b):
    nxt = classes.pop(b + 1)
    c = classes[b]
    c["upper"] = nxt["upper"]
    c["levels"] = sorted(c["levels"] + nxt["levels"])
    for k in ("rows", "good", "bad"):
        c[k] += nxt[k]


def coarse(classes, monotone):
    def small(c):
        return c["rows"] < MIN_SHARE * n or c["good"] <= 0 or c["bad"] <= 0
    while len(classes) > 1:
        offending = [b for b in range(len(classes)) if small(classes[b])]
        if not offending:
            break
        b = min(offending, key=lambda b: (classes[b]["rows"], b))
        gap = lambda o: abs(rate(classes[o]) - rate(classes[b]))
        if b > 0 and b + 1 < len(classes):
            with_left = gap(b - 1) <= gap(b + 1)
        else:
            with_left = b > 0
        merge(classes, b - 1 if with_left else b)
    if monotone and len(classes) > 1:
        total = float(sum(c["rows"] for c in classes))
        mean_index = sum(i * c["rows"] for i, c in enumerate(classes)) / total
        mean_rate = sum(c["bad"] for c in classes) / total
        cov = sum(c["rows"] * (i - mean_index) * (rate(c) - mean_rate) for i, c in enumerate(classes))
        increasing = cov >= 0
        while True:
            bad = [b for b in range(len(classes) - 1)
                   if (rate(classes[b]) > rate(classes[b + 1]) if increasing else rate(classes[b]) < rate(classes[b + 1]))]
            if not bad:
                break
            merge(classes, bad[0])
    return classes


features, woe_columns = [], {}
for name in frame.columns:
    numeric = frame[name].str.fullmatch(r"-?\d+(\.\d+)?").all()
    classes = coarse(fine(frame[name], numeric), numeric)
    levels = None if numeric else sorted(frame[name].unique())
    # Each row's class, then WoE and IV by pandas group-bys over the classes.
    if numeric:
        v = frame[name].astype(float)
        member = pd.Series(0, index=frame.index)
        for b, c in enumerate(classes):
            inside = (v > c["lower"] if c["lower"] is not None else True) & (v <= c["upper"] if c["upper"] is not None else True)
            member[inside] = b
    else:
        code = frame[name].map({l: i for i, l in enumerate(levels)})
        member = code.map({l: b for b, c in enumerate(classes) for l in c["levels"]})
    table = pd.DataFrame({"b": member, "bad": y, "good": 1.0 - y}).groupby("b")[["good", "bad"]].sum()
    goods, bads = table["good"].sum(), table["bad"].sum()
    pad = ((table["good"] <= 0) | (table["bad"] <= 0)) * 0.5
    g, d = (table["good"] + pad) / goods, (table["bad"] + pad) / bads
    woe = pd.Series([math.log(a / b) for a, b in zip(g, d)], index=table.index)
    iv = float(((g - d) * woe).sum())
    woe_columns[name] = member.map(woe)
    features.append({
        "name": name, "numeric": bool(numeric), "information_value": iv,
        "bins": [{
            "lower": c["lower"], "upper": c["upper"],
            "levels": [levels[l] for l in c["levels"]] if levels else [],
            "rows": int(c["rows"]), "woe": float(woe[b]),
        } for b, c in enumerate(classes)],
    })

used = [f["name"] for f in features if len(f["bins"]) > 1]
design = sm.add_constant(pd.DataFrame({k: woe_columns[k] for k in used}))
fit = sm.Logit(y, design).fit(method="newton", tol=1e-12, maxiter=100, disp=False)
(OUT / "german_credit.json").write_text(json.dumps({
    "source": f"pandas {pd.__version__}, statsmodels {statsmodels.__version__} (Logit), numpy {np.__version__}",
    "data": DATA, "target": "creditability == bad",
    "params": {"fine_bins": FINE_BINS, "min_bin_share": MIN_SHARE, "monotone": True},
    "tolerance": {"woe": 1e-10, "information_value": 1e-10, "coefficients": 1e-6},
    "features": features,
    "coefficients": {k: float(v) for k, v in fit.params.items()},
    "predictions": fit.predict(design).tolist(),
}, indent=1) + "\n")
for f in features:
    print(f"{f['name'][:40]:40} {len(f['bins']):3} {f['information_value']:.4f}")
print(fit.params.round(4).to_dict())

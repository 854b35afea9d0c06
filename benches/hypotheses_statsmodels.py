"""statsmodels' side of benches/hypotheses.rs: the same battery on the same rows, timed.

Usage: python hypotheses_statsmodels.py X.f64 Y.f64 N K LOO RUNS   (raw little-endian, X row-major)
LOO = 1 adds the externally studentised residuals and the Bonferroni outlier test, which
statsmodels computes by leaving each row out in turn (O(n²): 25 s at n = 10,000 here), so the
benchmark runs them only on a smaller sample. The battery runs RUNS times; the best is kept.
Prints one JSON line: {"seconds": ..., "statsmodels": version, "r_squared": ...}.
"""
import json
import math
import sys
import time
import warnings

import numpy as np
import scipy.stats
import statsmodels
import statsmodels.api as sm
from statsmodels.stats import diagnostic as d
from statsmodels.stats import stattools as st
from statsmodels.stats.outliers_influence import variance_inflation_factor

n, k, loo = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
runs = int(sys.argv[6]) if len(sys.argv) > 6 else 1
x = np.fromfile(sys.argv[1], dtype="<f8").reshape(n, k)
y = np.fromfile(sys.argv[2], dtype="<f8")
warnings.simplefilter("ignore")


def battery():
    """kd's default battery (without Harvey-Collier and Chow): the same tests, options, VIF,
    condition number, influence summary and robust standard errors."""
    exog = sm.add_constant(x)
    res = sm.OLS(y, exog).fit()
    e = res.resid
    lags = min(10, n // 5)
    hac_lags = int(math.floor(4 * (n / 100) ** (2 / 9)))
    st.durbin_watson(e)
    d.acorr_breusch_godfrey(res, nlags=lags)
    d.acorr_ljungbox(e, lags=[lags], boxpierce=True)
    d.het_breuschpagan(e, exog, robust=True)
    d.het_white(e, exog)
    d.het_goldfeldquandt(y, exog, alternative="increasing")
    d.het_arch(e, nlags=lags)
    st.jarque_bera(e)
    st.omni_normtest(e)
    scipy.stats.shapiro(e)
    d.normal_ad(e)
    d.lilliefors(e, dist="norm", pvalmethod="table")
    d.linear_reset(res, power=3, test_type="fitted", use_f=True)
    d.linear_rainbow(res, frac=0.5)
    d.breaks_cusumolsresid(e, ddof=exog.shape[1])
    [variance_inflation_factor(exog, j) for j in range(1, exog.shape[1])]
    np.linalg.cond(exog)
    influence = res.get_influence()
    influence.cooks_distance
    for kind in ("HC0", "HC1", "HC2", "HC3"):
        res.get_robustcov_results(cov_type=kind).bse
    res.get_robustcov_results(cov_type="HAC", maxlags=hac_lags, use_correction=False).bse
    if loo:
        influence.resid_studentized_external
        res.outlier_test(method="bonf")
    return res


best = math.inf
for _ in range(runs):
    start = time.perf_counter()
    res = battery()
    best = min(best, time.perf_counter() - start)
print(json.dumps({"seconds": best, "statsmodels": statsmodels.__version__, "r_squared": res.rsquared}))

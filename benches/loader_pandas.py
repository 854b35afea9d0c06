"""The anchors of benches/loader.rs and benches/scale.rs, as a user would run them.

Usage: python loader_pandas.py MODE CSV [TARGET]
  read    pandas read_csv                                        (what `kd describe` does)
  auroc   pandas read_csv, then scikit-learn roc_auc_score        (what `kd validate` does)
  battery pandas read_csv, then statsmodels OLS and its battery   (what `kd hypotheses` does)
  tree    pandas read_csv, then scikit-learn DecisionTreeRegressor(max_depth=8) on the teacher
          column (what `kd distill --student tree --max-bins 256` does)
Prints one JSON line: {"seconds": the timed work (imports excluded), "read_seconds": ...,
"peak_bytes": the process's peak resident memory, "versions": ...}.
"""
import json
import resource
import sys
import time
import warnings

import numpy as np
import pandas as pd

mode, path = sys.argv[1], sys.argv[2]
warnings.simplefilter("ignore")
versions = {"pandas": pd.__version__}
start = time.perf_counter()
frame = pd.read_csv(path)
read = time.perf_counter() - start
if mode == "auroc":
    import sklearn
    from sklearn.metrics import roc_auc_score

    versions["sklearn"] = sklearn.__version__
    value = roc_auc_score(frame["default"].to_numpy(), frame["score"].to_numpy())
elif mode == "battery":
    import statsmodels
    import statsmodels.api as sm
    from statsmodels.stats import diagnostic as d
    from statsmodels.stats import stattools as st

    versions["statsmodels"] = statsmodels.__version__
    y = frame[sys.argv[3]].to_numpy()
    x = sm.add_constant(frame.drop(columns=[sys.argv[3]]).to_numpy())
    res = sm.OLS(y, x).fit()
    e = res.resid
    st.durbin_watson(e)
    d.acorr_breusch_godfrey(res, nlags=10)
    d.acorr_ljungbox(e, lags=[10])
    d.het_breuschpagan(e, x)
    d.het_white(e, x)
    st.jarque_bera(e)
    d.linear_reset(res, power=3)
    res.get_influence().cooks_distance
elif mode == "tree":
    import sklearn
    from sklearn.tree import DecisionTreeRegressor

    versions["sklearn"] = sklearn.__version__
    y = frame["teacher"].to_numpy()
    x = frame.drop(columns=["teacher", "y"]).to_numpy()
    DecisionTreeRegressor(max_depth=8, random_state=0).fit(x, y)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "read_seconds": read, "peak_bytes": peak, "versions": versions}))

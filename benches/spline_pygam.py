"""Anchor for benches/spline.rs: pyGAM 0.12.0's LinearGAM or LogisticGAM with one s(j) term of
20 cubic splines per feature and a fixed lam, fitted to the rows kd fits.

Usage: spline_pygam.py OUT_DIR LINK ROWS FEATURES LAM
  reads OUT_DIR/x.f64 (ROWS x FEATURES, row-major) and OUT_DIR/y_LINK.f64 (raw little-endian
  f64), LINK is identity or logit; times the fit and writes the fitted means to
  OUT_DIR/pygam_LINK.f64. Prints one JSON line: seconds, iterations, edof, the file.
Run it with the pygam environment (xtask/pygam-requirements.txt), as `cargo xtask bench spline`.
"""
import json
import os
import sys
import time
import warnings

import numpy as np
from pygam import LinearGAM, LogisticGAM

warnings.filterwarnings("ignore")


def main():
    out, link, rows, features, lam = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    x = np.fromfile(os.path.join(out, "x.f64"), dtype="<f8").reshape(rows, features)
    y = np.fromfile(os.path.join(out, f"y_{link}.f64"), dtype="<f8")
    model = LinearGAM if link == "identity" else LogisticGAM
    start = time.perf_counter()
    gam = model(n_splines=20, lam=lam).fit(x, y)
    seconds = time.perf_counter() - start
    path = os.path.join(out, f"pygam_{link}.f64")
    np.ascontiguousarray(gam.predict_mu(x), dtype="<f8").tofile(path)
    print(json.dumps({"seconds": seconds, "iterations": len(gam.logs_["diffs"]),
                      "edof": float(gam.statistics_["edof"]), "mu": path}))


main()

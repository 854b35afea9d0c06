"""Reference formulas shared by the validation generators (validation/gen.py, irb_pd/gen.py,
irb_lgd/gen.py): quantile groups as R's cut and SAS PROC RANK form them, Hosmer-Lemeshow and the
PSI, written from their definitions with numpy, pandas and scipy."""
import numpy as np
import pandas as pd
from scipy import stats


def groups_of(values, reference, g):
    """R's cut(x, unique(quantile(reference, 0:g/g)), include.lowest = TRUE): numpy's default
    quantile is R's type 7; cuts at the minimum or maximum merge."""
    cuts = np.unique(np.quantile(reference, np.arange(1, g) / g))
    cuts = cuts[(cuts > reference.min()) & (cuts < reference.max())]
    return np.searchsorted(cuts, values, side="left"), len(cuts) + 1


def sas_rank_groups(values, reference, g):
    """SAS PROC RANK GROUPS=g (TIES=MEAN) on `reference`, the groups closed at their largest value,
    and `values` placed in them; empty groups skipped."""
    r = pd.Series(reference).rank(method="average").to_numpy()
    group = np.floor(r * g / (len(reference) + 1)).astype(int)
    cuts = np.array(sorted(reference[group == k].max() for k in np.unique(group)))[:-1]
    return np.searchsorted(cuts, values, side="left"), len(cuts) + 1


def hosmer_lemeshow(y, p, g, grouping=None):
    grp, k = (grouping or groups_of)(p, p, g)
    stat, groups = 0.0, 0
    for j in range(k):
        m = grp == j
        e, o, n = p[m].sum(), y[m].sum(), m.sum()
        if n == 0:
            continue  # an empty group is dropped
        groups += 1
        stat += (o - e) ** 2 / (e * (1 - e / n))
    return {"statistic": stat, "groups": groups,
            "p_value_validation": stats.chi2.sf(stat, groups),
            "p_value_development": stats.chi2.sf(stat, groups - 2)}


def psi_counts(cb, cc):
    """PSI of two bin-count vectors; ½ added to every bin of both when one is empty."""
    cb, cc = np.asarray(cb, float), np.asarray(cc, float)
    if (cb == 0).any() or (cc == 0).any():
        cb, cc = cb + 0.5, cc + 0.5
    e, a = cb / cb.sum(), cc / cc.sum()
    return float(np.sum((a - e) * np.log(a / e)))


def psi_numeric(b, c, bins=10, grouping=None):
    gb, k = (grouping or groups_of)(b, b, bins)
    gc, _ = (grouping or groups_of)(c, b, bins)
    if k == 1:  # a constant baseline v: bins (-inf, v] and (v, inf)
        gb, gc, k = (b > b[0]).astype(int), (c > b[0]).astype(int), 2
    return psi_counts(np.bincount(gb, minlength=k), np.bincount(gc, minlength=k))


def psi_levels(b, c):
    levels = sorted(set(b) | set(c))
    return psi_counts([np.sum(b == l) for l in levels], [np.sum(c == l) for l in levels])

"""Which stations or counties deliver unusually little or much for their size.

* :func:`funnel_data` -- each unit's rate against its exposure, with control limits around
  the overall rate (Spiegelhalter 2005, *Statistics in Medicine* 24:1185): exact Poisson
  limits (interpolated quantiles), and, because station output is overdispersed, limits
  widened by a multiplicative factor or an additive random-effects variance estimated from
  winsorised z-scores. A unit is flagged only outside the limits, never for its rank.
* :func:`shrunken_rates` -- empirical-Bayes Poisson–gamma rates: small units are pulled
  towards the overall rate, and rank intervals from seeded posterior simulation show how
  little a league table can tell apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sswanalysis.analysis.station_panel import PanelError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["OVERDISPERSION", "funnel_data", "poisson_limit", "shrunken_rates", "unit_totals"]

OVERDISPERSION = ("multiplicative", "additive", "none")


def unit_totals(frame: pd.DataFrame, by: str = "station_id", *, outcome: str = "count",
                exposure: str = "exposure") -> pd.DataFrame:
    """Observed count and exposure per unit (station, county …), with ``synthetic`` carried.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"station_id": ["a", "a", "b"], "count": [1.0, 2.0, 5.0],
    ...                   "exposure": [1.0, 1.0, 1.0], "synthetic": [True, True, True]})
    >>> unit_totals(f)
      unit  observed  exposure  synthetic
    0    a       3.0       2.0       True
    1    b       5.0       1.0       True
    """
    import pandas as pd

    if by not in frame:
        raise PanelError(f"no column {by!r} to group units by")
    g = frame.groupby(frame[by].astype("str"), sort=True)
    out = pd.DataFrame({"observed": g[outcome].sum(), "exposure": g[exposure].sum()})
    out["synthetic"] = g["synthetic"].all() if "synthetic" in frame else False
    out.index.name = "unit"
    if len(out) < 2:
        raise PanelError(f"one {by} only; a funnel or league table needs two or more units")
    if out["observed"].sum() == 0:
        raise PanelError("every unit has zero output; there is no rate to compare")
    return out.reset_index()


def poisson_limit(p: float | np.ndarray, mean: float | np.ndarray) -> np.ndarray:
    """The ``p`` quantile of Poisson(``mean``), interpolated between integers.

    The discrete quantile ``r`` is moved down by ``(F(r) - p) / (F(r) - F(r-1))``, so limits
    are smooth in the exposure (Spiegelhalter 2005, appendix A.1.1).

    >>> float(poisson_limit(0.975, 10.0)).__round__(4)
    16.16
    """
    import numpy as np
    from scipy.stats import poisson

    mean = np.asarray(mean, dtype="float64")
    r = poisson.ppf(p, mean)
    f_r, f_before = poisson.cdf(r, mean), poisson.cdf(r - 1, mean)
    step = np.where(f_r > f_before, (f_r - p) / np.where(f_r > f_before, f_r - f_before, 1.0), 0.0)
    return np.maximum(r - step, 0.0)


def funnel_data(
    frame: pd.DataFrame,
    by: str = "station_id",
    *,
    outcome: str = "count",
    exposure: str = "exposure",
    levels: Sequence[float] = (0.95, 0.998),
    overdispersion: str = "multiplicative",
    winsor: float = 0.1,
) -> pd.DataFrame:
    """Funnel-plot data: each unit's rate, its z-score and the limits at its exposure.

    Parameters
    ----------
    frame : DataFrame
        Station-month panel (or any frame with ``by``, ``outcome`` and ``exposure``).
    by : str
        The unit: ``station_id``, ``region_id`` or a county column.
    levels : sequence of float
        Two-sided coverage of the limits (0.95 and 0.998: "2 and 3 sigma").
    overdispersion : {"multiplicative", "additive", "none"}
        ``none``: exact Poisson limits. ``multiplicative``: the Poisson variance times
        ``phi`` (mean of winsorised squared z-scores) when ``phi > 1``. ``additive``: a
        between-unit variance ``tau2`` (DerSimonian–Laird style) added to each unit's.
    winsor : float
        Share winsorised at each end of the z-scores when estimating overdispersion.

    Returns
    -------
    DataFrame
        ``unit, observed, exposure, rate, target, z, lower_<pct>, upper_<pct>`` per level
        (e.g. ``lower_95``, ``upper_99.8``), ``flag`` (``above``/``below`` the widest
        limits, else ``""``) and ``flag_95``; ``attrs`` hold ``phi`` and ``tau2``.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"station_id": list("abcd"), "count": [10.0, 12.0, 9.0, 40.0],
    ...                   "exposure": [1.0, 1.0, 1.0, 1.0]})
    >>> out = funnel_data(f, overdispersion="none")
    >>> out[["unit", "rate", "flag"]].to_dict("records")[-1]
    {'unit': 'd', 'rate': 40.0, 'flag': 'above'}
    """
    import numpy as np
    from scipy.stats import norm

    if overdispersion not in OVERDISPERSION:
        raise PanelError(f"overdispersion must be one of {OVERDISPERSION}, not {overdispersion!r}")
    out = unit_totals(frame, by, outcome=outcome, exposure=exposure)
    obs, exp_ = out["observed"].to_numpy(), out["exposure"].to_numpy()
    target = obs.sum() / exp_.sum()
    var = target / exp_  # Poisson variance of a rate at this exposure
    z = (obs / exp_ - target) / np.sqrt(var)
    lo, hi = np.quantile(z, [winsor, 1 - winsor])
    zw = np.clip(z, lo, hi)
    n = len(z)
    phi = float(np.mean(zw**2))
    tau2 = 0.0
    if overdispersion == "additive":
        w = 1 / var
        tau2 = max(0.0, (n * phi - (n - 1)) / (w.sum() - (w**2).sum() / w.sum()))
        z = (obs / exp_ - target) / np.sqrt(var + tau2)
    elif overdispersion == "multiplicative" and phi > 1:
        z = z / np.sqrt(phi)
    out["rate"] = obs / exp_
    out["target"] = target
    out["z"] = z
    widest = max(levels)
    for level in sorted(levels):
        tail = (1 - level) / 2
        name = f"{level * 100:g}"
        if overdispersion == "none" or (overdispersion == "multiplicative" and phi <= 1):
            lower = poisson_limit(tail, target * exp_) / exp_
            upper = poisson_limit(1 - tail, target * exp_) / exp_
        else:
            spread = var * phi if overdispersion == "multiplicative" else var + tau2
            half = norm.ppf(1 - tail) * np.sqrt(spread)
            lower, upper = np.maximum(target - half, 0.0), target + half
        out[f"lower_{name}"], out[f"upper_{name}"] = lower, upper
        flag = np.where(out["rate"] > upper, "above", np.where(out["rate"] < lower, "below", ""))
        out["flag" if level == widest else f"flag_{name}"] = flag
    out.attrs.update({"phi": phi, "tau2": tau2, "overdispersion": overdispersion})
    return out


def shrunken_rates(
    frame: pd.DataFrame,
    by: str = "station_id",
    *,
    outcome: str = "count",
    exposure: str = "exposure",
    n_sims: int = 500,
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Empirical-Bayes (Poisson–gamma) rates per unit, with rank intervals.

    The gamma prior's mean and variance are the moments of the units' rates, less the
    Poisson part of the variance; each unit's posterior is Gamma(a + observed, b + exposure).
    Ranks (1 = highest rate) are taken in each of ``n_sims`` seeded joint posterior draws.

    Returns
    -------
    DataFrame
        ``unit, observed, exposure, raw_rate, shrunken_rate, rate_lo, rate_hi, rank,
        rank_lo, rank_hi`` sorted by ``rank``; ``attrs`` hold the prior ``a`` and ``b``.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"station_id": list("abcdef"), "count": [5.0, 50, 12, 9, 30, 11],
    ...                   "exposure": [1.0, 10, 1, 1, 3, 1]})
    >>> out = shrunken_rates(f, n_sims=200)
    >>> out.loc[out["unit"] == "a", ["raw_rate", "shrunken_rate"]].round(2).to_dict("records")
    [{'raw_rate': 5.0, 'shrunken_rate': 6.15}]
    >>> out[["unit", "rank", "rank_lo", "rank_hi"]].head(2)
      unit  rank  rank_lo  rank_hi
    0    e     1        1        4
    1    c     2        1        5
    """
    import numpy as np
    from scipy.stats import gamma

    out = unit_totals(frame, by, outcome=outcome, exposure=exposure)
    obs, exp_ = out["observed"].to_numpy(), out["exposure"].to_numpy()
    raw = obs / exp_
    mean = obs.sum() / exp_.sum()
    between = np.average((raw - mean) ** 2, weights=exp_) - mean * len(raw) / exp_.sum()
    between = max(between, mean**2 * 1e-6)  # no spread beyond Poisson: (almost) full pooling
    a, b = mean**2 / between, mean / between
    post_a, post_b = a + obs, b + exp_
    tail = (1 - level) / 2
    out["raw_rate"] = raw
    out["shrunken_rate"] = post_a / post_b
    out["rate_lo"] = gamma.ppf(tail, post_a, scale=1 / post_b)
    out["rate_hi"] = gamma.ppf(1 - tail, post_a, scale=1 / post_b)
    rng = np.random.default_rng(seed)
    n = len(out)
    ranks = np.empty((n_sims, n), dtype=np.int32)
    for i in range(n_sims):  # one draw of every unit at a time keeps memory at n_sims × n ints
        draw = rng.gamma(post_a, 1 / post_b)
        ranks[i, np.argsort(-draw, kind="stable")] = np.arange(1, n + 1, dtype=np.int32)
    rank_lo, rank_hi = np.quantile(ranks, [tail, 1 - tail], axis=0, method="inverted_cdf")
    out["rank"] = (-out["shrunken_rate"]).rank(method="first").astype("int64")
    out["rank_lo"] = rank_lo.astype("int64")
    out["rank_hi"] = rank_hi.astype("int64")
    out.attrs.update({"a": float(a), "b": float(b)})
    return out.sort_values("rank", ignore_index=True)

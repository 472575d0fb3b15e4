"""Exact Poisson confidence intervals and rate ratios for station counts (statsmodels 0.15).

Counts of sessions, cases, groups or people are treated as Poisson counts over an exposure
in station-months. With three case studies and assumed exposure periods these intervals
describe the uncertainty of a rate *if* the assumptions hold; they carry no weight as
evidence about service models in general. Where the months are a band (the default,
:data:`sswanalysis.analysis.output.MONTHS_BAND`) a rate has no point estimate, only the
envelope of its intervals over the band: every such figure rests on an assumed exposure
and is labelled so wherever it is shown.

A figure written as an interval (e.g. "1200余" -> ``[1200, 1300]``) gets the widest
interval: the lower confidence limit of its low end and the upper limit of its high end.

statsmodels is imported inside the functions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from sswanalysis.analysis.intervals import UnitMixError
from sswanalysis.analysis.labelling import format_number
from sswanalysis.analysis.output import Months, service_output

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["format_ci", "poisson_ci", "rate_ci", "rate_ratio", "rate_ratios"]

#: units that are counts of events or people (money and hours are not Poisson counts)
COUNT_UNITS = frozenset(
    {"persons", "person_times", "households", "sessions", "cases", "groups", "organisations"}
)


def rate_ci(
    low: float, high: float, exposure: float = 1.0, alpha: float = 0.05
) -> tuple[float, float]:
    """Exact (central, gamma-based) Poisson CI of a rate whose count lies in ``[low, high]``.

    Uses ``statsmodels.stats.rates.confint_poisson(..., method="exact-c")`` at each end.

    Examples
    --------
    >>> lo, hi = rate_ci(8, 8, 120)
    >>> round(lo, 4), round(hi, 4)
    (0.0288, 0.1314)
    >>> lo, hi = rate_ci(0, 0, 2.0)
    >>> round(lo, 3), round(hi, 3)
    (0.0, 1.844)
    >>> [round(x, 1) for x in rate_ci(1200, 1300)]
    [1133.1, 1372.6]
    """
    from statsmodels.stats.rates import confint_poisson

    lo = confint_poisson(low, exposure, method="exact-c", alpha=alpha)[0]
    hi = confint_poisson(high, exposure, method="exact-c", alpha=alpha)[1]
    return float(lo), float(hi)


def format_ci(est: float, lo: float, hi: float, decimals: int = 2) -> str:
    """``'0.067 (0.029–0.131)'``-style text, formatted by hand (no numpy reprs).

    >>> format_ci(0.0666667, 0.0287819, 0.1313599, 3)
    '0.067 (0.029–0.131)'
    >>> format_ci(float("nan"), 1.0, 2.0)
    '—'
    """
    if any(math.isnan(x) for x in (est, lo, hi)):
        return "—"
    return f"{est:,.{decimals}f} ({lo:,.{decimals}f}–{hi:,.{decimals}f})"


def poisson_ci(
    indicators: pd.DataFrame,
    months: Mapping[str, Months] | None = None,
    stations: Mapping[str, int] | None = None,
    alpha: float = 0.05,
    rel_width: float | None = None,
) -> pd.DataFrame:
    """Exact Poisson CIs for every count figure, as a count and per station-month.

    Parameters
    ----------
    indicators : DataFrame
        Indicators-shaped frame (see :mod:`sswanalysis.analysis`).
    months, stations : mapping of place id
        Months of service (a number or a (shortest, longest) band) and stations per place
        (the exposure assumptions); places without months get count CIs only.
    alpha : float
        1 - confidence level.
    rel_width : float, optional
        Width of approximate figures' intervals, see :func:`sswanalysis.analysis.intervals.bounds`.

    Returns
    -------
    DataFrame
        place, indicator, method, unit, text, low, high, count_lo, count_hi,
        station_months (NaN for a band), station_months_min, station_months_max, rate,
        rate_lo, rate_hi (rates per station-month). For a band, ``rate`` is NaN, ``rate_lo``
        is the lower limit at the longest exposure and ``rate_hi`` the upper at the shortest.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"region_id": ["ulanqab"], "station_id": [None],
    ...     "indicator": ["community_events"], "method": ["community"], "value": [8.0],
    ...     "qualifier": ["exact"], "unit": ["sessions"]})
    >>> r = poisson_ci(f, months={"ulanqab": 12}, stations={"ulanqab": 10})
    >>> r[["count_lo", "count_hi", "station_months"]].round(4).to_numpy().tolist()[0]
    [3.4538, 15.7632, 120.0]
    >>> r[["rate", "rate_lo", "rate_hi"]].round(4).to_numpy().tolist()[0]
    [0.0667, 0.0288, 0.1314]
    >>> b = poisson_ci(f, months={"ulanqab": (6, 24)}, stations={"ulanqab": 10})
    >>> b[["rate", "rate_lo", "rate_hi"]].round(4).to_numpy().tolist()[0]
    [nan, 0.0144, 0.2627]
    """
    out = service_output(indicators, months, stations, rel_width)
    out = out[out["unit"].isin(COUNT_UNITS)].reset_index(drop=True)
    c_lo, c_hi, r_lo, r_hi = [], [], [], []
    exposures = zip(out["low"], out["high"], out["station_months_min"], out["station_months_max"],
                    strict=True)
    for low, high, short, long in exposures:
        a, b = rate_ci(low, high, 1.0, alpha)
        c_lo.append(a)
        c_hi.append(b)
        if math.isnan(short):
            r_lo.append(float("nan"))
            r_hi.append(float("nan"))
        else:
            r_lo.append(rate_ci(low, low, long, alpha)[0])
            r_hi.append(rate_ci(high, high, short, alpha)[1])
    out["count_lo"], out["count_hi"] = c_lo, c_hi
    out["rate"] = out["pm"]
    out["rate_lo"], out["rate_hi"] = r_lo, r_hi
    cols = ["place", "indicator", "method", "unit", "text", "value", "low", "high", "count_lo",
            "count_hi", "station_months", "station_months_min", "station_months_max", "rate",
            "rate_lo", "rate_hi"]
    extra = [c for c in ("observation_id", "subject_en") if c in out.columns]
    return out[extra + cols]


def rate_ratio(
    count1: float, exposure1: float, count2: float, exposure2: float, alpha: float = 0.05
) -> dict[str, float]:
    """Rate ratio of two Poisson counts with exposures: estimate, score CI and p-value.

    Uses ``confint_poisson_2indep(..., compare="ratio", method="score")`` and
    ``test_poisson_2indep(..., compare="ratio")`` (score test, H0: ratio = 1).

    Examples
    --------
    >>> r = rate_ratio(4, 6, 8, 120)
    >>> {k: round(v, 3) for k, v in r.items()}
    {'ratio': 10.0, 'ci_low': 3.205, 'ci_high': 31.2, 'pvalue': 0.0}
    >>> round(rate_ratio(10, 10, 10, 10)["pvalue"], 3)
    1.0
    """
    from statsmodels.stats.rates import confint_poisson_2indep, test_poisson_2indep

    lo, hi = confint_poisson_2indep(
        count1, exposure1, count2, exposure2, method="score", compare="ratio", alpha=alpha
    )
    test = test_poisson_2indep(count1, exposure1, count2, exposure2, method="score",
                               compare="ratio")
    return {
        "ratio": (count1 / exposure1) / (count2 / exposure2),
        "ci_low": float(lo),
        "ci_high": float(hi),
        "pvalue": float(test.pvalue),
    }


def rate_ratios(
    ci: pd.DataFrame,
    pairs: list[tuple[str, str, str]],
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Rate ratios between places for the same indicator, from a :func:`poisson_ci` frame.

    Parameters
    ----------
    ci : DataFrame
        Output of :func:`poisson_ci` (needs place, indicator, unit, value, station_months).
    pairs : list of (indicator, place1, place2)
        Each comparison: ratio = rate at place1 / rate at place2.

    Raises
    ------
    UnitMixError
        If the two figures are in different units (e.g. casework in cases vs person-times).
    ValueError
        If a figure is missing, approximate, or has no exposure.

    Examples
    --------
    >>> import pandas as pd
    >>> ci = pd.DataFrame({"place": ["a", "b"], "indicator": ["x", "x"],
    ...     "unit": ["sessions", "sessions"], "value": [4.0, 8.0], "low": [4.0, 8.0],
    ...     "high": [4.0, 8.0], "station_months": [6.0, 120.0]})
    >>> rate_ratios(ci, [("x", "a", "b")])[["indicator", "place1", "place2", "text"]].to_dict("records")
    [{'indicator': 'x', 'place1': 'a', 'place2': 'b', 'text': '10.00 (3.21–31.20)'}]
    >>> rate_ratios(ci.assign(unit=["sessions", "cases"]), [("x", "a", "b")])
    Traceback (most recent call last):
    ...
    sswanalysis.analysis.intervals.UnitMixError: x: a is in sessions, b in cases; no ratio
    """
    import pandas as pd

    rows = []
    for ind, p1, p2 in pairs:
        picks = []
        for p in (p1, p2):
            m = ci[(ci["indicator"] == ind) & (ci["place"] == p)]
            if len(m) != 1:
                raise ValueError(f"{ind}: expected one figure for {p}, found {len(m)}")
            picks.append(m.iloc[0])
        a, b = picks
        if a["unit"] != b["unit"]:
            raise UnitMixError(f"{ind}: {p1} is in {a['unit']}, {p2} in {b['unit']}; no ratio")
        for p, r in ((p1, a), (p2, b)):
            if r["low"] != r["high"]:
                raise ValueError(f"{ind}: the figure for {p} is approximate; no exact ratio")
            if math.isnan(r["station_months"]):
                raise ValueError(f"{ind}: no single exposure (months) for {p}; for a band of "
                                 "months use rate_ratio_sensitivity")
        rr = rate_ratio(a["value"], a["station_months"], b["value"], b["station_months"], alpha)
        rows.append({
            "indicator": ind, "place1": p1, "place2": p2, "unit": a["unit"],
            "count1": format_number(a["value"]), "station_months1": a["station_months"],
            "count2": format_number(b["value"]), "station_months2": b["station_months"],
            **rr,
            "text": format_ci(rr["ratio"], rr["ci_low"], rr["ci_high"]),
        })
    return pd.DataFrame(rows)


def rate_ratio_sensitivity(
    indicators: pd.DataFrame,
    indicator: str,
    place1: str,
    place2: str,
    months1: Iterable[float],
    months2: Iterable[float],
    stations: Mapping[str, int] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """How a rate ratio moves with the assumed months of service at each place.

    One :func:`rate_ratios` comparison per pair of assumptions; rows are ``months1``, columns
    ``months2``, cells the ratio with its 95 % interval (see :func:`rate_ratio`) as text.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"region_id": ["linze", "ulanqab"], "station_id": ["pingchuan", None],
    ...     "indicator": ["community_events"] * 2, "value": [4.0, 8.0],
    ...     "qualifier": ["exact", "exact"], "unit": ["sessions", "sessions"]})
    >>> g = rate_ratio_sensitivity(f, "community_events", "pingchuan", "ulanqab", [3, 6], [12],
    ...                            stations={"ulanqab": 10})
    >>> g.to_dict("index")
    {3: {12: '20.00 (6.41–62.40)'}, 6: {12: '10.00 (3.21–31.20)'}}
    """
    import pandas as pd

    months2 = list(months2)
    cells = {}
    for m1 in months1:
        for m2 in months2:
            ci = poisson_ci(indicators, {place1: m1, place2: m2}, stations, alpha=alpha)
            cells[(m1, m2)] = rate_ratios(ci, [(indicator, place1, place2)], alpha).iloc[0]["text"]
    grid = pd.Series(cells).unstack()
    return grid.rename_axis(index=f"{place1}_months", columns=f"{place2}_months")

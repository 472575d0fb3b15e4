"""Planning arithmetic: budget and expected output for bringing N more townships online.

Each observed cost level (a per-station amount from :func:`sswanalysis.analysis.funding.funding_table`)
and each observed output level (a per-station-month rate with its exact Poisson interval
from :func:`sswanalysis.analysis.stats.poisson_ci`) is scaled to N stations over M months. The
results are what-ifs under stated assumptions, not forecasts: two cost levels and two
stations' output are all the sources offer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_N_TOWNSHIPS", "budget", "expected_output", "sensitivity"]

#: default scenario: open 20 more township stations and look 12 months ahead
DEFAULT_N_TOWNSHIPS = 20


def budget(n_townships: int, funding: pd.DataFrame) -> pd.DataFrame:
    """Budget for ``n_townships`` new stations at each observed per-station cost.

    Parameters
    ----------
    n_townships : int
        Stations to open.
    funding : DataFrame
        :func:`sswanalysis.analysis.funding.funding_table` output (needs observation_id, region_id,
        basis, per_station_cny); rows without a per-station amount are dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"observation_id": ["u", "l"], "region_id": ["ulanqab", "linze"],
    ...     "basis": ["assumed", "stated"], "per_station_cny": [100000.0, 150000.0]})
    >>> budget(20, f)[["region_id", "per_station_wan", "budget_wan"]].to_numpy().tolist()
    [['ulanqab', 10.0, 200.0], ['linze', 15.0, 300.0]]
    """
    import pandas as pd

    if n_townships < 0:
        raise ValueError("n_townships must be >= 0")
    f = funding.dropna(subset=["per_station_cny"])
    return pd.DataFrame({
        "observation_id": f["observation_id"].to_numpy(),
        "region_id": f["region_id"].to_numpy(),
        "basis": f["basis"].to_numpy(),
        "per_station_cny": f["per_station_cny"].to_numpy(dtype=float),
        "per_station_wan": f["per_station_cny"].to_numpy(dtype=float) / 1e4,
        "n_townships": n_townships,
        "budget_cny": n_townships * f["per_station_cny"].to_numpy(dtype=float),
        "budget_wan": n_townships * f["per_station_cny"].to_numpy(dtype=float) / 1e4,
    })


def expected_output(
    n_townships: int, months: float, rates: pd.DataFrame, indicators: Iterable[str] | None = None
) -> pd.DataFrame:
    """Expected output of ``n_townships`` stations over ``months`` at each observed rate.

    ``expected = n x months x rate``, and the same for the ends of the rate's confidence
    interval, so ``[low, high]`` carries the Poisson uncertainty, any 余/近/约 width and,
    where the observed months are a band, the band (``expected`` is then NaN: no point).

    Parameters
    ----------
    rates : DataFrame
        :func:`sswanalysis.analysis.stats.poisson_ci` output (place, indicator, unit, rate, rate_lo,
        rate_hi); rows without a rate interval are dropped.
    indicators : iterable of str, optional
        Keep only these indicators.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"place": ["a"], "indicator": ["community_events"],
    ...     "method": ["community"], "unit": ["sessions"], "rate": [0.5], "rate_lo": [0.2],
    ...     "rate_hi": [1.0]})
    >>> expected_output(10, 12, r)[["expected", "low", "high"]].to_dict("records")
    [{'expected': 60.0, 'low': 24.0, 'high': 120.0}]
    """
    r = rates.dropna(subset=["rate_lo", "rate_hi"])
    if indicators is not None:
        r = r[r["indicator"].isin(list(indicators))]
    scale = float(n_townships) * float(months)
    out = r[["place", "indicator", "method", "unit"]].copy()
    out["n_townships"] = n_townships
    out["months"] = months
    out["expected"] = scale * r["rate"].to_numpy(dtype=float)
    out["low"] = scale * r["rate_lo"].to_numpy(dtype=float)
    out["high"] = scale * r["rate_hi"].to_numpy(dtype=float)
    return out.reset_index(drop=True)


def sensitivity(n_values: Iterable[int], funding: pd.DataFrame) -> pd.DataFrame:
    """:func:`budget` for a range of N, stacked (for the sensitivity chart).

    >>> import pandas as pd
    >>> f = pd.DataFrame({"observation_id": ["l"], "region_id": ["linze"],
    ...     "basis": ["stated"], "per_station_cny": [150000.0]})
    >>> sensitivity([0, 10], f)["budget_wan"].tolist()
    [0.0, 150.0]
    """
    import pandas as pd

    return pd.concat([budget(int(n), funding) for n in n_values], ignore_index=True)

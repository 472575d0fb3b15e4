"""Service output: cumulative figures, exposure in months, and per-month rates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from sswanalysis.analysis.intervals import place_of, tidy, with_bounds

if TYPE_CHECKING:
    import pandas as pd


#: ASSUMPTION, not in the sources: months of service behind the cumulative figures.
#: Ulanqab's pilot plan starts in 2021 and the report is from 2022: about 12 months.
#: Pingchuan's station opened in April 2022 and reports "to date" that year: about 6 months.
#: Change these (or pass your own) to see how every per-month figure moves.
DEFAULT_MONTHS: dict[str, float] = {"ulanqab": 12.0, "pingchuan": 6.0}

#: periods over which a figure accumulates (a flow), so a per-month rate makes sense;
#: ``not_stated`` and ``one_off`` figures (e.g. key service targets, a grant) are stocks.
FLOW_PERIODS = frozenset({"cumulative_to_date", "since_project_start", "year_to_date", "month"})


def exposure(
    frame: pd.DataFrame,
    months: Mapping[str, float] | None = None,
    stations: Mapping[str, int] | None = None,
) -> pd.Series:
    """Station-months behind each figure: stations at the place x months of service.

    For report data with a ``month`` column each row is one station-month (exposure 1 per
    station row, as many stations as the row stands for). For the case studies the months
    are an assumption the caller states per place (station or region id); places without
    a stated period get NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"region_id": ["ulanqab", "linze"], "station_id": [None, "pingchuan"],
    ...     "indicator": ["community_events"] * 2, "value": [8.0, 4.0],
    ...     "qualifier": ["exact"] * 2, "unit": ["sessions"] * 2})
    >>> exposure(f, months={"ulanqab": 12, "pingchuan": 6}, stations={"ulanqab": 10}).tolist()
    [120.0, 6.0]
    >>> exposure(f, months={"pingchuan": 6}).tolist()
    [nan, 6.0]
    """
    import pandas as pd

    f = tidy(frame)
    place = place_of(f)
    stations = dict(stations or {})
    if "month" in f.columns and months is None:
        n = [float(stations.get(p, 1)) for p in place]
        return pd.Series(n, index=f.index, name="station_months")
    months = dict(months or {})
    vals = [
        float(stations.get(p, 1)) * float(months[p]) if p in months else float("nan")
        for p in place
    ]
    return pd.Series(vals, index=f.index, name="station_months")


def service_output(
    indicators: pd.DataFrame,
    months: Mapping[str, float] | None = None,
    stations: Mapping[str, int] | None = None,
    rel_width: float | None = None,
    indicators_kept: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Service output figures with intervals, per station and per station-month.

    Money (``cny``) and counts of stations/counties are left out unless named in
    ``indicators_kept``. Per station-month figures are given only for flows: rows whose
    ``period`` (when the column exists) is ``not_stated`` or ``one_off`` get NaN.
    ``per_station`` divides by the stations at the place (10 for
    Ulanqab's city-wide figures); ``per_station_month`` further by the stated months.
    The ``low``/``high`` bounds are divided the same way, so an approximate figure stays
    an interval. Nothing is summed across rows.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"region_id": ["ulanqab"], "station_id": [None],
    ...     "indicator": ["people_served"], "method": [None], "value": [1200.0],
    ...     "qualifier": ["at_least"], "unit": ["persons"]})
    >>> o = service_output(f, months={"ulanqab": 12}, stations={"ulanqab": 10})
    >>> cols = ["text", "per_station_low", "per_station_high", "pm_low", "pm_high"]
    >>> o[cols].round(2).to_numpy().tolist()[0]
    ['≥1,200 人', 120.0, 130.0, 10.0, 10.83]
    """
    f = with_bounds(indicators, rel_width)
    skip = {"funding_cny", "linked_resources_cny", "stations_count", "counties_covered"}
    keep = set(indicators_kept) if indicators_kept is not None else None
    mask = f["indicator"].isin(keep) if keep is not None else ~f["indicator"].isin(skip)
    f = f[mask].copy()
    stations = dict(stations or {})
    f["place"] = place_of(f)
    f["stations"] = [float(stations.get(p, 1)) for p in f["place"]]
    f["station_months"] = exposure(f, months, stations)
    for col, src in (("per_station", "value"), ("per_station_low", "low"),
                     ("per_station_high", "high")):
        f[col] = f[src] / f["stations"]
    if "period" in f.columns:
        stock = ~f["period"].isin(FLOW_PERIODS)
        f.loc[stock, "station_months"] = float("nan")
    f["pm"] = f["value"] / f["station_months"]
    f["pm_low"] = f["low"] / f["station_months"]
    f["pm_high"] = f["high"] / f["station_months"]
    return f.reset_index(drop=True)

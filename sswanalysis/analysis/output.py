"""Service output: cumulative figures, exposure in months, and per-month rates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from sswanalysis.analysis.intervals import place_of, tidy, with_bounds

if TYPE_CHECKING:
    import pandas as pd


#: ASSUMPTION, not in the sources: the range of months of service behind each place's
#: cumulative figures, (shortest, longest). The sources give no report date and no opening
#: date, so the default is a band to show, never a point to divide by:
#:
#: * Pingchuan: money to set the station up was invested in April 2022 ("2022年4月,投资30万元")
#:   and the station was inaugurated "近日" (recently) when the article was written, which
#:   is itself undated (2022 is inferred): from two weeks to the end of 2022, 0.5-8 months.
#: * Ulanqab: the pilot plan runs 2021-2025; when each of the 10 stations opened is not
#:   said: from one month to the whole of 2021-2022, 1-24 months.
#:
#: Change these (or pass your own, a number or a pair) to see every per-month figure move.
MONTHS_BAND: dict[str, tuple[float, float]] = {"ulanqab": (1.0, 24.0), "pingchuan": (0.5, 8.0)}

#: periods over which a figure accumulates (a flow), so a per-month rate makes sense;
#: ``not_stated`` and ``one_off`` figures (e.g. key service targets, a grant) are stocks.
FLOW_PERIODS = frozenset({"cumulative_to_date", "since_project_start", "year_to_date", "month"})

#: periods of figures that belong to a project, not to its stations (Ulanqab's trainings of
#: station staff and household surveys, counted "项目启动后" -- since the project started):
#: kept whole, never divided over stations or months.
PROJECT_PERIODS = frozenset({"since_project_start"})

#: months of service at a place: a number, or a (shortest, longest) pair for a band
Months = float | tuple[float, float] | Sequence[float]


def months_range(months: Months) -> tuple[float, float]:
    """(shortest, longest) months from a number or a pair; both must be positive.

    >>> months_range(6), months_range((0.5, 8)), months_range([3, 3])
    ((6.0, 6.0), (0.5, 8.0), (3.0, 3.0))
    >>> months_range((8, 0.5))
    Traceback (most recent call last):
    ...
    ValueError: months (8, 0.5): the shortest must come first and both be > 0
    """
    if isinstance(months, (int, float)):
        lo = hi = float(months)
    else:
        lo, hi = (float(m) for m in months)
    if not 0 < lo <= hi:
        raise ValueError(f"months {months}: the shortest must come first and both be > 0")
    return lo, hi


def months_grid(months: Months, n: int = 5) -> list[float]:
    """Up to ``n`` months spread evenly on a log scale across a band, for what-if tables.

    >>> months_grid((0.5, 8)), months_grid(6)
    ([0.5, 1.0, 2.0, 4.0, 8.0], [6.0])
    >>> months_grid((1, 24))
    [1.0, 2.2, 4.9, 10.8, 24.0]
    """
    import numpy as np

    lo, hi = months_range(months)
    return sorted({round(float(m), 1) for m in np.geomspace(lo, hi, n)})


def exposure_range(
    frame: pd.DataFrame,
    months: Mapping[str, Months] | None = None,
    stations: Mapping[str, int] | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Shortest and longest station-months behind each figure: stations x months of service.

    For report data with a ``month`` column each row is one station-month (as many as the
    stations the row stands for). For the case studies the months are an assumption the
    caller states per place (station or region id), a number or a (shortest, longest) band;
    places without months get NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"region_id": ["ulanqab", "linze"], "station_id": [None, "pingchuan"],
    ...     "indicator": ["community_events"] * 2, "value": [8.0, 4.0],
    ...     "qualifier": ["exact"] * 2, "unit": ["sessions"] * 2})
    >>> short, long = exposure_range(f, {"ulanqab": (1, 24), "pingchuan": 6}, {"ulanqab": 10})
    >>> short.tolist(), long.tolist()
    ([10.0, 6.0], [240.0, 6.0])
    """
    import pandas as pd

    f = tidy(frame)
    place = place_of(f)
    stations = dict(stations or {})
    if "month" in f.columns and months is None:
        n = [float(stations.get(p, 1)) for p in place]
        return pd.Series(n, index=f.index), pd.Series(n, index=f.index)
    ranges = {p: months_range(m) for p, m in (months or {}).items()}
    nan = (float("nan"), float("nan"))
    short = [float(stations.get(p, 1)) * ranges.get(p, nan)[0] for p in place]
    long = [float(stations.get(p, 1)) * ranges.get(p, nan)[1] for p in place]
    return (pd.Series(short, index=f.index, name="station_months_min"),
            pd.Series(long, index=f.index, name="station_months_max"))


def exposure(
    frame: pd.DataFrame,
    months: Mapping[str, Months] | None = None,
    stations: Mapping[str, int] | None = None,
) -> pd.Series:
    """Station-months behind each figure where the months are one number (NaN for a band).

    See :func:`exposure_range`; a place whose months are a band has no single exposure.

    Examples
    --------
    >>> import pandas as pd
    >>> one = pd.DataFrame({"region_id": ["ulanqab"], "indicator": ["community_events"],
    ...                     "value": [8.0], "qualifier": ["exact"], "unit": ["sessions"]})
    >>> exposure(one, {"ulanqab": 12}, {"ulanqab": 10}).tolist(), exposure(one, {"ulanqab": (1, 24)}).tolist()
    ([120.0], [nan])
    """
    short, long = exposure_range(frame, months, stations)
    return short.where(short == long).rename("station_months")


def service_output(
    indicators: pd.DataFrame,
    months: Mapping[str, Months] | None = None,
    stations: Mapping[str, int] | None = None,
    rel_width: float | None = None,
    indicators_kept: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Service output figures with intervals, per station and per station-month.

    Money (``cny``) and counts of stations/counties are left out unless named in
    ``indicators_kept``. Per station-month figures are given only for flows: rows whose
    ``period`` (when the column exists) is ``not_stated`` or ``one_off`` get NaN. Rows
    counted since a project started (:data:`PROJECT_PERIODS`) belong to the project and get
    no per-station or per-month figure at all.
    ``per_station`` divides by the stations at the place (10 for
    Ulanqab's city-wide figures); ``pm`` (per station-month) further by the months, where
    they are one number. Where the months are a (shortest, longest) band, ``pm`` is NaN and
    ``pm_low`` divides the low end by the longest exposure, ``pm_high`` the high end by the
    shortest: the interval covers both the figure's 余/近/约 width and the assumed months.
    Nothing is summed across rows.

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
    >>> b = service_output(f, months={"ulanqab": (1, 24)}, stations={"ulanqab": 10})
    >>> b[["station_months_min", "station_months_max", "pm", "pm_low", "pm_high"]].to_numpy().tolist()[0]
    [10.0, 240.0, nan, 5.0, 130.0]
    """
    f = with_bounds(indicators, rel_width)
    skip = {"funding_cny", "linked_resources_cny", "stations_count", "counties_covered"}
    keep = set(indicators_kept) if indicators_kept is not None else None
    mask = f["indicator"].isin(keep) if keep is not None else ~f["indicator"].isin(skip)
    f = f[mask].copy()
    stations = dict(stations or {})
    f["place"] = place_of(f)
    f["stations"] = [float(stations.get(p, 1)) for p in f["place"]]
    f["station_months_min"], f["station_months_max"] = exposure_range(f, months, stations)
    for col, src in (("per_station", "value"), ("per_station_low", "low"),
                     ("per_station_high", "high")):
        f[col] = f[src] / f["stations"]
    if "period" in f.columns:
        stock = ~f["period"].isin(FLOW_PERIODS)
        project = f["period"].isin(PROJECT_PERIODS)
        f.loc[stock | project, ["station_months_min", "station_months_max"]] = float("nan")
        f.loc[project, ["per_station", "per_station_low", "per_station_high"]] = float("nan")
    short, long = f["station_months_min"], f["station_months_max"]
    f["station_months"] = short.where(short == long)
    f["pm"] = f["value"] / f["station_months"]
    f["pm_low"] = f["low"] / long
    f["pm_high"] = f["high"] / short
    return f.reset_index(drop=True)

"""Station-month panels from ingested monthly reports: the analysis frame and its checks.

The input is what ``sswanalysis ingest`` accepts (:func:`sswanalysis.monthly.ingest.read`
``.accepted``, or the Parquet it writes): the long table of figures with a ``month``. The
output is one row per station-month with

* ``count`` -- the outcome (one indicator in one unit; persons and person-times are never
  mixed) and ``qualifier`` (a figure written ``120余`` is a lower bound: counted in
  ``approximate_share`` of :func:`describe_panel`, never silently treated as exact);
* ``exposure`` -- 1 station-month per row, and ``worker_months`` (resident social workers
  that month) where the report gives them;
* covariates: ``calendar_month`` and ``february`` (Spring Festival), and -- from the
  station table (``read(...).stations``) and an optional station register -- service
  model, months since opening (``months_open`` and its band) and whatever else the
  register holds (operating mode, funding per station …);
* ``synthetic`` -- carried from every row, so synthetic data is never mistaken for real.

Everything here is a pure function of frames. A panel that cannot support a model raises
:class:`PanelError` with a message that says what is wrong and what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MONTHS_OPEN_BANDS", "PanelError", "check_panel", "describe_panel", "event_time_profile",
           "panel_frame"]

#: Bands of months since opening (label -> first month); the last band is open-ended.
MONTHS_OPEN_BANDS: dict[str, int] = {"0-5": 0, "6-11": 6, "12+": 12}


class PanelError(ValueError):
    """A panel that cannot support the model asked of it (one station, no variation …)."""


def _month_ordinal(month: pd.Series) -> pd.Series:
    import pandas as pd

    m = month if isinstance(month.dtype, pd.PeriodDtype) else pd.PeriodIndex(month.astype(str), freq="M")
    m = pd.Series(m, index=month.index)
    return (m.dt.year * 12 + m.dt.month - 1).astype("int64")


def months_open_band(months_open: pd.Series) -> pd.Series:
    """Band of months since opening (:data:`MONTHS_OPEN_BANDS`); missing where unknown.

    >>> import pandas as pd
    >>> months_open_band(pd.Series([0, 5, 6, 30, None])).tolist()
    ['0-5', '0-5', '6-11', '12+', nan]
    """
    import numpy as np
    import pandas as pd

    edges = [*MONTHS_OPEN_BANDS.values(), np.inf]
    return pd.cut(months_open.astype("float64"), bins=edges, right=False,
                  labels=list(MONTHS_OPEN_BANDS)).astype("object")


def panel_frame(
    accepted: pd.DataFrame,
    stations: pd.DataFrame | None = None,
    *,
    indicator: str = "people_served",
    unit: str = "persons",
    register: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per station-month: outcome, exposure and covariates (see the module docstring).

    Parameters
    ----------
    accepted : DataFrame
        Ingested figures (``station_id, region_id, month, indicator, unit, value,
        qualifier``, optionally ``synthetic``).
    stations : DataFrame, optional
        ``read(...).stations``: ``station_id`` with ``service_model`` and ``opened``.
    indicator, unit : str
        The outcome: one indicator in one unit.
    register : DataFrame, optional
        A station register: ``station_id`` plus any station covariates (e.g.
        ``operating_mode``, ``funding_per_station_cny``). Its stations must be unique.

    Returns
    -------
    DataFrame
        Sorted by station and month; the columns described in the module docstring.

    Examples
    --------
    >>> import pandas as pd
    >>> acc = pd.DataFrame({"station_id": ["s1", "s1", "s1"], "region_id": ["r", "r", "r"],
    ...     "month": ["2023-01", "2023-02", "2023-02"], "indicator": ["people_served"] * 2
    ...     + ["resident_social_workers"], "unit": ["persons"] * 3, "value": [30.0, 25.0, 2.0],
    ...     "qualifier": ["exact", "at_least", "exact"]})
    >>> panel_frame(acc)[["station_id", "month", "count", "qualifier", "worker_months", "february"]]
      station_id    month  count qualifier  worker_months  february
    0         s1  2023-01   30.0     exact            NaN     False
    1         s1  2023-02   25.0  at_least            2.0      True
    """
    import pandas as pd

    need = {"station_id", "region_id", "month", "indicator", "unit", "value"}
    missing = sorted(need - set(accepted.columns))
    if missing:
        raise PanelError(f"the figures table lacks column(s) {missing}; pass the accepted table "
                         "of sswanalysis ingest (read(...).accepted or its Parquet)")
    ind = accepted["indicator"].astype("str")
    un = accepted["unit"].astype("str")
    rows = accepted[(ind == indicator) & (un == unit)]
    if rows.empty:
        have = sorted(set(zip(ind, un, strict=True)))[:12]
        raise PanelError(f"no figures for {indicator} in {unit}; the data hold {have}")
    cols = ["station_id", "region_id", "month", "value"]
    out = pd.DataFrame({c: rows[c].astype("str") if c in ("station_id", "region_id") else rows[c]
                        for c in cols})
    out = out.rename(columns={"value": "count"})
    out["count"] = out["count"].astype("float64")
    out["qualifier"] = (rows["qualifier"].astype("str") if "qualifier" in rows else "exact")
    out["synthetic"] = rows["synthetic"].astype("bool") if "synthetic" in rows else False
    out["month_ordinal"] = _month_ordinal(out["month"])
    out["month"] = pd.PeriodIndex.from_ordinals(out["month_ordinal"].to_numpy() - 1970 * 12,
                                                 freq="M").strftime("%Y-%m")
    dup = out.duplicated(["station_id", "month_ordinal"])
    if dup.any():
        raise PanelError(f"{int(dup.sum())} station-month(s) have two {indicator} figures in {unit}; "
                         "ingest rejects duplicates, so this table was not made by ingest")
    out["exposure"] = 1.0
    workers = accepted[(ind == "resident_social_workers") & (un == "persons")]
    if len(workers):
        w = pd.DataFrame({"station_id": workers["station_id"].astype("str"),
                          "month_ordinal": _month_ordinal(workers["month"]),
                          "worker_months": workers["value"].astype("float64")})
        out = out.merge(w, on=["station_id", "month_ordinal"], how="left", validate="1:1")
    else:
        out["worker_months"] = float("nan")
    out["calendar_month"] = (out["month_ordinal"] % 12 + 1).astype("int64")
    out["february"] = out["calendar_month"].eq(2)
    if stations is not None:
        out = _join_stations(out, stations)
    if register is not None:
        out = _join_register(out, register)
    return out.sort_values(["station_id", "month_ordinal"], ignore_index=True)


def _join_stations(out: pd.DataFrame, stations: pd.DataFrame) -> pd.DataFrame:
    st = stations.assign(station_id=stations["station_id"].astype("str"))
    keep = [c for c in ("service_model", "opened") if c in st.columns]
    out = out.merge(st[["station_id", *keep]], on="station_id", how="left", validate="m:1")
    if "service_model" in out:
        out["service_model"] = out["service_model"].astype("object")
    if "opened" in out:
        opened = out["opened"].astype("str").where(out["opened"].notna())
        ok = opened.notna()
        months_open = out["month_ordinal"].astype("float64").where(ok)
        months_open[ok] = out.loc[ok, "month_ordinal"] - _month_ordinal(opened[ok])
        # a report from before the station opened is kept but gets no band
        out["months_open"] = months_open.where(months_open >= 0)
        out["months_open_band"] = months_open_band(out["months_open"])
        out = out.drop(columns="opened")
    return out


def _join_register(out: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    if "station_id" not in register.columns:
        raise PanelError("the station register needs a station_id column")
    reg = register.assign(station_id=register["station_id"].astype("str"))
    twice = reg["station_id"][reg["station_id"].duplicated()].unique().tolist()
    if twice:
        raise PanelError(f"the station register lists {len(twice)} station(s) twice, e.g. {twice[:3]}")
    clash = sorted(set(reg.columns) & set(out.columns) - {"station_id"})
    if clash:
        raise PanelError(f"the station register repeats column(s) {clash} of the reports; drop them")
    return out.merge(reg, on="station_id", how="left", validate="m:1")


def check_panel(frame: pd.DataFrame, terms: Sequence[str] = (), *, outcome: str = "count",
                exposure: str = "exposure") -> None:
    """Raise :class:`PanelError` if ``frame`` cannot support a count model of ``terms``.

    Checks, in order: at least two stations and two months, exposure present and positive,
    an outcome that is not all zero, and every term present with at least two values.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"station_id": ["a", "a"], "month_ordinal": [1, 2],
    ...                   "count": [1.0, 2.0], "exposure": [1.0, 1.0]})
    >>> try:
    ...     check_panel(f)
    ... except PanelError as exc:
    ...     print(exc)
    the panel has one station (a); a model needs stations to compare
    """
    import numpy as np

    stations = frame["station_id"].nunique()
    if stations < 2:
        only = frame["station_id"].iloc[0] if len(frame) else "none"
        raise PanelError(f"the panel has one station ({only}); a model needs stations to compare")
    if frame["month_ordinal"].nunique() < 2:
        raise PanelError("the panel has one month; season and time effects need two or more")
    if exposure not in frame or frame[exposure].isna().any():
        n = int(frame[exposure].isna().sum()) if exposure in frame else len(frame)
        raise PanelError(f"{n} row(s) have no exposure ({exposure}); choose rows that report it "
                         "or use exposure='exposure' (station-months)")
    if (frame[exposure] <= 0).any():
        raise PanelError(f"{int((frame[exposure] <= 0).sum())} row(s) have exposure ≤ 0")
    y = frame[outcome].to_numpy(dtype="float64")
    if not np.isfinite(y).all() or (y < 0).any():
        raise PanelError(f"the outcome {outcome} has missing or negative values")
    if y.sum() == 0:
        raise PanelError(f"the outcome {outcome} is zero in every row; there is no rate to model")
    for term in terms:
        if term not in frame:
            raise PanelError(f"no column {term!r} in the panel; available: {sorted(frame.columns)}")
        values = frame[term].dropna()
        if values.nunique() < 2:
            level = values.iloc[0] if len(values) else "nothing"
            raise PanelError(f"{term} has one value ({level}) in the rows used; it cannot be "
                             "estimated -- drop it from the model")


def describe_panel(frame: pd.DataFrame) -> dict[str, float | int | bool]:
    """Size of a panel: stations, months, station-months, approximate share, synthetic or not.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"station_id": ["a", "b"], "month_ordinal": [1, 1], "count": [1.0, 2.0],
    ...                   "qualifier": ["exact", "at_least"], "synthetic": [True, True]})
    >>> describe_panel(f)
    {'stations': 2, 'months': 1, 'station_months': 2, 'approximate_share': 0.5, 'synthetic': True}
    """
    return {
        "stations": int(frame["station_id"].nunique()),
        "months": int(frame["month_ordinal"].nunique()),
        "station_months": len(frame),
        "approximate_share": float(frame["qualifier"].ne("exact").mean()) if len(frame) else 0.0,
        "synthetic": bool(frame["synthetic"].all()) if "synthetic" in frame else False,
    }


def event_time_profile(frame: pd.DataFrame, *, outcome: str = "count", exposure: str = "exposure",
                       max_months: int = 36, level: float = 0.95) -> pd.DataFrame:
    """Output by months since opening: the mean station rate and its interval at each month.

    The interval treats stations as the unit (the spread of station rates at that month,
    normal approximation), so it does not pretend that months of one station are
    independent.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"months_open": [0, 0, 1, 1], "count": [2.0, 4.0, 6.0, 8.0],
    ...                   "exposure": [1.0] * 4})
    >>> event_time_profile(f)[["months_open", "stations", "rate"]].to_dict("records")
    [{'months_open': 0, 'stations': 2, 'rate': 3.0}, {'months_open': 1, 'stations': 2, 'rate': 7.0}]
    """
    import numpy as np
    import pandas as pd
    from scipy.stats import norm

    if "months_open" not in frame:
        raise PanelError("the panel has no months since opening; pass the station table "
                         "(read(...).stations, with 'opened') to panel_frame")
    f = frame[frame["months_open"].notna() & (frame["months_open"] <= max_months)]
    rate = f[outcome] / f[exposure]
    g = rate.groupby(f["months_open"].astype("int64"))
    out = pd.DataFrame({"stations": g.size(), "rate": g.mean(), "sd": g.std(ddof=1)})
    z = norm.ppf(0.5 + level / 2)
    half = z * out["sd"] / np.sqrt(out["stations"])
    out["rate_lo"] = (out["rate"] - half).clip(lower=0)
    out["rate_hi"] = out["rate"] + half
    out.index.name = "months_open"
    return out.drop(columns="sd").reset_index()

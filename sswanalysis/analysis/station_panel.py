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
    import numpy as np
    import pandas as pd

__all__ = ["CANDIDATE_TERMS", "DEFAULT_REFERENCE", "MONTHS_OPEN_BANDS", "TERM_NAMES", "PanelError",
           "check_panel", "describe_panel", "event_time_profile", "model_terms", "panel_frame",
           "size_exposure", "term_labels"]

#: Covariates a panel model uses when the data hold them (and they vary), in this order.
CANDIDATE_TERMS = ("service_model", "operating_mode", "log_funding", "log_workers", "months_open_band",
                   "february")
#: Reference level of each text covariate, where it occurs in the data.
DEFAULT_REFERENCE = {"service_model": "government_purchase", "operating_mode": "outsourced",
                     "months_open_band": "12+", "february": "False"}

#: Bands of months since opening (label -> first month); the last band is open-ended.
MONTHS_OPEN_BANDS: dict[str, int] = {"0-5": 0, "6-11": 6, "12+": 12}

#: What each covariate of :data:`CANDIDATE_TERMS` is, in Chinese and English.
TERM_NAMES: dict[str, tuple[str, str]] = {
    "service_model": ("服务模式", "service model"),
    "operating_mode": ("运营模式", "operating mode"),
    "log_funding": ("站均经费(每增至e倍)", "funding per station, per e-fold"),
    "log_workers": ("驻站社工·月(每增至e倍)", "resident social worker-months, per e-fold"),
    "months_open_band": ("建站月数", "months since opening"),
    "february": ("二月(春节)", "February (Spring Festival)"),
}
#: Names of the levels made here (the month); the other levels are codes of the Data Package,
#: named by its vocabularies.
_LEVEL_NAMES = {("february", "True"): ("二月", "February"),
                ("february", "False"): ("其他月份", "other months")}


class PanelError(ValueError):
    """A panel that cannot support the model asked of it (one station, no variation …)."""


def _month_ordinal(month: pd.Series) -> np.ndarray:
    """Months since year 0 (``year * 12 + month - 1``) of ``YYYY-MM`` text or monthly periods.

    Text is parsed once per distinct value, so a million rows of 36 months cost 36 parses.
    """
    import numpy as np
    import pandas as pd

    if isinstance(month.dtype, pd.PeriodDtype):
        return month.array.asi8 + 1970 * 12
    codes, uniques = pd.factorize(month, use_na_sentinel=True)
    parsed = pd.PeriodIndex([str(u) for u in uniques], freq="M").asi8 + 1970 * 12
    return np.where(codes >= 0, parsed[codes] if len(parsed) else 0, -1)


def _station_codes(station: pd.Series) -> pd.Series:
    """Station ids as a categorical of strings (cheap when they already are one)."""
    import pandas as pd

    cat = station if isinstance(station.dtype, pd.CategoricalDtype) else station.astype("category")
    if not all(isinstance(c, str) for c in cat.cat.categories[:5]):
        cat = cat.cat.rename_categories([str(c) for c in cat.cat.categories])
    return cat


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
    import numpy as np
    import pandas as pd

    need = {"station_id", "region_id", "month", "indicator", "unit", "value"}
    missing = sorted(need - set(accepted.columns))
    if missing:
        raise PanelError(f"the figures table lacks column(s) {missing}; pass the accepted table "
                         "of sswanalysis ingest (read(...).accepted or its Parquet)")
    ind, un = accepted["indicator"], accepted["unit"]  # compared as categoricals: no string copies
    mask = ((ind == indicator) & (un == unit)).to_numpy(dtype=bool)
    rows = accepted[mask]
    if rows.empty:
        pairs = accepted[["indicator", "unit"]].astype("object").drop_duplicates()
        have = sorted(map(tuple, pairs.itertuples(index=False)))[:12]
        raise PanelError(f"no figures for {indicator} in {unit}; the data hold {have}")
    station = _station_codes(accepted["station_id"])
    month = _month_ordinal(accepted["month"])
    out = pd.DataFrame({
        "station_id": station[mask].cat.remove_unused_categories(),
        "region_id": _station_codes(rows["region_id"]).cat.remove_unused_categories(),
        "month_ordinal": month[mask],
        "count": rows["value"].to_numpy(dtype="float64", na_value=np.nan),
        "qualifier": rows["qualifier"].astype("category") if "qualifier" in rows else "exact",
        "synthetic": rows["synthetic"].to_numpy(dtype=bool) if "synthetic" in rows else False,
    })
    # one integer key per station-month: station code × 2^20 + month
    key = station.cat.codes.to_numpy(dtype="int64") * 2**20 + month
    if pd.Index(key[mask]).has_duplicates:
        n = int(pd.Index(key[mask]).duplicated().sum())
        raise PanelError(f"{n} station-month(s) have two {indicator} figures in {unit}; "
                         "ingest rejects duplicates, so this table was not made by ingest")
    out["exposure"] = 1.0
    w_mask = ((ind == "resident_social_workers") & (un == "persons")).to_numpy(dtype=bool)
    at = pd.Index(key[w_mask]).get_indexer(key[mask]) if w_mask.any() else np.full(mask.sum(), -1)
    workers = accepted["value"].to_numpy(dtype="float64", na_value=np.nan)[w_mask]
    out["worker_months"] = np.where(at >= 0, workers[at] if len(workers) else np.nan, np.nan)
    ords = out["month_ordinal"].to_numpy()
    labels = pd.PeriodIndex.from_ordinals(np.unique(ords) - 1970 * 12, freq="M").strftime("%Y-%m")
    out.insert(2, "month", pd.Categorical.from_codes(np.searchsorted(np.unique(ords), ords),
                                                     categories=pd.Index(labels, dtype="str")))
    out["calendar_month"] = (out["month_ordinal"] % 12 + 1).astype("int64")
    out["february"] = out["calendar_month"].eq(2)
    if stations is not None:
        out = _join_stations(out, stations)
    if register is not None:
        out = _join_register(out, register)
    out["station_id"] = out["station_id"].cat.reorder_categories(
        sorted(out["station_id"].cat.categories))
    return out.iloc[np.lexsort((out["month_ordinal"].to_numpy(),
                                out["station_id"].cat.codes.to_numpy()))].reset_index(drop=True)


def _join_stations(out: pd.DataFrame, stations: pd.DataFrame) -> pd.DataFrame:
    import numpy as np

    st = stations.drop_duplicates("station_id").set_index(stations["station_id"].astype("str")
                                                          .drop_duplicates().to_numpy())
    if "service_model" in st:
        out["service_model"] = out["station_id"].map(st["service_model"].astype("object")).astype("category")
    if "opened" in st:
        opened = out["station_id"].map(st["opened"].astype("object"))
        known = opened.notna().to_numpy()
        months_open = np.full(len(out), np.nan)
        months_open[known] = out["month_ordinal"].to_numpy()[known] - _month_ordinal(opened[known])
        # a report from before the station opened is kept but gets no band
        out["months_open"] = np.where(months_open >= 0, months_open, np.nan)
        out["months_open_band"] = months_open_band(out["months_open"]).astype("category")
    return out


def _join_register(out: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    if "station_id" not in register.columns:
        raise PanelError("the station register needs a station_id column")
    ids = register["station_id"].astype("str")
    twice = ids[ids.duplicated()].unique().tolist()
    if twice:
        raise PanelError(f"the station register lists {len(twice)} station(s) twice, e.g. {twice[:3]}")
    clash = sorted(set(register.columns) & set(out.columns) - {"station_id"})
    if clash:
        raise PanelError(f"the station register repeats column(s) {clash} of the reports; drop them")
    reg = register.set_index(ids.to_numpy())
    for col in reg.columns.drop("station_id"):
        mapped = out["station_id"].map(reg[col])
        numeric = reg[col].dtype.kind in "fiub"
        out[col] = mapped.astype(reg[col].dtype) if numeric else mapped.astype("category")
    return out


def model_terms(frame: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    """Add the log covariates and pick the model's terms and reference levels from what the panel holds.

    Adds ``log_funding`` (log of funding per station over its median: a rate ratio per
    e-fold) and ``log_workers`` (log of resident social workers that month) where the
    data hold them; returns the :data:`CANDIDATE_TERMS` present with two or more values,
    and the :data:`DEFAULT_REFERENCE` levels that occur.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"february": [True, False], "worker_months": [2.0, 3.0],
    ...                   "service_model": ["a", "a"]})
    >>> model_terms(f)
    (['log_workers', 'february'], {'february': 'False'})
    """
    import numpy as np

    if "funding_per_station_cny" in frame:
        funding = frame["funding_per_station_cny"].where(frame["funding_per_station_cny"] > 0)
        frame["log_funding"] = np.log(funding / funding.median())
    if "worker_months" in frame and frame["worker_months"].notna().any():
        frame["log_workers"] = np.log(frame["worker_months"].where(frame["worker_months"] > 0))
    terms = [t for t in CANDIDATE_TERMS if t in frame and frame[t].nunique() > 1]
    reference = {t: r for t, r in DEFAULT_REFERENCE.items()
                 if t in terms and r in set(frame[t].astype("str").unique())}
    return terms, reference


def term_labels(table: pd.DataFrame) -> list[tuple[str, str]]:
    """One (Chinese, English) label per row of a rate-ratio table (``term, level, reference``).

    Operating modes are named as the Data Package's ``operating_models`` table names them;
    other levels as their codes, in words. Terms not in :data:`TERM_NAMES` keep their name.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"term": ["operating_mode", "log_workers", "february"],
    ...                   "level": ["direct_hire", "", "True"], "reference": ["outsourced", "", "False"]})
    >>> for zh, en in term_labels(t):
    ...     print(zh, "|", en)
    运营模式:直聘模式 vs 外包模式 | operating mode: direct hire vs outsourced
    驻站社工·月(每增至e倍) | resident social worker-months, per e-fold
    二月(春节):二月 vs 其他月份 | February (Spring Festival): February vs other months
    """
    from sswanalysis.analysis.labelling import vocabulary

    names = {**_LEVEL_NAMES,
             **{("operating_mode", code): label for code, label in vocabulary("operating_models").items()},
             **{("service_model", code): label for code, label in vocabulary("station_operations").items()}}

    def level(term: str, code: str) -> tuple[str, str]:
        words = code.replace("_", " ")
        return names.get((term, code), (words, words))

    out = []
    for term, lv, ref in zip(table["term"], table["level"], table["reference"], strict=True):
        zh, en = TERM_NAMES.get(term, (term, term))
        if lv:
            (lz, le), (rz, re_) = level(term, str(lv)), level(term, str(ref))
            out.append((f"{zh}:{lz} vs {rz}", f"{en}: {le} vs {re_}"))
        else:
            out.append((zh, en))
    return out


def size_exposure(frame: pd.DataFrame) -> tuple[str, tuple[str, str]]:
    """The exposure that measures a station's size, and its label (Chinese, English).

    Resident-social-worker-months where every row reports its staff, else station-months.

    >>> import pandas as pd
    >>> size_exposure(pd.DataFrame({"worker_months": [2.0, 3.0]}))
    ('worker_months', ('社工·月', 'worker-months'))
    >>> size_exposure(pd.DataFrame({"worker_months": [2.0, None]}))[0]
    'exposure'
    """
    workers = frame["worker_months"] if "worker_months" in frame else None
    if workers is not None and workers.notna().all() and (workers > 0).all():
        return "worker_months", ("社工·月", "worker-months")
    return "exposure", ("站·月", "station-months")


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

    Raises :class:`PanelError` when no row has a known month since opening (the data give no
    ``opened`` month, or every report predates it) or none is within ``max_months`` of opening.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"months_open": [0, 0, 1, 1], "count": [2.0, 4.0, 6.0, 8.0],
    ...                   "exposure": [1.0] * 4})
    >>> event_time_profile(f)[["months_open", "stations", "rate"]].to_dict("records")
    [{'months_open': 0, 'stations': 2, 'rate': 3.0}, {'months_open': 1, 'stations': 2, 'rate': 7.0}]
    """
    import numpy as np
    import pandas as pd
    from scipy.stats import norm

    if "months_open" not in frame or frame["months_open"].isna().all():
        raise PanelError("no report has a known month since its station opened: the data give no "
                         "opening month ('opened', YYYY-MM) or every report predates it")
    f = frame[frame["months_open"].notna() & (frame["months_open"] <= max_months)]
    if f.empty:
        raise PanelError(f"every report is more than {max_months} months after its station opened; "
                         f"the profile covers months 0-{max_months}")
    rate = f[outcome] / f[exposure]
    g = rate.groupby(f["months_open"].astype("int64"))
    out = pd.DataFrame({"stations": g.size(), "rate": g.mean(), "sd": g.std(ddof=1)})
    z = norm.ppf(0.5 + level / 2)
    half = z * out["sd"] / np.sqrt(out["stations"])
    out["rate_lo"] = (out["rate"] - half).clip(lower=0)
    out["rate_hi"] = out["rate"] + half
    out.index.name = "months_open"
    return out.drop(columns="sd").reset_index()

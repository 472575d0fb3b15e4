"""National and provincial context: the national series, coverage, per-station ratios, programmes.

Every ratio here is computed, never stored, and carries its bounds: a figure written with
余/多/超 (``at_least``) or 约 (``approx``) is an interval (:func:`~sswanalysis.analysis.intervals.bounds`),
and a ratio of two intervals is the interval from the smallest to the largest quotient.
A coverage rate is stored as the source states it; the number of townships it implies is
computed here and labelled an inference, because no source states it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sswanalysis.analysis.intervals import bounds, tidy
from sswanalysis.analysis.labelling import format_number, format_value

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "as_of_midpoint",
    "implied_denominators",
    "money_per_station",
    "national_timeline",
    "programmes_side_by_side",
    "ratio_bounds",
    "workers_per_station",
]

#: grade -> short bilingual label shown beside a figure
GRADE_LABELS = {
    "official_statistics": "官方统计 official statistics",
    "official_press": "政府网站 official press",
    "state_media": "官方媒体 state media",
    "academic": "学术 academic",
    "other_media": "其他媒体 other media",
    "low_quality": "低质量 low quality",
}


def as_of_midpoint(text: str) -> pd.Timestamp:
    """The middle of the time an ``as_of`` names, for plotting: a day, a month or a year.

    >>> [str(as_of_midpoint(t).date()) for t in ("2023-01-17", "2023-01", "2021")]
    ['2023-01-17', '2023-01-16', '2021-07-02']
    """
    import pandas as pd

    freq = {10: "D", 7: "M", 4: "Y"}[len(text)]
    period = pd.Period(text, freq=freq)
    return (period.start_time + (period.end_time - period.start_time) / 2).floor("D")


def ratio_bounds(num: tuple[float, float], den: tuple[float, float]) -> tuple[float, float]:
    """The interval of ``num / den`` for two positive intervals ``(low, high)``.

    >>> ratio_bounds((30000, 40000), (12000, 13000))  # 3万余 workers / 1.2万余 stations
    (2.3076923076923075, 3.3333333333333335)
    """
    return num[0] / den[1], num[1] / den[0]


def _with_sources(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    src = sources[["source_id", "grade", "mirror", "publisher_zh", "publisher_en"]].copy()
    src["source_id"] = src["source_id"].astype("str")
    src["grade"] = src["grade"].astype("object")
    out = frame.merge(src, on="source_id", how="left")
    out["mirror"] = [m is not None and m == m and str(m) == "True" for m in out["mirror"].astype("object")]
    out["grade_label"] = [GRADE_LABELS.get(g, "未分级 not graded") + (" · 转载 mirror" if m else "")
                          for g, m in zip(out["grade"], out["mirror"], strict=True)]
    return out


def national_timeline(indicators: pd.DataFrame, sources: pd.DataFrame,
                      wanted: tuple[str, ...] = ("stations_count", "resident_social_workers"),
                      region: str = "china") -> pd.DataFrame:
    """The dated figures of ``region`` for the ``wanted`` indicators, with bounds and source grade.

    Returns
    -------
    pandas.DataFrame
        observation_id, indicator, as_of, date (:func:`as_of_midpoint`), value, qualifier,
        low, high, text, source_id, grade, mirror, publisher_en, grade_label -- sorted by
        indicator and date.

    Examples
    --------
    >>> import sswanalysis as ssw
    >>> t = national_timeline(ssw.load("indicators"), ssw.load("sources"))
    >>> t.loc[t.indicator == "stations_count", ["as_of", "text"]].head(2).to_numpy().tolist()
    [['2021-11-05', '≥12,000 个站'], ['2021-12-31', '≥17,000 个站']]
    """
    f = tidy(indicators)
    f = f[(f["region_id"] == region) & f["indicator"].isin(wanted) & f["as_of"].notna()
          & (f["as_of"] != "nan")].copy()
    lh = [bounds(v, q) for v, q in zip(f["value"], f["qualifier"], strict=True)]
    f["low"], f["high"] = [a for a, _ in lh], [b for _, b in lh]
    f["text"] = [format_value(v, q, unit=u) for v, q, u in zip(f["value"], f["qualifier"], f["unit"],
                                                                 strict=True)]
    f["date"] = [as_of_midpoint(a) for a in f["as_of"]]
    cols = ["observation_id", "indicator", "as_of", "date", "value", "qualifier", "low", "high",
            "text", "source_id"]
    out = _with_sources(f[cols], sources)
    return out.sort_values(["indicator", "date"], kind="stable").reset_index(drop=True)


def _same_time_row(rows: pd.DataFrame, as_of: str, source_id: str) -> pd.Series | None:
    """The row of ``rows`` dated at the same time as ``as_of``, from the same source if there is one."""
    from sswanalysis.datapackage.conflicts import same_time

    hits = rows[[isinstance(a, str) and a != "nan" and same_time(a, as_of) for a in rows["as_of"]]]
    if hits.empty:
        return None
    own = hits[hits["source_id"] == source_id]
    return (own if not own.empty else hits).iloc[0]


def workers_per_station(indicators: pd.DataFrame, region: str = "china") -> pd.DataFrame:
    """Resident social workers per station at each date both are reported (same source first).

    >>> import sswanalysis as ssw
    >>> w = workers_per_station(ssw.load("indicators"))
    >>> w[["as_of", "workers", "stations", "low", "high"]].round(2).head(1).to_numpy().tolist()
    [['2021-11-05', '≥30,000 人', '≥12,000 个站', 2.31, 3.33]]
    """
    import pandas as pd

    f = tidy(indicators)
    f = f[f["region_id"] == region]
    stations = f[f["indicator"] == "stations_count"]
    rows = []
    for w in f[f["indicator"] == "resident_social_workers"].itertuples(index=False):
        s = _same_time_row(stations, w.as_of, w.source_id)
        if s is None:
            continue
        lo, hi = ratio_bounds(bounds(w.value, w.qualifier), bounds(s["value"], s["qualifier"]))
        rows.append({"as_of": w.as_of, "workers": format_value(w.value, w.qualifier, unit=w.unit),
                     "stations": format_value(s["value"], s["qualifier"], unit="stations"),
                     "low": lo, "high": hi, "source_id": w.source_id})
    return pd.DataFrame(rows)


def implied_denominators(indicators: pd.DataFrame, rate_rounding: float = 0.5) -> pd.DataFrame:
    """The number of townships a coverage rate implies, as an interval -- an inference.

    ``stations / (rate / 100)``, where the stations are the same region's count at the same
    time (:func:`~sswanalysis.datapackage.conflicts.same_time`) and the rate is read as
    ``rate ± rate_rounding`` percentage points (a whole percent is rounded). No source states
    this number: it is shown only to say what the rates could mean. Where the same source
    does state the number of townships (Langfang: 121 stations in 108 townships, 100 %),
    that number is given instead, marked stated.

    >>> import sswanalysis as ssw
    >>> d = implied_denominators(ssw.load("indicators"))
    >>> d.loc[d.region_id == "china", ["as_of", "rate", "low", "high"]].round(0).to_numpy().tolist()[:2]
    [['2022-06-30', 56.0, 37168.0, 39640.0], ['2023-01', 78.0, 36943.0, 37419.0]]
    """
    import pandas as pd

    f = tidy(indicators)
    rows = []
    for c in f[f["indicator"] == "coverage_rate"].itertuples(index=False):
        stations = f[(f["indicator"] == "stations_count") & (f["region_id"] == c.region_id)]
        s = _same_time_row(stations, c.as_of, c.source_id)
        if s is None:
            continue
        stated = f[(f["indicator"] == "townships_count") & (f["region_id"] == c.region_id)
                   & (f["source_id"] == c.source_id)]
        if not stated.empty:  # the source gives its base: nothing to infer
            lo = hi = float(stated["value"].iloc[0])
            basis = "来源写明 stated by the source"
        else:
            rate = (c.value - rate_rounding, min(c.value + rate_rounding, 100.0))
            lo, hi = ratio_bounds(bounds(s["value"], s["qualifier"]), (rate[0] / 100, rate[1] / 100))
            basis = "推算 inferred: not published"
        rows.append({"region_id": c.region_id, "as_of": c.as_of, "rate": c.value,
                     "rate_source": c.source_id, "stations": format_value(s["value"], s["qualifier"],
                                                                          unit="stations"),
                     "stations_source": s["source_id"], "low": lo, "high": hi, "basis": basis})
    return pd.DataFrame(rows)


def money_per_station(indicators: pd.DataFrame, funding: pd.DataFrame,
                      funding_stations: pd.DataFrame) -> pd.DataFrame:
    """Each funding figure beside the stations it may pay for, and the amount per station.

    The stations are those ``funding_stations`` names (``basis`` stated), else the stations
    the same source counts for the same region (``assumed``: an equal split over all of them,
    which the source does not say), else none (no per-station amount). Per-station amounts a
    source states itself (``funding_per_station_cny``) are added as they are. What the money
    is for comes from ``funding.purpose_en``: set-up money, pilot-project money, construction,
    wages and running costs are different things, and the table says which each is.

    Returns
    -------
    pandas.DataFrame
        observation_id, region_id, source_id, as_of, amount (text), stations (text), basis,
        per_station_low, per_station_high (万元), purpose_en.

    Examples
    --------
    >>> import sswanalysis as ssw
    >>> m = money_per_station(ssw.load("indicators"), ssw.load("funding"), ssw.load("funding_stations"))
    >>> m.set_index("observation_id").loc[["linze-01", "nanchang-02", "guangdong-03"],
    ...     ["basis", "per_station_low", "per_station_high"]].round(1).to_numpy().tolist()
    [['stated', 15.0, 15.0], ['assumed', 19.1, 19.1], ['stated by the source', 15.0, 15.0]]
    """
    import pandas as pd

    f = tidy(indicators)
    purpose = dict(zip(funding["observation_id"].astype("str"), funding["purpose_en"].astype("str"),
                       strict=True))
    named = funding_stations.groupby(funding_stations["observation_id"].astype("str"))["station_id"].nunique()
    rows = []
    for r in f[f["indicator"].isin(["funding_cny", "funding_per_station_cny"])].itertuples(index=False):
        money = bounds(r.value, r.qualifier)
        row = {"observation_id": r.observation_id, "region_id": r.region_id, "source_id": r.source_id,
               "as_of": r.as_of if isinstance(r.as_of, str) else "",
               "amount": format_value(r.value, r.qualifier, unit=r.unit), "stations": "—",
               "basis": "no station count", "per_station_low": float("nan"),
               "per_station_high": float("nan"),
               "purpose_en": purpose.get(r.observation_id, r.subject_en)}
        if r.indicator == "funding_per_station_cny":
            row.update(stations="1", basis="stated by the source",
                       per_station_low=money[0] / 1e4, per_station_high=money[1] / 1e4)
        elif r.observation_id in named.index:
            n = float(named[r.observation_id])
            row.update(stations=format_number(n), basis="stated",
                       per_station_low=money[0] / n / 1e4, per_station_high=money[1] / n / 1e4)
        else:
            same = f[(f["indicator"] == "stations_count") & (f["region_id"] == r.region_id)
                     & (f["source_id"] == r.source_id)]
            if not same.empty:
                s = same.iloc[0]
                lo, hi = ratio_bounds(money, bounds(s["value"], s["qualifier"]))
                row.update(stations=format_value(s["value"], s["qualifier"], unit="stations"),
                           basis="assumed", per_station_low=lo / 1e4, per_station_high=hi / 1e4)
        rows.append(row)
    return pd.DataFrame(rows)


def programmes_side_by_side(regions: pd.DataFrame, indicators: pd.DataFrame,
                            programmes: pd.DataFrame, programme_models: pd.DataFrame,
                            operating_models: pd.DataFrame,
                            targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per province with a programme or figures: launch, stations, coverage, model.

    Stations, coverage and townships are every figure the sources give for the province,
    with its date (a conflict shows as two figures); "—" where there is none. With
    ``targets``, the province's numeric targets are added (a plan, not a result).
    The operating model is marked 明确
    (stated) or 推断 (our reading) as ``programme_models.basis`` says.

    >>> import sswanalysis as ssw
    >>> p = programmes_side_by_side(ssw.load("regions"), ssw.load("indicators"), ssw.load("programmes"),
    ...     ssw.load("programme_models"), ssw.load("operating_models"))
    >>> p.set_index("region_id").loc["hunan", ["launched", "operating_model"]].tolist()
    ['2018-05', '外包模式 outsourced (明确 stated); 外包模式 outsourced (推断 interpreted)']
    """
    import pandas as pd

    f = tidy(indicators)
    label = {str(m): f"{zh} {en}" for m, zh, en in zip(operating_models["operating_model"],
                                                        operating_models["label_zh"],
                                                        operating_models["label_en"], strict=True)}
    rows = []
    provinces = regions[regions["admin_level"].astype("str") == "province"]
    for p in provinces.itertuples(index=False):
        rid = str(p.region_id)
        progs = programmes[programmes["region_id"].astype("str") == rid]
        figs = f[f["region_id"] == rid]
        if progs.empty and figs.empty:
            continue
        row = {"region_id": rid, "province": f"{p.name_zh} {p.name_en}",
               "programme": "; ".join(f"{zh} {en}" for zh, en in zip(progs["name_zh"], progs["name_en"],
                                                                    strict=True)) or "—",
               "launched": "; ".join(str(x) for x in progs["launched"].dropna()) or "—"}
        for ind, col in (("stations_count", "stations"), ("coverage_rate", "coverage"),
                         ("townships_count", "townships")):
            g = figs[figs["indicator"] == ind].sort_values("as_of", na_position="last")
            row[col] = "; ".join(
                f"{format_value(v, q, unit=u)} ({a if isinstance(a, str) else '未注明日期 not dated'})"
                for v, q, u, a in zip(g["value"], g["qualifier"], g["unit"], g["as_of"], strict=True)) or "—"
        if targets is not None:
            t = targets[targets["region_id"].astype("str") == rid]
            row["target"] = "; ".join(
                f"{format_value(v, q, unit=u)} → {d}" for v, q, u, d in
                zip(t["value"], t["qualifier"], t["unit"], t["deadline"], strict=True) if v == v) or "—"
        pm = programme_models[programme_models["programme_id"].astype("str").isin(
            progs["programme_id"].astype("str"))]
        basis = {"stated": "明确 stated", "interpreted": "推断 interpreted"}
        seen = dict.fromkeys(f"{label[str(m)]} ({basis[str(b)]})"
                             for m, b in zip(pm["operating_model"], pm["basis"], strict=True))
        row["operating_model"] = "; ".join(seen) or "未说明 not stated"
        rows.append(row)
    return pd.DataFrame(rows)

"""Comparisons of the case studies: coverage, service models, funding and service output.

Every function is pure: it takes tidy frames shaped like the shipped tables (for figures,
the long ``indicators`` shape with columns ``region_id, station_id, indicator, value,
value_high, qualifier, unit, method``; station-month report data with an extra ``month``
column works unchanged) and returns a new frame. Nothing here reads files or draws.

Approximate figures keep their qualifier. A figure written with 余 ("more than",
``at_least``), 近 ("nearly", ``at_most``) or 约 ("about", ``approx``) becomes an interval
``[low, high]`` whose width is an explicit, changeable assumption (:func:`bounds`).
Figures in different units -- above all persons (人) and person-times (人次) -- are never
added: :func:`aggregate` raises :class:`UnitMixError` instead.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FLOW_PERIODS",
    "DEFAULT_MONTHS",
    "QUALIFIER_LABELS",
    "UnitMixError",
    "aggregate",
    "bounds",
    "coverage",
    "coverage_matrix",
    "exposure",
    "feature_matrix",
    "format_number",
    "format_value",
    "labels",
    "funding_table",
    "model_components_table",
    "place_labels",
    "place_of",
    "places",
    "rounding_place",
    "service_output",
    "station_counts",
    "tidy",
    "vocabulary",
    "with_bounds",
]

#: qualifier -> (symbol used in tables, Chinese word, English)
QUALIFIER_LABELS: dict[str, tuple[str, str, str]] = {
    "exact": ("", "确数", "exact"),
    "at_least": ("≥", "余", "more than"),
    "at_most": ("≤", "近", "nearly"),
    "approx": ("≈", "约", "about"),
    "range": ("", "区间", "range"),
}

#: ASSUMPTION, not in the sources: months of service behind the cumulative figures.
#: Ulanqab's pilot plan starts in 2021 and the report is from 2022: about 12 months.
#: Pingchuan's station opened in April 2022 and reports "to date" that year: about 6 months.
#: Change these (or pass your own) to see how every per-month figure moves.
DEFAULT_MONTHS: dict[str, float] = {"ulanqab": 12.0, "pingchuan": 6.0}

#: periods over which a figure accumulates (a flow), so a per-month rate makes sense;
#: ``not_stated`` and ``one_off`` figures (e.g. key service targets, a grant) are stocks.
FLOW_PERIODS = frozenset({"cumulative_to_date", "since_project_start", "year_to_date", "month"})



@functools.cache
def vocabulary(table: str) -> dict[str, tuple[str, str]]:
    """(Chinese, English) label of each code of a vocabulary table of the shipped Data Package.

    The labels are written once, in ``data/`` (``units``, ``methods``, ``features``,
    ``indicator_codes``); tables and charts read them from here, in the table's order.

    >>> vocabulary("units")["person_times"]
    ('人次', 'person-times')
    >>> list(vocabulary("features"))[:2]
    ['party_building_lead', 'five_forces']
    """
    from sswanalysis.datasets import read_raw

    frame = read_raw(table)
    codes = frame[frame.columns[0]]
    return {str(c): (str(zh), str(en))
            for c, zh, en in zip(codes, frame["label_zh"], frame["label_en"], strict=True)}


def places(regions: pd.DataFrame, stations: pd.DataFrame) -> list[str]:
    """Display order of places: each region, followed by its named stations.

    >>> import pandas as pd
    >>> r = pd.DataFrame({"region_id": ["a", "b"]})
    >>> s = pd.DataFrame({"station_id": ["s1", "s2"], "region_id": ["b", "b"]})
    >>> places(r, s)
    ['a', 'b', 's1', 's2']
    """
    order = []
    for region in regions["region_id"]:
        order.append(str(region))
        order += [str(s) for s in stations.loc[stations["region_id"] == region, "station_id"]]
    return order


class UnitMixError(ValueError):
    """Raised when figures in different units (e.g. persons and person-times) would be added."""


# --------------------------------------------------------------------------- helpers


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """A plain copy of an indicators-shaped frame: codes as ``str``, figures as ``float64``.

    Categoricals become strings and nullable numbers become floats with NaN, so that the
    functions below behave the same on the shipped tables and on hand-made test frames.
    Missing optional columns (``station_id``, ``value_high``, ``method``) are added empty.

    Examples
    --------
    >>> import pandas as pd
    >>> t = tidy(pd.DataFrame({"region_id": ["linze"], "indicator": ["case_services"],
    ...                        "value": [60], "qualifier": ["exact"], "unit": ["cases"]}))
    >>> t[["station_id", "value", "value_high"]].to_dict("records")
    [{'station_id': nan, 'value': 60.0, 'value_high': nan}]
    """
    import pandas as pd

    out = frame.copy()
    for col in ("station_id", "value_high", "method"):
        if col not in out.columns:
            out[col] = pd.NA
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            out[col] = s.astype(s.cat.categories.dtype).astype("object").where(s.notna(), None)
            out[col] = out[col].astype("str")
        elif col in ("value", "value_high"):
            out[col] = pd.to_numeric(s, errors="raise").astype("float64")
    for col in ("station_id", "method"):
        out[col] = out[col].astype("str")
    return out


def place_of(frame: pd.DataFrame) -> pd.Series:
    """The place a figure describes: its station when it has one, else its region.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"region_id": ["linze", "linze"], "station_id": ["shahe", None]})
    >>> place_of(f).tolist()
    ['shahe', 'linze']
    """
    station = frame["station_id"].astype("object")
    region = frame["region_id"].astype("object")
    return station.where(station.notna(), region).astype("str").rename("place")


def place_labels(regions: pd.DataFrame, stations: pd.DataFrame) -> dict[str, str]:
    """Bilingual label for every region and station id, e.g. ``'沙河镇 Shahe'``.

    >>> import pandas as pd
    >>> r = pd.DataFrame({"region_id": ["linze"], "name_zh": ["临泽县"], "name_en": ["Linze County"]})
    >>> s = pd.DataFrame({"station_id": ["shahe"], "township_zh": ["沙河镇"],
    ...                   "township_en": ["Shahe Town"]})
    >>> place_labels(r, s)
    {'linze': '临泽县 Linze', 'shahe': '沙河镇 Shahe'}
    """
    out = {}
    for row in regions.itertuples(index=False):
        out[str(row.region_id)] = f"{row.name_zh} {_short_en(row.name_en)}"
    for row in stations.itertuples(index=False):
        out[str(row.station_id)] = f"{row.township_zh} {_short_en(row.township_en)}"
    return out


def labels(table: str, lang: str = "both") -> dict[str, str]:
    """Label of every code of a vocabulary table: ``'zh'``, ``'en'`` or ``'both'``.

    >>> labels("indicator_codes")["case_services"], labels("methods", "en")["case"]
    ('个案服务 Casework', 'casework')
    """
    return {code: {"zh": zh, "en": en}.get(lang, f"{zh} {en}")
            for code, (zh, en) in vocabulary(table).items()}


def _short_en(name: str) -> str:
    for suffix in (" County", " Town", " City"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def format_number(x: float, decimals: int = 2) -> str:
    """Format a number for a table cell: thousands separators, no trailing zeros.

    >>> format_number(1200.0), format_number(150000), format_number(2.5), format_number(1/3)
    ('1,200', '150,000', '2.5', '0.33')
    >>> format_number(float("nan"))
    '—'
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    x = float(x)
    if x == round(x):
        return f"{int(round(x)):,}"
    return f"{x:,.{decimals}f}".rstrip("0").rstrip(".")


def format_value(
    value: float,
    qualifier: str = "exact",
    value_high: float | None = None,
    unit: str | None = None,
) -> str:
    """A figure as a table cell that keeps its qualifier, e.g. ``'≥1,200 人'``.

    Parameters
    ----------
    value, value_high : float
        The figure (lower end for a range) and the upper end of a range.
    qualifier : {'exact', 'at_least', 'at_most', 'approx', 'range'}
    unit : str, optional
        A unit code; its Chinese label is appended.

    Examples
    --------
    >>> format_value(1200, "at_least", unit="persons")
    '≥1,200 人'
    >>> format_value(100, "at_least", unit="person_times")
    '≥100 人次'
    >>> format_value(5, "range", 8)
    '5–8'
    >>> format_value(60, "exact", unit="person_times")
    '60 人次'
    """
    if qualifier == "range":
        text = f"{format_number(value)}–{format_number(value_high)}"
    else:
        text = QUALIFIER_LABELS[qualifier][0] + format_number(value)
    if unit:
        text += " " + vocabulary("units").get(unit, (unit, unit))[0]
    return text


# --------------------------------------------------------------------------- intervals


def rounding_place(value: float) -> float:
    """The place of the last non-zero digit of a whole number: 1200 -> 100, 10 -> 10, 7 -> 1.

    >>> [rounding_place(v) for v in (1200, 900, 10, 7, 0)]
    [100.0, 100.0, 10.0, 1.0, 1.0]
    """
    v = abs(int(round(value)))
    place = 1
    while v and v % 10 == 0:
        v //= 10
        place *= 10
    return float(place)


def bounds(
    value: float,
    qualifier: str,
    value_high: float | None = None,
    rel_width: float | None = None,
) -> tuple[float, float]:
    """The interval ``(low, high)`` a qualified figure stands for.

    By default the width follows how the figure is rounded: "1200余" (``at_least``) is read
    as 1,200 up to the next step of its last non-zero digit, ``[1200, 1300]``; "近300"
    (``at_most``) as ``[200, 300]``; "约300" (``approx``) as ``[250, 350]``. This is an
    assumption, not something the source states: pass ``rel_width`` (a fraction of the
    value) to use a fixed relative width instead.

    Examples
    --------
    >>> bounds(1200, "at_least")
    (1200.0, 1300.0)
    >>> bounds(1200, "at_least", rel_width=0.05)
    (1200.0, 1260.0)
    >>> bounds(300, "at_most"), bounds(300, "approx"), bounds(10, "exact")
    ((200.0, 300.0), (250.0, 350.0), (10.0, 10.0))
    >>> bounds(5, "range", 8)
    (5.0, 8.0)
    """
    v = float(value)
    step = v * rel_width if rel_width is not None else rounding_place(v)
    if qualifier == "exact":
        return v, v
    if qualifier == "at_least":
        return v, v + step
    if qualifier == "at_most":
        return max(v - step, 0.0), v
    if qualifier == "approx":
        return max(v - step / 2, 0.0), v + step / 2
    if qualifier == "range":
        if value_high is None or math.isnan(float(value_high)):
            raise ValueError("a 'range' figure needs value_high")
        return v, float(value_high)
    raise ValueError(f"unknown qualifier {qualifier!r}")


def with_bounds(frame: pd.DataFrame, rel_width: float | None = None) -> pd.DataFrame:
    """Add ``low``, ``high`` (see :func:`bounds`) and ``text`` (see :func:`format_value`).

    >>> import pandas as pd
    >>> f = pd.DataFrame({"region_id": ["ulanqab"], "indicator": ["people_served"],
    ...     "value": [1200.0], "qualifier": ["at_least"], "unit": ["persons"]})
    >>> with_bounds(f)[["low", "high", "text"]].to_dict("records")
    [{'low': 1200.0, 'high': 1300.0, 'text': '≥1,200 人'}]
    """
    out = tidy(frame)
    lh = [
        bounds(v, q, h, rel_width)
        for v, q, h in zip(out["value"], out["qualifier"], out["value_high"], strict=True)
    ]
    out["low"] = [a for a, _ in lh]
    out["high"] = [b for _, b in lh]
    out["text"] = [
        format_value(v, q, h, u)
        for v, q, h, u in zip(out["value"], out["qualifier"], out["value_high"], out["unit"],
                              strict=True)
    ]
    return out


def aggregate(
    frame: pd.DataFrame, by: str | Sequence[str], rel_width: float | None = None
) -> pd.DataFrame:
    """Sum figures within groups -- only ever within one unit.

    The interval of a sum is the sum of the intervals; the qualifier of a sum is ``exact``
    only if every part is exact, ``at_least``/``at_most`` if every inexact part leans the
    same way, else ``range``.

    Raises
    ------
    UnitMixError
        If a group holds more than one unit, e.g. persons (人) and person-times (人次).

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"region_id": ["a", "a"], "indicator": ["x", "x"],
    ...     "value": [1200.0, 10.0], "qualifier": ["at_least", "exact"],
    ...     "unit": ["persons", "persons"]})
    >>> aggregate(f, "region_id")[["value", "low", "high", "qualifier", "text"]].to_dict("records")
    [{'value': 1210.0, 'low': 1210.0, 'high': 1310.0, 'qualifier': 'at_least', 'text': '≥1,210 人'}]
    >>> f.loc[1, "unit"] = "person_times"
    >>> aggregate(f, "region_id")
    Traceback (most recent call last):
    ...
    sswanalysis.compare.UnitMixError: cannot add figures in different units (a: person_times, persons)
    """
    import pandas as pd

    by = [by] if isinstance(by, str) else list(by)
    f = with_bounds(frame, rel_width)
    rows = []
    for key, g in f.groupby(by, sort=True, dropna=False):
        units = sorted(set(g["unit"]))
        if len(units) != 1:
            label = ", ".join(map(str, key if isinstance(key, tuple) else (key,)))
            raise UnitMixError(
                f"cannot add figures in different units ({label}: {', '.join(units)})"
            )
        quals = set(g["qualifier"]) - {"exact"}
        if not quals:
            qual = "exact"
        elif quals <= {"at_least"}:
            qual = "at_least"
        elif quals <= {"at_most"}:
            qual = "at_most"
        else:
            qual = "range"
        low, high = float(g["low"].sum()), float(g["high"].sum())
        value = low if qual == "range" else float(g["value"].sum())
        row = dict(zip(by, key if isinstance(key, tuple) else (key,), strict=True))
        row.update(value=value, low=low, high=high, qualifier=qual, unit=units[0], n=len(g))
        row["text"] = format_value(value, qual, high, units[0])
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- coverage


def coverage(indicators: pd.DataFrame, places: Sequence[str] | None = None) -> pd.DataFrame:
    """What each place reports: one row per (indicator, place) with the figures as text.

    ``n`` is the number of figures; 0 means "not reported" (never a zero figure).

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"region_id": ["linze", "linze"], "station_id": ["pingchuan", None],
    ...     "indicator": ["case_services", "funding_cny"], "value": [60.0, 300000.0],
    ...     "qualifier": ["exact", "exact"], "unit": ["person_times", "cny"]})
    >>> coverage(f)[["indicator", "place", "n", "text"]].head(2).to_numpy().tolist()
    [['case_services', 'linze', 0, '—'], ['case_services', 'pingchuan', 1, '60 人次']]
    """
    import pandas as pd

    f = with_bounds(indicators)
    f["place"] = place_of(f)
    places = list(places) if places is not None else sorted(set(f["place"]))
    inds = list(dict.fromkeys(f["indicator"]))
    grid = pd.MultiIndex.from_product([inds, places], names=["indicator", "place"])
    found = f.groupby(["indicator", "place"], sort=False)["text"].agg(["size", "; ".join])
    found.columns = ["n", "text"]
    out = found.reindex(grid)
    return pd.DataFrame({
        "indicator": grid.get_level_values("indicator"),
        "place": grid.get_level_values("place"),
        "n": out["n"].fillna(0).astype("int64").to_numpy(),
        "text": out["text"].fillna("—").to_numpy(),
    })


def coverage_matrix(
    indicators: pd.DataFrame, places: Sequence[str] | None = None, values: str = "text"
) -> pd.DataFrame:
    """:func:`coverage` as an indicator x place table: of texts ("—" = not reported), or of
    figure counts with ``values="n"`` (0 = not reported).

    >>> import pandas as pd
    >>> f = pd.DataFrame({"region_id": ["ulanqab", "linze"], "station_id": [None, "shahe"],
    ...     "indicator": ["people_served", "key_service_targets"], "value": [1200.0, 178.0],
    ...     "qualifier": ["at_least", "exact"], "unit": ["persons", "persons"]})
    >>> m = coverage_matrix(f, ["ulanqab", "shahe"])
    >>> m.index.tolist(), m.columns.tolist()
    (['people_served', 'key_service_targets'], ['ulanqab', 'shahe'])
    >>> m.to_numpy().tolist()
    [['≥1,200 人', '—'], ['—', '178 人']]
    >>> coverage_matrix(f, ["ulanqab", "shahe"], values="n").to_numpy().tolist()
    [[1, 0], [0, 1]]
    """
    cov = coverage(indicators, places)
    order = list(dict.fromkeys(cov["indicator"]))
    cols = list(dict.fromkeys(cov["place"]))
    m = cov.pivot(index="indicator", columns="place", values=values)
    return m.loc[order, cols].rename_axis(index="indicator", columns="place")


# --------------------------------------------------------------------------- service models


def feature_matrix(
    model_features: pd.DataFrame,
    models: pd.DataFrame,
    features: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Model x feature table: True where the source reports the feature, False where it does not.

    False means "not reported", not "absent": the sources describe each model briefly.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"model_id": ["a", "b"]})
    >>> mf = pd.DataFrame({"model_id": ["a", "b", "b"],
    ...                    "feature": ["training", "training", "volunteers"]})
    >>> feature_matrix(mf, m, ["training", "volunteers"]).to_dict("index")
    {'a': {'training': True, 'volunteers': False}, 'b': {'training': True, 'volunteers': True}}
    """
    import pandas as pd

    features = list(vocabulary("features") if features is None else features)
    ids = [str(x) for x in models["model_id"]]
    have = {(str(a), str(b)) for a, b in zip(model_features["model_id"], model_features["feature"],
                                             strict=True)}
    data = {f: [(m, f) in have for m in ids] for f in features}
    return pd.DataFrame(data, index=pd.Index(ids, name="model_id")).rename_axis(columns="feature")


def model_components_table(model_components: pd.DataFrame) -> pd.DataFrame:
    """One row per model: its components as written, counts with measure words kept.

    >>> import pandas as pd
    >>> mc = pd.DataFrame({"model_id": ["m", "m"], "component_no": [1, 2],
    ...     "label_zh": ["服务品牌", "党建引领"], "label_en": ["service brands", "party lead"],
    ...     "count": [3, None], "count_qualifier": ["exact", None], "measure_word": ["个", None]})
    >>> model_components_table(mc).to_numpy().tolist()[0]
    ['m', 2, '3个服务品牌 · 党建引领', '3 service brands · party lead']
    """
    import pandas as pd

    mc = model_components.sort_values(["model_id", "component_no"], kind="stable")
    rows = []
    for model_id, g in mc.groupby("model_id", sort=False, observed=True):
        zh, en = [], []
        for r in g.itertuples(index=False):
            if pd.notna(r.count):
                sym = QUALIFIER_LABELS.get(str(r.count_qualifier), ("",))[0]
                word = r.measure_word if pd.notna(r.measure_word) else ""
                zh.append(f"{sym}{int(r.count)}{word}{r.label_zh}")
                en.append(f"{sym}{int(r.count)} {r.label_en}")
            else:
                zh.append(str(r.label_zh))
                en.append(str(r.label_en))
        rows.append({"model_id": str(model_id), "n_components": len(g),
                     "components_zh": " · ".join(zh), "components_en": " · ".join(en)})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- funding


def station_counts(indicators: pd.DataFrame) -> dict[str, int]:
    """Stations per place: 1 for each named station, the ``stations_count`` figure for a region.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"region_id": ["ulanqab", "linze"], "station_id": [None, "shahe"],
    ...     "indicator": ["stations_count", "case_services"], "value": [10.0, 3.0],
    ...     "qualifier": ["exact", "exact"], "unit": ["stations", "cases"]})
    >>> station_counts(f)
    {'shahe': 1, 'ulanqab': 10}
    """
    f = tidy(indicators)
    out: dict[str, int] = {}
    for s in sorted(set(f["station_id"].dropna())):
        out[str(s)] = 1
    sc = f[(f["indicator"] == "stations_count") & f["station_id"].isna()]
    for r in sc.sort_values("region_id").itertuples(index=False):
        if r.qualifier != "exact":
            raise ValueError(f"stations_count of {r.region_id} is not exact ({r.qualifier})")
        out[str(r.region_id)] = int(r.value)
    return out


def funding_table(
    indicators: pd.DataFrame,
    funding: pd.DataFrame,
    funding_stations: pd.DataFrame,
    *,
    assume_covers_all_stations: bool = True,
    stations_covered: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Each funding figure with funder, purpose, stations covered and the per-station amount.

    The per-station amount is computed, never stored: the amount divided by the number of
    stations it covers, assuming an equal split. Where ``funding_stations`` names the
    stations, that number is stated (``basis='stated'``). Where it does not -- Ulanqab's
    1,000,000 CNY pilot fund -- the default assumption is that the money covers every
    station the region reports (``basis='assumed'``); switch it off with
    ``assume_covers_all_stations=False`` or set counts with ``stations_covered``
    (observation_id -> stations).

    Returns
    -------
    pandas.DataFrame
        observation_id, region_id, funder_zh, funder_en, purpose_en, amount_cny,
        amount_wan (万元), qualifier, n_stations, basis, per_station_cny, per_station_wan, text.

    Examples
    --------
    >>> import pandas as pd
    >>> ind = pd.DataFrame({"observation_id": ["u1", "u2", "l1"],
    ...     "region_id": ["ulanqab", "ulanqab", "linze"], "station_id": [None, None, None],
    ...     "indicator": ["funding_cny", "stations_count", "funding_cny"],
    ...     "value": [1e6, 10.0, 3e5], "qualifier": ["exact"] * 3,
    ...     "unit": ["cny", "stations", "cny"]})
    >>> fu = pd.DataFrame({"observation_id": ["u1", "l1"], "funder_zh": ["福彩", None],
    ...     "funder_en": ["lottery", None], "purpose_en": ["pilot", "two stations"]})
    >>> fs = pd.DataFrame({"observation_id": ["l1", "l1"], "station_id": ["a", "b"]})
    >>> t = funding_table(ind, fu, fs)
    >>> cols = ["observation_id", "n_stations", "basis", "per_station_cny", "per_station_wan"]
    >>> t[cols].to_numpy().tolist()
    [['u1', 10, 'assumed', 100000.0, 10.0], ['l1', 2, 'stated', 150000.0, 15.0]]
    >>> funding_table(ind, fu, fs, assume_covers_all_stations=False)["per_station_cny"].tolist()
    [nan, 150000.0]
    """
    import pandas as pd

    f = tidy(indicators)
    fund = f[f["indicator"] == "funding_cny"]
    if set(fund["unit"]) - {"cny"}:
        raise UnitMixError("funding figures must all be in cny")
    counts = station_counts(f)
    details = funding.assign(observation_id=funding["observation_id"].astype("str"))
    details = details.set_index("observation_id")
    fs = funding_stations.assign(observation_id=funding_stations["observation_id"].astype("str"))
    stated = fs.groupby("observation_id")["station_id"].nunique().to_dict()
    override = dict(stations_covered or {})
    rows = []
    for r in fund.itertuples(index=False):
        oid = str(r.observation_id)
        d = details.loc[oid] if oid in details.index else None
        if oid in override:
            n, basis = int(override[oid]), "set"
        elif oid in stated:
            n, basis = int(stated[oid]), "stated"
        elif assume_covers_all_stations and str(r.region_id) in counts:
            n, basis = counts[str(r.region_id)], "assumed"
        else:
            n, basis = None, "unknown"

        def detail(col: str, d: Any = d) -> Any:
            if d is None or col not in d.index or pd.isna(d[col]):
                return None
            return str(d[col])

        per = r.value / n if n else float("nan")
        rows.append({
            "observation_id": oid,
            "region_id": r.region_id,
            "funder_zh": detail("funder_zh"),
            "funder_en": detail("funder_en"),
            "purpose_en": detail("purpose_en"),
            "amount_cny": float(r.value),
            "amount_wan": float(r.value) / 1e4,
            "qualifier": r.qualifier,
            "n_stations": n,
            "basis": basis,
            "per_station_cny": per,
            "per_station_wan": per / 1e4,
            "text": format_value(r.value, r.qualifier, r.value_high, "cny"),
        })
    out = pd.DataFrame(rows)
    out["n_stations"] = pd.array(list(out["n_stations"]), dtype="Int64")
    return out


# --------------------------------------------------------------------------- service output


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

"""Figures as intervals: qualifiers (余, 近, 约) become explicit bounds, and sums refuse mixed units.

A figure written with 余 ("more than", ``at_least``), 近 ("nearly", ``at_most``) or 约
("about", ``approx``) becomes an interval ``[low, high]`` whose width is an explicit,
changeable assumption (:func:`bounds`). Figures in different units -- above all persons
(人) and person-times (人次) -- are never added: :func:`aggregate` raises
:class:`UnitMixError` instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sswanalysis.analysis.labelling import format_value

if TYPE_CHECKING:
    import pandas as pd


class UnitMixError(ValueError):
    """Raised when figures in different units (e.g. persons and person-times) would be added."""


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

    The text keeps the unit as the source writes it where a ``unit_zh`` column holds it.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"region_id": ["ulanqab"], "indicator": ["people_served"],
    ...     "value": [1200.0], "qualifier": ["at_least"], "unit": ["persons"]})
    >>> with_bounds(f)[["low", "high", "text"]].to_dict("records")
    [{'low': 1200.0, 'high': 1300.0, 'text': '≥1,200 人'}]
    >>> with_bounds(f.assign(value=12.0, qualifier="exact", unit="sessions", unit_zh="次"))["text"].tolist()
    ['12 次']
    """
    out = tidy(frame)
    lh = [
        bounds(v, q, h, rel_width)
        for v, q, h in zip(out["value"], out["qualifier"], out["value_high"], strict=True)
    ]
    out["low"] = [a for a, _ in lh]
    out["high"] = [b for _, b in lh]
    written = out["unit_zh"] if "unit_zh" in out.columns else [None] * len(out)
    out["text"] = [
        format_value(v, q, h, u, w if isinstance(w, str) and w else None)
        for v, q, h, u, w in zip(out["value"], out["qualifier"], out["value_high"], out["unit"],
                                 written, strict=True)
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
    >>> try:
    ...     aggregate(f, "region_id")
    ... except UnitMixError as exc:
    ...     print(exc)
    cannot add figures in different units (a: person_times, persons)
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

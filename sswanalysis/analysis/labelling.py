"""Labels and number formats: vocabulary labels from the Data Package, place order, values as text.

Labels are written once, in ``data/``; everything shown to a reader is looked up here.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


#: qualifier -> (symbol used in tables, Chinese word, English)
QUALIFIER_LABELS: dict[str, tuple[str, str, str]] = {
    "exact": ("", "确数", "exact"),
    "at_least": ("≥", "余", "more than"),
    "at_most": ("≤", "近", "nearly"),
    "approx": ("≈", "约", "about"),
    "range": ("", "区间", "range"),
}


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
    from sswanalysis.datapackage.loading import read_raw

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
    unit_zh: str | None = None,
) -> str:
    """A figure as a table cell that keeps its qualifier, e.g. ``'≥1,200 人'``.

    Parameters
    ----------
    value, value_high : float
        The figure (lower end for a range) and the upper end of a range.
    qualifier : {'exact', 'at_least', 'at_most', 'approx', 'range'}
    unit : str, optional
        A unit code; its Chinese label is appended.
    unit_zh : str, optional
        The unit as the source writes it (``次`` where the harmonised label is ``场次``);
        appended instead of the label, so a table keeps the source's word.

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
    >>> format_value(12, "exact", unit="sessions", unit_zh="次")
    '12 次'
    """
    if qualifier == "range":
        text = f"{format_number(value)}–{format_number(value_high)}"
    else:
        text = QUALIFIER_LABELS[qualifier][0] + format_number(value)
    if unit_zh:
        text += " " + unit_zh
    elif unit:
        text += " " + vocabulary("units").get(unit, (unit, unit))[0]
    return text

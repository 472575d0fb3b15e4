"""Tables for reading: bilingual headers, formatted numbers, "—" for not reported, no index.

:func:`reading_frame` turns an analysis frame into the strings a reader sees;
:func:`to_html` renders it. :func:`sswanalysis.figures.style.notebook_setup` registers
:func:`to_html` as the notebook's HTML view of every DataFrame and Series, so the notebooks
and the report show the same readable tables, while the ``text/plain`` view (which nbval
compares) stays pandas' own.

Conventions:

* headers come from :data:`sswanalysis.figures.columns.COLUMNS` or from the Data Package's
  vocabularies (places, indicators, features, methods, units), Chinese first, English beneath;
* a default 0-based index is dropped; a meaningful index becomes the first columns;
* a pair of columns ``x_low``/``x_high`` (or ``x_lo``/``x_hi``) becomes one interval column,
  ``[1,200, 1,300]``, or the single number when both ends are equal;
* numbers get thousands separators and a precision that suits them; missing values are "—".
"""

from __future__ import annotations

import functools
import html
import re
from typing import TYPE_CHECKING, Any

from sswanalysis.analysis.labelling import QUALIFIER_LABELS, format_number, vocabulary
from sswanalysis.figures.columns import COLUMNS, INTERVAL_PAIRS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MISSING", "column_label", "format_cell", "reading_frame", "to_html"]

#: what a reader sees for a value that is not reported or not defined
MISSING = "—"

_CJK = re.compile(r"[\u3400-\u9fff]")
_BASIS = {"stated": "来源写明 stated", "assumed": "假设 assumed", "set": "情景设定 set",
          "unknown": "未知 unknown"}


@functools.cache
def _place_labels() -> dict[str, tuple[str, str]]:
    from sswanalysis.analysis.labelling import place_labels
    from sswanalysis.datapackage.loading import load

    both = place_labels(load("regions"), load("stations"))
    return {k: _split_bilingual(v) for k, v in both.items()}


def _split_bilingual(text: str) -> tuple[str, str]:
    """``'乌兰察布市 Ulanqab'`` -> ``('乌兰察布市', 'Ulanqab')``; text without Latin stays whole."""
    m = re.match(r"^(.*?[\u3400-\u9fff\uff09)）][^A-Za-z]*?)\s+([A-Za-z].*)$", text)
    if m and _CJK.search(m.group(1)):
        return m.group(1).strip(), m.group(2).strip()
    return text, ""


def column_label(name: Any) -> tuple[str, str]:
    """(Chinese, English) header of a column.

    Examples
    --------
    >>> column_label("per_station_wan")
    ('每站(万元)', 'per station (10,000 CNY)')
    >>> column_label("linze"), column_label("case_services")
    (('临泽县', 'Linze'), ('个案服务', 'Casework'))
    >>> column_label("pingchuan_months")
    ('平川镇 服务月数(假定)', 'Pingchuan: months of service (assumed)')
    >>> column_label("乌兰察布市 Ulanqab"), column_label(12)
    (('乌兰察布市', 'Ulanqab'), ('12', ''))
    """
    if not isinstance(name, str):
        return (format_number(name) if isinstance(name, int | float) else str(name)), ""
    if name in COLUMNS:
        return COLUMNS[name][:2]
    if name in _place_labels():
        return _place_labels()[name]
    for table in ("indicator_codes", "features", "methods", "units"):
        if name in vocabulary(table):
            return vocabulary(table)[name]
    stem = name.removesuffix("_months")
    if stem != name and stem in _place_labels():
        zh, en = _place_labels()[stem]
        return f"{zh} 服务月数(假定)", f"{en}: months of service (assumed)"
    if _CJK.search(name):
        return _split_bilingual(name)
    return name.replace("_", " "), ""


def _format_of(name: Any) -> str:
    return COLUMNS[name][2] if isinstance(name, str) and name in COLUMNS else ""


def _is_code(fmt: str) -> bool:
    return fmt.startswith("vocab:") or fmt in ("place", "qualifier", "basis")


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _auto_number(x: float) -> str:
    if x == round(x):
        return format_number(x)
    size = abs(x)
    if size >= 1000:
        return format_number(round(x))
    if size >= 10:
        return format_number(x, 1)
    if size >= 1:
        return format_number(x, 2)
    return format_number(float(f"{x:.3g}"), 6)


def format_cell(value: Any, fmt: str = "") -> str:
    """A value as a table cell shows it.

    Examples
    --------
    >>> format_cell(1200.0), format_cell(0.0666667), format_cell(float("nan")), format_cell(None)
    ('1,200', '0.0667', '—', '—')
    >>> format_cell(12.345, "0.00"), format_cell(1234567.0, "0"), format_cell(2022, "year")
    ('12.35', '1,234,567', '2022')
    >>> format_cell("person_times", "vocab:units"), format_cell("at_least", "qualifier")
    ('人次', '余 more than')
    >>> format_cell("shahe", "place"), format_cell(True)
    ('沙河镇 Shahe', '是')
    """
    if _missing(value):
        return MISSING
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
    if isinstance(value, bool):
        return "是" if value else "否"
    if fmt.startswith("vocab:"):
        zh, en = vocabulary(fmt[6:]).get(str(value), (str(value), ""))
        return zh if fmt == "vocab:units" else f"{zh} {en}".strip()
    if fmt == "place":
        return " ".join(_place_labels().get(str(value), (str(value), ""))).strip()
    if fmt == "qualifier" and value in QUALIFIER_LABELS:
        _, zh, en = QUALIFIER_LABELS[value]
        return f"{zh} {en}"
    if fmt == "basis":
        return _BASIS.get(str(value), str(value))
    if isinstance(value, int | float):
        if fmt == "year" and value == round(value):
            return str(int(value))
        if fmt.startswith("0"):
            decimals = len(fmt) - 2 if "." in fmt else 0
            return format_number(round(float(value), decimals), max(decimals, 0))
        return _auto_number(float(value))
    return str(value)


def _interval(lo: Any, hi: Any, fmt: str) -> str:
    if _missing(lo) and _missing(hi):
        return MISSING
    if _missing(hi):
        return "≥" + format_cell(lo, fmt)
    if _missing(lo):
        return "≤" + format_cell(hi, fmt)
    a, b = format_cell(lo, fmt), format_cell(hi, fmt)
    return a if a == b else f"[{a}, {b}]"


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """Index into columns (a default RangeIndex is dropped), column levels joined."""
    import pandas as pd

    f = frame.copy()
    if isinstance(f.columns, pd.MultiIndex):
        f.columns = [" ".join(str(x) for x in c if str(x)) for c in f.columns]
    default = isinstance(f.index, pd.RangeIndex) and f.index.name is None
    if default:
        return f.reset_index(drop=True)
    names = [n if n is not None else ("item" if i == 0 else f"item{i}")
             for i, n in enumerate(f.index.names)]
    f.index = f.index.set_names(names)
    return f.reset_index()


def reading_frame(obj: pd.DataFrame | pd.Series) -> tuple[list[tuple[str, str]], list[list[str]],
                                                          list[bool]]:
    """Headers, cell texts and right-alignment flags of a frame as a reader sees it.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"place": ["ulanqab"], "per_station_low": [120.0],
    ...                   "per_station_high": [130.0], "qualifier": ["at_least"]})
    >>> heads, rows, right = reading_frame(f)
    >>> heads
    [('地点', 'place'), ('每站(区间)', 'per station (interval)'), ('限定词', 'qualifier')]
    >>> rows
    [['乌兰察布市 Ulanqab', '[120, 130]', '余 more than']]
    """
    import pandas as pd

    frame = obj.to_frame(name=obj.name if obj.name is not None else "value") \
        if isinstance(obj, pd.Series) else obj
    f = _flat(frame)
    cols = list(f.columns)
    columns: list[tuple[Any, list[str], bool]] = []
    used: set[Any] = set()
    for c in cols:
        if c in used:
            continue
        pair = _partner(c, cols)
        if pair is not None:
            stem = str(c)[: -len(pair[0])]
            name = f"{stem}_interval" if stem else "interval"
            fmt = _format_of(name) or _format_of(c)
            texts = [_interval(lo, hi, fmt) for lo, hi in zip(f[c], f[pair[1]], strict=True)]
            columns.append((name, texts, True))
            used.update({c, pair[1]})
            continue
        fmt = _format_of(c)
        numeric = pd.api.types.is_numeric_dtype(f[c]) and not pd.api.types.is_bool_dtype(f[c])
        columns.append((c, [format_cell(v, fmt) for v in f[c]], numeric and not _is_code(fmt)))
        used.add(c)
    heads = [column_label(name) for name, _, _ in columns]
    rows = [list(r) for r in zip(*(texts for _, texts, _ in columns), strict=True)] if columns else []
    return heads, rows, [right for _, _, right in columns]


def _partner(col: Any, cols: list[Any]) -> tuple[str, Any] | None:
    if not isinstance(col, str):
        return None
    for lo, hi in INTERVAL_PAIRS:
        for sep in ("_", ""):
            suffix = sep + lo
            if col.endswith(suffix) and (sep or col == lo):
                other = col[: -len(suffix)] + sep + hi
                if other in cols:
                    return suffix, other
    return None


def to_html(obj: pd.DataFrame | pd.Series, max_rows: int = 200) -> str:
    """A frame as an HTML table for reading (class ``ssw-table``), in a scrollable box.

    Examples
    --------
    >>> import pandas as pd
    >>> page = to_html(pd.DataFrame({"amount_wan": [100.0, float("nan")]}))
    >>> "<th" in page and "金额(万元)" in page and "—" in page and "NaN" not in page
    True
    """
    heads, rows, right = reading_frame(obj)
    cut = len(rows) > max_rows
    rows = rows[:max_rows]
    cls = [' class="num"' if r else "" for r in right]
    head = "".join(
        f'<th{k}><span class="zh">{html.escape(zh)}</span>'
        + (f'<br><span class="en">{html.escape(en)}</span>' if en and en != zh else "")
        + "</th>"
        for (zh, en), k in zip(heads, cls, strict=True)
    )
    body = "\n".join(
        "<tr>" + "".join(f"<td{k}>{html.escape(v)}</td>" for v, k in zip(r, cls, strict=True))
        + "</tr>" for r in rows
    )
    more = (f'<p class="ssw-note">仅显示前 {max_rows} 行 first {max_rows} rows shown</p>'
            if cut else "")
    axis = _columns_axis(obj)
    caption = f"<caption>{html.escape(axis)}</caption>" if axis else ""
    return (f'<div class="ssw-table"><table class="ssw-table">{caption}<thead><tr>{head}</tr>'
            f"</thead>\n<tbody>\n{body}\n</tbody></table>{more}</div>")


def _columns_axis(obj: Any) -> str:
    name = getattr(getattr(obj, "columns", None), "name", None)
    if name is None:
        return ""
    zh, en = column_label(name)
    return f"列:{zh} → columns: {en}" if en else f"列:{zh}"

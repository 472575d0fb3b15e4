"""Write comparison tables to an Excel workbook for planners (openpyxl).

Each sheet has two header rows -- Chinese on row 1, English on row 2 -- and the data from
row 3. Strings that a spreadsheet would read as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) are neutralised with a leading apostrophe;
numbers stay numbers. Qualified figures keep their qualifier: the tables passed in carry
a qualifier column and/or the display text (e.g. ``≥1,200 人``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMULA_PREFIXES", "Sheet", "safe_cell", "write_workbook"]

#: first characters that make a spreadsheet treat a string as a formula (OWASP CSV injection)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Sheet:
    """One worksheet: a frame, bilingual headers per column and a title.

    ``headers`` maps a column name to ``(chinese, english)``; columns without an entry use
    their name on both rows. Only the columns listed in ``headers`` are written when
    ``only_headed`` is true.
    """

    name: str
    frame: pd.DataFrame
    headers: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    only_headed: bool = False
    widths: Mapping[str, float] = field(default_factory=dict)


def safe_cell(value: Any) -> Any:
    """A value as it should go into a cell: inert text, a plain number, or None.

    Examples
    --------
    >>> safe_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell("-5 人"), safe_cell("≥1,200 人")
    ("'-5 人", '≥1,200 人')
    >>> safe_cell(1200.0), safe_cell(float("nan")), safe_cell(None)
    (1200.0, None, None)
    >>> import numpy as np
    >>> type(safe_cell(np.int64(3))).__name__, type(safe_cell(np.float64(2.5))).__name__
    ('int', 'float')
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        return value
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def write_workbook(
    path: str | Path,
    sheets: Sequence[Sheet],
    sources: pd.DataFrame | None = None,
    source_headers: Mapping[str, tuple[str, str]] | None = None,
) -> Path:
    """Write ``sheets`` (and a ``sources`` sheet of citations) to an ``.xlsx`` file.

    Parameters
    ----------
    path : path
        Output file; parent folders are created.
    sheets : sequence of Sheet
    sources : DataFrame, optional
        Citations, written as the last sheet named ``sources``.

    Returns
    -------
    Path

    Examples
    --------
    >>> import pandas as pd, tempfile, openpyxl
    >>> f = pd.DataFrame({"text": ["≥1,200 人"], "value": [1200.0], "qualifier": ["at_least"]})
    >>> h = {"text": ("数值", "figure"), "value": ("下限", "lower bound"),
    ...      "qualifier": ("限定", "qualifier")}
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_workbook(f"{d}/w.xlsx", [Sheet("output", f, h)])
    ...     ws = openpyxl.load_workbook(p)["output"]
    ...     [[c.value for c in row] for row in ws.iter_rows()]
    [['数值', '下限', '限定'], ['figure', 'lower bound', 'qualifier'], ['≥1,200 人', 1200, 'at_least']]
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    all_sheets = list(sheets)
    if sources is not None:
        all_sheets.append(Sheet("sources", sources, dict(source_headers or {})))
    names: set[str] = set()
    for sheet in all_sheets:
        name = sheet.name[:31]
        if name in names:
            raise ValueError(f"duplicate sheet name {name!r}")
        names.add(name)
        ws = wb.create_sheet(safe_cell(name).lstrip("'"))
        cols = [c for c in sheet.frame.columns if not sheet.only_headed or c in sheet.headers]
        fill = PatternFill("solid", fgColor="DDEBF7")
        for j, col in enumerate(cols, start=1):
            zh, en = sheet.headers.get(col, (str(col), str(col)))
            for i, text in ((1, zh), (2, en)):
                cell = ws.cell(row=i, column=j, value=safe_cell(text))
                cell.font = Font(bold=(i == 1))
                cell.fill = fill
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            width = sheet.widths.get(col, max(10, min(48, 2 + max(len(zh) * 2, len(en)))))
            ws.column_dimensions[get_column_letter(j)].width = width
        for i, row in enumerate(sheet.frame[cols].itertuples(index=False), start=3):
            for j, value in enumerate(row, start=1):
                v = safe_cell(value)
                cell = ws.cell(row=i, column=j, value=v)
                if isinstance(v, str):
                    cell.data_type = "s"
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A3"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.properties.creator = "sswanalysis"
    wb.save(path)
    return path

"""Write tables to an Excel workbook for planners (openpyxl): formats, formulas, print setup.

Every sheet has two header rows -- Chinese on row 1, English on row 2 -- and data from
row 3; the header rows and the identifier columns are frozen, and print on every page
(A4 landscape, fitted to the page width). Columns carry number formats (thousands
separators, fixed decimals) and widths that fit their text. A contents sheet lists every
sheet with its English name and what it holds.

Text from the data is made inert: a string that a spreadsheet would read as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading
apostrophe; numbers stay numbers. Only cells built by code as :class:`Formula` are written
as formulas -- that is how the scenario sheets compute from the assumptions sheet.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sswanalysis.writing import replacing

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CONTENTS",
    "FORMULA_PREFIXES",
    "Formula",
    "Sheet",
    "number_format",
    "safe_cell",
    "write_workbook",
]

#: first characters that make a spreadsheet treat a string as a formula (OWASP CSV injection)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: name of the contents sheet (Chinese, English)
CONTENTS = ("目录", "Contents")


@dataclass(frozen=True)
class Formula:
    """A formula written by code (never by data), e.g. ``Formula("={amount}/{stations}")``.

    ``{column}`` placeholders name columns of the same sheet and become that column's cell
    in the formula's row; anything else (such as ``'假设'!$C$3``) is kept as written. (Not a
    ``str`` subclass: pandas would turn it back into plain text.)

    >>> Formula("={a}*'假设'!$C$3").cell({"a": "B"}, 7)
    "=B7*'假设'!$C$3"
    """

    text: str

    def cell(self, letters: Mapping[str, str], row: int) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: f"{letters[m.group(1)]}{row}", self.text)


@dataclass
class Sheet:
    """One worksheet: a frame with bilingual headers, formats and a line about what it holds.

    Parameters
    ----------
    name, name_en : str
        Chinese sheet name (the tab) and English name (on the contents sheet).
    frame : DataFrame
        Cells: numbers, text (made inert) or :class:`Formula`.
    headers : mapping, optional
        Column -> (Chinese, English); other columns use
        :func:`sswanalysis.figures.display.column_label`.
    formats : mapping, optional
        Column -> Excel number format; others from :func:`number_format`.
    about : str
        What the sheet holds (bilingual), for the contents sheet.
    frozen : int
        Identifier columns kept in view when scrolling right (the first ``frozen``).
    widths : mapping, optional
        Column -> width in characters; others fit their text (up to 40).
    """

    name: str
    frame: pd.DataFrame
    headers: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    name_en: str = ""
    about: str = ""
    formats: Mapping[str, str] = field(default_factory=dict)
    frozen: int = 1
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


def number_format(column: str, values: Sequence[Any]) -> str | None:
    """Excel number format of a column: from the column-label map, else from its numbers.

    >>> number_format("amount_wan", [100.0]), number_format("n_stations", [2])
    ('#,##0.00', '#,##0')
    >>> number_format("x", [1200.0, 3.0]), number_format("x", [0.0667]), number_format("x", ["a"])
    ('#,##0', '0.000', None)
    """
    from sswanalysis.figures.columns import COLUMNS

    fmt = COLUMNS.get(column, ("", "", ""))[2]
    if fmt == "year":
        return "0"
    if fmt.startswith("0"):
        decimals = len(fmt) - 2 if "." in fmt else 0
        return "#,##0" + ("." + "0" * decimals if decimals else "")
    nums = [float(v) for v in values
            if isinstance(v, int | float) and not isinstance(v, bool) and not math.isnan(v)]
    if not nums:
        return None
    if all(v == round(v) for v in nums):
        return "#,##0"
    return "0.000" if max(abs(v) for v in nums) < 1 else "#,##0.00"


def _width(value: Any) -> float:
    """Display width of a cell value: CJK characters count twice."""
    v = safe_cell(value)
    s = "" if v is None else (f"{v:,.2f}" if isinstance(v, float) else str(v))
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _write_sheet(ws: Any, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from sswanalysis.figures.display import column_label

    cols = list(sheet.frame.columns)
    letters = {c: get_column_letter(j) for j, c in enumerate(cols, start=1)}
    lines = [1] * (len(sheet.frame) + 3)  # wrapped lines per row, for the row heights
    fill = PatternFill("solid", fgColor="DDEBF7")
    top = Alignment(wrap_text=True, vertical="top")
    for j, col in enumerate(cols, start=1):
        zh, en = sheet.headers.get(col) or column_label(col)
        for i, text in ((1, zh), (2, en or zh)):
            cell = ws.cell(row=i, column=j, value=safe_cell(text))
            cell.font = Font(bold=(i == 1), color=None if i == 1 else "555555")
            cell.fill = fill
            cell.alignment = top
        values = list(sheet.frame[col])
        fmt = sheet.formats.get(col) or number_format(col, values)
        body = max([_width(v) for v in values if not isinstance(v, Formula)] or [0])
        head = max(_width(zh), _width(en) * 0.8)
        # headers wrap (up to 16 characters a line); the body sets the width up to 40
        width = sheet.widths.get(col) or max(9.0, min(40.0, max(body, min(head, 16)) + 2))
        ws.column_dimensions[letters[col]].width = width
        lines[1] = max(lines[1], math.ceil(_width(zh) / width))
        lines[2] = max(lines[2], math.ceil(_width(en) / width))
        for i, value in enumerate(values, start=3):
            if not isinstance(value, Formula):
                lines[i] = max(lines[i], math.ceil(_width(value) / (width * 1.15)))
            if isinstance(value, Formula):
                cell = ws.cell(row=i, column=j, value=value.cell(letters, i))
            else:
                v = safe_cell(value)
                cell = ws.cell(row=i, column=j, value=v)
                if isinstance(v, str):
                    cell.data_type = "s"
            cell.alignment = top
            if fmt:
                cell.number_format = fmt
    for i, n in enumerate(lines[1:], start=1):
        if n > 1:  # LibreOffice does not grow a row for wrapped text written by openpyxl
            ws.row_dimensions[i].height = 15 * min(n, 8)
    ws.freeze_panes = f"{get_column_letter(sheet.frozen + 1)}3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False


def _contents(ws: Any, sheets: Sequence[Sheet]) -> None:
    import pandas as pd
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    rows = [(s.name, s.name_en, s.about) for s in sheets]
    frame = pd.DataFrame(rows, columns=["sheet", "sheet_en", "about"])
    _write_sheet(ws, Sheet(CONTENTS[0], frame, headers={
        "sheet": ("工作表", "sheet"), "sheet_en": ("英文名", "English name"),
        "about": ("内容", "what it holds")}, name_en=CONTENTS[1], widths={"about": 90}))
    for i, s in enumerate(sheets, start=3):
        cell = ws.cell(row=i, column=1)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{s.name}'!A1")
        cell.font = Font(color="0B5CAD", underline="single")


def write_workbook(path: str | Path, sheets: Sequence[Sheet], contents: bool = True) -> Path:
    """Write ``sheets`` (after a contents sheet) to an ``.xlsx`` file, atomically.

    Parameters
    ----------
    path : path
        Output file; parent folders are created. Written to a temporary file first, then
        moved into place.
    sheets : sequence of Sheet
    contents : bool
        Start with a contents sheet (:data:`CONTENTS`) linking every sheet.

    Returns
    -------
    Path

    Examples
    --------
    >>> import pandas as pd, tempfile, openpyxl
    >>> f = pd.DataFrame({"text": ["≥1,200 人"], "value": [1200.0], "qualifier": ["at_least"]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_workbook(f"{d}/w.xlsx", [Sheet("产出", f, name_en="output")])
    ...     ws = openpyxl.load_workbook(p)["产出"]
    ...     rows = [[c.value for c in row] for row in ws.iter_rows()]
    >>> rows[0], rows[2]
    (['数值(原文口径)', '数值', '限定词'], ['≥1,200 人', 1200, 'at_least'])
    """
    from openpyxl import Workbook

    names = [s.name[:31] for s in sheets]
    if len(set(names)) != len(names) or (contents and CONTENTS[0] in names):
        raise ValueError(f"sheet names must be unique: {names}")
    bad = [n for n in names if re.search(r"[\[\]:*?/\\']", n)]
    if bad:
        raise ValueError(f"sheet names may not hold [ ] : * ? / \\ or ': {bad}")
    wb = Workbook()
    wb.remove(wb.active)
    if contents:
        _contents(wb.create_sheet(CONTENTS[0]), sheets)
    for sheet, name in zip(sheets, names, strict=True):
        _write_sheet(wb.create_sheet(name), sheet)
    wb.properties.creator = "sswanalysis"
    with replacing(path) as tmp:  # a kill mid-write leaves the old workbook, never half a new one
        wb.save(tmp)
    return Path(path)

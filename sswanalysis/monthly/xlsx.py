"""Read the sheets of an .xlsx report workbook: every sheet with the template's header.

Each sheet whose header row names template columns becomes one
:class:`~sswanalysis.monthly.readers.RawFile`; other sheets (a codebook, notes) and sheets
named as examples (``示例``, ``example``) are skipped with a note naming them, so nothing
vanishes without a word.

Cells are read as Excel last saved them (``data_only``). A formula cell that carries no
saved result — a file written by a program and never opened in Excel — would read as an
empty cell, so the workbook is also read with formulas and each such cell is a fault of
its row, never silently empty.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import TYPE_CHECKING, Any

from sswanalysis.monthly.readers import RawFile, count_rows, find_header, from_records, no_header_fault

if TYPE_CHECKING:
    from pathlib import Path

    from sswanalysis.monthly.readers import HeaderSpec

#: Words in a sheet name that mark a sheet of example rows (never read as data).
EXAMPLE_SHEET_WORDS = ("示例", "example")


def cell_text(value: Any) -> str | None:
    """A cell's value as text: whole floats without ``.0``, dates as ``YYYY-MM-DD``.

    >>> cell_text(120.0), cell_text(2023.1), cell_text(dt.datetime(2023, 1, 1)), cell_text(True)
    ('120', '2023.1', '2023-01-01', 'true')
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return str(value)


_FORMULA_TAG = re.compile(rb"<(?:[^\s<>/:]+:)?f[\s>/]")


def _has_formulas(data: bytes) -> bool:
    """May the workbook ``data`` hold a formula (an ``<f>`` element)?

    Every XML part is searched, whatever its name (a workbook may lay out its sheets under
    other names than Excel's): a false alarm costs only the second pass. Each part is
    streamed in blocks (with an overlap for a tag cut in two), so a large sheet is never held
    whole a second time.
    """
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if not name.endswith(".xml"):
                continue
            with z.open(name) as fh:
                tail = b""
                while block := fh.read(1 << 20):
                    if _FORMULA_TAG.search(tail + block):
                        return True
                    tail = block[-256:]
    return False


def _sheet_records(ws_values: Any, ws_formulas: Any | None) -> tuple[list[tuple[int, list[Any]]],
                                                                     list[tuple[int, int, str]]]:
    """(records, (row, column index, formula) of formula cells without a saved result);
    ``ws_formulas`` is None for a workbook without formulas."""
    import itertools

    records = []
    unsaved = []
    # read-only openpyxl stops at the row the sheet's <dimension> names; a workbook written by
    # a program may state a stale one, and the rows below it would vanish without a word
    ws_values.reset_dimensions()
    if ws_formulas is not None:
        ws_formulas.reset_dimensions()
    formula_rows = itertools.repeat(()) if ws_formulas is None else ws_formulas.iter_rows(values_only=True)
    for i, (values, formulas) in enumerate(zip(ws_values.iter_rows(values_only=True),
                                               formula_rows, strict=False)):
        records.append((i + 1, [cell_text(v) for v in values]))
        for j, (v, f) in enumerate(zip(values, formulas, strict=False)):
            if v is None and isinstance(f, str) and f.startswith("="):
                unsaved.append((i + 1, j, f))
    return records, unsaved


def read_workbook(path: Path, spec: HeaderSpec) -> list[RawFile]:
    """One :class:`RawFile` per sheet read; skipped sheets noted on the first."""
    import numpy as np
    import openpyxl

    # from bytes: openpyxl judges a path by its suffix, and a workbook may be named .csv
    data = path.read_bytes()
    wb_values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    # the formulas are read (a second pass, as long as the first) only if a sheet has any
    wb_formulas = (openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
                   if _has_formulas(data) else None)
    sheets = []
    try:
        for ws in wb_values.worksheets:
            records, unsaved = _sheet_records(ws, wb_formulas[ws.title] if wb_formulas else None)
            sheets.append((ws.title, records, unsaved, ws.sheet_state != "visible"))
    finally:
        wb_values.close()
        if wb_formulas:
            wb_formulas.close()
    parts: list[RawFile] = []
    notes: list[str] = []
    for title, records, unsaved, hidden in sheets:
        if any(w in title.lower() for w in EXAMPLE_SHEET_WORDS):
            notes.append(f"sheet {title!r} holds examples ({len(count_rows(records))} row(s)); not read")
            continue
        at, _ = find_header(records, spec)
        if at is None:
            if any(cells for _, cells in records if any(c not in (None, "") for c in cells)):
                notes.append(f"sheet {title!r} skipped: no row names template columns")
            continue
        raw = RawFile(path=path, format="xlsx", sheet=title)
        from_records(raw, records, spec, keep={r for r, _, _ in unsaved})
        for r, j, formula in unsaved:
            header = raw.headers[j] if j < len(raw.headers) else f"column {j + 1}"
            if r > records[at][0]:
                raw.row_faults.append((r, header, formula, (
                    f"formula {formula[:60]} has no saved result (the file was written by a program, "
                    "not saved by Excel): open and save it in Excel or LibreOffice, or type the value")))
        if hidden:  # read like any other: a hidden sheet's rows are data all the same
            notes.append(f"sheet {title!r} is hidden in Excel; its rows were read like the others")
        parts.append(raw)
    if not parts:
        raw = RawFile(path=path, format="xlsx")
        first = next(((t, r) for t, r, _, _ in sheets if count_rows(r).size or any(
            any(c not in (None, "") for c in cells) for _, cells in r)), None)
        if first is None:
            raw.fault = "workbook is empty (no header, no rows)"
        else:
            raw.fault = f"sheet {first[0]!r}: " + no_header_fault(first[1])
            raw.fault_rows = count_rows(first[1])
        raw.rows = np.zeros(0, dtype=np.int64)
        parts = [raw]
    if len(parts) == 1:
        parts[0].sheet = None
    parts[0].notes += notes
    return parts

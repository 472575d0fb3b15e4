"""Row checks of the station-month report reader: every fault of every row, found and named.

This is the judging half of :func:`sswanalysis.monthly.ingest.read`. Its input is the readable
files (:class:`Readable`: a file's Arrow table and where each template column is in it);
its output is the indicator cells as matrices (:class:`Figures`), the row attributes as
codes (:class:`RowAttributes`) and, in :class:`Rows`, which rows are bad and why.
:func:`check_rows` runs the steps in order:

1. :func:`read_indicator_cells` — every indicator cell to a number (plain numbers
   column-wise, anything else through :func:`sswanalysis.quantities.parse`);
2. :func:`reconcile_twin_columns` — a 元 and a 万元 column of one indicator must agree;
   one column is kept;
3. :func:`required_column` — station, region and month must be filled;
4. :func:`check_regions`, :func:`check_months`, :func:`check_provinces`,
   :func:`check_service_models`, :func:`check_opened`, :func:`check_synthetic` — each
   distinct value of an attribute is judged once, then its verdict is spread over the
   rows by code;
5. :func:`check_stations` — a station belongs to one region (the register's, or else the
   shipped table's, or else that of its first row);
6. :func:`check_duplicates` — every copy of a repeated station-month is rejected;
7. :func:`check_personal_data` — no cell may hold an identity, phone or bank card number
   or an e-mail address (:mod:`sswanalysis.personal_data`); the fault shows it masked.

The rows of all readable files are numbered ``0 .. n-1`` in file order; that number is
the "global row" ``g`` used throughout.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from sswanalysis.monthly.template import WAN, fractional_units

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import pandas as pd

    from sswanalysis.monthly.readers import RawFile
    from sswanalysis.monthly.template import Column

#: Chinese names of the station operation types (stations.operation in the Data Package).
SERVICE_MODEL_ALIASES = {
    "政府购买服务": "government_purchase",
    "政府购买": "government_purchase",
    "委托专业机构运营": "contracted_organisation",
    "委托运营": "contracted_organisation",
    "专业机构运营": "contracted_organisation",
}
_TRUE = {"true", "1", "yes", "y", "是"}
_FALSE = {"false", "0", "no", "n", "否"}
_UNIT_IN_CELL = "[万亿元]"  # a cell that writes its own 万/亿/元 is taken as written


class Readable(NamedTuple):
    """A file that passed the file checks: its rows are ``offset .. offset + len(raw.rows) - 1``."""

    index: int  # position among all files
    raw: RawFile
    positions: dict[str, int]  # template column name -> column position in ``raw.table``
    offset: int


# -- faults -------------------------------------------------------------------------------


class Faults:
    """Faults collected as small frames: global row index ``g`` (or -1), file, row, column, value, reason."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, g: Any, file: Any, row: Any, column: Any, value: Any, reason: Any) -> None:
        import numpy as np
        import pandas as pd

        g = np.atleast_1d(np.asarray(g, dtype=np.int64))
        if len(g) == 0:
            return
        n = len(g)

        def full(x: Any) -> Any:
            return [x] * n if isinstance(x, str) or x is None else list(x)

        self.parts.append(pd.DataFrame({
            "g": g, "file": full(file), "row": np.broadcast_to(np.asarray(row, dtype=np.int64), (n,)),
            "column": full(column), "value": full(value), "reason": full(reason),
        }))


@dataclass
class Rows:
    """The data rows of the readable files, by global row: where each is from, and which are bad."""

    file_idx: np.ndarray  # file index of each row
    row_no: np.ndarray  # row number in its file (as a spreadsheet shows it)
    names: np.ndarray  # file names, by file index
    bad: np.ndarray  # rows with at least one fault
    faults: Faults

    @property
    def n(self) -> int:
        return len(self.bad)

    def fault(self, g: Any, column: str, values: Any, reasons: Any) -> None:
        """Record a fault of each row ``g`` in ``column`` and mark the rows bad."""
        import numpy as np

        g = np.asarray(g, dtype=np.int64)
        if len(g) == 0:
            return
        self.bad[g] = True
        self.faults.add(g, self.names[self.file_idx[g]], self.row_no[g], column, values, reasons)

    def where(self, g: int) -> str:
        """``<file> row <n>`` of global row ``g``."""
        return f"{self.names[self.file_idx[g]]} row {self.row_no[g]}"


def number_rows(ok: list[Readable], n: int, files: list[Path], pre_bad: list[int], faults: Faults) -> Rows:
    """:class:`Rows` of the readable files; ``pre_bad`` rows were faulted while reading."""
    import numpy as np

    file_idx = np.zeros(n, dtype=np.int32)
    row_no = np.zeros(n, dtype=np.int64)
    for f in ok:
        file_idx[f.offset:f.offset + len(f.raw.rows)] = f.index
        row_no[f.offset:f.offset + len(f.raw.rows)] = f.raw.rows
    names = np.array([str(p) for p in files], dtype=object)
    bad = np.zeros(n, dtype=bool)
    bad[np.asarray(pre_bad, dtype=np.int64)] = True
    return Rows(file_idx, row_no, names, bad, faults)


# -- file checks ------------------------------------------------------------------------------


def check_headers(raw: RawFile, hmap: dict[str, str], spec: dict[str, Column],
                  normalise: Any) -> tuple[list[tuple[str | None, str]], dict[str, int]]:
    """(faults of the whole file as (column, reason), template column name -> position).

    A file is rejected whole when it could not be read, has a column the template does
    not know, names one template column twice, or lacks a required column.
    """
    faults: list[tuple[str | None, str]] = []
    if raw.fault:
        faults.append((None, raw.fault))
    positions: dict[str, int] = {}
    if raw.fault is None:
        for j, h in enumerate(raw.headers):
            canon = hmap.get(normalise(h))
            if canon is None:
                faults.append((h, f"column {h!r} is not in the template (see "
                                  "'sswanalysis template'); whole file rejected"))
            elif canon in positions:
                faults.append((h, f"column {h!r} names {canon}, as does column "
                                  f"{raw.headers[positions[canon]]!r}; whole file rejected"))
            else:
                positions[canon] = j
        for c in spec.values():
            if c.required and c.name not in positions:
                faults.append((c.name, f"required column {c.name} ({c.header_zh}) is missing; "
                                       "whole file rejected"))
    return faults, positions


def check_files(files: list[Path], raws: list[RawFile], hmap: dict[str, str], spec: dict[str, Column],
                normalise: Any, faults: Faults) -> tuple[list[dict[str, Any]], list[Readable], list[int]]:
    """(per-file counts, the readable files, global rows faulted while reading).

    A file that fails :func:`check_headers` is rejected whole: each of its rows gets each
    file fault. The rows of the other files are numbered on (global rows); a ragged row
    (faulted while reading) is a fault of its row only.
    """
    import numpy as np

    file_rows: list[dict[str, Any]] = []
    ok: list[Readable] = []
    pre_bad: list[int] = []
    offset = 0
    for fi, (path, raw) in enumerate(zip(files, raws, strict=True)):
        name = str(path)
        info = {"file": name, "format": raw.format, "encoding": raw.encoding or "",
                "rows_in": len(raw.rows) + len(raw.fault_rows), "fault": raw.fault or ""}
        file_rows.append(info)
        fault_list, positions = check_headers(raw, hmap, spec, normalise)
        if fault_list:
            info["fault"] = "; ".join(r for _, r in fault_list)
            info["rejected"] = _reject_file(raw, name, fault_list, faults)
            continue
        for row, reason in raw.row_faults:
            g = offset + int(np.searchsorted(raw.rows, row))
            faults.add(g, name, row, None, None, reason)
            pre_bad.append(g)
        ok.append(Readable(fi, raw, positions, offset))
        offset += len(raw.rows)
    return file_rows, ok, pre_bad


def _reject_file(raw: RawFile, name: str, fault_list: list[tuple[str | None, str]], faults: Faults) -> int:
    """Record the faults of a file rejected whole; the number of its rows."""
    import numpy as np

    rows = np.concatenate([raw.rows, raw.fault_rows])
    if len(rows) == 0:  # no rows to list the faults on: listed once, without a row
        for column, reason in fault_list:
            faults.add(-1, name, -1, column, None, reason)
    for column, reason in fault_list:
        faults.add(np.full(len(rows), -1), name, rows, column, None, reason)
    for row, reason in raw.row_faults:
        faults.add(-1, name, row, None, None, reason)
    return len(rows)


# -- indicator cells ------------------------------------------------------------------------


def qualifiers() -> list[str]:
    """Qualifier categories of the indicators table; ``Figures.qual`` codes index them."""
    from sswanalysis.datapackage.loading import categories

    return list(categories("indicators", "qualifier") or [])


def _plain_numbers(arr: Any) -> tuple[np.ndarray, np.ndarray, Any]:
    """(values with NaN where not plain, mask of non-empty non-plain cells, normalised strings)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        values = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
        return np.array(values, dtype=np.float64), np.zeros(len(values), dtype=bool), None
    if not pa.types.is_string(arr.type):
        arr = pc.cast(arr, pa.string())
    text = pc.utf8_trim_whitespace(pc.utf8_normalize(arr, "NFKC"))
    plain = pc.match_substring_regex(text, r"^-?[0-9]+(\.[0-9]+)?$")
    values = pc.cast(pc.if_else(plain, text, pa.scalar(None, pa.string())), pa.float64())
    values = np.array(values.to_numpy(zero_copy_only=False), dtype=np.float64)
    filled = pc.fill_null(pc.greater(pc.utf8_length(text), 0), False)
    other = pc.and_(filled, pc.invert(pc.fill_null(plain, False)))
    return values, other.to_numpy(zero_copy_only=False), text


@dataclass
class _BadCells:
    """Faulted cells of one column: positions, cells as shown, reasons."""

    pos: list[int] = field(default_factory=list)
    val: list[str] = field(default_factory=list)
    reason: list[str] = field(default_factory=list)

    def add(self, pos: list[int], val: list[str], reason: list[str]) -> None:
        self.pos += pos
        self.val += val
        self.reason += reason


def _parse_worded_cells(text: Any, idx: np.ndarray, col: Column, words: dict[str, set[str]],
                        quals: list[str], values: np.ndarray, high: np.ndarray, qual: np.ndarray,
                        bad: _BadCells, written_unit: dict[int, str]) -> None:
    """Parse the cells ``idx`` that are not plain numbers into ``values``/``high``/``qual``."""
    import numpy as np

    from sswanalysis.quantities import parse

    allowed = words.get(col.unit, set())
    for i, cell in zip(idx.tolist(), text.take(idx).to_pylist(), strict=True):
        try:
            q = parse(cell)
        except ValueError as exc:
            bad.add([i], [cell], [f"not a figure: {exc}"])
            continue
        if q.unit is not None and q.unit not in allowed:
            bad.add([i], [cell], [f"written in {q.unit} but the column counts {col.unit} "
                                  f"({', '.join(sorted(allowed))})"])
            continue
        v, h = q.value, q.value_high
        if col.scale != 1 and not re.search(_UNIT_IN_CELL, cell):
            v = v * col.scale
            h = None if h is None else h * col.scale
        values[i] = v
        high[i] = np.nan if h is None else h
        qual[i] = quals.index(q.qualifier)
        if q.unit is not None:
            written_unit[i] = q.unit


def convert_column(arr: Any, col: Column, words: dict[str, set[str]], quals: list[str]) -> dict[str, Any]:
    """Convert one indicator column of one file; faults as (positions, values, reasons).

    Returns ``value`` (NaN where empty), ``high`` and ``qual`` (``None`` when every cell
    is a plain number), ``bad`` (positions, cells, reasons), ``faulted`` (mask) and
    ``written_unit`` (position -> the unit a cell wrote).
    """
    import numpy as np
    import pyarrow as pa

    values, other, text = _plain_numbers(arr)
    integral = pa.types.is_integer(arr.type)
    n = len(values)
    idx = np.flatnonzero(other)
    # value_high and qualifier exist only when some cell is not a plain number
    high = np.full(n, np.nan) if len(idx) else None
    qual = np.zeros(n, dtype=np.int8) if len(idx) else None  # quals[0] == "exact"
    bad = _BadCells()
    written_unit: dict[int, str] = {}
    if len(idx):
        _parse_worded_cells(text, idx, col, words, quals, values, high, qual, bad, written_unit)
    if col.scale != 1 and n:
        plain_mask = ~other & ~np.isnan(values)
        values[plain_mask] *= col.scale
    faulted = np.zeros(n, dtype=bool)
    faulted[bad.pos] = True
    # each cell is faulted once: a later check skips cells already faulted
    checks = [(values < 0, "is negative; figures are counts or amounts and cannot be below 0")]
    if len(idx):
        checks = [((values < 0) | (high < 0), checks[0][1]),
                  (~np.isnan(high) & (high < values), "range whose high end is below its low end")]
    for mask, reason in checks:
        if bad.pos:
            mask &= ~faulted
        _fault_cells(arr, np.flatnonzero(mask), reason, bad, faulted)
    # an integer column of plain numbers at scale 1 cannot hold a fraction
    if col.unit not in fractional_units() and not (integral and col.scale == 1 and not len(idx)):
        frac = ~faulted & ~np.isnan(values) & (values % 1 != 0)
        if high is not None:
            frac |= ~faulted & ~np.isnan(high) & (high % 1 != 0)
        _fault_cells(arr, np.flatnonzero(frac), f"is not a whole number of {col.unit}", bad, faulted)
    return {"value": values, "high": high, "qual": qual, "bad": (bad.pos, bad.val, bad.reason),
            "faulted": faulted, "written_unit": written_unit}


def _fault_cells(arr: Any, pos: np.ndarray, reason: str, bad: _BadCells, faulted: np.ndarray) -> None:
    if len(pos):
        bad.add(pos.tolist(), _shown(arr, pos), [reason] * len(pos))
        faulted[pos] = True


def _shown(arr: Any, pos: np.ndarray) -> list[str]:
    """The cells at ``pos`` as written (numbers as text)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = pc.cast(arr, pa.string()) if not pa.types.is_string(arr.type) else arr
    return [str(v) for v in cells.take(pos).to_pylist()]


@dataclass
class Figures:
    """The indicator cells of all rows as row-major (rows × ``columns``) matrices.

    Row-major, so the long table (row by row, column by column) is a boolean selection of
    them. ``high`` (value_high) and ``qual`` (codes over ``quals``) are made only when
    some cell is not a plain number. Faulted cells are NaN in ``value``.
    """

    columns: list[Column]
    value: np.ndarray
    high: np.ndarray | None
    qual: np.ndarray | None
    quals: list[str]
    wan_cells: dict[tuple[int, int], str]  # (g, j) -> the cell as written, of 万元 columns

    def high_matrix(self) -> np.ndarray:
        import numpy as np

        if self.high is None:
            self.high = np.full(self.value.shape, np.nan)
        return self.high

    def qual_matrix(self) -> np.ndarray:
        import numpy as np

        if self.qual is None:
            self.qual = np.zeros(self.value.shape, dtype=np.int8)
        return self.qual


def read_indicator_cells(ok: list[Readable], rows: Rows, spec: dict[str, Column]) -> Figures:
    """Every indicator cell of every readable file, converted and checked, into :class:`Figures`.

    The matrices have one column per indicator column found in any file; a file without
    that column leaves it empty (NaN).
    """
    import numpy as np

    from sswanalysis.monthly.template import unit_words

    words = unit_words()
    ind_cols = [c for c in spec.values() if c.kind == "indicator"
                and any(c.name in f.positions for f in ok)]
    # every cell is written below: the rows are those of the files in ``ok``
    fig = Figures(ind_cols, np.empty((rows.n, len(ind_cols))), None, None, qualifiers(), {})
    for f in ok:
        for j, c in enumerate(ind_cols):
            _read_column(fig, f, j, c, words, rows)
    return fig


def _read_column(fig: Figures, f: Readable, j: int, c: Column, words: dict[str, set[str]],
                 rows: Rows) -> None:
    """Column ``j`` (template column ``c``) of file ``f`` into the matrices."""
    import numpy as np

    o, m = f.offset, len(f.raw.rows)
    if c.name not in f.positions:
        fig.value[o:o + m, j] = np.nan
        return
    res = convert_column(f.raw.table.column(f.positions[c.name]), c, words, fig.quals)
    fig.value[o:o + m, j] = res["value"]
    if res["high"] is not None:
        fig.high_matrix()[o:o + m, j] = res["high"]
    if res["qual"] is not None and res["qual"].any():
        fig.qual_matrix()[o:o + m, j] = res["qual"]
    pos, vals, reasons = res["bad"]
    if pos:
        rows.fault(o + np.asarray(pos), c.name, vals, reasons)
    if c.scale != 1:  # kept as written, for the precision of the 元/万元 comparison
        for i in np.flatnonzero(~np.isnan(res["value"])).tolist():
            cell = f.raw.table.column(f.positions[c.name])[i].as_py()
            fig.wan_cells[(o + i, j)] = str(cell)
    fig.value[o:o + m, j][res["faulted"]] = np.nan


def reconcile_twin_columns(fig: Figures, rows: Rows) -> None:
    """Keep one of the 元 and 万元 columns of an indicator; fault rows where both disagree.

    A row with only the 万元 figure gets it in the 元 column, which is kept; the 万元
    column is dropped from ``fig``.
    """
    import numpy as np

    k = len(fig.columns)
    keep = list(range(k))
    for j, c in enumerate(fig.columns):
        if c.scale == 1:
            continue
        twin = next((i for i, d in enumerate(fig.columns) if d.scale == 1 and d.indicator == c.indicator
                     and d.unit == c.unit), None)
        if twin is None:
            continue
        _check_twins_agree(fig, j, twin, rows)
        only_wan = ~np.isnan(fig.value[:, j]) & np.isnan(fig.value[:, twin])
        for M in (fig.value, fig.high, fig.qual):
            if M is not None:
                M[only_wan, twin] = M[only_wan, j]
        keep.remove(j)
    if len(keep) < k:
        fig.value, fig.high, fig.qual = (None if M is None else M[:, keep]
                                         for M in (fig.value, fig.high, fig.qual))
        fig.columns = [fig.columns[j] for j in keep]


def _check_twins_agree(fig: Figures, j: int, twin: int, rows: Rows) -> None:
    """Fault rows whose 元 figure (column ``twin``) and 万元 figure (column ``j``) disagree.

    They must agree to the precision the 万元 cell is written in: ``1.5`` 万元 is
    15,000 ± 500 元; a cell that writes its own unit (``1.5万``) to within 0.5 元.
    """
    import numpy as np

    V = fig.value
    both = np.flatnonzero(~np.isnan(V[:, j]) & ~np.isnan(V[:, twin]))
    bad_g, bad_v, bad_r = [], [], []
    for g in both.tolist():
        cell = fig.wan_cells.get((g, j), "")
        decimals = len(cell.split(".")[1]) if "." in cell and not re.search(_UNIT_IN_CELL, cell) else 0
        tolerance = 0.5 * WAN / 10**decimals if not re.search(_UNIT_IN_CELL, cell) else 0.5
        if abs(V[g, twin] - V[g, j]) > tolerance:
            bad_g.append(g)
            bad_v.append(f"{V[g, twin]:g} 元 / {cell} 万元")
            bad_r.append(f"{fig.columns[twin].name} and {fig.columns[j].name} disagree "
                         f"({V[g, twin]:g} 元 vs {V[g, j]:g} 元)")
    rows.fault(np.asarray(bad_g, dtype=np.int64), fig.columns[j].name, bad_v, bad_r)


# -- attribute values (each distinct value judged once) ------------------------------------------

_MONTH_RES = [
    re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*\d{1,2}(?:[ T].*)?)?"),
    re.compile(r"(\d{4})年\s*(\d{1,2})\s*月(?:份|\d{1,2}日)?"),
    re.compile(r"(\d{4})(\d{2})"),
]


def parse_month(text: str) -> tuple[int | None, str | None]:
    """``(year * 12 + month - 1, None)`` or ``(None, reason)``.

    Examples
    --------
    >>> parse_month("2023-01"), parse_month("2023年1月"), parse_month("202301")[0] == parse_month("2023/1")[0]
    ((24276, None), (24276, None), True)
    >>> parse_month("2023-13")
    (None, "'2023-13' has month 13; months run 1 to 12")
    >>> parse_month("Jan 2023")[1]
    "'Jan 2023' is not a month (write YYYY-MM)"
    """
    t = unicodedata.normalize("NFKC", text).strip()
    for rx in _MONTH_RES:
        m = rx.fullmatch(t)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if not 1 <= month <= 12:
                return None, f"{text!r} has month {month}; months run 1 to 12"
            return year * 12 + month - 1, None
    return None, f"{text!r} is not a month (write YYYY-MM)"


def month_str(ordinal: int) -> str:
    """``YYYY-MM`` of a month ordinal of :func:`parse_month`."""
    return f"{ordinal // 12:04d}-{ordinal % 12 + 1:02d}"


class Coded(NamedTuple):
    """An attribute column as codes (per row, -1 where empty) over its distinct values."""

    codes: np.ndarray
    uniq: list[str]


def uniques(arr: Any) -> Coded:
    """(codes with -1 for empty, distinct normalised values) of a string column.

    The column is dictionary-encoded first (if it is not already: chunks of a dictionary
    column get one dictionary) and only its distinct values are normalised (NFKC,
    trimmed), so the cost is per distinct value, not per row.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(arr.type):
        enc = arr.unify_dictionaries().combine_chunks() if arr.num_chunks else \
            pa.DictionaryArray.from_arrays(pa.array([], pa.int32()), pa.array([], pa.string()))
    else:
        if not pa.types.is_string(arr.type):
            arr = pc.cast(arr, pa.string())
        enc = pc.dictionary_encode(arr).combine_chunks()
    codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False)
    raw_values = enc.dictionary.to_pylist()
    uniq: list[str] = []
    index: dict[str, int] = {}
    remap = np.full(len(raw_values) + 1, -1, dtype=np.int64)
    for i, v in enumerate(raw_values):
        t = unicodedata.normalize("NFKC", v).strip()
        if t:
            remap[i] = index.setdefault(t, len(index))
            if remap[i] == len(uniq):
                uniq.append(t)
    return Coded(remap[codes], uniq)


def concat_column(ok: list[Readable], name: str) -> Any:
    """One attribute column over all readable files (null where absent), dictionary-encoded.

    CSV files are read with their attribute columns already dictionary-encoded; other
    chunks are encoded here, chunk by chunk. The chunks keep their own dictionaries
    (:func:`uniques` unifies them).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    dict_type = pa.dictionary(pa.int32(), pa.string())
    chunks = []
    for f in ok:
        if name in f.positions:
            col = f.raw.table.column(f.positions[name])
            if col.type != dict_type:
                if pa.types.is_dictionary(col.type):
                    col = col.cast(pa.string())
                elif not pa.types.is_string(col.type):
                    col = col.cast(pa.string())
                col = pa.chunked_array([pc.dictionary_encode(c) for c in col.chunks], dict_type)
            chunks += col.chunks
        else:
            chunks.append(pa.DictionaryArray.from_arrays(pa.nulls(len(f.raw.rows), pa.int32()),
                                                         pa.array([], pa.string())))
    return pa.chunked_array(chunks, type=dict_type)


def attribute(ok: list[Readable], name: str) -> Coded:
    """Attribute column ``name`` of all readable files as :class:`Coded`."""
    return uniques(concat_column(ok, name))


def _province_lookup() -> tuple[dict[str, str], dict[str, str]]:
    """(spelling -> province name_zh, region_id -> province name_zh)."""
    from sswanalysis.datapackage.loading import load
    from sswanalysis.monthly.template import provinces

    spell: dict[str, str] = {}
    of_region: dict[str, str] = {}
    for p in provinces().itertuples(index=False):
        for s in (p.name_zh, p.short_zh, p.name_en.lower(), f"{p.name_en.lower()} province",
                  p.division_code, p.region_id):
            spell[s] = p.name_zh
        of_region[p.region_id] = p.name_zh
    for r in load("regions").itertuples(index=False):
        of_region[r.region_id] = r.province_zh
        spell.setdefault(str(r.province_en).lower(), r.province_zh)
    return spell, of_region


# -- attribute checks -----------------------------------------------------------------------------


def required_column(ok: list[Readable], name: str, spec: dict[str, Column], rows: Rows) -> Coded:
    """Attribute ``name``; rows where it is empty are faulted."""
    import numpy as np

    col = attribute(ok, name)
    g = np.flatnonzero(col.codes < 0)
    rows.fault(g, name, [""] * len(g), f"{name} ({spec[name].header_zh}) is empty but required")
    return col


def check_regions(rg: Coded, known_regions: set[str], rows: Rows) -> None:
    """Fault rows whose region is not a known region."""
    import numpy as np

    rg_known = np.array([r in known_regions for r in rg.uniq] + [True], dtype=bool)
    g = np.flatnonzero(~rg_known[rg.codes] & (rg.codes >= 0))
    rows.fault(g, "region_id", [rg.uniq[c] for c in rg.codes[g]],
               [f"unknown region {rg.uniq[c]!r} (not in the regions table nor a province id)"
                for c in rg.codes[g]])


def check_months(mo: Coded, min_ord: int, max_ord: int, rows: Rows) -> np.ndarray:
    """Month ordinal of each row (-1 where missing or bad); bad months and months out of range faulted."""
    import numpy as np

    month_ord = np.full(len(mo.uniq) + 1, -1, dtype=np.int64)
    month_reason: list[str | None] = []
    for i, t in enumerate(mo.uniq):
        o, reason = parse_month(t)
        if reason is None and o < min_ord:
            reason = f"{t!r} is before {month_str(min_ord)}, the earliest month accepted"
        elif reason is None and o > max_ord:
            reason = f"{t!r} is after {month_str(max_ord)}, the latest month accepted (max_month)"
        month_reason.append(reason)
        if reason is None:
            month_ord[i] = o
    g = np.flatnonzero((mo.codes >= 0) & (month_ord[mo.codes] < 0))
    rows.fault(g, "month", [mo.uniq[c] for c in mo.codes[g]], [month_reason[c] for c in mo.codes[g]])
    return month_ord[mo.codes]


def check_provinces(ok: list[Readable], rg: Coded, spell: dict[str, str], of_region: dict[str, str],
                    rows: Rows) -> pd.Categorical:
    """Province of each row: as written if known, else that of its region; faults when they differ.

    A written province must be known and match the province of the row's region. Each
    (region, written province) pair is judged once: the pairs are found by counting
    their combined code.
    """
    import numpy as np
    import pandas as pd

    pv = attribute(ok, "province")
    pv_name = [spell.get(p.lower(), spell.get(p)) for p in pv.uniq]
    g = np.flatnonzero((pv.codes >= 0) & np.array([x is None for x in pv_name] + [False])[pv.codes])
    rows.fault(g, "province", [pv.uniq[c] for c in pv.codes[g]],
               [f"unknown province {pv.uniq[c]!r}" for c in pv.codes[g]])
    region_prov = [of_region.get(r) for r in rg.uniq] + [None]
    written_prov = pv_name + [None]
    width = len(pv.uniq) + 1
    pair_key = (rg.codes + 1) * width + (pv.codes + 1)
    pair_keys = np.flatnonzero(np.bincount(pair_key, minlength=(len(rg.uniq) + 1) * width))
    pairs = list(zip((pair_keys // width - 1).tolist(), (pair_keys % width - 1).tolist(), strict=True))
    for r, p in pairs:
        if r >= 0 and p >= 0 and written_prov[p] and region_prov[r] and written_prov[p] != region_prov[r]:
            g = np.flatnonzero((rg.codes == r) & (pv.codes == p))
            rows.fault(g, "province", [pv.uniq[p]] * len(g),
                       f"province {pv.uniq[p]!r} does not match region {rg.uniq[r]!r} ({region_prov[r]})")
    prov_of_pair = pd.Categorical([
        written_prov[p] if p >= 0 and written_prov[p] else region_prov[r] if r >= 0 else None
        for r, p in pairs
    ])
    pair_province = np.full((len(rg.uniq) + 1) * width, -1, dtype=prov_of_pair.codes.dtype)
    pair_province[pair_keys] = prov_of_pair.codes
    return pd.Categorical.from_codes(pair_province[pair_key], categories=prov_of_pair.categories)


def check_service_models(ok: list[Readable], rows: Rows) -> tuple[np.ndarray, list[str | None]]:
    """(codes, operation type of each code): Chinese names mapped, unknown models faulted."""
    import numpy as np

    from sswanalysis.datapackage.loading import categories

    sm = attribute(ok, "service_model")
    models = list(categories("stations", "operation") or [])
    sm_value = [u if u in models else SERVICE_MODEL_ALIASES.get(u) for u in sm.uniq]
    g = np.flatnonzero((sm.codes >= 0) & np.array([v is None for v in sm_value] + [False])[sm.codes])
    rows.fault(g, "service_model", [sm.uniq[c] for c in sm.codes[g]],
               [f"unknown service model {sm.uniq[c]!r} (allowed: {', '.join(models)}, "
                f"{', '.join(SERVICE_MODEL_ALIASES)})" for c in sm.codes[g]])
    return sm.codes, sm_value


def check_opened(ok: list[Readable], mo: Coded, row_month: np.ndarray, rows: Rows) -> np.ndarray:
    """Opening month ordinal of each row (-1 where empty or bad).

    Faults an opening month that is not a month, and a report month before the station opened.
    """
    import numpy as np

    op = attribute(ok, "opened")
    op_ord = np.array([parse_month(u)[0] if parse_month(u)[0] is not None else -2 for u in op.uniq] + [-1])
    g = np.flatnonzero(op_ord[op.codes] == -2)
    rows.fault(g, "opened", [op.uniq[c] for c in op.codes[g]],
               [f"opening month {op.uniq[c]!r} is not a month (write YYYY-MM)" for c in op.codes[g]])
    opened_row = op_ord[op.codes]
    g = np.flatnonzero((opened_row >= 0) & (row_month >= 0) & (row_month < opened_row))
    rows.fault(g, "month", [mo.uniq[c] for c in mo.codes[g]],
               [f"report month {month_str(row_month[i])} is before the station opened "
                f"({month_str(opened_row[i])})" for i in g])
    return opened_row


def check_synthetic(ok: list[Readable], rows: Rows) -> np.ndarray:
    """Mask of the rows marked synthetic (empty: not synthetic); values not true/false faulted."""
    import numpy as np

    sy = attribute(ok, "synthetic")
    sy_val = np.array([1 if u.lower() in _TRUE else 0 if u.lower() in _FALSE else -2 for u in sy.uniq] + [0])
    g = np.flatnonzero(sy_val[sy.codes] == -2)
    rows.fault(g, "synthetic", [sy.uniq[c] for c in sy.codes[g]],
               [f"{sy.uniq[c]!r} is not true or false" for c in sy.codes[g]])
    return sy_val[sy.codes] == 1


# -- stations and duplicates ------------------------------------------------------------------------


def check_stations(st: Coded, rg: Coded, register: pd.DataFrame | None, rows: Rows) -> None:
    """Fault rows whose station is unknown to ``register``, or filed under another region.

    With a register, a station's region is the register's. Without one it is the region
    of the shipped ``stations`` table, else that of the station's first row.
    """
    valid = (st.codes >= 0) & (rg.codes >= 0)
    if register is not None:
        expect = _regions_by_register(st, register, valid, rows)
        first_loc, shipped = None, {}
    else:
        expect, first_loc, shipped = _regions_by_first_row(st, rg, valid, rows.n)
    _check_station_regions(st, rg, valid, expect, first_loc, shipped, rows)


def _regions_by_register(st: Coded, register: pd.DataFrame, valid: np.ndarray, rows: Rows) -> np.ndarray:
    """Region of each station code from the register (None: unknown station, faulted)."""
    import numpy as np

    by_station = dict(zip(register["station_id"].astype(str), register["region_id"].astype(str), strict=True))
    expect = np.array([by_station.get(s) for s in st.uniq] + [None], dtype=object)
    g = np.flatnonzero(valid & np.array([e is None for e in expect])[st.codes])
    rows.fault(g, "station_id", [st.uniq[c] for c in st.codes[g]],
               [f"unknown station {st.uniq[c]!r} (not in the station register)" for c in st.codes[g]])
    return expect


def _regions_by_first_row(st: Coded, rg: Coded, valid: np.ndarray,
                          n: int) -> tuple[np.ndarray, dict[int, int], dict[str, str]]:
    """(region of each station code, station code -> its first row, the shipped station -> region).

    A station of the shipped table is in its region there; any other in that of its first row.
    """
    import numpy as np

    from sswanalysis.datapackage.loading import load

    shipped = dict(zip(load("stations")["station_id"].astype(str),
                       load("stations")["region_id"].astype(str), strict=True))
    expect = np.array([shipped.get(s) for s in st.uniq] + [None], dtype=object)
    # first row of each station (codes are dense: a scatter-min, no sort or hash)
    first = np.full(len(st.uniq), n, dtype=np.int64)
    valid_g = np.flatnonzero(valid)
    np.minimum.at(first, st.codes[valid_g], valid_g)
    seen = np.flatnonzero(first < n)
    first_loc = dict(zip(seen.tolist(), first[seen].tolist(), strict=True))
    for s, gi in first_loc.items():
        if expect[s] is None:
            expect[s] = rg.uniq[rg.codes[gi]]
    return expect, first_loc, shipped


def _check_station_regions(st: Coded, rg: Coded, valid: np.ndarray, expect: np.ndarray,
                           first_loc: dict[int, int] | None, shipped: dict[str, str], rows: Rows) -> None:
    """Fault rows whose region is not the station's ``expect``-ed one, saying where that comes from."""
    import numpy as np

    rg_index = {r: i for i, r in enumerate(rg.uniq)}
    expect_code = np.array([-1 if e is None else rg_index.get(e, -2) for e in expect], dtype=np.int64)
    exp_row = expect_code[st.codes]
    mismatch = np.flatnonzero(valid & (exp_row != -1) & (exp_row != rg.codes))
    reasons = []
    for gi in mismatch.tolist():
        s = st.codes[gi]
        where = "in the station register"
        if first_loc is not None and s in first_loc and expect[s] == rg.uniq[rg.codes[first_loc[s]]] \
                and st.uniq[s] not in shipped:
            where = f"at {rows.where(first_loc[s])}"
        elif first_loc is not None:
            where = "in the shipped stations table"
        reasons.append(f"station {st.uniq[s]!r} is in region {expect[s]!r} {where}, "
                       f"not {rg.uniq[rg.codes[gi]]!r}")
    rows.fault(mismatch, "region_id", [rg.uniq[rg.codes[gi]] for gi in mismatch.tolist()], reasons)


def find_duplicates(st_codes: np.ndarray, row_month: np.ndarray, n_stations: int) -> pd.DataFrame:
    """Rows (index: global row) whose station-month also appears elsewhere; columns ``s``, ``m``.

    Rows without a station or a month are left out. The pairs are counted with
    ``numpy.bincount`` when stations × months is small, else hashed by pandas.
    """
    import numpy as np
    import pandas as pd

    g = np.flatnonzero((st_codes >= 0) & (row_month >= 0))
    s, m = st_codes[g], row_month[g]
    if len(g) == 0:
        return pd.DataFrame({"s": s, "m": m}, index=g)
    lo = int(m.min())
    span = int(m.max()) - lo + 1
    if n_stations * span <= 4 * len(g) + (1 << 20):
        key = s * span + (m - lo)
        repeated = np.bincount(key, minlength=n_stations * span)[key] > 1
    else:
        repeated = pd.DataFrame({"s": s, "m": m}).duplicated(keep=False).to_numpy()
    return pd.DataFrame({"s": s[repeated], "m": m[repeated]}, index=g[repeated])


def check_duplicates(st: Coded, mo: Coded, row_month: np.ndarray, rows: Rows) -> None:
    """Fault every copy of a repeated station-month; each names (up to 3 of) the others.

    The reader does not guess which copy is right.
    """
    import numpy as np

    dup = find_duplicates(st.codes, row_month, len(st.uniq))
    if not len(dup):
        return
    reasons = {}
    for (s, m), grp in dup.groupby(["s", "m"], sort=False):
        locs = [(gi, rows.where(gi)) for gi in grp.index]
        for gi, _ in locs:
            others = [loc for gj, loc in locs if gj != gi]
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            reasons[gi] = (f"duplicate station-month ({st.uniq[s]}, {month_str(m)}): also at "
                           f"{'; '.join(others[:3])}{more}")
    gs = np.fromiter(reasons, dtype=np.int64)
    rows.fault(gs, "station_id+month", [f"{st.uniq[st.codes[gi]]} {mo.uniq[mo.codes[gi]]}" for gi in gs],
               [reasons[gi] for gi in gs.tolist()])


# -- personal data ---------------------------------------------------------------------------------

#: why a row holding personal data is rejected (Chinese, English): the kinds found fill the {}
PERSONAL_DATA_REASON = ("含个人信息({}),月报不得填写,请删除后只报数量 · personal data ({}) must not be "
                        "in monthly reports — remove it and report counts only")


def check_personal_data(ok: list[Readable], rows: Rows) -> None:
    """Fault every cell, in any template column, that holds personal data.

    Text cells and numeric cells long enough to be a number of
    :data:`sswanalysis.personal_data.KINDS` are searched
    (:func:`~sswanalysis.personal_data.find_in_column`). The fault's value lists the numbers
    masked (``1101**********1232``), never the cell: the rest of the cell may name a person.
    """
    import numpy as np

    from sswanalysis.personal_data import find_in_column, kind_labels

    for f in ok:
        for name, j in f.positions.items():
            hits = find_in_column(f.raw.table.column(j))
            if not hits:
                continue
            rows.fault(f.offset + np.fromiter(hits, dtype=np.int64, count=len(hits)), name,
                       [" ".join(x.masked for x in found) for found in hits.values()],
                       [PERSONAL_DATA_REASON.format(*kind_labels(x.kind for x in found))
                        for found in hits.values()])


# -- all checks, in order -------------------------------------------------------------------------


@dataclass
class RowAttributes:
    """The attributes of every row as codes, as the tables need them."""

    station: Coded
    region: Coded
    row_month: np.ndarray  # month ordinal, -1 where missing or bad
    province: pd.Categorical
    service_model: np.ndarray  # codes over ``service_model_values``
    service_model_values: list[str | None]
    opened: np.ndarray  # month ordinal, -1 where empty or bad
    synthetic: np.ndarray


def check_rows(ok: list[Readable], rows: Rows, spec: dict[str, Column], *, stations: pd.DataFrame | None,
               regions: Any, min_ord: int, max_ord: int) -> tuple[Figures, RowAttributes]:
    """Run every row check in order; faults go to ``rows``. The order sets the order of a row's faults."""
    figures = read_indicator_cells(ok, rows, spec)
    reconcile_twin_columns(figures, rows)

    st = required_column(ok, "station_id", spec, rows)
    rg = required_column(ok, "region_id", spec, rows)
    mo = required_column(ok, "month", spec, rows)
    spell, of_region = _province_lookup()
    check_regions(rg, set(regions) if regions is not None else set(of_region), rows)
    row_month = check_months(mo, min_ord, max_ord, rows)
    province = check_provinces(ok, rg, spell, of_region, rows)
    sm_codes, sm_value = check_service_models(ok, rows)
    opened = check_opened(ok, mo, row_month, rows)
    synthetic = check_synthetic(ok, rows)
    check_stations(st, rg, stations, rows)
    check_duplicates(st, mo, row_month, rows)
    check_personal_data(ok, rows)
    return figures, RowAttributes(st, rg, row_month, province, sm_codes, sm_value, opened, synthetic)

"""Checks of the station-month report reader: every fault of every row, found and named.

This is the judging half of :func:`sswanalysis.monthly.ingest.read`. :func:`check_files`
judges each file as a whole (readable, the template's columns; example rows skipped) and
:func:`drop_twin_files` reads a report saved as both CSV and .xlsx once. Its output is the
readable files (:class:`Readable`); :func:`check_rows` then runs the row checks in order:

1. :mod:`~sswanalysis.monthly.cells` — every indicator cell to a number, exactly or not at
   all, then the 元 and 万元 columns of one indicator reconciled;
2. :mod:`~sswanalysis.monthly.attributes` — station, region and month must be filled;
   station ids without control characters (:func:`check_station_ids`); regions by id,
   name or code; months real; provinces, service models, opening months, the synthetic
   flag; each station in one region; every copy of a repeated station-month rejected;
3. warnings, which leave a row accepted: look-alike station ids, more persons than
   person-times (:func:`check_persons_within_times`).
4. :func:`check_personal_data` — no cell may hold an identity, phone or bank card number
   or an e-mail address (:mod:`sswanalysis.personal_data`); the fault shows it masked.

Faults reject their row (``Rows.fault``); warnings go to the notes (``Rows.warn``). A
new row check is one function taking the coded columns and ``rows``, called in
:func:`check_rows`. The rows of all readable files are numbered ``0 .. n-1`` in file
order; that number is the "global row" ``g`` used throughout.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from sswanalysis.monthly.attributes import (
    Coded,
    check_months,
    check_opened,
    check_provinces,
    check_regions,
    check_service_models,
    check_synthetic,
    province_lookup,
    region_aliases,
    required_column,
)
from sswanalysis.monthly.cells import Figures, read_indicator_cells, reconcile_twin_columns
from sswanalysis.monthly.identity import check_duplicates, check_stations

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from sswanalysis.monthly.readers import RawFile
    from sswanalysis.monthly.template import Column

#: Station ids starting with one of these (after NFKC, case-insensitive) mark example rows,
#: as the template's examples do: skipped and reported, never read as data.
EXAMPLE_ID_PREFIXES = ("示例", "example", "syn-example")
_EXAMPLE_ID = "^(?:" + "|".join(re.escape(p) for p in EXAMPLE_ID_PREFIXES) + ")"


class Readable(NamedTuple):
    """A file that passed the file checks: its rows are ``offset .. offset + len(raw.rows) - 1``."""

    index: int  # position among all files
    raw: RawFile
    positions: dict[str, int]  # template column name -> column position in ``raw.table``
    offset: int


# -- faults -------------------------------------------------------------------------------


class Faults:
    """Faults (or notes) collected as small frames: global row index ``g`` (or -1), file, row,
    column, value, reason."""

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
    """The data rows of the readable files, by global row: where each is from, and which are bad.

    ``faults`` reject a row; ``notes`` are warnings (judgement calls such as look-alike
    station ids) that leave it accepted.
    """

    file_idx: np.ndarray  # file index of each row
    row_no: np.ndarray  # row number in its file (as a spreadsheet shows it)
    names: np.ndarray  # file names, by file index
    bad: np.ndarray  # rows with at least one fault
    faults: Faults
    notes: Faults = field(default_factory=Faults)

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

    def warn(self, g: Any, column: str, values: Any, notes: Any) -> None:
        """Record a warning on each row ``g`` in ``column``; the rows stay as they are."""
        import numpy as np

        g = np.asarray(g, dtype=np.int64)
        if len(g):
            self.notes.add(g, self.names[self.file_idx[g]], self.row_no[g], column, values, notes)

    def where(self, g: int) -> str:
        """``<file> row <n>`` of global row ``g``."""
        return f"{self.names[self.file_idx[g]]} row {self.row_no[g]}"


def number_rows(ok: list[Readable], n: int, raws: list[RawFile], pre_bad: list[int], faults: Faults,
                notes: Faults) -> Rows:
    """:class:`Rows` of the readable files; ``pre_bad`` rows were faulted while reading."""
    import numpy as np

    file_idx = np.zeros(n, dtype=np.int32)
    # 32 bits: the long table repeats the row number once per figure, and no sheet or
    # readable text file comes near 2**31 rows; one that did is refused, not wrapped
    row_no = np.zeros(n, dtype=np.int32)
    for f in ok:
        if len(f.raw.rows) and f.raw.rows.max() > np.iinfo(np.int32).max:
            raise ValueError(f"{f.raw.name}: more than {np.iinfo(np.int32).max:,} rows; split the file")
        file_idx[f.offset:f.offset + len(f.raw.rows)] = f.index
        row_no[f.offset:f.offset + len(f.raw.rows)] = f.raw.rows
    names = np.array([raw.name for raw in raws], dtype=object)
    bad = np.zeros(n, dtype=bool)
    bad[np.asarray(pre_bad, dtype=np.int64)] = True
    return Rows(file_idx, row_no, names, bad, faults, notes)


# -- file checks ------------------------------------------------------------------------------


def check_headers(raw: RawFile, hmap: dict[str, str], spec: dict[str, Column],
                  normalise: Any) -> tuple[list[tuple[str | None, str]], dict[str, int]]:
    """(faults of the whole file as (column, reason), template column name -> position).

    A file is rejected whole when it could not be read, has a column the template does
    not know, names one template column twice, or lacks a required column. Unknown
    columns are listed in one fault.
    """
    faults: list[tuple[str | None, str]] = []
    if raw.fault:
        faults.append((None, raw.fault))
        return faults, {}
    positions: dict[str, int] = {}
    unknown = []
    for j, h in enumerate(raw.headers):
        canon = hmap.get(normalise(h))
        if canon is None:
            unknown.append(h)
        elif canon in positions:
            faults.append((h, f"column {h!r} names {canon}, as does column "
                              f"{raw.headers[positions[canon]]!r}; whole file rejected"))
        else:
            positions[canon] = j
    if unknown:
        shown = ", ".join(repr(h[:40]) for h in unknown[:8]) + (f" and {len(unknown) - 8} more"
                                                               if len(unknown) > 8 else "")
        what = f"column {shown} is" if len(unknown) == 1 else f"columns {shown} are"
        faults.append((unknown[0] if len(unknown) == 1 else None,
                       f"{what} not in the template (see 'sswanalysis template'; rename or delete "
                       f"{'it' if len(unknown) == 1 else 'them'}); whole file rejected"))
    for c in spec.values():
        if c.required and c.name not in positions:
            faults.append((c.name, f"required column {c.name} ({c.header_zh}) is missing; "
                                   "whole file rejected"))
    return faults, positions


def _example_mask(raw: RawFile, pos: int) -> np.ndarray | None:
    """Rows whose station id marks them as examples (:data:`EXAMPLE_ID_PREFIXES`); None if none is."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    col = raw.table.column(pos)
    if pa.types.is_dictionary(col.type):  # judge each distinct id once, then spread by the indices
        col = col.unify_dictionaries().combine_chunks() if col.num_chunks else pa.array([], pa.string())
    elif not pa.types.is_string(col.type):
        col = pc.cast(col, pa.string())
    values = col.dictionary if pa.types.is_dictionary(col.type) else col
    text = pc.fill_null(values, "")
    if not pc.all(pc.string_is_ascii(text)).as_py():  # NFKC leaves ASCII as it is, and costs
        text = pc.utf8_normalize(text, "NFKC")
    text = pc.utf8_lower(pc.utf8_trim_whitespace(text))
    mask = pc.match_substring_regex(text, _EXAMPLE_ID)
    mask = np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)
    if not mask.any():  # the usual file: no distinct id is an example, so no row is
        return None
    if pa.types.is_dictionary(col.type):
        mask = np.append(mask, False)[pc.fill_null(col.indices, -1).to_numpy(zero_copy_only=False)]
    return mask


def skip_examples(raw: RawFile, positions: dict[str, int]) -> list[int]:
    """Drop the example rows of ``raw`` (their row numbers returned)."""
    import numpy as np

    if raw.table is None or "station_id" not in positions or raw.table.num_rows == 0:
        return []
    mask = _example_mask(raw, positions["station_id"])
    if mask is None:
        return []
    examples = raw.rows[mask].tolist()
    keep = np.flatnonzero(~mask)
    raw.table = raw.table.take(keep)
    raw.rows = raw.rows[keep]
    raw.row_faults = [f for f in raw.row_faults if f[0] not in set(examples)]
    return examples


def _same_rows(a: RawFile, b: RawFile, normalise: Any) -> bool:
    """Do two readable files hold the same header and the same cells (compared as text)?"""
    import pyarrow as pa
    import pyarrow.compute as pc

    if [normalise(h) for h in a.headers] != [normalise(h) for h in b.headers] \
            or a.table is None or b.table is None or a.table.num_rows != b.table.num_rows:
        return False

    def text(col: Any) -> Any:
        if pa.types.is_dictionary(col.type):
            col = col.cast(pa.string())
        return pc.utf8_trim_whitespace(pc.cast(col, pa.string()))

    return all(text(x).equals(text(y)) for x, y in zip(a.table.columns, b.table.columns, strict=True))


def drop_twin_files(raws: list[RawFile], normalise: Any) -> tuple[list[RawFile], list[tuple[str, str]]]:
    """(files to check, (file, note) of those left out): of a CSV and an .xlsx with the same
    name in one folder holding the same rows (as the template folder does), only the first
    is read; the other would reject every row as a duplicate of itself."""
    keep: list[RawFile] = []
    dropped: list[tuple[str, str]] = []
    first: dict[tuple[Any, str], RawFile] = {}
    for raw in raws:
        key = (raw.path.parent, raw.path.stem)
        twin = first.get(key)
        if twin is not None and twin.format != raw.format and raw.fault is None and twin.fault is None \
                and _same_rows(twin, raw, normalise):
            dropped.append((raw.name, f"holds the same rows as {twin.name} (one report saved as "
                                      f"{twin.format} and {raw.format}); read once, from {twin.name}"))
            continue
        first.setdefault(key, raw)
        keep.append(raw)
    return keep, dropped


def check_files(raws: list[RawFile], hmap: dict[str, str], spec: dict[str, Column],
                normalise: Any, faults: Faults,
                notes: Faults) -> tuple[list[dict[str, Any]], list[Readable], list[int]]:
    """(per-file counts, the readable files, global rows faulted while reading).

    A file that fails :func:`check_headers` is rejected whole: each of its rows gets each
    file fault. The rows of the other files are numbered on (global rows); a fault found
    while reading a row (ragged, a formula without a saved result) is a fault of that row
    only. Example rows are dropped (:func:`skip_examples`) and noted.
    """
    import numpy as np

    file_rows: list[dict[str, Any]] = []
    ok: list[Readable] = []
    pre_bad: list[int] = []
    offset = 0
    for fi, raw in enumerate(raws):
        name = raw.name
        for note in raw.notes:
            notes.add(-1, name, -1, None, None, note)
        fault_list, positions = check_headers(raw, hmap, spec, normalise)
        examples = [] if fault_list else skip_examples(raw, positions)
        if examples:
            notes.add(-1, name, -1, "station_id", None,
                      f"{len(examples)} example row(s) skipped (station id starting 示例/EXAMPLE/"
                      f"SYN-EXAMPLE): row(s) {', '.join(map(str, examples[:10]))}"
                      + (" …" if len(examples) > 10 else ""))
        info = {"file": name, "format": raw.format, "encoding": raw.encoding or "",
                "rows_in": len(raw.rows) + len(raw.fault_rows), "fault": raw.fault or "",
                "examples": len(examples)}
        file_rows.append(info)
        if fault_list:
            info["fault"] = "; ".join(r for _, r in fault_list)
            info["rejected"] = _reject_file(raw, name, fault_list, faults)
            continue
        for row, column, value, reason in raw.row_faults:
            g = offset + int(np.searchsorted(raw.rows, row))
            faults.add(g, name, row, column, value, reason)
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
    for row, column, value, reason in raw.row_faults:
        faults.add(-1, name, row, column, value, reason)
    return len(rows)


# -- judgement calls: warnings, not faults ------------------------------------------------------


def check_station_ids(st: Coded, rows: Rows) -> None:
    """Fault station ids holding control or invisible characters (NUL, zero-width space);
    warn on ids with letters of another script that look Latin (Cyrillic ``Ѕ1`` beside ``S1``)."""
    import numpy as np

    from sswanalysis.monthly.confusables import look_alikes

    # judged once per distinct character, then each id tested against the few found
    invisible = {ch for ch in set("".join(st.uniq)) if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs")}
    hidden = np.array([bool(invisible) and not invisible.isdisjoint(s) for s in st.uniq] + [False])
    g = np.flatnonzero(hidden[st.codes])
    rows.fault(g, "station_id", [repr(st.uniq[c]) for c in st.codes[g]],
               [f"station id {st.uniq[c]!r} holds a control or invisible character; retype it"
                for c in st.codes[g]])
    warnings = look_alikes(st.uniq)
    if warnings:
        flagged = np.array([i in warnings for i in range(len(st.uniq))] + [False])
        g = np.flatnonzero(flagged[st.codes] & ~rows.bad)
        rows.warn(g, "station_id", [st.uniq[c] for c in st.codes[g]], [warnings[c] for c in st.codes[g]])


def check_persons_within_times(fig: Figures, rows: Rows) -> None:
    """Warn where an indicator's persons (人) exceed its person-times (人次) in the same row:
    each person served counts at least one person-time. A warning, since a report may count
    the two over different spans."""
    import numpy as np

    for j, c in enumerate(fig.columns):
        if c.unit != "persons":
            continue
        for k, d in enumerate(fig.columns):
            if d.indicator == c.indicator and d.unit == "person_times":
                over = np.flatnonzero(~rows.bad & (fig.value[:, j] > fig.value[:, k]))
                rows.warn(over, f"{c.name}+{d.name}",
                          [f"{fig.value[g, j]:g} 人 / {fig.value[g, k]:g} 人次" for g in over],
                          f"{c.name} ({c.header_zh}) is more than {d.name} ({d.header_zh}); every "
                          "person served counts at least one person-time: check the two columns")


# -- personal data ---------------------------------------------------------------------------------

#: why a row holding personal data is rejected (Chinese, English): the kinds found fill the {}
PERSONAL_DATA_REASON = ("含个人信息({}),月报不得填写,请删除后只报数量 · personal data ({}) must not be "
                        "in monthly reports — remove it and report counts only")


class ColumnRun(NamedTuple):
    """Consecutive readable files whose column ``name`` has one Arrow type, or which all lack it.

    Their rows are the global rows ``start .. stop - 1``; ``cells`` is their column as one
    chunked array (``None`` where they lack it), so that a column is searched once per run,
    not once per file.
    """

    start: int
    stop: int
    cells: Any


def column_runs(ok: list[Readable], name: str) -> list[ColumnRun]:
    """Template column ``name`` over the readable files ``ok``, in as few runs as the types allow.

    The rows of the files in ``ok`` are numbered on from file to file (``Readable.offset``),
    so a run covers a contiguous block of global rows.
    """
    import pyarrow as pa

    runs: list[ColumnRun] = []
    chunks: list[Any] = []
    kind: Any = None  # the run's Arrow type; None: the files lack the column
    start = stop = 0
    for f in ok:
        col = f.raw.table.column(f.positions[name]) if name in f.positions else None
        t = None if col is None else col.type
        same = t is None if kind is None else t is not None and t.equals(kind)
        if stop > start and not same:
            runs.append(ColumnRun(start, stop, None if kind is None else pa.chunked_array(chunks, kind)))
            start, chunks = stop, []
        kind = t
        stop = f.offset + len(f.raw.rows)
        if col is not None:
            chunks += col.chunks
    if stop > start:
        runs.append(ColumnRun(start, stop, None if kind is None else pa.chunked_array(chunks, kind)))
    return runs


def check_personal_data(ok: list[Readable], rows: Rows) -> None:
    """Fault every cell, in any template column, that holds personal data.

    Text cells and numeric cells long enough to be a number of
    :data:`sswanalysis.personal_data.KINDS` are searched
    (:func:`~sswanalysis.personal_data.find_in_column`), a column once for all files that
    store it alike (:func:`column_runs`). The fault's value
    lists the numbers masked (``1101**********1232``), never the cell: the rest of the cell
    may name a person. Faults are recorded file by file, in each file's column order.
    """
    import numpy as np

    from sswanalysis.personal_data import find_in_column, kind_labels

    found_in: dict[str, tuple[np.ndarray, list[Any]]] = {}  # column -> (global rows, findings)
    for name in dict.fromkeys(name for f in ok for name in f.positions):
        hits = {run.start + p: found for run in column_runs(ok, name) if run.cells is not None
                for p, found in find_in_column(run.cells).items()}
        if hits:
            found_in[name] = (np.fromiter(hits, dtype=np.int64, count=len(hits)), list(hits.values()))
    for f in ok:
        for name in f.positions:
            if name not in found_in:
                continue
            g, findings = found_in[name]
            lo, hi = np.searchsorted(g, [f.offset, f.offset + len(f.raw.rows)])
            if lo == hi:
                continue
            rows.fault(g[lo:hi], name, [" ".join(x.masked for x in found) for found in findings[lo:hi]],
                       [PERSONAL_DATA_REASON.format(*kind_labels(x.kind for x in found))
                        for found in findings[lo:hi]])


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
    check_station_ids(st, rows)
    spell, of_region = province_lookup()
    rg = check_regions(rg, region_aliases(regions), rows)
    row_month = check_months(mo, min_ord, max_ord, rows)
    province = check_provinces(ok, rg, spell, of_region, rows)
    sm_codes, sm_value = check_service_models(ok, rows)
    opened = check_opened(ok, mo, row_month, rows)
    synthetic = check_synthetic(ok, rows)
    check_stations(st, rg, stations, rows)
    check_duplicates(st, mo, row_month, rows)
    check_persons_within_times(figures, rows)
    check_personal_data(ok, rows)
    return figures, RowAttributes(st, rg, row_month, province, sm_codes, sm_value, opened, synthetic)

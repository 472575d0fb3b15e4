"""Station-month reports: read many files, validate every cell, and lose nothing.

:func:`read` turns report files (the template of :mod:`sswanalysis.template`, as CSV in
UTF-8 or GBK, .xlsx or Parquet) into

* ``accepted`` — the tidy long table of the case studies (``region_id, station_id,
  indicator, method, value, value_high, qualifier, unit, unit_zh, period``…) with
  ``period == "month"``, a ``month`` column (``period[M]``), ``province``, ``source_id``,
  ``synthetic`` and provenance (``file``, ``row``): one row per filled indicator cell;
* ``rejects`` — one row per fault: ``file, row, column, value, reason``.

**Row rule.** Any fault in an input row rejects the whole row, and every fault of that
row is listed. A fault of the whole file (unreadable, empty, a missing required column,
an unknown column) rejects all its rows, each listed with that reason. So
``rows_in == rows_accepted + rows_rejected`` always, counted in input rows (blank rows
are not data rows and are counted apart).

**Duplicates.** When the same station-month appears more than once (in one file or
across files), every copy is rejected and each names the others: the reader does not
guess which copy is right.

**Numbers.** Plain numbers (also full-width ``１２００``) are read column-wise; any other
cell goes through :func:`sswanalysis.quantities.parse`, so ``1200余`` is 1200 with
qualifier ``at_least``, ``约3万`` is 30000 ``approx``, ``3-5`` a range. A measure word in a
cell must fit its column (``12人次`` in a persons column is a fault). Counts must be whole
and no figure may be negative. In a 万元 column a bare number is multiplied by 10,000; a
cell that writes its own 万/亿/元 is taken as written. If a 元 and a 万元 column of the
same indicator are both filled they must agree to the precision of the 万元 figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sswanalysis.reportfiles import RawFile, expand, read_file
from sswanalysis.reporttable import REJECT_COLUMNS as REJECT_COLUMNS  # re-exported
from sswanalysis.reporttable import SYNTHETIC_SOURCE_ID as SYNTHETIC_SOURCE_ID
from sswanalysis.reporttable import long_table, rejects_frame, totals
from sswanalysis.template import WAN, columns, fractional_units, header_map, normalise_header

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

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
DEFAULT_SOURCE_ID = "station-reports"


@dataclass
class ReadResult:
    """What :func:`read` returns: the accepted tidy table, the rejects, and the counts."""

    accepted: pd.DataFrame
    rejects: pd.DataFrame
    stations: pd.DataFrame
    files: pd.DataFrame
    rows_in: int
    rows_accepted: int
    rows_rejected: int
    blank_rows: int

    def summary(self) -> str:
        """A readable summary; the last line is ``rows_in=<n> accepted=<a> rejected=<r>``."""
        lines = [f"{len(self.files)} file(s), {self.rows_in} data row(s)"
                 + (f", {self.blank_rows} blank row(s) skipped" if self.blank_rows else "")]
        for f in self.files.itertuples(index=False):
            line = f"  {f.file}: {f.rows_in} in, {f.accepted} accepted, {f.rejected} rejected"
            if isinstance(f.fault, str) and f.fault:
                line += f"  [{f.fault}]"
            lines.append(line)
        if len(self.rejects):
            lines.append("faults by reason:")
            kinds = self.rejects["reason"].str.replace(r"'[^']*'|\([^)]*\)|[0-9]+", "…", regex=True)
            for reason, n in kinds.value_counts().head(15).items():
                lines.append(f"  {n:>8}  {reason}")
            lines.append("first faults:")
            for r in self.rejects.head(10).itertuples(index=False):
                where = r.file + ("" if r.row is None or r.row != r.row else f", row {r.row}")
                where += f", column {r.column}" if isinstance(r.column, str) and r.column else ""
                lines.append(f"  {where}: {r.reason}")
        lines.append(f"rows_in={self.rows_in} accepted={self.rows_accepted} rejected={self.rows_rejected}")
        return "\n".join(lines)


# -- cell conversion ------------------------------------------------------------------


def _qualifiers() -> list[str]:
    from sswanalysis.datasets import categories

    return list(categories("indicators", "qualifier") or [])


def _unit_words() -> dict[str, set[str]]:
    from sswanalysis.datasets import load
    from sswanalysis.template import _unit_words as words

    return words(load("units"))


class _Faults:
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


def _convert(arr: Any, col: Any, words: dict[str, set[str]], quals: list[str]) -> dict[str, Any]:
    """Convert one indicator column of one file; faults as (positions, values, reasons)."""
    import numpy as np
    import pyarrow as pa

    values, other, text = _plain_numbers(arr)
    integral = pa.types.is_integer(arr.type)
    n = len(values)
    idx = np.flatnonzero(other)
    # value_high and qualifier exist only when some cell is not a plain number
    high = np.full(n, np.nan) if len(idx) else None
    qual = np.zeros(n, dtype=np.int8) if len(idx) else None  # quals[0] == "exact"
    bad_pos: list[int] = []
    bad_val: list[str] = []
    bad_reason: list[str] = []
    written_unit: dict[int, str] = {}
    if len(idx):
        from sswanalysis.quantities import parse

        raw_cells = text.take(idx).to_pylist()
        allowed = words.get(col.unit, set())
        for i, cell in zip(idx.tolist(), raw_cells, strict=True):
            try:
                q = parse(cell)
            except ValueError as exc:
                bad_pos.append(i)
                bad_val.append(cell)
                bad_reason.append(f"not a figure: {exc}")
                continue
            if q.unit is not None and q.unit not in allowed:
                bad_pos.append(i)
                bad_val.append(cell)
                bad_reason.append(f"written in {q.unit} but the column counts {col.unit} "
                                  f"({', '.join(sorted(allowed))})")
                continue
            v, h = q.value, q.value_high
            if col.scale != 1 and not re.search("[万亿元]", cell):
                v = v * col.scale
                h = None if h is None else h * col.scale
            values[i] = v
            high[i] = np.nan if h is None else h
            qual[i] = quals.index(q.qualifier)
            if q.unit is not None:
                written_unit[i] = q.unit
    if col.scale != 1 and n:
        plain_mask = ~other & ~np.isnan(values)
        values[plain_mask] *= col.scale
    faulted = np.zeros(n, dtype=bool)
    faulted[bad_pos] = True
    checks = [(values < 0, "is negative; figures are counts or amounts and cannot be below 0")]
    if len(idx):
        checks = [((values < 0) | (high < 0), checks[0][1]),
                  (~np.isnan(high) & (high < values), "range whose high end is below its low end")]
    for mask, reason in checks:
        if bad_pos:
            mask &= ~faulted
        pos = np.flatnonzero(mask)
        if len(pos):
            bad_pos += pos.tolist()
            bad_val += _shown(arr, pos)
            bad_reason += [reason] * len(pos)
            faulted[pos] = True
    if col.unit not in fractional_units() and not (integral and col.scale == 1 and not len(idx)):
        frac = ~faulted & ~np.isnan(values) & (values % 1 != 0)
        if high is not None:
            frac |= ~faulted & ~np.isnan(high) & (high % 1 != 0)
        pos = np.flatnonzero(frac)
        if len(pos):
            bad_pos += pos.tolist()
            bad_val += _shown(arr, pos)
            bad_reason += [f"is not a whole number of {col.unit}"] * len(pos)
            faulted[pos] = True
    return {"value": values, "high": high, "qual": qual, "bad": (bad_pos, bad_val, bad_reason),
            "faulted": faulted, "written_unit": written_unit}


def _shown(arr: Any, pos: np.ndarray) -> list[str]:
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = pc.cast(arr, pa.string()) if not pa.types.is_string(arr.type) else arr
    return [str(v) for v in cells.take(pos).to_pylist()]


# -- attribute parsing (done once per distinct value) ---------------------------------

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


def _month_str(ordinal: int) -> str:
    return f"{ordinal // 12:04d}-{ordinal % 12 + 1:02d}"


def _uniques(arr: Any) -> tuple[np.ndarray, list[str]]:
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
    return remap[codes], uniq


def _province_lookup() -> tuple[dict[str, str], dict[str, str]]:
    """(spelling -> province name_zh, region_id -> province name_zh)."""
    from sswanalysis.datasets import load
    from sswanalysis.template import provinces

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


# -- the reader -------------------------------------------------------------------------


def read(
    paths: str | Path | Iterable[str | Path],
    *,
    stations: pd.DataFrame | None = None,
    regions: Iterable[str] | None = None,
    max_month: str | None = None,
    min_month: str = "2000-01",
    source_id: str = DEFAULT_SOURCE_ID,
    progress: bool | None = None,
) -> ReadResult:
    """Read, validate and tidy station-month report files.

    Parameters
    ----------
    paths : path or iterable of paths
        Files (.csv, .xlsx, .parquet) or folders (all report files in them, sorted).
    stations : DataFrame, optional
        A station register with columns ``station_id`` and ``region_id``. When given, a
        station not in it, or filed under another region, is a fault. Default: the
        shipped ``stations`` table, and for other stations the region of their first row.
    regions : iterable of str, optional
        The known region ids. Default: the shipped ``regions`` table plus the province ids
        of ``templates/provinces.csv``.
    max_month : str, optional
        Latest month a report may cover (``YYYY-MM``). Default: the current month.
    min_month : str
        Earliest month a report may cover.
    source_id : str
        ``source_id`` of the accepted rows; rows marked synthetic get ``"synthetic"``.
    progress : bool, optional
        Show a progress bar over files on stderr. Default: when reading 5 or more files
        and stderr is a terminal.

    Returns
    -------
    ReadResult
        ``accepted``, ``rejects``, ``stations`` (one row per accepted station: its
        attributes as last reported), ``files`` (per-file counts) and the row counts.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
    >>> _ = f.write_text("站点编号,地区代码,月份,服务人数(人),服务人次\\n"
    ...                  "s1,linze,2023-01,1200余,３００\\n"
    ...                  "s1,linze,2023-02,-5,\\n", encoding="utf-8")
    >>> res = read(f, max_month="2023-12")
    >>> res.accepted[["indicator", "value", "qualifier", "unit"]].values.tolist()
    [['people_served', 1200.0, 'at_least', 'persons'], ['people_served', 300.0, 'exact', 'person_times']]
    >>> res.rejects[["row", "column"]].values.tolist(), res.rejects["reason"].item()[:14]
    ([[3, 'people_served_persons']], 'is negative; f')
    >>> res.rows_in, res.rows_accepted, res.rows_rejected
    (2, 1, 1)
    """
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np
    from tqdm.auto import tqdm

    files = expand(paths)
    hmap = header_map()
    spec = {c.name: c for c in columns()}
    ind_headers = {h for h, name in hmap.items() if spec[name].kind == "indicator"}
    words = _unit_words()
    quals = _qualifiers()
    now = dt.date.today()
    max_ord = parse_month(max_month)[0] if max_month else now.year * 12 + now.month - 1
    min_ord = parse_month(min_month)[0]
    if max_ord is None or min_ord is None:
        raise ValueError(f"max_month and min_month must be YYYY-MM, not {max_month!r}, {min_month!r}")

    faults = _Faults()
    file_rows: list[dict[str, Any]] = []
    ok: list[tuple[int, RawFile, dict[str, int]]] = []  # file index, raw, name -> column position
    show = progress if progress is not None else (len(files) >= 5 and sys.stderr.isatty())
    rows_in = blank = 0
    offset = 0
    offsets: list[int] = []
    pre_bad: list[int] = []  # rows faulted while reading (ragged rows)
    # Files are parsed on a few threads (pyarrow releases the GIL), each single-threaded;
    # they are taken in order, so the result does not depend on which finishes first.
    workers = min(len(files), _cpus())
    pool = ThreadPoolExecutor(workers) if workers > 1 else None
    if pool is not None:
        raws = pool.map(lambda p: read_file(p, ind_headers, normalise_header, use_threads=False), files)
    else:
        raws = (read_file(p, ind_headers, normalise_header) for p in files)
    try:
        read_files = list(tqdm(zip(files, raws, strict=True), total=len(files), desc="reading reports",
                               unit="file", disable=not show, file=sys.stderr))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    for fi, (path, raw) in enumerate(read_files):
        name = str(path)
        blank += raw.blank_rows
        info = {"file": name, "format": raw.format, "encoding": raw.encoding or "",
                "rows_in": len(raw.rows) + len(raw.fault_rows), "fault": raw.fault or ""}
        file_rows.append(info)
        rows_in += info["rows_in"]
        fault_list: list[tuple[str | None, str]] = []
        if raw.fault:
            fault_list.append((None, raw.fault))
        positions: dict[str, int] = {}
        if raw.fault is None:
            for j, h in enumerate(raw.headers):
                canon = hmap.get(normalise_header(h))
                if canon is None:
                    fault_list.append((h, f"column {h!r} is not in the template (see "
                                          "'sswanalysis template'); whole file rejected"))
                elif canon in positions:
                    fault_list.append((h, f"column {h!r} names {canon}, as does column "
                                          f"{raw.headers[positions[canon]]!r}; whole file rejected"))
                else:
                    positions[canon] = j
            for c in spec.values():
                if c.required and c.name not in positions:
                    fault_list.append((c.name, f"required column {c.name} ({c.header_zh}) is missing; "
                                               "whole file rejected"))
        if fault_list:
            info["fault"] = "; ".join(r for _, r in fault_list)
            rows = np.concatenate([raw.rows, raw.fault_rows])
            if len(rows) == 0:
                for column, reason in fault_list:
                    faults.add(-1, name, -1, column, None, reason)
            for column, reason in fault_list:
                faults.add(np.full(len(rows), -1), name, rows, column, None, reason)
            for row, reason in raw.row_faults:
                faults.add(-1, name, row, None, None, reason)
            info["rejected"] = len(rows)
            offsets.append(-1)
            continue
        for row, reason in raw.row_faults:
            g = offset + int(np.searchsorted(raw.rows, row))
            faults.add(g, name, row, None, None, reason)
            pre_bad.append(g)
        ok.append((fi, raw, positions))
        offsets.append(offset)
        offset += len(raw.rows)

    n = offset
    accepted, stations_out, rejected_g = _validate(
        ok, offsets, n, spec, words, quals, faults, stations, regions, min_ord, max_ord, source_id, files,
        pre_bad,
    )
    rejects = rejects_frame(faults, files)
    per_file_rejected = np.zeros(len(files), dtype=np.int64)
    file_of_g = np.zeros(n, dtype=np.int64)
    for fi, raw, _ in ok:
        file_of_g[offsets[fi]:offsets[fi] + len(raw.rows)] = fi
    np.add.at(per_file_rejected, file_of_g[rejected_g], 1)
    for fi, info in enumerate(file_rows):
        if "rejected" not in info:
            info["rejected"] = int(per_file_rejected[fi])
        info["accepted"] = info["rows_in"] - info["rejected"]
    import pandas as pd

    files_frame = pd.DataFrame(file_rows, columns=["file", "format", "encoding", "rows_in", "accepted",
                                                   "rejected", "fault"])
    rows_rejected = int(files_frame["rejected"].sum())
    rows_accepted = n - len(rejected_g)
    assert rows_in == rows_accepted + rows_rejected, (rows_in, rows_accepted, rows_rejected)
    return ReadResult(accepted, rejects, stations_out, files_frame, rows_in, rows_accepted,
                      rows_rejected, blank)


def _cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _concat_column(ok: list, name: str, n: int) -> Any:
    """One attribute column over all readable files (null where absent), dictionary-encoded.

    CSV files are read with their attribute columns already dictionary-encoded; other
    chunks are encoded here, chunk by chunk. The chunks keep their own dictionaries
    (:func:`_uniques` unifies them).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    dict_type = pa.dictionary(pa.int32(), pa.string())
    chunks = []
    for _, raw, positions in ok:
        if name in positions:
            col = raw.table.column(positions[name])
            if col.type != dict_type:
                if pa.types.is_dictionary(col.type):
                    col = col.cast(pa.string())
                elif not pa.types.is_string(col.type):
                    col = col.cast(pa.string())
                col = pa.chunked_array([pc.dictionary_encode(c) for c in col.chunks], dict_type)
            chunks += col.chunks
        else:
            chunks.append(pa.DictionaryArray.from_arrays(pa.nulls(len(raw.rows), pa.int32()),
                                                         pa.array([], pa.string())))
    return pa.chunked_array(chunks, type=dict_type)


def _validate(ok, offsets, n, spec, words, quals, faults: _Faults, stations, regions,
              min_ord, max_ord, source_id, files, pre_bad):
    import numpy as np
    import pandas as pd

    from sswanalysis.datasets import categories, load

    file_idx = np.zeros(n, dtype=np.int32)
    row_no = np.zeros(n, dtype=np.int64)
    for fi, raw, _ in ok:
        file_idx[offsets[fi]:offsets[fi] + len(raw.rows)] = fi
        row_no[offsets[fi]:offsets[fi] + len(raw.rows)] = raw.rows
    names = np.array([str(p) for p in files], dtype=object)
    bad = np.zeros(n, dtype=bool)
    bad[np.asarray(pre_bad, dtype=np.int64)] = True

    def fault(g: np.ndarray, column: str, values: Any, reasons: Any) -> None:
        g = np.asarray(g, dtype=np.int64)
        if len(g) == 0:
            return
        bad[g] = True
        faults.add(g, names[file_idx[g]], row_no[g], column, values, reasons)

    # -- indicator cells, per file and column
    ind_cols = [c for c in spec.values() if c.kind == "indicator"
                and any(c.name in pos for _, _, pos in ok)]
    k = len(ind_cols)
    # Row-major (n, k) matrices, so the long table (row by row, column by column) is a
    # boolean selection of them. H (value_high) and Q (qualifier codes) are made only when
    # some cell is not a plain number.
    V = np.empty((n, k))  # every cell is written below: rows are those of the files in ``ok``
    H: np.ndarray | None = None
    Q: np.ndarray | None = None
    wan_unit_cells: dict[tuple[int, int], str] = {}
    for fi, raw, positions in ok:
        o = offsets[fi]
        for j, c in enumerate(ind_cols):
            if c.name not in positions:
                V[o:o + len(raw.rows), j] = np.nan
                continue
            res = _convert(raw.table.column(positions[c.name]), c, words, quals)
            m = len(raw.rows)
            V[o:o + m, j] = res["value"]
            if res["high"] is not None:
                if H is None:
                    H = np.full((n, k), np.nan)
                H[o:o + m, j] = res["high"]
            if res["qual"] is not None and res["qual"].any():
                if Q is None:
                    Q = np.zeros((n, k), dtype=np.int8)
                Q[o:o + m, j] = res["qual"]
            pos, vals, reasons = res["bad"]
            if pos:
                fault(o + np.asarray(pos), c.name, vals, reasons)
            if c.scale != 1:
                for i in np.flatnonzero(~np.isnan(res["value"])).tolist():
                    cell = raw.table.column(positions[c.name])[i].as_py()
                    wan_unit_cells[(o + i, j)] = str(cell)
            V[o:o + m, j][res["faulted"]] = np.nan
    # 元 and 万元 of one indicator: keep one column, fault disagreement
    keep = list(range(k))
    for j, c in enumerate(ind_cols):
        if c.scale == 1:
            continue
        twin = next((i for i, d in enumerate(ind_cols) if d.scale == 1 and d.indicator == c.indicator
                     and d.unit == c.unit), None)
        if twin is None:
            continue
        both = np.flatnonzero(~np.isnan(V[:, j]) & ~np.isnan(V[:, twin]))
        bad_g, bad_v, bad_r = [], [], []
        for g in both.tolist():
            cell = wan_unit_cells.get((g, j), "")
            decimals = len(cell.split(".")[1]) if "." in cell and not re.search("[万亿元]", cell) else 0
            tolerance = 0.5 * WAN / 10**decimals if not re.search("[万亿元]", cell) else 0.5
            if abs(V[g, twin] - V[g, j]) > tolerance:
                bad_g.append(g)
                bad_v.append(f"{V[g, twin]:g} 元 / {cell} 万元")
                bad_r.append(f"{ind_cols[twin].name} and {c.name} disagree "
                             f"({V[g, twin]:g} 元 vs {V[g, j]:g} 元)")
        fault(np.asarray(bad_g, dtype=np.int64), c.name, bad_v, bad_r)
        only_wan = ~np.isnan(V[:, j]) & np.isnan(V[:, twin])
        V[only_wan, twin] = V[only_wan, j]
        if H is not None:
            H[only_wan, twin] = H[only_wan, j]
        if Q is not None:
            Q[only_wan, twin] = Q[only_wan, j]
        keep.remove(j)

    # -- attributes, each distinct value judged once
    def required(name: str) -> tuple[np.ndarray, list[str]]:
        codes, uniq = _uniques(_concat_column(ok, name, n))
        g = np.flatnonzero(codes < 0)
        fault(g, name, [""] * len(g), f"{name} ({spec[name].header_zh}) is empty but required")
        return codes, uniq

    st_codes, st_uniq = required("station_id")
    rg_codes, rg_uniq = required("region_id")
    mo_codes, mo_uniq = required("month")

    spell, of_region = _province_lookup()
    known_regions = set(regions) if regions is not None else set(of_region)
    rg_known = np.array([r in known_regions for r in rg_uniq] + [True], dtype=bool)
    g = np.flatnonzero(~rg_known[rg_codes] & (rg_codes >= 0))
    fault(g, "region_id", [rg_uniq[c] for c in rg_codes[g]],
          [f"unknown region {rg_uniq[c]!r} (not in the regions table nor a province id)"
           for c in rg_codes[g]])

    month_ord = np.full(len(mo_uniq) + 1, -1, dtype=np.int64)
    month_reason: list[str | None] = []
    for i, t in enumerate(mo_uniq):
        o, reason = parse_month(t)
        if reason is None and o < min_ord:
            reason = f"{t!r} is before {_month_str(min_ord)}, the earliest month accepted"
        elif reason is None and o > max_ord:
            reason = f"{t!r} is after {_month_str(max_ord)}, the latest month accepted (max_month)"
        month_reason.append(reason)
        if reason is None:
            month_ord[i] = o
    g = np.flatnonzero((mo_codes >= 0) & (month_ord[mo_codes] < 0))
    fault(g, "month", [mo_uniq[c] for c in mo_codes[g]], [month_reason[c] for c in mo_codes[g]])
    row_month = month_ord[mo_codes]  # -1 where missing or bad

    # province
    pv_codes, pv_uniq = _uniques(_concat_column(ok, "province", n))
    pv_name = [spell.get(p.lower(), spell.get(p)) for p in pv_uniq]
    g = np.flatnonzero((pv_codes >= 0) & np.array([x is None for x in pv_name] + [False])[pv_codes])
    fault(g, "province", [pv_uniq[c] for c in pv_codes[g]],
          [f"unknown province {pv_uniq[c]!r}" for c in pv_codes[g]])
    region_prov = [of_region.get(r) for r in rg_uniq] + [None]
    written_prov = pv_name + [None]
    # (region, written province) pairs, found by counting their combined code
    width = len(pv_uniq) + 1
    pair_key = (rg_codes + 1) * width + (pv_codes + 1)
    pair_keys = np.flatnonzero(np.bincount(pair_key, minlength=(len(rg_uniq) + 1) * width))
    pairs = list(zip((pair_keys // width - 1).tolist(), (pair_keys % width - 1).tolist(), strict=True))
    for r, p in pairs:
        if r >= 0 and p >= 0 and written_prov[p] and region_prov[r] and written_prov[p] != region_prov[r]:
            g = np.flatnonzero((rg_codes == r) & (pv_codes == p))
            fault(g, "province", [pv_uniq[p]] * len(g),
                  f"province {pv_uniq[p]!r} does not match region {rg_uniq[r]!r} ({region_prov[r]})")
    prov_of_pair = pd.Categorical([
        written_prov[p] if p >= 0 and written_prov[p] else region_prov[r] if r >= 0 else None
        for r, p in pairs
    ])
    pair_province = np.full((len(rg_uniq) + 1) * width, -1, dtype=prov_of_pair.codes.dtype)
    pair_province[pair_keys] = prov_of_pair.codes
    province = pd.Categorical.from_codes(pair_province[pair_key], categories=prov_of_pair.categories)

    # service model
    sm_codes, sm_uniq = _uniques(_concat_column(ok, "service_model", n))
    models = list(categories("stations", "operation") or [])
    sm_value = [u if u in models else SERVICE_MODEL_ALIASES.get(u) for u in sm_uniq]
    g = np.flatnonzero((sm_codes >= 0) & np.array([v is None for v in sm_value] + [False])[sm_codes])
    fault(g, "service_model", [sm_uniq[c] for c in sm_codes[g]],
          [f"unknown service model {sm_uniq[c]!r} (allowed: {', '.join(models)}, "
           f"{', '.join(SERVICE_MODEL_ALIASES)})" for c in sm_codes[g]])

    # opened
    op_codes, op_uniq = _uniques(_concat_column(ok, "opened", n))
    op_ord = np.array([parse_month(u)[0] if parse_month(u)[0] is not None else -2 for u in op_uniq] + [-1])
    g = np.flatnonzero(op_ord[op_codes] == -2)
    fault(g, "opened", [op_uniq[c] for c in op_codes[g]],
          [f"opening month {op_uniq[c]!r} is not a month (write YYYY-MM)" for c in op_codes[g]])
    opened_row = op_ord[op_codes]
    g = np.flatnonzero((opened_row >= 0) & (row_month >= 0) & (row_month < opened_row))
    fault(g, "month", [mo_uniq[c] for c in mo_codes[g]],
          [f"report month {_month_str(row_month[i])} is before the station opened "
           f"({_month_str(opened_row[i])})" for i in g])

    # synthetic flag
    sy_codes, sy_uniq = _uniques(_concat_column(ok, "synthetic", n))
    sy_val = np.array([1 if u.lower() in _TRUE else 0 if u.lower() in _FALSE else -2 for u in sy_uniq] + [0])
    g = np.flatnonzero(sy_val[sy_codes] == -2)
    fault(g, "synthetic", [sy_uniq[c] for c in sy_codes[g]],
          [f"{sy_uniq[c]!r} is not true or false" for c in sy_codes[g]])
    synthetic = sy_val[sy_codes] == 1

    # stations: register and consistency of region
    valid = (st_codes >= 0) & (rg_codes >= 0)
    if stations is not None:
        register = dict(zip(stations["station_id"].astype(str), stations["region_id"].astype(str),
                            strict=True))
        expect = np.array([register.get(s) for s in st_uniq] + [None], dtype=object)
        unknown = valid & np.array([e is None for e in expect])[st_codes]
        g = np.flatnonzero(unknown)
        fault(g, "station_id", [st_uniq[c] for c in st_codes[g]],
              [f"unknown station {st_uniq[c]!r} (not in the station register)" for c in st_codes[g]])
        first_loc = None
    else:
        shipped = dict(zip(load("stations")["station_id"].astype(str),
                           load("stations")["region_id"].astype(str), strict=True))
        expect = np.array([shipped.get(s) for s in st_uniq] + [None], dtype=object)
        # first row of each station (codes are dense: a scatter-min, no sort or hash)
        first = np.full(len(st_uniq), n, dtype=np.int64)
        valid_g = np.flatnonzero(valid)
        np.minimum.at(first, st_codes[valid_g], valid_g)
        seen = np.flatnonzero(first < n)
        first_loc = dict(zip(seen.tolist(), first[seen].tolist(), strict=True))
        for s, gi in first_loc.items():
            if expect[s] is None:
                expect[s] = rg_uniq[rg_codes[gi]]
    rg_index = {r: i for i, r in enumerate(rg_uniq)}
    expect_code = np.array([-1 if e is None else rg_index.get(e, -2) for e in expect], dtype=np.int64)
    exp_row = expect_code[st_codes]
    mismatch = np.flatnonzero(valid & (exp_row != -1) & (exp_row != rg_codes))
    reasons = []
    for gi in mismatch.tolist():
        s = st_codes[gi]
        where = "in the station register"
        if first_loc is not None and s in first_loc and expect[s] == rg_uniq[rg_codes[first_loc[s]]] \
                and st_uniq[s] not in shipped:
            fg = first_loc[s]
            where = f"at {names[file_idx[fg]]} row {row_no[fg]}"
        elif first_loc is not None:
            where = "in the shipped stations table"
        reasons.append(f"station {st_uniq[s]!r} is in region {expect[s]!r} {where}, "
                       f"not {rg_uniq[rg_codes[gi]]!r}")
    fault(mismatch, "region_id", [rg_uniq[rg_codes[gi]] for gi in mismatch.tolist()], reasons)

    # duplicate station-months: every copy rejected, naming the others
    dup = _duplicates(st_codes, row_month, len(st_uniq))
    if len(dup):
        reasons = {}
        for (s, m), grp in dup.groupby(["s", "m"], sort=False):
            locs = [(gi, f"{names[file_idx[gi]]} row {row_no[gi]}") for gi in grp.index]
            for gi, _ in locs:
                others = [loc for gj, loc in locs if gj != gi]
                more = f" and {len(others) - 3} more" if len(others) > 3 else ""
                reasons[gi] = (f"duplicate station-month ({st_uniq[s]}, {_month_str(m)}): also at "
                               f"{'; '.join(others[:3])}{more}")
        gs = np.fromiter(reasons, dtype=np.int64)
        fault(gs, "station_id+month", [f"{st_uniq[st_codes[gi]]} {mo_uniq[mo_codes[gi]]}" for gi in gs],
              [reasons[gi] for gi in gs.tolist()])

    rejected_g = np.flatnonzero(bad)
    good = ~bad

    # -- the long table
    kept = [ind_cols[j] for j in keep]
    if len(keep) < k:
        V, H, Q = (None if M is None else M[:, keep] for M in (V, H, Q))
    filled = ~np.isnan(V)
    filled &= good[:, None]
    accepted = long_table(filled, kept, V, H, Q, quals, st_codes, st_uniq, rg_codes, rg_uniq,
                           province, row_month, synthetic, source_id, file_idx, names, row_no)
    del V, H, Q, filled

    # -- one row per accepted station: attributes as last reported
    # the latest (month, then position) accepted row of each station, in station code order;
    # accepted rows have a station and a month
    good_g = np.flatnonzero(good)
    good_s = st_codes[good_g]
    months_reported = np.bincount(good_s, minlength=len(st_uniq))
    latest = np.full(len(st_uniq), -1, dtype=np.int64)
    np.maximum.at(latest, good_s, row_month[good_g] * max(n, 1) + good_g)
    reported = np.flatnonzero(latest >= 0)
    tw_codes, tw_uniq = _uniques(_concat_column(ok, "township", n))
    fs_codes, fs_uniq = _uniques(_concat_column(ok, "funding_source", n))

    def pick(codes: np.ndarray, uniq: list[str], g: np.ndarray) -> list[str | None]:
        return [uniq[c] if c >= 0 else None for c in codes[g]]

    gs = latest[reported] % max(n, 1)
    st_frame = pd.DataFrame({
        "station_id": pick(st_codes, st_uniq, gs),
        "region_id": pick(rg_codes, rg_uniq, gs),
        "province": pd.Categorical.from_codes(province.codes[gs], categories=province.categories),
        "township": pick(tw_codes, tw_uniq, gs),
        "service_model": [sm_value[c] if c >= 0 else None for c in sm_codes[gs]],
        "opened": [_month_str(o) if o >= 0 else None for o in opened_row[gs]],
        "funding_source": pick(fs_codes, fs_uniq, gs),
        "synthetic": synthetic[gs],
        "months_reported": months_reported[reported].astype(np.int64),
    }).sort_values("station_id", ignore_index=True)
    return accepted, st_frame, rejected_g


def _duplicates(st_codes: np.ndarray, row_month: np.ndarray, n_stations: int) -> pd.DataFrame:
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


# -- command line -----------------------------------------------------------------------


def template_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sswanalysis template``."""
    parser.add_argument("--out", required=True, help="folder to write the template files into")
    parser.add_argument("--headers", choices=["zh", "en"], default="zh",
                        help="Chinese headers (default) or the English column names")


def template_main(args: argparse.Namespace) -> int:
    """Write the template; print the files written."""
    from sswanalysis.template import write_template

    for path in write_template(args.out, headers=args.headers):
        print(path)
    return 0


def ingest_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sswanalysis ingest``."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders of them")
    parser.add_argument("--out", required=True, help="Parquet file for the accepted tidy table")
    parser.add_argument("--rejects", help="CSV file for the rejects (default: beside --out)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any row is rejected")
    parser.add_argument("--stations", help="CSV station register (station_id, region_id)")
    parser.add_argument("--max-month", help="latest month accepted, YYYY-MM (default: this month)")
    parser.add_argument("--min-month", default="2000-01", help="earliest month accepted, YYYY-MM")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def ingest_main(args: argparse.Namespace) -> int:
    """Read, validate and store; the last line printed is ``rows_in=<n> accepted=<a> rejected=<r>``."""
    import pandas as pd

    register = None
    if args.stations:
        register = pd.read_csv(args.stations, dtype="str", keep_default_na=False)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"sswanalysis ingest: no such file or folder: {', '.join(missing)}", file=sys.stderr)
    res = read(args.paths, stations=register, max_month=args.max_month, min_month=args.min_month,
               progress=False if args.no_progress else None)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    res.accepted.to_parquet(out, index=False)
    rejects = Path(args.rejects) if args.rejects else out.with_name(out.stem + ".rejects.csv")
    rejects.parent.mkdir(parents=True, exist_ok=True)
    res.rejects.to_csv(rejects, index=False, encoding="utf-8")
    print(f"accepted table: {out} ({len(res.accepted)} figures)")
    print(f"rejects: {rejects} ({len(res.rejects)} faults)")
    print(res.summary())
    return 1 if args.strict and res.rows_rejected else 0


__all__ = ["ReadResult", "parse_month", "read", "totals"]

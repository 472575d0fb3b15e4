"""Read one station-month report file (CSV, .xlsx or Parquet) into Arrow tables, losing nothing.

This is the I/O half of :func:`sswanalysis.monthly.ingest.read`: it decides what a file is,
decodes it, finds the header and numbers the rows; it judges nothing but the file itself.

* **What a file is** comes from its first bytes, not its name: a workbook renamed ``.csv``
  or a CSV renamed ``.xlsx`` is read by what it is (so its rows are counted) and then
  rejected whole with a message saying to rename it. Encrypted workbooks and old ``.xls``
  files are named as such.
* **Encodings** are decided per file with evidence (:mod:`sswanalysis.textfiles`).
* **Row numbers** are those a spreadsheet shows (header row 1, first data row 2, or lower
  when title rows stand above the header). Parquet has no header row; its first record is
  numbered 2 all the same, so a report keeps its row numbers when converted.
* **The header** is the first row that names template columns. Rows above it (a title, as
  government forms have) are skipped with a note; a file where no row within the first
  :data:`HEADER_SEARCH_ROWS` names a template column is one file fault saying so.
* **Blank rows** (every cell empty) are not data rows: skipped and counted in ``blank_rows``.
* **Every sheet** of a workbook whose header names template columns is read, one
  :class:`RawFile` each; the other sheets, and sheets named as examples (示例/example),
  are skipped with a note naming them.
* Which files are read at all (folders expanded, our own outputs and repeated paths left
  out) is decided before, by :mod:`sswanalysis.monthly.inputs`.

A problem with a file as a whole is put in :attr:`RawFile.fault` with the rows it holds in
``fault_rows`` (they are all rejected), never raised.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sswanalysis.textfiles import could_be_gbk, examine, lossy

if TYPE_CHECKING:
    from collections.abc import Callable

    import pyarrow as pa

FIRST_DATA_ROW = 2
#: How many non-blank rows from the top are searched for the header.
HEADER_SEARCH_ROWS = 20

_KINDS = {"csv": "a CSV text file", "xlsx": "an Excel workbook (.xlsx)", "parquet": "a Parquet file"}
_SUFFIX_OF = {"csv": ".csv", "xlsx": ".xlsx", "parquet": ".parquet"}


class HeaderSpec(NamedTuple):
    """What the reader knows of the template: accepted headers and which are figures."""

    known: dict[str, str]  # normalised header -> template column name
    indicators: set[str]  # normalised headers of the indicator columns
    normalise: Callable[[str], str]
    required: frozenset[str] = frozenset()  # template column names every report must have
    counts: frozenset[str] = frozenset()  # normalised headers of indicator columns that count things


@dataclass
class RawFile:
    """One file (or one sheet of a workbook) as read: its columns and the row number of each row.

    Columns are strings, or numbers where a format or parser gives them; the attribute
    (non-indicator) columns of a CSV or Parquet file may come dictionary-encoded.
    """

    path: Path
    format: str
    sheet: str | None = None  # set when a workbook has more than one sheet read
    encoding: str | None = None
    headers: list[str] = field(default_factory=list)
    table: pa.Table | None = None
    rows: Any = None  # numpy int64 array: the row number of each table row
    blank_rows: int = 0
    fault: str | None = None  # a fault of the whole file
    fault_rows: Any = None  # row numbers rejected with the file fault (file unreadable)
    #: (row, column header or None, cell or None, reason): faults of single rows found while reading
    row_faults: list[tuple[int, str | None, str | None, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was skipped and why

    @property
    def name(self) -> str:
        """How faults and tables name it: the path, and the sheet when a workbook has several."""
        return str(self.path) if self.sheet is None else f"{self.path} [{self.sheet}]"


def sniff(path: Path) -> str:
    """What the file is by its first bytes: ``xlsx`` (a zip in Office's packaging, or a damaged
    zip: the workbook reader then says what it is), ``zip`` (any other zip archive), ``ole2``
    (encrypted workbook or .xls), ``parquet`` or ``csv`` (anything else is taken as text)."""
    import zipfile

    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError):  # damaged: the workbook reader says so
            return "xlsx"
        return "xlsx" if "[Content_Types].xml" in names else "zip"  # an Office file, or an archive
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole2"
    if head.startswith(b"PAR1"):
        return "parquet"
    return "csv"


# -- header and records ----------------------------------------------------------------------


def _blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _recognised(cells: list[Any], spec: HeaderSpec) -> int:
    """How many cells name a template column, or 0 if fewer than half the filled cells do
    (a row of a codebook or of notes that happens to mention a column name) and the row
    does not name every required column either. A row naming them all is a header even
    beside many columns of an office's own (负责人, 填报人 …): the file check then names
    those as not in the template."""
    filled = [c for c in cells if isinstance(c, str) and c.strip()]
    names = [spec.known.get(spec.normalise(c)) for c in filled]
    known = sum(1 for n in names if n is not None)
    if 2 * known >= len(filled) or (spec.required and spec.required <= set(names)):
        return known
    return 0


def find_header(records: list[tuple[int, list[Any]]], spec: HeaderSpec) -> tuple[int | None, list[str]]:
    """(index of the header record or None, notes): the first of the top non-blank records
    naming the most template columns (at least half its cells); non-blank records above it
    are a title, noted."""
    nonblank = [i for i, (_, cells) in enumerate(records) if not _blank(cells)][:HEADER_SEARCH_ROWS]
    if not nonblank:
        return None, []
    scores = [_recognised(records[i][1], spec) for i in nonblank]
    best = max(scores)
    if best == 0:
        return None, []
    at = nonblank[scores.index(best)]
    above = [i for i in nonblank if i < at]
    notes = []
    if above:
        shown = " / ".join(" ".join(str(c) for c in records[i][1] if c not in (None, ""))[:60] for i in above)
        rows = ", ".join(str(records[i][0]) for i in above)
        notes.append(f"row(s) {rows} above the header (row {records[at][0]}) read as a title and "
                     f"skipped: {shown!r}")
    return at, notes


def no_header_fault(records: list[tuple[int, list[Any]]]) -> str:
    """The one message for a file where no top row names a template column."""
    first = next((cells for _, cells in records if not _blank(cells)), [])
    shown = ", ".join(repr(str(c))[:40] for c in first[:4] if c not in (None, ""))
    return ("no header row: row 1 (or a row below a title) must hold the template's column names "
            f"(站点编号, 地区代码, 月份, …; see 'sswanalysis template'); the first row holds {shown}")


def from_records(raw: RawFile, records: list[tuple[int, list[Any]]], spec: HeaderSpec,
                 keep: set[int] | frozenset[int] = frozenset()) -> None:
    """Fill ``raw`` from (row number, cells) records: header found, blank rows skipped.

    Rows in ``keep`` are data rows even if every cell is empty (a cell faulted while reading).
    """
    import numpy as np
    import pyarrow as pa

    start, notes = find_header(records, spec)
    raw.notes += notes
    if start is None:
        if all(_blank(cells) for _, cells in records):
            raw.fault = "file is empty (no header, no rows)"
        else:
            raw.fault = no_header_fault(records)
            first = next(i for i, (_, cells) in enumerate(records) if not _blank(cells))
            raw.fault_rows = np.asarray([n for n, cells in records[first + 1:] if not _blank(cells)],
                                        dtype=np.int64)
        raw.rows = np.zeros(0, dtype=np.int64)
        return
    header = [("" if c is None else str(c)) for c in records[start][1]]
    while header and not header[-1].strip():
        header.pop()  # trailing empty header cells (spreadsheet padding)
    width = len(header)
    cols: list[list[str | None]] = [[] for _ in range(width)]
    rows = []
    for n, cells in records[start + 1:]:
        if _blank(cells) and n not in keep:
            raw.blank_rows += 1
            continue
        extra = [c for c in cells[width:] if not (c is None or (isinstance(c, str) and not c.strip()))]
        if extra:
            raw.row_faults.append(
                (n, None, None, f"row has {width + len(extra)} or more cells but the header has {width}")
            )
        cells = list(cells[:width]) + [None] * (width - len(cells))
        for j, c in enumerate(cells):
            cols[j].append(None if c is None or c == "" else c)
        rows.append(n)
    raw.headers = header
    raw.rows = np.asarray(rows, dtype=np.int64)
    raw.table = pa.table(
        {f"c{j}": pa.array(col, type=pa.string()) for j, col in enumerate(cols)}
    ) if width else None


def count_rows(records: list[tuple[int, list[Any]]]) -> Any:
    """Row numbers of the non-blank records after the first (what an unreadable file holds)."""
    import numpy as np

    nonblank = [n for n, cells in records if not _blank(cells)]
    return np.asarray(nonblank[1:], dtype=np.int64)


# -- CSV -----------------------------------------------------------------------------------


def _any_blank_row(table: pa.Table) -> bool:
    import functools

    import pyarrow.compute as pc

    if table.num_columns == 0 or table.num_rows == 0:
        return False
    masks = [pc.is_null(col) for col in table.columns]
    return bool(pc.any(functools.reduce(pc.and_, masks)).as_py())


def _inexact_floats(table: pa.Table) -> bool:
    """Does a column pyarrow read as float hold a value that a float cannot keep as written
    (NaN or infinity, or a magnitude of 2**53 or more)? Then the text path keeps the cells."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for col in table.columns:
        if pa.types.is_floating(col.type) and col.null_count < len(col):
            big = pc.max(pc.abs(col)).as_py()
            if big is None or big != big or big >= 2.0**53:
                return True
    return False


def _parse_csv(raw: RawFile, payload: bytes, header: list[str], spec: HeaderSpec, use_threads: bool) -> bool:
    """Parse UTF-8 ``payload`` (header line first) with pyarrow into ``raw``; False if it cannot be trusted.

    The result is kept only when every record is one line, no row is blank, no column is
    left binary (invalid UTF-8) and every float is kept exactly; otherwise the row numbers
    or the values would be wrong and the caller takes the text path.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    # attribute columns (ids, names, months: few distinct values) come dictionary-encoded
    text_type = pa.dictionary(pa.int32(), pa.string())
    column_types = {
        f"c{j}": text_type for j, h in enumerate(header) if spec.normalise(h) not in spec.indicators
    }

    def parse(types: dict[str, pa.DataType]) -> pa.Table:
        return pacsv.read_csv(
            io.BytesIO(payload),
            read_options=pacsv.ReadOptions(column_names=[f"c{j}" for j in range(len(header))],
                                           skip_rows=1, use_threads=use_threads),
            convert_options=pacsv.ConvertOptions(
                column_types=types, null_values=[""], strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )

    try:
        table = parse(column_types)
        # A count column that comes as float64 has a decimal point in some cell: it is read again
        # as text, so that the checks judge what is written (a float rounds 99999999.999999999
        # persons to a whole 100000000). Columns of amounts and hours are decimals by nature and
        # stay float64: a cell of more than 15 significant digits there is the nearest float.
        counts = {f"c{j}" for j, h in enumerate(header) if spec.normalise(h) in spec.counts}
        as_text = {f.name: pa.string() for f in table.schema
                   if f.name in counts and pa.types.is_floating(f.type)}
        if as_text:
            table = parse(column_types | as_text)
    except pa.ArrowInvalid:
        return False  # ragged rows or invalid UTF-8: the slow path names them
    if any(pa.types.is_binary(t) or pa.types.is_large_binary(t) for t in table.schema.types):
        return False
    lines = payload.count(b"\n") + (0 if payload.endswith(b"\n") else 1) - 1
    if table.num_rows != lines or _any_blank_row(table) or _inexact_floats(table):
        return False
    raw.headers = header
    raw.table = table
    raw.rows = np.arange(FIRST_DATA_ROW, FIRST_DATA_ROW + table.num_rows, dtype=np.int64)
    return True


def _clean_header(first_line: str, spec: HeaderSpec) -> list[str] | None:
    """The header cells when the fast path may be tried: distinct, none blank, naming template columns."""
    if not first_line.strip() or "\r" in first_line.rstrip("\r"):
        return None
    header = next(csv.reader([first_line]))
    if len(set(header)) == len(header) and all(h.strip() for h in header) and _recognised(header, spec):
        return header
    return None


def text_records(text: str) -> list[tuple[int, list[str]]]:
    """CSV records of ``text``, numbered as a spreadsheet numbers rows (a record with a line
    break inside a quoted cell is one row). CR-only line ends (old Mac files) are line ends;
    a CR or LF inside a quoted cell is kept as it is (``newline=""``)."""
    # a report cell may be long (a pasted note); the csv module's default cap is 131,072 characters
    csv.field_size_limit(max(csv.field_size_limit(), min(len(text) + 1, sys.maxsize)))
    return [(n, cells) for n, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)]


def _read_csv(raw: RawFile, spec: HeaderSpec, use_threads: bool = True) -> None:

    data = raw.path.read_bytes()
    # Fast path for UTF-8: pyarrow parses the bytes and checks every string cell is UTF-8
    # (numeric cells are ASCII), so the file need not be decoded in Python first.
    bom = data.startswith(b"\xef\xbb\xbf")
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and (bom or not could_be_gbk(data)):
        payload = data[3:] if bom else data
        end = payload.find(b"\n")
        try:
            first_line = (payload if end < 0 else payload[:end]).decode("utf-8")
        except UnicodeDecodeError:
            first_line = ""
        header = _clean_header(first_line, spec)
        if header is not None and _parse_csv(raw, payload, header, spec, use_threads):
            raw.encoding = "utf-8-sig" if bom else "utf-8"
            return
    decoded = examine(data)
    raw.encoding = decoded.encoding
    if decoded.text is None:
        raw.fault = decoded.fault
        raw.fault_rows = count_rows(text_records(lossy(data)))  # counted, never read
        return
    text = decoded.text
    # GBK, UTF-16 and UTF-32 files: the fast parse on the re-encoded text (UTF-8 was tried above)
    header = _clean_header(text.split("\n", 1)[0], spec)
    if raw.encoding not in ("utf-8", "utf-8-sig") and header is not None and _parse_csv(
            raw, text.encode("utf-8"), header, spec, use_threads):
        return
    from_records(raw, text_records(text), spec)


# -- one file, many files ------------------------------------------------------------------------


def _mislabelled(parts: list[RawFile], actual: str, suffix: str) -> None:
    """Reject each part of a file whose content is not what its name says (its rows counted)."""
    for raw in parts:
        if raw.fault is None:
            raw.fault = (f"file is {_KINDS[actual]} but is named {suffix}; rename it to "
                         f"{raw.path.stem}{_SUFFIX_OF[actual]} and read it again")
            if raw.rows is not None:
                import numpy as np

                raw.fault_rows = np.concatenate([np.asarray(raw.rows, dtype=np.int64),
                                                 np.asarray(raw.fault_rows if raw.fault_rows is not None
                                                            else [], dtype=np.int64)])
                raw.rows = np.zeros(0, dtype=np.int64)


#: Names Windows keeps for devices, with any suffix (CON.csv is the console).
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{d}{i}" for d in ("COM", "LPT") for i in range(1, 10))}


def _path_fault(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file, if it cannot."""
    if sys.platform == "win32" and path.stem.split(".")[0].upper() in _RESERVED:
        # opening CON.csv on Windows opens the console and waits for typing
        return (f"{path.name!r} is a reserved device name on Windows and cannot be read as a file; "
                "rename it (e.g. to report.csv)")
    try:
        if not path.exists():
            return "file does not exist (check the path)"
        if not path.is_file():
            return "is not a file"
    except OSError as exc:  # e.g. a name longer than the system allows
        return f"cannot be opened: {exc.strerror or exc}; check the path"
    return None


def _rows_stated(path: Path) -> Any:
    """Row numbers of the records a damaged Parquet file's footer says it holds (none if the
    footer is damaged too): its rows are counted even when its data cannot be read."""
    import numpy as np
    import pyarrow.parquet as pq

    try:
        n = pq.read_metadata(path).num_rows
    except Exception:  # the footer is damaged as well: nothing to count
        n = 0
    return np.arange(FIRST_DATA_ROW, FIRST_DATA_ROW + n, dtype=np.int64)


def read_file(path: Path, spec: HeaderSpec, *, use_threads: bool = True) -> list[RawFile]:
    """Read one file: one :class:`RawFile` per sheet read (one for CSV and Parquet).

    Any problem with the file as a whole is put in ``fault``, never raised.

    Parameters
    ----------
    path : Path
        The report file.
    spec : HeaderSpec
        Accepted headers (to find the header row) and which are indicator columns
        (parsed as numbers where they are).
    use_threads : bool
        Let pyarrow parse a CSV file on several threads. Pass False when files are already
        read in parallel, one per thread.

    Returns
    -------
    list of RawFile
    """
    import numpy as np

    suffix = path.suffix.lower()
    named = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet"}.get(suffix)
    raw = RawFile(path=path, format=named or suffix.lstrip("."))
    parts = [raw]
    try:
        raw.fault = _path_fault(path)
        if raw.fault is None:
            actual = sniff(path)
            if actual == "ole2":
                raw.fault = ("file is a password-protected workbook or an old .xls workbook; remove the "
                             "password or save it as .xlsx (Excel: File > Save As > Excel Workbook)")
            elif actual == "zip":
                raw.fault = ("file is a ZIP archive, not a report; unpack it and read the report files "
                             "inside (.csv, .xlsx or .parquet)")
            elif named is None:
                raw.fault = f"unsupported file type {suffix or '(none)'}; use .csv, .xlsx or .parquet"
            else:
                raw.format = actual
                if actual == "csv":
                    _read_csv(raw, spec, use_threads)
                elif actual == "xlsx":
                    from sswanalysis.monthly.xlsx import read_workbook

                    parts = read_workbook(path, spec)
                else:
                    from sswanalysis.monthly.parquet import read_parquet

                    read_parquet(raw, spec)
                if actual != named:
                    _mislabelled(parts, actual, suffix)
    except Exception as exc:  # a corrupt workbook or Parquet file is a fault of that file
        raw.fault = (f"cannot be read as {_KINDS.get(raw.format, raw.format)} (damaged or unfinished?): "
                     f"{str(exc)[:200] or type(exc).__name__}; open it and save it again, or export it anew")
        raw.fault_rows = _rows_stated(path) if raw.format == "parquet" else None
        parts = [raw]
    for p in parts:
        if p.rows is None:
            p.rows = np.zeros(0, dtype=np.int64)
        if p.fault_rows is None:
            p.fault_rows = np.zeros(0, dtype=np.int64)
        if p.fault is None and p.table is not None and p.table.num_rows == 0:
            p.fault = "file has a header but no rows"
    return parts


def read_files(paths: list[Path], spec: HeaderSpec, *, progress: bool = False) -> list[RawFile]:
    """:func:`read_file` of each path, in order (sheets in workbook order), with a progress
    bar on stderr if ``progress``.

    Files are parsed on a few threads (pyarrow releases the GIL), each single-threaded;
    they are taken in order, so the result does not depend on which finishes first.
    """
    from concurrent.futures import ThreadPoolExecutor

    workers = min(len(paths), _cpus())
    pool = ThreadPoolExecutor(workers) if workers > 1 else None
    if pool is not None:
        raws = pool.map(lambda p: read_file(p, spec, use_threads=False), paths)
    else:
        raws = (read_file(p, spec) for p in paths)
    if progress:  # only then: a tqdm bar, even disabled, sets up a multiprocessing lock (60 ms)
        from tqdm import tqdm  # plain text bar on stderr (tqdm.auto wants ipywidgets in notebooks)

        raws = tqdm(raws, total=len(paths), desc="reading reports", unit="file", file=sys.stderr)
    try:
        return [part for parts in raws for part in parts]
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _cpus() -> int:
    """CPUs this process may run on."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1

"""Read one station-month report file (CSV, .xlsx or Parquet) into an Arrow table, losing nothing.

This is the I/O half of :func:`sswanalysis.monthly.ingest.read`: it decodes, finds the header and
numbers the rows; it judges nothing but the file itself. Row numbers are those a
spreadsheet shows: the header is row 1, the first data row is row 2. For Parquet, which has
no header row, the first record is numbered 2 all the same, so that a report keeps its row
numbers when it is converted between formats. Rows whose cells are all empty are not data
rows; they are skipped and counted in ``blank_rows``.

CSV files are decoded as UTF-8 (with or without BOM), else as GBK (read with its superset
GB18030); a file that is neither, or is UTF-16, is a file-level fault whose lines are all
counted as rejected rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

#: File suffixes a folder is searched for.
REPORT_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".parquet", ".xls")
FIRST_DATA_ROW = 2


@dataclass
class RawFile:
    """One file as read: its columns and the row number of each row.

    Columns are strings, or numbers where a format or parser gives them; the attribute
    (non-indicator) columns of a CSV file come dictionary-encoded (``dictionary<int32,
    string>``).
    """

    path: Path
    format: str
    encoding: str | None = None
    headers: list[str] = field(default_factory=list)
    table: pa.Table | None = None
    rows: Any = None  # numpy int64 array: the row number of each table row
    blank_rows: int = 0
    fault: str | None = None  # a fault of the whole file
    fault_rows: Any = None  # row numbers rejected with the file fault (file unreadable)
    row_faults: list[tuple[int, str]] = field(default_factory=list)  # (row, reason): ragged rows


def expand(paths: Any) -> list[Path]:
    """Files to read: each path as given, folders replaced by their report files, sorted.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ["b.csv", "a.xlsx", "~$a.xlsx", "notes.txt"]:
    ...     _ = (d / name).write_text("")
    >>> [p.name for p in expand([d])]
    ['a.xlsx', 'b.csv']
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES
                and not f.name.startswith(("~$", "."))
            )
        else:
            out.append(p)
    return out


def _decode(data: bytes) -> tuple[str | None, str | None, str | None]:
    """(text, encoding, fault)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "utf-16", "file is UTF-16; save it as CSV in UTF-8 (or GBK)"
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig", None
        except UnicodeDecodeError as exc:
            return None, None, (
                f"file starts with a UTF-8 BOM but is not UTF-8 ({exc.reason} at byte {exc.start + 3})"
            )
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError as utf8_exc:
        try:
            return data.decode("gb18030"), "gbk", None
        except UnicodeDecodeError:
            return None, None, (
                f"file is neither UTF-8 nor GBK (byte 0x{data[utf8_exc.start]:02x} at offset "
                f"{utf8_exc.start}); save it as CSV in UTF-8"
            )


def _nonblank_line_numbers(data: bytes) -> list[int]:
    lines = data.split(b"\n")
    return [i + 1 for i, line in enumerate(lines) if line.strip(b"\r\n\t ,\x00")][1:]


def _from_records(raw: RawFile, records: list[tuple[int, list[Any]]]) -> None:
    """Fill ``raw`` from (row number, cells) records; the first non-blank one is the header."""
    import numpy as np
    import pyarrow as pa

    def blank(cells: list[Any]) -> bool:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)

    records = [(n, cells) for n, cells in records]
    start = next((i for i, (_, cells) in enumerate(records) if not blank(cells)), None)
    if start is None:
        raw.fault = "file is empty (no header, no rows)"
        raw.rows = np.zeros(0, dtype=np.int64)
        return
    header = [("" if c is None else str(c)) for c in records[start][1]]
    while header and not header[-1].strip():
        header.pop()  # trailing empty header cells (spreadsheet padding)
    width = len(header)
    cols: list[list[str | None]] = [[] for _ in range(width)]
    rows = []
    for n, cells in records[start + 1:]:
        if blank(cells):
            raw.blank_rows += 1
            continue
        extra = [c for c in cells[width:] if not (c is None or (isinstance(c, str) and not c.strip()))]
        if extra:
            raw.row_faults.append(
                (n, f"row has {width + len(extra)} or more cells but the header has {width}")
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


def _any_blank_row(table: pa.Table) -> bool:
    import functools

    import pyarrow.compute as pc

    if table.num_columns == 0 or table.num_rows == 0:
        return False
    masks = [pc.is_null(col) for col in table.columns]
    return bool(pc.any(functools.reduce(pc.and_, masks)).as_py())


def _parse_csv(raw: RawFile, payload: bytes, header: list[str], indicator_headers: set[str],
               normalise: Any, use_threads: bool) -> bool:
    """Parse UTF-8 ``payload`` (header line first) with pyarrow into ``raw``; False if it cannot be trusted.

    The result is kept only when every record is one line, no row is blank and no column is
    left binary (invalid UTF-8); otherwise the row numbers or the text would be wrong and the
    caller takes the slow path.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    # attribute columns (ids, names, months: few distinct values) come dictionary-encoded
    text_type = pa.dictionary(pa.int32(), pa.string())
    column_types = {
        f"c{j}": text_type for j, h in enumerate(header) if normalise(h) not in indicator_headers
    }
    try:
        table = pacsv.read_csv(
            io.BytesIO(payload),
            read_options=pacsv.ReadOptions(column_names=[f"c{j}" for j in range(len(header))],
                                           skip_rows=1, use_threads=use_threads),
            convert_options=pacsv.ConvertOptions(
                column_types=column_types, null_values=[""], strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid:
        return False  # ragged rows or invalid UTF-8: the slow path names them
    if any(pa.types.is_binary(t) or pa.types.is_large_binary(t) for t in table.schema.types):
        return False
    lines = payload.count(b"\n") + (0 if payload.endswith(b"\n") else 1) - 1
    if table.num_rows != lines or _any_blank_row(table):
        return False
    raw.headers = header
    raw.table = table
    raw.rows = np.arange(FIRST_DATA_ROW, FIRST_DATA_ROW + table.num_rows, dtype=np.int64)
    return True


def _clean_header(first_line: str) -> list[str] | None:
    """The header cells when the fast path may be tried: non-empty, distinct, none blank."""
    if not first_line.strip():
        return None
    header = next(csv.reader([first_line]))
    if len(set(header)) == len(header) and all(h.strip() for h in header):
        return header
    return None


def _read_csv(raw: RawFile, indicator_headers: set[str], normalise: Any, use_threads: bool = True) -> None:
    import numpy as np

    data = raw.path.read_bytes()
    # Fast path for UTF-8: pyarrow parses the bytes and checks every string cell is UTF-8
    # (numeric cells are ASCII), so the file need not be decoded in Python first.
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        bom = data.startswith(b"\xef\xbb\xbf")
        payload = data[3:] if bom else data
        end = payload.find(b"\n")
        try:
            first_line = (payload if end < 0 else payload[:end]).decode("utf-8")
        except UnicodeDecodeError:
            first_line = ""
        header = _clean_header(first_line)
        if header is not None and _parse_csv(raw, payload, header, indicator_headers, normalise,
                                             use_threads):
            raw.encoding = "utf-8-sig" if bom else "utf-8"
            return
    text, raw.encoding, fault = _decode(data)
    if fault is not None:
        raw.fault = fault
        if raw.encoding == "utf-16":
            try:
                data = data.decode("utf-16").encode("utf-8")
            except UnicodeDecodeError:
                pass
        raw.fault_rows = np.asarray(_nonblank_line_numbers(data), dtype=np.int64)
        return
    assert text is not None
    if not text.strip():
        raw.fault = "file is empty (no header, no rows)"
        raw.rows = np.zeros(0, dtype=np.int64)
        return
    # GBK files (and UTF-8 ones the fast path refused): the same parse on the re-encoded text
    first_line = text.split("\n", 1)[0]
    header = _clean_header(first_line)
    if raw.encoding == "gbk" and header is not None and _parse_csv(
            raw, text.encode("utf-8"), header, indicator_headers, normalise, use_threads):
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    for cells in reader:
        records.append((reader.line_num, cells))
    # line_num is the line the record ends on; number records as a spreadsheet does instead
    numbered, n = [], 0
    for _, cells in records:
        n += 1
        numbered.append((n, cells))
    _from_records(raw, numbered)


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _read_xlsx(raw: RawFile) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(raw.path, read_only=True, data_only=True)
    try:
        ws = wb["report"] if "report" in wb.sheetnames else wb.worksheets[0]
        records = [
            (i + 1, [_cell_text(v) for v in row])
            for i, row in enumerate(ws.iter_rows(values_only=True))
        ]
    finally:
        wb.close()
    _from_records(raw, records)


def _read_parquet(raw: RawFile) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(raw.path)
    if table.schema.pandas_metadata:
        index_cols = {c for c in table.schema.pandas_metadata.get("index_columns", []) if isinstance(c, str)}
        table = table.drop_columns([c for c in table.column_names if c in index_cols])
    raw.headers = list(table.column_names)
    cols = {}
    for j, name in enumerate(table.column_names):
        col = table.column(name)
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)
                or pa.types.is_integer(col.type) or pa.types.is_floating(col.type)):
            series = col.to_pandas()
            col = pa.chunked_array([pa.array(
                [None if v is None or v != v else _cell_text(v) for v in series.tolist()], pa.string()
            )])
        cols[f"c{j}"] = col
    raw.table = pa.table(cols) if cols else None
    raw.rows = np.arange(FIRST_DATA_ROW, FIRST_DATA_ROW + table.num_rows, dtype=np.int64)
    if table.num_rows == 0:
        raw.fault = "file has a header but no rows" if cols else "file is empty (no columns, no rows)"


def read_file(path: Path, indicator_headers: set[str], normalise: Any, *,
              use_threads: bool = True) -> RawFile:
    """Read one file; any problem with the file as a whole is put in ``fault``, never raised.

    Parameters
    ----------
    path : Path
        The report file.
    indicator_headers : set of str
        Normalised headers of the indicator columns (parsed as numbers where they are).
    normalise : callable
        Header normaliser (:func:`sswanalysis.monthly.template.normalise_header`).
    use_threads : bool
        Let pyarrow parse a CSV file on several threads. Pass False when files are already
        read in parallel, one per thread.

    Returns
    -------
    RawFile
    """
    import numpy as np

    suffix = path.suffix.lower()
    fmt = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet"}.get(suffix, suffix)
    raw = RawFile(path=path, format=fmt)
    try:
        if not path.is_file():
            raw.fault = "file does not exist"
        elif fmt == "csv":
            _read_csv(raw, indicator_headers, normalise, use_threads)
        elif fmt == "xlsx":
            _read_xlsx(raw)
        elif fmt == "parquet":
            _read_parquet(raw)
        else:
            raw.fault = f"unsupported file type {suffix or '(none)'}; use .csv, .xlsx or .parquet"
    except Exception as exc:  # a corrupt workbook or Parquet file is a fault of that file
        raw.fault = f"cannot be read as {fmt}: {type(exc).__name__}: {exc}"
    if raw.rows is None:
        raw.rows = np.zeros(0, dtype=np.int64)
    if raw.fault_rows is None:
        raw.fault_rows = np.zeros(0, dtype=np.int64)
    if raw.fault is None and raw.table is not None and raw.table.num_rows == 0:
        raw.fault = "file has a header but no rows"
    return raw


def read_files(paths: list[Path], indicator_headers: set[str], normalise: Any, *,
               progress: bool = False) -> list[RawFile]:
    """:func:`read_file` of each path, in order, with a progress bar on stderr if ``progress``.

    Files are parsed on a few threads (pyarrow releases the GIL), each single-threaded;
    they are taken in order, so the result does not depend on which finishes first.
    """
    import sys
    from concurrent.futures import ThreadPoolExecutor

    from tqdm import tqdm  # plain text bar on stderr (tqdm.auto wants ipywidgets in notebooks)

    workers = min(len(paths), _cpus())
    pool = ThreadPoolExecutor(workers) if workers > 1 else None
    if pool is not None:
        raws = pool.map(lambda p: read_file(p, indicator_headers, normalise, use_threads=False), paths)
    else:
        raws = (read_file(p, indicator_headers, normalise) for p in paths)
    try:
        return list(tqdm(raws, total=len(paths), desc="reading reports", unit="file",
                         disable=not progress, file=sys.stderr))
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

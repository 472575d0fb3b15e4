"""Station-month reports: read many files, validate every cell, and lose nothing.

:func:`read` turns report files (the template of :mod:`sswanalysis.monthly.template`, as CSV in
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

**Personal data.** A cell holding an identity, mobile or bank card number or an e-mail
address (:mod:`sswanalysis.personal_data`) rejects its row; the rejects and every printed
line show such numbers masked (``138****5678``), whichever fault quotes them.

**Where things are.** This module is the entry point (:func:`read`, :func:`totals`, the
``template`` and ``ingest`` commands); :func:`read` runs the steps in order:

* :mod:`sswanalysis.monthly.readers` — read each file into an Arrow table, rows numbered;
* :mod:`sswanalysis.monthly.checks` — the file checks (headers), then the row checks: cells
  to numbers, 元/万元 twins, months, regions, provinces, stations, duplicates, personal data;
* :mod:`sswanalysis.monthly.tables` — the accepted long table, stations, files and rejects
  tables, and :func:`totals`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sswanalysis.monthly.attributes import parse_month
from sswanalysis.monthly.checks import Faults, check_files, check_rows, drop_twin_files, number_rows
from sswanalysis.monthly.inputs import find_inputs
from sswanalysis.monthly.readers import HeaderSpec, read_files
from sswanalysis.monthly.tables import (
    NOTE_COLUMNS,
    AcceptedCells,
    files_table,
    long_table,
    rejects_frame,
    row_table,
    station_table,
    totals,
)
from sswanalysis.monthly.tables import REJECT_COLUMNS as REJECT_COLUMNS  # re-exported
from sswanalysis.monthly.tables import SYNTHETIC_SOURCE_ID as SYNTHETIC_SOURCE_ID  # re-exported
from sswanalysis.monthly.template import columns, fractional_units, header_map, normalise_header

if TYPE_CHECKING:
    import pandas as pd

    from sswanalysis.monthly.readers import RawFile

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
    notes: pd.DataFrame  # warnings and what was skipped: file, row, column, value, note
    rows: pd.DataFrame  # one row per accepted input row (figures or not): file, row, station-month
    example_rows: int = 0

    @property
    def unreadable_files(self) -> int:
        """Files (or sheets) rejected whole: unreadable, empty, or not the template's columns."""
        return int((self.files["fault"].astype(str) != "").sum())

    def summary(self) -> str:
        """A readable summary; the last line is ``rows_in=<n> accepted=<a> rejected=<r>``."""
        import pandas as pd

        lines = [f"{len(self.files)} file(s), {self.rows_in} data row(s)"
                 + (f", {self.blank_rows} blank row(s) skipped" if self.blank_rows else "")
                 + (f", {self.example_rows} example row(s) skipped" if self.example_rows else "")]
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
                where = r.file + ("" if pd.isna(r.row) else f", row {r.row}")
                where += f", column {r.column}" if isinstance(r.column, str) and r.column else ""
                lines.append(f"  {where}: {r.reason}")
        if len(self.notes):
            lines.append(f"notes and warnings ({len(self.notes)}):")
            for r in self.notes.head(10).itertuples(index=False):
                where = r.file + ("" if pd.isna(r.row) else f", row {r.row}")
                lines.append(f"  {where}: {r.note}")
            if len(self.notes) > 10:
                lines.append(f"  … {len(self.notes) - 10} more in the notes file")
        lines.append(f"rows_in={self.rows_in} accepted={self.rows_accepted} rejected={self.rows_rejected}")
        return "\n".join(lines)


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
    import numpy as np

    files, skipped = find_inputs(paths)
    hmap = header_map()
    spec = {c.name: c for c in columns()}
    min_ord, max_ord = _month_range(min_month, max_month)
    show = progress if progress is not None else (len(files) >= 5 and sys.stderr.isatty())
    ind_headers = {h for h, name in hmap.items() if spec[name].kind == "indicator"}
    required = frozenset(name for name, c in spec.items() if c.required)
    fractional = fractional_units()
    counts = frozenset(h for h in ind_headers if spec[hmap[h]].unit not in fractional)
    raws = read_files(files, HeaderSpec(hmap, ind_headers, normalise_header, required, counts), progress=show)
    raws, twins = drop_twin_files(raws, normalise_header)

    faults, notes = Faults(), Faults()
    for file, note in skipped + twins:
        notes.add(-1, file, -1, None, None, note)
    file_rows, ok, pre_bad = check_files(raws, hmap, spec, normalise_header, faults, notes)
    n = sum(len(f.raw.rows) for f in ok)
    rows = number_rows(ok, n, raws, pre_bad, faults, notes)
    figures, attrs = check_rows(ok, rows, spec, stations=stations, regions=regions,
                                min_ord=min_ord, max_ord=max_ord)
    stations_out = station_table(ok, attrs, rows)
    _free_cells(raws)
    cells = AcceptedCells(figures.value, rows.bad)
    accepted = long_table(figures, cells, attrs, rows, source_id)
    row_frame = row_table(attrs, rows, cells)
    del figures  # the (rows × columns) matrices: freed before the rest is built
    order = [raw.name for raw in raws]
    rejects = rejects_frame(faults, order)
    notes_frame = rejects_frame(notes, order, NOTE_COLUMNS)
    files_frame = files_table(file_rows, rows)

    rows_in = sum(info["rows_in"] for info in file_rows)
    rows_rejected = int(files_frame["rejected"].sum())
    rows_accepted = n - int(np.count_nonzero(rows.bad))
    assert rows_in == rows_accepted + rows_rejected, (rows_in, rows_accepted, rows_rejected)
    return ReadResult(accepted, rejects, stations_out, files_frame, rows_in, rows_accepted,
                      rows_rejected, sum(raw.blank_rows for raw in raws), notes_frame, row_frame,
                      sum(info["examples"] for info in file_rows))


def _free_cells(raws: list[RawFile]) -> None:
    """Drop the files' cells once every check has read them, and hand Arrow's freed memory
    back to the system, so that the long table is built in memory already in use rather
    than in fresh pages (which the system must clear first: on some machines the largest
    single cost of a read)."""
    import pyarrow as pa

    for raw in raws:
        raw.table = None
    pa.default_memory_pool().release_unused()


def _month_range(min_month: str, max_month: str | None) -> tuple[int, int]:
    """(earliest, latest) month ordinal accepted; the latest defaults to the current month."""
    now = dt.date.today()
    max_ord = parse_month(max_month)[0] if max_month else now.year * 12 + now.month - 1
    min_ord = parse_month(min_month)[0]
    if max_ord is None or min_ord is None:
        raise ValueError(f"max_month and min_month must be YYYY-MM, not {max_month!r}, {min_month!r}")
    return min_ord, max_ord


# -- command line -----------------------------------------------------------------------


def ingest_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sswanalysis ingest``."""
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="报表文件或文件夹 report files (.csv, .xlsx, .parquet) or folders of them")
    parser.add_argument("--out", required=True,
                        help="接收数据表 Parquet file for the accepted tidy table")
    parser.add_argument("--rejects", help="退回行清单 CSV file for the rejects (default: OUT.rejects.csv); "
                                          "notes go to OUT.notes.csv, accepted rows to OUT.rows.csv")
    parser.add_argument("--strict", action="store_true",
                        help="有任何退回行即以 1 退出 exit 1 when any row is rejected")
    parser.add_argument("--stations", help="站点名册 CSV station register (columns station_id, region_id)")
    parser.add_argument("--max-month", help="最晚月份 latest month accepted, YYYY-MM (default: this month)")
    parser.add_argument("--min-month", default="2000-01", help="最早月份 earliest month accepted, YYYY-MM")
    parser.add_argument("--no-progress", action="store_true", help="不显示进度条 no progress bar")


def _fail(message: str) -> int:
    print(f"sswanalysis ingest: {message}", file=sys.stderr)
    return 2


def _month_option(name: str, value: str | None) -> str | None:
    """A --max-month/--min-month value's fault, or None."""
    if value is None:
        return None
    ordinal, reason = parse_month(value)
    return None if ordinal is not None else f"{name} {value!r}: {reason}"


#: What a register that is not a CSV file is, by :func:`~sswanalysis.monthly.readers.sniff`.
_NOT_CSV = {"xlsx": "an Excel workbook", "ole2": "an Excel .xls (or encrypted) workbook",
            "parquet": "a Parquet file", "zip": "a ZIP archive"}


def _register_header(path: str, row: int, header: list[str]) -> tuple[dict[str, int], int]:
    """(column name -> index of ``station_id`` and ``region_id``, the header's width) of a register.

    A header is spelt as a report's may be (``站点编号``, ``Station_ID``). Empty cells at its
    end do not count: Excel writes them when a cell right of the table was ever filled.
    """
    hmap = header_map()
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    at: dict[str, int] = {}
    for i, cell in enumerate(header[:width]):
        name = hmap.get(normalise_header(cell))
        if name in ("station_id", "region_id") and at.setdefault(name, i) != i:
            raise ValueError(f"--stations {path}: row {row}: columns {at[name] + 1} and {i + 1} are both "
                             f"{name}; keep one")
    missing = [c for c in ("station_id", "region_id") if c not in at]
    if missing:
        raise ValueError(f"--stations {path}: row {row} must name the columns station_id and region_id; "
                         f"missing {', '.join(missing)} (has: {', '.join(header[:8]) or 'nothing'})")
    return at, width


def read_register(path: str) -> pd.DataFrame:
    """The ``--stations`` register: a CSV file with columns ``station_id`` and ``region_id``.

    Read as the reports are: its encoding decided by evidence (UTF-8 with or without a
    byte-order mark, or GBK), headers in any spelling the template accepts, each cell as
    text (``001`` stays ``001``), ids normalised and regions written by id, name or code
    (:func:`~sswanalysis.monthly.identity.register_regions`). Blank rows are skipped, and so
    are empty cells right of the header (Excel writes ``S1,linze,``).

    Parameters
    ----------
    path : str
        The register file.

    Returns
    -------
    DataFrame
        ``station_id`` and ``region_id`` (a region id), one row per station.

    Raises
    ------
    ValueError
        With a message naming the file, the row and what to do: no such file, not a CSV
        file, an encoding that cannot be established, no header or no stations, a missing
        column, rows with more cells than the header, and the faults of
        :func:`~sswanalysis.monthly.identity.register_regions`.
    """
    import csv

    import pandas as pd

    from sswanalysis.monthly.attributes import region_aliases
    from sswanalysis.monthly.identity import register_regions
    from sswanalysis.monthly.readers import sniff, text_records
    from sswanalysis.textfiles import examine

    p = Path(path)
    try:
        kind = sniff(p) if p.is_file() else None
        data = p.read_bytes() if kind == "csv" else b""
    except OSError as exc:
        raise ValueError(f"--stations {path}: cannot be read ({exc.strerror or exc})") from None
    if kind is None:
        raise ValueError(f"--stations {path}: {'is a folder, not a file' if p.is_dir() else 'no such file'}")
    if kind != "csv":
        raise ValueError(f"--stations {path}: is {_NOT_CSV[kind]}; the station register must be a CSV file "
                         "(UTF-8) with columns station_id and region_id: in Excel, File > Save As > "
                         "CSV UTF-8 (Comma delimited)")
    decoded = examine(data)
    if decoded.text is None:
        raise ValueError(f"--stations {path}: {decoded.fault}")
    try:
        records = [(n, cells) for n, cells in text_records(decoded.text) if any(c.strip() for c in cells)]
    except csv.Error as exc:
        raise ValueError(f"--stations {path}: cannot be read as CSV ({exc})") from None
    if not records:
        raise ValueError(f"--stations {path}: is empty; write a header row station_id,region_id and "
                         "then one row per station")
    at, width = _register_header(path, *records[0])
    # cells right of the header have no column: refused (not dropped), unless empty
    ragged = [n for n, cells in records[1:] if any(c.strip() for c in cells[width:])]
    if ragged:
        listed = ", ".join(map(str, ragged[:5])) + (", …" if len(ragged) > 5 else "")
        raise ValueError(f"--stations {path}: {len(ragged)} of {len(records) - 1} rows have more cells than "
                         f"the header's {width} columns (row {listed}); delete the extra cells or name "
                         "their column in the header")
    if len(records) == 1:
        raise ValueError(f"--stations {path}: has a header but no stations; add one row per station "
                         "(station_id,region_id)")

    def column(name: str) -> list[str]:
        return [cells[at[name]] if at[name] < len(cells) else "" for _, cells in records[1:]]

    frame = pd.DataFrame({"station_id": column("station_id"), "region_id": column("region_id")},
                         index=[n for n, _ in records[1:]])
    try:
        by_station = register_regions(frame, region_aliases())
    except ValueError as exc:
        raise ValueError(f"--stations {path}: {exc}") from None
    return pd.DataFrame({"station_id": list(by_station), "region_id": list(by_station.values())}, dtype="str")


def exit_code(res: ReadResult, strict: bool) -> int:
    """1 when a file is unreadable (rejected whole), when rows came in but none was accepted,
    or (``strict``) when any row is rejected; else 0."""
    if res.unreadable_files or (res.rows_in and not res.rows_accepted):
        return 1
    return 1 if strict and res.rows_rejected else 0


def _exists(path: str) -> bool:
    try:
        return Path(path).exists()
    except OSError:  # a name too long: not there (the reader says why)
        return False


def ingest_main(args: argparse.Namespace) -> int:
    """Read, validate and store; the last line printed is ``rows_in=<n> accepted=<a> rejected=<r>``.

    Exit codes: 0 done; 1 done, but a file was unreadable, nothing was accepted, or (with
    ``--strict``) a row was rejected; 2 nothing written (bad options, outputs that would
    overwrite inputs, outputs that cannot be written).
    """
    from sswanalysis.monthly.inputs import OUTPUT_MARK
    from sswanalysis.monthly.saving import OutputError, refuse_overwrite, write_csv, write_parquet

    for name, value in (("--max-month", args.max_month), ("--min-month", args.min_month)):
        if (fault := _month_option(name, value)) is not None:
            return _fail(fault)
    try:
        register = read_register(args.stations) if args.stations else None
    except ValueError as exc:
        return _fail(str(exc))
    for name, value in (("--out", args.out), ("--rejects", args.rejects)):
        if value is not None and not Path(value).name:  # '', '.', '..', 'C:\\': no file name
            return _fail(f"{name} {value!r} names a folder, not a file; give a file name "
                         "(e.g. out/accepted.parquet)")
    out = Path(args.out)
    outputs = {"--out": out,
               "--rejects": Path(args.rejects) if args.rejects else out.with_name(out.stem + ".rejects.csv"),
               "stations": out.with_name(out.stem + ".stations.parquet"),
               "notes": out.with_name(out.stem + ".notes.csv"),
               "rows": out.with_name(out.stem + ".rows.csv")}
    try:
        # the station register is an input too: no output may replace it
        refuse_overwrite([*find_inputs(args.paths)[0], *([Path(args.stations)] if args.stations else [])],
                         outputs)
    except (OutputError, ValueError) as exc:
        return _fail(str(exc))
    except OSError as exc:  # e.g. a name longer than the system allows
        return _fail(f"cannot use {exc.filename or 'a path'}: {exc.strerror or exc}")
    missing = [p for p in args.paths if not _exists(p)]
    if missing:
        print(f"sswanalysis ingest: no such file or folder: {', '.join(missing)}", file=sys.stderr)
    res = read(args.paths, stations=register, max_month=args.max_month, min_month=args.min_month,
               progress=False if args.no_progress else None)
    try:
        for p in outputs.values():
            p.parent.mkdir(parents=True, exist_ok=True)
        write_parquet(res.accepted, outputs["--out"], OUTPUT_MARK)
        write_parquet(res.stations, outputs["stations"], OUTPUT_MARK)  # attributes for panel models
        write_csv(res.rejects, outputs["--rejects"])
        write_csv(res.notes, outputs["notes"])
        write_csv(res.rows, outputs["rows"])
    except OSError as exc:
        return _fail(f"cannot write {exc.filename or 'an output'}: {exc.strerror or exc}; "
                     "choose a folder you can write to (and check the disk is not full)")
    print(f"accepted table: {outputs['--out']} ({len(res.accepted)} figures)")
    print(f"accepted rows: {outputs['rows']} ({len(res.rows)} rows)")
    print(f"stations: {outputs['stations']} ({len(res.stations)} stations)")
    print(f"rejects: {outputs['--rejects']} ({len(res.rejects)} faults)")
    print(f"notes: {outputs['notes']} ({len(res.notes)} notes and warnings)")
    print(res.summary())
    code = exit_code(res, args.strict)
    if res.rows_in and not res.rows_accepted:
        print("every row was rejected: see the rejects file", file=sys.stderr)
    return code


__all__ = ["ReadResult", "parse_month", "read", "totals"]

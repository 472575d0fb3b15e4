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

**Where things are.** This module is the entry point (:func:`read`, :func:`totals`, the
``template`` and ``ingest`` commands); :func:`read` runs the steps in order:

* :mod:`sswanalysis.monthly.readers` — read each file into an Arrow table, rows numbered;
* :mod:`sswanalysis.monthly.checks` — the file checks (headers), then the row checks: cells
  to numbers, 元/万元 twins, months, regions, provinces, stations, duplicates;
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

from sswanalysis.monthly.checks import SERVICE_MODEL_ALIASES as SERVICE_MODEL_ALIASES  # re-exported
from sswanalysis.monthly.checks import Faults, check_files, check_rows, number_rows, parse_month
from sswanalysis.monthly.readers import expand, read_files
from sswanalysis.monthly.tables import REJECT_COLUMNS as REJECT_COLUMNS  # re-exported
from sswanalysis.monthly.tables import SYNTHETIC_SOURCE_ID as SYNTHETIC_SOURCE_ID  # re-exported
from sswanalysis.monthly.tables import files_table, long_table, rejects_frame, station_table, totals
from sswanalysis.monthly.template import columns, header_map, normalise_header
from sswanalysis.writing import write_csv

if TYPE_CHECKING:
    import pandas as pd

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
        import pandas as pd

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
                where = r.file + ("" if pd.isna(r.row) else f", row {r.row}")
                where += f", column {r.column}" if isinstance(r.column, str) and r.column else ""
                lines.append(f"  {where}: {r.reason}")
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

    files = expand(paths)
    hmap = header_map()
    spec = {c.name: c for c in columns()}
    min_ord, max_ord = _month_range(min_month, max_month)
    show = progress if progress is not None else (len(files) >= 5 and sys.stderr.isatty())
    ind_headers = {h for h, name in hmap.items() if spec[name].kind == "indicator"}
    raws = read_files(files, ind_headers, normalise_header, progress=show)

    faults = Faults()
    file_rows, ok, pre_bad = check_files(files, raws, hmap, spec, normalise_header, faults)
    n = sum(len(f.raw.rows) for f in ok)
    rows = number_rows(ok, n, files, pre_bad, faults)
    figures, attrs = check_rows(ok, rows, spec, stations=stations, regions=regions,
                                min_ord=min_ord, max_ord=max_ord)
    accepted = long_table(figures, attrs, rows, source_id)
    del figures  # the (rows × columns) matrices: freed before the rest is built
    stations_out = station_table(ok, attrs, rows)
    rejects = rejects_frame(faults, files)
    files_frame = files_table(file_rows, rows)

    rows_in = sum(info["rows_in"] for info in file_rows)
    rows_rejected = int(files_frame["rejected"].sum())
    rows_accepted = n - int(np.count_nonzero(rows.bad))
    assert rows_in == rows_accepted + rows_rejected, (rows_in, rows_accepted, rows_rejected)
    return ReadResult(accepted, rejects, stations_out, files_frame, rows_in, rows_accepted,
                      rows_rejected, sum(raw.blank_rows for raw in raws))


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
    parser.add_argument("paths", nargs="+", metavar="PATH", help="月报文件或其文件夹 / "
                                                                 "report files or folders of them")
    parser.add_argument("--out", required=True, help="接受的数据写入此 Parquet 文件 / "
                                                     "Parquet file for the accepted tidy table")
    parser.add_argument("--rejects", help="退回的行写入此 CSV (默认: --out 旁边) / "
                                          "CSV file for the rejects (default: beside --out)")
    parser.add_argument("--strict", action="store_true", help="有行被退回时退出码为 1 / "
                                                              "exit 1 when any row is rejected")
    parser.add_argument("--stations", help="站点名册 CSV (station_id, region_id) / CSV station register")
    parser.add_argument("--max-month", help="接受的最晚月份 YYYY-MM (默认: 本月) / "
                                            "latest month accepted (default: this month)")
    parser.add_argument("--min-month", default="2000-01",
                        help="接受的最早月份 YYYY-MM / earliest month accepted")
    parser.add_argument("--no-progress", action="store_true", help="不显示进度条 / no progress bar")


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
    stations_out = out.with_name(out.stem + ".stations.parquet")  # attributes for panel models
    res.stations.to_parquet(stations_out, index=False)
    rejects = Path(args.rejects) if args.rejects else out.with_name(out.stem + ".rejects.csv")
    rejects.parent.mkdir(parents=True, exist_ok=True)
    write_csv(res.rejects, rejects)
    print(f"accepted table: {out} ({len(res.accepted)} figures)")
    print(f"stations: {stations_out} ({len(res.stations)} stations)")
    print(f"rejects: {rejects} ({len(res.rejects)} faults)")
    print(res.summary())
    return 1 if args.strict and res.rows_rejected else 0


__all__ = ["ReadResult", "parse_month", "read", "totals"]

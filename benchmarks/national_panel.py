"""Benchmark: a synthetic national panel (30,000 stations × 36 months), end to end, against DuckDB.

Steps, each timed:

1. generate the panel (:func:`sswanalysis.monthly.synthetic.national_panel`) — SYNTHETIC data;
2. write it as one CSV report file per province;
3. ingest + validate with :func:`sswanalysis.monthly.ingest.read`, and aggregate per
   province × month × indicator × unit with :func:`sswanalysis.monthly.ingest.totals`;
4. compute the same aggregates with one plain DuckDB query over the same files.

The two results are compared (they must be equal). The ratio is the time of step 3 over
the time of step 4. The last line printed is
``ratio_vs_duckdb=<x> seconds=<s> peak_mb=<m>`` where ``seconds`` is the whole run
(steps 1–4) and ``peak_mb`` the peak resident memory of the process (ru_maxrss; DuckDB's
memory counts too, as it runs in the same process).

Goal (issue 5): under 60 s and 4 GB on 2 cores, within 3× of DuckDB; issue 14: the same
for ``--format parquet``. The run prints our user and system CPU time. The system time is the
kernel providing fresh memory, mostly for the output: the long table, one row per figure in 16
columns, and the value matrix.

On Linux numpy asks the kernel for transparent huge pages (2 MB) for large arrays. On a VM
whose memory is backed lazily by the host, a process's first huge pages are slow to come
and their cost varies from run to run: it set the spread of the Parquet ratio here (see
``benchmarks/README.md``). Windows, where most users run the tool, has no such advice. The
benchmark therefore runs with ``NUMPY_MADVISE_HUGEPAGE=0``, numpy's own switch, and says so;
``--numpy-hugepages`` keeps numpy's Linux default. DuckDB's own memory is not affected.

Run: ``.venv/bin/python benchmarks/national_panel.py [--stations N] [--months M]
[--format csv|parquet] [--numpy-hugepages]``
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def duckdb_totals(folder: Path, fmt: str, indicator_columns: list[str]):
    """The aggregates by a plain DuckDB query: province × month × column, sum and count."""
    import duckdb

    reader = (f"read_csv('{folder}/*.csv', header=true, all_varchar=false)" if fmt == "csv"
              else f"read_parquet('{folder}/*.parquet')")
    cols = ", ".join(f'"{c}"' for c in indicator_columns)
    query = f"""
        SELECT province, month, "column", sum(CAST(value AS DOUBLE)) AS value_sum, count(*) AS n
        FROM (UNPIVOT (SELECT province, month, {cols} FROM {reader})
              ON {cols} INTO NAME "column" VALUE value)
        GROUP BY ALL ORDER BY ALL
    """
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    return con.execute(query).df()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=30_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--numpy-hugepages", action="store_true",
                        help="keep numpy's Linux default of huge pages for large arrays")
    args = parser.parse_args(argv)
    if "numpy" in sys.modules:  # the switch is read once, when numpy is imported
        parser.error("numpy is already imported: run this file as a script")
    if not args.numpy_hugepages:
        os.environ["NUMPY_MADVISE_HUGEPAGE"] = "0"
    hugepages = os.environ.get("NUMPY_MADVISE_HUGEPAGE", "numpy's default")

    import numpy as np
    import pandas as pd

    from sswanalysis.monthly import ingest as reports
    from sswanalysis.monthly.synthetic import national_panel, write_report_files
    from sswanalysis.monthly.template import columns

    t0 = time.perf_counter()
    panel = national_panel(args.stations, args.months, seed=args.seed)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ssw-national-panel-") as tmp:
        folder = Path(tmp)
        files = write_report_files(panel, folder, formats=(args.format,))
        spec = {c.name: c for c in columns()}
        ind_cols = [c for c in panel.columns if c in spec and spec[c].kind == "indicator"]
        del panel
        t2 = time.perf_counter()
        use0 = resource.getrusage(resource.RUSAGE_SELF)
        res = reports.read(folder, max_month="2099-12", progress=False)
        ours = reports.totals(res.accepted, by=("province", "month"))
        t3 = time.perf_counter()
        use1 = resource.getrusage(resource.RUSAGE_SELF)
        theirs = duckdb_totals(folder, args.format, ind_cols)
        t4 = time.perf_counter()
        use2 = resource.getrusage(resource.RUSAGE_SELF)

    # Same aggregates? Map DuckDB's column names onto indicator × unit.
    theirs["indicator"] = theirs["column"].map({c: spec[c].indicator for c in ind_cols})
    theirs["unit"] = theirs["column"].map({c: spec[c].unit for c in ind_cols})
    key = ["province", "month", "indicator", "unit"]
    a = ours.assign(month=ours["month"].astype("str"), province=ours["province"].astype("str"),
                    indicator=ours["indicator"].astype("str"), unit=ours["unit"].astype("str"))
    a = a[[*key, "value_sum", "n"]].sort_values(key).reset_index(drop=True)
    b = theirs[[*key, "value_sum", "n"]].sort_values(key).reset_index(drop=True)
    same = (len(a) == len(b) and (a[key].to_numpy() == b[key].to_numpy()).all()
            and np.allclose(a["value_sum"], b["value_sum"])
            and (a["n"].to_numpy() == b["n"].to_numpy()).all())

    ours_s, duck_s, total = t3 - t2, t4 - t3, t4 - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"panel: {args.stations} stations x {args.months} months = {res.rows_in} station-months "
          f"(SYNTHETIC), {len(files)} {args.format} files")
    print(f"generate   {t1 - t0:7.2f} s")
    print(f"write      {t2 - t1:7.2f} s")
    print(f"ingest+validate+aggregate {ours_s:7.2f} s  ({len(res.accepted)} figures, "
          f"{res.rows_rejected} rows rejected, {len(ours)} aggregates)")
    # system time is mostly the kernel handing out fresh memory (page faults): see the README
    print(f"  cpu: user {use1.ru_utime - use0.ru_utime:.2f} s, system {use1.ru_stime - use0.ru_stime:.2f} s, "
          f"{use1.ru_minflt - use0.ru_minflt} page faults")
    print(f"duckdb     {duck_s:7.2f} s  ({len(theirs)} aggregates)")
    print(f"  cpu: user {use2.ru_utime - use1.ru_utime:.2f} s, system {use2.ru_stime - use1.ru_stime:.2f} s, "
          f"{use2.ru_minflt - use1.ru_minflt} page faults")
    print(f"same aggregates as duckdb: {same}")
    print(f"pandas {pd.__version__}, NUMPY_MADVISE_HUGEPAGE={hugepages}")
    print(f"ratio_vs_duckdb={ours_s / duck_s:.2f} seconds={total:.1f} peak_mb={peak_mb:.0f}")
    return 0 if same and res.rows_rejected == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: ``sswanalysis validate`` on a Data Package whose ``indicators.csv`` is inflated to
about 150 MB (issue 14): every 50th row's evidence is a run of NUL characters and every 7th
row's unit is misspelt, so there are hundreds of thousands of faults.

Goal: at most 60 s and 1 GB, with at most a few hundred lines of output (300 here): faults
are shown at most 20 per kind (file, column, rule) with a true count of the rest, echoed cells
are cut short, and each rule is asked once per distinct combination of the cells it reads.

The last line printed is ``seconds=<s> peak_mb=<m> output_lines=<n> exit=<code>``, measured
on the ``validate`` child process. On an idle 2-core machine (2026-12-02): ``--mb 150`` (621,000
rows, 835,000 faults and 31 million conflict warnings, all counted) ``seconds=12 peak_mb=600
output_lines=156 exit=1``; ``--mb 10`` ``seconds=2.6 peak_mb=204``. Before (one fault object per
row and conflicts compared pair by pair): ``--mb 10`` took 141.5 s and printed 1,559 lines.
Reading the CSV file is most of the time and the memory (pandas' C parser, every cell a string).

Run: ``.venv/bin/python benchmarks/validate_big.py [--mb 150]``
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=150)
    args = parser.parse_args(argv)

    from sswanalysis.datapackage.descriptor import shipped_data_dir

    with tempfile.TemporaryDirectory(prefix="ssw-validate-big-") as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(Path(str(shipped_data_dir())), folder)
        with (folder / "indicators.csv").open(encoding="utf-8", newline="") as fh:
            header, *rows = list(csv.reader(fh))
        unit = header.index("unit")
        target = int(args.mb * 1024 * 1024)
        i = 0
        with (folder / "indicators.csv").open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(header)
            while fh.tell() < target:
                row = list(rows[i % len(rows)])
                if i % 50 == 0:
                    row[-1] = "\0" * 2000  # the evidence cell
                if i % 7 == 0:
                    row[unit] = "persns"
                out.writerow(row)
                i += 1
            size = fh.tell()
        print(f"indicators.csv: {size / 1e6:.0f} MB, {i} rows (SYNTHETIC copies of the shipped rows)")
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "sswanalysis.cli", "validate", str(folder)],
                              capture_output=True, text=True, encoding="utf-8", errors="replace", check=False)
        seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines = (proc.stdout + proc.stderr).splitlines()
    print("\n".join(lines[:5] + ["…"] + lines[-3:]))
    print(f"seconds={seconds:.1f} peak_mb={peak_mb:.0f} output_lines={len(lines)} exit={proc.returncode}")
    return 0 if seconds <= 60 and peak_mb <= 1024 and len(lines) <= 300 and proc.returncode == 1 else 1


if __name__ == "__main__":
    sys.exit(main())

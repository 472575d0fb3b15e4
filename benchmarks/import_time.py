"""Benchmark: how long ``import sswanalysis`` takes in a fresh interpreter (goal: well under 0.5 s).

Runs ``python -X importtime -c "import sswanalysis"`` several times and prints the median
cumulative import time of the package, and which heavy libraries the import pulled in
(there should be none: pandas, matplotlib and statsmodels load on first use).
"""

from __future__ import annotations

import statistics
import subprocess
import sys

RUNS = 7
HEAVY = ("pandas", "numpy", "matplotlib", "statsmodels", "scipy", "pyarrow", "duckdb")


def import_seconds() -> float:
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import sswanalysis"],
                         capture_output=True, text=True, check=True).stderr
    line = next(ln for ln in out.splitlines() if ln.rstrip().endswith("| sswanalysis"))
    return int(line.split("|")[1]) / 1e6  # cumulative microseconds


def heavy_modules() -> list[str]:
    code = f"import sys, sswanalysis; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.split()


def main() -> None:
    times = [import_seconds() for _ in range(RUNS)]
    heavy = heavy_modules()
    print(f"import sswanalysis: median {statistics.median(times) * 1000:.1f} ms over {RUNS} runs "
          f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})")
    print(f"heavy modules imported: {', '.join(heavy) or 'none'}")
    print(f"import_ms={statistics.median(times) * 1000:.1f} heavy={len(heavy)}")


if __name__ == "__main__":
    main()

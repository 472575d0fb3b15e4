"""Benchmark: panel models on a synthetic national panel (30,000 stations × 36 months). SYNTHETIC data.

Setup (timed apart, not in ``seconds``): generate the panel with covariates, write one
CSV report file per province and ingest them (:func:`sswanalysis.monthly.ingest.read`).

Timed pipeline (``seconds``), on the ingested table:

1. the analysis frame (:func:`sswanalysis.analysis.station_panel.panel_frame`);
2. the collapsed Poisson fit with cluster-robust errors
   (:func:`sswanalysis.analysis.count_models.fit`);
3. funnel data for stations (:func:`sswanalysis.analysis.performance.funnel_data`);
4. empirical-Bayes rates with rank intervals (``shrunken_rates``, 200 draws).

Reference: statsmodels' row-level GLM of the same formula (``smf.glm`` with a patsy
formula, log-exposure offset, cluster-robust by station) on the same frame.
``ratio_vs_rowlevel`` is the time of step 2 over the time of that reference, and
``max_abs_diff`` the largest absolute difference between their coefficients.

The last line printed is
``seconds=<s> peak_mb=<m> ratio_vs_rowlevel=<r> max_abs_diff=<d>``.
Goals (issue 10): ≤ 30 s, ≤ 3,000 MB, ratio ≤ 0.1, diff ≤ 1e-6, on 2 cores.

Run: ``.venv/bin/python benchmarks/panel_models.py [--stations N] [--months M]``
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

TERMS = ["service_model", "operating_mode", "log_funding", "log_workers", "months_open_band", "february"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=30_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args(argv)

    import numpy as np
    import statsmodels.formula.api as smf
    from statsmodels.genmod.families import Poisson

    from sswanalysis.analysis.count_models import fit
    from sswanalysis.analysis.performance import funnel_data, shrunken_rates
    from sswanalysis.analysis.station_panel import panel_frame
    from sswanalysis.monthly.ingest import read
    from sswanalysis.monthly.synthetic import (
        COVARIATE_EFFECTS,
        national_panel,
        station_covariates,
        write_report_files,
    )

    t0 = time.perf_counter()
    panel = national_panel(args.stations, args.months, seed=args.seed, covariates=True)
    register = station_covariates(panel)
    with tempfile.TemporaryDirectory() as tmp:
        write_report_files(panel, Path(tmp))
        res = read(Path(tmp), max_month="2099-12", progress=False)
    del panel
    print(f"setup (generate, write, ingest {res.rows_in:,} rows): {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)

    start = time.perf_counter()
    frame = panel_frame(res.accepted, res.stations, register=register)
    frame["log_funding"] = np.log(frame["funding_per_station_cny"] / COVARIATE_EFFECTS["funding_median_cny"])
    frame["log_workers"] = np.log(frame["worker_months"])
    t_frame = time.perf_counter()
    # references as patsy's Treatment coding picks them (first sorted level), so that the
    # coefficients can be compared; this is part of the comparison, not of the fit
    reference = {t: sorted(frame[t].dropna().astype("str").unique())[0]
                 for t in ("service_model", "operating_mode", "months_open_band", "february")}
    t_reference = time.perf_counter()
    result = fit(frame, TERMS, reference=reference)
    t_fit = time.perf_counter()
    funnel = funnel_data(frame)
    t_funnel = time.perf_counter()
    shrunk = shrunken_rates(frame, n_sims=200)
    t_shrink = time.perf_counter()
    seconds = t_shrink - start

    formula = ("count ~ C(service_model) + C(operating_mode) + log_funding + log_workers"
               " + C(months_open_band) + C(february)")
    used = frame.dropna(subset=TERMS).reset_index(drop=True)
    r0 = time.perf_counter()
    row_level = smf.glm(formula, used, family=Poisson(), offset=np.log(used["exposure"])).fit(
        cov_type="cluster", cov_kwds={"groups": used["station_id"].astype("category").cat.codes})
    t_rows = time.perf_counter() - r0
    # patsy names "C(term)[T.level]" and "Intercept"; ours are "term[level]" and "const"
    names = {n: re.sub(r"^C\((\w+)\)\[T\.(.+)\]$", r"\1[\2]", n).replace("Intercept", "const")
             for n in row_level.params.index}
    theirs = row_level.params.rename(names).reindex(result.params.index)
    their_se = row_level.bse.rename(names).reindex(result.params.index)
    diff = float(np.max(np.abs(result.params - theirs)))
    se_diff = float(np.max(np.abs(result.bse - their_se)))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"frame {t_frame - start:.2f} s ({len(frame):,} station-months) · fit {t_fit - t_reference:.2f} s "
          f"({result.n_cells:,} cells) · funnel {t_funnel - t_fit:.2f} s ({(funnel['flag'] != '').sum():,} "
          f"flagged) · shrinkage {t_shrink - t_funnel:.2f} s ({len(shrunk):,} stations)")
    print(f"row-level statsmodels GLM {t_rows:.2f} s; largest SE difference {se_diff:.2e}")
    print(result.summary())
    ratio = (t_fit - t_reference) / t_rows
    print(f"seconds={seconds:.2f} peak_mb={peak_mb:.0f} ratio_vs_rowlevel={ratio:.3f} "
          f"max_abs_diff={diff:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

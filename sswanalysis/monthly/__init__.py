"""Station-month reports: the template station staff fill in, and the ingester that reads,
checks and stores their files without losing a row.

The data flow, one module a step:

- :mod:`~sswanalysis.monthly.template` — the template's columns (from the Data Package
  vocabulary) and ``sswanalysis template``;
- :mod:`~sswanalysis.monthly.readers` — decode each file (CSV, .xlsx, Parquet), find the header;
- :mod:`~sswanalysis.monthly.checks` — the file checks, then one function per row check;
- :mod:`~sswanalysis.monthly.tables` — accepted long table, stations, files, rejects, totals;
- :mod:`~sswanalysis.monthly.ingest` — :func:`~sswanalysis.monthly.ingest.read`, the pipeline
  in order, and ``sswanalysis ingest``;
- :mod:`~sswanalysis.monthly.synthetic` — a synthetic national panel for tests and benchmarks.

The accepted table has the shape of ``indicators`` (plus ``month``), so every function of
:mod:`sswanalysis.analysis` runs on it unchanged.
"""

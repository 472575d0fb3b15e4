"""Station-month reports: the template station staff fill in, and the ingester that reads,
checks and stores their files without losing a row.

The data flow, one module a step:

- :mod:`~sswanalysis.monthly.template` — the template's columns (from the Data Package
  vocabulary); :mod:`~sswanalysis.monthly.form` — its Excel form and ``sswanalysis template``;
- :mod:`~sswanalysis.monthly.inputs` — which files are read (folders, repeats, our own outputs);
- :mod:`~sswanalysis.monthly.readers` — what each file is, its header and rows, with
  :mod:`sswanalysis.textfiles` (encodings from evidence),
  :mod:`~sswanalysis.monthly.xlsx` (every sheet, formulas) and :mod:`~sswanalysis.monthly.parquet`;
- :mod:`~sswanalysis.monthly.checks` — the file checks, then the row checks in order
  (:mod:`~sswanalysis.monthly.cells`, :mod:`~sswanalysis.monthly.attributes`,
  :mod:`~sswanalysis.monthly.identity`, :mod:`~sswanalysis.monthly.confusables`);
- :mod:`~sswanalysis.monthly.tables` — accepted long table, rows, stations, files, rejects, notes, totals;
- :mod:`~sswanalysis.monthly.saving` — atomic, formula-safe outputs that never replace an input;
- :mod:`~sswanalysis.monthly.ingest` — :func:`~sswanalysis.monthly.ingest.read`, the pipeline
  in order, and ``sswanalysis ingest``;
- :mod:`~sswanalysis.monthly.synthetic` — a synthetic national panel for tests and benchmarks.

The accepted table has the shape of ``indicators`` (plus ``month``), so every function of
:mod:`sswanalysis.analysis` runs on it unchanged.
"""

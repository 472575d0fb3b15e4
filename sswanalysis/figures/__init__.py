"""Figures: the project's look -- chart style (:mod:`~sswanalysis.figures.style`, bundled CJK
font), charts (:mod:`~sswanalysis.figures.plots`, each takes ``ax=None`` and returns the Axes;
row and tick labels in :mod:`~sswanalysis.figures.axislabels`) and tables for reading
(:mod:`~sswanalysis.figures.display`, headers and formats from
:mod:`~sswanalysis.figures.columns`).

Importing this package is cheap; matplotlib loads with :mod:`~sswanalysis.figures.plots`.
"""

"""Figures: the project's chart style (:mod:`~sswanalysis.figures.style`, bundled CJK font)
and its charts (:mod:`~sswanalysis.figures.plots`; each takes ``ax=None`` and returns the Axes).

Importing this package is cheap; matplotlib loads with :mod:`~sswanalysis.figures.plots`.
"""

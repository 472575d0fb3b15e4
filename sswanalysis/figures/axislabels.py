"""Axis labels that say what each row is, and tick labels as plain numbers.

Used by :mod:`sswanalysis.figures.plots`: :func:`row_labels` tells apart rows that would
carry the same label, marks stocks and flows shown on one axis and subsets of another
indicator; :func:`plain_ticks` writes 0.1, 1, 10 rather than 10⁻¹, 10⁰, 10¹.
"""

from __future__ import annotations

import functools

import pandas as pd
from matplotlib.axes import Axes

from sswanalysis.analysis.labelling import format_number
from sswanalysis.analysis.output import FLOW_PERIODS

__all__ = ["plain_ticks", "row_labels"]


@functools.cache
def _subset_of() -> dict[str, str]:
    """Indicators the vocabulary describes as a subset of another (e.g. vulnerable people)."""
    import re

    from sswanalysis.datapackage.loading import read_raw

    codes = read_raw("indicator_codes")
    found = {}
    for code, text in zip(codes["indicator"], codes["description_en"], strict=True):
        m = re.search(r"subset of (\w+)", str(text))
        if m:
            found[str(code)] = m.group(1)
    return found


def row_labels(frame: pd.DataFrame, label: str = "label") -> list[str]:
    """Row labels made unique and specific: what each row counts, stock or flow, subset.

    * rows whose ``label`` repeats get the English subject of the figure (``subject_en``)
      beneath, so two "培训场次" rows of one place say which training each counts;
    * when the rows mix stocks (registered people, ``period`` not a flow) and flows (people
      served over a period), each label says which it is;
    * an indicator that the vocabulary calls a subset of another shown on the chart is
      marked "其中 of whom".

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"label": ["A 培训场次", "A 培训场次"],
    ...                   "subject_en": ["training for talent", "training for social workers"]})
    >>> row_labels(f)
    ['A 培训场次\\n(training for talent)', 'A 培训场次\\n(training for social workers)']
    """
    import textwrap

    out = [str(x) for x in frame[label]]
    counts = pd.Series(out).value_counts()
    if "subject_en" in frame.columns:
        out = [t + "\n(" + textwrap.shorten(str(s), 44, placeholder="…") + ")"
               if counts[t] > 1 and isinstance(s, str) else t
               for t, s in zip(out, frame["subject_en"], strict=True)]
    if "period" in frame.columns:
        flow = frame["period"].isin(FLOW_PERIODS)
        if flow.any() and not flow.all():
            out = [t + ("  [累计 flow]" if f else "  [存量 stock]")
                   for t, f in zip(out, flow, strict=True)]
    if "indicator" in frame.columns:
        shown = set(frame["indicator"])
        subset = _subset_of()
        out = [("其中 of whom: " + t) if subset.get(i) in shown else t
               for t, i in zip(out, frame["indicator"], strict=True)]
    return out


def plain_ticks(ax: Axes, log: bool = False, axis: str = "x") -> None:
    """Tick labels of ``axis`` (``"x"`` or ``"y"``) as plain numbers (0.1, 1, 10), never 10⁻¹ or 1e3.

    With ``log``, major ticks at 1, 2, 5 per decade (1 only over more than three decades)
    and no labels on minor ticks.
    """
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    target = ax.xaxis if axis == "x" else ax.yaxis
    if log:
        lo, hi = ax.get_xlim() if axis == "x" else ax.get_ylim()
        crowded = hi / lo > 1000  # 1-2-5 ticks over more than three decades run together
        target.set_major_locator(LogLocator(base=10, subs=(1.0,) if crowded else (1.0, 2.0, 5.0)))
        target.set_minor_formatter(NullFormatter())
    target.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, 3)))

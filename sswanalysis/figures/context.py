"""Charts of the national context: a dated series whose every point shows its source's grade.

Conventions as in :mod:`sswanalysis.figures.plots`: a figure written with 余/多/超 is a
whisker from its low to its high bound, never a bare point; one chart shows one unit.
Each point's marker says who published it (see :data:`GRADE_MARKERS`); a hollow marker
means the copy read was a mirror (one step less certain).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from sswanalysis.analysis.context import GRADE_LABELS
from sswanalysis.analysis.intervals import UnitMixError
from sswanalysis.figures.style import use_style

__all__ = ["GRADE_MARKERS", "timeline_chart"]

#: grade -> matplotlib marker
GRADE_MARKERS = {"official_statistics": "s", "official_press": "D", "state_media": "o",
                 "academic": "^", "other_media": "v", "low_quality": "x"}
_COLOR = "#0072B2"


def timeline_chart(timeline: pd.DataFrame, ax: Axes | None = None,
                   title: tuple[str, str] = ("", ""), ylabel: str = "") -> Axes:
    """Dated figures of one indicator: one marker per source, whiskers for 余/多 figures.

    Parameters
    ----------
    timeline : DataFrame
        Rows of :func:`sswanalysis.analysis.context.national_timeline` for one indicator:
        ``date``, ``value``, ``low``, ``high``, ``grade``, ``mirror`` (bool), ``text``.

    Raises
    ------
    UnitMixError
        If the rows hold more than one indicator (and so, possibly, more than one unit).
    """
    if timeline["indicator"].nunique() != 1:
        raise UnitMixError(f"one indicator per chart, got {sorted(set(timeline['indicator']))}")
    if ax is None:
        use_style()
        _, ax = plt.subplots(figsize=(7.2, 4.2))
    ymax = float(timeline["high"].max())
    for r in timeline.itertuples(index=False):
        marker = GRADE_MARKERS.get(str(r.grade), "o")
        if r.high > r.low:
            ax.plot([r.date, r.date], [r.low, r.high], color=_COLOR, lw=2, solid_capstyle="butt")
        ax.scatter([r.date], [r.value], marker=marker, s=55, zorder=3, lw=1.5, edgecolor=_COLOR,
                   facecolor="white" if bool(r.mirror) else _COLOR)
        ax.annotate(r.text, (r.date, r.high), xytext=(6, 4), textcoords="offset points", fontsize=8)
    grades = list(dict.fromkeys(str(g) for g in timeline["grade"]))
    handles = [plt.Line2D([], [], marker=GRADE_MARKERS.get(g, "o"), ls="", color=_COLOR,
                          label=GRADE_LABELS.get(g, g)) for g in grades]
    handles.append(plt.Line2D([], [], marker="o", ls="", color=_COLOR, markerfacecolor="white",
                              label="空心 = 转载 hollow = mirror"))
    handles.append(plt.Line2D([], [], ls="-", lw=2, color=_COLOR, label="余/多 → 区间 interval"))
    ax.legend(handles=handles, loc="upper left", fontsize=8)
    ax.set_ylim(0, ymax * 1.25)
    ax.set_ylabel(ylabel)
    ax.set_title(f"{title[0]}\n{title[1]}", loc="left")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    return ax

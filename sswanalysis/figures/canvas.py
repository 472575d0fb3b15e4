"""The frame every chart of :mod:`sswanalysis.figures` draws in: its Axes and its two-language title.

Charts take ``ax=None`` and return the Axes they drew on (statsmodels' and seaborn's
convention), so that a notebook can place them in its own grid; with ``ax=None`` a new
figure in the project's style is made. Titles put Chinese above English, each wrapped to the
chart's width; synthetic data say so at the start of the title, so that a chart copied out of
context still tells what it shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sswanalysis.figures.style import use_style

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["SYNTHETIC_MARK", "axes_for", "set_title"]

#: Put before the Chinese title of a chart drawn from synthetic data.
SYNTHETIC_MARK = "合成数据 · synthetic — "


def axes_for(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    """``ax`` itself, or the Axes of a new figure of ``figsize`` inches in the project's style."""
    if ax is None:
        import matplotlib.pyplot as plt

        use_style()
        _, ax = plt.subplots(figsize=figsize)
    return ax


def set_title(ax: Axes, zh: str, en: str, *, pad: float | None = None, synthetic: bool = False) -> None:
    """Chinese title above the English one, each wrapped to the chart's width.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> set_title(ax, "标题", "Title", synthetic=True)
    >>> ax.get_title(loc="left")
    '合成数据 · synthetic — 标题\\nTitle'
    >>> plt.close(fig)
    """
    import textwrap

    mark = SYNTHETIC_MARK if synthetic else ""
    ax.set_title(f"{textwrap.fill(mark + zh, 36)}\n{textwrap.fill(en, 72)}", loc="left", pad=pad)

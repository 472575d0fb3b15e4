"""Charts of station-month panels: funnel plot, rate ratios, event-time profile, rank intervals.

Inputs are the frames of :mod:`sswanalysis.analysis.performance`,
:mod:`sswanalysis.analysis.count_models` and :mod:`sswanalysis.analysis.station_panel`.
Each function draws on ``ax`` (a new figure when ``ax`` is None) and returns the Axes; given
no rows it raises :class:`~sswanalysis.analysis.station_panel.PanelError` (nothing to draw),
which notebook 7 turns into a sentence in place of the chart.
When the data are synthetic (``synthetic=True``) the title starts with 合成数据 · synthetic,
so a chart copied out of context still says what it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sswanalysis.analysis.labelling import format_number
from sswanalysis.analysis.station_panel import PanelError, term_labels
from sswanalysis.figures.axislabels import plain_ticks
from sswanalysis.figures.canvas import axes_for, set_title
from sswanalysis.figures.style import NOT_REPORTED_COLOR, describe

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["event_time_chart", "funnel_chart", "rank_chart", "rate_ratio_chart"]

_LIMIT_STYLES = {95: ("#0072B2", "--"), 99.8: ("#D55E00", "-")}


def _require_rows(frame: pd.DataFrame, what: str) -> None:
    """Raise :class:`PanelError` if ``frame`` has no rows: a chart of nothing says nothing."""
    if frame.empty:
        raise PanelError(f"no {what} to draw")


def _heading(ax: Axes) -> str:
    """The chart's title on one line, for the start of its alt text (it says 合成数据 when synthetic)."""
    return " ".join(ax.get_title(loc="left").split())


def funnel_chart(funnel: pd.DataFrame, *, unit_label: tuple[str, str] = ("人", "persons"),
                 exposure_label: tuple[str, str] = ("站·月", "station-months"),
                 synthetic: bool = False, ax: Axes | None = None) -> Axes:
    """Funnel plot: each unit's rate against its exposure, with the control limits.

    Parameters
    ----------
    funnel : DataFrame
        :func:`sswanalysis.analysis.performance.funnel_data` output.
    unit_label, exposure_label : (str, str)
        Chinese and English names of the outcome's unit and of the exposure.
    synthetic : bool
        Mark the title as synthetic data.
    """
    import numpy as np

    _require_rows(funnel, "units")
    ax = axes_for(ax, (7.2, 4.6))
    f = funnel.sort_values("exposure")
    inside = f["flag"] == ""
    ax.scatter(f.loc[inside, "exposure"], f.loc[inside, "rate"], s=10, color=NOT_REPORTED_COLOR,
               alpha=0.7, label="控制限内 within limits", zorder=2)
    for flag, colour, zh in (("above", "#009E73", "高于上限 above"), ("below", "#CC79A7", "低于下限 below")):
        sel = f["flag"] == flag
        ax.scatter(f.loc[sel, "exposure"], f.loc[sel, "rate"], s=18, color=colour,
                   label=f"{zh} 99.8% ({int(sel.sum())})", zorder=3)
    grid = np.linspace(float(f["exposure"].min()), float(f["exposure"].max()), 200)
    for pct, (colour, dash) in _LIMIT_STYLES.items():
        lo, hi = f"lower_{pct:g}", f"upper_{pct:g}"
        if lo not in f:
            continue
        ax.plot(grid, np.interp(grid, f["exposure"], f[lo]), color=colour, ls=dash, lw=1)
        ax.plot(grid, np.interp(grid, f["exposure"], f[hi]), color=colour, ls=dash, lw=1,
                label=f"{pct:g}% 控制限 limits")
    ax.axhline(float(f["target"].iloc[0]), color="#000000", lw=0.8, label="总体率 overall rate")
    how = {"multiplicative": "乘性过度离散调整 multiplicative overdispersion",
           "additive": "加性过度离散调整 additive overdispersion",
           "none": "精确泊松 exact Poisson"}[funnel.attrs.get("overdispersion", "none")]
    ax.set_xlabel(f"暴露量 exposure ({exposure_label[0]} {exposure_label[1]})")
    per = exposure_label[1].rstrip("s")
    ax.set_ylabel(f"{unit_label[0]} / {exposure_label[0]}   {unit_label[1]} per {per}")
    plain_ticks(ax)
    plain_ticks(ax, axis="y")
    ax.legend(fontsize=7, loc="upper right")
    set_title(ax, f"漏斗图:按规模看产出({how.split(' ')[0]})",
              f"Funnel plot: output for size, {how.split(' ', 1)[1]}", synthetic=synthetic)
    counts = {flag: int((f["flag"] == flag).sum()) for flag in ("above", "below")}
    overall = format_number(float(f["target"].iloc[0]))
    describe(ax, f"漏斗图 funnel plot:{_heading(ax)}。{len(f):,} 个单位,总体率 {overall};"
                 f"{counts['above']:,} 个高于、{counts['below']:,} 个低于99.8%控制限。"
                 f" Funnel plot of {len(f):,} units: {counts['above']:,} above and "
                 f"{counts['below']:,} below the 99.8% limits.")
    return ax


def rate_ratio_chart(table: pd.DataFrame, *, truth: dict[str, float] | None = None,
                     labels: dict[str, str] | None = None, synthetic: bool = False,
                     ax: Axes | None = None) -> Axes:
    """Forest plot of rate ratios with their 95 % intervals (log axis, plain tick labels).

    Parameters
    ----------
    table : DataFrame
        ``PanelFit.table``: ``key, term, level, reference, rate_ratio, ci_low, ci_high``.
    truth : dict, optional
        Known rate ratio per row label (synthetic data), drawn as a cross.
    labels : dict, optional
        Row label per ``term[level]`` key; default
        :func:`~sswanalysis.analysis.station_panel.term_labels` (Chinese above English).
    """
    _require_rows(table, "rate ratios (no covariate varies in the data)")
    ax = axes_for(ax, (7.2, 0.62 * len(table) + 1.8))
    keys = table["key"].tolist()
    names = [(labels or {}).get(k) or f"{zh}\n{en}"
             for k, (zh, en) in zip(keys, term_labels(table), strict=True)]
    for y, r in enumerate(table.itertuples()):
        ax.plot([r.ci_low, r.ci_high], [y, y], color="#0072B2", lw=2.2)
        ax.scatter(r.rate_ratio, y, color="#0072B2", s=36, zorder=3,
                   label="估计及95%置信区间 estimate, 95% CI" if y == 0 else None)
        if truth and keys[y] in truth:
            ax.scatter(truth[keys[y]], y, marker="x", color="#D55E00", s=50, zorder=4,
                       label="已知真值 known truth" if y == 0 else None)
    ax.axvline(1.0, color="#000000", lw=0.8)
    ax.set_xscale("log")
    lo, hi = float(table["ci_low"].min()), float(table["ci_high"].max())
    ax.set_xticks([v for v in (0.25, 0.5, 0.7, 1, 1.5, 2, 3, 4) if lo / 1.2 <= v <= hi * 1.2])
    ax.minorticks_off()
    plain_ticks(ax)
    ax.set_yticks(range(len(table)), names)
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.set_xlabel("率比 rate ratio (1 = 无差别 no difference; log scale)")
    ax.legend(fontsize=7, loc="lower right")
    set_title(ax, "与服务量相关的因素:率比及95%置信区间(聚类稳健)",
              "What output is associated with: rate ratios, 95% CI (cluster-robust)",
              synthetic=synthetic)
    items = [f"{' '.join(name.split(chr(10)))} {format_number(r.rate_ratio)} "
             f"({format_number(r.ci_low)}–{format_number(r.ci_high)})"
             for name, r in zip(names, table.itertuples(), strict=True)]
    describe(ax, f"森林图 forest plot:{_heading(ax)}。" + ";".join(items))
    return ax


def event_time_chart(profile: pd.DataFrame, *, unit_label: tuple[str, str] = ("人", "persons"),
                     synthetic: bool = False, ax: Axes | None = None) -> Axes:
    """Mean station output by months since opening, with the 95 % interval across stations.

    ``profile`` is :func:`sswanalysis.analysis.station_panel.event_time_profile` output.
    """
    _require_rows(profile, "months since opening")
    ax = axes_for(ax, (7.2, 4.0))
    ax.fill_between(profile["months_open"], profile["rate_lo"], profile["rate_hi"],
                    color="#56B4E9", alpha=0.35, lw=0, label="95%置信区间 95% CI (across stations)")
    ax.plot(profile["months_open"], profile["rate"], color="#0072B2", marker="o", ms=3,
            label="站均 mean per station")
    ax.set_xlabel("建站后月数 months since opening")
    ax.set_ylabel(f"每站每月{unit_label[0]} {unit_label[1]} per station-month")
    ax.set_ylim(bottom=0)
    plain_ticks(ax, axis="y")
    ax.legend(fontsize=7, loc="lower right")
    set_title(ax, "建站后的服务量变化", "Output by months since opening", synthetic=synthetic)
    first, last = profile.iloc[0], profile.iloc[-1]
    describe(ax, f"折线图 line chart:{_heading(ax)}。"
                 f"建站第 {first['months_open']:g} 个月站均 {format_number(first['rate'])},"
                 f"第 {last['months_open']:g} 个月 {format_number(last['rate'])}。 Mean "
                 f"{format_number(first['rate'])} per station-month in month {first['months_open']:g} "
                 f"after opening, {format_number(last['rate'])} in month {last['months_open']:g}.")
    return ax


def rank_chart(shrunk: pd.DataFrame, *, synthetic: bool = False, ax: Axes | None = None) -> Axes:
    """Every unit's rank (by shrunken rate) with its 95 % rank interval from simulation.

    ``shrunk`` is :func:`sswanalysis.analysis.performance.shrunken_rates` output.
    """
    import numpy as np

    _require_rows(shrunk, "units")
    ax = axes_for(ax, (7.2, 4.2))
    x = np.arange(1, len(shrunk) + 1)
    ax.vlines(x, shrunk["rank_lo"], shrunk["rank_hi"], color="#9E9E9E", lw=0.6,
              label="95%排名区间 95% rank interval")
    ax.scatter(x, shrunk["rank"], s=4, color="#0072B2", zorder=3, label="排名 rank")
    ax.set_xlabel("按收缩率排序的单位 units ordered by shrunken rate")
    ax.set_ylabel("排名 rank (1 = 最高 highest)")
    ax.invert_yaxis()
    plain_ticks(ax, axis="y")
    ax.legend(fontsize=7, loc="lower right")
    median_width = float((shrunk["rank_hi"] - shrunk["rank_lo"]).median())
    set_title(ax, f"排名的不确定性:区间宽度中位数 {median_width:,.0f} 位",
              f"How uncertain ranks are: median interval width {median_width:,.0f} places",
              synthetic=synthetic)
    describe(ax, f"排名图 rank chart:{_heading(ax)}。"
                 f"{len(shrunk):,} 个单位的排名及95%排名区间,区间宽度中位数 {median_width:,.0f} 位。"
                 f" Ranks of {len(shrunk):,} units with 95% rank intervals; median width "
                 f"{median_width:,.0f} places.")
    return ax

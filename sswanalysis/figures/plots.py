"""Charts of the comparisons, in the project style (:func:`sswanalysis.figures.style.use_style`).

Each function draws on ``ax`` (a new figure when ``ax`` is None) and returns the Axes.
Inputs are the frames returned by :mod:`sswanalysis.analysis`, :mod:`sswanalysis.analysis.stats` and
:mod:`sswanalysis.analysis.scenarios`. Conventions:

* approximate figures (余/近/约) are drawn as a whisker from ``low`` to ``high``, exact ones
  as a dot;
* a place that does not report a figure gets a hatched band labelled 未报告 / not
  reported -- never a zero bar;
* one chart shows one unit: :func:`interval_chart` and :func:`rate_chart` raise
  :class:`~sswanalysis.analysis.intervals.UnitMixError` rather than put persons and person-times on
  the same axis.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch, Rectangle

from sswanalysis.analysis.intervals import UnitMixError
from sswanalysis.analysis.labelling import format_number, vocabulary
from sswanalysis.figures.style import NOT_REPORTED_COLOR, color_for, use_style

__all__ = [
    "NOT_REPORTED",
    "budget_chart",
    "coverage_chart",
    "feature_chart",
    "funding_chart",
    "interval_chart",
    "rate_chart",
]

NOT_REPORTED = "未报告 not reported"


def _axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    if ax is None:
        use_style()
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _title(ax: Axes, zh: str, en: str) -> None:
    ax.set_title(f"{zh}\n{en}", loc="left")


def _not_reported_band(ax: Axes, y: float, x0: float, x1: float, height: float = 0.6) -> None:
    ax.add_patch(Rectangle((x0, y - height / 2), x1 - x0, height, facecolor="none",
                           edgecolor=NOT_REPORTED_COLOR, hatch="///", linewidth=0))
    ax.text(x0 + (x1 - x0) * 0.02, y, NOT_REPORTED, va="center", ha="left", fontsize=8,
            color="#555555")


def coverage_chart(
    cov: pd.DataFrame,
    place_labels: Mapping[str, str],
    indicator_labels: Mapping[str, str],
    ax: Axes | None = None,
    title: tuple[str, str] = ("各地报告了哪些指标", "What each region and station reports"),
) -> Axes:
    """Indicator x place grid: the reported figures in coloured cells, hatched where not reported.

    Parameters
    ----------
    cov : DataFrame
        :func:`sswanalysis.analysis.indicator_coverage.coverage` output (indicator, place, n, text).
    place_labels, indicator_labels : mapping
        Column and row labels.
    """
    places = list(dict.fromkeys(cov["place"]))
    inds = list(dict.fromkeys(cov["indicator"]))
    ax = _axes(ax, (1.9 * len(places) + 2.5, 0.42 * len(inds) + 1.4))
    for r in cov.itertuples(index=False):
        x, y = places.index(r.place), inds.index(r.indicator)
        if r.n:
            ax.add_patch(Rectangle((x - 0.48, y - 0.45), 0.96, 0.9, facecolor=color_for(r.place),
                                   alpha=0.22, linewidth=0))
            ax.text(x, y, r.text.replace("; ", "\n"), ha="center", va="center", fontsize=7.5)
        else:
            ax.add_patch(Rectangle((x - 0.48, y - 0.45), 0.96, 0.9, facecolor="none",
                                   edgecolor="#CFCFCF", hatch="////", linewidth=0))
    ax.set_xlim(-0.5, len(places) - 0.5)
    ax.set_ylim(len(inds) - 0.5, -0.5)
    ax.set_xticks(range(len(places)), [place_labels.get(p, p).replace(" ", "\n") for p in places])
    ax.set_yticks(range(len(inds)), [indicator_labels.get(i, i) for i in inds], fontsize=8.5)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.grid(False)
    for side in ("left", "bottom", "top"):
        ax.spines[side].set_visible(False)
    ax.legend(handles=[Patch(facecolor="none", edgecolor="#CFCFCF", hatch="////",
                             label=NOT_REPORTED)],
              loc="upper left", bbox_to_anchor=(0, 0), fontsize=8)
    ax.set_title(f"{title[0]}\n{title[1]}", loc="left", pad=38)
    return ax


def feature_chart(
    fm: pd.DataFrame,
    model_labels: Mapping[str, str],
    ax: Axes | None = None,
    model_colors: Mapping[str, str] | None = None,
    title: tuple[str, str] = ("服务模式的要素", "Features of the service models, as reported"),
) -> Axes:
    """Model x feature dot matrix: filled dot = reported, small open ring = not reported.

    Parameters
    ----------
    fm : DataFrame
        :func:`sswanalysis.analysis.service_models.feature_matrix` output (bool, models as rows).
    model_labels : mapping
        Row labels by model_id.
    model_colors : mapping, optional
        Dot colour by model_id (e.g. the colour of the model's station or region).
    """
    ax = _axes(ax, (8.4, 0.55 * len(fm) + 2.6))
    cols = list(fm.columns)
    for y, (model_id, row) in enumerate(fm.iterrows()):
        color = (model_colors or {}).get(str(model_id), "#0072B2")
        for x, feature in enumerate(cols):
            if bool(row[feature]):
                ax.scatter(x, y, s=150, color=color, zorder=3)
            else:
                ax.scatter(x, y, s=30, facecolor="white", edgecolor="#BBBBBB", zorder=3)
    names = vocabulary("features")
    ax.set_xticks(range(len(cols)), ["\n".join(names.get(c, (c, c))) for c in cols],
                  rotation=60, ha="right", rotation_mode="anchor", fontsize=8)
    ax.set_yticks(range(len(fm)), [model_labels.get(str(m), str(m)) for m in fm.index])
    ax.set_ylim(len(fm) - 0.5, -0.5)
    ax.set_xlim(-0.6, len(cols) - 0.4)
    ax.grid(True, axis="both", color="#EEEEEE")
    ax.tick_params(length=0)
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_visible(False)
    handles = [
        plt.Line2D([], [], marker="o", ls="", color="#555555", markersize=9, label="报告 reported"),
        plt.Line2D([], [], marker="o", ls="", markerfacecolor="white", markeredgecolor="#BBBBBB",
                   markersize=5, label=NOT_REPORTED),
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, fontsize=8)
    ax.set_title(f"{title[0]}\n{title[1]}", loc="left", pad=26)
    return ax


def funding_chart(
    ft: pd.DataFrame,
    place_labels: Mapping[str, str],
    ax: Axes | None = None,
    title: tuple[str, str] = ("每站资金(万元)", "Funding per station (10,000 CNY)"),
) -> Axes:
    """Per-station funding bars; hatched where the number of stations covered is assumed.

    Parameters
    ----------
    ft : DataFrame
        :func:`sswanalysis.analysis.funding.funding_table` output.
    """
    ax = _axes(ax, (7.2, 0.9 * len(ft) + 1.6))
    xmax = float(ft["per_station_wan"].max()) if ft["per_station_wan"].notna().any() else 1.0
    for y, r in enumerate(ft.itertuples(index=False)):
        if r.per_station_wan is None or math.isnan(r.per_station_wan):
            _not_reported_band(ax, y, 0, xmax)
            continue
        assumed = r.basis != "stated"  # 'assumed' (all stations) or 'set' by a scenario
        ax.barh(y, r.per_station_wan, height=0.55, color=color_for(r.region_id),
                hatch="//" if assumed else None, edgecolor="white", linewidth=0)
        how = f"假设 assumed: {r.n_stations} 站" if assumed else "来源写明 stated"
        ax.text(r.per_station_wan + xmax * 0.02, y,
                f"{format_number(r.per_station_wan)} 万元/站\n"
                f"= {format_number(r.amount_wan)} 万元 ÷ {r.n_stations} 站 ({how})",
                va="center", fontsize=8)
    ax.set_yticks(range(len(ft)), [place_labels.get(r, r) for r in ft["region_id"]])
    ax.set_ylim(len(ft) - 0.4, -0.6)
    ax.set_xlim(0, xmax * 2.1)
    ax.set_xlabel("万元 / 站   10,000 CNY per station")
    _title(ax, *title)
    return ax


def _one_unit(frame: pd.DataFrame, value: str = "value", high: str = "high") -> str:
    shown = frame[value].notna() | frame[high].notna()
    units = sorted(set(frame.loc[shown, "unit"].astype("str")))
    if len(units) > 1:
        raise UnitMixError(f"one chart, one unit; got {', '.join(units)}")
    return units[0] if units else ""


def interval_chart(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    label: str = "label",
    value: str = "value",
    low: str = "low",
    high: str = "high",
    color: str = "color",
    title: tuple[str, str] = ("", ""),
    xlabel: str | None = None,
    annotate: str | None = "text",
) -> Axes:
    """Dot-and-whisker chart of figures in one unit; rows with a missing value are "not reported".

    Parameters
    ----------
    frame : DataFrame
        One row per bar: ``label``, ``value``, ``low``, ``high``, ``unit`` and optionally
        ``color`` and an annotation column (default ``text``). A row whose value, low and
        high are all NaN is drawn as a hatched "not reported" band; a row with low and high
        but no value (a range over assumed months, which has no point) as a bare whisker.

    Raises
    ------
    UnitMixError
        If the rows with values are in more than one unit.
    """
    unit = _one_unit(frame, value, high)
    ax = _axes(ax, (7.2, 0.45 * len(frame) + 1.5))
    xmax = float(frame[high].max()) if frame[high].notna().any() else 1.0
    bands = False
    for y, (_, r) in enumerate(frame.iterrows()):
        if pd.isna(r[value]) and pd.isna(r[high]):
            _not_reported_band(ax, y, 0, xmax)
            continue
        c = r[color] if color in frame.columns and isinstance(r[color], str) else "#0072B2"
        if r[high] > r[low]:
            ax.plot([r[low], r[high]], [y, y], color=c, lw=2.2, solid_capstyle="butt")
            ax.plot([r[low]] * 2, [y - 0.18, y + 0.18], color=c, lw=1.2)
            ax.plot([r[high]] * 2, [y - 0.18, y + 0.18], color=c, lw=1.2)
            if pd.isna(r[value]):
                bands = True
            else:
                ax.scatter(r[value], y, s=36, facecolor="white", edgecolor=c, zorder=3, lw=1.5)
        else:
            ax.scatter(r[value], y, s=42, color=c, zorder=3)
        if annotate and annotate in frame.columns:
            ax.text(r[high] + xmax * 0.02, y, str(r[annotate]), va="center", fontsize=8)
    ax.set_yticks(range(len(frame)), list(frame[label]))
    ax.set_ylim(len(frame) - 0.5, -0.5)
    ax.set_xlim(0, xmax * 1.3)
    zh, en = vocabulary("units").get(unit, (unit, unit))
    ax.set_xlabel(xlabel or f"{zh}  {en}")
    handles = [
        plt.Line2D([], [], marker="o", ls="", color="#555555", label="确数 exact"),
        plt.Line2D([], [], marker="o", ls="-", color="#555555", markerfacecolor="white",
                   label="余/近/约 → 区间 interval"),
    ]
    if bands:
        handles.append(plt.Line2D([], [], ls="-", color="#555555",
                                  label="假定服务月数区间 range over assumed months"))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(handles),
              fontsize=8)
    ax.set_title(f"{title[0]}\n{title[1]}", loc="left", pad=24)
    return ax


def rate_chart(
    ci: pd.DataFrame,
    labels: Sequence[str],
    ax: Axes | None = None,
    title: tuple[str, str] = ("每站每月服务量及95%置信区间",
                              "Output per station-month, exact 95% Poisson CI"),
    log: bool = True,
) -> Axes:
    """Forest plot of per-station-month rates with their exact Poisson intervals.

    Parameters
    ----------
    ci : DataFrame
        :func:`sswanalysis.analysis.stats.poisson_ci` rows (rate, rate_lo, rate_hi, place, unit),
        all in one unit.
    labels : sequence of str
        Row labels, one per row of ``ci``.
    """
    unit = _one_unit(ci)
    ax = _axes(ax, (7.2, 0.45 * len(ci) + 1.6))
    for y, r in enumerate(ci.itertuples(index=False)):
        if pd.isna(r.rate) and pd.isna(r.rate_hi):
            ax.text(0.5, y, NOT_REPORTED, transform=ax.get_yaxis_transform(), fontsize=8,
                    color="#555555", va="center")
            continue
        c = color_for(r.place)
        ax.plot([r.rate_lo, r.rate_hi], [y, y], color=c, lw=2.2)
        interval = f"{r.rate_lo:.2f}–{r.rate_hi:.2f}"
        if not pd.isna(r.rate):  # a band of assumed months has no point estimate
            ax.scatter(r.rate, y, s=40, color=c, zorder=3)
            interval = f"{r.rate:.2f} ({interval})"
        ax.text(r.rate_hi * (1.08 if log else 1.0), y, interval, va="center", fontsize=8)
    ax.set_yticks(range(len(ci)), list(labels))
    ax.set_ylim(len(ci) - 0.5, -0.5)
    if log:
        ax.set_xscale("log")
        lo = float(ci["rate_lo"][ci["rate_lo"] > 0].min())
        ax.set_xlim(lo / 2, float(ci["rate_hi"].max()) * 6)
    zh, en = vocabulary("units").get(unit, (unit, unit))
    ax.set_xlabel(f"{zh} / 站·月   {en} per station-month" + ("  (log scale)" if log else ""))
    _title(ax, *title)
    return ax


def budget_chart(
    sens: pd.DataFrame,
    place_labels: Mapping[str, str],
    n_mark: int | None = None,
    ax: Axes | None = None,
    title: tuple[str, str] = ("新增站点所需预算(万元)", "Budget to open N more stations (10,000 CNY)"),
) -> Axes:
    """Budget against the number of new stations, one line per observed cost level.

    The band between the lowest and highest level is shaded; ``n_mark`` adds a marker line.

    Parameters
    ----------
    sens : DataFrame
        :func:`sswanalysis.analysis.scenarios.sensitivity` output.
    """
    ax = _axes(ax, (7.2, 4.2))
    wide = sens.pivot_table(index="n_townships", columns="observation_id", values="budget_wan")
    ax.fill_between(wide.index, wide.min(axis=1), wide.max(axis=1), color="#DDDDDD", alpha=0.6,
                    lw=0, label="观察到的成本区间 observed range")
    for _, g in sens.groupby("observation_id", sort=False):
        region = str(g["region_id"].iloc[0])
        basis = str(g["basis"].iloc[0])
        per = float(g["per_station_wan"].iloc[0])
        ax.plot(g["n_townships"], g["budget_wan"], color=color_for(region), lw=2,
                ls="--" if basis == "assumed" else "-",
                label=f"{place_labels.get(region, region)}: {format_number(per)} 万元/站"
                      + (" (假设 assumed)" if basis == "assumed" else ""))
    if n_mark is not None:
        ax.axvline(n_mark, color="#555555", lw=0.8, ls=":")
        ax.text(n_mark, ax.get_ylim()[1], f" N = {n_mark}", va="top", fontsize=8)
    ax.set_xlabel("新增乡镇(街道)社工站数  N new township stations")
    ax.set_ylabel("万元  10,000 CNY")
    ax.grid(True, axis="y")
    ax.legend(loc="upper left", fontsize=8)
    _title(ax, *title)
    return ax

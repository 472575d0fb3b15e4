"""Charts of the comparisons, in the project style (:func:`sswanalysis.figures.style.use_style`).

Each function draws on ``ax`` (a new figure when ``ax`` is None) and returns the Axes.
Inputs are the frames returned by :mod:`sswanalysis.analysis`, :mod:`sswanalysis.analysis.stats` and
:mod:`sswanalysis.analysis.scenarios`. Conventions:

* approximate figures (余/近/约) are drawn as a whisker from ``low`` to ``high``, exact ones
  as a dot; the legend names only what is drawn, and says what a whisker stands for
  (the range 余/近/约 implies, or a 95 % Poisson interval);
* every chart carries a description written from its data
  (:func:`~sswanalysis.figures.style.describe`), which the notebooks and the report use as
  the image's alt text;
* labels are unique: two rows with the same place and indicator are told apart by what
  they count (``subject_en``); stocks (registered people) and flows (people served) on one
  axis are marked as such;
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
from sswanalysis.figures.axislabels import plain_ticks, row_labels
from sswanalysis.figures.canvas import axes_for, set_title
from sswanalysis.figures.style import NOT_REPORTED_COLOR, color_for, describe

__all__ = [
    "INTERVAL_KINDS",
    "NOT_REPORTED",
    "budget_chart",
    "coverage_chart",
    "feature_chart",
    "funding_chart",
    "interval_chart",
    "rate_chart",
]

NOT_REPORTED = "未报告 not reported"

#: What the marks stand for, by kind of interval: (dot, whisker around a point, whisker
#: without a point -- a range over a band of assumed months of service).
INTERVAL_KINDS: dict[str, tuple[str, str, str]] = {
    "qualifier": ("确数 exact figure", "余/近/约 所指范围  range implied by 余/近/约",
                  "假定服务月数下的范围(无点估计)  range over the assumed months (no point)"),
    "poisson95": ("估计 estimate", "95% 泊松置信区间(含余/近/约范围)  95% Poisson interval",
                  "假定服务月数范围内的95%泊松区间(无点估计)  "
                  "95% Poisson interval over the assumed months (no point)"),
}


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
    ax = axes_for(ax, (1.9 * len(places) + 2.5, 0.42 * len(inds) + 1.4))
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
    items = []
    for p in places:
        got = cov[(cov["place"] == p) & (cov["n"] > 0)]
        names = "、".join(str(indicator_labels.get(i, i)).split(" ")[0] for i in got["indicator"])
        items.append(f"{place_labels.get(p, p)} 报告 {len(got)} 项指标 reports {len(got)} of "
                     f"{len(inds)}" + (f"({names})" if names else ""))
    describe(ax, f"网格图:{title[0]} {title[1]}。" + ";".join(items))
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
    ax = axes_for(ax, (8.4, 0.55 * len(fm) + 2.6))
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
    items = []
    for model_id, row in fm.iterrows():
        got = [names.get(c, (c, c))[0] for c in cols if bool(row[c])]
        items.append(f"{model_labels.get(str(model_id), str(model_id))} 报告 {len(got)} 项"
                     f"({'、'.join(got) or '无'})")
    describe(ax, f"点阵图:{title[0]} {title[1]},共 {len(cols)} 项要素。" + ";".join(items))
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
    ax = axes_for(ax, (7.2, 0.9 * len(ft) + 1.6))
    xmax = float(ft["per_station_wan"].max()) if ft["per_station_wan"].notna().any() else 1.0
    items = []
    for y, r in enumerate(ft.itertuples(index=False)):
        where = place_labels.get(r.region_id, r.region_id)
        if r.per_station_wan is None or math.isnan(r.per_station_wan):
            _not_reported_band(ax, y, 0, xmax)
            items.append(f"{where}:{format_number(r.amount_wan)} 万元,每站金额未知 per station not known")
            continue
        assumed = r.basis != "stated"  # 'assumed' (all stations) or 'set' by a scenario
        ax.barh(y, r.per_station_wan, height=0.55, color=color_for(r.region_id),
                hatch="//" if assumed else None, edgecolor="white", linewidth=0)
        how = f"假设 assumed: {r.n_stations} 站" if assumed else "来源写明 stated"
        text = (f"{format_number(r.per_station_wan)} 万元/站\n"
                f"= {format_number(r.amount_wan)} 万元 ÷ {r.n_stations} 站 ({how})")
        ax.text(r.per_station_wan + xmax * 0.02, y, text, va="center", fontsize=8)
        items.append(f"{where}:{text}".replace("\n", " "))
    ax.set_yticks(range(len(ft)), [place_labels.get(r, r) for r in ft["region_id"]])
    ax.set_ylim(len(ft) - 0.4, -0.6)
    ax.set_xlim(0, xmax * 2.1)
    ax.set_xlabel("万元 / 站   10,000 CNY per station")
    plain_ticks(ax)
    set_title(ax, *title)
    describe(ax, f"条形图:{title[0]} {title[1]}。" + ";".join(items))
    return ax


def _one_unit(frame: pd.DataFrame, value: str = "value", high: str = "high") -> str:
    shown = frame[value].notna() | frame[high].notna()
    units = sorted(set(frame.loc[shown, "unit"].astype("str")))
    if len(units) > 1:
        raise UnitMixError(f"one chart, one unit; got {', '.join(units)}")
    return units[0] if units else ""


def _legend(ax: Axes, drawn: dict[str, bool], labels: tuple[str, str, str],
            ring: bool = True) -> None:
    """A legend of only what was drawn: dots, whiskers with a point, bare whiskers."""
    # Chinese above English: a legend as wide as a one-line label squeezes the axes
    dot, whisker, band = (t.replace("  ", "\n") for t in labels)
    handles = []
    if drawn["dot"]:
        handles.append(plt.Line2D([], [], marker="o", ls="", color="#555555", label=dot))
    if drawn["whisker"]:
        handles.append(plt.Line2D([], [], marker="o", ls="-", color="#555555",
                                  markerfacecolor="white" if ring else "#555555", label=whisker))
    if drawn["band"]:
        handles.append(plt.Line2D([], [], ls="-", color="#555555", label=band))
    if handles:
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0),
                  ncols=min(len(handles), 2), fontsize=8)


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
    interval: str | None = None,
) -> Axes:
    """Dot-and-whisker chart of figures in one unit; rows with nothing to draw are "not reported".

    Parameters
    ----------
    frame : DataFrame
        One row per bar: ``label``, ``value``, ``low``, ``high``, ``unit`` and optionally
        ``color``, an annotation column (default ``text``), ``subject_en``, ``period`` and
        ``indicator`` (used by :func:`row_labels`). A row whose value, low and high are all
        NaN is drawn as a hatched "not reported" band; a row with low and high but no value
        (a range over assumed months, which has no point) as a bare whisker.
    interval : {'qualifier', 'poisson95'}, optional
        What the whiskers stand for (see :data:`INTERVAL_KINDS`); by default 'poisson95'
        for :func:`sswanalysis.analysis.scenarios.expected_output` frames (which have an
        ``expected`` column), else 'qualifier'.

    Raises
    ------
    UnitMixError
        If the rows with values are in more than one unit.
    """
    unit = _one_unit(frame, value, high)
    kind = interval or ("poisson95" if "expected" in frame.columns else "qualifier")
    ax = axes_for(ax, (7.2, 0.5 * len(frame) + 1.7))
    xmax = float(frame[high].max()) if frame[high].notna().any() else 1.0
    drawn = {"dot": False, "whisker": False, "band": False}
    labels = row_labels(frame, label)
    items = []
    for y, (_, r) in enumerate(frame.iterrows()):
        if pd.isna(r[value]) and pd.isna(r[high]):
            _not_reported_band(ax, y, 0, xmax)
            items.append(f"{labels[y]}:未报告 not reported")
            continue
        c = r[color] if color in frame.columns and isinstance(r[color], str) else "#0072B2"
        if r[high] > r[low]:
            ax.plot([r[low], r[high]], [y, y], color=c, lw=2.2, solid_capstyle="butt")
            ax.plot([r[low]] * 2, [y - 0.18, y + 0.18], color=c, lw=1.2)
            ax.plot([r[high]] * 2, [y - 0.18, y + 0.18], color=c, lw=1.2)
            if pd.isna(r[value]):
                drawn["band"] = True
            else:
                drawn["whisker"] = True
                ax.scatter(r[value], y, s=36, facecolor="white", edgecolor=c, zorder=3, lw=1.5)
        else:
            drawn["dot"] = True
            ax.scatter(r[value], y, s=42, color=c, zorder=3)
        note = str(r[annotate]) if annotate and annotate in frame.columns else None
        if note:
            ax.text(r[high] + xmax * 0.02, y, note, va="center", fontsize=8)
        items.append(f"{labels[y]}:{note or _span(r[value], r[low], r[high])}")
    ax.set_yticks(range(len(frame)), [t.replace("  [", "\n[") for t in labels])
    ax.set_ylim(len(frame) - 0.5, -0.5)
    ax.set_xlim(0, xmax * 1.35)
    plain_ticks(ax)
    zh, en = vocabulary("units").get(unit, (unit, unit))
    ax.set_xlabel(xlabel or f"{zh}  {en}")
    _legend(ax, drawn, INTERVAL_KINDS[kind])
    set_title(ax, *title, pad=14 + 22 * math.ceil(sum(drawn.values()) / 2))
    what = {"qualifier": "点线图,线段为余/近/约所指范围", "poisson95": "点线图,线段为95%泊松置信区间"}
    describe(ax, f"{what[kind]}:{title[0]} {title[1]}。" + ";".join(items).replace("\n", " "))
    return ax


def _span(v: float, lo: float, hi: float) -> str:
    if lo == hi:
        return format_number(lo)
    point = "" if pd.isna(v) else f"{format_number(v)},"
    return f"{point}{format_number(lo)}–{format_number(hi)}"


def rate_chart(
    ci: pd.DataFrame,
    labels: Sequence[str],
    ax: Axes | None = None,
    title: tuple[str, str] = ("每站每月服务量及95%置信区间",
                              "Output per station-month, exact 95% Poisson interval"),
    log: bool = True,
) -> Axes:
    """Forest plot of per-station-month rates with their exact 95 % Poisson intervals.

    Parameters
    ----------
    ci : DataFrame
        :func:`sswanalysis.analysis.stats.poisson_ci` rows (rate, rate_lo, rate_hi, place, unit),
        all in one unit. A row with an interval but no rate (months assumed as a band) is
        drawn as a bare interval.
    labels : sequence of str
        Row labels, one per row of ``ci``; repeated labels are told apart by
        :func:`row_labels`.
    """
    unit = _one_unit(ci, "rate", "rate_hi")
    ax = axes_for(ax, (7.2, 0.5 * len(ci) + 1.8))
    names = row_labels(ci.assign(label=list(labels)))
    drawn = {"dot": False, "whisker": False, "band": False}
    items = []
    for y, r in enumerate(ci.itertuples(index=False)):
        if pd.isna(r.rate) and pd.isna(r.rate_hi):
            ax.text(0.5, y, NOT_REPORTED, transform=ax.get_yaxis_transform(), fontsize=8,
                    color="#555555", va="center")
            items.append(f"{names[y]}:未报告 not reported")
            continue
        c = color_for(r.place)
        ax.plot([r.rate_lo, r.rate_hi], [y, y], color=c, lw=2.2)
        interval = f"{format_number(r.rate_lo, 3)}–{format_number(r.rate_hi, 3)}"
        if pd.isna(r.rate):  # a band of assumed months has no point estimate
            drawn["band"] = True
        else:
            drawn["whisker"] = True
            ax.scatter(r.rate, y, s=40, color=c, zorder=3)
            interval = f"{format_number(r.rate, 3)} ({interval})"
        ax.text(r.rate_hi * (1.08 if log else 1.0), y, interval, va="center", fontsize=8)
        items.append(f"{names[y]}:{interval}")
    ax.set_yticks(range(len(ci)), [t.replace("  [", "\n[") for t in names])
    ax.set_ylim(len(ci) - 0.5, -0.5)
    if log:
        ax.set_xscale("log")
        lo = float(ci["rate_lo"][ci["rate_lo"] > 0].min())
        ax.set_xlim(lo / 2, float(ci["rate_hi"].max()) * 6)
    plain_ticks(ax, log)
    zh, en = vocabulary("units").get(unit, (unit, unit))
    ax.set_xlabel(f"{zh} / 站·月   {en} per station-month"
                  + ("  (对数刻度 log scale)" if log else ""))
    _legend(ax, drawn, ("", "估计及95%泊松置信区间  estimate and 95% Poisson interval",
                        INTERVAL_KINDS["poisson95"][2]), ring=False)
    set_title(ax, *title, pad=14 + 22 * math.ceil(sum(drawn.values()) / 2))
    describe(ax, f"森林图,每站每月率及95%泊松置信区间:{title[0]} {title[1]}。"
             + ";".join(items).replace("\n", " "))
    return ax


#: What the budget chart's amounts are, said on the chart.
ONE_OFF_NOTE = ("金额为一次性建站投入,不含每年运营经费  "
                "Amounts are one-off set-up money, not yearly running costs")


def budget_chart(
    sens: pd.DataFrame,
    place_labels: Mapping[str, str],
    n_mark: int | None = None,
    ax: Axes | None = None,
    title: tuple[str, str] = ("新增站点所需一次性建站资金(万元)",
                              "One-off set-up money to open N more stations (10,000 CNY)"),
) -> Axes:
    """One-off set-up money against the number of new stations, one line per observed cost level.

    The band between the lowest and highest level is shaded; ``n_mark`` adds a marker line.
    The observed amounts are one-off set-up money (``period`` one_off), so the chart says
    so: :data:`ONE_OFF_NOTE` is added to a title that does not say 一次性 and one-off.

    Parameters
    ----------
    sens : DataFrame
        :func:`sswanalysis.analysis.scenarios.sensitivity` output.
    """
    ax = axes_for(ax, (7.2, 4.6))
    sens = sens.dropna(subset=["budget_wan"])
    wide = sens.pivot_table(index="n_townships", columns="observation_id", values="budget_wan")
    ax.fill_between(wide.index, wide.min(axis=1), wide.max(axis=1), color="#DDDDDD", alpha=0.6,
                    lw=0, label="观察到的成本区间 observed range")
    items = []
    for _, g in sens.groupby("observation_id", sort=False):
        region = str(g["region_id"].iloc[0])
        assumed = str(g["basis"].iloc[0]) != "stated"
        per = float(g["per_station_wan"].iloc[0])
        name = f"{place_labels.get(region, region)}: {format_number(per)} 万元/站" \
            + (" (假设 assumed)" if assumed else "")
        ax.plot(g["n_townships"], g["budget_wan"], color=color_for(region), lw=2,
                ls="--" if assumed else "-", label=name)
        at = g.loc[g["n_townships"] == n_mark, "budget_wan"] if n_mark is not None else []
        items.append(name + (f",N = {n_mark} 时 {format_number(float(at.iloc[0]))} 万元"
                             if len(at) else ""))
    if n_mark is not None:
        ax.axvline(n_mark, color="#555555", lw=0.8, ls=":")
        ax.text(n_mark, ax.get_ylim()[1], f" N = {n_mark}", va="top", fontsize=8)
    ax.set_xlabel("新增乡镇(街道)社工站数  N new township stations")
    ax.set_ylabel("万元(一次性)  10,000 CNY, one-off")
    plain_ticks(ax)
    ax.yaxis.set_major_formatter(ax.xaxis.get_major_formatter())
    ax.grid(True, axis="y")
    ax.legend(loc="upper left", fontsize=8)
    said = "一次性" in title[0] and "one-off" in title[1]
    ax.set_title(f"{title[0]}\n{title[1]}" + ("" if said else f"\n{ONE_OFF_NOTE}"), loc="left")
    describe(ax, f"折线图:{title[0]} {title[1]}。{ONE_OFF_NOTE}。" + ";".join(items))
    return ax

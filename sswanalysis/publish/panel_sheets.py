"""Workbook sheets of a station-month panel: rate ratios, funnel flags and rank intervals.

Used by ``sswanalysis report --data FILE`` so that a planner gets, beside the report's
panel page, the tables of their own monthly reports in the workbook.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sswanalysis.publish.workbook import Sheet

__all__ = ["panel_sheets"]

_HEADERS = {
    "label_zh": ("协变量(中文)", "term, Chinese"), "label_en": ("协变量(英文)", "term, English"),
    "term": ("协变量代码", "term code"), "level": ("水平", "level"), "reference": ("参照", "reference"),
    "rate_ratio": ("率比", "rate ratio"), "ci_low": ("95%下限", "95% CI low"),
    "ci_high": ("95%上限", "95% CI high"), "p_value": ("p值", "p-value"),
    "unit": ("站点", "station"), "observed": ("服务量", "observed"), "exposure": ("暴露量", "exposure"),
    "rate": ("率", "rate"), "target": ("总体率", "overall rate"),
    "lower_99.8": ("99.8%下限", "99.8% lower limit"), "upper_99.8": ("99.8%上限", "99.8% upper limit"),
    "flag": ("超出控制限", "outside limits"), "shrunken_rate": ("收缩率", "shrunken rate"),
    "rate_lo": ("95%下限", "95% low"), "rate_hi": ("95%上限", "95% high"), "rank": ("排名", "rank"),
    "rank_lo": ("排名下限", "rank low"), "rank_hi": ("排名上限", "rank high"),
}


def panel_sheets(data: str | Path, register: str | Path | None = None, *,
                 indicator: str = "people_served", unit: str = "persons") -> list[Sheet]:
    """Three sheets for the panel in ``data`` (an ingest Parquet or report files).

    The model, funnel (by resident-social-worker-months where reported) and shrinkage are
    those of notebook 07, with the same defaults.
    """
    from sswanalysis.analysis import count_models, performance, station_panel
    from sswanalysis.monthly.panel_input import load_register, load_reports
    from sswanalysis.publish.workbook import Sheet

    accepted, stations = load_reports(data)
    frame = station_panel.panel_frame(accepted, stations, indicator=indicator, unit=unit,
                                      register=load_register(register))
    terms, reference = station_panel.model_terms(frame)
    fit = count_models.fit(frame, terms, reference=reference)
    funnel = performance.funnel_data(frame, exposure=station_panel.size_exposure(frame)[0])
    ranks = performance.shrunken_rates(frame, n_sims=500)
    funnel_cols = ["unit", "observed", "exposure", "rate", "target", "lower_99.8", "upper_99.8", "flag"]
    rank_cols = ["unit", "shrunken_rate", "rate_lo", "rate_hi", "rank", "rank_lo", "rank_hi"]
    labels = station_panel.term_labels(fit.table)
    table = fit.table.assign(label_zh=[zh for zh, _ in labels], label_en=[en for _, en in labels])
    fit_cols = ["label_zh", "label_en", *(c for c in fit.table.columns if c in _HEADERS)]
    return [
        Sheet("面板率比", table[fit_cols], _HEADERS, name_en="Panel rate ratios",
              about="月报面板的率比(笔记本 7) Rate ratios of the station-month panel (notebook 7)"),
        Sheet("漏斗图", funnel[funnel_cols], _HEADERS, name_en="Funnel",
              about="漏斗图数据与控制限 Funnel plot data and control limits"),
        Sheet("排名区间", ranks[rank_cols], _HEADERS, name_en="Rank intervals",
              about="收缩率与排名区间 Shrunken rates and rank intervals"),
    ]

"""Write comparison tables to an Excel workbook for planners (openpyxl).

Each sheet has two header rows -- Chinese on row 1, English on row 2 -- and the data from
row 3. Strings that a spreadsheet would read as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) are neutralised with a leading apostrophe;
numbers stay numbers. Qualified figures keep their qualifier: the tables passed in carry
a qualifier column and/or the display text (e.g. ``≥1,200 人``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FORMULA_PREFIXES",
    "WORKBOOK_NAME",
    "Sheet",
    "comparison_sheets",
    "safe_cell",
    "sources_sheet",
    "write_workbook",
]

#: first characters that make a spreadsheet treat a string as a formula (OWASP CSV injection)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Sheet:
    """One worksheet: a frame, bilingual headers per column and a title.

    ``headers`` maps a column name to ``(chinese, english)``; columns without an entry use
    their name on both rows. Only the columns listed in ``headers`` are written when
    ``only_headed`` is true.
    """

    name: str
    frame: pd.DataFrame
    headers: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    only_headed: bool = False
    widths: Mapping[str, float] = field(default_factory=dict)


def safe_cell(value: Any) -> Any:
    """A value as it should go into a cell: inert text, a plain number, or None.

    Examples
    --------
    >>> safe_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell("-5 人"), safe_cell("≥1,200 人")
    ("'-5 人", '≥1,200 人')
    >>> safe_cell(1200.0), safe_cell(float("nan")), safe_cell(None)
    (1200.0, None, None)
    >>> import numpy as np
    >>> type(safe_cell(np.int64(3))).__name__, type(safe_cell(np.float64(2.5))).__name__
    ('int', 'float')
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        return value
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def write_workbook(
    path: str | Path,
    sheets: Sequence[Sheet],
    sources: pd.DataFrame | None = None,
    source_headers: Mapping[str, tuple[str, str]] | None = None,
) -> Path:
    """Write ``sheets`` (and a ``sources`` sheet of citations) to an ``.xlsx`` file.

    Parameters
    ----------
    path : path
        Output file; parent folders are created.
    sheets : sequence of Sheet
    sources : DataFrame, optional
        Citations, written as the last sheet named ``sources``.

    Returns
    -------
    Path

    Examples
    --------
    >>> import pandas as pd, tempfile, openpyxl
    >>> f = pd.DataFrame({"text": ["≥1,200 人"], "value": [1200.0], "qualifier": ["at_least"]})
    >>> h = {"text": ("数值", "figure"), "value": ("下限", "lower bound"),
    ...      "qualifier": ("限定", "qualifier")}
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_workbook(f"{d}/w.xlsx", [Sheet("output", f, h)])
    ...     ws = openpyxl.load_workbook(p)["output"]
    ...     [[c.value for c in row] for row in ws.iter_rows()]
    [['数值', '下限', '限定'], ['figure', 'lower bound', 'qualifier'], ['≥1,200 人', 1200, 'at_least']]
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    all_sheets = list(sheets)
    if sources is not None:
        all_sheets.append(Sheet("sources", sources, dict(source_headers or {})))
    names: set[str] = set()
    for sheet in all_sheets:
        name = sheet.name[:31]
        if name in names:
            raise ValueError(f"duplicate sheet name {name!r}")
        names.add(name)
        ws = wb.create_sheet(safe_cell(name).lstrip("'"))
        cols = [c for c in sheet.frame.columns if not sheet.only_headed or c in sheet.headers]
        fill = PatternFill("solid", fgColor="DDEBF7")
        for j, col in enumerate(cols, start=1):
            zh, en = sheet.headers.get(col, (str(col), str(col)))
            for i, text in ((1, zh), (2, en)):
                cell = ws.cell(row=i, column=j, value=safe_cell(text))
                cell.font = Font(bold=(i == 1))
                cell.fill = fill
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            width = sheet.widths.get(col, max(10, min(48, 2 + max(len(zh) * 2, len(en)))))
            ws.column_dimensions[get_column_letter(j)].width = width
        for i, row in enumerate(sheet.frame[cols].itertuples(index=False), start=3):
            for j, value in enumerate(row, start=1):
                v = safe_cell(value)
                cell = ws.cell(row=i, column=j, value=v)
                if isinstance(v, str):
                    cell.data_type = "s"
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A3"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.properties.creator = "sswanalysis"
    wb.save(path)
    return path


WORKBOOK_NAME = "sswanalysis-comparison.xlsx"


def comparison_sheets() -> list[Sheet]:
    """The comparison tables of the notebooks, as workbook sheets (default assumptions)."""
    from sswanalysis import analysis
    from sswanalysis import datapackage as ssw
    from sswanalysis.analysis import scenarios, stats

    ind = ssw.load("indicators")
    labels = analysis.place_labels(ssw.load("regions"), ssw.load("stations"))
    ind_zh, ind_en = analysis.labels("indicator_codes", "zh"), analysis.labels("indicator_codes", "en")
    stations = analysis.station_counts(ind)
    months = dict(analysis.MONTHS_BAND)  # assumed, a band: see analysis.output

    places = analysis.places(ssw.load("regions"), ssw.load("stations"))
    cov = analysis.coverage_matrix(ind, places)
    cov.columns = [labels.get(c, c) for c in cov.columns]
    cov = cov.reset_index()
    cov.insert(1, "indicator_zh", cov["indicator"].map(ind_zh))
    cov.insert(2, "indicator_en", cov["indicator"].map(ind_en))
    cov_h = {"indicator": ("指标代码", "indicator code"), "indicator_zh": ("指标", "indicator"),
             "indicator_en": ("指标(英文)", "indicator (English)")}
    cov_h.update({c: (c.split(" ")[0], c.split(" ", 1)[-1]) for c in cov.columns[3:]})

    models = ssw.load("models")
    fm = analysis.feature_matrix(ssw.load("model_features"), models)
    feat = fm.map(lambda x: "报告 reported" if x else "未报告 not reported").reset_index()
    feat.insert(1, "name_zh", list(models["name_zh"].astype("str")))
    feat_h = {"model_id": ("模式代码", "model id"), "name_zh": ("服务模式", "service model")}
    feat_h.update(analysis.vocabulary("features"))

    comp = analysis.model_components_table(ssw.load("model_components"))
    comp_h = {"model_id": ("模式代码", "model id"), "n_components": ("要素数", "components"),
              "components_zh": ("要素", "components (Chinese)"),
              "components_en": ("要素(英文)", "components (English)")}

    ft = analysis.funding_table(ind, ssw.load("funding"), ssw.load("funding_stations"))
    fund_h = {"observation_id": ("观测编号", "observation id"), "region_id": ("地区", "region"),
              "funder_zh": ("出资方", "funder (Chinese)"), "funder_en": ("出资方(英文)", "funder"),
              "purpose_en": ("用途", "purpose"), "text": ("金额(原文)", "amount as written"),
              "amount_cny": ("金额(元)", "amount (CNY)"), "amount_wan": ("金额(万元)",
                                                                       "amount (10,000 CNY)"),
              "qualifier": ("限定", "qualifier"), "n_stations": ("覆盖站点数", "stations covered"),
              "basis": ("站点数依据", "basis of station count"),
              "per_station_cny": ("每站(元)", "per station (CNY)"),
              "per_station_wan": ("每站(万元)", "per station (10,000 CNY)")}

    out = analysis.service_output(ind, months, stations)
    out["place_label"] = out["place"].map(labels)
    out["indicator_zh"] = out["indicator"].map(ind_zh)
    out_h = {"observation_id": ("观测编号", "observation id"), "place_label": ("地点", "place"),
             "indicator_zh": ("指标", "indicator"), "method": ("方法", "method"),
             "text": ("数值(原文口径)", "figure as reported"), "qualifier": ("限定", "qualifier"),
             "unit": ("单位", "unit"), "low": ("区间下限", "interval low"),
             "high": ("区间上限", "interval high"), "stations": ("站点数", "stations"),
             "per_station_low": ("每站下限", "per station, low"),
             "per_station_high": ("每站上限", "per station, high"),
             "station_months_min": ("站·月下限(假定)", "station-months, shortest (assumed)"),
             "station_months_max": ("站·月上限(假定)", "station-months, longest (assumed)"),
             "pm_low": ("每站每月下限", "per station-month, low"),
             "pm_high": ("每站每月上限", "per station-month, high")}

    ci = stats.poisson_ci(ind, months, stations)
    ci = ci[ci["rate_lo"].notna()].copy()
    ci["place_label"] = ci["place"].map(labels)
    ci["indicator_zh"] = ci["indicator"].map(ind_zh)
    ci["ci_text"] = [f"{lo:,.3f}–{hi:,.3f}" for lo, hi in zip(ci["rate_lo"], ci["rate_hi"], strict=True)]
    ci_h = {"observation_id": ("观测编号", "observation id"), "place_label": ("地点", "place"),
            "indicator_zh": ("指标", "indicator"), "text": ("数值", "figure"),
            "unit": ("单位", "unit"),
            "station_months_min": ("站·月下限(假定)", "station-months, shortest (assumed)"),
            "station_months_max": ("站·月上限(假定)", "station-months, longest (assumed)"),
            "count_lo": ("计数95%下限", "count 95% low"), "count_hi": ("计数95%上限",
                                                                     "count 95% high"),
            "rate_lo": ("95%下限", "95% low"),
            "rate_hi": ("95%上限", "95% high"),
            "ci_text": ("假定服务月数下的95%区间", "95% interval over the assumed exposure")}

    n = scenarios.DEFAULT_N_TOWNSHIPS
    bud = scenarios.budget(n, ft)
    bud_h = {"region_id": ("成本来源", "cost level from"), "basis": ("依据", "basis"),
             "per_station_wan": ("每站(万元)", "per station (10,000 CNY)"),
             "n_townships": ("新增站点数", "new stations"),
             "budget_wan": ("预算(万元)", "budget (10,000 CNY)"),
             "budget_cny": ("预算(元)", "budget (CNY)")}
    return [
        Sheet("coverage", cov, cov_h),
        Sheet("model_features", feat, feat_h),
        Sheet("model_components", comp, comp_h),
        Sheet("funding", ft, fund_h, only_headed=True),
        Sheet("service_output", out, out_h, only_headed=True),
        Sheet("poisson_ci", ci, ci_h, only_headed=True),
        Sheet("budget_scenario", bud, bud_h, only_headed=True),
    ]


def sources_sheet():
    from sswanalysis import datapackage as ssw

    src = ssw.load("sources")
    heads = {"source_id": ("来源编号", "source id"), "kind": ("类型", "kind"),
             "title_zh": ("标题", "title (Chinese)"), "title_en": ("标题(英文)", "title"),
             "section_zh": ("章节", "section"), "publisher_zh": ("发布单位", "publisher (Chinese)"),
             "publisher_en": ("发布单位(英文)", "publisher"), "published": ("年份", "year"),
             "source_file": ("文件", "file"), "note": ("说明", "note")}
    return src, heads

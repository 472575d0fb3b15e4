"""The planners' workbook: the notebooks' tables, an assumptions sheet and live scenario sheets.

:data:`SHEETS` lists the sheet builders in order; adding a sheet is one function and one
entry. The assumptions sheet (``假设``) holds every number a planner may change -- new
stations N, the planning months, the stations a grant is assumed to cover and the months of
service assumed behind the cumulative figures -- and the scenario sheets (``预算情景``,
``预期产出``) compute from those cells with Excel formulas, so changing N in Excel updates
the budget and the expected output. The other sheets are the tables at the default
assumptions, with names rather than ids and the identifier columns first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sswanalysis.publish.workbook import Formula, Sheet, write_workbook

if TYPE_CHECKING:
    from types import ModuleType

    import pandas as pd

__all__ = ["ASSUMPTIONS", "SHEETS", "WORKBOOK_NAME", "Assumptions", "build_workbook",
           "workbook_sheets"]

WORKBOOK_NAME = "sswanalysis-comparison.xlsx"
#: the assumptions sheet's tab name
ASSUMPTIONS = "假设"
_FROM_ROW = 3  # first data row under the two header rows


@dataclass
class Assumptions:
    """The assumption rows and where each value sits, for formulas on other sheets."""

    frame: pd.DataFrame
    cells: dict[str, str]  # key -> absolute reference, e.g. "'假设'!$B$3"


class _Data:
    """The shipped tables and labels every sheet reads (loaded once per workbook)."""

    def __init__(self) -> None:
        from sswanalysis import analysis
        from sswanalysis import datapackage as ssw

        self.ind = ssw.load("indicators")
        self.regions, self.stations_table = ssw.load("regions"), ssw.load("stations")
        self.labels = analysis.place_labels(self.regions, self.stations_table)
        self.order = analysis.places(self.regions, self.stations_table)
        self.stations = analysis.station_counts(self.ind)
        self.funding = analysis.funding_table(self.ind, ssw.load("funding"),
                                              ssw.load("funding_stations"))
        self.months = _months_band(analysis)


def _months_band(analysis: ModuleType) -> dict[str, tuple[float, float]]:
    """Assumed months of service per place as (shortest, longest), from the analysis default."""
    return {str(p): analysis.months_range(m) for p, m in analysis.MONTHS_BAND.items()}


def assumptions(d: _Data) -> Assumptions:
    """Rows of the assumptions sheet with their defaults (from the analysis' defaults)."""
    import pandas as pd

    from sswanalysis.analysis.scenarios import DEFAULT_N_TOWNSHIPS

    rows = [("n", "新增乡镇(街道)社工站数 N", "new township stations N", DEFAULT_N_TOWNSHIPS,
             "个站", "规划假设 planning assumption"),
            ("horizon", "规划期(月)", "planning horizon (months)", 12, "月",
             "规划假设 planning assumption")]
    for r in d.funding.itertuples(index=False):
        if r.basis != "stated" and str(r.region_id) in d.stations:
            every = d.stations[str(r.region_id)]
            rows.append((f"covers:{r.observation_id}",
                         f"{d.labels.get(r.region_id, r.region_id)} {r.text} 覆盖的站点数",
                         f"stations covered by {r.observation_id}", None, "个站",
                         f"来源未写明,默认留空(每站金额未知);填入站点数(如全部 {every} 站)即按此计算 "
                         f"not stated, so empty by default (per station unknown); enter a number "
                         f"(e.g. all {every} stations) to compute"))
    for place, (lo, hi) in d.months.items():
        name = d.labels.get(place, place)
        note = "来源未写明 not in the sources; 假定 assumed"
        rows.append((f"months_min:{place}", f"{name} 累计数字背后的服务月数(最短)",
                     f"{name}: months of service behind the totals (shortest)", lo, "月", note))
        rows.append((f"months_max:{place}", f"{name} 累计数字背后的服务月数(最长)",
                     f"{name}: months of service behind the totals (longest)", hi, "月", note))
    frame = pd.DataFrame(rows, columns=["key", "assumption", "assumption_en", "value", "unit",
                                        "note"])
    frame = frame[["assumption", "assumption_en", "value", "unit", "note", "key"]]
    cells = {k: f"'{ASSUMPTIONS}'!$C${i}" for i, k in enumerate(frame["key"], start=_FROM_ROW)}
    return Assumptions(frame, cells)


def _assumptions_sheet(d: _Data, a: Assumptions) -> Sheet:
    return Sheet(ASSUMPTIONS, a.frame, name_en="Assumptions", frozen=2, headers={
        "key": ("代码", "key"), "assumption": ("假设", "assumption"),
        "assumption_en": ("假设(英文)", "assumption (English)"), "value": ("数值(可改)",
                                                                         "value (change me)"),
        "unit": ("单位", "unit"), "note": ("依据", "basis")},
        formats={"value": "#,##0.##"},
        about="规划者可改的数值;预算情景和预期产出表由公式引用这些单元格 "
              "Numbers a planner may change; the scenario sheets compute from these cells")


def _budget_sheet(d: _Data, a: Assumptions) -> Sheet:
    import pandas as pd

    rows = []
    for r in d.funding.itertuples(index=False):
        cover = a.cells.get(f"covers:{r.observation_id}")
        stations = Formula(f"=IF({cover}=\"\",\"\",{cover})") if cover else r.n_stations
        rows.append({
            "place": d.labels.get(r.region_id, r.region_id), "funder_zh": r.funder_zh,
            "text": r.text, "amount_wan": r.amount_wan, "n_stations": stations,
            "basis": "未写明,见“假设” not stated: see assumptions" if cover else
                     ("来源写明 stated" if r.basis == "stated" else "未知 unknown"),
            "per_station_wan": Formula('=IF(ISNUMBER({n_stations}),{amount_wan}/{n_stations},"")'),
            "n_townships": Formula(f"={a.cells['n']}"),
            "budget_wan": Formula('=IF(ISNUMBER({per_station_wan}),'
                                  '{per_station_wan}*{n_townships},"")'),
            "observation_id": r.observation_id,
        })
    return Sheet("预算情景", pd.DataFrame(rows), name_en="Budget scenario", frozen=1, about=(
        "N 个新站的一次性建站资金 = 每站金额 × N(公式,随“假设”更新);金额为一次性建站投入,"
        "不含每年运营经费 One-off set-up money for N new stations = per-station amount × N "
        "(formulas on the assumptions sheet); not yearly running costs"))


def _expected_sheet(d: _Data, a: Assumptions) -> Sheet:
    import pandas as pd

    from sswanalysis.analysis import stats

    ci = stats.poisson_ci(d.ind, d.months, d.stations)
    ci = ci[ci["rate_lo"].notna()]
    n, h = a.cells["n"], a.cells["horizon"]
    rows = []
    for r in ci.itertuples(index=False):
        short, long = a.cells[f"months_min:{r.place}"], a.cells[f"months_max:{r.place}"]
        scale = f"{n}*{h}/{{stations}}"
        rows.append({
            "place": d.labels.get(r.place, r.place), "indicator": r.indicator,
            "text": r.text, "value": r.value, "stations": float(d.stations.get(r.place, 1)),
            "count_lo": r.count_lo, "count_hi": r.count_hi,
            "months_min": Formula(f"={short}"), "months_max": Formula(f"={long}"),
            "expected": Formula(f'=IF({{months_min}}={{months_max}},'
                                f'{{value}}*{scale}/{{months_min}},"")'),
            "expected_lo": Formula(f"={{count_lo}}*{scale}/{{months_max}}"),
            "expected_hi": Formula(f"={{count_hi}}*{scale}/{{months_min}}"),
        })
    heads = {"value": ("数值(下限)", "figure (low end)"),
             "months_min": ("服务月数(最短,假定)", "months of service, shortest (assumed)"),
             "months_max": ("服务月数(最长,假定)", "months of service, longest (assumed)"),
             "count_lo": ("计数95%下限", "count, 95% low"),
             "count_hi": ("计数95%上限", "count, 95% high"),
             "expected": ("预期(服务月数为单一值时)", "expected (when the months are one number)"),
             "expected_lo": ("预期95%下限", "expected, 95% low"),
             "expected_hi": ("预期95%上限", "expected, 95% high")}
    frame = pd.DataFrame(rows)
    frame["indicator"] = frame["indicator"].map(lambda c: _both("indicator_codes", c))
    return Sheet("预期产出", frame, headers=heads, name_en="Expected output", frozen=2,
                 formats={k: "#,##0" for k in ("expected", "expected_lo", "expected_hi")}
                 | {"count_lo": "#,##0.0", "count_hi": "#,##0.0"},
                 about="N 个新站在规划期内的预期产出及95%泊松区间(公式,随“假设”更新) "
                       "Expected output of N new stations over the horizon with 95% Poisson "
                       "intervals (formulas on the assumptions sheet)")


def _both(table: str, code: str) -> str:
    from sswanalysis.analysis.labelling import vocabulary

    zh, en = vocabulary(table).get(str(code), (str(code), ""))
    return f"{zh} {en}".strip()


def _coverage_sheet(d: _Data, a: Assumptions) -> Sheet:
    from sswanalysis import analysis

    cov = analysis.coverage_matrix(d.ind, d.order).reset_index()
    cov.insert(0, "indicator_zh", cov["indicator"].map(lambda c: _both("indicator_codes", c)))
    cov = cov[[c for c in cov.columns if c != "indicator"] + ["indicator"]]
    cov = cov.rename(columns={"indicator": "indicator_code"})
    heads = {"indicator_zh": ("指标", "indicator"), "indicator_code": ("指标代码", "indicator code")}
    return Sheet("覆盖", cov.fillna("—"), headers=heads, name_en="Coverage", about=(
        "各地报告了哪些指标,单元格为原文数字;“—”为未报告 What each place reports, as written; "
        "'—' = not reported"))


def _features_sheet(d: _Data, a: Assumptions) -> Sheet:
    from sswanalysis import analysis
    from sswanalysis import datapackage as ssw

    models = ssw.load("models")
    fm = analysis.feature_matrix(ssw.load("model_features"), models)
    feat = fm.map(lambda x: "报告 reported" if x else "—").reset_index(drop=True)
    feat.insert(0, "name_zh", list(models["name_zh"].astype("str")))
    return Sheet("模式要素", feat, name_en="Model features", about=(
        "各服务模式报告的要素;“—”为未报告 Features each service model reports; '—' = not reported"))


def _components_sheet(d: _Data, a: Assumptions) -> Sheet:
    from sswanalysis import analysis
    from sswanalysis import datapackage as ssw

    comp = analysis.model_components_table(ssw.load("model_components"))
    names = ssw.load("models").set_index("model_id")["name_zh"].astype("str")
    comp.insert(0, "name_zh", comp["model_id"].map(names))
    comp = comp[["name_zh", "n_components", "components_zh", "components_en", "model_id"]]
    return Sheet("模式构成", comp, name_en="Model components",
                 about="各服务模式的构成(量词照原文) Building blocks of each model, as written")


def _funding_sheet(d: _Data, a: Assumptions) -> Sheet:
    from sswanalysis.figures.display import format_cell

    ft = d.funding.assign(place=d.funding["region_id"].map(d.labels))
    cols = ["place", "funder_zh", "funder_en", "purpose_en", "text", "amount_wan", "n_stations",
            "basis", "per_station_wan", "observation_id"]
    ft = ft[cols].assign(basis=[format_cell(b, "basis") for b in ft["basis"]])
    return Sheet("资金", ft, name_en="Funding", about=(
        "资金金额、出资方、用途与来源写明的覆盖站点数 Amounts, funders, purposes and the stations "
        "the sources say they cover"))


def _output_sheet(d: _Data, a: Assumptions) -> Sheet:
    from sswanalysis import analysis

    out = analysis.service_output(d.ind, d.months, d.stations)
    out["place"] = out["place"].map(d.labels)
    out["indicator"] = out["indicator"].map(lambda c: _both("indicator_codes", c))
    out["method"] = out["method"].map(lambda c: _both("methods", c) if isinstance(c, str) else "—")
    cols = ["place", "indicator", "method", "text", "unit_zh", "stations",
            "per_station_low", "per_station_high", "station_months_min", "station_months_max",
            "pm_low", "pm_high", "observation_id"]
    heads = {"per_station_low": ("每站下限", "per station, low"),
             "per_station_high": ("每站上限", "per station, high"),
             "pm_low": ("每站每月下限", "per station-month, low"),
             "pm_high": ("每站每月上限", "per station-month, high")}
    return Sheet("服务产出", out[[c for c in cols if c in out.columns]], headers=heads,
                 name_en="Service output", frozen=2,
                 formats={k: "#,##0.000" for k in ("pm_low", "pm_high")}
                 | {k: "#,##0.0" for k in ("per_station_low", "per_station_high")},
                 about="服务产出:每站与每站每月(默认假设下) Service output per station and per "
                       "station-month (default assumptions)")


def _sources_sheet(d: _Data, a: Assumptions) -> Sheet:
    from sswanalysis import datapackage as ssw

    src = ssw.load("sources")
    first = ["title_zh", "publisher_zh", "published"]
    src = src[first + [c for c in src.columns if c not in first]]
    return Sheet("来源", src, name_en="Sources", about="每个数字的出处 Where every figure comes from")


#: the workbook's sheets in order, each built from the shipped data and the assumptions
SHEETS: list[Callable[[_Data, Assumptions], Sheet]] = [
    _assumptions_sheet, _budget_sheet, _expected_sheet, _coverage_sheet, _features_sheet,
    _components_sheet, _funding_sheet, _output_sheet, _sources_sheet,
]


def workbook_sheets() -> list[Sheet]:
    """Every sheet of the planners' workbook, in order (see :data:`SHEETS`)."""
    d = _Data()
    a = assumptions(d)
    return [build(d, a) for build in SHEETS]


def build_workbook(path: str | Path, extra: list[Sheet] | None = None) -> list[tuple[str, str]]:
    """Write the planners' workbook to ``path``; return its sheets' (Chinese, English) names.

    ``extra`` sheets (e.g. :func:`sswanalysis.publish.panel_sheets.panel_sheets`) follow
    the workbook's own.
    """
    sheets = workbook_sheets() + list(extra or [])
    write_workbook(path, sheets)
    return [(s.name, s.name_en) for s in sheets]

"""The national-context tables of notebook 8 as workbook sheets (added after the case sheets)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sswanalysis.publish.workbook import Sheet

__all__ = ["context_sheets"]


def context_sheets() -> list[Sheet]:
    """全国背景, 每站资金 and 各省项目: the national series with each figure's source grade;
    each amount beside the stations it may pay for and what the money is for (set-up, pilot
    project, construction, wages and running costs differ); provincial programmes side by side.
    """
    from sswanalysis import analysis
    from sswanalysis import datapackage as ssw
    from sswanalysis.analysis import context
    from sswanalysis.publish.workbook import Sheet

    ind, regions = ssw.load("indicators"), ssw.load("regions")
    ind_zh = analysis.labels("indicator_codes", "zh")
    tl = context.national_timeline(ind, ssw.load("sources"), wanted=tuple(ind_zh))
    tl["indicator_zh"] = tl["indicator"].map(ind_zh)
    tl_h = {"indicator_zh": ("指标", "indicator"), "as_of": ("时点", "as of"),
            "text": ("数值(原文口径)", "figure as written"), "low": ("区间下限", "low"),
            "high": ("区间上限", "high"), "source_id": ("来源编号", "source id"),
            "publisher_zh": ("原发布者", "original publisher"), "grade_label": ("来源等级", "grade"),
            "observation_id": ("观测编号", "observation id")}
    money = context.money_per_station(ind, ssw.load("funding"), ssw.load("funding_stations"))
    name = dict(zip(regions["region_id"].astype("str"), regions["name_zh"], strict=True))
    money["place"] = money["region_id"].map(name)
    money_h = {"place": ("地区", "place"), "amount": ("金额(原文口径)", "amount as written"),
               "as_of": ("时点", "as of"), "stations": ("站点数", "stations"),
               "basis": ("站点数依据", "basis of station count"),
               "per_station_low": ("每站下限(万元)", "per station, low (10,000 CNY)"),
               "per_station_high": ("每站上限(万元)", "per station, high (10,000 CNY)"),
               "purpose_en": ("用途(不同用途不可直接比较)", "what the money is for (not like for like)"),
               "source_id": ("来源编号", "source id"), "observation_id": ("观测编号", "observation id")}
    prog = context.programmes_side_by_side(regions, ind, ssw.load("programmes"),
                                           ssw.load("programme_models"), ssw.load("operating_models"),
                                           ssw.load("targets"))
    prog_h = {"province": ("省份", "province"), "programme": ("项目", "programme"),
              "launched": ("启动", "launched"), "stations": ("站点数", "stations"),
              "coverage": ("覆盖率", "coverage"), "townships": ("乡镇(街道)数", "townships"),
              "target": ("目标(计划)", "target (a plan)"),
              "operating_model": ("运行模式", "operating model"), "region_id": ("地区代码", "region id")}
    return [
        Sheet("全国背景", tl[list(tl_h)], tl_h, name_en="National context", frozen=2,
              about=("全国站点与社工时间线,每个数字标明来源等级 "
                     "The national series, each figure with its source's grade"),
              widths={"text": 22, "grade_label": 30, "source_id": 34}),
        Sheet("每站资金", money[list(money_h)], money_h, name_en="Money per station", frozen=1,
              about=("不同用途的钱,不可直接比较 "
                     "Amounts per station: different kinds of money, not like for like"),
              widths={"purpose_en": 70, "source_id": 34}),
        Sheet("各省项目", prog[list(prog_h)], prog_h, name_en="Provincial programmes", frozen=1,
              about=("启动、站点、覆盖、目标(计划)与运行模式 "
                     "Launch, stations, coverage, targets (plans), model"),
              widths={"programme": 44, "stations": 44, "operating_model": 56}),
    ]

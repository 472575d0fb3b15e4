"""Reader-facing name and format of every column a table shows: the one column-label map.

The HTML tables of the notebooks and the report (:mod:`sswanalysis.figures.display`) and the
sheets of the workbook (:mod:`sswanalysis.publish.workbook`) read their headers and number
formats from :data:`COLUMNS`; labels of codes (units, methods, indicators, features, places)
come from the Data Package's vocabulary tables, not from here.

A format is one of:

* ``""`` -- automatic (numbers to a precision that suits their size, text as it is);
* ``"0"``, ``"0.0"``, ``"0.00"``, ``"0.000"`` -- a number with that many decimals and
  thousands separators;
* ``"year"`` -- a whole number without thousands separators (2022, not 2,022);
* ``"vocab:<table>"`` -- a code of a vocabulary table, shown by its label
  (``vocab:units`` shows the Chinese unit word only);
* ``"place"`` -- a region or station id, shown by its bilingual name;
* ``"qualifier"``, ``"basis"`` -- the figure's qualifier (余/近/约) or whether a number of
  stations is stated or assumed, in words.
"""

from __future__ import annotations

#: column name -> (Chinese header, English header, format)
COLUMNS: dict[str, tuple[str, str, str]] = {
    # identifiers and places
    "observation_id": ("观测编号", "observation id", ""),
    "source_id": ("来源编号", "source id", ""),
    "model_id": ("模式代码", "model id", ""),
    "region_id": ("地区", "region", "place"),
    "station_id": ("站点", "station", "place"),
    "place": ("地点", "place", "place"),
    "place1": ("地点 1", "place 1", "place"),
    "place2": ("地点 2", "place 2", "place"),
    "where": ("地点", "place", ""),
    "place_label": ("地点", "place", ""),
    "level": ("成本/产出水平依据", "level observed at", ""),
    "name_zh": ("名称", "name (Chinese)", ""),
    "name_en": ("名称(英文)", "name", ""),
    "table": ("数据表", "table", ""),
    "item": ("项目", "item", ""),
    "topic": ("主题", "topic", ""),
    "aspect": ("方面", "aspect", ""),
    "items_zh": ("内容", "items (Chinese)", ""),
    "column": ("列", "column", ""),
    # what was counted
    "indicator": ("指标", "indicator", "vocab:indicator_codes"),
    "indicator_zh": ("指标", "indicator", ""),
    "indicator_en": ("指标(英文)", "indicator (English)", ""),
    "what": ("指标", "indicator", ""),
    "method": ("社工方法", "social-work method", "vocab:methods"),
    "unit": ("单位", "unit", "vocab:units"),
    "unit_zh": ("原文单位", "unit as written", ""),
    "subject_en": ("所指对象", "what the figure counts", ""),
    "period": ("时期", "period", ""),
    "as_of": ("截至", "as of", ""),
    "feature": ("要素", "feature", "vocab:features"),
    # figures as the source writes them
    "text": ("数值(原文口径)", "figure as reported", ""),
    "value": ("数值", "value", ""),
    "value_high": ("数值上限", "upper value", ""),
    "qualifier": ("限定词", "qualifier", "qualifier"),
    "evidence": ("原文", "evidence (verbatim)", ""),
    "interval": ("区间", "interval", ""),
    "low": ("区间下限", "interval low", ""),
    "high": ("区间上限", "interval high", ""),
    # sources and the codebook
    "kind": ("类型", "kind", ""),
    "title_zh": ("标题", "title (Chinese)", ""),
    "title_en": ("标题(英文)", "title", ""),
    "section_zh": ("章节", "section", ""),
    "publisher_zh": ("发布单位", "publisher (Chinese)", ""),
    "publisher_en": ("发布单位(英文)", "publisher", ""),
    "published": ("年份", "year", "year"),
    "source_file": ("文件", "file", ""),
    "note": ("说明", "note", ""),
    "description": ("说明", "description", ""),
    "type": ("类型", "type", ""),
    "dtype": ("pandas 类型", "pandas dtype", ""),
    "required": ("必填", "required", ""),
    "values": ("取值", "allowed values", ""),
    # coverage
    "n": ("数字个数", "figures", "0"),
    "figures": ("数字个数", "figures reported", "0"),
    "indicators_reported": ("报告的指标数", "indicators reported", "0"),
    "models reporting": ("报告该要素的模式数", "models reporting", "0"),
    # service models
    "n_components": ("要素数", "components", "0"),
    "components_zh": ("构成", "components (Chinese)", ""),
    "components_en": ("构成(英文)", "components (English)", ""),
    # funding
    "funder_zh": ("出资方", "funder (Chinese)", ""),
    "funder_en": ("出资方(英文)", "funder", ""),
    "purpose_en": ("用途", "purpose", ""),
    "amount_cny": ("金额(元)", "amount (CNY)", "0"),
    "amount_wan": ("金额(万元)", "amount (10,000 CNY)", "0.00"),
    "n_stations": ("覆盖站点数", "stations covered", "0"),
    "basis": ("站点数依据", "basis of station count", "basis"),
    "per_station_cny": ("每站(元)", "per station (CNY)", "0"),
    "per_station_wan": ("每站(万元)", "per station (10,000 CNY)", "0.00"),
    # service output
    "stations": ("站点数", "stations", "0"),
    "per_station": ("每站", "per station", ""),
    "per_station_interval": ("每站(区间)", "per station (interval)", ""),
    "station_months": ("站·月(假定)", "station-months (assumed)", "0"),
    "station_months_min": ("站·月下限(假定)", "station-months, shortest (assumed)", "0"),
    "station_months_max": ("站·月上限(假定)", "station-months, longest (assumed)", "0"),
    "pm": ("每站每月", "per station-month", "0.000"),
    "pm_interval": ("每站每月(区间)", "per station-month (interval)", "0.000"),
    # statistics
    "count_interval": ("计数的95%区间", "count, 95% interval", "0.0"),
    "count_95": ("计数的95%区间", "count, 95% interval", ""),
    "count_ci": ("计数的95%区间", "count, 95% interval", ""),
    "station_months_assumed": ("站·月(假定)", "station-months (assumed)", ""),
    "per_station_month_assumed": ("每站每月(假定服务月数)", "per station-month (assumed months)", ""),
    "low_assumed_exposure": ("下限(假定服务月数)", "low (assumed exposure)", "0"),
    "high_assumed_exposure": ("上限(假定服务月数)", "high (assumed exposure)", "0"),
    "rate": ("每站每月", "per station-month", "0.000"),
    "rate_interval": ("每站每月的95%区间", "per station-month, 95% interval", "0.000"),
    "per_station_month": ("每站每月(95%区间)", "per station-month (95% interval)", ""),
    "count1": ("地点 1 计数", "count at place 1", ""),
    "count2": ("地点 2 计数", "count at place 2", ""),
    "station_months1": ("地点 1 站·月(假定)", "station-months at place 1 (assumed)", "0"),
    "station_months2": ("地点 2 站·月(假定)", "station-months at place 2 (assumed)", "0"),
    "ratio": ("率比", "rate ratio", "0.00"),
    "pvalue": ("p 值", "p-value", "0.000"),
    # scenarios
    "n_townships": ("新增站点数", "new stations", "0"),
    "months": ("月数", "months", "0"),
    "budget_wan": ("一次性建站预算(万元)", "one-off set-up budget (10,000 CNY)", "0.00"),
    "budget_cny": ("一次性建站预算(元)", "one-off set-up budget (CNY)", "0"),
    "expected": ("预期", "expected", "0"),
    "expected_interval": ("预期(95%区间)", "expected (95% interval)", "0"),
}

#: suffixes of a pair of interval columns; the pair is shown as one column ``<stem>interval``
INTERVAL_PAIRS: tuple[tuple[str, str], ...] = (("low", "high"), ("lo", "hi"))

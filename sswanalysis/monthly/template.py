"""The station-month report template: its columns, the header map, and the files it is shipped as.

One row of a report is one station in one month. Its columns are

* station attributes — ``station_id``, ``region_id``, ``month`` (required), and
  ``province``, ``township``, ``service_model``, ``opened``, ``funding_source``,
  ``synthetic``, ``note`` (optional);
* one column per indicator × unit of the harmonised vocabulary (``indicator_codes`` and
  ``units`` of the Data Package), e.g. ``people_served_persons`` and
  ``people_served_person_times`` (persons and person-times are never added), or
  ``households_visited`` where the indicator has a single unit. Money is in yuan
  (``linked_resources_cny``); a ``_wan`` column (``linked_resources_cny_wan``) takes the
  same figure in 万元. Indicator columns are optional: a file carries those it reports.

The indicator columns are built from the Data Package, not listed here: a code added to
``indicator_codes.csv`` becomes a template column. Region-level indicators (those counted in
stations or counties) are not station-month figures and have no column.

Headers may be written in English or Chinese; :func:`header_map` lists every accepted
spelling. Headers are compared after NFKC normalisation (full-width brackets and letters
become half-width), with spaces removed and Latin letters lower-cased, so ``服务人数（人）``,
``服务人数(人)`` and ``People_Served_Persons`` all name the same column.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: 万元 -> 元
WAN = 10_000


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the report template."""

    name: str
    kind: str  # "attribute" or "indicator"
    header_zh: str
    description: str
    required: bool = False
    indicator: str | None = None
    unit: str | None = None
    unit_zh: str | None = None
    scale: int = 1  # WAN for 万元 columns
    method: str | None = None
    example: str = ""
    description_zh: str = ""


#: name, Chinese header, other Chinese spellings, required, description, example
_ATTRIBUTES = [
    ("station_id", "站点编号", ("社工站编号", "站点代码", "编号"), True,
     "Identifier of the station, stable across months.", "SYN-EXAMPLE-001"),
    ("region_id", "地区", ("地区代码", "地区编号"), True,
     "Region the station belongs to: a region_id of the Data Package (regions.csv) or a "
     "province id of templates/provinces.csv (e.g. gansu); the form offers their Chinese names.",
     "linze"),
    ("month", "月份", ("报告月份", "填报月份", "统计月份"), True,
     "Month the figures cover: YYYY-MM (also accepted: YYYY/MM, YYYYMM, YYYY年M月, a date).",
     "2023-01"),
    ("province", "省份", ("省", "所属省份"), False,
     "Province, in Chinese (甘肃省 or 甘肃), English or as a 6-digit division code.", "甘肃省"),
    ("township", "乡镇(街道)", ("乡镇", "街道", "乡镇街道", "所在乡镇"), False,
     "Township or street the station serves, as written.", "示例镇"),
    ("service_model", "运营方式", ("服务模式", "运营模式"), False,
     "How the station is run: a code of station_operations in the Data Package "
     "(e.g. government_purchase) or one of its Chinese names.", "government_purchase"),
    ("opened", "建站时间", ("启用时间", "开站时间", "成立时间"), False,
     "Month the station opened (YYYY-MM); no report may be for an earlier month.", "2022-04"),
    ("funding_source", "资金来源", ("经费来源",), False,
     "Who pays for the station, as written (e.g. 县级财政, 福彩公益金).", "县级财政"),
    ("synthetic", "合成数据", ("示例数据", "示例"), False,
     "true for generated or example rows, which are never real data; empty or false otherwise.",
     "true"),
    ("note", "备注", ("说明",), False,
     "自由文字,不作分析。不得填写服务对象的姓名、身份证号、手机号、银行卡号或邮箱:号码和邮箱会被检出并"
     "退回整行,姓名无法检出,须由填报人自觉不写(其他文字列同样)。 Free text, not analysed. Never write "
     "the names, ID, phone or bank card numbers or e-mail of service users: numbers and e-mail are "
     "detected and reject the row; names cannot be detected, so keep them out (in every text column).",
     "示例行,非真实数据"),
]

#: Chinese meaning of each attribute column (the codebook and the form's header notes).
_ATTRIBUTES_ZH = {
    "station_id": "社工站的编号, 每月保持不变。",
    "region_id": "社工站所属地区: 从下拉列表选择地区或省份名称 (也可填地区代码, 如 linze)。",
    "month": "数字所属月份, 写作 YYYY-MM (如 2023-01; 也可写 2023年1月)。",
    "province": "省份, 从下拉列表选择 (也可写简称、英文名或6位行政区划代码)。",
    "township": "社工站服务的乡镇或街道, 照实填写。",
    "service_model": "社工站的运营方式, 从下拉列表选择。",
    "opened": "建站(启用)月份, 写作 YYYY-MM; 报告月份不能早于此月。",
    "funding_source": "经费来源, 照实填写 (如 县级财政、福彩公益金)。",
    "synthetic": "示例或生成的数据填 是; 真实数据留空或填 否。",
    "note": "备注, 随数据保存, 不参与分析。",
}

#: The drop-down list of the yes/no column: (Chinese label shown in the form, code stored).
#: The other coded columns take theirs from the Data Package and templates/provinces.csv.
_SYNTHETIC_LABELS = (("是", "true"), ("否", "false"))

#: Chinese unit words for the optional Chinese aliases below -> canonical column name.
_ALIASES = {
    "服务人次": "people_served_person_times",
    "服务人数": "people_served_persons",
    "链接资源(元)": "linked_resources_cny",
    "链接资源(万元)": "linked_resources_cny_wan",
    "链接资源金额(元)": "linked_resources_cny",
    "链接资源金额(万元)": "linked_resources_cny_wan",
    "资金投入(万元)": "funding_cny_wan",
    "入户走访(户)": "households_visited",
    "走访户数": "households_visited",
    "个案数": "case_services_cases",
    "小组数": "group_services_groups",
    "社区活动场次": "community_events",
    "培训人次": "training_participants_person_times",
    "志愿者人数": "volunteers_persons",
    "志愿者人次": "volunteers_person_times",
    "驻站社工人数": "resident_social_workers",
    "驻站社工(人)": "resident_social_workers",
    "服务时长(小时)": "service_hours",
}

_EXAMPLES = {
    "people_served_persons": "120",
    "people_served_person_times": "310",
    "households_visited": "45",
    "case_services_cases": "3",
    "group_services_groups": "1",
    "community_events": "2",
    "linked_resources_cny": "5000",
    "resident_social_workers": "2",
}


def normalise_header(text: str) -> str:
    """The form in which headers are compared.

    Examples
    --------
    >>> normalise_header(" 服务人数（人） ")
    '服务人数(人)'
    >>> normalise_header("People_Served_Persons")
    'people_served_persons'
    """
    text = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", text).lower()


@functools.cache
def fractional_units() -> frozenset[str]:
    """Units whose figures may hold fractions (``units.whole`` is false); the rest count things.

    >>> sorted(fractional_units())
    ['cny', 'hours', 'percent']
    """
    from sswanalysis.datapackage.loading import read_raw

    units = read_raw("units")
    return frozenset(units.loc[units["whole"] == "false", "unit"])


@functools.cache
def unit_words() -> dict[str, frozenset[str]]:
    """unit -> the Chinese words it is written with (``units.words_zh`` and its label).

    >>> sorted(unit_words()["persons"])
    ['人', '位', '名']
    """
    from sswanalysis.datapackage.loading import read_raw

    units = read_raw("units")
    return {str(row.unit): frozenset({str(row.label_zh), *str(row.words_zh).split("|")})
            for row in units.itertuples(index=False)}


@functools.cache
def columns() -> tuple[Column, ...]:
    """Every column of the template, attributes first, in template order.

    Examples
    --------
    >>> cols = {c.name: c for c in columns()}
    >>> cols["people_served_person_times"].header_zh, cols["people_served_person_times"].unit
    ('服务人数(人次)', 'person_times')
    >>> c = cols["linked_resources_cny_wan"]
    >>> c.header_zh, c.indicator, c.unit, c.scale
    ('链接社会资源(万元)', 'linked_resources_cny', 'cny', 10000)
    >>> "stations_count" in cols
    False
    """
    import pandas as pd

    from sswanalysis.datapackage.loading import load

    out = [
        Column(name, "attribute", zh, desc, required=req, example=ex, description_zh=_ATTRIBUTES_ZH[name])
        for name, zh, _, req, desc, ex in _ATTRIBUTES
    ]
    codes = load("indicator_codes")
    units = load("units").set_index("unit")
    for row in codes.itertuples(index=False):
        if row.scope == "region":  # about a whole region, not a station-month
            continue
        unit_list = str(row.units).split("|")
        label = re.sub(r"\((元|万元)\)$", "", normalise_header(row.label_zh))
        for unit in unit_list:
            name = row.indicator if len(unit_list) == 1 else f"{row.indicator}_{unit}"
            unit_zh = str(units.loc[unit, "label_zh"])
            desc = f"{row.label_en} in {units.loc[unit, 'label_en']}: {row.description_en}"
            method = None if pd.isna(row.method) else str(row.method)
            common = dict(indicator=row.indicator, unit=unit, method=method)
            zh = f"本月{label}, 以{unit_zh}计; 没有数字时留空 (空不等于0)。"
            out.append(Column(name, "indicator", f"{label}({unit_zh})", desc, unit_zh=unit_zh,
                              example=_EXAMPLES.get(name, ""), description_zh=zh, **common))
            if unit == "cny":
                out.append(Column(f"{name}_wan", "indicator", f"{label}(万元)",
                                  f"The same in 万元 (ten thousand yuan), folded into yuan on reading; "
                                  f"if both are filled they must agree. {desc}",
                                  unit_zh="元", scale=WAN, description_zh=(
                                      f"本月{label}, 以万元计, 读入时折算为元; 与元一列只填一列, "
                                      "都填时两者须一致。"), **common))
    return tuple(out)


@functools.cache
def header_map() -> dict[str, str]:
    """Every accepted header spelling (normalised) -> canonical column name.

    Accepted for each column: its canonical name; its Chinese header; for attributes the
    other Chinese spellings in ``_ATTRIBUTES``; for indicators ``label(unit word)`` with any
    Chinese word the unit's description lists (个案服务(个), 孵化社区社会组织(家)), the
    bare Chinese label where the indicator has one unit, the English ``Label (unit)``; and
    the aliases in ``_ALIASES`` (服务人次, 链接资源(万元), ...).

    Examples
    --------
    >>> m = header_map()
    >>> m["服务人次"], m["服务人数(人)"], m["链接资源(万元)"]
    ('people_served_person_times', 'people_served_persons', 'linked_resources_cny_wan')
    >>> m[normalise_header("个案服务（个）")], m[normalise_header("People served (person-times)")]
    ('case_services_cases', 'people_served_person_times')
    """
    from sswanalysis.datapackage.loading import load

    units = load("units").set_index("unit")
    words = unit_words()
    codes = load("indicator_codes").set_index("indicator")
    out: dict[str, str] = {}

    def add(header: str, name: str) -> None:
        out.setdefault(normalise_header(header), name)

    cols = columns()
    for c in cols:
        add(c.name, c.name)
        add(c.header_zh, c.name)
    for name, _, others, *_ in _ATTRIBUTES:
        for other in others:
            add(other, name)
    by_indicator: dict[str, list[Column]] = {}
    for c in cols:
        if c.kind == "indicator":
            by_indicator.setdefault(c.indicator, []).append(c)
    for code, group in by_indicator.items():
        label = re.sub(r"\((元|万元)\)$", "", normalise_header(codes.loc[code, "label_zh"]))
        plain = [c for c in group if c.scale == 1]
        if len(plain) == 1:
            add(label, plain[0].name)
        owners: dict[str, set[str]] = {}
        for c in plain:
            for w in words[c.unit]:
                owners.setdefault(w, set()).add(c.name)
        for w, names in owners.items():
            if len(names) == 1:
                add(f"{label}({w})", next(iter(names)))
        for c in group:
            unit_en = "万元" if c.scale == WAN else units.loc[c.unit, "label_en"]
            add(f"{codes.loc[code, 'label_en']} ({unit_en})", c.name)
    for alias, name in _ALIASES.items():
        add(alias, name)
    return out


def codebook() -> pd.DataFrame:
    """The template's columns as a table: name, Chinese header, kind, indicator, unit, meaning.

    Examples
    --------
    >>> cb = codebook()
    >>> cb.loc["month", "header_zh"], bool(cb.loc["month", "required"])
    ('月份', True)
    """
    import pandas as pd

    rows = [
        {
            "column": c.name,
            "header_zh": c.header_zh,
            "kind": c.kind,
            "required": c.required,
            "indicator": c.indicator or "",
            "unit": c.unit or "",
            "unit_zh": "万元" if c.scale == WAN else c.unit_zh or "",
            "scale": c.scale,
            "method": c.method or "",
            "description_zh": c.description_zh,
            "description": c.description,
        }
        for c in columns()
    ]
    return pd.DataFrame(rows).set_index("column")


def provinces() -> pd.DataFrame:
    """The 31 provincial-level divisions of mainland China (GB/T 2260 codes), shipped with the template.

    Examples
    --------
    >>> p = provinces()
    >>> len(p), p.loc[p.region_id == "gansu", "name_zh"].item()
    (31, '甘肃省')
    """
    from importlib.resources import files

    import pandas as pd

    with files("sswanalysis").joinpath("templates", "provinces.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype="str")


@functools.cache
def code_labels() -> dict[str, tuple[tuple[str, str], ...]]:
    """Coded column -> its drop-down list in the form: (Chinese label, code) pairs.

    The data keep the codes; the form shows the labels. Regions are those of the Data
    Package (``regions.csv``) and the 31 provinces (a province id is a region too).

    Examples
    --------
    >>> lab = code_labels()
    >>> lab["region_id"][:2], lab["synthetic"]
    ((('乌兰察布市', 'ulanqab'), ('临泽县', 'linze')), (('是', 'true'), ('否', 'false')))
    >>> lab["province"][27], lab["service_model"][0]
    (('甘肃省', '甘肃省'), ('政府购买服务', 'government_purchase'))
    """
    from sswanalysis.datapackage.loading import load, read_raw

    prov = provinces()
    regions = tuple((str(r.name_zh), str(r.region_id)) for r in load("regions").itertuples(index=False))
    operations = read_raw("station_operations")
    return {
        "region_id": regions + tuple(zip(prov["name_zh"], prov["region_id"], strict=True)),
        # the data keep a province as its Chinese name (see checks), so label and code agree
        "province": tuple(zip(prov["name_zh"], prov["name_zh"], strict=True)),
        "service_model": tuple(zip(operations["label_zh"], operations["operation"], strict=True)),
        "synthetic": _SYNTHETIC_LABELS,
    }


def label_to_code(column: str, text: str) -> str | None:
    """The code a form label stands for in a coded ``column`` (None if ``text`` is no label).

    For the ingest: a cell filled from the form's drop-down holds the Chinese label.

    Examples
    --------
    >>> label_to_code("region_id", "临泽县"), label_to_code("region_id", "甘肃省")
    ('linze', 'gansu')
    >>> label_to_code("service_model", "委托专业机构运营"), label_to_code("synthetic", "否")
    ('contracted_organisation', 'false')
    >>> label_to_code("region_id", "linze") is None
    True
    """
    return dict(code_labels().get(column, ())).get(str(text).strip())


def example_rows(*, labels: bool = False) -> pd.DataFrame:
    """A few valid example rows, marked synthetic (station ids ``SYN-EXAMPLE-…``, ``synthetic=true``).

    Parameters
    ----------
    labels : bool
        Show coded columns as the form does (``临泽县``, ``是``) instead of as codes.

    Examples
    --------
    >>> ex = example_rows()
    >>> ex["station_id"].str.startswith("SYN-").all(), set(ex["synthetic"]), ex["region_id"][0]
    (np.True_, {'true'}, 'linze')
    >>> shown = example_rows(labels=True)
    >>> shown.loc[0, ["region_id", "service_model", "synthetic"]].tolist()
    ['临泽县', '政府购买服务', '是']
    """
    import pandas as pd

    base = {c.name: c.example for c in columns()}
    rows = []
    for i, (month, served, resources_wan) in enumerate(
        [("2023-01", "120", ""), ("2023-02", "98", ""), ("2023-03", "130余", "0.8")]
    ):
        row = dict(base)
        row["month"] = month
        row["people_served_persons"] = served
        if resources_wan:
            row["linked_resources_cny"] = ""
            row["linked_resources_cny_wan"] = resources_wan
        row["note"] = f"示例行 {i + 1},非真实数据 (example row, synthetic)"
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[c.name for c in columns()], dtype="str")
    if labels:
        for name, pairs in code_labels().items():
            shown = {code: label for label, code in pairs}
            frame[name] = frame[name].map(lambda v, s=shown: s.get(v, v))
    return frame


__all__ = ["Column", "code_labels", "codebook", "columns", "example_rows", "header_map", "label_to_code",
           "normalise_header", "provinces"]

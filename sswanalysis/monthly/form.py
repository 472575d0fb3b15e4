"""The template as an Excel form station staff fill in: drop-downs in Chinese, codes in the data.

Sheets, in order (the data sheet first, so a reader that takes the first sheet gets it):

``填报 report``
    The header row only: frozen, bold, widths that show each header whole (``服务人数(人)``
    and ``服务人数(人次)`` must not look alike), required columns marked, a note on each
    header cell with its English name and meaning. Coded columns (region, province,
    operation mode, yes/no) carry drop-down lists of Chinese labels; identifier and month
    columns are formatted as text so Excel keeps ``2023-01`` and ``001`` as typed.
``示例 examples``
    Example rows, marked synthetic, with numbers stored as numbers. Never in the data sheet:
    the ingester skips sheets named as examples.
``代码表 codebook``
    Every column, Chinese first: header, column name, kind, required, unit, meaning.
``选项 lists``
    The drop-down lists, each Chinese label beside the code it stands for (read back by
    :func:`sswanalysis.monthly.template.label_to_code`).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from sswanalysis.monthly.template import code_labels, codebook, columns, example_rows

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["FORM_ROWS", "SHEETS", "display_width", "readme", "write_form"]

#: Sheet titles: Chinese first, English after.
SHEETS = {"report": "填报 report", "examples": "示例 examples", "codebook": "代码表 codebook",
          "lists": "选项 lists"}
#: Rows of the data sheet that carry the drop-downs (a county's stations for several years).
FORM_ROWS = 5000
#: Columns kept as text: identifiers and months (Excel would turn 2023-01 into a date).
TEXT_COLUMNS = {"station_id", "month", "opened", "township", "funding_source", "note"}

_HEADER_FILL = "DDEBF7"
_REQUIRED_FILL = "FCE4D6"


def display_width(text: str) -> int:
    """Width of ``text`` in Excel character units: CJK and full-width characters count 2.

    >>> display_width("服务人数(人次)"), display_width("month")
    (14, 5)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _style_header(ws: Worksheet, headers: list[str], required: list[bool], notes: list[str],
                  widths: list[int]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for j, (text, req, note, width) in enumerate(zip(headers, required, notes, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=j, value=text)
        cell.font = Font(bold=True, color="C00000" if req else None)
        cell.fill = PatternFill("solid", fgColor=_REQUIRED_FILL if req else _HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        if note:
            cell.comment = Comment(note, "sswanalysis", width=320, height=140)
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "D2"  # header row and station, region, month stay in view
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def _lists_sheet(ws: Worksheet) -> dict[str, str]:
    """Write the drop-down lists side by side; return column name -> range formula."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ranges = {}
    spec = {c.name: c for c in columns()}
    for k, (name, pairs) in enumerate(code_labels().items()):
        label_col, code_col = 2 * k + 1, 2 * k + 2
        ws.cell(row=1, column=label_col, value=f"{spec[name].header_zh} 选项").font = Font(bold=True)
        ws.cell(row=1, column=code_col, value=f"{name} code").font = Font(bold=True)
        for i, (label, code) in enumerate(pairs, start=2):
            ws.cell(row=i, column=label_col, value=label)
            ws.cell(row=i, column=code_col, value=code)
        letter = get_column_letter(label_col)
        ranges[name] = f"'{ws.title}'!${letter}$2:${letter}${len(pairs) + 1}"
        ws.column_dimensions[letter].width = 18
        ws.column_dimensions[get_column_letter(code_col)].width = 24
    ws.freeze_panes = "A2"
    return ranges


def _add_dropdowns(ws: Worksheet, names: list[str], ranges: dict[str, str]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    spec = {c.name: c for c in columns()}
    for j, name in enumerate(names, start=1):
        if name not in ranges:
            continue
        letter = get_column_letter(j)
        dv = DataValidation(
            type="list", formula1=ranges[name], allow_blank=True, showDropDown=False,
            showErrorMessage=True, errorStyle="warning", showInputMessage=True,
            promptTitle=spec[name].header_zh[:32], prompt="从下拉列表选择 Choose from the list",
            errorTitle="不在列表中 Not in the list",
            error=f"请从下拉列表选择; 也可填代码 (见 {SHEETS['lists']}). "
                  f"Choose from the list, or write a code from the lists sheet.")
        dv.add(f"{letter}2:{letter}{FORM_ROWS + 1}")
        ws.add_data_validation(dv)


def _text_formats(ws: Worksheet, names: list[str]) -> None:
    from openpyxl.utils import get_column_letter

    for j, name in enumerate(names, start=1):
        if name in TEXT_COLUMNS:
            ws.column_dimensions[get_column_letter(j)].number_format = "@"


def _typed(value: str) -> int | float | str | None:
    """An example cell as Excel should hold it: plain numbers as numbers, the rest as text.

    >>> _typed("120"), _typed("0.8"), _typed("130余"), _typed("2023-01"), _typed("")
    (120, 0.8, '130余', '2023-01', None)
    """
    if value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() and "." not in value else number


def _codebook_sheet(ws: Worksheet, cb: pd.DataFrame) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    heads = ["表头 header", "列名 column", "类别 kind", "必填 required", "单位 unit", "说明", "description"]
    widths = [24, 36, 16, 14, 16, 56, 64]
    for j, (h, w) in enumerate(zip(heads, widths, strict=True), start=1):
        ws.cell(row=1, column=j, value=h).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(j)].width = w
    for i, r in enumerate(cb.itertuples(), start=2):
        unit = r.unit_zh + (f" ({r.unit})" if r.unit else "")
        values = [r.header_zh, r.Index, "指标 indicator" if r.kind == "indicator" else "属性 attribute",
                  "是 yes" if r.required else "", unit, r.description_zh, r.description]
        for j, v in enumerate(values, start=1):
            ws.cell(row=i, column=j, value=v).alignment = Alignment(wrap_text=True, vertical="top")
        # LibreOffice does not grow rows to wrapped text in a file it did not write: set heights
        lines = max(-(-display_width(v) // (w - 2)) for v, w in zip(values, widths, strict=True))
        ws.row_dimensions[i].height = 15 * max(1, lines)
    ws.freeze_panes = "B2"


def write_form(path: str | Path, *, headers: str = "zh") -> Path:
    """Write the template workbook (see the module docstring) to ``path``; return it.

    Parameters
    ----------
    path : path
        The ``.xlsx`` file to write (atomically).
    headers : {"zh", "en"}
        Chinese headers (``服务人数(人)``) or the canonical English names.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> book = openpyxl.load_workbook(write_form(Path(tempfile.mkdtemp()) / "t.xlsx"))
    >>> book.sheetnames
    ['填报 report', '示例 examples', '代码表 codebook', '选项 lists']
    >>> ws = book["填报 report"]
    >>> ws.max_row, ws.freeze_panes, ws["B1"].value
    (1, 'D2', '地区')
    """
    import openpyxl

    from sswanalysis.writing import replacing

    cols = columns()
    names = [c.name for c in cols]
    shown = [c.header_zh if headers == "zh" else c.name for c in cols]
    notes = [f"{c.name}\n{c.description_zh}\n{c.description}" for c in cols]
    wb = openpyxl.Workbook()
    report = wb.active
    report.title = SHEETS["report"]
    examples = wb.create_sheet(SHEETS["examples"])
    cb_sheet = wb.create_sheet(SHEETS["codebook"])
    lists = wb.create_sheet(SHEETS["lists"])

    ranges = _lists_sheet(lists)
    shown_examples = example_rows(labels=True)
    # wide enough for the header and the examples (station ids, notes), within reason
    widths = [min(max(10, display_width(h) + 3, *(display_width(v) + 2 for v in shown_examples[n])), 36)
              for h, n in zip(shown, names, strict=True)]
    for ws in (report, examples):
        _style_header(ws, shown, [c.required for c in cols], notes, widths)
        _text_formats(ws, names)
    _add_dropdowns(report, names, ranges)
    for i, row in enumerate(shown_examples.itertuples(index=False), start=2):
        for j, value in enumerate(row, start=1):
            examples.cell(row=i, column=j, value=_typed(value))
    _codebook_sheet(cb_sheet, codebook())
    wb.properties.creator = "sswanalysis"
    with replacing(path) as tmp:
        wb.save(tmp)
    return Path(path)


def readme(cb: pd.DataFrame) -> str:
    """The template folder's README.md (Chinese first): how to fill in, examples, codebook."""
    ex = example_rows(labels=True)
    filled = [c for c in ex.columns if ex[c].ne("").any()]
    lines = [
        "# 社工站月度报表模板 Station-month report template",
        "",
        "每个社工站每月一行。Excel 文件中: 在 `" + SHEETS["report"] + "` 表填报; 地区、省份、运营方式、"
        "合成数据 四列从下拉列表选择 (表中显示中文, 读入时换成代码, 见 `" + SHEETS["lists"] + "`); "
        "示例行在 `" + SHEETS["examples"] + "` 表, 不会被读入; 每列的含义见 `" + SHEETS["codebook"] + "`。",
        "",
        "One row per station per month. In the workbook, fill in the sheet `" + SHEETS["report"]
        + "`; region, province, operation mode and synthetic have drop-down lists in Chinese (the "
        "codes behind them are on `" + SHEETS["lists"] + "`). Example rows, marked synthetic, are on `"
        + SHEETS["examples"] + "` and are never read as data. The CSV file holds the header row only.",
        "",
        "- 必填 Required: 站点编号 station_id, 地区 region_id, 月份 month (YYYY-MM).",
        "- 指标列可选; 没有数字时留空 (空不等于0)。Indicator columns are optional; leave a cell empty "
        "when there is no figure (empty is not 0).",
        "- 数字可照报告写法: 1200, 1,200, １２００, 1200余, 约1200, 3-5, 1.2万。Figures may be written as in "
        "reports; persons (人) and person-times (人次) have separate columns.",
        "- 金额: 每个金额指标有 元 和 万元 两列, 只填一列 (都填时须一致)。Money: fill the 元 or the 万元 "
        "column (if both, they must agree).",
        "- 不得填写个人信息: 月报只报数量。含身份证号、手机号、银行卡号或电子邮箱的单元格会使该行被拒收; "
        "姓名无法自动识别, 备注等文字列绝不能写服务对象的姓名。No personal data: the report holds counts "
        "only. A cell with an ID, phone or bank card number or an e-mail address rejects its row; names "
        "cannot be detected, so never write the names of service users in 备注 (note) or any text column.",
        "- 读入 Read with `sswanalysis ingest FILE... --out accepted.parquet --rejects rejects.csv`: "
        "a fault rejects its whole row and lists every fault of it (file, row, column, value, reason).",
        "",
        "## 示例 Examples (synthetic, not data)",
        "",
        "| " + " | ".join(str(cb.set_index("column").loc[c, "header_zh"]) for c in filled) + " |",
        "| " + " | ".join("---" for _ in filled) + " |",
        *("| " + " | ".join(str(v) for v in row) + " |" for row in ex[filled].itertuples(index=False)),
        "",
        "## 代码表 Codebook",
        "",
        "| 表头 | column | 必填 required | 单位 unit | 说明 | description |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in cb.itertuples(index=False):
        desc = str(r.description).replace("|", "/")
        unit = r.unit_zh + (f" ({r.unit})" if r.unit else "")
        lines.append(f"| {r.header_zh} | {r.column} | {'是 yes' if r.required else ''} | {unit} "
                     f"| {r.description_zh} | {desc} |")
    return "\n".join(lines) + "\n"

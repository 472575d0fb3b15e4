"""The template as an Excel form station staff fill in: drop-downs in Chinese, codes in the data;
and ``sswanalysis template``, which writes it beside a CSV and a README without replacing a
filled-in copy (:func:`write_template`).

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

import argparse
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from sswanalysis.monthly.template import code_labels, codebook, columns, example_rows

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["FORM_ROWS", "SHEETS", "TEMPLATE_FILES", "FilledInError", "display_width", "readme",
           "template_arguments", "template_main", "write_form", "write_template"]

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
        _undated(tmp)
    return Path(path)


#: The date stamped in the workbook's properties and zip entries: the zip format's earliest,
#: so that the same template is the same bytes whenever it is written (``template`` compares
#: bytes to tell a blank template from a filled-in one).
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _undated(path: Path) -> None:
    """Rewrite the workbook at ``path`` with fixed dates (properties and zip entries)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as zin:
        parts = [(info.filename, zin.read(info)) for info in zin.infolist()]
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*_ZIP_EPOCH)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts:
            if name == "docProps/core.xml":  # dcterms:created and dcterms:modified
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(),
                              data)
            zout.writestr(zipfile.ZipInfo(name, date_time=_ZIP_EPOCH), data, zipfile.ZIP_DEFLATED)


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


# -- the template files ---------------------------------------------------------------------


#: The files :func:`write_template` writes, in order.
TEMPLATE_FILES = ("station_month_report.csv", "station_month_report.xlsx", "README.md")


class FilledInError(FileExistsError):
    """A file :func:`write_template` would write is there and is not the blank template."""


def write_template(out_dir: str | Path, *, headers: str = "zh", force: bool = False) -> list[Path]:
    """Write the blank template: ``station_month_report.csv`` (the header row only; UTF-8 with
    BOM, so Excel opens it), ``station_month_report.xlsx`` (the form of
    :mod:`sswanalysis.monthly.form`: data sheet, examples, codebook, drop-down lists) and
    ``README.md``.

    Neither data file holds a data row: the example rows are on the workbook's
    ``示例 examples`` sheet, which the ingester does not read, and in the README.

    A file already in ``out_dir`` is replaced only if it is byte for byte the blank template
    (the template is the same bytes whenever it is written), or with ``force``: any other
    file is the user's — a filled-in report, an edited README — and is kept.

    Parameters
    ----------
    out_dir : path
        Folder to write into; created if missing.
    headers : {"zh", "en"}
        Chinese headers (``服务人数(人)``) or canonical English names.
    force : bool
        Replace the files even if they differ from the blank template.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    FilledInError
        A file to write is there and differs from the blank template (and not ``force``).
    NotADirectoryError
        ``out_dir`` is a file.
    ValueError
        ``out_dir`` is empty, or ``headers`` unknown.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> [p.name for p in write_template(out)]
    ['station_month_report.csv', 'station_month_report.xlsx', 'README.md']
    >>> _ = write_template(out)  # the blank template again: replaced
    >>> _ = (out / "station_month_report.csv").write_text("站点编号\\n沙河站\\n", encoding="utf-8")
    >>> write_template(out)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sswanalysis.monthly.form.FilledInError: ... station_month_report.csv 与空白模板不同...
    """
    import shutil
    import tempfile

    import pandas as pd

    from sswanalysis.writing import replacing, write_csv, write_text

    if headers not in {"zh", "en"}:
        raise ValueError(f"headers must be 'zh' or 'en', not {headers!r}")
    if str(out_dir) == "":  # Path("") is the current folder: never written unasked
        raise ValueError("--out '' 是空的 · is empty; name the folder to write the template into")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"--out {out} 是一个文件, 不是文件夹 · is a file, not a folder; "
                                 "give a folder to write the template into")
    shown = [c.header_zh if headers == "zh" else c.name for c in columns()]
    with tempfile.TemporaryDirectory(prefix="ssw-template-") as tmp:
        fresh = Path(tmp)
        write_csv(pd.DataFrame(columns=shown), fresh / TEMPLATE_FILES[0])
        write_form(fresh / TEMPLATE_FILES[1], headers=headers)
        write_text(fresh / TEMPLATE_FILES[2], readme(codebook().reset_index()))
        theirs = [name for name in TEMPLATE_FILES if (out / name).exists() and (
            not (out / name).is_file() or (out / name).read_bytes() != (fresh / name).read_bytes())]
        if theirs and not force:
            names = ", ".join(theirs)
            raise FilledInError(
                f"{out} 中的 {names} 与空白模板不同(可能已填写),未覆盖。请换一个文件夹,或加 --force 覆盖 · "
                f"{names} in {out} {'is' if len(theirs) == 1 else 'are'} not the blank template (filled in?) "
                "and was not overwritten: choose another folder, or pass --force to replace")
        written = []
        for name in TEMPLATE_FILES:
            with replacing(out / name) as target:
                shutil.copyfile(fresh / name, target)
            written.append(out / name)
    return written


def template_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sswanalysis template``."""
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="写入模板文件的文件夹 / folder to write the template files into")
    parser.add_argument("--headers", choices=["zh", "en"], default="zh",
                        help="中文表头 (默认) 或英文列名 / "
                             "Chinese headers (default) or the English column names")
    parser.add_argument("--force", action="store_true",
                        help="覆盖文件夹中已填写或改动过的模板文件 / replace template files in DIR even "
                             "if they were filled in or changed")


def template_main(args: argparse.Namespace) -> int:
    """Write the template; print the files written. Exit 2, with a message, when a file is
    filled in (no ``--force``) or the folder cannot be written."""
    try:
        written = write_template(args.out, headers=args.headers, force=args.force)
    except (OSError, ValueError) as exc:  # FilledInError, NotADirectoryError, a read-only or full folder
        message = str(exc) if isinstance(exc, (FilledInError, NotADirectoryError, ValueError)) else (
            f"无法写入 cannot write into {args.out}: {exc.strerror or exc}; choose a folder you can write to")
        print(f"sswanalysis template: {message}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0

"""``sswanalysis report``: run the notebooks, write a static HTML report and an Excel workbook.

The notebooks are executed in memory (:mod:`sswanalysis.publish.notebooks`; the committed
``.ipynb`` files are never overwritten), each is converted to a standalone HTML page with
its figures inline, and ``index.html`` links them. The workbook
(:mod:`sswanalysis.publish.workbook`) holds the comparison tables with Chinese and English
headers.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sswanalysis.publish.notebooks import execute_notebook, first_heading
from sswanalysis.publish.workbook import WORKBOOK_NAME
from sswanalysis.writing import write_text

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "report_arguments",
    "report_main",
    "write_report",
]



#: The report's pages extend nbconvert's lab template without the CDN scripts (require.js,
#: MathJax, mermaid: the notebooks use none of them), so they open offline, and with the
#: bundled CJK font so Chinese text reads the same on any machine.
_PAGE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}<style>{{ resources.font_css }}</style>{%- endblock html_head_css -%}
"""
FONT_DIR = "fonts"


def _font_css() -> str:
    from sswanalysis.figures.style import FONT_FAMILY, font_path

    cjk = f'"{FONT_FAMILY}", "PingFang SC", "Microsoft YaHei"'
    return (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; '
        f'src: url("{FONT_DIR}/{font_path().name}") format("opentype"); font-display: block; }}\n'
        # JupyterLab's stylesheet reads its fonts from these variables. The CJK font, which
        # has Latin letters too, comes first: Chrome's per-character fallback from a Latin
        # font to a web font was seen to leave the first Chinese string of a table as tofu.
        f":root {{ --jp-content-font-family: {cjk}, sans-serif;"
        f" --jp-ui-font-family: {cjk}, sans-serif;"
        f" --jp-code-font-family: Menlo, Consolas, 'DejaVu Sans Mono', {cjk}, monospace; }}\n"
        f"body {{ font-family: var(--jp-content-font-family); }}"
    )


def _html_page(nb: nbformat.NotebookNode, show_code: bool) -> str:
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", template_file="sswanalysis-page.html.j2",
                            extra_loaders=[DictLoader({"sswanalysis-page.html.j2": _PAGE_TEMPLATE})])
    exporter.exclude_input = not show_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    body, _ = exporter.from_notebook_node(nb, resources={"font_css": _font_css()})
    return body


def _index(entries: list[tuple[str, str, str]]) -> str:
    items = "\n".join(
        f'<li><a href="{html.escape(href)}">{html.escape(title)}</a>'
        f' <span class="src">({html.escape(src)})</span></li>'
        for href, title, src in entries
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>乡镇(街道)社工站案例比较 · Township social work stations: comparison report</title>
<style>
{_font_css()}
body {{ max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; color: #222; }}
h1 {{ font-size: 1.5rem; }} li {{ margin: .4rem 0; }} .src {{ color: #777; font-size: .85rem; }}
</style>
</head>
<body>
<h1>乡镇(街道)社工站案例比较<br>Township (street) social work stations: a comparison report</h1>
<p>三个地方案例(乌兰察布、临泽、上饶)的服务模式、资金与服务产出。
所有数字来自随包发布的数据(<code>data/</code>),派生数字由代码计算。三个案例不足以作统计推断。</p>
<p>Service models, funding and service output of three local cases (Ulanqab, Linze,
Shangrao). Every figure comes from the package's embedded data; derived figures are
computed by code. Three cases carry no inferential weight.</p>
<ol>
{items}
</ol>
<p>表格 Tables: <a href="{WORKBOOK_NAME}">{WORKBOOK_NAME}</a>
(中英文表头 Chinese and English headers).</p>
</body>
</html>
"""


def write_report(
    out: str | Path, notebooks: list[Path], show_code: bool = False, progress: bool = True,
    data: str | Path | None = None, register: str | Path | None = None,
) -> Path:
    """Execute ``notebooks``, write one HTML page each, ``index.html`` and the workbook.

    With ``data`` (an ingest Parquet or report files), notebooks with a ``DATA`` parameter
    (the panel notebook) run on it instead of their synthetic default, and the workbook
    gains the panel's sheets.
    """
    import shutil

    from tqdm import tqdm

    from sswanalysis.figures.style import font_path
    from sswanalysis.publish.workbook import comparison_sheets, sources_sheet, write_workbook

    out = Path(out)
    (out / FONT_DIR).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(font_path(), out / FONT_DIR / font_path().name)
    entries = []
    for path in tqdm(notebooks, desc="notebooks", unit="nb", file=sys.stderr,
                     disable=not progress):
        params = {"DATA": str(Path(data).resolve()), "REGISTER": str(Path(register).resolve())
                  if register else None} if data else None
        nb = execute_notebook(path, parameters=params)
        page = path.with_suffix(".html").name
        write_text(out / page, _html_page(nb, show_code))
        entries.append((page, first_heading(nb), path.name))
    src, heads = sources_sheet()
    sheets = comparison_sheets()
    if data:
        from sswanalysis.publish.panel_sheets import panel_sheets

        sheets += panel_sheets(data, register)
    write_workbook(out / WORKBOOK_NAME, sheets, src, heads)
    index = out / "index.html"
    write_text(index, _index(entries))
    return index


def report_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sswanalysis report``."""
    parser.add_argument("--out", default="build/report", help="输出文件夹 / output folder")
    parser.add_argument("--notebooks", default="notebooks", help="笔记本 (.ipynb) 所在文件夹 / "
                                                                 "folder of .ipynb files")
    parser.add_argument("--show-code", action="store_true",
                        help="在网页中显示代码 (默认隐藏) / "
                             "include the code cells in the HTML pages (default: hidden)")
    parser.add_argument("--quiet", action="store_true", help="不显示进度条 / no progress bar")
    parser.add_argument("--data", help="月报面板数据:ingest 写出的 Parquet 或月报文件/文件夹 · station-month "
                        "reports for the panel page and sheets (ingest Parquet, or report files)")
    parser.add_argument("--register",
                        help="站点登记表 CSV/Parquet (station_id + covariates) · station register")


def report_main(args: argparse.Namespace) -> int:
    """Run ``sswanalysis report``; return the exit code."""
    folder = Path(args.notebooks)
    notebooks = sorted(folder.glob("[0-9]*.ipynb"))
    if not notebooks:
        print(f"sswanalysis report: no numbered notebooks in {folder}", file=sys.stderr)
        return 1
    if args.data and not Path(args.data).exists():
        print(f"sswanalysis report: --data {args.data}: no such file or folder", file=sys.stderr)
        return 2
    index = write_report(args.out, notebooks, show_code=args.show_code,
                         progress=not args.quiet, data=args.data, register=args.register)
    print(f"报告 report:   {index}")
    print(f"表格 workbook: {index.parent / WORKBOOK_NAME}")
    return 0

"""``sswanalysis report``: run the notebooks, write a static HTML report and an Excel workbook.

The notebooks are executed in memory (:mod:`sswanalysis.publish.notebooks`; the committed
``.ipynb`` files are never overwritten), each is converted to a standalone HTML page with
its figures inline (alt text from each chart's description), code hidden, tagged cells and
bare Python reprs left out (:func:`for_reading`), navigation to the contents and to the
neighbouring pages, and a stylesheet for phones and for A4 print
(:mod:`sswanalysis.publish.pagestyle`). ``index.html`` links the pages and the workbook
(:mod:`sswanalysis.publish.workbook`).
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sswanalysis.publish.notebooks import execute_notebook, first_heading
from sswanalysis.publish.sheets import WORKBOOK_NAME
from sswanalysis.writing import write_text

if TYPE_CHECKING:
    import nbformat

    from sswanalysis.publish.workbook import Sheet

__all__ = [
    "for_reading",
    "report_arguments",
    "report_main",
    "write_pages",
    "write_report",
]



#: The report's pages extend nbconvert's lab template without the CDN scripts (require.js,
#: MathJax, mermaid: the notebooks use none of them), so they open offline, with the bundled
#: CJK font, the report's stylesheet, navigation above and below, chart alt text from the
#: output's metadata, and printed lines shown as text rather than as a code dump.
_PAGE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}<style>{{ resources.page_css }}</style>{%- endblock html_head_css -%}
{%- block body_header -%}
<body class="jp-Notebook ssw-page" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
{{ resources.nav_top }}
<main>
{%- endblock body_header -%}
{% block body_footer %}
</main>
{{ resources.nav_bottom }}
</body>
{% endblock body_footer %}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
 alt="{{ output | get_metadata('alt', 'image/png') | escape_html }}">
</div>
<p class="ssw-scroll-hint">← 左右滑动查看全图 scroll sideways to see the whole chart →</p>
{%- endblock data_png %}
{% block stream_stdout -%}
<div class="ssw-printed">{{ output.text | escape_html }}</div>
{%- endblock stream_stdout %}
"""
FONT_DIR = "fonts"
#: tags that keep a cell, or its outputs, out of the report (Jupyter Book's names)
REMOVE_CELL, REMOVE_OUTPUT = "remove-cell", "remove-output"


def _font_css() -> str:
    from sswanalysis.figures.style import font_css, font_path

    return font_css(f"{FONT_DIR}/{font_path().name}")


def for_reading(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep what a reader should see: drop tagged cells, bare reprs and stderr.

    * a cell tagged ``remove-cell`` is dropped, one tagged ``remove-output`` loses its
      outputs;
    * an output with only ``text/plain`` (a bare tuple, dict or number repr) is dropped:
      tables and charts have their own views, and a value meant for readers is written in
      the narrative or printed;
    * stderr streams (warnings, progress bars) are dropped.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> c = nbformat.v4.new_code_cell("x")
    >>> c.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "(1, 2)"}),
    ...     nbformat.v4.new_output("stream", name="stdout", text="refused: mixed units"),
    ...     nbformat.v4.new_output("display_data", {"text/plain": "<Figure>", "image/png": "AA=="})]
    >>> hidden = nbformat.v4.new_code_cell("y", metadata={"tags": ["remove-cell"]})
    >>> nb.cells = [c, hidden]
    >>> out = for_reading(nb)
    >>> len(out.cells), [o.output_type for o in out.cells[0].outputs]
    (1, ['stream', 'display_data'])
    """
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if REMOVE_CELL in tags:
            continue
        if cell.cell_type == "code":
            cell.outputs = [] if REMOVE_OUTPUT in tags else [
                o for o in cell.outputs
                if not (o.output_type == "stream" and o.get("name") == "stderr")
                and not (o.output_type in ("execute_result", "display_data")
                         and set(o.get("data", {})) <= {"text/plain"})
            ]
        cells.append(cell)
    nb.cells = cells
    return nb


def _nav(pages: list[tuple[str, str]], i: int | None, where: str) -> str:
    """Links to the contents page and to the previous and next pages (the first, from contents)."""

    def link(rel: str, k: int) -> str:
        href, title = pages[k]
        text = (f"← 上一页 Previous: {title}" if rel == "prev" else f"下一页 Next: {title} →")
        return f'<a class="{rel}" rel="{rel}" href="{html.escape(href)}">{html.escape(text)}</a>'

    parts = ['<a href="index.html">目录 Contents</a>']
    if i is None:
        parts += [link("next", 0)] if pages else []
    else:
        parts += [link("prev", i - 1)] if i > 0 else []
        parts += [link("next", i + 1)] if i + 1 < len(pages) else []
        parts.append(f'<span class="muted">{i + 1} / {len(pages)}</span>')
    return (f'<nav class="ssw-nav {where}" aria-label="页面导航 page navigation">'
            + " ".join(parts) + "</nav>")


def _html_page(nb: nbformat.NotebookNode, show_code: bool, pages: list[tuple[str, str]],
               i: int) -> str:
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    from sswanalysis.publish.pagestyle import page_css

    exporter = HTMLExporter(template_name="lab", template_file="sswanalysis-page.html.j2",
                            extra_loaders=[DictLoader({"sswanalysis-page.html.j2": _PAGE_TEMPLATE})])
    exporter.exclude_input = not show_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    exporter.language_code = "zh-CN"
    nb.metadata["title"] = pages[i][1]
    body, _ = exporter.from_notebook_node(for_reading(nb), resources={
        "page_css": _font_css() + "\n" + page_css(),
        "nav_top": _nav(pages, i, "top"), "nav_bottom": _nav(pages, i, "bottom"),
    })
    return body


def _index(pages: list[tuple[str, str]], sources: list[str], sheets: list[tuple[str, str]]) -> str:
    from sswanalysis.publish.pagestyle import page_css

    items = "\n".join(
        f'<li><a href="{html.escape(href)}">{html.escape(title)}</a>'
        f' <span class="ssw-note">({html.escape(src)})</span></li>'
        for (href, title), src in zip(pages, sources, strict=True)
    )
    sheet_items = "".join(f"<li>{html.escape(zh)} <span class=\"en\">{html.escape(en)}</span></li>"
                          for zh, en in sheets)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>乡镇(街道)社工站案例比较 · Township social work stations: comparison report</title>
<style>
{_font_css()}
{page_css()}
</style>
</head>
<body class="ssw-index">
{_nav(pages, None, "top")}
<main>
<h1>乡镇(街道)社工站案例比较<br><span class="en">Township (street) social work stations:
a comparison report</span></h1>
<p>三个地方案例(乌兰察布、临泽、上饶)的服务模式、资金与服务产出。
所有数字来自随包发布的数据(<code>data/</code>),派生数字由代码计算。三个案例不足以作统计推断。</p>
<p class="en">Service models, funding and service output of three local cases (Ulanqab, Linze,
Shangrao). Every figure comes from the package's embedded data; derived figures are
computed by code. Three cases carry no inferential weight.</p>
<h2>页面 Pages</h2>
<ol class="ssw-pages">
{items}
</ol>
<h2>工作簿 Workbook</h2>
<p><a href="{WORKBOOK_NAME}">{WORKBOOK_NAME}</a>:各表中英文表头;“假设”表中的数值驱动情景表的公式,
修改新增站点数或月数,预算和预期产出随之更新。
<span class="en">Every table with Chinese and English headers; the cells of the assumptions
sheet drive the scenario sheets through live formulas: change N or the months and the budget
and expected output update.</span></p>
<ul>{sheet_items}</ul>
</main>
</body>
</html>
"""


def write_report(
    out: str | Path, notebooks: list[Path], show_code: bool = False, progress: bool = True,
    data: str | Path | None = None, register: str | Path | None = None,
) -> Path:
    """Execute ``notebooks``, write one HTML page each, ``index.html`` and the workbook.

    The pages follow the order of ``notebooks``; each links to the contents page and to its
    neighbours, so adding a notebook adds a page with no other change.

    With ``data`` (an ingest Parquet or report files), notebooks with a ``DATA`` parameter
    (the panel notebook) run on it instead of their synthetic default, and the workbook
    gains the panel's sheets.
    """
    from tqdm import tqdm

    from sswanalysis.publish.national_sheets import context_sheets

    params = None
    extra = context_sheets()
    if data:
        from sswanalysis.publish.panel_sheets import panel_sheets

        params = {"DATA": str(Path(data).resolve()),
                  "REGISTER": str(Path(register).resolve()) if register else None}
        extra += panel_sheets(data, register)
    executed = [execute_notebook(path, parameters=params) for path in tqdm(
        notebooks, desc="notebooks", unit="nb", file=sys.stderr, disable=not progress)]
    return write_pages(out, list(zip(notebooks, executed, strict=True)), show_code, extra)


def write_pages(
    out: str | Path, notebooks: list[tuple[Path, nbformat.NotebookNode]], show_code: bool = False,
    extra_sheets: list[Sheet] | None = None,
) -> Path:
    """Write the pages of already executed notebooks, ``index.html`` and the workbook.

    ``extra_sheets`` are added to the workbook after its own (e.g. a panel's sheets).
    """
    import shutil

    from sswanalysis.figures.style import font_path
    from sswanalysis.publish.sheets import build_workbook

    out = Path(out)
    (out / FONT_DIR).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(font_path(), out / FONT_DIR / font_path().name)
    pages = [(p.with_suffix(".html").name, first_heading(nb)) for p, nb in notebooks]
    for i, (_, nb) in enumerate(notebooks):
        write_text(out / pages[i][0], _html_page(nb, show_code, pages, i))
    sheets = build_workbook(out / WORKBOOK_NAME, extra_sheets)
    index = out / "index.html"
    write_text(index, _index(pages, [p.name for p, _ in notebooks], sheets))
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
        print(f"sswanalysis report: 找不到笔记本 no numbered notebooks (01-….ipynb) in {folder.resolve()}; "
              "run it in the project folder (the one holding notebooks/), or name the folder with "
              "--notebooks DIR", file=sys.stderr)
        return 1
    for option, value in (("--data", args.data), ("--register", args.register)):
        if value is not None and (not value or not Path(value).exists()):
            print(f"sswanalysis report: {option} {value!r}: 找不到 no such file or folder", file=sys.stderr)
            return 2
    try:
        index = write_report(args.out, notebooks, show_code=args.show_code,
                             progress=not args.quiet, data=args.data, register=args.register)
    except ValueError as exc:  # a panel the model cannot use (PanelError), an unreadable register
        if not args.data:
            raise
        print(f"sswanalysis report: --data {args.data}: 无法建立面板 cannot build the panel: {exc}",
              file=sys.stderr)
        return 2
    print(f"报告 report:   {index}")
    print(f"表格 workbook: {index.parent / WORKBOOK_NAME}")
    return 0

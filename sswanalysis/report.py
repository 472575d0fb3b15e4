"""``sswanalysis report``: run the notebooks, write a static HTML report and an Excel workbook.

The notebooks are executed in memory with nbclient (the committed ``.ipynb`` files are
never overwritten), each is converted to a standalone HTML page with its figures inline,
and ``index.html`` links them. ``sswanalysis-comparison.xlsx`` holds the comparison tables
with Chinese and English headers.

:func:`execute_notebook` and :func:`normalise` are shared with ``tools/run_notebooks.py``,
the only way committed notebook outputs are regenerated.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nbformat

    from sswanalysis.excel import Sheet

__all__ = [
    "ENV",
    "WORKBOOK_NAME",
    "comparison_sheets",
    "execute_notebook",
    "first_heading",
    "normalise",
    "report_arguments",
    "report_main",
    "write_report",
]

#: Environment every notebook kernel runs with (the same as the Makefile's).
ENV = {
    "TZ": "UTC",
    "LC_ALL": "C.UTF-8",
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "Agg",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
WORKBOOK_NAME = "sswanalysis-comparison.xlsx"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip volatile metadata so that re-running unchanged notebooks gives identical files.

    Sets ``metadata.kernelspec`` to python3, keeps only the language name and file
    extension in ``language_info``, drops execution timestamps and papermill metadata.

    Examples
    --------
    >>> import nbformat
    >>> ks = {"name": "conda-env-x-py", "display_name": "x"}
    >>> nb = nbformat.v4.new_notebook(metadata={"kernelspec": ks,
    ...     "language_info": {"name": "python", "version": "3.11.7"}, "papermill": {"a": 1}})
    >>> nb.cells.append(nbformat.v4.new_code_cell("1", metadata={"execution": {"t": "x"}}))
    >>> out = normalise(nb)
    >>> out.metadata["kernelspec"]["name"], dict(out.metadata["language_info"])
    ('python3', {'name': 'python'})
    >>> "papermill" in out.metadata, dict(out.cells[0].metadata)
    (False, {})
    """
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    info = nb.metadata.get("language_info", {})
    nb.metadata["language_info"] = {
        k: info[k] for k in ("name", "file_extension", "mimetype") if k in info
    }
    for key in ("papermill", "widgets", "vscode"):
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in ("execution", "papermill", "collapsed", "scrolled", "ExecuteTime"):
            cell.metadata.pop(key, None)
    return nb


def execute_notebook(path: str | Path, timeout: int = 600) -> nbformat.NotebookNode:
    """Execute a notebook top to bottom in a fresh ``python3`` kernel; return it (unsaved).

    The kernel runs in the notebook's folder with :data:`ENV` added to its environment (the
    caller's environment is left alone). It talks to us over local IPC sockets in a private
    temporary folder rather than TCP ports.
    """
    import tempfile

    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="sswanalysis-kernel-") as sockets:
        km = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "kernel"))
        client = NotebookClient(
            nb,
            km=km,
            timeout=timeout,
            record_timing=False,
            resources={"metadata": {"path": str(path.parent.resolve())}},
        )
        try:
            client.execute(env={**os.environ, **ENV})
        finally:  # nbclient leaves a kernel it did not create running
            if km.has_kernel:
                km.shutdown_kernel(now=True)
    return normalise(nb)


def first_heading(nb: nbformat.NotebookNode) -> str:
    """Text of the first Markdown heading of a notebook (its title).

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells.append(nbformat.v4.new_markdown_cell("intro\\n# 1 · Data tour 数据\\nmore"))
    >>> first_heading(nb)
    '1 · Data tour 数据'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#+\s+(.+?)\s*$", cell.source, flags=re.M)
            if m:
                return m.group(1)
    return "(untitled)"


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
    from sswanalysis.style import font_css, font_path

    return font_css(f"{FONT_DIR}/{font_path().name}")


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


# --------------------------------------------------------------------------- workbook


def comparison_sheets() -> list[Sheet]:
    """The comparison tables of the notebooks, as workbook sheets (default assumptions)."""
    import sswanalysis as ssw
    from sswanalysis import compare, scenarios, stats
    from sswanalysis.excel import Sheet

    ind = ssw.load("indicators")
    labels = compare.place_labels(ssw.load("regions"), ssw.load("stations"))
    ind_zh, ind_en = compare.labels("indicator_codes", "zh"), compare.labels("indicator_codes", "en")
    stations = compare.station_counts(ind)
    months = dict(compare.DEFAULT_MONTHS)

    places = compare.places(ssw.load("regions"), ssw.load("stations"))
    cov = compare.coverage_matrix(ind, places)
    cov.columns = [labels.get(c, c) for c in cov.columns]
    cov = cov.reset_index()
    cov.insert(1, "indicator_zh", cov["indicator"].map(ind_zh))
    cov.insert(2, "indicator_en", cov["indicator"].map(ind_en))
    cov_h = {"indicator": ("指标代码", "indicator code"), "indicator_zh": ("指标", "indicator"),
             "indicator_en": ("指标(英文)", "indicator (English)")}
    cov_h.update({c: (c.split(" ")[0], c.split(" ", 1)[-1]) for c in cov.columns[3:]})

    models = ssw.load("models")
    fm = compare.feature_matrix(ssw.load("model_features"), models)
    feat = fm.map(lambda x: "报告 reported" if x else "未报告 not reported").reset_index()
    feat.insert(1, "name_zh", list(models["name_zh"].astype("str")))
    feat_h = {"model_id": ("模式代码", "model id"), "name_zh": ("服务模式", "service model")}
    feat_h.update(compare.vocabulary("features"))

    comp = compare.model_components_table(ssw.load("model_components"))
    comp_h = {"model_id": ("模式代码", "model id"), "n_components": ("要素数", "components"),
              "components_zh": ("要素", "components (Chinese)"),
              "components_en": ("要素(英文)", "components (English)")}

    ft = compare.funding_table(ind, ssw.load("funding"), ssw.load("funding_stations"))
    fund_h = {"observation_id": ("观测编号", "observation id"), "region_id": ("地区", "region"),
              "funder_zh": ("出资方", "funder (Chinese)"), "funder_en": ("出资方(英文)", "funder"),
              "purpose_en": ("用途", "purpose"), "text": ("金额(原文)", "amount as written"),
              "amount_cny": ("金额(元)", "amount (CNY)"), "amount_wan": ("金额(万元)",
                                                                       "amount (10,000 CNY)"),
              "qualifier": ("限定", "qualifier"), "n_stations": ("覆盖站点数", "stations covered"),
              "basis": ("站点数依据", "basis of station count"),
              "per_station_cny": ("每站(元)", "per station (CNY)"),
              "per_station_wan": ("每站(万元)", "per station (10,000 CNY)")}

    out = compare.service_output(ind, months, stations)
    out["place_label"] = out["place"].map(labels)
    out["indicator_zh"] = out["indicator"].map(ind_zh)
    out_h = {"observation_id": ("观测编号", "observation id"), "place_label": ("地点", "place"),
             "indicator_zh": ("指标", "indicator"), "method": ("方法", "method"),
             "text": ("数值(原文口径)", "figure as reported"), "qualifier": ("限定", "qualifier"),
             "unit": ("单位", "unit"), "low": ("区间下限", "interval low"),
             "high": ("区间上限", "interval high"), "stations": ("站点数", "stations"),
             "per_station_low": ("每站下限", "per station, low"),
             "per_station_high": ("每站上限", "per station, high"),
             "station_months": ("站·月(假设)", "station-months (assumed)"),
             "pm_low": ("每站每月下限", "per station-month, low"),
             "pm_high": ("每站每月上限", "per station-month, high")}

    ci = stats.poisson_ci(ind, months, stations)
    ci = ci[ci["station_months"].notna()].copy()
    ci["place_label"] = ci["place"].map(labels)
    ci["indicator_zh"] = ci["indicator"].map(ind_zh)
    ci["ci_text"] = [stats.format_ci(r, lo, hi, 3) for r, lo, hi in
                     zip(ci["rate"], ci["rate_lo"], ci["rate_hi"], strict=True)]
    ci_h = {"observation_id": ("观测编号", "observation id"), "place_label": ("地点", "place"),
            "indicator_zh": ("指标", "indicator"), "text": ("数值", "figure"),
            "unit": ("单位", "unit"), "station_months": ("站·月(假设)", "station-months (assumed)"),
            "count_lo": ("计数95%下限", "count 95% low"), "count_hi": ("计数95%上限",
                                                                     "count 95% high"),
            "rate": ("每站每月", "per station-month"), "rate_lo": ("95%下限", "95% low"),
            "rate_hi": ("95%上限", "95% high"), "ci_text": ("估计(95%区间)", "estimate (95% CI)")}

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


def _sources():
    import sswanalysis as ssw

    src = ssw.load("sources")
    heads = {"source_id": ("来源编号", "source id"), "kind": ("类型", "kind"),
             "title_zh": ("标题", "title (Chinese)"), "title_en": ("标题(英文)", "title"),
             "section_zh": ("章节", "section"), "publisher_zh": ("发布单位", "publisher (Chinese)"),
             "publisher_en": ("发布单位(英文)", "publisher"), "published": ("年份", "year"),
             "source_file": ("文件", "file"), "note": ("说明", "note")}
    return src, heads


def write_report(
    out: str | Path, notebooks: list[Path], show_code: bool = False, progress: bool = True
) -> Path:
    """Execute ``notebooks``, write one HTML page each, ``index.html`` and the workbook."""
    import shutil

    from tqdm import tqdm

    from sswanalysis.excel import write_workbook
    from sswanalysis.style import font_path

    out = Path(out)
    (out / FONT_DIR).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(font_path(), out / FONT_DIR / font_path().name)
    entries = []
    for path in tqdm(notebooks, desc="notebooks", unit="nb", file=sys.stderr,
                     disable=not progress):
        nb = execute_notebook(path)
        page = path.with_suffix(".html").name
        (out / page).write_text(_html_page(nb, show_code), encoding="utf-8")
        entries.append((page, first_heading(nb), path.name))
    src, heads = _sources()
    write_workbook(out / WORKBOOK_NAME, comparison_sheets(), src, heads)
    index = out / "index.html"
    index.write_text(_index(entries), encoding="utf-8")
    return index


def report_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sswanalysis report``."""
    parser.add_argument("--out", default="build/report", help="output folder")
    parser.add_argument("--notebooks", default="notebooks", help="folder of .ipynb files")
    parser.add_argument("--show-code", action="store_true",
                        help="include the code cells in the HTML pages (default: hidden)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def report_main(args: argparse.Namespace) -> int:
    """Run ``sswanalysis report``; return the exit code."""
    folder = Path(args.notebooks)
    notebooks = sorted(folder.glob("[0-9]*.ipynb"))
    if not notebooks:
        print(f"sswanalysis report: no numbered notebooks in {folder}", file=sys.stderr)
        return 1
    index = write_report(args.out, notebooks, show_code=args.show_code,
                         progress=not args.quiet)
    print(index)
    return 0

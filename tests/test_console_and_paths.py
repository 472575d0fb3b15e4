"""Every command as a planner on Windows runs it: a GBK console, Chinese and spaces in paths.

Each command runs in a subprocess as ``python -m sswanalysis …`` (the README's no-make
spelling) with ``PYTHONIOENCODING=gbk``, i.e. a strict code-page-936 stdout and stderr like a
Windows console or pipe in mainland China, on inputs and outputs in folders such as
``张三 的桌面/月报 2023``, and with data holding characters GBK cannot encode (✓, emoji). No
command may end in a traceback, and what it prints must be GBK.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from sswanalysis.cli import COMMANDS
from sswanalysis.datapackage import shipped_data_dir

NOT_GBK = "✓🙂"  # characters our data may hold that code page 936 cannot encode


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m sswanalysis ARGS`` on a strict GBK console; its output decoded as GBK."""
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    proc = subprocess.run([sys.executable, "-m", "sswanalysis", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, timeout=600)
    out = subprocess.CompletedProcess(proc.args, proc.returncode,
                                      proc.stdout.decode("gbk"), proc.stderr.decode("gbk"))
    assert "Traceback" not in out.stderr, out.stderr
    assert "UnicodeEncodeError" not in out.stderr + out.stdout
    return out


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> Path:
    """A folder named like a Windows desktop folder of a Chinese user."""
    folder = tmp_path_factory.mktemp("home") / "张三 的桌面" / "月报 2023"
    folder.mkdir(parents=True)
    return folder


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_of_every_command_prints_on_a_gbk_console(command):
    out = run(*([command] if command else []), "--help")
    assert out.returncode == 0
    assert "usage" in out.stdout


def test_template_writes_into_a_chinese_folder_with_spaces(desk):
    out = run("template", "--out", desk / "模板 template")
    assert out.returncode == 0, out.stderr
    printed = out.stdout.splitlines()
    assert printed and all(Path(line).is_file() for line in printed)
    assert all(Path(line).parent == desk / "模板 template" for line in printed)


def test_ingest_reads_and_writes_chinese_paths_and_prints_values_gbk_cannot_encode(desk):
    src = desk / "输入 数据"
    src.mkdir()
    (src / "一月 报表.csv").write_text(
        "站点编号,地区代码,月份,服务人数(人),备注\n"
        f"临泽-沙河 {NOT_GBK},linze,2023-01,120,正常 {NOT_GBK}\n"
        f"临泽-平川,linze,2023-01,12{NOT_GBK},坏行\n",
        encoding="utf-8", newline="\n")
    accepted = desk / "输出 结果" / "已接收 accepted.parquet"
    out = run("ingest", src, "--out", accepted, "--no-progress")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "rows_in=2 accepted=1 rejected=1"
    assert "\\u2713\\U0001f642" in out.stdout  # the rejected value, shown as escapes
    table = pd.read_parquet(accepted)
    assert set(table["station_id"]) == {f"临泽-沙河 {NOT_GBK}"}  # the data keep every character
    rejects = pd.read_csv(accepted.with_name("已接收 accepted.rejects.csv"), encoding="utf-8-sig", dtype=str)
    assert rejects["value"].tolist() == [f"12{NOT_GBK}"]


def test_extract_reads_a_chinese_file_name_and_prints_figures(desk):
    text = desk / "输入 文本" / f"民政 报告 {NOT_GBK}.txt"
    text.parent.mkdir()
    text.write_text(f"全年开展个案服务320余宗{NOT_GBK},入户走访300余户。\n", encoding="utf-8", newline="\n")
    out = run("extract", text)
    assert out.returncode == 0, out.stderr
    assert "320余宗" in out.stdout and "300余户" in out.stdout
    assert "\\u2713" in out.stdout  # the file name, escaped where GBK lacks the character


def test_validate_a_data_package_in_a_chinese_folder_valid_and_broken(desk):
    package = desk / "数据 包"
    shutil.copytree(shipped_data_dir(), package, ignore=shutil.ignore_patterns("__*"))
    out = run("validate", package)
    assert out.returncode == 0, out.stderr
    assert ": valid" in out.stdout  # the shipped data hold one known conflict (a warning)

    path = package / "indicators.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("at_least", f"at_least{NOT_GBK}", 1), encoding="utf-8", newline="")
    out = run("validate", package)
    assert out.returncode == 1
    assert "indicators.csv" in out.stderr and "at_least\\u2713\\U0001f642" in out.stderr


def test_report_from_and_into_chinese_folders_with_spaces(desk):
    notebooks = desk / "笔记本 notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(f"# 试算 {NOT_GBK} Trial"))
    nb.cells.append(nbformat.v4.new_code_cell(f"print('从中文路径运行 {NOT_GBK}')"))
    nbformat.write(nb, str(notebooks / f"01-试算 {NOT_GBK}.ipynb"))
    out_dir = desk / "输出 结果" / "报告 report"
    out = run("report", "--out", out_dir, "--notebooks", notebooks, "--quiet")
    assert out.returncode == 0, out.stderr
    page = (out_dir / f"01-试算 {NOT_GBK}.html").read_text(encoding="utf-8")
    assert f"从中文路径运行 {NOT_GBK}" in page  # the kernel ran in the Chinese folder
    assert (out_dir / "index.html").is_file()
    assert "index.html" in out.stdout

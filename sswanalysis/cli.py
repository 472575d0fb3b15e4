"""The ``sswanalysis`` command line: one subcommand per task, each living in its own module.

Only the module of the subcommand that runs is imported, so ``sswanalysis --help`` and
``sswanalysis validate`` stay fast and never pay for matplotlib or statsmodels.

A subcommand ``NAME`` in module ``M`` is two functions: ``M.NAME_arguments(parser)`` adds
its options to an :class:`argparse.ArgumentParser`, and ``M.NAME_main(args) -> int``
runs it and returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any, TextIO

#: subcommand -> (module, one-line help: Chinese, then English)
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("sswanalysis.datapackage.validation",
                 "检查数据包 (默认: 随附的数据) / check a Data Package (default: the shipped data)"),
    "extract": ("sswanalysis.extract_command",
                "找出报告文本中的数字(数值、单位、限定词) / find the figures written in report text"),
    "template": ("sswanalysis.monthly.template",
                 "生成空白的社工站月报模板 / write the blank station-month report template"),
    "ingest": ("sswanalysis.monthly.ingest",
               "读入、检查并保存社工站月报 / read, validate and store station-month report files"),
    "report": ("sswanalysis.publish.html",
               "运行笔记本, 生成 HTML 报告和 Excel 表格 / "
               "run the notebooks, write the HTML report and workbook"),
    "lab": ("sswanalysis.publish.jupyter_lab",
            "在笔记本上启动 JupyterLab(项目内核、内置中文字体) / "
            "JupyterLab on the notebooks: project kernel, bundled font"),
}


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help with its English "usage:" prefix preceded by Chinese."""

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法 usage: " if prefix is None else prefix)


def build_parser(name: str) -> tuple[argparse.ArgumentParser, ModuleType]:
    """(parser with the options of command ``name``, the command's module)."""
    module_name, help_ = COMMANDS[name]
    module = importlib.import_module(module_name)
    parser = argparse.ArgumentParser(prog=f"sswanalysis {name}", description=help_, add_help=False,
                                     formatter_class=_HelpFormatter)
    parser.add_argument("-h", "--help", action="help", help="显示本帮助 / show this help and exit")
    # argparse's own headings, which it writes in English
    parser._positionals.title = "参数 arguments"
    parser._optionals.title = "选项 options"
    getattr(module, f"{name}_arguments")(parser)
    return parser, module


def _usage() -> str:
    lines = ["用法 usage: sswanalysis COMMAND [options]", "", "命令 commands:"]
    lines += [f"  {name:<10} {help_}" for name, (_, help_) in COMMANDS.items()]
    lines += ["", "查看一个命令的选项 options of one command: sswanalysis COMMAND --help"]
    return "\n".join(lines)


def console_safe(*streams: TextIO) -> None:
    """Let ``streams`` (default: stdout and stderr) print any text, whatever their encoding.

    A Windows console or pipe on code page 936 (GBK) cannot encode every character our data
    may hold (✓, emoji, rare characters outside GBK): a strict stream would stop the command
    with a ``UnicodeEncodeError``. Such characters are printed as ``\\u2713`` escapes instead,
    so the text stays readable and the character stays identifiable. Streams that encode all
    of Unicode (UTF-8, GB18030) are left alone.

    >>> import io
    >>> out = io.TextIOWrapper(io.BytesIO(), encoding="gbk")
    >>> console_safe(out)
    >>> _ = out.write("通过 ✓ 🙂"); out.flush()
    >>> print(out.buffer.getvalue().decode("gbk"))
    通过 \\u2713 \\U0001f642
    """
    import codecs
    import io

    for stream in streams or (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "ascii"
        if isinstance(stream, io.TextIOWrapper) and codecs.lookup(encoding).name not in _UNICODE:
            stream.reconfigure(errors="backslashreplace")


_UNICODE = {"utf-8", "utf-16", "utf-32", "gb18030"}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    console_safe()
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(_usage())
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"sswanalysis: 没有这个命令 / unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    parser, module = build_parser(name)
    return int(getattr(module, f"{name}_main")(parser.parse_args(rest)) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

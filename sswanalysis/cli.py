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
from typing import TextIO

#: subcommand -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("sswanalysis.datapackage.validation", "check a Data Package (default: the shipped data)"),
    "extract": ("sswanalysis.quantities", "find the quantities written in Chinese report text"),
    "template": ("sswanalysis.monthly.template", "write the blank station-month report template"),
    "ingest": ("sswanalysis.monthly.ingest", "read, validate and store station-month report files"),
    "report": ("sswanalysis.publish.html", "run the notebooks and write the HTML report and workbook"),
}


def _usage() -> str:
    lines = ["usage: sswanalysis COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<10} {help_}" for name, (_, help_) in COMMANDS.items()]
    lines += ["", "Run 'sswanalysis COMMAND --help' for the options of one command."]
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
        print(f"sswanalysis: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module_name, help_ = COMMANDS[name]
    module = importlib.import_module(module_name)
    parser = argparse.ArgumentParser(prog=f"sswanalysis {name}", description=help_)
    getattr(module, f"{name}_arguments")(parser)
    return int(getattr(module, f"{name}_main")(parser.parse_args(rest)) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

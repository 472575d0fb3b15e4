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

#: subcommand -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("sswanalysis.datapackage.validation", "check a Data Package (default: the shipped data)"),
    "extract": ("sswanalysis.quantities",
                "找出报告文本中的数字(数值、单位、限定词) find the figures written in report text"),
    "template": ("sswanalysis.monthly.template", "write the blank station-month report template"),
    "ingest": ("sswanalysis.monthly.ingest", "read, validate and store station-month report files"),
    "report": ("sswanalysis.publish.html", "run the notebooks and write the HTML report and workbook"),
}


def _usage() -> str:
    lines = ["usage: sswanalysis COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<10} {help_}" for name, (_, help_) in COMMANDS.items()]
    lines += ["", "Run 'sswanalysis COMMAND --help' for the options of one command."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
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

"""``sswanalysis extract FILE... [--format csv|json]``: the figures written in text files.

One row per quantity found by :func:`sswanalysis.quantities.iter_quantities`, with the file
it came from, on standard output (CSV or JSON). Each file's encoding is decided from the
evidence in its bytes (:mod:`sswanalysis.textfiles`), never guessed. Every file is read
before anything is printed, so the output is all the files or nothing: a program reading
it never gets a half-written JSON array, nor the figures of some files taken for all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from sswanalysis.quantities import COLUMNS, iter_quantities

__all__ = ["extract_arguments", "extract_main"]

_PROGRESS_MIN_FILES = 5


def extract_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``sswanalysis extract`` to ``parser``."""
    parser.add_argument(
        "files", nargs="+", metavar="FILE",
        help="文本文件:UTF-8(可带 BOM)、UTF-16 或 UTF-32(带 BOM)或 GBK/GB18030;文件夹则读其中的 "
             ".txt 文件(不含子文件夹);任一文件无法读取时不输出任何结果 "
             "text files: UTF-8 (BOM or not), UTF-16 or UTF-32 with BOM, or GBK/GB18030; for a folder, "
             "the .txt files in it (not in its subfolders); if any file cannot be read, nothing is output",
    )
    parser.add_argument(
        "--format", choices=("csv", "json"), default="csv",
        help="输出格式,默认 csv output format (default csv)",
    )


def _text_files(names: list[str]) -> tuple[list[Path], list[str]]:
    """(the files that ``names`` give, in order; a message for each name that gives none).

    A folder gives the ``.txt`` files directly in it, by name: Windows' command prompt does
    not expand ``folder\\*.txt``, so naming the folder is how a Windows user passes them all.
    """
    paths: list[Path] = []
    problems = []
    for name in names:
        path = Path(name)
        if not name:  # Path("") is the current folder, which the user did not name
            problems.append("空路径 empty path: name a file or folder")
        elif path.is_dir():
            found = sorted(f for f in path.iterdir() if f.suffix.lower() == ".txt" and f.is_file())
            if not found:
                problems.append(f"文件夹中没有 .txt 文件 no .txt file in folder {path}: "
                                "name the files to read")
            paths += found
        elif path.is_file():
            paths.append(path)
        else:
            problems.append(f"找不到文件 no such file: {path}")
    return paths, problems


def extract_main(args: argparse.Namespace) -> int:
    """Run ``sswanalysis extract``: one row per quantity, with a ``file`` column, on stdout.

    Each file's encoding is decided by evidence (:func:`sswanalysis.textfiles.decode`).
    Every file is read first: if one is missing or its encoding cannot be established, each
    such file is named on stderr, nothing is written to stdout, and the exit code is 2.
    Otherwise returns 0. A reader that stops early (``| head``) ends the output quietly
    (:func:`sswanalysis.cli.main` does that for every command).
    """
    import csv
    import json

    from sswanalysis.textfiles import read_text

    paths, problems = _text_files(args.files)
    texts = []
    for path in paths:
        try:
            texts.append(read_text(path, kind="text")[0])
        except (OSError, ValueError) as exc:
            problems.append(f"无法读取 cannot read {path}: {exc}")
    if problems:
        for problem in problems:
            print(f"sswanalysis extract: {problem}", file=sys.stderr)
        print("sswanalysis extract: 未输出任何结果 nothing was output: fix or leave out the files above "
              "and run again", file=sys.stderr)
        return 2
    files: Iterable[tuple[Path, str]] = zip(paths, texts, strict=True)
    if len(paths) > _PROGRESS_MIN_FILES:
        from tqdm import tqdm

        files = tqdm(files, total=len(paths), desc="extract", unit="file", file=sys.stderr)
    fields = ["file", *COLUMNS]
    writer = None
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(fields)
    else:
        sys.stdout.write("[")
    first = True
    for path, text in files:
        for m in iter_quantities(text):
            q = m.quantity
            row = [str(path), m.start, m.end, m.text, q.value, q.value_high, q.unit,
                   q.qualifier, m.noun]
            if writer is not None:
                writer.writerow(["" if v is None else v for v in row])
            else:
                sys.stdout.write(("\n" if first else ",\n")
                                 + json.dumps(dict(zip(fields, row, strict=True)),
                                              ensure_ascii=False))
                first = False
    if writer is None:
        sys.stdout.write("\n]\n" if not first else "]\n")
    sys.stdout.flush()
    return 0

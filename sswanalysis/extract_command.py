"""``sswanalysis extract FILE... [--format csv|json]``: the figures written in text files.

One row per quantity found by :func:`sswanalysis.quantities.iter_quantities`, with the file
it came from, on standard output (CSV or JSON). Each file's encoding is decided from the
evidence in its bytes (:mod:`sswanalysis.textfiles`), never guessed.
"""

from __future__ import annotations

import argparse
import sys

from sswanalysis.quantities import COLUMNS, iter_quantities

__all__ = ["extract_arguments", "extract_main"]

_PROGRESS_MIN_FILES = 5


def extract_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``sswanalysis extract`` to ``parser``."""
    parser.add_argument(
        "files", nargs="+", metavar="FILE",
        help="文本文件:UTF-8(可带 BOM)、UTF-16(带 BOM)或 GBK/GB18030 "
             "text files: UTF-8 (BOM or not), UTF-16 with BOM, or GBK/GB18030",
    )
    parser.add_argument(
        "--format", choices=("csv", "json"), default="csv",
        help="输出格式,默认 csv output format (default csv)",
    )


def extract_main(args: argparse.Namespace) -> int:
    """Run ``sswanalysis extract``: one row per quantity, with a ``file`` column, on stdout.

    Each file's encoding is decided by evidence (:func:`sswanalysis.textfiles.decode`).
    Returns 0, or 2 if a file does not exist or its encoding cannot be established. A
    reader that stops early (``| head``) ends the output quietly (:func:`sswanalysis.cli.main`
    does that for every command).
    """
    import csv
    import json
    from pathlib import Path

    from sswanalysis.textfiles import read_text

    paths = [Path(f) for f in args.files]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        for p in missing:
            print(f"sswanalysis extract: 找不到文件 no such file: {p}", file=sys.stderr)
        return 2
    files: object = paths
    if len(paths) > _PROGRESS_MIN_FILES:
        from tqdm import tqdm

        files = tqdm(paths, desc="extract", unit="file", file=sys.stderr)
    fields = ["file", *COLUMNS]
    writer = None
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(fields)
    else:
        sys.stdout.write("[")
    first = True
    for path in files:  # type: ignore[attr-defined]
        try:
            text, _ = read_text(path)
        except (OSError, ValueError) as exc:
            print(f"sswanalysis extract: 无法读取 cannot read {path}: {exc}", file=sys.stderr)
            return 2
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

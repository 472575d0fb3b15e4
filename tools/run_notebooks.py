"""Re-execute notebooks top to bottom and store their outputs (``make notebooks``).

This is the only way committed notebook outputs change. Each notebook runs in a fresh
``python3`` kernel (nbclient, ``record_timing=False``) in ``notebooks/`` with the fixed
environment of :data:`sswanalysis.publish.notebooks.ENV`; volatile metadata is stripped, so running
it again on unchanged data and code gives byte-identical files.

Usage::

    python tools/run_notebooks.py notebooks/*.ipynb
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    import nbformat

    from sswanalysis.publish.notebooks import execute_notebook
    from sswanalysis.writing import write_text

    paths = sorted(Path(a) for a in argv)
    if not paths:
        print("usage: run_notebooks.py NOTEBOOK.ipynb ...", file=sys.stderr)
        return 2
    for path in paths:
        print(f"running {path}", file=sys.stderr)
        nb = execute_notebook(path)
        text = nbformat.writes(nb) + "\n"
        write_text(path, text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

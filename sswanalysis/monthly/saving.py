"""Write the ingester's outputs safely: atomically, never over an input, formula-safe for Excel.

* :func:`atomic_write` writes to a temporary file in the destination's folder and renames it
  into place, so a killed or failed run leaves the old file or none — never half a file.
* :func:`refuse_overwrite` stops a run whose output would replace one of its inputs, or one
  output another.
* :func:`excel_safe` neutralises cells Excel would run as formulas; :func:`write_csv` writes
  UTF-8 with a byte-order mark, so Excel shows Chinese rather than mojibake.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: A cell starting with one of these is a formula (or DDE payload) to Excel or LibreOffice.
#: The apostrophe is included so that the marking can be undone unambiguously.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


class OutputError(Exception):
    """An output cannot or must not be written; the message says why and what to do."""


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it to ``path``.

    The rename is atomic on one file system: readers see the old file or the whole new one.
    On any error the temporary file is removed and the error raised.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> _ = atomic_write(p, lambda tmp: tmp.write_text("done"))
    >>> p.read_text(), [f.name for f in p.parent.iterdir()]
    ('done', ['out.txt'])
    """
    from sswanalysis.writing import replacing

    with replacing(path) as tmp:
        write(tmp)
    return Path(path)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def refuse_overwrite(inputs: Iterable[Path], outputs: dict[str, Path]) -> None:
    """Raise :class:`OutputError` if an output is an input, a folder, another output, or not a
    regular file (a device such as ``/dev/null``, a pipe): an output is renamed into place, which
    would replace such a file with an ordinary one.

    ``outputs`` maps an option name (``--out``) to its path.
    """
    named = list(outputs.items())
    inputs = list(inputs)
    for i, (opt, out) in enumerate(named):
        if out.is_dir():
            raise OutputError(f"{opt} {out} is a folder; give a file name (e.g. {out / 'accepted.parquet'})")
        if out.exists() and not out.is_file():
            raise OutputError(f"{opt} {out} is not an ordinary file (a device, pipe or socket) and "
                              "would be replaced by one; give the name of a file to write")
        for other_opt, other in named[:i]:
            if out.absolute() == other.absolute() or _same(out, other):
                raise OutputError(f"{opt} and {other_opt} are the same file ({out}); "
                                  "give two different names")
        for p in inputs:
            if out.absolute() == p.absolute() or _same(out, p):
                raise OutputError(f"{opt} {out} is one of the input files; it would be overwritten. "
                                  "Write the output elsewhere")


def excel_safe(value: object) -> object:
    """A text cell Excel would read as a formula, with a leading apostrophe; other values as they are.

    Remove one leading apostrophe to get the value back.

    >>> [excel_safe(v) for v in ["=1+1", "-5", "@SUM(A1)", "'quoted", "沙河", 3]]
    ["'=1+1", "'-5", "'@SUM(A1)", "''quoted", '沙河', 3]
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as CSV atomically: UTF-8 with BOM, every text cell :func:`excel_safe`."""
    import pandas as pd

    out = frame.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]) \
                or isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype("object").map(excel_safe)
    from sswanalysis.writing import write_csv as write_excel_csv

    return write_excel_csv(out, path)


def write_parquet(frame: pd.DataFrame, path: str | Path, mark: bytes) -> Path:
    """Write ``frame`` as Parquet atomically, its schema metadata holding ``mark`` (so the
    reader knows the file for an output and never reads it back as a report)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), mark: b"1"})
    return atomic_write(path, lambda tmp: pq.write_table(table, tmp))

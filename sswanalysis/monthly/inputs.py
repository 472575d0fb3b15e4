"""Which files ``ingest`` reads: folders expanded, a file given twice read once, and the
tool's own outputs never read back as reports (an output folder inside the input folder
would otherwise grow the input on every run).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: File suffixes a folder is searched for.
REPORT_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".parquet", ".xls")
#: Key of the Parquet metadata entry that marks a file written by ``sswanalysis ingest``.
OUTPUT_MARK = b"sswanalysis.ingest.output"
#: CSV files written by ``sswanalysis ingest`` start with these header cells (no template header does).
OUTPUT_CSV_START = ("file", "row")


def is_own_output(path: Path) -> bool:
    """Was ``path`` written by ``sswanalysis ingest`` (a Parquet file with its mark, or a CSV
    starting with ``file,row``)? Such files are outputs, never report inputs."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    if head.startswith(b"PAR1"):
        import pyarrow.parquet as pq

        try:
            return OUTPUT_MARK in (pq.read_schema(path).metadata or {})
        except Exception:  # not a readable Parquet file: the reader will say so
            return False
    first = head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].split(b",")
    return tuple(c.strip(b'\r" ').decode("utf-8", "replace") for c in first[:2]) == OUTPUT_CSV_START


def _is(path: Path, test: Any) -> bool:
    """``test(path)`` (``Path.exists``, ``is_file``, ``is_dir``), False where the system cannot
    tell (a name too long): the reader then names the file as unreadable."""
    try:
        return bool(test(path))
    except OSError:
        return False


def find_inputs(paths: Any) -> tuple[list[Path], list[tuple[str, str]]]:
    """(files to read, (path, note) for each input skipped).

    Each path as given, folders replaced by their report files (sorted, Office lock files
    ``~$…`` and hidden files left out). A file given twice is read once; files written by
    ``sswanalysis ingest`` are skipped (:func:`is_own_output`).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = list(paths)
    if any(str(p) == "" for p in paths):  # Path("") is the current folder: never read it unasked
        raise ValueError("an empty path was given (''); name a report file or folder")
    out: list[Path] = []
    skipped: list[tuple[str, str]] = []
    seen: dict[Path, Path] = {}
    for p in map(Path, paths):
        if _is(p, Path.is_dir):
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES
                and not f.name.startswith(("~$", "."))
            )
        else:
            found = [p]
        for f in found:
            key = f.resolve() if _is(f, Path.exists) else f.absolute()
            if key in seen:
                skipped.append((str(f), f"given more than once (same file as {seen[key]}); read once"))
            elif _is(f, Path.is_file) and is_own_output(f):
                skipped.append((str(f), "written by sswanalysis ingest (an output, not a report); not read"))
            else:
                seen[key] = f
                out.append(f)
    return out, skipped


def expand(paths: Any) -> list[Path]:
    """Files to read (:func:`find_inputs` without the notes).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ["b.csv", "a.xlsx", "~$a.xlsx", "notes.txt"]:
    ...     _ = (d / name).write_text("")
    >>> [p.name for p in expand([d, d / "b.csv"])]
    ['a.xlsx', 'b.csv']
    """
    return find_inputs(paths)[0]

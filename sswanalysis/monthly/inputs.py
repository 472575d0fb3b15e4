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

    Each path as given, folders replaced by their report files (sorted). What a folder holds
    besides is left out with a note, so that no file goes unmentioned: Office lock files
    ``~$…``, hidden files and folders, and files of other kinds (``.ods``, ``.txt`` …). A file
    given twice is read once; files written by ``sswanalysis ingest`` are skipped
    (:func:`is_own_output`).
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
            found, left_out = _scan(p)
            skipped += left_out
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


def _scan(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """(report files in ``folder`` and below, sorted; (path, note) for each other file or
    hidden folder). The files of a hidden folder (``.git``) are not listed one by one."""
    found: list[Path] = []
    skipped: list[tuple[str, str]] = []
    hidden: set[Path] = set()
    for f in sorted(folder.rglob("*")):
        parts = f.relative_to(folder).parts
        top_hidden = next((i for i, part in enumerate(parts) if part.startswith(".")), None)
        if top_hidden is not None and top_hidden < len(parts) - 1:  # inside a hidden folder
            hidden.add(folder.joinpath(*parts[:top_hidden + 1]))
            continue
        if not _is(f, Path.is_file):
            continue
        if f.name.startswith("~$"):
            skipped.append((str(f), "an Office lock file (is the workbook open in Excel?); not read"))
        elif f.name.startswith("."):
            skipped.append((str(f), "a hidden file; not read"))
        elif f.suffix.lower() not in REPORT_SUFFIXES:
            skipped.append((str(f), "not a report file (CSV, XLSX or Parquet); not read "
                                    "(save it as CSV UTF-8 or XLSX to include it)"))
        else:
            found.append(f)
    skipped += [(str(d), "a hidden folder; its files are not read") for d in sorted(hidden)
                if _is(d, Path.is_dir)]
    return found, skipped


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

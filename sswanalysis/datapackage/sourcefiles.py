"""Read the stored source texts that evidence spans are checked against.

A source file may start with a header of ``key: value`` lines ended by a line ``---``
(the context excerpts in ``shared/sources/context/``); the text after it is the body, the
only part evidence may come from -- the header's own summary of the figures must never
count as evidence. A file without such a line is all body.

The header's provenance (source id, stored URL, grade, mirror, script) must agree with the
row of ``sources.csv`` that names the file: :func:`header_mismatches` lists where it does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["HEADER_COLUMNS", "SourceText", "header_mismatches", "read_source"]

_SEPARATOR = "---"

#: header key -> (sources.csv column, how the header writes the column's value)
HEADER_COLUMNS: dict[str, tuple[str, dict[str, str]]] = {
    "source_id": ("source_id", {}),
    "stored_url": ("stored_url", {}),
    "grade": ("grade", {}),
    "mirror": ("mirror", {"yes": "true", "no": "false"}),
    "script": ("script", {}),
}


@dataclass(frozen=True, slots=True)
class SourceText:
    """A source file split into its header (``key -> value``) and its body."""

    header: dict[str, str]
    body: str


def read_source(path: str | Path) -> SourceText:
    """Read a source file and split off its header.

    The encoding is decided from the file's bytes (:func:`sswanalysis.textfiles.examine`):
    UTF-8, with or without a byte-order mark, UTF-16 with one, or GBK when the bytes give
    evidence for it; line ends are ``\\n`` whatever the file used.

    Raises
    ------
    OSError
        If the file cannot be read.
    ValueError
        If its encoding cannot be established; the message names the byte offset and what to do.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.txt"
    >>> _ = p.write_text("source_id: x\\ngrade: academic\\n---\\n全国已建成2.9万个", encoding="utf-8")
    >>> s = read_source(p)
    >>> s.header["grade"], s.body
    ('academic', '全国已建成2.9万个')
    >>> _ = p.write_text("no header: here\\n全文", encoding="utf-8")
    >>> read_source(p).header, read_source(p).body
    ({}, 'no header: here\\n全文')
    >>> _ = p.write_bytes("grade: academic\\r\\n---\\r\\n全国已建成2.9万个".encode("gbk"))
    >>> read_source(p).body
    '全国已建成2.9万个'
    """
    from sswanalysis.textfiles import read_text

    # one line end, so that the header's "---" line is found whatever wrote the file
    text = read_text(path, kind="text")[0].replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if _SEPARATOR not in lines:
        return SourceText({}, text)
    cut = lines.index(_SEPARATOR)
    header = {}
    for line in lines[:cut]:
        key, sep, value = line.partition(": ")
        if sep:
            header[key.strip()] = value.strip()
    return SourceText(header, "\n".join(lines[cut + 1:]))


def header_mismatches(header: dict[str, str], row: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(column, value in sources.csv, value in the file header)`` where the two disagree.

    Keys the header does not have are not compared.

    >>> header_mismatches({"grade": "academic", "mirror": "yes"},
    ...                   {"grade": "state_media", "mirror": "true"})
    [('grade', 'state_media', 'academic')]
    """
    out = []
    for key, (column, spelled) in HEADER_COLUMNS.items():
        if key not in header:
            continue
        want = spelled.get(header[key], header[key])
        have = row.get(column)
        have = "" if not isinstance(have, str) else have
        if have != want:
            out.append((column, have, want))
    return out

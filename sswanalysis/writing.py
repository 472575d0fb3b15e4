"""Files we write: the same bytes on every platform, and never half written.

Text files are UTF-8 with ``\\n`` line endings, CSV files are UTF-8 *with* a byte-order mark
(so Excel on Windows opens Chinese text correctly) and ``\\n`` line endings. Python and
pandas would otherwise pick the platform's defaults: on Windows, ``\\r\\n`` line endings, and
the ANSI code page (cp936, GBK) as the encoding of any file opened without one.

Each file is written to a temporary file in the target folder and moved into place when
complete, so a crash or a full disk never leaves a truncated output, and an existing file
is only replaced by a complete one. On Windows a file open in Excel cannot be replaced;
that gives a :class:`PermissionError` saying so.

``tests/test_portability.py`` fails when package code writes a text file without an
explicit encoding and line ending.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CSV_ENCODING", "replacing", "write_csv", "write_text"]

#: CSV for Excel: UTF-8 with a byte-order mark.
CSV_ENCODING = "utf-8-sig"


def _new_file_beside(path: Path) -> Path:
    """A new empty file with a unique hidden name in ``path``'s folder.

    Created like any file the user makes (mode 0o666 less the umask), not private as
    ``tempfile.mkstemp`` would make it: the file becomes the output as it is.
    """
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            return tmp
        except FileExistsError:  # another run picked the same name: draw again
            continue


@contextlib.contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """Give a temporary path beside ``path``; move it onto ``path`` when the block succeeds.

    The folder is created if missing. If the block raises, the temporary file is removed and
    ``path`` is left as it was.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "月报 out" / "a.bin"
    >>> with replacing(target) as tmp:
    ...     _ = tmp.write_bytes(b"\\x00\\x01")
    >>> target.read_bytes(), [p.name for p in target.parent.iterdir()]
    (b'\\x00\\x01', ['a.bin'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _new_file_beside(path)
    try:
        yield tmp
        try:
            os.replace(tmp, path)
        except PermissionError as err:  # Windows: the target is open in another program
            raise PermissionError(
                f"cannot replace {path}: it is open in another program (Excel?) or read-only; "
                f"close it and run again. 文件被占用或只读, 请关闭后重试"
            ) from err
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` as UTF-8 with ``\\n`` line endings, atomically; return the path.

    >>> import tempfile
    >>> p = write_text(Path(tempfile.mkdtemp()) / "页.html", "第一行\\n第二行\\n")
    >>> p.read_bytes() == "第一行\\n第二行\\n".encode("utf-8")
    True
    """
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(path)


def write_csv(frame: pd.DataFrame, path: str | Path, *, index: bool = False) -> Path:
    """Write a DataFrame as CSV for Excel (UTF-8 with BOM, ``\\n`` line endings), atomically.

    Values are written as they are: the caller makes text from data formula-safe.

    >>> import tempfile, pandas as pd
    >>> p = write_csv(pd.DataFrame({"地区": ["临泽县"], "n": [3]}), Path(tempfile.mkdtemp()) / "t.csv")
    >>> p.read_bytes()
    b'\\xef\\xbb\\xbf\\xe5\\x9c\\xb0\\xe5\\x8c\\xba,n\\n\\xe4\\xb8\\xb4\\xe6\\xb3\\xbd\\xe5\\x8e\\xbf,3\\n'
    """
    with replacing(path) as tmp:
        if not _holds_cr(frame.reset_index() if index else frame):
            frame.to_csv(tmp, index=index, encoding=CSV_ENCODING, lineterminator="\n")
        else:
            # Python's csv quotes a cell holding a character of the line terminator only, so with
            # "\n" a cell's lone CR would go out bare and end the record for any reader. Written
            # with "\r\n", every cell holding CR or LF is quoted; records then end in "\n" again.
            text = frame.to_csv(index=index, lineterminator="\r\n")
            text = _RECORD_END.sub(lambda m: m.group(1) or "\n", text)
            tmp.write_bytes(text.encode(CSV_ENCODING))
    return Path(path)


#: A quoted cell (kept as it is) or a record's "\r\n" outside quotes.
_RECORD_END = re.compile(r'("(?:[^"]|"")*")|\r\n')


def _holds_cr(frame: pd.DataFrame) -> bool:
    """Does a column name or text cell of ``frame`` hold a carriage return?"""
    import pandas as pd

    if any("\r" in str(name) for name in frame.columns):
        return True
    for name in frame.columns:
        col = frame[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            col = pd.Series(col.cat.categories)
        if (col.dtype == object or pd.api.types.is_string_dtype(col)) \
                and col.astype("str").str.contains("\r", regex=False).any():
            return True
    return False

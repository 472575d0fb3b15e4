"""Read a text file whose encoding is decided by evidence, never guessed.

Reports reach planners as UTF-8 (with or without a byte-order mark) or, from Chinese
Windows, as GBK. A wrong guess does not fail: it silently turns 沙河 into mojibake. So
the encoding is decided only by evidence, in this order:

1. a byte-order mark (UTF-8, UTF-16 LE/BE) — the text must then decode strictly;
2. the whole file decodes as strict UTF-8;
3. the whole file decodes as strict GB18030 (the superset of GBK and GB2312) and holds
   nothing a GBK file from a Chinese system would not: no control characters other than
   tab and line breaks, no private-use characters (what Big5 or other text read as GBK
   often gives).

Anything else raises :class:`ValueError` with the byte offset of the first byte that is
not valid UTF-8, so that the user can find it.

Examples
--------
>>> decode("服务1200余人".encode("gbk"))
('服务1200余人', 'gb18030')
>>> decode(b"\\xef\\xbb\\xbf1200")
('1200', 'utf-8-sig')
>>> decode(b"ok \\xff\\xfe\\xfd")
Traceback (most recent call last):
...
ValueError: not UTF-8 (byte 0xff at offset 3) and not GBK/GB18030 either; save the file as UTF-8
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["decode", "read_text"]

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
#: Characters that a GB18030 decode should not give for a real Chinese text file.
_IMPLAUSIBLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ue000-\uf8ff\U000f0000-\U0010ffff]")


def decode(data: bytes) -> tuple[str, str]:
    """Decode ``data`` by evidence: BOM, strict UTF-8, strict and plausible GB18030.

    Parameters
    ----------
    data : bytes
        The whole file.

    Returns
    -------
    (str, str)
        The text and the encoding that was established (``utf-8-sig``, ``utf-16``,
        ``utf-8`` or ``gb18030``).

    Raises
    ------
    ValueError
        When no encoding can be established; the message names the byte offset.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise ValueError(
                    f"starts with a {encoding} byte-order mark but byte {exc.start} is not "
                    f"{encoding} ({exc.reason}); save the file as UTF-8"
                ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        where = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        odd = _IMPLAUSIBLE.search(text)
        if odd is None:
            return text, "gb18030"
        offset = len(text[: odd.start()].encode("gb18030"))
        raise ValueError(
            f"not UTF-8 ({where}); read as GBK/GB18030 it holds U+{ord(odd.group()):04X} "
            f"at byte {offset}, which a Chinese text file does not: the encoding cannot be "
            "established; save the file as UTF-8"
        )
    raise ValueError(f"not UTF-8 ({where}) and not GBK/GB18030 either; save the file as UTF-8")


def read_text(path: str | Path) -> tuple[str, str]:
    """The text of the file at ``path`` and its encoding, as :func:`decode` decides.

    Raises
    ------
    OSError
        If the file cannot be read.
    ValueError
        If its encoding cannot be established (the message names the byte offset).
    """
    return decode(Path(path).read_bytes())

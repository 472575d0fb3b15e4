"""Decide the text encoding of a file from evidence in its bytes, or say why not.

One decider for every reader of text: ``ingest`` (CSV reports, ``--stations`` registers)
and ``extract`` (policy texts). A CSV file written on a Chinese Windows machine is GBK
(Excel's "CSV"), on anything else UTF-8, sometimes with a byte-order mark (Excel's "CSV
UTF-8"); Windows' Notepad and Excel's "Unicode text" write UTF-16 with a byte-order mark,
and a few programs UTF-32 with one.
A wrong guess does not fail: it silently turns 沙河 into other characters that then pass
every check. So a file is decoded only when its bytes give evidence for one encoding:

1. a byte-order mark (UTF-8, UTF-32 or UTF-16, LE or BE) is evidence: the rest must then
   decode strictly in that encoding;
2. strict UTF-8 — unless the file has no 3-byte sequence (every CJK character is one) and
   reads as plausible GBK too: GBK pairs often happen to be 2-byte UTF-8, so that file is
   refused as ambiguous rather than guessed;
3. strict GB18030 (the superset of GBK and GB2312), kept only if the text is plausible
   Chinese: no control characters other than tab and line breaks, and nearly all of its
   non-ASCII characters GB2312 hanzi or common full-width punctuation. Big5, Shift-JIS or
   Latin-1 bytes decoded as GB18030 give rare hanzi, private-use characters, kana and
   Cyrillic and fail this test;
4. bytes that are mostly well-formed UTF-8 — at least as many common hanzi in 3-byte
   sequences as bad bytes — with a few stray bytes are a damaged UTF-8 file (GB18030 would
   decode them into rare characters without complaint): refused, naming the first bad byte.
   A plausible GBK reading outweighs that, unless the hanzi are three times the bad bytes:
   then the encoding cannot be established.

Anything else is refused with the byte offset (and line) where decoding fails, and what to
do: re-save the file as UTF-8, with the steps for the program that wrote it — Excel for a
CSV report (``ingest``, the default), a text editor for text (``kind="text"``, ``extract``).
:func:`examine` returns the outcome without raising (the ingester rejects such a file and
still counts its rows, from :func:`lossy`); :func:`decode` and :func:`read_text` raise
:class:`ValueError` with the same message.

Examples
--------
>>> decode("服务1200余人".encode("gbk"))
('服务1200余人', 'gb18030')
>>> decode(b"\\xef\\xbb\\xbf1200")
('1200', 'utf-8-sig')
>>> decode("沙河".encode("utf-16"))
('沙河', 'utf-16')
>>> decode("沙河".encode("utf-32"))
('沙河', 'utf-32')
>>> decode(b"ok \\xff\\xfe\\xfd")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: encoding cannot be established: not UTF-8 (byte offset 3 (line 1, byte 0xff)) nor GBK ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = ["Decoded", "Kind", "could_be_gbk", "decode", "examine", "lossy", "read_text"]

#: Share of non-ASCII characters that must be common Chinese (GB2312) for a GB18030 reading.
PLAUSIBLE_SHARE = 0.95
#: Byte-order marks and the codec that checks and strips each. UTF-32 comes before UTF-16:
#: the UTF-16 LE mark ff fe begins the UTF-32 LE mark ff fe 00 00 (a UTF-16 text does not
#: begin with the character U+0000, so the longer mark wins).
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_BOM_NAMES = {"utf-8-sig": "UTF-8", "utf-32": "UTF-32", "utf-16": "UTF-16"}
#: What the reader of a file expects, and so how to re-save one that cannot be decoded: a
#: report is a CSV saved from Excel (``ingest``), a text is saved from a text editor (``extract``).
Kind = Literal["csv", "text"]
_SAVE_AS: dict[Kind, str] = {
    "csv": "save the file as UTF-8 (Excel: Save As → CSV UTF-8) and read it again",
    "text": "save the text as UTF-8 (Notepad: Save As → Encoding UTF-8) and read it again",
}
#: Control characters a text file does not hold (tab, line feed, carriage return and form
#: feed aside): a GB18030 reading that gives one is not Chinese text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CJK = re.compile("[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Decoded:
    """The outcome: ``text`` and ``encoding``, or ``fault`` (text None)."""

    text: str | None
    encoding: str | None
    fault: str | None = None


def _where(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"byte offset {offset} (line {line}, byte 0x{data[offset]:02x})"


def _common_chinese(ch: str) -> bool:
    """Is ``ch`` a GB2312 hanzi (rows 0xB0-0xF7) or GB2312 punctuation / full-width form (rows 0xA1, 0xA3)?"""
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and (0xB0 <= b[0] <= 0xF7 or b[0] in (0xA1, 0xA3))


def _uncommon(text: str) -> tuple[int, int, list[str]]:
    """(non-ASCII characters that are not common Chinese, non-ASCII characters, the distinct former)."""
    # judged per distinct character (a set is built in C), then counted
    odd_chars = [ch for ch in set(text) if ord(ch) > 0x7F and not _common_chinese(ch)]
    wide = len(text) - len(text.encode("ascii", errors="ignore"))
    return sum(text.count(ch) for ch in odd_chars), wide, odd_chars


def could_be_gbk(data: bytes) -> bool:
    """May well-formed UTF-8 ``data`` be GBK in disguise? True when it has non-ASCII bytes but
    no 3-byte UTF-8 sequence (every CJK character is one): GBK pairs often form 2-byte ones.

    >>> could_be_gbk("沙".encode("gbk")), could_be_gbk("沙".encode("utf-8")), could_be_gbk(b"abc")
    (True, False, False)
    """
    return not data.isascii() and re.search(rb"[\xe0-\xef]", data) is None


def _gbk_reading(data: bytes) -> tuple[str | None, str | None]:
    """(the GB18030 text if it is plausible Chinese, else None; why not, if it decodes at all)."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        return None, f"nor GBK ({_where(data, exc.start)})"
    control = _CONTROL.search(text)
    odd, wide, odd_chars = _uncommon(text)
    if control is None and odd <= max(1, (1 - PLAUSIBLE_SHARE) * wide):
        return text, None
    at = min(([control.start()] if control else []) + [text.index(ch) for ch in odd_chars])
    return None, (f"and read as GBK {odd} of {wide} characters are not common Chinese"
                  + (" and it holds a control character" if control else "")
                  + f" (first at {_where(data, len(text[:at].encode('gb18030')))}) — Big5 or "
                  "another encoding?")


def _utf8_or_ambiguous(data: bytes, text: str, kind: Kind) -> Decoded:
    """Strict UTF-8 ``text`` of ``data``, unless the bytes read as plausible GBK just as well."""
    if not could_be_gbk(data):
        return Decoded(text, "utf-8")
    gbk, _ = _gbk_reading(data)
    # as GBK it holds a rare character (UTF-8 Cyrillic 'Ѕ' is GBK '袇'): UTF-8
    if gbk is None or _uncommon(gbk)[0]:
        return Decoded(text, "utf-8")
    first = next(i for i, ch in enumerate(text) if ord(ch) > 0x7F)  # ASCII before it: same index in both
    return Decoded(None, None, (
        f"encoding cannot be established: the bytes read as UTF-8 ({text[first:first + 8]!r}…) and as "
        f"GBK ({gbk[first:first + 8]!r}…) alike, from {_where(data, first)}; {_SAVE_AS[kind]}"))


def _utf8_evidence(data: bytes) -> tuple[int, int]:
    """(common hanzi in well-formed UTF-8 sequences, bytes that are not UTF-8).

    Only 3-byte sequences that decode to common Chinese characters count as evidence: GBK
    pairs often happen to form 2-byte UTF-8 sequences (Latin, Greek, Cyrillic letters), and
    sometimes a 3-byte one, but then mostly a rare hanzi.
    """
    text = data.decode("utf-8", errors="replace")
    return sum(1 for ch in _CJK.findall(text) if _common_chinese(ch)), text.count("\ufffd")


def examine(data: bytes, kind: Kind = "csv") -> Decoded:
    """Decode the bytes of a text file, or return why their encoding cannot be established.

    Parameters
    ----------
    data : bytes
        The whole file.
    kind : {"csv", "text"}
        What the reader expects, which decides only the advice in ``fault``: a CSV report
        (re-save it from Excel) or a text (re-save it from a text editor).

    Returns
    -------
    Decoded
        ``text`` and ``encoding`` (``utf-8``, ``utf-8-sig``, ``utf-16``, ``utf-32`` or
        ``gb18030``), or ``fault``: a message naming the byte offset and line, and what to do.

    Examples
    --------
    >>> examine("沙河,平川".encode("utf-8")).encoding, examine("沙河,平川".encode("gbk")).encoding
    ('utf-8', 'gb18030')
    >>> examine("沙河".encode("utf-8") + b"\\xff" + "平川".encode("utf-8")).fault[:40]
    'file is UTF-8 except at byte offset 6 (l'
    >>> examine("沙,1".encode("gbk")).fault[:60]  # b'\\xc9\\xb3' is also UTF-8 'ɳ'
    "encoding cannot be established: the bytes read as UTF-8 ('ɳ,"
    >>> examine("沙河社工站平川鄉".encode("big5")).fault[:44]
    'encoding cannot be established: not UTF-8 (b'
    >>> examine(b"\\xff", kind="text").fault.split("; ")[-1]
    'save the text as UTF-8 (Notepad: Save As → Encoding UTF-8) and read it again'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                name = _BOM_NAMES[encoding]
                # utf-8-sig counts offsets after its mark, the UTF-16 and UTF-32 codecs from the start
                return Decoded(None, encoding, (
                    f"file starts with a {name} byte-order mark but is not {name} at "
                    f"{_where(data, exc.start + (3 if name == 'UTF-8' else 0))}; fix that byte or "
                    f"{_SAVE_AS[kind]}"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        not_utf8 = f"not UTF-8 ({_where(data, exc.start)})"
        first_bad = exc.start
    else:
        return _utf8_or_ambiguous(data, text, kind)
    gbk, why_not_gbk = _gbk_reading(data)
    good, bad = _utf8_evidence(data)
    if gbk is not None and good < 3 * bad:  # a GBK reading without a fault outweighs a few hanzi
        return Decoded(gbk, "gb18030")
    if gbk is not None:
        return Decoded(None, None, (
            f"encoding cannot be established: the bytes read as plausible GBK and as UTF-8 with a "
            f"stray byte at {_where(data, first_bad)}; {_SAVE_AS[kind]}"))
    if 0 < good >= bad:
        return Decoded(None, None, f"file is UTF-8 except at {_where(data, first_bad)}: a damaged "
                                   f"file or pasted text in another encoding; fix that byte or "
                                   f"{_SAVE_AS[kind]}")
    return Decoded(None, None, f"encoding cannot be established: {not_utf8} {why_not_gbk}; {_SAVE_AS[kind]}")


def lossy(data: bytes) -> str:
    """Text of bytes whose encoding could not be established, bad bytes replaced: enough to
    count the rows of a file that is rejected whole, never to read its values.

    >>> lossy(b"a\\xff\\nb\\n")
    'a\\ufffd\\nb\\n'
    """
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    return data.decode(encoding, errors="replace")


def decode(data: bytes, kind: Kind = "csv") -> tuple[str, str]:
    """The text of ``data`` and its encoding, as :func:`examine` decides (``kind`` as there).

    Raises
    ------
    ValueError
        When no encoding can be established; the message names the byte offset.
    """
    decoded = examine(data, kind)
    if decoded.text is None:
        raise ValueError(decoded.fault)
    return decoded.text, str(decoded.encoding)


def read_text(path: str | Path, kind: Kind = "csv") -> tuple[str, str]:
    """The text of the file at ``path`` and its encoding, as :func:`examine` decides (``kind`` as there).

    Raises
    ------
    OSError
        If the file cannot be read.
    ValueError
        If its encoding cannot be established (the message names the byte offset).
    """
    return decode(Path(path).read_bytes(), kind)

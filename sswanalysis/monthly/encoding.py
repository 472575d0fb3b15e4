"""Decide the text encoding of one report file from evidence in its bytes, or say why not.

A CSV file written on a Chinese Windows machine is GBK (Excel's "CSV"), on anything else
UTF-8, sometimes with a byte-order mark (Excel's "CSV UTF-8"). A wrong guess silently turns
station names into other characters that then pass every check, so a file is decoded only
when the bytes give evidence for one encoding:

1. a byte-order mark: UTF-8 (the rest must be strict UTF-8); UTF-16 is named and refused
   (Excel's "Unicode text" — save as CSV instead);
2. strict UTF-8 — unless the file has no 3-byte sequence (every CJK character is one) and
   reads as plausible GBK too: GBK pairs often happen to be 2-byte UTF-8, so that file is
   refused as ambiguous rather than guessed;
3. bytes that are mostly well-formed UTF-8 with a few stray bytes are a damaged UTF-8 file,
   not GBK: refused, naming the first bad byte (GB18030 would decode them into rare
   characters without complaint);
4. strict GB18030 (the superset of GBK), kept only if the text is plausible Chinese: nearly
   all of its non-ASCII characters are GB2312 hanzi or common full-width punctuation.
   Big5, Shift-JIS or Latin-1 bytes decoded as GB18030 give rare hanzi, kana and Cyrillic
   and fail this test.

Anything else is refused with the byte offset (and line) where decoding fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Share of non-ASCII characters that must be common Chinese (GB2312) for a GB18030 reading.
PLAUSIBLE_SHARE = 0.95


@dataclass(frozen=True)
class Decoded:
    """The outcome: ``text`` and ``encoding``, or ``fault`` (text None)."""

    text: str | None
    encoding: str | None
    fault: str | None = None


def _where(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"byte offset {offset} (line {line}, byte 0x{data[offset]:02x})"


_CJK = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _common_chinese(ch: str) -> bool:
    """Is ``ch`` a GB2312 hanzi (rows 0xB0-0xF7) or GB2312 punctuation / full-width form (rows 0xA1, 0xA3)?"""
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and (0xB0 <= b[0] <= 0xF7 or b[0] in (0xA1, 0xA3))


def _mostly_utf8(data: bytes) -> tuple[bool, int]:
    """(do well-formed UTF-8 CJK characters outnumber bad bytes, offset of the first bad byte).

    Only CJK characters and punctuation (3-byte sequences) count as evidence: GBK pairs
    often happen to form 2-byte UTF-8 sequences (Latin, Greek, Cyrillic letters), hardly
    ever 3-byte ones in the CJK range.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(_CJK.findall(text))
    first = 0
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first = exc.start
    return good >= bad and good > 0, first


def _uncommon(text: str) -> tuple[int, int, list[str]]:
    """(non-ASCII characters that are not common Chinese, non-ASCII characters, the distinct former)."""
    # judged per distinct character (a set is built in C), then counted
    odd_chars = [ch for ch in set(text) if ord(ch) > 0x7F and not _common_chinese(ch)]
    wide = len(text) - len(text.encode("ascii", errors="ignore"))
    return sum(text.count(ch) for ch in odd_chars), wide, odd_chars


def could_be_gbk(data: bytes) -> bool:
    """May well-formed UTF-8 ``data`` be GBK in disguise? True when it has non-ASCII bytes but
    no 3-byte UTF-8 sequence (every CJK character is one): GBK pairs often form 2-byte ones."""
    return not data.isascii() and re.search(rb"[\xe0-\xef]", data) is None


def _utf8_or_ambiguous(data: bytes, text: str) -> Decoded:
    """Strict UTF-8 ``text`` of ``data``, unless the bytes read as plausible GBK just as well."""
    if not could_be_gbk(data):
        return Decoded(text, "utf-8")
    try:
        gbk = data.decode("gb18030")
    except UnicodeDecodeError:
        return Decoded(text, "utf-8")
    if _uncommon(gbk)[0]:  # as GBK it holds a rare character (UTF-8 Cyrillic 'Ѕ' is GBK '袇'): UTF-8
        return Decoded(text, "utf-8")
    first = next(i for i, ch in enumerate(text) if ord(ch) > 0x7F)  # ASCII before it: same index in both
    return Decoded(None, None, (
        f"encoding cannot be established: the bytes read as UTF-8 ({text[first:first + 8]!r}…) and as "
        f"GBK ({gbk[first:first + 8]!r}…) alike; save the file as CSV UTF-8 (with BOM) and read it again"))


def decode(data: bytes) -> Decoded:
    """Decode the bytes of a text file, or return why their encoding cannot be established.

    Examples
    --------
    >>> decode("沙河,平川".encode("utf-8")).encoding, decode("沙河,平川".encode("gbk")).encoding
    ('utf-8', 'gbk')
    >>> decode("沙河".encode("utf-8") + b"\\xff" + "平川".encode("utf-8")).fault[:40]
    'file is UTF-8 except at byte offset 6 (l'
    >>> decode("沙,1".encode("gbk")).fault[:60]  # b'\xc9\xb3' is also UTF-8 'ɳ'
    "encoding cannot be established: the bytes read as UTF-8 ('ɳ,"
    >>> decode("沙河社工站平川鄉".encode("big5")).fault[:44]
    'encoding not recognised: not UTF-8 (byte off'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(None, "utf-16", "file is UTF-16 (Excel's 'Unicode text'); save it as CSV "
                                       "(CSV UTF-8) and read it again")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return Decoded(data[3:].decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError as exc:
            return Decoded(None, None, f"file starts with a UTF-8 byte-order mark but is not UTF-8 at "
                                       f"{_where(data, exc.start + 3)}; fix or re-save it as CSV UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_fail = exc.start
    else:
        return _utf8_or_ambiguous(data, text)
    mostly, first = _mostly_utf8(data)
    if mostly:
        return Decoded(None, None, f"file is UTF-8 except at {_where(data, first)}: a damaged "
                                   "file or pasted text in another encoding; fix that byte or re-save "
                                   "the file as CSV UTF-8")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        return Decoded(None, None, f"encoding not recognised: not UTF-8 ({_where(data, utf8_fail)}) "
                                   f"nor GBK ({_where(data, exc.start)}); save it as CSV UTF-8")
    odd, wide, odd_chars = _uncommon(text)
    if odd > max(1, (1 - PLAUSIBLE_SHARE) * wide):
        first_odd = len(text[:min(text.index(ch) for ch in odd_chars)].encode("gb18030"))
        return Decoded(None, None, f"encoding not recognised: not UTF-8 ({_where(data, utf8_fail)}), "
                                   f"and read as GBK {odd} of {wide} characters are not "
                                   f"common Chinese (first at {_where(data, first_odd)}) — Big5 or "
                                   "another encoding? Save it as CSV UTF-8")
    return Decoded(text, "gbk")

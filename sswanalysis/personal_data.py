"""Personal data in report text (个人信息): identity numbers, mobile phones, bank cards, e-mail.

Station-month reports hold aggregates (counts of people, sessions, households); a planning
dataset has no place for the identity numbers, phone numbers or bank cards of the people
served (个人信息保护法). This module is the check at the door: :func:`find` locates such
numbers in a text, :func:`mask` hides them (``1101**********1232``, ``138****5678``), and
:func:`find_in_column` searches a whole Arrow column at C speed, looking closely only at the
few cells that could hold one. The monthly ingest rejects a row that holds one and
``validate`` faults a Data Package cell that does; neither ever prints the number itself.

What is found
-------------
* **Resident identity numbers** (居民身份证号码, GB 11643): 17 digits and a check character
  (0-9 or X) that passes ISO 7064 MOD 11-2, with a real birth date ``YYYYMMDD`` (1900 to
  this year) in places 7-14; and the 15-digit numbers issued before 1999, whose places
  7-12 are a real birth date ``YYMMDD`` (19YY). The first digit (province) is not 0.
* **Mobile numbers** (手机号): ``1[3-9]`` and nine more digits, also after ``86``/``0086``
  written together with it (``+8613812345678``).
* **Bank card numbers** (银行卡号): 16 to 19 digits that pass the Luhn check.
* **E-mail addresses**.

Numbers may be written in groups of three or more digits joined by spaces (also the
ideographic space), hyphens or dashes (``138 1234 5678``, ``6222-0212-3456-7890``,
``110101 19800101 1232``; after groups of four the last may be shorter, as on a card) and
in full-width digits (``１３８…``); the digits of other scripts are not read. A number stands alone: a
digit right before or after it makes it part of a longer number, which is not searched
inside, and digits after a decimal point are a fraction. So a 25-digit count holds no
phone number, and a count that fails its check (a 19-digit figure that is not
Luhn-valid) is not personal data; it is a count too large to believe, which the reader's
other checks judge. But an 11-digit figure starting 13-19 *is* read as a phone number and a
15-digit one with a date in places 7-12 as an old identity number: no station-month figure
is that large.

What cannot be found
--------------------
Names (姓名), addresses and other words that identify a person: no pattern tells 张三 from
a place or an organisation. Free-text columns must not hold the names of service users;
the template's codebook and README say so.

Examples
--------
>>> text = "张三 身份证110101198001011232 电话138-1234-5678 已入户"
>>> [(f.kind, f.masked) for f in find(text)]
[('id_number', '1101**********1232'), ('phone', '138-****-5678')]
>>> mask(text)
'张三 身份证1101**********1232 电话138-****-5678 已入户'
>>> find("服务1200人次, 共计1234567890123456789元")  # 19 digits, not Luhn-valid
[]
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["KINDS", "Finding", "find", "find_in_column", "kind_labels", "mask", "mask_texts"]

#: kind -> (Chinese, English) name, in the order messages list them
KINDS: dict[str, tuple[str, str]] = {
    "id_number": ("身份证号", "ID number"),
    "phone": ("手机号", "phone number"),
    "bank_card": ("银行卡号", "bank card number"),
    "email": ("电子邮箱", "e-mail address"),
}

#: fewest digits a number of :data:`KINDS` has (a mobile number): cells with fewer are skipped
MIN_DIGITS = 11
_MAX_DIGITS = 19  # a bank card; an identity number has 18, a phone with 0086 15
_LENGTHS = frozenset({11, 13, 15, 16, 17, 18, 19})  # phone (with 86, 0086), ID (old, new), card
_MIN_GROUP = 3  # digits in a group joined to others by separators (138 1234 5678)

# spaces (also no-break and ideographic), hyphen-minus, the Unicode hyphens and dashes, minus
# sign and full-width hyphen: what people type between groups of digits
_SEP = "[ \u00a0\u3000\\-\u2010-\u2015\u2212\ufe63\uff0d]"
_X = "Xx\uff38\uff58"  # the check character X, also lower case and full-width
#: a digit: ASCII or full-width (the digits of other scripts are not written in these reports)
DIGIT = "[0-9\uff10-\uff19]"
_TO_ASCII = str.maketrans("\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff38\uff58x",
                          "0123456789XXX")
# A run of digit groups. It starts where no digit (nor a digit and a decimal point) stands
# before it and ends where no digit follows; separators and digits are disjoint classes,
# so the pattern cannot backtrack more than linearly.
_RUN = re.compile(rf"(?<!{DIGIT})(?<!{DIGIT}\.){DIGIT}+(?:{_SEP}{{1,3}}{DIGIT}+)*[{_X}]?(?!{DIGIT})")
_GROUP = re.compile(rf"{DIGIT}+[{_X}]?")
_DIGITS = re.compile(DIGIT)
# MIN_DIGITS digits in one run (at most three separators between two digits, as in _RUN): a
# number find() can see has them. Digits spread over a cell (a list of 6-digit division codes)
# are not one, and such a cell is never handed to find().
_LONG_RUN = f"{DIGIT}(?:{_SEP}{{0,3}}{DIGIT}){{{MIN_DIGITS - 1}}}"
# The local part starts where no local-part character stands before it, so each run of
# letters is tried once (no quadratic rescans of long Latin text).
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+[@\uff20][A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
_PHONE = re.compile(r"(?:0086|86)?1[3-9][0-9]{9}")


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data: its kind (a key of :data:`KINDS`), where it is, and masked."""

    kind: str
    start: int
    end: int
    masked: str


def _ascii(group: str) -> str:
    """Digits as ASCII digits, the check character as ``X``."""
    return group.translate(_TO_ASCII)


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        return dt.date(year, month, day) <= dt.date.today() and year >= 1900
    except ValueError:
        return False


@functools.cache
def _checks() -> tuple[Callable[[str], bool], Callable[[str], bool]]:
    """(ISO 7064 MOD 11-2, Luhn) validity tests of python-stdnum, imported on first use."""
    from stdnum import luhn
    from stdnum.iso7064 import mod_11_2

    return mod_11_2.is_valid, luhn.is_valid


def classify(digits: str) -> str | None:
    """The kind of personal data a number is (written as ASCII digits and ``X``), or ``None``.

    Examples
    --------
    >>> classify("11010519491231002X"), classify("110105491231002"), classify("13812345678")
    ('id_number', 'id_number', 'phone')
    >>> classify("6222021234567890128"), classify("6222021234567890123"), classify("12345678901")
    ('bank_card', None, None)
    """
    n = len(digits)
    if n not in _LENGTHS:
        return None
    mod_11_2, luhn = _checks()
    if n == 18 and digits[0] != "0" and "X" not in digits[:17] and mod_11_2(digits) \
            and _real_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14])):
        return "id_number"
    if "X" in digits:
        return None
    if n == 15 and digits[0] != "0" and _real_date(1900 + int(digits[6:8]), int(digits[8:10]),
                                                   int(digits[10:12])):
        return "id_number"
    if _PHONE.fullmatch(digits):
        return "phone"
    if 16 <= n <= _MAX_DIGITS and luhn(digits):
        return "bank_card"
    return None


def _mask_digits(text: str, keep_head: int, keep_tail: int = 4) -> str:
    """``text`` with every digit but the first ``keep_head`` and last ``keep_tail`` starred."""
    places = [i for i, c in enumerate(text) if _DIGITS.match(c) or c in _X]
    hidden = set(places[keep_head:len(places) - keep_tail])
    return "".join("*" if i in hidden else c for i, c in enumerate(text))


def _numbers(text: str) -> list[Finding]:
    found = []
    for run in _RUN.finditer(text):
        if len(_DIGITS.findall(run.group())) < MIN_DIGITS:
            continue
        groups = [(g.start() + run.start(), g.end() + run.start(), _ascii(g.group()))
                  for g in _GROUP.finditer(run.group())]
        i = 0
        while i < len(groups):
            hit = None
            # the longest span of groups from group i that is a number of some kind: spans
            # grow while they hold at most _MAX_DIGITS digits, in groups of _MIN_GROUP or more;
            # after groups of four (a card: 6222 0212 3456 7890 1) the last may be shorter
            spans, digits = [], ""
            for j in range(i, len(groups)):
                d = groups[j][2]
                if len(digits) + len(d) > _MAX_DIGITS or (j > i and len(groups[i][2]) < _MIN_GROUP):
                    break
                short = j > i and len(d) < _MIN_GROUP
                if short and not (j - i >= 3 and all(len(g[2]) == 4 for g in groups[i:j])):
                    break
                digits += d
                spans.append((j, digits))
                if short:
                    break
            for j, digits in reversed(spans):
                kind = classify(digits)
                if kind is not None:
                    hit = (j, kind, digits)
                    break
            if hit is None:
                i += 1
                continue
            j, kind, digits = hit
            start, end = groups[i][0], groups[j][1]
            head = 4 if kind != "phone" else 3 + len(digits) - 11  # 138****5678, 86138****5678
            found.append(Finding(kind, start, end, _mask_digits(text[start:end], head)))
            i = j + 1
    return found


def find(text: str) -> list[Finding]:
    """Every identity number, mobile number, bank card number and e-mail address in ``text``.

    Parameters
    ----------
    text : str
        Any text: a spreadsheet cell, a note, an evidence span.

    Returns
    -------
    list of Finding
        In order of position; spans do not overlap.

    Examples
    --------
    >>> [(f.kind, f.masked) for f in find("卡号 6222 0212 3456 7894, zhang.san@example.com")]
    [('bank_card', '6222 **** **** 7894'), ('email', 'z***@example.com')]
    >>> find("＋８６ １３８１２３４５６７８")[0].masked
    '１３８****５６７８'
    >>> find("2023-01-15 服务 120 人, 0.13812345678")
    []
    """
    found = _numbers(text) if len(_DIGITS.findall(text)) >= MIN_DIGITS else []
    if "@" in text or "\uff20" in text:
        for m in _EMAIL.finditer(text):
            if not any(f.start < m.end() and m.start() < f.end for f in found):
                local, at, domain = re.split(r"([@\uff20])", m.group(), maxsplit=1)
                found.append(Finding("email", m.start(), m.end(), f"{local[0]}***{at}{domain}"))
    return sorted(found, key=lambda f: f.start)


def mask(text: str) -> str:
    """``text`` with each piece of personal data :func:`find` sees replaced by its masked form.

    >>> mask("联系人手机13812345678, 邮箱 li@example.org")
    '联系人手机138****5678, 邮箱 l***@example.org'
    >>> mask("服务人数1200余人")
    '服务人数1200余人'
    """
    out, last = [], 0
    for f in find(text):
        out += [text[last:f.start], f.masked]
        last = f.end
    return "".join(out) + text[last:] if out else text


def kind_labels(kinds: Iterable[str]) -> tuple[str, str]:
    """(Chinese, English) names of ``kinds``, each once, in :data:`KINDS` order.

    >>> kind_labels(["phone", "id_number", "phone"])
    ('身份证号/手机号', 'ID number / phone number')
    """
    present = set(kinds)
    names = [KINDS[k] for k in KINDS if k in present]
    return "/".join(zh for zh, _ in names), " / ".join(en for _, en in names)


# -- columns ----------------------------------------------------------------------------------


def _candidates(text: Any) -> Any:
    """Positions of the strings of an Arrow string array that may hold personal data.

    A cell needs a run of :data:`MIN_DIGITS` digits (at most three separators between two
    of them) or an ``@`` to hold any: a superset of what :func:`find` finds, computed in
    C++. Short cells are ruled out by their length first, and only the rest are matched
    with a regular expression.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_string(text.type):
        text = pc.cast(text, pa.string())
    long = np.flatnonzero(pc.fill_null(pc.greater_equal(pc.utf8_length(text), MIN_DIGITS), False)
                          .to_numpy(zero_copy_only=False))
    if not len(long):
        return long
    rest = text.take(long)
    digits = pc.match_substring_regex(rest, _LONG_RUN)
    at = pc.or_(pc.match_substring(rest, "@"), pc.match_substring(rest, "\uff20"))
    return long[pc.fill_null(pc.or_(digits, at), False).to_numpy(zero_copy_only=False)]


def _numbers_as_text(chunk: Any) -> tuple[list[int], list[str]]:
    """(positions, decimal text) of the cells of a numeric array with :data:`MIN_DIGITS` or more
    digits. Floats count only when they are whole and exact (below 2**53)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    low = 10 ** (MIN_DIGITS - 1)
    # one pass: most columns hold no number this large (numpy's min and max cost less than
    # Arrow's min_max on the short columns of one file, when there is no empty cell)
    if pa.types.is_integer(chunk.type) and not chunk.null_count and len(chunk):
        ints = chunk.to_numpy()
        lo, hi = ints.min(), ints.max()
    else:
        extremes = pc.min_max(chunk).as_py()
        lo, hi = extremes["min"], extremes["max"]
    if lo is None or (-low < lo and hi < low):
        return [], []
    big = pc.greater_equal(chunk, low)
    if not pa.types.is_unsigned_integer(chunk.type):
        big = pc.or_(big, pc.less_equal(chunk, -low))
    if pa.types.is_floating(chunk.type):
        exact = pc.and_(pc.less(chunk, 2.0**53), pc.greater(chunk, -(2.0**53)))
        big = pc.and_(big, pc.and_(exact, pc.equal(pc.floor(chunk), chunk)))
    pos = np.flatnonzero(pc.fill_null(big, False).to_numpy(zero_copy_only=False))
    values = chunk.take(pos).to_pylist()
    return pos.tolist(), [str(int(v)) for v in values]


def find_in_column(column: pa.Array | pa.ChunkedArray) -> dict[int, list[Finding]]:
    """Personal data in a column: position of each cell that holds some -> its findings.

    Text cells are dictionary-encoded (if they are not already), so each distinct value is
    searched once; values are pre-screened in C++ (:data:`MIN_DIGITS` digits or an ``@``)
    and only those that pass are searched with :func:`find`. Integer cells of
    :data:`MIN_DIGITS` or more digits, and whole float cells as large that a float holds
    exactly, are searched as their decimal digits. Cells of other types cannot hold a
    number of :data:`KINDS`.

    Examples
    --------
    >>> import pyarrow as pa
    >>> col = pa.chunked_array([["120", "电话13812345678"], [None, "110101198001011232"]])
    >>> {i: [f.kind for f in fs] for i, fs in find_in_column(col).items()}
    {1: ['phone'], 3: ['id_number']}
    >>> list(find_in_column(pa.array([13812345678, 1200, 1234567890123456789])))
    [0]
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    col = column if isinstance(column, pa.ChunkedArray) else pa.chunked_array([column])
    out: dict[int, list[Finding]] = {}
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        col = pc.dictionary_encode(col)  # one dictionary for all chunks
    if pa.types.is_dictionary(col.type):
        col = col.unify_dictionaries()
        if col.num_chunks == 0:
            return out
        words = col.chunk(0).dictionary
        hits = {i: f for i in _candidates(words).tolist() if (f := find(words[i].as_py()))}
        if hits:
            codes = np.concatenate([c.indices.fill_null(-1).to_numpy(zero_copy_only=False)
                                    for c in col.chunks])
            for p in np.flatnonzero(np.isin(codes, list(hits))).tolist():
                out[p] = hits[int(codes[p])]
    elif pa.types.is_integer(col.type) or pa.types.is_floating(col.type):
        for p, text in zip(*_numbers_as_text(col), strict=True):
            if f := find(text):
                out[p] = f
    return dict(sorted(out.items()))


def mask_texts(values: Iterable[Any]) -> list[Any]:
    """Each value with its personal data masked (:func:`mask`); non-strings pass unchanged.

    The strings are pre-screened in C++, so masking a long table costs little.

    >>> mask_texts(["ok", None, "电话 138 1234 5678"])
    ['ok', None, '电话 138 **** 5678']
    """
    import pyarrow as pa

    values = list(values)
    strings = pa.array([v if isinstance(v, str) else None for v in values], type=pa.string())
    for i in _candidates(strings).tolist():
        values[i] = mask(values[i])
    return values

"""Numerals for :mod:`sswanalysis.quantities`: Chinese, Arabic and English number words.

Everything here is strict: a string that is not a well-formed numeral gives ``None``,
never a guess (``十四五``, ``二〇二二`` and ``三四十`` are not numbers).

* :func:`chinese_int` converts a Chinese integer numeral (``一百零八``, ``三萬零三百八十七``).
* :func:`number` converts the number part of a figure as the quantity grammar finds it:
  Arabic digits (full-width too, with ``,`` or a space between groups of three), Chinese
  numerals with ``点`` decimals, and a bare magnitude (``百``, ``千万``).
* :func:`english_number` converts an English number word (``Seven``, ``twenty-one``).
* :data:`T2S` maps the traditional characters that the quantity grammar reads to their
  simplified forms, one character to one, so that text translated with it keeps every
  offset (``萬`` -> ``万``, ``餘`` -> ``余``, ``超過`` -> ``超过``).

Examples
--------
>>> chinese_int("一百零八"), chinese_int("三萬零三百八十七"), chinese_int("十四五")
(108, 30387, None)
>>> number("1,200"), number("533 594"), number("12.5"), number("百")
((1200, 1, False), (533594, 1, False), (125, 10, False), (100, 1, True))
>>> english_number("Seven"), english_number("twenty-one"), english_number("several")
(7, 21, None)
>>> "超過1.7萬餘個".translate(T2S)
'超过1.7万余个'
"""

from __future__ import annotations

import functools

__all__ = [
    "CN_DIGITS", "ENGLISH", "ENGLISH_MAGNITUDE", "MAGNITUDE", "T2S", "chinese_int",
    "english_number", "leading_zero", "number",
]

CN_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
    "陸": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
MAGNITUDE = {**_SMALL, "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
MAX_DIGITS = 24  # longer digit strings are identifiers, not figures
_GROUP_SEPARATORS = str.maketrans("", "", ", \u00a0\u2009\u202f")

#: Traditional -> simplified, for the characters of measure words, qualifiers, counted
#: nouns and the words around them. One character to one, so offsets are kept. 參 stays
#: (it is also a formal numeral).
T2S = str.maketrans(
    (
        "萬億餘個場戶節項處間張冊條類種輪組筆門輛臺棟層屆塊圓幣時鐘學週歲畝噸點於過將約內"
        "數員單稱義額譽屬長鄉園體級齡輕華會訴來別擔準複評謂縣區撐隊記診統專歸進幾劃禮雙簽"
        "預違隱趕臨親遠與為從給讓並開實現蓋獲納駐備達計啟動掛運營機構對兒眾業願陣課檔崗階"
        "協議資製問書團織陸貳兩維確識補費務總設傳講訪辦頃"
    ),
    (
        "万亿余个场户节项处间张册条类种轮组笔门辆台栋层届块圆币时钟学周岁亩吨点于过将约内"
        "数员单称义额誉属长乡园体级龄轻华会诉来别担准复评谓县区撑队记诊统专归进几划礼双签"
        "预违隐赶临亲远与为从给让并开实现盖获纳驻备达计启动挂运营机构对儿众业愿阵课档岗阶"
        "协议资制问书团织陆贰两维确识补费务总设传讲访办顷"
    ),
)


def _section(s: str, allow_ten: bool) -> int | None:
    """Value of a Chinese numeral below 10000 (no 万/亿), or None if malformed."""
    if len(s) == 1 and s in CN_DIGITS:
        return CN_DIGITS[s]
    total = 0
    last = 10**5
    pending: int | None = None
    zero = False
    for ch in s:
        d = CN_DIGITS.get(ch)
        if d is not None:
            if pending is not None:
                return None  # two digits in a row: 十四五, 二〇二二, 三四十
            if d == 0:
                if zero or total == 0:
                    return None
                zero = True
                continue
            pending = d
            continue
        u = _SMALL.get(ch)
        if u is None or u >= last:
            return None
        if pending is None:
            if u == 10 and total == 0 and allow_ten and not zero:
                pending = 1  # 十五
            else:
                return None
        if total and (u * 10 < last) != zero:
            return None  # a gap needs a 零 (一千零五十) and a 零 needs a gap
        total += pending * u
        last, pending, zero = u, None, False
    if pending is not None:
        if zero or last == 10:
            total += pending
        elif last < 10**5:
            total += pending * last // 10  # 三百五 = 350
        else:  # pragma: no cover - single digits returned above
            return None
    elif zero:
        return None
    return total


def chinese_int(s: str, allow_ten: bool = True) -> int | None:
    """Value of a Chinese integer numeral, strictly, or None.

    ``allow_ten`` lets a numeral start with 十 (``十五``); inside a larger numeral after
    万 or 亿 it may not (``一万十五`` is malformed).
    """
    for chars, big in (("亿億", 10**8), ("万萬", 10**4)):
        i = min((j for j in (s.find(c) for c in chars) if j >= 0), default=-1)
        if i < 0:
            continue
        head, tail = s[:i], s[i + 1 :]
        if not head:
            return None
        h = chinese_int(head, allow_ten) if big == 10**8 else _section(head, allow_ten)
        if h is None or h == 0:
            return None
        if not tail:
            return h * big
        if tail[0] in "零〇":
            t = chinese_int(tail[1:], False)
            if t is None or t == 0 or t >= big // 10:
                return None
        elif len(tail) == 1 and tail in CN_DIGITS:
            t = CN_DIGITS[tail] * big // 10  # 一万二 = 12000
            if t == 0:
                return None
        else:
            t = chinese_int(tail, False)
            if t is None or not big // 10 <= t < big:
                return None
        return h * big + t
    return _section(s, allow_ten)


def _bare_magnitude(s: str) -> int | None:
    """百 -> 100, 千万 -> 10**7: a magnitude standing without a digit, else None."""
    value = 1
    for ch in s:
        m = MAGNITUDE.get(ch)
        if m is None or ch in "十拾":
            return None
        value *= m
    return value


def number(s: str) -> tuple[int, int, bool] | None:
    """Numerator, power-of-ten denominator, and whether it is a bare magnitude; or None.

    ``s`` is the number as the quantity grammar matched it, so group separators stand
    between groups of three digits only.
    """
    if s.isascii():  # the common cases first: 1200, 12.5
        if s.isdigit():
            return (int(s), 1, False) if len(s) <= MAX_DIGITS else None
        ip, dot, fp = s.partition(".")
        if dot and ip.isdigit() and fp.isdigit() and len(ip) + len(fp) <= MAX_DIGITS:
            return int(ip + fp), 10 ** len(fp), False
    if s[0] in "0123456789０１２３４５６７８９":
        t = s.translate(FULLWIDTH).translate(_GROUP_SEPARATORS)
        ip, _, fp = t.partition(".")
        if len(ip) + len(fp) > MAX_DIGITS:
            return None
        return int(ip + fp), 10 ** len(fp), False
    return _chinese_number(s)


@functools.lru_cache(maxsize=4096)  # text uses few distinct Chinese numerals, each often
def _chinese_number(s: str) -> tuple[int, int, bool] | None:
    """:func:`number` for Chinese numerals (``二十五``, ``一点五``, ``百``)."""
    if len(s) > 30:
        return None
    ip, sep, fp = s.partition("点")
    if sep:
        if any(c not in CN_DIGITS for c in fp):
            return None
        frac = "".join(str(CN_DIGITS[c]) for c in fp)
    else:
        frac = ""
    v = chinese_int(ip)
    if v is None:
        bare = None if sep else _bare_magnitude(ip)
        return None if bare is None else (bare, 1, True)
    return v * 10 ** len(frac) + (int(frac) if frac else 0), 10 ** len(frac), False




#: English number words, lower case (written-out counts such as "Seven provinces").
ENGLISH: dict[str, int] = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
} | {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}


ENGLISH_MAGNITUDE = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}


def leading_zero(s: str) -> bool:
    """``023``, ``064``: a code or a broken group, not a figure (``0.3`` is a figure)."""
    return len(s) > 1 and s[0] in "0０" and s[1] not in ".．"


def english_number(word: str) -> int | None:
    """Value of an English number word below a hundred (``Seven``, ``twenty-one``), or None."""
    tens, _, unit = word.lower().partition("-")
    value = ENGLISH.get(tens)
    if not unit:
        return value
    if value is None or value < 20 or value % 10 or not 0 < ENGLISH.get(unit, 0) < 10:
        return None
    return value + ENGLISH[unit]

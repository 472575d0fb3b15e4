"""Find and normalise the quantities written in Chinese civil-affairs report text.

Reports carry their figures in prose: ``服务总人数1200余人``, ``投入资金1.25亿元``,
``近3000名社工``, ``每站配备3至5名社工``. This module finds them, folds the magnitude
characters into the value, keeps the measure word (or currency) as the unit and records
how the figure is qualified.

* :func:`parse` reads one short span (a spreadsheet cell, an evidence phrase) as a whole
  and raises :class:`ValueError` if it is not exactly one quantity: it never guesses.
* :func:`iter_quantities` scans running text and yields :class:`Match` objects with exact
  character offsets into the original string (no normalisation of the input is done;
  a full-width digit counts as one character). It needs no pandas.
* :func:`extract` is the same as a :class:`pandas.DataFrame`.

Text in traditional script is read through :data:`sswanalysis.numerals.T2S`, which maps
the characters of measure words, qualifiers and counted nouns one to one to simplified
ones (萬 -> 万, 餘 -> 余, 個 -> 个, 超過 -> 超过), so offsets still index the text as written.
Scanning is linear in the length of the text, whatever it holds (long runs of Latin
letters or digits included).

Semantics (the decisions behind the rules)
------------------------------------------
Value
    Magnitude characters 十/百/千/万/亿 (and 萬/億) are folded into ``value``:
    ``11万元`` is 110000 元, ``1.7万余个`` is 17000 个, ``二十余万人次`` is 200000 人次.
    ``余`` and ``多`` may stand before or after 万/亿. A magnitude standing alone
    (``百``, ``千``, ``万``) is the value 100, 1000, 10000 but only counts as a figure in
    running text when a qualifier comes with it (``近百名``, ``百余人``, ``上千人``,
    ``万余户``): bare ``百姓``, ``千家万户``, ``百名社工进百村`` are not figures.
Numerals
    Arabic digits, full-width digits, ASCII thousands separators in groups of three
    (``1,200``; the Chinese comma ``，`` never separates thousands), a space between
    groups of three (``533 594``) and decimals. A number with a leading zero (``023``)
    is a code, not a figure.
    Chinese numerals are converted strictly: ``二十五``, ``一百零八``, ``三萬零三百八十七``,
    ``两千``, spoken abbreviations after a magnitude (``三百五`` = 350, ``一万二`` = 12000)
    and decimals with ``点`` (``一点五亿元``). Anything else (``十四五``, ``二〇二二``,
    ``三四十``, ``两三个``) is not a number, so nothing is produced rather than a guess.
English
    Digits with an English unit or magnitude (``56 percent``, ``5 percentage points`` ->
    百分点, ``2.49 billion yuan`` -> 元), number words two to ninety-nine before a noun
    (``Seven provinces``; not ``two of``), and the qualifiers in :data:`~sswanalysis.lexicon.EN_PREFIX` (over,
    more than, exceeded …; nearly, under …; about …). Month dates (``June 30``) and a year
    next to an English word (``its 2022 mid-year``) are not figures.
    Formal numerals (壹贰叁…拾佰仟) count only in runs of at least two of them, so the
    伍 of 队伍 never joins a number (``队伍十五支`` is 15 支).
Unit
    The measure word or currency as written, in simplified characters (個 -> 个,
    場 -> 场, ％ -> %). ``万元``/``亿元`` give unit 元 with the magnitude folded in.
    ``%``, ``‰`` and ``个百分点`` (unit ``百分点``) are kept apart; ``百分之三十`` is 30 %
    and ``千分之三`` is 3 ‰. The list of measure words is data: :data:`UNITS`, kept
    with every other word the rules know in :mod:`sswanalysis.lexicon`. A measure word
    that starts a longer word is not a unit (``3年级``, ``一次性``, ``支持``, ``元旦``);
    ``3个月`` is 3 个 with the noun 月.
Qualifier
    Exactly one of :data:`QUALIFIERS`:

    * ``at_least``: 余, 多 (after the number: ``20多名``, ``5100多万元``), 超 alone as a prefix
      (``超3000场``), 超过, 超出, 逾, 以上, 不少于, 不低于, 多于, 上 before a magnitude
      (``上千人``);
    * ``at_most``: 近, 将近, 接近, 不足, 不到, 不超过, 少于, 以下, 以内;
    * ``approx``: 约, 大约, 约有, 约计, 左右, 上下;
    * ``range``: two numbers joined by 至, 到, -, ~, ～, — or – (``3至5人``, ``3-5人``,
      ``三到五名``, ``5万至10万元``). The second number's unit, and its magnitude when the
      first has none and is not larger than it (``3-5万元`` is 30000-50000 元, but
      ``8000-1万元`` is 8000-10000 元), apply to the first. ``value`` is the low end and
      ``value_high`` the high end; a "range" whose ends are not increasing is not a
      quantity.

    When a prefix and a suffix disagree (``约300余人``), the more specific one wins
    (at_least/at_most over approx). ``近`` that follows 附/最/靠/就 is part of a word
    (``附近``, ``最近``), and so is ``约`` after 签/节/合/预…(``签约3家`` is exact).
    ``近`` alone before a time span (``近3年来``, ``近两年``, ``近三个月``) means "the
    last N years" and so is ``exact``; ``将近3年`` stays at_most. ``多``/``余`` after a
    time unit (``1年多``, ``3个多月``) is at_least. ``至少``, ``最少`` and ``突破`` are
    at_least, ``至多`` and ``最多`` at_most.
Not quantities
    Dates and their parts (``2022年4月20日``, ``2023年底``, a four-digit number before
    年, year ranges ``2021年—2025年``/``2021~2025年``), clock times, numbers inside
    book titles 《…》 and short quotations “…” (model names and slogans such as
    “1231”服务模式, “1+8”), model formulas ``1+X``, ordinals (第一方阵, 第三批),
    document numbers (〔2021〕37号, 3号), numbers stuck to Latin letters (5G, G20),
    telephone numbers, DOIs, note marks (``[4]``, ``(1)``), author-year citations
    (``(徐道稳,2021)``), plan periods (十四五) and numerals inside words and slogans
    (队伍, 一线, 统一, 一人一档, 五位一体, 两个维护: see :data:`SLOGANS`), and 一批
    ("a number of": a count the text does not state).
    An Arabic number with no unit is a figure when it stands alone (followed by
    punctuation, a space or the end) or carries a qualifier or magnitude (``1200余``,
    ``约3万``); followed directly by another Chinese character (``5社联动``, ``80后``,
    ``617日``) it is not, unless that word is a counted noun from :data:`BARE_NOUNS`
    (``300家庭``). A Chinese numeral needs a measure word (``三个``, ``两批``) or, without
    one, a qualifier and a value of at least ten (``两千余``).
Noun
    After a classifier (个, 名, 家, 项 …, not after 元, %, 小时 …) the Chinese word that
    follows, up to punctuation or a function word or verb such as 的/开展/参与, at most
    twelve characters, and cut after the last typical head noun (站, 组织, 对象 …) in it:
    ``12个县(市、区)`` gives 县, ``295名重点服务对象开展服务`` gives 重点服务对象,
    ``10个社工站服务总人数`` gives 社工站. Without one, the label written just before
    the figure, back to the previous figure, a stop word or anything not Chinese, and
    before a linking word such as 达/为/计/共计: ``个案服务320余宗`` gives 个案服务,
    ``投入资金达1.25亿元`` gives 资金. After an English figure, the words that follow up
    to a function word (``53,000 social workers`` gives social workers). This is a
    heuristic, written as the text writes it; the value does not use it.

Examples
--------
>>> from sswanalysis.quantities import extract, iter_quantities, parse
>>> parse("1200余人")
Quantity(value=1200.0, value_high=None, unit='人', qualifier='at_least')
>>> parse("约3万")
Quantity(value=30000.0, value_high=None, unit=None, qualifier='approx')
>>> [(m.text, m.quantity.value, m.noun) for m in iter_quantities("全市共建设10个社会工作服务站")]
[('10个', 10.0, '社会工作服务站')]
>>> df = extract("2022年4月,投资30万元,各设立一个社工站")
>>> df[["start", "end", "value"]].values.tolist()
[[10.0, 14.0, 300000.0], [18.0, 20.0, 1.0]]
>>> df["unit"].tolist(), df["noun"].fillna("").tolist()
(['元', '个'], ['投资', '社工站'])
>>> [(m.text, m.quantity.value, m.quantity.qualifier) for m in iter_quantities("已超過1.7萬餘個")]
[('超過1.7萬餘個', 17000.0, 'at_least')]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from sswanalysis.lexicon import (
    BARE_NOUNS,
    CLASSIFIERS,
    EN_NOT_BEFORE,
    EN_PREFIX,
    EN_STOPS,
    EN_UNITS,
    LINKS,
    MID_QUALIFIER,
    NOUN_HEADS,
    POST_QUALIFIER,
    PREFIX_QUALIFIER,
    SLOGANS,
    STOP_WORDS,
    TIME_UNITS,
    UNIT_NOT_BEFORE,
    UNITS,
)
from sswanalysis.numerals import (
    ENGLISH_MAGNITUDE,
    FULLWIDTH,
    MAGNITUDE,
    T2S,
    english_number,
    leading_zero,
    number,
)

if TYPE_CHECKING:  # pragma: no cover

    import pandas

__all__ = [
    "BARE_NOUNS",
    "COLUMNS",
    "QUALIFIERS",
    "SLOGANS",
    "UNITS",
    "Match",
    "Quantity",
    "extract",
    "iter_quantities",
    "parse",
]

QUALIFIERS = ("exact", "at_least", "at_most", "approx", "range")

#: Columns of :func:`extract`, in order.
COLUMNS = ("start", "end", "text", "value", "value_high", "unit", "qualifier", "noun")


class Quantity(NamedTuple):
    """One figure: value with magnitudes folded in, unit as written, and its qualifier.

    A named tuple (immutable and cheap to make: a page of text holds hundreds).

    Attributes
    ----------
    value : float
        The number (the low end of a range), e.g. 110000.0 for ``11万元``.
    value_high : float or None
        The high end, only when ``qualifier == "range"``.
    unit : str or None
        Measure word or currency in simplified characters (``人``, ``元``, ``%``,
        ``百分点`` …); None when no unit follows.
    qualifier : str
        One of :data:`QUALIFIERS`.
    """

    value: float
    value_high: float | None
    unit: str | None
    qualifier: str


class Match(NamedTuple):
    """A quantity found in text: ``text[start:end]`` covers qualifier, number and unit.

    Attributes
    ----------
    start, end : int
        Character offsets into the original text.
    text : str
        ``text[start:end]``.
    quantity : Quantity
        The parsed figure.
    noun : str or None
        What is counted: the noun after the measure word (``个社工站`` -> ``社工站``),
        else the label written just before the figure (``个案服务320余宗`` -> ``个案服务``),
        if any.
    """

    start: int
    end: int
    text: str
    quantity: Quantity
    noun: str | None


# ---------------------------------------------------------------------------------------
# The master regular expression. Text is read through T2S first (traditional characters
# as simplified, one to one), so the patterns name simplified characters only.
# ---------------------------------------------------------------------------------------

_ORD = "〇零一二两三四五六七八九十百千万亿"
_FORMAL = "壹贰叁參肆伍陆柒捌玖拾佰仟"
_AD = "0-9０-９"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_GROUP_SEP = "[ \u00a0\u2009\u202f]"  # "533 594": a space between groups of three


def _alt(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[arg-type]


def _starting(words: object, alternation: str) -> str:
    """``alternation`` behind a look-ahead for the first characters of ``words``.

    The engine tries the words of an alternation one by one; the look-ahead lets it
    leave at once where none of them can start, without changing what matches.
    """
    first = "".join(sorted({w[0] for w in words}))  # type: ignore[attr-defined]
    return f"(?=[{re.escape(first)}])(?:{alternation})"


def _unit_alt() -> str:
    # Longer words first (人次 before 人); words of different first characters never
    # compete, so those most reports use are put first, to be found after fewer tries.
    common = "人名个元户家场次项%所支份件年"
    units = sorted({w.translate(T2S) for w in UNITS},
                   key=lambda w: (common.find(w[0]) % (len(common) + 1), w[0], -len(w)))
    parts = []
    for w in units:
        block = UNIT_NOT_BEFORE.get(w)
        parts.append(re.escape(w) + (f"(?![{block.translate(T2S)}])" if block else ""))
    return _starting(units, "|".join(parts))


def _opt(pattern: str) -> str:
    """``pattern`` or nothing: the same as ``(?:pattern)?``, greedy, but written as an
    alternation, which the engine runs without the bookkeeping of a repeat."""
    return f"(?:{pattern}|)"


# Possessive ``{1,3}+`` where giving back a digit could never help the match; groups of
# three after a comma or a space are tried only once, after the same leading digits.
_DIGIT = f"[{_AD}]"
_DECIMALS = _opt(f"[.．]{_DIGIT}+")
_NUM = (
    rf"(?:{_DIGIT}{{1,3}}+(?:,{_DIGIT}{{3}}(?:,{_DIGIT}{{3}})*(?!{_DIGIT}){_DECIMALS}"
    rf"|{_GROUP_SEP}{_DIGIT}{{3}}(?:{_GROUP_SEP}{_DIGIT}{{3}})*(?!{_DIGIT}))"
    rf"|{_DIGIT}+{_DECIMALS}"
    rf"|[{_FORMAL}][{_FORMAL}零〇万亿]+"
    rf"|(?<![第统唯同逐单其初周某划专合归如星礼万进不每几数双])[{_ORD}]+"
    rf"{_opt('点[〇零一二三四五六七八九]+')})"
)
# A magnitude character that starts a unit (百分点, 千米, 千克) is the unit's, not a magnitude.
_MAG_UNITS = _alt(u for u in UNITS if u[0] in "百千万亿")
_ONE_MAG = f"(?=[百千万亿])(?!{_MAG_UNITS})[百千万亿]"
_MAG = f"{_ONE_MAG}{_opt(_ONE_MAG)}"
_SP = "[ \u3000]?"
_PREFIX = _starting(PREFIX_QUALIFIER, (
    "大约|约有|约计|约合|(?<![签节制公契预特邀守履违立隐婚])约"
    "|超过|超出|(?<![赶高])超|逾|不少于|不低于|不下于|多于|至少|最少|突破|上(?=[百千万亿])"
    "|将近|接近|(?<![附最靠临亲远就将接])近|不足|不到|不超过|少于|低于|至多|最多"
))
_RANGE_SEP_CHARS = "至到~～〜\\-－—–"
_RANGE_SEP = f"{_SP}(?:—{{1,2}}|[{_RANGE_SEP_CHARS}]){_SP}"
_UNIT = _unit_alt()
# A range needs its separator within a space, the longest unit and a space: looking for
# it first spares most figures a second pass through the measure words.
_RANGE_AHEAD = (
    f"(?=[^\\n{_RANGE_SEP_CHARS}]{{0,{2 + max(map(len, UNITS))}}}+[{_RANGE_SEP_CHARS}])"
)


def _magnitude_after(n: str) -> str:
    """Magnitudes and 余/多 after number ``n`` (``1.7万余``, ``二十余万``), if any: most
    numbers have none, and the look-ahead says so at once."""
    return _opt(f"(?=[百千万亿余多]){_opt(f'(?P<m{n}>{_MAG})')}{_opt(f'(?P<q{n}>[余多])')}"
                f"{_opt(f'(?P<m{n}b>{_MAG})')}")


_QUANTITY = (
    rf"{_opt(f'(?P<pre>{_PREFIX})')}{_opt('(?P<pct>百分之|千分之)')}"
    rf"(?P<n1>{_NUM}){_magnitude_after('1')}"
    + _opt(rf"{_RANGE_AHEAD}{_SP}{_opt(f'(?P<u1>{_UNIT})')}{_RANGE_SEP}"
           rf"(?P<n2>{_NUM}){_magnitude_after('2')}")
    + _opt(rf"{_SP}(?P<unit>{_UNIT})")
    + _opt("(?P<post>以上|以下|以内|左右|上下)")
)

_EN_DIGITS = r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_EN_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_EN_WORD = (
    rf"(?:(?:{_EN_TENS})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
    "|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    "|fifteen|sixteen|seventeen|eighteen|nineteen)(?![A-Za-z-])"
)
_EN_MAG = "hundred|thousand|million|billion"
_EN_UNIT = "percentage points?|percent|per cent|yuan"
# English figures ("over 21,000", "Seven provinces", "56 percent"): a qualifier, a number
# word or an English unit or magnitude must be there, else the Chinese grammar reads it.
_ENGLISH = (
    r"(?=[A-Za-z]|[0-9][0-9,.]{0,40}+[ ]{0,3}+[A-Za-z])(?<![A-Za-z])(?i:"
    rf"(?P<epre>{_alt(EN_PREFIX)})[ ]+(?P<en1>{_EN_DIGITS}|{_EN_WORD}|one(?=[ ]+(?:{_EN_MAG})))"
    rf"|(?P<en2>{_EN_WORD}|one(?=[ ]+(?:{_EN_MAG})))(?=[ ]+(?!(?:{EN_NOT_BEFORE})\b)[A-Za-z])"
    rf"|(?P<en3>{_EN_DIGITS})(?=[ ]*(?:{_EN_MAG}|{_EN_UNIT})\b)"
    rf")(?:[ ]+(?P<emag>(?i:{_EN_MAG}))\b)?(?:[ ]*(?P<eunit>(?i:{_EN_UNIT})\b|%))?"
)
_MONTH = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_MONTHS = rf"(?:{_MONTH}|January|February|March|April|June|July|August|September|October|November|December)"

# Skips that start with a digit or a Chinese numeral are tried only when the numeral run
# is followed by one of the characters they need: most figures are not, and the engine
# then goes straight on to the grammar of quantities.
_NUMERAL_SKIP = (
    rf"(?=[{_AD}{_ORD}]+[ +＋号:：∶.．A-Za-z·・•点时/\-])(?:"
    rf"[{_AD}{_ORD}]+(?:[ ]?[+＋][ ]?[{_AD}{_ORD}A-Za-z]+)+"  # 1+8, 1+X, 五+N
    rf"|[{_AD}]+(?:[.．][{_AD}]+)?[A-Za-z]"  # 5G, 3.5T
    rf"|[{_AD}]+[号]|[{_ORD}]+[号]"  # document and house numbers
    rf"|[{_AD}]+[:：∶][{_AD}]+|[{_AD}]{{1,2}}[·・•][{_AD}]{{1,2}}"  # times, ratios, 3·15
    rf"|[{_AD}]{{1,2}}[点时][{_AD}]{{1,2}}分?"  # 10点30分
    rf"|0[0-9]{{2,3}}-[0-9]{{7,8}}"  # telephones
    r"|(?:19|20)[0-9]{2}[./-][0-9]{1,2}[./-][0-9]{1,2}"  # 2022.4.20, 2022-04-20
    r"|10\.[0-9]{4,9}/[^\s,，;；]+"  # DOI
    rf"|[0-9]{{1,2}}[ ]+{_MONTHS}\b(?:[ ]+[0-9]{{4}})?"  # 30 June 2022
    ")"
)
_MOBILE = rf"1[3-9][0-9]{{9}}(?![0-9.,万亿]|[ ]?(?:{_UNIT}))"  # mobile telephones
# Of the skips, only numeral runs and mobile telephones start with a digit, as most
# figures do: those two are tried first there, and the others only elsewhere.
_SKIP = (
    rf"(?=[{_AD}])(?:{_NUMERAL_SKIP}|{_MOBILE})|(?![{_AD}])(?:"
    r"《[^》\n]{0,300}》"  # book and document titles
    r"|“[^“”\n]{1,25}”|「[^「」\n]{1,25}」|『[^『』\n]{1,25}』|‘[^‘’\n]{1,25}’"
    r'|"[^"\n]{1,25}"'  # short quotations: model names, slogans
    rf"|〔[^〔〕\n]{{1,8}}〕|[\[［【][0-9]{{1,4}}[\]］】]"  # 〔2021〕 document years, [4] notes
    rf"|[(（][{_AD}]{{1,2}}[)）]"  # (1) list and note numbers
    r"|[(（][^()（）\n]{1,30}[,，][ ]?(?:19|20)[0-9]{2}[a-z]?[)）]"  # (徐道稳,2021) citations
    rf"|第[ \u3000]?(?:[{_AD}]+|[{_ORD}{_FORMAL}]+)"  # ordinals
    rf"|{_NUMERAL_SKIP}"  # 五+N, 三号
    rf"|(?<![A-Za-z])[A-Za-z]+[-_]?[{_AD}]+"  # G20, COVID-19
    rf"|(?<![A-Za-z]){_MONTHS}\.?[ ]+[0-9]{{1,2}}(?:st|nd|rd|th)?\b(?:,[ ]*[0-9]{{4}})?"  # June 30
    rf"|一(?![{_ORD}])[{_CJK}]一(?![{_ORD}])[{_CJK}]"  # 一人一档, 一县一中心, 一年一度
    rf"|{_starting(slogans := {w.translate(T2S) for w in SLOGANS}, _alt(slogans))}"
    ")"
)


def _first_chars() -> str:
    """Characters a match can start with (a Latin letter only at the start of a word)."""
    chars = set("《“「『‘\"〔[［【(（第百千" + _ORD + _FORMAL)
    chars |= {w[0] for w in (*SLOGANS, *PREFIX_QUALIFIER)}
    return "".join(sorted(chars)).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


# The look-ahead lets the engine leave at once every position that cannot start a match
# (most of a page), without changing which matches are found; the look-behind then keeps
# Latin letters to the start of a word.
_MASTER_RE = re.compile(
    rf"(?=[{_first_chars()}{_AD}A-Za-z])(?<![A-Za-z](?=[A-Za-z]))"
    rf"(?:(?P<skip>{_SKIP})|{_ENGLISH}|{_QUANTITY})"
)
_QUANTITY_RE = re.compile(_QUANTITY)
_ENGLISH_RE = re.compile(_ENGLISH)
_TRADITIONAL_RE = re.compile("[" + "".join(chr(c) for c in T2S) + "]")
_BARE_NOUN_RE = re.compile(_alt(BARE_NOUNS))
_STOPS = _alt(STOP_WORDS)
_NOUN_RE = re.compile(rf"(?:(?!{_starting(STOP_WORDS, _STOPS)})[{_CJK}]){{1,12}}")
_LABEL_STOPS = _alt({*STOP_WORDS, *LINKS, "于", "向", "由"})
_LABEL_STOP_RE = re.compile(rf"(?:{_LABEL_STOPS})(?![率数])")
_LABEL_RUN_RE = re.compile(rf"(?:[\s\S]*[^{_CJK}]|)([{_CJK}]+)")  # with fullmatch: the last run
_EN_NOUN_RE = re.compile(
    rf"[ ]+((?!(?:{EN_STOPS})\b)[A-Za-z][A-Za-z-]*(?:[ ]+(?!(?:{EN_STOPS})\b)[A-Za-z][A-Za-z-]*){{0,2}})"
)
_NOUN_HEAD_RE = re.compile(_alt(NOUN_HEADS))


# ---------------------------------------------------------------------------------------
# Conversion
# ---------------------------------------------------------------------------------------


@functools.cache  # a few hundred combinations at most; a lookup is cheaper than the rules
def _qualifier_of(pre: str | None, mid: str | None, post: str | None) -> str:
    found = [
        q
        for q in (
            PREFIX_QUALIFIER.get(pre) if pre else None,
            MID_QUALIFIER.get(mid) if mid else None,
            POST_QUALIFIER.get(post) if post else None,
        )
        if q
    ]
    if not found:
        return "exact"
    specific = [q for q in found if q != "approx"]
    return specific[0] if specific else "approx"


@functools.cache  # one or two of 百千万亿 on each side: a few hundred keys at most
def _mag(a: str | None, b: str | None) -> int:
    value = 1
    for part in (a, b):
        if part:
            for ch in part:
                value *= MAGNITUDE[ch]
    return value


def _is_year(s: str) -> bool:
    return len(s) == 4 and s.translate(FULLWIDTH).isdigit()


def _is_cjk(ch: str) -> bool:
    """``ch`` (one character, or empty) is a Chinese character (the ranges of ``_CJK``)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def _english_context(t: str, start: int, end: int) -> bool:
    """A Latin word stands just before or just after ``t[start:end]``."""
    before, after = t[max(start - 2, 0) : start], t[end : end + 2]
    return (len(before) == 2 and before[1] == " " and before[0].isascii() and before[0].isalpha()
            or len(after) == 2 and after[0] == " " and after[1].isascii() and after[1].isalpha())


#: Groups of the Chinese grammar, in the order :func:`_convert` takes them (by number in
#: the master pattern: a lookup by name costs a dictionary access per match).
_GROUPS = ("pre", "pct", "n1", "m1", "q1", "m1b", "u1", "n2", "m2", "q2", "m2b", "unit", "post")
_GROUP_NUMBERS = tuple(_MASTER_RE.groupindex[g] for g in _GROUPS)
#: They are the master pattern's last groups: ``m.groups()[_CHINESE:]`` (one call).
_CHINESE = _GROUP_NUMBERS[0] - 1
assert _GROUP_NUMBERS == tuple(range(_CHINESE + 1, _MASTER_RE.groups + 1))
#: A match's ``lastindex`` tells its branch: the skip group has none inside it, and
#: every group of the Chinese grammar comes after those of the English one.
_SKIP_GROUP, _LAST_ENGLISH_GROUP = _MASTER_RE.groupindex["skip"], _MASTER_RE.groupindex["eunit"]
assert _SKIP_GROUP < _LAST_ENGLISH_GROUP < min(_GROUP_NUMBERS)
#: Named tuples built without their Python-level ``__new__`` (a page holds hundreds).
_new = tuple.__new__

#: The reason a number such as 023 is not read as a figure.
_LEADING_ZERO = "a number with a leading zero is a code, not a figure"


def _convert(g: tuple[str | None, ...], t: str, start: int, end: int, whole: bool) -> Quantity | str:
    """Turn the groups :data:`_GROUPS` of a match into a Quantity, or say why not.

    ``t`` is the translated text and ``t[start:end]`` the match. With ``whole`` (for
    :func:`parse`) the context rules about what surrounds the span are not applied.
    Returns the reason (a str) when the match is not a quantity.
    """
    pre, pct, s1, m1, q1, m1b, u1, s2, m2, q2, m2b, unit_raw, post = g
    if s1.isdigit() and s1.isascii() and len(s1) < 16:  # most figures: plain digits
        if s1[0] == "0" and len(s1) > 1:
            return _LEADING_ZERO
        num1 = int(s1)
        den1 = 1
        bare1 = cjk1 = False
    else:
        n1 = number(s1)
        if n1 is None:
            return f"{s1!r} is not a well-formed number"
        if leading_zero(s1):
            return _LEADING_ZERO
        num1, den1, bare1 = n1
        cjk1 = not s1[0].isdigit()
    if s2 is not None and leading_zero(s2):
        return _LEADING_ZERO
    unit = UNITS[unit_raw] if unit_raw else None
    if pct:
        if unit_raw:
            return "百分之/千分之 takes no unit after the number"
        unit = "%" if pct == "百分之" else "‰"
    mag1 = _mag(m1, m1b) if m1 or m1b else 1
    if bare1 and mag1 > 1:
        return "a magnitude cannot follow a bare magnitude"

    if s2 is not None:
        n2 = number(s2)
        if n2 is None:
            return f"{s2!r} is not a well-formed number"
        num2, den2, bare2 = n2
        if u1 and UNITS[u1] != unit:
            return "the two ends of the range have different units"
        if (_is_year(s1) or _is_year(s2)) and unit in (None, "年"):
            return "a range of years is a date, not a quantity"
        mag2 = _mag(m2, m2b)
        if mag1 == 1 and mag2 > 1 and num1 * den2 <= num2 * den1:
            mag1 = mag2  # 3-5万元: the second magnitude applies to the first
        low, high = num1 * mag1 / den1, num2 * mag2 / den2
        if not low < high:
            return "the ends of a range must increase"
        if not whole:
            if bare1 or bare2:
                return "a bare magnitude in a range"
            if unit is None and mag2 == 1:
                if not s2[0].isdigit() or _is_cjk(t[end : end + 1]):
                    return "a range without unit stuck to a word (1—9月)"
        return _new(Quantity, (low, high, unit, "range"))

    value = num1 * mag1 / den1
    qualifier = _qualifier_of(pre, q1, post) if pre or q1 or post else "exact"
    if unit == "年" and mag1 == 1 and _is_year(s1):
        return "a four-digit number before 年 is a year, not a quantity"
    if pre == "近" and (unit in TIME_UNITS or (unit == "个" and t.startswith("月", end))):
        qualifier = "exact"  # 近3年(来), 近两个月: the last N years/months
    if whole:
        return _new(Quantity, (value, None, unit, qualifier))

    # Context rules for running text.
    if unit is None and not pct:
        if bare1 and qualifier == "exact":
            return "a bare magnitude without a qualifier (百姓, 千家万户)"
        if cjk1:
            if qualifier == "exact" or value < 10:
                return "a Chinese numeral without a measure word"
        elif qualifier == "exact" and mag1 == 1:
            nxt = t[end : end + 1]
            if _is_cjk(nxt) and not _BARE_NOUN_RE.match(t, end):
                return "an Arabic number stuck to a word (5社联动, 80后, 617日)"
            if nxt == " " and t[end + 1 : end + 2] in ("月", "日"):
                return "a month or a day (10 月)"
            if _is_year(s1) and (t.startswith(("-", "—", "~", "～", "至", "到"), end)
                                 or _english_context(t, start, end)):
                return "a year"
    elif bare1 and qualifier == "exact" and not pct:
        return "a bare magnitude without a qualifier (百姓, 千家万户)"
    if unit_raw and s1 == "一" and t.startswith("一", end):
        return "a 一X一 pattern"
    return _new(Quantity, (value, None, unit, qualifier))


def _convert_english(m: re.Match[str]) -> Quantity | None:
    """An English figure: ``over 21,000``, ``Seven``, ``56 percent``, ``2.9 million``."""
    pre, n1, n2, n3, mag, unit = m.group("epre", "en1", "en2", "en3", "emag", "eunit")
    s = n1 or n2 or n3 or ""
    if s[0].isdigit():
        n = number(s)
        if n is None or leading_zero(s):
            return None
        value = n[0] / n[1]
    else:
        value = 1 if s.lower() == "one" else english_number(s)
        if value is None:  # pragma: no cover - the grammar lists only number words
            return None
    if mag:
        value *= ENGLISH_MAGNITUDE[mag.lower()]
    unit = EN_UNITS[unit.lower().removesuffix("s")] if unit else None
    return Quantity(float(value), None, unit, EN_PREFIX[pre.lower()] if pre else "exact")


def _noun_after(t: str, end: int, unit: str) -> int:
    """End of the counted noun ``t[end:…]`` after a classifier (``end`` if none)."""
    nm = _NOUN_RE.match(t, end)
    if nm is None:
        return end
    if unit == "个" and t.startswith("月", end):
        return end + 1
    stop = nm.end()
    cut = 0
    head = _NOUN_HEAD_RE.search(t, end, stop)
    while head is not None:  # the head nouns left to right, as finditer would give them
        cut = head.end()  # after the last one
        head = _NOUN_HEAD_RE.search(t, cut, stop)
    return cut or stop


def _label_before(t: str, start: int, floor: int) -> tuple[int, int]:
    """Span of the label written just before a figure (``个案服务320余宗`` -> 个案服务).

    At most twelve characters after ``floor`` (the end of the previous figure): the
    Chinese run that ends at the figure, or at the stop words right before it
    (``资金达1.25亿元``, ``社会资源计11万元``: see ``LINKS``), and starts after the last
    stop word.
    """
    lo = start - 12
    run = _LABEL_RUN_RE.fullmatch(t, lo if lo > floor else floor, start)
    if run is None:
        return start, start
    lo = run.start(1)
    if t[lo] in "年月日" and t[lo - 1 : lo].isdigit():
        lo += 1  # 2012年增长近5倍: the 年 belongs to the date before
    stop = _LABEL_STOP_RE.search(t, lo, start)
    if stop is None:
        return lo, start
    stops = []
    while stop is not None:  # the stop words left to right, as finditer would give them
        stops.append(stop.span())
        stop = _LABEL_STOP_RE.search(t, stops[-1][1], start)
    end = start
    while stops and stops[-1][1] == end and t[stops[-1][0] : end] in LINKS:
        end = stops.pop()[0]
    return (stops[-1][1] if stops else lo), end


def _translated(text: str) -> str:
    """``text`` with traditional characters as simplified (same length, same offsets)."""
    return text.translate(T2S) if _TRADITIONAL_RE.search(text) else text


def parse(s: str) -> Quantity:
    """Parse one short span that is exactly one quantity.

    Parameters
    ----------
    s : str
        A span such as ``"1200余人"``, ``"1200余"``, ``"１２００"``, ``"1,200"``,
        ``"约3万元"`` or ``"3至5名"``. Surrounding whitespace is ignored.

    Returns
    -------
    Quantity

    Raises
    ------
    ValueError
        If ``s`` is not exactly one well-formed quantity (a date, a malformed numeral,
        extra words): the message says why. Nothing is guessed.

    Examples
    --------
    >>> parse("1.7万余个")
    Quantity(value=17000.0, value_high=None, unit='个', qualifier='at_least')
    >>> parse("二十余万人次")
    Quantity(value=200000.0, value_high=None, unit='人次', qualifier='at_least')
    >>> parse("5万至10万元")
    Quantity(value=50000.0, value_high=100000.0, unit='元', qualifier='range')
    >>> parse("近3个百分点").unit
    '百分点'
    >>> parse("１,２００").value
    1200.0
    >>> parse("十四五")
    Traceback (most recent call last):
    ...
    ValueError: '十四五' is not a quantity: '十四五' is not a well-formed number
    """
    if not isinstance(s, str):
        raise TypeError(f"parse() takes a str, not {type(s).__name__}")
    t = _translated(s.strip())
    if not t:
        raise ValueError("an empty string is not a quantity")
    m = _QUANTITY_RE.fullmatch(t)
    if m is None:
        english = _ENGLISH_RE.fullmatch(t)
        q = _convert_english(english) if english else None
        if q is None:
            raise ValueError(f"{s!r} is not a quantity (expected qualifier, number and unit only)")
        return q
    q = _convert(m.group(*_GROUPS), t, 0, len(t), whole=True)
    if isinstance(q, str):
        raise ValueError(f"{s!r} is not a quantity: {q}")
    return q


def iter_quantities(text: str) -> Iterator[Match]:
    """Yield the quantities written in ``text``, left to right.

    Parameters
    ----------
    text : str
        Running report text; it is not normalised, so offsets index ``text`` itself.

    Yields
    ------
    Match
        ``text[match.start:match.end]`` covers qualifier, number and unit.

    Examples
    --------
    >>> for m in iter_quantities("开展培训15场,受益50人次;“十四五”期间近百名社工参与"):
    ...     print(m.start, m.end, m.text, m.quantity.value, m.quantity.unit, m.quantity.qualifier)
    4 7 15场 15.0 场 exact
    10 14 50人次 50.0 人次 exact
    22 25 近百名 100.0 名 at_most
    >>> [m.quantity for m in iter_quantities("每站配备3至5名社工")]
    [Quantity(value=3.0, value_high=5.0, unit='名', qualifier='range')]
    >>> list(iter_quantities("印发《实施方案(2021年—2025年)》,〔2021〕37号"))
    []
    """
    t = _translated(text)
    floor = 0
    for m in _MASTER_RE.finditer(t):
        branch = m.lastindex
        if branch == _SKIP_GROUP:
            continue
        start, end = m.span()
        if branch > _LAST_ENGLISH_GROUP:  # the Chinese grammar
            q = _convert(m.groups()[_CHINESE:], t, start, end, False)
            if q.__class__ is str:
                continue
            unit = q[2]
            if (
                t.startswith(("多", "余"), end)
                and q[3] == "exact"
                and (unit in TIME_UNITS or (unit == "个" and t.startswith("月", end + 1)))
            ):
                end += 1  # 1年多, 3个多月
                q = _new(Quantity, (q[0], None, unit, "at_least"))
            noun_start = end
            noun_end = _noun_after(t, end, unit) if unit in CLASSIFIERS else end
            if noun_end == end:
                noun_start, noun_end = _label_before(t, start, floor)
        else:
            q = _convert_english(m)
            if q is None:
                continue
            nm = _EN_NOUN_RE.match(t, end)
            noun_start, noun_end = nm.span(1) if nm else (end, end)
        floor = noun_end if noun_end > end else end
        noun = text[noun_start:noun_end] if noun_end > noun_start else None
        yield _new(Match, (start, end, text[start:end], q, noun))


def extract(text: str) -> pandas.DataFrame:
    """The quantities of ``text`` as a DataFrame, one row per quantity.

    Parameters
    ----------
    text : str
        Running report text.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`: ``start``, ``end`` (offsets into ``text``), ``text``,
        ``value``, ``value_high`` (NaN unless a range), ``unit``, ``qualifier`` and
        ``noun``.

    Examples
    --------
    >>> df = extract("服务总人数1200余人,投入资金1.25亿元")
    >>> df[["start", "end", "value"]].values.tolist()
    [[5.0, 11.0, 1200.0], [16.0, 22.0, 125000000.0]]
    >>> df["unit"].tolist(), df["qualifier"].tolist()
    (['人', '元'], ['at_least', 'exact'])
    >>> len(extract("五社联动"))
    0
    """
    import pandas as pd

    rows = [
        (
            m.start,
            m.end,
            m.text,
            m.quantity.value,
            m.quantity.value_high,
            m.quantity.unit,
            m.quantity.qualifier,
            m.noun,
        )
        for m in iter_quantities(text)
    ]
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    types = {"start": "int64", "end": "int64", "value": "float64", "value_high": "float64"}
    return df.astype({**types, **dict.fromkeys(("text", "unit", "qualifier", "noun"), "str")})

"""Property tests of sswanalysis.quantities (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sswanalysis.quantities import UNITS, extract, iter_quantities, parse

DIGITS = "零一二三四五六七八九"
FORMAL = "零壹贰叁肆伍陆柒捌玖"


def chinese(n: int, digits: str = DIGITS, small: str = "十百千", big: str = "万亿") -> str:
    """Write 0 <= n < 10**12 in Chinese numerals the standard way (an independent writer)."""
    if n == 0:
        return digits[0]

    def section(k: int) -> str:  # 0 < k < 10000
        out, zero = [], False
        for power, unit in ((1000, small[2]), (100, small[1]), (10, small[0]), (1, "")):
            d = k // power % 10
            if d == 0:
                zero = bool(out)
                continue
            if zero:
                out.append(digits[0])
                zero = False
            out.append(digits[d] + unit)
        return "".join(out)

    groups = [(n // 10**8) % 10**4, (n // 10**4) % 10**4, n % 10**4]
    units = [big[1], big[0], ""]
    out, need_zero = [], False
    for g, unit in zip(groups, units, strict=True):
        if g == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or g < 1000):
            out.append(digits[0])
        out.append(section(g) + unit)
        need_zero = False
    return "".join(out)


def test_chinese_writer_itself():
    assert chinese(108) == "一百零八"
    assert chinese(30387) == "三万零三百八十七"
    assert chinese(10500) == "一万零五百"
    assert chinese(200_000_000) == "二亿"
    assert chinese(100_010_000) == "一亿零一万"


# Speed is measured by benchmarks/quantities.py, not here: no per-example deadline.
counts = st.integers(min_value=0, max_value=10**11)
WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


@settings(deadline=None)
@given(st.text())
def test_extract_never_raises_on_arbitrary_text(text):
    for m in iter_quantities(text):
        assert text[m.start : m.end] == m.text
        assert m.start < m.end
    extract(text)


report_alphabet = st.sampled_from(
    list("0123456789０１２３４５６７８９.,，、-~—至到约近超过余多以上下左右万亿千百十零〇一二两三"
         "五九壹伍拾佰人次个名户元%‰年月日第“”《》〔〕+N号分点:的服务社工站")
)


@settings(max_examples=300, deadline=None)
@given(st.text(report_alphabet, max_size=40))
def test_extract_never_raises_on_number_heavy_text(text):
    for m in iter_quantities(text):
        assert text[m.start : m.end] == m.text
        q = m.quantity
        assert (q.value_high is not None) == (q.qualifier == "range")
        if q.value_high is not None:
            assert q.value < q.value_high


@settings(deadline=None)
@given(counts)
def test_arabic_styles_parse_back(n):
    assert parse(str(n)).value == n
    assert parse(str(n).translate(WIDE)).value == n
    assert parse(f"{n:,}").value == n
    assert parse(f"{n}人").value == n


@settings(deadline=None)
@given(counts)
def test_chinese_styles_parse_back(n):
    assert parse(chinese(n)).value == n
    assert parse(chinese(n, big="萬億")).value == n
    if n >= 10:  # a lone formal digit is not a run of formal numerals: not a number
        assert parse(chinese(n, FORMAL, "拾佰仟")).value == n
    if 10 <= n < 20:
        assert parse(chinese(n)[1:]).value == n  # 十五 as well as 一十五


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=99_999), st.integers(min_value=0, max_value=99))
def test_magnitude_and_decimal_styles_parse_back(whole, cents):
    assert parse(f"{whole}.{cents:02d}").value == float(f"{whole}.{cents:02d}")
    assert parse(f"{whole}.{cents:02d}万元").value == float(f"{whole}{cents:02d}00")
    assert parse(f"{whole}万").value == whole * 10_000
    assert parse(f"{whole}亿元").value == whole * 10**8
    assert parse(f"约{whole}万余人").qualifier == "at_least"


@settings(deadline=None)
@given(counts, st.sampled_from(sorted(UNITS)))
def test_number_in_a_sentence_is_found_with_its_unit(n, unit):
    if unit in {"年", "分", "起"}:  # 年 after four digits is a date; others are tested below
        n = n * 10 + 1 if 1000 <= n < 10000 else n
    sentence = f"截至目前,共服务{n}{unit}。"
    found = list(iter_quantities(sentence))
    assert [(m.quantity.value, m.quantity.unit) for m in found] == [(n, UNITS[unit])]
    assert found[0].text == f"{n}{unit}"


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=10**8 - 1))
def test_chinese_number_in_a_sentence(n):
    found = list(iter_quantities(f"全年开展活动{chinese(n)}场,效果良好"))
    assert [(m.quantity.value, m.quantity.unit) for m in found] == [(n, "场")]

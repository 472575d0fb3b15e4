"""Tests of sswanalysis.quantities: the labelled set, the parse contract, offsets, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from sswanalysis import cli
from sswanalysis.lexicon import PREFIX_QUALIFIER
from sswanalysis.quantities import (
    COLUMNS,
    QUALIFIERS,
    Quantity,
    extract,
    iter_quantities,
    parse,
)
from tests.quantities_cases import CASES, NEGATIVES, POSITIVES


def _key(value, unit, qualifier, high):
    return (round(value, 6), unit, qualifier, None if high is None else round(high, 6))


def _found(sentence: str) -> Counter:
    return Counter(
        _key(m.quantity.value, m.quantity.unit, m.quantity.qualifier, m.quantity.value_high)
        for m in iter_quantities(sentence)
    )


# --- the labelled set --------------------------------------------------------------------


def test_labelled_set_is_large_enough():
    assert len(CASES) >= 150
    assert len(NEGATIVES) >= 40
    assert len({s for s, _ in CASES}) == len(CASES), "duplicate sentences"
    for _, expected in POSITIVES:
        assert expected
        for _, _, qualifier, high in expected:
            assert qualifier in QUALIFIERS
            assert (high is not None) == (qualifier == "range")


def test_labelled_set_precision_and_recall(capsys):
    tp = fp = fn = 0
    wrong = []
    for sentence, expected in CASES:
        got = _found(sentence)
        want = Counter(_key(*e) for e in expected)
        hit = sum((got & want).values())
        tp += hit
        fp += sum(got.values()) - hit
        fn += sum(want.values()) - hit
        if got != want:
            wrong.append((sentence, dict(got - want), dict(want - got)))
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    with capsys.disabled():
        print(
            f"\nquantities labelled set: {len(CASES)} sentences ({len(NEGATIVES)} negatives), "
            f"{tp + fn} labelled quantities: precision={precision:.4f} recall={recall:.4f} "
            f"(tp={tp} fp={fp} fn={fn})"
        )
        for sentence, extra, missing in wrong:
            print(f"  {sentence}\n    extra={extra} missing={missing}")
    assert precision >= 0.98
    assert recall >= 0.97


# --- parse --------------------------------------------------------------------------------

PARSE = [
    ("1200余人", 1200, None, "人", "at_least"),
    ("1200余", 1200, None, None, "at_least"),
    ("１２００", 1200, None, None, "exact"),
    ("1,200", 1200, None, None, "exact"),
    ("约3万元", 30000, None, "元", "approx"),
    ("约3万", 30000, None, None, "approx"),
    ("3至5名", 3, 5, "名", "range"),
    ("3-5", 3, 5, None, "range"),
    ("12.5万元", 125000, None, "元", "exact"),
    ("11万元", 110000, None, "元", "exact"),
    ("1.7万余个", 17000, None, "个", "at_least"),
    ("1.7萬余個", 17000, None, "个", "at_least"),
    ("二十余万人次", 200000, None, "人次", "at_least"),
    ("5100多万元", 51_000_000, None, "元", "at_least"),
    ("20多名", 20, None, "名", "at_least"),
    ("超3000场", 3000, None, "场", "at_least"),
    ("超过44万个", 440000, None, "个", "at_least"),
    ("逾40家", 40, None, "家", "at_least"),
    ("3000人以上", 3000, None, "人", "at_least"),
    ("不少于2节", 2, None, "节", "at_least"),
    ("近3000名", 3000, None, "名", "at_most"),
    ("将近2000人", 2000, None, "人", "at_most"),
    ("不足300人", 300, None, "人", "at_most"),
    ("不到5000元", 5000, None, "元", "at_most"),
    ("70岁以下", 70, None, "岁", "at_most"),
    ("近百名", 100, None, "名", "at_most"),
    ("约有7万名", 70000, None, "名", "approx"),
    ("500户左右", 500, None, "户", "approx"),
    ("8人上下", 8, None, "人", "approx"),
    ("3-5人", 3, 5, "人", "range"),
    ("三到五名", 3, 5, "名", "range"),
    ("5万至10万元", 50000, 100000, "元", "range"),
    ("3-5万元", 30000, 50000, "元", "range"),
    ("35~40張", 35, 40, "张", "range"),
    ("1—2家", 1, 2, "家", "range"),
    ("三个", 3, None, "个", "exact"),
    ("二十五", 25, None, None, "exact"),
    ("一百零八", 108, None, None, "exact"),
    ("两千余", 2000, None, None, "at_least"),
    ("百余", 100, None, None, "at_least"),
    ("千余", 1000, None, None, "at_least"),
    ("两个", 2, None, "个", "exact"),
    ("〇", 0, None, None, "exact"),
    ("一万零五百", 10500, None, None, "exact"),
    ("三萬零三百八十七次", 30387, None, "次", "exact"),
    ("壹佰伍拾万元", 1_500_000, None, "元", "exact"),
    ("1‰", 1, None, "‰", "exact"),
    ("95.29%", 95.29, None, "%", "exact"),
    ("95.29％", 95.29, None, "%", "exact"),
    ("百分之三十", 30, None, "%", "exact"),
    ("百分之百", 100, None, "%", "exact"),
    ("近3个百分点", 3, None, "百分点", "at_most"),
    ("3个百分点", 3, None, "百分点", "exact"),
    ("一点五亿元", 150_000_000, None, "元", "exact"),
    ("約24.9億元", 2_490_000_000, None, "元", "approx"),
    ("4959.86万元", 49_598_600, None, "元", "exact"),
    ("154.07万人次", 1_540_700, None, "人次", "exact"),
    ("404,423.1", 404_423.1, None, None, "exact"),
    ("  1200余人 ", 1200, None, "人", "at_least"),
    # traditional script, spaced thousands, English (issue 9)
    ("超過44萬個", 440_000, None, "个", "at_least"),
    ("將近2000人", 2000, None, "人", "at_most"),
    ("5300餘人", 5300, None, "人", "at_least"),
    ("不少於三千人次", 3000, None, "人次", "at_least"),
    ("2.11萬家", 21_100, None, "家", "exact"),
    ("85.62萬人次", 856_200, None, "人次", "exact"),
    ("300餘場次", 300, None, "场次", "at_least"),
    ("533 594人", 533_594, None, "人", "exact"),
    ("13 064", 13_064, None, None, "exact"),
    ("over 21,000", 21_000, None, None, "at_least"),
    ("More than 53,000", 53_000, None, None, "at_least"),
    ("56 percent", 56, None, "%", "exact"),
    ("1 percentage point", 1, None, "百分点", "exact"),
    ("nearly 2.9 million", 2_900_000, None, None, "at_most"),
]


@pytest.mark.parametrize(("span", "value", "high", "unit", "qualifier"), PARSE)
def test_parse(span, value, high, unit, qualifier):
    q = parse(span)
    assert q == Quantity(float(value), None if high is None else float(high), unit, qualifier)


@pytest.mark.parametrize(
    ("span", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("十四五", "not a well-formed number"),
        ("二〇二二", "not a well-formed number"),
        ("2022年", "year"),
        ("2021-2025", "date"),
        ("5-3人", "increase"),
        ("服务总人数1200余人", "not a quantity"),
        ("1200余人服务", "not a quantity"),
        ("abc", "not a quantity"),
        ("约", "not a quantity"),
        ("1,2", "not a quantity"),
        ("1200，300", "not a quantity"),
        ("三四十人", "not a well-formed number"),
        ("023年", "leading zero"),
        ("1 2345", "not a quantity"),
    ],
)
def test_parse_refuses(span, message):
    with pytest.raises(ValueError, match=message):
        parse(span)


def test_parse_rejects_non_strings():
    with pytest.raises(TypeError):
        parse(1200)  # type: ignore[arg-type]


# --- running text -------------------------------------------------------------------------

EVIDENCE = [
    ("服务总人数1200余人", [(1200, "人", "at_least", "服务总人数")]),
    ("下拨了自治区福彩公益金100万元", [(1_000_000, "元", "exact", "自治区福彩公益金")]),
    ("为全镇295名重点服务对象", [(295, "名", "exact", "重点服务对象")]),
    ("共开展个案活动60人次", [(60, "人次", "exact", "个案活动")]),
    ("共开展个案服务320余宗", [(320, "宗", "at_least", "个案服务")]),
    ("投入资金达1.25亿元", [(125_000_000, "元", "exact", "资金")]),
    ("覆盖率达100%", [(100, "%", "exact", "覆盖率")]),
    ("，入戶走訪2萬余戶", [(20_000, "户", "at_least", "入戶走訪")]),
    ("社区(团体)活动4场次", [(4, "场次", "exact", "活动")]),
    ("孵化社区社会组织链3个", [(3, "个", "exact", "孵化社区社会组织链")]),
    ("链接社会资源计11万元图书", [(110_000, "元", "exact", "链接社会资源")]),
    ("，3万余名社会工作者驻站", [(30_000, "名", "at_least", "社会工作者驻站")]),
    ("employing more than 53,000 social workers, according", [(53_000, None, "at_least", "social workers")]),
    ("Seven provinces have achieved", [(7, None, "exact", "provinces")]),
    ("一支红色社工队伍", [(1, "支", "exact", "红色社工队伍")]),
    ("二个社区社会组织孵化基地", [(2, "个", "exact", "社区社会组织孵化基地")]),
    ("三个服务品牌", [(3, "个", "exact", "服务品牌")]),
    ("孵化一批社区社会组织", []),
    ("孵化两批社区社会组织", [(2, "批", "exact", "社区社会组织")]),
    ("八项基本服务", [(8, "项", "exact", "基本服务")]),
    ("12个县(市、区)均已启动试点", [(12, "个", "exact", "县")]),
    ("全市共建设10个社会工作服务站", [(10, "个", "exact", "社会工作服务站")]),
    ("《…实施方案(2021年—2025年)》", []),
]


@pytest.mark.parametrize(("span", "expected"), EVIDENCE)
def test_evidence_spans(span, expected):
    got = [(m.quantity.value, m.quantity.unit, m.quantity.qualifier, m.noun)
           for m in iter_quantities(span)]
    assert got == [(float(v), u, q, n) for v, u, q, n in expected]


@pytest.mark.parametrize(
    "text",
    [
        "2022年4月20日", "2021年—2025年", "2023年底", "“十四五”期间", "十四五规划",
        "“1+8”综合", "“1231”服务模式", "一核两社N整合", "五社联动", "一县一中心",
        "第一方阵", "第三批", "〔2021〕37号", "队伍建设", "一线社工", "一次性补助",
        "2021~2025年", "5G", "80后", "一人一档", "五位一体", "两个维护", "千家万户",
        "上午9:30", "3·15", "签约", "617日", "周一至周五", "数十万人", "十几个",
        "孵化一批社区社会组织", "一些志愿者",
    ],
)
def test_not_quantities(text):
    assert list(iter_quantities(text)) == []


def test_offsets_are_exact_and_cover_qualifier_number_unit():
    text = "截至目前,全市服务总人数１２００余人,其中超过44万人次;投入约1.25亿元。"
    got = [(m.start, m.end, m.text) for m in iter_quantities(text)]
    assert got == [(12, 18, "１２００余人"), (21, 28, "超过44万人次"), (31, 38, "约1.25亿元")]
    for start, end, span in got:
        assert text[start:end] == span


def test_counted_noun_and_team_numeral():
    (m,) = iter_quantities("社工站共培育志愿服务队伍十五支")
    assert (m.text, m.quantity.value, m.quantity.unit) == ("十五支", 15.0, "支")
    (m,) = iter_quantities("各设立一个社工站")
    assert m.noun == "社工站"
    (m,) = iter_quantities("共开展3个月")
    assert (m.quantity.unit, m.noun) == ("个", "月")


def test_label_before_a_figure_stops_at_a_line_break():
    # A line break is not Chinese: the label of the first figure on a line is not the
    # end of the line before (it used to be, line break included).
    (m,) = iter_quantities("服务中心\n120人")
    assert m.noun is None
    (m,) = iter_quantities("服务中心120人")
    assert m.noun == "服务中心"


@pytest.mark.parametrize("prefix", sorted(PREFIX_QUALIFIER))
def test_every_prefix_qualifier_is_read_before_a_figure(prefix):
    # The grammar's prefixes are looked for behind a look-ahead built from this table:
    # a prefix the look-ahead left out would silently lose its qualifier.
    number = "百" if prefix == "上" else "30"
    (m,) = iter_quantities(f"服务{prefix}{number}人")
    assert m.text == f"{prefix}{number}人"
    assert m.quantity.qualifier == PREFIX_QUALIFIER[prefix]


def test_percent_permille_and_points_are_kept_apart():
    units = [m.quantity.unit for m in iter_quantities("增长5%,提高3个百分点,降至2‰")]
    assert units == ["%", "百分点", "‰"]


def test_chinese_comma_is_never_a_thousands_separator():
    got = [m.quantity.value for m in iter_quantities("服务1,200人，300户")]
    assert got == [1200.0, 300.0]


def test_extract_dataframe():
    df = extract("全市10个社工站服务总人数1200余人,每站配备3至5名社工")
    assert tuple(df.columns) == COLUMNS
    assert df["value"].tolist() == [10.0, 1200.0, 3.0]
    assert df["value_high"].isna().tolist() == [True, True, False]
    assert df.loc[2, "value_high"] == 5.0
    assert df["qualifier"].tolist() == ["exact", "at_least", "range"]
    assert df["start"].dtype == "int64"
    empty = extract("没有数字的句子")
    assert tuple(empty.columns) == COLUMNS and len(empty) == 0


def test_import_is_cheap():
    code = (
        "import sys, sswanalysis.quantities as q\n"
        "q.parse('1200余人'); list(q.iter_quantities('共3个'))\n"
        "assert 'pandas' not in sys.modules, 'pandas imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- command line ---------------------------------------------------------------------------


def test_cli_csv(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text("全市10个社工站服务总人数1200余人。", encoding="utf-8")
    assert cli.main(["extract", str(f)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "file," + ",".join(COLUMNS)
    assert lines[1:] == [
        f"{f},2,5,10个,10.0,,个,exact,社工站",
        f"{f},13,19,1200余人,1200.0,,人,at_least,服务总人数",
    ]


def test_cli_json_and_progress_bar(tmp_path, capsys):
    files = []
    for i in range(7):
        f = tmp_path / f"r{i}.txt"
        f.write_text(f"开展活动{i + 1}场", encoding="utf-8")
        files.append(str(f))
    assert cli.main(["extract", "--format", "json", *files]) == 0
    out, err = capsys.readouterr()
    rows = json.loads(out)
    assert [r["value"] for r in rows] == [float(i + 1) for i in range(7)]
    assert rows[0]["file"] == files[0] and rows[0]["unit"] == "场"
    assert "extract" in err and "7/7" in err  # tqdm on stderr


def test_cli_missing_file(tmp_path, capsys):
    missing = tmp_path / "nope.txt"
    assert cli.main(["extract", str(missing)]) == 2
    assert str(missing) in capsys.readouterr().err

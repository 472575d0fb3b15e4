"""The planners' workbook: bilingual headers, inert formulas, numbers as numbers, qualifiers kept."""

import openpyxl
import pandas as pd
import pytest

from sswanalysis.publish.workbook import Sheet, safe_cell, write_workbook


@pytest.fixture
def book(tmp_path):
    f = pd.DataFrame({
        "text": ["≥1,200 人", "=1+2", "+SUM(A1)", "-3", "@cmd", "\tx", "ok"],
        "value": [1200.0, 3.0, 1.0, -3.0, 0.0, 1.0, float("nan")],
        "qualifier": ["at_least", "exact", "exact", "exact", "exact", "exact", "exact"],
    })
    h = {"text": ("数值", "figure"), "value": ("数值下限", "value"), "qualifier": ("限定", "qualifier")}
    src = pd.DataFrame({"source_id": ["s1"], "title_zh": ["乡镇(街道)社工站建设的经验"]})
    p = write_workbook(tmp_path / "w.xlsx", [Sheet("output", f, h)], src,
                       {"source_id": ("来源编号", "source id"), "title_zh": ("标题", "title")})
    return openpyxl.load_workbook(p)


def test_headers_two_rows(book):
    ws = book["output"]
    assert [c.value for c in ws[1]] == ["数值", "数值下限", "限定"]
    assert [c.value for c in ws[2]] == ["figure", "value", "qualifier"]


def test_formula_injection_is_inert(book):
    ws = book["output"]
    texts = [ws.cell(row=r, column=1) for r in range(3, 10)]
    assert texts[0].value == "≥1,200 人"
    assert [c.value for c in texts[1:6]] == ["'=1+2", "'+SUM(A1)", "'-3", "'@cmd", "'\tx"]
    assert all(c.data_type == "s" for c in texts)
    assert texts[6].value == "ok"


def test_numbers_stay_numbers_and_qualifier_kept(book):
    ws = book["output"]
    assert ws.cell(row=3, column=2).value == 1200
    assert ws.cell(row=3, column=2).data_type == "n"
    assert ws.cell(row=6, column=2).value == -3  # a negative number is not neutralised
    assert ws.cell(row=9, column=2).value is None  # NaN -> empty cell
    assert ws.cell(row=3, column=3).value == "at_least"


def test_sources_sheet(book):
    ws = book["sources"]
    assert [c.value for c in ws[1]] == ["来源编号", "标题"]
    assert ws.cell(row=3, column=2).value == "乡镇(街道)社工站建设的经验"


def test_safe_cell_numpy_scalars():
    import numpy as np

    assert safe_cell(np.float64(2.5)) == 2.5 and type(safe_cell(np.float64(2.5))) is float
    assert safe_cell(pd.NA) is None


def test_comparison_sheets_keep_qualifiers(tmp_path):
    from sswanalysis.publish.workbook import comparison_sheets

    sheets = {s.name: s for s in comparison_sheets()}
    assert {"coverage", "funding", "service_output", "poisson_ci", "budget_scenario"} <= set(sheets)
    out = sheets["service_output"].frame
    row = out[out["observation_id"] == "ulanqab-08"].iloc[0]
    assert (row["text"], row["qualifier"], row["low"], row["high"]) == ("≥1,200 人", "at_least", 1200, 1300)
    p = write_workbook(tmp_path / "c.xlsx", list(sheets.values()))
    ws = openpyxl.load_workbook(p)["funding"]
    assert ws.cell(row=1, column=1).value == "观测编号" and ws.cell(row=2, column=1).value == "observation id"

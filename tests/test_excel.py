"""The planners' workbook: inert data text, formats, print setup, live scenario formulas."""

import re
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

from sswanalysis.publish.sheets import ASSUMPTIONS, build_workbook, workbook_sheets
from sswanalysis.publish.workbook import CONTENTS, Formula, Sheet, safe_cell, write_workbook


@pytest.fixture
def book(tmp_path):
    f = pd.DataFrame({
        "text": ["≥1,200 人", "=1+2", "+SUM(A1)", "-3", "@cmd", "\tx", "ok"],
        "value": [1200.0, 3.0, 1.0, -3.0, 0.0, 1.0, float("nan")],
        "qualifier": ["at_least", "exact", "exact", "exact", "exact", "exact", "exact"],
        "twice": [Formula("={value}*2")] * 7,
    })
    p = write_workbook(tmp_path / "w.xlsx", [Sheet("产出", f, name_en="output")])
    return openpyxl.load_workbook(p)


def test_contents_sheet_first_and_headers_two_rows(book):
    assert book.sheetnames == [CONTENTS[0], "产出"]
    assert book[CONTENTS[0]]["A3"].hyperlink.location == "'产出'!A1"
    ws = book["产出"]
    assert [c.value for c in ws[1]][:3] == ["数值(原文口径)", "数值", "限定词"]
    assert [c.value for c in ws[2]][:3] == ["figure as reported", "value", "qualifier"]


def test_formula_injection_is_inert_but_code_formulas_are_live(book):
    ws = book["产出"]
    texts = [ws.cell(row=r, column=1) for r in range(3, 10)]
    assert texts[0].value == "≥1,200 人"
    assert [c.value for c in texts[1:6]] == ["'=1+2", "'+SUM(A1)", "'-3", "'@cmd", "'\tx"]
    assert all(c.data_type == "s" for c in texts)
    assert ws["D3"].value == "=B3*2" and ws["D3"].data_type == "f"


def test_numbers_formats_panes_and_print_setup(book):
    ws = book["产出"]
    assert ws.cell(row=3, column=2).value == 1200 and ws.cell(row=3, column=2).data_type == "n"
    assert ws.cell(row=6, column=2).value == -3  # a negative number is not neutralised
    assert ws.cell(row=9, column=2).value is None  # NaN -> empty cell
    assert ws.cell(row=3, column=2).number_format == "#,##0"
    assert ws.freeze_panes == "B3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$2"


def test_safe_cell_numpy_scalars():
    import numpy as np

    assert safe_cell(np.float64(2.5)) == 2.5 and type(safe_cell(np.float64(2.5))) is float
    assert safe_cell(pd.NA) is None


def test_sheet_names_checked(tmp_path):
    f = pd.DataFrame({"a": [1]})
    with pytest.raises(ValueError, match="unique"):
        write_workbook(tmp_path / "x.xlsx", [Sheet("表", f), Sheet("表", f)])
    with pytest.raises(ValueError, match="may not hold"):
        write_workbook(tmp_path / "x.xlsx", [Sheet("a/b", f)])


@pytest.fixture(scope="module")
def planners_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "w.xlsx"
    build_workbook(path)
    return path


def test_planners_workbook_sheets_names_and_formats(planners_book):
    wb = openpyxl.load_workbook(planners_book)
    names = wb.sheetnames
    assert names[0] == CONTENTS[0] and ASSUMPTIONS in names
    assert all(re.search(r"[\u4e00-\u9fff]", n) for n in names), names
    english = [wb[CONTENTS[0]].cell(row=r, column=2).value for r in range(3, len(names) + 2)]
    assert all(english) and "Assumptions" in english
    for ws in wb.worksheets:
        assert ws.freeze_panes and ws.print_title_rows == "$1:$2"
        assert ws.page_setup.orientation == "landscape"
        for col in ws.iter_cols(min_row=3):
            nums = [c for c in col if c.data_type == "n" and c.value is not None]
            assert all(c.number_format != "General" for c in nums), (ws.title, col[0].coordinate)
    # names, not ids, and the identifier column first
    funding = wb["资金"]
    assert funding["A2"].value == "place" and "Ulanqab" in funding["A3"].value


def test_scenario_cells_are_formulas_on_the_assumptions_sheet(planners_book):
    wb = openpyxl.load_workbook(planners_book)
    for name in ("预算情景", "预期产出"):
        ws = wb[name]
        formulas = [c.value for row in ws.iter_rows(min_row=3) for c in row if c.data_type == "f"]
        assert formulas, name
        assert any(f"'{ASSUMPTIONS}'!" in f for f in formulas), formulas[:3]
    budget = wb["预算情景"]
    heads = [c.value for c in budget[2]]
    col = heads.index("one-off set-up budget (10,000 CNY)") + 1
    assert budget.cell(row=3, column=col).value.startswith("=IF(ISNUMBER(")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_changing_n_in_excel_updates_the_budget(planners_book, tmp_path):
    """Recalculate with LibreOffice: doubling N doubles every budget."""
    wb = openpyxl.load_workbook(planners_book)
    ws = wb[ASSUMPTIONS]
    n_row = next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=6).value == "n")
    n = ws.cell(row=n_row, column=3).value
    ws.cell(row=n_row, column=3).value = 2 * n
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)
    out = tmp_path / "calc"
    subprocess.run(["soffice", "--headless", "--calc", "--convert-to", "xlsx", "--outdir", str(out),
                    str(changed)], check=True, capture_output=True, timeout=180)
    calc = openpyxl.load_workbook(out / "changed.xlsx", data_only=True)["预算情景"]
    heads = [c.value for c in calc[2]]
    per = heads.index("per station (10,000 CNY)")
    total = heads.index("one-off set-up budget (10,000 CNY)")
    rows = [r for r in calc.iter_rows(min_row=3, values_only=True) if isinstance(r[per], float | int)]
    assert rows
    assert all(r[total] == pytest.approx(r[per] * 2 * n) for r in rows)


def test_expected_output_matches_the_analysis():
    """The sheet's inputs are the analysis' exact Poisson limits of each count."""
    from sswanalysis import analysis
    from sswanalysis import datapackage as ssw
    from sswanalysis.analysis import stats

    sheet = next(s for s in workbook_sheets() if s.name == "预期产出")
    ind = ssw.load("indicators")
    ci = stats.poisson_ci(ind, {"pingchuan": 6.0, "ulanqab": 12.0}, analysis.station_counts(ind))
    ci = ci[ci["rate_lo"].notna()]
    assert sorted(sheet.frame["count_hi"].round(6)) == sorted(ci["count_hi"].round(6))

"""The template workbook as station staff see it: Chinese drop-downs over codes, a frozen
header, widths that show each header, numbers as numbers, examples kept off the data sheet."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from sswanalysis.monthly.form import FORM_ROWS, SHEETS, display_width, write_template
from sswanalysis.monthly.template import code_labels, columns, label_to_code

CODED = {"region_id", "province", "service_model", "synthetic"}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    csv, xlsx, readme = write_template(tmp_path_factory.mktemp("tpl"))
    return csv, openpyxl.load_workbook(xlsx), readme


def _letters() -> dict[str, str]:
    from openpyxl.utils import get_column_letter

    return {c.name: get_column_letter(j) for j, c in enumerate(columns(), start=1)}


def test_sheets_in_order_data_first_and_the_data_sheet_holds_only_the_header(template):
    _, book, _ = template
    assert book.sheetnames == list(SHEETS.values())
    ws = book[SHEETS["report"]]
    assert ws.max_row == 1
    assert [c.value for c in ws[1]] == [c.header_zh for c in columns()]
    assert ws.freeze_panes == "D2"


def test_every_coded_column_has_a_chinese_drop_down_that_reads_back_as_codes(template):
    _, book, _ = template
    ws, lists = book[SHEETS["report"]], book[SHEETS["lists"]]
    letters = _letters()
    by_column = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv
                 for dv in ws.data_validations.dataValidation}
    assert set(by_column) == {letters[n] for n in CODED}
    for name in CODED:
        dv = by_column[letters[name]]
        assert dv.type == "list" and str(dv.sqref) == f"{letters[name]}2:{letters[name]}{FORM_ROWS + 1}"
        sheet, cells = dv.formula1.split("!")
        assert sheet.strip("'") == SHEETS["lists"]
        first, last = cells.replace("$", "").split(":")
        offered = [row[0].value for row in lists[first:last]]
        assert offered == [label for label, _ in code_labels()[name]]
        assert all(label_to_code(name, label) is not None for label in offered)
    assert label_to_code("region_id", "临泽县") == "linze"
    assert label_to_code("service_model", "政府购买服务") == "government_purchase"
    assert label_to_code("synthetic", "否") == "false"
    # Chinese labels are what the form shows: no English code in any drop-down
    assert not any(label.isascii() for pairs in code_labels().values() for label, _ in pairs)


def test_widths_show_each_header_whole_and_identifiers_stay_text(template):
    _, book, _ = template
    ws = book[SHEETS["report"]]
    letters = _letters()
    for c in columns():
        assert ws.column_dimensions[letters[c.name]].width >= display_width(c.header_zh) + 2, c.name
    assert ws.column_dimensions[letters["month"]].number_format == "@"
    assert ws.column_dimensions[letters["people_served_persons"]].number_format == "General"
    # the two people-served columns differ in their visible header, not only past the edge
    assert ws[f"{letters['people_served_persons']}1"].value == "服务人数(人)"
    assert ws[f"{letters['people_served_person_times']}1"].value == "服务人数(人次)"


def test_examples_are_on_their_own_sheet_with_numbers_as_numbers(template):
    _, book, _ = template
    ws = book[SHEETS["examples"]]
    letters = _letters()
    served = [ws[f"{letters['people_served_persons']}{r}"].value for r in (2, 3, 4)]
    assert served == [120, 98, "130余"]  # a qualified figure stays as written
    assert ws[f"{letters['linked_resources_cny_wan']}4"].value == 0.8
    assert ws[f"{letters['region_id']}2"].value == "临泽县"
    assert ws[f"{letters['synthetic']}2"].value == "是"


def test_codebook_is_chinese_first(template):
    _, book, _ = template
    ws = book[SHEETS["codebook"]]
    assert [c.value for c in ws[1]][:2] == ["表头 header", "列名 column"]
    assert ws["A2"].value == "站点编号" and ws["B2"].value == "station_id"
    assert all(ws.cell(row=r, column=6).value for r in range(2, ws.max_row + 1))  # 说明 filled


def test_csv_template_is_the_header_row_only(template):
    csv, _, readme = template
    text = csv.read_bytes().decode("utf-8-sig")
    assert text == ",".join(c.header_zh for c in columns()) + "\n"
    assert "SYN-EXAMPLE-001" in readme.read_text(encoding="utf-8")  # examples documented there


# -- writing into a folder that already holds a template (issue 14) --------------------------


def _run(*args: str) -> tuple[int, str, str]:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "sswanalysis", "template", *args], capture_output=True,
                          text=True, encoding="utf-8", check=False)
    return proc.returncode, proc.stdout, proc.stderr


def test_the_template_is_the_same_bytes_whenever_it_is_written(tmp_path):
    import time

    first = [p.read_bytes() for p in write_template(tmp_path / "a")]
    time.sleep(1.1)  # the zip entries and workbook properties would carry the time
    assert [p.read_bytes() for p in write_template(tmp_path / "b")] == first


def test_writing_the_blank_template_again_is_allowed(tmp_path):
    write_template(tmp_path)
    assert _run("--out", str(tmp_path))[0] == 0


def test_a_filled_in_csv_is_kept_unless_forced(tmp_path):
    csv, _, _ = write_template(tmp_path)
    filled = csv.read_bytes() + "沙河站,linze,2023-01\n".encode()
    csv.write_bytes(filled)
    code, out, err = _run("--out", str(tmp_path))
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith("sswanalysis template: ") and "station_month_report.csv" in err
    assert err.index("与空白模板不同") < err.index("not the blank template")  # Chinese first
    assert "请换一个文件夹" in err and "--force" in err
    assert csv.read_bytes() == filled  # nothing written, not even the other files' replacements
    code, out, err = _run("--out", str(tmp_path), "--force")
    assert code == 0 and "station_month_report.csv" in out
    assert csv.read_bytes() == write_template(tmp_path / "fresh")[0].read_bytes() != filled


def test_a_filled_in_workbook_is_kept(tmp_path):
    _, xlsx, _ = write_template(tmp_path)
    book = openpyxl.load_workbook(xlsx)
    book[SHEETS["report"]].append(["沙河站", "linze", "2023-01"])
    book.save(xlsx)
    before = xlsx.read_bytes()
    code, _, err = _run("--out", str(tmp_path), "--headers", "zh")
    assert code == 2 and "station_month_report.xlsx" in err and "station_month_report.csv" not in err
    assert xlsx.read_bytes() == before


def test_a_template_with_other_headers_is_not_replaced_silently(tmp_path):
    write_template(tmp_path, headers="en")
    code, _, err = _run("--out", str(tmp_path))
    assert code == 2 and "station_month_report.csv, station_month_report.xlsx" in err


@pytest.mark.parametrize("where", ["file", "unwritable"])
def test_an_out_folder_that_cannot_be_written_is_a_message(tmp_path, where):
    import sys

    if where == "file":
        out = tmp_path / "afile"
        out.write_text("x", encoding="utf-8")
    else:  # /sys refuses new folders even to root (tests may run as root, which chmod does not stop)
        if sys.platform != "linux":
            pytest.skip("needs /sys")
        out = Path("/sys/ssw-template")
    code, out_text, err = _run("--out", str(out))
    assert code == 2 and out_text == "" and "Traceback" not in err
    assert err.startswith("sswanalysis template: ") and str(out) in err

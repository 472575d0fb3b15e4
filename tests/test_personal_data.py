"""Personal data never enters the pipeline: the detector, its properties, and the doors it guards.

The check digits used to *generate* numbers here are computed by this file's own writers
(the GB 11643 weights, Luhn by doubling), not by the library the detector uses.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sswanalysis.datapackage.descriptor import shipped_data_dir
from sswanalysis.datapackage.validation import validate
from sswanalysis.monthly.ingest import read
from sswanalysis.personal_data import find, find_in_column, mask, mask_texts

ROOT = Path(__file__).resolve().parents[1]
MAX = "2024-12"
ID = "110101198001011232"  # the example of the issue
PHONE = "13812345678"
CARD = "6222021234567894"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

# -- independent writers of valid numbers ---------------------------------------------------

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]  # GB 11643-1999, 2^(17-i) mod 11


def id_check(first17: str) -> str:
    return "10X98765432"[sum(w * int(c) for w, c in zip(_WEIGHTS, first17, strict=True)) % 11]


def luhn_check(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c) * (2 if i % 2 == 0 else 1)  # the check digit will stand right of body
        total += d - 9 if d > 9 else d
    return str(-total % 10)


def luhn_ok(number: str) -> bool:
    return luhn_check(number[:-1]) == number[-1]


def test_independent_writers_agree_with_published_examples():
    assert id_check("11010519491231002") == "X"  # the example of GB 11643-1999
    assert id_check(ID[:17]) == ID[17]
    assert luhn_check("7992739871") == "3"  # the example of ISO/IEC 7812's Luhn formula
    assert luhn_ok(CARD)


# -- strategies -------------------------------------------------------------------------------

birth = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today())
region6 = st.from_regex(r"[1-9][0-9]{5}", fullmatch=True)


@st.composite
def resident_ids(draw) -> str:
    body = draw(region6) + draw(birth).strftime("%Y%m%d") + draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    check = id_check(body)
    return body + (draw(st.sampled_from(["X", "x"])) if check == "X" else check)


@st.composite
def old_ids(draw) -> str:
    day = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)))
    return draw(region6) + day.strftime("%y%m%d") + draw(st.from_regex(r"[0-9]{3}", fullmatch=True))


phones = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@st.composite
def cards(draw) -> str:
    body = draw(st.from_regex(r"[1-9][0-9]{14,17}", fullmatch=True))
    return body + luhn_check(body)


def grouped(number: str, sizes: list[int], sep: str) -> str:
    parts, i = [], 0
    for n in sizes:
        parts.append(number[i:i + n])
        i += n
    parts.append(number[i:])
    return sep.join(p for p in parts if p)


separators = st.sampled_from([" ", "-", "－", "\u3000", " - "])
# text around a number that does not glue digits or a decimal point to it
context = st.text(alphabet="张三李四电话身份证号卡已入户服务人次,。:() ab", max_size=12)


def only_digits(text: str) -> str:
    """The digits (full-width ones as ASCII) and check characters of a text, nothing else."""
    return re.sub(r"[^0-9X]", "", text.translate(ASCII).upper())


ASCII = str.maketrans("０１２３４５６７８９", "0123456789")


def caught(text: str, number: str, kinds: set[str]) -> None:
    """``number`` (written somewhere in ``text``) is found as one of ``kinds`` and masked away."""
    found = find(text)
    assert len(found) == 1 and found[0].kind in kinds, (text, found)
    masked = mask(text)
    assert found[0].masked in masked
    assert only_digits(number) not in only_digits(masked)


@given(resident_ids(), context, context, st.booleans(), separators, st.booleans())
def test_valid_resident_ids_are_always_caught(number, before, after, spaced, sep, wide):
    written = grouped(number, [6, 8], sep) if spaced else number
    written = written.translate(FULL_WIDTH) if wide else written
    caught(f"{before}{written}{after}", number, {"id_number"})


@given(old_ids(), context, context)
def test_old_fifteen_digit_ids_with_a_birth_date_are_caught(number, before, after):
    caught(f"{before}{number}{after}", number, {"id_number"})


@given(phones, context, context, st.sampled_from(["", "+86", "+86 ", "0086", "86-"]),
       st.sampled_from([None, " ", "-", "－"]), st.booleans())
def test_mobile_numbers_are_always_caught(number, before, after, prefix, sep, wide):
    written = number if sep is None else grouped(number, [3, 4], sep)
    written = prefix + (written.translate(FULL_WIDTH) if wide else written)
    caught(f"{before}{written}{after}", number, {"phone"})


@given(cards(), context, context, st.sampled_from([None, " ", "-"]))
def test_luhn_valid_cards_are_always_caught(number, before, after, sep):
    written = number if sep is None else grouped(number, [4, 4, 4, 4], sep)
    # an 18-digit card may also pass the ID check (then either name will do)
    kinds = {"bank_card", "id_number"} if len(number) == 18 else {"bank_card"}
    caught(f"{before}{written}{after}", number, kinds)


@given(st.from_regex(r"[a-z][a-z0-9._]{0,10}@[a-z0-9]{1,8}\.(com|cn|org)", fullmatch=True), context)
def test_email_addresses_are_caught_and_masked(address, before):
    text = f"{before} {address} "
    assert [f.kind for f in find(text)] == ["email"]
    local, domain = address.split("@")
    assert mask(text) == f"{before} {local[0]}***@{domain} "


@given(st.integers(min_value=16, max_value=19).flatmap(
    lambda n: st.from_regex(rf"[1-9][0-9]{{{n - 1}}}", fullmatch=True)), context, context)
def test_long_numbers_failing_their_checks_are_not_personal_data(number, before, after):
    """A 16-19 digit count that fails Luhn (and, at 18 digits, the ID check) is never flagged."""
    if luhn_ok(number) or (len(number) == 18 and id_check(number[:17]) == number[17]):
        number = number[:-1] + str((int(number[-1]) + 1) % 10)
    if luhn_ok(number) or (len(number) == 18 and id_check(number[:17]) == number[17]):
        return  # both checks pass after the change: not the case this test is about
    assert find(f"{before}{number}{after}") == []


@given(st.integers(min_value=0, max_value=10**10 - 1), st.integers(min_value=20, max_value=40).flatmap(
    lambda n: st.from_regex(rf"[1-9][0-9]{{{n - 1}}}", fullmatch=True)))
def test_counts_and_numbers_too_long_to_be_one_are_not_flagged(count, long_run):
    assert find(f"服务{count}人次") == []
    assert find(f"编号{long_run}号") == []  # not searched inside: a phone is not in a 25-digit run


def test_wrong_check_digits_are_not_flagged():
    assert find(ID[:-1] + "3") == []  # fails GB 11643 (and Luhn)
    assert find("0.13812345678") == []  # a fraction's digits, not a phone
    assert find("2023-01-15 1200 45 3") == []  # short groups do not join into a number
    assert find("3820199013") == []  # 10 digits


def test_the_issue_note_is_caught_and_masked():
    note = f"张三 身份证{ID} 电话{PHONE} 卡号{CARD} 已入户"
    assert [(f.kind, f.masked) for f in find(note)] == [
        ("id_number", "1101**********1232"), ("phone", "138****5678"), ("bank_card", "6222********7894")]
    assert mask(note) == "张三 身份证1101**********1232 电话138****5678 卡号6222********7894 已入户"
    # the check character X, then a letter
    assert [f.masked for f in find("身份证11010519491231002Xa号")] == ["1101**********002X"]


def test_find_in_column_reads_every_arrow_type():
    text = pa.chunked_array([["120", f"电话{PHONE}"], [None, ID]])
    assert sorted(find_in_column(text)) == [1, 3]
    coded = pa.array(["a", f"卡{CARD}", "a", f"卡{CARD}"]).dictionary_encode()
    assert sorted(find_in_column(coded)) == [1, 3]
    assert sorted(find_in_column(pa.array([int(PHONE), 1200, None, 1234567890123456789]))) == [0]
    assert sorted(find_in_column(pa.array([float(PHONE), 1.5, 13812345678.5]))) == [0]
    assert find_in_column(pa.array([True, False])) == {}


PRESCREEN_ALPHABET = "0123456789０１２３４５６７８９a-@＠ 号\u3000xX.,"


@given(st.lists(st.one_of(st.none(), st.text(alphabet=PRESCREEN_ALPHABET, max_size=30)), max_size=40))
def test_the_prescreen_keeps_every_cell_with_a_long_run_of_digits_or_an_at_sign(cells):
    # counted here one character at a time: ASCII and full-width digits, '@' in either width;
    # a run goes on over at most three separators (spaces, hyphens) between two digits
    from sswanalysis.personal_data import MIN_DIGITS, _candidates

    def longest_run(c: str) -> int:
        best = run = gap = 0
        for ch in c:
            if ch.isascii() and ch.isdigit() or "０" <= ch <= "９":
                run, gap = (run + 1 if gap <= 3 else 1), 0
                best = max(best, run)
            elif ch in " -\u3000" and run:
                gap += 1
            else:
                run = gap = 0
        return best

    expected = [i for i, c in enumerate(cells) if c is not None and len(c) >= MIN_DIGITS
                and (longest_run(c) >= MIN_DIGITS or "@" in c or "＠" in c)]
    assert _candidates(pa.array(cells, type=pa.string())).tolist() == expected


@given(st.lists(st.text(alphabet=PRESCREEN_ALPHABET + "138", min_size=11, max_size=40), max_size=30))
def test_every_cell_find_flags_passes_the_prescreen(cells):
    from sswanalysis.personal_data import _candidates

    flagged = [i for i, c in enumerate(cells) if find(c)]
    assert set(flagged) <= set(_candidates(pa.array(cells, type=pa.string())).tolist())


def test_digits_spread_over_a_cell_are_not_a_candidate():
    from sswanalysis.personal_data import _candidates

    codes = "临泽 (620723), 张掖 (620700), 揭阳 (445200)"
    assert _candidates(pa.array([codes, f"{codes} 13812345678"])).tolist() == [1]


def test_mask_texts_leaves_other_values_alone():
    assert mask_texts([None, 3, "ok", f"id {ID}"]) == [None, 3, "ok", "id 1101**********1232"]


# -- the monthly ingest --------------------------------------------------------------------

SECRETS = [ID, PHONE, CARD, "138 1234 5678", "zhang.san@example.com"]


def assert_nowhere(blobs: dict[str, bytes]) -> None:
    for name, blob in blobs.items():
        for secret in SECRETS:
            for enc in ("utf-8", "utf-16-le"):
                assert secret.encode(enc) not in blob, (name, secret, enc)


def test_ingest_rejects_the_row_and_never_echoes_the_numbers(tmp_path):
    """The done-when of issue 17: accepted table, rejects CSV and printed lines are searched."""
    src = tmp_path / "in" / "r.csv"
    src.parent.mkdir()
    src.write_text(
        "站点编号,地区代码,月份,服务人数(人),乡镇(街道),备注\n"
        f"shahe,linze,2023-01,120,沙河镇,张三 身份证{ID} 电话{PHONE} 卡号{CARD} 已入户\n"
        "shahe,linze,2023-02,130,沙河镇,正常\n"
        f"shahe,linze,2023-03,{PHONE},沙河镇,\n"  # a phone typed into a count
        "shahe,linze,2023-04,90,电话 138 1234 5678,\n"
        "shahe,linze,2023-05,95,沙河镇,联系 zhang.san@example.com\n",
        encoding="utf-8")
    out, rejects = tmp_path / "out" / "acc.parquet", tmp_path / "out" / "rej.csv"
    proc = subprocess.run([sys.executable, "-m", "sswanalysis.cli", "ingest", str(src), "--out", str(out),
                           "--rejects", str(rejects), "--max-month", MAX],
                          capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().splitlines()[-1] == "rows_in=5 accepted=1 rejected=4"
    everything = pd.read_csv(rejects)
    personal = everything["reason"].str.startswith("含个人信息(")
    # the phone typed into a count is also too large for a count (issue 14): a second fault
    assert everything.loc[~personal, ["row", "column"]].values.tolist() == [[4, "people_served_persons"]]
    rej = everything[personal].reset_index(drop=True)
    assert rej[["row", "column"]].values.tolist() == [[2, "note"], [4, "people_served_persons"],
                                                      [5, "township"], [6, "note"]]
    assert rej["value"].tolist() == ["1101**********1232 138****5678 6222********7894", "138****5678",
                                     "138 **** 5678", "z***@example.com"]
    assert "personal data (ID number / phone number / bank card number) must not be in monthly reports" \
        in rej["reason"][0]
    assert "张三" not in rejects.read_text(encoding="utf-8")  # the cell is not echoed, only the numbers
    acc = pd.read_parquet(out)
    assert acc["row"].tolist() == [3]
    every_cell = acc.astype(str).to_csv().encode()
    assert_nowhere({"accepted": out.read_bytes(), "accepted cells": every_cell,
                    "rejects": rejects.read_bytes(), "stdout": proc.stdout, "stderr": proc.stderr})


@pytest.mark.parametrize("fmt", ["xlsx", "parquet"])
def test_xlsx_and_parquet_cells_are_searched_too(tmp_path, fmt):
    """Numbers typed as numbers (a phone in Excel, an int64 in Parquet) are caught as well."""
    frame = pd.DataFrame({"station_id": ["shahe", "shahe", "shahe"], "region_id": ["linze"] * 3,
                          "month": ["2023-01", "2023-02", "2023-03"],
                          "people_served_persons": [12, int(PHONE), 14],
                          "note": [f"卡号 {CARD}", "", "正常"]})
    f = tmp_path / f"r.{fmt}"
    if fmt == "xlsx":
        frame.to_excel(f, index=False)
    else:
        frame.to_parquet(f, index=False)
    res = read(f, max_month=MAX)
    personal = res.rejects[res.rejects["reason"].str.startswith("含个人信息(")]
    assert personal[["row", "column", "value"]].values.tolist() == [
        [2, "note", "6222********7894"], [3, "people_served_persons", "138****5678"]]
    assert res.accepted["row"].unique().tolist() == [4]


def test_every_fault_that_quotes_a_cell_masks_it(tmp_path):
    """Masking happens where the rejects are built: a duplicate's message quotes the station id."""
    f = tmp_path / "r.csv"
    f.write_text(f"station_id,region_id,month,people_served_persons\n{PHONE},linze,2023-01,1\n"
                 f"{PHONE},linze,2023-01,2\n", encoding="utf-8")
    g = tmp_path / "h.csv"
    g.write_text(f"station_id,region_id,month,{PHONE}\ns1,linze,2023-01,1\n", encoding="utf-8")
    res = read([f, g], max_month=MAX)
    assert res.rows_rejected == 3
    text = res.rejects.to_csv() + res.files.to_csv() + res.summary()
    assert PHONE not in text
    assert "duplicate station-month (138****5678, 2023-01)" in text
    assert "column '138****5678' is not in the template" in text


def test_a_long_count_failing_luhn_is_not_rejected_as_personal_data(tmp_path):
    f = tmp_path / "r.csv"
    count = "1234567890123456"  # 16 digits, fails Luhn
    assert not luhn_ok(count)
    f.write_text(f"station_id,region_id,month,people_served_person_times\ns1,linze,2023-01,{count}\n"
                 f"s1,linze,2023-02,{CARD}\n", encoding="utf-8")
    res = read(f, max_month=MAX)
    personal = res.rejects[res.rejects["reason"].str.contains("personal data")]
    assert personal["row"].tolist() == [3]  # the Luhn-valid card only


def test_reports_free_text_is_not_carried_into_the_tables(tmp_path):
    """The accepted tables hold no note: publish could not show one even if it read them."""
    f = tmp_path / "r.csv"
    f.write_text("station_id,region_id,month,people_served_persons,note\n"
                 "shahe,linze,2023-01,12,王五家访谈记录\n", encoding="utf-8")
    res = read(f, max_month=MAX)
    assert res.rows_accepted == 1
    for frame in (res.accepted, res.stations):
        assert "note" not in frame.columns
        assert "王五" not in frame.astype(str).to_csv()


def test_report_pages_and_workbook_show_no_free_text_of_station_reports(tmp_path):
    """``report --data`` runs the panel notebook on ingested reports and adds panel sheets to the
    workbook: no free-text column of the reports (township, funding source, note) shows in
    either. If one ever should, it must be behind an explicit option, tested here."""
    import openpyxl

    from sswanalysis.cli import main
    from sswanalysis.monthly.synthetic import national_panel, write_report_files
    from sswanalysis.publish.html import write_report

    panel = national_panel(80, 6, seed=21)
    markers = {"township": "自由文字甲乡", "funding_source": "自由文字乙款", "note": "自由文字丙记"}
    for column, text in markers.items():
        panel[column] = text
    write_report_files(panel, tmp_path / "reports", formats=("csv",))
    ingested = tmp_path / "ingested.parquet"
    assert main(["ingest", str(tmp_path / "reports"), "--out", str(ingested), "--no-progress"]) == 0
    beside = pd.read_parquet(ingested.with_name("ingested.stations.parquet")).to_csv()
    assert markers["township"] in beside  # the free text is there to leak
    out = tmp_path / "report"
    write_report(out, [ROOT / "notebooks" / "07-station-panels.ipynb"], progress=False, data=ingested)
    shown = []
    for path in out.rglob("*"):
        if path.suffix == ".html":
            shown.append(path.read_text(encoding="utf-8"))
        elif path.suffix == ".xlsx":
            wb = openpyxl.load_workbook(path, read_only=True)
            shown += [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row]
    text = "\n".join(shown)
    assert "480" in text and "漏斗图" in text  # the page and sheets of these 80 × 6 station-months
    assert [m for m in markers.values() if m in text] == []


def test_template_codebook_and_readme_say_names_cannot_be_detected(tmp_path):
    from sswanalysis.monthly.form import write_template
    from sswanalysis.monthly.template import codebook

    note = codebook().loc["note", "description"]
    assert "姓名无法检出" in note and "names cannot be detected" in note
    readme = [p for p in write_template(tmp_path) if p.name == "README.md"][0].read_text(encoding="utf-8")
    assert "names cannot be detected" in readme
    assert "Names cannot be detected" in (ROOT / "README.md").read_text(encoding="utf-8")


# -- validate -------------------------------------------------------------------------------------


@pytest.fixture
def package(tmp_path) -> Path:
    dst = tmp_path / "pkg"
    shutil.copytree(shipped_data_dir(), dst, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return dst


def test_validate_flags_personal_data_in_text_columns(package, capsys):
    from sswanalysis.datapackage.validation import validate_main

    stations = pd.read_csv(package / "stations.csv", dtype=str, keep_default_na=False)
    stations.loc[0, "operator_zh"] = f"本县社工机构(联系人手机{PHONE})"
    stations.to_csv(package / "stations.csv", index=False)
    faults = [f for f in validate(package) if "personal data" in f.message]
    assert [(f.file, f.row, f.column) for f in faults] == [("stations.csv", 2, "operator_zh")]
    assert "138****5678" in faults[0].message and PHONE not in faults[0].message
    assert validate_main(type("A", (), {"data_dir": str(package), "sources": None})()) == 1
    out = capsys.readouterr()
    assert PHONE not in out.out + out.err and "138****5678" in out.err


def test_evidence_is_exempt_only_when_its_source_is_published(package):
    ind = pd.read_csv(package / "indicators.csv", dtype=str, keep_default_na=False)
    ind.loc[0, "evidence"] += f" 咨询电话{PHONE}"  # a published source's text: public
    ind.loc[1, "evidence"] += f" 联系人{PHONE}"
    ind.loc[1, "source_id"] = "station-reports"  # an ingested report: not published
    ind.to_csv(package / "indicators.csv", index=False)
    src = pd.read_csv(package / "sources.csv", dtype=str, keep_default_na=False)
    src.loc[len(src)] = {**{c: "" for c in src.columns}, "source_id": "station-reports",
                         "kind": "station_reports", "title_zh": "月报", "title_en": "reports",
                         "publisher_zh": "社工站", "publisher_en": "stations"}
    src.to_csv(package / "sources.csv", index=False)
    faults = [f for f in validate(package) if "personal data" in f.message]
    assert [(f.file, f.row, f.column) for f in faults] == [("indicators.csv", 3, "evidence")]
    # the evidence check quotes the span: masked there too
    assert all(PHONE not in f.message for f in validate(package))


def test_a_19_digit_count_that_fails_luhn_is_rejected_for_its_size_not_as_personal_data(tmp_path):
    count = "1234567890123456789"
    assert not find(count)  # fails Luhn: not a card number
    src = tmp_path / "r.csv"
    src.write_text("站点编号,地区代码,月份,服务人数(人)\n"
                   f"shahe,linze,2023-01,{count}\nshahe,linze,2023-02,12\n", encoding="utf-8")
    res = read(src, max_month=MAX)
    assert (res.rows_in, res.rows_accepted, res.rows_rejected) == (2, 1, 1)
    reasons = " ".join(res.rejects["reason"].astype(str))
    assert "个人信息" not in reasons and "personal data" not in reasons
    assert res.rejects["row"].tolist() == [2]

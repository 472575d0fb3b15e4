"""Station-month report ingestion: a corpus of malformed files, one per fault kind.

Every test checks the fault's clear reason (file, row, column) and that
rows in = rows accepted + rows rejected.
"""

from __future__ import annotations

import math
import pickle
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sswanalysis.monthly import ingest as reports
from sswanalysis.monthly import tables as reporttable
from sswanalysis.monthly.form import write_template
from sswanalysis.monthly.ingest import read
from sswanalysis.monthly.template import (
    code_labels,
    columns,
    header_map,
    label_to_code,
    normalise_header,
)

HEADER = "station_id,region_id,month,people_served_persons,people_served_person_times"
MAX = "2024-12"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def check_counts(res: reports.ReadResult) -> None:
    assert res.rows_in == res.rows_accepted + res.rows_rejected
    assert res.rows_rejected == res.files["rejected"].sum()
    row_faults = res.rejects.dropna(subset=["row"])
    assert len(row_faults[["file", "row"]].drop_duplicates()) == res.rows_rejected
    if len(res.accepted):
        accepted_rows = set(zip(res.accepted["file"].astype(str), res.accepted["row"], strict=True))
        rejected_rows = set(zip(row_faults["file"], row_faults["row"].astype(int), strict=True))
        assert not accepted_rows & rejected_rows


def only_fault(res: reports.ReadResult) -> dict:
    assert len(res.rejects) == 1, res.rejects.to_dict("records")
    return res.rejects.iloc[0].to_dict()


# -- good data --------------------------------------------------------------------------


def test_good_file_becomes_the_tidy_long_table(tmp_path):
    f = write(tmp_path / "a.csv", f"{HEADER}\nshahe,linze,2023-01,120,310\nshahe,linze,2023-02,98,\n")
    res = read(f, max_month=MAX)
    check_counts(res)
    assert (res.rows_in, res.rows_accepted, res.rows_rejected) == (2, 2, 0)
    acc = res.accepted
    assert acc[["indicator", "unit", "value", "month"]].astype(str).values.tolist() == [
        ["people_served", "persons", "120.0", "2023-01"],
        ["people_served", "person_times", "310.0", "2023-01"],
        ["people_served", "persons", "98.0", "2023-02"],
    ]
    assert acc["row"].tolist() == [2, 2, 3]
    # row numbers are 32-bit everywhere: repeated once per figure, they are a large column
    assert (acc["row"].dtype, res.rows["row"].dtype, res.rejects["row"].dtype) == ("Int32", "int32", "Int32")
    assert set(acc["period"].astype(str)) == {"month"}
    assert set(acc["source_id"].astype(str)) == {"station-reports"}
    assert str(acc["month"].dtype) == "period[M]"
    assert set(acc["province"].astype(str)) == {"甘肃省"}  # from the region in the Data Package
    # same columns (where they apply) as the case studies' indicators table
    for col in ["region_id", "station_id", "indicator", "method", "value", "value_high", "qualifier",
                "unit", "unit_zh", "period", "source_id"]:
        assert col in acc.columns
    assert res.stations[["station_id", "region_id", "months_reported"]].values.tolist() == [
        ["shahe", "linze", 2]
    ]


@pytest.mark.parametrize("progress", [True, False])
def test_progress_bar_over_files_only_when_asked(tmp_path, capsys, progress):
    for i in range(3):
        write(tmp_path / f"r{i}.csv", f"{HEADER}\ns{i},linze,2023-01,1,2\n")
    res = read(tmp_path, max_month=MAX, progress=progress)
    assert res.rows_accepted == 3
    err = capsys.readouterr().err
    assert ("reading reports" in err and "3/3" in err) if progress else err == ""


def test_chinese_number_strings_keep_their_qualifier(tmp_path):
    f = write(tmp_path / "a.csv", f"{HEADER}\n"
              "s1,linze,2023-01,1200余,约3万\n"
              "s1,linze,2023-02,１２００,\"1,200\"\n"
              "s1,linze,2023-03,3-5,近100\n")
    res = read(f, max_month=MAX)
    check_counts(res)
    got = res.accepted[["value", "value_high", "qualifier"]].astype(object).values.tolist()
    got = [[v, None if pd.isna(h) else h, q] for v, h, q in got]
    assert got == [
        [1200.0, None, "at_least"], [30000.0, None, "approx"],
        [1200.0, None, "exact"], [1200.0, None, "exact"],
        [3.0, 5.0, "range"], [100.0, None, "at_most"],
    ]


def test_chinese_headers_and_full_width_brackets(tmp_path):
    f = write(tmp_path / "a.csv", "站点编号,地区代码,月份,服务人数（人）,服务人次,链接资源(万元)\n"
              "s1,linze,2023年1月,10,25,1.5\n")
    res = read(f, max_month=MAX)
    check_counts(res)
    assert res.accepted[["indicator", "unit", "value"]].values.tolist() == [
        ["people_served", "persons", 10.0], ["people_served", "person_times", 25.0],
        ["linked_resources_cny", "cny", 15000.0],
    ]


def test_header_map_names_existing_columns_only():
    names = {c.name for c in columns()}
    assert set(header_map().values()) <= names
    assert header_map()[normalise_header("资金投入(万元)")] == "funding_cny_wan"


# -- file-level faults ------------------------------------------------------------------


def test_missing_required_column_rejects_every_row(tmp_path):
    f = write(tmp_path / "nomonth.csv",
              "station_id,region_id,people_served_persons\ns1,linze,5\ns2,linze,6\n")
    res = read(f, max_month=MAX)
    check_counts(res)
    assert (res.rows_in, res.rows_rejected) == (2, 2)
    assert res.rejects["row"].tolist() == [2, 3]
    assert set(res.rejects["column"]) == {"month"}
    assert "required column month (月份) is missing" in res.rejects["reason"].iloc[0]


def test_extra_column_rejects_every_row_and_names_it(tmp_path):
    f = write(tmp_path / "extra.csv", f"{HEADER},满意度\ns1,linze,2023-01,5,6,98%\n")
    res = read(f, max_month=MAX)
    check_counts(res)
    fault = only_fault(res)
    assert (fault["row"], fault["column"]) == (2, "满意度")
    assert "'满意度' is not in the template" in fault["reason"]
    assert res.accepted.empty


def test_two_headers_naming_one_column(tmp_path):
    f = write(tmp_path / "twice.csv", f"{HEADER},服务人数(人)\ns1,linze,2023-01,5,6,5\n")
    fault = only_fault(read(f, max_month=MAX))
    assert "names people_served_persons, as does column 'people_served_persons'" in fault["reason"]


def test_empty_and_header_only_files(tmp_path):
    empty = write(tmp_path / "empty.csv", "")
    header_only = write(tmp_path / "header.csv", HEADER + "\n")
    res = read([empty, header_only], max_month=MAX)
    check_counts(res)
    assert res.rows_in == 0
    assert res.files["fault"].tolist() == ["file is empty (no header, no rows)",
                                           "file has a header but no rows"]
    assert res.rejects["reason"].tolist() == res.files["fault"].tolist()
    assert res.rejects["row"].isna().all()
    # the summary names such a file without a row number
    assert f"  {empty}: file is empty (no header, no rows)" in res.summary().splitlines()


def test_encodings_utf8_bom_and_gbk_are_read_alike(tmp_path):
    text = "站点编号,地区代码,月份,服务人数(人)\n沙河站,linze,2023-01,7\n"
    bom = write(tmp_path / "bom.csv", text, "utf-8-sig")
    gbk = write(tmp_path / "gbk.csv", text.replace("沙河站", "平川站"), "gbk")
    res = read([bom, gbk], max_month=MAX)
    check_counts(res)
    assert res.files["encoding"].tolist() == ["utf-8-sig", "gb18030"]
    assert res.accepted["station_id"].astype(str).tolist() == ["沙河站", "平川站"]


def test_undecodable_files_count_their_rows_as_rejected_and_utf16_with_bom_is_read(tmp_path):
    bad = tmp_path / "latin.csv"
    bad.write_bytes(b"station_id,region_id,month\ns\xff1,linze,2023-01\ns2,linze,2023-01\n")
    u16 = tmp_path / "u16.csv"
    u16.write_bytes(f"{HEADER}\n平川站,linze,2023-01,1,2\n".encode("utf-16"))
    res = read([bad, u16], max_month=MAX)
    check_counts(res)
    assert (res.rows_in, res.rows_rejected) == (3, 2)
    assert "encoding cannot be established" in res.files["fault"].iloc[0]
    assert "byte offset 28 (line 2, byte 0xff)" in res.files["fault"].iloc[0]
    assert res.files["encoding"].iloc[1] == "utf-16" and res.files["fault"].iloc[1] == ""
    assert res.accepted["station_id"].astype(str).unique().tolist() == ["平川站"]
    assert res.rejects["row"].tolist() == [2, 3]


def test_unsupported_file_type(tmp_path):
    f = write(tmp_path / "old.xls", "whatever")
    res = read(f, max_month=MAX)
    assert "unsupported file type .xls" in res.files["fault"].iloc[0]


# -- cell faults ------------------------------------------------------------------------


@pytest.mark.parametrize(("cell", "reason"), [
    ("-5", "is negative"),
    ("12.5", "is not a whole number of persons"),
    ("abc", "not a figure"),
    ("N/A", "not a figure"),
    ("12人次", "written in 人次 but the column counts persons"),
    ("5-3", "the ends of a range must increase"),
])
def test_bad_cell_rejects_the_row_and_says_why(tmp_path, cell, reason):
    f = write(tmp_path / "a.csv", f"{HEADER}\ns1,linze,2023-01,{cell},40\ns1,linze,2023-02,9,\n")
    res = read(f, max_month=MAX)
    check_counts(res)
    fault = only_fault(res)
    assert (fault["row"], fault["column"], fault["value"]) == (2, "people_served_persons", cell)
    assert reason in fault["reason"]
    # the whole row goes: its good person-times cell is not accepted either
    assert res.accepted["value"].tolist() == [9.0]


def test_every_fault_of_a_row_is_listed(tmp_path):
    f = write(tmp_path / "a.csv", f"{HEADER}\ns1,nowhere,2023-13,-1,x\n")
    res = read(f, max_month=MAX)
    check_counts(res)
    assert res.rows_rejected == 1
    assert sorted(res.rejects["column"]) == ["month", "people_served_person_times",
                                             "people_served_persons", "region_id"]


def test_yuan_and_wan_columns(tmp_path):
    f = write(tmp_path / "money.csv",
              "station_id,region_id,month,linked_resources_cny,linked_resources_cny_wan\n"
              "s1,linze,2023-01,5000,0.5\n"   # agree
              "s1,linze,2023-02,5000,0.6\n"   # disagree
              "s1,linze,2023-03,,1.2\n"       # 万元 only
              "s1,linze,2023-04,12万元,\n"     # 元 column, 万 written in the cell
              "s1,linze,2023-05,,3万元\n")     # 万元 column with its own unit: taken as written
    res = read(f, max_month=MAX)
    check_counts(res)
    fault = only_fault(res)
    assert fault["row"] == 3 and "disagree (5000 元 vs 6000 元)" in fault["reason"]
    assert res.accepted[["row", "value"]].values.tolist() == [[2, 5000.0], [4, 12000.0], [5, 120000.0],
                                                              [6, 30000.0]]
    assert set(res.accepted["unit_zh"].astype(str)) == {"元"}


def test_empty_required_cells(tmp_path):
    f = write(tmp_path / "a.csv", f"{HEADER}\n,linze,2023-01,1,\ns1,,2023-01,1,\ns1,linze,,1,\n")
    res = read(f, max_month=MAX)
    check_counts(res)
    assert res.rejects[["row", "column"]].values.tolist() == [
        [2, "station_id"], [3, "region_id"], [4, "month"]]
    assert res.rejects["reason"].str.contains("is empty but required").all()


# -- months -----------------------------------------------------------------------------


def test_months_out_of_range(tmp_path):
    f = write(tmp_path / "m.csv", f"{HEADER}\n"
              "s1,linze,2023-13,1,\n"     # month 13
              "s1,linze,March,1,\n"       # not a month
              "s1,linze,2025-01,1,\n"     # after max_month
              "s1,linze,1999-12,1,\n"     # before min_month
              "s1,linze,2023/2,1,\n"      # fine
              "s1,linze,202303,1,\n")     # fine
    res = read(f, max_month=MAX)
    check_counts(res)
    reasons = res.rejects.set_index("row")["reason"].to_dict()
    assert reasons == {
        2: "'2023-13' has month 13; months run 1 to 12",
        3: "'March' is not a month (write YYYY-MM)",
        4: "'2025-01' is after 2024-12, the latest month accepted (max_month)",
        5: "'1999-12' is before 2000-01, the earliest month accepted",
    }
    assert res.accepted["month"].astype(str).tolist() == ["2023-02", "2023-03"]


def test_month_before_the_station_opened(tmp_path):
    f = write(tmp_path / "o.csv", "station_id,region_id,opened,month,households_visited\n"
              "s1,linze,2022-04,2022-03,4\ns1,linze,2022-04,2022-04,5\n")
    fault = only_fault(read(f, max_month=MAX))
    assert fault["row"] == 2
    assert fault["reason"] == "report month 2022-03 is before the station opened (2022-04)"


# -- duplicates, stations, regions ----------------------------------------------------------


def test_duplicate_station_months_within_and_across_files(tmp_path):
    a = write(tmp_path / "a.csv",
              f"{HEADER}\ns1,linze,2023-01,1,\ns1,linze,2023-01,2,\ns1,linze,2023-02,3,\n")
    b = write(tmp_path / "b.csv", f"{HEADER}\ns1,linze,2023-02,3,\ns2,linze,2023-02,4,\n")
    res = read([a, b], max_month=MAX)
    check_counts(res)
    assert (res.rows_in, res.rows_accepted, res.rows_rejected) == (5, 1, 4)
    r = res.rejects.set_index(["file", "row"])["reason"]
    assert r[(str(a), 2)] == f"duplicate station-month (s1, 2023-01): also at {a} row 3"
    assert r[(str(b), 2)] == f"duplicate station-month (s1, 2023-02): also at {a} row 4"
    assert res.accepted["station_id"].astype(str).tolist() == ["s2"]


def test_a_station_month_pasted_many_times_names_three_other_copies_and_counts_the_rest(tmp_path):
    copies = 6000  # each reason once compared every pair of copies: minutes for a long paste
    f = write(tmp_path / "a.csv", f"{HEADER}\n" + "s1,linze,2023-01,1,\n" * copies + "s2,linze,2023-01,1,\n")
    res = read(f, max_month=MAX)
    check_counts(res)
    assert (res.rows_accepted, res.rows_rejected) == (1, copies)
    r = res.rejects.set_index("row")["reason"]
    head = "duplicate station-month (s1, 2023-01): also at"
    more = f"and {copies - 4} more"
    assert r[2] == f"{head} {f} row 3; {f} row 4; {f} row 5 {more}"
    assert r[4] == f"{head} {f} row 2; {f} row 3; {f} row 5 {more}"
    assert r[copies + 1] == f"{head} {f} row 2; {f} row 3; {f} row 4 {more}"


def test_station_register_unknown_station_and_wrong_region(tmp_path):
    register = pd.DataFrame({"station_id": ["s1", "s2"], "region_id": ["linze", "linze"]})
    f = write(tmp_path / "a.csv",
              f"{HEADER}\ns1,linze,2023-01,1,\ns9,linze,2023-01,1,\ns2,shangrao,2023-01,1,\n")
    res = read(f, stations=register, max_month=MAX)
    check_counts(res)
    assert res.rejects[["row", "column", "reason"]].values.tolist() == [
        [3, "station_id", "unknown station 's9' (not in the station register)"],
        [4, "region_id", "station 's2' is in region 'linze' in the station register, not 'shangrao'"],
    ]


def test_unknown_region_and_inconsistent_region_without_register(tmp_path):
    f = write(tmp_path / "a.csv", f"{HEADER}\ns1,atlantis,2023-01,1,\ns2,gansu,2023-01,1,\n"
              "s2,jiangxi,2023-02,1,\nshahe,shangrao,2023-01,1,\n")
    res = read(f, max_month=MAX)
    check_counts(res)
    assert res.rejects["reason"].iloc[0].startswith("unknown region 'atlantis'. Write a region id, its")
    assert res.rejects[["row", "reason"]].values.tolist()[1:] == [
        [4, f"station 's2' is in region 'gansu' at {f} row 3, not 'jiangxi'"],
        [5, "station 'shahe' is in region 'linze' in the shipped stations table, not 'shangrao'"],
    ]


def test_province_must_match_region(tmp_path):
    f = write(tmp_path / "p.csv", "station_id,region_id,province,month,households_visited\n"
              "s1,linze,甘肃,2023-01,1\ns2,linze,江西省,2023-01,1\ns3,gansu,Narnia,2023-01,1\n")
    res = read(f, max_month=MAX)
    check_counts(res)
    assert res.rejects[["row", "reason"]].values.tolist() == [
        [3, "province '江西省' does not match region 'linze' (甘肃省)"],
        [4, "unknown province 'Narnia'. Write a province's Chinese name (甘肃省 or 甘肃), its English name "
            "or its 6-digit division code (see templates/provinces.csv)"],
    ]


def test_service_model_and_synthetic_flag_values(tmp_path):
    f = write(tmp_path / "s.csv", "station_id,region_id,month,service_model,synthetic,households_visited\n"
              "s1,linze,2023-01,政府购买服务,否,1\ns2,linze,2023-01,magic,true,1\ns3,linze,2023-01,,maybe,1\n")
    res = read(f, max_month=MAX)
    check_counts(res)
    assert res.rejects["row"].tolist() == [3, 4]
    assert res.rejects["reason"].iloc[0].startswith("unknown service model 'magic'")
    assert res.rejects["reason"].iloc[1] == "'maybe' is not true or false"
    assert res.stations["service_model"].tolist() == ["government_purchase"]


def read_frame_as(frame: pd.DataFrame, folder: Path, fmt: str) -> reports.ReadResult:
    """Write ``frame`` as a CSV or Parquet report in ``folder``, read the folder, check the counts."""
    if fmt == "csv":
        frame.to_csv(folder / "r.csv", index=False, lineterminator="\n")
    else:
        frame.to_parquet(folder / "r.parquet", index=False)
    res = read(folder, max_month=MAX)
    check_counts(res)
    return res


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_example_rows_are_skipped_wherever_they_are_and_however_their_id_is_written(tmp_path, fmt):
    ids = ["s1", "SYN-EXAMPLE-001", "s2", " ＳＹＮ-example-2 ", "示例站", "", "s1", "Example 3", "s3",
           "SYN-EXAMPLE-001", "my-example"]
    frame = pd.DataFrame({"station_id": ids, "region_id": "linze",
                          "month": [f"2023-{m:02d}" for m in range(1, len(ids) + 1)],
                          "households_visited": "1"})
    res = read_frame_as(frame, tmp_path, fmt)
    skipped = [i + 2 for i, s in enumerate(ids) if i in (1, 3, 4, 7, 9)]  # row 1 is the header
    assert res.files["examples"].tolist() == [5]
    assert f"row(s) {', '.join(map(str, skipped))}" in " ".join(res.notes["note"])
    assert res.rows_in == len(ids) - 5
    assert sorted(res.rows["station_id"].astype(str)) == ["my-example", "s1", "s1", "s2", "s3"]
    assert res.rejects["row"].tolist() == [7]  # the row without a station id


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_month_written_without_the_station_attributes_does_not_erase_them(tmp_path, fmt):
    frame = pd.DataFrame({
        "station_id": ["s1", "s1", "s1", "s2"], "region_id": "linze",
        "month": ["2023-01", "2023-02", "2023-03", "2023-01"],
        "township": ["沙河镇", "平川镇", " ", "蓼泉镇"],  # a space is as empty as no cell
        "service_model": ["委托运营", "政府购买服务", None, None],
        "opened": ["2022-01", "2022-06", None, None],
        "funding_source": ["县级财政", None, None, "福彩公益金"],
        "households_visited": "1"})
    res = read_frame_as(frame, tmp_path, fmt)
    assert res.rows_rejected == 0
    cols = ["station_id", "township", "service_model", "opened", "funding_source", "months_reported"]
    got = res.stations[cols].astype(object)
    assert got.where(got.notna(), None).values.tolist() == [  # each attribute as last written
        ["s1", "平川镇", "government_purchase", "2022-06", "县级财政", 3],
        ["s2", "蓼泉镇", None, None, "福彩公益金", 1]]


def test_every_spelling_of_a_station_operation_in_the_data_package_is_read_as_its_code(tmp_path):
    """The form's drop-down, the ingest and the panel labels all read ``station_operations``."""
    import sswanalysis as ssw
    from sswanalysis.analysis.labelling import vocabulary
    from sswanalysis.monthly.template import code_labels

    vocab = ssw.load("station_operations")
    spellings = [(str(word), str(r.operation)) for r in vocab.itertuples(index=False)
                 for word in (r.label_zh, *str(r.words_zh).split("|"))]
    assert len(spellings) > len(vocab)  # each code has a label and other words
    body = "".join(f"s{i},linze,2023-01,{word},1\n" for i, (word, _) in enumerate(spellings))
    header = "station_id,region_id,month,service_model,households_visited\n"
    res = read(write(tmp_path / "s.csv", header + body), max_month=MAX)
    check_counts(res)
    assert res.rows_rejected == 0
    got = dict(zip(res.stations["station_id"], res.stations["service_model"], strict=True))
    assert [got[f"s{i}"] for i in range(len(spellings))] == [code for _, code in spellings]
    assert code_labels()["service_model"] == tuple(zip(vocab["label_zh"], vocab["operation"], strict=True))
    assert {code: zh for code, (zh, _) in vocabulary("station_operations").items()} == dict(
        zip(vocab["operation"], vocab["label_zh"], strict=True))


# -- layout -----------------------------------------------------------------------------


def test_blank_rows_are_skipped_and_row_numbers_stay_right(tmp_path):
    f = write(tmp_path / "b.csv", f"{HEADER}\ns1,linze,2023-01,1,\n\n,,,,\ns1,linze,2023-02,-1,\n")
    res = read(f, max_month=MAX)
    check_counts(res)
    assert (res.rows_in, res.blank_rows) == (2, 2)
    assert only_fault(res)["row"] == 5


def test_ragged_row(tmp_path):
    f = write(tmp_path / "r.csv", f"{HEADER}\ns1,linze,2023-01,1,2,3\ns1,linze,2023-02,1,2\n")
    res = read(f, max_month=MAX)
    check_counts(res)
    fault = only_fault(res)
    assert fault["row"] == 2 and "header has 5" in fault["reason"]


def test_xlsx_and_parquet_read_like_csv(tmp_path):
    frame = pd.DataFrame({"station_id": ["s1", "s1"], "region_id": ["linze"] * 2,
                          "month": ["2023-01", "2023-02"], "people_served_persons": ["1200余", "7"]})
    frame.to_csv(tmp_path / "a.csv", index=False)
    frame.to_excel(tmp_path / "b.xlsx", index=False, sheet_name="report")
    frame.assign(station_id=["s2", "s2"]).to_parquet(tmp_path / "c.parquet", index=False)
    res = read(tmp_path, max_month=MAX)  # a folder: its report files, sorted
    check_counts(res)
    assert res.files["format"].tolist() == ["csv", "xlsx", "parquet"]
    assert res.rows_rejected == 4  # a.csv and b.xlsx hold the same station-months
    assert res.accepted[["station_id", "row", "value", "qualifier"]].values.tolist() == [
        ["s2", 2, 1200.0, "at_least"], ["s2", 3, 7.0, "exact"],
    ]


def test_xlsx_numbers_and_dates(tmp_path):
    import datetime as dt

    frame = pd.DataFrame({"station_id": ["s1"], "region_id": ["linze"], "month": [dt.datetime(2023, 5, 1)],
                          "service_hours": [12.5], "households_visited": [3]})
    frame.to_excel(tmp_path / "a.xlsx", index=False)
    res = read(tmp_path / "a.xlsx", max_month=MAX)
    check_counts(res)
    assert res.accepted[["indicator", "value"]].values.tolist() == [["households_visited", 3.0],
                                                                    ["service_hours", 12.5]]
    assert res.accepted["month"].astype(str).unique().tolist() == ["2023-05"]


# -- template and CLI -------------------------------------------------------------------


def test_template_files_hold_no_data_rows_and_its_examples_ingest_cleanly(tmp_path):
    csv, xlsx, readme = write_template(tmp_path)
    for f in (csv, xlsx):
        res = read(f, max_month=MAX)
        check_counts(res)
        assert (res.rows_in, res.rows_accepted, res.rows_rejected) == (0, 0, 0)
    # The example rows (on their own sheet, shown with the form's Chinese labels) are valid
    # data once the labels are read back as codes, and their ids no longer mark them as examples.
    shown = pd.read_excel(xlsx, sheet_name="示例 examples", dtype=str, keep_default_na=False)
    spec = {c.header_zh: c.name for c in columns()}
    examples = shown.rename(columns=spec)
    for name in code_labels():
        examples[name] = examples[name].map(lambda v, n=name: label_to_code(n, v) or v)
    examples["station_id"] = examples["station_id"].str.replace("SYN-EXAMPLE-", "SYN-TEST-")
    examples.to_csv(tmp_path / "examples.csv", index=False, lineterminator="\n")
    res = read(tmp_path / "examples.csv", max_month=MAX)
    check_counts(res)
    assert (res.rows_in, res.rows_rejected) == (3, 0)
    assert res.accepted["synthetic"].all()
    assert set(res.accepted["source_id"].astype(str)) == {"synthetic"}
    assert res.accepted["station_id"].astype(str).str.startswith("SYN-").all()
    assert "合成数据" in readme.read_text(encoding="utf-8")
    cb = pd.read_excel(xlsx, sheet_name="代码表 codebook")
    assert "people_served_person_times" in set(cb["列名 column"])


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sswanalysis.cli", *args], capture_output=True,
                          text=True, encoding="utf-8", check=False)


def test_cli_ingest_summary_and_strict(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    write(d / "a.csv", f"{HEADER}\ns1,linze,2023-01,1,\ns1,linze,2023-02,-1,\n")
    write(d / "b.csv", f"{HEADER}\ns2,linze,2023-01,5,6\n")
    out = tmp_path / "out" / "acc.parquet"
    rej = tmp_path / "out" / "rej.csv"
    proc = run_cli("ingest", str(d), "--out", str(out), "--rejects", str(rej), "--max-month", MAX)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "rows_in=3 accepted=2 rejected=1"
    acc = pd.read_parquet(out)
    assert acc["value"].tolist() == [1.0, 5.0, 6.0]
    assert pd.read_csv(rej)[["row", "column"]].values.tolist() == [[3, "people_served_persons"]]
    strict = run_cli("ingest", str(d), "--out", str(out), "--strict", "--max-month", MAX)
    assert strict.returncode == 1
    assert strict.stdout.splitlines()[-1] == "rows_in=3 accepted=2 rejected=1"


def test_cli_template(tmp_path):
    proc = run_cli("template", "--out", str(tmp_path / "t"))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == [
        "README.md", "station_month_report.csv", "station_month_report.xlsx"]
    ok = run_cli("ingest", str(tmp_path / "t"), "--out", str(tmp_path / "a.parquet"), "--max-month", MAX)
    assert ok.stdout.splitlines()[-1] == "rows_in=0 accepted=0 rejected=0", ok.stderr


def test_parse_month_forms():
    assert {reports.parse_month(t)[0] for t in ["2023-02", "2023/2", "2023.02", "202302", "2023年2月",
                                                 "2023-02-01", "2023-02-01 00:00:00"]} == {2023 * 12 + 1}
    assert math.isclose(reports.parse_month("2023-12")[0] / 12, 2023 + 11 / 12)


# -- fast paths: same results as the plain ones ----------------------------------------


def test_files_read_in_parallel_read_as_one_by_one(tmp_path):
    # fast-path UTF-8, GBK, BOM, a blank row and a quoted multi-line cell (the slow paths)
    write(tmp_path / "a.csv", f"{HEADER}\ns1,linze,2023-01,1,2\ns2,linze,2023-01,3,\n")
    write(tmp_path / "b.csv", f"{HEADER}\n平川站,linze,2023-01,4,5\n", "gbk")
    write(tmp_path / "c.csv", f"{HEADER}\ns3,linze,2023-02,6,7\n", "utf-8-sig")
    write(tmp_path / "d.csv", f"{HEADER}\ns4,linze,2023-01,8,9\n\ns4,linze,2023-02,10,11\n")
    write(tmp_path / "e.csv", f'{HEADER}\ns5,linze,2023-01,"1,200",12\ns5,linze,2023-02,"a\nb",\n')
    together = read(tmp_path, max_month=MAX)
    check_counts(together)
    assert together.files["file"].tolist() == [str(tmp_path / f"{c}.csv") for c in "abcde"]
    cols = ["station_id", "month", "indicator", "unit", "value", "file", "row"]
    one_by_one = [read(tmp_path / f"{c}.csv", max_month=MAX) for c in "abcde"]
    assert together.accepted[cols].astype(str).values.tolist() == [
        r for res in one_by_one for r in res.accepted[cols].astype(str).values.tolist()]
    assert together.rejects.values.tolist() == [
        r for res in one_by_one for r in res.rejects.values.tolist()]
    assert together.files["encoding"].tolist() == ["utf-8", "gb18030", "utf-8-sig", "utf-8", "utf-8"]


def test_totals_in_blocks_match_a_groupby(tmp_path, monkeypatch):
    text = "\n".join([HEADER] + [f"s{i % 7},linze,2023-{i // 7 + 1:02d},{i}{'余' if i % 5 == 0 else ''},{i}.0"
                                 for i in range(40)]) + "\n"
    res = read(write(tmp_path / "t.csv", text), max_month=MAX)
    check_counts(res)
    assert res.rows_rejected == 0 and (res.accepted["qualifier"] == "at_least").sum() == 8
    acc = res.accepted
    keys = ["station_id", "month", "indicator", "unit"]
    want = (acc.assign(inexact=acc["qualifier"].astype(str) != "exact")
            .groupby([acc[k].astype(str) for k in keys], observed=True)
            .agg(value_sum=("value", "sum"), n=("value", "size"), n_inexact=("inexact", "sum"))
            .reset_index())
    monkeypatch.setattr(reporttable, "_TOTALS_BLOCK", 7)  # many blocks, and one block when groups are many
    for by in [("station_id", "month"), ("station_id", "month", "file", "row")]:
        got = reports.totals(acc, by=by)
        assert got["n"].sum() == len(acc) and got["n_inexact"].sum() == want["n_inexact"].sum()
    got = reports.totals(acc, by=("station_id", "month"))
    as_rows = got.astype({k: "str" for k in keys}).sort_values(keys).values.tolist()
    assert as_rows == want.sort_values(keys).values.tolist()
    # plain (not categorical) columns, and months with a gap, give the same totals
    plain = acc.astype({k: "str" for k in ["station_id", "indicator", "unit", "qualifier"]})
    gap = plain["month"].astype(str) != "2023-03"
    got_plain = reports.totals(plain[gap], by=("station_id", "month"))
    assert got_plain.astype({k: "str" for k in keys}).sort_values(keys).values.tolist() == [
        r for r in as_rows if r[1] != "2023-03"]
    # a frame read back from a pickle (its dtypes equal but distinct objects) sums alike
    again = reports.totals(pickle.loads(pickle.dumps(acc)), by=("station_id", "month"))
    assert again.astype({k: "str" for k in keys}).sort_values(keys).values.tolist() == as_rows
    assert len(reports.totals(acc.iloc[:0])) == 0
    with pytest.raises(ValueError, match="missing"):
        reports.totals(acc.assign(station_id=acc["station_id"].cat.set_categories(["s1"])),
                       by=("station_id",))

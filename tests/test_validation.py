"""The validator: silent on the shipped data, one clear fault per corruption of a copy."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sswanalysis.datapackage.validation import Fault, validate


def _rows(folder: Path, table: str) -> list[list[str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(folder: Path, table: str, rows: list[list[str]]) -> None:
    with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def set_cell(folder: Path, table: str, key: str, column: str, value: str) -> int:
    """Set one cell of the row whose first column is ``key``; return its CSV line number."""
    rows = _rows(folder, table)
    col = rows[0].index(column)
    line = next(i for i, r in enumerate(rows) if r[0] == key)
    rows[line][col] = value
    _write(folder, table, rows)
    return line + 1


def only_fault(folder: Path, **kwargs) -> Fault:
    faults = validate(folder, **kwargs)
    assert len(faults) == 1, "\n".join(map(str, faults))
    return faults[0]


def test_shipped_data_is_valid():
    assert validate() == []


def test_shipped_evidence_occurs_in_the_sources(sources_dir):
    assert validate(sources_dir=sources_dir) == []


def test_missing_file(data_copy):
    (data_copy / "units.csv").unlink()
    faults = validate(data_copy)
    assert Fault("units.csv", None, None, "file is missing (named by datapackage.json)") in faults


def test_missing_and_extra_columns(data_copy):
    rows = _rows(data_copy, "regions")
    drop = rows[0].index("name_en")
    _write(data_copy, "regions", [r[:drop] + r[drop + 1:] + ["x"] for r in rows[:1]]
           + [r[:drop] + r[drop + 1:] + ["1"] for r in rows[1:]])
    rows = _rows(data_copy, "regions")
    rows[0][-1] = "population"
    _write(data_copy, "regions", rows)
    faults = {(f.file, f.row, f.column, f.message) for f in validate(data_copy)}
    assert ("regions.csv", 1, "name_en", "column is missing") in faults
    assert ("regions.csv", 1, "population", "column is not in the schema") in faults


def test_required_cell_empty(data_copy):
    line = set_cell(data_copy, "indicators", "linze-03", "subject_en", "")
    assert only_fault(data_copy) == Fault("indicators.csv", line, "subject_en", "is empty but required")


def test_value_of_the_wrong_type(data_copy):
    line = set_cell(data_copy, "indicators", "linze-03", "value", "295人")
    fault = only_fault(data_copy)
    assert (fault.file, fault.row, fault.column) == ("indicators.csv", line, "value")
    assert "'295人' is not a number" in fault.message


def test_month_out_of_range(data_copy):
    line = set_cell(data_copy, "stations", "pingchuan", "established", "2022-13")
    fault = only_fault(data_copy)
    assert (fault.row, fault.column) == (line, "established")
    assert "is not a month" in fault.message


def test_unknown_qualifier(data_copy):
    line = set_cell(data_copy, "indicators", "ulanqab-08", "qualifier", "about")
    faults = validate(data_copy)
    assert any(f.row == line and f.column == "qualifier" and "'about' is not one of" in f.message
               for f in faults)


def test_negative_value(data_copy):
    line = set_cell(data_copy, "indicators", "linze-06", "value", "-6")
    faults = validate(data_copy)
    assert Fault("indicators.csv", line, "value", "-6 is below the minimum 0") in faults


def test_duplicate_primary_key(data_copy):
    rows = _rows(data_copy, "indicators")
    _write(data_copy, "indicators", rows + [rows[5]])
    fault = only_fault(data_copy)
    assert fault == Fault("indicators.csv", len(rows) + 1, "observation_id",
                          f"duplicate key ({rows[5][0]})")


def test_unknown_region_is_a_broken_foreign_key(data_copy):
    line = set_cell(data_copy, "facilities", "ulanqab-chess-room", "region_id", "beijing")
    fault = only_fault(data_copy)
    assert (fault.file, fault.row, fault.column) == ("facilities.csv", line, "region_id")
    assert fault.message == "region_id=beijing is not in regions (region_id)"


def test_station_in_the_wrong_region(data_copy):
    line = set_cell(data_copy, "indicators", "linze-05", "region_id", "shangrao")
    fault = only_fault(data_copy)
    assert (fault.row, fault.column) == (line, "station_id+region_id")
    assert "station_id=pingchuan, region_id=shangrao is not in stations" in fault.message


def test_unit_not_allowed_for_the_indicator(data_copy):
    line = set_cell(data_copy, "indicators", "ulanqab-10", "unit", "persons")
    assert validate(data_copy) == [
        Fault("indicators.csv", line, "unit",
              "households_visited is not reported in persons (allowed: households)"),
        Fault("indicators.csv", line, "unit_zh", "户 is not a way to write persons (units.csv: 人|名|位)"),
    ]


def test_unit_word_that_does_not_fit_the_unit(data_copy):
    # 户 (households) written against a persons figure: the harmonised unit is wrong.
    line = set_cell(data_copy, "indicators", "linze-02", "unit_zh", "户")
    faults = validate(data_copy)
    assert Fault("indicators.csv", line, "unit_zh",
                 "户 is not a way to write persons (units.csv: 人|名|位)") in faults


def test_value_high_without_a_range(data_copy):
    line = set_cell(data_copy, "indicators", "linze-02", "value_high", "200")
    faults = validate(data_copy)
    assert Fault("indicators.csv", line, "value_high",
                 "value_high is only for ranges (qualifier is exact)") in faults
    # ... and the evidence, 178人, holds no range either.
    assert [(f.row, f.column) for f in faults] == [(line, "value_high"), (line, "value")]


def test_value_that_differs_from_its_evidence(data_copy):
    line = set_cell(data_copy, "indicators", "ulanqab-08", "value", "1300")
    fault = only_fault(data_copy)
    assert (fault.file, fault.row, fault.column) == ("indicators.csv", line, "value")
    assert "stored 1300 人 (at_least)" in fault.message
    assert "'服务总人数1200余人' says 1200 人 (at_least)" in fault.message


def test_qualifier_that_differs_from_its_evidence(data_copy):
    # 余 in the evidence means "at least": storing it as exact loses that.
    line = set_cell(data_copy, "indicators", "ulanqab-10", "qualifier", "exact")
    fault = only_fault(data_copy)
    assert (fault.row, fault.column) == (line, "value")
    assert "300 户 (at_least)" in fault.message


def test_magnitude_wan_is_folded_into_the_value(data_copy):
    # 100万元 is one million yuan; a value of 100 means someone forgot the 万.
    line = set_cell(data_copy, "indicators", "ulanqab-01", "value", "100")
    fault = only_fault(data_copy)
    assert fault.row == line and "1e+06 元 (exact)" in fault.message


def test_component_count_is_checked_against_its_evidence(data_copy):
    rows = _rows(data_copy, "model_components")
    line = next(i for i, r in enumerate(rows) if r[0] == "model_1plus8" and r[1] == "2")
    rows[line][rows[0].index("count")] = "9"
    _write(data_copy, "model_components", rows)
    fault = only_fault(data_copy)
    assert (fault.file, fault.row, fault.column) == ("model_components.csv", line + 1, "count")
    assert "8 项 (exact)" in fault.message


def test_evidence_that_is_not_in_the_source(data_copy, sources_dir):
    line = set_cell(data_copy, "activities", "ulanqab-group-3", "evidence", "青少年冒险小组")
    fault = only_fault(data_copy, sources_dir=sources_dir)
    assert fault == Fault("activities.csv", line, "evidence",
                          "'青少年冒险小组' does not occur in the text of source ssw-exp-ulanqab")


def test_broken_descriptor(data_copy):
    (data_copy / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    fault = only_fault(data_copy)
    assert fault.file == "datapackage.json" and "is not valid JSON" in fault.message


def test_every_fault_is_reported_not_just_the_first(data_copy):
    set_cell(data_copy, "indicators", "linze-06", "value", "-6")
    set_cell(data_copy, "regions", "linze", "division_code", "62072")
    assert len(validate(data_copy)) == 3  # negative; bad code; -6 no longer matches its evidence


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sswanalysis.cli", "validate", *args],
                          capture_output=True, text=True, check=False)


def test_cli_exit_codes_and_messages(data_copy):
    ok = _cli()
    assert ok.returncode == 0 and "valid" in ok.stdout
    line = set_cell(data_copy, "indicators", "linze-06", "unit", "furlongs")
    bad = _cli(str(data_copy))
    assert bad.returncode == 1
    assert f"indicators.csv, row {line}, column unit: unit=furlongs is not in units (unit)" in bad.stderr
    assert bad.stderr.strip().endswith(f"fault(s) and 1 warning(s) in {data_copy}")


def test_descriptor_declares_an_evidence_check_for_every_figure_table():
    dp = json.loads((Path(__file__).parents[1] / "data" / "datapackage.json").read_text("utf-8"))
    checked = {r["name"] for r in dp["resources"] if "evidenceCheck" in r}
    assert checked == {"indicators", "targets", "model_components"}


# -- hostile descriptors and big files (issue 14) ----------------------------------------------------


@pytest.mark.parametrize("text, words", [
    (b"[1, 2]", "JSON object"),
    (b'{"resources": [{"name": "x", "path": "x.csv"}]}', "needs a 'schema'"),
    (b'{"resources": "x"}', "JSON object"),
    ('{"name": "数据"}'.encode("gbk"), "not UTF-8"),
    (b'{"resources": [{"name": "x", "schema": {"fields": [{"name": "a"}], '
     b'"foreignKeys": [{"fields": "a"}]}}]}', "foreign key"),
])
def test_bad_descriptors_are_faults_not_tracebacks(tmp_path, text, words):
    (tmp_path / "datapackage.json").write_bytes(text)
    (tmp_path / "x.csv").write_text("a\n1\n", encoding="utf-8")
    faults = validate(tmp_path)
    assert faults and words in " ".join(f.message for f in faults)
    proc = subprocess.run([sys.executable, "-m", "sswanalysis.cli", "validate", str(tmp_path)],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


def test_repeated_faults_are_capped_and_long_cells_cut(tmp_path):
    from sswanalysis.datapackage.validation import FAULTS_PER_KIND

    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [{
        "name": "x", "path": "x.csv",
        "schema": {"fields": [{"name": "a", "type": "integer"}]}}]}), encoding="utf-8")
    (tmp_path / "x.csv").write_text("a\n" + "\0" * 5000 + "\n" + ("x\n" * 500), encoding="utf-8")
    faults = validate(tmp_path)
    assert len(faults) == FAULTS_PER_KIND + 1
    assert faults[-1].message == f"… and {501 - FAULTS_PER_KIND} more faults like the {FAULTS_PER_KIND} above"
    assert max(len(str(f)) for f in faults) < 200


# -- damaged descriptors, source texts and spellings (hostile-input sweep) ---------------------------


def _damage(folder: Path, change) -> None:
    """Apply ``change(stations resource, descriptor)`` to the descriptor of a copy of the data."""
    path = folder / "datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    change(next(r for r in desc["resources"] if r["name"] == "stations"), desc)
    path.write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")


def _constraint(field: str, key: str, value):
    def change(res, _desc):
        spec = next(f for f in res["schema"]["fields"] if f["name"] == field)
        spec.setdefault("constraints", {})[key] = value
    return change


def _field(field: str, key: str, value):
    def change(res, _desc):
        next(f for f in res["schema"]["fields"] if f["name"] == field)[key] = value
    return change


def _schema(key: str, value):
    def change(res, _desc):
        res["schema"][key] = value
    return change


def _reference(resource: str, fields: str):
    def change(res, _desc):
        res["schema"]["foreignKeys"][0]["reference"] = {"resource": resource, "fields": fields}
    return change


@pytest.mark.parametrize("change, words", [
    (_constraint("role", "enum", [1, 2]), "constraints.enum must be a list of strings"),
    (_constraint("role", "enum", [None, "pilot"]), "constraints.enum must be a list of strings"),
    (_constraint("role", "enum", "pilot"), "constraints.enum must be a list of strings"),
    (_constraint("station_id", "pattern", "(["), "constraints.pattern \"([\" cannot be used (missing ]"),
    (_constraint("station_id", "pattern", 5), "constraints.pattern 5 cannot be used (it is not a string)"),
    (_constraint("station_id", "pattern", r"(a)\1"), "cannot be used"),  # RE2 has no back-references
    (_constraint("station_id", "pattern", r"\Qx"), "cannot be used"),  # compiles alone, not anchored
    (_constraint("station_id", "minimum", "abc"), "constraints.minimum must be a number"),
    (_constraint("station_id", "minimum", 0), "constraints.minimum is only for fields of type"),
    (_constraint("station_id", "maxLength", "10"), "constraints.maxLength must be a whole number"),
    (_field("station_id", "constraints", []), "'constraints' must be an object"),
    (_field("station_id", "type", "foo"), "type \"foo\" is not one of: string, integer"),
    (_field("station_id", "type", 5), "type 5 is not one of"),
    (_schema("primaryKey", 5), "'primaryKey' must be a field name or a list of field names"),
    (_schema("primaryKey", "nope"), "'primaryKey' names 'nope', which is not a field"),
    (lambda res, _d: res["schema"]["fields"].append(dict(res["schema"]["fields"][0])),
     "field 'station_id' is named twice"),
    (lambda _r, desc: desc["resources"].append(json.loads(json.dumps(_r))),
     "another resource has this name"),
    (_reference("nowhere", "region_id"), "points at resource 'nowhere', which the package does not have"),
    (_reference("regions", "nope"), "points at regions.nope, which is not a field of 'regions'"),
    (lambda res, _d: res.update(path="../../../../etc/passwd"), "leads out of the package folder"),
    (lambda res, _d: res.update(path="/etc/passwd"), "is absolute"),
])
def test_damaged_descriptor_is_a_fault_naming_the_resource_not_a_traceback(data_copy, change, words):
    _damage(data_copy, change)
    faults = [f for f in validate(data_copy) if f.file == "datapackage.json"]
    assert any(words in f.message and "resource 'stations'" in f.message for f in faults), \
        "\n".join(map(str, faults))


def test_a_pattern_that_backtracks_in_python_is_matched_in_linear_time(data_copy):
    # Python's re takes exponential time over (a+)+$ and a run of a then b; RE2 does not.
    _damage(data_copy, _constraint("station_id", "pattern", "(a+)+$"))
    line = set_cell(data_copy, "stations", "pingchuan", "station_id", "a" * 5000 + "b")
    faults = validate(data_copy)
    assert any(f.row == line and f.column == "station_id" and "does not match the pattern (a+)+$" in f.message
               for f in faults)


def test_source_file_in_gbk_is_read_by_its_encoding(data_copy, sources_dir, tmp_path):
    copy = tmp_path / "sources"
    copy.mkdir()
    for item in sources_dir.rglob("*"):
        if item.is_file():
            (copy / item.relative_to(sources_dir)).parent.mkdir(parents=True, exist_ok=True)
            (copy / item.relative_to(sources_dir)).write_bytes(item.read_bytes())
    intro = copy / "000_7164d429fb72df87.txt"
    intro.write_bytes(intro.read_text(encoding="utf-8").encode("gb18030"))
    assert validate(data_copy, sources_dir=copy) == []


def test_source_file_whose_encoding_cannot_be_established_is_a_fault(data_copy, tmp_path):
    line = set_cell(data_copy, "sources", "ssw-exp-intro", "source_file", "big5.txt")
    (tmp_path / "big5.txt").write_bytes("沙河社工站平川鄉".encode("big5"))
    faults = validate(data_copy, sources_dir=tmp_path)
    assert any(f.row == line and f.column == "source_file" and "big5.txt cannot be read: encoding cannot be "
               "established" in f.message for f in faults), "\n".join(map(str, faults))


def test_source_file_outside_the_sources_folder_is_refused(data_copy, tmp_path):
    line = set_cell(data_copy, "sources", "ssw-exp-intro", "source_file", "../../../../etc/passwd")
    faults = validate(data_copy, sources_dir=tmp_path)
    assert any(f.row == line and f.column == "source_file" and "leads out of the package folder" in f.message
               for f in faults), "\n".join(map(str, faults))


@pytest.mark.parametrize("column, value, word", [
    ("words_zh", "委托运营|政府购买", "政府购买"),
    ("label_zh", "政府购买服务", "政府购买服务"),
])
def test_a_spelling_shared_by_two_operation_codes_is_a_fault(data_copy, column, value, word):
    line = set_cell(data_copy, "station_operations", "contracted_organisation", column, value)
    fault = only_fault(data_copy)
    assert (fault.file, fault.row, fault.column) == ("station_operations.csv", line, column)
    assert fault.message.startswith(f"{word!r} is also a spelling of government_purchase (row 2)")

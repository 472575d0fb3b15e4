"""The loaders: every table loads with the dtypes its schema declares, and errors are helpful."""

import csv
import json

import pandas as pd
import pytest

import sswanalysis as ssw
from sswanalysis.datapackage.descriptor import descriptor, primary_key, shipped_data_dir

TABLES = [r["name"] for r in descriptor()["resources"]]


def _csv_rows(name: str) -> list[dict]:
    with shipped_data_dir().joinpath(f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("name", TABLES)
def test_table_loads_with_schema_columns_and_all_rows(name):
    frame = ssw.load(name)
    fields = [f["name"] for f in descriptor()["resources"][TABLES.index(name)]["schema"]["fields"]]
    assert list(frame.columns) == fields
    assert len(frame) == len(_csv_rows(name)) > 0
    key = primary_key(descriptor()["resources"][TABLES.index(name)])
    assert not frame.duplicated(subset=key).any()


@pytest.mark.parametrize("name", TABLES)
def test_dtypes_follow_the_schema(name):
    frame = ssw.load(name)
    book = ssw.codebook(name)
    for column, dtype in book["dtype"].items():
        assert str(frame[column].dtype) == dtype, column


def test_real_dtypes_of_the_indicators_table():
    ind = ssw.load("indicators")
    assert isinstance(ind["indicator"].dtype, pd.CategoricalDtype)
    assert set(ind["indicator"].cat.categories) == set(ssw.load("indicator_codes")["indicator"])
    assert ind["value"].dtype == "Float64"
    assert pd.api.types.is_string_dtype(ind["as_of"])  # ISO dates of any precision: 2019, 2022-12, 2023-01-17
    assert pd.api.types.is_string_dtype(ind["evidence"])
    assert ind["station_id"].isna().sum() == (ind["region_id"] != "linze").sum() + 1  # linze-01 is regional


def test_missing_values_stay_missing_and_counts_are_nullable_integers():
    comp = ssw.load("model_components")
    assert comp["count"].dtype == "Int64"
    row = comp[(comp.model_id == "model_1231") & (comp.component_no == 2)].iloc[0]
    assert row["count"] == 2 and row["measure_word"] == "个"
    assert comp.loc[comp.model_id == "five_society_linkage", "count"].isna().all()


def test_months_and_booleans_are_typed():
    stations = ssw.load("stations").set_index("station_id")
    assert stations.loc["pingchuan", "established"] == pd.Period("2022-04", freq="M")
    assert pd.isna(stations.loc["shahe", "established"])
    assert ssw.load("funding")["in_kind"].dtype == "boolean"


def test_shipped_tables_are_read_once_but_each_caller_gets_its_own_copy():
    first = ssw.load("indicators")
    first.loc[0, "value"] = -1.0
    del first["evidence"]
    again = ssw.load("indicators")
    assert again.loc[0, "value"] != -1.0 and "evidence" in again.columns


def test_unknown_table_lists_the_valid_names():
    with pytest.raises(KeyError) as info:
        ssw.load("station")
    message = str(info.value)
    assert "'station'" in message
    for name in TABLES:
        assert name in message


def test_tables_lists_every_resource_with_a_chinese_title_and_a_description():
    t = ssw.tables()
    assert list(t.index) == TABLES
    assert list(t.columns) == ["title_zh", "title_en", "description"]
    assert t["description"].str.len().min() > 20
    assert t["title_zh"].str.contains(r"[\u4e00-\u9fff]").all()  # every table has its Chinese title


def test_codebook_is_read_from_the_descriptor():
    res = next(r for r in descriptor()["resources"] if r["name"] == "indicators")
    book = ssw.codebook("indicators")
    for field in res["schema"]["fields"]:
        assert book.loc[field["name"], "description"] == field["description"]
    assert book.loc["qualifier", "values"] == "exact, at_least, at_most, approx, range"
    assert book.loc["region_id", "values"] == "regions.region_id"
    assert bool(book.loc["observation_id", "required"]) is True


def test_load_reads_another_data_package_folder(data_copy):
    rows = (data_copy / "regions.csv").read_text(encoding="utf-8").splitlines()
    (data_copy / "regions.csv").write_text("\n".join(rows[:2]) + "\n", encoding="utf-8")
    assert ssw.load("regions", data_dir=data_copy)["region_id"].tolist() == ["ulanqab"]
    assert len(ssw.load("regions", collection="cases")) == 3


def test_descriptor_is_json_with_one_csv_per_resource():
    dp = json.loads(shipped_data_dir().joinpath("datapackage.json").read_text(encoding="utf-8"))
    names = {r["path"] for r in dp["resources"]}
    on_disk = {p.name for p in shipped_data_dir().iterdir() if p.name.endswith(".csv")}
    assert names == on_disk


def test_readme_lists_every_table_in_order():
    import re
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z_]+)` \|", readme, flags=re.M)
    assert listed == TABLES


def test_loading_a_faulty_table_names_file_row_and_column(data_copy):
    rows = (data_copy / "indicators.csv").read_text(encoding="utf-8").splitlines()
    rows[3] = rows[3].replace(",15,,exact,", ",fifteen,,exact,")
    (data_copy / "indicators.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(ValueError) as info:
        ssw.load("indicators", data_dir=data_copy)
    assert "indicators.csv, row 4, column value: 'fifteen' is not a number" in str(info.value)

"""The context data: provenance, source files, region hierarchy, conflicts, targets, collections."""

import shutil

import pytest

import sswanalysis as ssw
from sswanalysis.datapackage.conflicts import conflicts, prefer_by_grade
from sswanalysis.datapackage.hierarchy import ancestor_at, ancestors
from sswanalysis.datapackage.sourcefiles import read_source
from sswanalysis.datapackage.validation import Fault, validate
from tests.test_validation import only_fault, set_cell


def test_hunan_conflict_is_a_warning_not_a_fault(sources_dir):
    found = validate(sources_dir=sources_dir, warnings=True)
    assert [f for f in found if f.severity == "error"] == []
    (warning,) = [f for f in found if f.severity == "warning"]
    assert (warning.file, warning.column) == ("indicators.csv", "value")
    assert "hunan-02" in warning.message and "hunan-01" in warning.message
    assert "1938" in warning.message and "1940" in warning.message


def test_cli_shows_the_warning_and_passes(sources_dir, capsys):
    from sswanalysis.cli import main

    assert main(["validate", "--sources", str(sources_dir)]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "the shipped data: valid, with 1 warning(s)"
    assert err.startswith("warning: indicators.csv, row ")


def test_a_new_conflict_is_found(data_copy):
    # Same indicator, region and month as national-14 (29,000 in 2023-01-17), another value.
    set_cell(data_copy, "indicators", "national-17", "value", "28000")
    warnings = [f for f in validate(data_copy, warnings=True) if f.severity == "warning"]
    assert len(warnings) == 2  # Hunan, and the new one
    assert any("national-17" in f.message and "national-14" in f.message for f in warnings)


def test_figures_that_come_in_parts_do_not_conflict():
    ind, codes = ssw.load("indicators"), ssw.load("indicator_codes")
    guangxi_funds = ind[(ind.region_id == "guangxi") & (ind.indicator == "funding_cny")]
    assert len(guangxi_funds) == 2  # lottery money and purchase-of-service money, same date
    pairs = conflicts(ind, codes)
    assert [(ind.observation_id[i], ind.observation_id[j]) for i, j in pairs] == [("hunan-01", "hunan-02")]


def test_prefer_by_grade_drops_the_less_reliable_side():
    ind, src, codes = ssw.load("indicators"), ssw.load("sources"), ssw.load("indicator_codes")
    src = src.copy()
    src.loc[src.source_id == "hunan-he-plan-1938-scholarmate", "grade"] = "official_press"
    kept = prefer_by_grade(ind, src, codes)
    assert len(kept) == len(ind) - 1
    assert "hunan-01" not in set(kept.observation_id) and "hunan-02" in set(kept.observation_id)
    # an original outranks a mirror of the same grade
    src.loc[src.source_id == "hunan-he-plan-1938-scholarmate", ["grade", "mirror"]] = ["other_media", False]
    assert "hunan-01" not in set(prefer_by_grade(ind, src, codes).observation_id)


def test_evidence_must_come_from_the_body_not_the_header(data_copy, sources_dir):
    # The header of file 01 summarises "1.2万余个 stations"; only the body may be evidence.
    line = set_cell(data_copy, "indicators", "national-01", "evidence", "1.2万余个 stations")
    fault = only_fault(data_copy, sources_dir=sources_dir)
    assert (fault.file, fault.row, fault.column) == ("indicators.csv", line, "evidence")


def test_traditional_evidence_is_checked_as_stored(data_copy, sources_dir):
    # Simplified characters, or the pinyin taken out, do not occur in the stored text.
    line = set_cell(data_copy, "indicators", "national-06", "evidence", "已建成乡镇(街道)社工站1.7万余个")
    fault = only_fault(data_copy, sources_dir=sources_dir)
    assert (fault.row, fault.column) == (line, "evidence")
    assert "does not occur in the text of source mca-2021-12-q4-meeting-zgshb" in fault.message


def test_each_span_is_checked_against_its_own_source(data_copy, sources_dir):
    # national-15's words are in file 04 and in file 06; cited to file 02 they are not found.
    line = set_cell(data_copy, "indicators", "national-15", "source_id", "mca-2021-12-q4-meeting-zgshb")
    fault = only_fault(data_copy, sources_dir=sources_dir)
    assert (fault.row, fault.column) == (line, "evidence")


def test_header_provenance_must_agree_with_sources_csv(data_copy, sources_dir):
    line = set_cell(data_copy, "sources", "hunan-he-plan-1940-jxxfw", "grade", "official_press")
    fault = only_fault(data_copy, sources_dir=sources_dir)
    assert fault == Fault("sources.csv", line, "grade",
                          "is 'official_press' but the header of "
                          "context/10-hunan-he-plan-1940-jxxfw.txt says 'other_media'")


def test_missing_source_file_is_named(data_copy, sources_dir, tmp_path):
    copy = tmp_path / "sources"
    shutil.copytree(sources_dir, copy)
    (copy / "context" / "22-gd-jieyang-2019-lottery-fund.txt").unlink()
    faults = validate(data_copy, sources_dir=copy)
    assert len(faults) == 1 and faults[0].column == "source_file"
    assert "22-gd-jieyang-2019-lottery-fund.txt does not exist" in faults[0].message


def test_a_date_and_how_it_is_known_go_together(data_copy):
    line = set_cell(data_copy, "indicators", "national-05", "as_of_basis", "")
    assert only_fault(data_copy) == Fault(
        "indicators.csv", line, "as_of_basis", "is empty but as_of is filled: fill both or neither")


def test_dates_carry_their_precision(data_copy):
    line = set_cell(data_copy, "sources", "cctv-2021-11-mca-stations-xdkb", "published", "2021-11-6")
    fault = only_fault(data_copy)
    assert (fault.file, fault.row, fault.column) == ("sources.csv", line, "published")


def test_parent_must_be_a_level_above(data_copy):
    line = set_cell(data_copy, "regions", "zhongning", "parent_id", "jinhua")
    assert only_fault(data_copy).message == "640521 does not start with 3307, the code of its parent jinhua"
    set_cell(data_copy, "regions", "zhongning", "parent_id", "linze")
    assert only_fault(data_copy) == Fault("regions.csv", line, "parent_id",
                                          "linze (county) is not above zhongning (county)")


def test_an_english_figure_is_checked_without_a_measure_word(data_copy):
    # The CDB figures have no unit_zh; their value and qualifier are still checked.
    line = set_cell(data_copy, "indicators", "national-13", "value", "65")
    fault = only_fault(data_copy)
    assert (fault.row, fault.column) == (line, "value")


def test_targets_are_checked_against_their_evidence(data_copy):
    line = set_cell(data_copy, "targets", "zhangye-2023", "value", "85")
    fault = only_fault(data_copy)
    assert (fault.file, fault.row, fault.column) == ("targets.csv", line, "value")


def test_coverage_rates_store_no_unstated_denominator():
    """A coverage figure's only companion count is one the same source states (Langfang, Zhangye)."""
    ind = ssw.load("indicators")
    cov_sources = set(ind.loc[ind.indicator == "coverage_rate", "source_id"])
    townships = ind[ind.indicator == "townships_count"]
    assert set(townships.source_id) & cov_sources == {"hb-langfang-2023-07-hebtv"}
    national = ind[ind.region_id == "china"]
    assert "townships_count" not in set(national.indicator)


def test_every_context_source_is_graded_and_dated_honestly():
    src = ssw.load("sources", collection="context")
    assert len(src) == 23
    assert src["grade"].notna().all() and src["stored_url"].str.startswith("http").all()
    dated = src[src.published.notna()]
    assert dated["published_inferred"].notna().all()
    assert src.loc[src.published.isna(), "published_inferred"].isna().all()


def test_collections_split_the_tables():
    cases = ssw.load("indicators", collection="cases")
    context = ssw.load("indicators", collection="context")
    assert len(cases) + len(context) == len(ssw.load("indicators"))
    assert set(cases.region_id) == {"ulanqab", "linze", "shangrao"}
    assert list(cases.region_id.cat.categories) == ["ulanqab", "linze", "shangrao"]
    assert len(ssw.load("units", collection="cases")) == len(ssw.load("units"))
    with pytest.raises(ValueError, match="no collection 'case'; the collections are: cases"):
        ssw.load("indicators", collection="case")


def test_region_hierarchy():
    regions = ssw.load("regions")
    assert ancestors(regions, "zhongning") == ["zhongning", "zhongwei", "ningxia", "china"]
    provinces = ancestor_at(regions, "province")
    assert provinces["ulanqab"] == "inner_mongolia" and provinces["shangrao"] == "jiangxi"
    with pytest.raises(KeyError, match="no region 'atlantis'"):
        ancestors(regions, "atlantis")
    loop = regions.copy()
    loop["parent_id"] = loop["parent_id"].astype("object")
    loop.loc[loop.region_id == "china", "parent_id"] = "zhongning"
    with pytest.raises(ValueError, match="loop"):
        ancestors(loop, "zhongning")


def test_read_source_splits_the_header(sources_dir):
    text = read_source(sources_dir / "context" / "09-lei-yi-zhang-2022-he-plan-jizihe.txt")
    assert text.header["grade"] == "academic" and text.header["mirror"] == "yes"
    assert "533 594人" in text.body and "source_id:" not in text.body


def test_operating_models_of_programmes_point_at_the_typology():
    models = ssw.load("operating_models")
    assert models.set_index("operating_model")["label_zh"].to_dict() == {
        "direct_hire": "直聘模式", "outsourced": "外包模式", "mixed": "混合模式"}
    pm = ssw.load("programme_models")
    stated = pm[pm.basis == "stated"]
    assert set(stated.source_id) == {"han-han-zhang-typology-fx361"}
    stated_model = dict(zip(stated.programme_id, stated.operating_model, strict=True))
    assert stated_model["hunan_he_plan"] == "outsourced"


def test_targets_are_not_achievements():
    targets = ssw.load("targets")
    assert {"seed-14fyp", "zhangye-2023", "zhejiang-2020", "mca-2020-changsha"} <= set(targets.target_id)
    ind = ssw.load("indicators")
    # Zhejiang's 300 and Zhangye's 80 % are plans: no indicator row holds them
    assert not ((ind.region_id == "zhejiang") & (ind.indicator == "stations_count")).any()
    assert not ((ind.region_id == "zhangye") & (ind.indicator == "coverage_rate")).any()
    no_number = targets[targets.value.isna()]
    assert no_number.qualifier.isna().all() and (no_number.deadline_basis == "interpreted").all()


def test_loaded_regions_have_codes_only_where_known():
    regions = ssw.load("regions")
    assert regions.loc[regions.region_id == "china", "division_code"].isna().all()
    assert regions.division_code.notna().sum() == len(regions) - 1


def test_units_as_written_occur_in_traditional_evidence(data_copy):
    # national-06 is stored as 个 (simplified); its evidence writes 個 -- accepted.
    ind = ssw.load("indicators", collection="context")
    row = ind[ind.observation_id == "national-06"].iloc[0]
    assert (row.unit_zh, "個" in row.evidence, "个" in row.evidence) == ("个", True, False)
    # but a unit written in neither script is a fault
    line = set_cell(data_copy, "indicators", "national-06", "unit_zh", "家")
    faults = [f for f in validate(data_copy) if f.column == "unit_zh"]
    assert [(f.row, f.file) for f in faults] == [(line, "indicators.csv")]

"""The checkable rules of docs/data-review.md: the shipped data keep them, and each catches its mistake.

Each mistake below is one the data once held (issue 8), put back into a copy of the Data
Package; the validator must name the file, row and column.
"""

import csv
from pathlib import Path

import pandas as pd
import pytest

import sswanalysis as ssw
from sswanalysis.datapackage.review import PERIOD_WORDS, paragraphs, unspecified_count
from sswanalysis.datapackage.validation import validate

ARTICLE = "000_7164d429fb72df87.txt"


def _edit(folder: Path, table: str, key: tuple[str, str], **changes: str) -> int:
    """Change cells of the row whose ``key[0]`` is ``key[1]``; return its CSV line number."""
    path = folder / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    index = next(i for i, r in enumerate(rows) if r[key[0]] == key[1])
    rows[index].update(changes)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return index + 2


def _review_faults(folder: Path, sources_dir: Path | None = None) -> list[tuple]:
    return [(f.file, f.row, f.column) for f in validate(folder, sources_dir=sources_dir)]


def test_shipped_data_keep_every_rule(sources_dir):
    assert validate(sources_dir=sources_dir) == []


def test_every_unit_as_written_occurs_in_its_evidence():
    ind = ssw.load("indicators")
    for unit_zh, evidence in zip(ind["unit_zh"], ind["evidence"], strict=True):
        assert unit_zh in evidence, (unit_zh, evidence)


def test_a_unit_not_in_the_evidence_is_a_fault(data_copy):
    # 孵化社区社会组织链3个 written as if it were 3 organisations (家)
    row = _edit(data_copy, "indicators", ("observation_id", "linze-08"),
                indicator="incubated_organisations", unit="organisations", unit_zh="家")
    faults = validate(data_copy)
    assert ("indicators.csv", row, "unit_zh") in [(f.file, f.row, f.column) for f in faults]
    assert any("does not occur in the evidence" in f.message for f in faults)


def test_one_batch_is_never_an_exact_one(data_copy):
    comp = ssw.load("model_components")
    for r in comp.itertuples(index=False):
        if unspecified_count(r.evidence):
            assert pd.isna(r.count) or r.count != 1 or r.count_qualifier != "exact"
    path = data_copy / "model_components.csv"
    text = path.read_text(encoding="utf-8")
    bad = text.replace("孵化的社区社会组织,incubated community organisations,,,批",
                       "孵化的社区社会组织,incubated community organisations,1,exact,批")
    assert bad != text
    path.write_text(bad, encoding="utf-8")
    faults = validate(data_copy)
    assert any(f.file == "model_components.csv" and f.column == "count" and "一批" in f.message
               for f in faults)


@pytest.mark.parametrize("words", ["一批", "一些", "若干", "多个"])
def test_unspecified_count_words(words):
    assert unspecified_count(f"孵化{words}社区社会组织") == words


def test_numbers_with_many_are_not_unspecified():
    assert unspecified_count("孵化20多个组织") is None  # 20多 is a figure with a qualifier


def test_a_period_the_source_does_not_state_is_a_fault(data_copy, sources_dir):
    # the pilot fund was stored as one_off; nothing in the source says so
    row = _edit(data_copy, "indicators", ("observation_id", "ulanqab-01"), period="one_off")
    assert ("indicators.csv", row, "period") in _review_faults(data_copy, sources_dir)
    # key service targets have no period in the source: "cumulative to date" is not backed
    row = _edit(data_copy, "indicators", ("observation_id", "linze-02"), period="cumulative_to_date")
    assert ("indicators.csv", row, "period") in _review_faults(data_copy, sources_dir)


def test_every_stated_period_is_backed_in_its_paragraph(sources_dir):
    paras = paragraphs((sources_dir / ARTICLE).read_text(encoding="utf-8"))
    for r in ssw.load("indicators").itertuples(index=False):
        words = PERIOD_WORDS.get(str(r.period))
        if words is None:
            assert r.period == "not_stated", r.observation_id
            continue
        para = next(p for p in paras if r.evidence in p)
        assert any(w in para[: para.index(r.evidence)] + r.evidence for w in words), r.observation_id


def test_paragraphs_join_page_breaks_inside_a_sentence(sources_dir):
    paras = paragraphs((sources_dir / ARTICLE).read_text(encoding="utf-8"))
    assert any(p.startswith("项目启动后") and "开展入户需求调查12次" in p for p in paras)


def test_a_document_level_the_source_does_not_state_is_a_fault(data_copy):
    row = _edit(data_copy, "documents", ("document_id", "government-work-report-2021"), level="national")
    assert ("documents.csv", row, "level") in _review_faults(data_copy)


def test_a_stated_feature_needs_its_words_in_the_evidence(data_copy):
    row = _edit(data_copy, "model_features", ("evidence", "一支红色社工队伍"), basis="stated")
    assert ("model_features.csv", row, "basis") in _review_faults(data_copy)


def test_interpreted_features_are_the_ones_without_their_words():
    mf = ssw.load("model_features")
    interpreted = mf[mf["basis"] == "interpreted"]
    assert set(zip(interpreted["model_id"], interpreted["feature"], strict=True)) == {
        ("model_1231", "party_building_lead"), ("five_society_linkage", "resource_linking")}


def test_no_station_operation_difference_the_source_does_not_report():
    assert set(ssw.load("stations")["operation"]) == {"contracted_organisation"}


def test_shangrao_year_is_not_borrowed_from_linze():
    src = ssw.load("sources").set_index("source_id")
    assert src.loc["ssw-exp-shangrao", "published"] is None or str(
        src.loc["ssw-exp-shangrao", "published"]) in ("<NA>", "nan")
    assert "this year" not in str(src.loc["ssw-exp-ulanqab", "note"])

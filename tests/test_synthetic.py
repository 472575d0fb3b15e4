"""The synthetic national panel: marked synthetic, known effects recoverable, ingestible, comparable."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sswanalysis.monthly import ingest as reports
from sswanalysis.monthly.synthetic import EFFECTS, national_panel, write_report_files


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return national_panel(4000, 12, seed=7)


def test_every_row_is_marked_synthetic(panel):
    assert len(panel) == 4000 * 12
    assert panel["station_id"].astype(str).str.startswith("SYN-").all()
    assert panel["synthetic"].all()
    assert not panel.duplicated(["station_id", "month"]).any()


def test_model_multiplier_is_recovered(panel):
    # Station means vary by staffing (CV ~0.5) and a gamma(8) station effect (CV ~0.35):
    # CV of a station's mean ~0.6, so with 2,400 and 1,600 stations the log ratio of the
    # two model means has SE ~0.6 * sqrt(1/2400 + 1/1600) ~ 0.019. 8% is ~4 SE.
    means = panel.groupby("service_model", observed=True)["people_served_persons"].mean()
    want = (EFFECTS["model_multiplier"]["contracted_organisation"]
            / EFFECTS["model_multiplier"]["government_purchase"])
    got = means["contracted_organisation"] / means["government_purchase"]
    assert abs(got / want - 1) < 0.08, got


def test_staffing_effect_is_recovered(panel):
    # persons ~ Poisson(40 x workers x model x season x station effect): the rate per
    # expected unit is 40 x mean station effect (mean 1, SE 0.35/sqrt(4000) ~ 0.6%).
    mult = panel["service_model"].astype(str).map(EFFECTS["model_multiplier"]).astype(float)
    season = np.where(panel["month"].astype(str).str.endswith("-02"), EFFECTS["february"], 1.0)
    exposure = panel["resident_social_workers"] * mult * season
    rate = panel["people_served_persons"].sum() / exposure.sum()
    assert abs(rate / EFFECTS["persons_per_worker"] - 1) < 0.03, rate
    # and people served per worker does not depend on staffing
    per_worker = (panel["people_served_persons"] / panel["resident_social_workers"]).groupby(
        panel["resident_social_workers"].clip(upper=4)).mean()
    assert per_worker.max() / per_worker.min() < 1.1, per_worker


def test_persons_and_person_times_differ(panel):
    ratio = panel["people_served_person_times"].sum() / panel["people_served_persons"].sum()
    assert abs(ratio - EFFECTS["times_per_person"]) < 0.1


def test_same_seed_same_panel():
    assert national_panel(30, 2, seed=5).equals(national_panel(30, 2, seed=5))
    assert not national_panel(30, 2, seed=5).equals(national_panel(30, 2, seed=6))


def test_mixed_format_files_ingest_without_loss(tmp_path):
    small = national_panel(200, 4, seed=11)
    files = write_report_files(small, tmp_path, formats=("csv", "xlsx", "parquet", "csv-gbk"),
                               headers="zh")
    assert {f.suffix for f in files} == {".csv", ".xlsx", ".parquet"}
    res = reports.read(tmp_path, max_month="2099-12")
    assert (res.rows_in, res.rows_accepted, res.rows_rejected) == (800, 800, 0)
    assert set(res.files["encoding"]) >= {"utf-8", "gb18030"}
    acc = res.accepted
    assert acc["synthetic"].all() and set(acc["source_id"].astype(str)) == {"synthetic"}
    persons = acc[(acc["indicator"] == "people_served") & (acc["unit"] == "persons")]
    assert persons["value"].sum() == small["people_served_persons"].sum()
    money = acc[acc["indicator"] == "linked_resources_cny"]["value"].sum()
    assert money == small["linked_resources_cny"].sum()


def test_totals_per_province_month_match_the_panel(tmp_path):
    small = national_panel(300, 3, seed=2)
    write_report_files(small, tmp_path)
    res = reports.read(tmp_path, max_month="2099-12")
    tot = reports.totals(res.accepted)
    hv = tot[tot["indicator"] == "households_visited"]
    got = hv.groupby(hv["province"].astype(str))["value_sum"].sum().to_dict()
    want = small.groupby(small["province"].astype(str))["households_visited"].sum().to_dict()
    assert got == {k: float(v) for k, v in want.items()}
    assert hv["n"].sum() == 300 * 3


def test_comparison_functions_run_unchanged_on_an_ingested_province(tmp_path):
    from sswanalysis import analysis
    small = national_panel(400, 6, seed=3)
    province = small[small["region_id"] == "gansu"].copy()
    # a few figures written as reports write them
    province["people_served_persons"] = province["people_served_persons"].astype(str)
    province.iloc[0, province.columns.get_loc("people_served_persons")] = "100余"
    write_report_files(province, tmp_path, formats=("xlsx",), headers="zh")
    res = reports.read(tmp_path, max_month="2099-12")
    assert res.rows_rejected == 0
    acc = res.accepted
    persons = acc[(acc["indicator"] == "people_served") & (acc["unit"] == "persons")]
    agg = analysis.aggregate(persons, ["region_id", "month"])
    assert len(agg) == 6
    first = agg.iloc[0]
    want = float(pd.to_numeric(province.loc[province["month"] == "2021-01", "people_served_persons"]
                               .str.replace("余", "")).sum())
    assert first["value"] == want and first["qualifier"] == "at_least"
    with pytest.raises(analysis.UnitMixError):
        analysis.aggregate(acc[acc["indicator"] == "people_served"], ["region_id", "month"])
    assert len(analysis.tidy(acc)) == len(acc)
    bounds = analysis.with_bounds(acc)
    assert (bounds["low"] <= bounds["high"]).all()


def test_coverage_and_service_output_run_unchanged_on_an_ingested_province(tmp_path):
    from sswanalysis import analysis

    small = national_panel(200, 4, seed=5)
    province = small[small["region_id"] == small["region_id"].iloc[0]]
    write_report_files(province, tmp_path, formats=("csv",))
    acc = reports.read(tmp_path, max_month="2099-12").accepted
    stations = sorted(province["station_id"].astype(str).unique())
    counts = analysis.coverage_matrix(acc, stations, values="n")
    # every station files one households_visited figure a month: 4 months each
    assert counts.loc["households_visited"].tolist() == [4] * len(stations)
    out = analysis.service_output(acc, indicators_kept=["households_visited"])
    assert len(out) == 4 * len(stations)
    assert out["per_station"].sum() == float(province["households_visited"].sum())

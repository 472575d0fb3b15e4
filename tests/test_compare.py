"""Comparison, statistics and scenario functions, against hand-computed numbers."""

import math

import pandas as pd
import pytest

import sswanalysis as ssw
from sswanalysis import analysis
from sswanalysis.analysis import scenarios, stats


def frame(rows):
    cols = ["region_id", "station_id", "indicator", "method", "value", "value_high", "qualifier",
            "unit", "period"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])


@pytest.fixture(scope="module")
def ind():
    return ssw.load("indicators")


def test_bounds_follow_rounding_place():
    assert analysis.bounds(1200, "at_least") == (1200.0, 1300.0)  # 1200余 -> next hundred
    assert analysis.bounds(900, "at_least") == (900.0, 1000.0)
    assert analysis.bounds(10, "at_least") == (10.0, 20.0)  # 十余
    assert analysis.bounds(300, "at_most") == (200.0, 300.0)
    assert analysis.bounds(300, "approx") == (250.0, 350.0)
    assert analysis.bounds(1200, "at_least", rel_width=0.1) == (1200.0, 1320.0)
    with pytest.raises(ValueError):
        analysis.bounds(1, "range")


def test_format_value_keeps_qualifier():
    assert analysis.format_value(1200, "at_least", unit="persons") == "≥1,200 人"
    assert analysis.format_value(300, "at_most", unit="households") == "≤300 户"
    assert analysis.format_value(100, "approx") == "≈100"


def test_aggregate_refuses_persons_plus_person_times(ind):
    served = ind[(ind["region_id"] == "ulanqab") & (ind["indicator"] == "people_served")]
    assert sorted(served["unit"].astype(str)) == ["person_times", "persons"]
    with pytest.raises(analysis.UnitMixError):
        analysis.aggregate(served, "region_id")


def test_aggregate_sums_intervals_and_qualifiers():
    f = frame([
        ("r", None, "x", None, 1200.0, None, "at_least", "persons", "cumulative_to_date"),
        ("r", None, "x", None, 900.0, None, "at_least", "persons", "cumulative_to_date"),
        ("r", None, "x", None, 5.0, None, "exact", "persons", "cumulative_to_date"),
        ("s", None, "x", None, 300.0, None, "at_most", "persons", "cumulative_to_date"),
        ("s", None, "x", None, 1200.0, None, "at_least", "persons", "cumulative_to_date"),
    ])
    a = analysis.aggregate(f, "region_id").set_index("region_id")
    # r: [1200,1300] + [900,1000] + [5,5] = [2105, 2305], still "more than"
    assert (a.loc["r", "low"], a.loc["r", "high"], a.loc["r", "qualifier"]) == (2105, 2305, "at_least")
    assert a.loc["r", "text"] == "≥2,105 人"
    # s: [200,300] + [1200,1300] leans both ways -> a range [1400, 1600]
    assert (a.loc["s", "low"], a.loc["s", "high"], a.loc["s", "qualifier"]) == (1400, 1600, "range")
    assert a.loc["s", "text"] == "1,400–1,600 人"


def test_coverage_marks_not_reported(ind):
    order = analysis.places(ssw.load("regions"), ssw.load("stations"))
    cov = analysis.coverage(ind, order).set_index(["indicator", "place"])
    assert cov.loc[("case_services", "pingchuan"), "text"] == "60 人次"
    assert cov.loc[("case_services", "shahe"), "n"] == 0
    assert cov.loc[("case_services", "shahe"), "text"] == "—"
    assert cov.loc[("people_served", "ulanqab"), "text"] == "≥1,200 人; ≥100 人次"


def test_feature_matrix_from_shipped_tables():
    fm = analysis.feature_matrix(ssw.load("model_features"), ssw.load("models"))
    assert fm.loc["model_1231", "party_building_lead"]
    assert not fm.loc["five_society_linkage", "party_building_lead"]
    assert fm["government_purchase"].sum() == 3
    assert fm.shape == (5, 12)


def test_funding_per_station(ind):
    ft = analysis.funding_table(ind, ssw.load("funding"), ssw.load("funding_stations"))
    ft = ft.set_index("observation_id")
    # by default Ulanqab's pilot-project money has no per-station figure: the source never
    # ties it to the stations; Linze: 300,000 / 2 stations (stated)
    assert math.isnan(ft.loc["ulanqab-01", "per_station_cny"])
    assert ft.loc["ulanqab-01", "basis"] == "unknown"
    assert ft.loc["linze-01", "per_station_wan"] == 15
    assert ft.loc["linze-01", "basis"] == "stated"
    # the all-stations split is a scenario, asked for by name
    scen = analysis.funding_table(ind, ssw.load("funding"), ssw.load("funding_stations"),
                                  assume_covers_all_stations=True).set_index("observation_id")
    assert scen.loc["ulanqab-01", "per_station_cny"] == 100_000
    assert scen.loc["ulanqab-01", "basis"] == "assumed"
    ft2 = analysis.funding_table(ind, ssw.load("funding"), ssw.load("funding_stations"),
                                stations_covered={"ulanqab-01": 4})
    assert ft2.set_index("observation_id").loc["ulanqab-01", "per_station_cny"] == 250_000


def test_service_output_per_station_month(ind):
    out = analysis.service_output(ind, {"ulanqab": 12, "pingchuan": 6}, analysis.station_counts(ind))
    row = out[out["observation_id"] == "ulanqab-08"].iloc[0]  # 1200余人, 10 stations, 12 months
    assert (row["per_station_low"], row["per_station_high"]) == (120, 130)
    assert row["pm_low"] == 1200 / 120 and math.isclose(row["pm_high"], 1300 / 120)
    ping = out[out["observation_id"] == "linze-07"].iloc[0]  # 4 community activities, 6 months
    assert math.isclose(ping["pm"], 4 / 6)
    targets = out[out["observation_id"] == "linze-02"].iloc[0]  # a stock: no per-month figure
    assert math.isnan(targets["pm"])


def test_months_band_gives_an_interval_without_a_point(ind):
    # Pingchuan's 4 community activities over 0.5-8 months; Ulanqab's 8 over 10 stations x 1-24
    out = analysis.service_output(ind, {"ulanqab": (1, 24), "pingchuan": (0.5, 8)},
                                  analysis.station_counts(ind)).set_index("observation_id")
    ping, ulan = out.loc["linze-07"], out.loc["ulanqab-13"]
    assert math.isnan(ping["pm"]) and math.isnan(ulan["pm"])
    assert (ping["pm_low"], ping["pm_high"]) == (4 / 8, 4 / 0.5)
    assert (ulan["pm_low"], ulan["pm_high"]) == (8 / 240, 8 / 10)
    ci = stats.poisson_ci(ind, {"ulanqab": (1, 24), "pingchuan": (0.5, 8)},
                          analysis.station_counts(ind)).set_index("observation_id")
    # the envelope: lower limit at the longest exposure, upper at the shortest
    assert math.isclose(ci.loc["linze-07", "rate_lo"], stats.rate_ci(4, 4, 8)[0])
    assert math.isclose(ci.loc["linze-07", "rate_hi"], stats.rate_ci(4, 4, 0.5)[1])
    with pytest.raises(ValueError, match="band"):
        stats.rate_ratios(ci.reset_index(), [("community_events", "pingchuan", "ulanqab")])


def test_default_months_band_does_not_fix_the_direction_of_the_ratio(ind):
    # over the default band the Pingchuan/Ulanqab ratio of community activities runs from
    # below 1 to far above it: the direction itself rests on the assumed months
    lo1, hi1 = analysis.MONTHS_BAND["pingchuan"]
    lo2, hi2 = analysis.MONTHS_BAND["ulanqab"]
    smallest, largest = (4 / hi1) / (8 / (10 * lo2)), (4 / lo1) / (8 / (10 * hi2))
    assert smallest < 1 < largest


def test_project_figures_are_not_divided_over_stations(ind):
    # Ulanqab's trainings of station staff and household surveys were counted "项目启动后"
    out = analysis.service_output(ind, analysis.MONTHS_BAND, analysis.station_counts(ind))
    project = out[out["observation_id"].isin(["ulanqab-05", "ulanqab-07"])]
    assert len(project) == 2
    assert project[["per_station", "pm_low", "pm_high"]].isna().all().all()
    assert project["text"].tolist() == ["47 场", "12 次"]  # the source's own unit words


def test_exposure_from_report_months():
    f = frame([("r", "a", "x", None, 3.0, None, "exact", "sessions", "month")] * 2)
    f["month"] = ["2024-01", "2024-02"]
    assert analysis.exposure(f).tolist() == [1.0, 1.0]


def test_exact_poisson_ci_matches_chi_square_formula():
    from scipy.stats import chi2

    # exact central CI for k events: [chi2(a/2, 2k)/2, chi2(1-a/2, 2k+2)/2]
    for k, e in ((8, 120.0), (4, 6.0), (60, 6.0)):
        lo, hi = stats.rate_ci(k, k, e)
        assert math.isclose(lo, chi2.ppf(0.025, 2 * k) / 2 / e, rel_tol=1e-9)
        assert math.isclose(hi, chi2.ppf(0.975, 2 * k + 2) / 2 / e, rel_tol=1e-9)
    lo, hi = stats.rate_ci(1200, 1300)  # interval figure: widest envelope
    assert math.isclose(lo, chi2.ppf(0.025, 2400) / 2) and math.isclose(hi, chi2.ppf(0.975, 2602) / 2)


def test_rate_ratio_score_test_by_hand():
    from scipy.stats import norm

    # conditional on n = c1 + c2, c1 ~ Bin(n, e1 / (e1 + e2)) under H0
    c1, e1, c2, e2 = 4, 6.0, 8, 120.0
    n, p = c1 + c2, e1 / (e1 + e2)
    z = (c1 - n * p) / math.sqrt(n * p * (1 - p))
    r = stats.rate_ratio(c1, e1, c2, e2)
    assert r["ratio"] == 10.0
    assert math.isclose(r["pvalue"], 2 * norm.sf(abs(z)), rel_tol=1e-6)
    assert r["ci_low"] < 10 < r["ci_high"]


def test_rate_ratios_refuse_different_units(ind):
    ci = stats.poisson_ci(ind, {"ulanqab": 12, "pingchuan": 6}, analysis.station_counts(ind))
    with pytest.raises(analysis.UnitMixError):
        stats.rate_ratios(ci, [("case_services", "pingchuan", "ulanqab")])
    rr = stats.rate_ratios(ci, [("community_events", "pingchuan", "ulanqab")]).iloc[0]
    assert rr["ratio"] == (4 / 6) / (8 / 120)


def test_scenarios_by_hand():
    ft = pd.DataFrame({"observation_id": ["u", "l"], "region_id": ["ulanqab", "linze"],
                       "basis": ["assumed", "stated"], "per_station_cny": [100_000.0, 150_000.0]})
    b = scenarios.budget(7, ft)
    assert b["budget_cny"].tolist() == [700_000.0, 1_050_000.0]
    rates = pd.DataFrame({"place": ["p"], "indicator": ["community_events"], "method": ["community"],
                          "unit": ["sessions"], "rate": [4 / 6], "rate_lo": [0.1], "rate_hi": [2.0]})
    e = scenarios.expected_output(3, 6, rates).iloc[0]
    assert (round(e["expected"], 9), round(e["low"], 9), e["high"]) == (12.0, 1.8, 36.0)
    with pytest.raises(ValueError):
        scenarios.budget(-1, ft)


def test_rate_ratio_sensitivity_matches_the_hand_computed_ratios(ind):
    # community activities: Pingchuan 4 over 1 station x m1 months, Ulanqab 8 over 10 x m2
    grid = stats.rate_ratio_sensitivity(ind, "community_events", "pingchuan", "ulanqab",
                                        [3, 6], [6, 24], stations=analysis.station_counts(ind))
    for m1 in (3, 6):
        for m2 in (6, 24):
            ratio = (4 / (1 * m1)) / (8 / (10 * m2))
            assert grid.loc[m1, m2].startswith(f"{ratio:.2f} (")
    assert grid.index.name == "pingchuan_months" and grid.columns.name == "ulanqab_months"

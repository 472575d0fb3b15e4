"""Station-month panels: frame, count models, funnel limits, shrinkage, and clear errors.

The synthetic panels have known effects (``COVARIATE_EFFECTS``, ``EFFECTS``), so the tests
check estimates against the truth, not against stored numbers.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sswanalysis.analysis.count_models import fit
from sswanalysis.analysis.performance import funnel_data, poisson_limit, shrunken_rates
from sswanalysis.analysis.station_panel import PanelError, event_time_profile, panel_frame
from sswanalysis.monthly.ingest import read
from sswanalysis.monthly.synthetic import (
    COVARIATE_EFFECTS,
    EFFECTS,
    known_rate_ratios,
    national_panel,
    station_covariates,
    write_report_files,
)

TERMS = ["service_model", "operating_mode", "log_funding", "log_workers", "months_open_band", "february"]


NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "07-station-panels.ipynb"
REFERENCE = {"service_model": "government_purchase", "operating_mode": "outsourced",
             "months_open_band": "12+", "february": "False"}


def frame_from(panel: pd.DataFrame) -> pd.DataFrame:
    """The analysis frame of an in-memory synthetic panel, as ingest would give it."""
    wide = panel.melt(id_vars=["station_id", "region_id", "month", "synthetic"],
                      value_vars=["people_served_persons", "resident_social_workers"])
    wide["indicator"] = wide["variable"].map({"people_served_persons": "people_served",
                                              "resident_social_workers": "resident_social_workers"})
    wide["unit"] = "persons"
    wide["qualifier"] = "exact"
    stations = panel.drop_duplicates("station_id")[["station_id", "service_model", "opened"]]
    out = panel_frame(wide, stations, register=station_covariates(panel))
    out["log_funding"] = np.log(out["funding_per_station_cny"] / COVARIATE_EFFECTS["funding_median_cny"])
    out["log_workers"] = np.log(out["worker_months"])
    return out


def keyed(table: pd.DataFrame) -> pd.DataFrame:
    keys = [f"{t}[{lv}]" if lv else t for t, lv in zip(table["term"], table["level"], strict=True)]
    return table.set_index(pd.Index(keys))


@pytest.fixture(scope="module")
def big() -> pd.DataFrame:
    return frame_from(national_panel(3000, 12, seed=5, covariates=True))


def test_collapsed_fit_equals_row_level_fit(big):
    collapsed = fit(big, TERMS, reference=REFERENCE)
    rows = fit(big, TERMS, method="rows", reference=REFERENCE)
    assert collapsed.n_cells < collapsed.n_rows / 2
    np.testing.assert_allclose(collapsed.params, rows.params, rtol=0, atol=1e-6)
    for col in ("ci_low", "ci_high"):
        np.testing.assert_allclose(collapsed.table[col], rows.table[col], rtol=1e-6)
    assert collapsed.dispersion == pytest.approx(rows.dispersion, rel=1e-9)


def test_intervals_contain_the_known_rate_ratios(big):
    truth = known_rate_ratios()
    # eight intervals at once: Bonferroni, so that all should hold together 95 % of the time
    res = fit(big, TERMS, reference=REFERENCE, level=1 - 0.05 / len(truth))
    table = keyed(res.table)
    for key, want in truth.items():
        row = table.loc[key]
        assert row["ci_low"] <= want <= row["ci_high"], (key, want, row.to_dict())
    # the station effect makes counts overdispersed, and fit says so in plain words
    assert res.dispersion > 1.5
    assert any("overdispersed" in w and "过度离散" in w for w in res.warnings)


def test_calibration_cluster_robust_covers_and_naive_undercovers():
    """Over 100 seeded small panels: coverage of the 95 % interval for the model ratio."""
    want = EFFECTS["model_multiplier"]["contracted_organisation"] / EFFECTS["model_multiplier"][
        "government_purchase"]
    key = "service_model[contracted_organisation]"
    robust_hits = naive_hits = 0
    n = 100
    for seed in range(n):
        p = national_panel(120, 6, seed=1000 + seed)
        f = pd.DataFrame({"station_id": p["station_id"].astype("str"), "count": p["people_served_persons"],
                          "month_ordinal": p["month"].cat.codes, "exposure": 1.0,
                          "service_model": p["service_model"].astype("str")})
        ref = {"service_model": "government_purchase"}
        r = keyed(fit(f, ["service_model"], reference=ref).table).loc[key]
        v = keyed(fit(f, ["service_model"], reference=ref, robust=False).table).loc[key]
        robust_hits += r["ci_low"] <= want <= r["ci_high"]
        naive_hits += v["ci_low"] <= want <= v["ci_high"]
    assert 0.90 <= robust_hits / n <= 0.99, robust_hits
    assert naive_hits / n < 0.85, naive_hits  # naive errors ignore the station effect


def _poisson_cdf(k: int, mean: float) -> float:
    return sum(math.exp(-mean) * mean**i / math.factorial(i) for i in range(k + 1))


@pytest.mark.parametrize(("p", "mean"), [(0.975, 10.0), (0.025, 10.0), (0.999, 4.0), (0.001, 25.0)])
def test_funnel_limits_are_interpolated_exact_poisson_quantiles(p, mean):
    r = 0
    while _poisson_cdf(r, mean) < p:
        r += 1
    f_r, f_before = _poisson_cdf(r, mean), _poisson_cdf(r - 1, mean) if r else 0.0
    by_hand = r - (f_r - p) / (f_r - f_before)
    assert float(poisson_limit(p, mean)) == pytest.approx(max(by_hand, 0.0), abs=1e-9)


def test_funnel_flags_only_units_outside_the_limits():
    f = pd.DataFrame({"station_id": [f"s{i}" for i in range(8)],
                      "count": [20.0, 22, 18, 21, 19, 60, 2, 20], "exposure": [2.0] * 8})
    out = funnel_data(f, overdispersion="none").set_index("unit")
    assert out.loc["s5", "flag"] == "above" and out.loc["s6", "flag"] == "below"
    assert (out.drop(["s5", "s6"])["flag"] == "").all()
    # overall rate 182/16 per unit: at exposure 2 the limits are Poisson(22.75) quantiles / 2
    assert out.loc["s0", "upper_99.8"] == pytest.approx(float(poisson_limit(0.999, 22.75)) / 2)


def test_overdispersion_widens_the_limits(big):
    exact = funnel_data(big, overdispersion="none")
    mult = funnel_data(big, overdispersion="multiplicative")
    add = funnel_data(big, overdispersion="additive")
    assert mult.attrs["phi"] > 1
    assert (mult["upper_99.8"] > exact["upper_99.8"]).all()
    assert (add["upper_99.8"] > exact["upper_99.8"]).all()
    assert (mult["flag"] != "").sum() < (exact["flag"] != "").sum()


def test_shrinkage_pulls_small_units_more():
    f = pd.DataFrame({"station_id": ["small", "large", "m1", "m2", "m3"],
                      "count": [30.0, 300.0, 100, 120, 80], "exposure": [1.0, 10.0, 10, 10, 10]})
    out = shrunken_rates(f, n_sims=300).set_index("unit")
    overall = f["count"].sum() / f["exposure"].sum()
    for unit in ("small", "large"):
        raw, shrunk = out.loc[unit, "raw_rate"], out.loc[unit, "shrunken_rate"]
        assert min(raw, overall) <= shrunk <= max(raw, overall)
    pull = lambda u: abs(out.loc[u, "raw_rate"] - out.loc[u, "shrunken_rate"])  # noqa: E731
    assert pull("small") / abs(30 - overall) > pull("large") / abs(30 - overall)
    assert (out["rank_lo"] <= out["rank_hi"]).all()
    again = shrunken_rates(f, n_sims=300).set_index("unit")
    pd.testing.assert_frame_equal(out, again)  # seeded


def test_event_time_profile_shows_the_ramp_up(big):
    prof = event_time_profile(big).set_index("months_open")
    early, late = prof.loc[0:5, "rate"].mean(), prof.loc[12:, "rate"].mean()
    assert early / late == pytest.approx(COVARIATE_EFFECTS["ramp_up"]["0-5"], rel=0.1)


@pytest.mark.parametrize(("change", "message"), [
    (lambda f: f[f["station_id"] == f["station_id"].iloc[0]], "one station"),
    (lambda f: f[f["month_ordinal"] == f["month_ordinal"].iloc[0]], "one month"),
    (lambda f: f.assign(count=0.0), "zero in every row"),
    (lambda f: f.assign(exposure=np.where(np.arange(len(f)) == 3, np.nan, 1.0)), "no exposure"),
    (lambda f: f.assign(service_model="government_purchase"), "one value"),
])
def test_unusable_panels_raise_clear_errors(big, change, message):
    with pytest.raises(PanelError, match=message):
        fit(change(big.head(600)), ["service_model"])


def test_frame_from_ingested_report_files_matches_the_panel(tmp_path):
    panel = national_panel(60, 4, seed=9, covariates=True)
    write_report_files(panel, tmp_path / "in", formats=("csv", "xlsx"))
    res = read(tmp_path / "in", max_month="2099-12")
    assert res.rows_rejected == 0
    frame = panel_frame(res.accepted, res.stations, register=station_covariates(panel))
    assert len(frame) == len(panel) and frame["synthetic"].all()
    want = (panel.astype({"station_id": "str"}).sort_values(["station_id", "month"])
            ["people_served_persons"].to_numpy(dtype=float))
    np.testing.assert_array_equal(frame["count"].to_numpy(), want)
    assert frame["operating_mode"].notna().all() and frame["months_open_band"].notna().all()


def test_panel_frame_refuses_a_table_without_the_outcome():
    acc = pd.DataFrame({"station_id": ["a"], "region_id": ["r"], "month": ["2023-01"],
                        "indicator": ["volunteers"], "unit": ["persons"], "value": [3.0]})
    with pytest.raises(PanelError, match="no figures for people_served in persons"):
        panel_frame(acc)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    """An ingest Parquet (and its stations table) written by the CLI from CSV and xlsx reports."""
    from sswanalysis.cli import main

    folder = tmp_path_factory.mktemp("panel")
    write_report_files(national_panel(80, 6, seed=21), folder / "reports", formats=("csv", "xlsx"))
    out = folder / "ingested.parquet"
    assert main(["ingest", str(folder / "reports"), "--out", str(out), "--no-progress"]) == 0
    assert out.with_name("ingested.stations.parquet").exists()
    return out


def test_panel_notebook_runs_on_an_ingest_parquet(ingested):
    from sswanalysis.publish.notebooks import execute_notebook

    nb = execute_notebook(NOTEBOOK, parameters={"DATA": str(ingested)})
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "480" in text  # 80 stations × 6 months, not the 600 × 24 synthetic default
    assert "已知真值" in text and "—" in text  # no known truth on user data
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 4


def test_report_data_adds_the_panel_sheets(ingested, tmp_path):
    import openpyxl

    from sswanalysis.publish.html import write_report
    from sswanalysis.publish.sheets import WORKBOOK_NAME

    write_report(tmp_path, [NOTEBOOK], progress=False, data=ingested)
    names = openpyxl.load_workbook(tmp_path / WORKBOOK_NAME, read_only=True).sheetnames
    assert {"面板率比", "漏斗图", "排名区间"} <= set(names)
    page = (tmp_path / NOTEBOOK.with_suffix(".html").name).read_text(encoding="utf-8")
    assert "480" in page


@pytest.mark.parametrize(("months_open", "message"), [
    (np.nan, "no report has a known month since its station opened"),  # no 'opened' in the data
    (40.0, "every report is more than 36 months after its station opened"),
])
def test_event_time_profile_refuses_a_panel_with_nothing_to_profile(months_open, message):
    f = pd.DataFrame({"station_id": ["a", "a", "b"], "months_open": [months_open] * 3,
                      "count": [2.0, 4.0, 6.0], "exposure": [1.0] * 3})
    with pytest.raises(PanelError, match=message):
        event_time_profile(f, max_months=36)


def _write_reports(path: Path, stations: int, months: list[str], count: float | None = None,
                   opened: str | None = None) -> Path:
    """A report CSV as a user writes it: one row per station-month, ``opened`` only if given."""
    rows = pd.DataFrame([{"station_id": f"st{s:02d}", "region_id": "linze", "month": m,
                          "people_served_persons": 10 + s + i if count is None else count}
                         for s in range(stations) for i, m in enumerate(months)])
    if opened is not None:
        rows["opened"] = opened
    rows.to_csv(path, index=False)
    return path


HALF_YEAR = [f"2023-{m:02d}" for m in range(1, 7)]


@pytest.mark.parametrize(("stations", "months", "count", "opened", "says"), [
    (30, HALF_YEAR, None, None, ["not enough data for output after opening"]),
    (30, HALF_YEAR, None, "2018-01", ["more than 36 months"]),
    (1, HALF_YEAR, None, "2022-06", ["not enough data for a model", "not enough data for a funnel plot",
                                     "not enough data for a ranking"]),
    (30, ["2023-03"], None, "2022-06", ["not enough data for a model"]),
    (30, HALF_YEAR, 0.0, "2022-06", ["not enough data for a model", "zero output"]),
    (30, ["2023-03", "2023-04"], None, "2022-06", ["not enough data for rate ratios"]),
], ids=["no-opening-month", "opened-long-ago", "one-station", "one-month", "all-zero", "nothing-varies"])
def test_panel_notebook_says_what_the_data_cannot_support(tmp_path, stations, months, count, opened, says):
    """On thin data the panel notebook runs to the end and says, in words, what it left out."""
    from sswanalysis.publish.notebooks import execute_notebook

    data = _write_reports(tmp_path / "reports.csv", stations, months, count, opened)
    nb = execute_notebook(NOTEBOOK, parameters={"DATA": str(data)})
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    printed = "\n".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    for words in says:
        assert words in printed
    assert printed.count("数据不足") == printed.count("not enough data")  # Chinese beside every message

"""A synthetic national panel of station-month reports, for tests and benchmarks. NOT REAL DATA.

Every row is marked three ways so it cannot be mistaken for real data: station ids start
with ``SYN-``, the ``synthetic`` column is true (the reader turns that into ``source_id ==
"synthetic"``), and the files written carry ``synthetic`` in their names.

The panel has the shape of the report template (one row per station-month, the template's
column names) and known effects, set in :data:`EFFECTS`:

* people served (persons) has mean ``persons_per_worker × workers × model multiplier ×
  season × station effect``, so the ratio of means between the two service models is the
  model multiplier, and people served per resident social worker does not depend on
  staffing;
* staffing is 1 + Poisson(1.4) resident social workers (national mean about 2.4, see
  shared/research/domain-facts.md §1), independent of the service model;
* person-times are persons × a station-level attendance ratio; the other counts are
  Poisson around fixed means.

With ``covariates=True`` the panel also carries station covariates that the template does
not have -- ``operating_mode`` (direct hire / outsourced / mixed) and
``funding_per_station_cny`` -- and people served gains their known effects and a ramp-up
after opening (:data:`COVARIATE_EFFECTS`); stations then open between 18 months before the
panel and its first month. The station effect (gamma, mean 1) makes the counts
overdispersed, as real station output is.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: The known effects of the panel.
EFFECTS = {
    "persons_per_worker": 40.0,  # people served per resident social worker per month
    "model_multiplier": {"government_purchase": 1.0, "contracted_organisation": 1.3},
    "model_share": {"government_purchase": 0.6, "contracted_organisation": 0.4},
    "extra_workers_poisson": 1.4,  # workers = 1 + Poisson(1.4)
    "february": 0.8,  # Spring Festival dip
    "station_effect_shape": 8.0,  # gamma(shape, 1/shape): mean 1
    "times_per_person": 2.5,  # mean person-times per person
}

#: The known effects of the covariates added by ``national_panel(..., covariates=True)``.
#: Each is a rate ratio on people served (persons), so a Poisson model with a log link
#: should recover them.
COVARIATE_EFFECTS = {
    "operating_mode_multiplier": {"direct_hire": 1.0, "outsourced": 1.25, "mixed": 1.1},
    "operating_mode_share": {"direct_hire": 0.3, "outsourced": 0.5, "mixed": 0.2},
    "funding_median_cny": 150_000.0,
    "funding_sigma": 0.35,  # log-normal spread of funding per station
    "funding_elasticity": 0.3,  # rate ratio per e-fold of funding: exp(0.3)
    # months since opening -> multiplier; bands as in sswanalysis.analysis.panel.MONTHS_OPEN_BANDS
    "ramp_up": {"0-5": 0.7, "6-11": 0.9, "12+": 1.0},
}


def _months_open_band(months_open: np.ndarray) -> np.ndarray:
    import numpy as np

    return np.select([months_open < 6, months_open < 12], ["0-5", "6-11"], "12+")


def national_panel(
    n_stations: int = 30_000,
    n_months: int = 36,
    *,
    start: str = "2021-01",
    seed: int = 2023,
    covariates: bool = False,
) -> pd.DataFrame:
    """A synthetic panel: ``n_stations`` stations × ``n_months`` months, in the report template's columns.

    Parameters
    ----------
    n_stations, n_months : int
        Size of the panel (one row per station-month).
    start : str
        First month, ``YYYY-MM``.
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same panel.
    covariates : bool
        Add ``operating_mode`` and ``funding_per_station_cny`` with the known effects of
        :data:`COVARIATE_EFFECTS` (and a ramp-up after opening). Without them the panel is
        exactly the one of earlier versions for the same seed.

    Returns
    -------
    pandas.DataFrame
        Columns ``station_id`` (``SYN-<division code>-<n>``), ``region_id`` (a province id),
        ``province``, ``township``, ``service_model``, ``opened``, ``funding_source``,
        ``synthetic`` (always True), ``month`` (``YYYY-MM``) and integer indicator columns;
        sorted by station and month.

    Examples
    --------
    >>> p = national_panel(50, 3, seed=1)
    >>> len(p), p["station_id"].str.startswith("SYN-").all(), p["synthetic"].all()
    (150, np.True_, np.True_)
    >>> p["month"].unique().tolist()
    ['2021-01', '2021-02', '2021-03']
    >>> national_panel(50, 3, seed=1).equals(p)
    True
    """
    import numpy as np
    import pandas as pd

    from sswanalysis.monthly.template import provinces

    rng = np.random.default_rng(seed)
    prov = provinces()
    models = list(EFFECTS["model_multiplier"])
    p_idx = rng.integers(0, len(prov), n_stations)
    model = rng.choice(len(models), n_stations, p=[EFFECTS["model_share"][m] for m in models])
    workers = 1 + rng.poisson(EFFECTS["extra_workers_poisson"], n_stations)
    shape = EFFECTS["station_effect_shape"]
    station_effect = rng.gamma(shape, 1 / shape, n_stations)
    times_ratio = 1 + rng.gamma(4.0, (EFFECTS["times_per_person"] - 1) / 4.0, n_stations)
    opened_ord = int(start[:4]) * 12 + int(start[5:7]) - 1 - rng.integers(0, 24, n_stations)
    mult = np.array([EFFECTS["model_multiplier"][m] for m in models])[model]
    if covariates:  # a second stream, so the first is the same with or without covariates
        extra = _station_covariates(np.random.default_rng([seed, 1]), n_stations, start)
        opened_ord = extra["opened_ord"]

    s = np.repeat(np.arange(n_stations), n_months)
    t = np.tile(np.arange(n_months), n_stations)
    month_ord = int(start[:4]) * 12 + int(start[5:7]) - 1 + t
    season = np.where(month_ord % 12 == 1, EFFECTS["february"], 1.0)
    n = len(s)
    mean_persons = EFFECTS["persons_per_worker"] * workers[s] * mult[s] * station_effect[s] * season
    if covariates:
        ramp = COVARIATE_EFFECTS["ramp_up"]
        band = _months_open_band(month_ord - opened_ord[s])
        mean_persons = mean_persons * extra["multiplier"][s] * np.select(
            [band == b for b in ramp], list(ramp.values()))
    persons = rng.poisson(mean_persons)
    person_times = persons + rng.poisson(persons * (times_ratio[s] - 1))
    codes = prov["division_code"].str[:2].to_numpy()
    ids = np.char.add(np.char.add("SYN-", codes[p_idx].astype(str)),
                      np.char.add("-", np.char.zfill(np.arange(n_stations).astype(str), 5)))
    months = pd.Series(pd.period_range(start, periods=n_months, freq="M").strftime("%Y-%m"))
    opened = pd.PeriodIndex.from_ordinals(opened_ord - 1970 * 12, freq="M").strftime("%Y-%m")
    cat = pd.Categorical.from_codes
    opened_cat = pd.Categorical(np.asarray(opened, dtype=object).astype(str))

    def station(values: np.ndarray) -> np.ndarray:
        return values[s]

    frame = pd.DataFrame({
        "station_id": cat(s, pd.Index(ids, dtype="str")),
        "region_id": cat(station(p_idx), prov["region_id"].astype("str")),
        "province": cat(station(p_idx), prov["name_zh"].astype("str")),
        "township": cat(s, pd.Index(np.char.add("合成镇", np.arange(n_stations).astype(str)), dtype="str")),
        "service_model": cat(station(model), pd.Index(models, dtype="str")),
        "opened": cat(opened_cat.codes[s], opened_cat.categories),
        "funding_source": cat(np.zeros(n, dtype=np.int64), pd.Index(["合成数据(synthetic)"], dtype="str")),
        "synthetic": np.ones(n, dtype=bool),
        "month": cat(t, pd.Index(months, dtype="str")),
        "people_served_persons": persons.astype(np.int64),
        "people_served_person_times": person_times.astype(np.int64),
        "households_visited": rng.poisson(15.0 * workers[s] * season),
        "case_services_cases": rng.poisson(2.0 * mult[s]),
        "group_services_groups": rng.poisson(1.0, n),
        "community_events": rng.poisson(3.0 * season),
        "training_sessions": rng.poisson(0.5, n),
        "volunteers_persons": rng.poisson(10.0 * station_effect[s]),
        "linked_resources_cny": (rng.gamma(2.0, 1500.0, n) // 100 * 100).astype(np.int64),
        "resident_social_workers": station(workers).astype(np.int64),
        "service_hours": (station(workers) * rng.uniform(120, 170, n)).round(1),
    })
    if covariates:
        modes = list(COVARIATE_EFFECTS["operating_mode_multiplier"])
        frame["operating_mode"] = cat(station(extra["mode"]), pd.Index(modes, dtype="str"))
        frame["funding_per_station_cny"] = station(extra["funding"])
    return frame


def _station_covariates(rng: np.random.Generator, n_stations: int, start: str) -> dict:
    """Operating mode, funding and opening month of each station, and their rate multiplier."""
    import numpy as np

    eff = COVARIATE_EFFECTS
    modes = list(eff["operating_mode_multiplier"])
    mode = rng.choice(len(modes), n_stations, p=[eff["operating_mode_share"][m] for m in modes])
    log_f = rng.normal(0.0, eff["funding_sigma"], n_stations)
    funding = np.round(eff["funding_median_cny"] * np.exp(log_f), -3)
    start_ord = int(start[:4]) * 12 + int(start[5:7]) - 1
    opened_ord = start_ord - rng.integers(0, 19, n_stations)
    multiplier = (np.array([eff["operating_mode_multiplier"][m] for m in modes])[mode]
                  * (funding / eff["funding_median_cny"]) ** eff["funding_elasticity"])
    return {"mode": mode, "funding": funding, "opened_ord": opened_ord, "multiplier": multiplier}


def known_rate_ratios(reference: dict[str, str] | None = None) -> dict[str, float]:
    """The rate ratios a model of people served should recover on a ``covariates=True`` panel.

    Keys are named as :func:`sswanalysis.analysis.count_models.design` names its columns
    (``term[level]`` against the reference level; ``log_funding`` and ``log_workers`` per
    e-fold). Defaults: the most common service model and operating mode, months open 12+,
    and not February.

    >>> known_rate_ratios()["operating_mode[direct_hire]"]
    0.8
    >>> round(known_rate_ratios()["log_funding"], 4), known_rate_ratios()["log_workers"]
    (1.3499, 2.718281828459045)
    """
    import math

    ref = {"service_model": "government_purchase", "operating_mode": "outsourced",
           "months_open_band": "12+", "february": "False", **(reference or {})}
    factors = {"service_model": EFFECTS["model_multiplier"],
               "operating_mode": COVARIATE_EFFECTS["operating_mode_multiplier"],
               "months_open_band": COVARIATE_EFFECTS["ramp_up"],
               "february": {"True": EFFECTS["february"], "False": 1.0}}
    out = {f"{term}[{level}]": value / levels[ref[term]]
           for term, levels in factors.items() for level, value in levels.items() if level != ref[term]}
    out["log_funding"] = math.exp(COVARIATE_EFFECTS["funding_elasticity"])
    out["log_workers"] = math.e  # mean people served is proportional to resident social workers
    return out


def station_covariates(panel: pd.DataFrame) -> pd.DataFrame:
    """One row per station of a ``covariates=True`` panel: the columns the template lacks.

    This is the shape of a station register a user would join to ingested reports
    (``station_id`` plus covariates), for :func:`sswanalysis.analysis.panel.panel_frame`.

    >>> p = national_panel(20, 2, seed=1, covariates=True)
    >>> station_covariates(p).columns.tolist()
    ['station_id', 'operating_mode', 'funding_per_station_cny']
    """
    cols = ["station_id", "operating_mode", "funding_per_station_cny"]
    first = panel.drop_duplicates("station_id")[cols]
    return first.astype({"station_id": "str", "operating_mode": "str"}).reset_index(drop=True)


def write_report_files(
    panel: pd.DataFrame,
    out_dir: str | Path,
    *,
    formats: tuple[str, ...] = ("csv",),
    headers: str = "en",
) -> list[Path]:
    """Write ``panel`` as one report file per province: ``synthetic_<region_id>.<format>``.

    Parameters
    ----------
    panel : DataFrame
        A frame in the template's columns, e.g. from :func:`national_panel`.
    out_dir : path
        Folder; created if missing.
    formats : tuple of {"csv", "csv-gbk", "xlsx", "parquet"}
        Cycled over the provinces in order, so ``("csv", "xlsx", "parquet")`` writes a mix.
    headers : {"en", "zh"}
        Canonical English column names or the template's Chinese headers.

    Returns
    -------
    list of Path

    Examples
    --------
    >>> import tempfile
    >>> p = national_panel(40, 2, seed=3)
    >>> files = write_report_files(p, tempfile.mkdtemp(), formats=("csv", "parquet"))
    >>> sorted({f.suffix for f in files}), all(f.name.startswith("synthetic_") for f in files)
    (['.csv', '.parquet'], True)
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from sswanalysis.monthly.template import columns

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    zh = {c.name: c.header_zh for c in columns()}
    panel = panel[[c for c in panel.columns if c in zh]]  # report files hold template columns only
    written = []
    groups = panel.groupby("region_id", observed=True, sort=True)
    for i, (region, part) in enumerate(groups):
        fmt = formats[i % len(formats)]
        part = part.reset_index(drop=True)
        if headers == "zh":
            part = part.rename(columns=zh)
        table = pa.Table.from_pandas(part, preserve_index=False)
        table = table.cast(pa.schema([
            pa.field(f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type)
            for f in table.schema
        ]))
        suffix = {"csv-gbk": "csv"}.get(fmt, fmt)
        path = out / f"synthetic_{region}.{suffix}"
        if fmt == "csv":
            pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="none"))
        elif fmt == "csv-gbk":
            path.write_bytes(part.to_csv(index=False, lineterminator="\n").encode("gbk"))
        elif fmt == "parquet":
            pq.write_table(table, path)
        elif fmt == "xlsx":
            part.to_excel(path, index=False, sheet_name="report")
        else:
            raise ValueError(f"unknown format {fmt!r}")
        written.append(path)
    return written


__all__ = ["COVARIATE_EFFECTS", "EFFECTS", "known_rate_ratios", "national_panel", "station_covariates",
           "write_report_files"]

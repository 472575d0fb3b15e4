"""Funding: each amount with who paid, for what, and how many stations it is stated to cover."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sswanalysis.analysis.intervals import UnitMixError, tidy
from sswanalysis.analysis.labelling import format_value

if TYPE_CHECKING:
    import pandas as pd


def station_counts(indicators: pd.DataFrame) -> dict[str, int]:
    """Stations per place: 1 for each named station, the ``stations_count`` figure for a region.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"region_id": ["ulanqab", "linze"], "station_id": [None, "shahe"],
    ...     "indicator": ["stations_count", "case_services"], "value": [10.0, 3.0],
    ...     "qualifier": ["exact", "exact"], "unit": ["stations", "cases"]})
    >>> station_counts(f)
    {'shahe': 1, 'ulanqab': 10}
    """
    f = tidy(indicators)
    out: dict[str, int] = {}
    for s in sorted(set(f["station_id"].dropna())):
        out[str(s)] = 1
    sc = f[(f["indicator"] == "stations_count") & f["station_id"].isna()]
    for r in sc.sort_values("region_id").itertuples(index=False):
        if r.qualifier != "exact":
            raise ValueError(f"stations_count of {r.region_id} is not exact ({r.qualifier})")
        out[str(r.region_id)] = int(r.value)
    return out


def funding_table(
    indicators: pd.DataFrame,
    funding: pd.DataFrame,
    funding_stations: pd.DataFrame,
    *,
    assume_covers_all_stations: bool = False,
    stations_covered: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Each funding figure with funder, purpose, stations covered and the per-station amount.

    The per-station amount is computed, never stored: the amount divided by the number of
    stations it covers, assuming an equal split. Where ``funding_stations`` names the
    stations, that number is stated (``basis='stated'``). Where it does not -- Ulanqab's
    1,000,000 CNY is for the five-society linkage *pilot project*, and the source never ties
    it to the stations -- the number is not known (``basis='unknown'``, no per-station
    amount). A scenario sets it: ``stations_covered`` (observation_id -> stations,
    ``basis='set'``), or ``assume_covers_all_stations=True`` for every station the region
    reports (``basis='assumed'``). Neither is in the source; label the result a scenario.

    Returns
    -------
    pandas.DataFrame
        observation_id, region_id, funder_zh, funder_en, purpose_en, amount_cny,
        amount_wan (万元), qualifier, n_stations, basis, per_station_cny, per_station_wan, text.

    Examples
    --------
    >>> import pandas as pd
    >>> ind = pd.DataFrame({"observation_id": ["u1", "u2", "l1"],
    ...     "region_id": ["ulanqab", "ulanqab", "linze"], "station_id": [None, None, None],
    ...     "indicator": ["funding_cny", "stations_count", "funding_cny"],
    ...     "value": [1e6, 10.0, 3e5], "qualifier": ["exact"] * 3,
    ...     "unit": ["cny", "stations", "cny"]})
    >>> fu = pd.DataFrame({"observation_id": ["u1", "l1"], "funder_zh": ["福彩", None],
    ...     "funder_en": ["lottery", None], "purpose_en": ["pilot", "two stations"]})
    >>> fs = pd.DataFrame({"observation_id": ["l1", "l1"], "station_id": ["a", "b"]})
    >>> cols = ["observation_id", "n_stations", "basis", "per_station_cny"]
    >>> funding_table(ind, fu, fs)[cols].to_numpy().tolist()
    [['u1', <NA>, 'unknown', nan], ['l1', 2, 'stated', 150000.0]]
    >>> t = funding_table(ind, fu, fs, assume_covers_all_stations=True)
    >>> t[cols + ["per_station_wan"]].to_numpy().tolist()
    [['u1', 10, 'assumed', 100000.0, 10.0], ['l1', 2, 'stated', 150000.0, 15.0]]
    >>> funding_table(ind, fu, fs, stations_covered={"u1": 4})["basis"].tolist()
    ['set', 'stated']
    """
    import pandas as pd

    f = tidy(indicators)
    fund = f[f["indicator"] == "funding_cny"]
    if set(fund["unit"]) - {"cny"}:
        raise UnitMixError("funding figures must all be in cny")
    counts = station_counts(f)
    details = funding.assign(observation_id=funding["observation_id"].astype("str"))
    details = details.set_index("observation_id")
    fs = funding_stations.assign(observation_id=funding_stations["observation_id"].astype("str"))
    stated = fs.groupby("observation_id")["station_id"].nunique().to_dict()
    override = dict(stations_covered or {})
    rows = []
    for r in fund.itertuples(index=False):
        oid = str(r.observation_id)
        d = details.loc[oid] if oid in details.index else None
        if oid in override:
            n, basis = int(override[oid]), "set"
        elif oid in stated:
            n, basis = int(stated[oid]), "stated"
        elif assume_covers_all_stations and str(r.region_id) in counts:
            n, basis = counts[str(r.region_id)], "assumed"
        else:
            n, basis = None, "unknown"

        def detail(col: str, d: Any = d) -> Any:
            if d is None or col not in d.index or pd.isna(d[col]):
                return None
            return str(d[col])

        per = r.value / n if n else float("nan")
        rows.append({
            "observation_id": oid,
            "region_id": r.region_id,
            "funder_zh": detail("funder_zh"),
            "funder_en": detail("funder_en"),
            "purpose_en": detail("purpose_en"),
            "amount_cny": float(r.value),
            "amount_wan": float(r.value) / 1e4,
            "qualifier": r.qualifier,
            "n_stations": n,
            "basis": basis,
            "per_station_cny": per,
            "per_station_wan": per / 1e4,
            "text": format_value(r.value, r.qualifier, r.value_high, "cny"),
        })
    out = pd.DataFrame(rows)
    out["n_stations"] = pd.array(list(out["n_stations"]), dtype="Int64")
    return out

"""Which place reports which indicator: the coverage table and matrix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sswanalysis.analysis.intervals import place_of, with_bounds

if TYPE_CHECKING:
    import pandas as pd


def coverage(indicators: pd.DataFrame, places: Sequence[str] | None = None) -> pd.DataFrame:
    """What each place reports: one row per (indicator, place) with the figures as text.

    ``n`` is the number of figures; 0 means "not reported" (never a zero figure).

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"region_id": ["linze", "linze"], "station_id": ["pingchuan", None],
    ...     "indicator": ["case_services", "funding_cny"], "value": [60.0, 300000.0],
    ...     "qualifier": ["exact", "exact"], "unit": ["person_times", "cny"]})
    >>> coverage(f)[["indicator", "place", "n", "text"]].head(2).to_numpy().tolist()
    [['case_services', 'linze', 0, '—'], ['case_services', 'pingchuan', 1, '60 人次']]
    """
    import pandas as pd

    f = with_bounds(indicators)
    f["place"] = place_of(f)
    places = list(places) if places is not None else sorted(set(f["place"]))
    inds = list(dict.fromkeys(f["indicator"]))
    grid = pd.MultiIndex.from_product([inds, places], names=["indicator", "place"])
    found = f.groupby(["indicator", "place"], sort=False)["text"].agg(["size", "; ".join])
    found.columns = ["n", "text"]
    out = found.reindex(grid)
    return pd.DataFrame({
        "indicator": grid.get_level_values("indicator"),
        "place": grid.get_level_values("place"),
        "n": out["n"].fillna(0).astype("int64").to_numpy(),
        "text": out["text"].fillna("—").to_numpy(),
    })


def coverage_matrix(
    indicators: pd.DataFrame, places: Sequence[str] | None = None, values: str = "text"
) -> pd.DataFrame:
    """:func:`coverage` as an indicator x place table: of texts ("—" = not reported), or of
    figure counts with ``values="n"`` (0 = not reported).

    >>> import pandas as pd
    >>> f = pd.DataFrame({"region_id": ["ulanqab", "linze"], "station_id": [None, "shahe"],
    ...     "indicator": ["people_served", "key_service_targets"], "value": [1200.0, 178.0],
    ...     "qualifier": ["at_least", "exact"], "unit": ["persons", "persons"]})
    >>> m = coverage_matrix(f, ["ulanqab", "shahe"])
    >>> m.index.tolist(), m.columns.tolist()
    (['people_served', 'key_service_targets'], ['ulanqab', 'shahe'])
    >>> m.to_numpy().tolist()
    [['≥1,200 人', '—'], ['—', '178 人']]
    >>> coverage_matrix(f, ["ulanqab", "shahe"], values="n").to_numpy().tolist()
    [[1, 0], [0, 1]]
    """
    cov = coverage(indicators, places)
    order = list(dict.fromkeys(cov["indicator"]))
    cols = list(dict.fromkeys(cov["place"]))
    m = cov.pivot(index="indicator", columns="place", values=values)
    return m.loc[order, cols].rename_axis(index="indicator", columns="place")

"""Analysis: pure functions on tidy frames shaped like the shipped tables.

Every function takes frames (for figures, the long ``indicators`` shape with columns
``region_id, station_id, indicator, value, value_high, qualifier, unit, method``;
station-month report data with an extra ``month`` column works unchanged) and returns a new
frame. Nothing here reads files (except the vocabulary labels of the Data Package) or draws.

The modules, one question each:

- :mod:`~sswanalysis.analysis.labelling` — labels from the vocabulary, place order, number text;
- :mod:`~sswanalysis.analysis.intervals` — qualifiers as bounds, sums that refuse mixed units;
- :mod:`~sswanalysis.analysis.indicator_coverage` — who reports what;
- :mod:`~sswanalysis.analysis.service_models` — models' features and building blocks;
- :mod:`~sswanalysis.analysis.funding` — amounts, payers and stations covered;
- :mod:`~sswanalysis.analysis.output` — service output and per-month rates;
- :mod:`~sswanalysis.analysis.stats` — exact Poisson intervals and rate ratios;
- :mod:`~sswanalysis.analysis.scenarios` — scaling observed levels to N stations.

The functions of the first six are re-exported here, so ``from sswanalysis import analysis``
then ``analysis.coverage(...)`` is the short way to call them.

>>> from sswanalysis import analysis
>>> analysis.bounds(1200, "at_least")
(1200.0, 1300.0)
"""

from sswanalysis.analysis.funding import funding_table, station_counts
from sswanalysis.analysis.indicator_coverage import coverage, coverage_matrix
from sswanalysis.analysis.intervals import (
    UnitMixError,
    aggregate,
    bounds,
    place_of,
    rounding_place,
    tidy,
    with_bounds,
)
from sswanalysis.analysis.labelling import (
    QUALIFIER_LABELS,
    format_number,
    format_value,
    labels,
    place_labels,
    places,
    vocabulary,
)
from sswanalysis.analysis.output import (
    FLOW_PERIODS,
    MONTHS_BAND,
    PROJECT_PERIODS,
    exposure,
    exposure_range,
    months_grid,
    months_range,
    service_output,
)
from sswanalysis.analysis.service_models import feature_basis, feature_matrix, model_components_table

__all__ = [
    "FLOW_PERIODS",
    "MONTHS_BAND",
    "PROJECT_PERIODS",
    "QUALIFIER_LABELS",
    "UnitMixError",
    "aggregate",
    "bounds",
    "coverage",
    "coverage_matrix",
    "exposure",
    "exposure_range",
    "feature_basis",
    "feature_matrix",
    "format_number",
    "format_value",
    "funding_table",
    "labels",
    "model_components_table",
    "months_grid",
    "months_range",
    "place_labels",
    "place_of",
    "places",
    "rounding_place",
    "service_output",
    "station_counts",
    "tidy",
    "vocabulary",
    "with_bounds",
]

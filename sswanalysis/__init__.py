"""sswanalysis: data, validation and analysis of China's township and street social work stations.

乡镇(街道)社工站 case studies as a validated Data Package, a parser for the figures of
Chinese civil-affairs reports, comparisons, statistics and charts, and an ingester for
station-month reports.

Importing the package is cheap: pandas, matplotlib and statsmodels load only when a
function that needs them is first used.

Examples
--------
>>> import sswanalysis as ssw
>>> ssw.load("regions")["name_en"].tolist()
['Ulanqab', 'Linze County', 'Shangrao']
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("sswanalysis")
except PackageNotFoundError:  # pragma: no cover - running from an uninstalled source tree
    __version__ = "0+unknown"

# Public name -> module that defines it; resolved on first use (PEP 562) to keep import fast.
_LAZY = {
    "load": "sswanalysis.datapackage.loading",
    "tables": "sswanalysis.datapackage.loading",
    "codebook": "sswanalysis.datapackage.loading",
    "validate": "sswanalysis.datapackage.validation",
}

__all__ = ["__version__", *_LAZY]

if TYPE_CHECKING:  # for type checkers and IDEs
    from sswanalysis.datapackage.loading import codebook, load, tables  # noqa: F401
    from sswanalysis.datapackage.validation import validate  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sswanalysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

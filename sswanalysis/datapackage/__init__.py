"""The Data Package layer: read ``datapackage.json``, load its tables, validate them.

Everything above this layer (analysis, figures, publish, monthly reports) reads the data
through these modules; nothing here imports from a layer above.

- :mod:`~sswanalysis.datapackage.descriptor` — the descriptor (the one place tables are
  defined), its schema helpers, and the one CSV reading convention;
- :mod:`~sswanalysis.datapackage.loading` — :func:`load`, :func:`tables`, :func:`codebook`;
- :mod:`~sswanalysis.datapackage.validation` — :func:`validate` and ``sswanalysis validate``,
  which run the rules of :mod:`~sswanalysis.datapackage.schemarules` (cells, keys),
  :mod:`~sswanalysis.datapackage.evidence` (vocabularies, evidence, sources) and
  :mod:`~sswanalysis.datapackage.review`, once per distinct combination of cells
  (:mod:`~sswanalysis.datapackage.distinct`), into a
  :class:`~sswanalysis.datapackage.faults.FaultLog` that counts every fault and keeps the first of each kind;
- :mod:`~sswanalysis.datapackage.structure` — the descriptor's structure, checked before any table is read;
- :mod:`~sswanalysis.datapackage.sourcefiles` — the stored source texts evidence is checked in;
- :mod:`~sswanalysis.datapackage.hierarchy` — the region hierarchy (country > … > county);
- :mod:`~sswanalysis.datapackage.conflicts` — figures that disagree, and choosing by grade.

>>> from sswanalysis.datapackage import load
>>> load("regions", collection="cases")["region_id"].tolist()
['ulanqab', 'linze', 'shangrao']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sswanalysis.datapackage.descriptor import (
    PathLike,
    descriptor,
    resource,
    resource_names,
    shipped_data_dir,
)

#: Public name -> module; resolved on first use so that importing the layer loads no pandas.
_LAZY = {
    "load": "sswanalysis.datapackage.loading",
    "tables": "sswanalysis.datapackage.loading",
    "codebook": "sswanalysis.datapackage.loading",
    "validate": "sswanalysis.datapackage.validation",
    "Fault": "sswanalysis.datapackage.validation",
}

__all__ = ["PathLike", "descriptor", "resource", "resource_names", "shipped_data_dir", *_LAZY]

if TYPE_CHECKING:
    from sswanalysis.datapackage.loading import codebook, load, tables  # noqa: F401
    from sswanalysis.datapackage.validation import Fault, validate  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sswanalysis.datapackage' has no attribute {name!r}")

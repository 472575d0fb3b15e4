"""Read the Data Package descriptor (``datapackage.json``): the one place the tables are defined.

The loaders' dtypes, the codebook and the validator all read the schema from here, so a
column is described once, in ``data/datapackage.json``.
"""

from __future__ import annotations

import functools
import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: The subpackage that ships ``data/`` (mapped in pyproject.toml).
DATA_PACKAGE = "sswanalysis.data"

PathLike = str | Path | Traversable


def shipped_data_dir() -> Traversable:
    """Return the folder of the shipped Data Package (works installed or editable)."""
    return files(DATA_PACKAGE)


def _as_dir(data_dir: PathLike | None) -> Traversable:
    return shipped_data_dir() if data_dir is None else Path(data_dir)


@functools.cache
def _read_descriptor(location: str) -> dict[str, Any]:
    # Cached by the folder's string form: the shipped descriptor is read once per process.
    return json.loads(Path(location).joinpath("datapackage.json").read_text(encoding="utf-8"))


def descriptor(data_dir: PathLike | None = None) -> dict[str, Any]:
    """Return the parsed ``datapackage.json`` of ``data_dir`` (default: the shipped data).

    Examples
    --------
    >>> descriptor()["name"]
    'sswanalysis-case-studies'
    """
    folder = _as_dir(data_dir)
    if data_dir is None:
        return _read_descriptor(str(folder))
    return json.loads(folder.joinpath("datapackage.json").read_text(encoding="utf-8"))


def resource_names(data_dir: PathLike | None = None) -> list[str]:
    """Names of the tables, in the order the descriptor lists them."""
    return [r["name"] for r in descriptor(data_dir)["resources"]]


def resource(name: str, data_dir: PathLike | None = None) -> dict[str, Any]:
    """Return the descriptor of table ``name``.

    Raises
    ------
    KeyError
        If there is no such table; the message lists the valid names.

    Examples
    --------
    >>> resource("regions")["schema"]["primaryKey"]
    'region_id'
    """
    for res in descriptor(data_dir)["resources"]:
        if res["name"] == name:
            return res
    valid = ", ".join(resource_names(data_dir))
    raise KeyError(f"no table named {name!r}; the tables are: {valid}")


def primary_key(res: dict[str, Any]) -> list[str]:
    """The primary key of a resource as a list of field names."""
    key = res["schema"].get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


def foreign_keys(res: dict[str, Any]) -> list[tuple[list[str], str, list[str]]]:
    """The foreign keys of a resource as ``(fields, referenced resource, referenced fields)``."""
    out = []
    for fk in res["schema"].get("foreignKeys", []):
        fields, ref = fk["fields"], fk["reference"]
        ref_fields = ref["fields"]
        out.append((
            [fields] if isinstance(fields, str) else list(fields),
            ref["resource"],
            [ref_fields] if isinstance(ref_fields, str) else list(ref_fields),
        ))
    return out


def code_reference(res: dict[str, Any], field: str) -> tuple[str, str] | None:
    """The ``(resource, field)`` a code column points into, or None if it is no foreign key.

    For a composite key such as ``(station_id, region_id) -> stations`` each column maps
    to its own counterpart.
    """
    for fields, ref_res, ref_fields in foreign_keys(res):
        if field in fields:
            return ref_res, ref_fields[fields.index(field)]
    return None


def read_strings(file: Path | Traversable) -> pd.DataFrame:
    """Read one CSV file of a Data Package as written: every cell a string, empty cells missing.

    Only an empty cell is missing: ``NA``, ``null`` or ``nan`` stay the strings they are.
    """
    import pandas as pd

    with file.open(encoding="utf-8", newline="") as fh:
        return pd.read_csv(fh, dtype="str", keep_default_na=False, na_values=[""])

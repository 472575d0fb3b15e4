"""The region hierarchy of the Data Package: country > province > prefecture > county.

``regions.parent_id`` links each region to the one above it; these helpers walk the links
so that the province of a county is computed, not stored twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ancestors", "ancestor_at"]


def ancestors(regions: pd.DataFrame, region_id: str) -> list[str]:
    """The region and every region above it, nearest first.

    Raises
    ------
    KeyError
        If ``region_id`` (or a parent it names) is not in ``regions``.
    ValueError
        If the parent links loop.

    Examples
    --------
    >>> import sswanalysis as ssw
    >>> ancestors(ssw.load("regions"), "linze")
    ['linze', 'zhangye', 'gansu', 'china']
    """
    return _chain(_parents(regions), region_id)


def _parents(regions: pd.DataFrame) -> dict[str, str | None]:
    """region_id -> parent_id (None at the top)."""
    return {str(r): (None if p is None or p != p else str(p))
            for r, p in zip(regions["region_id"], regions["parent_id"].astype("object"), strict=True)}


def _chain(parent: dict[str, str | None], region_id: str) -> list[str]:
    chain = [region_id]
    if region_id not in parent:
        raise KeyError(f"no region {region_id!r} in the regions table")
    while (up := parent[chain[-1]]) is not None:
        if up in chain:
            raise ValueError(f"the parent links of {region_id!r} loop: {' > '.join([*chain, up])}")
        if up not in parent:
            raise KeyError(f"{chain[-1]!r} names parent {up!r}, which is not in the regions table")
        chain.append(up)
    return chain


def ancestor_at(regions: pd.DataFrame, level: str) -> dict[str, str | None]:
    """For every region, its ancestor (or itself) at ``level`` (e.g. ``"province"``); None above it.

    Examples
    --------
    >>> import sswanalysis as ssw
    >>> prov = ancestor_at(ssw.load("regions"), "province")
    >>> prov["linze"], prov["hunan"], prov["china"]
    ('gansu', 'hunan', None)
    """
    level_of = {str(r): str(lv) for r, lv in zip(regions["region_id"], regions["admin_level"], strict=True)}
    parent = _parents(regions)  # once, not once per region
    return {rid: next((a for a in _chain(parent, rid) if level_of[a] == level), None) for rid in level_of}

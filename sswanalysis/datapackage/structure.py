"""Check the structure of ``datapackage.json`` before any table is read.

The checks that follow trust the descriptor: a field's ``enum`` is a list of strings, its
``pattern`` compiles, a primary key names fields of its own schema, a foreign key names a
resource and fields that exist. A descriptor written by hand can break any of that, and the
result would be a traceback, a hang or -- worse -- a package reported valid that is not
(``"enum": "pilot"`` read one letter at a time). So every property the validator relies on is
checked here first; a resource with any problem is reported, each problem once, and left out
of the other checks, which can then take its descriptor as read.

A resource's ``path`` must be relative and inside the package folder: a descriptor must not
make the validator read ``/etc/passwd``.

>>> bad = {"name": "x", "schema": {"fields": [{"name": "a", "constraints": {"enum": "pilot"}}]}}
>>> good, problems = resource_problems([bad])
>>> good, [i for i, _ in problems]
([], [0])
>>> print(problems[0][1])  # doctest: +ELLIPSIS
resource 'x': field 'a': constraints.enum must be a list of strings, the cells as written ...
"""

from __future__ import annotations

import json
import math
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from sswanalysis.datapackage.schemarules import FIELD_TYPES, NUMERIC_TYPES, pattern_problem

__all__ = ["path_problem", "resource_problems"]


def _json(value: Any) -> str:
    """A descriptor value as JSON, cut short: what the message quotes back."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:60] + "…"


def _names(value: Any) -> list[str] | None:
    """The field names of a key (a name or a non-empty list of names), or None if it is neither."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def path_problem(path: str) -> str | None:
    """Why a resource ``path`` would read a file outside the package folder, or None.

    >>> path_problem("stations.csv") is None
    True
    >>> print(path_problem("../../../../etc/passwd"))
    '../../../../etc/passwd' leads out of the package folder
    >>> print(path_problem("/etc/passwd"))
    '/etc/passwd' is absolute
    """
    windows = PureWindowsPath(path)
    if not path:
        return "'path' is empty"
    if PurePosixPath(path).is_absolute() or windows.drive or windows.root:
        return f"{path!r} is absolute"
    if ".." in windows.parts:  # PureWindowsPath splits at / and \ alike
        return f"{path!r} leads out of the package folder"
    return None


def _constraint_problems(spec: dict[str, Any], type_: Any) -> list[str]:
    """What is wrong with the ``constraints`` of field ``spec``."""
    cons = spec.get("constraints", {})
    if not isinstance(cons, dict):
        return [f"'constraints' must be an object such as {{\"required\": true}}, not {_json(cons)}"]
    out = []
    if not isinstance(cons.get("required", False), bool):
        out.append(f"constraints.required must be true or false, not {_json(cons['required'])}")
    enum = cons.get("enum", ["-"])
    if not (isinstance(enum, list) and enum and all(isinstance(v, str) for v in enum)):
        out.append(f"constraints.enum must be a list of strings, the cells as written (e.g. "
                   f"[\"pilot\", \"expansion\"] or [\"1\", \"2\"]), not {_json(enum)}")
    if "pattern" in cons:
        pattern = cons["pattern"]
        why = pattern_problem(pattern) if isinstance(pattern, str) else "it is not a string"
        if why:
            out.append(f"constraints.pattern {_json(pattern)} cannot be used ({why}); write a regular "
                       "expression RE2 accepts (no look-around or back-references)")
    if "minimum" in cons:
        low = cons["minimum"]
        if isinstance(low, bool) or not isinstance(low, int | float) or not math.isfinite(low):
            out.append(f"constraints.minimum must be a number such as 0, not {_json(low)}")
        elif type_ not in NUMERIC_TYPES:
            out.append(f"constraints.minimum is only for fields of type {', '.join(sorted(NUMERIC_TYPES))}; "
                       "remove it or change the type")
    length = cons.get("maxLength", 0)
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        out.append(f"constraints.maxLength must be a whole number of characters such as 80, "
                   f"not {_json(length)}")
    return out


def _field_problems(spec: dict[str, Any]) -> list[str]:
    """What is wrong with one field of a schema (its name is a string already)."""
    type_ = spec.get("type", "string")
    out = []
    if not (isinstance(type_, str) and type_ in FIELD_TYPES):
        out.append(f"type {_json(type_)} is not one of: {', '.join(FIELD_TYPES)}")
        type_ = None
    return out + _constraint_problems(spec, type_)


def _key_problems(schema: dict[str, Any], fields: set[str]) -> list[str]:
    """What is wrong with the primary and foreign keys of a schema with ``fields``."""
    out = []
    if "primaryKey" in schema:
        key = _names(schema["primaryKey"])
        if key is None:
            out.append(f"'primaryKey' must be a field name or a list of field names, "
                       f"not {_json(schema['primaryKey'])}")
        out += [f"'primaryKey' names {k!r}, which is not a field of this schema"
                for k in key or [] if k not in fields]
    fks = schema.get("foreignKeys", [])
    for fk in fks if isinstance(fks, list) else [None]:
        ref = fk.get("reference") if isinstance(fk, dict) else None
        own = _names(fk.get("fields")) if isinstance(fk, dict) else None
        theirs = _names(ref.get("fields")) if isinstance(ref, dict) else None
        if own is None or theirs is None or not isinstance(ref.get("resource"), str):
            out.append("each foreign key needs 'fields' and a 'reference' with 'resource' and 'fields' "
                       "(a field name or a list of names)")
            continue
        if len(own) != len(theirs):
            out.append(f"foreign key {_json(fk['fields'])} names {len(own)} field(s) but its reference "
                       f"{len(theirs)}; name as many on both sides")
        out += [f"foreign key names {f!r}, which is not a field of this schema"
                for f in own if f not in fields]
    return out


def _table_rule_problems(res: dict[str, Any], fields: set[str]) -> list[str]:
    """What is wrong with this package's own properties: ``filledTogether`` and ``evidenceCheck``."""
    out = []
    groups = res.get("filledTogether", [])
    if not (isinstance(groups, list) and all(_names(g) is not None and isinstance(g, list) for g in groups)):
        out.append(f"'filledTogether' must be a list of lists of field names, not {_json(groups)}")
    else:
        out += [f"filledTogether names {c!r}, which is not a field of this schema"
                for g in groups for c in g if c not in fields]
    if "evidenceCheck" not in res:
        return out
    check = res["evidenceCheck"]
    if not isinstance(check, dict):
        return [*out, f"'evidenceCheck' must be an object, not {_json(check)}"]
    for role in ("value", "qualifier", "value_high", "unit_zh"):
        if role in check or role in ("value", "qualifier"):  # value_high and unit_zh may be left out
            column = check.get(role)
            if not isinstance(column, str) or column not in fields:
                out.append(f"evidenceCheck.{role} must name a field of this schema, not {_json(column)}")
    return out


def _field_names(res: dict[str, Any]) -> set[str] | None:
    """The field names of a resource, or None if its schema has no usable list of fields."""
    schema = res.get("schema")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list) or not all(
            isinstance(f, dict) and isinstance(f.get("name"), str) for f in schema["fields"]):
        return None
    return {f["name"] for f in schema["fields"]}


def _one_resource(res: Any) -> tuple[str, list[str]]:
    """(the resource's name as shown, its own problems) -- those that need no other resource."""
    if not isinstance(res, dict) or not isinstance(res.get("name"), str) or not res["name"]:
        return "?", ["a resource must be an object with a 'name'"]
    name, schema = res["name"], res.get("schema")
    if _field_names(res) is None:
        return name, ["needs a 'schema' object with a list of 'fields', each with a 'name'"]
    out = []
    path = res.get("path", f"{name}.csv")
    why = path_problem(path) if isinstance(path, str) else "it must be a string"
    if why:
        out.append(f"'path' cannot be used: {why}; give a path relative to the folder of "
                   "datapackage.json, inside it")
    seen: set[str] = set()
    for spec in schema["fields"]:
        if spec["name"] in seen:
            out.append(f"field {spec['name']!r} is named twice; rename or remove one")
        seen.add(spec["name"])
        out += [f"field {spec['name']!r}: {p}" for p in _field_problems(spec)]
    return name, out + _key_problems(schema, seen) + _table_rule_problems(res, seen)


def resource_problems(resources: list[Any]) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """Split the resources of a descriptor into those the checks can use and the problems of the rest.

    Parameters
    ----------
    resources : list
        The descriptor's ``resources``, as parsed from JSON.

    Returns
    -------
    usable : list of dict
        The resources without a problem, each with its ``path`` set (default ``NAME.csv``).
    problems : list of (int, str)
        Position in ``resources`` and a message that names the resource, the field and
        what to do.
    """
    checked = [_one_resource(res) for res in resources]
    # A foreign key may point at a resource left out for a problem of its own: it still exists.
    fields: dict[str, set[str] | None] = {}
    for res in resources:
        if isinstance(res, dict) and isinstance(res.get("name"), str):
            fields.setdefault(res["name"], _field_names(res))
    usable, problems, names = [], [], set()
    for i, (res, (name, own)) in enumerate(zip(resources, checked, strict=True)):
        found = list(own)
        if name in names:
            found.append("another resource has this name; give each resource its own")
        names.add(name)
        if not found:
            found = _reference_problems(res, fields)
        if found:
            problems += [(i, p if name == "?" else f"resource {name!r}: {p}") for p in found]
        else:
            usable.append({**res, "path": res.get("path", f"{name}.csv")})
    return usable, problems


def _reference_problems(res: dict[str, Any], fields: dict[str, set[str] | None]) -> list[str]:
    """Foreign keys of ``res`` that name a resource or field the package does not have."""
    out = []
    for fk in res["schema"].get("foreignKeys", []):
        target, wanted = fk["reference"]["resource"], _names(fk["reference"]["fields"]) or []
        if target not in fields:
            out.append(f"foreign key {_json(fk['fields'])} points at resource {target!r}, which the "
                       "package does not have")
            continue
        have = fields[target]
        out += [f"foreign key {_json(fk['fields'])} points at {target}.{f}, which is not a field of "
                f"{target!r}" for f in wanted if have is not None and f not in have]
    return out

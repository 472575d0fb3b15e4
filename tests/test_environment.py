"""environment.yml and the Makefile install exactly what pyproject.toml declares."""

import re
import tomllib
from pathlib import Path

import yaml
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
ENV = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def _conda_deps() -> list:
    return ENV["dependencies"]


def _pip_lines() -> list[str]:
    return next(d["pip"] for d in _conda_deps() if isinstance(d, dict) and "pip" in d)


def _extras(spec: str) -> set[str]:
    match = re.fullmatch(r"-e \.\[([a-z,\-]+)\]", spec.strip())
    assert match, f"expected an editable install of the project with extras, got {spec!r}"
    return set(match.group(1).split(","))


def test_conda_python_satisfies_requires_python():
    pins = [d for d in _conda_deps() if isinstance(d, str) and d.startswith("python")]
    assert len(pins) == 1
    version = pins[0].split("=", 1)[1]
    assert version in SpecifierSet(PYPROJECT["project"]["requires-python"])


def test_conda_env_lists_no_second_copy_of_the_dependencies():
    # Only python and pip come from conda; every library comes from pyproject.toml via pip.
    names = {d.split("=")[0] for d in _conda_deps() if isinstance(d, str)}
    assert names == {"python", "pip"}
    assert len(_pip_lines()) == 1


def test_conda_env_installs_the_same_extras_as_the_makefile():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    make_spec = re.search(r"pip install --quiet (-e '\.\[[a-z,\-]+\]')", makefile).group(1)
    assert _extras(_pip_lines()[0]) == _extras(make_spec.replace("'", ""))


def test_every_installed_extra_exists_in_pyproject():
    declared = set(PYPROJECT["project"]["optional-dependencies"])
    assert _extras(_pip_lines()[0]) <= declared

"""Shared fixtures: a writable copy of the shipped Data Package, and the source texts."""

from pathlib import Path

import pytest

from sswanalysis.datapackage.descriptor import shipped_data_dir

ROOT = Path(__file__).resolve().parents[1]
#: The project's shared folder sits beside the checkout (and beside CI's clean clone).
SOURCES_DIR = ROOT.parent / "shared" / "sources"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the shipped Data Package that a test may corrupt."""
    target = tmp_path / "data"
    target.mkdir()
    for item in shipped_data_dir().iterdir():
        if item.name.endswith((".csv", ".json")):
            (target / item.name).write_bytes(item.read_bytes())
    return target


@pytest.fixture
def sources_dir() -> Path:
    if not SOURCES_DIR.is_dir():
        pytest.skip(f"the source texts are not beside the checkout ({SOURCES_DIR})")
    return SOURCES_DIR



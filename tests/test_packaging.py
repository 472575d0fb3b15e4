"""The wheel ships the one copy of data/ as sswanalysis/data, and the package imports lightly."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_the_data_package_and_the_font(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--verbose", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    # Data folders must be declared packages, else setuptools warns ~95 lines on install
    # ("Package would be ignored"), which reads as if the fonts were missing.
    assert "would be ignored" not in built.stdout + built.stderr
    (wheel,) = tmp_path.glob("sswanalysis-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"sswanalysis/data/{p.name}" for p in (ROOT / "data").iterdir()
               if p.suffix in {".csv", ".json"}}
    assert shipped and shipped <= names
    assert any(n.startswith("sswanalysis/fonts/") and n.endswith(".otf") for n in names)
    assert {"sswanalysis/fonts/OFL.txt", "sswanalysis/templates/provinces.csv"} <= names
    assert not any(n.startswith("data/") for n in names)  # no second, top-level copy


def test_import_loads_neither_pandas_nor_matplotlib_nor_statsmodels():
    code = ("import sys, sswanalysis; "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'statsmodels', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

"""The bundled CJK font covers every string the data and the charts show."""

import pandas as pd
import pytest
from fontTools.ttLib import TTFont

import sswanalysis as ssw
from sswanalysis import analysis
from sswanalysis.figures import plots, style


@pytest.fixture(scope="module")
def cmap():
    return TTFont(str(style.font_path())).getBestCmap()


def missing(text, cmap):
    return sorted({c for c in text if c.isprintable() and ord(c) not in cmap})


def test_font_is_small_and_licensed():
    path = style.font_path()
    assert path.stat().st_size < 4_000_000
    assert (path.parent / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") == 1
    assert TTFont(str(path))["name"].getDebugName(1) == style.FONT_FAMILY


def test_every_table_string_is_covered(cmap):
    for name in ssw.tables().index:
        df = ssw.load(name)
        for col in df.columns:
            if pd.api.types.is_string_dtype(df[col]) or isinstance(df[col].dtype, pd.CategoricalDtype):
                text = "".join(str(v) for v in df[col].dropna())
                assert missing(text, cmap) == [], f"{name}.{col}"


def test_chart_labels_are_covered(cmap):
    labels = [plots.NOT_REPORTED, "确数 exact", "余/近/约 → 区间 interval", "万元 / 站", "站·月",
              "假设覆盖全部站点 assumed", "来源写明 stated", "≥≤≈–—÷×·"]
    for table in ("features", "units", "methods", "indicator_codes"):
        labels += [f"{zh}{en}" for zh, en in analysis.vocabulary(table).values()]
    labels += [v[0] + v[1] for v in analysis.QUALIFIER_LABELS.values()]
    assert missing("".join(labels), cmap) == []


def test_notebook_text_is_covered(cmap):
    # The lab and the report draw the notebooks' markdown, code and text outputs in this font.
    import json
    from pathlib import Path

    for path in sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            text = "".join(cell["source"])
            for out in cell.get("outputs", []):
                text += "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
                text += "".join(out.get("data", {}).get("text/html", ""))
            assert missing(text, cmap) == [], f"{path.name}: {text[:60]!r}"

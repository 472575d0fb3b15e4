"""Stored notebook outputs come from one clean top-to-bottom run and carry nothing volatile."""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_notebooks_are_numbered_in_sequence():
    assert len(NOTEBOOKS) >= 7
    assert [p.name[:3] for p in NOTEBOOKS] == [f"{i:02d}-" for i in range(1, len(NOTEBOOKS) + 1)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_clean_run(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    for c in code:
        for out in c["outputs"]:
            assert out["output_type"] != "error", c["source"]
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), out["text"]
    text = json.dumps([c["outputs"] for c in code], ensure_ascii=False)
    text = re.sub(r'"image/png": "[^"]*"', "", text)
    assert not re.search(r"0x[0-9a-f]{6,}", text), "memory address in an output"
    assert not re.search(r"/(home|tmp|work|root|Users)/", text), "machine path in an output"
    assert "np.float64(" not in text and "np.int64(" not in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_opens_with_question_and_setup(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    first_md = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "".join(first_md["source"]).startswith("# ") and "**Question.**" in "".join(first_md["source"])
    first_code = "".join(next(c for c in nb["cells"] if c["cell_type"] == "code")["source"])
    assert "style.notebook_setup()" in first_code
    last_md = "".join([c for c in nb["cells"] if c["cell_type"] == "markdown"][-1]["source"])
    assert "Caveats" in last_md or "cannot" in last_md


def test_planning_notebook_has_papermill_parameters():
    nb = json.loads(next(p for p in NOTEBOOKS if p.name.startswith("06-")).read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and "N_TOWNSHIPS = 20" in "".join(tagged[0]["source"])

"""Every notebook that names an assumption takes it as a papermill parameter, and -p changes the output.

Each notebook 03-06 is run by papermill with one assumption changed, into a temporary folder
(never into ``notebooks/``), and its outputs are compared with the committed run: the
parameter must reach the cells that use it, so the outputs differ, and in the expected way.
"""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

#: notebook -> (parameters to pass, a line only the changed run prints (regex), text only the
#: default run prints)
CASES = {
    # the Ulanqab pilot money set to cover 10 stations: the main table has a per-station amount
    "03-funding.ipynb": ({"ULANQAB_FUND_STATIONS": 10},
                         r"ulanqab-01 +自治区福彩公益金 +1,000,000 元 +100\.0 +10 +set +10\.0", "unknown"),
    # one number of months instead of the band
    "04-service-output.ipynb": ({"PINGCHUAN_MONTHS": 6, "ULANQAB_MONTHS": 12},
                                r"\{'pingchuan': 6, 'ulanqab': 12\}", "(0.5, 8.0)"),
    "05-statistics.ipynb": ({"PINGCHUAN_MONTHS": 6}, r"\b6–6\b", "0.5–8"),
    # 40 stations at the Linze cost level of 15 万元 set-up money each: 600 万元
    "06-planning-scenarios.ipynb": ({"N_TOWNSHIPS": 40}, r"stated +15\.0 +40 +600\.0", " 300.0"),
}


def _texts(nb: dict) -> str:
    """All text outputs of a notebook's code cells, papermill's injected cell left out."""
    out = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or "injected-parameters" in cell["metadata"].get("tags", []):
            continue
        for o in cell.get("outputs", []):
            if o["output_type"] == "stream":
                out.append("".join(o["text"]))
            elif "text/plain" in o.get("data", {}):
                out.append("".join(o["data"]["text/plain"]))
    return re.sub(r"<Figure size [^>]*>", "", "\n".join(out))


@pytest.mark.parametrize("name", sorted(CASES))
def test_parameters_cell_names_every_assumption(name):
    from nbformat.v4 import new_code_cell
    from papermill.translators import PythonTranslator

    nb = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    # papermill reads every line (an '=' or a quote in a comment makes it skip one)
    parsed = {p.name for p in PythonTranslator.inspect(new_code_cell(source))}
    assigned = set(re.findall(r"^([A-Z_]+) = ", source, flags=re.M))
    assert parsed == assigned and set(CASES[name][0]) <= parsed


@pytest.mark.parametrize("name", sorted(CASES))
def test_papermill_parameter_changes_the_output(name, tmp_path):
    papermill = pytest.importorskip("papermill")
    parameters, changed, default_only = CASES[name]
    before = sorted(p.name for p in NOTEBOOKS.iterdir())
    out = tmp_path / name
    papermill.execute_notebook(str(NOTEBOOKS / name), str(out), parameters=parameters,
                               kernel_name="python3", cwd=str(NOTEBOOKS), progress_bar=False)
    run = json.loads(out.read_text(encoding="utf-8"))
    stored = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    injected = [c for c in run["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1
    new, old = _texts(run), _texts(stored)
    assert new != old
    assert re.search(changed, new) and not re.search(changed, old)
    assert default_only in old and default_only not in new
    assert sorted(p.name for p in NOTEBOOKS.iterdir()) == before  # nothing written beside them

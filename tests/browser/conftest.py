"""Real-browser tests: Debian's ``chromium`` driven by Playwright for Python (``make browser``).

Playwright's own browser download is never used: the tests launch the system Chromium
through ``executable_path`` (``SSWANALYSIS_CHROMIUM`` overrides where it is looked for).
Without a Chromium they are skipped with a message saying how to get one. Screenshots go to
``build/e2e/`` for a reviewer to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = ROOT / "build" / "e2e"

#: The flags the project uses for headless Chromium everywhere (CI runs as root, in a
#: container without a GPU, and must not reach the network on its own).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """The Chromium the tests drive: ``$SSWANALYSIS_CHROMIUM``, else ``chromium`` on PATH."""
    return os.environ.get("SSWANALYSIS_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        pytest.skip("no chromium: `make browser` installs Debian's chromium (as root: "
                    "apt-get install chromium) or set SSWANALYSIS_CHROMIUM to a Chromium binary")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def e2e_dir() -> Path:
    E2E_DIR.mkdir(parents=True, exist_ok=True)
    return E2E_DIR


#: Page-side check of how an element's Chinese text is drawn: the state of the bundled
#: @font-face, the element's font list, and the advance of its Han characters measured in
#: that font list (a CJK face draws each Han character 1 em wide).
_FONT_STATE_JS = """([el, family]) => {
  const face = [...document.fonts].find(f => f.family.replace(/["']/g, '') === family);
  const han = (el.textContent.match(/[\\u3400-\\u9fff]+/g) || []).join('');
  const cs = getComputedStyle(el);
  const px = parseFloat(cs.fontSize);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${px}px ${cs.fontFamily}`;
  return {status: face ? face.status : 'absent', fontFamily: cs.fontFamily, han,
          check: document.fonts.check(`${px}px "${family}"`, han || '中'),
          emPerChar: han ? ctx.measureText(han).width / px / [...han].length : null};
}"""


@pytest.fixture(scope="session")
def font_state():
    """``font_state(page, element)`` -> how the element's Chinese text is drawn (a dict)."""
    from sswanalysis.figures.style import FONT_FAMILY

    def state(page, element) -> dict:
        return page.evaluate(_FONT_STATE_JS, [element, FONT_FAMILY])

    return state


@pytest.fixture(scope="session")
def font_faults(font_state):
    """``font_faults(page, element, where)`` -> what keeps the element's Chinese text from being
    drawn in the bundled font, which has every glyph of it (empty when nothing does)."""
    from fontTools.ttLib import TTFont

    from sswanalysis.figures.style import FONT_FAMILY, font_path

    cmap = TTFont(str(font_path())).getBestCmap()

    def faults(page, element, where: str) -> list[str]:
        st = font_state(page, element)
        if not st["han"]:
            return [f"{where}: no Chinese text to check"]
        out = []
        if st["status"] != "loaded":
            out.append(f"{where}: bundled font {FONT_FAMILY!r} is {st['status']}")
        if not st["fontFamily"].strip('"\' ').startswith(FONT_FAMILY):
            out.append(f"{where}: font list {st['fontFamily']!r} does not start with {FONT_FAMILY!r}")
        if not st["check"]:
            out.append(f"{where}: document.fonts.check says the bundled font is not ready")
        lacking = sorted({c for c in st["han"] if ord(c) not in cmap})
        if lacking:
            out.append(f"{where}: the bundled font lacks {''.join(lacking)}")
        if abs(st["emPerChar"] - 1) >= 0.02:
            out.append(f"{where}: Han characters are {st['emPerChar']:.2f} em wide, not 1 em")
        return out

    return faults

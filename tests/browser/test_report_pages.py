"""Every page of the HTML report (``build/report/``), opened from ``file://`` in Chromium.

Written against whatever pages exist: each ``.html`` file under the report folder is a test
case, and every link found in a page is resolved. A page fails on a console error, a failed
or network request (the report is offline), a broken link or anchor, a page no link reaches
from ``index.html``, Chinese text not drawn in the bundled font, or horizontal overflow at a
390 px wide phone viewport outside a scrollable table.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPORT = Path(os.environ.get("SSWANALYSIS_REPORT", ROOT / "build" / "report")).resolve()
PAGES = sorted(REPORT.rglob("*.html")) if REPORT.is_dir() else []

pytestmark = pytest.mark.browser

#: One element with Chinese text of its own per kind (heading, paragraph or list item, table
#: cell), the first of each in the page.
_CHINESE_SAMPLES_JS = """() => {
  const own = e => [...e.childNodes].some(n => n.nodeType === 3 && /[\\u3400-\\u9fff]/.test(n.textContent));
  return ['h1, h2, h3, h4', 'p, li', 'td, th']
    .map(sel => [...document.querySelectorAll(sel)].find(e => own(e) && e.getClientRects().length))
    .filter(Boolean);
}"""

#: Elements sticking out of the viewport's right edge, unless they are (or are inside) a table,
#: a code block or a chart image held by a scroll container that fits the viewport (on phones
#: a chart keeps a readable width and scrolls sideways in its own box, with a hint). The page's
#: own body scrolling sideways counts as overflow.
_OVERFLOW_JS = """() => {
  const W = document.documentElement.clientWidth;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const bad = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= W + 1) continue;
    let p = el.parentElement, ok = false;
    for (; p && p !== document.body; p = p.parentElement) {
      if (!['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) continue;
      const holder = el.closest('table, pre, img');
      ok = p.getBoundingClientRect().right <= W + 1 && holder !== null && p.contains(holder);
      break;
    }
    if (!ok) bad.push(`${name(el)} reaches ${Math.round(r.right)} px`);
  }
  return {width: W, scrollWidth: document.documentElement.scrollWidth, bad};
}"""


def _slug(page: Path) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", page.relative_to(REPORT).with_suffix("").as_posix())


def _ids(page: Path) -> set[str]:
    text = page.read_text(encoding="utf-8")
    return {html.unescape(v) for v in re.findall(r'\s(?:id|name)="([^"]+)"', text)}


def _link_faults(href: str) -> list[str]:
    """What is wrong with one resolved link of a report page (empty when it resolves)."""
    parts = urlsplit(href)
    if parts.scheme in {"http", "https", "mailto"}:
        return []  # cannot be followed offline; the report itself never loads them
    if parts.scheme != "file":
        return [f"link {href!r}: scheme {parts.scheme!r} does not work from a file"]
    target = Path(url2pathname(unquote(parts.path))).resolve()
    if not target.is_relative_to(REPORT):
        return [f"link {href!r} leaves the report folder (breaks when the folder is copied)"]
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return [f"link {href!r}: no file {target.relative_to(REPORT)}"]
    # A browser matches the fragment as written, then percent-decoded (HTML's "indicated part").
    fragment = parts.fragment
    if fragment and target.suffix == ".html" and not {fragment, unquote(fragment)} & _ids(target):
        return [f"link {href!r}: no id {unquote(fragment)!r} in {target.relative_to(REPORT)}"]
    return []


def _links(browser, page_path: Path) -> list[str]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(page_path.as_uri(), wait_until="domcontentloaded")
        return page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    finally:
        context.close()


def test_the_report_exists():
    assert PAGES, f"no report pages under {REPORT}: run `make report` first (`make browser` does)"
    assert REPORT / "index.html" in PAGES


def test_every_page_is_reached_from_the_index(browser):
    if not PAGES:
        pytest.fail(f"no report pages under {REPORT}")
    seen, todo = set(), [REPORT / "index.html"]
    while todo:
        page = todo.pop()
        if page in seen or not page.is_file():
            continue
        seen.add(page)
        for href in _links(browser, page):
            parts = urlsplit(href)
            if parts.scheme == "file" and parts.path.endswith(".html"):
                todo.append(Path(url2pathname(unquote(parts.path))).resolve())
    assert sorted(set(PAGES) - seen) == []


@pytest.mark.parametrize("page_path", PAGES, ids=lambda p: p.relative_to(REPORT).as_posix())
def test_page(browser, page_path, e2e_dir, font_faults):
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request {r.url}: {r.failure}"))
    page.on("request", lambda r: urlsplit(r.url).scheme not in {"file", "data", "blob"}
            and problems.append(f"network request {r.url} (the report must work offline)"))
    try:
        page.goto(page_path.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=e2e_dir / f"report-{_slug(page_path)}-1400.png")

        samples = page.evaluate_handle(_CHINESE_SAMPLES_JS)
        elements = [p.as_element() for p in samples.get_properties().values()]
        assert elements, "no Chinese text on the page"
        for element in elements:
            tag = element.evaluate("e => e.tagName.toLowerCase()")
            problems += font_faults(page, element, f"<{tag}>")

        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
        problems += [fault for href in hrefs for fault in _link_faults(href)]

        page.set_viewport_size({"width": 390, "height": 844})
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        page.screenshot(path=e2e_dir / f"report-{_slug(page_path)}-390.png")
        layout = page.evaluate(_OVERFLOW_JS)
        problems += [f"at 390 px: {b}" for b in layout["bad"][:10]]
        if layout["scrollWidth"] > layout["width"] + 1:
            problems.append(f"at 390 px the page scrolls sideways ({layout['scrollWidth']} px wide)")
    finally:
        context.close()
    assert not problems, "\n".join(problems)

"""JupyterLab as ``sswanalysis lab`` starts it, driven through its interface in Chromium.

The server runs on a free loopback port with a token and a throw-away settings, data and
kernel folder; notebook 01 is a copy, so nothing in the checkout changes. The test restarts
the kernel and runs every cell from the notebook's toolbar, then checks what a researcher
would see: the project kernel, the interface in Chinese, no error output, the coverage table
and chart, and Chinese markdown drawn in the bundled font.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sswanalysis.publish import jupyter_lab as lab

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "01-data-tour.ipynb"
TOKEN = "sswanalysis-browser-test"

#: Lab settings of the run: the interface in Chinese (the language pack), every cell kept in
#: the page (no virtual scrolling), no autosave, no news or update checks over the network.
SETTINGS = {
    "@jupyterlab/translation-extension/plugin": {"locale": "zh_CN"},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


def _api(url: str, method: str = "GET") -> int:
    req = urllib.request.Request(url, method=method, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(req, timeout=5) as resp:
        return resp.status


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory):
    """Start the lab, yield its base URL, then shut it down through its API and check it stopped."""
    tmp = tmp_path_factory.mktemp("lab")
    root, settings = tmp / "notebooks", tmp / "settings"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    for plugin, values in SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    lab_dir = lab.prepare(tmp / "lab")
    port = lab.free_port()
    argv, env = lab.lab_command(root, port, TOKEN, lab_dir)
    env.update(JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(tmp / "ws"),
               JUPYTER_DATA_DIR=str(tmp / "data"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"))
    log = (tmp / "server.log").open("w", encoding="utf-8")
    server = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://{lab.HOST}:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if _api(f"{base}/api/status") == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the lab did not start:\n{(tmp / 'server.log').read_text()[-3000:]}")
            time.sleep(0.5)
        yield base
        assert _api(f"{base}/api/shutdown", method="POST") == 200
        assert server.wait(timeout=60) == 0, (tmp / "server.log").read_text()[-3000:]
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        log.close()


def _cell(page, marker: str):
    """The notebook cell whose source contains ``marker``."""
    cell = page.locator(".jp-Notebook .jp-CodeCell").filter(
        has=page.locator(".jp-InputArea-editor", has_text=marker))
    assert cell.count() == 1, f"expected one code cell containing {marker!r}"
    return cell


def test_notebook_runs_in_the_lab(browser, lab_url, e2e_dir, font_faults):
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    n_code = sum(c["cell_type"] == "code" for c in nb["cells"])
    console: list[str] = []
    bad_requests: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.on("console", lambda m: m.type in {"error", "warning"}
            and console.append(f"{m.type}: {m.text} ({m.location.get('url', '')})"))
    page.on("response", lambda r: r.status >= 400 and bad_requests.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: bad_requests.append(f"failed {r.url}: {r.failure}"))
    try:
        page.goto(f"{lab_url}/lab/tree/{NOTEBOOK.name}?token={TOKEN}")
        toolbar = page.locator(".jp-NotebookPanel-toolbar")
        toolbar.locator(".jp-Toolbar-kernelName", has_text=lab.KERNEL_DISPLAY_NAME).wait_for(timeout=90_000)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=90_000)
        assert page.locator(".lm-MenuBar-itemLabel", has_text="文件").count() == 1, \
            "the interface is not in Chinese (language pack jupyterlab-language-pack-zh-cn)"
        # The stored outputs show before anything runs: tables and charts need no trust.
        stored = _cell(page, "coverage_matrix(").locator(".jp-OutputArea-output table")
        assert stored.count() == 1, "the stored coverage table is not shown when the notebook opens"
        page.screenshot(path=e2e_dir / "lab-01-data-tour-opened.png")

        toolbar.locator("[data-command='notebook:restart-run-all']").click()
        page.locator(".jp-Dialog .jp-mod-accept").click()
        page.wait_for_function(
            """n => { const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                        .map(e => e.textContent.trim());
                      return p.length === n && p.every(t => /^\\[\\d+\\]:$/.test(t)); }""",
            arg=n_code, timeout=180_000)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=60_000)

        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.all_inner_texts()

        table = _cell(page, "coverage_matrix(").locator(".jp-OutputArea-output table")
        assert table.count() == 1 and table.locator("tbody tr").count() > 5
        chart = _cell(page, "coverage_chart(").locator(".jp-OutputArea-output img")
        assert chart.count() == 1
        assert chart.evaluate("img => img.complete && img.naturalWidth > 300")

        heading = page.locator(".jp-MarkdownOutput h1").first
        page.evaluate("document.fonts.ready.then(() => true)")
        page.locator(".jp-Notebook").evaluate("e => e.scrollTop = 0")
        page.screenshot(path=e2e_dir / "lab-01-data-tour-top.png")
        faults = font_faults(page, heading.element_handle(), "notebook 01 heading")
        table_cell = table.locator("th, td").filter(has_text=re.compile("[\u4e00-\u9fff]")).first
        if table_cell.count():
            faults += font_faults(page, table_cell.element_handle(), "coverage table")
        assert not faults, "\n".join(faults)
        chart.scroll_into_view_if_needed()
        page.screenshot(path=e2e_dir / "lab-01-data-tour-chart.png")
    finally:
        context.close()
    # The lab's own warnings (slow plugins on a busy machine ...) are not ours to fix; these are.
    ours = [m for m in console
            if any(k in m for k in ("/custom/", "custom.css", "Noto", "No exact match", "kernelspec"))]
    assert ours == [], f"the browser console warns about the project's files or kernel: {ours}"
    assert bad_requests == []

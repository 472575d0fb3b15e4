"""The lab environment: JupyterLab 4 with the Chinese language pack, configured by ``sswanalysis lab``.

The lab itself is driven in Chromium by ``tests/browser/test_lab.py`` (``make browser``).
"""

import json
import subprocess
import sys

from sswanalysis.publish import jupyter_lab as lab


def test_jupyterlab_4_with_the_chinese_language_pack():
    out = subprocess.run([sys.executable, "-m", "jupyterlab", "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip().split(".")[0] == "4"
    from jupyterlab_server.translation_utils import get_language_packs

    packs, message = get_language_packs("en")
    assert "zh_CN" in packs, message
    assert packs["zh_CN"]["nativeName"].startswith("中文")


def test_prepared_lab_serves_the_bundled_font_and_one_kernel(tmp_path):
    from sswanalysis.figures.style import FONT_FAMILY, font_path

    d = lab.prepare(tmp_path)
    css = (d / "config/custom/custom.css").read_text(encoding="utf-8")
    assert f'font-family: "{FONT_FAMILY}"; src: url("{font_path().name}")' in css
    assert (d / "config/custom" / font_path().name).read_bytes() == font_path().read_bytes()
    spec = json.loads((d / "share/jupyter/kernels/python3/kernel.json").read_text(encoding="utf-8"))
    assert spec["argv"][0] == sys.executable and spec["display_name"] == "Python (sswanalysis)"
    config = json.loads((d / "config/jupyter_server_config.json").read_text(encoding="utf-8"))
    assert config["KernelSpecManager"]["allowed_kernelspecs"] == ["python3"]


def test_lab_refuses_a_missing_notebook_folder(tmp_path, capsys):
    from sswanalysis.cli import main

    assert main(["lab", "--notebooks", str(tmp_path / "nowhere")]) == 2
    assert "no folder" in capsys.readouterr().err

"""Works on Windows as on Linux: no POSIX-only calls, the same bytes in every file we write,
and a notebook kernel reached over TCP where IPC sockets do not exist.

The two scans read the code with :mod:`ast`, so a call inside a function counts as much as
one at the top of a module. ``benchmarks/`` may measure with POSIX tools and is not scanned.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from sswanalysis.publish.notebooks import execute_notebook, kernel_transport

ROOT = Path(__file__).resolve().parents[1]
SCANNED = sorted([*ROOT.joinpath("sswanalysis").rglob("*.py"), *ROOT.joinpath("tools").rglob("*.py")])

#: Modules that do not exist on Windows.
POSIX_MODULES = {"resource", "fcntl", "pwd", "grp", "termios", "tty", "pty", "posix", "crypt",
                 "syslog", "spwd", "nis", "readline", "curses"}
#: os functions that Windows lacks.
POSIX_OS = {"fork", "forkpty", "getuid", "geteuid", "getgid", "getegid", "setsid", "killpg",
            "getpgid", "setpgrp", "wait3", "wait4", "mkfifo", "chown", "lchown", "sysconf",
            "uname", "getloadavg", "nice", "statvfs", "openpty", "setuid", "setgid"}
#: The signals Windows has; any other ``signal.X`` is POSIX-only (SIGKILL, SIGALRM, alarm …).
WINDOWS_SIGNAL = {"signal", "getsignal", "default_int_handler", "raise_signal", "strsignal",
                  "Signals", "Handlers", "SIG_DFL", "SIG_IGN", "SIGINT", "SIGTERM", "SIGABRT",
                  "SIGFPE", "SIGILL", "SIGSEGV", "SIGBREAK", "CTRL_C_EVENT", "CTRL_BREAK_EVENT"}
#: An absolute POSIX path written into the code (/tmp, /dev/null, /usr/share …).
POSIX_PATH = re.compile(r"^/(tmp|var|usr|dev|etc|home|proc|opt|bin|mnt|root)(/|$)")


def _dotted(node: ast.AST) -> str:
    """``os.fork`` for the expression ``os.fork``; ``().open`` for ``Path(p).open``."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    parts.append(node.id if isinstance(node, ast.Name) else "()")
    return ".".join(reversed(parts))


def posix_only(source: str) -> list[tuple[int, str]]:
    """(line, what) for each POSIX-only thing in Python ``source``.

    >>> posix_only("import os\\nos.fork()\\nKernelManager(transport='ipc')\\nopen('/tmp/x')")
    [(2, 'os.fork'), (3, "transport='ipc' without a TCP fallback"), (4, "path '/tmp/x'")]
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, f"import {a.name}") for a in node.names
                      if a.name.split(".")[0] in POSIX_MODULES]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            top = (node.module or "").split(".")[0]
            if top in POSIX_MODULES:
                found.append((node.lineno, f"from {node.module} import"))
            elif top in {"os", "signal"}:
                names = {a.name for a in node.names}
                bad = names & POSIX_OS if top == "os" else names - WINDOWS_SIGNAL
                found += [(node.lineno, f"{top}.{n}") for n in sorted(bad)]
        elif isinstance(node, ast.Attribute):
            name = _dotted(node)
            head, _, attr = name.rpartition(".")
            if (head == "os" and attr in POSIX_OS) or (head == "signal" and attr not in WINDOWS_SIGNAL):
                found.append((node.lineno, name))
            elif attr == "add_signal_handler":  # asyncio's, POSIX only
                found.append((node.lineno, name))
        elif isinstance(node, ast.keyword) and isinstance(node.value, ast.Constant):
            if node.arg == "transport" and node.value.value == "ipc":
                found.append((node.value.lineno, "transport='ipc' without a TCP fallback"))
        elif isinstance(node, ast.Call) and _dotted(node.func).endswith(("get_context", "set_start_method")):
            if any(isinstance(a, ast.Constant) and a.value in {"fork", "forkserver"} for a in node.args):
                found.append((node.lineno, f"{_dotted(node.func)}({node.args[0].value!r})"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and POSIX_PATH.match(node.value):
            found.append((node.lineno, f"path {node.value!r}"))
    return sorted(found)


def _keywords(call: ast.Call) -> set[str]:
    return {k.arg for k in call.keywords if k.arg}


def _mode(call: ast.Call, position: int) -> str | None:
    """The mode of an ``open`` call (positional argument ``position`` or ``mode=``), if constant."""
    node = next((k.value for k in call.keywords if k.arg == "mode"), None)
    if node is None and len(call.args) > position:
        node = call.args[position]
    if node is None:
        return "r"
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def platform_dependent_text(source: str) -> list[tuple[int, str]]:
    """(line, what) for each text file read or written with the platform's encoding or line ending.

    On Windows, ``open(p, "w")`` without ``encoding`` writes cp936 (GBK), and without
    ``newline`` turns ``\\n`` into ``\\r\\n``; ``DataFrame.to_csv`` ends lines with
    ``os.linesep`` unless told otherwise.

    >>> platform_dependent_text("p.write_text(s, encoding='utf-8')\\nopen(p, 'wb')\\ndf.to_csv(p)")
    [(1, 'write_text without newline='), (3, 'to_csv without lineterminator=')]
    >>> platform_dependent_text("p.read_text()\\nwith p.open('w', encoding='utf-8') as f: pass")
    [(1, 'read_text without encoding='), (2, 'open for writing without newline=')]
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        attr = name.rpartition(".")[2]
        kw = _keywords(node)
        if attr in {"write_text", "read_text"} and "." in name:  # Path's methods, not writing.write_text
            need = {"encoding", "newline"} if attr == "write_text" else {"encoding"}
            found += [(node.lineno, f"{attr} without {k}=") for k in sorted(need - kw)]
        elif attr == "to_csv" and "lineterminator" not in kw:
            found.append((node.lineno, "to_csv without lineterminator="))
        elif attr == "open" and name != "os.open":
            # builtin open(path, mode) or Path(...).open(mode): the mode's position differs
            mode = _mode(node, 1 if name in {"open", "io.open"} else 0)
            if mode is None or "b" in mode:
                continue
            if "encoding" not in kw:
                found.append((node.lineno, "open in text mode without encoding="))
            if set(mode) & set("wax") and "newline" not in kw:
                found.append((node.lineno, "open for writing without newline="))
    return sorted(found)


def _scan(check) -> list[str]:
    return [f"{path.relative_to(ROOT).as_posix()}:{line}: {what}"
            for path in SCANNED
            for line, what in check(path.read_text(encoding="utf-8"))]


def test_no_posix_only_calls_in_the_package_or_tools():
    assert _scan(posix_only) == []


def test_every_text_file_is_read_and_written_with_explicit_encoding_and_line_endings():
    assert _scan(platform_dependent_text) == []


#: (scan, snippets it must flag, snippets it must let pass)
SCAN_CASES = [
    (posix_only,
     ["import resource", "from fcntl import flock", "import os\nos.fork()", "os.getuid()",
      "from os import killpg", "import signal\nsignal.alarm(5)", "signal.SIGKILL",
      "from signal import SIGALRM", "mp.get_context('fork')", "KernelManager(transport='ipc')",
      "Path('/tmp/report')", "open('/dev/null')", "loop.add_signal_handler(2, f)"],
     ["import os\nos.path.join(a, 'b')", "signal.signal(signal.SIGINT, h)", "os.replace(a, b)",
      "KernelManager(transport=kernel_transport())", "'万/亿'", "'https://example.org/usr/x'"]),
    (platform_dependent_text,
     ["open(p, 'w', encoding='utf-8')", "open(p, encoding=None or 'x', mode='a')", "open(p)",
      "Path(p).open('w', newline='')", "p.write_text(t, newline='\\n')", "df.to_csv(p, index=False)"],
     ["open(p, 'rb')", "open(p, 'w', encoding='utf-8', newline='')", "p.open(encoding='utf-8')",
      "p.write_text(t, encoding='utf-8', newline='\\n')", "df.to_csv(p, lineterminator='\\n')",
      "os.open(p, os.O_RDONLY)", "p.write_bytes(b)"]),
]


@pytest.mark.parametrize(("scan", "snippet", "faulty"), [
    (scan, snippet, faulty)
    for scan, bad, good in SCAN_CASES
    for faulty, snippets in ((True, bad), (False, good))
    for snippet in snippets
])
def test_the_scans_tell_faulty_code_from_portable_code(scan, snippet, faulty):
    assert bool(scan(snippet)) is faulty


def test_csv_we_write_has_a_bom_and_unix_line_endings_whatever_os_linesep(tmp_path, monkeypatch):
    # pandas ends CSV lines with os.linesep ("\r\n" on Windows) unless told otherwise.
    from sswanalysis.monthly.form import write_template
    from sswanalysis.writing import write_csv

    monkeypatch.setattr(os, "linesep", "\r\n")
    written = [write_csv(pd.DataFrame({"备注": ["第一行\n第二行", "x"]}), tmp_path / "a.csv"),
               *[p for p in write_template(tmp_path / "tpl") if p.suffix == ".csv"]]
    for path in written:
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), path
        assert b"\r" not in data, path
        data.decode("utf-8-sig")


def _probe_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(
        "from ipykernel.connect import get_connection_info\n"
        "info = get_connection_info(unpack=True)\n"
        "print(info['transport'], info['ip'])"))
    nbformat.write(nb, str(path))
    return path


def test_the_kernel_runs_over_tcp_on_loopback_where_ipc_is_missing(tmp_path):
    # Windows has no IPC sockets; force the TCP path here and ask the kernel how it was reached.
    nb = execute_notebook(_probe_notebook(tmp_path / "探针 probe.ipynb"), timeout=120, transport="tcp")
    assert nb.cells[0].outputs[0]["text"].split() == ["tcp", "127.0.0.1"]


def test_the_default_transport_is_ipc_here_and_the_kernel_uses_it(tmp_path):
    import zmq

    assert kernel_transport() == ("ipc" if zmq.has("ipc") else "tcp")
    nb = execute_notebook(_probe_notebook(tmp_path / "probe.ipynb"), timeout=120)
    assert nb.cells[0].outputs[0]["text"].split()[0] == kernel_transport()


def test_an_unknown_transport_is_refused(tmp_path):
    with pytest.raises(ValueError, match="'ipc' or 'tcp'"):
        execute_notebook(_probe_notebook(tmp_path / "p.ipynb"), transport="udp")


def _readme_block(after: str, fence: str) -> list[str]:
    text = ROOT.joinpath("README.md").read_text(encoding="utf-8").split(after, 1)[1]
    return text.split(f"```{fence}\n", 1)[1].split("```", 1)[0].splitlines()


def test_the_readme_windows_steps_are_the_linux_steps_ci_runs_respelled():
    # .ci/run runs the block marked <!-- ci: no-make -->; the Windows block must say the same.
    linux = _readme_block("<!-- ci: no-make -->", "bash")
    windows = _readme_block("### Without make", "bat")
    respelled = [line.replace("python3 -m venv", "py -m venv").replace(".venv/bin/", ".venv\\Scripts\\")
                 .replace("build/", "build\\") for line in linux]
    assert windows == respelled
    assert any("-m sswanalysis" in line for line in linux) and linux[-1].endswith("-m pytest")

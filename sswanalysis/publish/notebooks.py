"""Run a notebook top to bottom in a fresh kernel, and strip what changes between runs.

Shared by ``sswanalysis report`` (:mod:`sswanalysis.publish.html`) and
``tools/run_notebooks.py`` (``make notebooks``, the only way committed outputs change).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nbformat

__all__ = ["ENV", "KERNELSPEC", "execute_notebook", "first_heading", "kernel_transport", "normalise"]

#: Environment every notebook kernel runs with (the same as the Makefile's).
ENV = {
    "TZ": "UTC",
    "LC_ALL": "C.UTF-8",
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "Agg",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip volatile metadata so that re-running unchanged notebooks gives identical files.

    Sets ``metadata.kernelspec`` to python3, keeps only the language name and file
    extension in ``language_info``, drops execution timestamps and papermill metadata.

    Examples
    --------
    >>> import nbformat
    >>> ks = {"name": "conda-env-x-py", "display_name": "x"}
    >>> nb = nbformat.v4.new_notebook(metadata={"kernelspec": ks,
    ...     "language_info": {"name": "python", "version": "3.11.7"}, "papermill": {"a": 1}})
    >>> nb.cells.append(nbformat.v4.new_code_cell("1", metadata={"execution": {"t": "x"}}))
    >>> out = normalise(nb)
    >>> out.metadata["kernelspec"]["name"], dict(out.metadata["language_info"])
    ('python3', {'name': 'python'})
    >>> "papermill" in out.metadata, dict(out.cells[0].metadata)
    (False, {})
    """
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    info = nb.metadata.get("language_info", {})
    nb.metadata["language_info"] = {
        k: info[k] for k in ("name", "file_extension", "mimetype") if k in info
    }
    for key in ("papermill", "widgets", "vscode"):
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in ("execution", "papermill", "collapsed", "scrolled", "ExecuteTime"):
            cell.metadata.pop(key, None)
    return nb


def kernel_transport() -> str:
    """``"ipc"`` where ZeroMQ has IPC sockets (Linux, macOS), else ``"tcp"`` (Windows).

    IPC sockets are files in a private folder that no other user or program on the machine
    can reach, so we prefer them; Windows has none, and there the kernel listens on TCP
    ports of the loopback address 127.0.0.1 only.

    >>> kernel_transport() in {"ipc", "tcp"}
    True
    """
    import zmq

    return "ipc" if zmq.has("ipc") else "tcp"


def execute_notebook(path: str | Path, timeout: int = 600,
                     parameters: dict[str, object] | None = None, *,
                     transport: str | None = None) -> nbformat.NotebookNode:
    """Execute a notebook top to bottom in a fresh ``python3`` kernel; return it (unsaved).

    ``parameters`` are injected after the cell tagged ``parameters`` (papermill's
    convention), only those that the notebook's parameters cell names.

    The kernel runs in the notebook's folder with :data:`ENV` added to its environment (the
    caller's environment is left alone).

    Parameters
    ----------
    path : path
        The ``.ipynb`` file; it is read, never written.
    timeout : int
        Seconds one cell may run.
    parameters : dict, optional
        Values for the names of the notebook's ``parameters`` cell.
    transport : {"ipc", "tcp"}, optional
        How we talk to the kernel: local IPC sockets in a private temporary folder, or TCP
        on 127.0.0.1. Default: :func:`kernel_transport` (IPC where it exists, TCP on Windows).
    """
    import tempfile

    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    transport = transport or kernel_transport()
    if transport not in {"ipc", "tcp"}:
        raise ValueError(f"transport must be 'ipc' or 'tcp', not {transport!r}")
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    if parameters:
        nb = _parameterise(nb, parameters)
    with tempfile.TemporaryDirectory(prefix="sswanalysis-kernel-") as sockets:
        ip = os.path.join(sockets, "kernel") if transport == "ipc" else "127.0.0.1"
        km = KernelManager(kernel_name="python3", transport=transport, ip=ip)
        client = NotebookClient(
            nb,
            km=km,
            timeout=timeout,
            record_timing=False,
            resources={"metadata": {"path": str(path.parent.resolve())}},
        )
        try:
            client.execute(env={**os.environ, **ENV})
        finally:  # nbclient leaves a kernel it did not create running
            if km.has_kernel:
                km.shutdown_kernel(now=True)
    return normalise(nb)


def first_heading(nb: nbformat.NotebookNode) -> str:
    """Text of the first Markdown heading of a notebook (its title).

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells.append(nbformat.v4.new_markdown_cell("intro\\n# 1 · Data tour 数据\\nmore"))
    >>> first_heading(nb)
    '1 · Data tour 数据'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#+\s+(.+?)\s*$", cell.source, flags=re.M)
            if m:
                return m.group(1)
    return "(untitled)"


def _parameterise(nb: nbformat.NotebookNode, parameters: dict[str, object]) -> nbformat.NotebookNode:
    """Inject those of ``parameters`` that the notebook's ``parameters`` cell assigns."""
    import re

    from papermill.parameterize import parameterize_notebook

    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if not cells:
        return nb
    named = set(re.findall(r"^(\w+)\s*=", cells[0].source, flags=re.M))
    wanted = {k: v for k, v in parameters.items() if k in named}
    if not wanted:
        return nb
    nb.metadata.setdefault("papermill", {})  # papermill writes into these, as its loader sets them
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    nb = parameterize_notebook(nb, wanted, kernel_name="python3", language="python")
    for cell in nb.cells:
        if not cell.metadata.get("tags"):
            cell.metadata.pop("tags", None)
    nb.metadata.pop("papermill", None)
    return nb

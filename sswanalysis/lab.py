"""``sswanalysis lab``: JupyterLab on the notebooks, with the project kernel and the bundled font.

Three things make the lab read Chinese the same on every machine, without system CJK fonts:

* the kernel ``sswanalysis`` ("Python (sswanalysis)") is registered in this environment
  (``<sys.prefix>/share/jupyter/kernels``) with the fixed environment of the notebook runs,
  and it is the only kernel the lab offers, so the notebooks open on it without a dialog;
* the lab runs with its own Jupyter configuration folder, ``<sys.prefix>/etc/sswanalysis-lab``
  (``JUPYTER_CONFIG_DIR``), whose ``custom/custom.css`` serves the bundled Noto Sans CJK SC
  subset to every page of the lab -- JupyterLab's documented custom-CSS mechanism
  (``LabApp.custom_css``, which reads ``<config dir>/custom/custom.css``);
* lab settings (the interface language chosen under Settings → Language, themes) stay in the
  user's usual settings folder, so they survive a rebuilt environment.

The server listens on 127.0.0.1 only, with a random token, and never opens a browser unless
asked (``--browser``): on a machine without a display the URL is printed instead.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

__all__ = [
    "KERNEL_DISPLAY_NAME",
    "KERNEL_NAME",
    "free_port",
    "install_kernel",
    "lab_arguments",
    "lab_command",
    "lab_main",
    "write_config",
]

KERNEL_NAME = "sswanalysis"
KERNEL_DISPLAY_NAME = "Python (sswanalysis)"
HOST = "127.0.0.1"


def install_kernel(prefix: str | os.PathLike[str] = sys.prefix) -> Path:
    """Register this Python as the Jupyter kernel ``sswanalysis`` under ``prefix``; return its folder.

    The kernel runs with :data:`sswanalysis.report.ENV` (time zone, locale, hash seed), so a
    notebook run in the lab prints what ``make notebooks`` stored; ``MPLBACKEND`` is left out
    because :func:`sswanalysis.style.notebook_setup` selects the inline backend anyway.

    Examples
    --------
    >>> import json, tempfile
    >>> folder = install_kernel(tempfile.mkdtemp())
    >>> spec = json.loads((folder / "kernel.json").read_text(encoding="utf-8"))
    >>> spec["display_name"], spec["env"]["TZ"], folder.name
    ('Python (sswanalysis)', 'UTC', 'sswanalysis')
    """
    from ipykernel.kernelspec import install

    from sswanalysis.report import ENV

    env = {k: v for k, v in ENV.items() if k != "MPLBACKEND"}
    return Path(install(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME,
                        prefix=os.fspath(prefix), env=env))


def write_config(config_dir: str | os.PathLike[str]) -> Path:
    """Write the lab's Jupyter configuration folder; return ``config_dir/custom/custom.css``.

    ``custom/`` receives ``custom.css`` (:func:`sswanalysis.style.font_css`) and a copy of the
    bundled font with its licence, served by the lab at ``/custom/``.
    ``jupyter_server_config.json`` turns the custom CSS on and offers only the project kernel.

    Examples
    --------
    >>> import tempfile
    >>> css = write_config(tempfile.mkdtemp())
    >>> sorted(p.name for p in css.parent.iterdir())
    ['NotoSansCJKsc-Regular-subset.otf', 'OFL.txt', 'custom.css']
    >>> json.loads((css.parents[1] / "jupyter_server_config.json").read_text())["LabApp"]
    {'custom_css': True}
    """
    from sswanalysis.style import font_css, font_path

    config_dir = Path(config_dir)
    custom = config_dir / "custom"
    custom.mkdir(parents=True, exist_ok=True)
    font = font_path()
    for src in (font, font.parent / "OFL.txt"):
        shutil.copyfile(src, custom / src.name)
    css = custom / "custom.css"
    css.write_text(f"/* written by sswanalysis lab: the bundled CJK font */\n{font_css(font.name)}\n",
                   encoding="utf-8")
    config = {
        "LabApp": {"custom_css": True},
        "KernelSpecManager": {"allowed_kernelspecs": [KERNEL_NAME]},
        # The notebooks' metadata names the generic "python3" kernel (so they open in any
        # Jupyter); with one kernel offered, the lab picks it by language without asking.
        "MappingKernelManager": {"default_kernel_name": KERNEL_NAME},
    }
    (config_dir / "jupyter_server_config.json").write_text(json.dumps(config, indent=2) + "\n",
                                                           encoding="utf-8")
    return css


def free_port(preferred: int = 0) -> int:
    """``preferred`` if nothing listens on it on 127.0.0.1, else a port the system finds free.

    >>> 1024 <= free_port() <= 65535
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, preferred))
        except OSError:
            s.bind((HOST, 0))
        return int(s.getsockname()[1])


def lab_command(root: str | os.PathLike[str], port: int, token: str,
                config_dir: str | os.PathLike[str], *, browser: bool = False,
                env: dict[str, str] | None = None) -> tuple[list[str], dict[str, str]]:
    """The command line and environment that start the project's lab.

    Parameters
    ----------
    root : path
        Folder the lab shows (the notebooks).
    port : int
        Port on 127.0.0.1; the server fails rather than silently moving to another one, so
        the printed URL is always the right one.
    token : str
        The login token.
    config_dir : path
        Folder written by :func:`write_config`.
    browser : bool
        Open a web browser.
    env : dict, optional
        Environment to start from (default: this process's).

    Returns
    -------
    (list of str, dict)
        ``argv`` for :func:`subprocess.run` and its environment.

    Examples
    --------
    >>> argv, env = lab_command("notebooks", 8899, "abc", "/cfg", env={"MPLBACKEND": "Agg"})
    >>> argv[1:3], "--ServerApp.port=8899" in argv, "--no-browser" in argv
    (['-m', 'jupyterlab'], True, True)
    >>> env["JUPYTER_CONFIG_DIR"], "MPLBACKEND" in env
    ('/cfg', False)
    """
    from jupyter_core.paths import jupyter_config_dir

    env = dict(os.environ if env is None else env)
    # Settings and workspaces stay where the user's own lab keeps them (read before the
    # configuration folder is switched), so a chosen interface language persists.
    user_lab = Path(jupyter_config_dir()) / "lab"
    env.setdefault("JUPYTERLAB_SETTINGS_DIR", os.fspath(user_lab / "user-settings"))
    env.setdefault("JUPYTERLAB_WORKSPACES_DIR", os.fspath(user_lab / "workspaces"))
    env["JUPYTER_CONFIG_DIR"] = os.fspath(config_dir)
    env.pop("MPLBACKEND", None)  # the Makefile's Agg would reach the kernel; inline is wanted
    argv = [sys.executable, "-m", "jupyterlab",
            f"--ServerApp.ip={HOST}", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={os.fspath(root)}", f"--IdentityProvider.token={token}"]
    if not browser:
        argv.append("--no-browser")
    if getattr(os, "geteuid", lambda: -1)() == 0:  # containers and CI run as root
        argv.append("--ServerApp.allow_root=True")
    return argv, env


def lab_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``sswanalysis lab`` to ``parser``."""
    parser.add_argument("--notebooks", default="notebooks",
                        help="folder the lab opens on (default: notebooks)")
    parser.add_argument("--port", type=int, default=None,
                        help="port on 127.0.0.1 (default: 8888 when free, else any free port)")
    parser.add_argument("--browser", action="store_true", help="also open a web browser")


def lab_main(args: argparse.Namespace) -> int:
    """Run ``sswanalysis lab``; return the exit code of the server."""
    root = Path(args.notebooks).resolve()
    if not root.is_dir():
        print(f"sswanalysis lab: no folder {args.notebooks!r}; run it from the project folder "
              "or pass --notebooks DIR", file=sys.stderr)
        return 2
    port = args.port if args.port is not None else free_port(8888)
    install_kernel()
    config_dir = Path(sys.prefix) / "etc" / "sswanalysis-lab"
    write_config(config_dir)
    token = secrets.token_hex(24)
    argv, env = lab_command(root, port, token, config_dir, browser=args.browser)
    url = f"http://{HOST}:{port}/lab?token={token}"
    print(f"在浏览器中打开 JupyterLab / Open JupyterLab in a browser:\n\n    {url}\n\n"
          "按 Ctrl+C 两次停止 / Press Ctrl+C twice to stop.\n", flush=True)
    proc = subprocess.Popen(argv, env=env)
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:  # the server gets the same Ctrl+C and decides whether to stop
            continue


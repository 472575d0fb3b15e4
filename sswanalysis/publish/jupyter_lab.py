"""``sswanalysis lab``: JupyterLab on the notebooks, with the project kernel and the bundled font.

The lab runs with a folder of its own, ``<sys.prefix>/share/sswanalysis-lab`` (written by
:func:`prepare` on every start), which holds:

* ``config/``, the lab's Jupyter configuration folder (``JUPYTER_CONFIG_DIR``): its
  ``custom/custom.css`` serves the bundled Noto Sans CJK SC subset to every page of the lab
  through JupyterLab's documented custom-CSS mechanism (``LabApp.custom_css``, which reads
  ``<config dir>/custom/custom.css``), so Chinese reads the same without system CJK fonts;
* ``share/jupyter/kernels/python3``, put first on ``JUPYTER_PATH``: this environment's Python
  as the kernel shown as "Python (sswanalysis)", with the fixed environment of the notebook
  runs. The notebooks name the generic kernel ``python3`` (so they open in any Jupyter); in
  this lab that name is the project's environment -- an exact match, so no kernel dialog --
  and it is the only kernel offered.

Lab settings (the interface language chosen under Settings → Language, the theme) stay in the
user's usual settings folder, so they survive a rebuilt environment. The server listens on
127.0.0.1 only, with a random token, and opens no browser unless asked (``--browser``): on a
machine without a display the printed URL is all that is needed.
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
    "prepare",
    "write_config",
]

#: The notebooks' kernel name (see the module docstring) and how the lab shows it.
KERNEL_NAME = "python3"
KERNEL_DISPLAY_NAME = "Python (sswanalysis)"
HOST = "127.0.0.1"


def install_kernel(prefix: str | os.PathLike[str]) -> Path:
    """Write this Python's kernel spec to ``prefix/share/jupyter/kernels/python3``; return its folder.

    The kernel runs with :data:`sswanalysis.publish.notebooks.ENV` (time zone, locale, hash seed), so a
    notebook run in the lab prints what ``make notebooks`` stored; ``MPLBACKEND`` is left out
    because :func:`sswanalysis.figures.style.notebook_setup` selects the inline backend anyway.

    Examples
    --------
    >>> import json, tempfile
    >>> folder = install_kernel(tempfile.mkdtemp())
    >>> spec = json.loads((folder / "kernel.json").read_text(encoding="utf-8"))
    >>> spec["display_name"], spec["env"]["TZ"], folder.name
    ('Python (sswanalysis)', 'UTC', 'python3')
    """
    import logging

    from ipykernel.kernelspec import install

    from sswanalysis.publish.notebooks import ENV

    env = {k: v for k, v in ENV.items() if k != "MPLBACKEND"}
    # ipykernel warns that a prefix outside jupyter's search path may not be found; the lab
    # puts this prefix on JUPYTER_PATH itself.
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    return Path(install(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME,
                        prefix=os.fspath(prefix), env=env))


def write_config(config_dir: str | os.PathLike[str]) -> Path:
    """Write the lab's Jupyter configuration folder; return ``config_dir/custom/custom.css``.

    ``custom/`` receives ``custom.css`` (:func:`sswanalysis.figures.style.font_css`) and a copy of the
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
    from sswanalysis.figures.style import font_css, font_path
    from sswanalysis.writing import write_text

    config_dir = Path(config_dir)
    custom = config_dir / "custom"
    custom.mkdir(parents=True, exist_ok=True)
    font = font_path()
    for src in (font, font.parent / "OFL.txt"):
        shutil.copyfile(src, custom / src.name)
    css = custom / "custom.css"
    write_text(css, f"/* written by sswanalysis lab: the bundled CJK font */\n{font_css(font.name)}\n")
    config = {"LabApp": {"custom_css": True},
              "KernelSpecManager": {"allowed_kernelspecs": [KERNEL_NAME]}}
    write_text(config_dir / "jupyter_server_config.json", json.dumps(config, indent=2) + "\n")
    return css


def prepare(lab_dir: str | os.PathLike[str]) -> Path:
    """Write the lab's folder (configuration, custom CSS and font, kernel); return it.

    >>> import tempfile
    >>> d = prepare(tempfile.mkdtemp())
    >>> (d / "config/custom/custom.css").is_file(), (d / "share/jupyter/kernels/python3").is_dir()
    (True, True)
    """
    lab_dir = Path(lab_dir)
    write_config(lab_dir / "config")
    install_kernel(lab_dir)
    return lab_dir


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
                lab_dir: str | os.PathLike[str], *, browser: bool = False,
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
    lab_dir : path
        Folder written by :func:`prepare`.
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
    >>> argv, env = lab_command("notebooks", 8899, "abc", "/lab", env={"MPLBACKEND": "Agg"})
    >>> argv[1:3], "--ServerApp.port=8899" in argv, "--no-browser" in argv
    (['-m', 'jupyterlab'], True, True)
    >>> Path(env["JUPYTER_CONFIG_DIR"]).as_posix(), Path(env["JUPYTER_PATH"]).as_posix()
    ('/lab/config', '/lab/share/jupyter')
    >>> "MPLBACKEND" in env
    False
    """
    from jupyter_core.paths import jupyter_config_dir

    env = dict(os.environ if env is None else env)
    # Settings and workspaces stay where the user's own lab keeps them (read before the
    # configuration folder is switched), so a chosen interface language persists.
    user_lab = Path(jupyter_config_dir()) / "lab"
    env.setdefault("JUPYTERLAB_SETTINGS_DIR", os.fspath(user_lab / "user-settings"))
    env.setdefault("JUPYTERLAB_WORKSPACES_DIR", os.fspath(user_lab / "workspaces"))
    lab_dir = Path(lab_dir)
    env["JUPYTER_CONFIG_DIR"] = os.fspath(lab_dir / "config")
    path = [os.fspath(lab_dir / "share" / "jupyter"), env.get("JUPYTER_PATH", "")]
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in path if p)
    env.pop("MPLBACKEND", None)  # the Makefile's Agg would reach the kernel; inline is wanted
    argv = [sys.executable, "-m", "jupyterlab",
            f"--ServerApp.ip={HOST}", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={os.fspath(root)}", f"--IdentityProvider.token={token}"]
    if not browser:
        argv.append("--no-browser")
    if getattr(os, "geteuid", lambda: -1)() == 0:  # containers and CI run as root
        argv.append("--ServerApp.allow_root=True")
    return argv, env


def _port(text: str) -> int:
    """A TCP port, 1 to 65535 (argparse type: anything else is a usage message, not a traceback
    from the server's socket).

    >>> _port("8899")
    8899
    >>> _port("99999")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 端口须为 1 到 65535 的整数 · a port is a whole number ..., not '99999'
    """
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"端口须为 1 到 65535 的整数 · a port is a whole number from 1 to "
                                         f"65535, not {text!r}")
    return port


def lab_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``sswanalysis lab`` to ``parser``."""
    parser.add_argument("--notebooks", default="notebooks",
                        help="打开的文件夹 / folder the lab opens on (default: notebooks)")
    parser.add_argument("--port", type=_port, default=None,
                        help="端口 / port on 127.0.0.1 (default: 8888 when free, else any free port)")
    parser.add_argument("--browser", action="store_true", help="同时打开浏览器 / also open a web browser")


def lab_main(args: argparse.Namespace) -> int:
    """Run ``sswanalysis lab``; return the exit code of the server."""
    root = Path(args.notebooks).resolve()
    if not root.is_dir():
        print(f"sswanalysis lab: no folder {args.notebooks!r}; run it from the project folder "
              "or pass --notebooks DIR", file=sys.stderr)
        return 2
    port = args.port if args.port is not None else free_port(8888)
    lab_dir = prepare(Path(sys.prefix) / "share" / "sswanalysis-lab")
    token = secrets.token_hex(24)
    argv, env = lab_command(root, port, token, lab_dir, browser=args.browser)
    url = f"http://{HOST}:{port}/lab?token={token}"
    print(f"在浏览器中打开 JupyterLab / Open JupyterLab in a browser:\n\n    {url}\n\n"
          "按 Ctrl+C 两次停止 / Press Ctrl+C twice to stop.\n", flush=True)
    proc = subprocess.Popen(argv, env=env)
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:  # the server gets the same Ctrl+C and decides whether to stop
            continue


"""The command line: its help lists every command, the README documents exactly those."""

import re
import subprocess
import sys
from pathlib import Path

from sswanalysis.cli import COMMANDS, main

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_help_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert re.search(rf"^  {name}\s", out, flags=re.M), name


def test_unknown_command_is_an_error_that_shows_the_usage(capsys):
    assert main(["valdiate"]) == 2
    err = capsys.readouterr().err
    assert "unknown command 'valdiate'" in err and "validate" in err


def test_no_command_prints_usage_and_fails(capsys):
    assert main([]) == 2
    assert "usage: sswanalysis COMMAND" in capsys.readouterr().out


def test_readme_documents_exactly_the_commands():
    block = README.split("## Command line", 1)[1].split("```")[1]
    documented = re.findall(r"^sswanalysis (\w+)", block, flags=re.M)
    assert documented == list(COMMANDS)


def test_console_script_runs_a_command():
    out = subprocess.run([sys.executable, "-m", "sswanalysis.cli", "validate"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0 and out.stdout.strip() == "the shipped data: valid, with 1 warning(s)"


def test_every_help_text_is_chinese_first_with_english():
    from sswanalysis.cli import build_parser

    def chinese_first(text: str) -> bool:
        first_cjk = re.search(r"[\u4e00-\u9fff]", text)
        first_latin = re.search(r"[A-Za-z]", text)
        return bool(first_cjk and first_latin) and first_cjk.start() < first_latin.start()

    for name, (_, help_) in COMMANDS.items():
        assert chinese_first(help_), name
        parser, _ = build_parser(name)
        for action in parser._actions:
            assert chinese_first(action.help or ""), (name, action.dest, action.help)
        assert parser.format_help().startswith("用法 usage: sswanalysis " + name)

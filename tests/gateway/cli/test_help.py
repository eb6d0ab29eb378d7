"""Every command's help: values named in words, and real invocations to copy.

The tests walk the whole application as click sees it (every group, every command), so a
command added later is held to the same rules without being listed here.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from gateway.cli.app import app

runner = CliRunner()

#: What click calls a value nobody named (``TEXT``), and Python's names typer shows (``<int>``)
TYPE_NAMES = frozenset(
    "integer text float boolean path filename directory uuid string choice tuple "
    "bool int str list datetime range".split()
)


def _walk(path: list[str], command: Any) -> Iterator[tuple[list[str], Any]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _walk([*path, name], sub)


COMMANDS = list(_walk([], typer.main.get_command(app)))
LEAVES = [(path, c) for path, c in COMMANDS if not getattr(c, "commands", None)]


def _ids(commands: list[tuple[list[str], Any]]) -> list[str]:
    return [" ".join(path) or "order-gateway" for path, _ in commands]


def _help(path: list[str]) -> str:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    return result.output


def _names_a_type(shown: str, choices: list[str]) -> bool:
    """``<int>``, ``<list[str]>``, ``TEXT``, ``PATH`` — but not ``N``, ``DATE``, ``fr|en``."""
    bare = shown.strip("<>").removesuffix("...")
    if choices and set(bare.split("|")) <= set(choices):
        return False
    return shown.startswith("<") or bare.lower() in TYPE_NAMES


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=_ids(COMMANDS))
def test_every_value_is_named_by_a_word_not_a_type(path: list[str], command: Any) -> None:
    ctx = typer.Context(command, info_name="order-gateway")
    for param in command.get_params(ctx):
        shown = param.display_type_rich(ctx) or ""
        choices = [str(c) for c in (param.type_descriptor.choices or ())]
        where = f"order-gateway {' '.join(path)} {param.opts[0]}"
        assert not _names_a_type(shown, choices), f"{where} shows {shown!r}"
        if param.param_type_name == "argument":
            # an argument is shown by its metavar alone: a word in capitals
            assert param.metavar and param.metavar.isupper(), f"{where}: metavar {param.metavar!r}"
            assert shown == ""
        elif param.is_flag:
            assert shown == "", f"{where} is a flag: it shows no value"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=_ids(COMMANDS))
def test_no_help_shows_a_python_or_click_type(path: list[str], command: Any) -> None:
    found = re.findall(
        r"<(?:bool|int|float|str|path|file|datetime|list\[\w+\])>|\w+ range>|\[x[<>]=|"
        r"\b(?:INTEGER|TEXT|PATH|FLOAT|BOOLEAN|FILENAME|DIRECTORY)\b",
        _help(path),
    )
    assert not found, f"order-gateway {' '.join(path)} --help shows {found}"


@pytest.mark.parametrize(("path", "command"), LEAVES, ids=_ids(LEAVES))
def test_every_command_help_ends_with_real_invocations_of_itself(
    path: list[str], command: Any
) -> None:
    own = "order-gateway " + " ".join(path)
    *_, last = (command.help or "").strip().split("\n\n")
    heading, *examples = [line.strip() for line in last.splitlines()]
    assert heading in ("Example:", "Examples:"), f"{own}: its docstring ends with no examples"
    assert examples and all(e.startswith("order-gateway ") for e in examples), last
    assert any(f"{e} ".startswith(f"{own} ") for e in examples), f"{own}: no example of itself"
    shown = [line.strip() for line in _help(path).splitlines()]
    for example in examples:
        assert example in shown, f"{own} --help: {example!r} is not a line of its own"


def _readme_examples() -> list[str]:
    readme = (Path(__file__).parents[3] / "README.md").read_text("utf-8")
    glance = readme.split("### The commands at a glance", 1)[1].split("\n#", 1)[0]
    return re.findall(r"\| `(order-gateway [^`]+)` \|$", glance, re.MULTILINE)


@pytest.mark.parametrize("example", _readme_examples())
def test_the_readme_examples_name_real_commands_and_options(example: str) -> None:
    words = shlex.split(example)[1:]
    command: Any = typer.main.get_command(app)
    while words and words[0] in getattr(command, "commands", {}):
        command = command.commands[words.pop(0)]
    assert not getattr(command, "commands", None), f"{example}: no such command"
    options = {o for p in command.params for o in p.opts}
    assert {w.split("=")[0] for w in words if w.startswith("-")} <= options, example

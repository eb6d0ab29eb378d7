"""``check`` and the check ``run`` makes at start: a mistake stops the start, named."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from gateway.cli.app import app
from gateway.workspace import Workspace
from tests.gateway.conftest import CONFIG, build_workspace
from tests.gateway.running import order

runner = CliRunner()

MISSPELT_PROFILE = '[partners.epicerie]\nname = "E"\nmapping = "excel-frr"\n'


def cli(root: Path, *args: str):  # noqa: ANN201
    return runner.invoke(app, ["--workspace", str(root), *args], catch_exceptions=False)


def broken(tmp_path: Path) -> Workspace:
    ws = build_workspace(tmp_path / "ws", config=CONFIG + MISSPELT_PROFILE)
    ws.mappings_dir.mkdir(exist_ok=True)
    (ws.mappings_dir / "excel-fr.toml").write_text("", encoding="utf-8")
    ws.close()
    return ws


def test_check_of_a_sound_workspace_exits_0_and_says_what_it_holds(sqlite_workspace) -> None:
    result = cli(sqlite_workspace.root, "check")
    assert result.exit_code == 0, result.output
    assert "is ready: 5 partner(s), 0 mapping profile(s), 2 customer(s), 2 site(s)" in (
        result.output
    )


def test_check_lists_each_error_and_exits_2(tmp_path: Path) -> None:
    result = cli(broken(tmp_path).root, "check")
    assert result.exit_code == 2
    assert (
        "error partners.epicerie.mapping = 'excel-frr': expected the name of a profile"
        in result.output
    )
    assert "did you mean 'excel-fr'?" in result.output
    assert "1 error(s)" in result.output


def test_check_as_json_gives_key_value_expected_and_nearest(tmp_path: Path) -> None:
    result = cli(broken(tmp_path).root, "check", "--json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["ok"] is False
    [problem] = data["problems"]
    assert {k: problem[k] for k in ("severity", "key", "value", "nearest")} == {
        "severity": "error",
        "key": "partners.epicerie.mapping",
        "value": "excel-frr",
        "nearest": "excel-fr",
    }


def test_check_reports_a_configuration_that_does_not_load(tmp_path: Path) -> None:
    (tmp_path / "gateway.toml").write_text('[partners.a]\nname = "A"\nauto_validate = "yes"\n')
    result = cli(tmp_path, "check", "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["problems"] == [
        {
            "severity": "error",
            "message": "partners.a.auto_validate: expected true or false (a TOML boolean, "
            "without quotes), got 'yes'",
        }
    ]


def test_run_once_refuses_to_start_on_an_error_and_reads_no_file(tmp_path: Path) -> None:
    ws = broken(tmp_path)
    waiting = ws.inbox("epicerie") / "order.csv"
    waiting.write_bytes(order("PO-1"))
    result = cli(ws.root, "run", "--once")
    assert result.exit_code == 2
    assert "partners.epicerie.mapping = 'excel-frr'" in result.output
    assert "gateway not started: 1 configuration error(s)" in result.output
    assert waiting.exists()  # not read, so the customer is told nothing wrong
    assert list(ws.outbox("epicerie").iterdir()) == []


def test_the_service_refuses_to_start_on_an_error(tmp_path: Path) -> None:
    result = cli(broken(tmp_path).root, "run", "--interval", "0.1")
    assert result.exit_code == 2
    assert "gateway not started" in result.output
    assert "gateway started" not in result.output

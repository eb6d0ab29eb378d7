"""The README's quickstart, as a newcomer meets it: a fresh clone with nothing beside it.

The two commands of the README's Quickstart block are run, as written, in a ``git clone``
of this repository's HEAD in a temporary folder (no ``../shared`` there), each making or
reusing the clone's own virtual environment. Both must succeed: the demo prints its
orders, and the suite (its quick part: the slow tests run once, in the run around this one)
passes from the clone alone, saying once that the shared corpus was not run.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: The pytest options the fresh clone's suite runs with: all but the slow tests
QUICK = '-m "not slow"'
#: Set for the suite the fresh clone runs, so that it does not clone itself again
NESTED = "ORDER_GATEWAY_FRESH_CLONE"
#: What the clone must not inherit: where this checkout finds its corpus or its Python
NOT_INHERITED = (
    "ORDER_GATEWAY_REQUIRE_CORPUS",
    "ORDER_GATEWAY_CORPUS",
    "ORDER_GATEWAY_HOME",
    "ORDER_GATEWAY_DATABASE",
    "VIRTUAL_ENV",
    "PYTHONPATH",
    "PYTHONHOME",
)


def quickstart_commands(readme: str) -> list[str]:
    """The commands of the first ``sh`` block under "## Quickstart", comments dropped."""
    section = readme.split("## Quickstart", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README's Quickstart has no ```sh block"
    commands = [line.split("#", 1)[0].strip() for line in block.group(1).splitlines()]
    return [c for c in commands if c]


def test_the_readme_names_two_commands() -> None:
    commands = quickstart_commands((REPO / "README.md").read_text(encoding="utf-8"))
    assert commands == ["bash scripts/demo.sh", "bash scripts/test.sh"]


@pytest.mark.slow
@pytest.mark.skipif(bool(os.environ.get(NESTED)), reason="already the fresh clone's own run")
def test_a_fresh_clone_runs_the_quickstart_with_nothing_beside_it(tmp_path: Path) -> None:
    clone = tmp_path / "order-gateway"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    assert not (tmp_path / "shared").exists()
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    # The clone's own Python first: none of this checkout's environment on the way
    path = env.get("PATH", "").split(os.pathsep)
    env["PATH"] = os.pathsep.join(p for p in path if not p.startswith(str(REPO)))
    env[NESTED] = "1"
    readme = (clone / "README.md").read_text(encoding="utf-8")
    demo, tests = quickstart_commands(readme)
    assert f"`{tests} {QUICK}`" in readme, "the README no longer shows the quick run"

    ran = subprocess.run(
        demo, shell=True, cwd=clone, env=env, capture_output=True, text=True, timeout=1200
    )
    assert ran.returncode == 0, ran.stdout[-4000:] + ran.stderr[-4000:]
    assert "demo workspace:" in ran.stdout and "replies:" in ran.stdout
    assert (clone / ".venv" / "bin" / "order-gateway").exists()
    assert list((clone / "demo-workspace" / "archive").rglob("*.csv"))

    # The second command with the README's option that leaves out the slow tests: this run
    # has them, on the same code in a fresh environment too (CI's clean clone), and what a
    # clone with nothing beside it lacks is only the corpus, which tests reach through the
    # ``corpus`` fixture alone and which is deselected for slow and quick tests alike. The
    # second run of the slow tests was a third of CI's time and could not fail differently.
    ran = subprocess.run(
        f"{tests} {QUICK}", shell=True, cwd=clone, env=env, capture_output=True, text=True,
        timeout=2400,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout[-6000:] + ran.stderr[-3000:]
    summary = ran.stdout.strip().splitlines()[-1]  # pytest's closing line
    assert re.search(r"\d+ passed", summary) and "failed" not in summary, ran.stdout[-2000:]
    [corpus] = [line for line in ran.stdout.splitlines() if line.startswith("shared corpus:")]
    assert "tests not run" in corpus

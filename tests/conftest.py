"""Shared fixtures. Format-specific fixtures live beside the tests that use them."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# pytest-xdist's workers start with COLUMNS=80 and LINES=24 in their environment. A rich
# console made at import would then stay 80 columns wide, where the command line's tests
# expect it to follow the COLUMNS each of them sets, as it does in one process.
if os.environ.get("PYTEST_XDIST_WORKER"):
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)

REPO = Path(__file__).resolve().parents[1]
#: The shared conformance corpus: beside the checkout (../shared/corpus), or where
#: $ORDER_GATEWAY_CORPUS says. The suite's own EDI samples (tests/data/edi) cover every
#: behaviour the corpus tests check; the corpus tests run in addition when it is there.
CORPUS = Path(os.environ.get("ORDER_GATEWAY_CORPUS") or REPO.parent / "shared" / "corpus")
#: Set (to 1) where the corpus must be there: CI (.ci/run) fails rather than leave it unrun.
REQUIRE_CORPUS = "ORDER_GATEWAY_REQUIRE_CORPUS"
#: The suite's own EDI files, written by the project
SAMPLES = REPO / "tests" / "data" / "edi"


def _corpus_required() -> bool:
    return os.environ.get(REQUIRE_CORPUS, "") not in ("", "0")


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        # Only reached when the corpus is required (otherwise its tests are deselected).
        pytest.fail(f"conformance corpus not found at {CORPUS} and {REQUIRE_CORPUS} is set")
    return CORPUS


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


_NOT_RUN = pytest.StashKey[int]()
#: How a pytest-xdist worker hands its count to the controller, which prints the summary
_NOT_RUN_OUTPUT = "shared_corpus_not_run"


#: The one test that takes minutes: it runs both README commands in a fresh clone
LONGEST = "test_quickstart.py"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest test first; without the shared corpus, its tests are not run, and the
    summary says so once."""
    # Collected last, the fresh-clone test would start last under pytest-xdist and keep one
    # process busy for its ten minutes while the other has nothing left. The sort is stable,
    # and every worker sorts alike (xdist requires the same order in each).
    items.sort(key=lambda item: item.path.name != LONGEST)
    if CORPUS.is_dir() or _corpus_required():
        return
    keep = [i for i in items if "corpus" not in getattr(i, "fixturenames", ())]
    left = [i for i in items if "corpus" in getattr(i, "fixturenames", ())]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = keep
    config.stash[_NOT_RUN] = len(left)
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[_NOT_RUN_OUTPUT] = len(left)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """Under pytest-xdist the workers collect, not the controller: take their count.

    Every worker collects the whole suite, so each reports the same number.
    """
    count = getattr(node, "workeroutput", {}).get(_NOT_RUN_OUTPUT, 0)
    node.config.stash[_NOT_RUN] = max(node.config.stash.get(_NOT_RUN, 0), count)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    not_run = terminalreporter.config.stash.get(_NOT_RUN, 0)
    if not_run:
        terminalreporter.write_line(
            f"shared corpus: {not_run} tests not run (no corpus at {CORPUS}; the suite's own "
            f"EDI samples ran; set {REQUIRE_CORPUS}=1 to require it, as CI does)",
            yellow=True,
        )


@pytest.fixture(autouse=True)
def _gateway_logging_restored() -> Iterator[None]:
    """Undo what a CLI run's setup_logging did to the "gateway" logger.

    It points a handler at the stderr of its moment – a stream the test runner
    closes afterwards – and stops propagation, which would hide later tests' records
    from caplog.
    """
    logger = logging.getLogger("gateway")
    saved = (list(logger.handlers), logger.propagate, logger.level)
    yield
    logger.handlers[:], logger.propagate, logger.level = saved[0], saved[1], saved[2]


pytest_plugins = ["tests.pg", "tests.s3", "tests.sshd"]

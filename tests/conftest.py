"""Shared fixtures. Format-specific fixtures live beside the tests that use them."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: The shared conformance corpus sits beside the checkout (../shared/corpus); CI has it.
#: A worktree one folder further down finds it with $ORDER_GATEWAY_CORPUS.
CORPUS = Path(os.environ.get("ORDER_GATEWAY_CORPUS") or REPO.parent / "shared" / "corpus")


@pytest.fixture(scope="session")
def corpus() -> Path:
    # A missing corpus fails: skipping would pass the EDI conformance tests unrun.
    if not CORPUS.is_dir():
        pytest.fail(
            f"conformance corpus not found at {CORPUS} (the shared/ folder beside the checkout)"
        )
    return CORPUS


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


pytest_plugins = ["tests.pg", "tests.sshd"]

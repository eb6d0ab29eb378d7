"""Shared fixtures. Format-specific fixtures live beside the tests that use them."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: The shared conformance corpus sits beside the checkout (../shared/corpus); CI has it.
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    # A missing corpus fails: skipping would pass the EDI conformance tests unrun.
    if not CORPUS.is_dir():
        pytest.fail(
            f"conformance corpus not found at {CORPUS} (the shared/ folder beside the checkout)"
        )
    return CORPUS


pytest_plugins = ["tests.pg", "tests.sshd"]

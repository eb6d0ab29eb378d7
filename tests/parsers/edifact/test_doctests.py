"""The examples in the EDIFACT modules' docstrings are part of the specification."""

from __future__ import annotations

import doctest

import pytest

from parsers.edifact import service_chars, tokenizer, values


@pytest.mark.parametrize("module", [service_chars, tokenizer, values])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0

"""The nearest valid name to a misspelt one: "did you mean …" for keys, profiles, partners.

One rule for every place a person types a name the gateway must know (a key of
``gateway.toml``, a mapping profile, a partner id in an import): when it is not known,
the message names the closest known one, if any is close enough to be a likely typo.

>>> nearest_name("auto_valdate", ["auto_validate", "language"])
'auto_validate'
>>> nearest_name("excel-frr", ["excel-fr", "eancom-retailer"])
'excel-fr'
>>> nearest_name("zzz", ["auto_validate", "language"]) is None
True
>>> did_you_mean("shpo", ["shop", "hotel"])
"; did you mean 'shop'?"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: How alike (difflib ratio, 0–1) a known name must be to be offered as the intended one
CUTOFF = 0.6


def nearest_name(word: str, names: Iterable[str]) -> str | None:
    """The known name closest to ``word`` (case-insensitive), or None when none is close."""
    by_folded = {n.casefold(): n for n in names}
    found = difflib.get_close_matches(word.casefold(), list(by_folded), n=1, cutoff=CUTOFF)
    return by_folded[found[0]] if found else None


def did_you_mean(word: str, names: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` to end a message with, or ``""`` when nothing is close."""
    found = nearest_name(word, names)
    return f"; did you mean {found!r}?" if found else ""


__all__ = ["CUTOFF", "did_you_mean", "nearest_name"]

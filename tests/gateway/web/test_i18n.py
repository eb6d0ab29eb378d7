"""The console's words: every label a template asks for exists, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import gateway.web
from gateway.web.i18n import LABELS

TEMPLATES = Path(gateway.web.__file__).parent / "templates"
PAGES = Path(gateway.web.__file__).parent


def used_labels() -> set[str]:
    found = set()
    for path in [*TEMPLATES.glob("*.html"), *PAGES.glob("*.py")]:
        if path.name == "i18n.py":
            continue
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"\bt\(['\"]([a-z_0-9]+)['\"]\s*[,)]", text))
        found |= set(re.findall(r"\btranslator\(request\)\(['\"]([a-z_0-9]+)['\"]\s*[,)]", text))
    found |= {f"verb_{v}" for v in ("validate", "reject", "cancel", "prepare", "ship", "deliver")}
    return found


def test_every_label_used_exists() -> None:
    missing = sorted(used_labels() - set(LABELS))
    assert not missing, f"labels without a translation: {missing}"


def test_every_label_has_an_english_and_a_french_text() -> None:
    empty = [k for k, (en, fr) in LABELS.items() if not en.strip() or not fr.strip()]
    assert not empty

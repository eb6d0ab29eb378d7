"""UNB syntax identifiers (0001) and the Python codecs that decode them.

Policy for bytes that do not fit the declared set (senders get this wrong often):

1. Decode strictly with the declared set.  For the ISO 8859 sets every byte
   "fits", so a file whose non-ASCII bytes form valid UTF-8 is taken as UTF-8
   mislabelled (a modern ERP writing UTF-8 under UNOC) — with a warning.
2. If the strict decode fails but the bytes are valid UTF-8, use UTF-8 — with a warning.
3. Otherwise the interchange is rejected (syntax error 21, invalid characters) at the
   first offending segment; its text is still decoded with replacement characters so
   the envelope can be read and a CONTRL addressed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: 0001 syntax identifier → Python codec
CODECS: dict[str, str] = {
    "UNOA": "ascii",
    "UNOB": "ascii",
    "UNOC": "iso-8859-1",
    "UNOD": "iso-8859-2",
    "UNOE": "iso-8859-5",
    "UNOF": "iso-8859-7",
    "UNOG": "iso-8859-3",
    "UNOH": "iso-8859-4",
    "UNOI": "iso-8859-6",
    "UNOJ": "iso-8859-8",
    "UNOK": "iso-8859-9",
    "UNOL": "iso-8859-15",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
}

_LOWER = re.compile(r"[a-z]")


@dataclass(slots=True)
class Decoded:
    text: str
    codec: str
    warnings: list[str]
    #: Byte offset of the first byte that fits neither the declared set nor UTF-8
    bad_offset: int | None = None


def codec_for(syntax_identifier: str) -> str | None:
    return CODECS.get(syntax_identifier.upper())


def decode(data: bytes, syntax_identifier: str) -> Decoded:
    """Decode one interchange's bytes according to its syntax identifier (see module doc)."""
    declared = codec_for(syntax_identifier)
    warnings: list[str] = []
    if declared is None:
        declared = "ascii"
    if data.isascii():  # a C scan, several times faster than searching for a high byte
        text = data.decode("ascii")
        if syntax_identifier.upper() == "UNOA" and _LOWER.search(text):
            warnings.append("UNOA declared but lower-case letters used (UNOB repertoire); accepted")
        return Decoded(text, declared, warnings)
    if declared != "utf-8":
        try:
            utf8 = data.decode("utf-8")
        except UnicodeDecodeError:
            utf8 = None
        if utf8 is not None:
            warnings.append(
                f"{syntax_identifier} ({declared}) declared but the bytes are UTF-8; "
                "decoded as UTF-8"
            )
            return Decoded(_note_replacements(utf8, warnings), "utf-8", warnings)
    try:
        return Decoded(_note_replacements(data.decode(declared), warnings), declared, warnings)
    except UnicodeDecodeError as exc:
        text = data.decode(declared, errors="replace")
        return Decoded(text, declared, warnings, bad_offset=exc.start)


def _note_replacements(text: str, warnings: list[str]) -> str:
    count = text.count("\ufffd")
    if count:
        warnings.append(
            f"{count} U+FFFD replacement character(s) in the data: characters were lost "
            "before the file reached us"
        )
    return text

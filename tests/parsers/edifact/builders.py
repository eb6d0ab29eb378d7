"""Small real interchanges for the EDIFACT tests, written the way partners send them."""

from __future__ import annotations

DEFAULT_UNA = "UNA:+.? '"


def orders_message(ref: str = "1", *, body: list[str] | None = None) -> list[str]:
    """UNH…UNT of a two-line ORDERS with a correct segment count."""
    body = body or [
        "BGM+220+PO-1+9",
        "DTM+137:20240105:102",
        "NAD+BY+5412345000013::9",
        "LIN+1++4000862141404:EN",
        "QTY+21:5",
        "LIN+2++4012345000094:EN",
        "QTY+21:7",
        "UNS+S",
    ]
    segments = [f"UNH+{ref}+ORDERS:D:96A:UN:EAN008", *body]
    return [*segments, f"UNT+{len(segments) + 1}+{ref}"]


def interchange(
    *messages: list[str],
    ref: str = "IC1",
    syntax: str = "UNOC:3",
    una: str | None = DEFAULT_UNA,
    unz: bool = True,
    term: str = "'",
    sep: str = "\n",
) -> str:
    """UNA, UNB, the messages and UNZ joined with ``term`` (and ``sep`` as layout)."""
    segments = [f"UNB+{syntax}+SENDER:14+RECEIVER:14+240105:1200+{ref}"]
    for message in messages:
        segments.extend(message)
    if unz:
        segments.append(f"UNZ+{len(messages)}+{ref}")
    text = (term + sep).join(segments) + term + sep
    return (una + sep if una else "") + text
